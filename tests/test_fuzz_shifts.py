"""Fuzz and pinned cases of ccsim.shifts: bad input gives a CCSimInputError, never a raw error.

1. Property-based: every public function and class of :mod:`ccsim.shifts` is called
   with random and adversarial arguments (huge, tiny, negative, NaN, inf, wrong
   types, strings, empty, 2-D; requirements that are tz-aware, irregular, duplicated,
   one row, empty, off the nanosecond range). Each call either gives a valid result
   (finite, in range, covering what it must) or raises ``CCSimInputError`` (or
   ``CCSimError`` when the solver finds nothing in its time); anything else fails.
   Solver runs are tiny (a few intervals, short time limits) and the assertions are
   on statuses and validity, never on times.
2. The named cases of issue 9 for shifts, pinned with their messages.
3. The renamed keywords and attributes warn ``DeprecationWarning`` and give the same.
"""

from __future__ import annotations

import datetime
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ccsim._validation import CCSimError, CCSimInputError
from ccsim.shifts import (
    BreakRule,
    ShiftPlan,
    ShiftTemplate,
    schedule_for_service_level,
    schedule_shifts,
    shift_catalogue,
    standard_breaks,
)

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOLVE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MONDAY = "2024-03-04 08:00"
STATUSES = {"optimal", "within_gap", "node_limit", "time_limit", "feasible"}

JUNK = st.sampled_from([None, True, "", "abc", "8", b"8", math.nan, math.inf, -math.inf, -1,
                        0, 1e-300, 1e300, 10**400, -(10**400), [1, 2], np.array([[1.0, 2.0]]),
                        (), {}, {"a": 1}, object(), np.float64("nan"), 2 + 1j, np.int64(3)])
NUMBER = st.one_of(st.integers(-10, 2000), st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([0.5, 15.0, 60.0, 90.0, 240.0, 1440.0, 1441.0]))
BAD_CLOCK = st.one_of(st.sampled_from(["24:00", "25:00", "07:60", "07:00:00", "9" * 5000 + ":00",
                                       "Ÿ", "08-00", datetime.time(8, 0, 1), "", 8]), JUNK)
CLOCK = st.one_of(
    st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 30])),
    st.builds(datetime.time, st.integers(0, 23), st.sampled_from([0, 30])),
    st.sampled_from(["7:00", " 08:00 "]))


def _settle(call):
    """Run ``call``; return its result, or None for a ccsim error. Anything else fails."""
    try:
        result = call()
    except CCSimInputError as error:
        assert str(error) and "Traceback" not in str(error)
        event("CCSimInputError")
        return None
    except CCSimError:  # a solver failure (e.g. nothing found in the time limit)
        event("CCSimError")
        return None
    event("valid result")
    return result


def _arguments(data: st.DataObject, valid: dict, bad: dict) -> dict:
    """Valid arguments with none, one or two of them replaced by a bad value.

    ``valid`` and ``bad`` map each argument to a strategy (the bad one also draws from
    the valid values' edges: huge, tiny, negative, NaN, inf, wrong types, 2-D...).
    """
    arguments = {name: data.draw(strategy, label=name) for name, strategy in valid.items()}
    spoiled = data.draw(st.lists(st.sampled_from(sorted(bad)), max_size=2, unique=True)
                        | st.just([]), label="spoiled")
    for name in spoiled:
        arguments[name] = data.draw(bad[name], label=f"bad {name}")
    return arguments


# ------------------------------------------------------------------ rules
def _valid_rule(rule: BreakRule) -> None:
    assert 0 < rule.minutes <= 1440 and 0 <= rule.earliest_after_minutes
    assert rule.earliest_after_minutes <= rule.latest_after_minutes <= 1440
    assert isinstance(rule.paid, bool) and isinstance(rule.name, str) and rule.name.strip()
    assert rule.label.endswith(" min")


def _valid_template(t: ShiftTemplate) -> None:
    assert isinstance(t.name, str) and len(t.start) == 5 and 0 <= t.start_minutes < 1440
    assert 0 < t.shift_hours <= 24 and t.length_minutes == round(t.shift_hours * 60)
    assert 0 <= t.paid_hours <= t.shift_hours and 0 <= t.cost <= 1e9 and math.isfinite(t.cost)
    assert 0 <= t.min_agents and (t.max_agents is None or t.max_agents >= t.min_agents)
    for rule in t.breaks:
        _valid_rule(rule)
        assert rule.latest_after_minutes + rule.minutes <= t.length_minutes
    assert t.days is None or (t.days and t.days <= set(range(7)))
    hash(t)


