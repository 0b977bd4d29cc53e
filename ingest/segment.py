"""`segment(raw) -> Document`: recover genre, title, metadata and sections.

Each genre has its own parser; they are tried from the most to the least
specific, and a text none of them recognises gets the generic paragraph parse.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from .model import Document, Genre, Metadata, RawDocument, Role, Section, Table
from .questions import parse_parliamentary
from .serv import parse_serv_advice, parse_serv_letter
from .tables import extract_tables
from .textutil import trim_span

PARAGRAPH_RE = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def segment(raw: RawDocument) -> Document:
    if raw.format in ("xlsx", "csv"):
        return _spreadsheet(raw)
    text = raw.text
    parsed = parse_serv_advice(text) or parse_parliamentary(text) or parse_serv_letter(text)
    if parsed is None:
        genre, title, metadata, sections = Genre.GENERIC, _first_line(text), Metadata(), _paragraphs(text)
    else:
        genre, title, metadata, sections = parsed.genre, parsed.title, parsed.metadata, parsed.sections
    document = Document(
        source=raw.source,
        text=text,
        genre=genre,
        title=title or raw.source,
        metadata=metadata,
        sections=tuple(sections),
        tables=_place_tables(raw.tables, sections),
        content_hash=content_hash(text),
    )
    if raw.format in ("txt", "md"):  # flattened text: rebuild its tables from the runs of numbers
        document = replace(document, tables=extract_tables(document))
    return document


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
