"""A draft reply's Markdown (as `to_markdown` writes it, or as a person edited it) as a Word file
in the house format: title and headings, the house heading block, answers numbered by Word, real
tables, the marks for the writer highlighted, the sources listed. The checks stay out of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document as new_word_document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.shared import Pt
from docx.table import _Row
from docx.text.paragraph import Paragraph

from .drafter import PLACEHOLDER, REFRESH


def write_docx_from_markdown(text: str, path: Path) -> Path:
    """A draft's Markdown (as `to_markdown` writes it, or as a person edited it) as a Word file."""
    blocks = _without_checks(_blocks(text))
    writer = _WordWriter(numbered=_numbered_from_one(blocks))
    for block in blocks:
        writer.write(block)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer.document.save(str(path))
    return path


# Reading the Markdown: one block per paragraph, heading, answer, flag, list item, table or fenced block.

ANSWER_RE = re.compile(r"^\*\*\s*(\d+\.|[a-z]\))\s*\*\*\s*(.*)$")
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")
ITEM_RE = re.compile(r"^[-*+]\s+(.*)$")
TABLE_RULE_RE = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$")
CAPTION_RE = re.compile(r"^\*(?=[^*\s])[^*]*[^*\s]\*$|^\*[^*\s]\*$")
CHECKS_HEADING = "controles"
SOURCES_HEADING = "bronnen"


@dataclass
class _Block:
    kind: str  # heading, fence, answer, flag, quote, item, table, caption, text
    text: str = ""
    label: str = ""  # an answer's printed label: "1." or "a)"
    level: int = 0  # a heading's level
    lines: list[str] = field(default_factory=list)  # a fenced block's lines, a table's rows


def _blocks(text: str) -> list[_Block]:
    """The Markdown's blocks; a line without a marker continues the paragraph or answer above it."""
    blocks: list[_Block] = []
    fence: _Block | None = None
    open_block: _Block | None = None
    for line in (raw.strip() for raw in text.splitlines()):
        if fence is not None:
            if line.startswith("```"):
                fence = None
            else:
                fence.lines.append(line)
        elif line.startswith("```"):
            fence = open_block = _Block("fence")
            blocks.append(fence)
        elif not line:
            open_block = None
        else:
            block = _line_block(line)
            if open_block is not None and _continues(open_block, block):
                open_block.text = f"{open_block.text} {block.text}".strip()
                open_block.lines += block.lines
            else:
                blocks.append(block)
                open_block = block
    if fence is not None:  # never closed: its lines are Markdown like any other
        blocks.remove(fence)
        blocks += _blocks("\n".join(fence.lines))
    return _with_captions(blocks)


def _line_block(line: str) -> _Block:
    heading, answer, item = HEADING_RE.match(line), ANSWER_RE.match(line), ITEM_RE.match(line)
    if heading:
        return _Block("heading", heading.group(2).strip(" #"), level=len(heading.group(1)))
    if line.startswith("|"):
        return _Block("table", lines=[] if TABLE_RULE_RE.match(line) else [line])
    if line.startswith(">"):
        quoted = line.lstrip("> ")
        if quoted.startswith("⚠"):
            return _Block("flag", quoted.replace("⚠", "").replace("\ufe0f", "").strip())
        return _Block("quote", quoted)
    if answer:
        return _Block("answer", answer.group(2), label=answer.group(1))
    return _Block("item", item.group(1)) if item else _Block("text", line)


def _continues(open_block: _Block, block: _Block) -> bool:
    if open_block.kind == "table":
        return block.kind == "table"
    return open_block.kind in ("text", "answer", "item", "quote") and block.kind == "text"


def _with_captions(blocks: list[_Block]) -> list[_Block]:
    """An italic line just above a table is that table's caption."""
    for block, following in zip(blocks, blocks[1:]):
        if block.kind == "text" and following.kind == "table" and CAPTION_RE.match(block.text):
            block.kind, block.text = "caption", block.text[1:-1]
    return blocks


def _without_checks(blocks: list[_Block]) -> list[_Block]:
    """The blocks less a "Controles" section (an older draft's checks): those are never sent on."""
    kept: list[_Block] = []
    skipping_from = 0  # the level of the checks heading being skipped, 0 when none
    for block in blocks:
        if block.kind == "heading" and (skipping_from == 0 or block.level <= skipping_from):
            skipping_from = block.level if block.text.strip(" *").lower() == CHECKS_HEADING else 0
        if not skipping_from:
            kept.append(block)
    return kept


def _numbered_from_one(blocks: list[_Block]) -> bool:
    """Whether the numbered answers run 1, 2, 3, ...: only then can Word number them itself."""
    numbers = [int(b.label[:-1]) for b in blocks if b.kind == "answer" and b.label[0].isdigit()]
    return bool(numbers) and numbers == list(range(1, len(numbers) + 1))


# Writing Word: each block as paragraphs, runs and tables.

EMPHASIS_RE = re.compile(
    r"\*\*\*(?=\S)(.+?)(?<=\S)\*\*\*|\*\*(?=\S)(.+?)(?<=\S)\*\*|\*(?=[^\s*])([^*]*?[^\s*])\*"
)
WRITER_MARK_RE = re.compile(  # the marks for the writer, highlighted in Word and in the preview
    r"\[\s*(" + "|".join(re.escape(mark.strip("[]")) for mark in (REFRESH, PLACEHOLDER)) + r")\s*\]",
    re.IGNORECASE,
)
NUMBER_RE = re.compile(r"^[-+−–(]?\s*[€$£]?\s*\d[\d\s.,]*\)?\s*[%‰€]?$")
HIGHLIGHT = WD_COLOR_INDEX.YELLOW


