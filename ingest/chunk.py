"""`chunk(document) -> [Chunk]`: split sections into retrieval units that follow structure.

- A chunk never crosses a section boundary, and `document.text[start:end] == chunk.text`.
- A run of table lines stays with its caption (the lead-in line ending in ':'); a
  table too long for one chunk is cut at row boundaries and every piece carries
  the caption in its retrieval context.
- An answer chunk carries the text of the question(s) it answers in its context, for
  retrieval only: its citation offsets are the answer's.
- Every chunk's retrieval text stays under the embedding model's token limit,
  measured with the model's own tokenizer (`count_tokens`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from .model import Chunk, Document, Role, Section, Table

TokenCounter = Callable[[str], int]
TABLE_ROLES = (Role.ANSWER, Role.ADVICE, Role.LETTER, Role.TEXT, Role.TABLE)
NUMBER_TOKEN_RE = re.compile(r"^[-+]?\d[\d.,]*%?$")
SENTENCE_END_RE = re.compile(r"(?<=[.?!;])\s+(?=[\"“'(A-Z0-9À-Ý])")
BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
ROW_END_RE = re.compile(r"(?<=\d)[ \t]*\n")  # a table row ends in a number; a wrapped label does not


@dataclass(frozen=True)
class ChunkSettings:
    max_tokens: int = 256  # tokens of a chunk's own text
    model_max_tokens: int = 500  # whole retrieval text incl. context; the model reads 510 content tokens
    max_context_chars: int = 600  # question text carried by an answer chunk

    def as_dict(self) -> dict[str, int]:
        return {
            "max_tokens": self.max_tokens,
            "model_max_tokens": self.model_max_tokens,
            "max_context_chars": self.max_context_chars,
        }


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    caption: str = ""  # set for table units: the caption their pieces carry


def chunk(
    document: Document, count_tokens: TokenCounter, settings: ChunkSettings = ChunkSettings()
) -> list[Chunk]:
    chunks: list[Chunk] = []
    for section in document.sections:
        context = _context(document, section, settings)
        for start, end, caption in _pack(
            document.text, _units(document.text, section), count_tokens, settings
        ):
            extra = (
                f"{context}\n{caption}".strip()
                if caption and caption not in document.text[start:end]
                else context
            )
            extra = _fit_context(extra, document.text[start:end], count_tokens, settings)
            chunks.append(
                _make_chunk(document, section, start, end, extra, "table" if caption else "passage")
            )
    return chunks + _table_row_chunks(document, count_tokens, settings)


def _table_row_chunks(document: Document, count_tokens: TokenCounter, settings: ChunkSettings) -> list[Chunk]:
    """One chunk per table (its caption and header lines, with the column and row labels as
    context) and one per table row (its cells, with caption, row label and column labels as
    context), so that a question finds its table."""
    chunks: list[Chunk] = []
    for table in document.tables:
        head = _table_head_span(document, table)
        if head is not None:
            section, start, end = head
            rows = ", ".join(r.label for r in table.rows)[: settings.max_context_chars]
            context = (
                f"{document.title}\n{table.caption}\nkolommen: {', '.join(table.columns)}\nrijen: {rows}"
            )
            chunks.append(
                _make_chunk(
                    document,
                    section,
                    start,
                    end,
                    _fit_context(context, document.text[start:end], count_tokens, settings),
                    "table_head",
                )
            )
        for row in table.rows:
            offsets = [(c.start, c.end) for c in row.cells if c.start is not None and c.end is not None]
            if not offsets:
                continue
            start, end = min(a for a, _ in offsets), max(b for _, b in offsets)
            section = next((s for s in document.sections if s.start <= start and end <= s.end), None)
            if section is None:
                continue
            context = (
                f"{document.title}\n{table.caption}\n{row.label}: {', '.join(c.column for c in row.cells)}"
            )
            context = _fit_context(context, document.text[start:end], count_tokens, settings)
            chunks.append(_make_chunk(document, section, start, end, context, "table_row"))
    return chunks


def _table_head_span(document: Document, table: Table) -> tuple[Section, int, int] | None:
    """The text from a table's start (its caption) up to its first cell, within one section."""
    section = document.section_at(table.start)
    starts = [c.start for r in table.rows for c in r.cells if c.start is not None and c.start > table.start]
    if section is None or not starts:
        return None
    end = min(min(starts), section.end)
    end = document.text.rfind("\n", table.start, end) if "\n" in document.text[table.start : end] else end
    end = _end_before(document.text, end)
    return (section, table.start, end) if end > table.start else None


