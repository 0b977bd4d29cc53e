"""The index as a whole: catalog, vectors, keywords and the embedder, under one home folder.

home/
  manifest.json     embedding model, chunking, schema version
  catalog.sqlite    documents and chunks (store of record)
  catalog.backup.sqlite  a copy after each change, written in the background (index/backup.py)
  chroma/           vectors (unless a Chroma server URL is set)
  bm25/             keyword index, rebuilt from the catalog when stale
  term_counts.sqlite  the answerer's per-document term counts (a cache; app/answer/term_counts.py)
  write.lock        held by the process that changes the index (see index/locks.py)

Readers in several threads: a question pins one corpus view (`pinned`) for all its steps, so a
document committed meanwhile is seen by the next question, never by half of this one.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.chunk import ChunkSettings
from ingest.limits import Limits
from ingest.model import Chunk, Document, Role, Section

from .backup import BackupWriter
from .catalog import REPAIR_HINT, Catalog, StoreDamagedError
from .embedder import Embedder, EmbeddingSettings
from .keyword import KeywordIndex
from .locks import KEYWORD_LOCK, file_lock
from .manifest import check_or_write, expected_manifest
from .vectors import SEARCH_BREADTH, VectorStore

log = logging.getLogger(__name__)

# Up to this many chunks (a question about a few named documents), vector scores are computed
# exactly from the stored vectors: ~25 us a chunk, where a filtered Chroma query costs ~90-240 ms
# at 93,000 chunks.
EXACT_SCORING_LIMIT = 2000


@dataclass(frozen=True)
class IndexSettings:
    home: Path
    chroma_url: str | None = None
    embedding: EmbeddingSettings = field(default_factory=EmbeddingSettings)
    chunking: ChunkSettings = field(default_factory=ChunkSettings)
    limits: Limits = field(default_factory=Limits)  # what one file may ask of the machine
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
    vector_score: float | None = None  # cosine similarity of query and chunk
    via_question: str | None = None  # the question section whose hit led to this answer chunk


SentenceKey = tuple[str, int, int]  # (source, start, end)


@dataclass(frozen=True)
class _Block:
    """One document's sentence vectors (unit length), rows in key order."""

    keys: list[SentenceKey]
    matrix: np.ndarray
    rows: dict[SentenceKey, int]


class SentenceVectors(Mapping[SentenceKey, np.ndarray]):
    """The prose sentences' unit vectors, a block per document (so a change replaces only its
    documents' blocks), held once: in one matrix in source order, each block a view of its rows
    (a search over all sentences reads the matrix; a second copy would double the archive's
    largest array)."""

    def __init__(self, blocks: dict[str, _Block]) -> None:
        ordered = sorted(blocks)
        keys = [k for source in ordered for k in blocks[source].keys]
        matrix = (
            np.concatenate([blocks[s].matrix for s in ordered])
            if ordered
            else np.zeros((0, 0), dtype=np.float32)
        )
        self.blocks: dict[str, _Block] = {}
        row = 0
        for source in ordered:
            block = blocks[source]
            self.blocks[source] = _Block(block.keys, matrix[row : row + len(block.keys)], block.rows)
            row += len(block.keys)
        self._stacked = keys, matrix

    @staticmethod
    def of(rows: Iterable[tuple[str, int, int, bytes]]) -> dict[str, _Block]:
        """A block per document from the catalog's rows (source, start, end, float16 bytes; a
        document's rows together, in offset order), its vectors scaled to unit length."""
        keys: list[SentenceKey] = []
        packed: list[np.ndarray] = []  # the bytes joined a few thousand rows at a time
        remaining = iter(rows)
        while batch := list(itertools.islice(remaining, 4096)):
            keys += [(source, a, b) for source, a, b, _ in batch]
            packed.append(np.frombuffer(b"".join(r[3] for r in batch), dtype=np.float16))
        if not keys:
            return {}
        matrix = np.concatenate(packed).reshape(len(keys), -1).astype(np.float32)
        # each row's norm as np.linalg.norm computes one vector's (its dot with itself), so that the
        # unit vectors are the same to the last bit as when they were scaled one at a time
        norms = np.sqrt(np.fromiter((row.dot(row) for row in matrix), dtype=np.float32, count=len(keys)))
        matrix /= np.where(norms == 0, np.float32(1.0), norms)[:, None]
        blocks = {}
        start = 0
        for source, group in itertools.groupby(keys, key=lambda k: k[0]):
            keys_of = list(group)
            rows_of = {k: i for i, k in enumerate(keys_of)}
            blocks[source] = _Block(keys_of, matrix[start : start + len(keys_of)], rows_of)
            start += len(keys_of)
        return blocks

    def __getitem__(self, key: SentenceKey) -> np.ndarray:
        block = self.blocks.get(key[0])
        if block is None or key not in block.rows:
            raise KeyError(key)
        return block.matrix[block.rows[key]]

    def __len__(self) -> int:
        return len(self._stacked[0])

    def __iter__(self) -> Iterator[SentenceKey]:
        return iter(self._stacked[0])

    def keys_of(self, source: str, start: int, end: int) -> list[SentenceKey]:
        """The keys of the sentence vectors of one source that lie within [start, end)."""
        block = self.blocks.get(source)
        if block is None:
            return []
        low = bisect.bisect_left(block.keys, (source, start, start))
        high = bisect.bisect_left(block.keys, (source, end, end))
        return [k for k in block.keys[low:high] if k[2] <= end]

    def stacked(self) -> tuple[list[SentenceKey], np.ndarray]:
        """All keys in source order and their vectors as one matrix."""
        return self._stacked


