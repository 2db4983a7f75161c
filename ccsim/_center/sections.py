"""The sections of a center file, checked key by key (see :mod:`ccsim.center`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ccsim._center.intervals import read_intervals
from ccsim._center.keys import Keys
from ccsim._validation import CCSimInputError

__all__ = ["CallTypeSpec", "GroupSpec", "PlanOptions", "SimulateOptions", "TOP_KEYS"]

#: Keys at the top of a center file.
TOP_KEYS = ("name", "start", "days", "interval_minutes", "opening", "lines", "agents",
            "routing", "target", "shifts", "plan", "simulate", "call_types", "groups")
CALL_TYPE_KEYS = ("name", "aht_seconds", "patience_seconds", "arrivals_per_hour", "arrivals",
                  "wrap_up_seconds", "priority", "overflow", "target")
GROUP_KEYS = ("name", "skills", "agents", "cost", "shifts")
TARGET_KEYS = ("service_level", "answer_within_seconds", "max_abandon_rate")
ROUTING_KEYS = ("agent_selection", "call_selection")
PLAN_KEYS = ("replications", "seed", "max_rounds", "confidence", "per", "time_limit_seconds",
             "min_rest_hours")
SIMULATE_KEYS = ("hours", "warmup_hours", "replications", "seed")
CATALOGUE_KEYS = ("shift_hours", "every_minutes", "breaks", "days", "max_agents")
TEMPLATE_KEYS = ("name", "start", "shift_hours", "breaks", "paid_hours", "cost", "days",
                 "min_agents", "max_agents")
BREAK_KEYS = ("minutes", "earliest_after_minutes", "latest_after_minutes", "paid", "name")
#: Most days a center file plans.
MAX_DAYS = 366
#: Largest handle time, patience, overflow delay [s]: a day.
MAX_SECONDS = 86_400.0
#: Largest flat arrival rate [calls/h].
MAX_RATE = 1e6
#: Largest agents in a group, cost per agent-interval.
MAX_AGENTS, MAX_COST = 50_000, 1e9
#: Most seeds (as the command line takes them).
MAX_SEED = 2**31 - 1
#: The default shift lengths [h] (those that fit in the opening hours).
DEFAULT_SHIFT_HOURS = (9.0, 4.0)


@dataclass(frozen=True, eq=False)
class CallTypeSpec:
    """A call type as the file states it; arrivals a flat rate or calls per interval."""

    name: str
    aht_seconds: float
    patience_seconds: float | None
    arrivals_per_hour: float | None
    calls_per_interval: np.ndarray | None = field(repr=False)
    arrivals_file: Path | None
    wrap_up_seconds: float = 0.0
    priority: int = 0
    overflow: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class GroupSpec:
    """An agent group as the file states it; agents a number or per interval."""

    name: str
    skills: tuple[str, ...]
    agents: int | None
    agents_per_interval: np.ndarray | None = field(repr=False)
    agents_file: Path | None
    cost: float = 1.0


@dataclass(frozen=True)
class PlanOptions:
    """``[plan]``: what ``ccsim plan --center`` and :func:`ccsim.planning.plan` use."""

    replications: int = 10
    seed: int = 0
    max_rounds: int = 5
    confidence: float = 0.95
    per: str = "interval"
    time_limit_seconds: float = 60.0
    min_rest_hours: float = 11.0


@dataclass(frozen=True)
class SimulateOptions:
    """``[simulate]``: the stationary run of ``ccsim what-if --center --simulate``."""

    hours: float = 8.0
    warmup_hours: float = 1.0
    replications: int = 10
    seed: int = 0


# ---------------------------------------------------------------- the time axis

def time_axis(keys: Keys, doc: dict[str, Any]) -> tuple[datetime.date, int, int, tuple[int, int]]:
    """start, days, interval_minutes and opening (minutes after midnight, open and close)."""
    start = keys.day("start", doc["start"])
    days = keys.number("days", doc.get("days", 7), low=1, high=MAX_DAYS, whole=True,
                       what="days planned from start")
    minutes = doc.get("interval_minutes", 30)
    minutes = keys.number("interval_minutes", minutes, low=1, high=1440, whole=True,
                          what="the length of an interval, dividing a day: 15, 30 or 60")
    if 1440 % minutes:
        raise keys.bad("interval_minutes", minutes, "a whole number of minutes dividing a day "
                       "(15, 30, 60, ...)")
    text = keys.text("opening", doc.get("opening", "00:00-24:00"),
                     "opening hours 'HH:MM-HH:MM' such as '08:00-20:00'")
    parts = text.split("-")
    if len(parts) != 2:
        raise keys.bad("opening", text, "opening hours 'HH:MM-HH:MM' such as '08:00-20:00'")
    open_at = keys.clock("opening", parts[0])
    close_at = keys.clock("opening", parts[1], allow_end=True)
    if open_at % minutes or close_at % minutes:
        raise keys.error("opening", f"{text!r} is not on the {minutes}-minute intervals; give "
                         f"times that are multiples of interval_minutes")
    return start, days, minutes, (open_at, close_at)


def open_mask(grid: pd.DatetimeIndex, opening: tuple[int, int]) -> np.ndarray:
    """Whether each interval start lies in the opening hours (overnight ones too)."""
    open_at, close_at = opening
    span = (close_at - open_at) % 1440 or 1440
    clock = grid.hour.to_numpy() * 60 + grid.minute.to_numpy()
    return (clock - open_at) % 1440 < span


# ---------------------------------------------------------------- call types and groups

def call_types(keys: Keys, doc: dict[str, Any], grid: pd.DatetimeIndex, open_: np.ndarray
               ) -> tuple[list[CallTypeSpec], list[dict[str, Any]]]:
    """The call types, and each one's raw ``target`` table (or {})."""
    items = keys.tables("call_types", doc["call_types"], "call type")
    specs, targets, seen = [], [], set()
    for i, raw in enumerate(items):
        key = f"call_types[{i}]"
        item = keys.table(key, raw, CALL_TYPE_KEYS, ("name", "aht_seconds"))
        name = keys.text(f"{key}.name", item["name"], "a non-empty name")
        if name in seen:
            raise keys.error(f"{key}.name", f"{name!r} names another call type too; give each "
                             "call type a unique name")
        seen.add(name)
        key = f"call_types[{i}] ({name!r})"
        aht = keys.number(f"{key}.aht_seconds", item["aht_seconds"], low=0, high=MAX_SECONDS,
                          low_inclusive=False, what="mean handle time [s]")
        patience = None if "patience_seconds" not in item else keys.number(
            f"{key}.patience_seconds", item["patience_seconds"], low=0, high=MAX_SECONDS,
            low_inclusive=False, what="mean caller patience [s]; leave it out if callers "
            "never hang up")
        given = [k for k in ("arrivals_per_hour", "arrivals") if k in item]
        if len(given) != 1:
            raise keys.error(key, "give exactly one of arrivals_per_hour (a flat rate [calls/h] "
                             "in the opening hours) or arrivals (a CSV file of calls per "
                             f"interval); got {given or 'neither'}")
        rate = path = calls = None
        if "arrivals_per_hour" in item:
            rate = keys.number(f"{key}.arrivals_per_hour", item["arrivals_per_hour"],
                               high=MAX_RATE, what="calls per hour in the opening hours")
        else:
            path = keys.file(f"{key}.arrivals", item["arrivals"], "a CSV of calls per interval")
            calls = read_intervals(keys, f"{key}.arrivals", path, name, "calls", grid, open_,
                                   whole=False)
        wrap = keys.number(f"{key}.wrap_up_seconds", item.get("wrap_up_seconds", 0.0),
                           high=MAX_SECONDS, what="mean after-call work [s]")
        priority = keys.number(f"{key}.priority", item.get("priority", 0), low=-1000,
                               high=1000, whole=True, what="higher is served first")
        overflow = item.get("overflow", {})
        if not isinstance(overflow, dict):
            raise keys.bad(f"{key}.overflow", overflow, "a table group = seconds, such as "
                           "{ general_zone = 30 }")
        flows = {}
        for group, seconds in overflow.items():
            flows[group] = keys.number(f"{key}.overflow.{group}", seconds, high=MAX_SECONDS,
                                       what="seconds a call waits before it may go there")
        target = item.get("target", {})
        if not isinstance(target, dict):
            raise keys.bad(f"{key}.target", target, "a table such as { service_level = 0.9, "
                           "answer_within_seconds = 10 }")
        targets.append(target)
        specs.append(CallTypeSpec(name, aht, patience, rate, calls, path, wrap, priority,
                                  flows))
    return specs, targets


