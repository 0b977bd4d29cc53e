"""The catalog: which documents are indexed, at which version, with which chunks.

SQLite, beside the vector store. It is the store of record: a document's
version changes in one transaction (`commit_document`), so a process killed
mid-ingest leaves each document fully at its old or fully at its new version.
Vectors in Chroma that no catalog row references are invisible to search and
are collected on the next ingest.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ingest.errors import VraagbaakError
from ingest.model import Cell, Chunk, Document, Genre, Metadata, Role, Row, Section, Table
from ingest.numbers import parse_number

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    source TEXT PRIMARY KEY,
    version TEXT NOT NULL,          -- content hash + settings hash
    genre TEXT NOT NULL,
    title TEXT NOT NULL,
    document_json TEXT NOT NULL,
    ingested_at TEXT NOT NULL DEFAULT (datetime('now')),
    origin TEXT                     -- the file it was read from (absolute path); NULL before v2
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL REFERENCES documents(source) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    role TEXT NOT NULL,
    section TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    context TEXT NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source);
CREATE TABLE IF NOT EXISTS cells (          -- every table cell, as data
    source TEXT NOT NULL REFERENCES documents(source) ON DELETE CASCADE,
    table_index INTEGER NOT NULL,
    caption TEXT NOT NULL,
    section TEXT,
    complete INTEGER NOT NULL,
    row_index INTEGER NOT NULL,
    row_label TEXT NOT NULL,
    column_label TEXT NOT NULL,
    value TEXT NOT NULL,                    -- as printed
    number REAL,
    status TEXT NOT NULL,                   -- read, reconstructed, uncertain
    start INTEGER,
    "end" INTEGER
);
CREATE INDEX IF NOT EXISTS cells_source ON cells(source);
CREATE TABLE IF NOT EXISTS sentences (      -- prose sentences with their vectors, for answer extraction
    source TEXT NOT NULL REFERENCES documents(source) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    vector BLOB NOT NULL                    -- float16
);
CREATE INDEX IF NOT EXISTS sentences_source ON sentences(source);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO state VALUES ('generation', '0');
INSERT OR IGNORE INTO state VALUES ('catalog_id', lower(hex(randomblob(8))));
"""


REPAIR_HINT = (
    "Voer 'vraagbaak repair' uit (met dezelfde VRAAGBAAK_HOME); dat bouwt de afgeleide indexen opnieuw "
    "op uit de catalogus."
)


class StoreDamagedError(VraagbaakError):
    """A store of the index cannot be used as it is; the message says what to do."""


class CatalogDamagedError(StoreDamagedError):
    """The catalog file cannot be read as a catalog: only a backup (or a new ingest) brings it back."""


BACKUP_NAME = "catalog.backup.sqlite"  # written after every ingest batch and removal that changed the catalog


def damaged_message(path: Path, detail: str) -> str:
    return (
        f"de catalogus {path} is beschadigd ({detail}). Voer 'vraagbaak repair' uit: dat zet de "
        f"reservekopie terug die Vraagbaak na elke wijziging maakt ({BACKUP_NAME}) en bouwt vectoren en "
        "trefwoordindex opnieuw op. Is er geen bruikbare reservekopie, zet dan een back-up van de map "
        "terug, of ingest de documenten opnieuw in een lege VRAAGBAAK_HOME."
    )


