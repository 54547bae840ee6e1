"""PNG snapshots of built HTML maps through a headless Chromium (Playwright).

The browser is the system Chromium (``chromium``, ``chromium-browser``, ``google-chrome``)
or, failing that, one that Playwright manages. Every request that is not a local file is
blocked, so a snapshot shows exactly what an offline reader sees. The picture is taken once
the map says it has finished drawing: pages built by :mod:`maplayout.render` set
``window.maplayout.ready = true`` and dispatch a ``maplayout:ready`` event; other pages
(``index.html``) are taken after ``load``, web fonts and a short settle.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

from maplayout._atomic import write_bytes_atomic
from maplayout.errors import BuildError, DependencyMissingError

__all__ = ["CHROMIUM_ARGS", "Snapshotter", "find_chromium", "snapshot", "thumbnail"]

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--hide-scrollbars",
    "--font-render-hinting=none",
)
_INSTALL_PLAYWRIGHT = 'pip install "maplayout[snapshot]"'
_INSTALL_CHROMIUM = "apt-get install chromium"
_SETTLE_MS = 300

# Resolves with how the page signalled readiness: "ready", "none" (no signal: plain page)
# or "timeout". A page announces that it will signal by defining window.maplayout.
_WAIT_READY = """
([timeoutMs, settleMs]) => new Promise((resolve) => {
  const done = (how) => {
    const fonts = document.fonts ? document.fonts.ready : Promise.resolve();
    fonts.then(() => requestAnimationFrame(() => requestAnimationFrame(() => resolve(how))));
  };
  const ml = window.maplayout;
  if (!ml) { setTimeout(() => done("none"), settleMs); return; }
  if (ml.ready === true) { done("ready"); return; }
  window.addEventListener("maplayout:ready", () => done("ready"), { once: true });
  const poll = setInterval(() => { if (window.maplayout && window.maplayout.ready === true) {
    clearInterval(poll); done("ready"); } }, 50);
  setTimeout(() => { clearInterval(poll); resolve("timeout"); }, timeoutMs);
})
"""


def find_chromium() -> str | None:
    """Path of a Chromium to drive: the system one first, else Playwright's own, else None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:  # a browser downloaded earlier by `playwright install chromium`, if any
        with sync_playwright() as pw:
            exe = pw.chromium.executable_path
    except Exception:  # Playwright raises its own error types; none of them is usable here
        return None
    return exe if exe and os.path.exists(exe) else None


