"""Agent groups and their staffing: counts per interval, or shifts with breaks.

Times of day are hours since the scenario's start (``Shift(8, 16.5)`` in a
scenario starting at midnight is 08:00-16:30).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass, field

import pandas as pd

from ccsim._validation import CCSimInputError
from ccsim.simulation import _inputs
from ccsim.simulation._blend import Blend
from ccsim.simulation._inputs import check_name, number, one_of, show, whole
from ccsim.simulation.surges import Standby

__all__ = ["AgentGroup", "Shift"]


@dataclass(frozen=True)
class Shift:
    """Agents working from ``start_hours`` to ``end_hours`` (hours since the scenario start).

    Parameters
    ----------
    start_hours, end_hours : float
        Log-in and log-out times [h since the scenario start], ``start < end``.
    breaks : sequence of (float, float), default ()
        ``(start_hours, end_hours)`` of each break, inside the shift, in order,
        not overlapping. An agent busy when a break is due finishes the call and
        then takes the break's full length.
    agents : int, default 1
        How many agents work this shift.
    """

    start_hours: float
    end_hours: float
    breaks: Sequence[tuple[float, float]] = ()
    agents: int = 1

    def __post_init__(self) -> None:
        start = number("Shift.start_hours", self.start_hours, low=0.0,
                       high=_inputs.MAX_HOURS, high_inclusive=False)
        end = number("Shift.end_hours", self.end_hours, low=start, low_inclusive=False,
                     high=_inputs.MAX_HOURS)
        object.__setattr__(self, "start_hours", start)
        object.__setattr__(self, "end_hours", end)
        object.__setattr__(self, "agents", whole("Shift.agents", self.agents))
        try:
            pairs = [(float(a), float(b)) for a, b in self.breaks]
        except (TypeError, ValueError, OverflowError):
            raise CCSimInputError(
                "Shift.breaks must be a sequence of (start_hours, end_hours) pairs; got "
                f"{show(self.breaks)}") from None
        last = start
        for a, b in pairs:
            if not (last <= a < b <= end):
                raise CCSimInputError(
                    f"Shift.breaks must lie inside the shift {start:g}-{end:g} h, in order and "
                    f"not overlapping, each with start < end; got ({a:g}, {b:g})")
            last = b
        object.__setattr__(self, "breaks", tuple(pairs))


@dataclass(frozen=True)
class AgentGroup:
    """A group of agents with the same skills, staffed by counts or by shifts.

    Parameters
    ----------
    name : str
        The group.
    skills : sequence of str
        The call types its agents answer, in order of preference: a freed agent
        takes the oldest waiting call of the first call type that has one, call
        types of higher ``CallType.priority`` first, then these skills in the
        order listed, then call types overflowing to this group.
    agents : int, sequence of int or Series, optional
        Agents logged in: a constant, one count per interval of the scenario, or
        a Series on the interval starts. Agents log in and out at interval
        boundaries; one due to leave while on a call leaves when it ends. After
        the scenario's end the last interval's agents stay until the queue is
        empty (calls waiting at closing are answered).
    shifts : sequence of Shift, keyword-only
        Instead of ``agents``: named shifts with breaks. Agents leave at the end
        of their shift (after the call in hand), whatever is still waiting.
    standby : Standby or sequence of Standby, keyword-only
        On-call agents called in when a trigger holds (see
        :class:`~ccsim.simulation.Standby`), or several escalation levels in
        their order (e.g. on-call staff, then back office pulled onto the
        phones with ``Standby(..., pull_from="backoffice")``); each level is
        called only after the one before it. None (the default): none.
    blend : Blend, keyword-only
        Blended work (outbound attempts, back-office items) its idle agents
        take beyond a reserve kept for inbound (see :class:`~ccsim.simulation.Blend`).
        None (the default): inbound only.
    """

    name: str
    skills: Sequence[str]
    agents: int | Sequence[int] | pd.Series | None = field(default=None, compare=False)
    _: KW_ONLY
    shifts: Sequence[Shift] = ()
    standby: Standby | Sequence[Standby] | None = None
    blend: Blend | None = None
    _counts: float | tuple[float, ...] | _inputs.TimedValues | None = field(
        init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        owner = f"AgentGroup({check_name('AgentGroup', self.name)!r})"
        object.__setattr__(self, "skills", _inputs.names(owner, "skills", self.skills))
        shifts = tuple(self.shifts) if isinstance(self.shifts, Sequence) else self.shifts
        if not isinstance(shifts, tuple) or not all(isinstance(s, Shift) for s in shifts):
            raise CCSimInputError(
                f"{owner}.shifts must be a sequence of Shift; got {show(shifts)}")
        object.__setattr__(self, "shifts", shifts)
        one_of(owner, "agents", self.agents, "shifts", shifts or None, required=True)
        if self.agents is not None:
            counts = _inputs.per_interval(f"{owner}.agents", self.agents, counts=True)
            if isinstance(counts, float):
                object.__setattr__(self, "agents", int(counts))
            elif isinstance(counts, tuple):
                object.__setattr__(self, "agents", tuple(int(c) for c in counts))
            object.__setattr__(self, "_counts", counts)
        standby = self.standby
        if isinstance(standby, Sequence) and not isinstance(standby, (str, bytes)):
            standby = tuple(standby) or None
            object.__setattr__(self, "standby", standby)
        levels = standby if isinstance(standby, tuple) else (standby,)
        if standby is not None and not all(isinstance(level, Standby) for level in levels):
            raise CCSimInputError(
                f"{owner}.standby must be a Standby such as Standby(agents=8, "
                "call_in_minutes=30, trigger=QueueAbove(20)), a list of them (escalation "
                f"levels, in order), or None; got {show(self.standby)}")
        for level in levels:
            if level is not None and level.pull_from == self.name:
                raise CCSimInputError(
                    f"{owner}.standby: Standby.pull_from must name another group; got "
                    f"{level.pull_from!r}, the group itself")
        if self.blend is not None and not isinstance(self.blend, Blend):
            raise CCSimInputError(
                f"{owner}.blend must be a Blend such as Blend(reserve=2, outbound=Outbound("
                f"connect_rate=0.3, talk_seconds=240, attempt_seconds=30)), or None; got "
                f"{show(self.blend)}")

    @property
    def standby_levels(self) -> tuple[Standby, ...]:
        """The escalation levels of ``standby`` in order (empty without standby)."""
        if self.standby is None:
            return ()
        return self.standby if isinstance(self.standby, tuple) else (self.standby,)
