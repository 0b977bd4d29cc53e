"""Recovered structure of the five corpus documents, checked by hand against the sources."""

from __future__ import annotations

import pytest

from ingest.load import load
from ingest.model import Genre, Role
from ingest.segment import segment


@pytest.fixture(scope="module")
def docs(corpus_dir):
    return {path.name[:3]: segment(load(path)) for path in sorted(corpus_dir.glob("*.txt"))}


def numbers(document, role):
    return [s.number for s in document.sections if s.role is role]


def answer_map(document):
    """question number -> labels of the answer sections that answer it."""
    mapping: dict[str, list[str]] = {}
    for section in document.sections:
        if section.role is Role.ANSWER:
            for number in section.answers:
                mapping.setdefault(number, []).append(section.number)
    return mapping


def test_each_file_has_its_genre(docs):
    assert {key: d.genre for key, d in docs.items()} == {
        "000": Genre.PARTIAL_ANSWER,
        "001": Genre.WRITTEN_QUESTION,
        "002": Genre.QUESTION_AND_ANSWER,
        "003": Genre.SERV_LETTER,
        "004": Genre.SERV_ADVICE,
    }


def test_header_metadata_of_question_221(docs):
    d = docs["001"]
    assert d.title == "Sociale economie - Doorstroom naar normaal economisch circuit (NEC)"
    m = d.metadata
    assert (m.number, m.date, m.asked_by, m.minister) == ("221", "2024-02-02", "Allessia Claes", "Jo Brouns")
    assert m.theme == "Sociale economie, Werk"
    assert "https://docs.vlaamsparlement.be/pfile?id=2042937" in m.links


def test_question_221_sub_questions_and_answers(docs):
    d = docs["001"]
    assert numbers(d, Role.QUESTION) == ["1", "2", "2a", "2b", "2c", "2d", "2e", "3", "4", "5", "6", "7"]
    assert numbers(d, Role.ANSWER) == ["1", "2", "2a-b", "2c", "2d", "2e", "3", "4", "5", "6", "7"]
    assert answer_map(d) == {
        "1": ["1"],
        "2": ["2"],
        "2a": ["2a-b"],
        "2b": ["2a-b"],
        "2c": ["2c"],
        "2d": ["2d"],
        "2e": ["2e"],
        "3": ["3"],
        "4": ["4"],
        "5": ["5"],
        "6": ["6"],
        "7": ["7"],
    }
    answer_3 = next(s for s in d.sections if s.role is Role.ANSWER and s.number == "3")
    assert d.section_text(answer_3).startswith(
        "3. In onderstaande tabellen staan het aantal mensen die door VDAB"
    )


def test_question_without_header_answer_numbering_restarts(docs):
    d = docs["002"]
    assert numbers(d, Role.QUESTION) == [
        "1",
        "1a",
        "1b",
        "1c",
        "1d",
        "2",
        "3",
        "4",
        "5",
        "6",
        "6a",
        "6b",
        "6c",
        "7a",
        "7b",
        "8",
        "8a",
        "8b",
        "9",
    ]
    mapping = answer_map(d)
    assert mapping["1a"] == ["1a+c"] and mapping["1c"] == ["1a+c"]
    assert mapping["1b"] == ["1b+d"] and mapping["1d"] == ["1b+d"]
    assert mapping["2"] == ["2-3"] and mapping["3"] == ["2-3"]
    assert mapping["6a"] == ["6"] and mapping["7b"] == ["7"]
    assert mapping["8a"] == ["8a"] and mapping["8b"] == ["8b"] and mapping["9"] == ["9"]
    first_answer = next(s for s in d.sections if s.role is Role.ANSWER)
    assert d.section_text(first_answer).startswith("1. a+c) u vindt hieronder de gevraagde gegevens.")


def test_older_question_answer_begins_midway(docs):
    d = docs["000"]
    # questions 4 and 5 lost their numbers in the PDF extraction; they are recovered
    assert numbers(d, Role.QUESTION) == ["1", "2", "3", "4", "5", "6", "7"]
    question_4 = next(s for s in d.sections if s.role is Role.QUESTION and s.number == "4")
    assert (
        d.section_text(question_4)
        == "Wat is de impact van de coronacrisis geweest op de doorstroom naar het NEC?"
    )
    assert answer_map(d) == {"3": ["3"], "4": ["4"], "5": ["5"], "6": ["6"], "7": ["7"]}
    fragment = next(s for s in d.sections if s.role is Role.ANSWER)
    assert d.section_text(fragment).startswith("694 doorgestroomde doelgroepwerknemers")
    # the answers' own "a)" / "b)" enumeration is no sub-question structure
    assert "a) Het opschorten" in d.section_text(
        next(s for s in d.sections if s.number == "4" and s.role is Role.ANSWER)
    )


def test_serv_letter(docs):
    d = docs["003"]
    assert d.title.startswith("Externe doorstroomtrajecten voor doelgroepwerknemers")
    assert d.metadata.signatories == ("Pieter Kerremans (voorzitter)",)
    assert dict(d.metadata.extra)["afzender"] == "Commissie Sociale Economie"
    assert [s.role for s in d.sections] == [Role.METADATA, Role.LETTER, Role.SIGNATURE]
    letter = d.sections[1]
    assert d.section_text(letter).startswith("Mevrouw de minister")
    assert d.section_text(letter).endswith("aandacht moeten \n\ngaan naar instroom in de sector.")


def test_serv_advice(docs):
    d = docs["004"]
    m = d.metadata
    assert d.title == "BVR optimalisaties doorstroomtrajecten"
    assert m.date == "2024-05-21" and m.minister == "Jo Brouns"
    assert m.signatories == ("Pieter Kerremans (administrateur-generaal)", "Danny Van Assche (voorzitter)")
    assert dict(m.extra)["Ontvangst adviesvraag"] == "24 april 2024"
    assert numbers(d, Role.ADVICE) == [None, "1", "2", "3", "4", "5", "6"]
    point_3 = next(s for s in d.sections if s.role is Role.ADVICE and s.number == "3")
    assert "richtprijs van 3440 euro" in d.section_text(point_3)


def test_sections_are_exact_spans(docs):
    for d in docs.values():
        previous_end = 0
        for s in d.sections:
            text = d.section_text(s)
            assert text == text.strip() and text, (d.source, s)
            assert s.start >= previous_end, (d.source, s)  # in order, never overlapping
            previous_end = s.end
