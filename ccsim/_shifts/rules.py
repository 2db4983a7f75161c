"""Shift templates, break rules and catalogues (private; public names in :mod:`ccsim.shifts`).

A :class:`ShiftTemplate` is a shift that may be worked on some days: a start
time, a length, breaks, paid time, a cost and bounds on the agents working it. A
:class:`BreakRule` is one break of such a shift: its duration and the window,
measured from the shift's start, in which it may start. Both validate themselves
when created, so a bad catalogue fails before any model is built.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import math
import numbers
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ccsim._shifts.checks import (
    MAX_AGENTS_PER_INTERVAL,
    MAX_BOUND,
    MAX_COST,
    MAX_TEMPLATES,
    number,
    show,
    whole,
)
from ccsim._validation import CCSimInputError, check_bool, renamed

__all__ = ["BreakRule", "ShiftTemplate", "clock_minutes", "clock_text", "shift_catalogue",
           "standard_breaks"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DEFAULT_LENGTHS = (9.0, 4.0)  # shift_catalogue's default shift_hours (identity marks "not given")


def _plain(value: Any) -> int | float:
    """An int or float stays as given (for the repr); other reals become a float."""
    return value if type(value) in (int, float) else float(value)


def clock_minutes(name: str, value: Any, *, allow_end: bool = False) -> int:
    """Minutes after midnight of ``"07:30"`` or a ``datetime.time`` (``"24:00"`` if allowed)."""
    top = "24:00" if allow_end else "23:59"
    if isinstance(value, datetime.time):
        if value.second or value.microsecond:
            raise CCSimInputError(f"{name} must be whole minutes ('HH:MM'); got {value!r}")
        return value.hour * 60 + value.minute
    minutes = -1
    if isinstance(value, str):
        hours, colon, mins = value.strip().partition(":")
        if (colon and hours.isdigit() and len(hours) <= 2 and mins.isdigit() and len(mins) == 2
                and int(mins) < 60):
            minutes = int(hours) * 60 + int(mins)
    if not 0 <= minutes <= (1440 if allow_end else 1439):
        raise CCSimInputError(
            f"{name} must be a time of day 'HH:MM' from 00:00 to {top}; got {show(value)}")
    return minutes


def clock_text(minutes: int) -> str:
    """``"HH:MM"`` of minutes after midnight (``"24:00"`` at the end of the day)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _items(name: str, value: Any, valid: str, limit: int = 10_000) -> list[Any]:
    """The elements of an iterable argument (at most ``limit``), else a clear error."""
    try:
        if isinstance(value, (str, bytes, Mapping)) or value is None:
            raise TypeError
        items = list(itertools.islice(iter(value), limit + 1))
    except TypeError:
        raise CCSimInputError(f"{name} must be {valid}; got {show(value)}") from None
    if len(items) > limit:
        raise CCSimInputError(f"{name} must be {valid}, at most {limit:,} of them; got more")
    return items


def weekdays(name: str, days: Any) -> frozenset[int] | None:
    """Weekday numbers (0 = Monday) from numbers or names; None for every day."""
    if days is None:
        return None
    valid = ("weekday numbers 0-6 (0 = Monday) or names such as 'Mon' or 'monday', "
             "or None for every day")
    if isinstance(days, (str, numbers.Integral)):
        days = [days]
    out = set()
    for day in _items(name, days, valid):
        text = day.strip().lower() if isinstance(day, str) else None
        if text is not None and (text in WEEKDAYS or text in FULL_WEEKDAYS):
            out.add(WEEKDAYS.index(text[:3]))
        elif (isinstance(day, numbers.Integral) and not isinstance(day, (bool, np.bool_))
              and 0 <= day <= 6):
            out.add(int(day))
        else:
            raise CCSimInputError(f"{name} must be {valid}; got {show(day)} in {show(days)}")
    if not out:
        raise CCSimInputError(f"{name} must name at least one day ({valid}); got {show(days)}")
    return frozenset(out)


def _rules(name: str, value: Any) -> tuple[BreakRule, ...]:
    """Break rules from one BreakRule, an iterable of them, or None (no breaks)."""
    if value is None:
        return ()
    if isinstance(value, BreakRule):
        return (value,)
    valid = "a sequence of BreakRule (or one BreakRule, or None for no breaks)"
    rules = _items(name, value, valid, limit=100)
    for rule in rules:
        if not isinstance(rule, BreakRule):
            raise CCSimInputError(f"{name} must be {valid}; got {show(rule)} in it")
    return tuple(rules)


