"""A damaged index says so in Dutch and `vraagbaak repair` brings the answers back: the vector
folder deleted, the catalog cut in half, emptied, or replaced by another home's. Real CLI, real
model, real Chroma, the bundled corpus."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from tests.conftest import CORPUS, REPO, VRAAGBAAK

pytestmark = pytest.mark.slow

FIGURE_QUESTION = "Hoeveel LDE-doorstromers woonden in Antwerpen in 2023?"


def run(args: list[str], env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*VRAAGBAAK, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, cli_env):
    """The bundled corpus ingested once; every test damages a copy."""
    home = tmp_path_factory.mktemp("pristine") / "index"
    env = {**cli_env, "VRAAGBAAK_HOME": str(home)}
    assert run(["ingest", "--quiet", str(CORPUS)], env).returncode == 0
    dev = run(["eval", str(REPO / "evals" / "sets" / "dev.jsonl")], env)
    assert dev.returncode == 0, dev.stderr
    return home, dev.stdout


@pytest.fixture()
def damaged(pristine, tmp_path, cli_env):
    home = tmp_path / "index"
    shutil.copytree(pristine[0], home)
    return home, {**cli_env, "VRAAGBAAK_HOME": str(home)}


def scores(report: str) -> list[str]:
    """The eval's score row, without its latency columns (p50, p95)."""
    row = next(line for line in report.splitlines() if line.startswith("| Vraagbaak |"))
    return row.split("|")[2:-3]


def answer_value(env: dict[str, str]) -> str | None:
    result = run(["ask", "--json", FIGURE_QUESTION], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["value"]


def assert_refused(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    assert all(word in result.stderr for word in words), result.stderr


def test_deleted_vectors_are_named_and_repair_restores_the_dev_scores(damaged, pristine):
    home, env = damaged
    shutil.rmtree(home / "chroma")
    assert_refused(run(["ask", FIGURE_QUESTION], env), "vectorindex", "mist passages", "vraagbaak repair")
    assert_refused(run(["ingest", "--quiet", str(CORPUS)], env), "mist passages", "vraagbaak repair")
    repaired = run(["repair"], env)
    assert repaired.returncode == 0, repaired.stderr
    assert re.search(
        r"(\d+) ontbrekende passages opnieuw ingebed, 0 verweesde vectoren verwijderd \(\1 passages\)",
        repaired.stdout,
    ), repaired.stdout
    dev = run(["eval", str(REPO / "evals" / "sets" / "dev.jsonl")], env)
    assert dev.returncode == 0 and scores(dev.stdout) == scores(pristine[1])


def halve(path) -> None:  # type: ignore[no-untyped-def]
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size // 2)


def test_a_half_catalog_is_named_and_repair_puts_the_backup_back(damaged):
    home, env = damaged
    halve(home / "catalog.sqlite")
    for command in (["docs"], ["ask", FIGURE_QUESTION]):
        assert_refused(run(command, env), "catalogus", "is beschadigd", "vraagbaak repair")
    repaired = run(["repair"], env)
    assert repaired.returncode == 0, repaired.stderr
    assert (
        "beschadigd, opzijgezet als catalog.beschadigd-" in repaired.stdout
        and "teruggezet" in repaired.stdout
    )
    assert answer_value(env) == "790"


def test_without_a_usable_backup_repair_says_what_to_do(damaged):
    home, env = damaged
    halve(home / "catalog.sqlite")
    halve(home / "catalog.backup.sqlite")
    assert_refused(
        run(["repair"], env), "is beschadigd", "geen bruikbare reservekopie", "ingest de documenten"
    )


def test_an_emptied_catalog_is_named_and_repair_or_a_new_ingest_mends_it(damaged, pristine, tmp_path):
    home, env = damaged
    (home / "catalog.sqlite").write_bytes(b"")
    spare = tmp_path / "spare"
    shutil.copytree(home, spare)
    for command in (["docs"], ["ask", FIGURE_QUESTION]):
        assert_refused(run(command, env), "catalogus", "is leeg", "vectorindex bevat", "vraagbaak repair")
    assert run(["repair"], env).returncode == 0
    assert answer_value(env) == "790"
    (spare / "catalog.backup.sqlite").unlink()  # no backup: a new ingest mends it, reusing the vectors
    spare_env = {**env, "VRAAGBAAK_HOME": str(spare)}
    again = run(["ingest", "--quiet", str(CORPUS)], spare_env)
    assert again.returncode == 0, again.stderr
    assert "let op: de catalogus" in again.stderr and "nieuw ingebed: 0 chunks" in again.stdout
    assert answer_value(spare_env) == "790"


def test_a_catalog_from_another_home_is_noticed_and_repaired(damaged, tmp_path, cli_env):
    home, env = damaged
    other = {**cli_env, "VRAAGBAAK_HOME": str(tmp_path / "other")}
    note = tmp_path / "fietsen.txt"
    note.write_text(
        "Fietsherstel in de sociale economie\n\n1. Hoeveel fietsherstellers telde de sociale economie in "
        "2024?\n\nAntwoord\n\n1. In 2024 telde de sociale economie 412 fietsherstellers.\n",
        encoding="utf-8",
    )
    assert run(["ingest", "--quiet", str(note)], other).returncode == 0
    shutil.copy(tmp_path / "other" / "catalog.sqlite", home / "catalog.sqlite")
    for leftover in ("catalog.sqlite-wal", "catalog.sqlite-shm"):
        (home / leftover).unlink(missing_ok=True)
    assert_refused(run(["ask", FIGURE_QUESTION], env), "andere catalogus", "vraagbaak repair")
    assert run(["repair"], env).returncode == 0
    result = run(["ask", "--json", "Hoeveel fietsherstellers telde de sociale economie in 2024?"], env)
    assert json.loads(result.stdout)["value"] == "412"
