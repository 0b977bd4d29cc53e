"""What the app shows, as plain values: an answer as a chat message, its sources as HTML with the
cited text marked inside its passage, a table as a grid with its marked cells, the documents as
rows. No Gradio here: `app/ui.py` puts these into components.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ingest.model import Answer, Cell, Citation, Document, Genre, Row, Table
from ingest.sentences import one_line

from .draft.drafter import Draft
from .readable import readable, readable_pieces

GENRE_LABELS_NL = {
    Genre.WRITTEN_QUESTION: "schriftelijke vraag",
    Genre.QUESTION_AND_ANSWER: "vraag en antwoord",
    Genre.PARTIAL_ANSWER: "vraag en antwoord (deels)",
    Genre.SERV_LETTER: "SERV-brief",
    Genre.SERV_ADVICE: "SERV-advies",
    Genre.EXCHANGE: "verslag (sprekersbeurten)",
    Genre.SPREADSHEET: "tabel (spreadsheet)",
    Genre.GENERIC: "document",
}
CONTEXT_CHARS = 350  # passage text shown on each side of the cited span
STATUS_LABELS_NL = {"read": "gelezen", "reconstructed": "gereconstrueerd", "uncertain": "onzeker"}
GRID_STYLE = "border-collapse: collapse; font-size: 0.9em; margin: 0.2em 0"
GRID_CELL_STYLE = "border: 1px solid #ccc; padding: 1px 6px; text-align: right"
GRID_LABEL_STYLE = "border: 1px solid #ccc; padding: 1px 6px; text-align: left"
CAPTION_STYLE = "font-size: 0.85em; opacity: 0.8"


def chat_message(answer: Answer) -> str:
    """The answer as the chat shows it (Markdown): the text with its citation marker, then the
    numbered sources; an abstention says so plainly and calls the sources possibly related.
    Document text is shown as reading text, its own markup taken out and the rest escaped."""
    text = readable(answer.answer)
    if answer.abstained:
        heading = "**Mogelijk verwant** (geen antwoord, wel in de buurt):"
    else:
        heading = "**Bronnen:**"
        text = text if re.search(r"\[\d+\]", text) else f"{text} [1]"  # a polished answer has its markers
    sources = [
        f"[{n}] {_reading_line(c.title)} — {_reading_line(c.section) or 'tekst'}"
        for n, c in enumerate(answer.citations, 1)
    ]
    return "\n".join([_markdown_safe(text), "", heading, *(_markdown_safe(line) for line in sources)])


def _markdown_safe(line: str) -> str:
    """Text from the documents as plain text in Markdown: no HTML, no accidental emphasis."""
    return html.escape(line, quote=False).replace("*", "\\*").replace("_", "\\_")


def _reading_line(text: str) -> str:
    """A title or label as one line of reading text."""
    return one_line(readable(text))


def sources_html(answer: Answer, documents: dict[str, Document]) -> str:
    """Each citation with its document's title, genre, number and date, its section, the cited text
    marked inside its passage, and a link to the original where the document has one."""
    heading = "Mogelijk verwante passages" if answer.abstained else "Bronnen"
    parts = [f"<h3>{heading}</h3>"]
    cell = _answer_cell(answer)
    for number, citation in enumerate(answer.citations, 1):
        document = documents.get(citation.source)
        marked = not answer.abstained and number == 1
        parts.append(_source_html(number, citation, document, marked, cell if marked else None))
    return "\n".join(parts)


def _answer_cell(answer: Answer) -> tuple[str, str] | None:
    """The (row label, column) of the table cell a figure answer gives, if it gives one."""
    cell = (answer.table or {}).get("cell") or {}
    return (str(cell.get("row") or ""), str(cell["column"])) if cell.get("column") else None


def _source_html(
    number: int,
    citation: Citation,
    document: Document | None,
    marked: bool,
    cell: tuple[str, str] | None = None,
) -> str:
    facts = [citation.source]
    link = ""
    if document is not None:
        meta = document.metadata
        facts = [GENRE_LABELS_NL.get(document.genre, "document")]
        facts += [f"nr. {meta.number}"] if meta.number else []
        facts += [meta.date] if meta.date else []
        facts.append(citation.source)
        original = original_link(document)
        link = (
            f' · <a href="{html.escape(original)}" target="_blank" rel="noopener">origineel</a>'
            if original
            else ""
        )
    section = (_reading_line(citation.section) or "tekst").capitalize()
    body = _passage_html(citation, document, marked, cell)
    return (
        f'<div class="vb-source" data-source="{html.escape(citation.source)}">'
        f'<div class="vb-source-head"><b>[{number}] {html.escape(_reading_line(citation.title))}</b><br>'
        f"{html.escape(' · '.join(facts))} · <i>{html.escape(section)}</i>{link}</div>"
        f'<div class="vb-passage">{body}</div></div>'
    )


def _passage_html(
    citation: Citation, document: Document | None, marked: bool, cell: tuple[str, str] | None = None
) -> str:
    """The cited text inside its section, at most CONTEXT_CHARS either side, as reading text; marked
    when it is the answer. A cited table row is shown as a grid of that row instead."""
    if document is None:
        return _folded(readable(citation.text))
    row = cited_row(citation, document)
    if row is not None:
        return _row_grid_html(*row, citation, marked, cell)
    section = document.section_at(citation.start)
    lower, upper = (section.start, section.end) if section else (0, len(document.text))
    start, end = max(lower, citation.start - CONTEXT_CHARS), min(upper, citation.end + CONTEXT_CHARS)
    before, cited, after = _reading_pieces(document, citation, (lower, upper), (start, end))
    cited_html = f'<mark class="vb-cited">{_folded(cited)}</mark>' if marked else _folded(cited)
    lead = "… " if start > lower else ""
    tail = " …" if end < upper else ""
    parts = [lead, _folded(before), _gap(before, cited), cited_html, _gap(cited, after), _folded(after), tail]
    return "".join(parts)


def _gap(left: str, right: str) -> str:
    """A space between two pieces where the text has one ("volgen¹" stays together)."""
    return " " if left[-1:].isspace() or right[:1].isspace() else ""


def _reading_pieces(
    document: Document, citation: Citation, bounds: tuple[int, int], window: tuple[int, int]
) -> list[str]:
    """Before, cited and after as reading text. Cleaned as one text over whole lines, so that markup
    around a cut (a "**" opened before the cited span) is still recognised; each piece is exactly
    the text between its cuts."""
    text = document.text
    cuts = [window[0], citation.start, citation.end, window[1]]
    if text[citation.start : citation.end] != citation.text:  # a citation of another version of the text
        pieces = [text[cuts[0] : cuts[1]], citation.text, text[cuts[2] : cuts[3]]]
        return [readable(piece) for piece in pieces]
    first = max(bounds[0], text.rfind("\n", bounds[0], window[0]) + 1)
    last = text.find("\n", window[1], bounds[1])
    last = bounds[1] if last < 0 else last
    return readable_pieces(text[first:last], [cut - first for cut in cuts])


def _folded(text: str) -> str:
    return html.escape(one_line(text))


def cited_row(citation: Citation, document: Document) -> tuple[Table, Row] | None:
    """The one table row a citation cites: some of its cells lie inside the cited span, and nothing
    else is cited but the row's label. None for prose, a caption, or cells of several rows."""
    found = [(t, r) for t in document.tables for r in t.rows if _cells_inside(r, citation)]
    rows = {frozenset((c.start, c.end) for c in _cells_inside(r, citation)) for _, r in found}
    if len(rows) != 1:  # the same cells read into two overlapping tables are one row
        return None
    table, row = min(found, key=lambda found: _narrowness(found[0], citation))
    return (table, row) if _only_row_cited(citation, document, row) else None