@FUZZ
@given(data=st.data())
def test_fuzz_break_rule(data):
    args = _arguments(data, {
        "minutes": st.sampled_from([15, 30.0, 60, np.float64(45), 1440]),
        "earliest": st.sampled_from([0, 60, 120.5]), "latest": st.sampled_from([120, 180, 300]),
        "paid": st.booleans() | st.just(np.bool_(True)),
        "name": st.none() | st.sampled_from(["lunch", "coffee"])},
        {"minutes": NUMBER | JUNK, "earliest": NUMBER | JUNK, "latest": NUMBER | JUNK,
         "paid": JUNK, "name": st.text(max_size=3) | JUNK})
    rule = _settle(lambda: BreakRule(args["minutes"], args["earliest"], args["latest"],
                                     paid=args["paid"], name=args["name"]))
    if rule is not None:
        _valid_rule(rule)


RULES = st.sampled_from([(), [BreakRule(15, 60, 120, paid=True)], BreakRule(60, 180, 240),
                         [BreakRule(60, 120, 240), BreakRule(15, 30, 90)], None])
BAD_RULES = st.sampled_from(["lunch", [1], [BreakRule(30, 0, 1440)], 5,
                             [BreakRule(60, 60, 120), BreakRule(15, 90, 120)]]) | JUNK


@FUZZ
@given(data=st.data())
def test_fuzz_shift_template(data):
    args = _arguments(data, {
        "name": st.sampled_from(["E06", "late"]), "start": CLOCK,
        "hours": st.sampled_from([4, 6, 8, 8.5, 9.0, 24, np.float64(6)]), "breaks": RULES,
        "paid": st.none() | st.sampled_from([3.5, 4]), "cost": st.none() | st.sampled_from(
            [0, 7.25, 1e9]),
        "days": st.none() | st.sampled_from([[0, 1], "Mon", ["sunday", 6], range(5),
                                             np.arange(3), 3]),
        "low": st.sampled_from([0, 2, np.int64(1)]), "high": st.none() | st.sampled_from(
            [2, 5, 10**9])},
        {"name": JUNK, "start": BAD_CLOCK, "hours": st.sampled_from([4.01, 25, 0]) | NUMBER
         | JUNK, "breaks": BAD_RULES, "paid": NUMBER | JUNK, "cost": NUMBER | JUNK,
         "days": st.sampled_from([[7], [], ["Funday"], [1.5]]) | JUNK,
         "low": st.sampled_from([10**7, -1, 1.5]) | JUNK,
         "high": st.sampled_from([10**10, 1]) | JUNK})
    template = _settle(lambda: ShiftTemplate(args["name"], args["start"], args["hours"],
                                             args["breaks"], args["paid"], args["cost"],
                                             args["days"], args["low"], args["high"]))
    if template is not None:
        _valid_template(template)


@FUZZ
@given(hours=st.sampled_from([1, 4, 5.5, 6, 7.75, 8, 9, 12, 24]) | NUMBER | JUNK)
def test_fuzz_standard_breaks(hours):
    rules = _settle(lambda: standard_breaks(hours))
    if rules is not None:
        assert 0 < hours <= 24
        ShiftTemplate("t", "00:00", hours, breaks=rules)  # they fit the shift
        for rule in rules:
            _valid_rule(rule)


