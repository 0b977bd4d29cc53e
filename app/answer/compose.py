"""Answers built from what was found: a figure (a table cell or a number in running text) or an
extract, each with the citation of exactly the printed span."""

from __future__ import annotations

from index.library import Hit
from ingest.model import Answer, Citation, Document, Table
from ingest.sentences import one_line, text_sentences

from .candidates import Candidate
from .extract import MAX_ANSWER_CHARS, Extract
from .figures import Figure


def extract_answer(
    question: str,
    extract: Extract,
    hits: list[Hit],
    documents: dict[str, Document],
    limit: int,
    evidence: dict,
) -> Answer:
    document = documents[extract.chunk.source]
    first = Citation(
        extract.chunk.source,
        document.title,
        extract.chunk.section,
        extract.text,
        extract.start,
        extract.end,
        round(extract.score, 5),
    )
    others = [
        Citation.of_chunk(h.chunk, documents[h.chunk.source], h.score)
        for h in hits
        if h.chunk.id != extract.chunk.id
    ]
    answer = one_line(extract.text)
    return Answer(question, answer, None, False, [first, *others][:limit], evidence=evidence)


def figure_answer(question: str, figure: Figure, document: Document) -> Answer:
    if figure.kind == "text":
        start, end = _sentence_span(document, figure.start or 0, figure.end or 0)
        quoted = document.text[start:end]
        citation = Citation(
            figure.source, document.title, figure.section or "", quoted, start, end, round(figure.score, 3)
        )
        return Answer(
            question, one_line(quoted), figure.value, False, [citation], evidence={"figure": "text"}
        )
    table = figure_table(figure, document)
    citation = table_row_citation(figure, document, table)
    where = f"{figure.row}, {figure.column}" if figure.row else figure.column
    answer = f"{figure.value} ({where}; tabel '{figure.caption}', {figure.section or document.title})"
    cell = {"row": figure.row, "column": figure.column, "value": figure.value, "status": figure.status}
    return Answer(
        question,
        answer,
        figure.value,
        False,
        [citation],
        table={**table.as_dict(), "cell": cell},
        evidence={"figure": "table"},
    )


def figure_table(figure: Figure, document: Document) -> Table:
    """The table the cell is in (captions repeat: "Totaal" tables, continued tables)."""
    candidates = [t for t in document.tables if t.caption == figure.caption and t.section == figure.section]
    inside = [t for t in candidates if figure.start is not None and t.start <= figure.start < t.end]
    return (inside or candidates)[0]


def table_row_citation(figure: Figure, document: Document, table: Table) -> Citation:
    """The figure's table row as printed: from the start of its line to its last cell."""
    row = next(r for r in table.rows if r.label == figure.row)
    offsets = [(c.start, c.end) for c in row.cells if c.start is not None and c.end is not None]
    start = document.text.rfind("\n", table.start, min(a for a, _ in offsets)) + 1 if offsets else table.start
    start = max(start, table.start)
    end = max(b for _, b in offsets) if offsets else table.end
    return Citation(
        figure.source,
        document.title,
        figure.section or "",
        document.text[start:end],
        start,
        end,
        round(figure.score, 3),
    )


def _sentence_span(document: Document, start: int, end: int) -> tuple[int, int]:
    """The sentence around a number in running text (split as everywhere: "140 u. begeleiding" ends
    no sentence; a table printed just before it is no part of it), at most MAX_ANSWER_CHARS long."""
    section = document.section_at(start)
    origin, stop = (section.start, section.end) if section else (0, len(document.text))
    left, right = next(
        ((a, b) for a, b in text_sentences(document, origin, stop) if a <= start < b), (start, end)
    )
    left = max(left, start - MAX_ANSWER_CHARS // 2)
    right = min(max(right, end), left + MAX_ANSWER_CHARS)
    while left < start and document.text[left].isspace():
        left += 1
    return left, max(right, end)


def as_extract(candidate: Candidate) -> Extract:
    """A ranked sentence as an extract, cited at its offsets."""
    assert candidate.chunk is not None, "a sentence candidate keeps its chunk"
    return Extract(
        candidate.start,
        candidate.end,
        candidate.text,
        candidate.chunk,
        candidate.features.get("coverage", 0.0),
        candidate.features.get("cosine", 0.0),
    )


def as_figure(candidate: Candidate) -> Figure:
    """A ranked number (in a sentence) or cell (of a table) as the figure it answers with."""
    value = candidate.value or ""
    if candidate.figure is not None:
        return candidate.figure
    if candidate.cell is not None:
        table, r, i = candidate.cell
        cell = table.rows[r].cells[i]
        return Figure(
            value,
            candidate.source,
            table.section,
            table.caption,
            table.rows[r].label,
            cell.column,
            cell.start,
            cell.end,
            cell.status,
            "table",
        )
    return Figure(
        value,
        candidate.source,
        candidate.section,
        candidate.text,
        "",
        "",
        candidate.value_start,
        candidate.value_end,
        "text",
        "text",
    )
