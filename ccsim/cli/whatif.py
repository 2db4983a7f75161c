"""``ccsim what-if``: service measures for a range of agent counts, by Erlang C or A.

One row per agent count, and the least count that meets a service-level target.
Computing (:func:`what_if`) and formatting (:func:`format_table`, :func:`format_csv`,
:func:`format_json`) are separate so that the same result can be written as a table,
CSV or JSON. At import this module needs only the standard library and
:mod:`ccsim.erlang` (never pandas, matplotlib or SimPy), so that ``what-if`` answers in
well under a second.

``--center FILE --simulate`` answers for a multi-skill floor instead, by simulating the
center file's floor (:mod:`ccsim.center`), changed by ``--set``; that work is in
:mod:`ccsim.cli._whatif_sim`, imported only then.
"""

from __future__ import annotations

import argparse
import math
import sys
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ccsim import erlang
from ccsim._validation import CCSimInputError, check_real, check_size, renamed
from ccsim.cli._options import (
    MAX_AGENTS,
    MAX_ROWS,
    MAX_SECONDS,
    bounded,
    parse_agents,
    parse_share,
    parse_target,
    positive,
    reword,
    whole_number,
)

__all__ = ["MAX_TRAFFIC", "WhatIf", "WhatIfRow", "add", "format_csv", "format_json",
           "format_table", "notes", "run", "summary", "what_if"]

#: The built-in example: 100 calls per 30 minutes, AHT 180 s (10 Erlangs), target 80/20.
EXAMPLE_CALLS, EXAMPLE_AHT_SECONDS, EXAMPLE_INTERVAL_MINUTES = 100.0, 180.0, 30.0
#: Longest interval [min]: a day.
MAX_INTERVAL_MINUTES = 1440.0
#: The library's keywords that ``ccsim what-if`` sets from its options.
OPTION_OF = {"calls_per_interval": "--calls", "calls": "--calls", "aht_seconds": "--aht",
             "interval_minutes": "--interval", "interval_seconds": "--interval",
             "patience_seconds": "--patience", "answer_within_seconds": "--target's seconds",
             "target": "--target", "max_occupancy": "--max-occupancy", "agents": "--agents",
             "traffic": "the load (--calls x --aht / --interval)"}
#: Largest offered load what-if answers [Erlang]: :mod:`ccsim.erlang` is exact over 1 to
#: 100,000 agents and answers such a load in about a second, while the largest centers
#: carry a few thousand Erlangs; a larger load is a typo (calls per day given per interval,
#: an interval in hours given in minutes) more often than a real center.
MAX_TRAFFIC = 100_000.0
#: Most replications of --simulate (as 'ccsim plan').
MAX_REPLICATIONS = 1000
#: Most values one --set lists (one simulated run each).
MAX_SWEEP = 50


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
    """Inputs, the model used, one row per agent count and the least count meeting the target.

    ``calls_per_interval`` [calls] and ``interval_minutes`` [min] were ``calls`` and
    ``per_minutes``; those names still read (with a :class:`DeprecationWarning`) for one
    release.
    """

    calls_per_interval: float
    interval_minutes: float
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

    @property
    def calls(self) -> float:
        """Deprecated: use ``calls_per_interval``."""
        warnings.warn("WhatIf.calls is deprecated and will be removed in the next release; "
                      "use WhatIf.calls_per_interval", DeprecationWarning, stacklevel=2)
        return self.calls_per_interval

    @property
    def per_minutes(self) -> float:
        """Deprecated: use ``interval_minutes``."""
        warnings.warn("WhatIf.per_minutes is deprecated and will be removed in the next "
                      "release; use WhatIf.interval_minutes", DeprecationWarning, stacklevel=2)
        return self.interval_minutes


