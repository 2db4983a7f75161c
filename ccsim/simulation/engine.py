"""The SimPy model: one dispatcher where calls and agents meet.

Every change of state is a SimPy event that carries its time and one callback:
the next arrival, the end of a call (talk and wrap-up), a caller's patience
running out, a call's overflow delay, the end of a caller's time in the IVR, a
redial, a staffing change, a break or the end of a shift, and the closing of
the center. Nothing polls and no process runs per call, so an event costs a
heap push, a pop and one Python function.

Callers, as in docs/design.md:

* an attempt (a first call or a redial) dials in; with ``Scenario(lines=N)``
  it takes a free line or, when all N are held, gets a busy signal (blocked);
  a line is held in the IVR, in the queue and while talking, and freed when
  the caller is done in the IVR, abandons or the talk ends (before wrap-up);
* with an IVR the attempt spends its IVR time there, then is done
  (self-served) or joins the agents' routing; patience and waits count from
  then;
* an attempt lost (abandoned or blocked) of a call type with redials is
  followed, if its redial choice says so, by a new attempt after its delay,
  unless that would come after the horizon (the center takes no attempt then).

Routing:

* an arriving call goes to the longest-idle agent among the groups that have
  its skill (or overflow to it without delay), or with
  ``agent_selection="group-order"`` to the longest-idle agent of the first of
  those groups with one idle; otherwise it joins the call type's
  first-in-first-out queue;
* a freed agent takes the oldest waiting call of the first call type in its
  group's preference order that has one (for an overflow call type: only a
  call that has waited at least the overflow delay); with
  ``call_selection="longest-waiting"`` the call that has waited longest (the
  earliest to reach the queue) among the call types of the highest priority
  that have one it may take;
* when a call's overflow delay expires, an idle agent of the groups it now
  overflows to (chosen as above) answers it, if any is idle;
* a call still waiting when its patience runs out abandons (the patience event
  of an answered call finds it answered and does nothing: it is never removed).

The dispatcher is one function whose nested callbacks share its state (lists
indexed by attempt and by agent) through closures, which CPython reaches faster
than attributes. Queues and idle lists are deques; a call that left a queue
(answered by an overflow group, or abandoned) stays in it until it reaches the
head and is then dropped, so every operation on the hot path is O(1). Lines
held by answered or self-served callers are freed lazily: the ends of their
talk or IVR time sit in a heap, popped when an attempt dials in. Without
lines nothing happens at the dial-in, so a caller with an IVR costs no event
until it leaves the IVR (one chain of events in order of leaving) and a
self-served one none at all. With lines, the first attempts' dial-ins and the
IVR exits are steps of one chain (``feed``): one SimPy event serves every step
due before the next other event, moving SimPy's clock to each step's time (the
float the event per step would have had), so batching changes no result (but
for a step and another event due at exactly the same time, which the chain
orders other event first). Redial attempts are appended to the lists as they are made.

Staffing: a counts-staffed group changes its number of logged-in agents at the
interval boundaries. Fewer agents: idle ones log out first (the most recently
idle first), then agents on a call leave when it ends (the longest on their call
first); more agents: agents due to leave stay, then others log in. At the
scenario's end those groups close: idle agents log out and busy ones keep
answering until no call waits for them. Shift agents log in, take their breaks
and log out at their own times, each finishing the call in hand first (a
delayed break keeps its full length).

Standby teams (``AgentGroup(standby=...)``, :class:`~ccsim.simulation.Standby`):
their agents are numbered after every group's own agents and count apart from
the group's agents on duty (a change of a counts-staffed group's count never
logs them in or out). A check every ``CHECK_SECONDS`` (only when some group has
a standby) counts the calls waiting in each team's skills' queues and asks the
team's trigger (:mod:`._standby`); a service-level trigger is told of every
call of its skills answered or abandoned. The first check at which it holds
calls the team; its agents log in after the call-in delay; the first check
after the minimum stay at which it no longer holds releases them (idle ones log
out, busy ones after the call in hand). A group's levels are checked in order:
a level's trigger is asked only once the level before it has been called.

Agents pulled from another group (``Standby(pull_from=...)``, the last level):
the team's agent numbers are stand-ins for the source group's agents while
pulled. At the team's arrival, the source's idle agents (longest idle first),
then its busy ones (longest on their call first, after the call in hand) are
linked to the stand-ins: each ends its logged-in span in its own group (state
PULLED; it still counts on duty there, so counts staffing does not replace
it) and its stand-in logs in to the pulling group. When the stand-in logs out
(the team released, the horizon) the agent comes back to its group, unless
its shift ended or its group's count dropped meanwhile (it is sent home: its
stand-in leaves then, after the call in hand). Breaks due while pulled are
skipped.

Blended work (``AgentGroup(blend=...)``, :mod:`._blend`): an agent that finds
no call to take and joins its group's idle list, when more than the reserve
are idle (itself included) before the horizon, leaves the list (the most
recently idle first) for the oldest backlog item or else an outbound attempt,
and becomes free again when it ends (inbound first). A backlog item arriving
is taken the same way. Blended agents count as busy for staffing, breaks and
log-outs (no pre-emption).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from heapq import heappop, heappush
from itertools import count as counter
from math import inf

import numpy as np
import simpy
from simpy.events import NORMAL

from ccsim._validation import CCSimInputError
from ccsim.simulation import _blend, _standby
from ccsim.simulation._plan import BREAK, LOGIN, Calls, Plan
from ccsim.simulation.surges import CHECK_SECONDS

__all__ = ["EngineOutput", "run"]

# attempt status (0 while in the IVR)
ANSWERED, ABANDONED, WAITING, BLOCKED, SELF_SERVED = 1, 2, 3, 4, 5
# agent state (PULLED: away serving another group, Standby(pull_from=...))
OFF, IDLE, BUSY, ON_BREAK, PULLED = 0, 1, 2, 3, 4
# what an agent on a call does when it ends (PULL: goes to the group pulling it)
STAY, LEAVE, TAKE_BREAK, PULL = 0, 1, 2, 3


class _Wake:
    """The feeder's event (see ``feed`` in :func:`run`), pushed on SimPy's heap itself.

    ``Environment.step`` reads an event's ``callbacks`` (then sets them to None)
    and ``_ok``; a ``Timeout`` would cost its construction and a float
    addition (``now + delay``) that may miss the exact time by an ulp.
    """

    __slots__ = ("callbacks",)
    _ok = True


@dataclass(frozen=True)
class EngineOutput:
    """What happened to each attempt and agent in one replication.

    Attempts are in the order they were made: the first attempts (in arrival
    order), then the redials as they were made.
    """

    arrival: np.ndarray  # [s] when the attempt dialled in
    status: np.ndarray  # ANSWERED, ABANDONED, WAITING (at the end), BLOCKED or SELF_SERVED
    wait: np.ndarray  # [s] in the queue: until answered, abandoned or the end of the run
    agent: np.ndarray  # -1 when not answered
    session_agent: np.ndarray  # one row per logged-in span of an agent
    session_start: np.ndarray
    session_due: np.ndarray  # when the agent was due to log out or go on break
    session_end: np.ndarray  # when it did (after the call in hand)
    end_seconds: float  # time of the last event
    entry: np.ndarray  # [s] when it left the IVR (the arrival without one, or blocked)
    call_type: np.ndarray
    service: np.ndarray  # [s] talk time it needed
    wrap_up: np.ndarray  # [s]
    caller: np.ndarray  # index of the caller's first attempt
    attempt: np.ndarray  # 1 for a first attempt, 2 for its first redial, ...
    redialled: np.ndarray  # lost and followed by a redial
    standby: np.ndarray | None = None  # per standby team (level): called, logged in, released
    # blended work, one row per piece: (agent, group, kind, start, end, backlog item or -1,
    # idle agents of the group when it started, the agent included); None without a blend
    blend_work: np.ndarray | None = None
    # agents pulled from other groups, one row each: (team, stand-in agent, source agent,
    # when chosen [s]); None without a level pulling agents
    pulls: np.ndarray | None = None


def run(plan: Plan, calls: Calls, max_attempts: float = inf) -> EngineOutput:
    """Simulate one replication of ``plan`` with the draws ``calls``.

    Raises
    ------
    CCSimInputError
        Redials would make more than ``max_attempts`` attempts.
    """
    env = simpy.Environment()
    timeout = env.timeout
    n = calls.arrival.size
    arrival = calls.arrival.tolist()
    kind = calls.call_type.tolist()
    hold = (calls.service + calls.wrap_up).tolist()
    patience = calls.patience.tolist()
    status = [0] * n
    answered_at = [0.0] * n
    agent_of = [-1] * n

    # callers: lines, IVR and redials
    lines = plan.lines
    ivr_on, redial_on = calls.ivr is not None, calls.redial is not None
    # with lines, first attempts' dial-ins (next_first) and IVR exits (the heap ``due``),
    # each (time, order of scheduling, attempt), are served by one chain of SimPy events
    # (feed)
    due: list[tuple[float, int, int]] = []
    order = counter()
    NEVER = (inf, -1, -1)
    next_first = NEVER
    feeder_at, feeding = inf, False  # when the feeder is due; whether it runs
    share = [t.self_service for t in plan.types]
    has_ivr = [t.ivr is not None for t in plan.types]
    entry = arrival  # when each attempt reaches the queue (the arrival without an IVR)
    if ivr_on:
        entry_at = calls.arrival + calls.ivr
        done = calls.self_service < np.asarray(share)[calls.call_type]  # self-served
        entry = entry_at.tolist()
        if lines is not None:
            ivr_time = calls.ivr.tolist()
            self_served = done.tolist()
        else:  # nothing happens at the dial-in: settle the self-served now
            status = np.where(done, SELF_SERVED, 0).tolist()
            answered_at = np.where(done, entry_at, 0.0).tolist()
            going = np.flatnonzero(~done)
            going = going[np.argsort(entry_at[going], kind="stable")]
            queue_order, queue_at = going.tolist(), entry_at[going].tolist()
    talk = calls.service.tolist() if lines is not None else None
    redial_p = [t.redial_probability if t.redial_delay is not None else 0.0
                for t in plan.types]
    keep_patience = [t.keep_patience for t in plan.types]
    keep_service = [t.keep_service for t in plan.types]
    # per redial attempt: (caller, attempt, redial choice, delay, talk, wrap-up)
    extra: list[tuple[int, int, float, float, float, float]] = []
    redialled: list[int] = []  # attempts followed by a redial
    horizon = plan.horizon_seconds
    max_attempts = max(max_attempts, n)  # the first attempts are already drawn
    used = 0  # lines held
    line_free: list[float] = []  # heap: when lines held by talking or self-served callers free

    queues = [deque() for _ in plan.types]
    immediate = [list(g) for g in plan.immediate]
    overflow = [list(levels) for levels in plan.overflow]
    preference = [[(queues[k], delay) for k, delay in entries] for entries in plan.preference]
    ranked = [[(queues[k], delay, plan.types[k].priority) for k, delay in entries]
              for entries in plan.preference]  # call_selection="longest-waiting"
    idle = [deque() for _ in plan.groups]
    group_of = plan.agent_group.tolist()
    n_agents = len(group_of)
    state = [OFF] * n_agents
    idle_since = [0.0] * n_agents
    pending = [STAY] * n_agents
    break_length = [0.0] * n_agents
    call_start = [0.0] * n_agents
    login_at = [0.0] * n_agents
    due_at = [inf] * n_agents
    # agents on duty per group, for counts staffing; standby agents count apart (last slot)
    on_duty = [0] * (len(plan.groups) + 1)
    duty_of = list(group_of)
    teams = []
    for g, group in enumerate(plan.groups):
        previous = None
        for level in group.standby:
            previous = _standby.Team(level, g, previous)
            teams.append(previous)
    standby_from = min((team.plan.first_agent for team in teams), default=n_agents)
    for team in teams:
        for a in team.agents:
            duty_of[a] = len(plan.groups)
    # per call type: the teams whose service-level trigger watches it
    watch = [[team for team in teams
              if team.watches_service_level and team.group in plan.skill_groups[k]]
             for k in range(len(plan.types))]
    watching = any(watch)
    within = [t.within_seconds for t in plan.types]
    closing = [False] * len(plan.groups)
    sessions: list[tuple[int, float, float, float]] = []
    # agents pulled from other groups: stand-in -> source agent, and back
    pulling = any(team.pulls for team in teams)
    if pulling:
        home = [-1] * n_agents  # per stand-in: the source agent it stands for
        twin = [-1] * n_agents  # per source agent: its stand-in
        gone = [False] * n_agents  # a pulled agent whose shift (or count) ended
        pulls: list[tuple[int, int, int, float]] = []
        team_number = {id(team): j for j, team in enumerate(teams)}
    # blended work (AgentGroup(blend=...)): per group its draws, or None
    blend_of = calls.blend
    if blend_of is not None:
        reserve = [0 if d is None else d.blend.reserve for d in blend_of]
        outbound_on = [d is not None and d.blend.outbound is not None for d in blend_of]
        backlog_queue: list[deque] = [deque() for _ in plan.groups]
        backlog_work = [None if d is None else d.backlog_work.tolist() for d in blend_of]
        blend_work: list[tuple[int, int, int, float, float, int, int]] = []

    # ------------------------------------------------------------ calls
    def answer(i: int, a: int, now: float) -> None:
        status[i] = ANSWERED
        answered_at[i] = now
        agent_of[i] = a
        state[a] = BUSY
        call_start[a] = now
        timeout(hold[i], a).callbacks.append(call_ends)
        if lines is not None:
            heappush(line_free, now + talk[i])
        if watching:
            settles(i, now, now - entry[i] <= within[kind[i]])

    def settles(i: int, now: float, quick: bool) -> None:
        """A call answered or abandoned: the service-level triggers watching it note it."""
        for team in watch[kind[i]]:
            if team.state != _standby.RELEASED:
                team.settled.append((now, quick))

    def skill_order(a: int, now: float) -> bool:
        """The oldest call of the first call type in the agent's preference order with one."""
        for queue, delay in preference[group_of[a]]:
            while queue:
                i = queue[0]
                if status[i] != WAITING:
                    queue.popleft()
                    continue
                if delay and entry[i] + delay > now:
                    break
                queue.popleft()
                answer(i, a, now)
                return True
        return False

    def longest_waiting(a: int, now: float) -> bool:
        """The call waiting longest among the highest priority with one the agent may take."""
        best, since, level = None, inf, None
        for queue, delay, priority in ranked[group_of[a]]:  # by priority, highest first
            if best is not None and priority != level:
                break
            while queue and status[queue[0]] != WAITING:
                queue.popleft()
            if not queue:
                continue
            i = queue[0]
            if delay and entry[i] + delay > now:
                continue
            if entry[i] < since:
                best, since, level = queue, entry[i], priority
        if best is None:
            return False
        answer(best.popleft(), a, now)
        return True

    find_work = longest_waiting if plan.longest_waiting else skill_order

    def longest_idle(groups: list[int]) -> int:
        best, since = -1, inf
        for g in groups:
            pool = idle[g]
            if pool and idle_since[pool[0]] < since:
                best, since = g, idle_since[pool[0]]
        return idle[best].popleft() if best >= 0 else -1

    def first_idle(groups: list[int]) -> int:
        for g in groups:
            pool = idle[g]
            if pool:
                return pool.popleft()
        return -1

    select = first_idle if plan.group_order else longest_idle

    def route(i: int, now: float) -> None:
        """The attempt reaches the agents: an idle one answers, or it waits."""
        k = kind[i]
        groups = immediate[k]
        if len(groups) == 1:
            pool = idle[groups[0]]
            a = pool.popleft() if pool else -1
        else:
            a = select(groups)
        if a >= 0:
            answer(i, a, now)
        else:
            status[i] = WAITING
            queues[k].append(i)
            if patience[i] < inf:
                timeout(patience[i], i).callbacks.append(gives_up)
            if overflow[k]:
                timeout(overflow[k][0][0], (i, 0)).callbacks.append(overflows)

    def dials_in(i: int, now: float) -> None:
        """With lines: a free one (or a busy signal), then the IVR or the agents."""
        nonlocal used
        while line_free and line_free[0] <= now:  # free the lines whose holders are done
            heappop(line_free)  # (every dial-in: the heap stays as small as the lines)
            used -= 1
        if used >= lines:
            status[i] = BLOCKED
            answered_at[i] = now
            if ivr_on:
                entry[i] = now
            if redial_on:
                lost(i, now)
            return
        used += 1
        if ivr_on:
            if has_ivr[kind[i]]:
                if self_served[i]:  # done in the IVR: the line frees when it ends
                    answered_at[i] = entry[i] = now + ivr_time[i]
                    status[i] = SELF_SERVED
                    heappush(line_free, entry[i])
                else:  # leaves the IVR at now + its time: fed in order (see feed)
                    leave = now + ivr_time[i]
                    heappush(due, (leave, next(order), i))
                    if leave < feeder_at and not feeding:
                        wake(leave)
                return
            entry[i] = now
        route(i, now)

    def wake(at: float) -> None:
        """Schedule the feeder at exactly ``at`` (superseding one due later)."""
        nonlocal feeder_at
        feeder_at = at
        event = new_wake(_Wake)
        event.callbacks = feeds
        heappush(env._queue, (at, NORMAL, next(env._eid), event))

    def feed(event: simpy.Event) -> None:
        """With lines: first attempts dialling in and callers leaving the IVR, in time order.

        One SimPy event serves every such step due before the next other event
        (a tie goes to the other event): SimPy's clock is moved to each step's
        time, which is the time, computed the same way, that one event per step
        would have had, so the run is the same.
        """
        nonlocal feeder_at, feeding, next_first
        if env._now != feeder_at:  # superseded by an earlier step (a redial's IVR)
            return
        feeder_at = inf
        feeding = True
        events = env._queue  # SimPy's heap of (time, priority, id, event)
        leaving = due
        exit_next = leaving and leaving[0] < next_first
        while True:
            if exit_next:  # a caller leaves the IVR for the agents
                at, _, i = heappop(leaving)
                env._now = at  # forward only: ``at`` is before every event left
                entry[i] = at
                route(i, at)
            else:  # a first attempt dials in; the next one is due
                at, _, i = next_first
                env._now = at
                arrival[i] = at
                dials_in(i, at)
                j = i + 1
                next_first = (at + (arrival[j] - at), next(order), j) if j < n else NEVER
            exit_next = leaving and leaving[0] < next_first
            step = leaving[0][0] if exit_next else next_first[0]
            if step == inf:
                break
            if events and events[0][0] <= step:
                wake(step)
                break
        feeding = False

    feeds = [feed]  # the callbacks of every _Wake (SimPy only reads them)
    new_wake = _Wake.__new__

    def enters(event: simpy.Event) -> None:
        """A caller leaves the IVR for the agents' queue."""
        i = event.value
        now = env.now
        entry[i] = now
        route(i, now)

    def attempt(i: int, now: float) -> None:
        """An attempt (first call or redial) dials in: to the IVR or queue, or a line."""
        arrival[i] = now
        if lines is None:
            route(i, now)
        else:
            dials_in(i, now)

    def arrives(event: simpy.Event) -> None:
        i = event.value
        now = env.now
        attempt(i, now)
        j = i + 1
        if j < n:
            timeout(arrival[j] - now, j).callbacks.append(arrives)

    def leaves_ivr(event: simpy.Event) -> None:
        """Without lines, the next first attempt leaving the IVR (in order of leaving)."""
        p = event.value
        now = env.now
        i = queue_order[p]
        entry[i] = now
        route(i, now)
        p += 1
        if p < len(queue_order):
            timeout(queue_at[p] - now, p).callbacks.append(leaves_ivr)

    def redials(event: simpy.Event) -> None:
        attempt(event.value, env.now)

    def lost(i: int, now: float) -> None:
        """A lost attempt: its caller may redial (before the center closes)."""
        k = kind[i]
        p = redial_p[k]
        if not p:
            return
        if i < n:
            who, number = i, 1
            choice, later = float(calls.redial[i]), float(calls.redial_delay[i])
        else:
            who, number, choice, later = extra[i - n][:4]
        at = now + later
        if choice >= p or at >= horizon:
            return
        j = n + len(extra)
        if j >= max_attempts:
            raise CCSimInputError(
                f"simulate: redials made more than {max_attempts:,.0f} attempts in one "
                "replication (max_calls / replications); lower Redial.probability, lengthen "
                "Redial.delay_seconds, or raise simulate(..., max_calls=...)")
        service, wrap_up, wait_limit, ivr_seconds, self_choice, again, after = calls.more.next(k)
        if keep_service[k]:
            service, wrap_up = ((float(calls.service[i]), float(calls.wrap_up[i])) if i < n
                                else extra[i - n][4:])
        if keep_patience[k]:
            wait_limit = patience[i]
        extra.append((who, number + 1, again, after, service, wrap_up))
        redialled.append(i)
        arrival.append(at)
        kind.append(k)
        hold.append(service + wrap_up)
        patience.append(wait_limit)
        status.append(0)
        answered_at.append(0.0)
        agent_of.append(-1)
        if lines is not None:
            talk.append(service)
        if ivr_on:
            served = has_ivr[k] and self_choice < share[k]
            if lines is None:  # straight to the end of the IVR
                entry.append(at + ivr_seconds)
                if served:
                    status[j] = SELF_SERVED
                    answered_at[j] = entry[j]
                else:
                    timeout(later + ivr_seconds, j).callbacks.append(enters)
                return
            entry.append(at)
            ivr_time.append(ivr_seconds)
            self_served.append(served)
        timeout(later, j).callbacks.append(redials)

    def gives_up(event: simpy.Event) -> None:
        nonlocal used
        i = event.value
        if status[i] == WAITING:
            now = env.now
            status[i] = ABANDONED
            answered_at[i] = now
            if lines is not None:
                used -= 1
            if watching:
                settles(i, now, False)
            if redial_on:
                lost(i, now)

    def overflows(event: simpy.Event) -> None:
        i, level = event.value
        if status[i] != WAITING:
            return
        levels = overflow[kind[i]]
        a = select(levels[level][1])
        if a >= 0:
            answer(i, a, env.now)
        elif level + 1 < len(levels):
            timeout(levels[level + 1][0] - levels[level][0], (i, level + 1)).callbacks.append(
                overflows)

    # ------------------------------------------------------------ agents
    def becomes_free(a: int, now: float) -> None:
        if find_work(a, now):
            return
        g = group_of[a]
        if closing[g]:
            log_out(a, now)
        else:
            state[a] = IDLE
            idle_since[a] = now
            idle[g].append(a)
            if blend_of is not None and blend_of[g] is not None:
                blends(g, now)

    def blends(g: int, now: float) -> None:
        """Idle agents beyond the reserve take blended work (backlog first), while any."""
        pool = idle[g]
        queue = backlog_queue[g]
        while len(pool) > reserve[g] and now < horizon and (queue or outbound_on[g]):
            count = len(pool)
            a = pool.pop()  # the most recently idle
            if queue:
                item = queue.popleft()
                what, length = _blend.BACKLOG, backlog_work[g][item]
            else:
                item = -1
                connected, length = blend_of[g].attempt()
                what = _blend.OUTBOUND_CONNECTED if connected else _blend.OUTBOUND_MISSED
            state[a] = BUSY
            call_start[a] = now
            blend_work.append((a, g, what, now, now + length, item, count))
            timeout(length, a).callbacks.append(call_ends)

    def backlog_arrives(event: simpy.Event) -> None:
        g, item = event.value
        now = env.now
        backlog_queue[g].append(item)
        blends(g, now)
        arrivals = blend_of[g].backlog_arrival
        if item + 1 < arrivals.size:
            timeout(arrivals[item + 1] - now, (g, item + 1)).callbacks.append(backlog_arrives)

    def call_ends(event: simpy.Event) -> None:
        a = event.value
        now = env.now
        what = pending[a]
        if what == STAY:
            becomes_free(a, now)
            return
        pending[a] = STAY
        if what == PULL:
            lend(a, now)
            return
        log_out(a, now)
        if what == TAKE_BREAK:
            state[a] = ON_BREAK
            timeout(break_length[a], a).callbacks.append(break_ends)

    def log_in(a: int, now: float) -> None:
        login_at[a] = now
        due_at[a] = inf
        on_duty[duty_of[a]] += 1
        becomes_free(a, now)

    def log_out(a: int, now: float) -> None:
        """End the agent's session now (an idle agent must be off its group's list)."""
        if due_at[a] == inf:  # not announced before: leaving as planned, now
            due_at[a] = now
            on_duty[duty_of[a]] -= 1
        sessions.append((a, login_at[a], due_at[a], now))
        state[a] = OFF
        if pulling and home[a] >= 0:
            comes_back(home[a], now)

    def announce(a: int, what: int, now: float) -> None:
        """An agent on a call will leave (or go on break) when the call ends."""
        pending[a] = what
        if due_at[a] == inf:
            due_at[a] = now
            on_duty[duty_of[a]] -= 1

    # ------------------------------------------------------------ pulled agents
    def lend(a: int, now: float) -> None:
        """Agent ``a`` leaves its group for the pulling one: its stand-in logs in."""
        sessions.append((a, login_at[a], now, now))
        state[a] = PULLED
        log_in(twin[a], now)

    def comes_back(a: int, now: float) -> None:
        """The stand-in of pulled agent ``a`` logged out: ``a`` returns (or goes home)."""
        home[twin[a]] = -1
        twin[a] = -1
        if gone[a]:  # its shift or count ended while pulled (on_duty already counted)
            gone[a] = False
            state[a] = OFF
            return
        g = group_of[a]
        if closing[g]:  # a counts-staffed group after the horizon: not needed any more
            state[a] = OFF
            on_duty[g] -= 1
            return
        login_at[a] = now  # still on duty in its group's count (never left it)
        due_at[a] = inf
        becomes_free(a, now)

    def send_home(a: int, now: float) -> None:
        """Pulled agent ``a`` is due to leave: its stand-in leaves (after the call in hand)."""
        gone[a] = True
        t = twin[a]
        if state[t] == IDLE:
            idle[group_of[t]].remove(t)
            log_out(t, now)
        elif state[t] == BUSY and pending[t] == STAY:
            announce(t, LEAVE, now)

    def unlink(a: int) -> None:
        """Agent ``a`` was to be pulled after its call, but leaves (or the team does)."""
        home[twin[a]] = -1
        twin[a] = -1

    def pull(team: _standby.Team, now: float) -> None:
        """The team's stand-ins take agents of the source group: idle ones now, busy ones later."""
        src = team.plan.pull_from
        group = plan.groups[src]
        stand_ins = iter(team.agents)
        chosen = [a for a in idle[src] if a < standby_from][:team.plan.agents]
        busy = sorted((call_start[a], a)
                      for a in range(group.first_agent, group.first_agent + group.n_agents)
                      if state[a] == BUSY and pending[a] == STAY)
        chosen += [a for _, a in busy[:team.plan.agents - len(chosen)]]
        for a in chosen:
            t = next(stand_ins)
            twin[a], home[t] = t, a
            pulls.append((team_number[id(team)], t, a, now))
            if state[a] == IDLE:
                idle[src].remove(a)
                lend(a, now)
            else:
                pending[a] = PULL

    # ------------------------------------------------------------ staffing
    def set_count(event: simpy.Event) -> None:
        g, target = event.value
        now = env.now
        group = plan.groups[g]
        pool = range(group.first_agent, group.first_agent + group.n_agents)
        if target > on_duty[g]:
            for a in pool:  # agents due to leave stay
                if on_duty[g] == target:
                    break
                if pending[a] == LEAVE:
                    pending[a] = STAY
                    due_at[a] = inf
                    on_duty[g] += 1
            for a in pool:
                if on_duty[g] == target:
                    break
                if state[a] == OFF:
                    log_in(a, now)
        if teams:  # standby agents stay: they leave by their own rules
            kept = []
            while on_duty[g] > target and idle[g]:
                a = idle[g].pop()
                if a >= standby_from:
                    kept.append(a)
                else:
                    log_out(a, now)
            idle[g].extend(reversed(kept))
        else:
            while on_duty[g] > target and idle[g]:
                log_out(idle[g].pop(), now)
        if pulling and on_duty[g] > target:  # agents pulled away are the first to go
            for a in pool:
                if on_duty[g] == target:
                    break
                if state[a] == PULLED and not gone[a]:
                    on_duty[g] -= 1
                    send_home(a, now)
        if on_duty[g] > target:
            busy = sorted((call_start[a], a) for a in pool
                          if state[a] == BUSY and pending[a] == STAY)
            for _, a in busy[:on_duty[g] - target]:
                announce(a, LEAVE, now)

    def shift_event(event: simpy.Event) -> None:
        a, action, length = event.value
        now = env.now
        if action == LOGIN:
            if state[a] == OFF:
                log_in(a, now)
        elif action == BREAK:
            if state[a] == IDLE:
                idle[group_of[a]].remove(a)
                log_out(a, now)
                state[a] = ON_BREAK
                timeout(length, a).callbacks.append(break_ends)
            elif state[a] == BUSY and pending[a] == STAY:
                break_length[a] = length
                announce(a, TAKE_BREAK, now)
        else:  # LOGOUT
            if state[a] == IDLE:
                idle[group_of[a]].remove(a)
                log_out(a, now)
            elif state[a] == BUSY:
                if pending[a] == PULL:
                    unlink(a)
                announce(a, LEAVE, now)
            elif state[a] == ON_BREAK:
                state[a] = OFF
            elif state[a] == PULLED:
                send_home(a, now)

    def break_ends(event: simpy.Event) -> None:
        a = event.value
        if state[a] == ON_BREAK:
            state[a] = OFF
            log_in(a, env.now)

    def closes(event: simpy.Event) -> None:
        now = env.now
        for team in teams:  # shift groups: the standby leaves; counts groups: see below
            if team.pulls and team.state == _standby.ON_PHONES:  # nobody pulled any more
                for a in team.agents:
                    if state[a] == OFF and home[a] >= 0:
                        pending[home[a]] = STAY
                        unlink(home[a])
            if team.state == _standby.ON_PHONES:
                if plan.groups[team.group].counts is None:
                    release(team, now)
                else:
                    team.state = _standby.RELEASED
                    team.times[2] = now
        for g, group in enumerate(plan.groups):
            if group.counts is None:
                continue
            closing[g] = True
            while idle[g]:
                log_out(idle[g].pop(), now)
            for a in range(group.first_agent, group.first_agent + group.n_agents):
                if state[a] == BUSY and due_at[a] == inf:
                    due_at[a] = now
                    on_duty[g] -= 1
            for level in group.standby:
                for a in range(level.first_agent, level.first_agent + level.agents):
                    if state[a] == BUSY and due_at[a] == inf:
                        due_at[a] = now
                        on_duty[duty_of[a]] -= 1

    # ------------------------------------------------------------ standby
    skills_of = [[queues[k] for k in range(len(plan.types)) if g in plan.skill_groups[k]]
                 for g in range(len(plan.groups))]

    def check(event: simpy.Event) -> None:
        """Every CHECK_SECONDS: call the standby teams whose trigger holds, release others."""
        now = env.now
        for team in teams:
            if team.state in (_standby.CALLED, _standby.RELEASED) or team.waits_for_previous:
                continue
            waiting = overdue = 0
            for queue in skills_of[team.group]:
                for i in queue:
                    if status[i] == WAITING:
                        waiting += 1
                        overdue += now - entry[i] > within[kind[i]]
            holds = team.holds(now, waiting, overdue)
            if team.state == _standby.WAITING:
                if holds:
                    team.state = _standby.CALLED
                    team.times[0] = now
                    timeout(team.plan.call_in_seconds, team).callbacks.append(standby_arrives)
            elif not holds and team.may_leave(now):
                release(team, now)
        if now + CHECK_SECONDS < horizon:
            timeout(CHECK_SECONDS).callbacks.append(check)

    def standby_arrives(event: simpy.Event) -> None:
        team = event.value
        now = env.now
        if now >= horizon:  # too late: the center has closed
            team.state = _standby.RELEASED
            return
        team.state = _standby.ON_PHONES
        team.times[1] = now
        if team.pulls:
            pull(team, now)
            return
        for a in team.agents:
            log_in(a, now)

    def release(team: _standby.Team, now: float) -> None:
        """The team leaves: idle agents now, busy ones after the call in hand."""
        team.state = _standby.RELEASED
        team.times[2] = now
        for a in team.agents:
            if state[a] == IDLE:
                idle[team.group].remove(a)
                log_out(a, now)
            elif state[a] == BUSY and pending[a] == STAY:
                announce(a, LEAVE, now)
            elif team.pulls and state[a] == OFF and home[a] >= 0:  # still finishing a call
                source = home[a]
                pending[source] = STAY
                unlink(source)

    # ------------------------------------------------------------ schedule and run
    interval = plan.interval_seconds
    for g, group in enumerate(plan.groups):
        if group.counts is not None:
            last = 0
            for j, count in enumerate(group.counts.tolist()):
                if count != last or j == 0:
                    timeout(j * interval, (g, int(count))).callbacks.append(set_count)
                last = count
        for time, a, action, length in group.schedule:
            timeout(time, (a, action, length)).callbacks.append(shift_event)
    if blend_of is not None:
        for g, draws in enumerate(blend_of):
            if draws is not None and draws.backlog_arrival.size:
                timeout(draws.backlog_arrival[0], (g, 0)).callbacks.append(backlog_arrives)
    timeout(plan.horizon_seconds).callbacks.append(closes)
    if teams and CHECK_SECONDS < horizon:
        timeout(CHECK_SECONDS).callbacks.append(check)
    if ivr_on and lines is None:
        if queue_order:
            timeout(queue_at[0], 0).callbacks.append(leaves_ivr)
    elif n and lines is not None:
        next_first = (arrival[0], next(order), 0)
        wake(arrival[0])
    elif n:
        timeout(arrival[0], 0).callbacks.append(arrives)
    env.run()

    end = env.now
    for a in range(n_agents):  # nobody should still be logged in; close any span left
        if state[a] in (IDLE, BUSY):
            sessions.append((a, login_at[a], min(due_at[a], end), end))
    status_array = np.asarray(status, dtype=np.int8)
    arrival_array = np.asarray(arrival)
    entry_array = np.asarray(entry) if ivr_on else arrival_array
    stop = np.where(status_array == WAITING, end, np.asarray(answered_at))
    session = np.asarray(sessions, dtype=float).reshape(-1, 4)
    flags = np.zeros(status_array.size, dtype=bool)
    flags[redialled] = True
    attempts = dict(call_type=calls.call_type, service=calls.service, wrap_up=calls.wrap_up,
                    caller=np.arange(n, dtype=np.int64), attempt=np.ones(n, dtype=np.int32))
    if extra:
        more = np.array(extra, dtype=float).reshape(-1, 6)
        attempts = dict(
            call_type=np.concatenate((calls.call_type, np.asarray(kind[n:], dtype=np.int32))),
            service=np.concatenate((calls.service, more[:, 4])),
            wrap_up=np.concatenate((calls.wrap_up, more[:, 5])),
            caller=np.concatenate((attempts["caller"], more[:, 0].astype(np.int64))),
            attempt=np.concatenate((attempts["attempt"], more[:, 1].astype(np.int32))))
    return EngineOutput(
        arrival=arrival_array, status=status_array, wait=stop - entry_array,
        agent=np.asarray(agent_of, dtype=np.int32),
        session_agent=session[:, 0].astype(np.int32), session_start=session[:, 1],
        session_due=session[:, 2], session_end=session[:, 3], end_seconds=float(end),
        entry=entry_array, redialled=flags,
        standby=np.array([team.times for team in teams], dtype=float) if teams else None,
        blend_work=(None if blend_of is None
                    else np.array(blend_work, dtype=float).reshape(-1, 7)),
        pulls=np.array(pulls, dtype=float).reshape(-1, 4) if pulling else None,
        **attempts)
