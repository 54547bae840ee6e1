"""Render a :class:`~maplayout.model.LayoutModel` as one self-contained, offline HTML page.

The page inlines Leaflet (from the installed ``xstatic-leaflet``), our own small script and
stylesheet (``maplayout/static``) and the model as one JSON payload. Geometries travel in a
compact text encoding (see :func:`encode_ring`): integer coordinates at 1e-4° (~11 m),
delta- and zig-zag-coded, written as variable-length base-32 digits in a URL-safe alphabet,
so boundaries cost about 4–5 bytes per vertex instead of ~40 in GeoJSON.

Nothing here opens a URL or writes a file; the only reads are the packaged templates and
static assets. Every plan text reaches the page through Jinja's autoescaping (HTML) or the
:func:`script_json` filter (JSON inside ``<script>``).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from maplayout._viewerjs import app_js
from maplayout.basemaps import Basemap, get_basemap
from maplayout.errors import BuildError
from maplayout.geo.datum import transform_geometry
from maplayout.model import LANG_SUFFIX, LANGS, LayoutModel, records

__all__ = ["encode_ring", "render_index", "render_map", "script_json", "search_keys"]

_HERE = Path(__file__).resolve().parent
#: Digits of the geometry encoding: 0–31 end a number, 32–63 continue it (5 bits each).
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
#: Coordinates are stored as integers of 1/SCALE degree.
SCALE = 10_000

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_ESCAPE_RE = re.compile("[<>&'\u2028\u2029]")


def script_json(value: Any) -> str:
    """JSON for a ``<script>`` element: sorted keys, and ``< > & '`` U+2028/9 escaped.

    The result can never close the script element or open an HTML comment, whatever the
    plan's texts contain, and parses to exactly ``value``.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text)


# --------------------------------------------------------------------------- encoding


_ALPHA_BYTES = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)


def _varints(values: np.ndarray) -> str:
    """Zig-zag, then 5-bit groups, least significant first; digits >= 32 mean "more follows"."""
    v = np.asarray(values, dtype=np.int64).ravel()
    if v.size == 0:
        return ""
    z = np.where(v >= 0, v << 1, ((-v) << 1) - 1)
    nchunks = np.ones(len(z), dtype=np.int64)
    rest = z >> 5
    while rest.any():
        nchunks += rest > 0
        rest >>= 5
    width = int(nchunks.max())
    k = np.arange(width)
    chunks = (z[:, None] >> (5 * k)) & 31
    digits = chunks + 32 * (k < (nchunks[:, None] - 1))
    return _ALPHA_BYTES[digits[k < nchunks[:, None]]].tobytes().decode("ascii")


