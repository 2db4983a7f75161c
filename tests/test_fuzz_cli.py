"""The ``ccsim`` command line under random and adversarial input (issue 9).

Every command runs in-process (:func:`ccsim.cli.main`, its stdout and stderr captured)
with option values drawn by hypothesis: the exit status is 0, 1 or 2, nothing prints a
traceback, and a failure is one line naming an option. The values are chosen to fail
fast or to make tiny problems (a one-day requirement of a few hours), so that no big
plan is solved. Then each case named in the issue is pinned, and one subprocess test
sends Ctrl-C (SIGINT) to a running ``ccsim schedule --workers 2``.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import ccsim
import ccsim.io
from ccsim import CCSimError, CCSimInputError
from ccsim.cli import _files, main, schedule, whatif

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
OPTION = re.compile(r"--[a-z]")


def call(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def checked(*args: str) -> tuple[int, str, str]:
    """Run; assert the contract: status 0/1/2, no traceback, a failure names its option."""
    code, out, err = call(*args)
    with contextlib.suppress(InvalidArgument):  # counted under hypothesis only
        event(f"exit {code}")
    assert code in (0, 1, 2), (args, code, err)
    assert "Traceback" not in out + err, (args, err)
    assert "internal error" not in err, (args, err)
    if code:
        errors = [line for line in err.splitlines() if ": error: " in line]
        assert len(errors) == 1, (args, err)  # one line
        line = errors[0]
        # an option, or argparse's word for a token that is none: "invalid choice: 'x'"
        assert OPTION.search(line) or re.search(r"invalid choice|unrecognized arguments",
                                                line), (args, err)
    return code, out, err


# ---------------------------------------------------------------- strategies
JUNK = st.sampled_from(["", " ", "nan", "NaN", "inf", "-inf", "1e309", "-1", "-0", "0", "1e-320",
                        "abc", "1,5", "50%", "10-5", "\u0663", "0x10", "1_000", "--", "-x",
                        "9" * 400, "80/", "/20", "none", "NaT"])
FLOAT_TEXT = st.floats(allow_nan=True, allow_infinity=True).map(repr)
SOME_TEXT = st.text(max_size=12)


def values(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Valid values four times in five, adversarial ones otherwise."""
    return st.one_of(valid, valid, valid, valid, st.one_of(JUNK, FLOAT_TEXT, SOME_TEXT))


def decimal(low: float, high: float) -> st.SearchStrategy[str]:
    return st.floats(low, high).map(lambda x: f"{x:.6g}")


WHAT_IF = {
    "--calls": values(decimal(0, 1000)),
    "--interval": values(decimal(1, 120)),
    "--per": values(decimal(1, 120)),
    "--aht": values(decimal(1, 600)),
    "--agents": values(st.one_of(
        st.integers(1, 300).map(str),
        st.tuples(st.integers(1, 300), st.integers(0, 30)).map(lambda t: f"{t[0]}-{t[0] + t[1]}"),
        st.lists(st.integers(-5, 10**7), min_size=1, max_size=4).map(
            lambda xs: ",".join(map(str, xs))))),
    "--target": values(st.tuples(decimal(0, 120), decimal(-5, 100)).map("/".join)),
    "--patience": values(decimal(0.001, 1e4)),
    "--max-occupancy": values(decimal(0, 120)),
    "--format": values(st.sampled_from(["table", "csv", "json"])),
}
HUGE = st.sampled_from(["1e16", "1e300", "1.7976931348623157e308", "5e5", "1e-300", "1e-9",
                        "4e-324"])


def options(table: dict[str, st.SearchStrategy[str]], most: int) -> st.SearchStrategy[list[str]]:
    names = st.lists(st.sampled_from(sorted(table)), unique=True, max_size=most)
    return names.flatmap(lambda chosen: st.tuples(*(table[n] for n in chosen)).map(
        lambda vals, chosen=chosen: [x for pair in zip(chosen, vals, strict=True) for x in pair]))


@SETTINGS
@given(options(WHAT_IF, 6))
def test_what_if_random_options(args):
    code, out, _ = checked("what-if", *args)
    if code == 0:
        assert out.strip()


