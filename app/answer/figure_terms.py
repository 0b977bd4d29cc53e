"""The vocabulary of figure questions: slots (year, province, age band, instrument, ...)
recognised in questions and in table labels alike, with the domain's synonyms.

A slot value is a short canonical string, e.g. ("province", "west-vlaanderen") or
("instrument", "cmw"). Questions and labels go through the same function, so
"collectief maatwerk" in a question meets the column "CMW".
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import lru_cache

from stop_words import get_stop_words

from index.stemming import stem

Slot = tuple[str, str]

PATTERNS: list[tuple[str, str, str]] = [
    # (slot, canonical value, regex on lowercased text)
    ("instrument", "cmw", r"\bcmw\b|collectie(?:f|ve) maatwerk|maatwerkbedrij"),
    ("instrument", "lde", r"\blde\b|lokale diensteneconomie"),
    (
        "province",
        "buiten",
        r"buiten (?:brussel|vlaanderen)(?:\s*(?:/|en|of)\s*(?:brussel|vlaanderen))?|buitenland",
    ),
    (
        "province",
        "antwerpen",
        r"antwerpen|antwerpse",
    ),  # a prefix: "Antwerpenaren" (the people) too, "Limburgers" likewise
    ("province", "limburg", r"limburg"),  # also "Limburgse"
    ("province", "oost-vlaanderen", r"oost[- ]?vlaanderen|oost[- ]vla(?:amse?|ming(?:en)?)\b|\boost-vl\b"),
    (
        "province",
        "west-vlaanderen",
        r"west[- ]?vlaanderen|west[- ]vla(?:amse?|ming(?:en)?)\b|\bwvl\b|\bwest-vl\b",
    ),
    ("province", "vlaams-brabant", r"vlaams[- ]?brabant|\bvl\.?[- ]?brabant"),
    (
        "province",
        "brussel",
        r"(?<!buiten )(?<!buiten vlaanderen en )(?<!buiten vlaanderen of )\bbrussel(?:s? (?:hoofdstedelijk "
        r")?gewest\b|\b|se\b|aars?\b)",
    ),
    ("province", "wallonie", r"henegouwen|luxemburg|\bluik\b|\bnamen\b|waals[- ]brabant|wallonië"),
    (
        "age",
        "-25",
        r"(?:^|[\s(])-\s?25 jaar|0\s?-\s?25 jaar|jonger dan 25|onder (?:de )?25|\bjongeren\b|-25-jarigen",
    ),
    ("age", "25-59", r"25\s?-\s?59|25-? (?:tot (?:en met )?|t\.?e\.?m\.? ?|t/m )59|tussen 25 en 59"),
    (
        "age",
        "60+",
        r"60 jaar en \+|(?:60|zestig)[- ]?plusser|60\+|ouder dan 60|60 jaar (?:en|of) ouder|vanaf 60",
    ),
    ("duration", "3", r"\b3 maand|drie maand"),
    ("duration", "6", r"\b6 maand|zes maand|(?:een )?half jaar"),
    (
        "duration",
        "12",
        r"\b12 maand|twaalf maand|een jaar of langer|(?:minstens|ten minste|minimum) (?:een|één|1) jaar|"
        r"(?:een|één) jaar of meer",
    ),
    (
        "status",
        "voltooid",
        r"(?<!\bna )(?<!\bna een )(?<!\bmet een )(?:voltooi[dt]|afgerond|afgewerkt)",
    ),  # "doorstroom na een voltooid
    # traject" is what a table counts, not its rows of completed trajectories
    ("status", "stopgezet", r"stopgezet|voortijdig gestopt|stopzetting|afgebroken"),
    ("call", "380", r"oproep \(?380"),  # also "de eerste ESF-oproep (380)"
    ("call", "432", r"oproep \(?432"),
]
FUND_RE = re.compile(r"\b(vcf|esf)[- ]?(20\d\d)\b")
# a payment asked in words: "de VCF-betaling in 2019", "ESF-middelen kreeg Buurtservice in 2020" is the column
# VCF-2019 ("Hoeveel VCF ontving Emino Limburg in 2024": the VCF is only ever money; "ESF" also names calls
# and projects)
WORDS_BETWEEN = (
    r"((?:(?!20\d\d\b)\S+\s+){0,6}?)"  # up to six words, no year among them, between a fund and its year
)
FUND_PAID_RE = re.compile(
    r"\b(vcf|esf)(?:[- ]?(?:betalingen|betaling|middelen|bijdrage|financiering|bedrag|geld|kolom)|"
    r"(?<=vcf))\s+" + WORDS_BETWEEN + r"(20\d\d)\b"
)
# "de betaling uit het ESF voor het jaar 2024": the payment named first, then the fund (not a call or
# project), then the year
PAID_FROM_FUND_RE = re.compile(
    r"\b(?:betalingen|betaling|middelen|bedrag|geld) (?:uit|van|via) (?:het )?(vcf|esf)\b(?![- ]?(?:oproep|"
    r"project))\s+" + WORDS_BETWEEN + r"(20\d\d)\b"
)
# "in 2020 uit het VCF", "in 2023 via ESF uitbetaald", "in 2023 terugstorten aan het VCF": the year first (the
# ESF not where it names a call or project)
YEAR_THEN_FUND_RE = re.compile(
    r"\b(20\d\d)\s+" + WORDS_BETWEEN + r"(?:uit|van|via|aan) (?:het )?(vcf|esf)\b(?![- ]?(?:oproep|project))"
)
# the funds written out: "het Vlaams Cofinancieringsfonds", "de Vlaamse cofinanciering" is the VCF; "Europese
# middelen" ("Europees geld") ESF's
FUND_NAMES = [
    (re.compile(r"(?:vlaams(?:e)? )?cofinancieringsfonds|vlaamse cofinanciering"), "vcf"),
    (re.compile(r"europe(?:es|se) sociaal fonds"), "esf"),
    (re.compile(r"europe(?:es|se) (?:middelen|geld|financiering|bedrag|betaling|bijdrage)"), "esf-middelen"),
]
YEAR_RE = re.compile(
    r"(?<![\d.,-])(19[5-9]\d|20[0-4]\d)(?!\d|[.,]\d)"
)  # "in 2023, ..." is a year; "2023,5" is not
PROJECT_RE = re.compile(r"(?<![\d.,])(7[7-9]\d\d)(?!\d|[.,]\d)")
TOTAL_RE = re.compile(
    r"\b(in totaal|totaal|totale|samen|alles samen|eindtotaal|allemaal|over alle jaren|som van)\b"
)
EXTRA_STOPWORDS = {
    "hoeveel",
    "graag",
    "welk",
    "welke",
    "wat",
    "wie",
    "waren",
    "was",
    "werd",
    "werden",
    "er",
    "per",
    "jaar",
    "aantal",
    "ging",
    "gingen",
    "gaat",
    "gaan",
    "telde",
    "telden",
    "telt",
    "had",
    "hadden",
    "heeft",
    "hebben",
    "kreeg",
    "kregen",
    "bedroeg",
    "bedroegen",
    "bedraagt",
    "bedragen",
    "zijn",
    "is",
    "wordt",
    "worden",
    "hoe",
    "veel",
    "groot",
    "jarige",
    "jarigen",  # the rest of an age band ("25-59 jarigen"), like "jaar"
    # past tenses of common verbs, which say how a question is put, not what about ("kwamen uit", "vonden
    # werk")
    "kwam",
    "kwamen",
    "vond",
    "vonden",
    "bood",
    "boden",
    "ontving",
    "ontvingen",
    "gaf",
    "gaven",
    "liep",
    "liepen",
    "bleef",
    "bleven",
    "stond",
    "stonden",
    "zag",
    "zagen",
    "deed",
    "deden",
    "konden",
    "zouden",
    "moest",
    "moesten",
    "mocht",
    "mochten",
    "wilde",
    "wilden",
    "moeten",
    "kunt",
    "zullen",
    "zult",
    "mogen",
    "mag",
    "willen",
    "wilt",  # modal verbs the stopword list lacks
    # prepositions and conjunctions the stopword list lacks ("volgens de minister", "tijdens de crisis")
    "tijdens",
    "volgens",
    "via",
    "sinds",
    "sedert",
    "rond",
    "omtrent",
    "inzake",
    "betreffende",
    "wegens",
    "dankzij",
    "ondanks",
    "vanwege",
    "naast",
    "nadat",
    "voordat",
    "terwijl",
    "waarbij",
    "waarin",
    "daarin",
    "hierin",
    "precies",  # "hoeveel precies?"
    "alle",
    "heen",
    "zelden",
    "vaak",
    "soms",
    "nooit",
    "altijd",
    "ooit",  # "over alle jaren heen", how often
}


def first_slot(text: str) -> Slot | None:
    """The slot named first in the text: what a row label such as `7889 ... Vlaams-Brabant` is about."""
    lowered = _lowered(text)
    found: list[tuple[int, Slot]] = []
    for slot, value, pattern in PATTERNS:
        match = re.search(pattern, lowered)
        if match:
            found.append((match.start(), (slot, value)))
    for regex, kind in ((FUND_RE, "fund"), (YEAR_RE, "year"), (PROJECT_RE, "project")):
        match = regex.search(lowered)
        if match:
            value = f"{match.group(1)}-{match.group(2)}" if kind == "fund" else match.group(1)
            found.append((match.start(), (kind, value)))
    return min(found)[1] if found else None


@lru_cache(maxsize=50_000)  # table labels and sentences are read again for every question
def slots(text: str) -> frozenset[Slot]:
    lowered = _lowered(text)
    found: set[Slot] = {(slot, value) for slot, value, pattern in PATTERNS if re.search(pattern, lowered)}
    funds = [(m.group(1), m.group(2)) for m in FUND_RE.finditer(lowered)]
    funds += [
        (m.group(1), m.group(3)) for paid in (FUND_PAID_RE, PAID_FROM_FUND_RE) for m in paid.finditer(lowered)
    ]
    funds += [(m.group(3), m.group(1)) for m in YEAR_THEN_FUND_RE.finditer(lowered)]
    found |= {("fund", f"{fund}-{year}") for fund, year in funds}
    fund_years = {year for _, year in funds}
    found |= {("year", y) for y in YEAR_RE.findall(lowered) if y not in fund_years}
    found |= {("project", p) for p in PROJECT_RE.findall(lowered)}
    return frozenset(found)


def strip_slots(text: str) -> str:
    """The text without its slot terms (the whole word: "maatwerkbedrijven" leaves no "ven"), so
    that word matching sees only the other words."""
    lowered = _lowered(text)
    for _, _, pattern in PATTERNS:
        lowered = re.sub(rf"(?:{pattern})[^\W\d]*", " ", lowered)
    for paid in (FUND_PAID_RE, PAID_FROM_FUND_RE):
        lowered = paid.sub(lambda m: f" {m.group(2)} ", lowered)  # the words between fund and year stay
    lowered = YEAR_THEN_FUND_RE.sub(lambda m: f" {m.group(2)} ", lowered)
    for regex in (FUND_RE, YEAR_RE, PROJECT_RE, TOTAL_RE):
        lowered = regex.sub(" ", lowered)
    return lowered


def _lowered(text: str) -> str:
    """Lowercased, one space between words, the funds by their acronyms, a place name typed one
    letter off as the place ("Limbrug", "Oost-Vlaandren")."""
    lowered = PLACE_WORD_RE.sub(_place_spelled, " ".join(text.lower().split()))
    for name, acronym in FUND_NAMES:
        lowered = name.sub(acronym, lowered)
    return lowered


PLACE_NAMES = (
    "antwerpen",
    "limburg",
    "brussel",
    "vlaanderen",
    "oost-vlaanderen",
    "west-vlaanderen",
    "vlaams-brabant",
)
PLACE_WORD_RE = re.compile(r"[a-zà-ÿ][a-zà-ÿ-]{5,}")


def _place_spelled(match: re.Match[str]) -> str:
    word = match.group()
    return next((place for place in PLACE_NAMES if one_edit_apart(word, place)), word)


def one_edit_apart(a: str, b: str) -> bool:
    """One typo apart, in words of six letters or more."""
    return min(len(a), len(b)) >= 6 and abs(len(a) - len(b)) <= 1 and _one_edit(a, b)


@lru_cache(maxsize=200_000)
def _one_edit(a: str, b: str) -> bool:
    """At most one insertion, deletion, substitution or swap of neighbours."""
    if a == b:
        return True
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1])
    return a[i:] == b[i + 1 :]


def names_fund_year(text: str) -> bool:
    """The question names a fund's payments of a year ("VCF-2021", "in 2023 uit het ESF"): a column of
    amounts."""
    return any(kind == "fund" for kind, _ in slots(text))


def asks_total(text: str) -> bool:
    return bool(TOTAL_RE.search(text.lower()))


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(get_stop_words("dutch")) | EXTRA_STOPWORDS


APOSTROPHE_ENDING_RE = re.compile(r"['’](?:s|ers?|en)\b")  # "CMW'ers", "LDE's": the acronym is the word
SEPARABLE_DOORSTROOM_RE = re.compile(r"\bstroom(?:t|de|den)\b.*\bdoor\b|\bdoorgestroomd")


def content_stems(text: str) -> set[str]:
    """Stemmed content words (stopwords, numbers and one-letter words left out); the split
    verb "stroomden ... door" counts as "doorstroom"."""
    lowered = APOSTROPHE_ENDING_RE.sub("", text.lower())
    if SEPARABLE_DOORSTROOM_RE.search(lowered):
        lowered += " doorstroom"
    words = re.findall(r"[a-zà-ÿ][a-zà-ÿ-]+", lowered)
    parts = [p for w in words for p in w.split("-") if len(p) > 2 and p not in _stopwords()]
    parts += [run for w in words if "-" in w for run in _short_runs(w)]  # "in-z", also in "in-z-project"
    return {stem(part) for part in parts}


def _short_runs(word: str) -> list[str]:
    """Runs of two or more short parts of a hyphenated word, an acronym written with hyphens:
    "in-z" in "in-z-project"."""
    runs = re.findall(r"(?:^|(?<=-))([a-zà-ÿ]{1,2}(?:-[a-zà-ÿ]{1,2})+)(?=-|$)", word)
    return [run for run in runs if len(run) >= 3]


def inflection(a: str, b: str) -> bool:
    """The same word with another ending: doorstromer, doorstroom."""
    common = len(os.path.commonprefix([a, b]))
    return common >= 7 and len(a) - common <= 3 and len(b) - common <= 3


DEGREE_ENDING_RE = re.compile(r"(?:ste|st|ere|er|e)$")
DOUBLE_VOWEL_RE = re.compile(r"(aa|ee|oo|uu)")


def degree(a: str, b: str) -> bool:
    """One adjective in two degrees or forms, spelled with one vowel or two: laag, lage, lager, laagste."""
    return len(a) >= 4 and len(b) >= 4 and _degree_base(a) == _degree_base(b)


def single_vowels(stem: str) -> str:
    """A stem with its long vowels written single: "kwetsbaarheid" meets "kwetsbare" as "kwetsbarheid"."""
    return DOUBLE_VOWEL_RE.sub(lambda m: m.group(1)[0], stem)


def _degree_base(stem: str) -> str:
    base = single_vowels(DEGREE_ENDING_RE.sub("", stem))
    return base if len(base) >= 3 else stem


# Stems of words staff use for one another here (content_stems of each)
SYNONYMS = [
    frozenset(content_stems(words))
    for words in (
        "bedrijf onderneming",
        "failliet faillissement",
        "job baan",
        "medewerker werknemer doelgroepwerknemer",
        "elk elke ieder iedere iedereen",
        "streefcijfer beoogt beoogde beogen",
        "voltooid afgerond afgewerkt",
        "stopgezet afgebroken",
        "max maximum maximaal",
        "uitkomst resultaat",
        "verandering veranderingen veranderen veranderende wijziging wijzigingen wijzigen",
    )
]


def related(a: str, b: str) -> bool:
    """Stems that mean the same thing here: equal, the same word with another ending
    (doorstromer, doorstroom), one the head of the other compound (traject, doorstroomtraject),
    or synonyms (bedrijf, onderneming)."""
    if a == b or inflection(a, b) or any(a in group and b in group for group in SYNONYMS):
        return True
    shorter, longer = sorted((a, b), key=len)
    return with_ending(longer, shorter) or (len(shorter) >= 5 and longer.endswith(shorter))


def with_ending(word: str, stem: str) -> bool:
    """`word` is `stem` (five letters or more) with an ending of at most four: screening on screen."""
    return len(stem) >= 5 and word.startswith(stem) and len(word) - len(stem) <= 4


def shared(question: set[str], other: set[str], same: Callable[[str, str], bool] = related) -> set[str]:
    """The question's stems that `other` has, or a related stem of (`same` says which are)."""
    return {q for q in question if any(same(q, o) for o in other)}


def related_or_one_typo(a: str, b: str) -> bool:
    """Related stems, or one typo apart ("faillisement"): how a sentence holding a figure is matched."""
    return related(a, b) or one_edit_apart(a, b)


def overlap(question: set[str], other: set[str]) -> int:
    return len(shared(question, other))
