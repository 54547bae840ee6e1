"""Where shipped data lives: inside the wheel (``maplayout/_geodata``) or in the checkout."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["default_plan_path", "geodata_dir", "user_cache_dir"]

_PKG = Path(__file__).resolve().parent


def geodata_dir() -> Path:
    """The folder holding boundaries, layouts and the manifest.

    A wheel carries it as ``maplayout/_geodata``; a source checkout (editable install or
    plain ``PYTHONPATH``) has it as ``geodata/`` beside the package.
    """
    shipped = _PKG / "_geodata"
    if shipped.is_dir():
        return shipped
    return _PKG.parent / "geodata"


def default_plan_path() -> Path:
    """The embedded default plan: the Hunan AI industry layout (Hunan Daily, 2023-12-21)."""
    return geodata_dir() / "layouts" / "hunan-ai-2023.yaml"


def user_cache_dir() -> Path | None:
    """maplayout's folder in the user's cache: ``$XDG_CACHE_HOME/maplayout`` (when absolute),
    else ``~/.cache/maplayout``; None when there is no home (then nothing is cached)."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "maplayout"
