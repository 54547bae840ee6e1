"""PNG snapshots of built HTML maps through a headless Chromium.

The browser is a system Chromium (:data:`CHROMIUM_NAMES`: the headless shell
``chromium-headless-shell`` first, then ``chromium``, ``chromium-browser``, ``google-chrome``) or,
failing that, one that Playwright downloaded (``playwright install chromium``; the ``snapshot``
extra installs Playwright for that). It is driven over its own DevTools pipe
(``--remote-debugging-pipe``), so no other browser driver is needed. Every request that is not
a local file is blocked, so a snapshot shows exactly what an offline reader sees. The picture
is taken once the map says it has finished drawing: pages built by :mod:`maplayout.web` set
``window.maplayout.ready = true`` and dispatch a ``maplayout:ready`` event; other pages
(``index.html``) are taken after ``load``, web fonts and a short settle. A map page (one that
embeds ``#maplayout-data``) that never signals is a failure, never a blank picture.

Chromium is driven from a worker process (:mod:`._snapshot_worker`), not from a thread of the
caller, so that nothing of it competes for the build's GIL with the print figure drawn
meanwhile. The worker is started by :meth:`Snapshotter.start`, opens the tab for the coming
shots while the build does other work, and never outlives the snapshotter (closed, killed on a
deadline, or ended when its parent goes away). Every browser step runs under a hard deadline
kept outside the page: when a step does not return in time (a page that spins after ``load``, a
hung Chromium), the worker and the browser's processes are killed and the step fails with a
one-line :class:`BuildError`. Sizes are bounded too (:data:`SIZE_LIMITS`): a viewport of at
most 4096×4096 CSS pixels and at most 16.8 million device pixels (4096² — one 64 MB RGBA frame;
Chromium needs several), scale 0.25 to 4.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any

from maplayout._atomic import write_bytes_atomic
from maplayout._safeio import InputFileError, check_number, read_limited
from maplayout.errors import BuildError, DependencyMissingError
from maplayout.publish._snapshot_worker import CHROMIUM_NAMES, kill_tree
from maplayout.publish.images import thumbnail  # re-exported: its home before images.py

__all__ = [
    "CHROMIUM_ARGS",
    "CHROMIUM_NAMES",
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
_INSTALL_CHROMIUM = "apt-get install chromium"
# The worker runs this package's own _snapshot_worker.py as a plain module (it needs only the
# standard library): no `maplayout` import, and no folder of the working
# directory on sys.path (`python -m` would take a `maplayout/` found there).
_BOOT = (
    "import sys, importlib.util as u; del sys.path[0]; "
    "spec = u.spec_from_file_location('maplayout_snapshot_worker', sys.argv[1]); "
    "m = u.module_from_spec(spec); spec.loader.exec_module(m); sys.exit(m.main(sys.argv[2:]))"
)
#: Pages opened ahead by :meth:`Snapshotter.start` (one tab takes every shot in turn).
_WARM_PAGES = 1


def find_chromium() -> str | None:
    """Path of a Chromium to drive: a system one first (:data:`CHROMIUM_NAMES`: a headless
    shell before a full browser), else one Playwright downloaded, else None."""
    for name in CHROMIUM_NAMES:
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
    """One headless Chromium reused for several snapshots (a build takes several), driven
    from a worker process.

    Use as a context manager::

        with Snapshotter() as shots:
            shots.shot("maps/a.html", "maps/a.png")
    """

    def __init__(self, *, timeout_s: float = 30, single_batch: bool = False) -> None:
        self.timeout_s = check_number(timeout_s, "timeout", *TIMEOUT_LIMITS, unit=" seconds")
        #: Close Chromium in the background right after the first batch of shots
        #: (``close(wait=False)``): a build takes one, then draws its figure meanwhile.
        self.single_batch = single_batch
        self._proc: subprocess.Popen[bytes] | None = None
        self._requests: Connection | None = None
        self._replies: Connection | None = None
        self._exe = ""
        self._failed: DependencyMissingError | None = None  # found missing before the worker
        self._ready = False  # the worker said Chromium runs
        self._stopped = False  # killed after a missed deadline
        self._closing = False  # asked to close: no more shots
        self._lock = threading.RLock()  # one request at a time, from any thread

    def start(
        self,
        *,
        width: int = 1366,
        height: int = 768,
        scale: float = 1.0,
        pages: int = _WARM_PAGES,
    ) -> Snapshotter:
        """Start the worker process that launches Chromium and return at once, so the launch
        overlaps other work (``maplayout build`` starts it before loading the plan). Once
        Chromium runs, the worker opens ``pages`` fresh pages of ``width``×``height`` at
        ``scale`` for the coming shots (a shot of another size opens its own). The ``with``
        block, :meth:`wait_started` and every snapshot wait for the launch; a launch that
        failed raises its error there. Returns ``self``."""
        with self._lock:
            if self._proc is not None or self._failed is not None or self._stopped:
                return self
            try:
                self._exe = _browser_to_use()
            except DependencyMissingError as err:
                self._failed = err
                return self
            try:  # a size out of range is reported by the shot that asks for it
                _check_size(width, height, scale)
            except BuildError:
                pages = 0
            self._spawn([int(width), int(height), float(scale), max(0, int(pages))])
        return self

    def _spawn(self, warm: list[Any]) -> None:
        """The worker, talking over two pipes of its own (not stdin/stdout: nothing a library
        prints there can garble a message); in its own session, so a Ctrl-C reaches only the
        build, which then closes it."""
        req_read, req_write = os.pipe()
        rep_read, rep_write = os.pipe()
        worker = str(Path(__file__).resolve().with_name("_snapshot_worker.py"))
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-c", _BOOT, worker, str(req_read), str(rep_write)],
                pass_fds=(req_read, rep_write),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except BaseException:
            for fd in (req_write, rep_read):
                os.close(fd)
            raise
        finally:
            os.close(req_read)
            os.close(rep_write)
        self._requests = Connection(req_write, readable=False)
        self._replies = Connection(rep_read, writable=False)
        self._requests.send(
            {"exe": self._exe, "args": CHROMIUM_ARGS, "timeout_s": self.timeout_s, "warm": warm}
        )

    def wait_started(self) -> None:
        """Wait until Chromium runs (:meth:`start` first if needed); raise the launch's error
        (:class:`DependencyMissingError` when no Chromium is found or it does not start). After a
        failure, the next call tries again."""
        self.start()
        with self._lock:
            if self._failed is not None:
                err, self._failed = self._failed, None
                raise err
            if self._ready or self._stopped:
                return
            reply = self._receive(_START_S, "starting Chromium")
            if reply[0] == "started":
                self._ready = True
                return
            self._end()
            raise self._error(reply)

    def __enter__(self) -> Snapshotter:
        self.wait_started()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self, *, wait: bool = True) -> None:
        """Close Chromium (waiting for a launch still under way) and end the worker.

        ``wait=False`` asks the worker to close and returns at once (a build that has taken
        its last snapshot lets Chromium shut down while the figure is still being drawn); no
        snapshot can be taken after it, and a later ``close()`` waits for the worker to end.
        """
        with self._lock:
            self._failed = None
            if self._proc is None:
                return
            if not self._closing:
                self._closing = True
                assert self._requests is not None
                with contextlib.suppress(OSError):  # the worker ended (a failed launch)
                    self._requests.send(("close",))
            if not wait:
                return
            deadline = _STOP_S if self._ready else _START_S + _STOP_S
            try:
                while True:  # a launch not waited for answers first; its error was reported
                    reply = self._receive(deadline, "closing Chromium", eof_ok=True)
                    if reply[0] in ("closed", "error", "ended"):
                        break
            finally:
                self._end()

    def _receive(self, deadline: float, what: str, *, eof_ok: bool = False) -> tuple[Any, ...]:
        """The worker's next message; past ``deadline`` seconds, kill it and its browser. A
        worker that ended is an error, or ``("ended",)`` with ``eof_ok``."""
        assert self._replies is not None
        if not self._replies.poll(deadline):  # waits without holding the GIL
            self._end(kill=True)
            self._stopped = True
            raise BuildError(f"{what}: no result within {deadline:g} s; Chromium was stopped")
        try:
            reply: tuple[Any, ...] = self._replies.recv()
        except (EOFError, OSError):
            if eof_ok:
                return ("ended",)
            self._end(kill=True)
            self._stopped = True
            raise BuildError(f"{what}: the snapshot process ended unexpectedly") from None
        return reply

    def _end(self, *, kill: bool = False) -> None:
        """Reap the worker (killing it and Chromium first if asked, or
        if it does not end in time) and close the pipes."""
        proc, self._proc = self._proc, None
        if proc is not None and kill:
            # before the pipes close: a worker that sees them close kills Chromium itself,
            # and the kill here would then find no browser to remove the profile folder of
            kill_tree({proc.pid}, keep_roots=False)
            proc.wait()
        for conn in (self._requests, self._replies):
            if conn is not None:
                conn.close()
        self._requests = self._replies = None
        self._ready = self._closing = False
        if proc is None or kill:
            return
        try:
            proc.wait(timeout=_STOP_S)
        except subprocess.TimeoutExpired:
            kill_tree({proc.pid}, keep_roots=False)
            proc.wait()

    def _error(self, reply: tuple[Any, ...]) -> Exception:
        """The exception for an ``("error", kind, message)`` reply."""
        _, kind, message = reply
        if kind == "chromium-start":
            return DependencyMissingError(
                f"could not start Chromium at {self._exe}: {message}", missing="chromium-start"
            )
        return BuildError(message)

    def capture(
        self, html: str | Path, *, width: int = 1366, height: int = 768, scale: float = 1.0
    ) -> bytes:
        """PNG bytes of ``html`` at ``width``×``height`` CSS pixels times ``scale``."""
        return self.capture_many([html], width=width, height=height, scale=scale)[0]

    def capture_many(
        self,
        pages: Sequence[str | Path],
        *,
        width: int = 1366,
        height: int = 768,
        scale: float = 1.0,
    ) -> list[bytes]:
        """PNG bytes of every page in ``pages``, loaded one after another in one tab of one
        Chromium (a fresh profile; local and session storage cleared between pages, so no page
        sees what another stored); in the order given."""
        srcs = [Path(p) for p in pages]
        for src in srcs:
            _check_html(src)
        _check_size(width, height, scale)
        if not srcs:
            return []
        what = f"{srcs[0]}: snapshot" if len(srcs) == 1 else f"snapshots of {len(srcs)} pages"
        with self._lock:
            if self._stopped:
                raise BuildError(f"{what}: the browser was stopped after an earlier timeout")
            if self._closing:
                raise BuildError(f"{what}: the browser is closing (Snapshotter.close was called)")
            self.wait_started()
            assert self._requests is not None
            jobs = [(str(src), str(src.resolve())) for src in srcs]
            self._requests.send(("capture", jobs, int(width), int(height), float(scale)))
            reply = self._receive(self.timeout_s + _GRACE_S * len(srcs), what)
            if self.single_batch and reply[0] == "ok":
                self.close(wait=False)
        if reply[0] != "ok":
            raise self._error(reply)
        pngs: list[bytes] = reply[1]
        return pngs

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
        """Like :meth:`shot` for every ``(html, png)`` pair, the pages loaded in turn
        (:meth:`capture_many`); the same bytes as one :meth:`shot` each."""
        for html, png in jobs:
            _check_paths(Path(html), Path(png))
        datas = self.capture_many([h for h, _ in jobs], width=width, height=height, scale=scale)
        return [write_bytes_atomic(png, d) for (_, png), d in zip(jobs, datas, strict=True)]


def _browser_to_use() -> str:
    """The Chromium to launch; :class:`DependencyMissingError` when there is none (checked
    here, so the worker is not started for nothing)."""
    exe = find_chromium()
    if exe is None:
        raise DependencyMissingError(
            f"snapshots need a Chromium, none found: {_INSTALL_CHROMIUM}", missing="chromium"
        )
    return exe


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
        No Chromium is found, or it does not start (the message says what to install).
    BuildError
        The HTML file is missing or the map never became ready.
    """
    _check_paths(Path(html), Path(png))  # before starting a browser: cheap errors first
    _check_size(width, height, scale)
    shots = Snapshotter(timeout_s=timeout_s).start(width=width, height=height, scale=scale, pages=1)
    with shots:
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


def _check_paths(src: Path, out: Path) -> None:
    """One-line errors for a missing or non-HTML input and a non-PNG output name."""
    _check_html(src)
    if src.suffix.lower() not in (".html", ".htm"):
        raise BuildError(f"{src}: not an HTML file; snapshot takes a built map (.html)")
    if out.suffix.lower() != ".png":
        raise BuildError(f"{out}: snapshots are PNG; name the output *.png")
