"""The interval grid of a report: its length, daylight-saving days, opening hours, gaps.

Used by :mod:`ccsim._io.reports`. The grid is every interval from a queue's first to
its last (whole days with ``fill_gaps`` or ``opening_hours``); an interval the report
leaves out is

* skipped by the clock (spring forward, with ``timezone``): zero calls, explained;
* outside the opening hours: zero calls (the center was closed), counted in
  ``attrs["closed_intervals"]``;
* otherwise a gap: an error (naming ``opening_hours=`` when the gaps are the same
  times every day, as closed hours are) or, with ``fill_gaps=True``, zero calls and a
  warning.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ccsim._io.values import bad_rows, clock_seconds
from ccsim._validation import CCSimInputError, check_size

__all__ = ["INTERVAL_MINUTES", "MAX_INTERVALS", "WEEKDAYS", "fill", "merge_repeated",
           "opening_table", "step_of", "weekday_hours"]

INTERVAL_MINUTES = (15, 30, 60)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = {**{d: i for i, d in enumerate(WEEKDAYS)},
              **{d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday",
                                             "friday", "saturday", "sunday"))}}
# Rows of the grid (intervals x queues) built to find and fill gaps: 5 million rows
# (3 years of 15-minute intervals for 17 queues) take about 0.5 GB and 3 s to build;
# a report of a far-off date (year 1700 beside 2024) would ask for far more.
MAX_INTERVALS = 5_000_000
_ZERO = {"offered": 0, "answered": 0, "abandoned": 0, "answered_within": 0.0,
         "abandoned_within": 0.0, "aht_seconds": 0.0, "asa_seconds": 0.0}
Hours = dict[int, tuple[int, int] | None]


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# ------------------------------------------------------------ opening hours
def _minute(value: Any, closing: bool) -> int | None:
    if closing and isinstance(value, str) and value.strip() in ("24:00", "24:00:00"):
        return 1440
    seconds = clock_seconds(value) if isinstance(value, (str, datetime.time)) else None
    return None if seconds is None or seconds % 60 else int(seconds // 60)


def _day_hours(value: Any, label: str) -> tuple[int, int] | None:
    if value is None:
        return None
    pair = list(value) if isinstance(value, (tuple, list)) else []
    times = [_minute(v, i == 1) for i, v in enumerate(pair)] if len(pair) == 2 else []
    if len(times) != 2 or None in times or not times[0] < times[1]:
        raise CCSimInputError(
            f"opening_hours{label} must be (open, close) times of day such as ('08:00', "
            f"'20:00'), open before close ('24:00' for midnight), or None for closed; got "
            f"{value!r}")
    return times[0], times[1]


def opening_table(opening_hours: Any) -> Hours | None:
    """``{weekday 0-6 (Monday 0): (open, close) in minutes after midnight, or None}``."""
    if opening_hours is None:
        return None
    if not isinstance(opening_hours, Mapping):
        hours = _day_hours(opening_hours, "")
        return dict.fromkeys(range(7), hours)
    table: Hours = dict.fromkeys(range(7))  # days left out are closed
    for key, value in opening_hours.items():
        if isinstance(key, (int, np.integer)) and not isinstance(key, (bool, np.bool_)):
            day = int(key) if 0 <= key <= 6 else None
        else:
            day = _DAY_NAMES.get(str(key).strip().casefold())
        if day is None:
            raise CCSimInputError(
                f"opening_hours keys must be weekdays ('mon' ... 'sun', 'monday', or 0-6 "
                f"with Monday 0); got {key!r}")
        table[day] = _day_hours(value, f"[{key!r}]")
    return table


def _is_open(starts: pd.Series, step_minutes: int, hours: Hours) -> np.ndarray:
    """Whether each interval overlaps its weekday's opening hours."""
    minute = (starts.dt.hour * 60 + starts.dt.minute).to_numpy()
    day = starts.dt.day_of_week.to_numpy()
    opens = np.array([h[0] if h else 0 for h in (hours[d] for d in range(7))])[day]
    closes = np.array([h[1] if h else 0 for h in (hours[d] for d in range(7))])[day]
    return (minute < closes) & (minute + step_minutes > opens)


