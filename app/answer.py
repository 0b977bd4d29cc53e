"""The answer to a question, for every consumer (CLI, eval, UI): figure, extract or abstention.

1. Filters the question names (year, question number, SERV or parliament) that no
   document matches: the corpus does not answer it.
2. A quantity question ("hoeveel", "welk percentage") goes to the figure lookup; the
   answer is one cell (with row, column, caption, source) or one number from running
   text. A quantity question without a figure is not answered from a nearby number.
3. Otherwise the best sentence(s) of the top prose passages (table rows skipped) and of the
   passages holding the sentences closest in meaning, with their exact offsets.
4. Weak evidence (a question word the corpus never uses, or little of the question
   covered by the best passage) gives an abstention with the nearest passages shown
   as possibly related.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property

from index.figure_terms import content_stems, names_fund_year, slots, strip_slots
from index.figures import NUMBER_WORDS, Figure, lookup_figure
from index.filters import SERV_RE, matching_sources, parse_filters
from index.library import Hit, Library
from ingest.facts import Fact, facts
from ingest.model import Chunk, Document, Table
from ingest.sentences import one_line, text_sentences
from ingest.textutil import DUTCH_MONTHS

from .extract import DURATION_QUESTION_RE, DURATION_RE, FRAME_WORDS, MAX_ANSWER_CHARS, Extract, Meaning, TermWeights, best_extract
from .facts import answering_facts, fact_answer_text, named_keys, plain_name, wanted_fields

QUANTITY_RE = re.compile(
    r"\bhoeveel\b|\baantal\b|\bpercentage\b|\bprocent\b|\baandeel\b|\bbedrag\b|\bbedroeg\b|\bbetaling|\bprijs\b|\brichtprijs\b"
    r"|\bvergoeding\b|\bhoe (?:veel|groot)\b|\bin (?:maanden|jaren|euro|uren|procent)\b|\bwat kost(?:en|te|ten)?\b"
    r"|\b(?:eind)?totaal\b|\bstreefcijfer|\bwelk (?:deel|gedeelte|getal|cijfer)\b|\(in %\)|\bin %"
    r"|\bwat (?:ontving|ontvingen|ontvangt|betaalt|betaalde|betalen|betaalden)\b",
    re.IGNORECASE,
)
# "Aan welk besluit moet de richtprijs ...?" asks a thing, not a figure: "welk(e)" before a noun that is no quantity
WHICH_THING_RE = re.compile(  # also after an adjective: "welk gemiddeld aantal"
    r"\bwelke?\s+(?!(?:[^\W\d]+\s+)?(?:percentage|aandeel|deel|gedeelte|bedrag|aantal|prijs|richtprijs|vergoeding|som|betaling|periode|termijn|duur|cijfer|"
    r"streefcijfer|getal|totaal|eindtotaal|maximum|maximumbedrag|vcf|esf)\b)[^\W\d]", re.I
)
# "Waarom zal het aantal ... toenemen?", "Wat verklaart het lage aantal ...?" ask a reason, "Wat vindt de SERV van de
# vergoeding?" an opinion, "Waarheen verschuift de vergoeding?" a place, not a figure
EXPLANATION_RE = re.compile(
    r"^\W*(?:waarom|waardoor|waartoe|waaraan|waarheen|waarnaar|naar waar|hoe(?!\s+(?:veel|groot|lang)\b))\b"
    r"|^\W*(?:wat|hoe) verklaar|^\W*wat (?:is|zijn|was|waren) de (?:oorzaak|oorzaken|verklaring|reden|redenen)\b"
    r"|^\W*wat (?:vindt|vinden|vond|vonden|denkt|denken|dacht|dachten)\b|^\W*hoe (?:staat|staan|kijkt|kijken|beoordeelt|beoordelen)\b",
    re.IGNORECASE,
)
# A when-question asks a date, also where it names payments or a number ("Tot wanneer lopen de betalingen?")
DATE_QUESTION_RE = re.compile(r"^\W*(?:(?:tot|sinds|vanaf) )?wanneer\b|^\W*(?:tot|sinds|vanaf|op) welke datum\b", re.I)
ASKERS = r"(?:vraagsteller|parlementslid|volksvertegenwoordiger|indiener|kamerlid)"
# What the asker wrote is asked: "volgens de vraagsteller", or the asker as the subject of a what-question ("Welke klacht
# haalt de vraagsteller aan?"); not "Welk (Vlaams) parlementslid ...?" nor "Wat is de naam van de vraagsteller?"
ASKER_RE = re.compile(
    rf"\bvolgens (?:de |het |deze )?{ASKERS}\b|^\W*(?:wat|welke?|waarom|hoe|waar\w*)\b(?!\s+(?:[^\W\d]+\s+)?{ASKERS}\b)(?!.*\bnaam\b).*\b(?:de|het) {ASKERS}\b", re.I
)
ASKER_NAMED_RE = re.compile(rf"\b(?:volgens )?(?:de |het |deze )?{ASKERS}\b", re.I)  # the words that name the asker
PROSE_SKIPS = frozenset({"table_row", "table_head"})  # chunk kinds an extractive answer is never looked for in
QUESTION_WORD_RE = re.compile(  # at the start, or after a topic put first ("SEC-NEC-SEC, wat ...")
    r"(?:^|[,:]\s)\W*(?:(?:door|met|aan|voor|van|bij|op|in|tot|uit|naar|over|sinds|vanaf)\s+)?(?:wie|wat|waarom|hoe|wanneer|welk|welke|waar\w*|kan|kunnen|is|zijn|zal|zullen|heeft|hebben|wordt|worden|"
    r"overweegt|moet|moeten|mag|doet|geeft|bestaat|staat|was|waren|werd|werden|had|hadden|kon|konden|zou|zouden|gold|geldt)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AnswerSettings:
    passages: int = 5  # passages the sentence scorer reads
    sentence_passages: int = 3  # and those of the sentences closest in meaning to the question (3, 5 and 8 alike on the eval sets)
    citations: int = 3  # citations returned (the answer's own first)
    min_coverage: float = 0.25  # below: abstain (calibrated on all eval sets A-I: no abstain question without an unknown word lies in 0.25-0.3)
    meaning_weight: float = 2.0  # sentence-vector similarity in the sentence score (calibrated on evals/dev.jsonl)
    meaning_floor: float = 0.82
    lead_bonus: float = 0.2  # the opening sentence of an answer reached from its question (0.1-0.5 alike on evals/dev.jsonl)


@dataclass(frozen=True)
class Citation:
    source: str
    title: str
    section: str
    text: str  # == the source text[start:end]
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    value: str | None
    abstained: bool
    citations: list[Citation]
    table: dict | None = None  # the table and the cell, for a figure from a table
    latency_ms: float = 0.0
    reason: str = ""  # why it abstained, for the user (Dutch)
    evidence: dict = field(default_factory=dict)  # the scores the decision was made on

    def as_dict(self) -> dict:
        """The predictions format (../shared/EVAL_FORMAT.md), plus `table`, `reason` and `evidence`."""
        return {
            "question": self.question,
            "answer": self.answer,
            "value": self.value,
            "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations],
            "table": self.table,
            "latency_ms": round(self.latency_ms, 2),
            "reason": self.reason,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class CorpusWords:
    """What the answerer derives from the whole corpus, once per catalog generation."""

    generation: int
    weights: TermWeights
    names: frozenset[str]  # people the metadata names, lowercased
    facts: dict[str, list[Fact]]  # per source: its metadata facts with their printed offsets

    @cached_property
    def keyed_facts(self) -> list[Fact]:
        """The facts of every document that are asked by naming their key ("decretale opdracht")."""
        return [f for found in self.facts.values() for f in found if f.field == "keyed"]


class Answerer:
    def __init__(self, library: Library, settings: AnswerSettings | None = None) -> None:
        self.library = library
        self.settings = settings or AnswerSettings()
        self._words: CorpusWords | None = None

    def _corpus_words(self) -> CorpusWords:
        view = self.library.view()
        if self._words is None or self._words.generation != view.generation:
            documents = view.documents.values()
            self._words = CorpusWords(view.generation, TermWeights(view.chunks.values()), _person_names(documents),
                                      {d.source: facts(d) for d in documents})  # fmt: skip
        return self._words

    def warm_up(self) -> None:
        """Load the model and derive the corpus words now, so the first user's question is not the slow one."""
        self.answer("Hoeveel doorstromers waren er?")

    def answer(self, question: str) -> Answer:
        started = time.perf_counter()
        result = self._answer(" ".join(question.split()))
        return replace(result, latency_ms=(time.perf_counter() - started) * 1000)

    def _answer(self, question: str) -> Answer:
        documents = self.library.view().documents
        filters = parse_filters(question)
        sources = matching_sources(filters, documents.values())
        if sources is not None and not sources:
            hits = self.library.search(question, k=self.settings.citations)
            return self._abstain(question, hits, f"Geen enkel document gaat over {filters.describe()}.", {"filters": filters.describe()})
        fields = () if ASKER_RE.search(question) else wanted_fields(question) or named_keys(question, self._corpus_words().keyed_facts)
        if fields:
            answer = self._fact_answer(question, fields, sources)
            if answer is not None:
                return answer
        quantity = bool(QUANTITY_RE.search(question)) and not (WHICH_THING_RE.search(question) and not re.search(r"\bhoeveel\b", question, re.I))
        quantity = (quantity or names_fund_year(question)) and not EXPLANATION_RE.search(question)  # a fund's year: an amount
        quantity = quantity and not DATE_QUESTION_RE.search(question)  # "Tot wanneer lopen de betalingen?" asks a date
        bare = not quantity and not QUESTION_WORD_RE.search(question) and bool(slots(question))  # "CMW Limburg 2023?" asks a cell
        if quantity or bare:
            weights = self._corpus_words().weights
            unknown = _unknown_beside_slots(question, weights) if quantity else []
            if unknown:  # "Hoeveel doorstromers gingen aan de slag in de zorgsector?": no number answers that
                hits = self.library.search(question, k=self.settings.citations, sources=sources)
                return self._abstain(question, hits, _unknown_reason(question, unknown), {"unknown_words": unknown})
            figure = lookup_figure(question, (documents[s] for s in sorted(sources or documents)), weights.idf)
            if figure is not None and figure.status != "uncertain" and (quantity or figure.kind == "table"):
                return _figure_answer(question, figure, documents[figure.source])
            if quantity:
                return self._no_figure(question, figure, sources)
        return self._extract(question, sources)

    def _fact_answer(self, question: str, fields: tuple[str, ...], sources: set[str] | None) -> Answer | None:
        """From the metadata of the best-ranked document that has the fact asked for; None when none has."""
        documents = self.library.view().documents
        words = self._corpus_words()
        hits = self.library.search(question, k=self.settings.passages, sources=sources)
        unknown = unknown_topics(question, words.weights)
        if unknown:  # "Wie ondertekende het advies over de kinderbijslag?"
            return self._abstain(question, hits, _unknown_reason(question, unknown), {"unknown_words": unknown})
        for source in dict.fromkeys(h.chunk.source for h in hits):
            found = answering_facts(question, fields, words.facts.get(source, []))
            if found:
                document = documents[source]
                start, end = min(f.start for f in found), max(f.end for f in found)
                held_in = document.section_at(start)
                section = held_in.label if held_in else ""
                cited = Citation(source, document.title, section, document.text[start:end], start, end, 1.0)
                others = [chunk_citation(h.chunk, documents[h.chunk.source], h.score) for h in hits]
                others = [c for c in others if not (c.source == source and c.start <= start < c.end)]
                value = found[0].value if found[0].field == "number" else None  # a question number is one figure
                return Answer(question, fact_answer_text(found, document.title), value, False,
                              [cited, *others][: self.settings.citations], evidence={"fact": found[0].field})  # fmt: skip
        return None

    def _no_figure(self, question: str, figure: Figure | None, sources: set[str] | None) -> Answer:
        """A quantity question without a settled figure is not answered from a nearby number."""
        hits = self.library.search(question, k=self.settings.citations, sources=sources)
        if figure is None:
            return self._abstain(question, hits, "De documenten geven dit cijfer niet.", {})
        document = self.library.view().documents[figure.source]
        reason = "De tabel is op deze plaats niet eenduidig te lezen; het cijfer wordt daarom niet gegeven. Controleer de bron."
        return self._abstain(question, hits, reason, {"uncertain_cell": True}, [_table_row_citation(figure, document, _figure_table(figure, document))])

    def _extract(self, question: str, sources: set[str] | None) -> Answer:
        view = self.library.view()
        query = self.library.embedder.embed_query(question)  # once: for the search and the sentence scorer
        askers_words = bool(ASKER_RE.search(question))  # "volgens de vraagsteller": the asker's own text answers
        hits = self.library.search(question, k=self.settings.passages, sources=sources, query_vector=query, skip_kinds=PROSE_SKIPS,
                                   keep_questions=askers_words)  # fmt: skip
        if not hits:
            return self._abstain(question, [], "Er zijn geen passages gevonden.", {})
        words = self._corpus_words()
        weights, names = words.weights, words.names
        meaning = Meaning(query, view.sentence_vectors, self.settings.meaning_weight, self.settings.meaning_floor)
        led = frozenset(h.chunk.id for h in hits if h.via_question)
        ranked = [h.chunk for h in hits]
        ranked += [c for c in self.library.sentence_search(query, self.settings.sentence_passages, sources) if c not in ranked]
        ranked += [c for c in self.library.asked_in(ranked) if c not in ranked]  # what the asker states ("Die liepen tot eind 2018")
        # "volgens de SERV" chose the sources (the filter); in them the name only matches headers and the decree's name
        unnamed = SERV_RE.sub(" ", question)
        unnamed = ASKER_NAMED_RE.sub(" ", unnamed)
        scored = unnamed if content_stems(unnamed) else question
        extract = best_extract(scored, view.documents, ranked, weights, names, meaning, led, self.settings.lead_bonus, askers_words)
        unknown = unknown_topics(question, weights)
        evidence = {
            "coverage": round(extract.coverage, 3) if extract else 0.0,
            "sentence_similarity": round(extract.similarity, 4) if extract and extract.similarity is not None else None,
            "unknown_words": unknown,
            "top_similarity": round(hits[0].vector_score or 0.0, 4),
        }
        if unknown:  # first: the reason that names the words is the more useful one
            return self._abstain(question, hits, _unknown_reason(question, unknown), evidence)
        if extract is None or extract.coverage < self.settings.min_coverage:
            return self._abstain(question, hits, "De documenten beantwoorden deze vraag niet duidelijk.", evidence)
        if DURATION_QUESTION_RE.search(question) and not DURATION_RE.search(extract.text):
            return self._abstain(question, hits, "De documenten noemen hiervoor geen duur.", evidence)
        return _extract_answer(question, extract, hits, view.documents, self.settings.citations, evidence)

    def _abstain(self, question: str, hits: list[Hit], reason: str, evidence: dict, cited: list[Citation] | None = None) -> Answer:
        documents = self.library.view().documents
        citations = (cited or []) + [chunk_citation(h.chunk, documents[h.chunk.source], h.score) for h in hits]
        citations = citations[: self.settings.citations]
        return Answer(question, f"De documenten beantwoorden deze vraag niet. {reason}", None, True, citations,
                      reason=reason, evidence=evidence)  # fmt: skip