def what_if(calls_per_interval: float | None = None, interval_minutes: float | None = None,
            aht_seconds: float | None = None, agents: Sequence[int] | None = None,
            target: float = 0.8, answer_within_seconds: float = 20.0,
            patience_seconds: float | None = None, max_occupancy: float | None = None, *,
            calls: float | None = None, per_minutes: float | None = None) -> WhatIf:
    """Service measures for each agent count, Erlang C or (with a patience) Erlang A.

    Parameters
    ----------
    calls_per_interval : float
        Calls offered per interval [calls], ``>= 0``.
    interval_minutes : float
        Length of the interval [min], ``> 0``.
    aht_seconds : float
        Mean handle time [s], ``> 0``.
    agents : sequence of int or None
        Agent counts to evaluate (at most 2,000, each from 1 to 200,000); ``None`` takes
        the least count meeting the target ± 4.
    target : float, default 0.8
        Service-level target, a fraction in (0, 1).
    answer_within_seconds : float, default 20
        Service-level threshold [s].
    patience_seconds : float, optional
        Mean caller patience [s]; ``None`` uses Erlang C (nobody abandons).
    max_occupancy : float, optional
        Cap on ``traffic / agents`` in (0, 1], as in
        :func:`ccsim.erlang.agents_for_service_level`.
    calls, per_minutes : float, optional
        Deprecated names of ``calls_per_interval`` and ``interval_minutes``.

    Returns
    -------
    WhatIf
        The inputs, the traffic [Erlang], the least count and one row per count.

    Raises
    ------
    CCSimInputError
        A value out of range, a load above :data:`MAX_TRAFFIC` Erlangs, or an occupancy cap
        that needs more than 200,000 agents.
    """
    calls_per_interval = renamed("what_if", "calls", "calls_per_interval", calls,
                                 calls_per_interval)
    interval_minutes = renamed("what_if", "per_minutes", "interval_minutes", per_minutes,
                               interval_minutes)
    for name, value in (("calls_per_interval", calls_per_interval),
                        ("interval_minutes", interval_minutes), ("aht_seconds", aht_seconds)):
        if value is None:
            raise CCSimInputError(f"what_if: {name} is required")
    calls_value = float(check_real("calls_per_interval", calls_per_interval, low=0.0))
    minutes = float(check_real("interval_minutes", interval_minutes, low=0.0,
                               low_inclusive=False))
    aht = float(check_real("aht_seconds", aht_seconds, low=0.0, low_inclusive=False))
    traffic = calls_value * aht / (minutes * 60.0)  # inf on overflow: refused below
    check_size("what_if: the offered load calls_per_interval * aht_seconds / "
               "(60 * interval_minutes)", traffic, MAX_TRAFFIC, unit="Erlangs",
               how="give fewer calls, a shorter aht_seconds or a longer interval_minutes")
    if max_occupancy is not None:
        cap = float(check_real("max_occupancy", max_occupancy, low=0.0, high=1.0,
                               low_inclusive=False))
        check_size("what_if: the agents that max_occupancy allows for the load "
                   "(traffic / max_occupancy)", traffic / cap, MAX_AGENTS, unit="agents",
                   how="give a higher max_occupancy or a smaller load")
    if agents:
        counts = [int(n) for n in agents]
        check_size("what_if: agents", len(counts), MAX_ROWS, unit="counts")
        if min(counts) < 1 or max(counts) > MAX_AGENTS:
            raise CCSimInputError(f"what_if: agents must be whole numbers from 1 to "
                                  f"{MAX_AGENTS}; got {min(counts)} to {max(counts)}")
    least = int(erlang.agents_for_service_level(traffic, aht, target, answer_within_seconds,
                                                patience_seconds, max_occupancy))
    counts = list(agents) if agents else list(range(max(1, least - 4), least + 5))
    if patience_seconds is None:
        sl = erlang.service_level(traffic, counts, aht, answer_within_seconds)
        asa = erlang.average_speed_of_answer(traffic, counts, aht)
        p_wait, p_abandon = erlang.erlang_c(traffic, counts), [0.0] * len(counts)
        occ = erlang.occupancy(traffic, counts)
    else:
        r = erlang.erlang_a(traffic, counts, aht, patience_seconds, answer_within_seconds)
        sl, asa, p_wait, p_abandon, occ = (r.service_level, r.asa_seconds, r.p_wait,
                                           r.p_abandon, r.occupancy)
    rows = tuple(
        WhatIfRow(n, float(sl[i]), float(asa[i]), float(p_wait[i]), float(p_abandon[i]),
                  float(occ[i]), meets_target=n >= least, least=n == least)
        for i, n in enumerate(counts))
    return WhatIf(calls_value, minutes, aht, traffic, target, answer_within_seconds,
                  patience_seconds, max_occupancy, least, rows)


# --------------------------------------------------------------- formatting


