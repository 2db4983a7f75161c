"""Fuzz tests of ccsim.arrivals and ccsim.plots (issue 9: solid under bad input).

1. For every public function, random and adversarial inputs (huge, tiny, negative,
   NaN, inf, wrong types, text, empty, 2-D, time zones) either give a valid result
   (finite, in range) or raise ``CCSimInputError``; any other exception fails.
2. The named cases of the issue, pinned with ``pytest.raises(..., match=...)``.
3. The renamed keywords warn ``DeprecationWarning`` and give the same result.
"""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from ccsim._arrivals.sampling import bounds, check_forecast  # noqa: E402
from ccsim._validation import CCSimInputError  # noqa: E402
from ccsim.arrivals import (  # noqa: E402
    Calendar,
    aggregate_forecast,
    backtest,
    dispersion,
    estimate_patience,
    fit_handle_times,
    forecast_daily,
    forecast_volumes,
    history_from_calls,
    patience_survival,
    sample_arrivals,
    sample_counts,
    surge,
)
from ccsim.plots import forecast_vs_actual, requirement_curve  # noqa: E402

FUZZ = settings(max_examples=50, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
FEW = settings(max_examples=25, deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture,
                                      HealthCheck.too_slow])


# ------------------------------------------------------------------ data
def make_history(days: int = 21, types=("A", "B"), level: float = 40.0, growth: float = 0.0,
                 seed: int = 0) -> pd.DataFrame:
    """Hourly history from Monday 2024-01-01: Poisson counts, open 08:00-20:00."""
    starts = pd.date_range("2024-01-01", periods=days * 24, freq="60min")
    rng = np.random.default_rng(seed)
    open_hours = np.where((starts.hour >= 8) & (starts.hour < 20), 1.0, 0.05)
    day = np.arange(len(starts)) // 24
    frames = [pd.DataFrame({"interval_start": starts, "call_type": kind,
                            "offered": rng.poisson(level * np.exp(growth * day) * open_hours)})
              for kind in types]
    return pd.concat(frames, ignore_index=True)


HISTORY = make_history()
END = "2024-01-22"  # the end of HISTORY, a Monday
FORECAST = forecast_volumes(HISTORY, END, "2024-01-23")
CALLS = pd.DataFrame({
    "call_type": ["A", "A", "B", "A", "B", "B"],
    "arrival": pd.to_datetime(["2024-01-01 08:05", "2024-01-01 08:20", "2024-01-01 09:40",
                               "2024-01-02 10:00", "2024-01-02 10:01", "2024-01-02 23:59"]),
    "queue_wait_seconds": [5.0, 40.0, 12.0, 0.0, 300.0, 61.0],
    "outcome": ["answered", "abandoned", "answered", "answered", "abandoned", "answered"],
    "service_seconds": [100.0, 0.0, 250.0, 80.0, 0.0, 3600.0],
})

junk = st.one_of(
    st.none(), st.booleans(), st.integers(-2**70, 2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=6),
    st.just([]), st.just({}), st.lists(st.floats(-1e3, 1e3), max_size=3),
    st.just(np.ones((2, 2))), st.just(pd.NaT), st.just(pd.Timestamp("2024-01-22", tz="UTC")),
    st.sampled_from(["2024-01-22", "1998-01-01", "3000-01-01", "2024-01-22 00:10", "soon",
                     "30min", "13:00"]),
    st.just(object()),
)
numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([0.0, 1e-300, 1e-12, 0.5, 1.0, 2.0, 1e6, 1e12, 1e15, 1e300]))


@st.composite
def arguments(draw, **fields):
    """Keyword arguments, each drawn from ``(valid, bad)`` strategies: at most one is bad.

    Corrupting one argument at a time keeps about half the examples on the valid
    paths (which must give valid results) while every argument gets its bad values.
    """
    bad = draw(st.sampled_from([None, None, *fields]))
    return {name: draw(wrong if name == bad else right)
            for name, (right, wrong) in fields.items()}


