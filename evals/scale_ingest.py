"""The fresh ingest of `bench-scale`, in a process of its own so that its peak memory is its own.

    python -m evals.scale_ingest '{"home": ..., "models": ..., "chroma_url": ..., "paths": [...]}'

Prints one JSON line: documents/s, chunks/s, the share of the time spent embedding, peak RSS, and
the pipeline's embedding rate (tokens per second of embedding) next to a raw sentence-transformers
encode of a random sample of the texts it embedded.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

import numpy as np

from index.embedder import Embedder
from index.indexer import ingest_paths
from index.library import IndexSettings, open_library

from .scale import peak_rss_mb

RAW_SAMPLE = 512


class TimedEmbedder(Embedder):
    """The pipeline's embedder, timed; tokens counted and texts sampled outside the timing."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self._reset()
        super().__init__(*args, **kwargs)  # measures its thread count with a few encodes
        self._reset()

    def _reset(self) -> None:
        self.seconds = 0.0
        self.tokens = 0
        self.sample: list[tuple[str, str]] = []  # (prompt, text), a uniform reservoir sample
        self._seen = 0
        self._random = random.Random(0)

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        started = time.perf_counter()
        vectors = super()._encode(texts, prompt)
        self.seconds += time.perf_counter() - started
        for text in texts:
            self.tokens += len(self._tokenizer.encode(prompt + text).ids)
            self._seen += 1
            if len(self.sample) < RAW_SAMPLE:
                self.sample.append((prompt, text))
            elif (slot := self._random.randrange(self._seen)) < RAW_SAMPLE:
                self.sample[slot] = (prompt, text)
        return vectors


def main(request: dict) -> dict:
    settings = IndexSettings(
        home=Path(request["home"]), chroma_url=request["chroma_url"], model_cache=Path(request["models"])
    )
    embedder = TimedEmbedder(settings.embedding, settings.models_dir)
    library = open_library(settings, embedder=embedder)
    started = time.perf_counter()
    report = ingest_paths(library, [Path(p) for p in request["paths"]])
    seconds = time.perf_counter() - started
    ingested = report.of("ingested")
    chunks = sum(o.chunks for o in ingested)
    pipeline = embedder.tokens / max(embedder.seconds, 1e-9)
    raw = _raw_tokens_per_s(embedder)
    return {
        "documents_per_s": round(len(ingested) / seconds, 2),
        "chunks_per_s": round(chunks / seconds, 1),
        "embedding_share": round(embedder.seconds / seconds, 3),
        "peak_rss_mb": peak_rss_mb(),
        "seconds": round(seconds, 1),
        "documents": len(ingested),
        "skipped": len(report.of("skipped")),
        "chunks": chunks,
        "texts_embedded": embedder.texts_embedded,
        "pipeline_tokens_per_s": round(pipeline),
        "raw_tokens_per_s": round(raw),
        "embedding_vs_raw": round(pipeline / raw, 2),
    }


def _raw_tokens_per_s(embedder: TimedEmbedder) -> float:
    """Tokens per second of the same model called the plain sentence-transformers way (fp32) on
    the sample of the texts the pipeline embedded, each with its own prompt."""
    tokens = 0
    seconds = 0.0
    for prompt in {p for p, _ in embedder.sample}:
        texts = [t for p, t in embedder.sample if p == prompt]
        started = time.perf_counter()
        embedder._model.encode(
            texts,
            prompt=prompt,
            batch_size=embedder.settings.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        seconds += time.perf_counter() - started
        tokens += sum(len(embedder._tokenizer.encode(prompt + t).ids) for t in texts)
    return tokens / max(seconds, 1e-9)


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
