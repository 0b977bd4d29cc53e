"""BM25 over the same chunks, with Dutch stemming (PyStemmer) and stopwords (stop-words).

Derived state: built from the catalog's live chunks and stamped with the
catalog generation it was built from; a stale or missing index is rebuilt.
Written to a temporary folder and renamed, so a reader never sees half of one.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import bm25s
import numpy as np
from stop_words import get_stop_words

from ingest.model import Chunk

from .stemming import stem

FORMAT_VERSION = 2  # 2: the stemmer keeps the "ge" of a word's root
TOKEN_PATTERN = r"(?u)\b\w+\b"  # one-character tokens too: numbers such as "7" matter


class KeywordIndex:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._stopwords = get_stop_words("dutch")
        self._retriever: bm25s.BM25 | None = None
        self._ids: list[str] = []
        self.generation = -1
        self._load()

    def _tokenize(self, texts: list[str], return_ids: bool = True):  # type: ignore[no-untyped-def]
        return bm25s.tokenize(
            texts,
            stopwords=self._stopwords,
            stemmer=_stem_all,
            token_pattern=TOKEN_PATTERN,
            return_ids=return_ids,
            show_progress=False,
        )

    def _load(self) -> None:
        stamp = self.folder / "stamp.json"
        if not stamp.exists():
            return
        meta = json.loads(stamp.read_text())
        if meta.get("format_version") != FORMAT_VERSION:
            return
        self._ids = json.loads((self.folder / "ids.json").read_text())
        self._retriever = (
            bm25s.BM25.load(str(self.folder / "bm25"), show_progress=False) if self._ids else None
        )
        self.generation = int(meta["generation"])

    def rebuild(self, chunks: Iterable[Chunk], generation: int) -> None:
        ids: list[str] = []
        texts: list[str] = []
        for chunk in chunks:
            ids.append(chunk.id)
            texts.append(chunk.retrieval_text)
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="bm25.", dir=self.folder.parent))
        try:
            if texts:
                retriever = bm25s.BM25()
                retriever.index(self._tokenize(texts), show_progress=False)
                retriever.save(str(staging / "bm25"), show_progress=False)
            (staging / "ids.json").write_text(json.dumps(ids))
            (staging / "stamp.json").write_text(
                json.dumps({"generation": generation, "format_version": FORMAT_VERSION})
            )
            backup = self.folder.with_name(self.folder.name + ".old")
            if self.folder.exists():
                shutil.rmtree(backup, ignore_errors=True)
                self.folder.rename(backup)
            staging.rename(self.folder)
            shutil.rmtree(backup, ignore_errors=True)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self._load()

    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score), best first; empty when no query term is in the index.
        With `allowed`, only those chunk ids are ranked."""
        if self._retriever is None or not self._ids:
            return []
        tokens = self._tokenize([query], return_ids=False)
        if not tokens[0]:
            return []
        mask = None
        if allowed is not None:
            mask = np.fromiter((cid in allowed for cid in self._ids), dtype=np.float32, count=len(self._ids))
            if not mask.any():
                return []
        k = min(k, len(self._ids))
        docs, scores = self._retriever.retrieve(
            tokens, k=k, show_progress=False, n_threads=1, weight_mask=mask
        )
        return [
            (self._ids[int(d)], float(s)) for d, s in zip(np.asarray(docs)[0], np.asarray(scores)[0]) if s > 0
        ]


def _stem_all(words: list[str]) -> list[str]:
    """bm25s stems a list of words at once."""
    return [stem(word) for word in words]
