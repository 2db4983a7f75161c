"""``ccsim schedule``: its options, and the run that prints the plan and writes the files.

At import this module needs only the standard library (the options); the work
(:mod:`ccsim.cli._schedule_work`: forecast, requirement, shift plan, output files) is
imported when the command runs. Every option is checked, and ``--output`` too, before
the plan is computed; a message names the option, the value and what is valid.

What is planned: the built-in bank example (no source option), the planner's own call
log (``--calls``) or ACD interval report (``--report``), forecast for ``--days`` days
(:mod:`ccsim.cli._own_data`), or a requirement CSV (``--requirement``). Options that do
not apply to the source given are refused, naming them.

A forecast starts after its history: ``--start`` defaults to the day after the data's
last day, and its last day must fall within :data:`EXAMPLE_HORIZON_DAYS` days of the
data's end (for the example's January 1999 log, :data:`EXAMPLE_LOG_DAYS`: 1999-02-01 to
2000-01-31): a level and a trend fitted to a few weeks say nothing about a later year.
"""

from __future__ import annotations

import argparse
import datetime
import math
from pathlib import Path

from ccsim._shifts.pool import MAX_WORKERS, interruptible_pool
from ccsim._validation import CCSimInputError
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

__all__ = ["EXAMPLE_HORIZON_DAYS", "EXAMPLE_LOG_DAYS", "OUTPUT_FILES", "add", "check_start", "run"]

#: First and last day of the example's call log (:func:`ccsim.io.load_example_calls`).
EXAMPLE_LOG_DAYS = (datetime.date(1999, 1, 1), datetime.date(1999, 1, 31))
#: Days after the log's last day that the example's forecast may reach.
EXAMPLE_HORIZON_DAYS = 365
DEFAULT_START, DEFAULT_DAYS, DEFAULT_TARGET = datetime.date(1999, 2, 1), 7, (0.8, 20.0)
#: The files written to --output, as one set.
OUTPUT_FILES = ("coverage.png", "coverage.csv", "shifts.csv", "plan.xlsx")
#: The example's opening hours [min after midnight] unless --open: the bank's 07:00-24:00.
EXAMPLE_OPENING = (420, 1440)
#: The call table's columns (:data:`ccsim.io.CALL_COLUMNS`), which --columns maps.
CALL_COLUMNS = ("call_type", "priority", "arrival", "queue_wait_seconds", "outcome",
                "service_seconds", "agent")
#: What --outcomes maps a log's outcome values to.
OUTCOMES = ("answered", "abandoned", "other")
#: The formats of --calls (those of :func:`ccsim.io.read_call_log`).
LOG_FORMATS = ("generic", "anonymous-bank")
#: --patience measured: from the call log (the default).
MEASURED = "measured"
#: Most shift lengths one --lengths may list (each makes a template per start time).
MAX_LENGTHS = 8
#: Longest handle time [s] the example accepts: an hour is no longer a call.
MAX_AHT_SECONDS = 3600.0
#: Largest --time-limit [s]: a day; a monthly batch that needs more is mis-specified.
MAX_TIME_LIMIT_SECONDS = 86_400.0
#: What --group-by plans: every call type pooled into one queue (the default), or each its own.
GROUP_BY = ("all", "type")
#: Largest --penalty [cost per agent-hour short]: far above the cost of an hour paid (1),
#: where coverage is already as hard as without a penalty; larger values upset the solver.
MAX_PENALTY = 1e6


