"""Tests of the center file: ``ccsim.center.read_center`` on the example and on bad files."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ccsim import CCSimInputError
from ccsim.center import Center, read_center
from ccsim.planning import Target
from ccsim.roster import Agent
from ccsim.shifts import ShiftTemplate
from ccsim.simulation import Scenario, simulate

EXAMPLE = Path(__file__).parent.parent / "examples" / "center" / "center.toml"

#: A small valid center file (flat rates: a stationary what-if), edited by the tests.
BASE = """\
start = 2027-03-01
days = 1
interval_minutes = 30
opening = "08:00-16:00"

[target]
service_level = 0.8
answer_within_seconds = 20

[[call_types]]
name = "general"
aht_seconds = 240
patience_seconds = 180
arrivals_per_hour = 60

[[call_types]]
name = "vip"
aht_seconds = 300
arrivals_per_hour = 10
overflow = { zone = 30 }

[[groups]]
name = "desk"
skills = ["vip"]
agents = 2

[[groups]]
name = "zone"
skills = ["general"]
agents = 6
"""


def write(tmp_path: Path, text: str, files: dict[str, str] | None = None) -> Path:
    for name, content in (files or {}).items():
        (tmp_path / name).write_text(content)
    path = tmp_path / "center.toml"
    path.write_text(text)
    return path


# ------------------------------------------------------------------ the example

def test_the_example_reads_into_a_center():
    center = read_center(EXAMPLE)
    assert isinstance(center, Center)
    assert [t.name for t in center.call_types] == ["general", "vip", "english"]
    assert [g.name for g in center.groups] == ["vip_desk", "english_desk", "general_zone"]
    assert center.start == datetime.date(2027, 3, 1) and center.days == 2
    assert center.opening == (480, 1200) and center.opening_text == "08:00-20:00"
    assert center.targets["vip"] == Target(0.9, 15.0, 0.05)  # its own, abandonment inherited
    assert center.targets["general"] == Target(0.8, 20.0, 0.05)
    assert center.costs == {"vip_desk": 1.0, "english_desk": 1.0, "general_zone": 1.0}
    assert len(center.agents) == 58 and all(isinstance(a, Agent) for a in center.agents)
    assert center.agents[-1].skills == ("english_desk", "general_zone") or \
        list(center.agents[-1].skills) == ["english_desk", "general_zone"]
    for templates in center.templates.values():
        assert templates and all(isinstance(t, ShiftTemplate) for t in templates)
        assert {t.shift_hours for t in templates} == {8.0, 4.0}
    assert not center.stationary  # the general calls come per interval from a file
    vip = center.call_types[1]
    assert vip.overflow == {"general_zone": 30.0} and vip.priority == 1


def test_the_example_scenario_carries_the_file():
    center = read_center(EXAMPLE)
    scenario = center.scenario()
    assert isinstance(scenario, Scenario)
    assert scenario.n_intervals == 96 and scenario.start == pd.Timestamp("2027-03-01")
    assert scenario.agent_selection == "group-order"
    csv = pd.read_csv(EXAMPLE.parent / "arrivals.csv")
    general = center.call_types[0]
    assert general.calls_per_interval.sum() == pytest.approx(csv["general"].sum())
    _, _, calls = scenario.arrival_rates(scenario.call_types[0])
    assert calls.sum() == pytest.approx(csv["general"].sum())
    _, _, vip = scenario.arrival_rates(scenario.call_types[1])
    assert vip.sum() == pytest.approx(20 * 24)  # 20 calls/h, 12 h open a day, 2 days
    agents = scenario.agent_counts(scenario.groups[2])
    assert agents.max() == 10 and agents[:16].sum() == 0  # nobody before 08:00
    # each call type measured at its target's threshold
    assert scenario.call_types[1].answer_within_seconds == 15.0


def test_a_flat_center_is_stationary_and_with_settings_changes_it(tmp_path):
    center = read_center(write(tmp_path, BASE + "\n[simulate]\nhours = 4\nwarmup_hours = 1\n"))
    assert center.stationary and center.agents is None
    scenario = center.scenario()
    assert scenario.horizon_hours == 5 and scenario.warmup_hours == 1
    assert scenario.start is None and scenario.groups[1].agents == 6
    assert center.scenario(stationary=False).n_intervals == 48
    more = center.with_settings({"zone.agents": 9, "general.aht_seconds": 200, "lines": 30})
    assert more.scenario().groups[1].agents == 9 and more.lines == 30
    assert more.call_types[0].aht_seconds == 200 and center.call_types[0].aht_seconds == 240
    few = simulate(center.with_settings({"zone.agents": 5}).scenario(), seed=1, replications=6)
    many = simulate(center.with_settings({"zone.agents": 8}).scenario(), seed=1, replications=6)
    assert many.summary().loc["general", "service_level"] > \
        few.summary().loc["general", "service_level"]


def test_with_settings_refuses_an_unknown_key_listing_the_valid_ones(tmp_path):
    center = read_center(write(tmp_path, BASE))
    with pytest.raises(CCSimInputError, match=r"unknown setting 'zone1\.agents'.*valid: "
                       r"desk\.agents, zone\.agents, general\.arrivals_per_hour"):
        center.with_settings({"zone1.agents": 4})
    with pytest.raises(CCSimInputError, match=r"setting 'zone\.agents' must be a whole number "
                       r"from 0 to 50000; got 4\.5"):
        center.with_settings({"zone.agents": 4.5})
    with pytest.raises(CCSimInputError, match="setting 'general.aht_seconds' must be a number"):
        center.with_settings({"general.aht_seconds": -1})


def test_a_rate_set_on_a_call_type_from_a_file_replaces_the_file():
    center = read_center(EXAMPLE).with_settings({"general.arrivals_per_hour": 50})
    assert center.call_types[0].calls_per_interval is None and center.stationary
    days = center.scenario(stationary=False)
    _, _, calls = days.arrival_rates(days.call_types[0])
    assert calls.sum() == pytest.approx(50 * 24)  # 12 h open a day, 2 days
    run = center.scenario()  # every rate flat now: a stationary run of 1 + 8 h
    assert run.horizon_hours == 9 and run.arrival_rates(run.call_types[0])[2].sum() == 450


def test_shift_templates_per_group_and_listed_templates(tmp_path):
    text = BASE.replace('name = "zone"\n', 'name = "zone"\nshifts = { shift_hours = [6], '
                        'every_minutes = 60, breaks = "none" }\n')
    text += """
