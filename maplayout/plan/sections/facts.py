"""The fact sections: designations, clusters (with their targets), platforms, figures, policies."""

from __future__ import annotations

from typing import Any

from maplayout.plan.fields import Checker
from maplayout.plan.sections.context import INVALID, Invalid, SectionContext, complete
from maplayout.plan.types import Fact

FACT_KEYS = (
    "id",
    "label",
    "description",
    "interpretation",
    "value",
    "unit",
    "display",
    "year",
    "tier",
    "hosts",
    "source",
)
#: A fact's number: beyond this, doubles stop holding every integer.
MAX_FACT = 1e15


def read_facts(
    value: Any, section: str, kind: str, ctx: SectionContext, parent: str = ""
) -> list[Fact]:
    """The facts of ``section`` (of ``kind``); a cluster's ``targets`` follow it, in order.

    The targets of a fact that fails are checked (and their problems reported) but dropped.
    """
    keys = (*FACT_KEYS, "targets") if kind == "cluster" else FACT_KEYS
    out: list[Fact] = []
    for path, entry in ctx.entries(value, section, keys, ("id", "label")):
        fact = _fact(entry, path, kind, ctx, parent)
        children: list[Fact] = []
        if "targets" in entry:
            children = read_facts(
                entry["targets"],
                f"{path}.targets",
                "target",
                ctx,
                parent=fact.id if isinstance(fact, Fact) else fact or "",
            )
        if isinstance(fact, Fact):
            out.append(fact)
            out.extend(children)
    return out


def _fact(
    entry: dict[str, Any], path: str, kind: str, ctx: SectionContext, parent: str
) -> Fact | str | None:
    """The fact; else its id (or ``None``) after its problems are reported."""
    checker = ctx.checker
    fact_id = ctx.item_id(entry, path)
    fields: dict[str, Any] = {
        "id": fact_id,
        "label": checker.text(entry["label"], f"{path}.label") if "label" in entry else None,
        "value": _value(entry.get("value"), f"{path}.value", checker),
        "unit": checker.text(entry.get("unit"), f"{path}.unit", required=False),
        "display": checker.text(entry.get("display"), f"{path}.display", required=False),
        "year": _year(entry.get("year"), f"{path}.year", checker),
        "tier": checker.text(entry.get("tier"), f"{path}.tier", required=False),
        "hosts": ctx.place_list(entry["hosts"], f"{path}.hosts", min_len=1)
        if "hosts" in entry
        else ((), ()),
    }
    checked = complete(fields, ctx.about(entry, path), optional=("value", "year"))
    if checked is None:
        return fact_id
    hosts, checked["host_adcodes"] = checked.pop("hosts")
    return Fact(**checked, hosts=hosts, kind=kind, parent=parent)


def _value(value: object, path: str, checker: Checker) -> str | float | Invalid | None:
    """A fact's ``value``: a number or a short string; ``None`` when not given."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        expected = "a number or a string"
        if isinstance(value, dict):  # a text per language belongs in display
            expected += "; put the text for each language in display: {zh-Hans: …, en: …}"
        checker.wrong_type(path, value, expected)
        return INVALID
    if isinstance(value, str):
        text = checker.string(value, path, max_len=120)
        return INVALID if text is None else text
    # finite, and small enough to print and compare exactly
    number = checker.number(value, path, lo=-MAX_FACT, hi=MAX_FACT)
    return INVALID if number is None else number


def _year(value: object, path: str, checker: Checker) -> int | Invalid | None:
    """A fact's ``year`` (1900–2100); ``None`` when not given."""
    if value is None:
        return None
    year = checker.number(value, path, lo=1900, hi=2100, integer=True)
    return INVALID if year is None else int(year)
