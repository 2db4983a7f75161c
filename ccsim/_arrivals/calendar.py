"""Days: the special-day calendar and the history as a day x interval-of-day array.

:class:`Calendar` (closed days, short days, volume factors) is re-exported by
:mod:`ccsim.arrivals`; :func:`history_cube` checks a tidy history and reshapes it
for the forecasting model of :mod:`ccsim._arrivals.forecast`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ccsim._arrivals.checks import (
    MAX_CALLS_PER_INTERVAL,
    DayKind,
    TimeLike,
    call_type_labels,
    check_frame,
    ns_times,
    numeric_column,
    real,
    show,
)
from ccsim._validation import CCSimInputError, check_count

__all__ = ["Calendar", "HistoryCube", "as_calendar", "history_cube"]

_CLOSED_KINDS = ("holiday", "closed")
_FREQUENCIES = ("15min", "30min", "60min")
_DAY = pd.Timedelta(days=1)
_STEPS = tuple(pd.Timedelta(freq) for freq in _FREQUENCIES)
_CLOCK = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")


def timestamp(name: str, value: Any, *, ns: bool = True) -> pd.Timestamp:
    """``value`` as a naive :class:`pandas.Timestamp`; raise naming ``name`` otherwise.

    A number is not a date (``pandas.Timestamp(5)`` would be 5 ns after 1970). With
    ``ns`` (the default), the result is in nanoseconds and a time outside their range
    (1677-09-22 to 2262-04-11) is refused; without, the caller checks the range.
    """
    if isinstance(value, (bool, int, float, np.number)) or value is None:
        raise CCSimInputError(
            f"{name} must be a date or time (e.g. '1999-02-01 08:00'); got {show(value)}")
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError):
        raise CCSimInputError(
            f"{name} must be a date or time (e.g. '1999-02-01 08:00'); got {show(value)}"
        ) from None
    if stamp is pd.NaT or pd.isna(stamp):
        raise CCSimInputError(f"{name} must be a date or time; got {show(value)}")
    if stamp.tz is not None:
        raise CCSimInputError(f"{name} must be a naive local time; got time zone {stamp.tz}")
    return as_ns(name, stamp) if ns else stamp


def as_ns(name: str, stamp: pd.Timestamp) -> pd.Timestamp:
    """``stamp`` in nanoseconds; refuse one outside their range, naming ``name``."""
    try:
        return stamp.as_unit("ns")
    except (ValueError, OverflowError):
        raise CCSimInputError(
            f"{name} must be between {pd.Timestamp.min.ceil('D'):%Y-%m-%d} and "
            f"{pd.Timestamp.max.floor('D'):%Y-%m-%d}; got {stamp}") from None


def calendar_date(name: str, value: Any, *, ns: bool = True) -> pd.Timestamp:
    """``value`` as a date (a midnight timestamp); raise naming ``name`` otherwise."""
    stamp = timestamp(name, value, ns=ns)
    if stamp != stamp.normalize():
        raise CCSimInputError(f"{name} must be a date (midnight); got {stamp}")
    return stamp


def _clock(name: str, value: Any) -> pd.Timedelta:
    if isinstance(value, datetime.time):
        value = f"{value.hour}:{value.minute:02d}:{value.second:02d}"
    clock: Any = pd.NaT
    if isinstance(value, pd.Timedelta):
        clock = value
    elif isinstance(value, str) and _CLOCK.match(value.strip()):
        text = value.strip()
        clock = pd.Timedelta(text + ":00" if text.count(":") == 1 else text)
    if clock is pd.NaT or not pd.Timedelta(0) < clock < _DAY:
        raise CCSimInputError(
            f"{name} must be a closing time of day such as '13:00' (after 00:00, before "
            f"24:00); got {value!r}"
        )
    return clock


def _days(name: str, value: Any) -> list[Any]:
    """One date or an iterable of dates (None: none) as a list."""
    if value is None:
        return []
    if isinstance(value, (str, datetime.date, np.datetime64)):
        return [value]
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        raise CCSimInputError(f"{name} must be a date or a list of dates; got {show(value)}")
    return list(value)


def _pairs(name: str, value: Any) -> list[tuple[Any, Any]]:
    """A mapping or an iterable of (date, value) pairs (None: none) as a list of pairs."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        return list(value.items())
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise CCSimInputError(
            f"{name} must be a mapping date -> value or a list of (date, value) pairs; got "
            f"{show(value)}")
    pairs = []
    for item in value:
        if isinstance(item, (str, bytes)) or not isinstance(item, Iterable):
            raise CCSimInputError(f"{name} must hold (date, value) pairs; got {show(item)}")
        pair = tuple(item)
        if len(pair) != 2:
            raise CCSimInputError(f"{name} must hold (date, value) pairs; got {show(item)}")
        pairs.append(pair)
    return pairs


