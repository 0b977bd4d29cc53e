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

import numpy as np

from index.library import EMPTY_VIEW, CorpusView, Hit, Library, questions_answered_by
from ingest.facts import Fact, facts
from ingest.model import Answer, Chunk, Citation
from ingest.numbers import dutch_whole

from .abstention import unknown_named_numbers, unknown_reason, unknown_topics
from .candidates import (
    Candidate,
    Ranked,
    asked,
    is_heading,
    number_candidates,
    rule_candidate,
    rule_figure_candidate,
    sentence_candidates,
    shortlist,
)
from .compose import as_extract, as_figure, extract_answer, figure_answer, figure_table, table_row_citation
from .extract import DURATION_QUESTION_RE, DURATION_RE, Extract, Meaning, TermWeights, best_extract
from .facts import answering_facts, fact_answer_text, named_keys, plain_name, wanted_fields
from .figure_terms import content_stems, names_fund_year, slots
from .figures import Figure, lookup_figure
from .filters import SERV_RE, matching_sources, mentioned_years, parse_filters
from .language import NEEDS_DUTCH_REASON, detected_language, needs_dutch
from .lexicon import AnswerLexicon, load_lexicon
from .ranker import Ranker, load_ranker
from .term_counts import DocumentCounts, TermCounts, count_chunks

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
MAX_QUESTION_CHARS = 2000  # a written question's sub-question is far shorter; longer is pasted by mistake
FIGURE_TYPES = frozenset({"percent", "year", "age", "fte", "hours"})  # lexicon types a number answers
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
    figure_pool: int = 60  # the figure rule reads the documents of this many hits (both rankings' candidates)
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
    years: dict[str, frozenset[str]]  # per source: the years it mentions (the year filter)
    view: CorpusView  # the view they were derived from: the next ones count what changed since

    @cached_property
    def fact_keys(self) -> frozenset[str]:
        """The keys, lowercased, of every document's facts that are asked by naming their key
        ("decretale opdracht"): documents share keys, so a question tests each once."""
        keyed = (f for found in self.facts.values() for f in found if f.field == "keyed")
        return frozenset(f.label.lower() for f in keyed)


