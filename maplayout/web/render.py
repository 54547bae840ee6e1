"""Render a :class:`~maplayout.model.LayoutModel` as one self-contained, offline HTML page.

The page inlines Leaflet (from the installed ``xstatic-leaflet``), our own small script and
stylesheet (``maplayout/web/static``) and the model as one JSON payload
(:mod:`~maplayout.web.payload`, geometries encoded by :mod:`~maplayout.web.codec`).

Nothing here opens a URL or writes a file; the only reads are the packaged templates and
static assets. Every plan text reaches the page through Jinja's autoescaping (HTML) or the
:func:`~maplayout.web.codec.script_json` filter (JSON inside ``<script>``).
"""

from __future__ import annotations

import base64
import contextlib
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from maplayout.errors import BuildError
from maplayout.model import LANGS, LayoutModel, in_datum
from maplayout.text import ui_strings
from maplayout.web.basemaps import get_basemap
from maplayout.web.codec import script_json
from maplayout.web.layerdata import layers_payload
from maplayout.web.page import MapPage
from maplayout.web.payload import build_payload, page_data
from maplayout.web.viewerjs import page_js

if TYPE_CHECKING:
    import jinja2

__all__ = ["render_index", "render_map"]

_HERE = Path(__file__).resolve().parent


# --------------------------------------------------------------------------- assets


def _leaflet_dir() -> Path:
    try:
        import xstatic.pkg.leaflet as xl
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise BuildError("xstatic-leaflet is not installed: pip install xstatic-leaflet") from err
    return Path(xl.BASE_DIR)


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _safe_inline(text: str, what: str) -> str:
    low = text.lower()
    if "</script" in low or "</style" in low or "<!--" in low:
        raise BuildError(f"{what} cannot be inlined: it contains a closing tag or comment opener")
    return text


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    """Leaflet and our static files, ready to inline (images become data: URIs)."""
    ldir = _leaflet_dir()
    css = (ldir / "leaflet.css").read_text(encoding="utf-8")

    def _img(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.startswith("marker"):  # default image markers are never used
            return "none"
        return f"url({_data_uri(ldir / 'images' / name)})"

    css = re.sub(r"url\(images/([\w.-]+)\)", _img, css)
    js = (ldir / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", js)
    static = _HERE / "static"
    return {
        "leaflet_css": _safe_inline(css, "leaflet.css"),
        "leaflet_js": _safe_inline(js, "leaflet.js"),
        "app_css": _safe_inline((static / "maplayout.css").read_text("utf-8"), "maplayout.css"),
        "app_js": _safe_inline(page_js(), "static/js"),
        "index_css": _safe_inline((static / "index.css").read_text("utf-8"), "index.css"),
    }


_ENV_OPTIONS: dict[str, Any] = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """The templates compiled once, in ``<user cache>/templates`` (the Python Jinja makes of
    a template costs more than rendering it); None when that folder cannot be made.

    Jinja checks each cached template against the sha1 of its source and the Python
    version; the key adds the Jinja version and the options that change the compiled code.
    An unreadable or unwritable cache file just means compiling again."""
    import jinja2

    from maplayout._paths import user_cache_dir

    base = user_cache_dir()
    if base is None:
        return None
    folder = base / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    salt = f"{jinja2.__version__} {sorted(_ENV_OPTIONS.items())}"

    class _Cache(jinja2.FileSystemBytecodeCache):
        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            return super().get_cache_key(f"{name}|{salt}", filename)

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # any damage: compile afresh
                bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    return _Cache(str(folder))


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_HERE / "templates")),
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_bytecode_cache(),
        **_ENV_OPTIONS,
    )
    env.filters["script_json"] = lambda v: jinja2.utils.markupsafe.Markup(script_json(v))
    return env


# --------------------------------------------------------------------------- public


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise BuildError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")


