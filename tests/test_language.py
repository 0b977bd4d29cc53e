"""Questions not written in Dutch: the language is told by a character model (langdetect), and an
English question never gets a confident figure from the Dutch tables. Real model, bundled corpus."""

from __future__ import annotations

import pytest

from app.answer import Answerer
from app.answer.language import NEEDS_DUTCH_REASON, is_foreign
from evals.scoring import load_questions
from tests.conftest import REPO


@pytest.mark.parametrize(
    "question",
    [
        "How many LDE transitions lived in Antwerp in 2023?",
        "What does the minister say about the budget for social economy?",
        "Quels sont les chiffres de l'emploi en 2023 ?",
    ],
)
def test_questions_in_other_languages_are_told_apart(question):
    assert is_foreign(question)


def test_the_dutch_eval_questions_are_almost_never_taken_for_another_language():
    questions = [q.question for q in load_questions(REPO / "evals" / "sets" / "dev.jsonl")]
    questions += [q.question for q in load_questions(REPO / "evals" / "sets" / "heldout.jsonl")]
    foreign = [q for q in questions if is_foreign(q)]
    assert len(foreign) <= len(questions) // 100, foreign


@pytest.fixture(scope="module")
def answerer(corpus_library):
    return Answerer(corpus_library)


@pytest.mark.parametrize(
    "question",
    [
        "How many LDE transitions lived in Antwerp in 2023?",
        "How many screenings were done in West Flanders at CMW in 2023?",
    ],
)
def test_an_english_figure_question_is_asked_again_in_dutch(answerer, question):
    answer = answerer.answer(question)
    assert answer.abstained and answer.value is None
    assert answer.answer == NEEDS_DUTCH_REASON and "in het Nederlands" in answer.answer


def test_the_same_question_in_dutch_gets_its_figure(answerer):
    assert answerer.answer("Hoeveel LDE-doorstromers woonden in Antwerpen in 2023?").value == "790"
