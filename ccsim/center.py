"""The center file: everything a planner states once about the floor, in TOML.

:func:`read_center` reads it (Python's :mod:`tomllib`) and checks every key; the
:class:`Center` it returns gives the simulation scenario (:meth:`Center.scenario`),
the shift templates per group, the targets per call type, the agents to roster and
the costs per group. ``ccsim what-if --center FILE --simulate`` and ``ccsim plan
--center FILE`` read it.

The format (times in seconds, rates per hour, fractions for shares; file names
relative to the center file)::

    name = "Example floor"          # optional, a title
    start = 2027-03-01              # the first day planned (required)
    days = 2                        # days planned from start (default 7, at most 366)
    interval_minutes = 30           # dividing a day (default 30)
    opening = "08:00-20:00"         # hours open every day (default 00:00-24:00)
    lines = 60                      # optional: telephone lines shared by all calls
    agents = "agents.csv"           # optional: the agents to roster (the columns of
                                    # 'ccsim roster --agents'; skills = group names)

    [routing]                       # optional
    agent_selection = "group-order" # or "longest-idle" (default)
    call_selection = "skill-order"  # or "longest-waiting"

    [target]                        # for every call type (default 0.8 within 20 s)
    service_level = 0.8
    answer_within_seconds = 20
    max_abandon_rate = 0.05         # optional

    [shifts]                        # the default catalogue of every group: shift_hours
    shift_hours = [8, 4]            # (default 9 and 4, those that fit), every_minutes
    every_minutes = 60              # (default interval_minutes), breaks ("standard",
    breaks = "standard"             # "none" or [{ minutes, earliest_after_minutes,
                                    # latest_after_minutes, paid }]), days, max_agents;
                                    # or templates = [{ name, start, shift_hours, breaks,
                                    # paid_hours, cost, days, min_agents, max_agents }]

    [plan]                          # optional: replications (10), seed (0), max_rounds
    replications = 10               # (5), confidence (0.95), per ("interval" or "day"),
                                    # time_limit_seconds (60), min_rest_hours (11)

    [simulate]                      # optional: the stationary what-if run: hours (8),
    hours = 8                       # warmup_hours (1), replications (10), seed (0)

    [[call_types]]
    name = "general"
    aht_seconds = 240
    patience_seconds = 180          # optional: callers never hang up without it
    arrivals = "arrivals.csv"       # a CSV: interval_start and a column 'general' (or
                                    # 'calls') of calls per interval; or instead
                                    # arrivals_per_hour = 100 (flat, in the opening hours)
    # wrap_up_seconds = 0, priority = 0 (higher first), target = { service_level = 0.9 }

    [[call_types]]
    name = "vip"
    aht_seconds = 300
    arrivals_per_hour = 20
    priority = 1
    overflow = { general_zone = 30 } # may go to that group after waiting 30 s

    [[groups]]
    name = "general_zone"
    skills = ["general"]            # call types in order of preference
    agents = 12                     # logged in during the opening hours, or a CSV file
                                    # (interval_start and a column 'general_zone' or
                                    # 'agents'); the what-if's staffing, the plan's start
    cost = 1.0                      # per agent-interval (default 1)
    # shifts = { shift_hours = [8] }  replaces [shifts] for this group

    [[groups]]
    name = "vip_desk"
    skills = ["vip"]
    agents = 3

Every error names the file, the key path (``groups[1] ('vip_desk').skills``; arrays
count from 0), the value and what is valid; a key the format does not know is an
error, so that a typo cannot pass silently.
"""

from __future__ import annotations

import dataclasses
import datetime
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ccsim._center import sections as _sections
from ccsim._center.keys import Keys
from ccsim._center.sections import CallTypeSpec, GroupSpec, PlanOptions, SimulateOptions
from ccsim._validation import CCSimInputError, _show

__all__ = ["CALL_TYPE_SETTINGS", "Center", "read_center"]

#: What ``Center.with_settings`` may change on a call type.
CALL_TYPE_SETTINGS = ("arrivals_per_hour", "aht_seconds", "patience_seconds")
#: Largest size of a center file [bytes] (a floor of a thousand groups is far smaller).
MAX_FILE_BYTES = 4 * 2**20


