"""Tests of ccsim.shifts: optima proved by brute force, breaks, horizons, bounds and errors.

The brute force is independent of the model: it enumerates every vector of agents per
shift (up to a bound) and, for shifts with a break, every way of splitting a shift's
agents among the break's start slots, and keeps the cheapest vector that puts enough
agents on the phones in every interval.
"""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from ccsim import CCSimInputError
from ccsim.shifts import (
    BreakRule,
    ShiftPlan,
    ShiftTemplate,
    schedule_shifts,
    shift_catalogue,
    standard_breaks,
)

HOURLY = pd.date_range("2024-03-04 08:00", periods=8, freq="60min")  # a Monday


def series(values, start="2024-03-04 08:00", freq="60min") -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float),
                     index=pd.date_range(start, periods=len(values), freq=freq))


# ------------------------------------------------------------------ brute force
def _splits(agents: int, slots: int):
    """Every way of putting ``agents`` into ``slots`` ordered boxes."""
    for cut in itertools.combinations(range(agents + slots - 1), slots - 1):
        edges = (-1, *cut, agents + slots - 1)
        yield tuple(b - a - 1 for a, b in itertools.pairwise(edges))


def brute_force(required: np.ndarray, shifts: list[dict], high: int) -> float:
    """Least cost over x in {0..high}^n; each shift: start, length, cost, break (or None).

    A break is (first start offset, last start offset, length), all in slots.
    """
    best = np.inf
    size = len(required)
    for x in itertools.product(range(high + 1), repeat=len(shifts)):
        cost = sum(n * s["cost"] for n, s in zip(x, shifts, strict=True))
        if cost >= best:
            continue
        on = np.zeros(size)
        for n, s in zip(x, shifts, strict=True):
            on[s["start"]:s["start"] + s["length"]] += n
        if np.any(on < required):
            continue
        options = []
        for n, s in zip(x, shifts, strict=True):
            if s["break"] is None or n == 0:
                continue
            first, last, length = s["break"]
            loads = []
            for split in _splits(n, last - first + 1):
                load = np.zeros(size)
                for k, m in enumerate(split):
                    begin = s["start"] + first + k
                    load[begin:begin + length] += m
                loads.append(load)
            options.append(loads)
        if any(np.all(on - sum(combo, np.zeros(size)) >= required)
               for combo in itertools.product(*options)):
            best = cost
    return best


def _templates(shifts: list[dict]) -> list[ShiftTemplate]:
    out = []
    for i, s in enumerate(shifts):
        breaks = []
        if s["break"] is not None:
            first, last, length = s["break"]
            breaks = [BreakRule(length * 60, first * 60, last * 60, paid=True)]
        out.append(ShiftTemplate(f"S{i}", f"{8 + s['start']:02d}:00", s["length"],
                                 breaks=breaks, cost=s["cost"]))
    return out


PLAIN = [dict(start=0, length=4, cost=4.0, **{"break": None}),
         dict(start=2, length=4, cost=4.0, **{"break": None}),
         dict(start=4, length=4, cost=4.0, **{"break": None}),
         dict(start=0, length=8, cost=7.0, **{"break": None})]
WITH_BREAKS = [dict(start=0, length=5, cost=5.0, **{"break": (1, 3, 1)}),
               dict(start=3, length=5, cost=5.0, **{"break": (1, 3, 1)}),
               dict(start=0, length=8, cost=7.5, **{"break": (2, 5, 1)})]


@pytest.mark.parametrize("seed", range(6))
def test_plain_optimum_matches_brute_force(seed):
    required = np.random.default_rng(seed).integers(0, 4, size=8)
    plan = schedule_shifts(series(required), _templates(PLAIN), mip_gap=0.0)
    assert plan.cost == brute_force(required, PLAIN, high=4)
    assert plan.status == "optimal" and plan.gap == 0.0 and plan.lower_bound == plan.cost


@pytest.mark.parametrize("seed", range(5))
def test_optimum_with_breaks_matches_brute_force(seed):
    required = np.random.default_rng(100 + seed).integers(1, 4, size=8)
    plan = schedule_shifts(series(required), _templates(WITH_BREAKS), mip_gap=0.0)
    assert plan.cost == brute_force(required, WITH_BREAKS, high=4)
    assert plan.status == "optimal"
    assert (plan.coverage["on_phones"] >= plan.coverage["required"]).all()


