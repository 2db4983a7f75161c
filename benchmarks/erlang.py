"""Benchmark: a month of 15-minute staffing requirements, ccsim against pyworkforce.

Run with the ``bench`` extra on Python >= 3.12 (pyworkforce 0.5.4 needs it)::

    pip install '.[bench]'
    python benchmarks/erlang.py            # Erlang A peer timed on a sample
    python benchmarks/erlang.py --full     # the peer's Erlang A on every interval (minutes)
    python benchmarks/erlang.py --searches # ccsim's Erlang A searches alone (no peer)

``--searches`` times ccsim's Erlang A staffing searches (service level and
abandonment) over each month and counts the Erlang A evaluations per busy
interval; run it on two versions of ccsim to compare them (issue 9 measured the
searches that start at ``target * traffic`` against those that galloped up from 0).

The month has 30 days x 96 intervals = 2,880 intervals, loads from 0 to 2,000
Erlangs with the nights at zero, AHT 180 s, target 80 % answered within 20 s,
mean patience 120 s for Erlang A. Both libraries solve the same problem: the
least number of agents per interval meeting the target. The script prints the
wall times, the speed ratio and every interval where the counts differ, with
the service level each library's count achieves under ccsim's exact formulas.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

import numpy as np
from _timing import best_time

from ccsim import erlang

INTERVAL_MINUTES = 15
AHT_SECONDS = 180.0
TARGET = 0.8
ANSWER_WITHIN_SECONDS = 20.0
PATIENCE_SECONDS = 120.0
PEAK_ERLANGS = 2000.0


def month_of_loads(peak_erlangs: float = PEAK_ERLANGS, days: int = 30) -> np.ndarray:
    """Offered load [Erlang] for ``days`` x 96 quarter-hours: nights at zero, two peaks.

    Deterministic: a smooth intraday curve (open 06:00-23:00, peaks near 10:30 and
    15:30), weekday factors (weekends lighter) and a slow rise over the month,
    scaled so the busiest interval carries ``peak_erlangs``.
    """
    hours = (np.arange(96) + 0.5) / 4.0
    open_ = (hours >= 6.0) & (hours < 23.0)
    shape = (
        np.exp(-0.5 * ((hours - 10.5) / 2.0) ** 2)
        + 0.8 * np.exp(-0.5 * ((hours - 15.5) / 2.5) ** 2)
        + 0.15
    )
    shape = np.where(open_, shape, 0.0)
    weekday = np.array([1.0, 0.95, 0.92, 0.9, 0.97, 0.55, 0.35])
    days_factor = weekday[np.arange(days) % 7] * np.linspace(0.9, 1.0, days)
    loads = np.outer(days_factor, shape).ravel()
    return peak_erlangs * loads / loads.max()



def calls_per_interval(loads: np.ndarray) -> np.ndarray:
    return loads * INTERVAL_MINUTES * 60.0 / AHT_SECONDS


def peer_erlang_c(loads: np.ndarray) -> np.ndarray:
    """pyworkforce's ErlangC, one interval at a time (minutes as its time unit)."""
    from pyworkforce.queuing import ErlangC

    out = np.zeros(loads.size, dtype=np.int64)
    for i, calls in enumerate(calls_per_interval(loads)):
        if calls == 0:  # pyworkforce raises on zero volume: no call, no agent
            continue
        model = ErlangC(transactions=calls, aht=AHT_SECONDS / 60.0,
                        asa=ANSWER_WITHIN_SECONDS / 60.0, interval=INTERVAL_MINUTES)
        out[i] = model.required_positions(service_level=TARGET)["raw_positions"]
    return out


def peer_erlang_a(loads: np.ndarray) -> np.ndarray:
    """pyworkforce's ErlangA, one interval at a time."""
    from pyworkforce.queuing import ErlangA

    out = np.zeros(loads.size, dtype=np.int64)
    for i, calls in enumerate(calls_per_interval(loads)):
        if calls == 0:
            continue
        model = ErlangA(transactions=calls, aht=AHT_SECONDS / 60.0,
                        asa=ANSWER_WITHIN_SECONDS / 60.0, interval=INTERVAL_MINUTES,
                        patience=PATIENCE_SECONDS / 60.0)
        out[i] = model.required_positions(service_level=TARGET)["raw_positions"]
    return out


