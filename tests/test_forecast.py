"""Tests of the volume forecast: ccsim.arrivals.forecast_volumes and friends."""

from __future__ import annotations

import doctest
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import ccsim._arrivals.calendar
import ccsim._arrivals.forecast
from ccsim._validation import CCSimInputError
from ccsim.arrivals import (
    Calendar,
    aggregate_forecast,
    forecast_daily,
    forecast_volumes,
    history_from_calls,
)
from ccsim.io import load_example_calls

MONDAY = pd.Timestamp("2024-01-01")  # a Monday
# Calls per day by weekday, Monday..Sunday.
LEVELS = np.array([1000.0, 950.0, 900.0, 900.0, 400.0, 150.0, 1100.0])


def _profiles() -> np.ndarray:
    """A known intraday profile per weekday (7 x 48 half hours, each row sums to 1)."""
    k = np.arange(48)
    open_hours = (k >= 14) & (k < 38)  # 07:00-19:00
    weekday = np.where(open_hours, np.exp(-0.5 * ((k - 20) / 5.0) ** 2) + 0.3, 0.0)
    friday = np.where((k >= 14) & (k < 26), 1.0 + 0.1 * (k - 14), 0.0)  # closes 13:00
    saturday = np.where((k >= 18) & (k < 30), 1.0, 0.0)
    rows = np.array([weekday] * 4 + [friday, saturday, weekday])
    return rows / rows.sum(axis=1, keepdims=True)


PROFILES = _profiles()


def make_history(means: dict[str, np.ndarray], seed: int, first_day=MONDAY) -> pd.DataFrame:
    """A tidy history from expected calls ``means[type][day, interval]``: Poisson counts."""
    rng = np.random.default_rng(seed)
    frames = []
    for call_type, mean in means.items():
        n_days, per_day = mean.shape
        step = pd.Timedelta(days=1) / per_day
        starts = first_day + step * np.arange(n_days * per_day)
        frames.append(pd.DataFrame({"interval_start": starts, "call_type": call_type,
                                    "offered": rng.poisson(mean.ravel())}))
    return pd.concat(frames, ignore_index=True).sort_values(
        ["interval_start", "call_type"], ignore_index=True)


def weekly_means(n_days: int, first_day=MONDAY) -> np.ndarray:
    weekday = pd.date_range(first_day, periods=n_days, freq="D").day_of_week
    return LEVELS[weekday, None] * PROFILES[weekday]


@pytest.fixture(scope="module")
def synthetic() -> pd.DataFrame:
    return make_history({"A": weekly_means(42)}, seed=20240601)  # six weeks


@pytest.fixture(scope="module")
def bank_history() -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the 11-12 January gap
        return history_from_calls(load_example_calls(), interval_minutes=30)


# ------------------------------------------------------------ known profile
def test_recovers_a_known_weekday_profile(synthetic):
    """Forecast = mean weekday total of the last 4 weeks x the weekday's profile share.

    With no trend and no shrinkage the estimate of interval k on weekday w is
    L_hat * p_hat with L_hat the mean of 4 Poisson day totals (variance L / 4) and
    p_hat a share over 6 days (variance p (1 - p) / (6 L)); the two are
    uncorrelated (Poisson shares are independent of totals), so the relative
    standard error is sqrt(1 / (4 L) + (1 - p) / (6 L p)). Every open interval is
    within 5 SE (168 comparisons: a false alarm about once in 10,000 seeds);
    closed intervals are exactly 0.
    """
    forecast = forecast_volumes(synthetic, "2024-02-12", "2024-02-19", weeks=4, trend=False,
                                profile_prior_calls=0)
    truth = weekly_means(7, pd.Timestamp("2024-02-12"))  # a Monday, six weeks on
    calls = forecast["calls"].to_numpy().reshape(7, 48)
    open_ = truth > 0
    level = LEVELS[np.arange(7)][:, None] * np.ones((1, 48))
    share = PROFILES
    relative_se = np.sqrt(1 / (4 * level) + (1 - share) / (6 * level * np.maximum(share, 1e-12)))
    z = (calls[open_] / truth[open_] - 1) / relative_se[open_]
    assert np.abs(z).max() < 5
    assert (calls[~open_] == 0).all()
    # Day totals: the mean of four Poisson day totals, SE sqrt(L / 4); 4 SE.
    daily = calls.sum(axis=1)
    assert np.all(np.abs(daily - LEVELS) < 4 * np.sqrt(LEVELS / 4))


