"""Bad input to ``ccsim roster``, option by option: exit 2 and one line naming the option,
the file, the line and column, the value and what is valid; nothing written.

Every case fails while the inputs are read, before any roster is computed.
"""

from __future__ import annotations

import pytest

from ccsim.cli import main

pytest.importorskip("openpyxl")

COVER = ("date,shift,start,minutes,required\n"
         "2027-02-01,E,07:00,480,1\n"
         "2027-02-01,L,15:00,480,1\n"
         "2027-02-02,E,07:00,480,1\n")
TEAM = "name\nAna\nBen\nCy\n"
PLAN = ("kind,date,template,shift_start,break,start,end,agents\n"
        "shift,2027-03-01,8h 08:00,2027-03-01 08:00:00,,2027-03-01 08:00:00,"
        "2027-03-01 16:00:00,2\n"
        "break,2027-03-01,8h 08:00,2027-03-01 08:00:00,lunch 60 min,2027-03-01 12:00:00,"
        "2027-03-01 13:00:00,2\n")
GROUPS = ("group,kind,date,template,shift_start,break,start,end,agents\n"
          "IN,shift,2027-03-01,8h 08:00,2027-03-01 08:00:00,,2027-03-01 08:00:00,"
          "2027-03-01 16:00:00,2\n"
          "PS,shift,2027-03-01,8h 10:00,2027-03-01 10:00:00,,2027-03-01 10:00:00,"
          "2027-03-01 18:00:00,1\n")
PREVIOUS = "agent,2027-01-30,2027-01-31\nAna,E,\nBen,,L\n"


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, tmp_path, args, pieces):
    code, stdout, stderr = run(capsys, "roster", *args, "--output", str(tmp_path / "out"))
    assert code == 2, (stdout, stderr)
    assert stderr.count("\n") == 1 or stderr.startswith("usage:"), stderr
    assert "Traceback" not in stderr
    for piece in pieces:
        assert piece in stderr, stderr
    assert not (tmp_path / "out").exists()
    return stderr


@pytest.fixture
def files(tmp_path):
    def write(name, text):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def with_cover(files, *extra):
    return ["--cover", files("cover.csv", COVER), "--month", "2027-02",
            "--agents", files("team.csv", TEAM), *extra]


@pytest.mark.parametrize(("args", "pieces"), [
    (["--month", "2027-02"], ["--month 2027-02 needs --plan or --cover"]),
    (["--month", "2027-13"], ["--month", "must be a month YYYY-MM such as 2027-02",
                              "'2027-13'"]),
    (["--month", "Feb"], ["--month", "'Feb'"]),
    (["--group", "IN"], ["--group 'IN' picks a group of a --plan file"]),
    (["--split-weekend-weight", "-1"], ["--split-weekend-weight", "a whole number from 0",
                                        "'-1'"]),
    (["--fairness-weight", "2.5"], ["--fairness-weight", "'2.5'"]),
    (["--days", "93"], ["--days", "from 1 to 92"]),
    (["--cover", "c.csv", "--plan", "p.csv"], ["not allowed with argument"]),
])
def test_bad_options(capsys, tmp_path, args, pieces):
    refused(capsys, tmp_path, args, pieces)


def test_cover_needs_month_and_refuses_days(capsys, tmp_path, files):
    cover = files("cover.csv", COVER)
    refused(capsys, tmp_path, ["--cover", cover], ["--cover", "needs --month YYYY-MM"])
    refused(capsys, tmp_path, ["--cover", cover, "--month", "2027-02", "--days", "7"],
            ["--days 7 is for the built-in example; with --cover the horizon is --month"])
    refused(capsys, tmp_path, ["--cover", str(tmp_path / "none.csv"), "--month", "2027-02"],
            ["--cover", "none.csv", "no such file"])


