"""What the app keeps of users' files: uploads go once ingested, downloads expire (app/retention.py).

The expiry functions on real folders with back-dated files; the upload's life in a real server,
driven by headless Chromium, its file URL fetched over real HTTP.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import httpx
import pytest

from app.retention import (
    discard_uploads,
    expire,
    expire_served,
    expire_upload_cache,
    max_age,
    new_download_folder,
)
from tests.conftest import start_server

HOUR = 3600
OLD = "a" * 64  # names as Gradio gives its per-file folders (sha256 hex)
FRESH = "b" * 64
MARKER = "kringloopfietsen-bewaartermijn"  # a word only the uploaded document holds
UPLOADED_DOCUMENT = f"""Fietsdelen in de sociale economie

1. Hoeveel {MARKER} telt de lokale diensteneconomie in Leuven?

Antwoord

1. De lokale diensteneconomie telt in Leuven zeven {MARKER}.
"""


def back_date(path: Path, seconds: float) -> None:
    """Set the modification time of `path` (and of everything in it) `seconds` in the past."""
    then = time.time() - seconds
    for inner in [*path.rglob("*"), path] if path.is_dir() else [path]:
        os.utime(inner, (then, then))


def make_file(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- the expiry functions --------------------------------------------------------------


def test_expire_removes_only_what_is_older_than_the_max_age(tmp_path):
    old_folder = make_file(tmp_path / "old" / "tabel.csv").parent
    old_file = make_file(tmp_path / "oud.jsonl")
    fresh_folder = make_file(tmp_path / "fresh" / "tabel.csv").parent
    rewritten = make_file(tmp_path / "rewritten" / "ontwerp.docx").parent
    for path in (old_folder, old_file, rewritten):
        back_date(path, 2 * HOUR)
    make_file(rewritten / "ontwerp.docx", "new")  # written again just now: the folder is in use
    assert expire(tmp_path, age=HOUR) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh", "rewritten"]
    assert (fresh_folder / "tabel.csv").exists()
    assert expire(tmp_path / "missing", age=HOUR) == 0  # no folder yet: nothing to do


def test_the_max_age_is_an_hour_unless_the_environment_says_otherwise(monkeypatch):
    monkeypatch.delenv("VRAAGBAAK_DOWNLOAD_HOURS", raising=False)
    assert max_age() == HOUR
    monkeypatch.setenv("VRAAGBAAK_DOWNLOAD_HOURS", "0.5")
    assert max_age() == HOUR / 2
    monkeypatch.setenv("VRAAGBAAK_DOWNLOAD_HOURS", "een uur")
    assert max_age() == HOUR


def test_a_new_download_folder_expires_the_old_ones(tmp_path, monkeypatch):
    monkeypatch.delenv("VRAAGBAAK_DOWNLOAD_HOURS", raising=False)
    old = make_file(tmp_path / "old" / "voorspellingen.jsonl").parent
    back_date(old, 2 * HOUR)
    folder = new_download_folder(tmp_path)
    assert folder.is_dir() and folder.parent == tmp_path
    assert not old.exists()


def test_only_uploads_inside_gradios_hashed_folders_are_discarded(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    upload = make_file(tmp_path / "gradio" / OLD / "antwoord.txt")
    shared = make_file(tmp_path / "gradio" / FRESH / "a.txt")
    neighbour = make_file(tmp_path / "gradio" / FRESH / "b.txt")  # same folder, another upload
    unhashed = make_file(tmp_path / "gradio" / "deep_links" / "c.txt")
    outside = make_file(tmp_path / "elders" / OLD / "d.txt")  # the user's own, not Gradio's
    discard_uploads([upload, shared, unhashed, outside])
    assert not upload.parent.exists()  # the file and its emptied folder
    assert not shared.exists() and neighbour.exists()
    assert unhashed.exists() and outside.exists()


def test_the_upload_cache_keeps_recent_and_foreign_entries(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    left_over = make_file(tmp_path / "gradio" / OLD / "crash.pdf").parent
    recent = make_file(tmp_path / "gradio" / FRESH / "nu.pdf").parent
    foreign = make_file(tmp_path / "gradio" / "iets-anders" / "oud.txt").parent
    back_date(left_over, 2 * HOUR)
    back_date(foreign, 2 * HOUR)
    assert expire_upload_cache(age=HOUR) == 1
    assert not left_over.exists() and recent.exists() and foreign.exists()


def test_files_gradio_serves_for_the_app_expire_and_leave_its_lists(tmp_path, monkeypatch):
    import gradio as gr

    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    with gr.Blocks() as blocks:
        gr.Markdown("leeg")
    old = make_file(tmp_path / "gradio" / OLD / "tabel.csv")
    fresh = make_file(tmp_path / "gradio" / FRESH / "tabel.xlsx")
    gone = str(tmp_path / "gradio" / FRESH / "weg.csv")
    back_date(old, 2 * HOUR)
    blocks.upload_file_set.update({str(old), str(fresh), gone})
    assert expire_served(blocks, age=HOUR) == 1
    assert not old.exists() and fresh.exists()
    assert blocks.upload_file_set == {str(fresh)}


# --- a real server ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory, cli_env):
    """A served empty index with its own upload folder, seeded with leftovers of an earlier run."""
    root = tmp_path_factory.mktemp("retention")
    home, uploads = root / "index", root / "gradio-uploads"
    leftovers = {
        "old download": make_file(home / "downloads" / "oud" / "tabel.csv").parent,
        "old upload": make_file(uploads / OLD / "crash.txt").parent,
    }
    kept = {
        "recent download": make_file(home / "downloads" / "nieuw" / "tabel.csv").parent,
        "recent upload": make_file(uploads / FRESH / "nu.txt").parent,
        "foreign folder": make_file(uploads / "iets-anders" / "oud.txt").parent,
    }
    for path in (leftovers["old download"], leftovers["old upload"], kept["foreign folder"]):
        back_date(path, 2 * HOUR)
    process, url = start_server(home, cli_env, {"GRADIO_TEMP_DIR": str(uploads)})
    yield {"url": url, "home": home, "uploads": uploads, "leftovers": leftovers, "kept": kept}
    process.terminate()
    process.wait(timeout=30)


@pytest.mark.slow
def test_leftovers_of_an_earlier_run_are_cleaned_at_start(server):
    deadline = time.monotonic() + 30  # the sweeper's first pass runs beside the starting server
    while any(path.exists() for path in server["leftovers"].values()) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert [name for name, path in server["leftovers"].items() if path.exists()] == []
    assert [name for name, path in server["kept"].items() if not path.exists()] == []


@pytest.mark.slow
def test_an_upload_is_not_served_after_ingest_nor_anything_after_removal(server, browser, tmp_path):
    document = make_file(tmp_path / "bewaartermijn_fietsen.txt", UPLOADED_DOCUMENT)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-BE")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(server["url"])
    page.get_by_role("tab", name="Documenten").click()
    with page.expect_response(lambda r: "/gradio_api/upload" in r.url and r.request.method == "POST") as sent:
        page.locator("#vb-upload input[type=file]").set_input_files(str(document))
    [uploaded] = sent.value.json()  # the server path Gradio gave the upload
    file_url = f"{server['url']}gradio_api/file={uploaded}"
    listed = page.locator("#vb-upload td.filename")
    listed.wait_for()  # the field holds it
    served = httpx.get(file_url, timeout=30)
    assert served.status_code == 200 and MARKER in served.text  # served while it waits for ingest

    page.locator("#vb-ingest").click()
    page.locator("#vb-ingest-report").get_by_text(f"{document.name}: ingelezen").wait_for()
    assert httpx.get(file_url, timeout=30).status_code in (403, 404)
    assert not Path(uploaded).exists() and not Path(uploaded).parent.exists()
    listed.wait_for(state="detached")  # the field is emptied

    page.locator("#vb-remove-choice input").click()
    page.get_by_role("option", name=re.compile(re.escape(document.name))).click()
    page.locator("#vb-remove").click()
    page.locator("#vb-ingest-report").get_by_text("is verwijderd").wait_for()
    context.close()
    assert httpx.get(file_url, timeout=30).status_code in (403, 404)
    holding = [
        path
        for folder in (server["uploads"], server["home"] / "downloads")
        for path in folder.rglob("*")
        if path.is_file() and MARKER in path.read_text(encoding="utf-8", errors="ignore")
    ]
    assert holding == []  # no copy of it is left where the app serves files from
