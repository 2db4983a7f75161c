"""What callers do besides waiting: redial after a loss, and pass through an IVR first.

Both are frozen dataclasses, validated when built, given to a call type as
``CallType(..., redial=Redial(...), ivr=IVR(...))``. A number where a time is
expected is the mean of exponential times; a :class:`Distribution` is accepted
instead. The telephone lines they compete for are ``Scenario(lines=...)``.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from typing import Any

import numpy as np

from ccsim._validation import CCSimInputError, check_bool, check_fraction
from ccsim.simulation._inputs import show
from ccsim.simulation.distributions import Distribution, as_distribution

__all__ = ["IVR", "Redial"]


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