def groups(keys: Keys, doc: dict[str, Any], types: list[CallTypeSpec],
           grid: pd.DatetimeIndex, open_: np.ndarray) -> tuple[list[GroupSpec], list[Any]]:
    """The agent groups, and each one's raw ``shifts`` table (or None)."""
    items = keys.tables("groups", doc["groups"], "agent group")
    names = [t.name for t in types]
    specs, shifts, seen = [], [], set()
    for i, raw in enumerate(items):
        key = f"groups[{i}]"
        item = keys.table(key, raw, GROUP_KEYS, ("name", "skills", "agents"))
        name = keys.text(f"{key}.name", item["name"], "a non-empty name")
        if name in seen:
            raise keys.error(f"{key}.name", f"{name!r} names another group too; give each "
                             "group a unique name")
        seen.add(name)
        key = f"groups[{i}] ({name!r})"
        skills = keys.names(f"{key}.skills", item["skills"], names, "call type")
        agents = path = counts = None
        value = item["agents"]
        if isinstance(value, str):
            path = keys.file(f"{key}.agents", value, "a CSV of agents per interval")
            counts = read_intervals(keys, f"{key}.agents", path, name, "agents", grid, open_,
                                    whole=True).astype(np.int64)
        else:
            agents = keys.number(f"{key}.agents", value, high=MAX_AGENTS, whole=True,
                                 what="agents logged in during the opening hours, or a CSV "
                                 "file name of agents per interval")
        cost = keys.number(f"{key}.cost", item.get("cost", 1.0), low=0, high=MAX_COST,
                           low_inclusive=False, what="cost per agent-interval")
        shifts.append(item.get("shifts"))
        specs.append(GroupSpec(name, tuple(skills), agents, counts, path, cost))
    by_name = {g.name: g for g in specs}
    for i, spec in enumerate(types):
        for group, _ in spec.overflow.items():
            key = f"call_types[{i}] ({spec.name!r}).overflow.{group}"
            if group not in by_name:
                raise keys.error(key, f"names {group!r}, not a group; valid: "
                                 f"{', '.join(repr(g) for g in by_name)}")
            if spec.name in by_name[group].skills:
                raise keys.error(key, f"group {group!r} already has the skill {spec.name!r}; "
                                 "overflow goes to groups without it")
        if not any(spec.name in g.skills for g in specs):
            raise keys.error(f"call_types[{i}] ({spec.name!r})", "no group has this call type "
                             "in its skills; list it in a group's skills")
    return specs, shifts


