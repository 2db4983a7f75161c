"""Forecast checks, surge scenarios and arrival sampling (re-exported by ccsim.arrivals).

A *forecast* here is the frame of :func:`ccsim.arrivals.forecast_volumes`: one row
per interval and call type with ``interval_start``, ``call_type``, ``calls``,
``calls_lower`` and ``calls_upper``, and ``frame.attrs["freq"]``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ccsim._arrivals.calendar import timestamp
from ccsim._arrivals.checks import (
    MAX_CALLS_PER_INTERVAL,
    TimeLike,
    call_type_labels,
    check_frame,
    count,
    ns_times,
    numeric_column,
    real,
    show,
    string_list,
)
from ccsim._validation import CCSimInputError, check_fraction, check_real, check_size

__all__ = [
    "MAX_SAMPLED_CALLS",
    "MAX_SAMPLED_COUNTS",
    "aggregate_forecast",
    "bounds",
    "check_forecast",
    "sample_arrivals",
    "sample_counts",
    "surge",
]

FORECAST_COLUMNS = ("interval_start", "call_type", "calls", "calls_lower", "calls_upper")
_VOLUME_COLUMNS = ("calls", "calls_lower", "calls_upper")
_PERIODS = {"day": "D", "month": "MS", "year": "YS"}
_FREQUENCIES = ("15min", "30min", "60min")

#: The most calls :func:`sample_arrivals` builds by default: 10 million arrivals take
#: about 1 GB (a large centre's month is 1 to 5 million). ``max_calls=`` raises it.
MAX_SAMPLED_CALLS = 10_000_000
#: The most counts :func:`sample_counts` draws by default (replications x rows): about
#: 0.5 GB with the rates. ``max_counts=`` raises it.
MAX_SAMPLED_COUNTS = 20_000_000
#: The largest Poisson rate drawn: numpy's sampler refuses rates near 2**63.
_POISSON_MAX = 1e18


def check_forecast(forecast: Any, name: str = "forecast") -> pd.DataFrame:
    """Check a forecast frame's columns, dtypes and volumes; return it unchanged.

    Parameters
    ----------
    forecast : pandas.DataFrame
        A frame in the forecast schema (see :func:`ccsim.arrivals.forecast_volumes`).
    name : str
        The argument's name, for the error messages.

    Returns
    -------
    pandas.DataFrame
        ``forecast`` itself.

    Raises
    ------
    CCSimInputError
        Not a DataFrame, a missing or repeated column, timestamps that are not naive
        datetime64, a missing call type, volumes that are not numbers, missing,
        infinite or negative, or ``calls_lower <= calls <= calls_upper`` broken.
    """
    if not isinstance(forecast, pd.DataFrame):
        raise CCSimInputError(
            f"{name} must be a pandas DataFrame with columns {list(FORECAST_COLUMNS)} "
            f"(see ccsim.arrivals.forecast_volumes); got {type(forecast).__name__}"
        )
    missing = [column for column in FORECAST_COLUMNS if column not in forecast.columns]
    if missing:
        raise CCSimInputError(
            f"{name} is missing column(s) {missing}; a forecast needs {list(FORECAST_COLUMNS)}"
        )
    check_frame(forecast, name, FORECAST_COLUMNS, "see ccsim.arrivals.forecast_volumes")
    start = forecast["interval_start"]
    if not pd.api.types.is_datetime64_any_dtype(start) or getattr(start.dt, "tz", None):
        raise CCSimInputError(
            f"{name}['interval_start'] must hold naive timestamps (datetime64); got dtype "
            f"{start.dtype}"
        )
    if start.isna().any():
        row = int(np.flatnonzero(start.isna().to_numpy())[0])
        raise CCSimInputError(f"{name}['interval_start'] must be a timestamp; got NaT at row {row}")
    call_type_labels(forecast["call_type"], name)
    volumes = {}
    for column in _VOLUME_COLUMNS:
        volumes[column] = numeric_column(forecast, column, name)
        check_real(f"{name}[{column!r}]", volumes[column], low=0.0)
    calls, lower, upper = (volumes[column] for column in _VOLUME_COLUMNS)
    bad = (lower > calls) | (calls > upper)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise CCSimInputError(
            f"{name} must have calls_lower <= calls <= calls_upper; got {float(lower[row])!r} "
            f"<= {float(calls[row])!r} <= {float(upper[row])!r} at row {row}"
        )
    return forecast


def surge(
    forecast: pd.DataFrame,
    factor: float,
    start: TimeLike,
    end: TimeLike,
    *,
    call_types: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Scale a forecast by ``factor`` over a window: a surge (or lull) scenario.

    Parameters
    ----------
    forecast : pandas.DataFrame
        A forecast (:func:`ccsim.arrivals.forecast_volumes`).
    factor : float
        Multiplier ``>= 0`` of ``calls``, ``calls_lower`` and ``calls_upper``
        in the window (2.0: an outage doubling calls; 0.0: a closure).
    start, end : str or datetime-like
        The window: rows with ``start <= interval_start < end`` are scaled.
    call_types : iterable of str, optional
        Scale only these call types (default: all).

    Returns
    -------
    pandas.DataFrame
        A copy of ``forecast`` (same columns, index and ``attrs``) with the
        window scaled; the rest is unchanged.

    Raises
    ------
    CCSimInputError
        A negative or non-finite ``factor``, one that takes an interval of the
        window above ``MAX_CALLS_PER_INTERVAL`` (1e12 calls; ``factor=1e308`` would
        give ``inf``), ``start >= end``, an unreadable time, unknown call types, or
        a malformed forecast.

    Warns
    -----
    UserWarning
        When no row of the forecast falls in the window.

    Examples
    --------
    >>> forecast = pd.DataFrame({
    ...     "interval_start": pd.date_range("2024-01-01 08:00", periods=4, freq="30min"),
    ...     "call_type": "A", "calls": 10.0, "calls_lower": 8.0, "calls_upper": 12.0})
    >>> surge(forecast, 2.0, "2024-01-01 08:30", "2024-01-01 09:30")["calls"].tolist()
    [10.0, 20.0, 20.0, 10.0]
    """
    check_forecast(forecast)
    scale = real("factor", factor, low=0.0)
    begin, finish = timestamp("start", start), timestamp("end", end)
    if begin >= finish:
        raise CCSimInputError(
            f"start must be before end; got start={begin} and end={finish}"
        )
    window = (forecast["interval_start"] >= begin) & (forecast["interval_start"] < finish)
    types = pd.Series(call_type_labels(forecast["call_type"], "forecast"), index=forecast.index)
    if call_types is not None:
        wanted = string_list("call_types", call_types)
        unknown = sorted(set(wanted) - set(types))
        if unknown:
            raise CCSimInputError(
                f"call_types must be call types of the forecast "
                f"({sorted(set(types))}); got unknown {unknown}"
            )
        window &= types.isin(wanted)
    mask = window.to_numpy()
    if mask.any():
        top = float(forecast["calls_upper"].to_numpy(dtype=float)[mask].max())
        if scale * top > MAX_CALLS_PER_INTERVAL:  # also catches an overflow to inf
            raise CCSimInputError(
                f"factor must keep every interval within {MAX_CALLS_PER_INTERVAL:.0e} calls; "
                f"got {factor!r}, which takes calls_upper {top:.4g} to {scale * top:.4g}")
    if not window.any():
        warnings.warn(
            f"surge: no interval of the forecast starts in [{begin}, {finish}); "
            "the forecast is returned unchanged",
            UserWarning,
            stacklevel=2,
        )
    result = forecast.copy()
    result.attrs = dict(forecast.attrs)
    for column in _VOLUME_COLUMNS:
        values = result[column].to_numpy(dtype=float).copy()
        values[mask] *= scale
        result[column] = values
    return result


