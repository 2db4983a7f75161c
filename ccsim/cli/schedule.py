"""``ccsim schedule``: its options, and the run that prints the plan and writes the files.

At import this module needs only the standard library (the options); the work
(:mod:`ccsim.cli._schedule_work`: forecast, requirement, shift plan, output files) is
imported when the command runs. Every option is checked, and ``--output`` too, before
the plan is computed; a message names the option, the value and what is valid.

The built-in example forecasts from the bank's January 1999 call log
(:data:`EXAMPLE_LOG_DAYS`), so its ``--start`` must fall after the log, and its last
day within :data:`EXAMPLE_HORIZON_DAYS` days of the log's end (1999-02-01 to
2000-01-31): a level and a trend fitted to four weeks say nothing about a later year.
"""

from __future__ import annotations

import argparse
import datetime
import math
from pathlib import Path

from ccsim._shifts.pool import MAX_WORKERS, interruptible_pool
from ccsim._validation import CCSimError, CCSimInputError
from ccsim.cli._files import check_output
from ccsim.cli._options import (
    MAX_AGENTS,
    MAX_SECONDS,
    bounded,
    parse_date,
    parse_gap,
    parse_opening,
    parse_target,
    whole_number,
)

__all__ = ["EXAMPLE_HORIZON_DAYS", "EXAMPLE_LOG_DAYS", "add", "run"]

#: First and last day of the example's call log (:func:`ccsim.io.load_example_calls`).
EXAMPLE_LOG_DAYS = (datetime.date(1999, 1, 1), datetime.date(1999, 1, 31))
#: Days after the log's last day that the example's forecast may reach.
EXAMPLE_HORIZON_DAYS = 365
DEFAULT_START, DEFAULT_DAYS, DEFAULT_TARGET = datetime.date(1999, 2, 1), 7, (0.8, 20.0)
#: The files written to --output, as one set.
OUTPUT_FILES = ("coverage.png", "coverage.csv", "shifts.csv")
#: Most shift lengths one --lengths may list (each makes a template per start time).
MAX_LENGTHS = 8
#: Longest handle time [s] the example accepts: an hour is no longer a call.
MAX_AHT_SECONDS = 3600.0
#: Largest --time-limit [s]: a day; a monthly batch that needs more is mis-specified.
MAX_TIME_LIMIT_SECONDS = 86_400.0
#: Largest --penalty [cost per agent-hour short]: far above the cost of an hour paid (1),
#: where coverage is already as hard as without a penalty; larger values upset the solver.
MAX_PENALTY = 1e6


