"""``plan.xlsx``: a shift plan as the workbook team leads open (private; needs openpyxl).

Four sheets, each with a bold header row frozen at the top, columns wide enough for
their headings and values, and dates and times as Excel dates (not text):

* ``shifts per day``: agents starting each shift template (rows: template, its start
  time and paid hours per shift) on each day (one column per day), a ``total`` column
  and an ``all shifts`` row: the pivot ``ccsim schedule`` prints;
* ``breaks``: one row per shift, break and start slot (:attr:`ShiftPlan.breaks`):
  ``date``, ``template``, ``shift start``, ``break``, ``paid``, ``start``, ``end``,
  ``agents``;
* ``coverage``: per interval, the columns of ``coverage.csv`` (``interval_start``,
  ``required``, ``on_shift``, ``on_break``, ``on_phones``, ``over``, ``under``, and for a
  daily target ``calls``, ``floor``, ``service_level``);
* ``summary``: per day, ``required h``, ``on phones h``, ``over h``, ``under h``
  [agent-hours], ``peak required`` [agents], ``intervals short``, ``paid hours`` (of the
  shifts starting that day) and, for a daily target, ``calls``, ``day's SL``,
  ``interval plan SL``, ``interval plan paid hours`` and ``hours saved``; then a
  ``total`` row.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from typing import IO, Any

import pandas as pd

from ccsim.shifts import ShiftPlan

__all__ = ["SHEETS", "write_workbook"]

#: The workbook's sheets, in order.
SHEETS = ("shifts per day", "breaks", "coverage", "summary")

_DAY, _STAMP, _CLOCK = "ddd yyyy-mm-dd", "yyyy-mm-dd hh:mm", "hh:mm"
_HOURS, _COUNT, _SHARE = "#,##0.0", "#,##0", "0.0%"
#: Width [characters] per number format, for the cells that hold one.
_WIDTH = {_DAY: 15, _STAMP: 17, _CLOCK: 6, _HOURS: 9, _COUNT: 7, _SHARE: 7}


def _cell(value: Any) -> Any:
    """A value openpyxl writes as Excel wants: datetimes, floats, ints, bools, text."""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # a NumPy scalar
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _sheet(book: Any, title: str, header: Sequence[Any], rows: Sequence[Sequence[Any]],
           formats: Sequence[str | None], header_format: str | None = None,
           freeze: str = "A2") -> None:
    """One sheet: bold frozen header, ``formats`` per column, widths from the content."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.append([_cell(v) for v in header])
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", wrap_text=False)
        if isinstance(cell.value, datetime.datetime) and header_format:
            cell.number_format = header_format
    for row in rows:
        sheet.append([_cell(v) for v in row])
    for column, fmt in enumerate(formats, start=1):
        if fmt is None:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = fmt
    for column, (head, fmt) in enumerate(zip(header, formats, strict=True), start=1):
        if isinstance(head, (pd.Timestamp, datetime.datetime)):
            width = _WIDTH[header_format or _DAY]
        else:
            width = len(str(head))
        if fmt is None:  # text: as wide as the longest (first 500 rows are enough)
            width = max([width] + [len(str(r[column - 1])) for r in rows[:500]])
        else:
            width = max(width, _WIDTH[fmt])
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, 60)
    sheet.freeze_panes = freeze


def _shifts_per_day(book: Any, plan: ShiftPlan) -> None:
    from ccsim.cli._schedule_work import starts_per_day

    pivot = starts_per_day(plan)
    counts = plan.counts
    first = counts.groupby("template")["start"].min()
    paid = (counts["paid_hours"] / counts["agents"]).groupby(counts["template"]).first()
    days = list(pivot.columns)
    rows = [[name, first[name].to_pydatetime().time(), float(paid[name]),
             *(int(v) for v in pivot.loc[name]), int(pivot.loc[name].sum())]
            for name in pivot.index]
    rows.append(["all shifts", None, None, *(int(v) for v in pivot.sum(axis=0)),
                 int(pivot.to_numpy().sum())])
    _sheet(book, SHEETS[0], ["template", "start", "paid hours", *days, "total"], rows,
           [None, _CLOCK, _HOURS, *([_COUNT] * len(days)), _COUNT], header_format=_DAY,
           freeze="B2")


def _breaks(book: Any, plan: ShiftPlan) -> None:
    table = plan.breaks.sort_values(["date", "shift_start", "template", "rule", "start"])
    rows = [[day.normalize(), template, shift_start, name, bool(paid), start, end, int(agents)]
            for day, template, shift_start, name, paid, start, end, agents in zip(
                table["date"], table["template"], table["shift_start"], table["break"],
                table["paid"], table["start"], table["end"], table["agents"], strict=True)]
    _sheet(book, SHEETS[1], ["date", "template", "shift start", "break", "paid", "start", "end",
                             "agents"], rows,
           [_DAY, None, _STAMP, None, None, _STAMP, _STAMP, _COUNT])


def _coverage(book: Any, plan: ShiftPlan) -> None:
    cov = plan.coverage
    columns = list(cov.columns)
    rows = [[stamp, *values] for stamp, values in zip(
        cov.index, cov.itertuples(index=False, name=None), strict=True)]
    formats = [_SHARE if c == "service_level" else _HOURS for c in columns]
    _sheet(book, SHEETS[2], ["interval_start", *columns], rows, [_STAMP, *formats])


def _summary(book: Any, plan: ShiftPlan) -> None:
    from ccsim.cli._schedule_work import per_day

    table = per_day(plan)
    formats = [_HOURS, _HOURS, _HOURS, _HOURS, _HOURS, _COUNT, _HOURS]
    total: list[Any] = ["total", *(table[c].sum() for c in table.columns)]
    total[5] = table["peak required"].max()
    if plan.service is not None:
        service = plan.service.copy()
        service.index = pd.DatetimeIndex(service.index).normalize()
        service = service.reindex(table.index)
        extra = {"calls": ("calls", _HOURS), "day's SL": ("service_level", _SHARE),
                 "interval plan SL": ("interval_plan_service_level", _SHARE),
                 "interval plan paid hours": ("interval_plan_paid_hours", _HOURS),
                 "hours saved": ("hours_saved", _HOURS)}
        for heading, (column, fmt) in extra.items():
            if column in service.columns:
                table[heading] = service[column].astype(float)
                formats.append(fmt)
                if fmt == _SHARE:  # the calls-weighted share over all days
                    calls = service["calls"].astype(float)
                    total.append(float((table[heading] * calls).sum() / calls.sum())
                                 if calls.sum() > 0 else None)
                else:
                    total.append(table[heading].sum())
    rows = [[day, *values] for day, values in zip(
        table.index, table.itertuples(index=False, name=None), strict=True)]
    rows.append(total)
    _sheet(book, SHEETS[3], ["date", *table.columns], rows, [_DAY, *formats])


def write_workbook(plan: ShiftPlan, out: IO[bytes]) -> None:
    """Write ``plan`` as an Excel workbook (the sheets of :data:`SHEETS`) to ``out``."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    _shifts_per_day(book, plan)
    _breaks(book, plan)
    _coverage(book, plan)
    _summary(book, plan)
    book.save(out)
