"""What ``ccsim roster`` rosters against (private): a shift plan or a cover file.

* :func:`plan_demand`: a :class:`ccsim.shifts.ShiftPlan` (the bank example's), its
  templates as the shift types and its agents per date and template as the cover;
* :func:`read_plan`: the same from the ``shifts.csv`` that ``ccsim schedule`` writes
  (``--plan``; a plan of several groups rostered by skill, each group's templates as
  shift types ``"template [group]"`` for agents with that skill, or one group with
  ``--group``);
* :func:`read_cover`: a cover file (``--cover``): agents required per date and shift.

Each gives a :class:`Demand`: the horizon, the shift types, the cover table of
:func:`ccsim.roster.build_roster` and, from a plan, its break slots.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ccsim._center.tables import Table, read_table, shown
from ccsim._validation import CCSimInputError
from ccsim.roster import RosterShift

__all__ = ["MAX_DAYS", "PLAN_WEIGHTS", "Demand", "month_days", "plan_demand", "read_cover",
           "read_plan"]

#: Longest horizon of a --plan without --month (and longest --days): a quarter.
MAX_DAYS = 92
#: The cover's weights from a plan (as roster_from_plan): per agent missing, per extra.
PLAN_WEIGHTS = {"under_weight": 100, "over_weight": 1}
#: Most agents a cover cell may require (more is a typo).
MAX_REQUIRED = 100_000
#: Largest weight of a cover row (as ccsim.roster).
MAX_WEIGHT = 10**9
#: The break columns that :func:`ccsim._roster.from_plan.assign_breaks` reads.
BREAK_COLUMNS = ["date", "template", "shift_start", "rule", "break", "paid", "start", "end",
                 "agents"]


@dataclass(frozen=True)
class Demand:
    """The horizon, shift types and cover of a roster, and where they came from.

    Attributes
    ----------
    start : datetime.date
        The roster's first day.
    days : int
        Days of the horizon.
    shifts : tuple of RosterShift
        The shift types, by start time, then length, then name.
    cover : pandas.DataFrame
        ``day`` (offset from ``start``), ``shift``, (``skill``), ``required``,
        ``under_weight``, ``over_weight``: one row per day and shift (and skill).
    breaks : pandas.DataFrame or None
        A plan's break slots (the columns of ``ShiftPlan.breaks``); None for a cover file.
    paid_known : bool
        Whether ``breaks`` says which breaks are paid (``shifts.csv`` does not).
    lines : tuple of str
        What was read, for the printed summary.
    """

    start: datetime.date
    days: int
    shifts: tuple[RosterShift, ...]
    cover: pd.DataFrame
    breaks: pd.DataFrame | None
    paid_known: bool
    lines: tuple[str, ...]

    @property
    def end(self) -> datetime.date:
        """The last day of the horizon."""
        return self.start + datetime.timedelta(days=self.days - 1)


def month_days(first: datetime.date) -> int:
    """Days of the month that starts on ``first``."""
    return calendar.monthrange(first.year, first.month)[1]


def _clock_text(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def span_text(shift: RosterShift) -> str:
    """``06:00-14:00``: a shift type's start and end."""
    return f"{shift.start}-{_clock_text(shift.start_minute + int(shift.minutes))}"


def shift_text(shift: RosterShift) -> str:
    """``E 06:00-14:00``: a shift type's name, start and end."""
    return f"{shift.name} {span_text(shift)}"


def _ordered(shifts: Iterable[RosterShift]) -> tuple[RosterShift, ...]:
    return tuple(sorted(shifts, key=lambda s: (s.start_minute, s.minutes, s.name)))