def add(subparsers: argparse._SubParsersAction) -> None:
    first, last = EXAMPLE_LOG_DAYS
    p = subparsers.add_parser(
        "schedule", help="shift plan with breaks from a call log, an interval report, a "
        "requirement CSV or the bank example",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Plan shifts with lunches and breaks at least paid time, for the days\n"
        "after your data: from a call log (--calls) or an ACD interval report (--report),\n"
        "forecast the next --days, pool every call type into one queue (--group-by type:\n"
        "each call type its own group of agents, planned apart), staff each\n"
        "interval for --target (Erlang A with the AHT and patience measured from a log;\n"
        "a report gives the AHT but no patience: Erlang C unless --patience), then plan\n"
        "9-hour (8 paid) and 4-hour shifts starting every 30 min in the opening hours.\n"
        "Without a source option the built-in bank example runs (its January 1999 log,\n"
        "open 07:00-24:00); with --requirement, the agents per interval of a CSV file.\n"
        "Prints the plan and its coverage; writes coverage.png, coverage.csv, shifts.csv\n"
        "and plan.xlsx to --output as one set (each to a hidden temporary file first,\n"
        "then all renamed: a reader sees the old set or the new one, never a mix).",
        epilog="examples:\n  ccsim schedule\n  ccsim schedule --daily-target\n"
        "  ccsim schedule --report acd_export.csv --days 28 --open 08:00-20:00\n"
        "  ccsim schedule --calls log.csv --columns arrival=Start,outcome=Result,"
        "queue_wait_seconds=Wait,service_seconds=Talk \\\n"
        "      --outcomes ANS=answered,ABN=abandoned --target 80/20\n"
        "  ccsim schedule --requirement need.csv --open 06:00-22:00 --lengths 8,6,4\n"
        "  ccsim schedule --calls log.csv --group-by type --days 14\n\n"
        "a --calls log (--format generic): CSV (compressed too) or .xlsx, one row per call;\n"
        "by default its columns are ccsim's own: arrival, call_type, outcome (answered,\n"
        "abandoned or other), queue_wait_seconds, service_seconds; --columns maps others.\n"
        "--format anonymous-bank reads the Technion SEE lab's bank files.\n\n"
        "a --report: CSV or .xlsx, one row per interval (and queue), headings such as\n"
        "Interval, Queue, Offered, Handled, Abandoned, AHT recognised (ccsim.io.\n"
        "read_interval_report); intervals left out must lie outside --open.\n\n"
        "opening hours of --calls and --report, unless --open: the daily span of the\n"
        "intervals with at least 5 % of the busiest interval's mean calls.\n\n"
        "a --requirement CSV: UTF-8, columns interval_start (local times YYYY-MM-DD HH:MM,\n"
        "no time-zone offset) and agents (>= 0), call_type optional (summed); 15-, 30- or\n"
        "60-min intervals on the clock's grid, at most 31 days; intervals missing between\n"
        "the first and last row count as 0 agents.\n\n"
        "plan.xlsx sheets: shifts per day, breaks, coverage (per interval), summary (per\n"
        "day: required, on phones, over, under and paid hours, and the day's SL with\n"
        "--daily-target). With --group-by type every sheet, coverage.csv and shifts.csv\n"
        "have a group column (the call type), the summary is per day and group, and\n"
        "coverage.png has one panel per group.\n\n"
        "exit status: 0 done, 2 bad input, 1 no plan (e.g. within --time-limit) or a file\n"
        "that cannot be written, 130 interrupted (Ctrl-C; worker processes are stopped)")
    source = p.add_argument_group("what to plan for (at most one; none: the bank example)")
    source.add_argument("--calls", type=Path, metavar="LOG",
                        help="a call log, one row per call (CSV or XLSX): forecast from it")
    source.add_argument("--report", type=Path, metavar="CSV|XLSX",
                        help="an ACD interval report, one row per interval (and queue): "
                        "forecast from it")
    source.add_argument("--requirement", type=Path, metavar="CSV",
                        help="agents needed on the phones per interval: a CSV with columns "
                        "interval_start and agents (call_type optional, summed)")
    log = p.add_argument_group("reading a --calls log")
    log.add_argument("--format", choices=LOG_FORMATS,
                     help="generic (default): a CSV or XLSX file read through --columns; "
                     "anonymous-bank: the SEE lab's bank files")
    log.add_argument("--columns", type=_columns, metavar="NAME=HEADING,...",
                     help="the log's heading for each ccsim column, e.g. arrival=Start,"
                     "outcome=Result,queue_wait_seconds=Wait,service_seconds=Talk,"
                     "call_type=Queue (arrival=Date+Time for two columns; default: "
                     "ccsim's own names)")
    log.add_argument("--outcomes", type=_outcomes, metavar="VALUE=OUTCOME,...",
                     help="the log's outcome values, e.g. ANS=answered,ABN=abandoned,"
                     "IVR=other (default: the log says answered, abandoned or other)")
    forecast = p.add_argument_group("the forecast and its requirement (not with --requirement)")
    forecast.add_argument("--start", type=parse_date, metavar="DATE",
                          help="first day planned: after the data, its last day within "
                          f"{EXAMPLE_HORIZON_DAYS} days of the data's end (default: the day "
                          f"after the data; {DEFAULT_START} for the example's {first:%B %Y} "
                          "log)")
    forecast.add_argument("--days", type=whole_number("a whole number of days from 1 to 28", 1,
                                                      28),
                          help=f"days to forecast and plan (default: {DEFAULT_DAYS})")
    forecast.add_argument("--target", type=parse_target, metavar="PERCENT/SECONDS",
                          help="service-level target (default: 80/20)")
    forecast.add_argument("--aht", type=_aht, metavar="SECONDS",
                          help="average handle time [s] (default: measured from the log, or "
                          "the report's AHT weighted by answered calls)")
    forecast.add_argument("--patience", type=_patience, metavar="SECONDS",
                          help="mean caller patience [s] for Erlang A, or 'none' for Erlang C "
                          "(default: measured from a log; Erlang C for a report, which has no "
                          "abandonment times)")
    forecast.add_argument("--daily-target", action="store_true",
                          help="meet the target over each day's calls instead of in every "
                          "interval, and report the paid hours saved")
    forecast.add_argument("--group-by", choices=GROUP_BY,
                          help="all (default): every call type pooled into one queue staffed "
                          "by one group of agents; type: each call type its own skill group, "
                          "with its own agents, requirement, AHT and patience (a --report "
                          "needs a queue or call-type column)")
    p.add_argument("--open", type=parse_opening, metavar="HH:MM-HH:MM",
                   help="opening hours: shifts start and end inside them, forecast calls "
                   "outside get no agents (default: 07:00-24:00 for the example; the busy "
                   "hours of --calls or --report; of the requirement for a CSV)")
    p.add_argument("--lengths", type=_lengths, default=[9.0, 4.0], metavar="HOURS",
                   help="shift lengths [h], breaks included (default: 9,4; breaks by "
                   "length: 15-min breaks, and a 30- or 60-min unpaid lunch from 6 h)")
    p.add_argument("--every", type=whole_number("a whole number of minutes from 15 to 240",
                                                 15, 240),
                   metavar="MINUTES", help="spacing of start times [min], a multiple of the "
                   "requirement's interval (default: 30, or the requirement's interval if longer)")
    p.add_argument("--seats", type=whole_number(f"a whole number of seats from 1 to {MAX_AGENTS}",
                                                1, MAX_AGENTS),
                   metavar="N", help="most agents on shift at once")
    p.add_argument("--penalty", type=bounded(f"a cost per agent-hour above 0 and at most "
                                             f"{MAX_PENALTY:g}", 0.0, MAX_PENALTY, False),
                   metavar="COST",
                   help="allow under-staffing at this cost per agent-hour short [cost/h]")
    p.add_argument("--time-limit", type=bounded(
        f"a number of seconds above 0 and at most {MAX_TIME_LIMIT_SECONDS:g}", 0.0,
        MAX_TIME_LIMIT_SECONDS, False), default=300.0,
                   metavar="SECONDS", help="safety cap on the solver's time [s] (default: 300); "
                   "the plan is the same on every run unless the cap cuts it short, and the "
                   "output says which days it cut")
    p.add_argument("--gap", type=parse_gap, default=0.005, metavar="SHARE",
                   help="relative gap to the lower bound that is good enough, 0.5%% or 0.005 "
                   "(default: 0.5%%)")
    p.add_argument("--workers", type=whole_number(
        f"a whole number of processes from 1 to {MAX_WORKERS}", 1, MAX_WORKERS), default=1,
                   metavar="N", help="processes solving independent days in parallel (default: 1)")
    p.add_argument("--output", type=Path, default=Path("ccsim-output"), metavar="DIR",
                   help="directory for coverage.png, coverage.csv, shifts.csv and plan.xlsx, "
                   "created if missing (default: ./ccsim-output)")
    p.set_defaults(run=run)


