"""Option parsers shared by the ``ccsim`` commands (private).

Each parser raises :class:`argparse.ArgumentTypeError` with a message that says what is
valid and repeats the value given; argparse adds the option's name.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

#: Most agent counts one ``--agents`` option may list.
MAX_ROWS = 2000


class UsageError(Exception):
    """Bad command-line input; the message names the option, the value and what is valid."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.format_usage()}{self.prog}: error: {message}")


# ------------------------------------------------------------------ parsing


def number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {what}; got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be {what}; got {text!r}")
    return value


def positive(what: str, allow_zero: bool = False) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = number(text, what)
        if value < 0 or (value == 0 and not allow_zero):
            raise argparse.ArgumentTypeError(f"must be {what}; got {text!r}")
        return value

    return parse


def parse_share(text: str, what: str = "a percentage in (0, 100] or a fraction in (0, 1]") -> float:
    """Read "85", "85%" or "0.85" as the fraction 0.85; values above 1 are percentages.

    >>> parse_share("85"), parse_share("0.85"), parse_share("100")
    (0.85, 0.85, 1.0)
    """
    value = number(text.strip().removesuffix("%"), what)
    share = value / 100.0 if value > 1 else value
    if not 0 < share <= 1:
        raise argparse.ArgumentTypeError(f"must be {what}; got {text!r}")
    return share


def parse_target(text: str) -> tuple[float, float]:
    """Read a service-level target "80/20" or "0.8/20" as (fraction, seconds).

    >>> parse_target("80/20"), parse_target("0.9/15")
    ((0.8, 20.0), (0.9, 15.0))
    """
    valid = ("PERCENT/SECONDS such as 80/20 (80 % answered within 20 s; 0.8/20 also works), "
             "the percentage below 100 and the seconds >= 0")
    level, slash, within = text.partition("/")
    if not slash:
        raise argparse.ArgumentTypeError(f"must be {valid}; got {text!r}")
    try:
        share = parse_share(level, valid)
        seconds = number(within.strip().removesuffix("s"), valid)
    except argparse.ArgumentTypeError:
        share, seconds = 1.0, -1.0
    if share >= 1 or seconds < 0:
        raise argparse.ArgumentTypeError(f"must be {valid}; got {text!r}")
    return share, seconds


def parse_agents(text: str) -> list[int]:
    """Read agent counts: a range "30-40", a list "30,32,35", one number, or a mix.

    >>> parse_agents("10-13"), parse_agents("30,32,35"), parse_agents("7")
    ([10, 11, 12, 13], [30, 32, 35], [7])
    """
    valid = ("whole numbers >= 1 as a range 30-40, a list 30,32,35 or one number, "
             f"at most {MAX_ROWS} counts")
    counts: set[int] = set()
    try:
        for item in text.split(","):
            low, dash, high = item.strip().partition("-")
            first, last = int(low), int(high) if dash else int(low)
            if first < 1 or last < first or len(counts) + last - first >= MAX_ROWS:
                raise ValueError
            counts.update(range(first, last + 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {valid}; got {text!r}") from None
    return sorted(counts)


def whole_number(what: str, low: int, high: int | None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {what}; got {text!r}") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"must be {what}; got {text!r}")
        return value

    return parse
