"""Do the three stores agree? The catalog is the store of record; the vectors and the keyword
index are derived from it and can be rebuilt (`repair`). The check at open is cheap: counts and
stamps, no reading of every row. A damaged catalog file is found when it is opened
(`CatalogDamagedError`); `repair` also runs SQLite's full page check.

Messages are Dutch: the CLI and the app show them as they are."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .catalog import REPAIR_HINT, CatalogDamagedError, damaged_message
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
                "is verloren of vervangen. Zet de laatste reservekopie van de map terug, of ingest de "
                "documenten opnieuw (hun vectoren worden hergebruikt).",
                repairable=False,
            )
        ]
    problems = []
    if vectors < chunks:
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
    say(
        f"vectorindex: {len(missing)} ontbrekende passages opnieuw ingebed, {len(orphans)} verweesde "
        f"vectoren verwijderd ({len(ids)} passages)"
    )
