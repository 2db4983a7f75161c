"""The roster's tables, computed from the assignment alone (not from solver values).

``penalties`` and the objective are recomputed here from who works what, so the
reported objective is the roster's true cost whatever the solver's internals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccsim._roster.inputs import Instance

PENALTY_COLUMNS = ["kind", "agent", "day", "shift", "amount", "cost"]
LATE_END = 20 * 60  # a late shift ends after 20:00 [min from midnight]
MEASURES = {"weekend_spread": "weekends", "night_spread": "nights", "late_spread": "lates"}
NIGHT_START, NIGHT_END = -60, 360  # 23:00 to 06:00 [min from midnight]
NIGHT_MINUTES = 180  # a night shift has at least 3 h in it (EU Directive 2003/88/EC, art. 2)


def table(instance: Instance, assignment: np.ndarray) -> pd.DataFrame:
    names = np.array([shift.name for shift in instance.shifts] + [""], dtype=object)
    frame = pd.DataFrame(names[assignment], columns=pd.RangeIndex(instance.days, name="day"),
                         index=pd.Index([a.name for a in instance.agents], name="agent"))
    return frame


def coverage(instance: Instance, assignment: np.ndarray) -> pd.DataFrame:
    cover = instance.cover
    assigned = [int(sum(assignment[a, row.day] == row.shift_index for a in eligible))
                for row, eligible in zip(cover.itertuples(index=False), instance.eligible,
                                         strict=True)]
    out = cover.drop(columns=["under_weight", "over_weight", "shift_index"]).copy()
    out["assigned"] = np.array(assigned, dtype=np.int64)
    out["under"] = np.maximum(out["required"] - out["assigned"], 0)
    out["over"] = np.maximum(out["assigned"] - out["required"], 0)
    return out.reset_index(drop=True)


def penalties(instance: Instance, assignment: np.ndarray) -> pd.DataFrame:
    rows = []
    has_skill = instance.has_skill
    covered = coverage(instance, assignment)
    for row, weights in zip(covered.itertuples(index=False),
                            instance.cover.itertuples(index=False), strict=True):
        for kind, amount, weight in (("under", row.under, weights.under_weight),
                                     ("over", row.over, weights.over_weight)):
            if amount > 0 and weight > 0:
                record = {"kind": kind, "agent": "", "day": row.day, "shift": row.shift,
                          "amount": int(amount), "cost": float(amount * weight)}
                if has_skill:
                    record["skill"] = row.skill
                rows.append(record)
    names = [shift.name for shift in instance.shifts]
    for a, day, t, wanted, weight in instance.requests:
        given = assignment[a, day] >= 0 if t is None else assignment[a, day] == t
        if bool(given) != wanted and weight > 0:
            rows.append({"kind": "request_on" if wanted else "request_off", "agent":
                         instance.agents[a].name, "day": day,
                         "shift": "" if t is None else names[t], "amount": 1,
                         "cost": float(weight)})
    rows += _weighted_penalties(instance, assignment)
    columns = PENALTY_COLUMNS[:4] + (["skill"] if has_skill else []) + PENALTY_COLUMNS[4:]
    frame = pd.DataFrame(rows, columns=columns)
    if has_skill:
        frame["skill"] = frame["skill"].astype(object).where(frame["skill"].notna(), None)
    return frame.astype({"day": "Int64", "amount": "int64", "cost": "float64"})


def _weighted_penalties(instance: Instance, assignment: np.ndarray) -> list[dict]:
    """Rows for :class:`RosterWeights`' rules: split weekends, fairness spreads."""
    from ccsim._roster.model import contract_groups, split_weekend_days

    weights, rows = instance.weights, []
    if weights.split_weekend > 0:
        for a, agent in enumerate(instance.agents):
            history = instance.history[a] if instance.history else ()
            row = [int(h >= 0) for h in history] + list((assignment[a] >= 0).astype(int))
            for saturday in split_weekend_days(instance, a):
                day = saturday + len(history)  # in the row with the history in front
                if row[day] != row[day + 1]:
                    rows.append({"kind": "split_weekend", "agent": agent.name, "day": saturday,
                                 "shift": "", "amount": 1,
                                 "cost": float(weights.split_weekend)})
    counts = hours(instance, assignment)
    for kind, measure in MEASURES.items():
        weight = getattr(weights, kind)
        if weight == 0:
            continue
        for contract, members in contract_groups(instance).items():
            values = counts[measure].iloc[members]
            spread = int(values.max() - values.min())
            if len(members) > 1 and spread > 0:
                rows.append({"kind": kind, "agent": "", "day": pd.NA,
                             "shift": f"contract {contract!r}" if contract else "",
                             "amount": spread, "cost": float(weight * spread)})
    return rows


def shift_kinds(shifts) -> list[str]:
    """Per shift: ``"night"`` (3 h in 23:00-06:00), ``"late"`` (ends after 20:00) or ``""``."""
    out = []
    for shift in shifts:
        end = shift.start_minute + shift.minutes
        out.append("night" if is_night(shift.start_minute, shift.minutes) else
                   "late" if end > LATE_END else "")
    return out


def is_night(start_minute: int, minutes: float) -> bool:
    """Whether a shift has at least 3 h between 23:00 and 06:00 (on any night it spans)."""
    inside = 0.0
    for midnight in (0, 1440, 2880):
        low, high = midnight + NIGHT_START, midnight + NIGHT_END
        inside += max(0.0, min(start_minute + minutes, high) - max(start_minute, low))
    return inside >= NIGHT_MINUTES


def hours(instance: Instance, assignment: np.ndarray) -> pd.DataFrame:
    minutes = np.array([shift.minutes for shift in instance.shifts] + [0.0])
    kinds = np.array(shift_kinds(instance.shifts) + [""], dtype=object)
    working = assignment >= 0
    weekends = np.zeros(len(instance.agents), dtype=np.int64)
    for weekend in instance.weekends:
        weekends += working[:, list(weekend)].any(axis=1)
    return pd.DataFrame(
        {"shifts": working.sum(axis=1).astype(np.int64),
         "minutes": minutes[assignment].sum(axis=1),
         "weekends": weekends,
         "nights": (kinds[assignment] == "night").sum(axis=1).astype(np.int64),
         "lates": (kinds[assignment] == "late").sum(axis=1).astype(np.int64),
         "days_off": [len(leave) for leave in instance.leave],
         "contract": [a.contract for a in instance.agents]},
        index=pd.Index([a.name for a in instance.agents], name="agent"))
