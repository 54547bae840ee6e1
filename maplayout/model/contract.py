"""The layout model's contract: what the join stage produces and every renderer consumes.

This module only *describes* the model (a frozen dataclass and its column contracts) and
checks a model against the contract; it imports no renderer and opens no file.

Conventions
-----------
* All geometries are WGS-84 longitude/latitude (EPSG:4326). Renderers convert to another
  datum (GCJ-02 for Gaode tiles) themselves, with :mod:`maplayout.geo.datum`.
* Every multilingual text ``X`` is three string columns ``X_zh_hans``, ``X_zh_hant``,
  ``X_en`` (see :data:`LANG_SUFFIX`); an absent text is ``""``, never ``None``.
* Source references are a tuple of paragraph ids, e.g. ``("P17",)``.
* Row order is meaningful and deterministic (plan order, then adcode).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from maplayout.model.types import Fact, Meta
from maplayout.plan import Plan

__all__ = [
    "CONTEXT_COLUMNS",
    "GROUP_COLUMNS",
    "LANGS",
    "LANG_SUFFIX",
    "LINK_COLUMNS",
    "SITE_COLUMNS",
    "UNIT_COLUMNS",
    "UNIT_DISPLAY_COLUMNS",
    "UNIT_PARENT_COLUMNS",
    "LayoutModel",
    "as_list",
    "as_number",
    "pick_text",
    "records",
    "row_text",
    "text_columns",
]

#: Languages in display order; the first is the default.
LANGS: tuple[str, ...] = ("zh-Hans", "zh-Hant", "en")
#: Column suffix for each language.
LANG_SUFFIX: dict[str, str] = {"zh-Hans": "zh_hans", "zh-Hant": "zh_hant", "en": "en"}

#: The unit level of a model: provinces (a national plan), prefectures or counties.
Level = Literal["province", "prefecture", "county"]


def text_columns(*names: str) -> tuple[str, ...]:
    """``text_columns("name")`` → ``("name_zh_hans", "name_zh_hant", "name_en")``."""
    return tuple(f"{n}_{LANG_SUFFIX[lang]}" for n in names for lang in LANGS)


def pick_text(value: Any, lang: str) -> str:
    """Pick ``lang`` from a ``{lang: str}`` dict, falling back to zh-Hans, then en.

    Non-dict values are returned as strings (``None`` → ``""``).
    """
    if isinstance(value, dict):
        for key in (lang, "zh-Hans", "en"):
            if value.get(key):
                return str(value[key])
        return ""
    return "" if value is None else str(value)


def records(frame: Any) -> list[dict[str, Any]]:
    """The rows of a (Geo)DataFrame as plain dicts with Python scalars, geometry included.

    One ``tolist()`` per column: several times cheaper than ``itertuples``/``iterrows``,
    which renderers would otherwise pay for every frame on every call.
    """
    cols = [str(c) for c in frame.columns]
    data = [frame[c].tolist() for c in frame.columns]
    return [dict(zip(cols, values, strict=True)) for values in zip(*data, strict=True)]


def row_text(row: Any, name: str, lang: str) -> str:
    """The ``lang`` column of multilingual field ``name`` in a row, falling back to zh-Hans."""
    return str(row.get(f"{name}_{LANG_SUFFIX[lang]}", "") or row.get(f"{name}_zh_hans", "") or "")


def as_list(value: Any) -> list[str]:
    """A list cell (a tuple, a ``;``-joined string, ``None`` or NaN) as a list of strings."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, str):
        return [v for v in value.split(";") if v]
    return [str(v) for v in value]


def as_number(value: Any, default: float = 0.0) -> float:
    """A numeric cell rounded to 3 decimals; ``default`` when missing, NaN or not a number."""
    try:
        f = float(value)
    except (TypeError, ValueError):
        return default
    return default if np.isnan(f) else round(f, 3)


