"""The synthetic archive (evals/synth.py): deterministic, realistic in size, its known answers
really in its documents, and its documents recognised by the ingester's structure recovery."""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path

import pytest

from evals.synth import entity_name, generate
from ingest.load import load
from ingest.model import Genre, Role
from ingest.segment import segment


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return generate(300, tmp_path_factory.mktemp("synth"))


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _questions(summary) -> list[dict]:
    return [json.loads(line) for line in summary.questions.read_text(encoding="utf-8").splitlines()]


def test_same_settings_give_the_same_bytes(tmp_path):
    first, second = generate(50, tmp_path / "a", seed=3), generate(50, tmp_path / "b", seed=3)
    assert _files(first.documents) == _files(second.documents)
    assert first.questions.read_bytes() == second.questions.read_bytes()
    assert (first.count, first.total_chars, first.question_count) == (50, second.total_chars, 2)


def test_a_smaller_archive_is_a_prefix_of_a_larger_one(tmp_path):
    large, small = generate(50, tmp_path / "large"), generate(20, tmp_path / "small")
    small_files = _files(small.documents)
    assert len(small_files) == 20
    large_files = _files(large.documents)
    assert {name: large_files[name] for name in small_files} == small_files


def test_another_seed_gives_other_text(tmp_path):
    zero, one = generate(5, tmp_path / "zero", seed=0), generate(5, tmp_path / "one", seed=1)
    for name, data in _files(zero.documents).items():
        assert data != (one.documents / name).read_bytes()


def test_an_existing_archive_is_reused(tmp_path):
    first = generate(30, tmp_path)
    stamp = (tmp_path / "synth.json").stat().st_mtime_ns
    assert generate(30, tmp_path) == first
    assert (tmp_path / "synth.json").stat().st_mtime_ns == stamp
    (first.documents / "synth_00003.txt").unlink()  # incomplete: written again
    assert generate(30, tmp_path) == first
    assert (first.documents / "synth_00003.txt").is_file()


def test_entity_names_are_unique_over_ten_thousand_documents():
    names = [entity_name(index) for index in range(1, 10_001)]
    assert len(set(names)) == len(names)


def test_lengths_are_realistic(archive):
    sizes = [len(path.read_bytes()) for path in archive.documents.iterdir()]
    assert len(sizes) == 300
    assert 3_000 <= statistics.median(sizes) <= 8_000
    assert max(sizes) <= 45_000
    assert archive.total_chars == sum(
        len(path.read_text(encoding="utf-8")) for path in archive.documents.iterdir()
    )


def test_questions_follow_the_eval_format_and_hold_in_their_documents(archive):
    questions = _questions(archive)
    assert len(questions) == archive.question_count >= 12
    assert len({q["id"] for q in questions}) == len(questions)
    assert {q["kind"] for q in questions} == {"table", "passage"}
    for question in questions:
        assert set(question) == {"id", "kind", "question", "expected"}
        assert question["question"].strip()
        expected = question["expected"]
        text = (archive.documents / expected["source"]).read_text(encoding="utf-8")
        if question["kind"] == "table":
            assert set(expected) == {"value", "source"}
            assert re.search(rf"(?<![\d.,]){re.escape(expected['value'])}(?![\d,]|\.\d)", text), question
        else:
            assert set(expected) == {"contains", "source"}
            folded = " ".join(text.split()).lower()  # as the scorer compares: whitespace folded
            assert any(" ".join(p.split()).lower() in folded for p in expected["contains"]), question


def _parsed(archive, genre: Genre, n: int):
    documents = []
    for path in sorted(archive.documents.iterdir()):
        document = segment(load(path))
        if document.genre == genre:
            documents.append(document)
        if len(documents) == n:
            return documents
    raise AssertionError(f"fewer than {n} documents of genre {genre}")


def _top(number: str | None) -> str:
    """The question number an item belongs to: "2" for "2a"."""
    match = re.match(r"\d+", number or "")
    return match.group() if match else ""


@pytest.mark.parametrize("genre", [Genre.WRITTEN_QUESTION, Genre.QUESTION_AND_ANSWER])
def test_written_questions_yield_questions_and_the_answers_to_them(archive, genre):
    for document in _parsed(archive, genre, 6):
        questions = {s.number for s in document.sections if s.role == Role.QUESTION}
        answers = [s for s in document.sections if s.role == Role.ANSWER]
        assert len({n for n in questions if n and n.isdigit()}) >= 2, document.source
        assert {_top(s.number) for s in answers} == {_top(n) for n in questions}, document.source
        assert all(s.answers and set(s.answers) <= questions for s in answers), document.source


def test_tables_are_rebuilt_with_their_figures(archive):
    with_tables = [d for d in _parsed(archive, Genre.WRITTEN_QUESTION, 10) if "per jaar:" in d.text]
    assert with_tables
    for document in with_tables:
        captions = [line for line in document.text.splitlines() if line.endswith(("per jaar:", "maatregel:"))]
        assert [t.caption for t in document.tables] == captions, document.source
        assert all(t.complete and len(t.rows) >= 4 for t in document.tables), document.source


def test_exchanges_yield_speaker_turns(archive):
    for document in _parsed(archive, Genre.EXCHANGE, 3):
        roles = {s.speaker_role for s in document.sections if s.speaker}
        assert {"member", "minister", "chair"} <= roles, document.source
        assert any(s.role == Role.ANSWER and s.answers for s in document.sections), document.source
