"""Array-level queueing computations behind :mod:`ccsim.erlang`.

Private: the functions take already-validated, broadcastable float arrays and
return arrays; :mod:`ccsim.erlang` checks inputs, documents the conventions and
wraps results (scalar, array or Series). Erlang B and C come from
:func:`ccsim._erlang.special.log_erlang_b`; Erlang A from the Kummer-function sums of
:mod:`ccsim._erlang.special` (see :func:`ccsim.erlang.erlang_a` for the formulas and
references); the inverses search integer agent counts (Erlang C by the stable
upward Erlang B recursion, Erlang A by galloping then bisection), every search
bounded by :func:`search_cap`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import special

from ccsim._erlang import special as _special
from ccsim._validation import CCSimError

# The fields of ccsim.erlang.ErlangAResult, in order.
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


def erlang_b(a: np.ndarray, n: np.ndarray) -> np.ndarray:
    a, n = np.broadcast_arrays(a, n)
    out = np.zeros(a.shape)
    out[(a > 0) & (n == 0)] = 1.0
    main = (a > 0) & (n > 0)
    out[main] = np.exp(_special.log_erlang_b(a[main], n[main]))
    return out


def c_from_b(a: np.ndarray, n: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Erlang C and its complement from Erlang B, for ``n > a > 0``, without cancellation."""
    c = b / (1.0 - (a / n) * (1.0 - b))
    not_c = (n - a) * (1.0 - b) / (n - a + a * b)
    return c, not_c


