"""Distributions of service, wrap-up and patience times [s] for the simulation.

Each distribution is a small frozen dataclass, validated when built, with a
``mean_seconds`` property and a vectorised ``sample(rng, size)`` that draws from
an explicit :class:`numpy.random.Generator` (there is no global random state).
Parameters are the ones a planner measures: a mean and a standard deviation in
seconds, never the log-scale or shape parameters of a textbook.

A plain number where a distribution is expected (``aht_seconds=180``) means the
exponential distribution with that mean, the assumption of the Erlang formulas.

Times and their spread are bounded (:data:`MAX_SECONDS`, :data:`MAX_CV`,
:data:`MIN_GAMMA_CV`) so that the parameters of the draws never overflow (a
lognormal's ``log1p(cv**2)``, a gamma's shape ``cv**-2``) and the statistics,
which sum and square waits and busy times, stay finite.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ccsim._validation import CCSimInputError
from ccsim.simulation._inputs import number, real

__all__ = [
    "MAX_CV",
    "MAX_SECONDS",
    "MIN_GAMMA_CV",
    "Deterministic",
    "Distribution",
    "Empirical",
    "Exponential",
    "Gamma",
    "LogNormal",
    "as_distribution",
]


class Distribution(ABC):
    """Base class of the time distributions (all durations in seconds).

    Subclasses have a ``mean_seconds`` attribute (field or property) and
    :meth:`sample`.
    """

    mean_seconds: float

    @abstractmethod
    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw ``size`` independent times [s] from ``rng``."""


# The longest mean, spread or single time [s] a distribution accepts: about 32 years,
# beyond any handle time, wrap-up or patience (callers who never hang up are
# patience None). It keeps the sums and squares of times in the statistics far from
# float overflow (1e308) and times well inside a float's resolution.
MAX_SECONDS = 1e9
# The largest coefficient of variation sd / mean of LogNormal and Gamma. Measured
# handle times and patience have cv near 1; at cv = 1000 almost every draw is
# close to 0 and the mean comes from rare huge ones. It keeps log1p(cv**2) and the
# gamma's shape cv**-2 far from overflow and underflow.
MAX_CV = 1e3
# The smallest cv of a Gamma (its shape is at most 1e12): for times that do not
# vary, use Deterministic.
MIN_GAMMA_CV = 1e-6


def _positive(owner: str, name: str, value: Any) -> float:
    return number(f"{owner}.{name}", value, low=0.0, low_inclusive=False, high=MAX_SECONDS)


def _nonnegative(owner: str, name: str, value: Any) -> float:
    return number(f"{owner}.{name}", value, low=0.0, high=MAX_SECONDS)


def _spread(owner: str, mean: float, sd: float, low: float) -> None:
    """Refuse a coefficient of variation ``sd / mean`` outside ``[low, MAX_CV]``."""
    cv = sd / mean  # both are in (0, MAX_SECONDS]: finite, maybe 0 for a LogNormal
    if not low <= cv <= MAX_CV:
        hint = ("use Deterministic for times that do not vary" if cv < low else
                "no measured handle time or patience varies that much")
        raise CCSimInputError(
            f"{owner}.sd_seconds / mean_seconds (the coefficient of variation) must be in "
            f"[{low:g}, {MAX_CV:g}]; got {sd!r} / {mean!r} = {cv:.4g}: {hint}")


@dataclass(frozen=True)
class Exponential(Distribution):
    """Exponential times with mean ``mean_seconds`` [s] (memoryless: Erlang's assumption)."""

    mean_seconds: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean_seconds",
                           _positive("Exponential", "mean_seconds", self.mean_seconds))

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.exponential(self.mean_seconds, size)


@dataclass(frozen=True)
class LogNormal(Distribution):
    """Lognormal times given by their mean and standard deviation [s].

    Handle times are close to lognormal (Brown et al. [1]_). With
    ``s2 = log(1 + (sd_seconds / mean_seconds)**2)`` the log of a time is normal
    with variance ``s2`` and mean ``log(mean_seconds) - s2 / 2``.
    :meth:`from_log` builds one from the log-scale parameters (e.g. the
    ``log_mean`` and ``log_sd`` of ``ccsim.arrivals.fit_handle_times``).

    References
    ----------
    .. [1] L. Brown et al., "Statistical analysis of a telephone call center",
       JASA 100(469), 36-50, 2005, doi:10.1198/016214504000001808
    """

    mean_seconds: float
    sd_seconds: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean_seconds",
                           _positive("LogNormal", "mean_seconds", self.mean_seconds))
        object.__setattr__(self, "sd_seconds",
                           _nonnegative("LogNormal", "sd_seconds", self.sd_seconds))
        _spread("LogNormal", self.mean_seconds, self.sd_seconds, 0.0)

    @classmethod
    def from_log(cls, log_mean: float, log_sd: float) -> LogNormal:
        """The lognormal whose log is Normal(``log_mean``, ``log_sd``**2).

        Raises
        ------
        CCSimInputError
            ``log_sd`` above ``sqrt(log1p(MAX_CV**2))`` (about 3.72), or a mean
            ``exp(log_mean + log_sd**2 / 2)`` that is not in ``(0, MAX_SECONDS]``.
        """
        largest = math.sqrt(math.log1p(MAX_CV**2))
        sigma = number("LogNormal.from_log log_sd", log_sd, low=0.0, high=largest)
        # log(mean) = mu + sigma**2 / 2 must give a mean in (0, MAX_SECONDS]
        high = math.log(MAX_SECONDS) - sigma**2 / 2
        low = math.log(math.ulp(0.0)) - sigma**2 / 2  # exp() of less underflows to 0
        mu = number("LogNormal.from_log log_mean", log_mean, low=low, high=high,
                    low_inclusive=False)
        mean = math.exp(mu + sigma**2 / 2)
        return cls(mean, mean * math.sqrt(math.expm1(sigma**2)))

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        s2 = math.log1p((self.sd_seconds / self.mean_seconds) ** 2)
        return rng.lognormal(math.log(self.mean_seconds) - s2 / 2, math.sqrt(s2), size)


