"""Tests of the roster's rules beyond the contract: the previous roster's last days
(``previous=``), weekly minutes, weekends in pairs and fairness spreads
(:class:`RosterWeights`), the progress callback and the short-cover warning.

The checker below is independent of ``ccsim._roster``: it joins the previous days and
the horizon into one row and recomputes every hard rule (runs by ``itertools.groupby``,
weeks by ISO calendar, rest from clock times) and the whole objective from
``roster.table``; random small instances are compared with the brute-force optimum.
"""

from __future__ import annotations

import itertools
import warnings

import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from ccsim._validation import CCSimInputError
from ccsim.roster import (
    Agent,
    RosterInfeasible,
    RosterShift,
    RosterWarning,
    RosterWeights,
    ShiftRequest,
    build_roster,
)

START = "2027-02-01"  # a Monday


def _clock(text):
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _kind(shift):
    """'night' (>= 3 h in 23:00-06:00), 'late' (ends after 20:00) or ''."""
    start, end = _clock(shift.start), _clock(shift.start) + shift.minutes
    inside = sum(max(0, min(end, m + 360) - max(start, m - 60)) for m in (0, 1440, 2880))
    return "night" if inside >= 180 else "late" if end > 1200 else ""


def violations(history, row, agent, shifts, start, rest_hours):
    """Every hard rule broken by one agent's history (oldest first) + row, as strings."""
    by_name = {s.name: s for s in shifts}
    known = len(history)
    full = list(history) + list(row)
    dates = pd.date_range(pd.Timestamp(start) - pd.Timedelta(days=known), periods=len(full))
    out = [f"leave {d}" for d in agent.days_off if row[d] != ""]
    for i in range(len(full)):
        for gap in (1, 2):
            j = i + gap
            if j < len(full) and j >= known and full[i] and full[j]:
                first, second = by_name[full[i]], by_name[full[j]]
                rest = gap * 1440 + _clock(second.start) - _clock(first.start) - first.minutes
                if rest < rest_hours * 60 or (gap == 1 and second.name in first.not_followed_by):
                    out.append(f"succession {i - known}")
    for name, most in agent.max_shifts.items():
        if row.count(name) > most:
            out.append(f"max_shifts {name}")
    minutes = sum(by_name[v].minutes for v in row if v)
    if minutes < agent.min_minutes or (
            agent.max_minutes is not None and minutes > agent.max_minutes):
        out.append("minutes")
    position = 0
    for working, group in itertools.groupby(full, key=bool):
        length = len(list(group))
        end = position + length  # one past the run's last day, in `full`
        inner = position > 0 and end < len(full)
        if working and agent.max_consecutive_shifts is not None and end > known and (
                length > agent.max_consecutive_shifts):
            out.append("max_consecutive_shifts")
        if inner and end >= known:  # the day after the run is in the horizon
            if working and length < agent.min_consecutive_shifts:
                out.append("min_consecutive_shifts")
            if not working and length < agent.min_consecutive_days_off:
                out.append("min_consecutive_days_off")
        position = end
    weekends = {}
    for i, date in enumerate(dates):
        if date.weekday() >= 5:
            weekends.setdefault(date.isocalendar()[:2], []).append(i)
    touching = [w for w in weekends.values() if max(w) >= known]
    if agent.max_weekends is not None and sum(
            any(full[i] for i in w) for w in touching) > agent.max_weekends:
        out.append("max_weekends")
    weeks = {}
    for i, date in enumerate(dates):
        weeks.setdefault(date.isocalendar()[:2], []).append(i)
    for week in weeks.values():
        inside = sum(by_name[full[i]].minutes for i in week if i >= known and full[i])
        before = sum(by_name[full[i]].minutes for i in week if i < known and full[i])
        if not any(i >= known for i in week):
            continue
        if agent.max_minutes_per_week is not None and inside > max(
                agent.max_minutes_per_week - before, 0):
            out.append("max_minutes_per_week")
        whole = len(week) == 7 and min(week) >= known and (
            dates[week[0]].weekday() == 0)
        if whole and inside < agent.min_minutes_per_week:
            out.append("min_minutes_per_week")
    return out


