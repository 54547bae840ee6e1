"""Print styles shared by the figure's layers: line widths, marker shapes, dashes and the
wrapping of long labels (CJK characters count two columns)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

__all__ = [
    "LABEL_BOX",
    "NEIGHBOUR",
    "PX",
    "balanced",
    "dash",
    "site_marker",
    "wrap",
]

PX = 0.75  # one CSS pixel in points
LABEL_BOX = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7}
NEIGHBOUR = {"facecolor": "#e8e8e4", "edgecolor": "#9aa0a6"}  # as the HTML's .ml-sw-neighbour

# Marker shapes for site kinds: known kinds first, others in sorted order after them.
_KNOWN_MARKERS = {
    "innovation-base": "o",
    "laboratory": "^",
    "data-centre": "s",
    "computing-centre": "D",
    "ftz": "P",
}
_SPARE_MARKERS = ("v", "X", "p", "h", "*", "<", ">", "8")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int, indent: str = "") -> str:
    """Wrap ``text`` to ``width`` display columns (CJK characters count two), breaking
    after spaces and Chinese list punctuation when it can."""
    lines: list[str] = []
    line = ""
    for token in re.findall(r"[^\s、，；]*[\s、，；]?", text):
        if not token:
            continue
        if line and _width(line + token.rstrip()) > width:
            lines.append(line.rstrip())
            line = indent
        while _width(line + token.rstrip()) > width and len(token) > 1:  # a very long word
            cut = 1
            while _width(line + token[: cut + 1]) <= width:
                cut += 1
            lines.append(line + token[:cut])
            line, token = indent, token[cut:]
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


_NO_BREAK_AFTER = "“‘（《「『"
_NO_BREAK_BEFORE = "”’）》」』、，。；：！？"


def balanced(text: str) -> str:
    """``text`` on two lines of about equal width (CJK characters count two), never breaking
    after an opening or before a closing quote or punctuation; ``text`` if it has no such
    place (or when it is short)."""
    total = _width(text)
    best, where = total, 0
    for i in range(1, len(text)):
        if text[i - 1] in _NO_BREAK_AFTER or text[i] in _NO_BREAK_BEFORE:
            continue
        if text[i - 1].isascii() and text[i].isascii() and " " not in text[i - 1 : i + 1]:
            continue  # inside a word
        diff = abs(total - 2 * _width(text[:i]))
        if diff < best:
            best, where = diff, i
    if not where or total < 8:
        return text
    return text[:where].rstrip() + "\n" + text[where:].lstrip()


def site_marker(kind: str, kinds: Sequence[str] = ()) -> str:
    """The matplotlib marker of a site kind (stable for a given set of kinds)."""
    if kind in _KNOWN_MARKERS:
        return _KNOWN_MARKERS[kind]
    others = sorted({k for k in kinds if k not in _KNOWN_MARKERS} | {kind})
    return _SPARE_MARKERS[others.index(kind) % len(_SPARE_MARKERS)]


def dash(value: Any) -> Any:
    """SVG dash array (``"6 4"``, px) → a matplotlib line style (points)."""
    parts = [float(p) * PX for p in str(value or "").replace(",", " ").split()]
    if not parts or not any(parts):
        return "solid"
    if len(parts) % 2:
        parts *= 2
    return (0, tuple(parts))
