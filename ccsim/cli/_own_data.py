"""``ccsim schedule`` on a planner's own data: a call log or an ACD interval report (private).

The chain: the data -> a history table (:func:`ccsim.arrivals.history_from_calls` on a
call log, 30-min intervals; an interval report read by
:func:`ccsim.io.read_interval_report` already is one, on its own 15-, 30- or 60-min
grid) -> the forecast of the days asked (:func:`ccsim.arrivals.forecast_volumes`) ->
every call type pooled into one queue -> agents per interval
(:func:`ccsim.staffing.requirements`). The built-in bank example is the call log
shipped in ``ccsim/data`` read exactly as ``--calls`` reads a file.

What is measured from the data, unless an option gives it:

* AHT: from a call log, the mean service time of the answered calls; from a report,
  its AHT column averaged weighted by answered calls (a report without one needs
  ``--aht``).
* Patience: from a call log, the censoring-aware estimate of
  :func:`ccsim.arrivals.estimate_patience` (Erlang A). A report has no abandonment
  times, and abandon rates alone do not give patience without the waits of those who
  hung up: a report is staffed with Erlang C (no abandonment, the cautious side)
  unless ``--patience SECONDS`` gives the mean patience for Erlang A.
* With ``--group-by type`` each call type's own forecast is staffed alone (one skill
  group per type, :func:`_typed_inputs`), with its own AHT and patience measured so
  from its calls (a report: its rows' AHT; it needs a queue or call-type column); a
  type with nothing to measure from takes every type's pooled value, and says so.
* Opening hours: the daily span of the intervals whose mean calls (all types, over
  the history) reach :data:`OPEN_SHARE` of the busiest interval's; the bank's log
  gives 07:00-24:00.
"""

from __future__ import annotations

import datetime
import re
import warnings
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ccsim._validation import CCSimError, CCSimInputError

__all__ = ["EXAMPLE_FILE", "OPEN_SHARE", "Data", "Inputs", "data_inputs", "example_data",
           "example_path", "opening_from_history", "read_calls", "read_report"]

#: The bank's January 1999 call log shipped in ``ccsim/data`` (ccsim's call-table columns).
EXAMPLE_FILE = "anonymous_bank_1999_january.csv.gz"
#: A time of day is open when its mean calls reach this share of the busiest one's.
OPEN_SHARE = 0.05
#: Interval of the history made from a call log [min].
LOG_INTERVAL_MINUTES = 30
#: Columns a generic call log is read with when ``--columns`` is not given.
DEFAULT_COLUMNS = ("arrival", "call_type", "outcome", "queue_wait_seconds", "service_seconds")


@dataclass
class Inputs:
    """What the plan is built for, and how to describe it."""

    requirement: pd.Series
    calls: pd.Series | None
    aht_seconds: float | None
    patience_seconds: float | None
    lines: list[str]
    #: With ``--group-by type``: the requirement per call type (``interval_start``,
    #: ``call_type``, ``agents``: :func:`ccsim.staffing.requirements`), each type one
    #: group; ``requirement`` is then their sum. None: one group, every type pooled.
    groups: pd.DataFrame | None = None


