"""The pipelines a user would otherwise build, answering with the top chunk:
BM25 only and vectors only (over Vraagbaak's own chunks), and plain llama-index
(SimpleDirectoryReader + VectorStoreIndex, default chunking, the same embedding model).

None of them picks a figure or a sentence, or abstains: `value` is null and the
answer is the whole top chunk, as those pipelines give it.
"""

from __future__ import annotations

import contextlib
import io
import time
from pathlib import Path

from index.embedder import Embedder
from index.library import Library
from ingest.model import Answer, Citation

from .harness import Answering


def _prediction(question: str, citations: list[Citation], started: float) -> Answer:
    answer = citations[0].text if citations else ""
    return Answer(question, answer, None, False, citations, latency_ms=(time.perf_counter() - started) * 1000)


def _chunk_citations(library: Library, ranking: list[tuple[str, float]]) -> list[Citation]:
    view = library.view()
    live = [(view.chunks[cid], score) for cid, score in ranking if cid in view.chunks]
    return [Citation.of_chunk(chunk, view.documents[chunk.source], score) for chunk, score in live[:3]]


def keyword_only(library: Library) -> Answering:
    library.refresh_keywords()

    def predict(question: str) -> Answer:
        started = time.perf_counter()
        return _prediction(question, _chunk_citations(library, library.keywords.search(question, 5)), started)

    return predict


def vectors_only(library: Library) -> Answering:
    def predict(question: str) -> Answer:
        started = time.perf_counter()
        ranking = library.vectors.query(library.embedder.embed_query(question), 5)
        return _prediction(question, _chunk_citations(library, ranking), started)

    return predict


def plain_llama_index(corpus: Path, embedder: Embedder) -> Answering:
    """llama-index as its starter tutorial builds it, with our embedding model plugged in."""
    from llama_index.core import Settings, SimpleDirectoryReader, VectorStoreIndex

    Settings.embed_model = _llama_embedding(embedder)
    with contextlib.redirect_stdout(io.StringIO()):  # "LLM is explicitly disabled. Using MockLLM."
        Settings.llm = None
    documents = SimpleDirectoryReader(str(corpus), filename_as_id=True).load_data(show_progress=False)
    index = VectorStoreIndex.from_documents(documents, show_progress=False)
    retriever = index.as_retriever(similarity_top_k=3)
    texts = {Path(d.metadata["file_path"]).name: d.text for d in documents}

    def predict(question: str) -> Answer:
        started = time.perf_counter()
        cited = []
        for found in retriever.retrieve(question):
            node = found.node
            source = Path(node.metadata.get("file_path", "")).name
            start, end = node.start_char_idx or 0, node.end_char_idx or 0
            text = texts.get(source, "")[start:end] if source in texts else node.get_content()
            cited.append(Citation(source, "", "", text, start, end, round(float(found.score or 0.0), 5)))
        return _prediction(question, cited, started)

    return predict


def _llama_embedding(embedder: Embedder):  # type: ignore[no-untyped-def]
    """Our embedder (e5 prompts included) as a llama-index embedding model."""
    from llama_index.core.embeddings import BaseEmbedding

    class VraagbaakEmbedding(BaseEmbedding):
        def _get_query_embedding(self, query: str) -> list[float]:
            return embedder.embed_query(query).tolist()

        def _get_text_embedding(self, text: str) -> list[float]:
            return embedder.embed_passages([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed_passages(texts).tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

    return VraagbaakEmbedding(model_name=embedder.name, embed_batch_size=16)
