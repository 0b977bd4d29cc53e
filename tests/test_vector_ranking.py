"""The library's vector ranking, with real Chroma and the real model: the unfiltered nearest
filtered here, exact scores for a few named documents, and Chroma's own filter where too few
of the nearest pass, all rank as exact cosine over the chunks allowed."""

from __future__ import annotations

import json

import numpy as np
import pytest

import index.library as library_module
from tests.conftest import REPO

pytestmark = pytest.mark.slow

QUESTIONS = 12


def exact_ranking(library, query, allowed, skip_kinds):
    """(chunk id, cosine) of the live chunks allowed, best first, from the stored vectors."""
    view = library.view()
    stored = library.vectors._collection.get(include=["embeddings"])
    matrix = np.asarray(stored["embeddings"], dtype=np.float32)
    cosines = matrix @ query / np.linalg.norm(matrix, axis=1) / np.linalg.norm(query)
    return sorted(
        (
            (cid, float(c))
            for cid, c in zip(stored["ids"], cosines)
            if cid in view.chunks
            and view.chunks[cid].kind not in skip_kinds
            and (allowed is None or cid in allowed)
        ),
        key=lambda pair: -pair[1],
    )


def questions():
    lines = (REPO / "evals" / "sets" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines[:QUESTIONS]]


def ranked(library, query, sources, skip_kinds, n=20):
    view = library.view()
    allowed = None if sources is None else {cid for s in sources for cid in view.by_source[s]}
    return library._vector_ranking(view, query, n, sources, allowed, skip_kinds), allowed


def assert_same_scores(found, expected, n=20):
    assert len(found) == min(n, len(expected))
    assert np.allclose([s for _, s in found], [s for _, s in expected[:n]], atol=1e-5)


@pytest.mark.parametrize("skip_kinds", [frozenset(), frozenset({"table_row"})])
def test_the_whole_corpus_ranks_as_exact_cosine_without_the_skipped_kinds(corpus_library, skip_kinds):
    for question in questions():
        query = corpus_library.embedder.embed_query(question)
        found, _ = ranked(corpus_library, query, None, skip_kinds)
        assert all(corpus_library.view().chunks[cid].kind not in skip_kinds for cid, _ in found)
        assert_same_scores(found, exact_ranking(corpus_library, query, None, skip_kinds))


def test_a_few_named_documents_are_scored_exactly(corpus_library):
    sources = set(sorted(corpus_library.view().by_source)[:2])
    for question in questions():
        query = corpus_library.embedder.embed_query(question)
        found, allowed = ranked(corpus_library, query, sources, frozenset({"table_row"}))
        assert {corpus_library.view().chunks[cid].source for cid, _ in found} <= sources
        assert_same_scores(found, exact_ranking(corpus_library, query, allowed, frozenset({"table_row"})))


def test_where_too_few_of_the_nearest_pass_chromas_filter_ranks_them(corpus_library, monkeypatch):
    """As on a large archive: too many allowed chunks to score exactly, too few among the
    nearest (the limits are lowered here to make a five-document corpus behave so)."""
    monkeypatch.setattr(library_module, "EXACT_SCORING_LIMIT", 0)
    monkeypatch.setattr(library_module, "SEARCH_BREADTH", 3)
    filtered = []  # the calls that asked Chroma to filter (by sources), not for the plain nearest
    chroma_query = corpus_library.vectors.query

    def recording_query(vector, k, sources=None, skip_kinds=frozenset()):  # type: ignore[no-untyped-def]
        if sources is not None or skip_kinds:
            filtered.append(sources)
        return chroma_query(vector, k, sources, skip_kinds)

    monkeypatch.setattr(corpus_library.vectors, "query", recording_query)
    sources = {sorted(corpus_library.view().by_source)[-1]}
    for question in questions():
        query = corpus_library.embedder.embed_query(question)
        found, allowed = ranked(corpus_library, query, sources, frozenset(), n=10)
        assert_same_scores(found, exact_ranking(corpus_library, query, allowed, frozenset()), n=10)
    assert filtered, "Chroma's filter was never needed: the test did not reach the fallback"
