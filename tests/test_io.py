"""Tests of ccsim.io: the anonymous-bank reader, the generic reader, the packaged copy.

The real January 1999 file is found in the shared data folder by
``tests/conftest.py`` (``$CCSIM_SHARED_DATA``, else ``<repository>/../shared/data``);
tests that need it are skipped without it, or fail when CCSIM_REQUIRE_SHARED_DATA
is set (CI). The packaged copy (``ccsim/data``) is always there.
"""

from __future__ import annotations

import doctest
import gzip
import importlib.util
import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ccsim.io
from ccsim._validation import CCSimInputError
from ccsim.io import CALL_COLUMNS, calls_from_frame, load_example_calls, read_call_log

BANK_JANUARY = "anonymous-bank-1999/january.txt"
BANK_HEADER = (
    "vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\t"
    "q_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver"
)


@pytest.fixture(scope="module")
def bank(shared_data) -> pd.DataFrame:
    return read_call_log(shared_data(BANK_JANUARY))


@pytest.fixture(scope="module")
def example() -> pd.DataFrame:
    return load_example_calls()


def _load_tool():
    spec = importlib.util.spec_from_file_location(
        "make_bank_data", Path(__file__).resolve().parents[1] / "tools" / "make_bank_data.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _check_schema(calls: pd.DataFrame) -> None:
    assert tuple(calls.columns) == CALL_COLUMNS
    assert "customer_id" not in calls.columns
    assert pd.api.types.is_datetime64_any_dtype(calls["arrival"])
    assert calls["priority"].dtype == np.int64
    for name in ("queue_wait_seconds", "service_seconds"):
        assert calls[name].dtype == np.float64
        assert (calls[name] >= 0).all()
    assert not calls.isna().any().any()
    assert set(calls["outcome"]) <= {"answered", "abandoned", "other"}
    assert all(isinstance(v, str) for v in calls["agent"])
    assert all(isinstance(v, str) for v in calls["call_type"])
    unanswered = calls["outcome"] != "answered"
    assert (calls.loc[unanswered, "service_seconds"] == 0).all()
    assert (calls.loc[unanswered, "agent"] == "").all()
    assert calls["arrival"].is_monotonic_increasing


# ------------------------------------------------------------- real january.txt
def test_bank_january_rows_and_outcomes(bank):
    # All 31,599 records are kept (none dropped); see SOURCE.md for the count.
    assert len(bank) == 31_599
    _check_schema(bank)
    # AGENT 27,060; HANG 4,299 = 3,101 after queueing + 1,198 left in the VRU;
    # PHANTOM 240. "other" = 1,198 + 240.
    assert bank["outcome"].value_counts().to_dict() == {
        "answered": 27_060,
        "abandoned": 3_101,
        "other": 1_438,
    }
    assert bank["call_type"].value_counts().to_dict() == {
        "PS": 22_998, "NW": 5_582, "NE": 1_586, "TT": 972, "IN": 295, "PE": 164, "AA": 2,
    }
    assert bank["arrival"].min() == pd.Timestamp("1999-01-01 00:00:08")
    assert bank["arrival"].max() == pd.Timestamp("1999-01-31 23:51:44")
    days = set(bank["arrival"].dt.day)
    assert days == set(range(1, 32)) - {11, 12}  # 11-12 January are missing from the source
    # 490 AGENT records name no server: answered, agent "".
    answered = bank[bank["outcome"] == "answered"]
    assert (answered["agent"] == "").sum() == 490
    assert answered["agent"].nunique() == 29  # 28 names and ""


def test_bank_january_midnight_queue_wait(bank):
    # Queued at 23:59:28 on 9 January, answered 35 s later at 0:00:03 on the 10th:
    # the logged q_time is used, not the clock difference.
    row = bank[bank["arrival"] == pd.Timestamp("1999-01-09 23:59:23")]
    assert row["queue_wait_seconds"].tolist() == [35.0]
    assert row["outcome"].tolist() == ["answered"]


def test_packaged_copy_is_the_anonymised_reader_output(bank, example):
    tool = _load_tool()
    pd.testing.assert_frame_equal(example, tool.anonymise(bank))
    packaged = ccsim.io.resources.files("ccsim.data").joinpath(ccsim.io.EXAMPLE_FILE)
    assert tool.to_csv_bytes(tool.anonymise(bank)) == packaged.read_bytes()


# --------------------------------------------------------------- packaged copy
def test_packaged_copy_schema(example):
    _check_schema(example)
    assert len(example) == 31_599
    assert example["outcome"].value_counts()["abandoned"] == 3_101
    agents = set(example["agent"]) - {""}
    assert agents == {f"A{number:02d}" for number in range(1, 29)}


def test_packaged_file_is_small_and_has_no_caller_ids():
    packaged = ccsim.io.resources.files("ccsim.data").joinpath(ccsim.io.EXAMPLE_FILE)
    data = packaged.read_bytes()
    assert len(data) < 300_000
    header = gzip.decompress(data).split(b"\n", 1)[0].decode()
    assert header.split(",") == list(CALL_COLUMNS)


# ------------------------------------------------------- small anonymous-bank file
def _bank_file(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "bank.txt"
    path.write_bytes(("\r\n".join([BANK_HEADER, *lines]) + "\r\n").encode())
    return path


SMALL_BANK = [
    # answered after queueing
    "AA0101\t1\t123456\t2\tPS\t990105\t10:00:00\t10:00:06\t6\t10:00:06\t10:00:26\t20\tAGENT"
    "\t10:00:26\t10:02:06\t100\tMICHAL",
    # left in the VRU before queueing: other
    "AA0101\t2\t0\t0\tNW\t990105\t10:05:00\t10:05:10\t10\t0:00:00\t0:00:00\t0\tHANG"
    "\t0:00:00\t0:00:00\t0\tNO_SERVER",
    # abandoned after 45 s in the queue; a server and ser_time are ignored
    "AA0101\t3\t77\t1\tNW\t990105\t10:06:00\t10:06:05\t5\t10:06:05\t10:06:50\t45\tHANG"
    "\t11:00:00\t11:00:09\t9\tDARMON",
    # phantom: other, its ser_time is ignored
    "AA0101\t4\t88\t2\tPS\t990105\t10:07:00\t10:07:05\t5\t10:07:05\t10:07:20\t15\tPHANTOM"
    "\t10:07:20\t10:07:30\t10\tNO_SERVER",
    # VRU entry before midnight, exit after: arrives on the next day;
    # answered at once by nobody named
    "AA0101\t5\t99\t0\tTT\t990105\t23:59:50\t0:00:10\t20\t0:00:00\t0:00:00\t0\tAGENT"
    "\t0:00:10\t0:00:40\t30\tNO_SERVER",
]


def test_small_bank_file(tmp_path):
    calls = read_call_log(_bank_file(tmp_path, SMALL_BANK))
    _check_schema(calls)
    assert calls["outcome"].tolist() == ["answered", "other", "abandoned", "other", "answered"]
    assert calls["queue_wait_seconds"].tolist() == [20.0, 0.0, 45.0, 15.0, 0.0]
    assert calls["service_seconds"].tolist() == [100.0, 0.0, 0.0, 0.0, 30.0]
    assert calls["agent"].tolist() == ["MICHAL", "", "", "", ""]
    assert calls["priority"].tolist() == [2, 0, 1, 2, 0]
    assert calls["arrival"].iloc[-1] == pd.Timestamp("1999-01-06 00:00:10")
    assert calls["arrival"].iloc[0] == pd.Timestamp("1999-01-05 10:00:06")


def test_bank_line_with_a_lost_tab(tmp_path):
    broken = SMALL_BANK[1].replace("\tNW", "   NW")  # as on line 7315 of october.txt
    path = _bank_file(tmp_path, [SMALL_BANK[0], broken, SMALL_BANK[2]])
    with pytest.raises(CCSimInputError, match=r"line 3 has fewer than 17 fields "
                       r".*bad_lines='skip'"):
        read_call_log(path)
    with pytest.warns(UserWarning, match=r"left out 1 line\(s\) of 'bank.txt'.*'3'"):
        calls = read_call_log(path, bad_lines="skip")
    assert len(calls) == 2


def test_bank_bad_values_name_the_line(tmp_path):
    bad_clock = SMALL_BANK[0].replace("10:00:06\t6", "10:0x:06\t6")
    with pytest.raises(CCSimInputError, match=r"vru_exit must be a clock time h:mm:ss; got "
                       r"'10:0x:06' on line 3"):
        read_call_log(_bank_file(tmp_path, [SMALL_BANK[1], bad_clock]))
    bad_outcome = SMALL_BANK[0].replace("AGENT", "SERVED")
    with pytest.raises(CCSimInputError, match=r"outcome must be one of \('AGENT', 'HANG', "
                       r"'PHANTOM'\); got 'SERVED' on line 2"):
        read_call_log(_bank_file(tmp_path, [bad_outcome]))


def test_bank_missing_fields(tmp_path):
    path = tmp_path / "other.txt"
    path.write_text("a\tb\n1\t2\n")
    with pytest.raises(CCSimInputError, match=r"is not an anonymous-bank call log: fields "
                       r"'priority', 'type', .* are missing \(it has 'a', 'b'\)"):
        read_call_log(path)


# ------------------------------------------------------------------ generic
GENERIC_COLUMNS = {
    "arrival": ("Date", "Time"),
    "call_type": "Queue",
    "outcome": "Result",
    "queue_wait_seconds": "Wait",
    "service_seconds": "Talk",
    "agent": "Agent",
}


def _generic_csv(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "acd.csv"
    path.write_text("Date;Time;Queue;Result;Wait;Talk;Agent\n" + rows)
    return path


def test_generic_csv(tmp_path):
    path = _generic_csv(
        tmp_path,
        "04/03/2024;08:10:00;Sales;ANS;0:00:12;0:03:20;Ann\n"
        "04/03/2024;08:05:30;Sales;ABN;45;;\n"
        "04/03/2024;08:20:00; Care ;ans;1:05;95;Bob\n"
        "04/03/2024;08:25:00;Care;TRF;0;30;Cy\n",
    )
    calls = read_call_log(
        path, format="generic", columns=GENERIC_COLUMNS, sep=";", dayfirst=True,
        outcome_values={"ANS": "answered", "ABN": "abandoned", "TRF": "other"},
    )
    _check_schema(calls)
    assert calls["arrival"].tolist() == list(
        pd.to_datetime(["2024-03-04 08:05:30", "2024-03-04 08:10:00", "2024-03-04 08:20:00",
                        "2024-03-04 08:25:00"])
    )
    assert calls["call_type"].tolist() == ["Sales", "Sales", "Care", "Care"]
    assert calls["outcome"].tolist() == ["abandoned", "answered", "answered", "other"]
    assert calls["queue_wait_seconds"].tolist() == [45.0, 12.0, 65.0, 0.0]
    assert calls["service_seconds"].tolist() == [0.0, 200.0, 95.0, 0.0]
    assert calls["agent"].tolist() == ["", "Ann", "Bob", ""]
    assert calls["priority"].tolist() == [0, 0, 0, 0]


def test_generic_defaults_and_one_arrival_column():
    frame = pd.DataFrame(
        {"start": ["2024-01-02 09:00:00"], "result": ["Answered"], "wait": [3], "talk": [60]}
    )
    calls = calls_from_frame(
        frame,
        {"arrival": "start", "outcome": "result", "queue_wait_seconds": "wait",
         "service_seconds": "talk"},
    )
    _check_schema(calls)
    assert calls.iloc[0].to_dict() == {
        "call_type": "all", "priority": 0, "arrival": pd.Timestamp("2024-01-02 09:00"),
        "queue_wait_seconds": 3.0, "outcome": "answered", "service_seconds": 60.0, "agent": "",
    }


def test_generic_errors(tmp_path):
    path = _generic_csv(tmp_path, "04/03/2024;08:10:00;Sales;ANS;12;;Ann\n")
    mapping = {"ANS": "answered"}
    with pytest.raises(CCSimInputError, match=r"service_seconds must be a number of seconds "
                       r">= 0 for an answered call; got nan on row 1"):
        read_call_log(path, format="generic", columns=GENERIC_COLUMNS, sep=";",
                      outcome_values=mapping)
    with pytest.raises(CCSimInputError, match=r"outcome \(column 'Result'\) has value\(s\) 'ANS' "
                       r"that outcome_values does not map; mapped values are 'answered', "):
        read_call_log(path, format="generic", columns=GENERIC_COLUMNS, sep=";")
    with pytest.raises(CCSimInputError, match=r"columns must map 'arrival', 'outcome', "
                       r"'queue_wait_seconds', 'service_seconds'; 'service_seconds' not given"):
        read_call_log(path, format="generic", sep=";",
                      columns={k: v for k, v in GENERIC_COLUMNS.items() if k != "service_seconds"})
    with pytest.raises(CCSimInputError, match=r"columns has unknown key\(s\) 'talk'; valid "
                       r"keys are 'call_type', "):
        read_call_log(path, format="generic", sep=";", columns={**GENERIC_COLUMNS, "talk": "T"})
    with pytest.raises(CCSimInputError, match=r"columns\['agent'\] names 'Who', not a column "
                       r"of the file; its columns are 'Date', 'Time', "):
        read_call_log(path, format="generic", sep=";", columns={**GENERIC_COLUMNS, "agent": "Who"})
    with pytest.raises(CCSimInputError, match=r"outcome_values must map to one of "
                       r"\('answered', 'abandoned', 'other'\); got \{'ANS': 'served'\}"):
        read_call_log(path, format="generic", columns=GENERIC_COLUMNS, sep=";",
                      outcome_values={"ANS": "served"})
    blank_type = _generic_csv(tmp_path, "04/03/2024;08:10:00;;ANS;12;5;Ann\n")
    with pytest.raises(CCSimInputError, match=r"call_type must be a name, not blank; got nan "
                       r"on row 1"):
        read_call_log(blank_type, format="generic", columns=GENERIC_COLUMNS, sep=";",
                      dayfirst=True, outcome_values=mapping)
    with pytest.raises(CCSimInputError, match=r"columns must be given for format='generic'"):
        read_call_log(path, format="generic")
    bad_wait = _generic_csv(tmp_path, "04/03/2024;08:10:00;Sales;ANS;soon;1;Ann\n")
    with pytest.raises(CCSimInputError, match=r"queue_wait_seconds must be seconds or h:mm:ss "
                       r"\(or mm:ss; minutes and seconds below 60\); got 'soon' on row 1"):
        read_call_log(bad_wait, format="generic", columns=GENERIC_COLUMNS, sep=";",
                      outcome_values=mapping)


def test_excel_without_openpyxl(tmp_path, monkeypatch):
    path = tmp_path / "acd.xlsx"
    path.write_bytes(b"not really a workbook")
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "openpyxl" else real(name, *a)
    )
    with pytest.raises(ImportError, match=r"'acd.xlsx' \(an Excel .xlsx file\) needs openpyxl"):
        read_call_log(path, format="generic", columns=GENERIC_COLUMNS)


# ------------------------------------------------------------------ bad input
def test_bad_input_messages(tmp_path):
    with pytest.raises(CCSimInputError, match=r"path must be an existing file; got "
                       r"'.*nowhere.txt' \(no such file\)"):
        read_call_log(tmp_path / "nowhere.txt")
    with pytest.raises(CCSimInputError, match=r"\(a directory\)"):
        read_call_log(tmp_path)
    with pytest.raises(CCSimInputError, match=r"format must be one of 'anonymous-bank', "
                       r"'generic'; got 'avaya'"):
        read_call_log(tmp_path / "x.txt", format="avaya")
    with pytest.raises(CCSimInputError, match=r"bad_lines must be 'error' or 'skip'; got 'drop'"):
        read_call_log(tmp_path / "x.txt", bad_lines="drop")
    other = tmp_path / "calls.json"
    other.write_text("{}")
    with pytest.raises(CCSimInputError, match=r"path must be a CSV or Excel file .*; got "
                       r"'calls.json'"):
        read_call_log(other, format="generic", columns=GENERIC_COLUMNS)
    with pytest.raises(CCSimInputError, match=r"columns and outcome_values are for "
                       r"format='generic'"):
        read_call_log(other, columns=GENERIC_COLUMNS)
    with pytest.raises(CCSimInputError, match=r"frame must be a pandas DataFrame; got list"):
        calls_from_frame([], GENERIC_COLUMNS)


def test_docstring_examples():
    result = doctest.testmod(ccsim.io, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


# --------------------------------------------------------------- shared data
def test_shared_data_is_found_beside_the_repository_or_by_variable(monkeypatch, tmp_path):
    import conftest

    monkeypatch.delenv("CCSIM_SHARED_DATA", raising=False)
    assert conftest.shared_data_dir() == conftest.REPOSITORY.parent / "shared" / "data"
    assert _load_tool().default_input() == conftest.shared_data_dir() / BANK_JANUARY
    monkeypatch.setenv("CCSIM_SHARED_DATA", str(tmp_path))
    assert conftest.shared_data_dir() == tmp_path
    assert _load_tool().default_input() == tmp_path / BANK_JANUARY
    monkeypatch.delenv("CCSIM_REQUIRE_SHARED_DATA", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"anonymous-bank-1999/january.txt not "
                       r"found in .*CCSIM_SHARED_DATA"):
        conftest.shared_data_file(BANK_JANUARY)
    monkeypatch.setenv("CCSIM_REQUIRE_SHARED_DATA", "1")
    with pytest.raises(pytest.fail.Exception, match=r"CCSIM_REQUIRE_SHARED_DATA is set"):
        conftest.shared_data_file(BANK_JANUARY)


def test_bank_october_lost_tabs_real_lines(shared_data):
    # October 1999 has two lines with a lost tab (SOURCE.md): 34,625 records, 2 left out
    path = shared_data("anonymous-bank-1999/october.txt")
    with pytest.raises(CCSimInputError, match=r"line 7315 has fewer than 17 fields \(2 such "
                       r"line\(s\): '7315', '14247'\); pass bad_lines='skip'"):
        read_call_log(path)
    with pytest.warns(UserWarning, match=r"left out 2 line\(s\) of 'october.txt'"):
        calls = read_call_log(path, bad_lines="skip")
    assert len(calls) == 34_623


# ------------------------------------------------------- files that cannot be read
def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


ONE_CALL = "Start,Queue,Result,Wait,Talk\n2024-01-01 08:00,Sales,answered,5,60\n"
COLUMNS = {"arrival": "Start", "call_type": "Queue", "outcome": "Result",
           "queue_wait_seconds": "Wait", "service_seconds": "Talk"}


def _generic(path: Path, **options):
    return read_call_log(path, format="generic", columns=COLUMNS, **options)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", r"'.*empty.csv' is empty: no header line, no rows"),
        ("latin.csv", ONE_CALL.replace("Sales", "Ventes é").encode("latin-1"),
         r"is not utf-8 text \(byte\(s\) b'\\xe9' on line 2\); pass its encoding, e.g. "
         r"encoding='cp1252'"),
        ("wide.csv", ONE_CALL.encode("utf-16"),
         r"\(byte\(s\) b'\\xff' on line 1\); it looks like UTF-16: pass encoding='utf-16'"),
        ("quote.csv", (ONE_CALL + '2024-01-01 08:05,"Sales,answered,5,60\n').encode(),
         r"has a quote \(\"\) opened on line 3 that is never closed"),
        ("wide_line.csv", (ONE_CALL + "2024-01-01 08:05,Sales,answered,5,60,extra\n").encode(),
         r"line 3 has 6 fields where the header has 5; pass bad_lines='skip'"),
        ("broken.csv.gz", gzip.compress(ONE_CALL.encode())[:-8],
         r"is not a valid gzip file \(EOFError: .*\); if it is plain text, rename it without "
         r"'.gz'"),
        ("plain.csv.gz", ONE_CALL.encode(), r"is not a valid gzip file \(BadGzipFile"),
        ("fake.xlsx", b"PK\x03\x04 not a workbook", r"is not an Excel workbook that can be "
         r"read \(BadZipFile: .*\); open it in Excel and save it as .xlsx, or as CSV"),
    ],
)
def test_unreadable_files_name_the_file_and_what_to_pass(tmp_path, name, data, message):
    with pytest.raises(CCSimInputError, match=message):
        _generic(_write(tmp_path, name, data))


def test_what_the_messages_advise_works(tmp_path):
    latin = _write(tmp_path, "latin.csv", ONE_CALL.replace("Sales", "Ventes é").encode("cp1252"))
    assert _generic(latin, encoding="cp1252")["call_type"].tolist() == ["Ventes é"]
    wide = _write(tmp_path, "wide.csv", ONE_CALL.encode("utf-16"))
    assert len(_generic(wide, encoding="utf-16")) == 1
    extra = _write(tmp_path, "extra.csv", (ONE_CALL + "2024-01-01 08:05,S,answered,5,6,x\n"
                                           "2024-01-01 08:10,S,answered,5,6\n").encode())
    with pytest.warns(UserWarning, match=r"read_call_log: left out 1 line\(s\) of 'extra.csv' "
                      r"with too many fields: '3'"):
        assert len(_generic(extra, bad_lines="skip")) == 2
    bank = _write(tmp_path, "bank.txt", ("\n".join([BANK_HEADER, SMALL_BANK[0]]) + "\n")
                  .replace("MICHAL", "MICHAÉL").encode("latin-1"))
    with pytest.raises(CCSimInputError, match=r"is not utf-8 text .*encoding='cp1252'"):
        read_call_log(bank)
    assert read_call_log(bank, encoding="latin-1")["agent"].tolist() == ["MICHAÉL"]


def test_excel_sheets_and_options(tmp_path):
    pytest.importorskip("openpyxl")
    path = tmp_path / "calls.xlsx"
    pd.read_csv(io.StringIO(ONE_CALL)).to_excel(path, index=False, sheet_name="Calls")
    assert len(_generic(path)) == 1 and len(_generic(path, sheet_name="Calls")) == 1
    for sheet in ("January", 3):
        with pytest.raises(CCSimInputError, match=rf"sheet_name {sheet!r} is not a sheet of "
                           r"'calls.xlsx'; its sheets are 'Calls' \(pass sheet_name="):
            _generic(path, sheet_name=sheet)
    with pytest.raises(CCSimInputError, match=r"sheet_name must be a sheet's name or its "
                       r"position from 0; got None"):
        _generic(path, sheet_name=None)
    with pytest.raises(CCSimInputError, match=r"encoding must be the name of a text encoding "
                       r"such as 'utf-8'.*; got 'klingon'"):
        _generic(path, encoding="klingon")
    with pytest.raises(CCSimInputError, match=r"sep must be one ASCII character such as ','"):
        _generic(path, sep=";;")


# ------------------------------------------------------------ values and dates
def test_times_with_several_utc_offsets_keep_their_wall_clock(tmp_path):
    # the fall-back night in Paris, exported with offsets: both 02:30 are local 02:30
    text = ("Start,Queue,Result,Wait,Talk\n2024-10-27T02:30:00+02:00,S,answered,1,10\n"
            "2024-10-27T02:30:00+01:00,S,answered,2,20\n2024-10-27T03:10:00Z,S,answered,3,30\n")
    calls = _generic(_write(tmp_path, "dst.csv", text.encode()))
    assert calls["arrival"].astype(str).tolist() == [
        "2024-10-27 02:30:00", "2024-10-27 02:30:00", "2024-10-27 03:10:00"]


def test_dates_pandas_cannot_hold_are_refused(tmp_path):
    path = _write(tmp_path, "far.csv", ONE_CALL.replace("2024", "3000").encode())
    with pytest.raises(CCSimInputError, match=r"arrival \(column 'Start'\) must be a date "
                       r"between 1677-09-22 and 2262-04-11 .*; got '3000-01-01 08:00' on row 1 "
                       r"\(file 'far.csv'"):
        _generic(path)


def test_invalid_clock_times_and_durations_are_refused(tmp_path):
    path = _generic_csv(tmp_path, "2024-03-04;25:61;Sales;ANS;0:00:12;0:03:20;Ann\n")
    with pytest.raises(CCSimInputError, match=r"arrival time \(column 'Time'\) must be a time "
                       r"of day 0:00-23:59 .*; got '25:61' on row 1"):
        read_call_log(path, format="generic", columns=GENERIC_COLUMNS, sep=";",
                      outcome_values={"ANS": "answered"})
    path = _generic_csv(tmp_path, "2024-03-04;08:10;Sales;ANS;1:75;0:03:20;Ann\n")
    with pytest.raises(CCSimInputError, match=r"queue_wait_seconds must be seconds or h:mm:ss "
                       r".*; got '1:75' on row 1"):
        read_call_log(path, format="generic", columns=GENERIC_COLUMNS, sep=";",
                      outcome_values={"ANS": "answered"})
    bank = _bank_file(tmp_path, [SMALL_BANK[0].replace("10:00:06\t6", "25:61:00\t6")])
    with pytest.raises(CCSimInputError, match=r"vru_exit must be a clock time h:mm:ss; got "
                       r"'25:61:00' on line 2"):
        read_call_log(bank)


def test_ambiguous_day_month_order_is_refused(tmp_path):
    rows = "".join(f"0{day}/02/2024;08:00:00;Sales;ANS;5;60;Ann\n" for day in range(1, 9))
    path = _generic_csv(tmp_path, rows)
    options = {"format": "generic", "columns": GENERIC_COLUMNS, "sep": ";",
               "outcome_values": {"ANS": "answered"}}
    with pytest.raises(CCSimInputError, match=r"arrival \(column 'Date'\) could be day-first or "
                       r"month-first: day-first gives 8 dates from 2024-02-01 to "
                       r"2024-02-08 \(consecutive days\), month-first 8 dates from "
                       r"2024-01-02 to 2024-08-02; pass dayfirst=True .* or arrival_format="):
        read_call_log(path, **options)
    day_first = read_call_log(path, dayfirst=True, **options)
    assert day_first["arrival"].dt.day.tolist() == list(range(1, 9))
    same = read_call_log(path, arrival_format="%d/%m/%Y", **options)
    pd.testing.assert_frame_equal(same, day_first)
    month_first = read_call_log(path, dayfirst=False, **options)
    assert month_first["arrival"].dt.month.tolist() == list(range(1, 9))
    later = _generic_csv(tmp_path, rows + "13/02/2024;08:00:00;Sales;ANS;5;60;Ann\n")
    assert len(read_call_log(later, **options)) == 9  # only day-first reads 13/02
    with pytest.raises(CCSimInputError, match=r"must be a date and time read month-first; got "
                       r"'13/02/2024' on row 9; read the other way round they are dates: pass "
                       r"dayfirst=True"):
        read_call_log(later, dayfirst=False, **options)


def test_duplicated_records_are_dropped_with_a_warning(tmp_path):
    path = _generic_csv(tmp_path, "04/03/2024;08:10:00;Sales;ANS;12;200;Ann\n"
                                  "04/03/2024;08:10:00;Sales;ANS;12;200;Ann\n"
                                  "04/03/2024;08:10:00;Sales;ANS;12;200;Bob\n"
                                  "04/03/2024;08:10:00;Sales;ANS;12;200;Ann\n")
    with pytest.warns(UserWarning, match=r"read_call_log: dropped 2 duplicated record\(s\), "
                      r"identical to an earlier one in every field: row\(s\) '2', '4'"):
        calls = read_call_log(path, format="generic", columns=GENERIC_COLUMNS, sep=";",
                              dayfirst=True, outcome_values={"ANS": "answered"})
    assert calls["agent"].tolist() == ["Ann", "Bob"]
    bank = _bank_file(tmp_path, [SMALL_BANK[0], SMALL_BANK[1], SMALL_BANK[0]])
    with pytest.warns(UserWarning, match=r"dropped 1 duplicated record\(s\), .*: line\(s\) '4'"):
        assert len(read_call_log(bank)) == 2
    # the same call table but another call id: two records, both kept
    other_id = SMALL_BANK[0].replace("AA0101\t1\t", "AA0101\t9\t")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(read_call_log(_bank_file(tmp_path, [SMALL_BANK[0], other_id]))) == 2


def test_absurd_numbers_are_refused(tmp_path):
    bank = _bank_file(tmp_path, [SMALL_BANK[0].replace("\t100\tMICHAL", "\t1e30\tMICHAL")])
    with pytest.raises(CCSimInputError, match=r"ser_time must be a whole number in \[0, 1e9\]; "
                       r"got '1e30' on line 2"):
        read_call_log(bank)
    frame = pd.DataFrame({"start": ["2024-01-02 09:00"], "result": ["answered"], "wait": [3],
                          "talk": [np.inf], "prio": [1e30]})
    columns = {"arrival": "start", "outcome": "result", "queue_wait_seconds": "wait",
               "service_seconds": "talk"}
    with pytest.raises(CCSimInputError, match=r"service_seconds must be a number of seconds "
                       r">= 0 for an answered call; got inf on row 1"):
        calls_from_frame(frame, columns)
    with pytest.raises(CCSimInputError, match=r"priority must be a whole number in \[0, 1e9\]"):
        calls_from_frame(frame.assign(talk=5), {**columns, "priority": "prio"})


def test_numeric_and_missing_call_types_and_outcomes():
    # a mixed column once failed with "'<' not supported between 'str' and 'float'"
    frame = pd.DataFrame({"start": ["2024-01-02 09:00", "2024-01-02 09:01", "2024-01-02 09:02"],
                          "queue": [1, "A", 2.5], "result": ["answered", "answered", np.nan],
                          "wait": [3, 4, 5], "talk": [60, 61, 62]})
    columns = {"arrival": "start", "outcome": "result", "queue_wait_seconds": "wait",
               "service_seconds": "talk", "call_type": "queue"}
    with pytest.raises(CCSimInputError, match=r"outcome \(column 'result'\) has value\(s\) '' "
                       r"that outcome_values does not map"):
        calls_from_frame(frame, columns)
    calls = calls_from_frame(frame.assign(result="answered"), columns)
    assert calls["call_type"].tolist() == ["1", "A", "2.5"]
    with pytest.raises(CCSimInputError, match=r"call_type must be a name, not blank; got nan on "
                       r"row 2"):
        calls_from_frame(frame.assign(result="answered", queue=["A", np.nan, " "]), columns)
