"""Print figures drawn in a worker process, so that drawing overlaps the rest of the build.

``maplayout build`` starts a :class:`FigureWorker` at its very beginning: a child process
(``python -m maplayout.publish.figworker``) that imports matplotlib, :mod:`maplayout.print` and
geopandas while the build checks the plan, joins the models and writes the maps, then draws
each figure it is sent with the same function a build without a worker calls
(:func:`maplayout.print.figure.make_figures`), so the bytes are the same. The figure no longer
competes with the snapshot thread for the build process's interpreter lock either.

The messages are pickles over the child's stdin / stdout (no fork, no re-import of
``__main__``): a job is the model view (:func:`maplayout.publish.reports.figure_model`), the
output paths and the drawing options; the answer is the files written and the warnings
caught, or the error raised (re-raised in the build with its own type and message). The
worker ignores Ctrl-C (the build stops it) and exits when its stdin closes, so it never
outlives the build: :meth:`FigureWorker.stop` closes its stdin as soon as the build knows no
figure is left to draw, :meth:`FigureWorker.close` then reaps it (killing it if it is still
running a second later: still importing when the build is done); an answer that does not
come within ``timeout_s``, or Ctrl-C while waiting for one, kills it at once.

Which figures to draw, and the cache of figures drawn before, stay in the build
(:mod:`maplayout.publish.reports`); the worker is asked only for the figures to draw.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import subprocess
import sys
import time
import traceback
import warnings
import weakref
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as _FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from maplayout._safeio import check_number
from maplayout.errors import BuildError

__all__ = ["FORK_AVAILABLE", "FigureWorker", "ForkedFigure", "WorkerFigure"]

#: Accepted range of :class:`FigureWorker`'s ``timeout_s`` (seconds for one answer, the
#: worker's imports included).
TIMEOUT_LIMITS = (1.0, 3600.0)
_STOP_S = 1.0  # an idle worker exits at once when its stdin closes; one importing is killed
_HELLO = "maplayout-figworker/1"
#: Print figures can be drawn in a forked copy of the build (:class:`ForkedFigure`): Linux
#: only (macOS system libraries are not safe to use after ``fork``; Windows has none).
FORK_AVAILABLE = sys.platform.startswith("linux") and hasattr(os, "fork")


@dataclass(frozen=True)
class WorkerFigure:
    """What the worker drew for one job."""

    #: The files written, in the order asked.
    paths: list[Path]
    #: The text of every warning caught while drawing, in order (duplicates kept).
    warnings: list[str]
    #: Seconds the worker spent drawing (its imports not included).
    seconds: float


class FigureWorker:
    """A child process that draws print figures (:func:`make_figures` jobs), one at a time.

    ::

        worker = FigureWorker().start()      # imports run in the child meanwhile
        try:
            drawn = worker.draw(view, ["a.figure.svg", "a.figure.png"], dpi=150)
        finally:
            worker.close()

    :meth:`draw` returns ``None`` when the worker could not start (the caller draws
    in-process); an error the drawing raised is re-raised with its type and message.
    """

    def __init__(self, *, timeout_s: float = 300.0) -> None:
        self.timeout_s = check_number(timeout_s, "timeout", *TIMEOUT_LIMITS, unit=" seconds")
        self._argv = [sys.executable, "-m", "maplayout.publish.figworker"]
        self._proc: subprocess.Popen[bytes] | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._hello: Future[bool] | None = None
        self._startup: list[str] = []  # warnings of the worker's imports, given once
        self._finalizer: weakref.finalize[Any, Any] | None = None
        self._stopped = False

    @property
    def pid(self) -> int | None:
        """The worker's process id (``None`` before :meth:`start` or if it could not start)."""
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        """Its process is alive (it may still be importing, or exiting after :meth:`stop`)."""
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> FigureWorker:
        """Start the child and return at once (its imports overlap the caller's work). A
        worker that cannot be started is no error: :meth:`draw` then returns ``None``."""
        if self._proc is not None or self._pool is not None or self._stopped:
            return self
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="maplayout-figworker")
        try:
            self._proc = subprocess.Popen(
                self._argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=_child_env(),
                close_fds=True,
            )
        except OSError:
            return self
        self._finalizer = weakref.finalize(self, _reap, self._proc, 0.0)
        self._hello = self._pool.submit(self._read_hello)
        return self

    def _read_hello(self) -> bool:
        assert self._proc is not None and self._proc.stdout is not None
        try:
            return bool(pickle.load(self._proc.stdout) == _HELLO)
        except Exception:  # EOF: the child could not run (no maplayout on its path …)
            return False

    def draw(
        self,
        model: Any,
        paths: Sequence[str | Path],
        *,
        paper: str = "A4-landscape",
        dpi: int = 200,
        lang: str = "zh-Hans",
        title: str | None = None,
        font: str | Path | None = None,
    ) -> WorkerFigure | None:
        """Draw ``model`` into ``paths`` in the worker (the arguments of
        :func:`~maplayout.print.figure.make_figures`); ``None`` if the worker is not running
        (never started, could not start, or stopped: draw in-process then).

        Raises
        ------
        DependencyMissingError, BuildError, …
            What the drawing raised, with its message (one line).
        BuildError
            No answer within ``timeout_s`` (the worker is killed), or the worker died.
        """
        if self._stopped or self._pool is None or self._hello is None or not self.running:
            return None
        targets = [Path(p) for p in paths]
        job = {
            "model": model,
            "paths": targets,
            "options": {"paper": paper, "dpi": dpi, "lang": lang, "title": title, "font": font},
        }
        future = self._pool.submit(self._exchange, job)
        try:
            answer = future.result(timeout=self.timeout_s)
        except _FutureTimeout:
            self._kill()
            raise BuildError(
                f"{targets[0].name if targets else 'print figure'}: the figure worker gave no "
                f"answer within {self.timeout_s:g} s; it was stopped"
            ) from None
        except BaseException:  # Ctrl-C while waiting: stop the worker, then go on stopping
            self._kill()
            raise
        if answer is None:
            return None
        if "error" in answer:
            raise _error(answer)
        for note in self._startup:
            warnings.warn(note, stacklevel=2)
        self._startup = []
        return WorkerFigure(list(answer["paths"]), list(answer["warnings"]), answer["seconds"])

    def _exchange(self, job: dict[str, Any]) -> dict[str, Any] | None:
        """Send a job and read its answer (on the worker's thread); ``None`` if the worker
        never started."""
        assert self._proc is not None and self._hello is not None
        if not self._hello.result():
            return None
        stdin, stdout = self._proc.stdin, self._proc.stdout
        assert stdin is not None and stdout is not None
        try:
            pickle.dump(job, stdin, protocol=pickle.HIGHEST_PROTOCOL)
            stdin.flush()
            answer: dict[str, Any] = pickle.load(stdout)
        except (OSError, EOFError, pickle.UnpicklingError):
            code = self._proc.wait()
            name = job["paths"][0].name if job["paths"] else "print figure"
            return {
                "error": None,
                "message": f"{name}: the figure worker stopped (exit code {code})",
            }
        self._startup = [*self._startup, *answer.pop("startup", [])]
        return answer

    def _kill(self) -> None:
        if self._proc is not None:
            _reap(self._proc, 0.0)

    def stop(self) -> None:
        """Tell the worker no more figures come, without waiting: it exits as soon as it is
        idle (after its imports, if they are still running). :meth:`close` reaps it."""
        self._stopped = True
        if self._proc is not None and self._proc.stdin is not None:
            with contextlib.suppress(OSError):
                self._proc.stdin.close()

    def close(self) -> None:
        """Stop the worker and reap it: an idle worker exits at once when its stdin closes;
        one still running a second later is killed. Safe to call again."""
        self._stopped = True
        proc, pool = self._proc, self._pool
        self._pool = None
        if proc is not None:
            _reap(proc, _STOP_S)
        if pool is not None:
            pool.shutdown(wait=True)  # the pipes are closed: a pending read has returned

    def __enter__(self) -> FigureWorker:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class ForkedFigure:
    """One print figure drawn in a forked copy of the build process (Linux).

    The build starts it as soon as the figure's model is joined, before the interactive maps
    are written, so drawing overlaps the rest of the build and the snapshots on another core.
    A fork shares every module already imported and the model itself, so nothing is imported
    again and nothing is pickled on the way in (what made :class:`FigureWorker` slower on 2
    cores); the child imports matplotlib (the build itself never needs it), draws with
    :func:`~maplayout.print.figure.make_figures` into the given paths (the same bytes as
    in-process), and sends back only the file names, the warnings caught, or its error::

        job = ForkedFigure.start(view, ["a.figure.svg", "a.figure.png"], dpi=150)
        drawn = job.result() if job is not None else None   # None: fork unavailable
        # on any error before result(): job.cancel() (kills and reaps the child)

    Raises (in :meth:`result`) what the drawing raised, with its type and message; a child
    that gives no answer within ``timeout_s`` is killed (:class:`BuildError`).
    """

    def __init__(self, pid: int, fd: int, name: str, timeout_s: float) -> None:
        self.pid: int | None = pid
        self._fd = fd
        self._name = name
        self.timeout_s = timeout_s
        self.started = time.perf_counter()

    @classmethod
    def start(
        cls, model: Any, paths: Sequence[str | Path], *, timeout_s: float = 300.0, **options: Any
    ) -> ForkedFigure | None:
        """Fork the child that draws ``model`` into ``paths`` (the keyword arguments of
        :func:`make_figures`) and return at once; ``None`` when no fork is possible here."""
        timeout_s = check_number(timeout_s, "timeout", *TIMEOUT_LIMITS, unit=" seconds")
        if not FORK_AVAILABLE:
            return None
        targets = [Path(p) for p in paths]
        read_fd, write_fd = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:  # the child: never returns
            _forked_child(read_fd, write_fd, model, targets, options)
        os.close(write_fd)
        return cls(pid, read_fd, targets[0].name if targets else "print figure", timeout_s)

    def result(self) -> WorkerFigure:
        """Wait for the child's answer and reap it; re-raise its error."""
        chunks = []
        deadline = time.monotonic() + self.timeout_s
        try:
            while True:
                left = deadline - time.monotonic()
                ready, _, _ = select.select([self._fd], [], [], max(0.0, left))
                if not ready:
                    self.cancel()
                    raise BuildError(
                        f"{self._name}: the figure process gave no answer within "
                        f"{self.timeout_s:g} s; it was stopped"
                    )
                chunk = os.read(self._fd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
        except BaseException:  # Ctrl-C while waiting: stop the child, then go on stopping
            self.cancel()
            raise
        code = self._reap()
        try:
            answer: dict[str, Any] = pickle.loads(b"".join(chunks))
        except Exception:
            answer = {
                "error": None,
                "message": f"{self._name}: the figure process stopped (exit code {code})",
            }
        if "error" in answer:
            raise _error(answer)
        for note in answer.get("startup", []):
            warnings.warn(note, stacklevel=2)
        return WorkerFigure(list(answer["paths"]), list(answer["warnings"]), answer["seconds"])

    def _reap(self) -> int | None:
        pid, self.pid = self.pid, None
        with contextlib.suppress(OSError):
            os.close(self._fd)
        if pid is None:
            return None
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)

    def cancel(self) -> None:
        """Kill the child if it still runs, and reap it (safe to call again)."""
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        self._reap()


