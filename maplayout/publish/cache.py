"""What a build remembers about its output folder, so that the next one redoes only what changed.

The state of the last build in a folder is one small JSON file in the user's cache folder,
``$XDG_CACHE_HOME/maplayout/builds/<sha256 of the folder's absolute path>.json`` (default
``~/.cache/...``), so the output folder holds only the outputs (it is often published as it
is). It is written atomically after a build was published, read with a size limit, and
anything unreadable or unexpected counts as no state. It holds

* ``key``: the sha256 of every input of the build: the plan file's bytes and each data layer
  file's bytes, the options, the geodata folder, maplayout's own files (code, templates,
  scripts, the bundled font), the Python and the installed distributions (names and
  versions), the figure font file, the Chromium executable and the system font folders
  (the sha256 of the geodata and maplayout files are remembered by their stat in
  ``file-digests.json`` beside ``builds/``: :func:`environment_digest`);
* ``manifest``: the sha256 of the build manifest that build published, and the plan's
  warnings and the outputs it missed (a build found up to date reports them again);
* ``artifacts``: for each expensive output (a snapshot, a print figure), the key of its own
  inputs and the files (name and sha256) it became.

:func:`up_to_date` (standard library only: ``maplayout build`` calls it before importing
geopandas or matplotlib) says that nothing changed: same key, the manifest and every file it
lists unchanged. :class:`ArtifactCache` lets a build reuse a snapshot or a figure whose own
inputs did not change: the bytes are taken from the published file in the output folder
after checking its sha256, so an edited or deleted output is simply made again; nothing is
stored twice, and a cached build writes the same bytes as a clean one (``--no-cache``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "KEY_OPTIONS",
    "ArtifactCache",
    "Fresh",
    "digests_path",
    "environment_digest",
    "file_digest",
    "font_input",
    "input_key",
    "model_digest",
    "options_key",
    "snapshot_setting",
    "state_path",
    "up_to_date",
]

STATE_FORMAT = 1
_STATE_LIMIT = 4_000_000  # bytes; a state lists a few dozen files
_FILE_LIMIT = 256_000_000  # an output larger than this is never read back from the folder
_MANIFEST_NAME = "build-manifest.json"  # maplayout.publish.outputs.MANIFEST_NAME (no import)
_PKG = Path(__file__).resolve().parent.parent
_SKIP_DIRS = {"__pycache__"}
_SYSTEM_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts")
_DIGESTS_LIMIT = 16_000_000  # bytes; a few hundred entries per checkout
_DIGESTS_MAX = 20_000  # entries kept for other checkouts before the memo starts afresh
_RACY_NS = 2_000_000_000  # a file changed this recently is hashed every time


def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hash_file(path: Path, limit: int = _FILE_LIMIT) -> str | None:
    """sha256 of a regular file (no symlink) of at most ``limit`` bytes, else None."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def _remembered_hash(
    path: Path, memo: Mapping[str, list[Any]], seen: dict[str, list[Any]]
) -> str | None:
    """:func:`_hash_file`, reusing the sha256 ``memo`` holds for ``path`` while its size,
    modification and change times (ns), inode and device are the ones recorded (any write,
    ``touch`` or replacement changes one of them). ``seen``: the entries valid now; a file
    changed in the last :data:`_RACY_NS` is hashed but not remembered (a write within the
    same clock tick could keep its times)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > _FILE_LIMIT:
        return None
    stamp = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]
    key = str(path)
    old = memo.get(key)
    if old is not None and old[:-1] == stamp:
        seen[key] = old
        return str(old[-1])
    digest = _hash_file(path)
    if digest is not None and time.time_ns() - max(stamp[1], stamp[2]) > _RACY_NS:
        seen[key] = [*stamp, digest]
    return digest


def _tree_digest(
    root: Path,
    h: Any,
    memo: Mapping[str, list[Any]] | None = None,
    seen: dict[str, list[Any]] | None = None,
) -> None:
    """Feed every file under ``root`` (sorted, ``__pycache__`` skipped) into ``h``; with a
    ``memo`` (:func:`_read_digests`), unchanged files are not read again."""
    if not root.is_dir():
        h.update(f"missing {root}\n".encode())
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            if memo is None or seen is None:
                digest = _hash_file(path)
            else:
                digest = _remembered_hash(path, memo, seen)
            h.update(f"{rel}\0{digest}\n".encode())


def digests_path() -> Path | None:
    """The file remembering the sha256 of maplayout's own files and the geodata folder by
    their stat (:func:`environment_digest`), in the user's cache folder; None without one."""
    from maplayout._paths import user_cache_dir

    base = user_cache_dir()
    return base / "file-digests.json" if base is not None else None


