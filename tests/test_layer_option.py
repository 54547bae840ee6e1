"""``--layer FILE[:key=value,...]`` on ``build`` and ``validate``; layer files as build inputs."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from maplayout.plan import check_plan
from maplayout.plan.options import parse_layer_option
from maplayout.publish.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
GOOD = "名称,经度,纬度\n甲,112.98,28.2\n乙,113.0,28.1\n"
BAD = "名称,经度,纬度\n甲,112.98,28.2\n乙,abc,28.1\n丙,113.1,128\n"
IN_PLAN = """layers:
  - id: good
    file: good.csv
    label: {zh-Hans: good, en: good}
    datum: GCJ-02
    data_source: {title: {zh-Hans: T, en: T}}
sites:
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A plan and two tables in the current folder (``--layer`` paths are the user's own)."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "tests" / "plans" / "minimal.yaml", tmp_path / "plan.yaml")
    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.csv").write_text(BAD, encoding="utf-8")
    return tmp_path


def _messages(folder: Path, *options: str) -> list[str]:
    _, problems = check_plan(folder / "plan.yaml", options)
    return [str(p).replace(str(folder) + "/", "") for p in problems]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "maplayout", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=120,
    )


def test_an_option_layer_equals_the_same_layer_written_in_the_plan(folder: Path) -> None:
    by_option, problems = check_plan(
        folder / "plan.yaml", ["good.csv:datum=GCJ-02,data_source=T,label=good"]
    )
    assert problems == [] and by_option is not None
    text = (folder / "plan.yaml").read_text("utf-8").replace("\nsites:\n", "\n" + IN_PLAN, 1)
    (folder / "written.yaml").write_text(text, encoding="utf-8")
    written, problems = check_plan(folder / "written.yaml")
    assert problems == [] and written is not None
    assert by_option.layers == written.layers  # same fields, same file digest
    assert by_option.layers[0].points.equals(written.layers[0].points)


def test_defaults_from_the_file_stem_and_nested_keys(folder: Path) -> None:
    (folder / "AI Firms.csv").write_text(GOOD, encoding="utf-8")
    option = (
        "AI Firms.csv:datum=WGS-84,data_source=企查查,data_source.url=https://example.org/x,"
        "data_source.date=2024-05,label.en=AI firms,style.color=#1b7837,style.radius=4"
    )
    plan, problems = check_plan(
        folder / "plan.yaml", [option, "good.csv:datum=BD-09,data_source=T"]
    )
    assert problems == [] and plan is not None
    first, second = plan.layers
    assert (first.id, first.file, first.datum) == ("ai-firms", "AI Firms.csv", "WGS-84")
    assert (first.label.zh_hans, first.label.en) == ("AI Firms", "AI firms")
    assert (first.data_source.zh_hans, first.data_source.en) == ("企查查", "企查查")
    assert (first.data_url, first.data_date) == ("https://example.org/x", "2024-05")
    assert (first.color, first.radius) == ("#1b7837", 4.0)
    assert (second.id, second.label.en, second.datum) == ("good", "good", "BD-09")


def test_a_stem_without_latin_letters_gets_a_numbered_id() -> None:
    option, problems = parse_layer_option("企业.csv:datum=WGS-84,data_source=T", 2)
    assert problems == [] and option is not None
    assert option.entry["id"] == "layer-3"


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        (
            "good.csv:datm=GCJ-02,data_source=T",
            [
                "--layer good.csv:datm=GCJ-02,data_source=T: datm: unknown key 'datm'; expected "
                "one of id, label, label.zh-Hans, label.zh-Hant, label.en, datum, lon, lat, "
                "name, category, weight, link, sheet, encoding, style.color, style.radius, "
                "data_source, data_source.title, data_source.title.zh-Hans, "
                "data_source.title.zh-Hant, data_source.title.en, data_source.url, "
                "data_source.date; closest: datum, lat, name"
            ],
        ),
        (
            "good.csv",
            [
                "--layer good.csv: datum: missing datum; expected datum=WGS-84, GCJ-02 (Amap, "
                "Tencent) or BD-09 (Baidu): the table's coordinates",
                "--layer good.csv: data_source: missing data_source; expected data_source=TITLE "
                "(where the table comes from; data_source.url=… and data_source.date=… optional)",
            ],
        ),
        (
            "good.txt:datum=GCJ-02,data_source=T",
            [
                "--layer good.txt:datum=GCJ-02,data_source=T: <file>: unsupported layer file "
                "type 'good.txt'; expected a table file: .csv, .xlsx, .parquet, .geoparquet, "
                ".geojson, .json"
            ],
        ),
        (
            "good.csv:datum=GCJ-02,data_source=a,b",
            [
                "--layer good.csv:datum=GCJ-02,data_source=a,b: <option>: not key=value: 'b' "
                "(values cannot contain a comma); expected key=value pairs separated by commas"
            ],
        ),
        # the plan's own checks, named by the option
        (
            "good.csv:datum=XX,data_source=T",
            [
                "--layer good.csv:datum=XX,data_source=T: datum: unknown datum 'XX'; "
                "expected one of WGS-84, GCJ-02, BD-09"
            ],
        ),
        (
            "good.csv:datum=GCJ-02,data_source=T,style.radius=big",
            [
                "--layer good.csv:datum=GCJ-02,data_source=T,style.radius=big: style.radius: "
                "wrong type: got a string 'big'; expected a number"
            ],
        ),
        (
            "good.csv:datum=GCJ-02,data_source=T,lon=lng",
            [
                "--layer good.csv:datum=GCJ-02,data_source=T,lon=lng: lon: the table has no "
                "column 'lng'; expected one of the columns 名称, 经度, 纬度"
            ],
        ),
        (
            "missing.csv:datum=GCJ-02,data_source=T",
            [
                "--layer missing.csv:datum=GCJ-02,data_source=T: file: layer file not found: "
                "missing.csv; expected a table file of at most 64000000 bytes next to the plan"
            ],
        ),
    ],
)
def test_a_bad_option_is_one_line_naming_it(folder: Path, option: str, expected: list[str]) -> None:
    assert _messages(folder, option) == expected


