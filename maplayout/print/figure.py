"""Print figures of a layout model (SVG, PDF, PNG) through matplotlib, without a browser.

The figure uses the symbology of the interactive map — the colours and line styles come
from the model, the legend entries are exactly ``model.legend`` — and adds what a printed
map needs: a title, a scale bar, a north arrow and a source / attribution / datum line.

Geometry is drawn in a transverse Mercator projection centred on the plan's region, so
distances are metric: uncertainty circles are true ``radius_m`` circles and the scale bar is
measured in metres. Text is set in the bundled CJK font (:mod:`maplayout.print.fonts`, a subset of
Noto Sans CJK SC) unless ``font`` names another, so the bytes are the same on every machine.
PDF fonts are embedded (TrueType, Type 42), so the text can be searched and copied; SVG glyphs
are outlined as paths (``svg.fonttype = "path"``, the text kept in a comment before each
label), so a reader without the font sees the same figure.
"""

from __future__ import annotations

import argparse
import gc
import io
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from maplayout._atomic import write_bytes_atomic
from maplayout._safeio import DPI_RANGE, check_number
from maplayout.errors import BuildError, closest
from maplayout.model import LANG_SUFFIX, LayoutModel, pick_text
from maplayout.print.fonts import FontChoice, choose_font, system_font_for, uncovered
from maplayout.print.furniture import north_arrow, scale_bar
from maplayout.print.labels import place_labels
from maplayout.print.layers import draw_map
from maplayout.print.legend import MEMBER_INDENT, legend_rows
from maplayout.print.points import layer_credit
from maplayout.print.shapes import region_view, simplified, sites_view
from maplayout.print.sitekey import KeyLayout, draw_key_page, site_key, site_lines
from maplayout.print.style import wrap
from maplayout.text import attribution_text, ui_text, view_title

if TYPE_CHECKING:  # matplotlib is imported lazily at run time
    from matplotlib.typing import RcKeyType

__all__ = [
    "PAPERS",
    "draw_figure",
    "figure_cli",
    "figure_text",
    "local_crs",
    "make_figure",
    "make_figures",
]

#: Paper sizes in inches (width, height).
PAPERS: dict[str, tuple[float, float]] = {
    "A4-landscape": (297 / 25.4, 210 / 25.4),
    "A4-portrait": (210 / 25.4, 297 / 25.4),
}
_FORMATS = (".svg", ".pdf", ".png")

#: Axes rectangles (figure fractions) per paper: map, legend, inset, site key, margin x.
_LAYOUT: dict[str, dict[str, tuple[float, ...]]] = {
    "A4-landscape": {
        "map": (0.03, 0.07, 0.56, 0.82),
        "legend": (0.61, 0.07, 0.18, 0.82),
        "inset": (0.795, 0.58, 0.185, 0.262),
        "key": (0.795, 0.07, 0.185, 0.48),
        "x": (0.03,),
    },
    "A4-portrait": {
        "map": (0.05, 0.34, 0.90, 0.56),
        "legend": (0.05, 0.04, 0.32, 0.28),
        "inset": (0.66, 0.095, 0.29, 0.205),
        "key": (0.38, 0.04, 0.27, 0.28),
        "x": (0.05,),
    },
}


def local_crs(model: LayoutModel) -> Any:
    """A transverse Mercator CRS (metres) centred on the model's region."""
    from pyproj import CRS

    region = model.context[model.context["kind"] == "region"]
    frame = region if len(region) else model.units
    minx, miny, maxx, maxy = frame.total_bounds
    lon0, lat0 = (minx + maxx) / 2, (miny + maxy) / 2
    return CRS.from_proj4(
        f"+proj=tmerc +lat_0={lat0:.4f} +lon_0={lon0:.4f} +k=1 +x_0=0 +y_0=0 "
        "+ellps=WGS84 +units=m +no_defs"
    )


def _paper(paper: str) -> tuple[str, tuple[float, float]]:
    for name, size in PAPERS.items():
        if name.lower() == str(paper).lower():
            return name, size
    near = closest(str(paper), PAPERS, n=1)
    hint = f"; closest: {near[0]}" if near else ""
    raise BuildError(f"unknown paper {paper!r}; expected one of {', '.join(PAPERS)}{hint}")


