"""The learned answer ranker with the real model and Chroma: deterministic training, figures from a
table whose headers no lexicon knows, numbers with their unit in running text, no refusal for a word
the corpus never uses."""

from __future__ import annotations

import pytest

from app.answer import Answerer
from app.answer.candidates import NUMBER_RE
from app.answer.lexicon import load_lexicon
from app.training import question_rows, train
from evals.scoring import load_questions
from index.indexer import ingest_paths
from tests.conftest import REPO

pytestmark = pytest.mark.slow

# A written question in a layout of its own, with a table whose headers and labels appear in no
# lexicon and figures in running text with their units
NEW_DOCUMENT = """Schriftelijke vraag nr. 77 van 3 maart 2025
van Lotte Verbeke aan minister Pieter Claes

Vraag 1
Hoeveel vrijwilligers en begeleiders waren er per sector actief in de buurtateliers?

Vraag 2
Hoe lang duurde een begeleiding gemiddeld en hoeveel deelnemers haakten af?

Antwoord 1
In de buurtateliers waren vorig jaar de volgende aantallen actief.

| Sector | Vrijwilligers | Begeleiders |
| --- | --- | --- |
| Fietsherstel | 412 | 37 |
| Groenonderhoud | 298 | 25 |
| Kringwinkel | 1.045 | 61 |

Antwoord 2
Een begeleiding in de buurtateliers duurde gemiddeld 14 maanden. Van alle deelnemers haakte 7,9% voortijdig
af, meestal omdat zij een vaste baan vonden.
"""


@pytest.fixture(scope="module")
def new_answerer(tmp_path_factory, embedder):
    from index.library import IndexSettings, open_library
    from tests.conftest import CORPUS, MODEL_CACHE

    home = tmp_path_factory.mktemp("ranker")
    folder = home / "docs"
    folder.mkdir()
    (folder / "buurtateliers.md").write_text(NEW_DOCUMENT, encoding="utf-8")
    library = open_library(IndexSettings(home=home / "index", model_cache=MODEL_CACHE), embedder=embedder)
    ingest_paths(library, [CORPUS, folder])
    yield Answerer(library)
    library.close()


def test_a_cell_of_a_table_with_headers_no_lexicon_knows_is_found(new_answerer):
    lexicon_words = (REPO / "data" / "lexicon.toml").read_text(encoding="utf-8").lower()
    assert "begeleiders" not in lexicon_words and "groenonderhoud" not in lexicon_words
    answer = new_answerer.answer("Hoeveel begeleiders waren actief in het groenonderhoud?")
    assert not answer.abstained and answer.value == "25", answer
    assert answer.citations[0].source == "buurtateliers.md"


def test_numbers_with_their_unit_in_running_text_are_found(new_answerer):
    share = new_answerer.answer("Welk percentage van de deelnemers haakte voortijdig af?")
    assert not share.abstained and share.value == "7,9%", share
    months = new_answerer.answer("Hoeveel maanden duurde een begeleiding in de buurtateliers gemiddeld?")
    assert not months.abstained and months.value == "14", months
    document = new_answerer.library.view().documents["buurtateliers.md"]
    for answer in (share, months):
        cited = answer.citations[0]
        assert document.text[cited.start : cited.end] == cited.text and answer.value in cited.text


def test_a_word_the_corpus_never_uses_does_not_refuse_an_answerable_question(new_answerer):
    weights = new_answerer._corpus_words().weights
    assert not weights.known("fietsateliers")
    answer = new_answerer.answer("Hoeveel vrijwilligers telde fietsherstel in de fietsateliers?")
    assert not answer.abstained and answer.value == "412", answer


def test_printed_number_forms():
    found = {
        text: [m.group(1) for m in NUMBER_RE.finditer(text)]
        for text in ("316 000 mensen", "€ 69 miljoen", "ruim 2.300 plaatsen", "7,9 % en 95%", "595 426 292")
    }
    assert found == {
        "316 000 mensen": ["316 000"],
        "€ 69 miljoen": ["69"],
        "ruim 2.300 plaatsen": ["2.300"],
        "7,9 % en 95%": ["7,9", "95"],
        "595 426 292": ["595", "426", "292"],
    }
    lexicon = load_lexicon()
    assert lexicon.units_of("€", "69", "miljoen") == {"money"}
    assert lexicon.units_of("", "7,9%", "") == {"percent"}


def test_training_is_deterministic(corpus_library):
    answerer = Answerer(corpus_library)
    questions = load_questions(REPO / "evals" / "sets" / "dev.jsonl")[::3]
    rows = list(question_rows(answerer, questions, "dev"))
    first, report = train(rows)
    second, _ = train(rows)
    assert first.models == second.models
    assert set(report) == {"passage", "figure"} and report["figure"]["held_out"]["chosen_right"] is not None
