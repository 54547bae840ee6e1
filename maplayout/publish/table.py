"""The embed kit's data table (units, groups, links, sites, the article's figures) as rows,
CSV and Markdown, and the row conversion the kit's texts share."""

from __future__ import annotations

import contextlib
import contextvars
import csv
import html as _html
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from maplayout.model import LANG_SUFFIX, LayoutModel, pick_text, records, row_text
from maplayout.strings import KIND_NAMES, PRECISION_NAMES, TABLE_HEADINGS, UI
from maplayout.text import display_facts

__all__ = [
    "frame_records",
    "memo_rows",
    "name_map",
    "names_of",
    "one_line",
    "safe_cell",
    "stop_names",
    "table_csv",
    "table_markdown",
    "table_rows",
]


#: Rows already converted during one :func:`write_kit` call (``{id(frame): (frame, rows)}``);
#: ``None`` outside it, so a frame changed between two public calls is always read afresh.
_MEMO: contextvars.ContextVar[dict[int, tuple[Any, list[dict[str, Any]]]] | None] = (
    contextvars.ContextVar("maplayout_embed_memo", default=None)
)


def frame_records(frame: Any) -> list[dict[str, Any]]:
    """The rows of ``frame`` as plain dicts (geometry included); much cheaper than iterrows."""
    memo = _MEMO.get()
    if memo is not None and id(frame) in memo and memo[id(frame)][0] is frame:
        return memo[id(frame)][1]
    rows = records(frame)
    if memo is not None:
        memo[id(frame)] = (frame, rows)
    return rows


def name_map(model: LayoutModel, lang: str) -> dict[str, str]:
    """``{adcode: short name}`` of the model's units in ``lang`` (full name when no short)."""
    units = model.units
    if not len(units):
        return {}

    def pick(codes: str, prefixes: tuple[str, str]) -> dict[str, str]:
        names = [f"{p}_{LANG_SUFFIX[k]}" for p in prefixes for k in (lang, "zh-Hans")]
        cols = [units[c].tolist() if c in units.columns else [""] * len(units) for c in names]
        return {
            str(code): next((str(v) for v in values if v), "")
            for code, *values in zip(units[codes].tolist(), *cols, strict=True)
        }

    # the county view's corridors run between prefectures: name the parents as well
    parents = pick("parent_adcode", ("parent_short", "parent_name"))
    return {**parents, **pick("adcode", ("short", "name"))}


def names_of(by_code: Mapping[str, str], adcodes: Sequence[str]) -> list[str]:
    """The names of ``adcodes`` in ``by_code`` (an unknown code stays itself)."""
    return [by_code.get(str(a), str(a)) for a in adcodes]


def stop_names(by_code: Mapping[str, str], link: Mapping[str, Any], lang: str) -> list[str]:
    """A link's stops by name: a stop below the drawn level (a county on a prefecture map)
    by its own name from the join's ``stop_names``, never its adcode."""
    own = list(link.get("stop_names") or ())
    stops = [str(a) for a in link["stops"]]
    if len(own) != len(stops):
        return names_of(by_code, stops)
    return [by_code.get(a) or str(n.get(lang) or a) for a, n in zip(stops, own, strict=True)]


@contextlib.contextmanager
def memo_rows() -> Iterator[None]:
    """Inside it, :func:`frame_records` converts each frame once (one kit's many texts);
    nested inside another, it shares the outer one's rows."""
    token = _MEMO.set(_MEMO.get() if _MEMO.get() is not None else {})
    try:
        yield
    finally:
        _MEMO.reset(token)


def table_rows(model: LayoutModel, lang: str = "zh-Hans") -> list[list[str]]:
    """Rows of the data table (without headings): units with a role, groups, links, sites,
    then the source's figures; every row names its source paragraphs, and its last cell is
    what the plan marks as its interpretation ("" for none)."""
    by_code = name_map(model, lang)
    return [
        *_unit_rows(model, lang),
        *_group_rows(model, lang, by_code),
        *_link_rows(model, lang, by_code),
        *_site_rows(model, lang, by_code),
        *_fact_rows(model, lang, by_code),
    ]


def _refs(value: Any) -> str:
    return " ".join(str(r) for r in (value or ()))


def _row(kind: str, lang: str, row: Mapping[str, Any], where: str, note: str) -> list[str]:
    """A unit's, group's or link's row: id, label, role label, where, note, no value."""
    unit = kind in ("unit", "zone")
    name = "name" if unit else "label"
    return [
        KIND_NAMES[kind][lang],
        str(row["adcode"] if unit else row["id"]),
        row_text(row, name, lang),
        row_text(row, "role_label", lang),
        where,
        note,
        "",
        _refs(row["source_refs"]),
        row_text(row, "interpretation", lang),
    ]


