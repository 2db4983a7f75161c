"""Staff-rostering instances for the roster benchmark: a reader, an independent evaluator.

A :class:`Problem` is one rostering instance in plain Python: shift types (clock start,
length, forbidden successors), employees with their labour rules, leave, requests and
cover. :func:`read_instance` reads one of Curtois and Qu's instances [1]_ (the format of
``shared/data/nurse-rostering/SOURCE.md``); :func:`roster_arguments` turns a problem
into :func:`ccsim.roster.build_roster`'s arguments; :func:`evaluate` checks every hard
rule on a roster table and recomputes the objective the benchmark's way, from the table
and the problem alone (it shares no code with ``ccsim._roster``), so that a benchmark
never scores ccsim with ccsim's own arithmetic.

The benchmark's rules [1]_, as :func:`evaluate` applies them: hard: at most one shift a
day; no forbidden succession (the file's, and those that break ``min_rest_hours``
between clock times, one or two days on: the instances' shifts all start at 00:00 with
no minimum rest, so only the file's apply); at most ``max_shifts`` of each type; total
minutes within [min, max]; at most ``max_consecutive_shifts`` working days in a row;
every run of working days at least ``min_consecutive_shifts`` and every run of days off
at least ``min_consecutive_days_off`` long, except runs that touch the first or last
day; at most ``max_weekends`` weekends (Saturday and Sunday of the calendar week, the
horizon starting on a Monday) with a shift; no shift on a day off. Soft: each unmet
on-request and each met off-request costs its weight; each employee short of a cover
requirement costs its under weight, each above it its over weight.

References
----------
.. [1] T. Curtois and R. Qu, "Computational results on new staff scheduling benchmark
   instances", technical report, ASAP group, School of Computer Science, University of
   Nottingham, 2014 (instances at schedulingbenchmarks.org, ``nrp/instances1_24``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

START = "2027-02-01"  # a Monday: day 0 of every instance is a Monday
SECTIONS = ("SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF", "SECTION_DAYS_OFF",
            "SECTION_SHIFT_ON_REQUESTS", "SECTION_SHIFT_OFF_REQUESTS", "SECTION_COVER")


@dataclass(frozen=True)
class Shift:
    """A shift type: ``name``, clock ``start`` ("HH:MM"), ``minutes``, forbidden successors."""

    name: str
    minutes: int
    cannot_follow: tuple[str, ...] = ()  # shifts that may not come the next day
    start: str = "00:00"

    @property
    def start_minute(self) -> int:
        hours, minutes = self.start.split(":")
        return int(hours) * 60 + int(minutes)


@dataclass(frozen=True)
class Employee:
    """An employee and the hard rules of their contract (the benchmark's STAFF line)."""

    name: str
    max_shifts: Mapping[str, int]
    max_minutes: int | None
    min_minutes: int
    max_consecutive_shifts: int | None
    min_consecutive_shifts: int = 1
    min_consecutive_days_off: int = 1
    max_weekends: int | None = None
    skills: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Request:
    """A wish: ``wanted`` True (shift-on) or False (shift-off), refused or granted at ``weight``."""

    employee: str
    day: int
    shift: str
    wanted: bool
    weight: int


@dataclass(frozen=True)
class Cover:
    """The employees wanted on ``shift`` on ``day`` (with ``skill``: only those who have it)."""

    day: int
    shift: str
    required: int
    under_weight: int
    over_weight: int
    skill: str | None = None


@dataclass(frozen=True)
class Problem:
    """One rostering instance; ``days_off`` maps an employee to their days of leave."""

    name: str
    days: int
    shifts: tuple[Shift, ...]
    employees: tuple[Employee, ...]
    days_off: Mapping[str, tuple[int, ...]]
    requests: tuple[Request, ...]
    cover: tuple[Cover, ...]
    min_rest_hours: float = 0.0
    start: str = START


def data_dir() -> Path:
    """The instances' folder: ``$CCSIM_SHARED_DATA/nurse-rostering``, else ``../shared/data``."""
    override = os.environ.get("CCSIM_SHARED_DATA", "").strip()
    base = Path(override).expanduser() if override else (
        Path(__file__).resolve().parents[2] / "shared" / "data")
    return base / "nurse-rostering"


def _sections(text: str, where: str) -> dict[str, list[list[str]]]:
    sections: dict[str, list[list[str]]] = {}
    current = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            if line not in SECTIONS:
                raise ValueError(f"{where}:{number}: unknown section {line!r}; known: {SECTIONS}")
            current = line
            sections.setdefault(current, [])
            continue
        if current is None:
            raise ValueError(f"{where}:{number}: {line!r} comes before any SECTION_ line")
        sections[current].append([cell.strip() for cell in line.split(",")])
    missing = [s for s in ("SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF", "SECTION_COVER")
               if s not in sections]
    if missing:
        raise ValueError(f"{where}: missing section(s) {missing}")
    return sections


def parse_instance(text: str, name: str = "instance") -> Problem:
    """Read the text of a Curtois and Qu instance (``SECTION_...`` blocks, CSV lines).

    Raises
    ------
    ValueError
        A line that is not of the format (the message names the line).
    """
    blocks = _sections(text, name)
    days = int(blocks["SECTION_HORIZON"][0][0])
    if days <= 0:
        raise ValueError(f"{name}: horizon must be a positive number of days; got {days}")
    shifts = tuple(Shift(cells[0], int(cells[1]),
                         tuple(s for s in (cells[2].split("|") if len(cells) > 2 else ()) if s))
                   for cells in blocks["SECTION_SHIFTS"])
    names = {s.name for s in shifts}
    for shift in shifts:
        unknown = set(shift.cannot_follow) - names
        if unknown:
            raise ValueError(f"{name}: shift {shift.name!r} names unknown shifts {unknown}")
    employees = []
    for cells in blocks["SECTION_STAFF"]:
        if len(cells) != 8:
            raise ValueError(f"{name}: a STAFF line has 8 fields; got {cells}")
        most = {}
        for part in filter(None, cells[1].split("|")):
            key, value = part.split("=")
            if key not in names:
                raise ValueError(f"{name}: employee {cells[0]!r}: MaxShifts names {key!r}")
            most[key] = int(value)
        employees.append(Employee(
            name=cells[0], max_shifts=most, max_minutes=int(cells[2]), min_minutes=int(cells[3]),
            max_consecutive_shifts=int(cells[4]), min_consecutive_shifts=int(cells[5]),
            min_consecutive_days_off=int(cells[6]), max_weekends=int(cells[7])))
    staff = {e.name for e in employees}
    days_off = {e.name: () for e in employees}
    for cells in blocks.get("SECTION_DAYS_OFF", []):
        if cells[0] not in staff:
            raise ValueError(f"{name}: DAYS_OFF names unknown employee {cells[0]!r}")
        days_off[cells[0]] = tuple(sorted(int(d) for d in cells[1:] if d))
    requests = []
    for section, wanted in (("SECTION_SHIFT_ON_REQUESTS", True),
                            ("SECTION_SHIFT_OFF_REQUESTS", False)):
        for cells in blocks.get(section, []):
            employee, day, shift, weight = cells[0], int(cells[1]), cells[2], int(cells[3])
            if employee not in staff or shift not in names or not 0 <= day < days:
                raise ValueError(f"{name}: {section} line {cells} names an unknown employee, "
                                 "shift or day")
            requests.append(Request(employee, day, shift, wanted, weight))
    cover = []
    for cells in blocks["SECTION_COVER"]:
        day, shift = int(cells[0]), cells[1]
        if shift not in names or not 0 <= day < days:
            raise ValueError(f"{name}: COVER line {cells} names an unknown shift or day")
        cover.append(Cover(day, shift, int(cells[2]), int(cells[3]), int(cells[4])))
    return Problem(name=name, days=days, shifts=shifts, employees=tuple(employees),
                   days_off=days_off, requests=tuple(requests), cover=tuple(cover))


def read_instance(which: int | str | Path) -> Problem:
    """Instance ``which`` (1-24) from :func:`data_dir`, or the instance file at a path."""
    path = data_dir() / f"Instance{which}.txt" if isinstance(which, int) else Path(which)
    if not path.is_file():
        raise FileNotFoundError(
            f"no instance file {path} (set CCSIM_SHARED_DATA to the folder holding "
            "nurse-rostering/)")
    return parse_instance(path.read_text(), name=path.stem)


def roster_arguments(problem: Problem) -> dict[str, Any]:
    """:func:`ccsim.roster.build_roster`'s arguments for ``problem``, as a dict.

    Shift types become ``RosterShift`` s (their clock start, ``not_followed_by`` the
    file's forbidden successors), employees ``Agent`` s, the cover a DataFrame, requests
    ``ShiftRequest`` s; ``min_rest_hours`` is the problem's (0 for the benchmark's
    instances, so that only the file's successions are forbidden).
    """
    from ccsim.roster import Agent, RosterShift, ShiftRequest

    shifts = [RosterShift(s.name, s.start, s.minutes, not_followed_by=s.cannot_follow)
              for s in problem.shifts]
    agents = [Agent(e.name, max_shifts=dict(e.max_shifts), min_minutes=e.min_minutes,
                    max_minutes=e.max_minutes, max_consecutive_shifts=e.max_consecutive_shifts,
                    min_consecutive_shifts=e.min_consecutive_shifts,
                    min_consecutive_days_off=e.min_consecutive_days_off,
                    max_weekends=e.max_weekends, days_off=list(problem.days_off[e.name]),
                    skills=None if e.skills is None else list(e.skills))
              for e in problem.employees]
    records = [{"day": c.day, "shift": c.shift, "required": c.required,
                "under_weight": c.under_weight, "over_weight": c.over_weight}
               | ({} if c.skill is None and not _has_skill(problem) else {"skill": c.skill})
               for c in problem.cover]
    requests = [ShiftRequest(r.employee, r.day, r.shift, wanted=r.wanted, weight=r.weight)
                for r in problem.requests]
    return {"agents": agents, "shifts": shifts, "cover": pd.DataFrame(records),
            "days": problem.days, "start": problem.start, "requests": requests,
            "min_rest_hours": problem.min_rest_hours}


def _has_skill(problem: Problem) -> bool:
    return any(c.skill is not None for c in problem.cover)


# --- the independent evaluator ----------------------------------------------------------

@dataclass(frozen=True)
class Evaluation:
    """A roster scored the benchmark's way: hard-rule violations and the objective parts."""

    violations: tuple[str, ...]
    objective: int
    under: int  # cost of employees missing from the cover
    over: int  # cost of employees above it
    requests: int  # cost of refused on-requests and granted off-requests

    @property
    def feasible(self) -> bool:
        return not self.violations


def forbidden_pairs(problem: Problem) -> set[tuple[str, str, int]]:
    """(shift, later shift, days between their starts) that may not follow each other."""
    pairs = {(s.name, other, 1) for s in problem.shifts for other in s.cannot_follow}
    for s in problem.shifts:
        end = s.start_minute + s.minutes
        for later in problem.shifts:
            for gap in (1, 2):
                if gap * 1440 + later.start_minute - end < problem.min_rest_hours * 60:
                    pairs.add((s.name, later.name, gap))
    return pairs


def _runs(working: Sequence[bool]) -> list[tuple[bool, int, int]]:
    """(working?, first day, length) of each maximal run of equal days."""
    runs, first = [], 0
    for day in range(1, len(working) + 1):
        if day == len(working) or working[day] != working[first]:
            runs.append((bool(working[first]), first, day - first))
            first = day
    return runs


def employee_violations(problem: Problem, employee: Employee, row: Sequence[str]) -> list[str]:
    """Every hard rule that one employee's row (shift names, "" off) breaks."""
    out, days, who = [], problem.days, employee.name
    lengths = {s.name: s.minutes for s in problem.shifts}
    bad = [v for v in row if v != "" and v not in lengths]
    if bad:
        return [f"{who}: unknown shift(s) {sorted(set(bad))}"]
    working = [v != "" for v in row]
    for day in problem.days_off.get(who, ()):
        if working[day]:
            out.append(f"{who}: works day {day}, a day off")
    for first, second, gap in sorted(forbidden_pairs(problem)):
        for day in range(days - gap):
            if row[day] == first and row[day + gap] == second:
                out.append(f"{who}: {first} on day {day} then {second} on day {day + gap}")
    for name, most in employee.max_shifts.items():
        count = sum(v == name for v in row)
        if count > most:
            out.append(f"{who}: {count} {name} shifts > max {most}")
    minutes = sum(lengths[v] for v in row if v)
    if minutes < employee.min_minutes or (
            employee.max_minutes is not None and minutes > employee.max_minutes):
        out.append(f"{who}: {minutes} minutes outside [{employee.min_minutes}, "
                   f"{employee.max_minutes}]")
    for is_work, first, length in _runs(working):
        inside = first > 0 and first + length < days  # touches neither end
        if is_work and employee.max_consecutive_shifts is not None and (
                length > employee.max_consecutive_shifts):
            out.append(f"{who}: {length} working days in a row from day {first}")
        if inside and is_work and length < employee.min_consecutive_shifts:
            out.append(f"{who}: only {length} working day(s) from day {first}")
        if inside and not is_work and length < employee.min_consecutive_days_off:
            out.append(f"{who}: only {length} day(s) off from day {first}")
    if employee.max_weekends is not None:
        weekday = pd.Timestamp(problem.start).weekday()
        weeks = {(weekday + d) // 7 for d in range(days) if working[d] and (weekday + d) % 7 >= 5}
        if len(weeks) > employee.max_weekends:
            out.append(f"{who}: {len(weeks)} weekends worked > max {employee.max_weekends}")
    return out


def evaluate(problem: Problem, table: pd.DataFrame) -> Evaluation:
    """Check every hard rule on ``table`` and recompute the objective, independently.

    Parameters
    ----------
    problem : Problem
        The instance.
    table : pandas.DataFrame
        One row per employee (index = names, every employee once), one column per day in
        order (``Roster.table``); a shift name or ``""`` (or NaN) for a day off.

    Returns
    -------
    Evaluation
        ``violations`` (one string per broken hard rule, empty when feasible) and the
        objective with its parts.
    """
    names = [e.name for e in problem.employees]
    if sorted(map(str, table.index)) != sorted(names) or table.shape[1] != problem.days:
        raise ValueError(f"table must have one row per employee ({len(names)}) and "
                         f"{problem.days} day columns; got shape {table.shape}")
    rows = {str(name): ["" if (isinstance(v, float) and math.isnan(v)) or v is None else str(v)
                        for v in values]
            for name, values in zip(table.index, table.to_numpy(), strict=True)}
    violations = []
    for employee in problem.employees:
        violations += employee_violations(problem, employee, rows[employee.name])
    skills = {e.name: e.skills for e in problem.employees}
    under = over = 0
    for c in problem.cover:
        count = sum(rows[n][c.day] == c.shift for n in names
                    if c.skill is None or skills[n] is None or c.skill in skills[n])
        under += max(0, c.required - count) * c.under_weight
        over += max(0, count - c.required) * c.over_weight
    refused = sum(r.weight for r in problem.requests
                  if (rows[r.employee][r.day] == r.shift) != r.wanted)
    return Evaluation(tuple(violations), under + over + refused, under, over, refused)

