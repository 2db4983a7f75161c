"""Tests of the ACD interval-report reader (ccsim._io.reports, exposed as ccsim.io).

Every test writes a small real file to ``tmp_path`` and reads it back.
"""

from __future__ import annotations

import importlib.util
import warnings

import numpy as np
import pandas as pd
import pytest

from ccsim._io.reports import HISTORY_COLUMNS, interval_report_from_frame, read_interval_report
from ccsim._validation import CCSimInputError
from ccsim.arrivals import history_from_calls

REPORT = """Interval,Queue,Offered,Handled,Abandoned,AHT,ASA,SL %
2024-03-04 08:00,Sales,10,9,1,00:03:00,12,80%
2024-03-04 08:00,Support,4,4,0,240,5.5,100%
2024-03-04 08:30,Sales,12,10,2,190.5,0:20,50%
2024-03-04 08:30,Support,0,0,0,,,
2024-03-04 09:00,Sales,8,8,0,200,3,100%
2024-03-04 09:00,Support,5,3,2,300,40,40%
"""


def write(tmp_path, text: str, name: str = "report.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_reads_a_report_into_the_history_table(tmp_path):
    history = read_interval_report(write(tmp_path, REPORT), answer_within_seconds=20)
    assert tuple(history.columns) == HISTORY_COLUMNS
    assert list(history["call_type"]) == ["Sales", "Support"] * 3
    assert history["interval_start"].dtype == "datetime64[ns]"
    assert history["offered"].tolist() == [10, 4, 12, 0, 8, 5]
    assert history["answered"].tolist() == [9, 4, 10, 0, 8, 3]
    assert history["offered"].dtype == np.int64
    # AHT: h:mm:ss and seconds; blank where nothing was answered -> 0
    assert history["aht_seconds"].tolist() == [180.0, 240.0, 190.5, 0.0, 200.0, 300.0]
    assert history["asa_seconds"].tolist() == [12.0, 5.5, 20.0, 0.0, 3.0, 40.0]
    # answered_within = round(SL x offered); service level recomputed from it
    assert history["answered_within"].tolist() == [8, 4, 6, 0, 8, 2]
    assert history["service_level"].tolist() == [0.8, 1.0, 0.5, 1.0, 1.0, 0.4]
    # short abandons are unknown except where nothing was abandoned
    assert history["abandoned_within"].isna().tolist() == [True, False, True, False, False, True]
    assert history.attrs["not_in_report"] == ["abandoned_within"]
    assert history.attrs["freq"] == "30min"
    assert history.attrs["columns"]["aht_seconds"] == "AHT"
    assert history.attrs["answer_within_seconds"] == 20


def test_same_table_as_history_from_calls(tmp_path):
    calls = pd.DataFrame({
        "call_type": ["A", "A", "A", "B"],
        "arrival": pd.to_datetime(["2024-01-01 08:05", "2024-01-01 08:20", "2024-01-01 08:40",
                                   "2024-01-01 08:10"]),
        "queue_wait_seconds": [5.0, 40.0, 12.0, 3.0],
        "outcome": ["answered", "answered", "abandoned", "answered"],
        "service_seconds": [100.0, 200.0, 0.0, 60.0]})
    expected = history_from_calls(calls, interval_minutes=30, answer_within_seconds=20)
    # the ACD's interval report for the same calls: only the two busy intervals
    text = ("Date;Interval;Skill;Calls Offered;Calls Answered;Answered within SL;"
            "Short abandons;Avg Handle Time (s);ASA (s)\n"
            "01/01/2024;08:00 - 08:30;A;2;2;1;0;150;22.5\n"
            "01/01/2024;08:00 - 08:30;B;1;1;1;0;60;3\n"
            "01/01/2024;08:30 - 09:00;A;1;0;0;1;;\n")
    with pytest.warns(UserWarning, match=r"filled 93 missing interval\(s\) with zero calls"):
        report = read_interval_report(write(tmp_path, text), sep=";", fill_gaps=True,
                                      dayfirst=True)
    pd.testing.assert_frame_equal(report, expected, check_dtype=False)
    assert report.attrs["not_in_report"] == []


def test_counts_derived_from_two_of_three(tmp_path):
    text = "start,offered,abandoned\n2024-01-01 10:00,10,3\n2024-01-01 11:00,5,0\n"
    history = read_interval_report(write(tmp_path, text))
    assert history["answered"].tolist() == [7, 5]
    assert set(history["call_type"]) == {"all"} and history.attrs["freq"] == "60min"
    assert history.attrs["not_in_report"] == [
        "answered_within", "abandoned_within", "aht_seconds", "asa_seconds", "service_level"]
    assert history["answered_within"].isna().all()
    both = read_interval_report(write(tmp_path, "interval,answered,abandoned\n"
                                                "2024-01-01 10:00,4,1\n"
                                                "2024-01-01 10:15,6,0\n", "b.csv"))
    assert both["offered"].tolist() == [5, 6] and both.attrs["freq"] == "15min"


def test_explicit_columns_and_service_level_of_answered(tmp_path):
    text = ("When,Line,In,Done,Lost,Handle,SLA\n"
            "2024-01-01 10:00,x,10,8,2,100,0.75\n"
            "2024-01-01 10:30,x,10,10,0,100,0.9\n")
    columns = {"interval": "When", "call_type": "Line", "offered": "In", "answered": "Done",
               "abandoned": "Lost", "aht_seconds": "Handle", "service_level": "SLA"}
    history = read_interval_report(write(tmp_path, text), columns,
                                   service_level_basis="answered")
    assert history["answered_within"].tolist() == [6, 9]  # 0.75 x 8, 0.9 x 10
    assert history["service_level"].tolist() == [0.6, 0.9]  # of offered


def test_gaps_are_reported_not_filled(tmp_path):
    text = ("interval,queue,offered,handled\n2024-01-01 10:00,A,1,1\n2024-01-01 10:30,A,1,1\n"
            "2024-01-01 12:00,A,1,1\n2024-01-01 10:00,B,1,1\n2024-01-01 10:30,B,1,1\n")
    path = write(tmp_path, text)
    with pytest.raises(CCSimInputError, match=r"the report has 2 missing interval\(s\): "
                       r"'A' 2024-01-01 11:00, 'A' 2024-01-01 11:30; pass fill_gaps=True"):
        read_interval_report(path)
    with pytest.warns(UserWarning, match=r"filled 91 missing interval\(s\)") as caught:
        filled = read_interval_report(path, fill_gaps=True)
    assert len(caught) == 1
    assert len(filled) == 2 * 48  # whole day, both queues
    assert filled["offered"].sum() == 5
    gap = filled[(filled["call_type"] == "A") & (filled["interval_start"] == "2024-01-01 11:00")]
    assert gap[["offered", "aht_seconds", "service_level"]].iloc[0].tolist() == [0, 0.0, 1.0]
    assert "'A' 2024-01-01 11:00" in filled.attrs["filled_gaps"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("interval,offered,handled\n2024-01-01 10:00,5,-1\n",
         r"answered \(column 'handled'\) must be a whole number in \[0, 1e9\]; got '-1' on "
         r"row 1"),
        ("interval,offered,handled\n2024-01-01 10:00,5,2.5\n",
         r"answered \(column 'handled'\) must be a whole number in \[0, 1e9\]; got '2.5' on "
         r"row 1"),
        ("interval,offered,handled\n2024-01-01 10:00,5,6\n2024-01-01 10:30,5,6\n",
         r"abandoned \(offered - the other\) must be >= 0; got -1 on row 1 \(and 1 more\)"),
        ("interval,offered,handled,abandoned\n2024-01-01 10:00,5,3,1\n",
         r"offered must be answered \+ abandoned \(map only two of the three"),
        ("interval,offered,handled\n2024-01-01 10:00,5,3\n2024-01-01 10:00,5,3\n",
         r"the report gives 1 interval\(s\) more than once, e.g. queue 'all' at "
         r"2024-01-01 10:00:00 \(if the clocks went back that night, pass timezone="),
        ("interval,offered,handled\n2024-01-01 10:00,5,3\n2024-01-01 10:20,5,3\n",
         r"the report's intervals are 0 days 00:20:00 apart, not 15, 30 or 60 minutes"),
        ("interval,offered,handled\n2024-01-01 10:00,5,3\n2024-01-01 10:45,5,3\n"
         "2024-01-01 11:15,1,1\n",
         r"interval_start must be the start of a 30min interval; got .*10:45:00.* on row 2"),
        ("interval,offered,handled\n2024-01-01 10:00,5,3\n",
         r"cannot infer the interval length from one interval per queue; pass "
         r"interval_minutes="),
        ("interval,offered,handled\nnot a time,5,3\n",
         r"interval \(column 'interval'\) must be a date and time; got 'not a time' on row 1"),
        ("interval,offered,handled,aht\n2024-01-01 10:00,5,3,\n2024-01-01 10:30,5,3,9\n",
         r"aht_seconds \(column 'aht'\) must be seconds or h:mm:ss \(blank only where nothing "
         r"was answered\); got '' on row 1"),
        ("interval,offered,handled,sl\n2024-01-01 10:00,5,3,180\n2024-01-01 10:30,5,3,9\n",
         r"service_level \(column 'sl'\) must be a fraction in \[0, 1\] or a percentage in "
         r"\[0, 100\]; got '180' on row 1"),
        ("interval,offered\n2024-01-01 10:00,5\n",
         r"the report must have two of offered, answered \(handled\) and abandoned; found "
         r"'offered'"),
        ("offered,handled\n5,3\n", r"the report has no interval column"),
        ("interval,offered,handled,answered\n2024-01-01 10:00,5,3,3\n",
         r"the report has several columns that could be 'answered' \('handled', 'answered'\)"),
        ("interval,offered,handled\n", r"the report has no rows"),
    ],
)
def test_bad_reports_raise(tmp_path, text, message):
    with pytest.raises(CCSimInputError, match=message):
        read_interval_report(write(tmp_path, text))


