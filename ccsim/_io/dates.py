"""Read a column of dates (and times) without guessing the day/month order.

pandas infers one format from the first cell, so ``01/02/2024`` decides whether a
whole column is day-first or month-first, and a file of ``DD/MM/YYYY`` dates with
every day <= 12 is silently read month-first. :func:`parse_datetimes` reads numeric
``a/b/year`` dates (``/``, ``.`` or ``-``) both ways and:

* uses the order given by ``dayfirst=True`` / ``False`` (or ``date_format``);
* with ``dayfirst=None`` (the readers' default) uses the only order that reads every
  row, or the one order when both give the same dates; when both orders read every
  row and give different dates, it refuses, describing both readings and naming
  ``dayfirst=`` and ``date_format=``.

Every failure names ``dayfirst=`` / ``date_format=``. Stamps must fit pandas'
nanosecond range (1677-09-22 to 2262-04-11). Times with UTC offsets give both the
wall-clock time (the offset dropped, row by row) and the UTC instant.
"""

from __future__ import annotations

import datetime
import warnings
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from ccsim._io.values import bad_rows
from ccsim._validation import CCSimInputError

__all__ = ["Stamps", "parse_datetimes"]

_EARLIEST = pd.Timestamp("1677-09-22")  # pandas' datetime64[ns] range, whole days
_LATEST = pd.Timestamp("2262-04-11")
_NUMERIC_DATE = r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)(.*)$"
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}"
_OFFSET = r"(Z|[+-]\d{2}(?::?\d{2})?)$"


def _how(format_name: str) -> str:
    return (f"pass dayfirst=True (DD/MM/YYYY) or dayfirst=False (MM/DD/YYYY), or "
            f"{format_name}= (e.g. '%d/%m/%Y %H:%M')")


class Stamps(NamedTuple):
    """A parsed column: naive wall-clock times, UTC instants (if offsets were given)."""

    wall: pd.Series
    instants: pd.Series | None
    several_offsets: bool


def _text(values: pd.Series) -> pd.Series:
    if pd.api.types.is_string_dtype(values):  # text only: vectorised
        return values.astype(object).where(values.notna(), "").astype(str).str.strip().astype(
            object)

    def one(value: Any) -> str:
        if isinstance(value, (datetime.datetime, datetime.date)):
            return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else (
                value.isoformat())
        return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(
            value).strip()

    return values.map(one).astype(object)


def _to_datetime(text: pd.Series, **options: Any) -> tuple[pd.Series, bool]:
    """pandas' parse (NaT where unreadable) and whether it had to go through UTC."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Could not infer format ..."
        try:
            return pd.to_datetime(text, errors="coerce", **options), False
        except (ValueError, TypeError, OverflowError) as error:
            if "zone" not in str(error).lower() and "offset" not in str(error).lower():
                raise
        return pd.to_datetime(text, errors="coerce", utc=True, **options), True


def _describe(stamps: pd.Series) -> str:
    days = pd.Series(stamps.dt.normalize().unique()).sort_values()
    if len(days) == 1:
        return f"{days.iloc[0]:%Y-%m-%d}"
    text = f"{len(days)} dates from {days.iloc[0]:%Y-%m-%d} to {days.iloc[-1]:%Y-%m-%d}"
    steps = days.diff().dropna()
    if len(steps) and (steps == pd.Timedelta(days=1)).all():
        text += " (consecutive days)"
    return text


def _day_month(what: str, values: pd.Series, parts: pd.DataFrame, dayfirst: bool | None,
               how: str) -> tuple[pd.Series, bool]:
    """Read ``a/b/year`` dates in the order asked for, or the only order that works."""
    year = parts[3].astype(int)
    year = year.where(parts[3].str.len() == 4, np.where(year < 69, 2000 + year, 1900 + year))
    iso = {}
    for order, (month, day) in {"month-first": (0, 2), "day-first": (2, 0)}.items():
        rebuilt = (year.astype(str).str.zfill(4) + "-" + parts[month].str.zfill(2) + "-"
                   + parts[day].str.zfill(2) + parts[4].astype(str))
        iso[order] = _to_datetime(rebuilt)
    (month_first, utc_m), (day_first, utc_d) = iso["month-first"], iso["day-first"]
    chosen = {True: "day-first", False: "month-first"}.get(dayfirst)
    if chosen is None:
        reads = {o: p.notna().all() for o, (p, _) in iso.items()}
        if reads["month-first"] and reads["day-first"]:
            if not (month_first == day_first).all():
                raise CCSimInputError(
                    f"{what} could be day-first or month-first: day-first gives "
                    f"{_describe(day_first)}, month-first {_describe(month_first)}; "
                    f"{how}")
            chosen = "month-first"
        elif reads["day-first"] or reads["month-first"]:
            chosen = "day-first" if reads["day-first"] else "month-first"
        else:
            bad_d, bad_m = day_first.isna().to_numpy(), month_first.isna().to_numpy()
            both = bad_d & bad_m
            if not both.any():
                first_d, first_m = np.flatnonzero(bad_m)[0], np.flatnonzero(bad_d)[0]
                raise CCSimInputError(
                    f"{what} mixes day-first dates ({values.iloc[first_d]!r} on row "
                    f"{first_d + 1}) and month-first dates ({values.iloc[first_m]!r} on row "
                    f"{first_m + 1}); write them one way, or {how}")
            bad_rows(what, values, both, "a date and time (read neither day-first nor "
                     "month-first)", hint=how)
    stamps, other = (day_first, month_first) if chosen == "day-first" else (
        month_first, day_first)
    if stamps.isna().any():
        other_way = ("read the other way round they are dates: "
                     if other[stamps.isna()].notna().all() else "")
        bad_rows(what, values, stamps.isna(), f"a date and time read {chosen}",
                 hint=other_way + how)
    return stamps, utc_d if chosen == "day-first" else utc_m


def _wall_clock(text: pd.Series, instants: pd.Series) -> pd.Series:
    """Each row's local clock time: its UTC instant plus the offset written beside it."""
    written = text.str.extract(_OFFSET, expand=False).fillna("Z")
    sign = np.where(written.str.startswith("-"), -1, 1)
    digits = written.str.replace(r"[^0-9]", "", regex=True).str.ljust(4, "0")
    minutes = np.where(written == "Z", 0,
                       sign * (digits.str[:2].replace("", "0").astype(int) * 60
                               + digits.str[2:4].replace("", "0").astype(int)))
    return instants.dt.tz_localize(None) + pd.to_timedelta(minutes, unit="min")


