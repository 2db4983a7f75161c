"""Tests of ccsim.roster: the contract, an independent checker, brute-force optima,
determinism, reasons for infeasibility and bad input.

The checker below recomputes every hard rule and the objective from ``roster.table``
and the inputs alone (runs by ``itertools.groupby``, weekends by ISO week, rest from
clock times), sharing no code with ``ccsim._roster``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from ccsim._validation import CCSimError, CCSimInputError
from ccsim.roster import Agent, Roster, RosterInfeasible, RosterShift, ShiftRequest, build_roster

START = "2027-02-01"  # a Monday


# --- the independent checker ----------------------------------------------------------

def _clock(text):
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def row_violations(row, agent, shifts, start, min_rest_hours=11):
    """Every hard rule one agent's row (shift names, "" off) breaks, as strings."""
    by_name = {s.name: s for s in shifts}
    days, out = len(row), []
    leave = set()
    for value in agent.days_off:
        leave.add(value if isinstance(value, int) else
                  (pd.Timestamp(value) - pd.Timestamp(start)).days)
    out += [f"leave {d}" for d in leave if row[d] != ""]
    for d in range(days):
        for gap in (1, 2):
            if d + gap < days and row[d] and row[d + gap]:
                first, second = by_name[row[d]], by_name[row[d + gap]]
                rest = gap * 1440 + _clock(second.start) - _clock(first.start) - first.minutes
                if rest < min_rest_hours * 60 or (
                        gap == 1 and second.name in first.not_followed_by):
                    out.append(f"succession {d}")
    for name, most in agent.max_shifts.items():
        if row.count(name) > most:
            out.append(f"max_shifts {name}")
    minutes = sum(by_name[v].minutes for v in row if v)
    if minutes < agent.min_minutes or (
            agent.max_minutes is not None and minutes > agent.max_minutes):
        out.append("minutes")
    position = 0
    for working, group in itertools.groupby(row, key=bool):
        length = len(list(group))
        inner = position > 0 and position + length < days
        if working and agent.max_consecutive_shifts is not None and (
                length > agent.max_consecutive_shifts):
            out.append("max_consecutive_shifts")
        if inner and working and length < agent.min_consecutive_shifts:
            out.append("min_consecutive_shifts")
        if inner and not working and length < agent.min_consecutive_days_off:
            out.append("min_consecutive_days_off")
        position += length
    dates = pd.date_range(start, periods=days)
    weeks = {dates[d].isocalendar()[:2] for d in range(days)
             if row[d] and dates[d].weekday() >= 5}
    if agent.max_weekends is not None and len(weeks) > agent.max_weekends:
        out.append("max_weekends")
    return out


def cover_records(cover, start=START):
    """The cover as (day offset, shift, skill or None, required, under, over weights)."""
    out = []
    for record in cover.to_dict("records"):
        skill = record.get("skill")
        day = record["day"] if isinstance(record["day"], int) else (
            pd.Timestamp(record["day"]) - pd.Timestamp(start)).days
        out.append((day, record["shift"], skill if isinstance(skill, str) else None,
                    record["required"], record["under_weight"], record["over_weight"]))
    return out


def cost(rows, agents, records, requests=()):
    """The objective of a table given as {agent name: row}."""
    total = 0
    for day, shift, skill, required, under_weight, over_weight in records:
        assigned = sum(1 for agent in agents if rows[agent.name][day] == shift
                       and (skill is None or agent.skills is None or skill in agent.skills))
        total += under_weight * max(required - assigned, 0)
        total += over_weight * max(assigned - required, 0)
    for request in requests:
        value = rows[request.agent][request.day]
        given_ = bool(value) if request.shift is None else value == request.shift
        total += request.weight * (given_ != request.wanted)
    return total


