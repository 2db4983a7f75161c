"""Run every script in ``examples/`` and compare its output with the committed one.

As in SimPy's test suite: each ``examples/NAME.py`` must exit 0, and when
``examples/NAME.expected.txt`` exists its standard output must match it exactly.
Regenerate an expected file after a deliberate change with
``python examples/NAME.py > examples/NAME.expected.txt``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import ccsim

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))


def test_there_are_examples():
    assert SCRIPTS, f"no example scripts in {EXAMPLES}"


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_example_runs_and_prints_expected_output(script, tmp_path):
    # The scripts import the same ccsim as this test process (installed or source tree).
    path = os.pathsep.join([str(Path(ccsim.__file__).parent.parent),
                            os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": path}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          cwd=tmp_path, env=env, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), f"{script.name} printed nothing"
    expected = script.with_suffix(".expected.txt")
    if expected.exists():
        assert done.stdout == expected.read_text(encoding="utf-8")
