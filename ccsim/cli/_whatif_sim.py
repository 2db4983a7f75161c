"""``ccsim what-if --center FILE --simulate`` (private): the floor of a center file simulated.

Imported only when the command runs with ``--center`` (it needs pandas and SimPy).
A run is stationary (flat rates and agent numbers: ``[simulate]`` hours after a
warm-up) or the center's planned days (arrivals or agents per interval from files).
``--set KEY=VALUE`` changes the center first; one ``--set`` may list several values
(``KEY=8,9,10``): one run per value, on the same seed (common random numbers).
"""

from __future__ import annotations

import argparse
import json
import math
import time
from dataclasses import dataclass, field
from typing import Any

from ccsim._validation import CCSimInputError

__all__ = ["SimRun", "format_csv", "format_json", "format_table", "run", "simulate_runs"]

#: The measures per call type (each with a 95 % half-width ``*_ci``).
TYPE_MEASURES = ("service_level", "asa_seconds", "p_abandon")


@dataclass(frozen=True)
class SimRun:
    """One simulated setting: its ``--set`` values and the tables per call type and group."""

    settings: dict[str, float]
    call_types: list[dict[str, Any]]
    groups: list[dict[str, Any]]


@dataclass(frozen=True)
class SimWhatIf:
    """The runs and how they were made."""

    center: str
    name: str
    stationary: bool
    span: str
    replications: int
    seed: int
    seconds: float
    sweep: str | None
    runs: list[SimRun] = field(default_factory=list)
    lines: bool = False


def read(path: Any) -> Any:
    """The center file of ``--center``; its errors name the option."""
    from ccsim.center import read_center

    try:
        return read_center(path)
    except CCSimInputError as error:
        text = str(error)
        if text.startswith("center file "):
            text = "--center " + text[len("center file "):]
        raise CCSimInputError(text) from None


def _settings(center: Any, given: list[tuple[str, str, list[float]]]
              ) -> tuple[str | None, list[dict[str, float]]]:
    """The sweep's key (or None) and the settings of each run, every key checked."""
    several = [(text, key) for text, key, values in given if len(values) > 1]
    if len(several) > 1:
        raise CCSimInputError(f"--set: only one --set may list several values (a sweep); got "
                              f"{several[0][0]!r} and {several[1][0]!r}")
    seen: dict[str, str] = {}
    for text, key, _ in given:
        if key in seen:
            raise CCSimInputError(f"--set: {key!r} is set twice ({seen[key]!r} and {text!r})")
        seen[key] = text
    sweep = several[0][1] if several else None
    base = {key: values[0] for _, key, values in given}
    for text, key, values in given:  # every value checked before anything runs
        for value in values:
            try:
                center.with_settings({**base, key: value})
            except CCSimInputError as error:
                raise CCSimInputError(f"--set {text!r}: {error}") from None
    if sweep is None:
        return None, [base]
    values = next(values for _, key, values in given if key == sweep)
    return sweep, [{**base, sweep: value} for value in values]


