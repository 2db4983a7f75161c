"""``ccsim schedule --requirement``: read and check a requirement CSV file (private).

The file holds agents needed on the phones per interval: columns ``interval_start``
(local clock times ``YYYY-MM-DD HH:MM``, no time-zone offset) and ``agents`` (or
``required``), with an optional ``call_type`` column whose rows are summed per interval.
It must be UTF-8 text (a byte-order mark is fine); the intervals are 15, 30 or 60
minutes on the clock's grid (08:00, 08:30, ...); intervals missing between the first
and the last row are taken as 0 agents, and said so. Every problem is a
:class:`ccsim.CCSimInputError` naming ``--requirement``, the file, the row and what is
valid.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ccsim._validation import CCSimInputError, check_size

__all__ = ["INTERVAL_MINUTES", "MAX_AGENTS", "MAX_BYTES", "MAX_DAYS", "read_requirement"]

#: Interval lengths a requirement may have [min] (those of the library's forecasts).
INTERVAL_MINUTES = (15, 30, 60)
#: Longest span one plan covers [days]: a month, as a roster does; longer horizons are
#: planned month by month (the solver's time limit is shared by the days).
MAX_DAYS = 31
#: Largest file read [bytes]: a month of quarter-hours for 100 call types is about 10 MB.
MAX_BYTES = 64 * 2**20
#: Most agents one interval may need: the largest centers staff a few thousand at once.
MAX_AGENTS = 100_000
#: Years a plan's dates may fall in (beyond them a date is a typo, and pandas' range ends).
YEARS = (1900, 2200)

_OFFSET = re.compile(r"(?:[+-]\d{2}:?\d{2}|Z|UTC|GMT)$", re.IGNORECASE)


def _at(stamp: pd.Timestamp) -> str:
    return f"{stamp:%Y-%m-%d %H:%M}" if stamp.second == 0 and stamp.microsecond == 0 else str(stamp)


def _where(row: int) -> str:
    return f"in data row {row + 1} (line {row + 2})"


def _text(path: Path, name: str) -> str:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise CCSimInputError(f"{name} cannot be read: {error.strerror}") from None
    check_size(name, size, MAX_BYTES, unit="bytes",
               how=f"a requirement for up to {MAX_DAYS} days is far smaller; split the file")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CCSimInputError(f"{name} cannot be read: {error.strerror}") from None
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise CCSimInputError(f"{name} is UTF-16 text; save it as UTF-8 (in Excel: 'CSV UTF-8')")
    if raw[:2] == b"\x1f\x8b" or raw[:4] == b"PK\x03\x04":
        raise CCSimInputError(f"{name} is a compressed or Excel file, not a CSV text file; "
                              "unpack it or save it as CSV")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise CCSimInputError(
            f"{name} is not UTF-8 text: byte 0x{raw[error.start]:02x} on line {line} (Latin-1 or "
            "Windows-1252?); save it as UTF-8 (in Excel: 'CSV UTF-8')") from None
    if "\x00" in text:
        raise CCSimInputError(f"{name} holds NUL bytes: it is not a CSV text file")
    return text


def _table(text: str, name: str) -> pd.DataFrame:
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                            skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise CCSimInputError(f"{name} is empty; it needs a header line interval_start,agents "
                              "and one row per interval") from None
    except (pd.errors.ParserError, ValueError) as error:
        detail = " ".join(str(error).split())
        raise CCSimInputError(f"{name} cannot be read as CSV: {detail}") from None
    table.columns = [str(c).strip() for c in table.columns]
    value = next((c for c in ("agents", "required") if c in table.columns), None)
    if "interval_start" not in table.columns or value is None:
        hint = ("; it looks separated by ';': save it with commas"
                if len(table.columns) == 1 and ";" in table.columns[0] else "")
        raise CCSimInputError(
            f"{name} needs columns 'interval_start' and 'agents' ('call_type' optional); it has "
            f"{[c[:40] for c in table.columns[:10]]}{hint}")
    if table.empty:
        raise CCSimInputError(f"{name} has a header but no data rows; give one row per "
                              "interval")
    return table.rename(columns={value: "agents"})


def _starts(column: pd.Series, name: str) -> pd.Series:
    text = column.str.strip()
    zoned = text.str.contains(_OFFSET)
    if zoned.any():
        row = int(zoned.to_numpy().argmax())
        raise CCSimInputError(
            f"{name}: column 'interval_start' has a time-zone offset ({text.iloc[row]!r} "
            f"{_where(row)}); give the center's local clock times without an offset, such as "
            "2024-03-04 08:30")
    starts = pd.to_datetime(text, format="ISO8601", errors="coerce")
    bad = np.array(starts.isna(), dtype=bool)
    years = starts.dt.year.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bad |= ~((years >= YEARS[0]) & (years < YEARS[1]))
    if bad.any():
        row = int(bad.argmax())
        raise CCSimInputError(
            f"{name}: column 'interval_start' must hold date-times YYYY-MM-DD HH:MM such as "
            f"2024-03-04 08:30 (years {YEARS[0]} to {YEARS[1] - 1}); got "
            f"{column.iloc[row][:40]!r} {_where(row)}")
    return starts.astype("datetime64[ns]")


def _agents(column: pd.Series, name: str, heading: str) -> pd.Series:
    values = pd.to_numeric(column.str.strip(), errors="coerce").astype(float)
    array = values.to_numpy()
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(array) | (array < 0) | (array > MAX_AGENTS)
    if bad.any():
        row = int(bad.argmax())
        raise CCSimInputError(
            f"{name}: column {heading!r} must hold numbers of agents from 0 to {MAX_AGENTS:,} "
            f"(a decimal point, not a comma); got {column.iloc[row][:40]!r} {_where(row)}")
    return values


def _grid(requirement: pd.Series, name: str) -> tuple[pd.Series, int, int]:
    """The requirement on its regular grid, the interval [min] and how many were filled."""
    index = requirement.index
    if len(index) < 2:
        raise CCSimInputError(
            f"{name} has one interval ({_at(index[0])}); its length (15, 30 or 60 min) cannot be "
            "told from one row: give at least two consecutive intervals")
    steps = np.diff(index.to_numpy()) / np.timedelta64(1, "s")
    step_seconds = float(steps.min())
    first = int(steps.argmin())
    if step_seconds / 60 not in INTERVAL_MINUTES:
        raise CCSimInputError(
            f"{name}: intervals must be 15, 30 or 60 minutes long; the shortest step is "
            f"{step_seconds / 60:g} min ({_at(index[first])} to {_at(index[first + 1])})")
    step = int(step_seconds // 60)
    seconds = (index - index.normalize()).total_seconds().to_numpy()
    off = np.flatnonzero(seconds % step_seconds != 0)
    if off.size:
        raise CCSimInputError(
            f"{name}: interval starts must be on the clock's {step}-min grid (from 00:00); "
            f"{_at(index[off[0]])} is not, in a file of {step}-min intervals")
    span_days = ((index[-1] - index[0]).total_seconds() + step_seconds) / 86400.0
    check_size(f"{name}: the span from {_at(index[0])} to {_at(index[-1])}", span_days, MAX_DAYS,
               unit="days", how="plan a month at a time")
    full = pd.date_range(index[0], index[-1], freq=f"{step}min", name="interval_start")
    filled = len(full) - len(index)
    return requirement.reindex(full, fill_value=0.0), step, filled


def read_requirement(path: Path) -> tuple[pd.Series, list[str]]:
    """The requirement in a CSV file, on a regular grid, and the lines that describe it.

    Raises
    ------
    CCSimInputError
        The file cannot be read as UTF-8 CSV, lacks a column, holds a bad date-time or
        count, has time-zone offsets, duplicated or irregular intervals, one interval,
        or a span above :data:`MAX_DAYS` days.
    """
    name = f"--requirement {str(path)!r}"
    if not path.is_file():
        raise CCSimInputError(f"{name} is not a file")
    table = _table(_text(path, name), name)
    starts = _starts(table["interval_start"], name)
    agents = _agents(table["agents"], name, "agents" if "agents" in table.columns
                     else "required")
    keys = [starts] + ([table["call_type"].str.strip()] if "call_type" in table.columns else [])
    twice = pd.DataFrame({f"k{i}": k for i, k in enumerate(keys)}).duplicated(keep="first")
    if twice.any():
        row = int(twice.to_numpy().argmax())
        per = "interval and call type" if len(keys) > 1 else "interval (or add a call_type column)"
        raise CCSimInputError(f"{name}: interval {_at(starts.iloc[row])} appears twice (again "
                              f"{_where(row)}); give one row per {per}")
    requirement = agents.groupby(starts.to_numpy()).sum().astype(float)
    requirement.index = pd.DatetimeIndex(requirement.index, name="interval_start")
    requirement, step, filled = _grid(requirement, name)
    lines = [f"ccsim schedule: the requirement in {path} ({len(requirement)} intervals of "
             f"{step} min from {_at(requirement.index[0])} to {_at(requirement.index[-1])}"
             + (f"; {filled} not in the file are taken as 0 agents)" if filled else ")")]
    return requirement, lines
