"""Staffing by simulation on the bank example: SIPP's misses, the search's cost and time.

For each day of the first week of February 1999 (the packaged log's January forecast,
all call types pooled into one queue with the log's mean handle time and patience),
per half-hour from 07:00 to 24:00:

* SIPP: per-interval Erlang A staffing for 80 % within 20 s, simulated with a fresh
  seed (``--check-replications``): intervals short of 80 %;
* ``staff_by_simulation`` from SIPP (``--replications``, one-sided 95 % bound): agent-
  intervals against SIPP's, simulations, seconds, and the same fresh-seed check.

``--part month``: the bank month end to end as ``ccsim plan --days 28`` plans it (the
example's Erlang A requirement, 9 h and 4 h shifts, 80/20), three plans side by side, each
judged on a fresh seed: the interval-by-interval Erlang plan (shifts against the Erlang
requirement), ``plan(per="interval")`` and ``plan(per="day")`` (80/20 over each day's
calls); paid hours, intervals and days meeting 80/20, and the time of each stage
(staffing by simulation, the rounds of shift plans, the roster of the bank's agents).

``--part floor``: a week of the 600-agent, 10-skill floor (``benchmarks/_floor.py``)
staffed by simulation from each group's own Erlang A requirement, 80/20 per half-hour
for every call type: agent-intervals, simulations, time and simulated days per second,
and the intervals short on a fresh seed.

Run ``python benchmarks/planning.py [--part sipp|month|floor|all] [--days 7]
[--replications 30]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
import warnings

import numpy as np
import pandas as pd
from _floor import floor_week

import ccsim.io
from ccsim import arrivals
from ccsim.erlang import agents_for_service_level
from ccsim.planning import Target, plan, scenario_from_plan, staff_by_simulation
from ccsim.simulation import AgentGroup, CallType, Scenario, simulate

OPEN, CLOSE = 7, 24  # hours


def bank_days(days: int) -> tuple[pd.Series, float, float]:
    """Forecast calls per half-hour (all types), mean handle time and patience [s]."""
    calls = ccsim.io.load_example_calls()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        history = arrivals.history_from_calls(calls, interval_minutes=30,
                                              answer_within_seconds=20)
    end = pd.Timestamp("1999-02-01") + pd.Timedelta(days=days)
    forecast = arrivals.forecast_volumes(history, "1999-02-01", end)
    volume = forecast.groupby("interval_start")["calls"].sum()
    answered = calls[calls["outcome"] == "answered"]
    aht = float(answered["service_seconds"].mean())
    patience = float(arrivals.estimate_patience(calls))
    return volume, aht, patience


def one_day(volume: pd.Series, day: pd.Timestamp, aht: float, patience: float,
            agents) -> Scenario:
    start = day + pd.Timedelta(hours=OPEN)
    calls = volume[(volume.index >= start) & (volume.index < day + pd.Timedelta(hours=CLOSE))]
    return Scenario([CallType("all", arrivals=calls, aht_seconds=aht,
                              patience_seconds=patience)],
                    [AgentGroup("agents", skills=["all"], agents=[int(a) for a in agents])],
                    CLOSE - OPEN, 20, interval_minutes=30, start=start)


def short(scenario: Scenario, replications: int) -> tuple[int, float]:
    """Intervals below 80 % and the lowest service level, by a fresh seed."""
    rows = simulate(scenario, seed=987654, replications=replications).summary(by="interval")
    level = rows["service_level"].to_numpy()
    return int((level < 0.8).sum()), float(level.min())


def sipp_part(args: argparse.Namespace) -> None:
    volume, aht, patience = bank_days(args.days)
    print(f"bank, {args.days} days from 1999-02-01, {OPEN:02d}:00-{CLOSE}:00, pooled: "
          f"AHT {aht:.0f} s, patience {patience:.0f} s; 80 % within 20 s per half-hour")
    rows = []
    for d in range(args.days):
        day = pd.Timestamp("1999-02-01") + pd.Timedelta(days=d)
        probe = one_day(volume, day, aht, patience, [1] * 2 * (CLOSE - OPEN))
        calls = probe.call_types[0].arrivals
        sipp = np.asarray(agents_for_service_level(
            calls.to_numpy() * aht / 1800, aht, 0.8, 20, patience_seconds=patience))
        scenario = one_day(volume, day, aht, patience, sipp)
        sipp_short, sipp_low = short(scenario, args.check_replications)
        began = time.perf_counter()
        result = staff_by_simulation(scenario, Target(0.8, 20),
                                     replications=args.replications, seed=0)
        seconds = time.perf_counter() - began
        checked = one_day(volume, day, aht, patience, result.agents["agents"])
        sbs_short, sbs_low = short(checked, args.check_replications)
        rows.append({"day": day.date(), "calls": round(float(calls.sum())),
                     "sipp_agent_intervals": int(sipp.sum()), "sipp_short": sipp_short,
                     "sipp_lowest_sl": round(sipp_low, 3),
                     "sbs_agent_intervals": int(result.agents.to_numpy().sum()),
                     "sbs_short": sbs_short, "sbs_lowest_sl": round(sbs_low, 3),
                     "status": result.status,
                     "simulations": int(result.iterations["simulations"].iloc[-1]),
                     "seconds": round(seconds, 1)})
        print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    print(table.to_string(index=False))
    print(f"total: SIPP {table.sipp_agent_intervals.sum()} agent-intervals, "
          f"{table.sipp_short.sum()} short; by simulation {table.sbs_agent_intervals.sum()}, "
          f"{table.sbs_short.sum()} short (fresh seed, {args.check_replications} "
          f"replications); {table.seconds.sum():.0f} s")



FRESH_SEED = 987654


def judged(scenario: Scenario, replications: int) -> dict:
    """Half-hours and days meeting 80/20 on a fresh seed (pooled replications); half-hours
    with at least one call per replication on average (the edges of the day, with a
    call in a few replications only, are left out)."""
    frame = simulate(scenario, seed=FRESH_SEED, replications=replications).intervals
    start = pd.Timestamp(scenario.start)
    frame = frame.assign(when=start + pd.to_timedelta(frame["interval"] * 30, unit="min"))
    per_interval = frame.groupby("when")[["offered", "answered_within"]].sum()
    per_day = per_interval.groupby(per_interval.index.normalize()).sum()
    per_interval = per_interval[per_interval["offered"] >= replications]
    level = per_interval["answered_within"] / per_interval["offered"]
    daily = per_day["answered_within"] / per_day["offered"]
    return {"intervals_met": f"{int((level >= 0.8).sum())}/{len(level)}",
            "share_met": round(float((level >= 0.8).mean()), 3),
            "lowest_interval": round(float(level.min()), 3),
            "days_met": f"{int((daily >= 0.8).sum())}/{len(daily)}",
            "lowest_day": round(float(daily.min()), 3)}


def month_part(args: argparse.Namespace) -> None:
    from ccsim.cli._plan_work import SHIFT_HOURS, TARGET, example_scenario, read_agents
    from ccsim.roster import roster_from_plan
    from ccsim.shifts import schedule_shifts, shift_catalogue

    days = args.days
    scenario, lines = example_scenario(days)
    print("\n".join(lines))
    templates = shift_catalogue(("07:00", "24:00"), list(SHIFT_HOURS))
    call_types = list(scenario.call_types)
    index = pd.date_range(pd.Timestamp(scenario.start), periods=scenario.n_intervals,
                          freq="30min")
    erlang = pd.Series(np.asarray(scenario.groups[0].agents, dtype=np.int64), index=index)
    options = {"time_limit_seconds": 60}
    rows = []
    began = time.perf_counter()
    erlang_plan = schedule_shifts(erlang, templates, **options)
    seconds = time.perf_counter() - began
    worked = scenario_from_plan(erlang_plan, call_types, start=scenario.start,
                                horizon_hours=scenario.horizon_hours, interval_minutes=30)
    rows.append({"plan": "Erlang A per interval", "paid_hours": float(erlang_plan.paid_hours),
                 **judged(worked, args.check_replications), "staffing_s": 0.0,
                 "rounds": 1, "rounds_s": round(seconds, 1)})
    print(rows[-1], flush=True)
    for per in ("interval", "day"):
        began = time.perf_counter()
        result = plan(scenario, templates, TARGET, per=per, replications=args.replications,
                      seed=0, schedule_options=options)
        total = time.perf_counter() - began
        staffing_s = float(result.staffing.iterations["seconds"].iloc[-1])
        worked = scenario_from_plan(result.shift_plan, call_types, start=scenario.start,
                                    horizon_hours=scenario.horizon_hours, interval_minutes=30)
        rows.append({"plan": f"plan(per={per!r})",
                     "paid_hours": float(result.shift_plan.paid_hours),
                     **judged(worked, args.check_replications),
                     "staffing_s": round(staffing_s, 1), "rounds": len(result.iterations),
                     "rounds_s": round(total - staffing_s, 1)})
        print(rows[-1], flush=True)
    agents, _ = read_agents(None, days)
    began = time.perf_counter()
    roster_from_plan(result.shift_plan, agents, time_limit_seconds=60, seed=0,
                     min_rest_hours=11.0)
    roster_s = time.perf_counter() - began
    print(pd.DataFrame(rows).to_string(index=False))
    print(f"roster of the bank's {len(agents)} agents for the last plan: {roster_s:.1f} s; "
          f"judged on seed {FRESH_SEED} with {args.check_replications} replications")


def floor_part(args: argparse.Namespace) -> None:
    scenario, start = floor_week(args.days)
    print(f"600-agent floor, {args.days} days: {len(scenario.groups)} groups, "
          f"{len(scenario.call_types)} call types, Erlang start {int(start.to_numpy().sum())} "
          f"agent-intervals (peak {int(start.sum(axis=1).max())} agents); "
          f"{args.replications} replications, executor {args.executor!r}")
    began = time.perf_counter()
    result = staff_by_simulation(scenario, Target(0.8, 20), replications=args.replications,
                                 seed=0, executor=args.executor,
                                 progress=lambda line: print(f"  {line}", flush=True))
    seconds = time.perf_counter() - began
    simulations = int(result.iterations["simulations"].iloc[-1])
    checked = dataclasses.replace(scenario, groups=[
        dataclasses.replace(g, agents=result.agents[g.name].tolist()) for g in scenario.groups])
    fresh = simulate(checked, seed=FRESH_SEED, replications=args.check_replications // 10)
    rows = fresh.summary(by="interval").reset_index()
    rows = rows[rows["offered"] > 0]
    print(f"status {result.status}: {int(result.agents.to_numpy().sum())} agent-intervals "
          f"(Erlang start {int(start.to_numpy().sum())}), {simulations} simulations in "
          f"{seconds:.0f} s: {simulations * args.replications * args.days / seconds:.1f} "
          f"simulated days per second")
    print(f"fresh seed ({args.check_replications // 10} replications): "
          f"{int((rows['service_level'] < 0.8).sum())} of {len(rows)} interval-call types "
          f"below 80 % (lowest {rows['service_level'].min():.3f})")
    print(result.agents.groupby(result.agents.index.normalize()).sum().to_string())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("sipp", "month", "floor", "all"), default="all")
    parser.add_argument("--days", type=int, default=None,
                        help="days planned (default: 7 sipp and floor, 28 month)")
    parser.add_argument("--replications", type=int, default=None,
                        help="replications of the search (default: 30 sipp, 20 month, "
                             "10 floor)")
    parser.add_argument("--check-replications", type=int, default=200)
    parser.add_argument("--executor", default="processes",
                        help="where the floor's replications run (serial, processes)")
    args = parser.parse_args()
    for part, days, replications, run in (("sipp", 7, 30, sipp_part),
                                          ("month", 28, 20, month_part),
                                          ("floor", 7, 10, floor_part)):
        if args.part in (part, "all"):
            print(f"\n== {part} ==", flush=True)
            run(argparse.Namespace(**{**vars(args),
                                      "days": args.days or days,
                                      "replications": args.replications or replications}))


if __name__ == "__main__":
    main()
