"""`segment(raw) -> Document`: recover genre, title, metadata and sections.

The layouts of the bundled genres have their own parsers, tried from the most to the least
specific; any other text is parsed from general cues (`ingest/cues.py`: numbered questions and
answers in their printed forms, speaker turns, metadata), and a text without any gets the generic
paragraph parse, with the metadata its opening prints.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from .cues import parse_by_cues
from .model import Document, Genre, RawDocument, Role, Section, Table
from .pipe_tables import pipe_tables
from .questions import parse_parliamentary
from .serv import parse_serv_advice, parse_serv_letter
from .tables import extract_tables
from .textutil import trim_span

# What the layout parsers of the bundled genres rest on, as `vraagbaak show` names it
LAYOUT_CUES = {
    Genre.WRITTEN_QUESTION: ("kop met vraagnummer", "genummerde deelvragen", "ANTWOORD-kop"),
    Genre.QUESTION_AND_ANSWER: ("genummerde deelvragen", "nummering herstart bij het antwoord"),
    Genre.PARTIAL_ANSWER: ("genummerde deelvragen", "nummering herstart", "antwoord begint halverwege"),
    Genre.SERV_ADVICE: ("ADVIES-kop", "sleutel/waarde-blok", "genummerde aanbevelingen"),
    Genre.SERV_LETTER: ("aanhef en slotformule", "ondertekening"),
}
PARAGRAPH_RE = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def segment(raw: RawDocument) -> Document:
    if raw.format in ("xlsx", "csv"):
        return _spreadsheet(raw)
    text = raw.text
    parsed = parse_serv_advice(text) or parse_parliamentary(text) or parse_serv_letter(text)
    if parsed is not None:
        genre, title, metadata, sections = parsed.genre, parsed.title, parsed.metadata, parsed.sections
        cues = LAYOUT_CUES[genre]
    else:
        by_cues = parse_by_cues(text)
        genre, title, metadata, cues = by_cues.genre, _first_line(text), by_cues.metadata, by_cues.cues
        sections = by_cues.sections or _paragraphs(text)
    document = Document(
        source=raw.source,
        text=text,
        genre=genre,
        title=title or raw.source,
        metadata=metadata,
        sections=tuple(sections),
        tables=_place_tables(raw.tables, sections),
        content_hash=content_hash(text),
        cues=tuple(cues),
    )
    if raw.format in ("txt", "md"):  # pipe tables as printed; flattened ones rebuilt from runs of numbers
        piped = pipe_tables(document)
        rebuilt = [t for t in extract_tables(document) if not any(_overlap(t, p) for p in piped)]
        document = replace(document, tables=tuple(sorted((*piped, *rebuilt), key=lambda t: t.start)))
    return document


def _overlap(a: Table, b: Table) -> bool:
    return a.start < b.end and b.start < a.end


def _spreadsheet(raw: RawDocument) -> Document:
    sections = tuple(
        Section(Role.TABLE, t.start, t.end, number=str(i), heading=t.caption)
        for i, t in enumerate(raw.tables, 1)
    )
    return Document(
        source=raw.source,
        text=raw.text,
        genre=Genre.SPREADSHEET,
        title=raw.source,
        sections=sections,
        tables=_place_tables(raw.tables, list(sections)),
        content_hash=content_hash(raw.text),
    )


def _place_tables(
    tables: tuple[Table, ...], sections: list[Section] | tuple[Section, ...]
) -> tuple[Table, ...]:
    """Stamp each table with the label of the section it lies in."""
    placed = []
    for table in tables:
        home = next((s for s in sections if s.start <= table.start < s.end), None)
        placed.append(replace(table, section=home.label) if home else table)
    return tuple(placed)


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:200]


def _paragraphs(text: str) -> list[Section]:
    """Generic parse: one TEXT section per run of non-blank lines."""
    sections: list[Section] = []
    for match in PARAGRAPH_RE.finditer(text):
        start, end = trim_span(text, match.start(), match.end())
        sections.append(Section(Role.TEXT, start, end, number=str(len(sections) + 1)))
    return sections