def _forked_child(
    read_fd: int, write_fd: int, model: Any, paths: list[Path], options: dict[str, Any]
) -> None:
    """In the forked child: draw, send the answer, end without running the parent's
    clean-ups (``os._exit``: no atexit handlers, no buffers of the parent flushed twice)."""
    code = 1
    try:
        os.close(read_fd)
        make_figures, failed, startup = _prepare()
        answer = _answer({"model": model, "paths": paths, "options": options}, make_figures, failed)
        answer["startup"] = startup
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        while data:
            data = data[os.write(write_fd, data) :]
        code = 0
    except BaseException:  # Ctrl-C or a vanished parent: the build reports or cleans up
        pass
    finally:
        os._exit(code)


def _reap(proc: subprocess.Popen[bytes], wait_s: float) -> None:
    """Close the worker's stdin, give it ``wait_s`` seconds to exit, kill it, wait for it."""
    if proc.stdin is not None:
        with contextlib.suppress(OSError):
            proc.stdin.close()
    if wait_s > 0:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=wait_s)
    if proc.poll() is None:
        with contextlib.suppress(OSError):
            proc.kill()
    proc.wait()
    if proc.stdout is not None:
        with contextlib.suppress(OSError):
            proc.stdout.close()


def _child_env() -> dict[str, str]:
    """The build's environment, with this maplayout's folder first on the worker's path (a
    source checkout run without installing works too)."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent.parent)
    rest = env.get("PYTHONPATH", "")
    env["PYTHONPATH"] = os.pathsep.join([root, rest]) if rest else root
    return env


def _error(answer: dict[str, Any]) -> BaseException:
    """The worker's error as raised in the build: the same exception (its type, message and
    attributes, such as ``DependencyMissingError.missing``) when it could be sent, else a
    :class:`BuildError` with its message; the worker's traceback as a note."""
    err = answer.get("error")
    if isinstance(err, BaseException):
        add_note = getattr(err, "add_note", None)  # Python 3.11+
        if answer.get("traceback") and add_note is not None:
            add_note(f"in the figure worker:\n{answer['traceback'].rstrip()}")
        return err
    return BuildError(str(answer.get("message") or "the figure worker failed"))


