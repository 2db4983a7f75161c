"""Tests of reproducible shift plans: deterministic stopping, the time cap, the greedy incumbent.

A plan must not depend on machine load: the solver stops on the gap or a node budget,
never on the clock unless ``time_limit_seconds`` binds, and then the plan says so and is
still a valid, sensible plan thanks to the greedy incumbent (:mod:`ccsim._shifts.incumbent`).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsim._shifts import highs, model
from ccsim._shifts.incumbent import block_values, cover_spec, greedy_plan
from ccsim._shifts.solve import SOLVE_LOG_COLUMNS, precheck
from ccsim._validation import CCSimInputError
from ccsim.shifts import BreakRule, ShiftTemplate, schedule_shifts, shift_catalogue

#: How far above the LP bound a plan cut short by the time cap may be: the greedy
#: incumbent alone (no branch and bound) is within this factor on these instances.
GREEDY_FACTOR = 1.25


def week(days: int = 3, minutes: int = 30) -> pd.Series:
    """A two-peaked day from 08:00 to 20:00, lighter at the weekend, from a Monday."""
    per_day = 1440 // minutes
    hours = (np.arange(per_day) + 0.5) * minutes / 60.0
    shape = 4 + 9 * np.exp(-0.5 * ((hours - 11) / 1.5) ** 2) + 6 * np.exp(
        -0.5 * ((hours - 16) / 2.0) ** 2)
    shape = np.where((hours >= 8) & (hours < 20), np.ceil(shape), 0.0)
    factor = np.array([1.0, 0.9, 1.1, 0.95, 1.0, 0.6, 0.4])[np.arange(days) % 7]
    values = np.ceil(np.outer(factor, shape)).ravel()
    index = pd.date_range("2024-03-04", periods=days * per_day, freq=f"{minutes}min")
    return pd.Series(values, index=index)


TEMPLATES = [*shift_catalogue(("08:00", "20:00"), [8], every_minutes=30),
             *shift_catalogue(("08:00", "20:00"), [4], every_minutes=30)]


def same(a, b) -> bool:
    return a.counts.equals(b.counts) and a.breaks.equals(b.breaks)


@pytest.fixture(scope="module")
def reference():
    return schedule_shifts(week(), TEMPLATES, mip_gap=0.0)


def test_same_plan_twice_and_with_any_generous_cap(reference):
    again = schedule_shifts(week(), TEMPLATES, mip_gap=0.0)
    assert len(reference.breaks) > 0 and same(reference, again)
    generous = schedule_shifts(week(), TEMPLATES, mip_gap=0.0, time_limit_seconds=1e5)
    assert same(reference, generous)
    with ThreadPoolExecutor(2) as pool:  # blocks in another order and at once: the same
        parallel = schedule_shifts(week(), TEMPLATES, mip_gap=0.0, executor=pool)
    assert same(reference, parallel)
    assert reference.status in ("optimal", "node_limit", "within_gap")


def test_the_solve_log_has_a_row_per_day(reference):
    log = reference.solve_log
    assert tuple(log.columns) == SOLVE_LOG_COLUMNS and len(log) == 3
    assert list(log["start"]) == list(pd.date_range("2024-03-04 08:00", periods=3, freq="D"))
    assert (log["cost"] >= log["bound"] - 1e-9).all()
    assert log["cost"].sum() == pytest.approx(reference.cost)
    assert set(log["status"]) <= {"optimal", "within_gap", "node_limit"}


def test_a_tiny_cap_stops_early_says_so_and_keeps_a_sensible_plan(reference):
    plan = schedule_shifts(week(), TEMPLATES, mip_gap=0.0, time_limit_seconds=1e-4)
    assert plan.status == "time_limit"
    assert (plan.solve_log["status"] == "time_limit").all()
    assert (plan.solve_log["source"] == "greedy").all()
    cov = plan.coverage
    assert (cov["on_phones"] >= cov["required"] - 1e-9).all()
    assert reference.lower_bound <= plan.cost <= GREEDY_FACTOR * reference.lp_bound
    assert 0 <= plan.lower_bound <= reference.cost
    assert plan.solve_seconds < 30  # not the full budget: the old solver ran on per block


def test_the_greedy_plan_alone_covers_a_bank_sized_day():
    need = week(1)
    grid, floor = model.requirement_grid("requirement", need)
    lay = model.layout(grid, TEMPLATES)
    (span,) = model.blocks(lay)
    block = model.build_block(lay, span, floor, penalty=None, seats=None, max_per_day=None,
                              service=None)
    spec = cover_spec(lay, block, floor)
    result = highs.solve_block(block, mip_gap=0.0)
    count, agents = greedy_plan(spec)
    values = block_values(block, spec, count, agents)
    assert values is not None
    assert result.objective <= block.c @ values <= GREEDY_FACTOR * result.lp_bound


# ------------------------------------------------------------------ the repair, alone
@st.composite
def instances(draw):
    size = draw(st.integers(8, 20))
    floor = np.array(draw(st.lists(st.integers(0, 5), min_size=size, max_size=size)), float)
    templates = []
    for n in range(draw(st.integers(1, 5))):
        length = draw(st.integers(4, 9))
        start = draw(st.integers(0, size - 3))
        rules = []
        if draw(st.integers(0, 4)) > 0:
            first = draw(st.integers(1, length - 3))
            last = draw(st.integers(first, length - 2))
            minutes = draw(st.sampled_from([30, 60, 90]))
            if (last * 60 + minutes) <= length * 60:
                rules.append(BreakRule(minutes, earliest_after_minutes=first * 60,
                                       latest_after_minutes=last * 60))
        templates.append(ShiftTemplate(f"t{n}", f"{start:02d}:00", length, breaks=rules))
    # two-hour shifts without breaks from every other hour, so every hour can be covered
    templates += [ShiftTemplate(f"f{h}", f"{h:02d}:00", 2) for h in range(0, size, 2)]
    start = draw(st.lists(st.integers(0, 3), min_size=1, max_size=40))
    return floor, templates, start


@settings(max_examples=80, deadline=None)
@given(instances())
def test_the_greedy_repair_always_gives_a_feasible_plan(case):
    floor, templates, start = case
    need = pd.Series(floor, index=pd.date_range("2024-03-04", periods=len(floor), freq="60min"))
    grid, values = model.requirement_grid("requirement", need)
    try:
        lay = model.layout(grid, templates)
        precheck(lay, values, seats=None, max_per_day=None)
    except CCSimInputError:
        return
    for span in model.blocks(lay):
        block = model.build_block(lay, span, values, penalty=None, seats=None,
                                  max_per_day=None, service=None)
        spec = cover_spec(lay, block, values)
        begin = np.resize(np.array(start), len(spec.start))
        plan = greedy_plan(spec, begin)
        assert plan is not None
        count, agents = plan
        assert np.bincount([a[0] for a in agents], minlength=len(count)).tolist() == \
            count.tolist()
        on_phones = np.zeros(grid.size + 40)
        for agent in agents:
            i = agent[0]
            members = np.flatnonzero(spec.mem_inst == i)
            assert len(agent) == 1 + len(members)
            on_phones[max(spec.start[i], 0):spec.end[i]] += 1
            for m, slot in zip(members, agent[1:], strict=True):
                first = spec.mem_first[m]
                assert first <= slot <= first + spec.mem_count[m] - 1  # inside its window
                pattern = spec.patterns[spec.mem_class[m]]
                on_phones[slot:slot + len(pattern)] -= pattern
        g0, g1 = spec.g0, spec.g1
        assert np.all(on_phones[g0:g1] >= values[g0:g1] - 1e-9)
        assert block_values(block, spec, count, agents) is not None
