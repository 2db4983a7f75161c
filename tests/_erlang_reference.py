"""High-precision (mpmath) reference values for the Erlang B, C and A formulas.

Written independently of ``ccsim`` (nothing here is imported from it) so that the
tests are a check of the implementation, not a copy of it. Every function works
at ``DPS`` significant decimal digits in a private precision context and returns
``mpmath.mpf`` values (or a dict of them).

Derivations (ours; ``test_erlang_reference.py`` checks them against the textbook
definitions: the Erlang B recursion, ``mpmath.gammainc``, a per-caller sum with
``mpmath.betainc`` and ``mpmath.quad``, and the Erlang C limit):

Erlang B. The M/M/n/n stationary law is Poisson(a) truncated to ``0..n``, so
``B = pmf(n) / cdf(n)``. For ``a < n`` we write ``cdf(n) = 1 - sum_{k>n} pmf(k)``
(a fast series, ratio ``a/k < 1``); for ``a >= n`` we sum ``cdf(n)`` downward from
``k = n`` (ratio ``k/a <= 1``). ``pmf(n)`` comes from ``loggamma``.

Erlang C. ``C = B / (1 - (a/n) (1 - B))``, ``SL(T) = 1 - C exp(-(n - a) T / aht)``
and ``ASA = C aht / (n - a)``.

Erlang A (M/M/n+M). With ``mu = 1/aht``, ``theta = 1/patience``,
``lambda = a mu``, ``x = n mu / theta`` and ``y = lambda / theta`` the birth-death
chain has ``p_{n+k} = p_n w_k``, ``w_k = y^k / prod_{i=1..k} (x + i)``, and
``sum_{j<n} p_j = p_n sum_{j<n} n! / (j! a^(n-j))``. By PASTA an arrival finds
``k`` callers waiting with probability ``p_{n+k}``; it is answered after
``V = sum_{j=0..k} Exp(theta (x + j))`` unless its own patience ``tau`` runs out
first. Given ``k``:

* P(answered) ``= E[e^{-theta V}] = prod_j (x+j)/(x+j+1) = x / (x + k + 1)``;
* E[wait; answered] ``= -d/ds E[e^{-sV}]`` at ``s = theta``
  ``= x / (x+k+1) * sum_{j=0..k} 1 / (theta (x + j + 1))``;
* E[min(V, tau)] ``= (1 - E[e^{-theta V}]) / theta = (k+1) / (theta (x+k+1))``.

P(abandon) is ``theta E[queue] / lambda``. Summing ``p_{n+k}`` times these over
``k`` gives every measure except the within-T ones. For those, ``V`` has the law
of ``-log(U) / theta`` with ``U ~ Beta(x, k + 1)`` (same Laplace transform), so
``P(V > t | k) = P(Binomial(x + k, q) >= x)`` for whole ``x``, ``q = e^{-theta t}``;
summing that over ``k`` with weights ``w_k`` (put ``m`` survivors, ``r`` deaths,
``k = m + r - x``; the double sum factorises) gives, then by analytic continuation
in ``x``,

    P(V > t | V > 0) = P(x, y q) / P(x, y)                          (*)

with ``P`` the regularised lower incomplete gamma function. Writing
``z = y e^{-theta t}`` and ``p_x`` for the Gamma(x) density:

    P(answered within T | wait) = int_0^T e^{-theta t} f_V(t) dt
        = int_{yq}^{y} (z / y) p_x(z) dz / P(x, y) = (x / y) D(x+1; yq, y) / P(x, y),
    P(abandoned within T | wait) = int_0^T theta e^{-theta t} P(V > t) dt
        = int_{yq}^{y} P(x, z) dz / (y P(x, y)),   int_0^z P(x, s) ds = z P(x, z) - x P(x+1, z),
    P(still waiting at T | wait) = q P(x, yq) / P(x, y),

``D(s; z1, z2) = P(s, z2) - P(s, z1)`` taken without cancellation (lower series
below the mode, upper ``mpmath.gammainc`` above it). The three add to 1 (a
delayed caller is answered, has abandoned or is still waiting at T), which the
self-checks verify.
"""

from __future__ import annotations

import functools
import math

import mpmath

DPS = 40


def _ctx():
    """A private mpmath precision context (restores the caller's precision on exit)."""
    return mpmath.workdps(DPS)


def _eps():
    return mpmath.mpf(2) ** (-mpmath.mp.prec - 10)


def _log_poisson_pmf(a, n):
    return n * mpmath.log(a) - a - mpmath.loggamma(n + 1)


# ------------------------------------------------------------------- Erlang B/C


