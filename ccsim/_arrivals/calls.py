"""Checks of a call table (one row per call, as :func:`ccsim.io.read_call_log` makes it)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ccsim._arrivals.checks import call_type_labels, check_frame, ns_times, numeric_column
from ccsim._validation import CCSimInputError, check_real

#: The outcomes a call record may have.
OUTCOMES = ("answered", "abandoned", "other")

_WHAT = "ccsim.io.read_call_log makes them"


def check_calls(calls: Any, needed: tuple[str, ...]) -> pd.DataFrame:
    """Check the columns of a call table that a function uses; name what is wrong.

    Returns a copy holding the checked columns in canonical form: ``outcome`` and
    ``call_type`` as str (a call type ``3`` and ``"3"`` are the same), the
    ``*_seconds`` columns as float, ``arrival`` as naive ``datetime64[ns]``.
    """
    if not isinstance(calls, pd.DataFrame):
        raise CCSimInputError(
            "calls must be a pandas DataFrame with one row per call (see "
            f"ccsim.io.read_call_log); got {type(calls).__name__}"
        )
    check_frame(calls, "calls", needed, _WHAT)
    out = pd.DataFrame(index=pd.RangeIndex(len(calls)))
    if "outcome" in needed:
        outcome = calls["outcome"]
        if outcome.isna().any():
            row = int(np.flatnonzero(outcome.isna().to_numpy())[0])
            raise CCSimInputError(
                f"calls['outcome'] must be one of {OUTCOMES}; got a missing value at row {row}")
        text = outcome.astype(str).to_numpy(dtype=object)
        unknown = sorted(set(text.tolist()) - set(OUTCOMES))
        if unknown:
            raise CCSimInputError(
                f"calls['outcome'] must be one of {OUTCOMES}; got {unknown[:5]}"
            )
        out["outcome"] = text
    if "call_type" in needed:
        out["call_type"] = call_type_labels(calls["call_type"], "calls")
    for name in ("queue_wait_seconds", "service_seconds"):
        if name in needed:
            values = numeric_column(calls, name, "calls")
            check_real(f"calls[{name!r}]", values, low=0.0)
            out[name] = values
    if "arrival" in needed:
        out["arrival"] = _arrival(calls["arrival"])
    return out


def _arrival(arrival: pd.Series) -> np.ndarray:
    if not pd.api.types.is_datetime64_any_dtype(arrival):
        raise CCSimInputError(
            "calls['arrival'] must hold timestamps (datetime64); got dtype "
            f"{arrival.dtype} (pandas.to_datetime converts text)"
        )
    if getattr(arrival.dt, "tz", None) is not None:
        raise CCSimInputError(
            "calls['arrival'] must be naive local times (intervals follow the wall clock); "
            f"got time zone {arrival.dt.tz} (use .dt.tz_localize(None))"
        )
    if arrival.isna().any():
        row = int(np.flatnonzero(arrival.isna().to_numpy())[0])
        raise CCSimInputError(f"calls['arrival'] must be a timestamp; got NaT at row {row}")
    return ns_times(arrival, "calls['arrival']")
