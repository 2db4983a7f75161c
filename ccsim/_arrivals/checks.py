"""Input checks and size limits shared by the arrivals modules.

Every check raises :class:`ccsim._validation.CCSimInputError` naming the argument,
showing the value and saying what is valid; the limits are refused *before* the work
is allocated (:func:`ccsim._validation.check_size`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ccsim._validation import CCSimInputError, check_count, check_real

__all__ = [
    "MAX_CALLS_PER_INTERVAL",
    "MAX_TABLE_ROWS",
    "DayKind",
    "TimeLike",
    "call_type_labels",
    "check_frame",
    "check_options",
    "count",
    "ns_times",
    "numeric_column",
    "real",
    "show",
    "string_list",
    "sum_scale",
]

#: A date or a time: text such as ``"1999-02-01 08:00"``, a :class:`datetime.date` or
#: :class:`datetime.datetime` (and so a :class:`pandas.Timestamp`), or a numpy datetime64.
TimeLike = str | datetime.date | np.datetime64
#: A special day of a calendar mapping: "holiday", "closed", ("short", "13:00") or a factor.
DayKind = str | tuple[str, str | datetime.time] | float

#: The most calls one interval may hold, in a history, a forecast or a surge. The
#: busiest call centres take about 10**4 calls in a quarter hour; 10**12 leaves room
#: for any aggregate while keeping every sum of a year of intervals, its square (the
#: variance of the prediction bounds) and a Poisson draw far inside float64 and int64.
MAX_CALLS_PER_INTERVAL = 1e12

#: The most rows of a table built here (a history grid, a forecast, backtest pairs):
#: about 2 GB at the ~100 bytes a row takes with its call type and temporaries.
MAX_TABLE_ROWS = 20_000_000


def show(value: Any) -> str:
    """A short ``repr`` for messages."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def real(name: str, value: Any, **limits: Any) -> float:
    """``value`` as a float: one number (not a bool, not an array) in range."""
    if isinstance(value, (bool, np.bool_)):
        raise CCSimInputError(f"{name} must be a number; got {value!r}")
    array = check_real(name, value, **limits)
    if array.ndim != 0:
        raise CCSimInputError(f"{name} must be a single number; got {show(value)}")
    return float(array)


def count(name: str, value: Any, *, low: int = 0) -> int:
    """``value`` as an int: one whole number ``>= low`` (not a bool, not an array)."""
    if isinstance(value, (bool, np.bool_)):
        raise CCSimInputError(f"{name} must be a whole number >= {low}; got {value!r}")
    array = check_count(name, value, low=low)
    if array.ndim != 0:
        raise CCSimInputError(f"{name} must be a single whole number; got {show(value)}")
    return int(array)


def ns_times(series: pd.Series, name: str) -> np.ndarray:
    """Naive timestamps as ``datetime64[ns]``, refusing those outside its range.

    (``Series.to_numpy(dtype="datetime64[ns]")`` would silently wrap the year 3000 of a
    ``datetime64[s]`` column round to 1830.)
    """
    try:
        return series.astype("datetime64[ns]").to_numpy()
    except (ValueError, OverflowError):
        low, high = pd.Timestamp.min.ceil("D"), pd.Timestamp.max.floor("D")
        outside = ((series < low) | (series >= high)).to_numpy()
        row = int(np.flatnonzero(outside)[0]) if outside.any() else 0
        raise CCSimInputError(
            f"{name} must be between {low:%Y-%m-%d} and {high:%Y-%m-%d}; got "
            f"{show(series.iloc[row])} at row {row}") from None


def sum_scale(values: np.ndarray) -> float:
    """1, or a power of two that keeps a sum of ``values`` finite.

    Dividing by a power of two is exact, so ``(values / scale).sum() * scale`` equals
    ``values.sum()`` whenever the latter is finite (below 1e300 the scale is 1).
    """
    top = float(np.max(values)) if np.size(values) else 0.0
    return 1.0 if top < 1e300 else float(2.0 ** (np.frexp(top)[1] - 1))


def check_frame(value: Any, name: str, needed: Iterable[str], what: str) -> pd.DataFrame:
    """Check ``value`` is a DataFrame holding each of ``needed`` once.

    ``what`` says where such a frame comes from, for the messages.
    """
    needed = list(needed)
    if not isinstance(value, pd.DataFrame):
        raise CCSimInputError(
            f"{name} must be a pandas DataFrame with columns {needed} ({what}); got "
            f"{type(value).__name__}")
    missing = [column for column in needed if column not in value.columns]
    if missing:
        raise CCSimInputError(
            f"{name} is missing column(s) {missing}; needs {needed} ({what})")
    twice = [column for column in needed if int((value.columns == column).sum()) > 1]
    if twice:
        raise CCSimInputError(f"{name} has column(s) {twice} more than once; give each once")
    return value


def numeric_column(frame: pd.DataFrame, column: str, name: str) -> np.ndarray:
    """``frame[column]`` as floats (missing values as NaN); refuse text naming the row."""
    series = frame[column]
    kind = series.dtype
    if pd.api.types.is_timedelta64_dtype(kind):
        raise CCSimInputError(
            f"{name}[{column!r}] must hold numbers; got durations (dtype {kind}): convert "
            "them with .dt.total_seconds()")
    if pd.api.types.is_datetime64_any_dtype(kind) or pd.api.types.is_complex_dtype(kind):
        raise CCSimInputError(f"{name}[{column!r}] must hold real numbers; got dtype {kind}")
    try:
        return series.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        pass
    converted = pd.to_numeric(series, errors="coerce")
    bad = converted.isna().to_numpy() & series.notna().to_numpy()
    row = int(np.flatnonzero(bad)[0]) if bad.any() else 0
    raise CCSimInputError(
        f"{name}[{column!r}] must hold numbers; got {show(series.iloc[row])} at row {row} "
        f"(dtype {series.dtype})")


def call_type_labels(series: pd.Series, name: str) -> np.ndarray:
    """Call types as strings (``3`` and ``"3"`` are the same type); refuse missing ones.

    Mixed labels (numbers and text) are accepted and compared as text: ``str(label)``.
    A missing label (None, NaN, NA) is refused, naming the first rows that have one.
    """
    missing = series.isna().to_numpy()
    if missing.any():
        rows = np.flatnonzero(missing)
        shown = ", ".join(str(r) for r in rows[:5]) + (", ..." if rows.size > 5 else "")
        raise CCSimInputError(
            f"{name}['call_type'] must name a call type in every row; got {rows.size} missing "
            f"value(s) (None or NaN) at row(s) {shown}")
    return series.astype(str).to_numpy(dtype=object)


def string_list(name: str, value: Any) -> list[str]:
    """A str or an iterable of labels as a list of str; refuse anything else."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        raise CCSimInputError(f"{name} must be a str or a list of str; got {show(value)}")
    out = []
    for item in value:
        if item is None or (isinstance(item, float) and np.isnan(item)):
            raise CCSimInputError(f"{name} must list call types; got {item!r} in it")
        out.append(str(item))
    return out


def check_options(where: str, given: Mapping[str, Any], valid: Iterable[str]) -> None:
    """Refuse keyword options that ``where`` does not know, naming the valid ones."""
    valid = list(valid)
    unknown = [key for key in given if key not in valid]
    if unknown:
        raise CCSimInputError(
            f"{where}: unknown option(s) {unknown}; the valid options are {valid}")
