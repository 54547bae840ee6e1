"""Every layer of a layout model to a GIS file: :func:`to_file` (``maplayout export``).

=========  =====================================================================
format     what is written at ``path``
=========  =====================================================================
gpkg       one GeoPackage, a layer each for units, groups, links, sites, context;
           licence and attribution in the dataset and layer metadata
kml        one KML (LIBKML), a folder per layer; each feature's ``Name`` and
           ``Description`` in the chosen language, every attribute as extended data
           (an empty text is left out, so it reads back as null)
geojson    a folder: ``<layer>.geojson`` each (RFC 7946, WGS-84), ``ATTRIBUTION.txt``
shp        a folder: ``<layer>.shp`` each with field names from :data:`SHORT_NAMES`,
           ``<layer>.fields.csv`` (short name → full name), ``<layer>.attributes.csv``
           (every attribute in full: a DBF field holds 254 bytes and reads an
           empty text back as null), ``ATTRIBUTION.txt``
csv        a folder: ``sites.csv`` and ``units.csv`` (unit label points), each with
           ``lon``/``lat`` in WGS-84 and ``lon_gcj02``/``lat_gcj02`` (Chinese web maps)
parquet    a folder: ``<layer>.parquet`` each (GeoParquet; needs pyarrow), licence and
           attribution in the file's key-value metadata
=========  =====================================================================

List columns (``source_refs`` ``("P17", "P20")``) are written as ``"P17;P20"``. Output is
staged beside ``path`` and moved into place only when complete; an existing ``path`` is
replaced only with ``force=True``, and in a folder only the files named above are replaced.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from maplayout._atomic import atomic_dir
from maplayout.errors import BuildError, DependencyMissingError, closest
from maplayout.geo.datum import wgs84_to_gcj02
from maplayout.model import LANG_SUFFIX, LANGS, LayoutModel, row_text, text_columns
from maplayout.text import attribution_text

__all__ = [
    "FORMATS",
    "LAYERS",
    "SHORT_NAMES",
    "export_cli",
    "flat_layers",
    "short_name",
    "to_file",
]

FORMATS = ("gpkg", "geojson", "shp", "kml", "csv", "parquet")
LAYERS = ("units", "groups", "links", "sites", "context")
_SINGLE_FILE = {"gpkg": "GPKG", "kml": "LIBKML"}

#: Shapefile field names (at most 10 characters): a column's stem from this table, then the
#: language suffix ``_zh_hans`` → ``_s``, ``_zh_hant`` → ``_t``, ``_en`` → ``_e``; columns not
#: listed keep their name when it fits, else are cut to 10 characters (numbered if needed).
SHORT_NAMES: dict[str, str] = {
    "parent_adcode": "par_adcode",
    "description": "desc",
    "role_label": "rlabel",
    "kind_label": "klabel",
    "precision_note": "pnote",
    "parent_name": "pname",
    "parent_short": "pshort",
    "location_source": "locsrc",
    "function": "func",
    "source_refs": "src_refs",
    "fill_opacity": "fill_op",
    "display_fill": "disp_fill",
    "display_fill_opacity": "disp_fop",
    "identity_uncertain": "id_uncert",
    "host_adcode": "host_adc",
    "host_unit_adcode": "hunit_adc",
    "county_exceptions": "cnty_exc",
    "exception_members": "exc_memb",
}
_LANG_SHORT = {"zh_hans": "s", "zh_hant": "t", "en": "e"}


def short_name(column: str) -> str:
    """The Shapefile name of ``column`` by :data:`SHORT_NAMES` (may still exceed 10)."""
    for suffix, short in _LANG_SHORT.items():
        if column.endswith("_" + suffix):
            stem = column[: -len(suffix) - 1]
            return f"{SHORT_NAMES.get(stem, stem)}_{short}"
    return SHORT_NAMES.get(column, column)


def _shp_names(columns: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for col in columns:
        name = short_name(col)[:10]
        n = 1
        while name in out.values():
            name = f"{short_name(col)[: 9 - len(str(n))]}_{n}"
            n += 1
        out[col] = name
    return out


def _flat(value: Any) -> Any:
    if isinstance(value, (tuple, list, np.ndarray)):
        return ";".join(str(v) for v in value)
    return value


def flat_layers(model: LayoutModel) -> dict[str, Any]:
    """The model's five frames with list cells joined by ``;`` (and nothing else changed)."""
    out = {}
    for name in LAYERS:
        frame = getattr(model, name).copy()
        if "stop_names" in frame.columns:  # a tuple of {lang: name}: one text column per language
            stops = frame.pop("stop_names").tolist()
            for lang, col in zip(LANGS, text_columns("stop_names"), strict=True):
                frame.insert(frame.columns.get_loc("geometry"), col, [
                    ";".join(str(s.get(lang, "")) for s in row) for row in stops
                ])  # fmt: skip
        for col in frame.columns:
            if col != frame.geometry.name and frame[col].dtype == object:
                frame[col] = frame[col].map(_flat)
        out[name] = frame
    return out


