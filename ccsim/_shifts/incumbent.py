"""A whole-agent plan for one block without branch and bound: the solver's incumbent (private).

:func:`greedy_plan` starts from agents per shift instance (the LP relaxation's
values rounded, or none), gives every agent its breaks one by one where the
coverage has most to spare (the slot in the break's window whose worst interval
stays highest), moves breaks to better slots, adds the shift that covers the most
shortfall per unit of cost while an interval is short, and finally drops agents
whose removal leaves every interval covered. The result always covers the floor
(or is None when no shift can cover a short interval, e.g. bounds on the
templates); :func:`block_values` turns it into the block's full column vector and
checks it against every row of the model (seats, per-day limits, daily targets).

Breaks of one template have disjoint, ordered windows, and each agent's break is
placed inside its own window, so the running sums of the break model
(:mod:`ccsim._shifts.model`) hold for any placement this module makes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from ccsim._shifts.model import Block, Layout

__all__ = ["CoverSpec", "block_values", "cover_spec", "greedy_plan"]

_FAR = 1e9  # slack outside the block's coverage rows: no constraint there
_TOL = 1e-9


@dataclass
class CoverSpec:
    """What the heuristic needs of one block; slots are absolute (grid slots), like the layout's.

    Per local instance (the block's x columns): ``start``, ``end`` (one past the last
    slot on shift), ``cost``, ``low`` and ``high``; per break member (one rule of one
    instance): ``mem_inst`` (local instance), ``mem_first`` (first candidate slot),
    ``mem_count`` (candidate slots) and ``mem_class`` (index into ``block.classes``);
    ``patterns[c]``: the share of each slot a break of class ``c`` takes; the floor
    on the phones over the block's coverage slots ``[g0, g1)``.
    """

    start: np.ndarray
    end: np.ndarray
    cost: np.ndarray
    low: np.ndarray
    high: np.ndarray
    mem_inst: np.ndarray
    mem_first: np.ndarray
    mem_count: np.ndarray
    mem_class: np.ndarray
    patterns: list[np.ndarray]
    floor: np.ndarray
    g0: int
    g1: int


def cover_spec(lay: Layout, block: Block, floor: np.ndarray) -> CoverSpec:
    """The :class:`CoverSpec` of ``block`` (built from ``lay`` and ``floor``)."""
    inst = block.instances
    local = np.full(lay.n_x, -1, dtype=np.int64)
    local[inst] = np.arange(len(inst))
    rows = np.flatnonzero(local[lay.mem_inst] >= 0)
    position = {k: n for n, (k, *_) in enumerate(block.classes)}
    g0, g1 = block.grid_slots
    n_x = len(inst)
    return CoverSpec(
        start=lay.inst_start[inst].astype(np.int64), end=lay.inst_end[inst].astype(np.int64),
        cost=np.asarray(block.c[:n_x], dtype=float), low=np.asarray(block.low[:n_x], dtype=float),
        high=np.asarray(block.high[:n_x], dtype=float),
        mem_inst=local[lay.mem_inst[rows]], mem_first=lay.mem_first[rows].astype(np.int64),
        mem_count=lay.class_count[lay.mem_class[rows]].astype(np.int64),
        mem_class=np.array([position[int(k)] for k in lay.mem_class[rows]], dtype=np.int64),
        patterns=[np.asarray(lay.class_pattern[k], dtype=float) for k, *_ in block.classes],
        floor=np.asarray(floor[g0:g1], dtype=float), g0=int(g0), g1=int(g1))


class _State:
    """Slack on the phones per slot, over a range wide enough for every shift and break."""

    def __init__(self, spec: CoverSpec) -> None:
        self.spec = spec
        widest = max((len(p) for p in spec.patterns), default=1)
        ends = [spec.end.max(initial=spec.g1)]
        if len(spec.mem_first):
            ends.append(int((spec.mem_first + spec.mem_count).max()) + widest)
        self.lo = int(min(spec.start.min(initial=spec.g0), spec.g0))
        hi = int(max(max(ends), spec.g1))
        self.slack = np.full(hi - self.lo + 1, _FAR)
        self.slack[spec.g0 - self.lo:spec.g1 - self.lo] = -spec.floor
        self.members = [np.flatnonzero(spec.mem_inst == i) for i in range(len(spec.start))]
        self.agents: list[list[int]] = []  # [instance, break slot per member...]

    def _window(self, member: int) -> np.ndarray:
        first = int(self.spec.mem_first[member]) - self.lo
        return first + np.arange(int(self.spec.mem_count[member]))

    def _best_slot(self, member: int) -> int:
        """The candidate slot (offset into slack) whose worst interval stays highest."""
        pattern = self.spec.patterns[self.spec.mem_class[member]]
        slots = self._window(member)
        after = np.stack([self.slack[slots + o] - f for o, f in enumerate(pattern)])
        worst, total = after.min(axis=0), after.sum(axis=0)
        best = np.lexsort((slots, -total, -worst))[0]  # highest worst, then most to spare
        return int(slots[best])

    def _take(self, member: int, slot: int, sign: float) -> None:
        pattern = self.spec.patterns[self.spec.mem_class[member]]
        self.slack[slot:slot + len(pattern)] -= sign * pattern

    def add(self, i: int) -> None:
        spec = self.spec
        self.slack[spec.start[i] - self.lo:spec.end[i] - self.lo] += 1.0
        agent = [i]
        for m in self.members[i]:
            slot = self._best_slot(int(m))
            self._take(int(m), slot, 1.0)
            agent.append(slot)
        self.agents.append(agent)

    def move_breaks(self) -> None:
        for agent in self.agents:
            for n, m in enumerate(self.members[agent[0]]):
                self._take(int(m), agent[n + 1], -1.0)
                agent[n + 1] = self._best_slot(int(m))
                self._take(int(m), agent[n + 1], 1.0)

    def deficit(self) -> float:
        return float(np.maximum(-self.slack, 0.0).sum())

    def fill(self, count: np.ndarray) -> bool:
        """Add the best shift while some slot is short; False when none helps."""
        spec = self.spec
        while True:
            short = np.minimum(np.maximum(-self.slack, 0.0), 1.0)
            if short.sum() <= _TOL:
                return True
            sums = np.concatenate([[0.0], np.cumsum(short)])
            gain = sums[spec.end - self.lo] - sums[spec.start - self.lo]
            gain[count >= spec.high] = 0.0
            if gain.max() <= _TOL:
                return False
            score = gain / np.maximum(spec.cost, _TOL)
            i = int(np.argmax(score))
            before = self.deficit()
            self.add(i)
            count[i] += 1
            if self.deficit() >= before - _TOL:
                return False

    def drop(self, count: np.ndarray) -> None:
        """Remove agents (dearest first) whose removal leaves every slot covered."""
        spec = self.spec
        order = sorted(range(len(self.agents)), key=lambda a: (-spec.cost[self.agents[a][0]], -a))
        gone = set()
        for a in order:
            agent = self.agents[a]
            i = agent[0]
            if count[i] - 1 < spec.low[i] - _TOL:
                continue
            trial = self.slack.copy()
            trial[spec.start[i] - self.lo:spec.end[i] - self.lo] -= 1.0
            for n, m in enumerate(self.members[i]):
                pattern = spec.patterns[spec.mem_class[m]]
                trial[agent[n + 1]:agent[n + 1] + len(pattern)] += pattern
            if trial.min() >= -_TOL:
                self.slack = trial
                count[i] -= 1
                gone.add(a)
        self.agents = [agent for a, agent in enumerate(self.agents) if a not in gone]


def greedy_plan(spec: CoverSpec, start: np.ndarray | None = None
                ) -> tuple[np.ndarray, list[list[int]]] | None:
    """Whole agents per instance and each agent's break slots, covering the floor.

    ``start``: agents per instance to begin from (e.g. the LP relaxation's values,
    rounded down; default none), raised to each instance's ``low``. Returns
    ``(agents per instance, [[instance, break slot per member ...] per agent])`` with
    absolute break slots, or None when no shift can cover a short slot.
    """
    n_x = len(spec.start)
    count = np.zeros(n_x, dtype=np.int64) if start is None else np.asarray(
        start, dtype=np.int64).copy()
    count = np.maximum(count, np.ceil(spec.low - _TOL).astype(np.int64))
    state = _State(spec)
    for i in np.argsort(spec.start, kind="stable"):  # earliest shifts first
        for _ in range(int(count[i])):
            state.add(int(i))
    state.move_breaks()
    if not state.fill(count):
        return None
    state.move_breaks()
    state.drop(count)
    state.move_breaks()
    state.drop(count)
    if state.slack.min() < -1e-7:
        return None
    agents = [[agent[0]] + [s + state.lo for s in agent[1:]] for agent in state.agents]
    return count, agents


def block_values(block: Block, spec: CoverSpec, count: np.ndarray,
                 agents: list[list[int]]) -> np.ndarray | None:
    """The block's full column vector for a greedy plan, or None if it breaks a row.

    The integer columns (agents per instance, breaks per class and slot) are fixed;
    an LP fills the continuous ones (running sums, shortfall, service segments), so
    every row of the block is checked, including those the heuristic ignores.
    """
    values = np.zeros(len(block.c))
    values[:len(count)] = count
    members = [np.flatnonzero(spec.mem_inst == i) for i in range(len(count))]
    for agent in agents:
        for n, m in enumerate(members[agent[0]]):
            _, a, b_col, width = block.classes[spec.mem_class[m]]
            offset = agent[n + 1] - a
            if not 0 <= offset < width:
                return None
            values[b_col + offset] += 1.0
    fixed = block.integrality == 1
    low = np.where(fixed, values, block.low)
    high = np.where(fixed, values, block.high)
    if np.any(low > block.high + _TOL) or np.any(high < block.low - _TOL):
        return None
    result = milp(block.c, integrality=np.zeros(len(block.c)), bounds=Bounds(low, high),
                  constraints=[LinearConstraint(block.matrix, block.row_low, block.row_high)],
                  options={"presolve": True, "time_limit": 60.0})
    if result.status != 0 or result.x is None:
        return None
    return np.where(fixed, values, result.x)


def rounded_start(lp_x: np.ndarray) -> np.ndarray:
    """The LP's agents per instance rounded down: the greedy fill adds what is missing."""
    return np.floor(np.asarray(lp_x, dtype=float) + 1e-6).astype(np.int64)

