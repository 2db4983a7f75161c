"""Numerically stable special functions behind :mod:`ccsim.erlang`.

Private: everything here works on float arrays that the public functions have
already checked, and returns arrays. Nothing here takes factorials or powers that
could overflow; the building blocks are Loader's saddle-point form of the Poisson
probability, SciPy's regularised incomplete gamma functions and short series
where those would underflow.

References
----------
.. [1] C. Loader, "Fast and accurate computation of binomial probabilities",
   2000 (the ``stirlerr`` and ``bd0`` decomposition).
.. [2] D. L. Jagerman, "Some properties of the Erlang loss function",
   Bell System Technical Journal 53(3), 525-551, 1974,
   doi:10.1002/j.1538-7305.1974.tb02756.x (Erlang B as a ratio of
   Poisson probability and distribution function).
"""

from __future__ import annotations

import numpy as np
from numpy.polynomial.legendre import leggauss
from scipy import special

from ccsim._validation import CCSimError

_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)
# Below this a regularised incomplete gamma value is recomputed by a series
# rather than trusted (it may have underflowed or lost relative precision).
_TINY = 1e-280
# Series are summed until the next term is below this fraction of the sum.
_SERIES_EPS = 1e-17
# Gauss-Legendre nodes for the mean-wait integral (64 nodes give < 1e-11
# relative error against mpmath over the whole tested range).
_GL_NODES, _GL_WEIGHTS = leggauss(64)
# The quadrature interval ends where the integrand has fallen by exp(-46) < 1e-20.
_LOG_DROP = 46.0
# Elements per block of the quadrature, whose temporaries are 64 values per element:
# 2**15 keeps each below 17 MB.
_CHUNK = 1 << 15
# Caps on the terms of the series below. With traffic at most 1e8 Erlangs (the
# limit of ccsim.erlang) the Erlang B series needs at most about 1.05 sqrt(1e8)
# terms; the Kummer series is used only where its ratio is at most 0.98 (about
# 2,000 terms), the quadrature elsewhere. Reaching a cap is a bug: CCSimError.
_MAX_TERMS = 20_000
# Above this fraction of x + 1 (and with P(x, y) underflowed) the Kummer sums are
# taken by quadrature instead of the series, whose terms would shrink too slowly.
_SLOW_RATIO = 0.98


def stirlerr(x: np.ndarray) -> np.ndarray:
    """``log Γ(x+1) - (x+1/2) log x + x - log(2π)/2`` for ``x > 0``, without cancellation."""
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    big = x >= 15.0
    inv = 1.0 / x[big]
    inv2 = inv * inv
    out[big] = inv * (
        1.0 / 12.0
        - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 * (1.0 / 1680.0 - inv2 / 1188.0)))
    )
    small = ~big
    xs = x[small]
    out[small] = special.gammaln(xs + 1.0) - (xs + 0.5) * np.log(xs) + xs - _HALF_LOG_2PI
    return out


