"""Chunk invariants on the real corpus, with the real model's tokenizer."""

from __future__ import annotations

import pytest

from ingest.chunk import chunk
from ingest.load import load
from ingest.model import Role
from ingest.segment import segment
from ingest.sentences import split, text_sentences


@pytest.fixture(scope="module")
def chunked(corpus_dir, embedder):
    result = {}
    for path in sorted(corpus_dir.glob("*.txt")):
        document = segment(load(path))
        result[path.name[:3]] = (document, chunk(document, embedder.count_tokens))
    return result


def test_offsets_round_trip_and_stay_in_their_section(chunked):
    for document, chunks in chunked.values():
        assert chunks
        for c in chunks:
            assert document.text[c.start : c.end] == c.text
            assert any(
                s.label == c.section and s.start <= c.start and c.end <= s.end for s in document.sections
            )


def test_every_chunk_fits_the_model(chunked, embedder):
    for _, chunks in chunked.values():
        for c in chunks:
            assert embedder.count_tokens(c.retrieval_text) <= 510


def test_ids_are_content_hashes(chunked, embedder):
    document, chunks = chunked["002"]
    again = chunk(document, embedder.count_tokens)
    assert [c.id for c in again] == [c.id for c in chunks]
    assert len({c.id for _, cs in chunked.values() for c in cs}) == sum(len(cs) for _, cs in chunked.values())


def test_answer_chunks_carry_their_question_for_retrieval_only(chunked):
    document, chunks = chunked["001"]
    answer_3 = [c for c in chunks if c.section == "antwoord 3" and c.kind in ("passage", "table")]
    assert answer_3
    for c in answer_3:
        assert "Hoeveel mensen werden gescreend door VDAB" in c.context
        assert "Hoeveel mensen werden gescreend" not in c.text


def test_a_table_never_leaves_its_caption(chunked):
    document, chunks = chunked["001"]
    holding = [c for c in chunks if "West-Vlaanderen 41 6" in c.text]
    assert len(holding) == 1
    caption = "Aantal screeningen met oog op doorstroom richting NEC per provincie:"
    assert caption in holding[0].text or caption in holding[0].context
    # a long table cut at row boundaries: every piece carries the caption
    pieces = [c for c in chunks if c.kind == "table" and "Per jaar en organisatie/ESF:" in c.retrieval_text]
    assert len(pieces) >= 2
    assert all(p.text.endswith(tuple("0123456789")) for p in pieces)


def test_each_rebuilt_table_row_is_a_chunk_with_its_caption(chunked):
    document, chunks = chunked["001"]
    rows = [c for c in chunks if c.kind == "table_row"]
    assert len(rows) == sum(1 for t in document.tables for r in t.rows if r.cells)
    heads = [c for c in chunks if c.kind == "table_head"]
    assert len(heads) >= len(document.tables) - 1
    screening = next(
        c
        for c in heads
        if c.text.startswith("Aantal screeningen met oog op doorstroom richting NEC per provincie:")
    )
    assert "kolommen: CMW, LDE" in screening.context and "West-Vlaanderen" in screening.context
    west = next(
        c
        for c in rows
        if "Aantal screeningen met oog op doorstroom richting NEC per provincie:" in c.context
        and "West-Vlaanderen" in c.context
    )
    assert west.text == "41 6"


def test_metadata_and_signatures_are_retrievable(chunked):
    document, chunks = chunked["004"]
    signature = [c for c in chunks if c.role is Role.SIGNATURE]
    assert len(signature) == 1 and "Pieter Kerremans" in signature[0].text


def test_token_count_is_not_truncated_after_encoding(embedder, corpus_dir):
    long_text = (corpus_dir / "001_b0f9d5d62dee0a8f.txt").read_text(encoding="utf-8")
    embedder.embed_passages(
        ["kort", long_text[:3000]]
    )  # encode() turns truncation on in the model's tokenizer
    assert embedder.count_tokens(long_text) > 4000


def test_token_counts_equal_an_untruncated_tokenizers_whatever_the_shared_ones_state(embedder, corpus_dir):
    """The count reads the model's own tokenizer, which encode() leaves truncating to 512
    tokens: long texts are counted whole all the same, as a private untruncated copy counts."""
    from tokenizers import Tokenizer

    untruncated = Tokenizer.from_str(embedder._tokenizer.to_str())
    untruncated.no_truncation()
    untruncated.no_padding()
    prompt = embedder.settings.passage_prompt
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*.txt"))]
    texts = [piece for text in texts for piece in (text[:200], text[:2500], text, text * 2)]
    expected = [len(untruncated.encode(prompt + text, add_special_tokens=True).ids) for text in texts]
    assert max(expected) > 4 * 512
    embedder.embed_passages(["kort", texts[2]])  # truncating, padding to the longest
    assert [embedder.count_tokens(text) for text in texts] == expected
    embedder._tokenizer.no_truncation()
    assert [embedder.count_tokens(text) for text in texts] == expected


def test_a_web_address_on_its_own_line_is_no_part_of_the_next_sentence(corpus_dir):
    text = (corpus_dir / "003_891593d8d3096fb9.txt").read_text(encoding="utf-8")
    spans = split(text, 0, len(text), by_lines=False)
    opening = next(text[a:b] for a, b in spans if "realiseerbaarheid" in text[a:b])
    assert opening.startswith("Dit alles maakt dat"), opening


def test_a_sentence_printed_after_a_table_starts_after_its_rows(corpus_dir):
    document = segment(load(corpus_dir / "001_b0f9d5d62dee0a8f.txt"))
    spans = text_sentences(document, 0, len(document.text))
    assert any(document.text[a:b].startswith("In totaal (over alle jaren heen") for a, b in spans)
