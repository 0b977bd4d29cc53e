"""Extractive answers: the sentence or two of a retrieved passage that answer the question.

Sentences keep their character offsets in the source, so the answer shown is always
`document.text[start:end]`. A sentence is scored by how much of the question's
content (stems, weighted by how rare they are in the corpus) it covers, with a
small prior for the passage's retrieval rank; question sentences are not answers.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from index.stemming import SEPARABLE_PARTICLES
from index.stemming import stem as stem_word
from ingest.model import Chunk, Document, Role
from ingest.sentences import LINE_ROLES, one_line, split, text_sentences

from .figure_terms import (
    SYNONYMS,
    content_stems,
    degree,
    inflection,
    one_edit_apart,
    related,
    single_vowels,
    with_ending,
)
from .figures import NUMBER_WORDS

MAX_ANSWER_CHARS = 400
# "Hoe lang ...?" asks a duration: a number of months, years, ... ("drie maanden", "18 maanden"), or an end
# ("tot eind 2018")
DURATION_QUESTION_RE = re.compile(r"^\W*hoe ?lang\b|\bhoeveel tijd\b", re.I)
DURATION_RE = re.compile(
    rf"\b(?:\d+|een|één|{'|'.join(NUMBER_WORDS)})\s+(?:maand|maanden|jaar|jaren|week|weken|dag|dagen|uur|"
    rf"uren|u\.)"
    r"|\btot (?:het )?(?:eind|einde|begin)\b|\btot (?:en met )?(?:19|20)\d\d\b|\bgedurende\b|\bperiode van\b",
    re.I,
)
# What kind of answer a question word asks for, and how to see one in a span
PERSON_QUESTION_RE = re.compile(
    r"^\W*wie\b|\bdoor wie\b|\bwelke (?:minister|persoon|voorzitter|contactpersoon)\b", re.I
)
ANSWER_TYPES = [
    (DURATION_QUESTION_RE, DURATION_RE),
    (
        re.compile(
            r"\bwanneer\b|\bdatum\b|\bop welke dag\b", re.I
        ),  # a date or a year, not the date of a question referred to
        re.compile(
            r"(?<!\d van )\b\d{1,2} (?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
            r"november|december) \d{4}\b"
            r"|\b\d{1,2}/\d{1,2}/\d{4}\b|"
            r"\b(?:in|tot|sinds|vanaf|eind|begin|medio|najaar|voorjaar) (?:19|20)\d\d\b"
        ),
    ),
    (re.compile(r"\bwelk (?:artikel|art\.)", re.I), re.compile(r"\bart(?:\.|ikel) ?\d+")),
    (
        PERSON_QUESTION_RE,
        re.compile(r"\b[A-Z][a-zà-ÿ]+, (?:[A-Z]\.)+"),
    ),  # an author as a reference lists one: "Wouters, M."
    (
        re.compile(
            r"^\W*(?:waarom|waardoor|waaraan)\b|\bom welke redenen?\b|"
            r"\bwat (?:is|zijn|was|waren) de (?:reden|oorzaak|verklaring)|^\W*(?:wat|hoe) verklaar",
            re.I,
        ),
        re.compile(
            r"\b(?:immers|namelijk|omdat|doordat|want|aangezien|vermits|wegens|gezien|gelet op|om die reden|"
            r"hierdoor|daardoor|waardoor|te wijten aan)\b",
            re.I,
        ),
    ),
]


@dataclass(frozen=True)
class Sentence:
    start: int  # offsets in the document text
    end: int
    text: str
    chunk: Chunk


@dataclass(frozen=True)
class Extract:
    start: int
    end: int
    text: str
    chunk: Chunk
    coverage: float  # idf-weighted share of the question's words this answer covers
    score: float
    similarity: float | None = (
        None  # its best sentence's cosine with the question (None: lines without vectors)
    )


COMPOUND_JOINTS = ("ings", "ing", "en", "es", "s", "e", "")
TIME_TAILS = (
    "jaar",
    "jaren",
    "maand",
    "week",
    "dag",
)  # a compound's last part too short to be a part on its own


class TermWeights:
    """Inverse document frequency of stems over the corpus's chunks."""

    def __init__(self, chunks: Iterable[Chunk], base: TermWeights | None = None) -> None:
        """Counted over `chunks`, added to the counts of `base` when given."""
        frequency: dict[str, int] = dict(base.frequency) if base else {}
        self.count = base.count if base else 0
        for chunk in chunks:
            self.count += 1
            for stem in terms(chunk.retrieval_text):
                frequency[stem] = frequency.get(stem, 0) + 1
        self.total = max(self.count, 1)
        self.frequency = frequency
        self._known: dict[str, bool] = {}

    @classmethod
    def summed(cls, documents: Iterable[tuple[int, Mapping[str, int]]]) -> TermWeights:
        """The weights of a corpus from each document's chunk count and, per stem, the number of its
        chunks that hold it: what counting all their chunks gives."""
        weights = cls(())
        frequency = weights.frequency
        for count, stems in documents:
            weights.count += count
            for stem, found in stems.items():
                frequency[stem] = frequency.get(stem, 0) + found
        weights.total = max(weights.count, 1)
        return weights

    def changed(self, removed: Iterable[Chunk], added: Iterable[Chunk]) -> TermWeights:
        """The weights with `removed` chunks taken out and `added` ones counted: what counting the
        corpus anew gives, at the cost of the changed chunks only."""
        weights = TermWeights(added, base=self)
        for chunk in removed:
            weights.count -= 1
            for stem in terms(chunk.retrieval_text):
                left = weights.frequency[stem] - 1
                if left:
                    weights.frequency[stem] = left
                else:
                    del weights.frequency[stem]
        weights.total = max(weights.count, 1)
        return weights

    def idf(self, stem: str) -> float:
        found = self.frequency.get(stem, 0)
        return math.log(1 + (self.total - found + 0.5) / (found + 0.5))

    def known(self, stem: str) -> bool:
        """In the corpus (remembered per stem: the corpus is fixed for one TermWeights)."""
        if stem not in self._known:
            self._known[stem] = self._is_known(stem)
        return self._known[stem]

    def _is_known(self, stem: str) -> bool:
        """In the corpus, a typo or inflection of a word that is, or a part of a compound that is
        ("corona" in "coronacrisis")."""
        if stem in self.frequency or any(
            stem in group and not group.isdisjoint(self.frequency) for group in SYNONYMS
        ):
            return True
        if len(stem) >= 5 and stem.endswith("s") and self.known(stem[:-1]):
            return True  # "fondsen" stems to "fonds", "Fonds" to "fond"
        if any(
            stem.endswith(unit) and len(stem) - len(unit) >= 5 and self.known(stem[: -len(unit)])
            for unit in TIME_TAILS
        ):
            return True  # "het coronajaar 2020": the year of a corpus word
        part = len(stem) >= 5  # "kilometervergoeding" is not known because "vergoeding" is
        return self._compound(stem) or any(
            one_edit_apart(stem, other)
            or inflection(stem, other)
            or degree(stem, other)
            or (part and (other.startswith(stem) or other.endswith(stem) or with_ending(stem, other)))
            for other in self.frequency
        )

    def _compound(self, stem: str) -> bool:
        """Two corpus words written as one ("doorstroombegeleidingsvergoeding"): a corpus stem, the
        rest of its word ("ing") and a linking "s" or "e(n)", then a corpus stem."""
        for head in self.frequency:
            if len(head) >= 5 and stem.startswith(head) and self._joined_tail(stem[len(head) :]):
                return True
        # the head may be the start of a longer corpus compound ("terugval" of "terugvalpositie" in
        # "terugvalperiode") or its end ("steun" of "ondersteuning" in "steunmaatregelen")
        for cut in range(5, len(stem) - 4):
            head = stem[:cut]
            if self._joined_tail(stem[cut:]) and any(
                (cut >= 6 and other.startswith(head)) or (len(other) > cut and other.endswith(head))
                for other in self.frequency
            ):
                return True
        return False

    def _joined_tail(self, rest: str) -> bool:
        """The rest of a compound after its head: a linking part ("ings", "s", ...) then a corpus stem."""
        return any(
            rest.startswith(joint) and len(rest) - len(joint) >= 5 and self._stem_known(rest[len(joint) :])
            for joint in COMPOUND_JOINTS
        )

    def _stem_known(self, part: str) -> bool:
        """A corpus stem, also once stemmed on its own: "gevolg" of "coronagevolgen" is the corpus's
        "volg"."""
        return part in self.frequency or stem_word(part) in self.frequency