def _closed_pattern(present: pd.Series, gaps: pd.Series, step_minutes: int) -> str:
    """An ``opening_hours=`` suggestion if the gaps look like closed hours, else ``""``.

    They do when no time of day is both reported and missing on the same weekday,
    the reported times of each weekday form one block, and gaps fall on two dates
    or more.
    """
    if gaps.dt.normalize().nunique() < 2:
        return ""

    def codes(stamps: pd.Series) -> np.ndarray:  # weekday x 1440 + minute of the day
        return np.unique((stamps.dt.day_of_week * 1440 + stamps.dt.hour * 60
                          + stamps.dt.minute).to_numpy())

    seen, missed = codes(present), codes(gaps)
    if np.intersect1d(seen, missed).size:
        return ""
    suggestion: dict[str, tuple[str, str] | None] = {}
    for day in np.unique(np.concatenate([seen, missed]) // 1440):
        times = seen[seen // 1440 == day] % 1440
        if not times.size:
            suggestion[WEEKDAYS[day]] = None
            continue
        low, high = int(times.min()), int(times.max())
        if (high - low) // step_minutes + 1 != times.size:
            return ""
        suggestion[WEEKDAYS[day]] = (_hhmm(low), _hhmm(high + step_minutes))
    hours = set(suggestion.values())
    if len(hours) == 1 and None not in hours:
        (low, high), = hours
        return f"opening_hours=({low!r}, {high!r})"
    return "opening_hours={" + ", ".join(f"{d!r}: {h!r}" for d, h in suggestion.items()) + "}"


# ---------------------------------------------------------------- the step
def step_of(table: pd.DataFrame, interval_minutes: int | None) -> pd.Timedelta:
    """The interval length: given, or the smallest spacing (the same for every queue)."""
    if interval_minutes is not None:
        return pd.Timedelta(minutes=interval_minutes)
    steps = {}
    for kind, group in table.groupby("call_type")["interval_start"]:
        # in float seconds: a difference of more than 292 years overflows int64 nanoseconds
        seconds = np.unique(group.to_numpy().astype("datetime64[ns]").astype(np.int64)) / 1e9
        if seconds.size > 1:
            steps[kind] = pd.Timedelta(seconds=round(float(np.diff(seconds).min()), 3))
    if not steps:
        raise CCSimInputError(
            "cannot infer the interval length from one interval per queue; pass "
            "interval_minutes= (15, 30 or 60)")
    if len(set(steps.values())) > 1:
        raise CCSimInputError(
            "the queues' intervals are spaced differently ("
            + ", ".join(f"{k!r} every {v}" for k, v in steps.items())
            + "); pass interval_minutes=")
    step = next(iter(steps.values()))
    if step.total_seconds() / 60 not in INTERVAL_MINUTES:
        raise CCSimInputError(
            f"the report's intervals are {step} apart, not 15, 30 or 60 minutes; pass "
            "interval_minutes=")
    return step


# ---------------------------------------------------------- daylight saving
def _dst_masks(stamps: pd.Series, timezone: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Which naive stamps are repeated (fall back) or skipped (spring forward) local times."""
    if timezone is None:
        return np.zeros(len(stamps), bool), np.zeros(len(stamps), bool)
    index = pd.DatetimeIndex(stamps)
    repeated = index.tz_localize(timezone, ambiguous="NaT", nonexistent="shift_forward")
    skipped = index.tz_localize(timezone, ambiguous=np.ones(len(index), bool),
                                nonexistent="NaT")
    return np.asarray(repeated.isna()), np.asarray(skipped.isna())


def merge_repeated(table: pd.DataFrame, timezone: str | None, notes: dict) -> pd.DataFrame:
    """Merge the intervals of a fall-back night's repeated hour; refuse other duplicates."""
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


# ------------------------------------------------------------------ the grid
def _grid(table: pd.DataFrame, step: pd.Timedelta, whole_days: bool, every_queue: bool,
          max_intervals: int) -> pd.DataFrame:
    """Every (interval_start, call_type) the report should have, sized before it is built."""
    day = pd.Timedelta(days=1)
    spans = table.groupby("call_type")["interval_start"].agg(["min", "max"])
    if every_queue:
        spans[:] = [[spans["min"].min(), spans["max"].max()]] * len(spans)
    if whole_days:
        spans["min"] = spans["min"].dt.floor("D")
        spans["max"] = spans["max"].dt.floor("D") + day - step
    span = (spans["max"].astype("datetime64[ns]").astype(np.int64).astype(float)
            - spans["min"].astype("datetime64[ns]").astype(np.int64).astype(float))
    rows = float((span // (step.total_seconds() * 1e9) + 1).sum())  # floats: no overflow
    check_size("read_interval_report: the interval grid (intervals from the first to the last "
               "date, times queues)", rows, max_intervals, unit="intervals",
               how="check the report's dates (a year far off?), or pass max_intervals= to "
                   "raise the limit")
    parts = [pd.DataFrame({"interval_start": pd.date_range(low, high, freq=step),
                           "call_type": kind}) for kind, (low, high) in spans.iterrows()]
    return pd.concat(parts, ignore_index=True)


def fill(table: pd.DataFrame, step: pd.Timedelta, *, timezone: str | None, fill_gaps: bool,
         hours: Hours | None, max_intervals: int, notes: dict
         ) -> tuple[pd.DataFrame, list[str], int]:
    """Add the intervals the report leaves out; return the table, gaps filled, closed count."""
    minutes = int(step.total_seconds() // 60)
    stamps = table["interval_start"]
    bad_rows("interval_start", stamps, stamps != stamps.dt.floor(step),
             f"the start of a {minutes}min interval")
    grid = _grid(table, step, fill_gaps or hours is not None, fill_gaps, max_intervals)
    keys = ["interval_start", "call_type"]
    found = grid.merge(table[keys].assign(_present=True), on=keys, how="left")
    missing = grid[found["_present"].isna().to_numpy()].reset_index(drop=True)
    if not len(missing):
        return table, [], 0
    _, skipped = _dst_masks(missing["interval_start"], timezone)
    starts = missing.loc[skipped, "interval_start"]
    for day, times in starts.groupby(starts.dt.date):
        shown = ", ".join(sorted(set(times.dt.strftime("%H:%M"))))
        notes[str(day)] = (f"{day} is a 23-hour day in {timezone} (clocks go forward): the "
                           f"intervals {shown} do not exist and get zero calls")
    closed = np.zeros(len(missing), bool) if hours is None else ~_is_open(
        missing["interval_start"], minutes, hours) & ~skipped
    gaps = missing[~skipped & ~closed]
    shown = (gaps["call_type"].map(repr) + " "
             + gaps["interval_start"].dt.strftime("%Y-%m-%d %H:%M")).tolist() if fill_gaps else [
        f"{k!r} {t:%Y-%m-%d %H:%M}" for t, k in gaps.head(6).itertuples(index=False)]
    if len(gaps) and not fill_gaps:
        listed = f"{', '.join(shown)}{' ...' if len(gaps) > 6 else ''}"
        if hours is not None:
            raise CCSimInputError(
                f"the report has {len(gaps)} missing interval(s) within the opening hours: "
                f"{listed}; pass fill_gaps=True to give them zero calls, after checking the "
                "center was closed")
        pattern = _closed_pattern(table["interval_start"], gaps["interval_start"], minutes)
        if pattern:
            raise CCSimInputError(
                f"the report has {len(gaps)} missing interval(s): {listed}; they are the same "
                f"times every day, as if the center were closed then: pass {pattern} so that "
                "closed hours get zero calls (fill_gaps=True would also fill real gaps)")
        raise CCSimInputError(
            f"the report has {len(gaps)} missing interval(s): {listed}; pass fill_gaps=True "
            "to give them zero calls (and whole days for every queue), after checking the "
            "center was closed (or opening_hours= if it was closed at those times every day)")
    zero = missing.assign(**_ZERO)
    return pd.concat([table, zero], ignore_index=True), shown, int(closed.sum())


def weekday_hours(hours: Hours | None) -> dict[str, tuple[str, str] | None] | None:
    """The opening hours as ``{"mon": ("08:00", "20:00"), ..., "sun": None}`` for attrs."""
    if hours is None:
        return None
    return {WEEKDAYS[d]: None if h is None else (_hhmm(h[0]), _hhmm(h[1]))
            for d, h in hours.items()}

