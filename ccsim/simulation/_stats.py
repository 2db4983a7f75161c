"""Statistics of the simulation: per-replication tallies and confidence intervals.

A replication's calls and agent sessions are reduced, in the worker that ran
it, to counts per interval and call type and to agent time per interval and
group (:func:`tally`); only those (and, if asked, the per-call arrays) travel
back. Across replications every measure is a ratio of means (e.g. service
level = mean answered-within-T / mean offered, as ContactCenters' "function of
averages"), with a 95 % confidence interval from the delta method and
Student's t with ``replications - 1`` degrees of freedom (:func:`ratio`).

The t quantile is :func:`scipy.special.stdtrit`, the function ``scipy.stats.t.ppf``
calls: the same values, without importing :mod:`scipy.stats` (about half a second
of CPU, paid again by every worker process).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import stdtrit

from ccsim.simulation import _blend
from ccsim.simulation._plan import Calls, Plan, time_in_bins
from ccsim.simulation.engine import (
    ABANDONED,
    ANSWERED,
    BLOCKED,
    SELF_SERVED,
    WAITING,
    EngineOutput,
)

# counts per interval (of the attempt's arrival) and call type, in this order along the
# last axis of Tally.calls: "offered" are the attempts that reached the agents' queue
# (neither blocked nor self-served); "lost" the abandoned or blocked ones not redialled
CALL_COUNTS = ("offered", "answered", "abandoned", "unanswered", "answered_within",
               "abandoned_within", "waited", "wait_sum_seconds", "attempts", "fresh",
               "redials", "blocked", "self_served", "lost")
# agent time per interval and group [agent-seconds]
AGENT_TIMES = ("staffed_seconds", "busy_seconds")
# per standby team (escalation level of a group), in this order along the last axis of
# Tally.standby
STANDBY_VALUES = ("called_seconds", "login_seconds", "released_seconds", "logout_seconds",
                  "agent_seconds", "answered", "agents_arrived")


@dataclass(frozen=True)
class Tally:
    """One replication reduced: what the statistics and reports need."""

    calls: np.ndarray  # (n_intervals, n_types, len(CALL_COUNTS))
    agents: np.ndarray  # (n_intervals, n_groups, len(AGENT_TIMES))
    end_seconds: float
    records: dict[str, np.ndarray] | None  # per call and per session, when kept
    standby: np.ndarray | None = None  # (n_teams, len(STANDBY_VALUES)); None without standby
    blend: np.ndarray | None = None  # (n_blend_groups, len(BLEND_VALUES)); None without blend


def tally(plan: Plan, draws: Calls, out: EngineOutput, keep_calls: bool) -> Tally:
    """Reduce one replication to counts per interval (and keep the attempts if asked)."""
    n_types, n_groups, n_intervals = len(plan.types), len(plan.groups), plan.n_intervals
    interval = np.minimum((out.arrival // plan.interval_seconds).astype(np.int64),
                          n_intervals - 1)
    key = interval * n_types + out.call_type
    within = np.array([t.within_seconds for t in plan.types])[out.call_type]
    answered = out.status == ANSWERED
    abandoned = out.status == ABANDONED
    blocked = out.status == BLOCKED
    self_served = out.status == SELF_SERVED
    offered = ~(blocked | self_served)
    quick = out.wait <= within
    first = out.attempt == 1
    columns = [offered, answered, abandoned, out.status == WAITING, answered & quick,
               abandoned & quick, offered & (~answered | (out.wait > 0)),
               np.where(answered, out.wait, 0.0), np.ones(key.size), first, ~first, blocked,
               self_served, (abandoned | blocked) & ~out.redialled]
    size = n_intervals * n_types
    counts = np.stack([np.bincount(key, weights=np.asarray(c, dtype=float), minlength=size)
                       for c in columns], axis=-1).reshape(n_intervals, n_types, -1)

    edges = np.arange(n_intervals + 1) * plan.interval_seconds
    start = out.entry[answered] + out.wait[answered]
    end = start + out.service[answered] + out.wrap_up[answered]
    call_group = plan.agent_group[out.agent[answered]]
    session_group = plan.agent_group[out.session_agent]
    agents = np.zeros((n_intervals, n_groups, len(AGENT_TIMES)))
    for g in range(n_groups):
        mine = session_group == g
        agents[:, g, 0] = time_in_bins(out.session_start[mine], out.session_end[mine], edges)
        mine = call_group == g
        agents[:, g, 1] = time_in_bins(start[mine], end[mine], edges)

    records = None
    if keep_calls:
        order = np.argsort(out.arrival, kind="stable") if out.arrival.size > draws.arrival.size \
            else slice(None)  # redials: in order of arrival, like the first attempts
        records = {
            "arrival": out.arrival[order], "call_type": out.call_type.astype(np.int16)[order],
            "status": out.status[order], "wait": out.wait[order], "agent": out.agent[order],
            "ivr": (out.entry - out.arrival)[order],
            "service": np.where(answered, out.service, 0.0)[order],
            "wrap_up": np.where(answered, out.wrap_up, 0.0)[order],
            "caller": out.caller[order], "attempt": out.attempt[order],
            "session_agent": out.session_agent, "session_start": out.session_start,
            "session_due": out.session_due, "session_end": out.session_end,
        }
    blend = None
    if draws.blend is not None:
        blend = np.array([_blend.values(group.blend, draws.blend[g], out.blend_work, g,
                                        plan.horizon_seconds)
                          for g, group in enumerate(plan.groups) if group.blend is not None])
    return Tally(counts, agents, out.end_seconds, records, standby=_standby_values(plan, out),
                 blend=blend)


def _standby_values(plan: Plan, out: EngineOutput) -> np.ndarray | None:
    """Per standby team: its times, its agents' logged-in time and the calls they answered."""
    if out.standby is None:
        return None
    rows = []
    teams = [team for group in plan.groups for team in group.standby]
    for team, times in zip(teams, out.standby, strict=True):
        last = team.first_agent + team.agents
        mine = (out.session_agent >= team.first_agent) & (out.session_agent < last)
        ends = out.session_end[mine]
        answered = (out.status == ANSWERED) & (out.agent >= team.first_agent) & (out.agent < last)
        rows.append([*times, ends.max() if ends.size else np.nan,
                     float((ends - out.session_start[mine]).sum()), float(answered.sum()),
                     float(np.unique(out.session_agent[mine]).size)])
    return np.array(rows, dtype=float)