@lru_cache(maxsize=500_000)  # the same stem pairs recur in every candidate span
def similar(a: str, b: str) -> bool:
    """The same word here: `related` stems, also with long vowels written single ("kwetsbare",
    "kwetsbaarheid"), or one typo apart (long words only)."""
    return related(a, b) or one_edit_apart(a, b) or related(single_vowels(a), single_vowels(b))


# Question words, and the verbs of "wat houdt X in", "wat betekent X", "wat verstaat men onder X"
QUESTION_WORDS = frozenset(
    content_stems(
        "wanneer waarom waartoe waaruit waarvoor waarover waarmee waardoor welke houdt houden betekent "
        "betekenen verstaat verstaan"
    )
)


# Words that say what kind of answer is asked ("welke verbeteringen", "de redenen"), not what about: the
# scorer counts them where a span has them but does not ask for them
FRAME_WORDS = frozenset(
    content_stems(
        "verbetering reden oorzaak gevolg aanpak voorstel plan visie standpunt mening knelpunt probleem "
        "oplossing stap initiatief evolutie resultaat effect impact rol invloed verschil voordeel nadeel "
        "kritiek bezwaar opmerking percentage procent aandeel deel gedeelte uur uren bedrag som verband "
        "vergelijking instantie soort type kenmerk eigenschap aspect gelegenheid gelegenheden bezorgdheid "
        "instelling"
    )
)

