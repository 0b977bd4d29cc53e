"""Do the three stores agree? The catalog is the store of record; the vectors and the keyword
index are derived from it and can be rebuilt (`repair`). The check at open is cheap: counts and
stamps, no reading of every row. A damaged catalog file is found when it is opened
(`CatalogDamagedError`); `mend_catalog` (run by `vraagbaak repair` before the index opens) also
runs SQLite's full page check.

Messages are Dutch: the CLI and the app show them as they are."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .catalog import BACKUP_NAME, REPAIR_HINT, CatalogDamagedError, damaged_message, readable_catalog
from .indexer import add_missing_vectors
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
    stamp = library.catalog.stamp()
    marked = library.vectors.catalog_id()
    if marked is not None and marked != stamp[0]:
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
    if library.keywords.stamp == stamp and library.keywords.size != chunks:  # the build loaded at open
        problems.append(
            Problem(
                "trefwoorden",
                f"de trefwoordindex in {home} hoort bij deze catalogus maar telt niet evenveel passages. "
                f"{REPAIR_HINT}",
                repairable=True,
            )
        )
    return problems


def mend_catalog(home: Path, vectors_present: bool, say: Callable[[str], None]) -> None:
    """Before the index opens: a catalog that fails SQLite's check, or one left empty while vectors
    remain, is set aside and the backup made after the last change is put in its place."""
    path = home / "catalog.sqlite"
    whole, documents = readable_catalog(path)
    if whole and (documents or not vectors_present):
        say("catalogus: in orde (SQLite-controle van alle pagina's)")
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
    vectors no chunk uses, rebuild the keyword index. The catalog itself was checked (and put back
    from its backup where needed) by `mend_catalog` before the index opened; a catalog lost without
    a backup is refused here (CatalogDamagedError)."""
    lost = [p for p in check(library) if not p.repairable]
    if lost:
        raise CatalogDamagedError(lost[0].message)
    chunks = list(library.catalog.all_chunks())
    embedded = add_missing_vectors(library, chunks)
    orphans = library.vectors.all_ids() - {c.id for c in chunks}
    library.vectors.delete(orphans)
    stamp = library.catalog.stamp()
    library.vectors.mark(stamp[0])
    say(
        f"vectorindex: {embedded} ontbrekende passages opnieuw ingebed, {len(orphans)} verweesde "
        f"vectoren verwijderd ({len(chunks)} passages)"
    )
    library.keywords.rebuild(chunks, stamp)
    say(f"trefwoordindex: opnieuw opgebouwd ({library.keywords.size} passages)")