def test_breaks_take_agents_off_the_phones():
    # One agent all day with a one-hour break somewhere in 10:00-12:00: one interval is
    # short, so a second agent is needed; without the break one would do.
    need = series([1] * 8)
    lunch = BreakRule(60, 120, 240)
    plan = schedule_shifts(need, [ShiftTemplate("day", "08:00", 8, breaks=[lunch])])
    assert plan.shifts_worked == 2 and plan.paid_hours == 14.0
    assert plan.coverage["on_break"].sum() == 2.0
    assert schedule_shifts(need, [ShiftTemplate("day", "08:00", 8)]).shifts_worked == 1


# ------------------------------------------------------------------ the contract
@pytest.fixture(scope="module")
def contract_plan() -> tuple[pd.Series, list[ShiftTemplate], ShiftPlan]:
    lunch = BreakRule(minutes=60, earliest_after_minutes=180, latest_after_minutes=300,
                      paid=False)
    templates = [ShiftTemplate(f"E{h:02d}", start=f"{h:02d}:00", shift_hours=9, breaks=[lunch])
                 for h in range(6, 14)]
    index = pd.date_range("2024-03-04 06:00", "2024-03-04 21:30", freq="30min")
    hours = index.hour + index.minute / 60
    requirement = pd.Series(np.round(4 + 6 * np.exp(-0.5 * ((hours - 12) / 3) ** 2)),
                            index=index)
    plan = schedule_shifts(requirement, templates, time_limit_seconds=60)
    return requirement, templates, plan


def test_contract(contract_plan):
    requirement, templates, plan = contract_plan
    assert set(plan.counts.columns) >= {"template", "agents", "start", "end", "date"}
    assert set(plan.breaks.columns) >= {"template", "break", "start", "agents"}
    assert list(plan.coverage.columns) == ["required", "on_shift", "on_break", "on_phones",
                                           "over", "under"]
    assert plan.coverage.index.equals(requirement.index.rename("interval_start"))
    assert (plan.coverage["required"] == requirement.to_numpy()).all()
    assert plan.status == "optimal"
    assert plan.lp_bound <= plan.lower_bound <= plan.cost
    assert plan.gap == pytest.approx((plan.cost - plan.lower_bound) / plan.cost)
    assert plan.paid_hours == 8.0 * plan.shifts_worked == plan.cost  # 9 h with an unpaid hour
    cov = plan.coverage
    assert (cov["on_phones"] >= cov["required"]).all() and (cov["under"] == 0).all()
    assert np.allclose(cov["on_phones"], cov["on_shift"] - cov["on_break"])
    assert np.allclose(cov["over"], cov["on_phones"] - cov["required"])
    assert repr(plan).startswith(f"ShiftPlan(status='optimal', shifts_worked={plan.shifts_worked}, "
                                  "paid_hours=")


def test_every_agent_takes_each_break_once_inside_its_window(contract_plan):
    _, templates, plan = contract_plan
    by_name = {t.name: t for t in templates}
    taken = plan.breaks.groupby(["template", "shift_start"])["agents"].sum()
    working = plan.counts.set_index(["template", "start"])["agents"]
    assert taken.sort_index().tolist() == working.sort_index().tolist()
    for row in plan.breaks.itertuples():
        rule = by_name[row.template].breaks[0]
        offset = (row.start - row.shift_start).total_seconds() / 60
        assert rule.earliest_after_minutes <= offset <= rule.latest_after_minutes
        assert row.end - row.start == pd.Timedelta(minutes=60) and not row.paid


