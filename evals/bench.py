"""`vraagbaak bench`: embedding throughput of the pipeline next to a raw
sentence-transformers encode of the same chunks, and ingest time per document.

All figures come from one run, so the ratio is meaningful on a noisy machine;
the two encoders are run alternately, `repeat` times each, and the best run of
each is reported.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path

from index.embedder import Embedder
from index.indexer import expand_paths, ingest_paths
from index.library import IndexSettings, open_library
from ingest.chunk import chunk
from ingest.errors import IngestError
from ingest.load import load
from ingest.segment import segment

RAW_BATCH = 32  # sentence-transformers' own default: the plain way


def run_benchmark(settings: IndexSettings, corpus: Path, repeat: int = 2) -> str:
    started = time.perf_counter()
    embedder = Embedder(settings.embedding, settings.models_dir)
    load_seconds = time.perf_counter() - started

    texts: list[str] = []
    for path in expand_paths([corpus]):
        try:
            document = segment(load(path))
        except IngestError:
            continue
        texts += [c.retrieval_text for c in chunk(document, embedder.count_tokens, settings.chunking)]

    raw_model = embedder._model  # the same loaded SentenceTransformer, called the plain way
    raw_best = pipeline_best = float("inf")
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        raw_model.encode(
            texts,
            prompt=settings.embedding.passage_prompt,
            batch_size=RAW_BATCH,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        raw_best = min(raw_best, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for _ in embedder.embed_passages_batched(texts):  # the ingest's batches
            pass
        pipeline_best = min(pipeline_best, time.perf_counter() - t0)

    with tempfile.TemporaryDirectory() as home:
        fresh = replace(settings, home=Path(home), chroma_url=None)
        library = open_library(fresh, embedder=embedder)
        t0 = time.perf_counter()
        report = ingest_paths(library, [corpus])
        ingest_seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = ingest_paths(library, [corpus])
        reingest_seconds = time.perf_counter() - t0
        library.close()

    ingested = report.of("ingested")
    n = len(texts)
    lines = [
        f"corpus: {corpus} ({len(ingested)} documents, {n} chunks); model {embedder.name}, precision "
        f"{embedder.precision}",
        f"model load:                          {load_seconds:6.1f} s",
        f"raw sentence-transformers encode:    {n / raw_best:6.1f} chunks/s  (fp32, batch {RAW_BATCH})",
        f"pipeline embedding (Embedder):       {n / pipeline_best:6.1f} chunks/s  ({embedder.precision})",
        f"pipeline / raw:                      {raw_best / pipeline_best:6.2f}x",
        f"ingest, fresh index:                 {ingest_seconds:6.1f} s total, "
        f"{ingest_seconds / max(1, len(ingested)):5.2f} s per document, {n / ingest_seconds:5.1f} chunks/s",
        f"re-ingest, nothing changed:          {reingest_seconds:6.2f} s, {again.embedded} chunks embedded",
    ]
    lines += [f"  {o.source}: {o.chunks} chunks, {o.seconds:.2f} s" for o in ingested]
    return "\n".join(lines)
