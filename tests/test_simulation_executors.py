"""The same seed gives bit-identical results here, on a process pool and on Dask."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import pandas as pd
import pytest

from ccsim.simulation import AgentGroup, CallType, Scenario, Shift, replications, simulate

SCENARIO = Scenario(
    [CallType("retail", arrivals_per_hour=[400, 700, 500, 300], aht_seconds=200,
              patience_seconds=100, overflow={"desk": 60}),
     CallType("vip", arrivals_per_hour=50, aht_seconds=300, patience_seconds=300, priority=1)],
    [AgentGroup("front", skills=["retail"], agents=[25, 40, 30, 20]),
     AgentGroup("desk", skills=["vip"], shifts=[Shift(0, 2, breaks=[(1, 1.25)], agents=5)])],
    horizon_hours=2)
SEED, REPLICATIONS = 2024, 6


@pytest.fixture(scope="module")
def serial():
    return simulate(SCENARIO, seed=SEED, replications=REPLICATIONS, executor="serial")


def assert_identical(result, reference):
    pd.testing.assert_frame_equal(result.calls, reference.calls, check_exact=True)
    pd.testing.assert_frame_equal(result.sessions, reference.sessions, check_exact=True)
    pd.testing.assert_frame_equal(result.intervals, reference.intervals, check_exact=True)
    pd.testing.assert_frame_equal(result.groups, reference.groups, check_exact=True)
    pd.testing.assert_frame_equal(result.summary(), reference.summary(), check_exact=True)


def test_a_process_pool_gives_the_same_bits(serial):
    with ProcessPoolExecutor(max_workers=2) as pool:
        assert_identical(simulate(SCENARIO, seed=SEED, replications=REPLICATIONS, executor=pool),
                         serial)
    assert_identical(simulate(SCENARIO, seed=SEED, replications=REPLICATIONS,
                              executor="processes"), serial)


def test_the_default_executor_gives_the_same_bits(serial, monkeypatch):
    monkeypatch.setattr(replications, "SERIAL_BELOW_CALLS", 0)  # large enough for a pool
    assert_identical(simulate(SCENARIO, seed=SEED, replications=REPLICATIONS), serial)
    monkeypatch.setattr(replications, "MAX_TASKS", 4)  # blocks of two replications
    assert_identical(simulate(SCENARIO, seed=SEED, replications=REPLICATIONS,
                              executor="processes"), serial)


def test_a_dask_cluster_gives_the_same_bits(serial):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        result = simulate(SCENARIO, seed=SEED, replications=REPLICATIONS,
                          executor=client.get_executor())
    assert_identical(result, serial)
