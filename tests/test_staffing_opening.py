"""Tests of the opening hours of ccsim.staffing.requirements (issue 10, item 4).

A closed interval gets 0 agents and 0 scheduled agents; its forecast calls are
reported (``open`` False, ``attrs["calls_outside_opening_hours"]``) but not staffed;
open intervals are staffed exactly as without opening hours.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsim import arrivals
from ccsim._validation import CCSimInputError
from ccsim.staffing import REQUIREMENT_COLUMNS, requirements

TYPES = ("general", "vip")


def make_forecast(start: str = "2024-03-04", days: int = 7, freq: str = "30min",
                  night: float = 0.3) -> pd.DataFrame:
    """Monday 4 March 2024 onwards: 20 calls per interval 07:00-22:00, ``night`` else."""
    grid = pd.date_range(start, periods=days * pd.Timedelta("1D") // pd.Timedelta(freq),
                         freq=freq)
    day = (grid.hour >= 7) & (grid.hour < 22)
    rows = [pd.DataFrame({"interval_start": grid, "call_type": kind,
                          "calls": np.where(day, level, night)})
            for kind, level in zip(TYPES, (20.0, 3.0), strict=True)]
    frame = pd.concat(rows).sort_values(["interval_start", "call_type"], ignore_index=True)
    frame.attrs["freq"] = freq
    return frame


ARGS = {"aht_seconds": 180.0, "target": 0.8, "answer_within_seconds": 20.0,
        "shrinkage": 0.3}


def quiet(forecast: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """``requirements`` with the closed-calls warning silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return requirements(forecast, **ARGS, **kwargs)


def assert_closed_and_same(req: pd.DataFrame, base: pd.DataFrame, expected_open) -> None:
    """Closed rows have no agents; open rows equal the requirement without opening hours."""
    expected_open = np.asarray(expected_open, dtype=bool)
    assert tuple(req.columns) == (*REQUIREMENT_COLUMNS, "open")
    np.testing.assert_array_equal(req["open"].to_numpy(), expected_open)
    closed = req[~expected_open]
    assert (closed["agents"] == 0).all() and (closed["scheduled_agents"] == 0).all()
    assert (closed["occupancy"] == 0).all() and (closed["asa_seconds"] == 0).all()
    assert (closed["p_abandon"] == 0).all()
    np.testing.assert_array_equal(closed["service_level"],
                                  np.where(closed["calls"] > 0, 0.0, 1.0))
    pd.testing.assert_frame_equal(req.loc[expected_open, list(REQUIREMENT_COLUMNS)],
                                  base.loc[expected_open])
    # calls and traffic are reported in every row
    pd.testing.assert_frame_equal(req[["interval_start", "call_type", "calls",
                                       "traffic_erlangs"]],
                                  base[["interval_start", "call_type", "calls",
                                        "traffic_erlangs"]])
    assert req.attrs["calls_outside_opening_hours"] == pytest.approx(
        float(base.loc[~expected_open, "calls"].sum()))


@pytest.fixture(scope="module")
def forecast() -> pd.DataFrame:
    return make_forecast()


@pytest.fixture(scope="module")
def base(forecast) -> pd.DataFrame:
    return requirements(forecast, **ARGS)


def clock(req: pd.DataFrame) -> np.ndarray:
    starts = req["interval_start"]
    return (starts.dt.hour * 60 + starts.dt.minute).to_numpy()


# ------------------------------------------------------------------ defaults
def test_without_opening_hours_nothing_changes(forecast, base):
    assert tuple(base.columns) == REQUIREMENT_COLUMNS
    for key in ("opening_hours", "calendar", "calls_outside_opening_hours"):
        assert key not in base.attrs
    night = base[clock(base) < 7 * 60]
    # today's behaviour, documented: a tiny positive forecast needs one agent
    assert (night["calls"] == 0.3).all() and (night["agents"] == 1).all()


def test_open_all_day_is_the_requirement_without_hours(forecast, base):
    req = requirements(forecast, **ARGS, opening_hours=("00:00", "24:00"))
    assert_closed_and_same(req, base, np.ones(len(base), bool))
    assert req.attrs["calls_outside_opening_hours"] == 0.0
    assert req.attrs["opening_hours"] == dict.fromkeys(
        ("mon", "tue", "wed", "thu", "fri", "sat", "sun"), ("00:00", "24:00"))