@dataclass
class Data:
    """A history read from the planner's data (or the example), and what it measured."""

    history: pd.DataFrame
    calls: pd.DataFrame | None  # the call table of a log; None for a report
    option: str  # how messages name the source: "--calls 'log.csv'"
    title: str  # the first line printed
    first: datetime.date
    last: datetime.date

    @property
    def interval_minutes(self) -> int:
        steps = self.history["interval_start"].drop_duplicates().sort_values().diff().dropna()
        return int(steps.min().total_seconds() // 60) if len(steps) else LOG_INTERVAL_MINUTES


def example_path() -> Path:
    """The path of the bank's call log shipped with ccsim (as ``--calls`` would take it)."""
    return Path(str(resources.files("ccsim.data").joinpath(EXAMPLE_FILE)))


#: What replaces a report reader's advice to pass ``columns=`` (the CLI has no such option).
_RENAME = ("rename the headings in the file to ones ccsim recognises, e.g. Interval, Queue, "
           "Offered, Handled, Abandoned, AHT (see ccsim.io.read_interval_report)")


def _library_terms(message: str, report: bool = False) -> str:
    """A reader's message in the command's options (``columns=`` is ``--columns``, ...)."""
    if report:
        message = re.sub(r"\(map them with columns=\)", f"({_RENAME})", message)
        message = re.sub(r"say which with columns=\{.*?\}|pass columns=\{'interval'.*?\)\}",
                         _RENAME, message)
    message = re.sub(r"columns\['(\w+)'\] names ('[^']*'|.*?),",
                     r"\1 is read from \2 (--columns \1=HEADING), which is", message)
    text = re.sub(r"opening_hours=\('(\d\d:\d\d)', '(\d\d:\d\d)'\)", r"--open \1-\2", message)
    text = text.replace(" (fill_gaps=True would also fill real gaps)", "")
    text = re.sub(r"\bopening_hours=", "--open ", text)
    text = re.sub(r"\bcolumns=", "--columns ", text)
    text = re.sub(r"\boutcome_values=", "--outcomes ", text)
    text = re.sub(r"\bformat='(\S+?)'", r"--format \1", text)
    if re.search(r"\b(encoding|sep|sheet_name|bad_lines|dayfirst|arrival_format|date_format)=",
                 text):
        text += (" (a ccsim.io option: ccsim schedule reads UTF-8 text with commas, or an "
                 "Excel workbook's first sheet; save the file so, or read it with ccsim.io in "
                 "Python)")
    return text


def _days(history: pd.DataFrame) -> tuple[datetime.date, datetime.date]:
    starts = history["interval_start"]
    return starts.min().date(), starts.max().date()


def read_calls(path: Path, format: str | None, columns: dict[str, Any] | None,  # noqa: A002
               outcomes: dict[str, str] | None, within: float, option: str = "--calls",
               title: str | None = None) -> Data:
    """A call log read by :func:`ccsim.io.read_call_log`, and its half-hourly history."""
    import ccsim.io
    from ccsim import arrivals

    name = f"{option} {str(path)!r}"
    format = format or "generic"  # noqa: A001
    if format == "generic" and columns is None:
        columns = {key: key for key in DEFAULT_COLUMNS}
    try:
        calls = ccsim.io.read_call_log(path, format, columns=columns, outcome_values=outcomes)
        with warnings.catch_warnings():  # whole days without calls (the bank: 11-12 January)
            warnings.simplefilter("ignore", UserWarning)
            history = arrivals.history_from_calls(calls, interval_minutes=LOG_INTERVAL_MINUTES,
                                                  answer_within_seconds=within)
    except CCSimInputError as error:
        raise CCSimInputError(f"{name}: {_library_terms(str(error))}") from None
    first, last = _days(history)
    title = title or (f"ccsim schedule: the call log {path} ({len(calls):,} calls from {first} "
                      f"to {last})")
    return Data(history, calls, name, title, first, last)


def example_data(within: float) -> Data:
    """The built-in bank example: the shipped call log read as ``--calls`` reads it."""
    return read_calls(example_path(), None, None, None, within, option="the example's call log",
                      title="ccsim schedule: the bank example (January 1999 call log of a "
                      "bank's call center, Brown et al. 2005)")


def read_report(path: Path, opening: tuple[int, int] | None) -> Data:
    """An ACD interval report read by :func:`ccsim.io.read_interval_report`.

    ``opening`` (``--open``, minutes after midnight) tells which intervals a report may
    leave out because the center was closed.
    """
    import ccsim.io

    name = f"--report {str(path)!r}"
    hours = None if opening is None else tuple(
        f"{m // 60:02d}:{m % 60:02d}" for m in opening)
    try:
        history = ccsim.io.read_interval_report(path, opening_hours=hours)
    except CCSimInputError as error:
        raise CCSimInputError(f"{name}: {_library_terms(str(error), report=True)}") from None
    first, last = _days(history)
    step = int(history.attrs.get("interval_minutes", 30))
    queues = history["call_type"].nunique()
    title = (f"ccsim schedule: the interval report {path} ({int(history['offered'].sum()):,} "
             f"calls offered from {first} to {last}, {step}-min intervals, {queues} "
             f"queue{'s' if queues != 1 else ''})")
    return Data(history, None, name, title, first, last)


def opening_from_history(history: pd.DataFrame) -> tuple[int, int]:
    """The daily span whose mean calls reach :data:`OPEN_SHARE` of the busiest interval's.

    Minutes after midnight ``(start, end)``; the longest quiet stretch of the day is the
    night (``end < start`` for a center open over midnight); ``(0, 1440)`` when no
    stretch is quiet.
    """
    from ccsim.cli._schedule_work import opening_of

    pooled = history.groupby("interval_start")["offered"].sum()
    minute = pooled.index.hour * 60 + pooled.index.minute
    profile = pooled.groupby(minute).mean()
    if profile.max() <= 0:
        return 0, 1440
    busy = (profile >= OPEN_SHARE * profile.max()).astype(float)
    day = pd.Timestamp("2000-01-03")  # any day: only the times of day matter
    step = int(np.diff(profile.index).min()) if len(profile) > 1 else 1440
    grid = pd.date_range(day, periods=1440 // step, freq=f"{step}min", name="interval_start")
    series = pd.Series(0.0, index=grid)
    series[day + pd.to_timedelta(busy.index, unit="min")] = busy.to_numpy()
    return opening_of(series)


def _measured_aht(data: Data) -> float:
    if data.calls is not None:
        answered = data.calls.loc[data.calls["outcome"] == "answered", "service_seconds"]
        if answered.empty:
            raise CCSimInputError(f"{data.option} has no answered call to measure the AHT "
                                  "from; give --aht SECONDS")
        return float(answered.mean())
    table = data.history[data.history["aht_seconds"].notna() & (data.history["answered"] > 0)]
    if table.empty:
        raise CCSimInputError(f"{data.option} has no AHT column (or no answered calls with an "
                              "AHT); give --aht SECONDS")
    weights = table["answered"].to_numpy(dtype=float)
    return float(np.average(table["aht_seconds"].to_numpy(dtype=float), weights=weights))


def _measured_patience(data: Data) -> float:
    from ccsim import arrivals

    try:
        return float(arrivals.estimate_patience(data.calls))
    except CCSimInputError as error:
        raise CCSimInputError(f"{data.option}: the mean patience cannot be measured ({error}); "
                              "give --patience SECONDS, or --patience none for Erlang C"
                              ) from None


def _inside(starts: pd.DatetimeIndex, opening: tuple[int, int]) -> np.ndarray:
    """Whether each interval starts inside the opening hours (minutes after midnight)."""
    minute = (starts.hour * 60 + starts.minute).to_numpy()
    start_min, end_min = opening
    return ((minute >= start_min) & (minute < end_min) if start_min < end_min
            else (minute >= start_min) | (minute < end_min))


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def data_inputs(data: Data, start: datetime.date, days: int, target: float, within: float,
                aht_seconds: float | None, patience_seconds: float | None,
                opening: tuple[int, int], inferred: bool = False,
                group_by: str = "all") -> Inputs:
    """The requirement for ``days`` days from ``start``, forecast from ``data``.

    ``aht_seconds`` None measures it; ``patience_seconds`` None measures it from a call
    log (Erlang C for a report), ``inf`` is Erlang C. Forecast calls outside ``opening``
    (minutes after midnight; ``inferred`` says it came from the history) get no agents.
    ``group_by`` ``"all"`` pools every call type into one queue; ``"type"`` staffs each
    call type's own forecast as its own group (:func:`_typed_inputs`).
    """
    from ccsim import arrivals, staffing

    if group_by == "type" and data.calls is None and "call_type" not in data.history.attrs.get(
            "columns", {}):
        raise CCSimInputError(
            f"--group-by type: {data.option} has no queue or call-type column (headings such "
            "as Queue, Skill, Split or Call type), so its calls cannot be split by type; add "
            "one, or give --group-by all")
    begin = pd.Timestamp(start)
    try:
        forecast = arrivals.forecast_volumes(data.history, begin, begin + pd.Timedelta(days=days))
    except CCSimError as error:
        kind = CCSimInputError if isinstance(error, CCSimInputError) else CCSimError
        raise kind(f"the forecast from {data.option} for --start {start} --days {days}: "
                   f"{error}") from None
    step = data.interval_minutes
    volume = forecast.groupby("interval_start")["calls"].sum()
    inside = _inside(pd.DatetimeIndex(volume.index), opening)
    dropped = float(volume[~inside].sum())
    volume = volume.where(inside, 0.0)
    volume.attrs["freq"] = f"{step}min"
    notes = (["inferred from the history's busy hours, --open to change"] if inferred else []) + (
        [f"{dropped:.0f} forecast calls outside opening hours are not staffed"]
        if dropped >= 0.5 else [])
    if group_by == "type":
        return _typed_inputs(data, forecast, volume, begin, days, target, within, aht_seconds,
                             patience_seconds, opening, notes)
    aht_text = ""
    if aht_seconds is None:
        aht_seconds = _measured_aht(data)
        aht_text = (" (measured)" if data.calls is not None
                    else " (the report's, weighted by answered calls)")
    if patience_seconds is None and data.calls is not None:
        patience_seconds = _measured_patience(data)
    if patience_seconds is not None and not np.isfinite(patience_seconds):
        patience_seconds = None
    try:
        need = staffing.requirements(volume.rename("all"), aht_seconds, target, within,
                                     patience_seconds=patience_seconds)
    except CCSimInputError as error:
        raise CCSimInputError(f"the requirement from {data.option}: {error}") from None
    requirement = need.set_index("interval_start")["agents"].astype(float)
    if patience_seconds is not None:
        model = f"Erlang A, mean patience {patience_seconds:.0f} s"
    elif data.calls is None:
        model = "Erlang C (a report has no abandonment times: --patience SECONDS for Erlang A)"
    else:
        model = "Erlang C"
    last = begin + pd.Timedelta(days=days - 1)
    hours = f"{_clock(opening[0])}-{_clock(opening[1])}"
    lines = [
        data.title,
        f"forecast {begin:%a %Y-%m-%d} to {last:%a %Y-%m-%d}, {step}-min intervals, every call "
        "type pooled into one queue:",
        f"  {volume.sum():,.0f} calls, AHT {aht_seconds:.0f} s{aht_text}, {model}, target "
        f"{target * 100:g}/{within:g}, open {hours}" + (f" ({'; '.join(notes)})" if notes else ""),
    ]
    return Inputs(requirement, volume, aht_seconds, patience_seconds, lines)


def _typed_aht(data: Data, kind: str) -> float | None:
    """The AHT [s] of one call type measured as :func:`_measured_aht` does; None if none."""
    if data.calls is not None:
        calls = data.calls
        answered = calls.loc[(calls["call_type"] == kind) & (calls["outcome"] == "answered"),
                             "service_seconds"]
        return float(answered.mean()) if len(answered) else None
    table = data.history
    table = table[(table["call_type"] == kind) & table["aht_seconds"].notna()
                  & (table["answered"] > 0)]
    if table.empty:
        return None
    return float(np.average(table["aht_seconds"].to_numpy(dtype=float),
                            weights=table["answered"].to_numpy(dtype=float)))


def _typed_patience(data: Data, kind: str) -> float | None:
    """The mean patience [s] of one call type's calls; None where it cannot be measured."""
    from ccsim import arrivals

    calls = data.calls
    assert calls is not None
    mine = calls[calls["call_type"] == kind]
    if not (mine["outcome"] == "abandoned").any():
        return None
    try:
        return float(arrivals.estimate_patience(mine))
    except CCSimInputError:
        return None


def _typed_inputs(data: Data, forecast: pd.DataFrame, volume: pd.Series, begin: pd.Timestamp,
                  days: int, target: float, within: float, aht_seconds: float | None,
                  patience_seconds: float | None, opening: tuple[int, int],
                  notes: list[str]) -> Inputs:
    """``--group-by type``: each call type's forecast staffed alone, as its own group.

    Per type, unless ``--aht``/``--patience`` give one value for all: the AHT of its
    answered calls (a log) or its rows' AHT weighted by answered calls (a report), and
    the patience of :func:`ccsim.arrivals.estimate_patience` on its calls (a log); a
    type with nothing to measure from (no answered call, no abandoned call) takes the
    value of every type pooled, and the printed line says so.
    """
    from ccsim import staffing

    step = data.interval_minutes
    table = forecast[["interval_start", "call_type", "calls"]].copy()
    table["call_type"] = table["call_type"].astype(str)
    inside = _inside(pd.DatetimeIndex(table["interval_start"]), opening)
    table["calls"] = table["calls"].where(inside, 0.0)
    table.attrs["freq"] = f"{step}min"
    kinds = sorted(table["call_type"].unique())
    calls_of = table.groupby("call_type")["calls"].sum()
    pooled: dict[str, float] = {}

    def pooled_value(what: str) -> float:
        if what not in pooled:
            pooled[what] = _measured_aht(data) if what == "aht" else _measured_patience(data)
        return pooled[what]

    aht: dict[str, float] = {}
    patience: dict[str, float | None] = {}
    texts = {}
    for kind in kinds:
        if aht_seconds is not None:
            aht[kind], aht_text = aht_seconds, ""
        else:
            value = _typed_aht(data, kind)
            if value is not None:
                aht[kind] = value
                aht_text = " (measured)" if data.calls is not None else " (the report's)"
            else:
                aht[kind] = pooled_value("aht")
                aht_text = f" (all types': no answered {kind} call to measure it from)"
        if patience_seconds is None and data.calls is not None:
            value = _typed_patience(data, kind)
            if value is not None:
                patience[kind], model = value, f"Erlang A, mean patience {value:.0f} s"
            else:
                patience[kind] = pooled_value("patience")
                model = (f"Erlang A, mean patience {patience[kind]:.0f} s (all types': no "
                         f"{kind} call abandoned, or too few, to measure it from)")
        elif patience_seconds is not None and np.isfinite(patience_seconds):
            patience[kind] = patience_seconds
            model = f"Erlang A, mean patience {patience_seconds:.0f} s"
        else:
            patience[kind], model = None, "Erlang C"
        texts[kind] = (f"  {kind}: {calls_of[kind]:,.0f} calls, AHT {aht[kind]:.0f} s{aht_text}, "
                       f"{model}")
    try:
        need = staffing.requirements(table, aht, target, within, patience_seconds=patience)
    except CCSimInputError as error:
        raise CCSimInputError(f"the requirement from {data.option}: {error}") from None
    need = need[["interval_start", "call_type", "agents"]].reset_index(drop=True)
    requirement = need.groupby("interval_start")["agents"].sum().astype(float)
    if data.calls is None and patience_seconds is None:
        notes = ["Erlang C: a report has no abandonment times, --patience SECONDS for "
                 "Erlang A", *notes]
    last = begin + pd.Timedelta(days=days - 1)
    hours = f"{_clock(opening[0])}-{_clock(opening[1])}"
    lines = [
        data.title,
        f"forecast {begin:%a %Y-%m-%d} to {last:%a %Y-%m-%d}, {step}-min intervals, each call "
        f"type its own group of agents ({len(kinds)} groups):",
        *(texts[kind] for kind in kinds),
        f"  all types: {volume.sum():,.0f} calls, target {target * 100:g}/{within:g}, open "
        f"{hours}" + (f" ({'; '.join(notes)})" if notes else ""),
    ]
    return Inputs(requirement, volume, None, None, lines, groups=need)