class Answerer:
    def __init__(
        self,
        library: Library,
        settings: AnswerSettings | None = None,
        ranker: Ranker | None = None,
        lexicon: AnswerLexicon | None = None,
    ) -> None:
        self.library = library
        self.settings = settings or AnswerSettings()
        self._ranker = ranker
        self.lexicon = lexicon or load_lexicon()
        self._words: CorpusWords | None = None
        self._term_counts = TermCounts(library.settings.home)

    @property
    def ranker(self) -> Ranker:
        if self._ranker is None:
            self._ranker = load_ranker()
        return self._ranker

    def _corpus_words(self) -> CorpusWords:
        view = self.library.view()
        if self._words is None or self._words.generation != view.generation:
            self._words = corpus_words(view, self._words, self._term_counts)
        return self._words

    def warm_up(self) -> None:
        """Load the model and derive the corpus words now, so the first user's question is not the slow
        one."""
        self.answer("Hoeveel doorstromers waren er?")

    def answer(self, question: str) -> Answer:
        started = time.perf_counter()
        if len(question) > MAX_QUESTION_CHARS:  # bounded work per question, whatever its content
            return too_long(question, time.perf_counter() - started)
        with self.library.pinned():  # one corpus for every step, whatever an ingest commits meanwhile
            result = self._answer(" ".join(question.split()))
        return replace(result, latency_ms=(time.perf_counter() - started) * 1000)

    def _answer(self, question: str) -> Answer:
        if needs_dutch(question, self._corpus_words().weights):  # the evidence is calibrated on Dutch
            hits = self.library.search(question, k=self.settings.citations)
            evidence = {"language": detected_language(question)[0]}
            return replace(
                self._abstain(question, hits, NEEDS_DUTCH_REASON, evidence), answer=NEEDS_DUTCH_REASON
            )
        documents = self.library.view().documents
        filters = parse_filters(question)
        sources = matching_sources(filters, documents.values(), self._corpus_words().years)
        if sources is not None and not sources:
            hits = self.library.search(question, k=self.settings.citations)
            return self._abstain(
                question,
                hits,
                f"Geen enkel document gaat over {filters.describe()}.",
                {"filters": filters.describe()},
            )
        named = unknown_named_numbers(question, self._corpus_words().weights)
        if named:  # "oproep 517" where no document has call 517: as a year no document has
            hits = self.library.search(question, k=self.settings.citations)
            return self._abstain(question, hits, unknown_reason(question, named), {"unknown_words": named})
        fields = (
            ()
            if ASKER_RE.search(question)
            else wanted_fields(question) or named_keys(question, self._corpus_words().fact_keys)
        )
        if fields:
            answer = self._fact_answer(question, fields, sources)
            if answer is not None:
                return answer
        kind, bare = self._kind(question)
        if kind == "figure":
            answer = self._figure(question, sources, bare)
            if answer is not None:
                return answer
        return self._extract(question, sources)

    def _kind(self, question: str) -> tuple[str, bool]:
        """ "figure" for a question answered by one number, else "passage"; and whether it is a bare
        table lookup ("CMW Limburg 2023?"), which falls back on a passage when no cell answers it."""
        quantity = bool(QUANTITY_RE.search(question)) and not (
            WHICH_THING_RE.search(question) and not re.search(r"\bhoeveel\b", question, re.I)
        )
        # a share, a year, an age or a unit asked for ("Op welke leeftijd ...?", "Welke verhoging (in %)?")
        quantity = (
            quantity or names_fund_year(question) or bool(self.lexicon.asked_types(question) & FIGURE_TYPES)
        )
        quantity = quantity and not EXPLANATION_RE.search(question) and not DATE_QUESTION_RE.search(question)
        bare = not quantity and not QUESTION_WORD_RE.search(question) and bool(slots(question))
        return ("figure" if quantity or bare else "passage"), bare

    def candidates(self, question: str, kind: str | None = None) -> tuple[str, list[Candidate]]:
        """The kind of question and the candidates the ranker chooses from (for training); none where a
        filter excludes every document. `kind` forces the kind."""
        question = " ".join(question.split())
        years = self._corpus_words().years
        sources = matching_sources(parse_filters(question), self.library.view().documents.values(), years)
        if sources is not None and not sources:
            return "passage", []
        kind = kind or self._kind(question)[0]
        if kind == "figure":
            return kind, self._figure_candidates(question, sources)[0]
        return kind, self._passage_candidates(question, sources)[0]

    def _figure_candidates(
        self, question: str, sources: set[str] | None
    ) -> tuple[list[Candidate], Figure | None, list[Hit]]:
        view = self.library.view()
        documents = view.documents
        weights = self._corpus_words().weights
        query = self.library.embedder.embed_query(question)
        pool = self.library.search(question, k=self.settings.figure_pool, sources=sources, query_vector=query)
        hits = pool[: self.settings.passages]
        read = sorted({h.chunk.source for h in pool})  # not every document: the work stays bounded
        rule = lookup_figure(question, (documents[s] for s in read), weights.idf)
        ranked = self._ranked(hits, query, sources)
        asked_ = asked(question, weights, self.lexicon, query)
        sentences_ = sentence_candidates(asked_, ranked, documents, view.sentence_vectors, self.lexicon)
        found = number_candidates(asked_, sentences_, documents, self.lexicon)
        settled = rule is not None and rule.status != "uncertain"
        if rule is not None and settled:
            chosen = rule_figure_candidate(rule, documents[rule.source], found)
            found = [c for c in found if not (c.source == rule.source and c.value_start == rule.start)]
            found.append(chosen)
        for candidate in found:
            candidate.features.setdefault("rule_figure", 0.0)
            candidate.features["rule_found"] = float(settled)
        return shortlist(found), rule, hits

    def _figure(self, question: str, sources: set[str] | None, bare: bool) -> Answer | None:
        """The most probable number or cell; an abstention below the threshold (None for a bare lookup, which
        is then read as a passage question)."""
        found, rule, hits = self._figure_candidates(question, sources)
        choice = self.ranker.choose("figure", found)
        evidence = {"confidence": round(choice.confidence, 3), "probability": round(choice.probability, 3)}
        if choice.candidate is None or not choice.answers:
            if bare:
                return None
            if rule is not None and rule.status == "uncertain":
                return self._no_figure(question, rule, sources)
            unknown = unknown_topics(question, self._corpus_words().weights)
            reason = unknown_reason(question, unknown) if unknown else "De documenten geven dit cijfer niet."
            return self._abstain(question, hits[: self.settings.citations], reason, evidence)
        best = choice.candidate
        documents = self.library.view().documents
        answer = figure_answer(question, as_figure(best), documents[best.source])
        return replace(answer, evidence={**answer.evidence, **evidence})

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

    def _passage_candidates(
        self, question: str, sources: set[str] | None
    ) -> tuple[list[Candidate], Extract | None, list[Hit]]:
        """The sentences of the retrieved passages, each marked where the rule-based extract chose it."""
        view = self.library.view()
        query = self.library.embedder.embed_query(question)  # once: for the search and the sentence scorer
        askers_words = bool(ASKER_RE.search(question))  # "volgens de vraagsteller": the asker's text answers
        hits = self.library.search(
            question,
            k=self.settings.passages,
            sources=sources,
            query_vector=query,
            skip_kinds=PROSE_SKIPS,
            keep_questions=askers_words,
        )
        if not hits:
            return [], None, []
        words = self._corpus_words()
        ranked = self._ranked(hits, query, sources)
        extract = self._rule_extract(question, query, hits, [r.chunk for r in ranked], askers_words)
        asked_ = asked(question, words.weights, self.lexicon, query)
        found = sentence_candidates(asked_, ranked, view.documents, view.sentence_vectors, self.lexicon)
        if extract is not None:
            may_answer = not is_heading(extract.text) or self.lexicon.heading_may_answer(asked_.wants)
            rules_choice = rule_candidate(extract, found, may_answer)
            found += [rules_choice] if rules_choice is not None else []
        for candidate in found:
            candidate.features.setdefault("rule_choice", 0.0)
            candidate.features["rule_coverage"] = extract.coverage if extract else 0.0
            candidate.features["asker_asked"] = float(askers_words)
            candidate.features["asker_text"] = float(askers_words) * candidate.features["question_text"]
        return shortlist(found), extract, hits

    def _rule_extract(
        self, question: str, query: np.ndarray, hits: list[Hit], ranked: list[Chunk], askers_words: bool
    ) -> Extract | None:
        view = self.library.view()
        words = self._corpus_words()
        meaning = Meaning(
            query, view.sentence_vectors, self.settings.meaning_weight, self.settings.meaning_floor
        )
        led = frozenset(h.chunk.id for h in hits if h.via_question)
        # "volgens de SERV" chose the sources (the filter); in them the name only matches headers and the
        # decree's name
        unnamed = ASKER_NAMED_RE.sub(" ", SERV_RE.sub(" ", question))
        scored = unnamed if content_stems(unnamed) else question
        return best_extract(
            scored,
            view.documents,
            ranked,
            words.weights,
            words.names,
            meaning,
            led,
            self.settings.lead_bonus,
            askers_words,
        )

    def _ranked(self, hits: list[Hit], query: np.ndarray, sources: set[str] | None) -> list[Ranked]:
        """The hits, the passages of the sentences closest in meaning, and the questions the answers among
        them answer (what the asker states, "Die liepen tot eind 2018"), in that order."""
        chunks = [h.chunk for h in hits]
        extra = self.library.sentence_search(query, self.settings.sentence_passages, sources)
        chunks += [c for c in extra + self.library.asked_in(chunks + extra) if c not in chunks]
        by_id = {h.chunk.id: h for h in hits}
        return [
            Ranked(
                chunk,
                rank,
                (by_id[chunk.id].vector_score or 0.0) if chunk.id in by_id else 0.0,
                chunk.id in by_id and by_id[chunk.id].via_question is not None,
                self._asked_similarity(chunk, query),
            )
            for rank, chunk in enumerate(dict.fromkeys(chunks))
        ]

    def _asked_similarity(self, chunk: Chunk, query: np.ndarray) -> float:
        """How close the question is to the sub-question(s) the chunk's section answers (0 for none)."""
        view = self.library.view()
        keys = [
            key
            for asked_section in questions_answered_by(view.documents[chunk.source], chunk)
            for key in view.sentence_keys_of(chunk.source, asked_section.start, asked_section.end)
        ]
        return max([0.0, *(float(view.sentence_vectors[key] @ query) for key in keys)])

    def _extract(self, question: str, sources: set[str] | None) -> Answer:
        view = self.library.view()
        found, extract, hits = self._passage_candidates(question, sources)
        if not hits:
            return self._abstain(question, [], "Er zijn geen passages gevonden.", {})
        choice = self.ranker.choose("passage", found)
        unknown = unknown_topics(question, self._corpus_words().weights)
        evidence = {
            "confidence": round(choice.confidence, 3),
            "coverage": round(extract.coverage, 3) if extract else 0.0,
            "unknown_words": unknown,
            "top_similarity": round(hits[0].vector_score or 0.0, 4),
        }
        if choice.candidate is None or not choice.answers:
            reason = (
                unknown_reason(question, unknown)
                if unknown
                else "De documenten beantwoorden deze vraag niet duidelijk."
            )
            return self._abstain(question, hits, reason, evidence)
        best = choice.candidate
        if DURATION_QUESTION_RE.search(question) and not DURATION_RE.search(best.text):
            return self._abstain(question, hits, "De documenten noemen hiervoor geen duur.", evidence)
        chosen = extract if best.features["rule_choice"] and extract is not None else as_extract(best)
        return extract_answer(question, chosen, hits, view.documents, self.settings.citations, evidence)

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


