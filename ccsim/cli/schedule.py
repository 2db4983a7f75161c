"""``ccsim schedule``: its options, and the run that prints the plan and writes the files.

At import this module needs only the standard library (the options); the work
(:mod:`ccsim.cli._schedule_work`: forecast, requirement, shift plan, output files) is
imported when the command runs.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from ccsim.cli._options import UsageError, parse_share, parse_target, positive, whole_number

__all__ = ["add", "run"]


def add(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "schedule", help="shift plan with breaks for a week of the bank example (or a CSV)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Plan shifts with lunches and breaks at least paid time. Without\n"
        "--requirement, the built-in bank example runs: a week's forecast from its\n"
        "January 1999 call log, every call type pooled into one queue, agents per\n"
        "half-hour (Erlang A with the AHT and patience measured from the log), then\n"
        "9-hour (8 paid) and 4-hour shifts starting every 30 min in opening hours.\n"
        "Prints the plan and its coverage; writes coverage.png, coverage.csv and\n"
        "shifts.csv to --output.",
        epilog="examples:\n  ccsim schedule\n  ccsim schedule --daily-target\n"
        "  ccsim schedule --requirement need.csv --open 06:00-22:00 --lengths 8,6,4")
    p.add_argument("--requirement", type=Path, metavar="CSV",
                   help="agents needed on the phones per interval: a CSV with columns "
                   "interval_start and agents (call_type optional, summed)")
    p.add_argument("--start", default="1999-02-01", metavar="DATE",
                   help="first day of the example's forecast (default: 1999-02-01)")
    p.add_argument("--days", type=whole_number("a whole number of days from 1 to 28", 1, 28),
                   default=7, help="days to forecast and plan (default: 7)")
    p.add_argument("--target", type=parse_target, default=(0.8, 20.0), metavar="PERCENT/SECONDS",
                   help="service-level target for the example (default: 80/20)")
    p.add_argument("--aht", type=positive("a number of seconds > 0"), metavar="SECONDS",
                   help="average handle time [s] (default: measured from the log)")
    p.add_argument("--patience", type=_patience, default="measured", metavar="SECONDS",
                   help="mean caller patience [s] for Erlang A, or 'none' for Erlang C "
                   "(default: measured from the log)")
    p.add_argument("--open", type=_opening, metavar="HH:MM-HH:MM",
                   help="opening hours: shifts start and end inside them (default: 07:00-24:00 "
                   "for the example; from the requirement's busy hours for a CSV)")
    p.add_argument("--lengths", type=_lengths, default=[9.0, 4.0], metavar="HOURS",
                   help="shift lengths [h], breaks included (default: 9,4; breaks by "
                   "length: 15-min breaks, and a 30- or 60-min unpaid lunch from 6 h)")
    p.add_argument("--every", type=whole_number("a whole number of minutes from 15 to 240",
                                                 15, 240),
                   metavar="MINUTES", help="spacing of start times [min] (default: 30, or "
                   "the requirement's interval if longer)")
    p.add_argument("--daily-target", action="store_true",
                   help="meet the target over each day's calls instead of in every interval, "
                   "and report the paid hours saved")
    p.add_argument("--seats", type=whole_number("a whole number of seats >= 1", 1, None),
                   metavar="N", help="most agents on shift at once")
    p.add_argument("--penalty", type=positive("a cost per agent-hour > 0"), metavar="COST",
                   help="allow under-staffing at this cost per agent-hour short [cost/h]")
    p.add_argument("--time-limit", type=positive("a number of seconds > 0"), default=30.0,
                   metavar="SECONDS", help="solver time budget [s] (default: 30)")
    p.add_argument("--gap", type=parse_share, default=0.005, metavar="SHARE",
                   help="relative gap to the lower bound that is good enough, 0.5%% or 0.005 "
                   "(default: 0.5%%)")
    p.add_argument("--workers", type=whole_number("a whole number of processes >= 1", 1, None),
                   default=1, metavar="N",
                   help="processes solving independent days in parallel (default: 1)")
    p.add_argument("--output", type=Path, default=Path("ccsim-output"), metavar="DIR",
                   help="directory for coverage.png, coverage.csv and shifts.csv "
                   "(default: ./ccsim-output)")
    p.set_defaults(run=run)


def _patience(text: str) -> float | None:
    """Seconds; ``inf`` for 'none' (Erlang C); None for 'measured' (from the call log)."""
    word = text.strip().lower()
    if word == "measured":
        return None
    if word in ("none", "inf"):
        return math.inf
    return positive("a number of seconds > 0, 'none' for Erlang C, or 'measured'")(text)


def _opening(text: str) -> tuple[int, int]:
    from ccsim.cli._schedule_work import parse_opening

    try:
        return parse_opening(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be opening hours HH:MM-HH:MM such as 07:00-24:00; got {text!r}") from None


def _lengths(text: str) -> list[float]:
    valid = "shift lengths in hours such as 9,4 (each above 0 and at most 24)"
    try:
        values = [float(item) for item in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {valid}; got {text!r}") from None
    if not values or any(not 0 < v <= 24 for v in values):
        raise argparse.ArgumentTypeError(f"must be {valid}; got {text!r}")
    return values


def run(args: argparse.Namespace) -> int:
    from ccsim.cli import _schedule_work as work

    target, within = args.target
    try:
        if args.requirement is not None:
            if not args.requirement.is_file():
                raise work.ScheduleError(
                    f"--requirement {str(args.requirement)!r} is not a file")
            inputs = work.requirement_from_csv(args.requirement)
            opening = args.open or work.opening_of(inputs.requirement)
        else:
            opening = args.open or (420, 1440)
            import pandas as pd

            try:
                start = pd.Timestamp(args.start).normalize()
            except ValueError:
                raise work.ScheduleError(
                    f"--start must be a date such as 1999-02-01; got {args.start!r}") from None
            erlang_c = args.patience == math.inf
            inputs = work.example_inputs(str(start.date()), args.days, target, within,
                                         args.aht, None if erlang_c else args.patience,
                                         not erlang_c, opening)
        every = args.every or max(30, work.interval_minutes(inputs.requirement))
        templates = work.build_templates(opening, args.lengths, every)
        for line in inputs.lines:
            print(line)
        print(work.requirement_line(inputs.requirement))
        print(work.describe_catalogue(templates, args.lengths, every))
        print()
        plan = work.schedule(inputs, templates, daily_target=args.daily_target, target=target,
                             within=within, seats=args.seats, penalty=args.penalty,
                             time_limit=args.time_limit, gap=args.gap, workers=args.workers)
        print(work.format_plan(plan, args.daily_target))
        paths = work.write_outputs(plan, args.output, args.requirement)
    except work.ScheduleError as error:
        raise UsageError(f"ccsim schedule: error: {error}") from None
    print()
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0