def _read_digests(path: Path | None) -> dict[str, list[Any]]:
    """``{file: [size, mtime_ns, ctime_ns, inode, device, sha256]}``; ``{}`` when missing or
    unusable (every file is hashed then)."""
    from maplayout._safeio import InputFileError, read_limited

    if path is None:
        return {}
    try:
        data = json.loads(read_limited(path, _DIGESTS_LIMIT, "file digests"))
    except (InputFileError, ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
        return {}
    files = data.get("files")
    out: dict[str, list[Any]] = {}
    for key, entry in files.items() if isinstance(files, dict) else ():
        if (
            isinstance(entry, list)
            and len(entry) == 6
            and all(type(v) is int for v in entry[:5])
            and isinstance(entry[5], str)
        ):
            out[str(key)] = entry
    return out


def _write_json(path: Path, value: Any) -> bool:
    """Write ``value`` to ``path`` atomically (a temporary file renamed); False on failure."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".state.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(value, fh, sort_keys=True, indent=1)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


def _distributions() -> list[str]:
    """The installed distributions' metadata folder names (name and version), sorted."""
    names = set()
    for entry in sys.path:
        with contextlib.suppress(OSError):
            for item in os.scandir(entry or "."):
                if item.name.endswith((".dist-info", ".egg-info")):
                    names.add(item.name)
    return sorted(names)


def _stat_line(path: str | None) -> str:
    if not path:
        return "none"
    try:
        info = os.stat(path)
    except OSError:
        return f"{path} missing"
    return f"{os.path.realpath(path)} {info.st_size} {info.st_mtime_ns}"


def _chromium_identity() -> str:
    """Which Chromium a snapshot would use (the system one, else Playwright's folder)."""
    from maplayout.publish._snapshot_worker import CHROMIUM_NAMES  # the standard library only

    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return _stat_line(found)
    browsers = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or os.path.expanduser(
        "~/.cache/ms-playwright"
    )
    return f"playwright {_stat_line(browsers)}"


def _font_folders() -> str:
    """The system font folders' modification times: a font installed or removed shows."""
    lines = []
    for top in _SYSTEM_FONT_DIRS:
        root = os.path.expanduser(top)
        for folder, dirs, _files in os.walk(root):
            dirs.sort()
            lines.append(_stat_line(folder))
    return "\n".join(lines)


@lru_cache(maxsize=8)
def environment_digest(snapshots: bool = True) -> str:
    """sha256 of what a build depends on besides the plan and the options: maplayout's own
    files, the geodata folder, the Python, the installed distributions, the system font
    folders and (``snapshots``) the Chromium executable. Computed once per process."""
    from maplayout._paths import geodata_dir

    h = hashlib.sha256()
    h.update(f"python {sys.version} {sys.executable}\n".encode())
    h.update("\n".join(_distributions()).encode())
    memo_file = digests_path()
    memo = _read_digests(memo_file)
    seen: dict[str, list[Any]] = {}
    roots = (_PKG, geodata_dir())
    for root in roots:
        _tree_digest(root, h, memo, seen)
    if memo_file is not None and any(memo.get(k) != v for k, v in seen.items()):
        # keep what other checkouts remembered; drop this one's files that changed or went
        prefixes = tuple(f"{root}{os.sep}" for root in roots)
        kept = {k: v for k, v in memo.items() if not k.startswith(prefixes)}
        if len(kept) > _DIGESTS_MAX:
            kept = {}
        _write_json(memo_file, {"format": STATE_FORMAT, "files": {**kept, **seen}})
    h.update(_font_folders().encode())
    if snapshots:
        h.update(_chromium_identity().encode())
    return h.hexdigest()


def input_key(
    options: Mapping[str, Any], files: Mapping[str, str], *, snapshots: bool = True
) -> str:
    """The build's key: ``options`` (JSON values), the input ``files`` ({path: sha256}) and
    the :func:`environment_digest`."""
    payload = {
        "options": dict(options),
        "files": dict(sorted(files.items())),
        "environment": environment_digest(snapshots),
    }
    return _sha256_bytes(json.dumps(payload, sort_keys=True, default=str).encode())


def state_path(out: str | Path) -> Path | None:
    """The state file of output folder ``out`` in the user's cache folder; None when there
    is no usable cache folder (no home): then nothing is cached."""
    from maplayout._paths import user_cache_dir

    base = user_cache_dir()
    if base is None:
        return None
    folder = os.path.abspath(os.fspath(out))
    name = _sha256_bytes(folder.encode("utf-8", "surrogateescape"))[:40]
    return base / "builds" / f"{name}.json"


def _read_state(out: Path) -> dict[str, Any]:
    """The state of the last build in ``out``; ``{}`` when there is none or it is unusable."""
    from maplayout._safeio import InputFileError, read_limited

    path = state_path(out)
    if path is None:
        return {}
    try:
        data = json.loads(read_limited(path, _STATE_LIMIT, "build cache state"))
    except (InputFileError, ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
        return {}
    if data.get("out") != os.path.abspath(os.fspath(out)):
        return {}
    return data


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _plain_name(name: object) -> bool:
    """A plain file name inside the output folder (what a build writes: no folders)."""
    return (
        isinstance(name, str)
        and bool(name)
        and name not in (".", "..")
        and "/" not in name
        and "\\" not in name
        and "\x00" not in name
    )


@dataclass(frozen=True)
class Fresh:
    """The output folder is up to date: what the last build published and reported."""

    manifest: dict[str, Any]
    warnings: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()


#: The build options that change what is written (``force``, ``progress`` … do not).
KEY_OPTIONS = ("lang", "basemap", "title", "tianditu_key", "figures", "snapshots", "font")


def snapshot_setting(value: Any) -> str:
    """The snapshots option as ``"auto"``, ``"yes"`` or ``"no"`` (``True``/``False``/``None``
    accepted; other text is returned lower-cased: the build rejects it)."""
    if value is True:
        return "yes"
    if value is False or value is None:
        return "no"
    return str(value).lower()


def options_key(options: Any, files: Mapping[str, str]) -> str:
    """:func:`input_key` of a build's options (a :class:`~maplayout.publish.BuildOptions`)
    and its input files ({path: sha256})."""
    record: dict[str, Any] = {}
    for name in KEY_OPTIONS:
        value = getattr(options, name)
        record[name] = str(value) if isinstance(value, Path) else value
    record["snapshots"] = snapshot_setting(record["snapshots"])
    return input_key(record, files, snapshots=record["snapshots"] != "no")


def file_digest(path: str | Path) -> str | None:
    """sha256 of a regular file's bytes; None when it is not one (or cannot be read)."""
    return _hash_file(Path(path).resolve())


def font_input(font: str | Path | None) -> tuple[bool, dict[str, str]]:
    """``(cacheable, {path: sha256})`` for a figure font: the bundled one (part of maplayout's
    files) or a font file; an installed family is not cacheable (fontconfig decides its
    files, so every build draws again)."""
    if font is None or str(font) == "Maplayout Sans CJK":
        return True, {}
    path = Path(font).expanduser()
    if path.suffix.lower() in (".ttf", ".otf", ".ttc", ".otc") or os.sep in str(font):
        digest = _hash_file(path.resolve())
        return (digest is not None), ({str(path.resolve()): digest} if digest else {})
    return False, {}


def up_to_date(
    out: str | Path, plan_file: str | Path, options: Any
) -> tuple[Fresh | None, str | None]:
    """``(fresh, plan_sha256)``: ``fresh`` when the last build in ``out`` had exactly these
    inputs (``options``: a :class:`~maplayout.publish.BuildOptions`) and its outputs are
    unchanged, else None; and the plan file's sha256, read *before* the plan is loaded (pass
    it to :func:`maplayout.publish.build` as ``plan_digest``: an edit made while building
    then makes the next build run again).

    Standard library only; never raises for a missing or odd folder (it is just not fresh).
    """
    out_dir = Path(out)
    plan_path = Path(plan_file).resolve()
    plan_sha = _hash_file(plan_path)
    state = _read_state(out_dir) if out_dir.is_dir() else {}
    if plan_sha is None or not state or (out_dir / ".maplayout-publish").exists():
        return None, plan_sha
    cacheable, font_files = font_input(options.font)
    recorded = state.get("files")
    if not cacheable or not isinstance(recorded, dict) or str(plan_path) not in recorded:
        return None, plan_sha
    files = {str(plan_path): plan_sha, **font_files}
    for path in recorded:
        if path not in files:  # a data layer file the plan read
            files[str(path)] = _hash_file(Path(path)) or "missing"
    if state.get("key") != options_key(options, files):
        return None, plan_sha
    manifest = _unchanged_manifest(out_dir, state.get("manifest"))
    if manifest is None:
        return None, plan_sha
    fresh = Fresh(manifest, _strings(state.get("warnings")), _strings(state.get("missed")))
    return fresh, plan_sha


def _unchanged_manifest(out: Path, manifest_sha: object) -> dict[str, Any] | None:
    """The published manifest when it and every file it lists are as the build left them."""
    path = out / _MANIFEST_NAME
    if not isinstance(manifest_sha, str) or _hash_file(path, _STATE_LIMIT) != manifest_sha:
        return None
    try:
        manifest = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(manifest, dict) or not isinstance(files, list):
        return None
    for entry in files:
        name = entry.get("path") if isinstance(entry, dict) else None
        if not _plain_name(name) or _hash_file(out / str(name)) != entry.get("sha256"):
            return None
    return manifest


@dataclass
class ArtifactCache:
    """Snapshots and figures of the last build in ``out``, by the key of their own inputs.

    :meth:`fetch` copies an artifact's files into the staging folder when every one of them
    is still in the output folder with its recorded sha256; :meth:`record` notes what this
    build made; :meth:`save` writes the state once the build is published.
    """

    out: Path
    artifacts: dict[str, dict[str, str]] = field(default_factory=dict)
    made: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Keys served from the folder and keys made, in order (tests and ``-v`` read them).
    hits: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, out: str | Path) -> ArtifactCache:
        """The cache of ``out`` (empty when it has no usable state)."""
        out_dir = Path(out)
        state = _read_state(out_dir) if out_dir.is_dir() else {}
        found: dict[str, dict[str, str]] = {}
        artifacts = state.get("artifacts")
        for key, files in artifacts.items() if isinstance(artifacts, dict) else ():
            if isinstance(files, dict) and all(
                _plain_name(n) and isinstance(s, str) for n, s in files.items()
            ):
                found[str(key)] = {str(n): str(s) for n, s in files.items()}
        return cls(out_dir, found)

    @staticmethod
    def key(kind: str, *parts: object, snapshots: bool = False) -> str:
        """An artifact key: ``kind``, its inputs (JSON values) and the environment."""
        payload = json.dumps([kind, environment_digest(snapshots), *parts], default=str)
        return _sha256_bytes(payload.encode())

    def fetch(self, key: str, stage: Path, names: Sequence[str]) -> list[Path] | None:
        """Copy the files of ``key`` (exactly ``names``) into ``stage``; None on a miss."""
        files = self.artifacts.get(key)
        if files is None or sorted(files) != sorted(names):
            self.misses.append(key)
            return None
        data = {}
        for name, sha in files.items():
            try:
                info = os.lstat(self.out / name)
                if not stat.S_ISREG(info.st_mode) or info.st_size > _FILE_LIMIT:
                    raise OSError
                blob = (self.out / name).read_bytes()
            except OSError:
                self.misses.append(key)
                return None
            if _sha256_bytes(blob) != sha:
                self.misses.append(key)
                return None
            data[name] = blob
        for name, blob in data.items():
            (stage / name).write_bytes(blob)
        self.hits.append(key)
        self.made[key] = dict(files)
        return [stage / n for n in names]

    def record(self, key: str, paths: Iterable[Path]) -> None:
        """Note the files ``key`` became in this build (read back for their sha256)."""
        self.made[key] = {p.name: _sha256_bytes(p.read_bytes()) for p in paths}

    def save(
        self,
        *,
        manifest_sha: str,
        key: str | None = None,
        files: Mapping[str, str] | None = None,
        warnings: Sequence[str] = (),
        missed: Sequence[str] = (),
    ) -> bool:
        """Write the state of the build just published (``key`` and ``files``: what
        :func:`up_to_date` compares; None when the build's inputs cannot be keyed, e.g. a
        plan edited in memory). Returns False when the cache folder cannot be used."""
        path = state_path(self.out)
        if path is None:
            return False
        state = {
            "format": STATE_FORMAT,
            "out": os.path.abspath(os.fspath(self.out)),
            "key": key,
            "files": dict(sorted(files.items())) if files is not None else None,
            "manifest": manifest_sha,
            "warnings": list(warnings),
            "missed": list(missed),
            "artifacts": {k: dict(sorted(v.items())) for k, v in sorted(self.made.items())},
        }
        return _write_json(path, state)


def model_digest(model: Any) -> str:
    """sha256 of everything a layout model holds: each field in order (but ``plan``, which
    is not part of the model's equality), frames column by column (geometry as WKB).

    A figure drawn from a model with the same digest is the same figure, so it is the
    figure's cache key (with the options); any field added to the model is covered.
    """
    import dataclasses

    h = hashlib.sha256()
    for f in dataclasses.fields(model):
        if not f.compare:
            continue
        value = getattr(model, f.name)
        h.update(f"\0{f.name}\0".encode())
        if hasattr(value, "columns"):  # a (Geo)DataFrame
            crs = getattr(value, "crs", None)
            h.update(f"{crs.to_string() if crs is not None else ''}\0".encode())
            h.update(repr([str(c) for c in value.columns]).encode())
            h.update(repr(value.index.tolist()).encode())
            for col in value.columns:
                series = value[col]
                if getattr(series.dtype, "name", "") == "geometry":
                    for wkb in series.to_wkb().tolist():
                        h.update(b"\0" if wkb is None else len(wkb).to_bytes(8, "big") + wkb)
                else:
                    h.update(repr(series.tolist()).encode())
        else:
            text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)
            h.update(text.encode())
    return h.hexdigest()