def test_bad_arguments_raise(tmp_path):
    path = write(tmp_path, REPORT)
    with pytest.raises(CCSimInputError, match=r"interval_minutes must be 15, 30 or 60; got 20"):
        read_interval_report(path, interval_minutes=20)
    with pytest.raises(CCSimInputError, match=r"timezone must be an IANA time zone such as "
                       r"'Europe/Paris'; got 'Mars/Olympus'"):
        read_interval_report(path, timezone="Mars/Olympus")
    with pytest.raises(CCSimInputError, match=r"columns has unknown key\(s\) 'queue'"):
        read_interval_report(path, {"queue": "Queue"})
    with pytest.raises(CCSimInputError, match=r"columns\['offered'\] must name a column of the "
                       r"report .*; got 'Calls'"):
        read_interval_report(path, {"offered": "Calls"})
    with pytest.raises(CCSimInputError, match=r"service_level_basis must be 'offered' or "
                       r"'answered'; got 'handled'"):
        read_interval_report(path, service_level_basis="handled")
    with pytest.raises(CCSimInputError, match=r"fill_gaps must be True or False; got 'zero'"):
        read_interval_report(path, fill_gaps="zero")
    with pytest.raises(CCSimInputError, match=r"path must be an existing file; got"):
        read_interval_report(tmp_path / "missing.csv")
    with pytest.raises(CCSimInputError, match=r"path must be a CSV or Excel file .*; got "
                       r"'report.pdf'"):
        read_interval_report(write(tmp_path, "x", "report.pdf"))
    with pytest.raises(CCSimInputError, match=r"frame must be a pandas DataFrame; got list"):
        interval_report_from_frame([1, 2])


