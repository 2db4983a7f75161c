"""Results: the call, interval, group and session tables, the summary, plot and repr."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys

import matplotlib
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ccsim import CCSimError, CCSimInputError
from ccsim.simulation import AgentGroup, CallType, LogNormal, Scenario, Shift, _stats, simulate

matplotlib.use("Agg")

CONTRACT_COLUMNS = ["offered", "answered", "abandoned", "p_abandon", "service_level",
                    "service_level_answered", "asa_seconds", "occupancy"]


@pytest.fixture(scope="module")
def contract():
    """The issue's contract example, verbatim."""
    scenario = Scenario(
        call_types=[CallType("retail", arrivals_per_hour=600, aht_seconds=180,
                             patience_seconds=120)],
        groups=[AgentGroup("team", skills=["retail"], agents=35)],
        horizon_hours=10, answer_within_seconds=20)
    return simulate(scenario, seed=7, replications=8)


@pytest.fixture(scope="module")
def floor():
    """Two types, overflow, counts that change every half-hour, a shift group with breaks."""
    scenario = Scenario(
        [CallType("retail", arrivals_per_hour=[300, 500, 700, 500, 300, 0, 200, 400],
                  service=LogNormal(200, 150), wrap_up_seconds=20, patience_seconds=90,
                  overflow={"back_office": 40}),
         CallType("vip", arrivals_per_hour=60, aht_seconds=300, patience_seconds=200,
                  priority=1, answer_within_seconds=30)],
        [AgentGroup("front", skills=["retail"], agents=[20, 30, 45, 30, 10, 0, 12, 25]),
         AgentGroup("back_office", skills=["vip"],
                    shifts=[Shift(0, 4, breaks=[(1.5, 1.75)], agents=6),
                            Shift(1, 3, agents=3)])],
        horizon_hours=4, answer_within_seconds=20, start="2024-04-01 08:00")
    return simulate(scenario, seed=3, replications=4, executor="serial")


def test_contract_summary(contract):
    table = contract.summary()
    assert table.index.tolist() == ["retail"] and table.index.name == "call_type"
    for column in CONTRACT_COLUMNS:
        assert column in table and f"{column}_ci" in table
        assert np.isfinite(table[column]).all() and (table[f"{column}_ci"] > 0).all()
    row = table.loc["retail"]
    assert row["offered"] == pytest.approx(6000, rel=0.03)
    assert row["answered"] + row["abandoned"] == pytest.approx(row["offered"])
    assert 0 < row["p_abandon"] < 0.1 and 0.8 < row["service_level"] < 1
    assert row["service_level"] < row["service_level_answered"]
    assert 0.75 < row["occupancy"] < 0.9
    assert contract.replications == 8 and contract.seed == 7


def test_calls_table_one_row_per_call(contract):
    calls = contract.calls
    assert calls.columns.tolist() == [
        "replication", "call_type", "arrival_seconds", "wait_seconds", "outcome", "group",
        "agent", "service_seconds", "wrap_up_seconds", "ivr_seconds", "caller", "attempt"]
    assert len(calls) == contract.intervals["offered"].sum()
    assert calls["outcome"].cat.categories.tolist() == [
        "answered", "abandoned", "unanswered", "blocked", "self_served"]
    # no redials, IVR or lines: every call is its caller's one attempt, offered to the agents
    assert (calls["attempt"] == 1).all() and (calls["ivr_seconds"] == 0).all()
    assert calls.groupby("replication")["caller"].apply(
        lambda c: c.tolist() == list(range(len(c)))).all()
    assert calls["outcome"].isin(["answered", "abandoned", "unanswered"]).all()
    answered = calls["outcome"] == "answered"
    assert (calls.loc[answered, "group"] == "team").all()
    assert (calls.loc[~answered, "agent"] == -1).all()
    assert (calls.loc[~answered, "group"] == "").all()
    assert (calls["wait_seconds"] >= 0).all() and not calls.isna().any().any()
    assert calls.groupby("replication").size().tolist() == (
        contract.intervals.groupby("replication")["offered"].sum().tolist())
    per_replication = calls.groupby("replication")["arrival_seconds"]
    assert per_replication.apply(lambda s: s.is_monotonic_increasing).all()


