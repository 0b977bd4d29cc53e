"""Ingest files into the library, one document at a time, and remove documents.

Per document: load, segment, chunk; then, for a batch of documents at once, embed only the
chunks whose ids (content hashes) have no vector yet, and the prose sentences, and add those
vectors; then commit each document and its chunk list to the catalog in its own transaction;
finally drop the vectors its old version used and the new one does not. A bad file is reported
and skipped, whatever the parsing library raised; nothing already indexed is touched by it.

A document is named by its file name. The same file (path) or the same text read again
updates it; a different document with a name already taken is kept beside it as
"name (2).ext", unless `replace` asks to replace it. One writer at a time (`writer_lock`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest import PARSER_VERSION
from ingest.chunk import chunk
from ingest.errors import IngestError
from ingest.limits import check_chunks
from ingest.load import SUPPORTED_SUFFIXES, load
from ingest.model import Chunk, Document
from ingest.segment import content_hash, segment
from ingest.sentences import prose_sentences

from .library import Library
from .locks import writer_lock
from .parsing import Parser

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int, str], None]  # (done, total, current file name)


@dataclass
class FileOutcome:
    source: str
    status: str  # "ingested", "unchanged", "skipped"
    reason: str = ""
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    genre: str = ""  # an ingested document's genre
    cues: tuple[str, ...] = ()  # and the structure cues its parse rested on (none: paragraphs only)
    file_name: str = ""  # the file's own name, where the document is stored under another
    replaced: bool = False  # it replaced another file's document of the same name (`replace`)

    @property
    def naming_note(self) -> str:
        """Why the document has the name it has, for the report (Dutch); empty when it is its file name."""
        if self.replaced:
            return f"vervangt het vorige document '{self.source}'"
        if self.file_name and self.file_name != self.source:
            return (
                f"opgeslagen als '{self.source}': er stond al een ander document met de naam "
                f"'{self.file_name}' (kies 'vervangen' om dat te vervangen)"
            )
        return ""


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)

    def of(self, status: str) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def embedded(self) -> int:
        return sum(o.embedded for o in self.outcomes)


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files under the given paths, folders walked in name order; hidden files left out."""
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.is_file() and not found.name.startswith("."):
                    yield found
        else:
            yield path


def version_of(text: str, library: Library) -> str:
    """What a document's chunks depend on: its text, the parser, the model and the chunk settings."""
    settings = json.dumps(
        [PARSER_VERSION, library.embedder.name, library.settings.chunking.as_dict()], sort_keys=True
    )
    return f"{content_hash(text)}:{hashlib.sha256(settings.encode()).hexdigest()[:8]}"


BATCH_TEXTS = 512  # texts embedded together: documents are batched so small ones share the work


@dataclass
class _Prepared:
    """A document parsed and chunked, waiting for its vectors and its commit."""

    document: Document
    version: str
    origin: str
    chunks: list[Chunk]
    spans: list[tuple[int, int]]  # its prose sentences
    outcome: FileOutcome

    @property
    def texts(self) -> int:
        return len(self.chunks) + len(self.spans)


def ingest_paths(
    library: Library,
    paths: Iterable[Path],
    progress: ProgressCallback | None = None,
    replace: bool = False,
) -> IngestReport:
    """Every file into the index. Documents are prepared one by one and embedded in batches of about
    BATCH_TEXTS texts across documents; each document is still committed in its own transaction."""
    files = list(expand_paths(paths))
    report = IngestReport()
    pending: list[_Prepared] = []
    with writer_lock(library.settings.home), Parser(library.settings.limits) as parser:
        before = library.catalog.generation()
        for done, path in enumerate(files):
            if progress:
                progress(done, len(files), path.name)
            if any(p.outcome.file_name == path.name for p in pending):  # its name is chosen against
                commit_batch(library, pending)  # the committed ones: "x (2).txt" beside "x.txt"
                pending = []
            prepared = prepare_file(library, path, replace, parser)
            report.outcomes.append(prepared.outcome if isinstance(prepared, _Prepared) else prepared)
            if isinstance(prepared, _Prepared):
                pending.append(prepared)
            if sum(p.texts for p in pending) >= BATCH_TEXTS:
                commit_batch(library, pending)
                pending = []
        commit_batch(library, pending)
        if progress:
            progress(len(files), len(files), "")
        _record_change(library, before)
        library.refresh_keywords()
    return report