def divide(numerator: Any, denominator: Any, empty: Any) -> np.ndarray:
    """``numerator / denominator`` with ``empty`` where the denominator is 0 (never NaN)."""
    numerator, denominator, empty = np.broadcast_arrays(
        np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float),
        np.asarray(empty, dtype=float))
    out = empty.copy()
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def empty_service_level(offered: np.ndarray) -> np.ndarray:
    """Service level where its denominator is 0: 1 if no call came, else 0 (none answered)."""
    return np.where(np.asarray(offered) > 0, 0.0, 1.0)


def t_quantile(replications: int) -> float:
    """The 97.5 % quantile of Student's t with ``replications - 1`` degrees of freedom.

    For the two-sided 95 % confidence intervals; inf with one replication.
    """
    return float(stdtrit(replications - 1, 0.975)) if replications > 1 else np.inf


def mean(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean over axis 0 and its 95 % half-width (inf with one replication)."""
    n = x.shape[0]
    if n == 1:
        return x[0].astype(float), np.full(x.shape[1:], np.inf)
    return x.mean(axis=0), t_quantile(n) * x.std(axis=0, ddof=1) / np.sqrt(n)


def ratio(x: np.ndarray, y: np.ndarray, empty: Any) -> tuple[np.ndarray, np.ndarray]:
    """Ratio of means ``mean(x) / mean(y)`` over axis 0 and its 95 % half-width.

    Delta method: the half-width is ``t * sd(x - r y) / (sqrt(n) mean(y))``.
    Where ``mean(y) = 0`` the ratio is ``empty`` with half-width 0; with one
    replication the half-width is inf (the spread cannot be estimated).
    """
    n = x.shape[0]
    mean_x, mean_y = x.mean(axis=0), y.mean(axis=0)
    r = divide(mean_x, mean_y, empty)
    if n == 1:
        return r, np.where(mean_y > 0, np.inf, 0.0)
    spread = (x - r * y).std(axis=0, ddof=1)
    return r, divide(t_quantile(n) * spread / np.sqrt(n), mean_y, 0.0)


def call_measures(counts: np.ndarray, busy: np.ndarray, staffed: np.ndarray
                  ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every reported measure with its half-width; ``counts[..., CALL_COUNTS]``.

    ``counts`` has replications on axis 0; ``busy`` and ``staffed`` (agent
    seconds of the groups serving each call type) broadcast against it.
    Measures per attempt divide by the attempts (``p_blocked``) or by those
    offered to the agents; ``p_lost`` and ``attempts_per_caller`` divide by
    the callers (their first attempts).
    """
    c = {name: counts[..., i] for i, name in enumerate(CALL_COUNTS)}
    offered = c["offered"]
    nothing = empty_service_level(offered.mean(axis=0))
    return {
        "attempts": mean(c["attempts"]),
        "fresh": mean(c["fresh"]),
        "redials": mean(c["redials"]),
        "blocked": mean(c["blocked"]),
        "self_served": mean(c["self_served"]),
        "offered": mean(offered),
        "answered": mean(c["answered"]),
        "abandoned": mean(c["abandoned"]),
        "lost": mean(c["lost"]),
        "p_blocked": ratio(c["blocked"], c["attempts"], 0.0),
        "p_abandon": ratio(c["abandoned"], offered, 0.0),
        "p_wait": ratio(c["waited"], offered, 0.0),
        "service_level": ratio(c["answered_within"], offered, 1.0),
        "service_level_answered": ratio(c["answered_within"], c["answered"], nothing),
        "service_level_excluding_short_abandons": ratio(
            c["answered_within"], offered - c["abandoned_within"], nothing),
        "asa_seconds": ratio(c["wait_sum_seconds"], c["answered"], 0.0),
        "occupancy": clip_fraction(ratio(busy, staffed, 0.0)),
        "p_lost": ratio(c["lost"], c["fresh"], 0.0),
        "attempts_per_caller": ratio(c["attempts"], c["fresh"], 0.0),
    }


def clip_fraction(estimate: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """A fraction clipped to [0, 1] (busy and staffed time are summed in different orders)."""
    return np.clip(estimate[0], 0.0, 1.0), estimate[1]