def _below_over_pmf(a, n):
    """``(sum_{j<n} pmf(j), pmf(n))`` of Poisson(a) as ``(ratio, pmf)``, ratio = sum / pmf(n)."""
    eps = _eps()
    pmf = mpmath.exp(_log_poisson_pmf(a, n))
    if a < n:
        term, tail, k = mpmath.mpf(1), mpmath.mpf(0), n
        while True:  # tail = sum_{k>n} pmf(k) / pmf(n)
            k += 1
            term = term * a / k
            tail += term
            if term < eps * tail:
                break
        return 1 / pmf - tail - 1, pmf
    term, total, k = mpmath.mpf(1), mpmath.mpf(0), n
    while k > 0:  # total = sum_{j<n} pmf(j) / pmf(n)
        term = term * k / a
        k -= 1
        total += term
        if term < eps * total:
            break
    return total, pmf


def erlang_b(a, n):
    """Erlang B by ``pmf(n) / cdf(n)`` of Poisson(a)."""
    n = int(n)
    with _ctx():
        a = mpmath.mpf(a)
        if a == 0:
            return mpmath.mpf(0)
        if n == 0:
            return mpmath.mpf(1)
        below, _ = _below_over_pmf(a, n)
        return +(1 / (1 + below))


def erlang_b_recursion(a, n):
    """Erlang B by the textbook recursion ``B_k = a B_{k-1} / (k + a B_{k-1})``, ``B_0 = 1``."""
    with _ctx():
        a = mpmath.mpf(a)
        b = mpmath.mpf(1)
        for k in range(1, int(n) + 1):
            b = a * b / (k + a * b)
        return +b


def erlang_c(a, n):
    """P(wait) of M/M/n; 1 when ``a >= n`` (unstable), 0 when ``a == 0``."""
    with _ctx():
        a = mpmath.mpf(a)
        if a == 0:
            return mpmath.mpf(0)
        if a >= n:
            return mpmath.mpf(1)
        b = erlang_b(a, n)
        return +(b / (1 - (a / n) * (1 - b)))


def service_level(a, n, aht, within):
    """Erlang C P(wait <= T); 0 if unstable, 1 if no traffic."""
    with _ctx():
        a, aht, within = mpmath.mpf(a), mpmath.mpf(aht), mpmath.mpf(within)
        if a == 0:
            return mpmath.mpf(1)
        if a >= n:
            return mpmath.mpf(0)
        return +(1 - erlang_c(a, n) * mpmath.exp(-(n - a) * within / aht))


def average_speed_of_answer(a, n, aht):
    """Erlang C mean wait of all calls [s]; inf if unstable, 0 if no traffic."""
    with _ctx():
        a, aht = mpmath.mpf(a), mpmath.mpf(aht)
        if a == 0:
            return mpmath.mpf(0)
        if a >= n:
            return mpmath.inf
        return +(erlang_c(a, n) * aht / (n - a))


# ------------------------------------------------------- incomplete gamma pieces


FIXED_BITS = 256  # fixed-point fraction bits of the sums below (~77 digits)


def _to_fixed(value) -> int:
    with mpmath.workprec(FIXED_BITS + 128):
        return int(mpmath.floor(mpmath.mpf(value) * mpmath.mpf(2) ** FIXED_BITS))


def _from_fixed(value: int):
    return mpmath.mpf(value) / mpmath.mpf(2) ** FIXED_BITS


