"""Arrivals: interval history, patience, handle times, forecasts and sampled arrivals.

The functions here take the *call table* of :mod:`ccsim.io` (one row per call:
``call_type``, ``arrival``, ``queue_wait_seconds``, ``outcome``,
``service_seconds``, ...) and return what planning needs from it: the offered,
answered and abandoned calls per interval and call type, and the callers'
patience (how long they are willing to wait before hanging up).

The rest of the public API lives in private modules and is re-exported here:

* measuring (:mod:`ccsim._arrivals.measure`): :func:`fit_handle_times` (lognormal AHT
  fit), :func:`dispersion` (over-dispersion of volumes relative to Poisson),
  :func:`backtest` (rolling-origin WAPE, MAPE, bias and interval coverage);
* forecasting (:mod:`ccsim._arrivals.forecast`, :mod:`ccsim._arrivals.calendar`):
  :func:`forecast_volumes` (per interval, the forecast schema used by
  :mod:`ccsim.staffing`), :func:`forecast_daily`, :class:`Calendar`;
* forecast frames and arrivals (:mod:`ccsim._arrivals.sampling`): :func:`surge`,
  :func:`aggregate_forecast` (by day, month, year), :func:`sample_counts` and
  :func:`sample_arrivals` (non-homogeneous Poisson, optionally gamma-mixed by day).

Conventions (documented, never NaN):

* Call types are compared as text: ``3`` and ``"3"`` are one call type, and every
  result holds them as ``str``. A missing call type (None, NaN) is refused, naming
  the rows, in a call log, a history and a forecast.

* **offered** = answered + abandoned. Calls with outcome ``"other"`` (the bank's
  PHANTOM records and callers who left in the IVR before queueing) never waited
  for an agent and are left out of every count.
* An interval with no answered call has ``aht_seconds = 0`` and
  ``asa_seconds = 0``; one with no offered call has ``service_level = 1``
  (nobody waited too long), as in :mod:`ccsim.erlang` at zero traffic.
* Patience is censored: a caller answered after waiting ``w`` seconds would
  have waited at least ``w``. Callers answered without waiting tell nothing
  about patience.

References
----------
.. [1] L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn and L. Zhao,
   "Statistical analysis of a telephone call center: a queueing-science
   perspective", Journal of the American Statistical Association 100(469),
   36-50, 2005, doi:10.1198/016214504000001808
.. [2] E. L. Kaplan and P. Meier, "Nonparametric estimation from incomplete
   observations", Journal of the American Statistical Association 53(282),
   457-481, 1958, doi:10.1080/01621459.1958.10501452
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from ccsim._arrivals.calendar import Calendar
from ccsim._arrivals.calls import check_calls
from ccsim._arrivals.checks import MAX_TABLE_ROWS, real, show, sum_scale
from ccsim._arrivals.forecast import forecast_daily, forecast_volumes
from ccsim._arrivals.measure import HandleTimeFit, backtest, dispersion, fit_handle_times
from ccsim._arrivals.sampling import aggregate_forecast, sample_arrivals, sample_counts, surge
from ccsim._validation import CCSimInputError, check_size, renamed

__all__ = [
    "FREQUENCIES",
    "Calendar",
    "HandleTimeFit",
    "INTERVAL_MINUTES",
    "aggregate_forecast",
    "backtest",
    "dispersion",
    "estimate_patience",
    "forecast_daily",
    "fit_handle_times",
    "forecast_volumes",
    "history_from_calls",
    "patience_survival",
    "sample_arrivals",
    "sample_counts",
    "surge",
]

#: The interval lengths [min] that history_from_calls and the forecasts accept.
INTERVAL_MINUTES = (15, 30, 60)
#: The same as text: the deprecated ``freq=`` values of :func:`history_from_calls`.
FREQUENCIES = ("15min", "30min", "60min")
_DAY = pd.Timedelta(days=1)
_HISTORY_COLUMNS = (
    "interval_start",
    "call_type",
    "offered",
    "answered",
    "abandoned",
    "answered_within",
    "abandoned_within",
    "aht_seconds",
    "asa_seconds",
    "service_level",
)


def history_from_calls(
    calls: pd.DataFrame,
    interval_minutes: float = 30,
    answer_within_seconds: float = 20,
    *,
    freq: str | None = None,
) -> pd.DataFrame:
    """Count offered, answered and abandoned calls per interval and call type.

    Parameters
    ----------
    calls : pandas.DataFrame
        A call table (:func:`ccsim.io.read_call_log`): needs ``call_type``,
        ``arrival``, ``queue_wait_seconds``, ``outcome`` and ``service_seconds``.
        Call types are compared as text (``3`` and ``"3"`` are one call type);
        a missing call type (None, NaN) is refused.
    interval_minutes : {15, 30, 60}, default 30
        Interval length [min]. A call counts in the interval in which it reached
        the queue (its ``arrival``).
    answer_within_seconds : float, default 20
        Service-level threshold ``T`` [s]: a call is answered within ``T`` if its
        queue wait is ``<= T``.
    freq : {"15min", "30min", "60min"}, optional
        Deprecated: the old name of ``interval_minutes`` (as text); warns
        :class:`DeprecationWarning`. A text such as ``"30min"`` passed as the second
        positional argument is read the same way.

    Returns
    -------
    pandas.DataFrame
        Tidy (long) table, one row per interval start and call type, sorted by
        ``interval_start`` then ``call_type``:

        * ``interval_start`` : datetime64, a regular grid of ``interval_minutes``
          covering whole days, from 00:00 of the first call's day to the end of the
          last call's day, for every call type with an offered call; intervals
          without calls have zero counts;
        * ``call_type`` : str;
        * ``offered``, ``answered``, ``abandoned`` : int, calls;
          ``offered = answered + abandoned``;
        * ``answered_within`` : int, answered with queue wait ``<= T``;
        * ``abandoned_within`` : int, abandoned after waiting ``<= T`` (for the
          service-level definitions that forgive quick hang-ups);
        * ``aht_seconds`` : mean service time of the answered calls [s] (0 where
          none was answered; talk time only when the log has no wrap-up);
        * ``asa_seconds`` : mean queue wait of the answered calls [s] (0 where none);
        * ``service_level`` : ``answered_within / offered`` (1.0 where nothing was
          offered).

    Raises
    ------
    CCSimInputError
        ``interval_minutes`` not 15, 30 or 60, a negative threshold, a malformed
        call table (missing columns, text in a number column, a missing call type
        or outcome, times with a time zone), no answered or abandoned call at all,
        or calls spanning so many days that the grid would pass
        ``MAX_TABLE_ROWS`` (20 million) rows (a stray date in ``arrival``).

    Warns
    -----
    UserWarning
        When whole days between the first and last call have no calls (a gap in
        the log, such as 11-12 January 1999 in the bank data, or a closed day):
        they appear as zeros, which a forecast would take at face value.

    References
    ----------
    .. [1] Brown et al. (2005), doi:10.1198/016214504000001808.

    Examples
    --------
    >>> calls = pd.DataFrame({
    ...     "call_type": ["A", "A", "A"],
    ...     "arrival": pd.to_datetime(["2024-01-01 08:05", "2024-01-01 08:20",
    ...                                "2024-01-01 08:40"]),
    ...     "queue_wait_seconds": [5.0, 40.0, 12.0],
    ...     "outcome": ["answered", "answered", "abandoned"],
    ...     "service_seconds": [100.0, 200.0, 0.0]})
    >>> history = history_from_calls(calls, interval_minutes=30)
    >>> history.iloc[16:18][["interval_start", "offered", "answered_within",
    ...                      "aht_seconds", "service_level"]]
            interval_start  offered  answered_within  aht_seconds  service_level
    16 2024-01-01 08:00:00        2                1        150.0            0.5
    17 2024-01-01 08:30:00        1                0          0.0            0.0
    """
    minutes: Any = interval_minutes
    if isinstance(minutes, str):  # the old positional freq, e.g. "30min"
        if freq is not None:
            raise CCSimInputError(
                "history_from_calls: give interval_minutes= only (freq= is its old name); "
                "got both")
        freq, minutes = minutes, None
    elif freq is not None and isinstance(minutes, (int, float)) and minutes == 30:
        minutes = None  # the default: freq= alone was given
    step = _interval(renamed("history_from_calls", "freq", "interval_minutes", freq, minutes,
                             30))
    within = real("answer_within_seconds", answer_within_seconds, low=0.0)
    needed = ("call_type", "arrival", "queue_wait_seconds", "outcome", "service_seconds")
    calls = check_calls(calls, needed)
    calls = calls[calls["outcome"] != "other"]
    if calls.empty:
        raise CCSimInputError(
            "calls has no answered or abandoned call (outcome 'answered' or 'abandoned'); "
            "there is nothing to count"
        )
    arrival = calls["arrival"]
    types = sorted(set(calls["call_type"]))
    first_day, last_day = arrival.min().floor("D"), arrival.max().floor("D")
    n_days = (last_day.date() - first_day.date()).days + 1
    check_size("history_from_calls: the interval grid (days from the first to the last call "
               f"x {int(_DAY / step)} intervals a day x {len(types)} call type(s))",
               float(n_days) * int(_DAY / step) * len(types), MAX_TABLE_ROWS, unit="rows",
               how=f"the calls run from {arrival.min()} to {arrival.max()}: look for a stray "
               "date in calls['arrival'], or count a shorter span or fewer call types at a time")
    try:
        grid = pd.date_range(first_day, last_day + _DAY, freq=step, inclusive="left",
                             name="interval_start")
    except (ValueError, OverflowError):  # the last day ends after pandas' last timestamp
        raise CCSimInputError(
            f"calls['arrival'] must end before {pd.Timestamp.max.floor('D'):%Y-%m-%d}; got "
            f"{arrival.max()}") from None
    answered = (calls["outcome"] == "answered").to_numpy()
    wait = calls["queue_wait_seconds"].to_numpy()
    service = calls["service_seconds"].to_numpy()
    quick = wait <= within
    # Sums of huge values are taken on a power-of-two scale: exact, and never inf.
    service_scale, wait_scale = sum_scale(service), sum_scale(wait)
    per_call = pd.DataFrame(
        {
            "interval_start": arrival.dt.floor(step).to_numpy(),
            "call_type": calls["call_type"].to_numpy(),
            "offered": 1,
            "answered": answered.astype(int),
            "abandoned": (~answered).astype(int),
            "answered_within": (answered & quick).astype(int),
            "abandoned_within": (~answered & quick).astype(int),
            "service_total": np.where(answered, service / service_scale, 0.0),
            "wait_total": np.where(answered, wait / wait_scale, 0.0),
        }
    )
    full = pd.MultiIndex.from_product([grid, types], names=["interval_start", "call_type"])
    sums = per_call.groupby(["interval_start", "call_type"]).sum().reindex(full, fill_value=0)
    _warn_empty_days(sums["offered"].groupby(level="interval_start").sum())
    history = sums.reset_index()
    history["call_type"] = history["call_type"].astype(str)
    n_answered = history["answered"].to_numpy(dtype=float)
    n_offered = history["offered"].to_numpy(dtype=float)
    history["aht_seconds"] = _ratio(history.pop("service_total").to_numpy(), n_answered,
                                    0.0) * service_scale
    history["asa_seconds"] = _ratio(history.pop("wait_total").to_numpy(), n_answered,
                                    0.0) * wait_scale
    history["service_level"] = _ratio(history["answered_within"].to_numpy(), n_offered, 1.0)
    return history[list(_HISTORY_COLUMNS)]


def _interval(minutes: Any) -> pd.Timedelta:
    """The interval length from ``interval_minutes`` (or the old ``freq`` text)."""
    if isinstance(minutes, str):
        if minutes not in FREQUENCIES:
            valid = ", ".join(map(repr, FREQUENCIES))
            raise CCSimInputError(f"freq must be one of {valid}; got {minutes!r}")
        return pd.Timedelta(minutes)
    valid = "15, 30 or 60"
    if isinstance(minutes, (bool, np.bool_)) or not isinstance(minutes, (int, float, np.number)):
        raise CCSimInputError(f"interval_minutes must be {valid}; got {show(minutes)}")
    if float(minutes) not in INTERVAL_MINUTES:
        raise CCSimInputError(f"interval_minutes must be {valid}; got {minutes!r}")
    return pd.Timedelta(minutes=float(minutes))


def _ratio(numerator: np.ndarray, denominator: np.ndarray, empty: float) -> np.ndarray:
    """``numerator / denominator``, and ``empty`` where the denominator is 0."""
    out = np.full(denominator.shape, empty, dtype=float)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def _warn_empty_days(offered_per_interval: pd.Series) -> None:
    per_day = offered_per_interval.groupby(offered_per_interval.index.floor("D")).sum()
    empty = per_day.index[per_day.to_numpy() == 0]
    if len(empty):
        days = ", ".join(day.strftime("%Y-%m-%d") for day in empty[:10])
        warnings.warn(
            f"history_from_calls: {len(empty)} day(s) between the first and the last call "
            f"have no calls ({days}{', ...' if len(empty) > 10 else ''}); they appear as "
            "intervals of zero calls. Is the log missing them, or was the center closed?",
            UserWarning,
            stacklevel=3,
        )


def _waits(calls: Any) -> tuple[np.ndarray, np.ndarray]:
    """Queue waits [s] of the callers at risk of abandoning, and who abandoned."""
    calls = check_calls(calls, ("queue_wait_seconds", "outcome"))
    outcome = calls["outcome"].to_numpy()
    wait = calls["queue_wait_seconds"].to_numpy()
    abandoned = outcome == "abandoned"
    if not abandoned.any():
        raise CCSimInputError(
            "calls has no abandoned call (outcome 'abandoned'); patience cannot be "
            "estimated without at least one abandonment"
        )
    keep = abandoned | ((outcome == "answered") & (wait > 0))
    return wait[keep], abandoned[keep]


def estimate_patience(calls: pd.DataFrame) -> float:
    """Mean caller patience [s]: the censoring-aware exponential MLE.

    With exponential patience of mean ``theta``, abandoned callers show their
    patience (their wait) and answered callers only a lower bound (their wait:
    right-censored). The maximum-likelihood estimate is

    ``theta_hat = (total queue wait of answered and abandoned callers)
    / (number of abandoned callers)``,

    which Brown et al. [1]_ use for the bank's data. Its standard error is about
    ``theta_hat / sqrt(abandoned)``.

    Parameters
    ----------
    calls : pandas.DataFrame
        A call table (:func:`ccsim.io.read_call_log`): needs ``outcome`` and
        ``queue_wait_seconds``. Calls with outcome "other" are ignored. Per call
        type: ``{t: estimate_patience(g) for t, g in calls.groupby("call_type")}``.

    Returns
    -------
    float
        The mean patience ``theta_hat`` [s] (the Erlang-A ``patience_seconds``).

    Raises
    ------
    CCSimInputError
        No abandoned call (the estimate would be infinite), a malformed table, or
        waits so large that the estimate is beyond a float (about 1.8e308 s).

    References
    ----------
    .. [1] Brown et al. (2005), doi:10.1198/016214504000001808.
    .. [2] J. F. Lawless, "Statistical Models and Methods for Lifetime Data",
       2nd ed., Wiley, 2003 (exponential model with right censoring).

    Examples
    --------
    >>> calls = pd.DataFrame({"outcome": ["answered", "abandoned", "abandoned"],
    ...                       "queue_wait_seconds": [60.0, 30.0, 90.0]})
    >>> estimate_patience(calls)  # (60 + 30 + 90) / 2
    90.0
    """
    wait, abandoned = _waits(calls)
    scale = sum_scale(wait)  # a power of two: exact, and the sum of huge waits stays finite
    theta = float((wait / scale).sum() / abandoned.sum()) * scale
    if not np.isfinite(theta):
        raise CCSimInputError(
            f"calls['queue_wait_seconds'] are too large: the mean patience {theta!r} s is "
            "beyond a float; check the unit of the waits (seconds)")
    return theta


def patience_survival(calls: pd.DataFrame) -> pd.DataFrame:
    """Kaplan-Meier estimate of P(patience > t) from queue waits.

    Abandoned callers are events at their wait; answered callers who waited are
    censored at their wait (at a tie, the censored callers count as still at
    risk). Callers answered without waiting are left out: they were never at
    risk of abandoning.

    Parameters
    ----------
    calls : pandas.DataFrame
        A call table (:func:`ccsim.io.read_call_log`): needs ``outcome`` and
        ``queue_wait_seconds``.

    Returns
    -------
    pandas.DataFrame
        One row per distinct abandonment time, ascending:
        ``t_seconds`` (float, the wait [s]), ``survival`` (the estimate of
        P(patience > t) just after ``t``), ``at_risk`` (callers who waited at
        least ``t``) and ``events`` (callers who abandoned at ``t``).

    Raises
    ------
    CCSimInputError
        No abandoned call, or a malformed table.

    References
    ----------
    .. [1] Kaplan and Meier (1958), doi:10.1080/01621459.1958.10501452
    .. [2] Brown et al. (2005), doi:10.1198/016214504000001808.

    Examples
    --------
    >>> calls = pd.DataFrame({"outcome": ["abandoned", "answered", "abandoned"],
    ...                       "queue_wait_seconds": [10.0, 20.0, 30.0]})
    >>> patience_survival(calls)
       t_seconds  survival  at_risk  events
    0       10.0  0.666667        3       1
    1       30.0  0.000000        1       1
    """
    wait, abandoned = _waits(calls)
    times, events = np.unique(wait[abandoned], return_counts=True)
    ordered = np.sort(wait)
    at_risk = wait.size - np.searchsorted(ordered, times, side="left")
    survival = np.cumprod(1.0 - events / at_risk)
    return pd.DataFrame(
        {
            "t_seconds": times.astype(float),
            "survival": survival,
            "at_risk": at_risk.astype("int64"),
            "events": events.astype("int64"),
        }
    )
