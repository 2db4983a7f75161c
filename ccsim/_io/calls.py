"""Call logs into ccsim's call table: the anonymous-bank format and any table of calls.

Used by :func:`ccsim.io.read_call_log` and :func:`ccsim.io.calls_from_frame`; the
table's columns are described in :mod:`ccsim.io`.

A record identical to an earlier one in every field the file has (for the bank:
every field but the caller's id, which is never read) is a duplicated record: it is
dropped, with one warning that counts them and names the first rows or lines.
"""

from __future__ import annotations

import csv
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ccsim._io.dates import parse_datetimes
from ccsim._io.files import check_unique_columns, hashable, listing, read_csv_file
from ccsim._io.values import as_text, bad_rows, clock_seconds, seconds_column, whole_numbers
from ccsim._validation import CCSimInputError

__all__ = ["CALL_COLUMNS", "OUTCOMES", "bank_calls", "frame_calls"]

CALL_COLUMNS = ("call_type", "priority", "arrival", "queue_wait_seconds", "outcome",
                "service_seconds", "agent")
OUTCOMES = ("answered", "abandoned", "other")
_REQUIRED = ("arrival", "outcome", "queue_wait_seconds", "service_seconds")
_DEFAULTS: dict[str, Any] = {"call_type": "all", "priority": 0, "agent": ""}
_BANK_FIELDS = ("priority", "type", "date", "vru_entry", "vru_exit", "q_start", "q_time",
                "outcome", "ser_time", "server")
_BANK_OUTCOMES = ("AGENT", "HANG", "PHANTOM")


