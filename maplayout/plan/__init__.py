"""The plan stage (moved from ``maplayout/plan.py``; see :mod:`maplayout.plan.load`)."""

from maplayout.plan.load import (
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
    Text,
    UnitRole,
    check_plan,
    load_plan,
    load_plan_text,
    validate_plan,
)

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
