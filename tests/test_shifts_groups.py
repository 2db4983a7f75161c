"""Shift plans per skill group: ``schedule_shifts`` with a group column, wide tables and
``groups=`` (issue 10, item 3). Tiny instances: each group is a day of 8 hours."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ccsim import staffing
from ccsim._validation import CCSimInputError
from ccsim.shifts import BreakRule, ShiftPlan, ShiftTemplate, schedule_shifts

INDEX = pd.date_range("2024-03-04 08:00", periods=8, freq="60min")
NEED = {"vip": pd.Series([1, 2, 2, 1, 1, 2, 2, 1.0], index=INDEX),
        "general": pd.Series([3, 3, 4, 2, 2, 4, 3, 3.0], index=INDEX)}
LUNCH = BreakRule(60, earliest_after_minutes=180, latest_after_minutes=300)
DAY = [ShiftTemplate("day", "08:00", 8, breaks=[LUNCH]), ShiftTemplate("early", "08:00", 4),
       ShiftTemplate("late", "12:00", 4)]
SHORT = [ShiftTemplate("early", "08:00", 4), ShiftTemplate("late", "12:00", 4)]


def _tidy(need: dict[str, pd.Series]) -> pd.DataFrame:
    return pd.concat([pd.DataFrame({"interval_start": s.index, "group": g, "agents": s.values})
                      for g, s in need.items()], ignore_index=True)


def _part(plan: ShiftPlan, table: str, group: str) -> pd.DataFrame:
    frame = getattr(plan, table)
    return frame[frame["group"] == group].drop(columns="group").reset_index(drop=True)


def _assert_same_as_alone(plan: ShiftPlan, need: dict[str, pd.Series],
                          templates: dict[str, list[ShiftTemplate]]) -> None:
    for group, series in need.items():
        alone = schedule_shifts(series, templates[group])
        pd.testing.assert_frame_equal(_part(plan, "counts", group), alone.counts)
        pd.testing.assert_frame_equal(_part(plan, "breaks", group), alone.breaks,
                                      check_dtype=len(alone.breaks) > 0)
        pd.testing.assert_frame_equal(plan.coverage.xs(group, level="group"), alone.coverage,
                                      check_freq=False)
        if alone.solve_log is not None:  # the days each group solved, with the group
            log = _part(plan, "solve_log", group)
            pd.testing.assert_frame_equal(log.drop(columns="seconds"),
                                          alone.solve_log.drop(columns="seconds"))
        row = plan.groups.loc[group]
        assert (row["paid_hours"], row["cost"], row["status"]) == (
            alone.paid_hours, alone.cost, alone.status)


def test_each_groups_plan_is_its_plan_solved_alone():
    plan = schedule_shifts(_tidy(NEED), DAY)
    _assert_same_as_alone(plan, NEED, {"vip": DAY, "general": DAY})
    assert list(plan.groups.index) == ["vip", "general"]
    assert list(plan.counts.columns[:2]) == ["group", "date"]
    assert plan.coverage.index.names == ["interval_start", "group"]
    assert plan.coverage.index.get_level_values(0).is_monotonic_increasing
    assert plan.coverage.attrs["interval_minutes"] == 60
    assert plan.paid_hours == pytest.approx(plan.groups["paid_hours"].sum())
    assert plan.shifts_worked == plan.groups["shifts_worked"].sum()
    assert plan.lower_bound == pytest.approx(plan.groups["lower_bound"].sum())
    assert plan.status == "optimal" and plan.gap == 0.0
    assert plan.under_hours == 0.0
    frame = plan.to_frame()
    assert frame.columns[0] == "group" and frame["group"].tolist() == sorted(
        frame["group"], key=["vip", "general"].index)


def test_wide_and_tidy_input_give_the_same_plan():
    tidy = schedule_shifts(_tidy(NEED), DAY)
    wide = schedule_shifts(pd.DataFrame(NEED), DAY)
    for table in ("counts", "breaks", "coverage", "groups"):
        frame = getattr(wide, table)
        if table == "groups":
            frame, other = frame.drop(columns="solve_seconds"), tidy.groups.drop(
                columns="solve_seconds")
        else:
            other = getattr(tidy, table)
        pd.testing.assert_frame_equal(frame, other)


def test_templates_per_group():
    templates = {"vip": SHORT, "general": DAY}
    plan = schedule_shifts(_tidy(NEED), templates)
    _assert_same_as_alone(plan, NEED, templates)
    assert set(_part(plan, "counts", "vip")["template"]) <= {"early", "late"}


def _forecast() -> pd.DataFrame:
    return pd.DataFrame({"interval_start": np.tile(INDEX, 3),
                         "call_type": np.repeat(["retail", "business", "vip"], 8),
                         "calls": np.repeat([60.0, 20.0, 10.0], 8)})


def test_a_requirements_table_goes_straight_in_one_group_per_call_type():
    need = staffing.requirements(_forecast(), 180, 0.8, 20)
    plan = schedule_shifts(need, SHORT, groups="call_type")
    assert list(plan.groups.index) == ["business", "retail", "vip"]  # the table's order
    parts = {t: g.set_index("interval_start")["agents"].astype(float)
             for t, g in need.groupby("call_type")}
    _assert_same_as_alone(plan, parts, dict.fromkeys(parts, SHORT))


def test_a_mapping_pools_call_types_into_groups_by_summing_their_agents():
    need = staffing.requirements(_forecast(), 180, 0.8, 20)
    plan = schedule_shifts(need, SHORT, groups={"retail": "general", "business": "general",
                                                "vip": "vip"})
    assert list(plan.groups.index) == ["general", "vip"]
    general = need[need["call_type"] != "vip"].groupby("interval_start")["agents"].sum()
    assert (plan.coverage.xs("general", level="group")["required"] == general).all()
    _assert_same_as_alone(plan, {"general": general.astype(float),
                                 "vip": need[need["call_type"] == "vip"].set_index(
                                     "interval_start")["agents"].astype(float)},
                          {"general": SHORT, "vip": SHORT})


def test_without_groups_a_table_of_call_types_is_one_summed_group_as_before():
    need = staffing.requirements(_forecast(), 180, 0.8, 20)
    plan = schedule_shifts(need, SHORT)
    assert plan.groups is None and plan.coverage.index.names == ["interval_start"]
    assert "group" not in plan.counts.columns and "group" not in plan.to_frame().columns


def test_plot_draws_one_panel_per_group_or_the_group_asked_for():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plan = schedule_shifts(_tidy(NEED), DAY)
    axes = plan.plot()
    assert len(axes) == 2 and axes[0].get_title().startswith("vip: ")
    ax = plan.plot(group="general")
    assert ax.get_title().startswith("general: ")
    with pytest.raises(CCSimInputError, match=r"group must be one of \['vip', 'general'\]; "
                                              r"got 'nope'"):
        plan.plot(group="nope")
    with pytest.raises(CCSimInputError, match="give group= to draw one on ax"):
        plan.plot(ax=ax)
    plt.close("all")


@pytest.mark.parametrize(("call", "message"), [
    (lambda: schedule_shifts(_tidy(NEED), {"vip": DAY, "general": DAY, "english": DAY}),
     r"templates has group\(s\) \['english'\] that are not in the requirement; its groups "
     r"are \['vip', 'general'\]"),
    (lambda: schedule_shifts(_tidy(NEED), {"vip": DAY}),
     r"templates has no templates for group\(s\) \['general'\]"),
    (lambda: schedule_shifts(_tidy(NEED).assign(group=lambda t: t["group"].where(
        t.index != 9)), DAY),
     r"requirement's 'group' column has no group \(NaN\) in 1 row\(s\), first at "
     r"interval_start 2024-03-04 09:00:00 \(row 9\)"),
    (lambda: schedule_shifts(pd.concat([_tidy({"vip": NEED["vip"]}), _tidy({
        "general": pd.Series(1.0, index=pd.date_range("2024-03-04 08:00", periods=16,
                                                      freq="30min"))})]), DAY),
     r"group 'general' is on a 30-min grid starting 2024-03-04 08:00:00, group 'vip' on a "
     r"60-min grid"),
    (lambda: schedule_shifts(_tidy({"vip": NEED["vip"], "general": NEED["general"].shift(
        30, freq="min")}), DAY), r"group 'general' is on a 60-min grid starting "
     r"2024-03-04 08:30:00"),
    (lambda: schedule_shifts(_tidy(NEED), {"vip": DAY, "general": []}),
     r"group 'general': templates must hold at least one ShiftTemplate"),
    (lambda: schedule_shifts(_tidy(NEED), SHORT[:1]),
     r"^group 'vip': no template covers 4 interval\(s\) where the requirement needs agents: "
     r"2024-03-04 12:00-16:00"),
    (lambda: schedule_shifts(pd.DataFrame({"vip": NEED["vip"], "general": NEED["general"].where(
        NEED["general"] < 4)}), DAY),
     r"requirement \(group 'general'\) must be a finite number in \[0, inf\); got nan at "
     r"position 2"),
    (lambda: schedule_shifts(pd.DataFrame({"vip": NEED["vip"] * 1e7}), DAY),
     r"^group 'vip': schedule_shifts: the requirement at 2024-03-04 09:00:00 is 2e\+07 agents"),
    (lambda: schedule_shifts(_tidy(NEED), DAY, seats=10),
     r"seats=10 is not supported with groups \['vip', 'general'\]"),
    (lambda: schedule_shifts(_tidy(NEED), DAY, groups="call_type"),
     r"requirement has a 'group' column: give groups only"),
    (lambda: schedule_shifts(NEED["vip"], DAY, groups="call_type"),
     r"groups needs requirement as a table with call types"),
    (lambda: schedule_shifts(staffing.requirements(_forecast(), 180, 0.8, 20), DAY,
                             groups={"retail": "general"}),
     r"groups has no group for call type\(s\) \['business', 'vip'\]"),
    (lambda: schedule_shifts(staffing.requirements(_forecast(), 180, 0.8, 20), DAY,
                             groups={"retail": "a", "business": "a", "vip": "b", "fax": "c"}),
     r"groups maps call type\(s\) \['fax'\] not in the requirement"),
    (lambda: schedule_shifts(_tidy(NEED), DAY, groups="type"),
     r"groups must be None, 'call_type'"),
    (lambda: schedule_shifts(NEED["vip"], {"vip": DAY}),
     r"templates as a mapping group -> templates needs a requirement with groups"),
    (lambda: schedule_shifts(pd.DataFrame({"vip": NEED["vip"], 3: NEED["general"]}), DAY),
     r"a group name must be a non-empty string; got 3"),
    (lambda: schedule_shifts(_tidy(NEED).assign(agents=lambda t: t["agents"].where(
        t.index != 3)), DAY), r"requirement's 'agents' column must be .*got nan at position 3"),
])
def test_bad_group_input_is_refused_naming_the_group(call, message):
    with pytest.raises(CCSimInputError, match=message):
        call()


def test_schedule_for_service_level_refuses_a_group_column():
    from ccsim.shifts import schedule_for_service_level

    calls = pd.DataFrame({"interval_start": INDEX, "group": "vip", "calls": 10.0})
    with pytest.raises(CCSimInputError, match=r"calls_per_interval has a 'group' column, but "
                                              r"plans one pooled queue"):
        schedule_for_service_level(calls, SHORT, 180, 0.8, 20)
