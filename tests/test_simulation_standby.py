"""Surges and standby agents (issue 12, item 3).

Part 1: surges multiply the arrivals in their window and keep the other calls
(common random numbers). Part 2: standby teams, checked against the call and
session records: called only when the trigger holds (rebuilt here from the
calls), on the phones only after the call-in delay, released by the rules;
every call counted once and the agents' work conserved; no standby or a
trigger that never holds changes nothing. Part 3: the simulation against
:func:`ccsim.staffing.standby_for_surge` (an independent implementation: Erlang A
via :func:`ccsim.staffing.requirements`).

Tolerances come from the simulation's confidence intervals, never widened: a
half-width ``h`` from ``summary()`` gives ``se = h / t(0.975, R - 1)`` and a
comparison passes when the difference is within ``t(1 - ALPHA / 2, R - 1) * se``
(``ALPHA = 0.001``); Poisson counts use the normal quantile ``z(1 - ALPHA / 2)``.
Seeds are fixed, so the outcomes are reproducible.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ccsim import CCSimInputError, erlang, staffing
from ccsim.simulation import (
    AgentGroup,
    CallType,
    QueueAbove,
    Scenario,
    ServiceLevelBelow,
    Shift,
    Standby,
    Surge,
    simulate,
)
from ccsim.simulation.surges import CHECK_SECONDS

ALPHA = 0.001
Z = stats.norm.ppf(1 - ALPHA / 2)


def within_ci(simulated, half_width, exact, replications):
    se = half_width / stats.t.ppf(0.975, replications - 1)
    return abs(simulated - exact) <= stats.t.ppf(1 - ALPHA / 2, replications - 1) * se


def retail(surges=(), patience=300.0, rate=600.0):
    return CallType("retail", rate, 180, patience, surges=list(surges))


# ---------------------------------------------------------------- 1. surges
def test_a_surge_doubles_the_arrivals_in_its_window_and_keeps_the_other_calls():
    group = [AgentGroup("team", ["retail"], 40)]
    plain = simulate(Scenario([retail()], group, horizon_hours=6), seed=4, replications=10)
    surged = simulate(Scenario([retail([Surge(2, 3.5, 2.0)])], group, horizon_hours=6), seed=4,
                      replications=10)
    calls = surged.calls
    inside = calls["arrival_seconds"].between(2 * 3600, 3.5 * 3600, inclusive="left")
    expected = 10 * 600 * 1.5 * 2.0  # replications x calls/h x h x factor
    assert abs(inside.sum() - expected) <= Z * np.sqrt(expected)
    # the run without the surge keeps its callers: its arrivals are among the surged ones
    for r in range(10):
        a = plain.calls.loc[plain.calls["replication"] == r, "arrival_seconds"].to_numpy()
        b = calls.loc[calls["replication"] == r, "arrival_seconds"].to_numpy()
        assert np.isin(a, b).all()
        outside = (b < 2 * 3600) | (b >= 3.5 * 3600)
        assert np.array_equal(np.sort(b[outside]), np.sort(a[(a < 2 * 3600) | (a >= 3.5 * 3600)]))
    assert surged.summary().loc["retail", "offered"] > plain.summary().loc["retail", "offered"]


def test_a_surge_below_one_thins_the_window():
    group = [AgentGroup("team", ["retail"], 40)]
    plain = simulate(Scenario([retail()], group, horizon_hours=4), seed=8, replications=5)
    thin = simulate(Scenario([retail([Surge(1, 3, 0.25)])], group, horizon_hours=4), seed=8,
                    replications=5)
    window = [c["arrival_seconds"].between(3600, 3 * 3600, inclusive="left")
              for c in (plain.calls, thin.calls)]
    n, kept = int(window[0].sum()), int(window[1].sum())
    assert abs(kept - 0.25 * n) <= Z * np.sqrt(n * 0.25 * 0.75)  # binomial thinning
    assert np.isin(thin.calls["arrival_seconds"], plain.calls["arrival_seconds"]).all()
    assert (~window[1]).sum() == (~window[0]).sum()


@pytest.mark.parametrize("surges, message", [
    ([Surge(1, 3, 2.0), Surge(2, 4, 2.0)], r"surges must not overlap"),
    (Surge(1, 3, 2.0), r"surges must be a list of Surge"),
    ([(1, 3, 2.0)], r"surges must be a list of Surge"),
])
def test_bad_surges_are_refused(surges, message):
    with pytest.raises(CCSimInputError, match=message):
        CallType("retail", 600, 180, surges=surges)


def test_surge_values_and_windows_are_checked():
    with pytest.raises(CCSimInputError, match=r"Surge.end_hours"):
        Surge(3, 2, 2.0)
    with pytest.raises(CCSimInputError, match=r"Surge.factor"):
        Surge(1, 2, -1.0)
    with pytest.raises(CCSimInputError, match=r"starts at or after the horizon"):
        Scenario([retail([Surge(5, 6, 2.0)])], [AgentGroup("team", ["retail"], 3)],
                 horizon_hours=4)


# ---------------------------------------------------------------- 2. standby
def test_standby_values_are_checked():
    with pytest.raises(CCSimInputError, match=r"Standby.agents"):
        Standby(0, 10, QueueAbove(5))
    with pytest.raises(CCSimInputError, match=r"Standby.call_in_minutes"):
        Standby(3, -1, QueueAbove(5))
    with pytest.raises(CCSimInputError, match=r"Standby.trigger must be QueueAbove"):
        Standby(3, 10, 5)
    with pytest.raises(CCSimInputError, match=r"ServiceLevelBelow.level"):
        ServiceLevelBelow(80, 15)
    with pytest.raises(CCSimInputError, match=r"AgentGroup\('team'\).standby must be a Standby"):
        AgentGroup("team", ["retail"], 3, standby=8)


def surge_scenario(standby, agents=33):
    return Scenario([retail([Surge(2, 4, 2.0)])],
                    [AgentGroup("team", ["retail"], agents, standby=standby)], horizon_hours=8)


def waiting_at(calls, t):
    """Calls of the table waiting in the queue at time t (no IVR: entry = arrival)."""
    left = calls["arrival_seconds"] + calls["wait_seconds"]
    return calls[(calls["arrival_seconds"] <= t) & (left > t)]


def test_standby_logs_in_only_after_its_trigger_and_delay():
    standby = Standby(30, 10, QueueAbove(30), min_stay_minutes=120)
    result = simulate(surge_scenario(standby), seed=5, replications=6)
    table = result.standby
    assert len(table) == 6 and (table["agents"] == 30).all()
    sessions, calls = result.sessions, result.calls
    for _, row in table.iterrows():
        r, called = row["replication"], row["called_seconds"]
        mine = calls[calls["replication"] == r]
        # the trigger held at the call and at no check before it (rebuilt from the calls)
        assert called % CHECK_SECONDS == 0
        assert len(waiting_at(mine, called)) > 30
        for t in np.arange(CHECK_SECONDS, called, CHECK_SECONDS):
            assert len(waiting_at(mine, t)) <= 30, t
        assert row["login_seconds"] == called + 600
        spans = sessions[(sessions["replication"] == r) & (sessions["agent"] >= 33)]
        assert len(spans) == 30 and (spans["login_seconds"] == row["login_seconds"]).all()
        # released at a check after the minimum stay, the queue at or below the threshold
        released = row["released_seconds"]
        assert released >= row["login_seconds"] + 7200 and released % CHECK_SECONDS == 0
        assert len(waiting_at(mine, released)) <= 30
        assert (spans["due_seconds"] == released).all()
        assert (spans["logout_seconds"] >= released).all()
        assert row["logout_seconds"] == spans["logout_seconds"].max()
        by_standby = mine[(mine["agent"] >= 33) & (mine["outcome"] == "answered")]
        answered_at = by_standby["arrival_seconds"] + by_standby["wait_seconds"]
        assert (answered_at >= row["login_seconds"]).all() and (answered_at <= released).all()
        assert len(by_standby) == row["answered"]
        assert row["agent_hours"] == pytest.approx(
            (spans["logout_seconds"] - spans["login_seconds"]).sum() / 3600, rel=1e-12)


def test_a_service_level_trigger_calls_when_the_rebuilt_service_level_drops():
    trigger = ServiceLevelBelow(0.5, minutes=10)
    result = simulate(surge_scenario(Standby(20, 5, trigger)), seed=2, replications=4)

    def level(calls, t):
        end = calls["arrival_seconds"] + calls["wait_seconds"]
        settled = calls[(calls["outcome"] != "unanswered") & (end > t - 600) & (end <= t)]
        quick = ((settled["outcome"] == "answered") & (settled["wait_seconds"] <= 20)).sum()
        overdue = (t - waiting_at(calls, t)["arrival_seconds"] > 20).sum()
        total = len(settled) + overdue
        return 1.0 if total == 0 else quick / total

    for _, row in result.standby.iterrows():
        mine = result.calls[result.calls["replication"] == row["replication"]]
        called = row["called_seconds"]
        assert level(mine, called) < 0.5
        assert all(level(mine, t) >= 0.5 for t in np.arange(CHECK_SECONDS, called, CHECK_SECONDS))
        assert row["login_seconds"] == called + 300


def test_conservation_of_calls_and_work_with_surges_and_standby():
    scenario = Scenario(
        [retail([Surge(1, 2.5, 1.8)]), CallType("vip", 60, 300, 200, surges=[Surge(0.5, 1, 3)])],
        [AgentGroup("front", ["retail", "vip"], 30,
                    standby=Standby(10, 15, ServiceLevelBelow(0.7, 15), min_stay_minutes=30)),
         AgentGroup("back", ["vip"], shifts=[Shift(0, 3, agents=4)],
                    standby=Standby(3, 0, QueueAbove(2), min_stay_minutes=20))],
        horizon_hours=4)
    result = simulate(scenario, seed=9, replications=4)
    calls = result.calls
    counts = calls["outcome"].value_counts()
    assert counts["answered"] + counts["abandoned"] + counts.get("unanswered", 0) == len(calls)
    row = result.summary("total").loc["all"]
    assert row["offered"] * 4 == len(calls)
    assert row["answered"] * 4 == counts["answered"]
    # work: busy agent time (reported up to the horizon) equals the answered calls' talk
    # and wrap-up done before it
    busy = (result.groups["busy"] * scenario.interval_seconds).sum()
    start = calls["arrival_seconds"] + calls["wait_seconds"]
    end = start + calls["service_seconds"] + calls["wrap_up_seconds"]
    horizon = scenario.horizon_hours * 3600
    done = end.clip(upper=horizon) - start.clip(upper=horizon)
    work = done[calls["outcome"] == "answered"].sum()
    assert busy == pytest.approx(work, rel=1e-9)
    # every session within the run, no agent on two calls at once
    sessions = result.sessions
    assert (sessions["logout_seconds"] >= sessions["login_seconds"]).all()
    answered = calls[calls["outcome"] == "answered"].assign(
        start=lambda c: c["arrival_seconds"] + c["wait_seconds"]).sort_values(
        ["replication", "agent", "start"])
    end = answered["start"] + answered["service_seconds"] + answered["wrap_up_seconds"]
    same = (answered["replication"].to_numpy()[1:] == answered["replication"].to_numpy()[:-1]) & (
        answered["agent"].to_numpy()[1:] == answered["agent"].to_numpy()[:-1])
    assert (answered["start"].to_numpy()[1:][same] >= end.to_numpy()[:-1][same] - 1e-9).all()
    # standby agents answered only while logged in
    standby = result.standby
    assert set(standby["group"]) == {"front", "back"}
    assert (standby["login_seconds"].dropna() >= standby["called_seconds"].dropna()).all()


def test_no_trigger_means_no_standby_and_the_same_run():
    def run(standby, surges=()):
        scenario = Scenario([retail(surges)], [AgentGroup("team", ["retail"], 33,
                                                          standby=standby)], horizon_hours=4)
        return simulate(scenario, seed=12, replications=3)

    plain = run(None)
    idle = run(Standby(5, 10, QueueAbove(10**6)))
    assert plain.standby.empty and plain.standby_summary().empty
    assert idle.standby["called_seconds"].isna().all()
    assert (idle.standby["agent_hours"] == 0).all() and (idle.standby["answered"] == 0).all()
    assert idle.standby_summary().loc["team", "p_called"] == 0
    pd.testing.assert_frame_equal(plain.calls, idle.calls)
    pd.testing.assert_frame_equal(plain.sessions, idle.sessions)
    pd.testing.assert_frame_equal(plain.summary("interval"), idle.summary("interval"))
    pd.testing.assert_frame_equal(plain.calls, run(None, surges=[]).calls)
    pd.testing.assert_frame_equal(plain.calls, run(None, surges=[Surge(1, 2, 1.0)]).calls)


def test_a_standby_due_after_the_horizon_does_not_come():
    scenario = Scenario([retail(rate=1200)], [AgentGroup("team", ["retail"], 20,
                        standby=Standby(10, 120, QueueAbove(5)))], horizon_hours=1)
    table = simulate(scenario, seed=1, replications=2).standby
    assert table["called_seconds"].notna().all() and table["login_seconds"].isna().all()
    assert (table["agent_hours"] == 0).all()


# ---------------------------------------------------------------- 3. against the formula
def test_the_formula_standby_restores_the_service_level_it_promises():
    """standby_for_surge's count, called in, gives the surge the formula's service level.

    The formula (Erlang A per interval, steady state) says 33 agents meet 80 %
    within 20 s at 600 calls/h (AHT 180 s, patience 300 s) and that doubling
    the calls for two hours needs 30 standby agents more. Simulated: 33 agents
    and that standby, called when more than 30 calls wait, on the phones 10
    minutes later and staying at least 120 minutes. In the surge's intervals
    that start after the standby is on the phones (10:30-12:00; the call comes
    at about 10:07, the log-in at 10:17) the simulated service level must
    equal Erlang A's with 63 agents within its 99.9 % interval, and without
    the standby the surge's service level is near 0.
    """
    index = pd.date_range("2024-01-01 08:00", periods=16, freq="30min")
    forecast = pd.Series(300.0, index=index, name="retail")
    on_shift = staffing.requirements(forecast, aht_seconds=180, target=0.8,
                                     answer_within_seconds=20, patience_seconds=300)
    need = staffing.standby_for_surge(forecast, 2.0, "2024-01-01 10:00", "2024-01-01 12:00",
                                      on_shift=on_shift)
    agents, extra = int(on_shift["agents"].max()), need.peak_agents
    assert (agents, extra) == (33, 30)  # the formula's numbers, pinned
    promised = float(erlang.erlang_a(60, agents + extra, 180, 300, 20).service_level)
    assert promised >= 0.8

    def run(standby):
        scenario = Scenario([retail([Surge(2, 4, 2.0)])],
                            [AgentGroup("team", ["retail"], agents, standby=standby)],
                            horizon_hours=8, start="2024-01-01 08:00")
        return simulate(scenario, seed=5, replications=20)

    with_standby = run(Standby(extra, 10, QueueAbove(30), min_stay_minutes=120))
    assert (with_standby.standby["login_seconds"] < 2.5 * 3600).all()
    recovered = with_standby.summary("interval").iloc[5:8]  # 10:30-12:00
    counts = with_standby.intervals.query("interval in [5, 6, 7]")
    per_run = counts.groupby("replication")[["answered_within", "offered"]].sum()
    level = per_run["answered_within"].sum() / per_run["offered"].sum()
    spread = (per_run["answered_within"] - level * per_run["offered"]).std(ddof=1)
    half = stats.t.ppf(0.975, 19) * spread / np.sqrt(20) / per_run["offered"].mean()
    assert within_ci(level, half, promised, 20), (level, half, promised)
    assert (recovered["service_level"] > 0.7).all()
    without = run(None).summary("interval").iloc[4:8]
    assert (without["service_level"] < 0.05).all()


def test_surges_on_a_forecast_add_the_expected_calls_of_their_window():
    """Expected calls of the compiled plan: the forecast's plus (factor - 1) x the window's."""
    from ccsim.simulation._plan import compile_plan

    index = pd.date_range("2024-04-01 08:00", periods=4, freq="30min")
    forecast = pd.Series(300.0, index=index)  # calls per 30-minute interval
    group = [AgentGroup("team", ["retail"], 40)]

    def expected(surges):
        call_type = CallType("retail", arrivals=forecast, aht_seconds=180, surges=surges)
        return compile_plan(Scenario([call_type], group)).expected_calls

    assert expected([]) == pytest.approx(1200)
    assert expected([Surge(1, 2, 2.0)]) == pytest.approx(1200 + 600)
    # half of two intervals at three times the rate: 2 x 150 x (3 - 1) more
    assert expected([Surge(0.75, 1.25, 3.0)]) == pytest.approx(1200 + 600)
    assert expected([Surge(1.5, 9, 2.0)]) == pytest.approx(1200 + 300)  # past the horizon


def test_surges_and_standby_give_the_same_results_on_any_executor():
    scenario = surge_scenario(Standby(30, 10, ServiceLevelBelow(0.6, 10), min_stay_minutes=45))
    serial = simulate(scenario, seed=21, replications=4, executor="serial")
    pooled = simulate(scenario, seed=21, replications=4, executor="processes")
    pd.testing.assert_frame_equal(serial.calls, pooled.calls)
    pd.testing.assert_frame_equal(serial.standby, pooled.standby)
    pd.testing.assert_frame_equal(serial.standby_summary(), pooled.standby_summary())


def test_a_change_of_the_group_count_leaves_the_standby_alone():
    """Counts staffing lowers and raises the group's own agents; the standby keeps its span.

    The count drops from 20 to 0 at 2:30, after the surge, while the standby
    (20 agents, 150 minutes at least) is on and partly idle: the group's own
    idle agents leave at once, its busy ones after their call, the standby stays.
    """
    counts = [20, 20, 20, 20, 20, 0, 0, 20]  # per 30 minutes
    scenario = Scenario([retail([Surge(1, 2, 3.0)], rate=300)],
                        [AgentGroup("team", ["retail"], counts,
                                    standby=Standby(20, 5, QueueAbove(20), min_stay_minutes=150))],
                        horizon_hours=4)
    result = simulate(scenario, seed=3, replications=3)
    sessions = result.sessions
    for _, row in result.standby.iterrows():
        assert row["login_seconds"] < 1.5 * 3600 and row["released_seconds"] > 3 * 3600
        spans = sessions[(sessions["replication"] == row["replication"])
                         & (sessions["agent"] >= 20)]
        assert len(spans) == 20 and (spans["login_seconds"] == row["login_seconds"]).all()
        assert (spans["due_seconds"] == row["released_seconds"]).all()
    own = result.groups.query("interval in [5, 6]")
    assert (own["scheduled"] == 0).all()
    assert (own["staffed"] >= 20).all()  # the standby's 20 are on top of the group's own
