"""A validated Scenario compiled into plain arrays, and the random draws of one replication.

The :class:`Plan` is what the engine runs and what travels to worker processes:
indices instead of names, routing tables, staffing events in seconds. All the
randomness of a replication is drawn here, up front and vectorised, from
streams derived from the replication's :class:`numpy.random.SeedSequence`:
call type ``k`` draws its arrivals, talk times, wrap-up times and patience from
four separate streams ``spawn_key + (k, 0..3)``, and, when it has an IVR or
redials, its IVR times, self-service choices, redial choices and redial delays
from four more, ``spawn_key + (k, 4..7)``. Changing one call type (or the
staffing) leaves the draws of the others unchanged, so two scenarios run with
the same seed share their random numbers (common random numbers).

Surges (``CallType(surges=...)``) keep those draws: a factor above 1 adds a
Poisson stream of arrivals drawn from ``spawn_key + (k, 8)``, whose calls take
their talk, wrap-up, patience, IVR and redial draws from ``(k, 9..15)`` (the
same roles as ``1..7``); a factor below 1 keeps each call of the window when a
uniform from ``(k, 16)`` is below it. A scenario without surges draws nothing
from these streams, so its runs are bit for bit those of before.

Redials are made during the run, so their draws cannot all be made up front:
a redial attempt takes the next values of the same streams (talk, wrap-up and
patience continue streams 1-3 after the first attempts' draws), in blocks of
:data:`BLOCK` (:class:`AttemptSource`). First attempts keep their up-front,
per-caller draws, which is what makes two scenarios with the same seed share
their callers.

A call type replaying a log (``CallType(recorded=...)``) takes its arrivals
from the record and draws nothing from stream 0; it draws talk times and
patience for every call from streams 1 and 3 as any call type does (so the
streams stay aligned call by call) and keeps the recorded values where the
replay uses them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from math import inf

import numpy as np

from ccsim._validation import CCSimInputError
from ccsim.simulation._blend import Blend, BlendDraws
from ccsim.simulation._inputs import show
from ccsim.simulation.callers import RecordedCalls
from ccsim.simulation.distributions import Distribution
from ccsim.simulation.scenario import Scenario

# Agent actions of shift schedules.
LOGIN, BREAK, LOGOUT = 0, 1, 2
# Values drawn at a time for redial attempts (AttemptSource).
BLOCK = 256


@dataclass(frozen=True)
class TypePlan:
    name: str
    segment_start: np.ndarray  # [s]
    segment_length: np.ndarray  # [s]
    segment_calls: np.ndarray  # expected calls per segment
    service: Distribution
    wrap_up: Distribution
    patience: Distribution | None
    within_seconds: float
    priority: int
    ivr: Distribution | None = None  # time in the IVR; None: no IVR
    self_service: float = 0.0  # share of attempts done in the IVR
    redial_probability: float = 0.0  # chance a lost attempt is redialled
    redial_delay: Distribution | None = None  # None: no redials
    keep_patience: bool = False
    keep_service: bool = False
    recorded: RecordedCalls | None = None  # the log's calls replayed; None: Poisson arrivals
    # surges (factor > 1): the added Poisson arrivals, per piece of a segment in a window
    extra_start: np.ndarray | None = None  # [s]
    extra_length: np.ndarray | None = None  # [s]
    extra_calls: np.ndarray | None = None  # expected added calls
    thin: tuple[tuple[float, float, float], ...] = ()  # (start, end [s], factor < 1)


@dataclass(frozen=True)
class StandbyPlan:
    first_agent: int  # the standby agents are numbered after every group's own agents
    agents: int
    call_in_seconds: float
    min_stay_seconds: float
    queue_above: int | None  # QueueAbove(calls); None: a service-level trigger
    level: float  # ServiceLevelBelow
    window_seconds: float
    pull_from: int = -1  # the group whose agents are pulled (Standby.pull_from); -1: on-call
    rank: int = 1  # 1 for the group's first escalation level, 2 for the next, ...


@dataclass(frozen=True)
class GroupPlan:
    name: str
    first_agent: int
    n_agents: int
    counts: np.ndarray | None  # agents per interval (counts staffing)
    schedule: tuple[tuple[float, int, int, float], ...]  # (time, agent, action, break length)
    standby: tuple[StandbyPlan, ...] = ()  # the escalation levels, in order
    blend: Blend | None = None


@dataclass(frozen=True)
class Plan:
    types: tuple[TypePlan, ...]
    groups: tuple[GroupPlan, ...]
    horizon_seconds: float
    interval_seconds: float
    n_intervals: int
    warmup_intervals: int
    start_ns: int | None
    immediate: tuple[tuple[int, ...], ...]  # per type: groups that may answer at once
    overflow: tuple[tuple[tuple[float, tuple[int, ...]], ...], ...]  # per type: (delay, groups)
    preference: tuple[tuple[tuple[int, float], ...], ...]  # per group: (type, delay)
    skill_groups: tuple[tuple[int, ...], ...]  # per type: groups listing it as a skill
    agent_group: np.ndarray
    scheduled: np.ndarray  # (n_intervals, n_groups) mean agents on duty by the plan
    lines: int | None = None  # shared telephone lines; None: unlimited
    group_order: bool = False  # agent_selection="group-order"
    longest_waiting: bool = False  # call_selection="longest-waiting"

    @property
    def has_ivr(self) -> bool:
        return any(t.ivr is not None for t in self.types)

    @property
    def has_redial(self) -> bool:
        return any(t.redial_delay is not None for t in self.types)

    @property
    def expected_calls(self) -> float:
        """Expected calls of one replication (inf if they overflow a float)."""
        with np.errstate(over="ignore"):
            return float(sum(t.segment_calls.sum() + (0.0 if t.extra_calls is None
                                                      else t.extra_calls.sum())
                             for t in self.types))

    @property
    def has_standby(self) -> bool:
        return any(g.standby for g in self.groups)


def _preference(scenario: Scenario, group_index: int) -> tuple[tuple[int, float], ...]:
    """A group's (type, delay) list: priority first, then own skills, then overflow."""
    group = scenario.groups[group_index]
    names = {t.name: k for k, t in enumerate(scenario.call_types)}
    entries = []
    for position, skill in enumerate(group.skills):
        k = names[skill]
        entries.append((-scenario.call_types[k].priority, 0, position, k, 0.0))
    for k, call_type in enumerate(scenario.call_types):
        for name, delay in call_type.overflow:
            if name == group.name:
                entries.append((-call_type.priority, 1, delay, k, delay))
    entries.sort(key=lambda e: e[:3])
    return tuple((e[3], e[4]) for e in entries)


