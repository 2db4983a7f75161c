"""The agent searches of ccsim.erlang: bounded, and the Erlang A lower bound is safe.

* The Erlang A service-level and abandonment searches start at ``target * traffic``
  and ``(1 - target) * traffic`` agents (issue 9, item 8). They must give the same
  counts as the search of earlier releases, which galloped up from zero; that
  search is replicated here and compared on a grid.
* The premise of the bound: the answered calls carry at most ``agents`` Erlangs,
  so the service level of offered calls and the answered share are at most
  ``agents / traffic``.
* Every search stops by ``search_cap(traffic)``, where every target is met.
* The Kummer sums by quadrature (where the series would need thousands of terms)
  agree with mpmath.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import gammainc

from ccsim import agents_for_abandon_rate, agents_for_service_level, erlang_a
from ccsim._erlang import queueing, special

try:
    from tests import _erlang_reference as ref
except ImportError:  # tests/ is not a package; pytest puts tests/ itself on sys.path
    import _erlang_reference as ref

RTOL_A = 1e-8  # as in test_erlang_reference.py


def old_search(a: float, meets) -> int:
    """The Erlang A search of ccsim 0.x: gallop from 0 by ceil(sqrt(a)), then bisect."""
    if a == 0 or meets(0):
        return 0
    lo, step = 0, max(1, math.ceil(math.sqrt(a)))
    hi = lo + step
    while not meets(hi):
        lo, step = hi, 2 * step
        hi = lo + step
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if meets(mid):
            hi = mid
        else:
            lo = mid
    return hi


def _grid(size: int, seed: int):
    rng = np.random.default_rng(seed)
    return dict(
        a=np.r_[rng.uniform(0.0, 300.0, size - 12), [0.0, 1e-3, 0.5, 1.0, 10.0, 14.0, 99.9,
                                                      500.0, 2000.0, 5000.0, 2e4, 1e5]],
        aht=10 ** rng.uniform(1.0, 3.5, size), target=rng.uniform(0.05, 0.99, size),
        within=rng.choice([0.0, 10.0, 20.0, 60.0, 300.0], size),
        patience=10 ** rng.uniform(0.0, 4.0, size))


def test_service_level_search_gives_the_old_answers():
    g = _grid(150, seed=1)
    new = agents_for_service_level(g["a"], g["aht"], g["target"], g["within"],
                                   patience_seconds=g["patience"])
    for i in range(g["a"].size):
        case = tuple(float(g[k][i]) for k in ("a", "aht", "patience", "within", "target"))

        def meets(n, a=case[0], aht=case[1], pat=case[2], t=case[3], goal=case[4]):
            return erlang_a(a, n, aht, pat, t).service_level >= goal

        assert new[i] == old_search(case[0], meets), case


def test_abandon_search_gives_the_old_answers():
    g = _grid(150, seed=2)
    goal = g["target"] * 0.2
    new = agents_for_abandon_rate(g["a"], g["aht"], goal, g["patience"])
    for i in range(g["a"].size):
        case = (float(g["a"][i]), float(g["aht"][i]), float(g["patience"][i]), float(goal[i]))

        def meets(n, a=case[0], aht=case[1], pat=case[2], target=case[3]):
            return erlang_a(a, n, aht, pat, 0.0).p_abandon <= target

        assert new[i] == old_search(case[0], meets), case


@settings(max_examples=60, deadline=None)
@given(a=st.floats(1e-3, 2000.0), share=st.floats(0.0, 1.5), aht=st.floats(5.0, 3600.0),
       patience=st.floats(1.0, 1e5), within=st.floats(0.0, 600.0))
def test_answered_share_is_at_most_agents_over_traffic(a, share, aht, patience, within):
    n = math.floor(share * a)
    r = erlang_a(a, n, aht, patience, within)
    bound = n / a
    assert r.service_level <= bound * (1 + 1e-12) + 1e-300
    assert 1.0 - r.p_abandon <= bound * (1 + 1e-12) + 1e-15


def test_search_cap_is_where_erlang_b_underflows():
    a = np.r_[np.geomspace(1e-300, 1e8, 4000), np.linspace(0.01, 3000.0, 4000)]
    assert special.log_erlang_b(a, queueing.search_cap(a)).max() <= -2060.0


@pytest.mark.parametrize("a", [1e-300, 0.5, 14.0, 250.0, 1e4, 1e6])
def test_every_target_is_met_at_the_cap(a):
    n = float(queueing.search_cap(np.array(a)))
    r = erlang_a(a, n, 180.0, 120.0, 0.0)
    assert r.p_wait == 0.0 and r.service_level == 1.0 and r.p_abandon == 0.0
    assert r.asa_seconds == 0.0
    assert erlang_a(a, n, 180.0, math.inf, 0.0).p_wait == 0.0


@pytest.mark.parametrize(("a", "n", "aht", "patience", "within"), [
    (1000.0, 1010, 180.0, 1.8e7, 20.0),
    (1000.0, 1010, 180.0, 1.8e7, 0.0),
    (50000.0, 50100, 180.0, 1.8e6, 20.0),
    (1e5, 100500, 60.0, 6e5, 30.0),
])
def test_quadrature_kummer_matches_mpmath(a, n, aht, patience, within):
    x, y = n * patience / aht, a * patience / aht  # P(x, y) underflows, y > 0.98 (x + 1)
    assert gammainc(x, y) < 1e-280 and y > 0.98 * (x + 1)
    result = erlang_a(a, n, aht, patience, within)
    expected = ref.erlang_a(a, n, aht, patience, within)
    for name in result.to_dict():
        err = ref.relative_error(getattr(result, name), expected[name])
        assert err <= RTOL_A, (name, err)


def test_quadrature_agrees_with_the_series_where_both_work():
    x = np.array([1e5, 1e6, 5e6, 1e7, 2e7])
    y = x * np.array([0.99, 0.99, 0.99, 0.985, 0.995])
    quad = special._kummer_quadrature(x, y)
    tail, s1 = special._kummer_series(x, y)
    log_a = np.log1p(y * tail)
    series = (log_a, x * tail / np.exp(log_a), s1 / np.exp(log_a))
    for got, want in zip(quad, series, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_long_arrays_are_chunked_with_the_same_values():
    n_elements = special._CHUNK + 1000
    a = np.linspace(1.0, 200.0, n_elements)
    whole = erlang_a(a, np.floor(a * 1.1), 180.0, 120.0, 20.0).asa_seconds
    part = erlang_a(a[-2000:], np.floor(a[-2000:] * 1.1), 180.0, 120.0, 20.0).asa_seconds
    np.testing.assert_allclose(whole[-2000:], part, rtol=1e-14, atol=0)
