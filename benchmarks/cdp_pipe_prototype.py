"""PROTOTYPE, not used by maplayout: the two default snapshots taken by talking to Chromium
over ``--remote-debugging-pipe`` directly (the DevTools protocol, NUL-separated JSON on file
descriptors 3 and 4), without Playwright and its Node driver, to measure what that would save
(``benchmarks/snapshot_speed.py --cdp-prototype``). Replacing Playwright in the product is a
decision for the project, not made here.

Usage (as ``snapshot_speed.py`` runs it)::

    python benchmarks/cdp_pipe_prototype.py MAPS_DIR OUT_DIR BUSY STEM...

prints the same JSON as snapshot_speed.py's child: seconds to start, shoot and close, the
process's own CPU, and with ``BUSY`` > 0 the main thread's busy-work time meanwhile.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from maplayout.publish._snapshot_worker import WAIT_READY
from maplayout.publish.snapshots import CHROMIUM_ARGS, find_chromium

# What Playwright passes and matters for the picture (colour profile, hover emulation), so
# the bytes can be compared with the product's.
EXTRA_ARGS = (
    "--remote-debugging-pipe",
    "--no-startup-window",
    "--force-color-profile=srgb",
    "--mute-audio",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--disable-breakpad",
    "--no-default-browser-check",
    "--password-store=basic",
    "--blink-settings=primaryHoverType=2,availableHoverTypes=2,"
    "primaryPointerType=4,availablePointerTypes=4",
    "--disable-features=PaintHolding,Translate,OptimizationHints,MediaRouter",
)


class Pipe:
    """One Chromium and its DevTools pipe."""

    def __init__(self, exe: str, profile: str) -> None:
        to_chrome, self._w = os.pipe()
        self._r, from_chrome = os.pipe()

        def fds() -> None:  # the pipe Chromium expects: it reads fd 3, writes fd 4
            os.dup2(to_chrome, 3)
            os.dup2(from_chrome, 4)

        self.proc = subprocess.Popen(
            [exe, *CHROMIUM_ARGS, *EXTRA_ARGS, f"--user-data-dir={profile}"],
            preexec_fn=fds,
            pass_fds=(3, 4),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome)
        os.close(from_chrome)
        self._buf = b""
        self._id = 0
        self._events: list[dict[str, Any]] = []

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buf:
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise EOFError("Chromium closed its pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        out: dict[str, Any] = json.loads(msg)
        return out

    def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        while True:
            got = self._read()
            if got.get("id") == self._id:
                if "error" in got:
                    raise RuntimeError(f"{method}: {got['error']}")
                return got["result"]
            self._events.append(got)

    def event(self, method: str, session: str) -> dict[str, Any]:
        for i, got in enumerate(self._events):
            if got.get("method") == method and got.get("sessionId") == session:
                return self._events.pop(i)
        while True:
            got = self._read()
            if got.get("method") == method and got.get("sessionId") == session:
                return got
            self._events.append(got)


def open_page(cdp: Pipe, width: int, height: int) -> tuple[str, str]:
    """A page in a fresh browser context, network blocked, the viewport emulated."""
    context = cdp.send("Target.createBrowserContext", {"disposeOnDetach": True})
    ctx = context["browserContextId"]
    target = cdp.send("Target.createTarget", {"url": "about:blank", "browserContextId": ctx})
    sid = cdp.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})[
        "sessionId"
    ]
    cdp.send("Page.enable", session=sid)
    cdp.send("Network.enable", session=sid)
    blocked = {"urls": ["http://*", "https://*", "ws://*", "wss://*"]}
    cdp.send("Network.setBlockedURLs", blocked, session=sid)
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
    cdp.send("Emulation.setDeviceMetricsOverride", metrics, session=sid)
    motion = {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]}
    cdp.send("Emulation.setEmulatedMedia", motion, session=sid)
    return ctx, sid


def shoot(cdp: Pipe, pages: list[tuple[str, str]], htmls: list[Path]) -> list[bytes]:
    for (_, sid), html in zip(pages, htmls, strict=True):
        cdp.send("Page.navigate", {"url": html.resolve().as_uri()}, session=sid)
    out = []
    for ctx, sid in pages:
        cdp.event("Page.loadEventFired", sid)
        call = {
            "expression": f"({WAIT_READY})([30000, 300])",
            "awaitPromise": True,
            "returnByValue": True,
        }
        if cdp.send("Runtime.evaluate", call, session=sid)["result"]["value"] != "ready":
            raise RuntimeError("the map did not become ready")
        shot = cdp.send("Page.captureScreenshot", {"format": "png"}, session=sid)
        out.append(base64.b64decode(shot["data"]))
        cdp.send("Target.disposeBrowserContext", {"browserContextId": ctx})
    return out


def work(n: int) -> float:
    start, x = time.perf_counter(), 0
    for i in range(n):
        x += i * i % 7
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    maps, out, busy, stems = Path(argv[0]), Path(argv[1]), int(argv[2]), argv[3:]
    t0 = time.perf_counter()
    exe = find_chromium()
    assert exe is not None
    profile = tempfile.mkdtemp(prefix="maplayout-cdp-")
    res: dict[str, float] = {}
    cdp = Pipe(exe, profile)

    def run() -> None:
        cdp.send("Browser.getVersion")
        pages = [open_page(cdp, 1366, 768) for _ in stems]
        res["started"] = time.perf_counter() - t0
        start = time.perf_counter()
        pngs = shoot(cdp, pages, [maps / f"{st}.html" for st in stems])
        for st, png in zip(stems, pngs, strict=True):
            (out / f"{st}.png").write_bytes(png)
        res["shots"] = time.perf_counter() - start

    if busy:
        thread = threading.Thread(target=run)
        thread.start()
        res["work_busy"] = work(busy)
        thread.join()
    else:
        run()
    start = time.perf_counter()
    with contextlib.suppress(EOFError):  # Chromium may close the pipe before answering
        cdp.send("Browser.close")
    cdp.proc.wait()
    shutil.rmtree(profile, ignore_errors=True)
    res["close"] = time.perf_counter() - start
    res["total"] = time.perf_counter() - t0
    res["own_cpu"] = time.process_time()
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