@dataclass(frozen=True, repr=False)
class Calendar:
    """Special days: closed days, short days and days with a volume factor.

    Parameters
    ----------
    closed : date-like or iterable of date-like, optional
        Holidays and closed days: zero calls.
    short : mapping or iterable of (date-like, closing time), optional
        Short days: the center closes at the given time of day (``"13:00"``,
        ``"13:00:00"``, a :class:`datetime.time` or a :class:`pandas.Timedelta`
        after midnight); no calls from then on.
    factors : mapping or iterable of (date-like, float), optional
        Days whose whole volume is multiplied by a finite factor ``>= 0`` (1.3: a
        post-holiday peak).

    Dates are midnights; ``None`` is an empty part. Anything else (a number, a
    bare string where pairs are expected, a clock such as ``"13"``) is refused
    with :class:`ccsim._validation.CCSimInputError`.

    A date may appear once. Every listed day of the *history* is left out of the
    forecast fit. :meth:`from_mapping` reads ``{date: "holiday" | "closed" |
    ("short", "13:00") | factor}``.

    Examples
    --------
    >>> Calendar(closed=["1999-02-02"], short={"1999-02-05": "13:00"})
    Calendar(closed=['1999-02-02'], short={'1999-02-05': '13:00'}, factors={})
    """

    closed: tuple[pd.Timestamp, ...] = ()
    short: tuple[tuple[pd.Timestamp, pd.Timedelta], ...] = ()
    factors: tuple[tuple[pd.Timestamp, float], ...] = ()
    _all: frozenset = field(default=frozenset(), init=False, compare=False)

    def __post_init__(self) -> None:
        closed = tuple(sorted(calendar_date("calendar closed day", day)
                              for day in _days("calendar closed", self.closed)))
        short = tuple(sorted(
            (calendar_date("calendar short day", day), _clock("calendar closing time", clock))
            for day, clock in _pairs("calendar short", self.short)
        ))
        factors = tuple(sorted(
            (calendar_date("calendar factor day", day),
             real("calendar factor", factor, low=0.0))
            for day, factor in _pairs("calendar factors", self.factors)
        ))
        days = [*closed, *(d for d, _ in short), *(d for d, _ in factors)]
        twice = sorted({day for day in days if days.count(day) > 1})
        if twice:
            raise CCSimInputError(
                f"calendar lists a day more than once: {twice[0].date()}; each date has one kind"
            )
        object.__setattr__(self, "closed", closed)
        object.__setattr__(self, "short", short)
        object.__setattr__(self, "factors", factors)
        object.__setattr__(self, "_all", frozenset(days))

    @classmethod
    def from_mapping(cls, days: Mapping[TimeLike, DayKind]) -> Calendar:
        """A calendar from ``{date: "holiday" | "closed" | ("short", time) | factor}``."""
        if not isinstance(days, Mapping):
            raise CCSimInputError(
                "calendar must be a mapping date -> 'holiday' | 'closed' | ('short', '13:00') | "
                f"factor; got {type(days).__name__}")
        closed, short, factors = [], [], []
        for day, kind in days.items():
            if isinstance(kind, str) and kind in _CLOSED_KINDS:
                closed.append(day)
            elif isinstance(kind, tuple) and len(kind) == 2 and kind[0] == "short":
                short.append((day, kind[1]))
            elif isinstance(kind, (int, float, np.number)) and not isinstance(kind, bool):
                factors.append((day, kind))
            else:
                raise CCSimInputError(
                    f"calendar[{day!r}] must be 'holiday', 'closed', ('short', '13:00') or a "
                    f"volume factor >= 0; got {kind!r}"
                )
        return cls(closed=closed, short=short, factors=factors)

    def __repr__(self) -> str:
        closed = [day.strftime("%Y-%m-%d") for day in self.closed]
        short = {day.strftime("%Y-%m-%d"): _hhmm(clock) for day, clock in self.short}
        factors = {day.strftime("%Y-%m-%d"): factor for day, factor in self.factors}
        return f"Calendar(closed={closed}, short={short}, factors={factors})"

    def listed(self, days: pd.DatetimeIndex) -> npt.NDArray[np.bool_]:
        """Whether each day (midnight timestamps) is in the calendar."""
        days = _day_index(days)
        return np.array([day in self._all for day in days], dtype=bool)

    def open_fraction(self, days: pd.DatetimeIndex, step: pd.Timedelta
                      ) -> npt.NDArray[np.float64]:
        """Volume multiplier per day and interval-of-day, shape ``(days, 86400 s / step)``.

        ``step`` is the interval length: 15, 30 or 60 minutes.
        """
        days = _day_index(days)
        if not isinstance(step, pd.Timedelta) or step not in _STEPS:
            raise CCSimInputError(
                f"step must be a pandas.Timedelta of 15, 30 or 60 minutes; got {show(step)}")
        per_day = int(_DAY / step)
        out = np.ones((len(days), per_day))
        position = {day: i for i, day in enumerate(days)}
        starts = np.arange(per_day) * step.total_seconds()
        for day in self.closed:
            if day in position:
                out[position[day]] = 0.0
        for day, clock in self.short:
            if day in position:
                open_seconds = np.clip(clock.total_seconds() - starts, 0, step.total_seconds())
                out[position[day]] = open_seconds / step.total_seconds()
        for day, factor in self.factors:
            if day in position:
                out[position[day]] = factor
        return out