def make_figure(
    model: LayoutModel,
    path: str | Path,
    *,
    paper: str = "A4-landscape",
    dpi: int = 200,
    lang: str = "zh-Hans",
    title: str | None = None,
    font: str | Path | None = None,
) -> Path:
    """Draw ``model`` as a print figure and write it to ``path`` (format from the suffix).

    Parameters
    ----------
    model : LayoutModel
        The joined model (prefecture or county level).
    path : str or Path
        Output file ending in ``.svg``, ``.pdf`` or ``.png``; written atomically.
    paper : {"A4-landscape", "A4-portrait"}
        Page size and orientation.
    dpi : int
        Resolution of PNG output (vector formats ignore it except for rasterised parts).
    lang : {"zh-Hans", "zh-Hant", "en"}
        Language of every label.
    title : str, optional
        Overrides the plan's title.
    font : str or Path, optional
        A font file or an installed family; default: the bundled "Maplayout Sans CJK".
        Characters it lacks are drawn with a system font that has them (found through
        fontconfig); when none has them, a warning lists them.

    Returns
    -------
    Path
        The written file. Identical inputs give identical bytes.

    Raises
    ------
    DependencyMissingError
        The bundled font is missing (a broken installation).
    BuildError
        Unknown paper size, output suffix or font.
    """
    paths = [path]
    return make_figures(model, paths, paper=paper, dpi=dpi, lang=lang, title=title, font=font)[0]


def make_figures(
    model: LayoutModel,
    paths: Sequence[str | Path],
    *,
    paper: str = "A4-landscape",
    dpi: int = 200,
    lang: str = "zh-Hans",
    title: str | None = None,
    font: str | Path | None = None,
) -> list[Path]:
    """Like :func:`make_figure`, drawing once and saving every path (e.g. SVG, PDF and PNG)."""
    targets = [Path(p) for p in paths]
    for path in targets:
        if path.suffix.lower() not in _FORMATS:
            raise BuildError(
                f"{path}: unsupported figure format {path.suffix or '(none)'!r}; "
                f"expected one of {', '.join(_FORMATS)}"
            )
    if lang not in LANG_SUFFIX:
        raise BuildError(f"unknown language {lang!r}; expected one of {', '.join(LANG_SUFFIX)}")
    paper_name, _ = _paper(paper)
    check_number(dpi, "dpi", *DPI_RANGE)  # 0 divides by zero; 10000 needs gigabytes
    with _no_gc():
        data = _render(model, targets, paper_name, dpi, lang, title, font)
    return [write_bytes_atomic(p, d) for p, d in zip(targets, data, strict=True)]


@contextmanager
def _no_gc() -> Iterator[None]:
    """No cyclic garbage collection while a figure is drawn and saved: matplotlib makes tens
    of thousands of short-lived objects, and the collector's passes over every object the
    process holds (the boundaries, the models) cost ~10 % of a figure's time. Reference
    counting still frees what it can; the cycles are collected once the figure is done."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _render(
    model: LayoutModel,
    targets: list[Path],
    paper_name: str,
    dpi: int,
    lang: str,
    title: str | None,
    font: str | Path | None,
) -> list[bytes]:
    """The bytes of each target (format from its suffix), drawn once."""
    import matplotlib

    fig, key, choice = _draw_covered(model, paper_name, lang, title, choose_font(font))
    more: list[Any] = []
    if key.pages and any(p.suffix.lower() == ".pdf" for p in targets):
        more = _key_figures(model, key, paper_name, lang, title, choice)
    data: list[bytes] = []
    with matplotlib.rc_context(_rc(choice)):
        for path in targets:
            suffix = path.suffix.lower()
            meta: dict[str, Any] = {}
            if suffix == ".svg":
                meta = {"Date": None}
            elif suffix == ".pdf":
                meta = {"CreationDate": None, "ModDate": None}
            buf = io.BytesIO()
            if suffix == ".pdf" and more:  # the site key continues on pages 2, 3, …
                from matplotlib.backends.backend_pdf import PdfPages

                with PdfPages(buf, metadata=meta) as pdf:
                    for page in [fig, *more]:
                        pdf.savefig(page, dpi=dpi)
            else:
                fig.savefig(buf, format=suffix[1:], dpi=dpi, metadata=meta)
            data.append(buf.getvalue())
    return data


def _key_figures(
    model: LayoutModel,
    key: KeyLayout,
    paper: str,
    lang: str,
    title: str | None,
    choice: FontChoice,
) -> list[Any]:
    """The continuation pages of the site key (:func:`maplayout.print.sitekey.key_pages`)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    heading = view_title(model, lang, title)
    more = ui_text("figure.key_continued", lang)
    heading = f"{heading} — {more}" if heading else more
    pages = []
    with matplotlib.rc_context(_rc(choice)):
        for page in key.pages:
            fig = Figure(figsize=PAPERS[paper], dpi=100)
            FigureCanvasAgg(fig)
            draw_key_page(fig, page, heading)
            pages.append(fig)
    return pages


