"""Fuzz tests of ccsim.staffing (issue 9: solid under bad input).

1. For every public function, random and adversarial inputs (huge, tiny, negative,
   NaN, inf, wrong types, text, empty, 2-D, duplicated rows, counts past int64)
   either give a valid result (finite, whole counts in range, scheduled agents at
   least the agents) or raise ``CCSimInputError``; any other exception fails.
2. The named cases of the issue, pinned with ``pytest.raises(..., match=...)`` or
   with the correct result.
3. Vocabulary: the requirement table records its interval length in minutes too.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from _fuzz import call_or_refuse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccsim._staffing.checks import MAX_COUNT, ceil_whole
from ccsim._validation import CCSimInputError
from ccsim.staffing import (
    StandbyNeed,
    Supervision,
    agent_hours,
    compare_seat_rule,
    fte,
    headcount,
    people_per_seat,
    requirements,
    seats_needed,
    standby_for_surge,
    supervision,
)

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NAN, INF = math.nan, math.inf
JUNK = [NAN, INF, -INF, -1.0, "10", None, [1.0, 2.0], {"a": 1}, np.ones((2, 2)), 1 + 2j,
        np.array([]), (1, 2, 3), np.datetime64("2024-01-01")]
GRID = pd.date_range("2024-01-01 06:00", periods=16, freq="30min")


ODD = st.sampled_from(JUNK + [0.0, 1e-300, 1e9, 1e19, 1e300, 2**53 + 2, 10**30])


@st.composite
def arguments(draw, **spec):
    """Keyword arguments: all valid half of the time, else each possibly adversarial.

    ``spec`` maps a name to ``(valid strategy, adversarial strategy)``; ``ODD`` when
    only the valid one is given.
    """
    clean = draw(st.booleans())
    out = {}
    for name, strategies in spec.items():
        valid, bad = strategies if isinstance(strategies, tuple) else (strategies, ODD)
        out[name] = draw(valid if clean else st.one_of(valid, bad))
    return out


_call = call_or_refuse


@st.composite
def forecasts(draw):
    """A Series or tidy frame of calls per half-hour, sometimes malformed."""
    kind = draw(st.sampled_from(["series", "frame", "empty", "duplicated", "text", "tz"]))
    size = draw(st.integers(1, len(GRID)))
    odd = st.sampled_from([0.0, 1e-300, 2e10, 1e300, NAN, INF, -1.0])
    if draw(st.integers(0, 3)):  # three times in four: a well-formed forecast
        kind = draw(st.sampled_from(["series", "frame"]))
        odd = st.floats(0.0, 500.0)
    calls = draw(st.lists(st.one_of(st.floats(0.0, 500.0), odd), min_size=size,
                          max_size=size))
    index = GRID[:size]
    if kind == "empty":
        return pd.Series([], index=pd.DatetimeIndex([]), dtype=float)
    if kind == "text":
        return pd.Series(["many"] * size, index=index)
    if kind == "tz":
        return pd.Series(calls, index=index.tz_localize("UTC"))
    frame = pd.DataFrame({"interval_start": index, "call_type": "a", "calls": calls})
    if kind == "duplicated":
        return pd.concat([frame, frame])
    if kind == "frame":
        other = frame.assign(call_type="b", calls=np.asarray(calls)[::-1] / 3)
        return pd.concat([frame, other])
    return pd.Series(calls, index=index)


def _valid_requirement(req: pd.DataFrame) -> None:
    numeric = req[["calls", "traffic_erlangs", "service_level", "asa_seconds", "p_abandon",
                   "occupancy"]].to_numpy(dtype=float)
    assert np.isfinite(numeric).all() and (numeric >= 0).all()
    agents, scheduled = req["agents"].to_numpy(), req["scheduled_agents"].to_numpy()
    assert agents.dtype == np.int64 and scheduled.dtype == np.int64
    assert (agents >= 0).all() and (scheduled >= agents).all()


def _base() -> pd.DataFrame:
    calls = pd.Series(np.r_[np.zeros(4), np.full(12, 80.0)], index=GRID)
    return requirements(calls, 180, 0.8, 20, shrinkage=0.3)


BASE = _base()


@st.composite
def requirement_tables(draw):
    kind = draw(st.sampled_from(["base"] * 4 + ["two weeks"] * 2 + [
        "twice", "empty", "no attrs", "edited", "huge", "not a frame"]))
    if kind == "base":
        return BASE
    if kind == "twice":
        return pd.concat([BASE, BASE])
    if kind == "two weeks":
        later = BASE.assign(interval_start=BASE["interval_start"] + pd.Timedelta(days=7))
        return pd.concat([BASE, later])
    if kind == "empty":
        return BASE.iloc[:0]
    if kind == "no attrs":
        return pd.DataFrame(BASE.to_dict("list"))
    if kind == "edited":
        edited = BASE.copy()
        edited["scheduled_agents"] = edited["scheduled_agents"].astype(object)
        edited.at[5, "scheduled_agents"] = draw(st.sampled_from(JUNK[:6] + [2.5, 2**60]))
        return edited
    if kind == "huge":
        return BASE.assign(agents=2**53, scheduled_agents=2**53)
    return draw(st.sampled_from(JUNK))


# ------------------------------------------------------------- 1. fuzz
CLEAN_FORECAST = st.builds(lambda calls: pd.Series(calls, index=GRID[:len(calls)]),
                           st.lists(st.floats(0.0, 500.0), min_size=1, max_size=len(GRID)))
COLUMNS = st.sampled_from(["agents", "scheduled_agents"])
WINDOWS = st.one_of(st.none(), st.sampled_from([("07:30", "21:30"), ("22:00", "06:00"),
                                                ("06:00", "06:30")]))
BAD_WINDOWS = st.sampled_from([("25:00", "1"), "07:30", (7, 9), ("07:00", None), ("00:00",)])


@FUZZ
@given(args=arguments(forecast=(CLEAN_FORECAST, forecasts()), aht=st.floats(1.0, 3600.0),
                      target=st.floats(0.01, 0.99), within=st.floats(0.0, 600.0),
                      patience=st.one_of(st.none(), st.floats(1.0, 3600.0)),
                      shrinkage=st.floats(0.0, 0.99),
                      cap=st.one_of(st.none(), st.floats(0.5, 1.0))))
def test_fuzz_requirements(args):
    req = _call(requirements, args["forecast"], args["aht"], args["target"], args["within"],
                args["patience"], args["shrinkage"], args["cap"])
    if req is not None:
        _valid_requirement(req)
        assert req.attrs["interval_minutes"] == 30.0


@FUZZ
@given(args=arguments(req=(st.just(BASE), requirement_tables()), column=COLUMNS,
                      hours=st.floats(1.0, 200.0)))
def test_fuzz_agent_hours_and_fte(args):
    out = _call(agent_hours, args["req"], args["column"])
    if out is not None:
        assert np.isfinite(out.to_numpy()).all() and (out >= 0).all()
    table = _call(fte, args["req"], args["hours"], args["column"])
    if table is not None:
        assert np.isfinite(table.to_numpy(dtype=float)).all()
        assert table.attrs["period_days"] > 0


FT = st.floats(0.0, 1.0)
MIXES = st.one_of(st.none(), st.builds(
    lambda share, per_ft, per_pt: {"ft": (share, per_ft), "pt": (1.0 - share, per_pt)},
    FT, st.floats(1e-3, 1.0), st.floats(1e-3, 1.0)))


@FUZZ
@given(args=arguments(need=st.one_of(st.floats(0.0, 1e6), st.sampled_from([0.0, 1e15])),
                      mix=(MIXES, st.sampled_from(JUNK + [{}, {"a": (1.0, 1e-300)},
                                                          {"a": (1.0, 1e9)}]))))
def test_fuzz_headcount(args):
    table = _call(headcount, args["need"], args["mix"])
    if table is not None:
        people = table["people"].to_numpy()
        assert people.dtype == np.int64 and (people >= 0).all() and people[-1] <= MAX_COUNT
        assert np.isfinite(table.to_numpy(dtype=float)).all()
        need = float(np.asarray(args["need"], dtype=float))
        assert table["fte"].iloc[-1] >= need * (1 - 1e-9)


@FUZZ
@given(args=arguments(hours=st.floats(1e-3, 24.0), days=st.floats(1.0, 31.0),
                      legal=st.floats(1.0, 744.0)))
def test_fuzz_people_per_seat(args):
    out = _call(people_per_seat, args["hours"], args["days"], args["legal"])
    if out is not None:
        values = np.asarray(out, dtype=float)
        assert np.isfinite(values).all() and (values >= 0).all()  # tiny inputs may underflow


@FUZZ
@given(args=arguments(req=(st.just(BASE), requirement_tables()),
                      window=(WINDOWS, BAD_WINDOWS), column=COLUMNS,
                      percentile=st.one_of(st.none(), st.floats(0.0, 100.0))))
def test_fuzz_seats_needed(args):
    seats = _call(seats_needed, args["req"], args["window"], column=args["column"],
                  percentile=args["percentile"])
    if seats is not None:
        assert seats.dtype == np.int64 and (seats >= 0).all()


@FUZZ
@given(args=arguments(
    agents=st.one_of(st.integers(0, 5000), st.sampled_from([10**15, 2**53]),
                     st.dictionaries(st.sampled_from(["vip", "general"]), st.integers(0, 200),
                                     min_size=1, max_size=2)),
    per_leader=st.floats(1.0, 50.0),
    span=(st.one_of(st.floats(1.0, 10.0), st.tuples(st.floats(1.0, 6.0), st.floats(6.0, 9.0))),
          st.one_of(ODD, st.sampled_from([(8, 6), (1, 2, 3), ("a", "b")]))),
    managers=st.integers(0, 5)))
def test_fuzz_supervision(args):
    s = _call(supervision, args["agents"], args["per_leader"], args["span"], args["managers"])
    if s is not None:
        assert isinstance(s, Supervision)
        counts = (s.agents, s.team_leaders, s.supervisors, s.supervisors_at_widest_span,
                  s.managers)
        assert all(isinstance(c, int) and 0 <= c <= MAX_COUNT for c in counts)
        assert s.supervisors >= s.supervisors_at_widest_span


@FEW
@given(args=arguments(subscribers=st.integers(0, 10**7), ratio=st.floats(1.0, 1e5),
                      forecast=(CLEAN_FORECAST, forecasts()), window=(WINDOWS, BAD_WINDOWS),
                      percentile=st.one_of(st.none(), st.floats(0.0, 100.0))))
def test_fuzz_compare_seat_rule(args):
    table = _call(compare_seat_rule, args["subscribers"], args["forecast"], 180, 0.8, 20,
                  subscribers_per_seat=args["ratio"], window=args["window"],
                  percentile=args["percentile"])
    if table is not None:
        assert (table["seats"] >= 0).all() and table["seats"].dtype == np.int64
        assert (table["largest_shortfall"] >= 0).all()


@FEW
@given(args=arguments(
    forecast=(st.just(pd.Series(np.r_[np.zeros(4), np.full(12, 80.0)], index=GRID)),
              forecasts()),
    factor=st.floats(0.0, 10.0),
    start=(st.sampled_from(["2024-01-01 08:00", "2024-01-01 06:00"]),
           st.one_of(ODD, st.sampled_from(["1999-01-01", "NaT", "2024-01-01 10:00+01:00"]))),
    end=(st.sampled_from(["2024-01-01 10:00", "2024-01-01 09:00"]),
         st.one_of(ODD, st.sampled_from(["2024-01-01 07:00", "3000-01-01"]))),
    on_shift=(st.sampled_from([BASE, 5, {"all": 3}, 0]),
              st.sampled_from([{"a": 3, "b": 2}, pd.concat([BASE, BASE]), 10**19, -1, "x",
                               BASE.iloc[:3]]))))
def test_fuzz_standby_for_surge(args):
    need = _call(standby_for_surge, args["forecast"], args["factor"], args["start"],
                 args["end"], args["on_shift"], 180, 0.8, 20)
    if need is not None:
        assert isinstance(need, StandbyNeed)
        assert need.peak_agents >= 0 and math.isfinite(need.agent_hours)
        assert (need.by_interval["standby_agents"] >= 0).all()


# ------------------------------------------------------------- 2. the named cases
@settings(max_examples=100, deadline=None)
@given(agents=st.one_of(st.integers(0, 10**9), st.integers(0, 2**52)),
       shrinkage=st.one_of(st.floats(0.0, 0.999), st.sampled_from([0.0, 0.2, 0.3, 0.35])))
def test_round_up_never_drops_below_the_agents(agents, shrinkage):
    if agents / (1.0 - shrinkage) > MAX_COUNT:
        with pytest.raises(CCSimInputError, match=r"more than the limit of 9\.007e\+15"):
            ceil_whole(agents / (1.0 - shrinkage))
        return
    scheduled = int(ceil_whole(agents / (1.0 - shrinkage)))
    exact = math.ceil(Fraction(agents) / (1 - Fraction(shrinkage)))
    assert agents <= scheduled
    if exact < 1e12:  # float noise below the slack: forgives it, never a whole agent
        assert exact - 1 <= scheduled <= exact


def test_issue_2e10_calls_are_refused_and_the_round_up_holds_at_the_limit():
    calls = pd.Series(2e10, index=GRID[:2])
    with pytest.raises(CCSimInputError, match=r"^forecast\['calls'\] = 2e\+10 calls in 30min at "
                       r"2024-01-01 06:00:00 \(call type 'all'\) with aht_seconds=180 is 2e\+09 "
                       r"Erlangs, more than the limit of 100,000,000 Erlangs"):
        requirements(calls, 180, 0.8, 20)
    req = requirements(calls, 9, 0.8, 20)  # 1e8 Erlangs: the largest load accepted
    assert (req["scheduled_agents"] == req["agents"]).all() and req["agents"].iloc[0] > 1e8
    req = requirements(calls, 9, 0.8, 20, shrinkage=0.3)
    exact = [math.ceil(Fraction(int(n)) / (1 - Fraction(0.3))) for n in req["agents"]]
    assert req["scheduled_agents"].tolist() == exact


def test_issue_int64_wrap_around_is_refused():
    with pytest.raises(CCSimInputError, match=r"^headcount: the people to hire .* is 1e\+19 "
                       r"people, more than the limit of 9\.007e\+15 people"):
        headcount(1e19)
    with pytest.raises(CCSimInputError, match=r"^agents must be at most 2\*\*53 = "
                       r"9,007,199,254,740,992; got 1e\+30"):
        supervision(10**30)
    with pytest.raises(CCSimInputError, match=r"team leaders .* is 6\.03e\+302 people"):
        supervision(603, agents_per_team_leader=1e-300)
    with pytest.raises(CCSimInputError, match=r"scheduled agents \(agents / \(1 - shrinkage\)\)"
                       r" is .* agents, more than the limit"):
        requirements(pd.Series(1e6, index=GRID[:2]), 180, 0.8, 20, shrinkage=1 - 1e-12)
    assert headcount(1e15)["people"].iloc[-1] == 10**15
    assert supervision(2**53).agents == 2**53


def test_issue_fte_of_a_concatenated_or_empty_requirement():
    with pytest.raises(CCSimInputError, match=r"^requirement has 32 rows that repeat an "
                       r"\(interval_start, call_type\) pair, e\.g\. 2024-01-01 06:00:00 'all'"):
        fte(pd.concat([BASE, BASE]), 40)
    with pytest.raises(CCSimInputError, match=r"^requirement has no rows"):
        fte(BASE.iloc[:0], 40)
    with pytest.raises(CCSimInputError, match=r"^requirement has no rows"):
        agent_hours(BASE.iloc[:0])
    # two different weeks concatenated: the hours add up, the period spans both
    later = BASE.assign(interval_start=BASE["interval_start"] + pd.Timedelta(days=7))
    both = fte(pd.concat([BASE, later]), 40)
    assert both.loc["total", "agent_hours"] == 2 * fte(BASE, 40).loc["total", "agent_hours"]
    assert both.attrs["period_days"] == pytest.approx(7 + 8 / 24)


def test_other_public_functions_named_cases():
    with pytest.raises(CCSimInputError, match=r"^people_per_seat: the array arguments do not "
                       r"broadcast"):
        people_per_seat([14, 24], [30, 31, 30], 168)
    with pytest.raises(CCSimInputError, match=r"^legal_hours_per_month is too small"):
        people_per_seat(24, 31, 5e-324)
    with pytest.raises(CCSimInputError, match=r"^compare_seat_rule: the seats of the rule "):
        compare_seat_rule(10**7, BASE_FORECAST, 180, 0.8, 20, subscribers_per_seat=1e-300)
    with pytest.raises(CCSimInputError, match=r"^factor=1e\+308 times the forecast's calls "
                       r"overflows"):
        standby_for_surge(BASE_FORECAST, 1e308, "2024-01-01 08:00", "2024-01-01 10:00", 5,
                          180, 0.8, 20)
    with pytest.raises(CCSimInputError, match=r"^on_shift has 32 rows that repeat"):
        standby_for_surge(BASE_FORECAST, 2, "2024-01-01 08:00", "2024-01-01 10:00",
                          pd.concat([BASE, BASE]))
    with pytest.raises(CCSimInputError, match=r"^teams_per_supervisor must be a number or "
                       r"\(low, high\); got \(1, 2, 3\)"):
        supervision(603, teams_per_supervisor=(1, 2, 3))
    with pytest.raises(CCSimInputError, match=r"^fte must be one number; got an array"):
        headcount(np.array([1.0, 2.0]))
    with pytest.raises(CCSimInputError, match=r"column must be 'agents' or 'scheduled_agents'"):
        seats_needed(BASE, column=np.array(["agents"]))
    with pytest.raises(CCSimInputError, match=r"^requirement\['scheduled_agents'\] must be a "
                       r"whole number >= 0; got nan at position 3"):
        seats_needed(BASE.assign(scheduled_agents=np.r_[0, 0, 0, NAN, np.zeros(12)]))


BASE_FORECAST = pd.Series(np.r_[np.zeros(4), np.full(12, 80.0)], index=GRID)


def test_people_per_seat_keeps_a_series_index():
    hours = pd.Series([14.0, 24.0], index=["desk", "hotline"])
    out = people_per_seat(hours, 30, 168)
    assert isinstance(out, pd.Series) and out.index.equals(hours.index)


# ------------------------------------------------------------- 3. vocabulary
def test_requirement_records_interval_minutes():
    assert BASE.attrs["interval_minutes"] == 30.0 and BASE.attrs["interval_seconds"] == 1800.0
