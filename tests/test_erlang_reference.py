"""ccsim.erlang against published numbers and an independent mpmath reference.

* the classic Erlang C worked example (10 Erlangs, 80 % in 20 s -> 14 agents);
* Erlang B, Erlang C, service level and ASA against ``_erlang_reference`` (40-digit
  mpmath, our own derivation) from 1 to 50,000 agents, within 1e-10 relative;
* every field of ``erlang_a`` against the mpmath Erlang A reference within 1e-8;
* self-checks of the reference itself against textbook definitions.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

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
    offered_traffic,
    service_level,
)

try:
    from tests import _erlang_reference as ref
except ImportError:  # tests/ is not a package; pytest puts tests/ itself on sys.path
    import _erlang_reference as ref

RTOL_C = 1e-10  # Erlang B / C / SL / ASA
RTOL_A = 1e-8  # Erlang A
FLOAT_FLOOR = 1e-300  # below this the reference is outside (normal) float range

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


def assert_matches(got, expected, rtol, what):
    """``got`` (float) within ``rtol`` relative of the mpf ``expected``.

    Where the reference is below 1e-300 (outside float range) only require ``got``
    to be as tiny (0 or subnormal) and not negative.
    """
    assert isinstance(got, float), f"{what}: expected a float, got {type(got).__name__}"
    assert not math.isnan(got), f"{what}: NaN"
    if mpmath.isfinite(expected) and 0 < abs(expected) < FLOAT_FLOOR:
        assert 0.0 <= got <= FLOAT_FLOOR, f"{what}: reference {mpmath.nstr(expected, 5)}, got {got}"
        return
    err = ref.relative_error(got, expected)
    assert err <= rtol, (
        f"{what}: got {got!r}, reference {mpmath.nstr(expected, 17)}, relative error {err:.3e}"
    )


# --------------------------------------------------------- 1. published numbers


def test_classic_worked_example_agents_and_service_level():
    # The widely published Erlang C worked example cited in the issue (e.g. the
    # "Erlang C formula" tutorials of callcentrehelper.com): 100 calls in 30
    # minutes, AHT 180 s, target 80 % answered within 20 s -> 10 Erlangs and 14
    # agents, service level 0.8883500 to 7 decimals. Our mpmath reference agrees:
    # SL(14) = 0.888350019179...
    traffic = offered_traffic(100, 180, interval_minutes=30)
    assert traffic == 10.0  # 100 calls * 180 s / 1800 s
    assert agents_for_service_level(traffic, 180, 0.8, 20) == 14  # published answer
    sl_14 = service_level(traffic, 14, 180, 20)
    assert f"{sl_14:.7f}" == "0.8883500"  # published value
    assert abs(sl_14 - 0.888350019179) < 1e-12  # mpmath reference (_erlang_reference)
    # 13 agents miss the target, so 14 is the least. The mpmath reference gives
    # SL(13) = 0.795594788418. (The "about 0.7165" quoted in the issue next to this
    # example is exp(-(13 - 10) * 20 / 180) = 0.716531, the exponential factor of
    # the formula at 13 agents, not the service level: 1 - 0.285270 * 0.716531.)
    sl_13 = service_level(traffic, 13, 180, 20)
    assert sl_13 < 0.8
    assert abs(sl_13 - 0.795594788418) < 1e-12  # mpmath reference
    assert round(math.exp(-(13 - 10) * 20 / 180), 4) == 0.7165


def test_classic_worked_example_intermediate_values():
    # Same example, the intermediate quantities, from our mpmath reference:
    # P(wait) = 0.174131933595, ASA = 0.174131933595 * 180 / (14 - 10) s =
    # 7.835937011777 s, occupancy 10 / 14 (definition: traffic / agents).
    assert abs(erlang_c(10, 14) - 0.174131933595) < 1e-12
    assert abs(average_speed_of_answer(10, 14, 180) - 7.835937011777) < 1e-9
    assert abs(occupancy(10, 14) - 10 / 14) < 1e-15
    # Erlang B at the same point, mpmath reference: 0.056819143386520859
    assert abs(erlang_b(10, 14) - 0.056819143386521) < 1e-14


@pytest.mark.parametrize(
    ("traffic", "agents"),
    [(1.361, 5), (4.461, 10), (12.031, 20)],
)
def test_erlang_b_table_one_percent_grade_of_service(traffic, agents):
    # Printed Erlang B traffic tables, 1 % grade-of-service column: 5 circuits
    # carry 1.361 E, 10 carry 4.461 E, 20 carry 12.031 E (traffic rounded to 3
    # decimals, so the blocking is 1 % to within 1e-4).
    assert abs(erlang_b(traffic, agents) - 0.01) < 1e-4


# ------------------------------------------------ 2. Erlang B and C vs mpmath

AGENT_GRID = (1, 2, 3, 5, 10, 14, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000)


def _loads(n):
    loads = {n - 0.5, 0.9 * n, 0.99 * n, 1.1 * n, 0.5 * n, float(n), 2.0 * n,
             1e-6, 1e-3 * n, 1e3 * n, 0.999 * n}
    if n > 10:
        loads.add(n - 10.0)
    return sorted(loads)


BC_POINTS = [(a, n) for n in AGENT_GRID for a in _loads(n)]
SL_CASES = ((180.0, 0.0), (180.0, 20.0), (180.0, 60.0), (30.0, 20.0), (600.0, 300.0))

def _bc_params():
    return [pytest.param(a, n, id=f"a={a:g}-n={n}") for a, n in BC_POINTS]


def test_grid_covers_the_required_loads():
    assert max(n for _, n in BC_POINTS) == 50000
    for n in (100, 50000):
        loads = {a for a, m in BC_POINTS if m == n}
        assert {n - 0.5, n - 10.0, 0.9 * n, 0.99 * n, 1.1 * n, 0.5 * n} <= loads


@pytest.mark.parametrize(("a", "n"), _bc_params())
def test_erlang_b_matches_mpmath(a, n):
    assert_matches(erlang_b(a, n), ref.erlang_b(a, n), RTOL_C, f"erlang_b({a}, {n})")


@pytest.mark.parametrize(("a", "n"), _bc_params())
def test_erlang_c_matches_mpmath(a, n):
    got = erlang_c(a, n)
    if a >= n:  # unstable: documented convention P(wait) = 1
        assert got == 1.0
    assert_matches(got, ref.erlang_c(a, n), RTOL_C, f"erlang_c({a}, {n})")


@pytest.mark.parametrize(("a", "n"), _bc_params())
def test_service_level_matches_mpmath(a, n):
    for aht, within in SL_CASES:
        got = service_level(a, n, aht, within)
        if a >= n:  # unstable: documented convention SL = 0
            assert got == 0.0
        expected = ref.service_level(a, n, aht, within)
        assert_matches(got, expected, RTOL_C, f"service_level({a}, {n}, {aht}, {within})")


@pytest.mark.parametrize(("a", "n"), _bc_params())
def test_average_speed_of_answer_matches_mpmath(a, n):
    for aht in (180.0, 1.0):
        got = average_speed_of_answer(a, n, aht)
        if a >= n:  # unstable: documented convention ASA = inf
            assert got == math.inf
            continue
        expected = ref.average_speed_of_answer(a, n, aht)
        assert_matches(got, expected, RTOL_C, f"average_speed_of_answer({a}, {n}, {aht})")


def test_grid_as_arrays_matches_scalars():
    a = np.array([p[0] for p in BC_POINTS])
    n = np.array([p[1] for p in BC_POINTS])
    for func, args in ((erlang_b, ()), (erlang_c, ()), (service_level, (180.0, 20.0)),
                       (average_speed_of_answer, (180.0,))):
        vector = func(a, n, *args)
        assert isinstance(vector, np.ndarray) and vector.shape == a.shape
        scalars = np.array([func(float(ai), int(ni), *args) for ai, ni in zip(a, n, strict=True)])
        np.testing.assert_array_equal(vector, scalars)


def _erlang_b_float_sum(a, n):
    """Erlang B for small n as (a^n/n!) / sum_{j<=n} a^j/j! in plain floats (no cancellation)."""
    terms = [a**j / math.factorial(j) for j in range(n + 1)]
    return terms[-1] / math.fsum(terms)


@pytest.mark.parametrize(("traffic", "agents"), [(1e-12, 1), (1e-9, 1), (1e-9, 3), (1e-6, 2),
                                                 (1e-6, 10)])
def test_tiny_traffic_erlang_b_and_c(traffic, agents):
    # Definition of Erlang B as a ratio of positive float sums (exact to ~1e-16
    # here); with one agent B = a / (1 + a) and Erlang C = a (M/M/1: P(wait) = rho).
    b = _erlang_b_float_sum(traffic, agents)
    c = b / (1 - (traffic / agents) * (1 - b))
    assert erlang_b(traffic, agents) == pytest.approx(b, rel=RTOL_C, abs=0)
    assert erlang_c(traffic, agents) == pytest.approx(c, rel=RTOL_C, abs=0)
    assert average_speed_of_answer(traffic, agents, 180) == pytest.approx(
        c * 180 / (agents - traffic), rel=RTOL_C, abs=0)


def test_tiny_traffic_erlang_a():
    a, n, aht, patience, within = 1e-9, 1, 180.0, 120.0, 20.0
    result = erlang_a(a, n, aht, patience, within)
    expected = ref.erlang_a(a, n, aht, patience, within)
    for name in A_FIELDS:
        assert_matches(getattr(result, name), expected[name], RTOL_A, f"tiny traffic: {name}")


# ------------------------------------------------------ 3. Erlang A vs mpmath

A_AGENTS = (1, 2, 5, 14, 50, 200, 1000, 3000)
A_LOAD_FACTORS = (0.3, 0.8, 0.95, 1.0, 1.2, 2.0)
A_PATIENCE_RATIOS = (0.05, 0.5, 1.0, 5.0, 100.0)  # patience / aht
A_THRESHOLDS = (0.0, 20.0, 60.0)
AHT = 180.0

A_POINTS = [
    (rho * n, n, AHT, ratio * AHT)
    for n in A_AGENTS
    for rho in A_LOAD_FACTORS
    for ratio in A_PATIENCE_RATIOS
]
A_POINTS += [
    # other handle times and odd loads
    (10.0, 12, 180.0, 120.0),
    (0.01, 1, 30.0, 600.0),
    (37.3, 40, 300.0, 45.0),
    (250.0, 3, 60.0, 6000.0),
    # near 50,000 agents
    (49000.0, 50000, 180.0, 180.0),
    (49999.5, 50000, 180.0, 90.0),
    (55000.0, 50000, 180.0, 18.0),
    (55000.0, 50000, 180.0, 1800.0),
    (45000.0, 50000, 180.0, 18000.0),
]


def _a_ids(points):
    return [f"a={a:g}-n={n}-aht={aht:g}-pat={pat:g}" for a, n, aht, pat in points]


@pytest.mark.parametrize(("a", "n", "aht", "patience"), A_POINTS, ids=_a_ids(A_POINTS))
def test_erlang_a_matches_mpmath(a, n, aht, patience):
    for within in A_THRESHOLDS:
        result = erlang_a(a, n, aht, patience, within)
        assert isinstance(result, ErlangAResult)
        expected = ref.erlang_a(a, n, aht, patience, within)
        for name in A_FIELDS:
            assert_matches(getattr(result, name), expected[name], RTOL_A,
                           f"erlang_a({a}, {n}, {aht}, {patience}, {within}).{name}")


@pytest.mark.parametrize(
    ("a", "n", "aht", "patience", "within"),
    [(10.0, 12, 180.0, 9.0, 300.0), (10.0, 12, 180.0, 9.0, 6000.0), (50.0, 45, 180.0, 30.0, 3000.0),
     (500.0, 480, 240.0, 60.0, 600.0), (3.0, 1, 60.0, 2.0, 1000.0), (8.0, 10, 180.0, 1e5, 1e4)],
)
def test_erlang_a_long_thresholds_match_mpmath(a, n, aht, patience, within):
    # thresholds far beyond the patience (y e^{-T/patience} tiny) and beyond the AHT
    result = erlang_a(a, n, aht, patience, within)
    expected = ref.erlang_a(a, n, aht, patience, within)
    for name in A_FIELDS:
        assert_matches(getattr(result, name), expected[name], RTOL_A,
                       f"erlang_a({a}, {n}, {aht}, {patience}, {within}).{name}")


def test_erlang_a_grid_is_as_required():
    ratios = {pat / aht for _, _, aht, pat in A_POINTS}
    assert min(ratios) == pytest.approx(0.05) and max(ratios) == pytest.approx(100.0)
    assert any(a > n for a, n, _, _ in A_POINTS)  # overload
    assert any(n >= 50000 for _, n, _, _ in A_POINTS)


# ------------------------------------------------ inverses against the reference

INVERSE_CASES = [
    # (kind, traffic, aht, target, threshold or None, patience or None)
    ("sl", 10.0, 180.0, 0.8, 20.0, None),
    ("sl", 100.0, 240.0, 0.9, 30.0, None),
    ("sl", 1000.0, 300.0, 0.8, 20.0, None),
    ("sl", 20000.0, 180.0, 0.95, 10.0, None),
    ("sl", 10.0, 180.0, 0.8, 20.0, 120.0),
    ("sl", 500.0, 240.0, 0.8, 20.0, 60.0),
    ("sl", 2000.0, 180.0, 0.9, 15.0, 600.0),
    ("asa", 50.0, 180.0, 10.0, None, None),
    ("asa", 50.0, 180.0, 10.0, None, 90.0),
    ("asa", 3000.0, 300.0, 2.0, None, 900.0),
    ("abandon", 200.0, 180.0, 0.03, None, 120.0),
    ("abandon", 5000.0, 180.0, 0.01, None, 30.0),
]


def _ref_metric(kind, a, n, aht, threshold, patience):
    if n == 0:
        return {"sl": 0.0, "asa": math.inf, "abandon": 1.0}[kind]
    if patience is None:
        if kind == "sl":
            return ref.service_level(a, n, aht, threshold)
        return ref.average_speed_of_answer(a, n, aht)
    r = ref.erlang_a(a, n, aht, patience, threshold or 0.0)
    return {"sl": r["service_level"], "asa": r["asa_seconds"], "abandon": r["p_abandon"]}[kind]


@pytest.mark.parametrize(("kind", "a", "aht", "target", "threshold", "patience"), INVERSE_CASES)
def test_inverses_are_least_by_the_reference(kind, a, aht, target, threshold, patience):
    if kind == "sl":
        n = agents_for_service_level(a, aht, target, threshold, patience_seconds=patience)
    elif kind == "asa":
        n = agents_for_asa(a, aht, target, patience_seconds=patience)
    else:
        n = agents_for_abandon_rate(a, aht, target, patience)
    assert type(n) is int

    def meets(m):
        value = _ref_metric(kind, a, m, aht, threshold, patience)
        return value >= target if kind == "sl" else value <= target

    assert meets(n) and not meets(n - 1), n


# ------------------------------------------------ self-checks of the reference


@pytest.mark.parametrize(
    ("a", "n"),
    [(10.0, 14), (0.5, 1), (3.0, 2), (99.5, 100), (180.0, 200), (1900.0, 2000), (2500.0, 2000),
     (49999.5, 50000)],
)
def test_reference_erlang_b_equals_the_recursion(a, n):
    # B(k) = a B(k-1) / (k + a B(k-1)), B(0) = 1: the textbook definition.
    with mpmath.workdps(ref.DPS):
        assert abs(ref.erlang_b(a, n) / ref.erlang_b_recursion(a, n) - 1) < mpmath.mpf(10) ** -30


@pytest.mark.parametrize(("a", "n"), [(10.0, 14), (4.0, 3), (990.0, 1000), (1100.0, 1000),
                                      (25000.0, 50000), (55000.0, 50000)])
def test_reference_erlang_b_equals_the_incomplete_gamma_form(a, n):
    # P(Poisson(a) <= n) = Q(n + 1, a), the regularised upper incomplete gamma.
    with mpmath.workdps(ref.DPS):
        a_mp = mpmath.mpf(a)
        pmf = mpmath.exp(n * mpmath.log(a_mp) - a_mp - mpmath.loggamma(n + 1))
        expected = pmf / mpmath.gammainc(n + 1, a_mp, mpmath.inf, regularized=True)
        assert abs(ref.erlang_b(a, n) / expected - 1) < mpmath.mpf(10) ** -30


@pytest.mark.parametrize(("x", "z"), [(0.4, 0.3), (8.0, 6.7), (8.0, 30.0), (300.0, 280.0),
                                      (300.0, 350.0), (2000.0, 2100.0), (5.5, 0.001)])
def test_reference_lower_gamma_series_matches_mpmath(x, z):
    with mpmath.workdps(ref.DPS):
        expected = mpmath.gammainc(x, 0, z, regularized=True)
        assert abs(ref.lower_gamma_series(mpmath.mpf(x), mpmath.mpf(z)) / expected - 1) < 1e-30
        assert abs(ref.lower_gamma(mpmath.mpf(x), mpmath.mpf(z)) / expected - 1) < 1e-30


@pytest.mark.parametrize(("x", "z"), [(8.0, 6.7), (8.0, 30.0), (0.5, 40.0), (300.0, 350.0),
                                      (2000.0, 1900.0)])
def test_reference_kummer_sums_closed_forms(x, z):
    # S = sum_k z^k / prod_{i<=k} (x+i) = 1F1(1; x+1; z); from w_{k+1} (x+k+1) = z w_k:
    # sum k w_k = (z - x) S + x and sum w_k x/(x+k+1) = (x/z)(S - 1); and the
    # harmonic-weighted sum term by term with digamma.
    with mpmath.workdps(ref.DPS):
        x, z = mpmath.mpf(x), mpmath.mpf(z)
        log_scale, sums = ref.kummer_sums(x, z)
        scale = mpmath.exp(log_scale)
        s, kk, ans = sums["S"] * scale, sums["K"] * scale, sums["ANS"] * scale
        mw, wans = sums["MW"] * scale, sums["WANS"] * scale
        tol = mpmath.mpf(10) ** -30
        assert abs(s / mpmath.hyp1f1(1, x + 1, z) - 1) < tol
        assert abs(kk / ((z - x) * s + x) - 1) < tol
        assert abs(ans / (x / z * (s - 1)) - 1) < tol
        assert abs((ans + mw) / s - 1) < tol
        direct, w, k = mpmath.mpf(0), mpmath.mpf(1), 0
        while True:
            term = w * x / (x + k + 1) * (mpmath.digamma(x + k + 2) - mpmath.digamma(x + 1))
            direct += term
            if k > z - x and term < tol * direct:
                break
            k += 1
            w = w * z / (x + k)
        # (the direct digamma differences lose a few of the 40 digits)
        assert abs(wans / direct - 1) < 1e-25


@pytest.mark.parametrize(
    ("a", "n", "aht", "patience", "within"),
    [(5.0, 3, 180.0, 60.0, 20.0), (2.0, 4, 100.0, 5.0, 60.0), (0.3, 1, 180.0, 9.0, 60.0)],
)
def test_reference_erlang_a_equals_the_per_caller_sum(a, n, aht, patience, within):
    # The per-caller form uses the stationary law term by term, the incomplete
    # beta law of the virtual wait for each queue length and mpmath.quad, not
    # the incomplete-gamma identity (*) of _erlang_reference.
    fast = ref.erlang_a(a, n, aht, patience, within)
    slow = ref.erlang_a_per_caller(a, n, aht, patience, within)
    for name, value in slow.items():
        assert abs(fast[name] / value - 1) < 1e-20, name


@pytest.mark.parametrize(
    ("a", "n", "aht", "patience", "within"),
    [(10.0, 12, 180.0, 120.0, 20.0), (8.0, 6, 180.0, 1800.0, 20.0), (95.0, 100, 180.0, 9.0, 60.0)],
)
def test_reference_erlang_a_within_t_by_quadrature(a, n, aht, patience, within):
    # P(V > t | wait) = P(x, y e^{-theta t}) / P(x, y); integrate it numerically.
    r = ref.erlang_a(a, n, aht, patience, within)
    with mpmath.workdps(ref.DPS):
        theta = 1 / mpmath.mpf(patience)
        x = n * mpmath.mpf(patience) / aht
        y = a * mpmath.mpf(patience) / aht

        def survival(t):
            return mpmath.gammainc(x, 0, y * mpmath.exp(-theta * t), regularized=True) / (
                mpmath.gammainc(x, 0, y, regularized=True))

        def density(t):  # -d/dt survival(t), by the chain rule
            z = y * mpmath.exp(-theta * t)
            gamma_pdf = mpmath.exp((x - 1) * mpmath.log(z) - z - mpmath.loggamma(x))
            return theta * z * gamma_pdf / mpmath.gammainc(x, 0, y, regularized=True)

        gone = mpmath.quad(lambda t: theta * mpmath.exp(-theta * t) * survival(t), [0, within])
        answered = mpmath.quad(lambda t: mpmath.exp(-theta * t) * density(t), [0, within])
        # mean wait of answered delayed callers: E[V e^{-theta V}] = int e^{-theta t}
        # (1 - theta t) P(V > t) dt
        wait_answered = mpmath.quad(
            lambda t: mpmath.exp(-theta * t) * (1 - theta * t) * survival(t), [0, mpmath.inf])
        assert abs(r["_abandoned_within_w"] / gone - 1) < 1e-20
        assert abs(r["_answered_within_w"] / answered - 1) < 1e-20
        p_wait = r["p_wait"]
        asa = p_wait * wait_answered / r["_p_answered"]
        assert abs(r["asa_seconds"] / asa - 1) < 1e-20


@pytest.mark.parametrize(("a", "n", "aht", "patience", "within"), [
    (a, n, AHT, ratio * AHT, within)
    for a, n in ((10.0, 12), (2.0, 1), (3600.0, 3000), (0.3, 5))
    for ratio in (0.05, 100.0)
    for within in (20.0, 60.0)
])
def test_reference_erlang_a_is_self_consistent(a, n, aht, patience, within):
    r = ref.erlang_a(a, n, aht, patience, within)
    with mpmath.workdps(ref.DPS):
        # a delayed caller is answered, has abandoned or still waits at T
        fates = r["_answered_within_w"] + r["_abandoned_within_w"] + r["_waiting_at_t_w"]
        assert abs(fates - 1) < 1e-30
        # answered + abandoned = 1 (two independent sums over the queue length)
        assert abs(r["_p_answered"] + r["p_abandon"] - 1) < 1e-30
        # Little's law for the queue: mean wait of all = P(abandon) * patience
        assert abs(r["mean_wait_seconds"] / (r["p_abandon"] * patience) - 1) < 1e-30


@pytest.mark.parametrize(("a", "n"), [(10.0, 14), (0.5, 1), (90.0, 100), (1900.0, 2000)])
def test_reference_erlang_a_tends_to_erlang_c(a, n):
    r = ref.erlang_a(a, n, AHT, 1e9 * AHT, 20.0)
    with mpmath.workdps(ref.DPS):
        assert abs(r["p_wait"] / ref.erlang_c(a, n) - 1) < 1e-6
        assert abs(r["service_level"] / ref.service_level(a, n, AHT, 20.0) - 1) < 1e-6
        # Erlang A's ASA is the mean wait of answered calls; all are answered here
        assert abs(r["asa_seconds"] / ref.average_speed_of_answer(a, n, AHT) - 1) < 1e-6
