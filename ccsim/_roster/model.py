"""The roster's CP-SAT model, its reproducible solve, and reasons when it is infeasible.

Variables: ``x[a][d][t]`` = agent ``a`` works shift ``t`` on day ``d`` (at most one a
day). Every hard rule is per agent, so the roster is infeasible exactly when some
agent's own rules conflict; :func:`explain` finds, per agent, a minimal set of rule
groups that cannot all hold (assumption literals, one per group, CP-SAT's
``sufficient_assumptions_for_infeasibility``, then deletion of groups one at a time).

Reproducibility: CP-SAT runs with a fixed ``random_seed``, a fixed number of workers
interleaved deterministically (``interleave_search``) and stops on
``max_deterministic_time`` (a count of work, not of seconds); ``max_time_in_seconds``
is only a safety cap, which shapes the result only if it binds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ccsim._roster.inputs import Instance, _days_text
from ccsim._validation import CCSimError

NUM_WORKERS = 2  # interleaved deterministically: the same result on 1 core or many
# The full-problem subsolver run beside CP-SAT's LNS workers: the LP of the model
# linearised at level 2 (max_lp) guides the search and RINS; the default portfolio of
# eight full subsolvers left too little of the deterministic budget to the LNS on the
# published staff-rostering instances (benchmarks/roster.py: mean gap to the best known
# 21.6 % -> 11.5 % at 40 deterministic s, with the greedy start and exact cover terms).
SUBSOLVERS = ("max_lp",)
LINEARIZATION_LEVEL = 2
EXPLAIN_DETERMINISTIC_TIME = 10.0  # per agent and question; one agent's model is small
GROUPS = ("days_off", "skills", "not_followed_by", "max_shifts", "min_minutes", "max_minutes",
          "min_minutes_per_week", "max_minutes_per_week", "max_consecutive_shifts",
          "min_consecutive_shifts", "min_consecutive_days_off", "max_weekends")

_STATUS = {"OPTIMAL": "optimal", "FEASIBLE": "feasible", "INFEASIBLE": "infeasible",
           "UNKNOWN": "unknown", "MODEL_INVALID": "invalid"}


def default_deterministic_limit(instance: Instance) -> float:
    """The default budget [CP-SAT deterministic seconds]: 1 + assignments / 500.

    About one deterministic second per 500 agent-day-shift variables (6 agents x 28
    days x 3 shifts: 2.0; 150 x 28 x 6: 51.4).
    """
    return 1.0 + len(instance.agents) * instance.days * len(instance.shifts) / 500


@dataclass(frozen=True)
class Solution:
    assignment: np.ndarray  # agents x days: shift index, -1 for a day off
    status: str  # "optimal" | "feasible"
    objective: float
    bound: float
    deterministic_time: float
    wall_seconds: float


def _agent_rules(model, instance: Instance, a: int, x, enforce: Callable[[str], list]) -> list:
    """Add agent ``a``'s hard rules; ``enforce(group)`` gives the group's literals.

    The previous roster's last days (``instance.history[a]``, ``H`` days) extend the
    horizon backwards as constants: day ``i`` of the extended range is day ``i - H`` of
    the horizon. Rules between days are posted wherever they involve a day of the horizon;
    runs touching the first known day or the last day are exempt. Returns the agent's
    weekend flags (1 = some work that weekend), one per weekend of ``instance.weekends``.
    """
    from ccsim._roster.inputs import weeks

    agent, days, shifts = instance.agents[a], instance.days, instance.shifts
    history = instance.history[a] if instance.history else ()
    known = len(history)
    n = len(shifts)
    past = [[int(h == t) for t in range(n)] for h in history]
    xe = past + [list(row) for row in x]  # the extended range
    work = [cp_model_sum(x[d]) for d in range(days)]
    we = [int(h >= 0) for h in history] + work
    total_days = known + days
    for d in range(days):
        model.add_at_most_one(x[d])
    for d in sorted(instance.leave[a]):
        model.add(work[d] == 0).only_enforce_if(enforce("days_off"))
    if agent.skills is not None:  # shifts of a skill the agent has not
        for t, shift in enumerate(shifts):
            if shift.skill is not None and shift.skill not in agent.skills:
                for d in range(days):
                    model.add(x[d][t] == 0).only_enforce_if(enforce("skills"))
    for t, u, gap in instance.forbidden:
        for i in range(max(0, known - gap), total_days - gap):
            first = xe[i][t]
            if isinstance(first, int):
                if first:
                    model.add(xe[i + gap][u] == 0).only_enforce_if(enforce("not_followed_by"))
                continue
            model.add(first + xe[i + gap][u] <= 1).only_enforce_if(enforce("not_followed_by"))
    for name, most in agent.max_shifts.items():
        t = next(i for i, shift in enumerate(shifts) if shift.name == name)
        model.add(sum(x[d][t] for d in range(days)) <= most).only_enforce_if(
            enforce("max_shifts"))
    seconds = [round(shift.minutes * 60) for shift in shifts]

    def paid(first: int, last: int):  # seconds worked on extended days first..last-1
        return sum(seconds[t] * xe[i][t] for i in range(first, last) for t in range(n))

    total = paid(known, total_days)
    if agent.min_minutes > 0:
        model.add(total >= int(np.ceil(agent.min_minutes * 60 - 1e-6))).only_enforce_if(
            enforce("min_minutes"))
    if agent.max_minutes is not None:
        model.add(total <= int(np.floor(agent.max_minutes * 60 + 1e-6))).only_enforce_if(
            enforce("max_minutes"))
    for week in weeks(instance.start, -known, days):
        if week[-1] < 0:
            continue  # wholly in the previous roster: nothing to decide
        first, last = known + week[0], known + week[-1] + 1
        if agent.max_minutes_per_week is not None:
            before = paid(first, known) if week[0] < 0 else 0  # a constant
            most_seconds = int(np.floor(agent.max_minutes_per_week * 60 + 1e-6))
            model.add(paid(max(first, known), last) <= max(most_seconds - before, 0)
                      ).only_enforce_if(enforce("max_minutes_per_week"))
        if agent.min_minutes_per_week > 0 and len(week) == 7 and week[0] >= 0:
            model.add(paid(first, last) >= int(np.ceil(
                agent.min_minutes_per_week * 60 - 1e-6))).only_enforce_if(
                enforce("min_minutes_per_week"))
    most = agent.max_consecutive_shifts
    if most is not None:
        for i in range(max(0, known - most), total_days - most):
            model.add(sum(we[i:i + most + 1]) <= most).only_enforce_if(
                enforce("max_consecutive_shifts"))
    # A run that starts on extended day i >= 1 (not touching the first known day) lasts at
    # least k days or reaches the last day; runs touching either end are exempt. A run that
    # starts in the history is constrained only if the history does not end it already.
    for i in range(1, total_days):
        if i < known:
            status = we[i]
            if we[i - 1] == status or any(we[k] != status for k in range(i, known)):
                continue
        for j in range(1, agent.min_consecutive_shifts):
            if known <= i + j < total_days:
                model.add(we[i + j] >= we[i] - we[i - 1]).only_enforce_if(
                    enforce("min_consecutive_shifts"))
        for j in range(1, agent.min_consecutive_days_off):
            if known <= i + j < total_days:
                model.add(we[i + j] + we[i - 1] - we[i] <= 1).only_enforce_if(
                    enforce("min_consecutive_days_off"))
    flags = []
    for w, weekend in enumerate(instance.weekends):
        flag = model.new_bool_var(f"weekend_{a}_{w}")
        model.add_max_equality(flag, [work[d] for d in weekend])
        flags.append(flag)
    if agent.max_weekends is not None and instance.weekends:
        counted = []
        for flag, weekend in zip(flags, instance.weekends, strict=True):
            # a weekend cut by the start counts the previous roster's days of it
            saturday = weekend[0] - ((instance.start + _day(weekend[0])).weekday() - 5)
            before = [we[known + d] for d in (saturday, saturday + 1) if -known <= d < 0]
            counted.append(1 if any(before) else flag)
        model.add(sum(counted) <= agent.max_weekends).only_enforce_if(enforce("max_weekends"))
    return flags


def cp_model_sum(terms):
    from ortools.sat.python import cp_model

    return cp_model.LinearExpr.sum(terms)


def _day(offset: int):
    import pandas as pd

    return pd.Timedelta(days=offset)


def _variables(model, instance: Instance, a: int):
    return [[model.new_bool_var(f"x_{a}_{d}_{t}") for t in range(len(instance.shifts))]
            for d in range(instance.days)]


def _solver(seed: int, deterministic_time: float, time_limit_seconds: float, workers: int):
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    solver.parameters.interleave_search = workers > 1
    solver.parameters.max_deterministic_time = deterministic_time
    solver.parameters.max_time_in_seconds = time_limit_seconds
    solver.parameters.log_search_progress = False
    return solver


def _model(instance: Instance, weighted: bool):
    """The CP-SAT model: variables, hard rules and the objective (with or without the
    :class:`RosterWeights` terms)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = [_variables(model, instance, a) for a in range(len(instance.agents))]
    flags = [_agent_rules(model, instance, a, x[a], lambda group: [])
             for a in range(len(instance.agents))]
    terms, constant = [], 0
    for row, eligible in zip(instance.cover.itertuples(index=False), instance.eligible,
                             strict=True):
        assigned = sum(x[a][row.day][row.shift_index] for a in eligible)
        # exact terms (not >=): CP-SAT's objective is the roster's cost at every solution
        excess = model.new_int_var(-row.required, len(eligible) - row.required, "excess")
        model.add(excess == assigned - row.required)
        if row.under_weight > 0 and row.required > 0:
            under = model.new_int_var(0, row.required, "under")
            model.add_max_equality(under, [-excess, 0])
            terms.append(row.under_weight * under)
        if row.over_weight > 0 and len(eligible) > row.required:
            over = model.new_int_var(0, len(eligible) - row.required, "over")
            model.add_max_equality(over, [excess, 0])
            terms.append(row.over_weight * over)
    for a, day, t, wanted, weight in instance.requests:
        given = sum(x[a][day]) if t is None else x[a][day][t]
        if wanted:
            constant += weight
            terms.append(-weight * given)
        else:
            terms.append(weight * given)
    if weighted:
        terms += _weighted_terms(model, instance, x, flags)
    model.minimize(sum(terms) + constant)
    return model, x


