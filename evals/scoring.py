"""Eval sets and predictions in the shared format (../shared/EVAL_FORMAT.md), and their scores.

Nothing here knows how predictions were made: any system's predictions file can be
scored, so outside scorers and this one agree.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import VraagbaakError
from ingest.numbers import same_number

KINDS = ("table", "passage", "abstain")
MAX_PASSAGE_ANSWER = 600
# a figure as printed, its thousands grouped by points or by spaces ("316 000")
FIRST_NUMBER_RE = re.compile(r"-?\d{1,3}(?:[ \u00a0]\d{3})+(?![\d.])(?:,\d+)?|-?\d[\d.,]*\d|-?\d")


class EvalFormatError(VraagbaakError):
    pass


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    question: str
    value: str | None = None
    contains: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


def load_questions(path: Path) -> list[Question]:
    """Read a questions file; a malformed line stops the run with its line number and field."""
    if not path.exists():
        raise EvalFormatError(f"vragenbestand niet gevonden: {path}")
    questions: list[Question] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name} regel {number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise EvalFormatError(
                f"{where}: geen geldige JSON ({error.msg}). Eén JSON-object per regel."
            ) from error
        questions.append(_question(item, where))
        if questions[-1].id in seen:
            raise EvalFormatError(
                f"{where}: id '{questions[-1].id}' komt twee keer voor; ids moeten uniek zijn."
            )
        seen.add(questions[-1].id)
    if not questions:
        raise EvalFormatError(f"{path.name}: bevat geen vragen.")
    return questions


def _question(item: object, where: str) -> Question:
    if not isinstance(item, dict):
        raise EvalFormatError(f"{where}: verwacht een JSON-object.")
    for key in ("id", "kind", "question"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise EvalFormatError(f"{where}: veld '{key}' ontbreekt of is leeg.")
    kind = item["kind"]
    if kind not in KINDS:
        raise EvalFormatError(f"{where}: 'kind' is '{kind}'; kies uit {', '.join(KINDS)}.")
    expected = item.get("expected")
    if not isinstance(expected, dict):
        raise EvalFormatError(f"{where}: veld 'expected' ontbreekt.")
    source = expected.get("source", [])
    sources = (source,) if isinstance(source, str) else tuple(source)
    if kind == "table" and not isinstance(expected.get("value"), str):
        raise EvalFormatError(
            f"{where}: 'expected.value' (tekst, bv. \"27.313,55\") is verplicht voor kind 'table'."
        )
    contains = expected.get("contains", [])
    if kind == "passage" and (not isinstance(contains, list) or not contains):
        raise EvalFormatError(
            f"{where}: 'expected.contains' (lijst van teksten) is verplicht voor kind 'passage'."
        )
    if kind == "abstain" and expected.get("abstain") is not True:
        raise EvalFormatError(f"{where}: 'expected.abstain' moet true zijn voor kind 'abstain'.")
    return Question(item["id"], kind, item["question"], expected.get("value"), tuple(contains), sources)


@dataclass
class Outcome:
    question: Question
    prediction: dict
    correct: bool
    hit1: bool | None  # None for abstain questions (no expected source)
    hit3: bool | None


@dataclass
class Scores:
    counts: dict[str, int] = field(default_factory=dict)
    table_accuracy: float | None = None
    passage_accuracy: float | None = None
    abstention: float | None = None
    false_abstentions: float | None = None
    hit_at_1: float | None = None
    hit_at_3: float | None = None
    latency_p50: float | None = None
    latency_p95: float | None = None
    outcomes: list[Outcome] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "outcomes"}


def first_number(value: str | None) -> str | None:
    if not value:
        return None
    match = FIRST_NUMBER_RE.search(value)
    return match.group() if match else None


def judge(question: Question, prediction: dict) -> Outcome:
    abstained = bool(prediction.get("abstained"))
    answer = " ".join(str(prediction.get("answer") or "").split()).lower()
    if question.kind == "table":
        number = first_number(prediction.get("value"))
        correct = not abstained and number is not None and same_number(number, question.value or "")
    elif question.kind == "passage":
        correct = (
            not abstained
            and len(answer) <= MAX_PASSAGE_ANSWER
            and any(" ".join(c.split()).lower() in answer for c in question.contains)
        )
    else:
        correct = abstained
    cited = [c.get("source") for c in prediction.get("citations") or []]
    hit1 = hit3 = None
    if question.sources:
        hit1 = bool(cited[:1]) and cited[0] in question.sources
        hit3 = any(s in question.sources for s in cited[:3])
    return Outcome(question, prediction, correct, hit1, hit3)


def score(questions: list[Question], predictions: dict[str, dict]) -> Scores:
    outcomes = [judge(q, predictions.get(q.id, {})) for q in questions]
    scores = Scores(outcomes=outcomes)
    for kind in KINDS:
        scores.counts[kind] = sum(1 for o in outcomes if o.question.kind == kind)
    scores.table_accuracy = _share(o.correct for o in outcomes if o.question.kind == "table")
    scores.passage_accuracy = _share(o.correct for o in outcomes if o.question.kind == "passage")
    scores.abstention = _share(o.correct for o in outcomes if o.question.kind == "abstain")
    scores.false_abstentions = _share(
        bool(o.prediction.get("abstained")) for o in outcomes if o.question.kind != "abstain"
    )
    scores.hit_at_1 = _share(o.hit1 for o in outcomes if o.hit1 is not None)
    scores.hit_at_3 = _share(o.hit3 for o in outcomes if o.hit3 is not None)
    latencies = sorted(float(o.prediction.get("latency_ms", 0.0)) for o in outcomes)
    scores.latency_p50 = _percentile(latencies, 50)
    scores.latency_p95 = _percentile(latencies, 95)
    return scores


def _share(flags) -> float | None:  # type: ignore[no-untyped-def]
    values = [bool(f) for f in flags]
    return sum(values) / len(values) if values else None


def _percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    rank = max(1, -(-len(values) * q // 100))
    return values[int(rank) - 1]