def _plan_cover(counts: pd.DataFrame, start: datetime.date, days: int,
                skills: dict[str, str] | None = None
                ) -> tuple[tuple[RosterShift, ...], pd.DataFrame]:
    """Shift types (one per template) and cover (every day x template) of a plan's counts.

    ``counts``: ``date`` (midnights), ``template``, ``start``, ``end``, ``agents`` > 0, one
    start time and length per template, all dates inside the horizon. ``skills``: the
    skill an agent needs for a template (a plan of several groups), by template name.
    """
    skills = skills or {}
    shifts = []
    for name, rows in counts.groupby("template", sort=False):
        first = rows.iloc[0]
        minute = int((first["start"] - first["date"]) / pd.Timedelta(minutes=1))
        minutes = (first["end"] - first["start"]) / pd.Timedelta(minutes=1)
        shifts.append(RosterShift(str(name), _clock_text(minute), float(minutes),
                                  skill=skills.get(str(name))))
    shifts = _ordered(shifts)
    origin = pd.Timestamp(start)
    required: dict[tuple[int, str], int] = {}
    for date, name, agents in zip(counts["date"], counts["template"], counts["agents"],
                                  strict=True):
        key = (int((date - origin).days), str(name))
        required[key] = required.get(key, 0) + int(agents)
    cover = pd.DataFrame(
        [{"day": day, "shift": shift.name, "required": required.get((day, shift.name), 0),
          **PLAN_WEIGHTS} for day in range(days) for shift in shifts],
        columns=["day", "shift", "required", *PLAN_WEIGHTS])
    return shifts, cover


def plan_demand(plan: Any, start: datetime.date, days: int, lines: Iterable[str] = ()
                ) -> Demand:
    """The demand of a :class:`ccsim.shifts.ShiftPlan` of one group over ``days`` from ``start``."""
    counts = plan.counts
    counts = counts.assign(date=pd.DatetimeIndex(counts["date"]).normalize())
    counts = counts[counts["agents"] > 0]
    shifts, cover = _plan_cover(counts, start, days)
    breaks = plan.breaks.assign(date=pd.DatetimeIndex(plan.breaks["date"]).normalize())
    return Demand(start=start, days=days, shifts=shifts, cover=cover,
                  breaks=breaks[BREAK_COLUMNS], paid_known=True, lines=tuple(lines))


# ------------------------------------------------------------------ --plan shifts.csv

PLAN_REQUIRED = ("kind", "date", "template", "shift_start", "start", "end", "agents")
PLAN_OPTIONAL = ("group", "break")


def _pick_group(table: Table, group: str | None
                ) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """The records to roster, and the groups rostered by skill (several, or none)."""
    records = list(table.records)
    if "group" not in table.columns:
        if group is not None:
            raise CCSimInputError(f"--group {group!r}: {table.shown} has no group column (a "
                                  "plan of one group); drop --group")
        return records, []
    names = list(dict.fromkeys(table.text(n, r, "group") for n, r in records))
    if group is None:
        return records, (names if len(names) > 1 else [])
    if group not in names:
        raise CCSimInputError(f"--group {group!r}: no such group in {table.shown}; its "
                              f"groups: {', '.join(names)}")
    return [(n, r) for n, r in records if table.text(n, r, "group") == group], []


def _assign_rules(table: Table, shift_rows: dict, break_rows: list) -> list[dict[str, Any]]:
    """Number each shift's break slots by rule (1, 2, ...): in time order, a rule is
    complete when its slots hold the shift's agents (shifts.csv has no rule column)."""
    by_shift: dict[tuple, list] = {}
    for item in break_rows:
        number, key, record = item
        if key not in shift_rows:
            date, template, begin = key
            raise table.error(number, "shift_start", f"no shift row of template {template!r} "
                              f"on {date} starting at {begin}; a break slot belongs to a "
                              "shift row of the file")
        by_shift.setdefault(key, []).append(item)
    out = []
    for key, items in by_shift.items():
        agents = shift_rows[key][1]
        rule, filled, label = 1, 0, None
        for number, _, record in sorted(items, key=lambda i: (i[2]["start"], i[2]["end"])):
            if filled and record["break"] != label:
                raise table.error(number, "break", f"{record['break']!r} starts before the "
                                  f"{label!r} slots of this shift hold its {agents} agents; "
                                  "each break's slots add up to the shift's agents")
            label = record["break"]
            filled += record["agents"]
            if filled > agents:
                raise table.error(number, "agents", f"the {label!r} slots of this shift hold "
                                  f"{filled} agents, more than the shift's {agents}")
            out.append({**record, "rule": rule, "paid": False})
            if filled == agents:
                rule, filled = rule + 1, 0
        if filled:
            date, template, _ = key
            raise CCSimInputError(f"{table.shown}: the {label!r} slots of template "
                                  f"{template!r} on {date} hold {filled} agents, fewer than "
                                  f"the shift's {agents}")
    return out


