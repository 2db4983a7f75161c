"""Checks of a call table (one row per call, as :func:`ccsim.io.read_call_log` makes it)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ccsim._validation import CCSimInputError, check_real

#: The outcomes a call record may have.
OUTCOMES = ("answered", "abandoned", "other")


def check_calls(calls: Any, needed: tuple[str, ...]) -> pd.DataFrame:
    """Check the columns of a call table that a function uses; name what is wrong."""
    if not isinstance(calls, pd.DataFrame):
        raise CCSimInputError(
            "calls must be a pandas DataFrame with one row per call (see "
            f"ccsim.io.read_call_log); got {type(calls).__name__}"
        )
    missing = [name for name in needed if name not in calls.columns]
    if missing:
        raise CCSimInputError(
            f"calls is missing column(s) {missing}; needs {list(needed)} "
            "(ccsim.io.read_call_log makes them)"
        )
    if "outcome" in needed:
        unknown = sorted(set(calls["outcome"].astype(str)) - set(OUTCOMES))
        if unknown:
            raise CCSimInputError(
                f"calls['outcome'] must be one of {OUTCOMES}; got {unknown[:5]}"
            )
    for name in ("queue_wait_seconds", "service_seconds"):
        if name in needed:
            check_real(f"calls[{name!r}]", calls[name].to_numpy(dtype=float), low=0.0)
    if "arrival" in needed:
        if not pd.api.types.is_datetime64_any_dtype(calls["arrival"]):
            raise CCSimInputError(
                "calls['arrival'] must hold timestamps (datetime64); got dtype "
                f"{calls['arrival'].dtype} (pandas.to_datetime converts text)"
            )
        if getattr(calls["arrival"].dt, "tz", None) is not None:
            raise CCSimInputError(
                "calls['arrival'] must be naive local times (intervals follow the wall clock); "
                f"got time zone {calls['arrival'].dt.tz} (use .dt.tz_localize(None))"
            )
        if calls["arrival"].isna().any():
            row = int(np.flatnonzero(calls["arrival"].isna().to_numpy())[0])
            raise CCSimInputError(f"calls['arrival'] must be a timestamp; got NaT at row {row}")
    return calls