def run(function, *args, **kwargs):
    """The result, or None for a CCSimInputError; any other exception fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # caveats and deprecations are allowed here
        try:
            return function(*args, **kwargs)
        except CCSimInputError:
            return None


def assert_finite(frame: pd.DataFrame, nan_ok: tuple[str, ...] = ()) -> None:
    for column in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[column]) and column not in nan_ok:
            values = frame[column].to_numpy(dtype=float)
            assert np.isfinite(values).all(), column


def assert_forecast(frame: pd.DataFrame) -> None:
    assert_finite(frame)
    calls = frame["calls"].to_numpy()
    assert (frame["calls_lower"].to_numpy() >= 0).all()
    assert (frame["calls_lower"].to_numpy() <= calls).all()
    assert (calls <= frame["calls_upper"].to_numpy()).all()


# ------------------------------------------------------------ call logs
stamps = st.datetimes(min_value=pd.Timestamp("2024-01-01").to_pydatetime(),
                      max_value=pd.Timestamp("2024-01-07").to_pydatetime())


def column(n, right, wrong):
    """A column of ``n`` values from ``right``, or (1 time in 4) with one from ``wrong``."""
    return st.tuples(st.lists(right, min_size=n, max_size=n), st.integers(0, 3), wrong).map(
        lambda t: t[0] if t[1] or not n else [t[2], *t[0][1:]])


@st.composite
def call_logs(draw):
    n = draw(st.integers(0, 8))
    parts = draw(arguments(
        call_type=(column(n, st.sampled_from(["A", "B", 3, "3"]), st.just(None)),
                   column(n, st.sampled_from([3.0, "", "A"]), st.sampled_from([np.nan, None]))),
        queue_wait_seconds=(column(n, st.floats(0, 1e4), st.sampled_from([1e300, 1.7e308])),
                            column(n, st.floats(0, 1e4), st.sampled_from(
                                [-1.0, np.nan, np.inf, "x"]))),
        outcome=(column(n, st.sampled_from(["answered", "abandoned", "other"]),
                        st.just("answered")),
                 column(n, st.sampled_from(["answered", "abandoned"]),
                        st.sampled_from(["HANG", None, 3]))),
        service_seconds=(column(n, st.floats(0, 1e4), st.sampled_from([0.0, 1e300])),
                         column(n, st.floats(0, 1e4), st.sampled_from([-5.0, np.nan, "x"]))),
    ))
    frame = pd.DataFrame({
        "call_type": pd.Series(parts["call_type"], dtype=object),
        "arrival": pd.to_datetime([draw(stamps) for _ in range(n)]).as_unit("ns"),
        "queue_wait_seconds": parts["queue_wait_seconds"],
        "outcome": parts["outcome"],
        "service_seconds": parts["service_seconds"],
    })
    twist = draw(st.sampled_from(["none"] * 6 + [
        "tz", "text-time", "seconds-unit", "nat", "timedelta", "drop", "twice", "not-a-frame",
        "far-dates"]))
    if twist == "tz" and n:
        frame["arrival"] = frame["arrival"].dt.tz_localize("Asia/Jerusalem")
    elif twist == "text-time":
        frame["arrival"] = frame["arrival"].astype(str)
    elif twist == "seconds-unit" and n:
        frame["arrival"] = frame["arrival"].astype("datetime64[s]")
        frame.loc[0, "arrival"] = pd.Timestamp("2999-01-01")
    elif twist == "nat" and n:
        frame.loc[0, "arrival"] = pd.NaT
    elif twist == "timedelta":
        frame["queue_wait_seconds"] = pd.to_timedelta(np.arange(n), unit="s")
    elif twist == "drop":
        frame = frame.drop(columns=draw(st.sampled_from(list(frame.columns))))
    elif twist == "twice":
        frame = pd.concat([frame, frame[["outcome"]]], axis=1)
    elif twist == "not-a-frame":
        return draw(junk)
    elif twist == "far-dates" and n:
        frame.loc[0, "arrival"] = pd.Timestamp("1700-01-01")
    return frame


@FUZZ
@given(call_logs(), arguments(
    interval_minutes=(st.sampled_from([15, 30, 60, 30.0, np.int64(15)]),
                      st.one_of(st.sampled_from([20, 0, "30min", "1h"]), junk)),
    answer_within_seconds=(st.floats(0, 1e6), st.one_of(numbers, junk))))
def test_history_from_calls_fuzz(calls, kwargs):
    history = run(history_from_calls, calls, **kwargs)
    if history is None:
        return
    assert_finite(history)
    assert (history["offered"] == history["answered"] + history["abandoned"]).all()
    assert history["service_level"].between(0, 1).all()
    assert (history["aht_seconds"] >= 0).all() and history["call_type"].map(type).eq(str).all()


@FUZZ
@given(call_logs())
def test_patience_and_handle_times_fuzz(calls):
    theta = run(estimate_patience, calls)
    if theta is not None:
        assert np.isfinite(theta) and theta >= 0
    survival = run(patience_survival, calls)
    if survival is not None:
        assert_finite(survival)
        assert survival["survival"].between(0, 1).all()
    fit = run(fit_handle_times, calls)
    if fit is not None:
        values = [fit.log_mean, fit.log_sd, fit.mean_seconds, fit.median_seconds,
                  fit.sample_mean_seconds, fit.ks_distance]
        assert np.isfinite(values).all() and fit.log_sd > 0


@FUZZ
@given(st.lists(st.one_of(st.floats(1, 1e4), st.floats(0, 1.7e308),
                          st.sampled_from([0.0, 1e-320, 1e300, 1.7e308])),
                min_size=2, max_size=8))
def test_fit_handle_times_of_any_size_is_finite_or_refused(seconds):
    calls = pd.DataFrame({"outcome": "answered", "service_seconds": seconds})
    fit = run(fit_handle_times, calls)
    if fit is not None:
        assert np.isfinite([fit.mean_seconds, fit.sample_mean_seconds, fit.median_seconds]).all()
        positive = [s for s in seconds if s > 0]
        assert min(positive) * (1 - 1e-12) <= fit.sample_mean_seconds
        assert fit.sample_mean_seconds <= max(positive) * (1 + 1e-12)


# ------------------------------------------------------------- histories
good_histories = st.one_of(
    st.just(HISTORY),
    st.sampled_from([-0.3, -0.05, 0.05, 0.3]).map(lambda g: make_history(growth=g)),
    st.sampled_from([1e6, 1e9, 1e11]).map(lambda x: HISTORY.assign(offered=HISTORY["offered"]
                                                                   * x)),
    st.just(HISTORY.assign(call_type=HISTORY["call_type"].map({"A": 1, "B": "B"}))),
    st.just(HISTORY[HISTORY["call_type"] == "A"].iloc[24:]),  # one type, from 2 January
)


@st.composite
def bad_histories(draw):
    history = HISTORY.copy()
    twist = draw(st.sampled_from(["scale", "nan", "none-type", "text", "tz", "drop", "twice",
                                  "empty", "object-time", "short", "gap", "not-a-frame"]))
    if twist == "scale":
        history["offered"] = history["offered"] * 1e13
    elif twist == "nan":
        history["offered"] = history["offered"].astype(float)
        history.loc[3, "offered"] = draw(st.sampled_from([np.nan, np.inf, -1.0, 0.5]))
    elif twist == "none-type":
        history["call_type"] = history["call_type"].astype(object)
        history.loc[5, "call_type"] = None
    elif twist == "text":
        history["offered"] = history["offered"].astype(str)
        history.loc[2, "offered"] = "many"
    elif twist == "tz":
        history["interval_start"] = history["interval_start"].dt.tz_localize("UTC")
    elif twist == "drop":
        history = history.drop(columns=draw(st.sampled_from(list(history.columns))))
    elif twist == "twice":
        history = pd.concat([history, history[["offered"]]], axis=1)
    elif twist == "empty":
        history = history.iloc[:0]
    elif twist == "object-time":
        history["interval_start"] = history["interval_start"].astype(object)
    elif twist == "short":
        history = history.iloc[: draw(st.integers(1, 30))]
    elif twist == "gap":
        history = history.drop(index=draw(st.integers(0, len(history) - 1)))
    elif twist == "not-a-frame":
        return draw(junk)
    return history


good_spans = st.sampled_from([(END, "2024-01-23"), ("2024-01-22 08:00", "2024-01-22 09:00"),
                              ("2024-06-01", "2024-06-02"), ("2026-01-01", "2026-01-02")])
bad_spans = st.one_of(st.sampled_from([
    ("2024-01-21", "2024-01-23"), ("1998-01-01", "1998-01-02"), ("2030-01-01", "2030-01-02"),
    ("3000-01-01", "3000-01-02"), ("2024-01-23", END), ("2024-01-22 00:10", "2024-01-23")]),
    st.tuples(junk, junk))
calendars = st.sampled_from([None, {END: "closed"}, {END: ("short", "13:00")}, {END: 1.3},
                             Calendar(closed=["2024-01-10"])])
forecast_options = dict(
    weeks=(st.integers(1, 5), st.one_of(st.integers(-1, 0), junk)),
    profile_weeks=(st.sampled_from([None, 1, 3]), st.one_of(st.just(0), junk)),
    trend=(st.booleans(), junk),
    damping=(st.sampled_from([0.0, 0.5, 0.9, 0.999, 1.0]), st.one_of(numbers, junk)),
    calendar=(calendars, st.one_of(st.just({END: 1e300}), st.just({END: "shut"}), junk)),
    prediction_coverage=(st.sampled_from([0.5, 0.8, 0.99, 1e-9, 1 - 1e-9]),
                         st.one_of(numbers, junk)),
    profile_prior_calls=(st.sampled_from([0.0, 20.0, 1e9]), st.one_of(numbers, junk)),
)


@FUZZ
@given(arguments(history=(good_histories, bad_histories()), span=(good_spans, bad_spans),
                 max_horizon_days=(st.sampled_from([1096, 10**6]),
                                   st.one_of(st.integers(-1, 1), junk)),
                 **forecast_options))
def test_forecast_volumes_fuzz(kwargs):
    forecast = run(forecast_volumes, kwargs.pop("history"), *kwargs.pop("span"), **kwargs)
    if forecast is not None:
        assert_forecast(forecast)
        assert forecast["interval_start"].min() >= pd.Timestamp(END)


@FEW
@given(arguments(history=(good_histories, bad_histories()),
                 span=(st.sampled_from([(END, "2024-01-29"), ("2025-01-01", "2025-01-03")]),
                       st.one_of(bad_spans, st.just(("2024-01-22 08:00", "2024-01-23")))),
                 **forecast_options))
def test_forecast_daily_fuzz(kwargs):
    daily = run(forecast_daily, kwargs.pop("history"), *kwargs.pop("span"), **kwargs)
    if daily is not None:
        assert_forecast(daily)


@FEW
@given(arguments(
    history=(good_histories, bad_histories()),
    horizon_days=(st.integers(1, 40), st.one_of(st.integers(-1, 0), junk)),
    origins=(st.one_of(st.integers(1, 6), st.just(["2024-01-20", "2024-01-15"])),
             st.one_of(st.just(21), st.just(["2025-01-01"]), junk)),
    by=(st.sampled_from([(), "call_type", ("origin", "origin"), ["horizon_day", "call_type"]]),
        st.one_of(st.just(("weekday",)), junk)),
    detail=(st.booleans(), junk),
    extra=(st.sampled_from([{}, {"trend": False}, {"prediction_coverage": 0.5}]),
           st.sampled_from([{"colour": "red"}, {"interval": 0.9, "prediction_coverage": 0.9},
                            {"week": 2}, {"damping": 2}]))))
def test_backtest_and_dispersion_fuzz(kwargs):
    history, extra = kwargs.pop("history"), kwargs.pop("extra")
    scores = run(backtest, history, **kwargs, **extra)
    if scores is not None:
        assert_finite(scores, nan_ok=("wape", "mape", "bias"))
    spread = run(dispersion, history, weeks=kwargs["origins"], **extra)
    if spread is not None:
        assert_finite(spread, nan_ok=("interval_vmr",))
        assert (spread["day_cv2"] >= 0).all()


# -------------------------------------------------------------- calendar
@FUZZ
@given(arguments(
    closed=(st.sampled_from([(), ["2024-01-22"], "2024-01-22", pd.DatetimeIndex(["2024-01-22"]),
                             None]), st.one_of(st.just(["2024-01-22 13:00"]), junk)),
    short=(st.sampled_from([(), {"2024-01-23": "13:00"}, [("2024-01-23", "9:30:00")],
                            {"2024-01-23": pd.Timedelta(hours=13)}]),
           st.one_of(st.sampled_from([{"2024-01-23": "13"}, {"2024-01-23": "25:00"},
                                      [("2024-01-23",)], "2024-01-23"]), junk)),
    factors=(st.sampled_from([(), {"2024-01-24": 1.3}, [("2024-01-24", 0)]]),
             st.one_of(st.just({"2024-01-22": -1}), st.just({"2024-01-24": "x"}), junk)),
    days=(st.just(pd.date_range("2024-01-21", periods=4)),
          st.one_of(st.just(pd.DatetimeIndex(["2024-01-22 08:00"])), junk)),
    step=(st.sampled_from([pd.Timedelta("15min"), pd.Timedelta("60min")]),
          st.one_of(st.just(pd.Timedelta("7min")), junk))),
    st.one_of(st.just({"2024-01-22": "holiday", "2024-01-23": ("short", "13:00")}), junk))
def test_calendar_fuzz(kwargs, mapping):
    days, step = kwargs.pop("days"), kwargs.pop("step")
    calendar = run(Calendar, **kwargs)
    from_mapping = run(Calendar.from_mapping, mapping)
    assert from_mapping is None or isinstance(from_mapping, Calendar)
    if calendar is not None:
        assert repr(calendar).startswith("Calendar(")
        listed = run(calendar.listed, days)
        assert listed is None or listed.dtype == bool
        opening = run(calendar.open_fraction, days, step)
        assert opening is None or (np.isfinite(opening).all() and (opening >= 0).all())


# --------------------------------------------------------------- forecasts
good_forecasts = st.one_of(
    st.just(FORECAST),
    st.sampled_from([0.0, 1e-300, 0.5, 1e6, 1e11]).map(
        lambda x: FORECAST.assign(calls=x, calls_lower=x, calls_upper=x)),
    st.just(FORECAST.iloc[:0]),
    st.just(FORECAST.assign(call_type=FORECAST["call_type"].map({"A": 7, "B": "B"}))),
)


@st.composite
def bad_forecasts(draw):
    forecast = FORECAST.copy()
    forecast.attrs = dict(FORECAST.attrs)
    twist = draw(st.sampled_from(["values", "text", "nan-type", "tz", "twice", "attrs", "drop",
                                  "not-a-frame", "single", "seconds"]))
    if twist == "values":
        forecast.loc[2, ["calls", "calls_lower", "calls_upper"]] = draw(st.sampled_from(
            [np.nan, np.inf, -1.0, 1e13, 1.7e308]))
    elif twist == "text":
        forecast["calls"] = forecast["calls"].astype(str)
    elif twist == "nan-type":
        forecast["call_type"] = forecast["call_type"].astype(object)
        forecast.loc[1, "call_type"] = np.nan
    elif twist == "tz":
        forecast["interval_start"] = forecast["interval_start"].dt.tz_localize("UTC")
    elif twist == "twice":
        forecast = pd.concat([forecast, forecast[["calls"]]], axis=1)
    elif twist == "attrs":
        forecast.attrs.update(draw(st.fixed_dictionaries({}, optional={
            "freq": junk, "day_cv2": st.one_of(junk, st.just({"A": "x"}), st.just({"A": -1})),
            "prediction_coverage": junk, "interval": junk})))
    elif twist == "drop":
        forecast = forecast.drop(columns=draw(st.sampled_from(list(forecast.columns))))
    elif twist == "not-a-frame":
        return draw(junk)
    elif twist == "single":
        forecast = forecast.iloc[:1]
        forecast.attrs = {}
    elif twist == "seconds":  # year 2999 in seconds: must not wrap round to 1830
        forecast["interval_start"] = forecast["interval_start"].astype("datetime64[s]")
        forecast.loc[0, "interval_start"] = pd.Timestamp("2999-01-01")
    return forecast


@FUZZ
@given(arguments(
    forecast=(good_forecasts, bad_forecasts()),
    factor=(st.sampled_from([0.0, 0.5, 2.0, 1e3]), st.one_of(numbers, junk)),
    span=(st.sampled_from([(END, "2024-01-23"), ("2024-01-22 08:00", "2024-01-22 09:00"),
                           ("2030-01-01", "2030-01-02")]),
          st.one_of(st.just(("2024-01-23", END)), st.tuples(junk, junk))),
    call_types=(st.sampled_from([None, "A", ["A", "B"], (7,)]),
                st.one_of(st.just(["C"]), st.just([None]), junk)),
    by=(st.sampled_from(["day", "month", "year"]), st.one_of(st.just("week"), junk))))
def test_surge_and_aggregate_fuzz(kwargs):
    forecast, by = kwargs.pop("forecast"), kwargs.pop("by")
    surged = run(surge, forecast, kwargs["factor"], *kwargs["span"],
                 call_types=kwargs["call_types"])
    if surged is not None:
        assert_forecast(surged)
    total = run(aggregate_forecast, forecast if surged is None else surged, by)
    if total is not None:
        assert_forecast(total)


@FUZZ
@given(arguments(
    forecast=(good_forecasts, bad_forecasts()),
    replications=(st.integers(1, 30), st.one_of(st.integers(-1, 0), st.just(2.5), junk)),
    seed=(st.one_of(st.integers(0, 2**80), st.just(np.random.SeedSequence(5).spawn(2)[1]),
                    st.just(np.random.default_rng(3)), st.none()),
          st.one_of(st.just(-1), junk)),
    overdispersion=(st.one_of(st.sampled_from([None, 0.0, 1e-300, 0.05, 1e3, 1e300]),
                              st.just({"A": 0.1, "B": 0.0, 7: 0.2})),
                    st.one_of(st.just({"A": 0.1}), st.just(pd.Series({"A": 1e3, "B": [1, 2]})),
                              numbers, junk)),
    limit=(st.sampled_from([1e7, 1e3]), st.one_of(st.just(10), junk))))
def test_sampling_fuzz(kwargs):
    forecast, limit = kwargs.pop("forecast"), kwargs.pop("limit")
    counts = run(sample_counts, forecast, kwargs["replications"], seed=kwargs["seed"],
                 overdispersion=kwargs["overdispersion"], max_counts=limit)
    if counts is not None:
        assert counts.dtype.kind == "i" and (counts >= 0).all()
        assert counts.shape[1] == len(forecast)
    arrivals = run(sample_arrivals, forecast, kwargs["seed"], kwargs["overdispersion"],
                   max_calls=limit)
    if arrivals is not None:
        assert arrivals.columns.tolist() == ["call_type", "arrival"]
        assert arrivals["arrival"].is_monotonic_increasing and len(arrivals) <= limit
        if len(arrivals):
            assert arrivals["arrival"].min() >= forecast["interval_start"].min()


@FUZZ
@given(st.one_of(good_forecasts, bad_forecasts()))
def test_check_forecast_fuzz(forecast):
    checked = run(check_forecast, forecast)
    assert checked is None or checked is forecast


@FUZZ
@given(st.lists(st.one_of(st.floats(0, 1e17), st.sampled_from([0.0, 1e-300, 1e9, 1e11, 1e16])),
                min_size=1, max_size=6),
       st.one_of(st.floats(0, 1e300), st.sampled_from([0.0, 1e-12, 1e3, 1e6, 1e7])),
       st.floats(1e-6, 1 - 1e-6))
def test_prediction_bounds_are_finite_and_contain_the_mean(calls, cv2, coverage):
    """scipy's quantiles are NaN above ~1e11 calls and abort above 1e16: never reached."""
    calls = np.array(calls)
    with np.errstate(over="ignore"):
        extra = cv2 * calls**2
    extra = np.where(np.isfinite(extra), extra, 1e300)
    lower, upper = bounds(calls, extra, coverage)
    assert np.isfinite(lower).all() and np.isfinite(upper).all()
    assert (0 <= lower).all() and (lower <= calls).all() and (calls <= upper).all()


