"""The print figure's site key: the numbered list of the sites (the numbers beside the map's
markers), each with its uncertainty, a ``?`` for an uncertain identity and a mark for a site
whose plan gives an interpretation (the mark explained once, under the list).

The key never overflows silently. The entries that fit in the key's box on the first page
are listed there; when some do not, the box ends with a line saying which sites follow and
on which pages of the PDF figure (``地点 29–300 见 PDF 版第 2–3 页``), and the rest are set
in columns on continuation pages (:func:`key_pages`), which the PDF figure appends. The PNG
and SVG figures are the first page alone: their note points to the PDF. Whether the entries
fit is computed from the measured line pitch of the key's font (no trial drawing), so a
key of 20,000 entries is laid out in a few milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from maplayout.model import LayoutModel, row_text
from maplayout.print.style import wrap
from maplayout.text import ui_text

__all__ = ["KeyLayout", "draw_key_page", "key_pages", "site_key", "site_lines"]

#: The first page's key: font size (pt) and line spacing.
KEY_FONT, KEY_SPACING = 7.0, 1.6
#: Continuation pages: font size, line spacing, columns per paper orientation.
MORE_FONT, MORE_SPACING = 6.5, 1.45
MORE_COLUMNS = {"landscape": 5, "portrait": 3}
#: Continuation pages: the columns' top and bottom (figure fractions) and side margin.
MORE_TOP, MORE_BOTTOM, MORE_MARGIN = 0.90, 0.05, 0.03


@dataclass(frozen=True)
class KeyLayout:
    """Where the key's entries go: ``first`` on the first page (numbers 1 …), then
    ``pages`` of columns of entries (continuation pages 2, 3, …)."""

    first: list[str]
    pages: list[list[list[str]]]

    @property
    def continued(self) -> int:
        """The number of entries on continuation pages."""
        return sum(len(column) for page in self.pages for column in page)


def _pitch(fig: Any, fontsize: float, spacing: float) -> tuple[float, float]:
    """The height (display pixels) of one line of the key and the step between lines, measured
    on CJK text (taller than Latin, so a conservative pitch)."""
    from matplotlib.text import Text

    renderer = fig.canvas.get_renderer()

    def height(lines: int) -> float:
        t = Text(0, 0, "\n".join(["地点 lp (±0.5 km)"] * lines), fontsize=fontsize)
        t.set_linespacing(spacing)
        t.set_figure(fig)
        return float(t.get_window_extent(renderer).height)

    one, eleven = height(1), height(11)
    return one, (eleven - one) / 10


def _fits(lines: int, first: float, pitch: float, room: float) -> bool:
    return lines == 0 or first + (lines - 1) * pitch <= room


def _take(
    entries: list[str], start: int, room: float, first: float, pitch: float, tail: int
) -> int:
    """How many of ``entries[start:]`` fit in ``room`` pixels with ``tail`` lines after them."""
    used, n = tail, 0
    for entry in entries[start:]:
        lines = entry.count("\n") + 1
        if not _fits(used + lines, first, pitch, room):
            break
        used += lines
        n += 1
    return n


def site_key(
    ax: Any,
    model: LayoutModel,
    lang: str,
    *,
    top: float,
    lines: tuple[list[str], bool] | None = None,
) -> KeyLayout:
    """Numbered list of the sites (the numbers beside the markers), with their uncertainty;
    what does not fit in ``ax`` is returned for continuation pages (:func:`key_pages`).
    ``lines`` is :func:`site_lines`' result when the caller has it already."""
    ax.set_axis_off()
    if not len(model.sites):
        return KeyLayout([], [])
    ax.text(
        0,
        top,
        ui_text("figure.sites", lang),
        fontsize=9,
        fontweight="bold",
        va="top",
        transform=ax.transAxes,
    )
    entries, marked = lines if lines is not None else site_lines(model, lang)
    tail = ["", wrap(ui_text("figure.interp_note", lang), 46, indent="  ")] if marked else []
    tail_lines = sum(t.count("\n") + 1 for t in tail)
    first, pitch = _pitch(ax.figure, KEY_FONT, KEY_SPACING)
    room = (top - 0.06) * ax.get_window_extent().height
    body = sum(e.count("\n") + 1 for e in entries)
    layout = KeyLayout(entries, [])
    if not _fits(body + tail_lines, first, pitch, room):
        k = _take(entries, 0, room, first, pitch, tail_lines + 2)  # + a blank and the note
        layout = KeyLayout(entries[:k], key_pages(ax.figure, entries[k:]))
        pages = len(layout.pages)
        forms = ui_text("figure.key_more", lang).split("|")  # one page | more pages
        note = (forms[0] if pages == 1 else forms[-1]).format(
            first=k + 1,
            last=len(entries),
            pages="2" if pages == 1 else f"2–{pages + 1}",
        )
        tail = ["", wrap(note, 46), *tail]
    ax.text(
        0,
        top - 0.06,
        "\n".join(layout.first + tail),
        fontsize=KEY_FONT,
        va="top",
        linespacing=KEY_SPACING,
        transform=ax.transAxes,
    )
    return layout


def key_pages(fig: Any, entries: list[str]) -> list[list[list[str]]]:
    """``entries`` in columns of continuation pages the size of ``fig``'s page."""
    first, pitch = _pitch(fig, MORE_FONT, MORE_SPACING)
    width, height = fig.get_size_inches()
    columns = MORE_COLUMNS["portrait" if height > width else "landscape"]
    room = (MORE_TOP - MORE_BOTTOM) * height * fig.dpi
    pages: list[list[list[str]]] = []
    start = 0
    while start < len(entries):
        page: list[list[str]] = []
        while start < len(entries) and len(page) < columns:
            n = max(1, _take(entries, start, room, first, pitch, 0))  # a huge entry: alone
            page.append(entries[start : start + n])
            start += n
        pages.append(page)
    return pages


def draw_key_page(fig: Any, page: list[list[str]], heading: str) -> None:
    """One continuation page of the key: ``heading``, then the columns of entries."""
    width, height = fig.get_size_inches()
    columns = MORE_COLUMNS["portrait" if height > width else "landscape"]
    fig.text(MORE_MARGIN, 0.965, heading, fontsize=12, fontweight="bold", ha="left", va="top")
    step = (1 - 2 * MORE_MARGIN) / columns
    for i, column in enumerate(page):
        fig.text(
            MORE_MARGIN + i * step,
            MORE_TOP,
            "\n".join(column),
            fontsize=MORE_FONT,
            linespacing=MORE_SPACING,
            ha="left",
            va="top",
        )


def site_lines(model: LayoutModel, lang: str) -> tuple[list[str], bool]:
    """The key's lines: number, name, uncertainty, ``?`` for an uncertain identity and the
    interpretation mark for a site whose plan gives an ``interpretation``; and whether any
    line has that mark."""
    mark = ui_text("figure.interp_mark", lang)
    lines = []
    marked = False
    for i, (_, s) in enumerate(model.sites.iterrows(), start=1):
        line = f"{i}  {row_text(s, 'name', lang)}"
        radius = float(s["radius_m"] or 0)
        if radius > 0:
            line += f" (±{radius / 1000:g} km)"
        if bool(s["identity_uncertain"]):
            line += " ?"
        if row_text(s, "interpretation", lang):
            line += f" {mark}"
            marked = True
        lines.append(wrap(line, 46, indent="    "))
    return lines, marked