def _narrowness(table: Table, citation: Citation) -> tuple[bool, int]:
    """Tables that hold the citation's start first, then the narrowest (a table read inside another)."""
    return not table.start <= citation.start < table.end, table.end - table.start


def _cells_inside(row: Row, citation: Citation) -> list[Cell]:
    return [
        c
        for c in row.cells
        if c.start is not None and c.end is not None and citation.start <= c.start and c.end <= citation.end
    ]


def _only_row_cited(citation: Citation, document: Document, row: Row) -> bool:
    """Whether the cited text, its cells taken out, is (part of) the row's label."""
    rest, at = [], citation.start
    for cell in sorted(_cells_inside(row, citation), key=lambda c: c.start or 0):
        rest.append(document.text[at : cell.start])
        at = cell.end or at
    rest.append(document.text[at : citation.end])
    return _letters("".join(rest)) in _letters(row.label)


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _row_grid_html(
    table: Table, row: Row, citation: Citation, marked: bool, cell: tuple[str, str] | None
) -> str:
    """The cited row under its table's header, its caption above; the cited cells marked (only the
    answer's cell where the answer names one in this row)."""
    inside = {c.column for c in _cells_inside(row, citation)}
    answered = {cell[1]} & inside if cell is not None and cell[0] == row.label else set()
    marks = (answered or inside) if marked else set()
    values = {c.column: c for c in row.cells}
    header = "".join(f'<th style="{GRID_CELL_STYLE}">{_folded(readable(c))}</th>' for c in table.columns)
    cells = "".join(_grid_cell(values.get(c), c in marks) for c in table.columns)
    caption = _folded(readable(table.caption))
    return (
        (f'<div class="vb-row-caption" style="{CAPTION_STYLE}">{caption}</div>' if caption else "")
        + f'<table class="vb-row-grid" style="{GRID_STYLE}">'
        f'<thead><tr><th style="{GRID_LABEL_STYLE}"></th>{header}</tr></thead>'
        f'<tbody><tr><th scope="row" style="{GRID_LABEL_STYLE}">{_folded(readable(row.label))}</th>'
        f"{cells}</tr></tbody></table>"
    )


