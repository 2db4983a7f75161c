"""Benchmark: a month of staffing requirements for 10 call types, Erlang C and Erlang A.

Run from the project root::

    python benchmarks/requirements.py

The month has 30 days x 48 half-hours x 10 call types = 14,400 rows: an intraday
curve with two peaks (closed 22:00-07:00), weekday factors, and call types from 2 to
400 calls per busy half-hour with AHTs from 150 to 420 s; target 80 % answered
within 20 s, shrinkage 30 %, mean patience 120-300 s for Erlang A. The script
prints the best wall time of a few runs of ccsim.staffing.requirements (the whole
table, validation included) and what the month needs.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from _timing import best_time

from ccsim import staffing

DAYS = 30
CALL_TYPES = 10


def month_forecast(days: int = DAYS, call_types: int = CALL_TYPES) -> pd.DataFrame:
    """A deterministic tidy forecast: ``days`` x 48 half-hours x ``call_types``."""
    grid = pd.date_range("2024-04-01", periods=days * 48, freq="30min")
    hours = (grid.hour + grid.minute / 60.0).to_numpy()
    shape = np.where((hours >= 7) & (hours < 22),
                     0.3 + np.exp(-0.5 * ((hours - 10.5) / 1.8) ** 2)
                     + 0.8 * np.exp(-0.5 * ((hours - 15.5) / 2.2) ** 2), 0.0)
    weekday = np.array([1.0, 0.95, 0.92, 0.9, 0.97, 0.55, 0.35])[grid.day_of_week]
    levels = np.geomspace(2.0, 400.0, call_types)
    frames = [pd.DataFrame({"interval_start": grid, "call_type": f"type_{k:02d}",
                            "calls": np.round(level * shape * weekday / shape.max(), 1)})
              for k, level in enumerate(levels)]
    frame = pd.concat(frames).sort_values(["interval_start", "call_type"], ignore_index=True)
    frame["calls_lower"] = frame["calls"]
    frame["calls_upper"] = frame["calls"]
    frame.attrs["freq"] = "30min"
    return frame



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs per model (default 5)")
    args = parser.parse_args(argv)
    forecast = month_forecast()
    types = sorted(forecast["call_type"].unique())
    aht = {t: float(a) for t, a in zip(types, np.linspace(150, 420, len(types)), strict=True)}
    patience = {t: float(p) for t, p in zip(types, np.linspace(120, 300, len(types)),
                                             strict=True)}
    busy = int((forecast["calls"] > 0).sum())
    print(f"month: {DAYS} days x 48 half-hours x {len(types)} call types = {len(forecast)} rows"
          f" ({busy} with calls, up to {forecast['calls'].max():.0f} calls per half-hour)")
    for model, kwargs in (("Erlang C", {}), ("Erlang A", {"patience_seconds": patience})):
        seconds, req = best_time(lambda kwargs=kwargs: staffing.requirements(
            forecast, aht, 0.8, 20, shrinkage=0.3, **kwargs), args.repeats)
        fte = staffing.fte(req, contracted_hours_per_fte=166.64).loc["total", "fte"]
        print(f"{model}: {seconds * 1e3:8.1f} ms (best of {args.repeats}),"
              f" {seconds / len(req) * 1e6:6.1f} us per row;"
              f" peak {req.groupby('interval_start')['agents'].sum().max()} agents on the"
              f" phones, {fte:.0f} FTE at 166.64 h a month")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
