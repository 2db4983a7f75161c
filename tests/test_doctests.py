"""Run the docstring examples of ccsim's modules (instead of ``--doctest-modules``).

Doctests are collected here rather than by ``pytest --doctest-modules`` so that a
plain ``python -m pytest`` runs them once, from the installed package.
"""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["ccsim.erlang", "ccsim.cli._options", "ccsim.io", "ccsim.arrivals", "ccsim.staffing",
           "ccsim._staffing.workforce", "ccsim.simulation.replications"]


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples(module_name):
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{module_name} has no docstring examples"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed"
