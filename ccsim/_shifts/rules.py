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
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ccsim._validation import CCSimInputError

__all__ = ["BreakRule", "ShiftTemplate", "shift_catalogue", "standard_breaks"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _number(name: str, value: Any, *, low: float = 0.0, strict: bool = False,
            whole: bool = False) -> float:
    """``value`` as a finite float ``>= low`` (``> low`` if strict), else a clear error."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if ok:
        ok = value > low if strict else value >= low
    if ok and whole:
        ok = float(value) == int(value)
    if not ok:
        what = "a whole number" if whole else "a finite number"
        sign = ">" if strict else ">="
        raise CCSimInputError(f"{name} must be {what} {sign} {low:g}; got {value!r}")
    return float(value)


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
        if colon and hours.isdigit() and mins.isdigit() and len(mins) == 2 and int(mins) < 60:
            minutes = int(hours) * 60 + int(mins)
    if not 0 <= minutes <= (1440 if allow_end else 1439):
        raise CCSimInputError(
            f"{name} must be a time of day 'HH:MM' from 00:00 to {top}; got {value!r}")
    return minutes


def clock_text(minutes: int) -> str:
    """``"HH:MM"`` of minutes after midnight (``"24:00"`` at the end of the day)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _weekdays(name: str, days: Any) -> frozenset[int] | None:
    if days is None:
        return None
    if isinstance(days, (str, int)):
        days = [days]
    valid = ("weekday numbers 0-6 (0 = Monday) or names such as 'Mon' or 'monday', "
             "or None for every day")
    out = set()
    try:
        items = list(days)
    except TypeError:
        raise CCSimInputError(f"{name} must be {valid}; got {days!r}") from None
    for day in items:
        text = day.strip().lower() if isinstance(day, str) else None
        if text is not None and (text in WEEKDAYS or text in FULL_WEEKDAYS):
            out.add(WEEKDAYS.index(text[:3]))
        elif isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= 6:
            out.add(day)
        else:
            raise CCSimInputError(f"{name} must be {valid}; got {day!r} in {days!r}")
    if not out:
        raise CCSimInputError(f"{name} must name at least one day ({valid}); got {days!r}")
    return frozenset(out)


@dataclass(frozen=True)
class BreakRule:
    """One break of a shift: its duration and the window in which it may start.

    Parameters
    ----------
    minutes : float
        Duration [min], ``> 0``.
    earliest_after_minutes, latest_after_minutes : float
        The break starts between these two times after the shift's start [min],
        ``0 <= earliest <= latest``. On a grid of intervals, every interval start in
        the window is a candidate; the optimiser picks how many agents take the
        break at each.
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
        _number("BreakRule minutes", self.minutes, strict=True)
        _number("BreakRule earliest_after_minutes", self.earliest_after_minutes)
        _number("BreakRule latest_after_minutes", self.latest_after_minutes)
        if self.latest_after_minutes < self.earliest_after_minutes:
            raise CCSimInputError(
                "BreakRule latest_after_minutes must be >= earliest_after_minutes "
                f"({self.earliest_after_minutes:g}); got {self.latest_after_minutes:g}")
        if not isinstance(self.paid, bool):
            raise CCSimInputError(f"BreakRule paid must be True or False; got {self.paid!r}")
        if self.name is None:
            object.__setattr__(self, "name", "lunch" if self.minutes >= 30 else "break")
        elif not isinstance(self.name, str) or not self.name.strip():
            raise CCSimInputError(f"BreakRule name must be a non-empty str; got {self.name!r}")

    @property
    def label(self) -> str:
        """``"lunch 60 min"``: the name and duration, as in the plan's tables."""
        return f"{self.name} {self.minutes:g} min"

    def _window(self) -> str:
        return (f"{self.label} starting {self.earliest_after_minutes:g}-"
                f"{self.latest_after_minutes:g} min after the shift starts")


@dataclass(frozen=True)
class ShiftTemplate:
    """A shift agents may work: when it starts, how long it lasts, its breaks and cost.

    Parameters
    ----------
    name : str
        A unique label, e.g. ``"E06"``.
    start : str or datetime.time
        Start time of day, ``"HH:MM"``; a shift may run past midnight into the next
        day (it never wraps onto the morning of the day it started).
    hours : float
        Length from start to end [h], ``0 < hours <= 24``, breaks included.
    breaks : sequence of BreakRule
        The breaks every agent on this shift takes, each exactly once, inside the
        shift. Their windows must be in order and must not overlap (a break's latest
        start plus its duration at most the next one's earliest start), so that any
        choice of start slots is a valid day for one agent.
    paid_hours : float, optional
        Paid time per agent [h]; default ``hours`` minus the unpaid breaks.
    cost : float, optional
        Cost per agent working the shift once, ``>= 0``; default ``paid_hours``.
    days : iterable of int or str, optional
        Weekdays the shift may start on (0 or ``"Mon"`` = Monday ... 6 or ``"Sun"``);
        default every day.
    min_agents, max_agents : int, optional
        Bounds on the agents starting this shift on each day it is worked.

    Examples
    --------
    >>> lunch = BreakRule(minutes=60, earliest_after_minutes=180, latest_after_minutes=300)
    >>> t = ShiftTemplate("E06", start="06:00", hours=9, breaks=[lunch])
    >>> t.paid_hours, t.cost, t.end
    (8.0, 8.0, '15:00')
    """

    name: str
    start: str | datetime.time
    hours: float
    breaks: Sequence[BreakRule] = ()
    paid_hours: float | None = None
    cost: float | None = None
    days: Iterable[int | str] | None = None
    min_agents: int = 0
    max_agents: int | None = field(default=None)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise CCSimInputError(f"ShiftTemplate name must be a non-empty str; got {self.name!r}")
        who = f"ShiftTemplate {self.name!r}"
        start = clock_minutes(f"{who} start", self.start)
        object.__setattr__(self, "start", clock_text(start))
        _number(f"{who} hours", self.hours, strict=True)
        if self.hours > 24 or not math.isclose(self.hours * 60, round(self.hours * 60)):
            raise CCSimInputError(
                f"{who} hours must be whole minutes, at most 24; got {self.hours!r}")
        breaks = (self.breaks,) if isinstance(self.breaks, BreakRule) else tuple(self.breaks)
        for rule in breaks:
            if not isinstance(rule, BreakRule):
                raise CCSimInputError(f"{who} breaks must be BreakRule objects; got {rule!r}")
        breaks = tuple(sorted(breaks, key=lambda r: r.earliest_after_minutes))
        object.__setattr__(self, "breaks", breaks)
        length = self.length_minutes
        for rule in breaks:
            if rule.latest_after_minutes + rule.minutes > length:
                raise CCSimInputError(
                    f"{who}: the {rule._window()} cannot fit in a {self.hours:g} h shift: "
                    f"its latest start plus its duration is "
                    f"{rule.latest_after_minutes + rule.minutes:g} min, more than {length} min")
        for first, second in zip(breaks, breaks[1:], strict=False):
            if first.latest_after_minutes + first.minutes > second.earliest_after_minutes:
                raise CCSimInputError(
                    f"{who}: the {first._window()} can overlap the {second._window()}; "
                    "each break's window must end (latest start plus duration) by the next "
                    "break's earliest start")
        unpaid = sum(r.minutes for r in breaks if not r.paid) / 60.0
        if self.paid_hours is None:
            object.__setattr__(self, "paid_hours", float(self.hours) - unpaid)
        else:
            _number(f"{who} paid_hours", self.paid_hours)
            if self.paid_hours > self.hours:
                raise CCSimInputError(f"{who} paid_hours must be at most hours "
                                      f"({self.hours:g}); got {self.paid_hours!r}")
        object.__setattr__(self, "paid_hours", float(self.paid_hours))
        if self.cost is None:
            object.__setattr__(self, "cost", self.paid_hours)
        object.__setattr__(self, "cost", _number(f"{who} cost", self.cost))
        object.__setattr__(self, "days", _weekdays(f"{who} days", self.days))
        low = int(_number(f"{who} min_agents", self.min_agents, whole=True))
        object.__setattr__(self, "min_agents", low)
        if self.max_agents is not None:
            high = _number(f"{who} max_agents", self.max_agents, whole=True)
            if high < low:
                raise CCSimInputError(
                    f"{who} max_agents must be >= min_agents ({low}); got {self.max_agents!r}")
            object.__setattr__(self, "max_agents", int(high))

    @functools.cached_property
    def start_minutes(self) -> int:
        """Start [min after midnight]."""
        return clock_minutes("start", self.start)

    @functools.cached_property
    def length_minutes(self) -> int:
        """Length [min], breaks included."""
        return round(self.hours * 60)

    @property
    def end(self) -> str:
        """End time of day ``"HH:MM"`` (``"+1d"`` appended past midnight)."""
        end = self.start_minutes + self.length_minutes
        return clock_text(end) if end <= 1440 else clock_text(end - 1440) + "+1d"

    def works_on(self, weekday: int) -> bool:
        """Whether the shift may start on ``weekday`` (0 = Monday)."""
        return self.days is None or weekday in self.days  # type: ignore[operator]


def standard_breaks(hours: float) -> tuple[BreakRule, ...]:
    """Breaks of a shift of ``hours`` by a common rule of thumb.

    Under 4 h: none. 4 to 6 h: one paid 15-minute break, 1-2 h in. 6 h and longer:
    a paid 15-minute break 1-2 h in, an unpaid lunch (30 minutes under 8 h, else 60)
    whose 90-minute start window is centred on the middle of the shift, and a paid
    15-minute break in the hour after the lunch window (ending at least an hour
    before the shift ends). All times are multiples of 15 minutes.

    >>> [r.label for r in standard_breaks(9)]
    ['break 15 min', 'lunch 60 min', 'break 15 min']
    """
    minutes = round(_number("hours", hours, strict=True) * 60)
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


def shift_catalogue(
    opening: tuple[Any, Any] = ("07:00", "24:00"),
    lengths_hours: Iterable[float] = (9.0, 4.0),
    *,
    every_minutes: int = 30,
    breaks: Mapping[float, Sequence[BreakRule]] | Sequence[BreakRule] | str | None = "standard",
    days: Iterable[int | str] | None = None,
    max_agents: Mapping[float, int | None] | int | None = None,
) -> list[ShiftTemplate]:
    """Shift templates starting every few minutes, of several lengths, within opening hours.

    Parameters
    ----------
    opening : (start, end)
        Opening hours ``("HH:MM", "HH:MM")``; ``"24:00"`` closes at midnight, an end
        before the start is an overnight opening (``("22:00", "06:00")``). Every shift
        starts and ends inside them.
    lengths_hours : iterable of float
        Shift lengths [h], breaks included (e.g. 9 for full time with an unpaid
        hour's lunch, 4 for part time).
    every_minutes : int
        Spacing of start times [min], e.g. 15 or 30.
    breaks : "standard", sequence of BreakRule, mapping or None
        ``"standard"``: :func:`standard_breaks` of each length; a sequence: the same
        breaks for every length; a mapping: length -> breaks; ``None``: no breaks.
    days : iterable, optional
        Weekdays every template may be worked (see :class:`ShiftTemplate`).
    max_agents : int or mapping, optional
        Bound on agents per template and day, one for all or per length.

    Returns
    -------
    list of ShiftTemplate
        Named ``"9h 07:00"``, in order of length (as given) then start.

    Raises
    ------
    CCSimInputError
        A length that does not fit in the opening hours, or breaks that do not fit
        in a length.

    Examples
    --------
    >>> [t.name for t in shift_catalogue(("08:00", "18:00"), [8], every_minutes=60)]
    ['8h 08:00', '8h 09:00', '8h 10:00']
    """
    open_at = clock_minutes("opening[0]", opening[0])
    close_at = clock_minutes("opening[1]", opening[1], allow_end=True)
    span = (close_at - open_at) % 1440 or 1440
    step = int(_number("every_minutes", every_minutes, strict=True, whole=True))
    lengths = [_number("lengths_hours", h, strict=True) for h in lengths_hours]
    if not lengths:
        raise CCSimInputError("lengths_hours must name at least one shift length [h]; got none")
    templates = []
    for hours in lengths:
        length = round(hours * 60)
        if length > span:
            raise CCSimInputError(
                f"a {hours:g} h shift does not fit in the opening hours "
                f"{clock_text(open_at)}-{clock_text(close_at)} ({span / 60:g} h); "
                "give shorter lengths_hours or longer opening hours")
        if breaks == "standard":
            rules: Sequence[BreakRule] = standard_breaks(hours)
        elif breaks is None:
            rules = ()
        elif isinstance(breaks, Mapping):
            if hours not in breaks:
                raise CCSimInputError(
                    f"breaks has no entry for the {hours:g} h shifts; it maps "
                    f"{sorted(breaks)} (lengths in hours)")
            rules = breaks[hours]
        elif isinstance(breaks, str):
            raise CCSimInputError(
                "breaks must be 'standard', a sequence of BreakRule, a mapping length -> "
                f"breaks, or None; got {breaks!r}")
        else:
            rules = breaks
        bound = max_agents.get(hours) if isinstance(max_agents, Mapping) else max_agents
        for offset in range(0, span - length + 1, step):
            start = (open_at + offset) % 1440
            templates.append(ShiftTemplate(
                f"{hours:g}h {clock_text(start)}", start=clock_text(start), hours=hours,
                breaks=rules, days=days, max_agents=bound))
    return templates
