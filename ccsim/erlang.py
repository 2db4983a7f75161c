"""Exact queueing formulas for call centers: Erlang B, C and A, and their inverses.

Every function is pure and NumPy-broadcasting: scalars in give a float (or an
int for agent counts) out, arrays give arrays, and a pandas Series gives a
Series on the same index (pandas itself is never imported here).

Units: ``traffic`` is the offered load in Erlangs (calls per second times the
mean handle time in seconds; see :func:`offered_traffic`); every duration is in
seconds and says so in its name; probabilities and service levels are fractions
in [0, 1].

Conventions at the edges (documented, never NaN):

* zero traffic: nobody waits; service level 1, ASA 0, occupancy 0, and zero
  agents are needed for any target;
* Erlang C with ``traffic >= agents`` (an unstable queue, the queue grows
  without bound): P(wait) = 1, service level 0, ASA = inf, occupancy 1;
* Erlang A is stable at any load (callers hang up), so it stays finite when
  traffic exceeds agents; with zero agents every caller abandons.

Limits (checked, each refused with a :class:`~ccsim.CCSimInputError` naming the
argument; the constants live in :mod:`ccsim._erlang.inputs`):

* ``traffic`` at most 1e8 Erlangs (``MAX_TRAFFIC``): a thousand times the largest
  call center there is; above it the agents needed are the traffic itself to
  within a fraction of a percent, and the searches would take ever longer;
* ``agents`` (given, or found with an occupancy cap) at most 1e9 (``MAX_AGENTS``);
* ``aht_seconds`` at most 1e9 s (``MAX_AHT_SECONDS``), so that ASA stays finite;
* a finite ``patience_seconds`` between 1e-9 and 1e9 handle times
  (``PATIENCE_RATIO``; ``None`` or ``inf`` is Erlang C);
* at most ten million elements once the arguments are broadcast (``MAX_ELEMENTS``).

Arguments broadcast as NumPy arrays do (any number of dimensions); arguments that
do not broadcast, and pandas objects on different indexes, are refused. Every
agent search is bounded (see :func:`ccsim._erlang.queueing.search_cap`).

References
----------
.. [1] A. K. Erlang, "Solution of some problems in the theory of probabilities of
   significance in automatic telephone exchanges", 1917.
.. [2] D. L. Jagerman, "Some properties of the Erlang loss function", Bell System
   Technical Journal 53(3), 525-551, 1974, doi:10.1002/j.1538-7305.1974.tb02756.x
.. [3] A. Mandelbaum and S. Zeltyn, "The Palm/Erlang-A queue, with applications to
   call centers", Technion, 2005; O. Garnett, A. Mandelbaum and M. Reiman,
   "Designing a call center with impatient customers", Manufacturing & Service
   Operations Management 4(3), 208-227, 2002, doi:10.1287/msom.4.3.208.7753
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ccsim._erlang import inputs as check
from ccsim._erlang import queueing as q
from ccsim._validation import check_fraction, renamed

if TYPE_CHECKING:  # pandas is not imported at run time: a Series goes through NumPy
    import pandas as pd

__all__ = [
    "ErlangAResult",
    "agents_for_abandon_rate",
    "agents_for_asa",
    "agents_for_service_level",
    "average_speed_of_answer",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "occupancy",
    "offered_traffic",
    "service_level",
]


# ------------------------------------------------------------- Erlang B and C


def offered_traffic(
    calls_per_interval: npt.ArrayLike | None = None,
    aht_seconds: npt.ArrayLike | None = None,
    interval_seconds: npt.ArrayLike | None = None,
    *,
    interval_minutes: npt.ArrayLike | None = None,
    calls: npt.ArrayLike | None = None,
) -> float | npt.NDArray[np.float64] | pd.Series:
    """Offered load in Erlangs: ``calls_per_interval * aht_seconds / (60 * interval_minutes)``.

    Parameters
    ----------
    calls_per_interval : float or array_like
        Calls offered in one interval [calls], ``>= 0``.
    aht_seconds : float or array_like
        Mean handle time (talk plus after-call work) [s], ``> 0``.
    interval_seconds : float or array_like, optional
        Deprecated: the interval length in seconds, the third positional argument
        of earlier releases (it still works, with a ``DeprecationWarning``). Give
        ``interval_minutes=`` instead.
    interval_minutes : float or array_like
        Length of the interval [min], ``> 0`` (30 for half-hours); keyword only.
    calls : float or array_like, optional
        Deprecated name of ``calls_per_interval``.

    Returns
    -------
    float, ndarray or Series
        Offered traffic [Erlang].

    Raises
    ------
    CCSimInputError
        An argument missing or out of range, both an old and a new name given, or
        a product too large for a float (it would overflow to inf).

    Examples
    --------
    100 calls in a half-hour with an AHT of 180 s:

    >>> offered_traffic(100, 180, interval_minutes=30)
    10.0
    """
    volume = renamed("offered_traffic", "calls", "calls_per_interval", calls, calls_per_interval)
    return check.offered_traffic_arguments(volume, aht_seconds, interval_seconds,
                                           interval_minutes)


def erlang_b(traffic: npt.ArrayLike, agents: npt.ArrayLike
             ) -> float | npt.NDArray[np.float64] | pd.Series:
    """Erlang B: probability that a call is blocked when there is no queue (M/M/n/n).

    Parameters
    ----------
    traffic : float or array_like
        Offered load [Erlang], in ``[0, 1e8]``.
    agents : int or array_like
        Number of agents (servers), a whole number in ``[0, 1e9]``.

    Returns
    -------
    float, ndarray or Series
        Blocking probability in [0, 1]; 0 for zero traffic, 1 for zero agents.

    Notes
    -----
    Computed as the ratio of the Poisson probability and distribution function at
    ``agents`` ([2]_), in log space, exact to about 1e-13 relative from 1 to
    100,000 agents; no factorials or powers are formed.

    Examples
    --------
    >>> round(erlang_b(10, 14), 6)
    0.056819
    """
    a, n = check.traffic(traffic), check.agents(agents)
    check.shape_of("erlang_b", {"traffic": (traffic, a), "agents": (agents, n)})
    return check.wrap(q.erlang_b(a, n), (traffic, agents))


def erlang_c(traffic: npt.ArrayLike, agents: npt.ArrayLike
             ) -> float | npt.NDArray[np.float64] | pd.Series:
    """Erlang C: probability that a call waits (M/M/n, callers never hang up).

    Parameters
    ----------
    traffic : float or array_like
        Offered load [Erlang], in ``[0, 1e8]``.
    agents : int or array_like
        Number of agents, a whole number in ``[0, 1e9]``.

    Returns
    -------
    float, ndarray or Series
        P(wait > 0) in [0, 1]. With ``traffic >= agents`` the queue is unstable and
        every call waits: 1. With zero traffic: 0.

    Examples
    --------
    >>> round(erlang_c(10, 14), 6)
    0.174132
    """
    a, n = check.traffic(traffic), check.agents(agents)
    check.shape_of("erlang_c", {"traffic": (traffic, a), "agents": (agents, n)})
    return check.wrap(q.erlang_c_parts(a, n)[0], (traffic, agents))


def service_level(
    traffic: npt.ArrayLike, agents: npt.ArrayLike, aht_seconds: npt.ArrayLike,
    answer_within_seconds: npt.ArrayLike,
) -> float | npt.NDArray[np.float64] | pd.Series:
    """Erlang C service level: fraction of calls answered within a threshold.

    ``SL = 1 - C * exp(-(agents - traffic) * answer_within_seconds / aht_seconds)``,
    computed as ``(1 - C) + C * (1 - exp(...))`` so that no digits cancel.

    Parameters
    ----------
    traffic : float or array_like
        Offered load [Erlang], in ``[0, 1e8]``.
    agents : int or array_like
        Number of agents, a whole number in ``[0, 1e9]``.
    aht_seconds : float or array_like
        Mean handle time [s], in ``(0, 1e9]``.
    answer_within_seconds : float or array_like
        Service-level threshold T [s], ``>= 0`` (20 for "80 % in 20 s").

    Returns
    -------
    float, ndarray or Series
        P(wait <= T) in [0, 1]; 0 for an unstable queue, 1 for zero traffic.

    Examples
    --------
    100 calls per 30 minutes, AHT 180 s, 14 agents, threshold 20 s:

    >>> f"{service_level(10, 14, 180, 20):.7f}"
    '0.8883500'
    """
    a, n = check.traffic(traffic), check.agents(agents)
    aht = check.aht(aht_seconds)
    within = check.nonnegative("answer_within_seconds", answer_within_seconds)
    check.shape_of("service_level", {
        "traffic": (traffic, a), "agents": (agents, n), "aht_seconds": (aht_seconds, aht),
        "answer_within_seconds": (answer_within_seconds, within)})
    out = q.service_level_c(a, n, aht, within)
    return check.wrap(out, (traffic, agents, aht_seconds, answer_within_seconds))


def average_speed_of_answer(
    traffic: npt.ArrayLike, agents: npt.ArrayLike, aht_seconds: npt.ArrayLike
) -> float | npt.NDArray[np.float64] | pd.Series:
    """Erlang C average speed of answer: mean wait over all calls [s].

    ``ASA = C * aht_seconds / (agents - traffic)``; ``inf`` for an unstable queue.

    Parameters
    ----------
    traffic : float or array_like
        Offered load [Erlang], in ``[0, 1e8]``.
    agents : int or array_like
        Number of agents, a whole number in ``[0, 1e9]``.
    aht_seconds : float or array_like
        Mean handle time [s], in ``(0, 1e9]``.

    Returns
    -------
    float, ndarray or Series
        Mean wait [s]; 0 for zero traffic.

    Examples
    --------
    >>> round(average_speed_of_answer(10, 14, 180), 4)
    7.8359
    """
    a, n = check.traffic(traffic), check.agents(agents)
    aht = check.aht(aht_seconds)
    check.shape_of("average_speed_of_answer", {
        "traffic": (traffic, a), "agents": (agents, n), "aht_seconds": (aht_seconds, aht)})
    return check.wrap(q.asa_c(a, n, aht), (traffic, agents, aht_seconds))


def occupancy(traffic: npt.ArrayLike, agents: npt.ArrayLike
              ) -> float | npt.NDArray[np.float64] | pd.Series:
    """Agent occupancy for Erlang C: busy time over logged-in time, ``traffic / agents``.

    Returns 1 for an unstable queue (``traffic >= agents > 0`` or no agents at all
    with traffic) and 0 for zero traffic. Arguments as for :func:`erlang_c`.

    Examples
    --------
    >>> round(occupancy(10, 14), 4)
    0.7143
    """
    a, n = check.traffic(traffic), check.agents(agents)
    check.shape_of("occupancy", {"traffic": (traffic, a), "agents": (agents, n)})
    return check.wrap(q.occupancy_c(a, n), (traffic, agents))


# -------------------------------------------------------------------- Erlang A


@dataclass(frozen=True)
class ErlangAResult:
    """Steady-state measures of an Erlang A queue (M/M/n+M).

    Each field is a float for scalar inputs, else an array (or Series) of the
    broadcast shape. Fractions are of *offered* calls unless the name says
    otherwise.

    Attributes
    ----------
    p_wait : probability that a caller finds every agent busy.
    p_abandon : probability that a caller hangs up before being answered.
    p_abandon_within : probability that a caller hangs up within the threshold T.
    service_level : answered within T / offered.
    service_level_answered : answered within T / answered.
    service_level_excluding_short_abandons : answered within T / (offered -
        abandoned within T).
    asa_seconds : mean wait of answered calls [s] (``inf`` when nobody is answered).
    mean_wait_seconds : mean wait of all callers, answered or not [s].
    occupancy : busy time over staffed time of the agents.
    """

    p_wait: float | npt.NDArray[np.float64] | pd.Series
    p_abandon: float | npt.NDArray[np.float64] | pd.Series
    p_abandon_within: float | npt.NDArray[np.float64] | pd.Series
    service_level: float | npt.NDArray[np.float64] | pd.Series
    service_level_answered: float | npt.NDArray[np.float64] | pd.Series
    service_level_excluding_short_abandons: float | npt.NDArray[np.float64] | pd.Series
    asa_seconds: float | npt.NDArray[np.float64] | pd.Series
    mean_wait_seconds: float | npt.NDArray[np.float64] | pd.Series
    occupancy: float | npt.NDArray[np.float64] | pd.Series

    def __repr__(self) -> str:
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            shown = f"{value:.6g}" if isinstance(value, float) else f"<{np.shape(value)}>"
            parts.append(f"{f.name}={shown}")
        return f"ErlangAResult({', '.join(parts)})"

    def to_dict(self) -> dict[str, Any]:
        """The measures as a plain ``{name: value}`` dict (e.g. for a DataFrame)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def erlang_a(
    traffic: npt.ArrayLike,
    agents: npt.ArrayLike,
    aht_seconds: npt.ArrayLike,
    patience_seconds: npt.ArrayLike,
    answer_within_seconds: npt.ArrayLike,
) -> ErlangAResult:
    """Erlang A (Palm's M/M/n+M): the queue with callers who hang up.

    Callers arrive as a Poisson stream, handle times are exponential with mean
    ``aht_seconds`` and each caller's patience is exponential with mean
    ``patience_seconds``; a caller still waiting when patience runs out abandons.

    Parameters
    ----------
    traffic : float or array_like
        Offered load [Erlang], in ``[0, 1e8]``.
    agents : int or array_like
        Number of agents, a whole number in ``[0, 1e9]``.
    aht_seconds : float or array_like
        Mean handle time [s], in ``(0, 1e9]``.
    patience_seconds : float or array_like
        Mean patience [s], ``> 0`` and at most 1e9 handle times; ``inf`` gives
        Erlang C.
    answer_within_seconds : float or array_like
        Service-level threshold T [s], ``>= 0``.

    Returns
    -------
    ErlangAResult
        P(wait), P(abandon), the three service-level definitions, ASA of answered
        calls, mean wait of all callers and occupancy.

    Notes
    -----
    With ``x = agents * patience / aht`` and ``y = traffic * patience / aht``,
    the delay probability is ``A E / (1 + (A - 1) E)`` with ``E`` Erlang B and
    ``A = 1F1(1; x+1; y)`` ([3]_); the virtual wait ``V`` of a delayed caller has
    ``P(V > t) = P(x, y e^{-t/patience}) / P(x, y)`` (``P`` the regularised lower
    incomplete gamma function), from which the service levels and abandonment
    within T follow in closed form. The mean wait of answered calls is one
    smooth one-dimensional integral, taken by Gauss-Legendre quadrature. The
    result tends to Erlang C as the patience grows and stays finite when traffic
    exceeds agents.

    Examples
    --------
    >>> r = erlang_a(10, 12, 180, 120, 20)
    >>> round(r.p_abandon, 4), round(r.service_level, 4)
    (0.0616, 0.8256)
    """
    a, n = check.traffic(traffic), check.agents(agents)
    aht = check.aht(aht_seconds)
    patience = check.positive("patience_seconds", patience_seconds, allow_inf=True)
    within = check.nonnegative("answer_within_seconds", answer_within_seconds)
    check.shape_of("erlang_a", {
        "traffic": (traffic, a), "agents": (agents, n), "aht_seconds": (aht_seconds, aht),
        "patience_seconds": (patience_seconds, patience),
        "answer_within_seconds": (answer_within_seconds, within)})
    check.check_patience_ratio(patience, aht)
    values = q.erlang_a_core(a, n, aht, patience, within)
    inputs = (traffic, agents, aht_seconds, patience_seconds, answer_within_seconds)
    return ErlangAResult(**{name: check.wrap(values[name], inputs) for name in q.A_FIELDS})


