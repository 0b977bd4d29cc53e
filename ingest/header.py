"""Metadata from the ways documents print it: who asked (`Vragen van het lid X (Partij) aan ...`,
`Indiener X`, `van X aan minister Y`, `De vaste commissie voor X`), who answered (`Antwoord van
Staatssecretaris X (...)`, `Beantwoord door X`, `aan minister Y`, `X (Minister van ...)`), the date
(`(ontvangen ...)`, `Beantwoord ...`, `Vastgesteld ...`, `Datum ...`, `woensdag 2 mei 2007`) and the
number (`Kamervraag 2018Z10598`, `nr. 221`, `213 (2006-2007)`). Values are kept as printed (with
whitespace folded), so that facts find them at their offsets. The words are the structure lexicon's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import structure_lexicon
from .textutil import DUTCH_MONTHS, PERSON_NAME, dutch_date_to_iso

NAME = r"[A-ZÀ-Ý][^\n()]{0,80}?"
PERSON = NAME + r"(?:\s*\([^()\n]{1,100}\))?"  # a name with its party or function in brackets
DATE = r"\d{1,2}\s+(?:" + "|".join(DUTCH_MONTHS) + r")\s+\d{4}"


@dataclass(frozen=True)
class Header:
    askers: tuple[str, ...] = ()
    ministers: tuple[str, ...] = ()
    date: str | None = None  # ISO
    number: str | None = None
    cues: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    lex = structure_lexicon()
    alt = lex.alternation
    ministers = alt("minister_titles")
    stop = r"(?=\s+(?:aan|over|inzake|betreffende)\b|\s*[.;]|\s+\d+\.\s|$)"
    return {
        "asker phrase": re.compile(
            rf"\b{alt('asker_phrases')}\s+((?:[^\s.;]+\s+){{0,10}}?[^\s.;]+?){stop}", re.I
        ),
        "asker key": re.compile(rf"^[ \t]*{alt('asker_keys')}[ \t]*:?[ \t]+(\S.*?)\s*$", re.I | re.M),
        # the committee as the subject of a list of questions: "De vaste commissie voor X, belast ..."
        "committee": re.compile(
            rf"\bde\s+({alt('committee_askers')}\s+[A-ZÀ-Ý][\w ]+?)\d?(?=\s*,\s*belast\b|\s+heeft\b)", re.I
        ),
        "from to": re.compile(rf"^\s*van\s+({PERSON})\s+aan\s+({ministers}\s+{PERSON})\s*$", re.I | re.M),
        "answerer phrase": re.compile(
            rf"\b{alt('answerer_phrases')}\s+((?:{ministers})\s+[^()\n]{{1,60}}?(?:\s*\([^()]{{1,80}}\))?)"
            rf"(?=\s*\(|\s+mede\b|\s*[,.]|$)",
            re.I,
        ),
        "minister key": re.compile(rf"^[ \t]*{alt('minister_keys')}[ \t]*:?[ \t]+(\S.*?)\s*$", re.I | re.M),
        "sender": re.compile(
            rf"\b{alt('sender_phrases')}\s+((?:{ministers})\s+(?:van|voor)\s+[^\n]+?)\s*$", re.I | re.M
        ),
        "signed": re.compile(rf"\b(?i:{ministers})\s+van\s+[A-ZÀ-Ý][\w ]+?,\s*\(([A-ZÀ-Ý][^()]{{1,40}})\)"),
        # "X (Minister van ...)" on a line of its own, or as the one a question is put to ("aan X (...)")
        "minister bracket": re.compile(
            rf"(?:^[ \t]*|\baan\s+)({PERSON_NAME}\s*\((?i:{ministers})\b[^()]*\))[ \t]*$", re.M
        ),
        "minister of": re.compile(
            rf"\b(?:aan|door)\s+de\s+((?:{ministers})\s+van\s+[A-ZÀ-Ý][\w ]+?)"
            r"(?=\s*[,.(]|\s+(?:over|heeft|beantwoord)\b)",
            re.I,
        ),
        "answer date": re.compile(rf"\b{alt('answer_date_keys')}\s*:?\s+({DATE})", re.I),
        "document date": re.compile(rf"\b{alt('document_date_keys')}\s*:?\s+({DATE})", re.I),
        "weekday date": re.compile(rf"\b{alt('weekdays')}\s+({DATE})", re.I),
        "place date": re.compile(rf"^\s*[A-ZÀ-Ý][\w' -]{{1,30}},\s+({DATE})\s*$", re.M),
        "number key": re.compile(rf"^\s*{alt('number_keys')}\s+([\w-]*\d[\w-]*)\s*$", re.I | re.M),
        "session number": re.compile(r"^\s*(\d{1,4}\s*\(\d{4}-\d{4}\))\s*$", re.M),
    }


def _folded(text: str) -> str:
    return " ".join(text.split())


def read_header(text: str) -> Header:
    """The metadata a document's opening (up to its first question or turn) prints."""
    patterns = _patterns()
    folded = _folded(text)
    cues: list[str] = []

    def first(names: tuple[str, ...], source: str) -> list[str]:
        for name in names:
            found = [_folded(m.group(1)) for m in patterns[name].finditer(source)]
            if found:
                cues.append(name)
                return found[:1]
        return []

    from_to = [(_folded(m.group(1)), _folded(m.group(2))) for m in patterns["from to"].finditer(text)]
    askers = first(("asker phrase",), folded) or first(("committee",), folded)
    askers = askers or first(("asker key",), text) or [asker for asker, _ in from_to]
    ministers = first(("answerer phrase",), folded) or first(("minister key",), text)
    ministers = ministers or [minister for _, minister in from_to][:1]
    ministers = ministers or first(("minister bracket",), text) or first(("minister of",), folded)
    ministers = ministers or first(("signed",), folded) or first(("sender",), text)
    dates = first(("answer date", "document date"), folded) or first(("weekday date", "place date"), text)
    numbers = first(("number key", "session number"), text)
    if from_to:
        cues.append("van X aan minister Y")
    return Header(
        askers=tuple(dict.fromkeys(askers)),
        ministers=tuple(dict.fromkeys(ministers)),
        date=dutch_date_to_iso(dates[0]) if dates else None,
        number=numbers[0] if numbers else None,
        cues=tuple(dict.fromkeys(cues)),
    )
