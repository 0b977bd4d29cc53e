"""How much one file may ask of the machine: its size, what it unpacks to, its pages, rows,
cells, text and chunks. A file over a limit is refused whole (never half-ingested), with a
Dutch reason that names the limit and what to do; the rest of the batch goes on.

The checks run before the expensive step they guard: the unpacked size of a .docx/.xlsx
from the zip directory before any part is read (zipfile enforces the sizes it declares),
pages before a PDF is parsed, rows and cells while a sheet is read."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NoReturn, TypeVar

from .errors import FileTooLargeError
from .numbers import dutch_whole

MB = 1_000_000
T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * MB  # the upload limit of the app
    max_unpacked_bytes: int = 100 * MB  # all parts of a .docx/.xlsx together, unpacked
    max_pdf_pages: int = 500
    max_table_rows: int = 5_000  # per sheet or table
    max_cells: int = 200_000  # per file
    max_text_chars: int = 2_000_000  # the text read from the file
    max_parse_seconds: float = 600.0  # reading and structuring one file (1 MB of text: ~100 s)
    max_chunks: int = 20_000  # passages the file becomes (1 MB of table-rich text: ~6,500)


def refuse(source: str, what: str, advice: str = "splits het bestand op in kleinere delen.") -> NoReturn:
    raise FileTooLargeError(source, f"{what}; het bestand is niet opgenomen: {advice}")


def check_file_size(source: str, size: int, limits: Limits) -> None:
    if size > limits.max_file_bytes:
        refuse(
            source,
            f"het bestand is {size / 1e6:.1f} MB, meer dan de grens van {limits.max_file_bytes / 1e6:.0f} MB",
        )


def check_unpacked(source: str, data: bytes, limits: Limits) -> None:
    """A .docx/.xlsx is a zip: refuse one that unpacks to more than the limit (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return  # not a readable zip: the format's reader says so in its own words
    if unpacked > limits.max_unpacked_bytes:
        refuse(
            source,
            f"het bestand pakt uit tot {dutch_whole(unpacked / 1e6)} MB, meer dan de grens van "
            f"{limits.max_unpacked_bytes / 1e6:.0f} MB (een 'zip-bom' of een bestand met zeer grote "
            "ingesloten delen)",
            "bewaar het opnieuw zonder grote ingesloten objecten, of lever het aan als PDF of tekst.",
        )


def check_pages(source: str, pages: int, limits: Limits) -> None:
    if pages > limits.max_pdf_pages:
        refuse(source, f"de PDF telt {pages} pagina's, meer dan de grens van {limits.max_pdf_pages}")


class CellBudget:
    """Counts the rows of one table and the cells of the whole file while they are read."""

    def __init__(self, source: str, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self.cells = 0

    def counted(self, table: str, rows: Iterable[Sequence[T]]) -> Iterator[Sequence[T]]:
        """The rows of one table, each counted as it is read: a table over the limit stops the read."""
        for number, row in enumerate(rows, 1):
            if number > self.limits.max_table_rows:
                refuse(
                    self.source,
                    f"{table} heeft meer dan {dutch_whole(self.limits.max_table_rows)} rijen",
                    "splits de tabel op, of houd alleen de rijen die als antwoord dienen.",
                )
            self.cells += len(row)
            if self.cells > self.limits.max_cells:
                refuse(self.source, f"het bestand heeft meer dan {dutch_whole(self.limits.max_cells)} cellen")
            yield row


def check_text(source: str, characters: int, limits: Limits) -> None:
    if characters > limits.max_text_chars:
        refuse(
            source,
            f"de tekst telt {dutch_whole(characters)} tekens, meer dan de grens van "
            f"{dutch_whole(limits.max_text_chars)}",
        )


def check_chunks(source: str, chunks: int, limits: Limits) -> None:
    if chunks > limits.max_chunks:
        refuse(
            source,
            f"het bestand wordt {dutch_whole(chunks)} passages, meer dan de grens van "
            f"{dutch_whole(limits.max_chunks)}",
        )
