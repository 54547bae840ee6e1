"""``maplayout build --watch``: the local server (127.0.0.1 only, no path traversal, the reload
script injected at serve time) and the rebuild loop (a save rebuilds, an invalid save keeps the
last good output, Ctrl-C stops). Every wait is bounded; only localhost is used."""

from __future__ import annotations

import http.client
import json
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from maplayout.live import GENERATION_PATH, LiveServer, inject_reload

ROOT = Path(__file__).resolve().parents[1]
GOOD = "名称,经度,纬度\n甲,112.98,28.2\n乙,113.0,28.1\n"
LAYER = "good.csv:datum=GCJ-02,data_source=T"
WAIT_S = 90.0  # a rebuild takes ~2 s here; generous for a busy shared machine


def _get(port: int, target: str) -> tuple[int, bytes]:
    """A raw GET (the target sent as written: no client-side normalisation)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", target, skip_host=False, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[LiveServer, Path]]:
    root = tmp_path / "out"
    (root / "sub").mkdir(parents=True)
    (root / "index.html").write_bytes(b"<!doctype html><html><body><p>x</p></body></html>\n")
    (root / "sub" / "page.html").write_bytes(b"<p>no body tag</p>")
    (root / "data.json").write_bytes(b'{"a": 1}\n')
    (tmp_path / "secret.txt").write_bytes(b"SECRET")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    with LiveServer(root) as server:
        yield server, root


def test_the_server_binds_loopback_only_on_a_free_port(served: tuple[LiveServer, Path]) -> None:
    server, _ = served
    assert server.url == f"http://127.0.0.1:{server.port}/" and server.port > 0
    assert server.address == ("127.0.0.1", server.port)


def test_html_gets_the_reload_script_at_serve_time_only(served: tuple[LiveServer, Path]) -> None:
    server, root = served
    on_disk = (root / "index.html").read_bytes()
    status, body = _get(server.port, "/")
    assert status == 200 and body == inject_reload(on_disk, 0)
    assert body.index(b'<script data-generation="0"') < body.index(b"</body>")
    assert (root / "index.html").read_bytes() == on_disk  # the file is untouched
    status, body = _get(server.port, "/sub/page.html")
    assert status == 200 and body.startswith(b"<p>no body tag</p><script data-generation")
    assert _get(server.port, "/data.json") == (200, b'{"a": 1}\n')  # other files as they are


def test_the_generation_counts_published_builds(served: tuple[LiveServer, Path]) -> None:
    server, _ = served
    assert _get(server.port, GENERATION_PATH) == (200, b"0")
    assert server.bump() == 1
    assert _get(server.port, GENERATION_PATH) == (200, b"1")
    assert b'data-generation="1"' in _get(server.port, "/index.html")[1]


@pytest.mark.parametrize(
    ("target", "status"),
    [
        ("/../secret.txt", 403),
        ("/sub/../../secret.txt", 403),
        ("/%2e%2e/secret.txt", 403),
        ("/%2E%2E%2Fsecret.txt", 403),
        ("/..%2fsecret.txt", 403),
        ("/..%5csecret.txt", 403),
        ("/sub/%2e%2e/%2e%2e/secret.txt", 403),
        ("/link.txt", 403),  # a symbolic link out of the folder
        ("/%00", 403),
        ("//secret.txt", 404),
        ("/secret.txt", 404),
        ("/missing.html", 404),
        ("/favicon.ico", 204),  # asked by browsers unprompted: no console error
        ("/%ff", 404),
    ],
)
def test_nothing_outside_the_folder_is_served(
    served: tuple[LiveServer, Path], target: str, status: int
) -> None:
    server, _ = served
    got, body = _get(server.port, target)
    assert got == status and b"SECRET" not in body


# --------------------------------------------------------------------------------------------
# the watch loop, as users run it
# --------------------------------------------------------------------------------------------
def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Watch:
    """``maplayout build plan.yaml --watch`` in a subprocess, its output read line by line."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        args = ["build", "plan.yaml", "--out", "maps", "--no-figure", "--snapshots", "no", "-q"]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "maplayout", *args, "--layer", LAYER, "--watch"],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            # started with SIGINT ignored, as a background job of a non-interactive shell (CI)
            # starts it: the watch still stops on Ctrl-C (it installs its own handler)
            preexec_fn=_ignore_sigint,
        )
        self.out: queue.Queue[str] = queue.Queue()
        self.err: list[str] = []
        threading.Thread(
            target=self._read, args=(self.proc.stdout, self.out.put), daemon=True
        ).start()
        threading.Thread(
            target=self._read, args=(self.proc.stderr, self.err.append), daemon=True
        ).start()
        line = self.out.get(timeout=WAIT_S)
        assert line.startswith("serving http://127.0.0.1:") and line.endswith(" (Ctrl-C stops)")
        self.url = line.split()[1]
        self.port = int(self.url.rstrip("/").rsplit(":", 1)[1])

    @staticmethod
    def _read(stream: object, put: Callable[[str], object]) -> None:
        for line in stream:  # type: ignore[attr-defined]
            put(line.rstrip("\n"))

    def generation(self) -> int:
        return int(_get(self.port, GENERATION_PATH)[1])

    def manifest(self) -> bytes:
        return (self.folder / "maps" / "build-manifest.json").read_bytes()

    def wait_for(self, what: Callable[[], bool]) -> None:
        deadline = time.monotonic() + WAIT_S
        while not what():
            assert self.proc.poll() is None, "\n".join(self.err)
            assert time.monotonic() < deadline, "\n".join(self.err)
            time.sleep(0.1)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[_Watch]:
    shutil.copy(ROOT / "tests" / "plans" / "minimal.yaml", tmp_path / "plan.yaml")
    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    run = _Watch(tmp_path)
    try:
        yield run
    finally:
        run.stop()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_save_rebuilds_an_invalid_save_keeps_the_output_and_ctrl_c_stops(
    watching: _Watch, tmp_path: Path
) -> None:
    run = watching
    assert run.generation() == 1  # the first build
    first = run.manifest()
    plan = tmp_path / "plan.yaml"

    _edit(plan, "zh-Hans: 测试, en: Test}", "zh-Hans: 测试二, en: Test 2}")  # a save: rebuilt
    run.wait_for(lambda: run.generation() == 2)
    second = run.manifest()
    assert second != first
    page = (tmp_path / "maps" / "minimal.html").read_text("utf-8")
    assert "测试二" in page and "__maplayout__" not in page  # the reload script is not on disk
    assert "测试二" in _get(run.port, "/minimal.html")[1].decode()

    with (tmp_path / "good.csv").open("a", encoding="utf-8") as f:  # a layer file save
        f.write("丙,113.1,28.0\n")
    run.wait_for(lambda: run.generation() == 3)
    layers = json.loads(run.manifest())["inputs"]["layers"]
    assert layers[0]["bytes"] == (tmp_path / "good.csv").stat().st_size
    third = run.manifest()

    plan.touch()  # a touch without new bytes is not a change
    time.sleep(1.5)

    _edit(plan, "place: 株洲", "place: 株州")  # an invalid save: problems printed, output kept
    run.wait_for(lambda: any("the last good output is kept" in line for line in run.err))
    assert any("units[1].place: unknown place '株州'" in line for line in run.err)
    assert run.manifest() == third and run.generation() == 3
    changes = [line for line in run.err if line.endswith(" changed; building")]
    assert changes == [
        "maplayout: watch: plan.yaml changed; building",
        "maplayout: watch: good.csv changed; building",
        "maplayout: watch: plan.yaml changed; building",
    ]  # the touch was not one

    assert run.stop() == 0
    assert run.err[-1] == "maplayout: watch: stopped"
    assert "Traceback" not in "\n".join(run.err)
    with pytest.raises(OSError):
        urllib.request.urlopen(run.url, timeout=2)  # the port is closed

    # the watched build wrote the bytes a normal build writes
    _edit(plan, "place: 株州", "place: 株洲")
    normal = subprocess.run(
        [sys.executable, "-m", "maplayout", "build", "plan.yaml", "--out", "normal",
         "--no-figure", "--snapshots", "no", "-q", "--layer", LAYER],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=WAIT_S,
    )  # fmt: skip
    assert normal.returncode == 0, normal.stderr
    assert (tmp_path / "normal" / "build-manifest.json").read_bytes() == third
    for name in ("minimal.html", "minimal-county.html", "index.html"):
        assert (tmp_path / "normal" / name).read_bytes() == (tmp_path / "maps" / name).read_bytes()


