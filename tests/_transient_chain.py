"""An exact transient evaluation of a time-varying M_t/M/s_t+M queue, for the tests.

The center starts empty; in interval j calls arrive at rate ``rates[j]``, ``staff[j]``
agents are on duty, service is exponential (rate mu), patience exponential (rate
theta), FCFS. Staffing changes as ccsim's simulation does it: when it drops, idle
agents log out first, then busy ones are told to leave when their call ends (they
take no new call; an agent who stays and finds the queue empty is idle, even while
others due to leave are still on calls); when it rises, agents due to leave stay
first, then new agents log in and take waiting calls at once.

State (b, l, q): b busy agents who stay (b <= s; idle agents s - b only when q = 0),
l busy agents due to leave, q waiting. The service level of interval j is
``E[its arrivals answered within T] / E[its arrivals]``: an arrival finding an idle
agent is answered at once; otherwise a tagged-customer chain (l, k ahead; every agent
who stays is busy) gives the probability that it starts service within T before
abandoning, across the staffing change when T reaches into the next interval.
Forward probabilities by ``scipy.sparse.linalg.expm_multiply``; integrals by
Simpson's rule over the interval and Gauss-Legendre over its last T seconds. The
queue is truncated at ``q_max``; the largest probability of a full queue is returned
so that the tests can show it is negligible.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.integrate import simpson
from scipy.sparse.linalg import expm_multiply


class _Space:
    """States (b, l, q) with b <= b_max, l <= l_max, q <= q_max."""

    def __init__(self, b_max: int, l_max: int, q_max: int) -> None:
        self.shape = (b_max + 1, l_max + 1, q_max + 1)
        self.n = int(np.prod(self.shape))
        b, l_, q = np.meshgrid(*(np.arange(m) for m in self.shape), indexing="ij")
        self.b, self.l, self.q = b.ravel(), l_.ravel(), q.ravel()

    def index(self, b, l_, q):
        return np.ravel_multi_index((b, l_, q), self.shape)


def _matrix(n, rows, cols, rates):
    rows, cols, rates = (np.concatenate(x) for x in (rows, cols, rates))
    keep = rates > 0
    matrix = sparse.csr_matrix((rates[keep], (rows[keep], cols[keep])), shape=(n, n))
    out = np.asarray(matrix.sum(axis=1)).ravel()
    return (matrix - sparse.diags(out)).tocsr()


def _generator(space: _Space, lam, mu, theta, s):
    """The main chain's generator (rows: from) with s agents on duty."""
    b, l_, q, q_max = space.b, space.l, space.q, space.shape[2] - 1
    i = np.arange(space.n)
    rows, cols, rates = [], [], []
    idle = (b < s) & (q == 0)
    rows.append(i[idle])  # an arrival to an idle agent
    cols.append(space.index(np.minimum(b[idle] + 1, space.shape[0] - 1), l_[idle], 0))
    rates.append(np.full(idle.sum(), lam))
    wait = (b >= s) & (q < q_max)
    rows.append(i[wait])
    cols.append(space.index(b[wait], l_[wait], q[wait] + 1))
    rates.append(np.full(wait.sum(), lam))
    ends = b > 0  # an agent who stays ends a call: takes the head of the queue, or idles
    rows.append(i[ends])
    cols.append(np.where(q[ends] > 0, space.index(b[ends], l_[ends], np.maximum(q[ends] - 1, 0)),
                         space.index(b[ends] - 1, l_[ends], q[ends])))
    rates.append(b[ends] * mu)
    leaves = l_ > 0
    rows.append(i[leaves])
    cols.append(space.index(b[leaves], l_[leaves] - 1, q[leaves]))
    rates.append(l_[leaves] * mu)
    gives_up = q > 0
    rows.append(i[gives_up])
    cols.append(space.index(b[gives_up], l_[gives_up], q[gives_up] - 1))
    rates.append(q[gives_up] * theta)
    return _matrix(space.n, rows, cols, rates)


def _restaff(space: _Space, p, old, new):
    """Move the probabilities at a staffing change from ``old`` to ``new`` agents."""
    out = np.zeros_like(p)
    b_max, l_max = space.shape[0] - 1, space.shape[1] - 1
    for i in np.flatnonzero(p):
        b, l_, q = int(space.b[i]), int(space.l[i]), int(space.q[i])
        if new < old:
            # idle agents log out first, then busy ones beyond `new` are told to leave
            told = max(b - new, 0)
            b, l_ = b - told, l_ + told
        elif new > old:
            stay = min(l_, new - old)  # agents due to leave stay first
            b, l_ = b + stay, l_ - stay
            take = min(new - old - stay, q)  # then new agents log in and take waiting calls
            b, q = b + take, q - take
        if b > b_max:
            raise ValueError(f"state ({b}, {l_}, {q}) outside the space {space.shape}")
        out[space.index(b, min(l_, l_max), q)] += p[i]  # l beyond l_max: see service_levels
    return out


