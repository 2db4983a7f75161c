"""Shift scheduling: how many agents start which shift, and when they take their breaks.

:func:`schedule_shifts` covers a requirement (agents needed on the phones per
interval, e.g. from :func:`ccsim.staffing.requirements`) at least cost with shifts
from a catalogue of :class:`ShiftTemplate` objects, each with its
:class:`BreakRule` breaks. It is Dantzig's set-covering integer programme with
implicit break placement (Bechtold & Jacobs; Aykin): the breaks are chosen together
with the shifts, and coverage counts only agents on the phones. The model and why
it is exact are described in :mod:`ccsim._shifts.model`; HiGHS solves it through
:func:`scipy.optimize.milp`, with a time limit and a MIP gap, and the plan reports
its LP lower bound and the gap honestly (cost >= lower bound).

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
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ccsim import erlang
from ccsim._shifts.model import Grid, Layout, layout, requirement_grid
from ccsim._shifts.rules import BreakRule, ShiftTemplate, shift_catalogue, standard_breaks
from ccsim._shifts.service import interpolated_share, service_rows
from ccsim._shifts.solve import Outcome, precheck, run
from ccsim._validation import CCSimInputError, check_fraction, check_real

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
        Per interval (index ``interval_start``): ``required``, ``on_shift``,
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
        ``"optimal"`` (gap 0), ``"within_gap"`` (the gap asked for was reached) or
        ``"time_limit"`` (the time ran out first).
    solve_seconds : float
        Wall time of building and solving the model [s].
    service : pandas.DataFrame or None
        For a service-level target: per day, ``calls``, ``target``,
        ``service_level`` and ``paid_hours``, and when compared,
        ``interval_plan_paid_hours``, ``interval_plan_service_level`` and
        ``hours_saved``.
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

    @property
    def agents(self) -> int:
        """Shifts worked: agents summed over templates and days."""
        return int(self.counts["agents"].sum())

    @property
    def under_hours(self) -> float:
        """Agent-hours short of the requirement [h]."""
        return float(self.coverage["under"].sum() * _step_hours(self.coverage))

    def to_frame(self) -> pd.DataFrame:
        """The plan as one table: a row per shift and per break slot.

        Columns ``kind`` (``"shift"`` or ``"break"``), ``date``, ``template``,
        ``shift_start``, ``break``, ``start``, ``end``, ``agents``; a shift row has
        an empty ``break``.
        """
        shifts = self.counts.assign(kind="shift", shift_start=self.counts["start"], **{
            "break": ""})
        rows = pd.concat([shifts, self.breaks.assign(kind="break")], ignore_index=True)
        columns = ["kind", "date", "template", "shift_start", "break", "start", "end", "agents"]
        order = rows.sort_values(["shift_start", "template", "kind", "start"],
                                 key=lambda c: c.map({"shift": 0, "break": 1})
                                 if c.name == "kind" else c, kind="stable")
        return order[columns].reset_index(drop=True)

    def plot(self, ax: Axes | None = None) -> Axes:
        """Agents on the phones and on shift against the requirement, per interval.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; a new figure's by default.

        Returns
        -------
        matplotlib.axes.Axes
        """
        if ax is None:
            import matplotlib.pyplot as plt

            ax = plt.subplots(figsize=(11, 4), layout="constrained")[1]
        elif not hasattr(ax, "step"):
            raise CCSimInputError(f"ax must be a matplotlib Axes or None; got {type(ax).__name__}")
        cov = self.coverage
        step = pd.Timedelta(hours=_step_hours(cov))
        edges = cov.index.append(pd.DatetimeIndex([cov.index[-1] + step]))

        def last(column: str) -> np.ndarray:
            values = cov[column].to_numpy(dtype=float)
            return np.append(values, values[-1])

        ax.fill_between(edges, last("on_phones"), step="post", alpha=0.35, color="C0",
                        label="on the phones")
        ax.step(edges, last("on_shift"), where="post", color="C0", lw=0.8, ls="--",
                label="on shift (breaks included)")
        ax.step(edges, last("required"), where="post", color="black", lw=1.2,
                label="required")
        if "floor" in cov.columns:
            ax.step(edges, last("floor"), where="post", color="C3", lw=0.8, ls=":",
                    label="floor")
        ax.set_ylabel("agents")
        ax.set_xlabel("interval start")
        ax.set_title(f"{self.agents} shifts, {self.paid_hours:,.1f} paid hours, "
                     f"gap to bound {self.gap:.2%} ({self.status})")
        ax.legend(loc="upper left", fontsize="small")
        ax.margins(x=0)
        return ax

    def __repr__(self) -> str:
        return (f"ShiftPlan(status={self.status!r}, agents={self.agents}, "
                f"paid_hours={self.paid_hours:g}, cost={self.cost:g}, "
                f"lower_bound={self.lower_bound:g}, gap={self.gap:.2%}, "
                f"intervals={len(self.coverage)}, under_hours={self.under_hours:g})")


def _step_hours(coverage: pd.DataFrame) -> float:
    return float(coverage.attrs.get("interval_minutes", 60)) / 60.0


# ------------------------------------------------------------------ options
def _options(understaffing_penalty: Any, seats: Any, max_agents_per_day: Any,
             time_limit_seconds: Any, mip_gap: Any, workers: Any, executor: Any
             ) -> tuple[float | None, float | None, float | None, float, float]:
    penalty = None if understaffing_penalty is None else float(check_real(
        "understaffing_penalty", understaffing_penalty, low=0.0, low_inclusive=False))
    seat = None if seats is None else float(_whole("seats", seats, 1))
    per_day = None if max_agents_per_day is None else float(
        _whole("max_agents_per_day", max_agents_per_day, 1))
    limit = float(check_real("time_limit_seconds", time_limit_seconds, low=0.0,
                             low_inclusive=False))
    gap = float(check_real("mip_gap", mip_gap, low=0.0, high=1.0, high_inclusive=False))
    if workers is not None:
        _whole("workers", workers, 1)
    if executor is not None and not isinstance(executor, Executor):
        raise CCSimInputError("executor must be a concurrent.futures.Executor or None; got "
                              f"{type(executor).__name__}")
    return penalty, seat, per_day, limit, gap


def _whole(name: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(value) or value != int(value) or value < low:
        raise CCSimInputError(f"{name} must be a whole number >= {low}; got {value!r}")
    return int(value)


def _day_joins(lay: Layout) -> list[tuple[int, int]]:
    """Slot ranges holding the starts of each day's shifts (for a per-day agent limit)."""
    out = []
    for day in np.unique(lay.inst_day):
        starts = lay.inst_start[lay.inst_day == day]
        out.append((int(starts.min()), int(starts.max())))
    return out


