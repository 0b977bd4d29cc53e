"""Other formats the office receives, and bad input: each on small files made here."""

from __future__ import annotations

import csv

import pytest

from ingest.errors import EmptyFileError, FileTooLargeError, UnreadableFileError, UnsupportedFormatError
from ingest.limits import Limits
from ingest.load import load
from ingest.model import Genre
from ingest.segment import segment

ROWS = [
    ["Provincie", "CMW", "LDE"],
    ["Antwerpen", "279", "790"],
    ["Limburg", "135", "540"],
    ["Totaal", "414", "1.330"],
]


def cells(table):
    return {(row.label, cell.column): cell.value for row in table.rows for cell in row.cells}


def assert_exact_offsets(document):
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                assert document.text[cell.start : cell.end] == cell.value


def test_xlsx_tables_read_exactly(tmp_path):
    import openpyxl

    path = tmp_path / "bijlage.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Doorstroom"
    for row in ROWS:
        sheet.append([int(v.replace(".", "")) if v.replace(".", "").isdigit() else v for v in row])
    sheet2 = workbook.create_sheet("Bedragen")
    sheet2.append(["Project", "VCF-2018"])
    sheet2.append(["7738 Stad Gent", 27313.55])
    workbook.save(path)

    document = segment(load(path))
    assert document.genre is Genre.SPREADSHEET
    assert [t.caption for t in document.tables] == ["Blad Doorstroom", "Blad Bedragen"]
    assert cells(document.tables[0])[("Limburg", "LDE")] == "540"
    assert cells(document.tables[0])[("Totaal", "LDE")] == "1330"
    assert cells(document.tables[1])[("7738 Stad Gent", "VCF-2018")] == "27313.55"
    assert all(c.status == "read" for t in document.tables for r in t.rows for c in r.cells)
    assert_exact_offsets(document)


def test_csv_with_semicolons_and_dutch_numbers(tmp_path):
    path = tmp_path / "screenings.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=";").writerows(ROWS + [["Brussel", "5", ""]])
    document = segment(load(path))
    table = document.tables[0]
    assert table.columns == ("CMW", "LDE")
    assert cells(table)[("Totaal", "LDE")] == "1.330"
    assert ("Brussel", "LDE") not in cells(table)  # an empty cell stays empty
    assert_exact_offsets(document)


def test_docx_paragraphs_and_table(tmp_path):
    import docx

    path = tmp_path / "antwoord.docx"
    word = docx.Document()
    word.add_paragraph("ANTWOORD")
    word.add_paragraph("1. Hieronder de cijfers per provincie:")
    table = word.add_table(rows=len(ROWS), cols=3)
    for r, row in enumerate(ROWS):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    word.add_paragraph("Dat is een stijging tegenover vorig jaar.")
    word.save(path)

    document = segment(load(path))
    assert "Hieronder de cijfers per provincie:" in document.text
    assert document.text.index("stijging") > document.tables[0].end
    assert document.tables[0].caption == "1. Hieronder de cijfers per provincie:"
    assert cells(document.tables[0])[("Antwerpen", "CMW")] == "279"
    assert_exact_offsets(document)


