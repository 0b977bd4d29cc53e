"""Questions about a document's metadata (who asked, who signed, to which minister, when), answered
from its facts rather than from a sentence that happens to contain a name or a date.

A question asks for facts when it names the role or the event: "Wie stelde de vraag",
"Wie ondertekende het advies als voorzitter", "Aan welke minister", "Wanneer ontving de SERV
de adviesvraag". "Wie doet de screening?" names neither and is left to the passages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ingest.facts import Fact

PERSON = r"^\W*(?:wie|door wie|van wie|welke? \w+)\b"
WHEN = r"\b(?:wanneer|datum|op welke dag)\b"
DOCUMENT = r"\b(?:de|het|deze|dit|die|dat) (?:schriftelijke )?(?:vraag|advies|brief|antwoord|document)\b"
# (what the question says, the fact fields that answer it, best first)
FACT_QUESTIONS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (
        re.compile(
            PERSON + r".*\b(?:stelde|vroeg|diende|ingediend|gesteld)\b.*\b(?:vraag|advies|adviesvraag)\b|"
            r"\bvraagsteller|\badviesvrager|\bindiener|\bwelk parlementslid\b",
            re.I,
        ),
        ("asker",),
    ),
    (
        re.compile(
            PERSON + r".*\b(?:ondertekende|ondertekend|ondertekent|tekende|getekend)\b|\bondertekenaar|"
            r"\bhandtekening\b|"
            r"^\W*(?:wie|welke) (?:is|was|zijn|waren) (?:de )?(?:voorzitter|administrateur-generaal)",
            re.I,
        ),
        ("signatory",),
    ),
    (
        re.compile(
            r"\b(?:aan|welke|bevoegde) minister\b|^\W*wie\b.*\bantwoordde\b|"
            + PERSON
            + r".*\bbeantwoord|^\W*wie (?:is|was) de minister\b",
            re.I,
        ),
        ("minister",),
    ),
    (
        re.compile(
            r"\bcontactpersoon\b|\baanspreekpunt\b|^\W*bij wie\b.*\bterecht\b|"
            r"\b(?:wie|welke [\w-]+) (?:kan|moet) ik\b.*\b(?:contacteren|bellen|mailen)\b",
            re.I,
        ),
        ("contact",),
    ),
    (
        re.compile(
            r"\bafzender\b|^\W*(?:wie|van wie)\b.*\b(?:schreef|stuurde|verstuurde|komt)\b.*\bbrief\b", re.I
        ),
        ("sender", "signatory"),
    ),
    (
        re.compile(
            WHEN + r".*\b(?:ontving|ontvangen|ontvangst|binnengekomen)\b|" + WHEN + r".*\bkwam\b.*\bbinnen\b",
            re.I,
        ),
        ("received",),
    ),
    (re.compile(WHEN + r".*\b(?:goedgekeurd|goedkeuring|keurde\b.*\bgoed)\b", re.I), ("approved", "date")),
    (
        re.compile(
            WHEN
            + r".*\b(?:gesteld|ingediend|verstuurd|uitgebracht|ondertekend)\b|"
            + WHEN
            + r".*"
            + DOCUMENT
            + r".*\b(?:gedateerd|dateert)\b"
            r"|\b(?:gedateerd|dateert)\b.*" + DOCUMENT,
            re.I,
        ),
        ("date",),
    ),  # the BVR's date is no metadata
    (re.compile(r"\bwelk nummer\b|\bnummer van de (?:schriftelijke )?vraag\b", re.I), ("number",)),
    (re.compile(r"\bthema\b", re.I), ("theme",)),
    (
        re.compile(r"\btitel\b.*" + DOCUMENT + r"|\btitel van (?:schriftelijke )?vraag\b", re.I),
        ("title",),
    ),  # not a study's title
    (
        re.compile(r"\b(?:welke|wat is de|wat was de) (?:functie|rol|hoedanigheid)\b", re.I),
        ("role",),
    ),  # of a person the question names
]
ATTRIBUTION_RE = re.compile(r"\bvolgens (?:de |het )?[\w-]+", re.I)
# Facts whose value is a person, and so can answer "Welke functie heeft <name>?"
PERSON_FIELDS = ("asker", "minister", "signatory", "contact", "sender")
# Functions a question can name to pick one of several signatories
FUNCTIONS = ("voorzitter", "ondervoorzitter", "administrateur-generaal", "secretaris", "directeur")


def wanted_fields(question: str) -> tuple[str, ...]:
    """The fact fields the question asks for, best first; empty when it asks no metadata.
    "volgens de vraagsteller" says whose words are asked for, not who asked."""
    question = ATTRIBUTION_RE.sub(" ", question)
    for pattern, fields in FACT_QUESTIONS:
        if pattern.search(question):
            return fields
    return ()


def named_keys(question: str, keys: Iterable[str]) -> tuple[str, ...]:
    """("keyed",) when the question names one of the keys of key/value facts ("Welke decretale
    opdracht ...")."""
    return ("keyed",) if any(_names_key(question, key) for key in keys) else ()


def _names_key(question: str, key: str) -> bool:
    """The question names the key (or a signatory's function) as a whole word."""
    return re.search(rf"\b{re.escape(key)}\b", question, re.I) is not None


def answering_facts(question: str, fields: tuple[str, ...], candidates: list[Fact]) -> list[Fact]:
    """The facts of one document that answer: the first field it has; among signatories,
    those whose function the question names (all of them when it names none); for a
    person's role, the facts that name that person."""
    if fields == ("role",):
        return [f for f in candidates if f.field in PERSON_FIELDS and _names_person(question, f.value)]
    if fields == ("keyed",):
        return [f for f in candidates if f.field == "keyed" and _names_key(question, f.label)]
    for field in fields:
        found = [f for f in candidates if f.field == field]
        named = [f for f in found if _names_function(question, f.label)]
        if found:
            return named or found
    return []


def _names_function(question: str, label: str) -> bool:
    return label in FUNCTIONS and _names_key(question, label)


def plain_name(name: str) -> str:
    """A metadata name without its parenthesised party or e-mail address."""
    return " ".join(re.sub(r"\(.*?\)|\S+@\S+", " ", name).split())


def _names_person(question: str, name: str) -> bool:
    words = re.findall(r"[^\W\d]+", plain_name(name))
    return (
        len(words) >= 2
        and re.search(r"\b" + r"\s+".join(map(re.escape, words)) + r"\b", question, re.I) is not None
    )


def fact_answer_text(found: list[Fact], title: str) -> str:
    """ "Voorzitter: Danny Van Assche (BVR optimalisaties doorstroomtrajecten)"."""
    listed = "; ".join(f"{fact.label}: {fact.value}" for fact in found)
    named = "" if any(fact.value == " ".join(title.split()) for fact in found) else f" ({title})"
    return f"{listed[:1].upper()}{listed[1:]}{named}"
