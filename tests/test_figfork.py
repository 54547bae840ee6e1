"""Print figures drawn in a forked child of the build (maplayout.publish.figworker.ForkedFigure,
Linux): the same bytes as drawing in-process, the drawing's errors in the build with their
one-line message, and no child left behind by a failed, stopped or interrupted build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _procs import children_of, in_session

from maplayout.errors import BuildError
from maplayout.publish import reports
from maplayout.publish.figworker import FORK_AVAILABLE, ForkedFigure
from maplayout.publish.pipeline import build

pytestmark = pytest.mark.skipif(not FORK_AVAILABLE, reason="figures are forked on Linux only")

STEM = "hunan-ai-2023"


def _children() -> set[int]:
    """This process's children (zombies included): compared before and after, as other
    tests' browsers may be children too."""
    return set(children_of(os.getpid()))


@pytest.fixture(scope="module")
def view():
    from maplayout.model import build_model
    from maplayout.plan import load_plan

    return reports.figure_model(build_model(load_plan(None), level="prefecture"))


@pytest.mark.slow
def test_forked_figures_are_the_same_bytes_as_drawn_in_process(tmp_path, monkeypatch):
    before = _children()
    timed: list[str] = []

    def progress(stage: str, seconds: float, files: list[str], note: str) -> None:
        timed.extend(files)

    build(None, tmp_path / "fork", snapshots="no", cache=False, progress=progress)
    forked = [t.split()[0] for t in timed if t.endswith("(drawn in a forked process)")]
    assert forked == [f"{STEM}.figure.svg/pdf/png", f"{STEM}-county.figure.png"]
    monkeypatch.setattr(reports, "_FORK", False)
    build(None, tmp_path / "here", snapshots="no", cache=False)
    names = sorted(p.name for p in (tmp_path / "here").iterdir())
    assert [n for n in names if ".figure." in n] == [
        f"{STEM}-county.figure.png",
        f"{STEM}.figure.pdf",
        f"{STEM}.figure.png",
        f"{STEM}.figure.svg",
    ]
    assert sorted(p.name for p in (tmp_path / "fork").iterdir()) == names
    for name in names:
        assert (tmp_path / "fork" / name).read_bytes() == (tmp_path / "here" / name).read_bytes()
    assert _children() - before == set()


def test_an_error_in_the_child_is_raised_with_its_one_line_message(view, tmp_path):
    from maplayout.print.figure import make_figures

    bad = tmp_path / "x.figure.gif"
    with pytest.raises(BuildError) as here:
        make_figures(view, [bad])
    before = _children()
    job = ForkedFigure.start(view, [bad])
    assert job is not None
    pid = job.pid
    with pytest.raises(BuildError) as there:
        job.result()
    assert str(there.value) == str(here.value)
    assert "unsupported figure format '.gif'" in str(there.value)
    assert job.pid is None and pid not in _children() and _children() - before == set()
    job = ForkedFigure.start(view, [tmp_path / "a.png"], lang="xx")
    assert job is not None
    with pytest.raises(BuildError, match=r"^unknown language 'xx'; expected one of "):
        job.result()


def test_the_child_draws_what_make_figures_draws(view, tmp_path):
    from maplayout.print.figure import make_figures

    here = make_figures(view, [tmp_path / "here.png"], dpi=50)
    job = ForkedFigure.start(view, [tmp_path / "there.png"], dpi=50)
    assert job is not None
    drawn = job.result()
    assert drawn.paths == [tmp_path / "there.png"]
    assert drawn.paths[0].read_bytes() == here[0].read_bytes()
    assert drawn.seconds > 0


def test_no_answer_in_time_kills_the_child(view, tmp_path, monkeypatch):
    import maplayout.print.figure as figure

    monkeypatch.setattr(figure, "make_figures", lambda *a, **k: time.sleep(120))
    job = ForkedFigure.start(view, [tmp_path / "a.figure.png"], timeout_s=1)
    assert job is not None
    pid = job.pid
    start = time.monotonic()
    with pytest.raises(BuildError) as err:
        job.result()
    assert (
        str(err.value)
        == "a.figure.png: the figure process gave no answer within 1 s; it was stopped"
    )
    assert time.monotonic() - start < 30
    assert not Path(f"/proc/{pid}").exists()  # killed and reaped


def test_a_failing_build_leaves_no_child_and_publishes_nothing(tmp_path, monkeypatch):
    started: list[ForkedFigure] = []
    real = ForkedFigure.start

    def start(*args, **kwargs):
        job = real(*args, **kwargs)
        started.append(job)
        return job

    def boom(*args, **kwargs):
        raise BuildError("index failed")

    monkeypatch.setattr(ForkedFigure, "start", start)
    monkeypatch.setattr("maplayout.web.render_index", boom)
    before = _children()
    with pytest.raises(BuildError, match="index failed"):
        build(None, tmp_path / "m", snapshots="no", cache=False)
    assert len(started) >= 1  # the layout figure was forked before the maps were written
    assert _children() - before == set()
    assert not (tmp_path / "m").exists() or not list((tmp_path / "m").iterdir())


@pytest.mark.slow
def test_ctrl_c_stops_the_build_and_its_figure_child(tmp_path):
    argv = [sys.executable, "-m", "maplayout", "build", "--out", str(tmp_path / "m")]
    run = subprocess.Popen(
        [*argv, "--snapshots", "no", "--no-cache"],
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches it
        # as from a terminal: a suite started as a background job (CI) has SIGINT ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(in_session(run.pid)) < 2:
            time.sleep(0.02)  # until the figure child runs
        assert len(in_session(run.pid)) >= 2
        time.sleep(0.3)
        os.killpg(run.pid, signal.SIGINT)
        _, err = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    assert run.returncode == 130, err
    assert err.decode().splitlines()[-1] == "maplayout: interrupted"
    assert in_session(run.pid) == []  # the child is gone too
    assert not (tmp_path / "m").exists() or not list((tmp_path / "m").glob("*.figure.*"))
