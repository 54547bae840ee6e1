"""Reading a plan file: bytes → text → YAML data plus a map of field path → line number.

Everything here reports problems as
:class:`~maplayout.errors.PlanProblem` values instead of raising, so that one run can list
every problem of a plan.

Field paths look like ``sites[3].coordinates`` or ``roles.core.style.fill``; the line of a
mapping entry is the line of its key, the line of a sequence item the line it starts on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from maplayout.errors import PlanProblem

#: A plan is a text file of a few thousand sites at most (a generated 5,000-site plan is
#: 1.2 MB and 126,000 nodes, ~25 per site); tables of points go through ``layers:``.
#: 16 MB and 1,000,000 nodes admit ~40,000 such sites; anything bigger is a mistake (or an
#: attack).
MAX_FILE_BYTES = 16_000_000
#: Upper bound on YAML nodes visited (guards against alias "billion laughs" expansion).
MAX_NODES = 1_000_000

_BOM = b"\xef\xbb\xbf"


class PlanLoader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: ``2024-13-01`` stays a string for the validator
    to report (PyYAML would raise a bare ``ValueError`` while building the date)."""


PlanLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


#: The same loader on libyaml (several times faster), when PyYAML was built with it.
PlanCLoader: type | None = None
if getattr(yaml, "CSafeLoader", None) is not None:

    class PlanCLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """:class:`PlanLoader` on libyaml: the same nodes, marks and data."""

        # Set in the class body: after the class statement the name has the declared
        # ``type | None`` type, which has no such attribute.
        yaml_implicit_resolvers = PlanLoader.yaml_implicit_resolvers


@dataclass
class ParsedYaml:
    """Result of :func:`parse_yaml`: the data, the line map and problems found so far."""

    data: Any = None
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[PlanProblem] = field(default_factory=list)


def decode_plan_bytes(raw: bytes, file: str) -> tuple[str | None, list[PlanProblem]]:
    """Decode a plan file: UTF-8, with or without a BOM; anything else is one clear problem.

    Returns ``(text, problems)``; ``text`` is ``None`` when the file cannot be used.
    """
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            PlanProblem(
                file,
                "",
                f"file is too large ({len(raw)} bytes)",
                expected=f"a plan of at most {MAX_FILE_BYTES} bytes",
            )
        ]
    skip = len(_BOM) if raw.startswith(_BOM) else 0
    raw = raw[skip:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        offset = err.start + skip  # byte offset in the file as stored
        line = raw[: err.start].count(b"\n") + 1
        hint = ""
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            hint = " (it is UTF-16)"
        else:
            try:
                raw.decode("gbk")
                hint = " (it looks like GBK/GB18030)"
            except UnicodeDecodeError:
                pass
        msg = (
            f"file is not UTF-8{hint}: undecodable byte 0x{raw[err.start]:02x} "
            f"at byte offset {offset}; save the plan as UTF-8"
        )
        return None, [PlanProblem(file, "", msg, line=line)]
    if "\x00" in text:
        return None, [PlanProblem(file, "", "file contains NUL characters; a plan is text")]
    return text, []


def parse_yaml(text: str, file: str) -> ParsedYaml:
    """Parse YAML text into plain data and a ``{field path: line}`` map.

    Syntax errors become one problem with the line of the error. Duplicate mapping keys (which
    PyYAML silently resolves to the last value) are reported too.

    The libyaml loader reads the file first; a file with any problem is read again by the
    pure-Python loader, whose messages are the ones users see (libyaml words syntax errors
    differently), so the speed-up never changes a message.
    """
    if PlanCLoader is not None:
        try:
            fast = parse_with(PlanCLoader, text, file)
        except Exception:  # whatever libyaml trips on, the reference loader reports
            fast = None
        if fast is not None and not fast.problems:
            return fast
    return parse_with(PlanLoader, text, file)


def parse_with(loader_class: type, text: str, file: str) -> ParsedYaml:
    """:func:`parse_yaml` with one loader class (:class:`PlanLoader` or :data:`PlanCLoader`)."""
    out = ParsedYaml()
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return out
        counter = [0]
        _walk(node, "", 1, out, file, counter)
        if counter[0] > MAX_NODES:
            out.problems.append(
                PlanProblem(
                    file,
                    "",
                    f"plan has more than {MAX_NODES} YAML nodes (aliases expanded)",
                    line=1,
                    expected="a hand-sized plan",
                )
            )
            return out
        out.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        what = err.problem or "malformed YAML"
        ctx = f" {err.context}" if err.context else ""
        if err.context_mark is not None and mark is not None and err.context_mark.line != mark.line:
            ctx += f" started on line {err.context_mark.line + 1}"
        out.problems = [PlanProblem(file, "", f"YAML syntax error: {what}{ctx}", line=line)]
        out.data = None
    except yaml.YAMLError as err:  # pragma: no cover - unmarked errors are rare
        out.problems = [PlanProblem(file, "", f"YAML error: {err}")]
        out.data = None
    except (ValueError, TypeError, OverflowError) as err:  # explicit tags such as !!timestamp
        line = None
        out.problems = [PlanProblem(file, "", f"YAML value error: {err}", line=line)]
        out.data = None
    except RecursionError:
        out.problems = [PlanProblem(file, "", "YAML nesting is too deep", line=1)]
        out.data = None
    finally:
        loader.dispose()
    return out


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _walk(
    node: yaml.Node, path: str, line: int, out: ParsedYaml, file: str, counter: list[int]
) -> None:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        return
    out.lines.setdefault(path, line)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            key_line = key_node.start_mark.line + 1
            child = _join(path, key)
            if key in seen:
                out.problems.append(
                    PlanProblem(
                        file,
                        child,
                        f"duplicate key {key!r} (first given on line {seen[key]})",
                        line=key_line,
                        expected="each key once per mapping",
                    )
                )
                continue
            seen[key] = key_line
            _walk(value_node, child, key_line, out, file, counter)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, f"{path}[{i}]", item.start_mark.line + 1, out, file, counter)
