"""Answer candidates and the signals a learned ranker weighs them by.

A candidate is a sentence of a retrieved passage (for a passage question) or one number: in a
sentence of running text or in a cell of a rebuilt table (for a figure question). Every
candidate keeps the exact offsets of the span it would cite. Its features are general
signals, not word lists: how much of the question's rare words it covers, how close in
meaning (e5 cosine) it is, where its passage ranked, whether it is the text of a question
rather than of an answer, whether its unit is the unit asked for, how near the number stands
to the question's words. What the older rules chose is one signal among them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from ingest.model import Chunk, Document, Role, Table
from ingest.numbers import is_year

from .abstention import unknown_beside_slots
from .extract import Extract, TermWeights, sentences
from .extract import terms as _terms
from .figures import Figure, _is_reference
from .lexicon import AnswerLexicon

# A number as printed: 1.085,7 | 316 000 | 21,7 | 95% | 7,9 % ; not inside a word or a code
NUMBER_RE = re.compile(
    r"(?<![\w.,/-])(\d{1,3}(?:\.\d{3})+(?:,\d+)?"
    r"|(?<!\d[ \u00a0])\d{1,3}[ \u00a0]\d{3}(?![ \u00a0]?\d)(?:,\d+)?"
    r"|\d+(?:,\d+)?)(\s?%)?(?![\w,/]|\.\d)"
)  # "316 000" is one number, "595 426 292" (a row of a table printed as text) three
WINDOW = 6  # words either side of a number that say what it counts
DOCUMENT_HEAD = 300  # characters: a document's title and header lines
SHORTLIST = 60  # candidates the ranker weighs per question


@dataclass(frozen=True)
class Asked:
    """What is derived from the question once: its words weighted by rarity, what it asks for."""

    text: str
    stems: frozenset[str]
    weight: dict[str, float]  # idf of every asked stem
    total: float
    unknown_share: float  # the idf mass of words the corpus never uses
    unknown_topics: int  # topic words (nouns, names) and named numbers the corpus never uses
    wants: frozenset[str]  # answer types and units the question asks (lexicon names)
    numbers: frozenset[str]  # numbers the question itself names
    vector: np.ndarray

    def coverage(self, present: frozenset[str] | set[str]) -> float:
        return sum(w for s, w in self.weight.items() if s in present) / self.total if self.total else 0.0


@lru_cache(maxsize=100_000)
def terms(text: str) -> frozenset[str]:
    """The stems a text is matched by (remembered: table labels and sentences recur across questions)."""
    return _terms(text)


def asked(question: str, weights: TermWeights, lexicon: AnswerLexicon, vector: np.ndarray) -> Asked:
    stems = terms(question)
    weight = {s: weights.idf(s) for s in stems if not s.isdigit()}
    total = sum(weight.values())
    unknown = sum(w for s, w in weight.items() if not weights.known(s))
    return Asked(
        question,
        frozenset(stems),
        weight,
        total,
        unknown / total if total else 0.0,
        len(unknown_beside_slots(question, weights)),
        lexicon.asked_types(question),
        frozenset(_plain(m.group(1)) for m in NUMBER_RE.finditer(question)),
        vector,
    )


@dataclass
class Candidate:
    kind: str  # "sentence", "number" or "cell"
    source: str
    section: str
    start: int  # the span a citation shows: the sentence, or the table row
    end: int
    text: str
    value: str | None = None  # a number exactly as printed
    value_start: int | None = None  # its offsets in the document text
    value_end: int | None = None
    cell: tuple[Table, int, int] | None = None  # table, row index, cell index
    chunk: Chunk | None = None  # the retrieved chunk a sentence comes from
    figure: Figure | None = None  # the older lookup's figure, for its own candidate
    features: dict[str, float] = field(default_factory=dict)
    may_answer: bool = True  # False for a heading: it stays a rival (the models saw it) but is never chosen

    def overlaps(self, source: str, start: int, end: int) -> bool:
        return self.source == source and self.start < end and start < self.end


@dataclass(frozen=True)
class Ranked:
    """A retrieved chunk with what retrieval said of it."""

    chunk: Chunk
    rank: int
    vector_score: float
    via_question: bool
    asked_similarity: float  # cosine of the question with the sub-question the chunk's section answers


def sentence_candidates(
    asked_: Asked,
    ranked: list[Ranked],
    documents: dict[str, Document],
    sentence_vectors: Mapping[tuple[str, int, int], np.ndarray],
    lexicon: AnswerLexicon,
) -> list[Candidate]:
    found: dict[tuple[str, int, int], Candidate] = {}
    headings_answer = lexicon.heading_may_answer(asked_.wants)
    for item in ranked:
        document = documents[item.chunk.source]
        listed = sentences(document, item.chunk)
        for position, sentence in enumerate(listed):
            key = (item.chunk.source, sentence.start, sentence.end)
            if key in found:
                continue
            vector = sentence_vectors.get(key)
            cosine = float(vector @ asked_.vector) if vector is not None else item.vector_score
            following = listed[position + 1].text if position + 1 < len(listed) else ""
            present = terms(sentence.text)
            found[key] = Candidate(
                "sentence",
                item.chunk.source,
                item.chunk.section,
                sentence.start,
                sentence.end,
                sentence.text,
                chunk=item.chunk,
                may_answer=headings_answer or not is_heading(sentence.text),
                features={
                    "cosine": cosine,
                    "has_vector": float(vector is not None),
                    "coverage": asked_.coverage(present),
                    "coverage_with_next": asked_.coverage(present | terms(following)),
                    "passage_rank": 1.0 / (1 + item.rank),
                    "passage_similarity": item.vector_score,
                    "question_text": float(item.chunk.role is Role.QUESTION),
                    "led_from_question": float(item.via_question),
                    "asked_similarity": item.asked_similarity,
                    "position": 1.0 / (1 + position),
                    "type_match": float(bool(lexicon.matching_types(asked_.wants, sentence.text))),
                    "asks_type": float(bool(lexicon.typed(asked_.wants))),
                    "length": math.log(1 + len(sentence.text)),
                    "unknown_share": asked_.unknown_share,
                    "unknown_topics": float(asked_.unknown_topics),
                    "table_line": float(item.chunk.kind != "passage"),
                },
            )
    candidates = list(found.values())
    source_rank = {s: i for i, s in enumerate(dict.fromkeys(item.chunk.source for item in ranked))}
    for candidate in candidates:
        role = candidate.chunk.role if candidate.chunk else Role.TEXT
        candidate.features.update({f"role_{r.value}": float(role is r) for r in Role})
        candidate.features["source_rank"] = 1.0 / (1 + source_rank[candidate.source])
        candidate.features["document_head"] = float(candidate.start < DOCUMENT_HEAD)
    _relative(candidates, ("cosine", "coverage", "coverage_with_next", "asked_similarity"))
    return candidates


HEADING_MAX_WORDS = 8


def is_heading(text: str) -> bool:
    """A heading names what follows and never answers: one line that is a Markdown heading, or a
    short line of capitals only, without figures ("ADVIES", "ANTWOORD"; not "LDE: 790")."""
    line = text.strip()
    if not line or "\n" in line:
        return False
    if line.startswith("#"):
        return True
    letters = [c for c in line if c.isalpha()]
    capitals = bool(letters) and not any(c.islower() for c in letters)
    return capitals and not any(c.isdigit() for c in line) and len(line.split()) <= HEADING_MAX_WORDS


def rule_candidate(extract: Extract, sentences_: list[Candidate], may_answer: bool) -> Candidate | None:
    """The extract the older rules chose (a sentence or a few, maybe extended), as one candidate: the
    features of its best sentence, marked as the rules' choice (None where it holds none)."""
    inside = [c for c in sentences_ if c.overlaps(extract.chunk.source, extract.start, extract.end)]
    if not inside:
        return None
    features = dict(max(inside, key=lambda c: c.features["cosine"]).features)
    features["rule_choice"] = 1.0
    features["length"] = math.log(1 + len(extract.text))
    return Candidate(
        "sentence",
        extract.chunk.source,
        extract.chunk.section,
        extract.start,
        extract.end,
        extract.text,
        chunk=extract.chunk,
        features=features,
        may_answer=may_answer,
    )