class _WordWriter:
    def __init__(self, numbered: bool) -> None:
        self.document: WordDocument = new_word_document()
        self.numbered = numbered  # the answers' numbers are Word's own ("List Number")
        self.section = ""  # the heading the blocks now stand under, lower case

    def write(self, block: _Block) -> None:
        getattr(self, f"_{block.kind}")(block)

    def _paragraph(self, text: str, style: str | None = None) -> Paragraph:
        paragraph = self.document.add_paragraph(style=style)
        _add_inline(paragraph, text)
        return paragraph

    def _heading(self, block: _Block) -> None:
        self.section = _plain(block.text).lower()
        _add_inline(self.document.add_heading(level=min(block.level, 9)), block.text)

    def _fence(self, block: _Block) -> None:
        """The house heading block: a paragraph per line, the first one bold, the lines kept together."""
        lines = [line for line in block.lines if line]
        for index, line in enumerate(lines):
            paragraph = self.document.add_paragraph()
            _add_inline(paragraph, line, bold=index == 0)
            together = index < len(lines) - 1
            paragraph.paragraph_format.space_after = Pt(0) if together else None
            paragraph.paragraph_format.keep_with_next = together or None

    def _answer(self, block: _Block) -> None:
        if block.label[0].isdigit() and self.numbered:
            self._paragraph(block.text, "List Number")
            return
        paragraph = self.document.add_paragraph(style=None if block.label[0].isdigit() else "List Continue")
        paragraph.add_run(f"{block.label} ").bold = True
        _add_inline(paragraph, block.text)

    def _flag(self, block: _Block) -> None:
        """A mark for the writer: short, highlighted."""
        paragraph = self._paragraph(block.text)
        for run in paragraph.runs:
            run.font.highlight_color = HIGHLIGHT
            run.font.size = Pt(9)

    def _quote(self, block: _Block) -> None:
        self._paragraph(block.text, "Quote")

    def _item(self, block: _Block) -> None:
        """A source (hanging indent, its [n] kept as printed) under "Bronnen", else a bullet."""
        self._paragraph(block.text, "List" if self.section == SOURCES_HEADING else "List Bullet")

    def _text(self, block: _Block) -> None:
        self._paragraph(block.text)

    def _caption(self, block: _Block) -> None:
        paragraph = self.document.add_paragraph()
        _add_inline(paragraph, block.text, italic=True)
        paragraph.paragraph_format.keep_with_next = True

    def _table(self, block: _Block) -> None:
        """A pipe table as a Word table: a repeating bold header row, numbers right-aligned."""
        rows = [_cells(line) for line in block.lines]
        if not rows:
            return
        width = max(len(row) for row in rows)
        table = self.document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        numeric = _numeric_columns(rows)
        for index, (word_row, values) in enumerate(zip(table.rows, rows)):
            for column, (cell, value) in enumerate(zip(word_row.cells, values + [""] * width)):
                _add_inline(cell.paragraphs[0], value, bold=index == 0)
                if NUMBER_RE.match(value) or (index == 0 and column in numeric):
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _repeat_as_header(table.rows[0])


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in re.sub(r"^\||\|$", "", line.strip()).split("|")]


def _numeric_columns(rows: list[list[str]]) -> set[int]:
    """The columns whose body cells are numbers (the empty ones aside): their header aligns right too."""
    width = max(len(row) for row in rows)
    columns = [[row[i] for row in rows[1:] if i < len(row) and row[i]] for i in range(width)]
    return {i for i, values in enumerate(columns) if values and all(NUMBER_RE.match(v) for v in values)}


def _repeat_as_header(row: _Row) -> None:
    """Marks the row as the table's header row, repeated on every page the table runs onto."""
    header = OxmlElement("w:tblHeader")
    row._tr.get_or_add_trPr().append(header)


def _add_inline(paragraph: Paragraph, text: str, bold: bool = False, italic: bool = False) -> None:
    """The text as runs: **bold**, *italic*, ***both*** as run formatting, the writer's marks highlighted."""
    cursor = 0
    for match in EMPHASIS_RE.finditer(text):
        _add_marked(paragraph, text[cursor : match.start()], bold, italic)
        both, strong, emphasis = match.groups()
        bold_inner, italic_inner = bold or emphasis is None, italic or strong is None
        _add_inline(paragraph, both or strong or emphasis, bold_inner, italic_inner)
        cursor = match.end()
    _add_marked(paragraph, text[cursor:], bold, italic)


def _add_marked(paragraph: Paragraph, text: str, bold: bool, italic: bool) -> None:
    """Plain text as runs; "[te actualiseren]" and the placeholder as highlighted runs without brackets."""
    for index, piece in enumerate(WRITER_MARK_RE.split(text)):  # odd pieces are the marks' words
        piece = piece if index % 2 else piece.replace("**", "")
        if not piece:
            continue
        run = paragraph.add_run(piece)
        run.bold, run.italic = bold or None, italic or None
        if index % 2:
            run.font.highlight_color = HIGHLIGHT


def _plain(text: str) -> str:
    """The text without its Markdown emphasis."""
    return EMPHASIS_RE.sub(lambda m: next((g for g in m.groups() if g), ""), text).replace("**", "").strip()
