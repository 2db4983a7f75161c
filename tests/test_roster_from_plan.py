"""roster_from_plan (a ShiftPlan's counts as the cover, its break slots handed out) and
Roster.plot (the grid)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from ccsim import CCSimInputError  # noqa: E402
from ccsim.roster import Agent, build_roster, roster_from_plan  # noqa: E402
from ccsim.shifts import BreakRule, ShiftTemplate, schedule_shifts  # noqa: E402

COFFEE = BreakRule(15, earliest_after_minutes=60, latest_after_minutes=120, paid=True)
LUNCH = BreakRule(60, earliest_after_minutes=180, latest_after_minutes=300)
TEMPLATES = [ShiftTemplate("E", "08:00", 9, breaks=[COFFEE, LUNCH]),
             ShiftTemplate("L", "12:00", 8, breaks=[LUNCH])]
RULES = {"E": [COFFEE, LUNCH], "L": [LUNCH]}
DAY = [0] * 8 + [3, 3, 4, 4, 3, 3, 3, 4, 4, 3, 2, 2] + [0] * 4


def _need(days: int = 4) -> pd.Series:
    index = pd.date_range("2027-02-05", periods=24 * days, freq="60min")  # Fri to Mon
    return pd.Series(np.tile(DAY, days), index=index, dtype=float)


@pytest.fixture(scope="module")
def plan():
    return schedule_shifts(_need(), TEMPLATES)


@pytest.fixture(scope="module")
def roster(plan):
    return roster_from_plan(plan, [Agent(f"A{i:02d}") for i in range(12)])


def _check_breaks(roster) -> None:
    """Every agent on a shift has exactly one slot per rule, inside the rule's window."""
    breaks = roster.breaks
    worked = [(agent, roster.dates[day], shift) for agent, row in roster.table.iterrows()
              for day, shift in row.items() if shift]
    expected = sorted((agent, date, rule) for agent, date, shift in worked
                      for rule in range(1, len(RULES[shift]) + 1))
    got = sorted(zip(breaks["agent"], breaks["date"], breaks["rule"], strict=True))
    assert got == expected
    clock = {"E": pd.Timedelta(hours=8), "L": pd.Timedelta(hours=12)}
    for row in breaks.to_dict("records"):
        assert roster.table.loc[row["agent"], roster.dates.get_loc(row["date"])] == row["shift"]
        rule = RULES[row["shift"]][row["rule"] - 1]
        after = (row["start"] - row["date"] - clock[row["shift"]]) / pd.Timedelta(minutes=1)
        assert rule.earliest_after_minutes <= after <= rule.latest_after_minutes
        assert (row["end"] - row["start"]) == pd.Timedelta(minutes=rule.minutes)
        assert row["paid"] == rule.paid and row["break"] == rule.label


def _slots(table: pd.DataFrame, shift: str, agents: str | None) -> pd.Series:
    keys = ["date", shift, "rule", "start"]
    if agents is None:
        return table.groupby(keys).size().rename("agents")
    return table.groupby(keys)[agents].sum()


def test_covers_the_plan_and_hands_out_every_break_slot(plan, roster):
    assert list(roster.table.columns) == list(range(4))
    assert roster.dates[0] == pd.Timestamp("2027-02-05")
    assert (roster.coverage["under"] == 0).all()
    assert not (roster.penalties["kind"] == "under").any()
    assert roster.objective == 0
    assigned = roster.coverage.set_index(["day", "shift"])["assigned"]
    for row in plan.counts.itertuples(index=False):
        assert assigned[((row.date - roster.dates[0]).days, row.template)] == row.agents
    assert list(roster.breaks.columns) == ["agent", "date", "shift", "rule", "break", "start",
                                           "end", "paid"]
    _check_breaks(roster)
    given = _slots(roster.breaks, "shift", None)
    planned = _slots(plan.breaks, "template", "agents")
    planned.index = planned.index.rename(given.index.names)
    pd.testing.assert_series_equal(given.sort_index(), planned.sort_index(),
                                   check_dtype=False)


def test_deterministic(plan, roster):
    again = roster_from_plan(plan, [Agent(f"A{i:02d}") for i in range(12)])
    pd.testing.assert_frame_equal(again.table, roster.table)
    pd.testing.assert_frame_equal(again.breaks, roster.breaks)
    assert again.objective == roster.objective


def test_over_cover_every_agent_still_gets_one_slot_per_rule(plan):
    # each agent must work at least 3 of the 4 days: 36 shifts against the plan's 32
    agents = [Agent(f"A{i:02d}", min_minutes=3 * 480) for i in range(12)]
    roster = roster_from_plan(plan, agents)
    assert roster.coverage["over"].sum() >= 4
    assert (roster.coverage["under"] == 0).all()
    _check_breaks(roster)
    given = _slots(roster.breaks, "shift", None)
    planned = _slots(plan.breaks, "template", "agents")
    planned.index = planned.index.rename(given.index.names)
    assert (given.reindex(planned.index, fill_value=0) >= planned).all()


