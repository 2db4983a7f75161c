"""Tests of ``ccsim what-if --center --simulate`` and ``ccsim plan --center``."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ccsim.cli import main

EXAMPLE = Path(__file__).parent.parent / "examples" / "center" / "center.toml"

#: A tiny center for plan --center: one 8-hour day of hourly intervals, two groups.
TINY = """\
name = "tiny floor"
start = 2027-03-01
days = 1
interval_minutes = 60
opening = "09:00-17:00"
agents = "agents.csv"

[routing]
agent_selection = "group-order"

[shifts]
shift_hours = [8, 4]
every_minutes = 60
breaks = "none"

[plan]
replications = 4
max_rounds = 3
time_limit_seconds = 30

[[call_types]]
name = "general"
aht_seconds = 240
patience_seconds = 180
arrivals_per_hour = 40

[[call_types]]
name = "vip"
aht_seconds = 300
arrivals_per_hour = 8
overflow = { zone = 30 }

[[groups]]
name = "desk"
skills = ["vip"]
agents = 2

[[groups]]
name = "zone"
skills = ["general"]
agents = 4
"""
AGENTS = "name,skills\n" + "".join(f"Z{i},zone\n" for i in range(1, 11)) + \
    "".join(f"D{i},desk;zone\n" for i in range(1, 6))


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ what-if --simulate

def test_what_if_simulates_the_example_floor(capsys):
    code, out, err = run(capsys, "what-if", "--center", str(EXAMPLE), "--simulate")
    assert code == 0, err
    assert "the planned days: 2 day(s) from 2027-03-01" in out and "replications" in out
    assert "simulated in" in out  # the run time
    lines = out.splitlines()
    for name in ("general", "vip", "english"):
        row = next(line for line in lines if line.startswith(name + " "))
        assert row.count("±") == 3  # SL, ASA, abandonment
    for name in ("vip_desk", "english_desk", "general_zone"):
        row = next(line for line in lines if line.startswith(name + " "))
        assert "±" in row  # occupancy


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_more_agents_raise_the_service_level_in_a_sweep(capsys):
    code, out, err = run(capsys, "what-if", "--center", str(EXAMPLE), "--simulate", "--set",
                         "general_zone.agents=7,9,12", "--set", "lines=200", "--format", "csv",
                         "--replications", "5")
    assert code == 0, err
    rows = read_csv(out)
    general = [r for r in rows if r["kind"] == "call_type" and r["name"] == "general"]
    assert [r["value"] for r in general] == ["7", "9", "12"]
    assert {r["setting"] for r in rows} == {"general_zone.agents"}
    levels = [float(r["service_level"]) for r in general]
    assert levels[0] < levels[1] < levels[2]
    occupancy = [float(r["occupancy"]) for r in rows if r["name"] == "general_zone"]
    assert occupancy[0] > occupancy[1] > occupancy[2]


def test_set_on_a_stationary_floor_and_json(capsys):
    code, out, err = run(capsys, "what-if", "--center", str(EXAMPLE), "--simulate",
                         "--set", "general.arrivals_per_hour=80", "--set",
                         "general.aht_seconds=200", "--format", "json", "--seed", "3")
    assert code == 0, err
    data = json.loads(out)
    assert data["stationary"] is True and data["seed"] == 3 and data["replications"] == 10
    assert data["span"].startswith("stationary: 8 h judged after a 1 h warm-up")
    (only,) = data["runs"]
    assert only["settings"] == {"general.arrivals_per_hour": 80.0, "general.aht_seconds": 200.0}
    general = only["call_types"][0]
    assert general["call_type"] == "general" and 0 < general["service_level"] <= 1
    assert general["offered"] == pytest.approx(80 * 8, rel=0.1)  # 8 judged hours
    with_fewer = json.loads(run(capsys, "what-if", "--center", str(EXAMPLE), "--simulate",
                                "--set", "general.arrivals_per_hour=80", "--set",
                                "general.aht_seconds=200", "--set", "general_zone.agents=6",
                                "--format", "json", "--seed", "3")[1])
    assert with_fewer["runs"][0]["call_types"][0]["service_level"] < general["service_level"]


@pytest.mark.parametrize(("argv", "pieces"), [
    (["--set", "zone1.agents=45"],
     ["--set 'zone1.agents=45': unknown setting 'zone1.agents'", "valid: vip_desk.agents"]),
    (["--set", "general_zone.agents=4.5"],
     ["--set 'general_zone.agents=4.5': setting 'general_zone.agents' must be a whole number"]),
    (["--set", "general_zone.agents"], ["argument --set: must be KEY=VALUE"]),
    (["--set", "general_zone.agents=1,2", "--set", "vip_desk.agents=1,2"],
     ["only one --set may list several values"]),
    (["--set", "lines=3", "--set", "lines=4"], ["'lines' is set twice"]),
    (["--calls", "100"], ["--calls is an option of the Erlang what-if"]),
    (["--replications", "1"], ["argument --replications"]),
])
def test_bad_what_if_options_exit_2_naming_the_option(capsys, argv, pieces):
    code, _, err = run(capsys, "what-if", "--center", str(EXAMPLE), "--simulate", *argv)
    assert code == 2 and "Traceback" not in err
    for piece in pieces:
        assert piece in err


def test_simulate_needs_a_center_and_a_center_needs_simulate(capsys):
    code, _, err = run(capsys, "what-if", "--simulate")
    assert code == 2 and "--simulate needs --center FILE" in err
    code, _, err = run(capsys, "what-if", "--center", str(EXAMPLE))
    assert code == 2 and "--center needs --simulate" in err
    code, out, _ = run(capsys, "what-if")  # the Erlang what-if stays the default
    assert code == 0 and "Erlang C" in out


@pytest.mark.parametrize("command", [["what-if", "--simulate"], ["plan"]])
def test_a_bad_center_file_is_one_line_without_traceback(capsys, tmp_path, command):
    bad = tmp_path / "center.toml"
    bad.write_text(TINY.replace('skills = ["general"]', 'skills = ["generl"]'))
    code, _, err = run(capsys, *command, "--center", str(bad), "--output" if command == ["plan"]
                       else "--format", str(tmp_path / "out") if command == ["plan"] else "table")
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "--center '" in err and "groups[1] ('zone').skills: names 'generl'" in err
    bad.write_text("start = [")
    code, _, err = run(capsys, *command, "--center", str(bad))
    assert code == 2 and "is not valid TOML" in err and "Traceback" not in err
    code, _, err = run(capsys, *command, "--center", str(tmp_path / "missing.toml"))
    assert code == 2 and "no such file" in err
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ plan --center

@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    directory = tmp_path_factory.mktemp("center")
    (directory / "center.toml").write_text(TINY)
    (directory / "agents.csv").write_text(AGENTS)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["plan", "--center", str(directory / "center.toml"), "--output",
                     str(directory / "out")])
    return code, out.getvalue(), directory / "out"


def test_plan_center_runs_every_stage_and_says_so(planned):
    code, out, _ = planned
    assert code == 0, out
    assert "ccsim plan: tiny floor" in out
    assert "call type vip: 8 calls/h" in out and "overflow to zone after 30 s" in out
    assert "group desk: skills vip" in out and "agents: 15 from" in out
    assert "staffing by simulation (4 replications, seed 0" in out and "round 1:" in out
    assert "plan: met" in out or "plan: short" in out
    assert "days (simulated):" in out and "Mon 2027-03-01" in out


def test_plan_center_writes_its_files(planned):
    _, _, directory = planned
    assert sorted(p.name for p in directory.iterdir()) == ["plan.png", "plan.xlsx",
                                                          "roster.csv"]
    roster = pd.read_csv(directory / "roster.csv", index_col="agent", keep_default_na=False)
    assert list(roster.columns) == ["2027-03-01"] and len(roster) == 15
    worked = roster["2027-03-01"][roster["2027-03-01"] != ""]
    assert worked.str.endswith("[desk]").any() and worked.str.endswith("[zone]").any()
    assert not worked[worked.str.endswith("[desk]")].index.str.startswith("Z").any()
    book = openpyxl.load_workbook(directory / "plan.xlsx")
    assert book.sheetnames == ["roster", "report", "daily", "iterations", "shifts"]
    shifts = pd.read_excel(directory / "plan.xlsx", sheet_name="shifts")
    assert set(shifts["group"]) == {"desk", "zone"}
    assert (directory / "plan.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plan_center_refuses_days_and_agents_with_unknown_groups(capsys, tmp_path):
    (tmp_path / "center.toml").write_text(TINY)
    (tmp_path / "agents.csv").write_text(AGENTS)
    center = str(tmp_path / "center.toml")
    code, _, err = run(capsys, "plan", "--center", center, "--days", "2", "--output",
                       str(tmp_path / "out"))
    assert code == 2 and "--days is not taken with --center" in err
    (tmp_path / "other.csv").write_text("name,skills\nAna,back_office\n")
    code, _, err = run(capsys, "plan", "--center", center, "--agents",
                       str(tmp_path / "other.csv"), "--output", str(tmp_path / "out"))
    assert code == 2 and "agent 'Ana' has skill 'back_office', not a group" in err
    (tmp_path / "center.toml").write_text(TINY.replace('agents = "agents.csv"\n', ""))
    code, _, err = run(capsys, "plan", "--center", center, "--output", str(tmp_path / "out"))
    assert code == 2 and "names no agents file" in err
    assert not (tmp_path / "out").exists()


def test_fewer_lines_block_calls(capsys):
    code, out, err = run(capsys, "what-if", "--center", str(EXAMPLE), "--simulate", "--set",
                         "lines=8,40", "--format", "csv")
    assert code == 0, err
    general = [r for r in read_csv(out) if r["name"] == "general"]
    assert float(general[0]["p_blocked"]) > float(general[1]["p_blocked"]) >= 0
    code, out, _ = run(capsys, "what-if", "--center", str(EXAMPLE), "--simulate", "--set",
                       "lines=8")
    assert code == 0 and "blocked" in out.splitlines()[3]