def _shift_hours(name: str, value: Any) -> float:
    """A shift length [h]: more than 0, at most 24, whole minutes."""
    hours = number(name, value, strict=True, high=24.0)
    if not math.isclose(hours * 60, round(hours * 60), rel_tol=0, abs_tol=1e-6) or round(
            hours * 60) == 0:
        raise CCSimInputError(f"{name} must be whole minutes (e.g. 8.5 for 8 h 30 min); got "
                              f"{show(value)}")
    return hours


@dataclass(frozen=True)
class BreakRule:
    """One break of a shift: its duration and the window in which it may start.

    Parameters
    ----------
    minutes : float
        Duration [min], ``0 < minutes <= 1440``.
    earliest_after_minutes, latest_after_minutes : float
        The break starts between these two times after the shift's start [min],
        ``0 <= earliest <= latest <= 1440``. On a grid of intervals, every interval
        start in the window is a candidate; the optimiser picks how many agents take
        the break at each.
    paid : bool
        Whether the break is paid time (short breaks usually are, lunch is not).
    name : str, optional
        A label; by default ``"lunch"`` for breaks of 30 minutes or more, else
        ``"break"``.

    Examples
    --------
    >>> BreakRule(minutes=60, earliest_after_minutes=180, latest_after_minutes=300)
    BreakRule(minutes=60, earliest_after_minutes=180, latest_after_minutes=300, paid=False, \
name='lunch')
    """

    minutes: float
    earliest_after_minutes: float
    latest_after_minutes: float
    paid: bool = False
    name: str | None = None

    def __post_init__(self) -> None:
        set_ = functools.partial(object.__setattr__, self)
        number("BreakRule minutes", self.minutes, strict=True, high=1440.0)
        number("BreakRule earliest_after_minutes", self.earliest_after_minutes, high=1440.0)
        number("BreakRule latest_after_minutes", self.latest_after_minutes, high=1440.0)
        for field in ("minutes", "earliest_after_minutes", "latest_after_minutes"):
            set_(field, _plain(getattr(self, field)))
        if self.latest_after_minutes < self.earliest_after_minutes:
            raise CCSimInputError(
                "BreakRule latest_after_minutes must be >= earliest_after_minutes "
                f"({self.earliest_after_minutes:g}); got {self.latest_after_minutes:g}")
        set_("paid", check_bool("BreakRule paid", self.paid))
        if self.name is None:
            set_("name", "lunch" if self.minutes >= 30 else "break")
        elif not isinstance(self.name, str) or not self.name.strip():
            raise CCSimInputError(f"BreakRule name must be a non-empty str; got {show(self.name)}")

    @property
    def label(self) -> str:
        """``"lunch 60 min"``: the name and duration, as in the plan's tables."""
        return f"{self.name} {self.minutes:g} min"

    def _window(self) -> str:
        return (f"{self.label} starting {self.earliest_after_minutes:g}-"
                f"{self.latest_after_minutes:g} min after the shift starts")


