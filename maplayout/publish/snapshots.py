"""PNG snapshots of built HTML maps through a headless Chromium (Playwright).

The browser is the system Chromium (``chromium``, ``chromium-browser``, ``google-chrome``)
or, failing that, one that Playwright manages. Every request that is not a local file is
blocked, so a snapshot shows exactly what an offline reader sees. The picture is taken once
the map says it has finished drawing: pages built by :mod:`maplayout.web` set
``window.maplayout.ready = true`` and dispatch a ``maplayout:ready`` event; other pages
(``index.html``) are taken after ``load``, web fonts and a short settle. A map page (one
that embeds ``#maplayout-data``) that never signals is a failure, never a blank picture.

Every browser step runs under a hard deadline kept outside the page: when a step does not
return in time (a page that spins after ``load``, a hung Chromium), the browser's processes
are killed and the step fails with a one-line :class:`BuildError`. Sizes are bounded too
(:data:`SIZE_LIMITS`): a viewport of at most 4096×4096 CSS pixels and at most 16.8 million
device pixels (4096² — one 64 MB RGBA frame; Chromium needs several), scale 0.25 to 4.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as _FutureTimeout
from pathlib import Path
from types import TracebackType
from typing import Any

from maplayout._atomic import write_bytes_atomic
from maplayout._safeio import InputFileError, check_number, read_limited
from maplayout.errors import BuildError, DependencyMissingError
from maplayout.publish.images import thumbnail  # re-exported: its home before images.py

__all__ = [
    "CHROMIUM_ARGS",
    "SIZE_LIMITS",
    "Snapshotter",
    "find_chromium",
    "snapshot",
    "thumbnail",
]

#: Accepted ranges: viewport width and height (CSS px), device scale factor, timeout (s).
SIZE_LIMITS = {"width": (100, 4096), "height": (100, 4096), "scale": (0.25, 4.0)}
TIMEOUT_LIMITS = (1.0, 600.0)
MAX_DEVICE_PIXELS = 4096 * 4096
MAX_HTML_BYTES = 64_000_000  # a built map is ~0.6 MB; Chromium is not handed anything huge
_START_S = 60.0  # launching Chromium
_STOP_S = 15.0  # closing a context or the browser
_GRACE_S = 10.0  # beyond the page timeout: loading, screenshot, encoding

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
  const isMap = !!document.getElementById("maplayout-data");  // a map must say it is ready
  if (!ml && !isMap) { setTimeout(() => done("none"), settleMs); return; }
  if (ml && ml.ready === true) { done("ready"); return; }
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
        self.timeout_s = check_number(timeout_s, "timeout", *TIMEOUT_LIMITS, unit=" seconds")
        self._pw: Any = None
        self._browser: Any = None
        self._driver_pids: set[int] = set()
        # Playwright's sync API refuses to run in a thread with a running asyncio loop
        # (Jupyter, or another Playwright); one private thread owns the browser instead.
        self._thread: ThreadPoolExecutor | None = None
        self._started: Future[None] | None = None

    def _call(self, fn: Any, *args: Any, deadline: float, what: str) -> Any:
        """Run ``fn`` on the browser thread; past ``deadline`` seconds, kill the browser."""
        if self._thread is None:
            raise RuntimeError("Snapshotter is used outside its `with` block")
        if self._pw is None and fn != self._start:
            raise BuildError(f"{what}: the browser was stopped after an earlier timeout")
        return self._wait(self._thread.submit(fn, *args), deadline=deadline, what=what)

    def _wait(self, future: Future[Any], *, deadline: float, what: str) -> Any:
        try:
            return future.result(timeout=deadline)
        except _FutureTimeout:
            self._abort(future)
            raise BuildError(
                f"{what}: no result within {deadline:g} s; Chromium was stopped"
            ) from None

    def _abort(self, future: Any) -> None:
        """Kill Chromium (the pending call then fails), stop Playwright; kill its driver too
        if that does not finish in time."""
        assert self._thread is not None
        _kill_tree(self._driver_pids, keep_roots=True)
        with contextlib.suppress(Exception):
            future.result(timeout=_STOP_S)
        stop = self._thread.submit(self._stop)
        with contextlib.suppress(Exception):
            stop.result(timeout=_STOP_S)
        if not stop.done():
            _kill_tree(self._driver_pids, keep_roots=False)
        self._pw = self._browser = None

    def start(self) -> Snapshotter:
        """Begin launching Chromium on the browser thread and return at once, so the launch
        overlaps other work (``maplayout build`` starts it before loading the plan). The
        ``with`` block, :meth:`wait_started` and every snapshot wait for it; a launch that
        failed raises its error there. Returns ``self``."""
        if self._thread is None:
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="maplayout-snapshot")
            self._started = self._thread.submit(self._start)
        return self

    def wait_started(self) -> None:
        """Wait until Chromium runs (:meth:`start` first if needed); raise the launch's error
        (:class:`DependencyMissingError` when Playwright or a Chromium is missing)."""
        self.start()
        assert self._started is not None
        try:
            self._wait(self._started, deadline=_START_S, what="starting Chromium")
        except BaseException:
            if self._thread is not None:
                self._thread.shutdown()
                self._thread = None
            raise

    def __enter__(self) -> Snapshotter:
        self.wait_started()
        return self

    def _start(self) -> None:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise DependencyMissingError(
                f"snapshots need Playwright for Python, not installed: {_INSTALL_PLAYWRIGHT}",
                missing="playwright",
            ) from None
        exe = find_chromium()
        if exe is None:
            raise DependencyMissingError(
                f"snapshots need a Chromium, none found: {_INSTALL_CHROMIUM}", missing="chromium"
            )
        before = _children(os.getpid())
        self._pw = sync_playwright().start()
        self._driver_pids = _children(os.getpid()) - before  # Playwright's driver process
        try:
            self._browser = self._pw.chromium.launch(
                executable_path=exe, args=list(CHROMIUM_ARGS), headless=True
            )
        except Exception as err:
            self._pw.stop()
            self._pw = None
            raise DependencyMissingError(
                f"could not start Chromium at {exe}: {str(err).splitlines()[0]}",
                missing="chromium-start",
            ) from None

    def _stop(self) -> None:
        try:
            if self._browser is not None:
                with contextlib.suppress(Exception):  # already dead after a timeout
                    self._browser.close()
            if self._pw is not None:
                self._pw.stop()
        finally:
            self._browser = self._pw = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close Chromium (waiting for a launch still under way) and stop the browser thread."""
        if self._thread is not None:
            try:
                if self._started is not None:
                    with contextlib.suppress(Exception):  # its error was reported to a user
                        self._wait(self._started, deadline=_START_S, what="starting Chromium")
                if self._pw is not None:
                    self._call(self._stop, deadline=_STOP_S, what="closing Chromium")
            finally:
                if self._thread is not None:
                    self._thread.shutdown()
                self._thread = None

    def capture(
        self, html: str | Path, *, width: int = 1366, height: int = 768, scale: float = 1.0
    ) -> bytes:
        """PNG bytes of ``html`` at ``width``×``height`` CSS pixels times ``scale``."""
        src = Path(html)
        _check_html(src)
        _check_size(width, height, scale)
        png: bytes = self._call(
            self._capture,
            src,
            int(width),
            int(height),
            float(scale),
            deadline=self.timeout_s + _GRACE_S,
            what=f"{src}: snapshot",
        )
        return png

    def capture_many(
        self,
        pages: Sequence[str | Path],
        *,
        width: int = 1366,
        height: int = 768,
        scale: float = 1.0,
    ) -> list[bytes]:
        """PNG bytes of every page in ``pages``, loaded side by side in one Chromium (each in
        its own fresh context, so no page sees another's state); in the order given."""
        srcs = [Path(p) for p in pages]
        for src in srcs:
            _check_html(src)
        _check_size(width, height, scale)
        if not srcs:
            return []
        pngs: list[bytes] = self._call(
            self._capture_all,
            srcs,
            int(width),
            int(height),
            float(scale),
            deadline=self.timeout_s + _GRACE_S * len(srcs),
            what=f"{srcs[0]}: snapshot" if len(srcs) == 1 else f"snapshots of {len(srcs)} pages",
        )
        return pngs

    def _capture(self, src: Path, width: int, height: int, scale: float) -> bytes:
        return self._capture_all([src], width, height, scale)[0]

    def _capture_all(self, srcs: list[Path], width: int, height: int, scale: float) -> list[bytes]:
        """Open every page first (Chromium loads them in parallel), then wait for each to be
        ready and take its picture, in order."""
        timeout_ms = int(self.timeout_s * 1000)
        contexts: list[Any] = []
        try:
            opened = []
            for src in srcs:
                context = self._browser.new_context(
                    viewport={"width": width, "height": height},
                    device_scale_factor=scale,
                    reduced_motion="reduce",
                )
                contexts.append(context)
                context.route("**/*", _offline_route)
                page = context.new_page()
                page.set_default_timeout(timeout_ms)
                start = time.monotonic()
                page.goto(src.resolve().as_uri(), wait_until="commit")
                opened.append((src, page, start))
            out = []
            for src, page, start in opened:
                page.wait_for_load_state("load")
                left_ms = max(1, timeout_ms - int((time.monotonic() - start) * 1000))
                how = page.evaluate(_WAIT_READY, [left_ms, _SETTLE_MS])
                if how == "timeout":
                    raise BuildError(
                        f"{src}: the map did not finish drawing within {self.timeout_s:g} s "
                        "(window.maplayout.ready never became true)"
                    )
                out.append(page.screenshot(type="png", full_page=False, animations="disabled"))
            return out
        finally:
            for context in contexts:
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

    def shot_many(
        self,
        jobs: Sequence[tuple[str | Path, str | Path]],
        *,
        width: int = 1366,
        height: int = 768,
        scale: float = 1.0,
    ) -> list[Path]:
        """Like :meth:`shot` for every ``(html, png)`` pair, the pages loaded side by side
        (:meth:`capture_many`); the same bytes as one :meth:`shot` each."""
        for html, png in jobs:
            _check_paths(Path(html), Path(png))
        datas = self.capture_many([h for h, _ in jobs], width=width, height=height, scale=scale)
        return [write_bytes_atomic(png, d) for (_, png), d in zip(jobs, datas, strict=True)]


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
    _check_size(width, height, scale)
    with Snapshotter(timeout_s=timeout_s) as shots:
        return shots.shot(html, png, width=width, height=height, scale=scale)


