"""The model's ``meta``: the plan's titles and source, and where the boundaries come from
(read from ``geodata/manifest.json``), with the attribution line in every language."""

from __future__ import annotations

import json
from typing import Any, cast

from maplayout.model.types import Meta
from maplayout.plan import Plan

__all__ = ["model_meta"]


def _manifest() -> dict[str, Any]:
    from maplayout._paths import geodata_dir

    try:
        manifest = (geodata_dir() / "manifest.json").read_text(encoding="utf-8")
        return cast(dict[str, Any], json.loads(manifest))
    except (OSError, ValueError):
        return {}


def _boundary_source(manifest: dict[str, Any]) -> tuple[str, str, str]:
    """``(name and version, licence, origin)`` of the boundaries, from the manifest.

    ``origin`` is the upstream the package took them from (``"Amap (高德)"``), read from the
    manifest's ``attribution`` (``"…, originally Amap (高德)"``); ``""`` when not stated.
    """
    src = manifest.get("source") or {}
    if not isinstance(src, dict):
        return str(src), "", ""
    name = str(src.get("package") or src.get("name") or "")
    if src.get("version"):
        name = f"{name} {src['version']}".strip()
    lic = str(src.get("licence") or src.get("license") or "")
    attribution = str(src.get("attribution") or "")
    origin = attribution.split("originally", 1)[1].strip() if "originally" in attribution else ""
    return name, lic, origin


def _own_source(plan: Plan) -> tuple[str, str, str]:
    """The credit of the plan's own boundaries in zh-Hans, zh-Hant and en: its
    ``boundaries.attribution``, else "user-supplied (file)"."""
    from maplayout.strings import UI

    given = plan.boundary_attribution
    if given:
        return given.zh_hans, given.zh_hant, given.en
    file = plan.boundaries.spec.file.replace("\\", "/").rsplit("/", 1)[-1] or "GeoDataFrame"
    own = UI["own_boundaries"]
    return tuple(own[lang].format(file=file) for lang in ("zh-Hans", "zh-Hant", "en"))  # type: ignore[return-value]


def model_meta(plan: Plan, level: str) -> Meta:
    """``LayoutModel.meta`` of ``plan`` at ``level`` (without the ``notes``)."""
    src = plan.source
    manifest = _manifest()
    name, lic, origin = _boundary_source(manifest)
    datum_info = manifest.get("datum")
    raw = str(datum_info.get("source", "")) if isinstance(datum_info, dict) else ""
    was = raw.split()[0] if raw else "GCJ-02"  # "GCJ-02 (Amap coordinates, …)" → "GCJ-02"
    bsrc = (f"{name}（{lic}）" if lic else name) + (f"，源自 {origin}" if origin else "")
    bsrc_en = (f"{name} ({lic})" if lic else name) + (f", originally {origin}" if origin else "")
    bsrc_hant = bsrc
    own = plan.boundaries is not None
    if own:  # the plan's own: its attribution, its datum
        spec = plan.boundaries.spec
        name, lic, origin, was = spec.file or "GeoDataFrame", "", "", spec.datum
        bsrc, bsrc_hant, bsrc_en = _own_source(plan)
    review = plan.review_number
    how = {
        "zh-Hans": f"（由 {was} 转换）",
        "zh-Hant": f"（由 {was} 轉換）",
        "en": f" (converted from {was})",
    }
    if was == "WGS-84":
        how = dict.fromkeys(how, "")
    hans = (
        f"边界：{bsrc}；坐标：WGS-84{how['zh-Hans']}；资料：{src.publication.zh_hans} "
        f"{src.date}，{src.author.zh_hans}" + (f"；审图号：{review}" if review else "")
    )
    hant = (
        f"邊界：{bsrc_hant}；坐標：WGS-84{how['zh-Hant']}；資料：{src.publication.zh_hant} "
        f"{src.date}，{src.author.zh_hant}" + (f"；審圖號：{review}" if review else "")
    )
    en = (
        f"Boundaries: {bsrc_en}; datum WGS-84{how['en']}; source: "
        f"{src.publication.en}, {src.date}, {src.author.en}"
        + (f"; map review number {review}" if review else "")
    )
    return {
        "plan_id": plan.id,
        "level": level,
        "title": plan.title.as_dict(),
        "subtitle": plan.subtitle.as_dict(),
        "formula": plan.formula.text.as_dict(),
        "formula_aliases": [a.as_dict() for a in plan.formula.aliases],
        "formula_framing": plan.formula.framing.as_dict(),
        "formula_source_refs": list(plan.formula.source_refs),
        "source": {
            "publication": src.publication.as_dict(),
            "title": src.title.as_dict(),
            "author": src.author.as_dict(),
            "date": src.date,
            "url": src.url,
            "paragraphs": list(src.paragraphs),
            "type": src.type,
        },
        "review_number": review,
        "attribution": {"zh-Hans": hans, "zh-Hant": hant, "en": en},
        "boundary_source": {
            "name": name,
            "licence": lic,
            "origin": origin,
            **({"names": {"zh-Hans": bsrc, "zh-Hant": bsrc_hant, "en": bsrc_en}} if own else {}),
        },
        "datum": f"WGS-84{how['en']}",
        "region_adcode": plan.region_adcode,
    }
