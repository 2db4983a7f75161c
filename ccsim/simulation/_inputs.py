"""Normalising what users pass as arrivals and staffing: forecasts, Series, sequences.

Everything here turns a pandas or sequence input into plain, hashable tuples
(so the scenario dataclasses stay frozen, comparable and cheap to pickle) and
raises :class:`~ccsim._validation.CCSimInputError` naming the field otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ccsim._arrivals.sampling import check_forecast
from ccsim._validation import CCSimInputError, check_count, check_real

_NS_PER_SECOND = 1_000_000_000
# Timestamps must fall within this fraction of an interval of the scenario's grid.
_GRID_TOLERANCE = 1e-6
# The latest time [h since the start] of a horizon or a shift: beyond a century float
# seconds lose resolution and timestamps overflow.
MAX_HOURS = 1_000_000.0


def show(value: Any) -> str:
    """``repr(value)``, cut to 80 characters for a message."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def real(name: str, value: Any, **bounds: Any) -> np.ndarray:
    """:func:`~ccsim._validation.check_real` (which also refuses an int beyond a float)."""
    return check_real(name, value, **bounds)


def number(name: str, value: Any, **bounds: Any) -> float:
    """One number checked by :func:`real` (an array, even of one element, is refused)."""
    array = real(name, value, **bounds)
    if array.ndim != 0:
        raise CCSimInputError(f"{name} must be a single number; got {show(value)}")
    return float(array)


def whole(name: str, value: Any, **bounds: Any) -> int:
    """One whole number checked by :func:`count` (an array is refused)."""
    array = count(name, value, **bounds)
    if array.ndim != 0:
        raise CCSimInputError(f"{name} must be a single whole number; got {show(value)}")
    return int(array)


def count(name: str, value: Any, **bounds: Any) -> np.ndarray:
    """:func:`~ccsim._validation.check_count` (which also refuses an int beyond a float)."""
    return check_count(name, value, **bounds)


@dataclass(frozen=True)
class TimedValues:
    """Values on a regular time grid: ``values[i]`` holds over ``[starts_ns[i], + step)``."""

    starts_ns: tuple[int, ...]
    step_seconds: float
    values: tuple[float, ...]

    @property
    def first_ns(self) -> int:
        return min(self.starts_ns)

    @property
    def end_ns(self) -> int:
        return max(self.starts_ns) + int(round(self.step_seconds * _NS_PER_SECOND))


def _step_of(name: str, index: pd.DatetimeIndex, freq: Any) -> float:
    """The interval length [s] of a time index: ``freq`` if given, else its grid step."""
    if freq is not None:
        try:
            step = pd.Timedelta(pd.tseries.frequencies.to_offset(freq))
        except (TypeError, ValueError):
            raise CCSimInputError(
                f"{name} has an interval length (freq) {freq!r} that is not a duration such as "
                "'30min'") from None
        return step.total_seconds()
    starts = np.unique(index.asi8)
    if starts.size < 2:
        raise CCSimInputError(
            f"{name} has a single interval: give its length in attrs['freq'] (e.g. '30min')")
    return float(np.diff(starts).min()) / _NS_PER_SECOND


def _timed(name: str, index: pd.DatetimeIndex, values: np.ndarray, freq: Any) -> TimedValues:
    index = pd.DatetimeIndex(index)
    if index.tz is not None:
        raise CCSimInputError(f"{name} must have naive timestamps; got time zone {index.tz}")
    if index.hasnans:
        raise CCSimInputError(f"{name} has a missing timestamp (NaT)")
    if index.has_duplicates:
        stamp = index[index.duplicated()][0]
        raise CCSimInputError(f"{name} has two values for the interval starting {stamp}")
    try:
        index = index.as_unit("ns")
    except (pd.errors.OutOfBoundsDatetime, OverflowError):
        raise CCSimInputError(
            f"{name} has timestamps from {index.min()} to {index.max()}, outside the range "
            f"pandas can hold in nanoseconds ({pd.Timestamp.min} to {pd.Timestamp.max})"
        ) from None
    step = _step_of(name, index, freq)
    if step <= 0:
        raise CCSimInputError(f"{name} must have intervals longer than 0 s; got {step} s")
    offsets = (index.asi8 - index.asi8.min()) / (step * _NS_PER_SECOND)
    if not np.allclose(offsets, np.round(offsets)):
        raise CCSimInputError(f"{name} has timestamps off its {step:g} s interval grid")
    order = np.argsort(index.asi8, kind="stable")
    return TimedValues(tuple(index.asi8[order].tolist()), step,
                       tuple(np.asarray(values, dtype=float)[order].tolist()))