# ------------------------------------------------------------------ plots
@st.composite
def plot_tables(draw, value, bad=False):
    n = draw(st.integers(1, 4))
    frame = pd.DataFrame({
        "interval_start": pd.date_range("2024-01-22 08:00", periods=n, freq="30min"),
        "call_type": [draw(st.sampled_from(["A", "B", 1])) for _ in range(n)],
        value: [draw(st.floats(0, 1e6)) for _ in range(n)]})
    if value == "calls":
        frame["calls_lower"], frame["calls_upper"] = 0.0, frame[value]
    if value == "agents":
        frame["scheduled_agents"] = frame[value]
        frame.attrs["interval_seconds"] = 1800
    twist = draw(st.sampled_from(["none", "tz", "series", "unsorted"]) if not bad else
                 st.sampled_from(["values", "text", "nan-type", "junk", "attrs", "empty",
                                  "naive-text-time"]))
    if twist == "tz":
        frame["interval_start"] = frame["interval_start"].dt.tz_localize("Europe/Paris")
    elif twist == "series":
        return frame.set_index("interval_start")[value]
    elif twist == "unsorted":
        frame = frame.iloc[::-1]
    elif twist == "values":
        frame.loc[0, value] = draw(st.sampled_from([np.nan, np.inf, -1.0]))
    elif twist == "text":
        frame[value] = frame[value].astype(str)
        frame.loc[0, value] = "many"
    elif twist == "nan-type":
        frame.loc[0, "call_type"] = None
    elif twist == "junk":
        return draw(junk)
    elif twist == "attrs":
        frame.attrs["interval_seconds"] = draw(st.one_of(st.just(-5), st.just(1e9), junk))
    elif twist == "empty":
        frame = frame.iloc[:0]
    elif twist == "naive-text-time":
        frame["interval_start"] = frame["interval_start"].astype(str)
    return frame


