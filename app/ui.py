"""The Gradio app: chat with cited passages and tables, documents, table browser, evaluation.

Only wiring: every answer comes from `Answerer`, every listing from the library, every
rendering from `app/views.py`. The model is loaded once, by the caller; questions run
in parallel (a queue with a concurrency limit), an upload or an eval run in their own lane
so that questions go on meanwhile.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
import pandas as pd

from evals import baselines
from evals.harness import draw_chart, failures_list, run, scores_table, write_predictions
from evals.scoring import load_questions
from index.indexer import ingest_paths, remove_document
from index.library import Library
from ingest.errors import VraagbaakError
from ingest.load import SUPPORTED_SUFFIXES, load
from ingest.model import Answer

from .answer import Answerer
from .draft import Drafter, to_markdown, write_docx_from_markdown
from .draft.word import WRITER_MARK_RE
from .render import structure_note
from .retention import discard_uploads, new_download_folder
from .views import (
    DOCUMENT_HEADERS,
    Grid,
    chat_message,
    document_choices,
    document_rows,
    precedents_markdown,
    sources_html,
    table_choices,
    table_grid,
)

EXAMPLES = [
    "Hoeveel LDE-doorstromers woonden in 2023 in Antwerpen?",
    "Hoeveel screenings voor doorstroom waren er in 2023 in West-Vlaanderen bij CMW?",
    "Wat was de bedoeling van ESF-oproep 380?",
    "Wie ondertekende het SERV-advies als voorzitter?",
    "Waarom werden de externe doorstroomtrajecten tijdens de coronacrisis opgeschort?",
]
QUESTION_CONCURRENCY = 4  # parallel questions; the model is shared, two cores do the work
MAX_UPLOAD = "20mb"
CSS = """
.vb-source { border-left: 3px solid #8aa; padding: 0.4em 0.8em; margin: 0.6em 0; }
.vb-source-head { font-size: 0.9em; margin-bottom: 0.3em; }
.vb-passage { font-size: 0.92em; line-height: 1.45; }
mark.vb-cited { background: #ffe58a; padding: 0 2px; }
/* tables: headers wrap at word boundaries only, columns keep a readable width, the grid scrolls */
#vb-table table, #vb-table-grid table, #vb-documents table { table-layout: auto !important; }
#vb-table th, #vb-table td, #vb-table-grid th, #vb-table-grid td, #vb-documents th {
  min-width: 6.5em; word-break: normal !important; overflow-wrap: normal !important; hyphens: none;
}
#vb-table th *, #vb-table-grid th *, #vb-documents th * {
  word-break: normal !important; overflow-wrap: normal !important;
}
#vb-table .table-wrap, #vb-table-grid .table-wrap, #vb-documents .table-wrap { overflow-x: auto; }
"""
MARK_STYLE = "background-color: #ffe58a; font-weight: bold; outline: 2px solid #c90"
UNCERTAIN_STYLE = "background-color: #f6d3d3; font-style: italic"


@dataclass
class Services:
    library: Library
    answerer: Answerer
    drafter: Drafter
    bundled_evals: Path  # the folder with the bundled eval sets
    work_dir: Path  # downloads made for users (tables, predictions)
    polish: Callable[[Answer], Answer] | None = None  # the optional LLM rewrite (VRAAGBAAK_LLM_URL)


log = logging.getLogger(__name__)


def dutch_errors(what: str) -> Callable:
    """A handler whose unexpected failure reaches the user as a Dutch sentence (`what` failed),
    never as the exception's own text; the traceback goes to the server log. A VraagbaakError
    already speaks Dutch and is shown as it is."""

    def decorate(handler: Callable) -> Callable:
        @functools.wraps(handler)
        def guarded(*args, **kwargs):  # type: ignore[no-untyped-def]
            try:
                return handler(*args, **kwargs)
            except gr.Error:
                raise
            except VraagbaakError as error:
                raise gr.Error(str(error)) from None
            except Exception:  # noqa: BLE001 (the user gets a sentence, the log gets the rest)
                log.exception("%s failed", handler.__name__)
                raise gr.Error(
                    f"{what} is niet gelukt door een fout in Vraagbaak; probeer het opnieuw. Blijft het "
                    "misgaan, meld het dan aan de beheerder (de fout staat in het logboek van de server)."
                ) from None

        return guarded

    return decorate


def build_app(services: Services, logout: bool = False) -> gr.Blocks:
    with gr.Blocks(title="Vraagbaak — sociale economie", analytics_enabled=False) as app:
        if logout:  # Gradio's /logout ends the session and goes back to the login page
            gr.HTML('<div style="text-align:right"><a href="/logout">Afmelden</a></div>', elem_id="vb-logout")
        gr.Markdown(
            "# Vraagbaak\nVragen over sociale economie, beantwoord uit de schriftelijke vragen en de "
            "SERV-adviezen, met bronnen."
        )
        changed = gr.State(0)  # bumped after an upload or removal in this page
        with gr.Tabs():
            with gr.Tab("Vragen", id="chat"):
                _chat_tab(services)
            with gr.Tab("Documenten", id="documents"):
                listing, remove_choice = _documents_tab(services, changed)
            with gr.Tab("Tabellen", id="tables"):
                table_document = _tables_tab(services)
            with gr.Tab("Ontwerp van antwoord", id="draft"):
                exclude = _draft_tab(services)
            with gr.Tab("Evaluatie", id="eval"):
                _eval_tab(services)
        # every list is read from the index when a page opens and after every change, in every session
        lists = [listing, remove_choice, table_document, exclude]
        app.load(lambda: _lists(services), None, lists, api_visibility="private")
        changed.change(lambda _: _lists(services), changed, lists, api_visibility="private")

        @dutch_errors("Deze vraag beantwoorden")
        def answer(question: str) -> dict:
            """The answer object (../shared/EVAL_FORMAT.md predictions format) for one question."""
            return services.answerer.answer(question).as_dict()

        gr.api(answer, api_name="antwoord", concurrency_id="vragen", concurrency_limit=QUESTION_CONCURRENCY)
    return app


# --- chat ------------------------------------------------------------------------------


def _chat_tab(services: Services) -> None:
    with gr.Row():
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(label="Gesprek", height=480, elem_id="vb-chat")
            with gr.Row():
                question = gr.Textbox(
                    label="Vraag",
                    placeholder="Stel een vraag, bv. over doorstroom in 2023…",
                    scale=5,
                    elem_id="vb-question",
                )
                send = gr.Button("Vraag", variant="primary", scale=1, elem_id="vb-send")
            gr.Examples(EXAMPLES, inputs=question, label="Voorbeeldvragen")
        with gr.Column(scale=2):
            sources = gr.HTML(elem_id="vb-sources")
            caption = gr.Markdown(visible=False, elem_id="vb-table-caption")
            table = gr.Dataframe(
                visible=False, interactive=False, wrap=True, elem_id="vb-table", label="Tabel"
            )

    @dutch_errors("Deze vraag beantwoorden")
    def respond(message: str, history: list[dict]):  # type: ignore[no-untyped-def]
        message = (message or "").strip()
        if not message:
            return (
                history,
                "",
                gr.HTML("<p>Typ eerst een vraag.</p>"),
                gr.Markdown(visible=False),
                gr.Dataframe(visible=False),
            )
        answer = services.answerer.answer(message)
        answer = services.polish(answer) if services.polish else answer
        documents = services.library.view().documents
        history = [
            *history,
            {"role": "user", "content": message},
            {"role": "assistant", "content": chat_message(answer)},
        ]
        if answer.table is None:
            return (
                history,
                "",
                sources_html(answer, documents),
                gr.Markdown(visible=False),
                gr.Dataframe(visible=False),
            )
        cell = answer.table["cell"]
        grid = table_grid(answer.table, (cell["row"], cell["column"]))
        source = answer.citations[0]
        label = (
            f"**Tabel:** {grid.caption} — {source.title}, {source.section} ({source.source}). "
            f"Gemarkeerd: {cell['row']}, {cell['column']}."
        )
        return (
            history,
            "",
            sources_html(answer, documents),
            gr.Markdown(label, visible=True),
            gr.Dataframe(styled(grid), visible=True),
        )

    outputs = [chatbot, question, sources, caption, table]
    for trigger in (send.click, question.submit):
        trigger(
            respond,
            [question, chatbot],
            outputs,
            api_visibility="private",
            concurrency_id="vragen",
            concurrency_limit=QUESTION_CONCURRENCY,
        )


def styled(grid: Grid):  # type: ignore[no-untyped-def]
    """The grid as a DataFrame styled for gr.Dataframe: the answer's cell and the uncertain cells marked."""
    frame = pd.DataFrame(grid.rows, columns=_unique(grid.headers))

    def marks(_: pd.DataFrame) -> pd.DataFrame:
        styles = pd.DataFrame("", index=frame.index, columns=frame.columns)
        for r, c in grid.uncertain:
            styles.iat[r, c] = UNCERTAIN_STYLE
        for r, c in grid.marked:
            styles.iat[r, c] = MARK_STYLE
        return styles

    return frame.style.apply(marks, axis=None)