def rule_figure_candidate(figure: Figure, document: Document, found: list[Candidate]) -> Candidate:
    """The figure the older lookup chose, as one candidate: the features of the same number or cell
    where it is among the candidates, marked as the rules' choice."""
    same = [c for c in found if c.source == figure.source and c.value_start == figure.start]
    features = (
        dict(same[0].features) if same else {"is_number": 1.0, "is_cell": float(figure.kind == "table")}
    )
    features["rule_figure"] = 1.0
    if same:
        return replace(same[0], features=features, figure=figure)
    start = figure.start or 0
    line_start = document.text.rfind("\n", 0, start) + 1
    line_end = document.text.find("\n", start)
    line_end = len(document.text) if line_end < 0 else line_end
    return Candidate(
        "rule",
        figure.source,
        figure.section or "",
        line_start,
        line_end,
        document.text[line_start:line_end],
        figure.value,
        figure.start,
        figure.end,
        figure=figure,
        features=features,
    )


def number_candidates(
    asked_: Asked, sentences_: list[Candidate], documents: dict[str, Document], lexicon: AnswerLexicon
) -> list[Candidate]:
    """Every number in the candidate sentences, and every cell of the tables of the documents they come
    from, each with its sentence's (or row's) features and its own."""
    found: list[Candidate] = []
    for sentence in sentences_:
        if sentence.features["table_line"]:
            continue  # a table's numbers are answered from its cells
        for match in NUMBER_RE.finditer(sentence.text):
            before = sentence.text[: match.start()]
            after = sentence.text[match.end() :]
            value = (match.group(1) + (match.group(2) or "")).replace(" %", "%")
            features = dict(sentence.features)
            features.update(_number_features(asked_, value, before, after, lexicon))
            at = sentence.start + match.start()
            found.append(
                Candidate(
                    "number",
                    sentence.source,
                    sentence.section,
                    sentence.start,
                    sentence.end,
                    sentence.text,
                    value,
                    at,
                    at + len(match.group()),
                    chunk=sentence.chunk,
                    features=features,
                )
            )
    sources = list(dict.fromkeys(s.source for s in sentences_))[:3]
    for source in sources:
        for table in documents[source].tables:
            found += _cell_candidates(asked_, documents[source], table, lexicon)
    _relative(found, ("near", "cosine", "coverage"))
    return found