INTERROGATIVES = frozenset("wie wat wanneer waarom waar hoe hoelang hoeveel welk welke".split())  # "van wanneer", "tot wanneer"
SUBJECT_LEADS = frozenset("de het een er men u je ze zij hij we wij dat die dit deze".split())
TOPIC_LEADS = frozenset("de het een van over bij voor in op met naar welke welk hoeveel zijn haar hun geen om via door uit tot tijdens na onder zonder".split())
# After these "het" is a clause's subject and the word after it its verb: "als het klikt", "waarin het begon"
CLAUSE_STARTS = frozenset("als dat of omdat wanneer waarin waarbij waardoor indien zodat toen terwijl nadat voordat zodra".split())


# Words about the documents themselves, not their topic: a corpus need not print them
DOCUMENT_WORDS = frozenset(content_stems(
    "brief nummer datum dag schriftelijke vraag vraagsteller adviesvraag advies ondertekenaar contactpersoon afzender "
    "parlementslid volksvertegenwoordiger kamerlid indiener "
    "studie rapport onderzoek nota publicatie document bron tabel bijlage voetnoot auteur schrijver titel thema "
    "deelvraag subvraag afkorting afkortingen inleiding alinea paragraaf "
    + " ".join(DUTCH_MONTHS) + " jan feb mrt apr jun jul aug sep sept okt nov dec"))  # fmt: skip