def objective(rows, histories, agents, shifts, cover, requests, weights, start):
    """The objective of a table {agent: row}, every soft rule recomputed."""
    total = 0
    for record in cover.to_dict("records"):
        assigned = sum(1 for a in agents if rows[a.name][record["day"]] == record["shift"])
        total += record["under_weight"] * max(record["required"] - assigned, 0)
        total += record["over_weight"] * max(assigned - record["required"], 0)
    for request in requests:
        value = rows[request.agent][request.day]
        given_ = bool(value) if request.shift is None else value == request.shift
        total += request.weight * (given_ != request.wanted)
    by_name = {s.name: s for s in shifts}
    counts = {}
    for agent in agents:
        history, row = histories.get(agent.name, []), rows[agent.name]
        known = len(history)
        full = list(history) + list(row)
        dates = pd.date_range(pd.Timestamp(start) - pd.Timedelta(days=known), periods=len(full))
        for i, date in enumerate(dates):
            if date.weekday() == 5 and i + 1 < len(full) and i + 1 >= known:
                total += weights.split_weekend * (bool(full[i]) != bool(full[i + 1]))
        horizon = dates[known:]
        worked = {d.isocalendar()[:2] for d, v in zip(horizon, row, strict=True)
                  if v and d.weekday() >= 5}
        kinds = [_kind(by_name[v]) for v in row if v]
        counts[agent.name] = (len(worked), kinds.count("night"), kinds.count("late"))
    for contract in {a.contract for a in agents}:
        members = [counts[a.name] for a in agents if a.contract == contract]
        for k, weight in enumerate((weights.weekend_spread, weights.night_spread,
                                    weights.late_spread)):
            values = [m[k] for m in members]
            total += weight * (max(values) - min(values))
    return total


def check(roster, agents, shifts, cover, requests, weights, histories, start, rest):
    rows = {name: list(roster.table.loc[name]) for name in roster.table.index}
    for agent in agents:
        assert violations(histories.get(agent.name, []), rows[agent.name], agent, shifts,
                          start, rest) == []
    assert roster.objective == objective(rows, histories, agents, shifts, cover, requests,
                                         weights, start)
    assert roster.objective == pytest.approx(roster.penalties["cost"].sum())


def brute_force(agents, shifts, cover, days, requests, weights, histories, start, rest):
    options = [""] + [s.name for s in shifts]
    feasible = []
    for agent in agents:
        rows = [list(r) for r in itertools.product(options, repeat=days)
                if not violations(histories.get(agent.name, []), list(r), agent, shifts,
                                  start, rest)]
        if not rows:
            return None
        feasible.append(rows)
    names = [a.name for a in agents]
    return min(objective(dict(zip(names, combo, strict=True)), histories, agents, shifts,
                         cover, requests, weights, start)
               for combo in itertools.product(*feasible))


def previous_frame(histories, start):
    """previous= as a DataFrame: one row per agent with history (all of one length)."""
    known = max((len(h) for h in histories.values()), default=0)
    dates = pd.date_range(pd.Timestamp(start) - pd.Timedelta(days=known), periods=known)
    table = pd.DataFrame({date: [""] * len(histories) for date in dates},
                         index=list(histories))
    for name, history in histories.items():
        for k, value in enumerate(history):
            table.loc[name, dates[known - len(history) + k]] = value
    return table


SHIFTS = [RosterShift("E", "07:00", 480), RosterShift("L", "15:00", 480),
          RosterShift("N", "23:00", 480)]