def _run(model, x, instance: Instance, *, seed: int, deterministic_time: float,
         time_limit_seconds: float, progress: Callable | None):
    """Solve ``model``; (status, assignment or None, objective, bound, det. time, wall s)."""
    solver = _solver(seed, deterministic_time, time_limit_seconds, NUM_WORKERS)
    solver.parameters.subsolvers.extend(SUBSOLVERS)
    solver.parameters.linearization_level = LINEARIZATION_LEVEL
    callback = None if progress is None else _progress_callback(progress)
    status = _STATUS.get(solver.status_name(solver.solve(model, callback)), "unknown")
    if callback is not None and callback.error is not None:
        raise callback.error
    spent = (float(solver.deterministic_time), float(solver.wall_time))
    if status not in ("optimal", "feasible"):
        return status, None, np.inf, -np.inf, *spent
    assignment = np.full((len(instance.agents), instance.days), -1, dtype=np.int64)
    for a, rows in enumerate(x):
        for d, row in enumerate(rows):
            for t, var in enumerate(row):
                if solver.boolean_value(var):
                    assignment[a, d] = t
    objective = float(round(solver.objective_value))  # whole weights: a whole objective
    # Every weight is whole, so the objective is too and its bound rounds up.
    bound = objective if status == "optimal" else min(
        objective, float(np.ceil(solver.best_objective_bound - 1e-6)))
    return status, assignment, objective, bound, *spent


