"""Blended work: outbound attempts and back-office items (issue 12, item 4).

Checked against the engine's own records (calls, agent sessions, blended work):
the reserve kept idle at every start of blended work, no blended work while a
call of the group's skills waits, every backlog item done at most once and
every attempt connected or not; a reserve as large as the group changes
nothing; and, without inbound calls, the outbound attempts against the exact
count (agents - reserve) * horizon / attempt time. Seeds are fixed.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from ccsim import CCSimInputError
from ccsim.simulation import (
    AgentGroup,
    Backlog,
    Blend,
    CallType,
    Outbound,
    Scenario,
    _blend,
    engine,
    simulate,
)
from ccsim.simulation._plan import compile_plan, sample_calls

ALPHA = 0.001
Z = stats.norm.ppf(1 - ALPHA / 2)
OUTBOUND = Outbound(connect_rate=0.3, talk_seconds=240, attempt_seconds=30)


def scenario(blend, rate=100.0, agents=12, hours=8.0, skills=("a",)):
    types = [CallType(name, rate, 240, 300) for name in ("a", "b")]
    groups = [AgentGroup("g", list(skills), agents, blend=blend),
              AgentGroup("other", ["b"], 6)]
    return Scenario(types, groups, horizon_hours=hours)


def one_run(s, seed=1):
    plan = compile_plan(s)
    draws = sample_calls(plan, np.random.SeedSequence(seed))
    return plan, draws, engine.run(plan, draws)


BLEND = Blend(reserve=2, outbound=OUTBOUND,
              backlog=Backlog(items_per_hour=15, work_seconds=600, due_hours=2))


# ---------------------------------------------------------------- inputs
@pytest.mark.parametrize(("make", "match"), [
    (lambda: Blend(reserve=-1, outbound=OUTBOUND), "Blend.reserve"),
    (lambda: Blend(reserve=1), "Blend needs outbound"),
    (lambda: Blend(reserve=1, outbound="yes"), "Blend.outbound must be an Outbound"),
    (lambda: Blend(reserve=1, backlog=3), "Blend.backlog must be a Backlog"),
    (lambda: Outbound(connect_rate=1.5, talk_seconds=1, attempt_seconds=1),
     "Outbound.connect_rate"),
    (lambda: Outbound(connect_rate=0.5, talk_seconds=0, attempt_seconds=1),
     "Outbound.talk_seconds"),
    (lambda: Backlog(items_per_hour=-1, work_seconds=1, due_hours=1), "Backlog.items_per_hour"),
    (lambda: Backlog(items_per_hour=1, work_seconds=1, due_hours=0), "Backlog.due_hours"),
    (lambda: AgentGroup("g", ["a"], 3, blend=2), r"AgentGroup\('g'\).blend must be a Blend"),
])
def test_bad_inputs_name_the_argument(make, match):
    with pytest.raises(CCSimInputError, match=match):
        make()


# ---------------------------------------------------------------- the rules
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_reserve_stays_idle_at_every_start_of_blended_work(seed):
    plan, draws, out = one_run(scenario(BLEND), seed)
    work = out.blend_work
    assert work.shape[0] > 100
    starts = work[:, 3]
    # logged in at each start, from the sessions
    logged = ((out.session_start[None, :] <= starts[:, None])
              & (starts[:, None] < out.session_end[None, :])
              & (plan.agent_group[out.session_agent] == 0)[None, :]).sum(axis=1)
    answered = (out.status == engine.ANSWERED) & (out.agent >= 0)
    answered &= plan.agent_group[np.maximum(out.agent, 0)] == 0
    begin = (out.entry + out.wait)[answered]
    end = begin + out.service[answered] + out.wrap_up[answered]
    on_calls = ((begin[None, :] <= starts[:, None]) & (starts[:, None] < end[None, :])).sum(1)
    on_blend = ((work[None, :, 3] <= starts[:, None])
                & (starts[:, None] < work[None, :, 4])).sum(1)
    idle_after = logged - on_calls - on_blend  # every start at that instant included
    assert (idle_after >= BLEND.reserve).all()
    assert (work[:, 6] > BLEND.reserve).all()  # the engine's own count agrees
    assert (starts < plan.horizon_seconds).all()


@pytest.mark.parametrize("seed", [1, 2])
def test_no_blended_work_starts_while_a_call_of_the_groups_skills_waits(seed):
    plan, draws, out = one_run(scenario(BLEND, rate=160.0), seed)
    starts = out.blend_work[:, 3]
    mine = out.call_type == 0  # the group's skill
    waiting_from = out.entry[mine]
    waiting_to = waiting_from + out.wait[mine]
    waits = ((waiting_from[None, :] < starts[:, None])
             & (starts[:, None] < waiting_to[None, :])).any(axis=1)
    assert not waits.any()
    # calls of the other group's skill do wait while blended work starts (busy load)
    other = out.call_type == 1
    assert out.wait[other].max() > 0


def test_work_is_conserved():
    plan, draws, out = one_run(scenario(BLEND), 5)
    work = out.blend_work
    backlog = work[work[:, 2] == _blend.BACKLOG]
    items = backlog[:, 5].astype(int)
    assert np.unique(items).size == items.size  # each item done at most once
    arrivals = draws.blend[0].backlog_arrival
    assert (backlog[:, 3] >= arrivals[items]).all()  # never before it arrived
    # oldest first: items are started in order of arrival
    assert (np.diff(items) > 0).all()
    outbound = work[work[:, 2] != _blend.BACKLOG]
    assert (outbound[:, 5] == -1).all()
    missed = outbound[outbound[:, 2] == _blend.OUTBOUND_MISSED]
    assert np.allclose(missed[:, 4] - missed[:, 3], OUTBOUND.attempt_seconds)
    # no agent does two things at once: blended pieces and calls of one agent never overlap
    answered = out.status == engine.ANSWERED
    begin = out.entry + out.wait
    for a in np.unique(work[:, 0]).astype(int):
        spans = [(s, e) for s, e in work[work[:, 0] == a][:, 3:5]]
        calls = answered & (out.agent == a)
        spans += list(zip(begin[calls], begin[calls] + out.service[calls] + out.wrap_up[calls],
                          strict=True))
        spans.sort()
        assert all(e <= s2 + 1e-9 for (_, e), (s2, _) in zip(spans, spans[1:], strict=False))

    result = simulate(scenario(BLEND), seed=5, replications=3)
    frame = result.blend
    assert (frame["attempts"] >= frame["connected"]).all()
    assert (frame["backlog_done"] + frame["backlog_left"] == frame["backlog_arrived"]).all()
    assert (frame["backlog_on_time"] <= frame["backlog_done"]).all()
    total = frame[["occupancy_inbound", "occupancy_outbound", "occupancy_backlog"]].sum(axis=1)
    # with outbound always there, never more than the reserve idle: occupancy >= 1 - 2 / 12
    assert (total <= 1 + 1e-9).all() and (total >= 1 - 2 / 12 - 1e-9).all()


def test_a_reserve_as_large_as_the_group_blends_nothing_and_changes_nothing():
    plain = simulate(scenario(None), seed=7, replications=2)
    kept = simulate(scenario(Blend(reserve=12, outbound=OUTBOUND)), seed=7, replications=2)
    assert (kept.blend[["attempts", "backlog_done"]].to_numpy() == 0).all()
    assert kept.calls.equals(plain.calls)
    assert kept.summary().equals(plain.summary())


def test_blending_leaves_the_inbound_draws_alone_and_costs_service_level():
    plain = simulate(scenario(None), seed=8, replications=4)
    blended = simulate(scenario(BLEND), seed=8, replications=4)
    cols = ["arrival_seconds", "service_seconds", "call_type"]
    a, b = plain.calls, blended.calls
    assert np.array_equal(a["arrival_seconds"], b["arrival_seconds"])
    assert a.loc[a["outcome"] == "answered", cols[1]].sum() > 0
    # the same callers, fewer agents free for them
    assert blended.summary()["service_level"].iloc[0] < plain.summary()["service_level"].iloc[0]


# ---------------------------------------------------------------- against formulas
def test_without_inbound_attempts_are_agents_beyond_the_reserve_times_horizon_over_attempt():
    # connect_rate 0: every attempt takes attempt_seconds exactly, 3 agents blend all
    # the time from 0 to 1 h: 3 * 3600 / 30 = 360 attempts, outbound occupancy 3 / 5
    s = scenario(Blend(reserve=2, outbound=Outbound(0.0, 240, 30)), rate=0.0, agents=5, hours=1)
    frame = simulate(s, seed=1, replications=2).blend
    assert (frame["attempts"] == 360).all()
    assert (frame["connected"] == 0).all()
    assert np.allclose(frame["occupancy_outbound"], 0.6)


def test_without_inbound_connects_follow_the_connect_rate_and_the_renewal_rate():
    # renewal: an agent makes 1 / (p * talk + (1 - p) * attempt) attempts per second
    s = scenario(Blend(reserve=1, outbound=OUTBOUND), rate=0.0, agents=4, hours=8)
    frame = simulate(s, seed=3, replications=10).blend
    attempts, connected = frame["attempts"].sum(), frame["connected"].sum()
    p = OUTBOUND.connect_rate
    assert abs(connected / attempts - p) <= Z * np.sqrt(p * (1 - p) / attempts)
    mean_seconds = p * OUTBOUND.talk_seconds + (1 - p) * OUTBOUND.attempt_seconds
    expected = 3 * 8 * 3600 / mean_seconds * 10
    cv2 = (p * 2 * OUTBOUND.talk_seconds ** 2 + (1 - p) * OUTBOUND.attempt_seconds ** 2) \
        / mean_seconds ** 2 - 1  # squared coefficient of variation of an attempt's time
    assert abs(attempts - expected) <= Z * np.sqrt(expected * cv2) + 3 * 10  # + edge effects


def test_backlog_items_arrive_as_poisson_and_are_done_on_time_with_spare_agents():
    s = scenario(Blend(reserve=1, backlog=Backlog(items_per_hour=20, work_seconds=300,
                                                  due_hours=1)), rate=0.0, agents=4, hours=8)
    frame = simulate(s, seed=4, replications=10).blend
    arrived = frame["backlog_arrived"].sum()
    assert abs(arrived - 20 * 8 * 10) <= Z * np.sqrt(20 * 8 * 10)
    assert (frame["attempts"] == 0).all()
    # 3 agents for 20 items of 5 min an hour: nearly all done, nearly all on time
    assert frame["backlog_left"].sum() <= 0.01 * arrived
    assert frame["backlog_on_time"].sum() >= 0.99 * frame["backlog_done"].sum()
    occupancy = frame["occupancy_backlog"].mean()
    assert abs(occupancy - 20 * 300 / 3600 / 4) < 0.05


def test_blend_results_are_the_same_in_worker_processes():
    s = scenario(BLEND, hours=4)
    serial = simulate(s, seed=2, replications=4, executor="serial")
    pooled = simulate(s, seed=2, replications=4, executor="processes")
    assert pooled.blend.equals(serial.blend)
    assert pooled.calls.equals(serial.calls)


# ---------------------------------------------------------------- blend_summary
def test_blend_summary_gives_means_and_confidence_intervals_of_the_blend_table():
    result = simulate(scenario(BLEND), seed=1, replications=5)
    table, summary = result.blend, result.blend_summary()
    assert summary.index.tolist() == ["g"] and summary.index.name == "group"
    row = summary.loc["g"]
    t = stats.t.ppf(0.975, 4)
    for name in ("attempts", "connected", "backlog_arrived", "backlog_done", "backlog_on_time",
                 "backlog_left"):
        values = table[name].to_numpy(dtype=float)
        assert row[name] == pytest.approx(values.mean(), rel=1e-12)
        assert row[f"{name}_ci"] == pytest.approx(t * values.std(ddof=1) / np.sqrt(5),
                                                  rel=1e-9)
    # ratios of means: occupancy by activity from the time on each over the logged-in time
    staffed = table["staffed_hours"].to_numpy()
    for activity in ("inbound", "outbound", "backlog"):
        seconds = table[f"occupancy_{activity}"].to_numpy() * staffed
        ratio = seconds.mean() / staffed.mean()
        assert row[f"occupancy_{activity}"] == pytest.approx(ratio, rel=1e-12)
        spread = (seconds - ratio * staffed).std(ddof=1)
        assert row[f"occupancy_{activity}_ci"] == pytest.approx(
            t * spread / np.sqrt(5) / staffed.mean(), rel=1e-9)
    assert row["occupancy"] == pytest.approx(
        row[["occupancy_inbound", "occupancy_outbound", "occupancy_backlog"]].sum(), rel=1e-12)
    assert 0 < row["occupancy"] <= 1
    assert row["connect_rate"] == pytest.approx(row["connected"] / row["attempts"], rel=1e-12)
    assert row["p_on_time"] == pytest.approx(row["backlog_on_time"] / row["backlog_arrived"],
                                             rel=1e-12)
    # the inbound service level of its skill, as summary() gives it (only "g" answers "a")
    assert row["inbound_service_level"] == pytest.approx(
        result.summary().loc["a", "service_level"], rel=1e-12)
    assert row["inbound_service_level_ci"] == pytest.approx(
        result.summary().loc["a", "service_level_ci"], rel=1e-9)


def test_blend_summary_is_empty_without_blend_and_zero_when_the_reserve_is_everyone():
    plain = simulate(scenario(None), seed=2, replications=3)
    assert plain.blend_summary().empty
    idle = simulate(scenario(Blend(reserve=12, outbound=OUTBOUND)), seed=2, replications=3)
    row = idle.blend_summary().loc["g"]
    assert row["attempts"] == 0 and row["attempts_ci"] == 0
    assert row["occupancy_outbound"] == 0 and row["occupancy_backlog"] == 0
    assert row["occupancy"] == pytest.approx(row["occupancy_inbound"], rel=1e-12)
