"""From a forecast to people: agents per interval, FTE, headcount, seats, supervision.

:func:`requirements` turns a forecast (calls per interval and call type) into the
least number of agents on the phones meeting a service target in every interval,
with the exact Erlang C or Erlang A formulas of :mod:`ccsim.erlang`, then into
scheduled agents after shrinkage. The other functions turn a requirement into the
figures a planner takes to a budget meeting: agent-hours and FTE (:func:`agent_hours`,
:func:`fte`, :func:`headcount`), seats (:func:`people_per_seat`, :func:`seats_needed`,
:func:`compare_seat_rule`), supervision from ratios (:func:`supervision`) and standby
staff for a surge (:func:`standby_for_surge`).

Each interval is solved as a stationary queue, independently of the others: a start
for planning, which the simulation then checks.

References
----------
.. [1] N. Gans, G. Koole and A. Mandelbaum, "Telephone call centers: tutorial, review,
   and research prospects", Manufacturing & Service Operations Management 5(2),
   79-141, 2003, doi:10.1287/msom.5.2.79.16071
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ccsim import erlang
from ccsim._staffing.checks import (
    ceil_whole,
    count,
    one,
    positive,
)
from ccsim._staffing.inputs import (
    check_traffic,
    forecast_grid,
    freq_name,
    on_shift_agents,
    patience_values,
    per_type,
    surge_time,
)
from ccsim._staffing.opening import open_intervals
from ccsim._staffing.workforce import (
    Supervision,
    agent_hours,
    fte,
    headcount,
    in_window,
    people_per_seat,
    seats_needed,
    supervision,
)
from ccsim._validation import CCSimInputError, check_fraction, check_real

__all__ = [
    "REQUIREMENT_COLUMNS",
    "StandbyNeed",
    "Supervision",
    "agent_hours",
    "compare_seat_rule",
    "fte",
    "headcount",
    "people_per_seat",
    "requirements",
    "seats_needed",
    "standby_for_surge",
    "supervision",
]

REQUIREMENT_COLUMNS = (
    "interval_start", "call_type", "calls", "traffic_erlangs", "agents", "scheduled_agents",
    "service_level", "asa_seconds", "p_abandon", "occupancy",
)
# Forecast calls outside the opening hours above which requirements() warns: half a
# call, the least that shows as one call when rounded (a night forecast of the bank
# example has a few hundredths of a call per interval).
_CLOSED_CALLS_WARNING = 0.5


def requirements(
    forecast: pd.DataFrame | pd.Series,
    aht_seconds: float | Mapping[str, float],
    target: float | Mapping[str, float],
    answer_within_seconds: float | Mapping[str, float],
    patience_seconds: float | Mapping[str, float | None] | None = None,
    shrinkage: float | Mapping[str, float] = 0.0,
    max_occupancy: float | Mapping[str, float | None] | None = None,
    opening_hours: Any = None,
    calendar: Any = None,
) -> pd.DataFrame:
    """Agents needed in every interval to meet a service-level target.

    Parameters
    ----------
    forecast : pandas.DataFrame or pandas.Series
        A forecast in the tidy schema of :mod:`ccsim.arrivals` (columns
        ``interval_start``, ``call_type`` (optional: ``"all"``), ``calls`` [calls per
        interval]; others are ignored), or a Series of calls per interval on a
        DatetimeIndex (call type: the Series' name, or ``"all"``). The interval
        length comes from ``attrs["freq"]`` (or the index's ``freq``), else from the
        spacing, which must be the same for every call type. Gaps, duplicates and
        negative calls raise.
    aht_seconds : float or mapping
        Mean handle time [s] (talk plus after-call work), ``> 0``.
    target : float or mapping
        Service-level target, a fraction in (0, 1) (0.8 for 80 %).
    answer_within_seconds : float or mapping
        Service-level threshold T [s], ``>= 0``.
    patience_seconds : float or mapping, optional
        Mean caller patience [s]. ``None`` (or ``inf``) uses Erlang C; a finite value
        uses Erlang A with the service level of offered calls. In a mapping, a call
        type mapped to ``None`` uses Erlang C.
    shrinkage : float or mapping
        Fraction of paid time not on the phones (breaks, training, absence), in
        [0, 1).
    max_occupancy : float or mapping, optional
        Cap on occupancy in (0, 1]: also require ``traffic / agents <= cap``.
    opening_hours : (str, str) or mapping, optional
        When the center answers calls, in the forms of
        :func:`ccsim.io.read_interval_report`: ``("08:00", "20:00")`` every day
        (``"24:00"`` for midnight; open before close, so a night service is
        ``("00:00", "24:00")``), or per weekday ``{"mon": ("08:00", "20:00"), ...,
        "sat": ("09:00", "13:00")}`` (keys ``"mon"``-``"sun"``, ``"monday"``, or 0-6
        with Monday 0; a day left out or mapped to None is closed all day). It may
        also be a mapping ``{call_type: hours}`` covering every call type (read so
        when every key is a call type of the forecast), each ``hours`` one of those
        forms or None (always open). Default: always open.
    calendar : ccsim.arrivals.Calendar or mapping, optional
        Special days (a :class:`ccsim.arrivals.Calendar`, or the mapping
        :meth:`ccsim.arrivals.Calendar.from_mapping` reads): closed days are closed
        all day, short days close at their closing time (or at the usual closing
        time if earlier); volume factors do not change the hours.

    Every argument but ``forecast``, ``opening_hours`` and ``calendar`` is one value
    for all call types or a mapping ``{call_type: value}`` covering every call type
    of the forecast.

    Notes
    -----
    *Tiny forecasts.* Without opening hours every interval is staffed on its own:
    any positive forecast, however small (the 0.0003 calls a forecast gives at
    03:00), needs at least one agent, because a queue with calls and no agent never
    answers them; with Erlang C or Erlang A one agent meets any target there. On the
    bank example's forecast for Saturday 6 February 1999 (six call types, 30-minute
    intervals), 206 of the 270 type-intervals under 0.5 calls (every one whose
    forecast is positive) get one agent each. Nothing is rounded away: give
    ``opening_hours`` (and a ``calendar``) to say when the center is closed; we
    recommend it for any forecast that runs through closed hours. There, open
    07:00-24:00 leaves 181 of the 206 (the bank opens on Saturdays only in the
    evening); ``{..., "sat": ("19:00", "24:00")}`` leaves 38.

    *Opening hours.* An interval is open when it overlaps the opening hours, as in
    :mod:`ccsim.io`: an interval cut by the opening or closing time (08:00-08:30
    when the center opens at 08:15, or on a short day) is staffed as open, for the
    whole interval, with the calls the forecast gives it (a forecast made with the
    same calendar already scales them by the open fraction). A closed interval gets
    0 ``agents`` and 0 ``scheduled_agents``; its forecast calls are kept in
    ``calls`` and ``traffic_erlangs`` (reported, not staffed: nobody answers them),
    so its ``service_level`` is 0 when it has calls (1 when none), and its
    ``asa_seconds``, ``p_abandon`` and ``occupancy`` are 0. A call-weighted service
    level over open rows only (``open`` column) is the one the agents deliver.

    Returns
    -------
    pandas.DataFrame
        One row per interval and call type, sorted by ``interval_start`` then
        ``call_type``: ``interval_start``, ``call_type``, ``calls``,
        ``traffic_erlangs`` [Erlang], ``agents`` (int, least agents on the phones
        meeting the target and the occupancy cap, from
        :func:`ccsim.erlang.agents_for_service_level`), ``scheduled_agents`` (int,
        ``ceil(agents / (1 - shrinkage))``), then at ``agents``: ``service_level``,
        ``asa_seconds`` [s] (Erlang A: of answered calls), ``p_abandon`` (0 for
        Erlang C) and ``occupancy``, from
        :func:`ccsim.erlang.erlang_a` (which is Erlang C for infinite patience).
        ``attrs`` holds ``freq``, ``interval_minutes`` and ``interval_seconds`` (the
        interval length [min] and [s]), ``model`` (call type ->
        ``"erlang_c"`` or ``"erlang_a"``) and the arguments. An interval without
        calls needs 0 agents (service level 1, ASA 0, occupancy 0).

        With ``opening_hours`` or ``calendar``, a last column ``open`` (bool) says
        whether the interval is open (see Notes), and ``attrs`` also holds
        ``opening_hours`` (per weekday ``{"mon": ("08:00", "20:00"), ..., "sun":
        None}``, per call type of those, or None), ``calendar`` and
        ``calls_outside_opening_hours`` (forecast calls in closed intervals, not
        staffed). Without them the columns and ``attrs`` are as above.

    Raises
    ------
    CCSimInputError
        A malformed forecast, or an argument out of range or missing a call type;
        ``opening_hours`` or ``calendar`` in a form not listed above.

    Warns
    -----
    UserWarning
        Once, when the forecast has more than 0.5 calls
        in closed intervals: how many, and that they are not staffed.

    Examples
    --------
    >>> index = pd.date_range("2024-01-01 08:00", periods=3, freq="30min")
    >>> req = requirements(pd.Series([100.0, 0.0, 50.0], index=index), 180, 0.8, 20,
    ...                    shrinkage=0.3)
    >>> req[["calls", "traffic_erlangs", "agents", "scheduled_agents"]]
       calls  traffic_erlangs  agents  scheduled_agents
    0  100.0             10.0      14                20
    1    0.0              0.0       0                 0
    2   50.0              5.0       8                12

    Open 08:00-09:00 on weekdays only (1 January 2024 is a Monday):

    >>> hours = {day: ("08:00", "09:00") for day in ("mon", "tue", "wed", "thu", "fri")}
    >>> req = requirements(pd.Series([100.0, 50.0, 0.3], index=index), 180, 0.8, 20,
    ...                    opening_hours=hours)
    >>> req[["interval_start", "calls", "agents", "open"]]
           interval_start  calls  agents   open
    0 2024-01-01 08:00:00  100.0      14   True
    1 2024-01-01 08:30:00   50.0       8   True
    2 2024-01-01 09:00:00    0.3       0  False
    >>> req.attrs["calls_outside_opening_hours"]
    0.3
    """
    frame, step = forecast_grid(forecast)
    hours_given = opening_hours is not None or calendar is not None
    if hours_given:
        is_open, recorded_hours = open_intervals(frame, step, opening_hours, calendar)
    else:
        is_open = np.ones(len(frame), dtype=bool)
    types = frame["call_type"]
    aht = per_type("aht_seconds", aht_seconds, types, positive)
    goal = per_type("target", target, types, check_fraction)
    within = per_type("answer_within_seconds", answer_within_seconds, types,
                       lambda n, v: check_real(n, v, low=0.0))
    patience = per_type("patience_seconds", patience_seconds, types, patience_values, none=np.inf)
    shrink = per_type("shrinkage", shrinkage, types,
                       lambda n, v: check_real(n, v, low=0.0, high=1.0, high_inclusive=False))
    cap = per_type("max_occupancy", max_occupancy, types,
                    lambda n, v: check_fraction(n, v, high_inclusive=True), none=np.nan)
    interval_seconds = step.total_seconds()
    calls = frame["calls"].to_numpy(dtype=float)
    with np.errstate(over="ignore"):  # an overflow to inf is refused just below
        traffic = calls * aht / interval_seconds
    check_traffic(frame, traffic, aht, step)
    agents = np.zeros(len(frame), dtype=np.int64)
    uncapped = np.isnan(cap)
    for rows, limit in ((uncapped & is_open, None), (~uncapped & is_open, cap)):
        if rows.any():  # the occupancy cap is optional per call type
            agents[rows] = erlang.agents_for_service_level(
                traffic[rows], aht[rows], goal[rows], within[rows], patience[rows],
                None if limit is None else limit[rows])
    measures = erlang.erlang_a(traffic, agents, aht, patience, within)
    frame["traffic_erlangs"] = traffic
    frame["agents"] = agents
    frame["scheduled_agents"] = ceil_whole(
        agents / (1.0 - shrink), "requirements: the scheduled agents (agents / (1 - shrinkage))",
        unit="agents", how="check shrinkage (a fraction of paid time, e.g. 0.3)")
    frame["service_level"] = measures.service_level
    frame["asa_seconds"] = measures.asa_seconds
    frame["p_abandon"] = measures.p_abandon
    frame["occupancy"] = measures.occupancy
    if hours_given:  # closed: reported, not staffed (see Notes)
        closed = ~is_open
        frame.loc[closed, "service_level"] = np.where(calls[closed] > 0, 0.0, 1.0)
        frame.loc[closed, ["asa_seconds", "p_abandon", "occupancy"]] = 0.0
        frame["open"] = is_open
    kinds = dict(zip(types, np.where(np.isinf(patience), "erlang_c", "erlang_a"), strict=True))

    def given(value: Any) -> Any:
        return dict(value) if isinstance(value, Mapping) else value

    frame.attrs = {
        "freq": freq_name(step), "interval_minutes": interval_seconds / 60.0,
        "interval_seconds": interval_seconds,
        "model": {str(k): str(v) for k, v in sorted(kinds.items())},
        "aht_seconds": given(aht_seconds), "target": given(target),
        "answer_within_seconds": given(answer_within_seconds),
        "patience_seconds": given(patience_seconds), "shrinkage": given(shrinkage),
        "max_occupancy": given(max_occupancy),
    }
    if not hours_given:
        return frame[list(REQUIREMENT_COLUMNS)]
    dropped = float(calls[~is_open].sum())
    frame.attrs.update(opening_hours=recorded_hours, calendar=calendar,
                       calls_outside_opening_hours=dropped)
    if dropped > _CLOSED_CALLS_WARNING:
        warnings.warn(
            f"requirements: the forecast has {dropped:,.1f} calls in {int((~is_open).sum())} "
            "closed interval(s) (outside opening_hours or on the calendar's closed and short "
            "days); they are reported (open=False) but not staffed", UserWarning, stacklevel=2)
    return frame[[*REQUIREMENT_COLUMNS, "open"]]


# ------------------------------------------------------------------ seat rule
def compare_seat_rule(
    subscribers: int, forecast: pd.DataFrame | pd.Series, aht_seconds: Any, target: Any,
    answer_within_seconds: Any, patience_seconds: Any = None, shrinkage: Any = 0.0,
    max_occupancy: Any = None, *, subscribers_per_seat: float = 20_000,
    window: tuple[Any, Any] | None = None, percentile: float | None = None,
) -> pd.DataFrame:
    """A subscriber-count seat rule against the seats the service target needs.

    Parameters
    ----------
    subscribers : int
        Subscribers (customers) served, ``>= 0``.
    forecast, aht_seconds, target, answer_within_seconds, patience_seconds, shrinkage,
    max_occupancy
        As for :func:`requirements`.
    subscribers_per_seat : float
        The rule's ratio (one seat per 20,000 subscribers), ``> 0``; seats are
        rounded up.
    window, percentile
        As for :func:`seats_needed` (scheduled agents, seats shared by all types).

    Returns
    -------
    pandas.DataFrame
        Two rows, ``"subscriber rule"`` and ``"service target"``; columns ``seats``,
        ``subscribers_per_seat``, ``intervals_short`` (intervals in the window whose
        scheduled agents exceed the seats) and ``largest_shortfall`` [agents];
        ``subscribers_per_seat`` is ``inf`` on a row of 0 seats serving subscribers
        (a window without calls needs no seat). ``attrs["requirement"]`` is the
        requirement behind the second row.

    Raises
    ------
    CCSimInputError
        As for :func:`requirements` and :func:`seats_needed`, and when the rule's
        seats (``subscribers / subscribers_per_seat``) exceed 2**53.
    """
    subscribers_count = float(count("subscribers", subscribers))
    ratio = one("subscribers_per_seat", subscribers_per_seat)
    with np.errstate(over="ignore"):
        rule = int(ceil_whole(subscribers_count / ratio,
                              "compare_seat_rule: the seats of the rule (subscribers / "
                              "subscribers_per_seat)", unit="seats",
                              how="check subscribers_per_seat (e.g. 20000)"))
    req = requirements(forecast, aht_seconds, target, answer_within_seconds, patience_seconds,
                       shrinkage, max_occupancy)
    needed = int(seats_needed(req, window, percentile=percentile).iloc[-1])
    inside = req[in_window(req["interval_start"], window)]
    pooled = inside.groupby("interval_start")["scheduled_agents"].sum().to_numpy()
    rows = {}
    for label, seats in (("subscriber rule", rule), ("service target", needed)):
        short = pooled - seats
        rows[label] = {"seats": seats,
                       "subscribers_per_seat": subscribers_count / seats if seats else (
                           np.inf if subscribers_count else 0.0),
                       "intervals_short": int((short > 0).sum()),
                       "largest_shortfall": int(max(short.max(), 0))}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.attrs = {"requirement": req, "subscribers": subscribers_count,
                 "rule_subscribers_per_seat": ratio}
    return out


# ----------------------------------------------------------------------- surges
@dataclass(frozen=True)
class StandbyNeed:
    """Standby (on-call) agents a surge needs beyond those on shift.

    Attributes
    ----------
    peak_agents : int
        Most standby agents needed at once, over all call types.
    peak_interval : pandas.Timestamp or None
        When (the first interval at the peak); None if no standby is needed.
    agent_hours : float
        Standby agent-hours over the surge [h].
    by_interval : pandas.DataFrame
        Per interval of the surge and call type: ``calls`` (surged),
        ``required_agents``, ``on_shift_agents`` and ``standby_agents``.
    """

    peak_agents: int
    peak_interval: pd.Timestamp | None
    agent_hours: float
    by_interval: pd.DataFrame

    def __repr__(self) -> str:
        when = "" if self.peak_interval is None else f" at {self.peak_interval}"
        return (f"StandbyNeed(peak_agents={self.peak_agents}{when}, "
                f"agent_hours={self.agent_hours:g}, intervals={len(self.by_interval)})")


def standby_for_surge(
    forecast: pd.DataFrame | pd.Series, factor: float, start: Any, end: Any,
    on_shift: pd.DataFrame | int | Mapping[str, int], aht_seconds: Any = None,
    target: Any = None, answer_within_seconds: Any = None, patience_seconds: Any = None,
    max_occupancy: Any = None,
) -> StandbyNeed:
    """Standby agents needed when calls run at ``factor`` times the forecast.

    The forecast is surged with :func:`ccsim.arrivals.surge` (calls x ``factor`` for
    ``start <= interval_start < end``), its requirement computed with
    :func:`requirements`, and in each surge interval the agents on the phones beyond
    those already on shift are the standby agents needed.

    Parameters
    ----------
    forecast : pandas.DataFrame or pandas.Series
        The normal forecast, as for :func:`requirements`.
    factor : float
        Volume multiplier during the surge, ``>= 0`` (2 for an outage doubling calls).
    start, end : timestamp-like
        The surge window, ``start < end``.
    on_shift : pandas.DataFrame, int or mapping
        Agents on the phones: the requirement the roster was built for (its
        ``agents`` column, per interval and call type; its ``attrs`` then supply
        every argument left as None), or one count for every interval (a mapping:
        per call type).
    aht_seconds, target, answer_within_seconds, patience_seconds, max_occupancy
        As for :func:`requirements`; None takes them from ``on_shift.attrs`` (a
        lower target during an outage is common). Shrinkage does not apply: standby
        agents called in go to the phones.

    Returns
    -------
    StandbyNeed
        Peak standby agents (the per-interval sum over call types, each type's group
        staffed separately), when, and the standby agent-hours.
    """
    scale = one("factor", factor, lambda n, v: check_real(n, v, low=0.0))
    begin, finish = surge_time("start", start), surge_time("end", end)
    if not begin < finish:
        raise CCSimInputError(f"start must be before end; got start={start!r}, end={end!r}")
    given = {"aht_seconds": aht_seconds, "target": target,
             "answer_within_seconds": answer_within_seconds,
             "patience_seconds": patience_seconds, "max_occupancy": max_occupancy}
    attrs = on_shift.attrs if isinstance(on_shift, pd.DataFrame) else {}
    for name in given:
        if given[name] is None:
            given[name] = attrs.get(name)
    for name in ("aht_seconds", "target", "answer_within_seconds"):
        if given[name] is None:
            raise CCSimInputError(
                f"{name} must be given (or on_shift must be a requirement that records it)")
    frame, step = forecast_grid(forecast)
    window = (frame["interval_start"] >= begin) & (frame["interval_start"] < finish)
    if not window.any():
        raise CCSimInputError(
            f"the surge window [{begin}, {finish}) contains no interval of the forecast")
    with np.errstate(over="ignore"):
        peak = scale * float(frame.loc[window, "calls"].max())
    if not np.isfinite(peak):
        raise CCSimInputError(
            f"factor={scale:g} times the forecast's calls overflows a float; give the real "
            "multiplier (2 for calls doubling)")
    # surge() takes the full forecast schema; the bounds do not matter to requirements.
    frame["calls_lower"] = frame["calls_upper"] = frame["calls"]
    frame.attrs["freq"] = freq_name(step)
    from ccsim.arrivals import surge  # here: arrivals (and scipy.stats) load on first use

    need = requirements(surge(frame, scale, begin, finish), **given)
    rows = need[(need["interval_start"] >= begin) & (need["interval_start"] < finish)]
    staff = on_shift_agents(on_shift, rows)
    table = pd.DataFrame({"interval_start": rows["interval_start"].to_numpy(),
                          "call_type": rows["call_type"].to_numpy(),
                          "calls": rows["calls"].to_numpy(),
                          "required_agents": rows["agents"].to_numpy(),
                          "on_shift_agents": staff})
    table["standby_agents"] = np.maximum(table["required_agents"] - staff, 0)
    per_interval = table.groupby("interval_start")["standby_agents"].sum()
    peak = int(per_interval.max())
    return StandbyNeed(
        peak_agents=peak,
        peak_interval=per_interval.idxmax() if peak > 0 else None,
        agent_hours=float(per_interval.sum() * step.total_seconds() / 3600.0),
        by_interval=table)