# Web and e-mail addresses: "www.serv.be" names no topic ("Wat zegt de SERV over ...?")
ADDRESS_RE = re.compile(r"(?<!\S)[^\s@]++@\S++|https?://\S++|www\.\S++")  # linear: no backtracking


@lru_cache(maxsize=50_000)  # sentences are read again for every question
def terms(text: str) -> frozenset[str]:
    """What the scorer matches: content stems and the numbers (a call, an article, a question number);
    not the words of web and e-mail addresses."""
    text = ADDRESS_RE.sub(" ", text)
    return frozenset(
        (content_stems(text) - QUESTION_WORDS) | set(re.findall(r"(?<![\d.,])\d+(?![\d,]|\.\d)", text))
    )


def candidate_spans(document: Document, chunk: Chunk) -> list[list[Sentence]]:
    """Runs of consecutive sentences an answer can be: one sentence or two in prose; up to
    four lines in line-structured text (metadata, signatures, tables), where one line
    rarely says who, what and when at once."""
    listed = sentences(document, chunk)
    width = 4 if _line_structured(chunk) else 2
    return [
        listed[i : i + n] for i in range(len(listed)) for n in range(1, width + 1) if i + n <= len(listed)
    ]


def _line_structured(chunk: Chunk) -> bool:
    return chunk.role in LINE_ROLES or chunk.kind != "passage"


def sentences(document: Document, chunk: Chunk) -> list[Sentence]:
    """The sentences (lines, for metadata, signatures and tables) that overlap the chunk,
    whole: split over the chunk's section, so a chunk border never cuts one."""
    return [s for s in _section_sentences(document, chunk) if s.end > chunk.start and s.start < chunk.end]


def _section_sentences(document: Document, chunk: Chunk) -> list[Sentence]:
    """Every sentence (or line) of the chunk's section; of the chunk itself when it is in none."""
    section = document.section_of(chunk)
    origin, stop = (section.start, section.end) if section else (chunk.start, chunk.end)
    text = document.text
    spans = (
        split(text, origin, stop, by_lines=True)
        if _line_structured(chunk)
        else text_sentences(document, origin, stop)
    )
    return [Sentence(a, b, text[a:b], chunk) for a, b in spans]


@dataclass(frozen=True)
class Meaning:
    """How close in meaning a span is to the question: its best sentence's cosine with the
    query vector, above `floor` (what unrelated Dutch sentences score with e5), times `weight`."""

    query: np.ndarray
    sentences: Mapping[tuple[str, int, int], np.ndarray]
    weight: float
    floor: float

    def similarity(self, source: str, run: list[Sentence]) -> float | None:
        """The best cosine of the run's sentences with the question; None for lines without vectors."""
        found = [self.sentences.get((source, s.start, s.end)) for s in run]
        similarities = [float(v @ self.query) for v in found if v is not None]
        return max(similarities) if similarities else None