@FEW
@given(arguments(
    requirement=(plot_tables("agents"), plot_tables("agents", bad=True)),
    forecast=(plot_tables("calls"), plot_tables("calls", bad=True)),
    history=(plot_tables("offered"), plot_tables("offered", bad=True)),
    call_types=(st.sampled_from([None, "A", ["A", "B", "A"]]),
                st.one_of(st.just(["Z"]), st.just([]), junk)),
    ax=(st.none(), st.one_of(st.just("axes"), junk))))
def test_plots_fuzz(kwargs):
    try:
        drawn = [run(requirement_curve, kwargs["requirement"], kwargs["ax"],
                     call_types=kwargs["call_types"]),
                 run(forecast_vs_actual, kwargs["forecast"], kwargs["history"], kwargs["ax"],
                     call_types=kwargs["call_types"])]
        for axes in drawn:
            assert axes is None or hasattr(axes, "get_lines")
    finally:
        plt.close("all")


# ------------------------------------------------------- named cases (issue 9)
def test_sample_arrivals_refuses_a_trillion_calls_before_allocating():
    huge = FORECAST.assign(calls=1e10, calls_lower=1e10, calls_upper=1e10)
    with pytest.raises(CCSimInputError, match=r"sample_arrivals: the forecast's expected calls "
                       r"\(the sum of calls\) is 4\.8e\+11 calls, more than the limit of 1e\+07 "
                       r"calls; .*pass a larger max_calls="):
        sample_arrivals(huge, seed=1)
    small = FORECAST.assign(calls=1.0, calls_lower=0.0, calls_upper=3.0)
    with pytest.raises(CCSimInputError, match=r"more than the limit of 10 calls"):
        sample_arrivals(small, seed=1, max_calls=10)
    assert len(sample_arrivals(small, seed=1, max_calls=1000)) > 10
    with pytest.raises(CCSimInputError, match=r"sample_counts: replications x forecast rows is "
                       r"4\.8e\+10 counts, more than the limit of 2e\+07 counts; .*max_counts="):
        sample_counts(small, 10**9, seed=1)