def _make_chunk(document: Document, section: Section, start: int, end: int, context: str, kind: str) -> Chunk:
    text = document.text[start:end]
    digest = hashlib.sha256(
        f"{document.source}\x1f{start}\x1f{end}\x1f{context}\x1f{text}".encode()
    ).hexdigest()[:24]
    return Chunk(
        id=digest,
        source=document.source,
        role=section.role,
        section=section.label,
        start=start,
        end=end,
        text=text,
        context=context,
        kind="table" if kind == "passage" and section.role is Role.TABLE else kind,
    )


def _context(document: Document, section: Section, settings: ChunkSettings) -> str:
    """Retrieval-only context: the document title, and for an answer the question(s) it answers."""
    parts = [document.title]
    if section.role is Role.ANSWER and section.answers:
        wanted = set(section.answers)
        questions = [s for s in document.sections if s.role is Role.QUESTION and s.number in wanted]
        question_text = " ".join(" ".join(document.section_text(q).split()) for q in questions)
        if question_text:
            parts.append(question_text[: settings.max_context_chars])
    return "\n".join(p for p in parts if p)


def _fit_context(context: str, text: str, count_tokens: TokenCounter, settings: ChunkSettings) -> str:
    while context and count_tokens(f"{context}\n{text}") > settings.model_max_tokens:
        context = context[: int(len(context) * 0.8)].rsplit(" ", 1)[0]
    return context


# --- units: paragraphs, sentences, tables ---------------------------------------------


def is_table_line(line: str) -> bool:
    tokens = line.split()
    numbers = sum(1 for token in tokens if NUMBER_TOKEN_RE.match(token))
    return numbers >= 1 and (
        numbers * 2 >= len(tokens) or (numbers >= 2 and bool(NUMBER_TOKEN_RE.match(tokens[-1])))
    )


def _units(text: str, section: Section) -> list[_Unit]:
    """The section split into paragraphs, with table runs (and their captions) kept whole."""
    units: list[_Unit] = []
    lines = _lines(text, section.start, section.end)
    i = 0
    prose_start: int | None = None
    while i < len(lines):
        run_end = _table_run_end(text, lines, i) if section.role in TABLE_ROLES else None
        if run_end is None:
            if prose_start is None:
                prose_start = lines[i][0]
            i += 1
            continue
        caption_line = _caption_before(text, lines, i, prose_start)
        table_start = lines[caption_line][0] if caption_line is not None else lines[i][0]
        if prose_start is not None and prose_start < table_start:
            units += _paragraph_units(text, prose_start, _end_before(text, table_start))
        caption = (
            text[lines[caption_line][0] : lines[caption_line][1]].strip() if caption_line is not None else ""
        )
        units.append(_Unit(table_start, lines[run_end - 1][1], caption or _first_words(text, lines[i])))
        prose_start = None
        i = run_end
    if prose_start is not None:
        units += _paragraph_units(text, prose_start, section.end)
    return [u for u in units if u.end > u.start]


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    pos = start
    while pos < end:
        stop = text.find("\n", pos, end)
        stop = end if stop < 0 else stop
        if text[pos:stop].strip():
            spans.append((pos, stop))
        pos = stop + 1
    return spans


