"""A layout model in a notebook: a short ``repr`` and a summary table plus the map."""

from __future__ import annotations

import html
from collections import Counter

from maplayout.model import LayoutModel, pick_text, records, row_text

__all__ = ["model_html", "model_repr", "summary_rows"]


def _title(model: LayoutModel, lang: str = "zh-Hans") -> str:
    return pick_text(model.meta.get("title"), lang) or str(model.meta.get("plan_id") or "")


def model_repr(model: LayoutModel) -> str:
    """One line: plan, level and the size of each layer."""
    sizes = ", ".join(
        f"{n}={len(getattr(model, n))}" for n in ("units", "groups", "links", "sites", "context")
    )
    plan = model.meta.get("plan_id") or "?"
    return f"<LayoutModel {plan!s} ({model.level}): {sizes}>"


def summary_rows(model: LayoutModel, lang: str = "zh-Hans") -> list[tuple[str, str]]:
    """``(field, value)`` rows of the summary table, plain text."""
    roles: Counter[str] = Counter()
    for r in records(model.units):
        if r.get("role"):
            roles[row_text(r, "role_label", lang) or str(r["role"])] += 1
    role_text = "; ".join(f"{k} {v}" for k, v in roles.items()) or "—"
    warnings = [str(n) for n in model.meta.get("notes") or []]
    g, ln, s = model.groups, model.links, model.sites
    return [
        ("plan", f"{_title(model, lang)} ({model.meta.get('plan_id', '')})"),
        ("region", f"{model.meta.get('region_adcode', '')} · {model.level}"),
        ("units", f"{len(model.units)} ({role_text})"),
        ("groups / links / sites", " / ".join(str(len(f)) for f in (g, ln, s))),
        ("warnings", "; ".join(warnings) or "—"),
    ]


def model_html(model: LayoutModel, *, with_map: bool = True) -> str:
    """The summary table (escaped) followed by the map in a sized iframe."""
    rows = "".join(
        f'<tr><th style="text-align:left">{html.escape(k)}</th>'
        f'<td style="text-align:left">{html.escape(v)}</td></tr>'
        for k, v in summary_rows(model)
    )
    out = f"<table>{rows}</table>"
    if with_map:
        from maplayout.web import iframe, render_map

        out += iframe(render_map(model), title=_title(model))
    return out
