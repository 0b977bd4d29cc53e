"""The structure lexicon: the words with which documents print their structure ("Vraag 1",
"Antwoord 2 en 3", "X heeft het woord.", "Indiener", "(ontvangen ...)"), as data that staff can
extend (`ingest/structure_lexicon.json`), loaded into one typed object."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

LEXICON_PATH = Path(__file__).with_name("structure_lexicon.json")


@dataclass(frozen=True)
class StructureLexicon:
    question_labels: tuple[str, ...]  # "Vraag 1"
    answer_labels: tuple[str, ...]  # "Antwoord 1", "Antwoord op vraag 2 en 3"
    number_joiners: tuple[str, ...]  # "2, 3 en 4", "2-3"
    range_joiners: tuple[str, ...]  # those of the joiners that span a range: "2-4" is 2, 3 and 4
    floor_phrases: tuple[str, ...]  # "De heer X heeft het woord."
    member_titles: tuple[str, ...]  # "De heer X", "Mevrouw X"
    minister_titles: tuple[str, ...]  # "Minister X"
    chair_titles: tuple[str, ...]  # "De voorzitter"
    asker_phrases: tuple[str, ...]  # "Vragen van het lid X (Partij) aan ..."
    asker_keys: tuple[str, ...]  # "Indiener X"
    committee_askers: tuple[str, ...]  # "De vaste commissie voor X, ..." (lists of questions)
    answerer_phrases: tuple[str, ...]  # "Antwoord van Staatssecretaris X (...)"
    minister_keys: tuple[str, ...]  # "Beantwoord door X"
    sender_phrases: tuple[str, ...]  # "BRIEF VAN DE MINISTER VAN ..."
    addressee_phrases: tuple[str, ...]  # "van X aan minister Y"
    answer_date_keys: tuple[str, ...]  # "(ontvangen 24 augustus 2020)"
    document_date_keys: tuple[str, ...]  # "Vastgesteld 15 juni 2006"
    asked_date_keys: tuple[str, ...]  # "(ingezonden 17 juni 2020)"
    number_keys: tuple[str, ...]  # "Kamervraag 2018Z10598"
    weekdays: tuple[str, ...]  # "woensdag 2 mei 2007"

    def alternation(self, name: str) -> str:
        """A regex alternation of one list, longest first, each word escaped."""
        words = sorted(getattr(self, name), key=len, reverse=True)
        return "(?:" + "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in words) + ")"


def lexicon_from(data: dict) -> StructureLexicon:
    """Checks the lexicon's shape and names the field that is wrong."""
    values = {}
    for field in fields(StructureLexicon):
        words = data.get(field.name)
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
            raise ValueError(f"{LEXICON_PATH.name}: '{field.name}' must be a non-empty list of words")
        if any(w != w.lower() for w in words):
            raise ValueError(
                f"{LEXICON_PATH.name}: '{field.name}' holds a word with capitals; write it lowercase"
            )
        values[field.name] = tuple(words)
    return StructureLexicon(**values)


@lru_cache(maxsize=1)
def structure_lexicon() -> StructureLexicon:
    return lexicon_from(json.loads(LEXICON_PATH.read_text(encoding="utf-8")))
