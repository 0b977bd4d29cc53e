"""A first draft of the reply to a new parliamentary question, from earlier answers only.

1. The new question is parsed as staff paste it: optional header (number, date, asker,
   minister), title, introduction, numbered sub-questions with their lettered parts.
2. Precedents: every sub-question of every ingested parliamentary question is compared with
   the new sub-question (e5 vectors, query to query, plus shared rare words); the answer
   sections that answered the closest ones (the question-answer alignment of ingest) are
   the precedents, ranked, with their document's date.
3. The draft reuses the best precedent's answer: its prose as printed, its tables rebuilt from
   their cells. Years older than the one the new question asks about are marked
   "te actualiseren", and so is each reused table, named with its source. A sub-question
   without a precedent gets a fixed placeholder: no text is ever written that no source holds.
4. Checks beside the draft: every sub-question answered or marked, figures linked to cells,
   no newer precedent left unused, length per answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from app.answer.figure_terms import YEAR_RE, content_stems
from app.errors import UserError
from index.library import Library, answer_sections
from ingest.model import Document, Metadata, Role, Section, Table
from ingest.questions import parse_question_only
from ingest.sentences import one_line
from ingest.textutil import iso_to_dutch_date

LEADING_MARKER_RE = re.compile(
    r"^\s*(?:\d+(?:\s*[-+]\s*\d+)?\s*[.)]\s*)?(?:[a-z](?:\s*[-+]\s*[a-z])*\s*\)\s*)?"
)
PLACEHOLDER = "[Geen eerder antwoord gevonden: aan te vullen.]"
REFRESH = "[te actualiseren]"


@dataclass(frozen=True)
class DraftSettings:
    min_similarity: float = (
        0.93  # below: no precedent (calibrated on evals/sets/drafting.json, the only drafting set)
    )
    precedents: int = 3  # shown per sub-question
    max_answer_chars: int = 2500  # longer reused answers are flagged for trimming


@dataclass(frozen=True)
class SubQuestion:
    number: str  # "2c"
    text: str  # as pasted, whitespace folded
    context: str = ""  # the parent question's text, for a lettered part


@dataclass(frozen=True)
class NewQuestion:
    title: str
    metadata: Metadata
    sub_questions: list[SubQuestion]

    @property
    def asked_year(self) -> int | None:
        """The year the question asks figures for: the latest it names, else the year before it was asked."""
        named = [int(y) for s in self.sub_questions for y in YEAR_RE.findall(f"{s.context} {s.text}")]
        if named:
            return max(named)
        return int(self.metadata.date[:4]) - 1 if self.metadata.date else None


@dataclass(frozen=True)
class Precedent:
    source: str
    title: str
    date: str | None  # the earlier question's date (ISO), when its header gives one
    question: str  # the earlier sub-question's label, "vraag 2c"
    section: str  # the answer section's label, "antwoord 2c"
    score: float
    start: int  # the answer section's offsets in its document
    end: int


@dataclass(frozen=True)
class EarlierQuestion:
    """An answered sub-question of the corpus, as precedent search compares it."""

    document: Document
    question: Section
    text: str  # whitespace folded
    stems: set[str]
    answers: list[Section]  # the answer sections that answer it


@dataclass(frozen=True)
class Flag:
    kind: str  # "te actualiseren", "geen precedent", "lengte", "recenter precedent", "cijfer zonder cel"
    message: str  # Dutch, for the user


@dataclass
class DraftAnswer:
    sub_question: SubQuestion
    precedents: list[Precedent]
    text: str  # the draft's Markdown for this answer: reused text, template marks, rebuilt tables
    flags: list[Flag] = field(default_factory=list)
    cited: Precedent | None = None  # the precedent the text comes from


@dataclass
class Draft:
    question: NewQuestion
    heading: str | None
    answers: list[DraftAnswer]
    checks: list[tuple[str, bool, str]]  # (check, passed, detail), Dutch


def parse_new_question(text: str) -> NewQuestion:
    parsed = parse_question_only(text)
    if parsed is None:
        raise UserError(
            "geen genummerde deelvragen gevonden; plak de vraag met haar nummering (1. ... 2. a) ... b) ...)."
        )
    questions = [s for s in parsed.sections if s.role is Role.QUESTION]
    by_number = {s.number: _question_text(text, s) for s in questions}
    subs = []
    for section in questions:
        number = section.number or ""
        parent = number.rstrip("abcdefghijklmnopqrstuvwxyz")
        context = by_number.get(parent, "") if parent != number else ""
        subs.append(SubQuestion(number, by_number[number], context))
    return NewQuestion(parsed.title, parsed.metadata, subs)


class Drafter:
    def __init__(self, library: Library, settings: DraftSettings | None = None) -> None:
        self.library = library
        self.settings = settings or DraftSettings()
        self._earlier: tuple[int, list[EarlierQuestion], np.ndarray] | None = None

    def new_question(self, text: str) -> NewQuestion:
        """The numbered sub-questions of a pasted question (the drafting eval asks the drafter for them)."""
        return parse_new_question(text)

    def _earlier_questions(self) -> tuple[list[EarlierQuestion], np.ndarray]:
        """Every answered question of the corpus (a written sub-question, a member's turn that a
        minister answered), with its stems, its answer sections and its vector: derived once per
        catalog generation."""
        view = self.library.view()
        if self._earlier is None or self._earlier[0] != view.generation:
            found = []
            for document in view.documents.values():
                for section in document.sections:
                    answers = answer_sections(document, section) if section.role is Role.QUESTION else []
                    if answers:
                        text = _question_text(document.text, section)
                        found.append(EarlierQuestion(document, section, text, content_stems(text), answers))
            texts = [e.text for e in found]
            vectors = (
                self.library.embedder.embed_queries(texts) if texts else np.zeros((0, 1), dtype=np.float32)
            )
            self._earlier = (view.generation, found, vectors)
        return self._earlier[1], self._earlier[2]

    def precedents(
        self,
        sub: SubQuestion,
        exclude: set[str] = frozenset(),  # type: ignore[assignment]
    ) -> list[Precedent]:
        """The precedents a draft shows: the best few at or above the similarity floor."""
        return [p for p in self.ranked(sub, exclude) if p.score >= self.settings.min_similarity][
            : self.settings.precedents
        ]

    def ranked(
        self,
        sub: SubQuestion,
        exclude: set[str] = frozenset(),  # type: ignore[assignment]
    ) -> list[Precedent]:
        """Every earlier answer section, best first, by how close its question is to this one."""
        earlier, vectors = self._earlier_questions()
        if not earlier:
            return []
        query = f"{sub.context} {sub.text}" if sub.context else sub.text
        similarity = vectors @ self.library.embedder.embed_query(query)
        asked = content_stems(sub.text)
        ranked: dict[tuple[str, str], Precedent] = {}
        for candidate, cosine in zip(earlier, similarity):
            document, question = candidate.document, candidate.question
            if document.source in exclude:
                continue
            score = float(cosine) + 0.05 * len(asked & candidate.stems) / max(len(asked), 1)
            for answer in candidate.answers:
                key = (document.source, answer.label)
                if key not in ranked or ranked[key].score < score:
                    ranked[key] = Precedent(
                        document.source,
                        document.title,
                        document.metadata.date,
                        question.label,
                        answer.label,
                        round(score, 4),
                        answer.start,
                        answer.end,
                    )
        return sorted(ranked.values(), key=lambda p: -p.score)

    def draft(self, text: str, exclude: set[str] = frozenset()) -> Draft:  # type: ignore[assignment]
        with self.library.pinned():  # one corpus for every step, whatever an ingest commits meanwhile
            return self._draft(text, exclude)

    def _draft(self, text: str, exclude: set[str]) -> Draft:
        question = parse_new_question(text)
        documents = self.library.view().documents
        unknown = sorted(exclude - set(documents))
        if unknown:
            raise UserError(
                f"--exclude: onbekend document {', '.join(unknown)}; kies uit: {', '.join(sorted(documents))}"
            )
        answers = [
            self._answer(sub, self.precedents(sub, exclude), documents, question.asked_year)
            for sub in question.sub_questions
        ]
        return Draft(question, _heading(question.metadata), answers, _checks(answers, documents))

    def _answer(
        self, sub: SubQuestion, found: list[Precedent], documents: dict[str, Document], asked: int | None
    ) -> DraftAnswer:
        if not found:
            return DraftAnswer(
                sub,
                [],
                PLACEHOLDER,
                [Flag("geen precedent", "Geen eerder antwoord gevonden; aan te vullen.")],
            )
        best = found[0]
        document = documents[best.source]
        tables = [t for t in document.tables if best.start <= t.start < best.end]
        text, flags = _reuse(document, best, tables, asked)
        if len(text) > self.settings.max_answer_chars:
            flags.append(
                Flag("lengte", f"Het hergebruikte antwoord telt {len(text)} tekens; overweeg in te korten.")
            )
        return DraftAnswer(sub, found, text, flags, best)


def _question_text(text: str, question: Section) -> str:
    """A question section's text on one line."""
    return one_line(text[question.start : question.end])