# ------------------------------------------------------------------ assembling a plan
def _stamps(grid: Grid, slots: np.ndarray) -> np.ndarray:
    return grid.origin.to_datetime64() + np.asarray(slots, dtype=np.int64) * np.timedelta64(
        grid.step, "m")


def _plan(lay: Layout, outcome: Outcome, required: np.ndarray, *, penalty: float | None,
          extra: dict[str, np.ndarray] | None = None,
          service: pd.DataFrame | None = None) -> ShiftPlan:
    grid = lay.grid
    templates = lay.templates
    names = np.array([t.name for t in templates], dtype=object)
    days = np.array(lay.days, dtype="datetime64[ns]")
    used = np.flatnonzero(outcome.x > 0)
    used = used[np.lexsort((names[lay.inst_template[used]].astype(str),
                            lay.inst_start[used]))]
    agents = outcome.x[used].astype(np.int64)
    tpl = lay.inst_template[used]
    counts = pd.DataFrame({
        "date": days[lay.inst_day[used]],
        "template": names[tpl],
        "start": _stamps(grid, lay.inst_start[used]),
        "end": _stamps(grid, lay.inst_end[used]),
        "agents": agents,
        "paid_hours": agents * np.array([t.paid_hours for t in templates])[tpl],
        "cost": agents * np.array([t.cost for t in templates])[tpl],
    })
    pieces = np.array(outcome.breaks, dtype=np.int64).reshape(-1, 4)
    member, inst, slot, n = pieces.T
    b_tpl = lay.inst_template[inst]
    rule = lay.mem_rule[member]
    minutes = np.array([float(templates[j].breaks[r].minutes) for j, r in zip(b_tpl, rule,
                                                                              strict=True)])
    start = _stamps(grid, slot)
    order = np.lexsort((start, names[b_tpl].astype(str), lay.inst_start[inst]))
    breaks = pd.DataFrame({
        "date": days[lay.inst_day[inst]],
        "template": names[b_tpl],
        "shift_start": _stamps(grid, lay.inst_start[inst]),
        "rule": rule + 1,
        "break": [templates[j].breaks[r].label for j, r in zip(b_tpl, rule, strict=True)],
        "paid": np.array([templates[j].breaks[r].paid for j, r in zip(b_tpl, rule,
                                                                         strict=True)],
                         dtype=bool),
        "start": start,
        "end": start + (minutes * 60e9).astype("timedelta64[ns]"),
        "agents": n,
    }).iloc[order].reset_index(drop=True)
    on_phones = outcome.on_shift - outcome.on_break
    data = {"required": required, "on_shift": outcome.on_shift, "on_break": outcome.on_break,
            "on_phones": on_phones, "over": np.maximum(on_phones - required, 0.0),
            "under": np.maximum(required - on_phones, 0.0)}
    data.update(extra or {})
    coverage = pd.DataFrame({k: np.round(np.asarray(v, dtype=float), 9) + 0.0
                             for k, v in data.items()}, index=grid.index.rename("interval_start"))
    coverage.attrs["interval_minutes"] = grid.step
    paid_hours = float(counts["paid_hours"].sum())
    objective = float(counts["cost"].sum())
    if penalty is not None:
        objective += penalty * float(coverage["under"].sum()) * grid.step / 60.0
    lower = min(outcome.lower_bound, objective)
    gap = 0.0 if objective <= 0 else max(objective - lower, 0.0) / objective
    return ShiftPlan(counts, breaks, coverage, paid_hours, objective, lower,
                     min(outcome.lp_bound, lower), gap, outcome.status, outcome.seconds,
                     service)


