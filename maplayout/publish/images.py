"""Images beside the maps: the viewer page's thumbnails (Pillow)."""

from __future__ import annotations

import io
from pathlib import Path

from maplayout._atomic import write_bytes_atomic

__all__ = ["thumbnail"]


def thumbnail(
    png: str | Path, out: str | Path, *, width: int = 480, size: tuple[int, int] | None = None
) -> Path:
    """Write a downscaled copy of ``png`` (for index.html).

    With ``size=(w, h)`` the image is fitted inside that box and centred on white, so a
    print figure (A4) and a snapshot (16:9) give thumbnails of the same size; otherwise it is
    ``width`` pixels wide with its own aspect ratio.
    """
    from PIL import Image  # Pillow only when a thumbnail is made

    with Image.open(png) as img:
        img = img.convert("RGB")
        if size is None:
            height = max(1, round(img.height * width / img.width))
            small = img.resize((width, height), Image.Resampling.LANCZOS)
        else:
            box_w, box_h = size
            ratio = min(box_w / img.width, box_h / img.height)
            fit = (max(1, round(img.width * ratio)), max(1, round(img.height * ratio)))
            small = Image.new("RGB", (box_w, box_h), "white")
            small.paste(
                img.resize(fit, Image.Resampling.LANCZOS),
                ((box_w - fit[0]) // 2, (box_h - fit[1]) // 2),
            )
        buf = io.BytesIO()
        small.save(buf, format="PNG", optimize=True)
    return write_bytes_atomic(out, buf.getvalue())
