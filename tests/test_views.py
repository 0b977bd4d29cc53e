"""What the app shows of its sources: reading text, never raw markup; a cited table row as a grid.

Pure and fast: documents are read and segmented from the bundled files, answers and citations are
built directly, no model is loaded.
"""

from __future__ import annotations

import html
import random
import re
import time
from pathlib import Path

import pytest

from app.readable import readable, readable_pieces
from app.views import chat_message, cited_row, sources_html
from ingest.load import load
from ingest.model import Answer, Citation, Document, Table
from ingest.segment import segment
from ingest.sentences import one_line
from tests.conftest import CORPUS, REPO

FRESH = REPO / "evals" / "sets" / "fresh_answers" / "corpus"
SERV_ADVICE = FRESH / "f06_serv-advies-ondersteuningspakket-maatwerk.md"  # the bundled SERV advice (.md)
POLICY_NOTE = FRESH / "f10_beleidsnota-esf-plus-programma-vlaanderen.md"  # Markdown with a pipe table
WRITTEN_QUESTION = CORPUS / "001_b0f9d5d62dee0a8f.txt"  # tables rebuilt from PDF text
# A closing paragraph as SERV advices print it when saved as Markdown: heading, link, footnote, rule
CLOSING = (
    "\n\n## 5. Besluit\n"
    "De SERV vraagt de **Vlaamse Regering** om het advies te volgen<sup>1</sup>; zie "
    "[www.serv.be](http://www.serv.be/advies_2024) en <https://www.serv.be/nl/adviezen>.\n"
    "---\n"
    "<sup>1</sup> Zie ook het advies van 12 maart 2024 over *collectief maatwerk*.<br>Brussel &amp; Gent\n"
)
MARKUP = ("#", "](", "<sup>", "**", "---", "&amp;")


