"""One index, several processes: the CLI writes into a home that a running app serves while
colleagues ask through the app, and nothing breaks. Real server, real CLI, real model and Chroma."""

from __future__ import annotations

import json
import subprocess
import threading
import time

import pytest

from evals.scoring import load_questions
from tests.conftest import CORPUS, REPO, VRAAGBAAK, start_server

pytestmark = pytest.mark.slow

TOWNS = [
    "Aalst", "Beveren", "Dilbeek", "Geel", "Herentals", "Ieper", "Knokke", "Lier", "Mol", "Ninove",
    "Oudenaarde", "Poperinge", "Ronse", "Tielt", "Veurne", "Wetteren", "Zele", "Boom", "Diest", "Eeklo",
]  # fmt: skip
ASKERS = 10


def town_document(number: int, town: str) -> str:
    return (
        f"Wijk-werken in {town}\n\n1. Hoeveel wijk-werkers waren er in 2024 actief in {town}?\n\n"
        f"Antwoord\n\n1. In 2024 waren in {town} {100 + 13 * number} wijk-werkers actief bij "
        f"{3 + number} organisaties.\n"
    )


def cli(args: list[str], env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*VRAAGBAAK, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture()
def served_home(tmp_path, cli_env):
    home = tmp_path / "index"
    env = {**cli_env, "VRAAGBAAK_HOME": str(home)}
    assert cli(["ingest", "--quiet", str(CORPUS)], env).returncode == 0
    process, url = start_server(home, cli_env)
    yield env, url
    process.terminate()
    process.wait(timeout=30)


class Askers:
    """Colleagues asking the app through its /antwoord API until told to stop."""

    def __init__(self, url: str, questions: list[str], count: int) -> None:
        from gradio_client import Client

        self.errors: list[str] = []
        self.answered = 0
        self._stop = threading.Event()
        clients = [Client(url, verbose=False) for _ in range(count)]
        self._threads = [
            threading.Thread(target=self._ask, args=(client, questions[i::count]), daemon=True)
            for i, client in enumerate(clients)
        ]
        for thread in self._threads:
            thread.start()

    def _ask(self, client, questions: list[str]) -> None:  # type: ignore[no-untyped-def]
        while not self._stop.is_set():
            for question in questions:
                if self._stop.is_set():
                    return
                try:
                    result = client.predict(question, api_name="/antwoord")
                    assert result["answer"], question
                    self.answered += 1
                except Exception as error:  # noqa: BLE001 (every failure is counted and shown)
                    self.errors.append(f"{question}: {type(error).__name__}: {error}")

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=120)


def test_a_cli_ingest_beside_a_serving_app_goes_through_it_while_colleagues_ask(served_home, tmp_path):
    from gradio_client import Client

    env, url = served_home
    folder = tmp_path / "nieuw"
    folder.mkdir()
    for number, town in enumerate(TOWNS):
        (folder / f"wijkwerken_{number:02d}.txt").write_text(town_document(number, town), encoding="utf-8")
    questions = [q.question for q in load_questions(REPO / "evals" / "sets" / "dev.jsonl")][:40]
    askers = Askers(url, questions, ASKERS)
    try:
        time.sleep(5)
        ingest = cli(["ingest", "--quiet", str(folder)], env)
        ended = time.monotonic()
        assert ingest.returncode == 0, ingest.stderr
        assert "verzoek via de app" in ingest.stderr and "ingelezen: 20" in ingest.stdout
        client = Client(url, verbose=False)
        question = "Hoeveel wijk-werkers waren er in 2024 actief in Poperinge?"
        answer = client.predict(question, api_name="/antwoord")
        seen_after = time.monotonic() - ended
    finally:
        askers.stop()
    print(
        f"\n{ASKERS} askers: {askers.answered} questions answered, {len(askers.errors)} errors, during and "
        f"around an ingest of {len(TOWNS)} documents from the CLI; a new document answered "
        f"{seen_after:.1f} s after the ingest ended"
    )
    assert askers.errors == []
    assert askers.answered >= 50
    assert answer["value"] == str(100 + 13 * TOWNS.index("Poperinge"))
    assert answer["citations"][0]["source"] == f"wijkwerken_{TOWNS.index('Poperinge'):02d}.txt"
    assert seen_after < 10

    asked = cli(["ask", "Hoeveel wijk-werkers waren er in 2024 actief in Geel?"], env, timeout=120)
    assert asked.returncode == 0 and "model wordt geladen" not in asked.stderr  # the app answered
    assert str(100 + 13 * TOWNS.index("Geel")) in asked.stdout

    removed = cli(["remove", "wijkwerken_03.txt"], env)
    assert removed.returncode == 0 and "verzoek via de app" in removed.stderr
    docs = cli(["docs"], env)
    assert "wijkwerken_03.txt" not in docs.stdout and "wijkwerken_04.txt" in docs.stdout


def test_a_new_home_uses_the_model_cache_and_says_what_it_does(tmp_path, cli_env):
    env = {**cli_env, "VRAAGBAAK_HOME": str(tmp_path / "nieuw")}
    started = time.monotonic()
    result = cli(["ingest", str(CORPUS / "000_3223c12a98729230.txt")], env)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("model laden…")  # the first line, before anything slow
    assert not (tmp_path / "nieuw" / "models").exists()
    assert time.monotonic() - started < 120


def test_a_broken_docx_then_a_good_file_from_the_cli(tmp_path, cli_env):
    from tests.test_identity import SHOPS, cut_off_docx

    env = {**cli_env, "VRAAGBAAK_HOME": str(tmp_path / "index")}
    broken = tmp_path / "a_kapot.docx"
    cut_off_docx(broken, SHOPS)
    good = tmp_path / "b_goed.txt"
    good.write_text(SHOPS, encoding="utf-8")
    result = cli(["ingest", "--quiet", str(broken), str(good)], env)
    assert result.returncode == 1
    assert "a_kapot.docx: het bestand kon niet gelezen worden (XMLSyntaxError" in result.stderr
    assert "Traceback" not in result.stderr
    assert "ingelezen: 1" in result.stdout and "b_goed.txt" in result.stdout


def test_same_name_files_and_replace_from_the_cli(tmp_path, cli_env):
    from tests.test_identity import BIKES, SHOPS

    env = {**cli_env, "VRAAGBAAK_HOME": str(tmp_path / "index")}
    for folder, text in (("a", BIKES), ("b", SHOPS)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "antwoord.txt").write_text(text, encoding="utf-8")
    both = cli(["ingest", "--quiet", str(tmp_path / "a"), str(tmp_path / "b")], env)
    assert both.returncode == 0 and "ingelezen: 2" in both.stdout
    assert "opgeslagen als 'antwoord (2).txt'" in both.stdout
    question = "Hoeveel doelgroepwerknemers stellen de kringwinkels in Brugge tewerk?"
    asked = cli(["ask", "--json", question], env)
    answer = json.loads(asked.stdout)
    assert (answer["value"], answer["citations"][0]["source"]) == ("212", "antwoord (2).txt")

    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "antwoord.txt").write_text(SHOPS.replace("negen", "elf"), encoding="utf-8")
    replaced = cli(["ingest", "--quiet", "--replace", str(tmp_path / "c")], env)
    assert replaced.returncode == 0 and "vervangt het vorige document 'antwoord.txt'" in replaced.stdout
    docs = cli(["docs", "--json"], env)
    assert sorted(d["source"] for d in json.loads(docs.stdout)) == ["antwoord (2).txt", "antwoord.txt"]
