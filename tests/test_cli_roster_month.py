"""``ccsim roster`` against cover files and shift plans: months, --previous, --requests,
fairness, progress and reproducibility (small: 6 agents, 2-4 shifts, one month).

Run in-process through ``ccsim.cli.main``; every roster is checked with rules written
here again from the files alone (rest between shifts, runs of working days, weekly
hours, who works which shift), not with the library's own tables.
"""

from __future__ import annotations

import csv
import datetime
import os
import re
import select

import pytest

from ccsim.cli import main

openpyxl = pytest.importorskip("openpyxl")

#: The shifts of the made-up center: start [min after midnight], length [min].
TIMES = {"E": (420, 480), "D": (540, 480), "L": (900, 480), "N": (1380, 480)}
CLOCK = {name: f"{start // 60:02d}:{start % 60:02d}" for name, (start, _) in TIMES.items()}
MAX_RUN = 5
PROGRESS = re.compile(r"roster: objective (\d+), bound (\d+), \d+\.\d s")


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write_cover(path, month, needs):
    """A cover file: ``needs(date) -> {shift: agents}`` for each day of the month."""
    rows = ["date,shift,start,minutes,required"]
    day = month
    while day.month == month.month:
        for name, count in needs(day).items():
            rows.append(f"{day},{name},{CLOCK[name]},{TIMES[name][1]},{count}")
        day += datetime.timedelta(days=1)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def read_grid(path):
    """roster.csv as {agent: {date: shift or ''}}."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    dates = [datetime.date.fromisoformat(d) for d in rows[0][1:]]
    return {row[0]: dict(zip(dates, row[1:], strict=True)) for row in rows[1:]}


def broken_rules(*grids, rest_hours=11, max_run=MAX_RUN):
    """The rest and run rules broken by an agent over the grids joined in time order."""
    broken = []
    agents = set().union(*grids)
    for agent in sorted(agents):
        days = {}
        for grid in grids:
            days.update(grid.get(agent, {}))
        shifts = []
        for date in sorted(days):
            if days[date]:
                start, minutes = TIMES[days[date]]
                begin = datetime.datetime.combine(date, datetime.time()) + datetime.timedelta(
                    minutes=start)
                shifts.append((date, begin, begin + datetime.timedelta(minutes=minutes)))
        for (_, _, end), (date, begin, _) in zip(shifts, shifts[1:], strict=False):
            if begin - end < datetime.timedelta(hours=rest_hours):
                broken.append(f"{agent}: rest {begin - end} before {date}")
        run_length, last = 0, None
        for date, _, _ in shifts:
            run_length = run_length + 1 if last == date - datetime.timedelta(days=1) else 1
            last = date
            if run_length > max_run:
                broken.append(f"{agent}: {run_length} days in a row up to {date}")
    return broken


@pytest.fixture
def month_files(tmp_path):
    """January 2027: 1 agent per shift E, L, N; the 26th nothing; the 27th-31st everyone
    (E 2, D 1, L 2, N 1): all six agents work the last five days. February: E, L, N."""
    def january(day):
        if day.day == 26:
            return {}
        if day.day >= 27:
            return {"E": 2, "D": 1, "L": 2, "N": 1}
        return {"E": 1, "L": 1, "N": 1}

    jan = write_cover(tmp_path / "jan.csv", datetime.date(2027, 1, 1), january)
    feb = write_cover(tmp_path / "feb.csv", datetime.date(2027, 2, 1),
                      lambda day: {"E": 1, "L": 1, "N": 1})
    team = tmp_path / "team.csv"
    team.write_text("name,max_consecutive_shifts,contract\n" + "".join(
        f"P{i},{MAX_RUN},{'full' if i <= 3 else 'part'}\n" for i in range(1, 7)),
        encoding="utf-8")
    return jan, feb, str(team)


def test_month_round_trip_with_previous(capsys, tmp_path, month_files):
    jan, feb, team = month_files
    code, stdout, stderr = run(capsys, "roster", "--cover", jan, "--month", "2027-01",
                               "--agents", team, "--output", str(tmp_path / "jan"))
    assert code == 0, stderr
    january = read_grid(tmp_path / "jan" / "roster.csv")
    assert len(next(iter(january.values()))) == 31
    assert broken_rules(january) == []
    last_days = [datetime.date(2027, 1, d) for d in range(27, 32)]
    assert all(january[a][d] for a in january for d in last_days)  # everyone, to the end

    # February after January's roster.xlsx: nobody may work on the 1st (a sixth day)
    code, stdout, stderr = run(capsys, "roster", "--cover", feb, "--month", "2027-02",
                               "--agents", team, "--previous",
                               str(tmp_path / "jan" / "roster.xlsx"),
                               "--output", str(tmp_path / "feb"))
    assert code == 0, stderr
    assert "previous: the last 31 days (2027-01-01 to 2027-01-31) of 6 agents" in stdout
    february = read_grid(tmp_path / "feb" / "roster.csv")
    assert broken_rules(january, february) == []
    assert not any(february[a][datetime.date(2027, 2, 1)] for a in february)
    assert "under 3 (cost 300)" in stdout  # the 1st's three shifts, unavoidably short
    assert not any(s == "D" for row in february.values() for s in row.values())
    book = openpyxl.load_workbook(tmp_path / "feb" / "roster.xlsx")
    assert [r[0] for r in book["shifts"].iter_rows(min_row=2, values_only=True)] == [
        "E", "L", "N"]

    # without --previous the same February breaks the rules across the boundary
    code, stdout, _ = run(capsys, "roster", "--cover", feb, "--month", "2027-02", "--agents",
                          team, "--output", str(tmp_path / "alone"))
    assert code == 0
    alone = read_grid(tmp_path / "alone" / "roster.csv")
    assert broken_rules(alone) == [] and broken_rules(january, alone) != []

    # January's roster.csv lacks the times of D, a shift February does not have
    code, _, stderr = run(capsys, "roster", "--cover", feb, "--month", "2027-02", "--agents",
                          team, "--previous", str(tmp_path / "jan" / "roster.csv"),
                          "--output", str(tmp_path / "csv"))
    assert code == 2
    assert "'D' is not a shift of this roster (its shifts: E, L, N)" in stderr
    assert "roster.xlsx (its 'shifts' sheet has them)" in stderr


def test_workbook_sheets_requests_fairness_and_weekly_hours(capsys, tmp_path):
    # 5 agents, E and L, 2 agents each weekday and 1 each weekend day; at most 32 h a week
    def needs(day):
        return {"E": 1, "L": 1} if day.weekday() >= 5 else {"E": 2, "L": 1}

    cover = write_cover(tmp_path / "cover.csv", datetime.date(2027, 3, 1), needs)
    team = tmp_path / "team.csv"
    team.write_text("name,max_hours_per_week,contract,days_off\n"
                    "Ana,32,full,2027-03-10\nBen,32,full,\nCy,32,full,\n"
                    "Dee,24,part,3;4\nEd,24,part,\n", encoding="utf-8")
    requests = tmp_path / "requests.csv"
    requests.write_text("agent,date,shift,wanted,weight\n"
                        "Ana,2027-03-02,L,yes,50\n"   # cheap to grant
                        "Ben,2027-03-02,,no,40\n"     # a day off: granted
                        "Cy,2027-03-09,E,no,1\n"      # not working E
                        "Ed,2027-03-10,L,yes,1\n",    # and Ed on L the day Ana is on leave
                        encoding="utf-8")
    code, stdout, stderr = run(capsys, "roster", "--cover", cover, "--month", "2027-03",
                               "--agents", str(team), "--requests", str(requests),
                               "--output", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "requests: 4 from --requests" in stdout
    grid = read_grid(tmp_path / "out" / "roster.csv")
    assert grid["Ana"][datetime.date(2027, 3, 10)] == ""  # leave by date
    assert grid["Dee"][datetime.date(2027, 3, 3)] == grid["Dee"][datetime.date(2027, 3, 4)] \
        == ""  # leave by day number
    for agent, limit in (("Ana", 32), ("Dee", 24), ("Ed", 24)):  # calendar weeks Mon-Sun
        weeks = {}
        for date, shift in grid[agent].items():
            weeks.setdefault(date.isocalendar()[:2], []).append(TIMES[shift][1] if shift else 0)
        assert max(sum(m) for m in weeks.values()) <= limit * 60

    book = openpyxl.load_workbook(tmp_path / "out" / "roster.xlsx")
    assert book.sheetnames == ["roster", "coverage", "hours", "penalties", "fairness",
                               "requests", "breaks", "shifts"]
    sheet = book["roster"]
    header = [c.value for c in sheet[1]][1:]
    assert header[0] == datetime.datetime(2027, 3, 1) and len(header) == 31
    for column, day in enumerate(header, start=2):  # weekends marked, weekdays not
        fill = sheet.cell(row=1, column=column).fill
        assert (fill.fill_type == "solid") == (day.weekday() >= 5)
    legend = {row[0].value: row[0].fill.fgColor.rgb
              for row in book["shifts"].iter_rows(min_row=2)}
    assert set(legend) == {"E", "L"} and len(set(legend.values())) == 2
    for row in sheet.iter_rows(min_row=2, min_col=2):
        for cell in row:
            if cell.value:
                assert cell.fill.fgColor.rgb == legend[cell.value]  # one colour per shift

    rows = list(book["requests"].iter_rows(values_only=True))
    assert rows[0] == ("agent", "date", "shift", "wanted", "weight", "rostered", "granted",
                       "cost")
    for agent, date, shift, wanted, weight, rostered, granted, cost in rows[1:]:
        given = grid[agent][date.date()]
        assert (rostered or "") == given
        works = given == shift if shift else given != ""
        assert granted == ("yes" if works == (wanted == "yes") else "no")
        assert cost == (0 if granted == "yes" else weight)
    assert [r[5] for r in rows[1:3]] == ["L", None]  # Ana's L granted, Ben's day off
    refused = sum(r[7] for r in rows[1:])
    penalties = list(book["penalties"].iter_rows(min_row=2, values_only=True))
    assert refused == sum(p[-1] for p in penalties if p[0].startswith("request"))

    hours = {r[0]: r for r in book["hours"].iter_rows(min_row=2, values_only=True)}
    assert hours["Ana"][1] == sum(1 for s in grid["Ana"].values() if s)
    fairness = list(book["fairness"].iter_rows(values_only=True))
    assert fairness[0] == ("contract", "measure", "agents", "fewest", "most", "spread", "mean")
    assert {(r[0], r[1]) for r in fairness[1:]} == {
        (c, m) for c in ("full", "part") for m in ("weekends", "nights", "lates")}
    assert "fairness, contract 'full' (3): weekends " in stdout
    assert book["breaks"].max_row == 1  # a cover file has no breaks: header only
    coverage = list(book["coverage"].iter_rows(values_only=True))
    assert coverage[0][:4] == ("day", "date", "shift", "required")
    for _, date, shift, _, assigned, *_ in coverage[1:]:
        assert assigned == sum(grid[a][date.date()] == shift for a in grid)


def test_weights_change_the_roster(capsys, tmp_path, month_files):
    """--split-weekend-weight and --fairness-weight reach the roster: printed, priced."""
    _, feb, team = month_files
    code, stdout, _ = run(capsys, "roster", "--cover", feb, "--month", "2027-02", "--agents",
                          team, "--split-weekend-weight", "0", "--fairness-weight", "0",
                          "--output", str(tmp_path / "zero"))
    assert code == 0
    assert "fairness: 0 per weekend worked on one day only" in stdout
    assert "split_weekend" not in stdout and "spread" not in stdout.split("penalties:")[1]
    code, stdout, _ = run(capsys, "roster", "--cover", feb, "--month", "2027-02", "--agents",
                          team, "--split-weekend-weight", "7", "--fairness-weight", "3",
                          "--output", str(tmp_path / "priced"))
    assert code == 0
    assert ("fairness: 7 per weekend worked on one day only (--split-weekend-weight); 3 per "
            "unit of spread") in stdout
    book = openpyxl.load_workbook(tmp_path / "priced" / "roster.xlsx")
    grid = read_grid(tmp_path / "priced" / "roster.csv")
    split = sum(1 for agent in grid for saturday in grid[agent]
                if saturday.weekday() == 5 and saturday + datetime.timedelta(days=1)
                in grid[agent] and bool(grid[agent][saturday]) != bool(
                    grid[agent][saturday + datetime.timedelta(days=1)]))
    costs = {}
    for kind, *_, cost in book["penalties"].iter_rows(min_row=2, values_only=True):
        costs[kind] = costs.get(kind, 0) + cost
    assert costs.get("split_weekend", 0) == 7 * split


def plan_file(tmp_path, grouped):
    """A shifts.csv as 'ccsim schedule' writes it (ShiftPlan.to_frame), 7 days of March."""
    import numpy as np
    import pandas as pd

    from ccsim.shifts import schedule_shifts, shift_catalogue

    index = pd.date_range("2027-03-01", periods=7 * 24, freq="60min", name="interval_start")
    hour = index.hour
    need = pd.DataFrame({"IN": np.where((hour >= 8) & (hour < 20), 2, 0),
                         "PS": np.where((hour >= 10) & (hour < 22), 1, 0)}, index=index)
    templates = shift_catalogue(("08:00", "22:00"), [8], every_minutes=120)
    plan = schedule_shifts(need if grouped else need["IN"], templates)
    path = tmp_path / "shifts.csv"
    plan.to_frame().to_csv(path, index=False)
    return str(path), plan


def test_plan_of_groups_with_group_and_month(capsys, tmp_path):
    path, plan = plan_file(tmp_path, grouped=True)
    team = tmp_path / "team.csv"
    team.write_text("name\n" + "".join(f"B{i}\n" for i in range(1, 7)), encoding="utf-8")
    code, stdout, stderr = run(capsys, "roster", "--plan", path, "--group", "IN", "--month",
                               "2027-03", "--agents", str(team), "--split-weekend-weight", "0",
                               "--fairness-weight", "0", "--output", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "(group IN), --month 2027-03: 2027-03-01 to 2027-03-31" in stdout
    assert "roster: optimal, objective 0, bound 0 (6 agents, 31 days)" in stdout
    grid = read_grid(tmp_path / "out" / "roster.csv")
    counts = plan.counts[plan.counts["group"] == "IN"]
    for date, template, agents in zip(counts["date"], counts["template"], counts["agents"],
                                      strict=True):  # the plan covered exactly
        assert sum(grid[a][date.date()] == template for a in grid) == agents
    assert all(shift == "" for row in grid.values() for date, shift in row.items()
               if date.day > 7)  # the rest of March needs nobody
    book = openpyxl.load_workbook(tmp_path / "out" / "roster.xlsx")
    breaks = list(book["breaks"].iter_rows(values_only=True))
    assert breaks[0] == ("agent", "date", "shift", "rule", "break", "start", "end")  # no paid
    slots, rules = {}, {}
    for agent, date, shift, rule, label, start, end in breaks[1:]:
        assert grid[agent][date.date()] == shift
        slots[(shift, start, end, label)] = slots.get((shift, start, end, label), 0) + 1
        rules.setdefault((agent, date), []).append(rule)
    assert len(rules) == int(counts["agents"].sum())  # every agent on a shift: 3 breaks
    assert all(sorted(r) == [1, 2, 3] for r in rules.values())
    planned = plan.breaks[plan.breaks["group"] == "IN"]
    assert slots == {(t, s.to_pydatetime(), e.to_pydatetime(), b): int(n) for t, s, e, b, n in
                     zip(planned["template"], planned["start"], planned["end"],
                         planned["break"], planned["agents"], strict=True)}


def test_same_seed_same_files_and_progress(capsys, tmp_path, month_files):
    _, feb, team = month_files
    args = ["roster", "--cover", feb, "--month", "2027-02", "--agents", team, "--seed", "7",
            "--output", str(tmp_path / "out")]
    code, first, stderr = run(capsys, *args)
    assert code == 0
    first_csv = (tmp_path / "out" / "roster.csv").read_bytes()
    code, second, stderr = run(capsys, *args)
    assert code == 0
    assert (tmp_path / "out" / "roster.csv").read_bytes() == first_csv
    assert second == first  # stdout: the same; only the progress on stderr may differ
    lines = stderr.splitlines()
    assert lines and all(PROGRESS.fullmatch(line) for line in lines), lines
    objective = re.search(r"roster: \w+, objective (\d+), bound (\d+)", first)
    assert PROGRESS.fullmatch(lines[-1])[1] == objective[1]  # the last: the roster's


def test_progress_line_rewrites_one_line_on_a_terminal(tmp_path):
    from ccsim.cli._roster_work import ProgressLine

    times = iter([0.0, 0.5, 1.2, 1.4])
    master, slave = os.openpty()
    try:
        with open(slave, "w", closefd=False) as terminal:
            line = ProgressLine(terminal, clock=lambda: next(times))
            assert line.tty
            for objective, bound, seconds in ((120, 0, 0.1), (110, 20, 0.6), (100, 90, 1.3),
                                              (95, 95, 1.5)):
                line(objective, bound, seconds)
            line.close()
        chunks = []
        while select.select([master], [], [], 2.0)[0]:  # read all that was written
            chunk = os.read(master, 4096)
            chunks.append(chunk)
            if chunk.endswith(b"\n"):
                break
        text = b"".join(chunks).decode()
    finally:
        os.close(master)
        os.close(slave)
    # shown: the first, the one a second later, and the last (at close); on one line
    assert text.replace("\r\n", "\n") == (
        "\rroster: objective 120, bound 0, 0.1 s"
        "\rroster: objective 100, bound 90, 1.3 s"
        "\rroster: objective 95, bound 95, 1.5 s \n")
    with open(tmp_path / "log", "w") as log:  # a file: one line each
        line = ProgressLine(log, clock=iter([0.0, 0.5]).__next__)
        line(10, 0, 0.1)
        line(5, 5, 0.2)
        line.close()
    assert (tmp_path / "log").read_text() == ("roster: objective 10, bound 0, 0.1 s\n"
                                              "roster: objective 5, bound 5, 0.2 s\n")
