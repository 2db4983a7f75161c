"""Input tables of ``ccsim roster`` and the center file (private): cells with line numbers.

A table is a CSV file (UTF-8, a header line, then one record per line; its records are
numbered by the file's lines, as an editor shows them) or an Excel workbook (``.xlsx``,
``.xlsm``; the first sheet or a named one, numbered by the sheet's rows). Each cell is
checked by one of the parsers below, whose message names the option, the file, the
line (or row), the column, the value and what is valid::

    --cover 'cover.csv' line 3, column start: must be a clock time HH:MM from 00:00 to
    23:59; got '25:00'

Needs only the standard library, and openpyxl for a workbook.
"""

from __future__ import annotations

import csv
import datetime
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccsim._validation import CCSimInputError

__all__ = ["Table", "read_table"]

#: Suffixes read as an Excel workbook; anything else is read as CSV.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: Largest number a count, hours or weight cell takes (above: a typo).
MAX_NUMBER = 1e9

#: The ``default`` of a cell that must not be blank.
REQUIRED: Any = object()

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::00)?", re.ASCII)
_YES = {"yes": True, "y": True, "true": True, "1": True,
        "no": False, "n": False, "false": False, "0": False}


def blank(value: Any) -> bool:
    """An empty cell: None, NaN or only spaces."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip())


def shown(value: Any) -> str:
    """A cell's value as the message shows it: quoted text, whatever its type."""
    if isinstance(value, datetime.datetime) and value == datetime.datetime.combine(
            value.date(), datetime.time()):
        value = value.date()
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return repr(str(value).strip() if isinstance(value, str) else str(value))


