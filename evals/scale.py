"""`vraagbaak bench-scale`: Vraagbaak on an archive of N synthetic documents (evals/synth.py) plus the
bundled corpus, in a fresh home, measured in one run:

- fresh ingest (in a child process, so its peak memory is its own): documents/s, chunks/s, the
  share of the time spent embedding, peak RSS, the index on disk; the pipeline's embedding rate
  next to a raw sentence-transformers encode of a sample of the same texts;
- serving (a real `vraagbaak serve`): start-up until the first answer, RSS, query p50/p95 over the
  bundled dev questions and the synthetic known-answer ones, accuracy on both, and the dev set's
  accuracy on the five-document index beside it;
- incremental: adding one document through the serving app, and removing it, until the next
  question sees the change.

With `chroma_url="start"` the vectors live in a `chroma run` server on loopback that the bench
starts and stops. Talks to the app as its users do (HTTP, the control socket); imports nothing of
app/.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

from index.catalog import Catalog
from index.library import IndexSettings

from .hardening import CORPUS, REPO, Server, cli
from .scoring import Question, load_questions, score
from .synth import generate

DEV_SET = REPO / "evals" / "sets" / "dev.jsonl"
QUESTIONS_AT_LEAST = 200


def run_scale(
    settings: IndexSettings, documents: int, work: Path, chroma_url: str | None = None, seed: int = 0
) -> dict:
    """Every figure of the bench under the issue's keys (nested: section -> key -> value)."""
    work.mkdir(parents=True, exist_ok=True)
    archive = generate(documents, work / f"synth-{documents}-s{seed}", seed)
    home = work / f"home-{documents}{'-chroma' if chroma_url else ''}"
    shutil.rmtree(home, ignore_errors=True)
    chroma = _ChromaServer(work / f"chroma-{documents}") if chroma_url == "start" else None
    url = chroma.url if chroma else chroma_url
    try:
        env = bench_env(home, settings, url)
        figures = {"documents": documents + len(list(CORPUS.iterdir()))}
        figures["ingest"] = _ingest(home, settings, url, [archive.documents, CORPUS])
        figures["ingest"]["disk_mb"] = _disk_mb(home)
        synthetic = load_questions(archive.questions)
        figures |= _serve(home, env, synthetic, archive)
        figures["accuracy"]["dev_small"] = _dev_small(work, env)
    finally:
        if chroma:
            chroma.stop()
    return figures


def run_serving(settings: IndexSettings, documents: int, work: Path, home: Path, seed: int = 0) -> dict:
    """The serving figures alone, on an archive already ingested into `home` (an ingest that was
    stopped, or one to measure again): the known-answer questions about the documents it holds."""
    archive = generate(documents, work / f"synth-{documents}-s{seed}", seed)
    held = Catalog(home / "catalog.sqlite").versions()
    synthetic = [q for q in load_questions(archive.questions) if q.sources and set(q.sources) <= set(held)]
    figures = {"documents": len(held)} | _serve(home, bench_env(home, settings, None), synthetic, archive)
    figures["accuracy"]["synthetic_questions"] = len(synthetic)
    return figures


def bench_env(home: Path, settings: IndexSettings, chroma_url: str | None) -> dict[str, str]:
    """The environment a bench's CLI and app processes run in: this home, this model cache."""
    env = {**os.environ, "VRAAGBAAK_HOME": str(home), "VRAAGBAAK_MODEL_CACHE": str(settings.models_dir)}
    env.pop("VRAAGBAAK_CHROMA_URL", None)
    if chroma_url:
        env["VRAAGBAAK_CHROMA_URL"] = chroma_url
    return env