def readable_catalog(path: Path) -> tuple[bool, int]:
    """(passes SQLite's page check and has a catalog's state, how many documents it holds)."""
    if not path.is_file() or path.stat().st_size == 0:
        return False, 0
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            if db.execute("PRAGMA integrity_check(1)").fetchone()[0] != "ok":
                return False, 0
            db.execute("SELECT value FROM state WHERE key = 'catalog_id'").fetchone()
            return True, int(db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.DatabaseError:
        return False, 0


class Catalog:
    """One SQLite connection per thread: a thread's reads see whole commits only (WAL), never the
    half-done transaction of an ingest running in another thread."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._opened_lock = threading.Lock()
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(SCHEMA)
            _add_missing_columns(self._db)
            self.stamp()
        except sqlite3.DatabaseError as error:
            self.close()
            raise CatalogDamagedError(damaged_message(path, str(error))) from None

    @property
    def backup_path(self) -> Path:
        return self._path.with_name(BACKUP_NAME)

    def save_backup(self) -> None:
        """A consistent copy beside the catalog (SQLite's online backup), replaced atomically."""
        target = self.backup_path
        staging = target.with_name(target.name + ".tmp")
        staging.unlink(missing_ok=True)
        with contextlib.closing(sqlite3.connect(staging)) as copy:
            self._db.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        os.replace(staging, target)

    @property
    def _db(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(
                self._path, check_same_thread=False, isolation_level=None, timeout=60
            )
            connection.execute("PRAGMA foreign_keys=ON")
            self._local.connection = connection
            with self._opened_lock:
                self._opened.append(connection)
        return connection

    def close(self) -> None:
        with self._opened_lock:
            for connection in self._opened:
                connection.close()
            self._opened.clear()
        self._local = threading.local()

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside the block see one commit of the catalog (a read transaction)."""
        self._db.execute("BEGIN")
        try:
            yield
        finally:
            self._db.execute("COMMIT")

    def version(self, source: str) -> str | None:
        row = self._db.execute("SELECT version FROM documents WHERE source = ?", (source,)).fetchone()
        return row[0] if row else None

    def identity(self, source: str) -> tuple[str | None, str] | None:
        """(the file it was read from, its text's content hash) of an indexed document, or None."""
        row = self._db.execute("SELECT origin, version FROM documents WHERE source = ?", (source,)).fetchone()
        return (row[0], row[1].split(":")[0]) if row else None

    def generation(self) -> int:
        return int(self._db.execute("SELECT value FROM state WHERE key = 'generation'").fetchone()[0])

    def stamp(self) -> tuple[str, int]:
        """(this catalog's id, its generation): what derived stores record they were built from."""
        values = dict(
            self._db.execute("SELECT key, value FROM state WHERE key IN ('catalog_id', 'generation')")
        )
        return values["catalog_id"], int(values["generation"])

    def commit_document(
        self,
        document: Document,
        version: str,
        chunks: list[Chunk],
        sentences: Sequence[tuple[int, int, np.ndarray]] = (),
        origin: str | None = None,
    ) -> None:
        """Replace the document, its chunks and its sentence vectors in one transaction."""
        rows = [
            (c.id, c.source, i, c.role.value, c.section, c.start, c.end, c.text, c.context, c.kind)
            for i, c in enumerate(chunks)
        ]
        with self._transaction():
            self._db.execute("DELETE FROM chunks WHERE source = ?", (document.source,))
            self._db.execute(
                "INSERT OR REPLACE INTO documents (source, version, genre, title, document_json, origin) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    document.source,
                    version,
                    document.genre.value,
                    document.title,
                    document_to_json(document),
                    origin,
                ),
            )
            self._db.executemany("INSERT OR REPLACE INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            self._db.execute("DELETE FROM cells WHERE source = ?", (document.source,))
            self._db.executemany(
                "INSERT INTO cells VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _cell_rows(document)
            )
            self._db.execute("DELETE FROM sentences WHERE source = ?", (document.source,))
            self._db.executemany(
                "INSERT INTO sentences VALUES (?, ?, ?, ?)",
                [(document.source, a, b, np.asarray(v, dtype=np.float16).tobytes()) for a, b, v in sentences],
            )
            self._bump_generation()

    def remove_document(self, source: str) -> bool:
        with self._transaction():
            self._db.execute("DELETE FROM chunks WHERE source = ?", (source,))
            self._db.execute("DELETE FROM cells WHERE source = ?", (source,))
            self._db.execute("DELETE FROM sentences WHERE source = ?", (source,))
            removed = self._db.execute("DELETE FROM documents WHERE source = ?", (source,)).rowcount
            if removed:
                self._bump_generation()
        return bool(removed)

    def _bump_generation(self) -> None:
        self._db.execute("UPDATE state SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def sources(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT source FROM documents ORDER BY source")]

    def document(self, source: str) -> Document | None:
        row = self._db.execute("SELECT document_json FROM documents WHERE source = ?", (source,)).fetchone()
        return document_from_json(row[0]) if row else None

    def documents(self) -> Iterator[Document]:
        for (payload,) in self._db.execute("SELECT document_json FROM documents ORDER BY source"):
            yield document_from_json(payload)

    def chunk_ids(self, source: str) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT id FROM chunks WHERE source = ?", (source,))}

    def chunks(self, ids: list[str]) -> dict[str, Chunk]:
        found: dict[str, Chunk] = {}
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ",".join("?" * len(batch))
            for row in self._db.execute(f"SELECT * FROM chunks WHERE id IN ({marks})", batch):
                found[row[0]] = _chunk_from_row(row)
        return found

    def ordered_chunks(self, ids: list[str]) -> list[Chunk]:
        """The chunks with these ids, in the catalog's order (by source, then position)."""
        rows: list[tuple] = []
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ",".join("?" * len(batch))
            rows += self._db.execute(f"SELECT * FROM chunks WHERE id IN ({marks})", batch).fetchall()
        rows.sort(key=lambda row: (row[1], row[2]))
        return [_chunk_from_row(row) for row in rows]

    def live_chunk_ids(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT id FROM chunks")}

    def all_chunks(self, batch_size: int = 5000) -> Iterator[Chunk]:
        """Every live chunk, streamed in a stable order."""
        cursor = self._db.execute("SELECT * FROM chunks ORDER BY source, position")
        while rows := cursor.fetchmany(batch_size):
            yield from (_chunk_from_row(r) for r in rows)

    def sentence_vectors(
        self, sources: list[str] | None = None
    ) -> Iterator[tuple[str, int, int, np.ndarray]]:
        """The sentence vectors of every document, or of `sources`."""
        for source, start, end, blob in self.sentence_rows(sources):
            yield source, start, end, np.frombuffer(blob, dtype=np.float16).astype(np.float32)

    def sentence_rows(self, sources: list[str] | None = None) -> Iterator[tuple[str, int, int, bytes]]:
        """(source, start, end, float16 bytes) of every document's sentences, or of `sources`'; a
        document's rows together, in offset order."""
        query = 'SELECT source, start, "end", vector FROM sentences'
        return self._rows_of(query, sources, order='ORDER BY source, start, "end"')

    def versions(self) -> dict[str, str]:
        """Each document's version (what its chunks depend on), by source."""
        return dict(self._db.execute("SELECT source, version FROM documents"))

    def documents_of(self, sources: list[str] | None) -> Iterator[Document]:
        """The documents of `sources` (every document when None)."""
        for (payload,) in self._rows_of("SELECT document_json FROM documents", sources):
            yield document_from_json(payload)

    def chunks_of(self, sources: list[str] | None) -> Iterator[Chunk]:
        """The chunks of `sources` (every chunk when None)."""
        if sources is None:  # in the catalog's order
            yield from self.all_chunks()
            return
        for row in self._rows_of("SELECT * FROM chunks", sources):
            yield _chunk_from_row(row)

    def _rows_of(self, query: str, sources: list[str] | None, order: str = "") -> Iterator[tuple]:
        if sources is None:
            yield from self._db.execute(f"{query} {order}")
            return
        for start in range(0, len(sources), 500):
            batch = sources[start : start + 500]
            yield from self._db.execute(
                f"{query} WHERE source IN ({','.join('?' * len(batch))}) {order}", batch
            )

    def chunk_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    def table_summaries(self) -> list[tuple[str, int, str, str | None, int, int, bool]]:
        """(source, table index, caption, section, rows, columns, complete) for every stored table."""
        return [
            (r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]))
            for r in self._db.execute(
                "SELECT source, table_index, caption, section, COUNT(DISTINCT row_index), "
                "COUNT(DISTINCT column_label), MIN(complete) "
                "FROM cells GROUP BY source, table_index ORDER BY source, table_index"
            )
        ]

    def cell_count(self, source: str) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM cells WHERE source = ?", (source,)).fetchone()[0])


def _add_missing_columns(db: sqlite3.Connection) -> None:
    """Columns added after a catalog was first made (its rows keep NULL there)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(documents)")}
    if "origin" not in columns:
        db.execute("ALTER TABLE documents ADD COLUMN origin TEXT")


def _cell_rows(document: Document) -> list[tuple]:
    rows = []
    for t_index, table in enumerate(document.tables):
        for r_index, row in enumerate(table.rows):
            for cell in row.cells:
                number = parse_number(cell.value)
                rows.append(
                    (
                        document.source,
                        t_index,
                        table.caption,
                        table.section,
                        int(table.complete),
                        r_index,
                        row.label,
                        cell.column,
                        cell.value,
                        float(number) if number is not None else None,
                        cell.status,
                        cell.start,
                        cell.end,
                    )
                )
    return rows


def _chunk_from_row(row: tuple) -> Chunk:
    cid, source, _position, role, section, start, end, text, context, kind = row
    return Chunk(cid, source, Role(role), section, start, end, text, context, kind)


def document_to_json(document: Document) -> str:
    payload = asdict(document)
    return json.dumps(payload, ensure_ascii=False)


def document_from_json(payload: str) -> Document:
    data = json.loads(payload)
    metadata = data["metadata"]
    return Document(
        source=data["source"],
        text=data["text"],
        genre=Genre(data["genre"]),
        title=data["title"],
        metadata=Metadata(
            **{k: v for k, v in metadata.items() if k not in ("signatories", "links", "extra")},
            signatories=tuple(metadata["signatories"]),
            links=tuple(metadata["links"]),
            extra=tuple(tuple(pair) for pair in metadata["extra"]),
        ),
        sections=tuple(
            Section(
                Role(s["role"]),
                s["start"],
                s["end"],
                s["number"],
                tuple(s["answers"]),
                s["heading"],
                s.get("speaker"),
                s.get("speaker_role"),
            )
            for s in data["sections"]
        ),
        tables=tuple(
            Table(
                caption=t["caption"],
                columns=tuple(t["columns"]),
                rows=tuple(Row(r["label"], tuple(Cell(**c) for c in r["cells"])) for r in t["rows"]),
                start=t["start"],
                end=t["end"],
                section=t["section"],
                complete=t["complete"],
            )
            for t in data["tables"]
        ),
        content_hash=data["content_hash"],
        cues=tuple(data.get("cues", ())),
    )
