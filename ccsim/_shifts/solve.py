"""Checking, solving and explaining a shift-scheduling problem (private).

:func:`precheck` finds, before any solver runs, the intervals that no template can
cover and the bounds that make coverage impossible; :func:`run` splits the horizon
into independent blocks (:func:`ccsim._shifts.model.blocks`), solves them (in a
process pool when there are several with breaks) and puts the answers together;
an infeasible block is explained from the least shortfall an LP can reach.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from ccsim._shifts.highs import (
    DEFAULT_NODE_LIMIT,
    BlockResult,
    assign_breaks,
    cost_unit,
    max_row,
    round_up,
    soft_shortfall,
    solve_block,
    solve_task,
)
from ccsim._shifts.incumbent import CoverSpec, cover_spec
from ccsim._shifts.model import (
    Block,
    BlockSpan,
    Layout,
    Service,
    blocks,
    build_block,
    forced_slots,
    split,
)
from ccsim._shifts.pool import interruptible_pool
from ccsim._validation import CCSimError, CCSimInputError

__all__ = ["SOLVE_LOG_COLUMNS", "Outcome", "precheck", "run"]


def _when(lay: Layout, slot: int) -> str:
    return str(lay.grid.stamp(slot))[:16]


def _runs(lay: Layout, slots: np.ndarray, values: np.ndarray, limit: int = 4) -> str:
    """``"2024-01-01 06:00-07:00 (up to 3)"`` for runs of consecutive slots."""
    pieces = []
    breaks = np.flatnonzero(np.diff(slots) != 1) + 1
    for run in np.split(np.arange(len(slots)), breaks)[:limit]:
        first, last = int(slots[run[0]]), int(slots[run[-1]])
        end = str(lay.grid.stamp(last + 1))[11:16]
        peak = float(values[run].max())
        pieces.append(f"{_when(lay, first)}-{end} (needs up to {peak:g})")
    more = len(breaks) + 1 - limit
    return ", ".join(pieces) + (f" and {more} more period(s)" if more > 0 else "")


def _cover_matrix(lay: Layout, capable: bool) -> Any:
    """Instances x grid slots: 1 where the instance can be on the phones (or on shift)."""
    from scipy import sparse

    size = lay.grid.size
    lo = np.clip(lay.inst_start, 0, size)
    hi = np.clip(lay.inst_end, 0, size)
    n = hi - lo
    cols = np.repeat(np.arange(lay.n_x), n)
    rows = np.repeat(lo - np.cumsum(n) + n, n) + np.arange(int(n.sum()))
    values = np.ones(len(rows))
    forced = np.array(forced_slots(lay) if capable else [], dtype=np.int64).reshape(-1, 3)
    if forced.size:  # the slots a forced break keeps the agent off the phones: subtract
        first = np.clip(forced[:, 1], 0, size)
        m = np.maximum(np.clip(forced[:, 2] + 1, 0, size) - first, 0)
        rows = np.concatenate([rows, np.repeat(first - np.cumsum(m) + m, m)
                               + np.arange(int(m.sum()))])
        cols = np.concatenate([cols, np.repeat(forced[:, 0], m)])
        values = np.concatenate([values, -np.ones(int(m.sum()))])
    matrix = sparse.csr_array((values, (rows, cols)), shape=(size, lay.n_x))
    matrix.data = np.maximum(matrix.data, 0.0)
    matrix.eliminate_zeros()
    return matrix


def precheck(lay: Layout, floor: np.ndarray, *, seats: float | None,
             max_per_day: float | None, what: str = "the requirement",
             soft_hint: bool = True) -> None:
    """Raise :class:`CCSimInputError` saying why coverage is impossible, if it plainly is."""
    penalty = ", or give understaffing_penalty to leave them short" if soft_hint else ""
    need = floor > 1e-9
    capable = _cover_matrix(lay, capable=True)
    able = capable @ np.ones(lay.n_x)
    bare = np.flatnonzero(need & (able == 0))
    if bare.size:
        raise CCSimInputError(
            f"no template covers {bare.size} interval(s) where {what} needs agents: "
            f"{_runs(lay, bare, floor[bare])}; add templates working then (check their start, "
            f"length, days and forced breaks){penalty}")
    if seats is not None:
        short = np.flatnonzero(floor > seats + 1e-9)
        if short.size:
            t = int(short[np.argmax(floor[short])])
            raise CCSimInputError(
                f"seats={seats:g} is below {what} in {short.size} interval(s), e.g. "
                f"{_when(lay, t)} needs {floor[t]:g} agents on the phones; raise seats"
                + (" or give understaffing_penalty" if soft_hint else ""))
        on_shift = _cover_matrix(lay, capable=False) @ lay.inst_low
        over = np.flatnonzero(on_shift > seats + 1e-9)
        if over.size:
            t = int(over[0])
            raise CCSimInputError(
                f"the templates' min_agents put {on_shift[t]:g} agents on shift at "
                f"{_when(lay, t)}, above seats={seats:g}; lower min_agents or raise seats")
    finite = np.isfinite(lay.inst_high)
    reach = capable @ np.where(finite, lay.inst_high, 0.0)
    unbounded = capable @ (~finite).astype(float)
    short = np.flatnonzero((unbounded == 0) & (floor > reach + 1e-9))
    if short.size:
        t = int(short[0])
        used = capable[[t], :].toarray().ravel() > 0
        names = sorted({lay.templates[j].name for j in lay.inst_template[used]})
        bounds = ", ".join(f"{name!r}" for name in names[:6]) + (" ..." if len(names) > 6
                                                                  else "")
        raise CCSimInputError(
            f"the templates covering {_when(lay, t)} allow at most {reach[t]:g} agents there "
            f"(their max_agents: {bounds}), fewer than the {floor[t]:g} {what} asks for "
            f"({short.size} such interval(s)); raise max_agents or add templates")
    if max_per_day is not None:
        from scipy import sparse

        n_days = int(lay.inst_day.max()) + 1
        of_day = sparse.csr_array((np.ones(lay.n_x), (np.arange(lay.n_x), lay.inst_day)),
                                  shape=(lay.n_x, n_days))
        covering_days = ((capable @ of_day) > 0).sum(axis=1)  # days with a shift there
        short = np.flatnonzero(floor > max_per_day * covering_days + 1e-9)
        if short.size:
            t = int(short[0])
            raise CCSimInputError(
                f"max_agents_per_day={max_per_day:g} cannot cover {_when(lay, t)}, where {what} "
                f"needs {floor[t]:g} agents on the phones; raise max_agents_per_day")


@dataclass
class Outcome:
    """The whole horizon's solution: agents per instance, breaks and coverage per interval."""

    x: np.ndarray
    breaks: list[tuple[int, int, int, int]]   # (member row, instance, slot, agents)
    on_shift: np.ndarray
    on_break: np.ndarray
    objective: float
    lower_bound: float
    lp_bound: float
    status: str
    seconds: float
    blocks: int
    log: pd.DataFrame | None = None  # per block: see SOLVE_LOG_COLUMNS


