"""A draft reply as Markdown, as JSON, and as a Word file with the sources listed.

Every line is a fixed template (heading, numbering, placeholder, marks) or text from a source;
the sources are listed with document, section and offsets, so each reused answer can be checked.
"""

from __future__ import annotations

import re
from pathlib import Path

from .drafter import Draft, DraftAnswer


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
    lines = [f"# Ontwerp van antwoord: {draft.question.title}", ""]
    if draft.heading:
        lines += ["```", draft.heading, "```", ""]
    marked, sources = _numbered(draft)
    for answer, marker in marked:
        lines += [f"**{_label(answer)}**{marker} {answer.text}", ""]
        lines += [f"> ⚠ {flag.kind}: {flag.message}" for flag in answer.flags]
        lines += [""] if answer.flags else []
    lines += ["## Bronnen", "", *(f"- {s}" for s in sources), "", "## Controles", ""]
    lines += [f"- {'✓' if passed else '✗'} {check}: {detail}" for check, passed, detail in draft.checks]
    return "\n".join(lines) + "\n"


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
    """The draft as a Word file: heading, numbered answers with their source marker, flags, sources."""
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_heading(f"Ontwerp van antwoord: {draft.question.title}", level=1)
    if draft.heading:
        for line in draft.heading.splitlines():
            word.add_paragraph(line)
    marked, sources = _numbered(draft)
    for answer, marker in marked:
        paragraph = word.add_paragraph()
        paragraph.add_run(f"{_label(answer)}{marker} ").bold = True
        paragraph.add_run(answer.text)
        for flag in answer.flags:
            word.add_paragraph(f"{flag.kind}: {flag.message}").runs[0].italic = True
    word.add_heading("Bronnen", level=2)
    for source in sources:
        word.add_paragraph(source, style="List Bullet")
    path.parent.mkdir(parents=True, exist_ok=True)
    word.save(str(path))
    return path


def write_docx_from_markdown(text: str, path: Path) -> Path:
    """An edited draft (the Markdown of `to_markdown`, changed by the user) as a Word file:
    one paragraph per block, headings kept, bold numbering kept."""
    from docx import Document as WordDocument

    word = WordDocument()
    for block in (b.strip() for b in text.replace("\r\n", "\n").split("\n\n")):
        if not block or block == "```":
            continue
        if block.startswith("#"):
            word.add_heading(block.lstrip("#").strip(), level=min(block.count("#", 0, 3), 2))
            continue
        for line in block.strip("`").strip().splitlines() if block.startswith("```") else [block]:
            paragraph = word.add_paragraph()
            label = re.match(r"\*\*(.+?)\*\*\s*", line)
            if label:
                paragraph.add_run(label.group(1) + " ").bold = True
                line = line[label.end() :]
            paragraph.add_run(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    word.save(str(path))
    return path
