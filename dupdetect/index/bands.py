"""A compact in-memory multimap from 64-bit band keys to page ids, for `memory://`.

A scan of 100,000 pages holds tens of millions of (band key, page) entries. As Python dicts of
lists that costs ~175 bytes an entry; here an entry costs 12 bytes (a uint64 key and a uint32
page id in sorted numpy arrays) plus one or two bytes of a membership filter and one of a
run directory. The layout:

* `_recent`: the newest entries as one small sorted run, which each new page's keys are merged
  into (a linear pass over a few thousand entries, cheaper than a dict of lists);
* `_runs`: older sorted (key, page id) runs. When `_recent` fills up it becomes a run, and runs
  of similar size are merged (a binary counter), so a lookup searches O(log n) runs; no
  merge makes a run larger than `MAX_RUN_ENTRIES`, so a merge never needs more than that much
  spare memory (beyond it, runs add up linearly: ~20 of them at 100,000 pages);
* `_seen`: a one-hash bit filter over every key ever added. Most of a page's keys are on no
  other page, and the filter answers those without touching the runs: only keys whose bit is
  set (keys really present, plus a few percent of false alarms) go further;
* each large run has a directory by the keys' top bits (`_Run.starts`): a key that passed
  `_seen` costs two short reads per run instead of a binary search of ~22 cache misses, which
  had made lookups grow with the number of runs.

Removed pages are tombstoned (`_alive`) and dropped from runs when those are next merged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dupdetect.arrays import expand_ranges, group_starts, locate

RECENT_ENTRIES = 1 << 13
"""Entries of the newest run (about 10 pages of keys) before it joins the others."""
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
        self._mark_alive(page_id)
        pages = np.full(len(keys), page_id, dtype=_PAGE)
        self._recent = _Run(*_merge(self._recent.keys, self._recent.pages, keys, pages))
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
        """Merge the two newest runs while the older is at most twice the newer's size."""
        while len(self._runs) >= 2:
            old, new = self._runs[-2], self._runs[-1]
            too_big = len(old.keys) + len(new.keys) > MAX_RUN_ENTRIES
            if len(old.keys) > 2 * len(new.keys) or too_big:
                return
            keys, pages = self._live(*_merge(old.keys, old.pages, new.keys, new.pages))
            self._runs[-2:] = [_Run.of(keys, pages)]

    def _live(self, keys: np.ndarray, pages: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        alive = self._alive[pages]
        return (keys, pages) if alive.all() else (keys[alive], pages[alive])

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        return (keys % _KEY(self._filter_bits)).astype(np.int64)

    def _set_seen(self, keys: np.ndarray) -> None:
        if FILTER_BITS_PER_ENTRY * self._entries > self._filter_bits:
            self._grow_filter()
        else:
            self._mark_seen(keys)

    def _mark_seen(self, keys: np.ndarray) -> None:
        """Set the keys' bits: bits of one byte are OR-ed together first (`reduceat` over the
        sorted slots), so each byte is written once, without the slow `np.bitwise_or.at`."""
        slots = np.sort(self._slots(keys))
        if len(slots) == 0:
            return
        byte = slots >> 3
        first_of_byte = group_starts(byte)
        bits = (1 << (slots & 7)).astype(np.uint8)
        self._seen[byte[first_of_byte]] |= np.bitwise_or.reduceat(bits, first_of_byte)

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


def _merge(
    a_keys: np.ndarray, a_pages: np.ndarray, b_keys: np.ndarray, b_pages: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Two sorted runs as one, `b`'s entries after `a`'s equal keys. A stable sort of the two
    runs side by side is a linear merge (timsort finds the two runs and gallops through them),
    2-4x faster than placing `b` by binary searches into `a`, which miss the cache once `a` is
    large."""
    keys = np.concatenate((a_keys, b_keys))
    order = np.argsort(keys, kind="stable")
    return keys[order], np.concatenate((a_pages, b_pages))[order]
