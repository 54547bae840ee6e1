"""The four real plans beyond Hunan (issue #11): another province, a city, a cross-province
region and the whole country, each transcribed from a published layout and cited
(``geodata/layouts/``, source notes in ``geodata/layouts/sources/``).

Each validates with exit 0 (regions beyond one province: a province, a city, a list of
provinces, the whole country), cites a listed paragraph in every item and has a source note.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from maplayout._paths import geodata_dir

LAYOUTS = geodata_dir() / "layouts"
PLANS = {
    "guangdong-1c1b1z-2019": "province",
    "guangzhou-ai-zone-2020": "city",
    "chengyu-2011": "cross-province",
    "china-computing-hubs-2022": "country",
}


def _raw(plan_id: str) -> dict:
    return yaml.safe_load((LAYOUTS / f"{plan_id}.yaml").read_text("utf-8"))


def _cited(raw: dict) -> list[tuple[str, object]]:
    """(path, source) of every item that must cite a paragraph."""
    out = [("formula", raw["formula"].get("source"))]
    for key in ("units", "groups", "links", "sites", "designations", "figures", "clusters"):
        out += [(f"{key}[{i}]", item.get("source")) for i, item in enumerate(raw.get(key) or [])]
    return out


@pytest.mark.parametrize("plan_id", sorted(PLANS))
def test_every_item_cites_a_listed_paragraph(plan_id: str) -> None:
    raw = _raw(plan_id)
    listed = set(raw["source"]["paragraphs"])
    for path, ref in _cited(raw):
        refs = ref if isinstance(ref, list) else [ref]
        assert refs and set(refs) <= listed, (plan_id, path, ref)


@pytest.mark.parametrize("plan_id", sorted(PLANS))
def test_each_plan_has_a_source_note_with_its_url_and_paragraphs(plan_id: str) -> None:
    raw = _raw(plan_id)
    note = (LAYOUTS / "sources" / f"{plan_id}.txt").read_text("utf-8")
    assert raw["source"]["url"].startswith("http")
    assert raw["source"]["url"] in note
    for pid in raw["source"]["paragraphs"]:
        assert f"[{pid}]" in note, (plan_id, pid)


@pytest.mark.parametrize("plan_id", sorted(PLANS))
def test_plan_validates_with_exit_0(plan_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    from maplayout.cli import main

    path = Path(LAYOUTS / f"{plan_id}.yaml")
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.rstrip().endswith("valid")
    assert f"plan {plan_id}:" in out
