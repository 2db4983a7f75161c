"""Exception types and the shared input checks of ccsim.

Every check raises :class:`CCSimInputError` (a :class:`ValueError`) whose message
names the argument, shows the offending value (and, for arrays, its position)
and says what would be valid.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

__all__ = [
    "CCSimError",
    "CCSimInputError",
    "check_bool",
    "check_count",
    "check_fraction",
    "check_real",
    "check_size",
    "renamed",
]


class CCSimError(Exception):
    """Base class of every error raised by ccsim."""


class CCSimInputError(CCSimError, ValueError):
    """An argument has a value ccsim cannot use; the message says what is valid."""


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _as_array(name: str, value: Any) -> np.ndarray:
    if isinstance(value, (str, bytes)) or value is None:
        raise CCSimInputError(f"{name} must be a number or an array of numbers; got {_show(value)}")
    if getattr(value, "dtype", None) is not None and np.dtype(value.dtype).kind in "mM" or (
            isinstance(value, (np.datetime64, np.timedelta64))):
        raise CCSimInputError(
            f"{name} must be a number or an array of numbers, not dates or durations; got "
            f"{_show(value)}")
    try:
        array = np.asarray(value, dtype=float)
    except OverflowError:  # a Python int too large for a float, such as 10**400
        raise CCSimInputError(
            f"{name} must be a number that fits a float (below about 1.8e308); got {_show(value)}"
        ) from None
    except (TypeError, ValueError):
        raise CCSimInputError(
            f"{name} must be a number or an array of numbers; got {_show(value)}"
        ) from None
    return array


def _first_bad(name: str, array: np.ndarray, bad: np.ndarray, valid: str) -> CCSimInputError:
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    where = "" if array.ndim == 0 else f" at position {index[0] if len(index) == 1 else index}"
    return CCSimInputError(f"{name} must be {valid}; got {float(array[index])!r}{where}")


def check_real(
    name: str,
    value: Any,
    *,
    low: float = -np.inf,
    high: float = np.inf,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    allow_inf: bool = False,
) -> np.ndarray:
    """Return ``value`` as a float array after checking every element is in range.

    Parameters
    ----------
    name : str
        The argument's name, used in the error message.
    value : float or array_like
        What the caller passed.
    low, high : float
        Bounds of the valid range.
    low_inclusive, high_inclusive : bool
        Whether each bound itself is valid.
    allow_inf : bool
        Whether ``+inf`` is valid (NaN never is).

    Returns
    -------
    numpy.ndarray
        ``value`` as a float array (0-d for a scalar).

    Raises
    ------
    CCSimInputError
        If an element is NaN, infinite (unless allowed) or outside the range.
    """
    array = _as_array(name, value)
    left = "[" if low_inclusive else "("
    right = "]" if high_inclusive and (high < np.inf or allow_inf) else ")"
    hi = "inf" if high == np.inf else f"{high:g}"
    lo = "-inf" if low == -np.inf else f"{low:g}"
    valid = f"a number in {left}{lo}, {hi}{right}" if allow_inf else (
        f"a finite number in {left}{lo}, {hi}{right}")
    with np.errstate(invalid="ignore"):
        bad = np.isnan(array)
        if not allow_inf:
            bad |= np.isinf(array)
        bad |= (array < low) if low_inclusive else (array <= low)
        bad |= (array > high) if high_inclusive else (array >= high)
    if bad.any():
        raise _first_bad(name, array, bad, valid)
    return array


def check_count(name: str, value: Any, *, low: int = 0) -> np.ndarray:
    """Return ``value`` as a float array of whole numbers ``>= low``.

    Whole-valued floats such as ``14.0`` are accepted; ``14.5`` is not.

    Raises
    ------
    CCSimInputError
        If an element is not a finite whole number ``>= low``.
    """
    array = _as_array(name, value)
    valid = f"a whole number >= {low}"
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(array) | (array < low) | (array != np.floor(array))
    if bad.any():
        raise _first_bad(name, array, bad, valid)
    return array


def check_fraction(
    name: str, value: Any, *, low_inclusive: bool = False, high_inclusive: bool = False
) -> np.ndarray:
    """Return ``value`` (a probability or ratio) after checking it lies in (0, 1).

    A percentage such as ``80`` gets a message suggesting ``0.8``.
    """
    array = _as_array(name, value)
    try:
        return check_real(
            name,
            array,
            low=0.0,
            high=1.0,
            low_inclusive=low_inclusive,
            high_inclusive=high_inclusive,
        )
    except CCSimInputError as error:
        with np.errstate(invalid="ignore"):
            percent = bool(np.any((array > 1) & (array <= 100)))
        if percent:
            raise CCSimInputError(f"{error} (a fraction: write 0.8 for 80 %)") from None
        raise


def check_bool(name: str, value: Any) -> bool:
    """Return ``value`` if it is a bool, else raise naming ``name``."""
    if not isinstance(value, (bool, np.bool_)):
        raise CCSimInputError(f"{name} must be True or False; got {_show(value)}")
    return bool(value)


def check_size(name: str, size: float, limit: float, *, unit: str, how: str = "") -> None:
    """Refuse work whose estimated size exceeds a limit, before anything is allocated.

    Parameters
    ----------
    name : str
        What the estimate is of, naming the arguments it comes from, e.g.
        ``"sample_arrivals: the forecast's expected calls"``.
    size : float
        The estimate (may be ``inf`` or NaN: both are refused).
    limit : float
        The largest size accepted.
    unit : str
        The unit of ``size`` and ``limit`` in the message, e.g. ``"calls"``.
    how : str, optional
        What the user can do: a smaller input, or the argument that raises the limit.

    Raises
    ------
    CCSimInputError
        If ``size`` is not finite or above ``limit``; the message gives both.
    """
    try:
        size = float(size)
    except OverflowError:  # a Python int beyond float range
        size = float("inf")
    if not (np.isfinite(size) and size <= limit):
        shown = f"{size:,.4g}" if np.isfinite(size) else (
            "not a number" if np.isnan(size) else "beyond the range of a float")
        raise CCSimInputError(
            f"{name} is {shown}{'' if np.isnan(size) or np.isinf(size) else ' ' + unit}, more "
            f"than the limit of {limit:,.4g} {unit}"
            + (f"; {how}" if how else ""))


def renamed(where: str, old: str, new: str, old_value: Any, new_value: Any,
            default: Any = None) -> Any:
    """Resolve a renamed keyword: warn on the old name, refuse both, return the value to use.

    Parameters
    ----------
    where : str
        The function or class, e.g. ``"history_from_calls"``.
    old, new : str
        The old and the new keyword names.
    old_value, new_value : Any
        What the caller passed under each (``None`` when not given).
    default : Any
        The value when neither was given.

    Returns
    -------
    Any
        ``new_value``, else ``old_value`` (with a :class:`DeprecationWarning`), else
        ``default``.

    Raises
    ------
    CCSimInputError
        If both names were given.
    """
    if old_value is None:
        return default if new_value is None else new_value
    if new_value is not None:
        raise CCSimInputError(f"{where}: give {new}= only ({old}= is its old name); got both")
    warnings.warn(f"{where}: {old}= is deprecated and will be removed in the next release; "
                  f"use {new}=", DeprecationWarning, stacklevel=3)
    return old_value