def check(roster, agents, shifts, cover, requests=(), start=START, min_rest_hours=11):
    """Assert that every hard rule holds and the objective is the table's cost."""
    assert list(roster.table.index) == [a.name for a in agents]
    rows = {name: list(roster.table.loc[name]) for name in roster.table.index}
    for agent in agents:
        assert set(rows[agent.name]) <= {s.name for s in shifts} | {""}
        assert row_violations(rows[agent.name], agent, shifts, start, min_rest_hours) == []
    assert roster.objective == cost(rows, agents, cover_records(cover, start), requests)
    assert roster.objective == pytest.approx(roster.penalties["cost"].sum())
    assert roster.bound <= roster.objective + 1e-9


def brute_force(agents, shifts, cover, days, requests=(), start=START, min_rest_hours=11):
    """The least cost over every table (None when no table meets the hard rules)."""
    options = [""] + [s.name for s in shifts]
    feasible = []
    for agent in agents:
        rows = [list(r) for r in itertools.product(options, repeat=days)
                if not row_violations(list(r), agent, shifts, start, min_rest_hours)]
        if not rows:
            return None
        feasible.append(rows)
    records = cover_records(cover, start)
    return min(cost(dict(zip([a.name for a in agents], combo, strict=True)), agents, records,
                    requests)
               for combo in itertools.product(*feasible))


# --- the contract ---------------------------------------------------------------------

ELN = [RosterShift("E", start="07:00", minutes=480, not_followed_by=["N"]),
       RosterShift("L", start="14:00", minutes=480),
       RosterShift("N", start="22:00", minutes=480, not_followed_by=["E", "L"])]


def contract_instance():
    agents = [Agent("Ana", max_shifts={"N": 4}, min_minutes=3360, max_minutes=4800,
                    max_consecutive_shifts=5, min_consecutive_shifts=2,
                    min_consecutive_days_off=2, max_weekends=2, days_off=[0, 13])]
    for i, name in enumerate(["Ben", "Cleo", "Dan", "Eva", "Finn"]):
        agents.append(Agent(name, max_shifts={"N": 3}, min_minutes=2880, max_minutes=4800,
                            max_consecutive_shifts=5, min_consecutive_shifts=2,
                            min_consecutive_days_off=2, max_weekends=1,
                            days_off=[i + 2], skills=["fr"] if i < 2 else ["en"]))
    rows = [(d, s, r) for d in range(14) for s, r in (("E", 2), ("L", 2), ("N", 1))]
    cover = pd.DataFrame({"day": [r[0] for r in rows], "shift": [r[1] for r in rows],
                          "required": [r[2] for r in rows], "under_weight": 100,
                          "over_weight": 1})
    requests = [ShiftRequest("Ana", day=3, shift="E", wanted=True, weight=2),
                ShiftRequest("Ana", day=9, shift="L", wanted=False, weight=3)]
    return agents, cover, requests


def test_contract_runs_and_meets_every_rule():
    agents, cover, requests = contract_instance()
    roster = build_roster(agents, ELN, cover, days=14, start=START, requests=requests,
                          time_limit_seconds=60, seed=0)
    assert isinstance(roster, Roster)
    assert roster.status in ("optimal", "feasible")
    assert roster.table.shape == (6, 14) and list(roster.table.columns) == list(range(14))
    assert list(roster.penalties.columns) == ["kind", "agent", "day", "shift", "amount", "cost"]
    check(roster, agents, ELN, cover, requests)
    assert roster.table.loc["Ana", 0] == "" and roster.table.loc["Ana", 13] == ""
    hours = roster.hours
    assert list(hours.index) == [a.name for a in agents]
    assert (hours["minutes"] == (roster.table != "").sum(axis=1) * 480).all()
    assert (hours["nights"] == (roster.table == "N").sum(axis=1)).all()
    coverage = roster.coverage
    assert (coverage["under"] - coverage["over"] == coverage["required"]
            - coverage["assigned"]).all()
    assert repr(roster).startswith("Roster(6 agents x 14 days from 2027-02-01")


def test_same_input_and_seed_give_the_same_roster():
    agents, cover, requests = contract_instance()
    first, second = (build_roster(agents, ELN, cover, days=14, start=START, requests=requests,
                                  seed=3, deterministic_limit=0.5) for _ in range(2))
    pd.testing.assert_frame_equal(first.table, second.table)
    assert (first.objective, first.bound, first.status) == (
        second.objective, second.bound, second.status)


