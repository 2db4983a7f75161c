"""Tests of ``ccsim plan``: the bank example planned end to end, its files and bad input."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from ccsim.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    directory = tmp_path_factory.mktemp("plan")
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["plan", "--days", "1", "--replications", "8", "--output",
                     str(directory / "out")])
    return code, out.getvalue(), directory / "out"


def test_plan_runs_and_says_what_it_did(planned):
    code, out, _ = planned
    assert code == 0
    assert "staffing by simulation" in out and "round 1:" in out
    assert "plan: met" in out or "plan: short" in out
    assert "days (simulated):" in out and "Mon 1999-02-01" in out


def test_plan_writes_its_files_as_one_set(planned):
    code, out, directory = planned
    assert sorted(p.name for p in directory.iterdir()) == ["plan.png", "plan.xlsx",
                                                          "roster.csv"]
    book = openpyxl.load_workbook(directory / "plan.xlsx")
    assert book.sheetnames == ["roster", "report", "daily", "iterations", "shifts"]
    fills = {cell.fill.fgColor.rgb for row in book["roster"].iter_rows(min_row=2, min_col=2)
             for cell in row if cell.value}
    assert fills and "00000000" not in fills  # every shift cell coloured
    assert book["report"].column_dimensions["B"].width >= 17  # the interval starts readable
    header = [cell.value for cell in book["report"][1]]
    assert {"interval_start", "required", "on_phones", "service_level", "met"} <= set(header)
    roster = pd.read_csv(directory / "roster.csv", index_col="agent", keep_default_na=False)
    assert list(roster.columns) == ["1999-02-01"] and len(roster) == 28
    shifts = pd.read_excel(directory / "plan.xlsx", sheet_name="shifts")
    assert (roster["1999-02-01"] != "").sum() == shifts["agents"].sum()
    assert (directory / "plan.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(("argv", "message"), [
    (["--days", "0"], "--days"),
    (["--days", "29"], "--days"),
    (["--replications", "1"], "--replications"),
    (["--max-rounds", "0"], "--max-rounds"),
    (["--agents", "missing.csv"], "--agents"),
])
def test_bad_options_exit_2_naming_the_option(capsys, tmp_path, argv, message):
    code, _, err = run(capsys, "plan", *argv, "--output", str(tmp_path / "out"))
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_an_output_that_is_a_file_is_refused_before_any_work(capsys, tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("x")
    code, _, err = run(capsys, "plan", "--output", str(blocker))
    assert code == 2 and "--output" in err
