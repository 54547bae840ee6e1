"""Bounded reads of user-named files and range checks of numeric options.

Every file a user names (a plan, a built map to snapshot, a previous build's manifest) is
read through :func:`read_limited`: regular files only (a FIFO, device or folder is a one-line
error, and opening never blocks), and never more than the limit plus one byte, so
``/dev/zero`` or a runaway file cannot exhaust memory. :func:`check_number` is the one range
check for numbers from options: finite, inside ``[lo, hi]``, the range named in the message.
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path

from maplayout.errors import MaplayoutError

__all__ = ["DPI_RANGE", "InputFileError", "check_number", "read_limited"]

#: Print figure resolution: 400 dpi on A4 is a 4677×3307 raster; a county figure at 400 dpi
#: peaked at 225 MB (600 dpi: 301 MB), so 400 keeps a figure under 300 MB.
DPI_RANGE = (50.0, 400.0)


class InputFileError(MaplayoutError):
    """A named input cannot be used: not a regular file, too large or unreadable.

    ``reason`` is the message without the file name (plan problems carry the name apart).
    """

    def __init__(
        self, path: str | os.PathLike[str], reason: str, *, kind: str = "unreadable"
    ) -> None:
        self.path = str(path)
        self.reason = reason
        #: ``"missing"``, ``"folder"``, ``"not regular"``, ``"too large"`` or ``"unreadable"``
        self.kind = kind
        self.short = reason
        super().__init__(f"{self.path}: {reason}")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_limited(path: str | os.PathLike[str], limit: int, what: str = "file") -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Raises
    ------
    InputFileError
        ``path`` is missing, not a regular file (folder, FIFO, device, socket), larger than
        ``limit`` bytes or unreadable. At most ``limit + 1`` bytes are ever read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)  # O_NONBLOCK: opening a FIFO without a writer returns at once
    except FileNotFoundError:
        raise InputFileError(path, f"{what} not found", kind="missing") from None
    except IsADirectoryError:
        raise InputFileError(path, f"is a folder, not a {what}", kind="folder") from None
    except OSError as err:
        raise InputFileError(path, f"cannot read the {what}: {err.strerror}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputFileError(path, f"is a folder, not a {what}", kind="folder")
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(path, f"is {_kind(info.st_mode)}, not a {what}", kind="special")
        if info.st_size > limit:
            raise _too_large(path, f"{info.st_size} bytes", limit)
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as err:
        raise InputFileError(path, f"cannot read the {what}: {err.strerror}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:  # the file grew while being read
        raise _too_large(path, f"more than {limit} bytes", limit)
    return data


def _too_large(path: str | os.PathLike[str], size: str, limit: int) -> InputFileError:
    err = InputFileError(path, f"file is too large ({size}; at most {limit})", kind="too large")
    err.short = f"file is too large ({size})"  # for callers that state the limit themselves
    return err


def check_number(value: float, option: str, lo: float, hi: float, *, unit: str = "") -> float:
    """``value`` when finite and in ``[lo, hi]``; else a one-line :class:`MaplayoutError`."""
    if isinstance(value, bool) or not math.isfinite(value) or not lo <= value <= hi:
        raise MaplayoutError(
            f"{option} {value!r} is out of range; expected a number from {lo:g} to {hi:g}{unit}"
        )
    return value


def is_regular(path: Path) -> bool:
    """True when ``path`` itself (not a symlink's target) is a regular file."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
