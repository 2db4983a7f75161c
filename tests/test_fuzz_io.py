"""Fuzz tests of ccsim.io: every public function, random and adversarial input.

Each reader and frame converter must give a valid table or raise CCSimInputError:
any other exception (a raw pandas, numpy, codec or openpyxl error) fails. Files are
random bytes, random rows of good and bad cells in several encodings and
separators, and hand-made broken files; arguments are of every wrong type. The
named cases of issue 9 are pinned in tests/test_io.py and tests/test_reports.py;
this file pins the deprecated names.
"""

from __future__ import annotations

import datetime
import gzip
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ccsim.io
from ccsim._io.reports import HISTORY_COLUMNS
from ccsim._validation import CCSimInputError
from ccsim.io import (
    CALL_COLUMNS,
    calls_from_frame,
    interval_report_from_frame,
    load_example_calls,
    read_call_log,
    read_interval_report,
)

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CALLS = {"arrival": "Start", "call_type": "Queue", "outcome": "Result",
         "queue_wait_seconds": "Wait", "service_seconds": "Talk"}
SUFFIXES = (".csv", ".txt", ".tsv", ".gz", ".zip", ".bz2", ".xz", ".xlsx", ".xlsm", ".json", "")
ENCODINGS = ("utf-8", "latin-1", "cp1252", "utf-16", "utf-8-sig")
WEIRD = [None, 0, -1, 1.5, 1e308, -1e308, np.nan, np.inf, True, "", "x", "nonsense", [],
         [1, 2], {}, {"a": 1}, (1,), b"bytes", object(), np.zeros((2, 2)), pd.NaT]

# cells as they appear in real exports, good and bad
DATES = ["2024-03-04 08:00", "2024-03-04 08:30:00", "2024-03-04T09:00:00+01:00",
         "2024-10-27T02:30:00+02:00", "2024-10-27T02:30:00+01:00", "04/03/2024 08:00",
         "13/02/2024 10:00", "02/13/2024 10:00", "01/02/24", "3000-01-01 08:00",
         "1600-01-01", "2024-02-30 08:00", "25:61", "08:00", "", "yesterday", "nan", "NaT"]
NUMBERS = ["0", "5", "12", "-1", "2.5", "1e30", "inf", "-inf", "nan", "1:05", "1:75", "0:00:12",
           "25:61:00", "", "soon", "9" * 30, "0x10", "85%", "0.85", "120%"]
WORDS = ["answered", "abandoned", "other", "ANSWERED", "", "nan", "Sales", "é", "\x00", '"',
         "a,b", "08:00 - 08:30", "8:00 PM", "24:00", "99:99"]
CELL = st.one_of(st.sampled_from(DATES + NUMBERS + WORDS),
                 st.text(max_size=8), st.integers(-10**20, 10**20).map(str),
                 st.floats(allow_nan=True, allow_infinity=True).map(repr))
OBJECT = st.one_of(st.sampled_from(DATES + NUMBERS + WORDS), st.none(), st.booleans(),
                   st.integers(-10**20, 10**20), st.floats(), st.text(max_size=6),
                   st.sampled_from([pd.Timestamp("2024-01-01 08:00"), datetime.time(8, 30),
                                    datetime.timedelta(seconds=30), pd.NaT, complex(1, 2),
                                    datetime.datetime(2024, 1, 1, 8), [1], {"a": 1}]))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz_io")


# --------------------------------------------------------------- validity
def assert_call_table(calls: pd.DataFrame) -> None:
    assert tuple(calls.columns) == CALL_COLUMNS
    assert calls["arrival"].dtype == "datetime64[ns]"
    assert calls["priority"].dtype == np.int64 and (calls["priority"] >= 0).all()
    for name in ("queue_wait_seconds", "service_seconds"):
        assert calls[name].dtype == np.float64
        assert np.isfinite(calls[name]).all() and (calls[name] >= 0).all()
    assert not calls.isna().any().any()
    assert set(calls["outcome"]) <= {"answered", "abandoned", "other"}
    assert all(isinstance(v, str) and v for v in calls["call_type"])
    assert calls["arrival"].is_monotonic_increasing