@st.composite
def instances(draw):
    shifts = draw(st.sampled_from([SHIFTS[:2], [SHIFTS[0], SHIFTS[2]], SHIFTS[1:]]))
    names = [s.name for s in shifts]
    days = draw(st.integers(2, 4))
    n_agents = draw(st.integers(1, 2))
    start = draw(st.sampled_from(["2027-02-01", "2027-02-05", "2027-02-06", "2027-02-07"]))
    agents, histories = [], {}
    known = draw(st.integers(1, 4))  # days of previous= (the same for every agent in it)
    for i in range(n_agents):
        max_run = draw(st.sampled_from([None, 2, 3]))
        agents.append(Agent(
            f"a{i}", max_consecutive_shifts=max_run,
            min_consecutive_shifts=draw(st.integers(1, 2)),
            min_consecutive_days_off=draw(st.integers(1, 2)),
            max_weekends=draw(st.sampled_from([None, 0, 1])),
            max_minutes_per_week=draw(st.sampled_from([None, 480, 960, 1440])),
            min_minutes_per_week=draw(st.sampled_from([0, 0, 480])),
            days_off=draw(st.lists(st.integers(0, days - 1), unique=True, max_size=1)),
            contract=draw(st.sampled_from(["", "part"]))))
        if draw(st.booleans()):
            histories[f"a{i}"] = draw(st.lists(st.sampled_from(["", *names]), min_size=known,
                                               max_size=known))
    cells = draw(st.lists(st.tuples(st.integers(0, days - 1), st.sampled_from(names)),
                          unique=True, min_size=1, max_size=5))
    cover = pd.DataFrame({"day": [c[0] for c in cells], "shift": [c[1] for c in cells],
                          "required": [draw(st.integers(0, 2)) for _ in cells],
                          "under_weight": [draw(st.integers(0, 9)) for _ in cells],
                          "over_weight": [draw(st.integers(0, 2)) for _ in cells]})
    requests = [ShiftRequest(f"a{draw(st.integers(0, n_agents - 1))}",
                             day=draw(st.integers(0, days - 1)),
                             shift=draw(st.sampled_from([None, *names])),
                             wanted=draw(st.booleans()), weight=draw(st.integers(0, 4)))
                for _ in range(draw(st.integers(0, 2)))]
    weights = RosterWeights(*(draw(st.integers(0, 3)) for _ in range(4)))
    rest = draw(st.sampled_from([0, 11]))
    return agents, shifts, cover, days, requests, weights, histories, start, rest


@settings(max_examples=120, deadline=None)
@given(instances())
def test_random_instances_with_history_and_weights_meet_the_brute_force_optimum(instance):
    agents, shifts, cover, days, requests, weights, histories, start, rest = instance
    best = brute_force(agents, shifts, cover, days, requests, weights, histories, start, rest)
    previous = previous_frame(histories, start) if histories else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RosterWarning)
            roster = build_roster(agents, shifts, cover, days=days, start=start,
                                  requests=requests, min_rest_hours=rest, previous=previous,
                                  weights=weights)
    except RosterInfeasible as error:
        event("infeasible")
        assert best is None, f"{error} but a table of cost {best} exists"
        assert error.reasons
        return
    check(roster, agents, shifts, cover, requests, weights, histories, start, rest)
    assert roster.status == "optimal"
    assert roster.objective == best == roster.bound


# --- previous= ------------------------------------------------------------------------

def one_cover(days, shift="E", required=1):
    return pd.DataFrame({"day": list(range(days)), "shift": shift, "required": required,
                         "under_weight": 10, "over_weight": 1})


def test_rest_continues_across_the_start():
    # A night on the last day of the previous roster forbids an early on the first day.
    cover = one_cover(2)
    agents = [Agent("a")]
    free = build_roster(agents, SHIFTS, cover, days=2, start=START)
    assert list(free.table.loc["a"]) == ["E", "E"]
    previous = pd.DataFrame({"2027-01-31": ["N"]}, index=["a"])
    roster = build_roster(agents, SHIFTS, cover, days=2, start=START, previous=previous)
    assert list(roster.table.loc["a"]) == ["", "E"] and roster.objective == 10
    same = build_roster(agents, SHIFTS, cover, days=2, start=START,
                        previous=pd.DataFrame({-1: ["N"]}, index=["a"]))
    assert same.table.equals(roster.table)


def test_runs_of_working_days_continue_across_the_start():
    agents = [Agent("a", max_consecutive_shifts=5)]
    previous = pd.DataFrame({-k: ["E"] for k in range(4, 0, -1)}, index=["a"])
    roster = build_roster(agents, SHIFTS, one_cover(3), days=3, start=START,
                          previous=previous)
    row = list(roster.table.loc["a"])
    assert row.count("E") == 2 and not (row[0] and row[1]) and roster.objective == 10
    # a run of 1 at the end of the previous roster must reach 2 days
    agents = [Agent("a", min_consecutive_shifts=2)]
    previous = pd.DataFrame({-2: [""], -1: ["E"]}, index=["a"])
    cover = one_cover(3, required=0).assign(over_weight=5)  # work costs 5 a day
    roster = build_roster(agents, SHIFTS[:1], cover, days=3, start=START, previous=previous)
    assert list(roster.table.loc["a"]) == ["E", "", ""] and roster.objective == 5
    # unknown history (only one worked day known): the run touches the first known day
    previous = pd.DataFrame({-1: ["E"]}, index=["a"])
    roster = build_roster(agents, SHIFTS[:1], cover, days=3, start=START, previous=previous)
    assert roster.objective == 0


