"""The sentence search reads rows best first without sorting the whole archive's scores: every row
comes exactly once, in descending score, whatever the ties at the cuts between rounds."""

from __future__ import annotations

import numpy as np

from index.library import _best_first


def test_rows_come_once_each_best_first_with_ties_at_every_cut():
    rng = np.random.default_rng(0)
    for trial in range(300):
        count = int(rng.integers(1, 300))
        tied = trial % 2 == 1  # few distinct scores: ties straddle the cuts
        scores = (rng.integers(0, 4, count) if tied else rng.random(count)).astype(np.float32)
        rows = list(_best_first(scores, int(rng.integers(1, 20))))
        assert sorted(rows) == list(range(count))
        assert all(scores[a] >= scores[b] for a, b in zip(rows, rows[1:]))


def test_the_first_rows_are_the_best_when_only_they_are_read():
    scores = np.array([0.1, 0.9, 0.5, 0.9, 0.2], dtype=np.float32)
    reader = _best_first(scores, 2)
    assert [next(reader), next(reader)] == [1, 3]  # equal scores in row order
    assert next(reader) == 2
