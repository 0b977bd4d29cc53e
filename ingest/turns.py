"""Speaker turns in committee and plenary reports.

A turn starts at a speaker line: `De voorzitter`, a titled name (`Mevrouw X`, `Minister X`), a name
with a party or function in brackets (`X (Partij)`), a name with a colon (`X:`), or the name a
`X heeft het woord.` line announced. A `heeft het woord` line right after the chair's line belongs
to the chair's turn; otherwise, unless a speaker line follows it, it opens the turn of the one it
names. Roles: the chair by title, or a speaker who hands the floor to the next; a minister by title
or where the header names them as the one addressed; the others members. Member turns are
question sections, numbered in order; a minister's turn is an answer section answering the member
turns since the previous minister's turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import structure_lexicon
from .model import Role, Section
from .textutil import PERSON_NAME, Line, first_text_line, has_text, split_lines, trim_span


@dataclass(frozen=True)
class Turn:
    line: int  # where the turn starts
    body: int  # the first line of what the speaker says
    speaker: str  # as printed: "Mevrouw De Vroe", "Rob Beenders (sp·a)"
    by_floor: bool  # opened by a "heeft het woord" line
    chair_title: bool


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    lexicon = structure_lexicon()
    titles = f"(?:{lexicon.alternation('member_titles')}|{lexicon.alternation('minister_titles')})"
    chairs = "|".join(re.escape(t) for t in lexicon.chair_titles if t.startswith("de "))
    return {
        "chair": re.compile(rf"^(?:{chairs})\s*:?$", re.I),
        "titled": re.compile(rf"^((?i:{titles})\s+{PERSON_NAME}(?:\s*\([^()]{{1,80}}\))?)\s*:?$"),
        "bracketed": re.compile(rf"^({PERSON_NAME}\s*\([^()]{{1,80}}\))\s*:?$"),
        "colon": re.compile(rf"^({PERSON_NAME}):(?:\s|$)"),
        "floor": re.compile(rf"^(.{{2,80}}?)\s+{lexicon.alternation('floor_phrases')}\s*\.?$", re.I),
        "bare": re.compile(rf"^({PERSON_NAME})$"),
        "minister": re.compile(rf"^{lexicon.alternation('minister_titles')}\b", re.I),
        "member": re.compile(rf"^{lexicon.alternation('member_titles')}\s+", re.I),
    }


def _speaker_line(line: Line, announced: str | None) -> tuple[str, bool] | None:
    """The speaker a line names, and whether it is the chair's title; None for other lines.
    A bare name ("Patricia Ceysens") counts only right after a floor line that announced it."""
    patterns = _patterns()
    text = line.stripped
    if not text or len(text) > 120:
        return None
    if patterns["chair"].match(text):
        return text.rstrip(":").strip(), True
    for kind in ("titled", "bracketed"):
        if match := patterns[kind].match(text):
            return match.group(1), False
    if (match := patterns["colon"].match(text)) and len(match.group(1).split()) >= 2:
        return match.group(1), False
    if announced and (match := patterns["bare"].match(text)) and _surname(announced) in text.split():
        return match.group(1), False
    return None


def _surname(name: str) -> str:
    return re.sub(r"\s*\(.*", "", name).split()[-1] if name.split() else ""


def find_turns(lines: list[Line]) -> list[Turn]:
    patterns = _patterns()
    turns: list[Turn] = []
    announced: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        found = _speaker_line(line, announced)
        if found:
            speaker, chair = found
            turns.append(Turn(index, index + 1, speaker, False, chair))
            announced = None
        elif floor := patterns["floor"].match(line.stripped):
            announced = floor.group(1)
            after_chair = turns and turns[-1].chair_title and not has_text(lines, turns[-1].body, index)
            following = first_text_line(lines, index + 1)
            if following == len(lines) or not _speaker_line(lines[following], announced):
                start = index + 1 if after_chair else index
                turns.append(Turn(start, index + 1, announced, True, False))
        elif not line.blank:
            announced = None
        index += 1
    return turns


def speaker_role(turns: list[Turn], index: int, ministers: list[str]) -> str:
    turn = turns[index]
    patterns = _patterns()
    hands_floor = index + 1 < len(turns) and turns[index + 1].by_floor and not turn.by_floor
    if turn.chair_title or (hands_floor and not patterns["minister"].match(turn.speaker)):
        return "chair"
    named = re.sub(patterns["member"], "", turn.speaker)
    if patterns["minister"].match(named) or any(
        _surname(m) and _surname(m) in named.split() for m in ministers
    ):
        return "minister"
    return "member"


def turn_sections(text: str, ministers: list[str]) -> list[Section] | None:
    """The turns as sections (members' as questions, ministers' as answers, the chair's as text),
    or None where the text holds neither a `heeft het woord` line nor two speaker lines."""
    lines = split_lines(text)
    found = find_turns(lines)
    ends = [t.line for t in found[1:]] + [len(lines)]
    turns = [t for t, end in zip(found, ends) if has_text(lines, t.body, end)]  # a bare name says nothing
    floors = any(_patterns()["floor"].match(line.stripped) for line in lines)
    if not turns or (not floors and len(turns) < 2):
        return None
    sections: list[Section] = []
    asked: list[str] = []
    members = answers = 0
    for index, turn in enumerate(turns):
        end_line = turns[index + 1].line if index + 1 < len(turns) else len(lines)
        start, end = trim_span(text, lines[turn.line].start, lines[end_line - 1].end)
        role = speaker_role(turns, index, ministers)
        if role == "member":
            members += 1
            asked.append(str(members))
            section = Section(
                Role.QUESTION, start, end, str(members), speaker=turn.speaker, speaker_role=role
            )
        elif role == "minister":
            answers += 1
            section = Section(
                Role.ANSWER, start, end, str(answers), tuple(asked), speaker=turn.speaker, speaker_role=role
            )
            asked = []
        else:
            section = Section(Role.TEXT, start, end, f"v{index + 1}", speaker=turn.speaker, speaker_role=role)
        if end > start:
            sections.append(section)
    return sections
