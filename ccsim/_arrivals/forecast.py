"""Volume forecasting from interval history (re-exported by :mod:`ccsim.arrivals`).

The model, per call type ``c``, day ``d`` and interval-of-day ``k`` (a daily
level times an intraday profile, the structure of Weinberg et al. [3]_)::

    E[calls(c, d, k)] = M(c, d) * p(c, weekday(d), k) * open(d, k)
    log M(c, d)       = w(c, weekday(d)) + b(c) * g(h(d))

* ``p`` is the *intraday profile*: the share of a day's calls falling in interval
  ``k`` on that weekday, counted over the profile window and shrunk towards the
  all-weekday profile by a pseudo-count of ``profile_prior_calls`` calls.
* ``w`` (one level per weekday) and the trend ``b`` [log calls per day] are fitted
  by Poisson maximum likelihood (Newton's method) to the daily totals of the last
  ``weeks`` weeks. A weak normal prior (sd 0.05 per day) keeps ``b`` finite for
  sparse call types. ``h(d)`` is the number of days after the last history day;
  the trend is damped out of sample: ``g(h) = sum_{i=1..h} damping**i``
  (Gardner and McKenzie [2]_), ``g(h) = h`` within the history.
* ``open`` is 1, except for the days of the user's :class:`Calendar`: 0 on a
  closed day (holiday), 0 from the closing time of a short day on (an interval cut
  by the closing time gets its open fraction; calls are not moved earlier), or a
  factor for the whole day.

Days left out of every fit: days listed in the calendar (their volume is not
normal) and days on which *no* call type has any call (a gap in the log, such as
11-12 January 1999 in the bank data, not zero demand). A call type with zero calls
on a day that others have calls is a real zero and is fitted.

Prediction intervals: the day-level over-dispersion ``cv2`` (the variance of a
gamma multiplier of mean 1 shared by a day's intervals, see
:func:`ccsim.arrivals.dispersion`) is measured on the fitting window by the
method of moments; a count of mean ``m`` then follows a negative binomial
(gamma-Poisson) law with variance ``m + cv2 * m**2``, and the bounds are its
``(1 - prediction_coverage) / 2`` and ``(1 + prediction_coverage) / 2`` quantiles,
widened when needed to contain ``m`` itself (above 10**9 calls, the quantiles of the
gamma law of the same mean and variance: scipy's discrete quantiles fail there).
They ignore the estimation error of the level and the trend;
:func:`ccsim.arrivals.backtest` reports their real coverage.

Span (decided for issue 9): a forecast starts where the history stops. A span that
starts before the end of the history (a backcast: the trend run backwards gave 2.9
million calls in a half-hour of 1998 from the bank's 1999 history) is refused, and
so is one that ends more than ``max_horizon_days`` (default 1096: three years) after
it. Within that horizon the fitted trend may not multiply (or divide) a call type's
volume by more than ``MAX_TREND_FACTOR`` (1000): an undamped trend run for years
is refused with a message naming ``damping`` rather than returned as zeros, huge
numbers or NaN bounds. Days of the history are scored with
:func:`ccsim.arrivals.backtest`, which fits on the days before each origin.

References
----------
.. [1] L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn and L. Zhao,
   "Statistical analysis of a telephone call center: a queueing-science
   perspective", JASA 100(469), 36-50, 2005, doi:10.1198/016214504000001808
.. [2] E. S. Gardner Jr. and E. McKenzie, "Forecasting trends in time series",
   Management Science 31(10), 1237-1246, 1985, doi:10.1287/mnsc.31.10.1237
.. [3] J. Weinberg, L. D. Brown and J. R. Stroud, "Bayesian forecasting of an
   inhomogeneous Poisson process with applications to call center data", JASA
   102(480), 1185-1198, 2007, doi:10.1198/016214506000001455
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ccsim._arrivals.calendar import (
    Calendar,
    HistoryCube,
    as_ns,
    calendar_date,
    history_cube,
    timestamp,
)
from ccsim._arrivals.checks import MAX_TABLE_ROWS, DayKind, TimeLike, count
from ccsim._arrivals.model import (
    MAX_TREND_FACTOR,
    OPTIONS,
    Model,
    check_trend,
    check_volumes,
    fit_model,
    options,
    predict,
)
from ccsim._arrivals.sampling import bounds
from ccsim._validation import CCSimInputError, check_size, renamed

__all__ = ["MAX_HORIZON_DAYS", "MAX_TREND_FACTOR", "OPTIONS", "forecast_daily",
           "forecast_volumes"]

_DAY = pd.Timedelta(days=1)

#: The default limit on how far a forecast may end after its history [days]: three
#: years, the longest budget horizon in use; a level and a trend fitted to a few weeks
#: say nothing beyond. ``max_horizon_days=`` raises it.
MAX_HORIZON_DAYS = 1096


# ------------------------------------------------------------------ frames
def _span(cube: HistoryCube, start: Any, end: Any, max_days: int, where: str
          ) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Check ``[start, end)``: on the grid, after the history, within ``max_days`` of it."""
    begin, finish = timestamp("start", start, ns=False), timestamp("end", end, ns=False)
    step = cube.step
    for name, stamp in (("start", begin), ("end", finish)):
        if (stamp - stamp.normalize()) % step:
            raise CCSimInputError(
                f"{name} must be on the history's {step} interval grid; got {stamp}"
            )
    if begin >= finish:
        raise CCSimInputError(f"start must be before end; got start={begin} and end={finish}")
    _after_history(cube, begin, finish, cube.end, max_days, where)
    return as_ns("start", begin), as_ns("end", finish)


