"""The plan stage: read a layout plan (YAML), validate it, and build typed frozen objects.

A plan says, for one region, which admin units play which role (core, corridor, node …),
which groups of units are drawn as outlines, which corridors or bands link places, where the
named sites are (with their datum and precision) and which facts (designations, clusters,
platforms, figures) the source states. The format is documented in ``docs/plan-format.md``
and described for editors by ``geodata/layouts/schema.json``.

Public functions
----------------
:func:`load_plan` (a path, default: the embedded Hunan AI plan), :func:`load_plan_text`
(YAML text or an already-parsed mapping, for notebooks) and :func:`validate_plan`. Problems
are :class:`~maplayout.errors.PlanProblem` values naming file, line, field path, bad value,
what was expected and the closest valid choices; :func:`load_plan` raises
:class:`~maplayout.errors.PlanError` carrying *all* of them.

Examples
--------
>>> from maplayout.plan import load_plan
>>> plan = load_plan()                       # doctest: +SKIP
>>> [u.place for u in plan.units]            # doctest: +SKIP
['长沙', '株洲', '湘潭']
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from maplayout._safeio import InputFileError, read_limited
from maplayout.errors import PlanError, PlanProblem
from maplayout.plan.fields import EMPTY_TEXT, Checker, Text, short_repr
from maplayout.plan.places import PlaceResolver
from maplayout.plan.sections import (
    _facts,
    _groups,
    _links,
    _refs,
    _sites,
    _units,
)
from maplayout.plan.types import (
    DEFAULT_ROLES,
    DEFAULT_SITE_KINDS,
    Fact,
    Formula,
    Group,
    Link,
    Plan,
    Role,
    Site,
    SiteKind,
    Source,
    Style,
    UnitRole,
)
from maplayout.plan.yamlread import MAX_FILE_BYTES, decode_plan_bytes, parse_yaml

__all__ = [
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
    "check_plan",
    "load_plan",
    "load_plan_text",
    "validate_plan",
]

PlanSource = str | Path | None

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


def _reserved(plan_id: str) -> bool:
    return plan_id.replace("_", "-") in RESERVED_IDS


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
    "designations",
    "clusters",
    "platforms",
    "figures",
    "policies",
)
_REQUIRED_TOP = ("id", "region", "title", "source")
_SOURCE_KEYS = ("publication", "title", "author", "date", "url", "paragraphs")
_FORMULA_KEYS = ("text", "aliases", "framing", "source")
_ROLE_KEYS = ("label", "style", "description", "source")
_STYLE_KEYS = ("fill", "stroke", "fill_opacity", "weight", "dash")
#: Fact sections and the fact kind of their items.
FACT_SECTIONS = {
    "designations": "designation",
    "clusters": "cluster",
    "platforms": "platform",
    "figures": "figure",
    "policies": "policy",
}


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------
def validate_plan(path: PlanSource = None) -> list[PlanProblem]:
    """Every problem of the plan at ``path`` (default: the embedded plan), in file order.

    Errors and warnings both (``p.severity``; ``p.is_error``): the plan is valid when no
    problem is an error. ``[]`` for a clean plan.
    """
    _, problems = _load(path)
    return problems


def check_plan(path: PlanSource = None) -> tuple[Plan | None, list[PlanProblem]]:
    """``(plan, problems)`` in one pass: the plan is ``None`` when any problem is an error.

    For callers that want both the plan and its warnings without reading the file twice
    (``maplayout validate``).
    """
    return _load(path)


def load_plan(path: PlanSource = None) -> Plan:
    """Load and validate a plan file.

    Parameters
    ----------
    path
        A YAML plan file; ``None`` for the embedded default plan
        (:func:`maplayout._paths.default_plan_path`).

    Returns
    -------
    Plan
        The plan; its warnings (markup-looking text …) are in ``plan.warnings``.

    Raises
    ------
    PlanError
        With every error found (``err.problems``), each naming file, line and field, and the
        warnings in ``err.warnings``.
    """
    plan, problems = _load(path)
    if plan is None:
        raise PlanError(problems)
    return plan


def load_plan_text(text: str | Mapping[str, Any], name: str = "<string>") -> Plan:
    """Load a plan from YAML text or from an already-parsed mapping (notebooks, tests).

    Line numbers are reported for text; a mapping has none, so problems name the field path.
    """
    if isinstance(text, Mapping):
        chk = Checker(name, {})
        plan = _build(dict(text), chk, name)
    else:
        parsed = parse_yaml(text, name)
        chk = Checker(name, parsed.lines)
        chk.problems.extend(parsed.problems)
        plan = None if parsed.problems else _build(parsed.data, chk, name)
    problems = _in_file_order(chk.problems)
    if chk.has_errors or plan is None:
        raise PlanError(problems)
    return _with_warnings(plan, problems)


# --------------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------------
def _load(path: PlanSource) -> tuple[Plan | None, list[PlanProblem]]:
    from maplayout._paths import default_plan_path

    p = Path(path) if path is not None else default_plan_path()
    name = str(path) if path is not None else str(p)
    try:  # at most the limit + 1 bytes, regular files only (not /dev/zero, a FIFO, a folder)
        raw = read_limited(p, MAX_FILE_BYTES, "plan file")
    except InputFileError as err:
        if err.kind == "missing":
            return None, [PlanProblem(name, "", err.reason, expected="a YAML plan file")]
        if err.kind == "too large":
            expected = f"a plan of at most {MAX_FILE_BYTES} bytes"
            return None, [PlanProblem(name, "", err.short, expected=expected)]
        return None, [PlanProblem(name, "", err.reason)]
    plan, problems = _load_bytes(raw, name)
    return plan, list(problems)


@lru_cache(maxsize=8)
def _load_bytes(raw: bytes, name: str) -> tuple[Plan | None, tuple[PlanProblem, ...]]:
    """Decode, parse and check one plan file's bytes. Cached: ``maplayout build`` checks the
    plan, then builds from it; a plan is immutable and the shipped geodata fixed in-process."""
    plan, problems = _decode_and_build(raw, name)
    return plan, tuple(problems)


def _decode_and_build(raw: bytes, name: str) -> tuple[Plan | None, list[PlanProblem]]:
    text, problems = decode_plan_bytes(raw, name)
    if text is None:
        return None, problems
    parsed = parse_yaml(text, name)
    if parsed.problems and parsed.data is None:
        return None, parsed.problems
    chk = Checker(name, parsed.lines)
    chk.problems.extend(parsed.problems)
    plan = _build(parsed.data, chk, name)
    problems = _in_file_order(chk.problems)
    if chk.has_errors or plan is None:
        return None, problems
    return _with_warnings(plan, problems), problems


def _with_warnings(plan: Plan, problems: list[PlanProblem]) -> Plan:
    warnings = tuple(p for p in problems if not p.is_error)
    return dataclasses.replace(plan, warnings=warnings) if warnings else plan


def _in_file_order(problems: list[PlanProblem]) -> list[PlanProblem]:
    """Problems sorted by line (file-level ones first), stable within a line."""
    return sorted(problems, key=lambda p: p.line or 0)


def _build(data: Any, chk: Checker, name: str) -> Plan | None:
    if data is None or data == {}:
        chk.error(
            "",
            "plan is empty",
            expected="a mapping with at least " + ", ".join(_REQUIRED_TOP),
        )
        return None
    top = chk.mapping(data, "", TOP_KEYS, required=_REQUIRED_TOP)
    if top is None:
        return None
    if "format" in top and top["format"] != FORMAT:
        chk.error(
            "format",
            f"unsupported format {short_repr(top['format'])}",
            value=top["format"],
            expected=repr(FORMAT),
        )
    plan_id = chk.ident(top.get("id"), "id") if "id" in top else None
    if plan_id is not None and _reserved(plan_id):
        chk.error(
            "id",
            f"id {plan_id!r} is reserved: the build's own files use that name",
            value=plan_id,
            expected="an id other than " + ", ".join(RESERVED_IDS),
        )
        plan_id = None
    title = chk.text(top.get("title"), "title") if "title" in top else None
    subtitle = chk.text(top.get("subtitle"), "subtitle", required=False)
    source, paras = _source(top.get("source"), chk) if "source" in top else (None, None)
    review: str | None = ""
    if top.get("review_number") is not None:
        review = chk.string(top["review_number"], "review_number", allow_empty=True, max_len=64)
    formula = _formula(top.get("formula"), chk, paras) if "formula" in top else Formula(EMPTY_TEXT)

    resolver = PlaceResolver(chk)
    region = None
    if "region" in top:
        region = resolver.resolve(top["region"], "region", levels=("province",))
    roles = _roles(top.get("roles"), chk, paras)
    role_ids = tuple(r.id for r in roles)
    kinds = _site_kinds(top.get("site_kinds"), chk)
    kind_ids = tuple(k.id for k in kinds)
    ids: dict[str, str] = {}
    units = _units(top.get("units"), chk, paras, role_ids, resolver, region)
    groups = _groups(top.get("groups"), chk, paras, role_ids, resolver, region, ids)
    links = _links(top.get("links"), chk, paras, role_ids, resolver, region, ids)
    sites = _sites(top.get("sites"), chk, paras, kind_ids, resolver, region, ids)
    facts: list[Fact] = []
    for section, kind in FACT_SECTIONS.items():
        facts.extend(_facts(top.get(section), section, kind, chk, paras, resolver, region, ids))
    if (
        chk.has_errors
        or plan_id is None
        or title is None
        or source is None
        or region is None
        or review is None
    ):
        return None
    return Plan(
        id=plan_id,
        path=name,
        region=str(top["region"]),
        region_adcode=region.adcode,
        title=title,
        subtitle=subtitle or EMPTY_TEXT,
        source=source,
        review_number=review or "",
        formula=formula or Formula(EMPTY_TEXT),
        roles=roles,
        site_kinds=kinds,
        units=tuple(units),
        groups=tuple(groups),
        links=tuple(links),
        sites=tuple(sites),
        facts=tuple(facts),
        region_name=region.name_zh_hans,
    )


# --------------------------------------------------------------------------------------------
# sections
# --------------------------------------------------------------------------------------------
def _source(value: Any, chk: Checker) -> tuple[Source | None, tuple[str, ...] | None]:
    """The source, and its paragraph ids (usable to check references even if the rest fails)."""
    d = chk.mapping(value, "source", _SOURCE_KEYS, required=("publication", "date", "paragraphs"))
    if d is None:
        return None, None
    pub = chk.text(d.get("publication"), "source.publication") if "publication" in d else None
    title = chk.text(d.get("title"), "source.title", required=False)
    author = chk.text(d.get("author"), "source.author", required=False)
    url = chk.string(d.get("url", ""), "source.url", allow_empty=True) if "url" in d else ""
    date = None
    if "date" in d:
        raw = d["date"]
        if isinstance(raw, _dt.date) and not isinstance(raw, _dt.datetime):
            date = raw.isoformat()
        elif isinstance(raw, str):
            try:
                date = _dt.date.fromisoformat(raw).isoformat()
            except ValueError:
                chk.error("source.date", f"bad date {raw!r}", value=raw, expected="YYYY-MM-DD")
        else:
            chk.wrong_type("source.date", raw, "a date YYYY-MM-DD")
    paras: tuple[str, ...] | None = None
    if "paragraphs" in d:
        items = chk.sequence(d["paragraphs"], "source.paragraphs", allow_empty=False)
        if items is not None:
            refs = chk.source_refs(items, "source.paragraphs", None)
            if refs is not None:
                dup = sorted({p for p in refs if refs.count(p) > 1})
                if dup:
                    chk.error(
                        "source.paragraphs",
                        f"paragraph listed twice: {dup[0]!r}",
                        value=dup[0],
                        expected="each paragraph id once",
                    )
                else:
                    paras = refs
    if None in (pub, title, author, url, date, paras):
        return None, paras
    return Source(pub, title, author, date, url, paras), paras  # type: ignore[arg-type]


def _formula(value: Any, chk: Checker, paras: Any) -> Formula | None:
    d = chk.mapping(value, "formula", _FORMULA_KEYS, required=("text",))
    if d is None:
        return None
    text = chk.text(d.get("text"), "formula.text") if "text" in d else None
    aliases: list[Text] = []
    items = chk.sequence(d.get("aliases", []), "formula.aliases")
    for i, item in enumerate(items or []):
        t = chk.text(item, f"formula.aliases[{i}]")
        if t is not None:
            aliases.append(t)
    framing = chk.text(d.get("framing"), "formula.framing", required=False)
    refs = _refs(d, "formula", chk, paras)
    if text is None or refs is None or framing is None:
        return None
    return Formula(text, tuple(aliases), framing, refs)


def _style(value: Any, path: str, base: Style, chk: Checker) -> Style:
    d = chk.mapping(value, path, _STYLE_KEYS)
    if d is None:
        return base
    out = base.as_dict()
    for key in ("fill", "stroke"):
        if key in d:
            c = chk.colour(d[key], f"{path}.{key}")
            if c is not None:
                out[key] = c
    if "fill_opacity" in d:
        v = chk.number(d["fill_opacity"], f"{path}.fill_opacity", lo=0.0, hi=1.0)
        if v is not None:
            out["fill_opacity"] = float(v)
    if "weight" in d:
        v = chk.number(d["weight"], f"{path}.weight", lo=0.0, hi=20.0)
        if v is not None:
            out["weight"] = float(v)
    if "dash" in d:
        s = chk.string(d["dash"], f"{path}.dash", allow_empty=True, max_len=32)
        if s is not None and s and not all(p.replace(".", "", 1).isdigit() for p in s.split()):
            chk.error(
                f"{path}.dash",
                f"bad dash pattern {s!r}",
                value=s,
                expected="numbers separated by spaces, such as '6 4', or ''",
            )
        elif s is not None:
            out["dash"] = s
    return Style(**out)  # type: ignore[arg-type]


def _roles(value: Any, chk: Checker, paras: Any) -> tuple[Role, ...]:
    declared: dict[str, Role] = {}
    if value is not None:
        d = chk.mapping(value, "roles", _role_key_universe(value))
        for rid, spec in (d or {}).items():
            path = f"roles.{rid}"
            if chk.ident(rid, path) is None:
                continue
            label0, style0 = DEFAULT_ROLES.get(rid, (EMPTY_TEXT, Style()))
            r = chk.mapping(
                spec, path, _ROLE_KEYS, required=() if rid in DEFAULT_ROLES else ("label",)
            )
            if r is None:
                continue
            label = chk.text(r["label"], f"{path}.label") if "label" in r else label0
            style = _style(r["style"], f"{path}.style", style0, chk) if "style" in r else style0
            desc = chk.text(r.get("description"), f"{path}.description", required=False)
            refs = chk.source_refs(r["source"], f"{path}.source", paras) if "source" in r else ()
            if label is not None and desc is not None and refs is not None:
                declared[rid] = Role(rid, label, style, desc, refs)
    out = list(declared.values())
    out += [Role(k, lab, sty) for k, (lab, sty) in DEFAULT_ROLES.items() if k not in declared]
    return tuple(out)


def _role_key_universe(value: Any) -> tuple[str, ...]:
    # Any id is a valid role key (checked by chk.ident); this only satisfies chk.mapping.
    return tuple(str(k) for k in value) if isinstance(value, dict) else ()


def _site_kinds(value: Any, chk: Checker) -> tuple[SiteKind, ...]:
    declared: dict[str, SiteKind] = {}
    if value is not None:
        d = chk.mapping(value, "site_kinds", _role_key_universe(value))
        for kid, spec in (d or {}).items():
            path = f"site_kinds.{kid}"
            if chk.ident(kid, path) is None:
                continue
            label0, color0 = DEFAULT_SITE_KINDS.get(kid, (EMPTY_TEXT, "#4d4d4d"))
            r = chk.mapping(spec, path, ("label", "color"))
            if r is None:
                continue
            label = chk.text(r["label"], f"{path}.label") if "label" in r else label0
            color = chk.colour(r["color"], f"{path}.color") if "color" in r else color0
            if not label:
                chk.error(path, "missing required key 'label'", expected="label: {zh-Hans, en}")
            elif color is not None:
                declared[kid] = SiteKind(kid, label, color)
    out = list(declared.values())
    out += [SiteKind(k, lab, c) for k, (lab, c) in DEFAULT_SITE_KINDS.items() if k not in declared]
    return tuple(out)
