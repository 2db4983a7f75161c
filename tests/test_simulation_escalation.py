"""The last escalation level: agents pulled from another group, several levels (issue 12, item 3).

Checked against the engine's own records (calls, agent sessions, the pulls):
a pulled agent serves the pulling group only after its level's trigger and
call-in delay, never while it is still with its own group, and its group's
staffed time drops by exactly the time it spends pulled; every call is counted
once; the levels are called in order; a single ``Standby`` runs bit for bit as
before (sha256 pinned); :func:`escalation_effect` finds calls saved in a clear
surge (its 95 % interval excluding 0) and exactly none when a trigger never
holds. Seeds are fixed, so the outcomes are reproducible.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
from test_simulation_redial import fingerprint

from ccsim import CCSimInputError
from ccsim.simulation import (
    AgentGroup,
    Backlog,
    Blend,
    CallType,
    Outbound,
    QueueAbove,
    Scenario,
    ServiceLevelBelow,
    Shift,
    Standby,
    Surge,
    engine,
    escalation_effect,
    simulate,
)
from ccsim.simulation._plan import compile_plan, sample_calls
from ccsim.simulation.surges import CHECK_SECONDS

ON_CALL = Standby(10, 10, QueueAbove(30), min_stay_minutes=60)
PULLED = Standby(12, 2, QueueAbove(40), min_stay_minutes=60, pull_from="backoffice")


def floor(levels, backoffice=None, hours=6.0, rate=600.0):
    """A front line with a two-hour doubling of its calls and a back office to pull from."""
    backoffice = backoffice if backoffice is not None else AgentGroup("backoffice", ["mail"], 20)
    return Scenario([CallType("retail", rate, 180, 300, surges=[Surge(1, 3, 2.0)]),
                     CallType("mail", 60, 600, None)],
                    [AgentGroup("front", ["retail"], 33, standby=levels), backoffice],
                    horizon_hours=hours)


def one_run(scenario, replication=0, seed=3):
    plan = compile_plan(scenario)
    draws = sample_calls(plan, np.random.SeedSequence(seed, spawn_key=(replication,)))
    return plan, engine.run(plan, draws)


# ---------------------------------------------------------------- a single Standby as before
def pinned_scenarios():
    def retail(surges=(), rate=600.0):
        return CallType("retail", rate, 180, 300.0, surges=list(surges))

    yield "queue", Scenario(
        [retail([Surge(1, 2.5, 2.0)])],
        [AgentGroup("team", ["retail"], 33,
                    standby=Standby(20, 10, QueueAbove(30), min_stay_minutes=45))],
        horizon_hours=4), 3
    yield "two", Scenario(
        [retail([Surge(1, 2.5, 1.8)]), CallType("vip", 60, 300, 200, surges=[Surge(0.5, 1, 3)])],
        [AgentGroup("front", ["retail", "vip"], [30, 30, 28, 32, 30, 30, 30, 30],
                    standby=Standby(10, 15, ServiceLevelBelow(0.7, 15), min_stay_minutes=30),
                    blend=Blend(reserve=2, outbound=Outbound(0.3, 240, 30),
                                backlog=Backlog(10, 600, 2))),
         AgentGroup("back", ["vip"], shifts=[Shift(0, 3, breaks=[(1, 1.25)], agents=4)],
                    standby=Standby(3, 0, QueueAbove(2), min_stay_minutes=20))],
        horizon_hours=4), 3


STANDBY_COLUMNS = ["agents", "called_seconds", "login_seconds", "released_seconds",
                   "logout_seconds", "agent_hours", "answered"]
# Computed at commit 75c14da (before escalation levels), seed 11, executor "serial":
# fingerprint() of test_simulation_redial, then sha256 prefixes of the standby and blend tables.
BEFORE = {
    "queue": (("934b8f92b53c4d6df5db0b20b36f22f0", 9949, 430546.86324851884),
              "86098a21dd8101d6", "e3b0c44298fc1c14"),
    "two": (("ff732c0fa6fa5118920ddc1fe94edc33", 10283, 698335.7553183712),
            "8039a7eb0ab38b83", "0cd4d71ed1fed514"),
}


def digest(frame):
    return hashlib.sha256(np.ascontiguousarray(frame.to_numpy(float)).tobytes()).hexdigest()[:16]


@pytest.mark.parametrize("name, scenario, replications", list(pinned_scenarios()),
                         ids=[name for name, _, _ in pinned_scenarios()])
def test_a_single_standby_runs_bit_for_bit_as_before(name, scenario, replications):
    result = simulate(scenario, seed=11, replications=replications, executor="serial")
    got = (fingerprint(result), digest(result.standby[STANDBY_COLUMNS]),
           digest(result.blend.select_dtypes("number")))
    assert got == BEFORE[name]
    # the same level given as a list of one is the same run
    as_list = Scenario(scenario.call_types,
                       [AgentGroup(g.name, g.skills, g.agents, shifts=g.shifts,
                                   standby=[g.standby], blend=g.blend) for g in scenario.groups],
                       scenario.horizon_hours)
    again = simulate(as_list, seed=11, replications=replications, executor="serial")
    assert fingerprint(again) == BEFORE[name][0]
    pd.testing.assert_frame_equal(again.standby, result.standby)


# ---------------------------------------------------------------- inputs
@pytest.mark.parametrize(("make", "match"), [
    (lambda: floor([ON_CALL, Standby(5, 2, QueueAbove(40), pull_from="nobody")]),
     r"pull_from names unknown group 'nobody'; the scenario's groups are \['front', "),
    (lambda: AgentGroup("front", ["retail"], 3, standby=Standby(5, 2, QueueAbove(4),
                                                               pull_from="front")),
     r"AgentGroup\('front'\).standby: Standby.pull_from must name another group; got 'front'"),
    (lambda: Standby(5, 2, QueueAbove(4), pull_from=""), "Standby.pull_from must be the name"),
    (lambda: Standby(5, 2, QueueAbove(4), pull_from=3), "Standby.pull_from must be the name"),
    (lambda: AgentGroup("front", ["retail"], 3, standby=[ON_CALL, "more"]),
     r"AgentGroup\('front'\).standby must be a Standby .* a list of them"),
    (lambda: escalation_effect(floor(None), seed=1, replications=3), "no group of the scenario"),
    (lambda: escalation_effect(floor([ON_CALL]), seed=None, replications=3),
     "seed must be given"),
    (lambda: escalation_effect(floor([ON_CALL]), seed=1, replications=1),
     "replications must be an integer >= 2"),
])
def test_bad_inputs_name_the_argument(make, match):
    with pytest.raises(CCSimInputError, match=match):
        make()


def test_an_empty_list_of_levels_is_no_standby():
    assert AgentGroup("front", ["retail"], 3, standby=[]).standby is None
    assert AgentGroup("front", ["retail"], 3, standby=[ON_CALL]).standby_levels == (ON_CALL,)


# ---------------------------------------------------------------- the rules
@pytest.mark.parametrize("replication", [0, 1, 2])
def test_a_pulled_agent_serves_the_pulling_group_only_after_its_trigger_and_delay(replication):
    plan, out = one_run(floor([ON_CALL, PULLED]), replication)
    called, login, released = out.standby[1]
    assert called + 120 == login and released > login
    pulls = out.pulls
    assert pulls.shape[0] == 12 and (pulls[:, 0] == 1).all() and (pulls[:, 3] == login).all()
    assert np.unique(pulls[:, 2]).size == 12
    assert (plan.agent_group[pulls[:, 2].astype(int)] == 1).all()  # from the back office
    answered_at = out.entry + out.wait
    for _, stand_in, source, _ in pulls.astype(int).tolist():
        spans = np.flatnonzero(out.session_agent == stand_in)
        assert spans.size <= 1
        served = (out.agent == stand_in) & (out.status == engine.ANSWERED)
        assert (out.call_type[served] == 0).all()  # the pulling group's skill
        if spans.size == 0:
            assert not served.any()
            continue
        start, end = out.session_start[spans[0]], out.session_end[spans[0]]
        assert start >= login
        assert (answered_at[served] >= start).all() and (answered_at[served] <= end).all()
        # its own group: its span ends when the stand-in's begins, and resumes when it ends
        own = np.flatnonzero(out.session_agent == source)
        assert start in out.session_end[own]
        if end < plan.horizon_seconds:
            assert end in out.session_start[own]
        mine = (out.agent == source) & (out.status == engine.ANSWERED)
        away = (answered_at[mine] >= start) & (answered_at[mine] < end)
        assert not away.any()  # nothing answered for its own group while pulled
        # the call it had in hand (if any) ended before it moved
        ends = answered_at[mine] + out.service[mine] + out.wrap_up[mine]
        assert not ((answered_at[mine] < start) & (ends > start + 1e-9)).any()
    # a stand-in never logs in before the trigger plus the call-in delay, checked above;
    # the call is at a check, when more than 40 calls wait
    assert called % CHECK_SECONDS == 0


def test_the_source_group_staffed_time_drops_by_the_time_its_agents_are_pulled():
    with_pull = simulate(floor([ON_CALL, PULLED]), seed=3, replications=4)
    without = simulate(floor([ON_CALL]), seed=3, replications=4)
    staffed = {name: r.groups[r.groups["group"] == "backoffice"].set_index(
        ["replication", "interval"])["staffed"] for name, r in (("with", with_pull),
                                                                ("without", without))}
    assert (staffed["without"] == 20).all()
    drop = staffed["without"] - staffed["with"]
    assert (drop >= -1e-9).all()
    assert (drop.groupby("interval").mean().iloc[3] > 5)  # 1:30-2:00, during the surge
    assert (drop.groupby("interval").mean().iloc[-3:].abs() < 1e-9).all()
    pulled = with_pull.standby[with_pull.standby["level"] == 2]
    assert (pulled["released_seconds"] < 6 * 3600).all()
    lost_hours = drop.groupby("replication").sum() * 0.5
    assert np.allclose(lost_hours.to_numpy(), pulled["agent_hours"].to_numpy(), rtol=1e-9)
    assert (pulled["pull_from"] == "backoffice").all()
    assert (pulled["agents_arrived"] <= 12).all() and (pulled["agents_arrived"] >= 10).all()
    summary = with_pull.standby_summary()
    assert summary["level"].tolist() == [1, 2]
    assert summary["pull_from"].tolist() == ["", "backoffice"]
    # front's staffed time gains what the back office lost, plus the on-call team
    front = with_pull.groups[with_pull.groups["group"] == "front"]["staffed"].sum() * 0.5
    on_call = with_pull.standby.loc[with_pull.standby["level"] == 1, "agent_hours"].sum()
    assert front == pytest.approx(4 * 33 * 6 + on_call + pulled["agent_hours"].sum(), rel=1e-9)


def test_conservation_of_calls_with_a_pulled_level_from_a_shift_group():
    """Back office on shifts with a break; pulled agents answer only the pulling group's calls."""
    backoffice = AgentGroup("backoffice", ["mail"], shifts=[
        Shift(0, 6, breaks=[(2, 2.5)], agents=10), Shift(0, 2.5, agents=6)])
    scenario = floor([ON_CALL, PULLED], backoffice=backoffice)
    result = simulate(scenario, seed=5, replications=4)
    calls = result.calls
    counts = calls["outcome"].value_counts()
    assert counts["answered"] + counts["abandoned"] + counts.get("unanswered", 0) == len(calls)
    total = result.summary("total").loc["all"]
    assert total["offered"] * 4 == len(calls)
    answered = calls[calls["outcome"] == "answered"]
    assert (answered.loc[answered["call_type"] == "retail", "group"] == "front").all()
    assert (answered.loc[answered["call_type"] == "mail", "group"] == "backoffice").all()
    # no agent on two calls at once, and no session overlaps another of the same agent
    start = answered["arrival_seconds"] + answered["wait_seconds"]
    ordered = answered.assign(start=start, end=start + answered["service_seconds"]
                              + answered["wrap_up_seconds"]).sort_values(
        ["replication", "agent", "start"])
    same = (ordered["replication"].to_numpy()[1:] == ordered["replication"].to_numpy()[:-1]) & (
        ordered["agent"].to_numpy()[1:] == ordered["agent"].to_numpy()[:-1])
    assert (ordered["start"].to_numpy()[1:][same] >= ordered["end"].to_numpy()[:-1][same]
            - 1e-9).all()
    # the 6 agents of the short shift pulled before 2:30 go home at 2:30 from the front
    for r in range(4):
        _, out = one_run(scenario, r, seed=5)
        for _, stand_in, source, _ in out.pulls.astype(int).tolist():
            spans = np.flatnonzero(out.session_agent == stand_in)
            own = np.flatnonzero(out.session_agent == source)
            if source >= 10 and spans.size:  # the short shift
                assert out.session_due[spans[0]] <= 2.5 * 3600
                assert (out.session_start[own] < 2.5 * 3600).all()  # never back after it