#: scipy's Poisson and negative-binomial quantiles are exact up to here; above about
#: 1e11 calls they return NaN and above 1e16 the process aborts, so larger means use
#: the gamma law of the same mean and variance (relative error below 1e-9 at 1e9).
_EXACT_MAX_CALLS = 1e9
#: The same for the over-dispersion ``extra / calls**2`` (the negative binomial's
#: shape ``1 / cv2`` must stay representable).
_EXACT_MAX_CV2 = 1e6
#: Below this mean both quantiles of any of these laws are 0.
_TINY_CALLS = 1e-100


def bounds(
    calls: np.ndarray, extra_variance: np.ndarray, coverage: float
) -> tuple[np.ndarray, np.ndarray]:
    """Gamma-Poisson (negative binomial) prediction bounds with the given extra variance.

    The variance is ``calls + extra_variance``; the bounds are the ``(1 - coverage) / 2``
    and ``(1 + coverage) / 2`` quantiles, widened to contain ``calls``. Above
    ``_EXACT_MAX_CALLS`` calls (or ``_EXACT_MAX_CV2``), the quantiles of the gamma law
    of the same mean and variance, floored and ceiled. Always finite for finite input.
    """
    from scipy import special, stats  # imported here: scipy.stats takes 0.5 s to import

    calls = np.asarray(calls, dtype=float)
    extra = np.broadcast_to(np.asarray(extra_variance, dtype=float), calls.shape)
    tail = (1 - coverage) / 2
    lower, upper = np.zeros(calls.shape), np.zeros(calls.shape)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        cv2 = extra / calls**2  # inf where calls**2 underflows; NaN where calls = 0
        live = calls > _TINY_CALLS
        exact = live & (calls <= _EXACT_MAX_CALLS) & (cv2 <= _EXACT_MAX_CV2)
        poisson = exact & (extra <= 1e-12 * calls**2)
        mixed = exact & ~poisson
        approximate = live & ~exact
        lower[poisson] = stats.poisson.ppf(tail, calls[poisson])
        upper[poisson] = stats.poisson.ppf(1 - tail, calls[poisson])
        shape = calls[mixed] ** 2 / extra[mixed]
        probability = calls[mixed] / (calls[mixed] + extra[mixed])
        lower[mixed] = stats.nbinom.ppf(tail, shape, probability)
        upper[mixed] = stats.nbinom.ppf(1 - tail, shape, probability)
        # gamma of mean m and variance m * theta: shape m / theta, scale theta
        theta = 1 + extra[approximate] / calls[approximate]
        k = calls[approximate] / theta
        usable = np.isfinite(theta) & (k > 1e-300)
        low, high = np.zeros(k.shape), np.zeros(k.shape)
        low[usable] = np.floor(special.gammaincinv(k[usable], tail) * theta[usable])
        high[usable] = np.ceil(special.gammaincinv(k[usable], 1 - tail) * theta[usable])
        lower[approximate], upper[approximate] = low, high
    return np.minimum(lower, calls), np.maximum(upper, calls)