def add(subparsers: argparse._SubParsersAction) -> None:
    first, last = EXAMPLE_LOG_DAYS
    latest = last + datetime.timedelta(days=EXAMPLE_HORIZON_DAYS)
    p = subparsers.add_parser(
        "schedule", help="shift plan with breaks for a week of the bank example (or a CSV)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Plan shifts with lunches and breaks at least paid time. Without\n"
        "--requirement, the built-in bank example runs: a week's forecast from its\n"
        "January 1999 call log, every call type pooled into one queue, agents per\n"
        "half-hour (Erlang A with the AHT and patience measured from the log), then\n"
        "9-hour (8 paid) and 4-hour shifts starting every 30 min in opening hours.\n"
        "Prints the plan and its coverage; writes coverage.png, coverage.csv and\n"
        "shifts.csv to --output as one set (each to a hidden temporary file first, then\n"
        "all renamed: a reader sees the old set or the new one, never a mix).",
        epilog="examples:\n  ccsim schedule\n  ccsim schedule --daily-target\n"
        "  ccsim schedule --requirement need.csv --open 06:00-22:00 --lengths 8,6,4\n\n"
        "a --requirement CSV: UTF-8, columns interval_start (local times YYYY-MM-DD HH:MM,\n"
        "no time-zone offset) and agents (>= 0), call_type optional (summed); 15-, 30- or\n"
        "60-min intervals on the clock's grid, at most 31 days; intervals missing between\n"
        "the first and last row count as 0 agents.\n\n"
        "exit status: 0 done, 2 bad input, 1 no plan (e.g. within --time-limit) or a file\n"
        "that cannot be written, 130 interrupted (Ctrl-C; worker processes are stopped)")
    p.add_argument("--requirement", type=Path, metavar="CSV",
                   help="agents needed on the phones per interval: a CSV with columns "
                   "interval_start and agents (call_type optional, summed)")
    p.add_argument("--start", type=parse_date, metavar="DATE",
                   help=f"first day of the example's forecast: from {last + datetime.timedelta(1)}"
                   f" (after its {first:%B %Y} log), its last day by {latest} (default: "
                   f"{DEFAULT_START})")
    p.add_argument("--days", type=whole_number("a whole number of days from 1 to 28", 1, 28),
                   help=f"days to forecast and plan (default: {DEFAULT_DAYS})")
    p.add_argument("--target", type=parse_target, metavar="PERCENT/SECONDS",
                   help="service-level target for the example (default: 80/20)")
    p.add_argument("--aht", type=_aht, metavar="SECONDS",
                   help="average handle time [s] (default: measured from the log)")
    p.add_argument("--patience", type=_patience, metavar="SECONDS",
                   help="mean caller patience [s] for Erlang A, or 'none' for Erlang C "
                   "(default: measured from the log)")
    p.add_argument("--open", type=parse_opening, metavar="HH:MM-HH:MM",
                   help="opening hours: shifts start and end inside them (default: 07:00-24:00 "
                   "for the example; from the requirement's busy hours for a CSV)")
    p.add_argument("--lengths", type=_lengths, default=[9.0, 4.0], metavar="HOURS",
                   help="shift lengths [h], breaks included (default: 9,4; breaks by "
                   "length: 15-min breaks, and a 30- or 60-min unpaid lunch from 6 h)")
    p.add_argument("--every", type=whole_number("a whole number of minutes from 15 to 240",
                                                 15, 240),
                   metavar="MINUTES", help="spacing of start times [min], a multiple of the "
                   "requirement's interval (default: 30, or the requirement's interval if longer)")
    p.add_argument("--daily-target", action="store_true",
                   help="meet the target over each day's calls instead of in every interval, "
                   "and report the paid hours saved (the example only)")
    p.add_argument("--seats", type=whole_number(f"a whole number of seats from 1 to {MAX_AGENTS}",
                                                1, MAX_AGENTS),
                   metavar="N", help="most agents on shift at once")
    p.add_argument("--penalty", type=bounded(f"a cost per agent-hour above 0 and at most "
                                             f"{MAX_PENALTY:g}", 0.0, MAX_PENALTY, False),
                   metavar="COST",
                   help="allow under-staffing at this cost per agent-hour short [cost/h]")
    p.add_argument("--time-limit", type=bounded(
        f"a number of seconds above 0 and at most {MAX_TIME_LIMIT_SECONDS:g}", 0.0,
        MAX_TIME_LIMIT_SECONDS, False), default=30.0,
                   metavar="SECONDS", help="solver time budget [s] (default: 30)")
    p.add_argument("--gap", type=parse_gap, default=0.005, metavar="SHARE",
                   help="relative gap to the lower bound that is good enough, 0.5%% or 0.005 "
                   "(default: 0.5%%)")
    p.add_argument("--workers", type=whole_number(
        f"a whole number of processes from 1 to {MAX_WORKERS}", 1, MAX_WORKERS), default=1,
                   metavar="N", help="processes solving independent days in parallel (default: 1)")
    p.add_argument("--output", type=Path, default=Path("ccsim-output"), metavar="DIR",
                   help="directory for coverage.png, coverage.csv and shifts.csv, created if "
                   "missing (default: ./ccsim-output)")
    p.set_defaults(run=run)


_aht = bounded(f"a number of seconds from 1 to {MAX_AHT_SECONDS:g}", 1.0, MAX_AHT_SECONDS)


def _patience(text: str) -> float | None:
    """Seconds; ``inf`` for 'none' (Erlang C); None for 'measured' (from the call log)."""
    word = text.strip().lower()
    if word == "measured":
        return None
    if word in ("none", "inf"):
        return math.inf
    return bounded(f"a number of seconds from 1 to {MAX_SECONDS:g}, 'none' for Erlang C, or "
                   "'measured'", 1.0, MAX_SECONDS)(text)


def _lengths(text: str) -> list[float]:
    valid = (f"up to {MAX_LENGTHS} shift lengths in hours such as 9,4, each a whole number of "
             "quarter hours (e.g. 8.25) above 0 and at most 24")
    items = text.split(",")
    try:
        values = [float(item) for item in items] if len(items) <= MAX_LENGTHS else []
    except ValueError:
        values = []
    if not values or any(not 0 < v <= 24 or v * 4 != round(v * 4) for v in values):
        raise argparse.ArgumentTypeError(f"must be {valid}; got {text!r}")
    return list(dict.fromkeys(values))


