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
    index = index.as_unit("ns")
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
        values = check_real(name, arrivals.to_numpy(dtype=float), low=0.0)
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
        values = (check_count(name, value.to_numpy(dtype=float)) if counts
                  else check_real(name, value.to_numpy(dtype=float), low=0.0))
        return _timed(name, value.index, values, value.attrs.get("freq") or value.index.freqstr)
    if isinstance(value, (str, bytes, Mapping)) or value is None:
        raise CCSimInputError(f"{name} must be a number, a sequence or a Series; got {value!r}")
    array = check_count(name, value) if counts else check_real(name, value, low=0.0)
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
    position = (np.asarray(value.starts_ns) - start_ns) / (interval_seconds * _NS_PER_SECOND)
    out = np.full(n_intervals, np.nan)
    inside = (position >= 0) & (position < n_intervals)
    out[np.round(position[inside]).astype(int)] = np.asarray(value.values)[inside]
    if np.isnan(out).any():
        missing = int(np.flatnonzero(np.isnan(out))[0])
        stamp = pd.Timestamp(start_ns) + pd.Timedelta(seconds=missing * interval_seconds)
        raise CCSimInputError(f"{name} has no value for the interval starting {stamp}")
    return out


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
            f"{{'general': 30}}; got {overflow!r}") from None
    out = []
    for group, seconds in pairs:
        if not isinstance(group, str):
            raise CCSimInputError(f"{owner}.overflow group names must be strings; got {group!r}")
        delay = float(check_real(f"{owner}.overflow[{group!r}]", seconds, low=0.0))
        out.append((group, delay))
    groups = [group for group, _ in out]
    if len(set(groups)) != len(groups):
        raise CCSimInputError(f"{owner}.overflow names a group twice: {groups}")
    return tuple(out)


def names(owner: str, field: str, values: Any) -> tuple[str, ...]:
    """A non-empty sequence of distinct strings (e.g. a group's skills)."""
    if isinstance(values, str) or not isinstance(values, Sequence) or len(values) == 0:
        raise CCSimInputError(
            f"{owner}.{field} must be a non-empty list of call type names; got {values!r}")
    bad = [value for value in values if not isinstance(value, str)]
    if bad:
        raise CCSimInputError(f"{owner}.{field} must hold call type names (str); got {bad[0]!r}")
    seen = [value for i, value in enumerate(values) if value in values[:i]]
    if seen:
        raise CCSimInputError(f"{owner}.{field} lists {seen[0]!r} twice")
    return tuple(values)


def check_name(kind: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise CCSimInputError(f"{kind}.name must be a non-empty string; got {value!r}")
    return value


def one_of(owner: str, first: str, a: Any, second: str, b: Any, *, required: bool) -> None:
    if a is not None and b is not None:
        raise CCSimInputError(f"{owner}: give {first} or {second}, not both")
    if required and a is None and b is None:
        raise CCSimInputError(f"{owner}: give {first} or {second}")