def test_undamped_trend_far_ahead_is_refused_and_near_is_finite():
    growing = make_history(growth=0.02)
    with pytest.raises(CCSimInputError, match=r"forecast_volumes: the trend fitted to call type "
                       r"'[AB]' \(\+[0-9.]+ % a day, damping=1\) multiplies its volume by "
                       r"[0-9.]+e\+0[67] by 20\d\d-\d\d-\d\d, more than the limit of 1000; "
                       r"pass damping < 1"):
        forecast_volumes(growing, END, "2026-01-22", damping=1)
    near = forecast_volumes(growing, END, "2024-02-21", damping=1)
    assert_forecast(near)
    # Means above 1e11 gave NaN lower bounds (scipy's Poisson quantile): now finite.
    busy = forecast_volumes(make_history(level=4e10), END, "2024-01-23")
    assert_forecast(busy)
    assert busy["calls"].max() > 1e10 and busy["calls_lower"].min() > 0


def test_a_backcast_and_a_far_future_span_are_refused():
    history = make_history()
    with pytest.raises(CCSimInputError, match=r"forecast_volumes: start must be at or after "
                       r"2024-01-22 00:00:00 \(the end of the history, which runs from 2024-01-01 "
                       r"00:00:00 to 2024-01-22 00:00:00\): a forecast starts where the history "
                       r"stops; got start=1998-01-01 00:00:00 and end=1998-01-02 00:00:00\. To "
                       r"score the model on days of the history, use ccsim.arrivals.backtest"):
        forecast_volumes(history, "1998-01-01", "1998-01-02")
    with pytest.raises(CCSimInputError, match=r"start must be at or after 2024-01-22"):
        forecast_volumes(history, "2024-01-21 23:00", "2024-01-22 02:00")  # inside the history
    with pytest.raises(CCSimInputError, match=r"forecast_daily: start must be at or after"):
        forecast_daily(history, "2024-01-08", "2024-01-09")
    with pytest.raises(CCSimInputError, match=r"forecast_volumes: the span from the end of the "
                       r"history \(2024-01-22 00:00:00\) to end=3000-01-02 00:00:00 is "
                       r"3\.565e\+05 days, more than the limit of 1,096 days; .*max_horizon_days="):
        forecast_volumes(history, "3000-01-01", "3000-01-02")
    far = forecast_volumes(history, "2124-01-21", "2124-01-22", trend=False,
                           max_horizon_days=40_000)
    assert_forecast(far)