@lru_cache(maxsize=4)
def _names_pattern(names: frozenset[str]) -> re.Pattern[str] | None:
    """One pattern that finds any of the names in a lowercased text, as `name in text` would: a
    corpus names thousands of people, too many to test one by one in every span."""
    if not names:
        return None
    return re.compile("|".join(re.escape(name) for name in sorted(names, key=len, reverse=True)))


def best_extract(
    question: str,
    documents: dict[str, Document],
    ranked: list[Chunk],
    weights: TermWeights,
    names: frozenset[str] = frozenset(),
    meaning: Meaning | None = None,
    led: frozenset[str] = frozenset(),
    lead_bonus: float = 0.0,
    askers_words: bool = False,
) -> Extract | None:
    """The best answering span (a sentence or two, a few lines) over the ranked chunks.
    `names`: people the corpus's metadata names (lowercased), printed in capitals or not.
    `askers_words`: the question asks what the asker wrote ("volgens de vraagsteller"), so the
    text of a parliamentary question is an answer too."""
    asked = terms(question)
    if not asked:
        return None
    joined = split_verbs(question, weights)
    total = sum(weights.idf(s) for s in asked - FRAME_WORDS) or sum(weights.idf(s) for s in asked)
    wanted = [shape for asks, shape in ANSWER_TYPES if asks.search(question)]
    named = _names_pattern(names) if PERSON_QUESTION_RE.search(question) else None
    best: Extract | None = None
    best_run: list[Sentence] = []
    for rank, chunk in enumerate(ranked):
        context = terms(chunk.context)
        text = documents[chunk.source].text
        opening = _section_opening(documents[chunk.source], chunk) if chunk.id in led else None
        for run in candidate_spans(documents[chunk.source], chunk):
            start, end = run[0].start, run[-1].end
            if _folded_length(text, start, end) > MAX_ANSWER_CHARS and len(run) > 1:
                continue
            if chunk.role is Role.QUESTION and not askers_words and any(map(_asks, run)):
                continue  # of what the asker wrote, only what it states can answer
            present = set().union(*(terms(s.text) for s in run))
            covered = _covered(asked, present, weights, joined) / total
            with_context = _covered(asked, present | context, weights, joined) / total
            score = covered + 0.5 * with_context + 0.25 / (1 + rank) - 0.04 * (len(run) - 1)
            similarity = meaning.similarity(chunk.source, run) if meaning is not None else None
            if meaning is not None and similarity is not None:
                score += meaning.weight * max(0.0, similarity - meaning.floor)
            span = text[start:end]
            score += 0.5 * sum(1 for shape in wanted if shape.search(span))
            if named is not None and named.search(span.lower()):
                score += 0.5
            if opening is not None and start == opening:  # an answer's opening sentence answers its question
                score += lead_bonus
            if not askers_words and _asks(run[-1]):
                score -= 0.4
            elif (
                not askers_words and chunk.role is Role.QUESTION
            ):  # what the asker states: an answer, but the minister's first
                score -= 0.2
            if best is None or score > best.score:
                end = _fitted_end(text, start, end)
                best = Extract(
                    start,
                    end,
                    text[start:end],
                    chunk,
                    min(1.0, max(covered, with_context)),
                    score,
                    similarity,
                )
                best_run = run
    if best is None or _line_structured(best.chunk):
        return best
    document = documents[best.chunk.source]
    listed = _section_sentences(document, best.chunk)
    whole = _whole_section(document, best, listed)
    if whole is not None:
        return whole
    followed = _with_following(document.text, best, best_run, listed, wanted)
    if followed is best:
        followed = _with_next_on_topic(document.text, best, best_run, listed, asked, weights, joined)
    return _with_context(document.text, followed, best_run[0], listed)


def _asks(sentence: Sentence) -> bool:
    """A question, not an answer: it ends with a question mark."""
    return sentence.text.rstrip().endswith("?")


