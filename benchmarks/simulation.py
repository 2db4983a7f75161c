"""Benchmark: simulated calls per wall-second, ccsim against ciw and a plain SimPy model.

Run from the project root (ciw comes with the ``bench`` extra)::

    python benchmarks/simulation.py            # about a minute and a half
    python benchmarks/simulation.py --quick    # a smaller run, a few seconds

Part 1 is one M/M/n+M queue in all three: 600 calls/h, exponential talk times
of mean 180 s, 35 agents, exponential patience of mean 120 s, 200 hours (about
120,000 calls), one replication, one core. Each model draws its own random
numbers; every one reports the calls it simulated, its wall time, and
P(abandon) and service level (20 s) next to Erlang A, so the three are seen to
simulate the same system; wall times are the best of three runs (one with
``--quick``). The plain SimPy model is the textbook one: a
``simpy.Resource`` of agents and one process per call that waits for an agent
or its patience, whichever comes first. ciw is driven through its own API
(``ciw.create_network`` with ``reneging_time_distributions``).

Part 2 is a day of a 600-agent floor with 10 skills, as in docs/design.md: four
general zones (160, 93, 87 and 97 agents at the peak), a VIP desk (27), a
premium desk (97), an English desk (8), difficult-case and data desks (14 each),
and callbacks answered by the general zones and the data desk; 07:00-22:00 in
half-hours with an intraday curve, about 40,000 calls, lognormal talk times,
wrap-up, exponential patience, VIP calls first, overflow between desks, counts
per interval for the general zones and shifts with breaks for the specialist
desks (about 600 agents on duty at the peak). It prints the wall time per day
on one core.

Part 3 is part 1's queue in ccsim with the callers' options of issue 12 off and
on: redials (half of the lost callers try again after 10 minutes on average),
an IVR (60 s, 30 % or none done there) and 50 lines, each alone and all
together. It prints attempts (first calls and redials) per wall-second; the
target is no more than 25 % fewer with everything on.
"""

from __future__ import annotations

import argparse
import math

import numpy as np
from _timing import best_time

from ccsim import erlang
from ccsim.simulation import (
    IVR,
    AgentGroup,
    CallType,
    LogNormal,
    Redial,
    Scenario,
    Shift,
    simulate,
)

RATE_PER_HOUR = 600.0
AHT_SECONDS = 180.0
AGENTS = 35
PATIENCE_SECONDS = 120.0
WITHIN_SECONDS = 20.0


def run_ccsim(hours: float, seed: int = 1) -> tuple[int, float, float]:
    scenario = Scenario(
        [CallType("calls", arrivals_per_hour=RATE_PER_HOUR, aht_seconds=AHT_SECONDS,
                  patience_seconds=PATIENCE_SECONDS)],
        [AgentGroup("agents", skills=["calls"], agents=AGENTS)],
        horizon_hours=hours, answer_within_seconds=WITHIN_SECONDS)
    row = simulate(scenario, seed=seed, executor="serial").summary().iloc[0]
    return int(row["offered"]), float(row["p_abandon"]), float(row["service_level"])


def run_simpy(hours: float, seed: int = 1) -> tuple[int, float, float]:
    """The textbook SimPy model: a Resource and one process per call."""
    import random

    import simpy

    rng = random.Random(seed)  # the standard library's generator: the fastest scalar draws
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=AGENTS)
    horizon = hours * 3600.0
    outcome = {"calls": 0, "abandoned": 0, "quick": 0}

    def caller(service: float, patience: float):
        arrived = env.now
        with agents.request() as request:
            got = yield request | env.timeout(patience)
            if request in got:
                outcome["quick"] += env.now - arrived <= WITHIN_SECONDS
                yield env.timeout(service)
            else:
                outcome["abandoned"] += 1

    def source():
        while True:
            yield env.timeout(rng.expovariate(RATE_PER_HOUR / 3600.0))
            if env.now >= horizon:
                return
            outcome["calls"] += 1
            env.process(caller(rng.expovariate(1.0 / AHT_SECONDS),
                               rng.expovariate(1.0 / PATIENCE_SECONDS)))

    env.process(source())
    env.run()
    calls = outcome["calls"]
    return calls, outcome["abandoned"] / calls, outcome["quick"] / calls


