"""Shared by the fuzz tests: call a public function, accept a result or a clear refusal."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from hypothesis import event

from ccsim._validation import CCSimInputError


def call_or_refuse(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)``, or None if it raised CCSimInputError; a NumPy warning fails."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            result = func(*args, **kwargs)
        except CCSimInputError:
            event(f"{func.__name__}: refused")
            return None
    event(f"{func.__name__}: answered")
    return result
