"""Tests of ccsim.staffing: requirements against ccsim.erlang, and the workforce arithmetic.

The worked numbers come from the operating documents quoted in docs/design.md: a desk
open 14 h a day, 30 days a month, needs about 2.5 people per seat; a floor of 603
agents has 60 team leaders and 11 supervisors.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ccsim import erlang, staffing
from ccsim._validation import CCSimInputError
from ccsim.staffing import (
    REQUIREMENT_COLUMNS,
    agent_hours,
    compare_seat_rule,
    fte,
    headcount,
    people_per_seat,
    requirements,
    seats_needed,
    standby_for_surge,
    supervision,
)

AHT = {"general": 180.0, "vip": 240.0, "english": 300.0}


def make_forecast(days: int = 2, freq: str = "30min", types=("general", "vip", "english"),
                  attrs: bool = True) -> pd.DataFrame:
    """A tidy forecast: closed 22:00-07:00, two intraday peaks, one scale per type."""
    grid = pd.date_range("2024-03-04", periods=days * pd.Timedelta("1D") // pd.Timedelta(freq),
                         freq=freq)
    hours = (grid.hour + grid.minute / 60.0).to_numpy()
    shape = np.where((hours >= 7) & (hours < 22),
                     1.0 + np.exp(-0.5 * ((hours - 10.5) / 1.5) ** 2)
                     + 0.7 * np.exp(-0.5 * ((hours - 15.0) / 2.0) ** 2), 0.0)
    scale = pd.Timedelta(freq) / pd.Timedelta("30min")
    rows = [pd.DataFrame({"interval_start": grid, "call_type": kind,
                          "calls": np.round(level * shape * scale, 1)})
            for kind, level in zip(types, (60.0, 9.0, 4.0), strict=False)]
    frame = pd.concat(rows).sort_values(["interval_start", "call_type"], ignore_index=True)
    frame["calls_lower"] = frame["calls"] * 0.8
    frame["calls_upper"] = frame["calls"] * 1.2
    if attrs:
        frame.attrs["freq"] = freq
    return frame


@pytest.fixture(scope="module")
def forecast() -> pd.DataFrame:
    return make_forecast()


# -------------------------------------------------------- agreement with erlang
def test_erlang_c_agrees_with_erlang_interval_by_interval(forecast):
    req = requirements(forecast, AHT, 0.8, 20)
    assert tuple(req.columns) == REQUIREMENT_COLUMNS
    assert len(req) == len(forecast)
    assert req["agents"].dtype == np.int64 and req["scheduled_agents"].dtype == np.int64
    assert req.attrs["model"] == dict.fromkeys(AHT, "erlang_c") and req.attrs["freq"] == "30min"
    for row in req.itertuples():
        aht = AHT[row.call_type]
        a = row.calls * aht / 1800.0
        assert row.traffic_erlangs == pytest.approx(a, rel=1e-15)
        n = erlang.agents_for_service_level(a, aht, 0.8, 20)
        assert row.agents == n
        assert row.service_level == erlang.service_level(a, n, aht, 20)
        assert row.asa_seconds == erlang.average_speed_of_answer(a, n, aht)
        assert row.occupancy == erlang.occupancy(a, n)
        assert row.p_abandon == 0.0
        if n > 0:
            assert erlang.service_level(a, n - 1, aht, 20) < 0.8 <= row.service_level
    assert not req.isna().any().any()


def test_erlang_a_with_mappings_agrees_with_erlang(forecast):
    patience = {"general": 120.0, "vip": None, "english": 90.0}
    target = {"general": 0.8, "vip": 0.9, "english": 0.7}
    within = {"general": 20, "vip": 10, "english": 30}
    req = requirements(forecast, AHT, target, within, patience_seconds=patience)
    assert req.attrs["model"] == {"english": "erlang_a", "general": "erlang_a",
                                  "vip": "erlang_c"}
    assert req.attrs["patience_seconds"] == patience
    for row in req.itertuples():
        kind = row.call_type
        a = row.calls * AHT[kind] / 1800.0
        n = erlang.agents_for_service_level(a, AHT[kind], target[kind], within[kind],
                                            patience_seconds=patience[kind])
        assert row.agents == n
        measures = erlang.erlang_a(a, n, AHT[kind], patience[kind] or math.inf, within[kind])
        # vectorised and scalar evaluation agree to rounding (quadrature in batches)
        assert row.service_level == pytest.approx(measures.service_level, rel=1e-12)
        assert row.asa_seconds == pytest.approx(measures.asa_seconds, rel=1e-12)
        assert row.p_abandon == pytest.approx(measures.p_abandon, rel=1e-12)
        assert row.occupancy == pytest.approx(measures.occupancy, rel=1e-12)
        if patience[kind] is None:
            assert row.service_level == erlang.service_level(a, n, AHT[kind], within[kind])
    busy = req[req["calls"] > 0]
    assert (busy.loc[busy["call_type"] != "vip", "p_abandon"] > 0).all()


def test_zero_call_intervals_need_no_agents(forecast):
    req = requirements(forecast, AHT, 0.8, 20, patience_seconds=120, shrinkage=0.3,
                       max_occupancy=0.85)
    night = req[req["calls"] == 0]
    assert len(night) == 2 * 18 * 3
    assert (night[["agents", "scheduled_agents"]] == 0).all().all()
    assert (night["service_level"] == 1).all() and (night["asa_seconds"] == 0).all()
    assert (night["occupancy"] == 0).all() and (night["p_abandon"] == 0).all()


def test_shrinkage_rounds_up_with_a_float_tolerance():
    index = pd.date_range("2024-01-01 08:00", periods=3, freq="30min")
    calls = pd.Series([50.0, 100.0, 170.0], index=index)  # 5, 10, 17 Erlangs
    req = requirements(calls, 180, 0.8, 20, shrinkage=0.2)
    assert req["agents"].tolist() == [8, 14, 21]
    assert req["scheduled_agents"].tolist() == [10, 18, 27]  # 8 / 0.8 = 10; 17.5, 26.25 up
    assert 21 / (1 - 0.3) != 30  # 30.000000000000004: the tolerance matters
    assert requirements(calls, 180, 0.8, 20, shrinkage=0.3)["scheduled_agents"].tolist() == [
        12, 20, 30]  # 8 / 0.7 = 11.43 -> 12; 14 / 0.7 = 20; 21 / 0.7 -> 30, not 31
    assert requirements(calls, 180, 0.8, 20)["scheduled_agents"].tolist() == [8, 14, 21]
    per_type = requirements(calls.rename("a"), 180, 0.8, 20, shrinkage={"a": 0.5})
    assert per_type["scheduled_agents"].tolist() == [16, 28, 42]


def test_occupancy_cap_raises_agents_where_it_binds():
    index = pd.date_range("2024-01-01 08:00", periods=2, freq="30min")
    calls = pd.DataFrame({"interval_start": index.repeat(2), "call_type": ["a", "b"] * 2,
                          "calls": [100.0, 100.0, 20.0, 20.0]})
    req = requirements(calls, 180, 0.8, 20, max_occupancy={"a": 0.7, "b": None})
    # traffic 10 E: 14 agents for the target; a 70 % cap needs ceil(10 / 0.7) = 15
    assert req["agents"].tolist() == [15, 14, 4, 4]
    assert req.loc[0, "occupancy"] == pytest.approx(10 / 15)
    assert req["agents"].tolist() == erlang.agents_for_service_level(
        req["traffic_erlangs"].to_numpy(), 180, 0.8, 20,
        max_occupancy=np.array([0.7, 1.0, 0.7, 1.0])).tolist()


def test_series_input_interval_length_and_call_type():
    index = pd.date_range("2024-01-01 08:00", periods=4, freq="15min")
    named = requirements(pd.Series(25.0, index=index, name="sales"), 180, 0.8, 20)
    assert set(named["call_type"]) == {"sales"}
    assert named.attrs["freq"] == "15min" and named.attrs["interval_seconds"] == 900
    assert named["traffic_erlangs"].tolist() == [5.0] * 4
    unnamed = requirements(pd.Series(25.0, index=index.copy()), 180, 0.8, 20)
    assert set(unnamed["call_type"]) == {"all"}
    hourly = pd.Series([10.0, 20.0], index=pd.DatetimeIndex(["2024-01-01 08:00",
                                                               "2024-01-01 09:00"]))
    assert requirements(hourly, 180, 0.8, 20).attrs["freq"] == "60min"
    single = pd.Series([10.0], index=pd.DatetimeIndex(["2024-01-01 08:00"]))
    single.attrs["freq"] = "30min"
    assert requirements(single, 180, 0.8, 20)["traffic_erlangs"].tolist() == [1.0]


def test_frame_without_call_type_and_index_named_interval_start():
    frame = make_forecast(types=("x",), attrs=False).drop(columns="call_type")
    req = requirements(frame, 180, 0.8, 20)
    assert set(req["call_type"]) == {"all"} and req.attrs["freq"] == "30min"
    indexed = requirements(frame.set_index("interval_start"), 180, 0.8, 20)
    pd.testing.assert_frame_equal(req, indexed)


def test_fifteen_minute_forecast_uses_900_seconds():
    req = requirements(make_forecast(freq="15min"), AHT, 0.8, 20)
    assert req.attrs["interval_seconds"] == 900
    row = req[req["calls"] > 0].iloc[0]
    assert row["traffic_erlangs"] == pytest.approx(row["calls"] * AHT[row["call_type"]] / 900)


def test_numeric_queue_ids_match_mapping_keys_and_input_is_untouched():
    frame = make_forecast(types=("x", "y"))
    frame["call_type"] = frame["call_type"].map({"x": 101, "y": 202})
    before = frame.copy()
    req = requirements(frame, {101: 180, 202: 240}, 0.8, 20)
    assert sorted(set(req["call_type"])) == ["101", "202"]
    pd.testing.assert_frame_equal(frame, before)
    assert frame.attrs == {"freq": "30min"}


# ------------------------------------------------------------------ bad inputs
def _series(values=(10.0, 20.0, 30.0), freq="30min"):
    return pd.Series(list(values), index=pd.date_range("2024-01-01 08:00", periods=len(values),
                                                       freq=freq))


@pytest.mark.parametrize(
    ("forecast", "message"),
    [
        (_series((10.0, -1.0, 3.0)), r"forecast\['calls'\] must be a finite number in "
                                     r"\[0, inf\); got -1.0 at position 1"),
        (_series((10.0, np.nan, 3.0)), r"forecast\['calls'\] must be .*; got nan at position 1"),
        (pd.Series([1.0, 2.0], index=pd.DatetimeIndex(["2024-01-01 08:00", "2024-01-01 08:00"])),
         r"forecast has two rows for call type 'all' at 2024-01-01 08:00:00"),
        (pd.Series([1.0, 2.0, 3.0], index=pd.DatetimeIndex(
            ["2024-01-01 08:00", "2024-01-01 08:30", "2024-01-01 09:30"])),
         r"regular 30min grid: call type 'all' goes from 2024-01-01 08:30:00 to "
         r"2024-01-01 09:30:00 \(1 such step\(s\)\); fill missing intervals with 0 calls"),
        (pd.Series([1.0], index=pd.DatetimeIndex(["2024-01-01 08:00"])),
         r"cannot infer the interval length of forecast from one interval per call type; "
         r"set forecast.attrs\['freq'\]"),
        (pd.Series([1.0, 2.0], index=pd.date_range("2024-01-01", periods=2, freq="30min",
                                                   tz="Europe/Paris")),
         r"forecast interval starts must be naive local times; got time zone Europe/Paris"),
        (pd.Series([1.0, 2.0], index=[0, 1]),
         r"forecast \(a Series\) must be indexed by interval start \(a DatetimeIndex\); "
         r"got a Index"),
        ([1.0, 2.0], r"forecast must be a DataFrame \(interval_start, call_type, calls\) or a "
                     r"Series of calls indexed by interval start; got list"),
        (pd.DataFrame({"interval_start": pd.date_range("2024-01-01", periods=2, freq="h"),
                       "offered": [1, 2]}),
         r"forecast is missing column\(s\) 'calls'; .* \(a history table's 'offered' column"),
        (pd.DataFrame({"interval_start": ["08:00", "08:30"], "calls": [1.0, 2.0]}),
         r"forecast interval starts must be timestamps \(datetime64\); got dtype"),
        (pd.DataFrame(columns=["interval_start", "calls"]), r"forecast has no intervals"),
    ],
)
def test_bad_forecast_raises(forecast, message):
    with pytest.raises(CCSimInputError, match=message):
        requirements(forecast, 180, 0.8, 20)


def test_ambiguous_and_declared_interval_lengths_raise():
    a = pd.DataFrame({"interval_start": pd.date_range("2024-01-01", periods=3, freq="30min"),
                      "call_type": "a", "calls": 1.0})
    b = pd.DataFrame({"interval_start": pd.date_range("2024-01-01", periods=3, freq="60min"),
                      "call_type": "b", "calls": 1.0})
    with pytest.raises(CCSimInputError, match=r"interval length is ambiguous: call types are "
                       r"spaced differently \('a' every 30min, 'b' every 60min\)"):
        requirements(pd.concat([a, b]), 180, 0.8, 20)
    both = pd.concat([a, b])
    both.attrs["freq"] = "30min"
    with pytest.raises(CCSimInputError, match=r"call type 'b' goes from 2024-01-01 00:00:00 to "
                       r"2024-01-01 01:00:00 \(2 such step"):
        requirements(both, 180, 0.8, 20)
    a.attrs["freq"] = "half an hour"
    with pytest.raises(CCSimInputError, match=r"forecast.attrs\['freq'\] must be an interval "
                       r"length such as '15min', '30min' or '60min'; got 'half an hour'"):
        requirements(a, 180, 0.8, 20)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"aht_seconds": 0}, r"aht_seconds must be a finite number in \(0, inf\); got 0.0"),
        ({"aht_seconds": {"general": 180, "vip": 240}},
         r"aht_seconds has no value for call type\(s\) 'english'; it maps 'general', 'vip'"),
        ({"aht_seconds": {"general": 180, "vip": -1, "english": 300}},
         r"aht_seconds\['vip'\] must be a finite number in \(0, inf\); got -1.0"),
        ({"aht_seconds": [180, 240]}, r"aht_seconds must be one number \(or a mapping call "
                                      r"type -> number\); got an array of shape \(2,\)"),
        ({"aht_seconds": "180"}, r"aht_seconds must be a number or an array of numbers; "
                                 r"got '180'"),
        ({"target": 80}, r"target must be a finite number in \(0, 1\); got 80.0 \(a fraction: "
                         r"write 0.8 for 80 %\)"),
        ({"target": {"general": 0.8}}, r"target has no value for call type\(s\) 'english', "
                                       r"'vip'; it maps 'general'"),
        ({"answer_within_seconds": -5}, r"answer_within_seconds must be a finite number in "
                                        r"\[0, inf\); got -5.0"),
        ({"patience_seconds": 0}, r"patience_seconds must be a number in \(0, inf\]; got 0.0"),
        ({"patience_seconds": {"general": 100}},
         r"patience_seconds has no value for call type\(s\) 'english', 'vip'"),
        ({"shrinkage": 1.0}, r"shrinkage must be a finite number in \[0, 1\); got 1.0"),
        ({"shrinkage": 30}, r"shrinkage must be a finite number in \[0, 1\); got 30.0"),
        ({"max_occupancy": 1.5}, r"max_occupancy must be a finite number in \(0, 1\]; got 1.5"),
        ({"max_occupancy": {"general": 0.9, "vip": 0, "english": None}},
         r"max_occupancy\['vip'\] must be a finite number in \(0, 1\]; got 0.0"),
    ],
)
def test_bad_arguments_raise(forecast, kwargs, message):
    args = {"aht_seconds": AHT, "target": 0.8, "answer_within_seconds": 20, **kwargs}
    with pytest.raises(CCSimInputError, match=message):
        requirements(forecast, **args)


# ----------------------------------------------------------- hours, FTE, people
def test_agent_hours_and_fte_arithmetic():
    index = pd.date_range("2024-01-01", periods=48 * 7, freq="30min")
    frame = pd.DataFrame({"interval_start": index.repeat(2), "call_type": ["a", "b"] * len(index),
                          "calls": [100.0, 50.0] * len(index)})
    req = requirements(frame, 180, 0.8, 20, shrinkage={"a": 0.3, "b": 0.0})  # 20 and 8 paid
    hours = agent_hours(req)
    assert hours.to_dict() == {"a": 20 * 168.0, "b": 8 * 168.0, "total": 28 * 168.0}
    assert agent_hours(req, column="agents")["a"] == 14 * 168.0
    table = fte(req, contracted_hours_per_fte=40)
    assert table["fte"].to_dict() == {"a": 84.0, "b": 33.6, "total": 117.6}
    assert table.attrs == {"contracted_hours_per_fte": 40.0, "period_days": 7.0}
    with pytest.raises(CCSimInputError, match=r"contracted_hours_per_fte must be a finite number "
                       r"in \(0, inf\); got 0.0"):
        fte(req, 0)
    with pytest.raises(CCSimInputError, match=r"column must be 'agents' or 'scheduled_agents'; "
                       r"got 'calls'"):
        agent_hours(req, column="calls")
    with pytest.raises(CCSimInputError, match=r"requirement must be the DataFrame returned by "
                       r"ccsim.staffing.requirements"):
        agent_hours(frame)


def test_headcount_from_fte_and_part_time_mix():
    mixed = headcount(100, {"full_time": (0.7, 1.0), "part_time": (0.3, 0.5)})
    # H = 100 / (0.7 + 0.15) = 117.6: ceil(82.4) = 83 full-timers, ceil(35.3) = 36 half-timers
    assert mixed["people"].to_dict() == {"full_time": 83, "part_time": 36, "total": 119}
    assert mixed.loc["total", "fte"] == 101.0 >= 100
    assert mixed.loc["total", "fte_per_person"] == pytest.approx(101 / 119)
    assert headcount(58.8)["people"].to_dict() == {"full_time": 59, "total": 59}
    assert headcount(60.0)["people"].iloc[-1] == 60  # no float noise pushes it to 61
    index = pd.date_range("2024-01-01", periods=48 * 7, freq="30min")
    table = fte(requirements(pd.Series(100.0, index=index), 180, 0.8, 20), 40)
    assert headcount(table)["people"].iloc[-1] == 59  # 58.8 FTE
    assert not mixed.isna().any().any()


@pytest.mark.parametrize(
    ("mix", "message"),
    [
        ({"ft": (0.7, 1.0), "pt": (0.2, 0.5)}, r"part_time_mix shares must sum to 1; got 0.9"),
        ({"ft": (1.0, 0.0)}, r"part_time_mix\['ft'\] FTE per person must be a finite number in "
                             r"\(0, inf\); got 0.0"),
        ({"ft": (1.5, 1.0)}, r"part_time_mix\['ft'\] share must be a finite number in \[0, 1\]"),
        ({"ft": 1.0}, r"part_time_mix must map each contract to \(share of headcount, FTE per "
                      r"person\)"),
    ],
)
def test_headcount_bad_mix(mix, message):
    with pytest.raises(CCSimInputError, match=message):
        headcount(10, mix)


def test_headcount_negative_fte():
    with pytest.raises(CCSimInputError, match=r"fte must be a finite number in \[0, inf\); "
                       r"got -1.0"):
        headcount(-1)


# ------------------------------------------------------------------------ seats
def test_people_per_seat_operating_documents():
    # 07:30-21:30 = 14 h a day, 30 days: 420 seat-hours a month.
    assert people_per_seat(14, 30, 168) == 2.5  # 168 h = 21 days x 8 h: exactly 2.5
    assert people_per_seat(14, 30, 20.83 * 8) == pytest.approx(420 / 166.64)  # China: 2.52
    assert round(people_per_seat(14, 30, 166.64), 1) == 2.5  # "about 2.5"
    assert people_per_seat(24, 30, 168) == pytest.approx(720 / 168)  # 7 x 24: 4.29
    assert people_per_seat(np.array([14, 24]), 30, 168).tolist() == pytest.approx(
        [2.5, 720 / 168])
    with pytest.raises(CCSimInputError, match=r"seat_hours_per_day must be a finite number in "
                       r"\(0, 24\]; got 25.0"):
        people_per_seat(25, 30, 168)
    with pytest.raises(CCSimInputError, match=r"days_per_month must be a finite number in "
                       r"\(0, 31\]; got 0.0"):
        people_per_seat(14, 0, 168)
    with pytest.raises(CCSimInputError, match=r"legal_hours_per_month must be a finite number "
                       r"in \(0, inf\); got -168.0"):
        people_per_seat(14, 30, -168)


def test_seats_needed_window_percentile_and_pooling(forecast):
    req = requirements(forecast, AHT, 0.8, 20, shrinkage=0.25)
    seats = seats_needed(req)
    per_type = req.groupby("call_type")["scheduled_agents"].max()
    assert seats.drop("total").to_dict() == per_type.to_dict()
    pooled = req.groupby("interval_start")["scheduled_agents"].sum()
    assert seats["total"] == pooled.max() <= per_type.sum()
    morning = seats_needed(req, ("07:30", "09:00"), column="agents")
    clock = req["interval_start"].dt.strftime("%H:%M")
    inside = req[(clock >= "07:30") & (clock < "09:00")]
    assert morning["total"] == inside.groupby("interval_start")["agents"].sum().max()
    night = seats_needed(req, ("22:00", "07:00"))  # wraps past midnight: closed
    assert night.to_dict() == dict.fromkeys(["english", "general", "vip", "total"], 0)
    p90 = seats_needed(req, percentile=90)["total"]
    assert p90 == math.ceil(np.percentile(pooled.to_numpy(), 90) - 1e-9) < seats["total"]
    with pytest.raises(CCSimInputError, match=r"window must be \(opening, closing\) times of "
                       r"day, e.g. \('07:30', '21:30'\); got '07:30'"):
        seats_needed(req, "07:30")
    with pytest.raises(CCSimInputError, match=r"window times must be 'HH:MM' from 00:00 to "
                       r"24:00; got '7h30'"):
        seats_needed(req, ("7h30", "21:30"))
    with pytest.raises(CCSimInputError, match=r"percentile must be a finite number in "
                       r"\[0, 100\]; got 101.0"):
        seats_needed(req, percentile=101)


def test_compare_seat_rule(forecast):
    table = compare_seat_rule(1_000_000, forecast, AHT, 0.8, 20, shrinkage=0.3,
                              window=("07:30", "21:30"))
    assert list(table.index) == ["subscriber rule", "service target"]
    assert table.loc["subscriber rule", "seats"] == 50  # 1,000,000 / 20,000
    req = table.attrs["requirement"]
    pooled = req.groupby("interval_start")["scheduled_agents"].sum()
    assert table.loc["service target", "seats"] == pooled.max()
    assert table.loc["service target", "intervals_short"] == 0
    assert table.loc["subscriber rule", "intervals_short"] == (pooled > 50).sum()
    assert table.loc["subscriber rule", "largest_shortfall"] == max(pooled.max() - 50, 0)
    assert table.loc["subscriber rule", "subscribers_per_seat"] == 20_000
    with pytest.raises(CCSimInputError, match=r"subscribers must be a whole number >= 0; "
                       r"got -5.0"):
        compare_seat_rule(-5, forecast, AHT, 0.8, 20)
    with pytest.raises(CCSimInputError, match=r"subscribers_per_seat must be a finite number "
                       r"in \(0, inf\); got 0.0"):
        compare_seat_rule(5, forecast, AHT, 0.8, 20, subscribers_per_seat=0)


# ------------------------------------------------------------------ supervision
def test_supervision_603_agents():
    floor = supervision(603)
    # 603 / 10 = 60.3 -> 60 team leaders (nearest); ceil(603 / (10 x 6)) = 11 supervisors
    assert (floor.team_leaders, floor.supervisors, floor.managers) == (60, 11, 1)
    assert floor.supervisors_at_widest_span == 8  # ceil(603 / 80)
    assert floor.total == 603 + 60 + 11 + 1
    assert supervision(605).team_leaders == 61  # halves round up
    assert supervision(600).supervisors == 10
    assert supervision(3).team_leaders == 1  # a tiny desk still has a team leader
    assert supervision(0) == staffing.Supervision(0, 0, 0, 0, 0)
    assert supervision(603, 12, 7).supervisors == math.ceil(603 / 84)


def test_supervision_by_zone():
    # the zones of the operating documents' floor: four general zones and five desks
    zones = {"general 1": 160, "general 2": 93, "general 3": 87, "general 4": 97, "vip": 27,
             "premium": 97, "english": 8, "difficult": 14, "data": 14}
    floor = supervision(zones)
    assert floor.agents == 597
    assert floor.team_leaders == 16 + 9 + 9 + 10 + 3 + 10 + 1 + 1 + 1 == 60
    assert floor.supervisors == 10  # ceil(597 / 60)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1,), r"agents must be a whole number >= 0; got -1.0"),
        ((10.5,), r"agents must be a whole number >= 0; got 10.5"),
        (({"vip": -2},), r"agents\['vip'\] must be a whole number >= 0; got -2.0"),
        ((603, 0), r"agents_per_team_leader must be a finite number in \(0, inf\); got 0.0"),
        ((603, 10, (8, 6)), r"teams_per_supervisor must be \(low, high\) with low <= high; "
                            r"got \(8, 6\)"),
        ((603, 10, 0), r"teams_per_supervisor must be a finite number in \(0, inf\); got 0.0"),
    ],
)
def test_supervision_bad_input(args, message):
    with pytest.raises(CCSimInputError, match=message):
        supervision(*args)


# ----------------------------------------------------------------------- surges
def test_standby_for_a_doubling_over_two_hours(forecast):
    base = requirements(forecast, AHT, 0.8, 20, patience_seconds=150, shrinkage=0.3)
    start, end = pd.Timestamp("2024-03-04 10:00"), pd.Timestamp("2024-03-04 12:00")
    need = standby_for_surge(forecast, 2.0, start, end, base)
    rows = need.by_interval
    assert len(rows) == 4 * 3  # four half-hours, three call types
    assert (rows["interval_start"] >= start).all() and (rows["interval_start"] < end).all()
    for row in rows.itertuples():
        calls = forecast.set_index(["interval_start", "call_type"]).loc[
            (row.interval_start, row.call_type), "calls"]
        aht = AHT[row.call_type]
        normal = erlang.agents_for_service_level(calls * aht / 1800, aht, 0.8, 20, 150)
        surged = erlang.agents_for_service_level(2 * calls * aht / 1800, aht, 0.8, 20, 150)
        assert row.calls == 2 * calls
        assert (row.on_shift_agents, row.required_agents) == (normal, surged)
        assert row.standby_agents == surged - normal > 0
    per_interval = rows.groupby("interval_start")["standby_agents"].sum()
    assert need.peak_agents == per_interval.max()
    assert need.peak_interval == per_interval.idxmax()
    assert need.agent_hours == per_interval.sum() * 0.5
    assert "StandbyNeed(peak_agents=" in repr(need)
    lower = standby_for_surge(forecast, 2.0, start, end, base, target=0.6)
    assert lower.peak_agents < need.peak_agents  # a lower target during the outage


def test_standby_with_a_fixed_on_shift_count():
    index = pd.date_range("2024-01-01 08:00", periods=8, freq="30min")
    calls = pd.Series(100.0, index=index)  # 14 agents normally, 26 when doubled
    need = standby_for_surge(calls, 2, "2024-01-01 09:00", "2024-01-01 11:00", 16,
                             aht_seconds=180, target=0.8, answer_within_seconds=20)
    doubled = erlang.agents_for_service_level(20.0, 180, 0.8, 20)
    assert need.by_interval["standby_agents"].tolist() == [doubled - 16] * 4
    assert (need.peak_agents, need.agent_hours) == (doubled - 16, 2 * (doubled - 16))
    assert need.peak_interval == pd.Timestamp("2024-01-01 09:00")
    plenty = standby_for_surge(calls, 2, "2024-01-01 09:00", "2024-01-01 11:00", {"all": 40},
                               aht_seconds=180, target=0.8, answer_within_seconds=20)
    assert (plenty.peak_agents, plenty.peak_interval, plenty.agent_hours) == (0, None, 0.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"factor": -1}, r"factor must be a finite number in \[0, inf\); got -1.0"),
        ({"start": "2024-01-01 11:00", "end": "2024-01-01 09:00"},
         r"start must be before end; got start='2024-01-01 11:00', end='2024-01-01 09:00'"),
        ({"start": "soon"}, r"start must be a naive local date and time \(e.g. "
                            r"'2024-01-01 10:00'\); got 'soon'"),
        ({"start": "2024-02-01 09:00", "end": "2024-02-01 11:00"},
         r"the surge window \[2024-02-01 09:00:00, 2024-02-01 11:00:00\) contains no interval"),
        ({"aht_seconds": None}, r"aht_seconds must be given \(or on_shift must be a requirement "
                                r"that records it\)"),
        ({"on_shift": -3}, r"on_shift must be a whole number >= 0; got -3.0"),
        ({"on_shift": {"other": 3}}, r"on_shift has no value for call type\(s\) 'all'"),
    ],
)
def test_standby_bad_input(kwargs, message):
    index = pd.date_range("2024-01-01 08:00", periods=8, freq="30min")
    args = {"forecast": pd.Series(100.0, index=index), "factor": 2,
            "start": "2024-01-01 09:00", "end": "2024-01-01 11:00", "on_shift": 16,
            "aht_seconds": 180, "target": 0.8, "answer_within_seconds": 20, **kwargs}
    with pytest.raises(CCSimInputError, match=message):
        standby_for_surge(**args)


def test_standby_on_shift_requirement_must_cover_the_surge(forecast):
    base = requirements(forecast[forecast["interval_start"] < "2024-03-04 11:00"], AHT, 0.8, 20)
    with pytest.raises(CCSimInputError, match=r"on_shift has no row for interval "
                       r"2024-03-04 11:00:00 and call type 'english' of the surge"):
        standby_for_surge(forecast, 2, "2024-03-04 10:00", "2024-03-04 12:00", base)
