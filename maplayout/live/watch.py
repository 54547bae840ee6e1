"""``maplayout build --watch``: rebuild on every save of the plan or a layer file.

After a first build, the plan file and its layer files (the plan's own and the ``--layer``
ones) are polled (size and modification time, then sha256 to ignore a save that changed
nothing). A change waits until the files stay still for a moment (a debounce: editors write
in steps), then the plan is checked: an invalid plan prints its one-line problems and leaves
the output as it was; a valid one is built (the same :func:`maplayout.publish.build` as a
normal build, so the files are the same bytes) and the open pages reload.

The output folder is served on 127.0.0.1 only (:class:`~maplayout.live.serve.LiveServer`).
No new dependency: polling costs one ``stat`` per watched file every :data:`POLL_S` seconds.
"""

from __future__ import annotations

import hashlib
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maplayout.errors import BuildError, MaplayoutError, PlanProblem
from maplayout.live.serve import LiveServer

__all__ = ["DEBOUNCE_S", "POLL_S", "Watcher", "watch"]

#: How often the watched files are looked at (seconds).
POLL_S = 0.25
#: How long the files must stay unchanged after a save before the rebuild starts (seconds).
DEBOUNCE_S = 0.3

Report = Callable[[str], None]


def _stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _state(path: Path) -> tuple[int, int] | None:
    """Size and modification time (ns) of ``path``; ``None`` when it cannot be read."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@dataclass
class Watcher:
    """Check and build a plan again whenever its files change.

    Parameters
    ----------
    plan
        The plan file (``None``: the embedded default plan's file).
    out
        The output folder (the ``out`` of :func:`maplayout.publish.build`).
    layers
        ``--layer`` option texts (:func:`maplayout.plan.check_plan`).
    options
        Keyword arguments of :func:`maplayout.publish.build` (``lang``, ``figures`` …).
    problems
        Prints a check's problems (the command line's one-line printer).
    report
        Prints one status line (default: stderr).
    """

    plan: str | Path | None
    out: str | Path
    layers: Sequence[str] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    problems: Callable[[Sequence[PlanProblem]], object] = lambda problems: None
    report: Report = _stderr
    on_build: Callable[[Any], object] | None = None
    watched: dict[Path, tuple[int, int] | None] = field(default_factory=dict)
    digests: dict[Path, str | None] = field(default_factory=dict)

    def plan_file(self) -> Path:
        from maplayout._paths import default_plan_path

        return Path(self.plan) if self.plan is not None else default_plan_path()

    def files(self, plan: Any = None) -> list[Path]:
        """The plan file, the ``--layer`` files and the layer files of ``plan`` (if given);
        else the files watched so far."""
        from maplayout.plan import parse_layer_option

        found = [self.plan_file()]
        for index, text in enumerate(self.layers):
            option, _ = parse_layer_option(text, index)
            if option is not None:
                found.append(Path(option.entry["file"]))
        base = self.plan_file().parent
        if plan is not None:
            found += [base / layer.file for layer in plan.layers]
        else:  # an invalid plan: the files watched so far and the ones its text names
            found += list(self.watched) + [base / name for name in self._named_files()]
        return list(dict.fromkeys(path.absolute() for path in found))

    def _named_files(self) -> list[str]:
        """The ``file:`` of each ``layers:`` entry of the plan's text, read as it is (so that
        creating a layer file a save named, missing until now, rebuilds)."""
        from maplayout._safeio import read_limited
        from maplayout.plan.yamlread import MAX_FILE_BYTES, decode_plan_bytes, parse_yaml

        try:
            raw = read_limited(self.plan_file(), MAX_FILE_BYTES, "plan file")
        except MaplayoutError:
            return []
        text, _ = decode_plan_bytes(raw, str(self.plan_file()))
        data = parse_yaml(text, "plan").data if text is not None else None
        entries = data.get("layers") if isinstance(data, dict) else None
        return [
            entry["file"]
            for entry in (entries if isinstance(entries, list) else [])
            if isinstance(entry, dict) and isinstance(entry.get("file"), str)
        ]

    def _remember(self, files: Sequence[Path]) -> None:
        self.watched = {path: _state(path) for path in files}
        self.digests = {path: _digest(path) for path in files}

    def build_once(self) -> bool:
        """Check the plan and, when it is valid, build it. ``True`` when the output was
        published; an invalid plan or a failed build leaves the output as it was."""
        from maplayout.plan import check_plan
        from maplayout.publish import build

        start = time.perf_counter()
        plan, problems = check_plan(self.plan, self.layers)
        self.problems(problems)
        if plan is None:
            self._remember(self.files())
            self.report("maplayout: watch: the plan is invalid; the last good output is kept")
            return False
        self._remember(self.files(plan))
        try:
            result = build(plan, self.out, **self.options)
        except (MaplayoutError, OSError) as err:  # the publisher left the output as it was
            where = f"{err.filename}: " if isinstance(err, OSError) and err.filename else ""
            reason = err.strerror if isinstance(err, OSError) and err.strerror else err
            self.report(f"maplayout: error: {where}{reason}")
            self.report("maplayout: watch: the build failed; the last good output is kept")
            return False
        if self.on_build is not None:
            self.on_build(result)
        self.report(f"maplayout: watch: built in {time.perf_counter() - start:.1f} s")
        return True

    def changed(self) -> list[Path]:
        """The watched files saved with new bytes (after waiting out the debounce)."""
        if all(_state(path) == state for path, state in self.watched.items()):
            return []
        while True:  # debounce: until nothing moves for DEBOUNCE_S
            before = {path: _state(path) for path in self.watched}
            time.sleep(DEBOUNCE_S)
            if all(_state(path) == state for path, state in before.items()):
                break
        now = {path: _digest(path) for path in self.watched}
        self.watched = {path: _state(path) for path in self.watched}
        changed = [path for path, digest in now.items() if digest != self.digests.get(path)]
        self.digests = now  # a touch, or a save of the same bytes, changes nothing
        return changed

    def run(self, stop: threading.Event) -> None:
        """Poll until ``stop`` is set; rebuild after each change."""
        while not stop.wait(POLL_S):
            changed = self.changed()
            if changed:
                names = ", ".join(sorted(path.name for path in changed))
                self.report(f"maplayout: watch: {names} changed; building")
                self.build_once()


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _stop_on_signals() -> None:
    """Ctrl-C (SIGINT) and SIGTERM stop the watch cleanly, even when the process was started
    with SIGINT ignored (a background job of a non-interactive shell, as in CI): Python then
    installs no handler of its own and Ctrl-C would never arrive. Main thread only."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)


