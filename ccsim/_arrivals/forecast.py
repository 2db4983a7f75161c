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
``(1 - interval) / 2`` and ``(1 + interval) / 2`` quantiles, widened when needed
to contain ``m`` itself. They ignore the estimation error of the level and the
trend; :func:`ccsim.arrivals.backtest` reports their real coverage.

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

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ccsim._arrivals.calendar import (
    Calendar,
    HistoryCube,
    as_calendar,
    calendar_date,
    freq_name,
    history_cube,
    timestamp,
)
from ccsim._arrivals.sampling import bounds
from ccsim._validation import CCSimInputError, check_bool, check_count, check_fraction, check_real

__all__ = ["forecast_daily", "forecast_volumes"]

_DAY = pd.Timedelta(days=1)


# --------------------------------------------------------------------- model
@dataclass(frozen=True)
class _Model:
    types: tuple[str, ...]
    step: pd.Timedelta
    last_day: pd.Timestamp
    log_rate: np.ndarray  # (types, 7): log calls per day by weekday at the last day
    trend: np.ndarray  # (types,): log calls per day per day
    damping: float
    day_cv2: np.ndarray  # (types,)
    profile: np.ndarray  # (types, 7, intervals per day)
    interval: float
    calendar: Calendar

    @property
    def freq(self) -> str:
        return freq_name(self.step)


def _options(
    weeks: int = 4,
    profile_weeks: int | None = None,
    trend: bool = True,
    damping: float = 0.9,
    calendar: Calendar | Mapping[Any, Any] | None = None,
    interval: float = 0.8,
    profile_prior_calls: float = 20.0,
) -> dict[str, Any]:
    """Check the forecasting options (documented in :func:`forecast_volumes`)."""
    if profile_weeks is not None:
        profile_weeks = int(check_count("profile_weeks", profile_weeks, low=1))
    return {
        "weeks": int(check_count("weeks", weeks, low=1)),
        "profile_weeks": profile_weeks,
        "trend": check_bool("trend", trend),
        "damping": float(check_real("damping", damping, low=0.0, high=1.0)),
        "calendar": as_calendar(calendar),
        "interval": float(check_fraction("interval", interval)),
        "profile_prior_calls": float(check_real("profile_prior_calls", profile_prior_calls,
                                                low=0.0)),
    }


