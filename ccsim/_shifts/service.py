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

import math

import numpy as np
import pandas as pd

from ccsim import erlang
from ccsim._shifts.checks import MAX_AGENTS_PER_INTERVAL, MAX_DAY_SEGMENTS, MAX_SERVICE_CELLS
from ccsim._shifts.grid import Grid
from ccsim._shifts.model import Service
from ccsim._validation import CCSimInputError, check_size

__all__ = ["answered_share", "interpolated_share", "offered_load", "service_rows"]

_TOP = 0.99999  # segments stop where the service level reaches this (gains beyond: ~0)
_CHUNK = 1_000_000  # points evaluated at once (bounds the formulas' temporaries)


def offered_load(where: str, grid: Grid, calls: np.ndarray, aht_seconds: float) -> np.ndarray:
    """Offered load per interval [Erlang], refused above MAX_AGENTS_PER_INTERVAL."""
    with np.errstate(over="ignore"):
        traffic = calls * (aht_seconds / (grid.step * 60.0))
    t = int(np.argmax(np.where(np.isfinite(traffic), traffic, np.inf)))
    check_size(f"{where}: the offered load of the busiest interval ({grid.stamp(t)}: "
               f"{calls[t]:.4g} calls of {aht_seconds:.4g} s in {grid.step} min)",
               float(traffic[t]), MAX_AGENTS_PER_INTERVAL, unit="Erlang",
               how="calls_per_interval must be calls offered per interval and aht_seconds a "
                   "handle time in seconds")
    return traffic


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


def _curves(traffic: np.ndarray, low: np.ndarray, top: np.ndarray, busy: np.ndarray,
            aht_seconds: float, within: float, patience: float | None) -> list[np.ndarray]:
    """The service level at agents ``low[t]..top[t]`` of each busy interval, in chunks."""
    out: list[np.ndarray] = []
    widths = top[busy] - low[busy] + 1
    first = 0
    while first < busy.size:
        last = first + max(int(np.searchsorted(np.cumsum(widths[first:]), _CHUNK)), 1)
        rows = busy[first:last]
        n = widths[first:last]
        offsets = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
        agents = np.repeat(low[rows], n) + offsets
        values = answered_share(np.repeat(traffic[rows], n), agents, aht_seconds, within,
                                patience)
        out.extend(np.split(values, np.cumsum(n)[:-1]))
        first = last
    return out


def service_rows(where: str, calls: np.ndarray, traffic: np.ndarray, day_of_slot: np.ndarray,
                 dates: pd.DatetimeIndex, aht_seconds: float, target: float,
                 answer_within_seconds: float, patience_seconds: float | None,
                 floor_agents: np.ndarray) -> tuple[np.ndarray, Service]:
    """The floors ``n0_t`` and the daily rows of the piecewise-linear model.

    Parameters
    ----------
    where : str
        The public function, for messages.
    calls, traffic : ndarray
        Calls [calls] and offered load [Erlang] per interval.
    day_of_slot : ndarray of int
        The day (0, 1, ...) each interval counts toward, and ``dates`` their dates.
    floor_agents : ndarray of int
        Least agents per interval demanded besides (e.g. for a per-interval minimum
        service level); the floor is the larger of it and the concavity floor.

    Raises
    ------
    CCSimInputError
        If the curves need more than MAX_SERVICE_CELLS points, or a day's target is
        above what the model can credit with any number of agents.
    """
    size = len(calls)
    floor_agents = floor_agents.astype(np.int64)
    top = erlang.agents_for_service_level(traffic, aht_seconds, _TOP, answer_within_seconds,
                                          patience_seconds)
    top = np.maximum(np.asarray(top, dtype=np.int64), floor_agents)
    # Evaluated from `low` on: below it the floor holds anyway (Erlang C: a stable queue,
    # concave beyond), so the last growing increment found from there is the same.
    low = floor_agents.copy()
    if patience_seconds is None:
        low = np.maximum(low, np.floor(traffic).astype(np.int64) + 1)
    low = np.minimum(low, top)
    busy = np.flatnonzero(calls > 0)
    check_size(f"{where}: the service-level curves of {busy.size:,} intervals with calls, "
               "evaluated at each (interval, agents) point,",
               float((top[busy] - low[busy] + 1).sum()), MAX_SERVICE_CELLS, unit="points",
               how="plan fewer days per call (days are planned independently)"
                   + ("" if patience_seconds is None else
                      "; Erlang A (patience_seconds) evaluates each interval from 0 agents"))
    floors = np.zeros(size, dtype=np.int64)
    seg_weight: list[np.ndarray] = [np.zeros(0)] * size
    counts = np.zeros(size, dtype=np.int64)
    base = np.zeros(size)
    curves = _curves(traffic, low, top, busy, aht_seconds, answer_within_seconds,
                     patience_seconds)
    for t, share in zip(busy, curves, strict=True):
        g = share * calls[t]
        steps = np.diff(g)
        # the concave part starts after the last increment that grows (noise ignored)
        noise = 1e-9 * calls[t]
        growing = np.flatnonzero(steps[1:] > steps[:-1] + noise)
        n0 = int(low[t]) + (int(growing[-1]) + 1 if growing.size else 0)
        n0 = min(n0, int(top[t]))
        floors[t] = n0
        base[t] = g[n0 - low[t]]
        # never credit more than the formula: the running minimum of the increments
        weights = np.minimum.accumulate(np.maximum(steps[n0 - low[t]:], 0.0))
        counts[t] = len(weights)
        seg_weight[t] = weights
    n_days = len(dates)
    per_day = np.bincount(day_of_slot, weights=counts, minlength=n_days)
    d = int(np.argmax(per_day))
    check_size(f"{where}: the service-level model of {dates[d]:%Y-%m-%d} (a segment per agent "
               f"between each interval's floor and its cap at a service level of {_TOP:g})",
               float(per_day[d]), MAX_DAY_SEGMENTS, unit="segments",
               how="check calls_per_interval and aht_seconds (a day this size needs a "
                   "queue of tens of thousands of agents)")
    seg_first = np.concatenate([[0], np.cumsum(counts)])
    flat = np.concatenate(seg_weight) if size else np.zeros(0)
    day_calls = np.bincount(day_of_slot, weights=calls, minlength=n_days)
    day_base = np.bincount(day_of_slot, weights=base, minlength=n_days)
    scale = np.where(day_calls > 0, day_calls, 1.0)
    slot_of_segment = np.repeat(np.arange(size), counts)
    weight = flat / scale[day_of_slot[slot_of_segment]]
    rhs = (target * day_calls - day_base) / scale
    best = day_base / scale + np.bincount(day_of_slot[slot_of_segment], weights=weight,
                                          minlength=n_days)
    short = np.flatnonzero((day_calls > 0) & (best < target - 1e-9))
    if short.size:
        d = int(short[0])
        raise CCSimInputError(
            f"target={target:g} cannot be met on {dates[d]:%Y-%m-%d}: the model credits the "
            f"calls answered within {answer_within_seconds:g} s in each interval only up to "
            f"the agents that bring its service level to {_TOP:g} (the cap on agents derived "
            f"from its calls_per_interval), so the day's service level is at most "
            f"{math.floor(best[d] * 1e6) / 1e6:.6f}; give a lower target"
            + (f" ({short.size} such day(s))" if short.size > 1 else ""))
    slot_day = np.where(day_calls[day_of_slot] > 0, day_of_slot, -1)
    return floors, Service(seg_first, weight, slot_day, rhs, target, tuple(dates))