# --- the worker process ------------------------------------------------------------------


def _prepare() -> tuple[Any, BaseException | None, list[str]]:
    """Import what drawing needs; ``(make_figures, the import error, warnings)``."""
    with warnings.catch_warnings(record=True) as caught:
        try:
            import geopandas  # noqa: F401  (unpickling the model needs it)
            import matplotlib.backends.backend_agg
            import matplotlib.backends.backend_pdf
            import matplotlib.backends.backend_svg
            import matplotlib.font_manager  # noqa: F401

            import maplayout.model  # noqa: F401  (and the model's classes)
            from maplayout.print.figure import make_figures
            from maplayout.print.fonts import choose_font
        except Exception as err:
            return None, err, [str(w.message) for w in caught]
        with contextlib.suppress(Exception):  # matplotlib's font list, the bundled font
            choose_font(None)  # registered (a missing font is told by the job, as before)
    return make_figures, None, [str(w.message) for w in caught]


def _answer(job: dict[str, Any], make_figures: Any, failed: BaseException | None) -> dict[str, Any]:
    start = time.perf_counter()
    try:
        if failed is not None:
            raise failed
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")  # as reports._draw_figures does in-process
            paths = make_figures(job["model"], job["paths"], **job["options"])
    except Exception as err:
        return _failure(err)
    seconds = time.perf_counter() - start
    return {"paths": paths, "warnings": [str(w.message) for w in caught], "seconds": seconds}


