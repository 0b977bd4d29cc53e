"""Numbered questions and their answers, recognised from the forms documents print them in:

- labels on a line of their own: `Vraag 1` / `Antwoord 1`, `Antwoord op vraag 1`, `Antwoord vraag 1 en 2`,
  `Antwoord 2, 3 en 4`, a bare `Antwoord` (it answers the questions since the previous answer),
  also behind a bullet (`• Vraag 1`);
- a question label without answer labels: the answer is the unlabelled text after the question;
- bare numbers on a line of their own (`1`, `2`) or `1.` items, counting up from 1, each followed by a
  question: the text after the question is its answer;
- inline, in one long paragraph: `1. Is het waar ...? Antwoord 1 Neen. ... 2. Wat ...? Antwoord 2 ...`.

The words are the structure lexicon's (`ingest/structure_lexicon.json`). Each finder returns the
sections it recovers and the name of its cue, or None when its form does not occur.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import structure_lexicon
from .model import Role, Section
from .textutil import Line, lines_section, split_lines, trim_span

BULLET_RE = re.compile(r"^[\s•·▪◦*–-]*")
QUESTION_END_RE = re.compile(r"\?[\s\d]*$")  # "...?", also with a footnote digit: "...?1"


@dataclass(frozen=True)
class Label:
    kind: str  # "question" or "answer"
    line: int
    numbers: tuple[str, ...]  # a question's number; the numbers an answer answers (empty: unnumbered)
    bullet: bool


@dataclass(frozen=True)
class Numbered:
    sections: list[Section]
    cues: list[str]


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], str]:
    lexicon = structure_lexicon()
    joiner = lexicon.alternation("number_joiners")
    number_list = rf"\d{{1,3}}[a-z]?(?:\s*{joiner}\s*\d{{1,3}}[a-z]?)*"
    questions = lexicon.alternation("question_labels")
    question = re.compile(rf"^{questions}\s+(\d{{1,3}}[a-z]?)\s*[.:]?$", re.I)
    answer = re.compile(
        rf"^{lexicon.alternation('answer_labels')}(?:\s+(?:op\s+)?(?:(?:de\s+)?{questions}\s+)?({number_list}))?"
        r"\s*[.:]?$",
        re.I,
    )
    return question, answer, joiner


def expand_numbers(spec: str) -> tuple[str, ...]:
    """ "2, 3 en 4" -> ("2", "3", "4"); "2-4" -> ("2", "3", "4")."""
    _, _, joiner = _patterns()
    parts = re.split(rf"\s*({joiner})\s*", spec.strip())
    numbers: list[str] = []
    for i in range(0, len(parts), 2):
        numbers.append(parts[i])
        if (
            i > 0
            and " ".join(parts[i - 1].split()) in structure_lexicon().range_joiners
            and parts[i].isdigit()
        ):
            first = numbers[-2]
            if first.isdigit() and int(first) < int(parts[i]) <= int(first) + 20:
                numbers[-1:] = [str(n) for n in range(int(first) + 1, int(parts[i]) + 1)]
    return tuple(dict.fromkeys(numbers))


def labels(lines: list[Line]) -> list[Label]:
    question_re, answer_re, _ = _patterns()
    found = []
    for index, line in enumerate(lines):
        bullet = BULLET_RE.match(line.text)
        stripped = line.text[bullet.end() if bullet else 0 :].strip()
        has_bullet = bool(bullet and bullet.group().strip())
        if match := question_re.match(stripped):
            found.append(Label("question", index, (match.group(1),), has_bullet))
        elif match := answer_re.match(stripped):
            numbers = expand_numbers(match.group(1)) if match.group(1) else ()
            found.append(Label("answer", index, numbers, has_bullet))
    return found


def paragraphs(lines: list[Line], first: int, end: int) -> list[tuple[int, int]]:
    """Runs of non-blank lines in lines[first:end], as (first line, end line)."""
    runs: list[tuple[int, int]] = []
    start = None
    for index in range(first, end):
        if lines[index].blank:
            if start is not None:
                runs.append((start, index))
                start = None
        elif start is None:
            start = index
    if start is not None:
        runs.append((start, end))
    return runs


def question_and_answer(
    text: str, lines: list[Line], first: int, end: int, number: str
) -> tuple[list[Section], bool]:
    """A numbered question whose answer follows it unlabelled: the question is the first paragraph
    after `first` (up to its line that ends in a question mark, where no blank line parts question
    and answer) and the paragraphs after it that end in a question mark; the rest is its answer.
    Returns the sections and whether an answer was found."""
    runs = paragraphs(lines, first + 1, end) if lines[first].stripped and _label_only(lines[first]) else []
    runs = runs or paragraphs(lines, first, end)
    if not runs:
        return [], False
    runs = _split_after_question(lines, runs[0]) + runs[1:]
    asked = 1
    while asked < len(runs) and QUESTION_END_RE.search(_run_text(lines, runs[asked])):
        asked += 1
    question_end = runs[asked - 1][1]
    sections = [lines_section(text, lines, first, question_end, Role.QUESTION, number=number)]
    answered = asked < len(runs)
    if answered:
        sections.append(
            lines_section(text, lines, runs[asked][0], end, Role.ANSWER, number=number, answers=(number,))
        )
    return [s for s in sections if s.end > s.start], answered


def _split_after_question(lines: list[Line], run: tuple[int, int]) -> list[tuple[int, int]]:
    """A paragraph whose question and answer are not parted by a blank line, parted after the lines
    that end the question: ("Hoeveel ...?", "Er zijn er 22.") -> two runs."""
    ends = [i for i in range(run[0], run[1]) if QUESTION_END_RE.search(lines[i].stripped)]
    if not ends:
        return [run]
    last = ends[0]
    while last + 1 in ends:
        last += 1
    return [(run[0], last + 1), (last + 1, run[1])] if last + 1 < run[1] else [run]


def _label_only(line: Line) -> bool:
    question_re, answer_re, _ = _patterns()
    stripped = BULLET_RE.sub("", line.text).strip()
    return bool(question_re.match(stripped) or answer_re.match(stripped) or stripped.isdigit())


def _run_text(lines: list[Line], run: tuple[int, int]) -> str:
    return " ".join(line.stripped for line in lines[run[0] : run[1]])


def from_labels(text: str) -> Numbered | None:
    """Sections from `Vraag N` / `Antwoord N` labels (with or without answer labels)."""
    lines = split_lines(text)
    found = labels(lines)
    if not any(label.kind == "question" for label in found):
        return None
    sections: list[Section] = []
    cues: set[str] = set()
    open_questions: list[str] = []
    for index, label in enumerate(found):
        end = found[index + 1].line if index + 1 < len(found) else len(lines)
        following = found[index + 1] if index + 1 < len(found) else None
        number = label.numbers[0] if label.numbers else ""
        if label.kind == "question":
            cues.add("• vraag N" if label.bullet else "vraag N")
            if following is not None and following.kind == "answer":
                sections.append(lines_section(text, lines, label.line, end, Role.QUESTION, number=number))
                open_questions.append(number)
                continue
            split, answered = question_and_answer(text, lines, label.line, end, number)
            sections += split
            if answered:
                cues.add("onbenoemd antwoord na de vraag")
            else:
                open_questions.append(number)
            continue
        answers = label.numbers or tuple(open_questions)
        cues.add("antwoord N" if label.numbers else "antwoord (zonder nummer)")
        if len(label.numbers) > 1:
            cues.add("gecombineerd antwoord")
        tag = "+".join(answers) if len(answers) > 1 else (answers[0] if answers else None)
        sections.append(lines_section(text, lines, label.line, end, Role.ANSWER, number=tag, answers=answers))
        open_questions = []
    return Numbered([s for s in sections if s.end > s.start], sorted(cues))


NUMBER_LINE_RE = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")  # "1", "2." on a line of their own
NUMBER_ITEM_RE = re.compile(r"^\s*(\d{1,2})[.)]\s+\S")  # "1. Wat is ...?"


def from_numbers(text: str) -> Numbered | None:
    """Sections from bare numbers (`1` on its own line) or `1.` items counting up from 1, each
    opening a question, with the text after the question as its answer. At least two questions."""
    lines = split_lines(text)
    for pattern, cue in ((NUMBER_LINE_RE, "kaal nummer"), (NUMBER_ITEM_RE, "genummerd punt")):
        starts = _counting_questions(lines, pattern)
        if len(starts) < 2:
            continue
        sections: list[Section] = []
        for index, (line, number) in enumerate(starts):
            end = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
            sections += question_and_answer(text, lines, line, end, number)[0]
        return Numbered(sections, [cue])
    return None


def _counting_questions(lines: list[Line], pattern: re.Pattern[str]) -> list[tuple[int, str]]:
    """The lines that open questions 1, 2, 3, ... in order: each matches `pattern` with the next
    number, and its question (the line itself or the paragraph after it) holds a question mark, but
    for a last question the text stops inside."""
    starts: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        match = pattern.match(line.text)
        if not match or int(match.group(1)) != len(starts) + 1:
            continue
        runs = (
            paragraphs(lines, index + 1, len(lines))
            if _label_only(line)
            else paragraphs(lines, index, len(lines))
        )
        cut_off = len(runs) == 1  # nothing after it: an excerpt that stops inside the question
        if runs and ("?" in _run_text(lines, runs[0]) or (cut_off and starts)):
            starts.append((index, match.group(1)))
    return starts


def inline_numbered(text: str) -> Numbered | None:
    """Questions and answers run on in one paragraph: `1. Is het waar ...? Antwoord 1 Neen. ...`.
    A question starts at `N.` after the previous answer; its answer at `Antwoord N` after it."""
    answer_words = structure_lexicon().alternation("answer_labels")
    answers = list(re.finditer(rf"(?<![\w\n])(?:{answer_words})\s+(\d{{1,2}})\s+(?=[A-ZÀ-Ý])", text, re.I))
    sections: list[Section] = []
    previous_end = 0
    for index, answer in enumerate(answers):
        number = answer.group(1)
        asked = [
            m
            for m in re.finditer(rf"(?:^|(?<=[\s.?!:]))({re.escape(number)})\.\s+(?=[A-ZÀ-Ý])", text)
            if previous_end <= m.start() < answer.start()
        ]
        if not asked:
            return None
        question_start = asked[-1].start()
        next_start = answers[index + 1].start() if index + 1 < len(answers) else len(text)
        following = [
            m
            for m in re.finditer(rf"(?:^|(?<=[\s.?!:]))({int(number) + 1})\.\s+(?=[A-ZÀ-Ý])", text)
            if answer.end() <= m.start() < next_start
        ]
        answer_end = following[-1].start() if following else next_start
        for role, start, end, answered in (
            (Role.QUESTION, question_start, answer.start(), ()),
            (Role.ANSWER, answer.start(), answer_end, (number,)),
        ):
            start, end = trim_span(text, start, end)
            sections.append(Section(role, start, end, number=number, answers=answered))
        previous_end = answer_end
    return Numbered(sections, ["vraag en antwoord in de lopende tekst"]) if len(answers) >= 2 else None
