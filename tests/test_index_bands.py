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
    monkeypatch.setattr(bands, "DIRECTORY_RUN_ENTRIES", 200)


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


@pytest.mark.usefixtures("small_levels")
def test_pages_looked_up_together_see_what_they_would_see_one_by_one() -> None:
    """Each page of a batch hits the stored pages and the batch's earlier pages, never the
    later ones, through flushes, merges and removals."""
    rng = np.random.default_rng(5)
    common = rng.integers(0, 2**64, size=30, dtype=np.uint64)
    table, reference = BandTable(), ReferenceTable()
    next_id = 0
    while next_id < 600:
        batch = [page_keys(rng, common) for _ in range(int(rng.integers(1, 20)))]
        ids = list(range(next_id, next_id + len(batch)))
        found = table.matches_then_add(batch, ids)
        for keys, page_id, (pages, which) in zip(batch, ids, found, strict=True):
            assert dict(Counter(pages.tolist())) == reference.shared_counts(keys)
            assert (keys[which][:, None] == keys).any(axis=1).all()
            reference.add(keys, page_id)
        next_id += len(batch)
        gone = int(rng.integers(0, next_id))
        table.remove(gone)
        reference.removed.add(gone)
    assert len(table._runs) > 1, "the test should have exercised several runs"


def test_each_batch_hit_names_the_key_of_its_own_page() -> None:
    table = BandTable()
    table.add(np.array([7], dtype=np.uint64), 0)
    first, second = np.array([7, 8], dtype=np.uint64), np.array([3, 8, 7], dtype=np.uint64)
    found = table.matches_then_add([first, second], [1, 2])
    hits = [sorted(zip(p.tolist(), w.tolist(), strict=True)) for p, w in found]
    assert hits == [[(0, 0)], [(0, 2), (1, 1), (1, 2)]]


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
