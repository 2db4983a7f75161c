"""A feasible roster built agent by agent: CP-SAT's starting hint (private).

Every hard rule is one agent's, so solving each agent's own model against the marginal
cost of each shift (given the rows chosen so far) gives a feasible roster whenever each
agent's rules hold; CP-SAT starts its search from it. On the published staff-rostering
instances (``benchmarks/roster.py``) the default deterministic budget found no roster
at all for instance 6 without it.
"""

from __future__ import annotations

import numpy as np

from ccsim._roster.inputs import Instance

#: Rounds of improvement of the greedy start, each agent once per round (a best response).
START_ROUNDS = 1
#: Deterministic time [s] per agent's own model (small: each is solved in ~0.05).
START_AGENT_DETERMINISTIC_TIME = 1.0


def greedy_start(instance: Instance, seed: int, budget: float,
           time_limit_seconds: float) -> tuple[np.ndarray | None, float]:
    """A feasible roster built agent by agent, for CP-SAT's hint; and the work it took.

    Each agent in turn gets the best row of their own model (all their hard rules) for
    the marginal cost of each shift given the rows chosen so far: an uncovered place
    saves ``under_weight``, an agent above ``required`` costs ``over_weight``, requests
    their weight. Then ``START_ROUNDS`` rounds re-solve each agent against all the
    others (a best response: the cost never rises), while the work stays within
    ``budget`` (the first round always completes: it is what makes the start feasible).
    Every hard rule is one agent's, so the roster is feasible whenever each agent's
    rules are. Returns ``(None, work)`` when some agent's own model finds no row (CP-SAT
    then searches from scratch).
    """
    from ortools.sat.python import cp_model

    from ccsim._roster.model import _agent_rules, _solver, _variables

    agents, days, n = len(instance.agents), instance.days, len(instance.shifts)
    rows = list(instance.cover.itertuples(index=False))
    counts = np.zeros(len(rows), dtype=np.int64)
    cells: dict[tuple[int, int], list[int]] = {}
    for i, row in enumerate(rows):
        cells.setdefault((row.day, row.shift_index), []).append(i)
    eligible = [set(e) for e in instance.eligible]
    wishes: dict[int, list] = {}
    for a, day, t, wanted, weight in instance.requests:
        wishes.setdefault(a, []).append((day, t, wanted, weight))
    assignment = np.full((agents, days), -1, dtype=np.int64)
    models = []
    for a in range(agents):
        model = cp_model.CpModel()
        x = _variables(model, instance, a)
        _agent_rules(model, instance, a, x, lambda group: [])
        models.append((model, x))
    work = 0.0

    def count(a: int, sign: int) -> None:
        for d in range(days):
            for i in cells.get((d, int(assignment[a, d])), ()):
                if a in eligible[i]:
                    counts[i] += sign

    for turn in range(START_ROUNDS + 1):
        for a in range(agents):
            if turn and work > budget:  # the improvement rounds stop on the budget
                return assignment, work
            if turn:
                count(a, -1)
            price = np.zeros((days, n), dtype=np.int64)
            for (d, t), found in cells.items():
                for i in found:
                    if a in eligible[i]:
                        price[d, t] += (rows[i].over_weight if counts[i] >= rows[i].required
                                        else -rows[i].under_weight)
            for day, t, wanted, weight in wishes.get(a, ()):
                for u in range(n) if t is None else (t,):
                    price[day, u] += -weight if wanted else weight
            model, x = models[a]
            model.minimize(cp_model.LinearExpr.weighted_sum(
                [x[d][t] for d in range(days) for t in range(n)],
                [int(price[d, t]) for d in range(days) for t in range(n)]))
            if turn:
                model.clear_hints()
                for d in range(days):
                    for t in range(n):
                        model.add_hint(x[d][t], int(assignment[a, d] == t))
            solver = _solver(seed, START_AGENT_DETERMINISTIC_TIME, time_limit_seconds, 1)
            found = solver.status_name(solver.solve(model))
            work += solver.deterministic_time
            if found not in ("OPTIMAL", "FEASIBLE"):
                if not turn:
                    return None, work  # this agent has no row of its own: no start
                count(a, +1)  # keep the agent's row of the round before
                continue
            for d in range(days):
                assignment[a, d] = next((t for t in range(n) if solver.boolean_value(x[d][t])),
                                        -1)
            count(a, +1)
    return assignment, work