def _notice(model: LayoutModel) -> dict[str, str]:
    texts = {lang: attribution_text(model.meta, lang) for lang in LANGS}
    return {
        "licence": str((model.meta.get("boundary_source") or {}).get("licence") or ""),
        "attribution": texts["zh-Hans"],
        "attribution_en": texts["en"],
        "plan": str(model.meta.get("plan_id") or ""),
    }


def _kml_frame(name: str, frame: Any, model: LayoutModel, lang: str) -> Any:
    field = {"units": "name", "context": "name", "sites": "name"}.get(name, "label")
    rows = frame.to_dict("records")
    out = frame.copy()
    out.insert(0, "Name", [row_text(r, field, lang) for r in rows])
    desc = []
    for r in rows:
        parts = [row_text(r, k, lang) for k in ("role_label", "kind_label", "description")]
        refs = str(r.get("source_refs") or "")
        desc.append(" — ".join(p for p in parts if p) + (f" [{refs}]" if refs else ""))
    out.insert(1, "Description", desc)
    return out


def _points_csv(frame: Any, lon: Any, lat: Any) -> Any:
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    glon, glat = wgs84_to_gcj02(np.asarray(lon, float), np.asarray(lat, float))
    table["lon"], table["lat"] = np.round(lon, 6), np.round(lat, 6)
    table["lon_gcj02"], table["lat_gcj02"] = np.round(glon, 6), np.round(glat, 6)
    return table


def _write_folder(fmt: str, layers: dict[str, Any], stage: Path, notice: dict[str, str]) -> None:
    import pyogrio

    (stage / "ATTRIBUTION.txt").write_text(
        "".join(f"{k}: {v}\n" for k, v in notice.items()), encoding="utf-8"
    )
    if fmt == "csv":
        sites, units = layers["sites"], layers["units"]
        _points_csv(sites, sites.geometry.x, sites.geometry.y).to_csv(
            stage / "sites.csv", index=False, lineterminator="\n"
        )
        _points_csv(units, units["label_lon"], units["label_lat"]).to_csv(
            stage / "units.csv", index=False, lineterminator="\n"
        )
        return
    for name, frame in layers.items():
        if fmt == "geojson":
            pyogrio.write_dataframe(frame, stage / f"{name}.geojson", driver="GeoJSON")
        elif fmt == "shp":
            names = _shp_names([c for c in frame.columns if c != frame.geometry.name])
            with warnings.catch_warnings():  # long texts are cut (DBF): full in attributes.csv
                warnings.filterwarnings("ignore", "Value .* has been truncated", RuntimeWarning)
                pyogrio.write_dataframe(
                    frame.rename(columns=names), stage / f"{name}.shp", encoding="UTF-8"
                )
            pd.DataFrame(frame.drop(columns=frame.geometry.name)).to_csv(
                stage / f"{name}.attributes.csv", index=False, lineterminator="\n"
            )
            pd.DataFrame({"short": list(names.values()), "full": list(names)}).to_csv(
                stage / f"{name}.fields.csv", index=False, lineterminator="\n"
            )
        else:
            _write_parquet(frame, stage / f"{name}.parquet", notice)


