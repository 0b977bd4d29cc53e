"""Drafting a reply: parsing new questions, precedents, the draft's provenance, flags, Word export, CLI."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import replace

import pytest
from docx import Document as open_word
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from app.draft import (
    Drafter,
    checks_markdown,
    parse_new_question,
    to_markdown,
    write_docx,
    write_docx_from_markdown,
)
from app.draft.drafter import LEADING_MARKER_RE, PLACEHOLDER, REFRESH, Draft
from evals.drafting import evaluate, load_gold, question_part
from tests.conftest import REPO, VRAAGBAAK

pytestmark = pytest.mark.slow

GOLD = REPO / "evals" / "sets" / "drafting.json"
Q221 = "001_b0f9d5d62dee0a8f.txt"


@pytest.fixture(scope="module")
def drafter(corpus_library):
    return Drafter(corpus_library)


@pytest.fixture(scope="module")
def documents(corpus_library):
    return corpus_library.view().documents


def _pasted_221() -> str:
    """The question of nr. 221 as staff paste it, without its answer (as the app test pastes it)."""
    text = (REPO / "data" / "corpus" / Q221).read_text(encoding="utf-8")
    return text[: text.rindex("JO BROUNS\nVLAAMS MINISTER")]


@pytest.fixture(scope="module")
def draft_221(drafter):
    """Nr. 221 drafted from the other documents: earlier answers with a table are reused."""
    return drafter.draft(_pasted_221(), {Q221})


def test_the_corpus_questions_parse_into_their_numbered_sub_questions(documents):
    for expected in load_gold(GOLD):
        parsed = parse_new_question(question_part(documents[expected.source]))
        assert [s.number for s in parsed.sub_questions] == list(expected.sub_questions), expected.source
    header = parse_new_question(question_part(documents[Q221])).metadata
    assert (header.number, header.date, header.asked_by) == ("221", "2024-02-02", "Allessia Claes")


def test_pasted_text_with_messy_spacing_parses_the_same(documents):
    clean = question_part(documents["002_fcbfb653e6343493.txt"])
    messy = (
        "\r\n".join("   " + re.sub(r" ", "  ", line) + "  \t" for line in clean.splitlines()) + "\r\n\r\n\r\n"
    )
    numbers = [s.number for s in parse_new_question(clean).sub_questions]
    assert [s.number for s in parse_new_question(messy).sub_questions] == numbers
    assert "2c" in [
        s.number
        for s in parse_new_question(
            "Titel\n\n1. Eerste vraag?\n2. Tweede:\na) deel a?\nb) deel b?\n  c)   deel c?"
        ).sub_questions
    ]


def test_a_text_without_numbered_questions_is_refused_with_a_clear_message():
    from app.errors import UserError

    with pytest.raises(UserError, match="genummerde deelvragen"):
        parse_new_question("Hoeveel doorstromers waren er vorig jaar?")


def _folded(text: str) -> str:
    return " ".join(text.split())


def test_every_line_of_a_draft_is_from_a_source_or_a_fixed_template(drafter, documents):
    checked = 0
    for source in ("000_3223c12a98729230.txt", Q221, "002_fcbfb653e6343493.txt"):
        draft = drafter.draft(question_part(documents[source]), {source})
        for answer in draft.answers:
            if answer.cited is None:
                assert answer.text == PLACEHOLDER
                continue
            document = documents[answer.cited.source]
            reused = _folded(document.text[answer.cited.start : answer.cited.end])
            cells = {c.value for t in document.tables for r in t.rows for c in r.cells} | {
                x
                for t in document.tables
                for x in (t.caption.strip(), *t.columns, *(r.label for r in t.rows))
            }
            for block in answer.text.split("\n\n"):
                if block.startswith("|"):  # a table rebuilt from the source's cells
                    for row in block.splitlines()[2:]:
                        assert all(v.strip() in cells or not v.strip() for v in row.strip("|").split("|")), (
                            row
                        )
                elif block.startswith("*") and block.endswith("*"):
                    assert block.strip("*") in cells  # its caption
                else:
                    prose = block.replace(f" {REFRESH}", "")
                    assert prose in reused, (source, answer.sub_question.number, prose[:80])
                checked += 1
    assert checked > 5


def test_figures_of_an_older_answer_are_flagged_for_refresh(drafter, documents):
    draft = drafter.draft(question_part(documents[Q221]), {Q221})
    assert draft.question.asked_year == 2023
    with_tables = [a for a in draft.answers if a.cited and "|" in a.text]
    assert with_tables
    for answer in with_tables:
        assert any(f.kind == "te actualiseren" and answer.cited.source in f.message for f in answer.flags)
    assert draft.heading.splitlines()[-2:] == ["op vraag nr. 221 van 2 februari 2024", "van ALLESSIA CLAES"]


def test_a_draft_with_an_old_year_marks_it_in_the_text(drafter):
    question = (
        "Doorstroom\n\n1. Hoe evalueert de minister de cijfers van 2025?\n"
        "2. Zal de minister nieuwe initiatieven nemen in 2025?"
    )
    draft = drafter.draft(question)
    marked = [a for a in draft.answers if REFRESH in a.text]
    years = {int(y) for a in draft.answers if a.cited for y in re.findall(r"\b(20\d\d)\b", a.text)}
    assert all(f"{y} {REFRESH}" in " ".join(a.text for a in draft.answers) for y in years if y < 2025)
    assert marked or not years


def _all_paragraphs(word) -> list[Paragraph]:
    cells = [p for t in word.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    return [*word.paragraphs, *cells]


def _highlighted(word) -> list[str]:
    runs = [r for p in _all_paragraphs(word) for r in p.runs]
    return [r.text for r in runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]


def _assert_no_markup(word) -> None:
    for paragraph in _all_paragraphs(word):
        for literal in ("|", "**", "> ⚠", "⚠", "```", REFRESH, PLACEHOLDER):
            assert literal not in paragraph.text, (literal, paragraph.text)


def _assert_real_table(table) -> None:
    header = table.rows[0]
    assert table.style.name == "Table Grid"
    assert header._tr.trPr is not None and header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r.bold for c in header.cells for r in c.paragraphs[0].runs)
    numbers = [c for r in table.rows[1:] for c in r.cells if re.fullmatch(r"[\d.,% €]*\d[\d.,% €]*", c.text)]
    assert numbers and all(c.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT for c in numbers)
    assert not any(c.paragraphs[0].alignment for r in table.rows[1:] for c in r.cells[:1])  # row labels
    caption = Paragraph(table._tbl.getprevious(), table._parent)
    assert caption.text and all(r.italic for r in caption.runs) and "*" not in caption.text


def test_the_word_file_is_the_house_format_of_the_draft(draft_221, tmp_path):
    word = open_word(str(write_docx(draft_221, tmp_path / "ontwerp.docx")))
    title, *paragraphs = word.paragraphs
    assert (
        title.style.name == "Heading 1" and title.text == f"Ontwerp van antwoord: {draft_221.question.title}"
    )
    heading = paragraphs[: len(draft_221.heading.splitlines())]
    assert [p.text for p in heading] == draft_221.heading.splitlines() and heading[0].runs[0].bold
    numbered = [p for p in paragraphs if p.style.name == "List Number"]  # 1. to 7., numbered by Word
    assert len(numbered) == 7 and not any(re.match(r"\d+\.", p.text) for p in numbered)
    lettered = [p for p in paragraphs if p.style.name == "List Continue"]
    assert [p.runs[0].text for p in lettered] == ["a) ", "b) ", "c) ", "d) ", "e) "]
    assert all(p.runs[0].bold for p in lettered) and "[1]" in lettered[1].text
    assert word.tables
    for table in word.tables:
        _assert_real_table(table)
    highlighted = _highlighted(word)
    assert any(text.startswith("te actualiseren: Tabel") for text in highlighted)  # a flag, for the writer
    assert PLACEHOLDER.strip("[]") in highlighted
    texts = [p.text for p in paragraphs]
    sources = [p.text for p in paragraphs if p.style.name == "List"]
    assert texts.index("Bronnen") == texts.index(sources[0]) - 1
    assert len(sources) == sum(1 for a in draft_221.answers if a.cited) and sources[0].startswith("[1] ")
    assert any("000_3223c12a98729230.txt" in s and "antwoord" in s for s in sources)
    assert not any("Controles" in p.text for p in _all_paragraphs(word))
    _assert_no_markup(word)


def test_the_draft_and_its_markdown_give_the_same_word_file(draft_221, tmp_path):
    direct = open_word(str(write_docx(draft_221, tmp_path / "direct.docx")))
    converted = write_docx_from_markdown(to_markdown(draft_221), tmp_path / "converted.docx")
    assert open_word(str(converted)).element.body.xml == direct.element.body.xml


def test_the_checks_stand_beside_the_draft_not_in_it(draft_221):
    markdown, checks = to_markdown(draft_221), checks_markdown(draft_221)
    assert "Controles" not in markdown and checks.startswith("## Controles\n")
    assert len(checks.strip().splitlines()) == 2 + len(draft_221.checks)
    assert markdown.count(PLACEHOLDER) == sum(1 for a in draft_221.answers if a.cited is None)


def test_an_edited_draft_is_what_the_word_file_holds(draft_221, tmp_path):
    added = "Het aantal van 2022 [te actualiseren] vullen we aan."
    edited = re.sub(r"^(\*\*2\.\*\*.*)$", rf"\1 {added}", to_markdown(draft_221), count=1, flags=re.M)
    edited = re.sub(r"^\*[^*\n]+\*\n+(\|.*\n)+", "", edited, flags=re.M)  # every table deleted
    edited = edited.replace("\n\n**4.**", "\n**4.**")  # a blank line lost
    edited += "\nVrije tekst met **nadruk** en *cursief*.\n\n" + checks_markdown(draft_221)
    word = open_word(str(write_docx_from_markdown(edited, tmp_path / "bewerkt.docx")))
    second = [p for p in word.paragraphs if p.style.name == "List Number"][1]
    assert second.text.endswith("Het aantal van 2022 te actualiseren vullen we aan.")
    assert [r.text for r in second.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW][-1] == (
        "te actualiseren"
    )
    assert not word.tables and len([p for p in word.paragraphs if p.style.name == "List Number"]) == 7
    free = word.paragraphs[-1]
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in free.runs][1:4] == [
        ("nadruk", True, False),
        (" en ", False, False),
        ("cursief", False, True),
    ]
    assert not any("Controles" in p.text for p in word.paragraphs)
    _assert_no_markup(word)


def test_answers_numbered_out_of_order_keep_their_printed_labels(tmp_path):
    markdown = (
        "# Ontwerp van antwoord: Doorstroom\n**3.** Eerste antwoord [1] over 2022 [te actualiseren].\n"
        "**a)** Deel *a* met **nadruk**.\n\n*Doorstroom per jaar*\n"
        "| | 2022 | Aandeel |\n| --- | ---: | --- |\n"
        "| CMW | 1.238 | 12,5 % |\n| LDE | € 377 | |\n> ⚠ te actualiseren: cijfers tot 2022.\n\n\n"
        f"**5.** {PLACEHOLDER}\n## Bronnen\n- [1] Een eerder antwoord (000_x.txt), antwoord 3\n"
    )
    word = open_word(str(write_docx_from_markdown(markdown, tmp_path / "ontwerp.docx")))
    texts = [p.text for p in word.paragraphs]
    assert not any(p.style.name == "List Number" for p in word.paragraphs)
    assert texts[1:3] == ["3. Eerste antwoord [1] over 2022 te actualiseren.", "a) Deel a met nadruk."]
    assert word.paragraphs[1].runs[0].bold and word.paragraphs[2].style.name == "List Continue"
    assert "5. Geen eerder antwoord gevonden: aan te vullen." in texts
    assert "te actualiseren: cijfers tot 2022." in _highlighted(word)
    (table,) = word.tables
    _assert_real_table(table)
    assert [c.paragraphs[0].alignment for c in table.rows[0].cells][1:] == [WD_ALIGN_PARAGRAPH.RIGHT] * 2
    assert texts[-2:] == ["Bronnen", "[1] Een eerder antwoord (000_x.txt), antwoord 3"]
    _assert_no_markup(word)


def test_a_question_pasted_without_its_title_is_titled_by_its_subject():
    untitled = _pasted_221()[_pasted_221().index("SCHRIFTELIJKE VRAAG") :]
    question = parse_new_question(untitled)
    assert question.title == "" and question.metadata.theme is None
    subject = (
        to_markdown(Draft(question, None, [], [])).splitlines()[0].removeprefix("# Ontwerp van antwoord: ")
    )
    first = LEADING_MARKER_RE.sub("", question.sub_questions[0].text)
    assert subject.endswith("…") and len(subject) <= 81 and first[len(subject) - 1] == " "
    assert first.startswith(subject[:-1])
    themed = replace(question, metadata=replace(question.metadata, theme="Sociale economie"))
    assert to_markdown(Draft(themed, None, [], [])).startswith("# Ontwerp van antwoord: Sociale economie\n")


def test_the_drafting_eval_finds_most_precedents_and_marks_the_rest(drafter, documents):
    scores = evaluate(drafter, documents, load_gold(GOLD))
    assert not scores.missing
    assert scores.hit1 / scores.with_precedent >= 0.6
    assert scores.none_correct / scores.without_precedent >= 0.85


def test_draft_cli_prints_json_and_refuses_an_unknown_exclude(tmp_path, cli_env, corpus_library):
    env = {**cli_env, "VRAAGBAAK_HOME": str(corpus_library.settings.home)}
    question = tmp_path / "vraag.txt"
    question.write_text(
        "Doorstroom\n\n1. Hoe evalueert de minister de cijfers?\n"
        "2. Zal de minister nieuwe initiatieven nemen?\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [*VRAAGBAAK, "draft", str(question), "--json"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [s["number"] for s in data["sub_questions"]] == ["1", "2"]
    assert set(data["sub_questions"][0]) >= {"number", "text", "precedents", "draft", "flags"}
    refused = subprocess.run(
        [*VRAAGBAAK, "draft", str(question), "--exclude", "bestaat_niet.txt"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert refused.returncode == 1 and "onbekend document bestaat_niet.txt" in refused.stderr
