"""Output files of the ``ccsim`` commands: checked before the work, written as one set (private).

:func:`check_output` refuses, before anything is computed, an ``--output`` that is a
file, lies under a file, cannot be written, or would overwrite the command's input.
:func:`write_set` then writes every file of a command's output as one set: each to a
hidden temporary file in the target directory (``.NAME.<random>.tmp``, created with the
usual permissions, ``0o666`` less the umask, and flushed to disk), and only when all are
written, renames them over the old ones, with Ctrl-C held back for those few
microseconds. A reader of the directory sees the previous set or the new one: an error
or Ctrl-C while writing leaves the previous set untouched and no temporary file behind;
only a hard kill or a power cut between the renames can leave a mix.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from ccsim._validation import CCSimError, CCSimInputError

__all__ = ["check_output", "write_set"]

#: One output file: its name, and the function writing its content to an open file.
Writer = tuple[str, Callable[[IO[Any]], None], bool]  # (name, write, binary)


def _nearest_existing(path: Path) -> Path:
    """``path`` or its nearest existing parent; OSError for a name too long, a loop, ..."""
    for candidate in (path, *path.parents):
        try:
            os.stat(candidate)
        except (FileNotFoundError, NotADirectoryError):
            continue
        return candidate
    return Path(".")


def check_output(directory: Path, names: Sequence[str], protect: Path | None = None,
                 option: str = "--output") -> None:
    """Raise :class:`CCSimInputError` naming ``option`` if ``directory`` cannot take ``names``.

    Nothing is created: a missing directory is made only when the files are written.
    """
    shown = f"{option} {str(directory)!r}"
    try:
        existing = _nearest_existing(directory)
        if existing == directory:
            if not directory.is_dir():
                raise CCSimInputError(f"{shown} is a file, not a directory; give a directory "
                                      "(it is created if missing)")
            for name in names:
                target = directory / name
                if os.path.lexists(target) and (target.is_dir() or not target.is_file()):
                    raise CCSimInputError(f"{shown}: {name} there is a directory or a special "
                                          "file, not a file; give another directory")
            where = directory
        elif not existing.is_dir():
            raise CCSimInputError(f"{shown} is under {str(existing)!r}, which is a file, not a "
                                  "directory; give a directory")
        else:
            where = existing
        if not os.access(where, os.W_OK | os.X_OK):
            raise CCSimInputError(f"{shown} is not writable: no write permission on "
                                  f"{str(where)!r}; give a directory you can write to")
        if protect is not None and any((directory / name).resolve() == protect.resolve()
                                       for name in names):
            raise CCSimInputError(f"{shown} would overwrite the input {str(protect)!r}; choose "
                                  "another directory")
    except (OSError, ValueError) as error:
        if isinstance(error, CCSimInputError):
            raise
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise CCSimInputError(f"{shown} cannot be used: {reason}") from None


def _temporary(directory: Path, name: str) -> tuple[Path, int]:
    for _ in range(100):
        path = directory / f".{name}.{secrets.token_hex(4)}.tmp"
        try:  # os.open applies the umask to 0o666, as for any new file (mkstemp uses 0o600)
            return path, os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                                 | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name for {name} in {directory}")


@contextlib.contextmanager
def _interrupt_held() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back until the block is done, then raise it.

    Only in the main thread, and where Python owns the SIGINT handler (not when embedded).
    """
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is None):
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def write_set(directory: Path, writers: Sequence[Writer], option: str = "--output") -> list[Path]:
    """Write the files of ``writers`` into ``directory`` as one set; return their paths.

    Raises
    ------
    CCSimError
        The directory cannot be made or a file cannot be written (disk full, permissions);
        the previous files are left as they were.
    """
    written: list[Path] = []
    replaced = 0
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, write, binary in writers:
            path, handle = _temporary(directory, name)
            written.append(path)
            with os.fdopen(handle, "wb" if binary else "w", **({} if binary else {
                    "encoding": "utf-8", "newline": ""})) as out:
                write(out)
                out.flush()
                os.fsync(out.fileno())
        targets = [directory / name for name, _, _ in writers]
        with _interrupt_held():
            for temporary, target in zip(written, targets, strict=True):
                os.replace(temporary, target)
                replaced += 1
            written.clear()
        with contextlib.suppress(OSError):  # make the renames durable where the OS allows
            handle = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(handle)
            finally:
                os.close(handle)
        return targets
    except OSError as error:
        state = ("the previous files are unchanged" if not replaced else
                 f"only {', '.join(name for name, _, _ in writers[:replaced])} was replaced")
        raise CCSimError(f"{option} {str(directory)!r}: cannot write the output files: "
                         f"{error.strerror or error}; {state}") from None
    finally:
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
