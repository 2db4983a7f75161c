"""The work of ``ccsim roster`` (private): the example's plan, the roster, its summary and files.

Imported only when the command runs (it needs pandas, OR-Tools and openpyxl).

* :func:`example_demand`: the bank example's shift plan from 1999-02-01, as ``ccsim
  schedule`` plans it, as the roster's demand;
* :class:`ProgressLine`: CP-SAT's progress on stderr while it works;
* :func:`make_roster`: the roster (:func:`ccsim.roster.build_roster`) and, from a plan,
  its break slots handed out to the agents;
* :func:`format_roster`: the printed summary;
* :func:`write_outputs`: ``roster.xlsx`` (sheets :data:`SHEETS`) and ``roster.csv``,
  written as one set (:func:`ccsim.cli._files.write_set`).
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import re
import threading
import time
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

import pandas as pd

from ccsim._center.agents import REST_HOURS, forbid
from ccsim._validation import CCSimInputError
from ccsim.cli._roster_demand import Demand, plan_demand
from ccsim.roster import Agent, Roster, RosterInfeasible, RosterShift, RosterWeights, ShiftRequest

__all__ = ["SHEETS", "ProgressLine", "example_demand", "format_roster", "make_roster",
           "requests_table", "write_outputs"]

#: First day of the example's roster (the day after its January 1999 log).
START = datetime.date(1999, 2, 1)
#: The example's opening hours [min after midnight]: 07:00-24:00.
OPENING = (420, 1440)
#: The example's service-level target: share of calls answered within this many seconds.
TARGET, WITHIN = 0.8, 20.0
#: Days shown in the printed table.
SHOWN_DAYS = 7
#: Lightness and saturation of the shifts' fill colours (hues spread round the wheel).
FILL_LIGHTNESS, FILL_SATURATION = 0.8, 0.7
#: Header fill of Saturdays and Sundays, and the fill of their days off.
WEEKEND_FILL, WEEKEND_OFF_FILL = "BFBFBF", "EDEDED"
#: roster.xlsx's sheets, in order.
SHEETS = ("roster", "coverage", "hours", "penalties", "fairness", "requests", "breaks",
          "shifts")
#: Columns of the breaks sheet (``paid`` only when the plan says).
BREAK_COLUMNS = ["agent", "date", "shift", "rule", "break", "start", "end", "paid"]
#: Columns of the requests sheet.
REQUEST_COLUMNS = ["agent", "date", "shift", "wanted", "weight", "rostered", "granted", "cost"]


def example_demand(days: int, time_limit: float) -> Demand:
    """The bank example's shift plan for ``days`` days from :data:`START`, as a demand."""
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
    return plan_demand(plan, START, days, lines)


def _number_text(value: float) -> str:
    value += 0.0  # no "-0"
    return f"{value:.0f}" if math.isfinite(value) and value == round(value) else f"{value:g}"


