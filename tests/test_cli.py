"""Tests of the ``ccsim`` command line, run in-process through ``ccsim.cli.main``.

The classic example (100 calls per 30 min, AHT 180 s, 10 Erlangs, target 80/20)
needs 14 agents with a service level of 0.888 (Erlang C; e.g. Koole, "Call Center
Optimization", 2013, and any Erlang C calculator).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import ccsim
from ccsim import erlang
from ccsim.cli import main

CLASSIC = ["what-if", "--calls", "100", "--interval", "30", "--aht", "180", "--agents", "10-18",
           "--target", "80/20"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def table_rows(out: str) -> dict[int, str]:
    """The table's lines keyed by their agent count."""
    return {int(line.split()[0]): line for line in out.splitlines()[1:]  # [0]: the summary
            if line.strip() and line.split()[0].isdigit()}


def test_table_marks_least_count_meeting_target(capsys):
    code, out, err = run(capsys, *CLASSIC)
    assert code == 0 and err == ""
    first = out.splitlines()[0]
    assert "10.00 Erlangs" in first and "Erlang C" in first and "80/20" in first
    rows = table_rows(out)
    assert sorted(rows) == list(range(10, 19))
    marked = [n for n, line in rows.items() if "<- least meeting 80/20" in line]
    assert marked == [14]
    assert rows[14].split()[1] == "0.888"
    assert rows[13].split()[1] == "0.796"


def test_no_arguments_runs_the_classic_example(capsys):
    for args in ([], ["what-if"]):
        code, out, err = run(capsys, *args)
        assert code == 0 and err == ""
        assert out == run(capsys, *CLASSIC)[1]


def test_csv_parses_and_flags_least(capsys):
    code, out, _ = run(capsys, *CLASSIC, "--format", "csv")
    assert code == 0
    records = list(csv.DictReader(io.StringIO(out)))
    assert [int(r["agents"]) for r in records] == list(range(10, 19))
    assert [r["agents"] for r in records if r["least"] == "True"] == ["14"]
    assert [r["meets_target"] for r in records] == ["False"] * 4 + ["True"] * 5
    row = records[4]
    assert float(row["service_level"]) == pytest.approx(erlang.service_level(10, 14, 180, 20))
    assert float(row["p_abandon"]) == 0.0
    assert records[0]["asa_seconds"] == "inf"