@dataclass(frozen=True)
class CorpusView:
    """The live documents and chunks of one catalog generation, held in memory for queries. A new
    generation's view is the last one with the changed documents replaced."""

    generation: int
    versions: dict[str, str]  # source -> version: what tells a changed document
    documents: dict[str, Document]
    chunks: dict[str, Chunk]
    by_section: dict[tuple[str, str], list[Chunk]]
    by_source: dict[str, set[str]]
    sentence_vectors: SentenceVectors = field(default_factory=lambda: SentenceVectors({}))

    def sentence_keys_of(self, source: str, start: int, end: int) -> list[SentenceKey]:
        return self.sentence_vectors.keys_of(source, start, end)

    def changed(self, generation: int, versions: dict[str, str], catalog: Catalog) -> CorpusView:
        """This view with the documents whose version differs (or that are gone) replaced from
        `catalog` (inside its snapshot)."""
        dropped = {s for s, v in self.versions.items() if versions.get(s) != v}
        loaded = [s for s, v in versions.items() if self.versions.get(s) != v]
        whole = not self.versions  # the first view reads everything without a list of names
        wanted = None if whole else loaded
        documents = {s: d for s, d in self.documents.items() if s not in dropped}
        documents.update((d.source, d) for d in catalog.documents_of(wanted))
        documents = dict(sorted(documents.items()))  # in name order, as listed
        chunks = {cid: c for cid, c in self.chunks.items() if c.source not in dropped}
        by_section = {k: v for k, v in self.by_section.items() if k[0] not in dropped}
        by_source = {k: v for k, v in self.by_source.items() if k not in dropped}
        added: dict[tuple[str, str], list[Chunk]] = defaultdict(list)
        for chunk in catalog.chunks_of(wanted):
            chunks[chunk.id] = chunk
            added[(chunk.source, chunk.section)].append(chunk)
            by_source.setdefault(chunk.source, set()).add(chunk.id)
        for key, listed in added.items():
            by_section[key] = sorted(listed, key=lambda c: (c.start, c.end))
        blocks = {s: b for s, b in self.sentence_vectors.blocks.items() if s not in dropped}
        blocks.update(SentenceVectors.of(catalog.sentence_rows(wanted)))
        return CorpusView(
            generation, dict(versions), documents, chunks, by_section, by_source, SentenceVectors(blocks)
        )


EMPTY_VIEW = CorpusView(-1, {}, {}, {}, {}, {})


