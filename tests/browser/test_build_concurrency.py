"""The full build with snapshots: pages loaded side by side in one Chromium, snapshots taken
while the figures are drawn, snapshots reused when their page did not change; the bytes are
those of one page at a time and of a clean build."""

from __future__ import annotations

from pathlib import Path

import pytest

from maplayout._paths import default_plan_path
from maplayout.publish import Snapshotter, build

pytestmark = pytest.mark.browser

EDITED_DESCRIPTION = ("全省测算值", "全省测算值（修订）")  # in both pages, not on the figure


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean full build (figures and snapshots), the reference bytes."""
    out = tmp_path_factory.mktemp("clean")
    build(out=out, snapshots="yes", cache=False)
    return out


def test_pages_side_by_side_give_the_bytes_of_one_page_at_a_time(clean: Path) -> None:
    pages = [
        clean / "hunan-ai-2023.html",
        clean / "hunan-ai-2023-county.html",
        clean / "index.html",
    ]
    with Snapshotter() as shots:
        together = shots.capture_many(pages)
        alone = [shots.capture(p) for p in pages]
    assert together == alone
    assert together[:2] == [
        (clean / "hunan-ai-2023.png").read_bytes(),
        (clean / "hunan-ai-2023-county.png").read_bytes(),
    ]


def test_a_browser_started_early_is_used_and_left_open_for_its_owner(
    clean: Path, tmp_path: Path
) -> None:
    shots = Snapshotter().start()
    try:
        build(out=tmp_path, snapshots="yes", cache=False, snapshotter=shots)
        assert shots.capture_many([clean / "index.html"])  # still open
    finally:
        shots.close()
    assert _files(tmp_path) == _files(clean)


def test_rebuilds_reuse_unchanged_snapshots_and_equal_a_clean_build(
    clean: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(default_plan_path().read_bytes())
    out, reference = tmp_path / "maps", tmp_path / "reference"
    build(plan, out, snapshots="yes")
    assert _files(out) == _files(clean)

    shot: list[str] = []
    real = Snapshotter.shot_many

    def counting(self, jobs, **kw):  # type: ignore[no-untyped-def]
        shot.extend(Path(html).name for html, _png in jobs)
        return real(self, jobs, **kw)

    monkeypatch.setattr(Snapshotter, "shot_many", counting)
    build(plan, out, snapshots="yes")  # nothing changed: every snapshot reused
    assert shot == [] and _files(out) == _files(clean)

    text = plan.read_text("utf-8")
    plan.write_text(text.replace(*EDITED_DESCRIPTION, 1), encoding="utf-8")
    build(plan, out, snapshots="yes")  # both pages changed: both taken again
    assert shot == ["hunan-ai-2023.html", "hunan-ai-2023-county.html"]
    build(plan, reference, snapshots="yes", cache=False)
    assert _files(out) == _files(reference)


@pytest.mark.parametrize("forked", [True, False])
def test_snapshots_are_taken_while_the_figure_is_drawn(
    clean: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: bool
) -> None:
    """Each side waits (up to 2 minutes) for the other to have begun: the figure drawn in a
    forked child (Linux) or in a thread of the build, the snapshots by the worker."""
    import time

    import maplayout.print.figure as figure
    from maplayout.publish import reports

    flags = tmp_path / "flags"
    flags.mkdir()
    out = tmp_path / "out"
    real_shots, real_figures = Snapshotter.shot_many, figure.make_figures

    def seen(name: str) -> bool:
        end = time.monotonic() + 120
        while not (flags / name).exists() and time.monotonic() < end:
            time.sleep(0.01)
        return (flags / name).exists()

    def shots(self, jobs, **kw):  # type: ignore[no-untyped-def]
        (flags / "shooting").touch()
        assert seen("drawing"), "the figure was not being drawn while the snapshots ran"
        return real_shots(self, jobs, **kw)

    def figures(model, paths, **kw):  # type: ignore[no-untyped-def]
        (flags / "drawing").touch()
        assert seen("shooting"), "the snapshots were not taken while the figure was drawn"
        return real_figures(model, paths, **kw)

    monkeypatch.setattr(Snapshotter, "shot_many", shots)
    monkeypatch.setattr(figure, "make_figures", figures)  # a forked child inherits it
    monkeypatch.setattr(reports, "_FORK", forked and reports._FORK)
    timed: list[str] = []
    build(
        out=out,
        snapshots="yes",
        cache=False,
        figure_worker=False,
        progress=lambda stage, seconds, files, note: timed.extend(files),
    )
    assert _files(out) == _files(clean)
    in_child = [t for t in timed if t.endswith("(drawn in a forked process)")]
    assert len(in_child) == (1 if forked and reports.FORK_AVAILABLE else 0)
