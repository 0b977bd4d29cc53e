"""Sentences of a document, as character spans: what an extractive answer is made of.

Prose is split at sentence ends, at blank lines that end a sentence or start a new one
(PDF text also puts blank lines inside sentences), before list items and around a web
address on its own line; metadata,
signatures and tables are split into lines. Both the index (which embeds prose
sentences) and the answerer (which scores them) split with this one module, so their
spans are the same.
"""

from __future__ import annotations

import re

from .model import Document, Role

ABBREVIATIONS = {
    "art",
    "nr",
    "max",
    "min",
    "bv",
    "vb",
    "o.a",
    "t.a.v",
    "e.a",
    "enz",
    "incl",
    "resp",
    "ca",
    "dhr",
    "mevr",
    "vs",
    "nl",
    "m.b.t",
    "i.p.v",
}
BOUNDARY_RE = re.compile(
    # a web address on its own line (a footnote's link) stands alone
    r"https?://\S+[ \t]*\n|\n(?=[ \t]*https?://)"
    r"|[.!?](?=\s+[\"“(]?[A-ZÀ-Ý0-9])"  # end of a sentence
    # a blank line after a sentence or before a new one
    r"|(?<=[.!?:;])[ \t]*\n\s*\n|\n\s*\n(?=\s*[A-ZÀ-Ý0-9•-])"
    r"|\n(?=\s*(?:[a-z](?:[+-][a-z])*\)|\d+\.\s|-\s|•))"  # a list item
)
LINE_ROLES = frozenset({Role.METADATA, Role.SIGNATURE, Role.TABLE})
MIN_EMBEDDED_WORDS = 4
MAX_EMBEDDED_CHARS = 600
LINE_END_HYPHEN_RE = re.compile(r"(?<=\w)-[ \t]*\n\s*(?=\w)")  # "niet-\nresultaatgericht"


def one_line(text: str) -> str:
    """A passage as one line for display: PDF lines joined with a space, except a hyphen
    that ends a line, which joins its compound ("niet-resultaatgericht", "LDE-decreet")."""
    return " ".join(LINE_END_HYPHEN_RE.sub("-", text).split())


def split(text: str, start: int, end: int, by_lines: bool) -> list[tuple[int, int]]:
    """Spans of the sentences (or lines) of text[start:end], stripped of surrounding whitespace."""
    body = text[start:end]
    cuts = [0]
    if by_lines:
        cuts += [m.end() for m in re.finditer(r"\n", body)]
    else:
        for match in BOUNDARY_RE.finditer(body):
            if match.group().startswith((".", "!", "?")) and _ends_in_abbreviation(body[: match.start()]):
                continue
            cuts.append(match.end())
    cuts.append(len(body))
    spans = []
    for a, b in zip(cuts, cuts[1:]):
        piece = body[a:b]
        stripped = piece.strip()
        if len(stripped) < 3:
            continue
        lead = len(piece) - len(piece.lstrip())
        spans.append((start + a + lead, start + a + lead + len(stripped)))
    return spans


def _ends_in_abbreviation(before: str) -> bool:
    """An abbreviation ("bv.", "art.") or a person's initial ("Havermans, N. (2021)") ends no sentence."""
    word = re.search(r"([\w.]+)$", before)
    return bool(word) and (
        word.group(1).lower().rstrip(".") in ABBREVIATIONS
        or bool(re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", word.group(1)))
    )


def text_sentences(document: Document, start: int, end: int) -> list[tuple[int, int]]:
    """The prose sentences of document.text[start:end], split also where a table printed in it
    ends, so that no sentence starts among a table's rows. (Not where a table starts: its
    caption is often the end of the sentence before it.)"""
    cuts = sorted({start, end} | {t.end for t in document.tables if start < t.end < end})
    return [span for a, b in zip(cuts, cuts[1:]) for span in split(document.text, a, b, by_lines=False)]


def prose_sentences(document: Document) -> list[tuple[int, int]]:
    """The sentences worth a vector: prose sections, outside tables, at least a few words."""
    tables = [(t.start, t.end) for t in document.tables]
    found = []
    for section in document.sections:
        if section.role in LINE_ROLES:
            continue
        for start, end in text_sentences(document, section.start, section.end):
            if any(a <= start < b for a, b in tables) or end - start > MAX_EMBEDDED_CHARS:
                continue
            if len(document.text[start:end].split()) >= MIN_EMBEDDED_WORDS:
                found.append((start, end))
    return found
