"""The sections that reference no place: ``source``, ``formula``, ``roles``, ``site_kinds``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from maplayout.plan.fields import Checker
from maplayout.plan.presets import DEFAULT_ROLES, DEFAULT_SITE_KINDS
from maplayout.plan.sections.context import Paras, complete, required_refs
from maplayout.plan.types import (
    EMPTY_TEXT,
    SOURCE_TYPES,
    Formula,
    Role,
    SiteKind,
    Source,
    Style,
    Text,
)

SOURCE_KEYS = ("type", "publication", "title", "author", "date", "url", "paragraphs")
FORMULA_KEYS = ("text", "aliases", "framing", "source")
ROLE_KEYS = ("label", "style", "description", "source")
STYLE_KEYS = ("fill", "stroke", "fill_opacity", "weight", "dash")

_T = TypeVar("_T")


def read_source(value: Any, checker: Checker) -> tuple[Source | None, Paras]:
    """The source, and its paragraph ids (usable to check references even if the rest fails)."""
    entry = checker.mapping(
        value, "source", SOURCE_KEYS, required=("publication", "date", "paragraphs")
    )
    if entry is None:
        return None, None
    publication = None
    if "publication" in entry:
        publication = checker.text(entry.get("publication"), "source.publication")
    title = checker.text(entry.get("title"), "source.title", required=False)
    author = checker.text(entry.get("author"), "source.author", required=False)
    url: str | None = ""
    if "url" in entry:
        url = checker.string(entry.get("url", ""), "source.url", allow_empty=True)
    kind = checker.choice(entry.get("type", "article"), "source.type", SOURCE_TYPES, "source type")
    date = _date(entry["date"], checker) if "date" in entry else None
    paras = _paragraphs(entry["paragraphs"], checker) if "paragraphs" in entry else None
    fields = complete(
        {
            "publication": publication,
            "title": title,
            "author": author,
            "url": url,
            "type": kind,
            "date": date,
            "paragraphs": paras,
        }
    )
    return (None if fields is None else Source(**fields)), paras


def _date(value: object, checker: Checker) -> str | None:
    """``source.date`` as ``YYYY-MM-DD`` (YAML dates are read as strings)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            checker.error("source.date", f"bad date {value!r}", value=value, expected="YYYY-MM-DD")
            return None
    checker.wrong_type("source.date", value, "a date YYYY-MM-DD")
    return None


def _paragraphs(value: object, checker: Checker) -> Paras:
    """``source.paragraphs``: a non-empty list of distinct paragraph ids."""
    items = checker.sequence(value, "source.paragraphs", allow_empty=False)
    if items is None:
        return None
    refs = checker.source_refs(items, "source.paragraphs", None)
    if refs is None:
        return None
    duplicates = sorted({ref for ref in refs if refs.count(ref) > 1})
    if duplicates:
        checker.error(
            "source.paragraphs",
            f"paragraph listed twice: {duplicates[0]!r}",
            value=duplicates[0],
            expected="each paragraph id once",
        )
        return None
    return refs


def read_formula(value: Any, checker: Checker, paras: Paras) -> Formula | None:
    """The layout formula (``一核两廊、多点支撑``), its aliases and framing."""
    entry = checker.mapping(value, "formula", FORMULA_KEYS, required=("text",))
    if entry is None:
        return None
    text = checker.text(entry.get("text"), "formula.text") if "text" in entry else None
    aliases: list[Text] = []
    items = checker.sequence(entry.get("aliases", []), "formula.aliases")
    for index, item in enumerate(items or []):
        alias = checker.text(item, f"formula.aliases[{index}]")
        if alias is not None:
            aliases.append(alias)
    framing = checker.text(entry.get("framing"), "formula.framing", required=False)
    refs = required_refs(entry, "formula", checker, paras)
    fields = complete({"text": text, "framing": framing, "source_refs": refs})
    return None if fields is None else Formula(**fields, aliases=tuple(aliases))


