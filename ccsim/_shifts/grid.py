"""The requirement's grid of intervals, checked (private; used by :mod:`ccsim.shifts`).

A requirement (agents per interval) or a series of calls per interval must be a
pandas Series of finite, non-negative numbers on a regular grid of naive local
interval starts whose length divides a day; a table of
:func:`ccsim.staffing.requirements` or a forecast is summed over call types first
(a table with a ``group`` column is split by :mod:`ccsim._shifts.groups` before).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ccsim._shifts.checks import MAX_HORIZON_DAYS, show
from ccsim._validation import CCSimInputError, check_real, check_size

__all__ = ["Grid", "interval_starts", "numbers", "requirement_grid"]


@dataclass(frozen=True)
class Grid:
    """The requirement's intervals: starts, length [min] and the minute of day of the first."""

    index: pd.DatetimeIndex
    step: int

    @property
    def size(self) -> int:
        return len(self.index)

    @property
    def origin(self) -> pd.Timestamp:
        return self.index[0]

    @property
    def days(self) -> int:
        """Days from the first interval's date to the last's."""
        return int((self.index[-1].normalize() - self.index[0].normalize()).days)

    def minute_of_day(self) -> int:
        return self.origin.hour * 60 + self.origin.minute

    def stamp(self, slot: int) -> pd.Timestamp:
        return self.origin + pd.Timedelta(minutes=self.step * int(slot))


def _summed(name: str, table: pd.DataFrame, column: str, source: str) -> pd.Series:
    """A table's ``column`` summed per ``interval_start`` (over call types)."""
    if not {"interval_start", column} <= set(table.columns):
        raise CCSimInputError(
            f"{name} as a DataFrame needs columns 'interval_start' and {column!r} ({source}); "
            f"got columns {[show(c) for c in table.columns][:10]}")
    if "group" in table.columns:  # schedule_shifts takes groups before they come here
        raise CCSimInputError(
            f"{name} has a 'group' column, but plans one pooled queue: call it once per group "
            "(per-group planning is schedule_shifts')")
    values = check_real(f"{name}'s {column!r} column", numbers(name, table[column]), low=0.0)
    series = pd.Series(values, index=interval_starts(name, table["interval_start"])).groupby(
        level=0).sum()
    series.attrs["freq"] = table.attrs.get("freq")
    return series


def interval_starts(name: str, column: pd.Series) -> pd.DatetimeIndex:
    """A table's ``interval_start`` column as a DatetimeIndex."""
    try:
        return pd.DatetimeIndex(column)
    except (TypeError, ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        raise CCSimInputError(f"{name}: column 'interval_start' must hold interval start "
                              "times (datetimes)") from None


def numbers(name: str, series: pd.Series) -> np.ndarray:
    """A Series' values as floats (NaN kept), or a message naming the first non-number."""
    if series.dtype.kind == "c":
        raise CCSimInputError(f"{name} must hold real numbers; got dtype {series.dtype}")
    try:
        return series.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError, OverflowError):
        bad = next((v for v in series if not _is_number(v)), None)
        raise CCSimInputError(f"{name} must hold numbers; got {show(bad)}") from None


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError, OverflowError):
        return False
    return True


def _step(name: str, series: pd.Series, index: pd.DatetimeIndex) -> pd.Timedelta:
    declared = series.attrs.get("freq") or index.freq
    if declared is not None:
        try:
            return pd.Timedelta(pd.tseries.frequencies.to_offset(declared))
        except (TypeError, ValueError):
            raise CCSimInputError(
                f"{name}'s interval length (its index freq or attrs['freq']) must be a fixed "
                f"length such as '30min'; got {show(declared)}") from None
    if len(index) > 1:
        return pd.Timedelta(np.diff(index.to_numpy()).min())
    raise CCSimInputError(f"cannot infer the interval length of {name} from one interval; "
                          "set its index freq or attrs['freq'] (e.g. '30min')")


def requirement_grid(name: str, series: Any, column: str = "agents") -> tuple[Grid, np.ndarray]:
    """The checked grid and values of a Series on a regular DatetimeIndex.

    A DataFrame with ``interval_start`` and ``column`` columns (the table of
    :func:`ccsim.staffing.requirements`, or a forecast with ``calls``) is summed over
    call types first.
    """
    if isinstance(series, pd.DataFrame):
        source = ("the table of ccsim.staffing.requirements" if column == "agents"
                  else "a forecast of ccsim.arrivals")
        series = _summed(name, series, column, source)
    if not isinstance(series, pd.Series) or not isinstance(series.index, pd.DatetimeIndex):
        raise CCSimInputError(
            f"{name} must be a pandas Series indexed by interval start (a DatetimeIndex); "
            f"got {type(series).__name__}"
            + (f" indexed by {type(series.index).__name__}" if hasattr(series, "index") else ""))
    index = series.index
    if len(index) == 0:
        raise CCSimInputError(f"{name} has no intervals")
    if index.tz is not None:
        raise CCSimInputError(f"{name} must be indexed by naive local times; got time zone "
                              f"{index.tz} (use .tz_localize(None))")
    if index.hasnans or not index.is_monotonic_increasing or not index.is_unique:
        what = ("NaT" if index.hasnans else "a duplicated start" if not index.is_unique
                else "starts out of order")
        raise CCSimInputError(f"{name} index must be increasing interval starts without "
                              f"duplicates or NaT; it has {what}")
    step = _step(name, series, index)
    minutes = step.total_seconds() / 60.0
    if minutes <= 0 or minutes != int(minutes) or 1440 % int(minutes):
        raise CCSimInputError(f"{name} intervals must be whole minutes dividing a day (15, 30 "
                              f"or 60 min); got {step}")
    gaps = np.flatnonzero(np.diff(index.to_numpy()) != step.to_timedelta64())
    if gaps.size:
        i = int(gaps[0])
        raise CCSimInputError(
            f"{name} must be on a regular {minutes:g}-min grid; it goes from {index[i]} to "
            f"{index[i + 1]} ({gaps.size} such step(s)); fill missing intervals with 0")
    span = (index[-1] - index[0]) // pd.Timedelta(days=1)
    check_size(f"{name}'s span (first to last interval)", span, MAX_HORIZON_DAYS, unit="days",
               how="plan weeks or months per call (days are planned independently)")
    try:  # the model adds a day before and after: keep them inside pandas' timestamps
        index = index.as_unit("ns")
        _ = (index[0] - pd.Timedelta(days=2), index[-1] + pd.Timedelta(days=2))
    except (OverflowError, pd.errors.OutOfBoundsDatetime, ValueError):
        raise CCSimInputError(
            f"{name} must start after {pd.Timestamp.min + pd.Timedelta(days=2):%Y-%m-%d} and end "
            f"before {pd.Timestamp.max - pd.Timedelta(days=2):%Y-%m-%d} (pandas' nanosecond "
            f"timestamps); got {index[0]} to {index[-1]}") from None
    values = check_real(name, numbers(name, series), low=0.0)
    return Grid(index, int(minutes)), values
