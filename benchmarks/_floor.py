"""A week of the 600-agent, 10-skill floor of docs/design.md, every group staffed by counts.

Four general zones (their own calls first, then the other zones' and the callbacks), a VIP
desk (overflow to premium after 30 s), a premium desk (to general 2 after 90 s), an English
desk (to general 1 after 60 s), difficult-case and data desks; 07:00-22:00 in half-hours
with an intraday curve and a weekly one (Friday and Saturday lighter), lognormal talk
times, 40 s wrap-up, exponential patience, VIP calls first. The starting staffing of each
group is the Erlang A requirement of its own calls (the callbacks' on the first zone), as a
planner without a multi-skill model would staff it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccsim.erlang import agents_for_service_level
from ccsim.simulation import AgentGroup, CallType, LogNormal, Scenario

OPEN, CLOSE = 7.0, 22.0  # hours of the day
WRAP_UP_SECONDS = 40.0
#: name: (peak calls/h, mean talk s, mean patience s)
DESKS = {
    "general_1": (1160, 380, 180), "general_2": (680, 380, 180),
    "general_3": (630, 380, 180), "general_4": (700, 380, 180),
    "vip": (170, 420, 300), "premium": (670, 400, 240),
    "english": (45, 420, 240), "difficult": (65, 600, 300),
    "data": (75, 500, 300), "callback": (100, 300, 900),
}
OVERFLOW = {"vip": {"premium": 30}, "english": {"general_1": 60},
            "premium": {"general_2": 90}}
GENERALS = ["general_1", "general_2", "general_3", "general_4"]
#: group: skills in the order its agents take them
SKILLS = {**{g: [g, *[o for o in GENERALS if o != g], "callback"] for g in GENERALS},
          "vip": ["vip"], "premium": ["premium"], "english": ["english"],
          "difficult": ["difficult", "general_1"], "data": ["data", "callback"]}
#: Monday .. Sunday
WEEK = (1.0, 0.95, 0.93, 0.95, 0.75, 0.45, 0.9)


def rates(days: int) -> pd.DataFrame:
    """Calls per hour per half-hour (rows: interval starts of the whole days) and type."""
    index = pd.date_range("2024-04-01", periods=48 * days, freq="30min")
    hours = index.hour + index.minute / 60.0 + 0.25
    curve = (0.25 + np.exp(-0.5 * ((hours - 10.5) / 1.8) ** 2)
             + 0.8 * np.exp(-0.5 * ((hours - 15.5) / 2.2) ** 2))
    curve = np.where((hours >= OPEN) & (hours < CLOSE), curve / curve.max(), 0.0)
    curve = curve * np.asarray(WEEK)[index.dayofweek % 7]
    return pd.DataFrame({name: (peak * curve).round(1) for name, (peak, _, _) in DESKS.items()},
                        index=index)


def erlang_start(frame: pd.DataFrame, target: float, within_seconds: float) -> pd.DataFrame:
    """Each group's Erlang A requirement for its own calls (callbacks on general_1)."""
    out = {}
    for group in SKILLS:
        need = 0
        for name in [group] + (["callback"] if group == "general_1" else []):
            _, talk, patience = DESKS[name]
            aht = talk + WRAP_UP_SECONDS
            need = need + np.asarray(agents_for_service_level(
                frame[name].to_numpy() * aht / 3600.0, aht, target, within_seconds,
                patience_seconds=patience))
        out[group] = need
    return pd.DataFrame(out, index=frame.index)


def floor_week(days: int = 7, target: float = 0.8, within_seconds: float = 20.0
               ) -> tuple[Scenario, pd.DataFrame]:
    """The floor over ``days`` days from Monday 2024-04-01 and its Erlang starting staffing."""
    frame = rates(days)
    start = erlang_start(frame, target, within_seconds)
    call_types = [
        CallType(name, arrivals_per_hour=frame[name].tolist(),
                 service=LogNormal(talk, 0.8 * talk), wrap_up_seconds=WRAP_UP_SECONDS,
                 patience_seconds=patience, priority=1 if name == "vip" else 0,
                 overflow=OVERFLOW.get(name))
        for name, (_, talk, patience) in DESKS.items()]
    groups = [AgentGroup(name, skills=skills, agents=start[name].astype(int).tolist())
              for name, skills in SKILLS.items()]
    scenario = Scenario(call_types, groups, horizon_hours=24.0 * days,
                        answer_within_seconds=within_seconds, interval_minutes=30,
                        start="2024-04-01")
    return scenario, start
