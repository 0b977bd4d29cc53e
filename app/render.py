"""Plain-text and JSON views of documents for the CLI (no answering logic, no UI framework)."""

from __future__ import annotations

from ingest.model import Document, Role, Table

GENRE_LABELS_NL = {
    "written_question": "schriftelijke vraag",
    "question_and_answer": "vraag en antwoord",
    "question_and_partial_answer": "vraag en antwoord (antwoord onvolledig)",
    "serv_letter": "SERV-brief",
    "serv_advice": "SERV-advies",
    "exchange": "verslag (sprekersbeurten)",
    "spreadsheet": "tabellenbestand",
    "generic": "tekst",
}

SPEAKER_ROLES_NL = {"member": "lid", "minister": "minister", "chair": "voorzitter"}


def structure_note(genre: str, cues: tuple[str, ...] | list[str]) -> str:
    """What a document was read as, for the ingest report: its genre and the cues the parse rested
    on, or that no structure was recognised."""
    if genre == "spreadsheet":
        return GENRE_LABELS_NL[genre]
    if not cues:
        return "geen structuur herkend: gelezen als alinea's (controleer met vraagbaak show)"
    return f"{GENRE_LABELS_NL[genre]}, herkend aan: {', '.join(cues)}"


def document_json(document: Document) -> dict[str, object]:
    return {
        "source": document.source,
        "genre": document.genre.value,
        "title": document.title,
        "metadata": document.metadata.as_dict(),
        "sections": [
            {
                "role": s.role.value,
                "number": s.number,
                "answers": list(s.answers),
                "start": s.start,
                "end": s.end,
                "heading": s.heading,
                "speaker": s.speaker,
                "speaker_role": s.speaker_role,
            }
            for s in document.sections
        ],
        "tables": [t.as_dict() for t in document.tables],
        "cues": list(document.cues),
    }


def documents_table(documents: list[Document]) -> str:
    header = f"{'bron':32} {'genre':40} {'nr.':>5} {'datum':10} {'secties':>7} {'tabellen':>8}  titel"
    lines = [header, "-" * len(header)]
    for d in documents:
        lines.append(
            f"{d.source:32} {GENRE_LABELS_NL[d.genre.value]:40} {d.metadata.number or '':>5} "
            f"{d.metadata.date or '':10} {len(d.sections):>7} {len(d.tables):>8}  {d.title[:60]}"
        )
    return "\n".join(lines)


def document_text(document: Document) -> str:
    m = document.metadata
    out = [f"{document.source} — {GENRE_LABELS_NL[document.genre.value]}", f"titel: {document.title}"]
    for label, value in (
        ("nummer", m.number),
        ("datum", m.date),
        ("vraagsteller", m.asked_by),
        ("minister", m.minister),
        ("thema", m.theme),
    ):
        if value:
            out.append(f"{label}: {value}")
    if m.signatories:
        out.append("ondertekend door: " + "; ".join(m.signatories))
    for link in m.links:
        out.append(f"link: {link}")
    out.append("structuur herkend aan: " + ("; ".join(document.cues) or "niets (alinea's)"))
    out.append("")
    out.append("secties:")
    for s in document.sections:
        answers = (
            f"  → beantwoordt vraag {', '.join(s.answers)}" if s.role is Role.ANSWER and s.answers else ""
        )
        heading = f" ({s.heading})" if s.heading else ""
        heading += f" [{s.speaker}, {SPEAKER_ROLES_NL.get(s.speaker_role or '', '')}]" if s.speaker else ""
        preview = " ".join(document.section_text(s).split())[:70]
        out.append(f"  [{s.start:>6}-{s.end:<6}] {s.label}{heading}{answers}\n      {preview}")
    for i, table in enumerate(document.tables, 1):
        out.append("")
        out.append(table_grid(table, i))
    return "\n".join(out)


def table_grid(table: Table, number: int) -> str:
    """The table as an aligned grid; uncertain cells carry a '?'."""
    header = ["", *table.columns]
    rows = [header]
    for row in table.rows:
        by_column = {c.column: c.value + ("?" if c.status == "uncertain" else "") for c in row.cells}
        rows.append([row.label, *(by_column.get(col, "") for col in table.columns)])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [
        f"tabel {number}: {table.caption or '(zonder titel)'} [{table.section or ''}]"
        + ("" if table.complete else " (onvolledig)")
    ]
    for r in rows:
        lines.append("  " + " | ".join(value.ljust(width) for value, width in zip(r, widths)))
    return "\n".join(lines)


def answer_text(answer) -> str:  # type: ignore[no-untyped-def]
    """An Answer (ingest.model) as the CLI prints it: the answer, then numbered sources."""
    lines = [answer.answer]
    if answer.table is not None and answer.table["cell"]["status"] != "read":
        lines.append("(cijfer uit een herbouwde tabel; controleer het in de bron)")
    if answer.citations:
        lines.append("")
        lines.append("Mogelijk verwante passages:" if answer.abstained else "Bronnen:")
    for i, citation in enumerate(answer.citations, 1):
        text = " ".join(citation.text.split())
        shown = text if len(text) <= 400 else text[:400] + " …"
        lines.append(
            f"[{i}] {citation.source} — {citation.section or '-'} (tekens "
            f"{citation.start}-{citation.end})\n    {shown}"
        )
    return "\n".join(lines)
