"""The dispatcher's rules, checked on hand-made calls with known times (no randomness).

Each test builds a small scenario, replaces the random draws by chosen arrival,
talk and patience times, and checks who answers which call when.
"""

from __future__ import annotations

import numpy as np

from ccsim.simulation import AgentGroup, CallType, Scenario, Shift, engine
from ccsim.simulation._plan import Calls, compile_plan

INF = np.inf


def run(scenario, arrival, call_type, service, patience=None, wrap_up=None):
    plan = compile_plan(scenario)
    n = len(arrival)
    calls = Calls(arrival=np.asarray(arrival, dtype=float),
                  call_type=np.asarray(call_type, dtype=np.int32),
                  service=np.asarray(service, dtype=float),
                  wrap_up=np.zeros(n) if wrap_up is None else np.asarray(wrap_up, dtype=float),
                  patience=np.full(n, INF) if patience is None else np.asarray(patience, float))
    return plan, engine.run(plan, calls)


def one_type(*groups, horizon_hours=1, **call_type):
    return Scenario([CallType("a", 1, 100, **call_type)], list(groups), horizon_hours=horizon_hours)


def answer_times(out):
    return out.arrival + out.wait


def test_a_call_goes_to_the_longest_idle_agent():
    _, out = run(one_type(AgentGroup("g", ["a"], 3)),
                 arrival=[1, 2, 4, 5], call_type=[0] * 4, service=[10, 1, 10, 10])
    # agent 0 busy 1-11, agent 1 busy 2-3 then idle, agent 2 idle since 0 (longest)
    assert out.agent.tolist() == [0, 1, 2, 1]
    assert out.wait.tolist() == [0, 0, 0, 0]


def test_longest_idle_across_groups():
    scenario = one_type(AgentGroup("x", ["a"], 1), AgentGroup("y", ["a"], 1))
    _, out = run(scenario, arrival=[1, 2, 30, 40], call_type=[0] * 4, service=[5, 20, 1, 1])
    # x's agent 0 is free at 6, y's agent 1 at 22: at 30 agent 0 has been idle longer
    assert out.agent.tolist() == [0, 1, 0, 1]


def test_a_freed_agent_takes_its_preferred_skill_first_then_the_oldest_call():
    scenario = Scenario([CallType("a", 1, 100), CallType("b", 1, 100)],
                        [AgentGroup("g", skills=["b", "a"], agents=1)], horizon_hours=1)
    _, out = run(scenario, arrival=[1, 2, 3, 4, 5], call_type=[0, 0, 1, 0, 1],
                 service=[10, 1, 1, 1, 1])
    # at 11 the waiting calls are a@2, b@3, a@4, b@5: b first (oldest b), then b, then a, a
    assert answer_times(out).tolist() == [1, 13, 11, 14, 12]


def test_call_priority_beats_the_skill_order():
    scenario = Scenario([CallType("a", 1, 100, priority=1), CallType("b", 1, 100)],
                        [AgentGroup("g", skills=["b", "a"], agents=1)], horizon_hours=1)
    _, out = run(scenario, arrival=[1, 2, 3], call_type=[1, 1, 0], service=[10, 1, 1])
    assert answer_times(out).tolist() == [1, 12, 11]


def test_overflow_after_the_delay_to_an_idle_agent_and_not_before():
    scenario = Scenario(
        [CallType("a", 1, 100, overflow={"y": 30}), CallType("b", 1, 100)],
        [AgentGroup("x", ["a"], 1), AgentGroup("y", ["b"], 1)], horizon_hours=1)
    _, out = run(scenario, arrival=[0, 1, 2], call_type=[0, 0, 1], service=[100, 5, 10])
    # y answers b at 2, is free at 12 (a@1 has waited 11 s < 30: not yet), and is idle
    # when a@1's overflow delay ends at 31
    assert out.agent.tolist() == [0, 1, 1]
    assert out.wait.tolist() == [0, 30, 0]


def test_overflow_to_an_agent_freed_after_the_delay():
    scenario = Scenario(
        [CallType("a", 1, 100, overflow={"y": 30}), CallType("b", 1, 100)],
        [AgentGroup("x", ["a"], 1), AgentGroup("y", ["b"], 1)], horizon_hours=1)
    _, out = run(scenario, arrival=[0, 1, 2, 3], call_type=[0, 0, 1, 0], service=[100, 5, 48, 5])
    # y is busy 2-50; then a@1 (waited 49 s) and, at 55, a@3 (52 s): FIFO within the type
    assert answer_times(out).tolist() == [0, 50, 2, 55]
    assert out.agent.tolist() == [0, 1, 1, 1]


def test_own_calls_before_overflow_calls():
    scenario = Scenario(
        [CallType("a", 1, 100, overflow={"y": 10}), CallType("b", 1, 100)],
        [AgentGroup("x", ["a"], 1), AgentGroup("y", ["b"], 1)], horizon_hours=1)
    _, out = run(scenario, arrival=[0, 1, 2, 30], call_type=[0, 1, 0, 1], service=[100, 40, 5, 5])
    # at 41 y has a@2 (waited 39 s) and b@30 waiting: its own skill b first
    assert answer_times(out).tolist() == [0, 1, 46, 41]