def solve(instance: Instance, *, seed: int, deterministic_time: float,
          time_limit_seconds: float, progress: Callable | None = None) -> Solution | str:
    """Solve the roster; return a :class:`Solution`, or the status name when none.

    ``progress(objective, bound, elapsed_seconds)`` is called at each better roster found.
    CP-SAT starts from a greedy feasible roster (:mod:`ccsim._roster.start`; its work
    counts in ``deterministic_time``). Solving first without the :class:`RosterWeights`
    terms and then with them from that roster as a hint was tried on the bank example:
    CP-SAT stayed at the hint (objective 580 against 69 in one phase), so one phase.
    """
    import time

    from ccsim._roster.start import greedy_start

    weighted = any(getattr(instance.weights, key) > 0 for key in (
        "split_weekend", "weekend_spread", "night_spread", "late_spread"))
    model, x = _model(instance, weighted=weighted)
    began = time.perf_counter()
    start, work = greedy_start(instance, seed, deterministic_time / 4, time_limit_seconds)
    if start is not None:  # CP-SAT starts from a feasible roster
        for a, rows in enumerate(x):
            for d, row in enumerate(rows):
                for t, var in enumerate(row):
                    model.add_hint(var, int(start[a, d] == t))
    status, assignment, objective, bound, det, _ = _run(
        model, x, instance, seed=seed,
        deterministic_time=max(deterministic_time - work, 0.1 * deterministic_time),
        time_limit_seconds=max(time_limit_seconds - (time.perf_counter() - began), 1.0),
        progress=progress)
    if assignment is None and start is not None and status == "unknown":
        # CP-SAT ran out before it took the hint: the greedy start is the roster, and
        # 0 a bound (every penalty is >= 0)
        from ccsim._roster.result import penalties

        cost = float(penalties(instance, start)["cost"].sum())
        return Solution(start, "feasible", cost, 0.0, det + work, time.perf_counter() - began)
    if assignment is None:
        return status
    return Solution(assignment, status, objective, bound, det + work,
                    time.perf_counter() - began)