def test_summary_is_computed_from_the_calls(contract):
    calls, row = contract.calls, contract.summary().loc["retail"]
    answered = calls["outcome"] == "answered"
    within = answered & (calls["wait_seconds"] <= 20)
    by_rep = pd.DataFrame({"offered": 1, "answered": answered, "within": within,
                           "abandoned": calls["outcome"] == "abandoned",
                           "wait": calls["wait_seconds"].where(answered, 0.0),
                           "replication": calls["replication"]}).groupby("replication").sum()
    assert row["offered"] == by_rep["offered"].mean()
    assert row["service_level"] == pytest.approx(by_rep["within"].sum() / by_rep["offered"].sum())
    assert row["asa_seconds"] == pytest.approx(by_rep["wait"].sum() / by_rep["answered"].sum())
    # the delta-method half-width of a ratio of means
    ratio = by_rep["within"].sum() / by_rep["offered"].sum()
    residual = by_rep["within"] - ratio * by_rep["offered"]
    half = stats.t.ppf(0.975, 7) * residual.std() / np.sqrt(8) / by_rep["offered"].mean()
    assert row["service_level_ci"] == pytest.approx(half)
    assert row["offered_ci"] == pytest.approx(
        stats.t.ppf(0.975, 7) * by_rep["offered"].std() / np.sqrt(8))


def test_intervals_add_up_and_never_hold_nan(floor):
    table = floor.intervals
    assert len(table) == 4 * 8 * 2  # replications x intervals x call types
    assert (table["offered"] == table["answered"] + table["abandoned"]
            + table["unanswered"]).all()
    assert not table.isna().any().any()
    quiet = table[(table["call_type"] == "retail") & (table["interval"] == 5)]
    assert (quiet["offered"] == 0).all()  # no calls in that half-hour: the conventions
    assert (quiet["service_level"] == 1).all() and (quiet["asa_seconds"] == 0).all()
    assert table["interval_start"].iloc[0] == pd.Timestamp("2024-04-01 08:00")
    calls = floor.calls
    assert calls["arrival"].iloc[0] == pd.Timestamp("2024-04-01 08:00") + pd.Timedelta(
        seconds=calls["arrival_seconds"].iloc[0])
    per_type = calls.groupby(["replication", "call_type"], observed=True).size()
    assert per_type.tolist() == table.groupby(["replication", "call_type"],
                                              observed=True)["offered"].sum().tolist()


def test_each_call_type_has_its_own_threshold(floor):
    calls, intervals = floor.calls, floor.intervals
    for name, threshold in (("retail", 20), ("vip", 30)):
        mine = calls[calls["call_type"] == name]
        quick = mine["wait_seconds"] <= threshold
        rows = intervals[intervals["call_type"] == name]
        assert rows["answered_within"].sum() == (quick & (mine["outcome"] == "answered")).sum()
        assert rows["abandoned_within"].sum() == (quick & (mine["outcome"] == "abandoned")).sum()


def test_overflow_and_priority_show_in_the_calls(floor):
    calls = floor.calls
    overflowed = calls[(calls["call_type"] == "retail") & (calls["group"] == "back_office")]
    assert len(overflowed) > 0 and (overflowed["wait_seconds"] >= 40 - 1e-9).all()
    assert (calls.loc[calls["call_type"] == "vip", "group"].isin(["back_office", ""])).all()


