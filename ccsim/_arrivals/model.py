"""The forecasting model of :mod:`ccsim._arrivals.forecast`: its options, fit and prediction.

The model (weekday levels and a damped log-linear trend fitted by Poisson maximum
likelihood to daily totals, times weekday intraday profiles) is described in the
module notes of :mod:`ccsim._arrivals.forecast`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ccsim._arrivals.calendar import Calendar, HistoryCube, as_calendar, freq_name
from ccsim._arrivals.checks import MAX_CALLS_PER_INTERVAL, count, real
from ccsim._validation import CCSimInputError, check_bool, check_fraction

__all__ = ["MAX_TREND_FACTOR", "OPTIONS", "Model", "check_trend", "check_volumes",
           "coverage_option", "fit_model", "options", "options_from", "predict"]

_DAY = pd.Timedelta(days=1)

#: The forecasting options (keywords of :func:`ccsim.arrivals.forecast_volumes` that
#: shape the model), which :func:`ccsim.arrivals.backtest` and
#: :func:`ccsim.arrivals.dispersion` pass on.
OPTIONS = ("weeks", "profile_weeks", "trend", "damping", "calendar", "prediction_coverage",
           "profile_prior_calls")

#: The most the fitted trend may multiply or divide a call type's volume over a
#: forecast span. A thousandfold change is no longer a forecast but an extrapolation
#: (an undamped trend of +1 % a day reaches it in under two years).
MAX_TREND_FACTOR = 1000.0


# --------------------------------------------------------------------- model
@dataclass(frozen=True)
class Model:
    types: tuple[str, ...]
    step: pd.Timedelta
    last_day: pd.Timestamp
    log_rate: np.ndarray  # (types, 7): log calls per day by weekday at the last day
    trend: np.ndarray  # (types,): log calls per day per day
    damping: float
    day_cv2: np.ndarray  # (types,)
    profile: np.ndarray  # (types, 7, intervals per day)
    coverage: float  # of the prediction bounds
    calendar: Calendar

    @property
    def freq(self) -> str:
        return freq_name(self.step)


def options(
    weeks: int = 4,
    profile_weeks: int | None = None,
    trend: bool = True,
    damping: float = 0.9,
    calendar: Calendar | Mapping[Any, Any] | None = None,
    prediction_coverage: float = 0.8,
    profile_prior_calls: float = 20.0,
    *,
    coverage_name: str = "prediction_coverage",
) -> dict[str, Any]:
    """Check the forecasting options (documented in :func:`forecast_volumes`)."""
    if profile_weeks is not None:
        profile_weeks = count("profile_weeks", profile_weeks, low=1)
    coverage = check_fraction(coverage_name, prediction_coverage)
    if coverage.ndim != 0 or isinstance(prediction_coverage, (bool, np.bool_)):
        raise CCSimInputError(
            f"{coverage_name} must be a single fraction in (0, 1); got {prediction_coverage!r}")
    return {
        "weeks": count("weeks", weeks, low=1),
        "profile_weeks": profile_weeks,
        "trend": check_bool("trend", trend),
        "damping": real("damping", damping, low=0.0, high=1.0),
        "calendar": as_calendar(calendar),
        "coverage": float(coverage),
        "profile_prior_calls": real("profile_prior_calls", profile_prior_calls, low=0.0),
    }


def options_from(where: str, given: dict[str, Any], *, exclude: tuple[str, ...] = (),
                 coverage_name: str = "prediction_coverage") -> dict[str, Any]:
    """Check the ``**options`` of ``where`` by name, then by value.

    The caller first resolves a deprecated ``interval=`` with :func:`coverage_option`
    (so that the warning points at the user's line).
    """
    valid = [name for name in OPTIONS if name not in exclude]
    unknown = [key for key in given if key not in valid]
    if unknown:
        raise CCSimInputError(
            f"{where}: unknown option(s) {unknown}; the valid options are {valid}"
            + (" (and the deprecated interval=)" if "prediction_coverage" in valid else ""))
    return options(**given, coverage_name=coverage_name)


def coverage_option(where: str, options: dict[str, Any]) -> str:
    """Replace a deprecated ``interval=`` in ``options`` by ``prediction_coverage=``.

    Call it from the public function itself: the warning names that function's caller.
    Returns the name the user gave (for the messages).
    """
    if "interval" not in options:
        return "prediction_coverage"
    old = options.pop("interval")
    if "prediction_coverage" in options:
        raise CCSimInputError(
            f"{where}: give prediction_coverage= only (interval= is its old name); got both")
    warnings.warn(f"{where}: interval= is deprecated and will be removed in the next "
                  "release; use prediction_coverage=", DeprecationWarning, stacklevel=3)
    options["prediction_coverage"] = old
    return "interval"


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


def fit_model(cube: HistoryCube, n_days: int, options: dict[str, Any]) -> tuple[Model, dict]:
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
    model = Model(cube.types, cube.step, days[-1], log_rate, trend, options["damping"], cv2,
                   profile, options["coverage"], calendar)
    return model, {"window": window, "day_vmr": day_vmr, "profile_days": profile_days}


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def predict(model: Model, days: pd.DatetimeIndex) -> np.ndarray:
    """Expected calls per call type, day and interval-of-day: shape ``(types, days, K)``."""
    g = _damped(model, days)
    weekday = days.day_of_week.to_numpy()
    log_day = model.log_rate[:, weekday] + model.trend[:, None] * g[None, :]
    with np.errstate(over="ignore"):  # inf is refused by check_volumes
        per_day = np.exp(log_day)  # exp(-inf) = 0: a weekday without calls
    opening = model.calendar.open_fraction(days, model.step)
    return per_day[:, :, None] * model.profile[:, weekday, :] * opening[None, :, :]


def check_trend(where: str, model: Model, days: pd.DatetimeIndex) -> None:
    """Refuse a span over which the fitted trend changes a volume more than MAX_TREND_FACTOR."""
    if not days.size or not np.any(model.trend):
        return
    growth = model.trend[:, None] * _damped(model, days)[None, :]  # log factor
    c, d = np.unravel_index(int(np.argmax(np.abs(growth))), growth.shape)
    worst = float(growth[c, d])
    if abs(worst) <= np.log(MAX_TREND_FACTOR):
        return
    per_day = np.expm1(model.trend[c]) * 100
    factor = f"{np.exp(abs(worst)):.3g}" if abs(worst) < 700 else f"e^{abs(worst):.4g}"
    how = ("pass damping < 1 (the trend then adds at most damping / (1 - damping) days of "
           "growth)" if model.damping == 1 else "pass a smaller damping")
    raise CCSimInputError(
        f"{where}: the trend fitted to call type {model.types[c]!r} ({per_day:+.3g} % a day, "
        f"damping={model.damping:g}) {'multiplies' if worst > 0 else 'divides'} its volume "
        f"by {factor} by {days[d]:%Y-%m-%d}, more than the limit of "
        f"{MAX_TREND_FACTOR:g}; {how}, trend=False, or forecast a nearer span")


def check_volumes(where: str, model: Model, calls: np.ndarray, days: pd.DatetimeIndex) -> None:
    """Refuse expected calls that are not finite or above MAX_CALLS_PER_INTERVAL.

    ``calls`` has shape ``(types, days, ...)``.
    """
    flat = calls.reshape(calls.shape[0], calls.shape[1], -1)
    bad = ~np.isfinite(flat) | (flat > MAX_CALLS_PER_INTERVAL)
    if bad.any():
        c, d, _ = (int(i) for i in np.argwhere(bad)[0])
        raise CCSimInputError(
            f"{where}: the expected calls of call type {model.types[c]!r} on "
            f"{days[d]:%Y-%m-%d} reach {float(np.nanmax(flat[c, d])):.4g}, more than the limit "
            f"of {MAX_CALLS_PER_INTERVAL:.0e} calls an interval; the history's level, its "
            "trend (pass damping < 1 or trend=False) or a calendar factor is too large")


def _damped(model: Model, days: pd.DatetimeIndex) -> np.ndarray:
    """``g(h)`` of the module notes for each day: the damped days of trend."""
    ahead = ((days - model.last_day) / _DAY).to_numpy().astype(float)
    phi = model.damping
    if phi < 1:
        damped = phi * (1 - phi ** np.maximum(ahead, 0)) / (1 - phi)
    else:
        damped = ahead.copy()
    return np.where(ahead > 0, damped, ahead)
