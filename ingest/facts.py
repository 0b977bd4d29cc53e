"""Facts: a document's metadata values (who asked, who signed, when) with where its text prints them.

A fact's `document.text[start:end]` is the value as printed ("ALLESSIA CLAES",
"2 februari 2024", "Danny Van Assche  \\nvoorzitter"), so an answer from metadata is
cited from exact offsets like any other. A value the text does not print is no fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Document
from .textutil import DUTCH_MONTHS

# Key/value metadata (SERV advice) that answers who or when: key -> (field, label shown)
KEYED_FIELDS = {
    "adviesvrager": ("asker", "adviesvrager"),
    "ontvangst adviesvraag": ("received", "ontvangst adviesvraag"),
    "goedkeuring raad": ("approved", "goedkeuring raad"),
    "contactpersoon": ("contact", "contactpersoon"),
    "afzender": ("sender", "afzender"),
}


@dataclass(frozen=True)
class Fact:
    source: str
    # asker, minister, date, number, theme, title, signatory, received, approved, contact, sender, keyed (any
    # other key)
    field: str
    label: str  # in Dutch, as the answer names it: "vraagsteller", "voorzitter", "datum"
    value: str  # as the metadata holds it; a date as printed
    start: int
    end: int


def facts(document: Document) -> list[Fact]:
    """The document's metadata facts that its text prints, in document order."""
    meta = document.metadata
    found: list[Fact | None] = []
    if meta.asked_by:
        found.append(_fact(document, "asker", "vraagsteller", meta.asked_by))
    if meta.minister:
        found.append(_fact(document, "minister", "minister", meta.minister))
    if meta.number:
        found.append(
            _fact(document, "number", "nummer", meta.number, rf"\bnr\.?\s*{re.escape(meta.number)}\b")
        )
    if meta.date:
        found.append(_fact(document, "date", "datum", meta.date, _date_pattern(meta.date)))
    if meta.theme:  # "Sociale economie, Werk": one theme a line after "thema:", each a fact
        after = _find(document.text, r"\bthema:")
        for theme in meta.theme.split(", "):
            fact = _fact(document, "theme", "thema", theme, after=after)
            found.append(fact)
            after = fact.end if fact else after
    if document.title:
        found.append(_fact(document, "title", "titel", " ".join(document.title.split())))
    for signatory in meta.signatories:
        name, function = _name_and_function(signatory)
        found.append(_signatory(document, name, function))
    for key, value in meta.extra:
        field, label = KEYED_FIELDS.get(
            key.lower(), ("keyed", key.lower())
        )  # "keyed": asked by naming its key
        found.append(_fact(document, field, label, _plain(value), after=_find(document.text, _words(key))))
    return sorted((f for f in found if f is not None), key=lambda f: f.start)


def _fact(
    document: Document, field: str, label: str, value: str, pattern: str | None = None, after: int = 0
) -> Fact | None:
    match = re.compile(pattern or _words(value), re.IGNORECASE).search(document.text, max(after, 0))
    if match is None:
        return None
    shown = " ".join(match.group().split()) if field == "date" else value
    return Fact(document.source, field, label, shown, match.start(), match.end())


def _signatory(document: Document, name: str, function: str | None) -> Fact | None:
    """A signatory's name, through its function where that is printed just after it."""
    fact = _fact(document, "signatory", function or "ondertekenaar", name)
    if fact is None or function is None:
        return fact
    match = re.compile(r"\W{0,20}" + _words(function), re.IGNORECASE).match(document.text, fact.end)
    return Fact(
        fact.source, fact.field, fact.label, fact.value, fact.start, match.end() if match else fact.end
    )


def _name_and_function(signatory: str) -> tuple[str, str | None]:
    """ "Danny Van Assche (voorzitter)" -> ("Danny Van Assche", "voorzitter")."""
    match = re.fullmatch(r"\s*(.*?)\s*\(([^)]*)\)\s*", signatory)
    return (match.group(1), match.group(2)) if match else (signatory.strip(), None)


def _plain(value: str) -> str:
    """The value without an e-mail address ("Nele Vanheeswijck nvanheeswijck@serv.be")."""
    return " ".join(re.sub(r"\S+@\S+", " ", value).split())


def _words(value: str) -> str:
    """A pattern for the value's words with any whitespace between them (PDF lines break anywhere)."""
    return r"\s+".join(re.escape(word) for word in value.split())


def _find(text: str, pattern: str) -> int:
    match = re.compile(pattern, re.IGNORECASE).search(text)
    return match.end() if match else 0


def _date_pattern(iso: str) -> str:
    """ "2024-02-02" as printed: "2 februari 2024", or "02/02/2024"."""
    year, month, day = (int(part) for part in iso.split("-"))
    return rf"\b0?{day}\s+{list(DUTCH_MONTHS)[month - 1]}\s+{year}\b|\b0?{day}/0?{month}/{year}\b"
