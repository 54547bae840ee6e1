"""Atomic file and directory writes: a failed build never leaves half-written outputs."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from maplayout.errors import BuildError

__all__ = ["atomic_dir", "prepare_folder", "write_bytes_atomic", "write_text_atomic"]


def _file_mode() -> int:
    """0o666 less the process umask: what ``open(path, "w")`` would have given."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def prepare_folder(folder: Path, what: str) -> None:
    """Create ``folder`` if needed; a user-facing one-line error when that is impossible."""
    if folder.exists() and not folder.is_dir():
        raise BuildError(f"{folder}: exists and is not a folder; choose another {what}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise BuildError(f"{folder}: cannot create the folder ({err.strerror})") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BuildError(f"{folder}: folder is not writable; choose another {what}")


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    Raises :class:`BuildError` (one line, naming the path) when the folder cannot be written
    or ``path`` is a folder.
    """
    target = Path(path)
    prepare_folder(target.parent, "output path")
    if target.is_dir():
        raise BuildError(f"{target}: is a folder; give a file name")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise BuildError(f"{target}: cannot write ({err.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, _file_mode())  # mkstemp makes 0600; outputs are meant to be shared
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 ``text`` atomically (``\\n`` line endings on every platform)."""
    return write_bytes_atomic(path, text.encode("utf-8"))


@contextmanager
def atomic_dir(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a fresh staging folder; on success its files replace those in ``path``.

    Files are moved in one by one with :func:`os.replace` only after the body finished
    without error, so a failing build leaves every previous output untouched. Files in
    ``path`` that the build did not write are kept.
    """
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise BuildError(f"{target}: exists and is not a folder; choose another output folder")
    prepare_folder(target.parent, "output folder")
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging.", dir=target.parent))
    except OSError as err:
        raise BuildError(f"{target}: cannot write here ({err.strerror})") from None
    try:
        yield stage
        target.mkdir(parents=True, exist_ok=True)
        for src in sorted(stage.rglob("*")):
            if src.is_dir():
                continue
            dest = target / src.relative_to(stage)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