def test_several_breaks_stay_in_order_and_inside_the_shift():
    index = pd.date_range("2024-03-04 07:00", "2024-03-04 20:45", freq="15min")
    hours = index.hour + index.minute / 60
    need = pd.Series(np.round(3 + 5 * np.exp(-0.5 * ((hours - 13) / 3) ** 2)), index=index)
    templates = shift_catalogue(("07:00", "21:00"), [8, 4], every_minutes=60)
    plan = schedule_shifts(need, templates, mip_gap=0.0)
    assert (plan.coverage["on_phones"] >= need.to_numpy()).all()
    by_name = {t.name: t for t in templates}
    for (name, shift_start), rows in plan.breaks.groupby(["template", "shift_start"]):
        template = by_name[name]
        agents = int(plan.counts.set_index(["template", "start"]).loc[(name, shift_start),
                                                                      "agents"])
        per_rule = rows.groupby("rule")["agents"].sum()
        assert per_rule.to_dict() == {k + 1: agents for k in range(len(template.breaks))}
        for row in rows.itertuples():
            rule = template.breaks[row.rule - 1]
            offset = (row.start - shift_start).total_seconds() / 60
            assert rule.earliest_after_minutes <= offset <= rule.latest_after_minutes
            assert row.end <= shift_start + pd.Timedelta(hours=template.shift_hours)
        # an agent's breaks cannot overlap: each window ends before the next one opens
        ends = [r.latest_after_minutes + r.minutes for r in template.breaks]
        assert all(e <= r.earliest_after_minutes for e, r in zip(ends, template.breaks[1:],
                                                                 strict=False))
    assert len(standard_breaks(8)) == 3 and len(standard_breaks(4)) == 1


def test_a_short_break_counts_as_a_fraction_of_a_longer_interval():
    need = series([2, 2, 2, 2], start="2024-03-04 08:00", freq="30min")
    coffee = BreakRule(15, 30, 30, paid=True)
    plan = schedule_shifts(need, [ShiftTemplate("short", "08:00", 2, breaks=[coffee])])
    # at 08:30 every agent is on a 15-minute break for half of the interval: four agents
    # leave two on the phones on average (three would leave 1.5)
    assert plan.shifts_worked == 4
    assert plan.coverage["on_break"].tolist() == [0.0, 2.0, 0.0, 0.0]
    assert plan.coverage["on_phones"].tolist() == [4.0, 2.0, 4.0, 4.0]


# ------------------------------------------------------------------ horizons
def test_overnight_shifts_carry_into_the_next_day():
    index = pd.date_range("2024-03-04", periods=48, freq="60min")  # Monday and Tuesday
    need = pd.Series(np.where((index.hour >= 22) | (index.hour < 6), 2.0, 0.0), index=index)
    plan = schedule_shifts(need, [ShiftTemplate("night", "22:00", 8)])
    counts = plan.counts.set_index("date")["agents"]
    # Monday 00:00-06:00 is covered by Sunday's night shift (the day before the horizon);
    # Tuesday 00:00-06:00 by Monday's; Tuesday's runs past the end and is paid in full.
    assert counts.to_dict() == {pd.Timestamp("2024-03-03"): 2, pd.Timestamp("2024-03-04"): 2,
                                pd.Timestamp("2024-03-05"): 2}
    assert plan.paid_hours == 48.0
    monday = plan.counts.set_index("date").loc[pd.Timestamp("2024-03-04")]
    assert monday["end"] == pd.Timestamp("2024-03-05 06:00")
    assert (plan.coverage["on_phones"] == need.to_numpy()).all()


def test_a_shift_never_wraps_onto_its_own_morning():
    # One day only: the 22:00 shift covers 22:00-24:00 of this day and nothing before.
    index = pd.date_range("2024-03-04 00:00", periods=24, freq="60min")
    need = pd.Series(np.where(index.hour < 2, 1.0, 0.0), index=index)
    night = ShiftTemplate("night", "22:00", 4, days=["Mon"])
    with pytest.raises(CCSimInputError, match=r"no template covers 2 interval\(s\)"):
        schedule_shifts(need, [night])


def test_days_allowed_per_template():
    index = pd.date_range("2024-03-08 08:00", periods=3 * 24, freq="60min")  # Fri-Sun
    need = pd.Series(np.where((index.hour >= 8) & (index.hour < 16), 1.0, 0.0), index=index)
    week = ShiftTemplate("week", "08:00", 8, days=range(5))
    weekend = ShiftTemplate("weekend", "08:00", 8, cost=12, days=["Sat", "sunday"])
    plan = schedule_shifts(need, [week, weekend])
    assert plan.counts[["template", "agents"]].values.tolist() == [
        ["week", 1], ["weekend", 1], ["weekend", 1]]
    assert plan.cost == 8 + 12 + 12