def _whole_section(document: Document, extract: Extract, listed: list[Sentence]) -> Extract | None:
    """A short prose section (one recommendation of an advice, a short answer) that fits the answer's
    length is the answer whole: "Ik zal ... monitoren en opvolgen. Het is vandaag echter te vroeg, ...".
    Not one that holds a table, nor a question."""
    text = document.text
    if len(listed) < 2 or _folded_length(text, listed[0].start, listed[-1].end) > MAX_ANSWER_CHARS:
        return None
    start, end = listed[0].start, listed[-1].end
    if extract.chunk.role is Role.QUESTION or any(map(_asks, listed)):
        return None
    if any(t.start < end and t.end > start for t in document.tables):
        return None
    return replace(extract, start=start, end=end, text=text[start:end])


def _with_next_on_topic(
    text: str,
    extract: Extract,
    run: list[Sentence],
    listed: list[Sentence],
    asked: set[str],
    weights: TermWeights,
    joined: dict[str, str],
) -> Extract:
    """A one-sentence answer is shown with the sentence after it when that one is on the question's
    topic too and both fit the answer's length: "Daarnaast is er een terugvalpositie voorzien ..."
    is followed by what the fallback is. Not a question, a new list item, or a sentence about
    another number than the one asked ("oproep 380" is not followed by "Voor oproep 432 ...")."""
    after = [s for s in listed if s.start >= run[-1].end]
    if len(run) > 1 or not after or _asks(after[0]) or LIST_ITEM_RE.match(after[0].text):
        return extract
    following = after[0]
    present = terms(following.text)
    asked_numbers = {t for t in asked if t.isdigit()}
    if asked_numbers and asked_numbers.isdisjoint(present) and any(t.isdigit() for t in present):
        return extract
    if not _covered(asked - FRAME_WORDS, set(present), weights, joined):
        return extract
    if _folded_length(text, extract.start, following.end) > MAX_ANSWER_CHARS:
        return extract
    return replace(extract, end=following.end, text=text[extract.start : following.end])


ANAPHOR_RE = re.compile(
    r"^(?:[-•]\s*)?(?:dit|dat|deze|die|daarom|daardoor|daarbij|daarvoor|hierdoor|hiervoor|hierbij|hiermee|"
    r"zo|ook|bovendien|wel|toch|zij|ze|hij|het gaat)\b",
    re.I,
)


def _with_context(text: str, extract: Extract, sentence: Sentence, listed: list[Sentence]) -> Extract:
    """An answer whose first sentence points back ("Dit neemt niet weg ...", "Hierdoor ...") is
    shown with the sentence before it, when all fit the answer's length. ("Daarnaast" adds a point and
    needs no sentence before it.)"""
    if not ANAPHOR_RE.match(sentence.text):
        return extract
    before = [s for s in listed if s.end <= sentence.start]
    if not before or _folded_length(text, before[-1].start, extract.end) > MAX_ANSWER_CHARS:
        return extract
    start = before[-1].start
    return replace(extract, start=start, text=text[start : extract.end])


# "De commissie denkt hier aan ...", "De vergoeding verschuift namelijk naar VDAB": goes on from the sentence
# before
FOLLOWS_ON_RE = re.compile(
    r"^\W*+(?:\S++\s++){0,4}?(?:hier|hieraan|hierbij|hiermee|hiervoor|daarbij|daarmee|daarvoor)\b|"
    r"^\W*+(?:\S++\s++){0,6}?(?:namelijk|immers)\b",
    re.I,
)
LIST_ITEM_RE = re.compile(r"^\s*(?:[a-z]\)|\d{1,2}[.)]|[-•–])\s", re.I)
# A sentence that announces the list after it: "... de volgende aanbevelingen:", "Twee van deze maatregelen
# ...", or one the list itself ends ("Om dat te doorbreken is het belangrijk om")
ANNOUNCES_RE = re.compile(r":\s*$|[^.!?:;)\s]\s*$|\b(?:twee|drie|vier|vijf|zes|volgende)\b", re.I)