def kummer_sums(x, z, full=True):
    """Sums over ``k >= 0`` of ``w_k = z^k / prod_{i=1..k} (x + i)`` and weighted variants.

    Returns ``(log_scale, sums)``, every sum divided by ``exp(log_scale)``:
    ``S = sum w_k`` and, if ``full``, ``K = sum k w_k``, ``ANS = sum w_k x/(x+k+1)``,
    ``MW = sum w_k (k+1)/(x+k+1)`` and ``WANS = sum w_k x/(x+k+1) H_k`` with
    ``H_k = sum_{j=0..k} 1/(x+j+1)``. The walk starts at the largest term
    ``k0 = max(0, floor(z - x))`` (scaled to 1) and goes both ways until the terms
    are below 2**-170 of the sums (the terms fall monotonically on both sides of
    ``k0``). The loop runs in exact integer fixed point with 256 fraction bits
    (every step rounds by at most 2**-256 of the largest term), which is about
    thirty times faster than mpf arithmetic and at least as accurate here.
    """
    k0 = max(0, int(mpmath.floor(z - x)))
    log_scale = mpmath.mpf(0)
    if k0 > 0:
        log_scale = k0 * mpmath.log(z) - (mpmath.loggamma(x + k0 + 1) - mpmath.loggamma(x + 1))
    one = 1 << FIXED_BITS
    bits = FIXED_BITS
    fx, fz = _to_fixed(x), _to_fixed(z)
    h0 = _to_fixed(mpmath.digamma(x + k0 + 2) - mpmath.digamma(x + 1)) if full else 0
    s = kk = ans = mw = wans = 0
    for direction in (1, -1):
        k, w, h = k0, one, h0
        if direction == -1:
            if k0 == 0:
                break
            h -= (one << bits) // (fx + (k + 1) * one)
            w = w * (fx + k * one) // fz
            k -= 1
        while True:
            s += w
            if full:
                inv = (one << bits) // (fx + (k + 1) * one)  # 1 / (x + k + 1)
                kk += k * w
                served = (((w * fx) >> bits) * inv) >> bits
                ans += served
                mw += (w * (k + 1) * inv) >> bits
                wans += (served * h) >> bits
                size = (w * (k + 2) * (one + h)) >> bits
            else:
                size = w
            if size <= (s >> 170):
                break
            if direction == 1:
                w = w * fz // (fx + (k + 1) * one)
                k += 1
                if full:
                    h += (one << bits) // (fx + (k + 1) * one)
            else:
                if k == 0:
                    break
                if full:
                    h -= (one << bits) // (fx + (k + 1) * one)
                w = w * (fx + k * one) // fz
                k -= 1
    sums = {"S": s, "K": kk, "ANS": ans, "MW": mw, "WANS": wans}
    return log_scale, {key: _from_fixed(value) for key, value in sums.items()}


def _log_gamma_density_factor(x, z):
    """``log(z^x e^{-z} / Gamma(x + 1))``."""
    return x * mpmath.log(z) - z - mpmath.loggamma(x + 1)


def lower_gamma_series(x, z):
    """P(x, z) by ``z^x e^{-z} / Gamma(x+1) * sum_k w_k(z)`` (any z >= 0)."""
    if z == 0:
        return mpmath.mpf(0)
    log_scale, sums = kummer_sums(x, z, full=False)
    return mpmath.exp(_log_gamma_density_factor(x, z) + log_scale) * sums["S"]


def _upper(x, z):
    return mpmath.gammainc(x, z, mpmath.inf, regularized=True)


def lower_gamma(x, z):
    """P(x, z): the series up to the mode, ``1 - Q(x, z)`` (mpmath) past it."""
    if z <= x:
        return lower_gamma_series(x, z)
    return 1 - _upper(x, z)


def gamma_difference(x, z1, z2):
    """``P(x, z2) - P(x, z1)`` for ``z1 <= z2`` without cancellation."""
    if z2 <= x:
        return lower_gamma_series(x, z2) - lower_gamma_series(x, z1)
    if z1 >= x:
        return _upper(x, z1) - _upper(x, z2)
    return (1 - _upper(x, z2)) - lower_gamma_series(x, z1)


# -------------------------------------------------------------------- Erlang A


@functools.cache
def _erlang_a_base(a, n, aht, patience):
    """Threshold-free Erlang A measures (all ``p_{n+k}`` sums), cached across thresholds."""
    a, aht, patience = mpmath.mpf(a), mpmath.mpf(aht), mpmath.mpf(patience)
    theta = 1 / patience
    x = n * patience / aht
    y = a * patience / aht
    below, _ = _below_over_pmf(a, n)  # sum_{j<n} p_j / p_n
    log_scale, sums = kummer_sums(x, y, full=True)
    scale = mpmath.exp(log_scale)
    s = sums["S"] * scale
    total = below + s  # sum_j p_j / p_n
    p_wait = s / total
    p_no_wait = below / total  # not 1 - p_wait: that cancels when p_wait is near 1
    p_answered = (below + sums["ANS"] * scale) / total
    base = {
        "theta": theta, "x": x, "y": y, "a": a, "n": n,
        "p_wait": p_wait,
        "p_no_wait": p_no_wait,
        "p_abandon": sums["K"] * scale / total / y,  # theta E[Q] / lambda
        "p_answered": p_answered,
        "wait_answered": sums["WANS"] * scale / theta / total,  # E[wait; answered]
        "mean_wait_seconds": sums["MW"] * scale / theta / total,
        "p_xy": lower_gamma(x, y),
    }
    return base


