"""``ccsim roster``: its options, and the run that prints the roster and writes the files.

At import this module needs only the standard library (the options); the work is
imported when the command runs: :mod:`ccsim.cli._roster_demand` (what is rostered
against: the bank example's shift plan, a ``--plan`` shifts.csv or a ``--cover`` file),
:mod:`ccsim._center.agents` (``--agents``, ``--previous``, ``--requests``) and
:mod:`ccsim.cli._roster_work` (the roster, its summary, the output files). Every input
file is read and checked before anything is computed (for the bank example, the shift
names in ``--previous`` and ``--requests`` once its plan is made).

What is rostered, without ``--plan`` or ``--cover``: the built-in bank example's shift
plan (its January 1999 log, forecast for ``--days`` days from 1999-02-01, 80 % of calls
answered within 20 s, open 07:00-24:00, 9-hour and 4-hour shifts), for the bank's
agents A01-A28 on the default contract, or for the agents of ``--agents``.
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
from pathlib import Path

from ccsim.cli._options import bounded, whole_number

__all__ = ["MAX_DAYS", "OUTPUT_FILES", "add", "parse_month", "run"]

#: The files written to --output, as one set.
OUTPUT_FILES = ("roster.xlsx", "roster.csv")
#: Longest --days: a quarter.
MAX_DAYS = 92
#: Largest --time-limit [s]: a day.
MAX_TIME_LIMIT_SECONDS = 86_400.0
#: Default --days of the example.
EXAMPLE_DAYS = 28
#: Largest --split-weekend-weight and --fairness-weight.
MAX_WEIGHT = 1_000_000

_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)

EPILOG = """\
examples:
  ccsim roster
  ccsim roster --days 7 --agents team.csv
  ccsim schedule --output plan && ccsim roster --plan plan/shifts.csv --agents team.csv
  ccsim roster --cover cover.csv --month 2027-02 --agents team.csv --previous jan/roster.xlsx

--plan FILE: the shifts.csv of 'ccsim schedule'. A plan of several groups (from
--group-by type) is rostered by skill: each group's template is a shift type "template
[group]" that only agents with the group among their skills work; or roster one group
with --group NAME and that group's agents. Its templates are the shift types, its
agents per date and template the cover (an agent missing costs 100, one too many 1); the
horizon is the plan's dates, or --month (days without shifts need 0 agents); its break
slots go to the agents on each shift.

--cover FILE --month YYYY-MM: a CSV (or .xlsx), one row per date and shift: date
(YYYY-MM-DD, in the month), shift (a name), start (HH:MM), minutes (or end HH:MM),
required (agents), and optional skill (only agents with it count), under_weight
(default 100 per agent missing) and over_weight (default 1 per agent too many). A
shift has one start and length; a date and shift the file does not list needs 0.

--agents FILE: CSV or .xlsx, one row per agent, column name (required) and optional
columns max_hours, min_hours (over the horizon), max_hours_per_week,
min_hours_per_week (calendar weeks Monday-Sunday; the minimum only for weeks wholly
inside the horizon), max_consecutive_shifts, min_consecutive_shifts,
min_consecutive_days_off, max_weekends, days_off (day numbers of the roster, 1 = its
first day, or dates YYYY-MM-DD, separated by ';'), contract (a label: fairness
compares agents of one contract), skills (names separated by ';'; empty: every
skill). An empty cell or a missing column takes the default contract (max_hours 180,
max_consecutive_shifts 6, min_consecutive_days_off 1, no weekly limits, no weekend
limit, no leave, every skill); at least 11 h rest between shifts always.

--previous FILE: the roster.xlsx (sheet 'roster') or roster.csv of an earlier run
whose days end the day before this roster's first day: rest, runs of days, weekends
and weekly hours continue from it (agents not in it: history unknown).

--requests FILE: CSV (or .xlsx), one row per request: agent, date (YYYY-MM-DD), and
optional shift (empty: any shift), wanted (yes/no, true/false, 1/0; default yes; 'no'
with an empty shift asks for the day off) and weight (the cost of refusing it,
default 1).

Writes roster.xlsx (sheets roster: agents x days, one colour per shift, weekends
grey; coverage, hours, penalties, fairness, requests, breaks, shifts) and roster.csv
(the grid) to --output as one set. While the solver works, its progress goes to
stderr: 'roster: objective N, bound N, S s'.