@dataclass(frozen=True, init=False)
class ShiftTemplate:
    """A shift agents may work: when it starts, how long it lasts, its breaks and cost.

    Parameters
    ----------
    name : str
        A unique label, e.g. ``"E06"``.
    start : str or datetime.time
        Start time of day, ``"HH:MM"``; a shift may run past midnight into the next
        day (it never wraps onto the morning of the day it started).
    shift_hours : float
        Length from start to end [h], ``0 < shift_hours <= 24``, whole minutes,
        breaks included.
    breaks : sequence of BreakRule
        The breaks every agent on this shift takes, each exactly once, inside the
        shift. Their windows must be in order and must not overlap (a break's latest
        start plus its duration at most the next one's earliest start), so that any
        choice of start slots is a valid day for one agent.
    paid_hours : float, optional
        Paid time per agent [h]; default ``shift_hours`` minus the unpaid breaks.
    cost : float, optional
        Cost per agent working the shift once, ``0 <= cost <= 1e9``; default
        ``paid_hours``.
    days : iterable of int or str, optional
        Weekdays the shift may start on (0 or ``"Mon"`` = Monday ... 6 or ``"Sun"``);
        default every day.
    min_agents, max_agents : int, optional
        Bounds on the agents starting this shift on each day it is worked
        (``min_agents <= 1,000,000``; ``max_agents`` None for no bound).
    hours : float, optional
        Deprecated: the old name of ``shift_hours`` (keyword only).

    Examples
    --------
    >>> lunch = BreakRule(minutes=60, earliest_after_minutes=180, latest_after_minutes=300)
    >>> t = ShiftTemplate("E06", start="06:00", shift_hours=9, breaks=[lunch])
    >>> t.paid_hours, t.cost, t.end
    (8.0, 8.0, '15:00')
    """

    name: str
    start: str
    shift_hours: float
    breaks: tuple[BreakRule, ...] = ()
    paid_hours: float | None = None
    cost: float | None = None
    days: frozenset[int] | None = None
    min_agents: int = 0
    max_agents: int | None = None

    def __init__(self, name: str, start: str | datetime.time, shift_hours: float | None = None,
                 breaks: Sequence[BreakRule] | BreakRule | None = (),
                 paid_hours: float | None = None, cost: float | None = None,
                 days: Iterable[int | str] | None = None, min_agents: int = 0,
                 max_agents: int | None = None, *, hours: float | None = None) -> None:
        set_ = functools.partial(object.__setattr__, self)
        if not isinstance(name, str) or not name.strip():
            raise CCSimInputError(f"ShiftTemplate name must be a non-empty str; got {show(name)}")
        set_("name", name)
        who = f"ShiftTemplate {name!r}"
        length = renamed("ShiftTemplate", "hours", "shift_hours", hours, shift_hours)
        set_("start", clock_text(clock_minutes(f"{who} start", start)))
        if length is None:
            raise CCSimInputError(f"{who}: give shift_hours, the shift's length [h]")
        set_("shift_hours", _shift_hours(f"{who} shift_hours", length))
        rules = tuple(sorted(_rules(f"{who} breaks", breaks),
                             key=lambda r: r.earliest_after_minutes))
        set_("breaks", rules)
        self._check_breaks(who)
        unpaid = sum(r.minutes for r in rules if not r.paid) / 60.0
        if paid_hours is None:
            set_("paid_hours", max(self.shift_hours - unpaid, 0.0))
        else:
            set_("paid_hours", number(f"{who} paid_hours", paid_hours, high=self.shift_hours))
        set_("cost", self.paid_hours if cost is None else number(
            f"{who} cost", cost, high=MAX_COST))
        set_("days", weekdays(f"{who} days", days))
        low = whole(f"{who} min_agents", min_agents, high=MAX_AGENTS_PER_INTERVAL)
        set_("min_agents", low)
        if max_agents is not None:
            if whole(f"{who} max_agents", max_agents, high=MAX_BOUND,
                     hint="; give None for no bound") < low:
                raise CCSimInputError(f"{who} max_agents must be >= min_agents ({low}); got "
                                      f"{show(max_agents)}")
            max_agents = int(max_agents)
        set_("max_agents", max_agents)

    def _check_breaks(self, who: str) -> None:
        length = self.length_minutes
        for rule in self.breaks:
            if rule.latest_after_minutes + rule.minutes > length:
                raise CCSimInputError(
                    f"{who}: the {rule._window()} cannot fit in a {self.shift_hours:g} h shift: "
                    f"its latest start plus its duration is "
                    f"{rule.latest_after_minutes + rule.minutes:g} min, more than {length} min")
        for first, second in itertools.pairwise(self.breaks):
            if first.latest_after_minutes + first.minutes > second.earliest_after_minutes:
                raise CCSimInputError(
                    f"{who}: the {first._window()} can overlap the {second._window()}; "
                    "each break's window must end (latest start plus duration) by the next "
                    "break's earliest start")

    @property
    def hours(self) -> float:
        """Deprecated: the old name of :attr:`shift_hours` [h]."""
        warnings.warn("ShiftTemplate.hours is deprecated and will be removed in the next "
                      "release; use .shift_hours", DeprecationWarning, stacklevel=2)
        return self.shift_hours

    @functools.cached_property
    def start_minutes(self) -> int:
        """Start [min after midnight]."""
        return clock_minutes("start", self.start)

    @functools.cached_property
    def length_minutes(self) -> int:
        """Length [min], breaks included."""
        return round(self.shift_hours * 60)

    @property
    def end(self) -> str:
        """End time of day ``"HH:MM"`` (``"+1d"`` appended past midnight)."""
        end = self.start_minutes + self.length_minutes
        return clock_text(end) if end <= 1440 else clock_text(end - 1440) + "+1d"

    def works_on(self, weekday: int) -> bool:
        """Whether the shift may start on ``weekday`` (0 = Monday)."""
        return self.days is None or weekday in self.days


