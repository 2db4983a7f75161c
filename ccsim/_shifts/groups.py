"""Shift plans per skill group (private; used by :func:`ccsim.shifts.schedule_shifts`).

A center plans each skill group (a desk, a zone) with its own requirement and its
own shifts. The groups do not share agents, so they are independent problems: each
is solved by the single-group path, in the groups' order, and the plans are put
together into one :class:`ccsim.shifts.ShiftPlan` whose tables carry the group.

The requirement per group comes from

* a tidy table with columns ``interval_start``, ``group`` and ``agents``;
* a wide table on a DatetimeIndex, one column of agents per group;
* a table of :func:`ccsim.staffing.requirements` (``interval_start``, ``call_type``,
  ``agents``) with ``groups="call_type"`` (one group per call type) or a mapping
  call type -> group.

Rows of one group and interval are summed (call types pooled into a group add their
agents). Summing per-type Erlang requirements over-staffs: one shared queue needs
fewer agents than the sum of its types' separate queues (economies of scale). The
exact requirement of a pooled group is :func:`ccsim.staffing.requirements` on the
pooled forecast (its calls summed per interval, with a mean handle time).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ccsim._shifts.checks import check_model_size, show, template_list
from ccsim._shifts.grid import interval_starts, numbers, requirement_grid
from ccsim._validation import CCSimError, CCSimInputError, check_real

__all__ = ["combine", "group_requirements", "group_templates", "solve_groups"]

# Statuses of a plan, best first: a plan of several groups has its worst group's.
_STATUS_ORDER = ("optimal", "within_gap", "feasible", "node_limit", "time_limit")
_GROUPS_VALID = ("groups must be None, 'call_type' (one group per call type) or a mapping "
                 "call type -> group name")


def group_requirements(requirement: Any, groups: Any) -> dict[str, pd.Series] | None:
    """The requirement per group, in the groups' order; None for a single-group input.

    A Series, or a table without a ``group`` column given without ``groups``, is
    one group (the single-group path sums a table over call types).
    """
    if groups is not None and not (isinstance(groups, str) and groups == "call_type"
                                   or isinstance(groups, Mapping)):
        raise CCSimInputError(f"{_GROUPS_VALID}; got {show(groups)}")
    if isinstance(requirement, pd.DataFrame):
        if "interval_start" in requirement.columns:
            return _tidy(requirement, groups)
        if isinstance(requirement.index, pd.DatetimeIndex):
            return _wide(requirement, groups)
    if groups is not None:
        raise CCSimInputError(
            "groups needs requirement as a table with call types (interval_start, call_type, "
            "agents: ccsim.staffing.requirements) or one column per type on a DatetimeIndex; "
            f"got {type(requirement).__name__}")
    return None


def _label(where: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise CCSimInputError(f"{where}: a group name must be a non-empty string; got "
                              f"{show(value)}")
    return value


def _mapped(types: list[str], groups: Any, what: str) -> dict[str, str]:
    """Call type -> group, checked against the types present."""
    if isinstance(groups, str):
        return {t: t for t in types}
    missing = [t for t in types if t not in groups]
    if missing:
        raise CCSimInputError(f"groups has no group for call type(s) {missing[:10]} of the "
                              f"requirement's {what}; map every one (types: {types[:10]})")
    unknown = [k for k in groups if k not in types]
    if unknown:
        raise CCSimInputError(f"groups maps call type(s) {unknown[:10]} "
                              f"not in the requirement's {what} {types[:10]}")
    return {t: _label(f"groups[{t!r}]", groups[t]) for t in types}


def _tidy(table: pd.DataFrame, groups: Any) -> dict[str, pd.Series] | None:
    columns = set(table.columns)
    if "group" in columns:
        if groups is not None:
            raise CCSimInputError("requirement has a 'group' column: give groups only for a "
                                  "table of call types without one (groups=None)")
        labels = table["group"]
        bad = labels.isna().to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise CCSimInputError(
                f"requirement's 'group' column has no group (NaN) in {int(bad.sum())} row(s), "
                f"first at interval_start {table['interval_start'].iloc[i]} (row {i}); give "
                "every row a group name")
        for name in pd.unique(labels):
            _label("requirement's 'group' column", name)
    elif groups is None:
        return None
    elif "call_type" not in columns:
        raise CCSimInputError("groups needs a 'call_type' column in requirement (the table of "
                              "ccsim.staffing.requirements); got columns "
                              f"{[show(c) for c in table.columns][:10]}")
    else:
        types = table["call_type"]
        if types.isna().any():
            raise CCSimInputError("requirement's 'call_type' column has NaN; give every row a "
                                  "call type")
        present = [str(t) for t in pd.unique(types)]
        labels = types.astype(str).map(_mapped(present, groups, "'call_type' column"))
    if "agents" not in columns:
        raise CCSimInputError(
            "requirement as a table of groups needs columns 'interval_start', 'group' (or "
            "'call_type' with groups) and 'agents' (agents on the phones per interval); got "
            f"columns {[show(c) for c in table.columns][:10]}")
    values = check_real("requirement's 'agents' column", numbers("requirement", table["agents"]),
                        low=0.0)
    starts = interval_starts("requirement", table["interval_start"])
    parts = {}
    for name in pd.unique(labels):
        rows = (labels == name).to_numpy()
        series = pd.Series(values[rows], index=starts[rows]).groupby(level=0).sum()
        series.attrs["freq"] = table.attrs.get("freq")
        parts[name] = series
    return parts


def _wide(table: pd.DataFrame, groups: Any) -> dict[str, pd.Series]:
    if isinstance(groups, str):
        raise CCSimInputError("groups='call_type' needs a table with a 'call_type' column; for "
                              "one column per group give groups=None (or a mapping column -> "
                              "group to pool columns)")
    names = [_label("requirement's columns (one per group)", c) for c in table.columns]
    if not names:
        raise CCSimInputError("requirement as a table of groups has no columns")
    if len(set(names)) < len(names):
        twice = sorted({c for c in names if names.count(c) > 1})
        raise CCSimInputError(f"requirement has duplicated group column(s) {twice[:10]}")
    target = {c: c for c in names} if groups is None else _mapped(names, groups, "columns")
    parts: dict[str, pd.Series] = {}
    for column in names:
        series = table[column].copy()
        if series.dtype.kind not in "iuf":
            series = pd.Series(numbers(f"requirement[{column!r}]", series), index=table.index)
        group = target[column]
        parts[group] = series if group not in parts else parts[group] + series
    for series in parts.values():
        series.attrs["freq"] = table.attrs.get("freq")
    return parts


def group_templates(templates: Any, names: list[str]) -> dict[str, list[Any]]:
    """Templates per group: one list for all, or a mapping group -> templates."""
    if not isinstance(templates, Mapping):
        items = template_list(templates)
        return {name: items for name in names}
    unknown = [k for k in templates if k not in names]
    if unknown:
        raise CCSimInputError(f"templates has group(s) {unknown[:10]} that "
                              f"are not in the requirement; its groups are {names[:10]}")
    missing = [name for name in names if name not in templates]
    if missing:
        raise CCSimInputError(f"templates has no templates for group(s) {missing[:10]}; give "
                              "every group its templates, or one list for all")
    out = {}
    for name in names:
        try:
            out[name] = template_list(templates[name])
        except CCSimInputError as error:
            raise CCSimInputError(f"group {name!r}: {error}") from None
    return out


def _checked_grids(where: str, parts: dict[str, pd.Series],
                   templates: dict[str, list[Any]]) -> None:
    """Every group's requirement checked, on one grid, and its model not too large."""
    first = None
    for name, series in parts.items():
        grid, _ = requirement_grid(f"requirement (group {name!r})", series)
        if first is None:
            first = (name, grid)
        else:
            other, base = first
            offset = (grid.origin - base.origin) / pd.Timedelta(minutes=base.step)
            if grid.step != base.step or offset != int(offset):
                raise CCSimInputError(
                    f"requirement: group {name!r} is on a {grid.step}-min grid starting "
                    f"{grid.origin}, group {other!r} on a {base.step}-min grid starting "
                    f"{base.origin}; every group must be on one grid of interval starts (the "
                    "same interval length, aligned)")
        check_model_size(f"{where} (group {name!r})", grid.size, grid.step, grid.days,
                         templates[name])


