"""``ccsim roster``: its options, and the run that prints the roster and writes the files.

At import this module needs only the standard library (the options); the work
(:mod:`ccsim.cli._roster_work`: the bank example's shift plan, the roster, the output
files) is imported when the command runs. ``--output`` and ``--agents`` are checked
before the roster is computed.

What is rostered: the built-in bank example's shift plan (its January 1999 log, forecast
for ``--days`` days from 1999-02-01, 80 % of calls answered within 20 s, open
07:00-24:00, 9-hour and 4-hour shifts), for the bank's agents A01-A28 on the default
contract, or for the agents of ``--agents``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ccsim.cli._options import bounded, whole_number

__all__ = ["MAX_DAYS", "OUTPUT_FILES", "add", "run"]

#: The files written to --output, as one set.
OUTPUT_FILES = ("roster.xlsx", "roster.csv")
#: Longest --days: a quarter.
MAX_DAYS = 92
#: Largest --time-limit [s]: a day.
MAX_TIME_LIMIT_SECONDS = 86_400.0


def add(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "roster", help="monthly roster of named agents for the bank example's shift plan",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Plan the built-in bank example's shifts for --days days from 1999-02-01\n"
        "(as 'ccsim schedule' does: 80 % of calls answered within 20 s, open 07:00-24:00,\n"
        "9-hour and 4-hour shifts), then give each shift of the plan to a named agent:\n"
        "the bank's agents A01-A28 on the default contract (at most 180 h over the\n"
        "horizon, at most 6 working days in a row, at least 11 h rest between shifts),\n"
        "or the agents of --agents. Prints the roster's status, penalties and first\n"
        "week; writes roster.xlsx and roster.csv to --output as one set.",
        epilog="examples:\n  ccsim roster\n  ccsim roster --days 7 --agents team.csv\n\n"
        "an --agents file: CSV or .xlsx, one row per agent, column name (required) and\n"
        "optional columns max_hours, min_hours, max_consecutive_shifts,\n"
        "min_consecutive_days_off, max_weekends, days_off (day numbers of the roster,\n"
        "1 = its first day, separated by ';'); an empty cell or a missing column takes\n"
        "the default contract (max_hours 180, max_consecutive_shifts 6,\n"
        "min_consecutive_days_off 1, no minimum, no weekend limit, no leave).\n\n"
        "exit status: 0 done, 2 bad input, 1 no roster (the agents' rules conflict) or a\n"
        "file that cannot be written, 130 interrupted")
    p.add_argument("--agents", type=Path, metavar="FILE",
                   help="CSV or .xlsx of the agents and their contracts (default: the "
                   "bank's agents A01-A28 on the default contract)")
    p.add_argument("--days", type=whole_number(f"a whole number of days from 1 to {MAX_DAYS}",
                                               1, MAX_DAYS), default=28, metavar="N",
                   help="days to roster from 1999-02-01 (default: 28)")
    p.add_argument("--seed", type=whole_number("a whole number from 0 to 2147483647", 0,
                                               2**31 - 1), default=0, metavar="N",
                   help="the solver's random seed (default: 0); the same seed gives the same "
                   "roster")
    p.add_argument("--time-limit", type=bounded(
        f"a number of seconds above 0 and at most {MAX_TIME_LIMIT_SECONDS:g}", 0.0,
        MAX_TIME_LIMIT_SECONDS, False), default=300.0, metavar="SECONDS",
                   help="safety cap on each solver's time [s] (default: 300)")
    p.add_argument("--output", type=Path, default=Path("ccsim-output"), metavar="DIR",
                   help="directory for roster.xlsx and roster.csv, created if missing "
                   "(default: ./ccsim-output)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ccsim.cli._files import check_output

    check_output(args.output, OUTPUT_FILES, protect=args.agents)

    from ccsim.cli import _roster_work as work

    agents, contract = work.read_agents(args.agents, args.days)
    plan, lines = work.example_plan(args.days, args.time_limit)
    for line in lines:
        print(line)
    print(contract)
    print(flush=True)
    roster = work.make_roster(plan, agents, args.time_limit, args.seed)
    print(work.format_roster(roster))
    paths = work.write_outputs(roster, args.output)
    print()
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0
