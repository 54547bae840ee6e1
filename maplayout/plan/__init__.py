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

Modules
-------
``load`` (the public functions), ``document`` (the top level), ``sections/`` (one module per
group of sections, sharing a ``SectionContext``), ``fields`` (the field checker), ``places``
(place names, blocks, site positions), ``yamlread`` (YAML with line numbers), ``types`` (the
values), ``presets`` (built-in roles and site kinds), and for data layers ``tables`` (reading
CSV/xlsx/Parquet/GeoJSON, bounded), ``layers`` (the row checks) and ``options`` (a layer
given as ``--layer FILE[:key=value,...]``).
"""

from maplayout.plan.load import check_plan, load_plan, load_plan_text, validate_plan
from maplayout.plan.options import OPTION_KEYS, LayerOption, parse_layer_option
from maplayout.plan.presets import GROUPING_STYLE, UNASSIGNED_STYLE
from maplayout.plan.types import (
    Fact,
    Formula,
    Group,
    Layer,
    Link,
    Plan,
    Role,
    Site,
    SiteKind,
    Source,
    Style,
    Text,
    UnitRole,
)

__all__ = [
    "GROUPING_STYLE",
    "OPTION_KEYS",
    "UNASSIGNED_STYLE",
    "Fact",
    "Formula",
    "Group",
    "Layer",
    "LayerOption",
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
    "parse_layer_option",
    "validate_plan",
]
