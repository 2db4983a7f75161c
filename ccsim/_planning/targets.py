"""Service targets per call type, and the scenario that measures them."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ccsim._validation import CCSimInputError, _show, check_real


@dataclass(frozen=True)
class Target:
    """What every interval (or day) must achieve in simulation.

    Parameters
    ----------
    service_level : float
        Share of the calls arriving in the interval answered within
        ``answer_within_seconds`` (abandoned calls are misses), in (0, 1].
    answer_within_seconds : float
        The threshold T [s]; a call counts as answered within T when its wait is <= T.
        ``0`` makes the target ``1 - P(wait)``.
    max_abandon_rate : float or None
        Most share of the interval's calls that may abandon, in [0, 1]; None: no limit.
    """

    service_level: float = 0.8
    answer_within_seconds: float = 20.0
    max_abandon_rate: float | None = None

    def __post_init__(self) -> None:
        level = float(check_real("Target: service_level", self.service_level, low=0,
                                 high=1, low_inclusive=False))
        within = float(check_real("Target: answer_within_seconds", self.answer_within_seconds,
                                  low=0, high=1e6))
        abandon = None if self.max_abandon_rate is None else float(check_real(
            "Target: max_abandon_rate", self.max_abandon_rate, low=0, high=1))
        object.__setattr__(self, "service_level", level)
        object.__setattr__(self, "answer_within_seconds", within)
        object.__setattr__(self, "max_abandon_rate", abandon)


def resolve(where: str, scenario: Any, target: Any) -> dict[str, Target]:
    """One :class:`Target` per call type of ``scenario``."""
    names = [t.name for t in scenario.call_types]
    if isinstance(target, Target):
        return dict.fromkeys(names, target)
    if isinstance(target, Mapping):
        unknown = sorted(set(target) - set(names))
        missing = [name for name in names if name not in target]
        if unknown or missing:
            raise CCSimInputError(
                f"{where}: target must name every call type of the scenario {names!r} once; "
                f"unknown {unknown!r}, missing {missing!r}")
        for name, value in target.items():
            if not isinstance(value, Target):
                raise CCSimInputError(
                    f"{where}: target[{name!r}] must be a Target; got {_show(value)}")
        return {name: target[name] for name in names}
    raise CCSimInputError(
        f"{where}: target must be a Target (e.g. Target(service_level=0.8, "
        f"answer_within_seconds=20)) or a dict of call type to Target; got {_show(target)}")


def measuring(scenario: Any, targets: Mapping[str, Target]) -> Any:
    """The scenario with each call type's threshold T set to its target's."""
    types = [dataclasses.replace(t, answer_within_seconds=targets[t.name].answer_within_seconds)
             for t in scenario.call_types]
    return dataclasses.replace(scenario, call_types=types)