# ------------------------------------------------------------------ the optimiser
def schedule_shifts(
    requirement: pd.Series | pd.DataFrame,
    templates: Sequence[ShiftTemplate],
    *,
    understaffing_penalty: float | None = None,
    seats: int | None = None,
    max_agents_per_day: int | None = None,
    time_limit_seconds: float = 60.0,
    mip_gap: float = 1e-3,
    workers: int | None = None,
    executor: Executor | None = None,
) -> ShiftPlan:
    """The least-cost shifts, with breaks, covering a requirement in every interval.

    Parameters
    ----------
    requirement : pandas.Series or pandas.DataFrame
        Agents needed on the phones per interval, on a regular DatetimeIndex of 15,
        30 or 60 minutes (any whole number of minutes dividing a day); fractional
        values are allowed. The table of :func:`ccsim.staffing.requirements` is
        taken as its ``agents`` summed over call types per interval (one group per
        call type; pool the forecast first for one shared queue).
    templates : sequence of ShiftTemplate
        The shifts agents may work (see :func:`shift_catalogue`).
    understaffing_penalty : float, optional
        Cost per agent-hour short [cost/h], ``> 0``: coverage becomes soft, and an
        interval may stay short where covering it costs more. Default: coverage is
        hard and impossible coverage raises, saying why.
    seats : int, optional
        Most agents on shift at once (breaks included).
    max_agents_per_day : int, optional
        Most agents starting a shift on one day.
    time_limit_seconds : float
        Wall-time budget for the solver [s] (blocks solved in parallel share it).
    mip_gap : float
        Relative gap in [0, 1) at which a plan is good enough.
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
        or the bounds (seats, agents per template or day) that make it impossible.
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
    >>> plan.paid_hours, plan.status
    (22.0, 'optimal')
    """
    penalty, seat, per_day, limit, gap = _options(understaffing_penalty, seats,
                                                  max_agents_per_day, time_limit_seconds,
                                                  mip_gap, workers, executor)
    grid, required = requirement_grid("requirement", requirement)
    lay = layout(grid, templates)
    if penalty is None:
        precheck(lay, required, seats=seat, max_per_day=per_day)
    outcome = run(lay, required, penalty=penalty, seats=seat, max_per_day=per_day,
                  service=None, join=_day_joins(lay) if per_day is not None else (),
                  time_limit=limit, mip_gap=gap, workers=workers, executor=executor)
    return _plan(lay, outcome, required, penalty=penalty)


def _calls(calls: Any) -> tuple[Grid, np.ndarray]:
    if isinstance(calls, pd.DataFrame):
        if not {"interval_start", "calls"} <= set(calls.columns):
            raise CCSimInputError(
                "calls as a DataFrame needs columns 'interval_start' and 'calls' (a forecast "
                f"of ccsim.arrivals); got columns {list(calls.columns)}")
        freq = calls.attrs.get("freq")
        calls = calls.groupby("interval_start")["calls"].sum()
        calls.attrs["freq"] = freq
    return requirement_grid("calls", calls)


