"""Blended work: outbound calls and back-office items taken by idle agents.

An idle agent of a group with ``AgentGroup(blend=Blend(...))``, when no inbound
call it may take waits and more than ``Blend.reserve`` of the group's agents
are idle (itself included, so that ``reserve`` stay free for inbound), takes
the oldest waiting backlog item or, with none, makes an outbound attempt. It
finishes that work (no pre-emption) and then looks for inbound calls first.
Blended work starts only before the scenario's end (``horizon_hours``).

Draws, per group ``g`` with a blend, from their own streams of the
replication's seed (``spawn_key + (BLEND_KEY + g, 0..3)``), so that a scenario
without ``blend`` draws exactly what it drew before: backlog arrivals (Poisson),
backlog work times (exponential), outbound connect choices (uniform) and
outbound talk times (exponential).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ccsim._validation import CCSimInputError
from ccsim.simulation._inputs import number, show, whole

__all__ = ["Backlog", "Blend", "Outbound"]

BLEND_KEY = 1_000_000  # first spawn-key entry of the blend streams, far above any call type
# kind of blended work, in EngineOutput.blend_work
OUTBOUND_CONNECTED, OUTBOUND_MISSED, BACKLOG = 0, 1, 2
# per group with a blend, in this order along the last axis of Tally.blend
BLEND_VALUES = ("attempts", "connected", "backlog_arrived", "backlog_done",
                "backlog_on_time", "outbound_seconds", "backlog_seconds")


@dataclass(frozen=True)
class Outbound:
    """Outbound calls made by blended agents.

    Parameters
    ----------
    connect_rate : float
        Probability an attempt reaches someone, in [0, 1].
    talk_seconds : float
        Mean talk time of a connected attempt [s] (exponential), > 0.
    attempt_seconds : float
        Time an unconnected attempt takes [s] (fixed), > 0.
    """

    connect_rate: float
    talk_seconds: float
    attempt_seconds: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "connect_rate", number(
            "Outbound.connect_rate", self.connect_rate, low=0.0, high=1.0))
        object.__setattr__(self, "talk_seconds", number(
            "Outbound.talk_seconds", self.talk_seconds, low=0.0, low_inclusive=False))
        object.__setattr__(self, "attempt_seconds", number(
            "Outbound.attempt_seconds", self.attempt_seconds, low=0.0, low_inclusive=False))


@dataclass(frozen=True)
class Backlog:
    """Back-office items arriving over the scenario, each due some hours later.

    Parameters
    ----------
    items_per_hour : float
        Poisson arrival rate of items from the scenario's start to its end [1/h], >= 0.
    work_seconds : float
        Mean work time of an item [s] (exponential), > 0.
    due_hours : float
        An item is done on time when finished within this time of its arrival [h], > 0.
    """

    items_per_hour: float
    work_seconds: float
    due_hours: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "items_per_hour", number(
            "Backlog.items_per_hour", self.items_per_hour, low=0.0))
        object.__setattr__(self, "work_seconds", number(
            "Backlog.work_seconds", self.work_seconds, low=0.0, low_inclusive=False))
        object.__setattr__(self, "due_hours", number(
            "Backlog.due_hours", self.due_hours, low=0.0, low_inclusive=False))


@dataclass(frozen=True)
class Blend:
    """Blended work of a group's agents (see :mod:`ccsim.simulation._blend`).

    Parameters
    ----------
    reserve : int
        Agents kept idle for inbound: blended work starts only when more than
        ``reserve`` of the group's agents are idle, >= 0.
    outbound : Outbound, optional
        Outbound attempts, made when no backlog item waits. None: none.
    backlog : Backlog, optional
        Back-office items, taken oldest first. None: none.
    """

    reserve: int
    outbound: Outbound | None = None
    backlog: Backlog | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "reserve", whole("Blend.reserve", self.reserve))
        if self.outbound is not None and not isinstance(self.outbound, Outbound):
            raise CCSimInputError(
                "Blend.outbound must be an Outbound such as Outbound(connect_rate=0.3, "
                f"talk_seconds=240, attempt_seconds=30), or None; got {show(self.outbound)}")
        if self.backlog is not None and not isinstance(self.backlog, Backlog):
            raise CCSimInputError(
                "Blend.backlog must be a Backlog such as Backlog(items_per_hour=20, "
                f"work_seconds=600, due_hours=4), or None; got {show(self.backlog)}")
        if self.outbound is None and self.backlog is None:
            raise CCSimInputError(
                "Blend needs outbound=Outbound(...), backlog=Backlog(...) or both; got neither")


class BlendDraws:
    """One group's blend draws for one replication; outbound draws taken in order."""

    BLOCK = 256

    def __init__(self, blend: Blend, horizon_seconds: float, seed: np.random.SeedSequence,
                 g: int) -> None:
        self.blend = blend
        streams = [np.random.default_rng(np.random.SeedSequence(
            seed.entropy, spawn_key=(*seed.spawn_key, BLEND_KEY + g, j),
            pool_size=seed.pool_size)) for j in range(4)]
        backlog = blend.backlog
        if backlog is not None:
            n = streams[0].poisson(backlog.items_per_hour * horizon_seconds / 3600.0)
            self.backlog_arrival = np.sort(streams[0].uniform(0.0, horizon_seconds, n))
            self.backlog_work = streams[1].exponential(backlog.work_seconds, n)
        else:
            self.backlog_arrival = self.backlog_work = np.zeros(0)
        self._connect, self._talk = streams[2], streams[3]
        self._choices: list[float] = []
        self._talks: list[float] = []

    def attempt(self) -> tuple[bool, float]:
        """The next outbound attempt: (connected, seconds it takes)."""
        outbound = self.blend.outbound
        if not self._choices:
            self._choices = self._connect.random(self.BLOCK).tolist()[::-1]
            self._talks = self._talk.exponential(outbound.talk_seconds, self.BLOCK).tolist()[::-1]
        choice, talk = self._choices.pop(), self._talks.pop()
        if choice < outbound.connect_rate:
            return True, talk
        return False, outbound.attempt_seconds


def values(blend: Blend, draws: BlendDraws, work: np.ndarray, g: int,
           horizon_seconds: float) -> np.ndarray:
    """One group's BLEND_VALUES from the engine's blended-work records.

    ``work`` rows: (agent, group, kind, start [s], end [s], item, idle agents at start).
    Times of work (``*_seconds``) are counted up to the horizon, like staffed time.
    """
    mine = work[work[:, 1] == g]
    kind = mine[:, 2]
    length = np.minimum(mine[:, 4], horizon_seconds) - mine[:, 3]
    outbound = kind != BACKLOG
    done = mine[~outbound]
    due = draws.backlog_arrival + (blend.backlog.due_hours * 3600.0 if blend.backlog else 0.0)
    on_time = int(np.sum(done[:, 4] <= due[done[:, 5].astype(np.int64)])) if done.size else 0
    return np.array([outbound.sum(), (kind == OUTBOUND_CONNECTED).sum(),
                     draws.backlog_arrival.size, done.shape[0], on_time,
                     length[outbound].sum(), length[~outbound].sum()], dtype=float)
