"""Tests of ``ccsim roster`` on the bank example, run in-process through ``ccsim.cli.main``.

A 7-day horizon, fairness weights 0 (the example's roster is then optimal at 0 in a few
seconds). Rosters against cover files and plans: tests/test_cli_roster_month.py; bad
input per option: tests/test_cli_roster_inputs.py.
"""

from __future__ import annotations

import csv
import datetime
import os
import re
import stat

import pytest

from ccsim.cli import main

openpyxl = pytest.importorskip("openpyxl")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_roster_runs_and_writes_both_files(capsys, tmp_path):
    out = tmp_path / "out"
    previous = os.umask(0o022)
    try:
        code, stdout, stderr = run(capsys, "roster", "--days", "7", "--output", str(out),
                                   "--split-weekend-weight", "0", "--fairness-weight", "0")
    finally:
        os.umask(previous)
    assert code == 0, stderr
    assert "Traceback" not in stderr
    # stderr: only the solver's progress, its last line the roster's objective and bound
    assert stderr.splitlines() and all(
        re.fullmatch(r"roster: objective \d+, bound \d+, \d+\.\d s", line)
        for line in stderr.splitlines())
    assert stderr.splitlines()[-1].startswith("roster: objective 0, bound 0, ")
    assert "1999-02-01 to 1999-02-07" in stdout
    assert "the bank's 28 agents A01-A28" in stdout and "at most 180 h" in stdout
    assert "roster: optimal, objective 0, bound 0 (28 agents, 7 days)" in stdout
    assert "penalties: none" in stdout
    assert "fairness: 0 per weekend worked on one day only" in stdout
    assert "Mon 01" in stdout and "Sun 07" in stdout and "A28" in stdout
    assert sorted(p.name for p in out.iterdir()) == ["roster.csv", "roster.xlsx"]
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o644

    with open(out / "roster.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["agent"] + [f"1999-02-0{d}" for d in range(1, 8)]
    assert [r[0] for r in rows[1:]] == [f"A{i:02d}" for i in range(1, 29)]

    book = openpyxl.load_workbook(out / "roster.xlsx")
    assert book.sheetnames == ["roster", "coverage", "hours", "penalties", "fairness",
                               "requests", "breaks", "shifts"]
    sheet = book["roster"]
    assert sheet.freeze_panes == "B2"
    assert sheet["A1"].value == "agent" and sheet["A2"].value == "A01"
    assert sheet["B1"].value == datetime.datetime(1999, 2, 1)
    assert sheet["B2"].value == rows[1][1]
    shifts = [c for row in sheet.iter_rows(min_row=2, min_col=2) for c in row if c.value]
    assert shifts and all(c.fill.fill_type == "solid" for c in shifts)
    colour = {}
    for cell in shifts:  # one colour per shift
        assert colour.setdefault(cell.value, cell.fill.fgColor.rgb) == cell.fill.fgColor.rgb
    assert len(set(colour.values())) == len(colour)
    legend = {row[0].value: row[0].fill.fgColor.rgb for row in book["shifts"].iter_rows(
        min_row=2)}  # the shifts sheet: each shift in its colour
    assert all(legend[name] == rgb for name, rgb in colour.items())
    weekend = [sheet.cell(row=1, column=c).fill.fill_type for c in range(2, 9)]
    assert weekend == [None] * 5 + ["solid", "solid"]  # Sat 6, Sun 7 February 1999
    assert [c.value for c in book["hours"][1]][:4] == ["agent", "shifts", "minutes", "hours"]
    assert book["hours"].max_row == 29
    assert book["coverage"]["A1"].value == "day"
    # each agent on a shift gets one slot per break rule of the plan (9 h: 3, 4 h: 1)
    breaks = list(book["breaks"].iter_rows(min_row=2, values_only=True))
    assert [c.value for c in book["breaks"][1]] == ["agent", "date", "shift", "rule",
                                                    "break", "start", "end", "paid"]
    worked = [c.value for c in shifts]
    assert len(breaks) == sum(3 if name.startswith("9h") else 1 for name in worked)
    assert book["penalties"].max_row == 1  # header only: no penalty
    assert book["requests"].max_row == 1  # no --requests
    fairness = list(book["fairness"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in fairness] == ["weekends", "nights", "lates"]
    hours = list(book["hours"].iter_rows(values_only=True))
    for measure, _, fewest, most in (r[1:5] for r in fairness):  # as the hours sheet says
        column = [row[hours[0].index(measure)] for row in hours[1:]]
        assert (fewest, most) == (min(column), max(column))


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "expected"), [
    ("name,max_hours,wage\nAna,100,12\n", "unknown column 'wage'"),
    ("agent\nAna\n", "no column 'name'"),
    ("name,max_hours\nAna,100\nBen,lots\n", "line 3, column max_hours: must be a number of "
     "hours >= 0; got 'lots'"),
    ("name,days_off\nAna,2;9\n", "line 2, column days_off: day 9 is after the roster's last "
     "day (7)"),
    ("name,days_off\nAna,1999-03-01\n", "line 2, column days_off: 1999-03-01 is outside the "
     "roster (1999-02-01 to 1999-02-07)"),
    ("name,max_consecutive_shifts\nAna,0\n", "line 2, column max_consecutive_shifts"),
    ("name\nAna\nAna\n", "line 3, column name: 'Ana' is also on line 2"),
    ("name,min_hours_per_week,max_hours_per_week\nAna,40,38\n",
     "line 2, column min_hours_per_week: 40 is above max_hours_per_week 38"),
    ("name,min_consecutive_shifts,max_consecutive_shifts\nAna,3,2\n",
     "line 2, column min_consecutive_shifts: 3 is above max_consecutive_shifts 2"),
    ("name,skills\nAna,a;b;a\n", "line 2, column skills: names a skill twice: 'a;b;a'"),
    ("name,max_hours_per_week\nAna,-1\n", "line 2, column max_hours_per_week: must be a "
     "number of hours >= 0; got '-1'"),
])
def test_bad_agents_file_is_refused_naming_row_and_column(capsys, tmp_path, text, expected):
    agents = write(tmp_path / "team.csv", text)
    code, stdout, stderr = run(capsys, "roster", "--days", "7", "--agents", str(agents),
                               "--output", str(tmp_path / "out"))
    assert code == 2
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert stderr.startswith("ccsim roster: error: --agents ")
    assert "team.csv" in stderr and expected in stderr
    assert not (tmp_path / "out").exists()


def test_missing_agents_file_and_bad_days(capsys, tmp_path):
    code, _, stderr = run(capsys, "roster", "--agents", str(tmp_path / "none.csv"))
    assert code == 2 and "no such file" in stderr
    code, _, stderr = run(capsys, "roster", "--days", "0")
    assert code == 2 and "--days" in stderr


def test_infeasible_agents_exit_1(capsys, tmp_path):
    # one agent who must work 100 h in 2 days cannot: the roster is infeasible
    agents = write(tmp_path / "team.csv", "name,min_hours,max_hours\nAna,100,120\n")
    code, stdout, stderr = run(capsys, "roster", "--days", "2", "--agents", str(agents),
                               "--output", str(tmp_path / "out"))
    assert code == 1, stderr
    assert stderr.startswith("ccsim roster: error: no roster: the agents' rules conflict: "
                             "agent 'Ana': min_hours 100 cannot fit")  # the reason, in hours
    assert stderr.count("\n") == 1
    assert "Traceback" not in stderr and not (tmp_path / "out").exists()