@FUZZ
@given(data=st.data())
def test_fuzz_shift_catalogue(data):
    args = _arguments(data, {
        "opening": st.tuples(CLOCK, CLOCK) | st.sampled_from(
            ["07:00-24:00", "22:00-06:00", ["08:00", "08:00"], ("00:00", "24:00")]),
        "lengths": st.lists(st.sampled_from([4, 6, 8, 9, 2.5]), min_size=1, max_size=3,
                            unique=True) | st.sampled_from([4, (9, 4), np.array([8, 4])]),
        "every": st.sampled_from([30, 60, 45, 1440, 120.0]),
        "breaks": st.sampled_from(["standard", None, {4: [], 6: [], 8: [], 9: [], 2.5: []}])
        | RULES,
        "days": st.none() | st.sampled_from([[5, 6], "Sat"]),
        "high": st.none() | st.sampled_from([3, {4: 2}, {"4": 2}])},
        {"opening": st.sampled_from([("07:00",), ("07:00", "12:00", "13:00"), "07:00",
                                     np.array(["07:00", "12:00"])]) | st.tuples(BAD_CLOCK, CLOCK)
         | st.tuples(CLOCK, BAD_CLOCK) | JUNK,
         "lengths": st.sampled_from([[], [4, 4], [0.5, 4.01], [25], ["4"], [math.nan]]) | JUNK,
         "every": st.sampled_from([1441, 0, 2.5]) | JUNK,
         "breaks": st.sampled_from(["none", {"4": []}, {4: [1]}]) | BAD_RULES,
         "days": st.sampled_from([["x"], []]) | JUNK,
         "high": st.sampled_from([{4: "x"}, -2]) | JUNK})
    templates = _settle(lambda: shift_catalogue(
        args["opening"], args["lengths"], every_minutes=args["every"], breaks=args["breaks"],
        days=args["days"], max_agents=args["high"]))
    if templates is not None:
        assert templates and len({t.name for t in templates}) == len(templates)
        for t in templates:
            _valid_template(t)


# ------------------------------------------------------------------ plans
def _valid_plan(plan: ShiftPlan, *, soft: bool = False) -> None:
    assert isinstance(plan, ShiftPlan) and plan.status in STATUSES
    cov = plan.coverage
    assert len(cov) > 0 and np.isfinite(cov.to_numpy(dtype=float)).all()
    assert (cov[["on_shift", "on_break", "on_phones", "over", "under"]] >= -1e-9).all().all()
    numbers = [plan.paid_hours, plan.cost, plan.lower_bound, plan.lp_bound, plan.gap]
    assert all(math.isfinite(v) for v in numbers)
    assert plan.lp_bound <= plan.lower_bound + 1e-6 and plan.lower_bound <= plan.cost + 1e-6
    assert 0 <= plan.gap <= 1
    if not soft:
        assert (cov["under"] <= 1e-6).all()
    counts = plan.counts["agents"].to_numpy()
    assert (counts > 0).all() and plan.shifts_worked == counts.sum()
    frame = plan.to_frame()
    assert frame.loc[frame.kind == "shift", "agents"].sum() == plan.shifts_worked
    assert f"shifts_worked={plan.shifts_worked}," in repr(plan)


GOOD_KINDS = ["hourly", "half_hours", "one_freq", "frame", "unit_s"]
BAD_KINDS = ["tz", "irregular", "duplicate", "unsorted", "one", "empty", "range", "period",
             "bad_frame", "list", "2d", "strings", "nullable", "year_3000", "bad_freq",
             "complex", "bool"]


def _series(kind: str, values: list) -> object:
    """A requirement (or calls) of the given kind, from 08:00 on a Monday."""
    n = len(values)
    step = "30min" if kind == "half_hours" else "60min"
    index = pd.date_range(MONDAY, periods=n, freq=step)
    data = np.array(values, dtype=object)
    if kind in ("hourly", "half_hours"):
        return pd.Series(data, index=index)
    if kind == "tz":
        return pd.Series(data, index=index.tz_localize("Europe/Paris"))
    if kind == "irregular":
        return pd.Series(data, index=index + pd.to_timedelta(np.arange(n) ** 2, unit="min"))
    if kind == "duplicate":
        return pd.Series(data, index=index[[0] * n])
    if kind == "unsorted":
        return pd.Series(data, index=index[::-1])
    if kind == "one":
        return pd.Series(data[:1], index=pd.DatetimeIndex([MONDAY] * min(n, 1)))
    if kind == "one_freq":
        return pd.Series(data[:1], index=index[:1])
    if kind == "empty":
        return pd.Series([], index=pd.DatetimeIndex([]), dtype=float)
    if kind == "range":
        return pd.Series(data)
    if kind == "period":
        return pd.Series(data, index=pd.period_range(MONDAY, periods=n, freq="h"))
    if kind == "frame":
        return pd.DataFrame({"interval_start": np.tile(index, 2), "agents": list(data) * 2,
                             "calls": list(data) * 2})
    if kind == "bad_frame":
        return pd.DataFrame({"when": data})
    if kind == "list":
        return list(values)
    if kind == "2d":
        return pd.DataFrame({"a": data, "b": data}, index=index)
    if kind == "strings":
        return pd.Series([str(v) for v in values], index=index)
    if kind == "nullable":
        return pd.Series(pd.array([None] + [1] * (n - 1) if n else [], dtype="Int64"),
                         index=index)
    if kind == "year_3000":
        return pd.Series(data, index=pd.date_range("3000-01-01", periods=n, freq="h", unit="s"))
    if kind == "unit_s":
        return pd.Series(data, index=index.as_unit("s"))
    if kind == "bad_freq":
        series = pd.Series(data, index=index)
        series.attrs["freq"] = "banana"
        return series
    if kind == "complex":
        return pd.Series(np.arange(n) + 1j, index=index)
    return pd.Series(np.ones(n, dtype=bool), index=index)


