"""The simulation against exact queueing formulas and a published simulation.

``ccsim.simulation`` never imports ``ccsim.erlang`` (STYLE rule 11), so each
comparison here sets two independent implementations against each other.

How the tolerances are derived (never widened to pass): each scenario runs ``R``
independent replications, each starting empty with a warm-up discarded (long
enough that the start-up bias is far below the noise: relaxation times of these
queues are minutes, the warm-up an hour). ``summary()`` gives every measure
with the half-width ``h`` of its 95 % confidence interval (Student t with
``R - 1`` degrees of freedom; ratios by the delta method), i.e. a standard
error ``se = h / t(0.975, R - 1)``. A comparison passes when

    |simulated - exact| <= t(1 - ALPHA / 2, R - 1) * se,   ALPHA = 0.001,

a 99.9 % interval: were the simulation right, a given comparison would fail by
chance once in a thousand seeds, and the 42 comparisons below (counting the
ContactCenters ones, built the same way) together about once in 24 seeds. The
seeds are fixed, so the outcome is reproducible; a systematic error of a few
standard errors fails.
"""

from __future__ import annotations

import pytest
from scipy import stats

from ccsim import erlang
from ccsim.simulation import AgentGroup, CallType, Scenario, simulate

ALPHA = 0.001
R = 30  # replications of each steady-state scenario


def assert_close(row, measure: str, exact: float, replications: int = R) -> None:
    se = row[f"{measure}_ci"] / stats.t.ppf(0.975, replications - 1)
    tolerance = stats.t.ppf(1 - ALPHA / 2, replications - 1) * se
    simulated = row[measure]
    assert abs(simulated - exact) <= tolerance, (
        f"{measure}: simulated {simulated:.6g} vs exact {exact:.6g}, tolerance {tolerance:.3g} "
        f"(99.9 %), {(simulated - exact) / se:+.2f} standard errors")


def one_queue(traffic, agents, hours, *, aht=180.0, patience=None, within=20.0, seed=1):
    """M/M/n (or M/M/n+M) for ``hours`` after a one-hour warm-up, R replications."""
    scenario = Scenario(
        [CallType("calls", arrivals_per_hour=traffic * 3600 / aht, aht_seconds=aht,
                  patience_seconds=patience)],
        [AgentGroup("agents", skills=["calls"], agents=agents)],
        horizon_hours=hours + 1, warmup_hours=1, answer_within_seconds=within)
    return simulate(scenario, seed=seed, replications=R, keep_calls=False).summary().iloc[0]


@pytest.mark.parametrize("traffic, agents, hours", [
    (10, 14, 40),  # light: P(wait) 0.17
    (10, 11, 40),  # heavy: 91 % occupancy, P(wait) 0.68
    (200, 215, 10),  # at scale: 215 agents, 4,000 calls an hour
])
def test_mmn_matches_erlang_c(traffic, agents, hours):
    row = one_queue(traffic, agents, hours, seed=traffic + agents)
    assert_close(row, "p_wait", erlang.erlang_c(traffic, agents))
    assert_close(row, "service_level", erlang.service_level(traffic, agents, 180, 20))
    assert_close(row, "asa_seconds", erlang.average_speed_of_answer(traffic, agents, 180))
    assert_close(row, "occupancy", erlang.occupancy(traffic, agents))
    assert row["abandoned"] == 0 and row["p_abandon"] == 0


@pytest.mark.parametrize("traffic, agents", [
    (30, 35),  # the benchmark queue
    (40, 35),  # overloaded: traffic above agents, stable only because callers hang up
])
def test_mmn_with_abandonment_matches_erlang_a(traffic, agents):
    row = one_queue(traffic, agents, 20, patience=120, seed=traffic)
    exact = erlang.erlang_a(traffic, agents, 180, 120, 20)
    for measure in ("p_abandon", "p_wait", "service_level", "service_level_answered",
                    "service_level_excluding_short_abandons", "asa_seconds", "occupancy"):
        assert_close(row, measure, getattr(exact, measure))