def _routing(scenario: Scenario) -> tuple[tuple, tuple, tuple]:
    group_names = {g.name: j for j, g in enumerate(scenario.groups)}
    immediate, overflow, skill_groups = [], [], []
    for call_type in scenario.call_types:
        skilled = tuple(j for j, g in enumerate(scenario.groups) if call_type.name in g.skills)
        skill_groups.append(skilled)
        now = list(skilled)
        later: dict[float, list[int]] = {}
        for name, delay in call_type.overflow:
            j = group_names[name]
            if delay == 0:
                now.append(j)
            else:
                later.setdefault(delay, []).append(j)
        immediate.append(tuple(now))
        overflow.append(tuple((d, tuple(later[d])) for d in sorted(later)))
    return tuple(immediate), tuple(overflow), tuple(skill_groups)


def _shift_schedule(group, first_agent: int) -> tuple[tuple, int]:
    events = []
    agent = first_agent
    for shift in group.shifts:
        for _ in range(shift.agents):
            events.append((shift.start_hours * 3600.0, agent, LOGIN, 0.0))
            for start, end in shift.breaks:
                events.append((start * 3600.0, agent, BREAK, (end - start) * 3600.0))
            events.append((shift.end_hours * 3600.0, agent, LOGOUT, 0.0))
            agent += 1
    events.sort(key=lambda e: (e[0], e[2], e[1]))
    return tuple(events), agent - first_agent


