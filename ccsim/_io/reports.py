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
``service_level``   SL, service level: a fraction, or a percentage (``"80%"``, or a
                    column with any value above 1) (optional)
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

Daylight saving time: the table is in naive local (wall-clock) time. Pass the
center's ``timezone`` and a report whose times carry UTC offsets is converted to it;
on the 25-hour day the repeated hour's intervals (two rows each) are merged (counts
summed, AHT and ASA averaged weighted by answered calls) and on the 23-hour day the
intervals the clock skipped are added with zero calls; each such day is explained in
a warning and listed in ``attrs["dst_days"]``. Without ``timezone`` a repeated or
skipped interval is an error like any other duplicate or gap.
"""

from __future__ import annotations

import datetime
import importlib.util
import re
import warnings
import zoneinfo
from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ccsim._validation import CCSimInputError

__all__ = ["HISTORY_COLUMNS", "REPORT_KEYS", "interval_report_from_frame",
           "read_interval_report"]

HISTORY_COLUMNS = ("interval_start", "call_type", "offered", "answered", "abandoned",
                   "answered_within", "abandoned_within", "aht_seconds", "asa_seconds",
                   "service_level")
_ALIASES = {
    "interval": ("interval", "intervalstart", "start", "starttime", "period", "periodstart",
                 "datetime", "timestamp", "time"),
    "call_type": ("queue", "queuename", "calltype", "skill", "skillname", "split", "service",
                  "vdn", "application"),
    "offered": ("offered", "callsoffered", "offeredcalls", "incoming", "incomingcalls"),
    "answered": ("handled", "answered", "callshandled", "callsanswered", "handledcalls",
                 "answeredcalls", "acdcalls"),
    "abandoned": ("abandoned", "abandons", "aban", "abn", "callsabandoned", "abandonedcalls"),
    "answered_within": ("answeredwithin", "answeredwithinsl", "answeredwithinthreshold",
                        "answeredinsl",
                        "slcalls", "withinsl"),
    "abandoned_within": ("abandonedwithin", "shortabandons", "shortabandoned"),
    "aht_seconds": ("aht", "ahtseconds", "averagehandletime", "avghandletime",
                    "averagehandlingtime", "avghandlingtime"),
    "asa_seconds": ("asa", "asaseconds", "averagespeedofanswer", "avgspeedofanswer",
                    "speedofanswer"),
    "service_level": ("sl", "servicelevel", "slpercent", "servicelevelpercent"),
}
REPORT_KEYS = tuple(_ALIASES)
_COUNTS = ("offered", "answered", "abandoned")
_FREQS = {15: "15min", 30: "30min", 60: "60min"}
_CSV = (".csv", ".txt", ".tsv", ".gz", ".zip", ".bz2", ".xz")
_EXCEL = (".xlsx", ".xlsm")


def _listing(values: Any, limit: int = 6) -> str:
    values = [str(v) for v in values]
    more = f" and {len(values) - limit} more" if len(values) > limit else ""
    return ", ".join(repr(v) for v in values[:limit]) + more


def _key(heading: Any) -> str:
    text = re.sub(r"[\(\[].*?[\)\]]", "", str(heading).casefold())
    return re.sub(r"[^a-z0-9]", "", text)


def _bad(what: str, values: pd.Series, bad: Any, valid: str) -> None:
    bad = np.asarray(bad, dtype=bool)
    if bad.any():
        where = np.flatnonzero(bad)
        more = f" (and {where.size - 1} more)" if where.size > 1 else ""
        value = values.iloc[where[0]]
        value = value.item() if isinstance(value, np.generic) else value
        raise CCSimInputError(f"{what} must be {valid}; got {value!r} on row {where[0] + 1}{more}")


# --------------------------------------------------------------------- columns
def _mapping(frame: pd.DataFrame, columns: Mapping[str, Any] | None) -> dict[str, Any]:
    if columns is not None and not isinstance(columns, Mapping):
        raise CCSimInputError(
            "columns must be a dict from ccsim names to the report's headings, e.g. "
            f"{{'interval': 'Start', 'offered': 'Calls in'}}; got {columns!r}")
    given = dict(columns or {})
    unknown = [k for k in given if k not in REPORT_KEYS]
    if unknown:
        raise CCSimInputError(
            f"columns has unknown key(s) {_listing(unknown)}; valid keys are "
            f"{_listing(REPORT_KEYS, 20)}")
    for key, name in given.items():
        names = list(name) if isinstance(name, (tuple, list)) else [name]
        absent = [n for n in names if n not in frame.columns]
        if absent or (len(names) != 1 and (key != "interval" or len(names) != 2)):
            raise CCSimInputError(
                f"columns[{key!r}] must name a column of the report ('interval' may name "
                f"two: date, time); got {name!r}; the report's columns are "
                f"{_listing(frame.columns, 30)}")
    taken = {n for v in given.values() for n in (v if isinstance(v, (tuple, list)) else [v])}
    found: dict[str, list[Any]] = {}
    for heading in frame.columns:
        if heading in taken:
            continue
        for key, aliases in _ALIASES.items():
            if key not in given and _key(heading) in aliases:
                found.setdefault(key, []).append(heading)
    dates = [h for h in frame.columns if _key(h) in ("date", "day") and h not in taken]
    if "interval" not in given and len(dates) == 1 and len(found.get("interval", [])) == 1:
        found["interval"] = [(dates[0], found["interval"][0])]
    elif "interval" not in given and "interval" not in found and len(dates) == 1:
        found["interval"] = [dates[0]]
    for key, headings in found.items():
        if len(headings) > 1:
            raise CCSimInputError(
                f"the report has several columns that could be {key!r} ({_listing(headings)}); "
                f"say which with columns={{{key!r}: ...}}")
        given[key] = headings[0]
    if "interval" not in given:
        raise CCSimInputError(
            "the report has no interval column (looked for 'Interval', 'Start time', "
            f"'Period', ... among {_listing(frame.columns, 30)}); pass "
            "columns={'interval': heading} or columns={'interval': (date, time)}")
    counts = [k for k in _COUNTS if k in given]
    if len(counts) < 2:
        raise CCSimInputError(
            f"the report must have two of offered, answered (handled) and abandoned; found "
            f"{_listing(counts) or 'none'} among {_listing(frame.columns, 30)} (map them "
            "with columns=)")
    return given


# ------------------------------------------------------------------ the clock
def _clock(value: Any) -> pd.Timedelta | None:
    """Time of day of a cell: ``08:30``, ``8:30 PM``, ``08:30-09:00``, a time, a datetime."""
    if isinstance(value, datetime.datetime):
        return value - datetime.datetime.combine(value.date(), datetime.time())
    if isinstance(value, datetime.time):
        return pd.Timedelta(hours=value.hour, minutes=value.minute, seconds=value.second)
    if isinstance(value, (datetime.timedelta, np.timedelta64)):
        return pd.Timedelta(value)
    match = re.match(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]m)?\s*(?:[-–].*)?$",
                     str(value), re.IGNORECASE)
    if not match:
        return None
    hours, minutes, seconds, half = match.groups()
    hours = int(hours) % 12 + (12 if half and half.lower() == "pm" else 0) if half else int(
        hours)
    out = pd.Timedelta(hours=hours, minutes=int(minutes), seconds=int(seconds or 0))
    return out if out < pd.Timedelta(days=1) else None


def _datetimes(values: pd.Series, what: str, date_format: str | None, dayfirst: bool
               ) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    text = values.astype(str).str.strip()
    try:
        stamps = pd.to_datetime(text, format=date_format, dayfirst=dayfirst, errors="coerce")
    except ValueError:  # mixed UTC offsets (a daylight-saving change): parse as UTC
        stamps = pd.to_datetime(text, format=date_format, dayfirst=dayfirst, errors="coerce",
                                utc=True)
        stamps.attrs["mixed_offsets"] = True
    _bad(what, values, stamps.isna(), "a date and time")
    return stamps


def _stamps(frame: pd.DataFrame, name: Any, timezone: str | None, date_format: str | None,
            dayfirst: bool) -> pd.Series:
    """Naive local interval starts (see the module notes on time zones)."""
    if isinstance(name, (tuple, list)):
        day = _datetimes(frame[name[0]], f"interval date (column {name[0]!r})", date_format,
                         dayfirst)
        clock = frame[name[1]].map(_clock)
        _bad(f"interval time (column {name[1]!r})", frame[name[1]], clock.isna(),
             "a time of day such as '08:30' or '08:30 - 09:00'")
        if getattr(day.dt, "tz", None) is not None:
            day = day.dt.tz_localize(None)
        return day.dt.normalize() + pd.to_timedelta(clock)
    stamps = _datetimes(frame[name], f"interval (column {name!r})", date_format, dayfirst)
    if getattr(stamps.dt, "tz", None) is None:
        return stamps
    if timezone is not None:
        return stamps.dt.tz_convert(timezone).dt.tz_localize(None)
    if stamps.attrs.get("mixed_offsets"):
        raise CCSimInputError(
            f"interval (column {name!r}) carries several UTC offsets (a daylight-saving "
            "change?); pass timezone='Area/City' (the center's time zone, e.g. "
            "'Europe/Paris') to convert them to local wall-clock time")
    return stamps.dt.tz_localize(None)  # one fixed offset: its wall clock


# --------------------------------------------------------------------- values
def _count(frame: pd.DataFrame, key: str, name: Any) -> np.ndarray:
    values = frame[name]
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() | (numbers < 0) | (numbers != np.floor(numbers))
    _bad(f"{key} (column {name!r})", values, bad, "a whole number >= 0")
    return numbers.to_numpy(dtype=np.int64)


def _seconds(value: Any) -> float:
    if isinstance(value, datetime.time):
        return value.hour * 3600.0 + value.minute * 60.0 + value.second
    if isinstance(value, (datetime.timedelta, np.timedelta64)):
        return pd.Timedelta(value).total_seconds()
    text = str(value).strip()
    if ":" in text:
        parts = [float(p) for p in text.split(":")]
        if len(parts) > 3 or any(p < 0 for p in parts):
            raise ValueError(text)
        return float(np.dot(parts[::-1], (1.0, 60.0, 3600.0)[:len(parts)]))
    return float(text)


def _duration(frame: pd.DataFrame, key: str, name: Any, answered: np.ndarray) -> np.ndarray:
    values = frame[name]
    blank = (values.isna() | (values.astype(str).str.strip() == "")).to_numpy()

    def convert(value: Any) -> float:
        try:
            return _seconds(value)
        except (TypeError, ValueError):
            return np.nan

    seconds = np.array([np.nan if b else convert(v) for v, b in zip(values, blank, strict=True)])
    _bad(f"{key} (column {name!r})", values,
         (np.isnan(seconds) | (seconds < 0) | np.isinf(seconds)) & ~(blank & (answered == 0)),
         "seconds or h:mm:ss (blank only where nothing was answered)")
    return np.where(answered == 0, 0.0, seconds)


def _fraction(frame: pd.DataFrame, name: Any) -> np.ndarray:
    values = frame[name]
    text = values.astype(str).str.strip()
    percent = text.str.endswith("%")
    numbers = pd.to_numeric(text.str.rstrip("%").str.strip(), errors="coerce")
    blank = (text == "") | values.isna()
    _bad(f"service_level (column {name!r})", values, numbers.isna() & ~blank,
         "a fraction or a percentage")
    scale = 100.0 if percent.any() or (numbers > 1).any() else 1.0
    out = numbers.to_numpy(dtype=float) / scale
    _bad(f"service_level (column {name!r})", values, (out < 0) | (out > 1),
         "a fraction in [0, 1] or a percentage in [0, 100]")
    return out


def _values(frame: pd.DataFrame, cols: dict[str, Any], basis: str) -> pd.DataFrame:
    """The history's value columns, row by row, derived where the report lacks them."""
    got = {k: _count(frame, k, cols[k]) for k in _COUNTS if k in cols}
    offered = got.get("offered", got.get("answered", 0) + got.get("abandoned", 0))
    answered = got.get("answered", offered - got.get("abandoned", 0))
    abandoned = got.get("abandoned", offered - answered)
    base = pd.Series(offered)
    if len(got) == 3:
        _bad("offered", base, offered != answered + abandoned,
             "answered + abandoned (map only two of the three if the report's offered also "
             "counts other outcomes)")
    for key, value in (("answered", answered), ("abandoned", abandoned)):
        _bad(f"{key} (offered - the other)", pd.Series(value), value < 0, ">= 0")
    out = pd.DataFrame({"offered": offered, "answered": answered, "abandoned": abandoned})
    within = np.full(len(frame), np.nan)
    if "answered_within" in cols:
        within = _count(frame, "answered_within", cols["answered_within"]).astype(float)
    elif "service_level" in cols:
        level = _fraction(frame, cols["service_level"])
        level = np.where(offered == 0, 1.0, level) if basis == "offered" else level
        _bad(f"service_level (column {cols['service_level']!r})", frame[cols["service_level"]],
             np.isnan(level) & ((offered if basis == "offered" else answered) > 0),
             "given where calls were offered")
        within = np.round(np.nan_to_num(level) * (offered if basis == "offered" else answered))
    _bad("answered_within", pd.Series(within), within > answered, "<= answered")
    out["answered_within"] = np.where(answered == 0, 0.0, within)
    short = (_count(frame, "abandoned_within", cols["abandoned_within"]).astype(float)
             if "abandoned_within" in cols else np.full(len(frame), np.nan))
    out["abandoned_within"] = np.where(abandoned == 0, 0.0, short)
    _bad("abandoned_within", out["abandoned_within"], out["abandoned_within"] > abandoned,
         "<= abandoned")
    for key in ("aht_seconds", "asa_seconds"):
        out[key] = (_duration(frame, key, cols[key], answered) if key in cols else
                    np.where(answered == 0, 0.0, np.nan))
    return out