@pytest.mark.parametrize(("text", "pieces"), [
    (COVER.replace("2027-02-01,E,07:00", "2027-02-01,E,25:00", 1),
     ["line 2, column start: must be a clock time HH:MM from 00:00 to 23:59; got '25:00'"]),
    (COVER.replace("2027-02-02", "2027-03-02"),
     ["line 4, column date: must be a day YYYY-MM-DD of --month 2027-02 (2027-02-01 to "
      "2027-02-28); got '2027-03-02'"]),
    (COVER.replace("2027-02-02,E,07:00", "2027-02-02,E,08:00"),
     ["line 4, column start: shift 'E' runs 08:00-16:00 here but 07:00-15:00 on line 2; "
      "give one start and length per shift"]),
    (COVER + "2027-02-01,E,07:00,480,2\n",
     ["line 5: date 2027-02-01, shift 'E' is also on line 2; give one row per date and shift"]),
    (COVER.replace("480,1\n", "480,-1\n", 1),
     ["line 2, column required: must be a whole number of agents from 0 to 100000; got '-1'"]),
    (COVER.replace("480,1\n", "0,1\n", 1), ["line 2, column minutes: must be the shift's "
                                            "length in minutes"]),
    ("date,shift,start,end,required\n2027-02-01,E,07:00,25:00,1\n",
     ["line 2, column end: must be a clock time HH:MM from 00:00 to 24:00; got '25:00'"]),
    ("date,shift,start,minutes,end,required\n2027-02-01,E,07:00,480,16:00,1\n",
     ["line 2, column end: 16:00 is 540 min after the start 07:00, but minutes says 480"]),
    ("date,shift,start,required\n2027-02-01,E,07:00,1\n", ["no column 'minutes' or 'end'"]),
    ("date,shift,start,minutes,required,colour\n", ["unknown column 'colour'"]),
    ("date,shift,minutes,required\n2027-02-01,E,480,1\n", ["no column 'start'"]),
    ("date,shift,start,minutes,required,under_weight\n2027-02-01,E,07:00,480,1,1.5\n",
     ["line 2, column under_weight: must be a whole number from 0 to 1000000000; got '1.5'"]),
    ("date,shift,start,minutes,required\n", ["no rows under the header"]),
    ("date;shift;start;minutes;required\n2027-02-01;E;07:00;480;1\n",
     ["no column 'date'", "separated by ';': save the file with commas"]),
    ("", ["is empty"]),
    ("date,shift,start,minutes,required\n2027-02-01,E,07:00,480,1,x\n",
     ["line 2: has 6 cells, the header 5"]),
    ("date,shift,start,minutes,required\n2027-02-01,,07:00,480,1\n",
     ["line 2, column shift: is empty"]),
])
def test_bad_cover_file(capsys, tmp_path, files, text, pieces):
    cover = files("cover.csv", text)
    stderr = refused(capsys, tmp_path, ["--cover", cover, "--month", "2027-02"], pieces)
    assert f"--cover {cover!r}" in stderr


def test_cover_end_time_agrees_with_start(capsys, tmp_path, files):
    # end instead of minutes: 22:00 -> 06:00 is 480 min overnight; a second row 23:00 end
    # for the same shift disagrees with the first
    cover = files("cover.csv", "date,shift,start,end,required\n2027-02-01,N,22:00,06:00,1\n"
                  "2027-02-02,N,22:00,07:00,1\n")
    refused(capsys, tmp_path, ["--cover", cover, "--month", "2027-02"],
            ["line 3, column start: shift 'N' runs 22:00-07:00 here but 22:00-06:00 on line 2"])