def test_a_taken_port_is_one_line(tmp_path: Path) -> None:
    with LiveServer(tmp_path) as taken:
        proc = subprocess.run(
            [sys.executable, "-m", "maplayout", "build", "--watch", "--port", str(taken.port),
             "--out", str(tmp_path / "maps")],
            capture_output=True, text=True, check=False, timeout=WAIT_S,
        )  # fmt: skip
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"maplayout: error: --port {taken.port}: cannot listen on 127.0.0.1:{taken.port}: "
        "address already in use; expected a free port (--port 0 picks one)"
    ]
    assert not (tmp_path / "maps").exists()
    proc = subprocess.run(
        [sys.executable, "-m", "maplayout", "build", "--watch", "--port", "70000"],
        capture_output=True, text=True, check=False, timeout=WAIT_S,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == (
        "maplayout build: error: argument --port: '70000': expected a port from 0 to 65535 "
        "(0: any free)"
    )


def test_an_invalid_first_plan_builds_nothing_until_it_is_fixed(tmp_path: Path) -> None:
    from maplayout.live import Watcher

    plan = tmp_path / "plan.yaml"
    good = (ROOT / "tests" / "plans" / "minimal.yaml").read_text("utf-8")
    plan.write_text(good.replace("place: 株洲", "place: 株州", 1), encoding="utf-8")
    seen: list[str] = []
    built: list[object] = []
    watcher = Watcher(
        plan,
        tmp_path / "maps",
        options={"figures": False, "snapshots": "no"},
        problems=lambda problems: seen.extend(str(p) for p in problems),
        report=seen.append,
        on_build=built.append,
    )
    assert watcher.build_once() is False
    assert not (tmp_path / "maps").exists() and built == []
    assert seen[-1] == "maplayout: watch: the plan is invalid; the last good output is kept"
    assert watcher.changed() == []  # nothing saved since
    plan.write_text(good, encoding="utf-8")
    assert watcher.changed() == [plan.absolute()]
    assert watcher.build_once() is True and len(built) == 1
    assert (tmp_path / "maps" / "build-manifest.json").is_file()
    plan.write_text(good, encoding="utf-8")  # the same bytes again: not a change
    assert watcher.changed() == []


def test_a_layer_file_named_before_it_exists_rebuilds_once_created(tmp_path: Path) -> None:
    from maplayout.live import Watcher

    plan = tmp_path / "plan.yaml"
    entry = (
        "layers:\n  - id: firms\n    file: firms.csv\n    label: {zh-Hans: 企业, en: Firms}\n"
        "    datum: GCJ-02\n    data_source: {title: {zh-Hans: T, en: T}}\nsites:\n"
    )
    good = (ROOT / "tests" / "plans" / "minimal.yaml").read_text("utf-8")
    plan.write_text(good.replace("\nsites:\n", "\n" + entry, 1), encoding="utf-8")
    seen: list[str] = []
    watcher = Watcher(
        plan,
        tmp_path / "maps",
        options={"figures": False, "snapshots": "no"},
        problems=lambda problems: seen.extend(str(p) for p in problems),
        report=seen.append,
    )
    assert watcher.build_once() is False
    assert any("layers[0].file: layer file not found" in line for line in seen)
    assert (tmp_path / "firms.csv").absolute() in watcher.watched
    (tmp_path / "firms.csv").write_text(GOOD, encoding="utf-8")
    assert watcher.changed() == [(tmp_path / "firms.csv").absolute()]
    assert watcher.build_once() is True
    manifest = json.loads((tmp_path / "maps" / "build-manifest.json").read_text("utf-8"))
    assert [layer["path"] for layer in manifest["inputs"]["layers"]] == ["firms.csv"]
