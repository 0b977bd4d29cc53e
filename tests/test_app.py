"""The Gradio app in real headless Chromium, against a server the suite starts on loopback.

Screenshots of the chat (figure and passage answers) and the documents tab go to
VRAAGBAAK_SCREENSHOTS (default .build/screenshots/, ignored); `make report` writes them to
docs/screenshots/, where the README links them.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.conftest import REPO, start_server
from tests.test_identity import SHOPS

pytestmark = pytest.mark.slow

SCREENSHOTS = Path(os.environ.get("VRAAGBAAK_SCREENSHOTS") or REPO / ".build" / "screenshots")
MARKED = "rgb(255, 229, 138)"  # app/ui.py MARK_STYLE
NEW_DOCUMENT = """Fietsherstel in de sociale economie

1. Hoeveel fietsherstelateliers telt de lokale diensteneconomie in Gent?

Antwoord

1. De lokale diensteneconomie telt in Gent elf fietsherstelateliers, die samen 64 doelgroepwerknemers \
tewerkstellen.
"""


@pytest.fixture()
def page(browser, served):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-BE")
    opened = context.new_page()
    opened.set_default_timeout(60_000)
    opened.goto(served)
    yield opened
    context.close()


def ask(page, question: str) -> None:
    page.locator("#vb-question textarea").fill(question)
    page.locator("#vb-send").click()


def test_a_figure_question_shows_the_value_and_its_marked_table_cell(page):
    ask(page, "Hoeveel LDE-doorstromers woonden in 2023 in Antwerpen?")
    page.locator("#vb-chat").get_by_text(re.compile(r"^790 \(Antwerpen, LDE")).wait_for()
    marked = page.locator("#vb-table [role=gridcell]", has_text=re.compile(r"^\s*790\s*$"))
    marked.wait_for()
    assert marked.evaluate("e => getComputedStyle(e).backgroundColor") == MARKED
    neighbour = page.locator("#vb-table [role=gridcell]", has_text=re.compile(r"^\s*540\s*$"))
    assert neighbour.evaluate("e => getComputedStyle(e).backgroundColor") != MARKED
    assert "Doorstroom per provincie" in page.locator("#vb-table-caption").inner_text()
    assert "origineel" in page.locator("#vb-sources").inner_text()  # the written question's pdf link
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "chat-figure.png", full_page=True)


def test_a_passage_question_shows_the_cited_sentence_highlighted_in_its_passage(page):
    ask(page, "Wat was de bedoeling van ESF-oproep 380?")
    cited = page.locator("#vb-sources mark.vb-cited")
    cited.wait_for()
    assert "370" in cited.inner_text()
    passage = page.locator("#vb-sources .vb-passage").first.inner_text()
    assert len(passage) > len(cited.inner_text())  # marked inside its passage, not alone
    assert "[1]" in page.locator("#vb-chat").inner_text()
    assert not page.locator("#vb-table").is_visible()
    page.screenshot(path=SCREENSHOTS / "chat-passage.png", full_page=True)


def test_an_abstention_says_so_and_lists_possibly_related_passages(page):
    ask(page, "Hoeveel kost een treinabonnement voor maatwerkers?")
    page.locator("#vb-chat").get_by_text(
        "De documenten beantwoorden deze vraag niet.", exact=False
    ).wait_for()
    assert "Mogelijk verwante passages" in page.locator("#vb-sources").inner_text()
    assert page.locator("#vb-sources mark").count() == 0


def test_an_uploaded_document_is_answerable_without_a_restart(page, tmp_path):
    upload = tmp_path / "fietsherstel_gent.txt"
    upload.write_text(NEW_DOCUMENT, encoding="utf-8")
    broken = tmp_path / "kapot.docx"
    broken.write_bytes(b"geen word")
    page.get_by_role("tab", name="Documenten").click()
    page.locator("#vb-upload input[type=file]").set_input_files([str(upload), str(broken)])
    page.locator("#vb-ingest").click()
    report = page.locator("#vb-ingest-report")
    report.get_by_text("fietsherstel_gent.txt: ingelezen").wait_for()
    assert (
        "kapot.docx: overgeslagen — het Word-bestand is beschadigd" in report.inner_text()
    )  # named, with why; the rest goes on
    page.locator("#vb-documents").get_by_text("fietsherstel_gent.txt").wait_for()  # the listing follows
    widths = page.locator("#vb-documents table").first.evaluate(HEADER_FITS_LONGEST_WORD)
    assert widths and all(width >= word for _, width, word in widths), widths  # "secties", not "sectie/s"
    page.screenshot(path=SCREENSHOTS / "documents.png", full_page=True)
    page.get_by_role("tab", name="Vragen").click()
    ask(page, "Hoeveel fietsherstelateliers zijn er in Gent?")
    page.locator("#vb-sources").get_by_text("fietsherstel_gent.txt", exact=False).wait_for()
    assert "elf fietsherstelateliers" in page.locator("#vb-chat").inner_text()


def test_an_eval_set_runs_from_the_tab(page, tmp_path):
    questions = [
        {
            "id": "t1",
            "kind": "table",
            "question": "Hoeveel LDE-doorstromers woonden in 2023 in Antwerpen?",
            "expected": {"value": "790", "source": "001_b0f9d5d62dee0a8f.txt"},
        },
        {
            "id": "p1",
            "kind": "passage",
            "question": "Wat was de bedoeling van ESF-oproep 380?",
            "expected": {"contains": ["370"], "source": "002_fcbfb653e6343493.txt"},
        },
        {
            "id": "a1",
            "kind": "abstain",
            "question": "Hoeveel kost een treinabonnement voor maatwerkers?",
            "expected": {"abstain": True},
        },
    ]
    path = tmp_path / "mini.jsonl"
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions), encoding="utf-8")
    page.get_by_role("tab", name="Evaluatie").click()
    page.locator("#vb-eval-upload input[type=file]").set_input_files(str(path))
    page.locator("#vb-eval-run").click()
    scores = page.locator("#vb-eval-scores")
    scores.get_by_text("3 vragen").wait_for()
    assert re.search(r"Vraagbaak\s+1\.000\s+1\.000\s+1\.000", scores.inner_text())


def log_in(page, url: str, user: str, password: str) -> None:
    page.goto(url)
    page.get_by_label("username").fill(user)
    page.get_by_label("password").fill(password)
    page.get_by_role("button", name="Login").click()


def test_login_is_required_when_auth_is_set(browser, tmp_path, cli_env):
    process, url = start_server(tmp_path / "index", cli_env, {"VRAAGBAAK_AUTH": "ann:geheim-wachtwoord"})
    try:
        context = browser.new_context()
        refused = context.new_page()
        refused.set_default_timeout(60_000)
        log_in(refused, url, "ann", "fout")
        refused.get_by_text("Incorrect Credentials", exact=False).wait_for()
        assert not refused.locator("#vb-question").is_visible()
        admitted = context.new_page()
        admitted.set_default_timeout(60_000)
        log_in(admitted, url, "ann", "geheim-wachtwoord")
        admitted.locator("#vb-question").wait_for()
        context.close()
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_table_browser_shows_a_table_and_downloads_it_as_csv(page, tmp_path):
    page.get_by_role("tab", name="Tabellen").click()
    page.locator("#vb-table-document input").click()
    page.get_by_role("option", name="001_b0f9d5d62dee0a8f.txt").click()
    page.locator("#vb-table-grid [role=gridcell]", has_text=re.compile(r"^\s*2320\s*$")).wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    saved = tmp_path / "tabel.csv"
    download.value.save_as(saved)
    assert saved.read_text(encoding="utf-8").splitlines()[0].split(",")[1:] == ["CMW", "LDE"]


def test_the_draft_tab_drafts_from_earlier_answers_and_downloads_word(page, tmp_path):
    from docx import Document as WordDocument

    question = (REPO / "data" / "corpus" / "001_b0f9d5d62dee0a8f.txt").read_text(encoding="utf-8")
    question = question[
        : question.rindex("JO BROUNS\nVLAAMS MINISTER")
    ]  # the question as pasted, without its answer
    page.get_by_role("tab", name="Ontwerp van antwoord").click()
    page.locator("#vb-draft-question textarea").fill(question)
    page.locator("#vb-draft-exclude input").click()
    page.get_by_role("option", name="001_b0f9d5d62dee0a8f.txt").click()
    page.keyboard.press("Escape")
    page.locator("#vb-draft-run").click()
    page.locator("#vb-draft-precedents").get_by_text("Controles").wait_for()
    drafted = page.locator("#vb-draft-text textarea").input_value()
    assert "op vraag nr. 221 van 2 februari 2024" in drafted and "[Geen eerder antwoord gevonden" in drafted
    assert "000_3223c12a98729230.txt" in page.locator("#vb-draft-precedents").inner_text()
    assert "001_b0f9d5d62dee0a8f.txt, antwoord" not in drafted  # its own answer was left out
    edited = drafted.replace("**6.**", "**6.** Bewerkt door de medewerker.")
    page.locator("#vb-draft-text textarea").fill(edited)
    page.locator("#vb-draft-docx-status").get_by_text(f"{len(edited)} tekens").wait_for()
    with page.expect_download() as download:
        page.locator("#vb-draft-docx").click()
    saved = tmp_path / "ontwerp.docx"
    download.value.save_as(saved)
    word = WordDocument(str(saved))
    numbered = [p.text for p in word.paragraphs if p.style.name == "List Number"]
    assert any(text.startswith("Bewerkt door de medewerker.") for text in numbered)  # the edit, Word-numbered
    assert word.tables and all(t.rows[0].cells[1].text for t in word.tables)  # real tables, with a header row
    texts = [p.text for p in word.paragraphs] + [c.text for t in word.tables for r in t.rows for c in r.cells]
    assert "Bronnen" in texts
    assert not any("Controles" in t or "|" in t or "**" in t for t in texts)  # the checks stay in the app
    assert "Controles" in page.locator("#vb-draft-precedents").inner_text()
    assert page.locator("#vb-draft-preview table").count() >= 1  # the editor's draft, rendered
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "draft.png", full_page=True)


SERV_MARKDOWN = """# ADVIES

