"""Render a grid read from a structured file (xlsx, csv, docx, pdf) as text.

The document text of such a file holds each table as tab-separated lines, so
that every cell has exact offsets: `text[cell.start:cell.end] == cell.value`.
"""

from __future__ import annotations

from .model import Cell, Row, Table


def normalise_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def render_grid(
    caption: str, grid: list[list[str]], offset: int, section: str | None = None
) -> tuple[str, Table | None]:
    """Text for `grid` (first row the header, first column the row label) and its Table.

    `offset` is where the returned text will start in the document text."""
    grid = [row for row in grid if any(cell for cell in row)]
    if not grid:
        return "", None
    width = max(len(row) for row in grid)
    grid = [row + [""] * (width - len(row)) for row in grid]
    header, body = grid[0], grid[1:]
    columns = tuple(h or f"kolom {i + 1}" for i, h in enumerate(header[1:]))

    parts: list[str] = []
    pos = offset

    def emit(piece: str) -> tuple[int, int]:
        nonlocal pos
        start = pos
        parts.append(piece)
        pos += len(piece)
        return start, pos

    table_start = pos
    if caption:
        emit(caption + "\n")
    emit("\t".join(header) + "\n")
    rows: list[Row] = []
    for line in body:
        emit(line[0])
        cells: list[Cell] = []
        for column, value in zip(columns, line[1:]):
            emit("\t")
            if value:
                start, end = emit(value)
                cells.append(Cell(column, value, "read", start, end))
        emit("\n")
        rows.append(Row(line[0], tuple(cells)))
    table = Table(
        caption=caption,
        columns=columns,
        rows=tuple(rows),
        start=table_start,
        end=pos,
        section=section,
        complete=True,
    )
    return "".join(parts), table
