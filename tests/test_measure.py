"""Tests of measurement: handle-time fits, over-dispersion and the forecast backtest."""

from __future__ import annotations

import doctest
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import ccsim._arrivals.measure
from ccsim._validation import CCSimInputError
from ccsim.arrivals import (
    HandleTimeFit,
    backtest,
    dispersion,
    fit_handle_times,
    history_from_calls,
)
from ccsim.io import load_example_calls

MONDAY = pd.Timestamp("2024-01-01")
LEVELS = np.array([1000.0, 950.0, 900.0, 900.0, 400.0, 150.0, 1100.0])  # Monday..Sunday
N_DAYS = 140  # twenty weeks


def _profiles() -> np.ndarray:
    k = np.arange(48)
    weekday = np.where((k >= 14) & (k < 38), np.exp(-0.5 * ((k - 20) / 5.0) ** 2) + 0.3, 0.0)
    weekend = np.where((k >= 18) & (k < 30), 1.0, 0.0)
    rows = np.array([weekday] * 5 + [weekend, weekday])
    return rows / rows.sum(axis=1, keepdims=True)


PROFILES = _profiles()
WEEKDAY = pd.date_range(MONDAY, periods=N_DAYS, freq="D").day_of_week.to_numpy()
DAY_MEANS = LEVELS[WEEKDAY]


def _history(day_cv2: float, seed: int) -> pd.DataFrame:
    """Twenty weeks of one call type; each day's rate times a Gamma(mean 1, var cv2)."""
    rng = np.random.default_rng(seed)
    multiplier = rng.gamma(1 / day_cv2, day_cv2, N_DAYS) if day_cv2 else np.ones(N_DAYS)
    means = (DAY_MEANS * multiplier)[:, None] * PROFILES[WEEKDAY]
    starts = MONDAY + pd.Timedelta("30min") * np.arange(N_DAYS * 48)
    return pd.DataFrame({"interval_start": starts, "call_type": "A",
                         "offered": rng.poisson(means.ravel())})


@pytest.fixture(scope="module")
def bank() -> pd.DataFrame:
    return load_example_calls()


@pytest.fixture(scope="module")
def bank_history(bank) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the 11-12 January gap
        return history_from_calls(bank, interval_minutes=30)


# ------------------------------------------------------------- handle times
def test_lognormal_fit_recovers_its_parameters():
    """MLE: mu has SE sigma / sqrt(n), sigma has SE sigma / sqrt(2 n); 4 SE each.

    The KS distance of a correct model stays under 1.95 / sqrt(n), the 0.1 %
    point of Kolmogorov's law (conservative: fitted parameters make it smaller).
    """
    rng = np.random.default_rng(2005)
    n, mu, sigma = 20_000, 5.0, 1.0
    seconds = np.concatenate([rng.lognormal(mu, sigma, n), np.zeros(50)])
    calls = pd.DataFrame({"outcome": "answered", "service_seconds": seconds})
    fit = fit_handle_times(pd.concat([calls, pd.DataFrame(
        {"outcome": ["abandoned"], "service_seconds": [0.0]})], ignore_index=True))
    assert isinstance(fit, HandleTimeFit)
    assert fit.calls == n and fit.zero_calls == 50
    assert abs(fit.log_mean - mu) < 4 * sigma / np.sqrt(n)
    assert abs(fit.log_sd - sigma) < 4 * sigma / np.sqrt(2 * n)
    assert fit.mean_seconds == pytest.approx(np.exp(fit.log_mean + fit.log_sd**2 / 2))
    assert fit.median_seconds == pytest.approx(np.exp(fit.log_mean))
    assert fit.sample_mean_seconds == pytest.approx(seconds[seconds > 0].mean())
    assert fit.distribution().mean() == pytest.approx(fit.mean_seconds)
    assert fit.ks_distance < 1.95 / np.sqrt(n)
    # An exponential law is not lognormal, and the KS distance says so.
    wrong = fit_handle_times(calls.assign(service_seconds=rng.exponential(200.0, len(calls))))
    assert wrong.ks_distance > 3 * 1.95 / np.sqrt(n)