_aht = bounded(f"a number of seconds from 1 to {MAX_AHT_SECONDS:g}", 1.0, MAX_AHT_SECONDS)


def _patience(text: str) -> float | str:
    """Seconds; ``inf`` for 'none' (Erlang C); :data:`MEASURED` (from the call log)."""
    word = text.strip().lower()
    if word == MEASURED:
        return MEASURED
    if word in ("none", "inf"):
        return math.inf
    return bounded(f"a number of seconds from 1 to {MAX_SECONDS:g}, 'none' for Erlang C, or "
                   "'measured'", 1.0, MAX_SECONDS)(text)


def _pairs(text: str, valid: str) -> list[tuple[str, str]]:
    """``KEY=VALUE,...`` as pairs, keys unique, neither blank; ArgumentTypeError if not."""
    pairs = []
    for item in text.split(",") if len(text) <= 2000 else []:
        key, equals, value = item.partition("=")
        pairs.append((key.strip(), value.strip()))
        if not equals or not key.strip() or not value.strip():
            break
    else:
        if pairs and len({k for k, _ in pairs}) == len(pairs):
            return pairs
    raise argparse.ArgumentTypeError(f"must be {valid}; got {text[:200]!r}")


def _columns(text: str) -> dict[str, str | tuple[str, str]]:
    """``arrival=Start,outcome=Result`` as {ccsim column: heading}; ``Date+Time``: two."""
    valid = (f"NAME=HEADING pairs separated by commas, each NAME once and one of "
             f"{', '.join(CALL_COLUMNS)} (arrival=Date+Time for a date and a time column)")
    columns: dict[str, str | tuple[str, str]] = {}
    for key, value in _pairs(text, valid):
        if key not in CALL_COLUMNS:
            raise argparse.ArgumentTypeError(f"must be {valid}; got {key!r} in {text[:200]!r}")
        date, plus, time = value.partition("+")
        columns[key] = (date.strip(), time.strip()) if key == "arrival" and plus else value
    return columns