#: The columns of the per-block solve log (``ShiftPlan.solve_log``).
SOLVE_LOG_COLUMNS = ("start", "end", "cost", "bound", "gap", "status", "source", "seconds")


def _log(lay: Layout, solved: list[tuple[Block, BlockResult]]) -> pd.DataFrame:
    """One row per block solved, in time order: its span, cost, bound, gap and status."""
    rows = []
    for block, result in solved:
        g0, g1 = block.grid_slots
        cost = result.objective
        gap = 0.0 if cost <= 0 else max(cost - result.bound, 0.0) / cost
        rows.append((lay.grid.stamp(g0), lay.grid.stamp(g1), cost, result.bound, gap,
                     result.status, result.source, result.seconds))
    frame = pd.DataFrame(rows, columns=list(SOLVE_LOG_COLUMNS))
    return frame.sort_values("start", kind="stable").reset_index(drop=True)


def _solve_all(tasks: list[tuple[Block, CoverSpec | None, bool]], deadline: float,
               mip_gap: float, node_limit: int, count: int, heavy: bool,
               executor: Executor | None) -> list[BlockResult]:
    """Solve ``(block, spec, relax_only)`` tasks in order, each with its own node budget.

    Blocks share only the call's ``deadline`` (a safety cap): none takes time from
    another, so the plan does not depend on the order or speed at which they run.
    """
    if not tasks:
        return []
    parallel = executor is not None or (count > 1 and len(tasks) > 1 and heavy)
    columns = ([b for b, _, _ in tasks], [s for _, s, _ in tasks], [deadline] * len(tasks),
               [mip_gap] * len(tasks), [node_limit] * len(tasks),
               [relax for _, _, relax in tasks])
    if executor is not None:
        return list(executor.map(solve_task, *columns))
    if not parallel:
        return [solve_task(*task) for task in zip(*columns, strict=True)]
    # spawn, not fork (HiGHS keeps worker threads that a forked child must not inherit),
    # and a pool that Ctrl-C stops at once instead of waiting on its workers
    with interruptible_pool(min(count, len(tasks)), len(tasks)) as pool:
        if pool is None:  # one worker: no pool was started
            return [solve_task(*task) for task in zip(*columns, strict=True)]
        return list(pool.map(solve_task, *columns))


