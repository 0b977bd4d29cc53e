"""`vraagbaak eval-structure MANIFEST.jsonl`: the recovered structure of indexed documents against a
manifest of what they print (the format of ../shared/external-dev/manifest.jsonl): numbered
questions found, answers aligned to the questions they answer, speaker turns with their roles,
asker, minister and date. Ingests nothing: it reads the documents as the index holds them.

Names are compared by their words (lowercased, without titles, particles and punctuation): one
side's words must all be in the other's ("Muyters" and "Minister Muyters" match). Dates as dates.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import VraagbaakError
from ingest.model import Document, Genre, Role
from ingest.textutil import dutch_date_to_iso

EXCHANGE_GENRES = ("committee_exchange", "plenary_exchange")
QUESTION_GENRES = ("written_question_answer", "list_of_questions")
ASPECTS = ("questions", "answers", "speakers", "asker", "minister", "date")
ASPECT_LABELS = {
    "questions": "vragen gevonden",
    "answers": "antwoorden gekoppeld",
    "speakers": "sprekers en rollen",
    "asker": "vraagsteller",
    "minister": "minister",
    "date": "datum",
}
NAME_FILLERS = frozenset("de het van der den t en heer mevrouw beiden".split())


@dataclass
class DocumentCheck:
    file: str
    genre: str
    results: dict[str, bool] = field(default_factory=dict)  # aspect -> right; aspects not printed are absent
    problems: list[str] = field(default_factory=list)


def load_manifest(path: Path) -> list[dict]:
    try:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as error:
        raise VraagbaakError(
            f"{path}: geen leesbaar manifest ({error}); één JSON-object per regel."
        ) from error
    for number, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not isinstance(row.get("file"), str) or "genre" not in row:
            raise VraagbaakError(
                f"{path}, regel {number}: 'file' en 'genre' ontbreken; zie het formaat in de README."
            )
    return rows


def name_words(name: str) -> set[str]:
    return {w for w in re.findall(r"[^\W_]+", name.lower()) if w not in NAME_FILLERS}


def same_name(found: str | None, expected: str) -> bool:
    ours, theirs = name_words(found or ""), name_words(expected)
    smaller, larger = sorted((ours, theirs), key=len)
    return bool(smaller) and smaller <= larger


def check_document(entry: dict, document: Document | None) -> DocumentCheck:
    check = DocumentCheck(entry["file"], entry["genre"])
    if document is None:
        check.problems.append("niet in de index")
        document = Document(entry["file"], "", Genre.GENERIC, "")
    if entry["genre"] in QUESTION_GENRES:
        _check_questions(entry, document, check)
    if entry.get("speakers"):
        _check_speakers(entry, document, check)
    meta = document.metadata
    for aspect, found in (("asker", meta.asked_by), ("minister", meta.minister)):
        if entry.get(aspect):
            check.results[aspect] = same_name(found, entry[aspect])
            if not check.results[aspect]:
                check.problems.append(f"{aspect}: verwacht '{entry[aspect]}', gevonden '{found or '-'}'")
    if entry.get("date"):
        check.results["date"] = dutch_date_to_iso(entry["date"]) == meta.date
        if not check.results["date"]:
            check.problems.append(f"datum: verwacht {entry['date']}, gevonden {meta.date or '-'}")
    return check


def _check_questions(entry: dict, document: Document, check: DocumentCheck) -> None:
    asked = {s.number for s in document.sections if s.role is Role.QUESTION}
    missing = [n for n in entry.get("numbered_questions", []) if n not in asked]
    check.results["questions"] = not missing
    if missing:
        check.problems.append(f"vragen niet gevonden: {', '.join(missing)}")
    answered = [set(s.answers) for s in document.sections if s.role is Role.ANSWER]
    unaligned = [label for label, numbers in entry.get("answers", {}).items() if set(numbers) not in answered]
    check.results["answers"] = not unaligned
    if unaligned:
        check.problems.append(f"antwoorden niet gekoppeld: {', '.join(unaligned)}")


def _check_speakers(entry: dict, document: Document, check: DocumentCheck) -> None:
    found = [(s.speaker or "", s.speaker_role) for s in document.sections if s.speaker]
    expected = [(s["name"], s["role"]) for s in entry["speakers"]]
    right = len(found) == len(expected) and all(
        role == want_role and same_name(name, want_name)
        for (name, role), (want_name, want_role) in zip(found, expected)
    )
    check.results["speakers"] = right
    if not right:
        check.problems.append(f"sprekers: verwacht {expected}, gevonden {found}")


def evaluate_structure(manifest: list[dict], documents: dict[str, Document]) -> list[DocumentCheck]:
    return [check_document(entry, documents.get(entry["file"])) for entry in manifest]


def structure_table(checks: list[DocumentCheck]) -> str:
    """Per genre and in all: for each aspect, right / documents that print it; and the documents
    whose every printed aspect is right."""
    groups: dict[str, list[DocumentCheck]] = defaultdict(list)
    for check in checks:
        groups[check.genre].append(check)
    header = "| genre | documenten | " + " | ".join(ASPECT_LABELS[a] for a in ASPECTS) + " | alles juist |"
    lines = [header, "|" + " --- |" * (len(ASPECTS) + 3)]
    for genre, group in [*sorted(groups.items()), ("alle", checks)]:
        cells = []
        for aspect in ASPECTS:
            judged = [c.results[aspect] for c in group if aspect in c.results]
            cells.append(f"{sum(judged)}/{len(judged)}" if judged else "–")
        whole = sum(all(c.results.values()) and not c.problems for c in group)
        lines.append(f"| {genre} | {len(group)} | " + " | ".join(cells) + f" | {whole}/{len(group)} |")
    return "\n".join(lines)


def problems_list(checks: list[DocumentCheck]) -> str:
    lines = [f"- {c.file}: " + "; ".join(c.problems) for c in checks if c.problems]
    return "\n".join(lines) or "Geen."
