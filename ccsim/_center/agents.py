"""Who is rostered, and what they bring (private): agents files, ``--previous``, ``--requests``.

* :func:`read_agents`: the agents of an ``--agents`` CSV or .xlsx file, or the bank's
  A01-A28 on the default contract;
* :func:`read_previous`: the grid of an earlier run's ``roster.csv`` or ``roster.xlsx``
  (its days before the new horizon), and :func:`bind_previous` matching its shift names
  with the new roster's;
* :func:`read_requests` and :func:`bind_requests`: the agents' wishes.

Every cell is checked (:mod:`ccsim._center.tables`); a message names the option, the
file, the line (or row), the column, the value and what is valid.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ccsim._center.tables import Table, as_date, blank, is_workbook, read_table, shown
from ccsim._validation import CCSimInputError
from ccsim.roster import Agent, RosterShift, ShiftRequest

__all__ = ["AGENT_COLUMNS", "DEFAULT_CONTRACT", "Previous", "RequestRow", "bind_previous",
           "bind_requests", "read_agents", "read_previous", "read_requests"]

#: The bank's agents (the names of the packaged log's agents).
BANK_AGENTS = tuple(f"A{i:02d}" for i in range(1, 29))
#: The contract of an agent, or of a cell left empty in --agents.
DEFAULT_CONTRACT = {"max_hours": 180.0, "min_hours": 0.0, "max_consecutive_shifts": 6,
                    "min_consecutive_days_off": 1, "max_weekends": None}
#: The columns an --agents file may have (``name`` required).
AGENT_COLUMNS = ("name", "max_hours", "min_hours", "max_hours_per_week", "min_hours_per_week",
                 "max_consecutive_shifts", "min_consecutive_shifts",
                 "min_consecutive_days_off", "max_weekends", "days_off", "contract", "skills")
#: Rest between shifts [h] (a hard rule of every roster).
REST_HOURS = 11.0
#: The most days of --previous that count (as ccsim.roster: runs, weeks and rest need fewer).
PREVIOUS_DAYS = 62
#: Largest hours a cell takes (a year's hours is 8,784).
MAX_HOURS = 100_000.0
#: Largest count of days or weekends a cell takes.
MAX_COUNT = 100_000


def contract_text() -> str:
    """The default contract, in words."""
    return (f"at most {DEFAULT_CONTRACT['max_hours']:g} h over the horizon, at most "
            f"{DEFAULT_CONTRACT['max_consecutive_shifts']} working days in a row, at least "
            f"{REST_HOURS:g} h rest between shifts")


def _days_off(table: Table, number: int, value: Any, start: datetime.date, days: int
              ) -> list[int]:
    last = start + datetime.timedelta(days=days - 1)
    what = (f"day numbers from 1 to {days} (1 = {start}) or dates from {start} to {last}, "
            "separated by ';'")
    parts = [value] if not isinstance(value, str) else [p for p in value.split(";")
                                                        if p.strip()]
    leave = []
    for part in parts:
        day = as_date(part)
        if day is not None:
            if not start <= day <= last:
                raise table.error(number, "days_off", f"{day} is outside the roster ({start} "
                                  f"to {last}); give {what}")
            leave.append((day - start).days)
            continue
        offset = table.number(number, {"days_off": part}, "days_off", what, whole=True,
                              low=1, high=MAX_COUNT)
        if offset > days:
            raise table.error(number, "days_off", f"day {offset} is after the roster's last "
                              f"day ({days}); give {what}")
        leave.append(offset - 1)
    return sorted(set(leave))


def _agent(table: Table, number: int, record: dict[str, Any], start: datetime.date,
           days: int) -> Agent:
    def hours(column: str, default: float | None) -> float | None:
        return table.number(number, record, column, "a number of hours >= 0",
                            high=MAX_HOURS, default=default) if column in record else default

    def count(column: str, low: int, what: str, default: int | None) -> int | None:
        return table.number(number, record, column, f"a whole number of {what} >= {low}",
                            whole=True, low=low, high=MAX_COUNT,
                            default=default) if column in record else default

    name = table.text(number, record, "name")
    max_hours = hours("max_hours", DEFAULT_CONTRACT["max_hours"])
    min_hours = hours("min_hours", 0.0)
    if min_hours > max_hours:
        raise table.error(number, "min_hours", f"{min_hours:g} is above max_hours "
                          f"{max_hours:g}")
    week_max = hours("max_hours_per_week", None)
    week_min = hours("min_hours_per_week", 0.0)
    if week_max is not None and week_min > week_max:
        raise table.error(number, "min_hours_per_week", f"{week_min:g} is above "
                          f"max_hours_per_week {week_max:g}")
    max_run = count("max_consecutive_shifts", 1, "days",
                    DEFAULT_CONTRACT["max_consecutive_shifts"])
    min_run = count("min_consecutive_shifts", 1, "days", 1)
    if max_run is not None and min_run > max_run:
        raise table.error(number, "min_consecutive_shifts", f"{min_run} is above "
                          f"max_consecutive_shifts {max_run}")
    min_off = count("min_consecutive_days_off", 1, "days",
                    DEFAULT_CONTRACT["min_consecutive_days_off"])
    weekends = count("max_weekends", 0, "weekends", None)
    value = record.get("days_off")
    leave = [] if blank(value) else _days_off(table, number, value, start, days)
    skills = None
    if not blank(record.get("skills")):
        skills = [s.strip() for s in str(record["skills"]).split(";") if s.strip()]
        if len(set(skills)) != len(skills):
            raise table.error(number, "skills", f"names a skill twice: "
                              f"{shown(record['skills'])}; give skill names separated by ';'")
    contract = table.text(number, record, "contract", "") if "contract" in record else ""
    try:
        return Agent(name, min_minutes=min_hours * 60, max_minutes=max_hours * 60,
                     max_consecutive_shifts=max_run, min_consecutive_shifts=min_run,
                     min_consecutive_days_off=min_off, max_weekends=weekends,
                     days_off=leave, skills=skills, min_minutes_per_week=week_min * 60,
                     max_minutes_per_week=None if week_max is None else week_max * 60,
                     contract=contract)
    except CCSimInputError as error:
        raise table.error(number, None, str(error)) from None


def read_agents(path: Path | None, start: datetime.date, days: int
                ) -> tuple[list[Agent], str]:
    """The agents to roster and a line describing them; ``None``: the bank's agents."""
    if path is None:
        agents = [Agent(name, max_minutes=DEFAULT_CONTRACT["max_hours"] * 60,
                        max_consecutive_shifts=DEFAULT_CONTRACT["max_consecutive_shifts"],
                        min_consecutive_days_off=DEFAULT_CONTRACT["min_consecutive_days_off"])
                  for name in BANK_AGENTS]
        return agents, (f"agents: the bank's {len(agents)} agents {BANK_AGENTS[0]}-"
                        f"{BANK_AGENTS[-1]}, each on the default contract: {contract_text()}")
    table = read_table("--agents", path, "a CSV or .xlsx file of agents")
    table.check_columns(("name",), AGENT_COLUMNS[1:], "agent")
    agents: list[Agent] = []
    seen: dict[str, int] = {}
    for number, record in table.records:
        agent = _agent(table, number, record, start, days)
        if agent.name in seen:
            raise table.error(number, "name", f"{agent.name!r} is also on {table.unit} "
                              f"{seen[agent.name]}; give each agent a unique name")
        seen[agent.name] = number
        agents.append(agent)
    contracts = sorted({a.contract for a in agents if a.contract})
    return agents, (f"agents: {len(agents)} from {table.shown}"
                    + (f" on contracts {', '.join(contracts)}" if contracts else "")
                    + f"; cells left empty take the default contract: {contract_text()}")


