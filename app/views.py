"""What the app shows, as plain values: an answer as a chat message, its sources as HTML with the
cited text marked inside its passage, a table as a grid with its marked cells, the documents as
rows. No Gradio here: `app/ui.py` puts these into components.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ingest.model import Answer, Citation, Document, Genre, Table
from ingest.sentences import one_line

from .draft.drafter import Draft

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


def chat_message(answer: Answer) -> str:
    """The answer as the chat shows it (Markdown): the text with its citation marker, then the
    numbered sources; an abstention says so plainly and calls the sources possibly related."""
    if answer.abstained:
        lines = [answer.answer, "", "**Mogelijk verwant** (geen antwoord, wel in de buurt):"]
    else:
        cited = re.search(r"\[\d+\]", answer.answer)  # a polished answer carries its own markers
        lines = [answer.answer if cited else f"{answer.answer} [1]", "", "**Bronnen:**"]
    lines += [f"[{n}] {c.title} — {c.section or 'tekst'}" for n, c in enumerate(answer.citations, 1)]
    return "\n".join(_markdown_safe(line) for line in lines)


def _markdown_safe(line: str) -> str:
    """Text from the documents as plain text in Markdown: no HTML, no accidental emphasis."""
    return (
        html.escape(line, quote=False).replace("*", "\\*").replace("_", "\\_")
        if not line.startswith("**")
        else line
    )


def sources_html(answer: Answer, documents: dict[str, Document]) -> str:
    """Each citation with its document's title, genre, number and date, its section, the cited text
    marked inside its passage, and a link to the original where the document has one."""
    heading = "Mogelijk verwante passages" if answer.abstained else "Bronnen"
    parts = [f"<h3>{heading}</h3>"]
    for number, citation in enumerate(answer.citations, 1):
        document = documents.get(citation.source)
        marked = not answer.abstained and number == 1
        parts.append(_source_html(number, citation, document, marked))
    return "\n".join(parts)


def _source_html(number: int, citation: Citation, document: Document | None, marked: bool) -> str:
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
    section = (citation.section or "tekst").capitalize()
    body = _passage_html(citation, document, marked)
    return (
        f'<div class="vb-source" data-source="{html.escape(citation.source)}">'
        f'<div class="vb-source-head"><b>[{number}] {html.escape(citation.title)}</b><br>'
        f"{html.escape(' · '.join(facts))} · <i>{html.escape(section)}</i>{link}</div>"
        f'<div class="vb-passage">{body}</div></div>'
    )


def _passage_html(citation: Citation, document: Document | None, marked: bool) -> str:
    """The cited text inside its section, at most CONTEXT_CHARS either side; marked when it is the answer."""
    if document is None:
        return html.escape(citation.text)
    section = document.section_at(citation.start)
    lower, upper = (section.start, section.end) if section else (0, len(document.text))
    start, end = max(lower, citation.start - CONTEXT_CHARS), min(upper, citation.end + CONTEXT_CHARS)
    before, cited, after = (
        document.text[start : citation.start],
        citation.text,
        document.text[citation.end : end],
    )
    cited_html = f'<mark class="vb-cited">{_folded(cited)}</mark>' if marked else _folded(cited)
    lead = "… " if start > lower else ""
    tail = " …" if end < upper else ""
    return f"{lead}{_folded(before)} {cited_html} {_folded(after)}{tail}"


def _folded(text: str) -> str:
    return html.escape(one_line(text))


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
    """The documents tab's listing: one row per ingested document."""
    return [
        [
            d.source,
            d.title,
            GENRE_LABELS_NL.get(d.genre, "document"),
            d.metadata.number or "",
            d.metadata.date or "",
            len(d.sections),
            len(d.tables),
            _table_status(d, cell_counts.get(d.source, 0)),
        ]
        for d in sorted(documents, key=lambda d: d.source)
    ]


DOCUMENT_HEADERS = ["bestand", "titel", "soort", "nummer", "datum", "secties", "tabellen", "status"]


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
