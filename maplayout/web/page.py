"""What :func:`~maplayout.web.render_map` returns: the page's HTML as a ``str`` that also
saves itself and shows itself in a notebook."""

from __future__ import annotations

import html
import os
from pathlib import Path

from maplayout._atomic import write_text_atomic

__all__ = ["MapPage", "iframe"]

#: The notebook frame's height: the page's whole legend (a plan with every role, group, link
#: and site kind) shows at this height without scrolling (tests/test_display.py measures it).
FRAME_HEIGHT = 680


def iframe(page: str, *, height: int = FRAME_HEIGHT, title: str = "map") -> str:
    """``page`` (a whole HTML document) in a sandboxed ``<iframe srcdoc>``, escaped."""
    return (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" title="{html.escape(title)}" '
        f'style="width:100%;height:{int(height)}px;border:1px solid #ddd" '
        'sandbox="allow-scripts allow-popups"></iframe>'
    )


class MapPage(str):
    """A rendered map page: the HTML text itself (every ``str`` operation works), plus
    :meth:`save` and a notebook display as a sized iframe."""

    __slots__ = ()

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page atomically (UTF-8) and return its path."""
        return write_text_atomic(path, str(self))

    def _repr_html_(self) -> str:
        return iframe(str(self))

    def __repr__(self) -> str:
        return f"<MapPage: {len(self):,} characters; .save(path) writes it>"
