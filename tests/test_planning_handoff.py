"""Tests of ccsim.planning.scenario_from_plan: a plan or a roster simulated as worked.

The simulation's scheduled agents per interval (on duty, off break) must be the plan's
agents on the phones per interval, for a plan with breaks and for the roster made
from it; a plan of several groups gives one group per call type.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ccsim._validation import CCSimInputError
from ccsim.planning import scenario_from_plan
from ccsim.roster import Agent, roster_from_plan
from ccsim.shifts import BreakRule, ShiftTemplate, schedule_shifts
from ccsim.simulation import CallType, simulate

START = pd.Timestamp("2027-02-01")
LUNCH = BreakRule(30, earliest_after_minutes=150, latest_after_minutes=240)


def requirement(days=2):
    index = pd.date_range(START, periods=days * 48, freq="30min")
    hour = index.hour + index.minute / 60
    values = np.where((hour >= 8) & (hour < 18), np.round(2 + 2 * np.sin((hour - 8) / 3)), 0)
    return pd.Series(values.astype(int), index=index)


def plan(days=2):
    return schedule_shifts(requirement(days), [ShiftTemplate("E", "08:00", 6, breaks=[LUNCH]),
                                               ShiftTemplate("L", "12:00", 6, breaks=[LUNCH])])


CALLS = [CallType("retail", arrivals_per_hour=10, aht_seconds=180)]


def scheduled(scenario):
    result = simulate(scenario, seed=0, replications=1)
    groups = result.groups
    return groups.groupby("interval")["scheduled"].sum().to_numpy()


def test_a_plan_is_simulated_with_its_agents_and_breaks():
    made = plan()
    scenario = scenario_from_plan(made, CALLS)
    assert scenario.start == START and scenario.horizon_hours == 48
    on_phones = made.coverage["on_phones"].to_numpy()
    assert np.allclose(scheduled(scenario), on_phones)
    assert [g.name for g in scenario.groups] == ["agents"]
    assert scenario.groups[0].skills == ("retail",)


def test_a_roster_is_simulated_with_each_agent_and_their_breaks():
    made = plan()
    agents = [Agent(f"a{i}") for i in range(12)]
    roster = roster_from_plan(made, agents)
    assert roster.objective == 0  # the roster covers the plan exactly
    scenario = scenario_from_plan(roster, CALLS)
    assert np.allclose(scheduled(scenario), made.coverage["on_phones"].to_numpy())
    assert sum(s.agents for s in scenario.groups[0].shifts) == int(
        (roster.table != "").to_numpy().sum())


def test_a_plan_of_groups_gives_a_group_per_call_type():
    need = pd.concat({"retail": requirement(1), "vip": (requirement(1) + 1) // 2}, axis=1)
    made = schedule_shifts(need, [ShiftTemplate("E", "08:00", 6, breaks=[LUNCH]),
                                  ShiftTemplate("L", "12:00", 6, breaks=[LUNCH])],
                           )
    types = [CallType("retail", arrivals_per_hour=10, aht_seconds=180),
             CallType("vip", arrivals_per_hour=5, aht_seconds=240)]
    scenario = scenario_from_plan(made, types)
    assert {g.name: g.skills for g in scenario.groups} == {"retail": ("retail",),
                                                           "vip": ("vip",)}
    result = simulate(scenario, seed=0, replications=1).groups
    for name in ("retail", "vip"):
        got = result[result["group"] == name].groupby("interval")["scheduled"].sum()
        want = made.coverage.xs(name, level="group")["on_phones"].to_numpy()
        assert np.allclose(got.to_numpy(), want)
    with pytest.raises(CCSimInputError, match=r"skills lacks the groups \['vip'\]"):
        scenario_from_plan(made, types, skills={"retail": ["retail", "vip"]})


def test_bad_input_is_refused():
    with pytest.raises(CCSimInputError, match="source must be a ccsim.shifts.ShiftPlan"):
        scenario_from_plan("plan", CALLS)
    with pytest.raises(CCSimInputError, match="call_types must be a list"):
        scenario_from_plan(plan(1), CALLS[0])
