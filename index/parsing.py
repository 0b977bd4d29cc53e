"""Reading and structuring a file in a worker process of its own.

Parsing is pure Python (PDF layout, table solving): in the app's process it would hold the
interpreter lock for as long as a big file takes and stall everyone's questions. In a worker it
runs beside them, at a lower priority, under a memory ceiling and a time limit; a worker that
hangs, runs out of memory or dies is replaced, and the file is reported as not read. One worker
per ingest batch (the writer is one at a time anyway); it is gone when the batch ends.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import TracebackType

from ingest.errors import IngestError, UnreadableFileError
from ingest.limits import Limits
from ingest.load import load
from ingest.model import Document, RawDocument
from ingest.segment import segment

WORKER_NICE = 10  # below the questions
WORKER_MEMORY_BYTES = 4 * 1024**3  # a parse that needs more is a hostile or broken file


class ParserFailure(Exception):
    """Whatever a parsing library raised in the worker, by kind and message: the library's own
    exception may not survive the trip back (lxml's XMLSyntaxError cannot be pickled)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return type(self), (self.kind, str(self))


def _call(function, *args):  # type: ignore[no-untyped-def]
    """In the worker: `function(*args)`, its failures in a form that crosses back."""
    try:
        return function(*args)
    except IngestError:
        raise
    except Exception as error:  # noqa: BLE001 (any parser failure is this file's failure)
        raise ParserFailure(type(error).__name__, str(error)) from None


def _start_worker() -> None:
    import resource
    import threading

    os.nice(WORKER_NICE)
    resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES))
    threading.Thread(target=_exit_with_parent, daemon=True).start()


def _exit_with_parent() -> None:
    """In the worker: end when the process that started it ends. Killed with SIGKILL, the parent
    cannot stop its pool, and the worker, which holds both ends of its task queue's pipe, would
    wait for a next file forever."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()
        os._exit(1)


class Parser:
    """`load` and `segment` in a worker process; use as a context manager."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Parser:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop()

    def load(self, path: Path) -> RawDocument:
        return self._run(path.name, load, path, self.limits)

    def segment(self, raw: RawDocument) -> Document:
        return self._run(raw.source, segment, raw)

    def _run(self, name: str, function, *args):  # type: ignore[no-untyped-def]
        if self._pool is None:
            context = multiprocessing.get_context("spawn")  # never fork a process that holds threads
            self._pool = ProcessPoolExecutor(1, mp_context=context, initializer=_start_worker)
        future = self._pool.submit(_call, function, *args)
        try:
            return future.result(timeout=self.limits.max_parse_seconds)
        except FutureTimeout:
            self._stop(kill=True)
            raise UnreadableFileError(
                name,
                f"het lezen duurde langer dan {self.limits.max_parse_seconds:.0f} s en is afgebroken; "
                "splits het bestand op of lever het aan als tekst.",
            ) from None
        except (BrokenProcessPool, MemoryError):
            self._stop(kill=True)
            raise UnreadableFileError(
                name,
                "het lezen vroeg meer geheugen dan toegestaan of liep vast; het bestand is wellicht "
                "beschadigd. Open en bewaar het opnieuw, of lever het aan als PDF of tekst.",
            ) from None

    def _stop(self, kill: bool = False) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if kill:
            for process in list(
                getattr(pool, "_processes", {}).values()
            ):  # no public way to stop a hung task
                process.kill()
        pool.shutdown(wait=not kill, cancel_futures=True)
