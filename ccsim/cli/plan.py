"""``ccsim plan``: the bank example planned end to end and checked by simulation.

At import this module needs only the standard library (the options); the work
(:mod:`ccsim.cli._plan_work`) is imported when the command runs. ``--output`` and
``--agents`` are checked before anything is computed.

What is planned: the built-in bank example (its January 1999 log, forecast for
``--days`` days from 1999-02-01, every call type pooled into one queue with the log's
mean handle time and patience, open 07:00-24:00): agents per half-hour by simulation
(80 % answered within 20 s in every half-hour, one-sided 95 % bound), 9-hour and
4-hour shifts against them, the plan simulated as it will be worked and corrected
where it misses, and the roster of the bank's agents A01-A28 (or ``--agents``).

With ``--center FILE`` the same job is done for the planner's own center, as its
center file (:mod:`ccsim.center`) states it: its call types (arrivals per interval or
flat), groups, routing, targets, shift templates per group and agents; ``--agents``,
``--replications``, ``--seed``, ``--max-rounds`` and ``--time-limit`` override the
file's ``agents`` and ``[plan]``; its ``days`` set the horizon (``--days`` is refused).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ccsim.cli._options import bounded, whole_number

__all__ = ["MAX_DAYS", "OUTPUT_FILES", "add", "run"]

#: The files written to --output, as one set.
OUTPUT_FILES = ("plan.xlsx", "plan.png", "roster.csv")
#: Longest --days: four weeks.
MAX_DAYS = 28
#: Largest --time-limit [s]: a day.
MAX_TIME_LIMIT_SECONDS = 86_400.0
#: The built-in example's defaults (a center file states its own in [plan]).
DEFAULTS = {"days": 7, "replications": 20, "max_rounds": 6, "seed": 0, "time_limit": 300.0}


def add(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "plan", help="plan the bank example end to end: staffing by simulation, shifts, "
        "roster, checked by simulation",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Plan the built-in bank example for --days days from 1999-02-01:\n"
        "forecast the calls from its January 1999 log (every call type pooled in one\n"
        "queue), find agents per half-hour that answer 80 % of calls within 20 s in every\n"
        "half-hour when the floor is simulated, plan 9-hour and 4-hour shifts (07:00-24:00)\n"
        "against them, simulate the plan as it will be worked (breaks included) and raise\n"
        "it where it still misses, then roster the bank's agents A01-A28 (or --agents) and\n"
        "simulate the roster. Prints each stage; writes plan.xlsx (report per interval,\n"
        "daily, iterations, shifts, roster), plan.png and roster.csv to --output.",
        epilog="examples:\n  ccsim plan\n  ccsim plan --days 3 --replications 10\n"
        "  ccsim plan --center examples/center/center.toml\n\n"
        "--center FILE plans your own center as its center file (TOML) states it: call\n"
        "types, groups and skills, routing, targets, shift templates, the agents file and\n"
        "[plan] options (see the README's 'Your own center' and ccsim.center).\n\n"
        "the --agents file is the one of 'ccsim roster' (see 'ccsim roster --help').\n\n"
        "exit status: 0 done, 2 bad input, 1 no plan or roster, or a file that cannot be "
        "written, 130 interrupted")
    p.add_argument("--days", type=whole_number(f"a whole number of days from 1 to {MAX_DAYS}",
                                               1, MAX_DAYS), metavar="N",
                   help="days to plan from 1999-02-01 (default: 7; not with --center)")
    p.add_argument("--agents", type=Path, metavar="FILE",
                   help="CSV or .xlsx of the agents to roster (default: the bank's A01-A28)")
    p.add_argument("--replications", type=whole_number("a whole number from 2 to 1000", 2,
                                                       1000), metavar="N",
                   help="simulated replications per evaluation (default: 20, or the center "
                   "file's)")
    p.add_argument("--max-rounds", type=whole_number("a whole number from 1 to 20", 1, 20),
                   metavar="N",
                   help="most shift plans solved while correcting by simulation (default: 6, "
                   "or the center file's)")
    p.add_argument("--seed", type=whole_number("a whole number from 0 to 2147483647", 0,
                                               2**31 - 1), metavar="N",
                   help="the simulations' and the roster's seed (default: 0, or the center "
                   "file's)")
    p.add_argument("--time-limit", type=bounded(
        f"a number of seconds above 0 and at most {MAX_TIME_LIMIT_SECONDS:g}", 0.0,
        MAX_TIME_LIMIT_SECONDS, False), metavar="SECONDS",
                   help="safety cap on each solver's time [s] (default: 300, or the center "
                   "file's)")
    p.add_argument("--center", type=Path, metavar="FILE",
                   help="plan this center file (TOML) instead of the bank example")
    p.add_argument("--output", type=Path, default=Path("ccsim-output"), metavar="DIR",
                   help="directory for plan.xlsx, plan.png and roster.csv, created if "
                   "missing (default: ./ccsim-output)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ccsim.cli._files import check_output

    check_output(args.output, OUTPUT_FILES, protect=args.agents)
    if args.center is not None:
        return _run_center(args)
    for name, value in DEFAULTS.items():
        if getattr(args, name) is None:
            setattr(args, name, value)

    from ccsim.cli import _plan_work as work

    agents, line = work.read_agents(args.agents, args.days)
    scenario, lines = work.example_scenario(args.days)
    for text in lines + [line]:
        print(text)
    print(flush=True)
    result = work.make_plan(scenario, agents, args)
    print()
    print(work.format_plan(result))
    paths = work.write_outputs(result, args.output)
    print()
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0


def _run_center(args: argparse.Namespace) -> int:
    """``ccsim plan --center FILE``: the center file's floor planned end to end."""
    from ccsim._validation import CCSimInputError

    if args.days is not None:
        raise CCSimInputError("--days is not taken with --center: the center file's `days` "
                              "sets the horizon")
    from ccsim.cli import _plan_work as work
    from ccsim.cli._files import check_output
    from ccsim.cli._whatif_sim import read

    center = read(args.center)
    if center.days > MAX_DAYS:
        raise CCSimInputError(f"--center {str(center.path)!r}: days = {center.days}: 'ccsim "
                              f"plan' plans at most {MAX_DAYS} days; give days <= {MAX_DAYS}")
    for path in (args.center, center.agents_file):
        if path is not None:
            check_output(args.output, OUTPUT_FILES, protect=path)
    agents, lines = work.center_inputs(center, args)
    for text in lines:
        print(text)
    print(flush=True)
    result = work.make_center_plan(center, agents, args)
    print()
    print(work.format_plan(result, target="their call type's target",
                           judged="intervals x call types", interval="interval"))
    paths = work.write_outputs(result, args.output,
                               title=f"ccsim plan: {center.name}, simulated as worked")
    print()
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0
