"""`vraagbaak eval`: run an eval set through Vraagbaak (and, with --compare, the baselines),
write predictions in the shared format, and report the scores with every failure.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.model import Answer

from .scoring import Outcome, Question, Scores, score

PREDICTION_FIELDS = ("id", "question", "answer", "value", "abstained", "citations", "latency_ms")
METRICS = [  # (attribute, label, higher is better)
    ("table_accuracy", "tabel", True),
    ("passage_accuracy", "passage", True),
    ("abstention", "onthouding", True),
    ("false_abstentions", "onterecht onthouden", False),
    ("hit_at_1", "hit@1", True),
    ("hit_at_3", "hit@3", True),
]


@dataclass(frozen=True)
class Gate:
    """The minimum scores a build must reach (issue 4's "done when")."""

    table_accuracy: float = 0.95
    passage_accuracy: float = 0.90
    abstention: float = 0.90
    false_abstentions: float = 0.05  # at most
    hit_at_1: float = 0.90

    def failures(self, scores: Scores) -> list[str]:
        failed = []
        for name in ("table_accuracy", "passage_accuracy", "abstention", "hit_at_1"):
            value = getattr(scores, name)
            if value is not None and value < getattr(self, name):
                failed.append(f"{name} {value:.3f} < {getattr(self, name):.2f}")
        if scores.false_abstentions is not None and scores.false_abstentions > self.false_abstentions:
            failed.append(f"false_abstentions {scores.false_abstentions:.3f} > {self.false_abstentions:.2f}")
        return failed


Progress = Callable[[int, int], None]  # (answered, total)
Answering = Callable[[str], Answer]  # a system under evaluation: question -> its answer


def predict_all(
    questions: list[Question], answering: Answering, progress: Progress | None = None
) -> dict[str, dict]:
    predictions = {}
    for done, question in enumerate(questions):
        if progress:
            progress(done, len(questions))
        row = answering(question.question).as_dict()
        predictions[question.id] = {"id": question.id, **{k: row[k] for k in PREDICTION_FIELDS if k != "id"}}
        predictions[question.id]["question"] = question.question
    return predictions


def write_predictions(path: Path, questions: list[Question], predictions: dict[str, dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for question in questions:
            out.write(json.dumps(predictions[question.id], ensure_ascii=False) + "\n")


def _cell(value: float | None, percent: bool = True) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if percent else f"{value:.0f}"


def scores_table(rows: list[tuple[str, Scores]]) -> str:
    header = "| systeem | " + " | ".join(label for _, label, _ in METRICS) + " | p50 ms | p95 ms |"
    lines = [header, "|" + " --- |" * (len(METRICS) + 3)]
    for name, scores in rows:
        cells = [_cell(getattr(scores, attr)) for attr, _, _ in METRICS]
        lines.append(
            f"| {name} | "
            + " | ".join(cells)
            + f" | {_cell(scores.latency_p50, False)} | {_cell(scores.latency_p95, False)} |"
        )
    return "\n".join(lines)


def failures_list(outcomes: list[Outcome]) -> str:
    lines = []
    for outcome in outcomes:
        if outcome.correct and outcome.hit1 is not False:
            continue
        q, p = outcome.question, outcome.prediction
        expected = (
            q.value if q.kind == "table" else (" | ".join(q.contains) if q.kind == "passage" else "onthouden")
        )
        cited = ", ".join(f"{c['source']} ({c['section']})" for c in p.get("citations", [])[:3]) or "–"
        got = (
            "onthouden"
            if p.get("abstained")
            else (p.get("value") or " ".join(str(p.get("answer", "")).split())[:200])
        )
        problem = "fout antwoord" if not outcome.correct else "juist, maar verkeerde eerste bron"
        lines.append(
            f"- **{q.id}** ({q.kind}, {problem}): {q.question}\n"
            f"  - verwacht: {expected} (bron: {', '.join(q.sources) or '–'})\n"
            f"  - gekregen: {got}\n  - bronnen: {cited}"
        )
    return "\n".join(lines) or "Geen."


def write_report(folder: Path, title: str, rows: list[tuple[str, Scores]], command: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    chart = folder / "scores.png"
    draw_chart(chart, rows)
    main = rows[0][1]
    text = "\n".join(
        [
            f"# {title}",
            "",
            f"Commando: `{command}`",
            "",
            f"Vragen: {main.counts.get('table', 0)} tabel, {main.counts.get('passage', 0)} passage, "
            f"{main.counts.get('abstain', 0)} onthouding.",
            "",
            scores_table(rows),
            "",
            f"![scores]({chart.name})",
            "",
            f"## Fouten van {rows[0][0]}",
            "",
            failures_list(main.outcomes),
            "",
        ]
    )
    report = folder / "report.md"
    report.write_text(text, encoding="utf-8")
    return report


def draw_chart(path: Path, rows: list[tuple[str, Scores]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [label for _, label, _ in METRICS]
    width = 0.8 / max(len(rows), 1)
    figure, axes = plt.subplots(figsize=(10, 4.5), dpi=100)
    for i, (name, scores) in enumerate(rows):
        values = [getattr(scores, attr) or 0.0 for attr, _, _ in METRICS]
        axes.bar([x + i * width for x in range(len(labels))], values, width, label=name)
    axes.set_xticks([x + width * (len(rows) - 1) / 2 for x in range(len(labels))], labels)
    axes.set_ylim(0, 1.05)
    axes.set_ylabel("aandeel")
    axes.legend(loc="upper right", fontsize="small")
    axes.set_title(_chart_title([name for name, _ in rows]))
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def _chart_title(names: list[str]) -> str:
    """The systems the chart compares, by name: the first against the others."""
    if len(names) <= 1:
        return f"Scores van {names[0] if names else 'Vraagbaak'}"
    others = ", ".join(names[1:-1]) + (" en " if len(names) > 2 else "") + names[-1]
    return f"{names[0]} tegenover {others}"


def run(
    questions: list[Question], systems: list[tuple[str, Answering]], progress: Progress | None = None
) -> list[tuple[str, Scores, dict[str, dict]]]:
    results = []
    for name, answering in systems:
        predictions = predict_all(questions, answering, progress)
        results.append((name, score(questions, predictions), predictions))
    return results
