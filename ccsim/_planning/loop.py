"""The planning loop: staffing by simulation -> shift plan -> simulate as worked -> correct.

Each round schedules shifts against the requirement, simulates the plan as it will be
worked (shifts and breaks, :func:`ccsim.planning.scenario_from_plan`) on the same
callers as the staffing search, and, where a unit (an interval, or per day the day's
interval with the most calls not answered in time) still misses the target, raises the
requirement to one agent above what the plan had on the phones there; it stops when the
worked plan meets the target in every unit or after ``max_rounds`` rounds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ccsim._planning.evaluate import Evaluation, Evaluator


def interval_index(scenario: Any) -> pd.DatetimeIndex:
    starts = np.arange(scenario.n_intervals) * scenario.interval_minutes
    return pd.DatetimeIndex(pd.Timestamp(scenario.start) + pd.to_timedelta(starts, unit="min"),
                            name="interval_start")


def raise_where_short(requirement: np.ndarray, evaluation: Evaluation, per: str,
                      choose: Callable[[np.ndarray], list[int]]) -> np.ndarray:
    """The requirement one agent above what the worked plan had on the phones where it
    misses (above the requirement, if that was more): raising a requirement the plan
    already exceeded there would change nothing. ``choose(missing call types)`` picks
    the groups (columns of ``requirement``) to raise."""
    out = requirement.copy()
    on_phones = np.floor(evaluation.staffing + 1e-9).astype(out.dtype)
    for unit in np.flatnonzero(evaluation.short):
        intervals = np.flatnonzero(evaluation.units == unit)
        if per == "interval":
            i = intervals[0]
        else:
            i = intervals[np.argmax(evaluation.missed_calls[intervals])]
        for g in choose(np.flatnonzero(~evaluation.met_units[unit])):
            out[i, g] = max(out[i, g], on_phones[i, g]) + 1
    return out


def _on_phones(plan: Any, index: pd.DatetimeIndex, names: list[str]) -> np.ndarray:
    coverage = plan.coverage
    if len(names) == 1:
        return coverage["on_phones"].reindex(index, fill_value=0.0).to_numpy()[:, None]
    return np.stack([coverage.xs(name, level="group")["on_phones"].reindex(
        index, fill_value=0.0).to_numpy() for name in names], axis=1)


def rounds(evaluator: Evaluator, scenario: Any, requirement: np.ndarray, templates: Any,
           choose: Callable[[np.ndarray], list[int]], *, per: str, max_rounds: int,
           schedule_options: dict, progress: Callable[[str], None] | None
           ) -> tuple[Any, Evaluation, list[dict]]:
    """Schedule, simulate as worked, raise; the last plan, its evaluation and the rounds.

    ``requirement`` is (intervals, groups); a plan of several groups is scheduled with one
    requirement column per group and simulated with each group's own skills.
    """
    from ccsim.planning import scenario_from_plan
    from ccsim.shifts import schedule_shifts

    index = interval_index(scenario)
    names = [g.name for g in scenario.groups]
    if len(names) == 1:
        skills = {None: list(scenario.groups[0].skills)}
    else:
        skills = {g.name: list(g.skills) for g in scenario.groups}
    history: list[dict] = []
    began = time.perf_counter()
    plan = evaluation = None
    for number in range(1, max_rounds + 1):
        if len(names) == 1:
            need = pd.Series(requirement[:, 0].astype(np.int64), index=index)
        else:
            need = pd.DataFrame(requirement.astype(np.int64), index=index, columns=names)
        plan = schedule_shifts(need, templates, **schedule_options)
        worked = scenario_from_plan(
            plan, list(evaluator.scenario.call_types), skills=skills,
            start=scenario.start, horizon_hours=scenario.horizon_hours,
            interval_minutes=scenario.interval_minutes, warmup_hours=scenario.warmup_hours,
            **{key: getattr(scenario, key) for key in ("lines", "agent_selection",
                                                        "call_selection")})
        evaluation = evaluator.worked(worked, _on_phones(plan, index, names))
        history.append({"round": number, "required_agent_intervals": int(requirement.sum()),
                        "paid_hours": float(plan.paid_hours),
                        "units_short": int(evaluation.short.sum()),
                        "seconds": time.perf_counter() - began})
        if progress is not None:
            row = history[-1]
            progress(f"round {number}: {row['paid_hours']:g} paid hours, "
                     f"{row['units_short']} short, {row['seconds']:.1f} s")
        if not evaluation.short.any():
            break
        requirement = raise_where_short(requirement, evaluation, per, choose)
    return plan, evaluation, history
