"""Tests of the roster benchmark's reader and independent evaluator (benchmarks/_nurse.py).

The evaluator recomputes the benchmark's hard rules and objective from a roster table;
these tests pin it on hand-made tables (one broken rule each), on a tiny instance whose
optimum is found here by brute force, and on Curtois and Qu's Instance1 (best known
objective 607, schedulingbenchmarks.org, Curtois and Qu 2014), rostered by ccsim.
"""

from __future__ import annotations

import dataclasses
import itertools
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ccsim.roster import build_roster

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import _nurse  # noqa: E402
import roster as benchmark  # noqa: E402

# A hand-made instance: 3 employees, one week from a Monday, a day and a night shift.
TINY = """\
# A hand-made instance: 3 employees, one week, day and night shifts.
SECTION_HORIZON
7

SECTION_SHIFTS
# ShiftID, Length in mins, Shifts which cannot follow this shift | separated
D,480,
N,600,D

SECTION_STAFF
# ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, \
MinConsecutiveShifts, MinConsecutiveDaysOff, MaxWeekends
A,D=7|N=2,2640,1440,3,2,2,1
B,D=7|N=0,2400,1440,4,1,2,1
C,D=7|N=3,2640,960,3,2,1,1

SECTION_DAYS_OFF
A,3
B,6
C

SECTION_SHIFT_ON_REQUESTS
A,0,D,2
B,5,D,3
C,1,N,1

SECTION_SHIFT_OFF_REQUESTS
C,4,N,2
B,0,D,1

SECTION_COVER
0,D,2,100,1
0,N,1,100,1
1,D,1,100,1
1,N,1,100,1
2,D,1,100,1
2,N,1,100,1
3,D,1,100,1
3,N,1,100,1
4,D,1,100,1
4,N,0,100,1
5,D,1,100,1
5,N,1,100,1
6,D,1,100,1
6,N,1,100,1
"""
TINY_OPTIMUM = 101  # by brute force below: one D short (100) plus B's refused day off (1)


@pytest.fixture(scope="module")
def tiny():
    return _nurse.parse_instance(TINY, "Tiny")


@pytest.fixture(scope="module")
def instance1(shared_data):
    return _nurse.read_instance(shared_data("nurse-rostering/Instance1.txt"))


def table(rows: dict[str, str]) -> pd.DataFrame:
    """A roster table from one string per employee, "." for a day off: "DD.N...". """
    return pd.DataFrame([["" if c == "." else c for c in row] for row in rows.values()],
                        index=list(rows))


# --- the reader ---------------------------------------------------------------------------

def test_instance1_is_read_as_published(instance1):
    assert instance1.days == 14 and len(instance1.employees) == 8
    assert instance1.shifts == (_nurse.Shift("D", 480, ()),)
    first = instance1.employees[0]
    assert (first.name, dict(first.max_shifts), first.max_minutes, first.min_minutes,
            first.max_consecutive_shifts, first.min_consecutive_shifts,
            first.min_consecutive_days_off, first.max_weekends) == (
        "A", {"D": 14}, 4320, 3360, 5, 2, 2, 1)
    assert instance1.days_off["A"] == (0,) and instance1.days_off["H"] == (7,)
    assert sum(r.wanted for r in instance1.requests) == 21
    assert sum(not r.wanted for r in instance1.requests) == 5
    assert _nurse.Request("F", 8, "D", False, 3) in instance1.requests
    assert len(instance1.cover) == 14
    assert instance1.cover[0] == _nurse.Cover(0, "D", 5, 100, 1)


def test_tiny_is_read_with_successions_and_empty_days_off(tiny):
    assert [s.cannot_follow for s in tiny.shifts] == [(), ("D",)]
    assert tiny.days_off == {"A": (3,), "B": (6,), "C": ()}
    assert dict(tiny.employees[1].max_shifts) == {"D": 7, "N": 0}
    assert _nurse.forbidden_pairs(tiny) == {("N", "D", 1)}


