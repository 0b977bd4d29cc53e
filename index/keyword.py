"""BM25 over the same chunks, with Dutch stemming (PyStemmer) and stopwords (stop-words).

Derived state, kept up to date incrementally: the index holds segments of postings
(index/postings.py); a change to the catalog adds one segment with the chunks it added and marks
the chunks it removed, so one upload costs the tokens of that upload, not of the whole archive.
Segments are merged as a binary counter carries (the newest with the ones before while they are
together at least as big), which keeps their number logarithmic and drops removed rows. Scores are
those of bm25s's "lucene" variant (k1 1.5, b 0.75) over the live chunks, the tokens those of `bm25s.tokenize`.

On disk (`bm25/`): immutable segment files and one state file per change naming the live segments,
the removed chunk ids and the catalog stamp (the catalog's id and generation) it reflects;
`current` names the live state and is replaced atomically, so a reader in any process loads a
whole state. Old states and the segments only they name are collected, keeping the one before
the live one for readers that have just read `current`.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import numpy as np
from stop_words import get_stop_words

from ingest.model import Chunk

from . import postings
from .postings import Segment
from .stemming import stem

FORMAT_VERSION = 5  # 5: incremental segments
Stamp = tuple[str, int]  # (catalog id, catalog generation) a state was made from
TOKEN_PATTERN = r"(?u)\b\w+\b"  # one-character tokens too: numbers such as "7" matter
POINTER = "current"
KEEP_STATES = 2  # the live state and the one before it, whatever their age
STATE_GRACE_S = 60.0  # older states are kept this long, for readers that have just read them
LOAD_ATTEMPTS = 5
K1, B = 1.5, 0.75


@dataclass(frozen=True)
class _State:
    """One immutable snapshot: a search reads one from start to end."""

    catalog_id: str = ""
    generation: int = -1
    segments: tuple[Segment, ...] = ()
    removed: frozenset[str] = frozenset()  # chunk ids still in a segment but no longer live
    rows: dict[str, int] = field(default_factory=dict)  # live chunk id -> global row
    offsets: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    alive: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    lengths: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    kinds: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=str))
    vocabularies: tuple[dict[str, int], ...] = ()

    @staticmethod
    def of(stamp: Stamp, segments: Sequence[Segment], removed: Iterable[str]) -> _State:
        removed = frozenset(removed)
        offsets = np.zeros(len(segments) + 1, dtype=np.int64)
        np.cumsum([s.size for s in segments], out=offsets[1:])
        rows: dict[str, int] = {}
        for segment, offset in zip(segments, offsets):
            rows.update((cid, int(offset) + row) for row, cid in enumerate(segment.ids) if cid not in removed)
        alive = np.zeros(int(offsets[-1]), dtype=bool)
        alive[np.fromiter(rows.values(), dtype=np.int64, count=len(rows))] = True
        lengths = (
            np.concatenate([s.lengths for s in segments]).astype(np.float32)
            if segments
            else np.zeros(0, dtype=np.float32)
        )
        kinds = np.concatenate([s.kinds for s in segments]) if segments else np.zeros(0, dtype=str)
        vocabularies = tuple(s.vocabulary for s in segments)
        return _State(
            stamp[0], stamp[1], tuple(segments), removed, rows, offsets, alive, lengths, kinds, vocabularies
        )

    @property
    def stamp(self) -> Stamp:
        return self.catalog_id, self.generation

    def removed_mask(self, index: int) -> np.ndarray:
        start, end = int(self.offsets[index]), int(self.offsets[index + 1])
        return ~self.alive[start:end]


class KeywordIndex:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._stopwords = get_stop_words("dutch")
        self._state = _State()
        self._loaded: dict[str, Segment] = {}  # segment files read so far (they never change)
        self.load()

    @property
    def generation(self) -> int:
        return self._state.generation

    @property
    def stamp(self) -> Stamp:
        return self._state.stamp

    @property
    def size(self) -> int:
        """How many live chunks the index holds."""
        return len(self._state.rows)

    def ids(self) -> set[str]:
        return set(self._state.rows)

    def _tokenize(self, texts: list[str]) -> list[list[str]]:
        return bm25s.tokenize(
            texts,
            stopwords=self._stopwords,
            stemmer=_stem_all,
            token_pattern=TOKEN_PATTERN,
            return_ids=False,
            show_progress=False,
        )

    # -- on disk ------------------------------------------------------------------------------

    def _read_state(self) -> dict | None:
        try:
            name = (self.folder / POINTER).read_text().strip()
            meta = json.loads((self.folder / name).read_text())
        except (OSError, ValueError):
            return None
        return meta if meta.get("format_version") == FORMAT_VERSION else None

    def stored_stamp(self) -> Stamp:
        """The stamp of the live state on disk (generation -1 when there is none in this format)."""
        meta = self._read_state()
        return ("", -1) if meta is None else (str(meta["catalog"]), int(meta["generation"]))

    def load(self) -> None:
        """Take the live state on disk as this index's snapshot (when there is one). A state collected
        while we read it is followed to the one that replaced it."""
        for _ in range(LOAD_ATTEMPTS):
            meta = self._read_state()
            if meta is None:
                return
            try:
                segments = [self._segment(name) for name in meta["segments"]]
            except (OSError, ValueError, KeyError):
                continue
            stamp = (str(meta["catalog"]), int(meta["generation"]))
            self._state = _State.of(stamp, segments, meta["removed"])
            self._loaded = {s.name: s for s in segments}  # merged-away segments are not kept
            return

    def _segment(self, name: str) -> Segment:
        if name not in self._loaded:
            self._loaded[name] = postings.load(self.folder, name)
        return self._loaded[name]

    def _publish(self, state: _State, new: Sequence[Segment]) -> None:
        """Write the new segments and a state naming them, then point `current` at it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fresh = {segment.name for segment in new}
        for segment in state.segments:  # the new ones, and any another process has collected
            if segment.name in fresh or not (self.folder / f"{segment.name}.npz").exists():
                postings.save(segment, self.folder)
            self._loaded[segment.name] = segment
        name = f"state-g{state.generation}-{secrets.token_hex(4)}.json"
        meta = {
            "format_version": FORMAT_VERSION,
            "catalog": state.catalog_id,
            "generation": state.generation,
            "segments": [s.name for s in state.segments],
            "removed": sorted(state.removed),
        }
        (self.folder / name).write_text(json.dumps(meta))
        pointer = self.folder / f".{POINTER}.{name}"
        pointer.write_text(name)
        os.replace(pointer, self.folder / POINTER)
        self._state = state
        self.collect()

    def collect(self, grace_seconds: float = STATE_GRACE_S) -> None:
        """Drop the states before the last KEEP_STATES once they are `grace_seconds` old, the
        segments no kept state names, and anything of the older formats (build folders)."""
        states = sorted(self.folder.glob("state-*.json"), key=lambda p: p.stat().st_mtime)
        now = time.time()
        expired = [p for p in states[:-KEEP_STATES] if now - p.stat().st_mtime >= grace_seconds]
        for old in expired:
            old.unlink(missing_ok=True)
        kept = [p for p in states if p not in expired]
        named: set[str] = set()
        for path in kept:
            try:
                named.update(json.loads(path.read_text())["segments"])
            except (OSError, ValueError, KeyError):
                continue
        for path in self.folder.glob("seg-*.npz"):
            if path.stem not in named and path.stem not in {s.name for s in self._state.segments}:
                path.unlink(missing_ok=True)
                self._loaded.pop(path.stem, None)
        for old in self.folder.iterdir():
            if old.is_dir():  # format 4 kept each build in a folder of its own
                shutil.rmtree(old, ignore_errors=True)

    # -- changes ------------------------------------------------------------------------------

    def rebuild(self, chunks: Iterable[Chunk], stamp: Stamp) -> None:
        """All chunks in one new segment (repair, or a state from another catalog)."""
        listed = list(chunks)
        segments = [self._new_segment(listed)] if listed else []
        self._publish(_State.of(stamp, segments, ()), segments)

    def update(self, live_ids: set[str], fetch: Callable[[list[str]], Iterable[Chunk]], stamp: Stamp) -> None:
        """Bring the index to the catalog's live chunks: a segment for the chunks it lacks (read with
        `fetch`), the ones no longer live marked removed, then merge as a binary counter."""
        state = self._state
        if state.catalog_id != stamp[0]:
            self.rebuild(fetch(sorted(live_ids)), stamp)  # in the catalog's order
            return
        missing = sorted(live_ids - state.rows.keys())
        gone = state.rows.keys() - live_ids
        segments = list(state.segments)
        new: list[Segment] = []
        if missing:
            new.append(self._new_segment(list(fetch(missing))))
            segments.append(new[-1])
        removed = (state.removed | gone) - set(missing)
        interim = _State.of(stamp, segments, removed)
        segments, merged = self._merged(interim)
        if merged is not None:
            new.append(merged)
            interim = _State.of(stamp, segments, removed & {cid for s in segments for cid in s.ids})
        self._publish(interim, new)

    def _merged(self, state: _State) -> tuple[list[Segment], Segment | None]:
        """Merge the newest segments while together they are at least as big as the one before
        them (live rows), as a binary counter carries; the merged one leaves the removed rows out."""
        segments = list(state.segments)
        count = len(segments)
        live = [int(np.count_nonzero(~state.removed_mask(i))) for i in range(count)]
        take = 1
        while take < count and sum(live[count - take :]) >= live[count - take - 1]:
            take += 1
        if take == 1:
            return segments, None
        first = count - take
        merged = postings.merge(
            _segment_name(), segments[first:], [state.removed_mask(i) for i in range(first, count)]
        )
        return segments[:first] + [merged], merged

    def _new_segment(self, chunks: list[Chunk]) -> Segment:
        return postings.build(
            _segment_name(),
            [c.id for c in chunks],
            [c.kind for c in chunks],
            self._tokenize([c.retrieval_text for c in chunks]),
        )

    # -- search -------------------------------------------------------------------------------

    def search(
        self, query: str, k: int, allowed: set[str] | None = None, skip_kinds: frozenset[str] = frozenset()
    ) -> list[tuple[str, float]]:
        """(chunk id, BM25 score), best first; empty when no query term is in the index.
        With `allowed`, only those chunk ids are ranked; chunks of `skip_kinds` never."""
        state = self._state  # one snapshot for the whole search
        if not state.rows:
            return []
        tokens = self._tokenize([query])[0]
        if not tokens:
            return []
        scores = _scores(state, tokens)
        if allowed is not None:
            rows = [state.rows[cid] for cid in allowed if cid in state.rows]
            if not rows:
                return []
            mask = np.zeros(len(scores), dtype=bool)
            mask[rows] = True
            scores[~mask] = 0.0
        if skip_kinds:
            scores[np.isin(state.kinds, list(skip_kinds))] = 0.0
        return _best(state, scores, k)