# ---------------------------------------------------------------- targets, options

def target(keys: Keys, key: str, value: Any, default: Any) -> Any:
    """A :class:`ccsim.planning.Target` from a table (keys not given: ``default``'s)."""
    from ccsim.planning import Target

    item = keys.table(key, value, TARGET_KEYS)
    level = default.service_level if "service_level" not in item else keys.number(
        f"{key}.service_level", item["service_level"], low=0, high=1, low_inclusive=False,
        what="the share answered within answer_within_seconds, a fraction such as 0.8")
    within = default.answer_within_seconds if "answer_within_seconds" not in item else \
        keys.number(f"{key}.answer_within_seconds", item["answer_within_seconds"],
                    high=MAX_SECONDS, what="seconds")
    abandon = default.max_abandon_rate if "max_abandon_rate" not in item else keys.number(
        f"{key}.max_abandon_rate", item["max_abandon_rate"], high=1,
        what="the most share of calls that may abandon, a fraction such as 0.05")
    return Target(level, within, abandon)


def targets(keys: Keys, doc: dict[str, Any], types: list[CallTypeSpec],
            raw: list[dict[str, Any]]) -> dict[str, Any]:
    from ccsim.planning import Target

    default = target(keys, "target", doc.get("target", {}), Target(0.8, 20.0, None))
    return {spec.name: target(keys, f"call_types[{i}] ({spec.name!r}).target", item, default)
            if item else default for i, (spec, item) in enumerate(zip(types, raw, strict=True))}


