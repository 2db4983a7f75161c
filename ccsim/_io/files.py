"""Open a user's file and read it into a DataFrame, turning every library error into ours.

The readers of :mod:`ccsim.io` go through :func:`read_csv_file` and
:func:`read_excel_file`: an empty file, text that is not in the expected encoding,
a corrupt compressed file, a broken quote, a line with too many fields, a workbook
openpyxl cannot open or a sheet that is not there becomes a
:class:`~ccsim._validation.CCSimInputError` naming the file, the line where known,
and the argument to pass (``encoding=``, ``sheet_name=``, ``bad_lines=``, ``sep=``).
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import importlib.util
import lzma
import re
import warnings
import zipfile
import zlib
from os import PathLike
from pathlib import Path
from typing import IO, Any

import pandas as pd

from ccsim._validation import CCSimInputError

__all__ = ["CSV_SUFFIXES", "EXCEL_SUFFIXES", "check_options", "existing_file", "listing",
           "read_csv_file", "read_excel_file"]

CSV_SUFFIXES = (".csv", ".txt", ".tsv", ".gz", ".zip", ".bz2", ".xz")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_COMPRESSED = {".gz": "gzip", ".zip": "zip", ".bz2": "bzip2", ".xz": "xz"}
# Decompression errors of the standard library (BadGzipFile and bz2's are OSErrors).
_DECOMPRESSION_ERRORS = (EOFError, OSError, zlib.error, zipfile.BadZipFile, lzma.LZMAError)
_CHUNK = 1 << 20  # bytes decoded at a time when looking for the first undecodable byte


def listing(values: Any, limit: int = 8) -> str:
    """``'a', 'b', 'c' and 5 more``."""
    values = [str(v) for v in values]
    more = f" and {len(values) - limit} more" if len(values) > limit else ""
    return ", ".join(repr(v) for v in values[:limit]) + more


def hashable(value: Any) -> bool:
    """Whether ``value`` can name a column (a list given as a heading cannot)."""
    try:
        hash(value)
    except TypeError:
        return False
    return True


def check_unique_columns(frame: pd.DataFrame, what: str) -> None:
    """Refuse a table with two columns of one name (which column would be read?)."""
    twice = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
    if twice:
        raise CCSimInputError(f"{what} has several columns named {listing(twice)}; rename "
                              "them so that each name is used once")


def existing_file(path: Any) -> Path:
    """``path`` as a :class:`~pathlib.Path` to an existing file, or an input error."""
    if not isinstance(path, (str, PathLike)):
        raise CCSimInputError(f"path must be a file path (str or Path); got {type(path).__name__}")
    try:
        file = Path(path)
        is_file, is_dir = file.is_file(), file.is_dir()
    except (OSError, ValueError) as error:  # e.g. a NUL byte or a name too long
        raise CCSimInputError(f"path must be a file path; got {str(path)!r} ({error})") from None
    if not is_file:
        reason = "a directory" if is_dir else "no such file"
        raise CCSimInputError(f"path must be an existing file; got {str(path)!r} ({reason})")
    return file


def check_options(sep: Any, encoding: Any, sheet_name: Any, bad_lines: Any) -> None:
    """Refuse a separator, encoding, sheet or bad-lines choice that cannot work."""
    if not isinstance(sep, str) or len(sep) != 1 or not sep.isascii() or sep in "\"\r\n\x00":
        raise CCSimInputError(
            f"sep must be one ASCII character such as ',', ';' or '\\t'; got {sep!r}")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except (LookupError, TypeError, ValueError):
            raise CCSimInputError(
                f"encoding must be the name of a text encoding such as 'utf-8', 'cp1252' or "
                f"'utf-16'; got {encoding!r}") from None
    if isinstance(sheet_name, bool) or not isinstance(sheet_name, (str, int)) or (
            isinstance(sheet_name, int) and sheet_name < 0):
        raise CCSimInputError(
            f"sheet_name must be a sheet's name or its position from 0; got {sheet_name!r}")
    if not isinstance(bad_lines, str) or bad_lines not in ("error", "skip"):
        raise CCSimInputError(f"bad_lines must be 'error' or 'skip'; got {bad_lines!r}")


# ------------------------------------------------------------------------ CSV
def _open_binary(file: Path) -> IO[bytes]:
    """The file's bytes, decompressed as its suffix says (as pandas reads it)."""
    suffix = file.suffix.lower()
    if suffix == ".gz":
        return gzip.open(file, "rb")
    if suffix == ".bz2":
        return bz2.open(file, "rb")
    if suffix == ".xz":
        return lzma.open(file, "rb")
    if suffix == ".zip":
        archive = zipfile.ZipFile(file)
        return archive.open(archive.namelist()[0])
    return open(file, "rb")