def test_days_solved_apart_equal_days_solved_together():
    index = pd.date_range("2024-03-04", periods=3 * 96, freq="15min")
    hours = index.hour + index.minute / 60
    rng = np.random.default_rng(7)
    need = pd.Series(np.where((hours >= 8) & (hours < 20),
                              rng.integers(2, 9, len(index)), 0).astype(float), index=index)
    templates = shift_catalogue(("08:00", "20:00"), [8, 4], every_minutes=60)
    whole = schedule_shifts(need, templates, mip_gap=0.0)
    parts = [schedule_shifts(need[need.index.normalize() == day], templates, mip_gap=0.0)
             for day in need.index.normalize().unique()]
    assert whole.cost == sum(p.cost for p in parts)
    threaded = schedule_shifts(need, templates, mip_gap=0.0, executor=ThreadPoolExecutor(2))
    assert threaded.cost == whole.cost


# ------------------------------------------------------------------ options
def test_understaffing_penalty_trades_cost_against_coverage():
    need = series([0, 0, 0, 3, 0, 0, 0, 0])
    templates = [ShiftTemplate("day", "08:00", 8)]
    cheap = schedule_shifts(need, templates, understaffing_penalty=1.0)
    assert cheap.shifts_worked == 0 and cheap.under_hours == 3.0 and cheap.cost == 3.0
    dear = schedule_shifts(need, templates, understaffing_penalty=100.0)
    assert dear.shifts_worked == 3 and dear.under_hours == 0 and dear.cost == 24.0
    uncovered = schedule_shifts(series([1, 1]), [ShiftTemplate("x", "08:00", 1)],
                                understaffing_penalty=5.0)
    assert uncovered.cost == 1.0 + 5.0 and uncovered.under_hours == 1.0  # 09:00 no one covers


def test_bounds_per_template_and_seats():
    need = series([4, 4, 4, 4, 4, 4, 4, 4])
    cheap = ShiftTemplate("cheap", "08:00", 8, cost=1, max_agents=3)
    dear = ShiftTemplate("dear", "08:00", 8, cost=5)
    plan = schedule_shifts(need, [cheap, dear])
    assert dict(plan.counts[["template", "agents"]].values) == {"cheap": 3, "dear": 1}
    forced = ShiftTemplate("cheap", "08:00", 8, cost=1, min_agents=6)
    assert schedule_shifts(need, [forced, dear]).shifts_worked == 6
    assert schedule_shifts(need, [cheap, dear], seats=4).shifts_worked == 4


def test_gap_is_honest_when_stopped_early():
    index = pd.date_range("2024-03-04", periods=96, freq="15min")
    hours = index.hour + index.minute / 60
    need = pd.Series(np.round(2 + 25 * np.exp(-0.5 * ((hours - 13) / 3.5) ** 2)), index=index)
    templates = shift_catalogue(("00:00", "24:00"), [10, 8, 6, 4], every_minutes=15)
    plan = schedule_shifts(need, templates, mip_gap=0.05, time_limit_seconds=20)
    assert plan.lp_bound <= plan.lower_bound <= plan.cost
    assert plan.gap == pytest.approx((plan.cost - plan.lower_bound) / plan.cost)
    assert plan.gap <= 0.05 and plan.status in ("optimal", "within_gap")
    assert (plan.coverage["on_phones"] >= need.to_numpy()).all()