def _dst_report(stamps: list[str], queue: str = "A") -> str:
    rows = "".join(f"{s},{queue},2,2\n" for s in stamps)
    return "interval,queue,offered,handled\n" + rows


def test_spring_forward_day_in_local_time(tmp_path):
    # Europe/Paris, 31 March 2024: 02:00 -> 03:00, so 02:00 and 02:30 never happen
    stamps = ["2024-03-31 01:00", "2024-03-31 01:30", "2024-03-31 03:00", "2024-03-31 03:30"]
    path = write(tmp_path, _dst_report(stamps))
    with pytest.raises(CCSimInputError, match=r"2 missing interval\(s\): 'A' 2024-03-31 02:00"):
        read_interval_report(path)
    with pytest.warns(UserWarning, match=r"2024-03-31 is a 23-hour day in Europe/Paris \(clocks "
                      r"go forward\): the intervals 02:00, 02:30 do not exist and get zero"):
        history = read_interval_report(path, timezone="Europe/Paris")
    assert history["offered"].tolist() == [2, 2, 0, 0, 2, 2]
    assert list(history.attrs["dst_days"]) == ["2024-03-31"]


def test_fall_back_day_in_local_time(tmp_path):
    # Europe/Paris, 27 October 2024: 03:00 -> 02:00, so 02:00-03:00 is lived twice
    stamps = ["2024-10-27 01:30", "2024-10-27 02:00", "2024-10-27 02:30", "2024-10-27 02:00",
              "2024-10-27 02:30", "2024-10-27 03:00"]
    text = "interval,queue,offered,handled,aht\n" + "".join(
        f"{s},A,{n},{n},{aht}\n" for s, n, aht in zip(
            stamps, (1, 2, 3, 4, 5, 6), (100, 100, 100, 400, 500, 100), strict=True))
    path = write(tmp_path, text)
    with pytest.raises(CCSimInputError, match=r"gives 2 interval\(s\) more than once, e.g. queue "
                       r"'A' at 2024-10-27 02:00:00 \(if the clocks went back"):
        read_interval_report(path)
    with pytest.warns(UserWarning, match=r"2024-10-27 is a 25-hour day in Europe/Paris \(clocks "
                      r"go back\): the repeated intervals 02:00, 02:30 are merged"):
        history = read_interval_report(path, timezone="Europe/Paris")
    assert history["offered"].tolist() == [1, 6, 8, 6]
    assert history["aht_seconds"].tolist() == [100.0, 300.0, 350.0, 100.0]  # weighted


