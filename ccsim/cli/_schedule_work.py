"""The work of ``ccsim schedule`` (private; imported by :mod:`ccsim.cli` when the command runs).

The chain, on the built-in bank example or the planner's own call log or interval
report (:mod:`ccsim.cli._own_data`): history -> forecast -> every call type pooled into
one queue (one group of agents who take every call, which is what one shift plan
staffs; with ``--group-by type`` each call type its own group, planned apart) -> agents
per interval (:func:`ccsim.staffing.requirements`) -> shifts with
breaks (:func:`ccsim.shifts.schedule_shifts`, or
:func:`ccsim.shifts.schedule_for_service_level` for a daily target). Or a user's own
requirement from a CSV file. The plan is printed, and written as one set of files:
its coverage plot and tables, and ``plan.xlsx`` (:mod:`ccsim.cli._xlsx`).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from ccsim._validation import CCSimError, CCSimInputError
from ccsim.cli._files import write_set
from ccsim.cli._options import reword
from ccsim.cli._own_data import Inputs
from ccsim.cli._requirement import read_requirement
from ccsim.cli.schedule import OUTPUT_FILES
from ccsim.shifts import ShiftPlan, schedule_for_service_level, schedule_shifts, shift_catalogue

__all__ = ["OUTPUT_FILES", "Inputs", "build_templates", "clock_text", "format_plan",
           "group_names", "group_plan", "in_cli_terms", "interval_minutes", "opening_of",
           "per_day", "requirement_from_csv", "requirement_line", "schedule", "template_order",
           "write_outputs"]


def clock_text(minutes: int) -> str:
    """``"HH:MM"`` of minutes after midnight (``"24:00"`` at the end of the day)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def requirement_from_csv(path: Path) -> Inputs:
    """A requirement from a CSV file (see :mod:`ccsim.cli._requirement`)."""
    requirement, lines = read_requirement(path)
    return Inputs(requirement, None, None, None, lines)


