"""What a user sees when a handler fails: a Dutch sentence, never the exception's own text."""

from __future__ import annotations

import gradio as gr
import pytest

from app.errors import UserError
from app.ui import dutch_errors


def test_an_unexpected_failure_becomes_a_dutch_sentence_and_the_log_keeps_it(caplog):
    @dutch_errors("Deze vraag beantwoorden")
    def answer(question: str) -> str:
        return {"bestaand.txt": question}["kortc_3.txt"]

    with pytest.raises(gr.Error) as raised:
        answer("Hoeveel?")
    message = str(raised.value.message)
    assert message.startswith("Deze vraag beantwoorden is niet gelukt") and "probeer het opnieuw" in message
    assert "KeyError" not in message and "kortc_3" not in message
    assert "KeyError" in caplog.text and "kortc_3.txt" in caplog.text


def test_a_dutch_error_of_our_own_is_shown_as_it_is_and_a_result_passes_unchanged():
    @dutch_errors("Het inlezen")
    def refuse() -> None:
        raise UserError("het bestand is leeg; kies een ander bestand.")

    with pytest.raises(gr.Error, match="het bestand is leeg; kies een ander bestand."):
        refuse()
    assert dutch_errors("Iets")(lambda x: x * 2)(21) == 42


def test_a_failed_request_to_the_serving_app_comes_back_as_a_dutch_sentence(tmp_path):
    import json

    from app.control import SERVING_INFO, ControlChannel, ServingApp, request

    def handle(payload: dict) -> dict:
        if payload["command"] == "remove":
            raise UserError("document 'x.txt' staat niet in de index.")
        return {"done": {"a.txt": 1}[payload["source"]]}

    channel = ControlChannel(tmp_path)
    channel.open("http://127.0.0.1:1/", handle)
    try:
        app = ServingApp(**json.loads((tmp_path / SERVING_INFO).read_text(encoding="utf-8")))
        assert request(app, {"command": "ingest", "source": "a.txt"}) == {"done": 1}
        failed = request(app, {"command": "ingest", "source": "kortc_3.txt"})["error"]
        assert failed.startswith("de app kon het verzoek niet uitvoeren") and "kortc_3" not in failed
        refused = request(app, {"command": "remove", "source": "x.txt"})["error"]
        assert refused == "document 'x.txt' staat niet in de index."
    finally:
        channel.close()