def test_levels_are_called_in_order():
    """The second level's trigger holds first (5 calls waiting) but waits for the first."""
    first = Standby(5, 0, QueueAbove(60), min_stay_minutes=30)
    second = Standby(5, 0, QueueAbove(5), min_stay_minutes=30, pull_from="backoffice")
    result = simulate(floor([first, second]), seed=2, replications=4)
    table = result.standby.pivot(index="replication", columns="level",
                                 values="called_seconds")
    assert table[1].notna().all()
    assert (table[2] >= table[1]).all()
    alone = simulate(floor([second]), seed=2, replications=4).standby
    assert (alone["called_seconds"].to_numpy() < table[2].to_numpy()).all()


def test_pulls_give_the_same_results_on_any_executor():
    scenario = floor([ON_CALL, PULLED], hours=4)
    serial = simulate(scenario, seed=21, replications=3, executor="serial")
    pooled = simulate(scenario, seed=21, replications=3, executor="processes")
    pd.testing.assert_frame_equal(serial.calls, pooled.calls)
    pd.testing.assert_frame_equal(serial.standby, pooled.standby)


# ---------------------------------------------------------------- calls saved
def test_escalation_effect_finds_the_calls_each_level_saved():
    result = simulate(floor([ON_CALL, PULLED]), seed=3, replications=8)
    effect = result.escalation_effect()
    assert effect.index.tolist() == [1, 2]
    assert effect.loc[2, "teams"] == "front: 12 pulled from backoffice"
    assert (effect["p_called"] == 1).all()
    # the on-call team alone leaves the surge overloaded (it saves abandons, hardly any call
    # within T); the pulled agents end the overload
    for level, measures in ((1, ("answered_gained", "abandoned_saved", "lost_saved")),
                            (2, ("answered_within_gained", "answered_gained",
                                 "abandoned_saved", "lost_saved"))):
        for measure in measures:
            value, half = effect.loc[level, measure], effect.loc[level, f"{measure}_ci"]
            assert value - half > 0, (level, measure, value, half)
    # the same numbers from the function, and from differences of independent summaries
    again = escalation_effect(floor([ON_CALL, PULLED]), seed=3, replications=8)
    pd.testing.assert_frame_equal(effect, again)
    plain = simulate(floor([ON_CALL]), seed=3, replications=8).summary("total").loc["all"]
    full = result.summary("total").loc["all"]
    assert effect.loc[2, "abandoned_saved"] == pytest.approx(
        plain["abandoned"] - full["abandoned"], rel=1e-12)


