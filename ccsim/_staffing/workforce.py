"""Workforce arithmetic on a requirement: agent-hours, FTE, headcount, seats, supervision.

The implementation behind these names of :mod:`ccsim.staffing` (import them from
there): :func:`agent_hours`, :func:`fte`, :func:`headcount`, :func:`people_per_seat`,
:func:`seats_needed`, :func:`supervision`. Plain ratios, no queueing: the queueing
is in :func:`ccsim.staffing.requirements`, whose table these functions read.

References
----------
.. [1] G. Koole, "Call Center Optimization", MG books, Amsterdam, 2013 (shrinkage,
   FTE and seat planning).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ccsim._staffing.checks import (
    ceil_whole,
    checked_requirement,
    count,
    one,
    positive,
    total_label,
)
from ccsim._validation import CCSimInputError, check_real

__all__ = [
    "Supervision",
    "agent_hours",
    "fte",
    "headcount",
    "people_per_seat",
    "seats_needed",
    "supervision",
]


# ---------------------------------------------------------------------- helpers
def _agent_column(column: str) -> str:
    if not isinstance(column, str) or column not in ("agents", "scheduled_agents"):
        raise CCSimInputError(f"column must be 'agents' or 'scheduled_agents'; got {column!r}")
    return column


def _clock(value: Any) -> float:
    """Hours after midnight of ``"07:30"``, ``"24:00"`` or a ``datetime.time``."""
    if isinstance(value, datetime.time):
        return value.hour + value.minute / 60.0 + value.second / 3600.0
    try:
        hours, minutes = str(value).strip().split(":")
        out = int(hours) + int(minutes) / 60.0 if 0 <= int(minutes) < 60 else -1.0
    except ValueError:
        out = -1.0
    if not 0.0 <= out <= 24.0:
        raise CCSimInputError(f"window times must be 'HH:MM' from 00:00 to 24:00; got {value!r}")
    return out


def in_window(starts: pd.Series, window: Any) -> np.ndarray:
    """Which interval starts fall in a daily ``(opening, closing)`` window."""
    if window is None:
        return np.ones(len(starts), dtype=bool)
    if not isinstance(window, (tuple, list)) or len(window) != 2:
        raise CCSimInputError(
            "window must be (opening, closing) times of day, e.g. ('07:30', '21:30'); "
            f"got {window!r}")
    lo, hi = (_clock(w) for w in window)
    hour = (starts.dt.hour + starts.dt.minute / 60.0 + starts.dt.second / 3600.0).to_numpy()
    inside = (hour >= lo) & (hour < hi) if lo < hi else (hour >= lo) | (hour < hi)
    if not inside.any():
        raise CCSimInputError(f"window {tuple(window)!r} contains no interval of the requirement")
    return inside


def _peak(values: np.ndarray, percentile: float | None) -> int:
    if percentile is None:
        return int(values.max())
    return int(ceil_whole(np.percentile(values, percentile), "seats_needed: the seats"))


# ------------------------------------------------------------- hours, FTE, people
def agent_hours(requirement: pd.DataFrame, column: str = "scheduled_agents") -> pd.Series:
    """Agent-hours of a requirement, per call type and in total.

    Parameters
    ----------
    requirement : pandas.DataFrame
        From :func:`ccsim.staffing.requirements`.
    column : {"scheduled_agents", "agents"}
        Paid agents (after shrinkage, the default) or agents on the phones.

    Returns
    -------
    pandas.Series
        ``sum(column) * interval length`` [h] per call type (sorted), then the total
        (labelled ``"total"``), named ``"agent_hours"``.

    Raises
    ------
    CCSimInputError
        If ``requirement`` is not such a table, has no rows, or has two rows for
        one interval and call type (e.g. the same requirement concatenated twice,
        which would count its hours twice); requirements of different periods
        concatenated with ``pd.concat`` are summed.
    """
    column = _agent_column(column)
    requirement = checked_requirement(requirement, (column,))
    hours = float(requirement.attrs["interval_seconds"]) / 3600.0
    agents = requirement[column].astype(float)  # float sums: int64 could wrap around
    by_type = agents.groupby(requirement["call_type"]).sum() * hours
    total = pd.Series({total_label(by_type.index): float(by_type.sum())})
    out = pd.concat([by_type.astype(float), total]).rename("agent_hours")
    out.index.name = "call_type"
    return out


def fte(requirement: pd.DataFrame, contracted_hours_per_fte: float,
        column: str = "scheduled_agents") -> pd.DataFrame:
    """Full-time equivalents: agent-hours over the hours one full-timer works in the period.

    Parameters
    ----------
    requirement : pandas.DataFrame
        From :func:`ccsim.staffing.requirements`, covering the planning period.
    contracted_hours_per_fte : float
        Hours one full-time agent is paid for over *the same period* [h], ``> 0``:
        e.g. 40 for a one-week requirement, ``40 * 30 / 7`` for 30 days, or the
        monthly legal hours (166.64 h = 20.83 days x 8 h) for a month.
    column : {"scheduled_agents", "agents"}
        Which agents to count; see :func:`agent_hours`.

    Returns
    -------
    pandas.DataFrame
        Index: call types, then ``"total"``; columns ``agent_hours`` [h] and ``fte``.
        ``attrs``: ``contracted_hours_per_fte`` and ``period_days``, the length the
        requirement covers [days], to check against the contracted hours (from the
        first interval to the end of the last, gaps included).

    Raises
    ------
    CCSimInputError
        As for :func:`agent_hours`: an empty requirement, or one with repeated
        (interval, call type) rows, is refused rather than counted twice or as NaN.

    Examples
    --------
    A week of 14 agents around the clock, 40-hour contracts:

    >>> from ccsim.staffing import requirements
    >>> index = pd.date_range("2024-01-01", periods=48 * 7, freq="30min")
    >>> fte(requirements(pd.Series(100.0, index=index), 180, 0.8, 20), 40)
               agent_hours   fte
    call_type
    all             2352.0  58.8
    total           2352.0  58.8
    """
    hours = agent_hours(requirement, column)
    per_fte = one("contracted_hours_per_fte", contracted_hours_per_fte)
    out = pd.DataFrame({"agent_hours": hours, "fte": hours / per_fte})
    if not np.isfinite(out["fte"].to_numpy()).all():
        raise CCSimInputError(
            f"contracted_hours_per_fte={per_fte!r} is too small: the FTE overflow a float")
    starts = requirement["interval_start"]
    period = (starts.max() - starts.min()).total_seconds() + float(requirement.attrs[
        "interval_seconds"])
    out.attrs = {"contracted_hours_per_fte": per_fte, "period_days": period / 86400.0}
    return out


def headcount(fte: float | pd.DataFrame,
              part_time_mix: Mapping[str, tuple[float, float]] | None = None) -> pd.DataFrame:
    """People to hire for an FTE figure, given the mix of contracts.

    Parameters
    ----------
    fte : float or pandas.DataFrame
        Full-time equivalents, ``>= 0``, or the table of :func:`fte` (its total row).
    part_time_mix : mapping, optional
        ``{contract: (share of headcount, FTE per person)}``, e.g.
        ``{"full_time": (0.7, 1.0), "part_time": (0.3, 0.5)}``: 70 % of the people
        full-time, 30 % on half-time contracts. Shares in [0, 1] summing to 1; FTE per
        person ``> 0``. Default: everyone full-time.

    Returns
    -------
    pandas.DataFrame
        Index: the contracts, then ``"total"``; columns ``share``, ``fte_per_person``
        (on the total row: the average of the people hired), ``people`` (int) and
        ``fte`` (what those people deliver, ``>=`` the FTE asked for).

    Raises
    ------
    CCSimInputError
        A bad figure or mix, or more than 2**53 people to hire (they would not fit
        an int64 exactly).

    Notes
    -----
    The headcount is ``H = fte / sum(share * fte_per_person)``; each contract gets
    ``ceil(share * H)`` people, so the people hired always cover the FTE.

    Examples
    --------
    >>> headcount(100, {"full_time": (0.7, 1.0), "part_time": (0.3, 0.5)})
               share  fte_per_person  people    fte
    full_time    0.7        1.000000      83   83.0
    part_time    0.3        0.500000      36   18.0
    total        1.0        0.848739     119  101.0
    """
    if isinstance(fte, pd.DataFrame) and "fte" in fte.columns:
        if fte.empty:
            raise CCSimInputError("fte (a table) has no rows; pass the table of ccsim.staffing.fte")
        fte = fte["fte"].iloc[-1]
    need = one("fte", fte, lambda n, v: check_real(n, v, low=0.0))
    mix = {"full_time": (1.0, 1.0)} if part_time_mix is None else part_time_mix
    if not isinstance(mix, Mapping) or not mix or not all(
            isinstance(v, (tuple, list)) and len(v) == 2 for v in mix.values()):
        raise CCSimInputError(
            "part_time_mix must map each contract to (share of headcount, FTE per person), "
            f"e.g. {{'full_time': (0.7, 1.0), 'part_time': (0.3, 0.5)}}; got {part_time_mix!r}")
    share = np.array([one(f"part_time_mix[{k!r}] share", v[0],
                          lambda n, x: check_real(n, x, low=0.0, high=1.0))
                      for k, v in mix.items()])
    per = np.array([one(f"part_time_mix[{k!r}] FTE per person", v[1]) for k, v in mix.items()])
    if abs(share.sum() - 1.0) > 1e-9:
        raise CCSimInputError(f"part_time_mix shares must sum to 1; got {share.sum():g}")
    with np.errstate(over="ignore"):
        heads = share * need / float(share @ per)
    people = ceil_whole(heads, "headcount: the people to hire (fte / average FTE per person)",
                        how="check fte and the FTE per person of part_time_mix")
    hired = sum(int(p) for p in people)
    if hired > 2**53:
        raise CCSimInputError(f"headcount: the people to hire are {hired:,}, more than the "
                              f"limit of 2**53; check fte")
    out = pd.DataFrame({"share": share, "fte_per_person": per, "people": people,
                        "fte": people * per}, index=[str(k) for k in mix])
    delivered = float(people @ per)
    out.loc[total_label(out.index)] = [1.0, delivered / hired if hired else float(per @ share),
                                       hired, delivered]
    out["people"] = out["people"].astype(np.int64)
    return out


# ------------------------------------------------------------------------ seats
def people_per_seat(seat_hours_per_day: Any, days_per_month: Any,
                    legal_hours_per_month: Any) -> Any:
    """People needed to keep one seat staffed: seat hours over one person's hours.

    ``seat_hours_per_day * days_per_month / legal_hours_per_month``.

    Parameters
    ----------
    seat_hours_per_day : float or array_like
        Hours a seat is open each day [h], in (0, 24] (14 for 07:30-21:30).
    days_per_month : float or array_like
        Days the seat is open in the month [days], in (0, 31].
    legal_hours_per_month : float or array_like
        Working hours of one person in a month [h], ``> 0``: 168 = 21 days x 8 h;
        166.64 = 20.83 days x 8 h, China's statutory monthly figure (365 days less
        104 weekend days and 11 public holidays, over 12 months).

    Returns
    -------
    float, ndarray or Series
        People per seat, before shrinkage (absence needs more); a Series on the
        index of a Series argument.

    Examples
    --------
    >>> people_per_seat(14, 30, 168)
    2.5
    >>> round(people_per_seat(14, 30, 166.64), 2)  # "about 2.5"
    2.52
    >>> round(people_per_seat(24, 30, 166.64), 2)  # 7 x 24 service
    4.32
    """
    hours = check_real("seat_hours_per_day", seat_hours_per_day, low=0.0, high=24.0,
                       low_inclusive=False)
    days = check_real("days_per_month", days_per_month, low=0.0, high=31.0, low_inclusive=False)
    legal = positive("legal_hours_per_month", legal_hours_per_month)
    try:
        np.broadcast_shapes(hours.shape, days.shape, legal.shape)
    except ValueError:
        raise CCSimInputError(
            "people_per_seat: the array arguments do not broadcast to one shape "
            f"(seat_hours_per_day {hours.shape}, days_per_month {days.shape}, "
            f"legal_hours_per_month {legal.shape})") from None
    with np.errstate(over="ignore"):
        out = hours * days / legal
    if not np.isfinite(out).all():
        raise CCSimInputError(
            "legal_hours_per_month is too small: seat hours over it overflow a float; got "
            f"{float(np.min(legal))!r} (hours one person works in a month, e.g. 168)")
    if out.ndim == 0:
        return float(out)
    for like in (seat_hours_per_day, days_per_month, legal_hours_per_month):
        if isinstance(like, pd.Series) and out.shape == like.shape:
            return pd.Series(out, index=like.index)
    return out


def seats_needed(requirement: pd.DataFrame, window: tuple[Any, Any] | None = None, *,
                 column: str = "scheduled_agents", percentile: float | None = None
                 ) -> pd.Series:
    """Seats for a service window: the peak (or a percentile) of agents in it.

    Parameters
    ----------
    requirement : pandas.DataFrame
        From :func:`ccsim.staffing.requirements`.
    window : (opening, closing), optional
        Times of day, ``("07:30", "21:30")``: intervals starting in
        ``[opening, closing)`` count; a window past midnight (``("22:00", "06:00")``)
        wraps. Default: every interval.
    column : {"scheduled_agents", "agents"}
        ``"scheduled_agents"`` (default) gives every scheduled agent a desk, also
        those on in-office shrinkage (breaks, coaching); ``"agents"`` counts only the
        agents on the phones.
    percentile : float, optional
        In [0, 100]: size to this percentile of the intervals instead of the peak
        (rounded up), accepting a shortage in the busiest ones.

    Returns
    -------
    pandas.Series
        Seats (int) per call type, then ``"total"``: the peak of the sum over call
        types, for seats shared by all types. Separate zones need the sum of the
        per-type rows instead.
    """
    col = _agent_column(column)
    requirement = checked_requirement(requirement, (col,))
    if percentile is not None:
        percentile = one("percentile", percentile,
                         lambda n, v: check_real(n, v, low=0.0, high=100.0))
    inside = requirement[in_window(requirement["interval_start"], window)]
    out = {t: _peak(g[col].to_numpy(), percentile) for t, g in inside.groupby("call_type")}
    pooled = inside[col].astype(float).groupby(inside["interval_start"]).sum().to_numpy()
    ceil_whole(pooled, "seats_needed: the seats of all call types together")
    out[total_label(out)] = _peak(pooled, percentile)
    result = pd.Series(out, name="seats", dtype=np.int64)
    result.index.name = "call_type"
    return result


# ------------------------------------------------------------------ supervision
@dataclass(frozen=True)
class Supervision:
    """Management headcount over a floor of agents (see :func:`supervision`).

    Attributes
    ----------
    agents : int
        Agents on the floor.
    team_leaders : int
        One per about ``agents_per_team_leader`` agents.
    supervisors : int
        At the tightest span of the range: the planning figure.
    supervisors_at_widest_span : int
        At the widest span: the fewest the ratio allows.
    managers : int
        Over the floor.
    """

    agents: int
    team_leaders: int
    supervisors: int
    supervisors_at_widest_span: int
    managers: int

    @property
    def total(self) -> int:
        """Agents plus everyone above them (at the planning figure)."""
        return self.agents + self.team_leaders + self.supervisors + self.managers


def supervision(agents: int | Mapping[str, int], agents_per_team_leader: float = 10,
                teams_per_supervisor: float | tuple[float, float] = (6, 8),
                managers: int = 1) -> Supervision:
    """Team leaders, supervisors and managers from span-of-control ratios.

    Parameters
    ----------
    agents : int or mapping
        Agents on the floor (headcount), or ``{zone: agents}``: each zone (skill
        group) then gets its own team leaders.
    agents_per_team_leader : float
        About this many agents per team leader, ``> 0``.
    teams_per_supervisor : float or (low, high)
        Teams one floor supervisor oversees, ``> 0``; a range gives the planning
        figure at ``low`` and the fewest possible at ``high``.
    managers : int
        Managers over the floor (0 when there are no agents).

    Returns
    -------
    Supervision

    Raises
    ------
    CCSimInputError
        A count that is not a whole number in ``[0, 2**53]`` (larger ones cannot be
        held exactly), a ratio that is not a positive number, or a result above
        2**53 people.

    Notes
    -----
    * Team leaders: ``agents / agents_per_team_leader`` rounded to the nearest whole
      number (halves up), at least 1 for a zone with agents: "about 10 agents each"
      allows teams of 9 to 11. (Rounding up would give 61 for 603 agents.)
    * Supervisors: ``ceil(agents / (agents_per_team_leader * low))``: no supervisor
      oversees more than ``low`` teams' worth of agents (60 with the defaults), so
      the fraction of a team left when the floor does not divide evenly is covered.
      (Counting the 60 rounded teams instead would give ``ceil(60 / 6) = 10``.)

    The operating documents' floor: 603 agents / 10 = 60.3 -> 60 team leaders;
    ``ceil(603 / 60) = 11`` supervisors (``ceil(603 / 80) = 8`` at 8 teams each).

    Examples
    --------
    >>> s = supervision(603)
    >>> s.team_leaders, s.supervisors, s.supervisors_at_widest_span, s.managers
    (60, 11, 8, 1)
    """
    zoned = isinstance(agents, Mapping)
    zones = dict(agents) if zoned else {"floor": agents}
    if not zones:
        raise CCSimInputError("agents must be a count or a non-empty mapping {zone: agents}")
    counts = [count(f"agents[{k!r}]" if zoned else "agents", v) for k, v in zones.items()]
    total = sum(counts)
    if total > 2**53:
        raise CCSimInputError(f"agents must total at most 2**53; got {total:,}")
    per_leader = one("agents_per_team_leader", agents_per_team_leader)
    span = teams_per_supervisor
    if isinstance(span, (tuple, list)) and len(span) != 2:
        raise CCSimInputError(
            f"teams_per_supervisor must be a number or (low, high); got {span!r}")
    low, high = span if isinstance(span, (tuple, list)) else (span, span)
    low, high = one("teams_per_supervisor", low), one("teams_per_supervisor", high)
    if low > high:
        raise CCSimInputError(
            f"teams_per_supervisor must be (low, high) with low <= high; got {span!r}")
    boss = count("managers", managers)
    how = "check agents_per_team_leader and teams_per_supervisor"
    with np.errstate(over="ignore"):
        leaders = ceil_whole(np.floor(np.array(counts, dtype=float) / per_leader + 0.5),
                             "supervision: the team leaders (agents / agents_per_team_leader)",
                             how=how)
        spans = np.array([total / (per_leader * low), total / (per_leader * high)])
    supervisors, widest = ceil_whole(spans, "supervision: the supervisors", how=how)
    return Supervision(
        agents=total, team_leaders=sum(max(1, int(n)) for n, c in zip(leaders, counts,
                                                                          strict=True) if c),
        supervisors=int(supervisors), supervisors_at_widest_span=int(widest),
        managers=boss if total else 0)