def _scores(state: _State, tokens: list[str]) -> np.ndarray:
    """bm25s's lucene scores of every row for the query tokens (a repeated token counts again),
    computed in the same precision and order as bm25s, so rankings are the same."""
    scores = np.zeros(len(state.alive), dtype=np.float32)
    live = len(state.rows)
    average = float(state.lengths[state.alive].mean(dtype=np.float64))
    for token in tokens:
        found = [
            (rows + int(offset), tfs)
            for segment, vocabulary, offset in zip(state.segments, state.vocabularies, state.offsets)
            if (index := vocabulary.get(token)) is not None
            for rows, tfs in [segment.postings(index)]
        ]
        if not found:
            continue
        rows = np.concatenate([f[0] for f in found])
        tfs = np.concatenate([f[1] for f in found])
        keep = state.alive[rows]
        rows, tfs = rows[keep], tfs[keep]
        if not len(rows):
            continue
        idf = np.float32(math.log(1 + (live - len(rows) + 0.5) / (len(rows) + 0.5)))
        norm = K1 * ((1 - B) + B * state.lengths[rows].astype(np.float64) / average)
        scores[rows] += (idf * (tfs / (norm + tfs))).astype(np.float32)  # float64, stored as float32
    return scores


def _best(state: _State, scores: np.ndarray, k: int) -> list[tuple[str, float]]:
    """The k best-scoring live chunks with a positive score, best first; equal scores in chunk-id
    order, so the ranking does not depend on the order in which chunks were added."""
    rows = np.flatnonzero(scores > 0)
    if len(rows) > k:
        kth = np.partition(scores[rows], -k)[-k]
        rows = rows[scores[rows] >= kth]
    found = [(_id_of(state, int(row)), float(scores[row])) for row in rows]
    found.sort(key=lambda hit: (-hit[1], hit[0]))
    return found[:k]


def _id_of(state: _State, row: int) -> str:
    index = int(np.searchsorted(state.offsets, row, side="right")) - 1
    return state.segments[index].ids[row - int(state.offsets[index])]


def _segment_name() -> str:
    return f"seg-{secrets.token_hex(6)}"


def _stem_all(words: list[str]) -> list[str]:
    """bm25s stems a list of words at once."""
    return [stem(word) for word in words]
