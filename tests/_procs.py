"""Processes seen through Linux ``/proc``, for tests that check nothing is left running."""

from __future__ import annotations

import os
from pathlib import Path


def _where(field: int, value: int) -> list[int]:
    """Process ids (zombies included) whose ``/proc/PID/stat`` field ``field`` (counted
    after the command name: 1 is the parent, 3 the session) equals ``value``."""
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                fields = Path(f"/proc/{entry.name}/stat").read_bytes().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[field]) == value:
                found.append(int(entry.name))
    return found


def children_of(pid: int) -> list[int]:
    """The children of ``pid`` still there (zombies included)."""
    return _where(1, pid)


def in_session(sid: int) -> list[int]:
    """The processes of session ``sid`` still there (zombies included)."""
    return _where(3, sid)


def alive(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running (gone and zombie processes left out)."""
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != b"Z":
            out.add(pid)
    return out


def descendants(pid: int) -> set[int]:
    """Every running process below ``pid`` (zombies left out)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        kids = alive(set(children_of(todo.pop())))
        found |= kids
        todo += kids
    return found
