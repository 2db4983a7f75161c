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

A plan of several skill groups (``--group-by type``) has a ``group`` column in every
sheet (first; in ``coverage`` after ``interval_start``, as in ``coverage.csv``): each
group's rows in turn, then rows ``all groups`` for the whole plan (see
:func:`_grouped`); the summary is per day and group.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from typing import IO, Any

import pandas as pd

from ccsim.shifts import ShiftPlan

__all__ = ["EVERY_GROUP", "SHEETS", "write_workbook"]

#: The workbook's sheets, in order.
SHEETS = ("shifts per day", "breaks", "coverage", "summary", "solver")
#: The ``group`` of the rows about the whole plan of several groups.
EVERY_GROUP = "all groups"

_DAY, _STAMP, _CLOCK = "ddd yyyy-mm-dd", "yyyy-mm-dd hh:mm", "hh:mm"
_HOURS, _COUNT, _SHARE = "#,##0.0", "#,##0", "0.0%"
#: Width [characters] per number format, for the cells that hold one.
_WIDTH = {_DAY: 15, _STAMP: 17, _CLOCK: 6, _HOURS: 9, _COUNT: 7, _SHARE: 7}


def _cell(value: Any) -> Any:
    """A value openpyxl writes as Excel wants: datetimes, floats, ints, bools, text."""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if value is pd.NA or value is pd.NaT:
        return None
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


Sheet = tuple[list[Any], list[list[Any]], list[str | None]]  # header, rows, formats


def _shifts_per_day(plan: ShiftPlan, days: list[pd.Timestamp] | None = None) -> Sheet:
    from ccsim.cli._schedule_work import starts_per_day

    pivot = starts_per_day(plan)
    if days is not None:
        pivot = pivot.reindex(columns=pd.DatetimeIndex(days, name="date"), fill_value=0)
    counts = plan.counts
    first = counts.groupby("template")["start"].min()
    paid = (counts["paid_hours"] / counts["agents"]).groupby(counts["template"]).first()
    days = list(pivot.columns)
    rows = [[name, first[name].to_pydatetime().time(), float(paid[name]),
             *(int(v) for v in pivot.loc[name]), int(pivot.loc[name].sum())]
            for name in pivot.index]
    rows.append(["all shifts", None, None, *(int(v) for v in pivot.sum(axis=0)),
                 int(pivot.to_numpy().sum())])
    return (["template", "start", "paid hours", *days, "total"], rows,
            [None, _CLOCK, _HOURS, *([_COUNT] * len(days)), _COUNT])


def _breaks(plan: ShiftPlan) -> Sheet:
    table = plan.breaks.sort_values(["date", "shift_start", "template", "rule", "start"])
    rows = [[day.normalize(), template, shift_start, name, bool(paid), start, end, int(agents)]
            for day, template, shift_start, name, paid, start, end, agents in zip(
                table["date"], table["template"], table["shift_start"], table["break"],
                table["paid"], table["start"], table["end"], table["agents"], strict=True)]
    return (["date", "template", "shift start", "break", "paid", "start", "end", "agents"], rows,
            [_DAY, None, _STAMP, None, None, _STAMP, _STAMP, _COUNT])


def _coverage(plan: ShiftPlan) -> Sheet:
    cov = plan.coverage
    columns = list(cov.columns)
    rows = [[stamp, *values] for stamp, values in zip(
        cov.index, cov.itertuples(index=False, name=None), strict=True)]
    formats = [_SHARE if c == "service_level" else _HOURS for c in columns]
    return ["interval_start", *columns], rows, [_STAMP, *formats]


def _summary(plan: ShiftPlan, total_label: str = "total") -> Sheet:
    from ccsim.cli._schedule_work import per_day

    table = per_day(plan)
    formats: list[str | None] = [_HOURS, _HOURS, _HOURS, _HOURS, _HOURS, _COUNT, _HOURS]
    total: list[Any] = [total_label, *(table[c].sum() for c in table.columns)]
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
    return ["date", *table.columns], rows, [_DAY, *formats]


def _grouped(plan: ShiftPlan, names: list[str]) -> list[Sheet]:
    """The sheets of a plan of several groups, each with a ``group`` column.

    ``group`` comes first (in ``coverage`` second, after ``interval_start``, as in
    ``coverage.csv``); each group's rows in turn, with its own ``all shifts`` and
    ``total`` rows, then those of the whole plan (group ``all groups``: its ``all
    shifts``, each day and its ``total``: sums over the groups, and for ``peak
    required`` the peak of the groups' summed requirement).
    """
    from ccsim.cli._schedule_work import group_plan

    plans = {name: group_plan(plan, name) for name in names}
    days = sorted(set(plan.counts["date"].dt.normalize())
                  | set(plan.coverage.index.get_level_values(0).normalize()))
    sheets: list[Sheet] = []
    for build in (lambda p: _shifts_per_day(p, days), _breaks, _summary):
        header: list[Any] = []
        formats: list[str | None] = []
        rows: list[list[Any]] = []
        for name, one in plans.items():
            header, these, formats = build(one)
            rows += [[name, *row] for row in these]
        sheets.append((["group", *header], rows, [None, *formats]))
    summed = plan.coverage["required"].groupby(level=0).sum()
    peaks = summed.groupby(summed.index.normalize()).max()
    for (_, rows, _), labels, lead in ((sheets[0], ["all shifts"], 4),
                                       (sheets[2], [*days, "total"], 2)):
        for label in labels:
            ends = [row for row in rows if row[1] == label and row[0] != EVERY_GROUP]
            whole = [EVERY_GROUP, label, *([None] * (lead - 2))]
            whole += [sum(row[k] for row in ends) for k in range(lead, len(rows[0]))]
            if lead == 2:  # the summary's peak required: of the groups' summed requirement
                whole[6] = float(peaks.max() if label == "total" else peaks.get(label, 0.0))
            rows.append(whole)
    header, rows, formats = _coverage(plan)
    rows = [[stamp, group, *rest] for (stamp, group), *rest in rows]
    sheets.insert(2, ([header[0], "group", *header[1:]], rows, [_STAMP, None, *formats[1:]]))
    return sheets


def _solver(plan: ShiftPlan) -> Sheet:
    """One row per piece solved (a day, or a group's day): cost, bound, gap and why it stopped."""
    log = plan.solve_log
    columns = [] if log is None else [c for c in log.columns if c != "seconds"]
    formats = {"group": None, "start": _STAMP, "end": _STAMP, "cost": _HOURS, "bound": _HOURS,
               "gap": _SHARE, "status": None, "source": None}
    rows = [] if log is None else [list(r) for r in log[columns].itertuples(index=False)]
    return columns, rows, [formats.get(c) for c in columns]


def write_workbook(plan: ShiftPlan, out: IO[bytes]) -> None:
    """Write ``plan`` as an Excel workbook (the sheets of :data:`SHEETS`) to ``out``."""
    from openpyxl import Workbook

    from ccsim.cli._schedule_work import group_names

    book = Workbook()
    book.remove(book.active)
    names = group_names(plan)
    sheets = (_grouped(plan, names) if names
              else [_shifts_per_day(plan), _breaks(plan), _coverage(plan), _summary(plan)])
    sheets.append(_solver(plan))
    for title, (header, rows, formats) in zip(SHEETS, sheets, strict=True):
        first_day = title == SHEETS[0]
        _sheet(book, title, header, rows, formats, header_format=_DAY if first_day else None,
               freeze=("C2" if names else "B2") if first_day else "A2")
    book.save(out)
