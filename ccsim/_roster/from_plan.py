"""A shift plan as a roster's input, and its break slots handed out to named agents.

:func:`plan_cover` turns a :class:`ccsim.shifts.ShiftPlan` into the shift types, cover
table and horizon of :func:`ccsim.roster.build_roster`; :func:`assign_breaks` gives the
plan's break slots of each day and template to the agents rostered on it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ccsim._roster.inputs import MAX_DAYS
from ccsim._roster.rules import RosterShift
from ccsim._validation import CCSimInputError, _show

BREAK_COLUMNS = ["agent", "date", "shift", "rule", "break", "start", "end", "paid"]


@dataclass(frozen=True)
class PlanCover:
    """What :func:`ccsim.roster.build_roster` needs from a plan."""

    shifts: tuple[RosterShift, ...]
    cover: pd.DataFrame  # day, shift, required (every day x every template)
    start: pd.Timestamp
    days: int


def grouped_names(table: pd.DataFrame) -> pd.DataFrame:
    """A plan's counts or breaks with each template named ``"template [group]"`` when the
    plan has several groups (one shift type per group and template); else as they are."""
    if "group" not in table.columns:
        return table
    groups = pd.unique(table["group"]).tolist()
    if len(groups) <= 1:
        return table.drop(columns="group")
    named = table["template"].astype(str) + " [" + table["group"].astype(str) + "]"
    return table.assign(template=named).drop(columns="group")


def skill_of(counts: pd.DataFrame) -> dict[str, str]:
    """For a plan of several groups: each shift type's group (the skill that may work it)."""
    if "group" not in counts.columns or len(pd.unique(counts["group"])) <= 1:
        return {}
    return {f"{t} [{g}]": str(g) for t, g in zip(counts["template"], counts["group"],
                                                 strict=True)}


def _plan_start(value: Any, first: pd.Timestamp) -> pd.Timestamp:
    if value is None:
        return first
    try:
        stamp = pd.Timestamp(value) if isinstance(
            value, (str, dt.date, np.datetime64, pd.Timestamp)) else None
    except (TypeError, ValueError):
        stamp = None
    valid = f"a date no later than the plan's first date {first.date()} (no time of day)"
    if stamp is None or pd.isna(stamp) or stamp != stamp.normalize() or stamp.tz is not None:
        raise CCSimInputError(f"roster_from_plan: start must be {valid}; got {_show(value)}")
    if stamp > first:
        raise CCSimInputError(
            f"roster_from_plan: start must be {valid} (the plan's shifts before it would not "
            f"be rostered); got {_show(value)}")
    return stamp


def plan_cover(plan: Any, start: Any) -> PlanCover:
    """The shift types (one per template), cover and horizon of a shift plan.

    Each template becomes a :class:`RosterShift` with its name, start clock time and
    length (``end - start``); the cover has one row per day of the horizon (from
    ``start``, by default the plan's first date, to its last) and template, ``required``
    the plan's agents (0 where the plan does not work the template that day).
    """
    from ccsim.shifts import ShiftPlan  # ccsim.shifts loads SciPy: only when asked

    if not isinstance(plan, ShiftPlan):
        raise CCSimInputError(
            "roster_from_plan: plan must be a ccsim.shifts.ShiftPlan (from schedule_shifts "
            f"or schedule_for_service_level); got {_show(plan)}")
    counts = grouped_names(plan.counts)
    skills = skill_of(plan.counts)
    counts = counts[counts["agents"] > 0]
    if not len(counts):
        raise CCSimInputError(
            "roster_from_plan: plan has no shift worked (its counts table is empty); valid "
            "is a plan with at least one shift")
    dates = pd.DatetimeIndex(counts["date"]).normalize()
    first = dates.min()
    begin = _plan_start(start, first)
    days = int((dates.max() - begin).days) + 1
    if days > MAX_DAYS:
        raise CCSimInputError(
            f"roster_from_plan: the horizon from start {begin.date()} to the plan's last date "
            f"{dates.max().date()} must be at most {MAX_DAYS} days; got {days}")
    shifts = []
    for name, rows in counts.groupby("template", sort=False):
        clock = pd.DatetimeIndex(rows["start"]) - pd.DatetimeIndex(rows["date"]).normalize()
        length = pd.DatetimeIndex(rows["end"]) - pd.DatetimeIndex(rows["start"])
        if clock.nunique() != 1 or length.nunique() != 1:
            raise CCSimInputError(
                f"roster_from_plan: template {name!r} must start at one clock time and last "
                f"one length on every day of the plan; got starts {_show(sorted(set(clock)))} "
                f"and lengths {_show(sorted(set(length)))}")
        minute = int(clock[0] / pd.Timedelta(minutes=1))
        minutes = length[0] / pd.Timedelta(minutes=1)
        if minute != clock[0] / pd.Timedelta(minutes=1) or not 0 <= minute < 1440:
            raise CCSimInputError(
                f"roster_from_plan: template {name!r} must start at a whole minute of its "
                f"day; got {clock[0]}")
        shifts.append(RosterShift(str(name), start=f"{minute // 60:02d}:{minute % 60:02d}",
                                  minutes=float(minutes), skill=skills.get(str(name))))
    names = [shift.name for shift in shifts]
    required = {(int((day - begin).days), str(name)): int(agents) for day, name, agents in zip(
        dates, counts["template"], counts["agents"], strict=True)}
    cover = pd.DataFrame(
        [{"day": day, "shift": name, "required": required.get((day, name), 0)}
         for day in range(days) for name in names],
        columns=["day", "shift", "required"])
    return PlanCover(shifts=tuple(shifts), cover=cover, start=begin, days=days)