def _style(value: Any, path: str, base: Style, checker: Checker) -> Style:
    """A role's ``style``: the given keys over ``base``."""
    entry = checker.mapping(value, path, STYLE_KEYS)
    if entry is None:
        return base
    out = base.as_dict()
    for key in ("fill", "stroke"):
        if key in entry:
            colour = checker.colour(entry[key], f"{path}.{key}")
            if colour is not None:
                out[key] = colour
    for key, high in (("fill_opacity", 1.0), ("weight", 20.0)):
        if key in entry:
            number = checker.number(entry[key], f"{path}.{key}", lo=0.0, hi=high)
            if number is not None:
                out[key] = float(number)
    if "dash" in entry:
        dash = checker.string(entry["dash"], f"{path}.dash", allow_empty=True, max_len=32)
        if dash and not all(part.replace(".", "", 1).isdigit() for part in dash.split()):
            checker.error(
                f"{path}.dash",
                f"bad dash pattern {dash!r}",
                value=dash,
                expected="numbers separated by spaces, such as '6 4', or ''",
            )
        elif dash is not None:
            out["dash"] = dash
    return Style(**out)  # type: ignore[arg-type]


def style_over(value: Any, path: str, checker: Checker) -> tuple[tuple[str, object], ...]:
    """A unit's, group's or link's own ``style``: the keys it gives, checked as a role's."""
    full = _style(value, path, Style(), checker)
    given = value if isinstance(value, dict) else {}
    return tuple((key, getattr(full, key)) for key in STYLE_KEYS if key in given)


def read_roles(value: Any, checker: Checker, paras: Paras) -> tuple[Role, ...]:
    """The plan's roles, then the presets it does not override."""

    def role(role_id: str, spec: Any, path: str) -> Role | None:
        label0, style0 = DEFAULT_ROLES.get(role_id, (EMPTY_TEXT, Style()))
        required = () if role_id in DEFAULT_ROLES else ("label",)
        entry = checker.mapping(spec, path, ROLE_KEYS, required=required)
        if entry is None:
            return None
        label = checker.text(entry["label"], f"{path}.label") if "label" in entry else label0
        style = style0
        if "style" in entry:
            style = _style(entry["style"], f"{path}.style", style0, checker)
        desc = checker.text(entry.get("description"), f"{path}.description", required=False)
        refs: tuple[str, ...] | None = ()
        if "source" in entry:
            refs = checker.source_refs(entry["source"], f"{path}.source", paras)
        if label is not None and desc is not None and refs is not None:
            return Role(role_id, label, style, desc, refs)
        return None

    return _declared(value, "roles", checker, role, DEFAULT_ROLES, Role)


def read_site_kinds(value: Any, checker: Checker) -> tuple[SiteKind, ...]:
    """The plan's site kinds, then the presets it does not override."""

    def kind(kind_id: str, spec: Any, path: str) -> SiteKind | None:
        label0, colour0 = DEFAULT_SITE_KINDS.get(kind_id, (EMPTY_TEXT, "#4d4d4d"))
        entry = checker.mapping(spec, path, ("label", "color"))
        if entry is None:
            return None
        label = checker.text(entry["label"], f"{path}.label") if "label" in entry else label0
        colour = checker.colour(entry["color"], f"{path}.color") if "color" in entry else colour0
        if not label:
            checker.error(path, "missing required key 'label'", expected="label: {zh-Hans, en}")
        elif colour is not None:
            return SiteKind(kind_id, label, colour)
        return None

    return _declared(value, "site_kinds", checker, kind, DEFAULT_SITE_KINDS, SiteKind)


def _declared(
    value: Any,
    section: str,
    checker: Checker,
    read: Callable[[str, Any, str], _T | None],
    presets: Mapping[str, tuple[Any, Any]],
    make: Callable[[str, Any, Any], _T],
) -> tuple[_T, ...]:
    """A mapping section keyed by id (``roles``, ``site_kinds``): each entry ``read(id, spec,
    path)`` (``None`` once its problems are reported), then the ``presets`` it does not
    override, each ``make(id, *preset)``."""
    declared: dict[str, _T] = {}
    entries = checker.mapping(value, section, _any_key(value)) if value is not None else None
    for item_id, spec in (entries or {}).items():
        path = f"{section}.{item_id}"
        if checker.ident(item_id, path) is None:
            continue
        item = read(item_id, spec, path)
        if item is not None:
            declared[item_id] = item
    rest = [make(key, *preset) for key, preset in presets.items() if key not in declared]
    return (*declared.values(), *rest)


def _any_key(value: Any) -> tuple[str, ...]:
    # Any id is a valid key (checked by checker.ident); this only satisfies checker.mapping.
    return tuple(str(key) for key in value) if isinstance(value, dict) else ()
