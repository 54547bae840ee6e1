"""The ``layers`` section: data layers, each a table file of points next to the plan.

Only the entry is checked here (keys, id, file name, datum, column names as strings, label,
style, the cited data source); the file itself is read and its rows checked by
:mod:`maplayout.plan.layers` once the plan is known, because the rows are data, not plan
items: no English name and no paragraph id per row.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from maplayout.plan.fields import Checker, short_repr
from maplayout.plan.sections.context import SectionContext, complete
from maplayout.plan.sections.sites import read_datum
from maplayout.plan.types import EMPTY_TEXT, Layer

LAYER_KEYS = (
    "id",
    "file",
    "label",
    "datum",
    "lon",
    "lat",
    "name",
    "category",
    "weight",
    "link",
    "sheet",
    "encoding",
    "style",
    "data_source",
)
_REQUIRED = ("id", "file", "label", "datum", "data_source")
STYLE_KEYS = ("color", "radius", "figure")
#: ``style.figure``: how the print figure draws the layer (docs/layers.md).
FIGURE_MODES = ("points", "counts")
DATA_SOURCE_KEYS = ("title", "url", "date")
#: ``encoding:`` of a CSV layer (``""``/absent: BOM, then UTF-8, then GB18030).
ENCODINGS = ("utf-8", "gbk", "gb18030")
#: Suffixes of the table files a layer may name.
SUFFIXES = (".csv", ".xlsx", ".parquet", ".geoparquet", ".geojson", ".json")
_COLUMN_KEYS = ("lon", "lat", "name", "category", "weight", "link", "sheet")


def read_layers(value: Any, ctx: SectionContext) -> list[Layer]:
    """The ``layers`` section (entries only; :func:`maplayout.plan.layers.read_layer_files`
    reads the files)."""
    entries = ctx.entries(value, "layers", LAYER_KEYS, _REQUIRED)
    return [layer for path, entry in entries if (layer := _layer(entry, path, ctx)) is not None]


def _layer(entry: dict[str, Any], path: str, ctx: SectionContext) -> Layer | None:
    checker = ctx.checker
    fields: dict[str, Any] = {
        "id": ctx.item_id(entry, path),
        "file": _file(entry["file"], f"{path}.file", checker) if "file" in entry else None,
        "label": checker.text(entry["label"], f"{path}.label") if "label" in entry else None,
        "datum": read_datum(entry["datum"], f"{path}.datum", checker) if "datum" in entry else None,
    }
    for key in _COLUMN_KEYS:
        fields[key] = (
            checker.string(entry[key], f"{path}.{key}", max_len=200) if key in entry else ""
        )
    fields["encoding"] = ""
    if "encoding" in entry:
        fields["encoding"] = checker.choice(
            entry["encoding"], f"{path}.encoding", ENCODINGS, "encoding"
        )
    style = _style(entry.get("style", {}), f"{path}.style", checker)
    source = _data_source(entry.get("data_source"), f"{path}.data_source", checker)
    checked = complete(fields, style, source)
    return None if checked is None else Layer(**checked, line=checker.line_of(path))


def _file(value: Any, path: str, checker: Checker) -> str | None:
    """A relative path inside the plan's folder with a table suffix.

    A :class:`~pathlib.PurePath` (never what YAML gives) is a ``--layer`` option's file, the
    user's own path: it may lie anywhere (:mod:`maplayout.plan.options`).
    """
    if isinstance(value, PurePath):
        return str(value)
    return checker.relative_file(
        value, path, "layer file", "companies.csv, data/parks.xlsx", SUFFIXES, "a table file"
    )


def _style(value: Any, path: str, checker: Checker) -> dict[str, Any] | None:
    """``style: {color, radius, figure}``: the layer's ``color``, ``radius`` and ``figure``
    (``points`` or ``counts``: how the print figure draws it) fields."""
    style = checker.mapping(value, path, STYLE_KEYS)
    if style is None:
        return None
    colour = checker.colour(style["color"], f"{path}.color") if "color" in style else "#d6604d"
    radius = checker.number(style.get("radius", 3.0), f"{path}.radius", lo=0.5, hi=30.0)
    figure: str | None = "points"
    if "figure" in style:
        figure = checker.choice(style["figure"], f"{path}.figure", FIGURE_MODES, "figure mode")
    if colour is None or radius is None or figure is None:
        return None
    return {"color": colour, "radius": float(radius), "figure": figure}


def _data_source(value: Any, path: str, checker: Checker) -> dict[str, Any] | None:
    """``data_source: {title: {zh-Hans, en}, url, date}``: where the table comes from (the
    layer's ``data_source``, ``data_url`` and ``data_date`` fields)."""
    source = checker.mapping(value, path, DATA_SOURCE_KEYS, required=("title",))
    if source is None:
        return None
    title = checker.text(source["title"], f"{path}.title") if "title" in source else None
    url = checker.string(source.get("url", ""), f"{path}.url", allow_empty=True, max_len=500)
    if url and not url.startswith(("https://", "http://")):
        checker.error(f"{path}.url", f"bad url {short_repr(url)}", expected="an http(s) URL")
        url = None
    date = checker.string(source.get("date", ""), f"{path}.date", allow_empty=True, max_len=32)
    if title is None or url is None or date is None:
        return None
    return {"data_source": title or EMPTY_TEXT, "data_url": url, "data_date": date}
