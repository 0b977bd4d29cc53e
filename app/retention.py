"""What the app keeps of users' files, and for how long.

- Uploaded documents: deleted from Gradio's upload folder once ingested (`discard_uploads`).
- Downloads made for users (tables, Word drafts, eval predictions and charts): kept in
  `work_dir` for `max_age()` (1 hour; `VRAAGBAAK_DOWNLOAD_HOURS`), as are the copies Gradio
  serves of them and uploads never ingested (draft and eval tabs). `new_download_folder`
  expires old downloads each time it makes one; `start_sweeper` does so every few minutes.
- The index itself (catalog, vectors, keyword index) keeps a document until it is removed.

Gradio keeps each upload, and each file it serves, as `<upload folder>/<sha256>/<name>`;
only such hashed folders are ever deleted there, never anything else.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from gradio.utils import get_upload_folder

log = logging.getLogger(__name__)

DEFAULT_HOURS = 1.0  # how long a download stays available
SWEEP_EVERY = 300  # seconds between two sweeps of the daemon thread
HASHED = re.compile(r"[0-9a-f]{64}")  # the name of a folder Gradio made for one file


def max_age() -> float:
    """Seconds a download is kept: VRAAGBAAK_DOWNLOAD_HOURS, else DEFAULT_HOURS."""
    try:
        hours = float(os.environ.get("VRAAGBAAK_DOWNLOAD_HOURS") or DEFAULT_HOURS)
    except ValueError:
        hours = DEFAULT_HOURS
    return max(hours, 0.0) * 3600


def upload_folder() -> Path:
    """Gradio's upload folder (GRADIO_TEMP_DIR, else <tmp>/gradio), as Gradio itself finds it."""
    return Path(get_upload_folder()).resolve()


def new_download_folder(work_dir: Path) -> Path:
    """A fresh folder for one download, after expiring the old ones."""
    expire(work_dir)
    return Path(tempfile.mkdtemp(dir=work_dir))  # names of our own making, never the user's


def expire(folder: Path, age: float | None = None, now: float | None = None) -> int:
    """Delete the entries of `folder` last changed more than `age` seconds ago; how many went."""
    cutoff = (time.time() if now is None else now) - (max_age() if age is None else age)
    return sum(_remove_if_older(entry, cutoff) for entry in _entries(folder))


def expire_upload_cache(age: float | None = None, now: float | None = None) -> int:
    """Delete Gradio's hashed per-file folders older than `age`: leftovers of a crash or a restart."""
    cutoff = (time.time() if now is None else now) - (max_age() if age is None else age)
    hashed = [entry for entry in _entries(upload_folder()) if HASHED.fullmatch(entry.name)]
    return sum(_remove_if_older(entry, cutoff) for entry in hashed)


def discard_uploads(paths: Iterable[str | Path]) -> None:
    """Delete uploaded files and their per-upload folder once empty; paths elsewhere are left alone."""
    root = upload_folder()
    for path in paths:
        file = Path(path).resolve()
        if file.parent.parent != root or not HASHED.fullmatch(file.parent.name):
            continue
        file.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # another file still in it
            file.parent.rmdir()


def expire_served(blocks, age: float | None = None, now: float | None = None) -> int:  # type: ignore[no-untyped-def]
    """Delete the files this app had Gradio serve (uploads, copies of downloads) older than `age`.

    Gradio lists them in `blocks.temp_file_sets`; files gone from disk leave the lists too.
    """
    cutoff = (time.time() if now is None else now) - (max_age() if age is None else age)
    kept = set().union(*(getattr(block, "keep_in_cache", set()) for block in blocks.blocks.values()))
    removed = 0
    for files in list(blocks.temp_file_sets):
        for name in list(files):
            path = Path(name)
            if name not in kept and path.exists() and path.lstat().st_mtime < cutoff:
                discard_uploads([path])
                removed += not path.exists()
            if not path.exists():
                files.discard(name)
    return removed


def sweep(work_dir: Path, blocks=None) -> None:  # type: ignore[no-untyped-def]
    """One pass: old downloads, and old files Gradio serves for this app."""
    expire(work_dir)
    if blocks is not None:
        expire_served(blocks)


def start_sweeper(work_dir: Path, blocks=None, every: float = SWEEP_EVERY) -> threading.Thread:  # type: ignore[no-untyped-def]
    """Clean Gradio's upload folder of a previous run's leftovers, then sweep every `every` seconds."""
    expire_upload_cache()

    def loop() -> None:
        while True:
            try:
                sweep(work_dir, blocks)
            except OSError as error:  # a sweep that fails waits for the next one
                log.warning("opruimen mislukt: %s", error)
            time.sleep(every)

    thread = threading.Thread(target=loop, name="vraagbaak-retention", daemon=True)
    thread.start()
    return thread


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except FileNotFoundError:
        return []


def _remove_if_older(entry: Path, cutoff: float) -> bool:
    try:
        if _last_change(entry) >= cutoff:
            return False
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    except FileNotFoundError:  # removed meanwhile
        return False
    return True


def _last_change(path: Path) -> float:
    """The newest modification time of `path` and, for a folder, of everything in it."""
    times = [path.lstat().st_mtime]
    if path.is_dir() and not path.is_symlink():
        times += [inner.lstat().st_mtime for inner in path.rglob("*")]
    return max(times)