def test_staffing_is_followed_exactly(floor):
    """Logged-in agents (not counting those finishing a call after their time) per interval."""
    sessions, groups = floor.sessions, floor.groups
    counts = [20, 30, 45, 30, 10, 0, 12, 25]
    rng = np.random.default_rng(0)
    times = np.sort(rng.uniform(0, 4 * 3600, 2000))
    for _, mine in sessions.groupby("replication"):
        front = mine[mine["group"] == "front"]
        on_duty = ((front["login_seconds"].to_numpy() <= times[:, None])
                   & (times[:, None] < front["due_seconds"].to_numpy())).sum(axis=1)
        assert on_duty.tolist() == [counts[int(t // 1800)] for t in times]
        back = mine[mine["group"] == "back_office"]
        on_duty = ((back["login_seconds"].to_numpy() <= times[:, None])
                   & (times[:, None] < back["due_seconds"].to_numpy())).sum(axis=1)
        hours = times / 3600
        planned = 6 * ((hours < 1.5) | (hours >= 1.75)) + 3 * ((hours >= 1) & (hours < 3))
        # a delayed break shifts the return: at most 6 agents of the break may be late
        assert (on_duty <= planned).all() and (on_duty >= planned - 6).all()
    assert (sessions["logout_seconds"] >= sessions["due_seconds"]).all()
    assert (sessions["due_seconds"] >= sessions["login_seconds"]).all()
    front_groups = groups[groups["group"] == "front"]
    assert front_groups["scheduled"].tolist() == counts * 4
    assert (front_groups["staffed"] >= front_groups["scheduled"] - 1e-9).all()
    back_groups = groups[(groups["group"] == "back_office") & (groups["replication"] == 0)]
    assert back_groups["scheduled"].tolist() == [6, 6, 9, 6, 9, 9, 6, 6]
    assert (groups["busy"] <= groups["staffed"] + 1e-9).all()
    assert groups["occupancy"].between(0, 1).all()


def test_no_agent_answers_outside_its_session(floor):
    calls = floor.calls[floor.calls["outcome"] == "answered"]
    sessions = floor.sessions
    answered_at = calls["arrival_seconds"] + calls["wait_seconds"]
    for (replication, agent), mine in calls.assign(at=answered_at).groupby(
            ["replication", "agent"]):
        spans = sessions[(sessions["replication"] == replication)
                         & (sessions["agent"] == agent)]
        inside = ((spans["login_seconds"].to_numpy() - 1e-6 <= mine["at"].to_numpy()[:, None])
                  & (mine["at"].to_numpy()[:, None] <= spans["logout_seconds"].to_numpy()))
        assert inside.any(axis=1).all(), (replication, agent)


def test_other_summaries(floor):
    by_interval = floor.summary(by="interval")
    assert len(by_interval) == 8 * 2
    assert by_interval["interval_start"].iloc[0] == pd.Timestamp("2024-04-01 08:00")
    by_group = floor.summary(by="group")
    assert by_group.index.tolist() == ["front", "back_office"]
    assert by_group.loc["front", "scheduled"] == pytest.approx(np.mean(
        [20, 30, 45, 30, 10, 0, 12, 25]))
    total = floor.summary(by="total")
    assert total.index.tolist() == ["all"]
    assert total.loc["all", "offered"] == pytest.approx(floor.summary()["offered"].sum())
    with pytest.raises(CCSimInputError, match=r"by must be 'call_type', 'total', 'interval' or "
                                              r"'group'; got 'day'"):
        floor.summary(by="day")


def test_warmup_is_left_out_of_the_summary():
    scenario = Scenario([CallType("a", 400, 180, 120)], [AgentGroup("g", ["a"], 22)],
                        horizon_hours=3, warmup_hours=1)
    result = simulate(scenario, seed=5, replications=3)
    offered = result.intervals.query("interval >= 2").groupby("replication")["offered"].sum()
    assert result.summary().loc["a", "offered"] == offered.mean()
    assert "warm-up 2 interval(s)" in repr(result)


def test_one_replication_has_infinite_half_widths_and_no_nan():
    scenario = Scenario([CallType("a", 100, 180)], [AgentGroup("g", ["a"], 8)], horizon_hours=1)
    table = simulate(scenario, seed=1).summary()
    assert np.isinf(table["service_level_ci"]).all()
    assert not table.isna().any().any()


def test_keep_calls_false_keeps_the_statistics_only(contract):
    light = simulate(contract.scenario, seed=7, replications=8, keep_calls=False)
    pd.testing.assert_frame_equal(light.summary(), contract.summary())
    pd.testing.assert_frame_equal(light.intervals, contract.intervals)
    with pytest.raises(CCSimError, match=r"per-call records were not kept: run "
                                         r"simulate\(\.\.\., keep_calls=True\)"):
        light.calls  # noqa: B018


def test_seeds_reproduce_and_common_random_numbers(contract):
    again = simulate(contract.scenario, seed=7, replications=8)
    pd.testing.assert_frame_equal(again.calls, contract.calls)
    other = simulate(contract.scenario, seed=8, replications=8)
    assert not other.calls["arrival_seconds"].equals(contract.calls["arrival_seconds"])
    fresh = simulate(contract.scenario, replications=2)
    pd.testing.assert_frame_equal(simulate(contract.scenario, seed=fresh.seed,
                                           replications=2).calls, fresh.calls)
    # more agents, same seed: the same callers arrive with the same needs
    bigger = Scenario(contract.scenario.call_types,
                      [AgentGroup("team", skills=["retail"], agents=36)], horizon_hours=10)
    more = simulate(bigger, seed=7, replications=8).calls
    for column in ("arrival_seconds", "call_type"):
        pd.testing.assert_series_equal(more[column], contract.calls[column])
    assert more["wait_seconds"].mean() < contract.calls["wait_seconds"].mean()


def test_time_varying_arrivals_follow_the_rates():
    rates = [100, 400, 800, 200]
    scenario = Scenario([CallType("a", rates, 180)], [AgentGroup("g", ["a"], 60)], horizon_hours=2)
    result = simulate(scenario, seed=9, replications=40, keep_calls=False)
    table = result.summary(by="interval")
    expected = np.array(rates) / 2
    # Poisson counts: the 99.9 % interval of the mean of 40 replications
    tolerance = stats.norm.ppf(0.9995) * np.sqrt(expected / 40)
    assert (np.abs(table["offered"] - expected) <= tolerance).all()


def test_repr_and_plot(floor):
    text = repr(floor)
    assert text.startswith("SimulationResult: 4 replication(s) of 4 h (8 intervals of 30 min)")
    assert "retail" in text and "vip" in text and "±" in text
    ax = floor.plot()
    assert ax.get_ylabel() == "service level" and len(ax.get_lines()) == 2
    assert floor.plot("asa_seconds", ax=ax) is ax
    with pytest.raises(CCSimInputError, match="measure must be one of"):
        floor.plot("speed")


@pytest.mark.parametrize("df, quantile", [
    # NIST/SEMATECH e-Handbook of Statistical Methods, section 1.3.6.7.2, "Critical values of
    # the Student's t distribution" (upper 0.025): 12.706, 4.303, 2.262, 2.045 (3 decimals);
    # df 1 and 2 in closed form: tan(pi (p - 1/2)) and (2p - 1) / sqrt(2 p (1 - p)), p = 0.975
    (1, 12.706), (2, 4.303), (9, 2.262), (29, 2.045)])
def test_t_quantiles_of_the_confidence_intervals(df, quantile):
    value = _stats.t_quantile(df + 1)  # replications = df + 1
    assert round(value, 3) == quantile
    assert value == stats.t.ppf(0.975, df)  # bit for bit what scipy.stats gave before
    exact = {1: np.tan(np.pi * 0.475), 2: 0.95 / np.sqrt(2 * 0.975 * 0.025)}
    if df in exact:
        assert value == pytest.approx(exact[df], rel=1e-14)
    if df == 29:
        assert value == pytest.approx(2.045229642132703, rel=1e-15)


def test_t_quantile_equals_scipy_stats_for_every_replication_count():
    df = np.arange(1, 5001)
    assert np.array_equal([_stats.t_quantile(n + 1) for n in df], stats.t.ppf(0.975, df))
    assert _stats.t_quantile(1) == np.inf


def test_importing_the_simulation_does_not_import_scipy_stats():
    """scipy.stats costs about half a second of CPU at import (every worker pays it)."""
    code = ("import sys, ccsim.simulation; "
            "print(sorted(m for m in ('scipy.stats', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("module_name", ["ccsim.simulation.replications"])
def test_docstring_examples(module_name):
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_conventions_with_no_calls_and_with_no_agents():
    quiet = simulate(Scenario([CallType("a", 0, 100)], [AgentGroup("g", ["a"], 3)],
                              horizon_hours=1), seed=1, replications=2)
    assert len(quiet.calls) == 0 and len(quiet.sessions) == 6
    row = quiet.summary().loc["a"]
    assert (row["offered"], row["service_level"], row["service_level_answered"],
            row["asa_seconds"], row["p_abandon"], row["occupancy"]) == (0, 1, 1, 0, 0, 0)
    empty = simulate(Scenario([CallType("a", 50, 100, 60), CallType("b", 10, 100)],
                              [AgentGroup("g", ["a", "b"], 0)], horizon_hours=1), seed=1,
                     replications=2)
    table = empty.summary()
    assert table.loc["a", "p_abandon"] == 1 and table.loc["b", "p_abandon"] == 0
    for column in ("service_level", "service_level_answered",
                   "service_level_excluding_short_abandons"):
        busy_intervals = empty.intervals[empty.intervals["offered"] > 0]
        assert (table[column] == 0).all() and (busy_intervals[column] == 0).all()
    outcomes = empty.calls.groupby("call_type", observed=True)["outcome"].unique()
    assert outcomes["a"].tolist() == ["abandoned"] and outcomes["b"].tolist() == ["unanswered"]
    assert (empty.calls["group"] == "").all() and not table.isna().any().any()
