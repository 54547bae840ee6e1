"""The top level of a plan: its keys, format and reserved ids, and :func:`build_plan`."""

from __future__ import annotations

from typing import Any, NamedTuple

from maplayout.plan.fields import Checker, short_repr
from maplayout.plan.resolver import PlaceResolver
from maplayout.plan.sections import (
    SectionContext,
    read_facts,
    read_formula,
    read_groups,
    read_layers,
    read_links,
    read_roles,
    read_site_kinds,
    read_sites,
    read_source,
    read_units,
    read_view,
)
from maplayout.plan.types import EMPTY_TEXT, Formula, Plan, Role, SiteKind, Source, Text

#: Current format version (``format: maplayout/1``; the key is optional).
FORMAT = "maplayout/1"
#: Plan ids that would name the build's own files (``index.html``, ``build-manifest.json``)
#: or read as one of the embed kit's suffixes (``<id>.table.csv`` …); ``_`` counts as ``-``.
RESERVED_IDS = (
    "index",
    "build-manifest",
    "alt",
    "caption",
    "embed",
    "figure",
    "iframe",
    "table",
    "thumb",
)
TOP_KEYS = (
    "format",
    "id",
    "region",
    "title",
    "subtitle",
    "source",
    "review_number",
    "formula",
    "roles",
    "site_kinds",
    "units",
    "groups",
    "links",
    "sites",
    "layers",
    "designations",
    "clusters",
    "platforms",
    "figures",
    "policies",
    "view",
)
REQUIRED_TOP = ("id", "region", "title", "source")
#: Fact sections and the fact kind of their items.
FACT_SECTIONS = {
    "designations": "designation",
    "clusters": "cluster",
    "platforms": "platform",
    "figures": "figure",
    "policies": "policy",
}


class _Header(NamedTuple):
    """The plan's own fields (``None`` where one failed)."""

    plan_id: str | None
    title: Text | None
    subtitle: Text | None
    source: Source | None
    paragraphs: tuple[str, ...] | None
    review_number: str | None
    formula: Formula | None


def build_plan(data: Any, checker: Checker, name: str) -> Plan | None:
    """The plan in ``data`` (parsed YAML), or ``None``; every problem goes to ``checker``."""
    if data is None or data == {}:
        expected = "a mapping with at least " + ", ".join(REQUIRED_TOP)
        checker.error("", "plan is empty", expected=expected)
        return None
    top = checker.mapping(data, "", TOP_KEYS, required=REQUIRED_TOP)
    if top is None:
        return None
    header = _read_header(top, checker)
    ctx, roles, kinds = _section_context(top, checker, header.paragraphs)
    region = ctx.region
    units = read_units(top.get("units"), ctx)
    groups = read_groups(top.get("groups"), ctx)
    links = read_links(top.get("links"), ctx)
    sites = read_sites(top.get("sites"), ctx)
    layers = read_layers(top.get("layers"), ctx)
    view = read_view(top.get("view"), ctx)
    facts = [
        fact
        for section, kind in FACT_SECTIONS.items()
        for fact in read_facts(top.get(section), section, kind, ctx)
    ]
    if (
        checker.has_errors
        or header.plan_id is None
        or header.title is None
        or header.source is None
        or region is None
        or header.review_number is None
        or view is None
    ):
        return None
    return Plan(
        id=header.plan_id,
        path=name,
        region=_region_text(top["region"]),
        region_adcode=region.adcode,
        region_adcodes=region.adcodes,
        region_level=region.level,
        levels=view.levels or region.view_levels,
        extent=view.extent,
        extent_adcodes=view.extent_adcodes,
        title=header.title,
        subtitle=header.subtitle or EMPTY_TEXT,
        source=header.source,
        review_number=header.review_number or "",
        formula=header.formula or Formula(EMPTY_TEXT),
        roles=roles,
        site_kinds=kinds,
        units=tuple(units),
        groups=tuple(groups),
        links=tuple(links),
        sites=tuple(sites),
        facts=tuple(facts),
        region_name=region.name_zh_hans,
        layers=tuple(layers),
    )


def _section_context(
    top: dict[str, Any], checker: Checker, paragraphs: tuple[str, ...] | None
) -> tuple[SectionContext, tuple[Role, ...], tuple[SiteKind, ...]]:
    """The region, roles and site kinds, and the context of the sections that name places."""
    resolver = PlaceResolver(checker)
    region = None
    if "region" in top:
        region = resolver.region(top["region"])
    roles = read_roles(top.get("roles"), checker, paragraphs)
    kinds = read_site_kinds(top.get("site_kinds"), checker)
    ctx = SectionContext(
        checker=checker,
        paragraphs=paragraphs,
        resolver=resolver,
        region=region,
        role_ids=tuple(role.id for role in roles),
        kind_ids=tuple(kind.id for kind in kinds),
    )
    return ctx, roles, kinds


def _region_text(value: Any) -> str:
    """``region`` as written: ``湖南``, or ``成都市, 重庆市`` for a list."""
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _read_header(top: dict[str, Any], checker: Checker) -> _Header:
    """``format``, ``id``, ``title``, ``subtitle``, ``source``, ``review_number``, ``formula``."""
    if "format" in top and top["format"] != FORMAT:
        checker.error(
            "format",
            f"unsupported format {short_repr(top['format'])}",
            value=top["format"],
            expected=repr(FORMAT),
        )
    plan_id = checker.ident(top.get("id"), "id") if "id" in top else None
    if plan_id is not None and plan_id.replace("_", "-") in RESERVED_IDS:
        checker.error(
            "id",
            f"id {plan_id!r} is reserved: the build's own files use that name",
            value=plan_id,
            expected="an id other than " + ", ".join(RESERVED_IDS),
        )
        plan_id = None
    title = checker.text(top.get("title"), "title") if "title" in top else None
    subtitle = checker.text(top.get("subtitle"), "subtitle", required=False)
    source, paras = read_source(top.get("source"), checker) if "source" in top else (None, None)
    review: str | None = ""
    if top.get("review_number") is not None:
        review = checker.string(top["review_number"], "review_number", allow_empty=True, max_len=64)
    formula: Formula | None = Formula(EMPTY_TEXT)
    if "formula" in top:
        formula = read_formula(top.get("formula"), checker, paras)
    return _Header(plan_id, title, subtitle, source, paras, review, formula)