def test_pdf_text_and_table(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    path = tmp_path / "antwoord.pdf"
    style = getSampleStyleSheet()["Normal"]
    grid = Table(ROWS)
    grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    SimpleDocTemplate(str(path), pagesize=A4).build(
        [
            Paragraph("De doorstroom per provincie was als volgt:", style),
            grid,
            Paragraph("Einde van het antwoord.", style),
        ]
    )
    document = segment(load(path))
    assert "De doorstroom per provincie was als volgt:" in document.text
    assert len(document.tables) == 1
    assert cells(document.tables[0])[("Limburg", "LDE")] == "540"
    assert document.tables[0].caption == "De doorstroom per provincie was als volgt:"
    assert_exact_offsets(document)


def test_markdown_is_read_as_text(tmp_path):
    path = tmp_path / "nota.md"
    path.write_text("# Nota\n\nEerste alinea over doorstroom.\n\nTweede alinea.\n", encoding="utf-8")
    document = segment(load(path))
    assert document.genre is Genre.GENERIC
    assert [document.section_text(s) for s in document.sections] == [
        "# Nota",
        "Eerste alinea over doorstroom.",
        "Tweede alinea.",
    ]


def test_cp1252_text_decodes_correctly(tmp_path):
    path = tmp_path / "oud.txt"
    path.write_bytes("Een potentiële werkgever – één stage, € 3440.".encode("cp1252"))
    assert load(path).text == "Een potentiële werkgever – één stage, € 3440."


@pytest.mark.parametrize(
    ("name", "content", "error", "words"),
    [
        ("leeg.txt", b"", EmptyFileError, "leeg"),
        ("spaties.txt", b"  \n\n \t\n", EmptyFileError, "leeg"),
        ("binair.txt", bytes(range(256)) * 4, UnreadableFileError, "binair"),
        ("kapot.xlsx", b"PK\x03\x04 dit is geen werkboek", UnreadableFileError, "Excel"),
        ("kapot.docx", b"geen word-bestand", UnreadableFileError, "Word"),
        ("kapot.pdf", b"%PDF-1.4 kapot", UnreadableFileError, "PDF"),
        ("foto.jpg", b"\xff\xd8\xff\xe0", UnsupportedFormatError, ".jpg"),
    ],
)
def test_bad_input_raises_a_clear_error(tmp_path, name, content, error, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error) as raised:
        load(path)
    message = str(raised.value)
    assert message.startswith(name + ": ") and words in message


def test_very_large_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "groot.txt"
    path.write_text("doorstroom " * 200_000, encoding="utf-8")
    with pytest.raises(FileTooLargeError, match="groot.txt: het bestand is 2.2 MB"):
        load(path, Limits(max_file_bytes=1_000_000))


def test_unknown_genre_gets_the_generic_parse(tmp_path):
    path = tmp_path / "memo.txt"
    path.write_text("Interne memo\n\nDe vergadering is verplaatst naar dinsdag.\n", encoding="utf-8")
    document = segment(load(path))
    assert document.genre is Genre.GENERIC
    assert document.title == "Interne memo"
    assert len(document.sections) == 2


def _zip_with_zeros(path, member: str, megabytes: int) -> None:
    """A small zip whose `member` unpacks to `megabytes` of zeros (written in pieces, light on memory)."""
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(member, "w", force_zip64=True) as part:
            zeros = bytes(1024 * 1024)
            for _ in range(megabytes):
                part.write(zeros)


@pytest.mark.parametrize(
    "name, member", [("bom.docx", "word/document.xml"), ("bom.xlsx", "xl/sharedStrings.xml")]
)
def test_a_zip_bomb_is_refused_before_any_part_is_read(tmp_path, name, member):
    path = tmp_path / name
    _zip_with_zeros(path, member, 300)
    assert path.stat().st_size < 2_000_000
    with pytest.raises(FileTooLargeError) as raised:
        load(path)
    assert str(raised.value).startswith(
        f"{name}: het bestand pakt uit tot 315 MB, meer dan de grens van 100 MB"
    )
    assert "niet opgenomen" in str(raised.value)


def test_a_sheet_over_the_row_limit_is_refused_while_it_is_read(tmp_path):
    import time

    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Doorstroom")
    sheet.append(["regio", "aantal"])
    for number in range(60_000):
        sheet.append([f"regio {number}", number])
    path = tmp_path / "lang.xlsx"
    workbook.save(path)
    started = time.perf_counter()
    with pytest.raises(FileTooLargeError, match="lang.xlsx: blad 'Doorstroom' heeft meer dan 5.000 rijen"):
        load(path)
    assert time.perf_counter() - started < 5  # stopped at the limit, not after reading every row


@pytest.mark.parametrize(
    "limits, content, message",
    [
        (
            Limits(max_table_rows=3),
            "jaar;aantal\n2021;5\n2022;6\n2023;7\n",
            "de tabel heeft meer dan 3 rijen",
        ),
        (Limits(max_cells=5), "jaar;aantal\n2021;5\n2022;6\n", "het bestand heeft meer dan 5 cellen"),
    ],
)
def test_csv_rows_and_cells_have_limits(tmp_path, limits, content, message):
    path = tmp_path / "cijfers.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FileTooLargeError, match=f"cijfers.csv: {message}"):
        load(path, limits)
    assert load(path).tables  # within the default limits it is read


def test_text_over_the_character_limit_is_refused(tmp_path):
    path = tmp_path / "lang.txt"
    path.write_text("Doorstroom naar het normaal economisch circuit. " * 100, encoding="utf-8")
    with pytest.raises(
        FileTooLargeError, match="lang.txt: de tekst telt 4.800 tekens, meer dan de grens van 1.000"
    ):
        load(path, Limits(max_text_chars=1_000))
