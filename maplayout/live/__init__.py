"""Live preview: ``maplayout build --watch`` rebuilds on every save and the open page reloads.

:mod:`.watch` polls the plan and its layer files and rebuilds through
:func:`maplayout.publish.build`; :mod:`.serve` serves the output folder on 127.0.0.1 and injects
the reload script into each page as it is served (the files on disk are a normal build's).
Imports ``plan`` and ``publish``; nothing imports it but the command line.
"""

from maplayout.live.serve import GENERATION_PATH, HOST, LiveServer, inject_reload
from maplayout.live.watch import DEBOUNCE_S, POLL_S, Watcher, watch

__all__ = [
    "DEBOUNCE_S",
    "GENERATION_PATH",
    "HOST",
    "POLL_S",
    "LiveServer",
    "Watcher",
    "inject_reload",
    "watch",
]
