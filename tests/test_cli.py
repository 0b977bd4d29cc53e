"""The real `vraagbaak` entry point: exit codes, messages, JSON shape."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import REPO, VRAAGBAAK

pytestmark = pytest.mark.slow


def run(args, env, timeout=600):
    return subprocess.run(
        [*VRAAGBAAK, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory, cli_env):
    """A home with the bundled corpus and one bad file ingested through the CLI."""
    home = tmp_path_factory.mktemp("cli")
    env = {**cli_env, "VRAAGBAAK_HOME": str(home / "index")}
    bad = home / "kapot.docx"
    bad.write_bytes(b"geen word")
    result = run(["ingest", "--quiet", str(REPO / "data" / "corpus"), str(bad)], env)
    return env, result


def test_ingest_reports_and_exits_1_when_a_file_was_skipped(home):
    _, result = home
    assert result.returncode == 1
    assert "ingelezen: 5, ongewijzigd: 0, overgeslagen: 1" in result.stdout
    assert "kapot.docx: het Word-bestand is beschadigd" in result.stderr
    assert "Traceback" not in result.stderr


def test_ingest_stores_the_term_counts_for_the_next_start_up(home):
    from pathlib import Path

    from app.answer.term_counts import TermCounts
    from index.catalog import Catalog

    env, _ = home
    index = Path(env["VRAAGBAAK_HOME"])
    versions = Catalog(index / "catalog.sqlite").versions()
    assert len(versions) == 5 and TermCounts(index).versions() == versions


def test_docs_lists_documents(home):
    env, _ = home
    result = run(["docs"], env)
    assert result.returncode == 0
    assert (
        "001_b0f9d5d62dee0a8f.txt" in result.stdout
        and "schriftelijke vraag" in result.stdout
        and "SERV-advies" in result.stdout
    )


def test_show_json_shape(home):
    env, _ = home
    result = run(["show", "001_b0f9d5d62dee0a8f.txt", "--json"], env)
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert set(data) >= {"source", "genre", "metadata", "sections", "tables"}
    assert data["genre"] == "written_question" and data["metadata"]["number"] == "221"
    assert set(data["sections"][0]) >= {"role", "number", "answers", "start", "end"}
    answer = next(s for s in data["sections"] if s["role"] == "answer" and s["number"] == "2a-b")
    assert answer["answers"] == ["2a", "2b"]
    text = (REPO / "data" / "corpus" / "001_b0f9d5d62dee0a8f.txt").read_text(encoding="utf-8")
    assert text[answer["start"] : answer["end"]].startswith("a-b) Onderstaande tabellen")


def test_show_json_tables_shape(home):
    env, _ = home
    data = json.loads(run(["show", "001_b0f9d5d62dee0a8f.txt", "--json"], env).stdout)
    table = next(t for t in data["tables"] if t["caption"] == "Per jaar en per provincie:")
    assert set(table) >= {"caption", "section", "columns", "rows", "complete"} and table["complete"] is True
    row_2018 = next(r for r in table["rows"] if r["label"] == "2018")
    assert [(c["column"], c["value"], c["status"]) for c in row_2018["cells"]] == [
        ("Limburg", "1", "reconstructed"),
        ("Vlaams-Brabant", "4", "reconstructed"),
        ("West-Vlaanderen", "2", "reconstructed"),
        ("Totaal", "7", "reconstructed"),
    ]
    multi = next(t for t in data["tables"] if "2021 / CMW" in t["columns"])
    assert multi["columns"][:2] == ["2021 / CMW", "2021 / LDE"]


def test_tables_command(home):
    env, _ = home
    listing = run(["tables", "screeningen"], env)
    assert listing.returncode == 0
    assert "Aantal screeningen met oog op doorstroom richting NEC per provincie:" in listing.stdout
    assert "Per jaar en per provincie" not in listing.stdout


def test_ask_json_is_the_answer_object(home):
    env, _ = home
    result = run(["ask", "--json", "Hoeveel LDE-doorstromers woonden in 2023 in Antwerpen?"], env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert set(answer) >= {"answer", "value", "abstained", "citations", "table", "latency_ms"}
    assert (
        answer["value"] == "790"
        and answer["abstained"] is False
        and answer["table"]["cell"]["column"] == "LDE"
    )
    assert set(answer["citations"][0]) == {"source", "title", "section", "text", "start", "end", "score"}
    plain = run(["ask", "Wie ondertekende het SERV-advies als administrateur-generaal?"], env)
    assert (
        plain.returncode == 0
        and "Kerremans" in plain.stdout
        and "[1] 004_4c85195832e1aa21.txt" in plain.stdout
    )


def test_eval_writes_predictions_in_the_shared_format_and_a_report(home, tmp_path):
    env, _ = home
    questions = tmp_path / "vragen.jsonl"
    lines = (REPO / "evals" / "sets" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    questions.write_text("\n".join(lines[:3] + lines[-3:]) + "\n", encoding="utf-8")
    result = run(
        [
            "eval",
            str(questions),
            "--out",
            str(tmp_path / "pred.jsonl"),
            "--report",
            str(tmp_path / "rapport"),
        ],
        env,
    )
    assert result.returncode == 0, result.stderr
    assert "| Vraagbaak |" in result.stdout
    predictions = [
        json.loads(line) for line in (tmp_path / "pred.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [p["id"] for p in predictions] == [json.loads(line)["id"] for line in lines[:3] + lines[-3:]]
    assert all(
        set(p) == {"id", "question", "answer", "value", "abstained", "citations", "latency_ms"}
        for p in predictions
    )
    report = (tmp_path / "rapport" / "report.md").read_text(encoding="utf-8")
    assert "| systeem |" in report and (tmp_path / "rapport" / "scores.png").stat().st_size > 1000


def test_eval_gate_fails_the_build_below_the_thresholds(home, tmp_path):
    env, _ = home
    wrong = tmp_path / "fout.jsonl"  # the corpus says 790: a system that is right fails this set
    wrong.write_text(
        json.dumps(
            {
                "id": "w1",
                "kind": "table",
                "question": "Hoeveel LDE-doorstromers woonden in 2023 in Antwerpen?",
                "expected": {"value": "791", "source": "001_b0f9d5d62dee0a8f.txt"},
            }
        )
        + "\n",
        encoding="utf-8",
    )
    result = run(["eval", str(wrong), "--gate"], env)
    assert result.returncode == 1 and "DREMPELS NIET GEHAALD: table_accuracy 0.000 < 0.95" in result.stderr


def test_show_text_names_what_answers_what(home):
    env, _ = home
    result = run(["show", "002_fcbfb653e6343493.txt"], env)
    assert result.returncode == 0
    assert "antwoord 1a+c  → beantwoordt vraag 1a, 1c" in result.stdout


def test_user_mistakes_give_a_dutch_message_and_exit_1(home):
    env, _ = home
    for args, expected in [
        (["show", "bestaat-niet.txt"], "document 'bestaat-niet.txt' staat niet in de index"),
        (["remove", "bestaat-niet.txt"], "document 'bestaat-niet.txt' staat niet in de index"),
        (["ingest", "/geen/map"], "niet gevonden: /geen/map"),
        (["ask", " "], "de vraag is leeg"),
        (["eval", "/geen/vragen.jsonl"], "vragenbestand niet gevonden: /geen/vragen.jsonl"),
    ]:
        result = run(args, env)
        assert result.returncode == 1, (args, result.stderr)
        assert result.stderr.startswith("fout: ") and expected in result.stderr
        assert "Traceback" not in result.stderr


def test_remove_then_gone(home):
    env, _ = home
    assert run(["remove", "003_891593d8d3096fb9.txt"], env).returncode == 0
    listing = run(["docs", "--json"], env)
    assert "003_891593d8d3096fb9.txt" not in [d["source"] for d in json.loads(listing.stdout)]


def test_bench_prints_both_throughputs_in_one_run(cli_env, tmp_path):
    result = run(["bench", "--repeat", "1"], {**cli_env, "VRAAGBAAK_HOME": str(tmp_path / "bench")})
    assert result.returncode == 0, result.stderr
    assert (
        "raw sentence-transformers encode:" in result.stdout
        and "pipeline embedding (Embedder):" in result.stdout
    )
    assert "s per document" in result.stdout and "0 chunks embedded" in result.stdout


def test_a_malformed_eval_file_names_the_line_and_field(home, tmp_path):
    env, _ = home
    bad = tmp_path / "kapot.jsonl"
    bad.write_text(
        '{"id": "a", "kind": "table", "question": "Hoeveel?", "expected": {"value": "1"}}\n'
        '{"id": "b", "kind": "passage", "question": "Wat?", "expected": {}}\n',
        encoding="utf-8",
    )
    result = run(["eval", str(bad)], env)
    assert result.returncode == 1 and "kapot.jsonl regel 2: 'expected.contains'" in result.stderr
    assert "Traceback" not in result.stderr


def test_ingest_report_show_and_eval_structure_name_the_structure(tmp_path, cli_env):
    env = {**cli_env, "VRAAGBAAK_HOME": str(tmp_path / "index")}
    (tmp_path / "debat.txt").write_text(
        "De voorzitter\n\nMevrouw Vos heeft het woord.\n\nMinister, hoeveel trajecten liepen er?\n\n"
        "De voorzitter\n\nMinister Aerts heeft het woord.\n\nEr liepen 310 trajecten.\n",
        encoding="utf-8",
    )
    (tmp_path / "nota.txt").write_text("Een nota.\n\nDe werkloosheid daalt.\n", encoding="utf-8")
    result = run(["ingest", "--quiet", str(tmp_path / "debat.txt"), str(tmp_path / "nota.txt")], env)
    assert result.returncode == 0
    assert "debat.txt" in result.stdout and "herkend aan: heeft het woord / spreker" in result.stdout
    assert "nota.txt" in result.stdout and "geen structuur herkend" in result.stdout
    shown = run(["show", "debat.txt"], env)
    assert "structuur herkend aan: heeft het woord / spreker" in shown.stdout
    assert "[Minister Aerts, minister]" in shown.stdout
    manifest = tmp_path / "manifest.jsonl"
    rows = [
        {
            "file": "debat.txt",
            "genre": "committee_exchange",
            "asker": "Vos",
            "minister": "Aerts",
            "speakers": [
                {"name": n, "role": r}
                for n, r in [
                    ("De voorzitter", "chair"),
                    ("Mevrouw Vos", "member"),
                    ("De voorzitter", "chair"),
                    ("Minister Aerts", "minister"),
                ]
            ],
        },
        {"file": "ontbreekt.txt", "genre": "letter", "date": "1 mei 2030"},
    ]
    manifest.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    evaluated = run(["eval-structure", str(manifest)], env)
    assert evaluated.returncode == 0
    assert "| committee_exchange | 1 | – | – | 1/1 | 1/1 | 1/1 | – | 1/1 |" in evaluated.stdout
    assert "ontbreekt.txt: niet in de index; datum: verwacht 1 mei 2030" in evaluated.stdout
