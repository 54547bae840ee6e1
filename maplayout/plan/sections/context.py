"""What every place-referencing section needs: one :class:`SectionContext`, and its helpers.

A section reads one list of the plan (``units``, ``groups`` …) item by item; each item's
problems go to the context's :class:`~maplayout.plan.fields.Checker`, its places are resolved
by the context's :class:`~maplayout.plan.places.PlaceResolver`, and its id is claimed in the
context's id table (ids are unique across groups, links, sites and facts).
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from maplayout.errors import closest
from maplayout.plan.fields import Checker
from maplayout.plan.resolver import PlaceResolver

#: Paragraph ids of the plan's source (``None`` when the source itself failed to validate).
Paras = tuple[str, ...] | None
#: Place names as written in the plan, and the adcodes they resolved to (same order).
PlaceList = tuple[tuple[str, ...], tuple[str, ...]]


class _Invalid(enum.Enum):
    """Marks an optional field that was given but failed (``None`` there means "not given")."""

    INVALID = "invalid"


INVALID: Final = _Invalid.INVALID
Invalid = Literal[_Invalid.INVALID]


def complete(
    fields: dict[str, Any], *parts: dict[str, Any] | None, optional: Collection[str] = ()
) -> dict[str, Any] | None:
    """An item's checked ``fields`` and ``parts`` (such as :meth:`SectionContext.about`) as one
    dict of the record's keyword arguments; ``None`` when any of them failed.

    A field failed when its reader returned ``None`` (its problem is already reported), or,
    for the ``optional`` fields whose ``None`` means "not given", :data:`INVALID`. The fields
    are read (and their problems reported) before this is called, in the order the plan
    format documents, so the order of the reported problems is the order of the readers.
    """
    if any(part is None for part in parts):
        return None
    for key, value in fields.items():
        if value is INVALID or (value is None and key not in optional):
            return None
    merged = dict(fields)
    for part in parts:
        merged.update(part or {})
    return merged


def required_refs(
    entry: dict[str, Any], path: str, checker: Checker, paragraphs: Paras
) -> tuple[str, ...] | None:
    """``entry``'s required ``source``: paragraph ids, each one of ``paragraphs``."""
    if "source" not in entry:
        checker.error(
            path, "missing source reference", expected="source: a paragraph id such as P17"
        )
        return None
    return checker.source_refs(entry["source"], f"{path}.source", paragraphs)


@dataclass
class SectionContext:
    """The plan-wide state the sections share while one plan is checked.

    Attributes
    ----------
    checker
        Collects the problems of the plan file.
    paragraphs
        The source's paragraph ids; ``None`` when the source failed (references are then
        checked for their form only).
    resolver
        Resolves place names within the plan region.
    region
        The plan region's unit, ``None`` when the region failed to resolve.
    role_ids, kind_ids
        The roles and site kinds the plan may use (presets and declared ones).
    ids
        ``{id: field path of its first use}`` across groups, links, sites and facts.
    """

    checker: Checker
    paragraphs: Paras
    resolver: PlaceResolver
    region: Any
    role_ids: tuple[str, ...] = ()
    kind_ids: tuple[str, ...] = ()
    ids: dict[str, str] = field(default_factory=dict)

    def entries(
        self, value: Any, section: str, keys: Collection[str], required: tuple[str, ...]
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(field path, entry)`` for each item of the list ``value`` (none for ``None``) that
        is a mapping of ``keys`` with the ``required`` ones; the others are reported. A
        generator: each item's problems are reported before the next item is looked at."""
        items = self.checker.sequence(value, section) if value is not None else None
        for index, item in enumerate(items or []):
            path = f"{section}[{index}]"
            entry = self.checker.mapping(item, path, keys, required=required)
            if entry is not None:
                yield path, entry

    def refs(self, entry: dict[str, Any], path: str) -> tuple[str, ...] | None:
        """The item's required ``source`` references (paragraph ids of the plan's source)."""
        return required_refs(entry, path, self.checker, self.paragraphs)

    def about(self, entry: dict[str, Any], path: str) -> dict[str, Any] | None:
        """The item's optional ``description`` and ``interpretation`` (texts) and required
        ``source``, as the item's ``description``, ``interpretation`` and ``source_refs``
        fields; ``None`` after any of them is reported."""
        description = self.checker.text(
            entry.get("description"), f"{path}.description", required=False
        )
        reading = self.checker.text(
            entry.get("interpretation"), f"{path}.interpretation", required=False
        )
        refs = self.refs(entry, path)
        if description is None or reading is None or refs is None:
            return None
        return {"description": description, "interpretation": reading, "source_refs": refs}

    def role(self, entry: dict[str, Any], path: str) -> str | None:
        """The item's ``role``: one of :attr:`role_ids`."""
        role_id = entry.get("role")
        if isinstance(role_id, str) and role_id in self.role_ids:
            return role_id
        if isinstance(role_id, str):
            self.checker.error(
                f"{path}.role",
                f"unknown role {role_id!r}",
                value=role_id,
                expected="one of the roles " + ", ".join(self.role_ids),
                suggestions=closest(role_id, self.role_ids),
            )
        else:
            self.checker.wrong_type(
                f"{path}.role", role_id, "a role id: one of " + ", ".join(self.role_ids)
            )
        return None

    def item_id(self, entry: dict[str, Any], path: str) -> str | None:
        """The item's ``id``, checked and claimed (a duplicate is reported, still returned)."""
        item_id = self.checker.ident(entry["id"], f"{path}.id") if "id" in entry else None
        if item_id is None:
            return None
        if item_id in self.ids:
            self.checker.error(
                f"{path}.id",
                f"duplicate id {item_id!r} (already used by {self.ids[item_id]})",
                value=item_id,
                expected="ids unique across groups, links, sites and facts",
            )
        else:
            self.ids[item_id] = path
        return item_id

    def place(self, query: object, path: str) -> Any:
        """The unit (prefecture or county of the plan region) ``query`` names, or ``None``."""
        return self.resolver.resolve(query, path, region=self.region)

    def place_list(self, value: Any, path: str, *, min_len: int) -> PlaceList | None:
        """A list of at least ``min_len`` places, each resolved; ``None`` if any fails."""
        items = self.checker.sequence(value, path, allow_empty=min_len == 0)
        if items is None:
            return None
        if len(items) < min_len:
            self.checker.error(
                path, f"{len(items)} place(s) given", expected=f"at least {min_len} places"
            )
            return None
        units = [self.place(query, f"{path}[{index}]") for index, query in enumerate(items)]
        if any(unit is None for unit in units):
            return None
        return tuple(str(query) for query in items), tuple(unit.adcode for unit in units)