def _failure(err: BaseException) -> dict[str, Any]:
    """The answer for an error: the exception itself when it survives a pickle round trip."""
    text = "".join(traceback.format_exception(err))
    sent: BaseException | None = None
    with contextlib.suppress(Exception):
        err.__traceback__ = None
        err.__context__ = err.__cause__ = None
        back = pickle.loads(pickle.dumps(err))
        if type(back) is type(err) and str(back) == str(err):
            sent = err
    message = str(err) or type(err).__name__
    return {"error": sent, "message": message, "traceback": text}


def main(stdin: IO[bytes] | None = None, stdout: IO[bytes] | None = None) -> int:
    """The worker: answer every job read from stdin until it closes."""
    with contextlib.suppress(ValueError):  # not in the main thread (tests): keep Ctrl-C
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build stops the worker
    if stdout is None:  # answers go to a private copy of fd 1; stray prints to stderr
        stdout = os.fdopen(os.dup(1), "wb")
        os.dup2(2, 1)
        sys.stdout = sys.stderr
    source = stdin if stdin is not None else sys.stdin.buffer
    pickle.dump(_HELLO, stdout)
    stdout.flush()
    make_figures, failed, startup = _prepare()
    while True:
        try:
            job = pickle.load(source)
        except EOFError:
            return 0
        answer = _answer(job, make_figures, failed)
        if startup:
            answer["startup"], startup = startup, []
        try:
            pickle.dump(answer, stdout, protocol=pickle.HIGHEST_PROTOCOL)
            stdout.flush()
        except BrokenPipeError:  # the build is gone
            return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