def _needs(values: st.SearchStrategy, bad_values: st.SearchStrategy) -> st.SearchStrategy:
    """(kind, values): a good kind of series with good values, or one thing spoiled."""
    good = st.tuples(st.sampled_from(GOOD_KINDS), st.lists(values, min_size=1, max_size=5))
    bad_kind = st.tuples(st.sampled_from(BAD_KINDS), st.lists(values, max_size=5))
    bad_value = st.tuples(st.sampled_from(GOOD_KINDS), st.lists(values | bad_values, min_size=1,
                                                                max_size=5))
    return good | bad_kind | bad_value


LUNCH = BreakRule(60, 120, 180)
TEMPLATE_SETS = st.sampled_from([
    [ShiftTemplate("day", "08:00", 4)],
    [ShiftTemplate("early", "08:00", 4, breaks=[BreakRule(60, 60, 120)]),
     ShiftTemplate("late", "10:00", 4), ShiftTemplate("full", "08:00", 6, breaks=[LUNCH])],
    [ShiftTemplate("cheap", "08:00", 4, cost=1, max_agents=2),
     ShiftTemplate("dear", "09:00", 3, cost=5, min_agents=1)],
    [ShiftTemplate("night", "22:00", 12)],
    ShiftTemplate("one", "08:00", 6),
    (ShiftTemplate("a", "08:00", 2), ShiftTemplate("b", "10:00", 3, days=["Mon"])),
])
BAD_TEMPLATES = st.sampled_from([
    [ShiftTemplate("half", "08:30", 4)], [ShiftTemplate("day", "08:00", 4)] * 2, [], None,
    "day", [1], {"day": 1}, [ShiftTemplate("day", "08:00", 4), "x"],
    [ShiftTemplate("sunday", "08:00", 4, days=["Sun"])],
    [ShiftTemplate("b", "08:00", 4, breaks=[BreakRule(15, 70, 80)])]]) | JUNK
LIMIT = st.just(5.0)
BAD_LIMIT = st.sampled_from([0, -1, math.nan, math.inf, "x", [3.0], 1e-300])
BOUND = st.none() | st.sampled_from([3, 8, 12.0, np.int64(4)])
BAD_BOUND = st.sampled_from([2.5, 0, 10**12, "x", True, 1]) | JUNK


@SOLVE
@given(data=st.data())
def test_fuzz_schedule_shifts(data):
    args = _arguments(data, {
        "need": _needs(st.integers(0, 4) | st.floats(0, 4), st.sampled_from(
            [math.nan, math.inf, -1.0, 1e12, 1e300, "2", None, 1e-300])),
        "templates": TEMPLATE_SETS,
        "penalty": st.none() | st.sampled_from([1.0, 100.0]), "seats": BOUND,
        "per_day": BOUND, "gap": st.sampled_from([1e-3, 0.0, 0.5]), "limit": LIMIT,
        "workers": st.sampled_from([None, 1]), "executor": st.none()},
        {"templates": BAD_TEMPLATES, "penalty": st.sampled_from([0, -1, "x", 1e300]) | JUNK,
         "seats": BAD_BOUND, "per_day": BAD_BOUND,
         "gap": st.sampled_from([1.0, math.nan, -1, "x"]), "limit": BAD_LIMIT,
         "workers": st.sampled_from([0, 1.5, "x", 10**400]), "executor": JUNK})
    requirement = _series(*args["need"])
    plan = _settle(lambda: schedule_shifts(
        requirement, args["templates"], understaffing_penalty=args["penalty"],
        seats=args["seats"], max_agents_per_day=args["per_day"], mip_gap=args["gap"],
        time_limit_seconds=args["limit"], workers=args["workers"], executor=args["executor"]))
    if plan is not None:
        _valid_plan(plan, soft=args["penalty"] is not None)