# Numbers written as words ("de twaalf projecten") count things; they name no topic
COUNT_WORDS = frozenset(content_stems(" ".join(NUMBER_WORDS)))
# Adjectives that place or compare a thing ("zijn vroegere werkgever"), not name a topic
PLAIN_ADJECTIVES = frozenset(content_stems(
    "vroegere huidige nieuwe oude gemiddelde vorige eerste tweede derde vierde vijfde laatste andere zelfde eigenlijke echte werkelijke"
))  # fmt: skip


def topic_stems(question: str) -> set[str]:
    """The stems of the question's topic words: words after an article, a preposition or
    "welke" ("de kinderbijslag", "welke sancties") and names written with a capital ("Brugge"), not its verbs ("wie ondertekende")
    nor words about the documents themselves ("de brief", "het nummer")."""
    words = re.findall(r"[\w-]+", question.lower())
    led = {stem for before, lead, word, after in zip(["", *words], words, words[1:], [*words[2:], ""])
           if lead in TOPIC_LEADS and word not in TOPIC_LEADS and word not in INTERROGATIVES
           and not (lead == "hoeveel" and after in SUBJECT_LEADS)  # "hoeveel bedraagt de ...": a verb
           and not (lead == "het" and before in CLAUSE_STARTS)
           for stem in content_stems(word)}  # fmt: skip
    named = {stem for word in re.findall(r"(?<=\s)[A-ZÀ-Ý][\w-]*", question) for stem in content_stems(word)}  # "de stad Brugge"
    predicate = {stem for word in PREDICATE_RE.findall(question) for stem in content_stems(word)}  # "... waren laaggeschoold?"
    return (led | named | predicate | _asked_degree(question)) - DOCUMENT_WORDS - FRAME_WORDS - PLAIN_ADJECTIVES - COUNT_WORDS


