"""Planning by simulation: staffing that meets the target when the floor is simulated.

:func:`staff_by_simulation` finds agents per interval (and per group) for a
:class:`ccsim.simulation.Scenario` such that every interval (or every day) meets its
:class:`Target` in simulation, at least cost. Per-interval Erlang staffing (SIPP)
misses in a known way: when the load falls, calls carried over from the busier
interval meet fewer agents; with abandonment and several skill groups no formula
applies at all. The simulation judges each candidate staffing, and a local search
raises where the target is missed and lowers where it is met with room.

**Statistical guarantee.** Every evaluation simulates the same ``replications`` with
the same ``seed`` (common random numbers), so staffings are compared on the same
callers and the search does not chase noise. An interval (or day) is met when the
one-sided lower ``confidence`` bound of its service level (Student t across the
replications, delta method for the ratio answered within T / offered) is at least the
target: per interval, the true expected service level is below the target with
probability at most ``1 - confidence`` (given the staffing; intervals are not
corrected for multiplicity). With ``confidence=None`` the search solves the
*sample-average* problem, which converges to the true one as ``replications`` grows
(Atlason, Epelman and Henderson [1]_). The search stops when every unit is met and no
single agent-interval can be removed (each removal tried alone, on the same callers).

:func:`scenario_from_plan` turns a shift plan or a roster into the scenario that
simulates it as it will be worked (each agent's shift and breaks).

:func:`plan` closes the loop: staffing by simulation, a shift plan against it (per
group), the plan simulated as it will be worked, the requirement raised where it still
misses, and (with agents) the roster, itself simulated.

Not done yet (issue 13): the center file.

References
----------
.. [1] J. Atlason, M. A. Epelman and S. G. Henderson, "Call center staffing with
   simulation and cutting plane methods", Annals of Operations Research 127, 333-358,
   2004, doi:10.1023/B:ANOR.0000019095.91642.bb
.. [2] Z. Feldman, A. Mandelbaum, W. A. Massey and W. Whitt, "Staffing of time-varying
   queues to achieve time-stable performance", Management Science 54(2), 324-338,
   2008, doi:10.1287/mnsc.1070.0821
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ccsim._planning import handoff as _handoff
from ccsim._planning import loop as _loop
from ccsim._planning import targets as _targets
from ccsim._planning.evaluate import Evaluator
from ccsim._planning.search import Search, covering_groups
from ccsim._planning.targets import Target
from ccsim._validation import CCSimInputError, _show, check_real

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["PlanResult", "StaffingResult", "Target", "plan", "scenario_from_plan",
           "staff_by_simulation"]

Target.__module__ = __name__

#: Most simulations one search may run by default.
MAX_SIMULATIONS = 2000
#: Largest judged intervals x groups polished by default (one simulation per
#: agent-interval tried: beyond this, batches only, status "met, not minimal").
MAX_POLISHED = 400


@dataclass(frozen=True, repr=False)
class StaffingResult:
    """Agents per interval and group that meet the target in simulation.

    Attributes
    ----------
    agents : pandas.DataFrame
        Index: the scenario's interval starts (timestamps with a ``start``, else hours
        since hour 0); one integer column per group.
    evaluation : pandas.DataFrame
        Per interval and call type, from the final staffing's simulation: ``offered``
        (mean calls per replication), ``service_level`` and ``service_level_ci`` (95 %
        half-width), ``p_abandon`` and ``p_abandon_ci``, ``target`` and ``met`` (None for
        intervals not judged: the warm-up). With ``per="day"`` ``met`` is the day's.
    iterations : pandas.DataFrame
        One row per staffing kept by the search: ``phase`` (start, raise, lower,
        polish), ``agent_intervals``, ``cost``, ``units_short`` (intervals or days
        missing the target), ``simulations`` so far and ``seconds``.
    status : str
        ``"met"`` (every judged interval or day meets the target, no single
        agent-interval can be removed and, with several groups, no agent swapped for a
        cheaper group's), ``"met, not minimal"`` (the budget of simulations
        ran out while removing agents) or ``"short"`` (it ran out before the target was
        met: raise ``max_simulations``).
    simulation : ccsim.simulation.SimulationResult
        The final staffing's simulation.
    """

    agents: pd.DataFrame
    evaluation: pd.DataFrame
    iterations: pd.DataFrame
    status: str
    simulation: Any

    @property
    def cost(self) -> float:
        """The final staffing's cost (the last row of :attr:`iterations`)."""
        return float(self.iterations["cost"].iloc[-1])

    def plot(self, ax: Axes | None = None) -> Axes:
        """Agents per interval (stacked by group) and the simulated service level."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(10, 4))
        x = np.arange(len(self.agents))
        bottom = np.zeros(len(self.agents))
        for column in self.agents.columns:
            ax.bar(x, self.agents[column], bottom=bottom, width=1.0, label=str(column),
                   alpha=0.6)
            bottom += self.agents[column].to_numpy()
        ax.set_xlabel("interval")
        ax.set_ylabel("agents")
        right = ax.twinx()
        for name, rows in self.evaluation.groupby("call_type", sort=False):
            right.plot(rows["interval"], rows["service_level"], marker=".", label=f"SL {name}")
            right.plot(rows["interval"], rows["target"], linestyle="--", color="grey")
        right.set_ylim(0, 1.05)
        right.set_ylabel("simulated service level")
        ax.legend(loc="upper left")
        right.legend(loc="upper right")
        return ax

    def __repr__(self) -> str:
        judged = self.evaluation.dropna(subset=["met"])
        return (f"StaffingResult(status={self.status!r}, {len(self.agents)} intervals x "
                f"{self.agents.shape[1]} groups, agent-intervals="
                f"{int(self.agents.to_numpy().sum())}, cost={self.cost:g}, "
                f"met {int(judged['met'].astype(bool).sum())}/{len(judged)} interval-types, "
                f"simulations={int(self.iterations['simulations'].iloc[-1])})")


def _serves(scenario: Any) -> np.ndarray:
    """(call types, groups): whether the group has the call type's skill."""
    return np.array([[t.name in g.skills for g in scenario.groups]
                     for t in scenario.call_types])


