"""The corpus words' term counts are kept per document in the index home: start-up adds them up
and gets what counting every chunk gives; a changed, removed or differently counted document is
counted anew, and a cache that cannot be written changes nothing but the time."""

import shutil

import pytest

from app.answer.answerer import corpus_words
from app.answer.term_counts import FILE_NAME, TermCounts, bring_up_to_date
from index.indexer import ingest_paths, remove_document

pytestmark = pytest.mark.slow


def _counted(view):
    weights = corpus_words(view, None).weights  # every chunk read, nothing stored
    return weights.frequency, weights.count


def test_stored_counts_add_up_to_counting_every_chunk(corpus_library, tmp_path):
    view = corpus_library.view()
    counts = TermCounts(tmp_path)
    first = corpus_words(view, None, counts).weights
    assert set(counts.load(view.versions)) == set(view.versions)  # every document stored
    second = corpus_words(view, None, counts).weights  # from the stored rows only
    assert (first.frequency, first.count) == (second.frequency, second.count) == _counted(view)


def test_rows_of_another_version_or_other_code_are_not_used(corpus_library, tmp_path):
    view = corpus_library.view()
    counts = TermCounts(tmp_path)
    corpus_words(view, None, counts)
    source = next(iter(view.versions))
    counts.store({source: ("an older version", (1, {"onzin": 99}))})
    assert source not in counts.load(view.versions)
    weights = corpus_words(view, None, counts).weights
    assert (weights.frequency, weights.count) == _counted(view)  # counted anew, and stored again
    assert source in counts.load(view.versions)
    counts.digest = "other code"
    assert counts.load(view.versions) == {}


def test_changes_while_serving_are_kept_for_the_next_start(make_library, corpus_dir, tmp_path):
    library = make_library()
    first, second, *_ = sorted(corpus_dir.iterdir())
    folder = tmp_path / "first"
    folder.mkdir()
    shutil.copy(first, folder)
    ingest_paths(library, [folder])
    counts = TermCounts(library.settings.home)
    words = corpus_words(library.view(), None, counts)

    ingest_paths(library, [second])
    view = library.view()
    words = corpus_words(view, words, counts)
    assert set(counts.load(view.versions)) == {first.name, second.name}
    restarted = corpus_words(view, None, TermCounts(library.settings.home)).weights
    assert (
        (restarted.frequency, restarted.count)
        == _counted(view)
        == (words.weights.frequency, words.weights.count)
    )

    removed_version = view.versions[first.name]
    remove_document(library, first.name)
    view = library.view()
    corpus_words(view, words, counts)
    assert set(counts.load({first.name: removed_version, **view.versions})) == {second.name}


def test_an_unwritable_home_only_costs_time(corpus_library, tmp_path):
    view = corpus_library.view()
    (tmp_path / FILE_NAME).mkdir()  # a folder where the file should be: sqlite cannot open it
    weights = corpus_words(view, None, TermCounts(tmp_path)).weights
    assert (weights.frequency, weights.count) == _counted(view)


def test_brought_up_to_date_after_an_ingest_without_an_answerer(make_library, corpus_dir):
    library = make_library()
    first, second, *_ = sorted(corpus_dir.iterdir())
    ingest_paths(library, [first, second])
    counts = TermCounts(library.settings.home)
    assert bring_up_to_date(counts, library.catalog) == 2
    assert bring_up_to_date(counts, library.catalog) == 0  # nothing new
    view = library.view()
    summed = corpus_words(view, None, counts).weights
    assert (summed.frequency, summed.count) == _counted(view)
    remove_document(library, first.name)
    assert bring_up_to_date(counts, library.catalog) == 0
    assert set(counts.versions()) == {second.name}
