"""Tests of ccsim.planning.plan: staffing by simulation -> shifts -> simulated as worked.

The day rises and falls (as in tests/test_planning.py); the shifts have breaks, which
move agents off the phones, so the first plan can miss where the staffing did not; the
loop raises the requirement there until the worked plan meets the target.
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pytest

from ccsim._validation import CCSimInputError
from ccsim.erlang import agents_for_service_level
from ccsim.planning import PlanResult, Target, plan
from ccsim.roster import Agent
from ccsim.shifts import shift_catalogue
from ccsim.simulation import AgentGroup, CallType, Scenario, simulate

RATES = np.array([60, 120, 180, 240, 240, 160, 80, 40, 40, 120, 200, 200, 80, 40])
TEMPLATES = shift_catalogue(("08:00", "15:00"), [7, 4], every_minutes=30)


def day(start="2027-02-01 08:00", groups=None):
    sipp = agents_for_service_level(RATES * 180 / 3600, 180, 0.8, 20, patience_seconds=300)
    return Scenario([CallType("retail", arrivals_per_hour=list(RATES), aht_seconds=180,
                              patience_seconds=300)],
                    groups or [AgentGroup("team", ["retail"], [int(a) for a in sipp])],
                    horizon_hours=7, interval_minutes=30, start=start)


@pytest.fixture(scope="module")
def result():
    return plan(day(), TEMPLATES, Target(0.8, 20), agents=[Agent(f"a{i:02d}") for i in range(30)],
                replications=30, seed=0)


def test_the_worked_plan_and_roster_meet_the_target(result):
    assert isinstance(result, PlanResult) and result.status == "met"
    assert result.report["met"].all() and result.daily["met"].all()
    rounds = result.iterations[result.iterations["round"] != "roster"]
    assert rounds["units_short"].iloc[-1] == 0
    # a round that missed raised the requirement of the next
    for (_, before), (_, after) in zip(rounds.iloc[:-1].iterrows(), rounds.iloc[1:].iterrows(),
                                       strict=True):
        assert before["units_short"] > 0
        assert after["required_agent_intervals"] > before["required_agent_intervals"]
    # the requirement starts from the staffing by simulation and only rises
    assert (result.report["required"].to_numpy()
            >= result.staffing.agents["team"].to_numpy()).all()
    assert result.iterations["round"].iloc[-1] == "roster"
    assert (result.roster.table != "").to_numpy().sum() == result.shift_plan.counts[
        "agents"].sum()
    assert repr(result).startswith("PlanResult(status='met'")


def test_the_report_is_the_simulation_of_the_roster_as_worked(result):
    # the same callers again: the report's service levels are the simulation's
    rows = result.simulation.summary(by="interval")
    assert np.allclose(rows["service_level"].to_numpy(),
                       result.report["service_level"].to_numpy())
    # and a fresh seed agrees within its confidence interval (95 %, 14 intervals:
    # Bonferroni z = 2.91 = 1.49 x 1.96 on the sum of the two half-widths)
    from ccsim.planning import scenario_from_plan

    worked = scenario_from_plan(result.roster, day().call_types, start=day().start,
                                horizon_hours=7, interval_minutes=30)
    fresh = simulate(worked, seed=4242, replications=60).summary(by="interval")
    gap = np.abs(fresh["service_level"].to_numpy() - rows["service_level"].to_numpy())
    assert (gap <= 1.49 * (fresh["service_level_ci"].to_numpy()
                           + rows["service_level_ci"].to_numpy())).all()


def test_to_excel_writes_every_sheet(result, tmp_path):
    path = tmp_path / "plan.xlsx"
    result.to_excel(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["report", "daily", "iterations", "shifts", "roster"]
    assert book["roster"].max_row == 31 and book["report"].max_row == len(result.report) + 1
    assert [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"]  # no temporary left


def test_bad_input_is_refused():
    with pytest.raises(CCSimInputError, match="scenario needs a start"):
        plan(day(start=None), TEMPLATES, Target())
    with pytest.raises(CCSimInputError, match="max_rounds must be"):
        plan(day(), TEMPLATES, Target(), max_rounds=0)
    with pytest.raises(CCSimInputError, match="schedule_options must be a dict"):
        plan(day(), TEMPLATES, Target(), schedule_options=[1])


def test_two_groups_get_their_own_shifts_and_meet_the_target_as_worked():
    vip_rates = (RATES // 3).tolist()
    types = [CallType("retail", arrivals_per_hour=list(RATES), aht_seconds=180,
                      patience_seconds=300),
             CallType("vip", arrivals_per_hour=vip_rates, aht_seconds=240, patience_seconds=200)]
    start = [int(a) for a in agents_for_service_level(RATES * 180 / 3600, 180, 0.8, 20,
                                                      patience_seconds=300)]
    scenario = Scenario(types, [AgentGroup("retail", ["retail"], start),
                                AgentGroup("vip", ["vip"], 3)],
                        horizon_hours=7, interval_minutes=30, start="2027-02-01 08:00")
    agents = ([Agent(f"R{i:02d}", skills=["retail"]) for i in range(24)]
              + [Agent(f"V{i:02d}", skills=["vip"]) for i in range(16)])
    result = plan(scenario, TEMPLATES, {"retail": Target(0.8, 20), "vip": Target(0.9, 20)},
                  agents=agents, costs={"retail": 1, "vip": 1.2}, replications=20, seed=0)
    assert result.status == "met" and result.report["met"].all()
    assert list(result.shift_plan.groups.index) == ["retail", "vip"]
    assert list(result.staffing.agents.columns) == ["retail", "vip"]
    assert result.roster.objective == 0  # the roster works the plan of both groups
    # each agent works only the shifts of their own group, as rostered
    skill = {s.name: s.skill for s in result.roster.shifts}
    for name, row in result.roster.table.iterrows():
        assert {skill[v] for v in row if v} <= {name[0] == "R" and "retail" or "vip"}
    # the report's on-the-phones is the two groups' plans summed
    coverage = result.shift_plan.coverage.groupby(level="interval_start").sum(
        numeric_only=True)
    first = result.report.drop_duplicates("interval")
    assert np.allclose(first["on_phones"].to_numpy(), coverage["on_phones"].to_numpy())
