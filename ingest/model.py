"""The domain model: documents, their sections and tables, the chunks made from them, and the
answers (with their citations) given from them.

Plain frozen dataclasses; nothing here imports a framework. Every offset is a
character offset into `Document.text`, with `text[start:end]` the thing itself.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Genre(StrEnum):
    WRITTEN_QUESTION = "written_question"  # schriftelijke vraag with its metadata header
    QUESTION_AND_ANSWER = "question_and_answer"  # question then answer, no header
    PARTIAL_ANSWER = "question_and_partial_answer"  # older question, answer text begins mid-way
    SERV_LETTER = "serv_letter"  # letter of a SERV commission
    SERV_ADVICE = "serv_advice"  # SERV advice (Markdown, key/value metadata block)
    EXCHANGE = "exchange"  # committee or plenary report: speaker turns
    SPREADSHEET = "spreadsheet"  # .xlsx/.csv annex: tables only
    GENERIC = "generic"  # no known genre recognised: paragraphs only


class Role(StrEnum):
    METADATA = "metadata"
    INTRODUCTION = "introduction"  # the preamble before the numbered sub-questions
    QUESTION = "question"
    ANSWER = "answer"
    LETTER = "letter"
    ADVICE = "advice"
    SIGNATURE = "signature"
    TABLE = "table"
    TEXT = "text"


ROLE_LABELS_NL = {
    Role.METADATA: "metadata",
    Role.INTRODUCTION: "inleiding",
    Role.QUESTION: "vraag",
    Role.ANSWER: "antwoord",
    Role.LETTER: "brief",
    Role.ADVICE: "advies",
    Role.SIGNATURE: "ondertekening",
    Role.TABLE: "tabel",
    Role.TEXT: "tekst",
}


@dataclass(frozen=True)
class Metadata:
    number: str | None = None  # parliamentary question number, e.g. "221"
    date: str | None = None  # ISO date, e.g. "2024-02-02"
    asked_by: str | None = None
    minister: str | None = None
    theme: str | None = None
    signatories: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()  # other key/value pairs, in document order

    def as_dict(self) -> dict[str, object]:
        return {
            "number": self.number,
            "date": self.date,
            "asked_by": self.asked_by,
            "minister": self.minister,
            "theme": self.theme,
            "signatories": list(self.signatories),
            "links": list(self.links),
            "extra": dict(self.extra),
        }


@dataclass(frozen=True)
class Section:
    role: Role
    start: int
    end: int
    number: str | None = None  # "3", "2a", "1a+c", "2-3"
    answers: tuple[str, ...] = ()  # for an answer: the question numbers it answers
    heading: str | None = None
    speaker: str | None = None  # a speaker turn's speaker as printed: "Mevrouw De Vroe"
    speaker_role: str | None = None  # "member", "minister" or "chair"

    @property
    def label(self) -> str:
        """Human label in Dutch, e.g. "antwoord 3", "vraag 2a", "advies"."""
        base = ROLE_LABELS_NL[self.role]
        return f"{base} {self.number}" if self.number else base


@dataclass(frozen=True)
class Cell:
    column: str
    value: str  # exactly as printed in the source
    status: str  # "read" (exact, from a structured file), "reconstructed", "uncertain"
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    start: int
    end: int
    section: str | None = None  # label of the section it belongs to
    complete: bool = True

    def as_dict(self) -> dict[str, object]:
        return {
            "caption": self.caption,
            "section": self.section,
            "columns": list(self.columns),
            "rows": [
                {
                    "label": row.label,
                    "cells": [
                        {
                            "column": c.column,
                            "value": c.value,
                            "status": c.status,
                            "start": c.start,
                            "end": c.end,
                        }
                        for c in row.cells
                    ],
                }
                for row in self.rows
            ],
            "complete": self.complete,
        }


@dataclass(frozen=True)
class Document:
    source: str  # file name, as citations name it
    text: str
    genre: Genre
    title: str
    metadata: Metadata = field(default_factory=Metadata)
    sections: tuple[Section, ...] = ()
    tables: tuple[Table, ...] = ()
    content_hash: str = ""
    cues: tuple[str, ...] = ()  # the structure cues the parse rested on ("vraag N", "heeft het woord")

    def section_text(self, section: Section) -> str:
        return self.text[section.start : section.end]

    def section_at(self, offset: int) -> Section | None:
        """The section that holds a character offset."""
        return next((s for s in self.sections if s.start <= offset < s.end), None)

    def section_of(self, chunk: Chunk) -> Section | None:
        """The section a chunk was cut from."""
        return next(
            (s for s in self.sections if s.label == chunk.section and s.start <= chunk.start < s.end), None
        )


@dataclass(frozen=True)
class Chunk:
    id: str  # content hash: same source, span and text give the same id
    source: str
    role: Role
    section: str  # section label, e.g. "antwoord 3"
    start: int
    end: int
    text: str  # == document.text[start:end]; what a citation shows
    context: str = ""  # extra text for retrieval only (the question an answer answers, a caption)
    kind: str = (
        "passage"  # "passage", "table" (a run of table lines), "table_head" or "table_row" (a rebuilt table)
    )

    @property
    def retrieval_text(self) -> str:
        return f"{self.context}\n{self.text}" if self.context else self.text


@dataclass(frozen=True)
class RawDocument:
    """What `load` reads from a file, before any structure is recovered."""

    source: str
    text: str
    tables: tuple[Table, ...] = ()
    format: str = "txt"  # txt, md, pdf, docx, xlsx, csv


@dataclass(frozen=True)
class Citation:
    source: str
    title: str
    section: str
    text: str  # == the source text[start:end]
    start: int
    end: int
    score: float

    @classmethod
    def of_chunk(cls, chunk: Chunk, document: Document, score: float) -> Citation:
        """A whole chunk as a citation."""
        text = document.text[chunk.start : chunk.end]
        return cls(chunk.source, document.title, chunk.section, text, chunk.start, chunk.end, round(score, 5))


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    value: str | None
    abstained: bool
    citations: list[Citation]
    table: dict | None = None  # the table and the cell, for a figure from a table
    latency_ms: float = 0.0
    reason: str = ""  # why it abstained, for the user (Dutch)
    evidence: dict = field(default_factory=dict)  # the scores the decision was made on

    def as_dict(self) -> dict:
        """The predictions format (../shared/EVAL_FORMAT.md), plus `table`, `reason` and `evidence`."""
        return {
            "question": self.question,
            "answer": self.answer,
            "value": self.value,
            "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations],
            "table": self.table,
            "latency_ms": round(self.latency_ms, 2),
            "reason": self.reason,
            "evidence": self.evidence,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Answer:
        """An answer object as `as_dict` wrote it (e.g. from a running app's API)."""
        return cls(
            question=data["question"],
            answer=data["answer"],
            value=data.get("value"),
            abstained=bool(data["abstained"]),
            citations=[Citation(**c) for c in data.get("citations", [])],
            table=data.get("table"),
            latency_ms=float(data.get("latency_ms") or 0.0),
            reason=data.get("reason", ""),
            evidence=data.get("evidence") or {},
        )