def test_roster_arguments_map_every_rule(tiny):
    arguments = _nurse.roster_arguments(tiny)
    assert arguments["min_rest_hours"] == 0 and arguments["days"] == 7
    assert pd.Timestamp(arguments["start"]).weekday() == 0
    night = arguments["shifts"][1]
    assert (night.start, night.minutes, night.not_followed_by) == ("00:00", 600, ("D",))
    c = arguments["agents"][2]
    assert (c.max_shifts, c.min_minutes, c.max_minutes, c.max_consecutive_shifts,
            c.min_consecutive_shifts, c.min_consecutive_days_off, c.max_weekends) == (
        {"D": 7, "N": 3}, 960, 2640, 3, 2, 1, 1)
    assert list(arguments["agents"][0].days_off) == [3]
    assert len(arguments["cover"]) == 14 and len(arguments["requests"]) == 5


@pytest.mark.parametrize("text, match", [
    ("SECTION_HORIZON\n7\nSECTION_BOGUS\n", "unknown section"),
    ("7\n", "before any SECTION_"),
    ("SECTION_HORIZON\n7\nSECTION_SHIFTS\nD,480,X\nSECTION_STAFF\nSECTION_COVER\n",
     "unknown shifts"),
    ("SECTION_HORIZON\n7\nSECTION_SHIFTS\nD,480,\n", "missing section"),
])
def test_bad_files_are_refused(text, match):
    with pytest.raises(ValueError, match=match):
        _nurse.parse_instance(text)


# --- the evaluator --------------------------------------------------------------------------

GOOD = {"A": "DDD..NN", "B": "D..DDD.", "C": ".NNN..D"}  # an optimal roster (brute force)


def test_evaluator_scores_a_roster_the_benchmark_way(tiny):
    verdict = _nurse.evaluate(tiny, table(GOOD))
    assert verdict.feasible, verdict.violations
    # cover: day 0 has D x 2 (A, B) and N x 0: one short (100); requests: B's day 0 off
    # refused (1); A's day 0 D, B's day 5 D and C's day 1 N granted; C's day 4 N avoided.
    assert (verdict.under, verdict.over, verdict.requests) == (100, 0, 1)
    assert verdict.objective == TINY_OPTIMUM


@pytest.mark.parametrize("rows, message", [
    ({"A": "DDDD.NN"}, "works day 3, a day off"),
    ({"A": "DDD..ND"}, "N on day 5 then D on day 6"),
    ({"B": "N..DDD."}, "1 N shifts > max 0"),
    ({"A": "DD....."}, "960 minutes outside [1440, 2640]"),
    ({"A": "DDD.DDD", "B": "D..DDD."}, "minutes outside"),  # 6 x 480 > 2640
    ({"B": "DDDDD.."}, "5 working days in a row from day 0"),
    ({"A": "DD.D..."}, "only 1 working day(s) from day 3"),
    ({"B": "D.DDDD."}, "only 1 day(s) off from day 1"),
    ({"C": ".NNN.D."}, "only 1 working day(s) from day 5"),
])
def test_evaluator_finds_each_broken_rule(tiny, rows, message):
    verdict = _nurse.evaluate(tiny, table(GOOD | rows))
    assert any(message in v for v in verdict.violations), verdict.violations


def test_evaluator_counts_weekends_from_the_calendar(tiny):
    strict = dataclasses.replace(tiny, employees=tuple(
        dataclasses.replace(e, max_weekends=0) for e in tiny.employees))
    violations = _nurse.evaluate(strict, table(GOOD)).violations
    # A works Saturday and Sunday (one weekend), B Saturday, C Sunday
    assert sorted(v for v in violations if "weekend" in v) == [
        f"{name}: 1 weekends worked > max 0" for name in "ABC"]
    later = dataclasses.replace(strict, start="2027-02-03")  # a Wednesday: days 3-4
    assert sorted(v for v in _nurse.evaluate(later, table(GOOD)).violations
                  if "weekend" in v) == [f"{name}: 1 weekends worked > max 0" for name in "BC"]