def time_in_bins(starts: np.ndarray, ends: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Total length of the spans ``[starts[i], ends[i])`` falling in each bin of ``edges``.

    With ``F(t) = sum_i clip(t - starts[i], 0, ends[i] - starts[i])``, the time
    in bin ``[a, b)`` is ``F(b) - F(a)``, and ``F(t) = sum_{s < t} (t - s) -
    sum_{e < t} (t - e)``: two sorted searches, no loop over the spans.
    """
    def swept(points: np.ndarray) -> np.ndarray:
        points = np.sort(points)
        below = np.searchsorted(points, edges, side="left")
        sums = np.concatenate(([0.0], np.cumsum(points)))
        return below * edges - sums[below]

    if starts.size == 0:
        return np.zeros(edges.size - 1)
    # a difference of cumulative sums: clip the rounding below 0 of an empty bin
    return np.maximum(np.diff(swept(starts) - swept(ends)), 0.0)


def _scheduled(scenario: Scenario, groups: list[GroupPlan]) -> np.ndarray:
    edges = np.arange(scenario.n_intervals + 1) * scenario.interval_seconds
    out = np.zeros((scenario.n_intervals, len(groups)))
    for j, (group, plan) in enumerate(zip(scenario.groups, groups, strict=True)):
        if plan.counts is not None:
            out[:, j] = plan.counts
            continue
        starts, ends = [], []
        for shift in group.shifts:
            marks = [shift.start_hours, *np.ravel(shift.breaks).tolist(), shift.end_hours]
            for a, b in zip(marks[::2], marks[1::2], strict=True):
                starts += [a * 3600.0] * shift.agents
                ends += [b * 3600.0] * shift.agents
        out[:, j] = time_in_bins(np.array(starts), np.array(ends), edges) / np.diff(edges)
    return out


def _surge_pieces(starts: np.ndarray, lengths: np.ndarray, calls: np.ndarray,
                  surges: tuple) -> tuple[dict[str, np.ndarray], tuple]:
    """Surges as added arrivals (factor > 1, per overlap of a segment and a window) and
    thinning windows (factor < 1)."""
    extra: list[tuple[float, float, float]] = []
    thin = []
    for surge in surges:
        begin, end, factor = surge.start_hours * 3600.0, surge.end_hours * 3600.0, surge.factor
        if factor < 1.0:
            thin.append((begin, end, factor))
            continue
        low = np.maximum(starts, begin)
        overlap = np.minimum(starts + lengths, end) - low
        for j in np.flatnonzero((overlap > 0) & (factor > 1.0)):
            with np.errstate(over="ignore"):
                added = calls[j] * overlap[j] / lengths[j] * (factor - 1.0)
            extra.append((float(low[j]), float(overlap[j]), float(added)))
    if not extra:
        return {}, tuple(thin)
    table = np.array(extra, dtype=float)
    return {"extra_start": table[:, 0], "extra_length": table[:, 1],
            "extra_calls": table[:, 2]}, tuple(thin)


def _standby(standby, first_agent: int, rank: int, group_index: dict[str, int]
             ) -> StandbyPlan:
    trigger = standby.trigger
    queue = getattr(trigger, "calls", None)
    return StandbyPlan(first_agent, standby.agents, standby.call_in_minutes * 60.0,
                       standby.min_stay_minutes * 60.0, queue,
                       getattr(trigger, "level", 1.0), getattr(trigger, "minutes", 0.0) * 60.0,
                       pull_from=group_index.get(standby.pull_from, -1), rank=rank)


def compile_plan(scenario: Scenario) -> Plan:
    """The engine's view of a validated scenario."""
    types = []
    for call_type in scenario.call_types:
        starts, lengths, calls = scenario.arrival_rates(call_type)
        within = (scenario.answer_within_seconds if call_type.answer_within_seconds is None
                  else call_type.answer_within_seconds)
        ivr, redial = call_type.ivr, call_type.redial
        extra, thin = _surge_pieces(starts, lengths, calls, call_type.surges)
        types.append(TypePlan(
            call_type.name, starts, lengths, calls, call_type.service_distribution,
            call_type.wrap_up_distribution, call_type.patience_distribution, within,
            int(call_type.priority),
            ivr=None if ivr is None else ivr.time_distribution,
            self_service=0.0 if ivr is None else ivr.self_service,
            redial_probability=0.0 if redial is None else redial.probability,
            redial_delay=None if redial is None else redial.delay_distribution,
            keep_patience=redial is not None and redial.keep_patience,
            keep_service=redial is not None and redial.keep_service,
            recorded=call_type.recorded, thin=thin, **extra))
    groups, agent_group, first = [], [], 0
    for j, group in enumerate(scenario.groups):
        counts = scenario.agent_counts(group)
        if counts is not None:
            schedule, size = (), int(counts.max())
        else:
            schedule, size = _shift_schedule(group, first)
        groups.append(GroupPlan(group.name, first, size, counts, schedule, blend=group.blend))
        agent_group += [j] * size
        first += size
    group_index = {group.name: j for j, group in enumerate(scenario.groups)}
    for j, group in enumerate(scenario.groups):  # standby agents after all the others
        levels = []
        for rank, level in enumerate(group.standby_levels, start=1):
            levels.append(_standby(level, first, rank, group_index))
            agent_group += [j] * level.agents
            first += level.agents
        if levels:
            groups[j] = replace(groups[j], standby=tuple(levels))
    immediate, overflow, skill_groups = _routing(scenario)
    return Plan(
        types=tuple(types), groups=tuple(groups), horizon_seconds=scenario.horizon_hours * 3600.0,
        interval_seconds=scenario.interval_seconds, n_intervals=scenario.n_intervals,
        warmup_intervals=int(round(scenario.warmup_hours * 60 / scenario.interval_minutes)),
        start_ns=scenario.start_ns, immediate=immediate, overflow=overflow,
        preference=tuple(_preference(scenario, j) for j in range(len(scenario.groups))),
        skill_groups=skill_groups, agent_group=np.asarray(agent_group, dtype=np.int32),
        scheduled=_scheduled(scenario, groups), lines=scenario.lines,
        group_order=scenario.agent_selection == "group-order",
        longest_waiting=scenario.call_selection == "longest-waiting")


@dataclass(frozen=True)
class Calls:
    """The random draws of one replication's first attempts, sorted by arrival time.

    ``ivr`` and ``self_service`` are None when no call type has an IVR,
    ``redial``, ``redial_delay`` and ``more`` when none has redials; for a type
    without them they hold 0 (no IVR time), 1 (never self-served: the choice
    is ``self_service < share``), 1 (never redialled) and 0.
    """

    arrival: np.ndarray
    call_type: np.ndarray
    service: np.ndarray
    wrap_up: np.ndarray
    patience: np.ndarray  # inf: never hangs up
    ivr: np.ndarray | None = None  # [s] time in the IVR
    self_service: np.ndarray | None = None  # uniform: done in the IVR when < the type's share
    redial: np.ndarray | None = None  # uniform: redialled after a loss when < the probability
    redial_delay: np.ndarray | None = None  # [s] from the loss to the redial
    more: AttemptSource | None = None  # the draws of redial attempts
    blend: tuple[BlendDraws | None, ...] | None = None  # per group; None: no group blends


def _stream(seed: np.random.SeedSequence, *key: int) -> np.random.Generator:
    child = np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, *key),
                                   pool_size=seed.pool_size)
    return np.random.default_rng(child)


