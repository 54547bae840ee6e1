"""``--layer FILE[:key=value,...]``: a data layer given on the command line.

The option becomes a ``layers:`` entry, checked and read exactly as if it were written in the
plan (:mod:`maplayout.plan.sections.layers`, :mod:`maplayout.plan.layers`); only the option's
own form is checked here. Keys mirror the plan's entry, nested keys with a dot::

    companies.csv:datum=GCJ-02,data_source=企查查导出,data_source.url=https://example.org
    parks.xlsx:id=parks,label.zh-Hans=园区,label.en=Parks,sheet=2024,style.color=#1b7837

``id`` defaults to the file's stem (lower-cased, other characters as ``-``; ``layer-N`` when
nothing is left), ``label`` to the stem. ``datum`` and ``data_source`` are required, as in a
plan: a wrong datum moves every point by hundreds of metres, and every drawn layer cites its
source. A text given without a language (``label=…``, ``data_source=…``) is used for every
language. Values cannot contain a comma.

The file is the user's own path (relative to the current folder, or absolute), not one
relative to the plan: the plan's "inside the plan's folder" rule protects a reader from a plan
someone else wrote, while a command-line path is the reader's own choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maplayout.errors import PlanProblem, closest
from maplayout.plan.sections.layers import SUFFIXES

__all__ = ["OPTION_KEYS", "LayerOption", "parse_layer_option"]

_LANGS = ("zh-Hans", "zh-Hant", "en")
_TEXTS = ("label", "data_source.title")
#: The keys a ``--layer`` option takes (the plan entry's, nested ones with a dot).
OPTION_KEYS: tuple[str, ...] = (
    "id",
    "label",
    *(f"label.{lang}" for lang in _LANGS),
    "datum",
    "lon",
    "lat",
    "name",
    "category",
    "weight",
    "link",
    "sheet",
    "encoding",
    "style.color",
    "style.radius",
    "data_source",
    "data_source.title",
    *(f"data_source.title.{lang}" for lang in _LANGS),
    "data_source.url",
    "data_source.date",
)
_REQUIRED = {
    "datum": "datum=WGS-84, GCJ-02 (Amap, Tencent) or BD-09 (Baidu): the table's coordinates",
    "data_source": "data_source=TITLE (where the table comes from; "
    "data_source.url=… and data_source.date=… optional)",
}
# FILE, then ":" and the first key=value (a ':' inside FILE is kept: c:/x.csv, a:b.csv)
_SPLIT = re.compile(r"^(?P<file>.+?)(?::(?P<pairs>[A-Za-z_][A-Za-z_.-]*=.*))?$", re.DOTALL)


@dataclass(frozen=True)
class LayerOption:
    """One ``--layer`` option: its text (as typed, for messages) and the layer entry it makes.

    ``entry["file"]`` is a :class:`~pathlib.Path` (absolute): the sign of a command-line
    layer, which the section reader accepts outside the plan's folder.
    """

    text: str
    entry: dict[str, Any]

    @property
    def where(self) -> str:
        """How problems name the option: ``--layer companies.csv:datum=GCJ-02``."""
        return f"--layer {self.text}"


def parse_layer_option(text: str, index: int = 0) -> tuple[LayerOption | None, list[PlanProblem]]:
    """The option ``text`` (the ``index``-th ``--layer``, from 0) as a layer entry, or its
    problems (each one line naming the option, the bad value and the closest valid keys)."""
    where = f"--layer {text}"
    match = _SPLIT.match(text.strip())
    if not match or not match.group("file").strip():
        expected = "FILE[:key=value,...], e.g. companies.csv:datum=GCJ-02,data_source=Qichacha"
        return None, [PlanProblem(where, "<option>", "no file given", expected=expected)]
    file = Path(match.group("file").strip())
    problems: list[PlanProblem] = []
    given: dict[str, str] = {}
    for pair in filter(None, (match.group("pairs") or "").split(",")):
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep:
            problems.append(
                PlanProblem(
                    where,
                    "<option>",
                    f"not key=value: {pair!r} (values cannot contain a comma)",
                    value=pair,
                    expected="key=value pairs separated by commas",
                )
            )
        elif key not in OPTION_KEYS:
            near = closest(key, OPTION_KEYS)
            given.update({k: "" for k in near[:1] if k in _REQUIRED})  # reported once
            problems.append(
                PlanProblem(
                    where,
                    key,
                    f"unknown key {key!r}",
                    value=key,
                    expected="one of " + ", ".join(OPTION_KEYS),
                    suggestions=near,
                )
            )
        elif key in given:
            problems.append(PlanProblem(where, key, f"{key!r} given twice", value=key))
        else:
            given[key] = value.strip()
    if file.suffix.lower() not in SUFFIXES:
        problems.append(
            PlanProblem(
                where,
                "<file>",
                f"unsupported layer file type {str(file)!r}",
                value=str(file),
                expected="a table file: " + ", ".join(SUFFIXES),
            )
        )
    for key, expected in _REQUIRED.items():
        if not any(k == key or k.startswith(key + ".") for k in given):
            problems.append(PlanProblem(where, key, f"missing {key}", expected=expected))
    if problems:
        return None, problems
    return LayerOption(text, _entry(file, given, index)), []


def _entry(file: Path, given: dict[str, Any], index: int) -> dict[str, Any]:
    """The ``layers:`` entry of the option's ``given`` keys (defaults from the file's stem)."""
    if "data_source" in given:
        given.setdefault("data_source.title", given.pop("data_source"))
    stem = file.stem
    slug = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")[:64]
    entry: dict[str, Any] = {
        "id": given.pop("id", slug or f"layer-{index + 1}"),
        "file": file.absolute(),
    }
    given.setdefault("label", stem)
    for name in _TEXTS:
        texts = {lang: given.pop(f"{name}.{lang}") for lang in _LANGS if f"{name}.{lang}" in given}
        plain = given.pop(name, None) or next(iter(texts.values()), None)
        if plain is not None:  # a text without a language: every language's
            texts = {"zh-Hans": plain, "en": plain, **texts}
        if texts:
            given[name] = texts
    for key, text in given.items():
        value: Any = _number(text) if key == "style.radius" else text
        head, _, rest = key.partition(".")
        if rest:
            sub, _, leaf = rest.partition(".")
            entry.setdefault(head, {})
            if leaf:
                entry[head].setdefault(sub, {})[leaf] = value
            else:
                entry[head][sub] = value
        else:
            entry[head] = value
    return entry


def _number(value: str) -> float | str:
    """A number as written, or the text (the section check then names it)."""
    try:
        return float(value)
    except ValueError:
        return value
