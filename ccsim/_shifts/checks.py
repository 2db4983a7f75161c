"""Input checks and size limits of :mod:`ccsim.shifts` (private).

Scalars are checked one by one with messages naming the argument; the size of a
problem (the model's variables, the coverage matrix, the service-level curves) is
estimated from the inputs before anything is allocated, and refused above the
limits below with :func:`ccsim._validation.check_size`.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from typing import Any

import numpy as np

from ccsim._validation import CCSimInputError, check_size

__all__ = ["MAX_AGENTS_PER_INTERVAL", "MAX_COST", "MAX_COVER_ENTRIES", "MAX_DAY_SEGMENTS",
           "MAX_HORIZON_DAYS",
           "MAX_MODEL_VARIABLES", "MAX_SERVICE_CELLS", "MAX_TEMPLATES", "check_model_size",
           "number", "options", "scalar", "show", "template_list", "whole"]

# Agents on the phones in one interval (and a template's min_agents). The largest
# centers run a few thousand agents in one queue; a million leaves room and keeps the
# solver's values whole numbers far inside double precision (HiGHS's integrality
# tolerance is 1e-6 absolute). A value above it is a unit mistake (calls for agents).
MAX_AGENTS_PER_INTERVAL = 1_000_000
# A bound (seats, max_agents, max_agents_per_day) above this is no bound: give None.
MAX_BOUND = 1e9
# Cost of one agent working a shift once [currency units]. HiGHS's tolerances are
# absolute (1e-6 to 1e-9), so costs far above this lose the precision the gap is
# measured in, and a sum over many agents must stay finite.
MAX_COST = 1e9
# Days from the first to the last interval. A plan is made weeks to a year ahead;
# ten years leave room (and keep every date inside pandas' nanosecond timestamps).
MAX_HORIZON_DAYS = 3660
# Templates in one catalogue: 8 lengths starting every minute of the day are 11,520.
MAX_TEMPLATES = 50_000
# Columns of the integer programme (shift instances, on-shift counts, break counts,
# service-level segments). A year of quarter-hours with 384 templates and three
# breaks each is about 1.2 million; each variable costs ~100-200 bytes while built.
MAX_MODEL_VARIABLES = 2_000_000
# Entries of the instances x intervals coverage matrix of the feasibility checks
# (about 40 bytes each while built: 20 million is ~800 MB).
MAX_COVER_ENTRIES = 20_000_000
# Points (interval, agents) at which the service level is evaluated for the daily
# target's piecewise-linear curves: Erlang C costs ~1 us a point, Erlang A ~20 us, so
# five million take seconds (Erlang C) to two minutes (Erlang A) and ~40 MB.
MAX_SERVICE_CELLS = 5_000_000
# Service-level segments in one day's model (one block). HiGHS's MIP presolve on the
# day's dense service-level row runs uninterrupted for a time growing ~quadratically
# with them, past the time limit (measured: 12,000 segments 0.8 s over, 20,000 1.9 s,
# 27,000 4 s, 38,000 15 s per solve). A 500-Erlang queue under Erlang A has ~11,000.
MAX_DAY_SEGMENTS = 25_000

_FEWER = ("plan fewer days per call (days are planned independently), or give fewer templates "
          "(a larger every_minutes) or longer intervals")


def show(value: Any) -> str:
    """``repr(value)``, cut to 80 characters."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def number(name: str, value: Any, *, low: float = 0.0, strict: bool = False,
           high: float | None = None, what: str = "a finite number") -> float:
    """``value`` (a real scalar) as a finite float ``>= low`` (``> low`` if strict), ``<= high``."""
    result = math.nan
    if _is_real(value):
        try:
            result = float(value)
        except (OverflowError, ValueError, TypeError):
            result = math.inf
    ok = math.isfinite(result) and (result > low if strict else result >= low)
    if ok and high is not None:
        ok = result <= high
    if not ok:
        sign = ">" if strict else ">="
        top = "" if high is None else f" and <= {high:,.10g}"
        raise CCSimInputError(f"{name} must be {what} {sign} {low:g}{top}; got {show(value)}")
    return result


def whole(name: str, value: Any, *, low: int = 0, high: float | None = None,
          hint: str = "") -> int:
    """``value`` as an int ``low <= value <= high``: an integer or a whole-valued float."""
    ok = False
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        result, ok = int(value), True
    elif _is_real(value):
        try:
            real = float(value)
            ok = math.isfinite(real) and real == math.floor(real)
            result = int(real) if ok else 0
        except (OverflowError, ValueError, TypeError):
            ok = False
    if ok:
        ok = result >= low and (high is None or result <= high)
    if not ok:
        top = "" if high is None else f" and <= {high:,.10g}"
        raise CCSimInputError(f"{name} must be a whole number >= {low}{top}; got {show(value)}"
                              + hint)
    return result


