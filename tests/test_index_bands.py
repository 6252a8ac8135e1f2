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


def shared_counts(table: BandTable, keys: np.ndarray) -> dict[int, int]:
    """Page id -> how many of the (distinct) `keys` it carries, from `BandTable.matches`."""
    pages, _ = table.matches(keys)
    return dict(Counter(pages.tolist()))


@pytest.fixture
def small_levels(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiny thresholds, so a few hundred pages go through flushes, merges, capped runs, runs
    with and without a directory, and filter growth."""
    monkeypatch.setattr(bands, "RECENT_ENTRIES", 64)
    monkeypatch.setattr(bands, "MAX_RUN_ENTRIES", 1024)
    monkeypatch.setattr(bands, "DIRECTORY_RUN_ENTRIES", 512)


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
        assert shared_counts(table, query) == reference.shared_counts(query)
        table.add(keys, page_id)
        reference.add(keys, page_id)
        if page_id % 7 == 3:
            gone = int(rng.integers(0, page_id + 1))
            table.remove(gone)
            reference.removed.add(gone)
    assert len(table._runs) > 1, "the test should have exercised several runs"
    assert any(run.starts is not None for run in table._runs), "runs with a directory"


def test_a_page_with_no_keys_and_an_empty_query_are_harmless() -> None:
    table = BandTable()
    table.add(np.zeros(0, dtype=np.uint64), 0)
    pages, which = table.matches(np.zeros(0, dtype=np.uint64))
    assert pages.size == 0 and which.size == 0


def test_each_match_names_the_query_key_it_came_from() -> None:
    table = BandTable()
    table.add(np.array([5, 9], dtype=np.uint64), 0)
    table.add(np.array([9, 11], dtype=np.uint64), 1)
    pages, which = table.matches(np.array([11, 9, 4], dtype=np.uint64))
    assert sorted(zip(pages.tolist(), which.tolist(), strict=True)) == [(0, 1), (1, 0), (1, 1)]
