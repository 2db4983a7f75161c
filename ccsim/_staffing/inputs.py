"""Reading a forecast for :func:`ccsim.staffing.requirements`, and the agents on shift
of :func:`ccsim.staffing.standby_for_surge` (private).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ccsim._erlang.inputs import MAX_TRAFFIC
from ccsim._staffing.checks import (
    MAX_COUNT,
    checked_requirement,
    listing,
)
from ccsim._validation import CCSimInputError, check_count, check_real


def freq_name(step: pd.Timedelta) -> str:
    minutes = step.total_seconds() / 60.0
    return f"{minutes:g}min" if minutes == int(minutes) else pd.tseries.frequencies.to_offset(
        step).freqstr


# ------------------------------------------------------------------ the forecast
def forecast_frame(forecast: Any) -> tuple[pd.DataFrame, Any]:
    """``interval_start``, ``call_type``, ``calls`` columns, and any declared freq."""
    if isinstance(forecast, pd.Series):
        if not isinstance(forecast.index, pd.DatetimeIndex):
            raise CCSimInputError(
                "forecast (a Series) must be indexed by interval start (a DatetimeIndex); "
                f"got a {type(forecast.index).__name__}")
        declared = forecast.attrs.get("freq") or forecast.index.freq
        name = "all" if forecast.name is None else str(forecast.name)
        frame = pd.DataFrame({"interval_start": forecast.index, "call_type": name,
                              "calls": forecast.to_numpy()})
        return frame, declared
    if not isinstance(forecast, pd.DataFrame):
        raise CCSimInputError(
            "forecast must be a DataFrame (interval_start, call_type, calls) or a Series "
            f"of calls indexed by interval start; got {type(forecast).__name__}")
    declared = forecast.attrs.get("freq")
    if "interval_start" not in forecast.columns and forecast.index.name == "interval_start":
        forecast = forecast.reset_index()
    missing = [c for c in ("interval_start", "calls") if c not in forecast.columns]
    if missing:
        hint = (" (a history table's 'offered' column: history.rename(columns={'offered': "
                "'calls'}))" if "offered" in forecast.columns else "")
        raise CCSimInputError(
            f"forecast is missing column(s) {listing(missing)}; it needs 'interval_start' "
            f"and 'calls' ('call_type' optional){hint}")
    types = forecast["call_type"].astype(str) if "call_type" in forecast.columns else "all"
    frame = pd.DataFrame({"interval_start": forecast["interval_start"].to_numpy(),
                          "call_type": types, "calls": forecast["calls"].to_numpy()})
    return frame, declared


def declared_step(declared: Any) -> pd.Timedelta:
    try:
        step = pd.Timedelta(pd.tseries.frequencies.to_offset(declared))
    except (TypeError, ValueError):
        step = None
    if step is None or not pd.Timedelta(0) < step <= pd.Timedelta(days=1):
        raise CCSimInputError(
            f"forecast.attrs['freq'] must be an interval length such as '15min', '30min' or "
            f"'60min'; got {declared!r}")
    return step


def forecast_grid(forecast: Any) -> tuple[pd.DataFrame, pd.Timedelta]:
    """The forecast as a sorted tidy frame, with its (checked) interval length."""
    frame, declared = forecast_frame(forecast)
    if frame.empty:
        raise CCSimInputError("forecast has no intervals")
    stamps = frame["interval_start"]
    if not pd.api.types.is_datetime64_any_dtype(stamps):
        raise CCSimInputError(
            f"forecast interval starts must be timestamps (datetime64); got dtype {stamps.dtype}")
    if getattr(stamps.dt, "tz", None) is not None:
        raise CCSimInputError(
            "forecast interval starts must be naive local times; got time zone "
            f"{stamps.dt.tz} (use .dt.tz_localize(None) or .tz_localize(None))")
    if stamps.isna().any():
        raise CCSimInputError("forecast interval starts must be timestamps; got NaT")
    frame["calls"] = check_real("forecast['calls']", frame["calls"].to_numpy(dtype=object),
                                low=0.0)
    frame = frame.sort_values(["call_type", "interval_start"], kind="stable", ignore_index=True)
    gaps = {t: np.diff(g.to_numpy()) for t, g in frame.groupby("call_type")["interval_start"]}
    for kind, diffs in gaps.items():
        if (diffs == np.timedelta64(0)).any():
            at = frame.loc[frame["call_type"] == kind, "interval_start"].iloc[
                int(np.argmax(diffs == np.timedelta64(0)))]
            raise CCSimInputError(
                f"forecast has two rows for call type {kind!r} at {at}; one row per interval "
                "and call type is needed")
    if declared is not None:
        step = declared_step(declared)
    else:
        steps = {k: pd.Timedelta(d.min()) for k, d in gaps.items() if d.size}
        if not steps:
            raise CCSimInputError(
                "cannot infer the interval length of forecast from one interval per call "
                "type; set forecast.attrs['freq'] (e.g. '30min')")
        if len(set(steps.values())) > 1:
            shown = ", ".join(f"{k!r} every {freq_name(s)}" for k, s in steps.items())
            raise CCSimInputError(
                f"forecast interval length is ambiguous: call types are spaced differently "
                f"({shown}); give each the same grid or set forecast.attrs['freq']")
        step = next(iter(steps.values()))
    for kind, diffs in gaps.items():
        bad = diffs != step.to_timedelta64()
        if bad.any():
            starts = frame.loc[frame["call_type"] == kind, "interval_start"]
            i = int(np.argmax(bad))
            raise CCSimInputError(
                f"forecast must be on a regular {freq_name(step)} grid: call type {kind!r} "
                f"goes from {starts.iloc[i]} to {starts.iloc[i + 1]} ({int(bad.sum())} such "
                "step(s)); fill missing intervals with 0 calls")
    frame = frame.sort_values(["interval_start", "call_type"], kind="stable", ignore_index=True)
    return frame, step


def per_type(name: str, value: Any, types: pd.Series, check: Any, none: float | None = None
              ) -> np.ndarray:
    """One float per row from a scalar or a ``{call_type: value}`` mapping."""
    def one(label: str, v: Any) -> float:
        if v is None and none is not None:
            return none
        array = check(label, v)
        if array.ndim != 0:
            raise CCSimInputError(
                f"{label} must be one number (or a mapping call type -> number); got "
                f"an array of shape {array.shape}")
        return float(array)

    if isinstance(value, pd.Series):
        value = value.to_dict()
    if not isinstance(value, Mapping):
        return np.full(len(types), one(name, value))
    table = {str(k): v for k, v in value.items()}
    missing = sorted(set(types) - set(table))
    if missing:
        raise CCSimInputError(
            f"{name} has no value for call type(s) {listing(missing)}; it maps "
            f"{listing(table) or 'nothing'}")
    checked = {k: one(f"{name}[{k!r}]", table[k]) for k in sorted(set(types))}
    return types.map(checked).to_numpy(dtype=float)


def patience_values(label: str, v: Any) -> np.ndarray:
    return check_real(label, v, low=0.0, low_inclusive=False, allow_inf=True)


def check_traffic(frame: pd.DataFrame, traffic: np.ndarray, aht: np.ndarray,
                   step: pd.Timedelta) -> None:
    """Refuse a load above ccsim.erlang's limit, naming the forecast row that makes it."""
    if traffic.size and float(np.max(traffic)) > MAX_TRAFFIC:
        i = int(np.argmax(traffic))
        row = frame.iloc[i]
        raise CCSimInputError(
            f"forecast['calls'] = {row['calls']:g} calls in {freq_name(step)} at "
            f"{row['interval_start']} (call type {row['call_type']!r}) with aht_seconds="
            f"{aht[i]:g} is {traffic[i]:.3g} Erlangs, more than the limit of "
            f"{MAX_TRAFFIC:,.0f} Erlangs of ccsim.erlang: about that many agents would be "
            "needed; check the units of the forecast and of aht_seconds")