@SOLVE
@given(data=st.data())
def test_fuzz_schedule_for_service_level(data):
    args = _arguments(data, {
        "calls": _needs(st.integers(0, 120) | st.floats(0, 120), st.sampled_from(
            [math.nan, math.inf, -5.0, 1e9, 1e300, "x"])),
        "aht": st.sampled_from([180, 60.0, np.float64(240), 1e-300]),
        "target": st.sampled_from([0.8, 0.5, 0.95]), "within": st.sampled_from([20, 0, 1e6]),
        "patience": st.sampled_from([None, 120.0, math.inf]),
        "floor": st.sampled_from([None, 0.5]), "compare": st.sampled_from([False, True]),
        "seats": BOUND, "limit": LIMIT},
        {"aht": st.sampled_from([0, -1, math.nan, math.inf, 1e300, "x", [180, 180]]) | JUNK,
         "target": st.sampled_from([0.999999, 0, 1, 80, math.nan, "x"]) | JUNK,
         "within": st.sampled_from([-1, math.nan, "x"]) | JUNK,
         "patience": st.sampled_from([0, math.nan, "x", [1, 2]]) | JUNK,
         "floor": st.sampled_from([1.0, 0, "x"]) | JUNK,
         "compare": st.sampled_from(["yes", 1, None]), "seats": BAD_BOUND,
         "limit": BAD_LIMIT})
    calls = _series(*args["calls"])
    templates = [ShiftTemplate("early", "08:00", 4), ShiftTemplate("late", "09:00", 4)]
    plan = _settle(lambda: schedule_for_service_level(
        calls, templates, args["aht"], args["target"], args["within"],
        patience_seconds=args["patience"], min_interval_service_level=args["floor"],
        compare=args["compare"], seats=args["seats"], time_limit_seconds=args["limit"]))
    if plan is not None:
        _valid_plan(plan, soft=True)  # the daily plan may go below the interval requirement
        level = plan.coverage["service_level"]
        assert ((level >= -1e-12) & (level <= 1 + 1e-12)).all()
        service = plan.service
        busy = service["calls"] > 0
        assert (service.loc[busy, "service_level"] >= args["target"] - 1e-6).all()
        assert (plan.coverage["on_phones"] >= plan.coverage["floor"] - 1e-6).all()


@pytest.fixture(scope="module")
def plans() -> list[ShiftPlan]:
    need = pd.Series([1.0, 2.0, 2.0, 1.0], index=pd.date_range(MONDAY, periods=4, freq="60min"))
    with_break = [ShiftTemplate("day", "08:00", 4, breaks=[BreakRule(60, 60, 120)])]
    return [schedule_shifts(need, with_break), schedule_shifts(need * 0, with_break),
            schedule_shifts(need, [ShiftTemplate("day", "08:00", 4)])]


@settings(max_examples=30, deadline=None)
@given(which=st.integers(0, 2), ax=st.one_of(st.sampled_from([None, "axes", "here", 3]), JUNK))
def test_fuzz_plan_methods(plans, which, ax):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plan = plans[which]
    frame = plan.to_frame()
    assert list(frame.columns) == ["kind", "date", "template", "shift_start", "break",
                                   "start", "end", "agents"]
    if isinstance(ax, str) and ax == "axes":
        ax = plt.figure().subplots()
    try:
        drawn = _settle(lambda: plan.plot(ax=ax))
        assert drawn is None or drawn.get_ylabel() == "agents"
        if ax is not None and not hasattr(ax, "figure"):
            assert drawn is None
    finally:
        plt.close("all")
    assert plan.under_hours >= 0 and repr(plan).startswith("ShiftPlan(status=")


# ------------------------------------------------------------------ the named cases
def hourly(values, start=MONDAY) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float),
                     index=pd.date_range(start, periods=len(values), freq="60min"))


DAY = [ShiftTemplate("day", "08:00", 4)]


