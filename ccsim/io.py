"""Read call-by-call logs into one flat table, and ccsim's built-in real example.

Every reader returns the same *call table*: a :class:`pandas.DataFrame` with one
row per call, sorted by arrival (ties keep file order), with these columns:

==================== ================ ==============================================
column               dtype            meaning
==================== ================ ==============================================
call_type            str              the call type (skill, queue, service line)
priority             int64            the caller's priority class (0 when unknown)
arrival              datetime64[ns]   when the caller reached the queue, i.e. left
                                      the IVR (VRU); naive local time
queue_wait_seconds   float64          time in the queue [s]; 0 if never queued
outcome              str              "answered", "abandoned" or "other"
service_seconds      float64          service (talk) time [s]; 0.0 for every call
                                      that was not answered
agent                str              who answered; "" when nobody (or unknown)
==================== ================ ==============================================

"other" marks calls that never waited for an agent and were not served (for the
anonymous bank: PHANTOM records and callers who left in the VRU before joining
the queue); :mod:`ccsim.arrivals` leaves them out of the offered calls.
Caller identities (the bank's ``customer_id``) are never read.

References
----------
.. [1] L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn and L. Zhao,
   "Statistical analysis of a telephone call center: a queueing-science
   perspective", Journal of the American Statistical Association 100(469),
   36-50, 2005, doi:10.1198/016214504000001808
.. [2] I. Guedj and A. Mandelbaum, "Anonymous bank call-center data", Technion
   Service Enterprise Engineering (SEE) lab,
   http://ie.technion.ac.il/serveng/callcenterdata/index.html
"""

from __future__ import annotations

import datetime
import importlib.util
import warnings
from collections.abc import Mapping
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ccsim._io.reports import interval_report_from_frame, read_interval_report
from ccsim._validation import CCSimInputError

__all__ = [
    "CALL_COLUMNS",
    "FORMATS",
    "OUTCOMES",
    "calls_from_frame",
    "interval_report_from_frame",
    "load_example_calls",
    "read_call_log",
    "read_interval_report",
]

CALL_COLUMNS = (
    "call_type",
    "priority",
    "arrival",
    "queue_wait_seconds",
    "outcome",
    "service_seconds",
    "agent",
)
OUTCOMES = ("answered", "abandoned", "other")
FORMATS = ("anonymous-bank", "generic")
EXAMPLE_FILE = "anonymous_bank_1999_january.csv.gz"

_REQUIRED = ("arrival", "outcome", "queue_wait_seconds", "service_seconds")
_DEFAULTS: dict[str, Any] = {"call_type": "all", "priority": 0, "agent": ""}
_BANK_FIELDS = (
    "priority", "type", "date", "vru_entry", "vru_exit", "q_start", "q_time",
    "outcome", "ser_time", "server",
)
_BANK_OUTCOMES = ("AGENT", "HANG", "PHANTOM")
_CSV_SUFFIXES = (".csv", ".txt", ".tsv", ".gz", ".zip", ".bz2", ".xz")
_EXCEL_SUFFIXES = (".xlsx", ".xlsm")


# ------------------------------------------------------------------- helpers
def _listing(values: Any, limit: int = 8) -> str:
    values = [str(v) for v in values]
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def _bad_rows(what: str, values: pd.Series, bad: Any, valid: str, place: str = "row") -> None:
    """Raise naming the first bad value: its file ``line`` (header is line 1) or ``row``."""
    bad = np.asarray(bad, dtype=bool)
    if not bad.any():
        return
    where = np.flatnonzero(bad)
    number = int(where[0]) + (2 if place == "line" else 1)
    more = f" (and {where.size - 1} more)" if where.size > 1 else ""
    value = values.iloc[where[0]]
    value = value.item() if isinstance(value, np.generic) else value
    raise CCSimInputError(f"{what} must be {valid}; got {value!r} on {place} {number}{more}")


