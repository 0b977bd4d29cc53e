"""Shared fixtures: the bundled corpus, the real embedding model (loaded once), fresh libraries."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from app.config import model_cache

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "data" / "corpus"
# One converted model for the whole suite, the app's own per-user cache (`make model` fills it)
MODEL_CACHE = model_cache()

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def embedder():
    from index.embedder import Embedder, EmbeddingSettings

    return Embedder(EmbeddingSettings(), MODEL_CACHE)


@pytest.fixture(scope="session")
def corpus_library(tmp_path_factory, embedder):
    """The bundled corpus ingested once, with the real model, for the read-only tests."""
    from index.indexer import ingest_paths
    from index.library import IndexSettings, open_library

    library = open_library(
        IndexSettings(home=tmp_path_factory.mktemp("corpus"), model_cache=MODEL_CACHE), embedder=embedder
    )
    ingest_paths(library, [CORPUS])
    yield library
    library.close()


@pytest.fixture()
def make_library(tmp_path, embedder):
    """Factory for a fresh library in a temporary home, sharing the loaded model."""
    from index.library import IndexSettings, open_library

    opened = []

    def factory(name: str = "home", chroma_url: str | None = None):
        settings = IndexSettings(home=tmp_path / name, chroma_url=chroma_url, model_cache=MODEL_CACHE)
        library = open_library(settings, embedder=embedder)
        opened.append(library)
        return library

    yield factory
    for library in opened:
        library.close()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's) through Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def cli_env() -> dict[str, str]:
    """Environment for running the real `vraagbaak` entry point in a subprocess."""
    env = dict(os.environ)
    env["VRAAGBAAK_MODEL_CACHE"] = str(MODEL_CACHE)
    env["PYTHONUNBUFFERED"] = "1"
    return env


VRAAGBAAK = [sys.executable, "-m", "app.cli"]


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(  # type: ignore[no-untyped-def]
    home: Path, env: dict[str, str], extra_env: dict[str, str] | None = None
):
    """`vraagbaak serve` on a free loopback port, as a subprocess; returns (process, url) once it answers."""
    import subprocess

    port = free_port()
    server_env = {**env, "VRAAGBAAK_HOME": str(home), **(extra_env or {})}
    log = (home.parent / f"serve-{port}.log").open("w")
    process = subprocess.Popen(
        [*VRAAGBAAK, "serve", "--port", str(port)],
        cwd=REPO,
        env=server_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    wait_until_serving(process, url, home.parent / f"serve-{port}.log")
    return process, url


def wait_until_serving(  # type: ignore[no-untyped-def]
    process, url: str, log: Path, seconds: float = 180
) -> None:
    """Until `url` answers; a server that stops or stays silent fails with its log."""
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server stopped: {log.read_text()}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"server did not answer within {seconds:.0f} s: {log.read_text()}")


@pytest.fixture(scope="session")
def served(tmp_path_factory, cli_env):
    """The app, served by the real entry point on loopback, over the ingested bundled corpus."""
    import subprocess

    home = tmp_path_factory.mktemp("served") / "index"
    env = {**cli_env, "VRAAGBAAK_HOME": str(home)}
    subprocess.run(
        [*VRAAGBAAK, "ingest", "--quiet", str(CORPUS)],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    process, url = start_server(home, cli_env)
    yield url
    process.terminate()
    process.wait(timeout=30)