def _progress_callback(progress: Callable):
    """A CP-SAT solution callback passing (objective, bound, seconds) to ``progress``.

    An exception raised by ``progress`` stops the search and is raised again after it.
    """
    from ortools.sat.python import cp_model

    class Progress(cp_model.CpSolverSolutionCallback):
        def __init__(self) -> None:
            super().__init__()
            self.error: BaseException | None = None

        def on_solution_callback(self) -> None:
            if self.error is not None:
                return
            try:
                objective = float(round(self.objective_value))
                bound = min(objective, float(np.ceil(self.best_objective_bound - 1e-6)))
                progress(objective, bound, float(self.wall_time))
            except BaseException as error:  # noqa: BLE001 - raised again after the search
                self.error = error
                self.stop_search()

    return Progress()


def worked(instance: Instance, a: int, x, day: int):
    """1/0 or the expression "agent ``a`` works on ``day``" (a day < 0: the history's)."""
    if day >= 0:
        return cp_model_sum(x[day])
    history = instance.history[a] if instance.history else ()
    return int(history[len(history) + day] >= 0) if -len(history) <= day else None


def _weighted_terms(model, instance: Instance, x, flags) -> list:
    """The objective terms of :class:`RosterWeights`: split weekends and fairness spreads."""
    from ccsim._roster.result import shift_kinds

    weights, terms = instance.weights, []
    if weights.split_weekend > 0:
        for a in range(len(instance.agents)):
            for saturday in split_weekend_days(instance, a):
                first = worked(instance, a, x[a], saturday)
                second = worked(instance, a, x[a], saturday + 1)
                split = model.new_bool_var(f"split_{a}_{saturday}")
                model.add(split >= first - second)
                model.add(split >= second - first)
                terms.append(weights.split_weekend * split)
    kinds = shift_kinds(instance.shifts)
    measures = {"weekend_spread": lambda a: sum(flags[a]),
                "night_spread": lambda a: sum(x[a][d][t] for d in range(instance.days)
                                              for t in range(len(instance.shifts))
                                              if kinds[t] == "night"),
                "late_spread": lambda a: sum(x[a][d][t] for d in range(instance.days)
                                             for t in range(len(instance.shifts))
                                             if kinds[t] == "late")}
    for name, count in measures.items():
        weight = getattr(weights, name)
        if weight == 0:
            continue
        for members in contract_groups(instance).values():
            if len(members) < 2:
                continue
            values = []
            for a in members:
                value = model.new_int_var(0, instance.days, f"{name}_{a}")
                model.add(value == count(a))
                values.append(value)
            most = model.new_int_var(0, instance.days, f"{name}_most")
            fewest = model.new_int_var(0, instance.days, f"{name}_fewest")
            model.add_max_equality(most, values)
            model.add_min_equality(fewest, values)
            terms.append(weight * (most - fewest))
    return terms


def split_weekend_days(instance: Instance, a: int) -> list[int]:
    """The Saturdays (offsets, maybe < 0) of agent ``a``'s weekends with both days known."""
    known = len(instance.history[a]) if instance.history else 0
    out = []
    for weekend in instance.weekends:
        saturday = weekend[0] - ((instance.start + _day(weekend[0])).weekday() - 5)
        if -known <= saturday and saturday + 1 < instance.days:
            out.append(saturday)
    return out


