"""Structure of parliamentary written questions: header, introduction, numbered
sub-questions, the answer and which answer section answers which sub-question.

Handles three layouts seen in the corpus:
- a header (`title:`, `SCHRIFTELIJKE VRAAG nr. N van NAME`, `datum:`, the minister)
  and an `ANTWOORD op vraag nr. N ...` heading before the answer;
- no header: the question, then the answer whose numbering restarts at 1;
- an older question whose answer text begins mid-way (its first part is lost):
  the answer is found where the numbering restarts, and the text before it is a
  fragment of the previous answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .model import Genre, Metadata, Role, Section
from .numbering import Marker, parse_marker
from .textutil import (
    Line,
    dutch_date_to_iso,
    first_text_line,
    has_text,
    lines_section,
    name_case,
    split_lines,
)

HEADER_KEY_RE = re.compile(r"^\s*(title|titel|thema|pdf link|thema link|datum)\s*:\s*(.*)$", re.IGNORECASE)
ANSWER_HEADING_RE = re.compile(r"^\s*ANTWOORD\s*$")
ANSWER_REF_RE = re.compile(r"^\s*op vraag nr\.?\s*(\d+)\s+van\s+(.+?)\s*$", re.IGNORECASE)
REQUEST_START_RE = re.compile(r"^\s*(graag|gelieve)\b", re.IGNORECASE)


@dataclass
class ParliamentaryStructure:
    genre: Genre
    title: str
    metadata: Metadata
    sections: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class _Item:
    line: int  # index into lines
    marker: Marker
    number: int  # the question number this item belongs to
    letters: tuple[str, ...]


def parse_parliamentary(text: str) -> ParliamentaryStructure | None:
    """The structure of a written question with its answer, or None if `text` is not one."""
    lines = split_lines(text)
    header = _parse_header(lines)
    body_start = header.end_line if header else _skip_title(lines)
    heading = _find_answer_heading(lines, body_start)

    if heading:
        question_end, answer_start = heading[0], heading[1]
        question_items = _question_items(lines, body_start, question_end)
        if not question_items:
            return None
    else:
        question_items, restart = _items_until_restart(lines, body_start)
        if restart is None or len({i.number for i in question_items}) < 2:
            return None
        question_end = answer_start = _answer_boundary(lines, question_items, restart)

    question_letters = _letters_per_question(question_items)
    answer_items = _answer_items(lines, answer_start, len(lines), question_letters)
    if not answer_items:
        return None

    sections: list[Section] = []
    metadata = header.metadata if header else Metadata()
    title = header.title if header else lines[first_text_line(lines, 0)].stripped
    if header:
        sections.append(lines_section(text, lines, 0, header.end_line, Role.METADATA, heading="vraag"))
    elif body_start > 0:
        sections.append(lines_section(text, lines, 0, body_start, Role.METADATA, heading="titel"))

    first_question = question_items[0].line
    if first_question > body_start:
        sections.append(lines_section(text, lines, body_start, first_question, Role.INTRODUCTION))
    sections += _question_sections(text, lines, question_items, question_end)

    if heading:
        sections.append(lines_section(text, lines, heading[0], heading[1], Role.METADATA, heading="antwoord"))
        metadata = _merge_answer_ref(metadata, lines[heading[0] : heading[1]])

    genre = Genre.WRITTEN_QUESTION if header else Genre.QUESTION_AND_ANSWER
    first_answer = answer_items[0]
    if has_text(lines, answer_start, first_answer.line):
        previous = first_answer.number - 1
        number = str(previous) if previous >= 1 else None
        sections.append(
            lines_section(
                text,
                lines,
                answer_start,
                first_answer.line,
                Role.ANSWER,
                number=number,
                answers=(number,) if number else (),
                heading="vervolg van een eerder deel",
            )
        )
        if not header:
            genre = Genre.PARTIAL_ANSWER
    sections += _answer_sections(text, lines, answer_items, len(lines), question_letters)
    return ParliamentaryStructure(genre, title, metadata, [s for s in sections if s.end > s.start])


def parse_question_only(text: str) -> ParliamentaryStructure | None:
    """A new written question as staff paste it, without an answer: optional header, title,
    introduction and the numbered sub-questions; None without numbered sub-questions."""
    lines = split_lines(text)
    header = _parse_header(lines)
    body_start = header.end_line if header else _skip_title(lines)
    heading = _find_answer_heading(lines, body_start)
    question_end = heading[0] if heading else len(lines)
    items = _question_items(lines, body_start, question_end)
    if not items:
        return None
    sections: list[Section] = []
    if header:
        sections.append(lines_section(text, lines, 0, header.end_line, Role.METADATA, heading="vraag"))
    elif body_start > 0:
        sections.append(lines_section(text, lines, 0, body_start, Role.METADATA, heading="titel"))
    if items[0].line > body_start:
        sections.append(lines_section(text, lines, body_start, items[0].line, Role.INTRODUCTION))
    sections += _question_sections(text, lines, items, question_end)
    title = header.title if header else lines[first_text_line(lines, 0)].stripped
    genre = Genre.WRITTEN_QUESTION if header else Genre.QUESTION_AND_ANSWER
    return ParliamentaryStructure(
        genre, title, header.metadata if header else Metadata(), [s for s in sections if s.end > s.start]
    )


# --- header -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Header:
    title: str
    metadata: Metadata
    end_line: int  # first line after the header


def _parse_header(lines: list[Line]) -> _Header | None:
    values: dict[str, list[str]] = {}
    key = None
    i = 0
    saw_question_banner = False
    number = asked_by = minister = None
    extra: list[tuple[str, str]] = []
    while i < len(lines) and i < 40:
        line = lines[i].stripped
        match = HEADER_KEY_RE.match(lines[i].text)
        if match:
            key = match.group(1).lower()
            values.setdefault(key, []).append(match.group(2).strip())
        elif line.upper() == "SCHRIFTELIJKE VRAAG":
            saw_question_banner = True
            key = None
        elif saw_question_banner and (m := re.match(r"^nr\.?\s*(\d+)$", line, re.IGNORECASE)):
            number = m.group(1)
        elif saw_question_banner and (m := re.match(r"^van\s+(.+)$", line)) and asked_by is None:
            asked_by = name_case(m.group(1))
        elif saw_question_banner and (m := re.match(r"^aan\s+(.+)$", line)):
            minister = name_case(m.group(1))
            if i + 1 < len(lines) and lines[i + 1].stripped.isupper():
                i += 1
                extra.append(("functie minister", lines[i].stripped))
            i += 1
            break
        elif key == "thema" and line and not saw_question_banner:
            values[key].append(line)  # the theme list continues on the next lines
        elif line:
            if saw_question_banner or not values:
                break
        i += 1
    if not saw_question_banner and "title" not in values:
        return None
    title = " ".join((values.get("title") or values.get("titel") or [""])[0].split())
    if i < len(lines) and title and lines[i].stripped.split() == title.split():
        i += 1  # the title repeated above the introduction
    links = tuple(v for k in ("pdf link", "thema link") for v in values.get(k, []) if v)
    metadata = Metadata(
        number=number,
        date=dutch_date_to_iso(" ".join(values.get("datum", []))),
        asked_by=asked_by,
        minister=minister,
        theme=", ".join(v for v in values.get("thema", []) if v) or None,
        links=links,
        extra=tuple(extra),
    )
    return _Header(title or "", metadata, i)


def _merge_answer_ref(metadata: Metadata, heading_lines: list[Line]) -> Metadata:
    for line in heading_lines:
        match = ANSWER_REF_RE.match(line.text)
        if match:
            return replace(
                metadata,
                number=metadata.number or match.group(1),
                date=metadata.date or dutch_date_to_iso(match.group(2)),
            )
    return metadata


def _skip_title(lines: list[Line]) -> int:
    """Index of the first line after a leading title line, if the text starts with one."""
    first = first_text_line(lines, 0)
    if first >= len(lines) or parse_marker(lines[first].text):
        return 0
    following = first + 1
    if following < len(lines) and lines[following].blank:
        return (
            following + 1 if lines[first].stripped and not lines[first].stripped.endswith((".", "?")) else 0
        )
    return 0


def _find_answer_heading(lines: list[Line], start: int) -> tuple[int, int] | None:
    """(first line, line after) of the block `MINISTER / ANTWOORD / op vraag nr. ... / van NAME`."""
    for i in range(start, len(lines)):
        if (
            ANSWER_HEADING_RE.match(lines[i].text)
            and i + 1 < len(lines)
            and ANSWER_REF_RE.match(lines[i + 1].text)
        ):
            first = i
            while first > start and first > i - 3 and lines[first - 1].stripped.isupper():
                first -= 1
            end = i + 2
            if end < len(lines) and re.match(r"^\s*van\s+\S", lines[end].text):
                end += 1
            return first, end
    return None


# --- numbered items -------------------------------------------------------------------


def _question_items(lines: list[Line], start: int, end: int) -> list[_Item]:
    items: list[_Item] = []
    current = 0
    for i in range(start, end):
        marker = parse_marker(lines[i].text)
        if marker is None:
            continue
        item = _accept_question_marker(marker, i, current, items)
        if item:
            items.append(item)
            current = item.number
    return items


def _accept_question_marker(marker: Marker, line: int, current: int, items: list[_Item]) -> _Item | None:
    if marker.numbers:
        first = marker.numbers[0]
        if (current == 0 and first == 1) or (current < first <= current + 3):
            return _Item(line, marker, marker.numbers[-1], marker.letters)
        return None
    if current == 0:
        return None
    previous = [x for item in items if item.number == current for x in item.letters]
    expected = chr(ord(previous[-1]) + 1) if previous else "a"
    if marker.letters[0] == expected:
        return _Item(line, marker, current, marker.letters)
    return None


def _items_until_restart(lines: list[Line], start: int) -> tuple[list[_Item], int | None]:
    """Question items, and the line where the numbering restarts (the answer's first item)."""
    items: list[_Item] = []
    current = 0
    for i in range(start, len(lines)):
        marker = parse_marker(lines[i].text)
        if marker is None:
            continue
        if marker.numbers and current >= 2 and marker.numbers[0] < current:
            return items, i
        item = _accept_question_marker(marker, i, current, items)
        if item:
            items.append(item)
            current = item.number
    return items, None


def _paragraph_starts(lines: list[Line], start: int, end: int) -> list[int]:
    """Lines that begin a paragraph: after a blank line, or at a page start (leading space)."""
    starts = []
    for i in range(start, end):
        if lines[i].blank:
            continue
        if i == start or lines[i - 1].blank or lines[i].text.startswith(" "):
            starts.append(i)
    return starts


def _paragraph_text(lines: list[Line], first: int, end: int) -> str:
    out = []
    for i in range(first, end):
        if lines[i].blank or (i > first and lines[i].text.startswith(" ")):
            break
        out.append(lines[i].stripped)
    return " ".join(out)


def _is_question_like(paragraph: str) -> bool:
    return "?" in paragraph or bool(REQUEST_START_RE.match(paragraph))


def _answer_boundary(lines: list[Line], items: list[_Item], restart: int) -> int:
    """First line of the answer: the first declarative paragraph after the last question."""
    last = items[-1].line
    for first in _paragraph_starts(lines, last, restart):
        if first == last:
            continue
        if not _is_question_like(_paragraph_text(lines, first, restart)):
            return first
    return restart


def _letters_per_question(items: list[_Item]) -> dict[int, tuple[str, ...]]:
    letters: dict[int, list[str]] = {}
    for item in items:
        letters.setdefault(item.number, []).extend(item.letters)
    return {number: tuple(found) for number, found in letters.items()}


def _answer_items(
    lines: list[Line], start: int, end: int, question_letters: dict[int, tuple[str, ...]]
) -> list[_Item]:
    """Answer items: numbers rising, letters only where the question has those parts
    (an enumeration `a) b)` inside an answer to a question without parts stays text)."""
    items: list[_Item] = []
    current = 0
    used_letters: set[str] = set()
    highest_question = max(question_letters, default=0)
    for i in range(start, end):
        marker = parse_marker(lines[i].text)
        if marker is None:
            continue
        if marker.numbers:
            first = marker.numbers[0]
            rising = current < first <= current + 3 or current == 0
            if (
                rising
                and marker.numbers[-1] <= highest_question
                and _letters_fit(marker, question_letters.get(first, ()), set())
            ):
                items.append(_Item(i, marker, marker.numbers[-1], marker.letters))
                current = marker.numbers[-1]
                used_letters = set(marker.letters)
        elif current and _letters_fit(marker, question_letters.get(current, ()), used_letters):
            items.append(_Item(i, marker, current, marker.letters))
            used_letters |= set(marker.letters)
    return items


def _letters_fit(marker: Marker, asked: tuple[str, ...], used: set[str]) -> bool:
    return all(letter in asked and letter not in used for letter in marker.letters)


# --- sections ------------------------------------------------------------------------


def _item_label(item: _Item) -> str:
    if item.marker.numbers:
        return item.marker.label
    return f"{item.number}{item.marker.letter_spec}"


def _question_sections(text: str, lines: list[Line], items: list[_Item], end: int) -> list[Section]:
    sections: list[Section] = []
    bounds = [item.line for item in items[1:]] + [end]
    for index, (item, stop) in enumerate(zip(items, bounds)):
        next_number = items[index + 1].number if index + 1 < len(items) else None
        gap = (next_number - item.number - 1) if next_number and items[index + 1].marker.numbers else 0
        unnumbered = _paragraph_starts(lines, item.line, stop)[1:] if gap > 0 else []
        if gap > 0 and len(unnumbered) == gap:
            # numbers lost in the PDF extraction: one question paragraph per missing number
            starts = [item.line] + unnumbered
            ends = unnumbered + [stop]
            labels = [_item_label(item)] + [str(item.number + k) for k in range(1, gap + 1)]
            for first, last, label in zip(starts, ends, labels):
                sections.append(lines_section(text, lines, first, last, Role.QUESTION, number=label))
            continue
        sections.append(lines_section(text, lines, item.line, stop, Role.QUESTION, number=_item_label(item)))
    return sections


def _answer_sections(
    text: str, lines: list[Line], items: list[_Item], end: int, question_letters: dict[int, tuple[str, ...]]
) -> list[Section]:
    lettered_answers = {item.number for item in items if item.letters}
    sections: list[Section] = []
    bounds = [item.line for item in items[1:]] + [end]
    for item, stop in zip(items, bounds):
        sections.append(
            lines_section(
                text,
                lines,
                item.line,
                stop,
                Role.ANSWER,
                number=_item_label(item),
                answers=_answered(item, question_letters, lettered_answers),
            )
        )
    return sections


def _answered(
    item: _Item, question_letters: dict[int, tuple[str, ...]], lettered_answers: set[int]
) -> tuple[str, ...]:
    if item.letters:
        return tuple(f"{item.number}{letter}" for letter in item.letters)
    answered: list[str] = []
    for number in item.marker.numbers:
        answered.append(str(number))
        if number not in lettered_answers:
            answered.extend(f"{number}{letter}" for letter in question_letters.get(number, ()))
    return tuple(answered)
