"""The work of ``ccsim roster`` (private): the example's plan, the agents, the roster, the files.

Imported only when the command runs (it needs pandas, OR-Tools and openpyxl).

* :func:`read_agents`: the agents of an ``--agents`` CSV or .xlsx file (or the bank's
  A01-A28), each cell checked, a message naming the file, the row and the column;
* :func:`example_plan`: the bank example's shift plan from 1999-02-01, as ``ccsim
  schedule`` plans it;
* :func:`make_roster`, :func:`format_roster`: the roster and its printed summary;
* :func:`write_outputs`: ``roster.xlsx`` (sheets ``roster``, ``coverage``, ``hours``,
  ``penalties``, ``breaks``) and ``roster.csv``, written as one set
  (:func:`ccsim.cli._files.write_set`).
"""

from __future__ import annotations

import datetime
import math
from pathlib import Path
from typing import IO, Any

import pandas as pd

from ccsim._validation import CCSimInputError
from ccsim.roster import Agent, Roster
from ccsim.shifts import ShiftPlan

__all__ = ["AGENT_COLUMNS", "DEFAULT_CONTRACT", "example_plan", "format_roster", "make_roster",
           "read_agents", "write_outputs"]

#: First day of the example's roster (the day after its January 1999 log).
START = datetime.date(1999, 2, 1)
#: The example's opening hours [min after midnight]: 07:00-24:00.
OPENING = (420, 1440)
#: The example's service-level target: share of calls answered within this many seconds.
TARGET, WITHIN = 0.8, 20.0
#: The bank's agents (the names of the packaged log's agents).
BANK_AGENTS = tuple(f"A{i:02d}" for i in range(1, 29))
#: The contract of an agent, or of a cell left empty in --agents.
DEFAULT_CONTRACT = {"max_hours": 180.0, "min_hours": 0.0, "max_consecutive_shifts": 6,
                    "min_consecutive_days_off": 1, "max_weekends": None}
#: The columns an --agents file may have (``name`` required).
AGENT_COLUMNS = ("name", "max_hours", "min_hours", "max_consecutive_shifts",
                 "min_consecutive_days_off", "max_weekends", "days_off")
#: Rest between shifts [h] (a hard rule of every roster).
REST_HOURS = 11.0
#: Days shown in the printed table.
SHOWN_DAYS = 7
#: Lightness and saturation of the shifts' fill colours (hues spread round the wheel).
FILL_LIGHTNESS, FILL_SATURATION = 0.8, 0.7
#: Header fill of Saturdays and Sundays.
WEEKEND_FILL = "BFBFBF"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip())


def _number(value: Any, where: str, what: str, whole: bool, low: float) -> float:
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        number = math.nan
    if (not math.isfinite(number) or number < low or number > 1e6
            or (whole and number != int(number))):
        raise CCSimInputError(f"{where}: must be {what}; got {str(value)!r}")
    return int(number) if whole else number


def _read_table(path: Path) -> pd.DataFrame:
    shown = f"--agents {str(path)!r}"
    if not path.is_file():
        raise CCSimInputError(f"{shown}: no such file; give a CSV or .xlsx file of agents")
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            table = pd.read_excel(path, dtype=object)
        else:
            table = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except Exception as error:  # a file pandas cannot read: say so in one line
        raise CCSimInputError(f"{shown}: cannot be read as "
                              f"{'.xlsx' if path.suffix.lower() == '.xlsx' else 'CSV'}: "
                              f"{' '.join(str(error).split())}") from None
    table.columns = [str(c).strip() for c in table.columns]
    return table