def _unique(headers: list[str]) -> list[str]:
    """Column names a DataFrame can hold: empty or repeated headers made distinct."""
    seen: dict[str, int] = {}
    names = []
    for header in headers:
        name = header or "rij"
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


# --- documents -------------------------------------------------------------------------


def _lists(services: Services) -> tuple:
    """The document listing and the three choice lists, as the index holds them now."""
    documents = services.library.documents()
    with_tables = [d for d in documents if d.tables]
    return (
        _document_frame(services, documents),
        gr.Dropdown(choices=document_choices(documents), value=None),
        gr.Dropdown(choices=document_choices(with_tables)),
        gr.Dropdown(choices=document_choices(documents)),
    )


def _documents_tab(services: Services, changed: gr.State) -> tuple[gr.Dataframe, gr.Dropdown]:
    listing = gr.Dataframe(
        headers=DOCUMENT_HEADERS,
        interactive=False,
        wrap=True,
        label="Ingelezen documenten",
        elem_id="vb-documents",
        column_widths=["27%", "11%", "8%", "9%", "8%", "8%", "13%", "16%"],
        max_chars=140,
    )
    with gr.Row():
        with gr.Column():
            upload = gr.File(
                label=f"Nieuwe documenten ({', '.join(SUPPORTED_SUFFIXES)}; max. {MAX_UPLOAD.upper()})",
                file_count="multiple",
                file_types=list(SUPPORTED_SUFFIXES),
                elem_id="vb-upload",
            )
            replace = gr.Checkbox(
                label="Vervang een document met dezelfde bestandsnaam (anders blijven beide bewaard)",
                value=False,
                elem_id="vb-replace",
            )
            add = gr.Button("Inlezen", variant="primary", elem_id="vb-ingest")
        with gr.Column():
            remove_choice = gr.Dropdown(
                choices=[], value=None, label="Document verwijderen", elem_id="vb-remove-choice"
            )
            remove = gr.Button("Verwijderen", variant="stop", elem_id="vb-remove")
    report = gr.Markdown(elem_id="vb-ingest-report")

    @dutch_errors("Het inlezen")
    def ingest(  # type: ignore[no-untyped-def]
        files: list[str] | None,
        replacing: bool,
        generation: int,
        progress=gr.Progress(),  # noqa: B008 (gradio injects it)
    ):
        if not files:
            return "Kies eerst een of meer bestanden.", generation, None
        try:
            outcome = ingest_paths(  # gradio's own copies; the user's file name is the document's name
                services.library,
                [Path(f) for f in files],
                progress=lambda done, total, name: progress((done, total), desc=f"inlezen {name}"),
                replace=bool(replacing),
            )
        finally:  # read or not, an upload is not kept (nor served) after its batch
            discard_uploads(files)
        report = "\n".join(["### Verslag", *map(_outcome_line, outcome.outcomes)])
        return report, generation + 1, None  # the upload field empties: its files are gone

    @dutch_errors("Het verwijderen")
    def remove_one(source: str | None, generation: int):  # type: ignore[no-untyped-def]
        if not source:
            return "Kies eerst een document.", generation
        removed = remove_document(services.library, source)
        message = (
            f"**{source}** is verwijderd." if removed else f"**{source}** stond niet (meer) in de index."
        )
        return message, generation + 1

    add.click(
        ingest,
        [upload, replace, changed],
        [report, changed, upload],
        api_visibility="private",
        concurrency_id="inlezen",
        concurrency_limit=1,
    )
    remove.click(
        remove_one,
        [remove_choice, changed],
        [report, changed],
        api_visibility="private",
        concurrency_id="inlezen",
        concurrency_limit=1,
    )
    return listing, remove_choice


