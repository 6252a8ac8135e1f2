"""The compact band table answers exactly what a plain dict of sets would."""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pytest

from dupdetect.index import bands
from dupdetect.index.bands import BandTable


class ReferenceTable:
    """The obvious implementation: key -> set of live page ids."""

    def __init__(self) -> None:
        self.pages: defaultdict[int, set[int]] = defaultdict(set)
        self.removed: set[int] = set()

    def add(self, keys: np.ndarray, page_id: int) -> None:
        for key in keys.tolist():
            self.pages[key].add(page_id)

    def shared_counts(self, keys: np.ndarray) -> dict[int, int]:
        counts: Counter[int] = Counter()
        for key in set(keys.tolist()):
            counts.update(self.pages.get(key, set()) - self.removed)
        return dict(counts)


@pytest.fixture
def small_levels(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiny thresholds, so a few hundred pages go through flushes, merges, capped runs and
    filter growth."""
    monkeypatch.setattr(bands, "RECENT_ENTRIES", 64)
    monkeypatch.setattr(bands, "MAX_RUN_ENTRIES", 1024)


def page_keys(rng: np.random.Generator, common: np.ndarray) -> np.ndarray:
    """Mostly unique keys, a few drawn from a small common pool (like common phrases)."""
    own = rng.integers(0, 2**64, size=int(rng.integers(1, 40)), dtype=np.uint64)
    shared = rng.choice(common, size=int(rng.integers(0, 6)), replace=False)
    return np.unique(np.concatenate([own, shared]))


@pytest.mark.usefixtures("small_levels")
def test_counts_match_a_plain_dict_through_flushes_merges_and_removals() -> None:
    rng = np.random.default_rng(3)
    common = rng.integers(0, 2**64, size=30, dtype=np.uint64)
    table, reference = BandTable(), ReferenceTable()
    for page_id in range(600):
        keys = page_keys(rng, common)
        query = np.concatenate([keys, rng.integers(0, 2**64, size=5, dtype=np.uint64)])
        ids, counts = table.shared_counts(query)
        assert dict(zip(ids.tolist(), counts.tolist(), strict=True)) == reference.shared_counts(
            query
        )
        table.add(keys, page_id)
        reference.add(keys, page_id)
        if page_id % 7 == 3:
            gone = int(rng.integers(0, page_id + 1))
            table.remove(gone)
            reference.removed.add(gone)
    assert len(table._runs) > 1, "the test should have exercised several runs"


def test_a_page_with_no_keys_and_an_empty_query_are_harmless() -> None:
    table = BandTable()
    table.add(np.zeros(0, dtype=np.uint64), 0)
    ids, counts = table.shared_counts(np.zeros(0, dtype=np.uint64))
    assert ids.size == 0 and counts.size == 0


def test_repeated_query_keys_count_once() -> None:
    table = BandTable()
    table.add(np.array([5, 9], dtype=np.uint64), 0)
    ids, counts = table.shared_counts(np.array([9, 9, 5, 5, 5], dtype=np.uint64))
    assert ids.tolist() == [0] and counts.tolist() == [2]