def _slot_offsets(breaks: pd.DataFrame) -> dict[tuple[str, int], tuple[pd.Timedelta, ...]]:
    """Per template and rule: the plan's most used slot (offset from the shift's start,
    length), its label and paid flag; ties go to the earliest offset."""
    fallback = {}
    for (name, rule), rows in breaks.groupby(["template", "rule"], sort=True):
        used: Counter = Counter()
        for row in rows.itertuples(index=False):
            used[(row.start - row.shift_start, row.end - row.start)] += int(row.agents)
        (offset, length), _ = min(used.items(), key=lambda item: (-item[1], item[0]))
        fallback[(str(name), int(rule))] = (offset, length)
    return fallback


def assign_breaks(plan: Any, table: pd.DataFrame, dates: pd.DatetimeIndex,
                  shifts: tuple[RosterShift, ...]) -> pd.DataFrame:
    """Each rostered agent's break slots, from the plan's ``breaks`` table.

    Per day, template and break rule, the plan's slots in time order (each repeated by
    its agents) go to the agents rostered on that shift in the roster's order. An agent
    beyond the plan's count takes the slot of that day with the most agents (ties: the
    earliest), or, when the plan has none that day, the template's slot most used over
    the whole plan (same offset from the shift's start); slots beyond the rostered agents
    (the latest in time) stay unassigned.
    """
    breaks = grouped_names(plan.breaks)
    breaks = breaks[breaks["agents"] > 0]
    rules: dict[str, list[tuple[int, str, bool]]] = {}
    for (name, rule), rows in breaks.groupby(["template", "rule"], sort=True):
        rules.setdefault(str(name), []).append(
            (int(rule), str(rows["break"].iloc[0]), bool(rows["paid"].iloc[0])))
    fallback = _slot_offsets(breaks)
    slots: dict[tuple[pd.Timestamp, str, int], list[tuple[pd.Timestamp, pd.Timestamp, int]]] = {}
    for row in breaks.sort_values(["start", "end"], kind="stable").itertuples(index=False):
        key = (pd.Timestamp(row.date).normalize(), str(row.template), int(row.rule))
        slots.setdefault(key, []).append((row.start, row.end, int(row.agents)))
    clock = {shift.name: pd.Timedelta(minutes=shift.start_minute) for shift in shifts}
    records = []
    for day, date in enumerate(dates):
        column = table[day]
        for name, rule_list in rules.items():
            agents = [agent for agent, value in column.items() if value == name]
            if not agents:
                continue
            for rule, label, paid in rule_list:
                day_slots = slots.get((date, name, rule), [])
                queue = [(begin, end) for begin, end, count in day_slots for _ in range(count)]
                if day_slots:
                    begin, end, _ = min(day_slots, key=lambda s: (-s[2], s[0]))
                    extra = (begin, end)
                else:
                    offset, length = fallback[(name, rule)]
                    extra = (date + clock[name] + offset, date + clock[name] + offset + length)
                for i, agent in enumerate(agents):
                    begin, end = queue[i] if i < len(queue) else extra
                    records.append({"agent": agent, "date": date, "shift": name, "rule": rule,
                                    "break": label, "start": begin, "end": end, "paid": paid})
    frame = pd.DataFrame(records, columns=BREAK_COLUMNS)
    if not len(frame):
        return frame.astype({"date": "datetime64[ns]", "rule": "int64",
                             "start": "datetime64[ns]", "end": "datetime64[ns]",
                             "paid": "bool"})
    position = {agent: i for i, agent in enumerate(table.index)}
    frame = frame.assign(_order=frame["agent"].map(position)).sort_values(
        ["_order", "date", "rule"], kind="stable").drop(columns="_order")
    return frame.astype({"rule": "int64", "paid": "bool"}).reset_index(drop=True)