def _outcome_line(outcome) -> str:  # type: ignore[no-untyped-def]
    line = f"- **{outcome.source}**: {_outcome_nl(outcome.status)}"
    line += f" — {outcome.reason}" if outcome.reason else ""
    line += f" — {structure_note(outcome.genre, outcome.cues)}" if outcome.status == "ingested" else ""
    return line + (f" — {outcome.naming_note}" if outcome.naming_note else "")


def _outcome_nl(status: str) -> str:
    return {
        "ingested": "ingelezen",
        "unchanged": "ongewijzigd (al ingelezen)",
        "skipped": "overgeslagen",
    }.get(status, status)


def _document_frame(services: Services, documents: list) -> pd.DataFrame:  # type: ignore[type-arg]
    catalog = services.library.catalog
    rows = document_rows(documents, {d.source: catalog.cell_count(d.source) for d in documents})
    return pd.DataFrame(rows, columns=DOCUMENT_HEADERS)


# --- tables ----------------------------------------------------------------------------


def _tables_tab(services: Services) -> gr.Dropdown:
    with gr.Row():
        document = gr.Dropdown(choices=[], value=None, label="Document", elem_id="vb-table-document")
        table_choice = gr.Dropdown(choices=[], label="Tabel", elem_id="vb-table-choice")
    caption = gr.Markdown()
    grid_view = gr.Dataframe(
        interactive=False, wrap=True, label="Tabel (onzekere cellen rood en cursief)", elem_id="vb-table-grid"
    )
    with gr.Row():
        csv_file = gr.DownloadButton("Download CSV", visible=False)
        excel_file = gr.DownloadButton("Download Excel", visible=False)

    @dutch_errors("De tabellen tonen")
    def tables_of(source: str | None):  # type: ignore[no-untyped-def]
        found = services.library.catalog.document(source) if source else None
        choices = table_choices(found) if found else []
        return gr.Dropdown(choices=choices, value=choices[0][1] if choices else None)

    @dutch_errors("De tabel tonen")
    def show(source: str | None, index: int | None):  # type: ignore[no-untyped-def]
        found = services.library.catalog.document(source) if source else None
        if found is None or index is None or not 0 <= int(index) < len(found.tables):
            return "", None, gr.DownloadButton(visible=False), gr.DownloadButton(visible=False)
        table = found.tables[int(index)]
        grid = table_grid(table)
        frame = pd.DataFrame(grid.rows, columns=_unique(grid.headers))
        folder = new_download_folder(services.work_dir)  # old downloads expire first
        frame.to_csv(folder / "tabel.csv", index=False)
        frame.to_excel(folder / "tabel.xlsx", index=False)
        note = f"{len(grid.uncertain)} onzekere cel(len)" if grid.uncertain else "alle cellen zeker"
        label = f"**{grid.caption}** — {found.title}, {table.section or 'tekst'} ({found.source}); {note}."
        return (
            label,
            styled(grid),
            gr.DownloadButton(value=str(folder / "tabel.csv"), visible=True),
            gr.DownloadButton(value=str(folder / "tabel.xlsx"), visible=True),
        )

    document.change(tables_of, document, table_choice, api_visibility="private")
    table_choice.change(
        show, [document, table_choice], [caption, grid_view, csv_file, excel_file], api_visibility="private"
    )
    return document


