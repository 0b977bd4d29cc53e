"""Whether an index home's three stores agree: the catalog's live chunks, the vector store's ids and
the keyword index's ids, each document once. Run as a module it prints the figures as JSON, so a
test or a bench can read a home that another process wrote:

    python -m evals.stores HOME
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from index.library import IndexSettings, open_library


def store_state(home: Path, refresh: bool = True) -> dict:
    """Counts of documents, chunks, vectors and keyword ids, and what one store has that another lacks.
    With `refresh` the keyword index is first brought up to the catalog, as a reader would."""
    library = open_library(IndexSettings(home=home), with_model=False)
    try:
        if refresh:
            library.refresh_keywords()
        else:
            library.keywords.load()
        live = library.catalog.live_chunk_ids()
        vectors = library.vectors.all_ids()
        keywords = library.keywords.ids()
        sources = library.catalog.sources()
        return {
            "documents": len(sources),
            "distinct_sources": len(set(sources)),
            "chunks": len(live),
            "vectors": len(vectors),
            "keywords": len(keywords),
            "missing_vectors": len(live - vectors),
            "orphan_vectors": len(vectors - live),
            "missing_keywords": len(live ^ keywords),
            "keyword_stamp_current": library.keywords.stamp == library.catalog.stamp(),
        }
    finally:
        library.close()


def agree(state: dict) -> bool:
    """Every document once, every live chunk in every store, nothing else in them."""
    return (
        state["documents"] == state["distinct_sources"]
        and state["chunks"] == state["vectors"] == state["keywords"]
        and state["missing_vectors"] == state["orphan_vectors"] == state["missing_keywords"] == 0
        and state["keyword_stamp_current"]
    )


if __name__ == "__main__":
    print(json.dumps(store_state(Path(sys.argv[1]))))
