"""Tests of arrival sampling: ccsim.arrivals.sample_counts and sample_arrivals.

Tolerances come from the sampling distribution of the statistic: a sample mean
of R draws has standard error sqrt(Var / R) and a sample variance about
sqrt((mu4 - sigma^4) / R), with mu4 the fourth central moment of the law. Every
check allows 4 standard errors (a false alarm about once in 16,000 per check).
"""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import ccsim._arrivals.sampling
from ccsim._validation import CCSimInputError
from ccsim.arrivals import sample_arrivals, sample_counts

MEANS = [0.0, 0.5, 3.0, 20.0, 150.0]
R = 20_000


def _forecast(means_by_type: dict[str, list[float]], day="2024-03-04 08:00", freq="30min"):
    frames = []
    for call_type, means in means_by_type.items():
        starts = pd.date_range(day, periods=len(means), freq=freq)
        frames.append(pd.DataFrame({"interval_start": starts, "call_type": call_type,
                                    "calls": means, "calls_lower": 0.0,
                                    "calls_upper": np.array(means) * 2}))
    forecast = pd.concat(frames, ignore_index=True)
    forecast.attrs["freq"] = freq
    return forecast


def _variance_se(variance: float, fourth_moment: float) -> float:
    return np.sqrt((fourth_moment - variance**2) / R)


def test_poisson_counts_match_their_law():
    counts = sample_counts(_forecast({"A": MEANS}), R, seed=11)
    assert counts.shape == (R, len(MEANS)) and counts.dtype.kind == "i"
    assert (counts[:, 0] == 0).all()
    for column, m in enumerate(MEANS[1:], start=1):
        sample = counts[:, column]
        assert abs(sample.mean() - m) < 4 * np.sqrt(m / R)
        # Poisson: variance m, fourth central moment m + 3 m^2.
        assert abs(sample.var(ddof=1) - m) < 4 * _variance_se(m, m + 3 * m**2)


def test_gamma_poisson_counts_match_their_law():
    """With a day multiplier G ~ Gamma(mean 1, variance cv2): Var = m + cv2 m^2.

    Each count is then negative binomial NB(1 / cv2, 1 / (1 + cv2 m)), and so is
    the day total (all intervals of a day share G); another call type's day is
    independent.
    """
    cv2 = 0.05
    forecast = _forecast({"A": MEANS, "B": MEANS})
    counts = sample_counts(forecast, R, seed=12, overdispersion={"A": cv2, "B": 0.0})
    a, b = counts[:, : len(MEANS)], counts[:, len(MEANS):]
    for column, m in enumerate(MEANS[1:], start=1):
        law = stats.nbinom(1 / cv2, 1 / (1 + cv2 * m))
        variance, kurtosis = (float(v) for v in law.stats(moments="vk"))
        assert variance == pytest.approx(m + cv2 * m**2)
        assert abs(a[:, column].mean() - m) < 4 * np.sqrt(variance / R)
        fourth = (kurtosis + 3) * variance**2
        assert abs(a[:, column].var(ddof=1) - variance) < 4 * _variance_se(variance, fourth)
        # Type B stays Poisson.
        assert abs(b[:, column].var(ddof=1) - m) < 4 * _variance_se(m, m + 3 * m**2)
    total = a.sum(axis=1)
    day_mean = sum(MEANS)
    law = stats.nbinom(1 / cv2, 1 / (1 + cv2 * day_mean))
    variance, kurtosis = (float(v) for v in law.stats(moments="vk"))
    assert abs(total.var(ddof=1) - variance) < 4 * _variance_se(variance,
                                                                (kurtosis + 3) * variance**2)
    # Days of different call types are independent: correlation within 4 / sqrt(R).
    assert abs(np.corrcoef(total, b.sum(axis=1))[0, 1]) < 4 / np.sqrt(R)


def test_days_get_independent_multipliers():
    """Two days of one type: a shared-day variance within each, none across them."""
    cv2 = 0.1
    forecast = pd.concat([_forecast({"A": [50.0, 50.0]}, day="2024-03-04 10:00"),
                          _forecast({"A": [50.0, 50.0]}, day="2024-03-05 10:00")],
                         ignore_index=True)
    counts = sample_counts(forecast, R, seed=13, overdispersion=cv2)
    same_day = np.cov(counts[:, 0], counts[:, 1])[0, 1]
    # Cov = cv2 * 50 * 50 = 250 within a day; the product of two NB deviations has
    # variance Var0 * Var1 + Cov^2 (about 75,000): SE sqrt(75,000 / R) ~ 1.9.
    assert abs(same_day - 250) < 4 * np.sqrt((300**2 + 250**2) / R)
    across = np.cov(counts[:, 0], counts[:, 2])[0, 1]
    assert abs(across) < 4 * np.sqrt(300**2 / R)


