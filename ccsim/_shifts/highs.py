"""Solving one block of the shift-scheduling model with HiGHS, and reading its answer (private).

:func:`solve_block` runs :func:`scipy.optimize.milp` (HiGHS) on a block built by
:func:`ccsim._shifts.model.build_block`: the LP relaxation for the bound, a greedy
whole-agent plan from the LP's values (:mod:`ccsim._shifts.incumbent`), a MIP
restricted to the shifts the LP and that plan use, then the full MIP if the gap
asked for is not yet reached; the cheapest plan found is kept. :func:`assign_breaks`
turns the block's break counts into each shift's breaks.

How results are made reproducible: every MIP run stops on deterministic criteria
only, the gap asked for or a budget of ``node_limit`` branch-and-bound nodes per run
(HiGHS itself is deterministic), and each block has its own budget. Wall time
enters only through ``deadline``, a safety cap for the whole call: when it binds,
the steps still running stop there and later blocks get only their greedy plan, and
the block says ``"time_limit"``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from ccsim._shifts.incumbent import CoverSpec, block_values, greedy_plan
from ccsim._shifts.model import Block, Layout
from ccsim._validation import CCSimError

__all__ = ["DEFAULT_NODE_LIMIT", "BlockResult", "assign_breaks", "cost_unit", "max_row",
           "round_up", "soft_shortfall", "solve_block", "solve_task"]

DISP = False  # True prints HiGHS's log (for development)
PRESOLVE = True  # HiGHS's presolve (False only to compare, in development)
#: Branch-and-bound nodes per MIP run of a block (the restricted and the full MIP each):
#: the deterministic work budget. The benchmark instances (benchmarks/shifts.py) reach
#: their gaps well within it; most days need a few dozen nodes.
DEFAULT_NODE_LIMIT = 500


# ------------------------------------------------------------------ solving a block
@dataclass
class BlockResult:
    """A block's solution (None if there is none), objective and bounds.

    ``status``: ``"optimal"``, ``"within_gap"``, ``"node_limit"`` (the node budget ran
    out before the gap), ``"time_limit"`` (the call's time cap stopped it),
    ``"infeasible"`` or ``"no_solution"``; ``source``: which step gave the plan
    (``"lp"``, ``"greedy"``, ``"restricted"`` or ``"full"``).
    """

    values: np.ndarray | None
    objective: float
    lp_bound: float
    bound: float
    status: str
    seconds: float
    message: str = ""
    source: str = ""


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


def _run(block: Block, integrality: np.ndarray, high: np.ndarray, deadline: float | None,
         mip_gap: float, node_limit: int) -> Any:
    """One HiGHS run; None when the deadline (``time.time()``) has already passed."""
    options: dict[str, Any] = {"presolve": PRESOLVE, "disp": DISP}
    if deadline is not None:
        left = deadline - time.time()
        if left <= 0:
            return None
        options["time_limit"] = left
    if integrality.any():
        options["mip_rel_gap"] = mip_gap
        options["node_limit"] = node_limit
    return milp(block.c, integrality=integrality, bounds=Bounds(block.low, high),
                constraints=[LinearConstraint(block.matrix, block.row_low, block.row_high)],
                options=options)


def _timed_out(result: Any) -> bool:
    return result is None or (result.status == 1 and "time" in str(result.message).lower())


def solve_block(block: Block, time_limit: float | None = None, mip_gap: float = 1e-3,
                relax_only: bool = False, *, node_limit: int = DEFAULT_NODE_LIMIT,
                deadline: float | None = None, spec: CoverSpec | None = None) -> BlockResult:
    """Solve one block: LP relaxation, greedy plan, MIP on the used shifts, then all.

    1. The LP relaxation gives the lower bound (rounded up to the cost unit when every
       cost is a whole multiple of one). An integral LP solution is optimal. With
       ``relax_only`` this is all that is done.
    2. With ``spec``, :func:`ccsim._shifts.incumbent.greedy_plan` from the LP's values
       rounded down and up (from none when the LP did not finish) gives a whole-agent
       plan covering the floor, checked against every row of the block.
    3. The MIP restricted to the shifts the LP and that plan use (run to half the gap
       asked for) gives a plan, kept if cheaper.
    4. Unless within ``mip_gap`` of the bound, the full MIP; its dual bound may raise
       the bound.

    Every MIP run stops at ``mip_gap`` or after ``node_limit`` nodes (deterministic),
    and every step at ``deadline`` (``time.time()``; None: no cap). The cheapest plan
    found is kept. ``time_limit`` [s], when given, sets ``deadline`` from now.
    """
    began = time.perf_counter()
    if deadline is None and time_limit is not None:
        deadline = time.time() + time_limit
    unit = cost_unit(block.c, block.integrality)
    relaxed = _run(block, np.zeros_like(block.integrality), block.high, deadline, mip_gap,
                   node_limit)
    stopped = _timed_out(relaxed)
    if relaxed is not None and relaxed.status == 2:
        return BlockResult(None, np.inf, np.inf, np.inf, "infeasible",
                           time.perf_counter() - began, relaxed.message)
    solved = relaxed is not None and relaxed.status == 0
    nonnegative = bool(np.all(block.c >= 0) and np.all(block.low >= 0))
    lp_bound = float(relaxed.fun) if solved else (0.0 if nonnegative else -np.inf)
    if relax_only:  # a piece of a split horizon's bound: the LP value is all that is wanted
        return BlockResult(None, np.inf, lp_bound, lp_bound,
                           "optimal" if solved else ("time_limit" if stopped else "no_solution"),
                           time.perf_counter() - began, "" if relaxed is None else
                           relaxed.message)
    bound = round_up(lp_bound, unit)
    best, best_objective, source = None, np.inf, ""
    is_int = block.integrality == 1
    n_x = len(block.instances)

    def good_enough() -> bool:
        return best is not None and best_objective - bound <= mip_gap * abs(best_objective) + 1e-9

    def keep(values: np.ndarray, step: str) -> None:
        nonlocal best, best_objective, source
        objective = float(block.c @ values)
        if objective < best_objective - 1e-9:
            best, best_objective, source = values, objective, step

    def take(result: Any, step: str) -> None:
        if result is not None and result.x is not None and result.status in (0, 1, 4):
            keep(np.where(is_int, np.round(result.x), result.x), step)

    if solved and np.all(np.abs(relaxed.x[is_int] - np.round(relaxed.x[is_int])) <= 1e-7):
        take(relaxed, "lp")
    used = np.zeros(n_x, dtype=bool)
    if spec is not None and not good_enough():
        starts = ([np.floor(relaxed.x[:n_x] + 1e-6), np.ceil(relaxed.x[:n_x] - 1e-6)] if solved
                  else [None])
        for start in starts:
            plan = greedy_plan(spec, start)
            values = None if plan is None else block_values(block, spec, *plan)
            if values is not None:
                used |= values[:n_x] > 0.5
                keep(values, "greedy")
    if solved and not good_enough():
        high = block.high.copy()
        unused = (relaxed.x[:n_x] <= 1e-7) & ~used
        high[:n_x][unused] = np.maximum(block.low[:n_x][unused], 0.0)
        restricted = _run(block, block.integrality, high, deadline, mip_gap / 2, node_limit)
        stopped |= _timed_out(restricted)
        take(restricted, "restricted")
    full = None
    if not good_enough() and not stopped:
        full = _run(block, block.integrality, block.high, deadline, mip_gap, node_limit)
        stopped |= _timed_out(full)
        if full is not None and full.status == 2:
            return BlockResult(None, np.inf, lp_bound, np.inf, "infeasible",
                               time.perf_counter() - began, full.message)
        take(full, "full")
        dual = None if full is None else getattr(full, "mip_dual_bound", None)
        if dual is not None and np.isfinite(dual):
            bound = max(bound, round_up(float(dual), unit))
    seconds = time.perf_counter() - began
    if best is None:
        message = "" if full is None else str(full.message)
        return BlockResult(None, np.inf, lp_bound, bound,
                           "time_limit" if stopped else "no_solution", seconds, message)
    bound = min(bound, best_objective)
    lp_bound = min(lp_bound, best_objective)
    if best_objective - bound <= 1e-9 * max(1.0, abs(best_objective)):
        status = "optimal"
    elif good_enough():
        status = "within_gap"
    else:
        status = "time_limit" if stopped else "node_limit"
    return BlockResult(best, best_objective, lp_bound, bound, status, seconds, source=source)


def solve_task(block: Block, spec: CoverSpec | None, deadline: float | None, mip_gap: float,
               node_limit: int, relax_only: bool = False) -> BlockResult:
    """:func:`solve_block` with positional arguments (for ``Executor.map``)."""
    return solve_block(block, mip_gap=mip_gap, node_limit=node_limit, deadline=deadline,
                       relax_only=relax_only, spec=spec)


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