# --- drafting --------------------------------------------------------------------------


def _draft_tab(services: Services) -> gr.Dropdown:
    gr.Markdown(
        "Plak een nieuwe schriftelijke vraag (of laad ze op). Het ontwerp hergebruikt eerdere antwoorden, "
        "met hun bron; wat te actualiseren is, is gemarkeerd. Pas het ontwerp aan en download het als "
        "Word-bestand."
    )
    with gr.Row():
        pasted = gr.Textbox(
            label="Nieuwe vraag",
            lines=10,
            placeholder="1. Hoeveel ...?\n2. a) ...",
            elem_id="vb-draft-question",
            scale=3,
        )
        with gr.Column(scale=1):
            uploaded = gr.File(
                label="Of een bestand (.txt, .docx, .pdf)",
                file_types=[".txt", ".docx", ".pdf"],
                elem_id="vb-draft-upload",
            )
            exclude = gr.Dropdown(
                choices=[],
                multiselect=True,
                label="Documenten niet meetellen",
                elem_id="vb-draft-exclude",
            )
            make = gr.Button("Ontwerp maken", variant="primary", elem_id="vb-draft-run")
    with gr.Row():
        edited = gr.Textbox(label="Ontwerp (bewerkbaar)", lines=30, elem_id="vb-draft-text", scale=1)
        with gr.Column(scale=1):
            gr.Markdown("**Zo ziet het Word-bestand eruit**")
            preview = gr.Markdown(elem_id="vb-draft-preview", container=True)
    precedents = gr.Markdown(elem_id="vb-draft-precedents")  # precedents and checks: not in the Word file
    with gr.Row():
        download = gr.DownloadButton(
            "Download .docx", elem_id="vb-draft-docx"
        )  # its file is rewritten after every edit
        docx_status = gr.Markdown(elem_id="vb-draft-docx-status")

    @dutch_errors("Het ontwerp maken")
    def make_draft(text: str, path: str | None, left_out: list[str] | None):  # type: ignore[no-untyped-def]
        try:
            question = load(Path(path)).text if path else (text or "")
            if not question.strip():
                return "", "Plak eerst een vraag of laad een bestand op."
            draft = services.drafter.draft(question, set(left_out or []))
        except VraagbaakError as error:
            return "", f"**Fout:** {error}"
        return to_markdown(draft), precedents_markdown(draft)

    @dutch_errors("Het Word-bestand maken")
    def to_word(text: str):  # type: ignore[no-untyped-def]
        folder = new_download_folder(services.work_dir)
        path = write_docx_from_markdown(text or "", folder / "ontwerp-antwoord.docx")
        status = f"Word-bestand bijgewerkt: ontwerp van {len(text or '')} tekens."
        return str(path), status, _preview(text or "")

    make.click(
        make_draft,
        [pasted, uploaded, exclude],
        [edited, precedents],
        api_visibility="private",
        concurrency_id="vragen",
        concurrency_limit=QUESTION_CONCURRENCY,
    )
    edited.change(
        to_word,
        edited,
        [download, docx_status, preview],
        api_visibility="private",
        trigger_mode="always_last",
    )  # the file and the preview follow the edits
    return exclude


