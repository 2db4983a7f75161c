"""Fuzz tests of ccsim.erlang (issue 9: solid under bad input, one vocabulary).

1. For every public function, random and adversarial inputs (huge, tiny, negative,
   NaN, inf, wrong types, text, empty, 2-D, shapes that do not broadcast, pandas
   objects on different indexes) either give a valid result (finite where it must
   be, in range, and for the inverses the least count meeting the target) or raise
   ``CCSimInputError``; any other exception fails.
2. The named cases of the issue, pinned with ``pytest.raises(..., match=...)``.
3. The renamed arguments of ``offered_traffic`` warn ``DeprecationWarning`` and give
   the same result as the new spelling.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from _fuzz import call_or_refuse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccsim import erlang
from ccsim._erlang.inputs import MAX_AGENTS, MAX_TRAFFIC
from ccsim._validation import CCSimInputError
from ccsim.erlang import (
    agents_for_abandon_rate,
    agents_for_asa,
    agents_for_service_level,
    average_speed_of_answer,
    erlang_a,
    erlang_b,
    erlang_c,
    occupancy,
    offered_traffic,
    service_level,
)

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NAN, INF = math.nan, math.inf
# Adversarial values shared by every argument: each is refused by some check or valid.
JUNK = [NAN, INF, -INF, -1.0, -1e-300, "10", b"10", None, [1.0, "a"], {"a": 1}, 1 + 2j,
        np.ones((2, 3)), np.array([1.0, 2.0, 3.0]), np.array([]), [[1.0], [2.0, 3.0]],
        pd.Series([1.0, 2.0], index=["p", "q"]), pd.DataFrame({"x": [1.0, 2.0]}), True,
        np.datetime64("2024-01-01")]


def numbers(low: float, high: float, typical: tuple[float, float]) -> st.SearchStrategy:
    """Mostly plain values, then edges in [low, high] (tiny and huge), then junk."""
    edges = [v for v in (0.0, 5e-324, 1e-300, 1e-9, 0.5, 1.0, 14.0, 1e6, 1e8, 1e9, 1e16,
                         1e300, 1.7e308) if low <= v <= high]
    plain = st.floats(*typical)
    return st.one_of(plain, plain, plain, st.sampled_from(edges),
                     st.floats(low, high, allow_nan=False), st.sampled_from(JUNK))


traffic_st = st.one_of(numbers(0.0, 400.0, (0.0, 300.0)),
                       st.sampled_from([1e4, 2.5e5, 1e9, 1e15, 1e16]))
agents_st = st.one_of(st.integers(0, 500), st.integers(0, 500),
                      st.sampled_from([0, 1, 10**6, 10**9, 10**10, 2**53, 10**19, 10**30, 14.5,
                                       -1, np.array([3, 12, 400])]),
                      st.sampled_from(JUNK))
seconds_st = numbers(0.0, 1e12, (1.0, 3600.0))
fraction_st = st.one_of(st.floats(0.01, 0.99), st.floats(0.01, 0.99), st.floats(0.0, 1.0),
                        st.sampled_from([1e-300, 1 - 1e-16, 0.8, 80.0]), st.sampled_from(JUNK))
finite_patience_st = numbers(0.0, 1e12, (1.0, 3600.0))
patience_st = st.one_of(st.none(), finite_patience_st, finite_patience_st, st.just(INF))
occupancy_st = st.one_of(st.none(), st.none(), fraction_st, st.sampled_from([1e-300, 1e-30]))


TRAFFIC = (st.floats(0.0, 300.0), traffic_st)
AGENTS = (st.integers(0, 500), agents_st)
SECONDS = (st.floats(1.0, 3600.0), seconds_st)
FRACTION = (st.floats(0.01, 0.99), fraction_st)
PATIENCE = (st.one_of(st.none(), st.floats(1.0, 3600.0), st.just(INF)), patience_st)
FINITE_PATIENCE = (st.floats(1.0, 3600.0), finite_patience_st)
CAP = (st.one_of(st.none(), st.floats(0.5, 1.0)), occupancy_st)


@st.composite
def arguments(draw, **spec):
    """Positional arguments: all plain half of the time, else each possibly adversarial."""
    clean = draw(st.booleans())
    return tuple(draw(plain if clean else adversarial) for plain, adversarial in spec.values())


def _float(value) -> float:
    return float(np.asarray(value, dtype=float))


def _array(value) -> np.ndarray:
    return np.asarray(value, dtype=float)


def _fraction(value) -> None:
    values = _array(value)
    assert not np.isnan(values).any() and ((values >= 0) & (values <= 1)).all(), value


def _form(result, inputs) -> None:
    """Scalars give a float (int), arrays an ndarray or a Series."""
    if all(np.ndim(v) == 0 for v in inputs if v is not None):
        assert isinstance(result, (float, int)), type(result)
    else:
        assert isinstance(result, (float, int, np.ndarray, pd.Series)), type(result)


_call = call_or_refuse


# ------------------------------------------------------------- 1. fuzz: measures
@FUZZ
@given(args=arguments(traffic=TRAFFIC, agents=AGENTS))
def test_fuzz_erlang_b_c_occupancy(args):
    traffic, agents = args
    for func in (erlang_b, erlang_c, occupancy):
        result = _call(func, traffic, agents)
        if result is not None:
            _form(result, (traffic, agents))
            _fraction(result)


@FUZZ
@given(args=arguments(traffic=TRAFFIC, agents=AGENTS, aht=SECONDS, within=SECONDS))
def test_fuzz_service_level_and_asa(args):
    traffic, agents, aht, within = args
    result = _call(service_level, traffic, agents, aht, within)
    if result is not None:
        _form(result, (traffic, agents, aht, within))
        _fraction(result)
    asa = _call(average_speed_of_answer, traffic, agents, aht)
    if asa is not None:
        values, a, n = np.broadcast_arrays(_array(asa), _array(traffic), _array(agents))
        assert not np.isnan(values).any() and (values >= 0).all()
        # inf only for an unstable queue (the documented convention), never an overflow
        assert np.isfinite(values[(a == 0) | (n > a)]).all(), (traffic, agents, aht)


@FUZZ
@given(args=arguments(traffic=TRAFFIC, agents=AGENTS, aht=SECONDS,
                      patience=(st.one_of(st.floats(1.0, 3600.0), st.just(INF)),
                                finite_patience_st), within=SECONDS))
def test_fuzz_erlang_a(args):
    traffic, agents, aht, patience, within = args
    result = _call(erlang_a, traffic, agents, aht, patience, within)
    if result is None:
        return
    for name, value in result.to_dict().items():
        values = _array(value)
        assert not np.isnan(values).any(), name
        if name.endswith("_seconds"):
            assert (values >= 0).all(), name
            if np.isfinite(_array(patience)).all() and name == "mean_wait_seconds":
                assert np.isfinite(values).all(), name
        else:
            _fraction(values)


@FUZZ
@given(calls=numbers(0.0, 1.7e308, (0.0, 1e4)), aht=numbers(0.0, 1.7e308, (1.0, 3600.0)),
       minutes=numbers(0.0, 1.7e308, (1.0, 60.0)))
def test_fuzz_offered_traffic(calls, aht, minutes):
    result = _call(offered_traffic, calls, aht, interval_minutes=minutes)
    if result is not None:
        _form(result, (calls, aht, minutes))
        values = _array(result)
        assert np.isfinite(values).all() and (values >= 0).all()


# ------------------------------------------------------------- 1. fuzz: inverses
# The searches evaluate the measures their own way (Erlang B carried by recursion):
# against the public functions they agree to rounding, which decides only targets
# within a few units of the last place of the measure.
ROUNDING = 1e-14


def _least(n, measure, target, at_least: bool) -> None:
    """``n`` meets the target and ``n - 1`` does not (up to rounding)."""
    goal = _float(target)
    slack = ROUNDING * max(abs(goal), 1e-300)
    sign = 1.0 if at_least else -1.0
    assert sign * (measure(n) - goal) >= -slack, n
    if n >= 1:
        assert sign * (measure(n - 1) - goal) < slack, n


@FUZZ
@given(args=arguments(traffic=TRAFFIC, aht=SECONDS, target=FRACTION, within=SECONDS,
                      patience=PATIENCE, cap=CAP))
def test_fuzz_agents_for_service_level(args):
    traffic, aht, target, within, patience, cap = args
    n = _call(agents_for_service_level, traffic, aht, target, within, patience, cap)
    if n is None:
        return
    _form(n, (traffic, aht, target, within, patience, cap))
    counts = _array(n)
    assert ((counts >= 0) & (counts <= MAX_AGENTS)).all()
    if isinstance(n, int) and traffic > 0 and cap is None:
        pat = INF if patience is None else patience

        def measure(m):
            return erlang_a(traffic, m, aht, pat, within).service_level

        _least(n, measure, target, at_least=True)


@FUZZ
@given(args=arguments(traffic=TRAFFIC, aht=SECONDS, target=SECONDS, patience=PATIENCE,
                      cap=CAP))
def test_fuzz_agents_for_asa(args):
    traffic, aht, target, patience, cap = args
    n = _call(agents_for_asa, traffic, aht, target, patience, cap)
    if n is None:
        return
    counts = _array(n)
    assert ((counts >= 0) & (counts <= MAX_AGENTS)).all()
    if isinstance(n, int) and traffic > 0 and cap is None:
        if patience is None or patience == INF:
            def measure(m):
                return average_speed_of_answer(traffic, m, aht)
        else:
            def measure(m):
                return erlang_a(traffic, m, aht, patience, 0.0).asa_seconds
        _least(n, measure, target, at_least=False)


@FUZZ
@given(args=arguments(traffic=TRAFFIC, aht=SECONDS, target=FRACTION,
                      patience=FINITE_PATIENCE, cap=CAP))
def test_fuzz_agents_for_abandon_rate(args):
    traffic, aht, target, patience, cap = args
    n = _call(agents_for_abandon_rate, traffic, aht, target, patience, cap)
    if n is None:
        return
    counts = _array(n)
    assert ((counts >= 0) & (counts <= MAX_AGENTS)).all()
    if isinstance(n, int) and traffic > 0 and cap is None:
        def measure(m):
            return erlang_a(traffic, m, aht, patience, 0.0).p_abandon

        _least(n, measure, target, at_least=False)


@FEW
@given(shape_a=st.sampled_from([(), (3,), (2, 3), (2, 1), (4,), (1, 3), (2, 2, 3)]),
       shape_b=st.sampled_from([(), (3,), (2, 3), (2, 1), (4,), (3, 1), (5, 1, 1)]))
def test_fuzz_shapes_broadcast_or_are_refused_by_name(shape_a, shape_b):
    traffic = np.full(shape_a, 5.0)
    agents = np.full(shape_b, 8.0)
    try:
        expected = np.broadcast_shapes(shape_a, shape_b)
    except ValueError:
        expected = None
    calls = [lambda: erlang_b(traffic, agents), lambda: erlang_c(traffic, agents),
             lambda: service_level(traffic, agents, 180, 20),
             lambda: erlang_a(traffic, agents, 180, 120, 20).service_level,
             lambda: agents_for_service_level(traffic, 180, agents / 10, 20, 120)]
    for call in calls:
        if expected is None:
            with pytest.raises(CCSimInputError, match=r"do not broadcast to one shape \("
                                                      r"traffic has shape"):
                call()
        else:
            assert np.shape(call()) == expected


# ------------------------------------------------------------- 2. the named cases
@pytest.mark.parametrize("call", [
    lambda: agents_for_service_level(1e16, 180, 0.8, 20),
    lambda: agents_for_service_level(1e15, 180, 0.8, 20, patience_seconds=120),
    lambda: agents_for_asa(1e16, 180, 15),
    lambda: agents_for_asa(1e15, 180, 15, patience_seconds=120),
    lambda: agents_for_abandon_rate(1e15, 180, 0.05, 120),
    lambda: erlang_a(1e15, 10**6, 180, 120, 20),
    lambda: erlang_b([10.0, 1e16], 5),
], ids=["sl-c", "sl-a", "asa-c", "asa-a", "abandon", "erlang-a", "erlang-b"])
def test_issue_huge_traffic_is_refused_with_the_estimate(call):
    with pytest.raises(CCSimInputError, match=r"^traffic must be at most 100,000,000 Erlangs "
                       r"\(a hundred million agents busy at once\); got "
                       r"(1e\+16|1000000000000000\.0).*the agents needed are about the traffic "
                       r"itself"):
        call()


def test_issue_traffic_at_the_limit_is_answered():
    n = agents_for_service_level(MAX_TRAFFIC, 180, 0.8, 20)
    assert MAX_TRAFFIC < n < 1.001 * MAX_TRAFFIC
    m = agents_for_service_level(MAX_TRAFFIC, 180, 0.8, 20, patience_seconds=120)
    assert 0.8 * MAX_TRAFFIC <= m < n
    assert 0.95 * MAX_TRAFFIC <= agents_for_abandon_rate(MAX_TRAFFIC, 180, 0.05, 120) < n


def test_issue_arrays_that_do_not_broadcast():
    with pytest.raises(CCSimInputError, match=r"^erlang_b: the array arguments do not broadcast "
                       r"to one shape \(traffic has shape \(3,\), agents has shape \(2,\)\)"):
        erlang_b([1.0, 2.0, 3.0], [1, 2])
    with pytest.raises(CCSimInputError, match=r"^agents_for_asa: .* \(traffic has shape \(3,\), "
                       r"target_seconds has shape \(2, 2\)\)"):
        agents_for_asa([1.0, 2.0, 3.0], 180, np.full((2, 2), 15.0))
    with pytest.raises(CCSimInputError, match=r"aht_seconds has shape \(2,\)"):
        offered_traffic([1.0, 2.0, 3.0], [180.0, 200.0], interval_minutes=30)


def test_issue_2d_arrays_work():
    traffic = np.array([[5.0, 10.0], [20.0, 0.0]])
    n = agents_for_service_level(traffic, 180, 0.8, 20)
    assert n.shape == (2, 2) and n[0, 1] == 14 and n[1, 1] == 0
    a = erlang_a(traffic, n, 180, 120, 20)
    assert a.service_level.shape == (2, 2) and (a.service_level >= 0.8).all()
    assert agents_for_service_level(traffic, 180, 0.8, 20, patience_seconds=120).shape == (2, 2)
    assert erlang_c(pd.DataFrame(traffic), 25).shape == (2, 2)


def test_series_on_different_indexes_are_refused():
    one = pd.Series([5.0, 10.0], index=["a", "b"])
    other = pd.Series([8, 14], index=["b", "a"])
    with pytest.raises(CCSimInputError, match=r"traffic and agents are pandas objects on "
                       r"different indexes; align them first"):
        erlang_c(one, other)
    same = erlang_c(one, other.reindex(one.index))
    assert isinstance(same, pd.Series) and same.index.equals(one.index)


def test_issue_offered_traffic_overflow_is_refused():
    with pytest.raises(CCSimInputError, match=r"^offered_traffic: calls_per_interval \* "
                       r"aht_seconds / interval is about 1e3\d\d Erlangs .*beyond the largest"):
        offered_traffic(1e308, 1e10, interval_minutes=1)
    with pytest.raises(CCSimInputError, match=r"at position 1"):
        offered_traffic([1e-300, 1e300], 1e300, interval_minutes=1e-300)
    # a product that overflows while the quotient does not is computed the other way
    assert offered_traffic(1e300, 1e10, interval_minutes=1e10 / 60) == pytest.approx(1e300)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: erlang_b(10, 10**10), r"^agents must be at most 1,000,000,000; got 10000000000.0$"),
    (lambda: service_level(10, 14, 1e10, 20), r"^aht_seconds must be at most 1e\+09 s"),
    (lambda: erlang_a(10, 14, 180, 1e300, 20),
     r"^patience_seconds / aht_seconds must be in \[1e-09, 1e\+09\] .*patience_seconds=None"),
    (lambda: erlang_a(10, 14, 180, 1e-300, 20), r"^patience_seconds / aht_seconds"),
    (lambda: agents_for_service_level(10, 180, 0.8, 20, max_occupancy=1e-30),
     r"^agents_for_service_level: the agents an occupancy cap .* is 1e\+31 agents, more than "
     r"the limit of 1e\+09 agents; raise max_occupancy"),
    (lambda: erlang_b(np.zeros(10**4), np.zeros((10**4, 1))),
     r"^erlang_b: the broadcast arguments is 1e\+08 elements, more than the limit of 1e\+07"),
])
def test_documented_limits(call, message):
    with pytest.raises(CCSimInputError, match=message):
        call()


def test_extreme_but_valid_inputs_give_finite_answers():
    # formerly a hang (series of billions of terms) or NaN: now bounded and finite
    r = erlang_a(1e6, 1_000_050, 180, 1.8e9, 20)
    assert all(np.isfinite(v) for v in r.to_dict().values())
    assert 1 <= agents_for_service_level(1e6, 180, 1 - 1e-16, 0) <= 1e6 + 64_000 + 1001
    assert erlang_b(99.5, 10**9) == 0.0 and average_speed_of_answer(10, 10**9, 1e9) == 0.0
    assert math.isfinite(average_speed_of_answer(1e6 - 1e-4, 10**6, 1e9))
    assert erlang_a(10, 14, 1e-300, 1e-292, 1.7e308).p_abandon_within <= 1.0


# ------------------------------------------------------------- 3. the vocabulary
def test_offered_traffic_new_spelling():
    assert offered_traffic(100, 180, interval_minutes=30) == 10.0
    assert offered_traffic(calls_per_interval=100, aht_seconds=180, interval_minutes=30) == 10.0
    series = pd.Series([100.0, 50.0], index=["08:00", "08:30"])
    out = offered_traffic(series, 180, interval_minutes=30)
    assert isinstance(out, pd.Series) and out.tolist() == [10.0, 5.0]


def test_offered_traffic_old_positional_seconds_warns_and_agrees():
    with pytest.warns(DeprecationWarning, match=r"interval length in seconds .* pass "
                      r"interval_minutes= in minutes"):
        old = offered_traffic(100, 180, 1800)
    assert old == offered_traffic(100, 180, interval_minutes=30)
    with pytest.warns(DeprecationWarning):
        assert offered_traffic(100, 180, interval_seconds=900) == 20.0


def test_offered_traffic_old_calls_keyword_warns_and_agrees():
    with pytest.warns(DeprecationWarning, match=r"calls= is deprecated .* use "
                      r"calls_per_interval="):
        old = offered_traffic(calls=[100.0, 40.0], aht_seconds=180, interval_minutes=30)
    np.testing.assert_array_equal(old, offered_traffic([100.0, 40.0], 180, interval_minutes=30))


@pytest.mark.parametrize(("call", "message"), [
    (lambda: offered_traffic(100, 180, calls=100, interval_minutes=30),
     r"give calls_per_interval= only \(calls= is its old name\); got both"),
    (lambda: offered_traffic(100, 180, 1800, interval_minutes=30),
     r"give interval_minutes= only; the third positional argument is the deprecated"),
    (lambda: offered_traffic(100, 180), r"interval_minutes= is required"),
    (lambda: offered_traffic(aht_seconds=180, interval_minutes=30),
     r"calls_per_interval is required"),
    (lambda: offered_traffic(100, interval_minutes=30), r"aht_seconds is required"),
    (lambda: offered_traffic(100, 180, interval_minutes=0),
     r"^interval_minutes must be a finite number in \(0, inf\); got 0.0"),
    (lambda: offered_traffic(-1, 180, interval_minutes=30),
     r"^calls_per_interval must be a finite number in \[0, inf\); got -1.0"),
])
def test_offered_traffic_bad_arguments(call, message):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(CCSimInputError, match=message):
            call()


def test_public_signatures_have_real_type_hints():
    for name in erlang.__all__:
        func = getattr(erlang, name)
        hints = getattr(func, "__annotations__", {})
        if callable(func) and not isinstance(func, type):
            assert hints and all("Any" not in str(h) for h in hints.values()), name
