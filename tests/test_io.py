"""Tests of ccsim.io: the anonymous-bank reader, the generic reader, the packaged copy.

The real January 1999 file is looked for at ``$CCSIM_BANK_JANUARY`` or in the
project's shared data folder; tests that need it are skipped without it. The
packaged copy (``ccsim/data``) is always there.
"""

from __future__ import annotations

import doctest
import gzip
import importlib.util
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ccsim.io
from ccsim._validation import CCSimInputError
from ccsim.io import CALL_COLUMNS, calls_from_frame, load_example_calls, read_call_log

BANK_JANUARY = Path(
    os.environ.get("CCSIM_BANK_JANUARY", "/work/shared/data/anonymous-bank-1999/january.txt")
)
needs_bank = pytest.mark.skipif(not BANK_JANUARY.is_file(), reason="january.txt not available")
BANK_HEADER = (
    "vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\t"
    "q_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver"
)


@pytest.fixture(scope="module")
def bank() -> pd.DataFrame:
    if not BANK_JANUARY.is_file():
        pytest.skip("january.txt not available")
    return read_call_log(BANK_JANUARY)


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
@needs_bank
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


@needs_bank
def test_bank_january_midnight_queue_wait(bank):
    # Queued at 23:59:28 on 9 January, answered 35 s later at 0:00:03 on the 10th:
    # the logged q_time is used, not the clock difference.
    row = bank[bank["arrival"] == pd.Timestamp("1999-01-09 23:59:23")]
    assert row["queue_wait_seconds"].tolist() == [35.0]
    assert row["outcome"].tolist() == ["answered"]


@needs_bank
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
                      outcome_values=mapping)
    with pytest.raises(CCSimInputError, match=r"columns must be given for format='generic'"):
        read_call_log(path, format="generic")
    bad_wait = _generic_csv(tmp_path, "04/03/2024;08:10:00;Sales;ANS;soon;1;Ann\n")
    with pytest.raises(CCSimInputError, match=r"queue_wait_seconds must be seconds or h:mm:ss; "
                       r"got 'soon' on row 1"):
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
