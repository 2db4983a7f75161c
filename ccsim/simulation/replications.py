"""Replications: independent seed streams, run on any ``concurrent.futures`` executor.

The root seed gives one :class:`numpy.random.SeedSequence`; replication ``r``
uses its ``r``-th spawned child and nothing else, and the results are put back
in replication order, so the same seed gives bit-identical results whether the
replications run here, on a process pool or on a Dask cluster
(``client.get_executor()``): ccsim brings no scheduler of its own.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

import numpy as np

from ccsim._validation import CCSimInputError, check_bool, check_count
from ccsim.simulation import engine
from ccsim.simulation._plan import Plan, compile_plan, sample_calls
from ccsim.simulation._stats import Tally, tally
from ccsim.simulation.results import SimulationResult
from ccsim.simulation.scenario import Scenario

__all__ = ["simulate"]

# Below this many expected calls in all, executor=None runs in this process:
# starting worker processes would cost more than it saves.
SERIAL_BELOW_CALLS = 200_000
# At most this many tasks: each task runs a block of consecutive replications.
MAX_TASKS = 64


def run_replications(plan: Plan, seeds: Sequence[np.random.SeedSequence],
                     keep_calls: bool) -> list[Tally]:
    """Run some replications of a plan (the unit of work sent to an executor)."""
    tallies = []
    for seed in seeds:
        draws = sample_calls(plan, seed)
        tallies.append(tally(plan, draws, engine.run(plan, draws), keep_calls))
    return tallies


def _root_seed(seed: Any) -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(int(seed.integers(2**63)))
    if seed is None or (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool)
                        and seed >= 0):
        return np.random.SeedSequence(None if seed is None else int(seed))
    raise CCSimInputError(
        "seed must be an int >= 0, a numpy.random.SeedSequence, a numpy.random.Generator or "
        f"None (fresh entropy, reported as result.seed); got {seed!r}")


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
) -> SimulationResult:
    """Simulate a scenario: independent replications, each a full run of the horizon.

    Parameters
    ----------
    scenario : Scenario
        What to simulate (validated when it was built).
    seed : int, SeedSequence, Generator or None
        The root of every random number; None draws fresh entropy (reported as
        ``result.seed``, so the run can be repeated).
    replications : int, default 1
        Independent runs; confidence intervals are taken across them.
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

    Returns
    -------
    SimulationResult

    Notes
    -----
    Process pools use the platform's default start method: on macOS and
    Windows a script must guard its call with ``if __name__ == "__main__":``.

    Examples
    --------
    >>> from ccsim.simulation import AgentGroup, CallType, Scenario, simulate
    >>> scenario = Scenario(
    ...     [CallType("retail", arrivals_per_hour=600, aht_seconds=180, patience_seconds=120)],
    ...     [AgentGroup("team", skills=["retail"], agents=35)], hours=2)
    >>> result = simulate(scenario, seed=7, replications=2)
    >>> result.summary().loc["retail", ["offered", "service_level"]].round(3).tolist()
    [1187.5, 0.951]
    """
    if not isinstance(scenario, Scenario):
        raise CCSimInputError(f"scenario must be a Scenario; got {type(scenario).__name__}")
    count = int(check_count("replications", replications, low=1))
    keep = check_bool("keep_calls", keep_calls)
    root = _root_seed(seed)
    plan = compile_plan(scenario)
    seeds = root.spawn(count)
    size = math.ceil(count / MAX_TASKS)
    blocks = [seeds[i:i + size] for i in range(0, count, size)]

    mode = executor
    if mode is None:
        small = count == 1 or plan.expected_calls * count < SERIAL_BELOW_CALLS
        mode = "serial" if small else "processes"
    if mode == "serial":
        tallies = run_replications(plan, seeds, keep)
    elif mode == "processes":
        with ProcessPoolExecutor(max_workers=min(_workers(), len(blocks))) as pool:
            tallies = _gather(pool, plan, blocks, keep)
    elif isinstance(executor, Executor) or hasattr(executor, "submit"):
        tallies = _gather(executor, plan, blocks, keep)
    else:
        raise CCSimInputError(
            "executor must be a concurrent.futures.Executor (e.g. a Dask client's "
            f"get_executor()), 'serial', 'processes' or None; got {executor!r}")
    return SimulationResult(scenario, plan, tallies, _entropy(root), keep)


def _gather(executor: Any, plan: Plan, blocks: list, keep: bool) -> list[Tally]:
    futures = [executor.submit(run_replications, plan, block, keep) for block in blocks]
    return [t for future in futures for t in future.result()]


def _entropy(root: np.random.SeedSequence) -> int | np.random.SeedSequence:
    """What reproduces the run as ``seed=``: the root's entropy, or the root itself."""
    if isinstance(root.entropy, (int, np.integer)) and not root.spawn_key:
        return int(root.entropy)
    return root