@pytest.mark.parametrize(("call", "message"), [
    (lambda: shift_catalogue(("07:00",), [4]),
     r"^opening must be a pair of times of day \(start, end\) such as \('07:00', '24:00'\) or "
     r"the text '07:00-24:00'; got \('07:00',\)$"),
    (lambda: shift_catalogue(None, [4]), r"opening must be a pair of times of day"),
    (lambda: shift_catalogue(("07:00", "25:00"), [4]),
     r"opening\[1\] \(the closing time\) must be a time of day 'HH:MM' from 00:00 to 24:00; "
     r"got '25:00'"),
    (lambda: shift_catalogue(("07:00", "12:00"), []),
     r"shift_hours must name at least one shift length"),
    (lambda: shift_catalogue(("07:00", "12:00"), [4, 4.0]),
     r"shift_hours must not repeat a length; 4 h appears twice"),
    (lambda: shift_catalogue(("07:00", "12:00"), "4"), r"shift_hours must be shift lengths"),
    (lambda: shift_catalogue(("07:00", "12:00"), [4], every_minutes=0),
     r"every_minutes must be a whole number >= 1 and <= 1,440; got 0"),
    (lambda: shift_catalogue(("00:00", "24:00"), [m / 60 for m in range(30, 300)],
                             every_minutes=1, breaks=None),
     r"^shift_catalogue would make 344,655 templates, more than the limit of 50,000 "
     r"templates; give a larger every_minutes or fewer shift_hours$"),
    (lambda: shift_catalogue(("07:00", "12:00"), [4], breaks={8: []}),
     r"breaks has no entry for the 4 h shifts; it maps \['8'\]"),
    (lambda: shift_catalogue(("07:00", "12:00"), [4], max_agents="x"),
     r"max_agents must be a whole number >= 0 and <= 1,000,000,000; got 'x'"),
    (lambda: standard_breaks(None), r"standard_breaks: give shift_hours"),
    (lambda: standard_breaks(1e300), r"shift_hours must be a finite number > 0 and <= 24"),
    (lambda: ShiftTemplate("A", "08:00"), r"ShiftTemplate 'A': give shift_hours"),
    (lambda: ShiftTemplate("A", "08:00", 8, breaks=None, min_agents=10**7),
     r"'A' min_agents must be a whole number >= 0 and <= 1,000,000; got 10000000"),
    (lambda: ShiftTemplate("A", "08:00", 8, cost=1e300),
     r"'A' cost must be a finite number >= 0 and <= 1,000,000,000; got 1e\+300"),
    (lambda: ShiftTemplate("A", "08:00", 8, breaks=5), r"'A' breaks must be a sequence of "
                                                       r"BreakRule"),
    (lambda: BreakRule(15, 0, 30, paid="yes"), r"BreakRule paid must be True or False"),
])
def test_named_catalogue_and_template_cases(call, message):
    with pytest.raises(CCSimInputError, match=message):
        call()


def test_a_scalar_length_and_an_opening_text_are_accepted():
    assert [t.name for t in shift_catalogue("08:00-12:00", 4, every_minutes=60)] == ["4h 08:00"]


@pytest.mark.parametrize(("requirement", "templates", "message"), [
    (hourly([1, 1e12, 1, 1]), DAY,
     r"^schedule_shifts: the requirement at 2024-03-04 09:00:00 is 1e\+12 agents, more than "
     r"the limit of 1e\+06 agents; a requirement is agents on the phones per interval"),
    (pd.Series(1.0, index=pd.date_range("2000-01-01", periods=10**6, freq="D", unit="s")),
     [ShiftTemplate("d", "00:00", 24)],
     r"requirement's span \(first to last interval\) is 1e\+06 days, more than the limit of "
     r"3,660 days; plan weeks or months per call"),
    (pd.Series(1.0, index=pd.date_range("2020-01-01", periods=3650 * 96, freq="15min")),
     shift_catalogue(("00:00", "24:00"), [8], every_minutes=240),
     r"schedule_shifts: the model for 350,400 intervals, 5 templates and 2 break class\(es\) "
     r"is 2\.876e\+06 variables, more than the limit of 2e\+06 variables; plan fewer days"),
    (hourly([1, 1], "3000-01-01 08:00").set_axis(
        pd.date_range("3000-01-01 08:00", periods=2, freq="h", unit="s")), DAY,
     r"requirement must start after 1677-09-23 and end before 2262-04-09"),
    (hourly([1, 1]).tz_localize("UTC"), DAY, r"must be indexed by naive local times"),
    (hourly([1, 1, 1]).set_axis(pd.DatetimeIndex([MONDAY] * 3)), DAY,
     r"increasing interval starts without duplicates or NaT; it has a duplicated start"),
    (hourly([1, math.nan]), DAY, r"requirement must be a finite number in \[0, inf\); got nan "
                                 r"at position 1"),
    (hourly([1, math.inf]), DAY, r"got inf at position 1"),
    (pd.Series([1.0], index=pd.DatetimeIndex([MONDAY])), DAY,
     r"cannot infer the interval length of requirement from one interval"),
    (pd.Series([], index=pd.DatetimeIndex([]), dtype=float), DAY, r"requirement has no "
                                                                  r"intervals"),
    (pd.Series(["a", "b"], index=pd.date_range(MONDAY, periods=2, freq="h")), DAY,
     r"requirement must hold numbers; got 'a'"),
    (hourly([1, 1]), None, r"templates must be a sequence of ShiftTemplate"),
    (hourly([1, 1]), [ShiftTemplate("day", "08:00", 4), "x"],
     r"templates must be ShiftTemplate objects; got 'x'"),
])
def test_named_requirement_cases(requirement, templates, message):
    with pytest.raises(CCSimInputError, match=message):
        schedule_shifts(requirement, templates, time_limit_seconds=5)


