"""The keyword index on disk is swapped atomically: readers in other threads (or processes) that
load it while it is rebuilt again and again always find a whole state."""

from __future__ import annotations

import threading

from index.keyword import KeywordIndex
from ingest.model import Chunk, Role

WORDS = ["doorstroom", "maatwerk", "wijk-werken", "arbeidszorg", "kringwinkel", "oproep"]


def chunks_of(generation: int) -> list[Chunk]:
    return [
        Chunk(f"c{generation}-{i}", "doc.txt", Role.ANSWER, "antwoord 1", 0, 10, f"{word} {generation} {i}")
        for i, word in enumerate(WORDS * 20)
    ]


def test_readers_always_load_a_whole_build_while_it_is_rebuilt(tmp_path):
    folder = tmp_path / "bm25"
    KeywordIndex(folder).rebuild(chunks_of(0), ("t", 0))
    failures: list[str] = []
    seen: list[int] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                reader = KeywordIndex(folder)
                hits = reader.search("doorstroom", 5)
                assert reader.generation >= 0 and hits, reader.generation
                assert all(cid.startswith(f"c{reader.generation}-") for cid, _ in hits)
                seen.append(reader.generation)
            except Exception as error:  # noqa: BLE001 (every failure is kept and shown)
                failures.append(f"{type(error).__name__}: {error}")

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()
    writer = KeywordIndex(folder)
    for generation in range(1, 30):
        writer.rebuild(chunks_of(generation), ("t", generation))
    done.set()
    for thread in readers:
        thread.join()
    assert failures == []
    assert len(set(seen)) > 3  # the readers saw the builds change under them
    assert KeywordIndex(folder).generation == 29
    writer.collect(grace_seconds=0)  # states a reader may still be reading are kept a while
    assert len(list(folder.glob("state-*.json"))) <= 2  # then old states are collected
    assert len(list(folder.glob("seg-*.npz"))) <= 2  # and the segments only they named