def aggregate_forecast(forecast: pd.DataFrame, by: str = "day") -> pd.DataFrame:
    """Sum a forecast per day, month or year and call type, with bounds for the sums.

    Parameters
    ----------
    forecast : pandas.DataFrame
        A forecast (:func:`ccsim.arrivals.forecast_volumes`, possibly through
        :func:`ccsim.arrivals.surge`).
    by : {"day", "month", "year"}
        The period.

    Returns
    -------
    pandas.DataFrame
        Columns ``<by>`` (the period's first day, datetime64), ``call_type``,
        ``calls``, ``calls_lower``, ``calls_upper``, sorted by call type then
        period. When ``forecast.attrs`` holds ``day_cv2`` and ``prediction_coverage``
        (or its deprecated name ``interval``), as
        :func:`ccsim.arrivals.forecast_volumes` sets them, the bounds are the negative
        binomial quantiles of a sum of independent days, variance
        ``sum(day calls) + day_cv2 * sum(day calls**2)``; otherwise they are the
        sums of the interval bounds (wider than needed).

    Raises
    ------
    CCSimInputError
        A malformed forecast, an interval above ``MAX_CALLS_PER_INTERVAL`` (1e12
        calls), ``by`` not one of the three, or malformed ``attrs`` (``day_cv2``
        not numbers >= 0, a coverage not in (0, 1)).
    """
    check_forecast(forecast)
    if not isinstance(by, str) or by not in _PERIODS:
        raise CCSimInputError(f"by must be one of {list(_PERIODS)}; got {show(by)}")
    check_calls_limit(forecast)
    cv2_by_type, coverage = _attrs_law(forecast.attrs)
    frame = pd.DataFrame({
        "call_type": call_type_labels(forecast["call_type"], "forecast"),
        "day": forecast["interval_start"].dt.normalize().to_numpy(),
        **{column: numeric_column(forecast, column, "forecast") for column in _VOLUME_COLUMNS},
    })
    daily = frame.groupby(["call_type", "day"], sort=True)[
        ["calls", "calls_lower", "calls_upper"]].sum().reset_index()
    daily["period"] = daily["day"].dt.to_period(_PERIODS[by][0]).dt.start_time
    daily["square"] = daily["calls"] ** 2
    grouped = daily.groupby(["call_type", "period"], sort=True)
    out = grouped[["calls", "calls_lower", "calls_upper", "square"]].sum().reset_index()
    if cv2_by_type is not None and coverage is not None:
        cv2 = out["call_type"].map(lambda t: cv2_by_type.get(t, 0.0)).to_numpy(dtype=float)
        calls = out["calls"].to_numpy()
        lower, upper = bounds(calls, cv2 * out["square"].to_numpy(), coverage)
        out["calls_lower"], out["calls_upper"] = lower, upper
    out = out.drop(columns="square").rename(columns={"period": by})
    out.attrs.update({k: v for k, v in forecast.attrs.items() if k != "freq"}, freq=by)
    return out[[by, "call_type", "calls", "calls_lower", "calls_upper"]]


