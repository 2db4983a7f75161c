"""The shift-scheduling integer programme behind :mod:`ccsim.shifts` (private).

Columns of one block's model, in this order:

* ``x_i`` (integer): agents working shift instance ``i`` (a template on one day);
* ``s_t`` (continuous): agents on shift in interval ``t``, as a running sum,
  ``s_t = s_{t-1} + (agents starting at t) - (agents ending at t)``, so that each
  ``x_i`` enters two rows instead of one per interval of its shift (the same
  polyhedron as the usual covering rows, far sparser);
* per *break class* ``k`` (breaks of one duration whose windows have one width)
  and slot ``t``: ``b_kt`` (integer) agents starting such a break at ``t``, and two
  running sums ``p_kt`` = agents whose window has opened minus breaks taken, and
  ``q_kt`` = breaks taken minus agents whose window has closed, both ``>= 0``;
* ``u_t`` (continuous, soft coverage only): agents short in interval ``t``;
* ``d_tk`` (continuous in [0, 1], daily service-level target only): the segments
  of :mod:`ccsim._shifts.service`.

Coverage: ``s_t - sum_k sum_j f_kj b_k,t-j (+ u_t) - sum_k d_tk >= floor_t``, where
``f_kj`` is the share of interval ``t`` that a break started ``j`` slots earlier
takes (1, or 0.5 for a 15-minute break in a 30-minute interval).

Why the break model is exact (the implicit formulation of Bechtold & Jacobs [2]_,
whose forward and backward constraints are the two running sums): within a
class all windows have the same width, so they open in the same order as they
close. A slot's breaks can then be given to the waiting agents whose window
opened first (earliest deadline first), which misses no deadline if and only if
``p >= 0`` (no break before its window opens) and ``q >= 0`` (none after it
closes) at every slot. A template's breaks have disjoint, ordered windows (checked
by :class:`ccsim.shifts.ShiftTemplate`), so any choice of slots for its breaks is a
valid day for one agent. Every integer solution is therefore a set of agents'
days with their breaks, and every such set is an integer solution: the model is
Aykin's explicit one [1]_ aggregated without loss, with one ``b`` per class and
slot instead of one per shift, break and slot.

The horizon is solved in *blocks*: maximal runs of intervals that no shift (and no
daily constraint) joins to the rest. Blocks share nothing, so solving them apart
is exact and far faster (simplex time grows faster than the model). HiGHS solves
each block (:mod:`ccsim._shifts.highs`).

References
----------
.. [1] T. Aykin, "Optimal shift scheduling with multiple break windows", Management
   Science 42(4), 591-602, 1996, doi:10.1287/mnsc.42.4.591
.. [2] S. E. Bechtold and L. W. Jacobs, "Implicit modeling of flexible break
   assignments in optimal shift scheduling", Management Science 36(11), 1339-1351,
   1990, doi:10.1287/mnsc.36.11.1339
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from ccsim._shifts.grid import Grid, requirement_grid
from ccsim._shifts.rules import ShiftTemplate, clock_text
from ccsim._validation import CCSimInputError

__all__ = ["Block", "BlockSpan", "Grid", "Layout", "Service", "blocks", "build_block",
           "forced_slots", "layout", "requirement_grid", "split"]


# ------------------------------------------------------------------ the layout
@dataclass
class Layout:
    """Shift instances (a template on one day) and their breaks: the model's columns.

    Slots are counted in intervals from the grid's first interval and may fall
    outside the grid (a shift from the day before, or one running past the end).
    """

    grid: Grid
    templates: list[ShiftTemplate]
    days: list[pd.Timestamp]           # day 0 is the day before the grid's first date
    inst_template: np.ndarray          # template index of each instance
    inst_start: np.ndarray             # start slot
    inst_length: np.ndarray            # length [slots]
    inst_day: np.ndarray               # index into days
    inst_low: np.ndarray               # bounds on the agents of each instance
    inst_high: np.ndarray
    inst_cost: np.ndarray
    mem_inst: np.ndarray               # one row per (instance, break rule) ...
    mem_rule: np.ndarray
    mem_first: np.ndarray              # ... first candidate start slot of the break
    mem_class: np.ndarray              # ... and its break class
    class_pattern: list[np.ndarray]    # fraction of each slot a break of the class takes
    class_count: np.ndarray            # candidate start slots per window

    @property
    def n_x(self) -> int:
        return len(self.inst_template)

    @property
    def inst_end(self) -> np.ndarray:
        return self.inst_start + self.inst_length


def _break_slots(template: ShiftTemplate, step: int) -> list[tuple[int, int, tuple[float, ...]]]:
    """Per break rule: first candidate offset [slots], number of candidates, pattern."""
    out = []
    for rule in template.breaks:
        first = math.ceil(rule.earliest_after_minutes / step - 1e-9)
        last = math.floor(rule.latest_after_minutes / step + 1e-9)
        if last < first:
            raise CCSimInputError(
                f"ShiftTemplate {template.name!r}: the {rule._window()} has no start on the "
                f"requirement's {step}-min grid; widen the window or use a finer grid")
        full, rest = divmod(float(rule.minutes), step)
        pattern = (1.0,) * int(full) + ((rest / step,) if rest > 1e-9 else ())
        out.append((first, last - first + 1, pattern))
    return out


def layout(grid: Grid, templates: Sequence[ShiftTemplate]) -> Layout:
    """Every template on every allowed day that overlaps the grid, with its breaks."""
    if not templates:
        raise CCSimInputError("templates must hold at least one ShiftTemplate; got none")
    names: set[str] = set()
    for t in templates:
        if not isinstance(t, ShiftTemplate):
            raise CCSimInputError(f"templates must be ShiftTemplate objects; got {t!r}")
        if t.name in names:
            raise CCSimInputError(f"templates must have unique names; {t.name!r} appears twice")
        names.add(t.name)
    step, size, day0 = grid.step, grid.size, grid.minute_of_day()
    first_day = grid.origin.normalize() - pd.Timedelta(days=1)
    days = list(pd.date_range(first_day, grid.index[-1].normalize(), freq="D"))
    per_day = 1440 // step
    rows, rules = [], []
    for j, t in enumerate(templates):
        offset = t.start_minutes - day0
        if offset % step or t.length_minutes % step:
            what = "starts at " + t.start if offset % step else f"lasts {t.shift_hours:g} h"
            raise CCSimInputError(
                f"ShiftTemplate {t.name!r} {what}, off the requirement's grid of {step}-min "
                f"intervals from {clock_text(day0)}; give templates on the grid")
        rules.append(_break_slots(t, step))
        length = t.length_minutes // step
        for d, day in enumerate(days):
            start = (d - 1) * per_day + offset // step
            if t.works_on(day.weekday()) and start < size and start + length > 0:
                rows.append((j, start, length, d))
    if not rows:
        end = grid.stamp(size)
        raise CCSimInputError(
            f"no template covers any interval of the requirement ({str(grid.origin)[:16]} to "
            f"{str(end)[11:16] if end.normalize() == grid.origin.normalize() else str(end)[:16]}"
            "); check the templates' start times, lengths and days")
    table = np.array(rows, dtype=np.int64)
    tpl, start = table[:, 0], table[:, 1]
    low = np.array([templates[j].min_agents for j in tpl], dtype=float)
    low[start < 0] = 0.0  # a shift from before the grid is not bound to its template's minimum
    high = np.array([np.inf if templates[j].max_agents is None else templates[j].max_agents
                     for j in tpl], dtype=float)
    cost = np.array([templates[j].cost for j in tpl], dtype=float)
    classes: dict[tuple[tuple[float, ...], int], int] = {}
    members = []
    for i, (j, s) in enumerate(zip(tpl, start, strict=True)):
        for r, (first, count, pattern) in enumerate(rules[j]):
            k = classes.setdefault((pattern, count), len(classes))
            members.append((i, r, s + first, k))
    mem = np.array(members, dtype=np.int64).reshape(-1, 4)
    keys = sorted(classes, key=classes.get)
    return Layout(grid, templates, days, tpl, start, table[:, 2], table[:, 3], low, high, cost,
                  mem[:, 0], mem[:, 1], mem[:, 2], mem[:, 3],
                  [np.array(p) for p, _ in keys], np.array([c for _, c in keys], dtype=np.int64))


def forced_slots(lay: Layout) -> list[tuple[int, int, int]]:
    """(instance, first, last): slots in which every choice of a break puts the agent on it."""
    out = []
    for i, first, k in zip(lay.mem_inst, lay.mem_first, lay.mem_class, strict=True):
        full = int((lay.class_pattern[k] >= 1).sum())
        count = int(lay.class_count[k])
        if count <= full:
            out.append((int(i), int(first + count - 1), int(first + full - 1)))
    return out


# ------------------------------------------------------------------ blocks
@dataclass(frozen=True)
class BlockSpan:
    """A part of the horizon independent of the rest: slots [first, last] and its instances."""

    first: int
    last: int
    instances: np.ndarray


def blocks(lay: Layout, *, join: Sequence[tuple[int, int]] = ()) -> list[BlockSpan]:
    """Split the horizon where no shift runs across and no constraint joins the two sides.

    ``join`` lists more slot ranges ``(a, b)`` that must stay in one block (a day under
    a daily service-level target, the shifts of a day under a per-day agent limit).
    Splitting there is exact: the blocks share no variable and no constraint.
    """
    low = int(min(0, lay.inst_start.min()))
    high = int(max(lay.grid.size, lay.inst_end.max()))
    # joined[k]: slots low+k and low+k+1 are in one block
    marks = np.zeros(high - low + 1, dtype=np.int64)
    spans = [(lay.inst_start, lay.inst_end - 1)] + [
        (np.array([a]), np.array([b])) for a, b in join]
    for a, b in spans:
        keep = b > a
        np.add.at(marks, a[keep] - low, 1)
        np.add.at(marks, b[keep] - low, -1)
    joined = np.cumsum(marks)[:-1] > 0
    cuts = np.flatnonzero(~joined) + low  # a block ends at each cut slot
    starts = np.concatenate([[low], cuts + 1])
    ends = np.concatenate([cuts, [high - 1]])
    order = np.argsort(lay.inst_start, kind="stable")
    sorted_starts = lay.inst_start[order]
    out = []
    for a, b in zip(starts, ends, strict=True):
        lo, hi = np.searchsorted(sorted_starts, [a, b + 1])
        if hi > lo:
            out.append(BlockSpan(int(a), int(b), np.sort(order[lo:hi])))
    return out


def split(lay: Layout, span: BlockSpan, floor: np.ndarray
          ) -> tuple[list[BlockSpan], list[tuple[BlockSpan, np.ndarray]]] | None:
    """Cut a block that runs over several days into day-long pieces, where demand is low.

    Night shifts join the days of a 24/7 horizon into one block, too big for the
    simplex method. One cut a day is made at the interval boundary with the least
    requirement around it (fewest shifts across it on ties). Returns the pieces for
    the plan (only the shifts inside each piece: a restriction, so any plan found is
    feasible for the whole) and the pieces for the bound (every shift touching the
    piece, its cost shared in proportion to the time it spends there, breaks free:
    a Lagrangian relaxation, so the sum of the pieces' LP values is a lower bound),
    or None when the block covers less than two days.
    """
    per_day = 1440 // lay.grid.step
    g0, g1 = max(span.first, 0), min(span.last + 1, lay.grid.size)
    if g1 - g0 < 2 * per_day:
        return None
    inst = span.instances
    starts, ends = np.sort(lay.inst_start[inst]), np.sort(lay.inst_end[inst])
    dates = lay.grid.index.normalize()
    cuts = []
    for day in dates[g0:g1].unique()[1:]:
        slots = np.flatnonzero(dates == day)
        slots = slots[(slots > g0) & (slots < g1)]
        if slots.size == 0:
            continue
        across = np.searchsorted(starts, slots, side="left") - np.searchsorted(
            ends, slots, side="right")
        score = floor[slots - 1] + floor[slots] + across / (1.0 + across.max())
        cuts.append(int(slots[np.argmin(score)]))
    edges = [span.first, *cuts, span.last + 1]
    plan_pieces, bound_pieces = [], []
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        s, e = lay.inst_start[inst], lay.inst_end[inst]
        inside = inst[(s >= a) & (e <= b)]
        touching = (s < b) & (e > a)
        share = (np.minimum(e, b) - np.maximum(s, a))[touching] / lay.inst_length[inst][touching]
        plan_pieces.append(BlockSpan(a, b - 1, np.sort(inside)))
        bound_pieces.append((BlockSpan(a, b - 1, inst[touching]),
                             lay.inst_cost[inst[touching]] * share))
    return plan_pieces, bound_pieces


# ------------------------------------------------------------------ one block's model
class _Rows:
    """Sparse rows assembled from (row, column, value) pieces."""

    def __init__(self) -> None:
        self.r: list[np.ndarray] = []
        self.c: list[np.ndarray] = []
        self.v: list[np.ndarray] = []
        self.low: list[np.ndarray] = []
        self.high: list[np.ndarray] = []
        self.n = 0

    def new(self, count: int, low: Any, high: Any) -> int:
        first = self.n
        self.n += count
        self.low.append(np.broadcast_to(np.asarray(low, dtype=float), (count,)))
        self.high.append(np.broadcast_to(np.asarray(high, dtype=float), (count,)))
        return first

    def add(self, rows: Any, cols: Any, values: Any) -> None:
        rows = np.asarray(rows, dtype=np.int64)
        self.r.append(rows)
        self.c.append(np.broadcast_to(np.asarray(cols, dtype=np.int64), rows.shape))
        self.v.append(np.broadcast_to(np.asarray(values, dtype=float), rows.shape))

    def matrix(self, n_cols: int) -> sparse.csr_array:
        if not self.r:
            return sparse.csr_array((self.n, n_cols))
        return sparse.csr_array((np.concatenate(self.v),
                                 (np.concatenate(self.r), np.concatenate(self.c))),
                                shape=(self.n, n_cols))


@dataclass
class Service:
    """The daily service-level rows (built by :mod:`ccsim._shifts.service`).

    Per grid slot ``t``, segments ``seg_first[t]:seg_first[t+1]`` of ``weight`` (the
    share of the day's calls answered in time that each extra agent adds), and per
    day the share still needed above the floors, ``rhs``; ``slot_day`` gives each slot's
    day (-1: no target).
    """

    seg_first: np.ndarray
    weight: np.ndarray
    slot_day: np.ndarray
    rhs: np.ndarray
    target: float = float("nan")     # the day's target (for messages) ...
    dates: tuple[pd.Timestamp, ...] = ()  # ... and each day's date


@dataclass
class Block:
    """One block's integer programme in the form ``scipy.optimize.milp`` takes."""

    c: np.ndarray
    integrality: np.ndarray
    low: np.ndarray
    high: np.ndarray
    matrix: sparse.csr_array
    row_low: np.ndarray
    row_high: np.ndarray
    instances: np.ndarray            # global instance ids of the x columns 0..n-1
    grid_slots: tuple[int, int]      # grid slots [g0, g1) with coverage rows
    s_col: int                       # first on-shift column
    u_col: int                       # first under-staffing column (-1: hard coverage)
    classes: list[tuple[int, int, int, int]]  # (class, first slot, first b column, slots)
    cover_row: int                   # first coverage row
    service_row: int = -1            # first daily service-level row (-1: none) ...
    service_days: np.ndarray | None = None  # ... and the day of each


def build_block(lay: Layout, span: BlockSpan, floor: np.ndarray, *, penalty: float | None,
                seats: float | None, max_per_day: float | None,
                service: Service | None, cost: np.ndarray | None = None) -> Block:
    """The set-covering model with implicit breaks for the instances of one block.

    ``floor[t]`` is the least number of agents on the phones in grid slot ``t``.
    Instances may reach outside the span (a piece of a split horizon); they are then
    counted on shift from its first slot, and ``cost`` (one per instance) replaces
    their cost.
    """
    size = lay.grid.size
    inst = span.instances
    local = {int(i): n for n, i in enumerate(inst)}
    g0, g1 = max(span.first, 0), min(span.last + 1, size)
    n_slots = max(g1 - g0, 0)
    rows = _Rows()
    n_x = len(inst)
    costs = [lay.inst_cost[inst] if cost is None else np.asarray(cost, dtype=float)]
    integ = [np.ones(n_x)]
    lows, highs = [lay.inst_low[inst]], [lay.inst_high[inst]]
    col = n_x
    # on-shift counts: s_t = s_{t-1} + (starting at t) - (ending at t)
    s_col = col
    col += n_slots
    costs.append(np.zeros(n_slots))
    integ.append(np.zeros(n_slots))
    lows.append(np.zeros(n_slots))
    highs.append(np.full(n_slots, np.inf if seats is None else seats))
    chain = rows.new(n_slots, 0.0, 0.0)
    tau = np.arange(n_slots)
    rows.add(chain + tau, s_col + tau, 1.0)
    rows.add(chain + tau[1:], s_col + tau[:-1], -1.0)
    begin = np.clip(lay.inst_start[inst], g0, None) - g0
    rows.add(chain + begin[begin < n_slots], np.flatnonzero(begin < n_slots), -1.0)
    end = lay.inst_end[inst] - g0
    inside = end < n_slots
    rows.add(chain + end[inside], np.flatnonzero(inside), 1.0)
    cover = rows.new(n_slots, floor[g0:g1], np.inf)
    rows.add(cover + tau, s_col + tau, 1.0)
    # break classes: b (breaks starting), p (pending: window open, break not taken),
    # q (taken beyond those whose window has closed); both chains stay >= 0
    in_block = np.isin(lay.mem_inst, inst)
    classes = []
    for k in np.unique(lay.mem_class[in_block]):
        pick = in_block & (lay.mem_class == k)
        m_inst = np.array([local[int(i)] for i in lay.mem_inst[pick]], dtype=np.int64)
        first = lay.mem_first[pick]
        count = int(lay.class_count[k])
        a, z = int(first.min()), int(first.max()) + count - 1
        n = z - a + 1
        b_col, p_col, q_col = col, col + n, col + 2 * n
        col += 3 * n
        costs.append(np.zeros(3 * n))
        integ.append(np.concatenate([np.ones(n), np.zeros(2 * n)]))
        lows.append(np.zeros(3 * n))
        highs.append(np.full(3 * n, np.inf))
        j = np.arange(n)
        pr = rows.new(n, 0.0, 0.0)
        rows.add(pr + j, p_col + j, 1.0)
        rows.add(pr + j[1:], p_col + j[:-1], -1.0)
        rows.add(pr + j, b_col + j, 1.0)
        rows.add(pr + first - a, m_inst, -1.0)
        qr = rows.new(n, 0.0, 0.0)
        rows.add(qr + j, q_col + j, 1.0)
        rows.add(qr + j[1:], q_col + j[:-1], -1.0)
        rows.add(qr + j, b_col + j, -1.0)
        rows.add(qr + first + count - 1 - a, m_inst, 1.0)
        for offset, share in enumerate(lay.class_pattern[k]):
            slot = a + j + offset
            keep = (slot >= g0) & (slot < g1)
            rows.add(cover + slot[keep] - g0, b_col + j[keep], -share)
        classes.append((int(k), a, b_col, n))
    u_col = -1
    if penalty is not None:
        u_col = col
        col += n_slots
        costs.append(np.full(n_slots, penalty * lay.grid.step / 60.0))
        integ.append(np.zeros(n_slots))
        lows.append(np.zeros(n_slots))
        highs.append(np.full(n_slots, np.inf))
        rows.add(cover + tau, u_col + tau, 1.0)
    if max_per_day is not None:
        day = lay.inst_day[inst]
        labels, which = np.unique(day, return_inverse=True)
        dr = rows.new(len(labels), -np.inf, max_per_day)
        rows.add(dr + which, np.arange(n_x), 1.0)
    service_at: tuple[int, np.ndarray | None] = (-1, None)
    if service is not None:
        firsts = service.seg_first[g0:g1 + 1]
        counts = np.diff(firsts)
        d_col = col
        n_d = int(counts.sum())
        col += n_d
        costs.append(np.zeros(n_d))
        integ.append(np.zeros(n_d))
        lows.append(np.zeros(n_d))
        highs.append(np.ones(n_d))
        slot_of = np.repeat(tau, counts)
        rows.add(cover + slot_of, d_col + np.arange(n_d), -1.0)
        day = service.slot_day[g0:g1][slot_of]
        labels = np.unique(day[day >= 0])
        if labels.size:
            sr = rows.new(len(labels), service.rhs[labels], np.inf)
            service_at = (sr, labels)
            keep = day >= 0
            rows.add(sr + np.searchsorted(labels, day[keep]), d_col + np.flatnonzero(keep),
                     service.weight[firsts[0]:firsts[-1]][keep])
    return Block(np.concatenate(costs), np.concatenate(integ), np.concatenate(lows),
                 np.concatenate(highs), rows.matrix(col), np.concatenate(rows.low),
                 np.concatenate(rows.high), inst, (g0, g1), s_col, u_col, classes, cover,
                 *service_at)
