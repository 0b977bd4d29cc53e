"""At scale, a change costs what changed: adding or removing one document to an index of synthetic
documents touches that document only, in the catalog, the vectors, the keyword index, the corpus
view and the answerer's corpus words; and a killed ingest of the archive, rerun, leaves the three
stores agreeing, each document once, with nothing re-embedded that was complete."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from evals.reliability import ORPHAN_GRACE_S, child_processes, outliving
from evals.synth import generate
from index.indexer import ingest_paths, remove_document
from tests.conftest import REPO, VRAAGBAAK

pytestmark = pytest.mark.slow

ARCHIVE = 60  # synthetic documents (the bench runs thousands; the mechanisms are the same)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return generate(ARCHIVE + 1, tmp_path_factory.mktemp("synth") / "archive", seed=5)


def _documents(archive):
    return sorted(archive.documents.iterdir())


def test_adding_and_removing_one_document_touches_only_that_document(archive, make_library, tmp_path):
    from app.answer.answerer import corpus_words

    library = make_library()
    *rest, extra = _documents(archive)
    folder = tmp_path / "rest"
    folder.mkdir()
    for path in rest:
        shutil.copy(path, folder)
    ingest_paths(library, [folder])
    before_view = library.view()
    before_words = corpus_words(before_view, None)
    segments = {s.name for s in library.keywords._state.segments}
    embedded = library.embedder.texts_embedded

    report = ingest_paths(library, [extra])
    (outcome,) = report.outcomes
    added = library.catalog.chunk_ids(extra.name)
    view = library.view()
    assert outcome.status == "ingested" and added
    document = view.documents[extra.name]
    sentences = len(view.sentence_vectors.blocks[extra.name].keys)
    assert library.embedder.texts_embedded - embedded == len(added) + sentences  # its texts only
    assert library.vectors.ids_for_source(extra.name) == added
    new_segments = [s for s in library.keywords._state.segments if s.name not in segments]
    assert {cid for s in new_segments for cid in s.ids} >= added
    assert library.keywords.ids() == library.catalog.live_chunk_ids()
    assert all(view.documents[s] is d for s, d in before_view.documents.items())  # not reloaded
    assert all(view.chunks[c] is before_view.chunks[c] for c in before_view.chunks)
    words = corpus_words(view, before_words)
    assert words.weights.frequency == corpus_words(view, None).weights.frequency  # counted anew: same
    assert library.search(document.title, k=3)

    assert remove_document(library, extra.name)
    after = library.view()
    assert extra.name not in after.documents and not (set(after.chunks) & added)
    assert not library.vectors.ids_for_source(extra.name)
    assert library.keywords.ids() == library.catalog.live_chunk_ids() == set(before_view.chunks)
    assert all(after.documents[s] is d for s, d in before_view.documents.items())
    removed_words = corpus_words(after, words)
    assert removed_words.weights.frequency == before_words.weights.frequency
    assert removed_words.weights.count == before_words.weights.count


def test_a_killed_ingest_rerun_leaves_the_stores_agreeing(archive, tmp_path, cli_env):
    home = tmp_path / "home"
    env = {**cli_env, "VRAAGBAAK_HOME": str(home)}
    process = subprocess.Popen(
        [*VRAAGBAAK, "-v", "ingest", "--quiet", str(archive.documents)],
        cwd=REPO,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    committed = 0
    deadline = time.monotonic() + 600
    for line in process.stderr:  # kill mid-way: some documents committed, a batch's vectors stored
        committed += "ingested synth_" in line
        if committed >= ARCHIVE // 3 and "embedded" in line:
            workers = child_processes(process.pid)
            os.kill(process.pid, signal.SIGKILL)
            break
        assert time.monotonic() < deadline
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert workers  # the parser worker (it ends with the process that started it)
    assert outliving(workers, ORPHAN_GRACE_S) == []
    killed = _state(home, env)
    assert 0 < killed["documents"] < ARCHIVE + 1

    rerun = subprocess.run(
        [*VRAAGBAAK, "ingest", "--quiet", str(archive.documents)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert rerun.returncode == 0, rerun.stderr
    state = _state(home, env)
    counts = dict(re.findall(r"(ingelezen|ongewijzigd|nieuw ingebed): (\d+)", rerun.stdout))
    assert int(counts["ongewijzigd"]) == killed["documents"]  # the committed ones are not read again
    assert int(counts["ingelezen"]) == ARCHIVE + 1 - killed["documents"]
    assert int(counts["nieuw ingebed"]) <= state["chunks"] - killed["chunks"]  # nor re-embedded
    assert state["documents"] == ARCHIVE + 1 == state["distinct_sources"]
    assert state["chunks"] == state["vectors"] == state["keywords"] > 0
    assert state["missing_vectors"] == state["orphan_vectors"] == state["missing_keywords"] == 0
    assert state["keyword_stamp_current"]


def _state(home, env) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "evals.stores", str(home)], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