TOKENS = st.one_of(st.sampled_from(["what-if", "schedule", "--help", "-h", "--version", "--calls",
                                    "--aht", "--format", "json", "--agents", "10-12", "--per",
                                    "--interval", "--", "-", "30", "plan", "roster"]),
                   SOME_TEXT)


@SETTINGS
@given(st.lists(TOKENS, max_size=6))
def test_random_command_lines(argv):
    if "schedule" in argv[:1]:  # a valid schedule line would run the whole example
        argv = ["schedule", "--start", "NaT", *argv[1:]]
    if argv[:1] and argv[0] in ("roster", "plan"):  # likewise: the last --days is refused
        argv = [argv[0], *argv[1:], "--days", "0"]
    checked(*argv)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["--calls", "--interval", "--aht", "--patience"]),
                       st.one_of(HUGE, decimal(0.001, 1e6)), min_size=3))
def test_what_if_huge_and_tiny_numbers_answer_or_refuse(chosen):
    chosen.setdefault("--calls", "1e6")
    chosen.setdefault("--aht", "180")
    args = [x for pair in chosen.items() for x in pair]
    code, _, err = checked("what-if", *args)
    if code:
        assert "Erlangs" in err or "argument" in err


@SETTINGS
@given(calls=decimal(0, 2000), interval=decimal(5, 240), aht=decimal(1, 1200),
       patience=st.none() | decimal(1, 3600), target=st.tuples(decimal(1.5, 99.9), decimal(0, 300)),
       occupancy=st.none() | decimal(20, 100),
       agents=st.none() | st.tuples(st.integers(1, 500), st.integers(0, 40)))
def test_what_if_valid_options_give_valid_measures(calls, interval, aht, patience, target,
                                                   occupancy, agents):
    import json

    args = ["--calls", calls, "--interval", interval, "--aht", aht, "--target", "/".join(target),
            "--format", "json"]
    args += [] if patience is None else ["--patience", patience]
    args += [] if occupancy is None else ["--max-occupancy", occupancy]
    args += [] if agents is None else ["--agents", f"{agents[0]}-{agents[0] + agents[1]}"]
    code, out, err = checked("what-if", *args)
    assert code == 0, err
    data = json.loads(out)
    assert data["least_agents"] >= 0 and data["rows"]
    for row in data["rows"]:
        for name in ("service_level", "p_wait", "p_abandon", "occupancy"):
            assert 0.0 <= row[name] <= 1.0, (name, row)
        assert row["asa_seconds"] is None or row["asa_seconds"] >= 0.0
        assert row["meets_target"] == (row["agents"] >= data["least_agents"])
        if row["meets_target"] and row["agents"] >= 1:
            assert row["service_level"] >= data["target"] - 1e-9


# A one-day requirement, 08:00-12:00 in half-hours: any plan for it solves at once.
TINY = "interval_start,agents\n" + "".join(
    f"2024-03-04 {8 + i // 2:02d}:{30 * (i % 2):02d},{1 + i % 3}\n" for i in range(8))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "need.csv"
    path.write_text(TINY, encoding="utf-8")
    return path


SCHEDULE = {
    "--lengths": values(st.lists(st.sampled_from([0.25, 0.5, 1, 2, 3.5, 4, 4.1, 9, 25]),
                                 min_size=1, max_size=3).map(
        lambda xs: ",".join(f"{x:g}" for x in xs))),
    "--every": values(st.sampled_from(["15", "30", "45", "60", "90", "240", "241"])),
    "--open": values(st.tuples(st.integers(0, 25), st.sampled_from([0, 15, 30, 61]),
                               st.integers(0, 25), st.sampled_from([0, 30])).map(
        lambda t: f"{t[0]:02d}:{t[1]:02d}-{t[2]:02d}:{t[3]:02d}")),
    "--seats": values(st.integers(0, 10).map(str)),
    "--penalty": values(decimal(0.01, 1e7)),
    "--time-limit": values(decimal(0.5, 5)),
    "--gap": values(st.sampled_from(["0", "0.005", "0.5%", "2", "1", "100", "99.9"])),
    "--workers": st.sampled_from(["0", "-1", "1", "33", "x", "1e3"]),  # never a real pool here
    "--start": values(st.sampled_from(["1999-02-01", "1998-01-01", "NaT"])),
    "--days": values(st.sampled_from(["1", "28", "29"])),
    "--target": values(st.sampled_from(["80/20", "0.9/10"])),
    "--aht": values(decimal(1, 600)),
    "--patience": values(st.sampled_from(["none", "measured", "120"])),
}