# "Hoeveel doorstromers waren laaggeschoold?": the word a copula ends the question with says what is counted
# (in a "hoeveel" question only: "Welke artikelen worden gewijzigd?" asks about the articles)
PREDICATE_RE = re.compile(r"^\W*hoeveel\b.*\b(?:is|zijn|was|waren|wordt|worden|werd|werden)\s+([^\W\d][\w-]*)\s*\?*\s*$", re.I)
# "Hoe tevreden zijn werkgevers ...?": the adjective after "hoe" before a copula is what is asked about
HOW_ADJECTIVE_RE = re.compile(
    r"^\W*hoe\s+(?!(?:hoog|hoge|laag|lage|groot|klein|kort|lang|zwaar|duur|veel|weinig|ver)\b)([^\W\d]+)\s+(?:is|zijn|was|waren)\b", re.I
)  # not an adjective of size ("Hoe hoog is de richtprijs?" asks a figure)


def _asked_degree(question: str) -> set[str]:
    match = HOW_ADJECTIVE_RE.search(question)
    return content_stems(match.group(1)) if match else set()


# A call, project or article named by its number ("oproep 512", "art. 9")
NAMED_NUMBER_RE = re.compile(r"\b((?:esf-)?oproep|project|art\.|artikel)\s*(\d+)\b", re.IGNORECASE)


