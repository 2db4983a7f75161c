"""Input checks and whole-number rounding shared by :mod:`ccsim.staffing`.

Private. Counts of people (agents, seats, team leaders, hires) are returned as
int64; :func:`ceil_whole` refuses, before the cast, any count above
``MAX_COUNT`` instead of letting it wrap around to a negative number.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ccsim._validation import CCSimInputError, check_count, check_real, check_size

# The largest count of people returned: 2**53 (about 9e15) is the largest whole
# number a float holds exactly, and far below int64's 9.2e18, so a count is
# never rounded or wrapped around. No organisation comes near it.
MAX_COUNT = float(2**53)
# Float noise forgiven before rounding up: 8 / (1 - 0.2) is 10.000000000000002.
# Relative (1e-9 of the value) up to a million, then at most 1e-3 of a person, so
# that ceil_whole(x) >= ceil(x) - 1 can never drop a whole person (it did for
# 2e10 agents, where 1e-9 of the value was 20), and a tiny positive need (1e-10
# of a person) still rounds up to one.
_TOL = 1e-9
_MAX_SLACK = 1e-3


def ceil_whole(x: Any, what: str = "the count", unit: str = "people",
               how: str = "") -> np.ndarray:
    """``ceil(x)`` as int64, forgiving float noise (see ``_TOL``), at most ``MAX_COUNT``.

    Parameters
    ----------
    x : float or array_like
        Non-negative values to round up.
    what, unit, how : str
        For the message when a value is above ``MAX_COUNT`` (or not finite): what
        the count is, naming the arguments it comes from, its unit and the remedy.
    """
    x = np.asarray(x, dtype=float)
    if x.size:
        check_size(what, float(np.max(x)), MAX_COUNT, unit=unit, how=how)
    slack = np.minimum(_TOL * np.abs(x), _MAX_SLACK)
    return np.ceil(x - slack).astype(np.int64)


def listing(values: Any, limit: int = 6) -> str:
    """``'a', 'b' and 3 more``."""
    values = [str(v) for v in values]
    more = f" and {len(values) - limit} more" if len(values) > limit else ""
    return ", ".join(repr(v) for v in values[:limit]) + more


def positive(name: str, value: Any) -> np.ndarray:
    """``value`` checked to be finite and ``> 0``."""
    return check_real(name, value, low=0.0, low_inclusive=False)


def one(name: str, value: Any, check: Any = positive) -> float:
    """One number checked by ``check(name, value)``; an array (or a sequence) is refused."""
    array = check(name, value)
    if array.ndim != 0:
        raise CCSimInputError(f"{name} must be one number; got an array of shape {array.shape}")
    return float(array)


def count(name: str, value: Any) -> int:
    """One whole number in ``[0, MAX_COUNT]``."""
    number = one(name, value, check_count)
    if number > MAX_COUNT:
        raise CCSimInputError(f"{name} must be at most 2**53 = {MAX_COUNT:,.0f}; got {number:g}")
    return int(number)


def total_label(types: Any) -> str:
    """The label of a total row: ``"total"``, unless a call type has that name."""
    return "total" if "total" not in {str(t) for t in types} else "all call types"


def checked_requirement(requirement: Any, needs: tuple[str, ...] = ("scheduled_agents",),
                        name: str = "requirement") -> pd.DataFrame:
    """``requirement`` if it looks like :func:`ccsim.staffing.requirements`' table.

    Refuses a table without rows, with two rows for one interval and call type (two
    requirements concatenated over the same intervals would be counted twice: add
    them per interval instead), without its ``interval_seconds`` attribute, or with
    agent counts that are not whole numbers in ``[0, MAX_COUNT]``.
    """
    if not isinstance(requirement, pd.DataFrame) or any(
            c not in requirement.columns for c in ("interval_start", "call_type", *needs)):
        raise CCSimInputError(
            f"{name} must be the DataFrame returned by ccsim.staffing.requirements "
            f"(columns interval_start, call_type, {', '.join(needs)}); got "
            f"{type(requirement).__name__}")
    if "interval_seconds" not in requirement.attrs:
        raise CCSimInputError(
            f"{name} has lost attrs['interval_seconds'] (pandas drops attrs in some "
            "operations, e.g. pd.concat of tables with different attrs); recompute it with "
            "ccsim.staffing.requirements")
    one(f"{name}.attrs['interval_seconds']", requirement.attrs["interval_seconds"])
    if requirement.empty:
        raise CCSimInputError(f"{name} has no rows; it needs at least one interval")
    if not pd.api.types.is_datetime64_any_dtype(requirement["interval_start"]) or (
            requirement["interval_start"].isna().any()):
        raise CCSimInputError(
            f"{name}['interval_start'] must be timestamps (datetime64, no NaT); got dtype "
            f"{requirement['interval_start'].dtype}")
    twice = requirement.duplicated(["interval_start", "call_type"], keep=False)
    if twice.any():
        first = requirement[twice].iloc[0]
        raise CCSimInputError(
            f"{name} has {int(twice.sum())} rows that repeat an (interval_start, call_type) "
            f"pair, e.g. {first['interval_start']} {first['call_type']!r}; a requirement has "
            "one row per interval and call type (two requirements over the same intervals "
            "were concatenated? add them per interval, or drop_duplicates())")
    for column in needs:
        values = check_count(f"{name}[{column!r}]", requirement[column].to_numpy(dtype=object))
        if float(values.max()) > MAX_COUNT:
            raise CCSimInputError(
                f"{name}[{column!r}] must be at most 2**53 = {MAX_COUNT:,.0f}; got "
                f"{float(values.max()):g}")
    return requirement