def explain(loads, ours, theirs, sl: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> None:
    """Print every interval where the counts differ and the exact SL at each count."""
    differ = np.flatnonzero(ours != theirs)
    print(f"  intervals with different counts: {differ.size}")
    for i in differ:
        a = loads[i]
        sl_ours, sl_theirs = sl(np.array([a, a]), np.array([ours[i], theirs[i]]))
        sl_below = sl(np.array([a]), np.array([max(ours[i] - 1, 0)]))[0]
        why = []
        if sl_ours >= TARGET and sl_below < TARGET:
            why.append(f"ccsim's {ours[i]} is the least meeting {TARGET:.0%}"
                       f" ({ours[i] - 1} gives {sl_below:.6f})")
        if theirs[i] > ours[i]:
            why.append(f"pyworkforce's {theirs[i]} overstaffs")
            if theirs[i] == round(a + 1) and ours[i] == math.ceil(a):
                why.append("(its search starts at round(traffic + 1), skipping ceil(traffic))")
            start = max(1, math.ceil(a - 1e-9))  # the peer's traffic may round up
            if ours[i] < start and theirs[i] in (start, start + 1):
                why.append("(its search starts at ceil(traffic); with abandonment fewer"
                           " agents than Erlangs can meet the target)")
        elif theirs[i] < ours[i]:
            why.append(f"pyworkforce's {theirs[i]} misses: exact SL {sl_theirs:.6f}")
        print(f"  interval {i}: {a:.3f} Erlangs: ccsim {ours[i]} (SL {sl_ours:.6f}),"
              f" pyworkforce {theirs[i]} (SL {sl_theirs:.6f}); " + " ".join(why))


def sl_erlang_c(a: np.ndarray, n: np.ndarray) -> np.ndarray:
    return erlang.service_level(a, n, AHT_SECONDS, ANSWER_WITHIN_SECONDS)


def sl_erlang_a(a: np.ndarray, n: np.ndarray) -> np.ndarray:
    return erlang.erlang_a(a, n, AHT_SECONDS, PATIENCE_SECONDS,
                           ANSWER_WITHIN_SECONDS).service_level


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true",
                        help="run pyworkforce's ErlangA on every interval (takes minutes)")
    parser.add_argument("--sample", type=int, default=24,
                        help="busy intervals on which to time pyworkforce's ErlangA (default 24)")
    parser.add_argument("--peaks", type=float, nargs="+", default=[PEAK_ERLANGS, 100.0],
                        help="busiest interval's load of each month to run [Erlang]")
    parser.add_argument("--searches", action="store_true",
                        help="time ccsim's Erlang A searches only (needs no peer)")
    parser.add_argument("--repeats", type=int, default=7,
                        help="runs per timing of --searches, the best is kept (default 7)")
    args = parser.parse_args(argv)
    for peak in args.peaks:
        if args.searches:
            search_costs(month_of_loads(peak), args.repeats)
        else:
            run_month(month_of_loads(peak), args.full, args.sample)
        print()
    return 0


def search_costs(loads: np.ndarray, repeats: int) -> None:
    """Wall time and Erlang A evaluations of ccsim's Erlang A searches over one month."""
    from ccsim._erlang import queueing

    busy = np.count_nonzero(loads)
    print(f"month: {loads.size} intervals of {INTERVAL_MINUTES} min, loads 0-{loads.max():.0f}"
          f" Erlangs, {busy} busy; patience {PATIENCE_SECONDS:.0f} s")
    searches = {
        f"service level {TARGET:.0%} in {ANSWER_WITHIN_SECONDS:.0f} s": lambda: (
            erlang.agents_for_service_level(loads, AHT_SECONDS, TARGET, ANSWER_WITHIN_SECONDS,
                                            patience_seconds=PATIENCE_SECONDS)),
        "abandonment 5 %": lambda: erlang.agents_for_abandon_rate(
            loads, AHT_SECONDS, 0.05, PATIENCE_SECONDS),
    }
    core = queueing.erlang_a_core
    evaluated = [0]

    def counting(a, *args, **kwargs):
        evaluated[0] += np.size(a)
        return core(a, *args, **kwargs)

    for name, search in searches.items():
        seconds, agents = best_time(search, repeats)
        evaluated[0] = 0
        queueing.erlang_a_core = counting
        try:
            search()
        finally:
            queueing.erlang_a_core = core
        print(f"  {name:30s} {seconds * 1e3:8.1f} ms (best of {repeats}),"
              f" {evaluated[0] / busy:5.1f} Erlang A evaluations per busy interval,"
              f" {int(agents.sum())} agent-intervals")


