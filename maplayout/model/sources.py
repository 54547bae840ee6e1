"""Where a model's units come from: the plan's region at each level, its context (the region's
outline and the units around it) and the extent the maps open on.

A plan over Hunan (region 430000) reads the shipped Hunan files exactly as before (the
default build is byte-identical); a region inside Hunan (a city such as 长沙市) reads the
same files, cut to the region; any other region reads the national data
(:func:`maplayout.geo.load_china_units`), cut to the region, and its neighbours are the
units around it at the region's level, from adjacency (:func:`maplayout.geo.units_around`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import pandas as pd

from maplayout.plan import Plan

__all__ = [
    "UNIT_LEVELS",
    "frame_bounds",
    "is_hunan_default",
    "level_frame",
    "parent_level",
    "region_context_rows",
    "within_region",
]

#: Unit levels a model can be built at, from the top.
UNIT_LEVELS: tuple[str, ...] = ("province", "prefecture", "county")
_HUNAN = "430000"


def is_hunan_default(plan: Plan) -> bool:
    """The plan covers Hunan province: the shipped Hunan files and neighbours, as always."""
    return tuple(plan.region_adcodes or (plan.region_adcode,)) == (_HUNAN,)


def parent_level(level: str) -> str:
    """``county`` → ``prefecture`` → ``province`` → ``country``."""
    return ("country", *UNIT_LEVELS)[UNIT_LEVELS.index(level)]


def _prefix(adcode: str) -> str:
    from maplayout.plan.region import region_prefix

    return region_prefix(adcode)


def within_region(frame: gpd.GeoDataFrame, adcodes: Sequence[str]) -> gpd.GeoDataFrame:
    """The rows of ``frame`` inside (or equal to) one of the units ``adcodes``."""
    prefixes = tuple(_prefix(a) for a in adcodes)
    keep = [str(a).startswith(prefixes) for a in frame["adcode"]]
    return frame[keep].sort_values("adcode", kind="stable").reset_index(drop=True)


def level_frame(plan: Plan, level: str) -> gpd.GeoDataFrame:
    """The units of ``plan``'s region at ``level`` (``country`` … ``county``), by adcode.

    Hunan's own files for a region inside Hunan, else the national data; the frame has
    :data:`maplayout.geo.UNIT_FILE_COLUMNS` (the national data's extra columns are kept).
    """
    from maplayout.geo import load_china_units, load_units

    codes = tuple(plan.region_adcodes or (plan.region_adcode,))
    if all(a.startswith("43") for a in codes) and level != "country":
        return within_region(load_units(level), codes)
    within: str | list[str] = "100000" if "100000" in codes else list(codes)
    # a province's outline at the detail of the units inside it (the national one is coarser)
    detail = level == "province" and plan.region_level != "country"
    return _blocks(load_china_units(level, within, detail=detail))


def _blocks(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``block`` and ``alt_blocks`` (a tuple) as the Hunan files give them: the regional
    blocks are data per region, carried by the national files where a region has any."""
    frame = frame.copy()
    for col, empty in (("block", ""), ("alt_blocks", ())):
        if col not in frame.columns:
            frame[col] = [empty] * len(frame)
    frame["alt_blocks"] = [
        tuple(v.split(";")) if isinstance(v, str) and v else (v if isinstance(v, tuple) else ())
        for v in frame["alt_blocks"]
    ]
    frame["block"] = frame["block"].fillna("")
    return frame


def region_context_rows(plan: Plan) -> list[tuple[str, Any]]:
    """``(kind, row)`` of a non-default region's context: each region unit's outline
    (``region``), then the units around the region at its level (``neighbour``)."""
    level = plan.region_level
    outline_level = "country" if level == "country" else level
    units = level_frame(plan, outline_level)
    if outline_level != "country":
        units = units[units["adcode"].isin(plan.region_adcodes)]
    rows: list[tuple[str, Any]] = [("region", r) for r in units.itertuples(index=False)]
    if level == "country":
        return rows
    from maplayout.geo import units_around

    around = units_around(list(plan.region_adcodes), level)
    rows += [("neighbour", r) for r in around.itertuples(index=False)]
    return rows


def frame_bounds(frames: Sequence[pd.DataFrame], adcodes: Sequence[str]) -> list[float] | None:
    """``[west, south, east, north]`` of the units ``adcodes`` found in ``frames``."""
    import shapely

    geoms = [
        g for f in frames for a, g in zip(f["adcode"], f.geometry, strict=True) if a in adcodes
    ]
    if not geoms:
        return None
    x0, y0, x1, y1 = shapely.union_all(geoms).bounds
    return [round(x0, 4), round(y0, 4), round(x1, 4), round(y1, 4)]
