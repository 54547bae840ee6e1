"""Where shipped data lives: inside the wheel (``maplayout/_geodata``) or in the checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["default_plan_path", "geodata_dir"]

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