def test_one_interval_with_a_declared_length_is_planned():
    plan = schedule_shifts(pd.Series([2.0], index=pd.date_range(MONDAY, periods=1, freq="h")),
                           ShiftTemplate("day", "08:00", 4))
    assert plan.shifts_worked == 2 and plan.status == "optimal"


CALLS_4H = pd.Series([100.0, 120.0, 90.0, 60.0],
                     index=pd.date_range(MONDAY, periods=4, freq="60min"))
TWO = [ShiftTemplate("early", "08:00", 4), ShiftTemplate("late", "09:00", 3)]


@pytest.mark.parametrize(("calls", "kwargs", "message"), [
    (CALLS_4H * 1e7, {},
     r"^schedule_for_service_level: the offered load of the busiest interval "
     r"\(2024-03-04 09:00:00: 1\.2e\+09 calls of 180 s in 60 min\) is 6e\+07 Erlang, more than "
     r"the limit of 1e\+06 Erlang; calls_per_interval must be calls offered per interval"),
    (CALLS_4H * 1e4, {"patience_seconds": 120.0},
     r"^schedule_for_service_level: the service-level model of 2024-03-04 \(a segment per agent "
     r"between each interval's floor and its cap at a service level of 0.99999\) is 3.06e\+04 "
     r"segments, more than the limit of 2.5e\+04 segments; check calls_per_interval"),
    (pd.Series(4e6, index=pd.date_range("2024-03-04", periods=48, freq="60min")),
     {"patience_seconds": 120.0},
     r"^schedule_for_service_level: the service-level curves of 48 intervals with calls, "
     r"evaluated at each \(interval, agents\) point, is 9.65e\+06 points, more than the limit "
     r"of 5e\+06 points; plan fewer days per call \(days are planned independently\); Erlang A "
     r"\(patience_seconds\) evaluates each interval from 0 agents$"),
    (CALLS_4H, {"target": 0.999999},
     r"^target=0.999999 cannot be met on 2024-03-04: the model credits the calls answered "
     r"within 20 s in each interval only up to the agents that bring its service level to "
     r"0.99999 \(the cap on agents derived from its calls_per_interval\), so the day's "
     r"service level is at most 0.99999\d; give a lower target$"),
    (CALLS_4H, {"seats": 5},
     r"^seats=5 is below the service-level floor \(in each interval with calls, more agents "
     r"than the offered load: a stable queue\) in 2 interval\(s\), e.g. 2024-03-04 09:00 "
     r"needs 7 agents on the phones; raise seats$"),
    (CALLS_4H, {"seats": 9, "target": 0.95},
     r"^the daily target=0.95 cannot be met on 2024-03-04 under the bounds \(seats=9\): at "
     r"most 0.93\d+ of its calls can be answered in time; relax those bounds or lower target$"),
    (CALLS_4H, {"max_agents_per_day": 6},
     r"^max_agents_per_day=6 cannot cover 2024-03-04 09:00, where the service-level floor \(in "
     r"each interval with calls, more agents than the offered load: a stable queue\) needs 7 "
     r"agents on the phones; raise max_agents_per_day$"),
    (CALLS_4H, {"seats": 9, "target": 0.95, "compare": True},
     r"the daily target=0.95 cannot be met"),
    (CALLS_4H, {"seats": 8, "compare": True},
     r"^compare=True: the plan meeting target=0.8 in every interval, to compare with, cannot "
     r"be made: seats=8 is below the requirement in 1 interval\(s\), e.g. 2024-03-04 09:00 "
     r"needs 9 agents on the phones; raise seats; give compare=False to skip it$"),
    (CALLS_4H, {"aht_seconds": [180, 180]}, r"aht_seconds must be a single number"),
    (CALLS_4H, {"patience_seconds": np.array([1.0, 2.0])},
     r"patience_seconds must be a single number"),
    (CALLS_4H, {"templates": None}, r"schedule_for_service_level: give templates"),
])
def test_named_service_level_cases(calls, kwargs, message):
    arguments = {"templates": TWO, "aht_seconds": 180, "target": 0.8,
                 "answer_within_seconds": 20, "compare": False, "time_limit_seconds": 10}
    arguments.update(kwargs)
    with pytest.raises(CCSimInputError, match=message) as caught:
        schedule_for_service_level(calls, **arguments)
    assert "min_agents" not in str(caught.value)  # never blamed on bounds not given