def scalar(name: str, value: Any, *, low: float = -math.inf, high: float = math.inf,
           low_inclusive: bool = True, high_inclusive: bool = True,
           allow_inf: bool = False) -> float:
    """A single real number in a range (an array, a string or None is refused)."""
    if not _is_real(value) and not (isinstance(value, np.ndarray) and value.ndim == 0
                                    and value.dtype.kind in "iuf"):
        raise CCSimInputError(f"{name} must be a single number; got {show(value)}")
    try:
        real = float(value)
    except OverflowError:
        real = math.inf if value > 0 else -math.inf
    bad = math.isnan(real) or (math.isinf(real) and not allow_inf)
    bad = bad or (real < low if low_inclusive else real <= low)
    bad = bad or (real > high if high_inclusive else real >= high)
    if bad:
        left = "[" if low_inclusive else "("
        right = "]" if high_inclusive and (high < math.inf or allow_inf) else ")"
        lo = "-inf" if low == -math.inf else f"{low:g}"
        hi = "inf" if high == math.inf else f"{high:g}"
        kind = "a number" if allow_inf else "a finite number"
        raise CCSimInputError(f"{name} must be {kind} in {left}{lo}, {hi}{right}; got {real!r}")
    return real


def fraction(name: str, value: Any) -> float:
    """A fraction in (0, 1); a percentage gets a hint."""
    try:
        return scalar(name, value, low=0.0, high=1.0, low_inclusive=False, high_inclusive=False)
    except CCSimInputError as error:
        if _is_real(value) and 1 < value <= 100:
            raise CCSimInputError(f"{error} (a fraction: write 0.8 for 80 %)") from None
        raise


def options(understaffing_penalty: Any, seats: Any, max_agents_per_day: Any,
            time_limit_seconds: Any, mip_gap: Any, workers: Any, executor: Any
            ) -> tuple[float | None, float | None, float | None, float, float]:
    """The solver options, checked: penalty, seats, agents per day, time limit, gap."""
    penalty = None if understaffing_penalty is None else scalar(
        "understaffing_penalty", understaffing_penalty, low=0.0, low_inclusive=False,
        high=MAX_COST)
    none = "; give None for no limit"
    seat = None if seats is None else float(whole("seats", seats, low=1, high=MAX_BOUND,
                                                  hint=none))
    per_day = None if max_agents_per_day is None else float(
        whole("max_agents_per_day", max_agents_per_day, low=1, high=MAX_BOUND, hint=none))
    limit = scalar("time_limit_seconds", time_limit_seconds, low=0.0, low_inclusive=False)
    gap = scalar("mip_gap", mip_gap, low=0.0, high=1.0, high_inclusive=False)
    if workers is not None:
        whole("workers", workers, low=1)
    if executor is not None and not isinstance(executor, Executor):
        raise CCSimInputError("executor must be a concurrent.futures.Executor or None; got "
                              f"{type(executor).__name__}")
    return penalty, seat, per_day, limit, gap


def template_list(templates: Any) -> list[Any]:
    """``templates`` as a list (one ShiftTemplate is a list of one), at most MAX_TEMPLATES."""
    from ccsim._shifts.rules import ShiftTemplate

    if isinstance(templates, ShiftTemplate):
        return [templates]
    try:
        if templates is None or isinstance(templates, (str, bytes, Mapping)):
            raise TypeError
        items = list(itertools.islice(iter(templates), MAX_TEMPLATES + 1))
    except TypeError:
        raise CCSimInputError("templates must be a sequence of ShiftTemplate (e.g. from "
                              f"shift_catalogue); got {show(templates)}") from None
    if len(items) > MAX_TEMPLATES:
        raise CCSimInputError(f"templates holds more than the limit of {MAX_TEMPLATES:,} "
                              "templates; give fewer shift lengths or start times")
    if not items:
        raise CCSimInputError("templates must hold at least one ShiftTemplate; got none")
    for item in items:
        if not isinstance(item, ShiftTemplate):
            raise CCSimInputError(f"templates must be ShiftTemplate objects; got {show(item)}")
    return items


def check_model_size(where: str, size: int, step: int, n_days: int, templates: Sequence[Any],
                     segments: int = 0) -> None:
    """Refuse a problem whose model or coverage matrix would be too large to build.

    Parameters
    ----------
    where : str
        The public function, for the message.
    size, step, n_days : int
        Intervals, their length [min] and the days from the first date to the last
        (at most MAX_HORIZON_DAYS, checked with the grid).
    templates : sequence of ShiftTemplate
    segments : int
        Service-level segments (the daily target's piecewise-linear curves).
    """
    instances = members = entries = 0
    classes = set()
    for t in templates:
        allowed = 7 if t.days is None else len(t.days)
        count = math.ceil((n_days + 1) * allowed / 7) + 1
        slots = min(math.ceil(t.length_minutes / step), size)
        instances += count
        members += count * len(t.breaks)
        entries += count * slots
        classes.update((float(r.minutes), float(r.latest_after_minutes - r.earliest_after_minutes))
                       for r in t.breaks)
    variables = instances + members + size * (2 + 3 * len(classes)) + segments
    check_size(f"{where}: the model for {size:,} intervals, {len(templates):,} templates and "
               f"{len(classes)} break class(es)", variables, MAX_MODEL_VARIABLES,
               unit="variables", how=_FEWER)
    check_size(f"{where}: the coverage of {instances:,} shifts (templates x days) over "
               f"{size:,} intervals", entries, MAX_COVER_ENTRIES, unit="entries", how=_FEWER)