def test_json_parses_with_inputs_and_rows(capsys):
    code, out, _ = run(capsys, *CLASSIC, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["model"] == "Erlang C"
    assert data["traffic"] == pytest.approx(10.0)
    assert data["least_agents"] == 14
    assert data["notes"] == []
    by_agents = {row["agents"]: row for row in data["rows"]}
    assert [n for n, row in by_agents.items() if row["least"]] == [14]
    assert by_agents[14]["service_level"] == pytest.approx(0.88835, abs=5e-6)
    assert by_agents[14]["occupancy"] == pytest.approx(10 / 14)
    assert by_agents[10]["asa_seconds"] is None  # unstable queue: infinite ASA


def test_patience_uses_erlang_a(capsys):
    args = ["what-if", "--calls", "600", "--interval", "60", "--aht", "180", "--agents", "28-36",
            "--target", "80/20", "--patience", "120", "--format", "json"]
    code, out, _ = run(capsys, *args)
    assert code == 0
    data = json.loads(out)
    assert data["model"] == "Erlang A" and data["patience_seconds"] == 120
    expected = erlang.erlang_a(30.0, list(range(28, 37)), 180, 120, 20)
    for i, row in enumerate(data["rows"]):
        assert row["service_level"] == pytest.approx(expected.service_level[i])
        assert row["p_abandon"] == pytest.approx(expected.p_abandon[i])
        assert row["p_abandon"] > 0
        assert row["asa_seconds"] == pytest.approx(expected.asa_seconds[i])
    least = erlang.agents_for_service_level(30.0, 180, 0.8, 20, patience_seconds=120)
    assert [row["agents"] for row in data["rows"] if row["least"]] == [least]
    code, out, _ = run(capsys, *args[:-2])
    assert "Erlang A (mean patience 120 s)" in out.splitlines()[0]
    assert "<- least meeting 80/20" in table_rows(out)[least]


def test_target_as_fraction_and_max_occupancy(capsys):
    code, out, _ = run(capsys, *CLASSIC[:-1], "0.8/20", "--max-occupancy", "70")
    assert code == 0
    assert "occupancy <= 70%" in out.splitlines()[0]
    assert "<- least meeting" in table_rows(out)[15]  # 10/14 = 0.714 > 0.70


def test_agents_as_list_and_single(capsys):
    _, out, _ = run(capsys, *CLASSIC[:-3], "12,14,16", "--target", "80/20")
    assert sorted(table_rows(out)) == [12, 14, 16]
    _, out, _ = run(capsys, *CLASSIC[:-3], "14", "--target", "80/20")
    assert list(table_rows(out)) == [14]


def test_range_without_a_meeting_count_says_which_does(capsys):
    code, out, _ = run(capsys, *CLASSIC[:-3], "10-12", "--target", "80/20")
    assert code == 0
    assert "No count from 10 to 12 meets 80/20; the least count that does is 14." in out
    assert "<- least" not in out
    _, out, _ = run(capsys, *CLASSIC[:-3], "20-22", "--target", "80/20")
    assert "The least count meeting 80/20 is 14, below the counts shown." in out


@pytest.mark.parametrize(
    ("args", "pieces"),
    [
        (["--aht", "0", "--calls", "100"], ["--aht", "'0'", "seconds from 1 to 86400"]),
        (["--calls", "-5", "--aht", "180"], ["--calls", "'-5'", ">= 0"]),
        (["--interval", "abc"], ["--interval", "'abc'", "minutes > 0"]),
        (["--per", "0"], ["--per", "'0'", "minutes > 0"]),
        (["--interval", "30", "--per", "30"], ["give --interval only"]),
        (["--agents", "40-30"], ["--agents", "'40-30'", "range 30-40"]),
        (["--agents", "0"], ["--agents", "'0'", "whole numbers from 1 to 200000"]),
        (["--target", "80"], ["--target", "'80'", "80/20"]),
        (["--target", "120/20"], ["--target", "'120/20'", "below 100"]),
        (["--patience", "-1"], ["--patience", "'-1'", "seconds from 1 to 86400"]),
        (["--max-occupancy", "0"], ["--max-occupancy", "'0'", "(0, 100]"]),
        (["--format", "xml"], ["--format", "'xml'", "table"]),
        (["--calls", "100"], ["--aht is required with --calls"]),
        (["--nonsense"], ["unrecognized arguments: --nonsense"]),
    ],
)
def test_bad_input_exits_2_naming_the_option(capsys, args, pieces):
    code, out, err = run(capsys, "what-if", *args)
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    for piece in pieces:
        assert piece in err


def test_unknown_command_exits_2(capsys):
    code, _, err = run(capsys, "no-such-command")
    assert code == 2 and "invalid choice: 'no-such-command'" in err


def test_help_documents_options_with_units(capsys):
    code, out, _ = run(capsys, "what-if", "--help")
    assert code == 0
    for option in ("--calls", "--interval", "--aht", "--agents", "--target", "--patience",
                   "--max-occupancy", "--format"):
        assert option in out
    assert "--per" not in out  # the deprecated alias is hidden
    assert "[s]" in out and "[min]" in out


def test_per_is_a_deprecated_alias_of_interval(capsys):
    code, out, err = run(capsys, *[a if a != "--interval" else "--per" for a in CLASSIC])
    assert code == 0
    assert out == run(capsys, *CLASSIC)[1]
    assert err == ("ccsim what-if: --per is deprecated and will be removed in the next release; "
                   "use --interval\n")


def test_what_if_function_keeps_its_old_keywords():
    from ccsim.cli import what_if

    new = what_if(100, 30, 180, None, 0.8, 20)
    assert (new.calls_per_interval, new.interval_minutes, new.least_agents) == (100, 30, 14)
    with pytest.warns(DeprecationWarning) as record:
        old = what_if(calls=100, per_minutes=30, aht_seconds=180)
    assert old == new
    assert [str(w.message).split(":")[1].strip() for w in record] == [
        "calls= is deprecated and will be removed in the next release; use calls_per_interval=",
        "per_minutes= is deprecated and will be removed in the next release; use "
        "interval_minutes="]
    with pytest.warns(DeprecationWarning, match="interval_minutes"):
        assert new.per_minutes == 30
    with pytest.raises(ccsim.CCSimInputError, match="give interval_minutes= only"):
        what_if(100, 30, 180, per_minutes=30)


def test_json_keeps_the_deprecated_input_keys(capsys):
    data = json.loads(run(capsys, *CLASSIC, "--format", "json")[1])
    assert data["calls_per_interval"] == data["calls"] == 100
    assert data["interval_minutes"] == data["per_minutes"] == 30


def test_python_dash_m_ccsim_prints_json(tmp_path):
    # Run the same ccsim as this test process (installed or source tree), from elsewhere.
    path = os.pathsep.join([str(Path(ccsim.__file__).parent.parent),
                            os.environ.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-m", "ccsim", "what-if", "--format", "json"],
                          capture_output=True, text=True, check=False, timeout=120,
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": path})
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["least_agents"] == 14
    assert [row["agents"] for row in data["rows"]] == list(range(10, 19))


# ------------------------------------------------------------------ ccsim schedule
def _read_coverage(path: Path):
    import pandas as pd

    return pd.read_csv(path, index_col="interval_start", parse_dates=True)


def test_schedule_runs_the_bank_example_and_writes_its_files(capsys, tmp_path):
    out = tmp_path / "plan"
    code, text, err = run(capsys, "schedule", "--days", "2", "--output", str(out))
    assert code == 0, err
    assert text.startswith("ccsim schedule: the bank example")
    assert "forecast Mon 1999-02-01 to Tue 1999-02-02, 30-min intervals" in text
    assert "Erlang A, mean patience" in text and "target 80/20, open 07:00-24:00" in text
    assert "shifts: 9 h (8 paid; break 15 min, lunch 60 min unpaid, break 15 min)" in text
    plan_line = next(line for line in text.splitlines() if line.startswith("plan: "))
    assert "paid hours, lower bound" in plan_line and "(gap " in plan_line
    assert "agents starting" in text and "all shifts" in text and "Mon 02-01" in text
    assert sorted(p.name for p in out.iterdir()) == ["coverage.csv", "coverage.png",
                                                     "plan.xlsx", "shifts.csv"]  # no temporary
    assert (out / "coverage.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    coverage = _read_coverage(out / "coverage.csv")
    assert len(coverage) == 96 and (coverage["on_phones"] >= coverage["required"]).all()
    shifts = (out / "shifts.csv").read_text().splitlines()
    assert shifts[0] == "kind,date,template,shift_start,break,start,end,agents"
    assert (f"wrote {out / 'coverage.png'}, {out / 'coverage.csv'}, {out / 'shifts.csv'}, "
            f"{out / 'plan.xlsx'}") in text


def test_schedule_daily_target_reports_the_hours_saved(capsys, tmp_path):
    code, text, err = run(capsys, "schedule", "--days", "2", "--daily-target", "--output",
                          str(tmp_path))
    assert code == 0, err
    rows = [line.split() for line in text.splitlines()
            if line.startswith(("Mon 1999", "Tue 1999")) and line.split()[3].endswith("%")]
    assert len(rows) == 2
    for row in rows:  # date, calls, day's SL, paid h, interval plan SL, hours, saved
        assert float(row[3].rstrip("%")) >= 80.0 and float(row[-1]) >= 0
    assert "the daily target saves" in text and "against covering the target in every " \
        "interval" in text


def test_schedule_from_a_requirement_csv(capsys, tmp_path):
    import pandas as pd

    index = pd.date_range("2024-03-04 06:00", "2024-03-04 21:30", freq="30min")
    hours = index.hour + index.minute / 60
    need = pd.DataFrame({"interval_start": index,
                         "agents": (3 + 4 * (abs(hours - 13) < 3)).astype(int)})
    source = tmp_path / "need.csv"
    need.to_csv(source, index=False)
    code, text, err = run(capsys, "schedule", "--requirement", str(source), "--lengths", "8,4",
                          "--every", "60", "--output", str(tmp_path / "out"))
    assert code == 0, err
    assert f"the requirement in {source} (32 intervals of 30 min" in text
    assert "plan: optimal" in text
    coverage = _read_coverage(tmp_path / "out" / "coverage.csv")
    assert (coverage["on_phones"] >= coverage["required"]).all()
    assert coverage.index[0] == pd.Timestamp("2024-03-04 06:00")


def test_schedule_explains_impossible_coverage(capsys, tmp_path):
    source = tmp_path / "night.csv"
    source.write_text("interval_start,agents\n" + "".join(
        f"2024-03-04 {h:02d}:00,{2 if h in (3, 9) else 0}\n" for h in range(24)))
    code, out, err = run(capsys, "schedule", "--requirement", str(source), "--open",
                         "07:00-22:00", "--output", str(tmp_path / "out"))
    assert code == 2 and "Traceback" not in err
    assert ("ccsim schedule: error: no template covers 1 interval(s) where the requirement needs "
            "agents: 2024-03-04 03:00-04:00 (needs up to 2)") in err
    assert "--open, --lengths and --every" in err and "--penalty" in err
    assert not (tmp_path / "out").exists()


def test_schedule_never_overwrites_its_input(capsys, tmp_path):
    source = tmp_path / "coverage.csv"
    source.write_text("interval_start,agents\n" + "".join(
        f"2024-03-04 {h:02d}:00,1\n" for h in range(8, 20)))
    code, _, err = run(capsys, "schedule", "--requirement", str(source), "--lengths", "4",
                       "--output", str(tmp_path))
    assert code == 2
    assert f"--output {str(tmp_path)!r} would overwrite the input" in err
    assert source.read_text().startswith("interval_start,agents\n2024-03-04 08:00,1")


@pytest.mark.parametrize(("args", "pieces"), [
    (["--open", "25:00-26:00"], ["--open", "'25:00-26:00'", "HH:MM-HH:MM"]),
    (["--lengths", "0,8"], ["--lengths", "'0,8'", "at most 24"]),
    (["--lengths", "8.1"], ["--lengths", "'8.1'", "quarter hours"]),
    (["--days", "0"], ["--days", "'0'", "from 1 to 28"]),
    (["--every", "5"], ["--every", "'5'", "from 15 to 240"]),
    (["--patience", "-3"], ["--patience", "'-3'", "'none' for Erlang C"]),
    (["--requirement", "no-such-file.csv"], ["--requirement 'no-such-file.csv' is not a file"]),
    (["--lengths", "20", "--open", "08:00-18:00"], ["--lengths 20: no shift length fits in the "
                                                    "opening hours 08:00-18:00 (10 h)"]),
    (["--every", "45"], ["--every 45", "30-min grid"]),
    (["--gap", "100"], ["--gap", "'100'", "below 100 %"]),
    (["--open", "07:15-22:00"], ["--open 07:15-22:00", "30-min grid"]),
    (["--workers", "1000"], ["--workers", "'1000'", "from 1 to 32"]),
])
def test_schedule_bad_input_exits_2_naming_the_option(capsys, tmp_path, args, pieces):
    code, out, err = run(capsys, "schedule", *args, "--output", str(tmp_path / "out"))
    assert code == 2 and "Traceback" not in err
    for piece in pieces:
        assert piece in err


def test_importing_the_cli_stays_light(tmp_path):
    path = os.pathsep.join([str(Path(ccsim.__file__).parent.parent),
                            os.environ.get("PYTHONPATH", "")])
    code = ("import sys, ccsim.cli; ccsim.cli.build_parser(); "
            "print(sorted(m for m in ('pandas', 'matplotlib', 'simpy', 'ccsim.shifts') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, timeout=120, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": path})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
