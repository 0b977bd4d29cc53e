"""Chunk vectors in Chroma: embedded PersistentClient by default, a Chroma server when a URL is set.

Vectors are always passed in: Chroma's own embedding path (query_texts, adding
documents without vectors) would try to download a model.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from ingest.model import Chunk

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

COLLECTION = "vraagbaak_chunks"
# Chroma's default search breadth (10) makes the approximate index miss the nearest chunk now and
# then, and differently from one process to the next; this breadth searches a small corpus exactly
# and keeps a large one close to exact, at a cost of milliseconds.
SEARCH_BREADTH = 400


def _client_settings():  # type: ignore[no-untyped-def]
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False)


class VectorStore:
    def __init__(self, path: Path, url: str | None = None) -> None:
        import chromadb

        if url:
            parsed = urlparse(url)
            self._client = chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or 8000,
                ssl=parsed.scheme == "https",
                settings=_client_settings(),
            )
        else:
            path.mkdir(parents=True, exist_ok=True)
            self._client = chromadb.PersistentClient(path=str(path), settings=_client_settings())
        self._collection = self._client.get_or_create_collection(
            COLLECTION,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine", "ef_search": SEARCH_BREADTH}},
        )
        hnsw = (self._collection.configuration or {}).get("hnsw") or {}
        if hnsw.get("ef_search") != SEARCH_BREADTH:  # a store made before the breadth was set
            self._collection.modify(configuration={"hnsw": {"ef_search": SEARCH_BREADTH}})

    def catalog_id(self) -> str | None:
        """The catalog these vectors were last written for (None for a store made before the mark)."""
        value = (self._collection.metadata or {}).get("catalog_id")
        return str(value) if value else None

    def mark(self, catalog_id: str) -> None:
        if self.catalog_id() != catalog_id:
            self._collection.modify(metadata={**(self._collection.metadata or {}), "catalog_id": catalog_id})

    def existing_ids(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), 1000):
            found.update(self._collection.get(ids=ids[start : start + 1000], include=[])["ids"])
        return found

    def all_ids(self, page: int = 5000) -> set[str]:
        found: set[str] = set()
        offset = 0
        while ids := self._collection.get(include=[], limit=page, offset=offset)["ids"]:
            found.update(ids)
            offset += len(ids)
        return found

    def ids_for_source(self, source: str) -> set[str]:
        return set(self._collection.get(where={"source": source}, include=[])["ids"])

    def add(self, chunks: list[Chunk], vectors: np.ndarray) -> None:
        if not chunks:
            return
        self._collection.upsert(
            ids=[c.id for c in chunks],
            embeddings=vectors,
            metadatas=[
                {"source": c.source, "section": c.section, "role": c.role.value, "kind": c.kind}
                for c in chunks
            ],
        )

    def delete(self, ids: set[str]) -> None:
        listed = sorted(ids)
        for start in range(0, len(listed), 1000):
            self._collection.delete(ids=listed[start : start + 1000])

    def similarities(self, vector: np.ndarray, ids: list[str]) -> list[tuple[str, float]]:
        """Exact cosine of `vector` with each stored chunk of `ids`, best first (ids not stored:
        left out). For a small set, reading its vectors beats a filtered approximate search."""
        found: list[tuple[str, float]] = []
        for start in range(0, len(ids), 1000):
            stored = self._collection.get(ids=ids[start : start + 1000], include=["embeddings"])
            if not len(stored["ids"]):
                continue
            matrix = np.asarray(stored["embeddings"], dtype=np.float32)
            norms = np.linalg.norm(matrix, axis=1) * max(float(np.linalg.norm(vector)), 1e-12)
            cosines = (matrix @ vector.astype(np.float32)) / np.maximum(norms, 1e-12)
            found.extend(zip(stored["ids"], (float(c) for c in cosines)))
        found.sort(key=lambda pair: (-pair[1], pair[0]))
        return found

    def query(
        self,
        vector: np.ndarray,
        k: int,
        sources: set[str] | None = None,
        skip_kinds: frozenset[str] = frozenset(),
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), best first; with `sources`, only chunks of those files;
        chunks of `skip_kinds` ("table_row") are not ranked. Without either, the approximate index
        answers alone (~3 ms at 93,000 chunks); Chroma's filter for either is complete but costs
        ~90-240 ms there, so the library filters the unfiltered nearest itself, or scores a small
        set exactly with `similarities`, where it can."""
        total = self._collection.count()
        if total == 0 or sources == set():
            return []
        conditions = [] if sources is None else [{"source": {"$in": sorted(sources)}}]
        conditions += [{"kind": {"$nin": sorted(skip_kinds)}}] if skip_kinds else []
        where = conditions[0] if len(conditions) == 1 else ({"$and": conditions} if conditions else None)
        result = self._collection.query(
            query_embeddings=[vector], n_results=min(k, total), where=where, include=["distances"]
        )
        return [(cid, 1.0 - float(d)) for cid, d in zip(result["ids"][0], result["distances"][0])]

    def count(self) -> int:
        return int(self._collection.count())