def _number_features(asked_: Asked, value: str, before: str, after: str, lexicon: AnswerLexicon) -> dict:
    words_before = " ".join(before.split()[-WINDOW:])
    words_after = " ".join(after.split()[:WINDOW])
    units = lexicon.units_of(words_before, value, words_after)
    plain = _plain(value)
    return {
        "is_number": 1.0,
        "near": asked_.coverage(terms(f"{words_before} {words_after}")),
        "counted": asked_.coverage(terms(" ".join(after.split()[:3]))),
        "unit_match": float(bool(units & asked_.wants)),
        "unit_other": float(bool(units - asked_.wants)),
        "year": float(is_year(plain)),
        "year_asked": float(is_year(plain) and "jaar" in asked_.wants),
        "in_question": float(plain in asked_.numbers),
        "reference": float(_is_reference(before[-20:], after)),
    }


def _cell_candidates(asked_: Asked, document: Document, table: Table, lexicon: AnswerLexicon) -> list:
    caption = terms(f"{table.caption} {' '.join(table.columns[:1])}")
    found = []
    for r, row in enumerate(table.rows):
        row_terms = terms(row.label)
        line_start = min((c.start for c in row.cells if c.start is not None), default=table.start)
        line_end = max((c.end for c in row.cells if c.end is not None), default=table.end)
        line_start = document.text.rfind("\n", 0, line_start) + 1
        line_end = (
            document.text.find("\n", line_end) if "\n" in document.text[line_end:] else len(document.text)
        )
        for i, cell in enumerate(row.cells):
            if cell.status == "uncertain" or not NUMBER_RE.fullmatch(cell.value.strip()):
                continue
            column_terms = terms(cell.column)
            units = lexicon.units_of(cell.column, cell.value, table.caption)
            present = row_terms | column_terms | caption
            features = {
                "is_number": 1.0,
                "is_cell": 1.0,
                "coverage": asked_.coverage(present),
                "near": asked_.coverage(row_terms | column_terms),
                "row_match": asked_.coverage(row_terms),
                "column_match": asked_.coverage(column_terms),
                "unit_match": float(bool(units & asked_.wants)),
                "unit_other": float(bool(units - asked_.wants)),
                "total_row": float(lexicon.is_total(row.label)),
                "total_column": float(lexicon.is_total(cell.column)),
                "in_question": float(_plain(cell.value) in asked_.numbers),
                "unknown_share": asked_.unknown_share,
                "unknown_topics": float(asked_.unknown_topics),
                "asks_type": float(bool(lexicon.typed(asked_.wants))),
            }
            found.append(
                Candidate(
                    "cell",
                    document.source,
                    table.section or "",
                    line_start,
                    line_end,
                    document.text[line_start:line_end],
                    cell.value.strip(),
                    cell.start,
                    cell.end,
                    (table, r, i),
                    features=features,
                )
            )
    return found


def shortlist(candidates: list[Candidate], size: int = SHORTLIST) -> list[Candidate]:
    """The candidates most worth ranking, by plain evidence (meaning, coverage, nearness, the rules'
    choice), in their original order: the ranker is trained and applied on the same shortlist."""
    if len(candidates) <= size:
        return candidates

    def evidence(candidate: Candidate) -> float:
        f = candidate.features
        rule = f.get("rule_choice", 0.0) + f.get("rule_figure", 0.0)
        return f.get("cosine", 0.0) + f.get("coverage", 0.0) + f.get("near", 0.0) + 10 * rule

    kept = sorted(range(len(candidates)), key=lambda i: -evidence(candidates[i]))[:size]
    return [candidates[i] for i in sorted(kept)]


def _relative(candidates: list[Candidate], names: tuple[str, ...]) -> None:
    """Each signal also as its distance to the best candidate's: a ranker compares candidates of one
    question, whose absolute levels differ from question to question."""
    for name in names:
        best = max((c.features.get(name, 0.0) for c in candidates), default=0.0)
        for candidate in candidates:
            candidate.features[f"{name}_gap"] = best - candidate.features.get(name, 0.0)


def _plain(value: str) -> str:
    """A number without its thousands separators and percent sign, to compare printed forms."""
    return re.sub(r"[.\s\u00a0%]", "", value)