def _fraction(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def simulate_runs(center: Any, given: list[tuple[str, str, list[float]]],
                  replications: int | None, seed: int | None) -> SimWhatIf:
    """Simulate the center once per setting; the measures per call type and group."""
    from ccsim.simulation import simulate

    sweep, settings = _settings(center, given)
    options = center.simulate_options
    replications = options.replications if replications is None else replications
    seed = options.seed if seed is None else seed
    runs, began, stationary, span, lines = [], time.perf_counter(), True, "", False
    for setting in settings:
        floor = center.with_settings(setting)
        lines = lines or floor.lines is not None
        stationary = floor.stationary
        scenario = floor.scenario()
        try:
            result = simulate(scenario, seed=seed, replications=replications)
        except CCSimInputError as error:
            raise CCSimInputError(f"--center {str(center.path)!r}: {error}") from None
        if stationary:
            span = (f"stationary: {options.hours:g} h judged after a {options.warmup_hours:g} h "
                    f"warm-up")
        else:
            span = (f"the planned days: {floor.days} day(s) from {floor.start}, "
                    f"{floor.interval_minutes}-minute intervals, open {floor.opening_text}")
        by_type = result.summary()
        by_group = result.summary(by="group")
        types = []
        for spec in floor.call_types:
            row = by_type.loc[spec.name]
            target = floor.targets[spec.name]
            meets = bool(row["service_level"] >= target.service_level and (
                target.max_abandon_rate is None or row["p_abandon"] <= target.max_abandon_rate))
            entry: dict[str, Any] = {"call_type": spec.name, "offered": float(row["offered"])}
            for measure in TYPE_MEASURES:
                entry[measure] = _fraction(row[measure])
                entry[f"{measure}_ci"] = _fraction(row[f"{measure}_ci"])
            entry["p_blocked"] = _fraction(row["p_blocked"])
            entry.update(target_service_level=target.service_level,
                         answer_within_seconds=target.answer_within_seconds,
                         max_abandon_rate=target.max_abandon_rate, meets_target=meets)
            types.append(entry)
        groups = []
        open_ = floor.open_intervals
        for spec in floor.groups:
            row = by_group.loc[spec.name]
            agents = (float(spec.agents) if spec.agents is not None else
                      float(spec.agents_per_interval[open_].mean()) if open_.any() else 0.0)
            groups.append({"group": spec.name, "agents": agents,
                           "agents_per_interval": spec.agents is None,
                           "occupancy": _fraction(row["occupancy"]),
                           "occupancy_ci": _fraction(row["occupancy_ci"])})
        runs.append(SimRun(dict(setting), types, groups))
    return SimWhatIf(str(center.path), center.name, stationary, span, replications, seed,
                     time.perf_counter() - began, sweep, runs, lines=lines)


# ------------------------------------------------------------------ formatting

def _pm(value: float | None, ci: float | None, digits: int) -> str:
    if value is None:
        return "-"
    return f"{value:.{digits}f} ± {ci:.{digits}f}" if ci is not None else f"{value:.{digits}f}"


def summary(result: SimWhatIf) -> list[str]:
    lines = [f"center {result.center!r} ({result.name}): {result.span}; "
             f"{result.replications} replications, seed {result.seed}, simulated in "
             f"{result.seconds:.1f} s"]
    fixed = {k: v for k, v in result.runs[0].settings.items() if k != result.sweep}
    if fixed:
        lines.append("set: " + ", ".join(f"{k}={v:g}" for k, v in fixed.items()))
    return lines


def format_table(result: SimWhatIf) -> str:
    """Per call type SL, ASA and abandonment, per group occupancy (± 95 % half-widths)."""
    lead = [result.sweep] if result.sweep else []
    width = max([len(result.sweep or "")] + [0])

    def first(run: SimRun) -> list[str]:
        return [f"{run.settings[result.sweep]:>{width}g}"] if result.sweep else []

    blocked = ["blocked"] if result.lines else []
    rows = [[*lead, "call type", "calls", *blocked, "service level", "ASA (s)", "abandoned",
             "target", "meets"]]
    for run in result.runs:
        for t in run.call_types:
            target = (f"{t['target_service_level'] * 100:g}/{t['answer_within_seconds']:g}"
                      + ("" if t["max_abandon_rate"] is None else
                         f", ab <= {t['max_abandon_rate'] * 100:g}%"))
            rows.append([*first(run), t["call_type"], f"{t['offered']:.1f}",
                         *([f"{t['p_blocked']:.3f}"] if result.lines else []),
                         _pm(t["service_level"], t["service_level_ci"], 3),
                         _pm(t["asa_seconds"], t["asa_seconds_ci"], 1),
                         _pm(t["p_abandon"], t["p_abandon_ci"], 3), target,
                         "yes" if t["meets_target"] else "no"])
    groups = [[*lead, "group", "agents", "occupancy"]]
    for run in result.runs:
        for g in run.groups:
            agents = f"{g['agents']:g}" if not g["agents_per_interval"] else \
                f"{g['agents']:.1f} (mean, file)"
            groups.append([*first(run), g["group"], agents,
                           _pm(g["occupancy"], g["occupancy_ci"], 3)])
    out = summary(result) + [""] + _aligned(rows) + [""] + _aligned(groups)
    out += ["", "calls: mean offered per replication in the judged span"
            + ("; blocked: share of attempts finding every line taken" if result.lines else "")
            + "; ± : 95 % confidence half-widths; meets: the estimates meet the target (no "
            "confidence bound)"]
    return "\n".join(out)


def _aligned(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    text = []
    for r in rows:
        cells = [c.ljust(w) if i == 0 or not c[:1].isdigit() and c != "-" else c.rjust(w)
                 for i, (c, w) in enumerate(zip(r, widths, strict=True))]
        text.append("  ".join(cells).rstrip())
    return text


CSV_COLUMNS = ("setting", "value", "kind", "name", "offered", "p_blocked", "service_level",
               "service_level_ci", "asa_seconds", "asa_seconds_ci", "p_abandon", "p_abandon_ci",
               "target_service_level", "answer_within_seconds", "max_abandon_rate",
               "meets_target", "agents", "occupancy", "occupancy_ci")


def format_csv(result: SimWhatIf) -> str:
    """One row per run and call type (kind ``call_type``) or group (kind ``group``)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS), lineterminator="\n",
                            restval="")
    writer.writeheader()
    for run in result.runs:
        lead = {"setting": result.sweep or "",
                "value": "" if result.sweep is None else f"{run.settings[result.sweep]:g}"}
        for t in run.call_types:
            row = {k: v for k, v in t.items() if k in CSV_COLUMNS}
            writer.writerow({**lead, "kind": "call_type", "name": t["call_type"], **row})
        for g in run.groups:
            writer.writerow({**lead, "kind": "group", "name": g["group"], "agents": g["agents"],
                             "occupancy": g["occupancy"], "occupancy_ci": g["occupancy_ci"]})
    return out.getvalue().rstrip("\n")


def format_json(result: SimWhatIf) -> str:
    """A JSON object: how the runs were made and, per run, the call types and groups."""
    data = {"center": result.center, "name": result.name, "stationary": result.stationary,
            "span": result.span, "replications": result.replications, "seed": result.seed,
            "seconds": round(result.seconds, 3), "sweep": result.sweep,
            "lines_limited": result.lines,
            "runs": [{"settings": r.settings, "call_types": r.call_types, "groups": r.groups}
                     for r in result.runs]}
    return json.dumps(data, indent=2, allow_nan=False)


def run(args: argparse.Namespace) -> int:
    center = read(args.center)
    result = simulate_runs(center, args.set or [], args.replications, args.seed)
    if args.format == "csv":
        print(format_csv(result))
    elif args.format == "json":
        print(format_json(result))
    else:
        print(format_table(result))
    return 0