@dataclass(frozen=True)
class Gamma(Distribution):
    """Gamma times given by their mean and standard deviation [s] (``sd_seconds > 0``).

    Shape ``(mean / sd)**2`` and scale ``sd**2 / mean``; ``sd_seconds =
    mean_seconds`` is the exponential, a smaller one a more regular time.
    """

    mean_seconds: float
    sd_seconds: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean_seconds",
                           _positive("Gamma", "mean_seconds", self.mean_seconds))
        object.__setattr__(self, "sd_seconds", _positive("Gamma", "sd_seconds", self.sd_seconds))
        _spread("Gamma", self.mean_seconds, self.sd_seconds, MIN_GAMMA_CV)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        mean, sd = self.mean_seconds, self.sd_seconds
        return rng.gamma((mean / sd) ** 2, sd**2 / mean, size)


@dataclass(frozen=True)
class Deterministic(Distribution):
    """The same time for every call: ``seconds`` [s]."""

    seconds: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "seconds", _nonnegative("Deterministic", "seconds",
                                                         self.seconds))

    @property
    def mean_seconds(self) -> float:
        return self.seconds

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return np.full(size, self.seconds)


@dataclass(frozen=True)
class Empirical(Distribution):
    """Times resampled with replacement from observed ``samples_seconds`` (e.g. a call log)."""

    samples_seconds: tuple[float, ...]

    def __init__(self, samples_seconds: Sequence[float] | np.ndarray) -> None:
        samples = samples_seconds
        values = None if isinstance(samples, (str, bytes, Mapping)) else real(
            "Empirical.samples_seconds", samples, low=0.0, high=MAX_SECONDS)
        if values is None or values.ndim != 1 or values.size == 0:
            shape = "" if values is None else f" of shape {values.shape}"
            raise CCSimInputError(
                "Empirical.samples_seconds must be a non-empty 1-d sequence of times in "
                f"seconds; got {type(samples).__name__}{shape}")
        if not values.any():
            raise CCSimInputError(
                "Empirical.samples_seconds must contain a time > 0; got only zeros")
        object.__setattr__(self, "samples_seconds", tuple(values.tolist()))

    def __repr__(self) -> str:
        return f"Empirical(<{len(self.samples_seconds)} samples, mean {self.mean_seconds:.6g} s>)"

    @property
    def mean_seconds(self) -> float:
        return float(np.mean(self.samples_seconds))

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        values = np.asarray(self.samples_seconds)
        return values[rng.integers(0, values.size, size)]


def as_distribution(name: str, value: Any, *, zero_ok: bool = False) -> Distribution:
    """``value`` as a :class:`Distribution`: a number ``m`` is ``Exponential(m)``.

    Raises
    ------
    CCSimInputError
        Neither a number nor a Distribution, a mean ``<= 0`` (``< 0`` with
        ``zero_ok``: then 0 means ``Deterministic(0)``, no time at all).
    """
    if isinstance(value, Distribution):
        try:
            mean = number(f"{name}.mean_seconds", value.mean_seconds, low=0.0,
                          high=MAX_SECONDS)
        except (CCSimInputError, AttributeError):
            raise CCSimInputError(
                f"{name} must have a mean_seconds in (0, {MAX_SECONDS:g}] seconds; got "
                f"{value!r}") from None
        if mean <= 0 and not zero_ok:
            raise CCSimInputError(f"{name} must have a mean > 0 seconds; got {value!r}")
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise CCSimInputError(
            f"{name} must be a number of seconds (the mean of exponential times) or a "
            "ccsim.simulation distribution (Exponential, LogNormal, Gamma, Deterministic, "
            f"Empirical); got {value!r}")
    mean = number(name, value, low=0.0, low_inclusive=zero_ok, high=MAX_SECONDS)
    return Deterministic(0.0) if mean == 0 else Exponential(mean)
