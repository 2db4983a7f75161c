"""Read ACD interval reports (one row per interval and queue) into ccsim's history table.

The result has the columns of :func:`ccsim.arrivals.history_from_calls`, so a
planner with only the ACD's interval export (no call-by-call log) can forecast and
staff from it. Exposed as :func:`ccsim.io.read_interval_report`.

Column mapping (ccsim name <- typical report headings; matched without case, spaces,
punctuation or bracketed units, so ``"Calls Offered"`` and ``"AHT (s)"`` match):

=================== ===================================================================
``interval``        interval, interval start, start time, period, datetime, timestamp;
                    or two columns ``(date, time of day)``: ``("Date", "Interval")``,
                    where the time may be a range ``"08:00 - 08:30"`` (its start is used)
``call_type``       queue, skill, split, call type, service, VDN, application
                    (optional: ``"all"``)
``offered``         offered, calls offered, incoming
``answered``        handled, answered, calls handled, ACD calls
``abandoned``       abandoned, abandons, aban, abn
``answered_within`` answered within (threshold), SL calls (optional)
``abandoned_within`` short abandons, abandoned within (optional)
``aht_seconds``     AHT, average handle time: seconds or ``h:mm:ss`` (optional)
``asa_seconds``     ASA, average speed of answer: seconds or ``h:mm:ss`` (optional)
``service_level``   SL, service level (optional): a fraction, or a percentage (see
                    below)
=================== ===================================================================

What is derived, and what cannot be:

* two of offered / answered / abandoned give the third (``offered = answered +
  abandoned``); when all three are given they must agree (an ACD whose "offered"
  also counts transfers out or IVR releases: map only two of them);
* ``answered_within`` comes from ``service_level x offered`` (or ``x answered`` with
  ``service_level_basis="answered"``), rounded, when the report has no count of it;
  ``service_level`` is then recomputed as ``answered_within / offered`` (1 where
  nothing was offered), the definition used by history_from_calls;
* what the report lacks and nothing gives (short abandons, AHT, ASA, SL) is NaN,
  and such columns are listed in ``attrs["not_in_report"]``, except where it is
  known anyway: AHT, ASA and ``answered_within`` are 0 where nothing was answered,
  ``abandoned_within`` 0 where nothing was abandoned, SL 1 where nothing was offered.

Service level: a column is read one way throughout. Cells ending in ``%`` are
percentages; a column of plain numbers is percentages if one is above 1, else
fractions. A column that mixes the two (``"85%"`` then ``0.85``, or ``80`` then
``0.85``) is refused, naming a row of each (0 reads the same either way).

Dates: numeric dates such as ``01/02/2024`` are read day-first or month-first as
``dayfirst=`` says; by default (``dayfirst=None``) in the only order that reads
every row, and if both orders do and give different dates the report is refused
(pass ``dayfirst=`` or ``date_format=``). A time of day is ``h:mm`` (hours 0-23,
minutes 0-59, or 1-12 with AM/PM). Counts must be whole numbers up to 1e9.

Opening hours: an interval the report leaves out is a gap (an error, or zero calls
with ``fill_gaps=True``), unless it lies outside ``opening_hours``: then the center
was closed and it gets zero calls without a warning (counted in
``attrs["closed_intervals"]``). Intervals reported outside the opening hours are
kept as they are. When gaps recur at the same times every day, the error suggests
the ``opening_hours=`` that would explain them.

Daylight saving time: the table is in naive local (wall-clock) time. Pass the
center's ``timezone`` and a report whose times carry UTC offsets is converted to it;
on the 25-hour day the repeated hour's intervals (two rows each) are merged (counts
summed, AHT and ASA averaged weighted by answered calls) and on the 23-hour day the
intervals the clock skipped are added with zero calls; each such day is explained in
a warning and listed in ``attrs["dst_days"]``. Without ``timezone`` a repeated or
skipped interval is an error like any other duplicate or gap.
"""

from __future__ import annotations

import warnings
import zoneinfo
from collections.abc import Mapping
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd

from ccsim._io import report_columns
from ccsim._io.files import (
    CSV_SUFFIXES,
    EXCEL_SUFFIXES,
    check_options,
    existing_file,
    listing,
    read_csv_file,
    read_excel_file,
)
from ccsim._io.grid import (
    INTERVAL_MINUTES,
    MAX_INTERVALS,
    fill,
    merge_repeated,
    opening_table,
    step_of,
    weekday_hours,
)
from ccsim._io.report_columns import COUNTS, REPORT_KEYS
from ccsim._io.values import as_text, bad_rows
from ccsim._validation import CCSimInputError, check_count, check_real, renamed

