"""Staff one day of 30-minute intervals for 80 % of calls answered within 20 s.

A planner's first pass: call volumes per interval (as exported from the ACD) become
offered traffic, then the least number of agents per interval meeting the target,
with Erlang C and, for callers who hang up after 120 s on average, Erlang A.
Run it with ``python examples/what_if.py``.
"""

import numpy as np

from ccsim.erlang import agents_for_service_level, erlang_a, offered_traffic, service_level

AHT_SECONDS = 240.0  # talk plus after-call work
INTERVAL_MINUTES = 30.0  # length of an interval
TARGET, WITHIN_SECONDS = 0.80, 20.0  # 80/20
PATIENCE_SECONDS = 120.0  # mean time before a waiting caller hangs up

# Calls offered per 30-minute interval, 08:00 to 20:00 (24 intervals).
calls_per_interval = np.array([35, 58, 84, 112, 131, 140, 138, 129, 118, 110, 121, 127,
                               124, 117, 109, 101, 96, 88, 79, 66, 54, 43, 31, 22])
starts = [f"{8 + i // 2:02d}:{30 * (i % 2):02d}" for i in range(calls_per_interval.size)]

traffic = offered_traffic(calls_per_interval, AHT_SECONDS,
                          interval_minutes=INTERVAL_MINUTES)  # Erlangs
agents_c = agents_for_service_level(traffic, AHT_SECONDS, TARGET, WITHIN_SECONDS)
agents_a = agents_for_service_level(traffic, AHT_SECONDS, TARGET, WITHIN_SECONDS,
                                    patience_seconds=PATIENCE_SECONDS)
sl_c = service_level(traffic, agents_c, AHT_SECONDS, WITHIN_SECONDS)
abandon_a = erlang_a(traffic, agents_a, AHT_SECONDS, PATIENCE_SECONDS, WITHIN_SECONDS).p_abandon

print("start  calls  Erlangs  agents C  SL C   agents A  abandon A")
for row in zip(starts, calls_per_interval, traffic, agents_c, sl_c, agents_a, abandon_a,
               strict=True):
    print("{}  {:>5}  {:>7.2f}  {:>8}  {:.3f}  {:>8}  {:>9.3f}".format(*row))
print(f"agent-hours: {agents_c.sum() / 2:g} with Erlang C, {agents_a.sum() / 2:g} with "
      f"Erlang A (callers hang up after {PATIENCE_SECONDS:g} s on average)")
