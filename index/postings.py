"""Immutable keyword segments: the postings of a set of chunks, by term, in numpy arrays.

A segment holds, for its chunks (rows), each row's chunk id and token count, and for each term
the rows it occurs in with its frequency there (compressed sparse rows, sorted by term). Segments
are written once and never changed; the keyword index adds one per change and merges them
(`merge`), leaving out the rows that were removed meanwhile.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Segment:
    name: str
    ids: list[str]  # chunk id per row
    kinds: np.ndarray  # str: chunk kind per row ("passage", "table_row", ...)
    lengths: np.ndarray  # int32: tokens per row
    terms: list[str]  # sorted; term i's postings are rows[indptr[i]:indptr[i + 1]]
    indptr: np.ndarray  # int64, len(terms) + 1
    rows: np.ndarray  # int32, row of each posting
    tfs: np.ndarray  # float32, frequency of the term in that row

    @property
    def size(self) -> int:
        return len(self.ids)

    def postings(self, term_index: int) -> tuple[np.ndarray, np.ndarray]:
        span = slice(int(self.indptr[term_index]), int(self.indptr[term_index + 1]))
        return self.rows[span], self.tfs[span]

    @cached_property
    def vocabulary(self) -> dict[str, int]:
        """Term -> its index in `terms` (built once per segment)."""
        return {term: i for i, term in enumerate(self.terms)}


def build(name: str, ids: Sequence[str], kinds: Sequence[str], tokens: Sequence[Sequence[str]]) -> Segment:
    """A segment from each chunk's id, kind and tokens (as the tokenizer gives them, repeats included)."""
    counts = [Counter(words) for words in tokens]
    terms = sorted({term for count in counts for term in count})
    index = {term: i for i, term in enumerate(terms)}
    term_of: list[int] = []
    row_of: list[int] = []
    tf_of: list[float] = []
    for row, count in enumerate(counts):
        for term, tf in count.items():
            term_of.append(index[term])
            row_of.append(row)
            tf_of.append(tf)
    lengths = np.fromiter((len(words) for words in tokens), dtype=np.int32, count=len(tokens))
    arrays = (np.asarray(term_of), np.asarray(row_of), np.asarray(tf_of))
    return _sorted(name, list(ids), np.asarray(kinds, dtype=str), lengths, terms, *arrays)


def merge(name: str, segments: Sequence[Segment], removed: Sequence[np.ndarray]) -> Segment:
    """One segment holding the rows of `segments` that `removed` (a mask per segment) does not."""
    terms = sorted({term for segment in segments for term in segment.terms})
    index = {term: i for i, term in enumerate(terms)}
    ids: list[str] = []
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    lengths: list[np.ndarray] = []
    kinds: list[np.ndarray] = []
    for segment, gone in zip(segments, removed):
        keep = ~gone
        renumber = np.cumsum(keep, dtype=np.int64) - 1 + len(ids)  # new row of each kept row
        ids += [cid for cid, kept in zip(segment.ids, keep) if kept]
        lengths.append(segment.lengths[keep])
        kinds.append(segment.kinds[keep])
        term_map = np.fromiter((index[t] for t in segment.terms), dtype=np.int64, count=len(segment.terms))
        term_of = np.repeat(term_map, np.diff(segment.indptr))
        live = keep[segment.rows]
        parts.append((term_of[live], renumber[segment.rows[live]], segment.tfs[live]))
    term_of, row_of, tf_of = (np.concatenate([p[i] for p in parts]) for i in range(3))
    return _sorted(name, ids, np.concatenate(kinds), np.concatenate(lengths), terms, term_of, row_of, tf_of)


def _sorted(
    name: str,
    ids: list[str],
    kinds: np.ndarray,
    lengths: np.ndarray,
    terms: list[str],
    term_of: np.ndarray,
    row_of: np.ndarray,
    tf_of: np.ndarray,
) -> Segment:
    order = np.lexsort((row_of, term_of))
    indptr = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum(np.bincount(term_of, minlength=len(terms)), out=indptr[1:])
    return Segment(
        name,
        ids,
        kinds,
        lengths.astype(np.int32),
        terms,
        indptr,
        row_of[order].astype(np.int32),
        tf_of[order].astype(np.float32),
    )


def save(segment: Segment, folder: Path) -> None:
    """Write the segment as `<name>.npz` (written beside, then renamed: never seen half-written)."""
    staging = folder / f".{segment.name}.npz"
    with staging.open("wb") as handle:
        np.savez(
            handle,
            ids=np.asarray(segment.ids, dtype=str),
            kinds=segment.kinds,
            lengths=segment.lengths,
            terms=np.asarray(segment.terms, dtype=str),
            indptr=segment.indptr,
            rows=segment.rows,
            tfs=segment.tfs,
        )
    staging.replace(folder / f"{segment.name}.npz")


def load(folder: Path, name: str) -> Segment:
    with np.load(folder / f"{name}.npz", allow_pickle=False) as data:
        return Segment(
            name,
            data["ids"].tolist(),
            data["kinds"],
            data["lengths"],
            data["terms"].tolist(),
            data["indptr"],
            data["rows"],
            data["tfs"],
        )