def _undecodable(file: Path, encoding: str) -> tuple[int, bytes, bytes]:
    """Line, bad bytes and the file's first bytes where ``encoding`` first fails."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line, head = 1, b""
    try:
        with _open_binary(file) as handle:
            while chunk := handle.read(_CHUNK):
                head = head or chunk[:4]
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    start = max(error.start, 0)
                    return line + chunk[:start].count(b"\n"), error.object[start:error.end], head
                except UnicodeError:  # e.g. "UTF-16 stream does not start with BOM"
                    return line, chunk[:2], head
                line += chunk.count(b"\n")
            decoder.decode(b"", final=True)
    except UnicodeError:  # the file ends inside a character
        return max(line - 1, 1), b"", head
    except (*_DECOMPRESSION_ERRORS, IndexError):
        pass
    return 0, b"", head


def _decode_error(file: Path, encoding: str | None) -> CCSimInputError:
    used = encoding or "utf-8"
    line, bad, head = _undecodable(file, used)
    where = (f" (byte(s) {bad!r} on line {line})" if bad else f" (on line {line})") if line else ""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        advice = "it looks like UTF-16: pass encoding='utf-16'"
    elif used.replace("-", "").replace("_", "").lower() in ("utf8", "utf8sig"):
        advice = ("pass its encoding, e.g. encoding='cp1252' (Windows, Western Europe) or "
                  "encoding='latin-1'")
    else:
        advice = "pass the file's encoding with encoding= (e.g. 'utf-8', 'cp1252', 'utf-16')"
    return CCSimInputError(
        f"path {str(file)!r} is not {used} text{where}; {advice}")


def _parser_error(file: Path, error: Exception) -> CCSimInputError:
    text = str(error).strip()
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if fields:
        want, line, saw = fields.groups()
        return CCSimInputError(
            f"path {str(file)!r} line {line} has {saw} fields where the header has {want}; "
            "pass bad_lines='skip' to leave such lines out (or check sep=)")
    quote = re.search(r"EOF inside string starting at row (\d+)", text)
    if quote:
        return CCSimInputError(
            f"path {str(file)!r} has a quote (\") opened on line {int(quote.group(1)) + 1} "
            "that is never closed; fix or remove that quote (or check sep=)")
    return CCSimInputError(f"path {str(file)!r} cannot be read as CSV ({text}); check sep=")


def _skipped_lines(caught: list[warnings.WarningMessage]) -> list[int]:
    """Line numbers from pandas' ``Skipping line N`` warnings; re-issue the others."""
    lines: list[int] = []
    for warning in caught:
        found = re.findall(r"Skipping line (\d+)", str(warning.message))
        if issubclass(warning.category, pd.errors.ParserWarning) and found:
            lines.extend(int(n) for n in found)
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename,
                                   warning.lineno)
    return lines


def read_csv_file(file: Path, *, where: str, sep: str, encoding: str | None, bad_lines: str,
                  stacklevel: int, **options: Any) -> tuple[pd.DataFrame, list[int]]:
    """:func:`pandas.read_csv` with its errors named, and ``bad_lines='skip'`` in one warning.

    Returns the frame and the file lines left out (too many fields). ``where`` (the
    public function) starts the warning; ``stacklevel`` points it at the user's call.
    """
    suffix = file.suffix.lower()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = pd.read_csv(file, sep=sep, encoding=encoding,
                                on_bad_lines="warn" if bad_lines == "skip" else "error",
                                **options)
        except pd.errors.EmptyDataError:
            raise CCSimInputError(
                f"path {str(file)!r} is empty: no header line, no rows") from None
        except UnicodeError:
            raise _decode_error(file, encoding) from None
        except pd.errors.ParserError as error:
            raise _parser_error(file, error) from None
        except PermissionError:
            raise CCSimInputError(f"path {str(file)!r} cannot be read: permission denied"
                                  ) from None
        except _DECOMPRESSION_ERRORS as error:
            kind = _COMPRESSED.get(suffix)
            what = f"a valid {kind} file" if kind else "readable"
            raise CCSimInputError(
                f"path {str(file)!r} is not {what} ({type(error).__name__}: {error}); "
                + (f"if it is plain text, rename it without {suffix!r}" if kind else
                   "check the file")) from None
        except ValueError as error:  # zip archives with no or several files, and the like
            raise CCSimInputError(f"path {str(file)!r} cannot be read ({error})") from None
    skipped = _skipped_lines(caught)
    if skipped:
        warnings.warn(
            f"{where}: left out {len(skipped)} line(s) of {file.name!r} with too many fields: "
            f"{listing(skipped)}", UserWarning, stacklevel=stacklevel)
    return frame, skipped


# ---------------------------------------------------------------------- Excel
def read_excel_file(file: Path, sheet_name: str | int) -> pd.DataFrame:
    """One sheet of a workbook, via openpyxl; a missing sheet's message lists the sheets."""
    suffix = file.suffix.lower()
    if importlib.util.find_spec("openpyxl") is None:
        raise ImportError(
            f"reading {file.name!r} (an Excel {suffix} file) needs openpyxl, which ccsim "
            "does not install: run `pip install openpyxl`, or save the sheet as CSV")
    try:
        with pd.ExcelFile(file, engine="openpyxl") as book:
            names = list(book.sheet_names)
            if isinstance(sheet_name, int) and sheet_name >= len(names) or (
                    isinstance(sheet_name, str) and sheet_name not in names):
                raise CCSimInputError(
                    f"sheet_name {sheet_name!r} is not a sheet of {file.name!r}; its sheets are "
                    f"{listing(names)} (pass sheet_name= a name, or a position from 0)")
            return pd.read_excel(book, sheet_name=sheet_name)
    except (CCSimInputError, MemoryError):
        raise
    except Exception as error:  # openpyxl fails in many ways on what is not a workbook
        raise CCSimInputError(
            f"path {str(file)!r} is not an Excel workbook that can be read "
            f"({type(error).__name__}: {error}); open it in Excel and save it as .xlsx, or as "
            "CSV") from None