# ------------------------------------------------------------------ --previous


@dataclass(frozen=True)
class Previous:
    """The last days of an earlier roster: its grid and what it says about its shifts.

    Attributes
    ----------
    table : pandas.DataFrame
        Index: agent names; columns: the consecutive dates (Timestamps) ending the day
        before the new roster's start (at most :data:`PREVIOUS_DAYS`); values: shift names,
        ``""`` for a day off.
    shifts : dict of str to RosterShift
        The shift types of a ``roster.xlsx`` (its ``shifts`` sheet); empty for a CSV.
    cells : dict of str to str
        Per shift name, where it first appears (for messages).
    line : str
        What was read, for the printed summary.
    """

    table: pd.DataFrame
    shifts: dict[str, RosterShift]
    cells: dict[str, str]
    line: str


def _previous_shifts(path: Path) -> dict[str, RosterShift]:
    """The ``shifts`` sheet of an earlier roster.xlsx (name, start, minutes), if it has one."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        if "shifts" not in book.sheetnames:
            return {}
    finally:
        book.close()
    table = read_table("--previous", path, "roster.xlsx", sheet="shifts")
    table.check_columns(("shift", "start", "minutes"), ("end", "assigned"), "shift")
    shifts = {}
    for number, record in table.records:
        start = table.clock(number, record, "start")
        minutes = table.number(number, record, "minutes", "minutes in (0, 1440]", low=1e-9,
                               high=1440)
        name = table.text(number, record, "shift")
        shifts[name] = RosterShift(name, f"{start // 60:02d}:{start % 60:02d}", minutes)
    return shifts


def read_previous(path: Path, start: datetime.date) -> Previous:
    """The days of an earlier ``roster.csv`` or ``roster.xlsx`` before ``start``.

    Its dates must be consecutive and include the day before ``start``.
    """
    workbook = is_workbook(path)
    table = read_table("--previous", path, "the roster.csv or roster.xlsx of an earlier "
                       "'ccsim roster' run", sheet="roster" if workbook else None)
    if not table.columns or table.columns[0] != "agent":
        raise CCSimInputError(f"{table.shown}: its first column must be 'agent' (then one "
                              "column per date), as ccsim roster writes roster.csv; got "
                              f"{shown(table.columns[0]) if table.columns else 'none'}")
    dates = []
    for column in table.columns[1:]:
        day = as_date(column)
        if day is None or (len(dates) and day != dates[-1] + datetime.timedelta(days=1)):
            raise CCSimInputError(
                f"{table.shown}: column {column!r} must be the date "
                + (f"{dates[-1] + datetime.timedelta(days=1)} (the columns are consecutive "
                   "days)" if dates else "YYYY-MM-DD of the roster's first day"))
        dates.append(day)
    before = start - datetime.timedelta(days=1)
    if not dates or dates[0] > before or dates[-1] < before:
        span = f"runs from {dates[0]} to {dates[-1]}" if dates else "has no dates"
        raise CCSimInputError(f"{table.shown}: {span}, which does not reach the day before "
                              f"the roster's first day ({before}); give the roster that ends "
                              f"on {before}")
    keep = [i for i, day in enumerate(dates) if day <= before][-PREVIOUS_DAYS:]
    rows, cells, seen = {}, {}, {}
    for number, record in table.records:
        name = table.text(number, record, "agent")
        if name in seen:
            raise table.error(number, "agent", f"{name!r} is also on {table.unit} "
                              f"{seen[name]}; give each agent once")
        seen[name] = number
        values = []
        for i in keep:
            column = table.columns[i + 1]
            value = table.text(number, record, column, "")
            values.append(value)
            if value:
                cells.setdefault(value, table.where(number, column))
        rows[name] = values
    frame = pd.DataFrame.from_dict(rows, orient="index", dtype=object,
                                   columns=pd.DatetimeIndex([dates[i] for i in keep]))
    shifts = _previous_shifts(path) if workbook else {}
    line = (f"previous: the last {len(keep)} days ({dates[keep[0]]} to {before}) of "
            f"{len(rows)} agents from {table.shown}")
    return Previous(table=frame, shifts=shifts, cells=cells, line=line)


def bind_previous(previous: Previous, shifts: Sequence[RosterShift], agents: Sequence[Agent]
                  ) -> tuple[tuple[RosterShift, ...], str]:
    """The shift types the previous days name that the new roster lacks, and a line.

    Such a shift (known from a roster.xlsx's ``shifts`` sheet) joins the roster's shift
    types with no cover and at most 0 shifts per agent: only its times matter, for the
    rest after it. A shift the new roster also has must have the same times.
    """
    known = {shift.name: shift for shift in shifts}
    extra = []
    for name, where in previous.cells.items():
        given = previous.shifts.get(name)
        if name in known:
            if given is not None and (given.start, given.minutes) != (known[name].start,
                                                                      known[name].minutes):
                raise CCSimInputError(
                    f"{where}: shift {name!r} ran from {given.start} for {given.minutes:g} min "
                    f"there (its 'shifts' sheet) but from {known[name].start} for "
                    f"{known[name].minutes:g} min now; rename one of them")
            continue
        if given is None:
            raise CCSimInputError(
                f"{where}: {name!r} is not a shift of this roster (its shifts: "
                f"{', '.join(known)}) and the file does not give its times; give the earlier "
                "run's roster.xlsx (its 'shifts' sheet has them), or '' for a day off")
        extra.append(given)
    names = {agent.name for agent in agents}
    unknown = len(names - set(previous.table.index))
    line = previous.line + (f"; {unknown} of the {len(names)} agents are not in it (their "
                            "history is unknown)" if unknown else "")
    return tuple(extra), line


def forbid(agents: Sequence[Agent], extra: Sequence[RosterShift]) -> list[Agent]:
    """The agents with at most 0 shifts of each of ``extra`` (shift types of the past only)."""
    if not extra:
        return list(agents)
    return [dataclasses.replace(agent, max_shifts={**agent.max_shifts,
                                                   **{shift.name: 0 for shift in extra}})
            for agent in agents]


# ------------------------------------------------------------------ --requests

REQUEST_REQUIRED = ("agent", "date")
REQUEST_OPTIONAL = ("shift", "wanted", "weight")
MAX_WEIGHT = 10**9


@dataclass(frozen=True)
class RequestRow:
    """One row of ``--requests``, checked but for its shift name (known after the plan)."""

    where: str
    agent: str
    date: datetime.date
    shift: str | None
    wanted: bool
    weight: int


def read_requests(path: Path, agents: Sequence[Agent], start: datetime.date, days: int
                  ) -> list[RequestRow]:
    """The rows of a ``--requests`` file: agent, date, shift (empty: any), wanted, weight."""
    table = read_table("--requests", path, "a CSV of the agents' requests")
    table.check_columns(REQUEST_REQUIRED, REQUEST_OPTIONAL, "request")
    names = [agent.name for agent in agents]
    last = start + datetime.timedelta(days=days - 1)
    rows = []
    for number, record in table.records:
        agent = table.text(number, record, "agent")
        if agent not in names:
            shown_names = ", ".join(names[:10]) + (", ..." if len(names) > 10 else "")
            raise table.error(number, "agent", f"{agent!r} is not an agent of the roster "
                              f"({shown_names})")
        date = table.date(number, record, "date", f"a day YYYY-MM-DD of the roster, {start} "
                          f"to {last}", start, last)
        shift = table.text(number, record, "shift", "") or None if "shift" in record else None
        wanted = table.flag(number, record, "wanted", True) if "wanted" in record else True
        weight = table.number(number, record, "weight", f"a whole number from 0 to "
                              f"{MAX_WEIGHT}", whole=True, high=MAX_WEIGHT,
                              default=1) if "weight" in record else 1
        rows.append(RequestRow(table.where(number), agent, date, shift, wanted, weight))
    return rows


def bind_requests(rows: Sequence[RequestRow], shifts: Sequence[RosterShift],
                  start: datetime.date) -> list[ShiftRequest]:
    """The requests of ``rows``, each shift name checked against the roster's shifts."""
    names = [shift.name for shift in shifts]
    requests = []
    for row in rows:
        if row.shift is not None and row.shift not in names:
            raise CCSimInputError(f"{row.where}, column shift: {row.shift!r} is not a shift of "
                                  f"the roster ({', '.join(names)}); leave it empty for any "
                                  "shift")
        requests.append(ShiftRequest(row.agent, (row.date - start).days, row.shift, row.wanted,
                                     row.weight))
    return requests
