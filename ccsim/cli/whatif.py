"""``ccsim what-if``: service measures for a range of agent counts, by Erlang C or A.

One row per agent count, and the least count that meets a service-level target.
Computing (:func:`what_if`) and formatting (:func:`format_table`, :func:`format_csv`,
:func:`format_json`) are separate so that the same result can be written as a table,
CSV or JSON. At import this module needs only the standard library and
:mod:`ccsim.erlang` (never pandas, matplotlib or SimPy), so that ``what-if`` answers in
well under a second.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from ccsim import erlang
from ccsim.cli._options import UsageError, parse_agents, parse_share, parse_target, positive

__all__ = ["WhatIf", "WhatIfRow", "add", "format_csv", "format_json", "format_table", "notes",
           "run", "summary", "what_if"]

#: The built-in example: 100 calls per 30 minutes, AHT 180 s (10 Erlangs), target 80/20.
EXAMPLE_CALLS, EXAMPLE_AHT_SECONDS = 100.0, 180.0


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


def add(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "what-if", help="service level, ASA and occupancy for a range of agent counts",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Service level, ASA, P(wait), abandonment and occupancy for each agent\n"
        "count (Erlang C, or Erlang A with --patience); the least count meeting the\n"
        "target is marked. With neither --calls nor --aht, the built-in example runs:\n"
        "100 calls per 30 min, AHT 180 s, target 80/20.",
        epilog="example:\n  ccsim what-if --calls 600 --per 60 --aht 180 --agents 30-40 "
        "--target 80/20 --patience 120")
    p.add_argument("--calls", type=positive("a number of calls >= 0", allow_zero=True),
                   help="calls offered per period (see --per) [calls]; give with --aht")
    p.add_argument("--per", type=positive("a number of minutes > 0"), default=30.0,
                   metavar="MINUTES", help="length of the period [min] (default: 30)")
    p.add_argument("--aht", type=positive("a number of seconds > 0"), metavar="SECONDS",
                   help="average handle time, talk plus after-call work [s] (example: 180)")
    p.add_argument("--agents", type=parse_agents, metavar="COUNTS",
                   help="agent counts: a range 30-40, a list 30,32,35 or one number "
                   "(default: the least count meeting the target, plus and minus 4)")
    p.add_argument("--target", type=parse_target, default=(0.8, 20.0), metavar="PERCENT/SECONDS",
                   help="service-level target: percent of calls answered within seconds, "
                   "80/20 or 0.8/20 (default: 80/20)")
    p.add_argument("--patience", type=positive("a number of seconds > 0"), metavar="SECONDS",
                   help="mean caller patience [s]; given, Erlang A (callers abandon) is used, "
                   "else Erlang C (nobody abandons)")
    p.add_argument("--max-occupancy", type=parse_share, metavar="SHARE",
                   help="cap on occupancy (offered traffic / agents), percent 85 or fraction "
                   "0.85; a count meets the target only under the cap")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="output format (default: table)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
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
