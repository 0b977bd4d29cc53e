"""Item markers at the start of a line: `3.`, `2-3.`, `a)`, `a+c)`, `a-b)`, `1. a+c)`."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

NUMBER_RE = re.compile(r"^\s*(\d{1,2})(?:\s*-\s*(\d{1,2}))?\.(?=\s|[^\W\d_])")
LETTERS_RE = re.compile(r"^\s*([a-h](?:\s*[+\-]\s*[a-h])*)\)\s")


@dataclass(frozen=True)
class Marker:
    numbers: tuple[int, ...]  # (3,) for "3.", (2, 3) for "2-3.", () for a letter-only marker
    letters: tuple[str, ...]  # ("a", "c") for "a+c)", ("a", "b") for "a-b)"
    content_offset: int  # characters from the line start to the text after the marker(s)
    letter_spec: str = ""  # the letters as printed, spaces removed: "a+c", "a-b"

    @property
    def label(self) -> str:
        if len(self.numbers) > 1:
            return f"{self.numbers[0]}-{self.numbers[-1]}{self.letter_spec}"
        return "".join(str(n) for n in self.numbers) + self.letter_spec


def _expand_letters(spec: str) -> tuple[str, ...]:
    letters: list[str] = []
    for part in spec.split("+"):
        bounds = part.split("-")
        if len(bounds) == 2:
            first, last = string.ascii_lowercase.index(bounds[0]), string.ascii_lowercase.index(bounds[1])
            letters.extend(string.ascii_lowercase[first : last + 1])
        else:
            letters.append(part)
    return tuple(letters)


def parse_marker(line: str) -> Marker | None:
    numbers: tuple[int, ...] = ()
    offset = 0
    number = NUMBER_RE.match(line)
    if number:
        first = int(number.group(1))
        last = int(number.group(2)) if number.group(2) else first
        if last < first or last - first > 5:
            return None
        numbers = tuple(range(first, last + 1))
        offset = number.end()
    letters_match = LETTERS_RE.match(line[offset:])
    letters: tuple[str, ...] = ()
    spec = ""
    if letters_match:
        spec = re.sub(r"\s+", "", letters_match.group(1))
        letters = _expand_letters(spec)
        offset += letters_match.end()
    if not numbers and not letters:
        return None
    while offset < len(line) and line[offset] == " ":
        offset += 1
    return Marker(numbers, letters, offset, spec)