def too_long(question: str, seconds: float) -> Answer:
    """The refusal of a question longer than MAX_QUESTION_CHARS: nothing of it is read."""
    reason = (
        f"De vraag is te lang ({dutch_whole(len(question))} tekens; hoogstens "
        f"{dutch_whole(MAX_QUESTION_CHARS)}). "
        "Stel één vraag, of plak een schriftelijke vraag met deelvragen in de tab 'Ontwerp van antwoord'."
    )
    shown = question[:MAX_QUESTION_CHARS]
    return Answer(shown, reason, None, True, [], latency_ms=seconds * 1000, reason=reason)


def corpus_words(view: CorpusView, last: CorpusWords | None, counts: TermCounts | None = None) -> CorpusWords:
    """The corpus words of `view`, counted anew for the documents that changed since `last`; the
    term counts of unchanged documents read from `counts` where it has them, and kept there."""
    before = last.view if last else EMPTY_VIEW
    dropped = {s for s, v in before.versions.items() if view.versions.get(s) != v}
    loaded = [s for s, v in view.versions.items() if before.versions.get(s) != v]
    if last is None:
        weights = _summed_weights(view, counts)
    else:
        removed = (before.chunks[c] for s in dropped for c in before.by_source.get(s, ()))
        added = (view.chunks[c] for s in loaded for c in view.by_source.get(s, ()))
        weights = last.weights.changed(removed, added)
        if counts is not None:
            counts.store({s: (view.versions[s], _document_counts(view, s)) for s in loaded})
            counts.forget(s for s in dropped if s not in view.versions)
    kept = {s: f for s, f in last.facts.items() if s not in dropped} if last else {}
    kept.update((s, facts(view.documents[s])) for s in loaded if s in view.documents)
    years = {s: y for s, y in last.years.items() if s not in dropped} if last else {}
    years.update((s, mentioned_years(view.documents[s])) for s in loaded if s in view.documents)
    names = _person_names(view.documents.values())
    return CorpusWords(view.generation, weights, names, dict(sorted(kept.items())), years, view)


def _summed_weights(view: CorpusView, counts: TermCounts | None) -> TermWeights:
    """The term weights of the whole view: stored documents' counts added up, the others counted."""
    if counts is None:
        return TermWeights(view.chunks.values())
    stored = counts.load(view.versions)
    made = {s: (v, _document_counts(view, s)) for s, v in view.versions.items() if s not in stored}
    if made:
        counts.store(made)
    return TermWeights.summed([*stored.values(), *(found for _, found in made.values())])


def _document_counts(view: CorpusView, source: str) -> DocumentCounts:
    return count_chunks(view.chunks[c] for c in view.by_source.get(source, ()))


def _person_names(documents) -> frozenset[str]:  # type: ignore[no-untyped-def]
    """People named in the metadata (who asked, the minister, who signed), lowercased."""
    names = set()
    for document in documents:
        meta = document.metadata
        for name in (meta.asked_by, meta.minister, *meta.signatories, dict(meta.extra).get("Contactpersoon")):
            if name:
                names.add(plain_name(name).lower())
    return frozenset(names)
