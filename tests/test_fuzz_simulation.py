"""ccsim.simulation under bad input: a valid result or a CCSimInputError, never anything else.

Part 1 feeds every public constructor, :func:`simulate` and the result's methods
random and adversarial values (huge, tiny, negative, NaN, inf, huge ints, wrong
types, strings, empty, 2-D) with hypothesis; any exception other than
``CCSimInputError`` fails, and so does a RuntimeWarning (an overflow on the way).
Simulated runs are tiny (a few calls over an hour or two) so that the file stays fast.
Part 2 pins the named cases of issue 9; part 3 the renamed keyword; part 4 the
options of issues 12 and 13 (redials, IVR, lines, agent selection); part 5
random escalation levels (on-call teams, agents pulled from other groups).
"""

from __future__ import annotations

import math
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccsim import CCSimInputError
from ccsim.simulation import (
    IVR,
    AgentGroup,
    CallType,
    Deterministic,
    Distribution,
    Empirical,
    Exponential,
    Gamma,
    LogNormal,
    QueueAbove,
    Redial,
    Scenario,
    ServiceLevelBelow,
    Shift,
    SimulationResult,
    Standby,
    Surge,
    distributions,
    replications,
    scenario,
    simulate,
)

matplotlib.use("Agg")

FAST = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
SLOW = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# ---------------------------------------------------------------- strategies
ADVERSARIAL = st.one_of(
    st.sampled_from([0, -1, 1, 0.5, 1e-300, 1e300, -1e300, 1e9, 1e12, 2**53, 10**400,
                     -(10**400), math.nan, math.inf, -math.inf, True, None, "", "7", "x",
                     [], [1, 2], [[1, 2], [3, 4]], [1, [2]], {}, {"a": 1}, (), 1j,
                     np.float64(np.nan), np.int64(3), np.array([1.0, 2.0]),
                     np.zeros((2, 2)), object()]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
)
SMALL = st.floats(min_value=0, max_value=50, allow_nan=False)
NUMBERS = st.one_of(ADVERSARIAL, SMALL)


@st.composite
def arguments(draw, **valid):
    """Keyword arguments drawn valid, then none, one or two of them made adversarial."""
    kwargs = {name: draw(strategy) for name, strategy in valid.items()}
    for name in draw(st.sets(st.sampled_from(sorted(valid)), max_size=2)):
        kwargs[name] = draw(ADVERSARIAL)
    return kwargs


def attempt(build):
    """``build()``, or None for a CCSimInputError; anything else (or an overflow warning) fails."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            return build()
        except CCSimInputError as error:
            assert str(error)  # a message
            return None


def check_distribution(distribution: Distribution) -> None:
    mean = distribution.mean_seconds
    assert 0 <= mean <= distributions.MAX_SECONDS
    draws = distribution.sample(np.random.default_rng(0), 50)
    assert draws.shape == (50,) and np.isfinite(draws).all() and (draws >= 0).all()


SECONDS = st.floats(1e-3, 1e4)

# ---------------------------------------------------------------- 1. fuzz: constructors
@FAST
@given(kind=st.sampled_from([Exponential, Deterministic]), value=NUMBERS)
def test_one_parameter_distributions(kind, value):
    built = attempt(lambda: kind(value))
    if built is not None:
        check_distribution(built)


@FAST
@given(kind=st.sampled_from([LogNormal, Gamma]),
       args=arguments(mean_seconds=SECONDS, sd_seconds=SECONDS))
def test_mean_and_sd_distributions(kind, args):
    built = attempt(lambda: kind(**args))
    if built is not None:
        check_distribution(built)
        assert built.sd_seconds <= distributions.MAX_CV * built.mean_seconds


@FAST
@given(args=arguments(log_mean=st.floats(-800, 800), log_sd=st.floats(0, 10)))
def test_lognormal_from_log(args):
    built = attempt(lambda: LogNormal.from_log(**args))
    if built is not None:
        check_distribution(built)


@FAST
@given(samples=st.one_of(ADVERSARIAL, st.lists(NUMBERS, max_size=5),
                         st.lists(SECONDS, min_size=1, max_size=5)))
def test_empirical(samples):
    built = attempt(lambda: Empirical(samples))
    if built is not None:
        check_distribution(built)


BREAKS = st.sampled_from([(), [(2, 2.5)], [(1, 1.25), (3, 3.5)], [(3, 3.5), (1, 1.25)]])


@FAST
@given(args=arguments(start_hours=st.floats(0, 4), end_hours=st.floats(4.5, 10),
                      breaks=st.one_of(BREAKS, st.lists(st.tuples(NUMBERS, NUMBERS),
                                                        max_size=2)),
                      agents=st.integers(0, 5)))
def test_shift(args):
    built = attempt(lambda: Shift(**args))
    if built is not None:
        assert 0 <= built.start_hours < built.end_hours <= scenario.MAX_HORIZON_HOURS
        assert isinstance(built.agents, int) and built.agents >= 0


@FAST
@given(args=arguments(name=st.sampled_from(["g", "team 2"]),
                      skills=st.sampled_from([["a"], ["a", "b"], ("b",)]),
                      agents=st.one_of(st.integers(0, 9), st.lists(st.integers(0, 9),
                                                                   min_size=1, max_size=4))),
       use_shifts=st.booleans())
def test_agent_group(args, use_shifts):
    if use_shifts:  # shifts instead of counts (an adversarial agents= stays: both given)
        args["shifts"] = [Shift(0, 1, breaks=[(0.5, 0.75)], agents=2)]
        if isinstance(args["agents"], (int, list)):
            args["agents"] = None
    built = attempt(lambda: AgentGroup(**args))
    if built is not None:
        assert built.shifts or built.agents is not None


@FAST
@given(args=arguments(arrivals_per_hour=st.one_of(SMALL, st.lists(SMALL, min_size=1,
                                                                  max_size=3)),
                      aht_seconds=SECONDS, patience_seconds=st.one_of(st.none(), SECONDS),
                      wrap_up_seconds=st.one_of(st.just(0.0), SECONDS),
                      priority=st.integers(-5, 5),
                      overflow=st.one_of(st.none(), st.dictionaries(
                          st.sampled_from(["x", "y"]), st.floats(0, 100), max_size=2)),
                      answer_within_seconds=st.one_of(st.none(), st.floats(0, 100))))
def test_call_type(args):
    built = attempt(lambda: CallType("a", **args))
    if built is not None:
        check_distribution(built.service_distribution)
        check_distribution(built.wrap_up_distribution)
        if built.patience_distribution is not None:
            check_distribution(built.patience_distribution)


SERIES_VALUES = st.lists(st.one_of(SMALL, st.sampled_from([-1.0, math.nan, math.inf, 1e300])),
                         min_size=1, max_size=6)


@FAST
@given(values=SERIES_VALUES, freq=st.sampled_from(["15min", "30min", "60min", "7min"]),
       offset_minutes=st.sampled_from([0, 10, 15, 30, -30]),
       interval=st.sampled_from([None, 15, 30, 60, 20]),
       horizon=st.sampled_from([None, 0.5, 1, 1.5, 3]),
       start=st.sampled_from([None, "2024-04-01 08:00", "3000-01-01", "nonsense", 5,
                              "2024-04-01 08:00+02:00"]))
def test_arrivals_series_and_time_axis(values, freq, offset_minutes, interval, horizon, start):
    index = pd.date_range(pd.Timestamp("2024-04-01 08:00")
                          + pd.Timedelta(minutes=offset_minutes), periods=len(values), freq=freq)
    series = pd.Series(values, index=index)
    call_type = attempt(lambda: CallType("a", arrivals=series, aht_seconds=100))
    if call_type is None:
        return
    built = attempt(lambda: Scenario([call_type], [AgentGroup("g", ["a"], 2)], horizon, 20,
                                     interval_minutes=interval, start=start))
    if built is None:
        return
    starts, lengths, calls = built.arrival_rates(built.call_types[0])
    assert np.isfinite(calls).all() and (calls >= 0).all() and (lengths > 0).all()
    # every segment lies inside one reporting interval or covers whole ones
    grid = built.interval_seconds
    first, last = starts / grid, (starts + lengths) / grid
    inside = np.floor(first + 1e-9) == np.floor(last - 1e-9)
    whole = np.isclose(first, np.round(first)) & np.isclose(last, np.round(last))
    assert (inside | whole).all()


@FAST
@given(freq=st.one_of(st.sampled_from(["30min", "15min", "0min", "-30min", "M", "1D", None]),
                      ADVERSARIAL),
       calls=st.lists(st.one_of(SMALL, st.sampled_from([1e300, 1e308])), min_size=2,
                      max_size=2),
       name=st.sampled_from(["a", "b", "other"]), hours=st.sampled_from([None, 0.5, 1]))
def test_forecast_frames(freq, calls, name, hours):
    frame = pd.DataFrame({"interval_start": pd.date_range("2024-04-01 08:00", periods=2,
                                                          freq="30min"),
                          "call_type": "a", "calls": calls, "calls_lower": 0.0,
                          "calls_upper": 1e308})
    frame.attrs["freq"] = freq
    call_type = attempt(lambda: CallType(name, arrivals=frame, aht_seconds=100))
    if call_type is None:
        return
    built = attempt(lambda: Scenario([call_type], [AgentGroup("g", [name], 2)], hours))
    if built is not None:
        result = attempt(lambda: simulate(built, seed=1, max_calls=1000))
        if result is not None:
            check_result(result)


TYPES = {"ok": [CallType("a", 10, 100)], "two": [CallType("a", 10, 100), CallType("b", 5, 50)],
         "empty": [], "strings": "a", "twice": [CallType("a", 10, 100), CallType("a", 5, 50)]}
GROUPS = {"ok": [AgentGroup("g", ["a"], 2)], "two": [AgentGroup("g", ["a"], 2),
                                                     AgentGroup("h", ["a", "b"], [1, 2])],
          "empty": [], "strings": ["g"], "huge": [AgentGroup("g", ["a"], 10**9)],
          "unknown": [AgentGroup("g", ["c"], 1)]}


STARTS = [None, "2024-04-01", pd.Timestamp("2024-04-01"), np.datetime64("2024-04-01"),
          "2262-04-11", "1677-09-22", pd.Timestamp("2024-01-01", tz="UTC")]


@FAST
@given(args=arguments(horizon_hours=st.sampled_from([0.5, 1, 2, 24]),
                      answer_within_seconds=st.floats(0, 100),
                      interval_minutes=st.sampled_from([None, 15, 30, 60]),
                      warmup_hours=st.sampled_from([0, 0.5]), start=st.sampled_from(STARTS)),
       call_types=st.sampled_from(["ok"] * 4 + sorted(TYPES)),  # mostly valid
       groups=st.sampled_from(["ok"] * 4 + sorted(GROUPS)))
def test_scenario(args, call_types, groups):
    if call_types == "two" or groups == "two":
        call_types = groups = "two"
    built = attempt(lambda: Scenario(TYPES[call_types], GROUPS[groups], **args))
    if built is not None:
        assert 0 < built.horizon_hours <= scenario.MAX_HORIZON_HOURS
        assert 1 <= built.n_intervals <= scenario.MAX_INTERVALS
        assert 0 <= built.warmup_hours < built.horizon_hours


# ---------------------------------------------------------------- 1. fuzz: simulate
TINY = Scenario([CallType("a", 30, 120, 60), CallType("b", 10, 200, wrap_up_seconds=10)],
                [AgentGroup("g", ["a", "b"], [1, 2]),
                 AgentGroup("h", ["b"], shifts=[Shift(0, 1, breaks=[(0.5, 0.6)], agents=1)])],
                1, 20)


def check_result(result: SimulationResult) -> None:
    for by in ("call_type", "total", "interval", "group"):
        table = result.summary(by)
        numbers = table.select_dtypes("number")
        values = numbers[[c for c in numbers if not c.endswith("_ci")]].to_numpy(dtype=float)
        assert np.isfinite(values).all(), by
        assert not numbers.isna().to_numpy().any(), by
        for column in ("service_level", "service_level_answered", "p_abandon", "occupancy"):
            if column in table:
                assert table[column].between(0, 1).all(), (by, column)
        if "p_blocked" in table:
            assert table["p_blocked"].between(0, 1).all(), by
    intervals = result.intervals
    assert (intervals["offered"] == intervals["answered"] + intervals["abandoned"]
            + intervals["unanswered"]).all()
    assert (intervals["attempts"] == intervals["fresh"] + intervals["redials"]).all()
    assert (intervals["attempts"] == intervals["offered"] + intervals["blocked"]
            + intervals["self_served"]).all()
    assert (intervals["lost"] <= intervals["abandoned"] + intervals["blocked"]).all()


@SLOW
@given(args=arguments(seed=st.one_of(st.integers(0, 2**70), st.sampled_from(
                          [np.random.SeedSequence(3), np.random.default_rng(2),
                           np.random.SeedSequence(3).spawn(2)[1]])),
                      replications=st.integers(1, 3),
                      executor=st.sampled_from([None, "serial"]),
                      keep_calls=st.booleans(),
                      max_calls=st.sampled_from([replications.MAX_CALLS, 100.0, 1e6])))
def test_simulate_arguments(args):
    result = attempt(lambda: simulate(TINY, **args))
    if result is not None:
        check_result(result)


@SLOW
@given(rate=st.floats(0, 120), aht=st.floats(1, 600), patience=st.one_of(st.none(),
                                                                        st.floats(1, 600)),
       kind=st.sampled_from(["exp", "lognormal", "gamma", "det", "empirical"]),
       cv=st.floats(0.01, 5), agents=st.lists(st.integers(0, 4), min_size=2, max_size=2),
       overflow=st.one_of(st.none(), st.floats(0, 60)), priority=st.integers(-1, 1),
       warmup=st.booleans(), seed=st.integers(0, 2**32))
def test_random_small_scenarios_give_valid_results(rate, aht, patience, kind, cv, agents,
                                                   overflow, priority, warmup, seed):
    service = {"exp": Exponential(aht), "lognormal": LogNormal(aht, cv * aht),
               "gamma": Gamma(aht, cv * aht), "det": Deterministic(aht),
               "empirical": Empirical([aht / 2, aht, 3 * aht / 2])}[kind]
    types = [CallType("a", rate, service=service, patience_seconds=patience, priority=priority,
                      overflow=None if overflow is None else {"h": overflow}),
             CallType("b", rate / 4, aht, patience)]
    groups = [AgentGroup("g", ["a"], agents),
              AgentGroup("h", ["b"], shifts=[Shift(0.25, 1, breaks=[(0.5, 0.75)], agents=2)])]
    built = Scenario(types, groups, 1, 20, warmup_hours=0.5 if warmup else 0)
    check_result(simulate(built, seed=seed, replications=2))


@pytest.fixture(scope="module")
def tiny_result():
    return simulate(TINY, seed=1, replications=2)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(by=st.one_of(ADVERSARIAL, st.sampled_from(["call_type", "total", "interval", "group",
                                                  "Group", "calls"])))
def test_summary_by(tiny_result, by):
    attempt(lambda: tiny_result.summary(by))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(measure=st.one_of(ADVERSARIAL, st.sampled_from(["service_level", "occupancy",
                                                       "asa_seconds", "nope"])),
       ax=st.one_of(st.none(), st.sampled_from([5, "ax", [], np.zeros(2)])))
def test_plot_inputs(tiny_result, measure, ax):
    import matplotlib.pyplot as plt

    try:
        attempt(lambda: tiny_result.plot(measure, ax))
    finally:
        plt.close("all")


# ---------------------------------------------------------------- 2. the named cases of issue 9
ONE = [CallType("a", 60, 100)]
TEAM = [AgentGroup("g", ["a"], 2)]


@pytest.mark.parametrize("build, message", [
    (lambda: simulate(Scenario(ONE, TEAM, 2e8)),
     r"Scenario\.horizon_hours is 2e\+08 h, more than the limit of 1e\+06 h"),
    (lambda: Scenario(ONE, TEAM, 2000, interval_minutes=5 / 60),
     r"horizon_hours / interval_minutes is 1\.44e\+06 intervals, more than the limit of "
     r"1e\+06 intervals; 2000 h in 0\.0833333-minute intervals"),
    (lambda: simulate(Scenario([CallType("a", 1e12, 100)], TEAM, 1)),
     r"the expected calls \(arrival rates x horizon_hours x replications\) is 1e\+12 calls, "
     r"more than the limit of 1e\+07 calls; .*max_calls="),
    (lambda: simulate(Scenario([CallType("a", 1e308, 100)], TEAM, 1)),
     r"the expected calls .* is beyond the range of a float, more than the limit of 1e\+07"),
    (lambda: simulate(Scenario(ONE, TEAM, 24), replications=10_000),
     r"expected calls .* is 1\.44e\+07 calls, more than the limit of 1e\+07 calls"),
    (lambda: Scenario(ONE, TEAM, 0.5, interval_minutes=1e12),
     r"Scenario\.horizon_hours must be at least one 1e\+12-minute interval"),
    (lambda: Scenario(ONE, [AgentGroup("g", ["a"], 10**9)], 1),
     r"the agents of all groups .* is 1e\+09 agents, more than the limit of 5e\+04 agents"),
    (lambda: Scenario(ONE, [AgentGroup("g", ["a"], shifts=[Shift(0, 1, agents=10**9)])], 1),
     r"is 1e\+09 agents, more than the limit of 5e\+04 agents"),
    (lambda: simulate(Scenario(ONE, TEAM, 1), replications=10**6),
     r"replications is 1e\+06 replications, more than the limit of 1e\+05"),
    (lambda: simulate(Scenario(ONE, TEAM, 1), replications=10**400),
     r"replications must be a number that fits a float .*; got 1000"),
    (lambda: LogNormal(1e300, 1e300),
     r"LogNormal\.mean_seconds must be a finite number in \(0, 1e\+09\]; got 1e\+300"),
    (lambda: LogNormal(1, 1e5),
     r"LogNormal\.sd_seconds / mean_seconds \(the coefficient of variation\) must be in "
     r"\[0, 1000\]; got 100000\.0 / 1\.0 = 1e\+05"),
    (lambda: LogNormal.from_log(1e300, 1e300),
     r"LogNormal\.from_log log_sd must be a finite number in \[0, 3\.71692\]; got 1e\+300"),
    (lambda: LogNormal.from_log(800, 1), r"log_mean must be a finite number in \(-744\.94, "
                                         r"20\.2233\]; got 800\.0"),
    (lambda: Gamma(1e-3, 1e3), r"Gamma\.sd_seconds / mean_seconds .* got 1000\.0 / 0\.001 = "
                               r"1e\+06: no measured handle time"),
    (lambda: Gamma(1e5, 1e-5), r"Gamma\.sd_seconds / mean_seconds .*must be in \[1e-06, 1000\]; "
                               r"got 1e-05 / 100000\.0 = 1e-10: use Deterministic"),
    (lambda: Gamma(1, 1e300), r"Gamma\.sd_seconds must be a finite number in \(0, 1e\+09\]"),
    (lambda: Exponential(10**400), r"Exponential\.mean_seconds must be a number that fits a "
                                   r"float .*; got 1000"),
    (lambda: Scenario(ONE, TEAM, 2, start="3000-01-01"),
     r"Scenario\.start must be a naive timestamp .* between 1677-09-21.* and 2262-04-11"),
    (lambda: Scenario(ONE, TEAM, 2e5, start="2262-01-01"),
     r"horizon_hours = 200000 h from start 2262-01-01 00:00:00 ends after 2262-04-11"),
])
def test_named_cases(build, message):
    with pytest.raises(CCSimInputError, match=message):
        build()


def test_max_calls_raises_the_calls_limit():
    busy = Scenario([CallType("a", 1200, 1)], [AgentGroup("g", ["a"], 1)], 1)
    with pytest.raises(CCSimInputError, match=r"is 1,200 calls, more than the limit of 1,000"):
        simulate(busy, seed=1, max_calls=1000)
    assert simulate(busy, seed=1, max_calls=2000, keep_calls=False).summary()["offered"].iloc[0] > 0
    with pytest.raises(CCSimInputError, match=r"max_calls must be a finite number in \[0, 9\.0"):
        simulate(busy, seed=1, max_calls=1e300)


GRID = pd.date_range("2024-04-01 08:10", periods=4, freq="30min")


def test_an_arrivals_series_off_the_grid_is_refused():
    series = pd.Series([10.0, 20, 30, 40], index=GRID)
    late = CallType("a", arrivals=series, aht_seconds=100)
    with pytest.raises(CCSimInputError, match=(
            r"CallType\('a'\)\.arrivals has an interval starting 2024-04-01 08:10:00, off the "
            r"scenario's grid of 30-minute intervals from 2024-04-01 08:00:00 "
            r"\(Scenario\.start\)")):
        Scenario([late], TEAM, 2, start="2024-04-01 08:00")
    with pytest.raises(CCSimInputError, match=r"has 30-minute intervals, which neither split the "
                                              r"scenario's 20-minute intervals nor cover whole"):
        Scenario([late], TEAM, 2, start="2024-04-01 08:10", interval_minutes=20)
    # on the grid: its own start, or a grid it splits into whole intervals
    assert Scenario([late], TEAM).start == GRID[0]
    split = Scenario([late], TEAM, 2.5, start="2024-04-01 08:00", interval_minutes=10)
    assert split.arrival_rates(split.call_types[0])[2].tolist() == [10, 20, 30, 40]
    # a 60-minute forecast over 30-minute intervals from the half-hour: cut, not shifted
    hourly = CallType("a", arrivals=pd.Series([60.0, 60.0], index=pd.date_range(
        "2024-04-01 08:00", periods=2, freq="60min")), aht_seconds=100)
    window = Scenario([hourly], TEAM, 1, start="2024-04-01 08:30", interval_minutes=30)
    starts, lengths, calls = window.arrival_rates(window.call_types[0])
    assert (starts.tolist(), lengths.tolist(), calls.tolist()) == (
        [0.0, 1800.0], [1800.0, 1800.0], [30.0, 30.0])


def test_an_agents_series_off_the_grid_is_refused():
    with pytest.raises(CCSimInputError, match=(
            r"AgentGroup\('g'\)\.agents has an interval starting 2024-04-01 08:10:00, off the "
            r"scenario's grid")):
        Scenario(ONE, [AgentGroup("g", ["a"], pd.Series([1, 2, 3, 4], index=GRID))], 2,
                 start="2024-04-01 08:00")


def frames(result):
    return (result.calls, result.sessions, result.intervals, result.groups, result.summary())


def assert_same(first, second):
    for a, b in zip(frames(first), frames(second), strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)


SMALL_QUEUE = Scenario([CallType("a", 120, 100, 60)], [AgentGroup("g", ["a"], 3)], 1)


def test_a_spawned_seed_sequence_child_reproduces_its_run():
    children = np.random.SeedSequence(7).spawn(2)
    first = simulate(SMALL_QUEUE, seed=children[1], replications=2)
    again = simulate(SMALL_QUEUE, seed=children[1], replications=2)  # the same object again
    assert children[1].n_children_spawned == 0  # not spawned from
    assert_same(again, first)
    assert_same(simulate(SMALL_QUEUE, seed=first.seed, replications=2), first)
    assert_same(simulate(SMALL_QUEUE, seed=np.random.SeedSequence(7).spawn(2)[1],
                         replications=2), first)
    sibling = simulate(SMALL_QUEUE, seed=children[0], replications=2)
    assert not sibling.calls["arrival_seconds"].equals(first.calls["arrival_seconds"])
    # the bits of before the fix for a fresh child (computed with ccsim at commit 327612f)
    assert (len(first.calls), float(first.calls["wait_seconds"].sum())) == (
        248, 4096.896851218572)


def test_int_seeds_keep_their_bits():
    """Computed with ccsim at commit 327612f, before issue 9."""
    result = simulate(SMALL_QUEUE, seed=7, replications=2)
    assert result.seed == 7
    assert (len(result.calls), float(result.calls["wait_seconds"].sum()),
            float(result.calls["arrival_seconds"].iloc[-1]),
            float(result.summary()["service_level"].iloc[0])) == (
        238, 4056.8731487619243, 3586.0541886615656, 0.5336134453781513)
    assert_same(simulate(SMALL_QUEUE, seed=np.random.SeedSequence(7), replications=2), result)


def test_a_misbehaving_distribution_subclass_is_refused():
    class Broken(Distribution):
        mean_seconds = 100.0

        def sample(self, rng, size):
            return np.full(size, -1.0)

    class NoMean(Distribution):
        mean_seconds = "long"

        def sample(self, rng, size):
            return np.ones(size)

    with pytest.raises(CCSimInputError, match=r"CallType\('a'\)\.service: Broken\.sample "
                                              r"returned -1\.0; times must be finite and >= 0"):
        simulate(Scenario([CallType("a", 60, service=Broken())], TEAM, 1), seed=1)
    with pytest.raises(CCSimInputError, match=r"service must have a mean_seconds in \(0, 1e\+09"):
        CallType("a", 60, service=NoMean())


# ---------------------------------------------------------------- 3. the renamed keyword
def test_hours_is_deprecated_for_horizon_hours():
    with pytest.warns(DeprecationWarning, match=r"Scenario: hours= is deprecated .* use "
                                                r"horizon_hours="):
        old = Scenario(ONE, TEAM, hours=2)
    new = Scenario(ONE, TEAM, horizon_hours=2)
    assert old == new and new.horizon_hours == 2.0
    with pytest.warns(DeprecationWarning, match=r"Scenario\.hours is deprecated .* use "
                                                r"Scenario\.horizon_hours"):
        assert old.hours == 2.0  # still read, for one release
    assert_same(simulate(old, seed=4, replications=2), simulate(new, seed=4, replications=2))
    with pytest.raises(CCSimInputError, match=r"give horizon_hours= only \(hours= is its old "
                                              r"name\); got both"):
        Scenario(ONE, TEAM, 2, hours=2)
    assert Scenario(ONE, TEAM, 2) == new  # the positional slot is unchanged


# ---------------------------------------------------------------- 4. redials, IVR, lines, selection
DELAYS = st.one_of(SECONDS, st.sampled_from([Exponential(60), Deterministic(30),
                                             Empirical([0, 20]), Gamma(30, 10)]))


@FAST
@given(args=arguments(probability=st.floats(0, 1), delay_seconds=DELAYS,
                      keep_patience=st.booleans(), keep_service=st.booleans()))
def test_redial(args):
    built = attempt(lambda: Redial(**args))
    if built is not None:
        assert 0 <= built.probability <= 1
        assert isinstance(built.keep_patience, bool) and isinstance(built.keep_service, bool)
        check_distribution(built.delay_distribution)
        assert built.delay_distribution.mean_seconds > 0  # a zero delay could loop forever


@FAST
@given(args=arguments(seconds=st.one_of(st.just(0.0), DELAYS), self_service=st.floats(0, 1)))
def test_ivr(args):
    built = attempt(lambda: IVR(**args))
    if built is not None:
        assert 0 <= built.self_service <= 1
        check_distribution(built.time_distribution)


@FAST
@given(args=arguments(redial=st.one_of(st.none(), st.just(Redial(0.5, 60))),
                      ivr=st.one_of(st.none(), st.just(IVR(30, 0.2)))))
def test_call_type_redial_and_ivr(args):
    built = attempt(lambda: CallType("a", 10, 100, **args))
    if built is not None:
        assert built.redial is None or isinstance(built.redial, Redial)
        assert built.ivr is None or isinstance(built.ivr, IVR)


@FAST
@given(args=arguments(lines=st.one_of(st.none(), st.integers(1, 50)),
                      agent_selection=st.sampled_from(["longest-idle", "group-order"])))
def test_scenario_lines_and_selection(args):
    built = attempt(lambda: Scenario(ONE, TEAM, 1, **args))
    if built is not None:
        assert built.lines is None or (isinstance(built.lines, int) and built.lines >= 1)
        assert built.agent_selection in ("longest-idle", "group-order")


@SLOW
@given(rate=st.floats(0, 240), patience=st.one_of(st.none(), st.floats(1, 300)),
       probability=st.floats(0, 1), delay=DELAYS, keep=st.booleans(),
       ivr=st.one_of(st.none(), st.tuples(st.one_of(st.just(0.0), DELAYS), st.floats(0, 1))),
       lines=st.one_of(st.none(), st.integers(1, 6)),
       selection=st.sampled_from(["longest-idle", "group-order"]),
       agents=st.lists(st.integers(0, 4), min_size=2, max_size=2), seed=st.integers(0, 2**32))
def test_random_scenarios_with_redials_ivr_and_lines(rate, patience, probability, delay, keep,
                                                     ivr, lines, selection, agents, seed):
    redial = Redial(probability, delay, keep_patience=keep, keep_service=not keep)
    types = [CallType("a", rate, 120, patience, redial=redial,
                      ivr=None if ivr is None else IVR(*ivr)),
             CallType("b", rate / 4, 200, patience, overflow={"g": 20})]
    groups = [AgentGroup("g", ["a"], agents), AgentGroup("h", ["b", "a"], 1)]
    built = Scenario(types, groups, 1, 20, lines=lines, agent_selection=selection)
    result = attempt(lambda: simulate(built, seed=seed, replications=2))
    if result is not None:
        check_result(result)
        calls = result.calls
        assert (calls.groupby(["replication", "caller"])["attempt"].max()
                == calls.groupby(["replication", "caller"]).size()).all()
        assert (calls["arrival_seconds"] < 3600).all()  # no attempt after the horizon


@pytest.mark.parametrize("build, message", [
    (lambda: Redial(1.5, 60), r"Redial\.probability must be a finite number in \[0, 1\]; "
                              r"got 1\.5"),
    (lambda: Redial(50, 60), r"Redial\.probability .* got 50\.0 \(a fraction: write 0\.8 "
                             r"for 80 %\)"),
    (lambda: Redial(True, 60), r"Redial\.probability must be a number in \[0, 1\]; got True"),
    (lambda: Redial("half", 60), r"Redial\.probability must be a number in \[0, 1\]; "
                                 r"got 'half'"),
    (lambda: Redial(0.5, 0), r"Redial\.delay_seconds must be a finite number in "
                             r"\(0, 1e\+09\]; got 0\.0"),
    (lambda: Redial(0.5, Deterministic(0)), r"Redial\.delay_seconds must have a mean > 0 "
                                            r"seconds; got Deterministic\(seconds=0\.0\)"),
    (lambda: Redial(0.5, "10 min"), r"Redial\.delay_seconds must be a number of seconds"),
    (lambda: Redial(0.5, 60, keep_patience="yes"),
     r"Redial\.keep_patience must be True or False; got 'yes'"),
    (lambda: Redial(0.5, 60, keep_service=1), r"Redial\.keep_service must be True or False; "
                                              r"got 1"),
    (lambda: IVR(-1), r"IVR\.seconds must be a finite number in \[0, 1e\+09\]; got -1\.0"),
    (lambda: IVR(math.nan), r"IVR\.seconds must be a finite number .*; got nan"),
    (lambda: IVR(60, self_service=1.2), r"IVR\.self_service must be a finite number in "
                                        r"\[0, 1\]; got 1\.2"),
    (lambda: IVR(60, self_service=[0.1, 0.2]), r"IVR\.self_service must be a single number "
                                               r"in \[0, 1\]; got \[0\.1, 0\.2\]"),
    (lambda: CallType("a", 5, 100, redial=0.5),
     r"CallType\('a'\)\.redial must be a Redial such as Redial\(probability=0\.5, "
     r"delay_seconds=600\), or None; got 0\.5"),
    (lambda: CallType("a", 5, 100, ivr=60),
     r"CallType\('a'\)\.ivr must be an IVR such as IVR\(seconds=60, self_service=0\.3\), or "
     r"None; got 60"),
    (lambda: Scenario(ONE, TEAM, 1, lines=0), r"Scenario\.lines must be a whole number >= 1; "
                                              r"got 0\.0"),
    (lambda: Scenario(ONE, TEAM, 1, lines=2.5), r"Scenario\.lines must be a whole number >= 1; "
                                                r"got 2\.5"),
    (lambda: Scenario(ONE, TEAM, 1, lines="10"), r"Scenario\.lines must be a number .*; "
                                                 r"got '10'"),
    (lambda: Scenario(ONE, TEAM, 1, lines=[10, 20]), r"Scenario\.lines must be a single whole "
                                                     r"number; got \[10, 20\]"),
    (lambda: Scenario(ONE, TEAM, 1, agent_selection="random"),
     r"Scenario\.agent_selection must be 'longest-idle' or 'group-order'; got 'random'"),
    (lambda: Scenario(ONE, TEAM, 1, agent_selection=None),
     r"Scenario\.agent_selection must be 'longest-idle' or 'group-order'; got None"),
])
def test_named_cases_of_issues_12_and_13(build, message):
    with pytest.raises(CCSimInputError, match=message):
        build()


# ---------------------------------------------------------------- 5. escalation levels
@SLOW
@given(levels=st.lists(st.tuples(st.integers(1, 4), st.sampled_from([0, 0.5, 3, 20]),
                                 st.one_of(st.integers(0, 6), st.floats(0.2, 1)),
                                 st.sampled_from([0, 5, 30]),
                                 st.sampled_from([None, "back", "other"])),
                       min_size=1, max_size=3),
       back_shifts=st.booleans(), counts=st.lists(st.integers(0, 4), min_size=4, max_size=4),
       factor=st.floats(1, 4), seed=st.integers(0, 2**32))
def test_random_escalation_levels_give_valid_results(levels, back_shifts, counts, factor, seed):
    """Any mix of on-call and pulled levels: valid tables, calls conserved, no double booking."""
    standby = [Standby(agents, call_in, QueueAbove(trigger) if isinstance(trigger, int)
                       else ServiceLevelBelow(trigger, 10), min_stay_minutes=stay,
                       pull_from=source) for agents, call_in, trigger, stay, source in levels]
    back = (AgentGroup("back", ["b"], shifts=[Shift(0, 0.75, breaks=[(0.25, 0.5)], agents=2),
                                              Shift(0.5, 2, agents=2)])
            if back_shifts else AgentGroup("back", ["b"], counts))
    built = Scenario([CallType("a", 60, 120, 90, surges=[Surge(0.25, 1, factor)]),
                      CallType("b", 10, 300, 300)],
                     [AgentGroup("front", ["a"], [2, 3, 2, 2], standby=standby), back,
                      AgentGroup("other", ["b"], 1, standby=Standby(1, 1, QueueAbove(0),
                                                                   pull_from="back"))],
                     1, 20, interval_minutes=15)
    result = simulate(built, seed=seed, replications=2)
    check_result(result)
    calls = result.calls
    answered = calls[calls["outcome"] == "answered"]
    start = answered["arrival_seconds"] + answered["wait_seconds"]
    ordered = answered.assign(start=start, end=start + answered["service_seconds"]).sort_values(
        ["replication", "agent", "start"])
    same = (ordered["replication"].to_numpy()[1:] == ordered["replication"].to_numpy()[:-1]) & (
        ordered["agent"].to_numpy()[1:] == ordered["agent"].to_numpy()[:-1])
    assert (ordered["start"].to_numpy()[1:][same] >= ordered["end"].to_numpy()[:-1][same]
            - 1e-9).all()
    assert (answered.loc[answered["call_type"] == "a", "group"] == "front").all()
    sessions = result.sessions
    assert (sessions["logout_seconds"] >= sessions["login_seconds"]).all()
    assert (result.groups["staffed"] >= -1e-9).all()
    table = result.standby
    assert (table["agents_arrived"] <= table["agents"]).all()
    assert not (table["login_seconds"] < table["called_seconds"]).any()
    assert not (table["login_seconds"].notna() & table["called_seconds"].isna()).any()
