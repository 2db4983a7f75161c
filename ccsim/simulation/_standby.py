"""The state of one standby team (escalation level) during a run: its trigger and call-out.

The engine (:mod:`.engine`) owns the agents and the queues; a :class:`Team`
keeps what the trigger needs (the calls settled in the look-back window of a
:class:`~ccsim.simulation.ServiceLevelBelow`), decides at each check whether
the trigger holds, and records when the team was called, logged in and
released (the rules are :class:`~ccsim.simulation.Standby`'s). A group's
levels are checked in order: a level waits until the one before it
(``previous``) has been called.
"""

from __future__ import annotations

from collections import deque
from math import nan

from ccsim.simulation._plan import StandbyPlan

# where a team is in its call-out
WAITING, CALLED, ON_PHONES, RELEASED = 0, 1, 2, 3


class Team:
    """One standby team (an escalation level of a group) in one replication.

    Attributes
    ----------
    agents : range
        The engine's numbers of the team's agents (for a level pulling agents
        from another group, the numbers they take while pulled).
    previous : Team or None
        The group's level before this one (None for the first).
    times : list of float
        [called, logged in, released] [s]; nan until it happens (release at the
        horizon is recorded as the horizon).
    """

    __slots__ = ("plan", "group", "agents", "state", "times", "settled", "previous")

    def __init__(self, plan: StandbyPlan, group: int, previous: Team | None = None) -> None:
        self.plan = plan
        self.group = group
        self.previous = previous
        self.agents = range(plan.first_agent, plan.first_agent + plan.agents)
        self.state = WAITING
        self.times = [nan, nan, nan]
        self.settled: deque[tuple[float, bool]] = deque()  # (when, answered within T)

    @property
    def pulls(self) -> bool:
        """Agents pulled from another group (not on-call staff)."""
        return self.plan.pull_from >= 0

    @property
    def waits_for_previous(self) -> bool:
        """The level before this one has not been called yet."""
        return self.previous is not None and self.previous.state == WAITING

    @property
    def watches_service_level(self) -> bool:
        return self.plan.queue_above is None

    def holds(self, now: float, waiting: int, overdue: int) -> bool:
        """Whether the trigger holds at ``now``.

        ``waiting``: calls waiting in the queues of the group's skills;
        ``overdue``: those of them that have waited more than their threshold T.
        """
        plan = self.plan
        if plan.queue_above is not None:
            return waiting > plan.queue_above
        settled = self.settled
        since = now - plan.window_seconds
        while settled and settled[0][0] <= since:
            settled.popleft()
        total = len(settled) + overdue
        if total == 0:
            return False
        within = sum(1 for _, quick in settled if quick)
        return within < plan.level * total

    def may_leave(self, now: float) -> bool:
        """On the phones for at least the minimum stay."""
        return self.state == ON_PHONES and now >= self.times[1] + self.plan.min_stay_seconds
