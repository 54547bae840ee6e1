"""The typed, frozen values a validated plan is made of: :class:`Text` and the plan's parts.

The public names are re-exported by :mod:`maplayout.plan`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from maplayout.errors import PlanProblem

#: The languages of a :class:`Text`, in the order of its fields (plans write these keys).
TEXT_KEYS: tuple[str, ...] = ("zh-Hans", "zh-Hant", "en")

DIRECTIONS: tuple[str, ...] = ("forward", "backward", "both", "none")
PRECISIONS: tuple[str, ...] = ("surveyed", "approximate", "placeholder")
CONFIDENCES: tuple[str, ...] = ("very-low", "low", "medium-low", "medium", "high")
FACT_KINDS: tuple[str, ...] = ("designation", "cluster", "platform", "figure", "target", "policy")
#: Kinds of source a plan transcribes (``source.type``): the fixed phrases of the maps that
#: name the source (「文章要点」, "Key facts from the plan") follow it.
SOURCE_TYPES: tuple[str, ...] = ("article", "plan", "policy", "other")

#: A unit's, group's or link's own ``style`` keys over its role's: ``(("stroke", "#c00"), …)``.
StyleOver = tuple[tuple[str, object], ...]


@dataclass(frozen=True)
class Text:
    """A text in the three languages; ``Text.get(lang)``, ``Text.as_dict()``."""

    zh_hans: str = ""
    zh_hant: str = ""
    en: str = ""

    def get(self, lang: str) -> str:
        """Text in ``lang`` (``zh-Hans`` / ``zh-Hant`` / ``en``)."""
        return (self.zh_hans, self.zh_hant, self.en)[TEXT_KEYS.index(lang)]

    def as_dict(self) -> dict[str, str]:
        """``{"zh-Hans": …, "zh-Hant": …, "en": …}``."""
        return {"zh-Hans": self.zh_hans, "zh-Hant": self.zh_hant, "en": self.en}

    def __bool__(self) -> bool:
        return bool(self.zh_hans or self.zh_hant or self.en)


#: The text of an optional field the plan leaves out.
EMPTY_TEXT = Text()


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


@dataclass(frozen=True)
class Role:
    """A role units, groups or links can play (core, corridor, node …)."""

    id: str
    label: Text
    style: Style
    description: Text = EMPTY_TEXT
    source_refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class SiteKind:
    """A kind of named site (innovation base, data centre …) with its legend label and colour."""

    id: str
    label: Text
    color: str


@dataclass(frozen=True)
class Source:
    """The publication a plan transcribes."""

    publication: Text
    title: Text
    author: Text
    date: str
    url: str
    paragraphs: tuple[str, ...]
    #: One of :data:`SOURCE_TYPES` (``article`` when the plan does not say).
    type: str = "article"


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
    style: StyleOver = ()
    #: What the plan reads into the source here (shown as 「解读」 / "Interpretation").
    interpretation: Text = EMPTY_TEXT


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
    style: StyleOver = ()
    interpretation: Text = EMPTY_TEXT


@dataclass(frozen=True)
class Link:
    """A corridor, band or axis running through ``stops`` (at least two places, in order).

    A ring (``closed``) ends where it starts: its last stop is its first.
    """

    id: str
    role: str
    label: Text
    stops: tuple[str, ...]
    stop_adcodes: tuple[str, ...]
    direction: str
    description: Text
    source_refs: tuple[str, ...]
    style: StyleOver = ()
    closed: bool = False
    interpretation: Text = EMPTY_TEXT


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
    interpretation: Text = EMPTY_TEXT


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
    #: What the plan reads into the source here (shown as 「解读」 / "Interpretation").
    interpretation: Text = EMPTY_TEXT

    def as_dict(self) -> dict[str, object]:
        """The ``LayoutModel.facts`` entry for this fact (JSON-serialisable).

        ``display`` is ``{"zh-Hans": …, "zh-Hant": …, "en": …}`` or ``None`` when the plan
        gives no display text (renderers then show ``value`` and ``unit``); ``interpretation``
        likewise (``None`` when the plan marks none).
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
            "interpretation": self.interpretation.as_dict() if self.interpretation else None,
        }


