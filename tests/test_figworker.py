"""The figure worker (maplayout.publish.figworker): the same bytes as drawing in-process, the
drawing's errors in the build with their one-line message, and no worker left after a build."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from _procs import in_session

from maplayout.cli import main
from maplayout.errors import BuildError, DependencyMissingError
from maplayout.publish.figworker import FigureWorker, _error, _failure
from maplayout.publish.pipeline import build

STEM = "hunan-ai-2023"
FIGURES = (f"{STEM}.figure.svg", f"{STEM}.figure.pdf", f"{STEM}.figure.png")


def _workers() -> list[int]:
    """This process's children running the figure worker (Linux ``/proc``)."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_bytes()
            cmd = Path(f"/proc/{entry.name}/cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(b")", 1)[1].split()[1])
        if ppid == os.getpid() and b"maplayout.publish.figworker" in cmd:
            found.append(int(entry.name))
    return found


def _gone(worker: FigureWorker) -> bool:
    """Stopped and reaped: no process (not even a zombie) with its id is our child."""
    assert worker.pid is not None
    return (
        not worker.running
        and worker.pid not in _workers()
        and not Path(f"/proc/{worker.pid}").exists()
    )


@pytest.fixture(scope="module")
def view():
    from maplayout.model import build_model
    from maplayout.plan import load_plan
    from maplayout.publish.reports import figure_model

    return figure_model(build_model(load_plan(None), level="prefecture"))


def _bytes(folder: Path, names: tuple[str, ...] | list[str]) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in names}


@pytest.mark.slow
def test_a_build_through_the_worker_writes_the_same_bytes_as_in_process(tmp_path):
    timed: list[str] = []
    worker = FigureWorker().start()
    try:
        build(
            None,
            tmp_path / "w",
            snapshots="no",
            cache=False,
            figure_worker=worker,
            progress=lambda stage, seconds, files, note: timed.extend(files),
        )
    finally:
        worker.close()
    assert _gone(worker)
    drawn = [t for t in timed if "(figure worker: drawn in " in t]
    assert [t.split()[0] for t in drawn] == [
        f"{STEM}.figure.svg/pdf/png",
        f"{STEM}-county.figure.png",
    ]
    build(None, tmp_path / "p", snapshots="no", cache=False, figure_worker=False)
    names = sorted(p.name for p in (tmp_path / "p").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "w").iterdir())
    assert {*FIGURES, f"{STEM}-county.figure.png"} <= set(names)
    assert _bytes(tmp_path / "w", names) == _bytes(tmp_path / "p", names)


def test_the_worker_draws_what_make_figures_draws(view, tmp_path):
    from maplayout.print.figure import make_figures

    (tmp_path / "w").mkdir()
    (tmp_path / "p").mkdir()
    with FigureWorker() as worker:
        drawn = worker.draw(view, [tmp_path / "w" / n for n in FIGURES], dpi=50, lang="en")
    assert drawn is not None and drawn.seconds > 0
    assert drawn.paths == [tmp_path / "w" / n for n in FIGURES]
    make_figures(view, [tmp_path / "p" / n for n in FIGURES], dpi=50, lang="en")
    assert _bytes(tmp_path / "w", FIGURES) == _bytes(tmp_path / "p", FIGURES)
    assert _gone(worker)


def test_an_error_in_the_worker_is_raised_with_its_one_line_message(view, tmp_path):
    from maplayout.print.figure import make_figures

    bad = tmp_path / "x.figure.gif"
    with pytest.raises(BuildError) as here:
        make_figures(view, [bad])
    with FigureWorker() as worker, pytest.raises(BuildError) as there:
        worker.draw(view, [bad])
    assert str(there.value) == str(here.value)
    assert "unsupported figure format '.gif'" in str(there.value)
    assert "\n" not in str(there.value)
    with FigureWorker() as worker:  # another error, and the worker goes on after one
        with pytest.raises(BuildError, match=r"^unknown language 'xx'; expected one of "):
            worker.draw(view, [tmp_path / "a.png"], lang="xx")
        assert worker.draw(view, [tmp_path / "a.png"], dpi=50) is not None
    assert not list(tmp_path.glob("x.*"))


def test_a_missing_dependency_keeps_what_is_missing():
    err = _error(_failure(DependencyMissingError("the bundled figure font is missing: x")))
    assert type(err) is DependencyMissingError and str(err) == (
        "the bundled figure font is missing: x"
    )
    err = _error(_failure(DependencyMissingError("no Chromium", missing="chromium")))
    assert isinstance(err, DependencyMissingError) and err.missing == "chromium"

    class Odd(Exception):  # cannot be sent back (a local class): its message is
        pass

    err = _error(_failure(Odd("drawing went wrong")))
    assert type(err) is BuildError and str(err) == "drawing went wrong"


def test_the_cli_build_leaves_no_worker_and_says_what_each_figure_took(tmp_path, capsys):
    out = tmp_path / "maps"
    assert (
        main(
            ["build", "--out", str(out), "--snapshots", "no", "--no-cache", "-v", "--figure-worker"]
        )
        == 0
    )
    err = capsys.readouterr().err.splitlines()
    timed = [line for line in err if line.startswith(f"  {STEM}.figure.svg/pdf/png ")]
    assert len(timed) == 1 and "(figure worker: drawn in " in timed[0], err
    assert any(line.startswith(f"  {STEM}-county.figure.png ") for line in err)
    assert _workers() == []


