"""Field-level validation of plan data: types, texts, colours, references, unknown keys.

A :class:`Checker` collects
:class:`~maplayout.errors.PlanProblem` values (with the line of each field path) and returns
``None`` for an invalid field, so that the caller can go on and report every problem.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from maplayout.errors import PlanProblem, closest
from maplayout.geo.names import to_hant
from maplayout.plan.types import EMPTY_TEXT, TEXT_KEYS, Text

#: Longest accepted text field (characters). Plans carry labels and short descriptions.
MAX_TEXT = 600
#: Longest accepted id.
MAX_ID = 64

_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_PARA = re.compile(r"^P[1-9][0-9]*$")
#: Something that an HTML parser would take as a tag, comment or declaration (a warning).
_MARKUP = re.compile(r"<\s*[/!?]?\s*[A-Za-z][^>]*>|<!--|<\s*/?\s*script", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: The basic CSS colour names, offered as hex when a plan gives a name instead of a hex code.
_CSS_NAMES = {
    "black": "#000000",
    "white": "#ffffff",
    "red": "#ff0000",
    "green": "#008000",
    "blue": "#0000ff",
    "yellow": "#ffff00",
    "orange": "#ffa500",
    "purple": "#800080",
    "gray": "#808080",
    "grey": "#808080",
    "teal": "#008080",
    "navy": "#000080",
    "maroon": "#800000",
    "olive": "#808000",
    "silver": "#c0c0c0",
    "brown": "#a52a2a",
    "pink": "#ffc0cb",
}
_TYPE_NAMES = {
    dict: "a mapping",
    list: "a list",
    str: "a string",
    bool: "true or false",
    int: "an integer",
    float: "a number",
}


def short_repr(value: object, limit: int = 60) -> str:
    """``repr`` cut to ``limit`` characters (huge values stay readable in one line)."""
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 5] + "…" + text[-4:]
    return text


def _type_name(value: object) -> str:
    if value is None:
        return "nothing (null)"
    for python_type, name in _TYPE_NAMES.items():
        if type(value) is python_type:
            return name
    return type(value).__name__


class Checker:
    """Collects problems for one plan file."""

    def __init__(self, file: str, lines: Mapping[str, int]) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[PlanProblem] = []

    # -- reporting ---------------------------------------------------------------------------
    def line_of(self, path: str) -> int | None:
        """Line of ``path`` or of its nearest ancestor that has one."""
        prefix = path
        while True:
            if prefix in self.lines:
                return self.lines[prefix]
            if not prefix:
                return None
            cut = max(prefix.rfind("."), prefix.rfind("["))
            prefix = prefix[:cut] if cut > 0 else ""

    def error(
        self,
        path: str,
        message: str,
        *,
        value: object = None,
        expected: str | None = None,
        suggestions: Sequence[str] = (),
    ) -> None:
        self.problems.append(
            PlanProblem(
                self.file,
                path,
                message,
                line=self.line_of(path),
                value=value,
                expected=expected,
                suggestions=suggestions,
            )
        )

    def warn(self, path: str, message: str, *, value: object = None) -> None:
        """Record a warning: the plan stays valid, the user is told what to look at."""
        self.problems.append(
            PlanProblem(
                self.file, path, message, line=self.line_of(path), value=value, severity="warning"
            )
        )

    @property
    def has_errors(self) -> bool:
        """``True`` once any error (not a warning) was recorded."""
        return any(problem.is_error for problem in self.problems)

    def wrong_type(self, path: str, value: object, expected: str) -> None:
        self.error(
            path,
            f"wrong type: got {_type_name(value)} {short_repr(value)}"
            if value is not None
            else "wrong type: got nothing (null)",
            value=value,
            expected=expected,
        )

    def not_one_of(self, path: str, message: str, value: object, choices: Collection[str]) -> None:
        """Report ``value`` (``message`` says what it is) as none of ``choices``, naming the
        closest ones."""
        self.error(
            path,
            message,
            value=value,
            expected="one of " + ", ".join(choices),
            suggestions=closest(str(value), choices),
        )

    # -- structure ---------------------------------------------------------------------------
    def mapping(
        self,
        value: object,
        path: str,
        allowed: Collection[str],
        required: Collection[str] = (),
    ) -> dict[str, Any] | None:
        """Check a mapping: type, unknown keys (with closest key), required keys."""
        if not isinstance(value, dict):
            self.wrong_type(path, value, "a mapping")
            return None
        near_misses: set[str] = set()
        for key in value:
            if str(key) not in allowed:
                hint = closest(str(key), allowed, n=1)
                near_misses.update(hint)
                self.error(
                    _sub(path, str(key)),
                    f"unknown key {str(key)!r}",
                    value=key,
                    expected="one of " + ", ".join(sorted(allowed)),
                    suggestions=hint,
                )
        for key in required:
            # a misspelt required key is reported once, as the unknown key with its fix
            if key not in value and key not in near_misses:
                self.error(path, f"missing required key {key!r}", expected=f"{key}: …")
        return {str(key): item for key, item in value.items()}

    def sequence(self, value: object, path: str, *, allow_empty: bool = True) -> list[Any] | None:
        if not isinstance(value, list):
            self.wrong_type(path, value, "a list")
            return None
        if not value and not allow_empty:
            self.error(path, "empty list", expected="at least one item")
            return None
        return value

    # -- scalars -----------------------------------------------------------------------------
    def relative_file(
        self, value: Any, path: str, kind: str, examples: str, suffixes: Sequence[str], listed: str
    ) -> str | None:
        """A file name relative to the plan's folder (no absolute path, no ``..``) with one of
        ``suffixes``; ``kind`` names it in messages (``layer file``), ``examples`` shows good
        names, ``listed`` names the suffix list (``a table file``)."""
        name = self.string(value, path, max_len=300)
        if name is None:
            return None
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if PureWindowsPath(name).is_absolute() or name.startswith("/") or ".." in parts:
            message = f"{kind} {short_repr(name)} is outside the plan's folder"
            expected = f"a file name relative to the plan ({examples})"
            self.error(path, message, value=name, expected=expected)
            return None
        if PurePosixPath(name).suffix.lower() not in suffixes:
            expected = f"{listed}: " + ", ".join(suffixes)
            self.error(
                path, f"unsupported {kind} type {short_repr(name)}", value=name, expected=expected
            )
            return None
        return name

    def string(
        self, value: object, path: str, *, max_len: int = MAX_TEXT, allow_empty: bool = False
    ) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.wrong_type(path, value, "a string")
            return None
        text = str(value).strip()
        if not text and not allow_empty:
            self.error(path, "empty text", expected="a non-empty string")
            return None
        if len(text) > max_len:
            self.error(
                path,
                f"text too long ({len(text)} characters): {short_repr(text)}",
                value=text,
                expected=f"at most {max_len} characters",
            )
            return None
        if _CONTROL.search(text):
            self.error(
                path,
                f"text contains control characters: {short_repr(text)}",
                value=text,
                expected="printable text",
            )
            return None
        markup = _MARKUP.search(text)
        if markup:
            # Renderers escape every text, so markup is shown as the characters typed; it is
            # still worth a look (pasted from a web page, or an injection attempt).
            self.warn(
                path,
                f"text looks like HTML markup ({short_repr(markup.group(0), 40)}); "
                "it is shown as literal text, not interpreted",
                value=text,
            )
        return text

    def ident(self, value: object, path: str) -> str | None:
        if not isinstance(value, str):
            self.wrong_type(path, value, "an id string")
            return None
        if len(value) > MAX_ID or not _ID.fullmatch(value):  # fullmatch: no trailing newline
            self.error(
                path,
                f"bad id {short_repr(value)}",
                value=value,
                expected=f"lower-case letters, digits, '-' or '_' (at most {MAX_ID})",
            )
            return None
        return value

    def text(self, value: object, path: str, *, required: bool = True) -> Text | None:
        """A multilingual text: ``{zh-Hans: …, en: …[, zh-Hant: …]}``; zh-Hant derived."""
        if value is None and not required:
            return EMPTY_TEXT
        if not isinstance(value, dict):
            self.wrong_type(path, value, "a text mapping {zh-Hans: …, en: …}")
            return None
        data = self.mapping(value, path, TEXT_KEYS, required=("zh-Hans", "en"))
        if data is None:
            return None
        out: dict[str, str] = {}
        ok = True
        for key in TEXT_KEYS:
            if key in data:
                string = self.string(data[key], _sub(path, key))
                if string is None:
                    ok = False
                else:
                    out[key] = string
        if not ok or "zh-Hans" not in out or "en" not in out:
            return None
        return Text(out["zh-Hans"], out.get("zh-Hant") or to_hant(out["zh-Hans"]), out["en"])

    def number(
        self,
        value: object,
        path: str,
        *,
        lo: float | None = None,
        hi: float | None = None,
        integer: bool = False,
    ) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.wrong_type(path, value, "an integer" if integer else "a number")
            return None
        if integer and not isinstance(value, int):
            self.wrong_type(path, value, "an integer")
            return None
        if (
            not math.isfinite(value)
            or (lo is not None and value < lo)
            or (hi is not None and value > hi)
        ):
            rng = (
                f"a number from {lo:g} to {hi:g}"
                if lo is not None and hi is not None
                else "a finite number"
            )
            self.error(path, f"value out of range: {value!r}", value=value, expected=rng)
            return None
        return value

    def boolean(self, value: object, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.wrong_type(path, value, "true or false")
            return None
        return value

    def choice(self, value: object, path: str, choices: Sequence[str], what: str) -> str | None:
        if not isinstance(value, str) or value not in choices:
            if not isinstance(value, str):
                self.wrong_type(path, value, f"a {what}: one of " + ", ".join(choices))
                return None
            self.not_one_of(path, f"unknown {what} {value!r}", value, choices)
            return None
        return value

    def colour(self, value: object, path: str) -> str | None:
        if not isinstance(value, str) or not _COLOUR.match(value):
            name = value.strip().lower() if isinstance(value, str) else ""
            self.error(
                path,
                f"bad colour {short_repr(value)}",
                value=value,
                expected="a CSS hex colour '#rrggbb' or '#rgb'",
                suggestions=[_CSS_NAMES[name]] if name in _CSS_NAMES else (),
            )
            return None
        colour = value.lower()
        if len(colour) == 4:
            colour = "#" + "".join(digit * 2 for digit in colour[1:])
        return colour

    def source_refs(
        self, value: object, path: str, known: Collection[str] | None
    ) -> tuple[str, ...] | None:
        """``P17`` or ``[P17, P20]``; each must be one of the plan's ``source.paragraphs``."""
        items = value if isinstance(value, list) else [value]
        if not items or value is None:
            self.error(path, "empty source reference", expected="a paragraph id such as P17")
            return None
        out: list[str] = []
        for i, item in enumerate(items):
            item_path = f"{path}[{i}]" if isinstance(value, list) else path
            if not isinstance(item, str) or not _PARA.match(item):
                self.error(
                    item_path,
                    f"bad paragraph id {short_repr(item)}",
                    value=item,
                    expected="a paragraph id such as P17",
                )
                continue
            if known is not None and item not in known:
                self.not_one_of(
                    item_path, f"paragraph {item!r} is not listed in source.paragraphs", item, known
                )
                continue
            out.append(item)
        return tuple(out) if len(out) == len(items) else None


def _sub(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