def ingest_file(
    library: Library, path: Path, replace: bool = False, parser: Parser | None = None
) -> FileOutcome:
    """One file into the index; parsed by `parser`'s worker process when given, else here."""
    prepared = prepare_file(library, path, replace, parser)
    if isinstance(prepared, _Prepared):
        commit_batch(library, [prepared])
        return prepared.outcome
    return prepared


def prepare_file(
    library: Library, path: Path, replace: bool = False, parser: Parser | None = None
) -> FileOutcome | _Prepared:
    """Read, parse and chunk one file; its outcome when there is nothing to embed (unchanged, skipped)."""
    started = time.perf_counter()
    if not path.exists():
        return FileOutcome(path.name, "skipped", "bestand niet gevonden; controleer het pad.")
    try:
        raw = parser.load(path) if parser else load(path, library.settings.limits)
    except IngestError as error:
        log.warning("skipped %s", error)
        return FileOutcome(path.name, "skipped", error.reason)
    except Exception as error:  # noqa: BLE001 (any parser failure is this file's failure)
        return _unreadable(path.name, error)
    origin = str(path.resolve())
    source, replaced = choose_source(library, raw.source, origin, content_hash(raw.text), replace)
    raw = dataclasses.replace(raw, source=source)
    named = {"file_name": path.name, "replaced": replaced}
    version = version_of(raw.text, library)
    if library.catalog.version(raw.source) == version:  # unchanged: no parsing, no embedding
        _collect_orphans(library, raw.source)
        return FileOutcome(raw.source, "unchanged", seconds=time.perf_counter() - started, **named)
    try:
        document = parser.segment(raw) if parser else segment(raw)
        chunks = chunk(document, library.embedder.count_tokens, library.settings.chunking)
        check_chunks(raw.source, len(chunks), library.settings.limits)
    except IngestError as error:
        log.warning("skipped %s", error)
        return FileOutcome(path.name, "skipped", error.reason)
    except Exception as error:  # noqa: BLE001
        return _unreadable(path.name, error)
    outcome = FileOutcome(
        document.source,
        "ingested",
        chunks=len(chunks),
        seconds=time.perf_counter() - started,
        genre=document.genre.value,
        cues=document.cues,
        **named,
    )
    return _Prepared(document, version, origin, chunks, prose_sentences(document), outcome)


def commit_batch(library: Library, batch: list[_Prepared]) -> None:
    """Embed the batch's new chunks and its sentences together, store the vectors, then commit each
    document in its own transaction (a kill leaves whole documents, and vectors a rerun re-uses)."""
    if not batch:
        return
    started = time.perf_counter()
    chunks = [c for prepared in batch for c in prepared.chunks]
    have = library.vectors.existing_ids([c.id for c in chunks])
    missing = list({c.id: c for c in chunks if c.id not in have}.values())
    sentences = [prepared.document.text[a:b] for prepared in batch for a, b in prepared.spans]
    vectors = _embed_storing(library, missing, sentences)
    sentence_vectors = iter(vectors[len(missing) :])
    embedded = Counter(c.source for c in missing)
    share = (time.perf_counter() - started) / max(1, sum(p.texts for p in batch))
    for prepared in batch:
        document = prepared.document
        spans = [(a, b, next(sentence_vectors)) for a, b in prepared.spans]
        library.catalog.commit_document(document, prepared.version, prepared.chunks, spans, prepared.origin)
        _collect_orphans(library, document.source)
        prepared.outcome.embedded = embedded[document.source]
        prepared.outcome.seconds += share * prepared.texts
        log.info(
            "ingested %s: %d chunks, %d embedded",
            document.source,
            len(prepared.chunks),
            embedded[document.source],
        )