def _reuse(
    document: Document, precedent: Precedent, tables: list[Table], asked: int | None
) -> tuple[str, list[Flag]]:
    """The precedent's prose as printed (its own number dropped, old years marked) and its tables rebuilt
    from their cells."""
    flags: list[Flag] = []
    pieces: list[str] = []
    cursor = precedent.start
    for table in sorted(tables, key=lambda t: t.start):
        pieces.append(_prose(document.text[cursor : table.start], asked, first=cursor == precedent.start))
        pieces.append(_table_markdown(table))
        years = [
            int(y)
            for y in YEAR_RE.findall(
                " ".join([table.caption, *table.columns, *(r.label for r in table.rows)])
            )
        ]
        if asked is not None and (not years or max(years) < asked):
            until = f"cijfers tot {max(years)}" if years else "cijfers van het eerdere antwoord"
            flags.append(
                Flag(
                    "te actualiseren",
                    f"Tabel '{table.caption.strip()}' ({precedent.source}, {precedent.section}): {until}; te "
                    f"actualiseren voor {asked}.",
                )
            )
        cursor = max(cursor, table.end)
    pieces.append(_prose(document.text[cursor : precedent.end], asked, first=cursor == precedent.start))
    old_years = sorted(
        {
            int(y)
            for y in YEAR_RE.findall(document.text[precedent.start : precedent.end])
            if asked and int(y) < asked
        }
    )
    if old_years:
        flags.append(
            Flag(
                "te actualiseren",
                f"Jaartallen ouder dan {asked} in de hergebruikte tekst: {', '.join(map(str, old_years))}.",
            )
        )
    return "\n\n".join(p for p in pieces if p), flags