class ProgressLine:
    """CP-SAT's progress on a stream: ``roster: objective 1234, bound 1100, 12.3 s``.

    One line per better roster, at most one per ``every_seconds`` (the last one is
    shown by :meth:`close`); on a terminal one line rewritten in place with ``\\r``.
    Called from the solver's thread: cheap, and under a lock.
    """

    def __init__(self, stream: IO[str], every_seconds: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        try:
            self.tty = bool(stream.isatty())
        except (AttributeError, ValueError, OSError):
            self.tty = False
        self.every_seconds = every_seconds
        self.clock = clock
        self.shown = 0
        self._lock = threading.Lock()
        self._last = -math.inf
        self._pending: str | None = None
        self._width = 0

    def __call__(self, objective: float, bound: float, elapsed_seconds: float) -> None:
        text = (f"roster: objective {_number_text(objective)}, bound {_number_text(bound)}, "
                f"{elapsed_seconds:.1f} s")
        with self._lock:
            now = self.clock()
            if now - self._last >= self.every_seconds:
                self._write(text)
                self._last = now
            else:
                self._pending = text

    def _write(self, text: str) -> None:
        if self.tty:
            self.stream.write("\r" + text.ljust(self._width))
            self._width = max(self._width, len(text))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
        self._pending = None
        self.shown += 1

    def close(self) -> None:
        """Show the last progress not shown yet, and end a terminal's line."""
        with self._lock:
            if self._pending is not None:
                self._write(self._pending)
            if self.tty and self._width:
                self.stream.write("\n")
                self.stream.flush()
                self._width = 0


_MINUTES = re.compile(r"\b(min|max)_minutes(_per_week)?(=| )(\d+(?:\.\d+)?)")


def in_cli_terms(message: str) -> str:
    """A library message in the command's terms: minutes as the --agents file's hours."""
    text = message.removeprefix("build_roster: ")
    text = _MINUTES.sub(lambda m: f"{m[1]}_hours{m[2] or ''} {float(m[4]) / 60:g}", text)
    text = re.sub(r"\b(min|max)_minutes\b", r"\1_hours", text)
    for word, option in (("previous", "--previous"), ("requests", "--requests"),
                         ("weights", "--split-weekend-weight/--fairness-weight")):
        text = re.sub(rf"(?<![\w-]){word}(?= must|:|\[)", option, text)
    return text


def make_roster(demand: Demand, agents: Sequence[Agent], *, previous: pd.DataFrame | None,
                extra: Sequence[RosterShift], requests: Sequence[ShiftRequest],
                weights: RosterWeights, time_limit: float, seed: int,
                progress: Callable[[float, float, float], None] | None) -> Roster:
    """The roster of ``agents`` against ``demand``; a plan's break slots handed out.

    ``extra``: shift types of the previous days only (no cover, at most 0 per agent).
    """
    from ccsim.roster import build_roster

    shifts = (*demand.shifts, *extra)
    try:
        roster = build_roster(forbid(agents, extra), shifts, demand.cover, demand.days,
                              demand.start.isoformat(), list(requests) or None,
                              time_limit_seconds=time_limit, seed=seed,
                              min_rest_hours=REST_HOURS, previous=previous, weights=weights,
                              progress=progress)
    except RosterInfeasible as error:
        raise RosterInfeasible("no roster: the agents' rules conflict: "
                               + in_cli_terms(str(error)).removeprefix(
                                   "no roster satisfies the hard rules: "),
                               [in_cli_terms(r) for r in error.reasons]) from None
    except CCSimInputError as error:
        raise CCSimInputError(in_cli_terms(str(error))) from None
    if demand.breaks is None:
        return roster
    from ccsim._roster.from_plan import assign_breaks

    breaks = assign_breaks(types.SimpleNamespace(breaks=demand.breaks), roster.table,
                           roster.dates, shifts)
    if not demand.paid_known:
        breaks = breaks.drop(columns="paid")
    return dataclasses.replace(roster, breaks=breaks)


def requests_table(roster: Roster, requests: Sequence[ShiftRequest]) -> pd.DataFrame:
    """Each request: agent, date, shift (``""``: any), wanted, weight, the shift rostered
    that day (``""``: off), granted (yes/no) and its cost."""
    rows = []
    for request in requests:
        rostered = roster.table.loc[request.agent, request.day]
        given = rostered != "" if request.shift is None else rostered == request.shift
        granted = bool(given) == request.wanted
        rows.append({"agent": request.agent, "date": roster.dates[request.day],
                     "shift": request.shift or "", "wanted": "yes" if request.wanted else "no",
                     "weight": request.weight, "rostered": rostered,
                     "granted": "yes" if granted else "no",
                     "cost": 0 if granted else request.weight})
    return pd.DataFrame(rows, columns=REQUEST_COLUMNS)


def weights_text(weights: RosterWeights) -> str:
    """The fairness weights, in words."""
    return (f"fairness: {weights.split_weekend:g} per weekend worked on one day only "
            f"(--split-weekend-weight); {weights.weekend_spread:g} per unit of spread (most - "
            "fewest among agents of one contract) of weekends, nights and late shifts "
            "(--fairness-weight)")


def format_roster(roster: Roster, requests: pd.DataFrame) -> str:
    """Status, objective, bound, penalties per kind, fairness, requests, the first week."""
    lines = [f"roster: {roster.status}, objective {roster.objective:g}, bound "
             f"{roster.bound + 0.0:g} ({len(roster.table)} agents, {len(roster.dates)} days)"]
    penalties = roster.penalties
    if penalties.empty:
        lines.append("penalties: none (every shift covered, no extra agents)")
    else:
        summary = penalties.groupby("kind", sort=False)[["amount", "cost"]].sum()
        lines.append("penalties: " + "; ".join(
            f"{kind} {amount:g} (cost {cost:g})" for kind, (amount, cost) in zip(
                summary.index, summary.itertuples(index=False, name=None), strict=True)))
    fairness = roster.fairness
    for contract, rows in fairness.groupby("contract", sort=False):
        label = f"contract {contract!r}" if contract else "all agents"
        lines.append(f"fairness, {label} ({int(rows['agents'].iloc[0])}): " + ", ".join(
            f"{m} {lo}-{hi}" for m, lo, hi in zip(rows["measure"], rows["fewest"],
                                                  rows["most"], strict=True))
            + " per agent")
    if len(requests):
        refused = requests[requests["granted"] == "no"]
        lines.append(f"requests: {len(requests)}, {len(requests) - len(refused)} granted, "
                     f"{len(refused)} refused (cost {int(refused['cost'].sum())})")
    shown = roster.table.iloc[:, :SHOWN_DAYS].copy()
    shown.columns = [d.strftime("%a %d") for d in roster.dates[:SHOWN_DAYS]]
    shown = shown.replace("", "-")
    lines.append("")
    lines.append(f"first {shown.shape[1]} days ('-': day off):")
    lines.append(shown.to_string())
    return "\n".join(lines)


def shift_colours(shifts: Sequence[RosterShift]) -> dict[str, str]:
    """One light fill colour (``RRGGBB``) per shift, hues spread evenly in the given order."""
    import colorsys

    colours = {}
    for i, shift in enumerate(shifts):
        red, green, blue = colorsys.hls_to_rgb(i / max(len(shifts), 1), FILL_LIGHTNESS,
                                               FILL_SATURATION)
        colours[shift.name] = "".join(f"{round(v * 255):02X}" for v in (red, green, blue))
    return colours


def _grid(roster: Roster) -> pd.DataFrame:
    table = roster.table.copy()
    table.columns = [d.strftime("%Y-%m-%d") for d in roster.dates]
    table.index.name = "agent"
    return table


def _plain(table: pd.DataFrame) -> pd.DataFrame:
    """Missing values (NaN, NA, NaT) as None: empty cells."""
    return table.astype(object).where(table.notna(), None)


def _roster_sheet(book: Any, roster: Roster, colours: dict[str, str]) -> None:
    from openpyxl.styles import Alignment, PatternFill

    from ccsim.cli._xlsx import _DAY, _sheet

    dates = [d.to_pydatetime() for d in roster.dates]
    rows = [[name, *roster.table.loc[name]] for name in roster.table.index]
    _sheet(book, "roster", ["agent", *dates], rows, [None] * (len(dates) + 1),
           header_format=_DAY, freeze="B2")
    sheet = book["roster"]
    fills = {name: PatternFill("solid", fgColor=colour) for name, colour in colours.items()}
    weekend = PatternFill("solid", fgColor=WEEKEND_FILL)
    weekend_off = PatternFill("solid", fgColor=WEEKEND_OFF_FILL)
    for column, day in enumerate(dates, start=2):
        if day.weekday() >= 5:
            sheet.cell(row=1, column=column).fill = weekend
        for row in range(2, len(rows) + 2):
            cell = sheet.cell(row=row, column=column)
            cell.alignment = Alignment(horizontal="center")
            if cell.value in fills:
                cell.fill = fills[cell.value]
            elif day.weekday() >= 5:
                cell.fill = weekend_off


def write_workbook(roster: Roster, shifts: Sequence[RosterShift], requests: pd.DataFrame,
                   out: IO[Any]) -> None:
    """``roster.xlsx``: the grid coloured by shift, then the sheets of :data:`SHEETS`."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    from ccsim.cli._xlsx import _sheet

    book = Workbook()
    book.remove(book.active)
    colours = shift_colours(shifts)
    _roster_sheet(book, roster, colours)

    def date_of(day: Any) -> Any:
        if day is None or pd.isna(day):
            return None
        return (roster.dates[0] + pd.Timedelta(days=int(day))).to_pydatetime()

    def frame(title: str, table: pd.DataFrame, date_columns: tuple[str, ...] = ()) -> None:
        formats: list[str | None] = [
            ("ddd yyyy-mm-dd" if c == "date" else "yyyy-mm-dd hh:mm") if c in date_columns
            else None for c in table.columns]
        _sheet(book, title, list(table.columns),
               [list(r) for r in _plain(table).itertuples(index=False, name=None)], formats)

    coverage = roster.coverage.copy()
    coverage.insert(1, "date", [date_of(d) for d in coverage["day"]])
    frame("coverage", coverage, ("date",))
    hours = roster.hours.copy()
    hours.insert(0, "agent", hours.index)
    hours.insert(3, "hours", hours["minutes"] / 60.0)
    frame("hours", hours.reset_index(drop=True))
    penalties = roster.penalties.copy()
    penalties.insert(3, "date", [date_of(d) for d in penalties["day"]])
    frame("penalties", penalties, ("date",))
    frame("fairness", roster.fairness)
    frame("requests", requests, ("date",))
    breaks = roster.breaks if roster.breaks is not None else pd.DataFrame(
        columns=BREAK_COLUMNS[:-1])
    frame("breaks", breaks, ("date", "start", "end"))
    used = roster.table.stack()
    counts = used[used != ""].value_counts()
    table = pd.DataFrame(
        {"shift": [s.name for s in shifts], "start": [s.start for s in shifts],
         "end": [f"{(s.start_minute + int(s.minutes)) // 60 % 24:02d}:"
                 f"{(s.start_minute + int(s.minutes)) % 60:02d}" for s in shifts],
         "minutes": [s.minutes for s in shifts],
         "assigned": [int(counts.get(s.name, 0)) for s in shifts]})
    frame("shifts", table)
    legend = book["shifts"]
    for row, shift in enumerate(shifts, start=2):
        legend.cell(row=row, column=1).fill = PatternFill("solid", fgColor=colours[shift.name])
    book.save(out)


def write_outputs(roster: Roster, shifts: Sequence[RosterShift], requests: pd.DataFrame,
                  directory: Path) -> list[Path]:
    """Write roster.xlsx and roster.csv into ``directory``, one set."""
    from ccsim.cli._files import write_set

    def workbook(out: IO[Any]) -> None:
        write_workbook(roster, shifts, requests, out)

    def table(out: IO[Any]) -> None:
        _grid(roster).to_csv(out)

    return write_set(directory, [("roster.xlsx", workbook, True), ("roster.csv", table, False)])
