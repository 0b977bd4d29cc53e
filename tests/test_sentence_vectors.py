"""The sentence vectors are held once: each document's block is a view of the one matrix that the
search over all sentences reads, and a change builds the next matrix from the kept blocks."""

import numpy as np

from index.library import SentenceVectors


def _rows(source: str, count: int, seed: int) -> list[tuple[str, int, int, bytes]]:
    """As the catalog gives them: float16 bytes, a document's rows in offset order."""
    generator = np.random.default_rng(seed)
    return [
        (source, 10 * i, 10 * i + 9, generator.normal(size=384).astype(np.float16).tobytes())
        for i in range(count)
    ]


def _unit(blob: bytes) -> np.ndarray:
    vector = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
    return vector / np.linalg.norm(vector)


def test_blocks_are_views_of_the_stacked_matrix():
    rows = _rows("b.txt", 3, 1) + _rows("a.txt", 2, 2)
    vectors = SentenceVectors(SentenceVectors.of(rows))
    keys, matrix = vectors.stacked()
    assert keys == [(s, a, b) for s, a, b, _ in sorted(rows, key=lambda r: r[:3])]
    assert matrix.shape == (5, 384) and len(vectors) == 5 and list(vectors) == keys
    for block in vectors.blocks.values():
        assert np.shares_memory(block.matrix, matrix)
    for source, a, b, blob in rows:
        unit = _unit(blob)
        assert np.allclose(vectors[(source, a, b)], unit)
        assert np.allclose(matrix[keys.index((source, a, b))], unit)


def test_a_change_keeps_the_other_blocks_and_leaves_the_old_matrix():
    first = SentenceVectors(SentenceVectors.of(_rows("a.txt", 2, 1) + _rows("b.txt", 3, 2)))
    kept = {s: b for s, b in first.blocks.items() if s != "b.txt"}
    second = SentenceVectors(kept | SentenceVectors.of(_rows("c.txt", 4, 3)))
    keys, matrix = second.stacked()
    assert [k[0] for k in keys] == ["a.txt"] * 2 + ["c.txt"] * 4
    assert not np.shares_memory(matrix, first.stacked()[1])
    assert np.array_equal(second.blocks["a.txt"].matrix, first.blocks["a.txt"].matrix)
    assert all(np.shares_memory(b.matrix, matrix) for b in second.blocks.values())


def test_a_zero_vector_stays_zero():
    rows = [("a.txt", 0, 9, np.zeros(384, dtype=np.float16).tobytes())]
    vectors = SentenceVectors(SentenceVectors.of(rows))
    assert not vectors[("a.txt", 0, 9)].any()


def test_no_sentences():
    vectors = SentenceVectors({})
    assert vectors.stacked()[0] == [] and len(vectors) == 0 and list(vectors) == []


def test_unit_vectors_are_those_of_scaling_each_vector_alone():
    """Bit for bit: a different rounding reorders the many near-equal sentence scores of a large
    archive, and with them some answers."""
    rows = _rows("a.txt", 500, 5)
    vectors = SentenceVectors(SentenceVectors.of(rows))
    for source, a, b, blob in rows:
        vector = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
        assert np.array_equal(vectors[(source, a, b)], vector / (np.linalg.norm(vector) or 1.0))