def _starting_staffing(where: str, scenario: Any) -> np.ndarray:
    columns = []
    for group in scenario.groups:
        counts = scenario.agent_counts(group)
        if counts is None:
            raise CCSimInputError(
                f"{where}: group {group.name!r} is staffed by shifts; give every group "
                f"`agents` (a number or counts per interval) as the starting staffing")
        columns.append(np.asarray(counts, dtype=np.int64))
    return np.stack(columns, axis=1)


def staff_by_simulation(
    scenario: Any,
    target: Target | Mapping[str, Target],
    costs: Mapping[str, float] | None = None,
    per: str = "interval",
    replications: int = 20,
    seed: int = 0,
    executor: Any = None,
    *,
    confidence: float | None = 0.95,
    max_simulations: int = MAX_SIMULATIONS,
    polish: bool | None = None,
    progress: Callable[[str], None] | None = None,
) -> StaffingResult:
    """Agents per interval and group meeting ``target`` in simulation at least cost.

    Parameters
    ----------
    scenario : ccsim.simulation.Scenario
        The floor: call types, groups (their ``agents``, a number or counts per interval,
        are the starting staffing, e.g. the Erlang requirement), routing, patience.
        Staffing is constant within an interval; agents finish the call in hand when it
        drops. The scenario's ``warmup_hours`` are simulated but not judged; a scenario
        of one interval is stationary staffing judged after the warm-up.
    target : Target or dict of str to Target
        One target for every call type, or one per call type. Intervals are judged by
        the calls that arrive in them.
    costs : dict of str to float, optional
        Cost per agent-interval of each group (default 1 each); the search minimises
        the total.
    per : {"interval", "day"}
        ``"interval"``: every interval meets the target; ``"day"``: each day's calls
        (calendar days of the scenario's ``start``, else 24-hour blocks) meet it, trading
        intervals within the day.
    replications : int
        Simulated replications per evaluation, all with ``seed`` (common random
        numbers); more give a tighter sample-average problem.
    seed : int
        The simulations' seed.
    executor : optional
        Where the replications run (see :func:`ccsim.simulation.simulate`).
    confidence : float or None
        A unit (interval or day) meets the target when the one-sided lower confidence
        bound of its service level at this level (Student t over the replications,
        delta method) is at least the target, and the upper bound of its abandonment
        rate at most ``max_abandon_rate`` (default 0.95). None: the estimate itself (the
        sample-average rule; cheaper staffing, no confidence statement).
    max_simulations : int
        The budget: the most staffings simulated (default 2000).
    polish : bool or None
        Try every remaining agent-interval alone (and, with several groups, swaps)
        after the batches: one simulation each. None (default): when judged intervals
        x groups <= 400 (a few days of half-hours); else the status is
        ``"met, not minimal"``.
    progress : callable, optional
        Called with one line of text per staffing kept.

    Returns
    -------
    StaffingResult

    Raises
    ------
    CCSimInputError
        An argument is invalid (the message names it, its value and what is valid).

    Examples
    --------
    >>> from ccsim.simulation import AgentGroup, CallType, Scenario
    >>> scenario = Scenario([CallType("retail", arrivals_per_hour=[60, 120, 60, 30],
    ...                               aht_seconds=180, patience_seconds=300)],
    ...                     [AgentGroup("team", skills=["retail"], agents=4)],
    ...                     horizon_hours=2, interval_minutes=30)
    >>> result = staff_by_simulation(scenario, Target(0.8, 20), replications=10)
    >>> result.status, result.agents["team"].tolist()
    ('met', [5, 9, 6, 4])
    """
    from ccsim.simulation import Scenario

    where = "staff_by_simulation"
    if not isinstance(scenario, Scenario):
        raise CCSimInputError(
            f"{where}: scenario must be a ccsim.simulation.Scenario; got {_show(scenario)}")
    targets = _targets.resolve(where, scenario, target)
    names = [g.name for g in scenario.groups]
    if costs is None:
        cost = np.ones(len(names))
    elif isinstance(costs, Mapping):
        unknown = sorted(set(costs) - set(names))
        if unknown:
            raise CCSimInputError(
                f"{where}: costs names {unknown!r}, not groups; valid: {names!r}")
        cost = np.array([float(check_real(f"{where}: costs[{n!r}]", costs.get(n, 1.0),
                                          low=0, low_inclusive=False, high=1e12))
                         for n in names])
    else:
        raise CCSimInputError(
            f"{where}: costs must be a dict of group name to cost per agent-interval, or "
            f"None; got {_show(costs)}")
    if per not in ("interval", "day"):
        raise CCSimInputError(f"{where}: per must be 'interval' or 'day'; got {_show(per)}")
    for name, value, low, high in (("replications", replications, 1, 10_000),
                                   ("max_simulations", max_simulations, 1, 1_000_000)):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
                or not low <= value <= high:
            raise CCSimInputError(
                f"{where}: {name} must be a whole number in [{low}, {high}]; got {_show(value)}")
    if confidence is not None:
        confidence = float(check_real(f"{where}: confidence", confidence, low=0.5, high=1,
                                      high_inclusive=False))
    if polish is not None and not isinstance(polish, (bool, np.bool_)):
        raise CCSimInputError(f"{where}: polish must be True, False or None; got "
                              f"{_show(polish)}")
    if progress is not None and not callable(progress):
        raise CCSimInputError(f"{where}: progress must be a function of one str or None; "
                              f"got {_show(progress)}")
    start = _starting_staffing(where, scenario)
    measured = _targets.measuring(scenario, targets)
    evaluator = Evaluator(measured, targets, per=per, replications=int(replications),
                          seed=seed, executor=executor, confidence=confidence)
    serves = _serves(scenario)
    orphan = [t.name for t, row in zip(scenario.call_types, serves, strict=True) if not row.any()]
    if orphan:
        raise CCSimInputError(f"{where}: no group has the skill for call types {orphan!r}")
    search = Search(evaluator, cost, serves, int(max_simulations), progress)
    staffing, evaluation = search.raise_until_met(start)
    if evaluation.short.any():
        status = "short"
    else:
        staffing, evaluation = search.lower_in_batches(staffing, evaluation)
        judged = int((evaluator.units >= 0).sum()) * len(names)
        if polish is None:
            polish = judged <= MAX_POLISHED
        if polish:
            staffing, evaluation, complete = search.polish(staffing, evaluation)
        else:
            complete = False
        for _ in range(len(names) * 4 if len(names) > 1 and polish else 0):  # bounded
            if not complete:
                break
            staffing, evaluation, swapped = search.exchange(staffing, evaluation)
            if not swapped:
                break
            staffing, evaluation, complete = search.polish(staffing, evaluation)
        status = "met" if complete else "met, not minimal"
    if search.history[-1]["simulations"] != evaluator.simulations:
        search.record("final", evaluation)
    if scenario.start is not None:
        index = _loop.interval_index(scenario)
    else:
        index = pd.Index(np.arange(scenario.n_intervals) * scenario.interval_minutes / 60.0,
                         name="interval_start_hours")
    agents = pd.DataFrame(staffing.astype(np.int64), index=index, columns=names)
    table = evaluation.table.copy()
    table.insert(1, index.name, index[table["interval"].to_numpy()])
    return StaffingResult(agents=agents, evaluation=table,
                          iterations=pd.DataFrame(search.history), status=status,
                          simulation=evaluation.result)