def _draw(plan_type: TypePlan, what: str, distribution: Distribution,
          rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` times from a distribution, checked (a user's subclass may return anything)."""
    times = distribution.sample(rng, n)
    if not (isinstance(times, np.ndarray) and times.shape == (n,)
            and np.issubdtype(times.dtype, np.number)):
        raise CCSimInputError(
            f"CallType({plan_type.name!r}).{what}: {type(distribution).__name__}.sample(rng, "
            f"{n}) must return a 1-d numpy array of {n} times; got {show(times)}")
    times = times.astype(float, copy=False)
    bad = ~np.isfinite(times) | (times < 0)
    if bad.any():
        raise CCSimInputError(
            f"CallType({plan_type.name!r}).{what}: {type(distribution).__name__}.sample "
            f"returned {float(times[bad][0])!r}; times must be finite and >= 0 seconds")
    return times


class _Values:
    """One stream's values for redial attempts, drawn :data:`BLOCK` at a time."""

    __slots__ = ("_draw", "_values", "_next")

    def __init__(self, draw: Callable[[int], np.ndarray]) -> None:
        self._draw = draw
        self._values: list[float] = []
        self._next = 0

    def take(self) -> float:
        if self._next == len(self._values):
            self._values = self._draw(BLOCK).tolist()
            self._next = 0
        value = self._values[self._next]
        self._next += 1
        return value


class AttemptSource:
    """The draws of redial attempts, per call type: the streams of the first attempts, continued.

    :meth:`next` gives a new attempt of type ``k`` its talk, wrap-up, patience
    and IVR times, its self-service and redial choices and its redial delay.
    """

    def __init__(self, plan: Plan, generators: dict[tuple[int, int], np.random.Generator]
                 ) -> None:
        self._types = []
        for k, t in enumerate(plan.types):
            if t.redial_delay is None:
                self._types.append(None)
                continue

            def times(what: str, distribution: Distribution | None, stream: int,
                      t: TypePlan = t, k: int = k) -> _Values | None:
                if distribution is None:
                    return None
                rng = generators[k, stream]
                return _Values(lambda size: _draw(t, what, distribution, rng, size))

            def uniforms(stream: int, k: int = k) -> _Values:
                return _Values(generators[k, stream].random)

            self._types.append((
                times("service", t.service, 1), times("wrap_up", t.wrap_up, 2),
                times("patience", t.patience, 3), times("ivr", t.ivr, 4),
                uniforms(5) if t.ivr is not None else None, uniforms(6),
                times("redial.delay_seconds", t.redial_delay, 7)))

    def next(self, k: int) -> tuple[float, float, float, float, float, float, float]:
        """(service, wrap-up, patience, IVR time, self-service, redial, delay) of a new attempt."""
        service, wrap_up, patience, ivr, self_service, redial, delay = self._types[k]
        return (service.take(), wrap_up.take(),
                inf if patience is None else patience.take(),
                0.0 if ivr is None else ivr.take(),
                1.0 if self_service is None else self_service.take(),
                redial.take(), delay.take())


def _replayed(recorded: RecordedCalls, service: np.ndarray, patience: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
    """Talk times and patience of replayed calls: recorded where the replay keeps them.

    ``service`` and ``patience`` are one draw per call from the call type's laws
    (patience inf without one). Recorded talk times replace the draws of the
    answered calls; recorded patience is the wait of an abandoned caller and,
    for an answered one, the wait plus the draw: the exponential law
    conditioned on exceeding the wait (see :class:`RecordedCalls`).
    """
    answered = recorded.answered
    if recorded.service == "recorded":
        service = np.where(answered, recorded.service_seconds, service)
    if recorded.patience == "recorded":
        wait = recorded.wait_seconds
        patience = np.where(answered, wait + patience, wait)
    return service, patience


def _attempt_draws(t: TypePlan, k: int, arrival: np.ndarray, streams: dict, first: int,
                   ivr: bool, redial: bool) -> tuple[tuple, tuple | None]:
    """The per-call draws of arrivals of type ``k`` from ``streams[first + 1 ..]``.

    ``first`` is 0 for the type's own arrivals (streams ``(k, 1..7)``) and 8 for
    those a surge adds (``(k, 9..15)``). Returns the columns of :class:`Calls`
    and, with an IVR or redials anywhere, their four extra columns.
    """
    n = arrival.size
    patience = (np.full(n, np.inf) if t.patience is None
                else _draw(t, "patience", t.patience, streams[first + 3], n))
    service = _draw(t, "service", t.service, streams[first + 1], n)
    if t.recorded is not None:
        service, patience = _replayed(t.recorded, service, patience)
    part = (arrival, np.full(n, k, dtype=np.int32), service,
            _draw(t, "wrap_up", t.wrap_up, streams[first + 2], n), patience)
    if not (ivr or redial):
        return part, None
    return part, (
        _draw(t, "ivr", t.ivr, streams[first + 4], n) if t.ivr is not None else np.zeros(n),
        streams[first + 5].random(n) if t.ivr is not None else np.ones(n),
        streams[first + 6].random(n) if t.redial_delay is not None else np.ones(n),
        (_draw(t, "redial.delay_seconds", t.redial_delay, streams[first + 7], n)
         if t.redial_delay is not None else np.zeros(n)))


def _streams(seed: np.random.SeedSequence, k: int, t: TypePlan, first: int) -> dict:
    """The streams ``(k, first + j)`` a type's attempts draw from (IVR and redial ones if any)."""
    wanted = [1, 2, 3] + ([4, 5] if t.ivr is not None else []) + (
        [6, 7] if t.redial_delay is not None else [])
    return {first + j: _stream(seed, k, first + j) for j in wanted}


def _poisson_arrivals(rng: np.random.Generator, start: np.ndarray, length: np.ndarray,
                      calls: np.ndarray) -> np.ndarray:
    counts = rng.poisson(calls)
    arrival = (np.repeat(start, counts)
               + rng.random(int(counts.sum())) * np.repeat(length, counts))
    arrival.sort()
    return arrival


def _surged(seed: np.random.SeedSequence, k: int, t: TypePlan, part: tuple, more: tuple | None,
            ivr: bool, redial: bool) -> tuple[list, list]:
    """A type's draws with its surges: thinned (stream ``(k, 16)``) and added to (8-15)."""
    parts, extra = [part], [more]
    if t.thin:
        arrival = part[0]
        keep = np.ones(arrival.size, dtype=bool)
        uniform = _stream(seed, k, 16).random(arrival.size)
        for begin, end, factor in t.thin:
            keep &= ~((arrival >= begin) & (arrival < end) & (uniform >= factor))
        parts = [tuple(column[keep] for column in part)]
        extra = [None if more is None else tuple(column[keep] for column in more)]
    if t.extra_calls is not None:
        arrival = _poisson_arrivals(_stream(seed, k, 8), t.extra_start, t.extra_length,
                                    t.extra_calls)
        added, added_more = _attempt_draws(t, k, arrival, _streams(seed, k, t, 8), 8, ivr,
                                           redial)
        parts.append(added)
        extra.append(added_more)
    return parts, extra


def sample_calls(plan: Plan, seed: np.random.SeedSequence) -> Calls:
    """Every first attempt of one replication: arrival times and the times it will need."""
    parts, extra, generators = [], [], {}
    ivr, redial = plan.has_ivr, plan.has_redial
    for k, t in enumerate(plan.types):
        if t.recorded is None:
            arrival = _poisson_arrivals(_stream(seed, k, 0), t.segment_start, t.segment_length,
                                        t.segment_calls)
        else:
            arrival = t.recorded.arrival_seconds.copy()
        streams = _streams(seed, k, t, 0)
        part, more = _attempt_draws(t, k, arrival, streams, 0, ivr, redial)
        if t.thin or t.extra_calls is not None:
            surged, surged_more = _surged(seed, k, t, part, more, ivr, redial)
            parts += surged
            extra += [m for m in surged_more if m is not None]
        else:
            parts.append(part)
            if more is not None:
                extra.append(more)
        generators.update({(k, j): g for j, g in streams.items()})
    columns = [np.concatenate(column) for column in zip(*parts, strict=True)]
    order = np.argsort(columns[0], kind="stable")
    more = [np.concatenate(column)[order] for column in zip(*extra, strict=True)] or [None] * 4
    return Calls(*(column[order] for column in columns),
                 ivr=more[0] if ivr else None, self_service=more[1] if ivr else None,
                 redial=more[2] if redial else None, redial_delay=more[3] if redial else None,
                 more=AttemptSource(plan, generators) if redial else None,
                 blend=_blend_draws(plan, seed))


def _blend_draws(plan: Plan, seed: np.random.SeedSequence
                 ) -> tuple[BlendDraws | None, ...] | None:
    """Per group, the draws of its blended work (None for a group without a blend)."""
    if all(group.blend is None for group in plan.groups):
        return None
    return tuple(None if group.blend is None
                 else BlendDraws(group.blend, plan.horizon_seconds, seed, g)
                 for g, group in enumerate(plan.groups))