@dataclass(frozen=True, eq=False)
class Center:
    """A contact center as its center file states it (see :mod:`ccsim.center`).

    Attributes
    ----------
    path : pathlib.Path
        The center file.
    name : str
        Its title (default the file's name).
    start : datetime.date
        The first day planned.
    days : int
        Days planned.
    interval_minutes : int
        Length of an interval [min].
    opening : tuple of int
        Opening and closing times [min after midnight] (closing 1440 is midnight).
    call_types : tuple of CallTypeSpec
        Name, ``aht_seconds``, ``patience_seconds``, arrivals (``arrivals_per_hour``, or
        ``calls_per_interval`` on :attr:`grid`), ``wrap_up_seconds``, ``priority`` and
        ``overflow`` (group -> seconds).
    groups : tuple of GroupSpec
        Name, ``skills``, agents (``agents``, or ``agents_per_interval`` on :attr:`grid`)
        and ``cost`` per agent-interval.
    lines : int or None
        Telephone lines shared by all calls (None: unlimited).
    agent_selection, call_selection : str
        The routing rules of :class:`ccsim.simulation.Scenario`.
    templates : dict of str to list of ccsim.shifts.ShiftTemplate
        The shifts each group may work.
    targets : dict of str to ccsim.planning.Target
        The target of each call type.
    agents : list of ccsim.roster.Agent or None
        The agents to roster (None: no agents file).
    agents_file : pathlib.Path or None
        The agents file.
    plan_options : PlanOptions
        ``[plan]``: replications, seed, max_rounds, confidence, per, time_limit_seconds,
        min_rest_hours.
    simulate_options : SimulateOptions
        ``[simulate]``: hours, warmup_hours, replications and seed of a stationary run.
    """

    path: Path
    name: str
    start: datetime.date
    days: int
    interval_minutes: int
    opening: tuple[int, int]
    call_types: tuple[CallTypeSpec, ...]
    groups: tuple[GroupSpec, ...]
    lines: int | None
    agent_selection: str
    call_selection: str
    templates: dict[str, list[Any]]
    targets: dict[str, Any]
    agents: list[Any] | None
    agents_file: Path | None
    plan_options: PlanOptions
    simulate_options: SimulateOptions

    # ------------------------------------------------------------ derived values
    @property
    def costs(self) -> dict[str, float]:
        """Cost per agent-interval of each group."""
        return {g.name: g.cost for g in self.groups}

    @property
    def grid(self) -> pd.DatetimeIndex:
        """The interval starts of the planned days."""
        return pd.date_range(pd.Timestamp(self.start), periods=self.days * 1440
                             // self.interval_minutes, freq=f"{self.interval_minutes}min",
                             name="interval_start")

    @property
    def open_intervals(self) -> np.ndarray:
        """Whether each interval of :attr:`grid` is in the opening hours."""
        return _sections.open_mask(self.grid, self.opening)

    @property
    def opening_text(self) -> str:
        """The opening hours as ``"08:00-20:00"``."""
        from ccsim._shifts.rules import clock_text

        return f"{clock_text(self.opening[0])}-{clock_text(self.opening[1])}"

    @property
    def stationary(self) -> bool:
        """Whether every call type has a flat rate and every group a number of agents."""
        return (all(t.arrivals_per_hour is not None for t in self.call_types)
                and all(g.agents is not None for g in self.groups))

    @property
    def settable(self) -> list[str]:
        """The keys :meth:`with_settings` takes."""
        return ([f"{g.name}.agents" for g in self.groups]
                + [f"{t.name}.{k}" for t in self.call_types for k in CALL_TYPE_SETTINGS]
                + ["lines"])

    # ------------------------------------------------------------ the scenario
    def scenario(self, stationary: bool | None = None) -> Any:
        """The :class:`ccsim.simulation.Scenario` of the floor.

        Parameters
        ----------
        stationary : bool, optional
            True: a stationary run (flat rates and agent numbers only) of
            ``simulate_options.warmup_hours + hours`` in intervals of
            ``interval_minutes``, the warm-up not judged. False: the planned days on
            :attr:`grid` (``start`` set), arrivals and agents in the opening hours only.
            None (default): stationary when :attr:`stationary`.

        Returns
        -------
        ccsim.simulation.Scenario
            Each call type's service level measured at its target's
            ``answer_within_seconds``.
        """
        from ccsim.simulation import AgentGroup, CallType, Scenario

        if stationary is None:
            stationary = self.stationary
        if stationary and not self.stationary:
            raise CCSimInputError(
                f"Center.scenario: a stationary run needs a flat arrivals_per_hour for every "
                f"call type and a number of agents for every group; {self.path} has files "
                f"per interval")
        open_ = self.open_intervals.astype(float)
        index = self.grid
        types = []
        for t in self.call_types:
            within = self.targets[t.name].answer_within_seconds
            common = {"aht_seconds": t.aht_seconds, "patience_seconds": t.patience_seconds,
                      "wrap_up_seconds": t.wrap_up_seconds, "priority": t.priority,
                      "overflow": dict(t.overflow) or None, "answer_within_seconds": within}
            if stationary:
                types.append(CallType(t.name, arrivals_per_hour=t.arrivals_per_hour, **common))
                continue
            calls = (t.calls_per_interval if t.calls_per_interval is not None else
                     t.arrivals_per_hour * self.interval_minutes / 60.0 * open_)
            types.append(CallType(t.name, arrivals=pd.Series(calls, index=index), **common))
        made = []
        for g in self.groups:
            if stationary:
                agents: Any = g.agents
            else:
                counts = (g.agents_per_interval if g.agents_per_interval is not None else
                          g.agents * open_)
                agents = pd.Series(np.asarray(counts).astype(np.int64), index=index)
            made.append(AgentGroup(g.name, list(g.skills), agents=agents))
        options = {"interval_minutes": self.interval_minutes, "lines": self.lines,
                   "agent_selection": self.agent_selection,
                   "call_selection": self.call_selection}
        if stationary:
            run = self.simulate_options
            return Scenario(types, made, horizon_hours=run.warmup_hours + run.hours,
                            warmup_hours=run.warmup_hours, **options)
        return Scenario(types, made, horizon_hours=24.0 * self.days,
                        start=pd.Timestamp(self.start), **options)

    # ------------------------------------------------------------ what-if changes
    def with_settings(self, settings: Mapping[str, float]) -> Center:
        """The center with some values changed (the keys of ``ccsim what-if --set``).

        Parameters
        ----------
        settings : dict of str to float
            ``"GROUP.agents"`` (a whole number, all the opening hours),
            ``"CALLTYPE.arrivals_per_hour"`` (a flat rate in the opening hours),
            ``"CALLTYPE.aht_seconds"``, ``"CALLTYPE.patience_seconds"`` or ``"lines"``
            (see :attr:`settable`).

        Returns
        -------
        Center

        Raises
        ------
        CCSimInputError
            An unknown key (the message lists the valid ones) or a bad value.
        """
        if not isinstance(settings, Mapping):
            raise CCSimInputError(f"Center.with_settings: settings must be a dict of key to "
                                  f"number; got {_show(settings)}")
        keys = Keys(self.path)
        types = {t.name: t for t in self.call_types}
        groups = {g.name: g for g in self.groups}
        lines = self.lines
        for key, value in settings.items():
            what = f"setting {key!r}"
            if key == "lines":
                lines = _setting(what, value, 1, 1e6, whole=True)
                continue
            owner, _, field = str(key).rpartition(".")
            if field == "agents" and owner in groups:
                number = _setting(what, value, 0, _sections.MAX_AGENTS, whole=True)
                groups[owner] = dataclasses.replace(groups[owner], agents=number,
                                                    agents_per_interval=None, agents_file=None)
            elif field in CALL_TYPE_SETTINGS and owner in types:
                low, high = ((0, _sections.MAX_RATE) if field == "arrivals_per_hour" else
                             (1e-9, _sections.MAX_SECONDS))
                number = _setting(what, value, low, high)
                change: dict[str, Any] = {field: number}
                if field == "arrivals_per_hour":
                    change.update(calls_per_interval=None, arrivals_file=None)
                types[owner] = dataclasses.replace(types[owner], **change)
            else:
                raise CCSimInputError(
                    f"unknown setting {key!r} for {keys.where}; valid: "
                    f"{', '.join(self.settable)}")
        return dataclasses.replace(self, call_types=tuple(types.values()),
                                   groups=tuple(groups.values()), lines=lines)

    def __repr__(self) -> str:
        return (f"Center({self.name!r}, {self.start} + {self.days} days of "
                f"{self.interval_minutes}-minute intervals, open {self.opening_text}, "
                f"call types {[t.name for t in self.call_types]}, groups "
                f"{[g.name for g in self.groups]}, "
                f"agents={'none' if self.agents is None else len(self.agents)})")