def _after_history(cube: HistoryCube, begin: pd.Timestamp, finish: pd.Timestamp,
                   first: pd.Timestamp, max_days: int, where: str) -> None:
    """Refuse a span starting before ``first`` or ending more than ``max_days`` after the
    history."""
    if begin < first:
        raise CCSimInputError(
            f"{where}: start must be at or after {first} (the end of the history, which runs "
            f"from {cube.start} to {cube.end}): a forecast starts where the history stops; got "
            f"start={begin} and end={finish}. To score the model on days of the history, use "
            "ccsim.arrivals.backtest")
    check_size(f"{where}: the span from the end of the history ({cube.end}) to end={finish}",
               _days_between(cube.end, finish), max_days, unit="days",
               how="forecast a nearer span, or pass max_horizon_days= to go further (a level "
               "and trend fitted to a few weeks say little years ahead)")


def _days_between(first: pd.Timestamp, last: pd.Timestamp) -> float:
    """Days from ``first`` to ``last`` (as Python datetimes: no nanosecond overflow)."""
    delta = last.to_pydatetime(warn=False) - first.to_pydatetime(warn=False)
    return delta.total_seconds() / 86400


def _frame(
    model: Model, key: str, stamps: np.ndarray, calls: np.ndarray, extra: np.ndarray
) -> pd.DataFrame:
    """The forecast schema from ``calls[type, row]`` at ``stamps``, sorted by type then time."""
    n_types, n_rows = calls.shape
    lower, upper = bounds(calls, extra, model.coverage)
    frame = pd.DataFrame({
        key: np.tile(stamps, n_types),
        "call_type": np.repeat(np.array(model.types, dtype=object), n_rows),
        "calls": calls.ravel(),
        "calls_lower": lower.ravel(),
        "calls_upper": upper.ravel(),
    })
    frame["call_type"] = frame["call_type"].astype(str)
    frame.attrs.update(
        freq=model.freq if key == "interval_start" else key,
        prediction_coverage=model.coverage,
        interval=model.coverage,  # the deprecated name of prediction_coverage
        day_cv2=dict(zip(model.types, model.day_cv2.tolist(), strict=True)),
    )
    return frame


def _coverage(where: str, prediction_coverage: Any, interval: Any) -> tuple[Any, str]:
    """The coverage and the name the user gave it (``interval`` is the deprecated name)."""
    if interval is None:
        return prediction_coverage, "prediction_coverage"
    if not (isinstance(prediction_coverage, float) and prediction_coverage == 0.8):
        raise CCSimInputError(
            f"{where}: give prediction_coverage= only (interval= is its old name); got both")
    return interval, "interval"