#: Admin units at the model's level (14 prefectures or 122 counties for Hunan).
UNIT_COLUMNS: tuple[str, ...] = (
    "adcode",  # str, 6 digits
    "parent_adcode",  # str; the prefecture for a county, the province for a prefecture
    "level",  # "province" | "prefecture" | "county"
    *text_columns("name", "short"),  # full and short names (长沙市 / 长沙)
    # (the parent's names follow UNIT_COLUMNS in the frame: see UNIT_PARENT_COLUMNS below)
    "block",  # regional block id of this unit: "CZT" | "DONGTING" | "XIANGNAN" | "DAXIANGXI"
    "alt_blocks",  # tuple[str, ...]: other blocks this unit is also counted in (county exceptions)
    "role",  # str role id from the plan, or "" when the plan gives the unit no role
    *text_columns("role_label"),
    "group_ids",  # tuple[str, ...]: plan groups containing this unit
    *text_columns("description"),  # the plan's description of the unit's role ("" if none)
    "source_refs",  # tuple[str, ...]
    "fill",  # CSS colour "#rrggbb" from the role style (neutral colour when no role)
    "stroke",  # CSS colour
    "fill_opacity",  # float 0..1
    "weight",  # float, outline width in px
    "label_lon",  # float: a point inside the polygon for the permanent label
    "label_lat",
    "geometry",  # (Multi)Polygon
)

#: Names of each unit's parent, written by the join at both levels and placed right after
#: :data:`UNIT_COLUMNS`: for a county its prefecture (芙蓉区 → 长沙市 / 长沙 / Changsha City /
#: Changsha), for a prefecture the province (湖南省 / 湖南 / Hunan Province / Hunan); ``""`` when
#: the parent is unknown. They let a county view's search and labels name the prefecture
#: (search 株洲 → the counties of 株洲市). Added after the first contract, so
#: :meth:`LayoutModel.check` does not require them: a renderer should treat them as optional.
UNIT_PARENT_COLUMNS: tuple[str, ...] = (
    *text_columns("parent_name"),  # parent_name_zh_hans, parent_name_zh_hant, parent_name_en
    *text_columns("parent_short"),  # parent_short_zh_hans, parent_short_zh_hant, parent_short_en
)

#: The fill a unit is drawn with once its first group's fill is laid over it (see
#: :func:`maplayout.model.symbology.display_fill`), written by the join at the end of the
#: units frame; optional like :data:`UNIT_PARENT_COLUMNS` (renderers resolve it when absent).
UNIT_DISPLAY_COLUMNS: tuple[str, ...] = (
    "display_fill",  # CSS colour "#rrggbb"
    "display_fill_opacity",  # float 0..1
)

#: Dissolved outlines of the plan's groups (洞庭湖, 湘南, 大湘西, 长株潭 …).
GROUP_COLUMNS: tuple[str, ...] = (
    "id",
    "role",  # role id (e.g. "node"); "" for a plain grouping
    *text_columns("label", "role_label", "description"),
    "members",  # tuple[str, ...] adcodes at the model's level
    "source_refs",
    "stroke",
    "fill",
    "fill_opacity",
    "weight",
    "dash",  # SVG dash array such as "6 4", or "" for solid
    "label_lon",
    "label_lat",
    "geometry",  # (Multi)Polygon
)

#: Corridors, bands, axes: lines from→to or through several places.
LINK_COLUMNS: tuple[str, ...] = (
    "id",
    "role",  # e.g. "corridor", "band"
    *text_columns("label", "role_label", "description"),  # label = the function
    "stops",  # tuple[str, ...] adcodes in order (from … to)
    "direction",  # "forward" | "backward" | "both" | "none"
    "source_refs",
    "stroke",
    "weight",
    "dash",
    "geometry",  # LineString through the stops' label points
)

#: Named sites as points with their positional uncertainty.
SITE_COLUMNS: tuple[str, ...] = (
    "id",
    "kind",  # e.g. "innovation-base", "data-centre", "laboratory", "computing-centre", "ftz"
    *text_columns("name", "kind_label", "description", "precision_note"),
    "host_adcode",  # prefecture adcode hosting the site
    "precision",  # "surveyed" | "approximate" | "placeholder"
    "radius_m",  # float: uncertainty radius in metres (0 for surveyed)
    "identity_uncertain",  # bool: the site's identity itself is inferred
    "source_refs",  # article paragraphs naming the site
    "location_source",  # where the coordinate comes from (text, may be "")
    "color",  # marker colour
    "geometry",  # Point, WGS-84
)

#: Context polygons drawn without tiles: the plan region's outline and its neighbours.
CONTEXT_COLUMNS: tuple[str, ...] = (
    "adcode",
    *text_columns("name"),
    "kind",  # "region" (the plan's province) | "neighbour"
    "geometry",
)


