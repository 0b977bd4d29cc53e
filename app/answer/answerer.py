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
from dataclasses import dataclass, replace
from functools import cached_property

from index.library import Hit, Library
from ingest.facts import Fact, facts
from ingest.model import Answer, Citation

from .abstention import unknown_beside_slots, unknown_reason, unknown_topics
from .compose import extract_answer, figure_answer, figure_table, table_row_citation
from .extract import DURATION_QUESTION_RE, DURATION_RE, Meaning, TermWeights, best_extract
from .facts import answering_facts, fact_answer_text, named_keys, plain_name, wanted_fields
from .figure_terms import content_stems, names_fund_year, slots
from .figures import Figure, lookup_figure
from .filters import SERV_RE, matching_sources, parse_filters

QUANTITY_RE = re.compile(
    r"\bhoeveel\b|\baantal\b|\bpercentage\b|\bprocent\b|\baandeel\b|\bbedrag\b|\bbedroeg\b|\bbetaling|"
    r"\bprijs\b|\brichtprijs\b"
    r"|\bvergoeding\b|\bhoe (?:veel|groot)\b|\bin (?:maanden|jaren|euro|uren|procent)\b|"
    r"\bwat kost(?:en|te|ten)?\b"
    r"|\b(?:eind)?totaal\b|\bstreefcijfer|\bwelk (?:deel|gedeelte|getal|cijfer)\b|\(in %\)|\bin %"
    r"|\bwat (?:ontving|ontvingen|ontvangt|betaalt|betaalde|betalen|betaalden)\b",
    re.IGNORECASE,
)
# "Aan welk besluit moet de richtprijs ...?" asks a thing, not a figure: "welk(e)" before a noun that is no
# quantity
WHICH_THING_RE = re.compile(  # also after an adjective: "welk gemiddeld aantal"
    r"\bwelke?\s+(?!(?:[^\W\d]+\s+)?(?:percentage|aandeel|deel|gedeelte|bedrag|aantal|prijs|richtprijs|"
    r"vergoeding|som|betaling|periode|termijn|duur|cijfer|"
    r"streefcijfer|getal|totaal|eindtotaal|maximum|maximumbedrag|vcf|esf)\b)[^\W\d]",
    re.I,
)
# "Waarom zal het aantal ... toenemen?", "Wat verklaart het lage aantal ...?" ask a reason, "Wat vindt de SERV
# van de vergoeding?" an opinion, "Waarheen verschuift de vergoeding?" a place, not a figure
EXPLANATION_RE = re.compile(
    r"^\W*(?:waarom|waardoor|waartoe|waaraan|waarheen|waarnaar|naar waar|hoe(?!\s+(?:veel|groot|lang)\b))\b"
    r"|^\W*(?:wat|hoe) verklaar|"
    r"^\W*wat (?:is|zijn|was|waren) de (?:oorzaak|oorzaken|verklaring|reden|redenen)\b"
    r"|^\W*wat (?:vindt|vinden|vond|vonden|denkt|denken|dacht|dachten)\b|"
    r"^\W*hoe (?:staat|staan|kijkt|kijken|beoordeelt|beoordelen)\b",
    re.IGNORECASE,
)
# A when-question asks a date, also where it names payments or a number ("Tot wanneer lopen de betalingen?")
DATE_QUESTION_RE = re.compile(
    r"^\W*(?:(?:tot|sinds|vanaf) )?wanneer\b|^\W*(?:tot|sinds|vanaf|op) welke datum\b", re.I
)
ASKERS = r"(?:vraagsteller|parlementslid|volksvertegenwoordiger|indiener|kamerlid)"
# What the asker wrote is asked: "volgens de vraagsteller", or the asker as the subject of a what-question
# ("Welke klacht haalt de vraagsteller aan?"); not "Welk (Vlaams) parlementslid ...?" nor "Wat is de naam van
# de vraagsteller?"
ASKER_RE = re.compile(
    rf"\bvolgens (?:de |het |deze )?{ASKERS}\b|^\W*(?:wat|welke?|waarom|hoe|"
    rf"waar\w*)\b(?!\s+(?:[^\W\d]+\s+)?{ASKERS}\b)(?!.*\bnaam\b).*\b(?:de|het) {ASKERS}\b",
    re.I,
)
ASKER_NAMED_RE = re.compile(
    rf"\b(?:volgens )?(?:de |het |deze )?{ASKERS}\b", re.I
)  # the words that name the asker
PROSE_SKIPS = frozenset(
    {"table_row", "table_head"}
)  # chunk kinds an extractive answer is never looked for in
QUESTION_WORD_RE = re.compile(  # at the start, or after a topic put first ("SEC-NEC-SEC, wat ...")
    r"(?:^|[,:]\s)\W*(?:(?:door|met|aan|voor|van|bij|op|in|tot|uit|naar|over|sinds|vanaf)\s+)?(?:wie|wat|"
    r"waarom|hoe|wanneer|welk|welke|waar\w*|kan|kunnen|is|zijn|zal|zullen|heeft|hebben|wordt|worden|"
    r"overweegt|moet|moeten|mag|doet|geeft|bestaat|staat|was|waren|werd|werden|had|hadden|kon|konden|zou|"
    r"zouden|gold|geldt)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AnswerSettings:
    passages: int = 5  # passages the sentence scorer reads
    sentence_passages: int = (
        3  # and those of the sentences closest in meaning to the question (3, 5 and 8 alike on the eval sets)
    )
    citations: int = 3  # citations returned (the answer's own first)
    # below: abstain (calibrated on all eval sets A-I: no abstain question without an unknown word lies in
    # 0.25-0.3)
    min_coverage: float = 0.25
    meaning_weight: float = (
        2.0  # sentence-vector similarity in the sentence score (calibrated on evals/sets/dev.jsonl)
    )
    meaning_floor: float = 0.82
    # the opening sentence of an answer reached from its question (0.1-0.5 alike on evals/sets/dev.jsonl)
    lead_bonus: float = 0.2


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
            self._words = CorpusWords(
                view.generation,
                TermWeights(view.chunks.values()),
                _person_names(documents),
                {d.source: facts(d) for d in documents},
            )
        return self._words

    def warm_up(self) -> None:
        """Load the model and derive the corpus words now, so the first user's question is not the slow
        one."""
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
            return self._abstain(
                question,
                hits,
                f"Geen enkel document gaat over {filters.describe()}.",
                {"filters": filters.describe()},
            )
        fields = (
            ()
            if ASKER_RE.search(question)
            else wanted_fields(question) or named_keys(question, self._corpus_words().keyed_facts)
        )
        if fields:
            answer = self._fact_answer(question, fields, sources)
            if answer is not None:
                return answer
        quantity = bool(QUANTITY_RE.search(question)) and not (
            WHICH_THING_RE.search(question) and not re.search(r"\bhoeveel\b", question, re.I)
        )
        quantity = (quantity or names_fund_year(question)) and not EXPLANATION_RE.search(
            question
        )  # a fund's year: an amount
        quantity = quantity and not DATE_QUESTION_RE.search(
            question
        )  # "Tot wanneer lopen de betalingen?" asks a date
        bare = (
            not quantity and not QUESTION_WORD_RE.search(question) and bool(slots(question))
        )  # "CMW Limburg 2023?" asks a cell
        if quantity or bare:
            weights = self._corpus_words().weights
            unknown = unknown_beside_slots(question, weights) if quantity else []
            if unknown:  # "Hoeveel doorstromers gingen aan de slag in de zorgsector?": no number answers that
                hits = self.library.search(question, k=self.settings.citations, sources=sources)
                return self._abstain(
                    question, hits, unknown_reason(question, unknown), {"unknown_words": unknown}
                )
            figure = lookup_figure(
                question, (documents[s] for s in sorted(sources or documents)), weights.idf
            )
            if figure is not None and figure.status != "uncertain" and (quantity or figure.kind == "table"):
                return figure_answer(question, figure, documents[figure.source])
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
            return self._abstain(
                question, hits, unknown_reason(question, unknown), {"unknown_words": unknown}
            )
        for source in dict.fromkeys(h.chunk.source for h in hits):
            found = answering_facts(question, fields, words.facts.get(source, []))
            if found:
                document = documents[source]
                start, end = min(f.start for f in found), max(f.end for f in found)
                held_in = document.section_at(start)
                section = held_in.label if held_in else ""
                cited = Citation(source, document.title, section, document.text[start:end], start, end, 1.0)
                others = [Citation.of_chunk(h.chunk, documents[h.chunk.source], h.score) for h in hits]
                others = [c for c in others if not (c.source == source and c.start <= start < c.end)]
                value = (
                    found[0].value if found[0].field == "number" else None
                )  # a question number is one figure
                return Answer(
                    question,
                    fact_answer_text(found, document.title),
                    value,
                    False,
                    [cited, *others][: self.settings.citations],
                    evidence={"fact": found[0].field},
                )
        return None

    def _no_figure(self, question: str, figure: Figure | None, sources: set[str] | None) -> Answer:
        """A quantity question without a settled figure is not answered from a nearby number."""
        hits = self.library.search(question, k=self.settings.citations, sources=sources)
        if figure is None:
            return self._abstain(question, hits, "De documenten geven dit cijfer niet.", {})
        document = self.library.view().documents[figure.source]
        reason = (
            "De tabel is op deze plaats niet eenduidig te lezen; het cijfer wordt daarom niet gegeven. "
            "Controleer de bron."
        )
        return self._abstain(
            question,
            hits,
            reason,
            {"uncertain_cell": True},
            [table_row_citation(figure, document, figure_table(figure, document))],
        )

    def _extract(self, question: str, sources: set[str] | None) -> Answer:
        view = self.library.view()
        query = self.library.embedder.embed_query(question)  # once: for the search and the sentence scorer
        askers_words = bool(
            ASKER_RE.search(question)
        )  # "volgens de vraagsteller": the asker's own text answers
        hits = self.library.search(
            question,
            k=self.settings.passages,
            sources=sources,
            query_vector=query,
            skip_kinds=PROSE_SKIPS,
            keep_questions=askers_words,
        )
        if not hits:
            return self._abstain(question, [], "Er zijn geen passages gevonden.", {})
        words = self._corpus_words()
        weights, names = words.weights, words.names
        meaning = Meaning(
            query, view.sentence_vectors, self.settings.meaning_weight, self.settings.meaning_floor
        )
        led = frozenset(h.chunk.id for h in hits if h.via_question)
        ranked = [h.chunk for h in hits]
        ranked += [
            c
            for c in self.library.sentence_search(query, self.settings.sentence_passages, sources)
            if c not in ranked
        ]
        ranked += [
            c for c in self.library.asked_in(ranked) if c not in ranked
        ]  # what the asker states ("Die liepen tot eind 2018")
        # "volgens de SERV" chose the sources (the filter); in them the name only matches headers and the
        # decree's name
        unnamed = SERV_RE.sub(" ", question)
        unnamed = ASKER_NAMED_RE.sub(" ", unnamed)
        scored = unnamed if content_stems(unnamed) else question
        extract = best_extract(
            scored,
            view.documents,
            ranked,
            weights,
            names,
            meaning,
            led,
            self.settings.lead_bonus,
            askers_words,
        )
        unknown = unknown_topics(question, weights)
        evidence = {
            "coverage": round(extract.coverage, 3) if extract else 0.0,
            "sentence_similarity": round(extract.similarity, 4)
            if extract and extract.similarity is not None
            else None,
            "unknown_words": unknown,
            "top_similarity": round(hits[0].vector_score or 0.0, 4),
        }
        if unknown:  # first: the reason that names the words is the more useful one
            return self._abstain(question, hits, unknown_reason(question, unknown), evidence)
        if extract is None or extract.coverage < self.settings.min_coverage:
            return self._abstain(
                question, hits, "De documenten beantwoorden deze vraag niet duidelijk.", evidence
            )
        if DURATION_QUESTION_RE.search(question) and not DURATION_RE.search(extract.text):
            return self._abstain(question, hits, "De documenten noemen hiervoor geen duur.", evidence)
        return extract_answer(question, extract, hits, view.documents, self.settings.citations, evidence)

    def _abstain(
        self, question: str, hits: list[Hit], reason: str, evidence: dict, cited: list[Citation] | None = None
    ) -> Answer:
        documents = self.library.view().documents
        citations = (cited or []) + [
            Citation.of_chunk(h.chunk, documents[h.chunk.source], h.score) for h in hits
        ]
        citations = citations[: self.settings.citations]
        return Answer(
            question,
            f"De documenten beantwoorden deze vraag niet. {reason}",
            None,
            True,
            citations,
            reason=reason,
            evidence=evidence,
        )


def _person_names(documents) -> frozenset[str]:  # type: ignore[no-untyped-def]
    """People named in the metadata (who asked, the minister, who signed), lowercased."""
    names = set()
    for document in documents:
        meta = document.metadata
        for name in (meta.asked_by, meta.minister, *meta.signatories, dict(meta.extra).get("Contactpersoon")):
            if name:
                names.add(plain_name(name).lower())
    return frozenset(names)