def test_import_ccsim_does_not_import_ortools():
    code = ("import sys, ccsim, ccsim.roster; "
            "assert 'ortools' not in sys.modules, 'ortools imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


# --- brute force on tiny instances ----------------------------------------------------

def test_cover_skills_and_requests_match_brute_force():
    shifts = [RosterShift("D", start="08:00", minutes=480),
              RosterShift("N", start="20:00", minutes=600)]
    agents = [Agent("a", max_consecutive_shifts=2, skills=["vip"], max_shifts={"N": 1}),
              Agent("b", min_minutes=960, min_consecutive_days_off=2),
              Agent("c", days_off=[dt.date(2027, 2, 6)], max_weekends=0)]
    cover = pd.DataFrame({"day": [0, 1, 1, 2, "2027-02-07"], "shift": ["D", "D", "N", "N", "D"],
                          "skill": ["vip", None, None, "vip", None],
                          "required": [1, 2, 1, 1, 3], "under_weight": [5, 3, 4, 2, 1],
                          "over_weight": [1, 0, 2, 1, 1]})
    requests = [ShiftRequest("a", day=1, shift="N", wanted=True, weight=3),
                ShiftRequest("b", day=0, shift=None, wanted=False, weight=2)]
    roster = build_roster(agents, shifts, cover, days=3, start="2027-02-05", requests=requests)
    check(roster, agents, shifts, cover, requests, start="2027-02-05")
    assert roster.status == "optimal"
    assert roster.objective == brute_force(agents, shifts, cover, 3, requests, "2027-02-05")
    assert "skill" in roster.penalties.columns and "skill" in roster.coverage.columns


SHIFT_POOL = [("06:00", 480), ("14:00", 480), ("22:00", 600), ("09:00", 240)]


@st.composite
def instances(draw):
    n_shifts = draw(st.integers(1, 2))
    n_agents = draw(st.integers(1, 3))
    most_days = {1: {1: 8, 2: 6, 3: 4}, 2: {1: 5, 2: 4, 3: 3}}[n_shifts][n_agents]
    days = draw(st.integers(2, most_days))
    picked = draw(st.lists(st.sampled_from(SHIFT_POOL), min_size=n_shifts,
                           max_size=n_shifts, unique=True))
    names = ["S", "T"][:n_shifts]
    shifts = [RosterShift(name, start=start, minutes=minutes,
                          not_followed_by=draw(st.lists(st.sampled_from(names), unique=True)))
              for name, (start, minutes) in zip(names, picked, strict=True)]
    agents = []
    for i in range(n_agents):
        low = draw(st.sampled_from([0, 240, 480, 960]))
        high = draw(st.sampled_from([None, 960, 1440, 2400]))
        high = None if high is not None and high < low else high
        max_run = draw(st.sampled_from([None, 1, 2, 3]))
        min_run = draw(st.integers(1, 3 if max_run is None else min(3, max_run)))
        agents.append(Agent(
            f"a{i}", max_shifts=draw(st.dictionaries(st.sampled_from(names), st.integers(0, 3))),
            min_minutes=low, max_minutes=high, max_consecutive_shifts=max_run,
            min_consecutive_shifts=min_run, min_consecutive_days_off=draw(st.integers(1, 3)),
            max_weekends=draw(st.sampled_from([None, 0, 1])),
            days_off=draw(st.lists(st.integers(0, days - 1), unique=True, max_size=2)),
            skills=draw(st.sampled_from([None, ["x"], ["y"], ["x", "y"]]))))
    cells = draw(st.lists(st.tuples(st.integers(0, days - 1), st.sampled_from(names)),
                          unique=True, min_size=1, max_size=6))
    cover = pd.DataFrame({"day": [c[0] for c in cells], "shift": [c[1] for c in cells],
                          "required": [draw(st.integers(0, 3)) for _ in cells],
                          "under_weight": [draw(st.integers(0, 9)) for _ in cells],
                          "over_weight": [draw(st.integers(0, 3)) for _ in cells]})
    if draw(st.booleans()) and any(a.skills is None or "x" in a.skills for a in agents):
        cover["skill"] = [draw(st.sampled_from([None, "x"])) for _ in cells]
    requests = [ShiftRequest(f"a{draw(st.integers(0, n_agents - 1))}",
                             day=draw(st.integers(0, days - 1)),
                             shift=draw(st.sampled_from([None, *names])),
                             wanted=draw(st.booleans()), weight=draw(st.integers(0, 5)))
                for _ in range(draw(st.integers(0, 3)))]
    start = draw(st.sampled_from(["2027-02-05", "2027-02-06", "2027-02-01"]))
    rest = draw(st.sampled_from([0, 11]))
    return agents, shifts, cover, days, requests, start, rest


@settings(max_examples=150, deadline=None)
@given(instances())
def test_random_instances_meet_the_checker_and_the_brute_force_optimum(instance):
    agents, shifts, cover, days, requests, start, rest = instance
    best = brute_force(agents, shifts, cover, days, requests, start, rest)
    try:
        roster = build_roster(agents, shifts, cover, days=days, start=start,
                              requests=requests, min_rest_hours=rest)
    except RosterInfeasible as error:
        event("infeasible")
        assert best is None, f"{error} but a table of cost {best} exists"
        assert error.reasons
        return
    check(roster, agents, shifts, cover, requests, start, rest)
    assert roster.status == "optimal"
    assert roster.objective == best == roster.bound


def test_min_rest_hours_forbids_late_then_early():
    shifts = [RosterShift("E", start="07:00", minutes=480),
              RosterShift("L", start="14:00", minutes=480)]
    agents = [Agent("a")]
    cover = pd.DataFrame({"day": [0, 1], "shift": ["L", "E"], "required": [1, 1],
                          "under_weight": [5, 4], "over_weight": [0, 0]})
    assert build_roster(agents, shifts, cover, days=2, start=START).objective == 4
    loose = build_roster(agents, shifts, cover, days=2, start=START, min_rest_hours=9)
    assert loose.objective == 0 and list(loose.table.loc["a"]) == ["L", "E"]


# --- infeasibility and its reasons -----------------------------------------------------

def one_shift_cover(days):
    return pd.DataFrame({"day": list(range(days)), "shift": "D", "required": 1,
                         "under_weight": 1, "over_weight": 1})


DAY = [RosterShift("D", start="09:00", minutes=480)]


def test_min_minutes_that_cannot_fit_after_leave_is_named_without_solving():
    agents = [Agent("ok"), Agent("Ana", min_minutes=5 * 480, days_off=[0, 1, 2, 3],
                                 max_consecutive_shifts=3)]
    with pytest.raises(RosterInfeasible, match=r"agent 'Ana': min_minutes=2400 cannot fit: "
                       r"7 days, days_off on days 0-3, so at most 3 working days") as info:
        build_roster(agents, DAY, one_shift_cover(7), days=7, start=START)
    assert len(info.value.reasons) == 1 and "'ok'" not in str(info.value)


def test_weekends_against_min_minutes_found_by_cp_sat():
    agents = [Agent("Bo", min_minutes=6 * 480, max_weekends=0), Agent("ok")]
    with pytest.raises(RosterInfeasible, match=r"agent 'Bo'.*min_minutes=2880; "
                       r"max_weekends=0 \(weekends on days 5-6\)") as info:
        build_roster(agents, DAY, one_shift_cover(7), days=7, start=START)
    assert len(info.value.reasons) == 1


def test_succession_against_min_minutes():
    night = [RosterShift("N", start="22:00", minutes=480, not_followed_by=["N"])]
    cover = pd.DataFrame({"day": [0], "shift": ["N"], "required": [1], "under_weight": [1],
                          "over_weight": [1]})
    with pytest.raises(RosterInfeasible, match=r"agent 'Cy'.*not_followed_by / min_rest_hours "
                       r"\(forbidden: N->N\); min_minutes=1440"):
        build_roster([Agent("Cy", min_minutes=3 * 480)], night, cover, days=4, start=START)


def test_minimum_runs_of_days_off_around_leave():
    agents = [Agent("Di", min_minutes=3 * 480, min_consecutive_days_off=3, days_off=[2])]
    with pytest.raises(RosterInfeasible, match=r"agent 'Di'.*days_off on days 2; "
                       r"min_minutes=1440; min_consecutive_days_off=3"):
        build_roster(agents, DAY, one_shift_cover(5), days=5, start=START)


def test_minimum_runs_of_shifts_against_max_shifts():
    agents = [Agent("Ed", max_shifts={"D": 1}, min_minutes=480, min_consecutive_shifts=2,
                    days_off=[0, 3])]
    with pytest.raises(RosterInfeasible, match=r"agent 'Ed'.*days_off on days 0, 3; "
                       r"max_shifts=\{'D': 1\}; min_minutes=480; min_consecutive_shifts=2"):
        build_roster(agents, DAY, one_shift_cover(4), days=4, start=START)


def test_max_minutes_against_max_consecutive_and_min_days_off():
    agents = [Agent("Fa", max_consecutive_shifts=1, max_minutes=480, min_minutes=480,
                    min_consecutive_days_off=2)]
    roster = build_roster(agents, DAY, one_shift_cover(3), days=3, start=START)
    assert (roster.table != "").sum(axis=1).iloc[0] == 1


def test_runs_touching_the_horizon_ends_are_exempt():
    agents = [Agent("Gi", min_consecutive_shifts=3, min_consecutive_days_off=3,
                    min_minutes=480, max_minutes=480)]
    cover = pd.DataFrame({"day": [0, 4], "shift": ["D", "D"], "required": [1, 1],
                          "under_weight": [2, 1], "over_weight": [0, 0]})
    roster = build_roster(agents, DAY, cover, days=5, start=START)
    assert list(roster.table.loc["Gi"]) == ["D", "", "", "", ""] and roster.objective == 1


# --- bad input -------------------------------------------------------------------------

def call(**changes):
    arguments = dict(agents=[Agent("a")], shifts=DAY, cover=one_shift_cover(3), days=3,
                     start=START)
    arguments.update(changes)
    return build_roster(**arguments)


@pytest.mark.parametrize(("make", "match"), [
    (lambda: Agent(""), r"Agent.name must be a non-empty string; got ''"),
    (lambda: Agent("a", min_minutes=-1), r"Agent 'a': min_minutes must be a number of minutes"),
    (lambda: Agent("a", min_minutes=600, max_minutes=500),
     r"Agent 'a': max_minutes must be >= min_minutes \(600\); got 500"),
    (lambda: Agent("a", max_consecutive_shifts=2, min_consecutive_shifts=3),
     r"min_consecutive_shifts must be <= max_consecutive_shifts \(2\); got 3"),
    (lambda: Agent("a", max_consecutive_shifts=0), r"max_consecutive_shifts must be a whole "
                                                   r"number in \[1, 100000\]"),
    (lambda: Agent("a", max_weekends=1.5), r"max_weekends must be a whole number"),
    (lambda: Agent("a", max_shifts={"D": -1}), r"max_shifts\['D'\] must be a whole number"),
    (lambda: Agent("a", days_off="monday"), r"days_off must be a list of days"),
    (lambda: Agent("a", skills="vip"), r"skills must be a list of names"),
    (lambda: RosterShift("E", start="7am", minutes=480), r"start must be a clock time 'HH:MM'"),
    (lambda: RosterShift("E", start="25:00", minutes=480), r"got '25:00'"),
    (lambda: RosterShift("E", start="07:00", minutes=0), r"minutes must be in \(0, 1440\]"),
    (lambda: RosterShift("E", start="07:00", minutes=480, not_followed_by="N"),
     r"not_followed_by must be a list of names"),
    (lambda: ShiftRequest("a", day=0, weight=-2), r"weight must be a whole number in \[0, 1e"),
    (lambda: ShiftRequest("a", day=0, weight=0.5), r"weight must be a whole number"),
    (lambda: ShiftRequest("a", day=0, wanted="yes"), r"wanted must be True or False"),
    (lambda: call(agents=[]), r"agents must not be empty"),
    (lambda: call(agents=[Agent("a"), Agent("a")]), r"agents must have unique names; \['a'\]"),
    (lambda: call(agents=["a"]), r"agents\[0\] must be a Agent; got 'a'"),
    (lambda: call(shifts=DAY + DAY), r"shifts must have unique names; \['D'\]"),
    (lambda: call(shifts=[RosterShift("D", "09:00", 480, not_followed_by=["X"])]),
     r"not_followed_by names 'X', not a shift; valid: \['D'\]"),
    (lambda: call(agents=[Agent("a", max_shifts={"X": 1})]),
     r"Agent 'a': max_shifts names 'X', not a shift"),
    (lambda: call(agents=[Agent("a", days_off=[3])]),
     r"days_off\[0\] must be a day offset in \[0, 2\] or a date from 2027-02-01 to "
     r"2027-02-03; got 3"),
    (lambda: call(agents=[Agent("a", days_off=["2027-02-30"])]), r"got '2027-02-30'"),
    (lambda: call(days=0), r"days must be a whole number in \[1, 3660\]; got 0"),
    (lambda: call(start="Feb 30"), r"start must be a date"),
    (lambda: call(start="2027-02-01 10:00"), r"start must be a date"),
    (lambda: call(cover=[1, 2]), r"cover must be a DataFrame"),
    (lambda: call(cover=one_shift_cover(3).drop(columns="over_weight")),
     r"cover lacks the columns \['over_weight'\]"),
    (lambda: call(cover=one_shift_cover(3).assign(shift="X")),
     r"cover row 0: shift 'X' is not a shift; valid: \['D'\]"),
    (lambda: call(cover=one_shift_cover(3).assign(day=[0, 1, 5])),
     r"cover row 2: day must be a day offset in \[0, 2\]"),
    (lambda: call(cover=one_shift_cover(3).assign(day=0)),
     r"cover has several rows for day=0, shift='D'"),
    (lambda: call(cover=one_shift_cover(3).assign(required=-1)),
     r"cover row 0: required must be a whole number of agents >= 0; got -1"),
    (lambda: call(cover=one_shift_cover(3).assign(under_weight=-1)),
     r"cover row 0: under_weight must be a whole number in \[0, 1e\+09\]"),
    (lambda: call(agents=[Agent("a", skills=["fr"])],
                  cover=one_shift_cover(3).assign(skill="vip")),
     r"cover row 0: skill 'vip' is held by no agent; agents' skills: \['fr'\]"),
    (lambda: call(requests=[ShiftRequest("z", day=0)]),
     r"requests\[0\]: agent 'z' is not among the agents; valid: \['a'\]"),
    (lambda: call(requests=[ShiftRequest("a", day=0, shift="X")]),
     r"requests\[0\]: shift 'X' is not a shift"),
    (lambda: call(requests=[ShiftRequest("a", day=-1)]), r"requests\[0\]: day must be"),
    (lambda: call(time_limit_seconds=0), r"time_limit_seconds must be a finite number in "
                                         r"\(0, inf\)"),
    (lambda: call(seed=-1), r"seed must be a whole number in \[0, 2\*\*31 - 1\]; got -1"),
    (lambda: call(min_rest_hours=50), r"min_rest_hours must be a finite number in \[0, 48\]"),
    (lambda: call(deterministic_limit=0), r"deterministic_limit must be a finite number"),
    (lambda: call(days=3000, agents=[Agent(f"a{i}") for i in range(1000)]),
     r"agents x days x shifts.*3e\+06"),
])
def test_bad_input_is_refused_with_a_message(make, match):
    with pytest.raises(CCSimInputError, match=match):
        make()


def test_errors_are_ccsim_errors():
    assert issubclass(RosterInfeasible, CCSimError)
    assert issubclass(CCSimInputError, ValueError)
