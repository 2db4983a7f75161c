"""Plans and rosters as simulation scenarios: who works when, with which breaks.

A :class:`ccsim.shifts.ShiftPlan` counts agents per day and template and break slots
per rule; here each agent of a day and template takes the next slot of every break rule
in time order (so the slots' counts are the plan's), and agents with the same shift and
breaks become one :class:`ccsim.simulation.Shift` with their number. A roster gives each
named agent's shifts and, when it came from a plan, their own break slots.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ccsim._validation import CCSimInputError, _show

WHERE = "scenario_from_plan"


def _skills(groups: list[str], call_types: Sequence[Any], skills: Any) -> dict[str, list[str]]:
    names = [t.name for t in call_types]
    if skills is None:
        if groups == [None]:
            return {None: names}
        missing = [g for g in groups if g not in names]
        if missing:
            raise CCSimInputError(
                f"{WHERE}: the plan's groups {missing!r} are not call types; give skills= "
                f"(a dict of group to the call types it answers)")
        return {g: [g] for g in groups}
    if not isinstance(skills, Mapping):
        raise CCSimInputError(
            f"{WHERE}: skills must be a dict of group name to a list of call types; "
            f"got {_show(skills)}")
    keys = [None] if groups == [None] else groups
    if groups == [None] and len(skills) == 1:
        return {None: list(next(iter(skills.values())))}
    missing = [g for g in keys if g not in skills]
    if missing:
        raise CCSimInputError(f"{WHERE}: skills lacks the groups {missing!r}; it has "
                              f"{sorted(map(str, skills))!r}")
    return {g: list(skills[g]) for g in keys}


def _hours(stamp: Any, start: pd.Timestamp) -> float:
    return (pd.Timestamp(stamp) - start) / pd.Timedelta(hours=1)


def plan_shifts(plan: Any, start: pd.Timestamp) -> dict[Any, list]:
    """Per group (None for a plan of one group): the simulation's shifts of the plan."""
    from ccsim.simulation import Shift

    counts, breaks = plan.counts, plan.breaks
    grouped = "group" in counts.columns
    out: dict[Any, Counter] = {}
    slots: dict[tuple, list[tuple[pd.Timestamp, pd.Timestamp]]] = {}
    for row in breaks[breaks["agents"] > 0].sort_values(["start", "end"], kind="stable") \
            .itertuples(index=False):
        key = (getattr(row, "group", None), pd.Timestamp(row.date).normalize(),
               str(row.template), int(row.rule))
        slots.setdefault(key, []).extend([(row.start, row.end)] * int(row.agents))
    rules: dict[tuple, list[int]] = {}
    for key in slots:
        rules.setdefault((key[0], str(key[2])), []).append(key[3])
    for row in counts[counts["agents"] > 0].itertuples(index=False):
        group = row.group if grouped else None
        date = pd.Timestamp(row.date).normalize()
        begin, end = _hours(row.start, start), _hours(row.end, start)
        patterns: Counter = Counter()
        for k in range(int(row.agents)):
            pauses = []
            for rule in sorted(set(rules.get((group, str(row.template)), []))):
                taken = slots.get((group, date, str(row.template), rule), [])
                if k < len(taken):
                    pauses.append((_hours(taken[k][0], start), _hours(taken[k][1], start)))
            patterns[tuple(sorted(pauses))] += 1
        for pauses, agents in patterns.items():
            out.setdefault(group, Counter())[(begin, end, pauses)] += agents
    return {group: [Shift(b, e, breaks=list(p), agents=n) for (b, e, p), n in sorted(c.items())]
            for group, c in out.items()}


def roster_shifts(roster: Any, start: pd.Timestamp, shift_clock: Mapping[str, tuple],
                  skill_of: Mapping[str, Any] | None = None) -> dict[Any, list]:
    """The simulation's shifts of a roster, one per agent and day worked, with breaks;
    per group: the shift's skill (a plan of several groups), else None."""
    from ccsim.simulation import Shift

    breaks: dict[tuple[str, pd.Timestamp], list] = {}
    if roster.breaks is not None:
        for row in roster.breaks.itertuples(index=False):
            breaks.setdefault((row.agent, pd.Timestamp(row.date).normalize()), []).append(
                (_hours(row.start, start), _hours(row.end, start)))
    shifts: dict[Any, Counter] = {}
    for agent, row in roster.table.iterrows():
        for day, name in row.items():
            if not name:
                continue
            date = roster.dates[day]
            minute, minutes = shift_clock[name]
            begin = _hours(date + pd.Timedelta(minutes=minute), start)
            pauses = tuple(sorted(breaks.get((agent, date), [])))
            group = (skill_of or {}).get(name)
            shifts.setdefault(group, Counter())[(begin, begin + minutes / 60, pauses)] += 1
    return {group: [Shift(b, e, breaks=list(p), agents=n) for (b, e, p), n in sorted(c.items())]
            for group, c in sorted(shifts.items(), key=lambda item: str(item[0]))}


def clock_of(roster: Any, shifts: Any) -> dict[str, tuple[int, float]]:
    """Each shift name's (start minute, minutes), from ``shifts`` (RosterShift list)."""
    if shifts is None:
        raise CCSimInputError(
            f"{WHERE}: a roster needs shifts= (its RosterShift list) to know when each "
            f"shift starts and ends")
    clock = {s.name: (s.start_minute, s.minutes) for s in shifts}
    used = {v for v in pd.unique(roster.table.to_numpy().ravel()) if v}
    missing = sorted(used - set(clock))
    if missing:
        raise CCSimInputError(f"{WHERE}: shifts= lacks the roster's shifts {missing!r}")
    return clock
