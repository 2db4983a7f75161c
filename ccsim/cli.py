"""The ``ccsim`` command line.

``ccsim what-if`` answers "what if we open N seats?" with the Erlang formulas of
:mod:`ccsim.erlang`: one row per agent count, and the least count that meets a
service-level target. ``ccsim schedule`` runs the planning chain (history ->
forecast -> requirement -> shift plan with breaks) on the built-in bank example or
a requirement from a CSV file, prints the plan and writes its coverage plot and
tables. Each subcommand has a ``_add_<name>`` function that declares its options
and a ``_run_<name>`` function that computes and prints; computing and formatting
are separate so that the same result can be written as a table, CSV or JSON. At
import this module needs only the standard library and :mod:`ccsim.erlang` (never
pandas, matplotlib or SimPy), so that ``what-if`` answers in well under a second;
``schedule`` imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ccsim import CCSimInputError, __version__, erlang

__all__ = ["WhatIf", "WhatIfRow", "format_csv", "format_json", "format_table", "main",
           "parse_agents", "parse_share", "parse_target", "what_if"]

#: The built-in example: 100 calls per 30 minutes, AHT 180 s (10 Erlangs), target 80/20.
EXAMPLE_CALLS, EXAMPLE_AHT_SECONDS = 100.0, 180.0
_MAX_ROWS = 2000


class UsageError(Exception):
    """Bad command-line input; the message names the option, the value and what is valid."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.format_usage()}{self.prog}: error: {message}")


# ------------------------------------------------------------------ parsing


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {what}; got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be {what}; got {text!r}")
    return value


def _positive(what: str, allow_zero: bool = False) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = _number(text, what)
        if value < 0 or (value == 0 and not allow_zero):
            raise argparse.ArgumentTypeError(f"must be {what}; got {text!r}")
        return value

    return parse


def parse_share(text: str, what: str = "a percentage in (0, 100] or a fraction in (0, 1]") -> float:
    """Read "85", "85%" or "0.85" as the fraction 0.85; values above 1 are percentages.

    >>> parse_share("85"), parse_share("0.85"), parse_share("100")
    (0.85, 0.85, 1.0)
    """
    value = _number(text.strip().removesuffix("%"), what)
    share = value / 100.0 if value > 1 else value
    if not 0 < share <= 1:
        raise argparse.ArgumentTypeError(f"must be {what}; got {text!r}")
    return share


def parse_target(text: str) -> tuple[float, float]:
    """Read a service-level target "80/20" or "0.8/20" as (fraction, seconds).

    >>> parse_target("80/20"), parse_target("0.9/15")
    ((0.8, 20.0), (0.9, 15.0))
    """
    valid = ("PERCENT/SECONDS such as 80/20 (80 % answered within 20 s; 0.8/20 also works), "
             "the percentage below 100 and the seconds >= 0")
    level, slash, within = text.partition("/")
    if not slash:
        raise argparse.ArgumentTypeError(f"must be {valid}; got {text!r}")
    try:
        share = parse_share(level, valid)
        seconds = _number(within.strip().removesuffix("s"), valid)
    except argparse.ArgumentTypeError:
        share, seconds = 1.0, -1.0
    if share >= 1 or seconds < 0:
        raise argparse.ArgumentTypeError(f"must be {valid}; got {text!r}")
    return share, seconds


