"""Checks of a whole roster instance, resolved into plain indices for the model.

:func:`resolve` checks every argument of :func:`ccsim.roster.build_roster` against the
others (names, days, the cover table) and returns an :class:`Instance`;
:func:`check_directly` finds the infeasibilities that need no solver.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ccsim._roster.rules import (
    MAX_WEIGHT,
    Agent,
    RosterInfeasible,
    RosterShift,
    ShiftRequest,
    _weight,
)
from ccsim._validation import CCSimInputError, _show, check_real, check_size

MAX_DAYS = 3660  # ten years: the same limit as ccsim.shifts
MAX_ASSIGNMENTS = 2_000_000  # agents x days x shifts: CP-SAT's model stays under a few GB
COVER_COLUMNS = ("day", "shift", "required", "under_weight", "over_weight")


@dataclass(frozen=True)
class Instance:
    """A checked roster instance: indices instead of names, offsets instead of dates."""

    agents: tuple[Agent, ...]
    shifts: tuple[RosterShift, ...]
    days: int
    start: pd.Timestamp
    weekends: tuple[tuple[int, ...], ...]  # the days of each (possibly cut) weekend
    leave: tuple[frozenset[int], ...]  # per agent
    forbidden: tuple[tuple[int, int, int], ...]  # (shift t, shift u, gap days): not t then u
    cover: pd.DataFrame  # day, shift, [skill], required, under_weight, over_weight, shift_index
    eligible: tuple[tuple[int, ...], ...]  # per cover row: the agents it counts
    requests: tuple[tuple[int, int, int | None, bool, int], ...]  # agent, day, shift, wanted, w

    @property
    def dates(self) -> pd.DatetimeIndex:
        return pd.date_range(self.start, periods=self.days, freq="D")

    @property
    def has_skill(self) -> bool:
        return "skill" in self.cover.columns


def _start(value: Any) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value) if isinstance(
            value, (str, dt.date, np.datetime64, pd.Timestamp)) else None
    except (TypeError, ValueError):
        stamp = None
    if stamp is None or pd.isna(stamp) or stamp != stamp.normalize() or stamp.tz is not None:
        raise CCSimInputError(
            f"build_roster: start must be a date such as '2027-02-01' (no time of day, no "
            f"time zone); got {_show(value)}")
    return stamp


def day_offset(where: str, value: Any, start: pd.Timestamp, days: int) -> int:
    """A day as a 0-based offset from ``start``: an int offset, or a date in the horizon."""
    last = (start + pd.Timedelta(days=days - 1)).date()
    valid = (f"a day offset in [0, {days - 1}] or a date from {start.date()} to {last}")
    if isinstance(value, (bool, np.bool_)):
        raise CCSimInputError(f"{where} must be {valid}; got {_show(value)}")
    if isinstance(value, (int, np.integer)) or (
            isinstance(value, (float, np.floating)) and np.isfinite(value)
            and float(value) == int(value)):
        offset = int(value)
    elif isinstance(value, (str, dt.date, np.datetime64, pd.Timestamp)):
        try:
            stamp = pd.Timestamp(value)
        except (TypeError, ValueError):
            raise CCSimInputError(f"{where} must be {valid}; got {_show(value)}") from None
        if pd.isna(stamp) or stamp != stamp.normalize() or stamp.tz is not None:
            raise CCSimInputError(f"{where} must be {valid}; got {_show(value)}")
        offset = (stamp - start).days
    else:
        raise CCSimInputError(f"{where} must be {valid}; got {_show(value)}")
    if not 0 <= offset < days:
        raise CCSimInputError(f"{where} must be {valid}; got {_show(value)}")
    return offset


def _records(where: str, value: Any, kind: type, *, empty: bool = False) -> tuple:
    if isinstance(value, (str, bytes, kind)) or not isinstance(value, Sequence):
        raise CCSimInputError(
            f"build_roster: {where} must be a list of {kind.__name__}; got {_show(value)}")
    if not value and not empty:
        raise CCSimInputError(f"build_roster: {where} must not be empty")
    for i, item in enumerate(value):
        if not isinstance(item, kind):
            raise CCSimInputError(
                f"build_roster: {where}[{i}] must be a {kind.__name__}; got {_show(item)}")
    names = [getattr(item, "name", None) for item in value]
    if kind is not ShiftRequest:
        seen = {name for name in names if names.count(name) > 1}
        if seen:
            raise CCSimInputError(
                f"build_roster: {where} must have unique names; {sorted(seen)!r} repeated")
    return tuple(value)


def _forbidden(shifts: tuple[RosterShift, ...], min_rest_hours: float) -> tuple:
    index = {shift.name: i for i, shift in enumerate(shifts)}
    pairs = set()
    for t, shift in enumerate(shifts):
        for other in shift.not_followed_by:
            if other not in index:
                raise CCSimInputError(
                    f"build_roster: RosterShift {shift.name!r}: not_followed_by names "
                    f"{other!r}, not a shift; valid: {sorted(index)!r}")
            pairs.add((t, index[other], 1))
        end = shift.start_minute + shift.minutes
        for u, later in enumerate(shifts):
            for gap in (1, 2):  # a shift is at most 24 h, so rest three days on is >= 24 h
                rest = gap * 1440 + later.start_minute - end
                if rest < min_rest_hours * 60:
                    pairs.add((t, u, gap))
    return tuple(sorted(pairs))


def _weekends(start: pd.Timestamp, days: int) -> tuple[tuple[int, ...], ...]:
    groups: dict[int, list[int]] = {}
    for offset in range(days):
        date = start + pd.Timedelta(days=offset)
        if date.weekday() >= 5:
            saturday = offset - (date.weekday() - 5)
            groups.setdefault(saturday, []).append(offset)
    return tuple(tuple(group) for _, group in sorted(groups.items()))


def _cover(cover: Any, shifts, agents, start, days):
    if not isinstance(cover, pd.DataFrame):
        raise CCSimInputError(
            f"build_roster: cover must be a DataFrame with columns {list(COVER_COLUMNS)} "
            f"(and optionally 'skill'); got {_show(cover)}")
    missing = [column for column in COVER_COLUMNS if column not in cover.columns]
    if missing:
        raise CCSimInputError(
            f"build_roster: cover lacks the columns {missing}; it needs "
            f"{list(COVER_COLUMNS)} (and optionally 'skill'); got {list(cover.columns)}")
    index = {shift.name: i for i, shift in enumerate(shifts)}
    rows = []
    has_skill = "skill" in cover.columns
    known_skills = None if any(a.skills is None for a in agents) else {
        skill for a in agents for skill in a.skills}
    for i, row in enumerate(cover.itertuples(index=False)):
        record = row._asdict()
        where = f"build_roster: cover row {i}"
        day = day_offset(f"{where}: day", record["day"], start, days)
        if record["shift"] not in index:
            raise CCSimInputError(
                f"{where}: shift {_show(record['shift'])} is not a shift; valid: "
                f"{sorted(index)!r}")
        out = {"day": day, "shift": record["shift"]}
        if has_skill:
            skill = record["skill"]
            if skill is None or (isinstance(skill, float) and np.isnan(skill)):
                skill = None  # this row counts every agent
            elif not isinstance(skill, str) or not skill:
                raise CCSimInputError(
                    f"{where}: skill must be a skill name or empty (every agent); "
                    f"got {_show(skill)}")
            elif known_skills is not None and skill not in known_skills:
                raise CCSimInputError(
                    f"{where}: skill {skill!r} is held by no agent; agents' skills: "
                    f"{sorted(known_skills)!r}")
            out["skill"] = skill
        required = record["required"]
        if not isinstance(required, (int, np.integer, float, np.floating)) or isinstance(
                required, (bool, np.bool_)) or not np.isfinite(required) or required < 0 or (
                required != int(required)) or required > MAX_WEIGHT:
            raise CCSimInputError(
                f"{where}: required must be a whole number of agents >= 0; got {_show(required)}")
        out["required"] = int(required)
        for column in ("under_weight", "over_weight"):
            out[column] = _weight(f"{where}: {column}", record[column])
        out["shift_index"] = index[record["shift"]]
        rows.append(out)
    columns = ["day", "shift"] + (["skill"] if has_skill else []) + [
        "required", "under_weight", "over_weight", "shift_index"]
    table = pd.DataFrame(rows, columns=columns)
    key = ["day", "shift"] + (["skill"] if has_skill else [])
    repeated = table[table.duplicated(key, keep=False)]
    if len(repeated):
        first = rows[int(repeated.index[0])]
        raise CCSimInputError(
            f"build_roster: cover has several rows for "
            f"{', '.join(f'{k}={first[k]!r}' for k in key)}; give one row per {key}")
    table = table.astype({"day": "int64", "required": "int64", "under_weight": "int64",
                          "over_weight": "int64", "shift_index": "int64"})
    if has_skill:
        table["skill"] = pd.Series([row["skill"] for row in rows], dtype=object)
    eligible = []
    for row in rows:
        skill = row.get("skill")
        eligible.append(tuple(a for a, agent in enumerate(agents)
                              if skill is None or agent.skills is None or skill in agent.skills))
    return table, tuple(eligible)


def resolve(agents: Any, shifts: Any, cover: Any, days: Any, start: Any, requests: Any,
            min_rest_hours: Any) -> Instance:
    """Check every argument against the others; return the instance in indices."""
    agents = _records("agents", agents, Agent)
    shifts = _records("shifts", shifts, RosterShift)
    requests = _records("requests", [] if requests is None else requests, ShiftRequest,
                        empty=True)
    if isinstance(days, (bool, np.bool_)) or not isinstance(
            days, (int, np.integer)) or not 1 <= days <= MAX_DAYS:
        raise CCSimInputError(
            f"build_roster: days must be a whole number in [1, {MAX_DAYS}]; got {_show(days)}")
    days = int(days)
    check_size("build_roster: agents x days x shifts", len(agents) * days * len(shifts),
               MAX_ASSIGNMENTS, unit="assignments", how="roster fewer agents or days at once")
    start = _start(start)
    rest = float(check_real("build_roster: min_rest_hours", min_rest_hours, low=0, high=48))
    names = {shift.name for shift in shifts}
    leave = []
    for agent in agents:
        for key in agent.max_shifts:
            if key not in names:
                raise CCSimInputError(
                    f"build_roster: Agent {agent.name!r}: max_shifts names {key!r}, not a "
                    f"shift; valid: {sorted(names)!r}")
        leave.append(frozenset(
            day_offset(f"build_roster: Agent {agent.name!r}: days_off[{i}]", value, start, days)
            for i, value in enumerate(agent.days_off)))
    table, eligible = _cover(cover, shifts, agents, start, days)
    agent_index = {agent.name: a for a, agent in enumerate(agents)}
    shift_index = {shift.name: t for t, shift in enumerate(shifts)}
    resolved = []
    for i, request in enumerate(requests):
        where = f"build_roster: requests[{i}]"
        if request.agent not in agent_index:
            raise CCSimInputError(
                f"{where}: agent {request.agent!r} is not among the agents; valid: "
                f"{sorted(agent_index)!r}")
        if request.shift is not None and request.shift not in shift_index:
            raise CCSimInputError(
                f"{where}: shift {request.shift!r} is not a shift; valid: "
                f"{sorted(shift_index)!r} or None (any shift)")
        resolved.append((agent_index[request.agent],
                         day_offset(f"{where}: day", request.day, start, days),
                         None if request.shift is None else shift_index[request.shift],
                         request.wanted, request.weight))
    return Instance(agents=agents, shifts=shifts, days=days, start=start,
                    weekends=_weekends(start, days), leave=tuple(leave),
                    forbidden=_forbidden(shifts, rest), cover=table, eligible=eligible,
                    requests=tuple(resolved))


def _days_text(days: Sequence[int]) -> str:
    days = sorted(days)
    if not days:
        return "none"
    parts, first = [], days[0]
    for previous, day in zip(days, days[1:] + [None], strict=True):
        if day != previous + 1:
            parts.append(str(first) if first == previous else f"{first}-{previous}")
            first = day
    return ", ".join(parts)


def most_working_days(free: Sequence[bool], max_run: int | None) -> int:
    """The most days an agent can work on the free days with runs of at most ``max_run``."""
    total, run = 0, 0
    for is_free in list(free) + [False]:
        if is_free:
            run += 1
        else:
            total += run if max_run is None else run - run // (max_run + 1)
            run = 0
    return total


def check_directly(instance: Instance) -> None:
    """Raise :class:`RosterInfeasible` for conflicts found without a solver.

    An agent's ``min_minutes`` must fit into the days left after leave, with runs of at
    most ``max_consecutive_shifts`` and the longest shifts ``max_shifts`` allows.
    """
    reasons = []
    for agent, leave in zip(instance.agents, instance.leave, strict=True):
        if agent.min_minutes <= 0:
            continue
        free = [day not in leave for day in range(instance.days)]
        most = most_working_days(free, agent.max_consecutive_shifts)
        lengths = []
        for shift in sorted(instance.shifts, key=lambda s: -s.minutes):
            lengths += [shift.minutes] * min(most, agent.max_shifts.get(shift.name, most))
        reachable = sum(lengths[:most])
        if reachable < agent.min_minutes:
            run = ("" if agent.max_consecutive_shifts is None else
                   f", at most {agent.max_consecutive_shifts} in a row")
            reasons.append(
                f"agent {agent.name!r}: min_minutes={agent.min_minutes:g} cannot fit: "
                f"{instance.days} days, days_off on days {_days_text(sorted(leave))}, "
                f"so at most {most} working days{run}, at most {reachable:g} minutes "
                f"with max_shifts={dict(agent.max_shifts)!r}")
    if reasons:
        raise RosterInfeasible(
            "build_roster: no roster satisfies the hard rules: " + "; ".join(reasons), reasons)
