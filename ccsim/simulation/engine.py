"""The SimPy model: one dispatcher where calls and agents meet.

Every change of state is a SimPy event that carries its time and one callback:
the next arrival, the end of a call (talk and wrap-up), a caller's patience
running out, a call's overflow delay, a staffing change, a break or the end of a
shift, and the closing of the center. Nothing polls and no process runs per
call, so an event costs a heap push, a pop and one Python function.

Routing, as in docs/design.md:

* an arriving call goes to the longest-idle agent among the groups that have
  its skill (or overflow to it without delay); otherwise it joins the call
  type's first-in-first-out queue;
* a freed agent takes the oldest waiting call of the first call type in its
  group's preference order that has one (for an overflow call type: only a
  call that has waited at least the overflow delay);
* when a call's overflow delay expires, the longest-idle agent of the groups it
  now overflows to answers it, if any is idle;
* a call still waiting when its patience runs out abandons (the patience event
  of an answered call finds it answered and does nothing: it is never removed).

The dispatcher is one function whose nested callbacks share its state (lists
indexed by call and by agent) through closures, which CPython reaches faster
than attributes. Queues and idle lists are deques; a call that left a queue
(answered by an overflow group, or abandoned) stays in it until it reaches the
head and is then dropped, so every operation on the hot path is O(1).

Staffing: a counts-staffed group changes its number of logged-in agents at the
interval boundaries. Fewer agents: idle ones log out first (the most recently
idle first), then agents on a call leave when it ends (the longest on their call
first); more agents: agents due to leave stay, then others log in. At the
scenario's end those groups close: idle agents log out and busy ones keep
answering until no call waits for them. Shift agents log in, take their breaks
and log out at their own times, each finishing the call in hand first (a
delayed break keeps its full length).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from math import inf

import numpy as np
import simpy

from ccsim.simulation._plan import BREAK, LOGIN, Calls, Plan

__all__ = ["EngineOutput", "run"]

# call status
ANSWERED, ABANDONED, WAITING = 1, 2, 3
# agent state
OFF, IDLE, BUSY, ON_BREAK = 0, 1, 2, 3
# what an agent on a call does when it ends
STAY, LEAVE, TAKE_BREAK = 0, 1, 2


@dataclass(frozen=True)
class EngineOutput:
    """What happened to each call and agent in one replication."""

    arrival: np.ndarray  # [s]
    status: np.ndarray  # ANSWERED, ABANDONED or WAITING (still waiting at the end)
    wait: np.ndarray  # [s] until answered, abandoned or the end of the run
    agent: np.ndarray  # -1 when not answered
    session_agent: np.ndarray  # one row per logged-in span of an agent
    session_start: np.ndarray
    session_due: np.ndarray  # when the agent was due to log out or go on break
    session_end: np.ndarray  # when it did (after the call in hand)
    end_seconds: float  # time of the last event


def run(plan: Plan, calls: Calls) -> EngineOutput:
    """Simulate one replication of ``plan`` with the draws ``calls``."""
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

    queues = [deque() for _ in plan.types]
    immediate = [list(g) for g in plan.immediate]
    overflow = [list(levels) for levels in plan.overflow]
    preference = [[(queues[k], delay) for k, delay in entries] for entries in plan.preference]
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
    on_duty = [0] * len(plan.groups)
    closing = [False] * len(plan.groups)
    sessions: list[tuple[int, float, float, float]] = []

    # ------------------------------------------------------------ calls
    def answer(i: int, a: int, now: float) -> None:
        status[i] = ANSWERED
        answered_at[i] = now
        agent_of[i] = a
        state[a] = BUSY
        call_start[a] = now
        timeout(hold[i], a).callbacks.append(call_ends)

    def find_work(a: int, now: float) -> bool:
        for queue, delay in preference[group_of[a]]:
            while queue:
                i = queue[0]
                if status[i] != WAITING:
                    queue.popleft()
                    continue
                if delay and arrival[i] + delay > now:
                    break
                queue.popleft()
                answer(i, a, now)
                return True
        return False

    def longest_idle(groups: list[int]) -> int:
        best, since = -1, inf
        for g in groups:
            pool = idle[g]
            if pool and idle_since[pool[0]] < since:
                best, since = g, idle_since[pool[0]]
        return idle[best].popleft() if best >= 0 else -1

    def arrives(event: simpy.Event) -> None:
        i = event.value
        now = env.now
        arrival[i] = now
        k = kind[i]
        groups = immediate[k]
        if len(groups) == 1:
            pool = idle[groups[0]]
            a = pool.popleft() if pool else -1
        else:
            a = longest_idle(groups)
        if a >= 0:
            answer(i, a, now)
        else:
            status[i] = WAITING
            queues[k].append(i)
            if patience[i] < inf:
                timeout(patience[i], i).callbacks.append(gives_up)
            if overflow[k]:
                timeout(overflow[k][0][0], (i, 0)).callbacks.append(overflows)
        j = i + 1
        if j < n:
            timeout(arrival[j] - now, j).callbacks.append(arrives)

    def gives_up(event: simpy.Event) -> None:
        i = event.value
        if status[i] == WAITING:
            status[i] = ABANDONED
            answered_at[i] = env.now

    def overflows(event: simpy.Event) -> None:
        i, level = event.value
        if status[i] != WAITING:
            return
        levels = overflow[kind[i]]
        a = longest_idle(levels[level][1])
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

    def call_ends(event: simpy.Event) -> None:
        a = event.value
        now = env.now
        what = pending[a]
        if what == STAY:
            becomes_free(a, now)
            return
        pending[a] = STAY
        log_out(a, now)
        if what == TAKE_BREAK:
            state[a] = ON_BREAK
            timeout(break_length[a], a).callbacks.append(break_ends)

    def log_in(a: int, now: float) -> None:
        login_at[a] = now
        due_at[a] = inf
        on_duty[group_of[a]] += 1
        becomes_free(a, now)

    def log_out(a: int, now: float) -> None:
        """End the agent's session now (an idle agent must be off its group's list)."""
        if due_at[a] == inf:  # not announced before: leaving as planned, now
            due_at[a] = now
            on_duty[group_of[a]] -= 1
        sessions.append((a, login_at[a], due_at[a], now))
        state[a] = OFF

    def announce(a: int, what: int, now: float) -> None:
        """An agent on a call will leave (or go on break) when the call ends."""
        pending[a] = what
        if due_at[a] == inf:
            due_at[a] = now
            on_duty[group_of[a]] -= 1

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
        while on_duty[g] > target and idle[g]:
            log_out(idle[g].pop(), now)
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
                announce(a, LEAVE, now)
            elif state[a] == ON_BREAK:
                state[a] = OFF

    def break_ends(event: simpy.Event) -> None:
        a = event.value
        if state[a] == ON_BREAK:
            state[a] = OFF
            log_in(a, env.now)

    def closes(event: simpy.Event) -> None:
        now = env.now
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
    timeout(plan.horizon_seconds).callbacks.append(closes)
    if n:
        timeout(arrival[0], 0).callbacks.append(arrives)
    env.run()

    end = env.now
    for a in range(n_agents):  # nobody should still be logged in; close any span left
        if state[a] in (IDLE, BUSY):
            sessions.append((a, login_at[a], min(due_at[a], end), end))
    status_array = np.asarray(status, dtype=np.int8)
    arrival_array = np.asarray(arrival)
    stop = np.where(status_array == WAITING, end, np.asarray(answered_at))
    session = np.asarray(sessions, dtype=float).reshape(-1, 4)
    return EngineOutput(
        arrival=arrival_array, status=status_array, wait=stop - arrival_array,
        agent=np.asarray(agent_of, dtype=np.int32),
        session_agent=session[:, 0].astype(np.int32), session_start=session[:, 1],
        session_due=session[:, 2], session_end=session[:, 3], end_seconds=float(end))
