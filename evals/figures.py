"""Score the figure lookup on an eval set (EVAL_FORMAT.md): `table` and `abstain` questions."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from index.figures import Figure, lookup_figure
from ingest.model import Document
from ingest.numbers import same_number


@dataclass
class FigureResult:
    id: str
    kind: str
    question: str
    expected: str | None
    figure: Figure | None
    correct: bool
    milliseconds: float


def run_figure_eval(questions_file: Path, documents: Iterable[Document]) -> list[FigureResult]:
    docs = list(documents)
    results = []
    for line in questions_file.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if item["kind"] not in ("table", "abstain"):
            continue
        started = time.perf_counter()
        figure = lookup_figure(item["question"], docs)
        elapsed = (time.perf_counter() - started) * 1000
        answered = figure is not None and figure.status != "uncertain"
        if item["kind"] == "abstain":
            expected, correct = None, not answered
        else:
            expected = item["expected"]["value"]
            correct = answered and figure is not None and same_number(_first_number(figure.value), expected)
        results.append(FigureResult(item["id"], item["kind"], item["question"], expected, figure, correct, elapsed))
    return results


def _first_number(value: str) -> str:
    return value.split()[0].rstrip("%") if value.split() else value


def report(results: list[FigureResult]) -> str:
    right = sum(r.correct for r in results)
    lines = [f"figure lookup: {right}/{len(results)} right ({right / max(1, len(results)):.1%})"]
    for kind in ("table", "abstain"):
        part = [r for r in results if r.kind == kind]
        if part:
            lines.append(f"  {kind}: {sum(r.correct for r in part)}/{len(part)}")
    for r in results:
        if not r.correct:
            got = f"{r.figure.value} ({r.figure.source} {r.figure.section}, {r.figure.row} / {r.figure.column}, {r.figure.status})" if r.figure else "geen antwoord"
            lines.append(f"  FOUT {r.id}: {r.question}\n      verwacht {r.expected or 'geen antwoord'}, kreeg {got}")
    return "\n".join(lines)
