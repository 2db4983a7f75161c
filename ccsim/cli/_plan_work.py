"""The work of ``ccsim plan`` (private): the example's or a center file's scenario, the
plan, the files.

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

__all__ = ["center_inputs", "example_scenario", "format_plan", "make_center_plan", "make_plan",
           "read_agents", "write_outputs"]

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
    from ccsim._center.agents import read_agents as read

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


def center_inputs(center: Any, args: argparse.Namespace) -> tuple[list[Agent], list[str]]:
    """The agents to roster (``--agents`` or the file's) and the lines saying what is planned."""
    from ccsim._center.sections import unknown_skill
    from ccsim._validation import CCSimInputError

    if args.agents is not None:
        agents, line = read_agents_of(args.agents, center.start, center.days)
        bad = unknown_skill(agents, [g.name for g in center.groups])
        if bad:
            raise CCSimInputError(f"--agents {str(args.agents)!r}: {bad}")
    elif center.agents is not None:
        agents = center.agents
        line = f"agents: {len(agents)} from {str(center.agents_file)!r}"
    else:
        raise CCSimInputError(f"--center {str(center.path)!r} names no agents file (its "
                              "`agents` key) and no --agents is given: 'ccsim plan' rosters "
                              "named agents; give one of them")
    first = center.grid[0]
    lines = [f"ccsim plan: {center.name} ({center.path}): {center.days} day(s) from "
             f"{first:%a %Y-%m-%d}, {center.interval_minutes}-minute intervals, open "
             f"{center.opening_text}"]
    for spec in center.call_types:
        target = center.targets[spec.name]
        arrivals = (f"{spec.arrivals_per_hour:g} calls/h" if spec.arrivals_per_hour is not None
                    else f"{spec.calls_per_interval.sum():.0f} calls from "
                    f"{str(spec.arrivals_file)!r}")
        lines.append(f"call type {spec.name}: {arrivals}, AHT {spec.aht_seconds:g} s, "
                     + (f"patience {spec.patience_seconds:g} s, " if spec.patience_seconds
                        is not None else "")
                     + f"target {target.service_level * 100:g} % within "
                     f"{target.answer_within_seconds:g} s"
                     + ("" if target.max_abandon_rate is None else
                        f", at most {target.max_abandon_rate * 100:g} % abandoned")
                     + ("".join(f", overflow to {g} after {t:g} s"
                                for g, t in spec.overflow.items())))
    for spec in center.groups:
        start = (f"{spec.agents} agents" if spec.agents is not None else
                 f"agents per interval from {str(spec.agents_file)!r}")
        templates = center.templates[spec.name]
        lines.append(f"group {spec.name}: skills {', '.join(spec.skills)}; starting from "
                     f"{start}; cost {spec.cost:g} per agent-interval; {len(templates)} shift "
                     f"templates")
    lines.append(f"routing: {center.agent_selection} (an arriving call), "
                 f"{center.call_selection} (a freed agent)"
                 + ("" if center.lines is None else f"; {center.lines} lines"))
    return agents, lines + [line]


def read_agents_of(path: Path, start: datetime.date, days: int) -> tuple[list[Agent], str]:
    from ccsim._center.agents import read_agents as read

    return read(path, start, days)


def make_center_plan(center: Any, agents: list[Agent], args: argparse.Namespace
                     ) -> PlanResult:
    """The center's plan: staffing by simulation, shift plans per group, the roster."""
    from ccsim.planning import plan

    def progress(line: str) -> None:
        print(f"  {line}", flush=True)

    options = center.plan_options
    replications = options.replications if args.replications is None else args.replications
    seed = options.seed if args.seed is None else args.seed
    rounds = options.max_rounds if args.max_rounds is None else args.max_rounds
    limit = options.time_limit_seconds if args.time_limit is None else args.time_limit
    scenario = center.scenario(stationary=False)
    names = [g.name for g in center.groups]
    templates = (center.templates[names[0]] if len(names) == 1 else dict(center.templates))
    print(f"staffing by simulation ({replications} replications, seed {seed}, judged per "
          f"{options.per} at {options.confidence:g} confidence), then shift plans per group "
          f"simulated as worked (at most {rounds} rounds), then the roster of "
          f"{len(agents)} agents, simulated:", flush=True)
    return plan(scenario, templates, dict(center.targets), agents=agents, costs=center.costs,
                per=options.per, replications=replications, seed=seed,
                confidence=options.confidence, max_rounds=rounds,
                schedule_options={"time_limit_seconds": limit},
                roster_options={"time_limit_seconds": limit, "seed": seed,
                                "min_rest_hours": options.min_rest_hours},
                progress=progress)


def format_plan(result: PlanResult, target: str = "80 % within 20 s",
                judged: str = "half-hours", interval: str = "half-hour") -> str:
    """The outcome, the rounds and the days (``judged``: what a report row is)."""
    rows = result.report.dropna(subset=["met"])
    rows = rows[rows["offered"] > 0]
    met = int(rows["met"].astype(bool).sum())
    lines = [f"plan: {result.status} ({met} of {len(rows)} {judged} with calls meet "
             f"{target} in the simulation of the roster as worked), "
             f"{float(result.shift_plan.paid_hours):g} paid hours, "
             f"{int(result.shift_plan.counts['agents'].sum())} shifts, "
             f"{len(result.roster.table) if result.roster is not None else 0} agents rostered",
             f"staffing by simulation: {result.staffing.status}, "
             f"{int(result.staffing.agents.to_numpy().sum())} agent-{interval}s "
             f"({int(result.staffing.iterations['simulations'].iloc[-1])} simulations)",
             "", "rounds:"]
    rounds = result.iterations.copy()
    lines.append(rounds.to_string(index=False, float_format=lambda v: f"{v:g}"))
    daily = result.daily.assign(date=lambda d: pd.DatetimeIndex(d["date"]).strftime(
        "%a %Y-%m-%d"))
    columns = ["date"] + (["call_type"] if daily["call_type"].nunique() > 1 else []) + [
        "offered", "service_level", "met"]
    lines += ["", "days (simulated):",
              daily[columns].to_string(index=False, float_format=lambda v: f"{v:.3f}")]
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


def write_outputs(result: PlanResult, directory: Path,
                  title: str = "ccsim plan: the bank example, simulated as worked"
                  ) -> list[Path]:
    """plan.xlsx, plan.png and roster.csv into ``directory``, one set."""
    from ccsim.cli._files import write_set

    def workbook(out: IO[Any]) -> None:
        write_workbook(result, out)

    def figure(out: IO[Any]) -> None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        ax = result.plot()
        ax.set_title(title)
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