def test_row_problems_name_the_table_file_row_and_column_all_of_them(folder: Path) -> None:
    assert _messages(folder, "bad.csv:datum=GCJ-02,data_source=T") == [
        "bad.csv:3: 经度: not a number: 'abc'; expected a longitude from -180 to 180",
        "bad.csv:4: 纬度: latitude out of range: '128'; expected -90 to 90",
    ]


def test_an_option_id_clashing_with_a_plan_id_is_reported(folder: Path) -> None:
    assert _messages(folder, "good.csv:id=dongting,datum=GCJ-02,data_source=T") == [
        "--layer good.csv:id=dongting,datum=GCJ-02,data_source=T: id: duplicate id 'dongting' "
        "(already used by groups[0]); expected ids unique across groups, links, sites and facts"
    ]


def test_two_options_with_one_id_name_each_other(folder: Path) -> None:
    one, two = "good.csv:datum=GCJ-02,data_source=T", "bad.csv:id=good,datum=GCJ-02,data_source=T"
    assert _messages(folder, one, two) == [
        f"--layer {two}: id: duplicate id 'good' (already used by --layer {one}); "
        "expected ids unique across groups, links, sites and facts"
    ]


def test_a_plan_item_clashing_with_an_option_id_names_the_option(folder: Path) -> None:
    option = "good.csv:id=lab,datum=GCJ-02,data_source=T"  # facts are read after layers
    assert _messages(folder, option) == [
        f"plan.yaml:41: platforms[0].id: duplicate id 'lab' (already used by --layer {option}); "
        "expected ids unique across groups, links, sites and facts"
    ]


def test_validate_and_build_take_layer_options(folder: Path) -> None:
    proc = _run(
        "validate", "plan.yaml", "--layer", "bad.csv:datum=GCJ-02,data_source=T", cwd=folder
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [
        "bad.csv:3: 经度: not a number: 'abc'; expected a longitude from -180 to 180",
        "bad.csv:4: 纬度: latitude out of range: '128'; expected -90 to 90",
        "invalid plan: 2 problems",
    ]
    proc = _run("build", "plan.yaml", "--out", "maps", "--no-figure", "--snapshots", "no", "-q",
                "--layer", "good.csv:datm=GCJ-02", cwd=folder)  # fmt: skip
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "--layer good.csv:datm=GCJ-02: datm: unknown key 'datm'" in proc.stderr
    assert not (folder / "maps").exists()
    (folder / "sub").mkdir()
    shutil.copy(folder / "good.csv", folder / "sub" / "far.csv")
    far = "far.csv:datum=WGS-84,data_source=T"
    proc = _run("build", "../plan.yaml", "--out", "../maps", "--no-figure", "--snapshots", "no",
                "-q", "--layer", far, cwd=folder / "sub")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    inputs = json.loads((folder / "maps" / "build-manifest.json").read_text("utf-8"))["inputs"]
    data = (folder / "good.csv").read_bytes()
    assert inputs["layers"] == [
        {"id": "far", "path": "sub/far.csv", "bytes": len(data),
         "sha256": hashlib.sha256(data).hexdigest()},
    ]  # fmt: skip


def test_the_manifest_records_layer_files_beside_the_plan(folder: Path) -> None:
    text = (folder / "plan.yaml").read_text("utf-8").replace("\nsites:\n", "\n" + IN_PLAN, 1)
    (folder / "plan.yaml").write_text(text, encoding="utf-8")
    outside = folder.parent / f"{folder.name}-outside.csv"
    outside.write_text(GOOD + "丙,113.2,28.0\n", encoding="utf-8")
    plan, problems = check_plan(
        folder / "plan.yaml", [f"{outside}:datum=WGS-84,data_source=T,id=outside"]
    )
    assert plan is not None, problems
    result = build(plan, folder / "maps", figures=False, snapshots="no")
    inputs = result.manifest["inputs"]
    assert set(inputs) == {"plan", "geodata_manifest", "layers"}
    assert inputs["plan"] == hashlib.sha256((folder / "plan.yaml").read_bytes()).hexdigest()
    records = {r["id"]: r for r in inputs["layers"]}
    for key, path, file in (
        ("good", "good.csv", folder / "good.csv"),
        ("outside", f"../{outside.name}", outside),
    ):
        data = file.read_bytes()
        assert records[key] == {
            "id": key, "path": path, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()
        }  # fmt: skip
    on_disk = json.loads((folder / "maps" / "build-manifest.json").read_text("utf-8"))
    assert on_disk["inputs"] == inputs
