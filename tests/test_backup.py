"""The catalog's backup, written in the background after each change (real catalog, real Chroma,
real model)."""

from __future__ import annotations

import logging

import pytest

from index.catalog import readable_catalog
from index.indexer import ingest_paths, remove_document

pytestmark = pytest.mark.slow

LETTER = "Brief over wijk-werken\n\nIn 2023 werkten {n} mensen via wijk-werken in de regio.\n"


def write(folder, name, n):  # type: ignore[no-untyped-def]
    path = folder / name
    path.write_text(LETTER.format(n=n), encoding="utf-8")
    return path


def test_each_change_is_in_the_backup_once_its_copy_is_written(make_library, tmp_path):
    library = make_library()
    backup = library.catalog.backup_path
    ingest_paths(library, [write(tmp_path, "a.txt", 12), write(tmp_path, "b.txt", 13)])
    library.backups.wait()
    assert readable_catalog(backup) == (True, 2)
    remove_document(library, "a.txt")
    library.backups.wait()
    assert readable_catalog(backup) == (True, 1)


def test_closing_the_library_waits_for_the_copy_asked_for(make_library, tmp_path):
    library = make_library()
    ingest_paths(library, [write(tmp_path, "a.txt", 12)])
    library.close()
    assert readable_catalog(library.catalog.backup_path) == (True, 1)


def test_a_backup_that_cannot_be_written_is_logged_and_the_change_stands(make_library, tmp_path, caplog):
    library = make_library()
    library.catalog.backup_path.mkdir()  # a folder where the copy should go: it cannot replace it
    with caplog.at_level(logging.WARNING, logger="index.backup"):
        report = ingest_paths(library, [write(tmp_path, "a.txt", 12)])
        library.backups.wait()
    assert [o.status for o in report.outcomes] == ["ingested"]
    assert library.catalog.sources() == ["a.txt"]
    assert "reservekopie van de catalogus kon niet geschreven worden" in caplog.text
