"""Bad input to ccsim.erlang raises CCSimInputError naming the argument, the value
and what would be valid (contract of the module; messages checked by calling the
functions, then the important parts pinned here)."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from ccsim import (
    CCSimError,
    CCSimInputError,
    agents_for_abandon_rate,
    agents_for_asa,
    agents_for_service_level,
    average_speed_of_answer,
    erlang_a,
    erlang_b,
    erlang_c,
    occupancy,
    service_level,
)

NAN = math.nan
INF = math.inf


def test_error_type_is_a_value_error():
    assert issubclass(CCSimInputError, ValueError)
    assert issubclass(CCSimInputError, CCSimError)
    with pytest.raises(ValueError):
        erlang_c(-1.0, 14)


# Every public function with good arguments; ``traffic`` is the first argument.
CALLS = {
    "erlang_b": lambda traffic=10.0, agents=14: erlang_b(traffic, agents),
    "erlang_c": lambda traffic=10.0, agents=14: erlang_c(traffic, agents),
    "occupancy": lambda traffic=10.0, agents=14: occupancy(traffic, agents),
    "service_level": lambda traffic=10.0, agents=14, aht_seconds=180.0,
    answer_within_seconds=20.0: service_level(traffic, agents, aht_seconds,
                                              answer_within_seconds),
    "average_speed_of_answer": lambda traffic=10.0, agents=14, aht_seconds=180.0:
    average_speed_of_answer(traffic, agents, aht_seconds),
    "erlang_a": lambda traffic=10.0, agents=14, aht_seconds=180.0, patience_seconds=120.0,
    answer_within_seconds=20.0: erlang_a(traffic, agents, aht_seconds, patience_seconds,
                                         answer_within_seconds),
    "agents_for_service_level": lambda traffic=10.0, aht_seconds=180.0, target=0.8,
    answer_within_seconds=20.0, patience_seconds=None, max_occupancy=None:
    agents_for_service_level(traffic, aht_seconds, target, answer_within_seconds,
                             patience_seconds=patience_seconds, max_occupancy=max_occupancy),
    "agents_for_asa": lambda traffic=10.0, aht_seconds=180.0, target_seconds=15.0,
    patience_seconds=None, max_occupancy=None:
    agents_for_asa(traffic, aht_seconds, target_seconds, patience_seconds=patience_seconds,
                   max_occupancy=max_occupancy),
    "agents_for_abandon_rate": lambda traffic=10.0, aht_seconds=180.0, target=0.05,
    patience_seconds=120.0, max_occupancy=None:
    agents_for_abandon_rate(traffic, aht_seconds, target, patience_seconds,
                            max_occupancy=max_occupancy),
}
WITH_AGENTS = ("erlang_b", "erlang_c", "occupancy", "service_level", "average_speed_of_answer",
               "erlang_a")
WITH_AHT = ("service_level", "average_speed_of_answer", "erlang_a", "agents_for_service_level",
            "agents_for_asa", "agents_for_abandon_rate")
WITH_THRESHOLD = ("service_level", "erlang_a", "agents_for_service_level")
WITH_PATIENCE = ("erlang_a", "agents_for_service_level", "agents_for_asa",
                 "agents_for_abandon_rate")
INVERSES = ("agents_for_service_level", "agents_for_asa", "agents_for_abandon_rate")


def test_good_arguments_do_not_raise():
    for call in CALLS.values():
        call()


# Messages: "<name> must be <what is valid>; got <value>[ at position i]".
def _got(value: str) -> str:
    # A value in (1, 100] of a fraction may come with the hint "(a fraction: ...)".
    hint = r"( \(a fraction: write 0\.8 for 80 %\))?" if value in (r"1\.5",) else ""
    return rf"; got {value}{hint}$"


@pytest.mark.parametrize("func", list(CALLS))
@pytest.mark.parametrize(
    ("value", "shown"),
    [(-1.0, r"-1\.0"), (NAN, "nan"), (INF, "inf"), (-1e-300, r"-1e-300")],
)
def test_bad_traffic(func, value, shown):
    with pytest.raises(CCSimInputError,
                       match=r"^traffic must be a finite number in \[0, inf\)" + _got(shown)):
        CALLS[func](traffic=value)


@pytest.mark.parametrize("func", WITH_AGENTS)
@pytest.mark.parametrize(
    ("value", "shown"),
    [(14.5, r"14\.5"), (-1, r"-1\.0"), (0.999, r"0\.999"), (INF, "inf"), (NAN, "nan")],
)
def test_bad_agents(func, value, shown):
    with pytest.raises(CCSimInputError, match=r"^agents must be a whole number >= 0" + _got(shown)):
        CALLS[func](agents=value)


@pytest.mark.parametrize("func", WITH_AGENTS)
def test_whole_float_agents_are_accepted(func):
    assert repr(CALLS[func](agents=14.0)) == repr(CALLS[func](agents=14))
    assert repr(CALLS[func](agents=np.float64(14.0))) == repr(CALLS[func](agents=np.int64(14)))


@pytest.mark.parametrize("func", WITH_AHT)
@pytest.mark.parametrize(
    ("value", "shown"), [(0.0, r"0\.0"), (-180.0, r"-180\.0"), (NAN, "nan"), (INF, "inf")]
)
def test_bad_aht(func, value, shown):
    with pytest.raises(CCSimInputError,
                       match=r"^aht_seconds must be a finite number in \(0, inf\)" + _got(shown)):
        CALLS[func](aht_seconds=value)


@pytest.mark.parametrize("func", WITH_THRESHOLD)
@pytest.mark.parametrize(("value", "shown"), [(-1.0, r"-1\.0"), (NAN, "nan"), (INF, "inf")])
def test_bad_threshold(func, value, shown):
    with pytest.raises(
        CCSimInputError,
        match=r"^answer_within_seconds must be a finite number in \[0, inf\)" + _got(shown),
    ):
        CALLS[func](answer_within_seconds=value)


@pytest.mark.parametrize("func", ["agents_for_service_level", "agents_for_abandon_rate"])
@pytest.mark.parametrize(("value", "shown"), [(0.0, r"0\.0"), (1.0, r"1\.0"), (-0.2, r"-0\.2"),
                                              (NAN, "nan"), (1.5, r"1\.5")])
def test_bad_target_fraction(func, value, shown):
    with pytest.raises(CCSimInputError,
                       match=r"^target must be a finite number in \(0, 1\)" + _got(shown)):
        CALLS[func](target=value)


@pytest.mark.parametrize("func", ["agents_for_service_level", "agents_for_abandon_rate"])
@pytest.mark.parametrize(("value", "shown"), [(80, "80.0"), (5.0, "5.0"), (100, "100.0")])
def test_target_given_as_a_percentage_gets_a_hint(func, value, shown):
    with pytest.raises(CCSimInputError) as info:
        CALLS[func](target=value)
    assert str(info.value) == (
        f"target must be a finite number in (0, 1); got {shown} (a fraction: write 0.8 for 80 %)"
    )


@pytest.mark.parametrize(("value", "shown"), [(0.0, r"0\.0"), (-15.0, r"-15\.0"), (NAN, "nan")])
def test_bad_asa_target(value, shown):
    pattern = r"^target_seconds must be a finite number in \(0, inf\)" + _got(shown)
    with pytest.raises(CCSimInputError, match=pattern):
        CALLS["agents_for_asa"](target_seconds=value)


@pytest.mark.parametrize("func", WITH_PATIENCE)
@pytest.mark.parametrize(("value", "shown"), [(0.0, r"0\.0"), (-3.0, r"-3\.0"), (NAN, "nan")])
def test_bad_patience(func, value, shown):
    # "(0, inf]" where inf is allowed (Erlang C), "(0, inf)" for agents_for_abandon_rate
    pattern = r"^patience_seconds must be a (finite )?number in \(0, inf[)\]]" + _got(shown)
    with pytest.raises(CCSimInputError, match=pattern):
        CALLS[func](patience_seconds=value)


def test_abandon_rate_needs_a_finite_patience():
    with pytest.raises(CCSimInputError,
                       match=r"^patience_seconds must be a finite number.*; got None$"):
        agents_for_abandon_rate(10, 180, 0.05, None)
    with pytest.raises(CCSimInputError, match=r"^patience_seconds must be a finite number"):
        agents_for_abandon_rate(10, 180, 0.05, INF)


@pytest.mark.parametrize("func", INVERSES)
@pytest.mark.parametrize(("value", "shown"), [(0.0, r"0\.0"), (1.5, r"1\.5"), (-0.5, r"-0\.5"),
                                              (NAN, "nan")])
def test_bad_max_occupancy(func, value, shown):
    with pytest.raises(CCSimInputError,
                       match=r"^max_occupancy must be a finite number in \(0, 1\]" + _got(shown)):
        CALLS[func](max_occupancy=value)


@pytest.mark.parametrize("func", INVERSES)
def test_max_occupancy_of_one_is_valid(func):
    assert CALLS[func](max_occupancy=1.0) == CALLS[func]()


@pytest.mark.parametrize("func", list(CALLS))
@pytest.mark.parametrize("value", ["10", b"10", None, ["a", "b"], 1 + 2j, {"x": 1}])
def test_non_numbers(func, value):
    with pytest.raises(CCSimInputError,
                       match=r"^traffic must be a number or an array of numbers; got "):
        CALLS[func](traffic=value)


def test_non_number_message_shows_the_value():
    with pytest.raises(CCSimInputError, match=r"; got '10'$"):
        erlang_b("10", 5)
    with pytest.raises(CCSimInputError, match=r"^agents must be a number .*; got '14'$"):
        erlang_c(10, "14")
    with pytest.raises(CCSimInputError, match=r"^aht_seconds must be a number .*; got 'x'$"):
        service_level(10, 14, "x", 20)


def test_arrays_report_the_position():
    with pytest.raises(CCSimInputError, match=r"^traffic must be a finite number in "
                                              r"\[0, inf\); got -3\.0 at position 2$"):
        erlang_c([1.0, 2.0, -3.0], 14)
    with pytest.raises(CCSimInputError, match=r"^agents must be a whole number >= 0; got 15\.5 "
                                              r"at position 2$"):
        erlang_c(10, np.array([14, 15, 15.5]))
    with pytest.raises(CCSimInputError, match=r"^traffic must be .*at position \(1, 1\)$"):
        erlang_b(np.array([[1.0, 2.0], [3.0, -1.0]]), 14)
    with pytest.raises(CCSimInputError, match=r"^traffic must be .*; got nan at position 1$"):
        agents_for_service_level(pd.Series([1.0, NAN], index=["a", "b"]), 180, 0.8, 20)
    with pytest.raises(CCSimInputError, match=r"^target must be .*; got 80\.0 at position 1 "
                                              r"\(a fraction: write 0\.8 for 80 %\)$"):
        agents_for_service_level(10, 180, [0.8, 80], 20)
    with pytest.raises(CCSimInputError,
                       match=r"^patience_seconds must be .*; got -1\.0 at position 0$"):
        erlang_a(10, 12, 180, [-1.0, 120.0], 20)


def test_first_bad_element_is_reported():
    with pytest.raises(CCSimInputError, match=r"; got -2\.0 at position 1$"):
        erlang_b([1.0, -2.0, -3.0], 5)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: erlang_c(-1, 14), "traffic must be a finite number in [0, inf); got -1.0"),
        (lambda: erlang_c(10, 14.5), "agents must be a whole number >= 0; got 14.5"),
        (lambda: service_level(10, 14, 0.0, 20),
         "aht_seconds must be a finite number in (0, inf); got 0.0"),
        (lambda: agents_for_service_level(10, 180, 80, 20),
         "target must be a finite number in (0, 1); got 80.0 (a fraction: write 0.8 for 80 %)"),
    ],
    ids=["traffic", "agents", "aht", "target-percent"],
)
def test_message_matches_the_contract(call, message):
    # The four example messages of the module's contract, verbatim.
    with pytest.raises(CCSimInputError, match="^" + re.escape(message) + "$"):
        call()
