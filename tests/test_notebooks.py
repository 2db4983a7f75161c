"""Execute every notebook in ``notebooks/``, code cells in order, in one namespace.

No Jupyter kernel is needed: each code cell is compiled and run with ``exec`` as a
kernel would run it, minus IPython magics (lines starting with ``%`` or ``!`` are
rejected so that notebooks stay plain Python). Figures use the Agg backend.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def code_cells(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    return ["".join(cell["source"]) for cell in notebook["cells"]
            if cell["cell_type"] == "code"]


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_without_error(path, monkeypatch, tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.chdir(tmp_path)  # any file a notebook writes lands here
    namespace: dict[str, object] = {"__name__": "__main__"}
    cells = code_cells(path)
    assert cells, f"{path.name} has no code cells"
    try:
        for number, source in enumerate(cells, start=1):
            magics = [line for line in source.splitlines() if line.lstrip()[:1] in ("%", "!")]
            assert not magics, f"{path.name} code cell {number} uses IPython syntax: {magics}"
            exec(compile(source, f"{path.name}[code cell {number}]", "exec"), namespace)
    finally:
        plt.close("all")
