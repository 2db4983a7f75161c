"""Properties of ccsim.erlang: conventions at the edges, bounds, monotonicity,
least-n inverses, the Erlang C limit of Erlang A, input/output forms and
vectorisation (hypothesis where the inputs are free)."""

from __future__ import annotations

import contextlib
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ccsim import (
    ErlangAResult,
    agents_for_abandon_rate,
    agents_for_asa,
    agents_for_service_level,
    average_speed_of_answer,
    erlang_a,
    erlang_b,
    erlang_c,
    occupancy,
    service_level,
)

A_FIELDS = (
    "p_wait",
    "p_abandon",
    "p_abandon_within",
    "service_level",
    "service_level_answered",
    "service_level_excluding_short_abandons",
    "asa_seconds",
    "mean_wait_seconds",
    "occupancy",
)
PROBABILITY_FIELDS = A_FIELDS[:6] + ("occupancy",)

# "Same answers" for floats: equal up to rounding (the array path of erlang_a's
# ASA quadrature differs from the scalar path in the last bit); agent counts exactly.
RTOL_SAME = 1e-14

FAST = settings(max_examples=40, deadline=None)
MEDIUM = settings(max_examples=80, deadline=None)

traffic_st = st.one_of(st.just(0.0), st.floats(1e-3, 400.0), st.integers(1, 300).map(float))
load_st = st.one_of(st.just(0.0), st.floats(1e-250, 400.0))  # (near-)subnormal: see below
# Erlang A: traffic * patience / aht * exp(-T / patience) must stay a normal float
# (see test_erlang_a_subnormal_intermediate_has_no_warning)
load_a_st = st.one_of(st.just(0.0), st.floats(1e-3, 400.0))
agents_st = st.integers(0, 450)
aht_st = st.floats(5.0, 3600.0)
within_st = st.one_of(st.just(0.0), st.floats(0.0, 600.0, allow_subnormal=False))
patience_st = st.floats(1.0, 1e5)
target_st = st.floats(0.05, 0.99)