def encode_ring(coords: Any, scale: int = SCALE) -> str:
    """Encode a ring or line of ``(lon, lat)`` as text: ``lat,lon`` integer deltas.

    Consecutive points that coincide after rounding are dropped. The page's decoder
    (``ring()`` in ``static/js/decode.js``) reverses this exactly.

    >>> encode_ring([(112.0, 28.0), (112.0001, 28.0)])
    'g8iRgwrkCAC'
    """
    arr = np.rint(np.asarray(coords, dtype=float)[:, :2] * scale).astype(np.int64)
    if len(arr) > 1:
        keep = np.ones(len(arr), dtype=bool)
        keep[1:] = np.any(arr[1:] != arr[:-1], axis=1)
        arr = arr[keep]
    latlon = arr[:, ::-1]
    deltas = np.diff(latlon, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    return _varints(deltas)


def _encode_geometry(geom: Any) -> list[list[str]]:
    """(Multi)Polygon → ``[[exterior, hole, ...], ...]`` of encoded rings."""
    if geom is None or geom.is_empty:
        return []
    polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    out = []
    for p in polys:
        rings = [p.exterior, *p.interiors]
        encoded = [encode_ring(np.asarray(r.coords)[:-1]) for r in rings]
        out.append([e for e in encoded if len(e) > 0])
    return out


# --------------------------------------------------------------------------- payload


def _t(row: Mapping[str, Any], name: str) -> dict[str, str]:
    return {lang: str(row.get(f"{name}_{LANG_SUFFIX[lang]}") or "") for lang in LANGS}


def _lang_map(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {lang: str(value.get(lang) or "") for lang in LANGS}
    text = "" if value is None else str(value)
    return dict.fromkeys(LANGS, text)


def _strs(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, str):
        return [v for v in value.split(";") if v]
    return [str(v) for v in value]


def _num(value: Any, default: float = 0.0) -> float:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return default
    return default if np.isnan(f) else round(f, 3)


def _shift(model: LayoutModel, datum: str) -> LayoutModel:
    """Return the model with every geometry and label point moved to ``datum``."""
    if datum == "WGS84":
        return model
    frames = {}
    for name in ("units", "groups", "links", "sites", "context"):
        frame = getattr(model, name).copy()
        if len(frame):
            frame = frame.set_geometry(
                transform_geometry(frame.geometry.values, "WGS84", datum), crs=frame.crs
            )
            if "label_lon" in frame.columns:
                pts = transform_geometry(
                    shapely.points(
                        frame["label_lon"].astype(float), frame["label_lat"].astype(float)
                    ),
                    "WGS84",
                    datum,
                )
                frame["label_lon"] = shapely.get_x(pts)
                frame["label_lat"] = shapely.get_y(pts)
        frames[name] = frame
    return LayoutModel(
        level=model.level, meta=model.meta, legend=model.legend, facts=model.facts, **frames
    )


def _rows(frame: Any) -> list[dict[str, Any]]:
    return records(frame)


def _label(row: Mapping[str, Any]) -> list[float]:
    return [round(_num(row["label_lat"]), 5), round(_num(row["label_lon"]), 5)]


def search_keys(*names: Mapping[str, str]) -> list[str]:
    """Every form a reader may type for ``names`` (``{lang: text}`` maps), deduplicated.

    Each name gives its zh-Hans, its given zh-Hant and English forms, plus
    :func:`~maplayout.names.to_hant` of the zh-Hans (the standard Traditional spelling, e.g.
    华云 → 華雲) and :func:`~maplayout.names.to_hans` of the zh-Hant (e.g. 華云 → 华云), so
    both scripts and both variants find the place. Order is stable.
    """
    from maplayout.geo.names import to_hans, to_hant

    keys: list[str] = []
    for name in names:
        hans, hant = name.get("zh-Hans", ""), name.get("zh-Hant", "")
        keys += [hans, hant, name.get("en", ""), to_hant(hans), to_hans(hant)]
    return list(dict.fromkeys(k for k in keys if k))


def _extra_keys(*names: Mapping[str, str]) -> list[str]:
    """:func:`search_keys` less the names the page indexes anyway (the payload carries only
    the script variants the plan does not spell out)."""
    given = {v for name in names for v in name.values()}
    return [k for k in search_keys(*names) if k not in given]


def _rgba(color: str) -> tuple[float, float, float]:
    c = color.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    try:
        return (int(c[0:2], 16) / 255, int(c[2:4], 16) / 255, int(c[4:6], 16) / 255)
    except ValueError:
        return (0.5, 0.5, 0.5)


def _over(top: str, top_a: float, below: str, below_a: float) -> tuple[str, float]:
    """``top`` at ``top_a`` composited over ``below`` at ``below_a``: ``(hex, alpha)``."""
    alpha = top_a + below_a * (1 - top_a)
    if alpha <= 0:
        return below, 0.0
    t, b = _rgba(top), _rgba(below)
    rgb = [(t[i] * top_a + b[i] * below_a * (1 - top_a)) / alpha for i in range(3)]
    return "#" + "".join(f"{round(v * 255):02x}" for v in rgb), round(alpha, 3)


def _resolve_site_ids(text: str, names: Mapping[str, str]) -> str:
    """Replace a site id quoted in a text (``点位见站点 xiangjiang-lab``) by the site's name."""
    if not text or not names:
        return text
    pattern = "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
    return re.sub(rf"(?<![\w-])(?:{pattern})(?![\w-])", lambda m: names[m.group(0)], text)


def _loc_src(row: Mapping[str, Any]) -> str | dict[str, str]:
    """A site's ``location_source`` per language when the model has it, else the plain text
    (one string when every language reads the same, to keep the payload small)."""
    plain = str(row.get("location_source") or "")
    if f"location_source_{LANG_SUFFIX['en']}" not in row:
        return plain
    texts = _t(row, "location_source")
    return plain if len(set(texts.values())) == 1 else texts


def _fact_shown(f: Mapping[str, Any]) -> dict[str, str]:
    """A fact's value as shown per language: its ``display`` text when the plan gives one
    (「152亿元」 / "15.2 billion yuan"), else the value and its unit ("" for no value)."""
    display = f.get("display")
    if isinstance(display, Mapping) and any(display.values()):
        return _lang_map(display)
    value = f.get("value")
    if value is None or value == "":
        return dict.fromkeys(LANGS, "")
    text = f"{value:g}" if isinstance(value, float) else str(value)
    unit = _lang_map(f.get("unit")) if f.get("unit") else dict.fromkeys(LANGS, "")
    return {lang: f"{text} {unit[lang]}".strip() for lang in LANGS}


def _facts(model: LayoutModel) -> list[dict[str, Any]]:
    """The article's figures for the info panel: headline figures (kind ``figure``) first,
    site ids in descriptions replaced by the site names, text values shown without a unit."""
    site_names = {
        lang: {str(r["id"]): _t(r, "name")[lang] for r in _rows(model.sites)} for lang in LANGS
    }
    out = []
    for f in model.facts:
        f = dict(f)
        desc = f.get("description")
        if isinstance(desc, Mapping):
            f["description"] = {
                k: _resolve_site_ids(str(v or ""), site_names.get(k, {})) for k, v in desc.items()
            }
        if isinstance(f.get("value"), str):
            f["unit"] = None  # 「前十强」 is the value itself, not a number of 名次
        f["shown"] = _fact_shown(f)
        out.append(f)
    return sorted(out, key=lambda f: f.get("kind") != "figure")


def _payload(model: LayoutModel, lang: str, basemap: Basemap, key: str | None, title: Any) -> dict:
    from maplayout.embed import _UI as EMBED_UI
    from maplayout.embed import attribution_text

    meta = dict(model.meta)
    meta["attribution"] = {k: attribution_text(model.meta, k, basemap.datum) for k in LANGS}
    if title:
        meta["title"] = _lang_map(title)
    if model.level == "county":  # the page says it is the county view
        base = _lang_map(meta.get("title"))
        meta["title"] = {k: v + EMBED_UI["county"][k] if v else v for k, v in base.items()}
    first_group = {
        str(r["id"]): (str(r.get("fill") or "#333333"), _num(r.get("fill_opacity"), 0.0))
        for r in _rows(model.groups)
    }
    units = []
    for r in _rows(model.units):
        fill, fo = str(r.get("fill") or "#cccccc"), _num(r.get("fill_opacity"), 0.6)
        gids = [g for g in _strs(r.get("group_ids")) if g in first_group]
        if not r.get("role") and gids and first_group[gids[0]][1] > 0:
            # as the print figure: a group's fill only on units without a role (first group)
            fill, fo = _over(*first_group[gids[0]], fill, fo)
        units.append(
            {
                "id": str(r["adcode"]),
                "parent": str(r.get("parent_adcode") or ""),
                "name": _t(r, "name"),
                "short": _t(r, "short"),
                "role": str(r.get("role") or ""),
                "roleLabel": _t(r, "role_label"),
                "desc": _t(r, "description"),
                "block": str(r.get("block") or ""),
                "altBlocks": _strs(r.get("alt_blocks")),
                "groups": _strs(r.get("group_ids")),
                "refs": _strs(r.get("source_refs")),
                "fill": fill,
                "stroke": str(r.get("stroke") or "#555555"),
                "fo": fo,
                "w": _num(r.get("weight"), 1.0),
                "lab": _label(r),
                "keys": _extra_keys(_t(r, "name"), _t(r, "short")),
                "g": _encode_geometry(r["geometry"]),
            }
        )
    groups = [
        {
            "id": str(r["id"]),
            "role": str(r.get("role") or ""),
            "label": _t(r, "label"),
            "roleLabel": _t(r, "role_label"),
            "desc": _t(r, "description"),
            "members": _strs(r.get("members")),
            "refs": _strs(r.get("source_refs")),
            "stroke": str(r.get("stroke") or "#333333"),
            "fill": str(r.get("fill") or "#333333"),
            "fo": _num(r.get("fill_opacity"), 0.0),
            "w": _num(r.get("weight"), 2.0),
            "dash": str(r.get("dash") or ""),
            "lab": _label(r),
            "g": _encode_geometry(r["geometry"]),
        }
        for r in _rows(model.groups)
    ]
    links = [
        {
            "id": str(r["id"]),
            "role": str(r.get("role") or ""),
            "label": _t(r, "label"),
            "roleLabel": _t(r, "role_label"),
            "desc": _t(r, "description"),
            "stops": _strs(r.get("stops")),
            "dir": str(r.get("direction") or "forward"),
            "refs": _strs(r.get("source_refs")),
            "stroke": str(r.get("stroke") or "#6a3d9a"),
            "w": _num(r.get("weight"), 3.0),
            "dash": str(r.get("dash") or ""),
            "g": encode_ring(np.asarray(r["geometry"].coords)),
        }
        for r in _rows(model.links)
    ]
    sites = [
        {
            "id": str(r["id"]),
            "kind": str(r.get("kind") or ""),
            "name": _t(r, "name"),
            "kindLabel": _t(r, "kind_label"),
            "desc": _t(r, "description"),
            "note": _t(r, "precision_note"),
            "host": str(r.get("host_adcode") or ""),
            "precision": str(r.get("precision") or "surveyed"),
            "r": _num(r.get("radius_m"), 0.0),
            "uncertain": bool(r.get("identity_uncertain")),
            "refs": _strs(r.get("source_refs")),
            "locSrc": _loc_src(r),
            "color": str(r.get("color") or "#333333"),
            "ll": [round(r["geometry"].y, 5), round(r["geometry"].x, 5)],
            "keys": _extra_keys(_t(r, "name")),
        }
        for r in _rows(model.sites)
    ]
    context = [
        {
            "id": str(r["adcode"]),
            "name": _t(r, "name"),
            "kind": str(r.get("kind") or "neighbour"),
            "g": _encode_geometry(r["geometry"]),
        }
        for r in _rows(model.context)
    ]
    parents = []
    if model.level == "county" and len(model.units):
        for parent, frame in model.units.groupby("parent_adcode", sort=True):
            merged = shapely.coverage_union_all(frame.geometry.values)
            first = frame.iloc[0]  # parent names (the join's parent_* columns), for the search
            parents.append(
                {
                    "id": str(parent),
                    "name": _t(first, "parent_name"),
                    "short": _t(first, "parent_short"),
                    "keys": _extra_keys(_t(first, "parent_name"), _t(first, "parent_short")),
                    "g": _encode_geometry(merged),
                }
            )
    region = model.context[model.context["kind"] == "region"] if len(model.context) else None
    frame = region if region is not None and len(region) else model.units
    x0, y0, x1, y1 = (float(v) for v in frame.total_bounds)
    return {
        "v": 1,
        "lang": lang,
        "level": model.level,
        "scale": SCALE,
        "ui": _ui_text(),
        "meta": meta,
        "bounds": [[round(y0, 4), round(x0, 4)], [round(y1, 4), round(x1, 4)]],
        "basemap": basemap.to_json(lang, key),
        "units": units,
        "parents": parents,
        "groups": groups,
        "links": links,
        "sites": sites,
        "context": context,
        "legend": list(model.legend),
        "facts": _facts(model),
    }


# --------------------------------------------------------------------------- assets


@lru_cache(maxsize=1)
def _ui_text() -> dict[str, dict[str, str]]:
    return json.loads((_HERE / "static" / "ui.json").read_text(encoding="utf-8"))


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
        "app_js": _safe_inline(app_js(), "static/js"),
        "index_css": _safe_inline((static / "index.css").read_text("utf-8"), "index.css"),
    }


@lru_cache(maxsize=1)
def _env() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
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
) -> str:
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
    str
        The page. Identical inputs give identical text.
    """
    _check_lang(lang)
    provider = get_basemap(basemap, tianditu_key)
    model.check()
    shifted = _shift(model, provider.datum)
    data = _payload(shifted, lang, provider, tianditu_key, title)
    return (
        _env()
        .get_template("map.html.j2")
        .render(
            data=data,
            lang=lang,
            langs=LANGS,
            ui=data["ui"],
            assets=_assets(),
            tables=_tables(data),
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
    all_ui = _ui_text()
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
