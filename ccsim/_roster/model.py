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
EXPLAIN_DETERMINISTIC_TIME = 10.0  # per agent and question; one agent's model is small
GROUPS = ("days_off", "not_followed_by", "max_shifts", "min_minutes", "max_minutes",
          "max_consecutive_shifts", "min_consecutive_shifts", "min_consecutive_days_off",
          "max_weekends")

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


def _agent_rules(model, instance: Instance, a: int, x, enforce: Callable[[str], list]) -> None:
    """Add agent ``a``'s hard rules; ``enforce(group)`` gives the group's literals."""
    from ortools.sat.python import cp_model

    agent, days, shifts = instance.agents[a], instance.days, instance.shifts
    work = [cp_model.LinearExpr.sum(x[d]) for d in range(days)]
    for d in range(days):
        model.add_at_most_one(x[d])
    for d in sorted(instance.leave[a]):
        model.add(work[d] == 0).only_enforce_if(enforce("days_off"))
    for t, u, gap in instance.forbidden:
        for d in range(days - gap):
            model.add(x[d][t] + x[d + gap][u] <= 1).only_enforce_if(enforce("not_followed_by"))
    for name, most in agent.max_shifts.items():
        t = next(i for i, shift in enumerate(shifts) if shift.name == name)
        model.add(sum(x[d][t] for d in range(days)) <= most).only_enforce_if(
            enforce("max_shifts"))
    seconds = [round(shift.minutes * 60) for shift in shifts]
    total = cp_model.LinearExpr.weighted_sum(
        [x[d][t] for d in range(days) for t in range(len(shifts))],
        [seconds[t] for _ in range(days) for t in range(len(shifts))])
    if agent.min_minutes > 0:
        model.add(total >= int(np.ceil(agent.min_minutes * 60 - 1e-6))).only_enforce_if(
            enforce("min_minutes"))
    if agent.max_minutes is not None:
        model.add(total <= int(np.floor(agent.max_minutes * 60 + 1e-6))).only_enforce_if(
            enforce("max_minutes"))
    most = agent.max_consecutive_shifts
    if most is not None:
        for d in range(days - most):
            model.add(sum(work[d:d + most + 1]) <= most).only_enforce_if(
                enforce("max_consecutive_shifts"))
    # A run that starts on day d >= 1 (not touching the first day) lasts at least k days
    # or reaches the last day; runs touching either end are exempt.
    for d in range(1, days):
        for j in range(1, agent.min_consecutive_shifts):
            if d + j < days:
                model.add(work[d + j] >= work[d] - work[d - 1]).only_enforce_if(
                    enforce("min_consecutive_shifts"))
        for j in range(1, agent.min_consecutive_days_off):
            if d + j < days:
                model.add(work[d + j] + work[d - 1] - work[d] <= 1).only_enforce_if(
                    enforce("min_consecutive_days_off"))
    if agent.max_weekends is not None and instance.weekends:
        worked = [model.new_bool_var(f"weekend_{a}_{w}") for w in range(len(instance.weekends))]
        for flag, weekend in zip(worked, instance.weekends, strict=True):
            for d in weekend:
                model.add(flag >= work[d])
        model.add(sum(worked) <= agent.max_weekends).only_enforce_if(enforce("max_weekends"))


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


def solve(instance: Instance, *, seed: int, deterministic_time: float,
          time_limit_seconds: float) -> Solution | str:
    """Solve the roster; return a :class:`Solution`, or the status name when none."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = [_variables(model, instance, a) for a in range(len(instance.agents))]
    for a in range(len(instance.agents)):
        _agent_rules(model, instance, a, x[a], lambda group: [])
    terms, constant = [], 0
    for row, eligible in zip(instance.cover.itertuples(index=False), instance.eligible,
                             strict=True):
        assigned = sum(x[a][row.day][row.shift_index] for a in eligible)
        if row.under_weight > 0 and row.required > 0:
            under = model.new_int_var(0, row.required, "under")
            model.add(under >= row.required - assigned)
            terms.append(row.under_weight * under)
        if row.over_weight > 0 and len(eligible) > row.required:
            over = model.new_int_var(0, len(eligible) - row.required, "over")
            model.add(over >= assigned - row.required)
            terms.append(row.over_weight * over)
    for a, day, t, wanted, weight in instance.requests:
        given = sum(x[a][day]) if t is None else x[a][day][t]
        if wanted:
            constant += weight
            terms.append(-weight * given)
        else:
            terms.append(weight * given)
    model.minimize(sum(terms) + constant)
    solver = _solver(seed, deterministic_time, time_limit_seconds, NUM_WORKERS)
    status = _STATUS.get(solver.status_name(solver.solve(model)), "unknown")
    if status not in ("optimal", "feasible"):
        return status
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
    return Solution(assignment, status, objective, bound, float(solver.deterministic_time),
                    float(solver.wall_time))


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


def explain(instance: Instance, *, seed: int, time_limit_seconds: float) -> list[str]:
    """One reason per agent whose own hard rules cannot all hold."""
    reasons = []
    for a, agent in enumerate(instance.agents):
        core = _agent_core(instance, a, seed, time_limit_seconds)
        if core:
            rules = "; ".join(_describe(instance, a, group) for group in core)
            reasons.append(f"agent {agent.name!r} over days 0-{instance.days - 1}: "
                           f"these rules cannot all hold: {rules}")
    return reasons


def unsolved(status: str, instance: Instance, *, deterministic_time: float,
             time_limit_seconds: float) -> CCSimError:
    return CCSimError(
        f"build_roster: CP-SAT found no roster (status {status!r}) within "
        f"deterministic_limit={deterministic_time:g} or time_limit_seconds="
        f"{time_limit_seconds:g}, and no agent's rules conflict on their own; raise "
        f"deterministic_limit= (and time_limit_seconds=)")
