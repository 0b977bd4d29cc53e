"""Structure from general cues, on small documents written for these tests, one per printed form:
labelled and unlabelled answers, combined answers, bullets, bare numbers, numbered items, inline
questions and answers, speaker turns, the metadata of each header form, and messy text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.render import document_json, structure_note
from evals.structure import check_document, load_manifest
from ingest.lexicon import LEXICON_PATH, lexicon_from
from ingest.load import load
from ingest.model import Genre, RawDocument, Role
from ingest.segment import segment

BUNDLED_MANIFEST = Path(__file__).resolve().parent.parent / "evals" / "sets" / "structure" / "bundled.jsonl"


def parse(text: str):  # type: ignore[no-untyped-def]
    return segment(RawDocument(source="test.txt", text=text, format="txt"))


def outline(document) -> list[tuple[str, str | None, tuple[str, ...]]]:  # type: ignore[no-untyped-def]
    return [
        (s.role.value, s.number, s.answers)
        for s in document.sections
        if s.role in (Role.QUESTION, Role.ANSWER)
    ]


# two questions, each answered: the outline most forms give
TWO_ANSWERED = [
    ("question", "1", ()),
    ("answer", "1", ("1",)),
    ("question", "2", ()),
    ("answer", "2", ("2",)),
]


def assert_nothing_dropped(document) -> None:  # type: ignore[no-untyped-def]
    covered = set()
    for section in document.sections:
        covered |= set(range(section.start, section.end))
    assert all(i in covered for i, ch in enumerate(document.text) if not ch.isspace())


LABELLED = """Vragen van het lid Anna Peeters (Groen) aan de Minister van Werk over de jobcoaches \
(ingezonden 3 maart 2021).

Antwoord van Minister Van Leuven (Werk en Sociale Economie) (ontvangen 14 april 2021).

Vraag 1

Hoeveel jobcoaches zijn er actief in de maatwerkbedrijven?

Antwoord 1

Er zijn 212 jobcoaches actief.

Vraag 2

Hoe worden zij opgeleid?

Vraag 3

Wie betaalt die opleiding?

Antwoord op vraag 2 en 3

Het agentschap organiseert en betaalt de opleiding.
"""


def test_labelled_questions_and_answers_with_the_header_metadata():
    document = parse(LABELLED)
    assert document.genre is Genre.WRITTEN_QUESTION
    assert outline(document) == [
        ("question", "1", ()),
        ("answer", "1", ("1",)),
        ("question", "2", ()),
        ("question", "3", ()),
        ("answer", "2+3", ("2", "3")),
    ]
    meta = document.metadata
    assert meta.asked_by == "Anna Peeters (Groen)"
    assert meta.minister == "Minister Van Leuven (Werk en Sociale Economie)"
    assert meta.date == "2021-04-14"  # the answer's date, not the question's
    assert {"vraag N", "antwoord N", "gecombineerd antwoord"} <= set(document.cues)
    assert_nothing_dropped(document)


@pytest.mark.parametrize(
    ("label", "answers"),
    [
        ("Antwoord 2, 3 en 4", ("2", "3", "4")),
        ("Antwoord vraag 2 en 3", ("2", "3")),
        ("Antwoord op de vragen 2 tot en met 4", ("2", "3", "4")),
        ("Antwoord 2-4", ("2", "3", "4")),
    ],
)
def test_a_combined_answer_answers_each_question_it_names(label: str, answers: tuple[str, ...]):
    questions = "\n\n".join(f"Vraag {n}\n\nWat is de stand van zaken nummer {n}?" for n in (1, 2, 3, 4))
    document = parse(f"Een lijst van vragen\n\n{questions}\n\n{label}\n\nDe stand van zaken is goed.\n")
    assert [s.answers for s in document.sections if s.role is Role.ANSWER] == [answers]


BULLETS = """Kamervraag 2031Z00001

Het bericht over de wachtlijsten

Ingediend 2 januari 2031
Beantwoord 30 januari 2031 (na 28 dagen)
Indiener Bram Claes (CD&V)
Beantwoord door Lies Maes (minister van werk) (Open VLD)
 • Vraag 1
  Kent u het bericht over de wachtlijsten?1

  Ja.

 • Vraag 2
  Hoe lang is de wachtlijst nu? Wat doet u eraan?

  De wachtlijst telt 480 personen. Ik maak extra middelen vrij.

  Die middelen gaan naar de regio's met de langste lijsten.
