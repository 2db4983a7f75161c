"""The work of ``ccsim plan`` (private): the example's scenario, the plan, the files.

Imported only when the command runs (it needs pandas, SimPy, SciPy, OR-Tools,
matplotlib and openpyxl).
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path
from typing import IO, Any

import pandas as pd

from ccsim.planning import PlanResult, Target
from ccsim.roster import Agent
from ccsim.simulation import Scenario

__all__ = ["example_scenario", "format_plan", "make_plan", "read_agents", "write_outputs"]

#: The example's first day (the day after its January 1999 log).
START = datetime.date(1999, 2, 1)
#: Opening hours [min after midnight]: 07:00-24:00, as 'ccsim schedule' plans the example.
OPENING = (420, 1440)
#: The target: 80 % of the calls of every half-hour answered within 20 s.
TARGET = Target(service_level=0.8, answer_within_seconds=20.0)
#: Shift lengths [h] of the example's catalogue.
SHIFT_HOURS = (9, 4)
#: Rest between shifts in the roster [h].
REST_HOURS = 11.0


def read_agents(path: Path | None, days: int) -> tuple[list[Agent], str]:
    """The agents to roster (the bank's, or an --agents file) and a line about them."""
    from ccsim.cli._roster_inputs import read_agents as read

    return read(path, START, days)


def example_scenario(days: int) -> tuple[Scenario, list[str]]:
    """The bank example as one pooled queue, staffed by the Erlang A requirement."""
    from ccsim.cli import _own_data as own
    from ccsim.simulation import AgentGroup, CallType

    data = own.example_data(TARGET.answer_within_seconds)
    inputs = own.data_inputs(data, START, days, TARGET.service_level,
                             TARGET.answer_within_seconds, None, None, OPENING)
    lines = [line.replace("ccsim schedule:", "ccsim plan:", 1) for line in inputs.lines]
    start = pd.Timestamp(START)
    calls = inputs.calls.astype(float)
    requirement = inputs.requirement.round().astype(int)
    scenario = Scenario(
        [CallType("calls", arrivals=calls, aht_seconds=inputs.aht_seconds,
                  patience_seconds=inputs.patience_seconds)],
        [AgentGroup("agents", ["calls"], agents=requirement)],
        horizon_hours=24 * days, answer_within_seconds=TARGET.answer_within_seconds,
        interval_minutes=30, start=start)
    lines.append(f"simulation: every call type in one queue, AHT {inputs.aht_seconds:.0f} s, "
                 f"patience {inputs.patience_seconds:.0f} s (exponential), starting from the "
                 f"Erlang A requirement ({int(requirement.sum())} agent-half-hours)")
    return scenario, lines


def make_plan(scenario: Scenario, agents: list[Agent], args: argparse.Namespace) -> PlanResult:
    from ccsim.planning import plan
    from ccsim.shifts import shift_catalogue

    def progress(line: str) -> None:
        print(f"  {line}", flush=True)

    templates = shift_catalogue(("07:00", "24:00"), list(SHIFT_HOURS))
    print(f"staffing by simulation ({args.replications} replications, seed {args.seed}), then "
          f"shift plans ({', '.join(f'{h} h' for h in SHIFT_HOURS)}, starting every 30 min) "
          f"simulated as worked:", flush=True)
    return plan(scenario, templates, TARGET, agents=agents, replications=args.replications,
                seed=args.seed, max_rounds=args.max_rounds,
                schedule_options={"time_limit_seconds": args.time_limit},
                roster_options={"time_limit_seconds": args.time_limit, "seed": args.seed,
                                "min_rest_hours": REST_HOURS},
                progress=progress)


def format_plan(result: PlanResult) -> str:
    """The outcome, the rounds and the days."""
    judged = result.report.dropna(subset=["met"])
    judged = judged[judged["offered"] > 0]
    met = int(judged["met"].astype(bool).sum())
    lines = [f"plan: {result.status} ({met} of {len(judged)} half-hours with calls meet "
             f"80 % within 20 s in the simulation of the roster as worked), "
             f"{float(result.shift_plan.paid_hours):g} paid hours, "
             f"{int(result.shift_plan.counts['agents'].sum())} shifts, "
             f"{len(result.roster.table) if result.roster is not None else 0} agents rostered",
             f"staffing by simulation: {result.staffing.status}, "
             f"{int(result.staffing.agents.to_numpy().sum())} agent-half-hours "
             f"({int(result.staffing.iterations['simulations'].iloc[-1])} simulations)",
             "", "rounds:"]
    rounds = result.iterations.copy()
    lines.append(rounds.to_string(index=False, float_format=lambda v: f"{v:g}"))
    daily = result.daily.assign(date=lambda d: pd.DatetimeIndex(d["date"]).strftime(
        "%a %Y-%m-%d"))
    lines += ["", "days (simulated):",
              daily[["date", "offered", "service_level", "met"]].to_string(
                  index=False, float_format=lambda v: f"{v:.3f}")]
    return "\n".join(lines)


#: Columns written as percentages in plan.xlsx.
SHARES = ("service_level", "service_level_ci", "p_abandon", "p_abandon_ci", "target")


def write_workbook(result: PlanResult, out: IO[Any]) -> None:
    """plan.xlsx for team leads: the roster grid coloured by shift (weekends marked), then
    the report, days, rounds and shifts with widths, dates and percentages formatted."""
    from openpyxl import Workbook

    from ccsim.cli._roster_work import _plain, _roster_sheet, shift_colours
    from ccsim.cli._xlsx import _DAY, _SHARE, _STAMP, _sheet

    book = Workbook()
    book.remove(book.active)
    if result.roster is not None:
        _roster_sheet(book, result.roster, shift_colours(result.roster.shifts))
    sheets = result.sheets()
    sheets.pop("roster", None)
    for title, table in sheets.items():
        formats = []
        for column in table.columns:
            if pd.api.types.is_datetime64_any_dtype(table[column]):
                formats.append(_DAY if column == "date" else _STAMP)
            elif column in SHARES:
                formats.append(_SHARE)
            else:
                formats.append(None)
        _sheet(book, title, [str(c) for c in table.columns],
               [list(r) for r in _plain(table).itertuples(index=False, name=None)], formats)
    book.save(out)


def write_outputs(result: PlanResult, directory: Path) -> list[Path]:
    """plan.xlsx, plan.png and roster.csv into ``directory``, one set."""
    from ccsim.cli._files import write_set

    def workbook(out: IO[Any]) -> None:
        write_workbook(result, out)

    def figure(out: IO[Any]) -> None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        ax = result.plot()
        ax.set_title("ccsim plan: the bank example, simulated as worked")
        ax.figure.tight_layout()
        ax.figure.savefig(out, format="png", dpi=90)
        plt.close(ax.figure)

    def roster(out: IO[Any]) -> None:
        table = result.roster.table.copy()
        table.columns = [d.strftime("%Y-%m-%d") for d in result.roster.dates]
        table.index.name = "agent"
        table.to_csv(out)

    return write_set(directory, [("plan.xlsx", workbook, True), ("plan.png", figure, True),
                                 ("roster.csv", roster, False)])
