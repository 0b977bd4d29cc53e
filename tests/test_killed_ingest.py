"""A real ingest killed mid-way leaves the document fully at its old version."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO, VRAAGBAAK

pytestmark = pytest.mark.slow


def long_document(version: str) -> str:
    paragraphs = [
        f"Alinea {i} ({version}): in project {7700 + i} stroomden {i % 17 + 3} doelgroepwerknemers door naar "
        f"het normaal economisch circuit, na een traject van {i % 9 + 3} maanden met begeleiding door de "
        f"doorstroompartner en een stage bij een reguliere werkgever in de provincie "
        f"{['Antwerpen', 'Limburg', 'Oost-Vlaanderen'][i % 3]}."
        for i in range(360)
    ]
    return "Overzicht van de doorstroomtrajecten\n\n" + "\n\n".join(paragraphs) + "\n"


def run(args, env, **kwargs):
    return subprocess.run([*VRAAGBAAK, *args], cwd=REPO, env=env, capture_output=True, text=True, **kwargs)


def inspect(home, source, env):
    out = subprocess.run(
        [sys.executable, "-m", "tests.inspect_home", str(home), source],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_killed_ingest_keeps_the_old_version(tmp_path, cli_env):
    env = {**cli_env, "VRAAGBAAK_HOME": str(tmp_path / "home")}
    path = tmp_path / "overzicht.txt"
    path.write_text(long_document("oud"), encoding="utf-8")
    first = run(["ingest", "--quiet", str(path)], env, timeout=600)
    assert first.returncode == 0, first.stderr
    old = inspect(tmp_path / "home", path.name, env)
    assert old["chunks"] > 64 and old["missing_vectors"] == 0

    path.write_text(long_document("nieuw"), encoding="utf-8")
    process = subprocess.Popen(
        [*VRAAGBAAK, "-v", "ingest", "--quiet", str(path)],
        cwd=REPO,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 300
    assert process.stderr is not None
    for line in process.stderr:  # kill once the first batches of new vectors (32 or more) are stored
        stored = re.search(r"embedded (\d+)/\d+ texts", line)
        if stored and int(stored.group(1)) >= 32:
            os.kill(process.pid, signal.SIGKILL)
            break
        assert time.monotonic() < deadline
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    after_kill = inspect(tmp_path / "home", path.name, env)
    assert after_kill["version"] == old["version"]
    assert after_kill["text_prefix"] == old["text_prefix"] and after_kill["chunks"] == old["chunks"]
    assert after_kill["versions_in_text"] == ["oud"]
    assert after_kill["missing_vectors"] == 0  # every live chunk still has its vector
    assert after_kill["orphan_vectors"] >= 32  # the new version's vectors are there, but not live

    search = run(
        ["ask", "--json", "Wat gebeurde er in project 7705 met de doelgroepwerknemers?"], env, timeout=600
    )
    assert search.returncode == 0, search.stderr
    cited = json.loads(search.stdout)["citations"]
    assert cited and all("(oud)" in c["text"] and "(nieuw)" not in c["text"] for c in cited)

    finished = run(["ingest", "--quiet", str(path)], env, timeout=600)
    assert finished.returncode == 0, finished.stderr
    final = inspect(tmp_path / "home", path.name, env)
    assert final["version"] != old["version"] and final["versions_in_text"] == ["nieuw"]
    assert final["orphan_vectors"] == 0 and final["missing_vectors"] == 0