# -------------------------------------------------------------------- inverses


def agents_for_service_level(
    traffic: npt.ArrayLike,
    aht_seconds: npt.ArrayLike,
    target: npt.ArrayLike,
    answer_within_seconds: npt.ArrayLike,
    patience_seconds: npt.ArrayLike | None = None,
    max_occupancy: npt.ArrayLike | None = None,
) -> int | npt.NDArray[np.int64] | pd.Series:
    """Least number of agents whose service level meets the target, per interval.

    Parameters
    ----------
    traffic : float or array_like
        Offered load [Erlang], in ``[0, 1e8]`` (one value per interval).
    aht_seconds : float or array_like
        Mean handle time [s], in ``(0, 1e9]``.
    target : float or array_like
        Service-level target, a fraction in (0, 1) (0.8 for 80 %).
    answer_within_seconds : float or array_like
        Threshold T [s], ``>= 0``.
    patience_seconds : float or array_like, optional
        Mean patience [s]. ``None`` (or ``inf``) uses Erlang C; a finite value (at
        most 1e9 handle times) uses Erlang A with the service level of offered calls.
    max_occupancy : float or array_like, optional
        Cap on occupancy in (0, 1]: also require ``traffic / agents <= max_occupancy``.

    Returns
    -------
    int, ndarray of int64 or Series
        The least whole number of agents; 0 where traffic is 0.

    Notes
    -----
    Erlang C counts are searched upward from ``floor(traffic) + 1`` with the Erlang B
    recursion; Erlang A counts by galloping then bisection from ``target * traffic``
    (fewer agents can never meet the target: see :func:`ccsim._erlang.queueing.inverse`).
    Every search stops by ``traffic + 64 sqrt(traffic) + 1001`` agents, where any
    target in range is met.

    Examples
    --------
    100 calls per 30 minutes, AHT 180 s, 80 % within 20 s:

    >>> agents_for_service_level(10, 180, 0.8, 20)
    14
    """
    a = check.traffic(traffic)
    aht = check.aht(aht_seconds)
    goal = check_fraction("target", target)
    within = check.nonnegative("answer_within_seconds", answer_within_seconds)
    patience = check.patience(patience_seconds)
    cap = check.searched("agents_for_service_level", a, aht, patience, max_occupancy, {
        "traffic": (traffic, a), "aht_seconds": (aht_seconds, aht), "target": (target, goal),
        "answer_within_seconds": (answer_within_seconds, within),
        "patience_seconds": (patience_seconds, patience)})

    def meets_c(n, b, a, aht, goal, within):
        c, not_c = q.c_from_b(a, n, b)
        with np.errstate(over="ignore"):  # exp(-inf) = 0: fine
            return not_c - c * np.expm1(-(n - a) * within / aht) >= goal

    def meets_a(n, a, aht, patience, goal, within):
        values = q.erlang_a_core(a, n, aht, patience, within, with_waits=False)
        return values["service_level"] >= goal

    # The service level of offered calls is at most the answered share: start at target * a.
    out = q.inverse(a, aht, patience, cap, meets_c, meets_a, (goal, within),
                    answered_share=goal)
    inputs = (traffic, aht_seconds, target, answer_within_seconds, patience_seconds,
              max_occupancy)
    return check.wrap(out, inputs, integer=True)


