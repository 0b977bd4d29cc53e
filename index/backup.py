"""The catalog's backup, written in a thread of its own after each change.

A backup copies the whole catalog (hundreds of MB at thousands of documents), so it is not
made on the way of an upload: the upload is answered from as soon as it is committed, and the
copy follows. Changes made while a copy runs are covered by one more copy after it. Closing
the library (and leaving the interpreter) waits for the copies asked for.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from .catalog import Catalog

log = logging.getLogger(__name__)


class BackupWriter:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="catalog-backup")
        self._lock = threading.Lock()
        self._queued: Future[None] | None = None  # a copy asked for that has not started yet
        self._last: Future[None] | None = None

    def request(self) -> None:
        """A copy of the catalog as it is now (or later), soon."""
        with self._lock:
            if self._queued is not None:
                return  # the copy already waiting will see this change too
            self._queued = self._last = self._executor.submit(self._copy)

    def _copy(self) -> None:
        with self._lock:
            self._queued = None
        try:
            self._catalog.save_backup()
        except Exception:  # noqa: BLE001 (a full disk or a removed home: the next change tries again)
            log.warning("de reservekopie van de catalogus kon niet geschreven worden", exc_info=True)

    def wait(self) -> None:
        """Until the copies asked for so far are written."""
        with self._lock:
            last = self._last
        if last is not None:
            last.result()

    def close(self) -> None:
        self.wait()
        self._executor.shutdown(wait=True)