def test_a_level_whose_trigger_never_holds_saves_nothing():
    never = Standby(12, 2, QueueAbove(10**6), pull_from="backoffice")
    effect = escalation_effect(floor([ON_CALL, never], hours=4), seed=4, replications=3)
    assert effect.loc[2, "p_called"] == 0
    for measure in ("answered_within_gained", "answered_gained", "abandoned_saved",
                    "lost_saved"):
        assert effect.loc[2, measure] == 0 and effect.loc[2, f"{measure}_ci"] == 0
    assert effect.loc[1, "abandoned_saved"] > 0


def test_pulled_agents_are_the_first_to_go_when_their_group_count_drops():
    """Back office drops from 20 to 4 agents at 2:00, while 12 of them are pulled."""
    backoffice = AgentGroup("backoffice", ["mail"], [20] * 4 + [4] * 8)
    level = Standby(12, 2, QueueAbove(40), min_stay_minutes=120, pull_from="backoffice")
    scenario = floor([ON_CALL, level], backoffice=backoffice)
    for r in range(3):
        _, out = one_run(scenario, r)
        assert out.standby[1, 1] < 2 * 3600 < out.standby[1, 2]  # pulled across the drop
        sent = 0
        for _, stand_in, source, _ in out.pulls.astype(int).tolist():
            spans = np.flatnonzero(out.session_agent == stand_in)
            own = np.flatnonzero(out.session_agent == source)
            if spans.size and out.session_due[spans[0]] == 2 * 3600:  # sent home at the drop
                sent += 1
                assert (out.session_start[own] < 2 * 3600).all()  # and not back
            else:  # kept: back in its group when the level is released
                assert out.session_due[spans[0]] == out.standby[1, 2]
        # 16 agents go: the 8 not pulled go only if idle, the pulled ones before busy ones
        assert sent >= 8
    result = simulate(scenario, seed=3, replications=3)
    # after the release, those kept are back and count among the 4: nobody replaced them
    later = result.groups.query("group == 'backoffice' and interval >= 8")
    assert (later["scheduled"] == 4).all() and np.allclose(later["staffed"], 4, rtol=1e-12)