def _bounds(lay: Layout, block: Block, options: dict[str, Any]) -> str:
    """The bounds in force on a block, for a message: only those that were given."""
    named = [f"{k}={v:g}" for k, v in options.items() if v is not None]
    inst = block.instances
    if np.any(lay.inst_low[inst] > 0):
        named.append("the templates' min_agents")
    if np.any(np.isfinite(lay.inst_high[inst])):
        named.append("the templates' max_agents")
    return ", ".join(named) if named else "no seats or agent bounds were given"


def _period(lay: Layout, block: Block) -> str:
    return f"{_when(lay, block.grid_slots[0])} to {_when(lay, block.grid_slots[1] - 1)}"


def _explain(lay: Layout, block: Block, floor: np.ndarray, options: dict[str, Any],
             what: str = "the requirement", hint: str = " or give understaffing_penalty") -> str:
    shortfall = soft_shortfall(block)
    bounds = _bounds(lay, block, options)
    if shortfall is None:
        return (f"no plan meets the bounds ({bounds}) on {_period(lay, block)}: they contradict "
                "each other whatever the coverage (e.g. min_agents above seats or "
                "max_agents_per_day)")
    g0 = block.grid_slots[0]
    short = np.flatnonzero(shortfall > 1e-6)
    if short.size == 0:
        return (f"no whole-agent plan meets the constraints ({bounds}) on {_period(lay, block)}, "
                f"though fractional agents would; relax a bound{hint}")
    t = int(short[np.argmax(shortfall[short])])
    return (f"no plan covers {what} in every interval under the bounds together ({bounds}): "
            f"even fractional agents leave {short.size} interval(s) short, most at "
            f"{_when(lay, g0 + t)} by {shortfall[t]:.3g} agents; relax a bound{hint}")


def _explain_service(lay: Layout, block: Block, floor: np.ndarray, options: dict[str, Any],
                     service: Service, what: str, hint: str) -> str:
    """Why a block under a daily target has no plan: its floor, one day's target, or all."""
    days = block.service_days if block.service_days is not None else np.zeros(0, dtype=int)
    rows = block.service_row + np.arange(len(days))
    relaxed = replace(block, row_low=block.row_low.copy())
    relaxed.row_low[rows] = -np.inf
    shortfall = soft_shortfall(relaxed)
    if shortfall is None or np.any(shortfall > 1e-6) or not len(days):
        return _explain(lay, relaxed, floor, options, what=what, hint=hint)
    bounds = _bounds(lay, block, options)
    for row, day in zip(rows, days, strict=True):
        most = max_row(relaxed, int(row))
        need = float(block.row_low[row])
        if most is None or most < need - 1e-9:
            date = f"{service.dates[int(day)]:%Y-%m-%d}" if int(day) < len(service.dates) else ""
            reach = "" if most is None else (
                f": at most {service.target - need + most:.6f} of its calls can be answered "
                "in time")
            return (f"the daily target={service.target:g} cannot be met on {date} under the "
                    f"bounds ({bounds}){reach}; relax those bounds or lower target")
    return (f"the daily targets of {_period(lay, block)} cannot all be met together under the "
            f"bounds ({bounds}) with whole agents; relax a bound or lower target")


@dataclass
class _Part:
    """One independent block of the horizon: solved whole, or split into day pieces."""

    span: BlockSpan
    plan: list[Block]
    bound: list[Block] | None  # the Lagrangian pieces of a split block


def _parts(lay: Layout, floor: np.ndarray, options: dict[str, Any], join: Sequence[tuple[int, int]],
           may_split: bool) -> list[_Part]:
    out = []
    for span in blocks(lay, join=join):
        pieces = None
        if may_split and np.isin(lay.mem_inst, span.instances).any():
            pieces = split(lay, span, floor)
        if pieces is None:
            out.append(_Part(span, [build_block(lay, span, floor, **options)], None))
        else:
            plan, bound = pieces
            out.append(_Part(span, [build_block(lay, p, floor, **options) for p in plan],
                             [build_block(lay, p, floor, cost=c, **options) for p, c in bound]))
    return out


def _unit(lay: Layout, span: BlockSpan, penalty: float | None) -> float | None:
    if penalty is not None:
        return None
    costs = lay.inst_cost[span.instances]
    return cost_unit(costs, np.ones_like(costs))