def _unit_rows(model: LayoutModel, lang: str) -> list[list[str]]:
    if model.level == "zone":  # a plan's own zones: where = the area its parent column names
        return [
            _row(
                "zone", lang, u, row_text(u, "parent_name", lang), row_text(u, "description", lang)
            )
            for u in frame_records(model.units)
            if u["role"]
        ]
    return [
        _row("unit", lang, u, str(u["block"]), row_text(u, "description", lang))
        for u in frame_records(model.units)
        if u["role"]
    ]


def _group_rows(model: LayoutModel, lang: str, by_code: Mapping[str, str]) -> list[list[str]]:
    lst = UI["list"][lang]
    return [
        _row(
            "group",
            lang,
            g,
            lst.join(names_of(by_code, list(g["members"]))),
            row_text(g, "description", lang),
        )
        for g in frame_records(model.groups)
    ]


def _link_rows(model: LayoutModel, lang: str, by_code: Mapping[str, str]) -> list[list[str]]:
    rows = []
    for link in frame_records(model.links):
        arrow = " ↔ " if link["direction"] == "both" else " → "
        stops = arrow.join(stop_names(by_code, link, lang))
        rows.append(_row("link", lang, link, stops, row_text(link, "description", lang)))
    return rows


def _site_rows(model: LayoutModel, lang: str, by_code: Mapping[str, str]) -> list[list[str]]:
    rows = []
    for s in frame_records(model.sites):
        note = row_text(s, "precision_note", lang) or PRECISION_NAMES.get(
            str(s["precision"]), {}
        ).get(lang, str(s["precision"]))
        radius = float(s["radius_m"] or 0)
        stated = (f"±{radius / 1000:g} km", f"±{radius:g} m")  # the note may state it already
        if radius > 0 and not any(t in note for t in stated):
            note += f" (±{radius / 1000:g} km)"
        rows.append(
            [
                KIND_NAMES["site"][lang],
                str(s["id"]),
                row_text(s, "name", lang),
                row_text(s, "kind_label", lang),
                UI["list"][lang].join(names_of(by_code, [s["host_adcode"]])),
                note,
                f"{s['geometry'].y:.4f}, {s['geometry'].x:.4f}",
                _refs(s["source_refs"]),
                row_text(s, "interpretation", lang),
            ]
        )
    return rows


def _fact_rows(model: LayoutModel, lang: str, by_code: Mapping[str, str]) -> list[list[str]]:
    """Headline figures first, site ids named (:func:`maplayout.text.display_facts`)."""
    rows = []
    for f in display_facts(model):
        shown = f["shown"][lang]  # the plan's display text, else value and unit
        if f.get("year"):
            shown += f" ({f['year']})"
        rows.append(
            [
                KIND_NAMES["fact"][lang],
                str(f.get("id", "")),
                pick_text(f.get("label"), lang),
                pick_text(f.get("tier"), lang),
                UI["list"][lang].join(names_of(by_code, f.get("hosts") or [])),
                pick_text(f.get("description"), lang),
                shown.strip(),
                _refs(f.get("source_refs")),
                pick_text(f.get("interpretation"), lang),
            ]
        )
    return rows


#: Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"; the
#: full-width forms too, which Chinese input methods type and some spreadsheets accept).
_FORMULA_START = tuple("=+-@\t\r") + tuple("＝＋－＠")
#: Line breaks and separators: one-line-per-entry files (alt text, captions) keep one line.
_LINE_BREAKS = re.compile("[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+")


def safe_cell(text: object) -> str:
    """A table cell no spreadsheet runs as a formula: prefixed with ``'`` (OWASP) if needed."""
    cell = str(text)
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def one_line(text: str) -> str:
    """``text`` with every line break, tab or line/paragraph separator turned into a space."""
    return _LINE_BREAKS.sub(" ", text)


def table_csv(model: LayoutModel, lang: str = "zh-Hans") -> str:
    """The data table as CSV (UTF-8 with a BOM so spreadsheet programs read the Chinese).

    Cells that could start a formula (``= + - @``, tab, CR) get a leading ``'`` (OWASP)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(TABLE_HEADINGS[lang])
    w.writerows([safe_cell(c) for c in row] for row in table_rows(model, lang))
    return "\ufeff" + buf.getvalue()


def _md_cell(text: str) -> str:
    cell = one_line(safe_cell(text)).replace("\\", "\\\\").replace("|", "\\|")
    return _html.escape(cell, quote=False)


def table_markdown(model: LayoutModel, lang: str = "zh-Hans") -> str:
    """The data table as a GitHub-flavoured Markdown table (cells escaped)."""
    head = TABLE_HEADINGS[lang]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in table_rows(model, lang):
        lines.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
    return "\n".join(lines) + "\n"