[[shifts.templates]]
name = "early"
start = "08:00"
shift_hours = 8
breaks = "standard"

[[shifts.templates]]
name = "short"
start = "12:00"
shift_hours = 4
breaks = [{ minutes = 15, earliest_after_minutes = 60, latest_after_minutes = 120, paid = true }]
"""
    center = read_center(write(tmp_path, text))
    assert [t.name for t in center.templates["desk"]] == ["early", "short"]
    assert len(center.templates["desk"][0].breaks) == 3
    assert [t.name for t in center.templates["zone"]] == ["6h 08:00", "6h 09:00", "6h 10:00"]
    assert all(t.breaks == () for t in center.templates["zone"])


def test_arrivals_and_agents_per_interval_from_csv(tmp_path):
    rows = "interval_start,general,zone\n2027-03-01 08:00,30,5\n2027-03-01 08:30,20.5,6\n" \
           "2027-03-02 08:00,99,9\n"  # a day after the horizon: ignored
    text = BASE.replace("arrivals_per_hour = 60", 'arrivals = "volumes.csv"').replace(
        "agents = 6", 'agents = "volumes.csv"')
    center = read_center(write(tmp_path, text, {"volumes.csv": rows}))
    calls = center.call_types[0].calls_per_interval
    assert calls[16] == 30 and calls[17] == 20.5 and calls.sum() == 50.5
    agents = center.groups[1].agents_per_interval
    assert agents[16] == 5 and agents[17] == 6 and agents.sum() == 11
    assert not center.stationary
    with pytest.raises(CCSimInputError, match="a stationary run needs a flat"):
        center.scenario(stationary=True)


# ------------------------------------------------------------------ bad files

BAD = [
    # (what to change: (old, new) or text appended, the message pinned)
    (("start = 2027-03-01\n", "start = 2027-03-01\ncall_type = 3\n"),
     r"center file '.*center\.toml', call_type: unknown key 'call_type'; valid keys at the "
     r"top of the file are name, start"),
    (("start = 2027-03-01\n", ""), r"center file '.*', start: is missing; give start"),
    (("start = 2027-03-01", "start = \"2027-02-30\""),
     r"start: must be a date such as 2027-03-01; got '2027-02-30'"),
    (("skills = [\"general\"]", "skills = [\"general\", \"generl\"]"),
     r"groups\[1\] \('zone'\)\.skills: names 'generl', not a call type; valid: 'general', "
     r"'vip'"),
    (("skills = [\"general\"]", "skills = \"general\""),
     r"groups\[1\] \('zone'\)\.skills: must be a non-empty list of call type names"),
    (("agents = 6", "agents = 6\nskils = 3"),
     r"groups\[1\]\.skils: unknown key 'skils'; valid keys here are name, skills, agents, "
     r"cost, shifts"),
    (("agents = 6", "agents = -1"),
     r"groups\[1\] \('zone'\)\.agents: must be a whole number >= 0 and <= 50000"),
    (("agents = 6", "agents = 6.5"), r"groups\[1\] \('zone'\)\.agents: must be a whole number"),
    (("aht_seconds = 240", "aht_seconds = 0"),
     r"call_types\[0\] \('general'\)\.aht_seconds: must be a number > 0 and <= 86400 \(mean "
     r"handle time \[s\]\); got 0"),
    (("aht_seconds = 240", "aht_seconds = \"240\""),
     r"aht_seconds: must be a number > 0 .*; got '240'"),
    (("arrivals_per_hour = 60", "arrivals_per_hour = 60\narrivals = \"x.csv\""),
     r"call_types\[0\] \('general'\): give exactly one of arrivals_per_hour .* or arrivals"),
    (("arrivals_per_hour = 60", "arrivals = \"missing.csv\""),
     r"call_types\[0\] \('general'\)\.arrivals: no such file 'missing\.csv'"),
    (("overflow = { zone = 30 }", "overflow = { zon = 30 }"),
     r"call_types\[1\] \('vip'\)\.overflow\.zon: names 'zon', not a group; valid: 'desk', "
     r"'zone'"),
    (("overflow = { zone = 30 }", "overflow = { desk = 30 }"),
     r"overflow\.desk: group 'desk' already has the skill 'vip'"),
    (("name = \"vip\"", "name = \"general\""),
     r"call_types\[1\]\.name: 'general' names another call type too"),
    (("skills = [\"vip\"]", "skills = [\"general\"]"),
     r"call_types\[1\] \('vip'\): no group has this call type in its skills"),
    (("interval_minutes = 30", "interval_minutes = 7"),
     r"interval_minutes: must be a whole number of minutes dividing a day .*; got 7"),
    (("opening = \"08:00-16:00\"", "opening = \"08:10-16:00\""),
     r"opening: '08:10-16:00' is not on the 30-minute intervals"),
    (("opening = \"08:00-16:00\"", "opening = \"8-16\""),
     r"opening: must be a clock time HH:MM from 00:00 to 23:59; got '8'"),
    (("service_level = 0.8", "service_level = 80"),
     r"target\.service_level: must be a number > 0 and <= 1 \(the share answered within "
     r"answer_within_seconds, a fraction such as 0\.8\); got 80"),
    (("[target]\n", "[target]\nsl = 3\n"), r"target\.sl: unknown key 'sl'"),
    (("arrivals_per_hour = 10", "arrivals_per_hour = 10\ntarget = { service_level = 2 }"),
     r"call_types\[1\] \('vip'\)\.target\.service_level: must be a number > 0 and <= 1"),
    ("\n[routing]\nagent_selection = \"random\"\n",
     r"routing\.agent_selection: must be one of 'longest-idle', 'group-order'; got 'random'"),
    ("\n[plan]\nreplications = 1\n", r"plan\.replications: must be a whole number >= 2"),
    ("\n[simulate]\nhours = 2.2\n",
     r"simulate\.hours: must be a whole number of the center's 30-minute intervals; got 2\.2"),
    ("\n[shifts]\nshift_hours = [10]\n",
     r"shifts: a 10 h shift does not fit in the opening hours 08:00-16:00"),
    ("\n[shifts]\nshift_hours = [8]\nevery_minutes = 45\n",
     r"shifts\.every_minutes: must be a multiple of interval_minutes \(30\)"),
    ("\n[shifts]\nshift_hours = [8]\nbreaks = \"long\"\n",
     r"shifts\.breaks: must be 'standard', 'none' or an array of break tables"),
    ("\n[shifts]\nbreaks = [{ minutes = 15, earliest_after_minutes = 60 }]\n",
     r"shifts\.breaks\[0\]\.latest_after_minutes: is missing"),
    ("\n[shifts]\ntemplates = [{ name = \"a\", start = \"08:00\", shift_hours = 4 }]\n"
     "shift_hours = [4]\n",
     r"shifts: give either templates or the catalogue's keys"),
    ("\n[shifts]\ntemplates = [{ name = \"a\", start = \"25:00\", shift_hours = 4 }]\n",
     r"shifts\.templates\[0\]: ShiftTemplate 'a' start"),
]


@pytest.mark.parametrize(("change", "message"), BAD)
def test_a_bad_file_names_the_key_the_value_and_what_is_valid(tmp_path, change, message):
    if isinstance(change, tuple):
        assert change[0] in BASE
        text = BASE.replace(change[0], change[1], 1)
    else:
        text = BASE + change
    path = write(tmp_path, text)
    with pytest.raises(CCSimInputError, match=message):
        read_center(path)


def test_a_missing_or_broken_file(tmp_path):
    with pytest.raises(CCSimInputError, match=r"center file '.*nothing\.toml': no such file"):
        read_center(tmp_path / "nothing.toml")
    with pytest.raises(CCSimInputError, match=r"center\.toml': is not valid TOML: .*line 2"):
        read_center(write(tmp_path, "start = 2027-03-01\ndays = = 3\n"))
    with pytest.raises(CCSimInputError, match=r"call_types: must be a non-empty array of "
                       r"tables \(\[\[call_types\]\]\)"):
        read_center(write(tmp_path, "start = 2027-03-01\ncall_types = []\ngroups = []\n"))


@pytest.mark.parametrize(("rows", "message"), [
    ("interval_start,general\n2027-03-01 08:00,ten\n",
     r"call_types\[0\] \('general'\)\.arrivals = '.*volumes\.csv' line 2, column general: "
     r"must be a number of calls >= 0; got 'ten'"),
    ("interval_start,general\n2027-03-01 08:10,3\n",
     r"line 2, column interval_start: 2027-03-01 08:10:00 is not an interval start"),
    ("interval_start,general\n2027-03-01 08:00,3\n2027-03-01 08:00,4\n",
     r"line 3, column interval_start: 2027-03-01 08:00:00 is also on line 2"),
    ("interval_start,general\n2027-03-01 07:00,3\n",
     r"line 2, column general: 3 at 2027-03-01 07:00:00, outside the opening hours"),
    ("interval_start,calls_general\n2027-03-01 08:00,3\n",
     r"volumes\.csv': no column 'general' or 'calls' \(its columns: interval_start, "
     r"calls_general\)"),
    ("interval_start,general\n2027-04-01 08:00,3\n", r"no row inside the planned days"),
])
def test_a_bad_arrivals_file_names_its_line_and_column(tmp_path, rows, message):
    text = BASE.replace("arrivals_per_hour = 60", 'arrivals = "volumes.csv"')
    path = write(tmp_path, text, {"volumes.csv": rows})
    with pytest.raises(CCSimInputError, match=message):
        read_center(path)


def test_the_agents_file_is_read_as_ccsim_roster_reads_it(tmp_path):
    text = "agents = \"agents.csv\"\n" + BASE
    center = read_center(write(tmp_path, text, {"agents.csv": "name,skills\nAna,zone\nBo,"
                                                "desk;zone\n"}))
    assert [a.name for a in center.agents] == ["Ana", "Bo"]
    assert center.agents_file == tmp_path / "agents.csv"
    with pytest.raises(CCSimInputError, match=re.escape("agents: ") + r".*agents\.csv': agent "
                       r"'Bo' has skill 'zon', not a group; an agent's skills are the groups it "
                       r"may work: 'desk', 'zone'"):
        read_center(write(tmp_path, text, {"agents.csv": "name,skills\nAna,zone\nBo,zon\n"}))
    with pytest.raises(CCSimInputError, match=r"center file '.*', agents: '.*agents\.csv' line "
                       r"3, column max_hours: must be a number of hours >= 0"):
        read_center(write(tmp_path, text, {"agents.csv": "name,max_hours\nAna,40\nBo,x\n"}))
    with pytest.raises(CCSimInputError, match=r"agents: no such file 'nobody\.csv'"):
        read_center(write(tmp_path, "agents = \"nobody.csv\"\n" + BASE))


def test_the_scenario_refusals_name_the_file(tmp_path):
    text = BASE.replace("agents = 6", "agents = 50000").replace("agents = 2", "agents = 50")
    with pytest.raises(CCSimInputError, match=r"center file '.*center\.toml': Scenario: the "
                       r"agents of all groups"):
        read_center(write(tmp_path, text))


def test_open_intervals_follow_an_overnight_opening(tmp_path):
    text = BASE.replace('"08:00-16:00"', '"20:00-04:00"') + "\n[shifts]\nshift_hours = [8]\n"
    center = read_center(write(tmp_path, text))
    open_ = center.open_intervals
    hours = center.grid.hour
    assert open_[np.asarray(hours >= 20)].all() and open_[np.asarray(hours < 4)].all()
    assert not open_[np.asarray((hours >= 4) & (hours < 20))].any()


def test_the_docstring_example_runs():
    import doctest

    import ccsim.center

    result = doctest.testmod(ccsim.center, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
