"""Calls answered in time as a piecewise-linear function of agents (private).

For the daily service-level target of :func:`ccsim.shifts.schedule_for_service_level`:
in interval ``t`` with ``lambda_t`` calls, ``n`` agents on the phones answer
``g_t(n) = lambda_t * SL_t(n)`` calls within the threshold, ``SL_t`` from
:func:`ccsim.erlang.service_level` (Erlang C) or :func:`ccsim.erlang.erlang_a`
(Erlang A) at every whole ``n``. From the floor ``n0_t`` on, where the increments
``g_t(n+1) - g_t(n)`` stop growing, ``g_t`` is concave, and the incremental (delta)
method models it exactly at whole numbers of agents with continuous segments
``0 <= d_tk <= 1``: ``n_t >= n0_t + sum_k d_tk`` and
``answered_t = g_t(n0_t) + sum_k (g_t(n0_t + k) - g_t(n0_t + k - 1)) d_tk``. Because
the increments shrink, a solver fills the segments in order, so the model never
credits more calls than the formula gives for the agents it has. The day's target:
``sum_t answered_t >= target * sum_t lambda_t``.

Erlang C's service level is concave for ``n > traffic`` (the delay probability is
convex and decreasing in ``n``, Jagers & van Doorn [1]_, and so is the exponential
factor), so its floor is the least stable count; Erlang A's floor is found
numerically. The floor is also a plain requirement: no interval is planned below it.

References
----------
.. [1] A. A. Jagers and E. A. van Doorn, "On the continued Erlang loss function",
   Operations Research Letters 5(1), 43-46, 1986, doi:10.1016/0167-6377(86)90099-4
.. [2] G. Koole and E. van der Sluis, "Optimal shift scheduling with a global
   service level constraint", IIE Transactions 35(11), 1049-1055, 2003,
   doi:10.1080/07408170304394
"""

from __future__ import annotations

import numpy as np

from ccsim import erlang
from ccsim._shifts.model import Service

__all__ = ["answered_share", "service_rows"]

_TOP = 0.99999  # segments stop where the service level reaches this (gains beyond: ~0)


def answered_share(traffic: np.ndarray, agents: np.ndarray, aht_seconds: float,
                   answer_within_seconds: float, patience_seconds: float | None) -> np.ndarray:
    """Service level (answered within T / offered) at whole agent counts, elementwise."""
    agents = np.asarray(agents, dtype=float)
    if patience_seconds is None:
        return np.asarray(erlang.service_level(traffic, agents, aht_seconds,
                                               answer_within_seconds), dtype=float)
    result = erlang.erlang_a(traffic, agents, aht_seconds, patience_seconds,
                             answer_within_seconds)
    return np.asarray(result.service_level, dtype=float)


def interpolated_share(traffic: np.ndarray, agents: np.ndarray, aht_seconds: float,
                       answer_within_seconds: float, patience_seconds: float | None
                       ) -> np.ndarray:
    """The service level at fractional agents, linear between whole counts.

    A 15-minute break in a 30-minute interval leaves half an agent; the model (and
    this evaluation) interpolate linearly between the whole counts around it.
    """
    agents = np.maximum(np.asarray(agents, dtype=float), 0.0)
    low = np.floor(agents + 1e-9)
    share = answered_share(traffic, low, aht_seconds, answer_within_seconds, patience_seconds)
    frac = np.clip(agents - low, 0.0, 1.0)
    if np.any(frac > 1e-9):
        up = answered_share(traffic, low + 1, aht_seconds, answer_within_seconds,
                            patience_seconds)
        share = share + frac * (up - share)
    return share


def service_rows(calls: np.ndarray, traffic: np.ndarray, day_of_slot: np.ndarray,
                 aht_seconds: float, target: float, answer_within_seconds: float,
                 patience_seconds: float | None, floor_agents: np.ndarray
                 ) -> tuple[np.ndarray, Service]:
    """The floors ``n0_t`` and the daily rows of the piecewise-linear model.

    Parameters
    ----------
    calls, traffic : ndarray
        Calls [calls] and offered load [Erlang] per interval.
    day_of_slot : ndarray of int
        The day (0, 1, ...) each interval counts toward.
    floor_agents : ndarray of int
        Least agents per interval demanded besides (e.g. for a per-interval minimum
        service level); the floor is the larger of it and the concavity floor.
    """
    size = len(calls)
    top = erlang.agents_for_service_level(traffic, aht_seconds, _TOP, answer_within_seconds,
                                          patience_seconds)
    top = np.maximum(np.asarray(top, dtype=np.int64), floor_agents.astype(np.int64))
    floors = np.zeros(size, dtype=np.int64)
    seg_weight: list[np.ndarray] = []
    counts = np.zeros(size, dtype=np.int64)
    base = np.zeros(size)
    width = int(top.max()) + 2 if size else 2
    grid = np.arange(width, dtype=float)
    busy = np.flatnonzero(calls > 0)
    shares = np.ones((size, width))
    if busy.size:
        shares[busy] = answered_share(traffic[busy, None], grid[None, :], aht_seconds,
                                      answer_within_seconds, patience_seconds)
    for t in range(size):
        if calls[t] <= 0:
            seg_weight.append(np.zeros(0))
            continue
        g = shares[t, :top[t] + 1] * calls[t]
        steps = np.diff(g)
        # the concave part starts after the last increment that grows (noise ignored)
        noise = 1e-9 * calls[t]
        growing = np.flatnonzero(steps[1:] > steps[:-1] + noise)
        n0 = int(growing[-1]) + 1 if growing.size else 0
        if patience_seconds is None:
            n0 = max(n0, int(np.floor(traffic[t])) + 1)  # a stable queue
        n0 = min(max(n0, int(floor_agents[t])), int(top[t]))
        floors[t] = n0
        base[t] = g[n0]
        # never credit more than the formula: the running minimum of the increments
        weights = np.minimum.accumulate(np.maximum(steps[n0:top[t]], 0.0))
        counts[t] = len(weights)
        seg_weight.append(weights)
    seg_first = np.concatenate([[0], np.cumsum(counts)])
    flat = np.concatenate(seg_weight) if seg_weight else np.zeros(0)
    n_days = int(day_of_slot.max()) + 1 if size else 0
    day_calls = np.bincount(day_of_slot, weights=calls, minlength=n_days)
    day_base = np.bincount(day_of_slot, weights=base, minlength=n_days)
    scale = np.where(day_calls > 0, day_calls, 1.0)
    slot_of_segment = np.repeat(np.arange(size), counts)
    weight = flat / scale[day_of_slot[slot_of_segment]]
    rhs = (target * day_calls - day_base) / scale
    slot_day = np.where(day_calls[day_of_slot] > 0, day_of_slot, -1)
    return floors, Service(seg_first, weight, slot_day, rhs)
