"""A tiny local server for ``maplayout build --watch``: the output folder on 127.0.0.1.

It binds the loopback address only and serves only regular files inside its folder: a path
that leaves the folder (``..``, an encoded ``%2e%2e``, a backslash, a symbolic link pointing
out) is refused with 403, a missing file is 404. Each HTML page gets the reload script
(``reload.js``) injected *as it is served*; the files on disk stay the bytes a normal build
writes. A missing ``/favicon.ico`` (which browsers ask for unprompted) is 204, not 404, so the
page's console stays clean. The page polls :data:`GENERATION_PATH` and reloads when the
number changes, which :meth:`LiveServer.bump` does after each successful rebuild.
"""

from __future__ import annotations

import html
import mimetypes
import posixpath
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["GENERATION_PATH", "HOST", "LiveServer", "inject_reload"]

#: The only address the server listens on.
HOST = "127.0.0.1"
#: Where a page asks for the current build generation (a decimal number, as text).
GENERATION_PATH = "/__maplayout__/generation"


def _reload_script() -> str:
    return resources.files("maplayout.live").joinpath("reload.js").read_text(encoding="utf-8")


def inject_reload(page: bytes, generation: int) -> bytes:
    """``page`` (an HTML document's bytes) with the reload script before its last
    ``</body>`` (at the end when it has none), told the ``generation`` it was served at."""
    attrs = f'data-generation="{generation}" data-url="{html.escape(GENERATION_PATH)}"'
    tag = f"<script {attrs}>\n{_reload_script()}</script>\n".encode()
    cut = page.lower().rfind(b"</body>")
    return page + tag if cut < 0 else page[:cut] + tag + page[cut:]


class LiveServer:
    """Serve ``root`` on ``127.0.0.1:port`` (``0``: a free port) from a background thread.

    Parameters
    ----------
    root
        The folder served (the build's ``--out``); it may not exist yet (404 until it does).
    port
        The TCP port; ``0`` picks a free one (:attr:`url` tells which).
    """

    def __init__(self, root: str | Path, port: int = 0) -> None:
        self.root = Path(root).resolve()
        self.generation = 0
        self._lock = threading.Lock()
        handler = type("_Handler", (_Handler,), {"live": self})
        self._httpd = ThreadingHTTPServer((HOST, port), handler)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        """The bound ``(host, port)``, as the socket reports it."""
        host, port = self._httpd.server_address[:2]
        return str(host), int(port)

    @property
    def port(self) -> int:
        return self.address[1]

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>/``."""
        return f"http://{HOST}:{self.port}/"

    def start(self) -> LiveServer:
        """Start serving in a daemon thread; return ``self``."""
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        )
        self._thread.start()
        return self

    def bump(self) -> int:
        """A new build was published: open pages reload. Returns the new generation."""
        with self._lock:
            self.generation += 1
            return self.generation

    def close(self) -> None:
        """Stop serving and release the port."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def locate(self, target: str) -> tuple[HTTPStatus, Path | None]:
        """The file a request target names inside :attr:`root`, or why not (403, 404)."""
        raw = urlsplit(target).path
        path = unquote(raw, errors="strict") if "%" in raw else raw
        parts = path.split("/")
        if "\\" in path or "\x00" in path or any(p in ("..", ".") for p in parts):
            return HTTPStatus.FORBIDDEN, None
        rel = posixpath.normpath("/" + path).lstrip("/")
        candidate = (self.root / rel) if rel else self.root
        try:
            resolved = candidate.resolve()
        except (OSError, RuntimeError):
            return HTTPStatus.NOT_FOUND, None
        if resolved != self.root and self.root not in resolved.parents:
            return HTTPStatus.FORBIDDEN, None  # a symbolic link out of the folder
        if resolved.is_dir():
            resolved = resolved / "index.html"
        if not resolved.is_file():
            return HTTPStatus.NOT_FOUND, None
        return HTTPStatus.OK, resolved


class _Handler(BaseHTTPRequestHandler):
    """GET and HEAD of files inside the served folder, and of the build generation."""

    live: LiveServer
    server_version = "maplayout"
    sys_version = ""

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def _respond(self, body: bool) -> None:
        generation = self.live.generation  # before the file: a page never claims a newer one
        if urlsplit(self.path).path == GENERATION_PATH:
            self._send(HTTPStatus.OK, str(generation).encode(), "text/plain", body)
            return
        try:
            status, file = self.live.locate(self.path)
        except UnicodeDecodeError:
            status, file = HTTPStatus.NOT_FOUND, None
        if file is None and urlsplit(self.path).path == "/favicon.ico":
            status = HTTPStatus.NO_CONTENT  # the browser asks on its own: no console error
        if file is None:
            self._send(status, f"{status.value} {status.phrase}\n".encode(), "text/plain", body)
            return
        data = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = inject_reload(data, generation)
        self._send(HTTPStatus.OK, data, kind, body)

    def _send(self, status: HTTPStatus, data: bytes, kind: str, body: bool) -> None:
        self.send_response(status)
        charset = "; charset=utf-8" if kind.startswith("text/") or kind.endswith("json") else ""
        self.send_header("Content-Type", kind + charset)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a page polls every 0.4 s."""
