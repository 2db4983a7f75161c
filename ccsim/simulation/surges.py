"""Surges of calls, and standby agents called in when a trigger holds.

A :class:`Surge` multiplies a call type's arrival rate over a window
(``CallType(..., surges=[Surge(9, 11, 2.0)])``), as
:func:`ccsim.arrivals.surge` does to a forecast. A :class:`Standby` on an
agent group (``AgentGroup(..., standby=Standby(8, call_in_minutes=30,
trigger=QueueAbove(20)))``) is a team of on-call agents: called when its
trigger (:class:`QueueAbove` or :class:`ServiceLevelBelow`) first holds, on
the phones after their call-in delay, and released when they have stayed
their minimum time and the trigger no longer holds. The last level of the
escalation, agents of another group pulled onto the phones (back office, team
leaders), is a ``Standby(..., pull_from="backoffice")``; a group may have
several levels, ``standby=[level_1, level_2]``, called in that order. Times of
day are hours since the scenario's start; durations are minutes as their names
say.

The triggers are checked once a minute of simulated time
(:data:`CHECK_SECONDS`), from minute 1 to the horizon; see
:class:`Standby` for the full rules.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass

from ccsim._validation import CCSimInputError, check_fraction
from ccsim.simulation import _inputs
from ccsim.simulation._inputs import number, show, whole

__all__ = ["CHECK_SECONDS", "QueueAbove", "ServiceLevelBelow", "Standby", "Surge"]

#: How often [s of simulated time] the standby triggers are checked.
CHECK_SECONDS = 60.0


@dataclass(frozen=True)
class Surge:
    """Arrivals at ``factor`` times their rate from ``start_hours`` to ``end_hours``.

    Parameters
    ----------
    start_hours, end_hours : float
        The window [h since the scenario's start], ``start < end``; it may
        run past the horizon (no call arrives after it).
    factor : float
        Multiplier ``>= 0`` of the arrival rate in the window (2: calls
        double; 0.5: half of them; 0: none).

    Notes
    -----
    The calls of the scenario without the surge are kept (common random
    numbers): a factor above 1 adds a Poisson stream of rate ``(factor - 1)``
    times the rate, drawn from streams of its own; a factor below 1 keeps each
    call of the window with probability ``factor`` (its own uniform draws).
    """

    start_hours: float
    end_hours: float
    factor: float

    def __post_init__(self) -> None:
        start = number("Surge.start_hours", self.start_hours, low=0.0,
                       high=_inputs.MAX_HOURS, high_inclusive=False)
        end = number("Surge.end_hours", self.end_hours, low=start, low_inclusive=False,
                     high=_inputs.MAX_HOURS)
        object.__setattr__(self, "start_hours", start)
        object.__setattr__(self, "end_hours", end)
        object.__setattr__(self, "factor", number("Surge.factor", self.factor, low=0.0,
                                                  high=1e6))


@dataclass(frozen=True)
class QueueAbove:
    """Trigger: more than ``calls`` calls wait for the group (in its skills' queues).

    Parameters
    ----------
    calls : int
        The threshold ``>= 0``: the trigger holds when the calls waiting in
        the queues of the group's skills (not counting calls overflowing to
        it) exceed it.
    """

    calls: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "calls", whole("QueueAbove.calls", self.calls))


@dataclass(frozen=True)
class ServiceLevelBelow:
    """Trigger: the service level of the last ``minutes`` is below ``level``.

    The service level of a check at time t is over the calls of the group's
    skills settled in ``(t - minutes, t]`` (answered or abandoned), plus the
    calls still waiting at t that have already waited more than their
    threshold T (known misses): answered within T / all of them (abandoned
    calls count as misses, as in ``service_level``). With no such call it is 1
    and the trigger does not hold.

    Parameters
    ----------
    level : float
        The threshold, in (0, 1] (0.8 for 80 %).
    minutes : float
        The look-back window [min], > 0.
    """

    level: float
    minutes: float = 15.0

    def __post_init__(self) -> None:
        array = check_fraction("ServiceLevelBelow.level", self.level, high_inclusive=True)
        if array.ndim != 0:
            raise CCSimInputError(
                f"ServiceLevelBelow.level must be a single number in (0, 1]; got "
                f"{show(self.level)}")
        object.__setattr__(self, "level", float(array))
        object.__setattr__(self, "minutes", number(
            "ServiceLevelBelow.minutes", self.minutes, low=0.0, low_inclusive=False,
            high=_inputs.MAX_HOURS * 60))


@dataclass(frozen=True)
class Standby:
    """On-call agents of a group, called in when a trigger holds.

    Rules (checked every :data:`CHECK_SECONDS` of simulated time, from the
    first minute to the horizon):

    * the first check at which ``trigger`` holds calls the standby (once per
      replication: a team released is not called again);
    * ``call_in_minutes`` later all ``agents`` log in, with the group's skills
      (unless that is at or after the horizon: then they do not come);
    * from ``min_stay_minutes`` after their log-in, the first check at which
      the trigger no longer holds releases them: each leaves at once if idle,
      else after the call in hand;
    * at the horizon those still on the phones leave the same way, except in
      a counts-staffed group, whose standby agents stay, like its other
      agents, until no call waits for them.

    Standby agents do not count in the group's planned agents (``scheduled``)
    but do in ``staffed`` and ``busy``; ``SimulationResult.standby`` reports
    when each team was called, logged in and released.

    **Agents pulled from another group** (``pull_from="backoffice"``, the last
    escalation level): the agents are not on-call staff but up to ``agents``
    agents of the group ``pull_from`` of the same scenario. ``call_in_minutes``
    after the call they are taken from those then logged in there and not
    about to leave or go on break: the idle ones first (longest idle first),
    then the busy ones (longest on their call first), each after the call or
    blended item in hand. A pulled agent leaves its own group (its logged-in
    span there ends: the group's ``staffed`` drops; for a counts-staffed group
    it still counts as planned, so nobody replaces it) and serves this group's
    skills, as this group's agent, until the level is released; then it
    returns after the call in hand, unless its shift ended meanwhile (it
    goes home from the pulling group at its shift's end), the horizon passed,
    or its counts-staffed group's count dropped (it is the first to go).
    Breaks due while pulled are skipped. Fewer agents than ``agents`` are
    pulled when fewer are available (``SimulationResult.standby``'s
    ``agents_arrived``).

    **Several levels** (``AgentGroup(standby=[level_1, level_2, ...])``): each
    level has its own trigger, checked only once the level before it has been
    called (the escalation order); each is called at most once, and released
    by its own rules. :func:`ccsim.simulation.escalation_effect` measures the
    calls each level saved.

    Parameters
    ----------
    agents : int
        Agents called, ``>= 1``.
    call_in_minutes : float
        Delay [min] from the call to the log-in, ``>= 0``.
    trigger : QueueAbove or ServiceLevelBelow
        When to call them.
    min_stay_minutes : float, keyword-only, default 60
        Least time [min] on the phones before they may be released, ``>= 0``.
    pull_from : str, keyword-only
        The name of another group of the scenario whose agents are pulled onto
        this group's phones (see above). None (the default): on-call agents.
    """

    agents: int
    call_in_minutes: float
    trigger: QueueAbove | ServiceLevelBelow
    _: KW_ONLY
    min_stay_minutes: float = 60.0
    pull_from: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "agents", whole("Standby.agents", self.agents, low=1))
        object.__setattr__(self, "call_in_minutes", number(
            "Standby.call_in_minutes", self.call_in_minutes, low=0.0,
            high=_inputs.MAX_HOURS * 60))
        object.__setattr__(self, "min_stay_minutes", number(
            "Standby.min_stay_minutes", self.min_stay_minutes, low=0.0,
            high=_inputs.MAX_HOURS * 60))
        if not isinstance(self.trigger, (QueueAbove, ServiceLevelBelow)):
            raise CCSimInputError(
                "Standby.trigger must be QueueAbove(calls) or ServiceLevelBelow(level, "
                f"minutes); got {show(self.trigger)}")
        if self.pull_from is not None and (not isinstance(self.pull_from, str)
                                           or not self.pull_from.strip()):
            raise CCSimInputError(
                "Standby.pull_from must be the name of another group of the scenario (a "
                f"non-empty str), or None for on-call agents; got {show(self.pull_from)}")