def test_surge_refuses_a_factor_that_overflows():
    with pytest.raises(CCSimInputError, match=r"factor must keep every interval within 1e\+12 "
                       r"calls; got 1e\+308, which takes calls_upper [0-9.]+ to inf"):
        surge(FORECAST, 1e308, END, "2024-01-23")
    with pytest.raises(CCSimInputError, match=r"factor must be a finite number in \[0, inf\); "
                       r"got inf"):
        surge(FORECAST, np.inf, END, "2024-01-23")
    assert surge(FORECAST, 1e6, END, "2024-01-23")["calls"].max() < 1e12


def test_fit_handle_times_is_stable_for_huge_values():
    huge = pd.DataFrame({"outcome": "answered", "service_seconds": [1e300, 1e305, 1e307]})
    with pytest.raises(CCSimInputError, match=r"calls\['service_seconds'\] give a lognormal fit "
                       r"\(mu=700, sigma=6\.779\) whose mean exp\(mu \+ sigma\*\*2 / 2\) = "
                       r"exp\(723\) s is beyond a float"):
        fit_handle_times(huge)
    large = fit_handle_times(pd.DataFrame({"outcome": "answered",
                                           "service_seconds": [1.5e308, 1.7e308, 1.6e308]}))
    assert large.sample_mean_seconds == pytest.approx(1.6e308)  # the plain sum overflows
    assert np.isfinite(large.mean_seconds)
    waits = pd.DataFrame({"outcome": ["abandoned", "abandoned"],
                          "queue_wait_seconds": [1.7e308, 1.7e308]})
    assert estimate_patience(waits) == pytest.approx(1.7e308)


