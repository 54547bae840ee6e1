"""Browser tests: Debian's /usr/bin/chromium driven through Playwright, network blocked.

Every test in this folder is marked ``browser``; in CI a skip fails the run (tests/conftest.py).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from maplayout.publish.snapshots import CHROMIUM_ARGS, find_chromium


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test collected from this folder ``browser`` (``-m "not browser"`` skips them)."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def chromium_path() -> str | None:
    """The Chromium the suite's pages are tested in: Debian's full ``chromium`` (what readers
    run), else the same search as ``maplayout snapshot`` uses."""
    return shutil.which("chromium") or find_chromium()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium (Playwright, system binary) shared by the session."""
    exe = chromium_path()
    if exe is None:
        msg = "no Chromium found: apt-get install chromium (scripts/test.sh does this)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=list(CHROMIUM_ARGS), headless=True)
        yield b
        b.close()


@dataclass
class OfflinePage:
    """A page opened from disk with every network request blocked and recorded."""

    page: Any
    requests: list[str] = field(default_factory=list)  # every non-file request attempted
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture
def open_offline(browser: Any) -> Iterator[Any]:
    """``open_offline(path, width=1366, height=768)`` → :class:`OfflinePage`, loaded."""
    contexts = []

    def _open(path: Path, width: int = 1366, height: int = 768, **ctx: Any) -> OfflinePage:
        context = browser.new_context(viewport={"width": width, "height": height}, **ctx)
        contexts.append(context)
        page = context.new_page()
        rec = OfflinePage(page)

        def _route(route: Any) -> None:
            url = route.request.url
            if url.startswith(("file:", "data:", "blob:", "about:")):
                route.continue_()
            else:
                rec.requests.append(url)
                route.abort()

        context.route("**/*", _route)
        page.on(
            "console", lambda m: rec.console_errors.append(m.text) if m.type == "error" else None
        )
        page.on("pageerror", lambda e: rec.page_errors.append(str(e)))
        page.goto(Path(path).resolve().as_uri(), wait_until="load")
        return rec

    yield _open
    for c in contexts:
        c.close()
