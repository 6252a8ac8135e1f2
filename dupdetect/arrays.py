"""Small numpy helpers shared by stages that count and intersect hash arrays."""

from __future__ import annotations

import numpy as np


def counted(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values and how often each occurs.

    One sort and one pass; numpy 2's `np.unique` hashes first and is several times slower on
    the few-thousand-element arrays matching counts.
    """
    ordered = np.sort(values)
    starts = group_starts(ordered)
    return ordered[starts], np.diff(np.append(starts, len(ordered)))


def group_starts(ordered: np.ndarray) -> np.ndarray:
    """Index of the first element of each run of equal values in a sorted array."""
    first = np.empty(len(ordered), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return first.nonzero()[0]


def expand_ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """`start, start + 1, ..., start + length - 1` for every (start, length), concatenated: the
    indices of many array slices at once, without a Python loop per slice."""
    ends = np.cumsum(lengths)
    within = np.arange(int(ends[-1]) if len(ends) else 0) - np.repeat(ends - lengths, lengths)
    return np.repeat(starts, lengths) + within


def locate(sorted_pool: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of `values`, its position in `sorted_pool` and whether it is there (where it
    is not, the position is meaningless): one binary search, no set-up, for the small arrays
    verification intersects many times a page."""
    if len(sorted_pool) == 0:
        return np.zeros(len(values), dtype=np.int64), np.zeros(len(values), dtype=bool)
    positions = np.minimum(np.searchsorted(sorted_pool, values), len(sorted_pool) - 1)
    return positions, sorted_pool[positions] == values