def render_map(
    model: LayoutModel,
    *,
    lang: str = "zh-Hans",
    basemap: str = "none",
    title: str | Mapping[str, str] | None = None,
    tianditu_key: str | None = None,
) -> MapPage:
    """Render ``model`` as one self-contained HTML page (Leaflet and data inlined).

    Parameters
    ----------
    model
        A joined layout model (WGS-84); it is checked against the column contract.
    lang
        Initial language: ``"zh-Hans"``, ``"zh-Hant"`` or ``"en"``; the page switches
        between all three.
    basemap
        ``"none"`` (offline, default), ``"osm"``, ``"carto-light"``, ``"gaode"`` (overlays
        shifted to GCJ-02) or ``"tianditu"`` (needs ``tianditu_key``).
    title
        Overrides the plan's title: one string for every language or a ``{lang: text}`` map.

    Returns
    -------
    MapPage
        The page: a ``str`` (identical inputs give identical text) with ``.save(path)``,
        shown in a notebook as a sized iframe.
    """
    _check_lang(lang)
    provider = get_basemap(basemap, tianditu_key)
    model.check()
    shifted = in_datum(model, provider.datum)
    data = build_payload(shifted, lang, provider, tianditu_key, title)
    layers = layers_payload(shifted)
    assets = _assets()
    if layers is not None:  # the data layers' module rides only on pages that draw layers
        assets = {**assets, "app_js": _safe_inline(page_js(layers=True), "static/js")}
    return MapPage(
        _env()
        .get_template("map.html.j2")
        .render(
            data=page_data(data),
            lang=lang,
            langs=LANGS,
            ui=data["ui"],
            assets=assets,
            tables=_tables(data),
            layers=layers,
        )
    )


def _tables(data: dict[str, Any]) -> dict[str, Any]:
    """Rows of the text fallback (units, groups, corridors, sites), texts still per language."""
    names = {u["id"]: u["name"] for u in data["units"]}
    groups = {g["id"]: g["label"] for g in data["groups"]}
    return {
        "names": names,
        "groups": groups,
        "units": data["units"],
        "group_rows": data["groups"],
        "links": data["links"],
        "sites": data["sites"],
        "facts": data["facts"],
    }


_INDEX_DEFAULTS: dict[str, Any] = {
    "description": "",
    "source": "",
    "thumbnail": None,
    "alt": "",
    "thumb_width": None,
    "thumb_height": None,
    "extra": [],
}


def render_index(
    entries: Sequence[Mapping[str, Any]],
    *,
    lang: str = "zh-Hans",
    title: str = "",
    i18n: Mapping[str, Mapping[str, Any]] | None = None,
) -> str:
    """The viewer page listing the built maps.

    Parameters
    ----------
    entries
        One mapping per map with ``href``, ``title``, ``description`` and ``source`` (plain
        text, escaped here) and optionally ``thumbnail`` (a relative image path), ``alt``
        and ``extra`` (a list of ``{"href", "label"}`` links such as a PDF or an embed kit).
    lang
        Language of the page chrome (``<html lang>`` and headings).
    title
        Page heading; defaults to the localised "Maps".
    i18n
        Optional: the page's texts in every language, ``{lang: {"title", "entries": [{"title",
        "description", "source", "alt", "extra": [label, ...]}, ...]}}`` (entries in the
        order of ``entries``). With it the page gets a 简 / 繁 / EN switch (a few lines of
        script; without script the page stays in ``lang``).
    """
    _check_lang(lang)
    all_ui = ui_strings()
    ui = all_ui[lang]
    switch = None
    if i18n:
        keys = ("index.intro", "index.open", "index.source", "index.title", "lang.group")
        switch = script_json(
            {
                "ui": {k: {key: all_ui[k][key] for key in keys} for k in LANGS},
                "texts": {k: i18n[k] for k in LANGS if k in i18n},
            }
        )
    return (
        _env()
        .get_template("index.html.j2")
        .render(
            entries=[{**_INDEX_DEFAULTS, **e} for e in entries],
            lang=lang,
            ui=ui,
            title=title or ui["index.title"],
            assets=_assets(),
            switch=switch,
            langs=LANGS,
            all_ui=all_ui,
        )
    )
