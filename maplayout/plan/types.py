"""The typed, frozen objects a validated plan is made of, and the format's built-in presets.

Private module; the public names are re-exported by :mod:`maplayout.plan`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from maplayout.errors import PlanProblem
from maplayout.plan.fields import EMPTY_TEXT, Text

__all__ = [
    "CONFIDENCES",
    "DEFAULT_ROLES",
    "DEFAULT_SITE_KINDS",
    "DIRECTIONS",
    "FACT_KINDS",
    "PRECISIONS",
    "UNASSIGNED_STYLE",
    "Fact",
    "Formula",
    "Group",
    "Link",
    "Plan",
    "Role",
    "Site",
    "SiteKind",
    "Source",
    "Style",
    "Text",
    "UnitRole",
]

DIRECTIONS: tuple[str, ...] = ("forward", "backward", "both", "none")
PRECISIONS: tuple[str, ...] = ("surveyed", "approximate", "placeholder")
CONFIDENCES: tuple[str, ...] = ("very-low", "low", "medium-low", "medium", "high")
FACT_KINDS: tuple[str, ...] = ("designation", "cluster", "platform", "figure", "target", "policy")


@dataclass(frozen=True)
class Style:
    """Drawing style of a role (planning symbology: fill for areas, stroke for lines)."""

    fill: str = "#f0f0f0"
    stroke: str = "#9e9e9e"
    fill_opacity: float = 0.35
    weight: float = 1.0
    dash: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "fill": self.fill,
            "stroke": self.stroke,
            "fill_opacity": self.fill_opacity,
            "weight": self.weight,
            "dash": self.dash,
        }


#: Style of units the plan gives no role.
UNASSIGNED_STYLE = Style("#f2f2f0", "#a0a0a0", 0.35, 0.8, "")
#: Style of a plain grouping (a group without role): a dashed outline, no fill.
GROUPING_STYLE = Style("#ffffff", "#555555", 0.0, 2.0, "8 4")


@dataclass(frozen=True)
class Role:
    """A role units, groups or links can play (core, corridor, node …)."""

    id: str
    label: Text
    style: Style
    description: Text = EMPTY_TEXT
    source_refs: tuple[str, ...] = ()


def _t(zh: str, en: str) -> Text:
    from maplayout.names import to_hant

    return Text(zh, to_hant(zh), en)


#: Roles every plan may use without declaring them; a plan's ``roles:`` overrides or adds.
DEFAULT_ROLES: dict[str, tuple[Text, Style]] = {
    "core": (_t("核心", "Core"), Style("#d7301f", "#7f0000", 0.60, 2.5, "")),
    "sub-centre": (_t("副中心", "Sub-centre"), Style("#fc8d59", "#b30000", 0.50, 2.0, "")),
    "corridor": (_t("走廊", "Corridor"), Style("#fdae61", "#e66101", 0.50, 4.0, "")),
    "band": (_t("发展带", "Development band"), Style("#fee0b6", "#b35806", 0.40, 5.0, "10 6")),
    "axis": (_t("发展轴", "Development axis"), Style("#fee0b6", "#8c510a", 0.40, 3.0, "2 5")),
    "node": (_t("节点", "Node"), Style("#1b9e77", "#1b7f5f", 0.12, 2.0, "6 4")),
    "zone": (_t("功能区", "Zone"), Style("#66c2a5", "#238b45", 0.25, 1.5, "4 3")),
}


@dataclass(frozen=True)
class SiteKind:
    """A kind of named site (innovation base, data centre …) with its legend label and colour."""

    id: str
    label: Text
    color: str


#: Site kinds every plan may use; a plan's ``site_kinds:`` overrides or adds.
DEFAULT_SITE_KINDS: dict[str, tuple[Text, str]] = {
    "innovation-base": (_t("创新基地", "Innovation base"), "#b2182b"),
    "science-city": (_t("科学城", "Science city"), "#762a83"),
    "ftz": (_t("自由贸易试验区", "Pilot free-trade zone"), "#2166ac"),
    "industrial-park": (_t("产业园区", "Industrial park"), "#e08214"),
    "development-zone": (_t("开发区", "Development zone"), "#8c510a"),
    "data-centre": (_t("数据中心", "Data centre"), "#35978f"),
    "laboratory": (_t("实验室", "Laboratory"), "#5e3c99"),
    "computing-centre": (_t("计算中心", "Computing centre"), "#01665e"),
    "other": (_t("其他", "Other"), "#4d4d4d"),
}


@dataclass(frozen=True)
class Source:
    """The publication a plan transcribes."""

    publication: Text
    title: Text
    author: Text
    date: str
    url: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Formula:
    """The layout formula as the source names it, its aliases and framing."""

    text: Text
    aliases: tuple[Text, ...] = ()
    framing: Text = EMPTY_TEXT
    source_refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitRole:
    """A role given to one admin unit (``place`` as written; ``adcode`` once resolved)."""

    place: str
    adcode: str
    level: str
    role: str
    label: Text
    description: Text
    source_refs: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """A named set of units drawn as one outline: ``members`` and/or a regional ``block``."""

    id: str
    label: Text
    role: str
    members: tuple[str, ...]
    member_adcodes: tuple[str, ...]
    block: str
    county_exceptions: bool
    description: Text
    source_refs: tuple[str, ...]


@dataclass(frozen=True)
class Link:
    """A corridor, band or axis running through ``stops`` (at least two places, in order)."""

    id: str
    role: str
    label: Text
    stops: tuple[str, ...]
    stop_adcodes: tuple[str, ...]
    direction: str
    description: Text
    source_refs: tuple[str, ...]


@dataclass(frozen=True)
class Site:
    """A named point; ``lon``/``lat`` are WGS-84 (converted from ``datum`` if needed)."""

    id: str
    name: Text
    kind: str
    host: str
    host_adcode: str
    lon: float
    lat: float
    datum: str
    given_lon: float
    given_lat: float
    precision: str
    radius_m: float
    confidence: str
    identity_uncertain: bool
    precision_note: Text
    location_source: Text
    description: Text
    source_refs: tuple[str, ...]


@dataclass(frozen=True)
class Fact:
    """A non-spatial statement: designation, cluster, platform, figure, target or policy."""

    id: str
    kind: str
    label: Text
    description: Text
    value: str | float | None
    unit: Text
    year: int | None
    tier: Text
    hosts: tuple[str, ...]
    host_adcodes: tuple[str, ...]
    parent: str
    source_refs: tuple[str, ...]
    #: How renderers show the figure in each language, instead of ``value`` + ``unit``
    #: (``152亿元`` / ``15.2 billion yuan``); empty when the plan gives none.
    display: Text = EMPTY_TEXT

    def as_dict(self) -> dict[str, object]:
        """The ``LayoutModel.facts`` entry for this fact (JSON-serialisable).

        ``display`` is ``{"zh-Hans": …, "zh-Hant": …, "en": …}`` or ``None`` when the plan
        gives no display text (renderers then show ``value`` and ``unit``).
        """
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label.as_dict(),
            "description": self.description.as_dict(),
            "value": self.value,
            "unit": self.unit.as_dict(),
            "year": self.year,
            "tier": self.tier.as_dict(),
            "hosts": list(self.host_adcodes),
            "parent": self.parent,
            "source_refs": list(self.source_refs),
            "display": self.display.as_dict() if self.display else None,
        }


@dataclass(frozen=True)
class Plan:
    """A validated layout plan. Build it with :func:`maplayout.plan.load_plan`."""

    id: str
    path: str
    region: str
    region_adcode: str
    title: Text
    subtitle: Text
    source: Source
    review_number: str
    formula: Formula
    roles: tuple[Role, ...]
    site_kinds: tuple[SiteKind, ...]
    units: tuple[UnitRole, ...]
    groups: tuple[Group, ...]
    links: tuple[Link, ...]
    sites: tuple[Site, ...]
    facts: tuple[Fact, ...]
    notes: tuple[str, ...] = field(default=())
    region_name: str = ""  # the region's resolved name (湖南省), whatever ``region`` says
    #: Warnings found while loading (``PlanProblem`` with ``severity="warning"``), file order.
    warnings: tuple[PlanProblem, ...] = field(default=(), compare=False)

    def role(self, role_id: str) -> Role:
        """The role with id ``role_id`` (``KeyError`` if none)."""
        for r in self.roles:
            if r.id == role_id:
                return r
        raise KeyError(role_id)

    def site_kind(self, kind_id: str) -> SiteKind:
        """The site kind with id ``kind_id`` (``KeyError`` if none)."""
        for k in self.site_kinds:
            if k.id == kind_id:
                return k
        raise KeyError(kind_id)

    def summary(self) -> str:
        """A few lines describing the plan (printed by ``maplayout validate``)."""
        by_kind: dict[str, int] = {}
        for f in self.facts:
            by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
        role_counts: dict[str, int] = {}
        for u in self.units:
            role_counts[u.role] = role_counts.get(u.role, 0) + 1
        roles = ", ".join(f"{k} {v}" for k, v in role_counts.items()) or "none"
        facts = ", ".join(f"{k} {v}" for k, v in sorted(by_kind.items())) or "none"
        uncertain = sum(1 for s in self.sites if s.precision != "surveyed")
        src = self.source
        cited = ", ".join(
            x
            for x in (
                f"{src.publication.zh_hans} {src.date}".strip(),
                src.author.zh_hans,
                f"paragraphs {', '.join(src.paragraphs)}" if src.paragraphs else "",
            )
            if x
        )
        lines = [
            f"plan {self.id}: {self.title.zh_hans} / {self.title.en}",
            f"  file: {self.path}",
            f"  source: {cited or 'none given'}",
        ]
        if self.formula.text.zh_hans:
            aliases = ", ".join(a.zh_hans for a in self.formula.aliases)
            lines.append(
                f"  formula: {self.formula.text.zh_hans}"
                + (f" (also: {aliases})" if aliases else "")
            )
        lines += [
            f"  region: {self.region_name or self.region} ({self.region_adcode})"
            + (f", review number {self.review_number}" if self.review_number else ""),
            f"  units: {len(self.units)} ({roles}); groups: {len(self.groups)}; "
            f"links: {len(self.links)}",
            f"  sites: {len(self.sites)} ({uncertain} not surveyed); facts: {len(self.facts)} "
            f"({facts})",
            "  valid" + (f", {_count(len(self.warnings), 'warning')}" if self.warnings else ""),
        ]
        return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    """``1 warning``, ``2 warnings``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