"""


def test_bullet_questions_with_their_answer_unlabelled_after_them():
    document = parse(BULLETS)
    assert outline(document) == TWO_ANSWERED
    second = next(s for s in document.sections if s.role is Role.ANSWER and s.number == "2")
    assert document.section_text(second).startswith("De wachtlijst telt 480")
    assert document.section_text(second).endswith("langste lijsten.")
    meta = document.metadata
    assert (meta.asked_by, meta.date, meta.number) == ("Bram Claes (CD&V)", "2031-01-30", "2031Z00001")
    assert meta.minister == "Lies Maes (minister van werk) (Open VLD)"
    assert "• vraag N" in document.cues and "onbenoemd antwoord na de vraag" in document.cues


LIST = """VERSLAG HOUDENDE EEN LIJST VAN VRAGEN EN ANTWOORDEN

Vastgesteld 9 oktober 2030

De vaste commissie voor Werk en Economie, belast met het onderzoek, heeft de volgende vragen gesteld.

1

Waarom stijgt het budget voor opleiding?

Het budget stijgt omdat meer werkzoekenden een opleiding volgen.

2

Welk deel gaat naar de regio's?

Ongeveer de helft.
"""


def test_a_list_of_questions_with_bare_numbers():
    document = parse(LIST)
    assert outline(document) == TWO_ANSWERED
    assert document.metadata.asked_by == "vaste commissie voor Werk en Economie"
    assert document.metadata.date == "2030-10-09"
    assert document.cues[0] == "kaal nummer"


def test_numbered_items_and_an_unnumbered_answer_label():
    items = parse(
        "Vragen\n\n1. Wat kost het project?\n\nHet kost 4 miljoen euro.\n\n2. Wanneer start het?\n\nIn mei.\n"
    )
    assert outline(items) == TWO_ANSWERED
    unnumbered = parse(
        "Vraag 1\n\nWat kost het?\n\nEn wie betaalt?\n\nAntwoord\n\nDe gemeente betaalt 4 miljoen.\n"
    )
    assert outline(unnumbered) == [("question", "1", ()), ("answer", "1", ("1",))]


def test_questions_and_answers_inline_in_one_paragraph():
    text = (
        "Antwoorden op de vragen van de leden van de fractie. 1. Is het waar dat de wachttijd stijgt? "
        "Antwoord 1 Neen. De wachttijd daalt sinds vorig jaar. 2. Wat is de gemiddelde wachttijd? "
        "Antwoord 2 De gemiddelde wachttijd is 41 dagen."
    )
    document = parse(text)
    assert outline(document) == TWO_ANSWERED
    answer = next(s for s in document.sections if s.role is Role.ANSWER and s.number == "2")
    assert document.section_text(answer) == "Antwoord 2 De gemiddelde wachttijd is 41 dagen."


EXCHANGE = """Plenaire vergadering

dinsdag 4 maart 2031, 14.00u

van Els Janssens aan minister Karel Wouters
12 (2030-2031)
De voorzitter

Mevrouw Janssens heeft het woord.

Els Janssens (Vooruit)

Minister, hoeveel mensen staan op de wachtlijst voor een traject? Wanneer verdwijnt die wachtlijst?

De voorzitter

Minister Wouters heeft het woord.

Minister Karel Wouters

Op de wachtlijst staan 1200 mensen. Tegen het einde van het jaar is ze weg.

De voorzitter

De heer Peeters heeft het woord.

