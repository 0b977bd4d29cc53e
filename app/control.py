"""The running app's local control channel: other processes on this machine write to (and ask)
an index home that an app serves through the app itself, never beside it.

The app holds `serving.lock` in its home for as long as it runs (the kernel releases it when the
process dies) and describes itself in `serving.json`: its pid, its URL and a Unix socket. On
that socket a client sends one JSON request line and reads one JSON reply line:
{"command": "ingest", "paths": [...], "replace": false} -> {"outcomes": [...]},
{"command": "remove", "source": "..."} -> {"removed": true}, {"command": "ask", "question": "..."}
-> {"answer": {...}}. The socket is the owner's only (mode 0600), like the home itself.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import socket
import socketserver
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.locks import HeldLock, held_elsewhere
from ingest.errors import VraagbaakError

log = logging.getLogger(__name__)

SERVING_LOCK = "serving.lock"
SERVING_INFO = "serving.json"
MAX_SOCKET_PATH = 100  # a Unix socket path must stay under 108 bytes


@dataclass(frozen=True)
class ServingApp:
    pid: int
    url: str
    socket: str


def serving_app(home: Path) -> ServingApp | None:
    """The app that serves this home now, or None when none does."""
    if not held_elsewhere(home / SERVING_LOCK):
        return None
    try:
        info = json.loads((home / SERVING_INFO).read_text(encoding="utf-8"))
        return ServingApp(int(info["pid"]), str(info["url"]), str(info["socket"]))
    except (OSError, ValueError, KeyError):  # starting up: it holds the lock, has no socket yet
        return ServingApp(0, "(nog aan het opstarten)", "")


def request(app: ServingApp, payload: dict, timeout: float = 3600) -> dict:
    """One request to a serving app; raises OSError when it cannot be reached."""
    if not app.socket:
        raise OSError("de app start nog op")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(app.socket)
        connection.sendall(json.dumps(payload, ensure_ascii=False).encode("utf-8") + b"\n")
        reply = connection.makefile("rb").readline()
    if not reply:
        raise OSError("de app gaf geen antwoord")
    return json.loads(reply)


Handler = Callable[[dict], dict]


class ControlChannel:
    """Held by a serving app from its start: the serving lock; once it serves, its description and
    the socket that serves `handle`. Raises BlockingIOError when another app serves the home."""

    def __init__(self, home: Path) -> None:
        self._lock = HeldLock(home / SERVING_LOCK)
        self._home = home
        self._path = _socket_path(home)
        self._server: _Server | None = None

    def open(self, url: str, handle: Handler) -> None:
        Path(self._path).unlink(missing_ok=True)
        self._server = _Server(self._path, _handler_class(handle))
        os.chmod(self._path, 0o600)
        threading.Thread(target=self._server.serve_forever, name="vraagbaak-control", daemon=True).start()
        info = {"pid": os.getpid(), "url": url, "socket": self._path}
        staging = self._home / f".{SERVING_INFO}.{os.getpid()}"
        staging.write_text(json.dumps(info), encoding="utf-8")
        os.replace(staging, self._home / SERVING_INFO)

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            Path(self._path).unlink(missing_ok=True)
            (self._home / SERVING_INFO).unlink(missing_ok=True)
        self._lock.release()


class _Server(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True


def _handler_class(handle: Handler) -> type[socketserver.StreamRequestHandler]:
    class _Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            try:
                reply = handle(json.loads(self.rfile.readline()))
            except VraagbaakError as error:  # already a Dutch message
                reply = {"error": str(error)}
            except Exception:  # noqa: BLE001 (the client gets a Dutch sentence, the log the rest)
                log.exception("control request failed")
                reply = {
                    "error": "de app kon het verzoek niet uitvoeren door een fout in Vraagbaak (de fout "
                    "staat in het logboek van de app); probeer het opnieuw."
                }
            self.wfile.write(json.dumps(reply, ensure_ascii=False).encode("utf-8") + b"\n")

    return _Handler


def _socket_path(home: Path) -> str:
    beside = str(home.resolve() / "app.sock")
    if len(beside.encode()) <= MAX_SOCKET_PATH:
        return beside
    digest = hashlib.sha256(str(home.resolve()).encode()).hexdigest()[:16]
    return str(Path(tempfile.gettempdir()) / f"vraagbaak-{digest}.sock")


def app_handler(library, answer: Callable[[str], dict]) -> Handler:  # type: ignore[no-untyped-def]
    """What a serving app does with the requests of other processes: in its own writer lane."""
    from index.indexer import ingest_paths, remove_document

    def handle(payload: dict) -> dict:
        command = payload.get("command")
        if command == "ingest":
            paths = [Path(p) for p in payload.get("paths", [])]
            report = ingest_paths(library, paths, replace=bool(payload.get("replace")))
            return {"outcomes": [dataclasses.asdict(o) for o in report.outcomes]}
        if command == "remove":
            return {"removed": remove_document(library, str(payload.get("source", "")))}
        if command == "ask":
            return {"answer": answer(str(payload.get("question", "")))}
        return {"error": f"onbekend verzoek '{command}'"}

    return handle