def test_bank_handle_times(bank):
    fit = fit_handle_times(bank)
    # 27,060 answered calls, 277 of them with a service time of 0 s.
    assert (fit.calls, fit.zero_calls) == (26_783, 277)
    assert round(fit.log_mean, 4) == 4.6713 and round(fit.log_sd, 4) == 1.1585
    assert round(fit.mean_seconds, 1) == 209.0 and round(fit.median_seconds, 1) == 106.8
    assert round(fit.sample_mean_seconds, 1) == 185.3
    assert round(fit.ks_distance, 4) == 0.0655
    ps = fit_handle_times(bank[bank["call_type"] == "PS"])
    assert round(ps.log_mean, 3) == 4.784 and round(ps.log_sd, 3) == 1.069


def test_handle_time_bad_input():
    with pytest.raises(CCSimInputError, match=r"calls has 0 answered call\(s\) with "
                       r"service_seconds > 0; a lognormal fit needs at least 2"):
        fit_handle_times(pd.DataFrame({"outcome": ["abandoned"], "service_seconds": [0.0]}))
    with pytest.raises(CCSimInputError, match=r"calls is missing column\(s\) "
                       r"\['service_seconds'\]"):
        fit_handle_times(pd.DataFrame({"outcome": ["answered"]}))
    with pytest.raises(CCSimInputError, match=r"calls has only one distinct handle time "
                       r"\(60.0 s\)"):
        fit_handle_times(pd.DataFrame({"outcome": "answered", "service_seconds": [60.0] * 3}))


# --------------------------------------------------------------- dispersion
def _interval_df() -> int:
    """Degrees of freedom of the days x intervals tables, summed over weekdays."""
    days_per_weekday = N_DAYS // 7
    open_intervals = (PROFILES > 0).sum(axis=1)
    return int(((days_per_weekday - 1) * (open_intervals - 1)).sum())


def test_dispersion_of_poisson_volumes():
    """Poisson days: both variance-to-mean ratios near 1, cv2 near 0.

    A Pearson chi-square over df has SE sqrt(2 / df). The moment estimate of cv2
    is sum((y - m)^2 - m) / sum m^2, whose SE for Poisson y is
    sqrt(sum(m + 2 m^2)) / sum m^2 (Var of (y - m)^2 is mu4 - sigma^4 = m + 2 m^2).
    All within 4 SE.
    """
    result = dispersion(_history(0.0, seed=31))
    row = result.iloc[0]
    assert result.columns.tolist() == ["call_type", "days", "calls_per_day", "day_vmr",
                                       "day_cv2", "interval_vmr"]
    assert row["days"] == N_DAYS
    day_df = N_DAYS - 8  # seven weekday levels and a trend
    assert abs(row["day_vmr"] - 1) < 4 * np.sqrt(2 / day_df)
    assert abs(row["interval_vmr"] - 1) < 4 * np.sqrt(2 / _interval_df())
    m = DAY_MEANS
    assert row["day_cv2"] < 4 * np.sqrt((m + 2 * m**2).sum()) / (m**2).sum()


def test_dispersion_recovers_a_gamma_day_multiplier():
    """Gamma(mean 1, var 0.02) day multipliers: day_cv2 recovers 0.02 within 4 SE.

    With y negative binomial of mean m and variance v = m + cv2 m^2, the SE of the
    estimate is sqrt(sum(mu4 - v^2)) / sum m^2 (mu4 from scipy's NB kurtosis). The
    interval counts given each day's total stay Poisson (interval_vmr near 1).
    """
    cv2 = 0.02
    row = dispersion(_history(cv2, seed=32)).iloc[0]
    law = stats.nbinom(1 / cv2, 1 / (1 + cv2 * DAY_MEANS))
    variance, kurtosis = law.stats(moments="vk")
    fourth = (kurtosis + 3) * variance**2
    se = np.sqrt((fourth - variance**2).sum()) / (DAY_MEANS**2).sum()
    assert abs(row["day_cv2"] - cv2) < 4 * se
    assert row["day_vmr"] > 5  # 1 + cv2 * m is about 17 on an average day
    assert abs(row["interval_vmr"] - 1) < 4 * np.sqrt(2 / _interval_df())


def test_bank_dispersion(bank_history):
    result = dispersion(bank_history).set_index("call_type").round(4)
    assert result["days"].eq(29).all()  # 31 days less the empty 11-12 January
    # Over-dispersed at day level for every call type; day_cv2 is the gamma variance.
    assert result.loc["PS"].tolist() == [29, 759.7586, 7.1295, 0.0078, 1.8298]
    assert result.loc["NW"].tolist() == [29, 180.4483, 7.0648, 0.0298, 1.52]
    assert (result["day_vmr"] > 1).all()