def _ingest(home: Path, settings: IndexSettings, chroma_url: str | None, paths: list[Path]) -> dict:
    """The fresh ingest in a child process; its figures come back as JSON on its stdout."""
    request = {
        "home": str(home),
        "models": str(settings.models_dir),
        "chroma_url": chroma_url,
        "paths": [str(p) for p in paths],
    }
    done = subprocess.run(
        [sys.executable, "-m", "evals.scale_ingest", json.dumps(request)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    if done.returncode != 0:
        raise RuntimeError(f"ingest failed: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _disk_mb(home: Path) -> float:
    return round(sum(p.stat().st_size for p in home.rglob("*") if p.is_file()) / 2**20, 1)


def _serve(home: Path, env: dict[str, str], synthetic: list[Question], archive) -> dict:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    server = Server(home, env)
    try:
        control = _Control(home)
        control.ask("Hoeveel doorstromers waren er?")  # the first answer: start-up is over
        start_s = time.perf_counter() - started
        dev = load_questions(DEV_SET)
        extra = _more_questions(QUESTIONS_AT_LEAST - len(dev) - len(synthetic))
        asked = _ask_all(control, dev + synthetic + extra)
        _write_predictions(home.parent / f"predictions-{home.name}.jsonl", asked)
        dev_scores = score(dev, asked)
        synthetic_scores = score(synthetic, asked)
        latencies = sorted(p["latency_ms"] for p in asked.values())
        figures = {
            "serve": {
                "p50_ms": round(_percentile(latencies, 50), 1),
                "p95_ms": round(_percentile(latencies, 95), 1),
                "rss_mb": round(server.rss_mb(), 1),
                "start_s": round(start_s, 1),
                "questions": len(latencies),
            },
            "accuracy": {"dev_large": _accuracy(dev_scores), "synthetic": _accuracy(synthetic_scores)},
        }
        figures["incremental"] = _incremental(control, archive, synthetic)
        return figures
    finally:
        server.stop()


def _more_questions(count: int) -> list[Question]:
    """Held-aside questions of the bundled corpus, for timing only (at least `count`)."""
    found: list[Question] = []
    for path in sorted((REPO / "evals" / "sets").glob("heldout*.jsonl")):
        if len(found) >= count:
            break
        found += [replace(q, id=f"{path.stem}:{q.id}") for q in load_questions(path)]
    return found[: max(0, count)]


def _write_predictions(path: Path, asked: dict[str, dict]) -> None:
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in asked.values()), "utf-8")


def _ask_all(control: _Control, questions: list[Question]) -> dict[str, dict]:
    return {q.id: {"id": q.id, "question": q.question, **control.ask(q.question)} for q in questions}


def _accuracy(scores) -> float:  # type: ignore[no-untyped-def]
    return round(sum(o.correct for o in scores.outcomes) / max(1, len(scores.outcomes)), 3)


def _percentile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def _incremental(control: _Control, archive, synthetic: list[Question]) -> dict:  # type: ignore[no-untyped-def]
    """Add one document (a copy of a sampled one under a new name) through the app, then remove it,
    each timed until a question about it sees the change."""
    probe = next(q for q in synthetic if q.sources)
    original = archive.documents / probe.sources[0]
    added = archive.documents.parent / f"toegevoegd-{original.name}"
    added.write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    started = time.perf_counter()
    control.request({"command": "ingest", "paths": [str(added)]})
    seen_add = _until(control, probe.question, lambda sources: added.name in sources)
    add_s = time.perf_counter() - started
    started = time.perf_counter()
    control.request({"command": "remove", "source": added.name})
    seen_remove = _until(control, probe.question, lambda sources: added.name not in sources)
    remove_s = time.perf_counter() - started
    added.unlink()
    return {"add_s": round(add_s, 2), "remove_s": round(remove_s, 2), "seen": seen_add and seen_remove}


def _until(control: _Control, question: str, holds, tries: int = 20) -> bool:  # type: ignore[no-untyped-def]
    for _ in range(tries):
        answer = control.ask(question)
        if holds({c["source"] for c in answer.get("citations", [])}):
            return True
    return False


def _dev_small(work: Path, env: dict[str, str]) -> float:
    """The dev set's accuracy on an index of the five bundled documents only."""
    home = work / "home-bundled"
    small = {**env, "VRAAGBAAK_HOME": str(home)}
    small.pop("VRAAGBAAK_CHROMA_URL", None)
    cli(["ingest", "--quiet", str(CORPUS)], small)
    out = work / "dev-small.jsonl"
    cli(["eval", str(DEV_SET), "--out", str(out)], small)
    predictions = {p["id"]: p for p in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    return _accuracy(score(load_questions(DEV_SET), predictions))


class _Control:
    """The serving app's control socket (app/control.py's protocol: one JSON line each way)."""

    def __init__(self, home: Path) -> None:
        for _ in range(600):
            info = home / "serving.json"
            if info.exists():
                self.path = json.loads(info.read_text(encoding="utf-8"))["socket"]
                return
            time.sleep(0.1)
        raise RuntimeError("the app did not open its control socket")

    def request(self, payload: dict) -> dict:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(self.path)
            connection.sendall(json.dumps(payload).encode() + b"\n")
            reply = json.loads(connection.makefile("rb").readline())
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply

    def ask(self, question: str) -> dict:
        return self.request({"command": "ask", "question": question})["answer"]


class _ChromaServer:
    def __init__(self, data: Path) -> None:
        shutil.rmtree(data, ignore_errors=True)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        chroma = str(Path(sys.executable).parent / "chroma")
        log = (data.parent / "chroma.log").open("w")
        self.process = subprocess.Popen(
            [chroma, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=log,
        )
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2)
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("chroma server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def peak_rss_mb() -> float:
    """This process's and its waited-for children's peak resident memory."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def flat(figures: dict) -> dict:
    """`section.key` -> value, as `--json` writes them."""
    return {
        f"{section}.{key}": value
        for section, values in figures.items()
        if isinstance(values, dict)
        for key, value in values.items()
    } | {k: v for k, v in figures.items() if not isinstance(v, dict)}


def format_figures(runs: dict[str, dict]) -> str:
    """The runs side by side, one row per key."""
    names = list(runs)
    keys = list(flat(runs[names[0]]))
    lines = [f"{'':32}" + "".join(f"{name:>16}" for name in names)]
    for key in keys:
        lines.append(f"{key:32}" + "".join(f"{str(flat(runs[n]).get(key, '')):>16}" for n in names))
    return "\n".join(lines)