class Library:
    """Opened index. Build with `open_library`; pass an Embedder to share a loaded model.

    Without an embedder the library can list, show and remove, not ingest or search."""

    def __init__(
        self, settings: IndexSettings, embedder: Embedder | None, set_aside_damaged: bool = False
    ) -> None:
        self.settings = settings
        self._embedder = embedder
        if embedder is not None:
            check_or_write(
                settings.home / "manifest.json",
                expected_manifest(embedder.name, embedder.dimension, settings.chunking.as_dict()),
            )
        self.catalog = Catalog(settings.home / "catalog.sqlite")
        self.backups = BackupWriter(self.catalog)
        self.vectors = _open_vectors(settings, set_aside_damaged)
        self.keywords = KeywordIndex(settings.home / "bm25")
        self._view: CorpusView | None = None
        self._view_lock = threading.Lock()  # one thread builds a new view, the others wait for it
        self._keyword_lock = threading.Lock()
        self._pins = threading.local()  # the view a question of this thread has pinned

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            raise RuntimeError("this library was opened without an embedder")
        return self._embedder

    def refresh_keywords(self, wait: bool = True) -> None:
        """Bring the keyword index up to the catalog's generation: load the state another process
        wrote, or add what changed since (one thread and one process at a time). Without `wait`, a
        thread that finds an update under way goes on with the snapshot it has (a question never
        waits for an ingest)."""
        if self.keywords.stamp == self.catalog.stamp():
            return
        if not self._keyword_lock.acquire(blocking=wait or self.keywords.generation < 0):
            return
        try:
            with file_lock(self.settings.home / KEYWORD_LOCK):
                if self.keywords.stored_stamp() != self.keywords.stamp:
                    self.keywords.load()  # build on the latest state on disk
                with self.catalog.snapshot():
                    stamp = self.catalog.stamp()
                    if self.keywords.stamp != stamp:
                        live = self.catalog.live_chunk_ids()
                        self.keywords.update(live, self.catalog.ordered_chunks, stamp)
        finally:
            self._keyword_lock.release()

    @contextmanager
    def pinned(self) -> Iterator[CorpusView]:
        """One corpus view for everything this thread reads until the block ends."""
        outer = getattr(self._pins, "view", None)
        if outer is not None:
            yield outer
            return
        self._pins.view = self.view()
        try:
            yield self._pins.view
        finally:
            self._pins.view = None

    def view(self) -> CorpusView:
        """The current documents and chunks (the pinned ones inside `pinned`); reloaded when an
        ingest changed the catalog."""
        pinned = getattr(self._pins, "view", None)
        if pinned is not None:
            return pinned
        generation = self.catalog.generation()
        if self._view is not None and self._view.generation == generation:
            return self._view
        with self._view_lock:
            generation = self.catalog.generation()
            if self._view is None or self._view.generation != generation:
                self._view = self._load_view(generation)
            return self._view

    def _load_view(self, generation: int) -> CorpusView:
        """The view of the catalog's current commit: the last view with the changed documents
        replaced (all of them the first time)."""
        with self.catalog.snapshot():  # chunks, documents and vectors of one and the same commit
            generation = self.catalog.generation()
            self._view = (self._view or EMPTY_VIEW).changed(generation, self.catalog.versions(), self.catalog)
        return self._view

    def documents(self) -> list[Document]:
        return list(self.view().documents.values())

    def search(
        self,
        query: str,
        k: int = 5,
        candidates: int = 30,
        rrf_k: int = 60,
        sources: set[str] | None = None,
        query_vector: np.ndarray | None = None,
        skip_kinds: frozenset[str] = frozenset(),
        keep_questions: bool = False,
    ) -> list[Hit]:
        """Hybrid search: vector and BM25 rankings fused by reciprocal rank, then a hit on a
        question section led on to the answer section(s) that answer it (kept as it is with
        `keep_questions`: what the asker wrote is asked). With `sources`,
        only chunks of those files are searched; chunks of `skip_kinds` not at all (a question
        answered in prose is not answered by a table row, whose numbers crowd the prose out)."""
        self.refresh_keywords(wait=False)
        view = self.view()
        allowed = None if sources is None else {cid for s in sources for cid in view.by_source.get(s, ())}
        vector = self.embedder.embed_query(query) if query_vector is None else query_vector
        vector_hits = self._vector_ranking(view, vector, candidates, sources, allowed, skip_kinds)
        keyword_hits = self.keywords.search(query, candidates, allowed, skip_kinds)
        scores: dict[str, float] = defaultdict(float)
        ranks: dict[str, dict[str, int]] = defaultdict(dict)
        similarity = dict(vector_hits)
        for name, ranking in (("vector", vector_hits), ("keyword", keyword_hits)):
            shared = _shared_ranks(ranking)
            for rank, (cid, _score) in enumerate(ranking, start=1):
                scores[cid] += 1.0 / (rrf_k + shared[rank - 1])  # equal scores, equal share
                ranks[cid][name] = rank
        hits = [  # vectors of an unfinished ingest are not in the catalog, so not live
            Hit(
                view.chunks[cid],
                score,
                ranks[cid].get("vector"),
                ranks[cid].get("keyword"),
                similarity.get(cid),
            )
            for cid, score in scores.items()
            if cid in view.chunks
        ]
        hits.sort(key=lambda h: h.score, reverse=True)
        return (hits if keep_questions else self._lead_to_answers(hits, view))[:k]

    def _vector_ranking(
        self,
        view: CorpusView,
        vector: np.ndarray,
        n: int,
        sources: set[str] | None,
        allowed: set[str] | None,
        skip_kinds: frozenset[str],
    ) -> list[tuple[str, float]]:
        """The n live chunks closest to the question among `allowed` (None: all), none of
        `skip_kinds`. A small allowed set is scored exactly; otherwise the unfiltered nearest
        are filtered here, and only where too few of them pass does Chroma's own filter run."""

        def wanted(cid: str) -> bool:
            chunk = view.chunks.get(cid)
            return chunk is not None and chunk.kind not in skip_kinds and (allowed is None or cid in allowed)

        if allowed is not None and len(allowed) <= EXACT_SCORING_LIMIT:
            return self.vectors.similarities(vector, sorted(cid for cid in allowed if wanted(cid)))[:n]
        nearest = self.vectors.query(vector, max(n, SEARCH_BREADTH))  # no filter: fast
        passing = [(cid, score) for cid, score in nearest if wanted(cid)]
        if len(passing) >= n or len(nearest) < max(n, SEARCH_BREADTH):  # enough, or the whole store
            return passing[:n]
        return self.vectors.query(vector, n, sources, skip_kinds)

    def sentence_search(
        self, query_vector: np.ndarray, k: int, sources: set[str] | None = None
    ) -> list[Chunk]:
        """The prose chunks that hold the k sentences closest in meaning to the question, best
        first: a long chunk whose one answering sentence its whole vector dilutes is found so."""
        view = self.view()  # the keys and the chunks they lead to from one and the same view
        keys, matrix = view.sentence_vectors.stacked()
        if not keys:
            return []
        found: list[Chunk] = []
        for row in _best_first(matrix @ query_vector.astype(np.float32), 8 * k):
            source, start, _end = keys[int(row)]
            if sources is not None and source not in sources:
                continue
            chunk = _prose_chunk_at(view, source, start)
            if chunk is not None and chunk not in found:
                found.append(chunk)
                if len(found) == k:
                    break
        return found

    def asked_in(self, chunks: list[Chunk]) -> list[Chunk]:
        """The chunks of the question sections that the answer chunks among `chunks` answer, in order:
        what the asker states there ("Die liepen tot eind 2018.") may be all the corpus says of it."""
        view = self.view()
        found: list[Chunk] = []
        for chunk in chunks:
            for question in questions_answered_by(view.documents[chunk.source], chunk):
                found += [
                    c for c in view.by_section.get((chunk.source, question.label), []) if c not in found
                ]
        return found

    def _lead_to_answers(self, hits: list[Hit], view: CorpusView) -> list[Hit]:
        """Staff ask what was answered, not what was asked: a question hit is replaced by the
        best-ranked chunk of each answer section that answers it (its first chunk if none ranked)."""
        ranked = {h.chunk.id: h for h in hits}
        result: list[Hit] = []
        seen: set[str] = set()
        for hit in hits:
            replacements = [hit]
            if hit.chunk.role is Role.QUESTION:
                document = view.documents.get(hit.chunk.source)
                section = document.section_of(hit.chunk) if document else None
                answers = answer_sections(document, section) if document and section else []
                replacements = []
                for answer in answers:
                    chunks = view.by_section.get((document.source, answer.label), [])
                    if not chunks:
                        continue
                    best = max(chunks, key=lambda c: ranked[c.id].score if c.id in ranked else -1.0)
                    found = ranked.get(best.id)
                    replacements.append(
                        Hit(
                            best,
                            hit.score,
                            found.vector_rank if found else None,
                            found.keyword_rank if found else None,
                            found.vector_score if found else hit.vector_score,
                            hit.chunk.section,
                        )
                    )
                replacements = replacements or [hit]  # an unanswered question is still evidence
            for replacement in replacements:
                if replacement.chunk.id not in seen:
                    seen.add(replacement.chunk.id)
                    result.append(replacement)
        return result

    def close(self) -> None:
        self.backups.close()
        self.catalog.close()