exit status: 0 done, 2 bad input, 1 no roster (the agents' rules conflict: the
reasons are printed) or a file that cannot be written, 130 interrupted"""


def parse_month(text: str) -> datetime.date:
    """Read a month "2027-02" as its first day.

    >>> parse_month("2027-02")
    datetime.date(2027, 2, 1)
    """
    match = _MONTH.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError(text)
        return datetime.date(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a month YYYY-MM such as 2027-02; got {text!r}") from None


def add(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "roster", help="monthly roster of named agents for a shift plan or a cover file",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Give each shift to a named agent, so that every agent's contract holds\n"
        "(hours over the horizon and per week, working days in a row, days off, weekends,\n"
        "leave, at least 11 h rest between shifts) and as few shifts as possible are left\n"
        "uncovered or over-covered, weekends split and work spread unevenly. Against a\n"
        "shift plan (--plan, the shifts.csv of 'ccsim schedule'), a cover file (--cover\n"
        "with --month), or by default the built-in bank example's plan for --days days\n"
        "from 1999-02-01 (as 'ccsim schedule' plans it) with the bank's agents A01-A28.\n"
        "Prints the roster's status, penalties, fairness and first week; writes\n"
        "roster.xlsx and roster.csv to --output as one set.",
        epilog=EPILOG)
    source = p.add_argument_group("what to roster against (at most one; none: the bank "
                                  "example)")
    given = source.add_mutually_exclusive_group()
    given.add_argument("--plan", type=Path, metavar="FILE",
                       help="the shifts.csv written by 'ccsim schedule'")
    given.add_argument("--cover", type=Path, metavar="FILE",
                       help="agents required per date and shift (CSV; needs --month)")
    source.add_argument("--group", metavar="NAME",
                        help="with --plan of several groups: roster only this group "
                             "(default: all, by skill)")
    source.add_argument("--month", type=parse_month, metavar="YYYY-MM",
                        help="the month to roster (needed with --cover; with --plan, "
                        "default: the plan's dates)")
    source.add_argument("--days", type=whole_number(
        f"a whole number of days from 1 to {MAX_DAYS}", 1, MAX_DAYS), metavar="N",
                        help=f"the example only: days to roster from 1999-02-01 (default: "
                        f"{EXAMPLE_DAYS})")
    p.add_argument("--agents", type=Path, metavar="FILE",
                   help="CSV or .xlsx of the agents and their contracts (default: the "
                   "bank's agents A01-A28 on the default contract)")
    p.add_argument("--previous", type=Path, metavar="FILE",
                   help="roster.xlsx or roster.csv of the roster just before: its last days "
                   "carry rest, runs, weekends and weekly hours over")
    p.add_argument("--requests", type=Path, metavar="FILE",
                   help="CSV of the agents' requests (agent, date, shift, wanted, weight)")
    weight = whole_number(f"a whole number from 0 to {MAX_WEIGHT}", 0, MAX_WEIGHT)
    p.add_argument("--split-weekend-weight", type=weight, default=0, metavar="N",
                   help="cost of a weekend worked on one day only (default: 0, off; an "
                   "agent missing from a shift costs 100, one too many 1; e.g. 10: the "
                   "solver may add a shift or two to pair weekends, and needs minutes, "
                   "not seconds, for the bank's month)")
    p.add_argument("--fairness-weight", type=weight, default=0, metavar="N",
                   help="cost per unit of spread (most - fewest among the agents of one "
                   "contract) of weekends worked, night shifts and late shifts (default: "
                   "0, off; e.g. 5)")
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


def _check_combination(args: argparse.Namespace) -> None:
    from ccsim import CCSimInputError

    if args.month is not None and args.plan is None and args.cover is None:
        raise CCSimInputError(f"--month {args.month:%Y-%m} needs --plan or --cover (the "
                              "built-in example rosters February 1999 from its own plan: "
                              "use --days to shorten it)")
    if args.cover is not None and args.month is None:
        raise CCSimInputError(f"--cover {str(args.cover)!r} needs --month YYYY-MM, the month "
                              "its dates are in")
    if args.days is not None and (args.plan is not None or args.cover is not None):
        option = "--plan" if args.plan is not None else "--cover"
        raise CCSimInputError(f"--days {args.days} is for the built-in example; with {option} "
                              "the horizon is " + ("the plan's dates or --month" if
                                                   args.plan is not None else "--month"))
    if args.group is not None and args.plan is None:
        raise CCSimInputError(f"--group {args.group!r} picks a group of a --plan file; give "
                              "--plan, or drop --group")


def run(args: argparse.Namespace) -> int:
    from ccsim.cli._files import check_output

    _check_combination(args)
    for given in (args.agents, args.plan, args.cover, args.previous, args.requests):
        check_output(args.output, OUTPUT_FILES, protect=given)

    from ccsim._center import agents as inputs
    from ccsim.cli import _roster_demand as demands
    from ccsim.cli import _roster_work as work
    from ccsim.roster import RosterWeights

    demand = None
    if args.plan is not None:
        demand = demands.read_plan(args.plan, args.group, args.month)
    elif args.cover is not None:
        demand = demands.read_cover(args.cover, args.month)
    start, days = ((demand.start, demand.days) if demand is not None
                   else (work.START, args.days or EXAMPLE_DAYS))
    agents, agents_line = inputs.read_agents(args.agents, start, days)
    previous = None if args.previous is None else inputs.read_previous(args.previous, start)
    wishes = ([] if args.requests is None else
              inputs.read_requests(args.requests, agents, start, days))
    if demand is None:
        demand = work.example_demand(days, args.time_limit)
    requests = inputs.bind_requests(wishes, demand.shifts, start)
    extra: tuple = ()
    lines = [*demand.lines, agents_line]
    if previous is not None:
        extra, line = inputs.bind_previous(previous, demand.shifts, agents)
        lines.append(line)
    if requests:
        lines.append(f"requests: {len(requests)} from --requests {str(args.requests)!r}")
    weights = RosterWeights(split_weekend=args.split_weekend_weight,
                            weekend_spread=args.fairness_weight,
                            night_spread=args.fairness_weight, late_spread=args.fairness_weight)
    lines.append(work.weights_text(weights))
    print("\n".join(lines))
    print(flush=True)
    progress = work.ProgressLine(sys.stderr)
    try:
        roster = work.make_roster(demand, agents,
                                  previous=None if previous is None else previous.table,
                                  extra=extra, requests=requests, weights=weights,
                                  time_limit=args.time_limit, seed=args.seed, progress=progress)
    finally:
        progress.close()
    table = work.requests_table(roster, requests)
    print(work.format_roster(roster, table))
    paths = work.write_outputs(roster, demand.shifts, table, args.output)
    print()
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0