def read_plan(path: Path, group: str | None, month: datetime.date | None) -> Demand:
    """The demand of a ``shifts.csv`` (or .xlsx) written by ``ccsim schedule``.

    The horizon is ``month`` (its shifts outside it left out; days without shifts need 0
    agents), or the plan's first to last date (at most :data:`MAX_DAYS` days).
    """
    table = read_table("--plan", path, "the shifts.csv that 'ccsim schedule' writes")
    table.check_columns(PLAN_REQUIRED, PLAN_OPTIONAL, "shift or break slot")
    records, groups = _pick_group(table, group)
    skills: dict[str, str] = {}  # template [group]: group, with several groups
    shift_rows: dict[tuple, tuple[int, int]] = {}  # (date, template, start): line, agents
    shape: dict[str, tuple[int, int, int]] = {}  # template: line, clock [min], length [min]
    counts, break_rows = [], []
    for number, record in records:
        kind = table.text(number, record, "kind")
        if kind not in ("shift", "break"):
            raise table.error(number, "kind", f"must be shift or break; got {shown(kind)}")
        date = table.date(number, record, "date", "a day YYYY-MM-DD")
        template = table.text(number, record, "template")
        if groups:  # each group's template is its own shift type, for its skill
            owner = table.text(number, record, "group")
            template = f"{template} [{owner}]"
            skills[template] = owner
        begin = table.moment(number, record, "shift_start")
        start = table.moment(number, record, "start")
        end = table.moment(number, record, "end")
        agents = table.number(number, record, "agents", "a whole number of agents >= 0",
                              whole=True, high=MAX_REQUIRED)
        if end <= start:
            raise table.error(number, "end", f"{end} is not after start {start}")
        key = (date, template, begin)
        if kind == "break":
            label = table.text(number, record, "break", "break")
            if agents:
                break_rows.append((number, key, {"date": pd.Timestamp(date), "template":
                                                 template, "shift_start": pd.Timestamp(begin),
                                                 "break": label, "start": pd.Timestamp(start),
                                                 "end": pd.Timestamp(end), "agents": agents}))
            continue
        clock = (start - datetime.datetime.combine(date, datetime.time())).total_seconds() / 60
        length = (end - start).total_seconds() / 60
        if start != begin or not 0 <= clock < 1440 or clock != int(clock) or length > 1440:
            raise table.error(number, "start", f"{start} must be the shift_start {begin}, on "
                              f"the row's date {date} at a whole minute, and the shift at "
                              "most 24 h long")
        first = shape.setdefault(template, (number, int(clock), int(length)))
        if first[1:] != (int(clock), int(length)) or length != int(length):
            raise table.error(number, "start", f"template {template!r} runs "
                              f"{start:%H:%M}-{end:%H:%M} here but {_clock_text(first[1])}-"
                              f"{_clock_text(first[1] + first[2])} on {table.unit} "
                              f"{first[0]}; a template has one start time and length")
        if key in shift_rows:
            raise table.error(number, None, f"template {template!r} on {date} is also on "
                              f"{table.unit} {shift_rows[key][0]}; give each shift once")
        shift_rows[key] = (number, agents)
        if agents:
            counts.append({"date": pd.Timestamp(date), "template": template,
                           "start": pd.Timestamp(start), "end": pd.Timestamp(end),
                           "agents": agents})
    breaks = _assign_rules(table, shift_rows, break_rows)
    if not counts:
        raise CCSimInputError(f"{table.shown}: no shift with agents; give a plan with at "
                              "least one shift")
    frame = pd.DataFrame(counts)
    first_day, last_day = frame["date"].min().date(), frame["date"].max().date()
    which = (f" (group {group})" if group is not None else
             f" (groups {', '.join(groups)}, rostered by skill: a group's shifts go to agents "
             "with its name among their skills)" if groups else "")
    lines = []
    if month is not None:
        start, days = month, month_days(month)
        inside = (frame["date"] >= pd.Timestamp(start)) & (
            frame["date"] < pd.Timestamp(start) + pd.Timedelta(days=days))
        if not inside.any():
            raise CCSimInputError(
                f"{table.shown}: no shift on a day of --month {month:%Y-%m} (the plan runs "
                f"from {first_day} to {last_day}); give the plan's month")
        left_out = int((~inside).sum())
        frame = frame[inside]
        lines.append(f"plan: {table.shown}{which}, --month {month:%Y-%m}: {start} to "
                     f"{start + datetime.timedelta(days=days - 1)}"
                     + (f" ({left_out} shift rows outside the month left out)" if left_out
                        else "") + "; days without shifts need 0 agents")
    else:
        start, days = first_day, (last_day - first_day).days + 1
        if days > MAX_DAYS:
            raise CCSimInputError(
                f"{table.shown}: the plan runs {days} days ({first_day} to {last_day}), more "
                f"than {MAX_DAYS}; roster it a month at a time with --month YYYY-MM")
        lines.append(f"plan: {table.shown}{which}: {first_day} to {last_day}")
    shifts, cover = _plan_cover(frame, start, days, skills)
    names = {shift.name for shift in shifts}
    lines.append(f"  {int(frame['agents'].sum())} agent-shifts of {len(shifts)} templates "
                 f"({', '.join(shift_text(s) for s in shifts[:6])}"
                 + (f" and {len(shifts) - 6} more" if len(shifts) > 6 else "") + "); an agent "
                 f"missing costs {PLAN_WEIGHTS['under_weight']}, one too many "
                 f"{PLAN_WEIGHTS['over_weight']}")
    slots = pd.DataFrame(breaks, columns=BREAK_COLUMNS)
    slots = slots[slots["template"].isin(names) & (slots["date"] >= pd.Timestamp(start)) & (
        slots["date"] < pd.Timestamp(start) + pd.Timedelta(days=days))]
    lines.append("breaks: the plan's break slots, handed to the agents rostered on each shift "
                 "(shifts.csv does not say which are paid)" if len(slots) else
                 "breaks: none (the plan file holds no break slots; the breaks sheet stays "
                 "empty)")
    return Demand(start=start, days=days, shifts=shifts, cover=cover,
                  breaks=slots.reset_index(drop=True), paid_known=False, lines=tuple(lines))