def erlang_a(a, n, aht, patience, within):
    """Every ErlangAResult field for M/M/n+M, as a dict of mpf, at ``DPS`` digits.

    Requires ``n >= 1``, ``a > 0`` and a finite patience. Also returns, for the
    self-checks, ``_p_answered`` and the three within-T fates of a delayed caller
    (``_answered_within_w``, ``_abandoned_within_w``, ``_waiting_at_t_w``).
    """
    n = int(n)
    assert n >= 1 and a > 0 and math.isfinite(patience)
    with _ctx():
        b = _erlang_a_base(float(a), n, float(aht), float(patience))
        theta, x, y, p_xy = b["theta"], b["x"], b["y"], b["p_xy"]
        p_wait = b["p_wait"]
        within = mpmath.mpf(within)
        if within == 0:
            answered_w = abandoned_w = mpmath.mpf(0)
            waiting_w = mpmath.mpf(1)
        else:
            q = mpmath.exp(-theta * within)
            z = y * q
            p_xz = lower_gamma(x, z)
            diff_x1 = gamma_difference(x + 1, z, y)  # P(x+1, y) - P(x+1, z)
            answered_w = (x / y) * diff_x1 / p_xy
            # int_z^y P(x, s) ds = y P(x, y) - z P(x, z) - x (P(x+1, y) - P(x+1, z))
            abandoned_w = (y * p_xy - z * p_xz - x * diff_x1) / (y * p_xy)
            waiting_w = q * p_xz / p_xy
        sl = b["p_no_wait"] + p_wait * answered_w
        p_abandon_within = p_wait * abandoned_w
        p_answered = b["p_answered"]
        out = {
            "p_wait": p_wait,
            "p_abandon": b["p_abandon"],
            "p_abandon_within": p_abandon_within,
            "service_level": sl,
            "service_level_answered": sl / p_answered,
            "service_level_excluding_short_abandons": sl / (1 - p_abandon_within),
            "asa_seconds": b["wait_answered"] / p_answered,
            "mean_wait_seconds": b["mean_wait_seconds"],
            "occupancy": b["a"] * p_answered / n,
            "_p_answered": p_answered,
            "_answered_within_w": answered_w,
            "_abandoned_within_w": abandoned_w,
            "_waiting_at_t_w": waiting_w,
        }
        return {key: +value for key, value in out.items()}


def erlang_a_per_caller(a, n, aht, patience, within):
    """Slow textbook Erlang A for small queues: a sum over the queue an arrival finds.

    Uses the stationary law directly (no incomplete-gamma identity) and, for the
    within-T measures, ``P(V > t | k) = I_q(x, k + 1)`` (regularised incomplete
    beta) and ``mpmath.quad`` for ``P(tau <= min(V, T) | k)``. A self-check of
    :func:`erlang_a` only.
    """
    with _ctx():
        a, aht = mpmath.mpf(a), mpmath.mpf(aht)
        patience, within = mpmath.mpf(patience), mpmath.mpf(within)
        theta = 1 / patience
        lam, mu = a / aht, 1 / aht
        weights = [mpmath.mpf(1)]  # p_j / p_0, j = 0..n
        for j in range(1, n + 1):
            weights.append(weights[-1] * a / j)
        tail = []  # p_{n+k} / p_0
        w, running, k = weights[-1], mpmath.mpf(0), 0
        while True:
            tail.append(w)
            running += w
            k += 1
            w = w * lam / (n * mu + k * theta)
            if w * (k + 1) < mpmath.mpf(10) ** (-30) * running and lam < n * mu + k * theta:
                break
        total = mpmath.fsum(weights[:-1]) + mpmath.fsum(tail)
        x = n * mu / theta
        p_wait = mpmath.fsum(tail) / total
        e_queue = mpmath.fsum(k * t for k, t in enumerate(tail)) / total
        answered_within = abandoned_within = mpmath.mpf(0)
        for k, t in enumerate(tail):
            if t < mpmath.mpf(10) ** (-25) * running:
                continue

            def survival(s, k=k):  # P(V > s | k)
                return mpmath.betainc(x, k + 1, 0, mpmath.exp(-theta * s), regularized=True)

            gone = mpmath.quad(lambda s, sv=survival: theta * mpmath.exp(-theta * s) * sv(s),
                               [0, within])
            still = mpmath.exp(-theta * within) * survival(within)
            abandoned_within += t * gone
            answered_within += t * (1 - still - gone)
        return {
            "p_wait": p_wait,
            "p_abandon": theta * e_queue / lam,
            "p_abandon_within": abandoned_within / total,
            "service_level": (1 - p_wait) + answered_within / total,
        }


def to_float(value) -> float:
    """An mpf as the nearest float (inf stays inf)."""
    return float(value) if mpmath.isfinite(value) else math.inf


def relative_error(got: float, ref) -> float:
    """``|got - ref| / |ref|`` in high precision (0 when both are 0, inf if only ref is)."""
    with _ctx():
        ref = mpmath.mpf(ref)
        if ref == 0:
            return 0.0 if got == 0 else math.inf
        if not mpmath.isfinite(ref):
            return 0.0 if got == ref else math.inf
        return float(abs(mpmath.mpf(got) - ref) / abs(ref))