def _preview(text: str) -> str:
    """The draft's Markdown as the preview renders it: marks to update highlighted, as in Word."""
    return WRITER_MARK_RE.sub(r"<mark>\1</mark>", text)


# --- evaluation ------------------------------------------------------------------------


def _eval_tab(services: Services) -> None:
    bundled = sorted(p.name for p in services.bundled_evals.glob("*.jsonl"))
    with gr.Row():
        choice = gr.Dropdown(
            choices=bundled,
            value=bundled[0] if bundled else None,
            label="Meegeleverde evaluatieset",
            elem_id="vb-eval-choice",
        )
        own = gr.File(label="Of een eigen set (JSONL)", file_types=[".jsonl"], elem_id="vb-eval-upload")
    start = gr.Button("Evaluatie starten", variant="primary", elem_id="vb-eval-run")
    scores = gr.Markdown(elem_id="vb-eval-scores")
    chart = gr.Image(label="Scores", type="filepath", visible=False)
    predictions = gr.DownloadButton("Download voorspellingen", visible=False)
    failures = gr.Markdown(elem_id="vb-eval-failures")

    @dutch_errors("De evaluatie")
    def evaluate(  # type: ignore[no-untyped-def]
        name: str | None,
        uploaded: str | None,
        progress=gr.Progress(),  # noqa: B008 (gradio injects it)
    ):
        path = Path(uploaded) if uploaded else (services.bundled_evals / name if name in bundled else None)
        if path is None:
            return (
                "Kies een set of laad er een op.",
                gr.Image(visible=False),
                gr.DownloadButton(visible=False),
                "",
            )
        try:
            questions = load_questions(path)
        except VraagbaakError as error:
            return (
                f"**Fout in de evaluatieset:** {error}",
                gr.Image(visible=False),
                gr.DownloadButton(visible=False),
                "",
            )
        results = run(
            questions,
            [
                ("Vraagbaak", services.answerer.answer),
                ("alleen BM25", baselines.keyword_only(services.library)),
                ("alleen vectoren", baselines.vectors_only(services.library)),
            ],
            progress=lambda done, total: progress((done, total), desc="vragen beantwoorden"),
        )
        rows = [(name, result) for name, result, _ in results]
        folder = new_download_folder(services.work_dir)
        draw_chart(folder / "scores.png", rows)
        write_predictions(folder / "voorspellingen.jsonl", questions, results[0][2])
        heading = f"### {len(questions)} vragen\n\n{scores_table(rows)}"
        return (
            heading,
            gr.Image(str(folder / "scores.png"), visible=True),
            gr.DownloadButton(value=str(folder / "voorspellingen.jsonl"), visible=True),
            "### Fouten\n\n" + failures_list(rows[0][1].outcomes),
        )

    # one run at a time, in its own lane: it is long, and questions go on meanwhile
    start.click(
        evaluate,
        [choice, own],
        [scores, chart, predictions, failures],
        api_visibility="private",
        concurrency_id="evaluatie",
        concurrency_limit=1,
    )


