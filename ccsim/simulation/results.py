"""The result of :func:`ccsim.simulation.simulate`: tables, summary with CIs, and a plot.

Tables are built from the replications' tallies on first use and cached.
Conventions (never NaN): an interval with no offered call has service levels 1,
ASA 0 and abandonment 0; with calls offered but none answered (or all abandoned
within T) the service levels are 0 and the ASA 0; a group with no agent logged
in has occupancy 0; with a single replication every confidence half-width is inf.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ccsim._validation import CCSimError, CCSimInputError
from ccsim.simulation import _blend, _replay, _stats
from ccsim.simulation._inputs import show
from ccsim.simulation._plan import Plan
from ccsim.simulation.scenario import Scenario

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["SimulationResult"]

_MEASURES = ("attempts", "fresh", "redials", "blocked", "self_served", "offered", "answered",
             "abandoned", "lost", "p_blocked", "p_abandon", "p_wait", "service_level",
             "service_level_answered", "service_level_excluding_short_abandons",
             "asa_seconds", "occupancy", "p_lost", "attempts_per_caller")
# outcomes of an attempt, in the order of the engine's status codes 1..5
_OUTCOMES = ("answered", "abandoned", "unanswered", "blocked", "self_served")


class SimulationResult:
    """Calls, interval reports and summary of one simulated scenario over its replications.

    Attributes
    ----------
    scenario : Scenario
        What was simulated.
    replications : int
        Independent replications (each from its own seed stream).
    seed : int or numpy.random.SeedSequence
        The entropy of the root :class:`numpy.random.SeedSequence` (the root
        itself if it was a spawned child): passing it as ``seed`` again
        reproduces this result bit for bit.
    calls : pandas.DataFrame
        One row per attempt (when ``keep_calls``), in order of arrival within
        each replication: ``replication``, ``call_type``, ``arrival_seconds``
        (when it dialled in, since the start), ``wait_seconds`` (in the agents'
        queue, from the end of the IVR until answered, abandoned, or the end of
        the run for calls never answered; 0 when blocked or self-served),
        ``outcome`` (answered, abandoned, unanswered, blocked, self_served),
        ``group`` and ``agent`` (``""`` and -1 when not answered),
        ``service_seconds`` and ``wrap_up_seconds`` (0 when not answered),
        ``ivr_seconds`` (time in the IVR), ``caller`` (numbered from 0 in order
        of first arrival within the replication) and ``attempt`` (1 for the
        first call, 2 for the first redial, ...): a caller's attempts share the
        ``caller``; ``arrival`` (a timestamp) when the scenario has a start.
    intervals : pandas.DataFrame
        Per replication, interval (of arrival) and call type: offered (reached
        the agents' queue), answered, abandoned, unanswered, answered and
        abandoned within T, the three service levels, ``asa_seconds`` and
        ``p_abandon``; then attempts, fresh, redials, blocked, self_served and
        lost (abandoned or blocked and not redialled).
    groups : pandas.DataFrame
        Per replication, interval and group: ``scheduled`` (agents on duty by the
        plan), ``staffed`` (agents logged in, including those finishing a call
        after their planned log-out), ``busy`` (agents on a call or in wrap-up),
        all time averages over the interval, and ``occupancy = busy / staffed``.
    sessions : pandas.DataFrame
        One row per logged-in span of an agent (when ``keep_calls``):
        ``login_seconds``, ``due_seconds`` (planned log-out or break) and
        ``logout_seconds`` (after the call in hand).
    standby : pandas.DataFrame
        One row per replication and standby team (:class:`~ccsim.simulation.Standby`;
        a group with several escalation levels has one per level):
        ``level`` (1, 2, ... in the group's order), ``pull_from`` (the group
        its agents are pulled from, ``""`` for on-call staff), ``agents``,
        ``agents_arrived`` (those who came: all or none of an on-call team,
        those available to pull), ``called_seconds``
        (when its trigger first held), ``login_seconds`` (on the phones),
        ``released_seconds`` (released, or the horizon), ``logout_seconds``
        (the last of them off, after the call in hand), ``agent_hours``
        (their logged-in time [h]) and ``answered`` (calls they answered);
        times are NaN when it did not happen (never called, or due after the
        horizon); ``called`` and ``login`` (timestamps) when the scenario
        has a start. See :meth:`standby_summary`.
    """

    def __init__(self, scenario: Scenario, plan: Plan, tallies: list[_stats.Tally],
                 seed: int | np.random.SeedSequence, keep_calls: bool) -> None:
        self.scenario = scenario
        self.replications = len(tallies)
        self.seed = seed
        self._plan = plan
        self._tallies = tallies
        self._keep_calls = keep_calls
        self._counts = np.stack([t.calls for t in tallies])  # (R, I, K, C)
        self._agent_time = np.stack([t.agents for t in tallies])  # (R, I, G, 2)

    # ------------------------------------------------------------ tables
    def _records(self, what: str) -> list[dict[str, np.ndarray]]:
        if not self._keep_calls:
            raise CCSimError(f"{what} were not kept: run simulate(..., keep_calls=True)")
        return [t.records for t in self._tallies]

    def _time_columns(self, frame: pd.DataFrame, seconds: str, stamp: str) -> None:
        if self._plan.start_ns is not None:
            frame[stamp] = (pd.Timestamp(self._plan.start_ns)
                            + pd.to_timedelta(frame[seconds].to_numpy(), unit="s"))

    @cached_property
    def calls(self) -> pd.DataFrame:
        records = self._records("per-call records")
        types = [t.name for t in self._plan.types]
        groups = [g.name for g in self._plan.groups]
        agent = np.concatenate([r["agent"] for r in records])
        status = np.concatenate([r["status"] for r in records])
        group_code = np.append(self._plan.agent_group, len(groups))[agent]  # -1: no group
        frame = pd.DataFrame({
            "replication": np.repeat(np.arange(self.replications, dtype=np.int32),
                                     [r["arrival"].size for r in records]),
            "call_type": pd.Categorical.from_codes(
                np.concatenate([r["call_type"] for r in records]), types),
            "arrival_seconds": np.concatenate([r["arrival"] for r in records]),
            "wait_seconds": np.concatenate([r["wait"] for r in records]),
            "outcome": pd.Categorical.from_codes(status.astype(np.int8) - 1, _OUTCOMES),
            "group": pd.Categorical.from_codes(group_code, [*groups, ""]),
            "agent": agent,
            "service_seconds": np.concatenate([r["service"] for r in records]),
            "wrap_up_seconds": np.concatenate([r["wrap_up"] for r in records]),
            "ivr_seconds": np.concatenate([r["ivr"] for r in records]),
            "caller": np.concatenate([r["caller"] for r in records]),
            "attempt": np.concatenate([r["attempt"] for r in records]),
        })
        self._time_columns(frame, "arrival_seconds", "arrival")
        return frame

    @cached_property
    def standby(self) -> pd.DataFrame:
        teams = [(j, team) for j, g in enumerate(self._plan.groups) for team in g.standby]
        names = [g.name for g in self._plan.groups]
        values = (np.stack([t.standby for t in self._tallies]) if teams
                  else np.zeros((self.replications, 0, len(_stats.STANDBY_VALUES))))
        c = {name: values[..., i].ravel() for i, name in enumerate(_stats.STANDBY_VALUES)}
        frame = pd.DataFrame({
            "replication": np.repeat(np.arange(self.replications, dtype=np.int32), len(teams)),
            "group": pd.Categorical.from_codes(
                np.tile(np.array([j for j, _ in teams], dtype=np.int64), self.replications),
                names),
            "level": np.tile(np.array([team.rank for _, team in teams], dtype=np.int64),
                             self.replications),
            "pull_from": pd.Categorical.from_codes(
                np.tile(np.array([team.pull_from if team.pull_from >= 0 else len(names)
                                  for _, team in teams], dtype=np.int64),
                        self.replications), [*names, ""]),
            "agents": np.tile(np.array([team.agents for _, team in teams], dtype=np.int64),
                              self.replications),
            "agents_arrived": c["agents_arrived"].astype(np.int64),
        })
        for name in ("called_seconds", "login_seconds", "released_seconds", "logout_seconds"):
            frame[name] = c[name]
        frame["agent_hours"] = c["agent_seconds"] / 3600.0
        frame["answered"] = c["answered"].astype(np.int64)
        for seconds in ("called_seconds", "login_seconds"):
            self._time_columns(frame, seconds, seconds.replace("_seconds", ""))
        return frame

    @cached_property
    def blend(self) -> pd.DataFrame:
        """Blended work: one row per replication and group with ``AgentGroup(blend=...)``.

        Columns: ``attempts`` and ``connected`` (outbound), ``backlog_arrived``,
        ``backlog_done``, ``backlog_on_time`` (done within ``due_hours`` of
        arriving) and ``backlog_left`` (not started at the end), then
        ``staffed_hours`` and the occupancy by activity, ``occupancy_inbound``,
        ``occupancy_outbound`` and ``occupancy_backlog`` (time on each over
        logged-in time, up to the scenario's end).
        """
        blended = [(j, g) for j, g in enumerate(self._plan.groups) if g.blend is not None]
        names = [g.name for g in self._plan.groups]
        width = len(_blend.BLEND_VALUES)
        values = (np.stack([t.blend for t in self._tallies]) if blended
                  else np.zeros((self.replications, 0, width)))
        index = [j for j, _ in blended]
        times = np.stack([t.agents.sum(axis=0)[index] for t in self._tallies]) if blended \
            else np.zeros((self.replications, 0, 2))
        c = {name: values[..., i].ravel() for i, name in enumerate(_blend.BLEND_VALUES)}
        staffed, inbound = times[..., 0].ravel(), times[..., 1].ravel()
        frame = pd.DataFrame({
            "replication": np.repeat(np.arange(self.replications, dtype=np.int32), len(index)),
            "group": pd.Categorical.from_codes(
                np.tile(np.array(index, dtype=np.int64), self.replications), names),
        })
        for name in ("attempts", "connected", "backlog_arrived", "backlog_done",
                     "backlog_on_time"):
            frame[name] = c[name].astype(np.int64)
        frame["backlog_left"] = frame["backlog_arrived"] - frame["backlog_done"]
        frame["staffed_hours"] = staffed / 3600.0
        for name, seconds in (("inbound", inbound), ("outbound", c["outbound_seconds"]),
                              ("backlog", c["backlog_seconds"])):
            frame[f"occupancy_{name}"] = _stats.divide(seconds, staffed, 0.0)
        return frame

    def blend_summary(self) -> pd.DataFrame:
        """Blended work over the replications, per group with ``AgentGroup(blend=...)``.

        Over the whole run (blended work is not cut at the warm-up), means of
        the per-replication values of :attr:`blend` with their 95 % half-widths
        ``*_ci`` (Student t; ratios of means by the delta method).

        Returns
        -------
        pandas.DataFrame
            One row per group with blended work, indexed by ``group``:
            ``attempts`` and ``connected`` (outbound calls made and reaching
            someone), ``connect_rate`` (connected / attempts),
            ``backlog_arrived``, ``backlog_done``, ``backlog_on_time`` (done
            within ``Backlog.due_hours``), ``p_on_time`` (on time / arrived:
            items not started count as late), ``backlog_left`` (not started
            at the end); occupancy by activity, ``occupancy_inbound``,
            ``occupancy_outbound``, ``occupancy_backlog`` and their sum
            ``occupancy`` (time on each / logged-in time, up to the scenario's
            end); and ``inbound_service_level`` (answered within T / offered
            over the call types of the group's skills, after the warm-up, as
            in :meth:`summary`).
        """
        frame = self.blend
        types = {t.name: k for k, t in enumerate(self._plan.types)}
        within, offered = (_stats.CALL_COUNTS.index("answered_within"),
                           _stats.CALL_COUNTS.index("offered"))
        warm = self._plan.warmup_intervals
        index, rows = [], []
        for name, part in frame.groupby("group", observed=True, sort=False):
            part = part.sort_values("replication")
            value = {c: part[c].to_numpy(dtype=float) for c in part.columns
                     if c not in ("replication", "group")}
            staffed = value["staffed_hours"] * 3600.0
            seconds = {a: value[f"occupancy_{a}"] * staffed
                       for a in ("inbound", "outbound", "backlog")}
            skills = [types[s] for s in self._scenario_group(name).skills]
            counts = self._counts[:, warm:][:, :, skills].sum(axis=(1, 2))
            measures = {
                "attempts": _stats.mean(value["attempts"][:, None]),
                "connected": _stats.mean(value["connected"][:, None]),
                "connect_rate": _stats.ratio(value["connected"][:, None],
                                             value["attempts"][:, None], 0.0),
                "backlog_arrived": _stats.mean(value["backlog_arrived"][:, None]),
                "backlog_done": _stats.mean(value["backlog_done"][:, None]),
                "backlog_on_time": _stats.mean(value["backlog_on_time"][:, None]),
                "p_on_time": _stats.ratio(value["backlog_on_time"][:, None],
                                          value["backlog_arrived"][:, None], 1.0),
                "backlog_left": _stats.mean(value["backlog_left"][:, None]),
                **{f"occupancy_{a}": _stats.ratio(t[:, None], staffed[:, None], 0.0)
                   for a, t in seconds.items()},
                "occupancy": _stats.ratio(sum(seconds.values())[:, None], staffed[:, None],
                                          0.0),
                "inbound_service_level": _stats.ratio(counts[:, within][:, None],
                                                      counts[:, offered][:, None], 1.0),
            }
            row = {}
            for measure, (mean, half) in measures.items():
                row[measure], row[f"{measure}_ci"] = float(mean[0]), float(half[0])
            index.append(name)
            rows.append(row)
        columns = [c for m in ("attempts", "connected", "connect_rate", "backlog_arrived",
                               "backlog_done", "backlog_on_time", "p_on_time", "backlog_left",
                               "occupancy_inbound", "occupancy_outbound", "occupancy_backlog",
                               "occupancy", "inbound_service_level") for c in (m, f"{m}_ci")]
        return pd.DataFrame(rows, index=pd.Index(index, name="group", dtype=object),
                            columns=columns)

    def _scenario_group(self, name: str) -> Any:
        return next(g for g in self.scenario.groups if g.name == name)

    def standby_summary(self) -> pd.DataFrame:
        """Standby teams over the replications: how often called, when, the work they did.

        Returns
        -------
        pandas.DataFrame
            One row per standby team, indexed by its group (a group with
            several escalation levels has one row per level, in order):
            ``level`` and ``pull_from`` (as in :attr:`standby`), then
            ``p_called`` (share of the replications where it was called),
            ``called_seconds`` and ``login_seconds`` (means over those
            replications), ``agents_arrived`` (agents who came, 0 when not
            called), ``agent_hours`` (their logged-in time [h], 0 when not
            called) and ``answered`` (calls they answered), each followed by
            its 95 % half-width ``*_ci``. How many calls each level saved:
            :meth:`escalation_effect` (the scenario simulated without the
            levels, with the same seed: the runs share their callers).
        """
        frame = self.standby
        index, rows = [], []
        measures = ("p_called", "called_seconds", "login_seconds", "agents_arrived",
                    "agent_hours", "answered")
        for (name, level), part in frame.groupby(["group", "level"], observed=True,
                                                 sort=False):
            called = part["called_seconds"].notna().to_numpy()
            row = {"level": int(level), "pull_from": str(part["pull_from"].iloc[0])}
            for measure, values in (
                    ("p_called", called.astype(float)),
                    ("called_seconds", part["called_seconds"].to_numpy()[called]),
                    ("login_seconds", part["login_seconds"].dropna().to_numpy()),
                    ("agents_arrived", part["agents_arrived"].to_numpy(dtype=float)),
                    ("agent_hours", part["agent_hours"].to_numpy()),
                    ("answered", part["answered"].to_numpy(dtype=float))):
                value, half = _stats.mean(values[:, None]) if values.size else (
                    np.array([np.nan]), np.array([np.nan]))
                row[measure], row[f"{measure}_ci"] = float(value[0]), float(half[0])
            index.append(name)
            rows.append(row)
        columns = ["level", "pull_from", *(c for m in measures for c in (m, f"{m}_ci"))]
        table = pd.DataFrame(rows, index=pd.Index(index, name="group", dtype=object),
                             columns=columns)
        return table.astype({"level": np.int64})

    def escalation_effect(self, executor: Any = None) -> pd.DataFrame:
        """Calls each escalation level saved: this run against runs without the levels.

        The scenario is simulated again with the same seed and replications
        (common random numbers: the runs share their callers), keeping the
        levels before ``k`` of every group, for each level ``k``; see
        :func:`ccsim.simulation.escalation_effect` for the table.

        Parameters
        ----------
        executor : optional
            Where the extra runs go, as in :func:`~ccsim.simulation.simulate`.
        """
        from ccsim.simulation._escalation import escalation_effect

        return escalation_effect(self.scenario, self.seed, self.replications, executor,
                                 full=self)

    @cached_property
    def sessions(self) -> pd.DataFrame:
        records = self._records("agent sessions")
        agent = np.concatenate([r["session_agent"] for r in records])
        frame = pd.DataFrame({
            "replication": np.repeat(np.arange(self.replications, dtype=np.int32),
                                     [r["session_agent"].size for r in records]),
            "group": pd.Categorical.from_codes(self._plan.agent_group[agent],
                                               [g.name for g in self._plan.groups]),
            "agent": agent,
            "login_seconds": np.concatenate([r["session_start"] for r in records]),
            "due_seconds": np.concatenate([r["session_due"] for r in records]),
            "logout_seconds": np.concatenate([r["session_end"] for r in records]),
        })
        return frame.sort_values(["replication", "login_seconds", "agent"], kind="stable",
                                 ignore_index=True)

    def _grid(self, names: list[str], column: str) -> pd.DataFrame:
        r, i, k = self.replications, self._plan.n_intervals, len(names)
        frame = pd.DataFrame({
            "replication": np.repeat(np.arange(r, dtype=np.int32), i * k),
            "interval": np.tile(np.repeat(np.arange(i, dtype=np.int32), k), r),
        })
        frame["start_seconds"] = frame["interval"] * self._plan.interval_seconds
        self._time_columns(frame, "start_seconds", "interval_start")
        frame[column] = pd.Categorical.from_codes(np.tile(np.arange(k), r * i), names)
        return frame

    @cached_property
    def intervals(self) -> pd.DataFrame:
        frame = self._grid([t.name for t in self._plan.types], "call_type")
        flat = self._counts.reshape(-1, self._counts.shape[-1])
        c = {name: flat[:, j] for j, name in enumerate(_stats.CALL_COUNTS)}
        for name in ("offered", "answered", "abandoned", "unanswered", "answered_within",
                     "abandoned_within"):
            frame[name] = c[name].astype(np.int64)
        divide = _stats.divide
        frame["service_level"] = divide(c["answered_within"], c["offered"], 1.0)
        nothing = _stats.empty_service_level(c["offered"])
        frame["service_level_answered"] = divide(c["answered_within"], c["answered"], nothing)
        frame["service_level_excluding_short_abandons"] = divide(
            c["answered_within"], c["offered"] - c["abandoned_within"], nothing)
        frame["asa_seconds"] = divide(c["wait_sum_seconds"], c["answered"], 0.0)
        frame["p_abandon"] = divide(c["abandoned"], c["offered"], 0.0)
        for name in ("attempts", "fresh", "redials", "blocked", "self_served", "lost"):
            frame[name] = c[name].astype(np.int64)
        return frame

    @cached_property
    def groups(self) -> pd.DataFrame:
        frame = self._grid([g.name for g in self._plan.groups], "group")
        length = self._plan.interval_seconds
        staffed = self._agent_time[..., 0].ravel()
        busy = self._agent_time[..., 1].ravel()
        frame["scheduled"] = np.tile(self._plan.scheduled.ravel(), self.replications)
        frame["staffed"] = staffed / length
        frame["busy"] = busy / length
        # busy time comes from the calls, staffed time from the sessions: clip the
        # last-digit rounding of an agent busy all the time
        frame["occupancy"] = np.clip(_stats.divide(busy, staffed, 0.0), 0.0, 1.0)
        return frame

    # ------------------------------------------------------------ summaries
    def _type_time(self, first: int) -> tuple[np.ndarray, np.ndarray]:
        """Busy and staffed agent-seconds of each call type's skill groups, (R, I, K)."""
        window = self._agent_time[:, first:]
        busy = np.stack([window[:, :, list(g), 1].sum(axis=2) for g in self._plan.skill_groups],
                        axis=-1)
        staffed = np.stack([window[:, :, list(g), 0].sum(axis=2)
                            for g in self._plan.skill_groups], axis=-1)
        return busy, staffed

    def summary(self, by: str = "call_type") -> pd.DataFrame:
        """Means over the replications with 95 % confidence half-widths (``*_ci``).

        Parameters
        ----------
        by : {"call_type", "total", "interval", "group"}
            ``"call_type"``: one row per call type over the whole run after the
            warm-up, counting attempts by the interval they arrive in. Counts
            per replication: ``attempts`` (every call that dials in),
            ``fresh`` (first attempts: the callers) and ``redials``,
            ``blocked`` (busy signal), ``self_served`` (done in the IVR),
            ``offered`` (reached the agents' queue), ``answered``,
            ``abandoned``, ``lost`` (abandoned or blocked and not redialled).
            Per attempt: ``p_blocked`` (/ attempts), and over the offered
            ``p_abandon``, ``p_wait`` (waited > 0), the three service levels
            and ``asa_seconds`` [s]; ``occupancy`` of the groups that have the
            skill. Per caller: ``p_lost`` (lost / fresh) and
            ``attempts_per_caller`` (attempts / fresh). ``"total"``: one row,
            ``"all"``, pooling the call types (occupancy of all groups).
            ``"interval"``: per interval and call type. ``"group"``:
            scheduled, staffed and busy agents (time averages) and occupancy
            per group after the warm-up.

        Returns
        -------
        pandas.DataFrame
            Each measure ``m`` followed by ``m_ci``, the half-width of its 95 %
            confidence interval (Student t; ratios by the delta method).
        """
        if not isinstance(by, str) or by not in ("call_type", "total", "interval", "group"):
            raise CCSimInputError(
                f"by must be 'call_type', 'total', 'interval' or 'group'; got {show(by)}")
        warm = self._plan.warmup_intervals
        if by == "call_type":
            busy, staffed = self._type_time(warm)
            measures = _stats.call_measures(self._counts[:, warm:].sum(axis=1), busy.sum(axis=1),
                                            staffed.sum(axis=1))
            index = pd.Index([t.name for t in self._plan.types], name="call_type")
            return _table(measures, index)
        if by == "total":
            busy = self._agent_time[:, warm:, :, 1].sum(axis=(1, 2))
            staffed = self._agent_time[:, warm:, :, 0].sum(axis=(1, 2))
            counts = self._counts[:, warm:].sum(axis=(1, 2))[:, None]
            measures = _stats.call_measures(counts, busy[:, None], staffed[:, None])
            return _table(measures, pd.Index(["all"], name="call_type"))
        if by == "interval":
            busy, staffed = self._type_time(0)
            measures = _stats.call_measures(self._counts, busy, staffed)
            frame = self._grid([t.name for t in self._plan.types], "call_type")
            frame = frame[frame["replication"] == 0].drop(columns="replication")
            return pd.concat([frame.reset_index(drop=True),
                              _table(measures, pd.RangeIndex(len(frame)), flat=True)], axis=1)
        time = self._agent_time[:, warm:]  # by == "group"
        length = self._plan.interval_seconds * time.shape[1]
        measures = {
            "scheduled": (self._plan.scheduled[warm:].mean(axis=0),
                          np.zeros(len(self._plan.groups))),
            "staffed": _stats.mean(time[..., 0].sum(axis=1) / length),
            "busy": _stats.mean(time[..., 1].sum(axis=1) / length),
            "occupancy": _stats.clip_fraction(_stats.ratio(
                time[..., 1].sum(axis=1), time[..., 0].sum(axis=1), 0.0)),
        }
        return _table(measures, pd.Index([g.name for g in self._plan.groups], name="group"))

    def compare(self, *, per: str = "interval", by: str = "total") -> pd.DataFrame:
        """The simulation set against the call log it replays (:meth:`Scenario.from_calls`).

        Both sides use the same definitions: calls count in the interval they
        reach the queue in; a call is answered within T when its wait is <= T.

        Parameters
        ----------
        per : {"interval", "day"}
            One row per interval (``interval_start``) or per calendar day
            (``date``); ``start_seconds`` and ``day`` when the scenario has no start.
        by : {"total", "call_type"}
            All the replayed call types together, or one row per call type too.

        Returns
        -------
        pandas.DataFrame
            ``offered``, ``answered`` and ``abandoned`` as ``*_actual`` (the
            log's counts) and ``*_simulated`` (means over the replications;
            offered equal to the log's, as the arrivals are the log's); then
            ``service_level`` (answered within T / offered), ``p_abandon``
            (abandoned / offered) and ``asa_seconds`` (mean wait of the
            answered calls [s]), each as ``*_actual``, ``*_simulated`` (a
            ratio of means across replications), ``*_simulated_ci`` (its 95 %
            half-width) and ``*_error`` (simulated - actual). With nothing
            offered the service level is 1 and the others 0, as in
            :attr:`intervals`. ``attrs["replications"]`` holds the replications.

        Raises
        ------
        CCSimInputError
            The scenario replays no call log, or a bad option.
        """
        return _replay.compare(self, per=per, by=by)

    # ------------------------------------------------------------ display
    def plot(self, measure: str = "service_level", ax: Any = None) -> Axes:
        """Plot a measure per interval (mean over replications, with its 95 % band).

        Parameters
        ----------
        measure : str, default "service_level"
            A column of ``summary(by="interval")`` (one line per call type), or
            ``"occupancy"`` per group (from ``summary(by="group")``'s inputs).
        ax : matplotlib Axes, optional
            Where to draw; default a new figure.
        """
        if not isinstance(measure, str) or measure not in _MEASURES:
            raise CCSimInputError(
                f"measure must be one of {list(_MEASURES)}; got {show(measure)}")
        if ax is not None and not all(callable(getattr(ax, name, None)) for name in (
                "step", "fill_between", "set_xlabel", "legend")):
            raise CCSimInputError(
                f"ax must be a matplotlib Axes (or None for a new figure); got {show(ax)}")
        table = self.summary(by="interval")
        if ax is None:
            import matplotlib.pyplot as plt

            ax = plt.subplots(figsize=(10, 4), layout="constrained")[1]
        x_column = "interval_start" if "interval_start" in table else "start_seconds"
        for name, rows in table.groupby("call_type", observed=True):
            x = rows[x_column] if x_column == "interval_start" else rows[x_column] / 3600.0
            low = rows[measure] - rows[f"{measure}_ci"].replace(np.inf, 0.0)
            high = rows[measure] + rows[f"{measure}_ci"].replace(np.inf, 0.0)
            line = ax.step(x, rows[measure], where="post", label=str(name))[0]
            ax.fill_between(x, low, high, step="post", alpha=0.2, color=line.get_color())
        ax.set_xlabel("interval start" if x_column == "interval_start" else "hours")
        ax.set_ylabel(measure.replace("_", " "))
        ax.set_title(f"{measure.replace('_', ' ')} per interval, "
                     f"{self.replications} replication(s), 95 % band")
        ax.legend()
        return ax

    def __repr__(self) -> str:
        plan = self._plan
        head = (f"SimulationResult: {self.replications} replication(s) of "
                f"{plan.horizon_seconds / 3600:g} h ({plan.n_intervals} intervals of "
                f"{plan.interval_seconds / 60:g} min), warm-up {plan.warmup_intervals} "
                f"interval(s), seed {self.seed}")
        table = self.summary()
        shown = pd.DataFrame(index=table.index)
        for name, digits in (("offered", 1), ("service_level", 3), ("asa_seconds", 1),
                             ("p_abandon", 3), ("occupancy", 3)):
            shown[name] = [f"{v:.{digits}f} ± {c:.{digits}f}"
                           for v, c in zip(table[name], table[f"{name}_ci"], strict=True)]
        return f"{head}\n{shown.to_string()}"


def _table(measures: dict[str, tuple[np.ndarray, np.ndarray]], index: pd.Index,
           flat: bool = False) -> pd.DataFrame:
    columns: dict[str, np.ndarray] = {}
    for name, (value, half) in measures.items():
        columns[name] = np.asarray(value, dtype=float).ravel() if flat else value
        columns[f"{name}_ci"] = np.asarray(half, dtype=float).ravel() if flat else half
    return pd.DataFrame(columns, index=index)
