"""The ``ccsim`` command line: one module per command.

* ``ccsim what-if`` (:mod:`ccsim.cli.whatif`) answers "what if we open N seats?" with
  the Erlang formulas of :mod:`ccsim.erlang`: one row per agent count, and the least
  count that meets a service-level target.
* ``ccsim schedule`` (:mod:`ccsim.cli.schedule`) runs the planning chain (history ->
  forecast -> requirement -> shift plan with breaks) on the planner's own call log
  (``--calls``) or ACD interval report (``--report``), on the built-in bank example, or
  on a requirement from a CSV file; prints the plan and writes its coverage plot and
  tables and ``plan.xlsx``.
* ``ccsim roster`` (:mod:`ccsim.cli.roster`) rosters named agents (the bank's, or those
  of an ``--agents`` file) against the bank example's shift plan, a ``--plan`` (the
  ``shifts.csv`` of ``ccsim schedule``) or a ``--cover`` file for a ``--month``, from
  the ``--previous`` roster; prints the roster's status, penalties and first week, and
  writes ``roster.xlsx`` and ``roster.csv``.
* ``ccsim plan`` (:mod:`ccsim.cli.plan`) plans the bank example end to end: staffing by
  simulation, shift plans simulated as worked and corrected, the roster simulated;
  writes ``plan.xlsx``, ``plan.png`` and ``roster.csv``.

Each command module has an ``add`` function that declares its options and a ``run``
function that computes and prints. Building the parser imports only the standard
library and :mod:`ccsim.erlang`, so that ``what-if`` answers in well under a second;
``schedule`` imports what it needs when it runs.

Exit status and messages (never a traceback, unless asked for):

* 0: done.
* 2: bad input (a usage error, or a :class:`ccsim.CCSimInputError`): one line
  ``ccsim COMMAND: error: ...`` naming the option, the value and what is valid.
* 1: a run that failed though the input was valid (a :class:`ccsim.CCSimError`, e.g. no
  plan within the time limit; an output file that cannot be written), in one line
  ``ccsim COMMAND: error: ...``; and any other exception, a bug in ccsim, in one line
  ``ccsim COMMAND: internal error: TYPE: message``. With the environment variable
  ``CCSIM_DEBUG=1`` the traceback is printed as well.
* 130: interrupted (Ctrl-C): one line ``ccsim COMMAND: interrupted``; worker processes
  are stopped and no output file is left half-written.

Warnings from the library print as one line ``ccsim COMMAND: warning: ...``.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from typing import TextIO

from ccsim import CCSimError, CCSimInputError, __version__
from ccsim.cli import plan, roster, schedule, whatif
from ccsim.cli._options import UsageError, _Parser, parse_agents, parse_share, parse_target
from ccsim.cli.whatif import (
    WhatIf,
    WhatIfRow,
    format_csv,
    format_json,
    format_table,
    what_if,
)

__all__ = ["DEBUG_VARIABLE", "WhatIf", "WhatIfRow", "build_parser", "format_csv",
           "format_json", "format_table", "main", "parse_agents", "parse_share",
           "parse_target", "what_if"]

#: Set this environment variable to 1 to see the traceback of an unexpected error.
DEBUG_VARIABLE = "CCSIM_DEBUG"

EPILOG = ("exit status: 0 done, 2 bad input, 1 a run that failed (or a bug: set "
          f"{DEBUG_VARIABLE}=1 for its traceback), 130 interrupted")


def build_parser() -> argparse.ArgumentParser:
    """The ``ccsim`` parser, one subparser per command."""
    parser = _Parser(prog="ccsim", description="Call-center capacity planning. "
                     "Run a command with --help for its options; with no command, "
                     "'ccsim' runs 'ccsim what-if' on the built-in example.", epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"ccsim {__version__}")
    subparsers = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    whatif.add(subparsers)
    schedule.add(subparsers)
    roster.add(subparsers)
    plan.add(subparsers)
    return parser


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``ccsim`` command line and return its exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; ``None`` reads ``sys.argv[1:]``.

    Returns
    -------
    int
        0 done, 2 bad input, 1 a failed run or an unexpected error, 130 interrupted
        (see :mod:`ccsim.cli`).
    """
    prog = "ccsim"

    def show_warning(message: Warning | str, category: type[Warning], filename: str,
                     lineno: int, file: TextIO | None = None, line: str | None = None) -> None:
        print(f"{prog}: warning: {' '.join(str(message).split())}", file=sys.stderr)

    try:
        with warnings.catch_warnings():
            warnings.showwarning = show_warning
            args_list = list(sys.argv[1:] if argv is None else argv)
            args = build_parser().parse_args(args_list or ["what-if"])
            prog = f"ccsim {args.command}"
            return int(args.run(args))
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    except CCSimInputError as error:
        print(f"{prog}: error: {_one_line(error)}", file=sys.stderr)
        return 2
    except CCSimError as error:
        print(f"{prog}: error: {_one_line(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except SystemExit as done:  # --help and --version
        return done.code if isinstance(done.code, int) else 0
    except BrokenPipeError:  # e.g. "ccsim what-if | head": stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:  # a bug: say so in one line; the traceback on request
        if os.environ.get(DEBUG_VARIABLE, "") not in ("", "0"):
            import traceback

            traceback.print_exc()
        hint = ("" if os.environ.get(DEBUG_VARIABLE, "") not in ("", "0") else
                f" (set {DEBUG_VARIABLE}=1 to see the traceback)")
        print(f"{prog}: internal error: {type(error).__name__}: {_one_line(error)}; this is a "
              f"bug in ccsim, please report it{hint}", file=sys.stderr)
        return 1
