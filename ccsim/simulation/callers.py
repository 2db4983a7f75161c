"""What callers do besides waiting: redial after a loss, pass through an IVR, or replay a log.

All are frozen dataclasses, validated when built, given to a call type as
``CallType(..., redial=Redial(...), ivr=IVR(...))`` or, instead of its
arrivals, ``CallType(..., recorded=RecordedCalls(...))``. A number where a
time is expected is the mean of exponential times; a :class:`Distribution` is
accepted instead. The telephone lines they compete for are ``Scenario(lines=...)``.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from typing import Any

import numpy as np

from ccsim._validation import CCSimInputError, check_bool, check_fraction
from ccsim.simulation._inputs import real, show
from ccsim.simulation.distributions import MAX_SECONDS, Distribution, as_distribution

__all__ = ["IVR", "RecordedCalls", "Redial"]

# How a replayed call's talk time and patience are found (RecordedCalls.service, .patience).
REPLAY_MODES = ("recorded", "fitted")


def _fraction(name: str, value: Any) -> float:
    """A probability in [0, 1] (a percentage gets a hint: write 0.5 for 50 %)."""
    if isinstance(value, (bool, np.bool_, str, bytes)) or value is None:
        raise CCSimInputError(f"{name} must be a number in [0, 1]; got {show(value)}")
    array = check_fraction(name, value, low_inclusive=True, high_inclusive=True)
    if array.ndim != 0:
        raise CCSimInputError(f"{name} must be a single number in [0, 1]; got {show(value)}")
    return float(array)


@dataclass(frozen=True)
class Redial:
    """Callers who try again after abandoning or after a busy signal.

    Each lost attempt of the call type (abandoned in the queue, or blocked
    because every line was taken) is followed, with probability
    ``probability``, by a new attempt ``delay_seconds`` later; that attempt
    may be lost and redialled again, each time with the same probability. A
    redial is a new call: it goes through the IVR again and draws a new
    patience and a new talk time unless ``keep_patience`` / ``keep_service``.
    The center takes no attempt after the scenario's horizon: a redial that
    would come later is not made (its caller counts as lost).

    Parameters
    ----------
    probability : float
        The chance [0, 1] that a lost attempt is redialled.
    delay_seconds : float or Distribution
        Time [s] from the loss to the new attempt: a number is the mean of
        exponential delays (> 0).
    keep_patience : bool, keyword-only, default False
        The new attempt has the patience of the one it follows.
    keep_service : bool, keyword-only, default False
        The new attempt needs the talk and wrap-up times of the one it follows.
    """

    probability: float
    delay_seconds: float | Distribution
    _: KW_ONLY
    keep_patience: bool = False
    keep_service: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "probability", _fraction("Redial.probability", self.probability))
        check_bool("Redial.keep_patience", self.keep_patience)
        check_bool("Redial.keep_service", self.keep_service)
        object.__setattr__(self, "keep_patience", bool(self.keep_patience))
        object.__setattr__(self, "keep_service", bool(self.keep_service))
        self.delay_distribution  # noqa: B018 - validates

    @property
    def delay_distribution(self) -> Distribution:
        """Delays before a redial: exponential with mean ``delay_seconds`` when a number."""
        return as_distribution("Redial.delay_seconds", self.delay_seconds)


@dataclass(frozen=True)
class IVR:
    """An interactive voice response in front of the agents' queue.

    Every attempt that gets a line first spends ``seconds`` in the IVR
    (holding its line); a share ``self_service`` of them is done there and
    hangs up, the others then join the agents' queue. Patience, waits and the
    service level count from the end of the IVR (the ACD's view).

    Parameters
    ----------
    seconds : float or Distribution
        Time in the IVR [s]: a number is the mean of exponential times (0: no
        time, only the self-service choice).
    self_service : float, default 0
        The share [0, 1] of attempts completed in the IVR.
    """

    seconds: float | Distribution
    self_service: float = 0.0

    def __post_init__(self) -> None:
        self.time_distribution  # noqa: B018 - validates
        object.__setattr__(self, "self_service",
                           _fraction("IVR.self_service", self.self_service))

    @property
    def time_distribution(self) -> Distribution:
        """Times in the IVR: exponential with mean ``seconds`` when a number."""
        return as_distribution("IVR.seconds", self.seconds, zero_ok=True)


def _times(name: str, values: Any, size: int | None) -> np.ndarray:
    """A read-only 1-d float array of times in [0, MAX_SECONDS] seconds."""
    if isinstance(values, (str, bytes)) or values is None:
        raise CCSimInputError(f"RecordedCalls.{name} must be a 1-d array of seconds; got "
                              f"{show(values)}")
    array = np.array(real(f"RecordedCalls.{name}", values, low=0.0, high=MAX_SECONDS),
                     dtype=float)
    if array.ndim != 1 or (size is not None and array.size != size):
        shape = "" if size is None else f" of {size} values (one per call)"
        raise CCSimInputError(
            f"RecordedCalls.{name} must be a 1-d array{shape}; got shape {array.shape}")
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class RecordedCalls:
    """The calls of a log to replay: when they came, how long they waited, what happened.

    A call type given ``recorded=`` takes its arrivals from here instead of
    drawing them: every replication has exactly these calls at exactly these
    times. :meth:`ccsim.simulation.Scenario.from_calls` makes them from a call
    log; a replication's randomness is only in what the log does not show:

    * talk times: ``service="recorded"`` gives an answered call its recorded
      talk time and an abandoned call (never served in the log) a draw from the
      call type's ``service`` law; ``"fitted"`` draws every call's talk time;
    * patience: ``patience="recorded"`` gives an abandoned caller a patience
      equal to the wait the log shows (observed), and an answered caller, who
      would have waited at least their wait (right-censored), their wait plus a
      draw from the call type's exponential patience law: the law conditioned
      on exceeding the wait (exact because the exponential is memoryless);
      ``"fitted"`` draws every caller's patience from the law.

    Parameters
    ----------
    arrival_seconds : array of float
        When each call reached the queue [s since the scenario's start],
        sorted ascending.
    wait_seconds : array of float
        Each call's recorded queue wait [s].
    answered : array of bool
        True where the log shows the call answered, False where abandoned.
    service_seconds : array of float
        Recorded talk times [s] (ignored for abandoned calls).
    service, patience : {"recorded", "fitted"}, keyword-only
        Where talk times and patience come from (see above).

    Attributes
    ----------
    size : int
        Calls recorded.

    Raises
    ------
    CCSimInputError
        Arrays of different lengths, not 1-d, times that are negative, not
        finite or beyond ``MAX_SECONDS``, arrivals not sorted, or an unknown mode.
    """

    arrival_seconds: np.ndarray
    wait_seconds: np.ndarray
    answered: np.ndarray
    service_seconds: np.ndarray
    _: KW_ONLY
    service: str = "recorded"
    patience: str = "recorded"

    def __post_init__(self) -> None:
        arrival = _times("arrival_seconds", self.arrival_seconds, None)
        if arrival.size and (np.diff(arrival) < 0).any():
            at = int(np.flatnonzero(np.diff(arrival) < 0)[0]) + 1
            raise CCSimInputError(
                f"RecordedCalls.arrival_seconds must be sorted ascending; call {at} arrives at "
                f"{float(arrival[at])!r} s, before call {at - 1} ({float(arrival[at - 1])!r} s)")
        object.__setattr__(self, "arrival_seconds", arrival)
        object.__setattr__(self, "wait_seconds",
                           _times("wait_seconds", self.wait_seconds, arrival.size))
        answered = np.asarray(self.answered)
        if answered.dtype != bool or answered.shape != arrival.shape:
            raise CCSimInputError(
                f"RecordedCalls.answered must be a 1-d array of {arrival.size} booleans (True: "
                f"answered, False: abandoned); got dtype {answered.dtype}, shape "
                f"{answered.shape}")
        answered = answered.copy()
        answered.setflags(write=False)
        object.__setattr__(self, "answered", answered)
        object.__setattr__(self, "service_seconds",
                           _times("service_seconds", self.service_seconds, arrival.size))
        for name in ("service", "patience"):
            value = getattr(self, name)
            if not isinstance(value, str) or value not in REPLAY_MODES:
                raise CCSimInputError(
                    f"RecordedCalls.{name} must be 'recorded' or 'fitted'; got {show(value)}")

    @property
    def size(self) -> int:
        """Calls recorded."""
        return int(self.arrival_seconds.size)

    def __repr__(self) -> str:
        span = (f", {self.arrival_seconds[0]:g}-{self.arrival_seconds[-1]:g} s"
                if self.size else "")
        return (f"RecordedCalls(<{self.size} calls{span}, {int(self.answered.sum())} answered>, "
                f"service={self.service!r}, patience={self.patience!r})")
