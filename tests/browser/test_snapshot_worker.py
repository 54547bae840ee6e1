"""The snapshot worker process: it never outlives its Snapshotter (closed, killed on a
deadline, its parent raising or killed), and a shot's bytes are stable and the same as
Playwright's own ``page.screenshot``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from _procs import alive, descendants

from maplayout.errors import BuildError
from maplayout.publish import pipeline as export
from maplayout.publish._snapshot_worker import browser_profiles
from maplayout.publish.snapshots import Snapshotter

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]

BUSY = (
    '<!doctype html><title>x</title><script>addEventListener("load", () => '
    "setTimeout(() => { for (;;) {} }, 0));</script>"
)


def gone_within(pids: set[int], seconds: float) -> set[int]:
    """The processes of ``pids`` still alive after waiting up to ``seconds``."""
    end = time.monotonic() + seconds
    while alive(pids) and time.monotonic() < end:
        time.sleep(0.1)
    return alive(pids)


def started_tree(shots: Snapshotter) -> set[int]:
    """The worker and its browser (Chromium's processes)."""
    before = descendants(os.getpid())
    shots.wait_started()
    return descendants(os.getpid()) - before


@pytest.fixture(scope="module")
def default_maps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("maps")
    export.build(out=out, figures=False, snapshots="no")
    return out


def test_worker_and_browser_are_gone_after_close(tmp_path: Path) -> None:
    before = descendants(os.getpid())
    shots = Snapshotter(timeout_s=10).start()
    assert len(descendants(os.getpid()) - before) >= 1  # start() returned, the worker runs
    shots.wait_started()
    tree = descendants(os.getpid()) - before
    assert len(tree) >= 3  # the worker, Chromium and its helper processes
    profiles = browser_profiles(list(tree))
    assert len(profiles) == 1 and all(os.path.isdir(p) for p in profiles)
    page = tmp_path / "p.html"
    page.write_text("<!doctype html><title>p</title><p>x</p>", encoding="utf-8")
    assert shots.capture(page, width=200, height=100).startswith(b"\x89PNG")
    shots.close()
    assert alive(tree) == set()  # close() waits for them
    assert [p for p in profiles if os.path.exists(p)] == []  # its profile folder removed
    shots.close()  # a second close is a no-op


def test_everything_is_killed_on_a_missed_deadline(tmp_path: Path) -> None:
    page = tmp_path / "busy.html"
    page.write_text(BUSY, encoding="utf-8")
    shots = Snapshotter(timeout_s=1)
    tree = started_tree(shots)
    profiles = browser_profiles(list(tree))
    assert len(profiles) == 1  # the browser's temporary profile
    start = time.monotonic()
    with pytest.raises(BuildError) as err:
        shots.capture(page, width=200, height=100)
    assert str(err.value) == f"{page}: snapshot: no result within 11 s; Chromium was stopped"
    assert time.monotonic() - start < 20
    assert gone_within(tree, 5) == set()
    assert [p for p in profiles if os.path.exists(p)] == []  # not left in the temp folder
    with pytest.raises(BuildError, match="stopped after an earlier timeout"):
        shots.capture(page, width=200, height=100)
    shots.close()


@pytest.mark.parametrize("how", ["raise", "sigkill"])
def test_worker_ends_with_its_parent(tmp_path: Path, how: str) -> None:
    """A build that raises without closing, or is killed outright: the worker notices its
    pipe close and takes Chromium with it."""
    code = textwrap.dedent(
        f"""
        import os, signal, sys
        from maplayout.publish.snapshots import Snapshotter
        shots = Snapshotter().start()
        shots.wait_started()
        print(os.getpid(), flush=True)
        sys.stdin.readline()
        if {how!r} == "sigkill":
            os.kill(os.getpid(), signal.SIGKILL)
        raise RuntimeError("the build failed")
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdin is not None
        pid = int(proc.stdout.readline())
        tree = descendants(pid)
        assert len(tree) >= 3
        profiles = browser_profiles(list(tree))
        assert len(profiles) == 1
        proc.stdin.write("go\n")
        proc.stdin.flush()
        proc.wait(timeout=30)
        assert gone_within(tree, 10) == set()
        assert [p for p in profiles if os.path.exists(p)] == []
    finally:
        if proc.poll() is None:
            proc.kill()
    expected = -signal.SIGKILL if how == "sigkill" else 1
    assert proc.returncode == expected


@pytest.fixture(scope="module")
def same_browser(browser: Any) -> Any:
    """Playwright (the session's) driving the browser the snapshots use: a headless shell when
    there is one, while the suite's pages are tested in the full browser."""
    from maplayout.publish.snapshots import CHROMIUM_ARGS, find_chromium

    exe = find_chromium()
    assert exe is not None
    b = browser.browser_type.launch(executable_path=exe, args=list(CHROMIUM_ARGS), headless=True)
    yield b
    b.close()


def _playwright_png(browser: Any, page: Path, width: int, height: int, scale: float) -> bytes:
    from maplayout.publish._snapshot_worker import WAIT_READY

    context = browser.new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=scale,
        reduced_motion="reduce",
    )
    try:
        tab = context.new_page()
        tab.goto(page.resolve().as_uri())
        assert tab.evaluate(WAIT_READY, [30_000, 300]) == "ready"
        png: bytes = tab.screenshot(type="png", animations="disabled")
        return png
    finally:
        context.close()


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_a_shot_is_stable_and_the_same_as_playwrights(
    default_maps: Path, same_browser: Any, scale: float
) -> None:
    maps = [default_maps / "hunan-ai-2023.html", default_maps / "hunan-ai-2023-county.html"]
    with Snapshotter() as shots:
        first = shots.capture_many(maps, width=683, height=384, scale=scale)
    with Snapshotter() as shots:  # pages opened ahead at this size: the same bytes
        shots.start(width=683, height=384, scale=scale)
        again = [shots.capture(m, width=683, height=384, scale=scale) for m in maps]
    assert first == again
    assert first[0] != first[1]
    assert first[0] == _playwright_png(same_browser, maps[0], 683, 384, scale)


def test_a_maplayout_folder_in_the_working_directory_is_not_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker runs the parent's own package, not one that `python -m` would find in cwd
    (a build started in a checkout of another version)."""
    fake = tmp_path / "maplayout"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise SystemExit('the wrong maplayout')\n", "utf-8")
    page = tmp_path / "p.html"
    page.write_text("<!doctype html><title>p</title><p>x</p>", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with Snapshotter(timeout_s=10) as shots:
        assert shots.capture(Path("p.html"), width=200, height=100).startswith(b"\x89PNG")


def test_a_chromium_that_does_not_start_is_one_line_and_leaves_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from maplayout.errors import DependencyMissingError

    monkeypatch.setattr("maplayout.publish.snapshots.find_chromium", lambda: "/bin/false")
    before = descendants(os.getpid())
    shots = Snapshotter(timeout_s=10).start()
    with pytest.raises(DependencyMissingError) as err:
        shots.wait_started()
    assert err.value.missing == "chromium-start"
    message = str(err.value)
    assert message.startswith("could not start Chromium at /bin/false: ")
    assert "\n" not in message
    assert gone_within(descendants(os.getpid()) - before, 5) == set()
    shots.close()


def test_single_batch_closes_chromium_in_the_background_after_its_shots(tmp_path: Path) -> None:
    """What a build does: one batch, then Chromium shuts down while the figure is drawn."""
    page = tmp_path / "p.html"
    page.write_text("<!doctype html><title>p</title><p>x</p>", encoding="utf-8")
    shots = Snapshotter(timeout_s=10, single_batch=True)
    tree = started_tree(shots)
    (png,) = shots.shot_many([(page, tmp_path / "p.png")], width=200, height=100)
    assert png.read_bytes().startswith(b"\x89PNG")
    assert gone_within(tree, 10) == set()  # without close(): it was asked to close
    with pytest.raises(BuildError, match=r"p\.html: snapshot: the browser is closing"):
        shots.capture(page, width=200, height=100)
    shots.close()  # reaps the worker
    assert alive(tree) == set()