def test_utc_offsets_convert_to_local_wall_clock(tmp_path):
    # the same fall-back night exported with offsets: 02:00+02:00 and 02:00+01:00 differ
    stamps = ["2024-10-27T01:30:00+02:00", "2024-10-27T02:00:00+02:00",
              "2024-10-27T02:30:00+02:00", "2024-10-27T02:00:00+01:00",
              "2024-10-27T02:30:00+01:00", "2024-10-27T03:00:00+01:00"]
    path = write(tmp_path, _dst_report(stamps))
    with pytest.raises(CCSimInputError, match=r"carries several UTC offsets \(a daylight-saving "
                       r"change\?\); pass timezone='Area/City'"):
        read_interval_report(path)
    with pytest.warns(UserWarning, match=r"25-hour day"):
        history = read_interval_report(path, timezone="Europe/Paris")
    assert history["offered"].tolist() == [2, 4, 4, 2]
    assert str(history["interval_start"].iloc[0]) == "2024-10-27 01:30:00"
    one_offset = read_interval_report(write(tmp_path, _dst_report(
        ["2024-06-01T08:00:00+02:00", "2024-06-01T08:30:00+02:00"]), "b.csv"))
    assert str(one_offset["interval_start"].iloc[0]) == "2024-06-01 08:00:00"  # wall clock