def summary(result: WhatIf) -> str:
    """One line describing the inputs, the traffic and the model."""
    model = result.model
    if result.patience_seconds is not None:
        model += f" (mean patience {result.patience_seconds:g} s)"
    cap = "" if result.max_occupancy is None else f", occupancy <= {result.max_occupancy * 100:g}%"
    return (f"{result.calls_per_interval:.10g} calls per {result.interval_minutes:.10g} min, "
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
    """A JSON object: inputs, model, least count, notes and rows (``null`` for an infinite ASA).

    The inputs ``calls_per_interval`` and ``interval_minutes`` are also written under their
    deprecated keys ``calls`` and ``per_minutes`` for one release.
    """
    import json

    def finite(value: object) -> object:
        return None if isinstance(value, float) and not math.isfinite(value) else value

    data = {k: v for k, v in asdict(result).items() if k != "rows"}
    data.update(calls=result.calls_per_interval, per_minutes=result.interval_minutes)
    data.update(model=result.model, summary=summary(result), notes=notes(result),
                rows=[{k: finite(v) for k, v in asdict(row).items()} for row in result.rows])
    return json.dumps(data, indent=2, allow_nan=False)


def add(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "what-if", help="service level, ASA and occupancy for a range of agent counts",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Service level, ASA, P(wait), abandonment and occupancy for each agent\n"
        "count (Erlang C, or Erlang A with --patience); the least count meeting the\n"
        "target is marked. With neither --calls nor --aht, the built-in example runs:\n"
        "100 calls per 30 min, AHT 180 s, target 80/20. The load (calls x AHT / interval)\n"
        f"may be up to {MAX_TRAFFIC:,.0f} Erlangs, agent counts up to {MAX_AGENTS:,}.",
        epilog="examples:\n  ccsim what-if --calls 600 --interval 60 --aht 180 --agents 30-40 "
        "--target 80/20 --patience 120\n  ccsim what-if --center examples/center/center.toml "
        "--simulate --set general_zone.agents=8,10,12")
    p.add_argument("--calls", type=positive("a number of calls >= 0", allow_zero=True),
                   help="calls offered per interval (see --interval) [calls]; give with --aht")
    minutes = bounded(f"a number of minutes > 0 and at most {MAX_INTERVAL_MINUTES:g}", 0.0,
                      MAX_INTERVAL_MINUTES, low_inclusive=False)
    seconds = bounded(f"a number of seconds from 1 to {MAX_SECONDS:g}", 1.0, MAX_SECONDS)
    p.add_argument("--interval", type=minutes, metavar="MINUTES",
                   help="length of the interval the calls arrive in [min] (default: 30)")
    p.add_argument("--per", type=minutes, metavar="MINUTES",
                   help=argparse.SUPPRESS)  # deprecated name of --interval
    p.add_argument("--aht", type=seconds, metavar="SECONDS",
                   help="average handle time, talk plus after-call work [s] (example: 180)")
    p.add_argument("--agents", type=parse_agents, metavar="COUNTS",
                   help="agent counts: a range 30-40, a list 30,32,35 or one number "
                   "(default: the least count meeting the target, plus and minus 4)")
    p.add_argument("--target", type=parse_target, metavar="PERCENT/SECONDS",
                   help="service-level target: percent of calls answered within seconds, "
                   "80/20 or 0.8/20 (default: 80/20)")
    p.add_argument("--patience", type=seconds, metavar="SECONDS",
                   help="mean caller patience [s]; given, Erlang A (callers abandon) is used, "
                   "else Erlang C (nobody abandons)")
    p.add_argument("--max-occupancy", type=parse_share, metavar="SHARE",
                   help="cap on occupancy (offered traffic / agents), percent 85 or fraction "
                   "0.85; a count meets the target only under the cap")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="output format (default: table)")
    sim = p.add_argument_group(
        "a multi-skill floor by simulation",
        "--center FILE --simulate simulates the floor of a center file (TOML; see the\n"
        "README and ccsim.center): per call type service level, ASA and abandonment, per\n"
        "group occupancy, each with its 95 % confidence half-width. The options of the\n"
        "Erlang what-if above do not apply.")
    sim.add_argument("--center", type=Path, metavar="FILE",
                     help="a center file (TOML): call types, groups, routing, targets")
    sim.add_argument("--simulate", action="store_true",
                     help="answer by simulating the --center floor (its [simulate] hours "
                     "after a warm-up when every rate and staffing is flat, else its days)")
    sim.add_argument("--set", type=parse_setting, action="append", metavar="KEY=VALUE",
                     help="change the center first: GROUP.agents=N, "
                     "CALLTYPE.arrivals_per_hour=X, CALLTYPE.aht_seconds=S, "
                     "CALLTYPE.patience_seconds=S or lines=N; repeatable; one --set may list "
                     "values (general_zone.agents=8,9,10): one run per value")
    sim.add_argument("--replications", type=whole_number("a whole number from 2 to "
                                                         f"{MAX_REPLICATIONS}", 2,
                                                         MAX_REPLICATIONS), metavar="N",
                     help="simulated replications (default: the file's, else 10)")
    sim.add_argument("--seed", type=whole_number("a whole number from 0 to 2147483647", 0,
                                                 2**31 - 1), metavar="N",
                     help="the simulation's seed (default: the file's, else 0)")
    p.set_defaults(run=run)