def test_default_options_stay_close_to_the_truth(synthetic):
    """Defaults (trend, damping 0.9, shrinkage 20 calls): day totals within 10 % here.

    The trend adds the noise of a slope fitted to 4 weeks (true slope 0), which
    at most 9 days of damped growth amplify: a loose, not statistical, bound.
    """
    daily = forecast_daily(synthetic, "2024-02-12", "2024-02-19")
    assert np.all(np.abs(daily["calls"].to_numpy() / LEVELS - 1) < 0.10)


def test_recovers_a_known_trend():
    """Daily level 2000 * exp(-0.01 t): the Poisson fit recovers it within 4 SE.

    The standard error of the log forecast is sqrt(x0' I^-1 x0), with I the
    Fisher information X' diag(mu) X of the weekday + trend design at the true
    means (the prior on the slope adds 400 to a slope information of ~10^7).
    """
    n_days, slope = 28, -0.01
    t = np.arange(n_days) - (n_days - 1.0)
    flat = np.full(48, 1 / 48)
    mean = 2000 * np.exp(slope * t)[:, None] * flat
    history = make_history({"A": mean}, seed=7)
    forecast = forecast_daily(history, "2024-01-29", "2024-02-05", damping=1.0)
    days = pd.date_range(MONDAY, periods=n_days, freq="D")
    x = np.column_stack([(days.day_of_week == d).astype(float) for d in range(7)] + [t])
    mu = mean.sum(axis=1)
    covariance = np.linalg.inv((x * mu[:, None]).T @ x)
    for h, (_, row) in enumerate(forecast.iterrows(), start=1):
        x0 = np.zeros(8)
        x0[row["day"].day_of_week], x0[7] = 1.0, h
        se = np.sqrt(x0 @ covariance @ x0)
        truth = 2000 * np.exp(slope * h)
        assert abs(np.log(row["calls"] / truth)) < 4 * se
    # Without the trend the forecast is the 4-week mean: about 13 % too high here.
    flat_forecast = forecast_daily(history, "2024-01-29", "2024-01-30", trend=False)
    assert flat_forecast["calls"].iloc[0] > 1.1 * 2000 * np.exp(slope)
    # damping 0: no growth beyond the history, so a weekday repeats week after week.
    level = forecast_daily(history, "2024-01-29", "2024-02-12", damping=0.0)["calls"]
    assert level.iloc[:7].to_numpy() == pytest.approx(level.iloc[7:].to_numpy(), rel=1e-12)


# ------------------------------------------------------------------- schema
def test_forecast_schema(synthetic):
    two = pd.concat([synthetic, synthetic.assign(call_type="B")], ignore_index=True)
    forecast = forecast_volumes(two, "2024-02-12 08:00", pd.Timestamp("2024-02-13 11:30"))
    assert forecast.columns.tolist() == ["interval_start", "call_type", "calls",
                                         "calls_lower", "calls_upper"]
    assert str(forecast["interval_start"].dtype) == "datetime64[ns]"
    assert forecast["call_type"].map(type).eq(str).all()
    assert forecast.index.equals(pd.RangeIndex(len(forecast)))
    assert forecast.attrs["freq"] == "30min"
    per_type = forecast.groupby("call_type")["interval_start"]
    assert per_type.size().tolist() == [55, 55]  # 08:00 day 1 to 11:00 day 2 inclusive
    assert per_type.min().eq(pd.Timestamp("2024-02-12 08:00")).all()
    assert per_type.max().eq(pd.Timestamp("2024-02-13 11:00")).all()  # end is exclusive
    assert forecast.equals(forecast.sort_values(["call_type", "interval_start"],
                                                ignore_index=True))
    assert (forecast["calls_lower"] <= forecast["calls"]).all()
    assert (forecast["calls"] <= forecast["calls_upper"]).all()
    assert not forecast.isna().any().any()


@pytest.mark.parametrize("freq, per_day", [("15min", 96), ("60min", 24)])
def test_other_frequencies(freq, per_day):
    mean = np.full((21, per_day), 480.0 / per_day)
    history = make_history({"A": mean}, seed=3)
    forecast = forecast_volumes(history, "2024-01-22", "2024-01-23", trend=False)
    assert forecast.attrs["freq"] == freq
    assert len(forecast) == per_day
    mondays = history[history["interval_start"].dt.day_of_week == 0]
    assert forecast["calls"].sum() == pytest.approx(mondays["offered"].sum() / 3, rel=1e-9)