#: Points of the plan's data layers (``layers:``), each joined to its unit at the model's level.
LAYER_POINT_COLUMNS: tuple[str, ...] = (
    "layer",  # the layer's id
    "row",  # int: the row number in the layer file (line of a CSV, row of a sheet)
    "name",  # str, as written in the table
    "category",  # str ("" when the layer names no category column)
    "weight",  # float (0 when the layer names no weight column or the cell is empty)
    "link",  # str, an http(s) URL or ""
    "unit_adcode",  # the unit containing the point ("" outside every unit)
    "role",  # that unit's role ("" for none, or outside)
    "group_ids",  # tuple[str, ...]: the plan groups containing that unit
    "geometry",  # Point, WGS-84
)

#: Per layer, the points counted per unit (key = adcode, "" = outside), per role (key = role
#: id, "" = no role) and per group (key = group id).
LAYER_COUNT_COLUMNS: tuple[str, ...] = (
    "layer",
    "scope",  # "unit" | "role" | "group"
    "key",
    "count",  # int
    "weight",  # float: the sum of the points' weights
    "share",  # float 0..1: count / the layer's number of points
)


@dataclass(frozen=True)
class LayoutModel:
    """A plan joined with boundaries, ready to render.

    ``meta`` (:class:`~maplayout.model.types.Meta`), the ``legend`` entries
    (:class:`~maplayout.model.types.LegendEntry`, in drawing order) and the ``facts``
    (:class:`~maplayout.model.types.Fact`: designations, clusters, platforms, figures) are
    JSON-serialisable; their keys are documented in :mod:`maplayout.model.types`.
    """

    level: Level
    meta: Meta
    # entries are LegendEntry (maplayout.model.types); typed as plain dicts until the print
    # figure's helpers, which take dict[str, Any], move to the typed entries
    legend: list[dict[str, Any]]
    units: gpd.GeoDataFrame
    groups: gpd.GeoDataFrame
    links: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    context: gpd.GeoDataFrame
    facts: list[Fact] = field(default_factory=list)
    #: The data layers' points (:data:`LAYER_POINT_COLUMNS`) and their counts
    #: (:data:`LAYER_COUNT_COLUMNS`); ``None`` in models made before data layers.
    layer_points: gpd.GeoDataFrame | None = None
    layer_counts: pd.DataFrame | None = None
    #: The plan the model was joined from (:func:`~maplayout.model.build_model` sets it), so
    #: :func:`maplayout.publish.build` can draw the plan's other maps; ``None`` for a model
    #: made by hand. Not part of the model's equality.
    plan: Plan | None = field(default=None, compare=False, repr=False)

    def check(self) -> None:
        """Raise ``ValueError`` if a frame lacks a contract column or is not EPSG:4326."""
        for name, cols in (
            ("units", UNIT_COLUMNS),
            ("groups", GROUP_COLUMNS),
            ("links", LINK_COLUMNS),
            ("sites", SITE_COLUMNS),
            ("context", CONTEXT_COLUMNS),
        ):
            frame = getattr(self, name)
            missing = [c for c in cols if c not in frame.columns]
            if missing:
                raise ValueError(f"model.{name} lacks columns {missing}")
            if frame.crs is None or frame.crs.to_epsg() != 4326:
                raise ValueError(f"model.{name} must be in EPSG:4326, not {frame.crs}")
        if self.layer_counts is not None:
            missing = [c for c in LAYER_COUNT_COLUMNS if c not in self.layer_counts.columns]
            if missing:
                raise ValueError(f"model.layer_counts lacks columns {missing}")
        if self.layer_points is not None:
            missing = [c for c in LAYER_POINT_COLUMNS if c not in self.layer_points.columns]
            if missing:
                raise ValueError(f"model.layer_points lacks columns {missing}")

    # The notebook-ecosystem methods delegate to maplayout.interop, an adapter on top of the
    # model (as GeoDataFrame.explore delegates to geopandas.explore): imported on first call,
    # so the model never loads folium, a renderer or a GIS writer until asked.

    def explore(
        self, m: Any = None, *, basemap: str = "none", lang: str = "zh-Hans", **kwargs: Any
    ) -> Any:
        """This layout as a ``folium.Map``: see :func:`maplayout.interop.explore`."""
        from maplayout.interop.explore import explore

        return explore(self, m, basemap=basemap, lang=lang, **kwargs)

    def to_file(self, path: Any, **kwargs: Any) -> Any:
        """Every layer to a GIS file: see :func:`maplayout.interop.to_file`."""
        from maplayout.interop.export import to_file

        return to_file(self, path, **kwargs)

    def _repr_html_(self) -> str:
        from maplayout.interop.display import model_html

        return model_html(self)

    def __repr__(self) -> str:
        from maplayout.interop.display import model_repr

        return model_repr(self)