def read_agents(path: Path | None, days: int) -> tuple[list[Agent], str]:
    """The agents to roster and a line describing them; ``None``: the bank's agents."""
    hours = DEFAULT_CONTRACT["max_hours"]
    contract = (f"at most {hours:g} h over the horizon, at most "
                f"{DEFAULT_CONTRACT['max_consecutive_shifts']} working days in a row, at least "
                f"{REST_HOURS:g} h rest between shifts")
    if path is None:
        agents = [Agent(name, max_minutes=hours * 60,
                        max_consecutive_shifts=DEFAULT_CONTRACT["max_consecutive_shifts"],
                        min_consecutive_days_off=DEFAULT_CONTRACT["min_consecutive_days_off"])
                  for name in BANK_AGENTS]
        return agents, (f"agents: the bank's {len(agents)} agents {BANK_AGENTS[0]}-"
                        f"{BANK_AGENTS[-1]}, each on the default contract: {contract}")
    shown = f"--agents {str(path)!r}"
    table = _read_table(path)
    if "name" not in table.columns:
        raise CCSimInputError(f"{shown}: no column 'name'; give one agent name per row")
    unknown = [c for c in table.columns if c not in AGENT_COLUMNS]
    if unknown:
        raise CCSimInputError(f"{shown}: unknown column {unknown[0]!r}; the columns are "
                              f"{', '.join(AGENT_COLUMNS)} (name required)")
    if table.empty:
        raise CCSimInputError(f"{shown}: no agents; give one row per agent")
    agents: list[Agent] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(table.to_dict("records")):
        row = index + 2  # the header is row 1
        where = f"{shown} row {row}"

        def cell(column: str, what: str, whole: bool, low: float, default: Any,
                 record: dict[str, Any] = record, where: str = where) -> Any:
            value = record.get(column)
            if _blank(value):
                return default
            return _number(value, f"{where}, column {column}", what, whole, low)

        name = record["name"]
        if _blank(name):
            raise CCSimInputError(f"{where}, column name: is empty; give the agent's name")
        name = str(name).strip()
        if name in seen:
            raise CCSimInputError(f"{where}, column name: {name!r} is also on row "
                                  f"{seen[name]}; give each agent a unique name")
        seen[name] = row
        max_hours = cell("max_hours", "a number of hours >= 0", False, 0,
                         DEFAULT_CONTRACT["max_hours"])
        min_hours = cell("min_hours", "a number of hours >= 0", False, 0, 0.0)
        if min_hours > max_hours:
            raise CCSimInputError(f"{where}, column min_hours: {min_hours:g} is above "
                                  f"max_hours {max_hours:g}")
        max_run = cell("max_consecutive_shifts", "a whole number of days >= 1", True, 1,
                       DEFAULT_CONTRACT["max_consecutive_shifts"])
        min_off = cell("min_consecutive_days_off", "a whole number of days >= 1", True, 1,
                       DEFAULT_CONTRACT["min_consecutive_days_off"])
        weekends = cell("max_weekends", "a whole number of weekends >= 0", True, 0, None)
        leave: list[int] = []
        value = record.get("days_off")
        if not _blank(value):
            for part in str(value).split(";"):
                day = _number(part, f"{where}, column days_off",
                              f"day numbers from 1 to {days} separated by ';'", True, 1)
                if day > days:
                    raise CCSimInputError(
                        f"{where}, column days_off: day {day} is after the roster's last day "
                        f"({days}); give day numbers from 1 to {days} separated by ';'")
                leave.append(day - 1)
        try:
            agents.append(Agent(name, min_minutes=min_hours * 60, max_minutes=max_hours * 60,
                                max_consecutive_shifts=max_run,
                                min_consecutive_days_off=min_off, max_weekends=weekends,
                                days_off=sorted(set(leave))))
        except CCSimInputError as error:
            raise CCSimInputError(f"{where}: {error}") from None
    return agents, (f"agents: {len(agents)} from {shown}; cells left empty take the default "
                    f"contract: {contract}")


def example_plan(days: int, time_limit: float) -> tuple[ShiftPlan, list[str]]:
    """The bank example's shift plan for ``days`` days from :data:`START`, and its lines."""
    from ccsim.cli import _own_data as own
    from ccsim.shifts import schedule_shifts, shift_catalogue

    data = own.example_data(WITHIN)
    inputs = own.data_inputs(data, START, days, TARGET, WITHIN, None, None, OPENING)
    templates = shift_catalogue(("07:00", "24:00"), [9, 4])
    lines = [line.replace("ccsim schedule:", "ccsim roster:", 1) for line in inputs.lines]
    lines += ["shifts: 9 h and 4 h, starting every 30 min from 07:00, open "
             "07:00-24:00 (as 'ccsim schedule' plans the example)"]
    plan = schedule_shifts(inputs.requirement, templates, time_limit_seconds=time_limit)
    end = START + datetime.timedelta(days=days - 1)
    lines.append(f"shift plan: {START} to {end}, {int(plan.counts['agents'].sum())} shifts; "
                 "the roster gives each one to an agent")
    return plan, lines


def make_roster(plan: ShiftPlan, agents: list[Agent], time_limit: float, seed: int) -> Roster:
    from ccsim.roster import roster_from_plan

    return roster_from_plan(plan, agents, time_limit_seconds=time_limit, seed=seed,
                            min_rest_hours=REST_HOURS)