def bd0(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x log(x/y) + y - x`` for ``x > 0, y >= 0``, without cancellation.

    Near ``y = x`` the form ``x (u - log1p(u))`` with ``u = (y - x)/x`` keeps the
    small difference exact; far from it ``log(x/y)`` is taken directly, since
    ``1 + u`` would lose the digits of a ``y`` much smaller than ``x``.
    """
    x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    u = (y - x) / x
    near = np.abs(u) < 0.5
    out = np.empty(x.shape)
    out[near] = x[near] * (u[near] - np.log1p(u[near]))
    far = ~near
    xf, yf = x[far], y[far]
    with np.errstate(divide="ignore"):  # y == 0 gives +inf: a zero probability
        out[far] = xf * (np.log(xf) - np.log(yf)) + (yf - xf)
    return out


def log_poisson_pmf(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``log(y**x e**-y / Γ(x+1))`` for real ``x >= 0`` and ``y >= 0`` (``-inf`` allowed)."""
    x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    out = np.empty(x.shape)
    zero = x == 0.0
    out[zero] = -y[zero]
    pos = ~zero
    xp, yp = x[pos], y[pos]
    out[pos] = -stirlerr(xp) - _HALF_LOG_2PI - 0.5 * np.log(xp) - bd0(xp, yp)
    return out


def log_erlang_b(traffic: np.ndarray, agents: np.ndarray) -> np.ndarray:
    """Natural log of the Erlang B blocking probability for ``traffic > 0``, ``agents >= 0``.

    ``B = p(n) / F(n)`` with ``p`` and ``F`` the Poisson(traffic) probability and
    distribution function at ``n`` agents ([2]_). Where ``F`` is too small to
    trust (traffic far above the agents), ``1/B = sum_j n!/((n-j)! a^j)`` is summed
    instead: its terms shrink at least as fast as ``(n/a)**j``.
    """
    a, n = np.broadcast_arrays(np.asarray(traffic, dtype=float), np.asarray(agents, dtype=float))
    cdf = special.gammaincc(n + 1.0, a)
    series = cdf < _TINY
    out = np.empty(a.shape)
    ok = ~series
    with np.errstate(divide="ignore"):
        out[ok] = log_poisson_pmf(n[ok], a[ok]) - np.log(cdf[ok])
    if series.any():
        out[series] = -np.log(_inverse_b_series(a[series], n[series]))
    return out


def _inverse_b_series(a: np.ndarray, n: np.ndarray) -> np.ndarray:
    total = np.ones_like(a)
    term = np.ones_like(a)
    idx = np.arange(a.size)
    for j in range(1, _MAX_TERMS + 1):
        term[idx] *= (n[idx] - (j - 1)) / a[idx]
        total[idx] += term[idx]
        keep = (term[idx] > _SERIES_EPS * total[idx]) & (n[idx] > j)
        idx = idx[keep]
        if not idx.size:
            return total
    raise CCSimError(f"the Erlang B series did not converge in {_MAX_TERMS} terms "
                     f"(traffic {a[idx[0]]!r}, agents {n[idx[0]]!r}); please report this")


def kummer(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The Erlang A queue sums for ``x > 0``, ``y >= 0``.

    ``A(x, y) = sum_k y**k / ((x+1)(x+2)...(x+k))`` (the Kummer function
    ``1F1(1; x+1; y)``), which equals ``P(x, y) Γ(x+1) e**y / y**x`` with ``P``
    the regularised lower incomplete gamma function. With ``x = n mu / theta`` and
    ``y = lambda / theta`` the terms are the stationary weights of the queue
    lengths of an Erlang A queue whose agents are all busy.

    Returns
    -------
    log_a : ndarray
        ``log A``.
    served : ndarray
        ``x (A - 1) / (y A)``: the probability that a caller who must wait is
        answered.
    abandoned : ndarray
        ``S1 / (y A)`` with ``S1 = sum_k k y**k / ((x+1)...(x+k)) = x + (y - x) A``:
        the probability that a caller who must wait hangs up; ``served +
        abandoned = 1``. Both are summed directly where the closed forms would
        cancel or divide by a tiny ``y``, and taken by quadrature
        (:func:`_kummer_quadrature`) where that sum would need thousands of terms.
    """
    x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    log_a = np.empty(x.shape)
    served = np.empty(x.shape)
    abandoned = np.empty(x.shape)
    p = special.gammainc(x, y)
    slow = (p < _TINY) & (y > _SLOW_RATIO * (x + 1.0))
    series = ((y <= 0.5 * (x + 1.0)) | (p < _TINY)) & ~slow
    ok = ~series & ~slow
    if slow.any():
        log_a[slow], served[slow], abandoned[slow] = _kummer_quadrature(x[slow], y[slow])
    if ok.any():
        xo, yo = x[ok], y[ok]
        log_a[ok] = np.log(p[ok]) - log_poisson_pmf(xo, yo)
        served[ok] = (xo / yo) * -np.expm1(-log_a[ok])
        abandoned[ok] = ((yo - xo) + xo * np.exp(-log_a[ok])) / yo
    if series.any():
        xs, ys = x[series], y[series]
        tail_over_y, s1_over_y = _kummer_series(xs, ys)
        log_a[series] = np.log1p(ys * tail_over_y)
        total = np.exp(log_a[series])
        served[series] = xs * tail_over_y / total
        abandoned[series] = s1_over_y / total
    return log_a, served, abandoned


def _kummer_series(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``sum_k t_k / y`` and ``sum_k k t_k / y`` over ``k >= 1``, ``t_k`` the terms of A."""
    term = 1.0 / (x + 1.0)  # t_1 / y
    tail = term.copy()
    s1 = term.copy()
    idx = np.flatnonzero(y > 0.0)
    for k in range(2, _MAX_TERMS + 2):
        if not idx.size:
            return tail, s1
        term[idx] *= y[idx] / (x[idx] + k)
        tail[idx] += term[idx]
        s1[idx] += k * term[idx]
        keep = (term[idx] > _SERIES_EPS * tail[idx]) | (k * term[idx] > _SERIES_EPS * s1[idx])
        idx = idx[keep]
    if not idx.size:
        return tail, s1
    raise CCSimError(f"the Erlang A series did not converge in {_MAX_TERMS} terms "
                     f"(x {x[idx[0]]!r}, y {y[idx[0]]!r}); please report this")


def mean_log_wait(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mean of ``w`` under the density proportional to ``exp(-a w - y e**-w)`` on ``w >= 0``.

    For ``a > 0, y > 0``. The density is log-concave; the integral is taken by
    64-node Gauss-Legendre over the interval where it is within ``exp(-46)`` of
    its peak, whose ends are found by monotone Newton steps.
    """
    a, y = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(y, dtype=float))
    out = np.empty(a.shape)
    flat_a, flat_y, flat_out = a.reshape(-1), y.reshape(-1), out.reshape(-1)
    for chunk in _chunks(flat_a.size):
        w, q, _, _ = _laplace_nodes(flat_a[chunk], flat_y[chunk])
        flat_out[chunk] = (w * q).sum(axis=-1) / q.sum(axis=-1)
    return out


def _chunks(size: int) -> list[slice]:
    """Slices of at most ``_CHUNK`` elements (the quadrature needs 64 values per element)."""
    return [slice(i, min(i + _CHUNK, size)) for i in range(0, size, _CHUNK)]


def _laplace_nodes(a: np.ndarray, y: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes of ``exp(-a w - y e**-w)`` on ``w >= 0`` (1-d ``a > 0, y > 0``).

    Returns the nodes ``w`` (shape ``(size, 64)``), the weights ``q`` (the density
    over its value at its mode, times the Gauss-Legendre weights), the half-width
    of the interval and the mode: the integral is ``half * q.sum(-1)`` times the
    density at the mode, ``exp(-a mode - y e**-mode)``.
    """
    with np.errstate(divide="ignore"):  # y may underflow to 0: the mode is then 0
        mode = np.maximum(0.0, np.log(y / a))
    b = y * np.exp(-mode)  # curvature of the log-density at the mode
    d = a - b  # slope of the log-density at the mode (0 when the mode is inside)
    # Right end: solve d*t + b*(t - 1 + exp(-t)) = drop from above.
    with np.errstate(divide="ignore", over="ignore"):  # either bound may be inf, not both
        t = np.minimum(np.where(d > 0.0, _LOG_DROP / d, np.inf), _LOG_DROP / b + 1.0)
    t = _newton_from_right(lambda s: d * s + b * (s + np.expm1(-s)) - _LOG_DROP,
                           lambda s: d - b * np.expm1(-s), t)
    right = mode + t
    # Left end, which matters only when the mode is inside (then b == a):
    # solve a*(exp(s) - 1 - s) = drop from above.
    s = np.sqrt(2.0 * _LOG_DROP / a)
    s = _newton_from_right(lambda u: a * (np.expm1(u) - u) - _LOG_DROP,
                           lambda u: a * np.expm1(u), s)
    left = np.maximum(0.0, mode - s)
    half = 0.5 * (right - left)
    w = half[..., None] * _GL_NODES + (0.5 * (right + left))[..., None]
    log_q = -a[..., None] * (w - mode[..., None]) - b[..., None] * np.expm1(
        -(w - mode[..., None])
    )
    q = np.exp(log_q) * _GL_WEIGHTS
    return w, q, half, mode


def _kummer_quadrature(x: np.ndarray, y: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`kummer` by one integral, for large ``x`` with ``y`` just below ``x``.

    With ``t = 1 - e**-w`` in ``A = x int_0^1 (1-t)**(x-1) e**(y t) dt`` (Euler's
    integral of ``1F1(1; x+1; y)``), ``A = x e**y int_0^inf exp(-x w - y e**-w) dw``:
    the density of :func:`mean_log_wait` with ``a = x``. Integrating by parts gives
    ``served = x (A - 1) / (y A) = E[e**-w]`` and ``abandoned = E[1 - e**-w]`` under
    that density, so neither cancels. Used where the series would need thousands of
    terms (``P(x, y)`` underflows and ``y > 0.98 (x + 1)``).
    """
    log_a = np.empty(x.shape)
    served = np.empty(x.shape)
    abandoned = np.empty(x.shape)
    for chunk in _chunks(x.size):
        xc, yc = x[chunk], y[chunk]
        w, q, half, mode = _laplace_nodes(xc, yc)
        total = q.sum(axis=-1)
        # log A = log x + y + log(density at the mode) + log(half * total), with
        # y - x mode - y e^-mode = -y expm1(-mode) - x mode formed without cancelling
        log_a[chunk] = (np.log(xc) - yc * np.expm1(-mode) - xc * mode + np.log(half)
                        + np.log(total))
        served[chunk] = (np.exp(-w) * q).sum(axis=-1) / total
        abandoned[chunk] = (-np.expm1(-w) * q).sum(axis=-1) / total
    return log_a, served, abandoned


def _newton_from_right(f, fprime, start: np.ndarray, iterations: int = 80) -> np.ndarray:
    """Newton's method for an increasing convex ``f`` started right of its root.

    From the right such iterates fall monotonically to the root, so the loop
    stops when no iterate moves any more.
    """
    t = start
    for _ in range(iterations):
        step = f(t) / fprime(t)
        t_new = t - step
        if np.all(np.abs(step) <= 1e-14 * np.abs(t_new)):
            return t_new
        t = t_new
    return t
