"""A staffing judged by simulation: per interval (or day) and call type, met or not.

Every evaluation simulates the same replications (the same seed: common random
numbers), so two staffings are compared on the same callers and the search does not
chase noise. Intervals are judged by the calls that arrive in them; the service level
is answered within T over offered (abandoned calls are misses), pooled over the
replications (a ratio of sums), with its 95 % delta-method half-width.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import stdtrit

from ccsim._planning.targets import Target

#: A tolerance for comparing ratios of whole counts with the target.
EPSILON = 1e-12


@dataclass(frozen=True)
class Evaluation:
    """One staffing's simulated measures and verdicts."""

    staffing: np.ndarray  # (intervals, groups)
    table: pd.DataFrame  # per interval and call type
    short: np.ndarray  # per judged unit (interval or day): some call type misses
    met_units: np.ndarray  # (units, call types): the target met
    units: np.ndarray  # per interval: its judged unit (-1: not judged, e.g. warm-up)
    missed_calls: np.ndarray  # per interval: mean calls not answered within T (all types)
    margins: np.ndarray  # (intervals, call types): SL lower 95 % bound - target; nan: no call
    result: Any  # the SimulationResult
    seconds: float


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ratio of sums over axis 0 (replications) and its standard error (delta method).

    Where the denominator is 0 the ratio is NaN (nothing to judge) and the error 0; with
    one replication the error is inf.
    """
    n = numerator.shape[0]
    x, y = numerator.sum(axis=0), denominator.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(y > 0, x / np.where(y > 0, y, 1), np.nan)
    if n < 2:
        return r, np.where(y > 0, np.inf, 0.0)
    filled = np.nan_to_num(r)
    spread = (numerator - filled * denominator).std(axis=0, ddof=1)
    mean_y = y / n
    with np.errstate(invalid="ignore", divide="ignore"):
        error = np.where(mean_y > 0, spread / (np.sqrt(n) * np.where(mean_y > 0, mean_y, 1)),
                         0.0)
    return r, error


class Evaluator:
    """Simulates staffings of one scenario with one seed, and judges them."""

    def __init__(self, scenario: Any, targets: dict[str, Target], *, per: str,
                 replications: int, seed: Any, executor: Any,
                 confidence: float | None) -> None:
        self.scenario = scenario
        self.targets = targets
        self.per = per
        self.replications = replications
        self.seed = seed
        self.executor = executor
        n = replications
        # one-sided Student t quantile: a unit is met when its estimate is at least this
        # many standard errors beyond the target (0: the sample-average rule)
        self.margin = 0.0 if confidence is None else (
            float(stdtrit(n - 1, confidence)) if n > 1 else np.inf)
        self.half_width = float(stdtrit(n - 1, 0.975)) if n > 1 else np.inf
        self.intervals = scenario.n_intervals
        self.cache: dict[bytes, Evaluation] = {}
        warm = int(round(scenario.warmup_hours * 60 / scenario.interval_minutes))
        starts = np.arange(self.intervals) * scenario.interval_minutes / 60.0
        if per == "interval":
            units = np.arange(self.intervals)
        else:  # per day: the calendar day of the start, or 24-hour blocks from hour 0
            if scenario.start is not None:
                stamps = pd.Timestamp(scenario.start) + pd.to_timedelta(starts, unit="h")
                days = (stamps.normalize() - stamps[0].normalize()).days
                units = np.asarray(days, dtype=np.int64)
            else:
                units = (starts // 24).astype(np.int64)
        units = np.where(np.arange(self.intervals) >= warm, units, -1)
        self.units = units
        self.n_units = int(units.max()) + 1 if (units >= 0).any() else 0
        self.simulations = 0

    def scenario_with(self, staffing: np.ndarray) -> Any:
        groups = [dataclasses.replace(group, agents=[int(v) for v in staffing[:, g]],
                                      shifts=())
                  for g, group in enumerate(self.scenario.groups)]
        return dataclasses.replace(self.scenario, groups=groups)

    def __call__(self, staffing: np.ndarray) -> Evaluation:
        key = staffing.tobytes()
        if key in self.cache:
            return self.cache[key]
        from ccsim.simulation import simulate

        began = time.perf_counter()
        result = simulate(self.scenario_with(staffing), seed=self.seed,
                          replications=self.replications, executor=self.executor,
                          keep_calls=False)
        self.simulations += 1
        evaluation = self._judge(staffing, result, time.perf_counter() - began)
        self.cache[key] = evaluation
        return evaluation

    def worked(self, scenario: Any, staffing: np.ndarray) -> Evaluation:
        """Judge another scenario of the same call types and time axis (e.g. a plan as
        worked, staffed by shifts) on the same callers; ``staffing`` is what it stands
        for (e.g. agents on the phones per interval), kept in the evaluation."""
        from ccsim.simulation import simulate

        began = time.perf_counter()
        result = simulate(scenario, seed=self.seed, replications=self.replications,
                          executor=self.executor, keep_calls=False)
        self.simulations += 1
        return self._judge(staffing, result, time.perf_counter() - began)

    def _judge(self, staffing: np.ndarray, result: Any, seconds: float) -> Evaluation:
        frame = result.intervals
        names = [t.name for t in self.scenario.call_types]
        r, i, k = self.replications, self.intervals, len(names)
        order = frame.sort_values(["replication", "interval", "call_type"], kind="stable")

        def cube(column: str) -> np.ndarray:
            return order[column].to_numpy(dtype=float).reshape(r, i, k)

        offered, within, abandoned = cube("offered"), cube("answered_within"), cube("abandoned")
        level, level_se = _ratio(within, offered)
        abandon, abandon_se = _ratio(abandoned, offered)
        # per judged unit (interval or day) and call type
        met_unit = np.ones((self.n_units, k), dtype=bool)
        for u in range(self.n_units):
            rows = self.units == u
            level_u, level_u_se = _ratio(within[:, rows].sum(axis=1), offered[:, rows].sum(axis=1))
            abandon_u, abandon_u_se = _ratio(abandoned[:, rows].sum(axis=1),
                                             offered[:, rows].sum(axis=1))
            for j, name in enumerate(names):
                target = self.targets[name]
                if np.isnan(level_u[j]):
                    continue  # no call: nothing to miss
                ok = level_u[j] - self.margin * level_u_se[j] >= target.service_level - EPSILON
                if target.max_abandon_rate is not None:
                    ok &= abandon_u[j] + self.margin * abandon_u_se[j] <= (
                        target.max_abandon_rate + EPSILON)
                met_unit[u, j] = bool(ok)
        level_ci, abandon_ci = self.half_width * level_se, self.half_width * abandon_se
        short = ~met_unit.all(axis=1)
        rows = []
        for interval in range(i):
            unit = self.units[interval]
            for j, name in enumerate(names):
                target = self.targets[name]
                met = bool(met_unit[unit, j]) if unit >= 0 else None
                rows.append({
                    "interval": interval, "call_type": name,
                    "offered": offered[:, interval, j].mean(),
                    "service_level": level[interval, j], "service_level_ci": level_ci[interval, j],
                    "p_abandon": abandon[interval, j], "p_abandon_ci": abandon_ci[interval, j],
                    "target": target.service_level, "met": met})
        table = pd.DataFrame(rows)
        missed = (offered - within).mean(axis=0).sum(axis=1)
        targets = np.array([self.targets[name].service_level for name in names])
        margins = level - level_ci - targets[None, :]
        return Evaluation(staffing=staffing.copy(), table=table, short=short,
                          met_units=met_unit, units=self.units, missed_calls=missed,
                          margins=margins, result=result, seconds=seconds)