def forecast_calls(owner: str, call_type: str, arrivals: Any) -> TimedValues:
    """Calls per interval of one call type from a forecast frame or a Series.

    A DataFrame is in the forecast schema of :func:`ccsim.arrivals.forecast_volumes`;
    its rows of ``call_type`` are used (all rows if it has only one call type).
    A Series holds calls per interval on a DatetimeIndex.
    """
    name = f"{owner}.arrivals"
    if isinstance(arrivals, pd.DataFrame):
        check_forecast(arrivals, name)
        types = arrivals["call_type"].astype(str)
        rows = arrivals[types == call_type]
        if rows.empty:
            kinds = sorted(types.unique())
            if len(kinds) != 1:
                raise CCSimInputError(
                    f"{name} has no rows for call type {call_type!r}; its call types are {kinds}")
            rows = arrivals
        index = pd.DatetimeIndex(rows["interval_start"])
        return _timed(name, index, rows["calls"].to_numpy(dtype=float), arrivals.attrs.get("freq"))
    if isinstance(arrivals, pd.Series):
        if not isinstance(arrivals.index, pd.DatetimeIndex):
            raise CCSimInputError(
                f"{name} (a Series of calls per interval) must have a DatetimeIndex of interval "
                f"starts; got {type(arrivals.index).__name__}")
        values = real(name, arrivals.to_numpy(), low=0.0)
        if values.ndim != 1:
            raise CCSimInputError(f"{name} must hold one number per interval")
        freq = arrivals.attrs.get("freq") or arrivals.index.freqstr
        return _timed(name, arrivals.index, values, freq)
    raise CCSimInputError(
        f"{name} must be a forecast DataFrame (ccsim.arrivals.forecast_volumes) or a Series of "
        f"calls per interval; got {type(arrivals).__name__}")


def per_interval(name: str, value: Any, *, counts: bool) -> float | tuple[float, ...] | TimedValues:
    """A number, a sequence per scenario interval, or a Series on a DatetimeIndex."""
    if isinstance(value, pd.Series):
        if not isinstance(value.index, pd.DatetimeIndex):
            raise CCSimInputError(
                f"{name} (a Series) must have a DatetimeIndex of interval starts; got "
                f"{type(value.index).__name__}")
        values = (count(name, value.to_numpy()) if counts
                  else real(name, value.to_numpy(), low=0.0))
        return _timed(name, value.index, values, value.attrs.get("freq") or value.index.freqstr)
    if isinstance(value, (str, bytes, Mapping)) or value is None:
        raise CCSimInputError(
            f"{name} must be a number, a sequence or a Series; got {show(value)}")
    array = count(name, value) if counts else real(name, value, low=0.0)
    if array.ndim == 0:
        return float(array)
    if array.ndim != 1 or array.size == 0:
        raise CCSimInputError(f"{name} must be a number or a 1-d sequence; got shape {array.shape}")
    return tuple(array.tolist())


def resolve(name: str, value: float | tuple[float, ...] | TimedValues, start_ns: int | None,
            interval_seconds: float, n_intervals: int) -> np.ndarray:
    """One value per scenario interval, from a number, a sequence or a timed Series."""
    if isinstance(value, float):
        return np.full(n_intervals, value)
    if isinstance(value, tuple):
        if len(value) != n_intervals:
            raise CCSimInputError(
                f"{name} must have one value per interval of the scenario ({n_intervals} of "
                f"{interval_seconds / 60:g} min); got {len(value)}")
        return np.asarray(value, dtype=float)
    if start_ns is None:
        raise CCSimInputError(f"{name} is a Series on timestamps, so the scenario needs a start")
    if not np.isclose(value.step_seconds, interval_seconds):
        raise CCSimInputError(
            f"{name} has {value.step_seconds / 60:g}-minute intervals; the scenario's are "
            f"{interval_seconds / 60:g} minutes")
    position = on_grid(name, value, start_ns, interval_seconds)
    slot = np.round(position)
    out = np.full(n_intervals, np.nan)
    inside = (slot >= 0) & (slot < n_intervals)
    out[slot[inside].astype(np.int64)] = np.asarray(value.values)[inside]
    if np.isnan(out).any():
        missing = int(np.flatnonzero(np.isnan(out))[0])
        stamp = pd.Timestamp(start_ns) + pd.Timedelta(seconds=missing * interval_seconds)
        raise CCSimInputError(f"{name} has no value for the interval starting {stamp}")
    return out


