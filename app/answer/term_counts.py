"""Each document's chunk-term counts, kept in the index home so that start-up adds up one row per
document instead of reading every chunk of the archive again (the corpus words' largest share).

A row holds, for one document version, how many chunks it has and in how many of them each stem
occurs. It is valid for that version and for the code that finds the stems: the key includes a
digest of that code and of the stopword list, so a change to either counts every document anew.
The file is a cache: when it cannot be read or written, the counts are made from the chunks.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from stop_words import get_stop_words

from index.catalog import Catalog
from ingest.model import Chunk

from . import extract, figure_terms
from .extract import terms

log = logging.getLogger(__name__)

FILE_NAME = "term_counts.sqlite"

DocumentCounts = tuple[int, dict[str, int]]  # (chunks, stem -> chunks it occurs in)


def _code_digest() -> str:
    """What the stems depend on: the modules that find them and the stopword list."""
    from index import stemming

    digest = hashlib.sha256()
    for module in (extract, figure_terms, stemming):
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update("\n".join(sorted(get_stop_words("dutch"))).encode())
    return digest.hexdigest()[:16]


def count_chunks(chunks: Iterable[Chunk]) -> DocumentCounts:
    """One document's counts from its chunks."""
    count = 0
    frequency: Counter[str] = Counter()
    for chunk in chunks:
        count += 1
        frequency.update(terms(chunk.retrieval_text))
    return count, dict(frequency)


class TermCounts:
    """The stored counts of the documents of one index home."""

    def __init__(self, home: Path) -> None:
        self.path = home / FILE_NAME
        self.digest = _code_digest()
        self._lock = threading.Lock()

    @contextmanager
    def _session(self) -> Iterator[sqlite3.Connection]:
        """One transaction on the file, by one thread of this process at a time."""
        with self._lock, closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS counts (source TEXT PRIMARY KEY, version TEXT NOT NULL, "
                "digest TEXT NOT NULL, chunks INTEGER NOT NULL, stems TEXT NOT NULL)"
            )
            yield db

    def load(self, versions: dict[str, str]) -> dict[str, DocumentCounts]:
        """The stored counts of the documents at these versions (source -> version)."""
        try:
            with self._session() as db:
                query = "SELECT source, version, chunks, stems FROM counts WHERE digest = ?"
                rows = db.execute(query, (self.digest,)).fetchall()
        except sqlite3.Error as error:
            log.warning("term counts unreadable (%s): %s; counting from the chunks", self.path, error)
            return {}
        return {
            source: (chunks, json.loads(stems))
            for source, version, chunks, stems in rows
            if versions.get(source) == version
        }

    def versions(self) -> dict[str, str]:
        """The document versions whose counts are stored for this code (source -> version)."""
        try:
            with self._session() as db:
                rows = db.execute("SELECT source, version FROM counts WHERE digest = ?", (self.digest,))
                return dict(rows.fetchall())
        except sqlite3.Error as error:
            log.warning("term counts unreadable (%s): %s", self.path, error)
            return {}

    def store(self, counted: dict[str, tuple[str, DocumentCounts]]) -> None:
        """Keep these documents' counts (source -> (version, counts)), replacing older ones."""
        rows = [
            (source, version, self.digest, chunks, json.dumps(stems, ensure_ascii=False))
            for source, (version, (chunks, stems)) in counted.items()
        ]
        try:
            with self._session() as db:
                db.executemany("INSERT OR REPLACE INTO counts VALUES (?, ?, ?, ?, ?)", rows)
        except sqlite3.Error as error:
            log.warning("term counts not stored (%s): %s", self.path, error)

    def forget(self, sources: Iterable[str]) -> None:
        """Drop removed documents' counts."""
        try:
            with self._session() as db:
                db.executemany("DELETE FROM counts WHERE source = ?", [(s,) for s in sources])
        except sqlite3.Error as error:
            log.warning("term counts not updated (%s): %s", self.path, error)


def bring_up_to_date(counts: TermCounts, catalog: Catalog) -> int:
    """Count and store the catalog's documents whose counts are missing or of another version, and
    drop removed documents' (after an ingest by a process without an answerer, so that the next
    start-up finds them); how many documents were counted."""
    versions = catalog.versions()
    stored = counts.versions()
    wanted = [source for source, version in versions.items() if stored.get(source) != version]
    chunks: dict[str, list[Chunk]] = defaultdict(list)
    for chunk in catalog.chunks_of(wanted):
        chunks[chunk.source].append(chunk)
    counts.store({source: (versions[source], count_chunks(chunks[source])) for source in wanted})
    counts.forget(source for source in stored if source not in versions)
    return len(wanted)
