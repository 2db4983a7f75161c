"""Discrete-event simulation of a multi-skill contact center (the only place using SimPy).

Build a :class:`Scenario` from :class:`CallType` and :class:`AgentGroup`
objects (validated up front), then :func:`simulate` it::

    from ccsim.simulation import AgentGroup, CallType, Scenario, simulate
    scenario = Scenario(
        call_types=[CallType("retail", arrivals_per_hour=600, aht_seconds=180,
                             patience_seconds=120)],
        groups=[AgentGroup("team", skills=["retail"], agents=35)],
        horizon_hours=10, answer_within_seconds=20)
    result = simulate(scenario, seed=7, replications=8)
    result.summary()

Exponential times are the default when only means are given; richer
distributions (:class:`LogNormal`, :class:`Gamma`, :class:`Deterministic`,
:class:`Empirical`) are keyword options. The engine (:mod:`.engine`) is one
SimPy dispatcher driven by events with callbacks; statistics are computed from
arrays at the end (:mod:`.results`); replications run on any
``concurrent.futures`` executor (:mod:`.replications`).

Modelling choices (see also docs/design.md):

* **Time axis.** Calls arrive during ``[0, horizon_hours)``; the center starts
  empty (no call waiting, every agent idle) as in the ContactCenters examples.
  After ``horizon_hours`` no call arrives; agents of counts-staffed groups stay
  until no call waits for them, shift agents leave at the end of their shift.
  Calls still waiting when nobody is left are reported as ``unanswered``.
* **Steady state.** ``Scenario(warmup_hours=...)`` leaves the first intervals out
  of the summary, so runs starting empty can estimate the stationary measures of
  the Erlang formulas; days starting empty need no warm-up.
* **Callers.** ``CallType(redial=Redial(p, delay_seconds))``: an attempt lost
  (abandoned, or blocked by a busy signal) is redialled with probability p
  after the delay, as a new attempt (new patience and talk time unless
  ``keep_patience``/``keep_service``), which may be redialled again. No attempt
  comes after ``horizon_hours``: a redial due later is not made and its caller
  counts as lost. ``CallType(ivr=IVR(seconds, self_service))``: every attempt
  spends its IVR time first and a share is done there; waits, patience and the
  service level count from the end of the IVR. ``Scenario(lines=N)``: lines
  held in the IVR, the queue and the talk (not the wrap-up); an attempt finding
  all N held is blocked. ``Scenario(agent_selection="group-order")``: a call
  goes to the first group (in the scenario's order) with an idle agent instead
  of the longest-idle agent. ``Scenario(call_selection="longest-waiting")``: a
  freed agent takes the call waiting longest among the call types it may take
  (of the highest priority waiting) instead of following its skills' order.
* **Surges and standby.** ``CallType(surges=[Surge(start_hours, end_hours,
  factor)])`` multiplies the arrival rate in a window, keeping the calls of the
  run without it (added calls and thinning draw from streams of their own).
  ``AgentGroup(standby=Standby(agents, call_in_minutes, trigger))``: on-call
  agents called the first time the trigger (``QueueAbove(calls)`` or
  ``ServiceLevelBelow(level, minutes)``) holds at a check (every simulated
  minute), on the phones after the call-in delay, released at the first check
  after their minimum stay when the trigger no longer holds; reported in
  ``result.standby`` and ``result.standby_summary()``. The last escalation
  level pulls agents of another group onto the phones,
  ``Standby(agents, call_in_minutes, trigger, pull_from="backoffice")``: they
  leave their group (after the work in hand) while pulled and come back when
  released. ``standby=[level_1, level_2]`` gives a group several levels,
  called in order; :func:`escalation_effect` (or
  ``result.escalation_effect()``) measures the calls each level saved with
  common random numbers.
* **Blended work.** ``AgentGroup(blend=Blend(reserve, outbound=Outbound(
  connect_rate, talk_seconds, attempt_seconds), backlog=Backlog(items_per_hour,
  work_seconds, due_hours)))``: an idle agent, when no inbound call it may take
  waits and more than ``reserve`` of its group are idle, takes the oldest
  backlog item or else makes an outbound attempt, finishes it and then looks
  for inbound first; reported in ``result.blend`` (attempts, connected, backlog
  done and on time, occupancy by activity).
* **Replay.** ``Scenario.from_calls(calls)`` replays a call log (:mod:`ccsim.io`):
  the recorded arrivals in every replication (``CallType(recorded=RecordedCalls(...))``),
  recorded talk times and patience where the log shows them, the agents per
  interval inferred from the log (:func:`agents_from_calls`); the result's
  ``compare()`` sets the simulation against the log per interval or day.
* **Reporting.** Attempts count in the interval they arrive (dial in) in; a call
  is answered within T when its wait is ``<= T``. ``offered`` are the attempts
  that reached the agents' queue (``attempts = blocked + self_served +
  offered``, ``attempts = fresh + redials``). All three service-level
  definitions are reported: ``service_level`` (/ offered),
  ``service_level_answered`` and ``service_level_excluding_short_abandons``
  (/ offered - abandoned within T); ``p_blocked`` is per attempt, ``p_lost``
  and ``attempts_per_caller`` per caller. ``result.calls`` links a caller's
  attempts (``caller``, ``attempt``).
* **Statistics.** Each replication is one observation; a measure over the run
  is a ratio of means across replications (e.g. total answered within T over
  total offered), with a 95 % delta-method confidence interval.
* **Randomness.** Each replication draws its first attempts up front from its
  own seed stream, one stream per call type and quantity (IVR times,
  self-service and redial choices and redial delays on streams of their own),
  so scenarios compared with the same seed share their callers (common random
  numbers); redial attempts take the next numbers of the same streams as they
  are made. A SeedSequence seed (e.g. a spawned child) is read, never spawned
  from: the same one repeats the run, its siblings give independent ones.
* **Limits.** The work is estimated before anything is drawn and refused with
  a :class:`~ccsim.CCSimInputError` giving its size and the limit: intervals,
  agents, call types and groups when the :class:`Scenario` is built
  (``scenario.MAX_*``), expected calls over all replications (``max_calls=`` of
  :func:`simulate`, default 10 million), replications and tallies when it runs
  (``replications.MAX_*``); times of the distributions up to
  ``distributions.MAX_SECONDS`` (1e9 s).

This package does not import :mod:`ccsim.erlang` or :mod:`ccsim.staffing`: the
tests compare it with those formulas as two independent implementations.
"""

from ccsim.simulation._blend import Backlog, Blend, Outbound
from ccsim.simulation._escalation import escalation_effect
from ccsim.simulation._replay import agents_from_calls
from ccsim.simulation.agents import AgentGroup, Shift
from ccsim.simulation.callers import IVR, RecordedCalls, Redial
from ccsim.simulation.distributions import (
    Deterministic,
    Distribution,
    Empirical,
    Exponential,
    Gamma,
    LogNormal,
)
from ccsim.simulation.replications import simulate
from ccsim.simulation.results import SimulationResult
from ccsim.simulation.scenario import CallType, Scenario
from ccsim.simulation.surges import QueueAbove, ServiceLevelBelow, Standby, Surge

__all__ = [
    "IVR",
    "AgentGroup",
    "Backlog",
    "Blend",
    "CallType",
    "Deterministic",
    "Distribution",
    "Empirical",
    "Exponential",
    "Gamma",
    "LogNormal",
    "Outbound",
    "QueueAbove",
    "RecordedCalls",
    "Redial",
    "Scenario",
    "ServiceLevelBelow",
    "Shift",
    "SimulationResult",
    "Standby",
    "Surge",
    "agents_from_calls",
    "escalation_effect",
    "simulate",
]