def test_unknown_options_name_the_valid_ones():
    valid = (r"\['weeks', 'profile_weeks', 'trend', 'damping', 'calendar', "
             r"'prediction_coverage', 'profile_prior_calls'\]")
    with pytest.raises(CCSimInputError, match=r"backtest: unknown option\(s\) \['colour'\]; "
                       r"the valid options are " + valid):
        backtest(HISTORY, colour="red")
    with pytest.raises(CCSimInputError, match=r"dispersion: unknown option\(s\) \['colour'\]; "
                       r"the valid options are \['profile_weeks', 'trend'"):
        dispersion(HISTORY, colour="red")


def test_missing_call_types_are_refused_and_mixed_ones_read_as_text():
    calls = CALLS.assign(call_type=pd.Series(["A", None, "B", np.nan, "B", "B"], dtype=object))
    with pytest.raises(CCSimInputError, match=r"calls\['call_type'\] must name a call type in "
                       r"every row; got 2 missing value\(s\) \(None or NaN\) at row\(s\) 1, 3"):
        history_from_calls(calls)
    mixed = CALLS.assign(call_type=pd.Series([3, "3", 3, "B", "B", "B"], dtype=object))
    history = run(history_from_calls, mixed)
    assert sorted(history["call_type"].unique()) == ["3", "B"]
    assert history.groupby("call_type")["offered"].sum().to_dict() == {"3": 3, "B": 3}
    history = HISTORY.assign(call_type=HISTORY["call_type"].astype(object))
    history.loc[7, "call_type"] = np.nan
    with pytest.raises(CCSimInputError, match=r"history\['call_type'\] must name a call type "
                       r"in every row; got 1 missing value\(s\) \(None or NaN\) at row\(s\) 7"):
        forecast_volumes(history, END, "2024-01-23")


def test_a_spawned_seed_sequence_child_reproduces_its_own_stream():
    first, second = np.random.SeedSequence(2024).spawn(2)
    again = np.random.SeedSequence(2024).spawn(2)[0]  # the same child, made afresh
    counts = [sample_counts(FORECAST, 3, seed=s) for s in (first, first, again, second)]
    assert (counts[0] == counts[1]).all() and (counts[0] == counts[2]).all()
    assert not (counts[0] == counts[3]).all()
    calls = [sample_arrivals(FORECAST, seed=s) for s in (first, again, second)]
    assert calls[0].equals(calls[1]) and not calls[0].equals(calls[2])


def test_other_raw_errors_are_now_input_errors():
    cases = [
        (r"calls\['queue_wait_seconds'\] must hold numbers; got 'x' at row 2",
         lambda: history_from_calls(CALLS.assign(
             queue_wait_seconds=pd.Series([1, 2, "x", 4, 5, 6], dtype=object)))),
        (r"must hold numbers; got durations .*\.dt\.total_seconds\(\)",
         lambda: estimate_patience(CALLS.assign(
             queue_wait_seconds=pd.to_timedelta(CALLS["queue_wait_seconds"], unit="s")))),
        (r"calls\['arrival'\] must be between 1677-09-22 and 2262-04-11; got .*3000",
         lambda: history_from_calls(CALLS.assign(arrival=pd.Series(pd.to_datetime(
             ["2024-01-01"] * 5 + ["3000-01-01"]).as_unit("s"))))),
        (r"history_from_calls: the interval grid .* is 4\.2\d*e\+07 rows, more than the limit "
         r"of 2e\+07 rows; the calls run from 1800-",
         lambda: history_from_calls(CALLS.assign(arrival=pd.to_datetime(
             ["1800-01-01", "2200-01-01"] * 3).as_unit("ns"), call_type=["A", "B", "C"] * 2),
             interval_minutes=15)),
        (r"calls\['outcome'\] must be one of .*; got a missing value at row 0",
         lambda: estimate_patience(CALLS.assign(outcome=[None] + ["answered"] * 5))),
        (r"by must be one of \['day', 'month', 'year'\]; got \['day'\]",
         lambda: aggregate_forecast(FORECAST, ["day"])),
        (r"call_types must be a str or a list of str; got 5",
         lambda: surge(FORECAST, 2.0, END, "2024-01-23", call_types=5)),
        (r"forecast\['calls'\] must hold numbers; got 'x' at row 0",
         lambda: sample_counts(FORECAST.assign(calls=["x"] + [1.0] * 47))),
        (r"history has column\(s\) \['offered'\] more than once",
         lambda: forecast_volumes(pd.concat([HISTORY, HISTORY[["offered"]]], axis=1), END,
                                  "2024-01-23")),
        (r"start must be a date or time \(e\.g\. '1999-02-01 08:00'\); got 5",
         lambda: forecast_volumes(HISTORY, 5, "2024-01-23")),
        (r"calendar closed must be a date or a list of dates; got 5",
         lambda: Calendar(closed=5)),
        (r"calendar short must be a mapping date -> value or a list of \(date, value\) pairs",
         lambda: Calendar(short="2024-01-22")),
        (r"calendar closing time must be a closing time of day such as '13:00' .*; got '13'",
         lambda: Calendar(short={"2024-01-22": "13"})),  # was read as 13 nanoseconds
        (r"calendar must be a mapping date -> .*; got list",
         lambda: Calendar.from_mapping([])),
        (r"forecast_volumes: the expected calls of call type 'A' on 2024-01-22 reach "
         r"[0-9.]+e\+30\d, more than the limit of 1e\+12 calls an interval",
         lambda: forecast_volumes(HISTORY, END, "2024-01-23", calendar={END: 1e300})),
        (r"weeks must be a whole number >= 1; got True",
         lambda: dispersion(HISTORY, weeks=True)),
        (r"backtest: the scored points .* more than the limit of 2e\+07 rows; pass fewer "
         r"origins or a shorter horizon_days",
         lambda: backtest(make_history(days=400, types=tuple("ABCDEFGHIJKLMNOPQRST")),
                          horizon_days=400, origins=399)),
        (r"detail must be True or False; got 'yes'",
         lambda: backtest(HISTORY, detail="yes")),
        (r"requirements has no rows; there is nothing to plot",
         lambda: requirement_curve(pd.DataFrame(
             columns=["interval_start", "agents", "scheduled_agents"]))),
        (r"forecast\['calls'\] must be a finite number in \[0, inf\); got nan at position 0",
         lambda: forecast_vs_actual(FORECAST.assign(calls=np.nan), HISTORY)),
    ]
    for message, call in cases:
        with pytest.raises(CCSimInputError, match=message):
            call()