def test_a_failing_build_leaves_no_worker(tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise BuildError("index failed")

    monkeypatch.setattr("maplayout.web.render_index", boom)
    with pytest.raises(BuildError, match="index failed"):
        build(None, tmp_path / "own", snapshots="no", cache=False, figure_worker=True)
    assert _workers() == []
    worker = FigureWorker().start()
    try:
        with pytest.raises(BuildError, match="index failed"):
            build(None, tmp_path / "given", snapshots="no", cache=False, figure_worker=worker)
    finally:
        worker.close()
    assert _gone(worker)
    assert not (tmp_path / "own").exists() or not list((tmp_path / "own").glob("*.html"))


def test_a_figure_error_in_the_worker_fails_the_build_in_one_line(tmp_path, monkeypatch, capsys):
    shadow = tmp_path / "shadow" / "matplotlib"  # only the worker imports it from there
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(
        "from maplayout.errors import BuildError\nraise BuildError('figure: a broken install')\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(shadow.parent))
    out = tmp_path / "maps"
    code = main(
        ["build", "--out", str(out), "--snapshots", "no", "--no-cache", "-q", "--figure-worker"]
    )
    assert code == 1
    assert capsys.readouterr().err.splitlines() == ["maplayout: error: figure: a broken install"]
    assert not out.exists() or not list(out.glob("*.html"))  # nothing published
    assert _workers() == []


def test_no_answer_in_time_stops_the_worker(view, tmp_path):
    worker = FigureWorker(timeout_s=1)
    worker._argv = [  # says hello, then hangs
        sys.executable,
        "-c",
        "import pickle, sys, time; pickle.dump('maplayout-figworker/1', sys.stdout.buffer); "
        "sys.stdout.flush(); time.sleep(120)",
    ]
    worker.start()
    try:
        with pytest.raises(BuildError, match=r"no answer within 1 s; it was stopped$"):
            worker.draw(view, [tmp_path / "a.figure.png"])
        assert not worker.running
    finally:
        worker.close()
    assert worker.pid is not None and not Path(f"/proc/{worker.pid}").exists()


def test_a_worker_that_cannot_start_leaves_the_drawing_to_the_build(tmp_path):
    worker = FigureWorker()
    worker._argv = [sys.executable, "-c", "raise SystemExit(3)"]  # dies before its hello
    worker.start()
    try:
        build(None, tmp_path / "m", snapshots="no", cache=False, figure_worker=worker)
    finally:
        worker.close()
    assert all((tmp_path / "m" / name).stat().st_size > 1000 for name in FIGURES)


def test_matplotlib_missing_in_the_worker_is_raised_as_in_process(tmp_path, monkeypatch):
    shadow = tmp_path / "shadow" / "matplotlib"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'matplotlib'\", name='matplotlib')\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(shadow.parent))
    with pytest.raises(ModuleNotFoundError) as raised:
        build(None, tmp_path / "m", snapshots="no", cache=False, figure_worker=True)
    assert str(raised.value) == "No module named 'matplotlib'"
    assert raised.value.name == "matplotlib"
    assert not (tmp_path / "m").exists() or not list((tmp_path / "m").glob("*.html"))
    assert _workers() == []


@pytest.mark.slow
def test_ctrl_c_stops_the_build_and_its_worker(tmp_path):
    import signal
    import subprocess
    import time

    argv = [
        sys.executable,
        "-m",
        "maplayout",
        "build",
        "--figure-worker",
        "--out",
        str(tmp_path / "m"),
    ]
    build_ = subprocess.Popen(
        [*argv, "--snapshots", "no", "--no-cache"],
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches it
        # as from a terminal: a suite started as a background job (CI) has SIGINT ignored,
        # and a child would inherit that
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(in_session(build_.pid)) < 2:
            time.sleep(0.05)  # until the worker runs
        assert len(in_session(build_.pid)) >= 2
        time.sleep(1.0)  # the build is busy (plan check, maps), the worker importing
        os.killpg(build_.pid, signal.SIGINT)
        _, err = build_.communicate(timeout=60)
    finally:
        if build_.poll() is None:
            os.killpg(build_.pid, signal.SIGKILL)
            build_.wait()
    assert build_.returncode == 130, err
    assert err.decode().splitlines()[-1] == "maplayout: interrupted"
    assert in_session(build_.pid) == []  # the worker is gone too


def test_the_build_process_does_not_import_matplotlib_when_the_worker_draws(tmp_path):
    import subprocess

    code = (
        "import sys\n"
        "from maplayout.publish.pipeline import build\n"
        f"build(None, {str(tmp_path / 'm')!r}, snapshots='no', cache=False, figure_worker=True)\n"
        "print('matplotlib' in sys.modules)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["False"]
    manifest = (tmp_path / "m" / "build-manifest.json").read_text(encoding="utf-8")
    assert '"family": "Maplayout Sans CJK"' in manifest
