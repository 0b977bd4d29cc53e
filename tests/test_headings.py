"""A heading is never an answer, unless the question asks for a title (the lexicon's `headings`)."""

from __future__ import annotations

from app.answer.candidates import is_heading
from app.answer.lexicon import load_lexicon


def test_headings_are_recognised_by_their_form():
    for heading in ("# ADVIES", "## Motivering", "ADVIES BVR OPTIMALISATIES DOORSTROOMTRAJECTEN", "ANTWOORD"):
        assert is_heading(heading), heading
    for sentence in (
        "De SERV vraagt een energiescan.",
        "LDE: 790",  # a line of capitals with a figure is no heading
        "VDAB en ESF werken samen aan trajecten voor doelgroepwerknemers.",
        "ADVIES\nDe SERV vraagt een energiescan.",
    ):
        assert not is_heading(sentence), sentence


def test_only_a_question_for_a_title_lets_a_heading_answer():
    lexicon = load_lexicon()
    assert lexicon.heading_may_answer(lexicon.asked_types("Hoe heet het advies van de SERV over doorstroom?"))
    assert lexicon.heading_may_answer(lexicon.asked_types("Wat is de titel van het advies?"))
    assert not lexicon.heading_may_answer(lexicon.asked_types("Wat vraagt de SERV in zijn advies?"))