def test_ordinary_days_give_no_warning(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_interval_report(write(tmp_path, REPORT), timezone="Europe/Paris")


def test_time_of_day_formats(tmp_path):
    text = ("Date,Time,Offered,Handled\n2024-01-01,8:00 AM,1,1\n2024-01-01,8:30 AM,2,2\n"
            "2024-01-01,09:00:00,3,3\n")
    history = read_interval_report(write(tmp_path, text))
    assert history["interval_start"].dt.strftime("%H:%M").tolist() == ["08:00", "08:30", "09:00"]


def test_frame_with_excel_types():
    frame = pd.DataFrame({
        "Date": pd.to_datetime(["2024-01-01", "2024-01-01"]),
        "Interval": [pd.Timestamp("2024-01-01 08:00").time(), pd.Timestamp("08:30").time()],
        "Offered": [3.0, 4.0], "Handled": [3, 4],
        "AHT": [pd.Timestamp("00:03:00").time(), pd.Timestamp("00:02:00").time()]})
    history = interval_report_from_frame(frame)
    assert history["aht_seconds"].tolist() == [180.0, 120.0]
    assert history["offered"].tolist() == [3, 4]


def test_excel_without_openpyxl(tmp_path, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "openpyxl" else real(name, *a))
    path = write(tmp_path, "", "acd.xlsx")
    with pytest.raises(ImportError, match=r"'acd.xlsx' \(an Excel .xlsx file\) needs openpyxl"):
        read_interval_report(path)


def test_excel_round_trip(tmp_path):
    pytest.importorskip("openpyxl")
    frame = pd.read_csv(write(tmp_path, REPORT))
    frame.to_excel(tmp_path / "report.xlsx", index=False)
    from_excel = read_interval_report(tmp_path / "report.xlsx")
    from_csv = read_interval_report(tmp_path / "report.csv")
    pd.testing.assert_frame_equal(from_excel, from_csv)


# ------------------------------------------------------------------ issue 9
def _february(day_format: str = "{day:02d}/02/2024") -> str:
    """8 days of February, every half hour, as a DD/MM/YYYY (date, time) report."""
    rows = "".join(f"{day_format.format(day=day)},{hour:02d}:{minute:02d},5,5\n"
                   for day in range(1, 9) for hour in range(24) for minute in (0, 30))
    return "Date,Interval,Offered,Handled\n" + rows


def test_ambiguous_day_month_order_is_refused(tmp_path):
    # every day <= 12: read month-first this was 2 January, 2 February ... 2 August
    path = write(tmp_path, _february())
    with pytest.raises(CCSimInputError, match=r"interval date \(column 'Date'\) could be "
                       r"day-first or month-first: day-first gives 8 dates from "
                       r"2024-02-01 to 2024-02-08 \(consecutive days\), month-first 8 dates "
                       r"from 2024-01-02 to 2024-08-02; pass dayfirst=True \(DD/MM/YYYY\) or "
                       r"dayfirst=False \(MM/DD/YYYY\), or date_format="):
        read_interval_report(path)
    history = read_interval_report(path, dayfirst=True)
    assert history["interval_start"].dt.date.nunique() == 8 and len(history) == 8 * 48
    assert history["interval_start"].min() == pd.Timestamp("2024-02-01")
    pd.testing.assert_frame_equal(read_interval_report(path, date_format="%d/%m/%Y"), history)
    # ISO dates and dates with one day equal to its month are not ambiguous
    iso = read_interval_report(write(tmp_path, _february("2024-02-{day:02d}"), "iso.csv"))
    pd.testing.assert_frame_equal(iso, history, check_like=True)


def test_day_above_12_names_dayfirst(tmp_path):
    text = _february().replace("08/02/2024", "13/02/2024")
    path = write(tmp_path, text)
    with pytest.raises(CCSimInputError, match=r"must be a date and time read month-first; got "
                       r"'13/02/2024' on row 337 \(and 47 more\); read the other way round they "
                       r"are dates: pass dayfirst=True"):
        read_interval_report(path, dayfirst=False)
    bad = write(tmp_path, text.replace("13/02/2024", "13/13/2024"), "bad.csv")
    with pytest.raises(CCSimInputError, match=r"must be a date and time \(read neither day-first "
                       r"nor month-first\); got '13/13/2024' on row 337 .*; pass dayfirst="):
        read_interval_report(bad)


def _open_8_to_20(days: range = range(4, 9)) -> str:
    rows = "".join(f"2024-03-{day:02d} {hour:02d}:{minute:02d},5,5\n"
                   for day in days for hour in range(8, 20) for minute in (0, 30))
    return "Interval,Offered,Handled\n" + rows


def test_closed_hours_are_not_gaps_with_opening_hours(tmp_path):
    path = write(tmp_path, _open_8_to_20())
    with pytest.raises(CCSimInputError, match=r"the report has 96 missing interval\(s\): 'all' "
                       r"2024-03-04 20:00, .*; they are the same times every day, as if the "
                       r"center were closed then: pass opening_hours=\('08:00', '20:00'\)"):
        read_interval_report(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = read_interval_report(path, opening_hours=("08:00", "20:00"))
    assert len(history) == 5 * 48 and history["offered"].sum() == 5 * 24 * 5
    assert history.attrs["closed_intervals"] == 5 * 48 - 5 * 24
    assert history.attrs["opening_hours"]["sun"] == ("08:00", "20:00")
    night = history[history["interval_start"].dt.hour < 8]
    assert (night["offered"] == 0).all() and (night["service_level"] == 1).all()
    # a real gap within the opening hours is still an error
    holed = write(tmp_path, _open_8_to_20().replace("2024-03-05 12:00,5,5\n", ""), "holed.csv")
    with pytest.raises(CCSimInputError, match=r"1 missing interval\(s\) within the opening "
                       r"hours: 'all' 2024-03-05 12:00; pass fill_gaps=True"):
        read_interval_report(holed, opening_hours=("08:00", "20:00"))


def test_opening_hours_per_weekday(tmp_path):
    # Monday 4 March to Sunday 17 March 2024: weekdays 08-20, Saturday 08-13, Sunday closed
    days = [pd.Timestamp(2024, 3, day) for day in range(4, 18)]
    rows = "".join(f"{day:%Y-%m-%d} {hour:02d}:{minute:02d},5,5\n" for day in days
                   if day.weekday() < 6 for hour in range(8, 20 if day.weekday() < 5 else 13)
                   for minute in (0, 30))
    path = write(tmp_path, "Interval,Offered,Handled\n" + rows)
    with pytest.raises(CCSimInputError, match=r"pass opening_hours=\{'mon': \('08:00', '20:00'\),"
                       r" .*'sat': \('08:00', '13:00'\), 'sun': None\} so that closed hours"):
        read_interval_report(path)
    hours = {day: ("08:00", "20:00") for day in ("mon", "tue", "wed", "thu", "fri")}
    history = read_interval_report(path, opening_hours={**hours, "Saturday": ("8:00", "13:00")})
    assert len(history) == 13 * 48  # whole days from the first to the last reported day
    assert history.attrs["opening_hours"]["sun"] is None


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (("20:00", "08:00"), r"opening_hours must be \(open, close\) times of day .* open before "
                             r"close \('24:00' for midnight\)"),
        (("08:00",), r"opening_hours must be \(open, close\)"),
        (("08:00", "25:00"), r"opening_hours must be \(open, close\)"),
        ("08:00-20:00", r"opening_hours must be \(open, close\)"),
        ({"funday": ("08:00", "20:00")}, r"opening_hours keys must be weekdays \('mon' \.\.\. "
                                         r"'sun', 'monday', or 0-6 with Monday 0\); got 'funday'"),
        ({7: ("08:00", "20:00")}, r"opening_hours keys must be weekdays"),
        ({"mon": "all day"}, r"opening_hours\['mon'\] must be \(open, close\)"),
    ],
)
def test_bad_opening_hours(tmp_path, hours, message):
    with pytest.raises(CCSimInputError, match=message):
        read_interval_report(write(tmp_path, _open_8_to_20()), opening_hours=hours)