def test_to_frame_and_plot(contract_plan):
    import matplotlib

    matplotlib.use("Agg")
    _, _, plan = contract_plan
    frame = plan.to_frame()
    assert list(frame.columns) == ["kind", "date", "template", "shift_start", "break",
                                   "start", "end", "agents"]
    assert frame.loc[frame.kind == "shift", "agents"].sum() == plan.shifts_worked
    assert frame.loc[frame.kind == "break", "agents"].sum() == plan.shifts_worked  # one lunch each
    ax = plan.plot()
    assert ax.get_ylabel() == "agents" and "paid hours" in ax.get_title()
    with pytest.raises(CCSimInputError, match="ax must be a matplotlib Axes"):
        plan.plot(ax="here")


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(("make", "message"), [
    (lambda: BreakRule(0, 60, 120),
     r"BreakRule minutes must be a finite number > 0 and <= 1,440; got 0"),
    (lambda: BreakRule(15, 120, 60),
     r"latest_after_minutes must be >= earliest_after_minutes \(120\); got 60"),
    (lambda: ShiftTemplate("A", "25:00", 8), r"'A' start must be a time of day 'HH:MM'"),
    (lambda: ShiftTemplate("A", "08:00", 0),
     r"'A' shift_hours must be a finite number > 0 and <= 24; got 0"),
    (lambda: ShiftTemplate("A", "08:00", 4, breaks=[BreakRule(60, 180, 200)]),
     r"cannot fit in a 4 h shift: its latest start plus its duration is 260 min, more than "
     r"240 min"),
    (lambda: ShiftTemplate("A", "08:00", 8, breaks=[BreakRule(60, 180, 240),
                                                    BreakRule(15, 200, 300)]),
     r"lunch 60 min starting 180-240 min after the shift starts can overlap the break 15 "
     r"min"),
    (lambda: ShiftTemplate("A", "08:00", 8, days=["Funday"]),
     r"'A' days must be weekday numbers 0-6 .* got 'Funday'"),
    (lambda: ShiftTemplate("A", "08:00", 8, min_agents=3, max_agents=2),
     r"'A' max_agents must be >= min_agents \(3\); got 2"),
    (lambda: shift_catalogue(("08:00", "12:00"), [8]),
     r"a 8 h shift does not fit in the opening hours 08:00-12:00 \(4 h\)"),
])
def test_bad_templates_say_what_is_wrong(make, message):
    with pytest.raises(CCSimInputError, match=message):
        make()


DAY = [ShiftTemplate("day", "08:00", 8)]


@pytest.mark.parametrize(("requirement", "templates", "options", "message"), [
    (list(range(8)), DAY, {}, "requirement must be a pandas Series indexed by interval start"),
    (series([1, -1]), DAY, {}, r"requirement must be a finite number in \[0, inf\); got -1.0 "
                               "at position 1"),
    (pd.Series(1.0, index=pd.DatetimeIndex(["2024-03-04 08:00", "2024-03-04 09:00",
                                             "2024-03-04 11:00"])), DAY, {},
     r"requirement must be on a regular 60-min grid; it goes from 2024-03-04 09:00:00 to "
     r"2024-03-04 11:00:00 \(1 such step\(s\)\)"),
    (series([1, 1], start="2024-03-04 02:00"), DAY, {},
     r"no template covers any interval of the requirement \(2024-03-04 02:00 to 04:00\)"),
    (series([1, 1, 1]), [ShiftTemplate("late", "08:30", 4)], {},
     r"ShiftTemplate 'late' starts at 08:30, off the requirement's grid of 60-min intervals "
     r"from 08:00; give templates on the grid"),
    (series([1, 1]), DAY + DAY, {}, "templates must have unique names; 'day' appears twice"),
    (series([1, 1, 1, 1], start="2024-03-04 06:00"), DAY, {},
     r"no template covers 2 interval\(s\) where the requirement needs agents: "
     r"2024-03-04 06:00-08:00 \(needs up to 1\)"),
    (series([3, 5, 3]), DAY, {"seats": 4},
     r"seats=4 is below the requirement in 1 interval\(s\), e\.g\. 2024-03-04 09:00 needs 5"),
    (series([3, 5, 3]), [ShiftTemplate("day", "08:00", 8, max_agents=4)], {},
     r"the templates covering 2024-03-04 09:00 allow at most 4 agents there .*'day'.*, "
     r"fewer than the 5"),
    (series([1]), [ShiftTemplate("day", "08:00", 8, min_agents=5)], {"seats": 3},
     r"the templates' min_agents put 5 agents on shift at 2024-03-04 08:00, above seats=3"),
    (series([2, 2]), DAY, {"mip_gap": 1.5}, r"mip_gap must be a finite number in \[0, 1\)"),
    (series([2, 2]), DAY, {"seats": 2.5},
     r"seats must be a whole number >= 1 and <= 1,000,000,000; got 2.5; give None for no limit"),
    (series([2, 2]), DAY, {"understaffing_penalty": 0},
     r"understaffing_penalty must be a finite number in \(0, 1e\+09\]; got 0.0"),
])
def test_bad_input_and_impossible_coverage_say_why(requirement, templates, options, message):
    with pytest.raises(CCSimInputError, match=message):
        schedule_shifts(requirement, templates, **options)


