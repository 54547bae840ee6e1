"""``complete``: the one rule by which a plan section keeps or drops an item."""

from __future__ import annotations

from maplayout.plan.sections.context import INVALID, complete


def test_complete_merges_the_fields_and_the_parts_in_order() -> None:
    fields = complete({"id": "a", "label": "L"}, {"description": "d"}, {"label": "M"})
    assert fields == {"id": "a", "label": "M", "description": "d"}


def test_complete_keeps_falsy_values_that_are_not_failures() -> None:
    assert complete({"role": "", "closed": False, "hosts": ()}) == {
        "role": "",
        "closed": False,
        "hosts": (),
    }


def test_a_failed_field_or_part_drops_the_item() -> None:
    assert complete({"id": "a", "label": None}) is None
    assert complete({"id": "a"}, {"description": "d"}, None) is None


def test_an_optional_field_may_be_absent_but_not_invalid() -> None:
    assert complete({"id": "a", "year": None}, optional=("year",)) == {"id": "a", "year": None}
    assert complete({"id": "a", "year": INVALID}, optional=("year",)) is None
    assert complete({"id": "a", "year": INVALID}) is None
    assert complete({"id": "a", "year": None}, optional=("value",)) is None