def test_a_previous_roster_is_accepted_and_used_for_its_days_before_start():
    agents = [Agent("a"), Agent("b")]
    january = build_roster(agents, SHIFTS, one_cover(7, "N"), days=7, start="2027-01-25")
    assert set(january.table.iloc[:, -1]) == {"N", ""}
    worker = january.table.index[january.table.iloc[:, -1] == "N"][0]
    roster = build_roster(agents, SHIFTS, one_cover(1, "E", 2), days=1, start=START,
                          previous=january)
    assert roster.table.loc[worker, 0] == "" and roster.objective == 10


def test_weekly_maximum_counts_the_previous_days_of_a_cut_week():
    # 2027-02-05 is a Friday: Monday-Thursday of its week come from previous=.
    agents = [Agent("a", max_minutes_per_week=5 * 480)]
    previous = pd.DataFrame({date: ["E"] for date in pd.date_range("2027-02-01", "2027-02-04")},
                            index=["a"])
    roster = build_roster(agents, SHIFTS, one_cover(3), days=3, start="2027-02-05",
                          previous=previous)
    assert list(roster.table.loc["a"]).count("E") == 1  # one shift left in that week
    assert roster.objective == 20


def test_weekly_minimum_only_for_weeks_inside_the_horizon():
    agents = [Agent("a", min_minutes_per_week=3 * 480)]
    cover = one_cover(14, required=0)  # every shift costs 1
    roster = build_roster(agents, SHIFTS[:1], cover, days=14, start="2027-02-03")  # a Wed
    row = list(roster.table.loc["a"])
    assert row[5:12].count("E") == 3  # the one whole week (Mon 8th - Sun 14th)
    assert roster.objective == 3


def test_split_weekends_and_spreads_are_priced():
    agents = [Agent("a"), Agent("b")]
    cover = pd.DataFrame({"day": [5, 6], "shift": "E", "required": 1, "under_weight": 10,
                          "over_weight": 5})
    split = build_roster(agents, SHIFTS[:1], cover, days=7, start=START,
                         weights=RosterWeights(split_weekend=3))
    assert split.objective == 0  # one agent works both days
    assert (split.table[5] == split.table[6]).all()
    both = build_roster(agents, SHIFTS[:1], cover, days=7, start=START,
                        weights=RosterWeights(split_weekend=3, weekend_spread=2))
    assert both.objective == 2  # someone works the weekend: a spread of 1
    kinds = set(both.penalties["kind"])
    assert kinds == {"weekend_spread"}
    assert both.penalties["day"].isna().all()
    fairness = both.fairness.set_index("measure")
    assert fairness.loc["weekends", "spread"] == 1


def test_night_and_late_spreads_share_the_shifts_within_a_contract():
    agents = [Agent("a", contract="full"), Agent("b", contract="full"),
              Agent("c", contract="part")]
    cover = pd.DataFrame({"day": range(7), "shift": "N", "required": [1, 0] * 3 + [1],
                          "under_weight": 10, "over_weight": 5})  # a night off-cover costs 5
    requests = [ShiftRequest("a", day=d, shift="N", wanted=True, weight=1) for d in (0, 2, 4, 6)]
    plain = build_roster(agents, SHIFTS, cover, days=7, start=START, requests=requests)
    assert plain.hours.loc["a", "nights"] == 4
    fair = build_roster(agents, SHIFTS, cover, days=7, start=START, requests=requests,
                        weights=RosterWeights(night_spread=3))
    nights = fair.hours["nights"]
    assert nights["a"] == nights["b"] == 2 and nights["c"] == 0
    assert fair.objective == 2  # two requests refused; no spread within a contract
    assert set(fair.hours["contract"]) == {"full", "part"}


def test_progress_reports_better_rosters():
    seen = []
    agents = [Agent(f"a{i}", max_consecutive_shifts=5) for i in range(4)]
    roster = build_roster(agents, SHIFTS, one_cover(14, "L", 2), days=14, start=START,
                          progress=lambda objective, bound, seconds: seen.append(
                              (objective, bound, seconds)))
    assert seen
    objectives = [s[0] for s in seen]
    assert objectives == sorted(objectives, reverse=True)
    assert objectives[-1] == roster.objective
    assert all(bound <= objective for objective, bound, _ in seen)


def test_an_error_in_progress_stops_the_search_and_is_raised():
    def broken(objective, bound, seconds):
        raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        build_roster([Agent("a")], SHIFTS, one_cover(3), days=3, start=START, progress=broken)