def parse_agents(text: str) -> list[int]:
    """Read agent counts: a range "30-40", a list "30,32,35", one number, or a mix.

    >>> parse_agents("10-13"), parse_agents("30,32,35"), parse_agents("7")
    ([10, 11, 12, 13], [30, 32, 35], [7])
    """
    valid = ("whole numbers >= 1 as a range 30-40, a list 30,32,35 or one number, "
             f"at most {_MAX_ROWS} counts")
    counts: set[int] = set()
    try:
        for item in text.split(","):
            low, dash, high = item.strip().partition("-")
            first, last = int(low), int(high) if dash else int(low)
            if first < 1 or last < first or len(counts) + last - first >= _MAX_ROWS:
                raise ValueError
            counts.update(range(first, last + 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {valid}; got {text!r}") from None
    return sorted(counts)


# ---------------------------------------------------------------- computing


@dataclass(frozen=True)
class WhatIfRow:
    """One agent count: measures as fractions of offered calls, ASA in seconds.

    ``meets_target`` holds for every count from the least one meeting the target (and
    the occupancy cap) upwards; ``least`` marks that count.
    """

    agents: int
    service_level: float
    asa_seconds: float
    p_wait: float
    p_abandon: float
    occupancy: float
    meets_target: bool
    least: bool


@dataclass(frozen=True)
class WhatIf:
    """Inputs, the model used, one row per agent count and the least count meeting the target."""

    calls: float
    per_minutes: float
    aht_seconds: float
    traffic: float
    target: float
    answer_within_seconds: float
    patience_seconds: float | None
    max_occupancy: float | None
    least_agents: int
    rows: tuple[WhatIfRow, ...]

    @property
    def model(self) -> str:
        """``"Erlang C"`` or ``"Erlang A"`` (with a mean patience)."""
        return "Erlang C" if self.patience_seconds is None else "Erlang A"

    @property
    def target_text(self) -> str:
        """The target as planners write it, e.g. ``"80/20"``."""
        return f"{self.target * 100:g}/{self.answer_within_seconds:g}"


def what_if(calls: float, per_minutes: float, aht_seconds: float, agents: Sequence[int] | None,
            target: float, answer_within_seconds: float, patience_seconds: float | None = None,
            max_occupancy: float | None = None) -> WhatIf:
    """Service measures for each agent count, Erlang C or (with a patience) Erlang A.

    Parameters
    ----------
    calls : float
        Calls offered per period [calls].
    per_minutes : float
        Length of the period [min].
    aht_seconds : float
        Mean handle time [s].
    agents : sequence of int or None
        Agent counts to evaluate; ``None`` takes the least count meeting the target ± 4.
    target : float
        Service-level target, a fraction in (0, 1).
    answer_within_seconds : float
        Service-level threshold [s].
    patience_seconds : float, optional
        Mean caller patience [s]; ``None`` uses Erlang C (nobody abandons).
    max_occupancy : float, optional
        Cap on ``traffic / agents`` in (0, 1], as in
        :func:`ccsim.erlang.agents_for_service_level`.

    Returns
    -------
    WhatIf
        The inputs, the traffic [Erlang], the least count and one row per count.
    """
    traffic = erlang.offered_traffic(calls, aht_seconds, per_minutes * 60.0)
    least = erlang.agents_for_service_level(traffic, aht_seconds, target, answer_within_seconds,
                                            patience_seconds, max_occupancy)
    counts = list(agents) if agents else list(range(max(1, least - 4), least + 5))
    if patience_seconds is None:
        sl = erlang.service_level(traffic, counts, aht_seconds, answer_within_seconds)
        asa = erlang.average_speed_of_answer(traffic, counts, aht_seconds)
        p_wait, p_abandon = erlang.erlang_c(traffic, counts), [0.0] * len(counts)
        occ = erlang.occupancy(traffic, counts)
    else:
        r = erlang.erlang_a(traffic, counts, aht_seconds, patience_seconds, answer_within_seconds)
        sl, asa, p_wait, p_abandon, occ = (r.service_level, r.asa_seconds, r.p_wait,
                                           r.p_abandon, r.occupancy)
    rows = tuple(
        WhatIfRow(n, float(sl[i]), float(asa[i]), float(p_wait[i]), float(p_abandon[i]),
                  float(occ[i]), meets_target=n >= least, least=n == least)
        for i, n in enumerate(counts))
    return WhatIf(calls, per_minutes, aht_seconds, traffic, target, answer_within_seconds,
                  patience_seconds, max_occupancy, least, rows)


# --------------------------------------------------------------- formatting


def summary(result: WhatIf) -> str:
    """One line describing the inputs, the traffic and the model."""
    model = result.model
    if result.patience_seconds is not None:
        model += f" (mean patience {result.patience_seconds:g} s)"
    cap = "" if result.max_occupancy is None else f", occupancy <= {result.max_occupancy * 100:g}%"
    return (f"{result.calls:.10g} calls per {result.per_minutes:.10g} min, "
            f"AHT {result.aht_seconds:.10g} s"
            f" -> {result.traffic:.2f} Erlangs; {model}; target {result.target_text}{cap}")


def notes(result: WhatIf) -> list[str]:
    """What the table alone does not say: where the least count lies if it is not shown."""
    shown = [row.agents for row in result.rows]
    least, target = result.least_agents, result.target_text
    if least in shown:
        return []
    if least > shown[-1]:
        return [f"No count from {shown[0]} to {shown[-1]} meets {target}; "
                f"the least count that does is {least}."]
    where = "below" if least < shown[0] else "not among"
    return [f"The least count meeting {target} is {least}, {where} the counts shown."]


def format_table(result: WhatIf) -> str:
    """A plain-text table, the least count meeting the target marked."""
    w = max(6, len(str(result.rows[-1].agents)))
    lines = [summary(result), "",
             f"{'agents':>{w}}  service level  ASA (s)  P(wait)  abandoned  occupancy"]
    for row in result.rows:
        mark = f"  <- least meeting {result.target_text}" if row.least else ""
        lines.append(f"{row.agents:>{w}}  {row.service_level:>13.3f}  {row.asa_seconds:>7.1f}  "
                     f"{row.p_wait:>7.3f}  {row.p_abandon:>9.3f}  {row.occupancy:>9.3f}{mark}")
    extra = notes(result)
    return "\n".join([*lines, "", *extra] if extra else lines)


def format_csv(result: WhatIf) -> str:
    """One CSV row per agent count (fractions and seconds at full precision)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(asdict(result.rows[0])), lineterminator="\n")
    writer.writeheader()
    writer.writerows(asdict(row) for row in result.rows)
    return out.getvalue().rstrip("\n")


def format_json(result: WhatIf) -> str:
    """A JSON object: inputs, model, least count, notes and rows (``null`` for an infinite ASA)."""
    import json

    def finite(value: object) -> object:
        return None if isinstance(value, float) and not math.isfinite(value) else value

    data = {k: v for k, v in asdict(result).items() if k != "rows"}
    data.update(model=result.model, summary=summary(result), notes=notes(result),
                rows=[{k: finite(v) for k, v in asdict(row).items()} for row in result.rows])
    return json.dumps(data, indent=2, allow_nan=False)


# ----------------------------------------------------------------- commands


def _add_what_if(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "what-if", help="service level, ASA and occupancy for a range of agent counts",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Service level, ASA, P(wait), abandonment and occupancy for each agent\n"
        "count (Erlang C, or Erlang A with --patience); the least count meeting the\n"
        "target is marked. With neither --calls nor --aht, the built-in example runs:\n"
        "100 calls per 30 min, AHT 180 s, target 80/20.",
        epilog="example:\n  ccsim what-if --calls 600 --per 60 --aht 180 --agents 30-40 "
        "--target 80/20 --patience 120")
    p.add_argument("--calls", type=_positive("a number of calls >= 0", allow_zero=True),
                   help="calls offered per period (see --per) [calls]; give with --aht")
    p.add_argument("--per", type=_positive("a number of minutes > 0"), default=30.0,
                   metavar="MINUTES", help="length of the period [min] (default: 30)")
    p.add_argument("--aht", type=_positive("a number of seconds > 0"), metavar="SECONDS",
                   help="average handle time, talk plus after-call work [s] (example: 180)")
    p.add_argument("--agents", type=parse_agents, metavar="COUNTS",
                   help="agent counts: a range 30-40, a list 30,32,35 or one number "
                   "(default: the least count meeting the target, plus and minus 4)")
    p.add_argument("--target", type=parse_target, default=(0.8, 20.0), metavar="PERCENT/SECONDS",
                   help="service-level target: percent of calls answered within seconds, "
                   "80/20 or 0.8/20 (default: 80/20)")
    p.add_argument("--patience", type=_positive("a number of seconds > 0"), metavar="SECONDS",
                   help="mean caller patience [s]; given, Erlang A (callers abandon) is used, "
                   "else Erlang C (nobody abandons)")
    p.add_argument("--max-occupancy", type=parse_share, metavar="SHARE",
                   help="cap on occupancy (offered traffic / agents), percent 85 or fraction "
                   "0.85; a count meets the target only under the cap")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="output format (default: table)")
    p.set_defaults(run=_run_what_if)


def _run_what_if(args: argparse.Namespace) -> int:
    if (args.calls is None) != (args.aht is None):
        given, missing = ("--calls", "--aht") if args.aht is None else ("--aht", "--calls")
        raise UsageError(f"ccsim what-if: error: {missing} is required with {given} "
                         "(give both, or neither for the built-in example)")
    calls = EXAMPLE_CALLS if args.calls is None else args.calls
    aht = EXAMPLE_AHT_SECONDS if args.aht is None else args.aht
    if not math.isfinite(calls * aht / args.per):
        raise UsageError(f"ccsim what-if: error: --calls {calls:g} with --aht {aht:g} and "
                         f"--per {args.per:g} gives an infinite load; give smaller numbers")
    result = what_if(calls, args.per, aht, args.agents, *args.target,
                     patience_seconds=args.patience, max_occupancy=args.max_occupancy)
    if args.format == "csv":
        print(format_csv(result))
        for note in notes(result):
            print(note, file=sys.stderr)
    else:
        print(format_json(result) if args.format == "json" else format_table(result))
    return 0


def _add_schedule(subparsers: argparse._SubParsersAction) -> None:
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
    p.add_argument("--days", type=_whole_number("a whole number of days from 1 to 28", 1, 28),
                   default=7, help="days to forecast and plan (default: 7)")
    p.add_argument("--target", type=parse_target, default=(0.8, 20.0), metavar="PERCENT/SECONDS",
                   help="service-level target for the example (default: 80/20)")
    p.add_argument("--aht", type=_positive("a number of seconds > 0"), metavar="SECONDS",
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
    p.add_argument("--every", type=_whole_number("a whole number of minutes from 15 to 240",
                                                 15, 240),
                   metavar="MINUTES", help="spacing of start times [min] (default: 30, or "
                   "the requirement's interval if longer)")
    p.add_argument("--daily-target", action="store_true",
                   help="meet the target over each day's calls instead of in every interval, "
                   "and report the paid hours saved")
    p.add_argument("--seats", type=_whole_number("a whole number of seats >= 1", 1, None),
                   metavar="N", help="most agents on shift at once")
    p.add_argument("--penalty", type=_positive("a cost per agent-hour > 0"), metavar="COST",
                   help="allow under-staffing at this cost per agent-hour short [cost/h]")
    p.add_argument("--time-limit", type=_positive("a number of seconds > 0"), default=30.0,
                   metavar="SECONDS", help="solver time budget [s] (default: 30)")
    p.add_argument("--gap", type=parse_share, default=0.005, metavar="SHARE",
                   help="relative gap to the lower bound that is good enough, 0.5%% or 0.005 "
                   "(default: 0.5%%)")
    p.add_argument("--workers", type=_whole_number("a whole number of processes >= 1", 1, None),
                   default=1, metavar="N",
                   help="processes solving independent days in parallel (default: 1)")
    p.add_argument("--output", type=Path, default=Path("ccsim-output"), metavar="DIR",
                   help="directory for coverage.png, coverage.csv and shifts.csv "
                   "(default: ./ccsim-output)")
    p.set_defaults(run=_run_schedule)


def _whole_number(what: str, low: int, high: int | None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {what}; got {text!r}") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"must be {what}; got {text!r}")
        return value

    return parse


def _patience(text: str) -> float | None:
    """Seconds; ``inf`` for 'none' (Erlang C); None for 'measured' (from the call log)."""
    word = text.strip().lower()
    if word == "measured":
        return None
    if word in ("none", "inf"):
        return math.inf
    return _positive("a number of seconds > 0, 'none' for Erlang C, or 'measured'")(text)


def _opening(text: str) -> tuple[int, int]:
    from ccsim._cli_schedule import parse_opening

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


def _run_schedule(args: argparse.Namespace) -> int:
    from ccsim import _cli_schedule as work

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


def build_parser() -> argparse.ArgumentParser:
    """The ``ccsim`` parser, one subparser per command."""
    parser = _Parser(prog="ccsim", description="Call-center capacity planning. "
                     "Run a command with --help for its options; with no command, "
                     "'ccsim' runs 'ccsim what-if' on the built-in example.")
    parser.add_argument("--version", action="version", version=f"ccsim {__version__}")
    subparsers = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    _add_what_if(subparsers)
    _add_schedule(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``ccsim`` command line and return its exit status (2 for bad input).

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; ``None`` reads ``sys.argv[1:]``.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list or ["what-if"])
        return int(args.run(args))
    except UsageError as error:
        print(error, file=sys.stderr)
    except CCSimInputError as error:
        print(f"ccsim: error: {error}", file=sys.stderr)
    except SystemExit as done:  # --help and --version
        return done.code if isinstance(done.code, int) else 0
    except BrokenPipeError:  # e.g. "ccsim what-if | head": stop quietly, as Unix tools do
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 2