def _poisson_glm(
    totals: np.ndarray, weekday: np.ndarray, t_days: np.ndarray, use_trend: bool
) -> tuple[np.ndarray, float, float, float]:
    """Fit ``log E[totals] = w[weekday] + b * t_days``; return w (7), b, cv2, day_vmr.

    Weekdays without rows get NaN; weekdays whose totals are all zero get -inf.
    """
    log_rate = np.full(7, np.nan)
    sums = np.bincount(weekday, weights=totals, minlength=7)
    seen = np.bincount(weekday, minlength=7) > 0
    log_rate[seen & (sums == 0)] = -np.inf
    positive = np.flatnonzero(seen & (sums > 0))
    keep = np.isin(weekday, positive)
    if positive.size == 0:
        return log_rate, 0.0, 0.0, 1.0
    y, t = totals[keep], t_days[keep]
    columns = [(weekday[keep] == day).astype(float) for day in positive]
    use_trend = use_trend and y.size >= positive.size + 3 and np.ptp(t) > 0
    if use_trend:
        columns.append(t)
    x = np.column_stack(columns)
    penalty = np.zeros(x.shape[1])
    if use_trend:
        penalty[-1] = 1.0 / 0.05**2  # normal prior on the trend, sd 0.05 per day
    beta = np.zeros(x.shape[1])
    beta[: positive.size] = np.log(sums[positive] / np.bincount(weekday[keep])[positive])

    def objective(b: np.ndarray) -> float:
        eta = x @ b
        return float(y @ eta - np.exp(eta).sum() - 0.5 * penalty @ b**2)

    value = objective(beta)
    for _ in range(100):
        mu = np.exp(x @ beta)
        gradient = x.T @ (y - mu) - penalty * beta
        hessian = (x * mu[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        for _ in range(30):  # step halving keeps every step uphill
            new_value = objective(beta + step)
            if new_value >= value - 1e-12:
                break
            step = step / 2
        beta, value = beta + step, new_value
        if np.max(np.abs(step)) < 1e-10:
            break
    mu = np.exp(x @ beta)
    log_rate[positive] = beta[: positive.size]
    df = y.size - x.shape[1]
    if df < 1:
        return log_rate, float(beta[-1]) if use_trend else 0.0, 0.0, 1.0
    squares = ((y - mu) ** 2).sum() * y.size / df
    cv2 = max(0.0, (squares - mu.sum()) / (mu**2).sum())
    day_vmr = float(((y - mu) ** 2 / mu).sum() / df)
    return log_rate, float(beta[-1]) if use_trend else 0.0, float(cv2), day_vmr


def fit_model(cube: HistoryCube, n_days: int, options: dict[str, Any]) -> tuple[_Model, dict]:
    """Fit the model to the first ``n_days`` days of ``cube``; also return diagnostics."""
    calendar: Calendar = options["calendar"]
    days = cube.days[:n_days]
    usable = cube.present[:n_days] & ~calendar.listed(days)
    index = np.arange(n_days)
    window = usable & (index >= n_days - 7 * options["weeks"])
    if not window.any():
        raise CCSimInputError(
            f"history has no usable day in the last {options['weeks']} week(s) before "
            f"{days[-1] + _DAY:%Y-%m-%d} (days without any call and calendar days are left "
            "out); pass more history or a larger weeks"
        )
    weeks = options["profile_weeks"]
    profile_days = usable & (index >= n_days - 7 * weeks) if weeks else usable
    weekday = days.day_of_week.to_numpy()
    per_day = cube.counts.shape[2]
    n_types = len(cube.types)
    log_rate, trend = np.zeros((n_types, 7)), np.zeros(n_types)
    cv2, day_vmr = np.zeros(n_types), np.ones(n_types)
    profile = np.empty((n_types, 7, per_day))
    prior = options["profile_prior_calls"]
    missing: set[int] = set()
    for c in range(n_types):
        totals = cube.counts[c, :n_days][window].sum(axis=1)
        rates, trend[c], cv2[c], day_vmr[c] = _poisson_glm(
            totals, weekday[window], (index - (n_days - 1))[window].astype(float),
            options["trend"],
        )
        unseen = np.isnan(rates)
        if unseen.any():  # an average weekday where the window has none of that weekday
            missing.update(np.flatnonzero(unseen).tolist())
            rates[unseen] = np.log(np.mean(np.exp(rates[~unseen])))
        log_rate[c] = rates
        counts = cube.counts[c, :n_days][profile_days]
        by_day = np.zeros((7, per_day))
        np.add.at(by_day, weekday[profile_days], counts)
        pooled = by_day.sum(axis=0)
        pooled = pooled / pooled.sum() if pooled.sum() > 0 else np.full(per_day, 1 / per_day)
        weight = by_day.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            shrunk = (by_day + prior * pooled) / (weight + prior)
        profile[c] = np.where(weight + prior > 0, shrunk, pooled)
    if missing:
        names = ", ".join(_WEEKDAYS[day] for day in sorted(missing))
        warnings.warn(
            f"forecast: the last {options['weeks']} week(s) of history have no usable "
            f"{names}; forecast as an average weekday (pass a larger weeks)",
            UserWarning,
            stacklevel=3,
        )
    model = _Model(cube.types, cube.step, days[-1], log_rate, trend, options["damping"], cv2,
                   profile, options["interval"], calendar)
    return model, {"window": window, "day_vmr": day_vmr, "profile_days": profile_days}


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def predict(model: _Model, days: pd.DatetimeIndex) -> np.ndarray:
    """Expected calls per call type, day and interval-of-day: shape ``(types, days, K)``."""
    ahead = ((days - model.last_day) / _DAY).to_numpy().astype(float)
    phi = model.damping
    if phi < 1:
        damped = phi * (1 - phi ** np.maximum(ahead, 0)) / (1 - phi)
    else:
        damped = ahead.copy()
    g = np.where(ahead > 0, damped, ahead)
    weekday = days.day_of_week.to_numpy()
    log_day = model.log_rate[:, weekday] + model.trend[:, None] * g[None, :]
    per_day = np.exp(log_day)  # exp(-inf) = 0: a weekday without calls
    opening = model.calendar.open_fraction(days, model.step)
    return per_day[:, :, None] * model.profile[:, weekday, :] * opening[None, :, :]


# ------------------------------------------------------------------ frames
def _span(start: Any, end: Any, step: pd.Timedelta) -> tuple[pd.Timestamp, pd.Timestamp]:
    begin, finish = timestamp("start", start), timestamp("end", end)
    for name, stamp in (("start", begin), ("end", finish)):
        if (stamp - stamp.normalize()) % step:
            raise CCSimInputError(
                f"{name} must be on the history's {step} interval grid; got {stamp}"
            )
    if begin >= finish:
        raise CCSimInputError(f"start must be before end; got start={begin} and end={finish}")
    return begin, finish


def _frame(
    model: _Model, key: str, stamps: np.ndarray, calls: np.ndarray, extra: np.ndarray
) -> pd.DataFrame:
    """The forecast schema from ``calls[type, row]`` at ``stamps``, sorted by type then time."""
    n_types, n_rows = calls.shape
    lower, upper = bounds(calls, extra, model.interval)
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
        interval=model.interval,
        day_cv2=dict(zip(model.types, model.day_cv2.tolist(), strict=True)),
    )
    return frame


def forecast_volumes(
    history: pd.DataFrame,
    start: Any,
    end: Any,
    *,
    weeks: int = 4,
    profile_weeks: int | None = None,
    trend: bool = True,
    damping: float = 0.9,
    calendar: Calendar | Mapping[Any, Any] | None = None,
    interval: float = 0.8,
    profile_prior_calls: float = 20.0,
) -> pd.DataFrame:
    """Forecast the offered calls per interval and call type from ``start`` to ``end``.

    Parameters
    ----------
    history : pandas.DataFrame
        Tidy interval history (:func:`ccsim.arrivals.history_from_calls`): a
        regular grid of ``interval_start`` x ``call_type`` with ``offered`` calls.
    start, end : str or datetime-like
        The forecast span ``[start, end)``, on the history's interval grid.
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
    interval : float in (0, 1), default 0.8
        Coverage of the prediction interval ``[calls_lower, calls_upper]``.
    profile_prior_calls : float, default 20
        Pseudo-count that shrinks each weekday's intraday profile towards the
        all-weekday profile (0: no shrinkage); matters for sparse call types.

    Returns
    -------
    pandas.DataFrame
        One row per interval and call type, sorted by ``call_type`` then
        ``interval_start``, with ``interval_start`` (datetime64), ``call_type``
        (str), ``calls`` (expected offered calls in the interval, >= 0) and
        ``calls_lower`` <= ``calls`` <= ``calls_upper`` (prediction interval).
        ``attrs``: ``freq`` (the interval, e.g. ``"30min"``), ``interval`` (the
        coverage) and ``day_cv2`` (per call type, the day-level over-dispersion
        behind the bounds; :func:`ccsim.arrivals.aggregate_forecast` uses it).

    Raises
    ------
    CCSimInputError
        A malformed history (not a regular grid, gaps, duplicates, negative
        counts), ``start``/``end`` off the grid or ``start >= end``, bad options,
        or no usable history day in the level window.

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
    cube = history_cube(history)
    model, _ = fit_model(cube, len(cube.days), _options(
        weeks=weeks, profile_weeks=profile_weeks, trend=trend, damping=damping,
        calendar=calendar, interval=interval, profile_prior_calls=profile_prior_calls))
    begin, finish = _span(start, end, cube.step)
    days = pd.date_range(begin.normalize(), (finish - pd.Timedelta(1)).normalize(), freq="D")
    calls = predict(model, days)
    stamps = (days.to_numpy()[:, None] + np.arange(calls.shape[2]) * cube.step.to_timedelta64())
    stamps = stamps.ravel()
    inside = (stamps >= begin.to_datetime64()) & (stamps < finish.to_datetime64())
    calls = calls.reshape(len(cube.types), -1)[:, inside]
    return _frame(model, "interval_start", stamps[inside], calls,
                  model.day_cv2[:, None] * calls**2)


def forecast_daily(
    history: pd.DataFrame,
    start: Any,
    end: Any,
    *,
    weeks: int = 4,
    profile_weeks: int | None = None,
    trend: bool = True,
    damping: float = 0.9,
    calendar: Calendar | Mapping[Any, Any] | None = None,
    interval: float = 0.8,
    profile_prior_calls: float = 20.0,
) -> pd.DataFrame:
    """Forecast the offered calls per day and call type for the days in ``[start, end)``.

    Parameters
    ----------
    history : pandas.DataFrame
        Tidy interval history (:func:`ccsim.arrivals.history_from_calls`).
    start, end : str or datetime-like
        Dates (midnight) bounding the forecast days.
    weeks, profile_weeks, trend, damping, calendar, interval, profile_prior_calls
        As in :func:`forecast_volumes`.

    Returns
    -------
    pandas.DataFrame
        Columns ``day`` (datetime64, midnight), ``call_type``, ``calls``,
        ``calls_lower``, ``calls_upper``, sorted by call type then day: the sums
        of :func:`forecast_volumes` over each day, with the bounds of the day
        total (a negative binomial of variance ``calls + day_cv2 * calls**2``).
    """
    cube = history_cube(history)
    model, _ = fit_model(cube, len(cube.days), _options(
        weeks=weeks, profile_weeks=profile_weeks, trend=trend, damping=damping,
        calendar=calendar, interval=interval, profile_prior_calls=profile_prior_calls))
    begin, finish = calendar_date("start", start), calendar_date("end", end)
    if begin >= finish:
        raise CCSimInputError(f"start must be before end; got start={begin} and end={finish}")
    days = pd.date_range(begin, finish, freq="D", inclusive="left")
    calls = predict(model, days).sum(axis=2)
    return _frame(model, "day", days.to_numpy(), calls, model.day_cv2[:, None] * calls**2)