def _existing_file(path: Any) -> Path:
    if not isinstance(path, (str, PathLike)):
        raise CCSimInputError(f"path must be a file path (str or Path); got {type(path).__name__}")
    file = Path(path)
    if not file.is_file():
        reason = "a directory" if file.is_dir() else "no such file"
        raise CCSimInputError(f"path must be an existing file; got {str(path)!r} ({reason})")
    return file


def _clock_seconds(what: str, values: pd.Series) -> pd.Series:
    """Seconds after midnight of ``h:mm:ss`` strings (a bank-file clock field)."""
    clock = pd.to_datetime(values, format="%H:%M:%S", errors="coerce")
    _bad_rows(what, values, clock.isna(), "a clock time h:mm:ss", "line")
    return (clock - pd.Timestamp("1900-01-01")).dt.total_seconds().astype("int64")


def _whole(what: str, values: pd.Series, place: str) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() | (numbers < 0) | (numbers != np.floor(numbers))
    _bad_rows(what, values, bad, "a whole number >= 0", place)
    return numbers.astype("int64")


def _one_duration(value: Any) -> float:
    """Seconds in one cell: a number, 'h:mm:ss', a time of day or a timedelta."""
    if isinstance(value, datetime.time):
        return value.hour * 3600.0 + value.minute * 60.0 + value.second + value.microsecond / 1e6
    if isinstance(value, (datetime.timedelta, np.timedelta64)):
        return pd.Timedelta(value).total_seconds()
    text = str(value).strip()
    if ":" in text:
        return pd.Timedelta(text if text.count(":") == 2 else "0:" + text).total_seconds()
    return float(text)


def _seconds(what: str, values: pd.Series) -> pd.Series:
    """Durations in seconds; blanks become NaN, anything unreadable raises."""
    if pd.api.types.is_timedelta64_dtype(values):
        return values.dt.total_seconds().astype(float)
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype(float)
    blank = values.isna() | (values.astype(str).str.strip() == "")

    def convert(value: Any) -> float:
        try:
            return _one_duration(value)
        except (TypeError, ValueError):
            return np.nan

    result = values.where(~blank, "0").map(convert).astype(float)
    _bad_rows(what, values, result.isna() & ~blank, "seconds or h:mm:ss")
    return result.where(~blank)


def _finish(table: dict[str, Any]) -> pd.DataFrame:
    """Assemble the call table: dtypes, ``other``/unanswered conventions, order."""
    frame = pd.DataFrame(table)[list(CALL_COLUMNS)]
    answered = frame["outcome"] == "answered"
    frame["service_seconds"] = frame["service_seconds"].where(answered, 0.0).astype(float)
    frame["agent"] = frame["agent"].where(answered, "").astype(str)
    frame["arrival"] = frame["arrival"].astype("datetime64[ns]")
    frame["call_type"] = frame["call_type"].astype(str)
    frame["outcome"] = frame["outcome"].astype(str)
    frame["queue_wait_seconds"] = frame["queue_wait_seconds"].astype(float)
    frame["priority"] = frame["priority"].astype("int64")
    frame = frame.sort_values("arrival", kind="stable", ignore_index=True)
    return frame


