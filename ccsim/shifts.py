"""Shift scheduling: how many agents start which shift, and when they take their breaks.

:func:`schedule_shifts` covers a requirement (agents needed on the phones per
interval, e.g. from :func:`ccsim.staffing.requirements`) at least cost with shifts
from a catalogue of :class:`ShiftTemplate` objects, each with its
:class:`BreakRule` breaks. It is Dantzig's set-covering integer programme with
implicit break placement (Bechtold & Jacobs; Aykin): the breaks are chosen together
with the shifts, and coverage counts only agents on the phones. The model and why
it is exact are described in :mod:`ccsim._shifts.model`; HiGHS solves it through
:func:`scipy.optimize.milp`, stopped by deterministic criteria (a MIP gap or a node
budget; the time limit is only a safety cap), so the same input gives the same plan
on any machine load; the plan reports its LP lower bound and the gap honestly
(cost >= lower bound) and, in ``solve_log``, how each day was solved.

:func:`schedule_for_service_level` schedules to a daily service-level target
("80 % of the day's calls answered within 20 s") instead of covering every
interval, with a piecewise-linear model of the calls answered in time per interval
built from :mod:`ccsim.erlang` (:mod:`ccsim._shifts.service`); it reports the paid
hours saved against interval-by-interval coverage.

Conventions:

* Shifts start on the requirement's grid, on the allowed weekdays of each template
  and on every day of the horizon, and also on the day before it, so a night shift
  that starts before the horizon and runs into it can cover its first hours. A
  shift that runs past midnight covers the next day's morning (it never wraps onto
  the morning of the day it started); one running past the end of the horizon is
  paid in full.
* Costs are per agent and shift (default: paid hours), bounds per template and day.
* A break shorter than an interval counts as a fraction of an agent in it (a
  15-minute break in a 30-minute interval: half an agent off the phones).

References
----------
.. [1] G. B. Dantzig, "A comment on Edie's 'Traffic delays at toll booths'",
   Journal of the Operations Research Society of America 2(3), 339-341, 1954,
   doi:10.1287/opre.2.3.339
.. [2] T. Aykin, "Optimal shift scheduling with multiple break windows", Management
   Science 42(4), 591-602, 1996, doi:10.1287/mnsc.42.4.591
.. [3] S. E. Bechtold and L. W. Jacobs, "Implicit modeling of flexible break
   assignments in optimal shift scheduling", Management Science 36(11), 1339-1351,
   1990, doi:10.1287/mnsc.36.11.1339
.. [4] G. Koole and E. van der Sluis, "Optimal shift scheduling with a global
   service level constraint", IIE Transactions 35(11), 1049-1055, 2003,
   doi:10.1080/07408170304394
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ccsim import erlang
from ccsim._shifts.checks import (
    MAX_AGENTS_PER_INTERVAL,
    check_model_size,
    fraction,
    options,
    scalar,
    template_list,
)
from ccsim._shifts.grid import Grid, requirement_grid
from ccsim._shifts.groups import combine, group_requirements, solve_groups
from ccsim._shifts.model import layout
from ccsim._shifts.plan import daily_level, daily_table, day_joins, plan_fields, plot_plan
from ccsim._shifts.rules import BreakRule, ShiftTemplate, shift_catalogue, standard_breaks
from ccsim._shifts.service import interpolated_share, offered_load, service_rows
from ccsim._shifts.solve import precheck, run
from ccsim._validation import CCSimInputError, check_bool, check_size, renamed

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "BreakRule",
    "ShiftPlan",
    "ShiftTemplate",
    "schedule_for_service_level",
    "schedule_shifts",
    "shift_catalogue",
    "standard_breaks",
]

COVERAGE_COLUMNS = ("required", "on_shift", "on_break", "on_phones", "over", "under")


@dataclass(frozen=True, repr=False)
class ShiftPlan:
    """A shift plan: agents per shift and break slot, and the coverage they give.

    Attributes
    ----------
    counts : pandas.DataFrame
        One row per shift worked (template and day) with agents: ``date`` (the day
        it starts), ``template``, ``start``, ``end`` (timestamps), ``agents``,
        ``paid_hours`` and ``cost`` (for all its agents).
    breaks : pandas.DataFrame
        One row per shift, break and start slot with agents: ``date``,
        ``template``, ``shift_start``, ``rule`` (the break's place in the shift, 1,
        2, ...), ``break`` (e.g. ``"lunch 60 min"``), ``paid``, ``start``, ``end`` and
        ``agents``.
    coverage : pandas.DataFrame
        Per interval (index ``interval_start``; with groups ``(interval_start,
        group)``, sorted by time, then group): ``required``, ``on_shift``,
        ``on_break`` (agents, fractional when a break is shorter than an interval),
        ``on_phones = on_shift - on_break``, ``over`` and ``under`` (against
        ``required``). A plan for a service-level target adds ``calls``,
        ``floor`` (the least agents planned) and ``service_level``.
    paid_hours : float
        Paid hours of all shifts [h].
    cost : float
        The objective: shift costs plus any under-staffing penalty.
    lower_bound : float
        A proven lower bound on the least cost (the LP relaxation, raised by
        branch and bound and by whole cost units): ``cost >= lower_bound``.
    lp_bound : float
        The LP relaxation's value, ``<= lower_bound``.
    gap : float
        ``(cost - lower_bound) / cost``: how far from optimal the plan may be.
    status : str
        ``"optimal"`` (gap 0), ``"within_gap"`` (the gap asked for was reached),
        ``"node_limit"`` (some block used its whole branch-and-bound budget first),
        ``"time_limit"`` (``time_limit_seconds`` stopped some block first: see
        ``solve_log``) or ``"feasible"`` (a 24/7 horizon split into day pieces, each
        solved, with a weaker bound for the whole).
    solve_seconds : float
        Wall time of building and solving the model [s].
    service : pandas.DataFrame or None
        For a service-level target: per day, ``calls``, ``target``,
        ``service_level`` and ``paid_hours``, and when compared,
        ``interval_plan_paid_hours``, ``interval_plan_service_level`` and
        ``hours_saved``.
    groups : pandas.DataFrame or None
        For a plan of several skill groups (see :func:`schedule_shifts`), one row
        per group (index ``group``, in the groups' order): ``shifts_worked``,
        ``paid_hours``, ``cost``, ``lower_bound``, ``gap``, ``status``,
        ``under_hours`` and ``solve_seconds``. Then ``counts``, ``breaks`` and
        ``solve_log`` have a first column ``group`` (one group after another),
        ``coverage`` a ``group`` index level; ``paid_hours``, ``cost``,
        ``lower_bound``, ``lp_bound``, ``solve_seconds`` and :attr:`shifts_worked`
        are sums over the groups,
        ``gap`` is the whole plan's and ``status`` the worst group's. None for one
        group.
    solve_log : pandas.DataFrame or None
        One row per block solved apart (a day, or a day piece of a 24/7 horizon), in
        time order: ``start`` and ``end`` (its first interval and the end of its last),
        ``cost``, ``bound`` (its own proven lower bound), ``gap``, ``status``
        (``"optimal"``, ``"within_gap"``, ``"node_limit"`` or ``"time_limit"``: which
        days stopped early), ``source`` (the step that gave its plan: ``"lp"``,
        ``"greedy"``, ``"restricted"`` or ``"full"`` MIP) and ``seconds``.
    """

    counts: pd.DataFrame
    breaks: pd.DataFrame
    coverage: pd.DataFrame
    paid_hours: float
    cost: float
    lower_bound: float
    lp_bound: float
    gap: float
    status: str
    solve_seconds: float
    service: pd.DataFrame | None = None
    groups: pd.DataFrame | None = None
    solve_log: pd.DataFrame | None = None

    @property
    def shifts_worked(self) -> int:
        """Shifts worked [shifts]: agents summed over templates and days.

        One per agent and day worked, not people: an agent on five days counts five.
        """
        return int(self.counts["agents"].sum())

    @property
    def agents(self) -> int:
        """Deprecated: the old name of :attr:`shifts_worked`."""
        warnings.warn("ShiftPlan.agents is deprecated and will be removed in the next release; "
                      "use .shifts_worked (shifts, not people)", DeprecationWarning, stacklevel=2)
        return self.shifts_worked

    @property
    def under_hours(self) -> float:
        """Agent-hours short of the requirement [h]."""
        return float(self.coverage["under"].sum() * _step_hours(self.coverage))

    def to_frame(self) -> pd.DataFrame:
        """The plan as one table: a row per shift and per break slot.

        Columns ``kind`` (``"shift"`` or ``"break"``), ``date``, ``template``,
        ``shift_start``, ``break``, ``start``, ``end``, ``agents``; a shift row has
        an empty ``break``. A plan of several groups has a first column ``group`` and
        lists one group after another.
        """
        lead = [] if self.groups is None else ["group"]
        columns = [*lead, "kind", "date", "template", "shift_start", "break", "start", "end",
                   "agents"]
        shifts = self.counts.assign(kind="shift", shift_start=self.counts["start"], **{
            "break": ""})[columns]
        breaks = self.breaks.assign(kind="break")[columns]
        if not len(breaks):
            return shifts.reset_index(drop=True)
        rows = pd.concat([shifts, breaks], ignore_index=True)
        place = {"kind": {"shift": 0, "break": 1},
                 "group": {} if self.groups is None else {
                     g: i for i, g in enumerate(self.groups.index)}}
        order = rows.sort_values([*lead, "shift_start", "template", "kind", "start"],
                                 key=lambda c: c.map(place[c.name]) if c.name in place else c,
                                 kind="stable")
        return order.reset_index(drop=True)

    def plot(self, ax: Axes | None = None, *, group: str | None = None) -> Axes | np.ndarray:
        """Agents on the phones and on shift against the requirement, per interval.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; a new figure's by default.
        group : str, optional
            For a plan of several groups: the group to draw (on ``ax``). Without
            it, a new figure with one panel per group (``ax`` must be None).

        Returns
        -------
        matplotlib.axes.Axes
            Or, for a plan of several groups drawn without ``group``, an array of
            Axes, one per group in the groups' order (as ``plt.subplots`` gives).
        """
        return plot_plan(self, ax, group)

    def __repr__(self) -> str:
        return (f"ShiftPlan(status={self.status!r}, shifts_worked={self.shifts_worked}, "
                f"paid_hours={self.paid_hours:g}, cost={self.cost:g}, "
                f"lower_bound={self.lower_bound:g}, gap={self.gap:.2%}, "
                f"intervals={len(self.coverage)}, under_hours={self.under_hours:g})")


def _step_hours(coverage: pd.DataFrame) -> float:
    return float(coverage.attrs.get("interval_minutes", 60)) / 60.0


def _check_agents(where: str, grid: Grid, required: np.ndarray) -> None:
    t = int(np.argmax(required))
    check_size(f"{where}: the requirement at {grid.stamp(t)}", float(required[t]),
               MAX_AGENTS_PER_INTERVAL, unit="agents",
               how="a requirement is agents on the phones per interval (not calls or seconds)")


# ------------------------------------------------------------------ the optimiser
def schedule_shifts(
    requirement: pd.Series | pd.DataFrame,
    templates: Sequence[ShiftTemplate] | ShiftTemplate | Mapping[str, Sequence[ShiftTemplate]],
    *,
    groups: str | Mapping[str, str] | None = None,
    understaffing_penalty: float | None = None,
    seats: int | None = None,
    max_agents_per_day: int | None = None,
    time_limit_seconds: float = 300.0,
    mip_gap: float = 1e-3,
    workers: int | None = None,
    executor: Executor | None = None,
) -> ShiftPlan:
    """The least-cost shifts, with breaks, covering a requirement in every interval.

    Parameters
    ----------
    requirement : pandas.Series or pandas.DataFrame
        Agents needed on the phones per interval, on a regular DatetimeIndex of 15,
        30 or 60 minutes (any whole number of minutes dividing a day) of naive local
        times spanning at most 3,660 days; fractional values are allowed, each at
        most 1,000,000. The table of :func:`ccsim.staffing.requirements` is
        taken as its ``agents`` summed over call types per interval (one group per
        call type; pool the forecast first for one shared queue).
        Several skill groups: a table with columns ``interval_start``, ``group``
        and ``agents``, or a DataFrame on a DatetimeIndex with one column of agents
        per group, or a table of call types with ``groups``. All groups must be on
        one grid (the same interval length, aligned); their spans may differ.
    templates : sequence of ShiftTemplate, or mapping
        The shifts agents may work (see :func:`shift_catalogue`), with unique names;
        with groups, one list for all or a mapping group -> templates naming every
        group.
    groups : "call_type" or mapping, optional
        Plan the call types of a table of :func:`ccsim.staffing.requirements` as
        groups: ``"call_type"`` makes one group per call type, a mapping call type
        -> group (covering every type) pools types into groups by summing their
        ``agents`` per interval. Summing per-type Erlang requirements over-staffs
        against pooling the traffic into one queue; the exact requirement of a
        pooled group is :func:`ccsim.staffing.requirements` on the pooled
        forecast. On a DataFrame with one column per group, a mapping column ->
        group pools columns. Groups share no agents: each is solved alone, one
        after another in the groups' order (each one's blocks in parallel as
        below), with an equal share of the time left, and its plan is the plan of
        that group solved alone (see :attr:`ShiftPlan.groups`).
    understaffing_penalty : float, optional
        Cost per agent-hour short [cost/h], ``> 0``: coverage becomes soft, and an
        interval may stay short where covering it costs more. Default: coverage is
        hard and impossible coverage raises, saying why.
    seats : int, optional
        Most agents on shift at once (breaks included). Refused with groups (the
        seats are shared, and the groups are solved apart): plan group by group.
    max_agents_per_day : int, optional
        Most agents starting a shift on one day. Refused with groups, as seats.
    time_limit_seconds : float, default 300
        A safety cap on the solver's wall time for the whole call [s]. It does not
        shape the plan unless it binds: then the blocks still being solved stop
        there, the later ones keep their greedy plan, the plan's ``status`` is
        ``"time_limit"`` and ``solve_log`` says which days stopped early.
    mip_gap : float
        Relative gap in [0, 1) at which a plan is good enough.

        How results are made reproducible: each block (a day, or a day piece of a
        24/7 horizon) is solved apart, with HiGHS stopped only by ``mip_gap`` or by a
        budget of 500 branch-and-bound nodes per MIP run (deterministic criteria),
        so the same input gives the same plan on any machine load, in one process
        or several, unless ``time_limit_seconds`` binds. Before branch and bound,
        the LP's values rounded and repaired (breaks placed, shortfall covered
        greedily, surplus agents dropped) give a plan covering the requirement,
        and the cheapest plan found is kept: a run cut short is still near the
        bound, never far above the requirement.
    workers : int, optional
        Processes solving independent blocks (days with breaks) in parallel; default
        (None or 1): all in this process. More start processes with the ``spawn``
        method, so a script must call from under ``if __name__ == "__main__":``.
    executor : concurrent.futures.Executor, optional
        Where to solve the blocks instead (e.g. a Dask client's ``get_executor()``).

    Returns
    -------
    ShiftPlan

    Raises
    ------
    CCSimInputError
        Bad input, or coverage that cannot be had: intervals no template covers,
        or the bounds (seats, agents per template or day) that make it impossible;
        or a model too large to build (more than 2,000,000 variables: plan fewer
        days per call).
    CCSimError
        No plan found within the time limit.

    Examples
    --------
    Three agents all day but two over lunchtime, with an 8-hour shift (its hour's
    lunch unpaid, at 11:00, 12:00 or 13:00) and two 4-hour ones:

    >>> index = pd.date_range("2024-01-01 08:00", periods=8, freq="60min")
    >>> need = pd.Series([3, 3, 3, 2, 2, 3, 3, 3], index=index)
    >>> lunch = BreakRule(60, earliest_after_minutes=180, latest_after_minutes=300)
    >>> plan = schedule_shifts(need, [ShiftTemplate("day", "08:00", 8, breaks=[lunch]),
    ...                               ShiftTemplate("early", "08:00", 4),
    ...                               ShiftTemplate("late", "12:00", 4)])
    >>> plan.counts[["template", "agents"]].to_dict("records")
    [{'template': 'day', 'agents': 2}, {'template': 'early', 'agents': 1}, \
{'template': 'late', 'agents': 1}]
    >>> plan.breaks[["start", "agents"]].to_dict("records")
    [{'start': Timestamp('2024-01-01 11:00:00'), 'agents': 1}, \
{'start': Timestamp('2024-01-01 12:00:00'), 'agents': 1}]
    >>> plan.paid_hours, plan.status, plan.shifts_worked
    (22.0, 'optimal', 4)
    """
    parts = group_requirements(requirement, groups)
    if parts is not None:
        return _by_group(parts, templates, understaffing_penalty, seats, max_agents_per_day,
                         time_limit_seconds, mip_gap, workers, executor)
    if isinstance(templates, Mapping):
        raise CCSimInputError("templates as a mapping group -> templates needs a requirement "
                              "with groups; give one list of ShiftTemplate for one group")
    return _cover(requirement, templates, understaffing_penalty, seats, max_agents_per_day,
                  time_limit_seconds, mip_gap, workers, executor)


def _by_group(parts: dict[str, pd.Series], templates: object,
              understaffing_penalty: float | None, seats: int | None,
              max_agents_per_day: int | None, time_limit_seconds: float, mip_gap: float,
              workers: int | None, executor: Executor | None) -> ShiftPlan:
    """:func:`schedule_shifts` for several groups (:mod:`ccsim._shifts.groups`)."""
    for name, value in (("seats", seats), ("max_agents_per_day", max_agents_per_day)):
        if value is not None:
            raise CCSimInputError(
                f"{name}={value!r} is not supported with groups {list(parts)[:10]}: the groups "
                f"are solved apart and cannot share it; call schedule_shifts per group")
    limit = options(understaffing_penalty, None, None, time_limit_seconds, mip_gap, workers,
                    executor)[3]
    plans = solve_groups("schedule_shifts", parts, templates, limit, lambda need, items, share:
                         _cover(need, items, understaffing_penalty, None, None, share, mip_gap,
                                workers, executor))
    return ShiftPlan(**combine(plans))


def _cover(requirement: pd.Series | pd.DataFrame,
           templates: Sequence[ShiftTemplate] | ShiftTemplate,
           understaffing_penalty: float | None, seats: int | None,
           max_agents_per_day: int | None, time_limit_seconds: float, mip_gap: float,
           workers: int | None, executor: Executor | None, soft_hint: bool = True) -> ShiftPlan:
    """:func:`schedule_shifts`; ``soft_hint``: whether messages suggest a penalty."""
    penalty, seat, per_day, limit, gap = options(understaffing_penalty, seats,
                                                 max_agents_per_day, time_limit_seconds,
                                                 mip_gap, workers, executor)
    grid, required = requirement_grid("requirement", requirement)
    _check_agents("schedule_shifts", grid, required)
    items = template_list(templates)
    check_model_size("schedule_shifts", grid.size, grid.step, grid.days, items)
    lay = layout(grid, items)
    if penalty is None:
        precheck(lay, required, seats=seat, max_per_day=per_day, soft_hint=soft_hint)
    hint = " or give understaffing_penalty" if soft_hint else ""
    outcome = run(lay, required, penalty=penalty, seats=seat, max_per_day=per_day,
                  service=None, join=day_joins(lay) if per_day is not None else (),
                  time_limit=limit, mip_gap=gap, workers=workers, executor=executor,
                  explain=("the requirement", hint))
    return ShiftPlan(*plan_fields(lay, outcome, required, penalty=penalty),
                     solve_log=outcome.log)


_WHERE = "schedule_for_service_level"


def schedule_for_service_level(
    calls_per_interval: pd.Series | pd.DataFrame | None = None,
    templates: Sequence[ShiftTemplate] | ShiftTemplate | None = None,
    aht_seconds: float | None = None,
    target: float | None = None,
    answer_within_seconds: float | None = None,
    *,
    patience_seconds: float | None = None,
    min_interval_service_level: float | None = None,
    compare: bool = True,
    seats: int | None = None,
    max_agents_per_day: int | None = None,
    time_limit_seconds: float = 300.0,
    mip_gap: float = 1e-3,
    workers: int | None = None,
    executor: Executor | None = None,
    calls: pd.Series | pd.DataFrame | None = None,
) -> ShiftPlan:
    """The least-cost shifts meeting a service-level target over each day's calls.

    Centers are judged on the day's service level, all calls together; meeting the
    target in every interval (:func:`schedule_shifts` on the interval requirement)
    overshoots it. Here each day must answer ``target`` of its calls within
    ``answer_within_seconds``, with the calls answered in time per interval modelled
    from :mod:`ccsim.erlang` as a function of the agents on the phones (exact at
    whole numbers of agents; see :mod:`ccsim._shifts.service`).

    Parameters
    ----------
    calls_per_interval : pandas.Series or pandas.DataFrame
        Calls offered per interval [calls] on a regular DatetimeIndex, or a forecast
        (``interval_start``, ``calls``) whose call types are pooled into one queue.
        Required (the ``None`` default only lets the deprecated ``calls=`` stand in).
    templates : sequence of ShiftTemplate
        Required.
    aht_seconds : float
        Mean handle time [s], ``> 0``. Required.
    target : float
        The day's service-level target, a fraction in (0, 1). Required.
    answer_within_seconds : float
        Service-level threshold [s], ``>= 0``. Required.
    patience_seconds : float, optional
        Mean patience [s] for Erlang A (callers abandon); default Erlang C.
    min_interval_service_level : float, optional
        A floor per interval, a fraction in (0, 1): no interval is planned below
        it. Without it, each interval still gets at least the agents from which
        its curve is concave (Erlang C: more agents than the load, a stable queue).
    compare : bool
        Also solve interval-by-interval coverage of the same target and report the
        hours saved per day in ``plan.service``.
    seats, max_agents_per_day, time_limit_seconds, mip_gap, workers, executor
        As for :func:`schedule_shifts`.
    calls : pandas.Series or pandas.DataFrame, optional
        Deprecated: the old name of ``calls_per_interval`` (keyword only).

    Returns
    -------
    ShiftPlan
        With ``coverage["required"]`` the interval-by-interval requirement (for
        reference: the plan may go below it), ``floor``, ``calls`` and
        ``service_level`` per interval, and ``service`` per day.

    Raises
    ------
    CCSimInputError
        Bad input; an offered load above 1,000,000 Erlang in an interval, or curves
        or a model too large to build (plan fewer days per call); a target the
        model cannot reach, or floors and bounds that make it impossible (the
        message says which, and what to change).
    CCSimError
        No plan found within the time limit.
    """
    volume_in = renamed(_WHERE, "calls", "calls_per_interval", calls, calls_per_interval)
    for name, value in (("calls_per_interval", volume_in), ("templates", templates),
                        ("aht_seconds", aht_seconds), ("target", target),
                        ("answer_within_seconds", answer_within_seconds)):
        if value is None:
            raise CCSimInputError(f"{_WHERE}: give {name}")
    _, seat, per_day, limit, gap = options(None, seats, max_agents_per_day, time_limit_seconds,
                                           mip_gap, workers, executor)
    grid, volume = requirement_grid("calls_per_interval", volume_in, column="calls")
    aht = scalar("aht_seconds", aht_seconds, low=0.0, low_inclusive=False)
    goal = fraction("target", target)
    within = scalar("answer_within_seconds", answer_within_seconds, low=0.0)
    patience = None if patience_seconds is None else scalar(
        "patience_seconds", patience_seconds, low=0.0, low_inclusive=False, allow_inf=True)
    patience = None if patience is None or math.isinf(patience) else patience
    level = None if min_interval_service_level is None else fraction(
        "min_interval_service_level", min_interval_service_level)
    compare = check_bool("compare", compare)
    items = template_list(templates)
    check_model_size(_WHERE, grid.size, grid.step, grid.days, items)
    traffic = offered_load(_WHERE, grid, volume, aht)
    floor_agents = np.zeros(grid.size, dtype=np.int64) if level is None else np.asarray(
        erlang.agents_for_service_level(traffic, aht, level, within, patience), dtype=np.int64)
    day_labels, day_of_slot = np.unique(grid.index.normalize(), return_inverse=True)
    floors, service = service_rows(_WHERE, volume, traffic, day_of_slot,
                                   pd.DatetimeIndex(day_labels), aht, goal, within, patience,
                                   floor_agents)
    check_model_size(_WHERE, grid.size, grid.step, grid.days, items,
                     segments=int(service.seg_first[-1]))
    lay = layout(grid, items)
    what = ("the service-level floor (in each interval with calls, "
            + ("more agents than the offered load: a stable queue" if patience is None else
               "the agents from which the service level's curve is concave")
            + ("" if level is None else f", and min_interval_service_level={level:g}") + ")")
    hint = "" if level is None else " or lower min_interval_service_level"
    precheck(lay, floors.astype(float), seats=seat, max_per_day=per_day, what=what,
             soft_hint=False)
    joins = [(int(np.flatnonzero(day_of_slot == d)[0]), int(np.flatnonzero(day_of_slot == d)[-1]))
             for d in range(len(day_labels))]
    if per_day is not None:
        joins += day_joins(lay)
    outcome = run(lay, floors.astype(float), penalty=None, seats=seat, max_per_day=per_day,
                  service=service, join=joins, time_limit=limit, mip_gap=gap,
                  workers=workers, executor=executor, explain=(what, hint))
    interval_need = np.asarray(erlang.agents_for_service_level(
        traffic, aht, goal, within, patience), dtype=float)
    on_phones = outcome.on_shift - outcome.on_break
    share = interpolated_share(traffic, on_phones, aht, within, patience)
    table = daily_table(day_labels, day_of_slot, volume, share, goal, lay, outcome.x)
    if compare:
        need = pd.Series(interval_need, index=grid.index)
        need.attrs["freq"] = f"{grid.step}min"
        try:
            reference = _cover(need, items, None, seats, max_agents_per_day,
                               time_limit_seconds, mip_gap, workers, executor, soft_hint=False)
        except CCSimInputError as error:
            raise CCSimInputError(
                f"compare=True: the plan meeting target={goal:g} in every interval, to compare "
                f"with, cannot be made: {error}; give compare=False to skip it") from None
        ref_phones = reference.coverage["on_phones"].to_numpy()
        ref_share = interpolated_share(traffic, ref_phones, aht, within, patience)
        ref_hours = reference.counts.groupby("date")["paid_hours"].sum()
        table["interval_plan_paid_hours"] = ref_hours.reindex(table.index, fill_value=0.0)
        table["interval_plan_service_level"] = daily_level(day_of_slot, volume, ref_share,
                                                           len(day_labels))
        table["hours_saved"] = table["interval_plan_paid_hours"] - table["paid_hours"]
    extra = {"floor": floors, "calls": volume, "service_level": share}
    return ShiftPlan(*plan_fields(lay, outcome, interval_need, penalty=None, extra=extra,
                                  service=table), solve_log=outcome.log)
