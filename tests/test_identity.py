"""A document's identity: same-name files kept apart, the same file updated, --replace replaces;
any parser failure is that file's failure. Real model, real Chroma."""

from __future__ import annotations

import zipfile

import pytest

from app.answer import Answerer
from index.indexer import ingest_paths, remove_document

BIKES = """Fietsherstel in de sociale economie

1. Hoeveel fietsherstelateliers telt de lokale diensteneconomie in Gent?

Antwoord

1. De lokale diensteneconomie telt in Gent zeventien fietsherstelateliers, met samen 64 \
doelgroepwerknemers.
"""
SHOPS = """Kringwinkels in West-Vlaanderen

1. Hoeveel kringwinkels met maatwerkers zijn er in Brugge?

Antwoord

1. In Brugge zijn er negen kringwinkels met maatwerkers; zij stellen 212 doelgroepwerknemers tewerk.
"""


def write(path, text: str):  # type: ignore[no-untyped-def]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_two_documents_with_one_file_name_both_stay_indexed_and_answerable(make_library, tmp_path):
    library = make_library()
    first = write(tmp_path / "a" / "antwoord.txt", BIKES)
    second = write(tmp_path / "b" / "antwoord.txt", SHOPS)
    report = ingest_paths(library, [first, second])
    assert [(o.source, o.status) for o in report.outcomes] == [
        ("antwoord.txt", "ingested"),
        ("antwoord (2).txt", "ingested"),
    ]
    assert "er stond al een ander document met de naam 'antwoord.txt'" in report.outcomes[1].naming_note
    assert library.catalog.sources() == ["antwoord (2).txt", "antwoord.txt"]
    answerer = Answerer(library)
    bikes = answerer.answer("Hoeveel doelgroepwerknemers werken in de fietsherstelateliers in Gent?")
    shops = answerer.answer("Hoeveel doelgroepwerknemers stellen de kringwinkels in Brugge tewerk?")
    assert (bikes.value, bikes.citations[0].source) == ("64", "antwoord.txt")
    assert (shops.value, shops.citations[0].source) == ("212", "antwoord (2).txt")

    again = ingest_paths(library, [first, second])  # read again: both unchanged, nothing added
    assert [(o.source, o.status) for o in again.outcomes] == [
        ("antwoord.txt", "unchanged"),
        ("antwoord (2).txt", "unchanged"),
    ]
    assert remove_document(library, "antwoord (2).txt")  # removed by the name shown
    assert library.catalog.sources() == ["antwoord.txt"]


def test_the_same_path_with_changed_text_replaces_its_own_version(make_library, tmp_path):
    library = make_library()
    path = write(tmp_path / "a" / "antwoord.txt", BIKES)
    other = write(tmp_path / "b" / "antwoord.txt", SHOPS)
    ingest_paths(library, [path, other])
    write(path, BIKES.replace("zeventien", "achttien"))
    write(other, SHOPS.replace("negen", "tien"))
    report = ingest_paths(library, [path, other])
    assert [(o.source, o.status) for o in report.outcomes] == [
        ("antwoord.txt", "ingested"),
        ("antwoord (2).txt", "ingested"),
    ]
    assert library.catalog.sources() == ["antwoord (2).txt", "antwoord.txt"]
    assert "achttien" in library.catalog.document("antwoord.txt").text
    assert "tien kringwinkels" in library.catalog.document("antwoord (2).txt").text


def test_the_same_text_from_another_folder_is_the_same_document(make_library, tmp_path):
    library = make_library()
    ingest_paths(library, [write(tmp_path / "a" / "antwoord.txt", BIKES)])
    report = ingest_paths(library, [write(tmp_path / "kopie" / "antwoord.txt", BIKES)])
    assert [(o.source, o.status) for o in report.outcomes] == [("antwoord.txt", "unchanged")]


def test_replace_replaces_the_document_of_that_name(make_library, tmp_path):
    library = make_library()
    ingest_paths(library, [write(tmp_path / "a" / "antwoord.txt", BIKES)])
    report = ingest_paths(library, [write(tmp_path / "b" / "antwoord.txt", SHOPS)], replace=True)
    assert [(o.source, o.status, o.replaced) for o in report.outcomes] == [("antwoord.txt", "ingested", True)]
    assert "vervangt het vorige document" in report.outcomes[0].naming_note
    assert library.catalog.sources() == ["antwoord.txt"]
    assert "kringwinkels" in library.catalog.document("antwoord.txt").text
    live = library.catalog.chunk_ids("antwoord.txt")
    assert library.vectors.ids_for_source("antwoord.txt") == live  # the old version's vectors are gone


def cut_off_docx(path, text: str) -> None:
    """A .docx whose document.xml stops halfway, as a broken download or copy leaves it."""
    from docx import Document as WordDocument

    whole = path.with_suffix(".whole.docx")
    word = WordDocument()
    for line in text.splitlines():
        word.add_paragraph(line)
    word.save(str(whole))
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(path, "w") as broken:
        for item in source.infolist():
            data = source.read(item)
            broken.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    whole.unlink()


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_a_file_whose_xml_is_cut_off_is_reported_and_the_batch_goes_on(make_library, tmp_path, suffix):
    library = make_library()
    broken = tmp_path / "batch" / f"a_kapot{suffix}"
    broken.parent.mkdir()
    if suffix == ".docx":
        cut_off_docx(broken, BIKES)
    else:
        from openpyxl import Workbook

        whole = tmp_path / "heel.xlsx"
        book = Workbook()
        book.active.append(["provincie", "aantal"])
        book.active.append(["Antwerpen", 790])
        book.save(str(whole))
        with zipfile.ZipFile(whole) as source, zipfile.ZipFile(broken, "w") as cut:
            for item in source.infolist():
                data = source.read(item)
                cut.writestr(item, data[: len(data) // 2] if item.filename.endswith("sheet1.xml") else data)
    write(tmp_path / "batch" / "b_goed.txt", SHOPS)
    report = ingest_paths(library, [tmp_path / "batch"])
    assert [(o.source, o.status) for o in report.outcomes] == [
        (broken.name, "skipped"),
        ("b_goed.txt", "ingested"),
    ]
    assert "kon niet gelezen worden" in report.outcomes[0].reason or "beschadigd" in report.outcomes[0].reason