def test_short_cover_warns_with_the_skill_and_the_leave():
    agents = [Agent(f"v{i}", skills=["VIP"], days_off=[2] if i < 2 else []) for i in range(3)]
    agents += [Agent("g", skills=["general"])]
    cover = pd.DataFrame({"day": [2], "shift": "E", "skill": "VIP", "required": 3,
                          "under_weight": 10, "over_weight": 0})
    with pytest.warns(RosterWarning, match=r"needs 3 agents with skill 'VIP'; there are 3, 2 of "
                      r"them on leave"):
        roster = build_roster(agents, SHIFTS, cover, days=3, start=START)
    assert roster.objective == 20


def test_a_shift_of_a_skill_is_worked_only_by_agents_with_it():
    shifts = [RosterShift("E", "07:00", 480, skill="vip"), RosterShift("L", "15:00", 480)]
    agents = [Agent("a", skills=["general"]), Agent("v", skills=["vip"])]
    cover = pd.DataFrame({"day": [0, 0, 1, 1], "shift": ["E", "L", "E", "L"], "required": 1,
                          "under_weight": 10, "over_weight": 1})
    roster = build_roster(agents, shifts, cover, days=2, start=START)
    assert "E" not in set(roster.table.loc["a"]) and roster.objective == 0
    only = [Agent("a", skills=["general"], min_minutes=480)]
    with pytest.raises(RosterInfeasible, match="min_minutes=480 cannot fit"):
        build_roster(only, shifts[:1], cover.iloc[[0, 2]], days=2, start=START)
    with pytest.raises(CCSimInputError, match="RosterShift 'E': skill must be a non-empty"):
        RosterShift("E", "07:00", 480, skill="")


def test_leave_dates_of_other_months_are_ignored():
    agent = Agent("a", days_off=["2027-01-15", "2027-02-02", "2027-03-01"])
    roster = build_roster([agent], SHIFTS[:1], one_cover(3), days=3, start=START)
    assert list(roster.table.loc["a"]) == ["E", "", "E"] and roster.hours.loc["a", "days_off"] == 1


# --- bad input ------------------------------------------------------------------------

@pytest.mark.parametrize(("previous", "match"), [
    ("a", "previous must be a Roster or a DataFrame"),
    (pd.DataFrame({"x": ["E"]}, index=["a"]), "column 'x' is neither a date"),
    (pd.DataFrame({-2: ["E"]}, index=["a"]), "consecutive and end the day before start"),
    (pd.DataFrame({-3: ["E"], -1: ["E"]}, index=["a"]), "consecutive"),
    (pd.DataFrame({-1: ["Q"]}, index=["a"]), r"agent 'a' on day -1 \(2027-01-31\): 'Q' is not"),
    (pd.DataFrame({-1: ["E"], "2027-01-31": ["E"]}, index=["a"]), "same day twice"),
])
def test_bad_previous_is_refused(previous, match):
    with pytest.raises(CCSimInputError, match=match):
        build_roster([Agent("a")], SHIFTS, one_cover(2), days=2, start=START,
                     previous=previous)


def test_bad_weights_agents_and_progress_are_refused():
    with pytest.raises(CCSimInputError, match="RosterWeights: split_weekend must be a whole"):
        RosterWeights(split_weekend=-1)
    with pytest.raises(CCSimInputError, match="weights must be a RosterWeights"):
        build_roster([Agent("a")], SHIFTS, one_cover(2), days=2, start=START,
                     weights={"split_weekend": 1})
    with pytest.raises(CCSimInputError, match="max_minutes_per_week must be >= "
                       "min_minutes_per_week"):
        Agent("a", min_minutes_per_week=600, max_minutes_per_week=300)
    with pytest.raises(CCSimInputError, match="contract must be a label"):
        Agent("a", contract=3)
    with pytest.raises(CCSimInputError, match="progress must be a function"):
        build_roster([Agent("a")], SHIFTS, one_cover(2), days=2, start=START, progress=3)


def test_weekly_rules_conflicting_are_explained():
    agents = [Agent("a", min_minutes_per_week=6 * 480, max_consecutive_shifts=2)]
    with pytest.raises(RosterInfeasible, match="min_minutes_per_week") as caught:
        build_roster(agents, SHIFTS, one_cover(7), days=7, start=START)
    assert "max_consecutive_shifts=2" in str(caught.value)