def test_under_cover_leaves_the_latest_slots_unassigned(plan):
    roster = roster_from_plan(plan, [Agent(f"A{i}") for i in range(5)])
    assert roster.coverage["under"].sum() > 0
    _check_breaks(roster)
    given = _slots(roster.breaks, "shift", None)
    planned = _slots(plan.breaks, "template", "agents")
    planned.index = planned.index.rename(given.index.names)
    assert given.sum() < planned.sum()
    assert (given <= planned.reindex(given.index)).all()


def test_start_before_the_plan_and_options_passed_on(plan):
    roster = roster_from_plan(plan, [Agent(f"A{i:02d}") for i in range(12)],
                              start="2027-02-03", deterministic_limit=5)
    assert roster.table.shape == (12, 6)
    assert (roster.table[[0, 1]] == "").all().all()
    _check_breaks(roster)


def test_a_plan_of_groups_is_rostered_by_skill():
    need = _need(2)
    grouped = schedule_shifts(pd.DataFrame({"sales": need, "service": need}), TEMPLATES)
    agents = ([Agent(f"S{i}", skills=["sales"]) for i in range(10)]
              + [Agent(f"V{i}", skills=["service"]) for i in range(10)]
              + [Agent("Both", skills=None)])
    roster = roster_from_plan(grouped, agents)
    assert roster.objective == 0
    skill = {shift.name: shift.skill for shift in roster.shifts}
    assert set(skill.values()) == {"sales", "service"}
    assert all(name.endswith(f" [{group}]") for name, group in skill.items())
    for agent in agents:
        worked = {v for v in roster.table.loc[agent.name] if v}
        assert agent.skills is None or {skill[v] for v in worked} <= set(agent.skills)
    # each group's shifts per day are the plan's
    counts = grouped.counts.groupby(["date", "group"])["agents"].sum()
    for day, date in enumerate(roster.dates):
        for group in ("sales", "service"):
            given = sum(1 for v in roster.table[day] if v and skill[v] == group)
            assert given == counts.get((date, group), 0)
    names = set(roster.breaks["shift"])
    assert names <= set(skill)  # breaks handed out per group's shift


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"plan": "plan"}, r"plan must be a ccsim\.shifts\.ShiftPlan.*got 'plan'"),
    ({"start": "2027-02-06"}, r"start must be a date no later than .*2027-02-05.*2027-02-06"),
    ({"start": "soon"}, r"start must be a date .*got 'soon'"),
    ({"under_weight": -1}, r"under_weight must be a whole number .*got -1"),
    ({"over_weight": 0.5}, r"over_weight must be a whole number .*got 0.5"),
    ({"days": 3}, r"unknown or fixed option\(s\) \['days'\].*deterministic_limit"),
])
def test_bad_input(plan, kwargs, match):
    arguments = {"plan": plan, "agents": [Agent("A")], **kwargs}
    with pytest.raises(CCSimInputError, match=match):
        roster_from_plan(**arguments)


def test_plot_grid(roster):
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes

    ax = roster.plot()
    assert isinstance(ax, Axes)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(roster.table.index)
    image = ax.get_images()[0].get_array()
    assert image.shape == roster.table.shape
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["E", "L", "off"]
    bold = [t.get_fontweight() == "bold" for t in ax.get_xticklabels()]
    assert bold == [d.weekday() >= 5 for d in roster.dates]  # Sat 6th, Sun 7th
    plt.close(ax.figure)
    _, given = plt.subplots()
    assert roster.plot(ax=given) is given
    plt.close(given.figure)
    with pytest.raises(CCSimInputError, match="ax must be a matplotlib Axes"):
        roster.plot(ax="here")


def test_plain_roster_has_no_breaks_and_plots():
    import matplotlib.pyplot as plt

    from ccsim.roster import RosterShift

    cover = pd.DataFrame({"day": [0, 1], "shift": ["D", "D"], "required": [1, 1],
                          "under_weight": [10, 10], "over_weight": [1, 1]})
    roster = build_roster([Agent("A"), Agent("B")], [RosterShift("D", "08:00", 480)], cover,
                          days=2, start="2027-02-01")
    assert roster.breaks is None
    ax = roster.plot()
    assert len(ax.get_yticklabels()) == 2
    plt.close(ax.figure)


def test_agent_on_a_day_the_plan_does_not_work_gets_the_most_used_slot(plan):
    from ccsim._roster.from_plan import assign_breaks, plan_cover

    made = plan_cover(plan, "2027-02-04")  # day 0 has no shift in the plan
    dates = pd.date_range(made.start, periods=made.days)
    table = pd.DataFrame("", index=pd.Index(["X"], name="agent"),
                         columns=pd.RangeIndex(made.days, name="day"))
    table.loc["X", 0] = "E"
    breaks = assign_breaks(plan, table, dates, made.shifts)
    assert breaks["rule"].tolist() == [1, 2]
    used = plan.breaks[plan.breaks["template"] == "E"].assign(
        offset=lambda f: f["start"] - f["shift_start"]).groupby(["rule", "offset"])[
        "agents"].sum()
    for row in breaks.to_dict("records"):
        best = used[row["rule"]]
        best = best[best == best.max()].index.min()
        assert row["start"] == pd.Timestamp("2027-02-04 08:00") + best
