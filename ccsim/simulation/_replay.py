"""Replay of a call log: its calls simulated at their recorded times, and set against it.

:meth:`Scenario.from_calls` (:func:`scenario_from_calls`) turns a call table
(:mod:`ccsim.io`) into a scenario whose call types carry
:class:`~ccsim.simulation.RecordedCalls`; :func:`agents_from_calls` infers the
agents per interval from the log; :meth:`SimulationResult.compare`
(:func:`compare`) sets the simulated offered, answered and abandoned calls,
service level and ASA against the log's, per interval or per day.

Agents per interval (``rule=``), compared on January 1999 of the bank's log
(``benchmarks/replay.py``):

* ``"waiting"`` (the default): while a caller waits, a work-conserving center
  has every agent available on a call, so the agents available are the calls
  in service at those moments. Per interval: the time-average number of calls
  in service while at least one caller waited (rounded, halves up); in an
  interval where nobody waited, the most calls in service at once (the log
  shows no more were needed). It estimates the agents *available for calls*,
  which is what the simulation's agent count means, from the log's own queue,
  and is exact on a log the model made (agents available all the interval).
  Where availability varies within the interval (after-call work, breaks,
  other tasks, none of them in the log) it reads it at its low points, the
  moments callers waited, so the replay errs on the pessimistic side.
* ``"serving"``: distinct agents (the ``agent`` column) with a call in service
  during the interval. It counts agents present, not available: one who took a
  single call, or spent the interval in after-call work or off the phones, or
  left at a quarter past, counts for the whole interval.
* ``"busy"``: busy agent-seconds / interval length, rounded up: the fewest
  agents that could have done the work, a lower bound (100 % occupancy).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ccsim._validation import CCSimInputError, check_size
from ccsim.simulation import _stats
from ccsim.simulation._inputs import number, show, whole
from ccsim.simulation._plan import time_in_bins
from ccsim.simulation.agents import AgentGroup
from ccsim.simulation.callers import REPLAY_MODES, RecordedCalls
from ccsim.simulation.distributions import Distribution, Empirical, Exponential, LogNormal

if TYPE_CHECKING:  # pragma: no cover
    from ccsim.simulation.results import SimulationResult
    from ccsim.simulation.scenario import Scenario

__all__ = ["AGENT_RULES", "agents_from_calls", "compare", "scenario_from_calls"]

#: The rules of :func:`agents_from_calls`.
AGENT_RULES = ("waiting", "serving", "busy")
# Agents x intervals of the "serving" rule (a boolean each): a year of 15-minute
# intervals for 1,400 agents.
MAX_AGENT_CELLS = 50_000_000
# Intervals of an inferred staffing: the Scenario's own limit.
MAX_INTERVALS = 1_000_000
_NS = 1_000_000_000
_NEEDED = ("call_type", "arrival", "queue_wait_seconds", "outcome", "service_seconds")
_MEASURES = ("service_level", "p_abandon", "asa_seconds")


# ------------------------------------------------------------------ the log
def _timestamp(name: str, value: Any) -> pd.Timestamp:
    what = f"{name} must be a naive timestamp such as '1999-01-01'; got {show(value)}"
    if isinstance(value, (bool, int, float, np.number)):
        raise CCSimInputError(what)
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError):
        raise CCSimInputError(what) from None
    if stamp is pd.NaT or stamp.tz is not None:
        raise CCSimInputError(what)
    return stamp.as_unit("ns")


def _log(calls: Any, columns: tuple[str, ...]) -> pd.DataFrame:
    """The answered and abandoned calls of a call table, checked (``other`` left out)."""
    from ccsim._arrivals.calls import check_calls

    table = check_calls(calls, _NEEDED)
    for column in columns:
        if column not in calls.columns:
            raise CCSimInputError(
                f"calls is missing column {column!r} (ccsim.io.read_call_log makes it)")
    if "agent" in columns:
        table["agent"] = calls["agent"].fillna("").astype(str).str.strip().to_numpy()
    if "priority" in columns:
        values = calls["priority"].to_numpy()
        try:
            numbers = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            numbers = np.full(len(values), np.nan)
        bad = ~np.isfinite(numbers) | (numbers != np.round(numbers))
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            value = values[row].item() if isinstance(values[row], np.generic) else values[row]
            raise CCSimInputError(
                f"calls['priority'] must hold whole numbers; got {show(value)} at row {row}")
        table["priority"] = numbers.astype(np.int64)
    return table[table["outcome"] != "other"].reset_index(drop=True)


def _span(table: pd.DataFrame, start: Any, end: Any, interval_minutes: Any
          ) -> tuple[pd.Timestamp, pd.Timestamp, float, int]:
    """The replayed span ``[start, end)``, its interval [s] and number of intervals."""
    minutes = number("interval_minutes", interval_minutes, low=0.0, low_inclusive=False)
    if table.empty and (start is None or end is None):
        raise CCSimInputError(
            "calls has no answered or abandoned call (outcome 'answered' or 'abandoned'); "
            "there is nothing to replay")
    first = table["arrival"].min().floor("D") if start is None else _timestamp("start", start)
    last = (table["arrival"].max().floor("D") + pd.Timedelta(days=1) if end is None
            else _timestamp("end", end))
    if last <= first:
        raise CCSimInputError(f"end must be after start; got start {first}, end {last}")
    seconds = (last.value - first.value) / _NS
    count = seconds / (minutes * 60.0)
    check_size("the span end - start in intervals", count, MAX_INTERVALS, unit="intervals",
               how="replay a shorter span or use longer intervals")
    if abs(count - round(count)) > 1e-9 * max(1.0, count):
        raise CCSimInputError(
            f"end - start must be a whole number of {minutes:g}-minute intervals "
            f"(interval_minutes); got {first} to {last}")
    return first, last, minutes * 60.0, int(round(count))


def _seconds(arrival: pd.Series, start: pd.Timestamp) -> np.ndarray:
    return (arrival.to_numpy().astype("datetime64[ns]").astype(np.int64) - start.value) / _NS


# ------------------------------------------------------------------ agents
def agents_from_calls(calls: pd.DataFrame, *, start: str | pd.Timestamp | None = None,
                      end: str | pd.Timestamp | None = None, interval_minutes: float = 30,
                      rule: str = "waiting") -> pd.Series:
    """Agents per interval inferred from a call log.

    Parameters
    ----------
    calls : pandas.DataFrame
        A call table (:mod:`ccsim.io`); ``agent`` is needed for ``"serving"``.
        Every answered call is in service from ``arrival + queue_wait_seconds``
        for ``service_seconds``; every call that queued waited from its
        ``arrival`` for ``queue_wait_seconds``. Calls outside the span count
        where their service or wait reaches into it.
    start, end : str or Timestamp, optional
        The span, ``[start, end)``: by default 00:00 of the first call's day to
        24:00 of the last call's day. A whole number of intervals.
    interval_minutes : float, default 30
        Length of the intervals [min].
    rule : {"waiting", "serving", "busy"}, default "waiting"
        ``"waiting"``: the time-average number of calls in service while at
        least one caller waited (rounded, halves up), or, in an interval where
        nobody waited, the most calls in service at once. ``"serving"``:
        distinct agents with a call in service during the interval (calls
        without an agent are not counted). ``"busy"``: busy agent-seconds /
        interval length, rounded up. Why ``"waiting"`` is the default: see
        :mod:`ccsim.simulation._replay` and docs/design.md.

    Returns
    -------
    pandas.Series
        Agents (int) per interval, on a DatetimeIndex of interval starts.

    Raises
    ------
    CCSimInputError
        A malformed call table, an unknown rule, or a span that is not a whole
        number of intervals.

    Examples
    --------
    Two calls waited while one agent served (10:00-10:05), then two served at once:

    >>> calls = pd.DataFrame({
    ...     "call_type": "A", "agent": ["x", "y", "x"],
    ...     "arrival": pd.to_datetime(["1999-01-01 10:00", "1999-01-01 10:01",
    ...                                "1999-01-01 10:02"]),
    ...     "queue_wait_seconds": [0.0, 240.0, 180.0], "outcome": "answered",
    ...     "service_seconds": [300.0, 600.0, 600.0]})
    >>> agents_from_calls(calls, start="1999-01-01 10:00", end="1999-01-01 11:00",
    ...                   rule="waiting").tolist()
    [1, 0]
    >>> agents_from_calls(calls, start="1999-01-01 10:00", end="1999-01-01 11:00",
    ...                   rule="serving").tolist()
    [2, 0]
    """
    if not isinstance(rule, str) or rule not in AGENT_RULES:
        raise CCSimInputError(
            f"rule must be one of {list(AGENT_RULES)}; got {show(rule)}")
    table = _log(calls, ("agent",) if rule == "serving" else ())
    start, end, length, count = _span(table, start, end, interval_minutes)
    edges = np.arange(count + 1) * length
    arrival = _seconds(table["arrival"], start)
    wait = table["queue_wait_seconds"].to_numpy()
    answered = (table["outcome"] == "answered").to_numpy()
    begin = (arrival + wait)[answered]
    finish = begin + table["service_seconds"].to_numpy()[answered]
    if rule == "busy":
        busy = time_in_bins(begin, finish, edges) / length
        agents = np.ceil(busy - 1e-9)
    elif rule == "serving":
        agents = _serving(table["agent"].to_numpy()[answered], begin, finish, edges)
    else:
        queued = wait > 0
        agents = _waiting(arrival[queued], (arrival + wait)[queued], begin, finish, edges)
    index = pd.date_range(start, periods=count, freq=pd.Timedelta(seconds=length),
                          name="interval_start")
    return pd.Series(np.maximum(agents, 0).astype(np.int64), index=index, name="agents")


def _serving(agent: np.ndarray, begin: np.ndarray, finish: np.ndarray,
             edges: np.ndarray) -> np.ndarray:
    """Distinct agents with a call in service in each bin (an instant call counts too)."""
    named = agent != ""
    names, code = np.unique(agent[named], return_inverse=True)
    check_size("agents_from_calls: agents x intervals (rule='serving')",
               float(names.size) * (edges.size - 1), MAX_AGENT_CELLS, unit="cells",
               how="use a shorter span, longer intervals or rule='waiting'")
    begin, finish = begin[named], finish[named]
    seen = np.zeros(edges.size - 1, dtype=np.int64)
    for a in range(names.size):
        mine = code == a
        on = time_in_bins(begin[mine], finish[mine], edges) > 0
        instant = begin[mine][(finish[mine] == begin[mine])]
        slot = np.searchsorted(edges, instant, side="right") - 1
        on[slot[(slot >= 0) & (slot < on.size)]] = True
        seen += on
    return seen


def _waiting(wait_begin: np.ndarray, wait_end: np.ndarray, begin: np.ndarray,
             finish: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Calls in service while someone waited (time average), else the most at once, per bin."""
    points = np.unique(np.concatenate((edges, np.clip(np.concatenate(
        (wait_begin, wait_end, begin, finish)), edges[0], edges[-1]))))
    middle = (points[:-1] + points[1:]) / 2
    length = np.diff(points)

    def level(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        return (np.searchsorted(np.sort(starts), middle)
                - np.searchsorted(np.sort(ends), middle))

    waiting = level(wait_begin, wait_end) > 0
    serving = level(begin, finish).astype(float)
    slot = np.minimum(np.searchsorted(edges, middle, side="right") - 1, edges.size - 2)
    bins = edges.size - 1
    waited = np.bincount(slot, weights=length * waiting, minlength=bins)
    served = np.bincount(slot, weights=length * waiting * serving, minlength=bins)
    peak = np.zeros(bins)
    np.maximum.at(peak, slot, serving)
    mean = np.divide(served, waited, out=np.zeros(bins), where=waited > 0)
    return np.where(waited > 0, np.floor(mean + 0.5), peak)


# ------------------------------------------------------------------ laws
def _service_law(service: str, talk: np.ndarray, pooled: np.ndarray) -> Distribution:
    """Talk times for calls the log does not show: resampled, or a lognormal fit."""
    for sample in (talk, pooled):
        positive = sample[sample > 0]
        if service == "recorded" and positive.size:
            return Empirical(sample)
        if service == "fitted" and positive.size >= 2 and positive.min() < positive.max():
            logs = np.log(positive)
            return LogNormal.from_log(float(logs.mean()), float(logs.std()))
    raise CCSimInputError(
        "calls has no answered call with service_seconds > 0 to draw talk times from"
        + (" (service='fitted' needs two different ones)" if service == "fitted" else ""))


def _patience_law(wait: np.ndarray, abandoned: np.ndarray, answered: np.ndarray,
                  pooled: float | None) -> float | None:
    """The censored exponential MLE (``ccsim.arrivals.estimate_patience``), or ``pooled``."""
    if not abandoned.any():
        return pooled
    at_risk = abandoned | (answered & (wait > 0))
    mean = float(wait[at_risk].sum() / abandoned.sum())
    return mean if mean > 0 else pooled


# ------------------------------------------------------------------ scenario
def scenario_from_calls(cls: type[Scenario], calls: Any, *, start: Any, end: Any,
                        interval_minutes: Any, answer_within_seconds: Any, service: Any,
                        patience: Any, agents: Any, priorities: Any,
                        wrap_up_seconds: Any) -> Scenario:
    """The body of :meth:`Scenario.from_calls`."""
    from ccsim.simulation.scenario import CallType

    for name, value in (("service", service), ("patience", patience)):
        if not isinstance(value, str) or value not in REPLAY_MODES:
            raise CCSimInputError(f"{name} must be 'recorded' or 'fitted'; got {show(value)}")
    levels = _priority_levels(priorities)
    inferred = isinstance(agents, str)
    if inferred and agents != "inferred":
        raise CCSimInputError(
            "agents must be 'inferred', a whole number of agents or a Series of agents per "
            f"interval; got {show(agents)}")
    table = _log(calls, ("priority",) if levels is not None else ())
    first, last, length, count = _span(table, start, end, interval_minutes)
    arrival = _seconds(table["arrival"], first)
    inside = (arrival >= 0) & (arrival < count * length)
    if not inside.any():
        raise CCSimInputError(
            f"calls has no answered or abandoned call arriving in [{first}, {last}) (start, "
            "end); there is nothing to replay")
    table, arrival = table[inside].reset_index(drop=True), arrival[inside]
    kind = table["call_type"].to_numpy()
    if levels is not None:
        unknown = sorted(set(table["priority"]) - set(levels)) if levels else []
        if unknown:
            raise CCSimInputError(
                f"priorities maps {sorted(levels)}, not the log's priority {unknown[0]}; map "
                "every priority of the calls replayed")
        kind = np.array([f"{t}/p{p}" for t, p in zip(kind, table["priority"], strict=True)],
                        dtype=object)
    wait = table["queue_wait_seconds"].to_numpy()
    talk = table["service_seconds"].to_numpy()
    answered = (table["outcome"] == "answered").to_numpy()
    pooled = _patience_law(wait, ~answered, answered, None)
    if pooled is None and (~answered).any():
        raise CCSimInputError(
            "calls: every abandoned caller waited 0 s and no answered caller waited; patience "
            "cannot be estimated (use patience='fitted' with a log that shows waits)")
    types = []
    for name in sorted(set(kind)):
        mine = kind == name
        mean = _patience_law(wait[mine], ~answered[mine], answered[mine], pooled)
        recorded = RecordedCalls(arrival[mine], wait[mine], answered[mine], talk[mine],
                                 service=service, patience=patience)
        priority = 0
        if levels is not None:
            log_priority = int(table["priority"].to_numpy()[mine][0])
            priority = log_priority if not levels else int(levels[log_priority])
        types.append(CallType(
            name, recorded=recorded, service=_service_law(service, talk[mine & answered],
                                                          talk[answered]),
            patience=None if mean is None else Exponential(mean), priority=priority,
            wrap_up_seconds=wrap_up_seconds))
    if inferred:
        agents = agents_from_calls(calls, start=first, end=last,
                                   interval_minutes=length / 60.0, rule="waiting")
    group = AgentGroup("agents", skills=[t.name for t in types], agents=agents)
    return cls(types, [group], horizon_hours=count * length / 3600.0,
               answer_within_seconds=answer_within_seconds, interval_minutes=length / 60.0,
               start=first, call_selection="longest-waiting")


def _priority_levels(priorities: Any) -> dict[int, int] | None:
    """None: ignore the log's priorities; {}: split by them as they are; else the mapping."""
    if isinstance(priorities, (bool, np.bool_)):
        return {} if priorities else None
    if not isinstance(priorities, Mapping):
        raise CCSimInputError(
            "priorities must be True, False or a mapping {log priority: CallType.priority}; "
            f"got {show(priorities)}")
    levels = {}
    for key, value in priorities.items():
        levels[whole(f"priorities key {key!r}", key, low=-2**31)] = whole(
            f"priorities[{key!r}]", value, low=-2**31)
    if not levels:
        raise CCSimInputError("priorities must map at least one log priority; got {}")
    return levels


# ------------------------------------------------------------------ compare
def compare(result: SimulationResult, *, per: str = "interval", by: str = "total"
            ) -> pd.DataFrame:
    """The body of :meth:`SimulationResult.compare`."""
    if not isinstance(per, str) or per not in ("interval", "day"):
        raise CCSimInputError(f"per must be 'interval' or 'day'; got {show(per)}")
    if not isinstance(by, str) or by not in ("total", "call_type"):
        raise CCSimInputError(f"by must be 'total' or 'call_type'; got {show(by)}")
    plan = result._plan
    replayed = [k for k, t in enumerate(plan.types) if t.recorded is not None]
    if not replayed:
        raise CCSimInputError(
            "compare needs a scenario that replays a call log (Scenario.from_calls, or call "
            "types with recorded=); this one has none")
    length, count = plan.interval_seconds, plan.n_intervals
    actual = np.zeros((count, len(replayed), 4))  # offered, answered, abandoned, within
    waits = np.zeros((count, len(replayed)))
    for j, k in enumerate(replayed):
        t = plan.types[k]
        record = t.recorded
        slot = np.minimum((record.arrival_seconds // length).astype(np.int64), count - 1)
        within = record.answered & (record.wait_seconds <= t.within_seconds)
        for c, column in enumerate((np.ones(record.size), record.answered, ~record.answered,
                                    within)):
            actual[:, j, c] = np.bincount(slot, weights=column, minlength=count)
        waits[:, j] = np.bincount(slot, weights=np.where(record.answered,
                                                         record.wait_seconds, 0.0),
                                  minlength=count)
    columns = [_stats.CALL_COUNTS.index(n) for n in ("offered", "answered", "abandoned",
                                                     "answered_within", "wait_sum_seconds")]
    simulated = result._counts[:, :, replayed][..., columns]  # (R, I, K, 5)
    rows, frame = _rows(plan, per, count, length)
    kinds = len(replayed)
    if by == "total":
        keys = rows
    else:  # one row per (interval or day, call type), call types in the scenario's order
        keys = (rows[:, None] * kinds + np.arange(kinds)).ravel()
        frame = frame.loc[frame.index.repeat(kinds)].reset_index(drop=True)
        names = [plan.types[k].name for k in replayed]
        frame["call_type"] = pd.Categorical(np.tile(names, len(frame) // kinds), names)
    size = len(frame)

    def total(values: np.ndarray) -> np.ndarray:
        """Counts (..., intervals, call types) summed into the table's rows: (..., rows)."""
        flat = (values.sum(axis=-1) if by == "total"
                else values.reshape(*values.shape[:-2], -1))
        out = np.zeros((size, *flat.shape[:-1]))
        np.add.at(out, keys, np.moveaxis(flat, -1, 0))
        return np.moveaxis(out, 0, -1)

    act = {name: total(actual[..., c]) for c, name in
           enumerate(("offered", "answered", "abandoned", "within"))}
    act["waits"] = total(waits)
    sim = {name: total(simulated[..., c]) for c, name in
           enumerate(("offered", "answered", "abandoned", "within", "waits"))}
    for name in ("offered", "answered", "abandoned"):
        frame[f"{name}_actual"] = act[name].astype(np.int64)
        frame[f"{name}_simulated"] = sim[name].mean(axis=0)
    pairs = {"service_level": ("within", "offered", 1.0), "p_abandon": ("abandoned", "offered",
                                                                         0.0),
             "asa_seconds": ("waits", "answered", 0.0)}
    for measure, (top, bottom, empty) in pairs.items():
        frame[f"{measure}_actual"] = _stats.divide(act[top], act[bottom], empty)
        value, half = _stats.ratio(sim[top], sim[bottom], empty)
        frame[f"{measure}_simulated"] = value
        frame[f"{measure}_simulated_ci"] = half
        frame[f"{measure}_error"] = value - frame[f"{measure}_actual"].to_numpy()
    frame.attrs["replications"] = result.replications
    return frame


def _rows(plan: Any, per: str, count: int, length: float) -> tuple[np.ndarray, pd.DataFrame]:
    """Each interval's row of the table, and the rows' labels (interval or day)."""
    seconds = np.arange(count) * length
    if plan.start_ns is None:
        if per == "interval":
            return np.arange(count), pd.DataFrame({"start_seconds": seconds})
        day = (seconds // 86400).astype(np.int64)
        days, rows = np.unique(day, return_inverse=True)
        return rows, pd.DataFrame({"day": days})
    stamps = pd.Timestamp(plan.start_ns) + pd.to_timedelta(seconds, unit="s")
    if per == "interval":
        return np.arange(count), pd.DataFrame({"interval_start": stamps})
    dates, rows = np.unique(stamps.floor("D").to_numpy(), return_inverse=True)
    return rows, pd.DataFrame({"date": pd.DatetimeIndex(dates)})