@dataclass(frozen=True)
class Table:
    """A table read from a file: its column names and its records with their numbers.

    Attributes
    ----------
    option : str
        The option that named the file, e.g. ``"--cover"``.
    path : pathlib.Path
        The file.
    columns : tuple of str
        The header's names, stripped, in file order.
    records : tuple of (int, dict)
        Per record: its line (CSV) or row (workbook) number, and its cells by column
        name (CSV: strings; workbook: what the cell holds; missing cells: None).
    unit : str
        ``"line"`` for CSV, ``"row"`` for a workbook.
    """

    option: str
    path: Path
    columns: tuple[str, ...]
    records: tuple[tuple[int, dict[str, Any]], ...]
    unit: str

    @property
    def shown(self) -> str:
        """The option and the file, as messages start: ``--cover 'cover.csv'``."""
        return f"{self.option} {str(self.path)!r}"

    def where(self, number: int, column: str | None = None) -> str:
        """``--cover 'cover.csv' line 3, column start``."""
        return f"{self.shown} {self.unit} {number}" + (f", column {column}" if column else "")

    def error(self, number: int, column: str | None, message: str) -> CCSimInputError:
        """A :class:`CCSimInputError` about one cell (or one record: ``column=None``)."""
        return CCSimInputError(f"{self.where(number, column)}: {message}")

    def check_columns(self, required: Sequence[str], optional: Sequence[str],
                      what: str) -> None:
        """Refuse a missing required column or an unknown one; ``what``: one record is ..."""
        allowed = (*required, *optional)
        listed = (", ".join(required) + " (required)"
                  + (f"; optional: {', '.join(optional)}" if optional else ""))
        for name in required:
            if name not in self.columns:
                hint = ("; the header looks separated by ';': save the file with commas"
                        if len(self.columns) == 1 and ";" in self.columns[0] else "")
                raise CCSimInputError(f"{self.shown}: no column {name!r}; the columns are "
                                      f"{listed}, one row per {what}{hint}")
        for name in self.columns:
            if name not in allowed:
                raise CCSimInputError(f"{self.shown}: unknown column {name!r}; the columns "
                                      f"are {listed}")
        if not self.records:
            raise CCSimInputError(f"{self.shown}: no rows under the header; give one row per "
                                  f"{what}")

    # ------------------------------------------------------------------ cells

    def text(self, number: int, record: dict[str, Any], column: str,
             default: str | None = None) -> str:
        """A cell's text, stripped; a blank cell gives ``default`` (None: refused)."""
        value = record.get(column)
        if blank(value):
            if default is None:
                raise self.error(number, column, "is empty; give a value")
            return default
        if isinstance(value, float) and value == int(value):
            value = int(value)
        return str(value).strip()

    def number(self, number: int, record: dict[str, Any], column: str, what: str, *,
               whole: bool = False, low: float = 0.0, high: float = MAX_NUMBER,
               default: Any = REQUIRED) -> Any:
        """A number within [low, high] (``whole``: an int); a blank cell gives ``default``
        (:data:`REQUIRED`: refused)."""
        value = record.get(column)
        if blank(value):
            if default is REQUIRED:
                raise self.error(number, column, f"is empty; give {what}")
            return default
        try:
            if isinstance(value, bool):
                raise ValueError
            result = float(value.strip()) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            result = math.nan
        if (not math.isfinite(result) or result < low or result > high
                or (whole and result != int(result))):
            raise self.error(number, column, f"must be {what}; got {shown(value)}")
        return int(result) if whole else result

    def date(self, number: int, record: dict[str, Any], column: str, what: str,
             first: datetime.date | None = None, last: datetime.date | None = None,
             ) -> datetime.date:
        """A day ``YYYY-MM-DD`` (or a workbook's date cell), within [first, last] if given."""
        value = record.get(column)
        if blank(value):
            raise self.error(number, column, f"is empty; give {what}")
        day = as_date(value)
        if day is None or (first is not None and day < first) or (
                last is not None and day > last):
            raise self.error(number, column, f"must be {what}; got {shown(value)}")
        return day

    def moment(self, number: int, record: dict[str, Any], column: str) -> datetime.datetime:
        """A date and time ``YYYY-MM-DD HH:MM[:SS]`` (or a workbook's date-time cell)."""
        value = record.get(column)
        what = "a date and time YYYY-MM-DD HH:MM:SS such as 1999-02-01 07:00:00"
        if blank(value):
            raise self.error(number, column, f"is empty; give {what}")
        stamp = value if isinstance(value, datetime.datetime) else None
        if isinstance(value, str):
            try:
                stamp = datetime.datetime.fromisoformat(value.strip())
            except ValueError:
                stamp = None
        if stamp is None or stamp.tzinfo is not None or stamp.microsecond:
            raise self.error(number, column, f"must be {what}; got {shown(value)}")
        return stamp

    def clock(self, number: int, record: dict[str, Any], column: str, *,
              allow_end: bool = False) -> int:
        """Minutes after midnight of ``HH:MM`` (``24:00`` too if ``allow_end``)."""
        value = record.get(column)
        top = "24:00" if allow_end else "23:59"
        what = f"a clock time HH:MM from 00:00 to {top}"
        if blank(value):
            raise self.error(number, column, f"is empty; give {what}")
        minutes = as_clock(value, allow_end)
        if minutes is None:
            raise self.error(number, column, f"must be {what}; got {shown(value)}")
        return minutes

    def flag(self, number: int, record: dict[str, Any], column: str, default: bool) -> bool:
        """yes/no, true/false, 1/0 (any case); a blank cell gives ``default``."""
        value = record.get(column)
        if blank(value):
            return default
        if isinstance(value, bool):
            return value
        word = str(int(value) if isinstance(value, float) and value == int(value) else value)
        if word.strip().lower() not in _YES:
            raise self.error(number, column, f"must be yes or no (true/false, 1/0); got "
                             f"{shown(value)}")
        return _YES[word.strip().lower()]


def as_date(value: Any) -> datetime.date | None:
    """A day from ``YYYY-MM-DD`` text or a date cell (midnight); None if it is not one."""
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else None
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text)
        stamp = datetime.datetime.fromisoformat(text)  # "2027-02-01 00:00:00" from pandas
    except ValueError:
        return None
    return stamp.date() if stamp.time() == datetime.time() and stamp.tzinfo is None else None


