"""Loading a plan: read the file (bounded), decode, parse, check, build; the public functions.

Nothing is cached: ``maplayout build`` checks the plan once and hands the :class:`Plan` to
:func:`maplayout.publish.build`.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from maplayout._safeio import InputFileError, read_limited
from maplayout.errors import PlanError, PlanProblem
from maplayout.plan.document import build_plan
from maplayout.plan.fields import Checker
from maplayout.plan.layers import read_layer_files
from maplayout.plan.options import LayerOption, parse_layer_option
from maplayout.plan.types import Plan
from maplayout.plan.yamlread import MAX_FILE_BYTES, decode_plan_bytes, parse_yaml

PlanSource = str | Path | None
#: Layers added to a plan's own: ``--layer`` option texts (``FILE[:key=value,...]``).
ExtraLayers = Sequence[str]


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------
def validate_plan(
    path: PlanSource = None, layers: ExtraLayers = (), *, boundaries: Any = None
) -> list[PlanProblem]:
    """Every problem of the plan at ``path`` (default: the embedded plan), in file order.

    Errors and warnings both (``p.severity``; ``p.is_error``): the plan is valid when no
    problem is an error. ``[]`` for a clean plan. ``layers``: as :func:`check_plan`.
    """
    _, problems = _load(path, layers, boundaries)
    return problems


def check_plan(
    path: PlanSource = None, layers: ExtraLayers = (), *, boundaries: Any = None
) -> tuple[Plan | None, list[PlanProblem]]:
    """``(plan, problems)`` in one pass: the plan is ``None`` when any problem is an error.

    For callers that want both the plan and its warnings without reading the file twice
    (``maplayout validate``). ``layers`` are ``--layer`` option texts
    (``FILE[:key=value,...]``, :mod:`maplayout.plan.options`): each joins the plan's
    ``layers:`` after its own, checked as if written there; the problems of its entry name
    the option (``--layer companies.csv: datum: …``), those of its rows the table file.
    """
    return _load(path, layers, boundaries)


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
    plan, problems = _load(path, boundaries=boundaries)
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
def _load(
    path: PlanSource, layers: ExtraLayers = (), boundaries: Any = None
) -> tuple[Plan | None, list[PlanProblem]]:
    from maplayout._paths import default_plan_path

    file = Path(path) if path is not None else default_plan_path()
    name = str(path) if path is not None else str(file)
    options: list[LayerOption] = []
    option_problems: list[PlanProblem] = []
    for index, text in enumerate(layers):
        option, found = parse_layer_option(text, index)
        option_problems += found
        if option is not None:
            options.append(_relative_to(option, file.parent))
    if option_problems:
        return None, option_problems
    try:  # at most the limit + 1 bytes, regular files only (not /dev/zero, a FIFO, a folder)
        raw = read_limited(file, MAX_FILE_BYTES, "plan file")
    except InputFileError as err:
        if err.kind == "missing":
            return None, [PlanProblem(name, "", err.reason, expected="a YAML plan file")]
        if err.kind == "too large":
            expected = f"a plan of at most {MAX_FILE_BYTES} bytes"
            return None, [PlanProblem(name, "", err.short, expected=expected)]
        return None, [PlanProblem(name, "", err.reason)]
    plan, problems, first = _decode_and_build(raw, name, options, file.parent, boundaries)
    plan, problems = _with_layer_files(plan, list(problems), file.parent, name)
    return plan, _name_options(problems, name, first, options)


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
    raw: bytes,
    name: str,
    options: Sequence[LayerOption] = (),
    base: Path | None = None,
    boundaries: Any = None,
) -> tuple[Plan | None, list[PlanProblem], int]:
    """The plan and its problems, and how many ``layers:`` entries the plan itself has (the
    ``options``' entries follow them)."""
    text, problems = decode_plan_bytes(raw, name)
    if text is None:
        return None, problems, 0
    parsed = parse_yaml(text, name)
    if parsed.problems and parsed.data is None:
        return None, parsed.problems, 0
    checker = Checker(name, parsed.lines)
    checker.problems.extend(parsed.problems)
    data, first = parsed.data, 0
    own = data.get("layers") if isinstance(data, dict) else None
    if options and isinstance(data, dict) and isinstance(own, list | None):
        first = len(own or [])
        data = {**data, "layers": [*(own or []), *(o.entry for o in options)]}
    plan = build_plan(data, checker, name, base=base, boundaries=boundaries)
    problems = _in_file_order(checker.problems, name)
    if checker.has_errors or plan is None:
        return None, problems, first
    return _with_warnings(plan, problems), problems, first


def _relative_to(option: LayerOption, folder: Path) -> LayerOption:
    """The option with its file relative to the plan's folder when it lies inside it (so
    messages and the manifest name it as a plan's own layer would be named)."""
    absolute = Path(option.entry["file"])
    relative = Path(os.path.relpath(absolute, folder.absolute()))
    inside = relative.parts[:1] != ("..",)
    entry = {**option.entry, "file": relative if inside else absolute}
    return dataclasses.replace(option, entry=entry)


_ENTRY = re.compile(r"^layers\[(\d+)\](?:\.(.*))?$")
_MENTION = re.compile(r"\blayers\[(\d+)\]")


def _name_options(
    problems: list[PlanProblem], name: str, first: int, options: Sequence[LayerOption]
) -> list[PlanProblem]:
    """The problems of the ``--layer`` entries (from the ``first``-th) named by their option,
    not by the plan file (``--layer x.csv: datum: unknown datum …``; a row's problem already
    names its table file)."""
    if not options:
        return problems

    def named(found: re.Match[str]) -> str:  # "already used by layers[2]" → by the option
        index = int(found.group(1))
        inside = first <= index < first + len(options)
        return options[index - first].where if inside else found.group(0)

    out = []
    for problem in problems:
        if problem.file != name:  # a table file's row
            out.append(problem)
            continue
        match = _ENTRY.match(problem.path)
        where, path = name, problem.path
        if match and int(match.group(1)) >= first:
            where, path = options[int(match.group(1)) - first].where, match.group(2) or "<layer>"
        out.append(
            PlanProblem(
                where,
                path,
                _MENTION.sub(named, problem.message),
                line=None if where != name else problem.line,
                value=problem.value,
                expected=problem.expected,
                suggestions=problem.suggestions,
                severity=problem.severity,
            )
        )
    return out


def _with_warnings(plan: Plan, problems: list[PlanProblem]) -> Plan:
    warnings = tuple(problem for problem in problems if not problem.is_error)
    return dataclasses.replace(plan, warnings=warnings) if warnings else plan


def _in_file_order(problems: list[PlanProblem], name: str) -> list[PlanProblem]:
    """The plan file's problems sorted by line (file-level ones first), stable within a line,
    then those of other files (a boundary file's, by feature)."""
    return sorted(problems, key=lambda problem: (problem.file != name, problem.line or 0))
