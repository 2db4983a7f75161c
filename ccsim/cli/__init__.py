"""The ``ccsim`` command line: one module per command.

* ``ccsim what-if`` (:mod:`ccsim.cli.whatif`) answers "what if we open N seats?" with
  the Erlang formulas of :mod:`ccsim.erlang`: one row per agent count, and the least
  count that meets a service-level target.
* ``ccsim schedule`` (:mod:`ccsim.cli.schedule`) runs the planning chain (history ->
  forecast -> requirement -> shift plan with breaks) on the built-in bank example or a
  requirement from a CSV file, prints the plan and writes its coverage plot and tables.

Each command module has an ``add`` function that declares its options and a ``run``
function that computes and prints. Building the parser imports only the standard
library and :mod:`ccsim.erlang`, so that ``what-if`` answers in well under a second;
``schedule`` imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ccsim import CCSimInputError, __version__
from ccsim.cli import schedule, whatif
from ccsim.cli._options import UsageError, _Parser, parse_agents, parse_share, parse_target
from ccsim.cli.whatif import (
    WhatIf,
    WhatIfRow,
    format_csv,
    format_json,
    format_table,
    what_if,
)

__all__ = ["WhatIf", "WhatIfRow", "format_csv", "format_json", "format_table", "main",
           "parse_agents", "parse_share", "parse_target", "what_if"]


def build_parser() -> argparse.ArgumentParser:
    """The ``ccsim`` parser, one subparser per command."""
    parser = _Parser(prog="ccsim", description="Call-center capacity planning. "
                     "Run a command with --help for its options; with no command, "
                     "'ccsim' runs 'ccsim what-if' on the built-in example.")
    parser.add_argument("--version", action="version", version=f"ccsim {__version__}")
    subparsers = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    whatif.add(subparsers)
    schedule.add(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``ccsim`` command line and return its exit status (2 for bad input).

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; ``None`` reads ``sys.argv[1:]``.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list or ["what-if"])
        return int(args.run(args))
    except UsageError as error:
        print(error, file=sys.stderr)
    except CCSimInputError as error:
        print(f"ccsim: error: {error}", file=sys.stderr)
    except SystemExit as done:  # --help and --version
        return done.code if isinstance(done.code, int) else 0
    except BrokenPipeError:  # e.g. "ccsim what-if | head": stop quietly, as Unix tools do
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 2