def _draw_covered(
    model: LayoutModel, paper: str, lang: str, title: str | None, choice: FontChoice
) -> tuple[Any, KeyLayout, FontChoice]:
    """Draw; when the text has characters ``choice`` lacks, add a system font that has them
    and draw again (label sizes change), else warn with the characters (never silent boxes).
    The site key's continued entries count as the figure's text."""
    fig, key = _draw(model, paper, lang, title, choice)
    more = "".join(e for page in key.pages for column in page for e in column)
    missing = uncovered(figure_text(fig) + more, choice)
    if not missing:
        return fig, key, choice
    extra = system_font_for(missing)
    if extra is not None:
        choice = choice.with_fallback(extra)
        fig, key = _draw(model, paper, lang, title, choice)
        missing = uncovered(figure_text(fig) + more, choice)
    if missing:
        warnings.warn(
            f"figure text has characters no installed font covers, drawn as boxes: {missing} "
            "(install a font that has them, or choose one with --font)",
            stacklevel=4,  # the caller of make_figures
        )
    return fig, key, choice


def figure_text(fig: Any) -> str:
    """Every text drawn on ``fig`` (titles, labels, legend), joined."""
    from matplotlib.text import Text

    return "".join(t.get_text() for t in fig.findobj(Text) if t.get_visible())


def _rc(choice: FontChoice) -> dict[RcKeyType, Any]:
    return {
        "font.family": choice.families,
        "svg.fonttype": "path",
        "svg.hashsalt": "maplayout",
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "lines.scale_dashes": False,
        "axes.unicode_minus": False,
        "path.simplify": True,
        "text.parse_math": False,  # plan texts are text: "$5–$10" is not mathtext (issue 9)
    }


def draw_figure(
    model: LayoutModel,
    *,
    paper: str = "A4-landscape",
    lang: str = "zh-Hans",
    title: str | None = None,
    font: str | Path | FontChoice | None = None,
) -> Any:
    """Draw the print figure of ``model`` and return the matplotlib ``Figure`` (not saved).

    Labels are placed by :func:`maplayout.print.labels.place_labels`: no two labels on the
    map or the inset overlap, and none sits on a site marker, the scale bar or the north
    arrow (a label with no free place is left out). :func:`make_figures` saves it (and
    adds a fallback font for characters ``font`` lacks). This is the first page: a site
    key too long for it ends with a note, and :func:`make_figures` appends the rest to the
    PDF as continuation pages.
    """
    paper_name, _ = _paper(paper)
    choice = font if isinstance(font, FontChoice) else choose_font(font)
    return _draw(model, paper_name, lang, title, choice)[0]