def unknown_topics(question: str, weights: TermWeights) -> list[str]:
    """The question's topic stems the corpus never uses, even as a typo, inflection or compound
    part, and the calls, projects and articles it names by a number the corpus never uses."""
    stems = sorted(s for s in topic_stems(question) if not weights.known(s))
    return stems + [f"{name.lower()} {number}" for name, number in NAMED_NUMBER_RE.findall(question) if number not in weights.frequency]


def _unknown_reason(question: str, unknown: list[str]) -> str:
    """The abstention's reason for the user, naming the question's words as written ("Duitstalige"),
    not their stems ("duitstal"); a named call or article as "oproep 610"."""
    words = [w for w in re.findall(r"[\w-]+", question) if not set(content_stems(w)).isdisjoint(unknown)]
    named = [u for u in unknown if " " in u]
    return f"De documenten spreken niet over: {', '.join(dict.fromkeys(words + named)) or ', '.join(unknown)}."


def _unknown_beside_slots(question: str, weights: TermWeights) -> list[str]:
    """The unknown topics of a figure question but for its slot terms ("60-plussers", "Henegouwen"),
    which the figure lookup reads itself."""
    slot_stems = content_stems(question) - content_stems(strip_slots(question))
    return [stem for stem in unknown_topics(question, weights) if stem not in slot_stems]