def _attrs_law(attrs: Mapping[str, Any]) -> tuple[dict[str, float] | None, float | None]:
    """``day_cv2`` and the coverage from a forecast's attrs, checked (None: not there)."""
    cv2_by_type = attrs.get("day_cv2")
    coverage = attrs.get("prediction_coverage", attrs.get("interval"))
    if not isinstance(cv2_by_type, Mapping) or coverage is None:
        return None, None
    checked = {str(t): real(f"forecast.attrs['day_cv2'][{t!r}]", v, low=0.0)
               for t, v in cv2_by_type.items()}
    key = "prediction_coverage" if "prediction_coverage" in attrs else "interval"
    share = check_fraction(f"forecast.attrs[{key!r}]",
                           None if isinstance(coverage, (bool, np.bool_)) else coverage)
    if share.ndim != 0:
        raise CCSimInputError(
            f"forecast.attrs[{key!r}] must be a single fraction in (0, 1); got {show(coverage)}")
    return checked, float(share)


def check_calls_limit(forecast: pd.DataFrame, name: str = "forecast") -> None:
    """Refuse forecast rows above MAX_CALLS_PER_INTERVAL (their sums must stay finite)."""
    upper = forecast["calls_upper"].to_numpy(dtype=float)
    if upper.size and upper.max() > MAX_CALLS_PER_INTERVAL:
        row = int(np.argmax(upper))
        raise CCSimInputError(
            f"{name}['calls_upper'] must be at most {MAX_CALLS_PER_INTERVAL:.0e} calls in an "
            f"interval; got {upper[row]:.4g} at row {row}")


# ------------------------------------------------------------------ sampling
def _interval_length(forecast: pd.DataFrame) -> pd.Timedelta:
    """The interval of a forecast: ``attrs["freq"]``, else the step of its time grid."""
    freq = forecast.attrs.get("freq")
    if freq is not None:
        if not isinstance(freq, str) or freq not in _FREQUENCIES:
            raise CCSimInputError(
                f"forecast.attrs['freq'] must be one of {list(_FREQUENCIES)}; got {show(freq)}"
            )
        return pd.Timedelta(freq)
    starts = np.unique(ns_times(forecast["interval_start"], "forecast['interval_start']"))
    steps = np.diff(starts)
    if steps.size == 0:
        raise CCSimInputError(
            "forecast.attrs['freq'] must give the interval length (e.g. '30min') when the "
            "forecast has a single interval"
        )
    step = pd.Timedelta(steps.min())
    if step not in [pd.Timedelta(f) for f in _FREQUENCIES]:
        raise CCSimInputError(
            f"forecast intervals must be 15, 30 or 60 minutes long; its grid step is {step} "
            "(set forecast.attrs['freq'])"
        )
    return step


def _day_cv2(forecast: pd.DataFrame, overdispersion: Any) -> np.ndarray:
    """The gamma multiplier variance of each row's call type."""
    types = pd.Series(call_type_labels(forecast["call_type"], "forecast"))
    if overdispersion is None:
        return np.zeros(len(forecast))
    if isinstance(overdispersion, (Mapping, pd.Series)):
        given = {str(k): real(f"overdispersion[{k!r}]", v, low=0.0)
                 for k, v in dict(overdispersion).items()}
        missing = sorted(set(types) - set(given))
        if missing:
            raise CCSimInputError(
                f"overdispersion has no value for call type(s) {missing}; give one per call "
                "type (e.g. from ccsim.arrivals.dispersion: dict(zip(d.call_type, d.day_cv2)))"
            )
        return types.map(given).to_numpy(dtype=float)
    value = real("overdispersion", overdispersion, low=0.0)
    return np.full(len(forecast), value)


def _generator(seed: Any) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, np.random.SeedSequence) or (
        isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0
    ):
        return np.random.default_rng(seed)
    raise CCSimInputError(
        "seed must be an int >= 0, a numpy.random.Generator, a numpy.random.SeedSequence or "
        f"None; got {seed!r}"
    )


