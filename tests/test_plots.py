"""Tests of ccsim.plots: what is drawn (lines, labels, data), not pixels."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from ccsim._validation import CCSimInputError  # noqa: E402
from ccsim.plots import forecast_vs_actual, requirement_curve  # noqa: E402
from ccsim.staffing import requirements  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def make_forecast() -> pd.DataFrame:
    index = pd.date_range("2024-03-04 08:00", periods=6, freq="30min")
    frame = pd.DataFrame({"interval_start": index.repeat(2), "call_type": ["a", "b"] * 6,
                          "calls": [100.0, 20.0, 120.0, 30.0, 80.0, 0.0] * 2})
    frame["calls_lower"] = frame["calls"] * 0.9
    frame["calls_upper"] = frame["calls"] * 1.1
    frame.attrs["freq"] = "30min"
    return frame


def test_import_does_not_load_matplotlib():
    code = ("import sys, ccsim.plots, ccsim.staffing, ccsim._io.reports; "
            "print('matplotlib' in sys.modules)")
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [root, *filter(None, [os.environ.get("PYTHONPATH")])])}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env=env)
    assert result.stdout.strip() == "False"


def test_requirement_curve_draws_agents_and_scheduled_per_call_type():
    req = requirements(make_forecast(), 180, 0.8, 20, shrinkage=0.3)
    ax = requirement_curve(req)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["a: agents on the phones", "a: scheduled agents",
                      "b: agents on the phones", "b: scheduled agents"]
    a_agents, a_scheduled = ax.get_lines()[:2]
    expected = req.loc[req["call_type"] == "a", "agents"].tolist()
    assert a_agents.get_ydata().tolist() == expected + expected[-1:]  # held to the end
    assert a_agents.get_drawstyle() == "steps-post" and a_scheduled.get_linestyle() == "--"
    assert a_agents.get_color() == a_scheduled.get_color()
    x = pd.to_datetime(matplotlib.dates.num2date(a_agents.get_xdata(orig=False))).tz_localize(
        None)
    assert x[-1] == pd.Timestamp("2024-03-04 11:00")  # the last interval ends at 11:00
    assert ax.get_ylabel() == "agents" and ax.get_xlabel() == "interval start"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == labels


def test_requirement_curve_one_type_on_given_axes():
    index = pd.date_range("2024-03-04 08:00", periods=3, freq="15min")
    req = requirements(pd.Series([10.0, 20.0, 0.0], index=index), 180, 0.8, 20)
    fig, given = plt.subplots()
    ax = requirement_curve(req, ax=given)
    assert ax is given
    assert [line.get_label() for line in ax.get_lines()] == ["agents on the phones",
                                                              "scheduled agents"]
    only_b = requirement_curve(requirements(make_forecast(), 180, 0.8, 20), call_types=["b"])
    assert [line.get_label() for line in only_b.get_lines()] == ["agents on the phones",
                                                                  "scheduled agents"]


def test_forecast_vs_actual_draws_forecast_band_and_actual():
    forecast = make_forecast()
    history = forecast.rename(columns={"calls": "offered"})[
        ["interval_start", "call_type", "offered"]].assign(offered=lambda f: f["offered"] + 3)
    ax = forecast_vs_actual(forecast, history)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["a: forecast", "a: actual", "b: forecast", "b: actual"]
    assert [c.get_label() for c in ax.collections] == ["a: prediction band",
                                                       "b: prediction band"]
    assert ax.get_lines()[1].get_ydata().tolist() == [103.0, 123.0, 83.0] * 2
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(72.0) and band.max() == pytest.approx(132.0)
    assert ax.get_ylabel() == "calls per interval"
    assert "a: prediction band" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_forecast_vs_actual_series_without_band():
    index = pd.date_range("2024-03-04 08:00", periods=4, freq="h")
    ax = forecast_vs_actual(pd.Series([1.0, 2.0, 3.0, 4.0], index=index),
                            pd.Series([2.0, 2.0, 2.0], index=index[:3]))
    assert [line.get_label() for line in ax.get_lines()] == ["forecast", "actual"]
    assert len(ax.collections) == 0
    assert np.asarray(ax.get_lines()[1].get_ydata()).tolist() == [2.0, 2.0, 2.0]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: requirement_curve([1, 2]), r"requirements must be a DataFrame with columns "
                                            r"interval_start and agents"),
        (lambda: requirement_curve(make_forecast()), r"requirements is missing column\(s\) "
                                                     r"\['agents'\]"),
        (lambda: requirement_curve(requirements(make_forecast(), 180, 0.8, 20), ax="left"),
         r"ax must be a matplotlib Axes or None; got str"),
        (lambda: requirement_curve(requirements(make_forecast(), 180, 0.8, 20),
                                   call_types=["c"]),
         r"call_types \['c'\] are not in the data; it has \['a', 'b'\]"),
        (lambda: forecast_vs_actual(make_forecast(), make_forecast()),
         r"history is missing column\(s\) \['offered'\]"),
        (lambda: forecast_vs_actual(pd.Series([1.0], index=[0]), make_forecast()),
         r"forecast \(a Series\) must be indexed by interval start"),
    ],
)
def test_bad_input_raises(call, message):
    with pytest.raises(CCSimInputError, match=message):
        call()
