"""``ccsim schedule --group-by type``: each call type planned as its own skill group."""

from __future__ import annotations

import contextlib
import io
import re
import warnings
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ccsim.io
from ccsim import arrivals
from ccsim.cli import main

openpyxl = pytest.importorskip("openpyxl")

FILES = ["coverage.csv", "coverage.png", "plan.xlsx", "shifts.csv"]
SHEETS = ["shifts per day", "breaks", "coverage", "summary", "solver"]
PLAN_LINE = re.compile(r"^(plan|group (\w+)): \w+, cost [\d,.]+ for ([\d,.]+) paid hours, "
                       r"lower bound [\d,.]+ \(gap [\d.]+%\), (\d+) shifts", re.M)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["schedule", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def packaged_log() -> Path:
    return Path(str(resources.files("ccsim.data").joinpath("anonymous_bank_1999_january.csv.gz")))


def plan_lines(text: str) -> dict[str, tuple[float, int]]:
    """Paid hours and shifts of the printed plan ('plan') and of each group."""
    return {m[2] or "plan": (float(m[3].replace(",", "")), int(m[4]))
            for m in PLAN_LINE.finditer(text)}


@pytest.fixture(scope="module")
def typed(tmp_path_factory) -> tuple[str, Path]:
    """The packaged bank log planned per call type: 2 days (printed text, output dir)."""
    out = tmp_path_factory.mktemp("typed")
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["schedule", "--calls", str(packaged_log()), "--days", "2", "--time-limit",
                     "4", "--group-by", "type", "--output", str(out)])
    assert code == 0
    return buffer.getvalue(), out


@pytest.fixture(scope="module")
def bank_types() -> list[str]:
    calls = ccsim.io.load_example_calls()
    with warnings.catch_warnings():  # whole days without calls (11-12 January)
        warnings.simplefilter("ignore", UserWarning)
        return sorted(arrivals.history_from_calls(calls, interval_minutes=30)["call_type"].unique())


def test_group_by_type_writes_the_four_files_with_a_group_column(typed, bank_types):
    text, out = typed
    assert sorted(p.name for p in out.iterdir()) == FILES
    assert f"each call type its own group of agents ({len(bank_types)} groups)" in text
    coverage = pd.read_csv(out / "coverage.csv", parse_dates=["interval_start"])
    assert list(coverage.columns[:2]) == ["interval_start", "group"]
    assert sorted(coverage["group"].unique()) == bank_types
    assert len(coverage) == 2 * 48 * len(bank_types)  # every group, every interval
    shifts = pd.read_csv(out / "shifts.csv")
    assert shifts.columns[0] == "group"
    assert set(shifts["group"]) <= set(bank_types)
    book = openpyxl.load_workbook(out / "plan.xlsx")
    assert book.sheetnames == SHEETS
    for sheet in book:
        header = next(sheet.values)
        assert "group" in header[:2], sheet.title
    groups = {row[0] for row in list(book["summary"].values)[1:]}
    assert groups == {*bank_types, "all groups"}


def test_the_groups_add_up_to_the_plan(typed, bank_types):
    text, out = typed
    lines = plan_lines(text)
    assert sorted(k for k in lines if k != "plan") == bank_types
    paid, shifts = lines["plan"]
    assert sum(v[0] for k, v in lines.items() if k != "plan") == pytest.approx(paid)
    assert sum(v[1] for k, v in lines.items() if k != "plan") == shifts
    table = pd.read_csv(out / "shifts.csv")
    per_group = table[table["kind"] == "shift"].groupby("group")["agents"].sum()
    assert per_group.sum() == shifts
    for name, count in per_group.items():
        assert lines[name][1] == count
    coverage = pd.read_csv(out / "coverage.csv")
    required = coverage.groupby("group")["required"].sum() * 0.5  # agent-hours
    summed = float(re.search(r"requirement: ([\d,.]+) agent-hours", text)[1].replace(",", ""))
    assert required.sum() == pytest.approx(summed, abs=0.05)
    summary = list(openpyxl.load_workbook(out / "plan.xlsx")["summary"].values)
    head = summary[0]
    totals = {row[0]: row for row in summary[1:] if row[1] == "total"}
    paid_at = head.index("paid hours")
    assert totals["all groups"][paid_at] == pytest.approx(paid)
    assert sum(totals[g][paid_at] for g in bank_types) == pytest.approx(paid)
    for name in bank_types:
        assert totals[name][paid_at] == pytest.approx(lines[name][0])