# ---------------------------------------------------------------- the grid
def _step(table: pd.DataFrame, freq: str | None) -> pd.Timedelta:
    if freq is not None:
        try:
            step = pd.Timedelta(pd.tseries.frequencies.to_offset(freq))
        except (TypeError, ValueError):
            step = None
        if step is None or step.total_seconds() / 60 not in _FREQS:
            raise CCSimInputError(f"freq must be '15min', '30min' or '60min'; got {freq!r}")
        return step
    steps = {}
    for kind, group in table.groupby("call_type")["interval_start"]:
        diffs = np.diff(np.unique(group.to_numpy()))
        if diffs.size:
            steps[kind] = pd.Timedelta(diffs.min())
    if not steps:
        raise CCSimInputError(
            "cannot infer the interval length from one interval per queue; pass freq=")
    if len(set(steps.values())) > 1:
        raise CCSimInputError(
            "the queues' intervals are spaced differently ("
            + ", ".join(f"{k!r} every {v}" for k, v in steps.items()) + "); pass freq=")
    step = next(iter(steps.values()))
    if step.total_seconds() / 60 not in _FREQS:
        raise CCSimInputError(
            f"the report's intervals are {step} apart, not 15, 30 or 60 minutes; pass freq=")
    return step


def _dst_masks(stamps: pd.Series, timezone: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Which naive stamps are repeated (fall back) or skipped (spring forward) local times."""
    if timezone is None:
        return np.zeros(len(stamps), bool), np.zeros(len(stamps), bool)
    index = pd.DatetimeIndex(stamps)
    repeated = index.tz_localize(timezone, ambiguous="NaT", nonexistent="shift_forward")
    skipped = index.tz_localize(timezone, ambiguous=np.ones(len(index), bool),
                                nonexistent="NaT")
    return np.asarray(repeated.isna()), np.asarray(skipped.isna())


def _merge_repeated(table: pd.DataFrame, timezone: str | None, notes: dict) -> pd.DataFrame:
    keys = ["interval_start", "call_type"]
    twice = table.duplicated(keys, keep=False).to_numpy()
    if not twice.any():
        return table
    repeated, _ = _dst_masks(table["interval_start"], timezone)
    wrong = twice & ~repeated
    if wrong.any():
        first = table[wrong].iloc[0]
        hint = "" if timezone else (
            " (if the clocks went back that night, pass timezone='Area/City' to merge the "
            "repeated hour)")
        count = len(table[wrong].drop_duplicates(keys))
        raise CCSimInputError(
            f"the report gives {count} interval(s) more than once, e.g. queue "
            f"{first['call_type']!r} at {first['interval_start']}{hint}")
    for day, rows in table[twice].groupby(table.loc[twice, "interval_start"].dt.date):
        times = sorted(set(rows["interval_start"].dt.strftime("%H:%M")))
        notes[str(day)] = (f"{day} is a 25-hour day in {timezone} (clocks go back): the "
                           f"repeated intervals {', '.join(times)} are merged")
    weights = table["answered"].astype(float)
    work = table.assign(aht_seconds=table["aht_seconds"] * weights,
                        asa_seconds=table["asa_seconds"] * weights)
    merged = work.groupby(keys, sort=False).sum(min_count=1).reset_index()
    answered = merged["answered"].to_numpy(dtype=float)
    for key in ("aht_seconds", "asa_seconds"):  # means weighted by answered calls
        merged[key] = np.where(answered > 0, merged[key] / np.maximum(answered, 1.0), 0.0)
    return merged


def _fill(table: pd.DataFrame, step: pd.Timedelta, timezone: str | None, fill_gaps: bool,
          notes: dict) -> tuple[pd.DataFrame, list[str]]:
    stamps = table["interval_start"]
    off = stamps != stamps.dt.floor(step)
    _bad("interval_start", stamps, off, f"the start of a {_FREQS[step.seconds // 60]} interval")
    if fill_gaps:
        grid = pd.date_range(stamps.min().floor("D"), stamps.max().floor("D") + pd.Timedelta(
            days=1), freq=step, inclusive="left")
        wanted = pd.MultiIndex.from_product([grid, sorted(table["call_type"].unique())])
    else:
        wanted = pd.MultiIndex.from_tuples(
            [(t, k) for k, g in table.groupby("call_type")["interval_start"]
             for t in pd.date_range(g.min(), g.max(), freq=step)])
    present = pd.MultiIndex.from_frame(table[["interval_start", "call_type"]])
    missing = wanted[~wanted.isin(present)]
    if not len(missing):
        return table, []
    _, skipped = _dst_masks(pd.Series(missing.get_level_values(0)), timezone)
    skipped_starts = pd.Series(missing.get_level_values(0)[skipped])
    for day, times in skipped_starts.groupby(skipped_starts.dt.date):
        shown = ", ".join(sorted(set(times.dt.strftime("%H:%M"))))
        notes[str(day)] = (f"{day} is a 23-hour day in {timezone} (clocks go forward): the "
                           f"intervals {shown} do not exist and get zero calls")
    gaps = missing[~skipped]
    shown = [f"{k!r} {t:%Y-%m-%d %H:%M}" for t, k in gaps]
    if len(gaps) and not fill_gaps:
        raise CCSimInputError(
            f"the report has {len(gaps)} missing interval(s): {', '.join(shown[:6])}"
            f"{' ...' if len(gaps) > 6 else ''}; pass fill_gaps=True to give them zero calls "
            "(and whole days for every queue), after checking the center was closed")
    zero = pd.DataFrame({"interval_start": missing.get_level_values(0),
                         "call_type": missing.get_level_values(1), "offered": 0, "answered": 0,
                         "abandoned": 0, "answered_within": 0.0, "abandoned_within": 0.0,
                         "aht_seconds": 0.0, "asa_seconds": 0.0})
    return pd.concat([table, zero], ignore_index=True), shown


# --------------------------------------------------------------------- public
def interval_report_from_frame(
    frame: pd.DataFrame, columns: Mapping[str, Any] | None = None, freq: str | None = None, *,
    timezone: str | None = None, fill_gaps: bool = False, service_level_basis: str = "offered",
    answer_within_seconds: float | None = None, date_format: str | None = None,
    dayfirst: bool = False,
) -> pd.DataFrame:
    """Turn an interval report already loaded as a DataFrame into the history table.

    See :func:`read_interval_report` for the arguments and the result.
    """
    if not isinstance(frame, pd.DataFrame):
        raise CCSimInputError(f"frame must be a pandas DataFrame; got {type(frame).__name__}")
    if frame.empty:
        raise CCSimInputError("the report has no rows")
    if service_level_basis not in ("offered", "answered"):
        raise CCSimInputError(
            f"service_level_basis must be 'offered' or 'answered'; got {service_level_basis!r}")
    if not isinstance(fill_gaps, bool):
        raise CCSimInputError(f"fill_gaps must be True or False; got {fill_gaps!r}")
    if timezone is not None:
        try:
            zoneinfo.ZoneInfo(str(timezone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise CCSimInputError(
                f"timezone must be an IANA time zone such as 'Europe/Paris'; got {timezone!r}"
            ) from None
    frame = frame.reset_index(drop=True)
    cols = _mapping(frame, columns)
    table = _values(frame, cols, service_level_basis)
    table.insert(0, "interval_start", _stamps(frame, cols["interval"], timezone, date_format,
                                              dayfirst).to_numpy())
    kinds = frame[cols["call_type"]] if "call_type" in cols else pd.Series("all", frame.index)
    _bad(f"call_type (column {cols.get('call_type')!r})", kinds, kinds.isna(), "a queue name")
    table.insert(1, "call_type", kinds.astype(str).str.strip().to_numpy())
    notes: dict[str, str] = {}
    table = _merge_repeated(table, timezone, notes)
    step = _step(table, freq)
    table, filled = _fill(table, step, timezone, fill_gaps, notes)
    offered = table["offered"].to_numpy(dtype=float)
    level = np.ones(len(table))
    np.divide(table["answered_within"], offered, out=level, where=offered > 0)
    table["service_level"] = np.where(table["answered_within"].isna() & (offered > 0), np.nan,
                                      level)
    for key in _COUNTS + ("answered_within", "abandoned_within"):
        if table[key].notna().all():
            table[key] = table[key].astype(np.int64)
    for note in sorted(notes):
        warnings.warn(f"read_interval_report: {notes[note]}", UserWarning, stacklevel=3)
    if filled:
        warnings.warn(
            f"read_interval_report: filled {len(filled)} missing interval(s) with zero calls: "
            f"{', '.join(filled[:6])}{' ...' if len(filled) > 6 else ''}", UserWarning,
            stacklevel=3)
    table["interval_start"] = table["interval_start"].astype("datetime64[ns]")
    out = table.sort_values(["interval_start", "call_type"], ignore_index=True)[
        list(HISTORY_COLUMNS)]
    out.attrs = {
        "freq": _FREQS[int(step.total_seconds() // 60)], "columns": cols,
        "not_in_report": [c for c in HISTORY_COLUMNS if out[c].isna().any()],
        "answer_within_seconds": answer_within_seconds, "timezone": timezone,
        "dst_days": dict(sorted(notes.items())), "filled_gaps": filled,
    }
    return out


def read_interval_report(
    path: str | PathLike[str], columns: Mapping[str, Any] | None = None,
    freq: str | None = None, *, timezone: str | None = None, fill_gaps: bool = False,
    service_level_basis: str = "offered", answer_within_seconds: float | None = None,
    date_format: str | None = None, dayfirst: bool = False, sep: str = ",",
    sheet_name: str | int = 0, encoding: str | None = None,
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
    freq : {"15min", "30min", "60min"}, optional
        Interval length; by default inferred from the spacing (the same for every queue).
    timezone : str, optional
        The center's IANA time zone (``"Europe/Paris"``): converts times with UTC
        offsets to local time and explains daylight-saving days (module notes).
    fill_gaps : bool
        False (default): a missing interval is an error listing the gaps. True: give
        missing intervals zero calls, on a grid of whole days for every queue (as
        :func:`ccsim.arrivals.history_from_calls` makes), with a warning listing them:
        for reports that leave out closed or empty intervals.
    service_level_basis : {"offered", "answered"}
        What the report's SL divides by, when ``answered_within`` must be derived from it.
    answer_within_seconds : float, optional
        The report's SL threshold [s], kept in ``attrs`` (the file rarely says it).
    date_format, dayfirst
        How to read the dates (a :func:`pandas.to_datetime` format; day before month).
    sep, sheet_name, encoding
        CSV separator, Excel sheet, text encoding.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`ccsim.arrivals.history_from_calls`, one row per interval
        and queue, sorted by ``interval_start`` then ``call_type``. Counts are int64
        when known. ``attrs``: ``freq``, ``columns`` (the mapping used),
        ``not_in_report`` (columns left NaN), ``answer_within_seconds``, ``timezone``,
        ``dst_days`` and ``filled_gaps``.

    Raises
    ------
    CCSimInputError
        Missing file or columns, an unreadable, negative or inconsistent value (the
        message names the column and row), irregular or misaligned intervals,
        duplicates, or gaps (unless ``fill_gaps``).
    ImportError
        An Excel file without openpyxl installed.

    Warns
    -----
    UserWarning
        Each daylight-saving day handled, and the intervals ``fill_gaps`` filled.
    """
    if not isinstance(path, (str, PathLike)):
        raise CCSimInputError(f"path must be a file path (str or Path); got {type(path).__name__}")
    file = Path(path)
    if not file.is_file():
        raise CCSimInputError(f"path must be an existing file; got {str(path)!r}")
    suffix = file.suffix.lower()
    if suffix in _EXCEL:
        if importlib.util.find_spec("openpyxl") is None:
            raise ImportError(
                f"reading {file.name!r} (an Excel {suffix} file) needs openpyxl, which ccsim "
                "does not install: run `pip install openpyxl`, or save the sheet as CSV")
        frame = pd.read_excel(file, sheet_name=sheet_name)
    elif suffix in _CSV:
        frame = pd.read_csv(file, sep=sep, encoding=encoding, dtype=str, keep_default_na=False,
                            skipinitialspace=True)
    else:
        raise CCSimInputError(
            f"path must be a CSV or Excel file (suffix one of {_listing(_CSV + _EXCEL, 20)}); "
            f"got {file.name!r}")
    return interval_report_from_frame(
        frame, columns, freq, timezone=timezone, fill_gaps=fill_gaps,
        service_level_basis=service_level_basis, answer_within_seconds=answer_within_seconds,
        date_format=date_format, dayfirst=dayfirst)
