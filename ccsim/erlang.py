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
from typing import Any

import numpy as np

from ccsim._erlang import queueing as q
from ccsim._validation import CCSimInputError, check_count, check_fraction, check_real

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


# ---------------------------------------------------------------- input/output


def _traffic(value: Any) -> np.ndarray:
    return check_real("traffic", value, low=0.0)


def _agents(value: Any) -> np.ndarray:
    return check_count("agents", value)


def _positive(name: str, value: Any, allow_inf: bool = False) -> np.ndarray:
    return check_real(name, value, low=0.0, low_inclusive=False, allow_inf=allow_inf)


def _nonnegative(name: str, value: Any) -> np.ndarray:
    return check_real(name, value, low=0.0)


def _series_like(values: tuple[Any, ...]) -> Any:
    for value in values:
        if type(value).__module__.partition(".")[0] == "pandas" and hasattr(value, "index"):
            return value
    return None


def _wrap(result: np.ndarray, inputs: tuple[Any, ...], integer: bool = False) -> Any:
    """Return ``result`` in the form of the inputs: scalar, ndarray or Series."""
    if integer:
        result = result.astype(np.int64)
    if result.ndim == 0:
        return int(result) if integer else float(result)
    like = _series_like(inputs)
    if like is not None and getattr(like, "ndim", 0) == 1 and result.shape == (len(like),):
        return type(like)(result, index=like.index)
    return result


# ------------------------------------------------------------- Erlang B and C


def offered_traffic(calls: Any, aht_seconds: Any, interval_seconds: Any) -> Any:
    """Offered load in Erlangs: ``calls * aht_seconds / interval_seconds``.

    Parameters
    ----------
    calls : float or array_like
        Calls offered in the interval [calls], ``>= 0``.
    aht_seconds : float or array_like
        Mean handle time (talk plus after-call work) [s], ``> 0``.
    interval_seconds : float or array_like
        Length of the interval [s], ``> 0`` (1800 for 30 minutes).

    Returns
    -------
    float or ndarray
        Offered traffic [Erlang].

    Examples
    --------
    >>> offered_traffic(100, 180, 1800)
    10.0
    """
    c = check_real("calls", calls, low=0.0)
    aht = _positive("aht_seconds", aht_seconds)
    period = _positive("interval_seconds", interval_seconds)
    return _wrap(c * aht / period, (calls, aht_seconds, interval_seconds))


