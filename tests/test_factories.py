"""The test model factory emits exactly the join's shapes (issue 10: the old hand-built
fixtures had drifted, e.g. legend id ``"node"`` where the join emits ``"group:node"``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from maplayout.model import LayoutModel, build_model
from maplayout.plan import load_plan
from tests.factories import JOIN_COLUMNS, hunan_model, joined_model, tiny_model

FRAMES = ("units", "groups", "links", "sites", "context")


def shape(model: LayoutModel) -> dict[str, Any]:
    """What a model's consumers rely on, values aside: columns in order with their dtypes,
    the legend's id form and style keys per kind, the meta keys and the fact keys."""
    out: dict[str, Any] = {
        name: [(str(c), str(t)) for c, t in getattr(model, name).dtypes.items()] for name in FRAMES
    }
    out["legend"] = sorted(
        {
            (e["id"].partition(":")[0] == e["kind"], e["kind"], tuple(e["style"]))
            for e in model.legend
        }
    )
    out["meta"] = sorted(model.meta)
    out["facts"] = sorted({tuple(sorted(f)) for f in model.facts})
    return out


@pytest.fixture(scope="module")
def joined() -> dict[str, Any]:
    return shape(joined_model())


@pytest.mark.parametrize(
    "make",
    [tiny_model, lambda: hunan_model("prefecture"), lambda: hunan_model("county", evil=True)],
    ids=["tiny", "hunan-prefecture", "hunan-county-evil"],
)
def test_factory_models_have_the_joins_shapes(make, joined) -> None:
    model = make()
    model.check()  # the contract check the join runs
    got = shape(model)
    for part in (*FRAMES, "meta", "facts"):
        assert got[part] == joined[part], part
    # every legend entry has the join's "<kind>:<key>" id and its kind's style keys
    styles = {kind: keys for _ok, kind, keys in joined["legend"]}
    for id_has_kind, kind, keys in got["legend"]:
        assert id_has_kind and keys == styles[kind], (kind, keys)


def test_join_columns_are_the_real_joins_columns() -> None:
    """The factory's column lists are pinned to build_model's, at both levels."""
    default = build_model(load_plan(None), level="county")
    for model in (joined_model(), joined_model(level="county"), default):
        assert {n: tuple(getattr(model, n).columns) for n in FRAMES} == JOIN_COLUMNS


def test_shape_comparison_catches_the_old_drift(joined) -> None:
    """The comparison can fail: the old fixture's bare legend id and a missing column."""
    model = tiny_model()
    bare_id = [dict(e, id=e["id"].partition(":")[2]) for e in model.legend]
    assert not all(ok for ok, _k, _s in shape(replace(model, legend=bare_id))["legend"])
    short = replace(model, units=model.units.drop(columns=["parent_name_en"]))
    assert shape(short)["units"] != joined["units"]
