"""The search of :func:`ccsim.planning.staff_by_simulation`: raise, lower, polish.

1. **Raise** (time order does not matter within a pass: every short unit is raised at
   once): each interval (or, per day, the day's interval with the most calls not
   answered within T) whose call types miss gets agents in each group of a cheap cover
   of its missing call types (:func:`covering_groups`: the group serving the most of
   them per unit of cost, then the next for those left, ...): one per 5 points its call
   types' service level falls short (:meth:`Search.raise_step`, at most a quarter of
   the group's agents there, at least one).
2. **Lower** in batches: agents of the group whose room promises the largest saving
   there (cost x agents, then the dearest, then the most room) removed from every
   second judged interval at once (per day: from each day's interval promising the
   most), as many as the room
   above the target suggests (:meth:`Search.first_step`: one per 5 points of service
   level, at most a quarter of the group's agents there), halved each time the removal
   is refused; a removal is kept when its interval and the next (per day: its day)
   still meet the target, then the whole staffing is checked again and, for every
   short unit at once, the latest kept removal before it is undone, until none is
   short. A removal of one agent rejected is not tried again (removals only make later
   intervals worse). It stops after a round saving less than 0.1 % of the cost.
3. **Polish**: every remaining agent-interval, dearest first, removed alone and kept
   if every unit still meets the target (a refused removal is not tried again), until a
   scan keeps none or the budget of simulations is spent.
4. **Exchange** (several groups): one agent of a dearer group swapped for one of a
   cheaper group (the largest saving not yet refused), in batches over every second
   interval as in 2; then polish again; until no swap is kept (this leaves local minima
   that removals alone cannot, e.g. two generalists where three specialists would do).

Every evaluation uses the same seed (common random numbers), so the search compares
staffings on the same callers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ccsim._planning.evaluate import Evaluation, Evaluator

#: Service-level room (lower bound minus target) per agent removed at once when lowering.
STEP_MARGIN = 0.05

#: Lowering in batches stops after a round that saves less than this share of the cost
#: (a large floor near its optimum would spend a simulation per handful of agents; the
#: single removals of the polish, where they run, take it from there).
LOWER_MIN_GAIN = 0.001

#: A change of staffing: (interval, the key refused if it fails, ((group, agents added), ...)).
Move = tuple[int, tuple, tuple[tuple[int, int], ...]]


def covering_groups(serves: np.ndarray, costs: np.ndarray, missing: np.ndarray) -> list[int]:
    """Groups that together serve every ``missing`` call type, chosen greedily: the group
    serving the most of those not yet served per unit of cost (ties: first), then again
    for the rest (the greedy weighted set cover); ``serves`` is (call types, groups).

    One group when one serves them all (a generalist for two missing types, not two
    specialists); several when the missing types have no group in common, so a pass
    raises every missing type at once.
    """
    left = np.zeros(serves.shape[0], dtype=bool)
    left[np.asarray(missing, dtype=np.int64)] = True
    chosen: list[int] = []
    for _ in range(serves.shape[1]):  # each group at most once
        served = serves[left].sum(axis=0).astype(float)
        if not (served > 0).any():
            break
        value = np.where(served > 0, served / np.maximum(costs, 1e-12), -np.inf)
        group = int(np.argmax(value))
        chosen.append(group)
        left &= ~serves[:, group]
    return chosen


def step_for(points: float, agents: int) -> int:
    """Agents to move at once for ``points`` of service level (room above the target, or
    shortfall below it): one per :data:`STEP_MARGIN`, at most a quarter of ``agents``, at
    least one."""
    return int(max(1, min(np.floor(points / STEP_MARGIN + 1e-9), agents // 4)))


@dataclass
class Search:
    evaluator: Evaluator
    costs: np.ndarray  # per group
    serves: np.ndarray  # (call types, groups): the group has the skill
    max_simulations: int
    progress: Callable[[str], None] | None = None
    history: list[dict] = field(default_factory=list)
    began: float = field(default_factory=time.perf_counter)

    # ---------------------------------------------------------------- helpers
    def cost(self, staffing: np.ndarray) -> float:
        return float((staffing * self.costs).sum())

    def budget_left(self) -> bool:
        return self.evaluator.simulations < self.max_simulations

    def record(self, phase: str, evaluation: Evaluation) -> None:
        staffing = evaluation.staffing
        self.history.append({
            "iteration": len(self.history), "phase": phase,
            "agent_intervals": int(staffing.sum()), "cost": self.cost(staffing),
            "units_short": int(evaluation.short.sum()),
            "simulations": self.evaluator.simulations,
            "seconds": time.perf_counter() - self.began})
        if self.progress is not None:
            row = self.history[-1]
            self.progress(f"{phase}: {row['agent_intervals']} agent-intervals, cost "
                          f"{row['cost']:g}, {row['units_short']} short, "
                          f"{row['simulations']} simulations, {row['seconds']:.1f} s")

    def unit_intervals(self, unit: int) -> np.ndarray:
        return np.flatnonzero(self.evaluator.units == unit)

    def covering_groups(self, missing: np.ndarray) -> list[int]:
        return covering_groups(self.serves, self.costs, missing)

    # ---------------------------------------------------------------- phases
    def raise_until_met(self, staffing: np.ndarray) -> tuple[np.ndarray, Evaluation]:
        evaluation = self.evaluator(staffing)
        self.record("start", evaluation)
        while evaluation.short.any() and self.budget_left():
            staffing = staffing.copy()
            for unit in np.flatnonzero(evaluation.short):
                intervals = self.unit_intervals(unit)
                if self.evaluator.per == "interval":
                    interval = int(intervals[0])
                else:
                    interval = int(intervals[np.argmax(evaluation.missed_calls[intervals])])
                missing = np.flatnonzero(~evaluation.met_units[unit])
                for group in self.covering_groups(missing):
                    staffing[interval, group] += self.raise_step(
                        evaluation, staffing, interval, group, missing)
            evaluation = self.evaluator(staffing)
            self.record("raise", evaluation)
        return staffing, evaluation

    def raise_step(self, evaluation: Evaluation, staffing: np.ndarray, interval: int,
                   group: int, missing: np.ndarray) -> int:
        """Agents to add at once to (interval, group): one per :data:`STEP_MARGIN` by which
        the lowest service-level lower bound of the missing call types the group serves
        there falls short of its target, at most a quarter of its agents (at least 1)."""
        served = np.asarray(missing)[self.serves[missing, group]]
        margins = evaluation.margins[interval, served]
        margins = margins[np.isfinite(margins)]
        if not margins.size or margins.min() >= 0:
            return 1
        return step_for(-float(margins.min()), int(staffing[interval, group]))

    def _refused(self, evaluation: Evaluation, interval: int) -> bool:
        unit = evaluation.units[interval]
        if unit < 0:
            return False
        if evaluation.short[unit]:
            return True
        if self.evaluator.per == "interval":
            following = evaluation.units[interval + 1] if interval + 1 < len(
                evaluation.units) else -1
            return following >= 0 and bool(evaluation.short[following])
        return False

    def apply(self, staffing: np.ndarray, moves: list[Move], sign: int = 1) -> np.ndarray:
        """A copy of ``staffing`` with the moves made (``sign=-1``: undone)."""
        out = staffing.copy()
        for interval, _, changes in moves:
            for group, change in changes:
                out[interval, group] += sign * change
        return out

    def repair(self, staffing: np.ndarray, kept: list[Move], refused: set
               ) -> tuple[np.ndarray, Evaluation]:
        """Undo kept moves until no unit is short: for every short unit at once, the latest
        kept move at or before its last interval (one simulation per pass, however many
        units are short); an undone move's key is refused."""
        evaluation = self.evaluator(staffing)
        while evaluation.short.any() and kept:
            undo: set[Move] = set()
            for unit in np.flatnonzero(evaluation.short):
                last = int(self.unit_intervals(unit)[-1])
                before = [m for m in kept if m[0] <= last and m not in undo]
                if before:
                    undo.add(max(before))
            if not undo:  # short units before every kept move: undo the earliest
                undo.add(min(kept))
            for move in undo:
                kept.remove(move)
                refused.add(move[1])
            staffing = self.apply(staffing, sorted(undo), sign=-1)
            evaluation = self.evaluator(staffing)
        return staffing, evaluation

    def slots(self) -> list[list[np.ndarray]]:
        """The batches of a round, each a list of candidate interval sets (one move per
        set): per interval, every second judged interval (two batches); per day, one
        batch with each judged day's intervals (a move anywhere in the day)."""
        judged = np.flatnonzero(self.evaluator.units >= 0)
        if self.evaluator.per == "interval":
            return [[judged[k:k + 1] for k in range(parity, len(judged), 2)]
                    for parity in (0, 1)]
        return [[self.unit_intervals(unit) for unit in range(self.evaluator.n_units)]]

    def batches(self, staffing: np.ndarray, evaluation: Evaluation,
                propose: Callable[[np.ndarray, Evaluation, np.ndarray, set], Move | None],
                shrink: Callable[[Move], bool], phase: str, min_gain: float = 0.0
                ) -> tuple[np.ndarray, Evaluation, bool]:
        """Moves in batches (:meth:`slots`): many at once, one simulation per batch.

        ``propose(staffing, evaluation, intervals, refused)`` gives a move in one of the
        intervals (or None); a move is kept when its interval and the next (per day: its
        day) still meet the target; a refused move's key is refused unless
        ``shrink(move)`` makes it smaller for the next batch; kept moves are checked
        together and repaired (:meth:`repair`). Repeats until a round changes nothing,
        or keeps moves saving less than ``min_gain`` times the cost it started from;
        (staffing, evaluation, whether a move was kept).
        """
        refused: set = set()
        changed, any_kept = True, False
        while changed and self.budget_left():
            changed = kept_now = False
            before = self.cost(staffing)
            for candidates in self.slots():
                if not self.budget_left():
                    break
                batch = [move for intervals in candidates
                         if (move := propose(staffing, evaluation, intervals, refused))]
                if not batch:
                    continue
                tried = self.evaluator(self.apply(staffing, batch))
                kept = []
                for move in batch:
                    if not self._refused(tried, move[0]):
                        kept.append(move)
                    elif not shrink(move):
                        refused.add(move[1])
                    changed = True  # a move refused or shrunk: the next batch differs
                if not kept:
                    continue
                trial, checked = self.repair(self.apply(staffing, kept), kept, refused)
                if kept and not checked.short.any():
                    staffing, evaluation = trial, checked
                    changed = any_kept = kept_now = True
                    self.record(phase, evaluation)
            if kept_now and before - self.cost(staffing) < min_gain * before:
                break
        return staffing, evaluation, any_kept

    def room(self, evaluation: Evaluation, interval: int, group: int) -> float:
        """The lowest 95 % lower bound of the service levels of the call types ``group``
        serves in ``interval``, minus their targets (inf: none of them has a call)."""
        margins = evaluation.margins[interval, self.serves[:, group]]
        margins = margins[~np.isnan(margins)]
        return float(margins.min()) if margins.size else np.inf

    def to_lower(self, evaluation: Evaluation, staffing: np.ndarray, interval: int,
                 skip: set) -> int | None:
        """The group to remove agents from in ``interval``: the largest saving its room
        suggests (cost x :meth:`first_step`), then the dearest, then the most room
        (:meth:`room`); None if none is left."""
        options = [g for g in range(len(self.costs))
                   if staffing[interval, g] > 0 and (interval, g) not in skip]
        if not options:
            return None
        return max(options, key=lambda g: self.preference(evaluation, staffing, interval, g))

    def preference(self, evaluation: Evaluation, staffing: np.ndarray, interval: int,
                   group: int) -> tuple[float, float, float, int]:
        """How much removing agents of ``group`` in ``interval`` is worth trying first."""
        cost = float(self.costs[group])
        return (cost * self.first_step(evaluation, interval, group, staffing), cost,
                self.room(evaluation, interval, group), group)

    def first_step(self, evaluation: Evaluation, interval: int, group: int,
                   staffing: np.ndarray) -> int:
        """Agents to try removing at once from (interval, group): one per
        :data:`STEP_MARGIN` of :meth:`room`, at most a quarter of its agents (at least 1);
        all of them where none of its call types has a call there."""
        agents = int(staffing[interval, group])
        room = self.room(evaluation, interval, group)
        if room == np.inf:
            return max(agents, 1)
        return step_for(room, agents)

    def lower_in_batches(self, staffing: np.ndarray, evaluation: Evaluation
                         ) -> tuple[np.ndarray, Evaluation]:
        step: dict[tuple[int, int], int] = {}

        def propose(staffing: np.ndarray, evaluation: Evaluation, intervals: np.ndarray,
                    refused: set) -> Move | None:
            options = [(self.preference(evaluation, staffing, int(i), g), int(i), g)
                       for i in intervals
                       if (g := self.to_lower(evaluation, staffing, int(i), refused))
                       is not None]
            if not options:
                return None
            _, interval, g = max(options)
            key = (interval, g)
            if key not in step:
                step[key] = self.first_step(evaluation, interval, g, staffing)
            return (interval, key, ((g, -min(step[key], int(staffing[key]))),))

        def shrink(move: Move) -> bool:  # half as many next time
            agents = -move[2][0][1]
            if agents > 1:
                step[move[1]] = agents // 2
            return agents > 1

        staffing, evaluation, _ = self.batches(staffing, evaluation, propose, shrink, "lower",
                                               min_gain=LOWER_MIN_GAIN)
        return staffing, evaluation

    def polish(self, staffing: np.ndarray, evaluation: Evaluation
               ) -> tuple[np.ndarray, Evaluation, bool]:
        """Single removals, dearest first; False if the budget ran out before a scan
        found none to keep.

        A removal refused once is not tried again: removing agents elsewhere only makes
        the other intervals worse. A second scan runs only if the first kept some.
        """
        refused: set[tuple[int, int]] = set()
        for _ in range(2):
            judged = np.flatnonzero(self.evaluator.units >= 0)
            keys = [(int(i), g) for i in judged for g in range(len(self.costs))
                    if staffing[i, g] > 0 and (int(i), g) not in refused]
            keys.sort(key=lambda k: (-self.costs[k[1]], k[0], k[1]))
            improved = False
            for key in keys:
                if not self.budget_left():
                    return staffing, evaluation, False
                trial = staffing.copy()
                trial[key] -= 1
                tried = self.evaluator(trial)
                if tried.short.any():
                    refused.add(key)
                else:
                    staffing, evaluation, improved = trial, tried, True
                    self.record("polish", evaluation)
            if not improved:
                break
        return staffing, evaluation, True

    def exchange(self, staffing: np.ndarray, evaluation: Evaluation
                 ) -> tuple[np.ndarray, Evaluation, bool]:
        """Swaps of a dearer group's agent for a cheaper group's, in batches
        (:meth:`slots`; the largest saving not yet refused in each); (staffing,
        evaluation, whether one was kept)."""
        groups = range(len(self.costs))

        def propose(staffing: np.ndarray, evaluation: Evaluation, intervals: np.ndarray,
                    refused: set) -> Move | None:
            pairs = sorted((self.costs[add] - self.costs[drop], int(i), add, drop)
                           for i in intervals for add in groups for drop in groups
                           if self.costs[add] < self.costs[drop] and staffing[i, drop] > 0
                           and (int(i), add, drop) not in refused)
            if not pairs:
                return None
            _, interval, add, drop = pairs[0]
            return (interval, (interval, add, drop), ((add, 1), (drop, -1)))

        return self.batches(staffing, evaluation, propose, lambda move: False, "exchange")