# ------------------------------------------------------------------ the forms
def test_fixed_hours(forecast, base):
    req = quiet(forecast, opening_hours=("08:00", "20:00"))
    minute = clock(base)
    assert_closed_and_same(req, base, (minute >= 8 * 60) & (minute < 20 * 60))


def test_an_interval_cut_by_the_hours_is_open(forecast, base):
    req = quiet(forecast, opening_hours=("08:15", "19:45"))
    minute = clock(base)  # 08:00-08:30 and 19:30-20:00 overlap the hours
    assert_closed_and_same(req, base, (minute >= 8 * 60) & (minute < 20 * 60))


def test_per_weekday_hours(forecast, base):
    hours = {"mon": ("08:00", "20:00"), "tuesday": ("07:00", "24:00"), 2: ("09:00", "17:00"),
             "thu": ("08:00", "20:00"), "fri": ("08:00", "14:00"), "sat": None}  # sun missing
    req = quiet(forecast, opening_hours=hours)
    minute, weekday = clock(base), base["interval_start"].dt.day_of_week.to_numpy()
    spans = {0: (480, 1200), 1: (420, 1440), 2: (540, 1020), 3: (480, 1200), 4: (480, 840)}
    low = np.array([spans.get(d, (0, 0))[0] for d in weekday])
    high = np.array([spans.get(d, (0, 0))[1] for d in weekday])
    assert_closed_and_same(req, base, (minute >= low) & (minute < high))
    assert req.attrs["opening_hours"] == {
        "mon": ("08:00", "20:00"), "tue": ("07:00", "24:00"), "wed": ("09:00", "17:00"),
        "thu": ("08:00", "20:00"), "fri": ("08:00", "14:00"), "sat": None, "sun": None}
    weekend = req[weekday >= 5]
    assert len(weekend) == 2 * 2 * 48 and (weekend["agents"] == 0).all()


def test_calendar_closed_day_and_short_day(forecast, base):
    calendar = arrivals.Calendar(closed=["2024-03-05"], short={"2024-03-07": "13:15"},
                                 factors={"2024-03-08": 1.5})
    req = quiet(forecast, opening_hours=("08:00", "20:00"), calendar=calendar)
    minute = clock(base)
    date = base["interval_start"].dt.normalize()
    close = np.where(date == pd.Timestamp("2024-03-07"), 13 * 60 + 15, 20 * 60)
    expected = (minute >= 8 * 60) & (minute < close) & (date != pd.Timestamp("2024-03-05"))
    assert_closed_and_same(req, base, expected)
    short_day = req[date == pd.Timestamp("2024-03-07")]
    assert short_day.set_index(clock(short_day))["open"].loc[[780, 810]].tolist() == [
        True, True, False, False]  # 13:00-13:30 overlaps, 13:30 does not (two types)
    assert req.attrs["calendar"] == calendar


def test_calendar_without_opening_hours_and_as_a_mapping(forecast, base):
    mapping = {"2024-03-09": "holiday", "2024-03-10": ("short", "06:00")}
    req = quiet(forecast, calendar=mapping)
    date = base["interval_start"].dt.normalize()
    expected = (date != pd.Timestamp("2024-03-09")) & ~(
        (date == pd.Timestamp("2024-03-10")) & (clock(base) >= 6 * 60))
    assert_closed_and_same(req, base, expected)
    assert req.attrs["opening_hours"] is None


def test_a_short_day_closing_before_opening_is_closed(forecast, base):
    calendar = arrivals.Calendar(short={"2024-03-06": "07:00"})
    req = quiet(forecast, opening_hours=("08:00", "20:00"), calendar=calendar)
    day = req[req["interval_start"].dt.normalize() == pd.Timestamp("2024-03-06")]
    assert not day["open"].any() and (day["agents"] == 0).all()


