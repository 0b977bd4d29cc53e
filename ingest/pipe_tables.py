"""Tables printed with pipes (Markdown, and text exported from it): read as they stand, every cell at
its offsets, so they need no reconstruction from runs of numbers.

    | Sector | Vrijwilligers |        a header row,
    | --- | ---: |                     a separator row,
    | Fietsherstel | 412 |            and data rows: the first cell labels the row.
"""

from __future__ import annotations

import re

from .model import Cell, Document, Row, Table

ROW_RE = re.compile(r"^[ \t]*\|(.*)\|[ \t]*$", re.M)
SEPARATOR_RE = re.compile(r"^\s*:?-{2,}:?\s*$")


def pipe_tables(document: Document) -> tuple[Table, ...]:
    """Every run of two or more pipe rows after a header and a separator row."""
    tables: list[Table] = []
    run: list[re.Match[str]] = []
    for match in ROW_RE.finditer(document.text):
        if run and document.text[run[-1].end() : match.start()].strip():
            _close(document, run, tables)
            run = []
        run.append(match)
    _close(document, run, tables)
    return tuple(tables)


def _close(document: Document, run: list[re.Match[str]], tables: list[Table]) -> None:
    if len(run) < 3 or not all(SEPARATOR_RE.match(c) for c in _cells(run[1])):
        return
    columns = [text for text, _start in _cells_at(run[0])]
    rows = []
    for match in run[2:]:
        cells = _cells_at(match)
        if not cells:
            continue
        label = cells[0][0]
        rows.append(
            Row(
                label,
                tuple(
                    Cell(columns[i] if i < len(columns) else "", text, "read", start, start + len(text))
                    for i, (text, start) in enumerate(cells[1:], start=1)
                    if text
                ),
            )
        )
    start, end = run[0].start(), run[-1].end()
    section = document.section_at(start)
    tables.append(
        Table(
            _caption(document.text, start) or " ".join(columns),
            tuple(columns[1:]),
            tuple(rows),
            start,
            end,
            section.label if section else None,
        )
    )


def _cells(match: re.Match[str]) -> list[str]:
    return [c.strip() for c in match.group(1).split("|")]


def _cells_at(match: re.Match[str]) -> list[tuple[str, int]]:
    """Each cell's text, stripped, with its offset in the document."""
    found = []
    offset = match.start(1)
    for raw in match.group(1).split("|"):
        stripped = raw.strip()
        found.append((stripped, offset + (raw.index(stripped) if stripped else 0)))
        offset += len(raw) + 1
    return found


def _caption(text: str, start: int) -> str:
    """The last non-empty line before the table, when it is short enough to be a caption."""
    before = [line.strip() for line in text[:start].splitlines() if line.strip()]
    return before[-1] if before and len(before[-1]) <= 200 else ""
