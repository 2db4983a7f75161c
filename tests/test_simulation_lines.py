"""IVR and telephone lines (issue 12): the rules on hand-made draws, and an exact Markov chain.

Part 1 replaces the random draws by chosen times and checks who holds a line,
who gets a busy signal and when callers leave the IVR. Part 2 sets the
simulation against the exact continuous-time Markov chain of a center whose
lines are shared by callers in the IVR, in the queue and talking: states
``(i in the IVR, n at the agents or queued)`` with ``i + n <= lines``,
exponential IVR, talk and patience times. Tolerances as in
tests/test_simulation_redial.py: 99.9 % intervals from the simulation's own
confidence intervals (five comparisons here). Part 3 pins whole runs with lines
(sha256): the engine serving dial-ins and IVR exits in batches must give the
runs of one event per step, bit for bit.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_simulation_redial import assert_close, fingerprint, run, stationary

from ccsim import CCSimInputError
from ccsim.simulation import (
    IVR,
    AgentGroup,
    Blend,
    CallType,
    Deterministic,
    Outbound,
    QueueAbove,
    Redial,
    Scenario,
    Shift,
    Standby,
    Surge,
    engine,
    simulate,
)
from ccsim.simulation._plan import Calls, compile_plan

INF = np.inf


# ---------------------------------------------------------------- 1. rules, hand-made draws
def one_type(agents=1, lines=None, **call_type):
    return Scenario([CallType("a", 1, 100, 60, **call_type)], [AgentGroup("g", ["a"], agents)],
                    horizon_hours=1, lines=lines)


def test_the_ivr_comes_first_and_waits_count_from_its_end():
    # IVR 30 s: the call of 0 reaches the agent at 30; the call of 1 reaches the queue at 41
    # and, with patience 5, abandons at 46 (the agent talks 30-100)
    out = run(one_type(ivr=IVR(30)), arrival=[0, 1], service=[70, 10], patience=[INF, 5],
              ivr=[30, 40], self_service=[0.9, 0.9])
    assert out.status.tolist() == [engine.ANSWERED, engine.ABANDONED]
    assert out.entry.tolist() == [30, 41] and out.wait.tolist() == [0, 5]
    assert out.arrival.tolist() == [0, 1]


def test_self_served_callers_leave_after_the_ivr_and_free_their_line():
    # one line: the call of 0 is in the IVR 0-10 and is done there (choice 0.1 < 0.3); the
    # call of 5 gets a busy signal; the call of 12 gets the line
    out = run(one_type(lines=1, ivr=IVR(10, self_service=0.3)), arrival=[0, 5, 12],
              service=[5, 5, 5], ivr=[10, 10, 10], self_service=[0.1, 0.1, 0.5])
    assert out.status.tolist() == [engine.SELF_SERVED, engine.BLOCKED, engine.ANSWERED]
    assert out.agent.tolist() == [-1, -1, 0] and out.wait.tolist() == [0, 0, 0]
    assert out.entry.tolist() == [10, 5, 22]


def test_queued_and_talking_callers_hold_lines_wrap_up_does_not():
    # two lines, one agent: 0 talks 0-100 then wraps up 100-150; 1 queues (second line);
    # 2 is blocked; 1 abandons at 11, freeing a line for 12; at 120 the talk of 0 has ended,
    # so 120 gets a line although the agent is still in wrap-up (121 does not)
    out = run(one_type(lines=2), arrival=[0, 1, 2, 12, 120, 121], service=[100, 5, 5, 5, 5, 5],
              wrap_up=[50, 0, 0, 0, 0, 0], patience=[INF, 10, INF, 500, 500, 500])
    assert out.status.tolist() == [engine.ANSWERED, engine.ABANDONED, engine.BLOCKED,
                                   engine.ANSWERED, engine.ANSWERED, engine.BLOCKED]
    assert (out.arrival + out.wait).tolist() == [0, 11, 2, 150, 155, 121]


def test_a_type_without_an_ivr_goes_straight_to_the_queue():
    scenario = Scenario([CallType("a", 1, 100, ivr=IVR(Deterministic(30))), CallType("b", 1, 100)],
                        [AgentGroup("g", ["a", "b"], 2)], horizon_hours=1)
    plan = compile_plan(scenario)
    calls = Calls(arrival=np.array([0.0, 1.0]), call_type=np.array([0, 1], dtype=np.int32),
                  service=np.array([5.0, 5.0]), wrap_up=np.zeros(2), patience=np.full(2, INF),
                  ivr=np.array([30.0, 0.0]), self_service=np.array([0.5, 1.0]))
    out = engine.run(plan, calls)
    assert out.entry.tolist() == [30, 1] and out.status.tolist() == [engine.ANSWERED] * 2


def test_bad_lines_and_ivr_are_refused():
    with pytest.raises(CCSimInputError, match=r"Scenario\.lines must be a whole number >= 1; "
                                              r"got 0\.0"):
        one_type(lines=0)
    with pytest.raises(CCSimInputError, match=r"IVR\.self_service must be a finite number in "
                                              r"\[0, 1\]; got 30\.0 \(a fraction"):
        IVR(60, self_service=30)


def test_the_calls_table_shows_the_ivr_and_every_outcome():
    scenario = Scenario([CallType("a", 600, 200, 60, ivr=IVR(30, 0.2))],
                        [AgentGroup("g", ["a"], 8)], horizon_hours=1, lines=14)
    result = simulate(scenario, seed=2, replications=2)
    calls, row = result.calls, result.summary().loc["a"]
    counts = calls["outcome"].value_counts()
    assert (counts[["answered", "abandoned", "blocked", "self_served"]] > 0).all()
    blocked = calls["outcome"] == "blocked"
    assert (calls.loc[blocked, "ivr_seconds"] == 0).all()
    assert (calls.loc[~blocked, "ivr_seconds"] > 0).all()
    assert (calls.loc[calls["outcome"] == "self_served", "wait_seconds"] == 0).all()
    assert row["blocked"] == blocked.sum() / 2 and row["self_served"] == counts["self_served"] / 2
    assert row["p_blocked"] == pytest.approx(blocked.mean())
    table = result.intervals
    assert (table["attempts"] == table["blocked"] + table["self_served"] + table["offered"]).all()


# ---------------------------------------------------------------- 2. the exact chain
def ivr_lines_chain(lam, gamma, share, mu, theta, agents, lines):
    """(i in the IVR, n at the agents or queued), i + n <= lines; rates per second."""
    def moves(state):
        i, n = state
        out = []
        if i + n < lines:
            out.append(((i + 1, n), lam))
        if i:
            out.append(((i - 1, n), i * gamma * share))
            out.append(((i - 1, n + 1), i * gamma * (1 - share)))
        if n:
            out.append(((i, n - 1), min(n, agents) * mu + max(n - agents, 0) * theta))
        return out

    states, pi = stationary((0, 0), moves)
    i, n = states[:, 0], states[:, 1]
    to_agents = i * gamma * (1 - share) * pi  # flow into the queue from each state
    offered = to_agents.sum()
    return {
        "p_blocked": pi[i + n == lines].sum(),
        "p_wait": to_agents[n >= agents].sum() / offered,  # the entering call sees n others
        "p_abandon": theta * (pi * np.maximum(n - agents, 0)).sum() / offered,
        "self_served_per_minute": 60 * gamma * share * (pi * i).sum(),
        "occupancy": (pi * np.minimum(n, agents)).sum() / agents,
        "states": len(states),
    }


def test_ivr_and_lines_match_the_exact_chain():
    """150 calls/h, 13 lines, IVR 45 s (25 % done there), 8 agents, AHT 210 s, patience 150 s."""
    rate, ivr, share, aht, patience, agents, lines = 150.0, 45.0, 0.25, 210.0, 150.0, 8, 13
    exact = ivr_lines_chain(rate / 3600, 1 / ivr, share, 1 / aht, 1 / patience, agents, lines)
    assert exact["states"] == (lines + 1) * (lines + 2) // 2  # finite: no truncation
    replications, hours, warmup = 30, 120, 1
    scenario = Scenario([CallType("calls", rate, aht, patience, ivr=IVR(ivr, share))],
                        [AgentGroup("agents", ["calls"], agents)],
                        horizon_hours=hours + warmup, warmup_hours=warmup, lines=lines)
    row = simulate(scenario, seed=21, replications=replications).summary().loc["calls"]
    minutes = hours * 60.0
    assert_close("self-served per minute", row["self_served"] / minutes,
                 row["self_served_ci"] / minutes, exact["self_served_per_minute"], replications)
    for measure in ("p_blocked", "p_wait", "p_abandon", "occupancy"):
        assert_close(measure, row[measure], row[f"{measure}_ci"], exact[measure], replications)
    assert row["redials"] == 0 and row["attempts"] == row["fresh"]


# ---------------------------------------------------------------- 3. whole runs, pinned
def pinned_with_lines():
    base = dict(arrivals_per_hour=600, aht_seconds=180, patience_seconds=120)
    for name, redial, ivr, lines in (("all_on", True, 0.0, 50),
                                     ("all_on_self_served", True, 0.3, 50),
                                     ("lines", False, None, 50), ("lines_redials", True, None, 40),
                                     ("ivr_lines", False, 0.2, 38)):
        yield name, Scenario(
            [CallType("calls", **base, redial=Redial(0.5, 600) if redial else None,
                      ivr=None if ivr is None else IVR(60, self_service=ivr))],
            [AgentGroup("agents", ["calls"], 35)], horizon_hours=30, lines=lines), 2
    yield "floor", Scenario(
        [CallType("a", 300, 200, 90, redial=Redial(0.6, Deterministic(300), keep_patience=True),
                  ivr=IVR(Deterministic(45), self_service=0.1), overflow={"h": 30},
                  surges=[Surge(1, 2, 2.0)]),
         CallType("b", 100, 240, 200, ivr=IVR(30, 0.0), priority=1)],
        [AgentGroup("g", ["a"], [12, 14, 16, 14, 12, 10], standby=Standby(4, 5, QueueAbove(5))),
         AgentGroup("h", ["b"], shifts=[Shift(0, 3, breaks=[(1, 1.25)], agents=6)],
                    blend=Blend(1, outbound=Outbound(0.3, 200, 30)))],
        horizon_hours=3, lines=30, call_selection="longest-waiting"), 3


# Computed at commit 75c14da (one SimPy event per dial-in and per IVR exit), seed 17,
# executor "serial", by test_simulation_redial.fingerprint().
WITH_LINES = {
    "all_on": ("425ce5e8d86f27da65526d794502f4ac", 36403, 68299.23410080871),
    "all_on_self_served": ("6dbff5d76f887e1e0503249906057c51", 35784, 459.64852614949405),
    "lines": ("af74ddf97b7f7bb4fc750384d62a57ff", 35780, 92684.20585439267),
    "lines_redials": ("2fcaaa39d979537ff2ac3ba41d36da9e", 36341, 74993.9337407651),
    "ivr_lines": ("a31fe66cd346c791cda9f35ce8590a6b", 35780, 215.3916904344369),
    "floor": ("5f8819e3e822d5f5e80a066717cecbdb", 5811, 94187.6712012857),
}


@pytest.mark.parametrize("name, scenario, replications", list(pinned_with_lines()),
                         ids=[name for name, _, _ in pinned_with_lines()])
def test_runs_with_lines_are_bit_identical_to_one_event_per_step(name, scenario, replications):
    result = simulate(scenario, seed=17, replications=replications, executor="serial")
    assert fingerprint(result) == WITH_LINES[name]