def test_evaluator_exempts_runs_at_the_ends(tiny):
    # C works only the last day, A only days 0-1 then 5-6: runs touching an end are exempt
    rows = GOOD | {"C": "......D", "A": "D.....N"}
    violations = _nurse.evaluate(tiny, table(rows)).violations
    assert not any("working day(s)" in v or "day(s) off" in v for v in violations), violations


def test_evaluator_refuses_a_table_of_the_wrong_shape(tiny):
    with pytest.raises(ValueError, match="one row per employee"):
        _nurse.evaluate(tiny, table(GOOD).iloc[:2])


def brute_force_optimum(problem: _nurse.Problem) -> int:
    """The least objective over every roster of ``problem`` (employee rows checked alone)."""
    names = [""] + [s.name for s in problem.shifts]
    index = {s.name: t for t, s in enumerate(problem.shifts)}
    required = np.zeros((problem.days, len(names) - 1), dtype=np.int64)
    for c in problem.cover:
        required[c.day, index[c.shift]] = c.required
    counts, costs = [], []
    for e in problem.employees:
        rows = [row for row in itertools.product(names, repeat=problem.days)
                if not _nurse.employee_violations(problem, e, list(row))]
        count = np.zeros((len(rows), problem.days, len(names) - 1), dtype=np.int64)
        for r, row in enumerate(rows):
            for d, value in enumerate(row):
                if value:
                    count[r, d, index[value]] = 1
        counts.append(count)
        costs.append(np.array([sum(q.weight for q in problem.requests if q.employee == e.name
                                   and (row[q.day] == q.shift) != q.wanted) for row in rows]))
    a, b, c = counts
    total = a[:, None, None] + b[None, :, None] + c[None, None, :]
    cover = (np.maximum(required - total, 0) * 100 + np.maximum(total - required, 0)).sum(
        axis=(-1, -2))
    return int((cover + costs[0][:, None, None] + costs[1][None, :, None]
                + costs[2][None, None, :]).min())


def test_tiny_optimum_by_brute_force_and_by_ccsim(tiny):
    assert brute_force_optimum(tiny) == TINY_OPTIMUM
    roster = build_roster(**_nurse.roster_arguments(tiny))
    verdict = _nurse.evaluate(tiny, roster.table)
    assert verdict.feasible, verdict.violations
    assert roster.status == "optimal"
    assert verdict.objective == roster.objective == roster.bound == TINY_OPTIMUM


def test_instance1_by_ccsim_keeps_every_hard_rule(instance1):
    roster = build_roster(**_nurse.roster_arguments(instance1))
    verdict = _nurse.evaluate(instance1, roster.table)
    assert verdict.feasible, verdict.violations
    assert verdict.objective == roster.objective
    assert roster.bound <= benchmark.BEST_KNOWN[1] == 607 <= roster.objective


# --- the generated months ---------------------------------------------------------------------

def test_generated_month_is_seeded_and_rostered_within_the_rules():
    problem = benchmark.generated_problem(20, 2)
    assert problem == benchmark.generated_problem(20, 2)
    assert problem != benchmark.generated_problem(20, 2, seed=1)
    assert (len(problem.employees), problem.days, len(problem.shifts)) == (20, 28, 2)
    assert _nurse.forbidden_pairs(problem) == {("L", "E", 1)}  # 22:00 -> 07:00 is 9 h
    assert any(problem.days_off.values()) and problem.requests
    roster = build_roster(**_nurse.roster_arguments(problem), deterministic_limit=3)
    verdict = _nurse.evaluate(problem, roster.table)
    assert verdict.feasible, verdict.violations
    assert verdict.objective == roster.objective
