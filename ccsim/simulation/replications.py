"""Replications: independent seed streams, run on any ``concurrent.futures`` executor.

The root seed gives one :class:`numpy.random.SeedSequence`; replication ``r``
uses its ``r``-th child (``spawn_key + (r,)``) and nothing else, and the results
are put back in replication order, so the same seed gives bit-identical results
whether the replications run here, on a process pool or on a Dask cluster
(``client.get_executor()``): ccsim brings no scheduler of its own. A
SeedSequence passed as the seed is read (entropy, spawn key, pool size), never
spawned from, so passing it again, or ``result.seed``, repeats the run.

Before anything is drawn, :func:`simulate` estimates the work from the scenario
and refuses what cannot fit (:data:`MAX_CALLS`, :data:`MAX_REPLICATIONS`,
:data:`MAX_TALLY_VALUES`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

import numpy as np

from ccsim._validation import CCSimInputError, check_bool, check_size
from ccsim.simulation import _inputs, engine
from ccsim.simulation._inputs import show
from ccsim.simulation._plan import Plan, compile_plan, sample_calls
from ccsim.simulation._stats import AGENT_TIMES, CALL_COUNTS, Tally, tally
from ccsim.simulation.results import SimulationResult
from ccsim.simulation.scenario import Scenario

__all__ = ["simulate"]

# Below this many expected calls in all, executor=None runs in this process:
# starting worker processes would cost more than it saves.
SERIAL_BELOW_CALLS = 200_000
# At most this many tasks: each task runs a block of consecutive replications.
MAX_TASKS = 64
# Expected calls over all replications (simulate(max_calls=...) raises it). Measured
# (1.8 million calls in one replication): 320 bytes per call at the peak of a
# replication, 40 more kept per call with keep_calls=True, 7-10 microseconds of CPU.
# 10 million calls are at most 3.2 GB and about two minutes: what a laptop can take.
MAX_CALLS = 10_000_000
# Replications: confidence intervals gain little beyond a few thousand; each one
# costs a seed stream, a SimPy run and its tallies.
MAX_REPLICATIONS = 100_000
# Numbers in the tallies of all replications (intervals x (14 per call type + 2 per
# group) x replications, 8 bytes each): 50 million is 400 MB, and the interval
# tables built from them take a few times that.
MAX_TALLY_VALUES = 50_000_000
# numpy's default SeedSequence pool size (an int seed gives this one)
_DEFAULT_POOL_SIZE = np.random.SeedSequence(0).pool_size
# The largest max_calls: counts stay exact in floats and Poisson draws possible.
_CALLS_CEILING = 2**53


def run_replications(plan: Plan, seeds: Sequence[np.random.SeedSequence],
                     keep_calls: bool, max_attempts: float = math.inf) -> list[Tally]:
    """Run some replications of a plan (the unit of work sent to an executor).

    ``max_attempts`` bounds the attempts (first calls and redials) of each.
    """
    tallies = []
    for seed in seeds:
        draws = sample_calls(plan, seed)
        tallies.append(tally(plan, draws, engine.run(plan, draws, max_attempts), keep_calls))
    return tallies


def _root_seed(seed: Any) -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        # a copy: spawn() would change the caller's sequence (and this run's children
        # the next time it is passed); the spawn key keeps a spawned child apart
        # from its siblings
        return np.random.SeedSequence(seed.entropy, spawn_key=seed.spawn_key,
                                      pool_size=seed.pool_size)
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(int(seed.integers(2**63)))
    if seed is None or (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool)
                        and seed >= 0):
        return np.random.SeedSequence(None if seed is None else int(seed))
    raise CCSimInputError(
        "seed must be an int >= 0, a numpy.random.SeedSequence, a numpy.random.Generator or "
        f"None (fresh entropy, reported as result.seed); got {show(seed)}")


def _children(root: np.random.SeedSequence, count: int) -> list[np.random.SeedSequence]:
    """``root.spawn(count)`` of a fresh root, without changing ``root``."""
    return [np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, r),
                                   pool_size=root.pool_size) for r in range(count)]


def _check_work(plan: Plan, count: int, max_calls: float) -> None:
    """Refuse a run whose calls or tallies cannot fit, before anything is drawn."""
    calls = plan.expected_calls * count
    check_size("simulate: the expected calls (arrival rates x horizon_hours x replications)",
               calls, max_calls, unit="calls",
               how="use a shorter horizon_hours or fewer replications, or raise the limit "
               "with simulate(..., max_calls=...) if the memory and time are there "
               "(up to 320 bytes and 10 microseconds per call)")
    per_interval = len(CALL_COUNTS) * len(plan.types) + len(AGENT_TIMES) * len(plan.groups)
    check_size(f"simulate: the tallies (intervals x ({len(CALL_COUNTS)} per call type + "
               f"{len(AGENT_TIMES)} per group) x replications)",
               float(plan.n_intervals) * per_interval * count,
               MAX_TALLY_VALUES, unit="numbers",
               how="use fewer replications, longer intervals or a shorter horizon_hours")


def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def simulate(
    scenario: Scenario,
    seed: int | np.random.SeedSequence | np.random.Generator | None = None,
    replications: int = 1,
    executor: Executor | str | None = None,
    *,
    keep_calls: bool = True,
    max_calls: float = MAX_CALLS,
) -> SimulationResult:
    """Simulate a scenario: independent replications, each a full run of the horizon.

    Parameters
    ----------
    scenario : Scenario
        What to simulate (validated when it was built).
    seed : int, SeedSequence, Generator or None
        The root of every random number; None draws fresh entropy (reported as
        ``result.seed``, so the run can be repeated). A SeedSequence is not
        changed: the same one (e.g. a spawned child) gives the same run, its
        siblings independent ones.
    replications : int, default 1
        Independent runs; confidence intervals are taken across them. At most
        ``MAX_REPLICATIONS`` (100,000).
    executor : concurrent.futures.Executor, "serial", "processes" or None
        Where replications run: any Executor (e.g. a Dask ``distributed``
        client's ``client.get_executor()``; not shut down here), ``"serial"``
        (this process), ``"processes"`` (a local process pool, one worker per
        CPU, created and shut down here). None: serial when the run is small
        (fewer than 200,000 expected calls in all, or one replication), else a
        local process pool. The results are the same in every case.
    keep_calls : bool, default True
        Keep one record per call and per agent session (``result.calls``,
        ``result.sessions``). False keeps only the interval tallies: much less
        memory for many long replications.
    max_calls : float, default MAX_CALLS (10 million)
        The most calls expected over all replications (the arrival rates over
        ``horizon_hours``, times ``replications``) that the run may draw; raise it
        for a bigger run if the memory and time are there (up to 320 bytes at
        the peak of a replication and 10 microseconds per call), up to 2**53.
        Redials are made during the run: a replication whose attempts (first
        calls and redials) pass ``max_calls / replications`` is stopped with a
        CCSimInputError.

    Returns
    -------
    SimulationResult

    Raises
    ------
    CCSimInputError
        A bad argument, or a run too big: more expected calls than ``max_calls``,
        more replications than ``MAX_REPLICATIONS``, or more numbers in the
        tallies than ``MAX_TALLY_VALUES``; the message gives the size and the
        limit. Scenario limits are checked when the Scenario is built.

    Notes
    -----
    Process pools use the platform's default start method: on macOS and
    Windows a script must guard its call with ``if __name__ == "__main__":``.

    Examples
    --------
    >>> from ccsim.simulation import AgentGroup, CallType, Scenario, simulate
    >>> scenario = Scenario(
    ...     [CallType("retail", arrivals_per_hour=600, aht_seconds=180, patience_seconds=120)],
    ...     [AgentGroup("team", skills=["retail"], agents=35)], horizon_hours=2)
    >>> result = simulate(scenario, seed=7, replications=2)
    >>> result.summary().loc["retail", ["offered", "service_level"]].round(3).tolist()
    [1187.5, 0.951]
    """
    if not isinstance(scenario, Scenario):
        raise CCSimInputError(f"scenario must be a Scenario; got {type(scenario).__name__}")
    count = _inputs.whole("replications", replications, low=1)
    check_size("simulate: replications", float(count), MAX_REPLICATIONS, unit="replications",
               how="confidence intervals gain little beyond a few thousand")
    keep = check_bool("keep_calls", keep_calls)
    limit = _inputs.number("max_calls", max_calls, low=0.0, high=_CALLS_CEILING)
    named = isinstance(executor, str) and executor in ("serial", "processes")
    if not (executor is None or named or isinstance(executor, Executor)
            or callable(getattr(executor, "submit", None))):
        raise CCSimInputError(
            "executor must be a concurrent.futures.Executor (e.g. a Dask client's "
            f"get_executor()), 'serial', 'processes' or None; got {show(executor)}")
    root = _root_seed(seed)
    plan = compile_plan(scenario)
    _check_work(plan, count, limit)
    seeds = _children(root, count)
    size = math.ceil(count / MAX_TASKS)
    blocks = [seeds[i:i + size] for i in range(0, count, size)]

    # redials are made during the run: each replication may make up to its share of
    # max_calls (and at least its first attempts) before it is refused
    attempts = limit / count
    mode = executor if named else None
    if executor is None:
        small = count == 1 or plan.expected_calls * count < SERIAL_BELOW_CALLS
        mode = "serial" if small else "processes"
    if mode == "serial":
        tallies = run_replications(plan, seeds, keep, attempts)
    elif mode == "processes":
        with ProcessPoolExecutor(max_workers=min(_workers(), len(blocks))) as pool:
            tallies = _gather(pool, plan, blocks, keep, attempts)
    else:
        tallies = _gather(executor, plan, blocks, keep, attempts)
    return SimulationResult(scenario, plan, tallies, _entropy(root), keep)


def _gather(executor: Any, plan: Plan, blocks: list, keep: bool, attempts: float
            ) -> list[Tally]:
    futures = [executor.submit(run_replications, plan, block, keep, attempts)
               for block in blocks]
    return [t for future in futures for t in future.result()]


def _entropy(root: np.random.SeedSequence) -> int | np.random.SeedSequence:
    """What reproduces the run as ``seed=``: the root's entropy, or the root itself.

    ``root`` is ccsim's own copy, never spawned from: a spawned child keeps its
    spawn key, and passing it again gives the same children.
    """
    if isinstance(root.entropy, (int, np.integer)) and not root.spawn_key \
            and root.pool_size == _DEFAULT_POOL_SIZE:
        return int(root.entropy)
    return root