def _draw_counts(
    rng: np.random.Generator, forecast: pd.DataFrame, cv2: np.ndarray, replications: int
) -> np.ndarray:
    """Counts per replication and forecast row: Poisson(calls * G[day, call type])."""
    calls = forecast["calls"].to_numpy(dtype=float)
    day_key = pd.MultiIndex.from_arrays(
        [call_type_labels(forecast["call_type"], "forecast"),
         forecast["interval_start"].dt.normalize()]
    )
    group, _ = pd.factorize(day_key)
    n_groups = int(group.max()) + 1 if group.size else 0
    group_cv2 = np.zeros(n_groups)
    group_cv2[group] = cv2
    multiplier = np.ones((replications, n_groups))
    mixed = group_cv2 > 0
    if mixed.any():  # gamma with mean 1 and variance cv2: shape 1 / cv2, scale cv2
        multiplier[:, mixed] = rng.gamma(1 / group_cv2[mixed], group_cv2[mixed],
                                         size=(replications, int(mixed.sum())))
    rate = calls[None, :] * multiplier[:, group]
    if rate.size and not rate.max() <= _POISSON_MAX:
        raise CCSimInputError(
            f"overdispersion drew a day multiplier of {float(multiplier.max()):.4g}, which takes "
            f"an interval to {float(rate.max()):.4g} expected calls, beyond what can be sampled "
            f"({_POISSON_MAX:.0e}); pass a smaller overdispersion (measured values are 0.001 to "
            "0.1, see ccsim.arrivals.dispersion)")
    return rng.poisson(rate)


def sample_counts(
    forecast: pd.DataFrame,
    replications: int = 1,
    *,
    seed: int | np.random.Generator | np.random.SeedSequence | None = None,
    overdispersion: float | Mapping[str, float] | pd.Series | None = None,
    max_counts: float = MAX_SAMPLED_COUNTS,
) -> npt.NDArray[np.int64]:
    """Sample offered calls per forecast row: Poisson, optionally gamma-mixed by day.

    The count of a row with ``calls = m`` is Poisson with mean ``m * G``, where
    ``G`` is 1 or, with ``overdispersion = cv2 > 0``, a gamma variable of mean 1
    and variance ``cv2`` shared by all intervals of the same day and call type
    (independent across days, call types and replications). Then
    ``E[count] = m`` and ``Var[count] = m + cv2 * m**2``, and the day total
    ``D`` of mean ``M`` has ``Var[D] = M + cv2 * M**2`` (Jongbloed and Koole [1]_).

    Parameters
    ----------
    forecast : pandas.DataFrame
        A forecast (:func:`ccsim.arrivals.forecast_volumes`).
    replications : int, default 1
        Independent samples of the whole forecast.
    seed : int, Generator, SeedSequence or None
        The only source of randomness (None: fresh entropy, not reproducible). The
        same seed gives the same counts; a :class:`numpy.random.SeedSequence` is used
        as it is (a spawned child keeps its ``spawn_key``: the same child gives the
        same counts, two children independent ones).
    overdispersion : float, mapping or Series, optional
        ``cv2`` for every call type, or per call type (e.g. the ``day_cv2`` of
        :func:`ccsim.arrivals.dispersion`); None or 0: Poisson.
    max_counts : float, default 20,000,000
        The most counts (``replications x len(forecast)``) drawn at once
        (``MAX_SAMPLED_COUNTS``: about 0.5 GB with the rates); raise it to draw more.

    Returns
    -------
    numpy.ndarray
        Integer counts, shape ``(replications, len(forecast))``, columns in the
        forecast's row order.

    Raises
    ------
    CCSimInputError
        A malformed forecast, an interval above ``MAX_CALLS_PER_INTERVAL`` (1e12
        calls), a bad seed, ``replications`` or ``overdispersion``, or more than
        ``max_counts`` counts.

    References
    ----------
    .. [1] G. Jongbloed and G. Koole, "Managing uncertainty in call centres using
       Poisson mixtures", Applied Stochastic Models in Business and Industry
       17(4), 307-318, 2001, doi:10.1002/asmb.444
    """
    check_forecast(forecast)
    check_calls_limit(forecast)
    n = count("replications", replications, low=1)
    limit = real("max_counts", max_counts, low=0.0)
    check_size("sample_counts: replications x forecast rows", float(n) * len(forecast), limit,
               unit="counts", how="pass fewer replications, a shorter forecast, or a larger "
               "max_counts= if the memory is there (8 bytes a count, and as much again for "
               "the rates)")
    cv2 = _day_cv2(forecast, overdispersion)
    return _draw_counts(_generator(seed), forecast, cv2, n)