def on_grid(name: str, value: TimedValues, start_ns: int, interval_seconds: float
            ) -> np.ndarray:
    """Positions of timed values on the scenario's grid (``start`` + k intervals).

    The values' intervals must each lie inside one scenario interval or cover
    whole ones: their length is a whole multiple, or a whole fraction, of the
    scenario's interval, and their starts are on the grid of the shorter of the two.

    Returns
    -------
    numpy.ndarray
        ``(starts - start) / interval`` per value [intervals].

    Raises
    ------
    CCSimInputError
        The lengths do not fit, or a start is off the grid (the message names the
        first such timestamp and the grid).
    """
    ratio = value.step_seconds / interval_seconds
    if ratio >= 1 and abs(ratio - round(ratio)) <= _GRID_TOLERANCE * ratio:
        unit = interval_seconds  # a value's interval covers whole scenario intervals
    elif ratio < 1 and abs(1 / ratio - round(1 / ratio)) <= _GRID_TOLERANCE / ratio:
        unit = value.step_seconds  # scenario intervals are split into whole values' intervals
    else:
        raise CCSimInputError(
            f"{name} has {value.step_seconds / 60:g}-minute intervals, which neither split the "
            f"scenario's {interval_seconds / 60:g}-minute intervals nor cover whole ones; set "
            "Scenario.interval_minutes to fit")
    # differences of Python ints (exact: int64 could wrap), then seconds as floats
    offset = np.array([(t - start_ns) / _NS_PER_SECOND for t in value.starts_ns])
    steps = offset / unit
    off = np.abs(steps - np.round(steps)) > _GRID_TOLERANCE
    if off.any():
        stamp = pd.Timestamp(value.starts_ns[int(np.flatnonzero(off)[0])])
        raise CCSimInputError(
            f"{name} has an interval starting {stamp}, off the scenario's grid of "
            f"{unit / 60:g}-minute intervals from {pd.Timestamp(start_ns)} (Scenario.start); "
            "align its timestamps with the grid, or set Scenario.start and interval_minutes to "
            "match them")
    return offset / interval_seconds


def overflow_pairs(owner: str, overflow: Any) -> tuple[tuple[str, float], ...]:
    """``{group: after_seconds}`` (or pairs) as a tuple of ``(group, seconds)`` pairs."""
    if overflow is None:
        return ()
    items = overflow.items() if isinstance(overflow, Mapping) else overflow
    try:
        pairs = [(group, seconds) for group, seconds in items]
    except (TypeError, ValueError):
        raise CCSimInputError(
            f"{owner}.overflow must map group names to delays in seconds, e.g. "
            f"{{'general': 30}}; got {show(overflow)}") from None
    out = []
    for group, seconds in pairs:
        if not isinstance(group, str):
            raise CCSimInputError(f"{owner}.overflow group names must be strings; got {group!r}")
        delay = number(f"{owner}.overflow[{group!r}]", seconds, low=0.0)
        out.append((group, delay))
    groups = [group for group, _ in out]
    if len(set(groups)) != len(groups):
        raise CCSimInputError(f"{owner}.overflow names a group twice: {show(groups)}")
    return tuple(out)


def names(owner: str, field: str, values: Any) -> tuple[str, ...]:
    """A non-empty sequence of distinct strings (e.g. a group's skills)."""
    if isinstance(values, str) or not isinstance(values, Sequence) or len(values) == 0:
        raise CCSimInputError(
            f"{owner}.{field} must be a non-empty list of call type names; got {show(values)}")
    bad = [value for value in values if not isinstance(value, str)]
    if bad:
        raise CCSimInputError(f"{owner}.{field} must hold call type names (str); got {bad[0]!r}")
    twice = first_repeat(values)
    if twice is not None:
        raise CCSimInputError(f"{owner}.{field} lists {show(twice)} twice")
    return tuple(values)


def first_repeat(values: Sequence[str]) -> str | None:
    """The first value seen a second time (a set: no quadratic scan of long lists)."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            return value
        seen.add(value)
    return None


def check_name(kind: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise CCSimInputError(f"{kind}.name must be a non-empty string; got {show(value)}")
    return value


def one_of(owner: str, first: str, a: Any, second: str, b: Any, *, required: bool) -> None:
    if a is not None and b is not None:
        raise CCSimInputError(f"{owner}: give {first} or {second}, not both")
    if required and a is None and b is None:
        raise CCSimInputError(f"{owner}: give {first} or {second}")
