"""Input checks, limits and output wrapping of :mod:`ccsim.erlang`.

Private. Every public function of :mod:`ccsim.erlang` checks its arguments here,
then works on plain float arrays (:mod:`ccsim._erlang.queueing`), then gives the
result back in the form of its inputs: a float (or an int) for scalars, an array
for arrays, a Series (DataFrame) on the input's index for a Series (DataFrame).

The limits below bound the work and keep every intermediate a finite float; each
says why it has its value. They are part of the documented domain of
:mod:`ccsim.erlang` (see its module docstring).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ccsim._validation import (
    CCSimInputError,
    check_count,
    check_fraction,
    check_real,
    check_size,
)

# Offered load [Erlang]. A hundred million agents busy at once is a thousand times
# the largest call-center operation there is (the formulas are checked against
# mpmath up to 5e7 Erlangs on 50,000 agents). It bounds the work: an Erlang C
# search takes up to 64 sqrt(traffic) recursion steps, an Erlang B series about
# sqrt(traffic) terms. At such loads the agents needed are the traffic itself to
# within a fraction of a percent, which the message says.
MAX_TRAFFIC = 1e8
# Agents given to the measures, and agent counts a search may return (an
# occupancy cap can ask for traffic / cap agents): a billion keeps every count an
# exact int64 and n * patience / aht within the range where the Erlang A sums
# are accurate.
MAX_AGENTS = 1e9
# Mean handle time [s] (about 32 years): keeps the average speed of answer,
# C * aht / (agents - traffic), a finite float.
MAX_AHT_SECONDS = 1e9
# Mean patience over mean handle time, for a finite patience. Erlang A depends on
# it through n * patience / aht; beyond 1e9 handle times callers never hang up in
# practice (patience_seconds=inf gives Erlang C), below 1e-9 they hang up at once
# and the sums would underflow.
PATIENCE_RATIO = (1e-9, 1e9)
# Elements of the broadcast arguments: each needs a few hundred bytes of
# temporaries (Erlang A more), so ten million stay below a few GB.
MAX_ELEMENTS = 10_000_000


def traffic(value: Any, name: str = "traffic") -> np.ndarray:
    """Offered load [Erlang] in ``[0, MAX_TRAFFIC]``."""
    array = check_real(name, value, low=0.0)
    if array.size and float(array.max()) > MAX_TRAFFIC:
        index = np.unravel_index(int(np.argmax(array)), array.shape)
        where = "" if array.ndim == 0 else f" at position {_position(index)}"
        big = float(array[index])
        raise CCSimInputError(
            f"{name} must be at most {MAX_TRAFFIC:,.0f} Erlangs (a hundred million agents "
            f"busy at once); got {big!r}{where}. At such a load the agents needed are about the "
            f"traffic itself ({big:.3g}) to within a fraction of a percent")
    return array


def agents(value: Any) -> np.ndarray:
    """Whole numbers of agents in ``[0, MAX_AGENTS]``."""
    array = check_count("agents", value)
    if array.size and float(array.max()) > MAX_AGENTS:
        index = np.unravel_index(int(np.argmax(array)), array.shape)
        where = "" if array.ndim == 0 else f" at position {_position(index)}"
        raise CCSimInputError(
            f"agents must be at most {MAX_AGENTS:,.0f}; got {float(array[index])!r}{where}")
    return array


def positive(name: str, value: Any, allow_inf: bool = False) -> np.ndarray:
    return check_real(name, value, low=0.0, low_inclusive=False, allow_inf=allow_inf)


def nonnegative(name: str, value: Any) -> np.ndarray:
    return check_real(name, value, low=0.0)


def aht(value: Any) -> np.ndarray:
    """Mean handle time [s] in ``(0, MAX_AHT_SECONDS]``."""
    array = positive("aht_seconds", value)
    if array.size and float(array.max()) > MAX_AHT_SECONDS:
        index = np.unravel_index(int(np.argmax(array)), array.shape)
        where = "" if array.ndim == 0 else f" at position {_position(index)}"
        raise CCSimInputError(
            f"aht_seconds must be at most {MAX_AHT_SECONDS:g} s (about 32 years); got "
            f"{float(array[index])!r}{where}")
    return array


def patience(value: Any, allow_none: bool = True) -> np.ndarray:
    """Mean patience [s], ``> 0``; ``None`` and ``inf`` mean callers never hang up."""
    if value is None and allow_none:
        return np.asarray(np.inf)
    if value is None:
        raise CCSimInputError(
            "patience_seconds must be a finite number > 0 for an abandonment target; got None")
    return positive("patience_seconds", value, allow_inf=allow_none)


def check_patience_ratio(patience_s: np.ndarray, aht_s: np.ndarray) -> None:
    """Refuse a finite patience outside ``PATIENCE_RATIO`` handle times."""
    if patience_s.ndim == 0 and np.isinf(patience_s):
        return
    p, h = np.broadcast_arrays(patience_s, aht_s)
    with np.errstate(over="ignore", under="ignore"):
        ratio = p / h
    low, high = PATIENCE_RATIO
    bad = np.isfinite(p) & ((ratio < low) | (ratio > high))
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        where = "" if bad.ndim == 0 else f" at position {_position(index)}"
        raise CCSimInputError(
            f"patience_seconds / aht_seconds must be in [{low:g}, {high:g}] for a finite "
            f"patience; got {float(p[index])!r} / {float(h[index])!r}{where} (for callers "
            "who never hang up pass patience_seconds=None or inf: Erlang C)")


def _position(index: tuple[int, ...]) -> str:
    index = tuple(int(i) for i in index)
    return str(index[0]) if len(index) == 1 else str(index)


def _is_pandas(value: Any) -> bool:
    return type(value).__module__.partition(".")[0] == "pandas" and hasattr(value, "index")


def shape_of(where: str, named: dict[str, tuple[Any, np.ndarray]]) -> tuple[int, ...]:
    """The broadcast shape of checked arguments, refusing what does not broadcast or fit.

    ``named`` maps each argument's name to (what the caller passed, the checked array).
    Two pandas inputs must share their index (NumPy would pair their rows by position).
    """
    for name, (raw, _) in named.items():
        if raw is not None and np.asarray(raw).dtype.kind in "mM":  # NumPy casts them to float
            raise CCSimInputError(
                f"{name} must be a number or an array of numbers; got a date or time "
                f"({np.asarray(raw).dtype})")
    shapes = {name: array.shape for name, (_, array) in named.items()}
    try:
        shape = np.broadcast_shapes(*shapes.values())
    except ValueError:
        shown = ", ".join(f"{name} has shape {s}" for name, s in shapes.items() if s != ())
        raise CCSimInputError(
            f"{where}: the array arguments do not broadcast to one shape ({shown}); give "
            "arrays of one shape (or scalars), or shapes NumPy can broadcast such as "
            "(n, 1) and (m,)") from None
    check_size(f"{where}: the broadcast arguments", float(np.prod(shape, dtype=float)),
               MAX_ELEMENTS, unit="elements", how="call it on smaller chunks")
    frames = [(name, raw) for name, (raw, _) in named.items() if _is_pandas(raw)]
    for name, raw in frames[1:]:
        first_name, first = frames[0]
        if not raw.index.equals(first.index):
            raise CCSimInputError(
                f"{where}: {first_name} and {name} are pandas objects on different indexes; "
                f"align them first (e.g. {name}.reindex({first_name}.index)) or pass "
                ".to_numpy() to pair them by position")
    return shape


def wrap(result: np.ndarray, inputs: tuple[Any, ...], integer: bool = False) -> Any:
    """Return ``result`` in the form of the inputs: scalar, ndarray or Series.

    A Series in gives a Series on its index when the result has its shape; any
    other shape (a DataFrame in, or a Series broadcast against a 2-d array) gives
    an ndarray.
    """
    if integer:
        result = result.astype(np.int64)
    if result.ndim == 0:
        return int(result) if integer else float(result)
    for like in inputs:
        if _is_pandas(like) and getattr(like, "ndim", 0) == 1 and result.shape == (len(like),):
            return type(like)(result, index=like.index)
    return result


def searched(where: str, a: np.ndarray, aht_s: np.ndarray, patience_s: np.ndarray,
             max_occupancy: Any, named: dict[str, tuple[Any, np.ndarray]]) -> np.ndarray | None:
    """Shared checks of the inverses: shapes, patience ratio, the occupancy cap's count.

    Returns the checked occupancy cap (None without one).
    """
    cap = None
    if max_occupancy is not None:
        cap = check_fraction("max_occupancy", max_occupancy, high_inclusive=True)
        named = {**named, "max_occupancy": (max_occupancy, cap)}
    shape_of(where, named)
    check_patience_ratio(patience_s, aht_s)
    if cap is not None:
        with np.errstate(over="ignore"):
            ratio = a / cap
        need = float(np.max(ratio)) if ratio.size else 0.0
        check_size(f"{where}: the agents an occupancy cap of max_occupancy needs "
                   "(traffic / max_occupancy)", need, MAX_AGENTS, unit="agents",
                   how="raise max_occupancy (a fraction in (0, 1], e.g. 0.85)")
    return cap


def offered_load(where: str, volume: Any, aht_seconds: Any, name: str, interval: Any,
                 seconds_per_unit: float) -> Any:
    """``volume * aht_seconds / (interval * seconds_per_unit)``, checked, in the inputs' form.

    ``name`` is the interval's argument (``interval_minutes`` or ``interval_seconds``).
    A product that overflows a float is taken the other way round, and refused if
    the load itself is beyond the largest float.
    """
    c = check_real("calls_per_interval", volume, low=0.0)
    aht_s = positive("aht_seconds", aht_seconds)
    period = positive(name, interval)
    shape_of(where, {"calls_per_interval": (volume, c), "aht_seconds": (aht_seconds, aht_s),
                     name: (interval, period)})
    with np.errstate(over="ignore", under="ignore"):
        out = c * aht_s / period / seconds_per_unit
        retry = ~np.isfinite(out)
        if retry.any():  # the product overflowed though the quotient may not
            out = np.where(retry, c * (aht_s / period) / seconds_per_unit, out)
    if not np.all(np.isfinite(out)):
        index = tuple(int(i) for i in np.argwhere(~np.isfinite(out))[0])
        at = "" if out.ndim == 0 else f" at position {_position(index)}"
        cb, ab, pb = np.broadcast_arrays(c, aht_s, period)
        log10 = (np.log10(cb[index]) + np.log10(ab[index]) - np.log10(pb[index])
                 - np.log10(seconds_per_unit))
        raise CCSimInputError(
            f"{where}: calls_per_interval * aht_seconds / interval is about 1e{log10:.0f} "
            f"Erlangs{at} (calls_per_interval={float(cb[index])!r}, "
            f"aht_seconds={float(ab[index])!r}), beyond the largest float; check the units "
            "of calls_per_interval and aht_seconds")
    return wrap(out, (volume, aht_seconds, interval))


def offered_traffic_arguments(volume: Any, aht_seconds: Any, interval_seconds: Any,
                              interval_minutes: Any) -> Any:
    """:func:`ccsim.erlang.offered_traffic` once ``calls=`` is resolved (``volume``).

    The deprecated positional ``interval_seconds`` warns from here, two frames below
    the user's call.
    """
    where = "offered_traffic"
    if volume is None or aht_seconds is None:
        missing = "calls_per_interval" if volume is None else "aht_seconds"
        raise CCSimInputError(
            f"{where}: {missing} is required; e.g. offered_traffic(100, 180, "
            "interval_minutes=30) for 100 calls of 180 s in a half-hour")
    if interval_seconds is not None and interval_minutes is not None:
        raise CCSimInputError(
            f"{where}: give interval_minutes= only; the third positional argument is the "
            "deprecated interval_seconds, and both were given")
    if interval_seconds is None and interval_minutes is None:
        raise CCSimInputError(
            f"{where}: interval_minutes= is required (the interval length [min], e.g. "
            "interval_minutes=30)")
    if interval_minutes is None:
        # Not ccsim._validation.renamed: the unit changes with the name, so the
        # warning must say so (replacing only the name would read 1800 as minutes).
        warnings.warn(
            f"{where}: the interval length in seconds (third positional argument, "
            "interval_seconds) is deprecated and will be removed in the next release; pass "
            "interval_minutes= in minutes instead, e.g. offered_traffic(calls_per_interval, "
            "aht_seconds, interval_minutes=30)", DeprecationWarning, stacklevel=3)
        return offered_load(where, volume, aht_seconds, "interval_seconds",
                                  interval_seconds, 1.0)
    return offered_load(where, volume, aht_seconds, "interval_minutes", interval_minutes,
                              60.0)