def forecast_volumes(
    history: pd.DataFrame,
    start: TimeLike,
    end: TimeLike,
    *,
    weeks: int = 4,
    profile_weeks: int | None = None,
    trend: bool = True,
    damping: float = 0.9,
    calendar: Calendar | Mapping[TimeLike, DayKind] | None = None,
    prediction_coverage: float = 0.8,
    profile_prior_calls: float = 20.0,
    max_horizon_days: int = MAX_HORIZON_DAYS,
    interval: float | None = None,
) -> pd.DataFrame:
    """Forecast the offered calls per interval and call type from ``start`` to ``end``.

    Parameters
    ----------
    history : pandas.DataFrame
        Tidy interval history (:func:`ccsim.arrivals.history_from_calls`): a
        regular grid of ``interval_start`` x ``call_type`` with ``offered`` calls.
    start, end : str or datetime-like
        The forecast span ``[start, end)``, on the history's interval grid. It
        starts at or after the end of the history (the last interval's end): a
        forecast does not run backwards (use :func:`ccsim.arrivals.backtest` to
        score the model on days of the history).
    weeks : int, default 4
        Weeks of recent history (before the end of ``history``) that fit the daily
        level of each weekday and the trend.
    profile_weeks : int, optional
        Weeks of recent history for the intraday profiles (default: all of it).
    trend : bool, default True
        Fit a log-linear trend in the daily totals of the level window.
    damping : float in [0, 1], default 0.9
        Per-day damping of the trend beyond the history (1: undamped; 0: no trend
        out of sample); the trend adds at most ``damping / (1 - damping)`` days'
        worth of growth.
    calendar : Calendar or mapping, optional
        Special days (:class:`Calendar`, or ``{date: "holiday" | "closed" |
        ("short", "13:00") | factor}``), applied to the forecast and left out of
        the fit.
    prediction_coverage : float in (0, 1), default 0.8
        Coverage of the prediction band ``[calls_lower, calls_upper]`` (a fraction).
    profile_prior_calls : float, default 20
        Pseudo-count that shrinks each weekday's intraday profile towards the
        all-weekday profile (0: no shrinkage); matters for sparse call types.
    max_horizon_days : int, default 1096
        The latest ``end`` accepted, in days after the end of the history (three
        years by default; ``MAX_HORIZON_DAYS``).
    interval : float, optional
        Deprecated: the old name of ``prediction_coverage``; warns
        :class:`DeprecationWarning`.

    Returns
    -------
    pandas.DataFrame
        One row per interval and call type, sorted by ``call_type`` then
        ``interval_start``, with ``interval_start`` (datetime64), ``call_type``
        (str), ``calls`` (expected offered calls in the interval, >= 0) and
        ``calls_lower`` <= ``calls`` <= ``calls_upper`` (prediction band).
        ``attrs``: ``freq`` (the interval, e.g. ``"30min"``), ``prediction_coverage``
        (also under its deprecated name ``interval``) and ``day_cv2`` (per call type,
        the day-level over-dispersion behind the bounds;
        :func:`ccsim.arrivals.aggregate_forecast` uses it).

    Raises
    ------
    CCSimInputError
        A malformed history (not a regular grid, gaps, duplicates, negative
        counts, a missing call type), ``start``/``end`` off the grid, ``start >=
        end``, ``start`` before the end of the history, ``end`` more than
        ``max_horizon_days`` after it, a trend that multiplies or divides a volume
        by more than ``MAX_TREND_FACTOR`` (1000) over the span, more than
        ``MAX_TABLE_ROWS`` (20 million) rows, bad or unknown options, or no usable
        history day in the level window.

    Warns
    -----
    UserWarning
        When a weekday has no usable day in the level window (forecast as an
        average weekday).

    Notes
    -----
    The model, the days left out of the fit and the prediction intervals are
    described in the module notes of :mod:`ccsim._arrivals.forecast` (Brown et al. [1]_;
    damped trend: Gardner and McKenzie [2]_).

    References
    ----------
    .. [1] Brown et al. (2005), doi:10.1198/016214504000001808
    .. [2] Gardner and McKenzie (1985), doi:10.1287/mnsc.31.10.1237

    Examples
    --------
    >>> starts = pd.date_range("2024-01-01", "2024-01-29", freq="60min", inclusive="left")
    >>> history = pd.DataFrame({"interval_start": starts, "call_type": "A",
    ...                         "offered": np.where(starts.hour == 9, 24, 0)})
    >>> forecast = forecast_volumes(history, "2024-01-29 08:00", "2024-01-29 11:00")
    >>> forecast[["interval_start", "calls", "calls_lower", "calls_upper"]]
           interval_start  calls  calls_lower  calls_upper
    0 2024-01-29 08:00:00    0.0          0.0          0.0
    1 2024-01-29 09:00:00   24.0         18.0         30.0
    2 2024-01-29 10:00:00    0.0          0.0          0.0
    """
    coverage, name = _coverage("forecast_volumes", prediction_coverage, interval)
    if name == "interval":
        renamed("forecast_volumes", "interval", "prediction_coverage", interval, None)
    where = "forecast_volumes"
    checked = options(weeks=weeks, profile_weeks=profile_weeks, trend=trend, damping=damping,
                       calendar=calendar, prediction_coverage=coverage,
                       profile_prior_calls=profile_prior_calls, coverage_name=name)
    horizon = count("max_horizon_days", max_horizon_days, low=1)
    cube = history_cube(history)
    begin, finish = _span(cube, start, end, horizon, where)
    per_day = int(_DAY / cube.step)
    check_size(f"{where}: the forecast (call types x intervals from start to end)",
               len(cube.types) * ((finish - begin) / cube.step), MAX_TABLE_ROWS, unit="rows",
               how="forecast a shorter span or fewer call types at a time")
    model, _ = fit_model(cube, len(cube.days), checked)
    days = pd.date_range(begin.normalize(), (finish - pd.Timedelta(1)).normalize(), freq="D",
                         unit="ns")
    check_trend(where, model, days)
    calls = predict(model, days)
    check_volumes(where, model, calls, days)
    stamps = (days.to_numpy()[:, None] + np.arange(per_day) * cube.step.to_timedelta64())
    stamps = stamps.ravel()
    inside = (stamps >= begin.to_datetime64()) & (stamps < finish.to_datetime64())
    calls = calls.reshape(len(cube.types), -1)[:, inside]
    return _frame(model, "interval_start", stamps[inside], calls,
                  model.day_cv2[:, None] * calls**2)


