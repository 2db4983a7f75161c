"""Cell readers shared by the call-log and interval-report readers.

Each reads a column strictly and raises :class:`~ccsim._validation.CCSimInputError`
naming the first bad cell, its row (or file line) and what is valid: whole numbers
(bounded, so nothing wraps around in int64), durations (``h:mm:ss``, ``mm:ss`` or
seconds, with minutes and seconds below 60) and clock times (hours 0-23, or 1-12
with AM/PM).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ccsim._validation import CCSimInputError

__all__ = ["MAX_WHOLE", "as_text", "bad_rows", "clock_seconds", "duration_seconds", "numbers",
           "seconds_column", "whole_numbers"]

# Largest whole number read from a cell (calls in one interval, a priority, seconds in a
# bank field). A billion calls in one interval is far beyond any call center, and the
# bound keeps every count exact in float64 and far from int64's wrap-around at 9.2e18.
MAX_WHOLE = 10**9

_DURATION = re.compile(r"^(?:(\d+):)?(\d+):(\d{1,2}(?:\.\d*)?)$")
_CLOCK = re.compile(
    r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d*)?)?\s*([ap])?(?:\.?m\.?)?\s*(?:[-–].*)?$",
    re.IGNORECASE)


def bad_rows(what: str, values: Any, bad: Any, valid: str, place: str = "row",
             labels: Any = None, hint: str = "") -> None:
    """Raise naming the first bad value and its ``row`` (from 1) or file ``line`` (header 1).

    ``labels`` gives each value's row or line number when they are not consecutive
    (lines left out of a file); ``hint`` (what to pass) ends the message.
    """
    bad = np.asarray(bad, dtype=bool)
    if not bad.any():
        return
    where = np.flatnonzero(bad)
    number = int(labels[where[0]]) if labels is not None else (
        int(where[0]) + (2 if place == "line" else 1))
    more = f" (and {where.size - 1} more)" if where.size > 1 else ""
    value = pd.Series(values).iloc[where[0]]
    value = value.item() if isinstance(value, np.generic) else value
    text = repr(value)
    text = text if len(text) <= 80 else text[:77] + "..."
    hint = f"; {hint}" if hint else ""
    raise CCSimInputError(f"{what} must be {valid}; got {text} on {place} {number}{more}{hint}")


def as_text(values: pd.Series) -> pd.Series:
    """Cells as stripped text (object dtype); ``""`` for a missing cell (None, NaN, NaT).

    Unlike ``astype(str)``, which keeps NaN in pandas' string dtype, every value is a
    :class:`str`, so the result sorts and compares.
    """
    missing = values.isna().to_numpy()
    text = values.astype(object).where(~missing, "").map(str).str.strip()
    return text.astype(object)


def numbers(values: pd.Series) -> pd.Series:
    """Cells as float64 (NaN where not a real number: text, blank, complex, a date)."""
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_datetime64_any_dtype(values) or (
            pd.api.types.is_timedelta64_dtype(values)):
        return pd.Series(np.nan, index=values.index)
    out = pd.to_numeric(values, errors="coerce")
    if np.iscomplexobj(out.to_numpy()):
        out = pd.Series(np.where(np.imag(out) == 0, np.real(out), np.nan), index=values.index)
    return out.astype(float)


def whole_numbers(what: str, values: pd.Series, place: str = "row",
                  limit: int = MAX_WHOLE, labels: Any = None) -> npt.NDArray[np.int64]:
    """Whole numbers in [0, ``limit``] as int64 (``"12"``, ``12.0``; not 2.5, inf or 1e30)."""
    number = numbers(values).to_numpy()
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(number) | (number < 0) | (number != np.floor(number)) | (
            number > limit)
    bad_rows(what, values, bad, f"a whole number in [0, {limit:.0e}]".replace("e+0", "e"), place,
             labels)
    return number.astype(np.int64)


def duration_seconds(value: Any) -> float:
    """Seconds in one cell: a number, ``h:mm:ss``, ``mm:ss``, a time of day or a timedelta.

    Raises ``ValueError`` or ``TypeError`` for anything else (``"1:75"``: 75 seconds).
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(value)
    if isinstance(value, datetime.time):
        return value.hour * 3600.0 + value.minute * 60.0 + value.second + value.microsecond / 1e6
    if isinstance(value, (datetime.timedelta, np.timedelta64)):
        return pd.Timedelta(value).total_seconds()
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    if not isinstance(value, str):
        raise TypeError(value)
    text = value.strip()
    if ":" not in text:
        return float(text)
    match = _DURATION.match(text)
    if not match:
        raise ValueError(text)
    hours, minutes, seconds = match.groups()
    if float(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
        raise ValueError(text)
    return int(hours or 0) * 3600.0 + int(minutes) * 60.0 + float(seconds)


def seconds_column(what: str, values: pd.Series) -> npt.NDArray[np.float64]:
    """Durations [s] of a column; NaN for blanks; a cell that is not one raises."""
    if pd.api.types.is_timedelta64_dtype(values):
        return values.dt.total_seconds().to_numpy(dtype=float)
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values) and (
            not pd.api.types.is_complex_dtype(values)):
        return values.to_numpy(dtype=float)
    blank = as_text(values) == ""

    def convert(value: Any) -> float:
        try:
            return duration_seconds(value)
        except (TypeError, ValueError, OverflowError):
            return np.nan

    out = np.array([np.nan if b else convert(v) for v, b in zip(values, blank, strict=True)],
                   dtype=float)
    bad_rows(what, values, np.isnan(out) & ~blank.to_numpy(),
             "seconds or h:mm:ss (or mm:ss; minutes and seconds below 60)")
    return out


def clock_seconds(value: Any, allow_range: bool = False) -> float | None:
    """Seconds after midnight of a time of day, or None if ``value`` is not one.

    Accepts ``08:30``, ``8:30:15``, ``8:30 PM``, a ``datetime.time``, the time part of
    a datetime, a timedelta or a number of seconds below one day; with ``allow_range``
    also ``08:30 - 09:00`` (its start). Hours above 23 (or 12 with AM/PM) and minutes
    or seconds above 59 are not times.
    """
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, datetime.datetime):
        value = value.time()
    if isinstance(value, datetime.time):
        return value.hour * 3600.0 + value.minute * 60.0 + value.second + value.microsecond / 1e6
    if isinstance(value, (datetime.timedelta, np.timedelta64)):
        value = pd.Timedelta(value).total_seconds()
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value) if 0 <= value < 86400 else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _CLOCK.match(text)
    if not match or (not allow_range and re.search(r"[-–]", text)):
        return None
    hours, minutes, seconds, half = match.groups()
    hours, minutes, seconds = int(hours), int(minutes), int(seconds or 0)
    if minutes > 59 or seconds > 59:
        return None
    if half:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if half.lower() == "p" else 0)
    elif hours > 23:
        return None
    return hours * 3600.0 + minutes * 60.0 + seconds
