"""Drafting a reply: parsing new questions, precedents, the draft's provenance, flags, Word export, CLI."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from app.draft import Drafter, parse_new_question, to_markdown, write_docx
from app.draft.drafter import PLACEHOLDER, REFRESH
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


def test_the_word_file_opens_and_holds_the_numbered_answers_and_sources(drafter, documents, tmp_path):
    from docx import Document as WordDocument

    draft = drafter.draft(question_part(documents[Q221]), {Q221})
    path = write_docx(draft, tmp_path / "ontwerp.docx")
    paragraphs = [p.text for p in WordDocument(str(path)).paragraphs]
    assert any(p.startswith("op vraag nr. 221") for p in paragraphs)
    for label in ("1.", "3.", "4.", "6.", "7."):
        assert any(p.startswith(label) for p in paragraphs), label
    assert "Bronnen" in paragraphs
    assert any("000_3223c12a98729230.txt" in p and "antwoord" in p for p in paragraphs)
    assert to_markdown(draft).count("[Geen eerder antwoord gevonden") == sum(
        1 for a in draft.answers if a.cited is None
    )


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
