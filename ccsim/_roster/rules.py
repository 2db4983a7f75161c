"""The roster's input records: agents with their labour rules, shift types, requests.

Each record checks its own fields when it is made (a bad value raises
:class:`~ccsim._validation.CCSimInputError` naming the field); what depends on the
other inputs (shift names, days of the horizon) is checked by
:func:`ccsim._roster.inputs.resolve`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ccsim._validation import CCSimError, CCSimInputError, _show

__all__ = ["Agent", "RosterInfeasible", "RosterShift", "RosterWarning", "RosterWeights",
           "ShiftRequest"]

# Above this a count is a typo, not a rule (a month has at most 31 days, a year 366).
MAX_RULE_COUNT = 100_000
MAX_MINUTES = 1e9


class RosterInfeasible(CCSimError):
    """No roster satisfies the hard rules; the message names the rules, agents and days.

    ``reasons`` holds one line per conflict (each naming an agent and the rules).
    """

    def __init__(self, message: str, reasons: Sequence[str] = ()):
        super().__init__(message)
        self.reasons = tuple(reasons)


class RosterWarning(UserWarning):
    """A roster input that costs penalties whatever the roster (e.g. a cover row needing
    more agents with a skill than are free that day)."""


def _whole(where: str, value: Any, *, low: int = 0, none: bool = False) -> int | None:
    if value is None and none:
        return None
    ok = isinstance(value, (int, np.integer, float, np.floating)) and not isinstance(
        value, (bool, np.bool_))
    if ok:
        number = float(value)
        ok = np.isfinite(number) and number == int(number) and low <= number <= MAX_RULE_COUNT
    if not ok:
        extra = " or None (no limit)" if none else ""
        raise CCSimInputError(
            f"{where} must be a whole number in [{low}, {MAX_RULE_COUNT}]{extra}; "
            f"got {_show(value)}")
    return int(value)


def _minutes(where: str, value: Any, *, none: bool = False) -> float | None:
    if value is None and none:
        return None
    ok = isinstance(value, (int, np.integer, float, np.floating)) and not isinstance(
        value, (bool, np.bool_))
    if ok:
        ok = bool(np.isfinite(float(value)) and 0 <= float(value) <= MAX_MINUTES)
    if not ok:
        extra = " or None (no limit)" if none else ""
        raise CCSimInputError(
            f"{where} must be a number of minutes in [0, {MAX_MINUTES:g}]{extra}; "
            f"got {_show(value)}")
    return float(value)


def _name(where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CCSimInputError(f"{where} must be a non-empty string; got {_show(value)}")
    return value


def _names(where: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence | set | frozenset | tuple):
        raise CCSimInputError(
            f"{where} must be a list of names (strings); got {_show(value)}")
    names = tuple(_name(f"{where}[{i}]", item) for i, item in enumerate(value))
    if len(set(names)) != len(names):
        raise CCSimInputError(f"{where} must not repeat a name; got {_show(list(value))}")
    return names


@dataclass(frozen=True)
class Agent:
    """A named agent and the labour rules of their contract (all hard rules).

    Parameters
    ----------
    name : str
        Unique among the roster's agents; the row label of ``Roster.table``.
    max_shifts : dict of str to int
        At most this many shifts of each named type over the horizon (types not named:
        no limit).
    min_minutes, max_minutes : float
        Total paid minutes over the horizon [min] within these bounds (``max_minutes=None``:
        no upper bound).
    max_consecutive_shifts : int or None
        At most this many working days in a row (None: no limit).
    min_consecutive_shifts, min_consecutive_days_off : int
        Every run of working days (of days off) at least this long, except a run that
        touches the first or the last day of the horizon.
    max_weekends : int or None
        At most this many weekends (Saturday + Sunday, from the calendar) with any work;
        a weekend cut by the horizon's ends counts as one.
    days_off : list of int or dates
        Leave: no shift on these days (0-based offsets from ``start``, or dates; dates
        outside the horizon are ignored, so one list of agents serves every month).
    skills : list of str or None
        The agent's skills; None means every skill a cover table names.
    min_minutes_per_week, max_minutes_per_week : float
        Paid minutes per calendar week (Monday to Sunday) [min], e.g. a 38-hour contract
        ``max_minutes_per_week=38 * 60``. The maximum holds for every week that touches the
        horizon (a week cut by the horizon's start counts the ``previous=`` roster's days
        of that week); the minimum only for weeks wholly inside the horizon.
    contract : str
        A label such as ``"full-time"`` or ``"part-time"``: the fairness measures of
        :class:`RosterWeights` compare agents of the same contract ("" is a contract too).
    """

    name: str
    max_shifts: Mapping[str, int] = field(default_factory=dict)
    min_minutes: float = 0.0
    max_minutes: float | None = None
    max_consecutive_shifts: int | None = None
    min_consecutive_shifts: int = 1
    min_consecutive_days_off: int = 1
    max_weekends: int | None = None
    days_off: Sequence[Any] = ()
    skills: Sequence[str] | None = None
    min_minutes_per_week: float = 0.0
    max_minutes_per_week: float | None = None
    contract: str = ""

    def __post_init__(self) -> None:
        name = _name("Agent.name", self.name)
        where = f"Agent {name!r}"
        if not isinstance(self.max_shifts, Mapping):
            raise CCSimInputError(
                f"{where}: max_shifts must be a dict of shift name to a count; "
                f"got {_show(self.max_shifts)}")
        max_shifts = {_name(f"{where}: max_shifts key", key):
                      _whole(f"{where}: max_shifts[{key!r}]", value)
                      for key, value in self.max_shifts.items()}
        min_minutes = _minutes(f"{where}: min_minutes", self.min_minutes)
        max_minutes = _minutes(f"{where}: max_minutes", self.max_minutes, none=True)
        if max_minutes is not None and max_minutes < min_minutes:
            raise CCSimInputError(
                f"{where}: max_minutes must be >= min_minutes ({min_minutes:g}); "
                f"got {max_minutes:g}")
        max_run = _whole(f"{where}: max_consecutive_shifts", self.max_consecutive_shifts,
                         low=1, none=True)
        min_run = _whole(f"{where}: min_consecutive_shifts", self.min_consecutive_shifts, low=1)
        if max_run is not None and min_run > max_run:
            raise CCSimInputError(
                f"{where}: min_consecutive_shifts must be <= max_consecutive_shifts "
                f"({max_run}); got {min_run}")
        min_off = _whole(f"{where}: min_consecutive_days_off", self.min_consecutive_days_off,
                         low=1)
        max_weekends = _whole(f"{where}: max_weekends", self.max_weekends, none=True)
        if isinstance(self.days_off, str) or not isinstance(
                self.days_off, Sequence | set | frozenset | np.ndarray):
            raise CCSimInputError(
                f"{where}: days_off must be a list of days (offsets from start, or dates); "
                f"got {_show(self.days_off)}")
        skills = None if self.skills is None else _names(f"{where}: skills", self.skills)
        week_min = _minutes(f"{where}: min_minutes_per_week", self.min_minutes_per_week)
        week_max = _minutes(f"{where}: max_minutes_per_week", self.max_minutes_per_week,
                            none=True)
        if week_max is not None and week_max < week_min:
            raise CCSimInputError(
                f"{where}: max_minutes_per_week must be >= min_minutes_per_week "
                f"({week_min:g}); got {week_max:g}")
        if not isinstance(self.contract, str):
            raise CCSimInputError(
                f"{where}: contract must be a label (a string, '' for none); "
                f"got {_show(self.contract)}")
        for key, value in [("name", name), ("max_shifts", max_shifts),
                           ("min_minutes", min_minutes), ("max_minutes", max_minutes),
                           ("max_consecutive_shifts", max_run),
                           ("min_consecutive_shifts", min_run),
                           ("min_consecutive_days_off", min_off),
                           ("max_weekends", max_weekends), ("days_off", tuple(self.days_off)),
                           ("skills", skills), ("min_minutes_per_week", week_min),
                           ("max_minutes_per_week", week_max)]:
            object.__setattr__(self, key, value)


_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class RosterShift:
    """A shift type of the roster.

    Parameters
    ----------
    name : str
        Unique; the value written in ``Roster.table``.
    start : str
        Clock time the shift starts, ``"HH:MM"`` (24-hour).
    minutes : float
        Length of the shift, breaks included [min], in (0, 1440].
    not_followed_by : list of str
        Shift types forbidden on the next day after this one (hard rule; more are
        derived from ``build_roster(min_rest_hours=)``).
    skill : str or None
        Only agents with this skill (or with ``skills=None``) may work the shift (a hard
        rule), e.g. the shifts of one group's plan. None: everyone.
    """

    name: str
    start: str
    minutes: float
    not_followed_by: Sequence[str] = ()
    skill: str | None = None

    def __post_init__(self) -> None:
        name = _name("RosterShift.name", self.name)
        where = f"RosterShift {name!r}"
        if not isinstance(self.start, str) or not _CLOCK.match(self.start.strip()):
            raise CCSimInputError(
                f"{where}: start must be a clock time 'HH:MM' from 00:00 to 23:59; "
                f"got {_show(self.start)}")
        minutes = _minutes(f"{where}: minutes", self.minutes)
        if not 0 < minutes <= 1440:
            raise CCSimInputError(f"{where}: minutes must be in (0, 1440]; got {minutes:g}")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "start", self.start.strip())
        object.__setattr__(self, "minutes", minutes)
        object.__setattr__(self, "not_followed_by",
                           _names(f"{where}: not_followed_by", self.not_followed_by))
        if self.skill is not None:
            _name(f"{where}: skill", self.skill)

    @property
    def start_minute(self) -> int:
        """Minutes from midnight to the start."""
        hours, minutes = self.start.split(":")
        return int(hours) * 60 + int(minutes)


@dataclass(frozen=True)
class ShiftRequest:
    """An agent's wish for one day (a soft rule: refused, it costs ``weight``).

    Parameters
    ----------
    agent : str
        The agent's name.
    day : int or date
        0-based offset from ``start``, or a date.
    shift : str or None
        The shift type; None means any shift (``wanted=False``: a day off wished).
    wanted : bool
        True: wants this shift that day; False: wants not to work it.
    weight : int
        Cost of refusing the request, a whole number >= 0 (CP-SAT's objective is integer).
    """

    agent: str
    day: Any
    shift: str | None = None
    wanted: bool = True
    weight: int = 1

    def __post_init__(self) -> None:
        agent = _name("ShiftRequest.agent", self.agent)
        where = f"ShiftRequest for {agent!r}"
        if self.shift is not None:
            _name(f"{where}: shift", self.shift)
        if not isinstance(self.wanted, (bool, np.bool_)):
            raise CCSimInputError(
                f"{where}: wanted must be True or False; got {_show(self.wanted)}")
        object.__setattr__(self, "wanted", bool(self.wanted))
        object.__setattr__(self, "weight", _weight(f"{where}: weight", self.weight))


MAX_WEIGHT = 10**9


def _weight(where: str, value: Any) -> int:
    ok = isinstance(value, (int, np.integer, float, np.floating)) and not isinstance(
        value, (bool, np.bool_))
    if ok:
        number = float(value)
        ok = np.isfinite(number) and number == int(number) and 0 <= number <= MAX_WEIGHT
    if not ok:
        raise CCSimInputError(
            f"{where} must be a whole number in [0, {MAX_WEIGHT:g}] (the objective is "
            f"integer: scale all weights up for finer ratios); got {_show(value)}")
    return int(value)


@dataclass(frozen=True)
class RosterWeights:
    """Weights of the roster's soft rules beyond cover and requests (all 0 by default).

    Each is a whole number >= 0, in the units of the cover's ``under_weight`` (the objective
    is integer).

    Parameters
    ----------
    split_weekend : int
        Cost per agent and weekend with work on exactly one of its Saturday and Sunday
        (weekends off in pairs). A weekend cut by the horizon counts when the
        ``previous=`` roster gives its other day.
    weekend_spread, night_spread, late_spread : int
        Fairness: cost per unit of the spread (most minus fewest, over the agents of one
        :attr:`Agent.contract`) of the weekends worked (with any work inside the horizon),
        the night shifts (at least 3 h between 23:00 and 06:00) and the late shifts (ending
        after 20:00, not nights). E.g. ``weekend_spread=5``: an agent working 4 weekends
        while a colleague on the same contract works 1 costs 15.
    """

    split_weekend: int = 0
    weekend_spread: int = 0
    night_spread: int = 0
    late_spread: int = 0

    def __post_init__(self) -> None:
        for key in ("split_weekend", "weekend_spread", "night_spread", "late_spread"):
            object.__setattr__(self, key, _weight(f"RosterWeights: {key}", getattr(self, key)))