@SETTINGS
@given(args=options(SCHEDULE, 4), daily=st.booleans())
def test_schedule_random_options_on_a_tiny_requirement(tmp_path, tiny, args, daily):
    extra = ["--daily-target"] if daily else []
    checked("schedule", "--requirement", str(tiny), *args, *extra, "--output",
            str(tmp_path / "out"))


ROW_TIME = st.one_of(
    st.tuples(st.integers(0, 23), st.sampled_from([0, 15, 20, 30, 45])).map(
        lambda t: f"2024-03-04 {t[0]:02d}:{t[1]:02d}"),
    st.sampled_from(["2024-03-04 08:00+01:00", "2024-03-04T09:00Z", "04/03/2024 08:00", "",
                     "NaT", "3000-01-01 00:00", "2024-02-30 08:00", "2024-03-04 25:61",
                     "2024-04-03 08:00", "1999-01-01"]),
    SOME_TEXT.filter(lambda s: "," not in s and "\n" not in s and "\r" not in s and '"' not in s))
ROW_AGENTS = st.one_of(st.integers(0, 12).map(str), JUNK, FLOAT_TEXT)


@SETTINGS
@given(st.lists(st.tuples(ROW_TIME, ROW_AGENTS), max_size=6),
       st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]),
       st.sampled_from(["interval_start,agents", "interval_start,required", "start,agents",
                        "interval_start;agents", " interval_start , agents "]))
def test_schedule_random_requirement_files(tmp_path, rows, encoding, header):
    path = tmp_path / "need.csv"
    text = header + "\n" + "".join(f"{t},{a}\n" for t, a in rows)
    path.write_bytes(text.encode(encoding, errors="replace"))
    checked("schedule", "--requirement", str(path), "--lengths", "1,0.5", "--output",
            str(tmp_path / "out"))


@SETTINGS
@given(st.one_of(st.dates().map(str), JUNK, SOME_TEXT, st.datetimes().map(str)),
       st.sampled_from(["1", "7", "28"]))
def test_schedule_start_outside_the_forecast_window_fails_fast(tmp_path, start, days):
    try:  # a valid day would run the whole example: too slow for a fuzz test
        day = datetime.date.fromisoformat(start.strip())
        schedule.check_start(day, int(days))
        return
    except (ValueError, CCSimInputError):
        pass
    code, _, err = checked("schedule", "--start", start, "--days", days, "--output",
                           str(tmp_path / "out"))
    assert code == 2 and "--start" in err


@pytest.mark.parametrize("kind", ["file", "under-file", "nul", "long", "dir-named-like-output",
                                  "missing/deeper", "."])
def test_schedule_adversarial_outputs(tmp_path, tiny, kind):
    (tmp_path / "file").write_text("x")
    (tmp_path / "dir-named-like-output" / "shifts.csv").mkdir(parents=True, exist_ok=True)
    target = {"file": str(tmp_path / "file"), "under-file": str(tmp_path / "file" / "out"),
              "nul": str(tmp_path / "a\x00b"), "long": str(tmp_path / ("x" * 300)),
              "dir-named-like-output": str(tmp_path / "dir-named-like-output"),
              "missing/deeper": str(tmp_path / "missing" / "deeper"),
              ".": str(tmp_path)}[kind]
    code, out, err = checked("schedule", "--requirement", str(tiny), "--lengths", "4",
                             "--output", target)
    if kind in ("missing/deeper", "."):
        assert code == 0
    else:
        assert code == 2 and "--output" in err and out == ""  # refused before any work