def parse_datetimes(values: pd.Series, what: str, date_format: str | None,
                    dayfirst: bool | None, format_name: str = "date_format") -> Stamps:
    """Read a column of dates or date-times (see the module notes).

    ``format_name`` is the reader's name for ``date_format`` (``arrival_format``).
    """
    how = _how(format_name)
    if date_format is not None and not isinstance(date_format, str):
        raise CCSimInputError(
            f"{format_name} must be a strftime format such as '%d/%m/%Y %H:%M'; got "
            f"{date_format!r}")
    if dayfirst is not None and not isinstance(dayfirst, (bool, np.bool_)):
        raise CCSimInputError(f"dayfirst must be True, False or None; got {dayfirst!r}")
    values = values.reset_index(drop=True)
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps, several = values, False
    else:
        text = _text(values)
        blank = (text == "").to_numpy()
        bad_rows(what, values, blank, "a date and time, not blank")
        bad_rows(what, values, text.str.match(r"^\d{1,2}:\d{2}").to_numpy(dtype=bool),
                 "a date and time, not a time of day alone (map two columns: (date, time "
                 "of day))")
        parts = None if date_format is not None else text.str.extract(_NUMERIC_DATE)
        try:
            if parts is None:
                stamps, several = _to_datetime(text, format=date_format)
            elif parts[0].notna().all():
                stamps, several = _day_month(what, values, parts, dayfirst, how)
            elif text.str.match(_ISO_DATE).all():
                stamps, several = _to_datetime(text, format="ISO8601")
            else:
                stamps, several = _to_datetime(text, dayfirst=bool(dayfirst))
        except CCSimInputError:
            raise
        except (ValueError, TypeError, OverflowError) as error:
            raise CCSimInputError(
                f"{what} could not be read as dates ({error}); {how}") from None
        fmt = f" in {format_name} {date_format!r}" if date_format else ""
        bad_rows(what, values, stamps.isna(), f"a date and time{fmt}", hint=how)
    tz = getattr(stamps.dt, "tz", None)
    instants = None
    if several:
        instants = stamps
        stamps = _wall_clock(text, stamps)
    elif tz is not None:
        instants = stamps.dt.tz_convert("UTC")
        stamps = stamps.dt.tz_localize(None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outside = ((stamps < _EARLIEST) | (stamps > _LATEST)).to_numpy()
    bad_rows(what, values, outside | stamps.isna().to_numpy(),
             f"a date between {_EARLIEST:%Y-%m-%d} and {_LATEST:%Y-%m-%d} (what pandas' "
             "Timestamp can hold)")
    if instants is not None:
        instants = instants.astype("datetime64[ns, UTC]")
    return Stamps(stamps.astype("datetime64[ns]"), instants, bool(several))