def agents_for_asa(
    traffic: npt.ArrayLike,
    aht_seconds: npt.ArrayLike,
    target_seconds: npt.ArrayLike,
    patience_seconds: npt.ArrayLike | None = None,
    max_occupancy: npt.ArrayLike | None = None,
) -> int | npt.NDArray[np.int64] | pd.Series:
    """Least number of agents whose average speed of answer is at most the target.

    With ``patience_seconds=None`` ASA is Erlang C's mean wait of all calls; with
    a finite patience it is Erlang A's mean wait of answered calls.

    Parameters
    ----------
    traffic : float or array_like
        Offered load [Erlang], in ``[0, 1e8]``.
    aht_seconds : float or array_like
        Mean handle time [s], in ``(0, 1e9]``.
    target_seconds : float or array_like
        Largest acceptable ASA [s], ``> 0``.
    patience_seconds : float or array_like, optional
        Mean patience [s]; ``None`` or ``inf`` for Erlang C.
    max_occupancy : float or array_like, optional
        Cap on occupancy in (0, 1].

    Returns
    -------
    int, ndarray of int64 or Series
        The least whole number of agents; 0 where traffic is 0.

    Notes
    -----
    No lower bound shortens the Erlang A search here: callers who abandon leave
    the answered ones a short wait, so a few agents can meet an ASA target.

    Examples
    --------
    >>> agents_for_asa(10, 180, 15)
    14
    """
    a = check.traffic(traffic)
    aht = check.aht(aht_seconds)
    goal = check.positive("target_seconds", target_seconds)
    patience = check.patience(patience_seconds)
    cap = check.searched("agents_for_asa", a, aht, patience, max_occupancy, {
        "traffic": (traffic, a), "aht_seconds": (aht_seconds, aht),
        "target_seconds": (target_seconds, goal),
        "patience_seconds": (patience_seconds, patience)})

    def meets_c(n, b, a, aht, goal):
        c, _ = q.c_from_b(a, n, b)
        return c * aht / (n - a) <= goal

    def meets_a(n, a, aht, patience, goal):
        values = q.erlang_a_core(a, n, aht, patience, np.zeros_like(a))
        return values["asa_seconds"] <= goal

    out = q.inverse(a, aht, patience, cap, meets_c, meets_a, (goal,))
    inputs = (traffic, aht_seconds, target_seconds, patience_seconds, max_occupancy)
    return check.wrap(out, inputs, integer=True)


