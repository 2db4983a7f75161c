"""Measuring handle times, over-dispersion and forecast accuracy (re-exported by ccsim.arrivals).

References
----------
.. [1] L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn and L. Zhao,
   "Statistical analysis of a telephone call center: a queueing-science
   perspective", JASA 100(469), 36-50, 2005, doi:10.1198/016214504000001808
.. [2] A. C. Cameron and P. K. Trivedi, "Regression-based tests for overdispersion
   in the Poisson model", Journal of Econometrics 46(3), 347-364, 1990,
   doi:10.1016/0304-4076(90)90014-K
.. [3] G. Jongbloed and G. Koole, "Managing uncertainty in call centres using
   Poisson mixtures", Applied Stochastic Models in Business and Industry 17(4),
   307-318, 2001, doi:10.1002/asmb.444
.. [4] R. J. Hyndman and A. B. Koehler, "Another look at measures of forecast
   accuracy", International Journal of Forecasting 22(4), 679-688, 2006,
   doi:10.1016/j.ijforecast.2006.03.001
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ccsim._arrivals.calendar import calendar_date, history_cube
from ccsim._arrivals.calls import check_calls
from ccsim._arrivals.checks import MAX_TABLE_ROWS, TimeLike, count, show, sum_scale
from ccsim._arrivals.model import (
    check_volumes,
    coverage_option,
    fit_model,
    options_from,
    predict,
)
from ccsim._arrivals.sampling import bounds
from ccsim._validation import CCSimInputError, check_bool, check_size

if TYPE_CHECKING:  # pragma: no cover
    from scipy.stats._distn_infrastructure import rv_continuous_frozen

__all__ = ["HandleTimeFit", "backtest", "dispersion", "fit_handle_times"]

_BY = ("horizon_day", "call_type", "origin")
_LOG_MAX = float(np.log(np.finfo(float).max))


# --------------------------------------------------------------- handle times
@dataclass(frozen=True)
class HandleTimeFit:
    """A lognormal fit of handle (service) times: ``log(seconds) ~ Normal(mu, sigma)``.

    Attributes
    ----------
    log_mean, log_sd : float
        ``mu`` and ``sigma`` of ``log(seconds)`` (maximum likelihood).
    mean_seconds : float
        The fitted mean ``exp(mu + sigma**2 / 2)`` [s], the AHT of the fit.
    median_seconds : float
        The fitted median ``exp(mu)`` [s].
    sample_mean_seconds : float
        The plain mean of the fitted handle times [s].
    calls : int
        Calls fitted (answered, with a handle time > 0).
    zero_calls : int
        Answered calls with a handle time of 0, left out (log 0 is undefined).
    ks_distance : float
        Kolmogorov-Smirnov distance ``sup |F_n - F|`` between the empirical and
        the fitted distribution: the goodness of fit (0 is perfect; with whole
        seconds, ties alone add up to about the largest one-second jump).
    """

    log_mean: float
    log_sd: float
    mean_seconds: float
    median_seconds: float
    sample_mean_seconds: float
    calls: int
    zero_calls: int
    ks_distance: float

    def distribution(self) -> rv_continuous_frozen:
        """The fitted law as a frozen :data:`scipy.stats.lognorm` (``.rvs``, ``.cdf``, ...)."""
        from scipy import stats

        return stats.lognorm(s=self.log_sd, scale=np.exp(self.log_mean))


def fit_handle_times(calls: pd.DataFrame) -> HandleTimeFit:
    """Fit a lognormal law to the handle times of the answered calls.

    Brown et al. [1]_ found the bank's service times close to lognormal. Per call
    type: ``{t: fit_handle_times(g) for t, g in calls.groupby("call_type")}``.

    Parameters
    ----------
    calls : pandas.DataFrame
        A call table (:func:`ccsim.io.read_call_log`): needs ``outcome`` and
        ``service_seconds``; only ``"answered"`` calls are used.

    Returns
    -------
    HandleTimeFit
        ``mu``, ``sigma``, the fitted mean and median [s], the sample mean, the
        number of calls and the KS distance.

    Raises
    ------
    CCSimInputError
        A malformed table, fewer than two answered calls with a handle time > 0, or
        handle times whose fitted mean is beyond a float (about 1.8e308 s): the fit
        is computed in log space and refused rather than returned as ``inf``.

    References
    ----------
    .. [1] Brown et al. (2005), doi:10.1198/016214504000001808

    Examples
    --------
    >>> calls = pd.DataFrame({"outcome": ["answered"] * 4 + ["abandoned"],
    ...                       "service_seconds": [60.0, 120.0, 240.0, 0.0, 0.0]})
    >>> fit = fit_handle_times(calls)
    >>> round(fit.median_seconds, 6), fit.calls, fit.zero_calls
    (120.0, 3, 1)
    """
    from scipy import stats  # imported here: scipy.stats takes half a second to import

    calls = check_calls(calls, ("outcome", "service_seconds"))
    seconds = calls.loc[calls["outcome"] == "answered", "service_seconds"].to_numpy()
    positive = seconds[seconds > 0]
    if positive.size < 2:
        raise CCSimInputError(
            f"calls has {positive.size} answered call(s) with service_seconds > 0; a lognormal "
            "fit needs at least 2"
        )
    logs = np.log(positive)
    mu, sigma = float(logs.mean()), float(logs.std())
    if sigma == 0 or positive.min() == positive.max():
        raise CCSimInputError(
            f"calls has only one distinct handle time ({float(positive[0])!r} s); a lognormal fit "
            "needs spread"
        )
    log_mean = mu + sigma**2 / 2  # the mean in log space: exp() of it only if it fits
    if log_mean > _LOG_MAX:
        raise CCSimInputError(
            f"calls['service_seconds'] give a lognormal fit (mu={mu:.4g}, sigma={sigma:.4g}) "
            f"whose mean exp(mu + sigma**2 / 2) = exp({log_mean:.4g}) s is beyond a float; "
            f"the handle times run from {positive.min():.4g} to {positive.max():.4g} s: check "
            "their unit (seconds) and bogus records")
    scale = sum_scale(positive)  # the plain mean without overflow (exact: a power of two)
    ks = stats.kstest(logs, stats.norm(mu, sigma).cdf).statistic
    return HandleTimeFit(
        log_mean=mu,
        log_sd=sigma,
        mean_seconds=float(np.exp(log_mean)),
        median_seconds=float(np.exp(mu)),
        sample_mean_seconds=float((positive / scale).mean()) * scale,
        calls=int(positive.size),
        zero_calls=int(seconds.size - positive.size),
        ks_distance=float(ks),
    )


# ----------------------------------------------------------------- dispersion
def dispersion(history: pd.DataFrame, *, weeks: int | None = None, **options: Any) -> pd.DataFrame:
    """Over-dispersion of call volumes relative to Poisson, per call type.

    Method. The forecasting model of :func:`ccsim.arrivals.forecast_volumes`
    (weekday levels and a log-linear trend fitted by Poisson maximum likelihood
    to the daily totals; weekday intraday profiles) is fitted to the usable days
    of the last ``weeks`` weeks (default: the whole history). Then:

    * ``day_vmr``: Pearson chi-square of the daily totals around the fit over its
      residual degrees of freedom, the variance-to-mean ratio of a day's calls
      (1 for Poisson);
    * ``day_cv2``: the variance of a gamma day multiplier of mean 1 (the
      gamma-Poisson / negative-binomial model of Jongbloed and Koole [3]_,
      ``Var = m + day_cv2 * m**2``), by the method of moments on the same
      residuals, ``(n / (n - p) * sum (y - m)**2 - sum m) / sum m**2`` truncated
      at 0 (Cameron and Trivedi [2]_). It is what
      :func:`ccsim.arrivals.sample_arrivals` takes as ``overdispersion`` and what
      the forecast's prediction intervals use;
    * ``interval_vmr``: given each day's total, the interval counts of a weekday's
      days form a days x intervals table; its Pearson chi-square for a common
      profile over ``(days - 1) (intervals - 1)`` degrees of freedom, summed over
      weekdays. Near 1, arrivals within a day are Poisson given the day's level
      (Brown et al. [1]_); above 1, the intraday shape itself varies.

    Parameters
    ----------
    history : pandas.DataFrame
        Tidy interval history (:func:`ccsim.arrivals.history_from_calls`).
    weeks : int, optional
        Weeks of history to measure on (default: all).
    **options
        ``trend``, ``calendar``, ``profile_prior_calls`` (and the other forecasting
        options, which do not change the result): as in
        :func:`ccsim.arrivals.forecast_volumes`. An unknown option is refused.

    Returns
    -------
    pandas.DataFrame
        One row per call type: ``call_type``, ``days`` (usable days),
        ``calls_per_day`` (their mean), ``day_vmr``, ``day_cv2`` and
        ``interval_vmr`` (NaN when no weekday has two usable days).

    References
    ----------
    .. [1] Brown et al. (2005), doi:10.1198/016214504000001808
    .. [2] Cameron and Trivedi (1990), doi:10.1016/0304-4076(90)90014-K
    .. [3] Jongbloed and Koole (2001), doi:10.1002/asmb.444
    """
    name = coverage_option("dispersion", options)
    checked = options_from("dispersion", options, exclude=("weeks",), coverage_name=name)
    if weeks is not None:
        checked["weeks"] = count("weeks", weeks, low=1)
    cube = history_cube(history)
    n_days = len(cube.days)
    if weeks is None:
        checked["weeks"] = -(-n_days // 7)
    model, info = fit_model(cube, n_days, checked)
    window = info["window"]
    weekday = cube.days.day_of_week.to_numpy()[window]
    rows = []
    for c, call_type in enumerate(cube.types):
        counts = cube.counts[c][window]
        chi2, df = 0.0, 0
        for day in range(7):
            table = counts[weekday == day]
            table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
            if table.shape[0] < 2 or table.shape[1] < 2:
                continue
            expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
            chi2 += float(((table - expected) ** 2 / expected).sum())
            df += (table.shape[0] - 1) * (table.shape[1] - 1)
        rows.append({
            "call_type": call_type,
            "days": int(window.sum()),
            "calls_per_day": float(counts.sum() / window.sum()),
            "day_vmr": float(info["day_vmr"][c]),
            "day_cv2": float(model.day_cv2[c]),
            "interval_vmr": chi2 / df if df else np.nan,
        })
    return pd.DataFrame(rows)


# ------------------------------------------------------------------- backtest
def _origins(value: Any, days: pd.DatetimeIndex) -> np.ndarray:
    if len(days) < 2:
        raise CCSimInputError(
            f"history must cover at least two days for a backtest (one to fit, one to score); "
            f"got {len(days)} day ({days[0]:%Y-%m-%d})")
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        n = count("origins", value, low=1)
        if n >= len(days):
            raise CCSimInputError(
                f"origins must leave at least one day of history before the first origin; got "
                f"{n} with {len(days)} day(s) of history"
            )
        return np.arange(len(days) - n, len(days))
    if isinstance(value, (str, bytes, pd.Timestamp, Mapping)) or not isinstance(value, Iterable):
        raise CCSimInputError(
            f"origins must be a count of recent days or a list of dates; got {value!r}"
        )
    index = []
    for origin in value:
        day = calendar_date("origins", origin)
        position = int((day - days[0]) / pd.Timedelta(days=1))
        if not 1 <= position < len(days):
            raise CCSimInputError(
                f"origins must be dates after the first history day and within the history "
                f"({days[1]:%Y-%m-%d} to {days[-1]:%Y-%m-%d}); got {day:%Y-%m-%d}"
            )
        index.append(position)
    if not index:
        raise CCSimInputError("origins must name at least one date; got an empty list")
    return np.array(sorted(set(index)))


def _pairs(history: Any, horizon_days: int, origins: Any, checked: dict) -> pd.DataFrame:
    horizon = count("horizon_days", horizon_days, low=1)
    cube = history_cube(history)
    # days past the history's end have no actual calls to score: a longer horizon adds nothing
    horizon = int(min(float(horizon), len(cube.days)))
    per_day = cube.counts.shape[2]
    offsets = np.arange(per_day) * cube.step.to_timedelta64()
    starts = _origins(origins, cube.days)
    scored_days = np.minimum(starts + horizon, len(cube.days)) - starts
    check_size("backtest: the scored points (origins x horizon days in the history x "
               f"{per_day + 1} day and interval points x {len(cube.types)} call type(s))",
               float(scored_days.sum()) * (per_day + 1) * len(cube.types), MAX_TABLE_ROWS,
               unit="rows", how="pass fewer origins or a shorter horizon_days")
    frames = []
    for origin in starts:
        model, _ = fit_model(cube, int(origin), checked)
        span = np.arange(origin, min(origin + horizon, len(cube.days)))
        span = span[cube.present[span]]  # days without any call are gaps, not zeros
        if span.size == 0:
            continue
        days = cube.days[span]
        forecast = predict(model, days)  # (types, days, K)
        check_volumes(f"backtest (origin {cube.days[origin]:%Y-%m-%d})", model, forecast, days)
        actual = cube.counts[:, span, :]
        for level, f, a, stamps in (
            ("day", forecast.sum(axis=2), actual.sum(axis=2), days.to_numpy()),
            ("interval", forecast.reshape(len(cube.types), -1),
             actual.reshape(len(cube.types), -1),
             (days.to_numpy()[:, None] + offsets).ravel()),
        ):
            repeat = 1 if level == "day" else per_day
            lower, upper = bounds(f, model.day_cv2[:, None] * f**2, model.coverage)
            frames.append(pd.DataFrame({
                "level": level,
                "origin": cube.days[origin],
                "horizon_day": np.tile(np.repeat(span - origin + 1, repeat), len(cube.types)),
                "call_type": np.repeat(np.array(cube.types, dtype=object), f.shape[1]),
                "period_start": np.tile(stamps, len(cube.types)),
                "calls": f.ravel(),
                "calls_lower": lower.ravel(),
                "calls_upper": upper.ravel(),
                "actual_calls": a.ravel(),
            }))
    if not frames:
        raise CCSimInputError("backtest has no day with calls to score after the origins")
    pairs = pd.concat(frames, ignore_index=True)
    pairs["call_type"] = pairs["call_type"].astype(str)
    return pairs


def backtest(
    history: pd.DataFrame,
    horizon_days: int = 7,
    origins: int | Iterable[TimeLike] = 14,
    *,
    by: Iterable[str] = ("horizon_day",),
    detail: bool = False,
    **options: Any,
) -> pd.DataFrame:
    """Rolling-origin backtest of :func:`ccsim.arrivals.forecast_volumes` on history.

    For each origin day ``o``, the model is fitted to the history *before* ``o``
    (with the same options) and forecasts days ``o .. o + horizon_days - 1``
    (horizon day 1 is the origin day); the forecasts are compared with what
    happened, per day and per interval. Forecast days past the end of the history
    are not scored, nor are days on which no call type has any call (gaps in the
    log).

    Metrics (Hyndman and Koehler [4]_), over the forecasts ``F`` and actuals ``A``
    of a group:

    * ``wape`` = ``sum |F - A| / sum A`` (weighted absolute percentage error);
    * ``mape`` = mean of ``|F - A| / A`` over the points with ``A > 0`` only
      (``mape_points`` of them): zero actuals, common at night, are left out;
    * ``bias`` = ``(sum F - sum A) / sum A`` (> 0: over-forecast);
    * ``coverage``: the share of points inside ``[calls_lower, calls_upper]``,
      to compare with the nominal ``prediction_coverage``.

    Parameters
    ----------
    history : pandas.DataFrame
        Tidy interval history (:func:`ccsim.arrivals.history_from_calls`).
    horizon_days : int, default 7
        Days forecast from each origin.
    origins : int or iterable of dates, default 14
        The origin days: a count ``n`` takes the last ``n`` days of the history,
        or give the dates.
    by : iterable of str, default ("horizon_day",)
        Grouping of the metrics beyond ``level``: any of ``"horizon_day"``,
        ``"call_type"``, ``"origin"``; ``()`` pools everything.
    detail : bool, default False
        Return the scored points themselves (``level``, ``origin``,
        ``horizon_day``, ``call_type``, ``period_start``, ``calls``,
        ``calls_lower``, ``calls_upper``, ``actual_calls``) instead of metrics.
    **options
        Forecasting options of :func:`ccsim.arrivals.forecast_volumes`: ``weeks``,
        ``profile_weeks``, ``trend``, ``damping``, ``calendar``,
        ``prediction_coverage`` (deprecated name: ``interval``) and
        ``profile_prior_calls``. An unknown option is refused, naming the valid ones.

    Returns
    -------
    pandas.DataFrame
        One row per ``level`` ("day", "interval") and group: the ``by`` columns,
        ``points``, ``actual_calls``, ``forecast_calls``, ``wape``, ``mape``,
        ``mape_points``, ``bias`` and ``coverage``. ``wape`` and ``bias`` are NaN
        for a group whose actual calls sum to 0 and ``mape`` for one without a
        nonzero actual (the ratios are undefined).

    References
    ----------
    .. [4] Hyndman and Koehler (2006), doi:10.1016/j.ijforecast.2006.03.001
    """
    name = coverage_option("backtest", options)
    checked = options_from("backtest", options, coverage_name=name)
    if isinstance(by, str):
        keys = [by]
    elif isinstance(by, Iterable) and not isinstance(by, Mapping):
        keys = list(by)
    else:
        raise CCSimInputError(f"by must name columns among {list(_BY)}; got {show(by)}")
    unknown = [key for key in keys if not isinstance(key, str) or key not in _BY]
    if unknown:
        raise CCSimInputError(f"by must name columns among {list(_BY)}; got {show(unknown)}")
    keys = list(dict.fromkeys(keys))  # in order, once each
    detail = check_bool("detail", detail)
    pairs = _pairs(history, horizon_days, origins, checked)
    if detail:
        return pairs
    pairs["abs_error"] = (pairs["calls"] - pairs["actual_calls"]).abs()
    nonzero = pairs["actual_calls"] > 0
    pairs["ape"] = (pairs["abs_error"] / pairs["actual_calls"]).where(nonzero)
    pairs["nonzero"] = nonzero.astype(int)
    pairs["inside"] = ((pairs["calls_lower"] <= pairs["actual_calls"])
                       & (pairs["actual_calls"] <= pairs["calls_upper"])).astype(int)
    grouped = pairs.groupby(["level", *keys], sort=True)
    out = grouped.agg(
        points=("calls", "size"),
        actual_calls=("actual_calls", "sum"),
        forecast_calls=("calls", "sum"),
        abs_error=("abs_error", "sum"),
        mape=("ape", "mean"),
        mape_points=("nonzero", "sum"),
        coverage=("inside", "mean"),
    ).reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        actual = out["actual_calls"].where(out["actual_calls"] > 0)
        out["wape"] = out.pop("abs_error") / actual
        out["bias"] = (out["forecast_calls"] - out["actual_calls"]) / actual
    columns = ["level", *keys, "points", "actual_calls", "forecast_calls", "wape", "mape",
               "mape_points", "bias", "coverage"]
    return out[columns]