# ------------------------------------------------------------ anonymous bank
def _read_anonymous_bank(file: Path, bad_lines: str) -> pd.DataFrame:
    """The Technion anonymous-bank format: tab-separated, 17 fields, header row."""
    try:
        header = pd.read_csv(file, sep="\t", nrows=0).columns.str.strip()
    except (pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise CCSimInputError(
            f"path {str(file)!r} is not an anonymous-bank call log ({error})"
        ) from None
    missing = [f for f in _BANK_FIELDS if f not in header]
    if missing:
        raise CCSimInputError(
            f"path {str(file)!r} is not an anonymous-bank call log: fields {_listing(missing)} "
            f"are missing (it has {_listing(header)}); the format needs {_listing(_BANK_FIELDS)}"
        )
    last = header[-1]  # empty on a line with too few fields (a lost tab)
    wanted = {*_BANK_FIELDS, last} - {"customer_id"}  # caller ids are never read
    try:
        raw = pd.read_csv(
            file,
            sep="\t",
            dtype=str,
            keep_default_na=False,
            usecols=lambda name: name.strip() in wanted,
            on_bad_lines="warn" if bad_lines == "skip" else "error",
        )
    except pd.errors.ParserError as error:
        raise CCSimInputError(
            f"path {str(file)!r} has a line with too many fields ({str(error).strip()}); "
            "pass bad_lines='skip' to leave such lines out"
        ) from None
    short = (raw[last].str.strip() == "").to_numpy()
    if short.any():
        lines = np.flatnonzero(short) + 2
        if bad_lines != "skip":
            raise CCSimInputError(
                f"path {str(file)!r} line {lines[0]} has fewer than {len(header)} fields "
                f"({short.sum()} such line(s): {_listing(lines)}); pass bad_lines='skip' "
                "to leave them out"
            )
        warnings.warn(
            f"read_call_log: left out {short.sum()} line(s) of {file.name!r} with fewer than "
            f"{len(header)} fields: {_listing(lines)}",
            UserWarning,
            stacklevel=3,
        )
        raw = raw[~short].reset_index(drop=True)
    raw.columns = raw.columns.str.strip()
    for text in ("type", "outcome", "server"):
        raw[text] = raw[text].str.strip()
    date = pd.to_datetime(raw["date"], format="%y%m%d", errors="coerce")
    _bad_rows("date", raw["date"], date.isna(), "a date YYMMDD", "line")
    entry = _clock_seconds("vru_entry", raw["vru_entry"])
    exit_ = _clock_seconds("vru_exit", raw["vru_exit"])
    # A VRU exit clock more than 12 h before the entry clock is past midnight.
    exit_ = exit_ + 86400 * (exit_ < entry - 43200)
    q_start = _clock_seconds("q_start", raw["q_start"])
    q_time = _whole("q_time", raw["q_time"], "line")
    ser_time = _whole("ser_time", raw["ser_time"], "line")
    priority = _whole("priority", raw["priority"], "line")
    code = raw["outcome"]
    _bad_rows("outcome", code, ~code.isin(_BANK_OUTCOMES), f"one of {_BANK_OUTCOMES}", "line")
    queued = (q_start > 0) | (q_time > 0)
    outcome = np.select(
        [code == "AGENT", (code == "HANG") & queued], ["answered", "abandoned"], "other"
    )
    return _finish(
        {
            "call_type": raw["type"],
            "priority": priority,
            "arrival": date + pd.to_timedelta(exit_, unit="s"),
            "queue_wait_seconds": q_time.where(queued, 0),
            "outcome": outcome,
            "service_seconds": ser_time,
            "agent": raw["server"].where(raw["server"] != "NO_SERVER", ""),
        }
    )


# ------------------------------------------------------------------- generic
def _check_columns(columns: Any, frame: pd.DataFrame) -> dict[str, Any]:
    if not isinstance(columns, Mapping):
        raise CCSimInputError(
            "columns must be a dict from ccsim column names to the file's column names, "
            f"e.g. {{'arrival': 'Start time', ...}}; got {columns!r}"
        )
    unknown = [key for key in columns if key not in CALL_COLUMNS]
    if unknown:
        raise CCSimInputError(
            f"columns has unknown key(s) {_listing(unknown)}; "
            f"valid keys are {_listing(CALL_COLUMNS)}"
        )
    missing = [key for key in _REQUIRED if key not in columns]
    if missing:
        raise CCSimInputError(
            f"columns must map {_listing(_REQUIRED)}; {_listing(missing)} not given"
        )
    for key, name in columns.items():
        names = list(name) if key == "arrival" and isinstance(name, (list, tuple)) else [name]
        if key == "arrival" and len(names) not in (1, 2):
            raise CCSimInputError(
                f"columns['arrival'] must be one column or two (date, time); got {name!r}"
            )
        absent = [n for n in names if n not in frame.columns]
        if absent:
            raise CCSimInputError(
                f"columns[{key!r}] names {_listing(absent)}, not a column of the file; "
                f"its columns are {_listing(frame.columns, 30)}"
            )
    return dict(columns)


def _arrival(frame: pd.DataFrame, name: Any, arrival_format: str | None, dayfirst: bool):
    names = list(name) if isinstance(name, (list, tuple)) else [name]
    values = frame[names[0]]
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = values
    else:
        stamps = pd.to_datetime(values, format=arrival_format, dayfirst=dayfirst, errors="coerce")
    _bad_rows(f"arrival (column {names[0]!r})", values, stamps.isna(), "a date and time")
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    if len(names) == 2:
        clock = _seconds(f"arrival time of day (column {names[1]!r})", frame[names[1]])
        _bad_rows(f"arrival time (column {names[1]!r})", frame[names[1]], clock.isna(),
                  "a time of day")
        stamps = stamps.dt.normalize() + pd.to_timedelta(clock, unit="s")
    return stamps


def _outcomes(values: pd.Series, outcome_values: Mapping[Any, str] | None) -> np.ndarray:
    mapping = {o: o for o in OUTCOMES} if outcome_values is None else outcome_values
    if not isinstance(mapping, Mapping):
        raise CCSimInputError(
            "outcome_values must be a dict from the file's outcome values to 'answered', "
            f"'abandoned' or 'other'; got {outcome_values!r}"
        )
    bad = {k: v for k, v in mapping.items() if v not in OUTCOMES}
    if bad:
        raise CCSimInputError(f"outcome_values must map to one of {OUTCOMES}; got {bad!r}")
    key = {str(k).strip().casefold(): v for k, v in mapping.items()}
    text = values.astype(str).str.strip().str.casefold()
    unknown = sorted(set(values[~text.isin(list(key)).to_numpy()].astype(str).str.strip()))
    if unknown:
        raise CCSimInputError(
            f"outcome (column {values.name!r}) has value(s) {_listing(unknown)} that "
            "outcome_values does not map; "
            f"mapped values are {_listing(key)} (pass outcome_values={{file value: 'answered' "
            "| 'abandoned' | 'other'}})"
        )
    return text.map(key).to_numpy()


def calls_from_frame(
    frame: pd.DataFrame,
    columns: Mapping[str, Any],
    *,
    outcome_values: Mapping[Any, str] | None = None,
    arrival_format: str | None = None,
    dayfirst: bool = False,
) -> pd.DataFrame:
    """Turn any table of calls (one row per call) into ccsim's call table.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per call, e.g. an ACD export already loaded.
    columns : dict
        ccsim column name -> the frame's column name. Required: ``arrival``,
        ``outcome``, ``queue_wait_seconds`` and ``service_seconds``; optional:
        ``call_type`` (default ``"all"``), ``priority`` (default 0) and ``agent``
        (default ``""``). ``arrival`` may name two columns, ``(date, time of day)``.
    outcome_values : dict, optional
        The file's outcome value -> ``"answered"``, ``"abandoned"`` or ``"other"``,
        compared without case or surrounding blanks (``{"ANS": "answered",
        "ABN": "abandoned"}``). By default the file must already use those three
        words. A value that is not mapped is an error, never silently "other".
    arrival_format : str, optional
        A :func:`pandas.to_datetime` format for ``arrival`` (e.g. ``"%d/%m/%Y %H:%M"``);
        by default pandas infers it.
    dayfirst : bool
        Read ``01/02/2024`` as 1 February when no ``arrival_format`` is given.

    Returns
    -------
    pandas.DataFrame
        The call table described in :mod:`ccsim.io`.

    Notes
    -----
    Durations may be numbers of seconds, ``"h:mm:ss"`` / ``"mm:ss"`` strings,
    times of day (Excel) or timedeltas. A blank ``service_seconds`` is allowed for
    calls that were not answered (it becomes 0.0); a blank queue wait is not.
    Time-zone-aware arrivals keep their wall-clock time and drop the zone.

    Raises
    ------
    CCSimInputError
        If a column is missing or a value cannot be read; the message names the
        column, the value and its row (counted from 1).
    """
    if not isinstance(frame, pd.DataFrame):
        raise CCSimInputError(f"frame must be a pandas DataFrame; got {type(frame).__name__}")
    columns = _check_columns(columns, frame)
    frame = frame.reset_index(drop=True)
    outcome = _outcomes(frame[columns["outcome"]], outcome_values)
    wait = _seconds("queue_wait_seconds", frame[columns["queue_wait_seconds"]])
    _bad_rows("queue_wait_seconds", frame[columns["queue_wait_seconds"]],
              wait.isna() | (wait < 0) | np.isinf(wait), "a number of seconds >= 0")
    service = _seconds("service_seconds", frame[columns["service_seconds"]])
    answered = outcome == "answered"
    service = service.where(answered, 0.0)
    _bad_rows("service_seconds", frame[columns["service_seconds"]],
              service.isna() | (service < 0) | np.isinf(service),
              "a number of seconds >= 0 for an answered call")
    table: dict[str, Any] = {
        "arrival": _arrival(frame, columns["arrival"], arrival_format, dayfirst),
        "outcome": outcome,
        "queue_wait_seconds": wait,
        "service_seconds": service,
    }
    for key, default in _DEFAULTS.items():
        table[key] = frame[columns[key]] if key in columns else default
    if "priority" in columns:
        table["priority"] = _whole("priority", frame[columns["priority"]], "row")
    if "agent" in columns:
        table["agent"] = table["agent"].fillna("").astype(str).str.strip()
    if "call_type" in columns:
        _bad_rows("call_type", table["call_type"], table["call_type"].isna(), "a name, not blank")
        table["call_type"] = table["call_type"].astype(str).str.strip()
    return _finish(table)


def _read_table(file: Path, sep: str, sheet_name: Any, encoding: str | None) -> pd.DataFrame:
    suffix = file.suffix.lower()
    if suffix in _EXCEL_SUFFIXES:
        if importlib.util.find_spec("openpyxl") is None:
            raise ImportError(
                f"reading {file.name!r} (an Excel {suffix} file) needs openpyxl, which ccsim "
                "does not install: run `pip install openpyxl`, or save the sheet as CSV"
            )
        return pd.read_excel(file, sheet_name=sheet_name)
    if suffix in _CSV_SUFFIXES:
        return pd.read_csv(file, sep=sep, encoding=encoding)
    raise CCSimInputError(
        f"path must be a CSV or Excel file (suffix one of {_listing(_CSV_SUFFIXES)}, "
        f"{_listing(_EXCEL_SUFFIXES)}); got {file.name!r}"
    )


# -------------------------------------------------------------------- public
def read_call_log(
    path: str | PathLike[str],
    format: str = "anonymous-bank",  # noqa: A002 - the public contract's name
    *,
    columns: Mapping[str, Any] | None = None,
    outcome_values: Mapping[Any, str] | None = None,
    arrival_format: str | None = None,
    dayfirst: bool = False,
    sep: str = ",",
    sheet_name: str | int = 0,
    encoding: str | None = None,
    bad_lines: str = "error",
) -> pd.DataFrame:
    """Read a call-by-call log into ccsim's call table (one row per call).

    Parameters
    ----------
    path : str or path-like
        The file.
    format : {"anonymous-bank", "generic"}
        ``"anonymous-bank"``: the Technion SEE lab's monthly files of the bank
        analysed by Brown et al. [1]_ (tab-separated, 17 fields, header row).
        ``"generic"``: any CSV (``.csv``, ``.txt``, ``.tsv``, compressed too) or
        Excel (``.xlsx``, ``.xlsm``; needs openpyxl) file with one row per call,
        read through ``columns`` (see :func:`calls_from_frame`).
    columns, outcome_values, arrival_format, dayfirst
        For ``"generic"`` only; see :func:`calls_from_frame`.
    sep : str
        Field separator of a generic CSV file.
    sheet_name : str or int
        Sheet of a generic Excel file (name or 0-based position).
    encoding : str, optional
        Text encoding of a generic CSV file (e.g. ``"cp1252"``).
    bad_lines : {"error", "skip"}
        For ``"anonymous-bank"``: what to do with a line with too few or too many
        fields (October 1999 has two lines with a lost tab). ``"skip"`` leaves
        them out with a warning naming their line numbers.

    Returns
    -------
    pandas.DataFrame
        The call table described in :mod:`ccsim.io`, sorted by arrival.

    Notes
    -----
    Anonymous-bank rules (all 31,599 January 1999 records are kept):
    ``arrival`` is ``date`` + ``vru_exit`` (one day later if the VRU exit clock
    is more than 12 h before the entry clock); AGENT is "answered", HANG is
    "abandoned" if the call queued (``q_start`` set or ``q_time`` > 0) and
    "other" if the caller left in the VRU before queueing; PHANTOM is "other".
    ``queue_wait_seconds`` is ``q_time`` (0 if not queued), ``service_seconds``
    is ``ser_time`` for AGENT calls (0.0 otherwise), ``agent`` is ``server``
    ("" for NO_SERVER and unanswered calls), ``call_type`` is ``type``.
    The recorded durations are used rather than clock differences, so waits and
    services running past midnight are right.

    Raises
    ------
    CCSimInputError
        Missing file, unknown format or suffix, missing fields or columns, or a
        value that cannot be read (the message names it and its line or row).
    ImportError
        An Excel file without openpyxl installed.

    References
    ----------
    .. [1] L. Brown et al., "Statistical analysis of a telephone call center: a
       queueing-science perspective", JASA 100(469), 36-50, 2005,
       doi:10.1198/016214504000001808

    Examples
    --------
    >>> calls = read_call_log("acd_export.csv", format="generic", columns={
    ...     "arrival": "Start", "call_type": "Queue", "outcome": "Result",
    ...     "queue_wait_seconds": "Wait", "service_seconds": "Talk"},
    ...     outcome_values={"ANS": "answered", "ABN": "abandoned"})  # doctest: +SKIP
    """
    if format not in FORMATS:
        raise CCSimInputError(f"format must be one of {_listing(FORMATS)}; got {format!r}")
    if bad_lines not in ("error", "skip"):
        raise CCSimInputError(f"bad_lines must be 'error' or 'skip'; got {bad_lines!r}")
    file = _existing_file(path)
    if format == "anonymous-bank":
        if columns is not None or outcome_values is not None:
            raise CCSimInputError(
                "columns and outcome_values are for format='generic'; the anonymous-bank "
                "format has fixed fields"
            )
        return _read_anonymous_bank(file, bad_lines)
    if columns is None:
        raise CCSimInputError(
            "columns must be given for format='generic': a dict from ccsim column names "
            f"({_listing(CALL_COLUMNS)}) to the file's column names"
        )
    frame = _read_table(file, sep, sheet_name, encoding)
    return calls_from_frame(
        frame, columns, outcome_values=outcome_values, arrival_format=arrival_format,
        dayfirst=dayfirst,
    )


def load_example_calls() -> pd.DataFrame:
    """The bank's January 1999 calls, shipped with ccsim, as a call table.

    31,599 calls of the small Israeli bank analysed by Brown et al. [1]_, from the
    Technion SEE lab's data [2]_, read by :func:`read_call_log` and stripped of
    everything identifying: no caller ids, agents renamed ``A01``, ``A02``, ...
    (see ``ccsim/data/README.md``). January 11 and 12 are missing from the source.

    Returns
    -------
    pandas.DataFrame
        The call table described in :mod:`ccsim.io`.

    References
    ----------
    .. [1] L. Brown et al., JASA 100(469), 36-50, 2005, doi:10.1198/016214504000001808
    .. [2] Technion SEE lab, http://ie.technion.ac.il/serveng/callcenterdata/index.html

    Examples
    --------
    >>> calls = load_example_calls()
    >>> len(calls), int((calls["outcome"] == "abandoned").sum())
    (31599, 3101)
    """
    source = resources.files("ccsim.data").joinpath(EXAMPLE_FILE)
    with source.open("rb") as handle:
        raw = pd.read_csv(handle, compression="gzip", dtype={"agent": str, "call_type": str},
                          keep_default_na=False)
    return calls_from_frame(raw, {name: name for name in CALL_COLUMNS})