# ------------------------------------------------------------------ --cover cover.csv

COVER_REQUIRED = ("date", "shift", "start", "required")
COVER_OPTIONAL = ("minutes", "end", "skill", "under_weight", "over_weight")
COVER_DEFAULTS = {"under_weight": 100, "over_weight": 1}


def _length(table: Table, number: int, record: dict[str, Any], start: int) -> int | float:
    minutes = None
    if "minutes" in table.columns and record.get("minutes") not in (None, ""):
        minutes = table.number(number, record, "minutes",
                               "the shift's length in minutes, above 0 and at most 1440",
                               low=1e-9, high=1440)
    if "end" in table.columns and record.get("end") not in (None, ""):
        end = table.clock(number, record, "end", allow_end=True)
        by_end = (end - start) % 1440 or 1440
        if minutes is not None and minutes != by_end:
            raise table.error(number, "end", f"{_clock_text(end)} is {by_end} min after the "
                              f"start {_clock_text(start)}, but minutes says {minutes:g}; give "
                              "one of them, or both agreeing")
        minutes = by_end
    if minutes is None:
        raise table.error(number, "minutes" if "minutes" in table.columns else "end",
                          "is empty; give the shift's length in minutes or its end HH:MM")
    return int(minutes) if minutes == int(minutes) else minutes