def _table_run_end(text: str, lines: list[tuple[int, int]], i: int) -> int | None:
    """End (exclusive) of a table run starting at line i: at least two number lines,
    possibly with short header or label lines between them."""
    first = text[lines[i][0] : lines[i][1]]
    if not (is_table_line(first) or _is_header_like(first)):
        return None
    numeric = 0
    last_numeric = None
    for j in range(i, len(lines)):
        line = text[lines[j][0] : lines[j][1]]
        if is_table_line(line):
            numeric += 1
            last_numeric = j
        elif not _is_header_like(line) or j - (last_numeric if last_numeric is not None else i) > 3:
            break
    return last_numeric + 1 if numeric >= 2 and last_numeric is not None else None


def _is_header_like(line: str) -> bool:
    """A short line that is no sentence or caption: a column header or a wrapped row label."""
    stripped = line.strip()
    return len(stripped.split()) <= 8 and not stripped.endswith((".", ":", "?"))


def _caption_before(text: str, lines: list[tuple[int, int]], i: int, prose_start: int | None) -> int | None:
    for k in range(i - 1, max(i - 3, -1), -1):
        if prose_start is None or lines[k][0] < prose_start:
            return None
        if text[lines[k][0] : lines[k][1]].rstrip().endswith(":"):
            return k
    return None


def _first_words(text: str, line: tuple[int, int]) -> str:
    return " ".join(text[line[0] : line[1]].split()[:8])


def _end_before(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


def _paragraph_units(text: str, start: int, end: int) -> list[_Unit]:
    units = []
    pos = start
    for match in BLANK_LINE_RE.finditer(text, start, end):
        units.append(_Unit(pos, _end_before(text, match.start())))
        pos = match.end()
    units.append(_Unit(pos, _end_before(text, end)))
    return units


# --- packing -------------------------------------------------------------------------


def _pack(
    text: str, units: list[_Unit], count_tokens: TokenCounter, settings: ChunkSettings
) -> list[tuple[int, int, str]]:
    """Greedily join units into spans of at most `max_tokens`; split units that are too big."""
    pieces: list[_Unit] = []
    for unit in units:
        pieces += _split_unit(text, unit, count_tokens, settings.max_tokens)
    spans: list[tuple[int, int, str]] = []
    current: _Unit | None = None
    for piece in pieces:
        if current is None:
            current = piece
            continue
        merged = _Unit(current.start, piece.end, current.caption or piece.caption)
        same_kind = bool(current.caption) == bool(piece.caption)
        if (
            same_kind
            and not piece.caption
            and count_tokens(text[merged.start : merged.end]) <= settings.max_tokens
        ):
            current = merged
        else:
            spans.append((current.start, current.end, current.caption))
            current = piece
    if current is not None:
        spans.append((current.start, current.end, current.caption))
    return spans


def _split_unit(text: str, unit: _Unit, count_tokens: TokenCounter, limit: int) -> list[_Unit]:
    if count_tokens(text[unit.start : unit.end]) <= limit:
        return [unit]
    boundary = ROW_END_RE if unit.caption else SENTENCE_END_RE
    cuts = [m.end() for m in boundary.finditer(text, unit.start, unit.end)]
    if not cuts:
        cuts = [m.end() for m in re.finditer(r"\s+", text[unit.start : unit.end])]
        cuts = [unit.start + c for c in cuts]
    parts: list[_Unit] = []
    start = unit.start
    last_good = None
    for cut in cuts + [unit.end]:
        if count_tokens(text[start:cut]) <= limit:
            last_good = cut
            continue
        stop = last_good if last_good and last_good > start else cut
        parts.append(_Unit(start, _end_before(text, stop), unit.caption))
        start = stop
        last_good = None
        while count_tokens(text[start:cut]) > limit and start < cut:  # a single sentence over the limit
            hard = start + max(1, (cut - start) // 2)
            parts.append(_Unit(start, hard, unit.caption))
            start = hard
    if start < unit.end:
        parts.append(_Unit(start, unit.end, unit.caption))
    return [p for p in parts if p.end > p.start and text[p.start : p.end].strip()]
