"""Benchmark: shift scheduling, ccsim against pyworkforce's MinRequiredResources.

Run from the repository root with the ``bench`` extra on Python >= 3.12 (pyworkforce
0.5.4, OR-Tools CP-SAT); without pyworkforce only ccsim's columns are filled::

    pip install '.[bench]'
    python benchmarks/shifts.py              # every instance (about two minutes)
    python benchmarks/shifts.py --workers 2  # ccsim's processes for the plans with breaks
    python benchmarks/shifts.py --part repro # only the reproducibility table (a few minutes)

Instances (deterministic): agents per interval from Erlang C (AHT 180 s, 80 % in
20 s) on a two-peaked day, open 06:00-23:00, weekday factors and a slow rise over
the month:

1. ``1 day x 48 half-hours``: 4, 6, 8 and 10 h shifts starting every 30 minutes;
2. ``28 days x 96 quarter-hours``: the same lengths starting every 15 minutes;
3. the 28 days with breaks (ccsim only; pyworkforce places breaks after choosing the
   shifts): :func:`ccsim.shifts.standard_breaks`, a paid 15-minute break, an
   unpaid lunch (30 minutes on 6 h shifts, 60 on 8 and 10 h) and a second paid
   15-minute break, each in its window;
4. a 24/7 center (a tenth of the day's load at night), 28 days with breaks and shifts
   starting at every quarter-hour of the day and night, so that night shifts run into
   the next morning: the horizon is one block,
   which ccsim splits into day pieces at the night's low point; its proven bound is
   then the cost-shared pieces' (weaker), so the whole model's LP bound is also
   computed, by interior point, untimed, for the gap column.

Reproducibility (``--part repro``): instances (a) the bank example as ``ccsim schedule
--days 28`` builds it (forecast from 1999-02-01, every call type pooled, open
07:00-24:00, Erlang A, 9 h and 4 h shifts every 30 min, gap 0.5 %, cap 30 s), (b)
instance 3 and (c) instance 4 (gap 1 %, cap 60 s), each run ``--runs`` times; the table
gives cost, bounds, gaps, times and whether the plans (agents per shift and breaks) are
identical; then (a) once more while another process keeps a core busy.

Both libraries solve the same plain model (instances 1 and 2): minimise paid hours
(cost = shift length) subject to agents on shift >= required in every interval.
Shifts end by midnight there, because pyworkforce wraps a shift that runs past
midnight onto the morning of the same day. ccsim's time is ``schedule_shifts`` from
a requirement Series and templates to a plan; pyworkforce's is building
``MinRequiredResources`` from coverage arrays and ``solve()`` (2 search workers).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import warnings
from typing import Any

import numpy as np
import pandas as pd

from ccsim import erlang
from ccsim.shifts import ShiftPlan, ShiftTemplate, schedule_shifts, standard_breaks

AHT_SECONDS, TARGET, WITHIN_SECONDS = 180.0, 0.8, 20.0
LENGTHS = (4, 6, 8, 10)


def requirement(days: int, minutes: int, peak_erlangs: float = 40.0, *,
                around_the_clock: bool = False) -> pd.Series:
    """Agents needed on the phones per interval (Erlang C), from 2024-01-01 (a Monday).

    Open 06:00-23:00, or around the clock with a tenth of the day's level at night.
    """
    per_day = 1440 // minutes
    hours = (np.arange(per_day) + 0.5) * minutes / 60.0
    day = (np.exp(-0.5 * ((hours - 10.5) / 2.0) ** 2)
           + 0.8 * np.exp(-0.5 * ((hours - 15.5) / 2.5) ** 2) + 0.15)
    shape = np.where((hours >= 6) & (hours < 23), day, 0.1 if around_the_clock else 0.0)
    weekday = np.array([1.0, 0.95, 0.92, 0.9, 0.97, 0.55, 0.35])
    factor = weekday[np.arange(days) % 7] * np.linspace(0.9, 1.0, days)
    loads = peak_erlangs * np.outer(factor, shape / shape.max()).ravel()
    agents = erlang.agents_for_service_level(loads, AHT_SECONDS, TARGET, WITHIN_SECONDS)
    index = pd.date_range("2024-01-01", periods=days * per_day, freq=f"{minutes}min")
    return pd.Series(agents.astype(float), index=index)


def templates(every: int, *, breaks: bool, overnight: bool = False) -> list[ShiftTemplate]:
    """Shifts of LENGTHS starting every ``every`` minutes; ending by midnight unless overnight."""
    out = []
    for hours in LENGTHS:
        last = 1440 - every if overnight else 1440 - hours * 60
        for start in range(0, last + 1, every):
            out.append(ShiftTemplate(f"{hours}h {start // 60:02d}:{start % 60:02d}",
                                     f"{start // 60:02d}:{start % 60:02d}", hours,
                                     breaks=standard_breaks(hours) if breaks else ()))
    return out


def run_ccsim(need: pd.Series, shifts: list[ShiftTemplate], repeats: int = 1, **options: Any
              ) -> tuple[float, ShiftPlan]:
    """Best wall time [s] of ``repeats`` runs of ``schedule_shifts``, and the plan."""
    best, plan = np.inf, None
    for _ in range(repeats):
        began = time.perf_counter()
        plan = schedule_shifts(need, shifts, **options)
        best = min(best, time.perf_counter() - began)
    return best, plan


def full_lp_bound(need: pd.Series, shifts: list[ShiftTemplate]) -> float:
    """The LP relaxation of the whole horizon in one piece, by interior point (untimed).

    ccsim splits a horizon that night shifts join into day pieces and proves a weaker,
    cost-shared bound; this is the bound of the unsplit model, for comparison.
    """
    from scipy import sparse
    from scipy.optimize import linprog

    from ccsim._shifts import model as model

    grid, values = model.requirement_grid("requirement", need)
    lay = model.layout(grid, shifts)
    (span,) = model.blocks(lay)
    block = model.build_block(lay, span, values, penalty=None, seats=None, max_per_day=None,
                              service=None)
    equal = block.row_low == block.row_high
    lower = np.isfinite(block.row_low) & ~equal
    upper = np.isfinite(block.row_high) & ~equal
    a_ub = sparse.vstack([-block.matrix[lower], block.matrix[upper]])
    b_ub = np.concatenate([-block.row_low[lower], block.row_high[upper]])
    result = linprog(block.c, A_ub=a_ub, b_ub=b_ub, A_eq=block.matrix[equal],
                     b_eq=block.row_low[equal], bounds=np.c_[block.low, block.high],
                     method="highs-ipm")
    return float(result.fun)


def run_peer(need: pd.Series, shifts: list[ShiftTemplate], minutes: int, repeats: int = 1
             ) -> tuple[float, float, str]:
    """Best wall time of pyworkforce's MinRequiredResources on the same model, its cost."""
    best, result = np.inf, None
    for _ in range(repeats):
        began = time.perf_counter()
        result = _peer_once(need, shifts, minutes)
        best = min(best, time.perf_counter() - began)
    return best, *result


