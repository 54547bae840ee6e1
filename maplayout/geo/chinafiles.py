"""The files of ``geodata/china/`` and their manifest: where they are and whether they are
intact. Hashes are checked lazily, once per file and process, when a file is first read;
:func:`verify_china_files` checks all of them (sizes only with ``hashes=False``)."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from maplayout.errors import GeodataError

__all__ = [
    "CHINA_MANIFEST",
    "checked_china_file",
    "china_file",
    "china_manifest",
    "verify_china_files",
]

CHINA_MANIFEST = "china/manifest.json"
_FIX = "run `maplayout geodata rebuild --china` or reinstall maplayout"


def china_file(level: str, province: str = "") -> str:
    """Path of a level's file inside the geodata folder (``province`` for the two fine levels)."""
    if level == "country":
        return "china/country.fgb"
    if level == "province":
        return "china/provinces.fgb"
    folder = {"prefecture": "prefectures", "county": "counties"}[level]
    return f"china/{folder}/{province}.fgb"


@lru_cache(maxsize=4)
def china_manifest(root: Path) -> dict[str, Any]:
    """``china/manifest.json`` of the geodata folder ``root``."""
    path = root / CHINA_MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GeodataError(f"{path}: missing; {_FIX}") from None
    except (OSError, ValueError, UnicodeDecodeError) as err:
        raise GeodataError(f"{path}: unreadable ({err}); {_FIX}") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise GeodataError(f"{path}: no 'files' table; {_FIX}")
    return manifest


@lru_cache(maxsize=512)
def checked_china_file(root: Path, rel: str, *, hashes: bool = True) -> Path:
    """The path of ``rel`` after checking it against the manifest (size, and sha256 if
    ``hashes``); one :class:`GeodataError` line when it is missing or differs."""
    info = china_manifest(root)["files"].get(rel)
    path = root / rel
    if not isinstance(info, dict):
        raise GeodataError(f"{root / CHINA_MANIFEST}: no entry for {rel}; {_FIX}")
    if not path.is_file():
        raise GeodataError(f"{path}: missing (listed in {CHINA_MANIFEST}); {_FIX}")
    size = path.stat().st_size
    if size != info.get("bytes"):
        raise GeodataError(
            f"{path}: {size} bytes, {CHINA_MANIFEST} records {info.get('bytes')}; {_FIX}"
        )
    if hashes:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != info.get("sha256"):
            raise GeodataError(
                f"{path}: contents do not match {CHINA_MANIFEST} (sha256 {digest[:12]}, "
                f"expected {str(info.get('sha256'))[:12]}); {_FIX}"
            )
    return path


def verify_china_files(root: Path, *, hashes: bool = True) -> int:
    """Check every file the manifest lists; returns how many."""
    files = china_manifest(root)["files"]
    for rel in sorted(files):
        checked_china_file(root, rel, hashes=hashes)
    return len(files)
