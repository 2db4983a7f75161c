"""The search of :func:`ccsim.planning.staff_by_simulation`: raise, lower, polish.

1. **Raise** (time order does not matter within a pass: every short unit is raised at
   once): each interval (or, per day, the day's interval with the most calls not
   answered within T) whose call types miss gets one agent of the group that serves
   the most missing call types per unit of cost.
2. **Lower** in batches: one agent (of the dearest group there) removed from every
   second judged interval at once; a removal is kept when its interval and the next
   (per day: its day) still meet the target, then the whole staffing is checked again
   and the latest kept removal before the first short unit is undone until none is.
   A rejected removal is not tried again (removals only make later intervals worse).
3. **Polish**: every remaining agent-interval, dearest first, removed alone and kept
   if every unit still meets the target (a refused removal is not tried again), until a
   scan keeps none or the budget of simulations is spent.
4. **Exchange** (several groups): in each judged interval, one agent of a dearer group
   swapped for one of a cheaper group, kept if every unit still meets the target; then
   polish again; until no swap is kept (this leaves local minima that removals alone
   cannot, e.g. two generalists where three specialists would do).

Every evaluation uses the same seed (common random numbers), so the search compares
staffings on the same callers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ccsim._planning.evaluate import Evaluation, Evaluator


def best_group(serves: np.ndarray, costs: np.ndarray, missing: np.ndarray) -> int:
    """The group serving the most ``missing`` call types per unit of cost (ties: first);
    ``serves`` is (call types, groups)."""
    served = serves[missing].sum(axis=0).astype(float)
    value = np.where(served > 0, served / np.maximum(costs, 1e-12), -np.inf)
    return int(np.argmax(value))


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

    def best_group(self, missing: np.ndarray) -> int:
        return best_group(self.serves, self.costs, missing)

    def dearest(self, staffing: np.ndarray, interval: int, skip: set) -> int | None:
        """The dearest group with an agent in ``interval`` not yet refused there."""
        order = sorted(range(len(self.costs)), key=lambda g: (-self.costs[g], -g))
        for g in order:
            if staffing[interval, g] > 0 and (interval, g) not in skip:
                return g
        return None

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
                staffing[interval, self.best_group(missing)] += 1
            evaluation = self.evaluator(staffing)
            self.record("raise", evaluation)
        return staffing, evaluation

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

    def repair(self, staffing: np.ndarray, kept: list[tuple[int, int]], refused: set
               ) -> tuple[np.ndarray, Evaluation]:
        """Undo kept removals (latest before the first short unit) until none is short."""
        evaluation = self.evaluator(staffing)
        while evaluation.short.any() and kept:
            first_short = int(np.flatnonzero(evaluation.short)[0])
            first_interval = int(self.unit_intervals(first_short)[-1])
            before = [k for k in kept if k[0] <= first_interval] or kept
            undo = max(before)
            kept.remove(undo)
            refused.add(undo)
            staffing = staffing.copy()
            staffing[undo] += 1
            evaluation = self.evaluator(staffing)
        return staffing, evaluation

    def lower_in_batches(self, staffing: np.ndarray, evaluation: Evaluation
                         ) -> tuple[np.ndarray, Evaluation]:
        refused: set[tuple[int, int]] = set()
        judged = np.flatnonzero(self.evaluator.units >= 0)
        changed = True
        while changed and self.budget_left():
            changed = False
            for parity in (0, 1):
                if not self.budget_left():
                    break
                batch = []
                for interval in judged[judged % 2 == parity]:
                    g = self.dearest(staffing, int(interval), refused)
                    if g is not None:
                        batch.append((int(interval), g))
                if not batch:
                    continue
                trial = staffing.copy()
                for key in batch:
                    trial[key] -= 1
                tried = self.evaluator(trial)
                kept = [key for key in batch if not self._refused(tried, key[0])]
                refused.update(key for key in batch if key not in kept)
                if not kept:
                    continue
                trial = staffing.copy()
                for key in kept:
                    trial[key] -= 1
                trial, checked = self.repair(trial, kept, refused)
                if kept and not checked.short.any():
                    staffing, evaluation = trial, checked
                    changed = True
                    self.record("lower", evaluation)
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
        """Swaps of a dearer group's agent for a cheaper group's, interval by interval;
        (staffing, evaluation, whether one was kept)."""
        kept = False
        groups = range(len(self.costs))
        for i in np.flatnonzero(self.evaluator.units >= 0):
            pairs = sorted((self.costs[add] - self.costs[drop], add, drop)
                            for add in groups for drop in groups
                            if self.costs[add] < self.costs[drop] and staffing[i, drop] > 0)
            for _, add, drop in pairs:
                if not self.budget_left():
                    return staffing, evaluation, kept
                trial = staffing.copy()
                trial[i, add] += 1
                trial[i, drop] -= 1
                tried = self.evaluator(trial)
                if not tried.short.any():
                    staffing, evaluation, kept = trial, tried, True
                    self.record("exchange", evaluation)
                    break
        return staffing, evaluation, kept
