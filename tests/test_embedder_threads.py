"""The embedder embeds a batch (ingest) on every core and one question on the thread count it
measured at load, whichever thread count the call before used."""

from __future__ import annotations

import os

import torch


def test_a_batch_uses_every_core_and_a_question_the_measured_count(embedder):
    assert embedder.batch_threads == len(os.sched_getaffinity(0))
    assert embedder.threads in {1, embedder.batch_threads}
    for _ in range(2):  # either order
        embedder.embed_passages(["Collectief maatwerk in 2023.", "Wijk-werken in Gent."])
        assert torch.get_num_threads() == embedder.batch_threads
        embedder.embed_query("Hoeveel doelgroepwerknemers waren er?")
        assert torch.get_num_threads() == embedder.threads


def test_one_passage_uses_every_core(embedder):
    embedder.embed_query("Hoeveel doelgroepwerknemers waren er?")
    embedder.embed_passages(["Een lange passage over collectief maatwerk en doorstroom. " * 20])
    assert torch.get_num_threads() == embedder.batch_threads