def test_two_types_on_disjoint_groups_are_two_erlang_c_systems():
    scenario = Scenario(
        [CallType("retail", arrivals_per_hour=200, aht_seconds=180),  # 10 Erlangs
         CallType("business", arrivals_per_hour=330, aht_seconds=240)],  # 22 Erlangs
        [AgentGroup("retail_team", skills=["retail"], agents=14),
         AgentGroup("business_team", skills=["business"], agents=26)],
        horizon_hours=21, warmup_hours=1, answer_within_seconds=20)
    table = simulate(scenario, seed=11, replications=R, keep_calls=False).summary()
    for name, traffic, agents, aht in (("retail", 10, 14, 180), ("business", 22, 26, 240)):
        row = table.loc[name]
        assert_close(row, "p_wait", erlang.erlang_c(traffic, agents))
        assert_close(row, "service_level", erlang.service_level(traffic, agents, aht, 20))
        assert_close(row, "asa_seconds", erlang.average_speed_of_answer(traffic, agents, aht))
        assert_close(row, "occupancy", erlang.occupancy(traffic, agents))


def test_one_pool_with_every_skill_is_one_erlang_c_system():
    """8 + 12 Erlangs on one pool of 24 = Erlang C with 20 Erlangs on 24 agents.

    With equal exponential talk times the number of busy agents and of waiting
    calls evolves as in M/M/24 whatever the order calls are taken in, so each
    type's P(wait) (Poisson arrivals see time averages), the mean wait over all
    calls (Little's law) and the occupancy are Erlang C's. The service level
    is not: the agents take the first skill's calls first, not the oldest call.
    """
    scenario = Scenario(
        [CallType("a", arrivals_per_hour=160, aht_seconds=180),
         CallType("b", arrivals_per_hour=240, aht_seconds=180)],
        [AgentGroup("pool", skills=["a", "b"], agents=24)],
        horizon_hours=31, warmup_hours=1, answer_within_seconds=20)
    result = simulate(scenario, seed=12, replications=R, keep_calls=False)
    by_type, total = result.summary(), result.summary(by="total").loc["all"]
    for name in ("a", "b"):
        assert_close(by_type.loc[name], "p_wait", erlang.erlang_c(20, 24))
    assert_close(total, "p_wait", erlang.erlang_c(20, 24))
    assert_close(total, "asa_seconds", erlang.average_speed_of_answer(20, 24, 180))
    assert_close(total, "occupancy", erlang.occupancy(20, 24))
    # the preferred skill waits less than the other: priority, not FIFO
    assert by_type.loc["a", "asa_seconds"] < total["asa_seconds"] < by_type.loc["b", "asa_seconds"]


def test_contactcenters_mmc_example_is_reproduced():
    """ContactCenters' M/M/c example: 8-hour days starting empty, 1,000 days.

    Source: umontreal-simul/contactcenters, doc/examples/MMC.java and MMC.res:
    lambda = 4.2 calls/min, mu = 0.5/min (AHT 2 min), 12 agents, acceptable wait
    20 s; the queue left at closing is served. Its report: service level
    (served within 20 s / served, a ratio of averages) 0.902, 95 % CI
    (0.900, 0.904); speed of answer 0.099 min, CI (0.097, 0.102); occupancy
    ratio (busy / staffed agent time during the 8 hours) 0.695, CI (0.694, 0.697).

    Both numbers are estimates: their difference has standard error
    sqrt(se_ours**2 + se_theirs**2), theirs from the published CI; the printed
    three decimals add up to 0.0005 of rounding, allowed on top.
    """
    scenario = Scenario([CallType("calls", arrivals_per_hour=4.2 * 60, aht_seconds=120)],
                        [AgentGroup("agents", skills=["calls"], agents=12)], horizon_hours=8,
                        answer_within_seconds=20)
    days = 1000
    row = simulate(scenario, seed=2024, replications=days, keep_calls=False).summary().iloc[0]
    z = stats.norm.ppf(1 - ALPHA / 2)
    for measure, scale, published, low, high in (
            ("service_level_answered", 1.0, 0.902, 0.900, 0.904),
            ("asa_seconds", 60.0, 0.099, 0.097, 0.102),
            ("occupancy", 1.0, 0.695, 0.694, 0.697)):
        ours = row[measure] / scale
        se_ours = row[f"{measure}_ci"] / scale / stats.t.ppf(0.975, days - 1)
        se_theirs = (high - low) / 2 / stats.t.ppf(0.975, days - 1)
        tolerance = z * (se_ours**2 + se_theirs**2) ** 0.5 + 0.0005
        assert abs(ours - published) <= tolerance, (measure, ours, published, tolerance)
    # every call is answered in the end (no abandonment in M/M/c): both SL definitions agree
    assert row["service_level"] == row["service_level_answered"]
