"""Solving one block of the shift-scheduling model with HiGHS, and reading its answer (private).

:func:`solve_block` runs :func:`scipy.optimize.milp` (HiGHS) on a block built by
:func:`ccsim._shifts.model.build_block`: the LP relaxation for the bound, a MIP
restricted to the shifts the LP uses as a fast primal heuristic, then the full MIP
if the gap asked for is not yet reached. :func:`assign_breaks` turns the block's
break counts into each shift's breaks.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from ccsim._shifts.model import Block, Layout
from ccsim._validation import CCSimError

__all__ = ["BlockResult", "assign_breaks", "cost_unit", "max_row", "round_up", "soft_shortfall",
           "solve_block", "solve_task"]

DISP = False  # True prints HiGHS's log (for development)
PRESOLVE = True  # HiGHS's presolve (False only to compare, in development)


# ------------------------------------------------------------------ solving a block
@dataclass
class BlockResult:
    """A block's solution (None if there is none), objective and bounds."""

    values: np.ndarray | None
    objective: float
    lp_bound: float
    bound: float
    status: str          # "optimal", "within_gap", "time_limit", "infeasible", "no_solution"
    seconds: float
    message: str = ""


def cost_unit(c: np.ndarray, integrality: np.ndarray) -> float | None:
    """A unit every objective coefficient is a whole multiple of (None if there is none)."""
    if np.any((c != 0) & (integrality == 0)):
        return None
    costs = np.abs(c[c != 0])
    if costs.size == 0:
        return None
    scaled = costs * 3600.0
    if not np.allclose(scaled, np.round(scaled), rtol=0, atol=1e-6):
        return None
    if np.any(scaled > 2.0**53):  # beyond whole numbers a float holds exactly
        return None
    unit = float(np.gcd.reduce(np.round(scaled).astype(np.int64))) / 3600.0
    return unit if unit > 0 else None


def round_up(bound: float, unit: float | None) -> float:
    if unit is None or not np.isfinite(bound):
        return bound
    return math.ceil(bound / unit - 1e-6) * unit


def _run(block: Block, integrality: np.ndarray, high: np.ndarray, seconds: float,
         mip_gap: float) -> Any:
    options = {"time_limit": max(seconds, 0.05), "presolve": PRESOLVE, "disp": DISP}
    if integrality.any():
        options["mip_rel_gap"] = mip_gap
    return milp(block.c, integrality=integrality, bounds=Bounds(block.low, high),
                constraints=[LinearConstraint(block.matrix, block.row_low, block.row_high)],
                options=options)


def solve_block(block: Block, time_limit: float, mip_gap: float,
                relax_only: bool = False) -> BlockResult:
    """Solve one block with HiGHS: LP relaxation, then a MIP on the LP's shifts, then all.

    1. The LP relaxation gives the lower bound (rounded up to the cost unit when every
       cost is a whole multiple of one). An integral LP solution is optimal. With
       ``relax_only`` this is all that is done.
    2. The MIP restricted to the shifts the LP uses (a fast primal heuristic, run to
       half the gap asked for) gives a plan, kept if within ``mip_gap`` of the bound.
    3. Otherwise the full MIP runs in the time left; its dual bound may raise the bound.
    """
    began = time.perf_counter()

    def left() -> float:
        return time_limit - (time.perf_counter() - began)

    unit = cost_unit(block.c, block.integrality)
    relaxed = _run(block, np.zeros_like(block.integrality), block.high, left(), mip_gap)
    if relaxed.status == 2:
        return BlockResult(None, np.inf, np.inf, np.inf, "infeasible",
                           time.perf_counter() - began, relaxed.message)
    lp_bound = float(relaxed.fun) if relaxed.status == 0 else -np.inf
    if relax_only:  # a piece of a split horizon's bound: the LP value is all that is wanted
        return BlockResult(None, np.inf, lp_bound, lp_bound,
                           "optimal" if relaxed.status == 0 else "no_solution",
                           time.perf_counter() - began, relaxed.message)
    bound = round_up(lp_bound, unit)
    best, best_objective = None, np.inf
    is_int = block.integrality == 1

    def good_enough() -> bool:
        return best is not None and best_objective - bound <= mip_gap * abs(best_objective) + 1e-9

    def take(result: Any) -> None:
        nonlocal best, best_objective
        if result.x is not None and result.status in (0, 1):
            values = np.where(is_int, np.round(result.x), result.x)
            objective = float(block.c @ values)
            if objective < best_objective - 1e-9:
                best, best_objective = values, objective

    if relaxed.status == 0:
        xs = relaxed.x
        if np.all(np.abs(xs[is_int] - np.round(xs[is_int])) <= 1e-7):
            take(relaxed)
        if not good_enough() and left() > 0:
            n_x = len(block.instances)
            high = block.high.copy()
            unused = xs[:n_x] <= 1e-7
            high[:n_x][unused] = np.maximum(block.low[:n_x][unused], 0.0)
            take(_run(block, block.integrality, high, 0.85 * left(), mip_gap / 2))
    full = None
    if not good_enough() and (best is None or left() > max(2.0, 0.25 * time_limit)):
        full = _run(block, block.integrality, block.high, max(left(), 1.0), mip_gap)
        if full.status == 2:
            return BlockResult(None, np.inf, lp_bound, np.inf, "infeasible",
                               time.perf_counter() - began, full.message)
        take(full)
        dual = getattr(full, "mip_dual_bound", None)
        if dual is not None and np.isfinite(dual):
            bound = max(bound, round_up(float(dual), unit))
    seconds = time.perf_counter() - began
    if best is None:
        message = "" if full is None else str(full.message)
        return BlockResult(None, np.inf, lp_bound, bound, "no_solution", seconds, message)
    bound = min(bound, best_objective)
    lp_bound = min(lp_bound, best_objective)
    if best_objective - bound <= 1e-9 * max(1.0, abs(best_objective)):
        status = "optimal"
    elif good_enough():
        status = "within_gap"
    else:
        status = "time_limit"
    return BlockResult(best, best_objective, lp_bound, bound, status, seconds)


