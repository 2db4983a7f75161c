"""Wall-clock timing shared by the benchmark scripts (never used by tests)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any


def best_time(function: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Smallest wall time [s] of ``repeats`` calls of ``function`` and the last result."""
    best, result = math.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result