def launch(  # type: ignore[no-untyped-def]
    services: Services, host: str, port: int, users: list[tuple[str, str]], block: bool = True
):
    """Serve the app; with `block` False, return the running Blocks (`block_thread()` waits on it).

    With a login, `LoginGuard` (app/login.py) limits failed attempts, ends sessions after
    VRAAGBAAK_SESSION_HOURS and secures the login cookies."""
    from starlette.middleware import Middleware

    from .login import LoginGuard, settings_from_env, trust_proxy

    login = settings_from_env()
    trust_proxy(login)
    app = build_app(services, logout=bool(users))
    app.queue(default_concurrency_limit=QUESTION_CONCURRENCY)
    app.launch(
        server_name=host,
        server_port=port,
        auth=users or None,
        auth_message=(
            f"Log in met je Vraagbaak-account. Na {login.max_failures} mislukte pogingen kun je "
            f"{login.window_s:g} seconden niet aanmelden."
        ),
        app_kwargs={"middleware": [Middleware(LoginGuard, settings=login)]} if users else None,
        max_file_size=MAX_UPLOAD,
        prevent_thread_lock=not block,
        quiet=True,
        css=CSS,
        footer_links=[],
        show_error=True,
        allowed_paths=[str(services.work_dir)],
    )
    return app