def test_opening_hours_until_midnight(tmp_path):
    text = "Interval,Offered,Handled\n" + "".join(
        f"2024-03-0{day} {hour:02d}:00,1,1\n" for day in (4, 5) for hour in range(7, 24))
    history = read_interval_report(write(tmp_path, text), opening_hours=("07:00", "24:00"))
    assert len(history) == 48 and history.attrs["closed_intervals"] == 14


@pytest.mark.parametrize("count", ["1e30", "inf", "-inf", "nan", "9.3e18", "1e10"])
def test_absurd_counts_are_refused(tmp_path, count):
    text = f"interval,offered,handled\n2024-01-01 10:00,{count},5\n2024-01-01 10:30,5,5\n"
    with pytest.raises(CCSimInputError, match=rf"offered \(column 'offered'\) must be a whole "
                       rf"number in \[0, 1e9\]; got '{count}' on row 1"):
        read_interval_report(write(tmp_path, text))


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (("85%", "0.85"), r"mixes percentages \('85%' on row 1\) and plain numbers \('0.85' on "
                          r"row 2\); write every cell the same way"),
        (("85", "0.85"), r"mixes percentages \('85' on row 1\) and fractions \('0.85' on row 2\)"),
        (("85%", "90%"), [0.8, 0.8]),  # round(0.85 x 5) = 4, round(0.9 x 5) = 4 (even)
        (("85", "100"), [0.8, 1.0]),
        (("0.6", "1"), [0.6, 1.0]),
        (("80%", "0"), [0.8, 0.0]),  # 0 reads the same either way
    ],
)
def test_service_level_column_is_one_notation(tmp_path, cells, expected):
    text = ("interval,offered,handled,sl\n"
            f"2024-01-01 10:00,5,5,{cells[0]}\n2024-01-01 10:30,5,5,{cells[1]}\n")
    path = write(tmp_path, text)
    if isinstance(expected, str):
        with pytest.raises(CCSimInputError, match=r"service_level \(column 'sl'\) " + expected):
            read_interval_report(path)
    else:
        assert read_interval_report(path)["service_level"].tolist() == expected


