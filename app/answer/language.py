"""Is a question written in Dutch? The documents, the lexicon and the learned ranker and confidence
are Dutch; a question in another language can reach a confident wrong figure (an English "How
many ... in Antwerp" finds a Dutch table with Antwerp in it and reads the wrong cell).

The language comes from a character n-gram model (langdetect, Google's language-detection profiles),
not from a word list. Short Dutch questions are often taken for Afrikaans, so that counts as Dutch,
and only a confident verdict for another language counts. Such a question is still answered when
its words are as well known to the corpus as those of a typical Dutch question (then the evidence
the confidence rests on is as strong); otherwise the answer asks, in Dutch, for a Dutch question."""

from __future__ import annotations

import threading

from .extract import TermWeights, terms

DUTCH_LIKE = frozenset({"nl", "af"})
MIN_FOREIGN_PROBABILITY = 0.9  # below this the detector is unsure (1 of 1,622 eval questions above)
MIN_WORDS = 3  # "LDE Antwerpen 2023?" has too few letters to tell a language by
# The median share of a Dutch eval question's terms that the corpus uses (evals/sets dev + held-out,
# 1,452 questions, bundled corpus: 0.9); a foreign question must reach it to be answered.
DUTCH_MEDIAN_KNOWN_SHARE = 0.9

_detector_lock = threading.Lock()


def detected_language(question: str) -> tuple[str, float]:
    """(language code, probability) of the question's most probable language."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    with _detector_lock:  # the profiles load once; a fixed seed makes the verdict repeatable
        DetectorFactory.seed = 0
        try:
            best = detect_langs(question)[0]
        except LangDetectException:  # no letters at all
            return "", 0.0
    return best.lang, float(best.prob)


def is_foreign(question: str) -> bool:
    """Confidently written in a language other than Dutch."""
    if len(question.split()) < MIN_WORDS:
        return False
    language, probability = detected_language(question)
    return language not in DUTCH_LIKE and language != "" and probability >= MIN_FOREIGN_PROBABILITY


def known_share(question: str, weights: TermWeights) -> float:
    """The share of the question's terms that the corpus uses."""
    asked = terms(question)
    return sum(stem in weights.frequency for stem in asked) / len(asked) if asked else 1.0


def needs_dutch(question: str, weights: TermWeights) -> bool:
    """A foreign question whose words the corpus does not know as well as a Dutch question's."""
    return is_foreign(question) and known_share(question, weights) < DUTCH_MEDIAN_KNOWN_SHARE


NEEDS_DUTCH_REASON = (
    "Deze vraag lijkt niet in het Nederlands gesteld. Vraagbaak leest Nederlandstalige documenten en "
    "beantwoordt alleen vragen in het Nederlands betrouwbaar: stel de vraag in het Nederlands, "
    "bv. 'Hoeveel doorstromers waren er in 2023?'."
)