def test_per_call_type_hours(forecast, base):
    req = quiet(forecast, opening_hours={"general": ("08:00", "20:00"), "vip": None})
    minute = clock(base)
    expected = (base["call_type"] == "vip").to_numpy() | (
        (minute >= 8 * 60) & (minute < 20 * 60))
    assert_closed_and_same(req, base, expected)
    assert req.attrs["opening_hours"]["general"]["mon"] == ("08:00", "20:00")
    assert req.attrs["opening_hours"]["vip"]["sun"] == ("00:00", "24:00")


def test_an_interval_past_midnight_is_open_if_the_next_day_is():
    # 60-minute intervals starting at half past: 23:30-00:30 reaches into the next day
    grid = pd.date_range("2024-03-04 00:30", periods=48, freq="60min")
    series = pd.Series(5.0, index=grid, name="all")
    series.attrs["freq"] = "60min"
    req = quiet(series, opening_hours={"tue": ("00:00", "01:00")})
    opened = req.loc[req["open"], "interval_start"].dt.strftime("%a %H:%M").tolist()
    assert opened == ["Mon 23:30", "Tue 00:30"]


# ------------------------------------------------------------ dropped calls
def test_dropped_calls_are_counted_and_warned_once(forecast, base):
    with pytest.warns(UserWarning) as record:
        req = requirements(forecast, **ARGS, opening_hours=("08:00", "20:00"))
    messages = [str(w.message) for w in record if "closed interval" in str(w.message)]
    closed = ~req["open"].to_numpy()
    dropped = float(base.loc[closed, "calls"].sum())
    # 7 days: 07:00-08:00 and 20:00-22:00 (6 intervals of 20 + 3 calls), and 18 night
    # intervals (22:00-07:00) of 0.3 calls for each of the 2 types
    assert dropped == pytest.approx(7 * (6 * 23.0 + 2 * 18 * 0.3))
    assert req.attrs["calls_outside_opening_hours"] == pytest.approx(dropped)
    assert len(messages) == 1
    assert f"{dropped:,.1f} calls in {int(closed.sum())} closed interval(s)" in messages[0]
    assert "not staffed" in messages[0]


def test_no_warning_for_less_than_half_a_call():
    grid = pd.date_range("2024-03-04", periods=48, freq="30min")
    calls = np.select([grid.hour == 3, grid.hour < 4], [0.2, 0.0], 10.0)
    series = pd.Series(calls, index=grid, name="all")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        req = requirements(series, 180, 0.8, 20, opening_hours=("04:00", "24:00"))
    assert req.attrs["calls_outside_opening_hours"] == pytest.approx(0.4)
    assert (req.loc[~req["open"], "agents"] == 0).all()


@settings(max_examples=25, deadline=None)
@given(low=st.integers(0, 95), span=st.integers(1, 96),
       days=st.sets(st.integers(0, 6), min_size=1))
def test_random_hours_zero_when_closed_identical_when_open(low, span, days):
    forecast = make_forecast(days=7, freq="15min")
    base = requirements(forecast, **ARGS)
    high = min(low + span, 96)
    text = [f"{q * 15 // 60:02d}:{q * 15 % 60:02d}" for q in (low, high)]
    hours = {day: tuple(text) for day in days}
    req = quiet(forecast, opening_hours=hours)
    quarter = clock(base) // 15
    weekday = base["interval_start"].dt.day_of_week.isin(days).to_numpy()
    assert_closed_and_same(req, base, weekday & (quarter >= low) & (quarter < high))