def scenario_from_plan(
    source: Any,
    call_types: Any,
    *,
    skills: Mapping[str, Any] | None = None,
    start: Any = None,
    horizon_hours: float | None = None,
    interval_minutes: float | None = None,
    answer_within_seconds: float = 20.0,
    **options: Any,
) -> Any:
    """The :class:`ccsim.simulation.Scenario` that works a shift plan or a roster.

    Parameters
    ----------
    source : ccsim.shifts.ShiftPlan or ccsim.roster.Roster
        A plan: each day's agents per template log in at the template's start and out
        at its end; each takes the next of the plan's break slots of every break rule in
        time order, so the slots' counts are the plan's. A roster: each named agent
        works the shifts of its table, with its own breaks (:attr:`Roster.breaks`, for a
        roster made from a plan); a roster of a plan of several groups gives one group per
        shift skill (each agent's shift in the group it was rostered for).
    call_types : list of ccsim.simulation.CallType
        The calls to answer.
    skills : dict of str to list of str, optional
        The call types each group answers. Default: a plan of one group, or a roster,
        answers every call type (one group, named ``"agents"``); a plan of several
        groups named after call types answers its own.
    start : str or Timestamp, optional
        Hour 0 of the scenario; default midnight of the first day.
    horizon_hours : float, optional
        Default: whole days from ``start`` to the end of the last day.
    interval_minutes : float, optional
        As :class:`~ccsim.simulation.Scenario` (default the call types' forecast
        interval, else 30).
    answer_within_seconds : float
        The service-level threshold T [s].
    **options
        Further keyword arguments of :class:`~ccsim.simulation.Scenario` (e.g.
        ``warmup_hours``).

    Returns
    -------
    ccsim.simulation.Scenario
        Its groups are staffed by shifts (:class:`ccsim.simulation.Shift`).

    Raises
    ------
    CCSimInputError
        ``source`` is neither a plan nor a roster, or a group's skills are unknown.

    Examples
    --------
    >>> from ccsim.shifts import BreakRule, ShiftTemplate, schedule_shifts
    >>> from ccsim.simulation import CallType
    >>> need = pd.Series([0] * 8 + [2, 2, 3, 3, 3, 2, 2, 2, 2] + [0] * 7,
    ...                  index=pd.date_range("2027-02-01", periods=24, freq="60min"))
    >>> lunch = BreakRule(60, earliest_after_minutes=180, latest_after_minutes=240)
    >>> plan = schedule_shifts(need, [ShiftTemplate("D", "08:00", 9, breaks=[lunch])])
    >>> scenario = scenario_from_plan(plan, [CallType("retail", arrivals_per_hour=20,
    ...                                               aht_seconds=180)])
    >>> [(s.start_hours, s.end_hours, s.breaks, s.agents) for s in scenario.groups[0].shifts]
    [(8.0, 17.0, ((11.0, 12.0),), 3), (8.0, 17.0, ((12.0, 13.0),), 3)]
    """
    from ccsim.roster import Roster
    from ccsim.shifts import ShiftPlan
    from ccsim.simulation import AgentGroup, Scenario

    if isinstance(source, ShiftPlan):
        dates = pd.DatetimeIndex(source.counts["date"]).normalize()
    elif isinstance(source, Roster):
        dates = pd.DatetimeIndex(source.dates)
    else:
        raise CCSimInputError(
            f"scenario_from_plan: source must be a ccsim.shifts.ShiftPlan or a "
            f"ccsim.roster.Roster; got {_show(source)}")
    if isinstance(call_types, (str, bytes)) or not isinstance(call_types, (list, tuple)):
        raise CCSimInputError(
            f"scenario_from_plan: call_types must be a list of CallType; got "
            f"{_show(call_types)}")
    hour_zero = dates.min() if start is None else pd.Timestamp(start)
    if horizon_hours is None:
        horizon_hours = ((dates.max() + pd.Timedelta(days=1)) - hour_zero) / pd.Timedelta(
            hours=1)
    if isinstance(source, ShiftPlan):
        shifts = _handoff.plan_shifts(source, hour_zero)
        groups = list(shifts)
    else:
        clock = _handoff.clock_of(source, source.shifts or None)
        shifts = _handoff.roster_shifts(source, hour_zero, clock,
                                        {s.name: s.skill for s in source.shifts})
        if not shifts:  # nobody works: one empty group
            shifts = {None: []}
        groups = list(shifts)
    answers = _handoff._skills(groups, call_types, skills)
    made = [AgentGroup("agents" if g is None else str(g), skills=answers[g],
                       shifts=shifts[g]) for g in groups]
    return Scenario(list(call_types), made, horizon_hours, answer_within_seconds,
                    interval_minutes=interval_minutes, start=hour_zero, **options)


