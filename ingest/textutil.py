"""Small text helpers shared by the segmenters: lines with offsets, paragraphs, Dutch dates."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Role, Section

DUTCH_MONTHS = {
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "augustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
DATE_RE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(DUTCH_MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)
# A person's name as printed: capitalised words and the particles between them ("Kathleen Van
# Brempt", "Paul de Krom", "Van ’t Wout")
NAME_WORD = r"(?:[A-ZÀ-Ý][\w'’.-]*|van|de|der|den|ter|ten|te|'t|’t|von|le|la|du|d')"
PERSON_NAME = rf"[A-ZÀ-Ý][\w'’.-]*(?:\s+{NAME_WORD}){{0,5}}"
URL_RE = re.compile(r"https?://[^\s<>\")\]]+")


@dataclass(frozen=True)
class Line:
    start: int  # offset of the first character of the line
    end: int  # offset just past the last character (newline excluded)
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        lines.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return lines


def first_text_line(lines: list[Line], start: int) -> int:
    """The index of the first non-blank line from `start` on; len(lines) when there is none."""
    i = start
    while i < len(lines) and lines[i].blank:
        i += 1
    return i


def has_text(lines: list[Line], first: int, end: int) -> bool:
    return any(not lines[i].blank for i in range(first, end))


def dutch_date_to_iso(text: str) -> str | None:
    match = DATE_RE.search(text)
    if not match:
        return None
    day, month, year = int(match.group(1)), DUTCH_MONTHS[match.group(2).lower()], int(match.group(3))
    return f"{year:04d}-{month:02d}-{day:02d}"


def iso_to_dutch_date(iso: str) -> str:
    """ "2024-02-02" -> "2 februari 2024", as the documents print dates."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{day} {list(DUTCH_MONTHS)[month - 1]} {year}"


def name_case(name: str) -> str:
    """'ALLESSIA CLAES' -> 'Allessia Claes'; mixed-case names are kept as written."""
    name = " ".join(name.split())
    if name.isupper():
        return " ".join(
            part.capitalize() if part.lower() not in {"van", "de", "der", "den"} or i == 0 else part.lower()
            for i, part in enumerate(name.split())
        )
    return name


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def unique_links(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for match in URL_RE.finditer(text):
        seen.setdefault(match.group(0).rstrip(".,;"), None)
    return tuple(seen)


def line_span(text: str, lines: list[Line], first: int, end: int) -> tuple[int, int]:
    """Offsets of lines[first:end] in `text`, without surrounding whitespace."""
    start = lines[first].start if first < len(lines) else len(text)
    stop = lines[end - 1].end if end > first else start
    return trim_span(text, start, stop)


def lines_section(text: str, lines: list[Line], first: int, end: int, role: Role, **fields) -> Section:  # type: ignore[no-untyped-def]
    """The section of role `role` over lines[first:end], without surrounding whitespace; `fields`
    are the section's number, answers, heading."""
    start, stop = line_span(text, lines, first, end)
    return Section(role, start, stop, **fields)
