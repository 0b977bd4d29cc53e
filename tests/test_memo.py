"""The answerer's identity memo: one computation per object, never another object's value."""

from __future__ import annotations

from app.answer.memo import IdentityMemo


class Table:
    """An immutable stand-in: two equal tables are still two objects."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Table) and other.label == self.label

    def __hash__(self) -> int:
        return hash(self.label)


def test_one_computation_per_object_and_none_shared_between_equal_objects():
    memo: IdentityMemo[str] = IdentityMemo(size=10)
    computed: list[str] = []

    def read(table: Table) -> str:
        return memo.get((table,), lambda: computed.append(table.label) or f"read {table.label}")

    first, equal_twin = Table("a"), Table("a")
    assert read(first) == read(first) == "read a"
    assert read(equal_twin) == "read a"
    assert computed == ["a", "a"]  # the twin is another object: read on its own


def test_the_least_recently_used_entry_goes_first():
    memo: IdentityMemo[int] = IdentityMemo(size=2)
    tables = [Table(str(i)) for i in range(3)]
    calls: list[int] = []
    for i in (0, 1, 0, 2):  # 1 is now the least recently used
        memo.get((tables[i],), lambda i=i: calls.append(i) or i)
    assert len(memo) == 2
    memo.get((tables[0],), lambda: calls.append(0) or 0)
    memo.get((tables[1],), lambda: calls.append(1) or 1)
    assert calls == [0, 1, 2, 1]  # 0 was kept, 1 was read again