def _outcomes(text: str) -> dict[str, str]:
    """``ANS=answered,ABN=abandoned`` as {the log's value: ccsim outcome}."""
    valid = ("VALUE=OUTCOME pairs separated by commas, each VALUE once and each OUTCOME one of "
             f"{', '.join(OUTCOMES)}")
    pairs = _pairs(text, valid)
    bad = [v for _, v in pairs if v.lower() not in OUTCOMES]
    if bad:
        raise argparse.ArgumentTypeError(f"must be {valid}; got {bad[0]!r} in {text[:200]!r}")
    return {key: value.lower() for key, value in pairs}


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


def check_start(start: datetime.date, days: int,
                data_days: tuple[datetime.date, datetime.date] = EXAMPLE_LOG_DAYS,
                source: str = "the example's call log") -> None:
    """Refuse a forecast that starts in or before its data, or ends too far after it.

    ``data_days`` are the first and last day of the data (``source`` in messages).
    """
    first, last = data_days
    earliest = last + datetime.timedelta(days=1)
    latest_end = last + datetime.timedelta(days=EXAMPLE_HORIZON_DAYS)
    latest = latest_end - datetime.timedelta(days=days - 1)
    valid = f"give --start from {earliest} to {latest}"
    if start < earliest:
        raise CCSimInputError(
            f"--start {start} is not after {source} ({first} to {last}): the forecast starts "
            f"after the history it is fitted on; {valid}")
    if start > latest:
        end = (f"on {start + datetime.timedelta(days=days - 1)}"
               if start < datetime.date.max - datetime.timedelta(days=days) else "after 9999")
        raise CCSimInputError(
            f"--start {start} with --days {days} ends {end}, more than "
            f"{EXAMPLE_HORIZON_DAYS} days after {source} ({first} to {last}), "
            f"further than a forecast from it can say; {valid}")


def _given(args: argparse.Namespace, names: tuple[str, ...]) -> list[str]:
    """The options among ``names`` (``--start``, ...) given on the command line."""
    def value(name: str) -> object:
        found = getattr(args, name[2:].replace("-", "_"))
        return found if found not in (None, False) else None

    return [name for name in names if value(name) is not None]