def interval_minutes(requirement: pd.Series) -> int:
    """The requirement's interval length [min] (on its regular grid)."""
    return int((requirement.index[1] - requirement.index[0]).total_seconds() // 60)


def opening_of(requirement: pd.Series) -> tuple[int, int]:
    """The daily span with a requirement: first to last positive interval's time of day."""
    positive = requirement[requirement > 0]
    if positive.empty:
        return 0, 1440
    step = interval_minutes(requirement)
    minutes = np.unique(positive.index.hour * 60 + positive.index.minute)
    gaps = np.diff(np.concatenate([minutes, [minutes[0] + 1440]]))
    if gaps.max() <= step:
        return 0, 1440
    k = int(np.argmax(gaps))  # the longest quiet stretch is the night
    start = int(minutes[(k + 1) % len(minutes)])
    end = int(minutes[k]) + step
    return start, end if end <= 1440 else end - 1440


def build_templates(opening: tuple[int, int], lengths: list[float], every: int,
                    inferred_from: str | None = None) -> tuple[list[Any], str]:
    """The shift templates of each length that fits in the opening hours, and their line.

    ``inferred_from`` names the data the opening hours were inferred from (no ``--open``)
    and how, for the message when no length fits.
    """
    span = (opening[1] - opening[0]) % 1440 or 1440
    hours_text = f"{clock_text(opening[0])}-{clock_text(opening[1])} ({span / 60:g} h)"
    fits = [h for h in lengths if h * 60 <= span]
    if not fits:
        shown = ",".join(f"{h:g}" for h in lengths)
        if inferred_from is not None:
            raise CCSimInputError(
                f"--lengths {shown}: no shift length fits in the opening hours {hours_text}, "
                f"which were inferred from {inferred_from}; give the real opening hours "
                "with --open HH:MM-HH:MM, or shorter --lengths")
        raise CCSimInputError(
            f"--lengths {shown}: no shift length fits in the opening hours {hours_text}; give "
            "shorter --lengths or longer --open")
    templates: list[Any] = []
    kinds = []
    window = (clock_text(opening[0]), clock_text(opening[1]))
    for hours in fits:
        try:
            these = shift_catalogue(window, [hours], every_minutes=every)
        except CCSimInputError as error:
            raise CCSimInputError(in_cli_terms(str(error))) from None
        templates.extend(these)
        one = these[0]
        rules = ", ".join(f"{r.label}{'' if r.paid else ' unpaid'}" for r in one.breaks)
        kinds.append(f"{hours:g} h ({one.paid_hours:g} paid{'; ' + rules if rules else ''})")
    left_out = [f"{h:g} h" for h in lengths if h not in fits]
    line = (f"shifts: {' and '.join(kinds)}, starting every {every} min, "
            f"{len(templates)} templates"
            + (f" ({', '.join(left_out)} longer than the opening hours {hours_text}: left out)"
               if left_out else ""))
    return templates, line


def _table(frame: pd.DataFrame, formats: dict[str, Callable[[Any], str]]) -> str:
    cells = [[str(frame.index.name or "")] + list(frame.columns)]
    for label, row in frame.iterrows():
        cells.append([str(label)] + [formats.get(c, str)(v) for c, v in row.items()])
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    return "\n".join("  ".join(v.ljust(w) if i == 0 else v.rjust(w)
                               for i, (v, w) in enumerate(zip(r, widths, strict=True)))
                     for r in cells)


def template_order(counts: pd.DataFrame) -> list[str]:
    """The templates of ``counts``, long shifts first, each length by start time."""
    starts = counts.groupby("template")["start"].min().dt.time
    return sorted(starts.index, key=lambda n: (-len(n), starts[n]))


def starts_per_day(plan: ShiftPlan) -> pd.DataFrame:
    """Agents starting each template (rows) per day (columns: the days' midnights)."""
    counts = plan.counts
    pivot = counts.pivot_table(index="template", columns="date", values="agents",
                               aggfunc="sum", fill_value=0)
    pivot = pivot.reindex(index=template_order(counts), columns=sorted(pivot.columns))
    pivot.columns = pd.DatetimeIndex(pivot.columns, name="date")
    return pivot.astype(np.int64)


def per_day(plan: ShiftPlan) -> pd.DataFrame:
    """Coverage per day (index: the days' midnights) [agent-hours], and the paid hours.

    Columns ``required h``, ``on phones h``, ``over h``, ``under h`` (agent-hours),
    ``peak required`` (agents), ``intervals short`` and ``paid hours`` (of the shifts
    starting that day).
    """
    cov = plan.coverage
    hours = float(cov.attrs.get("interval_minutes", 60)) / 60.0
    day = cov.index.normalize()
    table = pd.DataFrame({
        "required h": cov["required"].groupby(day).sum() * hours,
        "on phones h": cov["on_phones"].groupby(day).sum() * hours,
        "over h": cov["over"].groupby(day).sum() * hours,
        "under h": cov["under"].groupby(day).sum() * hours,
        "peak required": cov["required"].groupby(day).max(),
        "intervals short": (cov["under"] > 1e-9).groupby(day).sum(),
    })
    paid = plan.counts.groupby(plan.counts["date"].dt.normalize())["paid_hours"].sum()
    table["paid hours"] = paid.reindex(table.index, fill_value=0.0).astype(float)
    table.index.name = "date"
    return table


def group_names(plan: ShiftPlan) -> list[str]:
    """The plan's groups, in its order; empty for a plan of one group."""
    return [] if plan.groups is None else [str(g) for g in plan.groups.index]


def group_plan(plan: ShiftPlan, name: str) -> ShiftPlan:
    """The plan of one group of a plan of several: its rows, and its totals.

    Its ``lp_bound`` is NaN (a plan of groups keeps only their sum).
    """
    row = plan.groups.loc[name]

    def rows(table: pd.DataFrame) -> pd.DataFrame:
        mine = table.loc[table["group"] == name].drop(columns="group")
        return mine.reset_index(drop=True)

    coverage = plan.coverage.xs(name, level="group")
    coverage.attrs = dict(plan.coverage.attrs)
    return ShiftPlan(
        counts=rows(plan.counts), breaks=rows(plan.breaks), coverage=coverage,
        paid_hours=float(row["paid_hours"]), cost=float(row["cost"]),
        lower_bound=float(row["lower_bound"]), lp_bound=float("nan"), gap=float(row["gap"]),
        status=str(row["status"]), solve_seconds=float(row["solve_seconds"]),
        solve_log=None if plan.solve_log is None else rows(plan.solve_log))


def _plan_line(plan: ShiftPlan, head: str, groups: int = 0) -> str:
    line = (f"{head}: {plan.status}, cost {plan.cost:,.2f} for {plan.paid_hours:,.2f} paid hours, "
            f"lower bound {plan.lower_bound:,.2f} (gap {plan.gap:.2%}), "
            f"{plan.shifts_worked} shifts" + (f" in {groups} groups" if groups else "")
            + f", solved in {plan.solve_seconds:.1f} s")
    early = _stopped_early(plan)
    return f"{line}\n{early}" if early else line


def _stopped_early(plan: ShiftPlan) -> str:
    """Which days --time-limit cut short (their plans may differ from run to run)."""
    log = plan.solve_log
    if log is None or log.empty:
        return ""
    cut = log[log["status"] == "time_limit"]
    if cut.empty:
        return ""
    days = list(dict.fromkeys(cut["start"].dt.strftime("%a %m-%d")))
    shown = ", ".join(days[:7]) + (f" and {len(days) - 7} more" if len(days) > 7 else "")
    return (f"  stopped early by --time-limit on {len(cut)} of {len(log)} solved pieces "
            f"({shown}): their plans are the best found in time, not the reproducible one; "
            "raise --time-limit for the same plan on every run")


def format_plan(plan: ShiftPlan, daily_target: bool) -> str:
    """The plan as text: status and bound, agents per template and day, coverage per day.

    A plan of several groups: the whole plan's line (sums over groups), then per group
    its own line (``group NAME: ...``) and its tables.
    """
    names = group_names(plan)
    if names:
        lines = [_plan_line(plan, "plan", len(names))]
        for name in names:
            one = group_plan(plan, name)
            lines += ["", _plan_line(one, f"group {name}"), "", _tables(one, daily_target)]
        return "\n".join(lines).rstrip("\n")
    return "\n".join([_plan_line(plan, "plan"), "", _tables(plan, daily_target)]).rstrip("\n")


def _tables(plan: ShiftPlan, daily_target: bool) -> str:
    """Agents per template and day, coverage per day (and the daily target's service)."""
    lines = []
    pivot = starts_per_day(plan)
    pivot.columns = pivot.columns.strftime("%a %m-%d")
    pivot["total"] = pivot.sum(axis=1)
    pivot.loc["all shifts"] = pivot.sum(axis=0)
    pivot.index.name = "agents starting"
    blank = {c: (lambda v: "." if v == 0 else f"{int(v)}") for c in pivot.columns}
    lines += [_table(pivot, blank), ""]
    days = per_day(plan).drop(columns=["paid hours"])
    days.index = days.index.strftime("%a %Y-%m-%d")
    days.index.name = "coverage"
    number = {c: (lambda v: f"{v:,.1f}") for c in days.columns}
    number["intervals short"] = number["peak required"] = lambda v: f"{v:g}"
    lines.append(_table(days, number))
    if daily_target and plan.service is not None:
        svc = plan.service.copy()
        svc.index = svc.index.strftime("%a %Y-%m-%d")
        svc.index.name = "service"
        show = svc[["calls", "service_level", "paid_hours", "interval_plan_service_level",
                    "interval_plan_paid_hours", "hours_saved"]]
        show.columns = ["calls", "day's SL", "paid h", "interval plan SL",
                        "interval plan h", "hours saved"]
        fmt = {c: (lambda v: f"{v:,.1f}") for c in show.columns}
        fmt["day's SL"] = fmt["interval plan SL"] = lambda v: f"{v:.1%}"
        saved = float(svc["hours_saved"].sum())
        base = float(svc["interval_plan_paid_hours"].sum())
        lines += ["", _table(show, fmt), "",
                  f"the daily target saves {saved:,.1f} paid hours ({saved / base:.1%}) against "
                  "covering the target in every interval" if base else ""]
    return "\n".join(lines).rstrip("\n")


def write_outputs(plan: ShiftPlan, directory: Path) -> list[Path]:
    """Write coverage.png, coverage.csv, shifts.csv and plan.xlsx into ``directory``, one set.

    See :mod:`ccsim.cli._files` for what a reader of the directory sees meanwhile.
    """
    from matplotlib.figure import Figure

    from ccsim.cli._xlsx import write_workbook

    names = group_names(plan)
    if names:
        figure = Figure(figsize=(12, 3.5 * len(names)), layout="constrained")
        panels = figure.subplots(len(names), 1, sharex=True, squeeze=False)[:, 0]
        for axis, name in zip(panels, names, strict=True):
            plan.plot(ax=axis, group=name)
    else:
        figure = Figure(figsize=(12, 4.5), layout="constrained")
        plan.plot(ax=figure.subplots())

    def png(out: IO[Any]) -> None:
        figure.savefig(out, format="png", dpi=100)

    def coverage(out: IO[Any]) -> None:
        plan.coverage.to_csv(out, float_format="%.6g")

    def shifts(out: IO[Any]) -> None:
        plan.to_frame().to_csv(out, index=False)

    def workbook(out: IO[Any]) -> None:
        write_workbook(plan, out)

    return write_set(directory, [(OUTPUT_FILES[0], png, True), (OUTPUT_FILES[1], coverage, False),
                                 (OUTPUT_FILES[2], shifts, False), (OUTPUT_FILES[3], workbook,
                                                                    True)])


def schedule(inputs: Inputs, templates: list[Any], *, daily_target: bool, target: float,
             within: float, seats: int | None, penalty: float | None, time_limit: float,
             gap: float, workers: int, executor: Executor | None) -> ShiftPlan:
    """The shift plan; library errors are reworded in the command's options."""
    try:
        if daily_target:
            if inputs.calls is None or inputs.aht_seconds is None:
                raise CCSimInputError("--daily-target works on a forecast of calls (the "
                                      "example, --calls or --report), not on a --requirement "
                                      "file")
            return schedule_for_service_level(
                inputs.calls, templates, inputs.aht_seconds, target, within,
                patience_seconds=inputs.patience_seconds, seats=seats,
                time_limit_seconds=time_limit, mip_gap=gap, workers=workers, executor=executor)
        if inputs.groups is not None:
            if daily_target or seats is not None:
                given = "--daily-target" if daily_target else "--seats"
                raise CCSimInputError(f"--group-by type and {given} cannot go together; drop "
                                      f"{given}, or give --group-by all")
            return schedule_shifts(inputs.groups, templates, groups="call_type",
                                   understaffing_penalty=penalty, time_limit_seconds=time_limit,
                                   mip_gap=gap, workers=workers, executor=executor)
        return schedule_shifts(inputs.requirement, templates, understaffing_penalty=penalty,
                               seats=seats, time_limit_seconds=time_limit, mip_gap=gap,
                               workers=workers, executor=executor)
    except CCSimInputError as error:
        raise CCSimInputError(in_cli_terms(str(error))) from None
    except CCSimError as error:
        raise CCSimError(in_cli_terms(str(error), input_error=False)) from None


#: The library's keywords that ``ccsim schedule`` sets from its options.
OPTION_OF = {"understaffing_penalty": "--penalty", "time_limit_seconds": "--time-limit",
             "mip_gap": "--gap", "seats": "--seats", "workers": "--workers",
             "lengths_hours": "--lengths", "shift_hours": "--lengths", "every_minutes": "--every"}
_TEMPLATES = " (ccsim schedule makes the templates from --open, --lengths and --every)"


def in_cli_terms(message: str, input_error: bool = True) -> str:
    """A library message in the command's terms: ``seats=5`` becomes ``--seats 5``, and so on.

    An input error about templates, or naming no option, gets the options that make them.
    """
    text = reword(message, OPTION_OF, "schedule", bare=True, fallback=False)
    if input_error and ("template" in text or "--" not in text):
        text += _TEMPLATES
    return text


def requirement_line(requirement: pd.Series, groups: int = 0) -> str:
    """The requirement's agent-hours and peak (``groups``: of so many groups' sum)."""
    hours = interval_minutes(requirement) / 60.0
    return (f"requirement: {requirement.sum() * hours:,.1f} agent-hours on the phones, peak "
            f"{requirement.max():g} agents" + (f" (summed over the {groups} groups)" if groups
                                               else ""))
