"""Putting a solved shift plan together: its tables, per shift, break and interval (private).

:func:`plan_fields` turns the solver's agents per shift instance and break slot
(:class:`ccsim._shifts.solve.Outcome`) into the tables of a
:class:`ccsim.shifts.ShiftPlan`; :func:`daily_table` gives a daily target's service
level and paid hours per day.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ccsim._shifts.grid import Grid
from ccsim._shifts.model import Layout
from ccsim._shifts.solve import Outcome

__all__ = ["daily_level", "daily_table", "day_joins", "plan_fields"]


def day_joins(lay: Layout) -> list[tuple[int, int]]:
    """Slot ranges holding the starts of each day's shifts (for a per-day agent limit)."""
    out = []
    for day in np.unique(lay.inst_day):
        starts = lay.inst_start[lay.inst_day == day]
        out.append((int(starts.min()), int(starts.max())))
    return out


# ------------------------------------------------------------------ assembling a plan
def _tidy(values: np.ndarray) -> np.ndarray:
    """Values rounded to 9 decimals (solver noise off), without overflow: no -0.0."""
    values = np.asarray(values, dtype=float)
    small = np.abs(values) < 1e15  # larger ones have no digits at 1e-9 to round
    return np.where(small, np.round(np.where(small, values, 0.0), 9), values) + 0.0


def _stamps(grid: Grid, slots: np.ndarray) -> np.ndarray:
    return grid.origin.to_datetime64() + np.asarray(slots, dtype=np.int64) * np.timedelta64(
        grid.step, "m")


def plan_fields(lay: Layout, outcome: Outcome, required: np.ndarray, *,
                penalty: float | None, extra: dict[str, np.ndarray] | None = None,
                service: pd.DataFrame | None = None) -> tuple[Any, ...]:
    """The fields of a :class:`ccsim.shifts.ShiftPlan`, in order, from a solved layout."""
    grid = lay.grid
    templates = lay.templates
    names = np.array([t.name for t in templates], dtype=object)
    days = np.array(lay.days, dtype="datetime64[ns]")
    used = np.flatnonzero(outcome.x > 0)
    used = used[np.lexsort((names[lay.inst_template[used]].astype(str),
                            lay.inst_start[used]))]
    agents = outcome.x[used].astype(np.int64)
    tpl = lay.inst_template[used]
    counts = pd.DataFrame({
        "date": days[lay.inst_day[used]],
        "template": names[tpl],
        "start": _stamps(grid, lay.inst_start[used]),
        "end": _stamps(grid, lay.inst_end[used]),
        "agents": agents,
        "paid_hours": agents * np.array([t.paid_hours for t in templates])[tpl],
        "cost": agents * np.array([t.cost for t in templates])[tpl],
    })
    pieces = np.array(outcome.breaks, dtype=np.int64).reshape(-1, 4)
    member, inst, slot, n = pieces.T
    b_tpl = lay.inst_template[inst]
    rule = lay.mem_rule[member]
    minutes = np.array([float(templates[j].breaks[r].minutes) for j, r in zip(b_tpl, rule,
                                                                              strict=True)])
    start = _stamps(grid, slot)
    order = np.lexsort((start, names[b_tpl].astype(str), lay.inst_start[inst]))
    breaks = pd.DataFrame({
        "date": days[lay.inst_day[inst]],
        "template": names[b_tpl],
        "shift_start": _stamps(grid, lay.inst_start[inst]),
        "rule": rule + 1,
        "break": [templates[j].breaks[r].label for j, r in zip(b_tpl, rule, strict=True)],
        "paid": np.array([templates[j].breaks[r].paid for j, r in zip(b_tpl, rule,
                                                                         strict=True)],
                         dtype=bool),
        "start": start,
        "end": start + (minutes * 60e9).astype("timedelta64[ns]"),
        "agents": n,
    }).iloc[order].reset_index(drop=True)
    on_phones = outcome.on_shift - outcome.on_break
    data = {"required": required, "on_shift": outcome.on_shift, "on_break": outcome.on_break,
            "on_phones": on_phones, "over": np.maximum(on_phones - required, 0.0),
            "under": np.maximum(required - on_phones, 0.0)}
    data.update(extra or {})
    coverage = pd.DataFrame({k: _tidy(v)
                             for k, v in data.items()}, index=grid.index.rename("interval_start"))
    coverage.attrs["interval_minutes"] = grid.step
    paid_hours = float(counts["paid_hours"].sum())
    objective = float(counts["cost"].sum())
    if penalty is not None:
        objective += penalty * float(coverage["under"].sum()) * grid.step / 60.0
    lower = min(outcome.lower_bound, objective)
    gap = 0.0 if objective <= 0 else max(objective - lower, 0.0) / objective
    return (counts, breaks, coverage, paid_hours, objective, lower,
            min(outcome.lp_bound, lower), gap, outcome.status, outcome.seconds, service)


def daily_level(day_of_slot: np.ndarray, volume: np.ndarray, level: np.ndarray,
                 n_days: int) -> np.ndarray:
    calls = np.bincount(day_of_slot, weights=volume, minlength=n_days)
    answered = np.bincount(day_of_slot, weights=volume * level, minlength=n_days)
    return np.where(calls > 0, answered / np.where(calls > 0, calls, 1.0), 1.0)


def daily_table(day_labels: Any, day_of_slot: np.ndarray, volume: np.ndarray, level: np.ndarray,
           goal: float, lay: Layout, x: np.ndarray) -> pd.DataFrame:
    n_days = len(day_labels)
    index = pd.DatetimeIndex(day_labels, name="date")
    paid = np.array([t.paid_hours for t in lay.templates])[lay.inst_template] * x
    by_day = pd.Series(paid, index=[lay.days[d] for d in lay.inst_day]).groupby(level=0).sum()
    return pd.DataFrame({
        "calls": np.bincount(day_of_slot, weights=volume, minlength=n_days),
        "target": goal,
        "service_level": daily_level(day_of_slot, volume, level, n_days),
        "paid_hours": by_day.reindex(index, fill_value=0.0).to_numpy(),
    }, index=index)
