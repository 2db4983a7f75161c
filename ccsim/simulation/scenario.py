"""What to simulate: call types, and the scenario that joins them to agent groups.

All classes are frozen dataclasses, validated when built: a bad value raises
:class:`~ccsim._validation.CCSimInputError` naming the object, the field, the
value and what is valid, before anything runs. Times of day inside a scenario
are hours since its start (``Shift(8, 16.5)`` with a scenario starting at
midnight is 08:00-16:30); durations are seconds or minutes as their names say.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ccsim._validation import CCSimInputError, check_size, renamed
from ccsim.simulation import _inputs
from ccsim.simulation._inputs import check_name, number, one_of, show
from ccsim.simulation.agents import AgentGroup
from ccsim.simulation.callers import IVR, RecordedCalls, Redial
from ccsim.simulation.distributions import Distribution, Exponential, as_distribution
from ccsim.simulation.surges import Surge

__all__ = ["CallType", "Scenario"]

# Size limits, checked when a Scenario is built (before anything is allocated per
# interval or per agent). simulate() adds limits on calls and replications.
# Reporting intervals: a year of 30-second intervals, or 28 years of 15-minute ones;
# each costs a row per call type and group in every replication's tallies.
MAX_INTERVALS = 1_000_000
# Intervals x (call types + groups): the arrays of rates and counts built per interval.
MAX_INTERVAL_VALUES = 20_000_000
# The span: beyond a century float seconds lose resolution and timestamps overflow.
MAX_HORIZON_HOURS = _inputs.MAX_HOURS
# Agents in all groups: five times the largest floors of docs/design.md's domain; the
# engine keeps Python lists per agent and scans a group's idle agents at a break.
MAX_AGENTS = 50_000
# Shift agents' log-ins, breaks and log-outs: one SimPy event each.
MAX_SHIFT_EVENTS = 5_000_000
# Staffing changes x agents of counts-staffed groups: each change scans the group's
# agents in Python (1e9 steps is a few minutes).
MAX_STAFFING_STEPS = 1_000_000_000
# Call types and groups: a center has tens; routing scans them per call and the
# call records store call types as int16.
MAX_CALL_TYPES = 1_000
MAX_GROUPS = 1_000
# How an arriving call picks among idle agents of several groups (Scenario.agent_selection).
AGENT_SELECTIONS = ("longest-idle", "group-order")
# How a freed agent picks among waiting calls of several call types (Scenario.call_selection).
CALL_SELECTIONS = ("skill-order", "longest-waiting")


@dataclass(frozen=True)
class CallType:
    """A type of call: how many arrive, how long they take, how long callers wait.

    Parameters
    ----------
    name : str
        The call type; agent groups list it among their ``skills``.
    arrivals_per_hour : float or sequence of float, optional
        Poisson arrival rate [calls/h]: constant, or one rate per interval of
        the scenario (constant within each interval).
    aht_seconds : float, optional
        Mean talk time [s] of exponential service times (Erlang's assumption).
    patience_seconds : float, optional
        Mean of the callers' exponential patience [s]: a caller still waiting
        after their patience hangs up. None (the default): callers never hang up.
    arrivals : DataFrame or Series, keyword-only
        Instead of ``arrivals_per_hour``: a forecast in the schema of
        :func:`ccsim.arrivals.forecast_volumes` (its rows for this call type) or
        a Series of calls per interval on a DatetimeIndex. Each interval's count
        is Poisson with mean ``calls``, the times uniform within the interval.
    service : Distribution, keyword-only
        Instead of ``aht_seconds``: the talk-time distribution (e.g.
        ``LogNormal(180, 120)``).
    wrap_up_seconds : float or Distribution, keyword-only, default 0
        After-call work [s] that keeps the agent busy after the caller has gone:
        a number is the mean of exponential times, 0 none.
    patience : Distribution, keyword-only
        Instead of ``patience_seconds``: the patience distribution.
    priority : int, keyword-only, default 0
        Agents serve waiting calls of higher priority first (see
        :class:`AgentGroup`).
    overflow : mapping of str to float, keyword-only
        ``{group: after_seconds}``: a call still waiting after ``after_seconds``
        may also be answered by that group's agents (who have not this skill).
    answer_within_seconds : float, keyword-only
        This type's service-level threshold T [s]; default the scenario's.
    redial : Redial, keyword-only
        Callers who abandon, or get a busy signal, try again (see
        :class:`~ccsim.simulation.Redial`). None (the default): a lost call is lost.
    ivr : IVR, keyword-only
        Time in an IVR before the queue, and the share of attempts done there
        (see :class:`~ccsim.simulation.IVR`). None (the default): no IVR.
    recorded : RecordedCalls, keyword-only
        Instead of ``arrivals_per_hour`` or ``arrivals``: the calls of a log to
        replay (see :class:`~ccsim.simulation.RecordedCalls` and
        :meth:`Scenario.from_calls`), at their recorded times in every
        replication. ``service`` is then the law of the talk times the log does
        not show, ``patience`` (exponential, or None) that of the patience.
    surges : sequence of Surge, keyword-only
        Windows where the arrival rate is multiplied (see
        :class:`~ccsim.simulation.Surge`), not overlapping. Not with
        ``recorded``.
    """

    name: str
    arrivals_per_hour: float | Sequence[float] | None = None
    aht_seconds: float | None = None
    patience_seconds: float | None = None
    _: KW_ONLY
    arrivals: pd.DataFrame | pd.Series | None = field(default=None, compare=False, repr=False)
    service: Distribution | None = None
    wrap_up_seconds: float | Distribution = 0.0
    patience: Distribution | None = None
    priority: int = 0
    overflow: Mapping[str, float] | Sequence[tuple[str, float]] | None = None
    answer_within_seconds: float | None = None
    redial: Redial | None = None
    ivr: IVR | None = None
    recorded: RecordedCalls | None = None
    surges: Sequence[Surge] = ()
    _forecast: _inputs.TimedValues | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        name = check_name("CallType", self.name)
        owner = f"CallType({name!r})"
        if self.recorded is not None:
            self._check_recorded(owner)
        else:
            one_of(owner, "arrivals_per_hour", self.arrivals_per_hour, "arrivals",
                   self.arrivals, required=True)
        if self.arrivals_per_hour is not None:
            rate = _inputs.per_interval(f"{owner}.arrivals_per_hour", self.arrivals_per_hour,
                                        counts=False)
            if isinstance(rate, _inputs.TimedValues):
                raise CCSimInputError(
                    f"{owner}.arrivals_per_hour must be a number or a sequence per interval; "
                    "give a Series of calls per interval as arrivals=")
            object.__setattr__(self, "arrivals_per_hour", rate)
        elif self.arrivals is not None:
            object.__setattr__(self, "_forecast",
                               _inputs.forecast_calls(owner, name, self.arrivals))
        one_of(owner, "aht_seconds", self.aht_seconds, "service", self.service, required=True)
        one_of(owner, "patience_seconds", self.patience_seconds, "patience", self.patience,
                required=False)
        self.service_distribution  # noqa: B018 - validates
        self.wrap_up_distribution  # noqa: B018
        patience = self.patience_distribution
        recorded = self.recorded
        if (recorded is not None and recorded.patience == "recorded" and patience is not None
                and not isinstance(patience, Exponential) and recorded.answered.any()):
            raise CCSimInputError(
                f"{owner}.patience must be exponential (a number, or Exponential) to replay "
                "recorded patience: an answered caller's patience is drawn beyond their wait, "
                "which is the law conditioned on exceeding it only for the memoryless "
                f"exponential; got {patience!r} (or use RecordedCalls(patience='fitted'))")
        if isinstance(self.priority, (bool, np.bool_)) or not isinstance(
                self.priority, (int, np.integer)):
            raise CCSimInputError(
                f"{owner}.priority must be an integer; got {show(self.priority)}")
        object.__setattr__(self, "overflow", _inputs.overflow_pairs(owner, self.overflow))
        if self.answer_within_seconds is not None:
            object.__setattr__(self, "answer_within_seconds", number(
                f"{owner}.answer_within_seconds", self.answer_within_seconds, low=0.0))
        for field_name, kind, example in (
                ("redial", Redial, "a Redial such as Redial(probability=0.5, delay_seconds=600)"),
                ("ivr", IVR, "an IVR such as IVR(seconds=60, self_service=0.3)")):
            value = getattr(self, field_name)
            if value is not None and not isinstance(value, kind):
                raise CCSimInputError(
                    f"{owner}.{field_name} must be {example}, or None; got {show(value)}")
        self._check_surges(owner)

    def _check_surges(self, owner: str) -> None:
        surges = self.surges
        if isinstance(surges, Surge) or not isinstance(surges, Sequence) or isinstance(
                surges, (str, bytes)) or not all(isinstance(s, Surge) for s in surges):
            raise CCSimInputError(
                f"{owner}.surges must be a list of Surge, such as [Surge(9, 11, 2.0)]; got "
                f"{show(surges)}")
        surges = tuple(sorted(surges, key=lambda s: s.start_hours))
        for before, after in zip(surges[:-1], surges[1:], strict=True):
            if after.start_hours < before.end_hours:
                raise CCSimInputError(
                    f"{owner}.surges must not overlap; got {before!r} and {after!r}")
        if surges and self.recorded is not None:
            raise CCSimInputError(f"{owner}: recorded calls are replayed without surges")
        object.__setattr__(self, "surges", surges)

    def _check_recorded(self, owner: str) -> None:
        if not isinstance(self.recorded, RecordedCalls):
            raise CCSimInputError(
                f"{owner}.recorded must be a RecordedCalls (Scenario.from_calls makes them), or "
                f"None; got {show(self.recorded)}")
        for other in ("arrivals_per_hour", "arrivals"):
            if getattr(self, other) is not None:
                raise CCSimInputError(f"{owner}: give recorded or {other}, not both")
        if self.redial is not None or self.ivr is not None:
            raise CCSimInputError(
                f"{owner}: recorded calls are replayed as the log shows them, without redial "
                "or ivr")

    @property
    def service_distribution(self) -> Distribution:
        """Talk times: ``service``, or exponential with mean ``aht_seconds``."""
        value = self.service if self.service is not None else self.aht_seconds
        field_name = "service" if self.service is not None else "aht_seconds"
        return as_distribution(f"CallType({self.name!r}).{field_name}", value)

    @property
    def wrap_up_distribution(self) -> Distribution:
        """After-call work: exponential with mean ``wrap_up_seconds`` when a number."""
        return as_distribution(f"CallType({self.name!r}).wrap_up_seconds", self.wrap_up_seconds,
                               zero_ok=True)

    @property
    def patience_distribution(self) -> Distribution | None:
        """Patience times, or None when callers never hang up."""
        if self.patience is not None:
            return as_distribution(f"CallType({self.name!r}).patience", self.patience)
        if self.patience_seconds is None:
            return None
        return as_distribution(f"CallType({self.name!r}).patience_seconds",
                               self.patience_seconds)


@dataclass(frozen=True, init=False)
class Scenario:
    """A contact center to simulate: call types, agent groups, the horizon and the target.

    Parameters
    ----------
    call_types : sequence of CallType
    groups : sequence of AgentGroup
    horizon_hours : float, optional
        The simulated span [h]: calls arrive during ``[0, horizon_hours)``;
        those still waiting at the end are answered by the agents still logged
        in (or abandon). Default: the span of the call types' forecasts.
    answer_within_seconds : float, default 20
        The service-level threshold T [s] (a call type may set its own).
    interval_minutes : float, keyword-only
        Length of the reporting and staffing intervals [min]; default the
        forecasts' interval, else 30. ``horizon_hours`` must be a whole number
        of them.
    warmup_hours : float, keyword-only, default 0
        Calls arriving before this time (and agents' time before it) are
        simulated but left out of :meth:`SimulationResult.summary`, so that a
        run starting empty can estimate a steady state. A whole number of
        intervals.
    start : str or Timestamp, keyword-only
        The clock time of hour 0 (default: the first forecast interval, if
        any). With a start, results carry timestamps too. Forecasts and Series
        of agents must lie on the grid ``start + k * interval_minutes``.
    lines : int, keyword-only
        Telephone lines (trunks) shared by all call types: a line is held by
        a caller in the IVR, waiting in the queue or talking (not during the
        agent's wrap-up). An attempt arriving when all are taken gets a busy
        signal (``blocked``) and may redial (``CallType.redial``). None (the
        default): unlimited.
    agent_selection : {"longest-idle", "group-order"}, keyword-only
        Which idle agent an arriving call (or one overflowing) goes to:
        ``"longest-idle"`` (the default), the agent idle longest among all
        the groups that may answer it; ``"group-order"``, the longest-idle
        agent of the first of those groups that has one idle: the groups with
        the skill in the order of ``groups`` (list specialists before
        generalists), then those it overflows to, in the order of
        ``CallType.overflow``. A freed agent's choice of call is the same
        either way.
    call_selection : {"skill-order", "longest-waiting"}, keyword-only
        Which waiting call a freed agent takes: ``"skill-order"`` (the
        default), the oldest call of the first call type in its group's
        preference order (priority, then its skills in order, then call types
        overflowing to it) that has one; ``"longest-waiting"``, the call that
        has waited longest among the call types it may take that have the
        highest priority with a call waiting: one first-come-first-served
        queue across call types of equal priority (an overflow call still
        waits its overflow delay first).
    hours : float, keyword-only
        Deprecated: the old name of ``horizon_hours`` (a DeprecationWarning).
        ``scenario.hours`` still reads ``horizon_hours``.

    Raises
    ------
    CCSimInputError
        A bad value, or a scenario too large to simulate: more than
        :data:`MAX_INTERVALS` intervals, :data:`MAX_INTERVAL_VALUES` values per
        interval and call type or group, :data:`MAX_AGENTS` agents,
        :data:`MAX_CALL_TYPES` call types or :data:`MAX_GROUPS` groups,
        :data:`MAX_HORIZON_HOURS` hours, or the staffing work limits
        :data:`MAX_SHIFT_EVENTS` and :data:`MAX_STAFFING_STEPS`.
    """

    call_types: Sequence[CallType]
    groups: Sequence[AgentGroup]
    horizon_hours: float | None = None
    answer_within_seconds: float = 20.0
    _: KW_ONLY
    interval_minutes: float | None = None
    warmup_hours: float = 0.0
    start: str | pd.Timestamp | None = None
    lines: int | None = None
    agent_selection: str = "longest-idle"
    call_selection: str = "skill-order"

    def __init__(self, call_types: Sequence[CallType], groups: Sequence[AgentGroup],
                 horizon_hours: float | None = None, answer_within_seconds: float = 20.0, *,
                 interval_minutes: float | None = None, warmup_hours: float = 0.0,
                 start: str | pd.Timestamp | None = None, lines: int | None = None,
                 agent_selection: str = "longest-idle", call_selection: str = "skill-order",
                 hours: float | None = None) -> None:
        horizon_hours = renamed("Scenario", "hours", "horizon_hours", hours, horizon_hours)
        for name, value in (("call_types", call_types), ("groups", groups),
                            ("horizon_hours", horizon_hours),
                            ("answer_within_seconds", answer_within_seconds),
                            ("interval_minutes", interval_minutes),
                            ("warmup_hours", warmup_hours), ("start", start),
                            ("lines", lines), ("agent_selection", agent_selection),
                            ("call_selection", call_selection)):
            object.__setattr__(self, name, value)
        self.__post_init__()

    @classmethod
    def from_calls(cls, calls: pd.DataFrame, *, start: str | pd.Timestamp | None = None,
                   end: str | pd.Timestamp | None = None, interval_minutes: float = 30,
                   answer_within_seconds: float = 20.0, service: str = "recorded",
                   patience: str = "recorded", agents: Any = "inferred",
                   priorities: bool | Mapping[int, int] = False,
                   wrap_up_seconds: float | Distribution = 0.0) -> Scenario:
        """A scenario that replays a call log: its calls at their recorded times.

        Each call type of the log (calls answered or abandoned, arriving in
        ``[start, end)``) becomes a :class:`CallType` with ``recorded=``
        :class:`~ccsim.simulation.RecordedCalls`: every replication has exactly
        the log's arrivals, and the recorded talk times and patience where the
        log shows them. The agents form one pooled group, ``"agents"``, with
        every call type as a skill; a freed agent takes the call waiting
        longest (``call_selection="longest-waiting"``). The result's
        :meth:`~ccsim.simulation.SimulationResult.compare` sets the simulation
        against the log.

        Parameters
        ----------
        calls : pandas.DataFrame
            A call table (:mod:`ccsim.io`); its ``priority`` is used by
            ``priorities``, its ``agent`` nowhere.
        start, end : str or Timestamp, optional
            The span replayed, ``[start, end)``, a whole number of intervals;
            default 00:00 of the first call's day to 24:00 of the last call's.
        interval_minutes : float, default 30
            Length of the reporting and staffing intervals [min].
        answer_within_seconds : float, default 20
            The service-level threshold T [s]: answered within T when wait <= T.
        service : {"recorded", "fitted"}, default "recorded"
            ``"recorded"``: answered calls keep their talk time, abandoned ones
            draw from the call type's recorded talk times (resampled).
            ``"fitted"``: every call draws from the lognormal fitted to them
            (as :func:`ccsim.arrivals.fit_handle_times`).
        patience : {"recorded", "fitted"}, default "recorded"
            ``"recorded"``: an abandoned caller's patience is their wait; an
            answered caller's, their wait plus an exponential draw (the law
            conditioned on exceeding the wait). ``"fitted"``: every caller
            draws from the exponential. Its mean per call type is the censored
            estimate of :func:`ccsim.arrivals.estimate_patience`.
        agents : "inferred", int or Series, default "inferred"
            Agents per interval: inferred by
            :func:`~ccsim.simulation.agents_from_calls` (``rule="waiting"``,
            the calls in service while callers waited), a constant, or a Series
            on the interval starts.
        priorities : bool or mapping of int to int, default False
            False: the log's ``priority`` is ignored. True: each call type is
            split by it (``"PS/p2"``) with ``CallType.priority`` the log's
            (higher first); a mapping ``{log priority: CallType.priority}``
            splits the same way with those priorities.
        wrap_up_seconds : float or Distribution, default 0
            After-call work of every call type (logs rarely record it).

        Returns
        -------
        Scenario

        Raises
        ------
        CCSimInputError
            A malformed call table, no answered or abandoned call in the span,
            a span not a whole number of intervals, or a bad option.

        Notes
        -----
        A call type without the data for a law (no answered or no abandoned
        call) uses the pooled calls of all types; with no abandoned call in
        the span callers never hang up.
        """
        from ccsim.simulation._replay import scenario_from_calls

        return scenario_from_calls(
            cls, calls, start=start, end=end, interval_minutes=interval_minutes,
            answer_within_seconds=answer_within_seconds, service=service, patience=patience,
            agents=agents, priorities=priorities, wrap_up_seconds=wrap_up_seconds)

    @property
    def hours(self) -> float:
        """Deprecated (a DeprecationWarning): the old name of :attr:`horizon_hours` [h]."""
        warnings.warn("Scenario.hours is deprecated and will be removed in the next release; "
                      "use Scenario.horizon_hours", DeprecationWarning, stacklevel=2)
        return self.horizon_hours

    def __post_init__(self) -> None:
        types = self._objects("call_types", self.call_types, CallType, MAX_CALL_TYPES)
        groups = self._objects("groups", self.groups, AgentGroup, MAX_GROUPS)
        object.__setattr__(self, "call_types", types)
        object.__setattr__(self, "groups", groups)
        known = {t.name for t in types}
        for group in groups:
            unknown = [s for s in group.skills if s not in known]
            if unknown:
                raise CCSimInputError(
                    f"AgentGroup({group.name!r}).skills has unknown call type {unknown[0]!r}; "
                    f"the scenario's call types are {show([t.name for t in types])}")
        group_index = {g.name: j for j, g in enumerate(groups)}
        for group in groups:
            for level in group.standby_levels:
                if level.pull_from is not None and level.pull_from not in group_index:
                    raise CCSimInputError(
                        f"AgentGroup({group.name!r}).standby: Standby.pull_from names unknown "
                        f"group {level.pull_from!r}; the scenario's groups are "
                        f"{show([g.name for g in groups])}")
        for call_type in types:
            self._check_overflow(call_type, groups, group_index)
        object.__setattr__(self, "answer_within_seconds", number(
            "Scenario.answer_within_seconds", self.answer_within_seconds, low=0.0))
        self._set_time_axis(types)
        self._check_agents(groups)
        if self.lines is not None:
            object.__setattr__(self, "lines", _inputs.whole("Scenario.lines", self.lines, low=1))
        if not isinstance(self.agent_selection, str) or (
                self.agent_selection not in AGENT_SELECTIONS):
            raise CCSimInputError(
                f"Scenario.agent_selection must be {AGENT_SELECTIONS[0]!r} or "
                f"{AGENT_SELECTIONS[1]!r}; got {show(self.agent_selection)}")
        if not isinstance(self.call_selection, str) or (
                self.call_selection not in CALL_SELECTIONS):
            raise CCSimInputError(
                f"Scenario.call_selection must be {CALL_SELECTIONS[0]!r} or "
                f"{CALL_SELECTIONS[1]!r}; got {show(self.call_selection)}")
        for call_type in types:
            self.arrival_rates(call_type)
            for surge in call_type.surges:
                if surge.start_hours >= self.horizon_hours:
                    raise CCSimInputError(
                        f"CallType({call_type.name!r}).surges: {surge!r} starts at or after "
                        f"the horizon (horizon_hours = {self.horizon_hours:g} h)")

    @staticmethod
    def _objects(field_name: str, values: Any, kind: type, limit: int) -> tuple:
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
            raise CCSimInputError(
                f"Scenario.{field_name} must be a non-empty list of {kind.__name__}; "
                f"got {show(values)}")
        check_size(f"Scenario.{field_name}", len(values), limit, unit=kind.__name__,
                   how="a center has tens")
        for value in values:
            if not isinstance(value, kind):
                raise CCSimInputError(
                    f"Scenario.{field_name} must hold {kind.__name__} objects; got "
                    f"{show(value)}")
        twice = _inputs.first_repeat([value.name for value in values])
        if twice is not None:
            raise CCSimInputError(f"Scenario.{field_name} has two named {show(twice)}")
        return tuple(values)

    @staticmethod
    def _check_overflow(call_type: CallType, groups: tuple, group_index: dict[str, int]) -> None:
        owner = f"CallType({call_type.name!r}).overflow"
        for group_name, _ in call_type.overflow:
            if group_name not in group_index:
                raise CCSimInputError(
                    f"{owner} names unknown group {group_name!r}; the groups are "
                    f"{show(list(group_index))}")
            if call_type.name in groups[group_index[group_name]].skills:
                raise CCSimInputError(
                    f"{owner} names group {group_name!r}, which already has this skill")
        served = any(call_type.name in g.skills for g in groups) or call_type.overflow
        if not served:
            raise CCSimInputError(
                f"CallType({call_type.name!r}) is answered by no agent group: list it in a "
                "group's skills (or in its overflow)")

    def _start(self, forecasts: list[_inputs.TimedValues]) -> pd.Timestamp | None:
        start = self.start
        if start is None:
            return pd.Timestamp(min(f.first_ns for f in forecasts)) if forecasts else None
        what = (f"Scenario.start must be a naive timestamp such as '2024-04-01 07:00' between "
                f"{pd.Timestamp.min} and {pd.Timestamp.max}; got {show(start)}")
        if isinstance(start, (bool, int, float, np.number)):  # not a count of nanoseconds
            raise CCSimInputError(what)
        try:
            start = pd.Timestamp(start)
            start = start if start is pd.NaT else start.as_unit("ns")
        except (TypeError, ValueError, OverflowError):  # incl. OutOfBoundsDatetime
            raise CCSimInputError(what) from None
        if start is pd.NaT or start.tz is not None:
            raise CCSimInputError(what)
        return start

    def _set_time_axis(self, types: tuple[CallType, ...]) -> None:
        forecasts = [t._forecast for t in types if t._forecast is not None]
        start = self._start(forecasts)
        object.__setattr__(self, "start", start)
        minutes = self.interval_minutes
        if minutes is None:
            steps = sorted({f.step_seconds for f in forecasts})
            if len(steps) > 1:
                raise CCSimInputError(
                    f"the call types' forecasts have different intervals ({steps} s): set "
                    "Scenario.interval_minutes")
            minutes = steps[0] / 60 if steps else 30.0
        minutes = number("Scenario.interval_minutes", minutes, low=0.0,
                             low_inclusive=False)
        object.__setattr__(self, "interval_minutes", minutes)
        hours = self.horizon_hours
        if hours is None:
            if not forecasts:
                raise CCSimInputError(
                    "Scenario.horizon_hours must be given when no call type has a forecast "
                    "(arrivals=)")
            hours = (max(f.end_ns for f in forecasts) - start.value) / 3.6e12
        hours = number("Scenario.horizon_hours", hours, low=0.0, low_inclusive=False)
        check_size("Scenario.horizon_hours", hours, MAX_HORIZON_HOURS, unit="h",
                   how="simulate a shorter span (results are per interval: a month or a "
                   "year is plenty)")
        object.__setattr__(self, "horizon_hours", hours)
        if start is not None and start.value + hours * 3.6e12 > pd.Timestamp.max.value:
            raise CCSimInputError(
                f"Scenario.horizon_hours = {hours:g} h from start {start} ends after "
                f"{pd.Timestamp.max}, the last time pandas can hold")
        intervals = hours * 60 / minutes
        check_size("Scenario: horizon_hours / interval_minutes", intervals, MAX_INTERVALS,
                   unit="intervals", how=f"{hours:g} h in {minutes:g}-minute intervals; use "
                   "longer intervals or a shorter horizon_hours")
        check_size("Scenario: intervals x (call types + groups)",
                   intervals * (len(types) + len(self.groups)), MAX_INTERVAL_VALUES,
                   unit="values", how="use longer intervals, a shorter horizon_hours or "
                   "fewer call types and groups")
        self._whole_intervals("horizon_hours", hours)
        warmup = number("Scenario.warmup_hours", self.warmup_hours, low=0.0,
                            high=hours, high_inclusive=False)
        object.__setattr__(self, "warmup_hours", warmup)
        self._whole_intervals("warmup_hours", warmup)

    def _whole_intervals(self, field_name: str, hours: float) -> None:
        count = hours * 60 / self.interval_minutes
        if field_name == "horizon_hours" and round(count) < 1:
            raise CCSimInputError(
                f"Scenario.horizon_hours must be at least one {self.interval_minutes:g}-minute "
                f"interval (Scenario.interval_minutes); got {hours:g} h")
        if abs(count - round(count)) > 1e-9 * max(1.0, count):
            raise CCSimInputError(
                f"Scenario.{field_name} must be a whole number of {self.interval_minutes:g}-"
                f"minute intervals; got {hours:g} h")

    def _check_agents(self, groups: tuple[AgentGroup, ...]) -> None:
        """Refuse more agents (or staffing work) than the engine can hold, before it runs."""
        agents = events = steps = 0.0  # floats: a huge count gives inf, refused, not an error
        for group in groups:
            counts = self.agent_counts(group)  # also checks the counts fit the time axis
            if counts is None:
                size = sum(float(shift.agents) for shift in group.shifts)
                events += sum(float(shift.agents) * (2 + len(shift.breaks))
                              for shift in group.shifts)
            else:
                size = float(counts.max())
                # each change of count scans the group's agents
                steps += size * (1 + np.count_nonzero(np.diff(counts)))
            agents += size + sum(level.agents for level in group.standby_levels)
        check_size("Scenario: the agents of all groups (peak counts and shift agents)", agents,
                   MAX_AGENTS, unit="agents", how="simulate fewer agents")
        check_size("Scenario: the shift agents' log-ins, breaks and log-outs", events,
                   MAX_SHIFT_EVENTS, unit="events", how="fewer shift agents or breaks")
        check_size("Scenario: the staffing changes x agents of counts-staffed groups", steps,
                   MAX_STAFFING_STEPS, unit="agent steps",
                   how="fewer changes of the agent counts or fewer agents")

    # ------------------------------------------------------------ derived values
    @property
    def interval_seconds(self) -> float:
        """Length of a reporting interval [s]."""
        return self.interval_minutes * 60.0

    @property
    def n_intervals(self) -> int:
        """Number of reporting intervals in ``[0, horizon_hours)``."""
        return int(round(self.horizon_hours * 60 / self.interval_minutes))

    @property
    def start_ns(self) -> int | None:
        return None if self.start is None else pd.Timestamp(self.start).value

    def agent_counts(self, group: AgentGroup) -> np.ndarray | None:
        """Agents logged in per interval of a counts-staffed group (None for shifts)."""
        if group._counts is None:
            return None
        return _inputs.resolve(f"AgentGroup({group.name!r}).agents", group._counts,
                               self.start_ns, self.interval_seconds, self.n_intervals)

    def arrival_rates(self, call_type: CallType) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Piecewise-constant arrivals of a call type: segment starts and lengths [s], calls.

        Each segment's count is Poisson with the given mean. Forecast intervals
        partly outside ``[0, horizon_hours)`` are cut, their calls scaled by the part
        inside.
        """
        horizon = self.horizon_hours * 3600.0
        if call_type.recorded is not None:
            return self._recorded_rates(call_type, horizon)
        if call_type._forecast is None:
            rate = _inputs.resolve(f"CallType({call_type.name!r}).arrivals_per_hour",
                                   call_type.arrivals_per_hour, self.start_ns,
                                   self.interval_seconds, self.n_intervals)
            starts = np.arange(self.n_intervals) * self.interval_seconds
            lengths = np.full(self.n_intervals, self.interval_seconds)
            with np.errstate(over="ignore"):  # an absurd rate gives inf calls: simulate refuses
                return starts, lengths, rate * self.interval_seconds / 3600.0
        forecast = call_type._forecast
        step = forecast.step_seconds
        _inputs.on_grid(f"CallType({call_type.name!r}).arrivals", forecast, self.start_ns,
                        self.interval_seconds)
        starts = (np.asarray(forecast.starts_ns) - self.start_ns) / 1e9
        begin = np.maximum(starts, 0.0)
        lengths = np.minimum(starts + step, horizon) - begin
        keep = lengths > 0
        if not keep.any():
            raise CCSimInputError(
                f"CallType({call_type.name!r}).arrivals has no interval inside the scenario "
                f"({self.start} + {self.horizon_hours:g} h); its intervals start "
                f"{pd.Timestamp(forecast.first_ns)} to {pd.Timestamp(max(forecast.starts_ns))}")
        with np.errstate(over="ignore"):
            calls = np.asarray(forecast.values) * np.where(keep, lengths, 0.0) / step
        return begin[keep], lengths[keep], calls[keep]

    def _recorded_rates(self, call_type: CallType, horizon: float
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Recorded calls per interval (the expected calls of a replay are its calls)."""
        arrival = call_type.recorded.arrival_seconds
        if arrival.size and arrival[-1] >= horizon:
            raise CCSimInputError(
                f"CallType({call_type.name!r}).recorded has a call arriving at {arrival[-1]:g} "
                f"s, not before the end of the scenario (horizon_hours = "
                f"{self.horizon_hours:g} h = {horizon:g} s)")
        index = np.minimum((arrival // self.interval_seconds).astype(np.int64),
                           self.n_intervals - 1)
        calls = np.bincount(index, minlength=self.n_intervals).astype(float)
        return (np.arange(self.n_intervals) * self.interval_seconds,
                np.full(self.n_intervals, self.interval_seconds), calls)
