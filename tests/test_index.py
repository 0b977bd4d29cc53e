"""The index with the real model and real Chroma: idempotent, incremental, replace, remove, bad files."""

from __future__ import annotations

import shutil

import pytest

from index.indexer import ingest_paths, remove_document
from index.library import IndexSettings, open_library
from index.manifest import IndexMismatchError
from tests.conftest import MODEL_CACHE

pytestmark = pytest.mark.slow

ANSWER_V1 = """Vraag over doorstroom in Limburg

1. Hoeveel trajecten werden opgestart in Limburg?

2. Wat is de stand van zaken?

1. In Limburg werden in 2023 twaalf trajecten opgestart.

2. De trajecten lopen volgens plan.
"""
ANSWER_V2 = ANSWER_V1.replace(
    "De trajecten lopen volgens plan.", "De trajecten lopen vertraging op door de coronacrisis."
)


def live_state(library, source):
    """(catalog chunk ids, Chroma ids) of one document."""
    return library.catalog.chunk_ids(source), library.vectors.ids_for_source(source)


def test_corpus_ingest_is_idempotent(make_library, corpus_dir, embedder):
    library = make_library()
    first = ingest_paths(library, [corpus_dir])
    assert [o.status for o in first.outcomes] == ["ingested"] * 5
    chunks = library.catalog.chunk_count()
    assert library.vectors.count() == chunks == first.embedded

    before = embedder.texts_embedded
    again = ingest_paths(library, [corpus_dir])
    assert [o.status for o in again.outcomes] == ["unchanged"] * 5
    assert again.embedded == 0 and embedder.texts_embedded == before  # nothing re-embedded
    assert library.catalog.chunk_count() == library.vectors.count() == chunks
    # tables are stored as data, one row per cell, beside the chunks
    cells = library.catalog.cell_count("001_b0f9d5d62dee0a8f.txt")
    assert (
        cells
        == sum(
            len(r.cells) for t in library.catalog.document("001_b0f9d5d62dee0a8f.txt").tables for r in t.rows
        )
        > 500
    )


def test_reingest_replaces_cells_and_remove_deletes_them(make_library, tmp_path):
    library = make_library()
    path = tmp_path / "tabel.txt"
    path.write_text(
        "Doorstroom per provincie:\nProvincie CMW LDE\nAntwerpen 3 4\nLimburg 1 2\nTotaal 4 6\n",
        encoding="utf-8",
    )
    ingest_paths(library, [path])
    assert library.catalog.cell_count("tabel.txt") == 6
    path.write_text(
        "Doorstroom per provincie:\nProvincie CMW LDE\nAntwerpen 3 4\nTotaal 3 4\n", encoding="utf-8"
    )
    ingest_paths(library, [path])
    assert library.catalog.cell_count("tabel.txt") == 4
    remove_document(library, "tabel.txt")
    assert library.catalog.cell_count("tabel.txt") == 0


def test_changed_file_replaces_its_chunks_and_embeds_only_new_ones(make_library, tmp_path):
    library = make_library()
    path = tmp_path / "limburg.txt"
    path.write_text(ANSWER_V1, encoding="utf-8")
    ingest_paths(library, [path])
    old_ids, _ = live_state(library, "limburg.txt")

    path.write_text(ANSWER_V2, encoding="utf-8")
    report = ingest_paths(library, [path])
    new_ids, vector_ids = live_state(library, "limburg.txt")
    assert report.outcomes[0].status == "ingested"
    assert 0 < report.embedded < len(new_ids)  # unchanged chunks keep their vectors
    assert new_ids == vector_ids and new_ids != old_ids  # old vectors gone, no duplicates
    hits = library.search("vertraging door de coronacrisis", k=1)
    assert "vertraging" in hits[0].chunk.text
    assert all("volgens plan" not in c.text for c in library.catalog.chunks(list(new_ids)).values())


def test_remove_deletes_a_document_everywhere(make_library, corpus_dir, tmp_path):
    library = make_library()
    path = tmp_path / "limburg.txt"
    path.write_text(ANSWER_V1, encoding="utf-8")
    ingest_paths(library, [path, corpus_dir / "004_4c85195832e1aa21.txt"])
    assert remove_document(library, "limburg.txt")
    assert live_state(library, "limburg.txt") == (set(), set())
    assert library.catalog.sources() == ["004_4c85195832e1aa21.txt"]
    assert all(h.chunk.source != "limburg.txt" for h in library.search("trajecten opgestart in Limburg", k=5))
    assert not remove_document(library, "limburg.txt")


