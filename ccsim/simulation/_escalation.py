"""How many calls each escalation level saved, by common random numbers.

A group's standby levels (``AgentGroup(standby=[level_1, level_2, ...])``,
:class:`~ccsim.simulation.Standby`) are the escalation order of an outage:
on-call staff, then agents pulled from other groups. :func:`escalation_effect`
simulates the scenario with the levels removed cumulatively (the last level of
every group first), all runs with the same seed and replications: the runs
share their callers (a standby level draws no random number), so replication
``r`` of one run and of the next differ only by the level removed, and the
paired differences have much smaller spread than independent runs would give.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ccsim._validation import CCSimInputError
from ccsim.simulation import _stats
from ccsim.simulation._inputs import show
from ccsim.simulation.scenario import Scenario

__all__ = ["escalation_effect"]

# per-replication totals compared: (column, count of _stats.CALL_COUNTS, sign) where a
# positive sign means "more with the level is better"
_EFFECTS = (("answered_within_gained", "answered_within", 1.0),
            ("answered_gained", "answered", 1.0),
            ("abandoned_saved", "abandoned", -1.0),
            ("lost_saved", "lost", -1.0))


def _up_to(scenario: Scenario, k: int) -> Scenario:
    """The scenario keeping the first ``k`` escalation levels of every group."""
    groups = []
    for group in scenario.groups:
        levels = group.standby_levels
        if len(levels) > k:
            group = replace(group, standby=list(levels[:k]) or None)
        groups.append(group)
    return Scenario(scenario.call_types, groups, scenario.horizon_hours,
                    scenario.answer_within_seconds, interval_minutes=scenario.interval_minutes,
                    warmup_hours=scenario.warmup_hours, start=scenario.start,
                    lines=scenario.lines, agent_selection=scenario.agent_selection,
                    call_selection=scenario.call_selection)


def _totals(result: Any) -> np.ndarray:
    """Per replication, the counts of the measured window summed over call types."""
    counts = result._counts[:, result._plan.warmup_intervals:]  # (R, I, K, C)
    return counts.sum(axis=(1, 2))


def escalation_effect(scenario: Scenario, seed: Any, replications: int = 10,
                      executor: Any = None, *, full: Any = None) -> pd.DataFrame:
    """Calls saved by each escalation level (standby, pulled agents), with 95 % CIs.

    For each level ``k`` (1 for every group's first standby level, 2 for the
    second, ...), the scenario keeping the levels up to ``k`` is compared with
    the one keeping those before ``k``, replication by replication on the same
    seed (common random numbers), over the measured window (after the
    warm-up) and all call types.

    Parameters
    ----------
    scenario : Scenario
        With at least one group with ``standby``.
    seed : int or SeedSequence
        The seed of every run (not None: the runs must share it).
    replications : int, default 10
        Replications of every run (at least 2 for the confidence intervals).
    executor : optional
        Where the runs go, as in :func:`~ccsim.simulation.simulate`.
    full : SimulationResult, keyword-only
        The run of ``scenario`` itself with this seed and replications, if
        already made (:meth:`SimulationResult.escalation_effect` passes it).

    Returns
    -------
    pandas.DataFrame
        One row per level, indexed by ``level``: ``teams`` (which groups have
        that level and what it is), ``p_called`` (share of the replications of
        the full run where a team of that level was called), then the mean
        paired difference, each with its 95 % half-width ``*_ci`` (Student's
        t over the replications): ``answered_within_gained`` (calls answered
        within T with the level minus without), ``answered_gained``,
        ``abandoned_saved`` (abandoned without the level minus with it) and
        ``lost_saved`` (callers lost for good, abandoned or blocked and not
        redialled). A level whose trigger never holds gives exactly 0 (and a
        half-width 0).

    Raises
    ------
    CCSimInputError
        No group has a standby, no seed, or fewer than 2 replications.
    """
    from ccsim.simulation.replications import simulate

    if not isinstance(scenario, Scenario):
        raise CCSimInputError(f"scenario must be a Scenario; got {show(scenario)}")
    depth = max(len(group.standby_levels) for group in scenario.groups)
    if depth == 0:
        raise CCSimInputError(
            "escalation_effect: no group of the scenario has a standby (AgentGroup(standby="
            "Standby(...)) or a list of levels); there is nothing to measure")
    if seed is None:
        raise CCSimInputError(
            "escalation_effect: seed must be given (an int or SeedSequence): the runs with "
            "and without each level must share it; got None")
    if isinstance(replications, bool) or not isinstance(replications, (int, np.integer)) \
            or replications < 2:
        raise CCSimInputError(
            "escalation_effect: replications must be an integer >= 2 (the confidence "
            f"intervals need a spread); got {show(replications)}")
    runs = []
    for k in range(depth + 1):
        if k == depth and full is not None:
            runs.append(full)
        else:
            runs.append(simulate(_up_to(scenario, k), seed=seed, replications=replications,
                                 executor=executor, keep_calls=False))
    totals = [_totals(run) for run in runs]
    column = {name: i for i, name in enumerate(_stats.CALL_COUNTS)}
    standby = runs[-1].standby
    rows = []
    for k in range(1, depth + 1):
        teams = [f"{group.name}: " + (f"{level.agents} pulled from {level.pull_from}"
                                      if level.pull_from is not None
                                      else f"{level.agents} on call")
                 for group in scenario.groups
                 for rank, level in enumerate(group.standby_levels, start=1) if rank == k]
        mine = standby[standby["level"] == k]
        called = mine.groupby("replication")["called_seconds"].apply(
            lambda t: bool(t.notna().any()))
        row: dict[str, Any] = {"level": k, "teams": "; ".join(teams),
                               "p_called": float(called.mean())}
        for name, count, sign in _EFFECTS:
            diff = sign * (totals[k][:, column[count]] - totals[k - 1][:, column[count]])
            value, half = _stats.mean(diff[:, None])
            row[name], row[f"{name}_ci"] = float(value[0]), float(half[0])
        rows.append(row)
    return pd.DataFrame(rows).set_index("level")
