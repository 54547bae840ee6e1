"""Shared, browser-free test settings. The Playwright fixtures live in tests/browser/conftest.py.

In CI (``CI`` set) a skipped test fails the run: browser tests must never skip there.
"""

from __future__ import annotations

import os

import pytest


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI a skipped test is a failure (browser tests must run there)."""
    if not os.environ.get("CI"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped and session.exitstatus == 0:
        print(f"\nCI: {skipped} test(s) skipped; skips are failures in CI")
        session.exitstatus = 1