def assert_history(history: pd.DataFrame) -> None:
    assert tuple(history.columns) == HISTORY_COLUMNS
    assert history["interval_start"].dtype == "datetime64[ns]"
    for name in ("offered", "answered", "abandoned"):
        assert history[name].dtype == np.int64 and (history[name] >= 0).all()
    assert (history["offered"] == history["answered"] + history["abandoned"]).all()
    values = history[list(HISTORY_COLUMNS[5:])].to_numpy(dtype=float)
    assert not np.isinf(values).any()
    level = history["service_level"].dropna()
    assert ((level >= 0) & (level <= 1)).all()
    assert (history["answered_within"].fillna(0) <= history["answered"]).all()
    assert not history.duplicated(["interval_start", "call_type"]).any()
    assert history.attrs["interval_minutes"] in (15, 30, 60)


def outcome(function, *args, deprecated_ok=False, **kwargs):
    """The result, or None for a CCSimInputError; anything else raises (fails the test)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore" if deprecated_ok else "error", DeprecationWarning)
        try:
            return function(*args, **kwargs)
        except CCSimInputError as error:
            assert str(error)
            return None


def read_all(path: Path, **options) -> None:
    """Every reader on one file: valid tables or CCSimInputError."""
    calls = outcome(read_call_log, path, **options)
    if calls is not None:
        assert_call_table(calls)
    calls = outcome(read_call_log, path, format="generic", columns=CALLS, **options)
    if calls is not None:
        assert_call_table(calls)
    history = outcome(read_interval_report, path, **options)
    if history is not None:
        assert_history(history)


# ------------------------------------------------------------- random files
@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes(folder, data, suffix):
    path = folder / f"random{suffix}"
    path.write_bytes(data)
    read_all(path)


def _table(rows: list[list[str]], header: list[str], sep: str) -> str:
    return "\n".join(sep.join(line) for line in [header, *rows]) + "\n"


@FUZZ
@given(rows=st.lists(st.lists(CELL, min_size=4, max_size=7), min_size=0, max_size=8),
       sep=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(ENCODINGS),
       tell=st.booleans(), compress=st.booleans(), dayfirst=st.sampled_from([None, True, False]))
def test_random_rows_of_a_call_log(folder, rows, sep, encoding, tell, compress, dayfirst):
    header = ["Start", "Queue", "Result", "Wait", "Talk", "Agent", "Extra"][:max(map(len, rows),
                                                                              default=5)]
    data = _table(rows, header, sep).encode(encoding, errors="replace")
    path = folder / ("calls.csv.gz" if compress else "calls.csv")
    path.write_bytes(gzip.compress(data) if compress else data)
    options = {"sep": sep, "encoding": encoding if tell else None, "dayfirst": dayfirst}
    calls = outcome(read_call_log, path, format="generic", columns=CALLS, **options)
    if calls is not None:
        assert_call_table(calls)


@FUZZ
@given(rows=st.lists(st.lists(CELL, min_size=6, max_size=6), min_size=0, max_size=8),
       encoding=st.sampled_from(ENCODINGS), tell=st.booleans(),
       fill_gaps=st.booleans(), hours=st.sampled_from([None, ("08:00", "20:00"),
                                                        {"mon": ("07:00", "24:00")}]))
def test_random_rows_of_an_interval_report(folder, rows, encoding, tell, fill_gaps, hours):
    header = ["Interval", "Queue", "Offered", "Handled", "AHT", "SL"]
    path = folder / "report.csv"
    path.write_bytes(_table(rows, header, ",").encode(encoding, errors="replace"))
    history = outcome(read_interval_report, path, encoding=encoding if tell else None,
                      fill_gaps=fill_gaps, opening_hours=hours)
    if history is not None:
        assert_history(history)


@st.composite
def plausible_report(draw) -> tuple[list[list[str]], int | None]:
    """Rows of a nearly valid report (a few cells replaced), the offered calls if none was."""
    step = draw(st.sampled_from([15, 30, 60]))
    layout = draw(st.sampled_from(["%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M",
                                   "%Y-%m-%dT%H:%M:%S+01:00", "%d.%m.%Y %H:%M"]))
    slots = draw(st.lists(st.integers(0, 400), min_size=2, max_size=10, unique=True))
    queues = draw(st.sampled_from([["A"], ["A", "B"]]))
    percent = draw(st.booleans())
    rows, offered = [], 0
    for slot in sorted(slots):
        stamp = pd.Timestamp("2024-03-04 08:00") + pd.Timedelta(minutes=step * slot)
        for queue in queues:
            calls = draw(st.integers(0, 40))
            handled = draw(st.integers(0, calls))
            level = handled / calls if calls else 1.0
            rows.append([stamp.strftime(layout), queue, str(calls), str(handled),
                         draw(st.sampled_from(["180", "0:03:10", "95.5"])) if handled else "",
                         f"{100 * level:.3f}%" if percent else f"{level:.5f}"])
            offered += calls
    edits = draw(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 5), CELL), max_size=2))
    for row, column, cell in edits:
        rows[row % len(rows)][column] = cell
    return rows, None if edits else offered


@FUZZ
@given(report=plausible_report(), fill_gaps=st.sampled_from([True, True, False]),
       dayfirst=st.sampled_from([None, True, False]),
       hours=st.sampled_from([None, ("08:00", "20:00"), {"mon": ("07:00", "24:00")}]))
def test_nearly_valid_interval_reports(folder, report, fill_gaps, dayfirst, hours):
    rows, offered = report
    path = folder / "plausible.csv"
    path.write_text(_table(rows, ["Interval", "Queue", "Offered", "Handled", "AHT", "SL"], ","))
    history = outcome(read_interval_report, path, fill_gaps=fill_gaps, dayfirst=dayfirst,
                      opening_hours=hours, timezone="Europe/Paris")
    if history is not None:
        assert_history(history)
        assert offered is None or history["offered"].sum() == offered


@st.composite
def plausible_calls(draw) -> list[list[str]]:
    """Rows of a nearly valid generic call log, a few cells replaced."""
    layout = draw(st.sampled_from(["%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M",
                                   "%Y-%m-%dT%H:%M:%S-05:00"]))
    rows = []
    for _ in range(draw(st.integers(1, 10))):
        stamp = pd.Timestamp("2024-03-04") + pd.Timedelta(seconds=draw(st.integers(0, 9e5)))
        result = draw(st.sampled_from(["answered", "abandoned", "other"]))
        rows.append([stamp.strftime(layout), draw(st.sampled_from(["Sales", "Care"])), result,
                     draw(st.sampled_from(["0", "12", "0:00:45", "1:05"])),
                     draw(st.sampled_from(["60", "0:03:20", "0"] + [""] * (result != "answered")))])
    rows += draw(st.lists(st.sampled_from(rows), max_size=2))  # duplicated records
    for row, column, cell in draw(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 4),
                                                     CELL), max_size=2)):
        rows[row % len(rows)][column] = cell
    return rows


@FUZZ
@given(rows=plausible_calls(), dayfirst=st.sampled_from([None, True, False]))
def test_nearly_valid_call_logs(folder, rows, dayfirst):
    path = folder / "plausible_calls.csv"
    path.write_text(_table(rows, list(CALLS.values()), ","))
    calls = outcome(read_call_log, path, format="generic", columns=CALLS, dayfirst=dayfirst)
    if calls is not None:
        assert_call_table(calls)
        assert len(calls) == len({tuple(row) for row in rows})


BANK_HEADER = ("vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\t"
               "vru_time\tq_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver")
BANK_LINE = ("AA0101\t1\t123456\t2\tPS\t990105\t10:00:00\t10:00:06\t6\t10:00:06\t10:00:26\t20\t"
             "AGENT\t10:00:26\t10:02:06\t100\tMICHAL").split("\t")


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 17), CELL), max_size=6),
       lines=st.integers(1, 5), skip=st.booleans())
def test_mutated_bank_files(folder, edits, lines, skip):
    rows = [list(BANK_LINE) for _ in range(lines)]
    for row, field, cell in edits:
        target = rows[row % lines]
        if field < len(target):
            target[field] = cell
        else:
            target.append(cell)
    path = folder / "bank.txt"
    path.write_bytes(_table(rows, BANK_HEADER.split("\t"), "\t").encode("utf-8", "replace"))
    calls = outcome(read_call_log, path, bad_lines="skip" if skip else "error")
    if calls is not None:
        assert_call_table(calls)


def test_handmade_broken_files(folder):
    """Files a user could really have: truncated, mislabelled, other encodings."""
    good = "Start,Queue,Result,Wait,Talk\n2024-01-01 08:00,S,answered,5,60\n"
    broken = {
        "empty.csv": b"", "header.csv": good.splitlines()[0].encode(), "bom.csv":
        b"\xef\xbb\xbf" + good.encode(), "utf16.csv": good.encode("utf-16"), "utf16.txt":
        BANK_HEADER.encode("utf-16"), "truncated.csv.gz": gzip.compress(good.encode())[:20],
        "plain.csv.gz": good.encode(), "fake.xlsx": b"PK\x03\x04", "gzip.xlsx":
        gzip.compress(b"x"), "quote.csv": (good + '"2024\n').encode(), "nul.csv":
        good.replace("S", "\x00").encode(), "crlf.csv": good.replace("\n", "\r\n").encode(),
        "only_newlines.csv": b"\n\n\n", "binary.zip": b"PK\x05\x06" + b"\x00" * 18,
    }
    for name, data in broken.items():
        path = folder / name
        path.write_bytes(data)
        read_all(path)
        read_all(path, encoding="utf-16")
    read_all(folder)  # a directory
    read_all(folder / "missing.csv")
    with tempfile.TemporaryDirectory() as empty:
        read_all(Path(empty) / "none.txt")


# ------------------------------------------------------------------ frames
def _frame(columns: list[str], cells: list[list]) -> pd.DataFrame:
    return pd.DataFrame([row[:len(columns)] + [None] * (len(columns) - len(row))
                         for row in cells], columns=columns, dtype=object)


@FUZZ
@given(cells=st.lists(st.lists(OBJECT, min_size=5, max_size=5), max_size=6),
       arrival_format=st.sampled_from([None, "%Y-%m-%d %H:%M", "%d/%m/%Y", "%Q", 5]),
       dayfirst=st.sampled_from([None, True, False, "yes"]))
def test_calls_from_random_frames(cells, arrival_format, dayfirst):
    frame = _frame(list(CALLS.values()), cells)
    calls = outcome(calls_from_frame, frame, CALLS, arrival_format=arrival_format,
                    dayfirst=dayfirst)
    if calls is not None:
        assert_call_table(calls)
    typed = frame.infer_objects()
    calls = outcome(calls_from_frame, typed, CALLS, arrival_format=arrival_format,
                    dayfirst=dayfirst)
    if calls is not None:
        assert_call_table(calls)


@FUZZ
@given(cells=st.lists(st.lists(OBJECT, min_size=7, max_size=7), max_size=6),
       interval_minutes=st.sampled_from([None, 15, 30, 60, 20, 30.0, "30min", -1]),
       timezone=st.sampled_from([None, "Europe/Paris", "UTC", "Mars/Olympus", "", 5]),
       basis=st.sampled_from(["offered", "answered", "x"]))
def test_interval_reports_from_random_frames(cells, interval_minutes, timezone, basis):
    frame = _frame(["Date", "Interval", "Queue", "Offered", "Handled", "AHT", "SL %"], cells)
    for table in (frame, frame.infer_objects()):
        history = outcome(interval_report_from_frame, table, None, interval_minutes,
                          timezone=timezone, service_level_basis=basis,
                          deprecated_ok=True)  # "30min": the old freq
        if history is not None:
            assert_history(history)


# ------------------------------------------------------------------ arguments
READERS = {
    read_call_log: ("format", "columns", "outcome_values", "arrival_format", "dayfirst", "sep",
                    "sheet_name", "encoding", "bad_lines"),
    read_interval_report: ("columns", "interval_minutes", "timezone", "fill_gaps",
                           "opening_hours", "service_level_basis", "answer_within_seconds",
                           "date_format", "dayfirst", "sep", "sheet_name", "encoding",
                           "bad_lines", "max_intervals"),
}
REPORT = ("Interval,Queue,Offered,Handled,AHT,SL\n2024-03-04 08:00,S,10,9,180,80%\n"
          "2024-03-04 08:30,S,12,10,0:03:10,50%\n")


@FUZZ
@given(reader=st.sampled_from(list(READERS)), data=st.data(),
       value=st.sampled_from(WEIRD) | st.text(max_size=5) | st.integers() | st.floats())
def test_every_keyword_with_wrong_values(folder, reader, data, value):
    keyword = data.draw(st.sampled_from(READERS[reader]))
    path = folder / "report.csv"
    path.write_text(REPORT)
    options = {"format": "generic", "columns": CALLS} if reader is read_call_log else {}
    options[keyword] = value
    result = outcome(reader, path, deprecated_ok=True, **options)
    if result is not None:
        (assert_call_table if reader is read_call_log else assert_history)(result)


@FUZZ
@given(path=st.sampled_from(WEIRD) | st.text(max_size=20) | st.binary(max_size=10))
def test_every_path_of_the_wrong_kind(path):
    for reader in (read_call_log, read_interval_report):
        assert outcome(reader, path) is None


@FUZZ
@given(columns=st.sampled_from(WEIRD) | st.dictionaries(
    st.sampled_from([*CALL_COLUMNS, "interval", "offered", "x"]),
    st.sampled_from(WEIRD + ["Start", "Queue", ("Start", "Queue"), ["Start"]]), max_size=5),
    outcome_values=st.sampled_from(WEIRD) | st.dictionaries(
        st.sampled_from(WEIRD[:8] + ["answered"]), st.sampled_from(WEIRD[:8] + ["other"]),
        max_size=3))
def test_frame_converters_with_wrong_mappings(columns, outcome_values):
    frame = pd.DataFrame({"Start": ["2024-01-01 08:00"], "Queue": ["S"], "Result": ["answered"],
                          "Wait": [5], "Talk": [60]})
    calls = outcome(calls_from_frame, frame, columns, outcome_values=outcome_values)
    if calls is not None:
        assert_call_table(calls)
    history = outcome(interval_report_from_frame, frame, columns)
    if history is not None:
        assert_history(history)
    for not_a_frame in (None, [1], {"a": [1]}, np.zeros((2, 2)), frame.to_numpy()):
        assert outcome(calls_from_frame, not_a_frame, columns) is None
        assert outcome(interval_report_from_frame, not_a_frame, columns) is None


def test_example_calls_are_a_valid_table():
    assert_call_table(load_example_calls())


def test_every_public_function_is_fuzzed():
    fuzzed = {"calls_from_frame", "interval_report_from_frame", "load_example_calls",
              "read_call_log", "read_interval_report"}
    public = {name for name in ccsim.io.__all__ if callable(getattr(ccsim.io, name))}
    assert public == fuzzed


# ------------------------------------------------------------ deprecated names
def test_freq_warns_and_gives_the_same_as_interval_minutes(folder):
    path = folder / "report.csv"
    path.write_text(REPORT)
    new = read_interval_report(path, interval_minutes=30)
    frame = pd.read_csv(path)
    for old_call in (lambda: read_interval_report(path, freq="30min"),
                     lambda: read_interval_report(path, None, "30min"),
                     lambda: interval_report_from_frame(frame, freq="30min"),
                     lambda: interval_report_from_frame(frame, None, "30min")):
        with pytest.warns(DeprecationWarning, match=r"freq= is deprecated .*; use "
                          r"interval_minutes="):
            old = old_call()
        pd.testing.assert_frame_equal(old, new)
        assert old.attrs["interval_minutes"] == 30
