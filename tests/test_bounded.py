"""Bounded work per question: no pattern of the answer path is super-linear on hostile text, a
question over the length limit is refused at once, and any text is answered within a deadline."""

from __future__ import annotations

import importlib
import pkgutil
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app.answer
from app.answer.answerer import MAX_QUESTION_CHARS

SIZE = 100_000
HOSTILE = {  # text without spaces, runs of digits, separators and markup: what backtracking feeds on
    "letters": "z" * SIZE,
    "words": "az " * (SIZE // 3),
    "digits": "1" * SIZE,
    "decimals": "1." * (SIZE // 2),
    "spaced digits": "1 " * (SIZE // 2),
    "addresses": "a@" * (SIZE // 2),
    "web": "www." * (SIZE // 4),
    "capitals": "AB" * (SIZE // 2),
    "punctuation": ".,;:" * (SIZE // 4),
    "money": "€ 1" * (SIZE // 3),
    "markup": "*_[<|#" * (SIZE // 6),
    "question": "Hoeveel 1.234,5 % in 2023? " * (SIZE // 27),
}
EXTRA_MODULES = ("ingest.numbers", "ingest.sentences", "ingest.textutil", "index.stemming", "app.readable")


def answer_path_patterns() -> list[tuple[str, re.Pattern]]:
    """Every compiled pattern at the top of a module that answering uses."""
    names = [f"app.answer.{m.name}" for m in pkgutil.iter_modules(app.answer.__path__)] + list(EXTRA_MODULES)
    found = []
    for name in names:
        module = importlib.import_module(name)
        found += [(f"{name}.{attr}", v) for attr, v in vars(module).items() if isinstance(v, re.Pattern)]
    return found


def test_every_pattern_of_the_answer_path_is_linear_on_hostile_text():
    patterns = answer_path_patterns()
    assert len(patterns) > 50  # the collection found the answer path's patterns
    slow = []
    for name, pattern in patterns:
        for label, text in HOSTILE.items():
            started = time.perf_counter()
            pattern.search(text)
            for _ in pattern.finditer(text):
                pass
            seconds = time.perf_counter() - started
            if seconds > 0.5:
                slow.append(f"{name} on {label}: {seconds:.1f} s")
    assert slow == []


def test_a_question_over_the_limit_is_refused_at_once(corpus_library):
    from app.answer import Answerer

    answerer = Answerer(corpus_library)
    for text in HOSTILE.values():
        started = time.perf_counter()
        answer = answerer.answer(text)
        assert time.perf_counter() - started < 0.1
        assert answer.abstained and "De vraag is te lang" in answer.answer and not answer.citations
        assert len(answer.question) == MAX_QUESTION_CHARS
    repeated = "Hoeveel LDE-doorstromers woonden in 2023 in Antwerpen? " * 40  # 2200 characters
    assert "te lang" in answerer.answer(repeated).answer
    assert "te lang" not in answerer.answer(repeated[:MAX_QUESTION_CHARS]).answer


@pytest.fixture(scope="module")
def answerer(corpus_library):
    from app.answer import Answerer

    return Answerer(corpus_library)


@settings(max_examples=40, deadline=1000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=MAX_QUESTION_CHARS))
def test_any_text_is_answered_within_a_second(answerer, text):
    answer = answerer.answer(text)
    assert isinstance(answer.answer, str) and answer.answer


@settings(max_examples=15, deadline=1000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.sampled_from(list(HOSTILE.values())).map(lambda hostile: hostile[:MAX_QUESTION_CHARS]))
def test_hostile_text_within_the_limit_is_answered_within_a_second(answerer, text):
    assert answerer.answer(text).answer


@pytest.mark.slow
def test_the_api_answers_hostile_text_at_once(served):
    from gradio_client import Client

    client = Client(served, verbose=False)
    for label in ("letters", "addresses", "punctuation"):
        started = time.perf_counter()
        result = client.predict(HOSTILE[label], api_name="/antwoord")
        assert time.perf_counter() - started < 3, label  # the round trip of 100 kB, not the answering
        assert result["abstained"] and "De vraag is te lang" in result["answer"]
