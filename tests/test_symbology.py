"""Symbology is decided once (maplayout.model.symbology) and read by the renderers."""

from __future__ import annotations

import pytest

from maplayout.model import UNIT_DISPLAY_COLUMNS, build_model
from maplayout.model.symbology import (
    composite,
    composite_rgba,
    display_fill,
    display_fills,
    extra_search_keys,
    group_fills,
    hex_rgb,
    legend_entries,
)
from maplayout.plan import load_plan
from maplayout.print import unit_face
from maplayout.web import render_map


@pytest.fixture(scope="module")
def county():
    return build_model(load_plan(), "county")


def test_composite_over_a_transparent_unit_is_the_group_fill() -> None:
    assert composite("#ff0000", 0.5, "#0000ff", 0.0) == ("#ff0000", 0.5)
    assert composite("#ff0000", 0.0, "#0000ff", 0.0) == ("#0000ff", 0.0)


def test_composite_of_half_red_over_opaque_blue() -> None:
    assert composite("#f00", 0.5, "#0000ff", 1.0) == ("#800080", 1.0)
    assert hex_rgb("not a colour") == (0.5, 0.5, 0.5)


@pytest.mark.parametrize(
    ("top", "below"),
    [((1, 0, 0, 0.3), (0, 0, 1, 0.6)), ((0.2, 0.4, 0.6, 0.25), (0.9, 0.8, 0.1, 0.7))],
)
def test_composite_rgba_is_the_print_figures_compositing(top, below) -> None:
    """The figure composites a unit's fill with its group's through this function."""
    from matplotlib.colors import to_hex

    unit = {"fill": to_hex(below[:3]), "fill_opacity": below[3], "group_ids": ["g"], "role": ""}
    face = unit_face(unit, {"g": tuple(top)})
    assert face == composite_rgba(top, (*hex_rgb(unit["fill"]), below[3]))
    assert unit_face({**unit, "role": "core"}, {"g": tuple(top)})[3] == below[3]


def test_the_join_stores_each_units_display_fill(county) -> None:
    fills = group_fills(county.groups)
    stored = county.units[list(UNIT_DISPLAY_COLUMNS)].itertuples(index=False)
    rows = county.units.to_dict("records")
    assert [tuple(s) for s in stored] == [display_fill(r, fills) for r in rows]
    # units without a role inside a filled group take the composite colour; units with a
    # role keep exactly their legend colour
    units = county.units
    plain, with_role = units[units["role"] == ""], units[units["role"] != ""]
    assert (plain["display_fill"] != plain["fill"]).sum() > 0
    assert (with_role["display_fill"] == with_role["fill"]).all()


def test_a_model_without_the_display_columns_renders_the_same_page(county) -> None:
    bare = county.units.drop(columns=list(UNIT_DISPLAY_COLUMNS))
    assert display_fills(bare, county.groups) == display_fills(county.units, county.groups)
    hand_built = type(county)(**{**county.__dict__, "units": bare})
    assert render_map(hand_built) == render_map(county)


def test_legend_entries_are_the_models_legend(county) -> None:
    assert legend_entries(load_plan()) == county.legend
    assert {e["kind"] for e in county.legend} == {"unit", "group", "link", "site"}


def test_extra_search_keys_are_only_the_variants_not_given() -> None:
    name = {"zh-Hans": "华云", "zh-Hant": "華云", "en": "Huayun"}
    assert extra_search_keys(name) == ["華雲"]  # to_hant(华云); to_hans(華云) is given
