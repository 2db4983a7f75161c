"""Shared test set-up: deterministic hypothesis profiles, and where the shared data is.

The shared data folder holds ``anonymous-bank-1999/january.txt`` and the like. It
is ``$CCSIM_SHARED_DATA`` if set, else ``<repository>/../shared/data`` (CI clones
the repository with ``shared/`` beside it). A test that needs a file that is not
there is skipped with the reason, unless ``CCSIM_REQUIRE_SHARED_DATA`` is set (to
anything but ``0`` or empty, as ``.ci/run`` does): then it fails, so that CI never
passes by silently skipping the real-data tests.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

# The property and fuzz tests are part of CI, so they must give the same verdict on
# every run: examples are derived from each test's name, not drawn at random. To
# search further, run ``python -m pytest --hypothesis-profile=explore`` (new random
# examples on every run).
settings.register_profile("ccsim", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", derandomize=False, deadline=None, print_blob=True)
settings.load_profile("ccsim")

REPOSITORY = Path(__file__).resolve().parents[1]
SHARED_DATA_VARIABLE = "CCSIM_SHARED_DATA"
REQUIRE_VARIABLE = "CCSIM_REQUIRE_SHARED_DATA"


def shared_data_dir() -> Path:
    """The shared data folder: ``$CCSIM_SHARED_DATA``, else ``<repository>/../shared/data``."""
    override = os.environ.get(SHARED_DATA_VARIABLE, "").strip()
    return Path(override).expanduser() if override else REPOSITORY.parent / "shared" / "data"


def shared_data_file(relative: str) -> Path:
    """A file of the shared data folder; skip the test without it (fail if it is required)."""
    folder = shared_data_dir()
    path = folder / relative
    if path.is_file():
        return path
    reason = (f"shared data file {relative} not found in {folder} (set {SHARED_DATA_VARIABLE} "
              "to the folder that holds it)")
    if os.environ.get(REQUIRE_VARIABLE, "").strip() not in ("", "0"):
        pytest.fail(f"{reason}; {REQUIRE_VARIABLE} is set, so missing shared data is an error",
                    pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_data() -> Callable[[str], Path]:
    """:func:`shared_data_file`, for tests: ``shared_data("anonymous-bank-1999/january.txt")``."""
    return shared_data_file