@pytest.mark.parametrize(("text", "extra", "pieces"), [
    (GROUPS, ["--group", "XX"], ["--group 'XX': no such group in --plan", "its groups: IN, PS"]),
    (PLAN, ["--group", "IN"], ["--group 'IN': --plan", "has no group column", "drop --group"]),
    (PLAN.replace("shift,2027", "lunch,2027"), [],
     ["line 2, column kind: must be shift or break; got 'lunch'"]),
    (PLAN.replace("2027-03-01 16:00:00", "2027-03-01 4pm"), [],
     ["line 2, column end: must be a date and time YYYY-MM-DD HH:MM:SS", "got '2027-03-01 4pm'"]),
    (PLAN + PLAN.splitlines(keepends=True)[1].replace("2027-03-01", "2027-03-02").replace(
        "08:00:00,,", "08:00:00,,").replace("2027-03-02 16:00:00", "2027-03-02 17:00:00"), [],
     ["line 4, column start: template '8h 08:00' runs 08:00-17:00 here but 08:00-16:00 on "
      "line 2; a template has one start time and length"]),
    (PLAN + PLAN.splitlines(keepends=True)[1], [],
     ["line 4: template '8h 08:00' on 2027-03-01 is also on line 2"]),
    (PLAN.replace("2027-03-01 13:00:00,2", "2027-03-01 13:00:00,3"), [],
     ["line 3, column agents: the 'lunch 60 min' slots of this shift hold 3 agents, more than "
      "the shift's 2"]),
    (PLAN.replace("break,2027-03-01,8h 08:00,2027-03-01 08:00:00",
                  "break,2027-03-01,8h 08:00,2027-03-01 09:00:00"), [],
     ["line 3, column shift_start: no shift row of template '8h 08:00' on 2027-03-01 "
      "starting at 2027-03-01 09:00:00"]),
    (PLAN, ["--month", "2027-04"], ["no shift on a day of --month 2027-04 (the plan runs from "
                                    "2027-03-01 to 2027-03-01)"]),
    (PLAN + PLAN.splitlines(keepends=True)[1].replace("2027-03-01", "2027-06-30"), [],
     ["the plan runs 122 days (2027-03-01 to 2027-06-30), more than 92", "--month YYYY-MM"]),
    ("kind,date,template,shift_start,start,end\n", [], ["no column 'agents'"]),
])
def test_bad_plan_file(capsys, tmp_path, files, text, extra, pieces):
    plan = files("shifts.csv", text)
    refused(capsys, tmp_path, ["--plan", plan, *extra], pieces)


@pytest.mark.parametrize(("text", "pieces"), [
    ("name,2027-01-31\nAna,E\n", ["its first column must be 'agent'"]),
    ("agent,2027-01-29,2027-01-31\nAna,E,\n", ["column '2027-01-31' must be the date "
                                               "2027-01-30 (the columns are consecutive"]),
    ("agent,2027-01-29,2027-01-30\nAna,E,\n", ["runs from 2027-01-29 to 2027-01-30, which "
                                               "does not reach the day before the roster's "
                                               "first day (2027-01-31)"]),
    ("agent,2027-02-01\nAna,E\n", ["runs from 2027-02-01 to 2027-02-01"]),
    ("agent,shift\nAna,E\n", ["column 'shift' must be the date YYYY-MM-DD"]),
    (PREVIOUS + "Ana,,\n", ["line 4, column agent: 'Ana' is also on line 2"]),
    (PREVIOUS.replace("Ben,,L", "Ben,,X"),
     ["line 3, column 2027-01-31: 'X' is not a shift of this roster (its shifts: E, L) and "
      "the file does not give its times; give the earlier run's roster.xlsx"]),
])
def test_bad_previous_file(capsys, tmp_path, files, text, pieces):
    previous = files("roster.csv", text)
    stderr = refused(capsys, tmp_path, with_cover(files, "--previous", previous), pieces)
    assert "--previous" in stderr and "roster.csv" in stderr


def test_previous_file_missing_or_in_the_output(capsys, tmp_path, files):
    refused(capsys, tmp_path, with_cover(files, "--previous", str(tmp_path / "none.csv")),
            ["--previous", "none.csv", "no such file"])
    (tmp_path / "out").mkdir()
    previous = files("out/roster.csv", PREVIOUS)
    code, _, stderr = run(capsys, "roster", *with_cover(files, "--previous", previous),
                          "--output", str(tmp_path / "out"))
    assert code == 2 and "would overwrite the input" in stderr


