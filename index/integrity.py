"""Do the three stores agree? The catalog is the store of record; the vectors and the keyword
index are derived from it and can be rebuilt (`repair`). The check at open is cheap: counts and
stamps, no reading of every row. A damaged catalog file is found when it is opened
(`CatalogDamagedError`); `repair` also runs SQLite's full page check.

Messages are Dutch: the CLI and the app show them as they are."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .catalog import BACKUP_NAME, REPAIR_HINT, CatalogDamagedError, damaged_message, readable_catalog
from .library import Library


@dataclass(frozen=True)
class Problem:
    store: str  # "catalogus", "vectoren", "trefwoorden"
    message: str  # Dutch, says what is wrong and what to do
    repairable: bool  # `repair` mends it (a derived store); otherwise only a backup or a new ingest


def check(library: Library) -> list[Problem]:
    """What does not add up between catalog, vectors and keyword index (empty when all is well)."""
    chunks = library.catalog.chunk_count()
    vectors = library.vectors.count()
    home = library.settings.home
    if chunks == 0 and vectors > 0:
        return [
            Problem(
                "catalogus",
                f"de catalogus in {home} is leeg, maar de vectorindex bevat {vectors} passages: de catalogus "
                "is verloren of vervangen. Voer 'vraagbaak repair' uit om de reservekopie van na de "
                "laatste wijziging terug te zetten, of ingest de documenten opnieuw (hun vectoren worden "
                "hergebruikt).",
                repairable=False,
            )
        ]
    problems = []
    marked = library.vectors.catalog_id()
    if marked is not None and marked != library.catalog.stamp()[0]:
        problems.append(
            Problem(
                "vectoren",
                f"de vectorindex in {home} hoort bij een andere catalogus (de catalogus is vervangen of "
                f"teruggezet): niet elke passage heeft zeker een vector. {REPAIR_HINT}",
                repairable=True,
            )
        )
    elif vectors < chunks:
        problems.append(
            Problem(
                "vectoren",
                f"de vectorindex in {home} mist passages ({vectors} vectoren voor {chunks} passages in de "
                f"catalogus): antwoorden zouden alleen op trefwoorden steunen. {REPAIR_HINT}",
                repairable=True,
            )
        )
    stored_stamp = library.keywords.stored_stamp()
    if stored_stamp == library.catalog.stamp() and _stored_keyword_size(library) not in (None, chunks):
        problems.append(
            Problem(
                "trefwoorden",
                f"de trefwoordindex in {home} hoort bij deze catalogus maar telt niet evenveel passages. "
                f"{REPAIR_HINT}",
                repairable=True,
            )
        )
    return problems


def _stored_keyword_size(library: Library) -> int | None:
    library.keywords.load()
    return library.keywords.size if library.keywords.stamp == library.catalog.stamp() else None


def mend_catalog(home: Path, vectors_present: bool, say: Callable[[str], None]) -> None:
    """Before the index opens: a catalog that fails SQLite's check, or one left empty while vectors
    remain, is set aside and the backup made after the last change is put in its place."""
    path = home / "catalog.sqlite"
    whole, documents = readable_catalog(path)
    if whole and (documents or not vectors_present):
        return
    backup_whole, backup_documents = readable_catalog(home / BACKUP_NAME)
    if whole and not backup_documents:
        return  # nothing better to put back: `check` says what is wrong
    if not backup_whole:
        raise CatalogDamagedError(
            damaged_message(path, "SQLite kan het bestand niet lezen en er is geen bruikbare reservekopie")
        )
    aside = path.with_name(f"catalog.beschadigd-{time.strftime('%Y%m%d-%H%M%S')}.sqlite")
    path.rename(aside)
    for leftover in ("catalog.sqlite-wal", "catalog.sqlite-shm"):
        (home / leftover).unlink(missing_ok=True)
    shutil.copyfile(home / BACKUP_NAME, path)
    say(
        f"catalogus: {'leeg' if whole else 'beschadigd'}, opzijgezet als {aside.name}; de reservekopie van "
        f"{time.strftime('%d-%m-%Y %H:%M', time.localtime((home / BACKUP_NAME).stat().st_mtime))} "
        f"({backup_documents} documenten) teruggezet"
    )


def repair(library: Library, say: Callable[[str], None]) -> None:
    """Rebuild what is derived from the catalog: embed the chunks whose vector is missing, drop
    vectors no chunk uses, rebuild the keyword index. Refuses (CatalogDamagedError) when the
    catalog itself fails SQLite's check; a lost catalog is left for a backup to mend."""
    verdict = library.catalog.check()
    if verdict != "ok":
        raise CatalogDamagedError(damaged_message(library.settings.home / "catalog.sqlite", verdict))
    lost = [p for p in check(library) if not p.repairable]
    if lost:
        raise CatalogDamagedError(lost[0].message)
    say("catalogus: in orde (SQLite-controle van alle pagina's)")
    _repair_vectors(library, say)
    library.keywords.rebuild(library.catalog.all_chunks(), library.catalog.stamp())
    say(f"trefwoordindex: opnieuw opgebouwd ({library.keywords.size} passages)")


def _repair_vectors(library: Library, say: Callable[[str], None]) -> None:
    ids = [chunk.id for chunk in library.catalog.all_chunks()]
    have = library.vectors.existing_ids(ids)
    missing = [cid for cid in ids if cid not in have]
    batch = max(1, library.settings.embedding.batch_size)
    for start in range(0, len(missing), batch):
        part = list(library.catalog.chunks(missing[start : start + batch]).values())
        library.vectors.add(part, library.embedder.embed_passages([c.retrieval_text for c in part]))
    orphans = library.vectors.all_ids() - set(ids)
    library.vectors.delete(orphans)
    library.vectors.mark(library.catalog.stamp()[0])
    say(
        f"vectorindex: {len(missing)} ontbrekende passages opnieuw ingebed, {len(orphans)} verweesde "
        f"vectoren verwijderd ({len(ids)} passages)"
    )