def as_clock(value: Any, allow_end: bool = False) -> int | None:
    """Minutes after midnight of ``HH:MM`` text or a time cell; None if it is not one."""
    if isinstance(value, datetime.time):
        return value.hour * 60 + value.minute if not (value.second or value.microsecond) \
            else None
    if not isinstance(value, str):
        return None
    match = _CLOCK.fullmatch(value.strip())
    if match is None or int(match[2]) > 59:
        return None
    minutes = int(match[1]) * 60 + int(match[2])
    return minutes if minutes <= (1440 if allow_end else 1439) else None


def _csv_records(path: Path, shown_path: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            rows = [(reader.line_num, row) for row in reader]
    except UnicodeDecodeError:
        raise CCSimInputError(f"{shown_path}: is not UTF-8 text; save it as CSV UTF-8 (or "
                              "give an .xlsx file)") from None
    except (csv.Error, OSError) as error:
        raise CCSimInputError(f"{shown_path}: cannot be read as CSV: "
                              f"{' '.join(str(error).split())}") from None
    rows = [(number, row) for number, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise CCSimInputError(f"{shown_path}: is empty; give a header line and one row per "
                              "record")
    return [cell.strip() for cell in rows[0][1]], rows[1:]


def _workbook_records(path: Path, shown_path: str, sheet: str | None
                      ) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # a file openpyxl cannot read: say so in one line
        raise CCSimInputError(f"{shown_path}: cannot be read as .xlsx: "
                              f"{' '.join(str(error).split()) or type(error).__name__}"
                              ) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise CCSimInputError(f"{shown_path}: has no sheet {sheet!r} (its sheets: "
                                  f"{', '.join(book.sheetnames)})")
        rows = [(number, list(row)) for number, row in enumerate(
            (book[sheet] if sheet is not None else book.worksheets[0]).iter_rows(
                values_only=True), start=1) if any(not blank(cell) for cell in row)]
    finally:
        book.close()
    if not rows:
        raise CCSimInputError(f"{shown_path}: its sheet is empty; give a header row and one "
                              "row per record")
    header = [cell.date().isoformat() if isinstance(cell, datetime.datetime)
              and as_date(cell) is not None else "" if cell is None else str(cell).strip()
              for cell in rows[0][1]]  # a date heading (roster.xlsx) as YYYY-MM-DD
    while header and header[-1] == "":  # cells formatted but empty at the right
        header.pop()
    return header, rows[1:]


def is_workbook(path: Path) -> bool:
    """Whether ``path`` is read as an Excel workbook (by its suffix)."""
    return path.suffix.lower() in WORKBOOK_SUFFIXES


def read_table(option: str, path: Path, what: str, sheet: str | None = None) -> Table:
    """Read ``path`` (CSV, or a workbook's first sheet or ``sheet``) given by ``option``.

    ``what`` names the file's content for the message of a missing file. Header names
    must be unique and not empty (a workbook's date heading becomes ``YYYY-MM-DD``); a
    record with more cells than the header is refused.
    """
    shown_path = f"{option} {str(path)!r}"
    if not path.is_file():
        raise CCSimInputError(f"{shown_path}: no such file; give {what}")
    workbook = is_workbook(path)
    header, rows = (_workbook_records(path, shown_path, sheet) if workbook
                    else _csv_records(path, shown_path))
    unit = "row" if workbook else "line"
    names = [str(cell) for cell in header]
    for i, name in enumerate(names):
        if name == "":
            raise CCSimInputError(f"{shown_path}: the header's column {i + 1} has no name; "
                                  "name every column")
        if name in names[:i]:
            raise CCSimInputError(f"{shown_path}: the header names column {name!r} twice; "
                                  "give each column once")
    records = []
    for number, row in rows:
        extra = [cell for cell in row[len(names):] if not blank(cell)]
        if extra:
            raise CCSimInputError(f"{shown_path} {unit} {number}: has {len(row)} cells, the "
                                  f"header {len(names)} (a cell too many: {shown(extra[0])}); "
                                  "quote a value that holds a comma")
        cells = [cell.strip() if isinstance(cell, str) else cell for cell in row]
        records.append((number, {name: cells[i] if i < len(cells) else None
                                 for i, name in enumerate(names)}))
    return Table(option=option, path=path, columns=tuple(names), records=tuple(records),
                 unit=unit)
