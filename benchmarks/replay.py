"""Benchmark: the simulation replaying the bank's January 1999 log, set against the log.

Run from the project root::

    python benchmarks/replay.py              # about a minute on one core
    python benchmarks/replay.py --quick      # fewer replications and variants

Part 1 checks the replay on a log the model did make: a day simulated with known
agents (3 to 5, changing every two hours) is written as a call log and replayed;
with its own agents the replay must give every wait again, and the agent rules of
``agents_from_calls`` are scored against the known agents.

Part 2 replays January 1999 of the packaged bank log (``ccsim.io.load_example_calls``)
with ``Scenario.from_calls`` defaults: the recorded arrivals, talk times and patience
(drawn only where the log does not show them), agents inferred by the "waiting" rule,
one pooled group, first come first served across call types. It prints the daily
table (offered, service level within 20 s, abandonment, ASA: actual and simulated),
the error of the daily and per-interval service level and abandonment (mean absolute
error, bias = mean of simulated - actual, worst), the error by hour of the day, and
the actual and simulated service level per call type and priority class.

Part 3 varies one choice at a time: the agent rule ("waiting", "serving", "busy"),
the log's priorities (ignored; as the log has them, 2 first; priority 0 first), and
fitted instead of recorded talk times and patience.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import pandas as pd

from ccsim.io import load_example_calls
from ccsim.simulation import (
    AgentGroup,
    CallType,
    LogNormal,
    Scenario,
    agents_from_calls,
    simulate,
)

SEED = 1999
RULES = ("waiting", "serving", "busy")


def errors(table: pd.DataFrame, measure: str, least: int = 1
           ) -> tuple[float, float, float, str]:
    """Mean absolute error, bias (mean error) and worst error of the rows with calls."""
    rows = table[table["offered_actual"] >= least]
    error = rows[f"{measure}_error"]
    worst = error.abs().idxmax()
    label = (f"{rows.loc[worst, 'date']:%a %d %b}" if "date" in rows
             else f"{rows.loc[worst, 'interval_start']:%a %d %b %H:%M}")
    return float(error.abs().mean()), float(error.mean()), float(error[worst]), label


def monthly(table: pd.DataFrame) -> tuple[float, float, float, float]:
    """Service level and abandonment over the month: actual and simulated."""
    offered = table["offered_actual"].sum()
    within = (table["service_level_actual"] * table["offered_actual"]).sum()
    within_sim = (table["service_level_simulated"] * table["offered_simulated"]).sum()
    return (within / offered, within_sim / offered, table["abandoned_actual"].sum() / offered,
            table["abandoned_simulated"].sum() / offered)


# ------------------------------------------------------------------ part 1
def self_check() -> None:
    start = pd.Timestamp("2024-03-04 08:00")
    counts = [3] * 4 + [5] * 4 + [4] * 4 + [2] * 4
    scenario = Scenario(
        [CallType("A", arrivals_per_hour=[40] * 6 + [70] * 6 + [30] * 4,
                  service=LogNormal(240, 200), patience_seconds=150)],
        [AgentGroup("agents", ["A"], agents=counts)], horizon_hours=8, start=start)
    calls = simulate(scenario, seed=11, executor="serial").calls
    log = pd.DataFrame({
        "call_type": "A", "arrival": calls["arrival"],
        "queue_wait_seconds": calls["wait_seconds"], "outcome": calls["outcome"].astype(str),
        "service_seconds": calls["service_seconds"],
        "agent": calls["agent"].astype(str).where(calls["agent"] >= 0, "")})
    end = start + pd.Timedelta(hours=8)
    replay = simulate(Scenario.from_calls(log, start=start, end=end, agents=counts), seed=5,
                      replications=3, executor="serial").calls
    gap = max(float(np.abs(replay.loc[replay["replication"] == r, "wait_seconds"].to_numpy()
                           - calls["wait_seconds"].to_numpy()).max()) for r in range(3))
    print("Part 1: a simulated day (3 to 5 agents, 8 h, "
          f"{len(calls)} calls, {int((calls['outcome'] == 'abandoned').sum())} abandoned)")
    print(f"  replayed with its agents: largest wait difference {gap:.1e} s (3 replications)")
    for rule in RULES:
        inferred = agents_from_calls(log, start=start, end=end, rule=rule).to_numpy()
        print(f"  rule {rule!r:10}: agents {inferred.tolist()}, equal to the known ones in "
              f"{int((inferred == counts).sum())} of {len(counts)} half-hours")
    print(f"  known agents:       {counts}")


# ------------------------------------------------------------------ part 2
def january(calls: pd.DataFrame, replications: int) -> None:
    scenario = Scenario.from_calls(calls)
    agents = scenario.agent_counts(scenario.groups[0])
    result = simulate(scenario, seed=SEED, replications=replications)
    days = result.compare(per="day")
    intervals = result.compare(per="interval")
    print(f"\nPart 2: January 1999 replayed ({replications} replications; agents by the "
          f"'waiting' rule: {agents.sum() / 2:.0f} agent-hours, at most {int(agents.max())})")
    shown = days[days["offered_actual"] > 0].copy()
    shown["date"] = shown["date"].dt.strftime("%a %d")
    columns = {"date": "day", "offered_actual": "offered",
               "service_level_actual": "SL", "service_level_simulated": "SL sim",
               "p_abandon_actual": "aband", "p_abandon_simulated": "aband sim",
               "asa_seconds_actual": "ASA s", "asa_seconds_simulated": "ASA sim"}
    print(shown[list(columns)].rename(columns=columns).to_string(
        index=False, float_format=lambda v: f"{v:.3f}" if abs(v) < 1 else f"{v:.1f}"))
    half = shown["service_level_simulated_ci"].max()
    print(f"  (simulation noise: the 95 % half-width of a day's simulated SL is at most "
          f"{half:.4f})")
    sl, sl_sim, ab, ab_sim = monthly(days)
    print(f"  month: SL {sl:.3f} actual, {sl_sim:.3f} simulated; abandonment {ab:.3f} "
          f"actual, {ab_sim:.3f} simulated")
    busy = int((intervals["offered_actual"] >= 20).sum())
    print("  error (simulated - actual): days with calls (29), half-hours with calls "
          f"({int((intervals['offered_actual'] > 0).sum())}) and with 20 calls or more "
          f"({busy}):")
    for per, table, least in (("day", days, 1), ("interval", intervals, 1),
                              ("interval 20+", intervals, 20)):
        for measure, name in (("service_level", "SL"), ("p_abandon", "abandonment")):
            mae, bias, worst, when = errors(table, measure, least)
            print(f"    {per:12} {name:12} MAE {mae:.3f}  bias {bias:+.3f}  worst {worst:+.3f} "
                  f"({when})")
    by_hour = intervals[intervals["offered_actual"] > 0].copy()
    by_hour["hour"] = by_hour["interval_start"].dt.hour
    for column in ("service_level", "p_abandon"):
        for side in ("actual", "simulated"):
            by_hour[f"{column}_{side}"] *= by_hour["offered_actual"]
    hours = by_hour.groupby("hour")[["offered_actual", "service_level_actual",
                                     "service_level_simulated", "p_abandon_actual",
                                     "p_abandon_simulated"]].sum()
    hours = hours[hours["offered_actual"] >= 100]
    for column in hours.columns[1:]:
        hours[column] /= hours["offered_actual"]
    hours["agents"] = pd.Series(agents, index=scenario.start + pd.to_timedelta(
        np.arange(agents.size) * 1800, unit="s")).groupby(lambda t: t.hour).mean()
    print("  by hour of the day (hours with at least 100 calls in the month; agents: "
          "inferred, mean over the 31 days):")
    print(hours.rename(columns={"offered_actual": "offered", "service_level_actual": "SL",
                                "service_level_simulated": "SL sim",
                                "p_abandon_actual": "aband",
                                "p_abandon_simulated": "aband sim"}).to_string(
        float_format=lambda v: f"{v:.3f}"))
    classes(calls, replications)


def classes(calls: pd.DataFrame, replications: int) -> None:
    """Actual and simulated service level per call type and priority class (FCFS, no priority)."""
    scenario = Scenario.from_calls(calls, priorities={0: 0, 1: 0, 2: 0})
    table = simulate(scenario, seed=SEED, replications=replications).compare(
        per="day", by="call_type")
    rows = []
    for name, part in table.groupby("call_type", observed=True):
        sl, sl_sim, ab, ab_sim = monthly(part)
        rows.append((name, int(part["offered_actual"].sum()), sl, sl_sim, ab, ab_sim))
    frame = pd.DataFrame(rows, columns=["class", "offered", "SL", "SL sim", "aband",
                                        "aband sim"])
    quiet = calls[calls["outcome"] != "other"]
    zero = quiet.groupby([quiet["call_type"] + "/p" + quiet["priority"].astype(str)])[
        "queue_wait_seconds"].apply(lambda w: float((w == 0).mean()))
    frame["waited 0 s"] = frame["class"].map(zero)
    print("  per call type and the log's priority (all in one first-come-first-served "
          "queue, as above):")
    print(frame[frame["offered"] >= 100].to_string(index=False,
                                                   float_format=lambda v: f"{v:.3f}"))


# ------------------------------------------------------------------ part 3
def variants(calls: pd.DataFrame, replications: int, quick: bool) -> None:
    print(f"\nPart 3: one choice at a time ({replications} replications each); daily error "
          "(simulated - actual) over the 29 days with calls")
    runs = [(f"agents {rule!r}", {"agents": agents_from_calls(calls, rule=rule)})
            for rule in RULES]
    runs += [("priorities as logged (2 first)", {"priorities": True}),
             ("priority 0 first", {"priorities": {0: 1, 1: 0, 2: 0}})]
    if not quick:
        runs += [("talk times fitted", {"service": "fitted"}),
                 ("patience fitted", {"patience": "fitted"}),
                 ("both fitted", {"service": "fitted", "patience": "fitted"})]
    rows = []
    for name, options in runs:
        scenario = Scenario.from_calls(calls, **options)
        days = simulate(scenario, seed=SEED, replications=replications).compare(per="day")
        hours = scenario.agent_counts(scenario.groups[0]).sum() / 2
        sl = errors(days, "service_level")
        ab = errors(days, "p_abandon")
        rows.append((name, hours, *monthly(days)[1::2], sl[0], sl[1], sl[2], ab[0], ab[1],
                     ab[2]))
    frame = pd.DataFrame(rows, columns=["variant", "agent-h", "SL sim", "aband sim",
                                        "SL MAE", "SL bias", "SL worst", "ab MAE", "ab bias",
                                        "ab worst"])
    print(frame.to_string(index=False, float_format=lambda v: f"{v:.3f}" if abs(v) < 10
                          else f"{v:.0f}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer replications and variants")
    parser.add_argument("--replications", type=int, default=None)
    args = parser.parse_args()
    replications = args.replications or (4 if args.quick else 20)
    warnings.simplefilter("ignore", UserWarning)  # 11-12 January are missing from the log
    self_check()
    calls = load_example_calls()
    january(calls, replications)
    variants(calls, max(2, replications // 4), args.quick)


if __name__ == "__main__":
    main()
