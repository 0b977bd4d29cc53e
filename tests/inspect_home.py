"""Print the state of an index home as JSON (used by tests from a separate process; no model loaded)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from index.library import IndexSettings, open_library


def main(home: str, source: str) -> None:
    library = open_library(IndexSettings(home=Path(home)), with_model=False)
    live = library.catalog.chunk_ids(source)
    vectors = library.vectors.ids_for_source(source)
    document = library.catalog.document(source)
    print(
        json.dumps(
            {
                "version": library.catalog.version(source),
                "text_prefix": document.text[:40] if document else None,
                "versions_in_text": sorted(
                    {
                        v
                        for c in library.catalog.chunks(list(live)).values()
                        for v in ("oud", "nieuw")
                        if f"({v})" in c.text
                    }
                ),
                "chunks": len(live),
                "missing_vectors": len(live - vectors),
                "orphan_vectors": len(vectors - live),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