def agents_for_abandon_rate(
    traffic: npt.ArrayLike,
    aht_seconds: npt.ArrayLike,
    target: npt.ArrayLike,
    patience_seconds: npt.ArrayLike,
    max_occupancy: npt.ArrayLike | None = None,
) -> int | npt.NDArray[np.int64] | pd.Series:
    """Least number of agents whose Erlang A abandonment rate is at most the target.

    Parameters
    ----------
    traffic : float or array_like
        Offered load [Erlang], in ``[0, 1e8]``.
    aht_seconds : float or array_like
        Mean handle time [s], in ``(0, 1e9]``.
    target : float or array_like
        Largest acceptable fraction of offered calls that abandon, in (0, 1).
    patience_seconds : float or array_like
        Mean patience [s], finite, ``> 0`` and at most 1e9 handle times (callers
        who never hang up never abandon, so there would be nothing to staff for).
    max_occupancy : float or array_like, optional
        Cap on occupancy in (0, 1].

    Returns
    -------
    int, ndarray of int64 or Series
        The least whole number of agents; 0 where traffic is 0.

    Notes
    -----
    At most ``target`` of the calls abandon, so at least ``1 - target`` are answered
    and the search starts at ``(1 - target) * traffic`` agents (see
    :func:`ccsim._erlang.queueing.inverse`).

    Examples
    --------
    >>> agents_for_abandon_rate(10, 180, 0.05, 120)
    13
    """
    a = check.traffic(traffic)
    aht = check.aht(aht_seconds)
    goal = check_fraction("target", target)
    patience = check.patience(patience_seconds, allow_none=False)
    cap = check.searched("agents_for_abandon_rate", a, aht, patience, max_occupancy, {
        "traffic": (traffic, a), "aht_seconds": (aht_seconds, aht), "target": (target, goal),
        "patience_seconds": (patience_seconds, patience)})

    def meets_a(n, a, aht, patience, goal):
        values = q.erlang_a_core(a, n, aht, patience, np.zeros_like(a), with_waits=False)
        return values["p_abandon"] <= goal

    out = q.inverse(a, aht, patience, cap, None, meets_a, (goal,), answered_share=1.0 - goal)
    inputs = (traffic, aht_seconds, target, patience_seconds, max_occupancy)
    return check.wrap(out, inputs, integer=True)
