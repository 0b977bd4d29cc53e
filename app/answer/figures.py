"""Figure lookup: answer a "how many" question with one cell of a rebuilt table, or one
number stated in running text, or nothing.

A cell qualifies only if every slot the question names (year, province, age band,
instrument, fund, duration, status, project) is in its row, its column or its table's
context; a table that has a dimension (say provinces) but not the value asked is no
source at all, so a neighbouring cell is never returned. Dimensions the question
does not name must be totals. Among qualifying cells the one whose table context
shares most words with the question wins; uncertain cells are returned as such, for
the caller to present as uncertain, never as a plain answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ingest.model import Document, Role, Table
from ingest.numbers import is_year
from ingest.textutil import DUTCH_MONTHS

from .figure_terms import (
    FUND_NAMES,
    PATTERNS,
    Slot,
    asks_total,
    content_stems,
    first_slot,
    overlap,
    related,
    related_or_one_typo,
    shared,
    slots,
    strip_slots,
)
from .filters import SOURCE_NAMED_RE
from .memo import IdentityMemo

NUMBER_IN_TEXT_RE = re.compile(r"(?<![\w.,-])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(\s?%)?(?![\w,])")
# A count written as a word ("Drie partnerschappen"); "een" is left out, it is mostly the article
NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        "twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien "
        "zeventien achttien negentien twintig".split(),
        start=2,
    )
}
NUMBER_WORD_RE = re.compile(rf"\b({'|'.join(NUMBER_WORDS)})()\b(?!-)", re.I)
# a sentence ends at . ! ? before a space, not after an abbreviation ("140 u. begeleiding", "max. 4200")
SENTENCE_RE = re.compile(
    r"(?:[^.!?]|(?:(?<=\bu)|(?<=\bnr)|(?<=\bbv)|(?<=\bart)|(?<=\bmax)|(?<=\bmin))\.|[.!?](?!\s|$))+"
    r"(?:[.!?](?=\s|$)|$)",
    re.S | re.I,
)
# A number that names something (an article, a call, a question, a footnote) or is the day of
# a date is not a quantity
REFERENCE_BEFORE_RE = re.compile(
    r"(?:\bart\.|\bartikel|\boproep|\bvraag|\bvragen|\bnr\.?|\bnummer|\bpunt|\bbijlage|\bhoofdstuk|"
    r"\bversie)\s*$",
    re.I,
)
ACRONYM_BEFORE_RE = re.compile(r"\b[A-Z]{2,5}\s$")  # "WOP 40 Laag": a level's name, not a quantity
DAY_OF_DATE_RE = re.compile(rf"^\s*(?:{'|'.join(DUTCH_MONTHS)})\b", re.I)
GENERIC_STEMS = content_stems(
    "aantal totaal totalen eindtotaal personen mensen provincie leeftijd organisatie onderstaande tabel "
    "tabellen staat staan overzicht hieronder gegevens vindt volgende cijfers procent percentage percent "
    "volgens geld deel aandeel gedeelte"
)


@dataclass(frozen=True)
class Figure:
    value: str  # exactly as printed (a count written as a word: its digits)
    source: str
    section: str | None
    caption: str  # the table caption, or the sentence for a figure from running text
    row: str
    column: str
    start: int | None
    end: int | None
    status: str  # read, reconstructed, uncertain, text
    kind: str  # "table" or "text"
    score: float = 0.0
    weight: float = (
        0.0  # the question's words its table or sentence uses, weighted by rarity: the two are compared on it
    )


# A question for an amount of money ("Wat kost ...", "de richtprijs", "ESF-middelen") is answered
# by an amount: a cell of a table of amounts (printed with cents), or a number in euro
MONEY_QUESTION_RE = re.compile(
    r"\bkost(?:en|te|ten)?\b|\b\w*kost\b|\b\w*prijs\b|\b\w*premie\b|\bbedrag|\beuro\b|\bvergoeding|\bbetaling|"
    r"\bbetaa?l[dt]?e?n?\b|\bmiddelen\b|geld\b",
    re.I,
)
# A percentage answers a question for a share, not one for a count ("het totale aantal gestarte trajecten")
SHARE_QUESTION_RE = re.compile(r"procent|percent|%|\b(?:deel|aandeel|fractie|verhouding)\b", re.I)
AMOUNT_RE = re.compile(r"^\d{1,3}(?:\.\d{3})*,\d{2}$")
EURO_AFTER_RE = re.compile(r"^\s?(?:euro\b|eur\b|€)", re.I)


# after "hoeveel": an adjective or participle ("gestarte", "Vlaamse") is skipped for the noun it goes with
COUNTED_RE = re.compile(r"\b(?:hoeveel|aantal)\s+(?:[^\W\d]+e\s+)?([^\W\d][\w-]*)", re.I)
# units measure, they do not say what is counted ("hoeveel uur begeleiding", "hoeveel procent")
UNITS = frozenset("uur uren euro procent percent keer dag dagen week weken maand maanden jaar jaren".split())
# A duration asked in a unit ("hoeveel uur", "in maanden", "begeleidingsuren") is answered by a number printed
# with that unit ("140 u. begeleiding", "18 maanden"), not by another number of the sentence
ASKED_DURATION_RE = re.compile(
    r"\b(?:hoeveel|aantal|in)\s+(uur|uren|dagen|dag|weken|week|maanden|maand|jaren|jaar)\b|"
    r"\b\w{3,}(uren|dagen|weken|maanden)\b",
    re.I,
)
DURATION_UNITS = {
    "uur": r"u\.|uur\b|uren\b",
    "dag": r"dag(?:en)?\b",
    "week": r"weken\b|week\b",
    "maand": r"maand(?:en)?\b",
    "jaar": r"jaar\b|jaren\b",
}
# a number printed with a unit of the duration columns ("3 maand of langer"), hours aside ("140 u.
# begeleiding")
DURATION_AFTER_RE = re.compile(
    r"\s*(?:" + "|".join(units for unit, units in DURATION_UNITS.items() if unit != "uur") + ")", re.I
)
UNIT_OF = {
    "uur": "uur",
    "uren": "uur",
    "dag": "dag",
    "dagen": "dag",
    "week": "week",
    "weken": "week",
    "maand": "maand",
    "maanden": "maand",
    "jaar": "jaar",
    "jaren": "jaar",
}


def asked_duration(question: str) -> str | None:
    """The unit of time a question asks its figure in ("uur", "maand"), if any."""
    match = ASKED_DURATION_RE.search(question)
    return UNIT_OF[(match.group(1) or match.group(2)).lower()] if match else None


def counted_stems(question: str) -> set[str]:
    """What a quantity question counts, when it names it: the word after "hoeveel" or "aantal"
    ("Hoeveel maatwerkbedrijven", "het aantal LDE-doorstromers" -> doorstromer), less the parts
    that only name a slot ("LDE-") and generic words ("personen")."""
    match = COUNTED_RE.search(question)
    if match is None or match.group(1).lower() in UNITS:
        return set()
    if any(re.fullmatch(pattern, match.group(1).lower().rstrip("s")) for _, _, pattern in PATTERNS):
        return set()  # "hoeveel zestigplussers": an age band, a slot the lookup reads itself
    if any(name.match(question.lower(), match.start(1)) for name, _ in FUND_NAMES):
        return set()  # "hoeveel Europees geld": a fund's money, also a slot
    counted = re.sub(
        r"(?<=\w{3})s?(?:uren|dagen|weken|maanden)$", "", match.group(1), flags=re.I
    )  # "begeleidingsuren" counts hours of "begeleiding"
    parts = [
        p
        for p in counted.split("-")
        if not any(re.fullmatch(pattern, p.lower()) for _, _, pattern in PATTERNS)
    ]
    return content_stems(" ".join(parts)) - GENERIC_STEMS


def lookup_figure(
    question: str, documents: Iterable[Document], rarity: Callable[[str], float] = lambda stem: 1.0
) -> Figure | None:
    """The figure that answers the question; `rarity` weighs a question word (the corpus's idf),
    so that a sentence sharing the rare "opnieuw" beats a table sharing the common "werk"."""
    asked, totalled = _asked_slots(question)
    unattributed = SOURCE_NAMED_RE.sub(" ", question)
    words = content_stems(strip_slots(unattributed)) - GENERIC_STEMS
    wants_total = asks_total(question) or bool(totalled)
    best: Figure | None = None
    text_best: Figure | None = None
    all_words = content_stems(unattributed)
    text_words = all_words - GENERIC_STEMS  # what a sentence holding the figure must share with the question
    counted = counted_stems(question)
    money = bool(MONEY_QUESTION_RE.search(question))
    for document in documents:
        for table in document.tables:
            if money and not any(AMOUNT_RE.match(cell.value) for row in table.rows for cell in row.cells):
                continue  # a cost is not answered from a table of counts
            found = _best_cell(document, table, asked, words, all_words, wants_total, counted, rarity)
            if found and (best is None or found.score > best.score):
                best = found
        found_text = _best_text_figure(
            document, asked | totalled, text_words, question, counted, rarity, money
        )
        if found_text and (text_best is None or found_text.score > text_best.score):
            text_best = found_text
    if best and (text_best is None or best.weight >= text_best.weight):
        return best  # a table cell that meets every slot beats a sentence that says no more
    return text_best


def _asked_slots(question: str) -> tuple[set[Slot], set[Slot]]:
    """Slots the question asks, and slots it names together ("CMW en LDE samen"): those
    dimensions are asked as their total."""
    found = slots(question)
    kinds = [kind for kind, _ in found]
    totalled = {slot for slot in found if kinds.count(slot[0]) > 1 and slot[0] not in ("year", "fund")}
    return set(found) - totalled, totalled


# --- tables ------------------------------------------------------------------------------


def _table_context(document: Document, table: Table) -> str:
    """Caption, title, the start of the answer section and the question(s) it answers
    (with the numbered question above a lettered part)."""
    section = next((s for s in document.sections if s.label == table.section), None)
    parts = [table.caption, document.title]
    if section is not None:
        before_table = min(table.start, section.end) if section.start <= table.start else section.end
        opening = document.text[section.start : min(before_table, section.start + 400)]
        parts.append(
            _without_tables(opening, section.start, [(t.start, t.end) for t in document.tables])
        )  # not another table's labels
        if section.role is Role.ANSWER:
            wanted = set(section.answers) | {re.sub(r"[a-z]+$", "", n) for n in section.answers}
            parts += [
                document.section_text(q)
                for q in document.sections
                if q.role is Role.QUESTION and q.number in wanted
            ]
    return " ".join(parts)


def _table_head(document: Document, table: Table) -> str:
    """The table's printed head, from its start to its first cell: the row labels' header ("Startjaar")
    with the columns'."""
    first = min(
        (c.start for row in table.rows for c in row.cells if c.start is not None), default=table.start
    )
    first = document.text.rfind("\n", table.start, first)  # the first row's label is no part of the head
    return document.text[table.start : max(first, table.start)]


def _is_total_label(label: str) -> bool:
    lowered = label.lower()
    return lowered in ("", "totaal", "eindtotaal") or lowered.startswith(("totaal ", "eindtotaal "))


@dataclass(frozen=True)
class _Header:
    """A row or column label as the lookup sees it."""

    label: str
    slots: frozenset[Slot]
    distinctive: frozenset[str]  # its words that few other labels of the table share
    total: bool
    own: Slot | None  # the slot the label's own level (after the last " / ") is about
    group: frozenset[Slot]  # slots of the group prefix (before the last " / ")


def _headers(labels: list[str], caption_stems: set[str]) -> list[_Header]:
    stems = [content_stems(strip_slots(label)) - GENERIC_STEMS for label in labels]
    frequency: dict[str, int] = {}
    for found in stems:
        for stem in found:
            frequency[stem] = frequency.get(stem, 0) + 1
    limit = max(2, len(labels) // 4)
    headers = []
    for label, found in zip(labels, stems):
        prefix, _, leaf = label.rpartition(" / ")
        headers.append(
            _Header(
                label,
                frozenset(slots(label)),
                frozenset(s for s in found if frequency[s] <= limit),
                _is_total_label(label),
                first_slot(leaf),
                frozenset(slots(prefix)),
            )
        )
    return headers


def _accepts(header: _Header, asked: set[Slot], words: set[str]) -> tuple[bool, bool]:
    """(acceptable, named): a row or column the question names (by what its own level is about,
    or by its distinctive words), or a total; never one of another value than asked, nor one
    inside a group the question did not ask for."""
    asked_kinds = {kind for kind, _ in asked}
    if any(kind in asked_kinds and (kind, value) not in asked for kind, value in header.slots):
        return False, False
    if any(slot not in asked for slot in header.group):
        return False, False
    if header.own is not None and header.own in asked:
        return True, True
    if header.distinctive and overlap(set(header.distinctive), words):
        return True, True
    return header.total, False


@dataclass(frozen=True)
class _TableReading:
    """What the lookup reads from a table whatever the question."""

    head_stems: frozenset[str]  # "Startjaar": counts for what the table is about, not for its rank
    context_slots: frozenset[Slot]
    caption_stems: frozenset[str]
    context_stems: frozenset[str]
    label_stems: frozenset[str]
    rows: list[_Header]
    columns: dict[str, _Header]
    row_kinds: frozenset[str]
    column_kinds: frozenset[str]


_TABLE_READINGS: IdentityMemo[_TableReading] = IdentityMemo(size=5_000)


def _read_table(document: Document, table: Table) -> _TableReading:
    context = _table_context(document, table)
    caption_stems = frozenset(content_stems(table.caption))
    rows = _headers([row.label for row in table.rows], set(caption_stems))
    columns = dict(zip(table.columns, _headers(list(table.columns), set(caption_stems))))
    return _TableReading(
        head_stems=frozenset(content_stems(_table_head(document, table))),
        context_slots=slots(context),
        caption_stems=caption_stems,
        context_stems=frozenset(content_stems(context)),
        label_stems=frozenset(content_stems(" ".join([*(row.label for row in table.rows), *table.columns]))),
        rows=rows,
        columns=columns,
        row_kinds=frozenset(kind for h in rows for kind, _ in h.slots),
        column_kinds=frozenset(kind for h in columns.values() for kind, _ in h.slots),
    )


def _best_cell(
    document: Document,
    table: Table,
    asked: set[Slot],
    words: set[str],
    all_words: set[str],
    wants_total: bool,
    counted: set[str],
    rarity: Callable[[str], float],
) -> Figure | None:
    reading = _TABLE_READINGS.get((document, table), lambda: _read_table(document, table))
    head_stems, context_slots = reading.head_stems, reading.context_slots
    caption_stems, context_stems = reading.caption_stems, reading.context_stems
    if overlap(counted, context_stems | reading.label_stems) < len(counted):
        return None  # the table does not count what is asked ("Hoeveel vrouwen" in a table of doorstromers)
    rows, columns = reading.rows, reading.columns
    row_kinds, column_kinds = reading.row_kinds, reading.column_kinds
    for slot in asked:
        if slot[0] not in row_kinds | column_kinds and slot not in context_slots:
            return None  # the question names something this table is not about
    # a caption word the question does not use says the table is about something more specific
    penalty = len({c for c in caption_stems - GENERIC_STEMS if not any(related(c, w) for w in all_words)})
    best: Figure | None = None
    for row, header in zip(table.rows, rows):
        row_ok, row_named = _accepts(header, asked, words)
        if not row_ok:
            continue
        for cell in row.cells:
            column = columns[cell.column]
            column_ok, column_named = _accepts(column, asked, words)
            column_ok = column_ok or cell.column.split(" / ")[-1].lower() == "totaal"
            if not column_ok or not all(
                _placed(slot, header, column, row_kinds, column_kinds) for slot in asked
            ):
                continue
            own = content_stems(row.label) | content_stems(cell.column)
            covered_words = shared(words, context_stems | own)
            covered = len(covered_words)
            headed = covered + len(shared(words - covered_words, head_stems))
            # half the question's other words in the table, or one where two asked slots pin the row and the
            # column
            pinned = sum(1 for slot in asked if slot in header.slots or slot in column.slots)
            if words and headed * 2 < len(words) and not (pinned >= 2 and covered >= 1):
                continue
            is_total = header.total or column.total or cell.column.split(" / ")[-1].lower() == "totaal"
            named_words = overlap(words, set(header.distinctive) | set(column.distinctive))
            missing = len(words) - covered
            unasked = {kind for kind, _ in header.slots | column.slots} - {kind for kind, _ in asked}
            score = 2 * overlap(words, caption_stems) + 2 * covered - missing + named_words - penalty
            score -= 0.5 * len(unasked)  # "Totaal ANTWERPEN" is no total over the provinces not asked
            score += (0.5 if table.complete else 0) + (0.5 if wants_total and is_total else 0)
            if best is None or score > best.score:
                best = Figure(
                    value=cell.value,
                    source=document.source,
                    section=table.section,
                    caption=table.caption,
                    row=row.label,
                    column=cell.column,
                    start=cell.start,
                    end=cell.end,
                    status=cell.status,
                    kind="table",
                    score=score,
                    weight=sum(map(rarity, covered_words)),
                )
    return best


def _placed(slot: Slot, row: _Header, column: _Header, row_kinds: set[str], column_kinds: set[str]) -> bool:
    """An asked slot of a kind the table breaks down must sit in the row or column that carries it."""
    kind = slot[0]
    if kind not in row_kinds | column_kinds:
        return True  # matched by the table's context
    return (kind in row_kinds and slot in row.slots) or (kind in column_kinds and slot in column.slots)


# --- running text ----------------------------------------------------------------------------


def _best_text_figure(
    document: Document,
    asked: set[Slot],
    words: set[str],
    question: str,
    counted: set[str],
    rarity: Callable[[str], float],
    money: bool,
) -> Figure | None:
    best: Figure | None = None
    mentioned = set(re.findall(r"\d+", question))  # a number the question names is not its answer
    share = bool(SHARE_QUESTION_RE.search(question))
    duration = asked_duration(question)
    named_duration = any(kind == "duration" for kind, _ in asked)
    table_spans = [(t.start, t.end) for t in document.tables]
    for section in document.sections:
        # a written sub-question asks rather than states; a member's turn in a debate states too
        prose = section.role in (Role.ANSWER, Role.ADVICE, Role.LETTER, Role.TEXT, Role.INTRODUCTION)
        if not prose and section.speaker is None:
            continue
        text = _without_tables(document.section_text(section), section.start, table_spans)
        for sentence in SENTENCE_RE.finditer(text):
            sentence_text = " ".join(sentence.group().split())
            sentence_slots = slots(sentence_text)
            if not all(slot in sentence_slots for slot in asked):
                continue
            if overlap(counted, content_stems(sentence_text)) < len(counted):
                continue
            for match in (
                *NUMBER_IN_TEXT_RE.finditer(sentence.group()),
                *NUMBER_WORD_RE.finditer(sentence.group()),
            ):
                start = section.start + sentence.start() + match.start(1)
                end = start + len(match.group(1)) + len(match.group(2) or "")
                printed = document.text[start:end].replace(" %", "%")
                value = str(NUMBER_WORDS.get(printed.lower(), printed))
                if is_year(value) or value in mentioned or (value.endswith("%") and not share):
                    continue
                if duration and not re.match(
                    rf"\s?(?:{DURATION_UNITS[duration]})", sentence.group()[match.end() :], re.I
                ):
                    continue
                if named_duration and DURATION_AFTER_RE.match(sentence.group()[match.end() :]):
                    # "6 maand of langer" names a column: its "3 maand" is another column's name, no count
                    continue
                if money and not (
                    EURO_AFTER_RE.match(sentence.group()[match.end() :])
                    or sentence.group()[: match.start()].rstrip().endswith("€")
                ):
                    continue  # a cost is a number in euro
                at = sentence.start() + match.start()
                if _is_reference(text[max(0, at - 20) : at], sentence.group()[match.end() :]):
                    continue
                near = sentence.group()[max(0, match.start() - 60) : match.end() + 60]
                sentence_words = shared(words, content_stems(sentence_text), same=related_or_one_typo)
                coverage = len(sentence_words)
                score = coverage + overlap(words, content_stems(near))
                score += _qualified(asked, slots(_named_after(sentence.group()[match.end() :])))
                if score >= 3 and coverage * 2 >= len(words) and (best is None or score > best.score):
                    best = Figure(
                        value=value,
                        source=document.source,
                        section=section.label,
                        caption=sentence_text,
                        row=_counted(sentence.group()[match.end() :]),
                        column="",
                        start=start,
                        end=end,
                        status="text",
                        kind="text",
                        score=score,
                        weight=sum(map(rarity, sentence_words)),
                    )
    return best


def _qualified(asked: set[Slot], named: frozenset[Slot]) -> int:
    """What the words right after a number add to its score: 2 for each asked slot they name ("1070 binnen
    CMW" for a CMW question), -2 where they name one of several asked together ("70 binnen LDE" is a part of
    what "in CMW of LDE" asks)."""
    kinds = {kind for kind, _ in named}
    if any(
        len({v for k, v in asked if k == kind}) > len({v for k, v in named if k == kind}) for kind in kinds
    ):
        return -2
    return 2 * len(asked & named)


def _named_after(after: str) -> str:
    """The words that qualify a number, up to the next number: " binnen CMW en " in
    "1140 (1070 binnen CMW en 70 binnen LDE)"."""
    return re.split(r"\d", after[:25], maxsplit=1)[0]


def _is_reference(before: str, after: str) -> bool:
    """`art. 3`, `oproep 432`, `vraag 207`, `WOP 40`, `<sup>1</sup>`, `17 februari`: no quantity."""
    return bool(
        REFERENCE_BEFORE_RE.search(before)
        or ACRONYM_BEFORE_RE.search(before)
        or DAY_OF_DATE_RE.match(after)
        or before.endswith("<sup>")
    )


def _without_tables(text: str, offset: int, table_spans: list[tuple[int, int]]) -> str:
    """The section text with its tables blanked out (offsets kept); each ends a sentence,
    so that numbers in tables are only answered from their cells."""
    chars = list(text)
    for start, end in table_spans:
        a, b = max(start - offset, 0), min(end - offset, len(chars))
        if a < b:
            chars[a:b] = [" "] * (b - a)
            chars[b - 1] = "."
    return "".join(chars)


def _counted(after: str) -> str:
    """What a number in running text counts: the words right after it (`224 doelgroepwerknemers`)."""
    words = re.findall(r"[^\W\d][\w'-]*", after.split(",")[0])[:3]
    return " ".join(words)
