"""Figures for planners: the requirement curve, and a forecast against what happened.

Every function draws on the matplotlib Axes it is given (or on a new figure's)
and returns that Axes, so a plot can be restyled or combined with others.
matplotlib is imported inside the functions: ``import ccsim.plots`` is cheap and
needs no display.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ccsim._arrivals.checks import (
    call_type_labels,
    check_frame,
    ns_times,
    numeric_column,
    string_list,
)
from ccsim._validation import CCSimInputError, check_real

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["forecast_vs_actual", "requirement_curve"]


def _axes(ax: Any) -> Axes:
    if ax is not None:
        if not hasattr(ax, "step") or not hasattr(ax, "fill_between"):
            raise CCSimInputError(f"ax must be a matplotlib Axes or None; got {type(ax).__name__}")
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(10, 4), layout="constrained")[1]


def _wall_clock(name: str, stamps: Any) -> np.ndarray:
    """Interval starts as naive datetime64[ns]: time-zone-aware ones keep their wall clock."""
    series = pd.Series(stamps)
    if not pd.api.types.is_datetime64_any_dtype(series):
        raise CCSimInputError(
            f"{name} must hold timestamps (datetime64); got dtype {series.dtype}")
    if getattr(series.dt, "tz", None) is not None:
        series = series.dt.tz_localize(None)  # plotted at the local time of day
    if series.isna().any():
        row = int(np.flatnonzero(series.isna().to_numpy())[0])
        raise CCSimInputError(f"{name} must be a timestamp in every row; got NaT at row {row}")
    return ns_times(series, name)


def _tidy(data: Any, name: str, value: str, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """``interval_start``, ``call_type``, ``value`` (and ``extra`` if present) columns.

    Values must be finite and >= 0; call types are compared as text; the frame may not
    be empty.
    """
    if isinstance(data, pd.Series):
        if not isinstance(data.index, pd.DatetimeIndex):
            raise CCSimInputError(
                f"{name} (a Series) must be indexed by interval start (a DatetimeIndex); got "
                f"a {type(data.index).__name__}")
        kind = "all" if data.name is None or data.name == value else str(data.name)
        data = pd.DataFrame({"interval_start": data.index, "call_type": kind,
                             value: data.to_numpy()})
    if not isinstance(data, pd.DataFrame):
        raise CCSimInputError(
            f"{name} must be a DataFrame with columns interval_start and {value} (call_type "
            f"optional) or a Series indexed by interval start; got {type(data).__name__}")
    missing = [c for c in ("interval_start", value) if c not in data.columns]
    if missing:
        raise CCSimInputError(
            f"{name} is missing column(s) {missing}; it needs 'interval_start' and {value!r} "
            "('call_type' optional)")
    present = [c for c in ("interval_start", "call_type", value, *extra) if c in data.columns]
    check_frame(data, name, present, "each column once")
    if data.empty:
        raise CCSimInputError(f"{name} has no rows; there is nothing to plot")
    out = pd.DataFrame({
        "interval_start": _wall_clock(f"{name}['interval_start']", data["interval_start"]),
        "call_type": (call_type_labels(data["call_type"], name)
                      if "call_type" in data.columns else "all")})
    for column in (value, *extra):
        if column in data.columns:
            numbers = numeric_column(data, column, name)
            check_real(f"{name}[{column!r}]", numbers, low=0.0)
            out[column] = numbers
    return out.sort_values(["call_type", "interval_start"], kind="stable")


def _types(frames: Iterable[pd.DataFrame], call_types: Iterable[str] | None) -> list[str]:
    present = sorted(set().union(*(set(f["call_type"]) for f in frames)))
    if call_types is None:
        return present
    wanted = string_list("call_types", call_types)
    unknown = [t for t in wanted if t not in present]
    if unknown:
        raise CCSimInputError(
            f"call_types {unknown} are not in the data; it has {present}")
    if not wanted:
        raise CCSimInputError(f"call_types must name at least one call type of {present}")
    return list(dict.fromkeys(wanted))


def _step(attrs: Any) -> np.timedelta64 | None:
    """The interval length from a requirement's attrs (``interval_minutes`` or, as
    :func:`ccsim.staffing.requirements` sets it, ``interval_seconds``), else None."""
    for key, unit in (("interval_minutes", 60), ("interval_seconds", 1)):
        given = attrs.get(key)
        if given is None:
            continue
        seconds = check_real(f"requirements.attrs[{key!r}]", given, low=0.0,
                             low_inclusive=False) * unit
        if seconds.ndim != 0 or seconds > 86400:
            raise CCSimInputError(
                f"requirements.attrs[{key!r}] must be one interval length of at most a day; "
                f"got {given!r}")
        return np.timedelta64(max(int(round(float(seconds))), 1), "s")
    return None


def _label(kind: str, what: str, several: bool) -> str:
    return f"{kind}: {what}" if several else what


def _finish(ax: Axes, ylabel: str, title: str) -> Axes:
    """Labels, concise dates, and the legend beside the plot when it is long."""
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel("interval start")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.set_ylim(bottom=0)
    entries = len(ax.get_legend_handles_labels()[1])
    if entries > 4:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    else:
        ax.legend(loc="upper left", fontsize="small")
    return ax


def requirement_curve(requirements: pd.DataFrame, ax: Axes | None = None, *,
                      call_types: Iterable[str] | None = None) -> Axes:
    """Agents on the phones and scheduled agents over time, per call type.

    Each interval is drawn as a step held for its whole length: solid for the agents
    on the phones, dashed (same colour) for the scheduled agents after shrinkage.

    Parameters
    ----------
    requirements : pandas.DataFrame
        From :func:`ccsim.staffing.requirements`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure.
    call_types : iterable of str, optional
        Which call types to draw (default: all).

    Returns
    -------
    matplotlib.axes.Axes
        Labelled "agents" over "interval start", with a legend: one line per call type
        and measure (labels ``"<call type>: agents on the phones"`` and
        ``"<call type>: scheduled agents"``; without the prefix for one call type).

    Raises
    ------
    CCSimInputError
        Not a requirement table (missing or repeated columns, no rows), interval
        starts that are not timestamps or have NaT (time-zone-aware ones are drawn
        at their local wall-clock time), values that are not finite numbers >= 0,
        a missing call type, unknown ``call_types``, or an ``ax`` that is not an Axes.
    """
    data = _tidy(requirements, "requirements", "agents", ("scheduled_agents",))
    if "scheduled_agents" not in data.columns:
        raise CCSimInputError(
            "requirements is missing column(s) ['scheduled_agents']; pass the table of "
            "ccsim.staffing.requirements")
    length = _step(requirements.attrs)
    kinds = _types([data], call_types)
    ax = _axes(ax)
    several = len(kinds) > 1
    for i, kind in enumerate(kinds):
        rows = data[data["call_type"] == kind]
        starts = rows["interval_start"].to_numpy()
        if length is not None:
            step = length
        else:  # attrs lost: the smallest spacing, or half an hour for a single interval
            gaps = np.diff(starts)
            gaps = gaps[gaps > np.timedelta64(0, "s")]
            step = gaps.min() if gaps.size else np.timedelta64(1800, "s")
        x = np.append(starts, starts[-1] + step)  # hold the last interval to its end
        colour = f"C{i % 10}"
        for column, style, what in (("agents", "-", "agents on the phones"),
                                    ("scheduled_agents", "--", "scheduled agents")):
            y = rows[column].to_numpy()
            ax.step(x, np.append(y, y[-1]), where="post", color=colour, linestyle=style,
                    label=_label(kind, what, several))
    return _finish(ax, "agents", "Agents required per interval")


def forecast_vs_actual(forecast: pd.DataFrame | pd.Series, history: pd.DataFrame | pd.Series,
                       ax: Axes | None = None, *, call_types: Iterable[str] | None = None
                       ) -> Axes:
    """Forecast calls against the calls offered, with the forecast's prediction band.

    Parameters
    ----------
    forecast : pandas.DataFrame or pandas.Series
        A forecast (:func:`ccsim.arrivals.forecast_volumes`): ``interval_start``,
        ``call_type`` (optional), ``calls`` and, for the band, ``calls_lower`` and
        ``calls_upper``; or a Series of calls indexed by interval start.
    history : pandas.DataFrame or pandas.Series
        What happened (:func:`ccsim.arrivals.history_from_calls` or
        :func:`ccsim.io.read_interval_report`): ``interval_start``, ``call_type``
        (optional) and ``offered``; or a Series of offered calls.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure.
    call_types : iterable of str, optional
        Which call types to draw (default: every type in either table).

    Returns
    -------
    matplotlib.axes.Axes
        Per call type (one colour each): the forecast (solid line, label
        ``"<call type>: forecast"``), its band (shaded, ``"<call type>: prediction
        band"``) and the actual calls (dotted with markers, ``"<call type>: actual"``);
        the prefix is left out for a single call type.

    Raises
    ------
    CCSimInputError
        As :func:`requirement_curve`, for either table.
    """
    predicted = _tidy(forecast, "forecast", "calls", ("calls_lower", "calls_upper"))
    actual = _tidy(history, "history", "offered")
    kinds = _types([predicted, actual], call_types)
    ax = _axes(ax)
    several = len(kinds) > 1
    band = {"calls_lower", "calls_upper"} <= set(predicted.columns)
    for i, kind in enumerate(kinds):
        colour = f"C{i % 10}"
        rows = predicted[predicted["call_type"] == kind]
        if len(rows):
            ax.plot(rows["interval_start"], rows["calls"], color=colour,
                    label=_label(kind, "forecast", several))
            if band:
                ax.fill_between(rows["interval_start"], rows["calls_lower"],
                                rows["calls_upper"], color=colour, alpha=0.2, linewidth=0,
                                label=_label(kind, "prediction band", several))
        seen = actual[actual["call_type"] == kind]
        if len(seen):
            ax.plot(seen["interval_start"], seen["offered"], color=colour, linestyle=":",
                    marker=".", markersize=4, label=_label(kind, "actual", several))
    return _finish(ax, "calls per interval", "Forecast vs actual calls")
