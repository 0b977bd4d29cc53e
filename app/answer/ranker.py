"""The learned answer ranker: logistic regressions over the candidates' features, and over the
evidence of the chosen answer for the confidence that decides abstention.

Per kind of question ("passage": sentences, "figure": numbers and cells) two models:
- `rank`: the probability that a candidate is the right answer;
- `confidence`: the probability that the corpus answers the question, from what the chosen answer
  and its rivals show (their probabilities, the share of question words the corpus never uses, the
  meaning and word coverage of the chosen span); below its threshold, chosen on the development
  data, Vraagbaak abstains.
The weights live in a small JSON file (`app/answer/ranker.json`), rebuilt deterministically by
`vraagbaak train` (`make ranker`); applying them needs numpy only.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ingest.errors import VraagbaakError

from .candidates import Candidate

RANKER_PATH = Path(__file__).with_name("ranker.json")
KINDS = ("passage", "figure")


@dataclass(frozen=True)
class Model:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float = 0.5  # for a confidence model: below it, abstain

    def probabilities(self, rows: Sequence[dict[str, float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        matrix = np.array([[row.get(name, 0.0) for name in self.features] for row in rows], dtype=np.float64)
        scaled = (matrix - np.array(self.mean)) / np.array(self.scale)
        return 1.0 / (1.0 + np.exp(-(scaled @ np.array(self.coef) + self.intercept)))


@dataclass(frozen=True)
class Choice:
    candidate: Candidate | None
    probability: float  # the ranker's, for the chosen candidate
    confidence: float  # that the corpus answers the question
    answers: bool  # confidence at or above the threshold


@dataclass(frozen=True)
class Ranker:
    models: dict[str, Model]  # "passage", "figure", "passage_confidence", "figure_confidence"

    def choose(self, kind: str, candidates: Sequence[Candidate]) -> Choice:
        """The chosen candidate (see `chosen_index`) and whether to answer with it."""
        if not candidates:
            return Choice(None, 0.0, 0.0, False)
        probabilities = self.models[kind].probabilities([c.features for c in candidates])
        chosen = chosen_index(kind, candidates, probabilities)
        evidence = question_features(candidates, probabilities, chosen)
        confidence_model = self.models[f"{kind}_confidence"]
        confidence = float(confidence_model.probabilities([evidence])[0])
        return Choice(
            candidates[chosen],
            float(probabilities[chosen]),
            confidence,
            confidence >= confidence_model.threshold,
        )

    def save(self, path: Path = RANKER_PATH) -> None:
        data = {name: asdict(model) for name, model in sorted(self.models.items())}
        path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def chosen_index(kind: str, candidates: Sequence[Candidate], probabilities: np.ndarray) -> int:
    """The rules' choice where they made one (on the bundled layouts they are right more often than the
    ranker; see docs/design.md), else the most probable candidate; never one that may not answer (a
    heading), unless no other is left."""
    marker = "rule_choice" if kind == "passage" else "rule_figure"
    for i, candidate in enumerate(candidates):
        if candidate.features.get(marker) and candidate.may_answer:
            return i
    allowed = np.array([c.may_answer for c in candidates])
    return (
        int(np.argmax(np.where(allowed, probabilities, -1.0)))
        if allowed.any()
        else int(np.argmax(probabilities))
    )


def question_features(
    candidates: Sequence[Candidate], probabilities: np.ndarray, chosen: int
) -> dict[str, float]:
    """What the confidence model reads: the chosen answer's evidence against its rivals'."""
    features = candidates[chosen].features
    others = np.delete(probabilities, chosen)
    return {
        "probability": float(probabilities[chosen]),
        "margin": float(probabilities[chosen] - (others.max() if len(others) else 0.0)),
        "best_probability": float(probabilities.max()),
        "unknown_share": features.get("unknown_share", 0.0),
        "unknown_topics": features.get("unknown_topics", 0.0),
        "cosine": features.get("cosine", 0.0),
        "coverage": features.get("coverage", 0.0),
        "coverage_with_next": features.get("coverage_with_next", features.get("coverage", 0.0)),
        "near": features.get("near", 0.0),
        "unit_match": features.get("unit_match", 0.0),
        "type_match": features.get("type_match", 0.0),
        "asked_similarity": features.get("asked_similarity", 0.0),
        "passage_similarity": features.get("passage_similarity", 0.0),
        "rule": features.get("rule_choice", 0.0) + features.get("rule_figure", 0.0),
        "rule_coverage": features.get("rule_coverage", 0.0),
        "max_cosine": max(c.features.get("cosine", 0.0) for c in candidates),
        "max_coverage": max(c.features.get("coverage", 0.0) for c in candidates),
        "candidates": math.log(1 + len(candidates)),
    }


def load_ranker(path: Path = RANKER_PATH) -> Ranker:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        models = {name: Model(**{k: _tupled(v) for k, v in fields.items()}) for name, fields in data.items()}
        missing = [n for kind in KINDS for n in (kind, f"{kind}_confidence") if n not in models]
        if missing:
            raise KeyError(", ".join(missing))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise VraagbaakError(
            f"{path}: het antwoordmodel ontbreekt of is beschadigd ({error}). "
            "Bouw het opnieuw met 'make ranker'."
        ) from error
    return Ranker(models)


def _tupled(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def fit(
    rows: list[dict[str, float]],
    labels: list[int],
    weights: list[float] | None = None,
    threshold: float = 0.5,
) -> Model:
    """A standardised, class-balanced logistic regression (deterministic: lbfgs, fixed data order)."""
    from sklearn.linear_model import LogisticRegression

    names = tuple(sorted({name for row in rows for name in row}))
    matrix = np.array([[row.get(n, 0.0) for n in names] for row in rows], dtype=np.float64)
    mean = matrix.mean(axis=0)
    scale = matrix.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=5000, class_weight="balanced")
    model.fit((matrix - mean) / scale, np.array(labels), sample_weight=weights)
    return Model(
        names,
        tuple(round(float(v), 6) for v in mean),
        tuple(round(float(v), 6) for v in scale),
        tuple(round(float(v), 6) for v in model.coef_[0]),
        round(float(model.intercept_[0]), 6),
        threshold,
    )