def visible(markup: str) -> str:
    """The text a reader sees of some HTML."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


def marked_text(markup: str) -> str:
    return html.unescape("".join(re.findall(r'<mark class="vb-cited">(.*?)</mark>', markup)))


def read(path: Path) -> Document:
    return segment(load(path))


def citation_of(document: Document, start: int, end: int, section: str = "tekst") -> Citation:
    return Citation(document.source, document.title, section, document.text[start:end], start, end, 0.9)


def answer_with(citation: Citation, text: str = "antwoord", **extra) -> Answer:
    return Answer("vraag", text, None, False, [citation], **extra)


@pytest.fixture(scope="module")
def advice() -> Document:
    return read(SERV_ADVICE)


@pytest.fixture(scope="module")
def question() -> Document:
    return read(WRITTEN_QUESTION)


@pytest.fixture()
def advice_with_closing(tmp_path) -> Document:
    path = tmp_path / SERV_ADVICE.name
    path.write_text(SERV_ADVICE.read_text(encoding="utf-8") + CLOSING, encoding="utf-8")
    return read(path)


@pytest.mark.parametrize(
    ("printed", "reading"),
    [
        ("# SERV-advies", "SERV-advies"),
        ("## 4. Aanbevelingen ##", "4. Aanbevelingen"),
        ("zie [www.serv.be](http://www.serv.be) nu", "zie www.serv.be nu"),
        ('![logo SERV](logo.png "SERV")', "logo SERV"),
        ("op <https://www.serv.be/advies_2024>.", "op https://www.serv.be/advies_2024."),
        ("besluit<sup>1</sup> en CO<sub>2</sub>", "besluit¹ en CO₂"),
        ("regel<br>twee<br />drie", "regel twee drie"),
        ("<span class='nr'>4.2</span> <em>kort</em>", "4.2 kort"),
        ("4.1 **Koppel de loonpremie.** Zo", "4.1 Koppel de loonpremie. Zo"),
        ("__vet__, *schuin*, _ook_ en ***beide***", "vet, schuin, ook en beide"),
        ("tekst\n---\nverder\n* * *\nslot", "tekst\nverder\nslot"),
        ("| Prioriteit | Aandeel |\n|---|:---:|\n| P1 | 212,4 |", "Prioriteit · Aandeel\nP1 · 212,4"),
        ("R&amp;D &lt;b&gt; &#8364; 5", "R&D <b> € 5"),
        ("zie voetnoot[^2]\n[^2]: Bron: VDAB", "zie voetnoot²\n² Bron: VDAB"),
        ("niet \\*vet\\* en \\_x\\_", "niet *vet* en _x_"),
        ("<!-- verborgen -->zichtbaar", "zichtbaar"),
        ("* eerste punt", "• eerste punt"),
    ],
)
def test_markup_is_taken_out_of_document_text(printed, reading):
    assert readable(printed) == reading


@pytest.mark.parametrize(
    "kept",
    [
        "5 * 3 = 15",
        "file_name en snake_case_waarde",
        "a*b*c en 2 ** 3",
        "bedrag* (*exclusief btw",
        "leeftijd < 25 jaar en > 60 jaar, <25 jaar>",
        "C# en nr. #12",
        "10 - 20 - 30",
        "a | b in lopende tekst",
        "Stad Gent (WEB-werkervaringsbedrijven) 13 58 33",
    ],
)
def test_text_that_only_looks_like_markup_is_kept(kept):
    assert readable(kept) == kept


def test_pieces_are_the_cleaned_text_cut_where_the_original_was_cut(advice_with_closing):
    text = advice_with_closing.text
    whole = readable(text)
    generator = random.Random(7)
    for _ in range(200):
        cuts = [0, *sorted(generator.sample(range(len(text) + 1), 3)), len(text)]
        pieces = readable_pieces(text, cuts)
        assert "".join(pieces) == whole  # markup across a cut is still recognised
        assert not [p for p in pieces if "**" in p or "](" in p]


def test_a_serv_advice_passage_shows_reading_text_with_the_cited_text_marked(advice_with_closing):
    document = advice_with_closing
    start = document.text.index("De SERV vraagt de")
    end = document.text.index("advies te volgen") + len("advies te volgen")
    citation = citation_of(document, start, end)
    shown = sources_html(answer_with(citation), {document.source: document})
    assert "vb-row-grid" not in shown
    passage = visible(shown.split('<div class="vb-passage">', 1)[1])
    assert not [m for m in MARKUP if m in passage], passage
    assert (
        marked_text(shown)
        == one_line(readable(citation.text))
        == ("De SERV vraagt de Vlaamse Regering om het advies te volgen")
    )
    assert "volgen¹; zie www.serv.be en https://www.serv.be/nl/adviezen." in passage
    assert "Besluit" in passage and "Brussel & Gent" in passage
    assert "[1] SERV-advies" in visible(shown)  # the document's title, without its "#"


def test_the_cited_span_stays_exactly_the_cited_span_when_markup_opens_before_it(advice):
    text = advice.text
    start = text.index("Koppel de loonpremie")
    end = text.index("aan de index.") + len("aan de index.")  # inside "**…**": both markers outside
    shown = sources_html(answer_with(citation_of(advice, start, end)), {advice.source: advice})
    assert marked_text(shown) == "Koppel de loonpremie automatisch aan de index."
    passage = visible(shown.split('<div class="vb-passage">', 1)[1])
    assert passage.startswith("4.1 Koppel de loonpremie automatisch aan de index. Zo vermijdt")
    assert "*" not in passage


def test_the_chat_message_shows_no_link_or_emphasis_syntax_and_keeps_its_markers(advice):
    citation = citation_of(advice, 0, 13)
    text = "De SERV vraagt **een terugkeergarantie** (zie [het advies](https://www.serv.be/advies_2024)) [1]."
    message = chat_message(answer_with(citation, text))
    first = message.splitlines()[0]
    assert first == "De SERV vraagt een terugkeergarantie (zie het advies) [1]."
    assert "**Bronnen:**" in message
    assert "[1] SERV-advies — tekst" in message


def test_the_chat_message_keeps_lone_asterisks_and_underscores(advice):
    message = chat_message(answer_with(citation_of(advice, 0, 13), "Het product 5 * 3 staat in file_name."))
    assert message.splitlines()[0] == "Het product 5 \\* 3 staat in file\\_name. [1]"  # escaped, so shown


def test_an_abstention_marks_nothing_and_shows_reading_text(advice):
    start = advice.text.index("4.2 **Voorzie")
    citation = citation_of(advice, start, start + 40)
    abstained = Answer("vraag", "De documenten beantwoorden deze vraag niet.", None, True, [citation])
    shown = sources_html(abstained, {advice.source: advice})
    assert "Mogelijk verwante passages" in shown and "<mark" not in shown
    assert "**" not in visible(shown)
    assert "Mogelijk verwant" in chat_message(abstained)


def _table(document: Document, caption: str) -> Table:
    return next(t for t in document.tables if t.caption.startswith(caption))


def _row_span(document: Document, table: Table, label: str) -> tuple[int, int]:
    """A row as the answerer cites it: from the start of its line to its last cell."""
    row = next(r for r in table.rows if r.label == label)
    first, last = row.cells[0].start, row.cells[-1].end
    assert first is not None and last is not None
    return document.text.rfind("\n", table.start, first) + 1, last


def test_a_cited_table_row_is_shown_as_a_grid_with_the_answers_cell_marked(question):
    table = _table(question, "Doorstroom per provincie")
    start, end = _row_span(question, table, "Antwerpen")
    assert question.text[start:end] == "Antwerpen 279 790"
    cell = {"row": "Antwerpen", "column": "LDE", "value": "790", "status": "reconstructed"}
    citation = citation_of(question, start, end, "antwoord 1")
    answer = answer_with(citation, table={**table.as_dict(), "cell": cell})
    shown = sources_html(answer, {question.source: question})
    grid = re.search(r'<table class="vb-row-grid".*?</table>', shown)
    assert grid is not None
    cells = [visible(c) for c in re.findall(r"<t[hd][ >].*?</t[hd]>", grid.group())]
    assert cells == ["", "CMW", "LDE", "Antwerpen", "279", "790"]
    assert marked_text(shown) == "790"
    assert re.search(r'<td class="vb-cited"[^>]*><mark class="vb-cited">790</mark></td>', shown)
    assert "Doorstroom per provincie" in visible(shown.split("vb-row-grid")[0])  # the caption above
    assert 'data-source="001_b0f9d5d62dee0a8f.txt"' in shown


def test_a_cited_cell_alone_is_marked_in_its_row(question):
    table = _table(question, "Doorstroom per provincie")
    row = next(r for r in table.rows if r.label == "Limburg")
    value = next(c for c in row.cells if c.column == "CMW")
    assert value.start is not None and value.end is not None
    citation = citation_of(question, value.start, value.end, "antwoord 1")
    assert cited_row(citation, question) == (table, row)
    shown = sources_html(answer_with(citation), {question.source: question})
    assert "vb-row-grid" in shown and marked_text(shown) == "135"


def test_a_markdown_pipe_table_row_is_shown_as_a_grid():
    document = read(POLICY_NOTE)
    table = document.tables[0]
    start, end = _row_span(document, table, "P3 Sociale economie en sociale innovatie")
    end = document.text.index("\n", end)  # with its closing pipe
    shown = sources_html(answer_with(citation_of(document, start, end)), {document.source: document})
    assert "vb-row-grid" in shown and "|" not in visible(shown)
    assert marked_text(shown) == "62,994,39.20055%"  # every cited cell marked, no answer cell named


def test_a_span_over_several_rows_or_with_prose_stays_prose(question):
    table = _table(question, "Doorstroom per provincie")
    start, _ = _row_span(question, table, "Antwerpen")
    _, end = _row_span(question, table, "Limburg")
    rows = citation_of(question, start, end, "antwoord 1")
    assert cited_row(rows, question) is None
    shown = sources_html(answer_with(rows), {question.source: question})
    assert "vb-row-grid" not in shown and marked_text(shown) == "Antwerpen 279 790 Limburg 135 540"
    caption = question.text.index("Doorstroom per provincie:CMW")
    assert cited_row(citation_of(question, caption, end, "antwoord 1"), question) is None


def test_cleaning_adversarial_text_is_linear():
    generator = random.Random(3)
    texts = [
        "".join(generator.choice("*_[<") for _ in range(100_000)),
        "[" + "a" * 99_999,
        "<a " + "b" * 99_997,
        "**a" * 33_333,
        "<!--" * 25_000,
        "|" * 100_000,
        "\\*" * 50_000,
        "&#" + "1" * 99_998,
        "*_" * 50_000,
    ]
    for text in texts:
        began = time.perf_counter()
        readable(text)
        assert time.perf_counter() - began < 0.5, text[:10]