def contract_groups(instance: Instance) -> dict[str, list[int]]:
    """The agents of each contract label, in order of first appearance."""
    groups: dict[str, list[int]] = {}
    for a, agent in enumerate(instance.agents):
        groups.setdefault(agent.contract, []).append(a)
    return groups


def _agent_core(instance: Instance, a: int, seed: int, time_limit_seconds: float):
    """A minimal set of agent ``a``'s rule groups that cannot all hold, or None."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    literals: dict[str, object] = {}

    def enforce(group: str) -> list:
        if group not in literals:
            literals[group] = model.new_bool_var(group)
        return [literals[group]]

    _agent_rules(model, instance, a, _variables(model, instance, a), enforce)

    def infeasible(groups) -> list[str] | None:
        model.clear_assumptions()
        model.add_assumptions([literals[g] for g in groups])
        solver = _solver(seed, EXPLAIN_DETERMINISTIC_TIME, time_limit_seconds, 1)
        if solver.status_name(solver.solve(model)) != "INFEASIBLE":
            return None
        core = {literals_index[i] for i in solver.sufficient_assumptions_for_infeasibility()}
        return [g for g in groups if g in core] or list(groups)

    ordered = [g for g in GROUPS if g in literals]
    literals_index = {literals[g].index: g for g in ordered}
    core = infeasible(ordered)
    if core is None:
        return None
    for group in list(core):  # deletion: drop every group not needed for the conflict
        if len(core) > 1:
            rest = [g for g in core if g != group]
            smaller = infeasible(rest)
            if smaller is not None:
                core = smaller
    return core


def _describe(instance: Instance, a: int, group: str) -> str:
    agent = instance.agents[a]
    if group == "days_off":
        return f"days_off on days {_days_text(sorted(instance.leave[a]))}"
    if group == "skills":
        barred = [s.name for s in instance.shifts
                  if s.skill is not None and s.skill not in (agent.skills or ())]
        return f"skills={list(agent.skills or ())!r} (barred from shifts {barred!r})"
    if group == "not_followed_by":
        names = [s.name for s in instance.shifts]
        pairs = ", ".join(f"{names[t]}->{names[u]}" + ("" if gap == 1 else f" ({gap} days on)")
                          for t, u, gap in instance.forbidden)
        return f"not_followed_by / min_rest_hours (forbidden: {pairs})"
    if group == "max_shifts":
        return f"max_shifts={dict(agent.max_shifts)!r}"
    if group == "max_weekends":
        return (f"max_weekends={agent.max_weekends} (weekends on days "
                f"{'; '.join(_days_text(w) for w in instance.weekends)})")
    value = getattr(agent, group)
    return f"{group}={value:g}" if isinstance(value, float) else f"{group}={value}"


def _history_text(instance: Instance, a: int) -> str:
    names = [shift.name for shift in instance.shifts]
    return " ".join(names[t] if t >= 0 else "-" for t in instance.history[a])


def explain(instance: Instance, *, seed: int, time_limit_seconds: float) -> list[str]:
    """One reason per agent whose own hard rules cannot all hold."""
    reasons = []
    for a, agent in enumerate(instance.agents):
        core = _agent_core(instance, a, seed, time_limit_seconds)
        if core:
            rules = "; ".join(_describe(instance, a, group) for group in core)
            known = len(instance.history[a]) if instance.history else 0
            after = (f" after the previous roster's last {known} day(s) "
                     f"({_history_text(instance, a)})" if known else "")
            reasons.append(f"agent {agent.name!r} over days 0-{instance.days - 1}{after}: "
                           f"these rules cannot all hold: {rules}")
    return reasons


def unsolved(status: str, instance: Instance, *, deterministic_time: float,
             time_limit_seconds: float) -> CCSimError:
    return CCSimError(
        f"build_roster: CP-SAT found no roster (status {status!r}) within "
        f"deterministic_limit={deterministic_time:g} or time_limit_seconds="
        f"{time_limit_seconds:g}, and no agent's rules conflict on their own; raise "
        f"deterministic_limit= (and time_limit_seconds=)")
