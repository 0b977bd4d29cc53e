"""BM25 over the same chunks, with Dutch stemming (PyStemmer) and stopwords (stop-words).

Derived state: built from the catalog's live chunks and stamped with the catalog it was built
from (the catalog's id and generation, so a catalog put in the place of another is noticed); a
stale or missing index is rebuilt.

On disk every build is a folder of its own (`bm25/g<generation>-<id>/`) and `bm25/current`
names the live one; a build is written beside, then `current` is replaced atomically, so a
reader in any process (or thread) loads either the old build or the new one, never half of one.
The build before the live one is kept, so a reader that has just read `current` still finds
its folder. In memory the live build is one immutable snapshot, swapped in one assignment.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import numpy as np
from stop_words import get_stop_words

from ingest.model import Chunk

from .stemming import stem

FORMAT_VERSION = 4  # 3: builds in their own folders, named by `current`; 4: the catalog's id
Stamp = tuple[str, int]  # (catalog id, catalog generation) a build was made from
TOKEN_PATTERN = r"(?u)\b\w+\b"  # one-character tokens too: numbers such as "7" matter
POINTER = "current"
KEEP_BUILDS = 2  # the live build and the one before it
LOAD_ATTEMPTS = 5


@dataclass(frozen=True)
class _Build:
    generation: int = -1
    catalog_id: str = ""
    ids: list[str] = field(default_factory=list)
    retriever: bm25s.BM25 | None = None


class KeywordIndex:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._stopwords = get_stop_words("dutch")
        self._build = _Build()
        self.load()

    @property
    def generation(self) -> int:
        return self._build.generation

    @property
    def stamp(self) -> Stamp:
        return self._build.catalog_id, self._build.generation

    @property
    def size(self) -> int:
        """How many chunks the live build holds."""
        return len(self._build.ids)

    def _tokenize(self, texts: list[str], return_ids: bool = True):  # type: ignore[no-untyped-def]
        return bm25s.tokenize(
            texts,
            stopwords=self._stopwords,
            stemmer=_stem_all,
            token_pattern=TOKEN_PATTERN,
            return_ids=return_ids,
            show_progress=False,
        )

    def stored_stamp(self) -> Stamp:
        """The stamp of the live build on disk (generation -1 when there is none in this format)."""
        build = self._live_folder()
        if build is None:
            return "", -1
        try:
            meta = json.loads((build / "stamp.json").read_text())
        except (OSError, ValueError):
            return "", -1
        if meta.get("format_version") != FORMAT_VERSION:
            return "", -1
        return str(meta.get("catalog", "")), int(meta["generation"])

    def _live_folder(self) -> Path | None:
        try:
            name = (self.folder / POINTER).read_text().strip()
        except OSError:
            return None
        return self.folder / name if name else None

    def load(self) -> None:
        """Take the live build on disk as this index's snapshot (when there is one). A build swapped
        away and collected while we read it is followed to the one that replaced it."""
        for _ in range(LOAD_ATTEMPTS):
            folder = self._live_folder()
            if folder is None:
                return
            try:
                meta = json.loads((folder / "stamp.json").read_text())
                if meta.get("format_version") != FORMAT_VERSION:
                    return
                ids = json.loads((folder / "ids.json").read_text())
                retriever = bm25s.BM25.load(str(folder / "bm25"), show_progress=False) if ids else None
            except (OSError, ValueError, KeyError):
                continue
            self._build = _Build(int(meta["generation"]), str(meta.get("catalog", "")), ids, retriever)
            return

    def rebuild(self, chunks: Iterable[Chunk], stamp: Stamp) -> None:
        ids: list[str] = []
        texts: list[str] = []
        for chunk in chunks:
            ids.append(chunk.id)
            texts.append(chunk.retrieval_text)
        retriever = None
        if texts:
            retriever = bm25s.BM25()
            retriever.index(self._tokenize(texts), show_progress=False)
        self._publish(ids, retriever, stamp)
        self._build = _Build(stamp[1], stamp[0], ids, retriever)

    def _publish(self, ids: list[str], retriever: bm25s.BM25 | None, stamp: Stamp) -> None:
        """Write the build in a folder of its own, then point `current` at it (one atomic rename)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        catalog_id, generation = stamp
        staging = Path(tempfile.mkdtemp(prefix=f"g{generation}-", dir=self.folder))
        try:
            if retriever is not None:
                retriever.save(str(staging / "bm25"), show_progress=False)
            (staging / "ids.json").write_text(json.dumps(ids))
            (staging / "stamp.json").write_text(
                json.dumps(
                    {"generation": generation, "catalog": catalog_id, "format_version": FORMAT_VERSION}
                )
            )
            pointer = self.folder / f".{POINTER}.{staging.name}"
            pointer.write_text(staging.name)
            os.replace(pointer, self.folder / POINTER)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self._collect_old_builds()

    def _collect_old_builds(self) -> None:
        """Drop builds older than the last KEEP_BUILDS (and anything of the old flat layout)."""
        builds = sorted(
            (p for p in self.folder.iterdir() if p.is_dir() and p.name.startswith("g")),
            key=lambda p: p.stat().st_mtime,
        )
        live = self._live_folder()
        for old in builds[:-KEEP_BUILDS]:
            if old != live:
                shutil.rmtree(old, ignore_errors=True)
        for leftover in ("bm25", "ids.json", "stamp.json"):  # format 2 kept its files at the top
            path = self.folder / leftover
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)

    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score), best first; empty when no query term is in the index.
        With `allowed`, only those chunk ids are ranked."""
        build = self._build  # one snapshot for the whole search
        if build.retriever is None or not build.ids:
            return []
        tokens = self._tokenize([query], return_ids=False)
        if not tokens[0]:
            return []
        mask = None
        if allowed is not None:
            mask = np.fromiter((cid in allowed for cid in build.ids), dtype=np.float32, count=len(build.ids))
            if not mask.any():
                return []
        k = min(k, len(build.ids))
        docs, scores = build.retriever.retrieve(
            tokens, k=k, show_progress=False, n_threads=1, weight_mask=mask
        )
        return [
            (build.ids[int(d)], float(s)) for d, s in zip(np.asarray(docs)[0], np.asarray(scores)[0]) if s > 0
        ]


def _stem_all(words: list[str]) -> list[str]:
    """bm25s stems a list of words at once."""
    return [stem(word) for word in words]
