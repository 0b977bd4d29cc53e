"""The index as a whole: catalog, vectors, keywords and the embedder, under one home folder.

    home/
      manifest.json     embedding model, chunking, schema version
      catalog.sqlite    documents and chunks (store of record)
      chroma/           vectors (unless a Chroma server URL is set)
      bm25/             keyword index, rebuilt from the catalog when stale
      models/           the converted embedding model
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunk import ChunkSettings
from ingest.model import Chunk

from .catalog import Catalog
from .embedder import Embedder, EmbeddingSettings
from .keyword import KeywordIndex
from .manifest import check_or_write, expected_manifest
from .vectors import VectorStore


@dataclass(frozen=True)
class IndexSettings:
    home: Path
    chroma_url: str | None = None
    embedding: EmbeddingSettings = field(default_factory=EmbeddingSettings)
    chunking: ChunkSettings = field(default_factory=ChunkSettings)
    max_file_mb: int = 25
    model_cache: Path | None = None  # where converted models live; default home/models

    @property
    def models_dir(self) -> Path:
        return self.model_cache or self.home / "models"


@dataclass
class Hit:
    chunk: Chunk
    score: float  # fused score
    vector_rank: int | None = None
    keyword_rank: int | None = None


class Library:
    """Opened index. Build with `open_library`; pass an Embedder to share a loaded model.

    Without an embedder the library can list, show and remove, not ingest or search."""

    def __init__(self, settings: IndexSettings, embedder: Embedder | None) -> None:
        self.settings = settings
        self._embedder = embedder
        if embedder is not None:
            check_or_write(
                settings.home / "manifest.json",
                expected_manifest(embedder.name, embedder.dimension, settings.chunking.as_dict()),
            )
        self.catalog = Catalog(settings.home / "catalog.sqlite")
        self.vectors = VectorStore(settings.home / "chroma", settings.chroma_url)
        self.keywords = KeywordIndex(settings.home / "bm25")

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            raise RuntimeError("this library was opened without an embedder")
        return self._embedder

    def refresh_keywords(self) -> None:
        generation = self.catalog.generation()
        if self.keywords.generation != generation:
            self.keywords.rebuild(self.catalog.all_chunks(), generation)

    def search(self, query: str, k: int = 5, candidates: int = 30, rrf_k: int = 60) -> list[Hit]:
        """Hybrid search: vector and BM25 rankings fused by reciprocal rank."""
        self.refresh_keywords()
        vector_hits = self.vectors.query(self.embedder.embed_query(query), candidates)
        keyword_hits = self.keywords.search(query, candidates)
        scores: dict[str, float] = defaultdict(float)
        ranks: dict[str, dict[str, int]] = defaultdict(dict)
        for name, ranking in (("vector", vector_hits), ("keyword", keyword_hits)):
            for rank, (cid, _score) in enumerate(ranking, start=1):
                scores[cid] += 1.0 / (rrf_k + rank)
                ranks[cid][name] = rank
        live = self.catalog.chunks(list(scores))  # vectors of an unfinished ingest are not live
        hits = [
            Hit(live[cid], score, ranks[cid].get("vector"), ranks[cid].get("keyword"))
            for cid, score in scores.items()
            if cid in live
        ]
        hits.sort(key=lambda h: h.score, reverse=True)
        return hits[:k]

    def close(self) -> None:
        self.catalog.close()


def open_library(settings: IndexSettings, embedder: Embedder | None = None, with_model: bool = True) -> Library:
    if embedder is None and with_model:
        embedder = Embedder(settings.embedding, settings.models_dir)
    return Library(settings, embedder)