def _check_html(src: Path) -> None:
    """A regular HTML file of bounded size (not a FIFO or device Chromium would hang on)."""
    try:
        info = os.stat(src)
    except OSError:
        raise BuildError(f"{src}: no such HTML file to snapshot") from None
    if info.st_size > MAX_HTML_BYTES or not os.path.isfile(src):
        try:
            read_limited(src, MAX_HTML_BYTES, "HTML file")
        except InputFileError as err:
            raise BuildError(str(err)) from None


def _check_size(width: float, height: float, scale: float) -> None:
    """One-line errors for a viewport or scale outside :data:`SIZE_LIMITS`."""
    for name, value in (("width", width), ("height", height), ("scale", scale)):
        unit = " CSS pixels" if name != "scale" else ""
        check_number(value, name, *SIZE_LIMITS[name], unit=unit)
    pixels = width * height * scale * scale
    if pixels > MAX_DEVICE_PIXELS:
        raise BuildError(
            f"snapshot of {width}×{height} at scale {scale:g} is {pixels / 1e6:.1f} million "
            f"pixels; expected at most {MAX_DEVICE_PIXELS / 1e6:.1f} million (4096×4096)"
        )


def _children(pid: int) -> set[int]:
    """Process ids whose parent is ``pid`` (Linux ``/proc``; empty elsewhere)."""
    out = set()
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else []:
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as fh:
                    fields = fh.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(entry.name))
    return out


def _kill_tree(roots: set[int], *, keep_roots: bool) -> None:
    """SIGKILL every descendant of ``roots`` (and the roots unless ``keep_roots``)."""
    victims: list[int] = []
    todo = list(roots)
    while todo:
        kids = _children(todo.pop())
        victims += kids
        todo += kids
    if not keep_roots:
        victims += roots
    for pid in victims:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _check_paths(src: Path, out: Path) -> None:
    """One-line errors for a missing or non-HTML input and a non-PNG output name."""
    _check_html(src)
    if src.suffix.lower() not in (".html", ".htm"):
        raise BuildError(f"{src}: not an HTML file; snapshot takes a built map (.html)")
    if out.suffix.lower() != ".png":
        raise BuildError(f"{out}: snapshots are PNG; name the output *.png")