def solve_groups(where: str, parts: dict[str, pd.Series], templates: Any,
                 time_limit: float, solve: Callable[[pd.Series, list[Any], float], Any]
                 ) -> dict[str, Any]:
    """Each group's plan by ``solve(requirement, templates, time_limit)``, group by group.

    All groups are checked before any is solved. Each group gets an equal share of
    the time left (at least 1 s, or ``time_limit`` if smaller), so the whole run
    keeps about to ``time_limit``; an error names its group.
    """
    names = list(parts)
    items = group_templates(templates, names)
    _checked_grids(where, parts, items)
    began = time.monotonic()
    plans = {}
    for i, name in enumerate(names):
        left = max(time_limit - (time.monotonic() - began), 0.0)
        share = max(left / (len(names) - i), min(time_limit, 1.0))
        try:
            plans[name] = solve(parts[name], items[name], share)
        except CCSimError as error:
            raise type(error)(f"group {name!r}: {error}") from None
    return plans


def _stacked(frames: list[pd.DataFrame], names: list[str]) -> pd.DataFrame:
    """Frames indexed by time, stacked with a ``group`` index level after the time's."""
    table = pd.concat(frames, keys=names, names=["group"])
    group = np.repeat(np.arange(len(names)), [len(f) for f in frames])
    table = table.reorder_levels([*range(1, table.index.nlevels), 0])
    order = np.lexsort((group, *reversed([table.index.get_level_values(i).to_numpy()
                                          for i in range(table.index.nlevels - 1)])))
    table = table.iloc[order]
    table.attrs = dict(frames[0].attrs)
    return table


