"""Metadata filters a question names: a year, a parliamentary question number, a genre.

A filter narrows the search to the documents that match it; when a question names
a filter and no document matches, the corpus cannot answer it (the answerer then
abstains instead of answering from another year or another question).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from ingest.model import Document, Genre

from .figure_terms import FUND_RE, YEAR_RE

QUESTION_NUMBER_RE = re.compile(
    r"\b(?:schriftelijke\s+vraag|parlementaire\s+vraag|vraag)\s*(?:nr\.?|nummer)\s*(\d{2,5})\b"
    r"|\bschriftelijke\s+vraag\s+(\d{2,5})\b"
    r"|\bnr\.?\s*(\d{2,5})\b",
    re.IGNORECASE,
)
SERV_RE = re.compile(r"\bserv\b|\bcommissie sociale economie\b", re.IGNORECASE)
ADVICE_RE = re.compile(r"\badvie(?:s|zen)\b", re.IGNORECASE)
# "volgens het SERV-advies", "in het antwoord": words that say where something is printed, not what it says
SOURCE_NAMED_RE = re.compile(
    r"\b(?:volgens|in|uit) (?:de |het |dit |deze )?(?:serv-advies|serv|advies|minister|antwoord|brief|"
    r"commissie(?: sociale economie)?"
    r"|sociale partners|vraagsteller)\b",
    re.I,
)
PARLIAMENT_RE = re.compile(r"\bschriftelijke vra(?:ag|gen)\b|\bparlementaire vra(?:ag|gen)\b", re.IGNORECASE)

SERV_GENRES = frozenset({Genre.SERV_LETTER, Genre.SERV_ADVICE})
PARLIAMENT_GENRES = frozenset({Genre.WRITTEN_QUESTION, Genre.QUESTION_AND_ANSWER, Genre.PARTIAL_ANSWER})


@dataclass(frozen=True)
class QueryFilters:
    years: frozenset[str] = frozenset()
    question_numbers: frozenset[str] = frozenset()
    genres: frozenset[Genre] = frozenset()  # empty: any genre

    @property
    def empty(self) -> bool:
        return not (self.years or self.question_numbers or self.genres)

    def describe(self) -> str:
        """In Dutch, for the user: what the question asked for."""
        parts = []
        if self.question_numbers:
            parts.append("vraag nr. " + ", ".join(sorted(self.question_numbers)))
        if self.years:
            parts.append("het jaar " + ", ".join(sorted(self.years)))
        if self.genres == SERV_GENRES:
            parts.append("SERV-documenten")
        elif self.genres == {Genre.SERV_ADVICE}:
            parts.append("SERV-adviezen")
        elif self.genres == PARLIAMENT_GENRES:
            parts.append("parlementaire vragen")
        return " en ".join(parts)


def parse_filters(question: str) -> QueryFilters:
    numbers = {next(g for g in m.groups() if g) for m in QUESTION_NUMBER_RE.finditer(question)}
    lowered = " ".join(question.lower().split())
    fund_years = {m.group(2) for m in FUND_RE.finditer(lowered)}
    years = {y for y in YEAR_RE.findall(lowered) if y not in fund_years} | fund_years
    genres: frozenset[Genre] = frozenset()
    if ADVICE_RE.search(question):
        genres = frozenset({Genre.SERV_ADVICE})
    elif SERV_RE.search(question):
        genres = SERV_GENRES
    elif PARLIAMENT_RE.search(question) or numbers:
        genres = PARLIAMENT_GENRES
    return QueryFilters(frozenset(years), frozenset(numbers), genres)


def matching_sources(
    filters: QueryFilters, documents: Iterable[Document], years: Mapping[str, frozenset[str]]
) -> set[str] | None:
    """The sources that satisfy every filter; None when the question names none. `years`: the
    years each document mentions (`mentioned_years`, derived once per document)."""
    if filters.empty:
        return None
    listed = list(documents)
    found = {d.source for d in listed if _matches(filters, d, years)}
    if not found and filters.genres and (filters.years or filters.question_numbers):
        # the genre is read from the question's wording ("het advies"); a document of another genre
        # that has the year or number asked still answers ("het advies van de Raad van State")
        found = {d.source for d in listed if _matches(replace(filters, genres=frozenset()), d, years)}
    return found


def mentioned_years(document: Document) -> frozenset[str]:
    """The years a document's text mentions, and the year of its date."""
    return frozenset(YEAR_RE.findall(document.text)) | {(document.metadata.date or "")[:4]}


def _matches(filters: QueryFilters, document: Document, years: Mapping[str, frozenset[str]]) -> bool:
    if filters.genres and document.genre not in filters.genres:
        return False
    if filters.question_numbers and document.metadata.number not in filters.question_numbers:
        return False
    return not filters.years or filters.years <= years[document.source]