def erlang_b(traffic: Any, agents: Any) -> Any:
    """Erlang B: probability that a call is blocked when there is no queue (M/M/n/n).

    Parameters
    ----------
    traffic : float or array_like
        Offered load [Erlang], ``>= 0``.
    agents : int or array_like
        Number of agents (servers), a whole number ``>= 0``.

    Returns
    -------
    float or ndarray
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
    a, n = _traffic(traffic), _agents(agents)
    return _wrap(q.erlang_b(a, n), (traffic, agents))


def erlang_c(traffic: Any, agents: Any) -> Any:
    """Erlang C: probability that a call waits (M/M/n, callers never hang up).

    Parameters
    ----------
    traffic : float or array_like
        Offered load [Erlang], ``>= 0``.
    agents : int or array_like
        Number of agents, a whole number ``>= 0``.

    Returns
    -------
    float or ndarray
        P(wait > 0) in [0, 1]. With ``traffic >= agents`` the queue is unstable and
        every call waits: 1. With zero traffic: 0.

    Examples
    --------
    >>> round(erlang_c(10, 14), 6)
    0.174132
    """
    a, n = _traffic(traffic), _agents(agents)
    return _wrap(q.erlang_c_parts(a, n)[0], (traffic, agents))


def service_level(traffic: Any, agents: Any, aht_seconds: Any, answer_within_seconds: Any) -> Any:
    """Erlang C service level: fraction of calls answered within a threshold.

    ``SL = 1 - C * exp(-(agents - traffic) * answer_within_seconds / aht_seconds)``,
    computed as ``(1 - C) + C * (1 - exp(...))`` so that no digits cancel.

    Parameters
    ----------
    traffic : float or array_like
        Offered load [Erlang], ``>= 0``.
    agents : int or array_like
        Number of agents, a whole number ``>= 0``.
    aht_seconds : float or array_like
        Mean handle time [s], ``> 0``.
    answer_within_seconds : float or array_like
        Service-level threshold T [s], ``>= 0`` (20 for "80 % in 20 s").

    Returns
    -------
    float or ndarray
        P(wait <= T) in [0, 1]; 0 for an unstable queue, 1 for zero traffic.

    Examples
    --------
    100 calls per 30 minutes, AHT 180 s, 14 agents, threshold 20 s:

    >>> f"{service_level(10, 14, 180, 20):.7f}"
    '0.8883500'
    """
    a, n = _traffic(traffic), _agents(agents)
    aht = _positive("aht_seconds", aht_seconds)
    within = _nonnegative("answer_within_seconds", answer_within_seconds)
    out = q.service_level_c(a, n, aht, within)
    return _wrap(out, (traffic, agents, aht_seconds, answer_within_seconds))


def average_speed_of_answer(traffic: Any, agents: Any, aht_seconds: Any) -> Any:
    """Erlang C average speed of answer: mean wait over all calls [s].

    ``ASA = C * aht_seconds / (agents - traffic)``; ``inf`` for an unstable queue.

    Parameters
    ----------
    traffic : float or array_like
        Offered load [Erlang], ``>= 0``.
    agents : int or array_like
        Number of agents, a whole number ``>= 0``.
    aht_seconds : float or array_like
        Mean handle time [s], ``> 0``.

    Returns
    -------
    float or ndarray
        Mean wait [s]; 0 for zero traffic.

    Examples
    --------
    >>> round(average_speed_of_answer(10, 14, 180), 4)
    7.8359
    """
    a, n = _traffic(traffic), _agents(agents)
    aht = _positive("aht_seconds", aht_seconds)
    return _wrap(q.asa_c(a, n, aht), (traffic, agents, aht_seconds))


def occupancy(traffic: Any, agents: Any) -> Any:
    """Agent occupancy for Erlang C: busy time over logged-in time, ``traffic / agents``.

    Returns 1 for an unstable queue (``traffic >= agents > 0`` or no agents at all
    with traffic) and 0 for zero traffic.

    Examples
    --------
    >>> round(occupancy(10, 14), 4)
    0.7143
    """
    a, n = _traffic(traffic), _agents(agents)
    return _wrap(q.occupancy_c(a, n), (traffic, agents))


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

    p_wait: Any
    p_abandon: Any
    p_abandon_within: Any
    service_level: Any
    service_level_answered: Any
    service_level_excluding_short_abandons: Any
    asa_seconds: Any
    mean_wait_seconds: Any
    occupancy: Any

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
    traffic: Any,
    agents: Any,
    aht_seconds: Any,
    patience_seconds: Any,
    answer_within_seconds: Any,
) -> ErlangAResult:
    """Erlang A (Palm's M/M/n+M): the queue with callers who hang up.

    Callers arrive as a Poisson stream, handle times are exponential with mean
    ``aht_seconds`` and each caller's patience is exponential with mean
    ``patience_seconds``; a caller still waiting when patience runs out abandons.

    Parameters
    ----------
    traffic : float or array_like
        Offered load [Erlang], ``>= 0``.
    agents : int or array_like
        Number of agents, a whole number ``>= 0``.
    aht_seconds : float or array_like
        Mean handle time [s], ``> 0``.
    patience_seconds : float or array_like
        Mean patience [s], ``> 0``; ``inf`` gives Erlang C.
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
    a, n = _traffic(traffic), _agents(agents)
    aht = _positive("aht_seconds", aht_seconds)
    patience = _positive("patience_seconds", patience_seconds, allow_inf=True)
    within = _nonnegative("answer_within_seconds", answer_within_seconds)
    values = q.erlang_a_core(a, n, aht, patience, within)
    inputs = (traffic, agents, aht_seconds, patience_seconds, answer_within_seconds)
    return ErlangAResult(**{name: _wrap(values[name], inputs) for name in q.A_FIELDS})


# -------------------------------------------------------------------- inverses


def _check_max_occupancy(max_occupancy: Any) -> np.ndarray | None:
    if max_occupancy is None:
        return None
    return check_fraction("max_occupancy", max_occupancy, high_inclusive=True)


def _check_patience(patience_seconds: Any) -> np.ndarray:
    if patience_seconds is None:
        return np.asarray(np.inf)
    return _positive("patience_seconds", patience_seconds, allow_inf=True)


def agents_for_service_level(
    traffic: Any,
    aht_seconds: Any,
    target: Any,
    answer_within_seconds: Any,
    patience_seconds: Any = None,
    max_occupancy: Any = None,
) -> Any:
    """Least number of agents whose service level meets the target, per interval.

    Parameters
    ----------
    traffic : float or array_like
        Offered load [Erlang], ``>= 0`` (one value per interval).
    aht_seconds : float or array_like
        Mean handle time [s], ``> 0``.
    target : float or array_like
        Service-level target, a fraction in (0, 1) (0.8 for 80 %).
    answer_within_seconds : float or array_like
        Threshold T [s], ``>= 0``.
    patience_seconds : float or array_like, optional
        Mean patience [s]. ``None`` (or ``inf``) uses Erlang C; a finite value uses
        Erlang A with the service level of offered calls.
    max_occupancy : float or array_like, optional
        Cap on occupancy in (0, 1]: also require ``traffic / agents <= max_occupancy``.

    Returns
    -------
    int or ndarray of int64
        The least whole number of agents; 0 where traffic is 0.

    Examples
    --------
    100 calls per 30 minutes, AHT 180 s, 80 % within 20 s:

    >>> agents_for_service_level(10, 180, 0.8, 20)
    14
    """
    a = _traffic(traffic)
    aht = _positive("aht_seconds", aht_seconds)
    goal = check_fraction("target", target)
    within = _nonnegative("answer_within_seconds", answer_within_seconds)
    patience = _check_patience(patience_seconds)
    cap = _check_max_occupancy(max_occupancy)

    def meets_c(n, b, a, aht, goal, within):
        c, not_c = q.c_from_b(a, n, b)
        return not_c - c * np.expm1(-(n - a) * within / aht) >= goal

    def meets_a(n, a, aht, patience, goal, within):
        values = q.erlang_a_core(a, n, aht, patience, within, with_waits=False)
        return values["service_level"] >= goal

    out = q.inverse(a, aht, patience, cap, meets_c, meets_a, (goal, within))
    inputs = (traffic, aht_seconds, target, answer_within_seconds, patience_seconds,
              max_occupancy)
    return _wrap(out, inputs, integer=True)


def agents_for_asa(
    traffic: Any,
    aht_seconds: Any,
    target_seconds: Any,
    patience_seconds: Any = None,
    max_occupancy: Any = None,
) -> Any:
    """Least number of agents whose average speed of answer is at most the target.

    With ``patience_seconds=None`` ASA is Erlang C's mean wait of all calls; with
    a finite patience it is Erlang A's mean wait of answered calls.

    Parameters
    ----------
    traffic : float or array_like
        Offered load [Erlang], ``>= 0``.
    aht_seconds : float or array_like
        Mean handle time [s], ``> 0``.
    target_seconds : float or array_like
        Largest acceptable ASA [s], ``> 0``.
    patience_seconds : float or array_like, optional
        Mean patience [s]; ``None`` or ``inf`` for Erlang C.
    max_occupancy : float or array_like, optional
        Cap on occupancy in (0, 1].

    Returns
    -------
    int or ndarray of int64
        The least whole number of agents; 0 where traffic is 0.

    Examples
    --------
    >>> agents_for_asa(10, 180, 15)
    14
    """
    a = _traffic(traffic)
    aht = _positive("aht_seconds", aht_seconds)
    goal = _positive("target_seconds", target_seconds)
    patience = _check_patience(patience_seconds)
    cap = _check_max_occupancy(max_occupancy)

    def meets_c(n, b, a, aht, goal):
        c, _ = q.c_from_b(a, n, b)
        return c * aht / (n - a) <= goal

    def meets_a(n, a, aht, patience, goal):
        values = q.erlang_a_core(a, n, aht, patience, np.zeros_like(a))
        return values["asa_seconds"] <= goal

    out = q.inverse(a, aht, patience, cap, meets_c, meets_a, (goal,))
    inputs = (traffic, aht_seconds, target_seconds, patience_seconds, max_occupancy)
    return _wrap(out, inputs, integer=True)


def agents_for_abandon_rate(
    traffic: Any,
    aht_seconds: Any,
    target: Any,
    patience_seconds: Any,
    max_occupancy: Any = None,
) -> Any:
    """Least number of agents whose Erlang A abandonment rate is at most the target.

    Parameters
    ----------
    traffic : float or array_like
        Offered load [Erlang], ``>= 0``.
    aht_seconds : float or array_like
        Mean handle time [s], ``> 0``.
    target : float or array_like
        Largest acceptable fraction of offered calls that abandon, in (0, 1).
    patience_seconds : float or array_like
        Mean patience [s], finite and ``> 0`` (callers who never hang up never
        abandon, so there would be nothing to staff for).
    max_occupancy : float or array_like, optional
        Cap on occupancy in (0, 1].

    Returns
    -------
    int or ndarray of int64
        The least whole number of agents; 0 where traffic is 0.

    Examples
    --------
    >>> agents_for_abandon_rate(10, 180, 0.05, 120)
    13
    """
    a = _traffic(traffic)
    aht = _positive("aht_seconds", aht_seconds)
    goal = check_fraction("target", target)
    if patience_seconds is None:
        raise CCSimInputError(
            "patience_seconds must be a finite number > 0 for an abandonment target; got None"
        )
    patience = _positive("patience_seconds", patience_seconds)
    cap = _check_max_occupancy(max_occupancy)

    def meets_a(n, a, aht, patience, goal):
        values = q.erlang_a_core(a, n, aht, patience, np.zeros_like(a), with_waits=False)
        return values["p_abandon"] <= goal

    out = q.inverse(a, aht, patience, cap, None, meets_a, (goal,))
    inputs = (traffic, aht_seconds, target, patience_seconds, max_occupancy)
    return _wrap(out, inputs, integer=True)