def _draw(
    model: LayoutModel, paper: str, lang: str, title: str | None, choice: FontChoice
) -> tuple[Any, KeyLayout]:
    """The first page, and where the site key's entries went."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_rc(choice)):
        fig = Figure(figsize=PAPERS[paper], dpi=100)
        FigureCanvasAgg(fig)
        key = _compose(fig, model, paper, lang, title)
    return fig, key


def _compose(
    fig: Any, model: LayoutModel, paper_name: str, lang: str, title: str | None
) -> KeyLayout:
    """Map, inset, legend, site key, title and source line on ``fig``; returns the key's
    layout (its entries past the first page go on continuation pages)."""
    box = _LAYOUT[paper_name]
    portrait = paper_name.endswith("portrait")
    crs = local_crs(model)
    view = region_view(model, crs)
    drawn = simplified(model, crs, view)
    ax = fig.add_axes(box["map"])
    zoom = sites_view(drawn, crs, view)
    labels, markers = draw_map(ax, drawn, crs, lang, view, avoid=zoom, numbers=zoom is None)
    scale_bar(ax)
    north_arrow(ax, ui_text("figure.north", lang))
    place_labels(ax, labels, markers)
    _legend(fig.add_axes(box["legend"]), model, lang)
    if zoom is not None:
        from matplotlib.patches import Rectangle

        inset = fig.add_axes(box["inset"])
        labels, markers = draw_map(inset, drawn, crs, lang, zoom, inset=True)
        scale_bar(inset, fontsize=6, ticks=False)
        place_labels(inset, labels, markers)
        inset.set_title(ui_text("figure.inset", lang), fontsize=8, loc="left", pad=3)
        ax.add_patch(
            Rectangle(
                (zoom[0], zoom[1]),
                zoom[2] - zoom[0],
                zoom[3] - zoom[1],
                facecolor="none",
                edgecolor="#222222",
                lw=0.8,
                zorder=21,
            )
        )
    top = 0.98 if portrait else 1.0
    key_ax = fig.add_axes(box["key"])
    lines = site_lines(model, lang)
    key = site_key(key_ax, model, lang, top=top, lines=lines)
    x0, y0, w, h = box["key"]
    ix0, iy0, iw, ih = box["inset"]
    if key.pages and zoom is None and iy0 >= y0 + h:
        # a long key without an inset above it (landscape): it takes the inset's place
        fig.delaxes(key_ax)
        tall = (min(x0, ix0), y0, max(w, iw), iy0 + ih - y0)
        key = site_key(fig.add_axes(tall), model, lang, top=top, lines=lines)
    x = box["x"][0]
    heading = view_title(model, lang, title)  # the county view says so, as the HTML page does
    fig.text(x, 0.965, heading, fontsize=17, fontweight="bold", ha="left", va="top")
    sub = pick_text(model.meta.get("subtitle"), lang)
    if sub:
        fig.text(
            x, 0.94 if portrait else 0.925, sub, fontsize=11, color="#444444", ha="left", va="top"
        )
    credit = layer_credit(model, lang)
    sep = "; " if lang == "en" else "；"
    fig.text(
        x,
        0.018,
        attribution_text(model.meta, lang) + (sep + credit if credit else ""),
        fontsize=6.5,
        color="#333333",
        ha="left",
        va="bottom",
        wrap=True,
    )
    return key


def _legend(ax: Any, model: LayoutModel, lang: str) -> None:
    """The legend: ``model.legend`` (a role's members indented beneath it, each in its own
    swatch) then the HTML legend's extras, as in the HTML map."""
    ax.set_axis_off()
    rows = legend_rows(model, lang)
    legend = ax.legend(
        [r.handle for r in rows],
        [wrap(r.label, 28 if r.member else 26) for r in rows],  # members are set smaller
        title=ui_text("figure.legend", lang),
        loc="upper left",
        frameon=False,
        fontsize=9,
        title_fontsize=10,
        alignment="left",
        borderaxespad=0,
        handlelength=2.2,
        handler_map={r.handle: _member_handler(r.handle) for r in rows if r.member},
    )
    for row, text in zip(rows, legend.get_texts(), strict=True):
        if row.member:
            text.set_fontsize(8)
            text.set_color("#333333")


def _member_handler(handle: Any) -> Any:
    """A member's swatch: its kind's usual handler, indented under the role's swatch."""
    from matplotlib.legend_handler import HandlerLine2D, HandlerPatch
    from matplotlib.lines import Line2D

    if isinstance(handle, Line2D):
        return HandlerLine2D(xpad=MEMBER_INDENT)
    return HandlerPatch(xpad=MEMBER_INDENT)


def figure_cli(args: argparse.Namespace) -> int:
    """``maplayout figure [PLAN] --out F --level --paper --dpi --lang``: print the written path."""
    from maplayout.model import build_model as join
    from maplayout.plan import load_plan

    out_path = Path(args.out)
    if out_path.suffix.lower() not in _FORMATS:  # fail fast, before the join
        raise BuildError(
            f"{out_path}: unsupported figure format {out_path.suffix or '(none)'!r}; "
            f"expected one of {', '.join(_FORMATS)}"
        )
    _paper(getattr(args, "paper", "A4-landscape"))
    choose_font(getattr(args, "font", None))  # an unknown font fails before the join
    model = join(load_plan(args.plan), level=getattr(args, "level", None))
    out = make_figure(
        model,
        args.out,
        paper=getattr(args, "paper", "A4-landscape"),
        dpi=int(getattr(args, "dpi", 200)),
        lang=getattr(args, "lang", "zh-Hans"),
        title=getattr(args, "title", None),
        font=getattr(args, "font", None),
    )
    print(out)
    return 0