def routing(keys: Keys, doc: dict[str, Any]) -> tuple[str, str]:
    from ccsim.simulation.scenario import AGENT_SELECTIONS, CALL_SELECTIONS

    item = keys.table("routing", doc.get("routing", {}), ROUTING_KEYS)
    return (keys.choice("routing.agent_selection", item.get("agent_selection", "longest-idle"),
                        AGENT_SELECTIONS),
            keys.choice("routing.call_selection", item.get("call_selection", "skill-order"),
                        CALL_SELECTIONS))


def plan_options(keys: Keys, doc: dict[str, Any]) -> PlanOptions:
    item = keys.table("plan", doc.get("plan", {}), PLAN_KEYS)
    d = PlanOptions()
    return PlanOptions(
        replications=keys.number("plan.replications", item.get("replications", d.replications),
                                 low=2, high=1000, whole=True),
        seed=keys.number("plan.seed", item.get("seed", d.seed), high=MAX_SEED, whole=True),
        max_rounds=keys.number("plan.max_rounds", item.get("max_rounds", d.max_rounds), low=1,
                               high=20, whole=True),
        confidence=keys.number("plan.confidence", item.get("confidence", d.confidence),
                               low=0.5, high=0.999),
        per=keys.choice("plan.per", item.get("per", d.per), ("interval", "day")),
        time_limit_seconds=keys.number("plan.time_limit_seconds", item.get(
            "time_limit_seconds", d.time_limit_seconds), low=0, high=86_400,
            low_inclusive=False),
        min_rest_hours=keys.number("plan.min_rest_hours", item.get(
            "min_rest_hours", d.min_rest_hours), high=24))


def simulate_options(keys: Keys, doc: dict[str, Any], minutes: int) -> SimulateOptions:
    item = keys.table("simulate", doc.get("simulate", {}), SIMULATE_KEYS)
    d = SimulateOptions()
    out = SimulateOptions(
        hours=keys.number("simulate.hours", item.get("hours", d.hours), low=0, high=10_000,
                          low_inclusive=False, what="hours judged in a stationary run"),
        warmup_hours=keys.number("simulate.warmup_hours", item.get(
            "warmup_hours", d.warmup_hours), high=1000, what="hours simulated first, not "
            "judged"),
        replications=keys.number("simulate.replications", item.get(
            "replications", d.replications), low=2, high=1000, whole=True),
        seed=keys.number("simulate.seed", item.get("seed", d.seed), high=MAX_SEED, whole=True))
    for name in ("hours", "warmup_hours"):
        value = getattr(out, name)
        if abs(value * 60 / minutes - round(value * 60 / minutes)) > 1e-9:
            raise keys.bad(f"simulate.{name}", value, f"a whole number of the center's "
                           f"{minutes}-minute intervals")
    return out


# ---------------------------------------------------------------- shifts

def _breaks(keys: Keys, key: str, value: Any) -> Any:
    """'standard', 'none' (None) or a list of BreakRule."""
    from ccsim.shifts import BreakRule

    if value == "standard":
        return "standard"
    if value == "none":
        return None
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise keys.bad(key, value, "'standard', 'none' or an array of break tables such as "
                       "[{ minutes = 15, earliest_after_minutes = 60, latest_after_minutes = "
                       "120, paid = true }]")
    rules = []
    for j, raw in enumerate(value):
        item = keys.table(f"{key}[{j}]", raw, BREAK_KEYS,
                          ("minutes", "earliest_after_minutes", "latest_after_minutes"))
        try:
            rules.append(BreakRule(**item))
        except CCSimInputError as error:
            raise keys.error(f"{key}[{j}]", str(error)) from None
    return rules