def check_sources(args: argparse.Namespace) -> None:
    """Refuse options that do not apply to the source given (or to the example)."""
    sources = _given(args, ("--requirement", "--calls", "--report"))
    if len(sources) > 1:
        raise CCSimInputError(
            f"{' and '.join(sources)} each give what to plan for; give one of them (or none, "
            "for the built-in example)")
    reading = _given(args, ("--format", "--columns", "--outcomes"))
    if reading and args.calls is None:
        what = f"with {sources[0]}" if sources else "for the built-in example"
        raise CCSimInputError(
            f"{', '.join(reading)} describe{'s' if len(reading) == 1 else ''} the call log of "
            f"--calls, and there is none {what}: drop {' and '.join(reading)}, or give "
            "--calls LOG")
    fixed = _given(args, ("--columns", "--outcomes"))
    if args.format == "anonymous-bank" and fixed:
        raise CCSimInputError(
            f"{' and '.join(fixed)} read a --format generic log; --format anonymous-bank has "
            f"fixed fields: drop {' and '.join(fixed)}, or give --format generic")
    if args.requirement is not None:
        given = _given(args, ("--start", "--days", "--target", "--aht", "--patience",
                              "--daily-target"))
        if given:
            raise CCSimInputError(
                f"{', '.join(given)} set{'s' if len(given) == 1 else ''} up the forecast (of "
                "the built-in example, --calls or --report); with --requirement the plan "
                f"covers the file's intervals: drop {' and '.join(given)} or --requirement")
    if args.group_by == "type":
        alone = _given(args, ("--requirement", "--daily-target", "--seats"))
        if alone:
            why = {"--requirement": "the file's agents are one requirement, not one per call "
                                    "type",
                   "--daily-target": "a daily service-level target is planned for one pooled "
                                     "queue",
                   "--seats": "the seats are shared, and the groups are planned apart"}
            raise CCSimInputError(
                f"--group-by type cannot go with {' or '.join(alone)}: "
                f"{'; '.join(why[a] for a in alone)}; drop {' and '.join(alone)}, or give "
                "--group-by all (every call type pooled into one queue)")
    if args.report is not None and args.patience == MEASURED:
        raise CCSimInputError(
            "--patience measured: a --report has no abandonment times to measure patience "
            "from; give --patience SECONDS for Erlang A, or leave it out for Erlang C")


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
    check_sources(args)
    given = args.requirement or args.calls or args.report
    days = args.days or DEFAULT_DAYS
    if given is None:
        start = args.start or DEFAULT_START
        check_start(start, days)
    check_output(args.output, OUTPUT_FILES, protect=given)

    from ccsim.cli import _own_data as own
    from ccsim.cli import _schedule_work as work

    target, within = args.target or DEFAULT_TARGET
    inferred_from = None
    if args.requirement is not None:
        inputs = work.requirement_from_csv(args.requirement)
        opening = args.open or work.opening_of(inputs.requirement)
        if args.open is None:
            inferred_from = (f"--requirement {str(args.requirement)!r} (its first to last "
                             "interval needing agents in a day)")
    else:
        if args.calls is not None:
            data = own.read_calls(args.calls, args.format, args.columns, args.outcomes, within)
        elif args.report is not None:
            data = own.read_report(args.report, args.open)
        else:
            data = own.example_data(within)
        if given is not None:
            start = args.start or data.last + datetime.timedelta(days=1)
            check_start(start, days, (data.first, data.last), data.option)
            opening = args.open or own.opening_from_history(data.history)
            if args.open is None:
                inferred_from = (f"{data.option} (its intervals with at least "
                                 f"{own.OPEN_SHARE:.0%} of the busiest interval's mean calls)")
        else:
            opening = args.open or EXAMPLE_OPENING
        patience = None if args.patience == MEASURED else args.patience
        inputs = own.data_inputs(data, start, days, target, within, args.aht, patience,
                                 opening, inferred=inferred_from is not None,
                                 group_by=args.group_by or "all")
    step = work.interval_minutes(inputs.requirement)
    every = args.every or max(30, step)
    _check_grid(args, step, every, opening)
    templates, catalogue = work.build_templates(opening, args.lengths, every, inferred_from)
    for line in inputs.lines:
        print(line)
    print(work.requirement_line(inputs.requirement, 0 if inputs.groups is None
                                else inputs.groups["call_type"].nunique()))
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
