"""Option parsers shared by the ``ccsim`` commands (private).

Each parser raises :class:`argparse.ArgumentTypeError` with a message that says what is
valid and repeats the value given; argparse adds the option's name. They need only
the standard library, so that building the parser stays fast.
"""

from __future__ import annotations

import argparse
import datetime
import math
import re
from collections.abc import Callable

#: Most agent counts one ``--agents`` option may list.
MAX_ROWS = 2000
#: Largest agent count ``--agents`` accepts: twice the 100,000 agents over which
#: :mod:`ccsim.erlang` is exact and answers in about a second (the largest centers
#: have a few thousand); room for a 100,000-Erlang load capped at 50 % occupancy.
MAX_AGENTS = 200_000

#: Longest handle time, patience or answer threshold an option takes [s]: a day. Longer
#: is no longer a call; bounded, the Erlang formulas stay inside their own limits.
MAX_SECONDS = 86_400.0

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})", re.ASCII)


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


def bounded(what: str, low: float, high: float, low_inclusive: bool = True
            ) -> Callable[[str], float]:
    """A parser of a finite number in ``[low, high]`` (``(low, high]`` if not inclusive)."""
    def parse(text: str) -> float:
        value = number(text, what)
        if value > high or value < low or (value == low and not low_inclusive):
            raise argparse.ArgumentTypeError(f"must be {what}; got {text!r}")
        return value

    return parse


def reword(message: str, options: dict[str, str], command: str, bare: bool = False,
           fallback: bool = True) -> str:
    """A library message in a command's terms: ``seats=5`` becomes ``--seats 5``, and so on.

    A keyword is replaced where it is followed by ``=`` or by `` must`` (anywhere if
    ``bare``: for keywords that are not also plain words); with ``fallback``, a message
    that still names no option gets the list of the command's options.

    >>> reword("seats=5 is too low; raise seats", {"seats": "--seats"}, "schedule")
    '--seats 5 is too low; raise seats'
    >>> reword("traffic must be finite", {"traffic": "the load (--calls)"}, "what-if")
    'the load (--calls) must be finite'
    """
    tail = r"(=|(?!\w))" if bare else r"(=| must\b)"
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, options)) + ")" + tail)
    text = pattern.sub(lambda m: options[m[1]] + (" " if m[2] == "=" else m[2]), message)
    if fallback and "--" not in text:
        names = ", ".join(dict.fromkeys(v for v in options.values() if v.startswith("--")))
        text += f" (the options of ccsim {command}: {names})"
    return text


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


def parse_gap(text: str) -> float:
    """Read a relative gap "0.5%" or "0.005" (a fraction in [0, 1)); "2" means 2 %.

    >>> parse_gap("0.5%"), parse_gap("0.005"), parse_gap("0"), parse_gap("2")
    (0.005, 0.005, 0.0, 0.02)
    """
    valid = ("a relative gap from 0 to below 100 %, as a percentage such as 0.5% or 2 or "
             "a fraction such as 0.005")
    word = text.strip()
    value = number(word.removesuffix("%"), valid)
    share = value / 100.0 if word.endswith("%") or value > 1 else value
    if not 0 <= share < 1:
        hint = " (write 1% for one percent)" if value == 1 and not word.endswith("%") else ""
        raise argparse.ArgumentTypeError(f"must be {valid}; got {text!r}{hint}")
    return share


def parse_target(text: str) -> tuple[float, float]:
    """Read a service-level target "80/20" or "0.8/20" as (fraction, seconds).

    >>> parse_target("80/20"), parse_target("0.9/15")
    ((0.8, 20.0), (0.9, 15.0))
    """
    valid = ("PERCENT/SECONDS such as 80/20 (80 % answered within 20 s; 0.8/20 also works), "
             f"the percentage below 100 and the seconds from 0 to {MAX_SECONDS:g}")
    level, slash, within = text.partition("/")
    if not slash:
        raise argparse.ArgumentTypeError(f"must be {valid}; got {text!r}")
    try:
        share = parse_share(level, valid)
        seconds = number(within.strip().removesuffix("s"), valid)
    except argparse.ArgumentTypeError:
        share, seconds = 1.0, -1.0
    if share >= 1 or not 0 <= seconds <= MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"must be {valid}; got {text!r}")
    return share, seconds


def parse_agents(text: str) -> list[int]:
    """Read agent counts: a range "30-40", a list "30,32,35", one number, or a mix.

    >>> parse_agents("10-13"), parse_agents("30,32,35"), parse_agents("7")
    ([10, 11, 12, 13], [30, 32, 35], [7])
    """
    valid = (f"whole numbers from 1 to {MAX_AGENTS} as a range 30-40, a list 30,32,35 or one "
             f"number, at most {MAX_ROWS} counts")
    counts: set[int] = set()
    try:
        for item in text.split(","):
            low, dash, high = item.strip().partition("-")
            if len(low) > 9 or len(high) > 9:  # int() of a 5,000-digit string is slow
                raise ValueError
            first, last = int(low), int(high) if dash else int(low)
            if not 1 <= first <= last <= MAX_AGENTS or len(counts) + last - first >= MAX_ROWS:
                raise ValueError
            counts.update(range(first, last + 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {valid}; got {text!r}") from None
    return sorted(counts)


def whole_number(what: str, low: int, high: int | None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text) if len(text) <= 30 else None
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"must be {what}; got {text!r}")
        return value

    return parse


def clock(text: str, allow_end: bool = False) -> int:
    """Minutes after midnight of "07:30" (and of "24:00" if ``allow_end``); ValueError if not.

    >>> clock("07:30"), clock("24:00", allow_end=True)
    (450, 1440)
    """
    match = _CLOCK.fullmatch(text.strip())
    if match is None or int(match[2]) > 59:
        raise ValueError(text)
    minutes = int(match[1]) * 60 + int(match[2])
    if minutes > (1440 if allow_end else 1439):
        raise ValueError(text)
    return minutes


def parse_opening(text: str) -> tuple[int, int]:
    """Read opening hours "07:00-24:00" as minutes after midnight (end before start: overnight).

    >>> parse_opening("07:00-24:00"), parse_opening("22:00-06:00"), parse_opening("00:00-24:00")
    ((420, 1440), (1320, 360), (0, 1440))
    """
    valid = ("opening hours HH:MM-HH:MM such as 07:00-24:00 (22:00-06:00 overnight, "
             "00:00-24:00 all day)")
    first, dash, last = text.partition("-")
    try:
        span = clock(first), clock(last, allow_end=True)
    except ValueError:
        span = None
    if not dash or span is None or (span[0] == span[1] % 1440 and span != (0, 1440)):
        raise argparse.ArgumentTypeError(f"must be {valid}; got {text!r}")
    return span


def parse_date(text: str) -> datetime.date:
    """Read a day "1999-02-01" (ISO year-month-day).

    >>> parse_date("1999-02-01")
    datetime.date(1999, 2, 1)
    """
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a day YYYY-MM-DD such as 1999-02-01; got {text!r}") from None
