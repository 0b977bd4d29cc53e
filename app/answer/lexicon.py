"""The answering vocabulary (`data/lexicon.toml`) as a typed object: what kind of answer a question
asks for and how a sentence or a number shows one. The words are data staff can extend; this module
only matches them."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path

from ingest.errors import VraagbaakError

LEXICON_PATH = Path(__file__).resolve().parents[2] / "data" / "lexicon.toml"
TOKEN_RE = re.compile(r"[\w'-]+|%|€")
NAME_RE = re.compile(r"\b[A-Z][a-zà-ÿ]+(?:\s+(?:van|de|der|den|van de|van der))?\s+[A-Z][a-zà-ÿ]+")


@dataclass(frozen=True)
class AnswerType:
    name: str
    asked: tuple[tuple[str, ...], ...]  # phrases, each a tuple of word patterns
    units: frozenset[str]
    before: frozenset[str]
    markers: tuple[tuple[str, ...], ...]
    names: bool
    headings: bool = False  # a heading may be the answer (a title asked for); else headings never are


@dataclass(frozen=True)
class AnswerLexicon:
    types: tuple[AnswerType, ...]
    totals: frozenset[str]

    def asked_types(self, question: str) -> frozenset[str]:
        words = tokens(question)
        return frozenset(t.name for t in self.types if any(_occurs(p, words) for p in t.asked))

    def heading_may_answer(self, wants: frozenset[str]) -> bool:
        return any(t.headings for t in self.types if t.name in wants)

    def typed(self, wants: frozenset[str]) -> frozenset[str]:
        """The asked types a sentence can show (by markers, names or units)."""
        return frozenset(t.name for t in self.types if t.name in wants and (t.markers or t.names or t.units))

    def matching_types(self, wants: frozenset[str], text: str) -> frozenset[str]:
        words = tokens(text)
        plain = {w.rstrip(".") for w in words}
        return frozenset(
            t.name
            for t in self.types
            if t.name in wants
            and (
                any(_occurs(m, words) for m in t.markers)
                or bool(plain & t.units)
                or (t.names and NAME_RE.search(text) is not None)
            )
        )

    def units_of(self, before: str, value: str, after: str) -> frozenset[str]:
        """The types a printed number has by its unit: "%" or "procent" after it, "€" before it."""
        after_words = [w.rstrip(".") for w in tokens(after)[:2]]
        last_before = (tokens(before) or [""])[-1]
        found = {t.name for t in self.types if "%" in t.units and value.endswith("%")}
        for type_ in self.types:
            if any(w in type_.units for w in after_words) or last_before in type_.before:
                found.add(type_.name)
        return frozenset(found)

    def is_total(self, label: str) -> bool:
        return " ".join(tokens(label)) in self.totals or bool(set(tokens(label)) & self.totals)


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text.lower())


def _occurs(phrase: tuple[str, ...], words: list[str]) -> bool:
    n = len(phrase)
    return any(all(fnmatchcase(words[i + j], phrase[j]) for j in range(n)) for i in range(len(words) - n + 1))


def _phrases(values: object, where: str) -> tuple[tuple[str, ...], ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise VraagbaakError(f"{LEXICON_PATH}: '{where}' moet een lijst van woorden zijn.")
    return tuple(tuple(v.lower().split()) for v in values)


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> AnswerLexicon:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise VraagbaakError(
            f"{path}: het lexicon is niet te lezen ({error}). Herstel het bestand."
        ) from error
    types = []
    for name, entry in data.get("types", {}).items():
        where = f"types.{name}"
        types.append(
            AnswerType(
                name,
                _phrases(entry.get("asked", []), f"{where}.asked"),
                frozenset(u.lower().rstrip(".") for u in entry.get("units", [])),
                frozenset(b.lower() for b in entry.get("before", [])),
                _phrases(entry.get("markers", []), f"{where}.markers"),
                bool(entry.get("names", False)),
                bool(entry.get("headings", False)),
            )
        )
    totals = frozenset(" ".join(tokens(t)) for t in data.get("totals", {}).get("labels", []))
    return AnswerLexicon(tuple(types), totals)