@dataclass(frozen=True)
class Layer:
    """A data layer: a table file of points next to the plan (``layers:`` in the plan).

    The spec fields come from the plan; ``points`` is the table read and checked
    (:mod:`maplayout.plan.layers`: one row per point, WGS-84), ``None`` until read.
    ``digest`` is the sha256 of the file's bytes (so two plans whose layer files differ
    compare unequal, while the frame itself stays out of comparisons and hashes), ``size``
    their number (both go into the build manifest's inputs).
    """

    id: str
    file: str
    label: Text
    datum: str
    lon: str  # column names; "" = guess from common names
    lat: str
    name: str
    category: str = ""
    weight: str = ""
    link: str = ""
    sheet: str = ""
    encoding: str = ""  # "" = detect (BOM, UTF-8, else GB18030)
    color: str = "#d6604d"
    radius: float = 3.0
    figure: str = "points"  # the print figure: "points" or "counts" (per unit)
    data_source: Text = EMPTY_TEXT
    data_url: str = ""
    data_date: str = ""
    line: int | None = field(default=None, compare=False)  # the plan line of the entry
    digest: str = ""
    size: int = field(default=0, compare=False)  # the file's bytes (with ``digest``)
    points: Any = field(default=None, compare=False, repr=False)


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
    #: Data layers (tables of points); their files are read when the plan is loaded from a file.
    layers: tuple[Layer, ...] = field(default=())
    #: Warnings found while loading (``PlanProblem`` with ``severity="warning"``), file order.
    warnings: tuple[PlanProblem, ...] = field(default=(), compare=False)
    #: Every unit of the region (``region_adcode`` is the first); ``("100000",)`` for China.
    region_adcodes: tuple[str, ...] = ()
    region_level: str = "province"  # "country", "province" or "prefecture" (a city)
    #: The unit level of each map, the layout map's first (``view.levels``, else the region's:
    #: country → province, prefecture; province → prefecture, county; city → county).
    levels: tuple[str, ...] = ("prefecture", "county")
    #: The maps' starting extent (``view.extent``): ``(w, s, e, n)``, WGS-84; ``None``: the region.
    extent: tuple[float, float, float, float] | None = None
    #: Places whose outlines frame the start (``view.extent`` given as places), adcodes.
    extent_adcodes: tuple[str, ...] = ()
    #: The plan's own zones (``boundaries:`` / ``boundaries=``, a ``geo.userunits.UserUnits``),
    #: ``None`` for the shipped units; compared through ``boundary_digest`` (file sha256).
    boundaries: Any = field(default=None, compare=False, repr=False)
    boundary_digest: str = ""
    #: Who made the own boundaries (``boundaries.attribution``), for the map's credit line.
    boundary_attribution: Text = EMPTY_TEXT

    def role(self, role_id: str) -> Role:
        """The role with id ``role_id`` (``KeyError`` if none)."""
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(role_id)

    def style_of(self, role_id: str, over: StyleOver = (), base: Style | None = None) -> Style:
        """The style an item draws with: its own ``style`` keys (``over``) over its role's
        (``base`` when it has no role)."""
        style = self.role(role_id).style if role_id else (base or Style())
        return replace(style, **dict(over)) if over else style  # type: ignore[arg-type]

    def site_kind(self, kind_id: str) -> SiteKind:
        """The site kind with id ``kind_id`` (``KeyError`` if none)."""
        for kind in self.site_kinds:
            if kind.id == kind_id:
                return kind
        raise KeyError(kind_id)

    def summary(self) -> str:
        """A few lines describing the plan (printed by ``maplayout validate``)."""
        by_kind: dict[str, int] = {}
        for fact in self.facts:
            by_kind[fact.kind] = by_kind.get(fact.kind, 0) + 1
        role_counts: dict[str, int] = {}
        for unit in self.units:
            role_counts[unit.role] = role_counts.get(unit.role, 0) + 1
        roles = ", ".join(f"{role} {count}" for role, count in role_counts.items()) or "none"
        facts = ", ".join(f"{kind} {count}" for kind, count in sorted(by_kind.items())) or "none"
        uncertain = sum(1 for site in self.sites if site.precision != "surveyed")
        src = self.source
        cited = ", ".join(
            part
            for part in (
                f"{src.publication.zh_hans} {src.date}".strip(),
                src.author.zh_hans,
                f"paragraphs {', '.join(src.paragraphs)}" if src.paragraphs else "",
            )
            if part
        )
        lines = [
            f"plan {self.id}: {self.title.zh_hans} / {self.title.en}",
            f"  file: {self.path}",
            f"  source: {cited or 'none given'}",
        ]
        if self.formula.text.zh_hans:
            aliases = ", ".join(alias.zh_hans for alias in self.formula.aliases)
            lines.append(
                f"  formula: {self.formula.text.zh_hans}"
                + (f" (also: {aliases})" if aliases else "")
            )
        codes = ", ".join(self.region_adcodes or (self.region_adcode,))
        lines += [
            f"  region: {self.region_name or self.region} ({codes})"
            + (f", review number {self.review_number}" if self.review_number else ""),
            f"  units: {len(self.units)} ({roles}); groups: {len(self.groups)}; "
            f"links: {len(self.links)}",
            f"  sites: {len(self.sites)} ({uncertain} not surveyed); facts: {len(self.facts)} "
            f"({facts})",
        ]
        if self.boundaries is not None:
            spec = self.boundaries.spec
            lines.append(
                f"  boundaries: {_count(len(self.boundaries.frame), 'zone')} from "
                f"{spec.file or 'a GeoDataFrame'} (datum {spec.datum})"
            )
        lines += [_layer_line(layer) for layer in self.layers]
        lines.append(
            "  valid" + (f", {_count(len(self.warnings), 'warning')}" if self.warnings else "")
        )
        return "\n".join(lines)


def _layer_line(layer: Layer) -> str:
    """``  layer companies: 人工智能企业, companies.csv, 20000 rows (GCJ-02)``."""
    rows = "not read" if layer.points is None else _count(len(layer.points), "row")
    return f"  layer {layer.id}: {layer.label.zh_hans}, {layer.file}, {rows} ({layer.datum})"


def _count(number: int, noun: str) -> str:
    """``1 warning``, ``2 warnings``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