def _days(keys: Keys, key: str, value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise keys.bad(key, value, "a list of weekdays such as ['Mon', 'Tue', 'Wed']")
    return value


def shifts(keys: Keys, key: str, value: Any, opening: tuple[int, int], minutes: int
           ) -> list[Any]:
    """Shift templates from a ``shifts`` table: a catalogue, or ``templates`` listed."""
    from ccsim._shifts.rules import clock_text
    from ccsim.shifts import ShiftTemplate, shift_catalogue

    value = {} if value is None else value
    item = keys.table(key, value, ("templates", *CATALOGUE_KEYS))
    if "templates" in item:
        others = [k for k in item if k != "templates"]
        if others:
            raise keys.error(key, f"give either templates or the catalogue's keys "
                             f"({', '.join(CATALOGUE_KEYS)}), not both; got {others}")
        raw = keys.tables(f"{key}.templates", item["templates"], "shift template")
        made, seen = [], set()
        for j, entry in enumerate(raw):
            where = f"{key}.templates[{j}]"
            entry = keys.table(where, entry, TEMPLATE_KEYS, ("name", "start", "shift_hours"))
            if entry["name"] in seen:
                raise keys.error(f"{where}.name", f"{entry['name']!r} names another template "
                                 "too; give each a unique name")
            seen.add(entry["name"])
            options = dict(entry)
            options["breaks"] = _breaks(keys, f"{where}.breaks", entry.get("breaks", "none"))
            if options["breaks"] == "standard":
                from ccsim.shifts import standard_breaks

                try:
                    options["breaks"] = standard_breaks(entry["shift_hours"])
                except CCSimInputError as error:
                    raise keys.error(f"{where}.shift_hours", str(error)) from None
            options["breaks"] = options["breaks"] or ()
            options["days"] = _days(keys, f"{where}.days", entry.get("days"))
            try:
                made.append(ShiftTemplate(**options))
            except (CCSimInputError, TypeError) as error:
                raise keys.error(where, str(error)) from None
        return made
    span = (opening[1] - opening[0]) % 1440 or 1440
    lengths = item.get("shift_hours")
    if lengths is None:
        lengths = [h for h in DEFAULT_SHIFT_HOURS if h * 60 <= span] or [span / 60]
    every = keys.number(f"{key}.every_minutes", item.get("every_minutes", minutes), low=1,
                        high=1440, whole=True, what="minutes between shift starts")
    if every % minutes:
        raise keys.bad(f"{key}.every_minutes", every, f"a multiple of interval_minutes "
                       f"({minutes}), so that shifts start on the intervals")
    try:
        return shift_catalogue(
            (clock_text(opening[0]), clock_text(opening[1])), lengths, every_minutes=every,
            breaks=_breaks(keys, f"{key}.breaks", item.get("breaks", "standard")),
            days=_days(keys, f"{key}.days", item.get("days")),
            max_agents=item.get("max_agents"))
    except CCSimInputError as error:
        raise keys.error(key, str(error)) from None


# ---------------------------------------------------------------- agents

def agents(keys: Keys, doc: dict[str, Any], start: datetime.date, days: int,
           names: list[str]) -> tuple[list[Any] | None, Path | None]:
    """The agents of the ``agents`` file (the columns of ``ccsim roster --agents``), and
    the file."""
    if "agents" not in doc:
        return None, None
    from ccsim._center.agents import read_agents

    path = keys.file("agents", doc["agents"], "a CSV or .xlsx file of agents (the columns "
                     "of 'ccsim roster --agents')")
    try:
        found, _ = read_agents(path, start, days)
    except CCSimInputError as error:
        text = str(error)
        text = text[len("--agents "):] if text.startswith("--agents ") else text
        raise keys.error("agents", text) from None
    bad = unknown_skill(found, names)
    if bad:
        raise keys.error("agents", f"{str(path)!r}: {bad}")
    return found, path


def unknown_skill(found: list[Any], names: list[str]) -> str:
    """What is wrong with the first agent whose skills name no group ("" if none)."""
    for agent in found:
        for skill in agent.skills or ():
            if skill not in names:
                return (f"agent {agent.name!r} has skill {skill!r}, not a group; an agent's "
                        f"skills are the groups it may work: {', '.join(repr(n) for n in names)}")
    return ""


def check_top(keys: Keys, doc: dict[str, Any]) -> None:
    keys.table("", doc, TOP_KEYS, ("start", "call_types", "groups"))
    for name in ("lines",):
        if name in doc:
            keys.number(name, doc[name], low=1, high=1e6, whole=True,
                        what="telephone lines shared by all calls")
    if "name" in doc:
        keys.text("name", doc["name"])