__all__ = ["HISTORY_COLUMNS", "REPORT_KEYS", "interval_report_from_frame",
           "read_interval_report"]

HISTORY_COLUMNS = ("interval_start", "call_type", "offered", "answered", "abandoned",
                   "answered_within", "abandoned_within", "aht_seconds", "asa_seconds",
                   "service_level")
OpeningHours = tuple[str, str] | Mapping[str | int, tuple[str, str] | None]


def _number(name: str, value: Any, low: int, valid: str) -> float:
    """One whole number >= ``low`` (not a bool, a list or an array)."""
    if isinstance(value, (bool, np.bool_)) or np.ndim(value) != 0:
        raise CCSimInputError(f"{name} must be {valid}; got {value!r}")
    return float(check_count(name, value, low=low))


def _minutes(value: Any) -> int | None:
    """``interval_minutes`` (or the deprecated ``freq`` string) as 15, 30 or 60."""
    if value is None:
        return None
    if isinstance(value, str):  # the old freq=, e.g. "30min"
        try:
            minutes = pd.Timedelta(pd.tseries.frequencies.to_offset(value)).total_seconds() / 60
        except (TypeError, ValueError):
            minutes = None
        if minutes not in INTERVAL_MINUTES:
            raise CCSimInputError(f"freq must be '15min', '30min' or '60min'; got {value!r}")
        return int(minutes)
    minutes = _number("interval_minutes", value, 1, "15, 30 or 60")
    if minutes not in INTERVAL_MINUTES:
        raise CCSimInputError(f"interval_minutes must be 15, 30 or 60; got {value!r}")
    return int(minutes)


