"""The fresh ingest of `bench-scale`, in a process of its own so that its peak memory is its own.

    python -m evals.scale_ingest '{"home": ..., "models": ..., "chroma_url": ..., "paths": [...]}'

Prints one JSON line: documents/s, chunks/s, the share of the time spent embedding, peak RSS, and
the pipeline's embedding rate (tokens per second of embedding) next to a raw sentence-transformers
encode of a random sample of the texts it embedded; and the floor: the documents/s of a pass that
embeds every token of a sample of the documents exactly once, which no ingest with this model on
this machine can beat.
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

from .bench import RAW_BATCH
from .scale import peak_rss_mb

RAW_SAMPLE = 512
FLOOR_SAMPLE = 100  # documents
FLOOR_WINDOW = 128  # tokens a window: shorter windows cost less attention (128 measured faster than 512)


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
    texts_embedded, tokens_embedded, embedding_seconds = (
        embedder.texts_embedded,
        embedder.tokens,
        embedder.seconds,
    )
    floor, text_tokens = _floor(embedder, [Path(p) for p in request["paths"]])
    return {
        "documents_per_s": round(len(ingested) / seconds, 2),
        "chunks_per_s": round(chunks / seconds, 1),
        "embedding_share": round(embedding_seconds / seconds, 3),
        "peak_rss_mb": peak_rss_mb(),
        "seconds": round(seconds, 1),
        "documents": len(ingested),
        "skipped": len(report.of("skipped")),
        "chunks": chunks,
        "texts_embedded": texts_embedded,
        "tokens_embedded": tokens_embedded,
        "pipeline_tokens_per_s": round(pipeline),
        "raw_tokens_per_s": round(raw),
        "embedding_vs_raw": round(pipeline / raw, 2),
        "floor_documents_per_s": round(floor, 2),
        "floor_window_tokens": FLOOR_WINDOW,
        "embedded_per_text_token": round(tokens_embedded / max(1, len(ingested)) / text_tokens, 2),
    }


def _raw_tokens_per_s(embedder: TimedEmbedder) -> float:
    """Tokens per second of the same model called the plain sentence-transformers way (fp32,
    its default batch size) on the sample of the texts the pipeline embedded, each with its own
    prompt."""
    tokens = 0
    seconds = 0.0
    for prompt in {p for p, _ in embedder.sample}:
        texts = [t for p, t in embedder.sample if p == prompt]
        started = time.perf_counter()
        embedder._model.encode(
            texts,
            prompt=prompt,
            batch_size=RAW_BATCH,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        seconds += time.perf_counter() - started
        tokens += sum(len(embedder._tokenizer.encode(prompt + t).ids) for t in texts)
    return tokens / max(seconds, 1e-9)


def _floor(embedder: TimedEmbedder, paths: list[Path]) -> tuple[float, float]:
    """Documents/s of embedding each token of the first FLOOR_SAMPLE text documents once (their
    whole text cut into windows of FLOOR_WINDOW tokens, no context, no sentence on its own,
    longest first, at the pipeline's precision and threads), and their mean tokens a document."""
    files = [f for p in paths for f in (sorted(p.iterdir()) if p.is_dir() else [p])]
    sample = [f for f in files if f.suffix == ".txt"][:FLOOR_SAMPLE]
    step = FLOOR_WINDOW - 4  # room for the prompt's and the special tokens
    tokenizer = embedder._model.tokenizer
    windows, tokens = [], 0
    for path in sample:
        ids = tokenizer(path.read_text(encoding="utf-8"), add_special_tokens=False)["input_ids"]
        windows += [tokenizer.decode(ids[at : at + step]) for at in range(0, len(ids), step)]
        tokens += len(ids)
    started = time.perf_counter()
    embedder.embed_passages(sorted(windows, key=len, reverse=True))
    seconds = time.perf_counter() - started
    return len(sample) / max(seconds, 1e-9), tokens / max(1, len(sample))


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
