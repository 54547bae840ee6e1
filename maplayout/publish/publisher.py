"""Publishing a build into its output folder: only our own files, all or nothing.

A build is staged in a hidden folder *inside* the output folder (``.maplayout-publish/``,
same file system, so an output folder that is a mount point works). Publishing then:

1. decides, for every staged file and every file the previous build's manifest lists,
   whether it may be replaced or deleted: only a regular file (no symlink, no folder) that
   the previous manifest (``tool: maplayout``) lists with the sha256 it still has is ours.
   A file of ours the user edited, anything else on one of our names: an error naming the
   file (unless ``force``); a stale file that is not ours (edited, a symlink, …): left alone
   and reported;
2. writes a journal (``journal.json``, written atomically) of every move and deletion;
3. moves the staged files in with :func:`os.replace` (the manifest last) and deletes the
   stale files of the previous build; then removes the journal and the staging folder.

A build killed before step 2 leaves only staging, which the next build removes; killed after
it, the next build first replays (rolls forward) the journal, so the folder always ends up
as the old complete set or the new complete set, matching its manifest. One build at a time
per folder (an exclusive ``flock`` on the folder).

Fault injection for tests: ``MAPLAYOUT_TEST_KILL_AT=N`` makes the publish step SIGKILL its
own process at step ``N`` (0: staged, before the journal; 1: journal written; ``1 + k``:
after the ``k``-th move or deletion). Read only here; unset, it costs one dict lookup.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maplayout._safeio import InputFileError, read_limited
from maplayout.errors import BuildError

__all__ = ["HIDDEN", "MANIFEST_FORMAT", "PublishReport", "Publisher", "owned_files"]

HIDDEN = ".maplayout-publish"
JOURNAL = "journal.json"
MANIFEST_FORMAT = 1
MANIFEST_LIMIT = 4_000_000  # bytes: a manifest lists a few dozen files (~4 KB today)
_SHA = re.compile(r"^[0-9a-f]{64}$")
_KILL_ENV = "MAPLAYOUT_TEST_KILL_AT"
#: Reasons ``--force`` does not override (we never replace a folder or write through a link).
_NOT_FORCEABLE = ("is not a regular file", "reached through a symlink")


@dataclass
class PublishReport:
    """What publishing did besides moving the new files in."""

    removed: list[str] = field(default_factory=list)  # stale files of ours, deleted
    kept: list[tuple[str, str]] = field(default_factory=list)  # (name, why it was left alone)


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _safe_rel(name: object, *, staged: bool = False) -> str | None:
    """``name`` as a plain relative POSIX path inside the folder, or None. Only ``staged``
    paths may be inside the hidden staging folder (and they must be)."""
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        return None
    rel = Path(name)
    if rel.is_absolute() or ".." in rel.parts or (rel.parts[0] == HIDDEN) != staged:
        return None
    return rel.as_posix()


def owned_files(manifest_path: Path) -> tuple[dict[str, str], str]:
    """``({path: sha256}, "")`` from a maplayout build manifest; ``({}, why)`` when it is not one.

    Never raises for a bad manifest: a manifest that is not maplayout's, or that cannot be
    read, owns nothing (so nothing is deleted or overwritten on its word).
    """
    try:
        data = json.loads(read_limited(manifest_path, MANIFEST_LIMIT, "build manifest"))
    except InputFileError as err:
        return {}, err.reason
    except (ValueError, UnicodeDecodeError):
        return {}, "not valid JSON"
    if not isinstance(data, dict) or data.get("tool") != "maplayout":
        return {}, "it does not say 'tool: maplayout'"
    if data.get("format", MANIFEST_FORMAT) != MANIFEST_FORMAT:
        return {}, f"manifest format {data.get('format')!r}, expected {MANIFEST_FORMAT}"
    files = data.get("files")
    if not isinstance(files, list):
        return {}, f"its 'files' entry is {type(files).__name__}, expected a list"
    out: dict[str, str] = {}
    for entry in files:
        rel = _safe_rel(entry.get("path")) if isinstance(entry, dict) else None
        sha = entry.get("sha256") if isinstance(entry, dict) else None
        if rel is None or not isinstance(sha, str) or not _SHA.match(sha):
            return {}, "its 'files' entry has an entry without a plain path and sha256"
        out[rel] = sha
    return out, ""


def _real_parents(root: Path, rel: str) -> bool:
    """True when every folder between ``root`` and ``root/rel`` is a real folder (no symlink)."""
    cur = root
    for part in Path(rel).parts[:-1]:
        cur = cur / part
        try:
            if not stat.S_ISDIR(os.lstat(cur).st_mode):
                return False
        except FileNotFoundError:
            return True  # created by us, as a real folder
    return True


def _ours(root: Path, rel: str, owned: dict[str, str]) -> str:
    """``""`` when ``root/rel`` is absent or ours to replace/delete; else why it is not."""
    path = root / rel
    if not _real_parents(root, rel):
        return "reached through a symlink"
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return ""
    if stat.S_ISLNK(mode):
        return "is a symlink"
    if not stat.S_ISREG(mode):
        return "is not a regular file"
    if rel not in owned:
        return "was not written by maplayout (not in its build manifest)"
    if _sha256_file(path) != owned[rel]:
        return "was changed since maplayout wrote it"
    return ""


def _fault(step: int) -> None:
    if os.environ.get(_KILL_ENV) == str(step):
        os.kill(os.getpid(), signal.SIGKILL)


def _write_json_atomic(path: Path, data: Any) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".journal.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class Publisher:
    """Stage a build inside ``out`` and publish it (see the module docstring).

    Use::

        pub = Publisher(out, manifest_name, force=False)   # lock, recover, read ownership
        with pub.staging() as stage:
            ...                                             # write every file into stage
        report = pub.publish()
    """

    def __init__(self, out: Path, manifest_name: str, *, force: bool = False) -> None:
        self.out = out
        self.manifest_name = manifest_name
        self.force = force
        self.hidden = out / HIDDEN
        self.stage: Path | None = None
        self._lock_fd: int | None = None
        self._prepare()

    # -- start: folder, lock, recovery ------------------------------------------------------
    def _prepare(self) -> None:
        from maplayout._atomic import prepare_folder

        prepare_folder(self.out, "output folder")
        fd = os.open(self.out, os.O_RDONLY)
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise BuildError(f"{self.out}: another maplayout build is writing here") from None
        except ImportError:  # pragma: no cover - no flock (Windows): no cross-process lock
            pass
        self._lock_fd = fd
        try:
            self.recover()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Release the folder lock (publishing and failures call it)."""
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def recover(self) -> list[str]:
        """Roll forward a journal left by a killed build, then remove leftover staging."""
        try:
            mode = os.lstat(self.hidden).st_mode
        except FileNotFoundError:
            return []
        if not stat.S_ISDIR(mode):
            raise BuildError(
                f"{self.hidden}: maplayout's staging name is taken by a file or symlink; remove it"
            )
        done: list[str] = []
        journal = self.hidden / JOURNAL
        if journal.is_file():
            try:
                steps = json.loads(journal.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                steps = None
            if isinstance(steps, dict):
                done = self._apply(steps, count=False)
        self._clean_hidden()
        return done

    def _clean_hidden(self) -> None:
        for child in sorted(self.hidden.iterdir()):
            if child.name == JOURNAL or child.name.startswith(".journal."):
                child.unlink()
            elif child.name.startswith("stage-") and not child.is_symlink() and child.is_dir():
                shutil.rmtree(child)
        with contextlib.suppress(OSError):  # something we did not make is in there: leave it
            self.hidden.rmdir()

    # -- staging ------------------------------------------------------------------------------
    @contextmanager
    def staging(self) -> Iterator[Path]:
        """A fresh staging folder inside the output folder; removed again on failure."""
        self.hidden.mkdir(exist_ok=True)
        try:
            self.stage = Path(tempfile.mkdtemp(prefix="stage-", dir=self.hidden))
        except OSError as err:
            self.close()
            raise BuildError(f"{self.out}: cannot write here ({err.strerror})") from None
        try:
            yield self.stage
        except BaseException:
            self._clean_hidden()
            self.close()
            raise

    # -- publishing ---------------------------------------------------------------------------
    def publish(self) -> PublishReport:
        """Move the staged files in, delete our stale files; see the module docstring."""
        assert self.stage is not None, "publish() needs a staging() block first"
        try:
            steps, report = self._plan()
            _fault(0)
            _write_json_atomic(self.hidden / JOURNAL, steps)
            _fault(1)
            self._apply(steps, count=True)
            self._clean_hidden()
            return report
        except BaseException:
            if not (self.hidden / JOURNAL).exists():
                self._clean_hidden()
            raise
        finally:
            self.close()

    def _plan(self) -> tuple[dict[str, Any], PublishReport]:
        assert self.stage is not None
        manifest = self.out / self.manifest_name
        owned, why_not = owned_files(manifest)
        if not why_not and os.path.isfile(manifest):  # a valid manifest of ours owns itself
            owned = {**owned, self.manifest_name: _sha256_file(manifest)}
        staged = sorted(
            p.relative_to(self.stage).as_posix() for p in self.stage.rglob("*") if p.is_file()
        )
        stage_rel = self.stage.relative_to(self.out).as_posix()
        report = PublishReport()
        moves = []
        for rel in staged:
            reason = _ours(self.out, rel, owned)
            if reason and not (self.force and reason not in _NOT_FORCEABLE):
                if rel == self.manifest_name and why_not:
                    reason = f"is not maplayout's build manifest: {why_not}"
                raise BuildError(
                    f"{self.out / rel}: {reason}; maplayout will not overwrite it. Move it "
                    "away, choose another --out, or pass --force to replace it"
                )
            if rel != self.manifest_name:
                moves.append([f"{stage_rel}/{rel}", rel])
        moves.append([f"{stage_rel}/{self.manifest_name}", self.manifest_name])  # last
        deletes = []
        for rel in sorted(set(owned) - set(staged) - {self.manifest_name}):
            reason = _ours(self.out, rel, owned)
            if not os.path.lexists(self.out / rel):
                continue
            if reason:
                report.kept.append((rel, reason))
            else:
                deletes.append([rel, owned[rel]])
                report.removed.append(rel)
        return {"moves": moves, "deletes": deletes}, report

    def _apply(self, steps: dict[str, Any], *, count: bool) -> list[str]:
        """Carry out a journal's moves and deletions; idempotent (replay after a kill)."""
        done: list[str] = []
        step = 1
        for pair in steps.get("moves") or []:
            ok = isinstance(pair, list) and len(pair) == 2
            src = _safe_rel(pair[0], staged=True) if ok else None
            dest = _safe_rel(pair[1]) if ok else None
            if src is None or dest is None or not src.startswith(f"{HIDDEN}/stage-"):
                continue
            source = self.out / src
            if source.is_file() and not source.is_symlink() and _real_parents(self.out, dest):
                (self.out / dest).parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, self.out / dest)
                done.append(dest)
            if count:
                step += 1
                _fault(step)
        for pair in steps.get("deletes") or []:
            rel = _safe_rel(pair[0]) if isinstance(pair, list) and len(pair) == 2 else None
            if rel is not None and _ours(self.out, rel, {rel: str(pair[1])}) == "":
                (self.out / rel).unlink(missing_ok=True)
            if count:
                step += 1
                _fault(step)
        return done
