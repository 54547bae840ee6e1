"""The shape of the ``maplayout.plan`` package: its imports and its sizes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import maplayout.plan

PACKAGE = Path(maplayout.plan.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))
#: Stages after the plan: the plan stage must not depend on any of them.
LATER_STAGES = ("join", "model", "render", "export", "figure", "embed", "reports", "snapshot")


def _imports(path: Path) -> list[ast.ImportFrom | ast.Import]:
    tree = ast.parse(path.read_text("utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_another_modules_private_name(path: Path) -> None:
    private = [
        f"{node.module}.{alias.name}"
        for node in _imports(path)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("maplayout")
        for alias in node.names
        if alias.name.startswith("_")
    ]
    assert private == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_plan_stage_imports_no_later_stage(path: Path) -> None:
    names: list[str] = []
    for node in _imports(path):
        if isinstance(node, ast.ImportFrom):
            names.append(node.module or "")
            if node.module == "maplayout":
                names += [f"maplayout.{alias.name}" for alias in node.names]
        else:
            names += [alias.name for alias in node.names]
    later = [name for name in names if name.split(".")[:2][-1] in LATER_STAGES]
    assert later == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_and_functions_stay_small(path: Path) -> None:
    text = path.read_text("utf-8")
    assert text.count("\n") <= 400
    long = [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(text))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > 60
    ]
    assert long == []


def test_one_public_api() -> None:
    assert sorted(maplayout.plan.__all__) == sorted(
        name for name in vars(maplayout.plan) if name in maplayout.plan.__all__
    )
    assert {"load_plan", "load_plan_text", "validate_plan", "check_plan", "Plan", "Text"} <= set(
        maplayout.plan.__all__
    )