def test_prediction_bounds_are_negative_binomial_quantiles(synthetic):
    """The bounds are the 10 % and 90 % points of NB(mean m, variance m + cv2 m^2)."""
    forecast = forecast_volumes(synthetic, "2024-02-12", "2024-02-13", prediction_coverage=0.8)
    cv2 = forecast.attrs["day_cv2"]["A"]
    m = forecast["calls"].to_numpy()
    busy = m > 5
    if cv2 > 0:
        law = stats.nbinom(1 / cv2, 1 / (1 + cv2 * m[busy]))
    else:
        law = stats.poisson(m[busy])
    assert forecast["calls_lower"].to_numpy()[busy] == pytest.approx(law.ppf(0.1))
    assert forecast["calls_upper"].to_numpy()[busy] == pytest.approx(law.ppf(0.9))
    wide = forecast_volumes(synthetic, "2024-02-12", "2024-02-13", prediction_coverage=0.95)
    assert (wide["calls_upper"] >= forecast["calls_upper"]).all()


def test_daily_and_aggregates(synthetic):
    forecast = forecast_volumes(synthetic, "2024-02-12", "2024-03-04")
    daily = forecast_daily(synthetic, "2024-02-12", "2024-03-04")
    assert daily.columns.tolist() == ["day", "call_type", "calls", "calls_lower",
                                      "calls_upper"]
    by_day = aggregate_forecast(forecast, "day")
    assert by_day["calls"].to_numpy() == pytest.approx(daily["calls"].to_numpy(), rel=1e-12)
    # The same law gives the same bounds for a day total.
    assert by_day["calls_lower"].tolist() == daily["calls_lower"].tolist()
    assert by_day["calls_upper"].tolist() == daily["calls_upper"].tolist()
    by_month = aggregate_forecast(forecast, "month")
    assert by_month["month"].tolist() == [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-03-01")]
    assert by_month["calls"].sum() == pytest.approx(forecast["calls"].sum(), rel=1e-12)
    # Independent days: the month's interval is narrower than the sum of the days' ones.
    february = daily[daily["day"] < "2024-03-01"]
    assert (by_month["calls_upper"].iloc[0] - by_month["calls_lower"].iloc[0]
            < (february["calls_upper"] - february["calls_lower"]).sum())
    # Without the attrs the bounds are the sums of the interval bounds.
    bare = forecast.copy()
    bare.attrs = {}
    summed = aggregate_forecast(bare, "year")
    assert summed["calls_upper"].iloc[0] == pytest.approx(forecast["calls_upper"].sum())


# ----------------------------------------------------------------- calendar
def test_calendar_days_in_the_forecast(synthetic):
    calendar = Calendar(closed=["2024-02-12"], short={"2024-02-13": "10:15"},
                        factors={"2024-02-14": 1.5})
    plain = forecast_volumes(synthetic, "2024-02-12", "2024-02-15")
    special = forecast_volumes(synthetic, "2024-02-12", "2024-02-15", calendar=calendar)
    day = special["interval_start"].dt.normalize()
    monday = (day == "2024-02-12").to_numpy()
    for column in ("calls", "calls_lower", "calls_upper"):
        assert (special.loc[monday, column] == 0).all()  # the holiday: zero calls
    clock = special["interval_start"] - day
    tuesday = (day == "2024-02-13").to_numpy()
    before = tuesday & (clock < pd.Timedelta("10:00:00")).to_numpy()
    after = tuesday & (clock >= pd.Timedelta("10:30:00")).to_numpy()
    cut = tuesday & (clock == pd.Timedelta("10:00:00")).to_numpy()
    assert special.loc[before, "calls"].tolist() == plain.loc[before, "calls"].tolist()
    assert (special.loc[after, "calls"] == 0).all()
    assert special.loc[cut, "calls"].iloc[0] == pytest.approx(plain.loc[cut, "calls"].iloc[0] / 2)
    wednesday = (day == "2024-02-14").to_numpy()
    assert special.loc[wednesday, "calls"].to_numpy() == pytest.approx(
        1.5 * plain.loc[wednesday, "calls"].to_numpy())
    as_mapping = forecast_volumes(synthetic, "2024-02-12", "2024-02-15", calendar={
        "2024-02-12": "holiday", "2024-02-13": ("short", "10:15"), "2024-02-14": 1.5})
    assert as_mapping.equals(special)


def test_calendar_days_and_empty_days_are_left_out_of_the_fit(synthetic):
    """A listed history day, or a day without any call, does not change the forecast."""
    day = pd.Timestamp("2024-02-07")  # a Wednesday in the level window
    on_day = (synthetic["interval_start"].dt.normalize() == day).to_numpy()
    odd = synthetic.copy()
    odd.loc[on_day, "offered"] = 5 * odd.loc[on_day, "offered"]
    empty = synthetic.copy()
    empty.loc[on_day, "offered"] = 0
    reference = forecast_volumes(synthetic, "2024-02-12", "2024-02-19", calendar={day: 0.5})
    for history, calendar in [(odd, Calendar(short={day: "12:00"})), (empty, None)]:
        forecast = forecast_volumes(history, "2024-02-12", "2024-02-19", calendar=calendar)
        assert forecast["calls"].to_numpy() == pytest.approx(reference["calls"].to_numpy(),
                                                             rel=1e-12)
    included = forecast_volumes(odd, "2024-02-12", "2024-02-19")  # not listed: fitted
    assert included["calls"].sum() > 1.02 * reference["calls"].sum()


def test_calendar_repr_and_errors():
    calendar = Calendar.from_mapping({"2024-12-25": "closed", "2024-12-24": ("short", "13:00"),
                                      "2024-12-27": 1.3})
    assert repr(calendar) == ("Calendar(closed=['2024-12-25'], short={'2024-12-24': '13:00'}, "
                              "factors={'2024-12-27': 1.3})")
    with pytest.raises(CCSimInputError, match=r"calendar\['2024-12-25'\] must be 'holiday', "
                       r"'closed', \('short', '13:00'\) or a volume factor >= 0; got 'shut'"):
        Calendar.from_mapping({"2024-12-25": "shut"})
    with pytest.raises(CCSimInputError, match=r"calendar lists a day more than once: 2024-12-25"):
        Calendar(closed=["2024-12-25"], factors={"2024-12-25": 2.0})
    with pytest.raises(CCSimInputError, match=r"calendar closing time must be a closing time of "
                       r"day such as '13:00' \(after 00:00, before 24:00\); got '25:00'"):
        Calendar(short={"2024-12-24": "25:00"})
    with pytest.raises(CCSimInputError, match=r"calendar factor must be a finite number in "
                       r"\[0, inf\); got -1.0"):
        Calendar(factors={"2024-12-24": -1})
    with pytest.raises(CCSimInputError, match=r"calendar closed day must be a date \(midnight\); "
                       r"got 2024-12-25 13:00:00"):
        Calendar(closed=["2024-12-25 13:00"])


# ------------------------------------------------------------------ bank data
def test_bank_forecast_treats_the_missing_days_as_gaps(bank_history):
    forecast = forecast_volumes(bank_history, "1999-02-01", "1999-02-08")
    assert len(forecast) == 6 * 7 * 48
    assert not forecast.isna().any().any() and (forecast["calls"] >= 0).all()
    # 11-12 January have no call at all: left out, exactly as if listed closed.
    listed = forecast_volumes(bank_history, "1999-02-01", "1999-02-08",
                              calendar={"1999-01-11": "closed", "1999-01-12": "closed"})
    assert forecast.equals(listed)
    daily = aggregate_forecast(forecast, "day")
    ps = daily[daily["call_type"] == "PS"].set_index("day")["calls"]
    # Friday and Saturday (the Israeli weekend) are the quiet days, as in the history.
    assert ps.idxmin() == pd.Timestamp("1999-02-06") and ps.nsmallest(2).index.day_of_week.tolist(
    ) == [5, 4]


# ---------------------------------------------------------------- bad input
def test_bad_history_messages(synthetic):
    args = ("2024-02-12", "2024-02-13")
    with pytest.raises(CCSimInputError, match=r"history must be a pandas DataFrame .*; got list"):
        forecast_volumes([], *args)
    with pytest.raises(CCSimInputError, match=r"history is missing column\(s\) \['offered'\]"):
        forecast_volumes(synthetic.drop(columns="offered"), *args)
    with pytest.raises(CCSimInputError, match=r"history has a gap: no interval starts between "
                       r"2024-01-01 09:30:00 and 2024-01-01 10:30:00"):
        forecast_volumes(synthetic.drop(index=20), *args)
    with pytest.raises(CCSimInputError, match=r"history has duplicate rows for interval_start "
                       r"2024-01-01 00:00:00 and call_type 'A'"):
        forecast_volumes(pd.concat([synthetic.iloc[:1], synthetic]), *args)
    with pytest.raises(CCSimInputError, match=r"history\['offered'\] must be a whole number "
                       r">= 0; got -1.0 at position 3"):
        forecast_volumes(synthetic.assign(offered=synthetic["offered"].where(
            synthetic.index != 3, -1)), *args)
    with pytest.raises(CCSimInputError, match=r"history has a gap: call type 'B' has no row for "
                       r"2024-01-01 00:00:00"):
        forecast_volumes(pd.concat([synthetic, synthetic.iloc[1:].assign(call_type="B")]),
                         *args)
    with pytest.raises(CCSimInputError, match=r"history\['interval_start'\] must be a regular "
                       r"grid at 15, 30 or 60 minutes; got a step of 0 days 00:20:00"):
        forecast_volumes(synthetic.assign(interval_start=MONDAY + pd.to_timedelta(
            np.arange(len(synthetic)) * 20, unit="min")), *args)
    with pytest.raises(CCSimInputError, match=r"history has no usable day in the last 4 week\(s\) "
                       r"before 2024-02-12"):
        forecast_volumes(synthetic.assign(offered=0), *args)


def test_bad_option_messages(synthetic):
    args = (synthetic, "2024-02-12", "2024-02-13")
    with pytest.raises(CCSimInputError, match=r"start must be on the history's 0 days 00:30:00 "
                       r"interval grid; got 2024-02-12 08:10:00"):
        forecast_volumes(synthetic, "2024-02-12 08:10", "2024-02-13")
    with pytest.raises(CCSimInputError, match=r"start must be before end; got "
                       r"start=2024-02-13 00:00:00 and end=2024-02-12 00:00:00"):
        forecast_volumes(synthetic, "2024-02-13", "2024-02-12")
    with pytest.raises(CCSimInputError, match=r"start must be a date or time .*; got 'soon'"):
        forecast_volumes(synthetic, "soon", "2024-02-12")
    with pytest.raises(CCSimInputError, match=r"weeks must be a whole number >= 1; got 0.0"):
        forecast_volumes(*args, weeks=0)
    with pytest.raises(CCSimInputError, match=r"prediction_coverage must be a finite number in "
                       r"\(0, 1\); got 80.0 \(a fraction: write 0.8 for 80 %\)"):
        forecast_volumes(*args, prediction_coverage=80)
    with pytest.raises(CCSimInputError, match=r"damping must be a finite number in \[0, 1\]; "
                       r"got 1.5"):
        forecast_volumes(*args, damping=1.5)
    with pytest.raises(CCSimInputError, match=r"trend must be True or False; got 'yes'"):
        forecast_volumes(*args, trend="yes")
    with pytest.raises(CCSimInputError, match=r"calendar must be a ccsim.arrivals.Calendar, a "
                       r"mapping date -> kind, or None; got list"):
        forecast_volumes(*args, calendar=["2024-02-12"])
    with pytest.raises(CCSimInputError, match=r"by must be one of \['day', 'month', 'year'\]; "
                       r"got 'week'"):
        aggregate_forecast(forecast_volumes(*args), "week")


def test_weekday_missing_from_the_level_window_warns():
    mean = np.full((14, 24), 10.0)
    history = make_history({"A": mean}, seed=5)
    mondays = (history["interval_start"].dt.day_of_week == 0).to_numpy()
    history.loc[mondays & (history["interval_start"] >= "2024-01-08").to_numpy(), "offered"] = 0
    history = history[history["interval_start"] >= "2024-01-02"]  # no Monday of week 1 either
    with pytest.warns(UserWarning, match=r"have no usable Monday; forecast as an average"):
        forecast = forecast_daily(history, "2024-01-15", "2024-01-16", weeks=2, trend=False,
                                  calendar={"2024-01-08": "closed"})
    assert forecast["calls"].iloc[0] == pytest.approx(240, rel=0.1)


@pytest.mark.parametrize("module", [ccsim._arrivals.forecast, ccsim._arrivals.calendar])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
