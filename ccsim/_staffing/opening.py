"""Opening hours and closed days for :func:`ccsim.staffing.requirements`.

Private. The forms of ``opening_hours`` are those of :mod:`ccsim.io` (read by
:func:`ccsim._io.grid.opening_table`): ``("08:00", "20:00")`` every day (``"24:00"``
for midnight), or per weekday ``{"mon": ("08:00", "20:00"), ..., "sat": ("09:00",
"13:00")}`` (a day left out or mapped to None is closed). Here they may also be given
per call type: a mapping whose keys are all call types of the forecast, each value
one of those forms (None: always open).

An interval ``[start, start + step)`` is open when it overlaps the opening hours of
its day (or, for an interval running past midnight, of the next day), as in
:mod:`ccsim.io`. A :class:`ccsim.arrivals.Calendar` closes its closed days all day
and its short days at their closing time (or earlier, if the opening hours close
earlier); its volume factors do not change the hours.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ccsim._arrivals.calendar import Calendar, as_calendar
from ccsim._io.grid import opening_table, weekday_hours
from ccsim._validation import CCSimInputError

__all__ = ["open_intervals"]

_DAY_SECONDS = 86_400.0
Hours = dict[int, tuple[int, int] | None]


def _table(value: Any, label: str) -> Hours:
    """The weekday table of one opening-hours value; ``label`` names it in errors."""
    try:
        table = opening_table(value)
    except CCSimInputError as error:
        if label == "opening_hours":
            raise
        text = str(error)
        raise CCSimInputError(
            label + text[len("opening_hours"):] if text.startswith("opening_hours")
            else f"{label}: {text}") from None
    return dict.fromkeys(range(7), (0, 1440)) if table is None else table


def _per_type(opening_hours: Any, types: list[str]) -> tuple[dict[str, Hours], bool]:
    """``{call_type: weekday table}`` from any accepted form, and whether given per type."""
    if isinstance(opening_hours, pd.Series):
        opening_hours = opening_hours.to_dict()
    if isinstance(opening_hours, Mapping) and opening_hours and all(
            isinstance(k, str) and k in types for k in opening_hours):
        missing = [t for t in types if t not in opening_hours]
        if missing:
            raise CCSimInputError(
                f"opening_hours maps call types but not {', '.join(map(repr, missing))}; give "
                "every call type of the forecast (None: always open), or one value for all")
        return {t: _table(opening_hours[t], f"opening_hours[{t!r}]") for t in types}, True
    table = _table(opening_hours, "opening_hours")
    return dict.fromkeys(types, table), False


def _day_hours(days: pd.DatetimeIndex, table: Hours, calendar: Calendar
               ) -> tuple[np.ndarray, np.ndarray]:
    """Opening and closing second of each day (both 0 when closed)."""
    closed = set(calendar.closed)
    short = {day: clock.total_seconds() for day, clock in calendar.short}
    opens = np.zeros(len(days))
    closes = np.zeros(len(days))
    for i, day in enumerate(days):
        hours = table[day.day_of_week]
        if hours is None or day in closed:
            continue
        low, high = hours[0] * 60.0, hours[1] * 60.0
        high = min(high, short.get(day, high))
        if low < high:
            opens[i], closes[i] = low, high
    return opens, closes


def _mask(starts: pd.Series, step_seconds: float, table: Hours, calendar: Calendar
          ) -> np.ndarray:
    """Whether each interval overlaps the opening hours of its day or the next."""
    dates = starts.dt.normalize()
    seconds = ((starts - dates).dt.total_seconds()).to_numpy()
    days = pd.DatetimeIndex(np.unique(dates.to_numpy()))
    every = days.union(days + pd.Timedelta(days=1))
    opens, closes = _day_hours(every, table, calendar)
    today = every.get_indexer(pd.DatetimeIndex(dates))
    tomorrow = every.get_indexer(pd.DatetimeIndex(dates) + pd.Timedelta(days=1))
    end = seconds + step_seconds
    open_today = (seconds < closes[today]) & (end > opens[today]) & (closes[today] > 0)
    past = end - _DAY_SECONDS
    open_next = (past > 0) & (past > opens[tomorrow]) & (closes[tomorrow] > 0)
    return open_today | open_next


def open_intervals(frame: pd.DataFrame, step: pd.Timedelta, opening_hours: Any,
                   calendar: Any) -> tuple[np.ndarray, Any]:
    """Which rows of ``frame`` (``interval_start``, ``call_type``) are open.

    Returns the mask and the opening hours as recorded in ``attrs``: per weekday
    (``{"mon": ("08:00", "20:00"), ..., "sun": None}``), or per call type of those.
    """
    cal = as_calendar(calendar)
    types = sorted(set(frame["call_type"]))
    tables, per_type = _per_type(opening_hours, types)
    is_open = np.ones(len(frame), dtype=bool)
    kinds = frame["call_type"].to_numpy()
    for kind in types:
        rows = kinds == kind
        is_open[rows] = _mask(frame.loc[rows, "interval_start"], step.total_seconds(),
                              tables[kind], cal)
    if opening_hours is None:
        return is_open, None
    if per_type:
        return is_open, {t: weekday_hours(tables[t]) for t in types}
    return is_open, weekday_hours(tables[types[0]])