# ----------------------------------------------------------------- backtest
def test_bank_backtest(bank_history):
    """Origins: the last 14 days of January; horizons 1-7 days (default options)."""
    result = backtest(bank_history, horizon_days=7, origins=14)
    assert result.columns.tolist() == ["level", "horizon_day", "points", "actual_calls",
                                       "forecast_calls", "wape", "mape", "mape_points",
                                       "bias", "coverage"]
    assert result["level"].tolist() == ["day"] * 7 + ["interval"] * 7
    assert result["horizon_day"].tolist() == list(range(1, 8)) * 2
    assert np.isfinite(result[["wape", "mape", "bias", "coverage"]].to_numpy()).all()
    # Origin 31 January has one scored day; origin 18 January has seven: 6 types each.
    assert result["points"].iloc[:7].tolist() == [84, 78, 72, 66, 60, 54, 48]
    pooled = backtest(bank_history, 7, 14, by=()).set_index("level").round(3)
    assert pooled.loc["day", "wape"] == 0.187 and pooled.loc["interval", "wape"] == 0.381
    assert pooled.loc["day", "bias"] == 0.14  # late January fell faster than the trend
    by_type = backtest(bank_history, 7, 14, by=("call_type",))
    ps = by_type[(by_type["level"] == "day") & (by_type["call_type"] == "PS")]
    assert ps["wape"].iloc[0] < pooled.loc["day", "wape"] + 0.05


def test_backtest_detail_skips_the_gap(bank_history):
    pairs = backtest(bank_history, horizon_days=3, origins=["1999-01-10", "1999-01-13"],
                     detail=True)
    assert pairs.columns.tolist() == ["level", "origin", "horizon_day", "call_type",
                                      "period_start", "calls", "calls_lower", "calls_upper",
                                      "actual_calls"]
    days = pairs.loc[pairs["level"] == "day", "period_start"].unique()
    # From 10 January: 10 (11 and 12 are empty, not scored); from 13 January: 13-15.
    assert sorted(pd.to_datetime(days).strftime("%m-%d")) == ["01-10", "01-13", "01-14",
                                                              "01-15"]
    interval = pairs[pairs["level"] == "interval"]
    day_sums = interval.groupby(["origin", "call_type", interval["period_start"].dt.normalize()])
    daily = pairs[pairs["level"] == "day"].set_index(["origin", "call_type", "period_start"])
    assert day_sums["actual_calls"].sum().to_numpy() == pytest.approx(
        daily["actual_calls"].to_numpy())


def test_backtest_bad_input(bank_history):
    with pytest.raises(CCSimInputError, match=r"by must name columns among \['horizon_day', "
                       r"'call_type', 'origin'\]; got \['weekday'\]"):
        backtest(bank_history, by=("weekday",))
    with pytest.raises(CCSimInputError, match=r"origins must leave at least one day of history "
                       r"before the first origin; got 31 with 31 day\(s\) of history"):
        backtest(bank_history, origins=31)
    with pytest.raises(CCSimInputError, match=r"origins must be dates after the first history "
                       r"day and within the history \(1999-01-02 to 1999-01-31\); "
                       r"got 1999-02-01"):
        backtest(bank_history, origins=["1999-02-01"])
    with pytest.raises(CCSimInputError, match=r"origins must be a count of recent days or a "
                       r"list of dates; got '1999-01-20'"):
        backtest(bank_history, origins="1999-01-20")
    with pytest.raises(CCSimInputError, match=r"horizon_days must be a whole number >= 1; "
                       r"got 0.0"):
        backtest(bank_history, horizon_days=0)
    with pytest.raises(CCSimInputError, match=r"backtest: unknown option\(s\) \['week'\]; the "
                       r"valid options are \['weeks', 'profile_weeks', 'trend', 'damping', "
                       r"'calendar', 'prediction_coverage', 'profile_prior_calls'\]"):
        backtest(bank_history, week=3)  # a misspelt forecasting option


def test_docstring_examples():
    result = doctest.testmod(ccsim._arrivals.measure, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