## Zonnepanelen in de maatwerkbedrijven

Brussel, 4 maart 2025

De SERV vraagt de Vlaamse Regering om **elk maatwerkbedrijf** een energiescan aan te bieden en de \
investering in zonnepanelen voor de helft te subsidiëren<sup>1</sup>. Meer uitleg staat op \
[www.serv.be](https://www.serv.be/adviezen).

## Motivering

De energiekosten van de maatwerkbedrijven stegen in twee jaar met 38 procent.
"""


def test_every_page_lists_the_documents_the_index_holds_now(browser, served, tmp_path):
    def opened():  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-BE")
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(served)
        page.get_by_role("tab", name="Documenten").click()
        return context, page

    first_context, first = opened()
    second_context, second = opened()  # open before the upload
    first_file = tmp_path / "een" / "antwoord.txt"
    second_file = tmp_path / "twee" / "antwoord.txt"  # another document, the same file name
    uploads = [
        (first_file, NEW_DOCUMENT, "antwoord.txt: ingelezen"),
        (second_file, SHOPS, "opgeslagen als 'antwoord (2).txt'"),
    ]
    for path, text, reported in uploads:
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        first.locator("#vb-upload input[type=file]").set_input_files(str(path))
        first.locator("#vb-ingest").click()
        first.locator("#vb-ingest-report").get_by_text(reported, exact=False).wait_for()
    third_context, third = opened()  # opened after: a fresh page load
    for page in (first, second, third):
        if page is second:
            page.reload()
            page.get_by_role("tab", name="Documenten").click()
        listing = page.locator("#vb-documents")
        listing.get_by_text("antwoord (2).txt").wait_for()
        assert "Fietsherstel in de sociale economie" in listing.inner_text()  # titles, the file as detail
        page.locator("#vb-remove-choice input").click()
        page.get_by_role("option", name=re.compile(r"Fietsherstel.*antwoord\.txt")).wait_for()
        page.keyboard.press("Escape")
    third.get_by_role("tab", name="Vragen").click()
    ask(third, "Hoeveel doelgroepwerknemers stellen de kringwinkels in Brugge tewerk?")
    third.locator("#vb-sources").get_by_text("antwoord (2).txt", exact=False).first.wait_for()
    assert "212" in third.locator("#vb-chat").inner_text()  # both same-name documents answer
    third.get_by_role("tab", name="Ontwerp van antwoord").click()
    third.locator("#vb-draft-exclude input").click()
    third.get_by_role("option", name=re.compile(r"antwoord \(2\)\.txt")).wait_for()
    third.screenshot(path=SCREENSHOTS / "documents-lists.png", full_page=True)
    for context in (first_context, second_context, third_context):
        context.close()


def test_a_markdown_advice_reads_as_text_without_markup(page, tmp_path):
    upload = tmp_path / "advies_zonnepanelen.md"
    upload.write_text(SERV_MARKDOWN, encoding="utf-8")
    page.get_by_role("tab", name="Documenten").click()
    page.locator("#vb-upload input[type=file]").set_input_files(str(upload))
    page.locator("#vb-ingest").click()
    page.locator("#vb-ingest-report").get_by_text("advies_zonnepanelen.md: ingelezen").wait_for()
    page.get_by_role("tab", name="Vragen").click()
    ask(page, "Wat vraagt de SERV over zonnepanelen in de maatwerkbedrijven?")
    page.locator("#vb-sources").get_by_text("advies_zonnepanelen.md", exact=False).first.wait_for()
    shown = page.locator("#vb-sources").inner_text() + page.locator("#vb-chat").inner_text()
    assert "energiescan" in shown
    for markup in ("# ", "](", "<sup>", "**", "https://www.serv.be/adviezen"):
        assert markup not in shown, markup
    assert "www.serv.be" in shown  # the link's text stays
    last_answer = page.locator("#vb-chat .message").last.inner_text()
    assert not last_answer.strip().startswith("ADVIES")  # a heading is never the answer
    page.screenshot(path=SCREENSHOTS / "chat-markdown.png", full_page=True)


HEADER_FITS_LONGEST_WORD = """table => {
  const canvas = document.createElement("canvas").getContext("2d");
  return [...table.querySelectorAll("th")].map(th => {
    const text = th.innerText.trim();
    const word = text.split(/\\s+/).reduce((a, b) => (b.length > a.length ? b : a), "");
    const inner = th.querySelector("span, div") || th;
    canvas.font = getComputedStyle(inner).font;
    const clipped = inner.scrollWidth > inner.clientWidth + 1;
    return [text, clipped ? 0 : th.getBoundingClientRect().width, canvas.measureText(word).width];
  });
}"""


def test_the_answer_table_has_readable_headers_and_shows_its_marked_cell(page):
    ask(page, "Hoeveel LDE-doorstromers woonden in 2023 in Antwerpen?")
    marked = page.locator("#vb-table [role=gridcell]", has_text=re.compile(r"^\s*790\s*$"))
    marked.wait_for()
    widths = page.locator("#vb-table table").first.evaluate(HEADER_FITS_LONGEST_WORD)
    assert widths and all(width >= word for _, width, word in widths), widths
    box, frame = marked.bounding_box(), page.locator("#vb-table").bounding_box()
    assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
