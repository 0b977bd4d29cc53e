"""Load: 20 concurrent askers, 200 questions, through the app's public API on a real server."""

from __future__ import annotations

import pytest

from evals.load import run_load
from evals.scoring import load_questions
from tests.conftest import REPO

pytestmark = pytest.mark.slow


def test_twenty_concurrent_askers_get_two_hundred_answers_without_errors(served):
    questions = [q.question for q in load_questions(REPO / "evals" / "sets" / "dev.jsonl")]
    result = run_load(served, questions, askers=20, total=200)
    print(result.summary())
    assert result.errors == []
    assert result.answered == 200