def _person_names(documents) -> frozenset[str]:  # type: ignore[no-untyped-def]
    """People named in the metadata (who asked, the minister, who signed), lowercased."""
    names = set()
    for document in documents:
        meta = document.metadata
        for name in (meta.asked_by, meta.minister, *meta.signatories, dict(meta.extra).get("Contactpersoon")):
            if name:
                names.add(plain_name(name).lower())
    return frozenset(names)


def chunk_citation(chunk: Chunk, document: Document, score: float) -> Citation:
    """A whole chunk as a citation."""
    return Citation(chunk.source, document.title, chunk.section, document.text[chunk.start : chunk.end], chunk.start, chunk.end, round(score, 5))


def _extract_answer(question: str, extract: Extract, hits: list[Hit], documents: dict[str, Document], limit: int,
                    evidence: dict) -> Answer:  # fmt: skip
    document = documents[extract.chunk.source]
    first = Citation(extract.chunk.source, document.title, extract.chunk.section, extract.text, extract.start, extract.end,
                     round(extract.score, 5))  # fmt: skip
    others = [chunk_citation(h.chunk, documents[h.chunk.source], h.score) for h in hits if h.chunk.id != extract.chunk.id]
    answer = one_line(extract.text)
    return Answer(question, answer, None, False, [first, *others][:limit], evidence=evidence)


def _figure_answer(question: str, figure: Figure, document: Document) -> Answer:
    if figure.kind == "text":
        start, end = _sentence_span(document, figure.start or 0, figure.end or 0)
        quoted = document.text[start:end]
        citation = Citation(figure.source, document.title, figure.section or "", quoted, start, end, round(figure.score, 3))
        return Answer(question, one_line(quoted), figure.value, False, [citation], evidence={"figure": "text"})
    table = _figure_table(figure, document)
    citation = _table_row_citation(figure, document, table)
    where = f"{figure.row}, {figure.column}" if figure.row else figure.column
    answer = f"{figure.value} ({where}; tabel '{figure.caption}', {figure.section or document.title})"
    cell = {"row": figure.row, "column": figure.column, "value": figure.value, "status": figure.status}
    return Answer(question, answer, figure.value, False, [citation], table={**table.as_dict(), "cell": cell},
                  evidence={"figure": "table"})  # fmt: skip


def _figure_table(figure: Figure, document: Document) -> Table:
    """The table the cell is in (captions repeat: "Totaal" tables, continued tables)."""
    candidates = [t for t in document.tables if t.caption == figure.caption and t.section == figure.section]
    inside = [t for t in candidates if figure.start is not None and t.start <= figure.start < t.end]
    return (inside or candidates)[0]


def _table_row_citation(figure: Figure, document: Document, table: Table) -> Citation:
    """The figure's table row as printed: from the start of its line to its last cell."""
    row = next(r for r in table.rows if r.label == figure.row)
    offsets = [(c.start, c.end) for c in row.cells if c.start is not None and c.end is not None]
    start = document.text.rfind("\n", table.start, min(a for a, _ in offsets)) + 1 if offsets else table.start
    start = max(start, table.start)
    end = max(b for _, b in offsets) if offsets else table.end
    return Citation(figure.source, document.title, figure.section or "", document.text[start:end], start, end, round(figure.score, 3))


def _sentence_span(document: Document, start: int, end: int) -> tuple[int, int]:
    """The sentence around a number in running text (split as everywhere: "140 u. begeleiding" ends
    no sentence; a table printed just before it is no part of it), at most MAX_ANSWER_CHARS long."""
    section = document.section_at(start)
    origin, stop = (section.start, section.end) if section else (0, len(document.text))
    left, right = next(((a, b) for a, b in text_sentences(document, origin, stop) if a <= start < b), (start, end))
    left = max(left, start - MAX_ANSWER_CHARS // 2)
    right = min(max(right, end), left + MAX_ANSWER_CHARS)
    while left < start and document.text[left].isspace():
        left += 1
    return left, max(right, end)