def watch(
    plan: str | Path | None,
    out: str | Path,
    *,
    layers: Sequence[str] = (),
    options: Mapping[str, Any] | None = None,
    port: int = 0,
    problems: Callable[[Sequence[PlanProblem]], object] = lambda problems: None,
    report: Report = _stderr,
    announce: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Build, serve ``out`` on 127.0.0.1 and rebuild on every save until Ctrl-C (or ``stop``).

    ``announce`` receives the server's URL once it listens (default: printed on stdout).
    Returns 0 (the command's exit code) when stopped.
    """
    stop = stop or threading.Event()
    try:
        server = LiveServer(out, port)
    except OSError as err:  # the port is taken (or not ours to use)
        reason = (err.strerror or str(err)).lower()
        raise BuildError(
            f"--port {port}: cannot listen on 127.0.0.1:{port}: {reason}; "
            "expected a free port (--port 0 picks one)"
        ) from None
    watcher = Watcher(
        plan, out, layers, dict(options or {}), problems, report, lambda _r: server.bump()
    )
    _stop_on_signals()
    try:
        watcher.build_once()
        server.start()
        if announce is None:
            print(f"serving {server.url} (Ctrl-C stops)", flush=True)
        else:
            announce(server.url)
        watcher.run(stop)
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    report("maplayout: watch: stopped")
    return 0