def read_cover(path: Path, month: datetime.date) -> Demand:
    """The demand of a cover file: agents required per date and shift of ``month``.

    Pairs of a day of the month and a shift (and skill) that the file does not list
    need 0 agents (weights 100 and 1).
    """
    table = read_table("--cover", path, "a CSV of the agents required per date and shift")
    table.check_columns(COVER_REQUIRED, COVER_OPTIONAL, "date and shift")
    if "minutes" not in table.columns and "end" not in table.columns:
        raise CCSimInputError(f"{table.shown}: no column 'minutes' or 'end'; give each shift's "
                              "length in minutes, or its end time HH:MM")
    days = month_days(month)
    last = month + datetime.timedelta(days=days - 1)
    shifts: dict[str, tuple[int, RosterShift]] = {}
    seen: dict[tuple[int, str, str | None], int] = {}
    rows = []
    for number, record in table.records:
        date = table.date(number, record, "date", f"a day YYYY-MM-DD of --month "
                          f"{month:%Y-%m} ({month} to {last})", month, last)
        name = table.text(number, record, "shift")
        start = table.clock(number, record, "start")
        minutes = _length(table, number, record, start)
        try:
            shift = RosterShift(name, _clock_text(start), float(minutes))
        except CCSimInputError as error:
            raise table.error(number, "shift", str(error)) from None
        line, first = shifts.setdefault(name, (number, shift))
        if (first.start, first.minutes) != (shift.start, shift.minutes):
            raise table.error(number, "start", f"shift {name!r} runs {span_text(shift)} here "
                              f"but {span_text(first)} on {table.unit} {line}; give one start "
                              "and length per shift")
        skill = table.text(number, record, "skill", "") or None if "skill" in table.columns \
            else None
        key = ((date - month).days, name, skill)
        if key in seen:
            also = f", skill {skill!r}" if skill else ""
            raise table.error(number, None, f"date {date}, shift {name!r}{also} is also on "
                              f"{table.unit} {seen[key]}; give one row per date and shift (and "
                              "skill)")
        seen[key] = number
        row = {"day": key[0], "shift": name, "skill": skill,
               "required": table.number(number, record, "required",
                                        f"a whole number of agents from 0 to {MAX_REQUIRED}",
                                        whole=True, high=MAX_REQUIRED)}
        for column, default in COVER_DEFAULTS.items():
            row[column] = table.number(number, record, column, f"a whole number from 0 to "
                                       f"{MAX_WEIGHT}", whole=True, high=MAX_WEIGHT,
                                       default=default) if column in table.columns else default
        rows.append(row)
    listed = len(rows)
    for name, skill in dict.fromkeys((row["shift"], row["skill"]) for row in rows):
        for day in range(days):
            if (day, name, skill) not in seen:
                rows.append({"day": day, "shift": name, "skill": skill, "required": 0,
                             **COVER_DEFAULTS})
    has_skill = any(row["skill"] is not None for row in rows)
    columns = ["day", "shift", *(["skill"] if has_skill else []), "required",
               *COVER_DEFAULTS]
    cover = pd.DataFrame(rows).sort_values(["day", "shift"], kind="stable")[columns]
    ordered = _ordered(shift for _, shift in shifts.values())
    lines = (f"cover: {table.shown}, --month {month:%Y-%m}: {month} to {last}, {listed} rows, "
             f"{int(cover['required'].sum())} agent-shifts required"
             + (f" (by skill: {', '.join(sorted({s for s in cover['skill'] if s}))})"
                if has_skill else ""),
             f"  shifts: {', '.join(shift_text(s) for s in ordered)}; dates and shifts the "
             "file does not list need 0 agents",
             "breaks: none (a cover file has no break slots; the breaks sheet stays empty)")
    return Demand(start=month, days=days, shifts=ordered, cover=cover.reset_index(drop=True),
                  breaks=None, paid_known=False, lines=lines)