def _prose(text: str, asked: int | None, first: bool) -> str:
    folded = one_line(text)
    if first:
        folded = LEADING_MARKER_RE.sub("", folded, count=1)
    if asked is None:
        return folded
    return YEAR_RE.sub(lambda m: f"{m.group(1)} {REFRESH}" if int(m.group(1)) < asked else m.group(1), folded)


def _table_markdown(table: Table) -> str:
    """The table from its cells, as a Markdown table under its caption."""
    header = "| " + " | ".join(["", *table.columns]) + " |"
    rule = "| " + " | ".join(["---"] * (len(table.columns) + 1)) + " |"
    rows = []
    for row in table.rows:
        values = {c.column: c.value for c in row.cells}
        rows.append("| " + " | ".join([row.label, *(values.get(c, "") for c in table.columns)]) + " |")
    return "\n".join([f"*{table.caption.strip()}*", "", header, rule, *rows])


def _heading(meta: Metadata) -> str | None:
    """The house heading, when the header gives number, date and asker."""
    if not (meta.number and meta.date and meta.asked_by):
        return None
    lines = [meta.minister.upper()] if meta.minister else []
    lines += [
        "ANTWOORD",
        f"op vraag nr. {meta.number} van {iso_to_dutch_date(meta.date)}",
        f"van {meta.asked_by.upper()}",
    ]
    return "\n".join(lines)


def _checks(answers: list[DraftAnswer], documents: dict[str, Document]) -> list[tuple[str, bool, str]]:
    unanswered = [a.sub_question.number for a in answers if a.cited is None and a.text != PLACEHOLDER]
    placeholders = [a.sub_question.number for a in answers if a.cited is None]
    checks = [
        (
            "Elke deelvraag beantwoord of gemarkeerd",
            not unanswered,
            f"{len(answers) - len(placeholders)} beantwoord, {len(placeholders)} gemarkeerd als zonder "
            f"precedent" + (f" ({', '.join(placeholders)})" if placeholders else ""),
        )
    ]
    linked, loose = _figure_links(answers, documents)
    checks.append(
        (
            "Elk cijfer gekoppeld aan een broncel",
            loose == 0,
            f"{linked} cijfers uit tabelcellen; {loose} cijfers in lopende tekst (controleer ze in de bron)",
        )
    )
    newer = []
    for answer in answers:
        if answer.cited and answer.cited.date:
            later = [p for p in answer.precedents[1:] if p.date and p.date > answer.cited.date]
            newer += [f"{answer.sub_question.number}: {p.source} ({p.date})" for p in later]
    checks.append(
        (
            "Geen ouder cijfer waar een recenter precedent bestaat",
            not newer,
            "; ".join(newer) if newer else "geen recenter precedent onbenut",
        )
    )
    lengths = ", ".join(f"{a.sub_question.number}: {len(a.text)}" for a in answers)
    too_long = [a for a in answers if any(f.kind == "lengte" for f in a.flags)]
    checks.append(("Lengte per antwoord (tekens)", not too_long, lengths))
    return checks


def _figure_links(answers: list[DraftAnswer], documents: dict[str, Document]) -> tuple[int, int]:
    """Figures of the reused text that are table cells, and those that stand in running text."""
    linked = loose = 0
    for answer in answers:
        if answer.cited is None:
            continue
        document = documents[answer.cited.source]
        cells = [
            (c.start, c.end) for t in document.tables for r in t.rows for c in r.cells if c.start is not None
        ]
        for match in re.finditer(
            r"(?<![\w.,])\d[\d.,]*\d(?![\w])|(?<![\w.,])\d(?![\w.,])",
            document.text[answer.cited.start : answer.cited.end],
        ):
            position = answer.cited.start + match.start()
            if YEAR_RE.fullmatch(match.group()):
                continue
            if any(a <= position < b for a, b in cells):
                linked += 1
            else:
                loose += 1
    return linked, loose