def run_ciw(hours: float, seed: int = 1) -> tuple[int, float, float]:
    """ciw's own M/M/n+M: exponential arrivals, services and reneging times."""
    import ciw

    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=RATE_PER_HOUR / 3600.0)],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / AHT_SECONDS)],
        number_of_servers=[AGENTS],
        reneging_time_distributions=[ciw.dists.Exponential(rate=1.0 / PATIENCE_SECONDS)],
    )
    ciw.seed(seed)
    simulation = ciw.Simulation(network)
    simulation.simulate_until_max_time(hours * 3600.0)
    records = simulation.get_all_records()
    served = [r for r in records if r.record_type == "service"]
    reneged = [r for r in records if r.record_type == "renege"]
    calls = len(served) + len(reneged)
    quick = sum(r.waiting_time <= WITHIN_SECONDS for r in served)
    return calls, len(reneged) / calls, quick / calls


def part_one(hours: float, repeats: int) -> None:
    exact = erlang.erlang_a(RATE_PER_HOUR * AHT_SECONDS / 3600.0, AGENTS, AHT_SECONDS,
                            PATIENCE_SECONDS, WITHIN_SECONDS)
    print(f"M/M/{AGENTS}+M: {RATE_PER_HOUR:g} calls/h, AHT {AHT_SECONDS:g} s, patience "
          f"{PATIENCE_SECONDS:g} s, {hours:g} h; Erlang A: P(abandon) {exact.p_abandon:.4f}, "
          f"SL {exact.service_level:.4f}")
    print(f"{'model':<8} {'calls':>9} {'wall s':>8} {'calls/s':>10} {'P(ab)':>7} {'SL':>7}")
    speed = {}
    for name, model in (("ccsim", run_ccsim), ("simpy", run_simpy), ("ciw", run_ciw)):
        wall, (calls, p_abandon, sl) = best_time(lambda model=model: model(hours), repeats)
        speed[name] = calls / wall
        print(f"{name:<8} {calls:>9,} {wall:>8.2f} {speed[name]:>10,.0f} {p_abandon:>7.4f} "
              f"{sl:>7.4f}")
    print(f"ccsim / plain SimPy: {speed['ccsim'] / speed['simpy']:.1f}x (target >= 1.5x); "
          f"ccsim / ciw: {speed['ccsim'] / speed['ciw']:.1f}x (target >= 3x)")