def forecast_daily(
    history: pd.DataFrame,
    start: TimeLike,
    end: TimeLike,
    *,
    weeks: int = 4,
    profile_weeks: int | None = None,
    trend: bool = True,
    damping: float = 0.9,
    calendar: Calendar | Mapping[TimeLike, DayKind] | None = None,
    prediction_coverage: float = 0.8,
    profile_prior_calls: float = 20.0,
    max_horizon_days: int = MAX_HORIZON_DAYS,
    interval: float | None = None,
) -> pd.DataFrame:
    """Forecast the offered calls per day and call type for the days in ``[start, end)``.

    Parameters
    ----------
    history : pandas.DataFrame
        Tidy interval history (:func:`ccsim.arrivals.history_from_calls`).
    start, end : str or datetime-like
        Dates (midnight) bounding the forecast days; ``start`` is on or after the
        first midnight at or after the end of the history.
    weeks, profile_weeks, trend, damping, calendar, prediction_coverage
        As in :func:`forecast_volumes`.
    profile_prior_calls, max_horizon_days
        As in :func:`forecast_volumes`.
    interval : float, optional
        Deprecated: the old name of ``prediction_coverage``.

    Returns
    -------
    pandas.DataFrame
        Columns ``day`` (datetime64, midnight), ``call_type``, ``calls``,
        ``calls_lower``, ``calls_upper``, sorted by call type then day: the sums
        of :func:`forecast_volumes` over each day, with the bounds of the day
        total (a negative binomial of variance ``calls + day_cv2 * calls**2``).

    Raises
    ------
    CCSimInputError
        As :func:`forecast_volumes`, with ``start`` and ``end`` dates.
    """
    coverage, name = _coverage("forecast_daily", prediction_coverage, interval)
    if name == "interval":
        renamed("forecast_daily", "interval", "prediction_coverage", interval, None)
    where = "forecast_daily"
    checked = options(weeks=weeks, profile_weeks=profile_weeks, trend=trend, damping=damping,
                       calendar=calendar, prediction_coverage=coverage,
                       profile_prior_calls=profile_prior_calls, coverage_name=name)
    horizon = count("max_horizon_days", max_horizon_days, low=1)
    cube = history_cube(history)
    begin, finish = calendar_date("start", start, ns=False), calendar_date("end", end, ns=False)
    if begin >= finish:
        raise CCSimInputError(f"start must be before end; got start={begin} and end={finish}")
    _after_history(cube, begin, finish, cube.end.ceil("D"), horizon, where)
    begin, finish = as_ns("start", begin), as_ns("end", finish)
    check_size(f"{where}: the forecast (call types x days from start to end)",
               len(cube.types) * ((finish - begin) / _DAY), MAX_TABLE_ROWS, unit="rows",
               how="forecast a shorter span or fewer call types at a time")
    model, _ = fit_model(cube, len(cube.days), checked)
    days = pd.date_range(begin, finish, freq="D", inclusive="left", unit="ns")
    check_trend(where, model, days)
    calls = predict(model, days)
    check_volumes(where, model, calls, days)
    calls = calls.sum(axis=2)
    return _frame(model, "day", days.to_numpy(), calls, model.day_cv2[:, None] * calls**2)