def _embed_storing(library: Library, chunks: list[Chunk], sentences: list[str]) -> np.ndarray:
    """The vectors of the chunks' texts, then of the sentences. Embedded longest first, one model
    batch at a time (texts of like length together pad least), each batch's chunk vectors stored
    as soon as they are made."""
    texts = [c.retrieval_text for c in chunks] + sentences
    vectors = np.zeros((len(texts), library.embedder.dimension), dtype=np.float32)
    done = 0
    for part, part_vectors in library.embedder.embed_passages_batched(texts):
        vectors[part] = part_vectors
        stored = [i for i in part if i < len(chunks)]
        if stored:
            library.vectors.add([chunks[i] for i in stored], vectors[stored])
        done += len(part)
        log.info("embedded %d/%d texts of this batch", done, len(texts))
    return vectors


def _unreadable(name: str, error: Exception) -> FileOutcome:
    """A failure the parsing library raised on this file, as the file's Dutch reason."""
    log.warning("skipped %s: %s", name, error, exc_info=log.isEnabledFor(logging.DEBUG))
    detail = " ".join(str(error).split())[:160]
    kind = getattr(error, "kind", type(error).__name__)  # a ParserFailure names the original
    return FileOutcome(
        name,
        "skipped",
        f"het bestand kon niet gelezen worden ({kind}: {detail}); het is wellicht "
        "beschadigd of onvolledig. Open en bewaar het opnieuw, of exporteer het als PDF of tekst.",
    )


def choose_source(library: Library, name: str, origin: str, digest: str, replace: bool) -> tuple[str, bool]:
    """The name a document is stored under, and whether it replaces another file's document.

    Its file name, when that is free, or taken by the same file (path) or the same text (an
    update, as before); with `replace`, the file name in any case; otherwise the first of
    "name (2).ext", "name (3).ext", ... that is free or already this file's."""
    taken = library.catalog.identity(name)
    same = taken is not None and _same_document(taken, origin, digest)
    if taken is None or replace or same:
        return name, taken is not None and not same
    stem, suffix = Path(name).stem, Path(name).suffix
    for number in itertools.count(2):
        candidate = f"{stem} ({number}){suffix}"
        taken = library.catalog.identity(candidate)
        if taken is None or _same_document(taken, origin, digest):
            return candidate, False
    raise AssertionError("unreachable")


def _same_document(identity: tuple[str | None, str], origin: str, digest: str) -> bool:
    stored_origin, stored_digest = identity
    return stored_origin is None or stored_origin == origin or stored_digest == digest


def add_missing_vectors(library: Library, chunks: list[Chunk]) -> int:
    """Embed and store the chunks that have no vector yet, batch by batch."""
    have = library.vectors.existing_ids([c.id for c in chunks])
    missing = [c for c in chunks if c.id not in have]
    for part, vectors in library.embedder.embed_passages_batched([c.retrieval_text for c in missing]):
        batch = [missing[i] for i in part]
        library.vectors.add(batch, vectors)
        log.info("embedded %d new chunks of %s", len(batch), batch[0].source)
    return len(missing)


def _record_change(library: Library, generation_before: int) -> None:
    """After a batch or a removal: mark the vectors with the catalog they serve, and ask for a
    backup of the catalog when it changed (or has no backup yet) for `repair` to put back."""
    library.vectors.mark(library.catalog.stamp()[0])
    if library.catalog.generation() != generation_before or not library.catalog.backup_path.exists():
        library.backups.request()


def _collect_orphans(library: Library, source: str) -> None:
    """Drop vectors of `source` that its committed version does not use."""
    orphans = library.vectors.ids_for_source(source) - library.catalog.chunk_ids(source)
    if orphans:
        library.vectors.delete(orphans)


def remove_document(library: Library, source: str) -> bool:
    """Remove a document by its source name; False if it was not indexed."""
    with writer_lock(library.settings.home):
        before = library.catalog.generation()
        removed = library.catalog.remove_document(source)
        _collect_orphans(library, source)
        _record_change(library, before)
        if removed:
            library.refresh_keywords()
    return removed


def supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES
