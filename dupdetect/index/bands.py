"""A compact in-memory multimap from 64-bit band keys to page ids, for `memory://`.

A scan of 100,000 pages holds tens of millions of (band key, page) entries. As Python dicts of
lists that costs ~175 bytes an entry; here an entry costs 12 bytes (a uint64 key and a uint32
page id in sorted numpy arrays) plus one or two bytes of a membership filter and one of a
run directory. The layout:

* `_recent`: the newest entries as one small sorted run, which each new page's (or chunk of
  pages') keys are merged into (a linear pass over a few thousand entries, cheaper than a dict
  of lists);
* `_runs`: older sorted (key, page id) runs. When `_recent` fills up it becomes a run, and runs
  of similar size are merged four at a time (a base-4 counter, `MERGE_FAN_IN`), so a lookup
  searches O(log n) runs; no
  merge makes a run larger than `MAX_RUN_ENTRIES`, so a merge never needs more than that much
  spare memory (beyond it, runs add up linearly: ~20 of them at 100,000 pages);
* `_seen`: a one-hash bit filter over every key ever added. Most of a page's keys are on no
  other page, and the filter answers those without touching the runs: only keys whose bit is
  set (keys really present, plus a few percent of false alarms) go further. A key's bit is
  numbered by its top bits (keys are hashes, so these are uniform), so keys added in sorted
  order set their bits in ascending order, a byte at a time, with no scattered writes;
* each large run has a directory by the keys' top bits (`_Run.starts`): a key that passed
  `_seen` costs two short reads per run instead of a binary search of ~22 cache misses, which
  had made lookups grow with the number of runs.

Removed pages are tombstoned (`_alive`) and dropped from runs when those are next merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from dupdetect.arrays import expand_ranges, group_starts, locate

RECENT_ENTRIES = 1 << 13
"""Entries of the newest run (about 10 pages of keys) before it joins the others."""
MERGE_FAN_IN = 4
"""Runs merged at once. Every merge rewrites its entries, so a larger fan-in rewrites each
entry fewer times (log4 rather than log2 of the run count) for a few more runs to search; with
a chunk of pages looked up in one search, searching a run costs less than rewriting it."""
MAX_RUN_ENTRIES = 1 << 22
"""No merge makes a run larger than this (~50 MB): a merge needs the old runs and the new one
at once, so this bounds the spare memory it takes, at the price of a few more runs to search."""
FILTER_BITS_PER_ENTRY = 8
"""Least filter size per entry (it doubles when reached, so 8-16 bits): one hash at 1/8 to
1/16 load answers 88-94% of absent keys, for 1-2 bytes an entry."""
_MIN_FILTER_BITS = 1 << 16
DIRECTORY_RUN_ENTRIES = 1 << 16
"""Runs at least this large get a directory (`_Run.starts`); smaller ones sit in cache, where a
binary search is cheap."""
BUCKET_ENTRIES = 4
"""Mean entries per directory bucket: the directory costs 4 / BUCKET_ENTRIES bytes an entry."""

_KEY = np.uint64
_PAGE = np.uint32


class BandTable:
    """Which pages carry which band keys."""

    def __init__(self) -> None:
        self._recent = _Run.empty()
        self._runs: list[_Run] = []
        self._alive = np.zeros(0, dtype=bool)
        self._filter_bits = _MIN_FILTER_BITS
        self._seen = np.zeros(_MIN_FILTER_BITS // 8, dtype=np.uint8)
        self._entries = 0

    def add(self, keys: np.ndarray, page_id: int) -> None:
        """Record that page `page_id` (a new, never reused id) carries these distinct keys."""
        keys = np.sort(np.asarray(keys, dtype=_KEY))
        self._insert(keys, np.full(len(keys), page_id, dtype=_PAGE), [page_id])

    def matches_then_add(
        self, keys_per_page: Sequence[np.ndarray], page_ids: Sequence[int]
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """For pages about to be stored in this order (new ids, distinct keys per page): what
        `matches` would give each page just before its own `add`, then every page added.

        The pages are looked up together: the stored entries are searched once for all their
        keys (a search costs about the same for one page's few hundred keys as for a few
        thousand, and a large index has some twenty runs to search), and each page's hits on
        the pages before it in the batch are found by sorting the batch's keys.
        """
        sizes = np.fromiter(map(len, keys_per_page), np.int64, len(keys_per_page))
        keys = np.concatenate([np.asarray(k, dtype=_KEY) for k in keys_per_page])
        owner = np.repeat(np.arange(len(sizes)), sizes)
        ids = np.asarray(page_ids, dtype=np.int64)
        stored_pages, stored_which = self.matches(keys)
        order = np.argsort(keys, kind="stable")  # copies of a key in batch order
        batch_pages, batch_which = _earlier_in_batch(keys[order], order, owner, ids)
        pages = np.concatenate((stored_pages, batch_pages))
        which = np.concatenate((stored_which, batch_which))
        self._insert(keys[order], ids[owner[order]].astype(_PAGE), ids.tolist())
        return _split_by_page(pages, which, owner, sizes)

    def _insert(self, keys: np.ndarray, pages: np.ndarray, page_ids: Sequence[int]) -> None:
        """Store (key, page) entries of new pages `page_ids`, sorted by key (a key's entries in
        the order of their pages)."""
        for page_id in page_ids:
            self._mark_alive(page_id)
        self._recent = _Run(*_merge([(self._recent.keys, self._recent.pages), (keys, pages)]))
        self._entries += len(keys)
        self._set_seen(keys)
        if len(self._recent.keys) >= RECENT_ENTRIES:
            self._runs.append(_Run.of(self._recent.keys, self._recent.pages))
            self._recent = _Run.empty()
            self._merge_similar_runs()

    def remove(self, page_id: int) -> None:
        """Forget a page: its entries stop counting at once and leave the runs on a merge."""
        if page_id < len(self._alive):
            self._alive[page_id] = False

    def matches(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every live stored entry under one of `keys`: (its page id, the index of its key in
        `keys`). Callers count these as they need, e.g. per page and per kind of key."""
        keys = np.asarray(keys, dtype=_KEY)
        asked = np.flatnonzero(self._maybe_seen(keys))
        found = [run.hits(keys[asked]) for run in (self._recent, *self._runs)]
        pages = np.concatenate([pages for pages, _ in found])
        which = asked[np.concatenate([positions for _, positions in found])]
        alive = self._alive[pages]
        return pages[alive].astype(np.int64), which[alive]

    # --- internals ---------------------------------------------------------------------------

    def _mark_alive(self, page_id: int) -> None:
        if page_id >= len(self._alive):
            grown = np.zeros(max(1024, 2 * (page_id + 1)), dtype=bool)
            grown[: len(self._alive)] = self._alive
            self._alive = grown
        self._alive[page_id] = True

    def _merge_similar_runs(self) -> None:
        """Merge the `MERGE_FAN_IN` newest runs while they are of one size tier (the oldest at
        most twice the newest), so runs grow by that factor a tier: a base-`MERGE_FAN_IN`
        counter."""
        while len(self._runs) >= MERGE_FAN_IN:
            group = self._runs[-MERGE_FAN_IN:]
            sizes = [len(run.keys) for run in group]
            if sizes[0] > 2 * sizes[-1] or sum(sizes) > MAX_RUN_ENTRIES:
                return
            keys, pages = self._live(*_merge([(run.keys, run.pages) for run in group]))
            self._runs[-MERGE_FAN_IN:] = [_Run.of(keys, pages)]

    def _live(self, keys: np.ndarray, pages: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        alive = self._alive[pages]
        return (keys, pages) if alive.all() else (keys[alive], pages[alive])

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        """Each key's filter bit: its top bits (the filter size is a power of two)."""
        return (keys >> _KEY(65 - self._filter_bits.bit_length())).astype(np.int64)

    def _set_seen(self, keys: np.ndarray) -> None:
        if FILTER_BITS_PER_ENTRY * self._entries > self._filter_bits:
            self._grow_filter()
        else:
            self._mark_seen(keys)

    def _mark_seen(self, sorted_keys: np.ndarray) -> None:
        """Set the bits of keys in ascending order: their bits ascend too, so the bits of one
        filter byte are adjacent and ORed together in one pass (`reduceat`), where scattered
        read-modify-writes (`np.bitwise_or.at`) cost several times more."""
        if len(sorted_keys) == 0:
            return
        slots = self._slots(sorted_keys)
        filter_bytes = slots >> 3
        starts = group_starts(filter_bytes)
        bits = np.left_shift(1, slots & 7).astype(np.uint8)
        self._seen[filter_bytes[starts]] |= np.bitwise_or.reduceat(bits, starts)

    def _maybe_seen(self, keys: np.ndarray) -> np.ndarray:
        slots = self._slots(keys)
        return (self._seen[slots >> 3] >> (slots & 7).astype(np.uint8)) & 1 == 1

    def _grow_filter(self) -> None:
        """Rebuild the filter twice as large from every stored key (amortised: sizes double)."""
        while FILTER_BITS_PER_ENTRY * self._entries > self._filter_bits:
            self._filter_bits *= 2
        self._seen = np.zeros(self._filter_bits // 8, dtype=np.uint8)
        for run in (self._recent, *self._runs):
            self._mark_seen(run.keys)


@dataclass(frozen=True, eq=False)
class _Run:
    """Entries sorted by key; a large run also has a directory by the keys' top bits.

    `starts[b]:starts[b + 1]` are the entries whose key's top bits are `b`, about
    `BUCKET_ENTRIES` of them, so a key is found by reading one directory slot and one short
    stretch of keys, where a binary search of a run of millions takes ~22 scattered reads.
    """

    keys: np.ndarray
    pages: np.ndarray
    starts: np.ndarray | None = None

    @classmethod
    def empty(cls) -> _Run:
        return cls(np.zeros(0, dtype=_KEY), np.zeros(0, dtype=_PAGE))

    @classmethod
    def of(cls, keys: np.ndarray, pages: np.ndarray) -> _Run:
        if len(keys) < DIRECTORY_RUN_ENTRIES:
            return cls(keys, pages)
        buckets = keys >> _KEY(_directory_shift(len(keys)))
        sizes = np.bincount(buckets.astype(np.int64), minlength=_bucket_count(len(keys)))
        return cls(keys, pages, np.concatenate(([0], np.cumsum(sizes))).astype(np.uint32))

    def hits(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Page ids stored under any of `keys`, with the position of each one's key in `keys`."""
        if self.starts is None:
            return _run_hits(self.keys, self.pages, keys)
        buckets = (keys >> _KEY(_directory_shift(len(self.keys)))).astype(np.int64)
        first = self.starts[buckets].astype(np.int64)
        sizes = self.starts[buckets + 1].astype(np.int64) - first
        entries = expand_ranges(first, sizes)
        asked = np.repeat(np.arange(len(keys)), sizes)
        same = self.keys[entries] == keys[asked]
        return self.pages[entries[same]], asked[same]


def _bucket_count(entries: int) -> int:
    return 1 << max(0, (entries // BUCKET_ENTRIES).bit_length())


def _directory_shift(entries: int) -> int:
    """Right shift that leaves a key's top bits as its bucket number."""
    return 64 - (_bucket_count(entries).bit_length() - 1)


def _run_hits(
    run_keys: np.ndarray, run_pages: np.ndarray, keys: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Page ids stored in a sorted run under any of `keys`, with the position of each one's key
    in `keys`. Most keys are in no given run: one search finds those, a second only the ends of
    the keys that are there."""
    starts, found = locate(run_keys, keys)
    there = np.flatnonzero(found)
    if len(there) == 0:
        return run_pages[:0], there
    starts = starts[there]
    lengths = np.searchsorted(run_keys, keys[there], side="right") - starts
    return run_pages[expand_ranges(starts, lengths)], np.repeat(there, lengths)


def _merge(runs: Sequence[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted (keys, pages) runs as one, a later run's entries after an earlier one's equal
    keys. A stable sort of the runs side by side is a linear merge (timsort finds the runs and
    gallops through them), 2-4x faster than placing entries by binary searches into a large
    run, which miss the cache."""
    keys = np.concatenate([keys for keys, _ in runs])
    order = np.argsort(keys, kind="stable")
    return keys[order], np.concatenate([pages for _, pages in runs])[order]


def _earlier_in_batch(
    sorted_keys: np.ndarray, order: np.ndarray, owner: np.ndarray, page_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Hits of each batch page on the batch pages before it: (page id hit, position in the
    batch's keys).

    The batch's keys are the pages' keys concatenated in batch order (`owner`: the page of
    each); `order` sorts them stably into `sorted_keys`, which leaves the copies of one key in
    batch order, and every copy hits the copies before it (a page's own keys are distinct, so
    those belong to earlier pages).
    """
    starts = group_starts(sorted_keys)
    sizes = np.diff(np.append(starts, len(sorted_keys)))
    # how many earlier copies of the same key each copy has
    before = np.arange(len(sorted_keys)) - np.repeat(starts, sizes)
    asking = np.flatnonzero(before)
    earlier = expand_ranges(asking - before[asking], before[asking])
    asked = np.repeat(asking, before[asking])
    return page_ids[owner[order[earlier]]], order[asked]


def _split_by_page(
    pages: np.ndarray, which: np.ndarray, owner: np.ndarray, sizes: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Hits on the batch's concatenated keys, as each page's (page ids, index of its key)."""
    asker = owner[which]
    order = np.argsort(asker, kind="stable")
    bounds = np.searchsorted(asker[order], np.arange(len(sizes) + 1)).tolist()
    key_offsets = np.concatenate(([0], np.cumsum(sizes)))
    return [
        (pages[order[a:b]], which[order[a:b]] - key_offsets[index])
        for index, (a, b) in enumerate(pairwise(bounds))
    ]