def _grid(roster: Roster) -> pd.DataFrame:
    table = roster.table.copy()
    table.columns = [d.strftime("%Y-%m-%d") for d in roster.dates]
    table.index.name = "agent"
    return table


def format_roster(roster: Roster) -> str:
    """Status, objective, bound, penalties per kind and the first week's table."""
    lines = [f"roster: {roster.status}, objective {roster.objective:g}, bound "
             f"{roster.bound:g} ({len(roster.table)} agents, {len(roster.dates)} days)"]
    penalties = roster.penalties
    if penalties.empty:
        lines.append("penalties: none (every shift of the plan covered, no extra agents)")
    else:
        summary = penalties.groupby("kind")[["amount", "cost"]].sum()
        lines.append("penalties: " + "; ".join(
            f"{kind} {amount:g} (cost {cost:g})" for kind, (amount, cost) in zip(
                summary.index, summary.itertuples(index=False, name=None), strict=True)))
    shown = roster.table.iloc[:, :SHOWN_DAYS].copy()
    shown.columns = [d.strftime("%a %d") for d in roster.dates[:SHOWN_DAYS]]
    shown = shown.replace("", "-")
    lines.append("")
    lines.append(f"first {shown.shape[1]} days ('-': day off):")
    lines.append(shown.to_string())
    return "\n".join(lines)


def shift_colours(roster: Roster) -> dict[str, str]:
    """One light fill colour (``RRGGBB``) per shift of the roster, hues spread evenly."""
    import colorsys

    names = sorted({s for s in roster.table.to_numpy().ravel() if s},
                   key=lambda name: (name.split()[-1], name))  # by start time, then name
    colours = {}
    for i, name in enumerate(names):
        red, green, blue = colorsys.hls_to_rgb(i / max(len(names), 1), FILL_LIGHTNESS,
                                               FILL_SATURATION)
        colours[name] = "".join(f"{round(v * 255):02X}" for v in (red, green, blue))
    return colours


def write_workbook(roster: Roster, out: IO[Any]) -> None:
    """``roster.xlsx``: the grid coloured by shift, then coverage, hours, penalties, breaks."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, PatternFill

    from ccsim.cli._xlsx import _DAY, _sheet

    book = Workbook()
    book.remove(book.active)
    dates = [d.to_pydatetime() for d in roster.dates]
    rows = [[name, *roster.table.loc[name]] for name in roster.table.index]
    _sheet(book, "roster", ["agent", *dates], rows, [None] * (len(dates) + 1),
           header_format=_DAY, freeze="B2")
    sheet = book["roster"]
    fills = {name: PatternFill("solid", fgColor=colour)
             for name, colour in shift_colours(roster).items()}
    weekend = PatternFill("solid", fgColor=WEEKEND_FILL)
    for column, day in enumerate(dates, start=2):
        if day.weekday() >= 5:
            sheet.cell(row=1, column=column).fill = weekend
        for row in range(2, len(rows) + 2):
            cell = sheet.cell(row=row, column=column)
            cell.alignment = Alignment(horizontal="center")
            if cell.value in fills:
                cell.fill = fills[cell.value]

    def frame(title: str, table: pd.DataFrame | None, date_columns: tuple[str, ...] = ()) -> None:
        table = pd.DataFrame() if table is None else table
        formats: list[str | None] = [
            ("ddd yyyy-mm-dd" if c == "date" else "yyyy-mm-dd hh:mm") if c in date_columns
            else None for c in table.columns]
        _sheet(book, title, list(table.columns),
               [list(r) for r in table.itertuples(index=False, name=None)], formats)

    coverage = roster.coverage.copy()
    if "day" in coverage.columns:
        coverage.insert(1, "date", [roster.dates[d].to_pydatetime() for d in coverage["day"]])
    frame("coverage", coverage, ("date",))
    hours = roster.hours.copy()
    hours.insert(0, "agent", hours.index)
    frame("hours", hours.reset_index(drop=True))
    frame("penalties", roster.penalties)
    frame("breaks", roster.breaks, ("date", "start", "end"))
    book.save(out)


def write_outputs(roster: Roster, directory: Path) -> list[Path]:
    """Write roster.xlsx and roster.csv into ``directory``, one set."""
    from ccsim.cli._files import write_set

    def workbook(out: IO[Any]) -> None:
        write_workbook(roster, out)

    def table(out: IO[Any]) -> None:
        _grid(roster).to_csv(out)

    return write_set(directory, [("roster.xlsx", workbook, True), ("roster.csv", table, False)])
