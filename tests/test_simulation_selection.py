"""Agent selection (issue 13): "group-order" sends a call to the first group with an idle agent.

Part 1 checks the rule on hand-made draws. Part 2 sets the simulation against the
exact continuous-time Markov chain of a small two-skill center: specialists (skill
A only) listed before generalists (A, then B), Poisson A and B calls, exponential
talk times (different per type) and patience. With "group-order" the counts
``(x specialists busy, a generalists on A, b generalists on B, A queued, B queued)``
are a Markov chain: an arriving A call goes to an idle specialist, else an idle
generalist, else waits; a freed specialist takes the oldest A call; a freed
generalist the oldest A call, else the oldest B call. Tolerances as in
tests/test_simulation_redial.py (99.9 % intervals, six comparisons).
"""

from __future__ import annotations

import numpy as np
import pytest
from test_simulation_redial import assert_close, stationary

from ccsim import CCSimInputError
from ccsim.simulation import AgentGroup, CallType, Scenario, engine, simulate
from ccsim.simulation._plan import Calls, compile_plan

INF = np.inf


def two_groups(selection, overflow=None):
    return Scenario(
        [CallType("a", 1, 100, overflow=overflow), CallType("b", 1, 100)],
        [AgentGroup("specialists", ["a"], 1), AgentGroup("generalists", ["a", "b"], 1)]
        if overflow is None else
        [AgentGroup("specialists", ["a"], 1), AgentGroup("desk", ["b"], 1),
         AgentGroup("generalists", ["b"], 1)],
        horizon_hours=1, agent_selection=selection)


def run(scenario, arrival, call_type, service):
    n = len(arrival)
    calls = Calls(arrival=np.asarray(arrival, float),
                  call_type=np.asarray(call_type, dtype=np.int32),
                  service=np.asarray(service, float), wrap_up=np.zeros(n),
                  patience=np.full(n, INF))
    return engine.run(compile_plan(scenario), calls)


def test_group_order_prefers_the_first_group_longest_idle_does_not():
    # agent 0 is the specialist, agent 1 the generalist; a B call keeps the generalist busy
    # 0-10; at 20 the specialist has been idle longer (since 0) than the generalist (since 10)
    out = run(two_groups("longest-idle"), arrival=[0, 20, 30], call_type=[1, 0, 0],
              service=[10, 100, 5])
    assert out.agent.tolist() == [1, 0, 1]
    # now the generalist has been idle longer: longest-idle picks it, group-order does not
    out = run(two_groups("longest-idle"), arrival=[0, 1, 20], call_type=[0, 1, 0],
              service=[10, 5, 5])
    assert out.agent.tolist() == [0, 1, 1]
    out = run(two_groups("group-order"), arrival=[0, 1, 20], call_type=[0, 1, 0],
              service=[10, 5, 5])
    assert out.agent.tolist() == [0, 1, 0]


def test_group_order_when_a_call_overflows():
    # an A call waits (its specialist talks 0-100) and overflows after 30 s to the desk and
    # the generalists, both idle; the generalists have been idle longer (the desk took a B
    # call 0-5), but group-order takes the desk, listed first
    scenario = two_groups("group-order", overflow={"desk": 30, "generalists": 30})
    out = run(scenario, arrival=[0, 0, 1], call_type=[0, 1, 0], service=[100, 5, 5])
    assert out.agent.tolist() == [0, 1, 1] and out.wait.tolist() == [0, 0, 30]
    scenario = two_groups("longest-idle", overflow={"desk": 30, "generalists": 30})
    assert run(scenario, arrival=[0, 0, 1], call_type=[0, 1, 0],
               service=[100, 5, 5]).agent.tolist() == [0, 1, 2]


def test_agent_selection_is_checked():
    with pytest.raises(CCSimInputError, match=r"Scenario\.agent_selection must be "
                                              r"'longest-idle' or 'group-order'; got 'random'"):
        two_groups("random")
    assert two_groups("group-order").agent_selection == "group-order"
    assert Scenario([CallType("a", 1, 100)], [AgentGroup("g", ["a"], 1)],
                    horizon_hours=1).agent_selection == "longest-idle"


