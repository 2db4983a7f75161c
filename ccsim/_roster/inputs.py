"""Checks of a whole roster instance, resolved into plain indices for the model.

:func:`resolve` checks every argument of :func:`ccsim.roster.build_roster` against the
others (names, days, the cover table) and returns an :class:`Instance`;
:func:`check_directly` finds the infeasibilities that need no solver.
"""

from __future__ import annotations

import datetime as dt
import warnings
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
    RosterWarning,
    RosterWeights,
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
    # per agent: the previous roster's last days, oldest first, ending the day before start
    # (shift index, -1 a day off); empty when unknown
    history: tuple[tuple[int, ...], ...] = ()
    weights: RosterWeights = RosterWeights()

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


def _date_outside(value: Any, start: pd.Timestamp, days: int) -> bool:
    """Whether ``value`` is a date (not an offset) outside the horizon: leave of another
    month, ignored so that one list of agents serves every month."""
    if not isinstance(value, (str, dt.date, np.datetime64, pd.Timestamp)):
        return False
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return False  # day_offset names the bad value
    if pd.isna(stamp) or stamp != stamp.normalize() or stamp.tz is not None:
        return False
    return not 0 <= (stamp - start).days < days


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
            min_rest_hours: Any, previous: Any = None, weights: Any = None) -> Instance:
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
            for i, value in enumerate(agent.days_off) if not _date_outside(value, start, days)))
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
    if weights is None:
        weights = RosterWeights()
    elif not isinstance(weights, RosterWeights):
        raise CCSimInputError(
            f"build_roster: weights must be a RosterWeights (e.g. RosterWeights("
            f"split_weekend=10, weekend_spread=5)) or None; got {_show(weights)}")
    return Instance(agents=agents, shifts=shifts, days=days, start=start,
                    weekends=_weekends(start, days), leave=tuple(leave),
                    forbidden=_forbidden(shifts, rest), cover=table, eligible=eligible,
                    requests=tuple(resolved),
                    history=_history(previous, agents, shifts, start), weights=weights)


MAX_PREVIOUS_DAYS = 62  # two months: enough for every run, weekend and week rule


def _history(previous: Any, agents, shifts, start: pd.Timestamp) -> tuple:
    """Per agent, the previous roster's shift indexes on the days before ``start``."""
    if previous is None:
        return tuple(() for _ in agents)
    where = "build_roster: previous"
    table = getattr(previous, "table", None)
    if isinstance(table, pd.DataFrame) and hasattr(previous, "dates"):
        table = table.set_axis(pd.DatetimeIndex(previous.dates), axis=1)
    elif isinstance(previous, pd.DataFrame):
        table = previous
    else:
        raise CCSimInputError(
            f"{where} must be a Roster or a DataFrame (index: agent names; columns: the dates "
            f"of the days before start, or offsets -k..-1; values: shift names, '' off); "
            f"got {_show(previous)}")
    offsets = []
    for column in table.columns:
        if isinstance(column, (int, np.integer)) and not isinstance(column, (bool, np.bool_)):
            offsets.append(int(column))
            continue
        try:
            stamp = pd.Timestamp(column) if isinstance(
                column, (str, dt.date, np.datetime64, pd.Timestamp)) else None
        except (TypeError, ValueError):
            stamp = None
        if stamp is None or pd.isna(stamp) or stamp != stamp.normalize() or stamp.tz:
            raise CCSimInputError(
                f"{where}: column {_show(column)} is neither a date nor a day offset < 0")
        offsets.append((stamp - start).days)
    if len(set(offsets)) != len(offsets):
        raise CCSimInputError(f"{where}: columns name the same day twice: {list(table.columns)!r}")
    keep = sorted((offset, i) for i, offset in enumerate(offsets) if offset < 0)
    if not keep:  # a roster of a later or the same period: nothing before start
        return tuple(() for _ in agents)
    days = [offset for offset, _ in keep]
    if days[-1] != -1 or days != list(range(days[0], 0)):
        raise CCSimInputError(
            f"{where}: its days before start must be consecutive and end the day before "
            f"start ({(start - pd.Timedelta(days=1)).date()}); got offsets {days}")
    if len(days) > MAX_PREVIOUS_DAYS:  # only the last days matter; keep the model small
        keep = keep[-MAX_PREVIOUS_DAYS:]
    index = {shift.name: t for t, shift in enumerate(shifts)}
    names = list(table.index)
    if len(set(map(str, names))) != len(names):
        raise CCSimInputError(f"{where}: agent names repeat in its index")
    rows = {str(name): table.iloc[r] for r, name in enumerate(names)}
    out = []
    for agent in agents:
        if agent.name not in rows:
            out.append(())
            continue
        row, history = rows[agent.name], []
        for offset, i in keep:
            value = row.iloc[i]
            if value is None or (isinstance(value, float) and np.isnan(value)) or (
                    isinstance(value, str) and not value.strip()):
                history.append(-1)
            elif isinstance(value, str) and value.strip() in index:
                history.append(index[value.strip()])
            else:
                raise CCSimInputError(
                    f"{where}: agent {agent.name!r} on day {offset} "
                    f"({(start + pd.Timedelta(days=offset)).date()}): {_show(value)} is not "
                    f"a shift; valid: {sorted(index)!r} or '' (day off)")
        out.append(tuple(history))
    return tuple(out)


def weeks(start: pd.Timestamp, first: int, days: int) -> tuple[tuple[int, ...], ...]:
    """The calendar weeks (Monday-Sunday) touching days ``first`` .. ``days - 1``, as offsets."""
    monday = first - (start + pd.Timedelta(days=first)).weekday()
    out = []
    while monday < days:
        out.append(tuple(range(max(monday, first), min(monday + 7, days))))
        monday += 7
    return tuple(out)


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
            if shift.skill is not None and agent.skills is not None and (
                    shift.skill not in agent.skills):
                continue  # a shift of a skill the agent has not
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
    _warn_short_cover(instance)


def _warn_short_cover(instance: Instance) -> None:
    """Warn of cover rows needing more agents than can work them (penalties in any roster)."""
    short = []
    for row, eligible in zip(instance.cover.itertuples(index=False), instance.eligible,
                             strict=True):
        free = sum(1 for a in eligible if row.day not in instance.leave[a])
        if row.required > free and row.under_weight > 0:
            skill = getattr(row, "skill", None)
            what = f" with skill {skill!r}" if skill else ""
            short.append(
                f"day {row.day} ({(instance.start + pd.Timedelta(days=row.day)).date()}) "
                f"shift {row.shift!r} needs {row.required} agents{what}; there are "
                f"{len(eligible)}, {len(eligible) - free} of them on leave")
    if short:
        shown = "; ".join(short[:5]) + (f"; and {len(short) - 5} more" if len(short) > 5 else "")
        warnings.warn(
            f"build_roster: {len(short)} cover row(s) cannot be met by any roster (each agent "
            f"missing costs its under_weight): {shown}", RosterWarning, stacklevel=4)