def _with_group(frames: list[pd.DataFrame], names: list[str]) -> pd.DataFrame:
    """Row tables, one group after another, with a first column ``group``."""
    tagged = [f.assign(group=name)[["group", *f.columns]] for f, name in zip(frames, names,
                                                                             strict=True)]
    kept = [f for f in tagged if len(f)] or tagged[:1]  # empty ones would change the dtypes
    return pd.concat(kept, ignore_index=True)


def combine(plans: dict[str, Any]) -> dict[str, Any]:
    """The fields of one ShiftPlan holding every group's plan.

    ``counts``, ``breaks`` (and any other table of rows, such as ``solve_log``) get
    a first column ``group`` (group by group, each in its own order); ``coverage``
    (and any other table indexed by time) an index level ``group`` after the time;
    the totals are sums over groups, ``gap`` recomputed from them, ``status`` the
    worst group's; ``groups`` summarises each.
    """
    names = list(plans)
    every = list(plans.values())
    first = every[0]
    cost = sum(p.cost for p in every)
    lower = sum(p.lower_bound for p in every)
    ranks = [(_STATUS_ORDER.index(p.status) if p.status in _STATUS_ORDER
              else len(_STATUS_ORDER), p.status) for p in every]
    out: dict[str, Any] = {}
    for field in first.__dataclass_fields__:
        values = [getattr(p, field) for p in every]
        if field in ("counts", "breaks") or all(
                isinstance(v, pd.DataFrame) and isinstance(v.index, pd.RangeIndex)
                for v in values):  # tables of rows (the solve log too)
            out[field] = _with_group(values, names)
        elif all(v is None for v in values):
            out[field] = None
        elif all(isinstance(v, pd.DataFrame) for v in values):
            out[field] = _stacked(values, names)
        elif field == "status":
            out[field] = max(ranks)[1]
        elif field == "gap":
            out[field] = 0.0 if cost <= 0 else max(cost - lower, 0.0) / cost
        elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            out[field] = sum(values)
        elif all(v == values[0] for v in values):
            out[field] = values[0]
        else:
            raise CCSimError(f"cannot combine the groups' ShiftPlan.{field}")  # pragma: no cover
    summary = pd.DataFrame({
        "shifts_worked": [p.shifts_worked for p in every],
        "paid_hours": [p.paid_hours for p in every],
        "cost": [p.cost for p in every],
        "lower_bound": [p.lower_bound for p in every],
        "gap": [p.gap for p in every],
        "status": [p.status for p in every],
        "under_hours": [p.under_hours for p in every],
        "solve_seconds": [p.solve_seconds for p in every],
    }, index=pd.Index(names, name="group"))
    out["groups"] = summary
    return out