def floor_scenario() -> Scenario:
    """A day of the 600-agent, 10-skill floor of docs/design.md (07:00-22:00, half-hours)."""
    hours = 7.25 + np.arange(30) / 2.0  # interval mid-points, 07:00-22:00
    curve = (0.25 + np.exp(-0.5 * ((hours - 10.5) / 1.8) ** 2)
             + 0.8 * np.exp(-0.5 * ((hours - 15.5) / 2.2) ** 2))
    curve = curve / curve.max()
    # name: (peak calls/h, mean talk s, mean patience s, peak agents of its own desk)
    desks = {
        "general_1": (1160, 380, 180, 160), "general_2": (680, 380, 180, 93),
        "general_3": (630, 380, 180, 87), "general_4": (700, 380, 180, 97),
        "vip": (170, 420, 300, 27), "premium": (670, 400, 240, 97),
        "english": (45, 420, 240, 8), "difficult": (65, 600, 300, 14),
        "data": (75, 500, 300, 14), "callback": (100, 300, 900, 0),
    }
    overflow = {"vip": {"premium": 30}, "english": {"general_1": 60},
                "premium": {"general_2": 90}}
    call_types = [
        CallType(name, arrivals_per_hour=(peak * curve).round(1).tolist(),
                 service=LogNormal(talk, 0.8 * talk), wrap_up_seconds=40.0,
                 patience_seconds=patience, priority=1 if name == "vip" else 0,
                 overflow=overflow.get(name))
        for name, (peak, talk, patience, _) in desks.items()]
    generals = ["general_1", "general_2", "general_3", "general_4"]
    groups = []
    for name in generals:  # counts per half-hour, following the curve
        others = [g for g in generals if g != name]
        counts = np.ceil(desks[name][3] * (0.15 + 0.85 * curve)).astype(int).tolist()
        groups.append(AgentGroup(name, skills=[name, *others, "callback"], agents=counts))
    for name, skills in (("vip", ["vip"]), ("premium", ["premium"]),
                         ("english", ["english"]), ("difficult", ["difficult", "general_1"]),
                         ("data", ["data", "callback"])):
        peak = desks[name][3]  # an early and a late shift (07:00-15:30, 13:30-22:00)
        shifts = [Shift(0, 8.5, breaks=[(2.5, 2.75), (4.5, 5.0)], agents=-(-3 * peak // 4)),
                  Shift(6.5, 15, breaks=[(9.0, 9.25), (11.5, 12.0)], agents=-(-65 * peak // 100))]
        groups.append(AgentGroup(name, skills=skills, shifts=shifts))
    return Scenario(call_types, groups, horizon_hours=15, answer_within_seconds=20,
                    start="2024-04-01 07:00")


def part_two(replications: int, repeats: int) -> None:
    scenario = floor_scenario()
    wall, result = best_time(lambda: simulate(scenario, seed=1, replications=replications,
                                              executor="serial"), repeats)
    summary = result.summary()
    calls = summary["offered"].sum() * replications
    on_duty = result.groups.query("replication == 0").groupby("interval")["scheduled"].sum()
    print(f"\n600-agent floor, one day: {len(scenario.groups)} groups, "
          f"{len(scenario.call_types)} skills, {on_duty.max():.0f} agents on duty at the peak "
          f"({on_duty.mean():.0f} on average), {calls / replications:,.0f} calls per day")
    print(f"{replications} replication(s) on one core: {wall:.2f} s, "
          f"{wall / replications:.2f} s per day (target < 10 s), {calls / wall:,.0f} calls/s")
    print(summary[["offered", "service_level", "asa_seconds", "p_abandon",
                   "occupancy"]].round(3).to_string())


def run_callers(hours: float, redial: bool, ivr: float | None, lines: bool, seed: int = 1
                ) -> tuple[int, float, float]:
    """Part 1's queue with redials, an IVR (its self-service share, or None) and lines."""
    scenario = Scenario(
        [CallType("calls", arrivals_per_hour=RATE_PER_HOUR, aht_seconds=AHT_SECONDS,
                  patience_seconds=PATIENCE_SECONDS,
                  redial=Redial(0.5, 600) if redial else None,
                  ivr=None if ivr is None else IVR(60, self_service=ivr))],
        [AgentGroup("agents", skills=["calls"], agents=AGENTS)],
        horizon_hours=hours, answer_within_seconds=WITHIN_SECONDS, lines=50 if lines else None)
    row = simulate(scenario, seed=seed, executor="serial", keep_calls=False).summary().iloc[0]
    return int(row["attempts"]), float(row["p_blocked"]), float(row["p_abandon"])


CALLER_OPTIONS = (  # name: (redials, IVR self-service share or None, lines)
    ("off", (False, None, False)),
    ("redials", (True, None, False)),
    ("IVR, 30 % self-served", (False, 0.3, False)),
    ("IVR, none self-served", (False, 0.0, False)),
    ("lines", (False, None, True)),
    ("redials + IVR (30 %) + lines", (True, 0.3, True)),
    ("redials + IVR (none) + lines", (True, 0.0, True)),
)


def part_three(hours: float, repeats: int) -> None:
    # the options take turns in each round (best of the rounds), so that a change of the
    # machine's load during the run does not favour one of them
    best = {name: math.inf for name, _ in CALLER_OPTIONS}
    rows = {}
    for _ in range(repeats):
        for name, flags in CALLER_OPTIONS:
            wall, rows[name] = best_time(lambda flags=flags: run_callers(hours, *flags), 1)
            best[name] = min(best[name], wall)
    print(f"\nCallers' options (issue 12) on part 1's queue, {hours:g} h, one core, best of "
          f"{repeats} interleaved rounds:")
    print(f"{'options':<30} {'attempts':>9} {'wall s':>7} {'attempts/s':>11} {'P(block)':>9} "
          f"{'P(ab)':>7} {'vs off':>7}")
    base = rows["off"][0] / best["off"]
    for name, _ in CALLER_OPTIONS:
        attempts, p_blocked, p_abandon = rows[name]
        speed = attempts / best[name]
        print(f"{name:<30} {attempts:>9,} {best[name]:>7.2f} {speed:>11,.0f} {p_blocked:>9.4f} "
              f"{p_abandon:>7.4f} {speed / base - 1:>+7.0%}")
    print("target: all on no more than 25 % slower per attempt than off (with lines, a caller "
          "who leaves the IVR for the queue costs a second event: dial-in and IVR end)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller run")
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    part_one(hours=40.0 if args.quick else 200.0, repeats=repeats)
    part_two(replications=1 if args.quick else 3, repeats=repeats)
    part_three(hours=40.0 if args.quick else 200.0, repeats=1 if args.quick else 5)


if __name__ == "__main__":
    main()
