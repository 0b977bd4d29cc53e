"""Structure from general cues, composed: numbered questions and answers in any of their printed
forms (`ingest/numbered.py`), speaker turns (`ingest/turns.py`) and the metadata the opening prints
(`ingest/header.py`). Used for every text that none of the layout parsers of the bundled genres
recognises. What the genre is follows from the cues found; the cues are kept on the document, so
that `vraagbaak show` and the ingest report say what the parse rested on.
"""

from __future__ import annotations

from dataclasses import dataclass

from .header import Header, read_header
from .model import Genre, Metadata, Role, Section
from .numbered import from_labels, from_numbers, inline_numbered
from .textutil import trim_span
from .turns import turn_sections

HEADER_CHARS = 2000  # where no question or turn is found, the opening read for metadata


@dataclass(frozen=True)
class CueStructure:
    genre: Genre
    metadata: Metadata
    sections: list[Section]  # empty: no structure recognised
    cues: tuple[str, ...]


def parse_by_cues(text: str) -> CueStructure:
    numbered = from_labels(text) or from_numbers(text) or inline_numbered(text)
    if numbered and numbered.sections:
        header = read_header(text[: numbered.sections[0].start])
        genre = Genre.WRITTEN_QUESTION if header.askers or header.ministers else Genre.QUESTION_AND_ANSWER
        sections = _with_opening(text, numbered.sections)
        return CueStructure(genre, _metadata(header), sections, (*numbered.cues, *header.cues))
    header = read_header(text[:HEADER_CHARS])
    turns = turn_sections(text, list(header.ministers))
    if turns:
        header = read_header(text[: turns[0].start])
        askers = header.askers or _speakers(turns, "member")
        ministers = header.ministers or _speakers(turns, "minister")
        metadata = _metadata(Header(askers, ministers, header.date, header.number))
        return CueStructure(
            Genre.EXCHANGE, metadata, _with_opening(text, turns), ("heeft het woord / spreker", *header.cues)
        )
    return CueStructure(Genre.GENERIC, _metadata(header), [], header.cues)


def _speakers(sections: list[Section], role: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.speaker for s in sections if s.speaker and s.speaker_role == role))


def _metadata(header: Header) -> Metadata:
    return Metadata(
        number=header.number,
        date=header.date,
        asked_by="; ".join(header.askers) or None,
        minister="; ".join(header.ministers) or None,
    )


def _with_opening(text: str, sections: list[Section]) -> list[Section]:
    """The sections, after the text before the first of them as the document's opening."""
    start, end = trim_span(text, 0, sections[0].start)
    opening = [Section(Role.METADATA, start, end, heading="kop")] if end > start else []
    return opening + sections
