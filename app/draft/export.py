"""A draft reply as Markdown, as JSON, and as a Word file with the sources listed.

Every line is a fixed template (heading, numbering, placeholder, marks) or text from a source;
the sources are listed with document, section and offsets, so each reused answer can be checked.
The Word file is always made from the Markdown (as drafted, or as edited by a person), by one
converter: title and headings, the house heading block, numbered answers, real tables, the marks
for the writer highlighted, the sources listed. The checks stay beside the draft, out of both.
"""

from __future__ import annotations

from pathlib import Path

from .drafter import LEADING_MARKER_RE, Draft, DraftAnswer, NewQuestion
from .word import write_docx_from_markdown

SUBJECT_CHARS = 80  # a title made from the first sub-question is cut at a word boundary near this length


def _label(answer: DraftAnswer) -> str:
    number = answer.sub_question.number
    letter = number.lstrip("0123456789")
    return f"{letter})" if letter else f"{number}."


def _source_line(index: int, answer: DraftAnswer) -> str:
    cited = answer.cited
    assert cited is not None
    when = f", {cited.date}" if cited.date else ""
    return (
        f"[{index}] {cited.title} ({cited.source}{when}), {cited.section} (tekens {cited.start}-{cited.end})"
    )


def _numbered(draft: Draft) -> tuple[list[tuple[DraftAnswer, str]], list[str]]:
    """Each answer with its source marker (" [2]", or "" for a placeholder), and the numbered source list."""
    marked: list[tuple[DraftAnswer, str]] = []
    sources: list[str] = []
    for answer in draft.answers:
        marker = ""
        if answer.cited is not None:
            sources.append(_source_line(len(sources) + 1, answer))
            marker = f" [{len(sources)}]"
        marked.append((answer, marker))
    return marked, sources


def to_markdown(draft: Draft) -> str:
    """The draft as staff edit it: title, house heading, numbered answers with flags, sources (no checks)."""
    lines = [f"# Ontwerp van antwoord: {_subject(draft.question)}", ""]
    if draft.heading:
        lines += ["```", draft.heading, "```", ""]
    marked, sources = _numbered(draft)
    for answer, marker in marked:
        lines += [f"**{_label(answer)}**{marker} {answer.text}", ""]
        lines += [f"> ⚠ {flag.kind}: {flag.message}" for flag in answer.flags]
        lines += [""] if answer.flags else []
    lines += ["## Bronnen", "", *(f"- {s}" for s in sources)]
    return "\n".join(lines) + "\n"


def checks_markdown(draft: Draft) -> str:
    """The checks beside the draft, one line each: they are for the writer, never in the draft itself."""
    lines = ["## Controles", ""]
    lines += [f"- {'✓' if passed else '✗'} {check}: {detail}" for check, passed, detail in draft.checks]
    return "\n".join(lines) + "\n"


def _subject(question: NewQuestion) -> str:
    """What the question is about: its title, else its theme, else its first sub-question, shortened."""
    if question.title.strip():
        return _folded(question.title)
    if question.metadata.theme:
        return _folded(question.metadata.theme)
    first = question.sub_questions[0].text if question.sub_questions else ""
    return _shortened(LEADING_MARKER_RE.sub("", _folded(first), count=1))


def _folded(text: str) -> str:
    return " ".join(text.split())


def _shortened(text: str, limit: int = SUBJECT_CHARS) -> str:
    """The text cut at the last word boundary within `limit` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:-") + "…"


def to_dict(draft: Draft) -> dict:
    meta = draft.question.metadata
    return {
        "title": draft.question.title,
        "header": {
            "number": meta.number,
            "date": meta.date,
            "asked_by": meta.asked_by,
            "minister": meta.minister,
        },
        "heading": draft.heading,
        "asked_year": draft.question.asked_year,
        "sub_questions": [
            {
                "number": a.sub_question.number,
                "text": a.sub_question.text,
                "precedents": [
                    {
                        "source": p.source,
                        "section": p.section,
                        "question": p.question,
                        "date": p.date,
                        "score": p.score,
                    }
                    for p in a.precedents
                ],
                "draft": a.text,
                "cited": None
                if a.cited is None
                else {
                    "source": a.cited.source,
                    "section": a.cited.section,
                    "start": a.cited.start,
                    "end": a.cited.end,
                },
                "flags": [{"kind": f.kind, "message": f.message} for f in a.flags],
            }
            for a in draft.answers
        ],
        "checks": [{"check": c, "passed": ok, "detail": d} for c, ok, d in draft.checks],
    }


def write_docx(draft: Draft, path: Path) -> Path:
    """The draft as a Word file: its Markdown through the one converter, so both always agree."""
    return write_docx_from_markdown(to_markdown(draft), path)