# ------------------------------------------------------------------ requirements


def surge_time(name: str, value: Any) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        stamp = None
    if stamp is None or stamp is pd.NaT or stamp.tz is not None:
        raise CCSimInputError(
            f"{name} must be a naive local date and time (e.g. '2024-01-01 10:00'); "
            f"got {value!r}")
    return stamp


def on_shift_agents(on_shift: Any, rows: pd.DataFrame) -> np.ndarray:
    if isinstance(on_shift, pd.DataFrame):
        staff = checked_requirement(on_shift, ("agents",), name="on_shift")
        staff = staff.set_index(["interval_start", "call_type"])
        keys = pd.MultiIndex.from_frame(rows[["interval_start", "call_type"]])
        found = keys.isin(staff.index)
        if not found.all():
            first = keys[int(np.argmin(found))]
            raise CCSimInputError(
                f"on_shift has no row for interval {first[0]} and call type {first[1]!r} "
                "of the surge")
        return staff["agents"].reindex(keys).to_numpy(dtype=np.int64)
    values = per_type("on_shift", on_shift, rows["call_type"], on_shift_count)
    return values.astype(np.int64)


def on_shift_count(name: str, value: Any) -> np.ndarray:
    array = check_count(name, value)
    if array.size and float(array.max()) > MAX_COUNT:
        raise CCSimInputError(f"{name} must be at most 2**53; got {float(array.max()):g}")
    return array
