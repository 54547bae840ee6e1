"""The texts of a print figure's SVG: glyphs are outlined, each label's text is the comment
matplotlib writes in its ``<g id="text_N">`` group (after the label's box, if any)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(path: Path) -> list[str]:
    """Every text label of the SVG at ``path``, in document order (one per drawn line)."""
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    root = ET.parse(path, parser=parser).getroot()
    out = []
    for group in root.iter(f"{SVG}g"):
        if not group.get("id", "").startswith("text_"):
            continue
        comments = [c for c in group if c.tag is ET.Comment]  # after a label's box, if any
        if comments:
            out.append((comments[0].text or "").strip())
    return out


def svg_text_lines(path: Path) -> list[str]:
    """Every drawn line of text of the SVG at ``path``, in document order: a multi-line
    label's group keeps one comment per line, :func:`svg_texts` only its first."""
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    root = ET.parse(path, parser=parser).getroot()
    return [
        (c.text or "").strip()
        for group in root.iter(f"{SVG}g")
        if group.get("id", "").startswith("text_")
        for c in group.iter()
        if c.tag is ET.Comment
    ]