def test_time_zone_aware_plot_data_is_drawn_at_its_wall_clock():
    local = FORECAST.assign(interval_start=FORECAST["interval_start"].dt.tz_localize(
        "Asia/Jerusalem"))
    ax = forecast_vs_actual(local, HISTORY[HISTORY["interval_start"] >= "2024-01-21"])
    x = matplotlib.dates.num2date(ax.get_lines()[0].get_xdata(orig=False)[8])
    assert (x.hour, x.day) == (8, 22)
    plt.close("all")


# ------------------------------------------------------------ deprecated names
def test_history_from_calls_freq_is_deprecated():
    new = history_from_calls(CALLS, interval_minutes=15, answer_within_seconds=20)
    with pytest.warns(DeprecationWarning, match=r"history_from_calls: freq= is deprecated and "
                      r"will be removed in the next release; use interval_minutes="):
        old = history_from_calls(CALLS, freq="15min", answer_within_seconds=20)
    with pytest.warns(DeprecationWarning, match=r"freq= is deprecated"):
        positional = history_from_calls(CALLS, "15min", 20)
    pd.testing.assert_frame_equal(old, new)
    pd.testing.assert_frame_equal(positional, new)
    with pytest.raises(CCSimInputError, match=r"give interval_minutes= only \(freq= is its old "
                       r"name\); got both"):
        history_from_calls(CALLS, 15, freq="15min")


def test_interval_is_deprecated_for_prediction_coverage():
    new = forecast_volumes(HISTORY, END, "2024-01-23", prediction_coverage=0.95)
    with pytest.warns(DeprecationWarning, match=r"forecast_volumes: interval= is deprecated .*"
                      r"use prediction_coverage="):
        old = forecast_volumes(HISTORY, END, "2024-01-23", interval=0.95)
    pd.testing.assert_frame_equal(old, new)
    assert new.attrs["prediction_coverage"] == new.attrs["interval"] == 0.95
    new = forecast_daily(HISTORY, END, "2024-01-25", prediction_coverage=0.6)
    with pytest.warns(DeprecationWarning, match=r"forecast_daily: interval= is deprecated"):
        old = forecast_daily(HISTORY, END, "2024-01-25", interval=0.6)
    pd.testing.assert_frame_equal(old, new)
    new = backtest(HISTORY, 2, 3, prediction_coverage=0.6)
    with pytest.warns(DeprecationWarning, match=r"backtest: interval= is deprecated"):
        old = backtest(HISTORY, 2, 3, interval=0.6)
    pd.testing.assert_frame_equal(old, new)
    with pytest.warns(DeprecationWarning, match=r"dispersion: interval= is deprecated"):
        dispersion(HISTORY, interval=0.6)
    with pytest.raises(CCSimInputError, match=r"give prediction_coverage= only \(interval= is "
                       r"its old name\); got both"):
        forecast_volumes(HISTORY, END, "2024-01-23", prediction_coverage=0.9, interval=0.9)
    with pytest.raises(CCSimInputError, match=r"backtest: give prediction_coverage= only"):
        backtest(HISTORY, prediction_coverage=0.9, interval=0.9)
    with pytest.warns(DeprecationWarning), pytest.raises(
            CCSimInputError, match=r"interval must be a finite number in \(0, 1\); got 80\.0"):
        forecast_volumes(HISTORY, END, "2024-01-23", interval=80)
