"""`load(path)`: the only place that reads document files.

Returns a RawDocument: the text, and for structured formats the tables read
exactly. Bad files raise an IngestError subclass whose message names the file
and says what to do.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import replace
from pathlib import Path

from .errors import EmptyFileError, UnreadableFileError, UnsupportedFormatError
from .grid import normalise_cell, render_grid
from .limits import CellBudget, Limits, check_file_size, check_pages, check_text, check_unpacked
from .model import RawDocument, Table

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".xlsx", ".csv")
DEFAULT_LIMITS = Limits()


def load(path: Path, limits: Limits = DEFAULT_LIMITS) -> RawDocument:
    source = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormatError(
            source,
            f"bestandstype '{suffix or '(geen)'}' wordt niet ondersteund; "
            f"gebruik een van: {', '.join(SUPPORTED_SUFFIXES)}.",
        )
    check_file_size(source, path.stat().st_size, limits)
    data = path.read_bytes()
    if not data.strip():
        raise EmptyFileError(source, "het bestand is leeg; controleer of het juiste bestand werd gekozen.")
    if suffix in (".docx", ".xlsx"):
        check_unpacked(source, data, limits)
    raw = _READERS[suffix](source, data, limits)
    check_text(source, len(raw.text), limits)
    if not raw.text.strip():
        raise EmptyFileError(
            source, "er staat geen leesbare tekst in het bestand (is het een scan zonder tekstlaag?)."
        )
    return raw


def decode_text(source: str, data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; binary data is refused."""
    if b"\x00" in data[:8192]:
        raise UnreadableFileError(
            source,
            "dit lijkt een binair bestand, geen tekst; lever .txt, .md, .pdf, .docx, .xlsx of .csv aan.",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise UnreadableFileError(
                source,
                "de tekencodering is niet herkend (geen UTF-8 of Windows-1252); sla het bestand op als "
                "UTF-8.",
            ) from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 8192):
        raise UnreadableFileError(
            source,
            "dit lijkt een binair bestand, geen tekst; lever .txt, .md, .pdf, .docx, .xlsx of .csv aan.",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_text(source: str, data: bytes, limits: Limits) -> RawDocument:
    fmt = "md" if source.lower().endswith(".md") else "txt"
    return RawDocument(source, decode_text(source, data), format=fmt)


def _read_csv(source: str, data: bytes, limits: Limits) -> RawDocument:
    text = decode_text(source, data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    rows = CellBudget(source, limits).counted("de tabel", csv.reader(io.StringIO(text), dialect))
    grid = [[normalise_cell(cell) for cell in row] for row in rows]
    rendered, table = render_grid(Path(source).stem, grid, 0)
    return RawDocument(source, rendered, tuple([table] if table else []), format="csv")


def _read_xlsx(source: str, data: bytes, limits: Limits) -> RawDocument:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFileError(
            source,
            f"het Excel-bestand is beschadigd of geen .xlsx ({exc}); open en bewaar het opnieuw in Excel.",
        ) from None
    parts: list[str] = []
    tables: list[Table] = []
    offset = 0
    budget = CellBudget(source, limits)
    for sheet in workbook.worksheets:
        rows = budget.counted(f"blad '{sheet.title}'", sheet.iter_rows(values_only=True))
        grid = [[normalise_cell(v) for v in row] for row in rows]
        rendered, table = render_grid(f"Blad {sheet.title}", grid, offset)
        if table:
            parts.append(rendered + "\n")
            offset += len(rendered) + 1
            tables.append(table)
    workbook.close()
    return RawDocument(source, "".join(parts), tuple(tables), format="xlsx")


def _read_docx(source: str, data: bytes, limits: Limits) -> RawDocument:
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFileError(
            source,
            f"het Word-bestand is beschadigd of geen .docx ({exc}); open en bewaar het opnieuw in Word.",
        ) from None
    parts: list[str] = []
    tables: list[Table] = []
    offset = 0
    last_paragraph = ""
    budget = CellBudget(source, limits)
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            line = block.text.rstrip() + "\n"
            if block.text.strip():
                last_paragraph = block.text.strip()
        elif isinstance(block, DocxTable):
            rows = budget.counted(f"tabel {len(tables) + 1}", (row.cells for row in block.rows))
            grid = [[normalise_cell(cell.text) for cell in cells] for cells in rows]
            caption = last_paragraph if last_paragraph.endswith(":") else ""
            line, table = render_grid("", grid, offset)
            if table:
                tables.append(_with_caption(table, caption))
        else:
            continue
        parts.append(line)
        offset += len(line)
    return RawDocument(source, "".join(parts), tuple(tables), format="docx")


def _read_pdf(source: str, data: bytes, limits: Limits) -> RawDocument:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    parts: list[str] = []
    tables: list[Table] = []
    offset = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            check_pages(source, len(pdf.pages), limits)
            budget = CellBudget(source, limits)
            for page in pdf.pages:
                found = page.find_tables()
                boxes = [t.bbox for t in found]

                def outside(obj: dict, boxes: list = boxes) -> bool:
                    return not any(
                        b[0] <= obj.get("x0", 0)
                        and obj.get("x1", 0) <= b[2]
                        and b[1] <= obj.get("top", 0)
                        and obj.get("bottom", 0) <= b[3]
                        for b in boxes
                    )

                page_text = page.filter(outside).extract_text() or ""
                page_text = page_text.rstrip() + "\n"
                parts.append(page_text)
                offset += len(page_text)
                for found_table in found:
                    above = page.crop((0, 0, page.width, max(1, found_table.bbox[1]))).filter(outside)
                    caption = _last_line_ending_in_colon(above.extract_text() or "")
                    rows = budget.counted(f"tabel {len(tables) + 1}", found_table.extract())
                    grid = [[normalise_cell(c) for c in row] for row in rows]
                    rendered, table = render_grid("", grid, offset)
                    if table:
                        parts.append(rendered)
                        offset += len(rendered)
                        tables.append(_with_caption(table, caption))
    except (PDFSyntaxError, ValueError, KeyError) as exc:
        raise UnreadableFileError(
            source,
            f"de PDF is beschadigd of versleuteld ({exc.__class__.__name__}); exporteer ze opnieuw als PDF.",
        ) from None
    except Exception as exc:  # pdfminer raises many private exception types on broken files
        if exc.__class__.__module__.startswith(("pdfminer", "pdfplumber")):
            raise UnreadableFileError(
                source,
                f"de PDF is beschadigd of versleuteld ({exc.__class__.__name__}); exporteer ze opnieuw als "
                f"PDF.",
            ) from None
        raise
    return RawDocument(source, "".join(parts), tuple(tables), format="pdf")


def _last_line_ending_in_colon(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines and lines[-1].endswith(":") else ""


def _with_caption(table: Table, caption: str) -> Table:
    return replace(table, caption=caption) if caption else table


_READERS = {
    ".txt": _read_text,
    ".md": _read_text,
    ".csv": _read_csv,
    ".xlsx": _read_xlsx,
    ".docx": _read_docx,
    ".pdf": _read_pdf,
}