@pytest.mark.parametrize(("text", "pieces"), [
    ("agent,date\nZed,2027-02-01\n", ["line 2, column agent: 'Zed' is not an agent of the "
                                      "roster (Ana, Ben, Cy)"]),
    ("agent,date\nAna,2027-03-01\n", ["line 2, column date: must be a day YYYY-MM-DD of the "
                                      "roster, 2027-02-01 to 2027-02-28; got '2027-03-01'"]),
    ("agent,date,wanted\nAna,2027-02-01,maybe\n",
     ["line 2, column wanted: must be yes or no (true/false, 1/0); got 'maybe'"]),
    ("agent,date,weight\nAna,2027-02-01,-2\n", ["line 2, column weight: must be a whole "
                                                "number from 0 to 1000000000; got '-2'"]),
    ("agent,date,shift\nAna,2027-02-01,N\n", ["line 2, column shift: 'N' is not a shift of the "
                                              "roster (E, L); leave it empty for any shift"]),
    ("agent,shift\nAna,E\n", ["no column 'date'"]),
])
def test_bad_requests_file(capsys, tmp_path, files, text, pieces):
    requests = files("requests.csv", text)
    stderr = refused(capsys, tmp_path, with_cover(files, "--requests", requests), pieces)
    assert f"--requests {requests!r}" in stderr


def test_agents_skills_must_be_held_for_a_cover_skill(capsys, tmp_path, files):
    # a cover row of skill 'fr' that no agent holds: the library's message, exit 2
    cover = files("cover.csv", "date,shift,start,minutes,required,skill\n"
                  "2027-02-01,E,07:00,480,1,fr\n")
    agents = files("team.csv", "name,skills\nAna,de\nBen,de;en\n")
    stderr = refused(capsys, tmp_path, ["--cover", cover, "--month", "2027-02", "--agents",
                                        agents], ["skill 'fr' is held by no agent"])
    assert "build_roster" not in stderr


def test_xlsx_cells_are_named_by_row(capsys, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["date", "shift", "start", "minutes", "required"])
    sheet.append(["2027-02-01", "E", "07:00", 480, 1])
    sheet.append(["2027-02-02", "E", "07:00", 480, "two"])
    book.save(tmp_path / "cover.xlsx")
    refused(capsys, tmp_path, ["--cover", str(tmp_path / "cover.xlsx"), "--month", "2027-02"],
            ["cover.xlsx' row 3, column required: must be a whole number of agents from 0 "
             "to 100000; got 'two'"])


def test_weekly_hours_that_cannot_hold_exit_1_with_the_reason(capsys, tmp_path, files):
    # 8-hour shifts cannot make exactly 30 h a week: no roster, the reason in hours
    agents = files("team.csv", "name,min_hours_per_week,max_hours_per_week\nAna,30,30\nBen,,\n")
    code, _, stderr = run(capsys, "roster", "--cover", files("cover.csv", COVER), "--month",
                          "2027-02", "--agents", agents, "--output", str(tmp_path / "out"))
    assert code == 1, stderr
    line = stderr.splitlines()[-1]
    assert line.startswith("ccsim roster: error: no roster: the agents' rules conflict: "
                           "agent 'Ana'")
    assert "min_hours_per_week 30" in line and "max_hours_per_week 30" in line
    assert not (tmp_path / "out").exists()


def test_a_plan_of_several_groups_is_rostered_by_skill(capsys, tmp_path, files):
    # IN needs 2 agents 08:00-16:00, PS 1 agent 10:00-18:00; Cy alone has PS
    team = files("team.csv", "name,skills\nAna,IN\nBen,IN\nCy,PS\n")
    out = tmp_path / "out"
    code, stdout, stderr = run(capsys, "roster", "--plan", files("groups.csv", GROUPS),
                               "--agents", team, "--output", str(out))
    assert code == 0, stderr
    assert "groups IN, PS, rostered by skill" in stdout
    grid = (out / "roster.csv").read_text(encoding="utf-8").splitlines()
    rows = dict(line.split(",", 1) for line in grid[1:])
    assert rows["Cy"] == "8h 10:00 [PS]"
    assert rows["Ana"] == rows["Ben"] == "8h 08:00 [IN]"
    # without Cy nobody may work PS: the roster is one agent short there
    code, stdout, stderr = run(capsys, "roster", "--plan", files("groups.csv", GROUPS),
                               "--agents", files("two.csv", "name,skills\nAna,IN\nBen,IN\n"),
                               "--output", str(tmp_path / "two"))
    assert code == 0, stderr
    assert "penalties: under 1 (cost 100)" in stdout
