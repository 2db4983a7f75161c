"""Putting a solved shift plan together: its tables, per shift, break and interval (private).

:func:`plan_fields` turns the solver's agents per shift instance and break slot
(:class:`ccsim._shifts.solve.Outcome`) into the tables of a
:class:`ccsim.shifts.ShiftPlan`; :func:`daily_table` gives a daily target's service
level and paid hours per day; :func:`plot_plan` draws a plan (one panel per group).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ccsim._shifts.grid import Grid
from ccsim._shifts.model import Layout
from ccsim._shifts.solve import Outcome

__all__ = ["daily_level", "daily_table", "day_joins", "plan_fields", "plot_plan"]


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


# ------------------------------------------------------------------ drawing a plan
def _draw(ax: Any, cov: pd.DataFrame, step_hours: float, title: str) -> Any:
    """Agents on the phones and on shift against the requirement, on ``ax``."""
    step = pd.Timedelta(hours=step_hours)
    edges = cov.index.append(pd.DatetimeIndex([cov.index[-1] + step]))

    def last(column: str) -> np.ndarray:
        values = cov[column].to_numpy(dtype=float)
        return np.append(values, values[-1])

    ax.fill_between(edges, last("on_phones"), step="post", alpha=0.35, color="C0",
                    label="on the phones")
    ax.step(edges, last("on_shift"), where="post", color="C0", lw=0.8, ls="--",
            label="on shift (breaks included)")
    ax.step(edges, last("required"), where="post", color="black", lw=1.2, label="required")
    if "floor" in cov.columns:
        ax.step(edges, last("floor"), where="post", color="C3", lw=0.8, ls=":", label="floor")
    ax.set_ylabel("agents")
    ax.set_xlabel("interval start")
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize="small")
    ax.margins(x=0)
    return ax


def _title(shifts: int, paid_hours: float, gap: float, status: str) -> str:
    return (f"{shifts} shifts, {paid_hours:,.1f} paid hours, gap to bound {gap:.2%} "
            f"({status})")


def plot_plan(plan: Any, ax: Any, group: Any) -> Any:
    """:meth:`ccsim.shifts.ShiftPlan.plot`: one Axes, or one panel per group."""
    from matplotlib.axes import Axes

    from ccsim._validation import CCSimInputError

    if ax is not None and not isinstance(ax, Axes):
        raise CCSimInputError(f"ax must be a matplotlib Axes or None; got {type(ax).__name__}")
    hours = float(plan.coverage.attrs.get("interval_minutes", 60)) / 60.0
    names = [] if plan.groups is None else list(plan.groups.index)
    if group is not None and group not in names:
        valid = f"one of {names[:10]}" if names else "None (the plan has no groups)"
        raise CCSimInputError(f"group must be {valid}; got {group!r}")
    if names and group is None and ax is not None:
        raise CCSimInputError("ax is one Axes, but the plan has groups "
                              f"{names[:10]}: give group= to draw one on ax, or ax=None for "
                              "one panel per group")
    if ax is None:
        import matplotlib.pyplot as plt

        panels = len(names) if names and group is None else 1
        axes = plt.subplots(panels, 1, figsize=(11, 4 * panels), sharex=True, squeeze=False,
                            layout="constrained")[1][:, 0]
    else:
        axes = np.array([ax])
    if not names:
        return _draw(axes[0], plan.coverage, hours,
                     _title(plan.shifts_worked, plan.paid_hours, plan.gap, plan.status))
    for axis, name in zip(axes, names if group is None else [group], strict=True):
        row = plan.groups.loc[name]
        _draw(axis, plan.coverage.xs(name, level="group"), hours,
              f"{name}: " + _title(int(row["shifts_worked"]), row["paid_hours"], row["gap"],
                                   row["status"]))
    return axes[0] if group is not None else axes