def _grid_cell(cell: Cell | None, marked: bool) -> str:
    if cell is None:
        return f'<td style="{GRID_CELL_STYLE}"></td>'
    value = _folded(readable(cell.value))
    status = f' title="{STATUS_LABELS_NL[cell.status]}"' if cell.status == "uncertain" else ""
    value = f'<mark class="vb-cited">{value}</mark>' if marked else value
    marking = ' class="vb-cited"' if marked else ""
    return f'<td{marking} style="{GRID_CELL_STYLE}"{status}>{value}</td>'


def original_link(document: Document) -> str | None:
    """The document's own PDF where its metadata names one (a parliamentary question's "pdf link")."""
    return (
        next(
            (link for link in document.metadata.links if "pfile" in link or link.lower().endswith(".pdf")),
            None,
        )
        if document.genre is Genre.WRITTEN_QUESTION
        else None
    )


@dataclass(frozen=True)
class Grid:
    """A table as the app shows it: headers, rows of strings, and the (row, column) positions to mark."""

    caption: str
    headers: list[str]
    rows: list[list[str]]
    marked: set[tuple[int, int]]  # the answer's cell
    uncertain: set[tuple[int, int]]


def table_grid(table: Table | dict, cell: tuple[str, str] | None = None) -> Grid:
    """A table (domain object or its dict) as a grid; `cell` is the (row label, column) to mark."""
    data = table.as_dict() if isinstance(table, Table) else table
    columns = list(data["columns"])
    headers = ["", *columns]
    rows: list[list[str]] = []
    marked: set[tuple[int, int]] = set()
    uncertain: set[tuple[int, int]] = set()
    for r, row in enumerate(data["rows"]):
        values = {c["column"]: c for c in row["cells"]}
        rows.append([row["label"], *(values[c]["value"] if c in values else "" for c in columns)])
        for k, column in enumerate(columns, 1):
            if column in values and values[column]["status"] == "uncertain":
                uncertain.add((r, k))
            if cell is not None and (row["label"], column) == cell:
                marked.add((r, k))
    return Grid(str(data["caption"]), headers, rows, marked, uncertain)


def document_rows(documents: list[Document], cell_counts: dict[str, int]) -> list[list[str | int]]:
    """The documents tab's listing: one row per ingested document, its title first, the file last."""
    return [
        [
            document_label(d, with_file=False),
            GENRE_LABELS_NL.get(d.genre, "document"),
            d.metadata.number or "",
            d.metadata.date or "",
            len(d.sections),
            len(d.tables),
            _table_status(d, cell_counts.get(d.source, 0)),
            d.source,
        ]
        for d in sorted(documents, key=_listing_order)
    ]


DOCUMENT_HEADERS = ["titel", "soort", "nummer", "datum", "secties", "tabellen", "status", "bestand"]
LABEL_TITLE_CHARS = 90


def document_label(document: Document, with_file: bool = True) -> str:
    """A document as people name it: its title (cut at a word), number and date; the file as detail."""
    title = readable(document.title).strip() or document.source
    if len(title) > LABEL_TITLE_CHARS:
        title = title[:LABEL_TITLE_CHARS].rsplit(" ", 1)[0] + " …"
    facts = [f"nr. {document.metadata.number}"] if document.metadata.number else []
    facts += [document.metadata.date] if document.metadata.date else []
    label = f"{title} ({', '.join(facts)})" if facts else title
    return f"{label} — {document.source}" if with_file else label


def document_choices(documents: list[Document]) -> list[tuple[str, str]]:
    """(label, source) pairs for a choice list, in listing order."""
    return [(document_label(d), d.source) for d in sorted(documents, key=_listing_order)]


def _listing_order(document: Document) -> tuple[str, str]:
    return (readable(document.title).strip().lower() or document.source.lower(), document.source)


def table_choices(document: Document) -> list[tuple[str, int]]:
    """The tables of a document as (label, index) pairs: numbered, so like captions stay apart."""
    return [
        (f"Tabel {i + 1}: {readable(t.caption).strip() or 'zonder titel'} ({t.section or 'tekst'})", i)
        for i, t in enumerate(document.tables)
    ]


def _table_status(document: Document, cells: int) -> str:
    uncertain = sum(1 for t in document.tables for r in t.rows for c in r.cells if c.status == "uncertain")
    if uncertain:
        return f"ingelezen; {uncertain} van {cells} cellen onzeker"
    return "ingelezen"


def precedents_markdown(draft: Draft) -> str:
    """Beside the draft: per sub-question its precedents (source, section, date, score), then the checks."""
    lines = ["### Precedenten"]
    for answer in draft.answers:
        lines.append(f"**{answer.sub_question.number}** {html.escape(answer.sub_question.text[:160])}")
        if not answer.precedents:
            lines.append("- geen eerder antwoord gevonden")
        lines += [
            f"- {p.source}, {p.section} (op {p.question}{', ' + p.date if p.date else ''}; score "
            f"{p.score:.3f})"
            for p in answer.precedents
        ]
        lines.append("")
    lines += [
        "### Controles",
        *(f"- {'✓' if ok else '✗'} {check}: {detail}" for check, ok, detail in draft.checks),
    ]
    return "\n".join(lines)