# ------------------------------------------------------------------ renamed names
def test_shift_template_hours_is_renamed_shift_hours():
    new = ShiftTemplate("E06", "06:00", shift_hours=9, breaks=standard_breaks(9))
    with pytest.warns(DeprecationWarning, match=r"ShiftTemplate: hours= is deprecated .* use "
                                                r"shift_hours="):
        old = ShiftTemplate("E06", "06:00", hours=9, breaks=standard_breaks(9))
    assert old == new and ShiftTemplate("E06", "06:00", 9, standard_breaks(9)) == new
    with pytest.warns(DeprecationWarning, match=r"ShiftTemplate.hours is deprecated"):
        assert old.hours == 9.0 == new.shift_hours
    with pytest.raises(CCSimInputError, match=r"give shift_hours= only \(hours= is its old "
                                              r"name\); got both"):
        ShiftTemplate("E06", "06:00", 9, hours=9)
    assert "shift_hours=9.0" in repr(new)


def test_standard_breaks_and_catalogue_take_shift_hours():
    with pytest.warns(DeprecationWarning, match=r"standard_breaks: hours= is deprecated"):
        assert standard_breaks(hours=8) == standard_breaks(8) == standard_breaks(shift_hours=8)
    new = shift_catalogue(("08:00", "18:00"), shift_hours=[8, 4], every_minutes=60)
    with pytest.warns(DeprecationWarning, match=r"shift_catalogue: lengths_hours= is "
                                                r"deprecated .* use shift_hours="):
        old = shift_catalogue(("08:00", "18:00"), lengths_hours=[8, 4], every_minutes=60)
    assert old == new == shift_catalogue(("08:00", "18:00"), [8, 4], every_minutes=60)
    assert [t.shift_hours for t in shift_catalogue()] == [9.0] * 17 + [4.0] * 27  # (9, 4)
    with pytest.raises(CCSimInputError, match=r"give shift_hours= only"):
        shift_catalogue(("08:00", "18:00"), [8], lengths_hours=[8])


def test_schedule_for_service_level_takes_calls_per_interval():
    arguments = {"templates": TWO, "aht_seconds": 180, "target": 0.8,
                 "answer_within_seconds": 20, "compare": False}
    new = schedule_for_service_level(calls_per_interval=CALLS_4H, **arguments)
    with pytest.warns(DeprecationWarning, match=r"schedule_for_service_level: calls= is "
                                                r"deprecated .* use calls_per_interval="):
        old = schedule_for_service_level(calls=CALLS_4H, **arguments)
    assert old.cost == new.cost and old.counts.equals(new.counts)
    with warnings.catch_warnings():  # the positional form (as the CLI calls it) does not warn
        warnings.simplefilter("error", DeprecationWarning)
        positional = schedule_for_service_level(CALLS_4H, TWO, 180, 0.8, 20, compare=False)
    assert positional.cost == new.cost
    with pytest.raises(CCSimInputError, match=r"give calls_per_interval= only"):
        schedule_for_service_level(CALLS_4H, calls=CALLS_4H, **arguments)


def test_plan_agents_is_renamed_shifts_worked():
    plan = schedule_shifts(hourly([2, 3, 3, 1]), DAY)
    assert plan.shifts_worked == 3
    with pytest.warns(DeprecationWarning, match=r"ShiftPlan.agents is deprecated .* use "
                                                r"\.shifts_worked"):
        assert plan.agents == 3
    assert repr(plan) == ("ShiftPlan(status='optimal', shifts_worked=3, paid_hours=12, cost=12, "
                          "lower_bound=12, gap=0.00%, intervals=4, under_hours=0)")
