"""Tests of ccsim.shifts.schedule_for_service_level: the daily target, judged by ccsim.erlang.

Every plan is checked the way a center is judged: the day's calls answered within the
threshold, interval by interval from ccsim.erlang at the agents the plan puts on the
phones (whole numbers here: no break shorter than an interval), over the day's calls.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from ccsim import CCSimInputError, erlang
from ccsim.shifts import BreakRule, ShiftTemplate, schedule_for_service_level, shift_catalogue

AHT, WITHIN, TARGET = 180.0, 20.0, 0.8


def bank_like_calls(days: int = 2, freq: str = "30min") -> pd.Series:
    """Calls per interval: open 07:00-22:00, a morning peak, each day a little different."""
    index = pd.date_range("2024-03-04", periods=days * pd.Timedelta("1D") // pd.Timedelta(freq),
                          freq=freq)
    hours = index.hour + index.minute / 60
    level = np.repeat(np.linspace(1.0, 1.3, days), len(index) // days)
    shape = 40 * (1 + 1.5 * np.exp(-0.5 * ((hours - 11) / 2) ** 2))
    return pd.Series(np.where((hours >= 7) & (hours < 22), shape * level, 0.0), index=index)


def daily_service_level(calls: pd.Series, on_phones: pd.Series, patience=None) -> pd.Series:
    """The day's share of calls answered within WITHIN, from ccsim.erlang, per date."""
    seconds = (calls.index[1] - calls.index[0]).total_seconds()
    traffic = calls.to_numpy() * AHT / seconds  # offered load [Erlang]
    agents = on_phones.to_numpy()
    assert np.all(agents == np.round(agents))  # whole agents: the formulas apply exactly
    if patience is None:
        level = erlang.service_level(traffic, agents, AHT, WITHIN)
    else:
        level = erlang.erlang_a(traffic, agents, AHT, patience, WITHIN).service_level
    answered = pd.Series(level * calls.to_numpy(), index=calls.index)
    day = calls.index.normalize()
    return answered.groupby(day).sum() / calls.groupby(day).sum()


TEMPLATES = shift_catalogue(("07:00", "22:00"), [8, 4], every_minutes=60, breaks={
    8: [BreakRule(30, 180, 300)], 4: []})


@pytest.fixture(scope="module")
def erlang_c_plan():
    calls = bank_like_calls()
    return calls, schedule_for_service_level(calls, TEMPLATES, AHT, TARGET, WITHIN, mip_gap=0.0)


def test_daily_target_is_met_when_judged_by_erlang_c(erlang_c_plan):
    calls, plan = erlang_c_plan
    judged = daily_service_level(calls, plan.coverage["on_phones"])
    assert (judged >= TARGET - 1e-12).all()
    assert np.allclose(judged.to_numpy(), plan.service["service_level"].to_numpy())
    assert (plan.service["target"] == TARGET).all()
    # the floor: a stable queue in every interval with calls (Erlang C)
    traffic = calls.to_numpy() * AHT / 1800
    busy = calls.to_numpy() > 0
    assert np.all(plan.coverage["on_phones"].to_numpy()[busy] > traffic[busy])


def test_the_daily_target_needs_fewer_paid_hours_than_every_interval(erlang_c_plan):
    calls, plan = erlang_c_plan
    service = plan.service
    assert list(service.columns) == ["calls", "target", "service_level", "paid_hours",
                                     "interval_plan_paid_hours", "interval_plan_service_level",
                                     "hours_saved"]
    assert (service["hours_saved"] > 0).all()
    assert np.allclose(service["hours_saved"],
                       service["interval_plan_paid_hours"] - service["paid_hours"])
    assert service["paid_hours"].sum() == plan.paid_hours
    assert (service["interval_plan_service_level"] >= service["service_level"]).all()
    # the interval plan meets the target in every interval: its "required" column
    cov = plan.coverage
    assert (cov["required"] == erlang.agents_for_service_level(
        calls.to_numpy() * AHT / 1800, AHT, TARGET, WITHIN)).all()
    assert (cov["under"] > 0).any()  # the daily plan goes below it somewhere
    assert {"floor", "calls", "service_level"} <= set(cov.columns)