def _setting(what: str, value: Any, low: float, high: float, whole: bool = False) -> Any:
    valid = f"{'a whole number' if whole else 'a number'} from {low:g} to {high:g}"
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not np.isfinite(value) or not low <= value <= high or (
                whole and value != int(value)):
        raise CCSimInputError(f"{what} must be {valid}; got {_show(value)}")
    return int(value) if whole else float(value)


def read_center(path: str | Path) -> Center:
    """Read and check a center file (TOML; the format is in :mod:`ccsim.center`).

    Parameters
    ----------
    path : str or pathlib.Path
        The center file; the files it names are relative to it.

    Returns
    -------
    Center

    Raises
    ------
    CCSimInputError
        The file is missing or not TOML, or a value is bad: the message names the file,
        the key path, the value and what is valid.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "center.toml").write_text('''
    ... start = 2027-03-01
    ... days = 1
    ... opening = "08:00-18:00"
    ... [[call_types]]
    ... name = "retail"
    ... aht_seconds = 180
    ... arrivals_per_hour = 60
    ... [[groups]]
    ... name = "team"
    ... skills = ["retail"]
    ... agents = 4
    ... ''')
    >>> center = read_center(folder / "center.toml")
    >>> center.targets["retail"], center.scenario().horizon_hours
    (Target(service_level=0.8, answer_within_seconds=20.0, max_abandon_rate=None), 9.0)
    """
    if not isinstance(path, (str, Path)):
        raise CCSimInputError(f"read_center: path must be a file name; got {_show(path)}")
    path = Path(path)
    keys = Keys(path)
    if not path.is_file():
        raise keys.error("", "no such file; give a TOML center file (see ccsim.center)")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise keys.error("", f"is {path.stat().st_size:,} bytes, more than the limit of "
                         f"{MAX_FILE_BYTES:,}; a center file states the floor, per-interval "
                         "values go in CSV files it names")
    try:
        with open(path, "rb") as handle:
            doc = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise keys.error("", f"is not valid TOML: {error}") from None
    except OSError as error:
        raise keys.error("", f"cannot be read: {error}") from None
    _sections.check_top(keys, doc)
    start, days, minutes, opening = _sections.time_axis(keys, doc)
    grid = pd.date_range(pd.Timestamp(start), periods=days * 1440 // minutes,
                         freq=f"{minutes}min")
    open_ = _sections.open_mask(grid, opening)
    types, raw_targets = _sections.call_types(keys, doc, grid, open_)
    groups, raw_shifts = _sections.groups(keys, doc, types, grid, open_)
    agent_selection, call_selection = _sections.routing(keys, doc)
    default = _sections.shifts(keys, "shifts", doc.get("shifts"), opening, minutes)
    templates = {}
    for i, (group, raw) in enumerate(zip(groups, raw_shifts, strict=True)):
        templates[group.name] = default if raw is None else _sections.shifts(
            keys, f"groups[{i}] ({group.name!r}).shifts", raw, opening, minutes)
    agents, agents_file = _sections.agents(keys, doc, start, days, [g.name for g in groups])
    center = Center(
        path=path, name=str(doc.get("name", path.stem)).strip(), start=start, days=days,
        interval_minutes=minutes, opening=opening, call_types=tuple(types),
        groups=tuple(groups), lines=doc.get("lines"), agent_selection=agent_selection,
        call_selection=call_selection, templates=templates,
        targets=_sections.targets(keys, doc, types, raw_targets),
        agents=agents, agents_file=agents_file,
        plan_options=_sections.plan_options(keys, doc),
        simulate_options=_sections.simulate_options(keys, doc, minutes))
    try:  # whatever the simulation still refuses (sizes, limits), said about this file
        center.scenario(stationary=False)
        if center.stationary:
            center.scenario(stationary=True)
    except CCSimInputError as error:
        raise keys.error("", str(error)) from None
    return center