# ---------------------------------------------------------------- named cases: the CLI
def test_input_error_is_one_line_exit_2(monkeypatch):
    def refuse(*args, **kwargs):
        raise CCSimInputError("traffic must be\na finite number")

    monkeypatch.setattr(whatif, "what_if", refuse)
    code, out, err = call("what-if")
    assert (code, out) == (2, "")
    assert err == ("ccsim what-if: error: the load (--calls x --aht / --interval) must be a "
                   "finite number\n")  # one line, in the command's terms


def test_run_failure_is_one_line_exit_1(monkeypatch):
    def fail(*args, **kwargs):
        raise CCSimError("the solver failed")

    monkeypatch.setattr(whatif, "what_if", fail)
    assert call("what-if") == (1, "", "ccsim what-if: error: the solver failed\n")


def test_interrupt_is_one_line_exit_130(monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(whatif, "what_if", interrupted)
    assert call("what-if") == (130, "", "ccsim what-if: interrupted\n")


def test_unexpected_error_is_one_line_exit_1_traceback_on_request(monkeypatch):
    def bug(*args, **kwargs):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(whatif, "what_if", bug)
    monkeypatch.delenv("CCSIM_DEBUG", raising=False)
    code, _, err = call("what-if")
    assert code == 1 and "Traceback" not in err and len(err.splitlines()) == 1
    assert err.startswith("ccsim what-if: internal error: ZeroDivisionError: float division by "
                          "zero; this is a bug in ccsim")
    assert "CCSIM_DEBUG=1" in err
    monkeypatch.setenv("CCSIM_DEBUG", "1")
    code, _, err = call("what-if")
    assert code == 1 and "Traceback (most recent call last)" in err
    assert "ccsim what-if: internal error: ZeroDivisionError" in err


def test_library_warnings_print_as_one_line(monkeypatch):
    import warnings

    real = whatif.what_if

    def warn(*args, **kwargs):
        warnings.warn("overflow encountered\nin divide", RuntimeWarning, stacklevel=1)
        return real(*args, **kwargs)

    monkeypatch.setattr(whatif, "what_if", warn)
    code, _, err = call("what-if")
    assert code == 0 and err == "ccsim what-if: warning: overflow encountered in divide\n"


@pytest.mark.parametrize("args", [
    ["--calls", "1e16", "--aht", "180", "--patience", "100"],   # hung in the library's search
    ["--calls", "1e14", "--aht", "180"],
    ["--calls", "100", "--aht", "180", "--interval", "1e-9"],  # a tiny interval
    ["--calls", "100", "--aht", "180", "--per", "1e-12"],
    ["--calls", "1e300", "--aht", "3600", "--interval", "1e-300"],  # overflows to inf
])
def test_what_if_huge_load_or_tiny_interval_is_refused(args):
    code, _, err = checked("what-if", *args)
    assert code == 2
    assert "--calls" in err and "--aht" in err and "--interval" in err
    assert "more than the limit of 1e+05 Erlangs" in err


def test_what_if_occupancy_cap_needing_too_many_agents_is_refused():
    code, _, err = checked("what-if", "--calls", "1000", "--aht", "1800", "--interval", "1",
                           "--max-occupancy", "0.01")
    assert code == 2 and "--max-occupancy" in err and "agents" in err


def test_what_if_largest_load_still_answers():
    code, out, _ = checked("what-if", "--calls", "1e5", "--aht", "1800", "--interval", "30",
                           "--agents", "100000-100030")
    assert code == 0 and "100000.00 Erlangs" in out


# ---------------------------------------------------------------- named cases: --start
@pytest.mark.parametrize(("start", "days", "pieces"), [
    ("NaT", "7", ["--start", "'NaT'", "YYYY-MM-DD"]),
    ("tomorrow", "7", ["--start", "'tomorrow'"]),
    ("1998-01-01", "7", ["--start 1998-01-01 is not after the example's call log "
                         "(1999-01-01 to 1999-01-31)", "from 1999-02-01 to 2000-01-25"]),
    ("1999-01-15", "7", ["--start 1999-01-15 is not after"]),
    ("2100-01-01", "7", ["--start 2100-01-01 with --days 7 ends on 2100-01-07",
                         "from 1999-02-01 to 2000-01-25"]),
    ("2000-01-30", "7", ["--days 7", "from 1999-02-01 to 2000-01-25"]),
    ("9999-12-31", "28", ["--start 9999-12-31"]),
])
def test_schedule_start_out_of_the_logs_window(tmp_path, start, days, pieces):
    code, out, err = checked("schedule", "--start", start, "--days", days, "--output",
                             str(tmp_path / "out"))
    assert code == 2 and out == ""
    for piece in pieces:
        assert piece in err


def test_start_window_edges():
    schedule.check_start(datetime.date(1999, 2, 1), 28)
    schedule.check_start(datetime.date(2000, 1, 25), 7)  # ends 2000-01-31
    with pytest.raises(CCSimInputError, match="--start 2000-01-26 with --days 7"):
        schedule.check_start(datetime.date(2000, 1, 26), 7)


def test_start_window_matches_the_example_log():
    calls = ccsim.io.load_example_calls()
    days = calls["arrival"].dt.date
    assert (days.min(), days.max()) == schedule.EXAMPLE_LOG_DAYS


# ---------------------------------------------------------------- named cases: --requirement
def _need(tmp_path: Path, body: str | bytes, name: str = "need.csv") -> Path:
    path = tmp_path / name
    if isinstance(body, str):
        path.write_text(body, encoding="utf-8")
    else:
        path.write_bytes(body)
    return path


HEAD = "interval_start,agents\n"


@pytest.mark.parametrize(("body", "pieces"), [
    (HEAD + "2024-03-04 08:00+01:00,3\n2024-03-04 09:00+01:00,3\n",
     ["time-zone offset", "'2024-03-04 08:00+01:00' in data row 1 (line 2)", "local clock"]),
    (HEAD + "2024-03-04 08:00+01:00,3\n2024-03-04 09:00+02:00,3\n", ["time-zone offset"]),
    (HEAD + "2024-03-04 08:00,3\n2024-03-04 08:20,3\n2024-03-04 09:05,3\n",
     ["15, 30 or 60 minutes", "shortest step is 20 min (2024-03-04 08:00 to 2024-03-04 08:20)"]),
    (HEAD + "2024-03-04 08:10,3\n2024-03-04 08:40,3\n", ["on the clock's 30-min grid",
                                                       "2024-03-04 08:10 is not"]),
    (HEAD + "2024-03-04 08:00,3\n", ["has one interval (2024-03-04 08:00)", "at least two"]),
    (HEAD + "2024-03-04 08:00,3\n2024-03-04 09:00,-2\n",
     ["numbers of agents from 0 to 100,000", "got '-2' in data row 2 (line 3)"]),
    (HEAD + "2024-03-04 08:00,3\n2024-03-04 09:00,inf\n", ["got 'inf' in data row 2"]),
    (HEAD + "2024-03-04 08:00,3\n2024-03-04 09:00,\n", ["got '' in data row 2"]),
    (HEAD + "2024-03-04 08:00,3\n2024-03-04 09:00,\"1,5\"\n", ["a decimal point, not a comma"]),
    (HEAD + "2024-03-04 08:00,3\n2024-03-04 09:00,1e9\n", ["from 0 to 100,000"]),
    ("interval_start,agents,call_type\n2024-03-04 08:00,3,caf\xe9\n".encode("latin-1"),
     ["is not UTF-8 text: byte 0xe9 on line 2", "save it as UTF-8"]),
    (HEAD.encode("utf-16") + "2024-03-04 08:00,3\n".encode("utf-16-le"), ["is UTF-16 text"]),
    (b"\x1f\x8b\x08\x00rest", ["compressed or Excel"]),
    ("interval_start;agents\n2024-03-04 08:00;3\n", ["separated by ';'"]),
    ("", ["is empty"]),
    (HEAD, ["no data rows"]),
    ("start,agents\n2024-03-04 08:00,3\n", ["needs columns 'interval_start' and 'agents'"]),
    (HEAD + "3000-01-01 08:00,3\n3000-01-01 09:00,3\n", ["years 1900 to 2199",
                                                       "'3000-01-01 08:00'"]),
    (HEAD + "04/03/2024 08:00,3\n04/03/2024 09:00,3\n", ["YYYY-MM-DD HH:MM"]),
    (HEAD + "2024-03-04 25:61,3\n", ["YYYY-MM-DD HH:MM", "'2024-03-04 25:61'"]),
    (HEAD + "2024-03-04 08:00,3\n2024-03-04 08:00,3\n", ["interval 2024-03-04 08:00 appears "
                                                       "twice", "or add a call_type column"]),
    (HEAD + "2024-03-04 08:00,3\n2024-03-04 09:00,3\n2024-05-04 08:00,3\n",
     ["the span from 2024-03-04 08:00 to 2024-05-04 08:00 is 61.04 days, more than the limit "
      "of 31 days"]),
    ('interval_start,agents\n"2024-03-04 08:00,3\n', ["cannot be read as CSV"]),
])
def test_schedule_refuses_a_bad_requirement_file(tmp_path, body, pieces):
    path = _need(tmp_path, body)
    code, out, err = checked("schedule", "--requirement", str(path), "--lengths", "1",
                             "--output", str(tmp_path / "out"))
    assert code == 2 and out == ""
    assert f"--requirement {str(path)!r}" in err
    for piece in pieces:
        assert piece in err
    assert not (tmp_path / "out").exists()


def test_schedule_says_when_the_inferred_opening_is_too_short(tmp_path):
    path = _need(tmp_path, HEAD + "2024-03-04 08:00,3\n2024-03-04 08:30,3\n")
    code, _, err = checked("schedule", "--requirement", str(path), "--output",
                           str(tmp_path / "out"))
    assert code == 2
    assert ("--lengths 9,4: no shift length fits in the opening hours 08:00-09:00 (1 h), which "
            f"were inferred from --requirement {str(path)!r}") in err
    assert "--open HH:MM-HH:MM" in err
    code, out, err = checked("schedule", "--requirement", str(path), "--open", "06:00-22:00",
                             "--output", str(tmp_path / "out"))
    assert code == 0, err
    assert "9 h (8 paid" in out and "plan: optimal" in out


def test_schedule_fills_missing_intervals_and_says_so(tmp_path):
    path = _need(tmp_path, "\ufeff" + HEAD + "2024-03-04 08:00,2\n2024-03-04 10:00,2\n"
                 "2024-03-04 11:00,1\n")
    code, out, err = checked("schedule", "--requirement", str(path), "--lengths", "4",
                             "--output", str(tmp_path / "out"))
    assert code == 0, err
    assert "(4 intervals of 60 min from 2024-03-04 08:00 to 2024-03-04 11:00; 1 not in the " \
           "file are taken as 0 agents)" in out


@pytest.mark.parametrize(("args", "pieces"), [
    (["--every", "45"], ["--every 45", "requirement's 60-min grid", "multiple of 60"]),
    (["--gap", "100"], ["argument --gap", "'100'", "below 100 %"]),
    (["--gap", "1"], ["argument --gap", "write 1% for one percent"]),
    (["--lengths", "4.5"], ["--lengths 4.5", "60-min intervals"]),
    (["--open", "08:30-12:00"], ["--open 08:30-12:00", "60-min grid"]),
    (["--time-limit", "1e9"], ["argument --time-limit", "at most 86400"]),
    (["--penalty", "1e300"], ["argument --penalty"]),
    (["--seats", "99999999999"], ["argument --seats"]),
    (["--start", "1999-02-01"], ["--start sets up the forecast (of the built-in example, "
                                 "--calls or --report); with --requirement"]),
    (["--daily-target", "--days", "3"], ["--days, --daily-target set up"]),
])
def test_schedule_messages_name_the_option(tmp_path, args, pieces):
    path = _need(tmp_path, HEAD + "".join(f"2024-03-04 {h:02d}:00,2\n" for h in range(8, 18)))
    code, out, err = checked("schedule", "--requirement", str(path), *args, "--output",
                             str(tmp_path / "out"))
    assert code == 2 and out == ""
    for piece in pieces:
        assert piece in err


def test_every_45_on_the_example_names_the_option(tmp_path, monkeypatch):
    from ccsim.cli import _own_data as own

    monkeypatch.setattr(own, "data_inputs", lambda *a, **k: own.Inputs(
        ccsim_series_30min(), None, None, None, []))
    code, _, err = checked("schedule", "--every", "45", "--output", str(tmp_path / "o"))
    assert code == 2 and "--every 45: shifts must start on the requirement's 30-min grid" in err


def ccsim_series_30min():
    import pandas as pd

    index = pd.date_range("1999-02-01 07:00", periods=34, freq="30min", name="interval_start")
    return pd.Series(2.0, index=index)


def test_library_errors_are_told_in_the_options(tmp_path, tiny, monkeypatch):
    from ccsim.cli import _schedule_work as work

    def slow(*args, **kwargs):
        raise CCSimError("no shift plan found for Mon 08:00 to Mon 12:00 within its share of "
                         "time_limit_seconds=30; allow more time")

    monkeypatch.setattr(work, "schedule_shifts", slow)
    code, out, err = checked("schedule", "--requirement", str(tiny), "--lengths", "4",
                             "--output", str(tmp_path / "out"))
    assert code == 1 and "within its share of --time-limit 30; allow more time" in err
    assert "plan:" not in out and not (tmp_path / "out").exists()


def test_seats_below_the_requirement_names_seats_and_penalty(tmp_path, tiny):
    code, _, err = checked("schedule", "--requirement", str(tiny), "--lengths", "4", "--seats",
                           "1", "--output", str(tmp_path / "out"))
    assert code == 2 and "--seats 1 is below the requirement" in err and "--penalty" in err


def test_interrupt_during_the_plan_exits_130_without_files(tmp_path, tiny, monkeypatch):
    from ccsim.cli import _schedule_work as work

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(work, "schedule_shifts", interrupted)
    code, _, err = call("schedule", "--requirement", str(tiny), "--lengths", "4", "--output",
                        str(tmp_path / "out"))
    assert code == 130 and err == "ccsim schedule: interrupted\n"
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- named cases: --output
def test_outputs_get_the_umasks_permissions(tmp_path, tiny):
    old = os.umask(0o027)
    try:
        code, _, err = checked("schedule", "--requirement", str(tiny), "--lengths", "4",
                               "--output", str(tmp_path / "out"))
    finally:
        os.umask(old)
    assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["coverage.csv", "coverage.png", "plan.xlsx", "shifts.csv"]  # no temporary
    for name in names:
        assert stat.S_IMODE((tmp_path / "out" / name).stat().st_mode) == 0o640


@pytest.mark.parametrize("kind", ["file", "under-file", "read-only", "output-is-input"])
def test_bad_output_fails_before_the_plan(tmp_path, tiny, kind, monkeypatch):
    from ccsim.cli import _schedule_work as work

    if kind == "read-only" and (not hasattr(os, "geteuid") or os.geteuid() == 0):
        pytest.skip("root writes to read-only directories")

    def never(*args, **kwargs):
        raise AssertionError("the plan was computed")

    monkeypatch.setattr(work, "schedule", never)
    (tmp_path / "a-file").write_text("x")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    source = tmp_path / "coverage.csv"
    source.write_text(HEAD + "2024-03-04 08:00,1\n2024-03-04 09:00,1\n")
    target, message = {
        "file": (tmp_path / "a-file", "is a file, not a directory"),
        "under-file": (tmp_path / "a-file" / "out", "which is a file"),
        "read-only": (locked / "out", "is not writable"),
        "output-is-input": (tmp_path, "would overwrite the input"),
    }[kind]
    need = source if kind == "output-is-input" else tiny
    try:
        code, out, err = checked("schedule", "--requirement", str(need), "--output", str(target))
    finally:
        locked.chmod(0o755)
    assert code == 2 and out == ""
    assert f"--output {str(target)!r}" in err and message in err


def _writers(contents: dict[str, str], fail_at: str | None = None,
             error: BaseException | None = None) -> list[_files.Writer]:
    def writer(name: str, text: str):
        def write(out):
            if name == fail_at:
                raise error
            out.write(text)
        return write

    return [(name, writer(name, text), False) for name, text in contents.items()]


@pytest.mark.parametrize("error", [KeyboardInterrupt(), OSError(28, "No space left on device")])
def test_output_set_is_all_or_nothing(tmp_path, error):
    old = {"a.csv": "old a", "b.csv": "old b", "c.csv": "old c"}
    for name, text in old.items():
        (tmp_path / name).write_text(text)
    new = {name: f"new {name[0]}" for name in old}
    expected = KeyboardInterrupt if isinstance(error, KeyboardInterrupt) else CCSimError
    with pytest.raises(expected):
        _files.write_set(tmp_path, _writers(new, fail_at="c.csv", error=error))
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == old  # no temporaries either
    _files.write_set(tmp_path, _writers(new))
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == new


def test_output_set_holds_ctrl_c_until_every_file_is_renamed(tmp_path, monkeypatch):
    if threading_main() is False:
        pytest.skip("signals need the main thread")
    real = os.replace
    calls = []

    def replace(source, target):
        if not calls:
            signal.raise_signal(signal.SIGINT)  # Ctrl-C between the renames
        calls.append(target)
        real(source, target)

    monkeypatch.setattr(_files.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        _files.write_set(tmp_path, _writers({"a": "1", "b": "2", "c": "3"}))
    assert len(calls) == 3 and sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "c"]


def threading_main() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


# ---------------------------------------------------------------- Ctrl-C and the pool
def _default_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(sys.platform == "win32" or not hasattr(os, "killpg"),
                    reason="needs POSIX process groups and SIGINT")
def test_ctrl_c_on_schedule_with_workers_exits_promptly(tmp_path):
    # 28 days of quarter-hours with breaks: far more solving than the test waits for.
    rows = [f"2024-02-{1 + d // 96:02d} {(d % 96) // 4:02d}:{15 * (d % 4):02d},"
            f"{0 if (d % 96) < 28 or (d % 96) >= 88 else 4 + (d % 7)}" for d in range(28 * 96)]
    source = tmp_path / "need.csv"
    source.write_text(HEAD + "\n".join(rows) + "\n")
    path = os.pathsep.join([str(Path(ccsim.__file__).parent.parent),
                            os.environ.get("PYTHONPATH", "")])
    command = [sys.executable, "-m", "ccsim", "schedule", "--requirement", str(source),
               "--every", "15", "--time-limit", "600", "--workers", "2", "--output",
               str(tmp_path / "out")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=tmp_path, start_new_session=True,
                               # a background shell starts its jobs with SIGINT ignored,
                               # which Python then keeps: give the command the default
                               preexec_fn=_default_interrupt,
                               env={**os.environ, "PYTHONPATH": path, "PYTHONUNBUFFERED": "1",
                                    "CCSIM_DEBUG": "1"})
    try:
        for line in process.stdout:  # the plan starts after the shifts line
            if line.startswith("shifts:"):
                break
        else:
            pytest.fail(f"ccsim schedule ended before planning: {process.communicate()[1]}")
        time.sleep(0.5)
        # As a terminal's Ctrl-C: the whole group. One that lands while the pool starts
        # its workers can be lost (see ccsim/_shifts/pool.py), as a user would then press
        # Ctrl-C again, so it is sent again every 2 s while the command runs (at most 5).
        for _ in range(5):
            os.killpg(process.pid, signal.SIGINT)
            try:
                out, err = process.communicate(timeout=2)
                break
            except subprocess.TimeoutExpired:
                continue
        else:
            out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert process.returncode == 130, err
    assert err == "ccsim schedule: interrupted\n"  # no traceback, from any process
    assert "plan:" not in out and not (tmp_path / "out").exists()
    for _ in range(50):  # the workers are gone too
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("worker processes outlived the interrupted command")