def test_bad_files_are_skipped_and_the_batch_goes_on(make_library, corpus_dir, tmp_path):
    library = make_library()
    ingest_paths(library, [corpus_dir / "003_891593d8d3096fb9.txt"])
    kept = library.catalog.chunk_ids("003_891593d8d3096fb9.txt")

    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "a_leeg.txt").write_bytes(b"")
    (batch / "b_binair.txt").write_bytes(bytes(range(256)) * 8)
    (batch / "c_foto.png").write_bytes(b"\x89PNG\r\n")
    shutil.copy(corpus_dir / "004_4c85195832e1aa21.txt", batch)
    (batch / "003_891593d8d3096fb9.txt").write_bytes(b"")  # a broken new version of an indexed file
    report = ingest_paths(library, [batch])

    skipped = {o.source: o.reason for o in report.of("skipped")}
    assert set(skipped) == {"a_leeg.txt", "b_binair.txt", "c_foto.png", "003_891593d8d3096fb9.txt"}
    assert (
        "leeg" in skipped["a_leeg.txt"]
        and "binair" in skipped["b_binair.txt"]
        and ".png" in skipped["c_foto.png"]
    )
    assert [o.source for o in report.of("ingested")] == ["004_4c85195832e1aa21.txt"]
    assert library.catalog.chunk_ids("003_891593d8d3096fb9.txt") == kept  # nothing already indexed was lost


def test_opening_with_another_model_is_refused(make_library, tmp_path):
    library = make_library("shared")
    library.close()
    other = IndexSettings(home=tmp_path / "shared", model_cache=library.settings.model_cache)

    class OtherModel:
        name = "sentence-transformers/all-MiniLM-L6-v2"
        dimension = 384

    with pytest.raises(IndexMismatchError, match="all-MiniLM-L6-v2"):
        open_library(other, embedder=OtherModel())  # type: ignore[arg-type]


def test_prose_sentences_get_vectors_that_are_replaced_and_removed_with_their_document(
    make_library, tmp_path
):
    library = make_library()
    path = tmp_path / "brief.txt"
    path.write_text(
        "De minister antwoordt op de vraag. Doorstroom blijft een belangrijk doel voor iedereen.\n",
        encoding="utf-8",
    )
    ingest_paths(library, [path])
    spans = {(a, b) for source, a, b, _ in library.catalog.sentence_vectors() if source == "brief.txt"}
    text = path.read_text(encoding="utf-8")
    assert {text[a:b] for a, b in spans} == {
        "De minister antwoordt op de vraag.",
        "Doorstroom blijft een belangrijk doel voor iedereen.",
    }
    path.write_text("Een heel andere zin met genoeg woorden erin.\n", encoding="utf-8")
    ingest_paths(library, [path])
    assert [
        text
        for _, a, b, _ in library.catalog.sentence_vectors()
        for text in [path.read_text(encoding="utf-8")[a:b]]
    ] == ["Een heel andere zin met genoeg woorden erin."]
    remove_document(library, "brief.txt")
    assert list(library.catalog.sentence_vectors()) == []


@pytest.mark.slow
def test_vector_search_finds_the_exact_nearest_chunks(corpus_library):
    """The approximate index must rank as exact cosine does (Chroma's default breadth did not,
    and not the same way in every process)."""
    import json

    import numpy as np

    from tests.conftest import REPO

    stored = corpus_library.vectors._collection.get(include=["embeddings"])
    ids, matrix = stored["ids"], np.asarray(stored["embeddings"], dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    lines = (REPO / "evals" / "sets" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    for line in lines[:40]:
        query = corpus_library.embedder.embed_query(json.loads(line)["question"])
        cosine = dict(zip(ids, matrix @ query))
        best = sorted(cosine.values(), reverse=True)[:30]
        found = [cosine[cid] for cid, _ in corpus_library.vectors.query(query, 30)]
        assert np.allclose(found, best, atol=1e-5), line  # the same chunks, in the same order (ties aside)


def test_a_file_over_the_passage_limit_is_refused_whole_and_the_batch_goes_on(tmp_path, embedder, corpus_dir):
    from ingest.limits import Limits

    settings = IndexSettings(home=tmp_path / "home", model_cache=MODEL_CACHE, limits=Limits(max_chunks=20))
    library = open_library(settings, embedder=embedder)
    try:
        report = ingest_paths(
            library, [corpus_dir / "001_b0f9d5d62dee0a8f.txt", corpus_dir / "003_891593d8d3096fb9.txt"]
        )
        skipped = {o.source: o.reason for o in report.of("skipped")}
        assert list(skipped) == ["001_b0f9d5d62dee0a8f.txt"]
        assert "passages, meer dan de grens van 20" in skipped["001_b0f9d5d62dee0a8f.txt"]
        assert "niet opgenomen" in skipped["001_b0f9d5d62dee0a8f.txt"]
        assert library.catalog.sources() == ["003_891593d8d3096fb9.txt"]  # nothing of the refused file
        assert library.vectors.count() == library.catalog.chunk_count()
    finally:
        library.close()