def test_daily_target_with_abandonment_is_met_when_judged_by_erlang_a():
    calls = bank_like_calls(days=1)
    plan = schedule_for_service_level(calls, TEMPLATES, AHT, TARGET, WITHIN,
                                      patience_seconds=120.0, mip_gap=0.0)
    judged = daily_service_level(calls, plan.coverage["on_phones"], patience=120.0)
    assert judged.iloc[0] >= TARGET - 1e-12
    assert judged.iloc[0] == pytest.approx(plan.service["service_level"].iloc[0], abs=1e-12)
    assert plan.service["hours_saved"].iloc[0] >= 0


def test_min_interval_service_level_holds_everywhere():
    calls = bank_like_calls(days=1)
    plan = schedule_for_service_level(calls, TEMPLATES, AHT, TARGET, WITHIN,
                                      min_interval_service_level=0.5, compare=False)
    assert plan.service.columns.tolist() == ["calls", "target", "service_level", "paid_hours"]
    busy = calls > 0
    assert (plan.coverage.loc[busy, "service_level"] >= 0.5 - 1e-12).all()
    assert daily_service_level(calls, plan.coverage["on_phones"]).iloc[0] >= TARGET - 1e-12


def test_optimum_matches_brute_force():
    """Six hours, three shifts: every vector of agents (0-8 each) judged by ccsim.erlang.

    The plans the model may choose are those meeting the day's target with a stable
    queue (more agents than the load) in every interval that has calls.
    """
    calls = pd.Series([30.0, 55.0, 80.0, 70.0, 40.0, 25.0],
                      index=pd.date_range("2024-03-04 08:00", periods=6, freq="60min"))
    starts, lengths, costs = (0, 2, 0), (4, 4, 6), (4.0, 4.0, 5.5)
    templates = [ShiftTemplate(f"S{i}", f"{8 + s:02d}:00", n, cost=c)
                 for i, (s, n, c) in enumerate(zip(starts, lengths, costs, strict=True))]
    traffic = calls.to_numpy() * AHT / 3600
    best = np.inf
    for x in itertools.product(range(9), repeat=3):
        on = np.zeros(6)
        for n, s, m in zip(x, starts, lengths, strict=True):
            on[s:s + m] += n
        if np.any(on <= traffic):
            continue
        level = erlang.service_level(traffic, on, AHT, WITHIN)
        if (level * calls.to_numpy()).sum() >= TARGET * calls.sum():
            best = min(best, float(np.dot(x, costs)))
    plan = schedule_for_service_level(calls, templates, AHT, TARGET, WITHIN, mip_gap=0.0,
                                      compare=False)
    assert plan.cost == best and plan.status == "optimal"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"target": 80}, r"target must be a finite number in \(0, 1\); got 80.0 \(a fraction: "
                     r"write 0.8 for 80 %\)"),
    ({"aht_seconds": 0}, r"aht_seconds must be a finite number in \(0, inf\); got 0.0"),
    ({"answer_within_seconds": -1}, r"answer_within_seconds must be a finite number in "
                                    r"\[0, inf\); got -1.0"),
    ({"patience_seconds": 0}, r"patience_seconds must be a number in \(0, inf\]; got 0.0"),
    ({"min_interval_service_level": 1.0}, r"min_interval_service_level must be a finite "
                                          r"number in \(0, 1\); got 1.0"),
    ({"compare": "yes"}, "compare must be True or False; got 'yes'"),
    ({"calls_per_interval": pd.DataFrame({"when": [1]})},
     r"calls_per_interval as a DataFrame needs columns 'interval_start' and 'calls'"),
    ({"templates": [ShiftTemplate("late", "15:00", 4)]},
     r"no template covers 22 interval\(s\) where the service-level floor \(in each interval "
     r"with calls, more agents than the offered load: a stable queue\) needs agents: "
     r"2024-03-04 07:00-15:00 \(needs up to \d+\), 2024-03-04 19:00-22:00 \(needs up to "
     r"\d+\); add templates working then \(check their start, length, days and forced "
     r"breaks\)$"),
])
def test_bad_input_says_what_is_wrong(kwargs, message):
    arguments = {"calls_per_interval": bank_like_calls(days=1), "templates": TEMPLATES,
                 "aht_seconds": AHT, "target": TARGET, "answer_within_seconds": WITHIN, **kwargs}
    with pytest.raises(CCSimInputError, match=message):
        schedule_for_service_level(**arguments)
