"""Scenario objects and distributions: validated when built, with messages that say why."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ccsim import CCSimInputError
from ccsim.simulation import (
    AgentGroup,
    CallType,
    Deterministic,
    Empirical,
    Exponential,
    Gamma,
    LogNormal,
    Scenario,
    Shift,
    simulate,
)
from ccsim.simulation._plan import compile_plan


def retail(**changes):
    return CallType("retail", **{"arrivals_per_hour": 100, "aht_seconds": 180, **changes})


def team(**changes):
    return AgentGroup("team", **{"skills": ["retail"], "agents": 5, **changes})


def scenario(**changes):
    return Scenario(**{"call_types": [retail()], "groups": [team()], "horizon_hours": 1,
                        **changes})


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("build, message", [
    (lambda: retail(arrivals_per_hour=-5),
     r"CallType\('retail'\)\.arrivals_per_hour must be a finite number in \[0, inf\); got -5\.0"),
    (lambda: CallType("retail", aht_seconds=180), r"give arrivals_per_hour or arrivals"),
    (lambda: retail(arrivals=pd.Series([1.0])), r"arrivals_per_hour or arrivals, not both"),
    (lambda: retail(aht_seconds=0),
     r"CallType\('retail'\)\.aht_seconds must be a finite number in \(0, 1e\+09\]; got 0\.0"),
    (lambda: retail(aht_seconds=None), r"CallType\('retail'\): give aht_seconds or service"),
    (lambda: retail(aht_seconds="fast"), r"aht_seconds must be a number of seconds .* got 'fast'"),
    (lambda: retail(patience_seconds=0),
     r"patience_seconds must be a finite number in \(0, 1e\+09\]; got 0\.0"),
    (lambda: retail(patience_seconds=-3), r"patience_seconds must be .*; got -3\.0"),
    (lambda: retail(patience_seconds=60, patience=Exponential(60)),
     r"give patience_seconds or patience, not both"),
    (lambda: retail(patience=Deterministic(0)), r"patience must have a mean > 0 seconds"),
    (lambda: retail(wrap_up_seconds=-1),
     r"wrap_up_seconds must be a finite number in \[0, 1e\+09\]; got -1\.0"),
    (lambda: retail(priority=1.5), r"priority must be an integer; got 1\.5"),
    (lambda: retail(overflow={"team": -1}),
     r"CallType\('retail'\)\.overflow\['team'\] must be a finite number in \[0, inf\); got -1"),
    (lambda: retail(overflow=5), r"overflow must map group names to delays in seconds"),
    (lambda: retail(answer_within_seconds=-2), r"answer_within_seconds must be .*got -2\.0"),
    (lambda: CallType("", 5, 180), r"CallType\.name must be a non-empty string; got ''"),
    (lambda: retail(arrivals_per_hour=None, arrivals=[1, 2]),
     r"arrivals must be a forecast DataFrame .* got list"),
    (lambda: team(skills=[]),
     r"AgentGroup\('team'\)\.skills must be a non-empty list of call type names; got \[\]"),
    (lambda: team(skills="retail"), r"skills must be a non-empty list .* got 'retail'"),
    (lambda: team(skills=["retail", "retail"]), r"skills lists 'retail' twice"),
    (lambda: team(agents=-1),
     r"AgentGroup\('team'\)\.agents must be a whole number >= 0; got -1\.0"),
    (lambda: team(agents=[1, 2.5]), r"agents must be a whole number >= 0; got 2\.5 at position 1"),
    (lambda: team(agents=None), r"AgentGroup\('team'\): give agents or shifts"),
    (lambda: team(shifts=[Shift(0, 1)]), r"give agents or shifts, not both"),
    (lambda: team(agents=None, shifts=[(0, 1)]), r"shifts must be a sequence of Shift"),
    (lambda: Shift(8, 7),
     r"Shift\.end_hours must be a finite number in \(8, 1e\+06\]; got 7\.0"),
    (lambda: Shift(8, 16, breaks=[(17, 18)]),
     r"Shift\.breaks must lie inside the shift 8-16 h, .* got \(17, 18\)"),
    (lambda: Shift(8, 16, breaks=[(12, 13), (12.5, 14)]), r"not overlapping"),
    (lambda: Shift(8, 16, agents=-2), r"Shift\.agents must be a whole number >= 0; got -2\.0"),
    (lambda: scenario(groups=[team(skills=["retail", "vip"])]),
     r"AgentGroup\('team'\)\.skills has unknown call type 'vip'; the scenario's call types are "
     r"\['retail'\]"),
    (lambda: scenario(call_types=[retail(), CallType("vip", 5, 100)]),
     r"CallType\('vip'\) is answered by no agent group"),
    (lambda: scenario(call_types=[retail(overflow={"back_office": 30})]),
     r"CallType\('retail'\)\.overflow names unknown group 'back_office'; the groups are "
     r"\['team'\]"),
    (lambda: scenario(call_types=[retail(overflow={"team": 30})]),
     r"overflow names group 'team', which already has this skill"),
    (lambda: scenario(call_types=[retail(), retail()]), r"Scenario\.call_types has two named"),
    (lambda: scenario(groups=[]), r"Scenario\.groups must be a non-empty list of AgentGroup"),
    (lambda: scenario(groups=[retail()]), r"Scenario\.groups must hold AgentGroup objects"),
    (lambda: scenario(horizon_hours=0),
     r"Scenario\.horizon_hours must be a finite number in \(0, inf\); got 0\.0"),
    (lambda: scenario(horizon_hours=None),
     r"Scenario\.horizon_hours must be given when no call type has a"),
    (lambda: scenario(horizon_hours=1.2),
     r"Scenario\.horizon_hours must be a whole number of 30-minute intervals; got 1\.2 h"),
    (lambda: scenario(warmup_hours=1), r"Scenario\.warmup_hours must be .*\[0, 1\); got 1\.0"),
    (lambda: scenario(warmup_hours=0.25), r"warmup_hours must be a whole number of 30-minute"),
    (lambda: scenario(answer_within_seconds=-1), r"Scenario\.answer_within_seconds must be"),
    (lambda: scenario(interval_minutes=0), r"Scenario\.interval_minutes must be"),
    (lambda: scenario(start="not a time"), r"Scenario\.start must be a naive timestamp"),
    (lambda: scenario(groups=[team(agents=[1, 2, 3])]),
     r"AgentGroup\('team'\)\.agents must have one value per interval of the scenario \(2 of 30 "
     r"min\); got 3"),
    (lambda: scenario(call_types=[retail(arrivals_per_hour=[1, 2, 3])]),
     r"arrivals_per_hour must have one value per interval of the scenario \(2 of 30 min\); got 3"),
    (lambda: Exponential(-1), r"Exponential\.mean_seconds must be .*; got -1\.0"),
    (lambda: LogNormal(180, -1), r"LogNormal\.sd_seconds must be a finite number in \[0, 1e\+09\]"),
    (lambda: Gamma(180, 0),
     r"Gamma\.sd_seconds must be a finite number in \(0, 1e\+09\]; got 0\.0"),
    (lambda: Deterministic(-1), r"Deterministic\.seconds must be"),
    (lambda: Empirical([]), r"Empirical\.samples_seconds must be a non-empty 1-d sequence"),
    (lambda: Empirical([0, 0]), r"Empirical\.samples_seconds must contain a time > 0"),
    (lambda: Empirical([5, -1]), r"Empirical\.samples_seconds must be .*; got -1\.0 at position 1"),
])
def test_bad_input_is_refused_when_built(build, message):
    with pytest.raises(CCSimInputError, match=message):
        build()


@pytest.mark.parametrize("kwargs, message", [
    ({"replications": 0}, r"replications must be a whole number >= 1; got 0\.0"),
    ({"seed": -1}, r"seed must be an int >= 0, a numpy\.random\.SeedSequence"),
    ({"seed": "7"}, r"seed must be an int >= 0"),
    ({"executor": "threads"}, r"executor must be a concurrent\.futures\.Executor .* got 'threads'"),
    ({"keep_calls": "yes"}, r"keep_calls must be True or False; got 'yes'"),
])
def test_bad_simulate_arguments(kwargs, message):
    with pytest.raises(CCSimInputError, match=message):
        simulate(scenario(), **kwargs)


def test_simulate_needs_a_scenario():
    with pytest.raises(CCSimInputError, match="scenario must be a Scenario; got dict"):
        simulate({"hours": 1})


def test_input_errors_are_value_errors():
    with pytest.raises(ValueError):
        retail(aht_seconds=-1)


# ---------------------------------------------------------------- good input
def test_the_contract_example_builds_and_defaults_to_exponential_times():
    call_type = CallType("retail", arrivals_per_hour=600, aht_seconds=180, patience_seconds=120)
    assert call_type.service_distribution == Exponential(180)
    assert call_type.patience_distribution == Exponential(120)
    assert call_type.wrap_up_distribution == Deterministic(0)
    assert CallType("x", 5, 100).patience_distribution is None  # never hangs up
    built = Scenario(call_types=[call_type], groups=[AgentGroup("team", ["retail"], 35)],
                     horizon_hours=10, answer_within_seconds=20)
    assert (built.n_intervals, built.interval_seconds, built.start) == (20, 1800.0, None)


def test_scenarios_are_frozen_comparable_and_replaceable():
    first = scenario()
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.horizon_hours = 2
    assert first == scenario() and hash(first) == hash(scenario())
    assert isinstance(first.call_types, tuple) and isinstance(first.groups, tuple)
    assert hash(retail()) == hash(retail())
    other = dataclasses.replace(first, groups=[team(agents=6)])
    assert other != first and other.groups[0].agents == 6
    assert dataclasses.replace(retail(), aht_seconds=200).service_distribution == Exponential(200)


def test_richer_distributions_are_keyword_options():
    call_type = CallType("retail", 100, service=LogNormal(180, 120), wrap_up_seconds=Gamma(30, 10),
                         patience=Empirical([30, 60, 90]))
    assert call_type.service_distribution == LogNormal(180, 120)
    assert call_type.wrap_up_distribution == Gamma(30, 10)
    assert call_type.patience_distribution.mean_seconds == 60
    assert CallType("x", 5, 100, wrap_up_seconds=20).wrap_up_distribution == Exponential(20)
    assert "3 samples" in repr(Empirical([30, 60, 90]))


@pytest.mark.parametrize("distribution, sd", [
    (Exponential(180), 180.0), (LogNormal(180, 90), 90.0), (Gamma(180, 60), 60.0),
    (Deterministic(42), 0.0), (Empirical([10, 20, 30, 40]), np.std([10, 20, 30, 40])),
])
def test_distributions_have_their_mean_and_spread(distribution, sd):
    draws = distribution.sample(np.random.default_rng(3), 400_000)
    mean = distribution.mean_seconds
    # 5 standard errors: a false alarm about once in 1.7 million runs
    assert abs(draws.mean() - mean) <= 5 * max(sd, 1e-9) / np.sqrt(draws.size) + 1e-12
    assert draws.std() == pytest.approx(sd, rel=0.02, abs=1e-9)
    assert (draws >= 0).all()


def test_lognormal_from_log_parameters():
    fitted = LogNormal.from_log(5.0, 0.5)
    assert fitted.mean_seconds == pytest.approx(np.exp(5.0 + 0.125))
    draws = np.log(fitted.sample(np.random.default_rng(1), 200_000))
    assert draws.mean() == pytest.approx(5.0, abs=0.005)
    assert draws.std() == pytest.approx(0.5, abs=0.005)


def test_sequences_per_interval_and_series_on_timestamps():
    start = pd.Timestamp("2024-04-01 08:00")
    index = pd.date_range(start, periods=4, freq="30min")
    built = Scenario([retail(arrivals_per_hour=[10, 20, 30, 40])],
                     [team(agents=pd.Series([1, 2, 3, 4], index=index))], horizon_hours=2,
                     start=start)
    assert built.agent_counts(built.groups[0]).tolist() == [1, 2, 3, 4]
    starts, lengths, calls = built.arrival_rates(built.call_types[0])
    assert calls.tolist() == [5, 10, 15, 20] and lengths.tolist() == [1800.0] * 4
    with pytest.raises(CCSimInputError, match=r"agents has no value for the interval starting "
                                              r"2024-04-01 09:30"):
        Scenario([retail()], [team(agents=pd.Series([1, 2, 3], index=index[:3]))], horizon_hours=2,
                 start=start)
    with pytest.raises(CCSimInputError, match="needs a start"):
        Scenario([retail()], [team(agents=pd.Series([1, 2, 3, 4], index=index))], horizon_hours=2)


def test_a_forecast_sets_the_start_hours_and_interval():
    grid = pd.date_range("2024-04-01 08:00", periods=6, freq="15min")
    forecast = pd.concat([
        pd.DataFrame({"interval_start": grid, "call_type": name, "calls": calls,
                      "calls_lower": 0.0, "calls_upper": 100.0})
        for name, calls in (("retail", [10.0, 20, 30, 30, 20, 10]), ("vip", [1.0] * 6))])
    forecast.attrs["freq"] = "15min"
    built = Scenario([CallType("retail", arrivals=forecast, aht_seconds=180)], [team()])
    assert built.start == pd.Timestamp("2024-04-01 08:00")
    assert (built.horizon_hours, built.interval_minutes, built.n_intervals) == (1.5, 15.0, 6)
    assert built.arrival_rates(built.call_types[0])[2].tolist() == [10, 20, 30, 30, 20, 10]
    window = Scenario([CallType("retail", arrivals=forecast, aht_seconds=180)], [team()],
                      start="2024-04-01 08:30", horizon_hours=0.5)  # a window of the forecast
    assert window.arrival_rates(window.call_types[0])[2].tolist() == [30, 30]
    with pytest.raises(CCSimInputError, match=r"has no rows for call type 'other'; its call "
                                              r"types are \['retail', 'vip'\]"):
        CallType("other", arrivals=forecast, aht_seconds=180)
    with pytest.raises(CCSimInputError, match="has no interval inside the scenario"):
        Scenario([CallType("retail", arrivals=forecast, aht_seconds=180)], [team()],
                 start="2024-04-02", horizon_hours=1)
    series = forecast[forecast.call_type == "vip"].set_index("interval_start")["calls"]
    assert CallType("vip", arrivals=series.asfreq("15min"), aht_seconds=60)._forecast.values == (
        1.0,) * 6


def test_preference_order_priority_skills_then_overflow():
    vip = CallType("vip", 10, 200, priority=1, overflow={"general": 30})
    plan = compile_plan(Scenario(
        [retail(), CallType("billing", 10, 100), vip],
        [AgentGroup("general", skills=["billing", "retail"], agents=3),
         AgentGroup("desk", skills=["vip"], agents=1)], horizon_hours=1))
    assert plan.preference[0] == ((2, 30.0), (1, 0.0), (0, 0.0))  # vip (priority) first
    assert plan.immediate == ((0,), (0,), (1,))
    assert plan.overflow[2] == ((30.0, (0,)),)


def test_the_simulation_does_not_import_the_formulas():
    """STYLE rule 11: simulation vs Erlang tests compare two independent implementations."""
    package = Path(__file__).resolve().parent.parent / "ccsim" / "simulation"
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                assert not name.startswith(("ccsim.erlang", "ccsim.staffing")), (path, name)
                assert name not in ("ccsim.erlang", "ccsim.staffing")