def sample_arrivals(
    forecast: pd.DataFrame,
    seed: int | np.random.Generator | np.random.SeedSequence | None = None,
    overdispersion: float | Mapping[str, float] | pd.Series | None = None,
    *,
    max_calls: float = MAX_SAMPLED_CALLS,
) -> pd.DataFrame:
    """Sample arrival times from a forecast: a non-homogeneous Poisson process.

    The arrival rate is constant within each interval (``calls`` per interval
    length), so the count of an interval is Poisson with mean ``calls`` and,
    given the count, the times are independent and uniform in the interval
    (Brown et al. [1]_ found the bank's arrivals Poisson at this scale). With
    ``overdispersion = cv2``, each day's rates of a call type are multiplied by
    one gamma variable of mean 1 and variance ``cv2`` (a doubly stochastic
    process, see :func:`sample_counts` for the law of the counts).

    Parameters
    ----------
    forecast : pandas.DataFrame
        A forecast (:func:`ccsim.arrivals.forecast_volumes`); the interval length
        is ``forecast.attrs["freq"]`` or, without it, the step of the time grid.
    seed : int, Generator, SeedSequence or None
        The only source of randomness (None: fresh entropy, not reproducible); a
        spawned :class:`numpy.random.SeedSequence` child reproduces its own stream.
    overdispersion : float, mapping or Series, optional
        Day-level gamma variance ``cv2``, for all or per call type; None: Poisson.
    max_calls : float, default 10,000,000
        The most calls sampled (``MAX_SAMPLED_CALLS``: about 1 GB at ~100 bytes an
        arrival). The forecast's expected calls (the sum of ``calls``) are checked
        before anything is drawn, and the drawn total before the arrivals are
        built; raise it to sample more.

    Returns
    -------
    pandas.DataFrame
        One row per arrival, sorted by time: ``call_type`` (str) and ``arrival``
        (datetime64[ns], in ``[interval_start, interval_start + interval)``).

    Raises
    ------
    CCSimInputError
        A malformed forecast, a bad seed or ``overdispersion``, or more than
        ``max_calls`` expected (or drawn) calls.

    References
    ----------
    .. [1] Brown et al. (2005), doi:10.1198/016214504000001808

    Examples
    --------
    >>> forecast = pd.DataFrame({
    ...     "interval_start": pd.date_range("2024-01-01 08:00", periods=2, freq="30min"),
    ...     "call_type": "A", "calls": 3.0, "calls_lower": 1.0, "calls_upper": 5.0})
    >>> arrivals = sample_arrivals(forecast, seed=1)
    >>> arrivals.columns.tolist(), bool(arrivals["arrival"].is_monotonic_increasing)
    (['call_type', 'arrival'], True)
    """
    check_forecast(forecast)
    limit = real("max_calls", max_calls, low=0.0)
    how = ("sample a shorter span, or pass a larger max_calls= if the memory is there "
           "(about 100 bytes an arrival)")
    with np.errstate(over="ignore"):  # a sum beyond a float is inf, refused as such
        expected = float(forecast["calls"].to_numpy(dtype=float).sum())
    check_size("sample_arrivals: the forecast's expected calls (the sum of calls)",
               expected, limit, unit="calls", how=how)
    length = _interval_length(forecast)
    cv2 = _day_cv2(forecast, overdispersion)
    rng = _generator(seed)
    counts = _draw_counts(rng, forecast, cv2, 1)[0]
    check_size("sample_arrivals: the calls drawn (with the overdispersion's day multipliers)",
               float(counts.sum()), limit, unit="calls", how=how)
    starts = np.repeat(ns_times(forecast["interval_start"], "forecast['interval_start']"),
                       counts)
    offsets = np.floor(rng.random(starts.size) * length.value).astype(np.int64)
    arrival = starts + offsets.astype("timedelta64[ns]")
    types = np.repeat(forecast["call_type"].astype(str).to_numpy(dtype=object), counts)
    order = np.argsort(arrival, kind="stable")
    result = pd.DataFrame({"call_type": types[order], "arrival": arrival[order]})
    result["call_type"] = result["call_type"].astype(str)
    return result