def _shared_ranks(ranking: list[tuple[str, float]]) -> list[float]:
    """Each position's rank for fusion: hits with equal scores share the average of their ranks,
    so which of two equally scored chunks a ranking lists first does not decide between them."""
    shared: list[float] = []
    start = 0
    while start < len(ranking):
        end = start
        while end + 1 < len(ranking) and ranking[end + 1][1] == ranking[start][1]:
            end += 1
        shared += [(start + end) / 2 + 1] * (end - start + 1)
        start = end + 1
    return shared


def _best_first(scores: np.ndarray, first: int) -> Iterator[int]:
    """Rows by descending score (equal scores in row order), sorting only as far as the caller reads:
    the best `first`, then four times as many, and so on (a full sort per question grows with the
    archive)."""
    negated = -scores  # ascending order of these is best first
    given: set[int] = set()  # a tie at a cut may put another of the tied rows in a later round
    while len(given) < len(scores):
        upto = min(len(scores), max(first, 1, 4 * len(given)))
        part = np.argpartition(negated, upto - 1)[:upto] if upto < len(scores) else np.arange(len(scores))
        for row in part[np.lexsort((part, negated[part]))].tolist():
            if row not in given:
                given.add(row)
                yield row


def _prose_chunk_at(view: CorpusView, source: str, offset: int) -> Chunk | None:
    """The passage chunk of `source` that holds `offset` (the first, where chunks overlap); none
    in a question section, which asks rather than answers."""
    holding = [
        c
        for cid in view.by_source.get(source, ())
        if (c := view.chunks[cid]).kind == "passage"
        and c.role is not Role.QUESTION
        and c.start <= offset < c.end
    ]
    return min(holding, key=lambda c: c.start) if holding else None