def schedule_for_service_level(
    calls: pd.Series | pd.DataFrame,
    templates: Sequence[ShiftTemplate],
    aht_seconds: float,
    target: float,
    answer_within_seconds: float,
    *,
    patience_seconds: float | None = None,
    min_interval_service_level: float | None = None,
    compare: bool = True,
    seats: int | None = None,
    max_agents_per_day: int | None = None,
    time_limit_seconds: float = 60.0,
    mip_gap: float = 1e-3,
    workers: int | None = None,
    executor: Executor | None = None,
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
    calls : pandas.Series or pandas.DataFrame
        Calls offered per interval on a regular DatetimeIndex, or a forecast
        (``interval_start``, ``calls``) whose call types are pooled into one queue.
    templates : sequence of ShiftTemplate
    aht_seconds : float
        Mean handle time [s], ``> 0``.
    target : float
        The day's service-level target, a fraction in (0, 1).
    answer_within_seconds : float
        Service-level threshold [s], ``>= 0``.
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

    Returns
    -------
    ShiftPlan
        With ``coverage["required"]`` the interval-by-interval requirement (for
        reference: the plan may go below it), ``floor``, ``calls`` and
        ``service_level`` per interval, and ``service`` per day.
    """
    penalty, seat, per_day, limit, gap = _options(None, seats, max_agents_per_day,
                                                  time_limit_seconds, mip_gap, workers,
                                                  executor)
    grid, volume = _calls(calls)
    aht = float(check_real("aht_seconds", aht_seconds, low=0.0, low_inclusive=False))
    goal = float(check_fraction("target", target))
    within = float(check_real("answer_within_seconds", answer_within_seconds, low=0.0))
    patience = None if patience_seconds is None or patience_seconds == math.inf else float(
        check_real("patience_seconds", patience_seconds, low=0.0, low_inclusive=False))
    if not isinstance(compare, bool):
        raise CCSimInputError(f"compare must be True or False; got {compare!r}")
    traffic = np.asarray(erlang.offered_traffic(volume, aht, grid.step * 60.0), dtype=float)
    floor_agents = np.zeros(grid.size, dtype=np.int64)
    if min_interval_service_level is not None:
        level = float(check_fraction("min_interval_service_level", min_interval_service_level))
        floor_agents = np.asarray(erlang.agents_for_service_level(
            traffic, aht, level, within, patience), dtype=np.int64)
    dates = grid.index.normalize()
    day_labels, day_of_slot = np.unique(dates, return_inverse=True)
    floors, service = service_rows(volume, traffic, day_of_slot, aht, goal, within, patience,
                                   floor_agents)
    lay = layout(grid, templates)
    precheck(lay, floors.astype(float), seats=seat, max_per_day=per_day,
             what="the service-level floor", soft_hint=False)
    joins = [(int(np.flatnonzero(day_of_slot == d)[0]), int(np.flatnonzero(day_of_slot == d)[-1]))
             for d in range(len(day_labels))]
    if per_day is not None:
        joins += _day_joins(lay)
    outcome = run(lay, floors.astype(float), penalty=None, seats=seat, max_per_day=per_day,
                  service=service, join=joins, time_limit=limit, mip_gap=gap,
                  workers=workers, executor=executor)
    interval_need = np.asarray(erlang.agents_for_service_level(
        traffic, aht, goal, within, patience), dtype=float)
    on_phones = outcome.on_shift - outcome.on_break
    level = interpolated_share(traffic, on_phones, aht, within, patience)
    table = _daily(day_labels, day_of_slot, volume, level, goal, lay, outcome.x)
    if compare:
        reference = schedule_shifts(
            pd.Series(interval_need, index=grid.index), templates, seats=seats,
            max_agents_per_day=max_agents_per_day, time_limit_seconds=time_limit_seconds,
            mip_gap=mip_gap, workers=workers, executor=executor)
        ref_phones = reference.coverage["on_phones"].to_numpy()
        ref_level = interpolated_share(traffic, ref_phones, aht, within, patience)
        ref_hours = reference.counts.groupby("date")["paid_hours"].sum()
        table["interval_plan_paid_hours"] = ref_hours.reindex(table.index, fill_value=0.0)
        table["interval_plan_service_level"] = _daily_level(day_of_slot, volume, ref_level,
                                                            len(day_labels))
        table["hours_saved"] = table["interval_plan_paid_hours"] - table["paid_hours"]
    extra = {"floor": floors, "calls": volume, "service_level": level}
    return _plan(lay, outcome, interval_need, penalty=None, extra=extra, service=table)


def _daily_level(day_of_slot: np.ndarray, volume: np.ndarray, level: np.ndarray,
                 n_days: int) -> np.ndarray:
    calls = np.bincount(day_of_slot, weights=volume, minlength=n_days)
    answered = np.bincount(day_of_slot, weights=volume * level, minlength=n_days)
    return np.where(calls > 0, answered / np.where(calls > 0, calls, 1.0), 1.0)


def _daily(day_labels: Any, day_of_slot: np.ndarray, volume: np.ndarray, level: np.ndarray,
           goal: float, lay: Layout, x: np.ndarray) -> pd.DataFrame:
    n_days = len(day_labels)
    index = pd.DatetimeIndex(day_labels, name="date")
    paid = np.array([t.paid_hours for t in lay.templates])[lay.inst_template] * x
    by_day = pd.Series(paid, index=[lay.days[d] for d in lay.inst_day]).groupby(level=0).sum()
    return pd.DataFrame({
        "calls": np.bincount(day_of_slot, weights=volume, minlength=n_days),
        "target": goal,
        "service_level": _daily_level(day_of_slot, volume, level, n_days),
        "paid_hours": by_day.reindex(index, fill_value=0.0).to_numpy(),
    }, index=index)