def _with_following(
    text: str, extract: Extract, run: list[Sentence], listed: list[Sentence], wanted: list[re.Pattern[str]]
) -> Extract:
    """The sentence after the answer that goes on from it ("Dit om meer flexibiliteit ...",
    "De commissie denkt hier aan ...") is part of the answer, and so are the items of a list
    the answer announces ("Twee van deze maatregelen ...: a) ... b) ..."): the whole list where it
    fits, with the answer's last sentence only if need be, else as much of it as fits; where the
    answer's first sentence has what the question asks for (a date), it stays and the list is cut.
    A sentence or list that does not fit at all is cut at the answer's length."""
    after = [s for s in listed if s.start >= run[-1].end]
    if after and (ANAPHOR_RE.match(after[0].text) or FOLLOWS_ON_RE.match(after[0].text)):
        going_on = after[:1]
    elif (
        after
        and LIST_ITEM_RE.match(after[0].text)
        and not LIST_ITEM_RE.match(run[-1].text)
        and ANNOUNCES_RE.search(run[-1].text)
    ):
        going_on = list(itertools.takewhile(lambda s: LIST_ITEM_RE.match(s.text), after))
    else:
        return extract
    starts, lasts = (extract.start, run[-1].start), list(reversed(going_on))
    if any(
        shape.search(text[extract.start : run[-1].start]) for shape in wanted
    ):  # the date asked is in the first sentence
        tried = [(start, last) for start in starts for last in lasts]
    else:  # the whole list first, then with the answer's earlier sentence
        tried = [(start, last) for last in lasts for start in starts]
    for start, last in tried:
        if _folded_length(text, start, last.end) <= MAX_ANSWER_CHARS:
            return replace(extract, start=start, end=last.end, text=text[start : last.end])
    start = run[-1].start
    end = _fitted_end(text, start, going_on[0].end)
    return replace(extract, start=start, end=end, text=text[start:end])


def _section_opening(document: Document, chunk: Chunk) -> int | None:
    """Where the first sentence of the chunk's section starts."""
    if document.section_of(chunk) is None:
        return None
    listed = _section_sentences(document, chunk)
    return listed[0].start if listed else None


def _covered(asked: set[str], present: set[str], weights: TermWeights, joined: dict[str, str]) -> float:
    """The idf of the question's stems the span has; a part of a split verb counts where the span has
    the verb whole."""
    return sum(
        weights.idf(q)
        for q in asked
        if any(similar(q, p) for p in present)
        or (q in joined and any(similar(joined[q], p) for p in present))
    )


# Words that start a phrase: a separable particle stands before them ("stroomden ... door vanuit LDE")
PHRASE_STARTS = frozenset(
    "naar vanuit uit in bij met voor volgens als en of om na op tijdens sinds door aan van tot over".split()
)


def split_verbs(question: str, weights: TermWeights) -> dict[str, str]:
    """A verb the question splits, "zetten ... stop", "startten ... op", as the one word the corpus
    writes ("stopzetting", "opgestart"): each part's stem mapped to the whole's."""
    words = re.findall(r"[a-zà-ÿ]+|\d+|[^\w\s]", question.lower())
    joined: dict[str, str] = {}
    for at, particle in enumerate(words):
        after = words[at + 1] if at + 1 < len(words) else "."
        if particle not in SEPARABLE_PARTICLES or not (after in PHRASE_STARTS or not after[0].isalnum()):
            # "in 2023", "voor oproep 432": a preposition; "boden ... aan met", "zetten ... stop?": a particle
            continue
        for verb in words[:at]:
            whole = stem_word(particle + verb)
            if len(verb) > 2 and whole in weights.frequency:
                joined.setdefault(stem_word(verb), whole)
                joined.setdefault(stem_word(particle), whole)
    return joined


def _folded_length(text: str, start: int, end: int) -> int:
    """Length as shown: PDF text has runs of blank lines that the answer folds to one space."""
    return len(one_line(text[start:end]))


def _fitted_end(text: str, start: int, end: int) -> int:
    """The end of text[start:end] cut at word boundaries until it fits the answer's length."""
    while _folded_length(text, start, end) > MAX_ANSWER_CHARS:
        end = _cut(text, start, end - 20)
    return end


def _cut(text: str, start: int, limit: int) -> int:
    """End at the last word boundary before `limit`."""
    space = text.rfind(" ", start, limit)
    return space if space > start else limit
