"""Erlang A against the exact birth-death chain, in plain numpy/scipy (no Monte Carlo).

The reference here shares nothing with ccsim or with the mpmath reference: it
builds the stationary law of the M/M/n+M chain term by term (truncated where the
tail is below 1e-16), and follows a tagged arrival through an absorbing
continuous-time Markov chain (state = callers ahead of it; absorbing states
"answered" and "abandoned"):

* within-T fates from ``scipy.linalg.expm`` of the generator times T;
* P(answered), P(abandon), E[wait; answered] and E[wait] from the fundamental
  matrix ``N = (-Q_transient)^-1`` (triangular solves);
* P(abandon) also from ``theta E[queue] / lambda`` and occupancy from the mean
  number of busy agents, as cross-checks inside the reference.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import linalg, special

from ccsim import erlang_a

RTOL = 1e-9
FIELDS = (
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


def chain_erlang_a(traffic, agents, aht, patience, within):
    """Every ErlangAResult field from the truncated chain and a tagged-caller CTMC."""
    n = int(agents)
    lam, mu, theta = traffic / aht, 1.0 / aht, 1.0 / patience

    # Stationary law, in logs: p_j ~ a^j / j! (j <= n), then ratio lam / (n mu + k theta).
    j = np.arange(n + 1)
    log_low = j * np.log(traffic) - special.gammaln(j + 1.0)
    mode = max(0.0, (lam - n * mu) / theta)
    k_max = int(mode + 40.0 * np.sqrt(lam / theta + 1.0) + 60.0)
    k = np.arange(1, k_max + 1)
    log_tail = log_low[-1] + np.concatenate(([0.0], np.cumsum(np.log(lam / (n * mu + k * theta)))))
    log_all = np.concatenate((log_low[:-1], log_tail))
    log_total = special.logsumexp(log_all)
    p = np.exp(log_all - log_total)
    # Truncate where the rest of the tail is below 1e-16 (the terms fall geometrically
    # past the mode with ratio < 1, so the rest is below term * r / (1 - r)).
    keep = np.flatnonzero(p[n:] >= 1e-16 * p[n:].max())
    last = n + keep[-1]
    ratio = lam / (n * mu + (last - n + 1) * theta)
    assert ratio < 1 and p[last] * ratio / (1 - ratio) < 1e-16, "truncation too early"
    p = p[: last + 1]
    p /= p.sum()
    tail = p[n:]  # p_{n+k}, k = 0..K
    big_k = tail.size - 1

    p_wait = tail.sum()
    p_no_wait = p[:n].sum()
    arriving = tail / p_wait  # queue length k found by a delayed arrival (PASTA)

    # Tagged caller: states 0..K callers ahead, then answered (K+1), abandoned (K+2).
    ahead = np.arange(big_k + 1)
    leave = n * mu + ahead * theta  # rate at which the caller moves up (or is answered at 0)
    q_transient = np.diag(-(leave + theta)) + np.diag(leave[1:], -1)
    to_answered = np.zeros(big_k + 1)
    to_answered[0] = n * mu
    to_abandoned = np.full(big_k + 1, theta)

    # Fundamental matrix (lower bidiagonal system): h = P(answered | k), etc.
    minus_q = -q_transient

    def solve(rhs):
        return linalg.solve_triangular(minus_q, rhs, lower=True)

    h = solve(to_answered)
    abandon_given = solve(to_abandoned)
    time_answered = solve(h)  # E[T 1{answered} | k] = N h
    time_all = solve(np.ones(big_k + 1))  # E[T | k]

    if within > 0:
        generator = np.zeros((big_k + 3, big_k + 3))
        generator[: big_k + 1, : big_k + 1] = q_transient
        generator[: big_k + 1, big_k + 1] = to_answered
        generator[: big_k + 1, big_k + 2] = to_abandoned
        start = np.concatenate((arriving, [0.0, 0.0]))
        at_t = start @ linalg.expm(generator * within)
        answered_within_w, abandoned_within_w = at_t[big_k + 1], at_t[big_k + 2]
    else:
        answered_within_w = abandoned_within_w = 0.0

    p_abandon = p_wait * arriving @ abandon_given
    e_queue = np.arange(big_k + 1) @ tail
    assert p_abandon == pytest.approx(theta * e_queue / lam, rel=1e-12)  # two ways agree
    answered = p_no_wait + p_wait * arriving @ h
    assert answered + p_abandon == pytest.approx(1.0, rel=1e-13)
    sl = p_no_wait + p_wait * answered_within_w
    p_abandon_within = p_wait * abandoned_within_w
    busy = np.minimum(np.arange(p.size), n) @ p
    return {
        "p_wait": p_wait,
        "p_abandon": p_abandon,
        "p_abandon_within": p_abandon_within,
        "service_level": sl,
        "service_level_answered": sl / answered,
        "service_level_excluding_short_abandons": sl / (1.0 - p_abandon_within),
        "asa_seconds": p_wait * arriving @ time_answered / answered,
        "mean_wait_seconds": p_wait * arriving @ time_all,
        "occupancy": busy / n,  # mean busy agents / agents
    }


SCENARIOS = [
    # (traffic [E], agents, aht [s], patience [s], threshold [s])
    pytest.param(10.0, 12, 180.0, 120.0, 20.0, id="typical"),
    pytest.param(10.0, 12, 180.0, 120.0, 0.0, id="threshold-0"),
    pytest.param(8.0, 6, 180.0, 1800.0, 20.0, id="overload-long-patience"),
    pytest.param(30.0, 20, 240.0, 60.0, 60.0, id="overload-short-patience"),
    pytest.param(0.5, 3, 300.0, 30.0, 10.0, id="light-load"),
    pytest.param(95.0, 100, 180.0, 600.0, 30.0, id="near-critical-100-agents"),
    pytest.param(5.0, 1, 60.0, 15.0, 0.0, id="overload-one-agent-threshold-0"),
]


@pytest.mark.parametrize(("traffic", "agents", "aht", "patience", "within"), SCENARIOS)
def test_erlang_a_matches_the_exact_chain(traffic, agents, aht, patience, within):
    expected = chain_erlang_a(traffic, agents, aht, patience, within)
    result = erlang_a(traffic, agents, aht, patience, within)
    for name in FIELDS:
        got = getattr(result, name)
        want = expected[name]
        if want == 0.0:  # p_abandon_within with T = 0: nobody has abandoned yet
            assert got == 0.0, name
            continue
        assert abs(got - want) <= RTOL * abs(want), (
            f"{name}: got {got!r}, chain {want!r}, relative error {abs(got - want) / want:.3e}"
        )


def test_chain_reference_reduces_to_erlang_c_for_patient_callers():
    # Self-check of the chain reference: with (almost) infinite patience it is
    # M/M/n, whose P(wait) and mean wait have the textbook closed forms
    # C = (a^n/n! * n/(n-a)) / (sum_{j<n} a^j/j! + a^n/n! * n/(n-a)) and
    # W = C * aht / (n - a).
    a, n, aht = 10.0, 14, 180.0
    chain = chain_erlang_a(a, n, aht, 1e9, 20.0)
    terms = [a**j / special.factorial(j) for j in range(n)]
    top = a**n / special.factorial(n) * n / (n - a)
    c = top / (sum(terms) + top)
    assert chain["p_wait"] == pytest.approx(c, rel=1e-6)
    assert chain["mean_wait_seconds"] == pytest.approx(c * aht / (n - a), rel=1e-6)
    assert chain["service_level"] == pytest.approx(1 - c * np.exp(-(n - a) * 20.0 / aht), rel=1e-6)
