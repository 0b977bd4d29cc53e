"""Model batches of like lengths: every text once, longest first, no batch past its padded-token
budget, and the same vectors as one call over all texts."""

from __future__ import annotations

import numpy as np

from index.embedder import BATCH_LENGTH_RATIO
from ingest.chunk import chunk
from ingest.load import load
from ingest.segment import segment
from ingest.sentences import prose_sentences


def corpus_texts(corpus_dir, embedder) -> list[str]:
    """Every chunk and prose sentence of the bundled corpus: the texts an ingest embeds."""
    texts = []
    for path in sorted(corpus_dir.iterdir()):
        document = segment(load(path))
        texts += [c.retrieval_text for c in chunk(document, embedder.count_tokens)]
        texts += [document.text[a:b] for a, b in prose_sentences(document)]
    return texts


def test_batches_hold_every_text_once_longest_first_within_their_budget(corpus_dir, embedder):
    texts = corpus_texts(corpus_dir, embedder)
    batches = embedder.passage_batches(texts)
    assert sorted(i for batch in batches for i in batch) == list(range(len(texts)))
    read = [min(embedder.count_tokens(t), embedder.max_tokens) for t in texts]
    order = [read[i] for batch in batches for i in batch]
    assert order == sorted(order, reverse=True)
    settings = embedder.settings
    for batch in batches:
        longest = read[batch[0]]
        assert len(batch) <= settings.batch_size
        assert len(batch) == 1 or len(batch) * longest <= settings.batch_tokens
        assert min(read[i] for i in batch) >= BATCH_LENGTH_RATIO * longest


def test_a_few_long_chunks_do_not_pad_the_short_sentences(embedder):
    long_chunk = "Het aantal doelgroepwerknemers in collectief maatwerk steeg in elke provincie. " * 20
    texts = [long_chunk] * 3 + [f"Zin {n} over wijk-werken." for n in range(40)]
    batches = embedder.passage_batches(texts)
    assert all(set(batch) <= {0, 1, 2} or not set(batch) & {0, 1, 2} for batch in batches)


def test_batched_vectors_equal_one_call_over_all_texts(corpus_dir, embedder):
    texts = corpus_texts(corpus_dir, embedder)[:150]
    batched = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    for batch, vectors in embedder.embed_passages_batched(texts):
        batched[batch] = vectors
    whole = embedder.embed_passages(texts)
    assert float(np.min(np.sum(batched * whole, axis=1))) > 0.9999