def standard_breaks(shift_hours: float | None = None, *,
                    hours: float | None = None) -> tuple[BreakRule, ...]:
    """Breaks of a shift of ``shift_hours`` by a common rule of thumb.

    Under 4 h: none. 4 to 6 h: one paid 15-minute break, 1-2 h in. 6 h and longer:
    a paid 15-minute break 1-2 h in, an unpaid lunch (30 minutes under 8 h, else 60)
    whose 90-minute start window is centred on the middle of the shift, and a paid
    15-minute break in the hour after the lunch window (ending at least an hour
    before the shift ends). All times are multiples of 15 minutes.

    Parameters
    ----------
    shift_hours : float
        The shift's length [h], ``0 < shift_hours <= 24``, whole minutes.
    hours : float, optional
        Deprecated: the old name of ``shift_hours`` (keyword only).

    >>> [r.label for r in standard_breaks(9)]
    ['break 15 min', 'lunch 60 min', 'break 15 min']
    """
    length = renamed("standard_breaks", "hours", "shift_hours", hours, shift_hours)
    if length is None:
        raise CCSimInputError("standard_breaks: give shift_hours, the shift's length [h]")
    minutes = round(_shift_hours("shift_hours", length) * 60)
    if minutes < 240:
        return ()
    if minutes < 360:
        return (BreakRule(15, 60, 120, paid=True),)
    lunch = 30 if minutes < 480 else 60
    earliest = (minutes // 2 - lunch // 2 - 60) // 15 * 15
    latest = earliest + 90
    after = latest + lunch
    return (BreakRule(15, 60, min(120, earliest - 15), paid=True),
            BreakRule(lunch, earliest, latest, paid=False),
            BreakRule(15, after, min(after + 60, minutes - 75), paid=True))


def _opening(opening: Any) -> tuple[int, int]:
    valid = ("a pair of times of day (start, end) such as ('07:00', '24:00') or the text "
             "'07:00-24:00'")
    if isinstance(opening, str):
        parts: Any = opening.split("-")
    elif isinstance(opening, (tuple, list)):
        parts = list(opening)
    else:
        parts = None
    if parts is None or len(parts) != 2:
        raise CCSimInputError(f"opening must be {valid}; got {show(opening)}")
    return (clock_minutes("opening[0] (the opening time)", parts[0]),
            clock_minutes("opening[1] (the closing time)", parts[1], allow_end=True))


def _lengths(value: Any) -> list[float]:
    valid = "shift lengths [h], a number or a sequence of numbers in (0, 24]"
    items = [value] if isinstance(value, numbers.Real) else _items("shift_hours", value, valid)
    if not items:
        raise CCSimInputError("shift_hours must name at least one shift length [h]; got none")
    lengths = [_shift_hours("shift_hours", h) for h in items]
    seen: set[int] = set()
    for hours in lengths:
        if round(hours * 60) in seen:
            raise CCSimInputError(f"shift_hours must not repeat a length; {hours:g} h appears "
                                  f"twice in {show(value)}")
        seen.add(round(hours * 60))
    return lengths


def _per_length(name: str, mapping: Mapping[Any, Any], hours: float) -> tuple[bool, Any]:
    """(found, value) of the entry of ``mapping`` whose key is the length ``hours``."""
    for key, value in mapping.items():
        if isinstance(key, numbers.Real) and not isinstance(key, bool):
            try:
                if round(float(key) * 60) == round(hours * 60):
                    return True, value
            except (OverflowError, ValueError):
                continue
    return False, None


def _breaks_for(breaks: Any, hours: float) -> tuple[BreakRule, ...]:
    if isinstance(breaks, str):
        if breaks == "standard":
            return standard_breaks(hours)
        raise CCSimInputError(
            "breaks must be 'standard', a sequence of BreakRule, a mapping shift length [h] -> "
            f"breaks, or None; got {show(breaks)}")
    if isinstance(breaks, Mapping):
        found, rules = _per_length("breaks", breaks, hours)
        if not found:
            raise CCSimInputError(
                f"breaks has no entry for the {hours:g} h shifts; it maps "
                f"{[show(k) for k in breaks]} (shift lengths in hours)")
        return _rules(f"breaks[{hours:g}]", rules)
    return _rules("breaks", breaks)


def _bound_for(max_agents: Any, hours: float) -> int | None:
    if isinstance(max_agents, Mapping):
        found, value = _per_length("max_agents", max_agents, hours)
        name = f"max_agents[{hours:g}]"
    else:
        value, name = max_agents, "max_agents"
    if value is None:
        return None
    return whole(name, value, high=MAX_BOUND, hint="; give None for no bound")


def shift_catalogue(
    opening: tuple[str | datetime.time, str | datetime.time] | str = ("07:00", "24:00"),
    shift_hours: Iterable[float] | float = _DEFAULT_LENGTHS,
    *,
    every_minutes: int = 30,
    breaks: Mapping[float, Sequence[BreakRule]] | Sequence[BreakRule] | str | None = "standard",
    days: Iterable[int | str] | None = None,
    max_agents: Mapping[float, int | None] | int | None = None,
    lengths_hours: Iterable[float] | None = None,
) -> list[ShiftTemplate]:
    """Shift templates starting every few minutes, of several lengths, within opening hours.

    Parameters
    ----------
    opening : (start, end) or str
        Opening hours ``("HH:MM", "HH:MM")`` or ``"HH:MM-HH:MM"``; ``"24:00"`` closes
        at midnight, an end before the start is an overnight opening
        (``("22:00", "06:00")``), an end equal to the start is open all day. Every
        shift starts and ends inside them.
    shift_hours : float or iterable of float
        Shift lengths [h], breaks included (default 9 for full time with an unpaid
        hour's lunch, and 4 for part time), each in (0, 24], whole minutes.
    every_minutes : int
        Spacing of start times [min], e.g. 15 or 30; from 1 to 1440.
    breaks : "standard", sequence of BreakRule, mapping or None
        ``"standard"``: :func:`standard_breaks` of each length; a sequence: the same
        breaks for every length; a mapping: shift length [h] -> breaks; ``None``: no
        breaks.
    days : iterable, optional
        Weekdays every template may be worked (see :class:`ShiftTemplate`).
    max_agents : int or mapping, optional
        Bound on agents per template and day, one for all or per shift length.
    lengths_hours : iterable of float, optional
        Deprecated: the old name of ``shift_hours`` (keyword only).

    Returns
    -------
    list of ShiftTemplate
        Named ``"9h 07:00"``, in order of length (as given) then start.

    Raises
    ------
    CCSimInputError
        Bad opening hours, lengths or breaks; a length that does not fit in the
        opening hours, or breaks that do not fit in a length; more than 50,000
        templates.

    Examples
    --------
    >>> [t.name for t in shift_catalogue(("08:00", "18:00"), [8], every_minutes=60)]
    ['8h 08:00', '8h 09:00', '8h 10:00']
    """
    given = None if shift_hours is _DEFAULT_LENGTHS else shift_hours
    shift_hours = renamed("shift_catalogue", "lengths_hours", "shift_hours", lengths_hours,
                          given, default=_DEFAULT_LENGTHS)
    open_at, close_at = _opening(opening)
    span = (close_at - open_at) % 1440 or 1440
    step = whole("every_minutes", every_minutes, low=1, high=1440)
    lengths = _lengths(shift_hours)
    allowed = weekdays("days", days)
    if not isinstance(max_agents, Mapping):
        _bound_for(max_agents, 0.0)
    hours_text = f"{clock_text(open_at)}-{clock_text(close_at)} ({span / 60:g} h)"
    count = 0
    for hours in lengths:
        length = round(hours * 60)
        if length > span:
            raise CCSimInputError(
                f"a {hours:g} h shift does not fit in the opening hours {hours_text}; give "
                "shorter shift_hours or longer opening hours")
        count += (span - length) // step + 1
    if count > MAX_TEMPLATES:
        raise CCSimInputError(
            f"shift_catalogue would make {count:,} templates, more than the limit of "
            f"{MAX_TEMPLATES:,} templates; give a larger every_minutes or fewer shift_hours")
    templates = []
    for hours in lengths:
        length = round(hours * 60)
        rules = _breaks_for(breaks, hours)
        bound = _bound_for(max_agents, hours)
        for offset in range(0, span - length + 1, step):
            start = (open_at + offset) % 1440
            templates.append(ShiftTemplate(
                f"{hours:g}h {clock_text(start)}", clock_text(start), hours, breaks=rules,
                days=allowed, max_agents=bound))
    return templates