def test_aht_and_patience_are_measured_per_type(typed):
    text, _ = typed
    calls = ccsim.io.load_example_calls()
    mine = calls[calls["call_type"] == "PS"]
    aht = mine.loc[mine["outcome"] == "answered", "service_seconds"].mean()
    patience = arrivals.estimate_patience(mine)
    line = next(x for x in text.splitlines() if x.startswith("  PS: "))
    assert f"AHT {aht:.0f} s (measured), Erlang A, mean patience {patience:.0f} s" in line


def test_given_aht_and_patience_apply_to_every_type(capsys, tmp_path):
    code, text, err = run(capsys, "--days", "1", "--time-limit", "2", "--group-by", "type",
                          "--aht", "200", "--patience", "none", "--output", str(tmp_path))
    assert code == 0, err
    typed = [x for x in text.splitlines() if re.match(r"  \w+: ", x)]
    assert typed and all(x.endswith("AHT 200 s, Erlang C") for x in typed)


@pytest.mark.parametrize(("extra", "named"), [
    (["--daily-target"], ["--group-by type", "--daily-target"]),
    (["--seats", "5"], ["--group-by type", "--seats"]),
    (["--requirement", "need.csv"], ["--group-by type", "--requirement"]),
])
def test_options_that_do_not_go_with_groups_are_refused(capsys, tmp_path, extra, named):
    out = tmp_path / "out"
    code, text, err = run(capsys, "--group-by", "type", *extra, "--output", str(out))
    assert code == 2
    assert text == ""
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert all(name in err for name in named)
    assert not out.exists()


def _masked(text: str, out: Path) -> str:
    return re.sub(r"solved in [\d.]+ s", "", text).replace(str(out), "OUT")


def test_group_by_all_is_the_default(capsys, tmp_path):
    code, default, err = run(capsys, "--days", "1", "--output", str(tmp_path / "a"))
    assert code == 0, err
    code, pooled, err = run(capsys, "--days", "1", "--group-by", "all", "--output",
                            str(tmp_path / "b"))
    assert code == 0, err
    assert _masked(default, tmp_path / "a") == _masked(pooled, tmp_path / "b")
    assert "every call type pooled into one queue" in default
    for name in ("coverage.csv", "shifts.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert "group" not in (tmp_path / "a" / "coverage.csv").read_text().splitlines()[0]


def _report(path: Path, queues: list[str] | None) -> Path:
    """Three days of 30-min rows, open 08:00-20:00, per queue (or without a queue column)."""
    rng = np.random.default_rng(3)
    index = pd.date_range("2024-03-04 08:00", periods=24, freq="30min")
    days = [index + pd.Timedelta(days=d) for d in range(3)]
    frames = []
    for k, queue in enumerate(queues or [None]):
        for day in days:
            offered = rng.poisson(10 + 6 * k, len(day))
            frame = pd.DataFrame({"Interval": day.strftime("%Y-%m-%d %H:%M"),
                                  "Calls Offered": offered, "Handled": offered,
                                  "Abandoned": 0, "AHT (s)": 180 + 60 * k})
            if queue is not None:
                frame.insert(1, "Queue", queue)
            frames.append(frame)
    pd.concat(frames).to_csv(path, index=False)
    return path


def test_a_report_with_queues_is_planned_per_queue(capsys, tmp_path):
    path = _report(tmp_path / "acd.csv", ["retail", "vip"])
    code, text, err = run(capsys, "--report", str(path), "--open", "08:00-20:00", "--days", "1",
                          "--time-limit", "4", "--lengths", "8,4", "--group-by", "type",
                          "--output", str(tmp_path / "out"))
    assert code == 0, err
    assert "  retail: " in text and "AHT 180 s (the report's), Erlang C" in text
    assert "  vip: " in text and "AHT 240 s (the report's), Erlang C" in text
    coverage = pd.read_csv(tmp_path / "out" / "coverage.csv")
    assert sorted(coverage["group"].unique()) == ["retail", "vip"]


def test_a_report_without_queues_is_refused_with_group_by_type(capsys, tmp_path):
    path = _report(tmp_path / "acd.csv", None)
    code, text, err = run(capsys, "--report", str(path), "--open", "08:00-20:00", "--days", "1",
                          "--group-by", "type", "--output", str(tmp_path / "out"))
    assert code == 2
    assert "--group-by type" in err and "no queue or call-type column" in err
    assert "--group-by all" in err
    assert not (tmp_path / "out" / "plan.xlsx").exists()