def test_arrival_times_are_uniform_within_intervals():
    forecast = _forecast({"A": [400.0, 400.0, 400.0]})
    arrivals = sample_arrivals(forecast, seed=20240304)
    start = arrivals["arrival"].dt.floor("30min")
    assert start.isin(forecast["interval_start"]).all()
    position = (arrivals["arrival"] - start) / pd.Timedelta("30min")
    assert position.between(0, 1, inclusive="left").all()
    # Kolmogorov-Smirnov against U(0, 1), fixed seed; at 1 % a true law fails once in 100
    # seeds, and this seed is not one of them.
    assert stats.kstest(position.to_numpy(), "uniform").pvalue > 0.01
    # Ten equal bins of each interval: chi-square on 9 degrees of freedom.
    bins = np.bincount((position.to_numpy() * 10).astype(int), minlength=10)
    chi2 = ((bins - bins.mean()) ** 2 / bins.mean()).sum()
    assert stats.chi2(9).sf(chi2) > 0.01


def test_arrival_counts_follow_the_forecast():
    """2,000 intervals of mean 4: mean and variance of the interval counts within 4 SE."""
    n, m = 2000, 4.0
    forecast = _forecast({"A": [m] * n}, day="2024-03-04 00:00", freq="15min")
    arrivals = sample_arrivals(forecast, seed=14)
    per_interval = arrivals["arrival"].dt.floor("15min").value_counts()
    counts = per_interval.reindex(forecast["interval_start"], fill_value=0).to_numpy()
    assert abs(counts.mean() - m) < 4 * np.sqrt(m / n)
    assert abs(counts.var(ddof=1) - m) < 4 * np.sqrt((m + 2 * m**2) / n)
    # sample_arrivals draws its counts exactly as sample_counts does with the same seed.
    assert counts.tolist() == sample_counts(forecast, seed=14)[0].tolist()


def test_arrivals_frame_and_reproducibility():
    forecast = _forecast({"B": [5.0, 8.0], "A": [10.0, 0.0]})
    arrivals = sample_arrivals(forecast, seed=3, overdispersion=0.2)
    assert arrivals.columns.tolist() == ["call_type", "arrival"]
    assert str(arrivals["arrival"].dtype) == "datetime64[ns]"
    assert arrivals["arrival"].is_monotonic_increasing
    assert arrivals.index.equals(pd.RangeIndex(len(arrivals)))
    assert set(arrivals["call_type"]) <= {"A", "B"}
    assert arrivals.equals(sample_arrivals(forecast, seed=3, overdispersion=0.2))
    assert arrivals.equals(sample_arrivals(forecast, seed=np.random.default_rng(3),
                                           overdispersion=0.2))
    assert not arrivals.equals(sample_arrivals(forecast, seed=4, overdispersion=0.2))
    empty = sample_arrivals(_forecast({"A": [0.0, 0.0]}), seed=1)
    assert empty.empty and empty.columns.tolist() == ["call_type", "arrival"]
    bare = forecast.copy()
    bare.attrs = {}  # the interval length comes from the grid
    assert sample_arrivals(bare, seed=3).equals(sample_arrivals(forecast, seed=3))


def test_bad_input_messages():
    forecast = _forecast({"A": [1.0, 2.0], "B": [1.0, 2.0]})
    with pytest.raises(CCSimInputError, match=r"seed must be an int >= 0, a "
                       r"numpy.random.Generator, a numpy.random.SeedSequence or None; got -1"):
        sample_arrivals(forecast, seed=-1)
    with pytest.raises(CCSimInputError, match=r"seed must be .*; got 'abc'"):
        sample_counts(forecast, seed="abc")
    with pytest.raises(CCSimInputError, match=r"overdispersion must be a finite number in "
                       r"\[0, inf\); got -0.1"):
        sample_arrivals(forecast, seed=1, overdispersion=-0.1)
    with pytest.raises(CCSimInputError, match=r"overdispersion has no value for call type\(s\) "
                       r"\['B'\]"):
        sample_arrivals(forecast, seed=1, overdispersion={"A": 0.1})
    with pytest.raises(CCSimInputError, match=r"forecast\['calls'\] must be a finite number in "
                       r"\[0, inf\); got -2.0 at position 1"):
        sample_arrivals(forecast.assign(calls=[1.0, -2.0, 1.0, 1.0]), seed=1)
    with pytest.raises(CCSimInputError, match=r"forecast must have calls_lower <= calls <= "
                       r"calls_upper; got 3.0 <= 1.0 <= 2.0 at row 0"):
        sample_arrivals(forecast.assign(calls_lower=3.0), seed=1)
    with pytest.raises(CCSimInputError, match=r"forecast must be a pandas DataFrame with "
                       r"columns .*; got dict"):
        sample_arrivals({}, seed=1)
    with pytest.raises(CCSimInputError, match=r"replications must be a whole number >= 1; "
                       r"got 0.0"):
        sample_counts(forecast, 0, seed=1)
    odd = forecast.copy()
    odd.attrs["freq"] = "20min"
    with pytest.raises(CCSimInputError, match=r"forecast.attrs\['freq'\] must be one of "
                       r"\['15min', '30min', '60min'\]; got '20min'"):
        sample_arrivals(odd, seed=1)
    single = forecast.iloc[:1].copy()
    single.attrs = {}
    with pytest.raises(CCSimInputError, match=r"forecast.attrs\['freq'\] must give the interval "
                       r"length"):
        sample_arrivals(single, seed=1)


def test_docstring_examples():
    result = doctest.testmod(ccsim._arrivals.sampling, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