def _duplicates(frame: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Rows identical to an earlier row in every column."""
    try:
        return frame.duplicated().to_numpy()
    except TypeError:  # unhashable cells (lists, dicts) in a frame built by hand
        return frame.astype(str).duplicated().to_numpy()


def _finish(table: dict[str, Any], duplicated: npt.NDArray[np.bool_], labels: Any,
            place: str, where: str, stacklevel: int) -> pd.DataFrame:
    """Assemble the call table: dtypes, conventions, duplicates dropped, order."""
    frame = pd.DataFrame(table)[list(CALL_COLUMNS)]
    if duplicated.any():
        shown = np.asarray(labels)[duplicated]
        warnings.warn(
            f"{where}: dropped {int(duplicated.sum())} duplicated record(s), identical to an "
            f"earlier one in every field: {place}(s) {listing(shown)}", UserWarning,
            stacklevel=stacklevel + 1)
        frame = frame[~duplicated]
    answered = frame["outcome"] == "answered"
    frame["service_seconds"] = frame["service_seconds"].where(answered, 0.0).astype(float)
    frame["agent"] = frame["agent"].where(answered, "").astype(str)
    frame["arrival"] = frame["arrival"].astype("datetime64[ns]")
    frame["call_type"] = frame["call_type"].astype(str)
    frame["outcome"] = frame["outcome"].astype(str)
    frame["queue_wait_seconds"] = frame["queue_wait_seconds"].astype(float)
    frame["priority"] = frame["priority"].astype("int64")
    return frame.sort_values("arrival", kind="stable", ignore_index=True)


# ------------------------------------------------------------ anonymous bank
def _clock(what: str, values: pd.Series, lines: Any) -> pd.Series:
    """Seconds after midnight of ``h:mm:ss`` clock fields (hours 0-23)."""
    clock = pd.to_datetime(values, format="%H:%M:%S", errors="coerce")
    bad_rows(what, values, clock.isna(), "a clock time h:mm:ss", "line", lines)
    return (clock - pd.Timestamp("1900-01-01")).dt.total_seconds().astype("int64")


def bank_calls(file: Path, *, encoding: str | None, bad_lines: str,
               stacklevel: int) -> pd.DataFrame:
    """The Technion anonymous-bank format: tab-separated, 17 fields, header row."""
    plain = {"sep": "\t", "encoding": encoding, "quoting": csv.QUOTE_NONE,
             "where": "read_call_log", "stacklevel": stacklevel + 1}
    header, _ = read_csv_file(file, nrows=0, bad_lines="error", **plain)
    header = header.columns.astype(str).str.strip()
    missing = [f for f in _BANK_FIELDS if f not in header]
    if missing:
        raise CCSimInputError(
            f"path {str(file)!r} is not an anonymous-bank call log: fields {listing(missing)} "
            f"are missing (it has {listing(header)}); the format needs {listing(_BANK_FIELDS)}")
    last = header[-1]  # empty on a line with too few fields (a lost tab)
    raw, skipped = read_csv_file(
        file, dtype=str, keep_default_na=False, bad_lines=bad_lines,
        usecols=lambda name: str(name).strip() != "customer_id",  # caller ids: never read
        **plain)
    lines = np.arange(len(raw)) + 2
    for line in sorted(skipped):  # lines left out by pandas shift the later ones
        lines[lines >= line] += 1
    raw.columns = raw.columns.astype(str).str.strip()
    short = (raw[last].fillna("").str.strip() == "").to_numpy()
    if short.any():
        if bad_lines != "skip":
            raise CCSimInputError(
                f"path {str(file)!r} line {lines[short][0]} has fewer than {len(header)} fields "
                f"({short.sum()} such line(s): {listing(lines[short])}); pass bad_lines='skip' "
                "to leave them out")
        warnings.warn(
            f"read_call_log: left out {short.sum()} line(s) of {file.name!r} with fewer than "
            f"{len(header)} fields: {listing(lines[short])}", UserWarning, stacklevel=stacklevel)
        raw, lines = raw[~short].reset_index(drop=True), lines[~short]
    for text in ("type", "outcome", "server"):
        raw[text] = raw[text].str.strip()
    bad_rows("type", raw["type"], raw["type"] == "", "a call type, not blank", "line", lines)
    date = pd.to_datetime(raw["date"], format="%y%m%d", errors="coerce")
    bad_rows("date", raw["date"], date.isna(), "a date YYMMDD", "line", lines)
    entry = _clock("vru_entry", raw["vru_entry"], lines)
    exit_ = _clock("vru_exit", raw["vru_exit"], lines)
    # A VRU exit clock more than 12 h before the entry clock is past midnight.
    exit_ = exit_ + 86400 * (exit_ < entry - 43200)
    q_start = _clock("q_start", raw["q_start"], lines)
    q_time, ser_time, priority = (whole_numbers(name, raw[name], "line", labels=lines)
                                  for name in ("q_time", "ser_time", "priority"))
    code = raw["outcome"]
    bad_rows("outcome", code, ~code.isin(_BANK_OUTCOMES), f"one of {_BANK_OUTCOMES}", "line",
             lines)
    queued = (q_start > 0).to_numpy() | (q_time > 0)
    outcome = np.select([code == "AGENT", (code == "HANG") & queued],
                        ["answered", "abandoned"], "other")
    table = {
        "call_type": raw["type"],
        "priority": priority,
        "arrival": date + pd.to_timedelta(exit_, unit="s"),
        "queue_wait_seconds": np.where(queued, q_time, 0),
        "outcome": outcome,
        "service_seconds": ser_time,
        "agent": raw["server"].where(raw["server"] != "NO_SERVER", ""),
    }
    return _finish(table, _duplicates(raw), lines, "line", "read_call_log", stacklevel)


# ------------------------------------------------------------------- generic
def _check_columns(columns: Any, frame: pd.DataFrame) -> dict[str, Any]:
    if not isinstance(columns, Mapping):
        raise CCSimInputError(
            "columns must be a dict from ccsim column names to the file's column names, "
            f"e.g. {{'arrival': 'Start time', ...}}; got {columns!r}")
    unknown = [key for key in columns if key not in CALL_COLUMNS]
    if unknown:
        raise CCSimInputError(
            f"columns has unknown key(s) {listing(unknown)}; valid keys are "
            f"{listing(CALL_COLUMNS)}")
    missing = [key for key in _REQUIRED if key not in columns]
    if missing:
        raise CCSimInputError(
            f"columns must map {listing(_REQUIRED)}; {listing(missing)} not given")
    check_unique_columns(frame, "the table")
    heads = set(frame.columns)
    for key, name in columns.items():
        names = list(name) if key == "arrival" and isinstance(name, (list, tuple)) else [name]
        if key == "arrival" and len(names) not in (1, 2):
            raise CCSimInputError(
                f"columns['arrival'] must be one column or two (date, time); got {name!r}")
        absent = [n for n in names if not hashable(n) or n not in heads]
        if absent:
            raise CCSimInputError(
                f"columns[{key!r}] names {listing(absent)}, not a column of the file; "
                f"its columns are {listing(frame.columns, 30)}")
    return dict(columns)


def _arrival(frame: pd.DataFrame, name: Any, arrival_format: str | None,
             dayfirst: bool | None) -> pd.Series:
    names = list(name) if isinstance(name, (list, tuple)) else [name]
    stamps = parse_datetimes(frame[names[0]], f"arrival (column {names[0]!r})", arrival_format,
                             dayfirst, "arrival_format").wall
    if len(names) == 2:
        values = frame[names[1]]
        clock = np.array([np.nan if (seconds := clock_seconds(v)) is None else seconds
                          for v in values], dtype=float)
        bad_rows(f"arrival time (column {names[1]!r})", values, np.isnan(clock),
                 "a time of day 0:00-23:59 such as '08:30' or '08:30:15'")
        stamps = stamps.dt.normalize() + pd.to_timedelta(clock, unit="s")
    return stamps


def _outcomes(values: pd.Series, outcome_values: Mapping[Any, str] | None) -> np.ndarray:
    mapping = {o: o for o in OUTCOMES} if outcome_values is None else outcome_values
    if not isinstance(mapping, Mapping):
        raise CCSimInputError(
            "outcome_values must be a dict from the file's outcome values to 'answered', "
            f"'abandoned' or 'other'; got {outcome_values!r}")
    bad = {k: v for k, v in mapping.items() if not isinstance(v, str) or v not in OUTCOMES}
    if bad:
        raise CCSimInputError(f"outcome_values must map to one of {OUTCOMES}; got {bad!r}")
    key = {str(k).strip().casefold(): v for k, v in mapping.items()}
    shown = as_text(values)
    text = shown.str.casefold()
    unknown = sorted(set(shown[~text.isin(list(key)).to_numpy()]))
    if unknown:
        raise CCSimInputError(
            f"outcome (column {values.name!r}) has value(s) {listing(unknown)} that "
            "outcome_values does not map; mapped values are "
            f"{listing(key)} (pass outcome_values={{file value: 'answered' | 'abandoned' | "
            "'other'})")
    return text.map(key).to_numpy()


def frame_calls(frame: Any, columns: Any, *, outcome_values: Any, arrival_format: Any,
                dayfirst: Any, where: str, stacklevel: int) -> pd.DataFrame:
    """The body of :func:`ccsim.io.calls_from_frame` (``where`` names the public caller)."""
    if not isinstance(frame, pd.DataFrame):
        raise CCSimInputError(f"frame must be a pandas DataFrame; got {type(frame).__name__}")
    if frame.columns.nlevels != 1:
        raise CCSimInputError("frame must have one row of column names, not a MultiIndex")
    columns = _check_columns(columns, frame)
    frame = frame.reset_index(drop=True)
    outcome = _outcomes(frame[columns["outcome"]], outcome_values)
    waits = frame[columns["queue_wait_seconds"]]
    wait = seconds_column("queue_wait_seconds", waits)
    bad_rows("queue_wait_seconds", waits, ~(np.isfinite(wait) & (wait >= 0)),
             "a number of seconds >= 0")
    talks = frame[columns["service_seconds"]]
    answered = outcome == "answered"
    service = np.where(answered, seconds_column("service_seconds", talks), 0.0)
    bad_rows("service_seconds", talks, ~(np.isfinite(service) & (service >= 0)),
             "a number of seconds >= 0 for an answered call")
    table: dict[str, Any] = {
        "arrival": _arrival(frame, columns["arrival"], arrival_format, dayfirst),
        "outcome": outcome, "queue_wait_seconds": wait, "service_seconds": service,
    }
    for key, default in _DEFAULTS.items():
        table[key] = frame[columns[key]] if key in columns else default
    if "priority" in columns:
        table["priority"] = whole_numbers("priority", frame[columns["priority"]])
    if "agent" in columns:
        table["agent"] = table["agent"].fillna("").astype(str).str.strip()
    if "call_type" in columns:
        kinds = table["call_type"]
        text = as_text(kinds)
        bad_rows("call_type", kinds, text == "", "a name, not blank")
        table["call_type"] = text
    rows = np.arange(len(frame)) + 1
    return _finish(table, _duplicates(frame), rows, "row", where, stacklevel)
