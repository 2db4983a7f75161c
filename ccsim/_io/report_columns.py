"""The columns of an interval report: which heading is what, and each cell read strictly.

Used by :mod:`ccsim._io.reports` (whose module notes give the headings recognised
and the rules for each column).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ccsim._io.dates import parse_datetimes
from ccsim._io.files import check_unique_columns, hashable, listing
from ccsim._io.values import (
    as_text,
    bad_rows,
    clock_seconds,
    duration_seconds,
    numbers,
    whole_numbers,
)
from ccsim._validation import CCSimInputError

__all__ = ["COUNTS", "REPORT_KEYS", "mapping", "stamps", "values"]

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
COUNTS = ("offered", "answered", "abandoned")


def _key(heading: Any) -> str:
    text = re.sub(r"[\(\[].*?[\)\]]", "", str(heading).casefold())
    return re.sub(r"[^a-z0-9]", "", text)


# --------------------------------------------------------------------- columns
def mapping(frame: pd.DataFrame, columns: Mapping[str, Any] | None) -> dict[str, Any]:
    if columns is not None and not isinstance(columns, Mapping):
        raise CCSimInputError(
            "columns must be a dict from ccsim names to the report's headings, e.g. "
            f"{{'interval': 'Start', 'offered': 'Calls in'}}; got {columns!r}")
    given = dict(columns or {})
    unknown = [k for k in given if k not in REPORT_KEYS]
    if unknown:
        raise CCSimInputError(
            f"columns has unknown key(s) {listing(unknown)}; valid keys are "
            f"{listing(REPORT_KEYS, 20)}")
    check_unique_columns(frame, "the report")
    heads = set(frame.columns)
    for key, name in given.items():
        names = list(name) if isinstance(name, (tuple, list)) else [name]
        absent = [n for n in names if not hashable(n) or n not in heads]
        if absent or (len(names) != 1 and (key != "interval" or len(names) != 2)):
            raise CCSimInputError(
                f"columns[{key!r}] must name a column of the report ('interval' may name "
                f"two: date, time); got {name!r}; the report's columns are "
                f"{listing(frame.columns, 30)}")
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
                f"the report has several columns that could be {key!r} ({listing(headings)}); "
                f"say which with columns={{{key!r}: ...}}")
        given[key] = headings[0]
    if "interval" not in given:
        raise CCSimInputError(
            "the report has no interval column (looked for 'Interval', 'Start time', "
            f"'Period', ... among {listing(frame.columns, 30)}); pass "
            "columns={'interval': heading} or columns={'interval': (date, time)}")
    counts = [k for k in COUNTS if k in given]
    if len(counts) < 2:
        raise CCSimInputError(
            f"the report must have two of offered, answered (handled) and abandoned; found "
            f"{listing(counts) or 'none'} among {listing(frame.columns, 30)} (map them "
            "with columns=)")
    return given



# ------------------------------------------------------------------ the clock
def stamps(frame: pd.DataFrame, name: Any, timezone: str | None, date_format: str | None,
           dayfirst: bool | None) -> pd.Series:
    """Naive local interval starts (see :mod:`ccsim._io.reports` on time zones)."""
    if isinstance(name, (tuple, list)):
        day = parse_datetimes(frame[name[0]], f"interval date (column {name[0]!r})",
                              date_format, dayfirst).wall
        values = frame[name[1]]
        clock = np.array([np.nan if (s := clock_seconds(v, allow_range=True)) is None else s
                          for v in values], dtype=float)
        bad_rows(f"interval time (column {name[1]!r})", values, np.isnan(clock),
                 "a time of day 0:00-23:59 such as '08:30' or '08:30 - 09:00'")
        return day.dt.normalize() + pd.to_timedelta(clock, unit="s")
    parsed = parse_datetimes(frame[name], f"interval (column {name!r})", date_format, dayfirst)
    if parsed.instants is not None and timezone is not None:
        return parsed.instants.dt.tz_convert(timezone).dt.tz_localize(None)
    if parsed.several_offsets:
        raise CCSimInputError(
            f"interval (column {name!r}) carries several UTC offsets (a daylight-saving "
            "change?); pass timezone='Area/City' (the center's time zone, e.g. "
            "'Europe/Paris') to convert them to local wall-clock time")
    return parsed.wall  # one fixed offset (or none): its wall clock


# --------------------------------------------------------------------- values
def _count(frame: pd.DataFrame, key: str, name: Any) -> npt.NDArray[np.int64]:
    return whole_numbers(f"{key} (column {name!r})", frame[name])


def _duration(frame: pd.DataFrame, key: str, name: Any, answered: np.ndarray) -> np.ndarray:
    values = frame[name]
    blank = (as_text(values) == "").to_numpy()

    def convert(value: Any) -> float:
        try:
            return duration_seconds(value)
        except (TypeError, ValueError, OverflowError):
            return np.nan

    seconds = np.array([np.nan if b else convert(v) for v, b in zip(values, blank, strict=True)],
                       dtype=float)
    bad_rows(f"{key} (column {name!r})", values,
             ~(np.isfinite(seconds) & (seconds >= 0)) & ~(blank & (answered == 0)),
             "seconds or h:mm:ss (blank only where nothing was answered)")
    return np.where(answered == 0, 0.0, seconds)


def _first(mask: Any) -> int:
    return int(np.flatnonzero(np.asarray(mask))[0])


def _fraction(frame: pd.DataFrame, name: Any) -> npt.NDArray[np.float64]:
    """A service-level column: all fractions, or all percentages (see the module notes)."""
    values = frame[name].reset_index(drop=True)
    what = f"service_level (column {name!r})"
    text = as_text(values)
    blank = (text == "").to_numpy()
    marked = text.str.endswith("%").to_numpy()
    number = numbers(text.str.rstrip("%").str.strip()).to_numpy()
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        number = numbers(values).to_numpy()
    bad_rows(what, values, np.isnan(number) & ~blank, "a fraction or a percentage")
    plain = ~marked & ~blank & (np.nan_to_num(number) != 0)  # 0 reads the same either way
    if marked.any() and plain.any():
        m, p = _first(marked), _first(plain)
        raise CCSimInputError(
            f"{what} mixes percentages ({values[m]!r} on row {m + 1}) and plain numbers "
            f"({values[p]!r} on row {p + 1}); write every cell the same way: all with '%', "
            "or all fractions (0.85) or all percentages without the sign (85)")
    above = plain & (number > 1)
    within = plain & (number > 0) & (number < 1)
    if above.any() and within.any():
        a, w = _first(above), _first(within)
        raise CCSimInputError(
            f"{what} mixes percentages ({values[a]!r} on row {a + 1}) and fractions "
            f"({values[w]!r} on row {w + 1}); write every cell the same way: all fractions "
            "(0.85) or all percentages (85 or '85%')")
    out = number / (100.0 if marked.any() or above.any() else 1.0)
    with np.errstate(invalid="ignore"):
        bad_rows(what, values, ~blank & ~((out >= 0) & (out <= 1)),
                 "a fraction in [0, 1] or a percentage in [0, 100]")
    return out


def values(frame: pd.DataFrame, cols: dict[str, Any], basis: str) -> pd.DataFrame:
    """The history's value columns, row by row, derived where the report lacks them."""
    got = {k: _count(frame, k, cols[k]) for k in COUNTS if k in cols}
    offered = got.get("offered", got.get("answered", 0) + got.get("abandoned", 0))
    answered = got.get("answered", offered - got.get("abandoned", 0))
    abandoned = got.get("abandoned", offered - answered)
    base = pd.Series(offered)
    if len(got) == 3:
        bad_rows("offered", base, offered != answered + abandoned,
                 "answered + abandoned (map only two of the three if the report's offered "
                 "also counts other outcomes)")
    for key, value in (("answered", answered), ("abandoned", abandoned)):
        bad_rows(f"{key} (offered - the other)", pd.Series(value), value < 0, ">= 0")
    out = pd.DataFrame({"offered": offered, "answered": answered, "abandoned": abandoned})
    within = np.full(len(frame), np.nan)
    if "answered_within" in cols:
        within = _count(frame, "answered_within", cols["answered_within"]).astype(float)
    elif "service_level" in cols:
        level = _fraction(frame, cols["service_level"])
        level = np.where(offered == 0, 1.0, level) if basis == "offered" else level
        bad_rows(f"service_level (column {cols['service_level']!r})",
                 frame[cols["service_level"]],
                 np.isnan(level) & ((offered if basis == "offered" else answered) > 0),
                 "given where calls were offered")
        within = np.round(np.nan_to_num(level) * (offered if basis == "offered" else answered))
    bad_rows("answered_within", pd.Series(within), within > answered, "<= answered")
    out["answered_within"] = np.where(answered == 0, 0.0, within)
    short = (_count(frame, "abandoned_within", cols["abandoned_within"]).astype(float)
             if "abandoned_within" in cols else np.full(len(frame), np.nan))
    out["abandoned_within"] = np.where(abandoned == 0, 0.0, short)
    bad_rows("abandoned_within", out["abandoned_within"], out["abandoned_within"] > abandoned,
             "<= abandoned")
    for key in ("aht_seconds", "asa_seconds"):
        out[key] = (_duration(frame, key, cols[key], answered) if key in cols else
                    np.where(answered == 0, 0.0, np.nan))
    return out
