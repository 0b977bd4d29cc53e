"""Dutch stemming shared by the keyword index and the answering core, so that both meet on the
same stems ("doorgestroomde" and "doorstroom")."""

from __future__ import annotations

import os
from functools import lru_cache

import Stemmer

DUTCH_STEMMER = Stemmer.Stemmer("dutch")  # Kraaij-Pohlmann: "doorgestroomde" and "doorstroom" meet
PORTER_STEMMER = Stemmer.Stemmer("dutch_porter")
# Particles of separable verbs, after which a "ge" is a past participle's ("op-ge-start")
SEPARABLE_PARTICLES = frozenset(
    "aan af bij door in mee na neer om op over toe uit vast voor weg terug samen stop goed tewerk".split()
)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball's Dutch stem, which takes the "ge" out of a past participle ("gescreend": "screen",
    "doorgestroomde": "doorstroom"); where it takes a "ge" out of a word's root instead
    ("begeleiding": "beleid", "mogelijk": "molijk", "werkgever": "werkver"), the Porter stem, which keeps
    it."""
    stemmed = DUTCH_STEMMER.stemWord(word)
    kept = len(os.path.commonprefix([stemmed, word]))  # the "ge" was taken out here, if at all
    taken_out = word[kept : kept + 2] == "ge" and stemmed[kept : kept + 2] != "ge"
    goes_on = (
        len(os.path.commonprefix([stemmed[kept:], word[kept + 2 :]])) >= 2
    )  # the stem goes on after the "ge"
    inside_root = (
        kept > 0 and word[:kept] not in SEPARABLE_PARTICLES
    )  # not "ge-screend", not "door-ge-stroomde"
    return PORTER_STEMMER.stemWord(word) if taken_out and goes_on and inside_root else stemmed