def check_start(start: datetime.date, days: int) -> None:
    """Refuse an example forecast that starts in or before the log, or ends too far after it."""
    first, last = EXAMPLE_LOG_DAYS
    earliest = last + datetime.timedelta(days=1)
    latest_end = last + datetime.timedelta(days=EXAMPLE_HORIZON_DAYS)
    latest = latest_end - datetime.timedelta(days=days - 1)
    valid = f"give --start from {earliest} to {latest}"
    if start < earliest:
        raise CCSimInputError(
            f"--start {start} is not after the example's call log ({first} to {last}): the "
            f"forecast starts after the history it is fitted on; {valid}")
    if start > latest:
        end = (f"on {start + datetime.timedelta(days=days - 1)}"
               if start < datetime.date.max - datetime.timedelta(days=days) else "after 9999")
        raise CCSimInputError(
            f"--start {start} with --days {days} ends {end}, more than "
            f"{EXAMPLE_HORIZON_DAYS} days after the example's call log ({first} to {last}), "
            f"further than a forecast from its four weeks can say; {valid}")


def _only_for_the_example(args: argparse.Namespace) -> None:
    given = [name for name, value in (
        ("--start", args.start), ("--days", args.days), ("--target", args.target),
        ("--aht", args.aht), ("--patience", args.patience),
        ("--daily-target", args.daily_target or None)) if value is not None]
    if given:
        raise CCSimInputError(
            f"{', '.join(given)} set{'s' if len(given) == 1 else ''} up the built-in example's "
            "forecast; with --requirement the plan covers the file's intervals: drop "
            f"{' and '.join(given)} or --requirement")


def _check_grid(args: argparse.Namespace, step: int, every: int,
                opening: tuple[int, int]) -> None:
    """Shifts start, end and open on the requirement's grid of ``step`` minutes."""
    if every % step:
        raise CCSimInputError(
            f"--every {every}: shifts must start on the requirement's {step}-min grid; give a "
            f"multiple of {step} from 15 to 240")
    if args.open is not None and (opening[0] % step or opening[1] % step):
        raise CCSimInputError(
            f"--open {opening[0] // 60:02d}:{opening[0] % 60:02d}-{opening[1] // 60:02d}:"
            f"{opening[1] % 60:02d}: opening hours must start and end on the requirement's "
            f"{step}-min grid")
    off = [h for h in args.lengths if round(h * 60) % step]
    if off:
        raise CCSimInputError(
            f"--lengths {','.join(f'{h:g}' for h in args.lengths)}: {off[0]:g} h is not a "
            f"whole number of the requirement's {step}-min intervals")


def run(args: argparse.Namespace) -> int:
    example = args.requirement is None
    if example:
        start, days = args.start or DEFAULT_START, args.days or DEFAULT_DAYS
        check_start(start, days)
    else:
        _only_for_the_example(args)
    check_output(args.output, OUTPUT_FILES, protect=args.requirement)

    from ccsim.cli import _schedule_work as work

    target, within = args.target or DEFAULT_TARGET
    if example:
        opening = args.open or (420, 1440)
        erlang_c = args.patience == math.inf
        try:
            inputs = work.example_inputs(str(start), days, target, within, args.aht,
                                         None if erlang_c else args.patience, not erlang_c,
                                         opening)
        except CCSimError as error:
            kind = CCSimInputError if isinstance(error, CCSimInputError) else CCSimError
            raise kind(f"the example's forecast for --start {start} --days {days}: "
                       f"{error}") from None
        inferred_from = None
    else:
        inputs = work.requirement_from_csv(args.requirement)
        opening = args.open or work.opening_of(inputs.requirement)
        inferred_from = None if args.open else f"--requirement {str(args.requirement)!r}"
    step = work.interval_minutes(inputs.requirement)
    every = args.every or max(30, step)
    _check_grid(args, step, every, opening)
    templates, catalogue = work.build_templates(opening, args.lengths, every, inferred_from)
    for line in inputs.lines:
        print(line)
    print(work.requirement_line(inputs.requirement))
    print(catalogue)
    print(flush=True)
    days_spanned = math.ceil(len(inputs.requirement) * step / 1440)
    with interruptible_pool(args.workers, days_spanned) as executor:
        plan = work.schedule(inputs, templates, daily_target=args.daily_target, target=target,
                             within=within, seats=args.seats, penalty=args.penalty,
                             time_limit=args.time_limit, gap=args.gap, workers=args.workers,
                             executor=executor)
    print(work.format_plan(plan, args.daily_target))
    paths = work.write_outputs(plan, args.output)
    print()
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0