class Snapshotter:
    """One headless Chromium reused for several snapshots (a build takes several).

    Use as a context manager::

        with Snapshotter() as shots:
            shots.shot("maps/a.html", "maps/a.png")
    """

    def __init__(self, *, timeout_s: float = 30) -> None:
        self.timeout_s = timeout_s
        self._pw: Any = None
        self._browser: Any = None
        # Playwright's sync API refuses to run in a thread with a running asyncio loop
        # (Jupyter, or another Playwright); one private thread owns the browser instead.
        self._thread: ThreadPoolExecutor | None = None

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        if self._thread is None:
            raise RuntimeError("Snapshotter is used outside its `with` block")
        return self._thread.submit(fn, *args, **kwargs).result()

    def __enter__(self) -> Snapshotter:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="maplayout-snapshot")
        try:
            self._call(self._start)
        except BaseException:
            self._thread.shutdown()
            self._thread = None
            raise
        return self

    def _start(self) -> None:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise DependencyMissingError(
                f"snapshots need Playwright for Python, not installed: {_INSTALL_PLAYWRIGHT}"
            ) from None
        exe = find_chromium()
        if exe is None:
            raise DependencyMissingError(
                f"snapshots need a Chromium, none found: {_INSTALL_CHROMIUM}"
            )
        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(
                executable_path=exe, args=list(CHROMIUM_ARGS), headless=True
            )
        except Exception as err:
            self._pw.stop()
            self._pw = None
            raise DependencyMissingError(
                f"could not start Chromium at {exe}: {str(err).splitlines()[0]}"
            ) from None

    def _stop(self) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._pw is not None:
            self._pw.stop()
        self._browser = self._pw = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._thread is not None:
            try:
                self._call(self._stop)
            finally:
                self._thread.shutdown()
                self._thread = None

    def capture(
        self, html: str | Path, *, width: int = 1366, height: int = 768, scale: float = 1.0
    ) -> bytes:
        """PNG bytes of ``html`` at ``width``×``height`` CSS pixels times ``scale``."""
        src = Path(html)
        if not src.is_file():
            raise BuildError(f"{src}: no such HTML file to snapshot")
        if width <= 0 or height <= 0 or scale <= 0:
            raise BuildError(
                f"snapshot size must be positive, got width={width} height={height} scale={scale}"
            )
        return self._call(self._capture, src, int(width), int(height), float(scale))

    def _capture(self, src: Path, width: int, height: int, scale: float) -> bytes:
        context = self._browser.new_context(
            viewport={"width": width, "height": height},
            device_scale_factor=scale,
            reduced_motion="reduce",
        )
        try:
            context.route("**/*", _offline_route)
            page = context.new_page()
            timeout_ms = int(self.timeout_s * 1000)
            page.set_default_timeout(timeout_ms)
            page.goto(src.resolve().as_uri(), wait_until="load")
            how = page.evaluate(_WAIT_READY, [timeout_ms, _SETTLE_MS])
            if how == "timeout":
                raise BuildError(
                    f"{src}: the map did not finish drawing within {self.timeout_s:g} s "
                    "(window.maplayout.ready never became true)"
                )
            return page.screenshot(type="png", full_page=False, animations="disabled")
        finally:
            context.close()

    def shot(
        self,
        html: str | Path,
        png: str | Path,
        *,
        width: int = 1366,
        height: int = 768,
        scale: float = 1.0,
    ) -> Path:
        """Write the snapshot of ``html`` to ``png`` atomically and return its path."""
        _check_paths(Path(html), Path(png))
        data = self.capture(html, width=width, height=height, scale=scale)
        return write_bytes_atomic(png, data)


def _offline_route(route: Any) -> None:
    if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
        route.continue_()
    else:
        route.abort()


def snapshot(
    html: str | Path,
    png: str | Path,
    *,
    width: int = 1366,
    height: int = 768,
    scale: float = 1.0,
    timeout_s: float = 30,
) -> Path:
    """Take a PNG snapshot of a built HTML map, with the network blocked.

    Parameters
    ----------
    html : str or Path
        The HTML file (opened from disk).
    png : str or Path
        Output PNG, written atomically.
    width, height : int
        Viewport in CSS pixels.
    scale : float
        Device scale factor: the PNG is ``width*scale`` × ``height*scale`` pixels.
    timeout_s : float
        How long to wait for the page to load and the map to signal it is ready.

    Raises
    ------
    DependencyMissingError
        Playwright or a Chromium is missing (the message says what to install).
    BuildError
        The HTML file is missing or the map never became ready.
    """
    _check_paths(Path(html), Path(png))  # before starting a browser: cheap errors first
    with Snapshotter(timeout_s=timeout_s) as shots:
        return shots.shot(html, png, width=width, height=height, scale=scale)


def _check_paths(src: Path, out: Path) -> None:
    """One-line errors for a missing or non-HTML input and a non-PNG output name."""
    if not src.is_file():
        raise BuildError(f"{src}: no such HTML file to snapshot")
    if src.suffix.lower() not in (".html", ".htm"):
        raise BuildError(f"{src}: not an HTML file; snapshot takes a built map (.html)")
    if out.suffix.lower() != ".png":
        raise BuildError(f"{out}: snapshots are PNG; name the output *.png")


def thumbnail(
    png: str | Path, out: str | Path, *, width: int = 480, size: tuple[int, int] | None = None
) -> Path:
    """Write a downscaled copy of ``png`` (for index.html).

    With ``size=(w, h)`` the image is fitted inside that box and centred on white, so a
    print figure (A4) and a snapshot (16:9) give thumbnails of the same size; otherwise it is
    ``width`` pixels wide with its own aspect ratio.
    """
    import io

    from PIL import Image

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