def test_bounds_that_conflict_only_together_are_explained():
    # Each interval alone can be covered, but two shifts cannot both have their agents
    # under a per-day limit of 3 when the morning needs 2 and the afternoon 2 more.
    need = series([2, 2, 2, 2, 2, 2, 2, 2])
    templates = [ShiftTemplate("am", "08:00", 4), ShiftTemplate("pm", "12:00", 4)]
    with pytest.raises(CCSimInputError, match=r"no plan covers the requirement in every "
                       r"interval under the bounds together \(max_agents_per_day=3\): even "
                       r"fractional agents leave 4 interval\(s\) short, most at "
                       r"2024-03-04 12:00 by 1 agents"):
        schedule_shifts(need, templates, max_agents_per_day=3)


def test_a_24_7_horizon_split_at_night_keeps_plan_and_bound_honest():
    # Night shifts join three days into one block; with breaks it is split into day
    # pieces: the plan (shifts inside the pieces) must still cover every interval, and
    # the bound (cost-shared pieces) must not exceed the true optimum of the whole.
    from ccsim._shifts import highs as highs
    from ccsim._shifts import model as model

    index = pd.date_range("2024-03-04", periods=3 * 24, freq="60min")
    hours = index.hour.to_numpy()
    need = pd.Series(np.round(2 + 5 * np.exp(-0.5 * ((hours - 14) / 4) ** 2)), index=index)
    rest = BreakRule(60, 180, 300)
    templates = [ShiftTemplate(f"T{h:02d}", f"{h:02d}:00", 8, breaks=[rest])
                 for h in range(0, 24, 2)]
    plan = schedule_shifts(need, templates, mip_gap=0.01)
    grid, values = model.requirement_grid("requirement", need)
    lay = model.layout(grid, templates)
    (span,) = model.blocks(lay)
    assert model.split(lay, span, values) is not None
    whole = model.build_block(lay, span, values, penalty=None, seats=None, max_per_day=None,
                              service=None)
    optimum = highs.solve_block(whole, 60, 0.0)
    assert optimum.status == "optimal"
    assert plan.lower_bound <= optimum.objective <= plan.cost
    assert plan.cost <= 1.05 * optimum.objective
    assert (plan.coverage["on_phones"] >= need.to_numpy()).all()
    assert plan.status in ("optimal", "within_gap", "feasible")
    assert plan.gap == pytest.approx((plan.cost - plan.lower_bound) / plan.cost)


@pytest.mark.parametrize("module_name", ["ccsim.shifts", "ccsim._shifts.rules"])
def test_docstring_examples(module_name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module_name),
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_a_staffing_requirement_table_is_summed_over_call_types():
    from ccsim import staffing

    index = pd.date_range("2024-03-04 08:00", periods=8, freq="60min")
    forecast = pd.DataFrame({"interval_start": np.tile(index, 2),
                             "call_type": np.repeat(["retail", "business"], 8),
                             "calls": np.repeat([60.0, 20.0], 8)})
    need = staffing.requirements(forecast, 180, 0.8, 20)
    plan = schedule_shifts(need, [ShiftTemplate("day", "08:00", 8)])
    per_interval = need.groupby("interval_start")["agents"].sum()
    assert (plan.coverage["required"] == per_interval.to_numpy()).all()
    assert plan.shifts_worked == per_interval.max()


def test_a_process_pool_gives_the_plan_of_one_process():
    """``workers=2`` solves the days in a spawn pool (the one Ctrl-C stops): same plan."""
    index = pd.date_range("2024-03-04 00:00", periods=48 * 3, freq="30min")
    hour = index.hour + index.minute / 60
    peak = np.round(3 + 5 * np.exp(-0.5 * ((hour - 12) / 3) ** 2))
    need = np.where((hour >= 7) & (hour < 23), peak, 0)
    requirement = pd.Series(need, index=index)
    templates = shift_catalogue(("07:00", "24:00"), [9, 4])
    alone = schedule_shifts(requirement, templates, workers=1)
    pooled = schedule_shifts(requirement, templates, workers=2)
    assert pooled.status == alone.status == "optimal"
    pd.testing.assert_frame_equal(pooled.counts, alone.counts)
    pd.testing.assert_frame_equal(pooled.breaks, alone.breaks)
