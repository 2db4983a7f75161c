"""``ccsim schedule`` on the planner's own data (--calls, --report) and its plan.xlsx."""

from __future__ import annotations

import io
import os
import stat
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ccsim.cli import main

openpyxl = pytest.importorskip("openpyxl")

SHEETS = ["shifts per day", "breaks", "coverage", "summary", "solver"]
FILES = ["coverage.csv", "coverage.png", "plan.xlsx", "shifts.csv"]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["schedule", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def packaged_log() -> Path:
    return Path(str(resources.files("ccsim.data").joinpath("anonymous_bank_1999_january.csv.gz")))


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, float]:
    """A week of 30-min rows, open 08:00-20:00 (closed intervals left out, as ACDs do),
    with its AHT weighted by answered calls."""
    rng = np.random.default_rng(7)
    index = pd.date_range("2024-03-04", periods=7 * 48, freq="30min")
    hours = index.hour + index.minute / 60
    open_ = (hours >= 8) & (hours < 20)
    offered = rng.poisson(np.where(open_, 14 + 10 * np.sin(np.pi * (hours - 8) / 12), 0))
    abandoned = rng.binomial(offered, 0.07)
    answered = offered - abandoned
    aht = np.where(answered > 0, rng.integers(200, 300, len(index)), 0)
    table = pd.DataFrame({"Interval": index.strftime("%Y-%m-%d %H:%M"), "Queue": "retail",
                          "Calls Offered": offered, "Handled": answered,
                          "Abandoned": abandoned, "AHT (s)": aht})[open_]
    path = tmp_path_factory.mktemp("report") / "acd.csv"
    table.to_csv(path, index=False)
    weighted = float((table["AHT (s)"] * table["Handled"]).sum() / table["Handled"].sum())
    return path, weighted


def test_calls_on_the_packaged_log_gives_the_example_plan(capsys, tmp_path):
    code, example, err = run(capsys, "--days", "1", "--output", str(tmp_path / "example"))
    assert code == 0, err
    code, text, err = run(capsys, "--calls", str(packaged_log()), "--days", "1", "--output",
                          str(tmp_path / "calls"))
    assert code == 0, err
    assert text.startswith(f"ccsim schedule: the call log {packaged_log()} (31,599 calls from "
                           "1999-01-01 to 1999-01-31)")
    assert "open 07:00-24:00 (inferred from the history's busy hours" in text
    assert "forecast Mon 1999-02-01 to Mon 1999-02-01" in text  # --start: the day after
    same = [line for line in example.splitlines() if line.startswith(("  ", "plan: ", "shifts:"))]
    assert [line.split(", solved in")[0].split(" (inferred")[0] for line in same] == [
        line.split(", solved in")[0].replace(" (inferred from the history's busy hours, --open "
                                             "to change; ", " (") for line in text.splitlines()
        if line.startswith(("  ", "plan: ", "shifts:"))]
    for name in ("shifts.csv", "coverage.csv"):
        assert (tmp_path / "calls" / name).read_bytes() == (tmp_path / "example" /
                                                             name).read_bytes()


def test_report_runs_and_writes_the_four_files(capsys, tmp_path, report):
    path, aht = report
    old = os.umask(0o022)
    try:
        code, text, err = run(capsys, "--report", str(path), "--open", "08:00-20:00", "--days",
                              "2", "--output", str(tmp_path / "out"))
    finally:
        os.umask(old)
    assert code == 0, err
    assert text.startswith(f"ccsim schedule: the interval report {path} (")
    assert "from 2024-03-04 to 2024-03-10, 30-min intervals, 1 queue)" in text
    assert "forecast Mon 2024-03-11 to Tue 2024-03-12" in text
    assert f"AHT {aht:.0f} s (the report's, weighted by answered calls)" in text
    assert "Erlang C (a report has no abandonment times" in text and "open 08:00-20:00" in text
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == FILES  # no temporaries
    for name in FILES:
        assert stat.S_IMODE((tmp_path / "out" / name).stat().st_mode) == 0o644
    coverage = pd.read_csv(tmp_path / "out" / "coverage.csv", index_col=0, parse_dates=True)
    assert coverage.index[0] == pd.Timestamp("2024-03-11") and len(coverage) == 96
    closed = (coverage.index.hour < 8) | (coverage.index.hour >= 20)
    assert (coverage.loc[closed, "required"] == 0).all()
    assert (coverage["on_phones"] >= coverage["required"]).all()


