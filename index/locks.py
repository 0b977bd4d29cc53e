"""Locks between processes (and threads) that share one index home, on lock files beside it.

`flock` locks belong to an open file, so two threads that each open the file exclude each other
as two processes do; the kernel releases a lock when its process dies, so a killed ingest never
leaves the home locked.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

WRITER_LOCK = "write.lock"  # held by whoever changes the index (ingest, remove)
KEYWORD_LOCK = "keywords.lock"  # held while the keyword index is rebuilt


@contextmanager
def file_lock(path: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on `path`; `on_wait` is called once when another holder makes us wait."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def held_elsewhere(path: Path) -> bool:
    """Whether another open file (another process, or this one) holds a lock on `path` now."""
    if not path.exists():
        return False
    handle = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(handle)


class HeldLock:
    """A lock held for the life of a process (the app's "serving" mark), released by `release`."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle: int | None = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._handle)
            self._handle = None
            raise

    def release(self) -> None:
        if self._handle is not None:
            os.close(self._handle)
            self._handle = None


_held_here = threading.local()  # the writer locks this thread holds (re-entrant per thread)


@contextmanager
def writer_lock(home: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """The one-writer-at-a-time lock of an index home; a thread that holds it may take it again."""
    path = str(home / WRITER_LOCK)
    held: set[str] = _held_here.__dict__.setdefault("paths", set())
    if path in held:
        yield
        return
    with file_lock(home / WRITER_LOCK, on_wait):
        held.add(path)
        try:
            yield
        finally:
            held.discard(path)