def run(lay: Layout, floor: np.ndarray, *, penalty: float | None, seats: float | None,
        max_per_day: float | None, service: Service | None,
        join: Sequence[tuple[int, int]], time_limit: float, mip_gap: float,
        workers: int | None, executor: Executor | None, node_limit: int = DEFAULT_NODE_LIMIT,
        explain: tuple[str, str] = ("the requirement", " or give understaffing_penalty")
        ) -> Outcome:
    """Solve every block and assemble the plan's arrays.

    ``explain`` is what the floor is and what else the user may change, for the
    message when no plan exists.

    A block of several days joined by night shifts, with breaks, is split into day
    pieces (:func:`ccsim._shifts.model.split`); its plan is then the pieces' plans and
    its bound the sum of its Lagrangian pieces' LP values.

    ``time_limit`` [s] caps the whole call from here (``deadline``); each block runs
    to ``mip_gap`` or ``node_limit`` nodes per MIP run (:func:`solve_block`).
    """
    began = time.perf_counter()
    deadline = time.time() + time_limit
    options = {"penalty": penalty, "seats": seats, "max_per_day": max_per_day,
               "service": service}
    parts = _parts(lay, floor, options, join, may_split=service is None and max_per_day is None)
    plans = [b for part in parts for b in part.plan]
    bounds = [b for part in parts for b in part.bound or ()]
    heavy = any(b.classes for b in plans) or service is not None
    count = 1 if workers is None else workers
    tasks = ([(b, None, True) for b in bounds]  # the quick LPs first
             + [(b, cover_spec(lay, b, floor), False) for b in plans])
    results = _solve_all(tasks, deadline, mip_gap, node_limit, count, heavy, executor)
    bound_results = iter(results[:len(bounds)])
    plan_results = iter(results[len(bounds):])
    limit = time_limit
    solved: list[tuple[Block, BlockResult]] = []
    lower = lp_bound = 0.0
    for part in parts:
        mine = [(b, next(plan_results)) for b in part.plan]
        theirs = [next(bound_results) for _ in part.bound or ()]
        if part.bound is not None and any(r.status == "infeasible" for _, r in mine):
            # the pieces leave some interval to shifts across a cut: solve the block whole
            whole = build_block(lay, part.span, floor, **options)
            mine = [(whole, solve_block(whole, mip_gap=mip_gap, node_limit=node_limit,
                                        deadline=deadline,
                                        spec=cover_spec(lay, whole, floor)))]
            theirs = []
        for block, result in mine:
            if result.status == "infeasible":
                given = {"seats": seats, "max_agents_per_day": max_per_day}
                raise CCSimInputError(
                    _explain(lay, block, floor, given, *explain) if service is None else
                    _explain_service(lay, block, floor, given, service, *explain))
            if result.values is None:
                stopped = result.status == "time_limit"
                raise CCSimError(
                    f"no shift plan found for {_when(lay, block.grid_slots[0])} to "
                    f"{_when(lay, block.grid_slots[1] - 1)} "
                    + (f"within time_limit_seconds={limit:g}; allow more time, or give"
                       if stopped else f"within {node_limit} branch-and-bound nodes; give a "
                       "larger mip_gap,")
                    + " fewer templates or a coarser grid")
        solved.extend(mine)
        if theirs:
            relaxed = sum(r.lp_bound for r in theirs)
            lp_bound += relaxed
            lower += round_up(relaxed, _unit(lay, part.span, penalty))
        else:
            lp_bound += sum(r.lp_bound for _, r in mine)
            lower += sum(r.bound for _, r in mine)
    x = np.zeros(lay.n_x)
    objective = 0.0
    for block, result in solved:
        x[block.instances] = result.values[:len(block.instances)]
        objective += result.objective
    pieces = []
    for block, result in solved:
        pieces.extend(assign_breaks(lay, block, result.values, x))
    size = lay.grid.size
    marks = np.zeros(size + 1)
    np.add.at(marks, np.clip(lay.inst_start, 0, size), x)
    np.add.at(marks, np.clip(lay.inst_end, 0, size), -x)
    on_shift = np.cumsum(marks)[:-1]
    on_break = np.zeros(size)
    for member, _, slot, agents in pieces:
        pattern = lay.class_pattern[lay.mem_class[member]]
        for offset, fraction in enumerate(pattern):
            if 0 <= slot + offset < size:
                on_break[slot + offset] += agents * fraction
    if penalty is not None:  # intervals no block covers are short by their whole floor
        covered = np.zeros(size, dtype=bool)
        for block, _ in solved:
            covered[block.grid_slots[0]:block.grid_slots[1]] = True
        fixed = penalty * lay.grid.step / 60.0 * float(floor[~covered].sum())
        objective, lower, lp_bound = objective + fixed, lower + fixed, lp_bound + fixed
    gap = 0.0 if objective <= 0 else max(objective - lower, 0.0) / objective
    if gap <= 1e-9:
        status = "optimal"
    elif gap <= mip_gap + 1e-12:
        status = "within_gap"
    elif any(r.status == "time_limit" for _, r in solved):
        status = "time_limit"
    elif any(r.status == "node_limit" for _, r in solved):
        status = "node_limit"
    else:  # a split horizon: each piece solved, the bound of the whole weaker
        status = "feasible"
    return Outcome(np.round(x).astype(np.int64), pieces, on_shift, on_break, objective,
                   min(lower, objective), min(lp_bound, objective), status,
                   time.perf_counter() - began, len(solved), _log(lay, solved))
