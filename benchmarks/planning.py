"""Staffing by simulation on the bank example: SIPP's misses, the search's cost and time.

For each day of the first week of February 1999 (the packaged log's January forecast,
all call types pooled into one queue with the log's mean handle time and patience),
per half-hour from 07:00 to 24:00:

* SIPP: per-interval Erlang A staffing for 80 % within 20 s, simulated with a fresh
  seed (``--check-replications``): intervals short of 80 %;
* ``staff_by_simulation`` from SIPP (``--replications``, one-sided 95 % bound): agent-
  intervals against SIPP's, simulations, seconds, and the same fresh-seed check.

Run ``python benchmarks/planning.py [--days 7] [--replications 30]``. The full loop
(forecast -> shifts -> roster -> simulation -> correction) is not built yet.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

import ccsim.io
from ccsim import arrivals
from ccsim.erlang import agents_for_service_level
from ccsim.planning import Target, staff_by_simulation
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--replications", type=int, default=30)
    parser.add_argument("--check-replications", type=int, default=200)
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