def test_patience_expires_only_for_calls_still_waiting():
    _, out = run(one_type(AgentGroup("g", ["a"], 1)), arrival=[0, 1, 2], call_type=[0] * 3,
                 service=[10, 10, 10], patience=[5, 20, 5])
    assert out.status.tolist() == [engine.ANSWERED, engine.ANSWERED, engine.ABANDONED]
    assert out.wait.tolist() == [0, 9, 5]


def test_wrap_up_keeps_the_agent_busy():
    _, out = run(one_type(AgentGroup("g", ["a"], 1)), arrival=[0, 1], call_type=[0, 0],
                 service=[10, 10], wrap_up=[30, 0])
    assert out.wait.tolist() == [0, 39]


def test_nobody_to_answer_leaves_calls_unanswered_at_the_end():
    scenario = one_type(AgentGroup("g", ["a"], shifts=[Shift(0, 0.5)]))
    _, out = run(scenario, arrival=[1000, 1001, 2000], call_type=[0] * 3, service=[1500, 5, 5])
    # the agent finishes the call in hand (until 2500) after the shift's end at 1800; the
    # run ends at the scenario's end (3600) with two calls still waiting
    assert out.status.tolist() == [engine.ANSWERED, engine.WAITING, engine.WAITING]
    assert out.end_seconds == 3600
    assert out.wait.tolist() == [0, 2599, 1600]
    assert (out.session_start.tolist(), out.session_due.tolist(), out.session_end.tolist()) == (
        [0.0], [1800.0], [2500.0])


def test_counts_groups_answer_the_calls_waiting_at_closing():
    _, out = run(one_type(AgentGroup("g", ["a"], 1)), arrival=[3000, 3500], call_type=[0, 0],
                 service=[1000, 100])
    assert out.status.tolist() == [engine.ANSWERED] * 2
    assert answer_times(out).tolist() == [3000, 4000]
    assert (out.session_due.tolist(), out.session_end.tolist()) == ([3600.0], [4100.0])


def test_a_busy_agent_takes_the_full_break_after_the_call():
    scenario = one_type(AgentGroup("g", ["a"], shifts=[Shift(0, 2, breaks=[(1, 1.25)])]),
                        horizon_hours=2)
    _, out = run(scenario, arrival=[3000, 4000], call_type=[0, 0], service=[1000, 10])
    # break due at 3600; the call ends at 4000; the 15-minute break lasts until 4900
    assert answer_times(out).tolist() == [3000, 4900]
    assert out.session_start.tolist() == [0, 4900]
    assert out.session_due.tolist() == [3600, 7200]
    assert out.session_end.tolist() == [4000, 7200]


def test_an_idle_agent_goes_on_break_on_time():
    scenario = one_type(AgentGroup("g", ["a"], shifts=[Shift(0, 2, breaks=[(1, 1.25)])]),
                        horizon_hours=2)
    _, out = run(scenario, arrival=[3700], call_type=[0], service=[10])
    assert answer_times(out).tolist() == [4500]
    assert out.session_end.tolist() == [3600, 7200]


def test_staffing_falls_idle_agents_leave_first_busy_ones_after_their_call():
    scenario = one_type(AgentGroup("g", ["a"], [3, 1, 2]), horizon_hours=1.5)
    _, out = run(scenario, arrival=[1000, 1100, 2000], call_type=[0] * 3,
                 service=[1000, 1500, 10])
    # at 1800 two of three must go: agent 2 is idle and leaves; agents 0 (on a call since
    # 1000) and 1 (since 1100) are busy: the one longest on its call, 0, leaves at 2000, so
    # the call arriving then waits for agent 1 (free at 2600); at 3600 agent 0 logs in again
    sessions = sorted(zip(out.session_agent.tolist(), out.session_start.tolist(),
                          out.session_due.tolist(), out.session_end.tolist(), strict=True))
    assert sessions == [(0, 0, 1800, 2000), (0, 3600, 5400, 5400), (1, 0, 5400, 5400),
                        (2, 0, 1800, 1800)]
    assert out.agent.tolist() == [0, 1, 1]
    assert answer_times(out).tolist() == [1000, 1100, 2600]


def test_staffing_rises_agents_due_to_leave_stay():
    scenario = one_type(AgentGroup("g", ["a"], [2, 1, 2]), horizon_hours=1.5)
    _, out = run(scenario, arrival=[1000, 1001], call_type=[0, 0], service=[3000, 3000])
    # both are busy at 1800; agent 0 is due to leave, then staffing rises at 3600 (before its
    # call ends at 4000): it stays, and nobody else logs in
    assert sorted(zip(out.session_agent.tolist(), out.session_end.tolist(), strict=True)) == [
        (0, 5400.0), (1, 5400.0)]
    assert out.session_due.tolist() == [5400.0, 5400.0]