def erlang_c_parts(a: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(wait) and 1 - P(wait), each without cancellation."""
    a, n = np.broadcast_arrays(a, n)
    c = np.ones(a.shape)
    not_c = np.zeros(a.shape)
    idle = a == 0
    c[idle], not_c[idle] = 0.0, 1.0
    stable = (a > 0) & (n > a)
    an, nn = a[stable], n[stable]
    c[stable], not_c[stable] = c_from_b(an, nn, erlang_b(an, nn))
    return c, not_c


def service_level_c(a, n, aht, within) -> np.ndarray:
    a, n, aht, within = np.broadcast_arrays(a, n, aht, within)
    c, not_c = erlang_c_parts(a, n)
    out = np.zeros(a.shape)
    out[a == 0] = 1.0
    stable = (a > 0) & (n > a)
    with np.errstate(over="ignore"):  # a rate of inf gives exp(-inf) = 0: fine
        rate = (n[stable] - a[stable]) * within[stable] / aht[stable]
    out[stable] = not_c[stable] - c[stable] * np.expm1(-rate)
    return np.minimum(out, 1.0)  # (1 - C) + C (1 - e^-r) may round one digit past 1


def asa_c(a, n, aht) -> np.ndarray:
    a, n, aht = np.broadcast_arrays(a, n, aht)
    c, _ = erlang_c_parts(a, n)
    out = np.full(a.shape, np.inf)
    out[a == 0] = 0.0
    stable = (a > 0) & (n > a)
    out[stable] = c[stable] * aht[stable] / (n[stable] - a[stable])
    return out


def occupancy_c(a, n) -> np.ndarray:
    a, n = np.broadcast_arrays(a, n)
    out = np.ones(a.shape)
    out[a == 0] = 0.0
    stable = (a > 0) & (n > a)
    out[stable] = a[stable] / n[stable]
    return out


def erlang_a_core(a, n, aht, patience, within, with_waits: bool = True) -> dict[str, np.ndarray]:
    """Erlang A measures for validated, broadcastable arrays (see :func:`erlang_a`)."""
    a, n, aht, patience, within = np.broadcast_arrays(a, n, aht, patience, within)
    shape = a.shape
    out = {name: np.zeros(shape) for name in A_FIELDS}
    for name in ("service_level", "service_level_answered",
                 "service_level_excluding_short_abandons"):
        out[name][...] = 1.0

    # Callers who never hang up: Erlang C (its unstable case included).
    patient = np.isinf(patience) & (a > 0)
    if patient.any():
        ap, np_, ahtp = a[patient], n[patient], aht[patient]
        c, _ = erlang_c_parts(ap, np_)
        sl = service_level_c(ap, np_, ahtp, within[patient])
        asa = asa_c(ap, np_, ahtp)
        for name, value in (("p_wait", c), ("service_level", sl),
                            ("service_level_answered", sl),
                            ("service_level_excluding_short_abandons", sl),
                            ("asa_seconds", asa), ("mean_wait_seconds", asa),
                            ("occupancy", occupancy_c(ap, np_))):
            out[name][patient] = value

    # Nobody to answer: everyone waits and hangs up, within T if patience <= T.
    empty = np.isfinite(patience) & (a > 0) & (n == 0)
    for name, value in (("p_wait", 1.0), ("p_abandon", 1.0),
                        ("service_level", 0.0), ("service_level_answered", 0.0),
                        ("service_level_excluding_short_abandons", 0.0),
                        ("asa_seconds", np.inf), ("occupancy", 1.0)):
        out[name][empty] = value
    with np.errstate(over="ignore"):  # a threshold of many patiences: all abandon within it
        out["p_abandon_within"][empty] = -np.expm1(-within[empty] / patience[empty])
    out["mean_wait_seconds"][empty] = patience[empty]

    main = np.isfinite(patience) & (a > 0) & (n > 0)
    if main.any():
        values = erlang_a_main(a[main], n[main], aht[main], patience[main], within[main],
                                with_waits)
        for name, value in values.items():
            out[name][main] = value
    for name in A_FIELDS:  # fractions: clip the last-digit rounding past 0 or 1
        if not name.endswith("_seconds"):
            np.clip(out[name], 0.0, 1.0, out=out[name])
    return out


def erlang_a_main(a, n, aht, patience, within, with_waits) -> dict[str, np.ndarray]:
    # With x = n mu / theta and y = lambda / theta the stationary law past n busy
    # agents is p(n + k) = p(n) y**k / ((x+1)...(x+k)) [3].
    ratio = patience / aht
    x, y = n * ratio, a * ratio
    with np.errstate(over="ignore"):  # a threshold of many patiences shrinks y to 0
        shrink = np.exp(-within / patience)
    z = y * shrink  # y shrunk over the threshold
    log_b = _special.log_erlang_b(a, n)
    log_odds_b = np.log(-np.expm1(log_b)) - log_b  # log((1 - B) / B)
    log_k, served_if_wait, abandon_if_wait = _special.kummer(x, y)
    p_wait = special.expit(log_k - log_odds_b)
    no_wait = special.expit(log_odds_b - log_k)  # 1 - p_wait, keeping its relative precision

    # Virtual wait V given V > 0: P(V > t) = P(x, y e^{-theta t}) / P(x, y); the
    # caller is answered within T if V <= T and V is shorter than their patience.
    log_p_x1_y = _special.log_poisson_pmf(x + 1.0, y) + _special.kummer(x + 1.0, y)[0]
    log_p_x1_z = _special.log_poisson_pmf(x + 1.0, z) + _special.kummer(x + 1.0, z)[0]
    log_p_x_y = _special.log_poisson_pmf(x, y) + log_k
    log_k_xz, _, abandon_z = _special.kummer(x, z)
    log_p_x_z = _special.log_poisson_pmf(x, z) + log_k_xz
    with np.errstate(invalid="ignore"):  # z == 0 gives -inf - (finite): fine
        served_within = served_if_wait * -np.expm1(log_p_x1_z - log_p_x1_y)
        # P(abandon within T | wait) = [m(x, y) - m(x, z) P(x, z) / P(x, y)] / y
        # with m = y * abandoned, and z / y = exp(-T / patience).
        abandon_within = abandon_if_wait - abandon_z * shrink * np.exp(log_p_x_z - log_p_x_y)
    # Where z (hence y) lies above the mode x + 1 both P values are near 1: take
    # the difference from the upper tails instead, which keeps relative precision.
    upper = z > x + 1.0
    if upper.any():
        xu = x[upper] + 1.0
        tails = special.gammaincc(xu, z[upper]) - special.gammaincc(xu, y[upper])
        served_within[upper] = served_if_wait[upper] * tails / special.gammainc(xu, y[upper])
    zero_z = z == 0.0
    served_within[zero_z] = served_if_wait[zero_z]
    abandon_within[zero_z] = abandon_if_wait[zero_z]
    abandon_within = np.clip(abandon_within, 0.0, abandon_if_wait)

    p_abandon = p_wait * abandon_if_wait
    answered = no_wait + p_wait * served_if_wait
    sl = no_wait + p_wait * served_within
    p_abandon_within = p_wait * abandon_within
    out = {
        "p_wait": p_wait,
        "p_abandon": p_abandon,
        "p_abandon_within": p_abandon_within,
        "service_level": sl,
        "service_level_answered": sl / answered,
        "service_level_excluding_short_abandons": sl / (1.0 - p_abandon_within),
        "mean_wait_seconds": p_abandon * patience,
        "occupancy": a * answered / n,
    }
    if with_waits:
        # Mean wait of delayed callers who are answered: patience * E[w] with w
        # distributed proportionally to exp(-(x+1) w - y e^{-w}) on w >= 0.
        wait_served = patience * _special.mean_log_wait(x + 1.0, y)
        out["asa_seconds"] = p_wait * served_if_wait * wait_served / answered
    return out


# Doublings of the galloping step before the search cap is reached: the step
# starts at 1 or more and the cap is below 2**31, so 40 is never binding.
_MAX_GALLOP = 40
# Halvings of the bisection: its bracket is below 2**31 wide.
_MAX_BISECT = 40


def search_cap(a: np.ndarray) -> np.ndarray:
    """An agent count that meets every target: ``ceil(a) + 64 ceil(sqrt(a)) + 1000``.

    With ``k = n - a`` agents beyond the load, Erlang B is about the Poisson
    probability of ``n``, ``exp(-k**2 / (2 a))`` for large ``a``: below
    ``exp(-2048)`` at ``k = 64 sqrt(a)``; for small loads the 1000 agents more make
    ``a**n / n!`` smaller still (over every load up to ``MAX_TRAFFIC`` the log of
    Erlang B at the cap is at most -2060, checked on a grid in the tests). The
    Erlang A delay probability is ``A E / (1 + (A - 1) E)`` with ``E`` Erlang B and
    ``A = 1F1(1; x+1; y) <= sum (y/x)**k = n / (n - a)``, so it is at most Erlang C's,
    ``E n/(n-a) / (1 + (n/(n-a) - 1) E)``. Both underflow to exactly 0 there: the
    service level is 1, the ASA and the abandonment 0, so every target in range is
    met and the least count is at most this cap (1.00641e8 for the largest
    traffic accepted). A search that reaches it without meeting the target is a bug.
    """
    return np.ceil(a) + 64.0 * np.ceil(np.sqrt(a)) + 1000.0


def _not_met(kind: str, a: np.ndarray, cap: np.ndarray) -> CCSimError:
    return CCSimError(
        f"the agent search ({kind}) found no agent count up to {cap[0]:.0f} meeting the target "
        f"for traffic {a[0]!r} Erlangs, although every target is met there; please report this")


def least_by_recursion(
    a: np.ndarray, start: np.ndarray, meets: Callable[[np.ndarray, np.ndarray, np.ndarray], Any]
) -> np.ndarray:
    """Least ``n >= start`` (all ``> a``) with ``meets(idx, n, erlang_b)`` true.

    Erlang B is computed exactly once at ``start`` and then carried upward with
    the stable recursion ``B(n+1) = a B(n) / (n + 1 + a B(n))``. Bounded: at most
    :func:`search_cap` ``- start`` steps (641,001 for the largest traffic; a few
    dozen for usual targets).
    """
    n = start.astype(float)
    b = erlang_b(a, n)
    out = np.empty(a.shape)
    idx = np.arange(a.size)
    cap = np.maximum(search_cap(a), n)
    steps = int(np.max(cap - n)) + 1 if a.size else 0
    for _ in range(steps + 1):
        if not idx.size:
            return out
        ni, bi = n[idx], b[idx]
        ok = meets(idx, ni, bi)
        out[idx[ok]] = ni[ok]
        idx, ni, bi = idx[~ok], ni[~ok] + 1.0, bi[~ok]
        ai = a[idx]
        n[idx] = ni
        b[idx] = ai * bi / (ni + ai * bi)
    if not idx.size:
        return out
    raise _not_met("Erlang C", a[idx], cap[idx])


def least_by_bisection(
    a: np.ndarray, start: np.ndarray, first_step: np.ndarray,
    meets: Callable[[np.ndarray, np.ndarray], Any],
) -> np.ndarray:
    """Least ``n >= start`` with ``meets(idx, n)`` true, for ``meets`` monotone in ``n``.

    Gallops up from ``start`` (steps ``first_step``, doubling) to a count that meets,
    never past :func:`search_cap`, then bisects; both loops are bounded.
    """
    out = start.astype(float)
    idx = np.arange(start.size)
    ok = meets(idx, out)
    idx = idx[~ok]
    lo = out[idx]  # fails
    cap = np.maximum(search_cap(a[idx]), lo + 1.0)
    step = first_step[idx]
    hi = np.minimum(lo + step, cap)
    pending = np.arange(idx.size)
    for _ in range(_MAX_GALLOP):  # gallop until hi meets
        if not pending.size:
            break
        ok = meets(idx[pending], hi[pending])
        fail = pending[~ok]
        stuck = fail[hi[fail] >= cap[fail]]
        if stuck.size:
            raise _not_met("Erlang A", a[idx[stuck]], cap[stuck])
        lo[fail] = hi[fail]
        step[fail] *= 2.0
        hi[fail] = np.minimum(lo[fail] + step[fail], cap[fail])
        pending = fail
    else:
        if pending.size:
            raise _not_met("Erlang A", a[idx[pending]], cap[pending])
    pending = np.flatnonzero(hi - lo > 1)
    for _ in range(_MAX_BISECT):  # bisect: lo fails, hi meets
        if not pending.size:
            break
        mid = np.floor(0.5 * (lo[pending] + hi[pending]))
        ok = meets(idx[pending], mid)
        hi[pending[ok]] = mid[ok]
        lo[pending[~ok]] = mid[~ok]
        pending = pending[hi[pending] - lo[pending] > 1]
    out[idx] = hi
    return out


def occupancy_floor(a: np.ndarray, max_occupancy: np.ndarray | None) -> np.ndarray:
    """Least whole ``n`` with ``a / n <= max_occupancy`` (0 where there is no cap)."""
    if max_occupancy is None:
        return np.zeros(a.shape)
    with np.errstate(over="ignore"):  # a huge count is refused by the caller
        n = np.ceil(a / max_occupancy)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower_ok = (n >= 1) & (a / (n - 1) <= max_occupancy)
    return np.where(lower_ok, n - 1, n)


def inverse(
    a: np.ndarray,
    aht: np.ndarray,
    patience: np.ndarray,
    max_occupancy: np.ndarray | None,
    meets_c: Callable[..., Any] | None,
    meets_a: Callable[..., Any],
    extra: tuple[np.ndarray, ...],
    answered_share: np.ndarray | None = None,
) -> np.ndarray:
    """Shared driver: Erlang C intervals by recursion, Erlang A ones by bisection.

    ``answered_share``, where given, is a fraction of the offered calls that must
    be answered for the target to be met; the Erlang A search then starts at
    ``floor(answered_share * a)`` agents instead of zero (same answer, fewer
    evaluations: 9.6 instead of 15 per busy interval on a month peaking at 2000
    Erlangs). Why no smaller count can meet the target:

    * Little's law on the agents: answered calls arrive at rate ``lambda *
      P(answered)`` and each holds one agent for ``aht`` on average, so the mean
      number of busy agents is ``a * P(answered)``; it cannot exceed ``n``, so
      ``P(answered) <= n / a``, abandonment or not.
    * Service level of offered calls (answered within T / offered): at most
      ``P(answered)``, so ``SL >= target`` needs ``n >= target * a``; pass
      ``answered_share=target``.
    * Abandonment rate: in Erlang A every caller is answered or abandons, so
      ``P(abandon) <= target`` needs ``P(answered) >= 1 - target``, hence
      ``n >= (1 - target) * a``; pass ``answered_share=1 - target``.
    * ASA of answered calls has no such bound (few agents and impatient callers
      give the answered ones short waits): no ``answered_share``, start at 0.
    """
    arrays = np.broadcast_arrays(a, aht, patience, *extra,
                                 *(() if answered_share is None else (answered_share,)),
                                 *(() if max_occupancy is None else (max_occupancy,)))
    a, aht, patience = (np.ravel(x) for x in arrays[:3])
    extra = tuple(np.ravel(x) for x in arrays[3:3 + len(extra)])
    share = None if answered_share is None else np.ravel(arrays[3 + len(extra)])
    cap = None if max_occupancy is None else np.ravel(arrays[-1])
    floor = occupancy_floor(a, cap)
    out = np.zeros(a.shape)

    patient = (a > 0) & np.isinf(patience)
    if patient.any():
        ap = a[patient]
        start = np.maximum(np.floor(ap) + 1.0, floor[patient])
        sub = (ap, aht[patient], *(e[patient] for e in extra))
        out[patient] = least_by_recursion(
            ap, start, lambda idx, n, b: meets_c(n, b, *(s[idx] for s in sub)))

    impatient = (a > 0) & np.isfinite(patience)
    if impatient.any():
        sub = (a[impatient], aht[impatient], patience[impatient],
               *(e[impatient] for e in extra))
        start = floor[impatient]
        if share is not None:
            # floor(share * a) <= share * a to within one rounding, and the least
            # count is a whole number >= share * a, so it is >= this start.
            start = np.maximum(start, np.floor(share[impatient] * sub[0]))
        first_step = np.maximum(1.0, np.ceil(np.sqrt(sub[0])))
        out[impatient] = least_by_bisection(
            sub[0], start, first_step, lambda idx, n: meets_a(n, *(s[idx] for s in sub)))
    return out.reshape(arrays[0].shape)
