"""From a real call log to next weeks' staffing: the bank example, start to finish.

The packaged log is January 1999 of a small Israeli bank's call center (Brown et
al. 2005, JASA; see ccsim/data/README.md). The script measures the history,
backtests the forecast, forecasts the first two weeks of February by half-hour
and turns the forecast into agents per interval (Erlang A, with the patience
measured from the log), then saves the requirement curve as a PNG.
"""

import warnings

import ccsim.io
from ccsim import arrivals, plots, staffing

calls = ccsim.io.load_example_calls()
with warnings.catch_warnings():  # the log has no calls on 11-12 January: known, reported
    warnings.simplefilter("ignore", UserWarning)
    history = arrivals.history_from_calls(calls, interval_minutes=30, answer_within_seconds=20)

# How good is the forecast? Rolling origins over the last two weeks, 1-7 days ahead.
errors = arrivals.backtest(history, horizon_days=7, origins=14)
for level, rows in errors.groupby("level"):
    wape = rows.wape.round(3).tolist()
    print(f"backtest WAPE by horizon day 1-7, {level} level: {wape}")

# Handle time and patience per call type, measured from the log.
answered = calls[calls.outcome == "answered"]
aht_seconds = answered.groupby("call_type").service_seconds.mean().round(1).to_dict()
patience_seconds = {
    kind: round(arrivals.estimate_patience(calls[calls.call_type == kind]), 1)
    for kind in history.call_type.unique()
}
print("AHT (s):", {k: aht_seconds[k] for k in sorted(patience_seconds)})
print("patience (s):", dict(sorted(patience_seconds.items())))

forecast = arrivals.forecast_volumes(history, "1999-02-01", "1999-02-15")
need = staffing.requirements(forecast, aht_seconds={k: aht_seconds[k] for k in patience_seconds},
                             target=0.8, answer_within_seconds=20,
                             patience_seconds=patience_seconds, shrinkage=0.3)

# One row per half-hour (call types added up), then one per day.
floor = need.groupby("interval_start")[["calls", "agents", "scheduled_agents"]].sum()
daily = floor.groupby(floor.index.date).agg(
    calls=("calls", "sum"), peak_agents=("agents", "max"),
    scheduled_hours=("scheduled_agents", "sum"))
daily["scheduled_hours"] /= 2  # half-hours to hours
print("\nfirst week of February, every call type in its own queue:")
print(daily.head(7).round(0).astype(int).to_string())

ax = plots.requirement_curve(need[need.interval_start < "1999-02-03"])
ax.figure.savefig("bank_requirements.png", dpi=80)
print("\nrequirement curve saved to bank_requirements.png")
