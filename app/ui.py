"""The Gradio app: chat with cited passages and tables, documents, table browser, evaluation.

Only wiring: every answer comes from `Answerer`, every listing from the library, every
rendering from `app/views.py`. The model is loaded once, by the caller; questions run
in parallel (a queue with a concurrency limit), an upload or an eval run in their own lane
so that questions go on meanwhile.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
import pandas as pd

from evals.harness import draw_chart, failures_list, run, scores_table, write_predictions
from evals.scoring import load_questions
from index.indexer import ingest_paths, remove_document
from index.library import Library
from ingest.errors import VraagbaakError
from ingest.load import SUPPORTED_SUFFIXES, load
from ingest.model import Answer

from .answer import Answerer
from .draft import Drafter, to_markdown, write_docx_from_markdown
from .render import structure_note
from .views import (
    DOCUMENT_HEADERS,
    Grid,
    chat_message,
    document_rows,
    precedents_markdown,
    sources_html,
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


def build_app(services: Services) -> gr.Blocks:
    with gr.Blocks(title="Vraagbaak — sociale economie", analytics_enabled=False) as app:
        gr.Markdown(
            "# Vraagbaak\nVragen over sociale economie, beantwoord uit de schriftelijke vragen en de "
            "SERV-adviezen, met bronnen."
        )
        with gr.Tabs():
            with gr.Tab("Vragen", id="chat"):
                _chat_tab(services)
            with gr.Tab("Documenten", id="documents"):
                documents_changed = _documents_tab(services)
            with gr.Tab("Tabellen", id="tables"):
                _tables_tab(services, documents_changed)
            with gr.Tab("Ontwerp van antwoord", id="draft"):
                _draft_tab(services)
            with gr.Tab("Evaluatie", id="eval"):
                _eval_tab(services)

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


def _documents_tab(services: Services) -> gr.State:
    changed = gr.State(0)  # bumped after an upload or removal: the table browser lists again
    listing = gr.Dataframe(
        _document_frame(services),
        interactive=False,
        wrap=True,
        label="Ingelezen documenten",
        elem_id="vb-documents",
        column_widths=["17%", "31%", "12%", "6%", "9%", "6%", "7%", "12%"],
        max_chars=120,
    )
    with gr.Row():
        with gr.Column():
            upload = gr.File(
                label=f"Nieuwe documenten ({', '.join(SUPPORTED_SUFFIXES)}; max. {MAX_UPLOAD.upper()})",
                file_count="multiple",
                file_types=list(SUPPORTED_SUFFIXES),
                elem_id="vb-upload",
            )
            add = gr.Button("Inlezen", variant="primary", elem_id="vb-ingest")
        with gr.Column():
            remove_choice = gr.Dropdown(
                choices=services.library.catalog.sources(),
                value=None,
                label="Document verwijderen",
                elem_id="vb-remove-choice",
            )
            remove = gr.Button("Verwijderen", variant="stop", elem_id="vb-remove")
    report = gr.Markdown(elem_id="vb-ingest-report")

    def ingest(  # type: ignore[no-untyped-def]
        files: list[str] | None,
        generation: int,
        progress=gr.Progress(),  # noqa: B008 (gradio injects it)
    ):
        if not files:
            return "Kies eerst een of meer bestanden.", _document_frame(services), gr.Dropdown(), generation
        paths = [
            Path(f) for f in files
        ]  # gradio's own copies; the user's file name is only the document's label
        outcome = ingest_paths(
            services.library,
            paths,
            progress=lambda done, total, name: progress((done, total), desc=f"inlezen {name}"),
        )
        lines = [
            f"- **{o.source}**: {_outcome_nl(o.status)}{f' — {o.reason}' if o.reason else ''}"
            + (f" — {structure_note(o.genre, o.cues)}" if o.status == "ingested" else "")
            for o in outcome.outcomes
        ]
        choices = gr.Dropdown(choices=services.library.catalog.sources())
        return "\n".join(["### Verslag", *lines]), _document_frame(services), choices, generation + 1

    def remove_one(source: str | None, generation: int):  # type: ignore[no-untyped-def]
        if not source:
            return "Kies eerst een document.", _document_frame(services), gr.Dropdown(), generation
        removed = remove_document(services.library, source)
        services.library.refresh_keywords()
        message = (
            f"**{source}** is verwijderd." if removed else f"**{source}** stond niet (meer) in de index."
        )
        return (
            message,
            _document_frame(services),
            gr.Dropdown(choices=services.library.catalog.sources(), value=None),
            generation + 1,
        )

    add.click(
        ingest,
        [upload, changed],
        [report, listing, remove_choice, changed],
        api_visibility="private",
        concurrency_id="inlezen",
        concurrency_limit=1,
    )
    remove.click(
        remove_one,
        [remove_choice, changed],
        [report, listing, remove_choice, changed],
        api_visibility="private",
        concurrency_id="inlezen",
        concurrency_limit=1,
    )
    return changed


def _outcome_nl(status: str) -> str:
    return {
        "ingested": "ingelezen",
        "unchanged": "ongewijzigd (al ingelezen)",
        "skipped": "overgeslagen",
    }.get(status, status)


def _document_frame(services: Services) -> pd.DataFrame:
    catalog = services.library.catalog
    documents = list(catalog.documents())
    rows = document_rows(documents, {d.source: catalog.cell_count(d.source) for d in documents})
    return pd.DataFrame(rows, columns=DOCUMENT_HEADERS)


# --- tables ----------------------------------------------------------------------------


def _tables_tab(services: Services, documents_changed: gr.State) -> None:
    with gr.Row():
        document = gr.Dropdown(
            choices=_sources_with_tables(services), value=None, label="Document", elem_id="vb-table-document"
        )
        table_choice = gr.Dropdown(choices=[], label="Tabel", elem_id="vb-table-choice")
    caption = gr.Markdown()
    grid_view = gr.Dataframe(
        interactive=False, wrap=True, label="Tabel (onzekere cellen rood en cursief)", elem_id="vb-table-grid"
    )
    with gr.Row():
        csv_file = gr.DownloadButton("Download CSV", visible=False)
        excel_file = gr.DownloadButton("Download Excel", visible=False)

    def tables_of(source: str | None):  # type: ignore[no-untyped-def]
        found = services.library.catalog.document(source) if source else None
        choices = (
            [(f"{t.caption} ({t.section or 'tekst'})", i) for i, t in enumerate(found.tables)]
            if found
            else []
        )
        return gr.Dropdown(choices=choices, value=choices[0][1] if choices else None)

    def show(source: str | None, index: int | None):  # type: ignore[no-untyped-def]
        found = services.library.catalog.document(source) if source else None
        if found is None or index is None or not 0 <= int(index) < len(found.tables):
            return "", None, gr.DownloadButton(visible=False), gr.DownloadButton(visible=False)
        table = found.tables[int(index)]
        grid = table_grid(table)
        frame = pd.DataFrame(grid.rows, columns=_unique(grid.headers))
        folder = Path(tempfile.mkdtemp(dir=services.work_dir))  # names of our own making, never the user's
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
    documents_changed.change(
        lambda _: gr.Dropdown(choices=_sources_with_tables(services)),
        documents_changed,
        document,
        api_visibility="private",
    )


def _sources_with_tables(services: Services) -> list[str]:
    return sorted({source for source, *_ in services.library.catalog.table_summaries()})


# --- drafting --------------------------------------------------------------------------


def _draft_tab(services: Services) -> None:
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
                choices=services.library.catalog.sources(),
                multiselect=True,
                label="Documenten niet meetellen",
                elem_id="vb-draft-exclude",
            )
            make = gr.Button("Ontwerp maken", variant="primary", elem_id="vb-draft-run")
    with gr.Row():
        edited = gr.Textbox(label="Ontwerp (bewerkbaar)", lines=30, elem_id="vb-draft-text", scale=3)
        with gr.Column(scale=2):
            precedents = gr.Markdown(elem_id="vb-draft-precedents")
    with gr.Row():
        download = gr.DownloadButton(
            "Download .docx", elem_id="vb-draft-docx"
        )  # its file is rewritten after every edit
        docx_status = gr.Markdown(elem_id="vb-draft-docx-status")

    def make_draft(text: str, path: str | None, left_out: list[str] | None):  # type: ignore[no-untyped-def]
        try:
            question = load(Path(path)).text if path else (text or "")
            if not question.strip():
                return "", "Plak eerst een vraag of laad een bestand op."
            draft = services.drafter.draft(question, set(left_out or []))
        except VraagbaakError as error:
            return "", f"**Fout:** {error}"
        return to_markdown(draft), precedents_markdown(draft)

    def to_word(text: str):  # type: ignore[no-untyped-def]
        folder = Path(tempfile.mkdtemp(dir=services.work_dir))
        path = write_docx_from_markdown(text or "", folder / "ontwerp-antwoord.docx")
        return str(path), f"Word-bestand bijgewerkt: ontwerp van {len(text or '')} tekens."

    make.click(
        make_draft,
        [pasted, uploaded, exclude],
        [edited, precedents],
        api_visibility="private",
        concurrency_id="vragen",
        concurrency_limit=QUESTION_CONCURRENCY,
    )
    edited.change(
        to_word, edited, [download, docx_status], api_visibility="private", trigger_mode="always_last"
    )  # the file follows the edits


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
            [("Vraagbaak", services.answerer.answer)],
            progress=lambda done, total: progress((done, total), desc="vragen beantwoorden"),
        )
        rows = [(name, result) for name, result, _ in results]
        folder = Path(tempfile.mkdtemp(dir=services.work_dir))
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
    app = build_app(services)
    app.queue(default_concurrency_limit=QUESTION_CONCURRENCY)
    return app.launch(
        server_name=host,
        server_port=port,
        auth=users or None,
        auth_message="Log in met je Vraagbaak-account.",
        max_file_size=MAX_UPLOAD,
        prevent_thread_lock=not block,
        quiet=True,
        css=CSS,
        footer_links=[],
        show_error=True,
        allowed_paths=[str(services.work_dir)],
    )