@dataclass(frozen=True, repr=False)
class PlanResult:
    """A shift plan (and roster) that meets the target when simulated as worked.

    Attributes
    ----------
    shift_plan : ccsim.shifts.ShiftPlan
        The last round's plan.
    roster : ccsim.roster.Roster or None
        The roster of the plan's shifts for the given agents (None without agents).
    staffing : StaffingResult
        The staffing by simulation the first round started from.
    simulation : ccsim.simulation.SimulationResult
        The simulation of the roster (or, without agents, of the plan) as worked.
    report : pandas.DataFrame
        Per interval and call type: ``required`` (agents by simulation, as raised by
        the rounds), ``on_phones`` (the plan's agents on shift and off break; both summed
        over the groups),
        ``offered``, ``service_level`` +- ``service_level_ci``, ``target``, ``met``.
    daily : pandas.DataFrame
        Per day and call type: ``offered`` (mean calls), ``service_level`` (answered
        within T / offered, pooled) and ``met`` (with ``per="day"``: the day's verdict;
        per interval: every interval of the day met).
    iterations : pandas.DataFrame
        One row per round: ``required_agent_intervals``, ``paid_hours``, ``units_short``,
        ``seconds``; and a last row ``"roster"`` when a roster was simulated.
    status : str
        ``"met"`` (the worked plan, and the roster, meet the target in every unit) or
        ``"short"`` (``max_rounds`` ran out, or the roster misses: see ``report``).
    """

    shift_plan: Any
    roster: Any
    staffing: StaffingResult
    simulation: Any
    report: pd.DataFrame
    daily: pd.DataFrame
    iterations: pd.DataFrame
    status: str

    def plot(self, ax: Axes | None = None) -> Axes:
        """Agents required and on the phones per interval, and the simulated service level."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(10, 4))
        first = self.report.drop_duplicates("interval")
        ax.step(first["interval_start"], first["required"], where="post", label="required")
        ax.step(first["interval_start"], first["on_phones"], where="post", label="on the phones")
        ax.set_ylabel("agents")
        right = ax.twinx()
        for name, rows in self.report.groupby("call_type", sort=False):
            right.plot(rows["interval_start"], rows["service_level"], ".", label=f"SL {name}")
        right.axhline(float(self.report["target"].min()), color="grey", linestyle="--")
        right.set_ylim(0, 1.05)
        right.set_ylabel("simulated service level")
        ax.legend(loc="upper left")
        right.legend(loc="upper right")
        return ax

    def sheets(self) -> dict[str, pd.DataFrame]:
        """The tables of :meth:`to_excel`, by sheet name."""
        frames = {"report": self.report, "daily": self.daily, "iterations": self.iterations,
                  "shifts": self.shift_plan.counts}
        if self.roster is not None:
            frames["roster"] = self.roster.table.set_axis(
                [d.strftime("%Y-%m-%d") for d in self.roster.dates], axis=1)
        return frames

    def to_excel(self, path: Any) -> None:
        """Write the sheets report, daily, iterations, shifts (and roster) to ``path``.

        ``path`` is a file name (written to a temporary file in the same folder and
        renamed, so no half-written file is left behind) or a binary file object.
        """
        import os
        import tempfile
        from pathlib import Path

        def write(out: Any) -> None:
            with pd.ExcelWriter(out, engine="openpyxl") as writer:
                for name, frame in self.sheets().items():
                    frame.to_excel(writer, sheet_name=name, index=name == "roster")

        if hasattr(path, "write"):
            write(path)
            return
        target = Path(path)
        handle, temporary = tempfile.mkstemp(suffix=".xlsx", dir=target.parent or ".")
        os.close(handle)
        try:
            write(temporary)
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)

    def __repr__(self) -> str:
        rounds = int((self.iterations["round"] != "roster").sum())
        last = self.iterations.iloc[-1]
        return (f"PlanResult(status={self.status!r}, {rounds} round(s), paid hours "
                f"{float(self.shift_plan.paid_hours):g}, units short "
                f"{int(last['units_short'])}, roster="
                f"{'none' if self.roster is None else len(self.roster.table)})")


def plan(
    scenario: Any,
    templates: Any,
    target: Target | Mapping[str, Target],
    *,
    agents: Any = None,
    costs: Mapping[str, float] | None = None,
    per: str = "interval",
    replications: int = 20,
    seed: int = 0,
    confidence: float | None = 0.95,
    max_rounds: int = 5,
    executor: Any = None,
    schedule_options: Mapping[str, Any] | None = None,
    roster_options: Mapping[str, Any] | None = None,
    max_simulations: int = MAX_SIMULATIONS,
    progress: Callable[[str], None] | None = None,
) -> PlanResult:
    """A shift plan (and roster) that meets the target when simulated as it is worked.

    1. :func:`staff_by_simulation` from the scenario's agents (e.g. the Erlang
       requirement) gives agents per interval meeting ``target`` in simulation.
    2. :func:`ccsim.shifts.schedule_shifts` plans shifts (with breaks) against it.
    3. The plan is simulated as it will be worked (:func:`scenario_from_plan`, the same
       callers); where a unit still misses (breaks and shift edges move agents), the
       requirement there is raised by one agent and the plan solved again, for at most
       ``max_rounds`` rounds.
    4. With ``agents``, :func:`ccsim.roster.roster_from_plan` rosters the plan and the
       roster is simulated as worked.

    Parameters
    ----------
    scenario : ccsim.simulation.Scenario
        With a ``start``; its groups staffed by ``agents`` (a number or counts per
        interval: the starting point). With several groups each gets its own shifts
        (one requirement column per group) and a short interval is raised in a cheap
        cover of its missing call types (the group serving the most of them per unit of
        cost, then the next for those left).
    templates : list of ccsim.shifts.ShiftTemplate
        The shifts the plan may use (e.g. :func:`ccsim.shifts.shift_catalogue`).
    target : Target or dict of str to Target
        As :func:`staff_by_simulation`.
    agents : list of ccsim.roster.Agent, optional
        Named agents to roster the final plan; with several groups an agent works the
        shifts of the groups in its ``skills`` (None: any).
    costs : dict of str to float, optional
        Cost per agent-interval of each group, as :func:`staff_by_simulation`.
    per, replications, seed, confidence, executor, max_simulations, progress
        As :func:`staff_by_simulation` (the same seed and replications judge every
        round, on the same callers).
    max_rounds : int
        Most plans solved (>= 1).
    schedule_options, roster_options : dict, optional
        Keyword arguments of :func:`ccsim.shifts.schedule_shifts` and
        :func:`ccsim.roster.roster_from_plan`.

    Returns
    -------
    PlanResult

    Raises
    ------
    CCSimInputError
        An argument is invalid, or the scenario has no start or several groups.
    """
    from ccsim.simulation import Scenario

    where = "plan"
    if not isinstance(scenario, Scenario):
        raise CCSimInputError(
            f"{where}: scenario must be a ccsim.simulation.Scenario; got {_show(scenario)}")
    if scenario.start is None:
        raise CCSimInputError(f"{where}: scenario needs a start (the plan's dates come from it)")
    if isinstance(max_rounds, (bool, np.bool_)) or not isinstance(
            max_rounds, (int, np.integer)) or not 1 <= max_rounds <= 100:
        raise CCSimInputError(
            f"{where}: max_rounds must be a whole number in [1, 100]; got {_show(max_rounds)}")
    for name, value in (("schedule_options", schedule_options),
                        ("roster_options", roster_options)):
        if value is not None and not isinstance(value, Mapping):
            raise CCSimInputError(f"{where}: {name} must be a dict or None; got {_show(value)}")
    staffing = staff_by_simulation(scenario, target, costs=costs, per=per,
                                   replications=replications, seed=seed, executor=executor,
                                   confidence=confidence, max_simulations=max_simulations,
                                   progress=progress)
    targets = _targets.resolve(where, scenario, target)
    evaluator = Evaluator(_targets.measuring(scenario, targets), targets, per=per,
                          replications=int(replications), seed=seed, executor=executor,
                          confidence=confidence)
    group = scenario.groups[0]
    price = np.array([1.0 if costs is None else float(costs.get(g.name, 1.0))
                      for g in scenario.groups])
    serves = _serves(scenario)

    shift_plan, evaluation, history = _loop.rounds(
        evaluator, scenario, staffing.agents.to_numpy(), templates,
        partial(covering_groups, serves, price), per=per,
        max_rounds=int(max_rounds), schedule_options=dict(schedule_options or {}),
        progress=progress)
    roster = None
    if agents is not None:
        from ccsim.roster import roster_from_plan

        roster = roster_from_plan(shift_plan, agents, **dict(roster_options or {}))
        skills = ({None: list(group.skills)} if len(scenario.groups) == 1 else
                  {g.name: list(g.skills) for g in scenario.groups})
        worked = scenario_from_plan(
            roster, list(evaluator.scenario.call_types), skills=skills,
            start=scenario.start, horizon_hours=scenario.horizon_hours,
            interval_minutes=scenario.interval_minutes, warmup_hours=scenario.warmup_hours,
            **{key: getattr(scenario, key) for key in ("lines", "agent_selection",
                                                        "call_selection")})
        evaluation = evaluator.worked(worked, evaluation.staffing)
        history.append({"round": "roster", "required_agent_intervals": np.nan,
                        "paid_hours": np.nan, "units_short": int(evaluation.short.sum()),
                        "seconds": np.nan})
    index = _loop.interval_index(scenario)
    report = evaluation.table.copy()
    report.insert(1, "interval_start", index[report["interval"].to_numpy()])
    required = history_requirement(shift_plan, index)
    report.insert(3, "required", required[report["interval"].to_numpy()])
    report.insert(4, "on_phones", evaluation.staffing.sum(axis=1)[report["interval"].to_numpy()])
    daily = _daily(evaluation, report, index)
    status = "short" if evaluation.short.any() else "met"
    return PlanResult(shift_plan=shift_plan, roster=roster, staffing=staffing,
                      simulation=evaluation.result, report=report, daily=daily,
                      iterations=pd.DataFrame(history), status=status)


def history_requirement(shift_plan: Any, index: pd.DatetimeIndex) -> np.ndarray:
    """The requirement the last plan was solved against, per interval."""
    coverage = shift_plan.coverage
    if isinstance(coverage.index, pd.MultiIndex):  # several groups: the sum
        coverage = coverage.groupby(level="interval_start").sum(numeric_only=True)
    return coverage["required"].reindex(index, fill_value=0.0).to_numpy()


def _daily(evaluation: Any, report: pd.DataFrame, index: pd.DatetimeIndex) -> pd.DataFrame:
    counts = evaluation.result.intervals
    frame = counts.assign(date=index[counts["interval"].to_numpy()].normalize())
    sums = frame.groupby(["date", "call_type"], observed=True)[
        ["offered", "answered_within"]].sum()
    replications = counts["replication"].nunique()
    out = pd.DataFrame({
        "offered": sums["offered"] / replications,
        "service_level": sums["answered_within"] / sums["offered"].where(sums["offered"] > 0)})
    judged = report.dropna(subset=["met"]).assign(
        date=lambda r: pd.DatetimeIndex(r["interval_start"]).normalize())
    met = judged.groupby(["date", "call_type"])["met"].all()
    out["met"] = met.reindex(out.index)
    return out.reset_index()