def _tagged(l_max, k_max, mu, theta, s):
    """Tagged chain (l, k): its generator with absorbing 'served' and 'gone' states."""
    shape = (l_max + 1, k_max + 1)
    n = shape[0] * shape[1]
    served, gone = n, n + 1
    l_, k = (x.ravel() for x in np.meshgrid(np.arange(shape[0]), np.arange(shape[1]),
                                            indexing="ij"))
    i = np.arange(n)
    rows = [i, i[l_ > 0], i[k > 0], i]
    cols = [np.where(k == 0, served, np.ravel_multi_index((l_, np.maximum(k - 1, 0)), shape)),
            np.ravel_multi_index((l_[l_ > 0] - 1, k[l_ > 0]), shape),
            np.ravel_multi_index((l_[k > 0], k[k > 0] - 1), shape),
            np.full(n, gone)]
    rates = [np.full(n, s * mu), l_[l_ > 0] * mu, k[k > 0] * theta, np.full(n, theta)]
    return _matrix(n + 2, rows, cols, rates), served, shape


def _tagged_restaff(v_after, shape, served, old, new):
    """P(served within T) just before a staffing change, from just after it."""
    n = shape[0] * shape[1]
    out = np.zeros(n + 2)
    out[served] = 1.0
    for l_ in range(shape[0]):
        for k in range(shape[1]):
            b, left, ahead = old, l_, k  # while the tagged call waits, all who stay are busy
            if new < old:
                b, left = new, left + (old - new)
            elif new > old:
                stay = min(left, new - old)
                b, left = b + stay, left - stay
                take = new - old - stay
                if take >= ahead + 1:
                    out[np.ravel_multi_index((l_, k), shape)] = 1.0
                    continue
                ahead -= take
            left = min(left, shape[0] - 1)  # beyond the drops so far: never reached
            out[np.ravel_multi_index((l_, k), shape)] = v_after[
                np.ravel_multi_index((left, ahead), shape)]
    return out


def service_levels(rates_per_hour, staff, aht_seconds, patience_seconds, interval_seconds,
                   within_seconds, q_max=60, l_extra=6, simpson_points=121, gauss_points=10):
    """Exact service level per interval; returns (levels, truncation).

    ``truncation`` bounds what the finite space leaves out: the largest probability of a
    full queue, plus the probability of agents due to leave beyond ``l_max`` (the
    largest drop of staffing plus ``l_extra``: calls of earlier drops have ended by
    then) when a drop adds to them.
    """
    mu, theta = 1 / aht_seconds, 1 / patience_seconds
    staff = [int(s) for s in staff]
    drops = [max(a - b, 0) for a, b in zip(staff[:-1], staff[1:], strict=True)]
    space = _Space(max(staff), max(drops, default=0) + l_extra, q_max)
    l_max = space.shape[1] - 1
    p = np.zeros(space.n)
    p[space.index(0, 0, 0)] = 1.0
    levels, full = [], 0.0
    length, within = float(interval_seconds), float(within_seconds)
    previous = staff[0]
    for j, (rate, s) in enumerate(zip(rates_per_hour, staff, strict=True)):
        if s < previous:  # the mass that a drop would push beyond l_max
            full = max(full, float(p[space.l + np.minimum(space.b, previous) - s > l_max].sum()))
        p = _restaff(space, p, previous, s)
        previous = s
        generator = _generator(space, rate / 3600.0, mu, theta, s)
        tagged, served, shape = _tagged(l_max, q_max, mu, theta, s)
        terminal = np.zeros(tagged.shape[0])
        terminal[served] = 1.0
        waits = (space.b >= s) | (space.q > 0)
        position = np.ravel_multi_index((space.l, space.q), shape)

        def answered(h_wait, waits=waits, position=position):
            """P(answered within T) per main state, for an arrival seeing it."""
            return np.where(waits, h_wait[position], 1.0)

        body = length - within
        times = np.linspace(0.0, body, simpson_points)
        path = expm_multiply(generator.T, p, start=0.0, stop=body, num=simpson_points,
                             endpoint=True)
        full = max(full, float(path[:, space.q == q_max].sum(axis=1).max()))
        good = simpson(path @ answered(expm_multiply(tagged * within, terminal)), x=times)
        nxt = staff[j + 1] if j + 1 < len(staff) else s
        after_tagged = tagged if nxt == s else _tagged(l_max, q_max, mu, theta, nxt)[0]
        nodes, weights = np.polynomial.legendre.leggauss(gauss_points)
        for node, weight in zip(nodes, weights, strict=True):
            t = body + (node + 1) * within / 2
            p_t = expm_multiply(generator.T * (t - body), path[-1])
            v = expm_multiply(after_tagged * (t + within - length), terminal)
            v = _tagged_restaff(v, shape, served, s, nxt)
            h_t = expm_multiply(tagged * (length - t), v)
            good += weight * within / 2 * (p_t @ answered(h_t))
        levels.append(good / length)
        p = expm_multiply(generator.T * within, path[-1])
    return np.array(levels), full