def parse_setting(text: str) -> tuple[str, str, list[float]]:
    """``KEY=VALUE`` or ``KEY=V1,V2,...`` of ``--set``: (the text, the key, the values)."""
    valid = ("KEY=VALUE such as general_zone.agents=12, or a list of values such as "
             "general_zone.agents=10,12,14")
    key, equals, values = text.partition("=")
    key = key.strip()
    if not equals or not key or not values.strip():
        raise argparse.ArgumentTypeError(f"must be {valid}; got {text!r}")
    numbers = []
    for part in values.split(","):
        try:
            value = float(part)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be {valid} (numbers); got {part.strip()!r} in {text!r}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"must be {valid} (finite numbers); got {text!r}")
        numbers.append(value)
    if len(numbers) > MAX_SWEEP:
        raise argparse.ArgumentTypeError(f"lists {len(numbers)} values, more than "
                                         f"{MAX_SWEEP}; got {text!r}")
    return text, key, numbers


def _interval_minutes(args: argparse.Namespace) -> float:
    """``--interval``, or its deprecated name ``--per`` (with a note on stderr)."""
    if args.per is None:
        return EXAMPLE_INTERVAL_MINUTES if args.interval is None else args.interval
    if args.interval is not None:
        raise CCSimInputError("give --interval only (--per is its deprecated old name); "
                              f"got --interval {args.interval:g} and --per {args.per:g}")
    print("ccsim what-if: --per is deprecated and will be removed in the next release; "
          "use --interval", file=sys.stderr)
    return args.per


#: The Erlang what-if's options, refused with --center (what they were set to is ignored).
ERLANG_OPTIONS = (("calls", "--calls"), ("aht", "--aht"), ("interval", "--interval"),
                  ("per", "--per"), ("agents", "--agents"), ("target", "--target"),
                  ("patience", "--patience"), ("max_occupancy", "--max-occupancy"))


def _simulated(args: argparse.Namespace) -> int:
    """``--center FILE --simulate``: the work is in :mod:`ccsim.cli._whatif_sim`."""
    if args.center is None:
        given = "--simulate" if args.simulate else ("--set" if args.set else "--replications"
                                                     if args.replications else "--seed")
        raise CCSimInputError(f"{given} needs --center FILE (a center file to simulate); the "
                              "Erlang what-if of one queue takes --calls and --aht")
    if not args.simulate:
        raise CCSimInputError("--center needs --simulate (a center's floor is answered by "
                              "simulation)")
    erlang_only = [option for name, option in ERLANG_OPTIONS if getattr(args, name) is not None]
    if erlang_only:
        raise CCSimInputError(f"{erlang_only[0]} is an option of the Erlang what-if of one "
                              "queue, not of --center (the file states the floor; change it "
                              "with --set)")
    from ccsim.cli import _whatif_sim

    return _whatif_sim.run(args)


def run(args: argparse.Namespace) -> int:
    if (args.center is not None or args.simulate or args.set or args.replications is not None
            or args.seed is not None):
        return _simulated(args)
    if args.target is None:
        args.target = (0.8, 20.0)
    if (args.calls is None) != (args.aht is None):
        given, missing = ("--calls", "--aht") if args.aht is None else ("--aht", "--calls")
        raise CCSimInputError(f"{missing} is required with {given} "
                              "(give both, or neither for the built-in example)")
    minutes = _interval_minutes(args)
    calls = EXAMPLE_CALLS if args.calls is None else args.calls
    aht = EXAMPLE_AHT_SECONDS if args.aht is None else args.aht
    traffic = calls * aht / (minutes * 60.0)  # inf on overflow: refused here
    check_size(f"the load of --calls {calls:g} with --aht {aht:g} per --interval {minutes:g}",
               traffic, MAX_TRAFFIC, unit="Erlangs",
               how="give fewer --calls, a shorter --aht or a longer --interval")
    if args.max_occupancy is not None:
        check_size(f"the agents --max-occupancy {args.max_occupancy:g} allows for "
                   f"{traffic:,.4g} Erlangs", traffic / args.max_occupancy, MAX_AGENTS,
                   unit="agents", how="give a higher --max-occupancy or a smaller load")
    try:
        result = what_if(calls, minutes, aht, args.agents, *args.target,
                         patience_seconds=args.patience, max_occupancy=args.max_occupancy)
    except CCSimInputError as error:  # the options are checked: a limit of the library's
        raise CCSimInputError(reword(str(error), OPTION_OF, "what-if")) from None
    if args.format == "csv":
        print(format_csv(result))
        for note in notes(result):
            print(note, file=sys.stderr)
    else:
        print(format_json(result) if args.format == "json" else format_table(result))
    return 0
