"""The plan's sections, each read by one ``read_*`` function into typed values.

The sections that name places share one :class:`SectionContext` (checker, source paragraphs,
place resolver, region, role and site-kind ids, and the plan-wide id table).
"""

from maplayout.plan.sections.areas import (
    GROUP_KEYS,
    LINK_KEYS,
    UNIT_KEYS,
    read_groups,
    read_links,
    read_units,
)
from maplayout.plan.sections.context import SectionContext
from maplayout.plan.sections.facts import FACT_KEYS, read_facts
from maplayout.plan.sections.header import read_formula, read_roles, read_site_kinds, read_source
from maplayout.plan.sections.layers import LAYER_KEYS, read_layers
from maplayout.plan.sections.sites import SITE_KEYS, read_sites
from maplayout.plan.sections.view import VIEW_KEYS, View, read_view

__all__ = [
    "FACT_KEYS",
    "GROUP_KEYS",
    "LAYER_KEYS",
    "LINK_KEYS",
    "SITE_KEYS",
    "UNIT_KEYS",
    "VIEW_KEYS",
    "SectionContext",
    "View",
    "read_facts",
    "read_formula",
    "read_groups",
    "read_layers",
    "read_links",
    "read_roles",
    "read_site_kinds",
    "read_sites",
    "read_source",
    "read_units",
    "read_view",
]