def questions_answered_by(document: Document, chunk: Chunk) -> list[Section]:
    """The question sections that the answer section holding the chunk answers (none for other chunks)."""
    section = document.section_of(chunk) if chunk.role is Role.ANSWER else None
    if section is None:
        return []
    return [
        q for q in document.sections if q.role is Role.QUESTION and section in answer_sections(document, q)
    ]


def answer_sections(document: Document, question: Section) -> list[Section]:
    """The answer sections that answer a question section: "vraag 2c" is answered by
    "antwoord 2c" and "antwoord 2a-c"; "vraag 6" by "antwoord 6" and by "antwoord 6a"."""
    number = question.number or ""
    base = number.rstrip("abcdefghijklmnopqrstuvwxyz")
    found = []
    for section in document.sections:
        if section.role is not Role.ANSWER:
            continue
        answered = set(section.answers)
        if number in answered or (
            number == base and any(a.rstrip("abcdefghijklmnopqrstuvwxyz") == base for a in answered)
        ):
            found.append(section)
    return found


def _open_vectors(settings: IndexSettings, set_aside_damaged: bool) -> VectorStore:
    """The vector store; a local one that cannot be opened is set aside (for `repair`) or refused."""
    folder = settings.home / "chroma"
    try:
        return VectorStore(folder, settings.chroma_url)
    except Exception as error:  # noqa: BLE001 (Chroma raises many kinds on a damaged store)
        detail = f"{type(error).__name__}: {' '.join(str(error).split())[:160]}"
        if settings.chroma_url or not set_aside_damaged:
            raise StoreDamagedError(
                f"de vectorindex ({settings.chroma_url or folder}) kan niet geopend worden ({detail}). "
                + REPAIR_HINT
            ) from None
    aside = folder.with_name(f"chroma.beschadigd-{time.strftime('%Y%m%d-%H%M%S')}")
    folder.rename(aside)
    log.warning("damaged vector store set aside as %s", aside)
    return VectorStore(folder, None)


def open_library(
    settings: IndexSettings,
    embedder: Embedder | None = None,
    with_model: bool = True,
    set_aside_damaged: bool = False,
) -> Library:
    if embedder is None and with_model:
        embedder = Embedder(settings.embedding, settings.models_dir)
    return Library(settings, embedder, set_aside_damaged)