def test_report_with_patience_uses_erlang_a_and_infers_the_opening(capsys, tmp_path, report):
    path, _ = report
    full = tmp_path / "full.csv"  # the closed intervals reported as zero rows
    table = pd.read_csv(path)
    stamps = pd.to_datetime(table["Interval"])
    grid = pd.DataFrame({"Interval": pd.date_range(stamps.min().normalize(), periods=7 * 48,
                                                   freq="30min").strftime("%Y-%m-%d %H:%M")})
    grid.merge(table, how="left").fillna({"Queue": "retail"}).fillna(0).to_csv(full, index=False)
    code, text, err = run(capsys, "--report", str(full), "--patience", "90", "--days", "1",
                          "--start", "2024-03-12", "--aht", "250", "--output", str(tmp_path / "o"))
    assert code == 0, err
    assert "AHT 250 s, Erlang A, mean patience 90 s" in text
    assert "open 08:00-20:00 (inferred from the history's busy hours" in text
    assert "forecast Tue 2024-03-12 to Tue 2024-03-12" in text


def test_a_report_leaving_out_closed_hours_asks_for_open(capsys, tmp_path, report):
    path, _ = report
    code, out, err = run(capsys, "--report", str(path), "--output", str(tmp_path / "o"))
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.count("\n") == 1 and f"--report {str(path)!r}" in err
    assert "pass --open 08:00-20:00 so that closed hours get zero calls" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(("args", "pieces"), [
    (["--calls", "a.csv", "--report", "b.csv"], ["--calls and --report each give what to plan "
                                                 "for; give one of them"]),
    (["--requirement", "need.csv", "--target", "90/10", "--aht", "300"],
     ["--target, --aht set up the forecast", "drop --target and --aht or --requirement"]),
    (["--report", "b.csv", "--columns", "arrival=Start"],
     ["--columns describes the call log of --calls, and there is none with --report"]),
    (["--outcomes", "ANS=answered"], ["--outcomes describes the call log of --calls, and there "
                                      "is none for the built-in example"]),
    (["--calls", "a.csv", "--format", "anonymous-bank", "--columns", "arrival=Start"],
     ["--columns read a --format generic log; --format anonymous-bank has fixed fields"]),
    (["--report", "b.csv", "--patience", "measured"],
     ["--patience measured: a --report has no abandonment times"]),
    (["--calls", "a.csv", "--columns", "start=Start"], ["argument --columns", "'start'",
                                                         "arrival"]),
    (["--calls", "a.csv", "--columns", "arrival=A,arrival=B"], ["argument --columns",
                                                                 "each NAME once"]),
    (["--calls", "a.csv", "--outcomes", "ANS=done"], ["argument --outcomes", "'done'",
                                                      "answered, abandoned, other"]),
    (["--calls", "a.csv", "--format", "csv"], ["argument --format", "invalid choice"]),
])
def test_options_that_do_not_apply_are_refused(capsys, tmp_path, args, pieces):
    code, out, err = run(capsys, *args, "--output", str(tmp_path / "o"))
    assert code == 2 and out == "" and "Traceback" not in err
    for piece in pieces:
        assert piece in err
    assert not (tmp_path / "o").exists()


def test_start_before_the_data_is_refused(capsys, tmp_path, report):
    code, _, err = run(capsys, "--calls", str(packaged_log()), "--start", "1999-01-20",
                       "--output", str(tmp_path / "o"))
    assert code == 2
    assert (f"--start 1999-01-20 is not after --calls {str(packaged_log())!r} (1999-01-01 to "
            "1999-01-31)") in err and "give --start from 1999-02-01 to" in err
    code, _, err = run(capsys, "--report", str(report[0]), "--open", "08:00-20:00", "--start",
                       "2024-03-10", "--output", str(tmp_path / "o"))
    assert code == 2 and "--start 2024-03-10 is not after --report" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(("option", "body", "pieces"), [
    ("--report", b"", ["empty"]),
    ("--report", b"\x00\x01\x02PK junk\xff\xfe", []),
    ("--report", "Interval,Offered\n2024-03-04 08:00,caf\xe9\n".encode("latin-1"), []),
    ("--report", b"Interval,Offered,Handled\n2024-03-04 08:00,5,9\n2024-03-04 08:30,4,4\n", []),
    ("--report", b"When,Count\n1,2\n", ["rename the headings"]),
    ("--calls", b"arrival,outcome\n2024-03-04 08:00,answered\n", ["--columns"]),
    ("--calls", b"x\n1\n", []),
])
def test_bad_files_give_one_line_and_no_traceback(capsys, tmp_path, option, body, pieces):
    path = tmp_path / "bad.csv"
    path.write_bytes(body)
    code, out, err = run(capsys, option, str(path), "--open", "08:00-20:00", "--output",
                         str(tmp_path / "o"))
    assert code == 2 and out == "", err
    assert "Traceback" not in err and "internal error" not in err and err.count("\n") == 1
    assert err.startswith(f"ccsim schedule: error: {option} {str(path)!r}")
    for piece in pieces:
        assert piece in err
    code, _, err = run(capsys, option, str(tmp_path / "missing.csv"), "--output",
                       str(tmp_path / "o"))
    assert code == 2 and "Traceback" not in err and err.count("\n") == 1