def _write_parquet(frame: Any, path: Path, notice: dict[str, str]) -> None:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise DependencyMissingError(
            'parquet export needs pyarrow: pip install "maplayout[export]"'
        ) from None
    frame.to_parquet(path)
    table = pq.read_table(path)
    meta = {**(table.schema.metadata or {}), b"maplayout": json.dumps(notice).encode("utf-8")}
    pq.write_table(table.replace_schema_metadata(meta), path)


def _write_single(
    fmt: str, layers: dict[str, Any], path: Path, model: LayoutModel, lang: str
) -> None:
    import pyogrio

    # GeoPackage stamps each table with the time of writing unless told a fixed one
    old = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2000-01-01T00:00:00.000Z"})
    try:
        _write_layers(fmt, layers, path, model, lang)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": old})


def _write_layers(
    fmt: str, layers: dict[str, Any], path: Path, model: LayoutModel, lang: str
) -> None:
    import pyogrio

    notice = _notice(model)
    for i, (name, frame) in enumerate(layers.items()):
        kwargs: dict[str, Any] = {"append": i > 0}
        if fmt == "gpkg":
            kwargs["metadata"] = notice
            if i == 0:
                kwargs["dataset_metadata"] = notice
        else:
            frame = _kml_frame(name, frame, model, lang)
            if i == 0:
                kwargs["dataset_options"] = {
                    "NAME": notice["plan"],
                    "DESCRIPTION": notice["attribution"] + " / " + notice["attribution_en"],
                }
        pyogrio.write_dataframe(frame, path, layer=name, driver=_SINGLE_FILE[fmt], **kwargs)


def _check_target(out: Path, fmt: str, force: bool) -> None:
    if out.exists() or out.is_symlink():
        if not force:
            raise BuildError(f"{out}: already exists; pass --force to replace it")
        if fmt in _SINGLE_FILE and (out.is_dir() or not out.is_file()):
            raise BuildError(f"{out}: is not a file; give a file name for --format {fmt}")
        if fmt not in _SINGLE_FILE and not out.is_dir():
            raise BuildError(f"{out}: is not a folder; --format {fmt} writes a folder")


def to_file(
    model: LayoutModel,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    lang: str = "zh-Hans",
    force: bool = False,
) -> Path:
    """Write every layer of ``model`` to ``path`` (see the module's table); return ``path``.

    ``format`` defaults to the extension of ``path`` (``.gpkg``, ``.kml``), else raises.
    ``lang`` is the language of KML names and descriptions.
    """
    out = Path(path)
    fmt = (format or out.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        hint = closest(fmt, FORMATS)
        raise BuildError(
            f"unknown export format {fmt or str(out)!r}; expected one of {', '.join(FORMATS)}"
            + (f" (closest: {', '.join(hint)})" if hint else "")
        )
    if lang not in LANG_SUFFIX:
        raise BuildError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    _check_target(out, fmt, force)
    model.check()
    layers = flat_layers(model)
    if fmt not in _SINGLE_FILE:
        with atomic_dir(out) as stage:
            _write_folder(fmt, layers, stage, _notice(model))
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        tmp = stage / f"layout.{fmt}"
        _write_single(fmt, layers, tmp, model, lang)
        os.replace(tmp, out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return out


def export_cli(args: Any) -> int:
    """``maplayout export [PLAN] --format F --out PATH [--level] [--lang] [--force]``."""
    from maplayout.model import build_model
    from maplayout.plan import load_plan

    model = build_model(load_plan(args.plan), level=args.level)
    out = to_file(model, args.out, format=args.format, lang=args.lang, force=args.force)
    print(f"wrote {out} ({args.format}: {', '.join(LAYERS)})")
    return 0