def _peer_once(need: pd.Series, shifts: list[ShiftTemplate], minutes: int
               ) -> tuple[float, str]:
    from pyworkforce.scheduling import MinRequiredResources

    per_day = 1440 // minutes
    days = len(need) // per_day
    coverage = {}
    for t in shifts:
        row = np.zeros(per_day, dtype=int)
        start = t.start_minutes // minutes
        row[start:start + t.length_minutes // minutes] = 1
        coverage[t.name] = row.tolist()
    required = need.to_numpy(dtype=int).reshape(days, per_day).tolist()
    peak = int(need.max())
    model = MinRequiredResources(num_days=days, periods=per_day, shifts_coverage=coverage,
                                 required_resources=required,
                                 max_period_concurrency=3 * peak, max_shift_concurrency=peak,
                                 cost_dict={t.name: t.cost for t in shifts},
                                 max_search_time=600, num_search_workers=2)
    solution = model.solve()
    return float(solution["cost"]), solution["status"]


def bank_example(days: int = 28) -> tuple[pd.Series, list[ShiftTemplate]]:
    """The requirement and templates of ``ccsim schedule --days DAYS`` on the bank example.

    The forecast of every call type pooled from 1999-02-01, staffed 80/20 with Erlang A
    (AHT and patience measured from the log) from 07:00 to 24:00; 9-hour and 4-hour
    shifts starting every 30 minutes in those hours.
    """
    import ccsim.io
    from ccsim import arrivals, staffing
    from ccsim.shifts import shift_catalogue

    calls = ccsim.io.load_example_calls()
    with warnings.catch_warnings():  # the log has no calls on 11-12 January: known
        warnings.simplefilter("ignore", UserWarning)
        history = arrivals.history_from_calls(calls, interval_minutes=30,
                                              answer_within_seconds=WITHIN_SECONDS)
        begin = pd.Timestamp("1999-02-01")
        forecast = arrivals.forecast_volumes(history, begin, begin + pd.Timedelta(days=days))
    volume = forecast.groupby("interval_start")["calls"].sum()
    minute = volume.index.hour * 60 + volume.index.minute
    volume = volume.where(minute >= 7 * 60, 0.0)
    volume.attrs["freq"] = "30min"
    aht = float(calls.loc[calls["outcome"] == "answered", "service_seconds"].mean())
    patience = float(arrivals.estimate_patience(calls))
    need = staffing.requirements(volume.rename("all"), aht, TARGET, WITHIN_SECONDS,
                                 patience_seconds=patience)
    shifts = [t for hours in (9, 4) for t in
              shift_catalogue(("07:00", "24:00"), [hours], every_minutes=30)]
    return need.set_index("interval_start")["agents"].astype(float), shifts


def _same(a: ShiftPlan, b: ShiftPlan) -> bool:
    return a.counts.equals(b.counts) and a.breaks.equals(b.breaks)


def reproducibility(args: argparse.Namespace) -> None:
    """The table of plans run ``args.runs`` times: cost, bounds, gaps, time, identical."""
    cases = [
        ("(a) bank example, 28 days, 30 min, open 07:00-24:00", bank_example, 0.005, 30.0),
        ("(b) 28 days x 96 quarter-hours, three breaks",
         lambda: (requirement(28, 15), templates(15, breaks=True)), 0.01, 60.0),
        ("(c) the same, 24/7, nights into the next day",
         lambda: (requirement(28, 15, around_the_clock=True),
                  templates(15, breaks=True, overnight=True)), 0.01, 60.0),
    ]
    print(f"\n| reproducibility, {args.workers} process(es), {args.runs} runs | cost | LP bound "
          "| proven bound | gap to LP bound | gap to proven bound | status (days) | time "
          "(min-max) | cap | identical |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, make, gap, cap in cases:
        need, shifts = make()
        plans, times = [], []
        for _ in range(args.runs):
            took, plan = run_ccsim(need, shifts, mip_gap=gap, time_limit_seconds=cap,
                                   workers=args.workers)
            assert (plan.coverage["on_phones"] >= plan.coverage["required"] - 1e-9).all()
            plans.append(plan)
            times.append(took)
        plan = plans[0]
        days = plan.solve_log["status"].value_counts().to_dict()
        same = all(_same(plan, p) for p in plans[1:])
        print(f"| {label} | {plan.cost:,.1f} | {plan.lp_bound:,.1f} | {plan.lower_bound:,.1f} | "
              f"{(plan.cost - plan.lp_bound) / plan.cost:.2%} | {plan.gap:.2%} | {plan.status} "
              f"({', '.join(f'{k} {v}' for k, v in days.items())}) | {min(times):.1f}-"
              f"{max(times):.1f} s | {cap:g} s | {'yes' if same else 'NO'} |", flush=True)
        if label.startswith("(a)"):
            reference = plan
    need, shifts = bank_example()
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        took, loaded = run_ccsim(need, shifts, mip_gap=0.005, time_limit_seconds=30.0,
                                 workers=args.workers)
    finally:
        busy.kill()
        busy.wait()
    print(f"| (a) again, another process keeping a core busy | {loaded.cost:,.1f} | "
          f"{loaded.lp_bound:,.1f} | {loaded.lower_bound:,.1f} | "
          f"{(loaded.cost - loaded.lp_bound) / loaded.cost:.2%} | {loaded.gap:.2%} | "
          f"{loaded.status} | {took:.1f} s | 30 s | "
          f"{'yes' if _same(reference, loaded) else 'NO'} (against the runs above) |")


def seconds(value: float) -> str:
    return f"{value * 1e3:.1f} ms" if value < 1 else f"{value:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2,
                        help="processes for ccsim's plans with breaks (default: 2)")
    parser.add_argument("--time-limit", type=float, default=60.0,
                        help="ccsim's time limit for the plans with breaks [s] (default: 60)")
    parser.add_argument("--gap", type=float, default=0.01,
                        help="ccsim's MIP gap for the plans with breaks (default: 0.01)")
    parser.add_argument("--part", choices=("all", "compare", "repro"), default="all",
                        help="the comparison with pyworkforce, the reproducibility table, or "
                        "both (default)")
    parser.add_argument("--runs", type=int, default=3,
                        help="runs of each instance in the reproducibility table (default: 3)")
    args = parser.parse_args(argv)
    if args.part != "repro":
        compare(args)
    if args.part != "compare":
        reproducibility(args)
    return 0


def compare(args: argparse.Namespace) -> None:
    """The tables against pyworkforce (plain model) and of ccsim's plans with breaks."""
    try:
        import pyworkforce  # noqa: F401

        peer = True
    except ImportError:
        peer = False
        print("pyworkforce is not installed: ccsim only (pip install '.[bench]' on "
              "Python >= 3.12)\n")

    print("| instance | ccsim cost | pyworkforce cost | ccsim time | pyworkforce time | ratio |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, days, minutes in (("1 day x 48 half-hours", 1, 30),
                                 ("28 days x 96 quarter-hours", 28, 15)):
        need = requirement(days, minutes)
        shifts = templates(minutes, breaks=False)
        t_ours, plan = run_ccsim(need, shifts, repeats=5, mip_gap=0.0)
        assert plan.status == "optimal", plan
        cells = [label + f" ({len(shifts)} shifts a day)", f"{plan.cost:,.0f}"]
        if peer:
            t_peer, cost, status = run_peer(need, shifts, minutes, repeats=3)
            same = "same" if cost == plan.cost else "DIFFERENT"
            cells += [f"{cost:,.0f} ({status}, {same})", seconds(t_ours), seconds(t_peer),
                      f"{t_peer / t_ours:,.0f}x"]
        else:
            cells += ["-", seconds(t_ours), "-", "-"]
        print("| " + " | ".join(cells) + " |", flush=True)

    print(f"\n(best of 5 runs for ccsim, of 3 for pyworkforce)\n\n"
          f"| ccsim with breaks, 28 days x 96 quarter-hours, {args.workers} process(es) | "
          "shifts a day | cost (paid h) | LP bound | proven bound | gap to LP bound | status | "
          "time |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, overnight in (("starts 00:00-20:00, ending by midnight", False),
                             ("open 24/7, starts around the clock, nights into the next day",
                              True)):
        need = requirement(28, 15, around_the_clock=overnight)
        shifts = templates(15, breaks=True, overnight=overnight)
        t_ours, plan = run_ccsim(need, shifts, mip_gap=args.gap,
                                 time_limit_seconds=args.time_limit, workers=args.workers)
        assert (plan.coverage["on_phones"] >= plan.coverage["required"]).all()
        lp_gap = (plan.cost - plan.lp_bound) / plan.cost
        lp = f"{plan.lp_bound:,.1f}"
        if overnight:  # the split horizon's bound is cost-shared: show the whole LP too
            whole = full_lp_bound(need, shifts)
            lp = f"{whole:,.1f} (split: {plan.lp_bound:,.1f})"
            lp_gap = (plan.cost - whole) / plan.cost
        print(f"| {label} | {len(shifts)} | {plan.cost:,.1f} | {lp} | {plan.lower_bound:,.1f} | "
              f"{lp_gap:.2%} | {plan.status} | {t_ours:.1f} s |", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