Ik sluit me aan bij de vraag van collega Janssens.
"""


def test_speaker_turns_with_their_roles_and_the_answering_minister():
    document = parse(EXCHANGE)
    assert document.genre is Genre.EXCHANGE
    turns = [(s.speaker, s.speaker_role) for s in document.sections if s.speaker]
    assert turns == [
        ("De voorzitter", "chair"),
        ("Els Janssens (Vooruit)", "member"),
        ("De voorzitter", "chair"),
        ("Minister Karel Wouters", "minister"),
        ("De voorzitter", "chair"),
        ("De heer Peeters", "member"),
    ]
    answer = next(s for s in document.sections if s.role is Role.ANSWER)
    asked = next(s for s in document.sections if s.role is Role.QUESTION)
    assert answer.answers == (asked.number,) and asked.speaker == "Els Janssens (Vooruit)"
    meta = document.metadata
    assert (meta.asked_by, meta.minister, meta.date, meta.number) == (
        "Els Janssens",
        "minister Karel Wouters",
        "2031-03-04",
        "12 (2030-2031)",
    )


def test_name_and_colon_turns_with_the_minister_named_in_the_header():
    text = (
        "Commissievergadering op 5 mei 2031\n\nAan\nLies Maes (Minister van Werk)\n\n"
        "Jan De Smet:\nMinister, hoeveel meldingen kwamen er binnen?\n"
        "Lies Maes:\nEr kwamen 310 meldingen binnen.\n"
    )
    document = parse(text)
    assert [(s.speaker, s.speaker_role) for s in document.sections if s.speaker] == [
        ("Jan De Smet", "member"),
        ("Lies Maes", "minister"),
    ]
    assert document.metadata.asked_by == "Jan De Smet" and document.metadata.date == "2031-05-05"


def test_a_speaker_who_hands_the_floor_on_chairs():
    text = (
        "De heer Tom Aerts\n\nIk open de vergadering.\n\n"
        "Mevrouw Vos heeft het woord.\n\nMinister, wat is de stand?\n"
    )
    roles = [(s.speaker, s.speaker_role) for s in parse(text).sections if s.speaker]
    assert roles == [("De heer Tom Aerts", "chair"), ("Mevrouw Vos", "member")]


MESSY = """Vragen van het lid Joris Smet (N-VA) aan de minister van Werk (ingezonden 1 juni 2030).
Antwoord van Minister Goris (Werk) (ontvangen
8 juli 2030).
Vraag 1
Uw Kamer heeft via de motie van het lid De Kort1het kabinet verzocht om een plan. Hoe ver staat
dat plan, en wanneer wordt het
voorgesteld?2
Antwoord 1
Het plan is klaar en wordt in september voorgesteld aan de regering, na overleg met de
sociale partners.
- 3 -
Vraag 2
Hoeveel kost het?
Vraag 2
Hoeveel kost het?
Antwoord 2
Het plan kost 12 miljoen euro en wordt gefinanc"""


def test_messy_text_keeps_its_structure_and_loses_nothing():
    document = parse(MESSY)
    assert ("question", "1", ()) in outline(document) and ("answer", "1", ("1",)) in outline(document)
    assert ("answer", "2", ("2",)) in outline(document)  # a question printed twice still gets its answer
    assert document.metadata.date == "2030-07-08"  # a date broken over a line end
    assert document.section_text(document.sections[-1]).endswith("gefinanc")  # cut mid-word: kept
    assert_nothing_dropped(document)


def test_text_without_structure_gets_paragraphs_and_says_so():
    document = parse("Een nota over de arbeidsmarkt.\n\nDe werkloosheid daalt.\n\nDe vacatures stijgen.\n")
    assert document.genre is Genre.GENERIC and document.cues == ()
    assert [s.role for s in document.sections] == [Role.TEXT] * 3
    assert "geen structuur herkend" in structure_note(document.genre.value, document.cues)
    assert document_json(document)["cues"] == []


def test_the_parse_names_its_cues_for_show_and_the_ingest_report():
    document = parse(LABELLED)
    shown = document_json(document)
    assert shown["cues"] == list(document.cues) and shown["sections"][1]["role"] == "question"
    assert "vraag N" in structure_note(document.genre.value, document.cues)
    turns = document_json(parse(EXCHANGE))["sections"]
    assert {"speaker": "Minister Karel Wouters", "speaker_role": "minister"}.items() <= turns[4].items()


def test_the_structure_eval_judges_a_parse_against_its_manifest():
    entry = {
        "file": "test.txt",
        "genre": "written_question_answer",
        "numbered_questions": ["1", "2", "3"],
        "answers": {"1": ["1"], "2 en 3": ["2", "3"]},
        "asker": "Anna Peeters",
        "minister": "Van Leuven",
        "date": "14 april 2021",
    }
    assert check_document(entry, parse(LABELLED)).problems == []
    wrong = check_document(
        {**entry, "answers": {"1": ["1"], "2": ["2"]}, "date": "3 maart 2021"}, parse(LABELLED)
    )
    assert set(wrong.results) == {"questions", "answers", "asker", "minister", "date"}
    assert not wrong.results["answers"] and not wrong.results["date"] and wrong.results["asker"]


def test_the_lexicon_is_data_with_a_checked_shape():
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    assert lexicon_from(data).floor_phrases == tuple(data["floor_phrases"])
    with pytest.raises(ValueError, match="'answer_labels'"):
        lexicon_from({k: v for k, v in data.items() if k != "answer_labels"})
    with pytest.raises(ValueError, match="lowercase"):
        lexicon_from({**data, "question_labels": ["Vraag"]})


def test_the_bundled_documents_match_their_structure_manifest(corpus_dir):
    manifest = load_manifest(
        Path(__file__).resolve().parent.parent / "evals" / "sets" / "structure" / "bundled.jsonl"
    )
    assert sorted(entry["file"] for entry in manifest) == sorted(p.name for p in corpus_dir.glob("*.txt"))
    for entry in manifest:
        check = check_document(entry, segment(load(corpus_dir / entry["file"])))
        assert check.problems == [] and all(check.results.values()), entry["file"]
    assert sum(len(entry["numbered_questions"]) for entry in manifest) == 38


@pytest.mark.slow
def test_a_hit_on_a_members_turn_leads_to_the_ministers_answer(make_library, tmp_path):
    from index.indexer import ingest_paths

    path = tmp_path / "debat.txt"
    path.write_text(EXCHANGE, encoding="utf-8")
    library = make_library()
    ingest_paths(library, [path])
    hits = library.search("Wanneer verdwijnt de wachtlijst voor een traject?", k=3)
    assert hits[0].chunk.role is Role.ANSWER and "1200 mensen" in hits[0].chunk.text
    assert hits[0].via_question == "vraag 1"


def test_question_and_answer_lines_without_a_blank_line_between():
    text = (
        "Kamervraag 2031Z00002\n\nIndiener Bram Claes (CD&V)\n"
        " • Vraag 1\n    Kent u het bericht?\n    Ja.\n"
        " • Vraag 2\n    Hoeveel gemeenten doen mee?\n"
        "    Er doen 22 gemeenten mee.\n    Dat zijn er vier meer.\n"
    )
    document = parse(text)
    assert outline(document) == TWO_ANSWERED
    answer = [s for s in document.sections if s.role is Role.ANSWER][1]
    assert document.section_text(answer) == "Er doen 22 gemeenten mee.\n    Dat zijn er vier meer."


def test_a_last_question_cut_off_by_the_excerpt_is_still_a_question():
    text = LIST + "\n3\n\nKunt u aangeven hoeveel deelnemers"
    assert ("question", "3", ()) in outline(parse(text))


def test_a_committee_named_above_an_exchange_is_not_its_asker():
    text = (
        "Commissie voor Werk, Economie en Sociale Economie\nVergadering van 3 juni 2031\n"
        "Vraag van Ines Peeters aan Jan Aerts (Minister van Werk)\n\n"
        "Ines Peeters:\nMinister, hoeveel trajecten liepen er?\nJan Aerts:\nEr liepen 310 trajecten.\n"
    )
    meta = parse(text).metadata
    assert (meta.asked_by, meta.minister, meta.date) == (
        "Ines Peeters",
        "Jan Aerts (Minister van Werk)",
        "2031-06-03",
    )


RESTARTING = """Begeleiding van doelgroepwerknemers

1. Hoe verloopt de begeleiding?
a) Hoeveel begeleiders zijn er?
b) Hoeveel uren per week?
c) Wie betaalt hen?
2. Wat is de wachttijd?
3. Hoe lang duurt een traject?

1. a+c) Er zijn 40 begeleiders, betaald door het agentschap.
b) Gemiddeld vier uur per week.
2-3. De wachttijd is drie maanden; een traject duurt een jaar.
"""


def test_lettered_sub_questions_and_combined_answers_where_the_numbering_restarts():
    document = parse(RESTARTING)
    assert [s.number for s in document.sections if s.role is Role.QUESTION] == [
        "1",
        "1a",
        "1b",
        "1c",
        "2",
        "3",
    ]
    assert [s.answers for s in document.sections if s.role is Role.ANSWER] == [
        ("1a", "1c"),
        ("1b",),
        ("2", "3"),
    ]
    assert "nummering herstart bij het antwoord" in document.cues
