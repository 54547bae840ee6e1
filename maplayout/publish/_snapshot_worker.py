"""The process that drives Chromium for :class:`~maplayout.publish.snapshots.Snapshotter`.

Started by the snapshotter (this file loaded on its own, ``main([IN, OUT])``, in a fresh
interpreter: it imports only the standard library), never by hand: ``IN`` and ``OUT`` are pipe
file descriptors carrying pickled messages (:class:`multiprocessing.connection.Connection`
framing). The worker talks to Chromium over the browser's own DevTools pipe
(``--remote-debugging-pipe``), with a handful of protocol commands: no Playwright driver
process, no per-message Python layer. On this project's 2-core machine that took the build's
snapshot step from about 6 s to about 3 s of CPU (``benchmarks/snapshot_speed.py``,
docs/reports.md).

Protocol (parent → worker, first the start request, then any number of the others)::

    {"exe", "args", "timeout_s", "warm": [width, height, scale, count]}
    ("capture", [(name, absolute path)], width, height, scale)  → ("ok", [png bytes])
    ("close",)                                          → ("closed",)

and worker → parent, once after launching: ``("started",)``. A failure answers
``("error", kind, message)``: ``kind`` is ``"build"`` (a one-line :class:`BuildError`) or
``"chromium-start"`` (a :class:`DependencyMissingError`).

The worker never outlives its parent: a reader thread takes the requests, and when the pipe
closes (the parent closed it, exited or was killed) it kills the worker's own children
(Chromium) and ends the process. The parent kills the whole tree when a step misses its
deadline; the browser's temporary profile folder is removed either way.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

__all__: list[str] = []

# Resolves with how the page signalled readiness: "ready", "none" (no signal: plain page)
# or "timeout". A page announces that it will signal by defining window.maplayout.
WAIT_READY = """
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
SETTLE_MS = 300
#: The browsers looked for on the PATH, in order. The headless shell first (Debian's
#: ``chromium-headless-shell``, Chrome for Testing's ``chrome-headless-shell``): the same engine
#: without the desktop browser's layers, which is what Playwright runs for headless pages; on
#: this project's 2-core machine two snapshots took 1.8 s of CPU with it against 3.4-3.9 s with
#: the full ``chromium`` (docs/reports.md). Then the full browsers.
CHROMIUM_NAMES = (
    "chromium-headless-shell",
    "chrome-headless-shell",
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)
#: The temporary profile folder of a browser the worker launched.
PROFILE_PREFIX = "maplayout-chromium-"
#: Added to the snapshotter's own flags: the DevTools pipe, no window at start, and what keeps
#: a headless page drawing as it would in front of a reader (sRGB, no throttled timers or
#: hidden-window work) and the browser quiet (no extensions, crash reports, keychain).
PIPE_ARGS = (
    "--remote-debugging-pipe",
    "--no-startup-window",
    "--force-color-profile=srgb",
    "--mute-audio",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--disable-component-extensions-with-background-pages",
    "--disable-default-apps",
    "--disable-breakpad",
    "--disable-field-trial-config",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--disable-back-forward-cache",
    "--disable-hang-monitor",
    "--disable-ipc-flooding-protection",
    "--disable-search-engine-choice-screen",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--password-store=basic",
    "--use-mock-keychain",
    "--blink-settings=primaryHoverType=2,availableHoverTypes=2,"
    "primaryPointerType=4,availablePointerTypes=4",
    "--disable-features=PaintHolding,Translate,OptimizationHints,MediaRouter,"
    "NetworkTimeServiceQuerying",
)
#: Every request that would reach the network fails; file:, data:, blob: and about: load.
BLOCKED_URLS = ("http://*", "https://*", "ws://*", "wss://*", "ftp://*")
REDUCED_MOTION = {"name": "prefers-reduced-motion", "value": "reduce"}
CLEAR_STORAGE = "try { localStorage.clear(); sessionStorage.clear(); } catch (e) {}"
_CLOSE_S = 10.0  # Chromium closing after Browser.close
#: maplayout's bundled CJK font (the print figures' font), beside this package folder.
FONT_DIR = Path(__file__).resolve().parents[1] / "_fontdata"


class ShotError(Exception):
    """A one-line failure to report to the parent (becomes its :class:`BuildError`)."""