# ------------------------------------------------------------------ bad forms
@pytest.mark.parametrize(("hours", "message"), [
    ("08:00-20:00", "opening_hours must be (open, close) times of day such as ('08:00', "
                    "'20:00'), open before close ('24:00' for midnight), or None for closed; "
                    "got '08:00-20:00'"),
    (("20:00", "08:00"), "opening_hours must be (open, close) times of day"),
    (("08:00",), "opening_hours must be (open, close) times of day"),
    (("8", "20:00"), "opening_hours must be (open, close) times of day"),
    (("24:00", "24:00"), "opening_hours must be (open, close) times of day"),
    (("08:00:30", "20:00"), "opening_hours must be (open, close) times of day"),
    (8, "opening_hours must be (open, close) times of day"),
    ({"funday": ("08:00", "20:00")}, "opening_hours keys must be weekdays ('mon' ... 'sun', "
                                     "'monday', or 0-6 with Monday 0); got 'funday'"),
    ({7: ("08:00", "20:00")}, "opening_hours keys must be weekdays"),
    ({True: ("08:00", "20:00")}, "opening_hours keys must be weekdays"),
    ({"mon": ("09:00", "08:00")}, "opening_hours['mon'] must be (open, close) times of day"),
    ({"general": ("08:00", "20:00")},
     "opening_hours maps call types but not 'vip'; give every call type of the forecast "
     "(None: always open), or one value for all"),
    ({"general": ("08:00", "20:00"), "vip": "all day"},
     "opening_hours['vip'] must be (open, close) times of day"),
    ({"general": {"mon": ("08:00", "20:00"), "xyz": None}, "vip": None},
     "opening_hours['general'] keys must be weekdays"),
])
def test_bad_opening_hours_are_refused_naming_the_argument(forecast, hours, message):
    with pytest.raises(CCSimInputError, match=re.escape(message)):
        requirements(forecast, **ARGS, opening_hours=hours)


@pytest.mark.parametrize(("calendar", "message"), [
    ("2024-03-05", "calendar must be a ccsim.arrivals.Calendar, a mapping date -> kind, or "
                   "None; got str"),
    ({"2024-03-05": "lunch"}, "calendar['2024-03-05'] must be 'holiday', 'closed'"),
])
def test_bad_calendars_are_refused_naming_the_argument(forecast, calendar, message):
    with pytest.raises(CCSimInputError, match=re.escape(message)):
        requirements(forecast, **ARGS, calendar=calendar)


# ------------------------------------------------------------ the bank example
def test_bank_example_open_from_seven():
    import ccsim.io

    calls = ccsim.io.load_example_calls()
    with warnings.catch_warnings():  # the log has no calls on 11-12 January: known
        warnings.simplefilter("ignore", UserWarning)
        history = arrivals.history_from_calls(calls, interval_minutes=30)
    forecast = arrivals.forecast_volumes(history, "1999-02-01", "1999-02-08")
    aht = float(calls.loc[calls["outcome"] == "answered", "service_seconds"].mean())
    before = requirements(forecast, aht, 0.8, 20)
    with pytest.warns(UserWarning, match="not staffed"):
        after = requirements(forecast, aht, 0.8, 20, opening_hours=("07:00", "24:00"))
    night = (after["interval_start"].dt.hour < 7).to_numpy()
    assert night.sum() == 7 * 14 * 6
    assert (after.loc[night, "agents"] == 0).all()
    assert (after.loc[night, "scheduled_agents"] == 0).all()
    assert before.loc[night, "agents"].sum() > 0  # today: the night is staffed
    assert after.attrs["calls_outside_opening_hours"] == pytest.approx(
        before.loc[night, "calls"].sum())
    pd.testing.assert_frame_equal(after.loc[~night, list(REQUIREMENT_COLUMNS)],
                                  before.loc[~night])

    def staffed_small(req: pd.DataFrame, day: str | None = None) -> int:
        rows = (req["calls"] < 0.5) & (req["agents"] > 0)
        if day is not None:
            rows &= req["interval_start"].dt.normalize() == pd.Timestamp(day)
        return int(rows.sum())

    # the issue's count (documented in requirements' Notes): Saturday 6 February
    saturday = before["interval_start"].dt.normalize() == pd.Timestamp("1999-02-06")
    assert int((saturday & (before["calls"] < 0.5)).sum()) == 270
    assert staffed_small(before, "1999-02-06") == 206
    assert staffed_small(after, "1999-02-06") == 181  # the bank opens Saturday evenings
    week = dict.fromkeys(("sun", "mon", "tue", "wed", "thu"), ("07:00", "24:00"))
    with pytest.warns(UserWarning, match="not staffed"):
        sabbath = requirements(forecast, aht, 0.8, 20,
                               opening_hours={**week, "fri": ("07:00", "14:00"),
                                              "sat": ("19:00", "24:00")})
    assert staffed_small(sabbath, "1999-02-06") == 38
    assert staffed_small(after) < staffed_small(before)
    # without opening hours, every positive forecast gets an agent, however small
    positive = before["calls"] > 0
    assert (before.loc[positive, "agents"] >= 1).all()

