"""Derive ccsim's built-in example calls from the Technion anonymous-bank data.

Reads the January 1999 call log of the bank analysed by Brown et al. (2005) with
:func:`ccsim.io.read_call_log` (which never reads the callers' ``customer_id``),
replaces the agents' first names by stable codes (``A01``, ``A02``, ... in
alphabetical order of the names), and writes

* ``ccsim/data/anonymous_bank_1999_january.csv.gz``: one row per call, the
  columns of :data:`ccsim.io.CALL_COLUMNS`, whole seconds, sorted by arrival;
  gzip with a zero timestamp, so the same input gives the same bytes;
* ``ccsim/data/README.md``: source, citation, licence and what was changed.

Both are written atomically (a temporary file, then a rename).

Usage::

    python tools/make_bank_data.py [path/to/january.txt]

The default input is ``anonymous-bank-1999/january.txt`` in the shared data folder:
``$CCSIM_SHARED_DATA`` if set, else ``<repository>/../shared/data`` (the rule of
``tests/conftest.py``).

References
----------
.. [1] L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn and L. Zhao,
   "Statistical analysis of a telephone call center: a queueing-science
   perspective", JASA 100(469), 36-50, 2005, doi:10.1198/016214504000001808
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ccsim.io import CALL_COLUMNS, EXAMPLE_FILE, read_call_log  # noqa: E402

SHARED_DATA_VARIABLE = "CCSIM_SHARED_DATA"
BANK_JANUARY = "anonymous-bank-1999/january.txt"
DATA_DIR = ROOT / "ccsim" / "data"


def default_input() -> Path:
    """``january.txt`` in ``$CCSIM_SHARED_DATA``, else in ``<repository>/../shared/data``."""
    override = os.environ.get(SHARED_DATA_VARIABLE, "").strip()
    folder = Path(override).expanduser() if override else ROOT.parent / "shared" / "data"
    return folder / BANK_JANUARY


def anonymise(calls: pd.DataFrame) -> pd.DataFrame:
    """Replace agent names by codes A01, A02, ... (alphabetical order of the names)."""
    names = sorted(name for name in calls["agent"].unique() if name)
    codes = {name: f"A{number:02d}" for number, name in enumerate(names, start=1)}
    codes[""] = ""
    out = calls.copy()
    out["agent"] = out["agent"].map(codes)
    return out


def to_csv_bytes(calls: pd.DataFrame) -> bytes:
    """The packaged CSV, gzip-compressed reproducibly (no timestamp, no file name)."""
    table = calls[list(CALL_COLUMNS)].copy()
    table["arrival"] = table["arrival"].dt.strftime("%Y-%m-%d %H:%M:%S")
    for name in ("queue_wait_seconds", "service_seconds"):
        whole = table[name].round()
        if not (whole == table[name]).all():
            raise ValueError(f"{name} has fractions of a second; this format keeps whole seconds")
        table[name] = whole.astype("int64")
    text = table.to_csv(index=False, lineterminator="\n").encode("utf-8")
    return gzip.compress(text, compresslevel=9, mtime=0)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; package data is public
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def readme(calls: pd.DataFrame, data: bytes, source: Path) -> str:
    """The data folder's README, with the figures of the file just made."""
    counts = calls["outcome"].value_counts()
    types = calls["call_type"].value_counts()
    type_list = ", ".join(f"{name} {count:,}" for name, count in types.items())
    first, last = calls["arrival"].min(), calls["arrival"].max()
    return f"""# ccsim/data: built-in example data

## `{EXAMPLE_FILE}`

Call-by-call records of January 1999 from the small Israeli bank call center
analysed in

> L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn and L. Zhao (2005),
> "Statistical analysis of a telephone call center: a queueing-science perspective",
> *Journal of the American Statistical Association* 100(469):36-50,
> doi:10.1198/016214504000001808

as published by the Technion Service Enterprise Engineering (SEE) lab (Ilan Guedj
and Avishai Mandelbaum), http://ie.technion.ac.il/serveng/callcenterdata/index.html.
Cite Brown et al. (2005) and the Technion SEE lab when you use these data.

**Licence.** The data are the Technion's, released for research and teaching use.
The copy they were derived from (GitHub repository keguoh/hospital, commit
8385a0709d5d53733946bd1a41ee5ee94879eea7, `CallCenter/january.txt`) sits in a
repository under Apache-2.0, but that repository's author did not create the data;
the Technion's terms (research and teaching, with citation) are the ones that apply.

**What was changed.** Made by `tools/make_bank_data.py` from `{source.name}`
({len(calls):,} records, none left out) through
`ccsim.io.read_call_log(..., format="anonymous-bank")`:

* caller identification numbers (`customer_id`) are not read, and the VRU line,
  call id and clock fields other than the arrival are dropped;
* agents' first names are replaced by codes `A01`...`A{calls["agent"].nunique() - 1:02d}`
  (alphabetical order of the names); `""` when nobody answered or the log names no agent;
* outcomes are recoded: AGENT -> `answered`; HANG after queueing -> `abandoned`;
  HANG before queueing (the caller left in the VRU) and PHANTOM -> `other`;
* `arrival` is the VRU exit (when the caller reached the queue), `queue_wait_seconds`
  and `service_seconds` are the logged `q_time` and `ser_time` (0 for calls not
  answered), in whole seconds.

**Contents.** {len(calls):,} calls from {first:%Y-%m-%d %H:%M:%S} to {last:%Y-%m-%d %H:%M:%S};
{counts.get("answered", 0):,} answered, {counts.get("abandoned", 0):,} abandoned,
{counts.get("other", 0):,} other. Call types: {type_list}
(PS regular, NW prospects, NE stock exchange, TT call-backs, IN internet, PE English;
AA is undocumented). **11 and 12 January are missing** from the source.
Columns: `{"`, `".join(CALL_COLUMNS)}`.
{len(data):,} bytes, sha256 `{hashlib.sha256(data).hexdigest()}`.

Load it with `ccsim.io.load_example_calls()`.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=None,
                        help=f"the bank's january.txt (default: {BANK_JANUARY} in "
                             f"${SHARED_DATA_VARIABLE} or <repository>/../shared/data)")
    args = parser.parse_args(argv)
    if args.source is None:
        args.source = default_input()
        if not args.source.is_file():
            parser.error(f"{args.source} not found: give the path of january.txt, or set "
                         f"{SHARED_DATA_VARIABLE} to the shared data folder")
    calls = anonymise(read_call_log(args.source, format="anonymous-bank"))
    data = to_csv_bytes(calls)
    target = DATA_DIR / EXAMPLE_FILE
    if target.resolve() == args.source.resolve():
        parser.error("the output would overwrite the input")
    write_atomically(target, data)
    write_atomically(DATA_DIR / "README.md", readme(calls, data, args.source).encode("utf-8"))
    print(f"wrote {target.relative_to(ROOT)}: {len(calls):,} calls, {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
