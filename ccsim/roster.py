"""The monthly roster: which named agent works which shift on which day.

:func:`build_roster` assigns shifts (:class:`RosterShift`) to named agents
(:class:`Agent`) over a horizon of days so that every agent's labour rules hold (hard
rules), and the weighted sum of the soft rules' penalties is least: agents missing from
or above the cover table's ``required`` per day and shift (and skill), and refused
:class:`ShiftRequest` s. The model is an integer programme solved by OR-Tools CP-SAT
(imported only when :func:`build_roster` runs).

**Hard rules**, per agent: at most one shift a day; no shift on ``days_off``; a shift
followed on the next day by one of its ``not_followed_by``, or by a shift that starts
less than ``min_rest_hours`` after it ends (also two days on, for shifts longer than a
day), is forbidden; at most ``max_shifts[t]`` shifts of type ``t``; total minutes within
[``min_minutes``, ``max_minutes``]; at most ``max_consecutive_shifts`` working days in a
row; runs of working days at least ``min_consecutive_shifts`` long and runs of days off
(leave included) at least ``min_consecutive_days_off`` long, except runs touching the
horizon's first or last day; at most ``max_weekends`` weekends (Saturday + Sunday of the
calendar of ``start``; a weekend cut by the horizon counts) with any work; paid minutes
per calendar week within [``min_minutes_per_week``, ``max_minutes_per_week``]. With
``previous=`` (the previous roster's last days) rest, runs, weekends and weekly minutes
continue across the start: only runs touching the first *known* day are exempt.

**Soft rules** (the objective): per cover row, ``under_weight`` per agent missing from
``required`` and ``over_weight`` per agent above it (with a ``skill`` column, only the
agents with that skill count); each refused request its ``weight``; and, by
:class:`RosterWeights`, each weekend worked on one day only (weekends off in pairs) and
the fairness spreads (most minus fewest weekends, nights and late shifts among the
agents of one contract). Days and shifts
that the cover does not list have no requirement and cost nothing. Weights are whole
numbers (CP-SAT's objective is integer).

**Reproducible.** CP-SAT runs with ``random_seed=seed``, two workers interleaved
deterministically (``interleave_search``), and stops after ``deterministic_limit``
deterministic seconds (by default ``1 + agents x days x shifts / 500``), a measure of
work that does not depend on the machine's load; ``time_limit_seconds`` is a wall-clock
safety cap that shapes the roster only when it binds. So the same input and seed give
the same roster on every run.

**Infeasible rosters get reasons.** As every hard rule is one agent's, the roster is
infeasible exactly when one agent's rules conflict. Direct checks come first (an
agent's ``min_minutes`` that cannot fit into the days left after leave); when CP-SAT
proves infeasibility, each agent's rules are solved alone with one assumption literal
per rule group, and CP-SAT's sufficient assumptions, reduced by deletion, name a
minimal set of conflicting rules. :class:`RosterInfeasible` gives them per agent.

:func:`roster_from_plan` rosters agents against a :class:`ccsim.shifts.ShiftPlan` (its
counts per day and template as the cover) and hands out the plan's break slots to them;
:meth:`Roster.plot` draws the roster as a grid coloured by shift.

At the terminal, ``ccsim roster`` rosters the bank example's agents against its shift
plan and writes ``roster.xlsx`` and ``roster.csv``.

References
----------
.. [1] Laurent Perron and Frédéric Didier, "CP-SAT", OR-Tools,
   https://developers.google.com/optimization/cp/ (version 9.15).
.. [2] E. K. Burke, P. De Causmaecker, G. Vanden Berghe and H. Van Landeghem, "The
   state of the art of nurse rostering", Journal of Scheduling 7, 441-499, 2004,
   doi:10.1023/B:JOSH.0000046076.75950.0b
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ccsim._roster import from_plan as _from_plan
from ccsim._roster import model as _model
from ccsim._roster import plot as _plot
from ccsim._roster import result as _result
from ccsim._roster.inputs import check_directly, resolve
from ccsim._roster.rules import (
    Agent,
    RosterInfeasible,
    RosterShift,
    RosterWarning,
    RosterWeights,
    ShiftRequest,
    _weight,
)
from ccsim._validation import CCSimError, CCSimInputError, _show, check_real

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from ccsim.shifts import ShiftPlan

__all__ = ["Agent", "Roster", "RosterInfeasible", "RosterShift", "RosterWarning",
           "RosterWeights", "ShiftRequest", "build_roster", "roster_from_plan"]

for _cls in (Agent, RosterShift, ShiftRequest, RosterInfeasible, RosterWarning, RosterWeights):
    _cls.__module__ = __name__


@dataclass(frozen=True, repr=False)
class Roster:
    """A roster and its quality.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per agent (index = names, in the given order), one column per day (0-based
        offsets from ``start``); the shift's name, or ``""`` for a day off.
    objective : float
        Weighted sum of the soft rules' penalties (the sum of ``penalties.cost``).
    bound : float
        Best proven lower bound on the objective (equal to it when ``status="optimal"``).
    status : str
        ``"optimal"`` or ``"feasible"`` (stopped by the deterministic limit or the time cap
        with a roster; an infeasible roster raises :class:`RosterInfeasible`).
    penalties : pandas.DataFrame
        One row per violated soft rule: ``kind`` (``"under"``, ``"over"``, ``"request_on"``
        a wanted shift refused, ``"request_off"`` an unwanted shift given,
        ``"split_weekend"`` work on one day of a weekend, ``"weekend_spread"``,
        ``"night_spread"``, ``"late_spread"`` a contract's fairness spread), ``agent``
        (``""`` for cover and spread rows), ``day`` (nullable; the Saturday for a split
        weekend, < 0 when it was in the previous roster; missing for spreads), ``shift``
        (``""`` for a request of any shift; ``"contract 'label'"`` for spreads), a
        ``skill`` column when the cover has one, ``amount`` (agents, 1 per request or
        weekend, the spread) and ``cost``.
    hours : pandas.DataFrame
        Per agent: ``shifts``, ``minutes`` [min], ``weekends`` worked (any work inside the
        horizon), ``nights`` (shifts with at least 3 h between 23:00 and 06:00), ``lates``
        (shifts ending after 20:00 that are not nights), ``days_off`` (leave days) and
        ``contract``.
    coverage : pandas.DataFrame
        Per cover row: ``day``, ``shift``, (``skill``), ``required``, ``assigned``,
        ``under`` and ``over``.
    dates : pandas.DatetimeIndex
        The date of each day of ``table``.
    deterministic_time : float
        CP-SAT's deterministic time used [deterministic s].
    breaks : pandas.DataFrame or None
        For a roster from a shift plan (:func:`roster_from_plan`): one row per agent,
        day worked and break rule, ``agent``, ``date``, ``shift``, ``rule`` (the break's
        place in the shift, 1, 2, ...), ``break`` (e.g. ``"lunch 60 min"``), ``start``,
        ``end`` (timestamps) and ``paid``; in roster order, then by date and rule. None
        for a roster built by :func:`build_roster`.
    shifts : tuple of RosterShift
        The shift types the table names (their clock times and lengths).
    """

    table: pd.DataFrame
    objective: float
    bound: float
    status: str
    penalties: pd.DataFrame
    hours: pd.DataFrame
    coverage: pd.DataFrame
    dates: pd.DatetimeIndex
    deterministic_time: float
    breaks: pd.DataFrame | None = None
    shifts: tuple[RosterShift, ...] = ()

    @property
    def fairness(self) -> pd.DataFrame:
        """Per contract and measure (``weekends``, ``nights``, ``lates``, as in
        :attr:`hours`): ``agents``, ``fewest``, ``most``, ``spread`` (most - fewest, what
        :class:`RosterWeights` penalises) and ``mean``."""
        rows = []
        for contract, group in self.hours.groupby("contract", sort=False):
            for measure in ("weekends", "nights", "lates"):
                values = group[measure]
                rows.append({"contract": contract, "measure": measure, "agents": len(group),
                             "fewest": int(values.min()), "most": int(values.max()),
                             "spread": int(values.max() - values.min()),
                             "mean": float(values.mean())})
        return pd.DataFrame(rows, columns=["contract", "measure", "agents", "fewest", "most",
                                           "spread", "mean"])

    @property
    def gap(self) -> float:
        """Relative gap ``(objective - bound) / objective`` (0 when the objective is 0)."""
        return 0.0 if self.objective == 0 else (self.objective - self.bound) / self.objective

    def plot(self, ax: Axes | None = None) -> Axes:
        """The roster as a grid of agents x days, coloured by shift.

        One colour per shift (in the cover's order), days off white, weekends shaded
        with a light band and their day labels in bold; the shift's name is written in
        each cell when it fits (at least 4.5 pt). matplotlib is imported only here.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; by default a new figure sized to the roster.

        Returns
        -------
        matplotlib.axes.Axes
            One row per agent (top to bottom in the table's order), one column per day.

        Raises
        ------
        CCSimInputError
            ``ax`` is not a matplotlib Axes.
        """
        names = _plot.shift_order(self.table, self.coverage)
        return _plot.plot_roster(self.table, self.dates, names, ax)

    def __repr__(self) -> str:
        agents, days = self.table.shape
        counts = self.penalties.groupby("kind")["cost"].sum() if len(self.penalties) else {}
        parts = ", ".join(f"{kind} {cost:g}" for kind, cost in dict(counts).items()) or "none"
        bound = self.bound + 0.0  # no "-0"
        return (f"Roster({agents} agents x {days} days from {self.dates[0].date()}, "
                f"status={self.status!r}, objective={self.objective:g}, bound={bound:g}; "
                f"penalties: {parts})")


def build_roster(
    agents: Sequence[Agent],
    shifts: Sequence[RosterShift],
    cover: pd.DataFrame,
    days: int,
    start: Any,
    requests: Sequence[ShiftRequest] | None = None,
    *,
    time_limit_seconds: float = 60,
    seed: int = 0,
    min_rest_hours: float = 11,
    deterministic_limit: float | None = None,
    previous: pd.DataFrame | Roster | None = None,
    weights: RosterWeights | None = None,
    progress: Callable[[float, float, float], None] | None = None,
) -> Roster:
    """Roster named agents over ``days`` days from ``start`` with CP-SAT.

    Parameters
    ----------
    agents : list of Agent
        The agents, with unique names; the table's rows in this order.
    shifts : list of RosterShift
        The shift types, with unique names.
    cover : pandas.DataFrame
        Columns ``day`` (offset or date), ``shift``, ``required`` [agents],
        ``under_weight`` and ``over_weight`` (cost per agent missing / above), and
        optionally ``skill`` (only agents with that skill count; empty: all agents). One
        row per day, shift (and skill).
    days : int
        Length of the horizon [days].
    start : str or date
        The first day, e.g. ``"2027-02-01"``; weekends are its calendar's.
    requests : list of ShiftRequest, optional
        Agents' wishes (soft rules).
    time_limit_seconds : float
        Wall-clock safety cap [s]; the roster is reproducible as long as it does not bind.
    seed : int
        CP-SAT's random seed, in [0, 2**31 - 1].
    min_rest_hours : float
        Least rest between the end of one shift and the start of the next [h]; the shift
        pairs that break it are forbidden on consecutive days (default 11, the EU Working
        Time Directive's daily rest).
    deterministic_limit : float, optional
        CP-SAT's deterministic time limit [deterministic s]; default
        ``1 + len(agents) * days * len(shifts) / 500``.
    previous : pandas.DataFrame or Roster, optional
        The last days of the previous roster, so that rest between shifts, runs of working
        days and days off, weekends and weekly minutes continue across ``start``: index =
        agent names (agents not in it: unknown, runs touching the first day are exempt),
        columns = the dates of consecutive days ending the day before ``start`` (or offsets
        ``-k .. -1``), values = shift names, ``""`` or NaN for a day off. A :class:`Roster`
        gives its days before ``start``. At most the last 62 days are used.
    weights : RosterWeights, optional
        Weights of split weekends and of the fairness spreads (default: all 0).
    progress : callable, optional
        ``progress(objective, bound, elapsed_seconds)``, called from the solver's thread
        each time a better roster is found (keep it quick; an exception it raises stops
        the search and is raised again).

    Returns
    -------
    Roster

    Raises
    ------
    CCSimInputError
        An argument is invalid (the message names it, its value and what is valid).
    RosterInfeasible
        The hard rules cannot all hold; the message names the agent(s), rules and days.
    CCSimError
        CP-SAT found no roster within the limits and no agent's rules conflict alone.
    """
    time_limit = float(check_real("build_roster: time_limit_seconds", time_limit_seconds,
                                  low=0, low_inclusive=False))
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or not (
            0 <= seed < 2**31):
        raise CCSimInputError(
            f"build_roster: seed must be a whole number in [0, 2**31 - 1]; got {_show(seed)}")
    if progress is not None and not callable(progress):
        raise CCSimInputError(
            f"build_roster: progress must be a function (objective, bound, seconds) or None; "
            f"got {_show(progress)}")
    instance = resolve(agents, shifts, cover, days, start, requests, min_rest_hours,
                       previous, weights)
    if deterministic_limit is None:
        budget = _model.default_deterministic_limit(instance)
    else:
        budget = float(check_real("build_roster: deterministic_limit", deterministic_limit,
                                  low=0, low_inclusive=False))
    check_directly(instance)
    solution = _model.solve(instance, seed=int(seed), deterministic_time=budget,
                            time_limit_seconds=time_limit, progress=progress)
    if isinstance(solution, str):
        if solution in ("infeasible", "unknown"):
            reasons = _model.explain(instance, seed=int(seed), time_limit_seconds=time_limit)
            if reasons:
                raise RosterInfeasible(
                    "build_roster: no roster satisfies the hard rules: " + "; ".join(reasons),
                    reasons)
        raise _model.unsolved(solution, instance, deterministic_time=budget,
                              time_limit_seconds=time_limit)
    assignment = solution.assignment
    penalties = _result.penalties(instance, assignment)
    objective = float(penalties["cost"].sum())
    # CP-SAT's objective can exceed the roster's cost when a stopped search leaves slack
    # in an auxiliary variable; never below it (that would be a wrong model).
    if objective > solution.objective + 1e-6:
        raise CCSimError(
            f"build_roster: the roster's cost {objective:g} differs from CP-SAT's objective "
            f"{solution.objective:g}; please report this")
    return Roster(table=_result.table(instance, assignment), objective=objective,
                  bound=min(solution.bound, objective), status=solution.status,
                  penalties=penalties, hours=_result.hours(instance, assignment),
                  coverage=_result.coverage(instance, assignment), dates=instance.dates,
                  deterministic_time=solution.deterministic_time, shifts=instance.shifts)


# build_roster's own arguments, which roster_from_plan sets from the plan.
_FROM_PLAN_SET = {"agents", "shifts", "cover", "days", "start", "requests",
                  "time_limit_seconds", "seed", "min_rest_hours"}


def roster_from_plan(
    plan: ShiftPlan,
    agents: Sequence[Agent],
    *,
    start: Any = None,
    under_weight: int = 100,
    over_weight: int = 1,
    requests: Sequence[ShiftRequest] | None = None,
    time_limit_seconds: float = 60,
    seed: int = 0,
    min_rest_hours: float = 11,
    **options: Any,
) -> Roster:
    """Roster named agents against a shift plan, and give each one their break slots.

    Each template of ``plan`` becomes a :class:`RosterShift` (its name, its start clock
    time, ``minutes = end - start``, breaks included); the cover has one row per day of
    the horizon and template, ``required`` the plan's agents starting that template that
    day (0 where the plan does not work it, so that extra agents there cost
    ``over_weight``). The horizon runs from ``start`` to the plan's last date. Then
    :func:`build_roster` rosters ``agents``, and the plan's break slots are handed out:
    for each day, template and break rule, the slots in time order, each repeated by its
    agents in the plan, go to the agents rostered on that shift that day in the roster's
    order. When the roster covers the plan exactly, every rostered agent gets exactly one
    slot per break rule and each slot has the plan's agents.

    When the roster has a different number of agents on a shift than the plan:

    * more agents (over-cover): each agent beyond the plan's count also takes one slot
      per rule, the slot of that day with the most agents (ties: the earliest); on a day
      the plan does not work the template, the template's slot most used over the whole
      plan (same offset from the shift's start; ties: the earliest). So every rostered
      agent still has one slot per break rule, inside the template's window.
    * fewer agents (under-cover): the slots left over (the latest in time) stay
      unassigned: that break slot has fewer agents than the plan.

    Parameters
    ----------
    plan : ccsim.shifts.ShiftPlan
        From :func:`ccsim.shifts.schedule_shifts` or
        :func:`ccsim.shifts.schedule_for_service_level`. In a plan of several groups each
        group's template is its own shift type, named ``"template [group]"`` with
        ``skill=group``: only agents with that skill (in ``Agent.skills``, or
        ``skills=None``: every group) may work it.
    agents : list of Agent
        The agents, with unique names (see :func:`build_roster`).
    start : str or date, optional
        First day of the roster, no later than the plan's first date (earlier: the days
        before the plan have no requirement); default the plan's first date. Offsets in
        ``Agent.days_off`` and ``requests`` count from it.
    under_weight, over_weight : int
        Cost per agent missing from / above the plan's count per day and template,
        whole numbers >= 0.
    requests : list of ShiftRequest, optional
        Agents' wishes, shift names being the plan's template names.
    time_limit_seconds, seed, min_rest_hours
        As in :func:`build_roster`.
    **options
        Further keyword arguments of :func:`build_roster` (e.g. ``deterministic_limit``).

    Returns
    -------
    Roster
        With :attr:`Roster.breaks`: one row per agent, day worked and break rule
        (``agent``, ``date``, ``shift``, ``rule``, ``break``, ``start``, ``end``,
        ``paid``); empty when the plan has no breaks.

    Raises
    ------
    CCSimInputError
        An argument is invalid (the message names it, its value and what is valid).
    RosterInfeasible, CCSimError
        As :func:`build_roster`.

    Examples
    --------
    >>> from ccsim.shifts import BreakRule, ShiftTemplate, schedule_shifts
    >>> need = pd.Series([0] * 8 + [2, 2, 2, 1, 1, 2, 2, 2, 2] + [0] * 7,
    ...                  index=pd.date_range("2027-02-01", periods=24, freq="60min"))
    >>> lunch = BreakRule(60, earliest_after_minutes=180, latest_after_minutes=240)
    >>> plan = schedule_shifts(need, [ShiftTemplate("D", "08:00", 9, breaks=[lunch])])
    >>> roster = roster_from_plan(plan, [Agent("Ana"), Agent("Ben"), Agent("Cy")])
    >>> roster.table[0].tolist(), roster.objective
    (['', 'D', 'D'], 0.0)
    >>> roster.breaks[["agent", "start"]].astype(str).values.tolist()
    [['Ben', '2027-02-01 11:00:00'], ['Cy', '2027-02-01 12:00:00']]
    """
    unknown = sorted(set(options) - (
        set(inspect.signature(build_roster).parameters) - _FROM_PLAN_SET))
    if unknown:
        valid = sorted(set(inspect.signature(build_roster).parameters) - _FROM_PLAN_SET)
        raise CCSimInputError(
            f"roster_from_plan: unknown or fixed option(s) {unknown!r} (shifts, cover and "
            f"days come from the plan); valid options: {valid!r}")
    weights = {"under_weight": _weight("roster_from_plan: under_weight", under_weight),
               "over_weight": _weight("roster_from_plan: over_weight", over_weight)}
    made = _from_plan.plan_cover(plan, start)
    cover = made.cover.assign(**weights)
    roster = build_roster(agents, made.shifts, cover, made.days, made.start, requests,
                          time_limit_seconds=time_limit_seconds, seed=seed,
                          min_rest_hours=min_rest_hours, **options)
    breaks = _from_plan.assign_breaks(plan, roster.table, roster.dates, made.shifts)
    return dataclasses.replace(roster, breaks=breaks)
