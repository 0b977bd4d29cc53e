"""`vraagbaak bench-reliability`: reliability at scale, measured (the scale issue's point 4).

- **Killed ingests.** A fresh ingest of N synthetic documents (evals/synth.py) is killed with
  SIGKILL at a random moment, K times over, then run to its end. After each kill every committed
  document is in the catalog once and every committed chunk has its vector; no run reads a document
  again that an earlier run committed (it is "ongewijzigd"); the chunk vectors that killed runs had
  stored before their documents were committed are counted as re-used. At the end the catalog,
  the vectors and the keyword index agree (evals/stores.py).
- **Uploads during questions.** A real `vraagbaak serve` on that archive; A askers question it
  through /antwoord, first idle, then while U more documents are uploaded through the app
  (`vraagbaak ingest` hands them to it). Failed questions and each phase's p95 are counted.

Talks to the app and the CLI as users do (subprocesses, HTTP); imports nothing of app/.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from index.library import IndexSettings

from .hardening import REPO, VRAAGBAAK, Askers, Server, cli, dev_questions, proc_stat
from .scale import bench_env
from .stores import agree, store_state
from .synth import generate

KILL_WITHIN_S = 120.0  # a kill comes at a uniformly random moment this long after its run starts
IDLE_S = 60.0  # how long the askers question the idle app
ORPHAN_GRACE_S = 10.0  # a killed ingest's worker must be gone this soon after it
INGESTED_RE = re.compile(r"ingested (.+): (\d+) chunks, (\d+) embedded$")


@dataclass
class _Run:
    """One `vraagbaak ingest` run: what it committed and embedded, and whether it was killed."""

    committed: list[str] = field(default_factory=list)
    embedded: int = 0  # chunk vectors embedded for the documents it committed
    killed: bool = False
    orphans: int = 0  # its child processes (the parser worker) still alive 10 s after the kill
    seconds: float = 0.0


def killed_ingests(
    documents: Path, home: Path, env: dict[str, str], kills: int, seed: int, kill_within_s: float
) -> dict:
    """Ingest `documents` into a fresh `home`, killed `kills` times at random moments (up to
    `kill_within_s` after a run starts; a run that ends first is not killed), then to the end."""
    shutil.rmtree(home, ignore_errors=True)
    chance = random.Random(seed)
    committed: set[str] = set()
    read_again = broken_after_kill = 0
    runs: list[_Run] = []
    while True:
        kill_after = chance.uniform(1.0, kill_within_s) if len(runs) < kills else None
        run = _ingest_run(documents, env, kill_after)
        runs.append(run)
        read_again += len(committed.intersection(run.committed))
        committed.update(run.committed)
        if not run.killed:
            break
        state = store_state(home, refresh=False)  # as the kill left it: no reader has mended it
        broken_after_kill += state["documents"] != state["distinct_sources"] or state["missing_vectors"] > 0
    final = store_state(home, refresh=False)
    embedded = sum(r.embedded for r in runs)
    return {
        "documents": final["documents"],
        "kills": sum(r.killed for r in runs),
        "runs": len(runs),
        "stores_agree": agree(final),
        "kills_leaving_a_document_twice_or_without_vectors": broken_after_kill,
        "committed_documents_read_again": read_again,
        "processes_left_running_after_kills": sum(r.orphans for r in runs),
        "chunk_vectors_embedded": embedded,
        "chunk_vectors_reused_after_a_kill": final["chunks"] - embedded,
        "chunks": final["chunks"],
        "seconds": round(sum(r.seconds for r in runs), 1),
    }


def _ingest_run(documents: Path, env: dict[str, str], kill_after: float | None) -> _Run:
    """One ingest, killed with SIGKILL after `kill_after` seconds unless it ends first."""
    run = _Run()
    started = time.perf_counter()
    process = subprocess.Popen(
        [*VRAAGBAAK, "-v", "ingest", "--quiet", str(documents)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    reader = threading.Thread(target=_read_log, args=(process, run))
    reader.start()
    try:
        process.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        children = child_processes(process.pid)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        run.orphans = len(outliving(children, ORPHAN_GRACE_S))
        for pid in outliving(children, 0):  # so that the bench goes on (and counts them)
            os.kill(pid, signal.SIGKILL)
    reader.join()
    run.killed = process.returncode == -signal.SIGKILL
    run.seconds = time.perf_counter() - started
    if process.returncode not in (0, -signal.SIGKILL):
        raise RuntimeError(f"ingest ended with exit code {process.returncode}")
    return run


def child_processes(pid: int) -> list[int]:
    """The processes `pid` started (the parser worker, multiprocessing's resource tracker)."""
    found = []
    for folder in Path("/proc").glob("[0-9]*"):
        try:
            parent = int(proc_stat(int(folder.name))[1])
        except OSError:
            continue
        if parent == pid:
            found.append(int(folder.name))
    return found


def outliving(pids: list[int], seconds: float) -> list[int]:
    """Those of `pids` still running after up to `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        alive = [pid for pid in pids if _running(pid)]
        if not alive or time.monotonic() >= deadline:
            return alive
        time.sleep(0.2)


def _running(pid: int) -> bool:
    try:
        return proc_stat(pid)[0] != "Z"
    except OSError:
        return False


def _read_log(process: subprocess.Popen, run: _Run) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        found = INGESTED_RE.search(line.rstrip())
        if found:
            run.committed.append(found.group(1))
            run.embedded += int(found.group(3))


def uploads_during_questions(home: Path, env: dict[str, str], uploads: Path, askers: int) -> dict:
    """`askers` colleagues question the serving app, idle and then while `uploads` are uploaded."""
    server = Server(home, env)
    try:
        questions = dev_questions()
        idle = Askers(server, questions, askers)
        time.sleep(IDLE_S)
        idle_answered, idle_failed, idle_p95 = idle.stop()
        during = Askers(server, questions, askers)
        started = time.perf_counter()
        upload = cli(["ingest", "--quiet", str(uploads)], server.env, timeout=7200)
        upload_s = time.perf_counter() - started
        answered, failed, p95 = during.stop()
    finally:
        server.stop()
    counts = dict(re.findall(r"(ingelezen|overgeslagen): (\d+)", upload.stdout))
    return {
        "askers": askers,
        "idle": {"answered": idle_answered, "failed": idle_failed, "p95_ms": round(idle_p95, 1)},
        "during_upload": {"answered": answered, "failed": failed, "p95_ms": round(p95, 1)},
        "p95_ratio": round(p95 / idle_p95, 2) if idle_p95 else None,
        "uploaded": int(counts.get("ingelezen", 0)),
        "upload_skipped": int(counts.get("overgeslagen", 0)),
        "upload_exit_code": upload.returncode,
        "upload_s": round(upload_s, 1),
        "failures": (idle.failures + during.failures)[:5],
    }


def run_reliability(  # noqa: PLR0913 (the bench's knobs)
    settings: IndexSettings,
    documents: int,
    kills: int,
    uploads: int,
    askers: int,
    work: Path,
    seed: int = 0,
    kill_within_s: float = KILL_WITHIN_S,
) -> dict:
    """Both measurements on one archive: `documents` ingested under kills, then `uploads` more
    uploaded through the serving app while `askers` question it."""
    work.mkdir(parents=True, exist_ok=True)
    archive = generate(documents + uploads, work / f"synth-{documents + uploads}-s{seed}", seed)
    first, later = work / "archive", work / "uploads"
    for folder in (first, later):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
    for number, path in enumerate(sorted(archive.documents.iterdir())):
        (first if number < documents else later).joinpath(path.name).symlink_to(path.resolve())
    home = work / f"home-{documents}"
    env = bench_env(home, settings, chroma_url=None)
    return {
        "killed_ingests": killed_ingests(first, home, env, kills, seed, kill_within_s),
        "uploads_during_questions": uploads_during_questions(home, env, later, askers),
    }


def format_reliability(figures: dict) -> str:
    kills, load = figures["killed_ingests"], figures["uploads_during_questions"]
    return "\n".join(
        [
            f"Ingest van {kills['documents']} documenten, {kills['kills']} keer gedood (SIGKILL), "
            f"{kills['runs']} runs, {kills['seconds']:.0f} s:",
            f"  opslagen in overeenstemming na de laatste run: {'ja' if kills['stores_agree'] else 'NEE'}",
            "  kills die een document dubbel of zonder vectoren achterlieten: "
            f"{kills['kills_leaving_a_document_twice_or_without_vectors']}",
            f"  vastgelegde documenten opnieuw ingelezen: {kills['committed_documents_read_again']}",
            f"  processen die na een kill bleven draaien: {kills['processes_left_running_after_kills']}",
            f"  chunkvectoren ingebed: {kills['chunk_vectors_embedded']} voor {kills['chunks']} chunks "
            f"({kills['chunk_vectors_reused_after_a_kill']} hergebruikt van gedode runs)",
            f"{load['askers']} vragenstellers, {load['uploaded']} documenten opgeladen via de app "
            f"in {load['upload_s']:.0f} s (exitcode {load['upload_exit_code']}):",
            f"  rustig: {load['idle']['answered']} beantwoord, {load['idle']['failed']} mislukt, "
            f"p95 {load['idle']['p95_ms']:.0f} ms",
            f"  tijdens het opladen: {load['during_upload']['answered']} beantwoord, "
            f"{load['during_upload']['failed']} mislukt, p95 {load['during_upload']['p95_ms']:.0f} ms "
            f"({load['p95_ratio']}× rustig)",
        ]
    )
