"""Read call-by-call logs into one flat table, and ccsim's built-in real example.

Every reader returns the same *call table*: a :class:`pandas.DataFrame` with one
row per call, sorted by arrival (ties keep file order), with these columns:

==================== ================ ==============================================
column               dtype            meaning
==================== ================ ==============================================
call_type            str              the call type (skill, queue, service line)
priority             int64            the caller's priority class (0 when unknown)
arrival              datetime64[ns]   when the caller reached the queue, i.e. left
                                      the IVR (VRU); naive local time
queue_wait_seconds   float64          time in the queue [s]; 0 if never queued
outcome              str              "answered", "abandoned" or "other"
service_seconds      float64          service (talk) time [s]; 0.0 for every call
                                      that was not answered
agent                str              who answered; "" when nobody (or unknown)
==================== ================ ==============================================

"other" marks calls that never waited for an agent and were not served (for the
anonymous bank: PHANTOM records and callers who left in the VRU before joining
the queue); :mod:`ccsim.arrivals` leaves them out of the offered calls.
Caller identities (the bank's ``customer_id``) are never read.

Bad input is a :class:`~ccsim._validation.CCSimInputError` naming the file, the
line or row and what to pass: text in another encoding (``encoding=``), a line with
too many fields (``bad_lines="skip"``), a missing sheet (``sheet_name=``), numeric
dates whose day/month order is ambiguous (``dayfirst=``, ``arrival_format=``), an
empty, truncated or mislabelled file, a clock time such as ``25:61``, a date pandas
cannot hold. A record exported twice (identical in every field) is dropped with a
warning that counts such records.

References
----------
.. [1] L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn and L. Zhao,
   "Statistical analysis of a telephone call center: a queueing-science
   perspective", Journal of the American Statistical Association 100(469),
   36-50, 2005, doi:10.1198/016214504000001808
.. [2] I. Guedj and A. Mandelbaum, "Anonymous bank call-center data", Technion
   Service Enterprise Engineering (SEE) lab,
   http://ie.technion.ac.il/serveng/callcenterdata/index.html
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from os import PathLike
from typing import Any

import pandas as pd

from ccsim._io.calls import CALL_COLUMNS, OUTCOMES, bank_calls, frame_calls
from ccsim._io.files import (
    CSV_SUFFIXES,
    EXCEL_SUFFIXES,
    check_options,
    existing_file,
    listing,
    read_csv_file,
    read_excel_file,
)
from ccsim._io.reports import interval_report_from_frame, read_interval_report
from ccsim._validation import CCSimInputError

__all__ = [
    "CALL_COLUMNS",
    "FORMATS",
    "OUTCOMES",
    "calls_from_frame",
    "interval_report_from_frame",
    "load_example_calls",
    "read_call_log",
    "read_interval_report",
]

FORMATS = ("anonymous-bank", "generic")
EXAMPLE_FILE = "anonymous_bank_1999_january.csv.gz"


# -------------------------------------------------------------------- public
def calls_from_frame(
    frame: pd.DataFrame,
    columns: Mapping[str, Any],
    *,
    outcome_values: Mapping[Any, str] | None = None,
    arrival_format: str | None = None,
    dayfirst: bool | None = None,
) -> pd.DataFrame:
    """Turn any table of calls (one row per call) into ccsim's call table.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per call, e.g. an ACD export already loaded.
    columns : dict
        ccsim column name -> the frame's column name. Required: ``arrival``,
        ``outcome``, ``queue_wait_seconds`` and ``service_seconds``; optional:
        ``call_type`` (default ``"all"``), ``priority`` (default 0) and ``agent``
        (default ``""``). ``arrival`` may name two columns, ``(date, time of day)``.
    outcome_values : dict, optional
        The file's outcome value -> ``"answered"``, ``"abandoned"`` or ``"other"``,
        compared without case or surrounding blanks (``{"ANS": "answered",
        "ABN": "abandoned"}``). By default the file must already use those three
        words. A value that is not mapped is an error, never silently "other".
    arrival_format : str, optional
        A :func:`pandas.to_datetime` format for ``arrival`` (e.g. ``"%d/%m/%Y %H:%M"``).
    dayfirst : bool, optional
        For numeric dates such as ``01/02/2024`` without ``arrival_format``: True reads
        them day-first (1 February), False month-first (2 January). None (default):
        the order that reads every row; if both orders read every row and give
        different dates, an error asks for ``dayfirst=`` or ``arrival_format=``.

    Returns
    -------
    pandas.DataFrame
        The call table described in :mod:`ccsim.io`.

    Notes
    -----
    Durations may be numbers of seconds, ``"h:mm:ss"`` / ``"mm:ss"`` strings
    (minutes and seconds below 60), times of day (Excel) or timedeltas. A blank
    ``service_seconds`` is allowed for calls that were not answered (it becomes
    0.0); a blank queue wait is not. A time of day (the second ``arrival`` column)
    is ``h:mm`` or ``h:mm:ss`` with hours 0-23, minutes and seconds 0-59
    (``"25:61"`` is refused). Arrivals with UTC offsets keep each row's wall-clock
    time and drop the offset, also when the offsets differ (a daylight-saving
    change). Arrivals must lie in 1677-09-22 to 2262-04-11 (pandas' Timestamp).

    Duplicated records: a row identical to an earlier row in every column of
    ``frame`` (not only the mapped ones) is a record exported twice; it is dropped,
    with one ``UserWarning`` that counts them and names their rows.

    Raises
    ------
    CCSimInputError
        If a column is missing or a value cannot be read; the message names the
        column, the value and its row (counted from 1).

    Warns
    -----
    UserWarning
        Duplicated records dropped.
    """
    return frame_calls(frame, columns, outcome_values=outcome_values,
                       arrival_format=arrival_format, dayfirst=dayfirst,
                       where="calls_from_frame", stacklevel=3)


def read_call_log(
    path: str | PathLike[str],
    format: str = "anonymous-bank",  # noqa: A002 - the public contract's name
    *,
    columns: Mapping[str, Any] | None = None,
    outcome_values: Mapping[Any, str] | None = None,
    arrival_format: str | None = None,
    dayfirst: bool | None = None,
    sep: str = ",",
    sheet_name: str | int = 0,
    encoding: str | None = None,
    bad_lines: str = "error",
) -> pd.DataFrame:
    """Read a call-by-call log into ccsim's call table (one row per call).

    Parameters
    ----------
    path : str or path-like
        The file.
    format : {"anonymous-bank", "generic"}
        ``"anonymous-bank"``: the Technion SEE lab's monthly files of the bank
        analysed by Brown et al. [1]_ (tab-separated, 17 fields, header row).
        ``"generic"``: any CSV (``.csv``, ``.txt``, ``.tsv``, compressed too) or
        Excel (``.xlsx``, ``.xlsm``; needs openpyxl) file with one row per call,
        read through ``columns`` (see :func:`calls_from_frame`).
    columns, outcome_values, arrival_format, dayfirst
        For ``"generic"`` only; see :func:`calls_from_frame`.
    sep : str
        Field separator of a generic CSV file (one character).
    sheet_name : str or int
        Sheet of a generic Excel file (name or 0-based position).
    encoding : str, optional
        Text encoding of a CSV or anonymous-bank file (default UTF-8; e.g.
        ``"cp1252"``, ``"latin-1"``, ``"utf-16"``).
    bad_lines : {"error", "skip"}
        What to do with a line with too many fields (or, in an anonymous-bank file,
        too few: October 1999 has two lines with a lost tab). ``"skip"`` leaves them
        out with one warning naming their line numbers.

    Returns
    -------
    pandas.DataFrame
        The call table described in :mod:`ccsim.io`, sorted by arrival.

    Notes
    -----
    Anonymous-bank rules (all 31,599 January 1999 records are kept):
    ``arrival`` is ``date`` + ``vru_exit`` (one day later if the VRU exit clock
    is more than 12 h before the entry clock); AGENT is "answered", HANG is
    "abandoned" if the call queued (``q_start`` set or ``q_time`` > 0) and
    "other" if the caller left in the VRU before queueing; PHANTOM is "other".
    ``queue_wait_seconds`` is ``q_time`` (0 if not queued), ``service_seconds``
    is ``ser_time`` for AGENT calls (0.0 otherwise), ``agent`` is ``server``
    ("" for NO_SERVER and unanswered calls), ``call_type`` is ``type``.
    The recorded durations are used rather than clock differences, so waits and
    services running past midnight are right.

    Duplicated records (a line identical to an earlier one in every field; for the
    bank, every field but the caller id) are dropped with one ``UserWarning`` that
    counts them and names their lines (rows for a generic file).

    Raises
    ------
    CCSimInputError
        Missing, empty or unreadable file (the message says which ``encoding=``,
        ``sheet_name=``, ``bad_lines=`` or ``sep=`` to pass), unknown format or
        suffix, missing fields or columns, a date order that is ambiguous, or a
        value that cannot be read (the message names it and its line or row).
    ImportError
        An Excel file without openpyxl installed.

    Warns
    -----
    UserWarning
        Lines left out (``bad_lines="skip"``) and duplicated records dropped.

    References
    ----------
    .. [1] L. Brown et al., "Statistical analysis of a telephone call center: a
       queueing-science perspective", JASA 100(469), 36-50, 2005,
       doi:10.1198/016214504000001808

    Examples
    --------
    >>> calls = read_call_log("acd_export.csv", format="generic", columns={
    ...     "arrival": "Start", "call_type": "Queue", "outcome": "Result",
    ...     "queue_wait_seconds": "Wait", "service_seconds": "Talk"},
    ...     outcome_values={"ANS": "answered", "ABN": "abandoned"})  # doctest: +SKIP
    """
    if not isinstance(format, str) or format not in FORMATS:
        raise CCSimInputError(f"format must be one of {listing(FORMATS)}; got {format!r}")
    check_options(sep, encoding, sheet_name, bad_lines)
    file = existing_file(path)
    if format == "anonymous-bank":
        if columns is not None or outcome_values is not None:
            raise CCSimInputError(
                "columns and outcome_values are for format='generic'; the anonymous-bank "
                "format has fixed fields")
        return bank_calls(file, encoding=encoding, bad_lines=bad_lines, stacklevel=3)
    if columns is None:
        raise CCSimInputError(
            "columns must be given for format='generic': a dict from ccsim column names "
            f"({listing(CALL_COLUMNS)}) to the file's column names")
    suffix = file.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        frame = read_excel_file(file, sheet_name)
    elif suffix in CSV_SUFFIXES:
        frame, _ = read_csv_file(file, where="read_call_log", sep=sep, encoding=encoding,
                                 bad_lines=bad_lines, stacklevel=3)
    else:
        raise CCSimInputError(
            f"path must be a CSV or Excel file (suffix one of {listing(CSV_SUFFIXES)}, "
            f"{listing(EXCEL_SUFFIXES)}); got {file.name!r}")
    try:
        return frame_calls(frame, columns, outcome_values=outcome_values,
                           arrival_format=arrival_format, dayfirst=dayfirst,
                           where="read_call_log", stacklevel=3)
    except CCSimInputError as error:
        rows = ", rows counted from 1 below the header" if " on row " in str(error) else ""
        raise CCSimInputError(f"{error} (file {file.name!r}{rows})") from None


def load_example_calls() -> pd.DataFrame:
    """The bank's January 1999 calls, shipped with ccsim, as a call table.

    31,599 calls of the small Israeli bank analysed by Brown et al. [1]_, from the
    Technion SEE lab's data [2]_, read by :func:`read_call_log` and stripped of
    everything identifying: no caller ids, agents renamed ``A01``, ``A02``, ...
    (see ``ccsim/data/README.md``). January 11 and 12 are missing from the source.

    Returns
    -------
    pandas.DataFrame
        The call table described in :mod:`ccsim.io`.

    References
    ----------
    .. [1] L. Brown et al., JASA 100(469), 36-50, 2005, doi:10.1198/016214504000001808
    .. [2] Technion SEE lab, http://ie.technion.ac.il/serveng/callcenterdata/index.html

    Examples
    --------
    >>> calls = load_example_calls()
    >>> len(calls), int((calls["outcome"] == "abandoned").sum())
    (31599, 3101)
    """
    source = resources.files("ccsim.data").joinpath(EXAMPLE_FILE)
    with source.open("rb") as handle:
        raw = pd.read_csv(handle, compression="gzip", dtype={"agent": str, "call_type": str},
                          keep_default_na=False)
    return frame_calls(raw, {name: name for name in CALL_COLUMNS}, outcome_values=None,
                       arrival_format="%Y-%m-%d %H:%M:%S", dayfirst=None,
                       where="load_example_calls", stacklevel=3)