def run_month(loads: np.ndarray, full: bool, sample_size: int) -> None:
    """Time both libraries on one month of loads and print the comparison."""
    print(f"month: {loads.size} intervals of {INTERVAL_MINUTES} min, loads 0-{loads.max():.0f}"
          f" Erlangs, {np.count_nonzero(loads == 0)} at zero; AHT {AHT_SECONDS:.0f} s,"
          f" target {TARGET:.0%} in {ANSWER_WITHIN_SECONDS:.0f} s")

    print("\nErlang C: agents_for_service_level over the month")
    t_ours, ours = best_time(lambda: erlang.agents_for_service_level(
        loads, AHT_SECONDS, TARGET, ANSWER_WITHIN_SECONDS), repeats=20)
    t_peer, theirs = best_time(lambda: peer_erlang_c(loads), repeats=3)
    print(f"  ccsim       {t_ours * 1e3:9.2f} ms  (one vectorised call, best of 20)")
    print(f"  pyworkforce {t_peer * 1e3:9.2f} ms  (loop of ErlangC objects, best of 3)")
    print(f"  ratio       {t_peer / t_ours:9.1f} x faster")
    explain(loads, ours, theirs, sl_erlang_c)

    print(f"\nErlang A (patience {PATIENCE_SECONDS:.0f} s): agents_for_service_level,"
          " the month")
    t_ours_a, ours_a = best_time(lambda: erlang.agents_for_service_level(
        loads, AHT_SECONDS, TARGET, ANSWER_WITHIN_SECONDS,
        patience_seconds=PATIENCE_SECONDS), repeats=5)
    print(f"  ccsim       {t_ours_a * 1e3:9.2f} ms for all {loads.size} intervals"
          f" ({t_ours_a / loads.size * 1e6:.1f} us per interval)")
    if full:
        sample = np.arange(loads.size)
    else:  # evenly spread over the busy intervals, heaviest included
        busy = np.flatnonzero(loads > 0)
        sample = np.unique(np.concatenate([
            busy[np.linspace(0, busy.size - 1, sample_size).astype(int)],
            [int(np.argmax(loads))]]))
    t_peer_a, theirs_a = best_time(lambda: peer_erlang_a(loads[sample]), repeats=1)
    per_peer = t_peer_a / np.count_nonzero(loads[sample])
    per_ours = t_ours_a / np.count_nonzero(loads)
    month_peer = per_peer * np.count_nonzero(loads)
    print(f"  pyworkforce {t_peer_a * 1e3:9.2f} ms for {sample.size} intervals"
          f" ({per_peer * 1e3:.1f} ms per busy interval; month ~{month_peer:.0f} s)")
    print(f"  ratio       {per_peer / per_ours:9.0f} x faster per busy interval")
    explain(loads[sample], ours_a[sample], theirs_a, sl_erlang_a)
    agreement(loads[sample], ours_a[sample])


def agreement(loads: np.ndarray, agents: np.ndarray, count: int = 6) -> None:
    """Both libraries' Erlang A measures at the same agent counts, on a few intervals."""
    from pyworkforce.queuing import ErlangA

    picks = np.linspace(0, loads.size - 1, count).astype(int)
    ours = erlang.erlang_a(loads[picks], agents[picks], AHT_SECONDS, PATIENCE_SECONDS,
                           ANSWER_WITHIN_SECONDS)
    worst = {"service_level": 0.0, "p_abandon": 0.0, "p_wait": 0.0}
    for j, i in enumerate(picks):
        model = ErlangA(transactions=float(calls_per_interval(loads[i:i + 1])[0]),
                        aht=AHT_SECONDS / 60.0, asa=ANSWER_WITHIN_SECONDS / 60.0,
                        interval=INTERVAL_MINUTES, patience=PATIENCE_SECONDS / 60.0)
        n = int(agents[i])
        theirs = {"service_level": model.service_level(n),
                  "p_abandon": model.abandonment_probability(n),
                  "p_wait": model.waiting_probability(n)}
        for key, value in theirs.items():
            mine = getattr(ours, key)[j]
            worst[key] = max(worst[key], abs(mine - value) / abs(mine))
    print(f"  same agents, {count} intervals: largest relative difference between the"
          " libraries: " + ", ".join(f"{k} {v:.1e}" for k, v in worst.items()))
    print("  abandonment at ccsim's counts: "
          + ", ".join(f"{p:.1%}" for p in ours.p_abandon)
          + " (add agents_for_abandon_rate if the center also caps abandonment)")


if __name__ == "__main__":
    raise SystemExit(main())