def test_interval_minutes_and_the_deprecated_freq(tmp_path):
    path = write(tmp_path, REPORT)
    history = read_interval_report(path, interval_minutes=30)
    assert history.attrs["interval_minutes"] == 30 and history.attrs["freq"] == "30min"
    with pytest.warns(DeprecationWarning, match=r"read_interval_report: freq= is deprecated"):
        old = read_interval_report(path, freq="30min")
    pd.testing.assert_frame_equal(old, history)
    with pytest.warns(DeprecationWarning, match=r"use interval_minutes="):
        positional = read_interval_report(path, None, "30min")
    pd.testing.assert_frame_equal(positional, history)
    frame = pd.read_csv(path)
    with pytest.warns(DeprecationWarning, match=r"interval_report_from_frame: freq= is "):
        from_frame = interval_report_from_frame(frame, freq="30min")
    pd.testing.assert_frame_equal(from_frame, interval_report_from_frame(frame, None, 30))
    with pytest.raises(CCSimInputError, match=r"give interval_minutes= only \(freq= is its old "
                       r"name\); got both"):
        read_interval_report(path, interval_minutes=30, freq="30min")
    for bad in (20, 0, -15, 30.5, True, np.nan, [30]):
        with pytest.raises(CCSimInputError, match=r"interval_minutes must be"):
            read_interval_report(path, interval_minutes=bad)
    with pytest.warns(DeprecationWarning), pytest.raises(CCSimInputError, match=r"freq must be "
                                                         r"'15min', '30min' or '60min'; got 'x'"):
        read_interval_report(path, freq="x")


def test_far_dates_are_refused_before_the_grid_is_built(tmp_path):
    path = write(tmp_path, "interval,offered,handled\n1700-01-01 10:00,1,1\n"
                           "2200-01-01 10:30,5,5\n")
    with pytest.raises(CCSimInputError, match=r"the interval grid .* is 1\.753e\+07 intervals, "
                       r"more than the limit of 5e\+06 intervals; check the report's dates .*, "
                       r"or pass max_intervals= to raise the limit"):
        read_interval_report(path, interval_minutes=15)
    near = write(tmp_path, "interval,offered,handled\n2024-01-01 10:00,1,1\n"
                           "2024-01-03 10:30,5,5\n", "near.csv")
    with pytest.raises(CCSimInputError, match=r"is 98 intervals, more than the limit of 50"):
        read_interval_report(near, interval_minutes=30, max_intervals=50)


def test_report_files_that_cannot_be_read(tmp_path):
    latin = write(tmp_path, "x", "latin.csv")
    latin.write_bytes(REPORT.replace("Sales", "Ventes é").encode("latin-1"))
    with pytest.raises(CCSimInputError, match=r"is not utf-8 text \(byte\(s\) b'\\xe9' on line "
                       r"2\); pass its encoding"):
        read_interval_report(latin)
    assert "Ventes é" in set(read_interval_report(latin, encoding="latin-1")["call_type"])
    extra = write(tmp_path, REPORT + "2024-03-04 09:30,Sales,1,1,0,1,1,100%,x\n", "extra.csv")
    with pytest.raises(CCSimInputError, match=r"line 8 has 9 fields where the header has 8; "
                       r"pass bad_lines='skip'"):
        read_interval_report(extra)
    with pytest.warns(UserWarning, match=r"left out 1 line\(s\) of 'extra.csv'"):
        assert len(read_interval_report(extra, bad_lines="skip")) == 6
    with pytest.raises(CCSimInputError, match=r"is empty: no header line"):
        read_interval_report(write(tmp_path, "", "empty.csv"))
    pytest.importorskip("openpyxl")
    pd.read_csv(write(tmp_path, REPORT)).to_excel(tmp_path / "r.xlsx", index=False)
    with pytest.raises(CCSimInputError, match=r"sheet_name 'ACD' is not a sheet of 'r.xlsx'; "
                       r"its sheets are 'Sheet1'"):
        read_interval_report(tmp_path / "r.xlsx", sheet_name="ACD")


def test_invalid_clock_in_a_report(tmp_path):
    text = "Date,Time,Offered,Handled\n2024-01-01,08:75,1,1\n2024-01-01,09:00,1,1\n"
    with pytest.raises(CCSimInputError, match=r"interval time \(column 'Time'\) must be a time of "
                       r"day 0:00-23:59 .*; got '08:75' on row 1"):
        read_interval_report(write(tmp_path, text))
