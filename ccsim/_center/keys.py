"""Checks of a center file's values, each error naming the file, the key path and the value.

A :class:`Keys` is bound to one file; every check takes the TOML key path of the value
(``groups[2].skills``) and raises :class:`~ccsim._validation.CCSimInputError` with a
message of the form::

    center file 'center.toml', groups[2].skills: must be a list of call type names; got 3
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccsim._validation import CCSimInputError

__all__ = ["Keys", "shown"]

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})", re.ASCII)


def shown(value: Any) -> str:
    """A value as messages show it (TOML-ish: strings quoted, long values cut)."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class Keys:
    """The checks of one center file (``path`` as given, for messages)."""

    path: Path

    @property
    def where(self) -> str:
        return f"center file {str(self.path)!r}"

    def error(self, key: str, message: str) -> CCSimInputError:
        """An error about the value at ``key`` (``""``: the whole file)."""
        return CCSimInputError(f"{self.where}{', ' + key if key else ''}: {message}")

    def bad(self, key: str, value: Any, what: str) -> CCSimInputError:
        return self.error(key, f"must be {what}; got {shown(value)}")

    # ------------------------------------------------------------ tables and keys

    def table(self, key: str, value: Any, allowed: Sequence[str],
              required: Sequence[str] = ()) -> dict[str, Any]:
        """A TOML table with only ``allowed`` keys and every ``required`` one."""
        if not isinstance(value, Mapping):
            raise self.bad(key, value, f"a table with keys {', '.join(allowed)}")
        prefix = f"{key}." if key else ""
        for name in value:
            if name not in allowed:
                raise self.error(f"{prefix}{name}", f"unknown key {name!r}; valid keys "
                                 f"{'here ' if key else 'at the top of the file '}are "
                                 f"{', '.join(allowed)}")
        for name in required:
            if name not in value:
                raise self.error(f"{prefix}{name}" if key else name,
                                 f"is missing; give {name} (the keys are "
                                 f"{', '.join(allowed)})")
        return dict(value)

    def tables(self, key: str, value: Any, what: str) -> list[dict[str, Any]]:
        """A non-empty array of tables (``[[key]]``)."""
        if not isinstance(value, list) or not value or not all(
                isinstance(v, Mapping) for v in value):
            raise self.bad(key, value, f"a non-empty array of tables ([[{key}]]), one per {what}")
        return list(value)

    # ------------------------------------------------------------ scalars

    def number(self, key: str, value: Any, *, low: float = 0.0, high: float = 1e9,
               low_inclusive: bool = True, whole: bool = False, what: str = "") -> Any:
        """A finite number in [low, high] (``(low, high]`` unless ``low_inclusive``)."""
        kind = "a whole number" if whole else "a number"
        bound = f"{'>=' if low_inclusive else '>'} {low:g} and <= {high:g}"
        text = f"{kind} {bound}" + (f" ({what})" if what else "")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.bad(key, value, text)
        if not math.isfinite(value) or value > high or value < low or (
                value == low and not low_inclusive) or (whole and value != int(value)):
            raise self.bad(key, value, text)
        return int(value) if whole else float(value)

    def text(self, key: str, value: Any, what: str = "a non-empty string") -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.bad(key, value, what)
        return value.strip()

    def choice(self, key: str, value: Any, valid: Sequence[str]) -> str:
        if not isinstance(value, str) or value not in valid:
            raise self.bad(key, value, "one of " + ", ".join(repr(v) for v in valid))
        return value

    def flag(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self.bad(key, value, "true or false")
        return value

    def names(self, key: str, value: Any, valid: Sequence[str], what: str) -> list[str]:
        """A non-empty list of distinct names, each one of ``valid``."""
        listed = ", ".join(repr(v) for v in valid)
        if not isinstance(value, list) or not value or not all(
                isinstance(v, str) for v in value):
            raise self.bad(key, value, f"a non-empty list of {what} names ({listed})")
        for name in value:
            if name not in valid:
                raise self.error(key, f"names {name!r}, not a {what}; valid: {listed}")
        if len(set(value)) != len(value):
            raise self.error(key, f"names a {what} twice: {shown(value)}")
        return list(value)

    def day(self, key: str, value: Any) -> datetime.date:
        """A date (TOML ``2027-03-01`` or the string ``"2027-03-01"``)."""
        if isinstance(value, datetime.datetime) or not isinstance(value, (datetime.date, str)):
            raise self.bad(key, value, "a date such as 2027-03-01")
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                raise self.bad(key, value, "a date such as 2027-03-01") from None
        return value

    def clock(self, key: str, text: str, *, allow_end: bool = False) -> int:
        """Minutes after midnight of ``HH:MM`` (``24:00`` with ``allow_end``)."""
        match = _CLOCK.fullmatch(text.strip())
        top = 1440 if allow_end else 1439
        if match is None or int(match[2]) > 59 or int(match[1]) * 60 + int(match[2]) > top:
            raise self.bad(key, text, f"a clock time HH:MM from 00:00 to "
                           f"{'24:00' if allow_end else '23:59'}")
        return int(match[1]) * 60 + int(match[2])

    def file(self, key: str, value: Any, what: str) -> Path:
        """A file named relative to the center file."""
        name = self.text(key, value, f"a file name ({what}), relative to the center file")
        path = Path(name)
        if not path.is_absolute():
            path = self.path.parent / path
        if not path.is_file():
            raise self.error(key, f"no such file {name!r} (looked for {str(path)!r}); give "
                             f"{what}, relative to the center file")
        return path
