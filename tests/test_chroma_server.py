"""The same ingest and query against a real `chroma run` server on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from index.indexer import ingest_paths

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def chroma_server(tmp_path):
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert chroma, "the chroma CLI comes with the chromadb package"
    port = free_port()
    log = (tmp_path / "chroma.log").open("w")
    process = subprocess.Popen(
        [chroma, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"chroma server did not start: {(tmp_path / 'chroma.log').read_text()[-2000:]}")
            time.sleep(0.3)
    yield url
    process.terminate()
    process.wait(timeout=20)


def test_ingest_and_query_through_a_chroma_server(make_library, corpus_dir, chroma_server):
    files = [corpus_dir / "002_fcbfb653e6343493.txt", corpus_dir / "004_4c85195832e1aa21.txt"]
    remote = make_library("remote", chroma_url=chroma_server)
    local = make_library("local")
    for library in (remote, local):
        report = ingest_paths(library, files)
        assert [o.status for o in report.outcomes] == ["ingested", "ingested"]
    assert remote.vectors.count() == local.vectors.count() == remote.catalog.chunk_count()

    question = "Waarom telt enclavewerking niet als doorstroom?"
    remote_hits = [(h.chunk.id, h.vector_rank) for h in remote.search(question, k=5)]
    local_hits = [(h.chunk.id, h.vector_rank) for h in local.search(question, k=5)]
    assert remote_hits == local_hits
    assert remote.search(question, k=1)[0].chunk.section == "antwoord 9"

    again = ingest_paths(remote, files)
    assert again.embedded == 0