# ---------------------------------------------------------------- 2. the exact chain
def group_order_chain(lam_a, lam_b, mu_a, mu_b, theta, specialists, generalists, q_max):
    """(x, a, b, qa, qb): see the module docstring; rates per second."""
    def moves(state):
        x, a, b, qa, qb = state
        out = []
        if x < specialists:
            out.append(((x + 1, a, b, qa, qb), lam_a))
        elif a + b < generalists:
            out.append(((x, a + 1, b, qa, qb), lam_a))
        elif qa < q_max:
            out.append(((x, a, b, qa + 1, qb), lam_a))
        if a + b < generalists:
            out.append(((x, a, b + 1, qa, qb), lam_b))
        elif qb < q_max:
            out.append(((x, a, b, qa, qb + 1), lam_b))
        if x:  # a specialist is freed: the oldest A call, or idle
            out.append(((x, a, b, qa - 1, qb) if qa else (x - 1, a, b, qa, qb), x * mu_a))

        def freed(a, b):  # a generalist is freed (a, b: the others): A first, then B
            if qa:
                return (x, a + 1, b, qa - 1, qb)
            if qb:
                return (x, a, b + 1, qa, qb - 1)
            return (x, a, b, qa, qb)

        if a:
            out.append((freed(a - 1, b), a * mu_a))
        if b:
            out.append((freed(a, b - 1), b * mu_b))
        if qa:
            out.append(((x, a, b, qa - 1, qb), qa * theta))
        if qb:
            out.append(((x, a, b, qa, qb - 1), qb * theta))
        return out

    states, pi = stationary((0, 0, 0, 0, 0), moves)
    x, a, b, qa, qb = states.T
    busy_generalists = a + b == generalists
    return {
        "p_wait_a": pi[(x == specialists) & busy_generalists].sum(),
        "p_wait_b": pi[busy_generalists].sum(),
        "p_abandon_a": theta * (pi * qa).sum() / lam_a,
        "p_abandon_b": theta * (pi * qb).sum() / lam_b,
        "occupancy_specialists": (pi * x).sum() / specialists,
        "occupancy_generalists": (pi * (a + b)).sum() / generalists,
        "boundary": pi[(qa == q_max) | (qb == q_max)].sum(),
    }


def test_group_order_matches_the_exact_chain():
    """2 specialists (A), 2 generalists (A, B): A 60/h, AHT 120 s; B 40/h, AHT 180 s;
    patience 90 s."""
    lam_a, lam_b, aht_a, aht_b, patience = 60.0, 40.0, 120.0, 180.0, 90.0
    args = (lam_a / 3600, lam_b / 3600, 1 / aht_a, 1 / aht_b, 1 / patience, 2, 2)
    exact = group_order_chain(*args, q_max=40)
    assert exact["boundary"] < 1e-12  # truncation negligible, and widening changes nothing
    wider = group_order_chain(*args, q_max=60)
    for key in ("p_wait_a", "p_wait_b", "occupancy_specialists"):
        assert exact[key] == pytest.approx(wider[key], rel=1e-9)

    replications, hours, warmup = 30, 120, 1

    def scenario(selection):
        return Scenario(
            [CallType("A", lam_a, aht_a, patience), CallType("B", lam_b, aht_b, patience)],
            [AgentGroup("specialists", ["A"], 2), AgentGroup("generalists", ["A", "B"], 2)],
            horizon_hours=hours + warmup, warmup_hours=warmup, agent_selection=selection)

    result = simulate(scenario("group-order"), seed=13, replications=replications)
    table, groups = result.summary(), result.summary(by="group")
    for name in ("A", "B"):
        for measure in ("p_wait", "p_abandon"):
            assert_close(f"{measure} {name}", table.loc[name, measure],
                         table.loc[name, f"{measure}_ci"],
                         exact[f"{measure}_{name.lower()}"], replications)
    for group in ("specialists", "generalists"):
        assert_close(f"occupancy {group}", groups.loc[group, "occupancy"],
                     groups.loc[group, "occupancy_ci"], exact[f"occupancy_{group}"],
                     replications)
    # longest-idle shares the A calls with idle generalists: its specialists are less busy
    other = simulate(scenario("longest-idle"), seed=13, replications=replications)
    spread = other.summary(by="group").loc["specialists"]
    assert spread["occupancy"] + spread["occupancy_ci"] < exact["occupancy_specialists"]
