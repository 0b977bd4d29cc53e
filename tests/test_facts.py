"""Metadata facts: printed where they say, and the questions that ask for them."""

from __future__ import annotations

import pytest

from app.answer import Answerer
from app.answer.facts import wanted_fields
from ingest.facts import facts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def answerer(corpus_library):
    return Answerer(corpus_library)


def test_every_fact_is_printed_at_its_offsets(corpus_library):
    found = [(document, fact) for document in corpus_library.documents() for fact in facts(document)]
    assert {fact.field for _, fact in found} >= {
        "asker",
        "minister",
        "date",
        "number",
        "signatory",
        "received",
        "contact",
    }
    for document, fact in found:
        printed = " ".join(document.text[fact.start : fact.end].split()).lower()
        assert printed.startswith(fact.value.lower()) or fact.field == "number", fact
        assert fact.value.lower() in printed, fact


@pytest.mark.parametrize(
    ("question", "source", "expected", "section"),
    [
        ("Wie ondertekende het SERV-advies als voorzitter?", "004", "Danny Van Assche", "ondertekening"),
        (
            "Wanneer ontving de SERV de adviesvraag over de doorstroomtrajecten?",
            "004",
            "24 april 2024",
            "metadata",
        ),
        (
            "Wie stelde de schriftelijke vraag over doorstroom naar het NEC?",
            "001",
            "Allessia Claes",
            "metadata",
        ),
        ("Op welke datum werd vraag 221 ingediend?", "001", "2 februari 2024", "metadata"),
        (
            "Welke volksvertegenwoordiger stelde schriftelijke vraag 221?",
            "001",
            "Allessia Claes",
            "metadata",
        ),  # a role word
        (
            "Op welke dag kwam de adviesvraag over de doorstroomtrajecten binnen bij de SERV?",
            "004",
            "24 april 2024",
            "metadata",
        ),
        (
            "Van wanneer dateert de schriftelijke vraag van Allessia Claes?",
            "001",
            "2 februari 2024",
            "metadata",
        ),  # "van wanneer"
        (
            "Bij wie kan ik bij de SERV terecht met vragen over het doorstroomadvies?",
            "004",
            "Nele Vanheeswijck",
            "metadata",
        ),  # the contact
        (
            "Wat is de functie van Pieter Kerremans?",
            "003",
            "Voorzitter",
            "ondertekening",
        ),  # the fact that names the person
        (
            "Door wie werd de schriftelijke vraag van Allessia Claes beantwoord?",
            "001",
            "Jo Brouns",
            "metadata",
        ),  # "door wie"
        (
            "Wie ondertekende de brief van de Commissie Sociale Economie over de externe "
            "doorstroomtrajecten?",
            "003",
            "Pieter Kerremans",
            "ondertekening",
        ),
        (
            "Wie is voorzitter van de raad die het doorstroomadvies gaf?",
            "004",
            "Danny Van Assche",
            "ondertekening",
        ),  # no "de"
        (
            "Wat is de decretale opdracht van het SERV-advies?",
            "004",
            "SERV-decreet",
            "metadata",
        ),  # a key of the advice's header
        (
            "Wiens handtekening staat onder het advies over de BVR-optimalisaties?",
            "004",
            "Kerremans",
            "ondertekening",
        ),
    ],
)
def test_a_metadata_question_is_answered_from_the_printed_fact(answerer, question, source, expected, section):
    answer = answerer.answer(question)
    cited = answer.citations[0]
    assert not answer.abstained and expected in answer.answer and "fact" in answer.evidence
    assert cited.source.startswith(source) and cited.section == section
    assert expected.split()[-1].lower() in cited.text.lower()  # the cited span prints it


def test_content_questions_are_not_taken_for_metadata():
    assert wanted_fields("Wie ondertekende het advies als voorzitter?") == ("signatory",)
    assert wanted_fields("Aan welke minister werd de vraag gesteld?") == ("minister",)
    for question in (
        "Wie doet de screening?",
        "Wie bepaalt of een werknemer klaar is voor het NEC?",
        "Wanneer moet een doorstroomtraject mogelijk blijven?",
        "Overweegt de minister een uitbreiding?",
        "Van wanneer dateert het BVR met de crisismaatregelen?",  # a decree's date, not the document's
        "Wat is volgens de vraagsteller de taak van VDAB?",
    ):  # whose words, not who asked
        assert wanted_fields(question) == (), question
