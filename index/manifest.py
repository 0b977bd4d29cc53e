"""A small manifest beside the index: embedding model, chunking, version.

Opening an index with another embedding model or other chunk settings is
refused: vectors of two models never mix in one store.
"""

from __future__ import annotations

import json
from pathlib import Path

from ingest.errors import VraagbaakError

SCHEMA_VERSION = 1


class IndexMismatchError(VraagbaakError):
    pass


def expected_manifest(model: str, dimension: int, chunking: dict[str, int]) -> dict[str, object]:
    return {
        "schema_version": SCHEMA_VERSION,
        "embedding_model": model,
        "dimension": dimension,
        "chunking": chunking,
    }


def check_or_write(path: Path, wanted: dict[str, object]) -> None:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(wanted, indent=2), encoding="utf-8")
        return
    found = json.loads(path.read_text(encoding="utf-8"))
    differences = [key for key in wanted if found.get(key) != wanted[key]]
    if differences:
        details = "; ".join(
            f"{key}: index heeft {found.get(key)!r}, gevraagd {wanted[key]!r}" for key in differences
        )
        raise IndexMismatchError(
            f"de index in {path.parent} is gemaakt met andere instellingen ({details}). "
            "Gebruik dezelfde instellingen, of kies een andere VRAAGBAAK_HOME en ingest opnieuw."
        )
