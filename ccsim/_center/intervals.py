"""Values per interval from a CSV file named in a center file (arrivals, agents).

The file has a column ``interval_start`` (``YYYY-MM-DD HH:MM``) and a column named
after the call type or group (or ``calls`` / ``agents``), so one wide file may serve
several call types or groups. Rows outside the planned days are ignored; intervals
inside them that the file does not list are 0; a value > 0 in closed hours is refused.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ccsim._center.keys import Keys
from ccsim._validation import CCSimInputError

__all__ = ["read_intervals"]

#: Largest calls or agents in one interval's cell.
MAX_VALUE = 1e7


def read_intervals(keys: Keys, key: str, path: Path, name: str, fallback: str,
                   grid: pd.DatetimeIndex, open_: np.ndarray, whole: bool) -> np.ndarray:
    """One value per interval of ``grid`` from column ``name`` (or ``fallback``) of ``path``.

    ``whole``: whole numbers (agents), else numbers >= 0 (calls).
    """
    from ccsim._center.tables import read_table

    what = (f"a CSV file with a column interval_start and a column {name!r} (or "
            f"{fallback!r}) of {'agents' if whole else 'calls'} per interval")
    try:
        table = read_table(f"{key} =", path, what)
        if "interval_start" not in table.columns:
            raise CCSimInputError(f"{table.shown}: no column 'interval_start'; give {what}")
        column = name if name in table.columns else fallback
        if column not in table.columns:
            raise CCSimInputError(f"{table.shown}: no column {name!r} or {fallback!r} (its "
                                  f"columns: {', '.join(table.columns)}); give {what}")
        step = grid[1] - grid[0] if len(grid) > 1 else pd.Timedelta(days=1)
        position = {stamp: i for i, stamp in enumerate(grid)}
        values = np.zeros(len(grid))
        seen: dict[int, int] = {}
        unit = "a whole number of agents >= 0" if whole else "a number of calls >= 0"
        for number, record in table.records:
            stamp = pd.Timestamp(table.moment(number, record, "interval_start"))
            if stamp < grid[0] or stamp >= grid[-1] + step:
                continue
            i = position.get(stamp)
            if i is None:
                raise table.error(number, "interval_start", f"{stamp} is not an interval start "
                                  f"of the center ({grid[0]} every {step})")
            if i in seen:
                raise table.error(number, "interval_start", f"{stamp} is also on {table.unit} "
                                  f"{seen[i]}; give each interval once")
            seen[i] = number
            value = table.number(number, record, column, unit, whole=whole, high=MAX_VALUE)
            if value > 0 and not open_[i]:
                raise table.error(number, column, f"{value:g} at {stamp}, outside the opening "
                                  "hours; widen `opening` or give 0")
            values[i] = value
        if not seen:
            raise CCSimInputError(f"{table.shown}: no row inside the planned days ({grid[0]} to "
                                  f"{grid[-1] + step})")
    except CCSimInputError as error:
        raise keys.error("", str(error)) from None
    return values
