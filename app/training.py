"""Training data for the answer ranker, and its fitting with leave-one-document-out figures.

Two sources of labelled candidates:
- eval questions: a sentence that holds one of the expected phrases, a number equal to the
  expected figure, in the expected source, is right; every candidate of an abstain question is wrong;
- the archive itself: every sub-question that ingestion aligned with its answer asks what the
  first sentences of that answer say (the sub-question is the query, those sentences are right).
`vraagbaak candidates` writes both as JSONL rows (one per question, with its candidates' features and
labels) from the index at hand; `vraagbaak train` fits the ranker on rows from any number of indexes.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from evals.scoring import Question
from index.library import Library, answer_sections
from ingest.model import Role
from ingest.numbers import same_number

from .answer import Answerer
from .answer.candidates import Candidate
from .answer.ranker import KINDS, Model, Ranker, chosen_index, fit, question_features

SELF_SUPERVISED_SENTENCES = 2  # the first sentences of an aligned answer are what its question asks


def question_rows(answerer: Answerer, questions: Iterable[Question], set_name: str) -> Iterator[dict]:
    for question in questions:
        kind, candidates = answerer.candidates(question.question)
        labels = [_label(question, c, kind) for c in candidates]
        group = question.sources[0] if question.sources else f"{set_name}:geen bron"
        yield _row(f"{set_name}:{question.id}", kind, group, question.kind == "abstain", candidates, labels)


def archive_rows(answerer: Answerer, library: Library) -> Iterator[dict]:
    """Every aligned sub-question with the first sentences of its answer as the right candidates."""
    for document in library.documents():
        for section in document.sections:
            if section.role is not Role.QUESTION:
                continue
            answers = answer_sections(document, section)
            query = " ".join(document.section_text(section).split())[:300]
            if not answers or len(query) < 20:
                continue
            first = answers[0]
            candidates = answerer.candidates(query, kind="passage")[1]
            in_answer = sorted(
                c.start
                for c in candidates
                if c.source == document.source and first.start <= c.start < first.end
            )
            right = set(in_answer[:SELF_SUPERVISED_SENTENCES])
            labels = [int(c.source == document.source and c.start in right) for c in candidates]
            yield _row(
                f"archief:{document.source}:{section.label}",
                "passage",
                document.source,
                False,
                candidates,
                labels,
            )


def _label(question: Question, candidate: Candidate, kind: str) -> int:
    if question.kind == "abstain" or (question.sources and candidate.source not in question.sources):
        return 0
    if kind == "figure":
        return int(
            candidate.value is not None
            and question.value is not None
            and _same(candidate.value, question.value)
        )
    folded = " ".join(candidate.text.split()).lower()
    return int(any(" ".join(c.split()).lower() in folded for c in question.contains))


def _same(printed: str, expected: str) -> bool:
    plain = printed.rstrip("%").replace(" ", "").replace("\u00a0", "")
    return same_number(plain, expected) or same_number(printed.rstrip("%"), expected)


def _row(
    key: str, kind: str, group: str, abstain: bool, candidates: list[Candidate], labels: list[int]
) -> dict:
    return {
        "key": key,
        "kind": kind,
        "group": group,
        "abstain": abstain,
        "features": [c.features for c in candidates],
        "labels": labels,
    }


def read_rows(paths: Iterable[Path]) -> list[dict]:
    return [
        json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line
    ]


def train(rows: list[dict]) -> tuple[Ranker, dict[str, dict]]:
    """The ranker fitted on all rows; the confidence threshold chosen on leave-one-document-out
    probabilities; and the figures, held out and in sample, on the eval questions of each kind."""
    models: dict[str, Model] = {}
    report: dict[str, dict] = {}
    for kind in KINDS:
        mine = [r for r in rows if r["kind"] == kind and r["features"]]
        held = _held_out(mine, _fit_ranker)
        models[kind] = _fit_ranker(mine)
        inside = [models[kind].probabilities(r["features"]) for r in mine]
        asked = [i for i, r in enumerate(mine) if not r["key"].startswith(ARCHIVE)]
        evidence = [_evidence(kind, mine[i], held[i]) for i in asked]
        answerable = [int(not mine[i]["abstain"]) for i in asked]
        groups = [mine[i]["group"] for i in asked]
        confidence_held = _held_out_flat(evidence, answerable, groups)
        right = [_chosen_right(kind, mine[i], held[i]) for i in asked]
        threshold = _best_threshold(confidence_held, answerable, right)
        models[f"{kind}_confidence"] = fit(evidence, answerable, threshold=threshold)
        confidence_inside = models[f"{kind}_confidence"].probabilities(
            [_evidence(kind, mine[i], inside[i]) for i in asked]
        )
        right_inside = [_chosen_right(kind, mine[i], inside[i]) for i in asked]
        report[kind] = {
            "questions": len(asked),
            "training_rows": len(mine),
            "threshold": threshold,
            "held_out": _figures(confidence_held, threshold, answerable, right),
            "in_sample": _figures(confidence_inside, threshold, answerable, right_inside),
        }
    return Ranker(models), report


ARCHIVE = "archief:"


def _fit_ranker(rows: list[dict]) -> Model:
    """Candidates weighted so that every document counts alike (by the square root of its questions):
    five bundled documents with a hundred questions each do not drown the rest."""
    per_group = Counter(r["group"] for r in rows)
    features = [f for r in rows for f in r["features"]]
    labels = [label for r in rows for label in r["labels"]]
    weights = [1.0 / math.sqrt(per_group[r["group"]]) for r in rows for _ in r["features"]]
    return fit(features, labels, weights)


def _held_out(rows: list[dict], fitter) -> list[np.ndarray]:  # type: ignore[no-untyped-def]
    """Each row's candidates scored by a model fitted without its document's rows."""
    by_group: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_group[row["group"]].append(i)
    result: list[np.ndarray] = [np.zeros(0)] * len(rows)
    for members in by_group.values():
        inside = set(members)
        model = fitter([r for i, r in enumerate(rows) if i not in inside])
        for i in members:
            result[i] = model.probabilities(rows[i]["features"])
    return result


def _held_out_flat(evidence: list[dict], labels: list[int], groups: list[str]) -> np.ndarray:
    result = np.zeros(len(evidence))
    for group in sorted(set(groups)):
        train_idx = [i for i, g in enumerate(groups) if g != group]
        test_idx = [i for i, g in enumerate(groups) if g == group]
        if len({labels[i] for i in train_idx}) < 2:
            result[test_idx] = 1.0
            continue
        model = fit([evidence[i] for i in train_idx], [labels[i] for i in train_idx])
        result[test_idx] = model.probabilities([evidence[i] for i in test_idx])
    return result


def _evidence(kind: str, row: dict, probabilities: np.ndarray) -> dict[str, float]:
    candidates = _Wrapped.all(row)
    return question_features(candidates, probabilities, chosen_index(kind, candidates, probabilities))


def _chosen_right(kind: str, row: dict, probabilities: np.ndarray) -> int:
    return row["labels"][chosen_index(kind, _Wrapped.all(row), probabilities)]


def _best_threshold(confidence: np.ndarray, answerable: list[int], right: list[int]) -> float:
    """The threshold that gets most questions right: an answer whose chosen candidate is right, or an
    abstention on a question the corpus does not answer (the lowest of equally good ones)."""
    options = sorted({round(float(c), 3) for c in confidence} | {0.0})
    return max(options, key=lambda t: (_correct(confidence, t, answerable, right), -t))


def _correct(confidence: np.ndarray, threshold: float, answerable: list[int], right: list[int]) -> int:
    answers = confidence >= threshold
    return sum(int(r) if a else int(not q) for a, q, r in zip(answers, answerable, right, strict=True))


def _figures(confidence: np.ndarray, threshold: float, answerable: list[int], right: list[int]) -> dict:
    answers = confidence >= threshold
    asked = [i for i, q in enumerate(answerable) if q]
    refused = [i for i, q in enumerate(answerable) if not q]
    return {
        "chosen_right": _share(right[i] for i in asked),
        "right_with_abstention": _share(
            (right[i] if answers[i] else not answerable[i]) for i in range(len(answerable))
        ),
        "false_abstentions": _share(not answers[i] for i in asked),
        "abstention": _share(not answers[i] for i in refused),
    }


def _share(flags: Iterable) -> float | None:  # type: ignore[type-arg]
    listed = [bool(f) for f in flags]
    return round(sum(listed) / len(listed), 3) if listed else None


class _Wrapped:
    """Feature dicts read back from JSON, in the shape the models read candidates."""

    def __init__(self, features: dict[str, float]) -> None:
        self.features = features
        self.may_answer = True  # the rows keep no headings mark: training chooses as before

    @staticmethod
    def all(row: dict) -> list:  # type: ignore[type-arg]
        return [_Wrapped(f) for f in row["features"]]
