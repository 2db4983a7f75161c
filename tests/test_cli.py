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

CLASSIC = ["what-if", "--calls", "100", "--per", "30", "--aht", "180", "--agents", "10-18",
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
    args = ["what-if", "--calls", "600", "--per", "60", "--aht", "180", "--agents", "28-36",
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
        (["--aht", "0", "--calls", "100"], ["--aht", "'0'", "seconds > 0"]),
        (["--calls", "-5", "--aht", "180"], ["--calls", "'-5'", ">= 0"]),
        (["--per", "abc"], ["--per", "'abc'", "minutes > 0"]),
        (["--agents", "40-30"], ["--agents", "'40-30'", "range 30-40"]),
        (["--agents", "0"], ["--agents", "'0'", "whole numbers >= 1"]),
        (["--target", "80"], ["--target", "'80'", "80/20"]),
        (["--target", "120/20"], ["--target", "'120/20'", "below 100"]),
        (["--patience", "-1"], ["--patience", "'-1'", "seconds > 0"]),
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
    for option in ("--calls", "--per", "--aht", "--agents", "--target", "--patience",
                   "--max-occupancy", "--format"):
        assert option in out
    assert "[s]" in out and "[min]" in out


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
