"""Drafting eval: each parliamentary question of the corpus drafted with its own file excluded,
against a hand-made gold mapping of which earlier answer sections answer each sub-question."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ingest.errors import VraagbaakError
from ingest.model import Document, Role


class SubQuestion(Protocol):
    number: str


class NewQuestion(Protocol):
    sub_questions: Sequence[SubQuestion]


class Precedent(Protocol):
    source: str
    section: str


class Drafting(Protocol):
    """What the drafting eval needs of the drafter (app.draft.Drafter): the sub-questions of a
    pasted question, and the precedents found for one of them."""

    def new_question(self, text: str) -> NewQuestion: ...

    def precedents(self, sub: SubQuestion, exclude: set[str]) -> Sequence[Precedent]: ...


@dataclass(frozen=True)
class GoldDocument:
    source: str
    sub_questions: dict[str, set[tuple[str, str]]]  # number -> {(source, answer section)}


@dataclass
class DraftingScores:
    with_precedent: int = 0
    hit1: int = 0
    hit3: int = 0
    without_precedent: int = 0
    none_correct: int = 0
    missing: list[str] = field(default_factory=list)  # gold sub-questions the parser did not find
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        share = lambda n, d: f"{n / d:.3f}" if d else "–"  # noqa: E731
        return "\n".join(
            [
                "| deelvragen met precedent | hit@1 | hit@3 | deelvragen zonder precedent |"
                " juist als zonder gemarkeerd |",
                "| --- | --- | --- | --- | --- |",
                f"| {self.with_precedent} | {share(self.hit1, self.with_precedent)} |"
                f" {share(self.hit3, self.with_precedent)} | {self.without_precedent} |"
                f" {share(self.none_correct, self.without_precedent)} |",
            ]
        )


def load_gold(path: Path) -> list[GoldDocument]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [
            GoldDocument(
                d["source"], {n: {tuple(p) for p in found} for n, found in d["sub_questions"].items()}
            )
            for d in data["documents"]
        ]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise VraagbaakError(
            f"{path}: geen geldige gouden koppeling ({error}); zie evals/sets/drafting.json voor de vorm."
        ) from error


def question_part(document: Document) -> str:
    """The question as staff would paste it: the text before its answer."""
    answer = [
        s.start
        for s in document.sections
        if s.role is Role.ANSWER or (s.role is Role.METADATA and s.heading == "antwoord")
    ]
    return document.text[: min(answer)] if answer else document.text


def evaluate(drafter: Drafting, documents: dict[str, Document], gold: list[GoldDocument]) -> DraftingScores:
    scores = DraftingScores()
    for expected in gold:
        question = drafter.new_question(question_part(documents[expected.source]))
        subs = {s.number: s for s in question.sub_questions}
        scores.missing += [f"{expected.source} {n}" for n in expected.sub_questions if n not in subs]
        for number, answers in expected.sub_questions.items():
            if number not in subs:
                continue
            shown = [(p.source, p.section) for p in drafter.precedents(subs[number], {expected.source})]
            where = f"{expected.source[:3]} vraag {number}"
            if answers:
                scores.with_precedent += 1
                scores.hit1 += bool(shown[:1]) and shown[0] in answers
                scores.hit3 += any(p in answers for p in shown[:3])
                if not shown or shown[0] not in answers:
                    scores.failures.append(f"{where}: verwacht {sorted(answers)}, gekregen {shown[:3]}")
            else:
                scores.without_precedent += 1
                scores.none_correct += not shown
                if shown:
                    scores.failures.append(f"{where}: verwacht geen precedent, gekregen {shown[:1]}")
    return scores
