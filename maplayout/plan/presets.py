"""The plan format's built-in roles and site kinds, and the styles of what has no role.

The preset labels are :data:`maplayout.strings.PRESET_LABELS` (zh-Hans and en;
zh-Hant is derived). A plan's ``roles:`` and ``site_kinds:`` override or add to these.
"""

from __future__ import annotations

from maplayout.geo.names import to_hant
from maplayout.plan.types import Style, Text
from maplayout.strings import PRESET_LABELS

#: Styles of the preset roles (planning symbology: fill for areas, stroke for lines).
_ROLE_STYLES: dict[str, Style] = {
    "core": Style("#d7301f", "#7f0000", 0.60, 2.5, ""),
    "sub-centre": Style("#fc8d59", "#b30000", 0.50, 2.0, ""),
    "corridor": Style("#fdae61", "#e66101", 0.50, 4.0, ""),
    "band": Style("#fee0b6", "#b35806", 0.40, 5.0, "10 6"),
    "axis": Style("#fee0b6", "#8c510a", 0.40, 3.0, "2 5"),
    "node": Style("#1b9e77", "#1b7f5f", 0.12, 2.0, "6 4"),
    "zone": Style("#66c2a5", "#238b45", 0.25, 1.5, "4 3"),
}
#: Marker colours of the preset site kinds.
_SITE_KIND_COLOURS: dict[str, str] = {
    "innovation-base": "#b2182b",
    "science-city": "#762a83",
    "ftz": "#2166ac",
    "industrial-park": "#e08214",
    "development-zone": "#8c510a",
    "data-centre": "#35978f",
    "laboratory": "#5e3c99",
    "computing-centre": "#01665e",
    "other": "#4d4d4d",
}


def _preset_label(section: str, preset_id: str) -> Text:
    zh_hans, en = PRESET_LABELS[section][preset_id]
    return Text(zh_hans, to_hant(zh_hans), en)


#: Roles every plan may use without declaring them: ``{id: (label, style)}``.
DEFAULT_ROLES: dict[str, tuple[Text, Style]] = {
    role_id: (_preset_label("roles", role_id), style) for role_id, style in _ROLE_STYLES.items()
}
#: Site kinds every plan may use: ``{id: (label, colour)}``.
DEFAULT_SITE_KINDS: dict[str, tuple[Text, str]] = {
    kind_id: (_preset_label("site_kinds", kind_id), colour)
    for kind_id, colour in _SITE_KIND_COLOURS.items()
}
#: Style of units the plan gives no role.
UNASSIGNED_STYLE = Style("#f2f2f0", "#a0a0a0", 0.35, 0.8, "")
#: Style of a plain grouping (a group without role): a dashed outline, no fill.
GROUPING_STYLE = Style("#ffffff", "#555555", 0.0, 2.0, "8 4")