def test_plan_xlsx_holds_the_plan(capsys, tmp_path, report):
    code, _, err = run(capsys, "--report", str(report[0]), "--open", "08:00-20:00", "--days",
                       "2", "--daily-target", "--output", str(tmp_path))
    assert code == 0, err
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    assert book.sheetnames == SHEETS
    for sheet in book:
        assert sheet.freeze_panes in ("A2", "B2")
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.column_dimensions["A"].width >= len(str(sheet["A1"].value))
    coverage = pd.read_csv(tmp_path / "coverage.csv", index_col=0, parse_dates=True)
    cover = pd.DataFrame(book["coverage"].values)
    assert list(cover.iloc[0]) == ["interval_start", *coverage.columns]
    assert cover.iloc[0, :7].tolist() == ["interval_start", "required", "on_shift", "on_break",
                                          "on_phones", "over", "under"]
    cover = cover.iloc[1:].set_axis(cover.iloc[0], axis=1).set_index("interval_start")
    assert list(cover.index) == list(coverage.index)  # Excel dates, not text
    np.testing.assert_allclose(cover.to_numpy(float), coverage.to_numpy(float), rtol=1e-5)

    shifts = pd.read_csv(tmp_path / "shifts.csv", parse_dates=["date", "start", "end",
                                                               "shift_start"])
    starts = shifts[shifts["kind"] == "shift"]
    per_day = pd.DataFrame(book["shifts per day"].values)
    header = list(per_day.iloc[0])
    assert header[:3] == ["template", "start", "paid hours"] and header[-1] == "total"
    assert header[3:-1] == sorted(starts["date"].unique())
    body = per_day.iloc[1:].set_axis(header, axis=1).set_index("template")
    expected = starts.pivot_table(index="template", columns="date", values="agents",
                                  aggfunc="sum", fill_value=0)
    for template, row in expected.iterrows():
        assert [body.loc[template, day] for day in expected.columns] == list(row)
    assert body.loc["all shifts", "total"] == starts["agents"].sum()

    breaks = pd.DataFrame(book["breaks"].values)
    assert list(breaks.iloc[0]) == ["date", "template", "shift start", "break", "paid", "start",
                                    "end", "agents"]
    assert breaks.iloc[1:, 7].sum() == shifts.loc[shifts["kind"] == "break", "agents"].sum()

    summary = pd.DataFrame(book["summary"].values)
    head = list(summary.iloc[0])
    assert head[:8] == ["date", "required h", "on phones h", "over h", "under h",
                        "peak required", "intervals short", "paid hours"]
    assert "day's SL" in head
    days = summary.iloc[1:-1].set_axis(head, axis=1).set_index("date")
    assert summary.iloc[-1, 0] == "total" and len(days) == 2
    required = coverage["required"].groupby(coverage.index.normalize()).sum() * 0.5
    np.testing.assert_allclose(days["required h"].to_numpy(float), required.to_numpy())
    assert (days["day's SL"].astype(float) >= 0.8 - 1e-9).all()
    assert book["summary"]["A2"].number_format == "ddd yyyy-mm-dd"
    assert book["summary"]["J2"].number_format == "0.0%"


def test_workbook_from_a_plan_matches_its_frames():
    from ccsim.cli._schedule_work import build_templates, per_day
    from ccsim.cli._xlsx import write_workbook
    from ccsim.shifts import schedule_shifts

    index = pd.date_range("2024-03-04 08:00", "2024-03-05 19:30", freq="30min",
                          name="interval_start")
    need = pd.Series(np.where((index.hour >= 8) & (index.hour < 20),
                              2 + (abs(index.hour - 13) < 3) * 3, 0), index=index, dtype=float)
    templates, _ = build_templates((480, 1200), [8.0, 4.0], 60)
    plan = schedule_shifts(need, templates, time_limit_seconds=20)
    out = io.BytesIO()
    write_workbook(plan, out)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    summary = [row for row in book["summary"].values][1:-1]
    expected = per_day(plan)
    assert [row[0] for row in summary] == list(expected.index)
    assert [row[7] for row in summary] == pytest.approx(list(expected["paid hours"]))
    assert sum(row[7] for row in summary) == pytest.approx(plan.paid_hours)
    breaks = list(book["breaks"].values)[1:]
    assert len(breaks) == len(plan.breaks)
    assert sum(row[7] for row in breaks) == plan.breaks["agents"].sum()


def test_help_names_the_sources_and_the_workbook(capsys):
    code = main(["schedule", "--help"])
    text = capsys.readouterr().out
    assert code == 0
    for piece in ("--calls LOG", "--report CSV|XLSX", "--format", "--columns", "--outcomes",
                  "plan.xlsx", "Erlang C unless --patience"):
        assert piece in text