class ProtocolError(Exception):
    """Chromium refused a command, crashed or closed its pipe (named with the page by
    :meth:`Browser.capture`)."""


def _fontconfig_with_bundled_font(folder: str) -> str | None:
    """On a machine whose fontconfig knows no Chinese font, a fontconfig file (written into
    ``folder``) that adds maplayout's bundled CJK font to the system's configuration, so a
    snapshot shows the map's Chinese text instead of empty boxes; ``None`` when the system
    has one (the browser then sees only the system's fonts). Without ``fc-list`` to ask, the
    font is added."""
    try:
        found = subprocess.run(
            ["fc-list", ":lang=zh", "family"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=20,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        found = b""
    if found or not FONT_DIR.is_dir():
        return None
    from xml.sax.saxutils import escape

    system = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    path = os.path.join(folder, "fonts.conf")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(
            '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
            f'<fontconfig>\n  <include ignore_missing="yes">{escape(system)}</include>\n'
            f"  <dir>{escape(str(FONT_DIR))}</dir>\n"
            f"  <cachedir>{escape(os.path.join(folder, 'fontconfig'))}</cachedir>\n"
            "</fontconfig>\n"
        )
    return path


def children(pid: int) -> set[int]:
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


def browser_profiles(pids: list[int]) -> set[str]:
    """The temporary profile folders of these Chromium processes that the worker made (named
    :data:`PROFILE_PREFIX` ``*``): a killed browser leaves them behind."""
    found = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                args = fh.read().decode("utf-8", "replace").split("\0")
        except OSError:
            continue
        for arg in args:
            if arg.startswith("--user-data-dir="):
                path = arg.split("=", 1)[1]
                name = os.path.basename(path)
                if os.path.isabs(path) and name.startswith(PROFILE_PREFIX):
                    found.add(path)
    return found


def kill_tree(roots: set[int], *, keep_roots: bool) -> None:
    """SIGKILL every descendant of ``roots`` (and the roots unless ``keep_roots``), all
    found before the first is killed (an orphan would leave the tree); then remove the
    profile folders of the killed browser."""
    victims: list[int] = []
    todo = list(roots)
    while todo:
        kids = children(todo.pop())
        victims += kids
        todo += kids
    if not keep_roots:
        victims = [*roots, *victims]
    profiles = browser_profiles(victims)
    victims += _users_of(profiles, exclude=set(victims))  # e.g. a crashpad handler, re-parented
    for pid in victims:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    if profiles:  # a dying Chromium may still write into its profile: remove it once all are gone
        deadline = time.monotonic() + 5.0
        while any(_running(pid) for pid in victims) and time.monotonic() < deadline:
            time.sleep(0.02)
    for path in profiles:  # again while something still writes into it (at most 3 s)
        end = time.monotonic() + 3.0
        shutil.rmtree(path, ignore_errors=True)
        while os.path.exists(path) and time.monotonic() < end:
            time.sleep(0.05)
            shutil.rmtree(path, ignore_errors=True)


def _users_of(profiles: set[str], *, exclude: set[int]) -> list[int]:
    """Other processes whose command line names one of ``profiles`` (Linux ``/proc``)."""
    if not profiles:
        return []
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and int(entry.name) not in exclude:
            try:
                with open(f"/proc/{entry.name}/cmdline", "rb") as fh:
                    line = fh.read().decode("utf-8", "replace")
            except OSError:
                continue
            if any(path in line for path in profiles):
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (not gone, not a zombie); Linux ``/proc``."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return False


class Browser:
    """One Chromium driven over its DevTools pipe (``--remote-debugging-pipe``: JSON messages
    ended by a NUL byte, on file descriptors 3 and 4 of the browser), with one tab that takes
    every shot in turn.

    The pages of a batch load one after another in that tab: a second tab would cost a
    second renderer process (about 0.6 s of CPU on this project's 2-core machine) and a
    background tab is not drawn. Each navigation starts a new document; local and session
    storage are cleared between pages, and the browser profile is a fresh temporary folder,
    removed on close.
    """

    def __init__(self, exe: str, args: list[str], timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self.profile = tempfile.mkdtemp(prefix=PROFILE_PREFIX)
        try:
            self.proc = self._launch(exe, args)
        except BaseException:
            shutil.rmtree(self.profile, ignore_errors=True)
            raise
        self._fds: tuple[int, ...] = (self._w, self._r)  # closed once (_cleanup)
        self._buf = b""
        self._id = 0
        self._events: list[dict[str, Any]] = []
        self.session = ""
        self.size: tuple[int, int, float] | None = None
        self.shown = False  # the tab has shown a page (its storage is cleared before the next)
        try:
            self.send("Browser.getVersion")
        except BaseException:
            self.kill()
            raise

    def _launch(self, exe: str, args: list[str]) -> subprocess.Popen[bytes]:
        to_chrome, self._w = os.pipe()
        self._r, from_chrome = os.pipe()
        # Above 4, so that placing them on 3 and 4 in the child never overwrites the other.
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_chrome, from_chrome)]
        os.close(to_chrome)
        os.close(from_chrome)

        def pipe_fds() -> None:  # Chromium reads its commands on fd 3, answers on fd 4
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        env = dict(os.environ)
        fonts = _fontconfig_with_bundled_font(self.profile)
        if fonts:
            env["FONTCONFIG_FILE"] = fonts
        try:
            return subprocess.Popen(
                [exe, *args, *PIPE_ARGS, f"--user-data-dir={self.profile}"],
                preexec_fn=pipe_fds,
                pass_fds=(3, 4),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except BaseException:
            os.close(self._w)
            os.close(self._r)
            raise
        finally:
            for fd in high:
                os.close(fd)

    # -- the protocol -------------------------------------------------------------------------

    def _read(self) -> dict[str, Any]:
        while True:
            end = self._buf.find(b"\0")
            if end >= 0:
                msg, self._buf = self._buf[:end], self._buf[end + 1 :]
                got: dict[str, Any] = json.loads(msg)
                return got
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise ProtocolError("Chromium closed its DevTools pipe (it crashed or was killed)")
            self._buf += chunk

    def _keep(self, event: dict[str, Any]) -> None:
        """Keep the events a step may wait for; drop the rest (network traffic, logs)."""
        method = event.get("method")
        if method in ("Page.loadEventFired", "Inspector.targetCrashed"):
            self._events.append(event)

    def send(self, method: str, params: dict[str, Any] | None = None, *, tab: bool = False) -> Any:
        """Send one command (to the tab's session with ``tab``) and return its result."""
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if tab:
            msg["sessionId"] = self.session
        data = json.dumps(msg).encode("utf-8") + b"\0"
        while data:
            data = data[os.write(self._w, data) :]
        while True:
            got = self._read()
            if got.get("id") == self._id:
                if "error" in got:
                    raise ProtocolError(f"{method}: {got['error'].get('message', got['error'])}")
                return got.get("result", {})
            if got.get("method") == "Inspector.targetCrashed":
                raise ProtocolError("the page crashed")
            self._keep(got)

    def wait_event(self, method: str) -> dict[str, Any]:
        """The tab's next ``method`` event (a crash of the tab is an error)."""
        while True:
            for i, got in enumerate(self._events):
                if got.get("sessionId") != self.session:
                    continue
                if got["method"] == "Inspector.targetCrashed":
                    raise ProtocolError("the page crashed")
                if got["method"] == method:
                    return self._events.pop(i)
            self._keep(self._read())

    # -- pages --------------------------------------------------------------------------------

    def open_tab(self, width: int, height: int, scale: float) -> None:
        """The tab, in a fresh browser context, its viewport emulated, the network blocked."""
        if not self.session:
            context = self.send("Target.createBrowserContext", {"disposeOnDetach": True})
            target = self.send(
                "Target.createTarget",
                {"url": "about:blank", "browserContextId": context["browserContextId"]},
            )
            attached = self.send(
                "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
            )
            self.session = attached["sessionId"]
            for method, params in (
                ("Page.enable", {}),
                ("Inspector.enable", {}),
                ("Network.enable", {}),
                ("Network.setBlockedURLs", {"urls": list(BLOCKED_URLS)}),
                ("Emulation.setEmulatedMedia", {"features": [REDUCED_MOTION]}),
            ):
                self.send(method, params, tab=True)
        if self.size != (width, height, scale):
            metrics = {"width": width, "height": height, "deviceScaleFactor": scale}
            self.send("Emulation.setDeviceMetricsOverride", {**metrics, "mobile": False}, tab=True)
            self.size = (width, height, scale)

    def make_warm(self, width: int, height: int, scale: float, count: int) -> None:
        """Open the tab now (while the build does other work); ``count`` 0 opens nothing."""
        if count > 0:
            self.open_tab(width, height, scale)

    def capture(
        self, srcs: list[tuple[str, str]], width: int, height: int, scale: float
    ) -> list[bytes]:
        """Load each page in the tab in turn, wait until it is ready, take its picture."""
        src = srcs[0][0] if srcs else ""
        try:
            self.open_tab(width, height, scale)
            out = []
            for src, path in srcs:
                out.append(self._shoot(src, path))
            return out
        except ProtocolError as err:
            raise ShotError(f"{src}: snapshot failed: {_first_line(err)}") from None

    def _shoot(self, src: str, path: str) -> bytes:
        """One page: load it, wait until it is ready, take its picture."""
        if self.shown:  # nothing a page stored reaches the next one
            self.send("Runtime.evaluate", {"expression": CLEAR_STORAGE}, tab=True)
        start = time.monotonic()
        self._events.clear()
        nav = self.send("Page.navigate", {"url": Path(path).as_uri()}, tab=True)
        self.shown = True
        if nav.get("errorText"):
            raise ShotError(f"{src}: snapshot failed: {nav['errorText']}")
        self.wait_event("Page.loadEventFired")
        left_ms = max(1, int(self.timeout_s * 1000 - (time.monotonic() - start) * 1000))
        call = {
            "expression": f"({WAIT_READY})({json.dumps([left_ms, SETTLE_MS])})",
            "awaitPromise": True,
            "returnByValue": True,
        }
        how = self.send("Runtime.evaluate", call, tab=True).get("result", {}).get("value")
        if how == "timeout":
            raise ShotError(
                f"{src}: the map did not finish drawing within {self.timeout_s:g} s "
                "(window.maplayout.ready never became true)"
            )
        shot = self.send("Page.captureScreenshot", {"format": "png"}, tab=True)
        return base64.b64decode(shot["data"])

    # -- the end ------------------------------------------------------------------------------

    def close(self) -> None:
        """Close Chromium (killed if it does not end in time) and remove its profile."""
        try:
            with contextlib.suppress(ProtocolError, OSError):  # it may close the pipe first
                self.send("Browser.close")
            try:
                self.proc.wait(timeout=_CLOSE_S)
            except subprocess.TimeoutExpired:
                self.kill()
        finally:
            self._cleanup()

    def kill(self) -> None:
        kill_tree({self.proc.pid}, keep_roots=False)
        self.proc.wait()
        self._cleanup()

    def _cleanup(self) -> None:
        fds, self._fds = self._fds, ()
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)


def _reader(conn: Connection, todo: queue.Queue[Any]) -> None:
    """Pass requests on; when the parent's end closes, stop Chromium and end the process."""
    try:
        while True:
            todo.put(conn.recv())
    except (EOFError, OSError):
        pass
    kill_tree({os.getpid()}, keep_roots=True)
    os._exit(0)


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def main(argv: list[str]) -> int:
    inbox = Connection(int(argv[0]), writable=False)
    outbox = Connection(int(argv[1]), readable=False)
    todo: queue.Queue[Any] = queue.Queue()
    config = inbox.recv()
    threading.Thread(target=_reader, args=(inbox, todo), daemon=True).start()
    try:
        browser = Browser(config["exe"], list(config["args"]), config["timeout_s"])
    except Exception as err:  # not executable, or it ended or refused before answering
        outbox.send(("error", "chromium-start", _first_line(err)))
        return 1
    outbox.send(("started",))
    width, height, scale, count = config["warm"]
    with contextlib.suppress(Exception):  # a page that fails here is made again when needed
        browser.make_warm(width, height, scale, count)
    while True:
        request = todo.get()
        if request[0] == "close":
            browser.close()
            outbox.send(("closed",))
            return 0
        _, srcs, width, height, scale = request
        try:
            outbox.send(("ok", browser.capture(srcs, width, height, scale)))
        except ShotError as err:
            outbox.send(("error", "build", str(err)))
        except Exception as err:  # anything unforeseen: still one line for the build
            what = srcs[0][0] if len(srcs) == 1 else f"snapshots of {len(srcs)} pages"
            outbox.send(("error", "build", f"{what}: snapshot failed: {_first_line(err)}"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
