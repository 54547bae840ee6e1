"""Loading a plan: read the file (bounded), decode, parse, check, build; the public functions.

Nothing is cached: ``maplayout build`` checks the plan once and hands the :class:`Plan` to
:func:`maplayout.publish.build`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from maplayout._safeio import InputFileError, read_limited
from maplayout.errors import PlanError, PlanProblem
from maplayout.plan.document import build_plan
from maplayout.plan.fields import Checker
from maplayout.plan.layers import read_layer_files
from maplayout.plan.types import Plan
from maplayout.plan.yamlread import MAX_FILE_BYTES, decode_plan_bytes, parse_yaml

PlanSource = str | Path | None


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------
def validate_plan(path: PlanSource = None, *, boundaries: Any = None) -> list[PlanProblem]:
    """Every problem of the plan at ``path`` (default: the embedded plan), in file order.

    Errors and warnings both (``p.severity``; ``p.is_error``): the plan is valid when no
    problem is an error. ``[]`` for a clean plan.
    """
    _, problems = _load(path, boundaries)
    return problems


def check_plan(
    path: PlanSource = None, *, boundaries: Any = None
) -> tuple[Plan | None, list[PlanProblem]]:
    """``(plan, problems)`` in one pass: the plan is ``None`` when any problem is an error.

    For callers that want both the plan and its warnings without reading the file twice
    (``maplayout validate``).
    """
    return _load(path, boundaries)


def load_plan(path: PlanSource = None, *, boundaries: Any = None) -> Plan:
    """Load and validate a plan file.

    Parameters
    ----------
    path
        A YAML plan file; ``None`` for the embedded default plan
        (:func:`maplayout._paths.default_plan_path`).
    boundaries
        A GeoDataFrame of the plan's own units (zones): it stands in for the file of the
        plan's ``boundaries:`` section, or, when the plan has none, is read with the columns
        ``id``, ``name`` (zh-Hans) and, where present, ``name_zh_hant``, ``name_en``,
        ``parent`` (``docs/plan-format.md``, "Your own boundaries").

    Returns
    -------
    Plan
        The plan; its warnings (markup-looking text …) are in ``plan.warnings``.

    Raises
    ------
    PlanError
        With every error found (``err.problems``), each naming file, line and field, and the
        warnings in ``err.warnings``.
    """
    plan, problems = _load(path, boundaries)
    if plan is None:
        raise PlanError(problems)
    return plan


def load_plan_text(
    text: str | Mapping[str, Any], name: str = "<string>", *, boundaries: Any = None
) -> Plan:
    """Load a plan from YAML text or from an already-parsed mapping (notebooks, tests).

    Line numbers are reported for text; a mapping has none, so problems name the field path.
    """
    if isinstance(text, Mapping):
        checker = Checker(name, {})
        plan = build_plan(dict(text), checker, name, boundaries=boundaries)
    else:
        parsed = parse_yaml(text, name)
        checker = Checker(name, parsed.lines)
        checker.problems.extend(parsed.problems)
        plan = (
            None
            if parsed.problems
            else build_plan(parsed.data, checker, name, boundaries=boundaries)
        )
    problems = _in_file_order(checker.problems, name)
    if checker.has_errors or plan is None:
        raise PlanError(problems)
    found, problems = _with_layer_files(_with_warnings(plan, problems), problems, Path(), name)
    if found is None:
        raise PlanError(problems)
    return found


# --------------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------------
def _load(path: PlanSource, boundaries: Any = None) -> tuple[Plan | None, list[PlanProblem]]:
    from maplayout._paths import default_plan_path

    file = Path(path) if path is not None else default_plan_path()
    name = str(path) if path is not None else str(file)
    try:  # at most the limit + 1 bytes, regular files only (not /dev/zero, a FIFO, a folder)
        raw = read_limited(file, MAX_FILE_BYTES, "plan file")
    except InputFileError as err:
        if err.kind == "missing":
            return None, [PlanProblem(name, "", err.reason, expected="a YAML plan file")]
        if err.kind == "too large":
            expected = f"a plan of at most {MAX_FILE_BYTES} bytes"
            return None, [PlanProblem(name, "", err.short, expected=expected)]
        return None, [PlanProblem(name, "", err.reason)]
    plan, problems = _decode_and_build(raw, name, file.parent, boundaries)
    return _with_layer_files(plan, list(problems), file.parent, name)


def _with_layer_files(
    plan: Plan | None, problems: list[PlanProblem], base: Path, name: str
) -> tuple[Plan | None, list[PlanProblem]]:
    """Read the plan's layer files (not cached with the plan: a table may change alone)."""
    if plan is None or not plan.layers:
        return plan, problems
    plan, found = read_layer_files(plan, base, name)
    problems = problems + found
    if any(problem.is_error for problem in found):
        return None, problems
    return _with_warnings(plan, problems), problems


def _decode_and_build(
    raw: bytes, name: str, base: Path, boundaries: Any = None
) -> tuple[Plan | None, list[PlanProblem]]:
    text, problems = decode_plan_bytes(raw, name)
    if text is None:
        return None, problems
    parsed = parse_yaml(text, name)
    if parsed.problems and parsed.data is None:
        return None, parsed.problems
    checker = Checker(name, parsed.lines)
    checker.problems.extend(parsed.problems)
    plan = build_plan(parsed.data, checker, name, base=base, boundaries=boundaries)
    problems = _in_file_order(checker.problems, name)
    if checker.has_errors or plan is None:
        return None, problems
    return _with_warnings(plan, problems), problems


def _with_warnings(plan: Plan, problems: list[PlanProblem]) -> Plan:
    warnings = tuple(problem for problem in problems if not problem.is_error)
    return dataclasses.replace(plan, warnings=warnings) if warnings else plan


def _in_file_order(problems: list[PlanProblem], name: str) -> list[PlanProblem]:
    """The plan file's problems sorted by line (file-level ones first), stable within a line,
    then those of other files (a boundary file's, by feature)."""
    return sorted(problems, key=lambda problem: (problem.file != name, problem.line or 0))
