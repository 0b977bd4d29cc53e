"""Dutch retrieval with the real model over the real corpus (hybrid: e5 vectors + BM25)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

# (question as staff would type it, source prefix, section label that answers it)
QUESTIONS = [
    ("Wie ondertekende het SERV-advies als administrateur-generaal?", "004", "ondertekening"),
    ("Welke richtprijs per individueel doorstroomtraject wordt voortaan gehanteerd?", "004", "advies 3"),
    (
        "Wat vraagt de Commissie Sociale Economie over de externe doorstroomtrajecten tijdens corona?",
        "003",
        "brief",
    ),
    ("Waarom telt enclavewerking niet als doorstroom?", "002", "antwoord 9"),
    ("Hoeveel toeleidingen naar trajecten waren er voor oproep 432 per provincie?", "002", "antwoord 4"),
    ("Welke nazorg krijgt een doorgestroomde werknemer bij de nieuwe werkgever?", "002", "antwoord 8a"),
    ("terugvalpositie na doorstroom uit collectief maatwerk binnen 18 maanden", "000", "antwoord 5"),
    ("Welke impact had de coronacrisis op de doorstroomtrajecten?", "000", "antwoord 4"),
    ("Hoeveel overgangen SEC-NEC-SEC waren er sinds 2018?", "001", "antwoord 4"),
    ("aantal screeningen met oog op doorstroom per provincie in 2023", "001", "antwoord 3"),
    ("Zijn er gegevens over de redenen van stopzetting van trajecten?", "001", "antwoord 2c"),
    ("Wat zijn de resultaten van de proeftuinen doorstroom uit 2017?", "001", "antwoord 5"),
]


@pytest.fixture(scope="module")
def library(corpus_library):
    return corpus_library


def ranks(library):
    found = []
    for question, source, section in QUESTIONS:
        hits = library.search(question, k=3)
        labels = [(h.chunk.source[:3], h.chunk.section) for h in hits]
        found.append(labels.index((source, section)) + 1 if (source, section) in labels else None)
    return found


def test_the_answering_section_ranks_first(library):
    found = ranks(library)
    misses = [q for (q, _, _), rank in zip(QUESTIONS, found) if rank is None]
    assert not misses, f"not in the top 3: {misses}"
    assert sum(rank == 1 for rank in found) >= 9, found  # measured: 10 of 12 at rank 1


def test_an_answer_is_found_by_its_question_wording(library):
    # the question text travels with the answer chunk: asking in the question's words finds the answer
    hits = library.search(
        "Hoeveel mensen werden gescreend door VDAB met het oog op doorstroom naar het NEC in 2023?", k=3
    )
    assert ("001", "antwoord 3") in [(h.chunk.source[:3], h.chunk.section) for h in hits]


def test_a_prose_search_ranks_no_table_rows(library):
    # rows such as "2 2" carry the table's caption and crowd prose out of a question answered in prose
    skipped = frozenset({"table_row", "table_head"})
    hits = library.search("Hoe meet men duurzame doorstroom?", k=10, skip_kinds=skipped)
    assert len(hits) == 10 and not [h.chunk.kind for h in hits if h.chunk.kind in skipped]


def test_a_long_passage_is_found_by_its_one_answering_sentence(library):
    # the passage's vector is diluted by its tables and other sentences; its sentence's is not
    query = library.embedder.embed_query("Welk voordeel heeft de nieuwe meetmethode voor doorstroom?")
    chunks = library.sentence_search(query, k=3)
    assert any("effectieve doorstroommoment" in c.text for c in chunks), [
        (c.source, c.section) for c in chunks
    ]
    assert all(c.kind == "passage" and c.role.value != "question" for c in chunks)
