"""Tests of ccsim.arrivals: interval history and caller patience from call logs."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

import ccsim.arrivals
from ccsim._validation import CCSimInputError
from ccsim.arrivals import estimate_patience, history_from_calls, patience_survival, surge
from ccsim.io import load_example_calls


@pytest.fixture(scope="module")
def bank() -> pd.DataFrame:
    return load_example_calls()


def _calls(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=["call_type", "arrival", "queue_wait_seconds", "outcome", "service_seconds"]
    )
    frame["arrival"] = pd.to_datetime(frame["arrival"])
    return frame


# A hand-made log: one day, two call types; "C" has only an "other" call.
HAND = _calls(
    [
        ("A", "2024-03-04 08:00:00", 10.0, "answered", 100.0),
        ("A", "2024-03-04 08:10:00", 20.0, "answered", 200.0),  # wait == T: within
        ("A", "2024-03-04 08:29:59", 5.0, "abandoned", 0.0),
        ("A", "2024-03-04 08:30:00", 30.0, "answered", 300.0),  # next interval
        ("C", "2024-03-04 09:15:00", 0.0, "other", 0.0),  # not offered
        ("B", "2024-03-04 08:45:00", 50.0, "abandoned", 0.0),
        ("B", "2024-03-04 08:50:00", 0.0, "answered", 60.0),
    ]
)
COUNTS = ["offered", "answered", "abandoned", "answered_within", "abandoned_within"]


# ------------------------------------------------------------- history by hand
def test_history_hand_made_30min():
    history = history_from_calls(HAND, interval_minutes=30, answer_within_seconds=20)
    assert len(history) == 48 * 2  # one day of 30-minute intervals x types A and B
    assert history["call_type"].unique().tolist() == ["A", "B"]
    at = history.set_index(["interval_start", "call_type"])
    day = pd.Timestamp("2024-03-04")

    def row(clock: str, call_type: str) -> list:
        values = at.loc[(day + pd.Timedelta(clock), call_type)]
        return [*values[COUNTS].astype(int), *values[["aht_seconds", "asa_seconds",
                                                       "service_level"]]]

    # offered, answered, abandoned, answered_within, abandoned_within, AHT, ASA, SL
    assert row("08:00:00", "A") == [3, 2, 1, 2, 1, 150.0, 15.0, pytest.approx(2 / 3)]
    assert row("08:30:00", "A") == [1, 1, 0, 0, 0, 300.0, 30.0, 0.0]
    assert row("08:30:00", "B") == [2, 1, 1, 1, 0, 60.0, 0.0, 0.5]
    assert row("08:00:00", "B") == [0, 0, 0, 0, 0, 0.0, 0.0, 1.0]  # empty: AHT 0, SL 1
    assert row("09:00:00", "A") == [0, 0, 0, 0, 0, 0.0, 0.0, 1.0]  # the "other" call
    assert history[COUNTS].to_numpy().sum(axis=0).tolist() == [6, 4, 2, 3, 1]


def test_history_hand_made_60min_and_threshold():
    history = history_from_calls(HAND, interval_minutes=60, answer_within_seconds=10)
    assert len(history) == 24 * 2
    a8 = history[(history["call_type"] == "A")
                 & (history["interval_start"] == pd.Timestamp("2024-03-04 08:00"))]
    assert a8[COUNTS].iloc[0].tolist() == [4, 3, 1, 1, 1]
    assert a8["aht_seconds"].iloc[0] == 200.0
    assert a8["asa_seconds"].iloc[0] == 20.0
    assert a8["service_level"].iloc[0] == 0.25


# ----------------------------------------------------------- history of the bank
@pytest.mark.parametrize("freq, per_day", [("15min", 96), ("30min", 48), ("60min", 24)])
def test_history_bank_conservation(bank, freq, per_day):
    with pytest.warns(UserWarning, match=r"2 day\(s\) .* \(1999-01-11, 1999-01-12\)"):
        history = history_from_calls(bank, interval_minutes=pd.Timedelta(freq).seconds // 60)
    offered = bank["outcome"].isin(["answered", "abandoned"])
    assert history["offered"].sum() == offered.sum() == 30_161
    assert history["answered"].sum() == 27_060
    assert history["abandoned"].sum() == 3_101
    assert (history["offered"] == history["answered"] + history["abandoned"]).all()
    assert (history["answered_within"] <= history["answered"]).all()
    assert (history["abandoned_within"] <= history["abandoned"]).all()
    assert not history.isna().any().any()
    assert history["service_level"].between(0, 1).all()
    assert not history.duplicated(["interval_start", "call_type"]).any()
    # AA has only "other" calls (left in the VRU), so it has no rows.
    assert sorted(history["call_type"].unique()) == ["IN", "NE", "NW", "PE", "PS", "TT"]
    step = pd.Timedelta(freq)
    for _, group in history.groupby("call_type"):
        starts = group["interval_start"]
        assert len(starts) == 31 * per_day  # 1-31 January, whole days
        assert (starts.diff().iloc[1:] == step).all()
        assert starts.iloc[0] == pd.Timestamp("1999-01-01")
    # answered-call service and wait totals survive aggregation
    answered = bank[bank["outcome"] == "answered"]
    total_service = (history["aht_seconds"] * history["answered"]).sum()
    assert total_service == pytest.approx(answered["service_seconds"].sum(), rel=1e-12)


# ------------------------------------------------------------------- patience
def test_patience_hand_made():
    # Waits: abandoned 10, 20, 20, 40; answered 15, 20, 30, and 0 (never waited).
    calls = _calls(
        [("A", "2024-01-01", w, o, 0.0) for w, o in [
            (10, "abandoned"), (20, "abandoned"), (20, "abandoned"), (40, "abandoned"),
            (15, "answered"), (20, "answered"), (30, "answered"), (0, "answered"),
            (99, "other")]]
    )
    # MLE: (10 + 20 + 20 + 40 + 15 + 20 + 30) / 4 abandonments
    assert estimate_patience(calls) == 155 / 4
    km = patience_survival(calls)
    # By hand (censored callers at a tie stay at risk; the 0-wait caller is left out):
    # t=10: 7 at risk, 1 event -> 6/7; t=20: 5 at risk (20, 20, 20, 30, 40), 2 events
    # -> 6/7 * 3/5 = 18/35; t=40: 1 at risk, 1 event -> 0.
    assert km["t_seconds"].tolist() == [10.0, 20.0, 40.0]
    assert km["at_risk"].tolist() == [7, 5, 1]
    assert km["events"].tolist() == [1, 2, 1]
    assert km["survival"].tolist() == pytest.approx([6 / 7, 18 / 35, 0.0], abs=1e-15)


def test_kaplan_meier_without_censoring_is_the_empirical_survival():
    waits = [5.0, 5.0, 8.0, 13.0, 21.0]
    calls = pd.DataFrame({"outcome": ["abandoned"] * 5, "queue_wait_seconds": waits})
    km = patience_survival(calls)
    assert km["survival"].tolist() == pytest.approx([3 / 5, 2 / 5, 1 / 5, 0.0])


@pytest.mark.parametrize("seed", [20240101, 7, 99])
def test_patience_mle_recovers_exponential_patience(seed):
    """Censored exponential patience: the MLE is within 4 standard errors of the truth.

    The MLE's standard error is theta / sqrt(abandonments) (Fisher information of
    the censored exponential); 4 of them leave a false-alarm chance of about 6e-5.
    """
    rng = np.random.default_rng(seed)
    n, patience_seconds, offered_wait_seconds = 6000, 120.0, 60.0
    patience = rng.exponential(patience_seconds, n)
    offered_wait = rng.exponential(offered_wait_seconds, n)
    offered_wait[: n // 4] = 0.0  # a quarter answered at once: no information, no bias
    abandoned = patience < offered_wait
    calls = pd.DataFrame({
        "outcome": np.where(abandoned, "abandoned", "answered"),
        "queue_wait_seconds": np.minimum(patience, offered_wait),
    })
    estimate = estimate_patience(calls)
    standard_error = patience_seconds / np.sqrt(abandoned.sum())
    assert abs(estimate - patience_seconds) < 4 * standard_error
    # The naive mean wait of the abandoned callers ignores censoring and is far off.
    assert calls.loc[abandoned, "queue_wait_seconds"].mean() < 0.5 * patience_seconds
    # Kaplan-Meier agrees with the exponential survival at the median patience.
    km = patience_survival(calls)
    median = patience_seconds * np.log(2)
    at_median = km.loc[km["t_seconds"] <= median, "survival"].iloc[-1]
    assert at_median == pytest.approx(0.5, abs=0.03)


def test_patience_bank(bank):
    # Total queue wait of answered and abandoned callers / 3,101 abandonments.
    queued = bank[bank["outcome"].isin(["answered", "abandoned"])]
    assert queued["queue_wait_seconds"].sum() == 1_136_162
    assert estimate_patience(bank) == pytest.approx(1_136_162 / 3_101)  # about 366.4 s
    per_type = {
        call_type: round(estimate_patience(group), 1)
        for call_type, group in bank.groupby("call_type")
        if (group["outcome"] == "abandoned").any()
    }
    assert per_type == {
        "IN": 409.0, "NE": 866.6, "NW": 214.6, "PE": 368.0, "PS": 453.6, "TT": 291.9
    }
    km = patience_survival(bank)
    assert km["events"].sum() == 3_101
    assert km["at_risk"].iloc[0] == 16_686  # every caller who queued (PHANTOMs aside)
    assert (np.diff(km["survival"]) <= 0).all()


# ------------------------------------------------------------------ bad input
def test_bad_input_messages():
    with pytest.raises(CCSimInputError, match=r"interval_minutes must be 15, 30 or 60; got 20"):
        history_from_calls(HAND, interval_minutes=20)
    with pytest.raises(CCSimInputError, match=r"interval_minutes must be 15, 30 or 60; got \[1\]"):
        history_from_calls(HAND, interval_minutes=[1])
    with pytest.warns(DeprecationWarning, match=r"freq= is deprecated"), pytest.raises(
            CCSimInputError, match=r"freq must be one of '15min', '30min', '60min'; got '20min'"):
        history_from_calls(HAND, freq="20min")
    with pytest.raises(CCSimInputError, match=r"answer_within_seconds must be a finite number "
                       r"in \[0, inf\); got -5.0"):
        history_from_calls(HAND, answer_within_seconds=-5)
    with pytest.raises(CCSimInputError, match=r"calls is missing column\(s\) "
                       r"\['service_seconds'\]"):
        history_from_calls(HAND.drop(columns="service_seconds"))
    with pytest.raises(CCSimInputError, match=r"calls must be a pandas DataFrame with one row "
                       r"per call .*; got dict"):
        history_from_calls({})
    with pytest.raises(CCSimInputError, match=r"calls\['outcome'\] must be one of \('answered', "
                       r"'abandoned', 'other'\); got \['HANG'\]"):
        history_from_calls(HAND.assign(outcome="HANG"))
    with pytest.raises(CCSimInputError, match=r"calls\['arrival'\] must hold timestamps"):
        history_from_calls(HAND.assign(arrival=HAND["arrival"].astype(str)))
    with pytest.raises(CCSimInputError, match=r"calls\['arrival'\] must be naive local times "
                       r".*; got time zone UTC"):
        history_from_calls(HAND.assign(arrival=HAND["arrival"].dt.tz_localize("UTC")))
    with pytest.raises(CCSimInputError, match=r"calls\['arrival'\] must be a timestamp; "
                       r"got NaT at row 1"):
        history_from_calls(HAND.assign(arrival=HAND["arrival"].where(HAND.index != 1)))
    with pytest.raises(CCSimInputError, match=r"calls\['queue_wait_seconds'\] must be a finite "
                       r"number in \[0, inf\); got -1.0 "
                       r"at position 2"):
        history_from_calls(HAND.assign(queue_wait_seconds=[1, 2, -1, 4, 5, 6, 7]))
    with pytest.raises(CCSimInputError, match=r"calls has no answered or abandoned call"):
        history_from_calls(HAND.assign(outcome="other"))
    no_abandon = HAND[HAND["outcome"] != "abandoned"]
    for function in (estimate_patience, patience_survival):
        with pytest.raises(CCSimInputError, match=r"calls has no abandoned call \(outcome "
                           r"'abandoned'\); patience cannot be estimated"):
            function(no_abandon)


def test_docstring_examples():
    result = doctest.testmod(ccsim.arrivals, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


# ---------------------------------------------------------------------- surge
def _flat_forecast() -> pd.DataFrame:
    starts = pd.date_range("2024-01-01 08:00", periods=4, freq="30min")
    frame = pd.DataFrame({
        "interval_start": np.tile(starts, 2),
        "call_type": np.repeat(["A", "B"], 4),
        "calls": 10.0, "calls_lower": 8.0, "calls_upper": 12.0,
    })
    frame.attrs["freq"] = "30min"
    return frame


def test_surge_scales_only_the_window():
    forecast = _flat_forecast()
    surged = surge(forecast, 2.5, "2024-01-01 08:30", pd.Timestamp("2024-01-01 09:30"))
    inside = [False, True, True, False] * 2  # start inclusive, end exclusive
    for column, base in [("calls", 10.0), ("calls_lower", 8.0), ("calls_upper", 12.0)]:
        expected = [base * 2.5 if hit else base for hit in inside]
        assert surged[column].tolist() == expected
    assert forecast["calls"].tolist() == [10.0] * 8  # the input is not modified
    assert surged.attrs["freq"] == "30min"
    assert surged.columns.tolist() == forecast.columns.tolist()
    only_b = surge(forecast, 0.0, "2024-01-01", "2024-01-02", call_types=["B"])
    assert only_b["calls"].tolist() == [10.0] * 4 + [0.0] * 4


def test_surge_bad_input():
    forecast = _flat_forecast()
    with pytest.raises(CCSimInputError, match=r"factor must be a finite number in \[0, inf\); "
                       r"got -1.0"):
        surge(forecast, -1, "2024-01-01 08:00", "2024-01-01 09:00")
    with pytest.raises(CCSimInputError, match=r"factor must be a finite number .*; got nan"):
        surge(forecast, float("nan"), "2024-01-01 08:00", "2024-01-01 09:00")
    with pytest.raises(CCSimInputError, match=r"start must be before end; got "
                       r"start=2024-01-01 09:00:00 and end=2024-01-01 09:00:00"):
        surge(forecast, 2, "2024-01-01 09:00", "2024-01-01 09:00")
    with pytest.raises(CCSimInputError, match=r"call_types must be call types of the forecast "
                       r"\(\['A', 'B'\]\); got unknown \['Z'\]"):
        surge(forecast, 2, "2024-01-01", "2024-01-02", call_types=["Z"])
    with pytest.raises(CCSimInputError, match=r"forecast is missing column\(s\) \['calls'\]"):
        surge(forecast.drop(columns="calls"), 2, "2024-01-01", "2024-01-02")
    with pytest.warns(UserWarning, match=r"no interval of the forecast starts in"):
        unchanged = surge(forecast, 2, "2025-01-01", "2025-01-02")
    assert unchanged["calls"].tolist() == [10.0] * 8


def test_public_names_of_the_private_modules_are_in_ccsim_arrivals():
    import ccsim._arrivals.calendar
    import ccsim._arrivals.forecast
    import ccsim._arrivals.measure
    import ccsim._arrivals.sampling

    expected = {
        "Calendar", "HandleTimeFit", "aggregate_forecast", "backtest", "dispersion",
        "fit_handle_times", "forecast_daily", "forecast_volumes", "sample_arrivals",
        "sample_counts", "surge",
    }
    assert expected <= set(ccsim.arrivals.__all__)
    for name in ccsim.arrivals.__all__:
        assert hasattr(ccsim.arrivals, name), name
    owners = (ccsim._arrivals.calendar, ccsim._arrivals.forecast, ccsim._arrivals.measure,
              ccsim._arrivals.sampling)
    for name in expected:
        assert any(getattr(module, name, None) is getattr(ccsim.arrivals, name)
                   for module in owners), name