@contextlib.contextmanager
def strict():
    """Turn every warning (NumPy's RuntimeWarning included) into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def nonincreasing(values, rtol=1e-12):
    values = np.asarray(values, dtype=float)
    finite = np.where(np.isinf(values), np.copysign(1e300, values), values)
    slack = rtol * np.abs(finite[:-1]) + 1e-300
    return bool(np.all(finite[1:] <= finite[:-1] + slack))


def nondecreasing(values, rtol=1e-12):
    return nonincreasing(-np.asarray(values, dtype=float), rtol)


# ----------------------------------------------------------- edge conventions


@pytest.mark.parametrize("agents", [0, 1, 14, 1000])
def test_zero_traffic_conventions(agents):
    with strict():
        assert erlang_b(0.0, agents) == 0.0
        assert erlang_c(0.0, agents) == 0.0
        assert service_level(0.0, agents, 180, 20) == 1.0
        assert service_level(0.0, agents, 180, 0) == 1.0
        assert average_speed_of_answer(0.0, agents, 180) == 0.0
        assert occupancy(0.0, agents) == 0.0
        r = erlang_a(0.0, agents, 180, 120, 20)
    assert r.p_wait == 0.0 and r.p_abandon == 0.0 and r.p_abandon_within == 0.0
    assert r.service_level == 1.0 and r.asa_seconds == 0.0 and r.mean_wait_seconds == 0.0


def test_zero_traffic_needs_zero_agents():
    with strict():
        assert agents_for_service_level(0.0, 180, 0.8, 20) == 0
        assert agents_for_service_level(0.0, 180, 0.8, 20, patience_seconds=60) == 0
        assert agents_for_service_level(0.0, 180, 0.8, 20, max_occupancy=0.85) == 0
        assert agents_for_asa(0.0, 180, 15) == 0
        assert agents_for_asa(0.0, 180, 15, patience_seconds=60) == 0
        assert agents_for_abandon_rate(0.0, 180, 0.05, 60) == 0
        out = agents_for_service_level(np.array([0.0, 10.0, 0.0]), 180, 0.8, 20)
    np.testing.assert_array_equal(out, [0, 14, 0])  # 14: the classic worked example


@pytest.mark.parametrize(
    ("traffic", "agents"),
    [(10.0, 10), (10.0, 9), (14.0, 14.0), (0.5, 0), (1e6, 1), (50000.0, 50000), (1e-3, 0)],
)
def test_unstable_erlang_c_conventions(traffic, agents):
    # traffic >= agents: the M/M/n queue grows without bound.
    with strict():
        assert erlang_c(traffic, agents) == 1.0
        assert service_level(traffic, agents, 180, 20) == 0.0
        assert service_level(traffic, agents, 180, 0) == 0.0
        assert average_speed_of_answer(traffic, agents, 180) == math.inf
        assert occupancy(traffic, agents) == 1.0
        r = erlang_a(traffic, agents, 180, math.inf, 20)  # infinite patience: Erlang C
    assert r.p_wait == 1.0 and r.service_level == 0.0 and r.asa_seconds == math.inf


def test_mixed_stable_and_unstable_arrays_have_no_nan_and_no_warning():
    traffic = np.array([0.0, 5.0, 10.0, 14.0, 20.0, 1e6, 13.999999])
    with strict():
        c = erlang_c(traffic, 14)
        sl = service_level(traffic, 14, 180, 20)
        asa = average_speed_of_answer(traffic, 14, 180)
        occ = occupancy(traffic, 14)
        b = erlang_b(traffic, 14)
    for values in (c, sl, asa, occ, b):
        assert not np.isnan(values).any()
    np.testing.assert_array_equal(c[3:6], 1.0)
    np.testing.assert_array_equal(sl[3:6], 0.0)
    np.testing.assert_array_equal(asa[3:6], np.inf)
    assert 0 < c[6] < 1 and np.isfinite(asa[6])  # just stable


@pytest.mark.parametrize("traffic", [1e-9, 0.5, 10.0, 1e6])
def test_erlang_b_with_no_agents_blocks_everything(traffic):
    assert erlang_b(traffic, 0) == 1.0


@pytest.mark.parametrize("within", [0.0, 20.0])
def test_erlang_a_with_no_agents(within):
    with strict():
        r = erlang_a(10.0, 0, 180, 120, within)
    assert r.p_wait == 1.0 and r.p_abandon == 1.0
    assert r.service_level == 0.0 and r.service_level_answered == 0.0
    assert r.asa_seconds == math.inf
    assert r.mean_wait_seconds == 120.0  # everyone waits out their whole patience


@pytest.mark.parametrize("within", [0.0, 20.0])
def test_erlang_a_with_no_agents_abandon_within(within):
    # Nobody is answered, so a caller's fate is its own exponential patience.
    r = erlang_a(10.0, 0, 180, 120, within)
    assert r.p_abandon_within == pytest.approx(-math.expm1(-within / 120), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize(("traffic", "agents"), [(10.0, 14), (10.0, 10), (30.0, 14), (0.2, 3)])
def test_erlang_a_with_infinite_patience_is_erlang_c(traffic, agents):
    r = erlang_a(traffic, agents, 180, math.inf, 20)
    assert r.p_wait == erlang_c(traffic, agents)
    assert r.p_abandon == 0.0 and r.p_abandon_within == 0.0
    assert r.service_level == service_level(traffic, agents, 180, 20)
    assert r.service_level_answered == r.service_level
    assert r.asa_seconds == average_speed_of_answer(traffic, agents, 180)
    assert r.mean_wait_seconds == r.asa_seconds
    same_c = agents_for_service_level(traffic, 180, 0.8, 20)
    assert agents_for_service_level(traffic, 180, 0.8, 20, patience_seconds=math.inf) == same_c
    assert agents_for_asa(traffic, 180, 15, patience_seconds=math.inf) == agents_for_asa(
        traffic, 180, 15)


@pytest.mark.parametrize(("traffic", "agents"), [(1000.0, 10), (12.0, 10), (1e5, 1)])
def test_erlang_a_is_finite_in_overload(traffic, agents):
    with strict():
        r = erlang_a(traffic, agents, 180, 60, 20)
    for name in A_FIELDS:
        assert math.isfinite(getattr(r, name)), name
    assert r.p_abandon > 1 - agents / traffic - 1e-12  # at most `agents` Erlangs are carried


# ------------------------------------------------------------------ bounds


@FAST
@given(a=traffic_st, n=agents_st, aht=aht_st, t=within_st)
def test_erlang_c_family_bounds(a, n, aht, t):
    with strict():
        b, c = erlang_b(a, n), erlang_c(a, n)
        sl, asa = service_level(a, n, aht, t), average_speed_of_answer(a, n, aht)
        occ = occupancy(a, n)
    for value in (b, c, occ):
        assert isinstance(value, float) and 0.0 <= value <= 1.0
    assert isinstance(sl, float) and 0.0 <= sl <= 1.0
    assert isinstance(asa, float) and asa >= 0.0 and not math.isnan(asa)
    assert c >= b * (1 - 1e-14)  # queueing callers wait at least as often as lost ones
    assert math.isinf(asa) == (a >= n and a > 0)
    if a > 0 and a < n:
        assert occ == pytest.approx(a / n, rel=1e-15)


@MEDIUM
@given(a=traffic_st, n=agents_st, aht=aht_st, patience=patience_st, t=within_st)
def test_erlang_a_bounds(a, n, aht, patience, t):
    with strict():
        r = erlang_a(a, n, aht, patience, t)
    for name in PROBABILITY_FIELDS:
        value = getattr(r, name)
        assert isinstance(value, float) and 0.0 <= value <= 1.0, (name, value)
    assert r.asa_seconds >= 0.0 and not math.isnan(r.asa_seconds)
    assert math.isinf(r.asa_seconds) == (n == 0 and a > 0)
    assert 0.0 <= r.mean_wait_seconds <= patience * (1 + 1e-12)
    tol = 1e-12
    assert r.p_abandon_within <= r.p_abandon + tol
    assert r.p_abandon <= r.p_wait + tol
    assert r.service_level <= 1.0 - r.p_abandon + tol  # answered within T <= answered
    assert r.service_level <= r.service_level_answered + tol
    assert r.service_level <= r.service_level_excluding_short_abandons + tol
    if n > 0:
        assert r.occupancy == pytest.approx(a * (1 - r.p_abandon) / n, rel=1e-12, abs=1e-300)


@FAST
@given(n=st.integers(1, 400), ratio=st.floats(1.0001, 50.0), aht=aht_st, patience=patience_st,
       t=within_st)
def test_erlang_a_finite_when_traffic_exceeds_agents(n, ratio, aht, patience, t):
    with strict():
        r = erlang_a(n * ratio, n, aht, patience, t)
    for name in A_FIELDS:
        assert math.isfinite(getattr(r, name)), name
    # carried load cannot exceed the agents: 1 - p_abandon <= n / traffic
    assert 1 - r.p_abandon <= 1 / ratio * (1 + 1e-9)


@example(a=2.0, n=18, aht=5.0, t=10.0)
@FAST
@given(a=traffic_st, n=agents_st, aht=aht_st, t=within_st)
def test_service_level_at_most_one(a, n, aht, t):
    assert service_level(a, n, aht, t) <= 1.0


@example(a=194.0, n=1, aht=60.0, patience=10.0, t=0.0)
@example(a=2.0, n=1, aht=60.0, patience=1.0, t=60.0)
@FAST
@given(a=traffic_st, n=agents_st, aht=aht_st, patience=patience_st, t=within_st)
def test_erlang_a_fractions_at_most_one(a, n, aht, patience, t):
    r = erlang_a(a, n, aht, patience, t)
    for name in PROBABILITY_FIELDS:
        assert getattr(r, name) <= 1.0, name


@pytest.mark.parametrize(("traffic", "aht", "patience"),
                         [(5e-324, 5.0, 1.0), (1e-310, 5.0, 1.0), (1e-305, 3600.0, 1.0),
                          (2.2250738585072014e-308, 5.0, 1.0)])
def test_tiny_traffic_erlang_a_has_no_nan_or_warning(traffic, aht, patience):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = erlang_a(traffic, 1, aht, patience, 0)
    nan = [name for name in A_FIELDS if math.isnan(getattr(r, name))]
    assert not nan, f"NaN in {nan}"
    assert r.service_level == 1.0  # 1 - P(wait), P(wait) ~ traffic
    assert not caught, [str(w.message) for w in caught]


def test_erlang_a_subnormal_intermediate_has_no_warning():
    with strict():
        r = erlang_a(10.0, 12, 180.0, 1.0, 712.0)
        n = agents_for_service_level(10.0, 180.0, 0.8, 712.0, patience_seconds=1.0)
    assert math.isfinite(r.service_level) and n == 11


@pytest.mark.parametrize("traffic", [5e-324, 1e-310])
def test_subnormal_traffic_has_no_warning(traffic):
    with strict():
        values = [erlang_b(traffic, 1), erlang_c(traffic, 2), service_level(traffic, 1, 5, 10),
                  average_speed_of_answer(traffic, 1, 5), occupancy(traffic, 1),
                  agents_for_service_level(traffic, 180, 0.8, 20),
                  agents_for_service_level(traffic, 180, 0.8, 20, patience_seconds=60),
                  agents_for_abandon_rate(traffic, 180, 0.05, 60)]
    assert not any(math.isnan(v) for v in values)


# ---------------------------------------------------------------- monotone


@FAST
@given(a=st.floats(1e-2, 300.0), aht=aht_st, t=within_st)
def test_erlang_c_family_monotone_in_agents(a, aht, t):
    n = np.arange(0, int(2 * a) + 30)
    with strict():
        assert nonincreasing(erlang_b(a, n))
        assert nonincreasing(erlang_c(a, n))
        assert nondecreasing(service_level(a, n, aht, t))
        assert nonincreasing(average_speed_of_answer(a, n, aht))


@FAST
@given(loads=st.lists(load_st, min_size=2, max_size=30), n=agents_st,
       aht=aht_st, t=within_st)
def test_erlang_c_family_monotone_in_traffic(loads, n, aht, t):
    a = np.sort(np.array(loads))
    with strict():
        assert nondecreasing(erlang_b(a, n))
        assert nondecreasing(erlang_c(a, n))
        assert nonincreasing(service_level(a, n, aht, t))
        assert nondecreasing(average_speed_of_answer(a, n, aht))


@FAST
@given(a=st.floats(1e-2, 300.0), aht=aht_st, patience=patience_st, t=within_st)
def test_erlang_a_monotone_in_agents(a, aht, patience, t):
    n = np.arange(0, int(2 * a) + 30)
    with strict():
        r = erlang_a(a, n, aht, patience, t)
    assert nonincreasing(r.p_abandon)
    assert nondecreasing(r.service_level)
    assert nonincreasing(r.p_wait)
    assert nonincreasing(r.asa_seconds)  # agents_for_asa's search relies on this


@FAST
@given(loads=st.lists(load_a_st, min_size=2, max_size=30), n=agents_st,
       aht=aht_st, patience=patience_st, t=within_st)
def test_erlang_a_monotone_in_traffic(loads, n, aht, patience, t):
    a = np.sort(np.array(loads))
    with strict():
        r = erlang_a(a, n, aht, patience, t)
    assert nondecreasing(r.p_wait)
    assert nondecreasing(r.p_abandon)
    assert nonincreasing(r.service_level)


# ------------------------------------------------------------ least inverses


def _meets_cap(a, n, cap):
    return cap is None or (n > 0 and a / n <= cap) or a == 0


def _check_least(n, meets):
    assert isinstance(n, int) and n >= 0
    assert meets(n), f"{n} agents do not meet the target"
    assert n == 0 or not meets(n - 1), f"{n - 1} agents already meet the target"


cap_st = st.one_of(st.none(), st.floats(0.5, 1.0))


@MEDIUM
@given(a=traffic_st, aht=aht_st, target=target_st, t=within_st, cap=cap_st)
def test_agents_for_service_level_erlang_c_is_least(a, aht, target, t, cap):
    with strict():
        n = agents_for_service_level(a, aht, target, t, max_occupancy=cap)

    def meets(m):
        return service_level(a, m, aht, t) >= target and _meets_cap(a, m, cap)

    _check_least(n, meets)


@FAST
@given(a=traffic_st, aht=aht_st, target=target_st, t=within_st, patience=patience_st,
       cap=cap_st)
def test_agents_for_service_level_erlang_a_is_least(a, aht, target, t, patience, cap):
    with strict():
        n = agents_for_service_level(a, aht, target, t, patience_seconds=patience,
                                     max_occupancy=cap)

    def meets(m):
        ok = a == 0 or (m > 0 and erlang_a(a, m, aht, patience, t).service_level >= target)
        return ok and _meets_cap(a, m, cap)

    _check_least(n, meets)


@MEDIUM
@given(a=traffic_st, aht=aht_st, goal=st.floats(0.1, 600.0), cap=cap_st)
def test_agents_for_asa_erlang_c_is_least(a, aht, goal, cap):
    with strict():
        n = agents_for_asa(a, aht, goal, max_occupancy=cap)

    def meets(m):
        return average_speed_of_answer(a, m, aht) <= goal and _meets_cap(a, m, cap)

    _check_least(n, meets)


@FAST
@given(a=traffic_st, aht=aht_st, goal=st.floats(0.1, 600.0), patience=patience_st, cap=cap_st)
def test_agents_for_asa_erlang_a_is_least(a, aht, goal, patience, cap):
    with strict():
        n = agents_for_asa(a, aht, goal, patience_seconds=patience, max_occupancy=cap)

    def meets(m):  # ASA with patience: mean wait of answered calls
        ok = a == 0 or erlang_a(a, m, aht, patience, 0.0).asa_seconds <= goal
        return ok and _meets_cap(a, m, cap)

    _check_least(n, meets)


@FAST
@given(a=traffic_st, aht=aht_st, target=st.floats(0.001, 0.5), patience=patience_st,
       cap=cap_st)
def test_agents_for_abandon_rate_is_least(a, aht, target, patience, cap):
    with strict():
        n = agents_for_abandon_rate(a, aht, target, patience, max_occupancy=cap)

    def meets(m):
        ok = a == 0 or erlang_a(a, m, aht, patience, 0.0).p_abandon <= target
        return ok and _meets_cap(a, m, cap)

    _check_least(n, meets)


def test_occupancy_cap_can_be_the_binding_constraint():
    # 10 E with 80/20 needs 14 agents (10/14 = 71 % occupancy); a 70 % cap needs
    # ceil(10 / 0.7) = 15; a 60 % cap needs ceil(10 / 0.6) = 17.
    assert agents_for_service_level(10, 180, 0.8, 20, max_occupancy=0.7) == 15
    assert agents_for_service_level(10, 180, 0.8, 20, max_occupancy=0.6) == 17
    assert agents_for_service_level(10, 180, 0.8, 20, max_occupancy=0.9) == 14
    # exactly representable boundary: 12 / 0.75 = 16 agents give occupancy 0.75 exactly
    assert agents_for_asa(12, 180, 1e4, max_occupancy=0.75) == 16
    assert agents_for_abandon_rate(12, 180, 0.49, 60, max_occupancy=0.75) == 16


# ------------------------------------------------- Erlang A -> Erlang C limit

stable_st = st.tuples(st.integers(1, 300), st.floats(0.05, 0.95)).filter(
    lambda p: p[0] * (1 - p[1]) >= 0.5)


@FAST
@given(point=stable_st, aht=aht_st, t=within_st)
def test_erlang_a_tends_to_erlang_c_as_patience_grows(point, aht, t):
    n, rho = point
    a = rho * n
    c = erlang_c(a, n)
    sl = service_level(a, n, aht, t)
    asa = average_speed_of_answer(a, n, aht)

    def gaps(patience):
        r = erlang_a(a, n, aht, patience, t)
        return (abs(r.p_wait - c) / c, abs(r.service_level - sl) / sl,
                abs(r.asa_seconds - asa) / asa)

    far, near = gaps(1e5 * aht), gaps(1e7 * aht)
    assert max(near) <= 1e-4, near
    for g_far, g_near in zip(far, near, strict=True):
        assert g_near <= g_far + 1e-12  # the gap shrinks as patience grows


# ------------------------------------------------------ input / output forms


@settings(max_examples=25, deadline=None)
@given(
    points=st.lists(st.tuples(traffic_st, agents_st), min_size=1, max_size=6),
    aht=aht_st, t=within_st, patience=patience_st, target=target_st,
    labels=st.lists(st.integers(-1000, 1000), min_size=6, max_size=6, unique=True),
)
def test_scalar_array_series_round_trip(points, aht, t, patience, target, labels):
    a = np.array([p[0] for p in points])
    n = np.array([p[1] for p in points])
    index = pd.Index([f"i{k}" for k in labels[: a.size]])
    series = pd.Series(a, index=index)

    forward = {
        "erlang_b": lambda x, m: erlang_b(x, m),
        "erlang_c": lambda x, m: erlang_c(x, m),
        "occupancy": lambda x, m: occupancy(x, m),
        "service_level": lambda x, m: service_level(x, m, aht, t),
        "average_speed_of_answer": lambda x, m: average_speed_of_answer(x, m, aht),
    }
    for name, func in forward.items():
        scalars = [func(float(x), int(m)) for x, m in zip(a, n, strict=True)]
        assert all(type(s) is float for s in scalars), name
        vector = func(a, n)
        assert isinstance(vector, np.ndarray) and vector.shape == a.shape, name
        np.testing.assert_allclose(vector, scalars, rtol=RTOL_SAME, atol=0, err_msg=name)
        labelled = func(series, n)
        assert isinstance(labelled, pd.Series), name
        assert labelled.index.equals(index), name
        np.testing.assert_array_equal(labelled.to_numpy(), vector, err_msg=name)

    scalar_results = [erlang_a(float(x), int(m), aht, patience, t)
                      for x, m in zip(a, n, strict=True)]
    vector_result = erlang_a(a, n, aht, patience, t)
    series_result = erlang_a(series, n, aht, patience, t)
    assert isinstance(vector_result, ErlangAResult)
    for name in A_FIELDS:
        scalars = [getattr(r, name) for r in scalar_results]
        assert all(type(s) is float for s in scalars), name
        vector = getattr(vector_result, name)
        assert isinstance(vector, np.ndarray) and vector.shape == a.shape, name
        np.testing.assert_allclose(vector, scalars, rtol=RTOL_SAME, atol=0, err_msg=name)
        labelled = getattr(series_result, name)
        assert isinstance(labelled, pd.Series) and labelled.index.equals(index), name
        np.testing.assert_array_equal(labelled.to_numpy(), vector, err_msg=name)

    inverses = {
        "sl_c": lambda x: agents_for_service_level(x, aht, target, t),
        "sl_a": lambda x: agents_for_service_level(x, aht, target, t, patience_seconds=patience),
        "asa_c": lambda x: agents_for_asa(x, aht, 30.0),
        "abandon": lambda x: agents_for_abandon_rate(x, aht, 0.05, patience),
    }
    for name, func in inverses.items():
        scalars = [func(float(x)) for x in a]
        assert all(type(s) is int for s in scalars), name
        vector = func(a)
        assert isinstance(vector, np.ndarray) and vector.dtype == np.int64, name
        np.testing.assert_array_equal(vector, scalars, err_msg=name)
        labelled = func(series)
        assert isinstance(labelled, pd.Series) and labelled.index.equals(index), name
        np.testing.assert_array_equal(labelled.to_numpy(), vector, err_msg=name)


def test_broadcasting_keeps_the_shape():
    a = np.array([[5.0, 10.0, 20.0], [1.0, 2.0, 3.0]])
    n = np.array([8, 14, 25])
    assert erlang_c(a, n).shape == (2, 3)
    assert service_level(a, n, 180, np.array([[0.0], [20.0]])).shape == (2, 3)
    assert erlang_a(a, n, 180, 120, 20).service_level.shape == (2, 3)
    assert agents_for_service_level(a, 180, 0.8, 20).shape == (2, 3)
    np.testing.assert_array_equal(erlang_c(a, n)[0, 1], erlang_c(10.0, 14))


# ----------------------------------------------------------- vectorisation

LOADS = np.linspace(0.0, 2000.0, 2880)  # e.g. 30-minute intervals of 60 days


def test_vectorised_agents_for_service_level_erlang_c_matches_scalar_loop():
    vector = agents_for_service_level(LOADS, 180.0, 0.8, 20.0)
    loop = np.array([agents_for_service_level(float(x), 180.0, 0.8, 20.0) for x in LOADS])
    np.testing.assert_array_equal(vector, loop)
    assert vector[0] == 0 and np.all(vector[1:] > LOADS[1:])  # stable wherever traffic > 0


def test_vectorised_agents_for_service_level_erlang_a_matches_scalar_loop():
    # The whole month in one call; every 10th interval (288 of them, zeros and the
    # peak included) one by one, which keeps the scalar loop to a few seconds.
    vector = agents_for_service_level(LOADS, 180.0, 0.8, 20.0, patience_seconds=120.0)
    picks = np.unique(np.r_[np.arange(0, LOADS.size, 10), np.argmax(LOADS)])
    loop = np.array([
        agents_for_service_level(float(x), 180.0, 0.8, 20.0, patience_seconds=120.0)
        for x in LOADS[picks]
    ])
    np.testing.assert_array_equal(vector[picks], loop)


def test_vectorised_erlang_a_matches_scalar_loop():
    agents = np.floor(LOADS * 1.05)  # includes 0 agents, overload and light load
    vector = erlang_a(LOADS, agents, 180.0, 120.0, 20.0)
    loop = [erlang_a(float(x), int(m), 180.0, 120.0, 20.0)
            for x, m in zip(LOADS, agents, strict=True)]
    for name in A_FIELDS:
        np.testing.assert_allclose(getattr(vector, name), [getattr(r, name) for r in loop],
                                   rtol=RTOL_SAME, atol=0, err_msg=name)
