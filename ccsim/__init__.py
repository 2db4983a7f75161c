"""ccsim: call-center capacity planning.

Forecast calls, turn them into agents per interval with exact queueing formulas
(:mod:`ccsim.erlang`), and check plans before anyone works them.
"""

from ccsim._validation import CCSimError, CCSimInputError
from ccsim.erlang import (
    ErlangAResult,
    agents_for_abandon_rate,
    agents_for_asa,
    agents_for_service_level,
    average_speed_of_answer,
    erlang_a,
    erlang_b,
    erlang_c,
    occupancy,
    offered_traffic,
    service_level,
)

__version__ = "0.1.0"

__all__ = [
    "CCSimError",
    "CCSimInputError",
    "ErlangAResult",
    "__version__",
    "agents_for_abandon_rate",
    "agents_for_asa",
    "agents_for_service_level",
    "average_speed_of_answer",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "occupancy",
    "offered_traffic",
    "service_level",
]