def solve_task(block: Block, index: int, total: int, workers: int, deadline: float,
               mip_gap: float, relax_only: bool = False) -> BlockResult:
    """:func:`solve_block` with a fair share of the time left before ``deadline``.

    Tasks start in order on ``workers`` processes; when task ``index`` of ``total``
    starts, the time left (wall clock, ``time.time()``) is shared among the tasks not
    yet started, so blocks that finish early leave their time to the others.
    """
    left = deadline - time.time()
    share = left * max(workers, 1) / max(total - index, 1)
    return solve_block(block, max(min(share, left), 0.5), mip_gap, relax_only)


def soft_shortfall(block: Block) -> np.ndarray | None:
    """Least total shortfall per interval an LP can reach (None if even that is infeasible).

    Used to explain an infeasible block: the intervals that stay short whatever the
    plan, under the bounds.
    """
    g0, g1 = block.grid_slots
    n = g1 - g0
    extra = sparse.csr_array((np.ones(n), (block.cover_row + np.arange(n), np.arange(n))),
                             shape=(block.matrix.shape[0], n))
    matrix = sparse.hstack([block.matrix, extra]).tocsr()
    c = np.concatenate([np.zeros(len(block.c)), np.ones(n)])
    result = milp(c, integrality=np.zeros(len(c)),
                  bounds=Bounds(np.concatenate([block.low, np.zeros(n)]),
                                np.concatenate([block.high, np.full(n, np.inf)])),
                  constraints=[LinearConstraint(matrix, block.row_low, block.row_high)],
                  options={"time_limit": 30.0})
    if result.status != 0:
        return None
    return result.x[len(block.c):]


# ------------------------------------------------------------------ decoding
def assign_breaks(lay: Layout, block: Block, values: np.ndarray, x: np.ndarray
                  ) -> list[tuple[int, int, int, int]]:
    """Give each agent its breaks: (member row, instance, slot, agents).

    Within a break class all windows have the same width, so they open and close in
    the same order; serving each slot's breaks to the agents whose window opened
    first (earliest deadline first) meets every deadline whenever the chains hold.
    """
    out = []
    in_block = np.isin(lay.mem_inst, block.instances)
    for k, a, b_col, n in block.classes:
        rows = np.flatnonzero(in_block & (lay.mem_class == k))
        rows = rows[np.argsort(lay.mem_first[rows], kind="stable")]
        count = int(lay.class_count[k])
        counts = np.round(values[b_col:b_col + n]).astype(np.int64)
        queue: list[list[int]] = []  # [member row, agents left]
        nxt = 0
        for j in range(n):
            slot = a + j
            while nxt < len(rows) and lay.mem_first[rows[nxt]] == slot:
                need = int(x[lay.mem_inst[rows[nxt]]])
                if need:
                    queue.append([int(rows[nxt]), need])
                nxt += 1
            serve = int(counts[j])
            while serve > 0:
                if not queue:
                    raise CCSimError("internal error: breaks placed with no agent waiting")
                row = queue[0]
                if lay.mem_first[row[0]] + count - 1 < slot:
                    raise CCSimError("internal error: a break was placed after its window")
                take = min(serve, row[1])
                out.append((row[0], int(lay.mem_inst[row[0]]), slot, take))
                row[1] -= take
                serve -= take
                if row[1] == 0:
                    queue.pop(0)
        if queue:
            raise CCSimError("internal error: agents left without a break")
    return out


def max_row(block: Block, row: int) -> float | None:
    """The largest value row ``row`` of the block's matrix reaches in its LP (None: no LP)."""
    c = -block.matrix[[row], :].toarray().ravel()
    result = milp(c, integrality=np.zeros(len(c)), bounds=Bounds(block.low, block.high),
                  constraints=[LinearConstraint(block.matrix, block.row_low, block.row_high)],
                  options={"time_limit": 30.0})
    if result.status != 0:
        return None
    return float(-result.fun)
