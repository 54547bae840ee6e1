"""The process that drives Chromium for :class:`~maplayout.publish.snapshots.Snapshotter`.

Started by the snapshotter (this file loaded on its own, ``main([IN, OUT])``, in a fresh
interpreter: it imports only the standard library and Playwright), never by hand:
``IN`` and ``OUT`` are pipe file descriptors carrying pickled messages
(:class:`multiprocessing.connection.Connection` framing). Playwright's sync API does a lot of
Python work per message; here it runs in its own interpreter, so it no longer competes for
the build's GIL (the print figure is drawn meanwhile).

Protocol (parent → worker, first the start request, then any number of the others)::

    {"exe", "args", "timeout_s", "warm": [width, height, scale, count]}
    ("capture", [(name, absolute path)], width, height, scale)  → ("ok", [png bytes])
    ("close",)                                          → ("closed",)

and worker → parent, once after launching: ``("started",)``. A failure answers
``("error", kind, message)``: ``kind`` is ``"build"`` (a one-line :class:`BuildError`) or the
``missing`` of a :class:`DependencyMissingError` (``"playwright"``, ``"chromium-start"``).

The worker never outlives its parent: a reader thread takes the requests, and when the pipe
closes (the parent closed it, exited or was killed) it kills the worker's own children
(Playwright's driver, Chromium) and ends the process. The parent kills the whole tree when a
step misses its deadline.
"""

from __future__ import annotations

import base64
import contextlib
import os
import queue
import shutil
import signal
import sys
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


class ShotError(Exception):
    """A one-line failure to report to the parent (becomes its :class:`BuildError`)."""


def offline_route(route: Any) -> None:
    """Let local pages load; abort every request that would reach the network."""
    if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
        route.continue_()
    else:
        route.abort()


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


def playwright_profiles(pids: list[int]) -> set[str]:
    """The temporary profile folders Playwright made for these Chromium processes (named
    ``playwright_chromiumdev_profile-*``): a killed browser leaves them behind."""
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
                if os.path.isabs(path) and name.startswith("playwright_chromiumdev_profile-"):
                    found.add(path)
    return found


def kill_tree(roots: set[int], *, keep_roots: bool) -> None:
    """SIGKILL every descendant of ``roots`` (and the roots unless ``keep_roots``), all
    found before the first is killed (an orphan would leave the tree); then remove the
    profile folders Playwright made for the killed browser."""
    victims: list[int] = []
    todo = list(roots)
    while todo:
        kids = children(todo.pop())
        victims += kids
        todo += kids
    if not keep_roots:
        victims = [*roots, *victims]
    profiles = playwright_profiles(victims)
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
    """One Chromium through Playwright, with fresh pages made ahead of the shots."""

    def __init__(self, exe: str, args: list[str], timeout_s: float) -> None:
        from playwright.sync_api import sync_playwright  # ImportError: reported by main()

        self.timeout_s = timeout_s
        self.pw = sync_playwright().start()
        try:
            self.browser = self.pw.chromium.launch(executable_path=exe, args=args, headless=True)
        except Exception:
            self.pw.stop()
            raise
        self.warm: dict[tuple[int, int, float], list[tuple[Any, Any, Any]]] = {}

    def new_page(self, width: int, height: int, scale: float) -> tuple[Any, Any, Any]:
        """A page in its own fresh context (no storage shared with another page), the network
        blocked, and a CDP session for the screenshot."""
        context = self.browser.new_context(
            viewport={"width": width, "height": height},
            device_scale_factor=scale,
            reduced_motion="reduce",
        )
        try:
            context.route("**/*", offline_route)
            page = context.new_page()
            page.set_default_timeout(int(self.timeout_s * 1000))
            cdp = context.new_cdp_session(page)
            # The same metrics Playwright set for the page, in the session that takes the
            # picture (emulation is per session: without them a scaled page is upscaled).
            metrics = {"width": width, "height": height, "deviceScaleFactor": scale}
            cdp.send("Emulation.setDeviceMetricsOverride", {**metrics, "mobile": False})
        except BaseException:
            context.close()
            raise
        return context, page, cdp

    def make_warm(self, width: int, height: int, scale: float, count: int) -> None:
        """Open ``count`` pages of that size now (while the build does other work)."""
        pages = self.warm.setdefault((width, height, scale), [])
        for _ in range(count):
            pages.append(self.new_page(width, height, scale))

    def capture(
        self, srcs: list[tuple[str, str]], width: int, height: int, scale: float
    ) -> list[bytes]:
        """Open every page first (Chromium loads them in parallel), then wait for each to be
        ready and take its picture, in order; every context is closed after."""
        timeout_ms = int(self.timeout_s * 1000)
        spare = self.warm.get((width, height, scale), [])
        opened: list[tuple[str, Any, Any, float]] = []
        contexts: list[Any] = []
        try:
            for src, path in srcs:
                context, page, cdp = spare.pop(0) if spare else self.new_page(width, height, scale)
                contexts.append(context)
                start = time.monotonic()
                page.goto(Path(path).as_uri(), wait_until="commit")
                opened.append((src, page, cdp, start))
            out = []
            for src, page, cdp, start in opened:
                page.wait_for_load_state("load")
                left_ms = max(1, timeout_ms - int((time.monotonic() - start) * 1000))
                how = page.evaluate(WAIT_READY, [left_ms, SETTLE_MS])
                if how == "timeout":
                    raise ShotError(
                        f"{src}: the map did not finish drawing within {self.timeout_s:g} s "
                        "(window.maplayout.ready never became true)"
                    )
                # Straight to Chromium: the same PNG bytes as page.screenshot() (checked by
                # tests/test_snapshot_worker.py), without its animation and caret work.
                shot = cdp.send("Page.captureScreenshot", {"format": "png"})
                out.append(base64.b64decode(shot["data"]))
            return out
        finally:
            for context in contexts:
                with contextlib.suppress(Exception):
                    context.close()

    def close(self) -> None:
        try:
            with contextlib.suppress(Exception):  # already dead after a crash
                self.browser.close()
        finally:
            self.pw.stop()


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
    except ImportError:
        outbox.send(("error", "playwright", ""))
        return 1
    except Exception as err:
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
        except Exception as err:  # Playwright's own errors: a page crashed, a file vanished
            what = srcs[0][0] if len(srcs) == 1 else f"snapshots of {len(srcs)} pages"
            outbox.send(("error", "build", f"{what}: snapshot failed: {_first_line(err)}"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