def _day_index(days: Any) -> pd.DatetimeIndex:
    """``days`` as a DatetimeIndex of naive midnights; raise naming ``days`` otherwise."""
    try:
        index = pd.DatetimeIndex(days)
    except (TypeError, ValueError, OverflowError):
        raise CCSimInputError(
            f"days must be a pandas.DatetimeIndex of dates; got {show(days)}") from None
    if index.tz is not None or index.hasnans or (index != index.normalize()).any():
        raise CCSimInputError(f"days must be naive dates at midnight; got {show(days)}")
    return index


def _hhmm(clock: pd.Timedelta) -> str:
    minutes = int(clock.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def as_calendar(value: Any) -> Calendar:
    """``value`` (a Calendar, a mapping date -> kind, or None) as a :class:`Calendar`."""
    if value is None:
        return Calendar()
    if isinstance(value, Calendar):
        return value
    if isinstance(value, Mapping):
        return Calendar.from_mapping(value)
    raise CCSimInputError(
        f"calendar must be a ccsim.arrivals.Calendar, a mapping date -> kind, or None; "
        f"got {type(value).__name__}"
    )


def freq_name(step: pd.Timedelta) -> str:
    """The frequency string of an interval length: ``"30min"`` for 30 minutes."""
    return f"{int(step.total_seconds() // 60)}min"


# ------------------------------------------------------------------- history
@dataclass(frozen=True)
class HistoryCube:
    """History as an array ``counts[type, day, interval-of-day]`` (NaN: not covered)."""

    types: tuple[str, ...]
    step: pd.Timedelta
    days: pd.DatetimeIndex
    counts: np.ndarray
    present: np.ndarray  # whole day covered and some call type has calls
    start: pd.Timestamp  # the first interval's start
    end: pd.Timestamp  # the last interval's end: where a forecast may begin

    @property
    def freq(self) -> str:
        return freq_name(self.step)


_NEEDED = ("interval_start", "call_type", "offered")


def history_cube(history: Any) -> HistoryCube:
    """Check a tidy history (:func:`ccsim.arrivals.history_from_calls`) and reshape it."""
    if not isinstance(history, pd.DataFrame):
        raise CCSimInputError(
            "history must be a pandas DataFrame with columns interval_start, call_type and "
            f"offered (see ccsim.arrivals.history_from_calls); got {type(history).__name__}"
        )
    missing = [c for c in _NEEDED if c not in history]
    if missing:
        raise CCSimInputError(
            f"history is missing column(s) {missing}; needs ['interval_start', 'call_type', "
            "'offered'] (ccsim.arrivals.history_from_calls makes them)"
        )
    check_frame(history, "history", _NEEDED, "ccsim.arrivals.history_from_calls makes them")
    start = history["interval_start"]
    if not pd.api.types.is_datetime64_any_dtype(start) or getattr(start.dt, "tz", None):
        raise CCSimInputError(
            f"history['interval_start'] must hold naive timestamps (datetime64); got dtype "
            f"{start.dtype}"
        )
    if start.isna().any() or history.empty:
        raise CCSimInputError("history['interval_start'] must have no NaT and at least one row")
    offered = check_count("history['offered']", numeric_column(history, "offered", "history"))
    if offered.max() > MAX_CALLS_PER_INTERVAL:
        row = int(np.argmax(offered))
        raise CCSimInputError(
            f"history['offered'] must be at most {MAX_CALLS_PER_INTERVAL:.0e} calls in an "
            f"interval; got {offered[row]:.4g} at row {row}")
    times = ns_times(start, "history['interval_start']")
    types_all = call_type_labels(history["call_type"], "history")
    grid = np.unique(times)
    steps = np.unique(np.diff(grid)).astype("timedelta64[ns]")
    valid = [pd.Timedelta(freq) for freq in _FREQUENCIES]
    if len(grid) < 2 or pd.Timedelta(steps[0]) not in valid:
        raise CCSimInputError(
            "history['interval_start'] must be a regular grid at 15, 30 or 60 minutes; got "
            + ("a single interval" if len(grid) < 2 else f"a step of {pd.Timedelta(steps[0])}")
        )
    step = pd.Timedelta(steps[0])
    if len(steps) > 1:
        gap = int(np.flatnonzero(np.diff(grid) != steps[0])[0])
        raise CCSimInputError(
            f"history has a gap: no interval starts between {pd.Timestamp(grid[gap])} and "
            f"{pd.Timestamp(grid[gap + 1])} (grid step {step}); give intervals without calls "
            "as rows of zero"
        )
    day0 = pd.Timestamp(grid[0]).normalize()
    if (pd.Timestamp(grid[0]) - day0) % step:
        raise CCSimInputError(
            f"history['interval_start'] must be on the {step} grid of the clock; got "
            f"{pd.Timestamp(grid[0])}"
        )
    types = tuple(sorted(set(types_all)))
    frame = pd.DataFrame({"t": times, "c": types_all})
    duplicated = frame.duplicated().to_numpy()
    if duplicated.any():
        row = int(np.flatnonzero(duplicated)[0])
        raise CCSimInputError(
            f"history has duplicate rows for interval_start {pd.Timestamp(times[row])} and "
            f"call_type {types_all[row]!r}; each interval and call type must appear once"
        )
    if len(times) != len(grid) * len(types):
        counts = frame.groupby("c")["t"].size()
        short = counts.index[counts.to_numpy() < len(grid)][0]
        have = set(frame.loc[frame["c"] == short, "t"].to_numpy())
        lacking = next(t for t in grid if t not in have)
        raise CCSimInputError(
            f"history has a gap: call type {short!r} has no row for {pd.Timestamp(lacking)}; "
            "every call type needs a row for every interval (zero when no calls)"
        )
    per_day = int(_DAY / step)
    n_days = int((pd.Timestamp(grid[-1]).normalize() - day0) / _DAY) + 1
    flat = np.full((len(types), n_days * per_day), np.nan)
    position = ((times - day0.to_datetime64()) // step.to_timedelta64()).astype(np.int64)
    flat[np.searchsorted(types, types_all), position] = offered
    counts = flat.reshape(len(types), n_days, per_day)
    complete = ~np.isnan(counts[0]).any(axis=1)
    total = np.nansum(counts, axis=(0, 2))
    days = pd.date_range(day0, periods=n_days, freq="D", unit="ns")
    return HistoryCube(types, step, days, counts, complete & (total > 0),
                       pd.Timestamp(grid[0]), pd.Timestamp(grid[-1]) + step)
