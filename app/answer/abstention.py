"""Abstention on unknown topics: the question's topic words that the corpus never uses (even as a
typo, inflection or compound part) mean the corpus does not answer it."""

from __future__ import annotations

import re

from ingest.textutil import DUTCH_MONTHS

from .extract import FRAME_WORDS, TermWeights
from .figure_terms import content_stems, strip_slots
from .figures import NUMBER_WORDS

INTERROGATIVES = frozenset(
    "wie wat wanneer waarom waar hoe hoelang hoeveel welk welke".split()
)  # "van wanneer", "tot wanneer"
SUBJECT_LEADS = frozenset("de het een er men u je ze zij hij we wij dat die dit deze".split())
TOPIC_LEADS = frozenset(
    "de het een van over bij voor in op met naar welke welk hoeveel zijn haar hun geen om via door uit tot "
    "tijdens na onder zonder".split()
)
# After these "het" is a clause's subject and the word after it its verb: "als het klikt", "waarin het begon"
CLAUSE_STARTS = frozenset(
    "als dat of omdat wanneer waarin waarbij waardoor indien zodat toen terwijl nadat voordat zodra".split()
)


# Words about the documents themselves, not their topic: a corpus need not print them
DOCUMENT_WORDS = frozenset(
    content_stems(
        "brief nummer datum dag schriftelijke vraag vraagsteller adviesvraag advies ondertekenaar "
        "contactpersoon afzender parlementslid volksvertegenwoordiger kamerlid indiener "
        "studie rapport onderzoek nota publicatie document bron tabel bijlage voetnoot auteur schrijver "
        "titel thema deelvraag subvraag afkorting afkortingen inleiding alinea paragraaf "
        + " ".join(DUTCH_MONTHS)
        + " jan feb mrt apr jun jul aug sep sept okt nov dec"
    )
)
# Numbers written as words ("de twaalf projecten") count things; they name no topic
COUNT_WORDS = frozenset(content_stems(" ".join(NUMBER_WORDS)))
# Adjectives that place or compare a thing ("zijn vroegere werkgever"), not name a topic
PLAIN_ADJECTIVES = frozenset(
    content_stems(
        "vroegere huidige nieuwe oude gemiddelde vorige eerste tweede derde vierde vijfde laatste andere "
        "zelfde eigenlijke echte werkelijke"
    )
)


def topic_stems(question: str) -> set[str]:
    """The stems of the question's topic words: words after an article, a preposition or
    "welke" ("de kinderbijslag", "welke sancties") and names written with a capital ("Brugge"), not its
    verbs ("wie ondertekende") nor words about the documents themselves ("de brief", "het nummer")."""
    words = re.findall(r"[\w-]+", question.lower())
    led = {
        stem
        for before, lead, word, after in zip(["", *words], words, words[1:], [*words[2:], ""])
        if lead in TOPIC_LEADS
        and word not in TOPIC_LEADS
        and word not in INTERROGATIVES
        and not (lead == "hoeveel" and after in SUBJECT_LEADS)  # "hoeveel bedraagt de ...": a verb
        and not (lead == "het" and before in CLAUSE_STARTS)
        for stem in content_stems(word)
    }
    named = {
        stem for word in re.findall(r"(?<=\s)[A-ZÀ-Ý][\w-]*", question) for stem in content_stems(word)
    }  # "de stad Brugge"
    predicate = {
        stem for word in PREDICATE_RE.findall(question) for stem in content_stems(word)
    }  # "... waren laaggeschoold?"
    return (
        (led | named | predicate | _asked_degree(question))
        - DOCUMENT_WORDS
        - FRAME_WORDS
        - PLAIN_ADJECTIVES
        - COUNT_WORDS
    )


# "Hoeveel doorstromers waren laaggeschoold?": the word a copula ends the question with says what is counted
# (in a "hoeveel" question only: "Welke artikelen worden gewijzigd?" asks about the articles)
PREDICATE_RE = re.compile(
    r"^\W*hoeveel\b.*\b(?:is|zijn|was|waren|wordt|worden|werd|werden)\s+([^\W\d][\w-]*)\s*\?*\s*$", re.I
)
# "Hoe tevreden zijn werkgevers ...?": the adjective after "hoe" before a copula is what is asked about
HOW_ADJECTIVE_RE = re.compile(
    r"^\W*hoe\s+(?!(?:hoog|hoge|laag|lage|groot|klein|kort|lang|zwaar|duur|veel|weinig|"
    r"ver)\b)([^\W\d]+)\s+(?:is|zijn|was|waren)\b",
    re.I,
)  # not an adjective of size ("Hoe hoog is de richtprijs?" asks a figure)


def _asked_degree(question: str) -> set[str]:
    match = HOW_ADJECTIVE_RE.search(question)
    return content_stems(match.group(1)) if match else set()


# A call, project or article named by its number ("oproep 512", "art. 9")
NAMED_NUMBER_RE = re.compile(r"\b((?:esf-)?oproep|project|art\.|artikel)\s*(\d+)\b", re.IGNORECASE)


def unknown_topics(question: str, weights: TermWeights) -> list[str]:
    """The question's topic stems the corpus never uses, even as a typo, inflection or compound
    part, and the calls, projects and articles it names by a number the corpus never uses."""
    stems = sorted(s for s in topic_stems(question) if not weights.known(s))
    return stems + unknown_named_numbers(question, weights)


def unknown_named_numbers(question: str, weights: TermWeights) -> list[str]:
    """The calls, projects and articles the question names by a number the corpus never uses: like a year
    no document has, they say the corpus does not answer it."""
    return [
        f"{name.lower()} {number}"
        for name, number in NAMED_NUMBER_RE.findall(question)
        if number not in weights.frequency
    ]


def unknown_reason(question: str, unknown: list[str]) -> str:
    """The abstention's reason for the user, naming the question's words as written ("Duitstalige"),
    not their stems ("duitstal"); a named call or article as "oproep 610"."""
    words = [w for w in re.findall(r"[\w-]+", question) if not set(content_stems(w)).isdisjoint(unknown)]
    named = [u for u in unknown if " " in u]
    return (
        f"De documenten spreken niet over: {', '.join(dict.fromkeys(words + named)) or ', '.join(unknown)}."
    )


def unknown_beside_slots(question: str, weights: TermWeights) -> list[str]:
    """The unknown topics of a figure question but for its slot terms ("60-plussers", "Henegouwen"),
    which the figure lookup reads itself."""
    slot_stems = content_stems(question) - content_stems(strip_slots(question))
    return [stem for stem in unknown_topics(question, weights) if stem not in slot_stems]