def _report(frame: Any, columns: Any, minutes: int | None, *, timezone: Any, fill_gaps: Any,
            opening_hours: Any, service_level_basis: Any, answer_within_seconds: Any,
            date_format: Any, dayfirst: Any, max_intervals: Any, stacklevel: int
            ) -> pd.DataFrame:
    """The body of both public functions; warnings point ``stacklevel`` up."""
    if not isinstance(frame, pd.DataFrame):
        raise CCSimInputError(f"frame must be a pandas DataFrame; got {type(frame).__name__}")
    if frame.columns.nlevels != 1:
        raise CCSimInputError("frame must have one row of column names, not a MultiIndex")
    if frame.empty:
        raise CCSimInputError("the report has no rows")
    if not isinstance(service_level_basis, str) or service_level_basis not in ("offered",
                                                                               "answered"):
        raise CCSimInputError(
            f"service_level_basis must be 'offered' or 'answered'; got {service_level_basis!r}")
    if not isinstance(fill_gaps, (bool, np.bool_)):
        raise CCSimInputError(f"fill_gaps must be True or False; got {fill_gaps!r}")
    if answer_within_seconds is not None:
        if isinstance(answer_within_seconds, (bool, np.bool_)) or np.ndim(
                answer_within_seconds) != 0:
            raise CCSimInputError(f"answer_within_seconds must be a number of seconds >= 0; got "
                                  f"{answer_within_seconds!r}")
        answer_within_seconds = float(check_real("answer_within_seconds", answer_within_seconds,
                                                 low=0))
    max_intervals = _number("max_intervals", max_intervals, 1, "a whole number >= 1")
    if timezone is not None:
        try:
            zoneinfo.ZoneInfo(str(timezone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            raise CCSimInputError(
                f"timezone must be an IANA time zone such as 'Europe/Paris'; got {timezone!r}"
            ) from None
    hours = opening_table(opening_hours)
    frame = frame.reset_index(drop=True)
    cols = report_columns.mapping(frame, columns)
    table = report_columns.values(frame, cols, service_level_basis)
    table.insert(0, "interval_start", report_columns.stamps(
        frame, cols["interval"], timezone, date_format, dayfirst).to_numpy())
    kinds = frame[cols["call_type"]] if "call_type" in cols else pd.Series("all", frame.index)
    names = as_text(kinds)
    bad_rows(f"call_type (column {cols.get('call_type')!r})", kinds, names == "",
             "a queue name, not blank")
    table.insert(1, "call_type", names.to_numpy())
    notes: dict[str, str] = {}
    table = merge_repeated(table, timezone, notes)
    step = step_of(table, minutes)
    table, filled, closed = fill(table, step, timezone=timezone, fill_gaps=bool(fill_gaps),
                                 hours=hours, max_intervals=max_intervals, notes=notes)
    offered = table["offered"].to_numpy(dtype=float)
    level = np.ones(len(table))
    np.divide(table["answered_within"], offered, out=level, where=offered > 0)
    table["service_level"] = np.where(table["answered_within"].isna() & (offered > 0), np.nan,
                                      level)
    for key in COUNTS + ("answered_within", "abandoned_within"):
        if table[key].notna().all():
            table[key] = table[key].astype(np.int64)
    for note in sorted(notes):
        warnings.warn(f"read_interval_report: {notes[note]}", UserWarning, stacklevel=stacklevel)
    if filled:
        warnings.warn(
            f"read_interval_report: filled {len(filled)} missing interval(s) with zero calls: "
            f"{', '.join(filled[:6])}{' ...' if len(filled) > 6 else ''}", UserWarning,
            stacklevel=stacklevel)
    table["interval_start"] = table["interval_start"].astype("datetime64[ns]")
    out = table.sort_values(["interval_start", "call_type"], ignore_index=True)[
        list(HISTORY_COLUMNS)]
    minutes = int(step.total_seconds() // 60)
    out.attrs = {
        "interval_minutes": minutes, "freq": f"{minutes}min", "columns": cols,
        "not_in_report": [c for c in HISTORY_COLUMNS if out[c].isna().any()],
        "answer_within_seconds": answer_within_seconds, "timezone": timezone,
        "dst_days": dict(sorted(notes.items())), "filled_gaps": filled,
        "opening_hours": weekday_hours(hours), "closed_intervals": closed,
    }
    return out


# --------------------------------------------------------------------- public
def interval_report_from_frame(
    frame: pd.DataFrame, columns: Mapping[str, Any] | None = None,
    interval_minutes: int | None = None, *, timezone: str | None = None,
    fill_gaps: bool = False, opening_hours: OpeningHours | None = None,
    service_level_basis: str = "offered", answer_within_seconds: float | None = None,
    date_format: str | None = None, dayfirst: bool | None = None,
    max_intervals: int = MAX_INTERVALS, freq: str | None = None,
) -> pd.DataFrame:
    """Turn an interval report already loaded as a DataFrame into the history table.

    See :func:`read_interval_report` for the arguments and the result.
    """
    if isinstance(interval_minutes, str) and freq is None:  # the old third argument, freq
        interval_minutes, freq = None, interval_minutes
    given = renamed("interval_report_from_frame", "freq", "interval_minutes", freq,
                    interval_minutes)
    return _report(frame, columns, _minutes(given), timezone=timezone, fill_gaps=fill_gaps,
                   opening_hours=opening_hours, service_level_basis=service_level_basis,
                   answer_within_seconds=answer_within_seconds, date_format=date_format,
                   dayfirst=dayfirst, max_intervals=max_intervals, stacklevel=3)


def read_interval_report(
    path: str | PathLike[str], columns: Mapping[str, Any] | None = None,
    interval_minutes: int | None = None, *, timezone: str | None = None,
    fill_gaps: bool = False, opening_hours: OpeningHours | None = None,
    service_level_basis: str = "offered", answer_within_seconds: float | None = None,
    date_format: str | None = None, dayfirst: bool | None = None, sep: str = ",",
    sheet_name: str | int = 0, encoding: str | None = None, bad_lines: str = "error",
    max_intervals: int = MAX_INTERVALS, freq: str | None = None,
) -> pd.DataFrame:
    """Read an ACD interval report (CSV or Excel) into the per-interval history table.

    Parameters
    ----------
    path : str or path-like
        A CSV file (``.csv``, ``.txt``, ``.tsv``, compressed too) or an Excel workbook
        (``.xlsx``, ``.xlsm``; needs openpyxl), one row per interval (and queue).
    columns : dict, optional
        ccsim name -> the report's heading, for headings not recognised (see
        :mod:`ccsim._io.reports` for the names and the headings found by default);
        ``"interval"`` may name two columns ``(date, time of day)``.
    interval_minutes : {15, 30, 60}, optional
        Interval length [min]; by default inferred from the spacing (the same for
        every queue).
    timezone : str, optional
        The center's IANA time zone (``"Europe/Paris"``): converts times with UTC
        offsets to local time and explains daylight-saving days (module notes).
    fill_gaps : bool
        False (default): a missing interval (within the opening hours) is an error
        listing the gaps. True: give missing intervals zero calls, on a grid of whole
        days for every queue (as :func:`ccsim.arrivals.history_from_calls` makes),
        with a warning listing them.
    opening_hours : (str, str) or dict, optional
        When the center is open, for reports that leave out closed intervals:
        ``("08:00", "20:00")`` every day (``"24:00"`` for midnight), or per weekday
        ``{"mon": ("08:00", "20:00"), ..., "sat": ("09:00", "13:00")}`` (keys
        ``"mon"``-``"sun"``, ``"monday"``, or 0-6 with Monday 0; a day left out or
        mapped to None is closed all day). Intervals outside them that the report
        leaves out get zero calls, on a grid of whole days per queue; an interval is
        open if it overlaps the hours. Default: always open.
    service_level_basis : {"offered", "answered"}
        What the report's SL divides by, when ``answered_within`` must be derived from it.
    answer_within_seconds : float, optional
        The report's SL threshold [s], kept in ``attrs`` (the file rarely says it).
    date_format : str, optional
        A :func:`pandas.to_datetime` format for the dates (``"%d/%m/%Y %H:%M"``).
    dayfirst : bool, optional
        Numeric dates (``01/02/2024``) day-first (True) or month-first (False); by
        default the order that reads every row, and an error when both orders do and
        give different dates (module notes).
    sep, sheet_name, encoding
        CSV separator (one character), Excel sheet (name or position from 0), text
        encoding of a CSV file (default UTF-8; e.g. ``"cp1252"``, ``"utf-16"``).
    bad_lines : {"error", "skip"}
        A CSV line with more fields than the header: an error (default), or left out
        with a warning naming the lines.
    max_intervals : int
        Largest grid (intervals x queues, from the first date to the last) built;
        raise it for a report of many years and queues. Default 5,000,000.
    freq : str, optional
        Deprecated: ``interval_minutes`` (``"30min"`` is ``interval_minutes=30``).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`ccsim.arrivals.history_from_calls`, one row per interval
        and queue, sorted by ``interval_start`` then ``call_type``. Counts are int64
        when known. ``attrs``: ``interval_minutes``, ``freq`` (the same as
        ``"30min"``), ``columns`` (the mapping used), ``not_in_report`` (columns left
        NaN), ``answer_within_seconds``, ``timezone``, ``dst_days``, ``filled_gaps``,
        ``opening_hours`` (per weekday, or None) and ``closed_intervals`` (how many
        intervals outside them were added with zero calls).

    Raises
    ------
    CCSimInputError
        Missing, empty or unreadable file (the message says which ``encoding=``,
        ``sheet_name=``, ``bad_lines=`` or ``sep=`` to pass), missing columns, an
        unreadable, negative, absurd or inconsistent value (the message names the
        column and row), an ambiguous day/month order, irregular or misaligned
        intervals, duplicates, gaps (unless ``fill_gaps``), or a grid above
        ``max_intervals``.
    ImportError
        An Excel file without openpyxl installed.

    Warns
    -----
    UserWarning
        Each daylight-saving day handled, the intervals ``fill_gaps`` filled, and the
        lines ``bad_lines="skip"`` left out.
    DeprecationWarning
        ``freq=`` (or a string as third argument): use ``interval_minutes=``.
    """
    if isinstance(interval_minutes, str) and freq is None:  # the old third argument, freq
        interval_minutes, freq = None, interval_minutes
    given = renamed("read_interval_report", "freq", "interval_minutes", freq, interval_minutes)
    minutes = _minutes(given)
    check_options(sep, encoding, sheet_name, bad_lines)
    file = existing_file(path)
    suffix = file.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        frame = read_excel_file(file, sheet_name)
    elif suffix in CSV_SUFFIXES:
        frame, _ = read_csv_file(file, where="read_interval_report", sep=sep, encoding=encoding,
                                 bad_lines=bad_lines, stacklevel=3, dtype=str,
                                 keep_default_na=False, skipinitialspace=True)
    else:
        raise CCSimInputError(
            f"path must be a CSV or Excel file (suffix one of "
            f"{listing(CSV_SUFFIXES + EXCEL_SUFFIXES, 20)}); got {file.name!r}")
    try:
        return _report(frame, columns, minutes, timezone=timezone, fill_gaps=fill_gaps,
                       opening_hours=opening_hours, service_level_basis=service_level_basis,
                       answer_within_seconds=answer_within_seconds, date_format=date_format,
                       dayfirst=dayfirst, max_intervals=max_intervals, stacklevel=3)
    except CCSimInputError as error:
        rows = ", rows counted from 1 below the header" if " on row " in str(error) else ""
        raise CCSimInputError(f"{error} (file {file.name!r}{rows})") from None
