"""Verified passage matches between two pages (or within one), as maximal token spans.

1. Every unit pair (sentences and windows, see `sign.passage_units`) is scored with the exact
   Jaccard of the two units' shingle sets, counted by joining the two pages' (unit, shared
   shingle) incidences on the shingle, so the cost follows the overlap, not the page lengths.
2. Pairs at or above `config.passage_threshold` are grouped into runs whose units overlap or
   touch on *both* sides, so sentences reordered within a copied run land in one group and one
   copied run gives one match, whatever the number of sentences or windows it spans.
3. Each run is aligned: cut or grown (by up to a window) to the chain of shingles it shares with
   the other side, then grown word by word past edited edge words (`_grow_edges`).
4. A run is kept if both sides have at least `config.min_passage_words` words and the exact
   Jaccard of their shingle sets reaches the threshold; that Jaccard is its similarity.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from dupdetect.arrays import counted, expand_ranges, locate
from dupdetect.config import Config
from dupdetect.index.base import PageRecord
from dupdetect.model import Span
from dupdetect.segment import normalise_token
from dupdetect.sign import distinct, shingle_ranges

_HIGH = np.uint64(32)
_LOW_MASK = np.uint64(0xFFFFFFFF)


@dataclass(frozen=True)
class TokenMatch:
    """A verified passage match as token ranges `[start, end)` on each side."""

    here: tuple[int, int]
    there: tuple[int, int]
    similarity: float


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two arrays of hashes taken as sets."""
    a, b = distinct(a), distinct(b)
    if len(a) == 0 and len(b) == 0:
        return 0.0
    shared = _count_shared(a, b)
    return shared / (len(a) + len(b) - shared)


def _count_shared(a: np.ndarray, b: np.ndarray) -> int:
    """Number of values in both of two sorted distinct arrays."""
    return int(np.count_nonzero(locate(b, a)[1]))


def _shared_values(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Sorted distinct values present in both arrays."""
    a, b = distinct(a), distinct(b)
    return a[locate(b, a)[1]]


def token_span(page: PageRecord, token_range: tuple[int, int]) -> Span:
    """The characters of tokens `[start, end)` of a page, as a reportable span."""
    start = int(page.token_spans[token_range[0], 0])
    end = int(page.token_spans[token_range[1] - 1, 1])
    return Span(start, end, page.text[start:end])


def passage_matches(
    here: PageRecord, there: PageRecord, config: Config, *, same_page: bool = False
) -> list[TokenMatch]:
    """Maximal verified passage matches between two pages, or within one if `same_page`.

    Within a page the two sides of a match never overlap and `here` precedes `there`.
    """
    width = _shingle_width(here, config)
    shared = _shared_hashes(here.shingles, there.shingles, same_page)
    if len(shared) < max(1, config.min_passage_words - width + 1):
        return []
    here_units, there_units = _verified_unit_pairs(here, there, shared, config)
    if same_page:
        forward = here.unit_ranges[here_units, 1] <= there.unit_ranges[there_units, 0]
        here_units, there_units = here_units[forward], there_units[forward]
    if len(here_units) == 0:
        return []
    groups = _group_pairs(
        here.unit_ranges[here_units], there.unit_ranges[there_units], tolerance=width
    )
    hulls = [
        (_hull(here.unit_ranges[here_units[group]]), _hull(there.unit_ranges[there_units[group]]))
        for group in groups
    ]
    matches = _aligned_matches(here, there, hulls, config, same_page)
    if len(matches) > 1:
        # Extension can make two runs meet: align each merged stretch once more.
        regrouped = _group_pairs(
            np.array([m.here for m in matches]), np.array([m.there for m in matches]), width
        )
        merged = [
            (
                _hull(np.array([matches[i].here for i in group])),
                _hull(np.array([matches[i].there for i in group])),
            )
            for group in regrouped
        ]
        matches = _aligned_matches(here, there, merged, config, same_page)
    return sorted(set(matches), key=lambda m: (m.here, m.there))


def _aligned_matches(
    here: PageRecord,
    there: PageRecord,
    hulls: list[tuple[tuple[int, int], tuple[int, int]]],
    config: Config,
    same_page: bool,
) -> list[TokenMatch]:
    matches = []
    for here_hull, there_hull in hulls:
        if same_page:
            here_hull, there_hull = _separate(here_hull, there_hull)
        match = _aligned_match(here, there, here_hull, there_hull, config, same_page)
        if match and not (same_page and match.here[1] > match.there[0]):
            matches.append(match)
    return matches


def _shingle_width(page: PageRecord, config: Config) -> int:
    return max(1, min(config.shingle_words, page.n_tokens))


def _shared_hashes(a: np.ndarray, b: np.ndarray, same_page: bool) -> np.ndarray:
    """Sorted distinct hashes on both sides; within a page, hashes occurring twice or more."""
    if same_page:
        ordered = np.sort(a)
        return distinct(ordered[1:][ordered[1:] == ordered[:-1]])
    return _shared_values(a, b)


def _verified_unit_pairs(
    here: PageRecord, there: PageRecord, shared: np.ndarray, config: Config
) -> tuple[np.ndarray, np.ndarray]:
    """Indices of unit pairs whose exact shingle-set Jaccard reaches the passage threshold.

    Two units overlap only in shared hashes, so each side is reduced to its (unit, shared hash)
    incidences and the pairs are counted by joining the two on the hash: the work follows the
    overlap, not the number of unit pairs.
    """
    here_sizes, here_units, here_columns = _unit_incidences(here, shared, config)
    there_sizes, there_units, there_columns = _unit_incidences(there, shared, config)
    pairs, inter = _joined_counts(
        here_units, here_columns, there_units, there_columns, len(shared), len(there_sizes)
    )
    rows, cols = np.divmod(pairs, max(1, len(there_sizes)))
    similarity = inter / (here_sizes[rows] + there_sizes[cols] - inter)
    keep = similarity >= config.passage_threshold
    return rows[keep], cols[keep]


def _unit_positions(ranges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(unit index, shingle position) for every position of every range, vectorised."""
    lengths = ranges[:, 1] - ranges[:, 0]
    return np.repeat(np.arange(len(ranges)), lengths), expand_ranges(ranges[:, 0], lengths)


def _unit_incidences(
    page: PageRecord, shared: np.ndarray, config: Config
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each unit's number of distinct hashes, and its distinct (unit, column of `shared`)
    incidences."""
    sizes, units, hashes = _unit_hashes(page, config.shingle_words)
    columns, present = locate(shared, hashes)
    return sizes, units[present], columns[present]


@functools.lru_cache(maxsize=4)
def _unit_hashes(page: PageRecord, shingle_words: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each unit's number of distinct hashes, and its distinct (unit, hash) pairs, from one sort.

    Cached by record identity: the matching process verifies a new page against each of its
    candidates in turn, and this is the part of the work that does not depend on the other.
    """
    ranges = shingle_ranges(page.unit_ranges, page.n_tokens, shingle_words)
    units, positions = _unit_positions(ranges)
    pairs = distinct(units.astype(np.uint64) << _HIGH | page.shingles[positions])
    units = (pairs >> _HIGH).astype(np.int64)
    return np.bincount(units, minlength=len(ranges)), units, pairs & _LOW_MASK


def _joined_counts(
    here_units: np.ndarray,
    here_columns: np.ndarray,
    there_units: np.ndarray,
    there_columns: np.ndarray,
    n_columns: int,
    n_there_units: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct unit pairs (as `here * n_there_units + there`) sharing a column, and how many
    columns each pair shares."""
    order = np.argsort(there_columns, kind="stable")
    per_column = np.bincount(there_columns, minlength=n_columns)
    column_start = np.cumsum(per_column) - per_column
    fan_out = per_column[here_columns]
    source = np.repeat(np.arange(len(here_columns)), fan_out)
    partner = order[expand_ranges(column_start[here_columns], fan_out)]
    codes = here_units[source] * n_there_units + there_units[partner]
    return counted(codes)


def _group_pairs(here: np.ndarray, there: np.ndarray, tolerance: int) -> list[np.ndarray]:
    """Partition pairs into groups whose ranges form one run on each side.

    Alternately splits every group into runs of ranges that overlap or lie within `tolerance`
    tokens of each other on the `here` side, then on the `there` side, until nothing splits:
    each final group covers one contiguous stretch of text on both pages.
    """
    groups = [np.arange(len(here))]
    while True:
        refined = [
            part[there_run]
            for group in groups
            for here_run in _runs(here[group], tolerance)
            for part in [group[here_run]]
            for there_run in _runs(there[part], tolerance)
        ]
        if len(refined) == len(groups):
            return refined
        groups = refined


def _runs(ranges: np.ndarray, tolerance: int) -> list[np.ndarray]:
    """Indices of `ranges` split where a range starts beyond everything before it + tolerance."""
    order = np.argsort(ranges[:, 0], kind="stable")
    reach = np.maximum.accumulate(ranges[order, 1])
    breaks = np.flatnonzero(ranges[order[1:], 0] > reach[:-1] + tolerance) + 1
    return np.split(order, breaks)


def _hull(ranges: np.ndarray) -> tuple[int, int]:
    return int(ranges[:, 0].min()), int(ranges[:, 1].max())


def _separate(
    first: tuple[int, int], second: tuple[int, int]
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Cut two overlapping runs of one page at the middle of their overlap.

    Windows that straddle the gap between a passage and its repeat make the two runs
    overlap; the repeat itself lies on either side of the cut and survives trimming.
    """
    if first[1] <= second[0]:
        return first, second
    middle = (second[0] + first[1]) // 2
    return (first[0], max(first[0], middle)), (min(second[1], middle), second[1])


def _aligned_match(
    here: PageRecord,
    there: PageRecord,
    here_core: tuple[int, int],
    there_core: tuple[int, int],
    config: Config,
    same_page: bool,
) -> TokenMatch | None:
    """Two verified runs cut or grown to the chain of shingles they share, if long and similar.

    The units that verified may stop short of a lightly edited copy's ends (an edge window
    with a few edits falls below the threshold), so each side may grow by up to a window
    into its neighbourhood, following shared shingles no more than `_max_gap` apart; and it
    is cut to its first and last shared shingle, so a match never reaches into unshared text.
    """
    here_area = _widen(here_core, config.window_words, here.n_tokens)
    there_area = _widen(there_core, config.window_words, there.n_tokens)
    if same_page:
        here_area, there_area = _separate(here_area, there_area)
    here_hashes = _range_hashes(here, here_area, config)
    there_hashes = _range_hashes(there, there_area, config)
    here_run = _shared_chain(here_hashes, here_area, here_core, there_hashes, here, config)
    there_run = _shared_chain(there_hashes, there_area, there_core, here_hashes, there, config)
    if here_run is None or there_run is None:
        return None
    if min(_length(here_run), _length(there_run)) < config.min_passage_words:
        return None
    similarity = jaccard(
        _range_hashes(here, here_run, config), _range_hashes(there, there_run, config)
    )
    if similarity < config.passage_threshold:
        return None
    here_grown, there_grown = _grow_edges(here, there, here_run, there_run, config)
    if not (same_page and here_grown[1] > there_grown[0]):
        here_run, there_run = here_grown, there_grown
    return TokenMatch(here_run, there_run, similarity)


def _grow_edges(
    here: PageRecord,
    there: PageRecord,
    here_run: tuple[int, int],
    there_run: tuple[int, int],
    config: Config,
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Add back the words before the first and after the last shared shingle that are still
    part of the copy.

    A run ends at its outermost shared shingle, so an edited word among the first or last
    `shingle_words` words hides the words beyond it. Looking word by word at the same offsets
    on both sides, the run grows to the outermost offset that agrees, provided at least two
    offsets agree there: one common word ("the") on both sides is not evidence of copying.
    """
    reach = max(1, config.shingle_words)
    before = _agreeing_offset(here, there, here_run[0] - 1, there_run[0] - 1, -1, reach)
    after = _agreeing_offset(here, there, here_run[1], there_run[1], 1, reach)
    return (
        (here_run[0] - before, here_run[1] + after),
        (there_run[0] - before, there_run[1] + after),
    )


def _agreeing_offset(
    here: PageRecord, there: PageRecord, here_at: int, there_at: int, step: int, reach: int
) -> int:
    agreeing = []
    for offset in range(reach):
        i, j = here_at + step * offset, there_at + step * offset
        if not (0 <= i < here.n_tokens and 0 <= j < there.n_tokens):
            break
        if _token(here, i) == _token(there, j):
            agreeing.append(offset + 1)
    return agreeing[-1] if len(agreeing) >= 2 else 0


def _token(page: PageRecord, index: int) -> str:
    start, end = page.token_spans[index]
    return normalise_token(page.text[start:end])


def _widen(token_range: tuple[int, int], by: int, n_tokens: int) -> tuple[int, int]:
    return max(0, token_range[0] - by), min(n_tokens, token_range[1] + by)


def _max_gap(width: int) -> int:
    """Largest step between shared shingle positions that still continues a copy: one edited
    word hides `width` shingles, so this bridges two edits a few words apart."""
    return 2 * width + 2


def _shared_chain(
    hashes: np.ndarray,
    area: tuple[int, int],
    core: tuple[int, int],
    other: np.ndarray,
    page: PageRecord,
    config: Config,
) -> tuple[int, int] | None:
    """Token range from the first to the last shared shingle chained to the core's shingles."""
    width = _shingle_width(page, config)
    positions = area[0] + np.flatnonzero(locate(np.sort(other), hashes)[1])
    inside = np.flatnonzero((positions >= core[0]) & (positions <= core[1] - width))
    if len(inside) == 0:
        return None
    run_of = np.concatenate(([0], np.cumsum(np.diff(positions) > _max_gap(width))))
    in_chain = (run_of >= run_of[inside[0]]) & (run_of <= run_of[inside[-1]])
    chained = positions[in_chain]
    return int(chained[0]), int(chained[-1]) + width


def _range_hashes(page: PageRecord, token_range: tuple[int, int], config: Config) -> np.ndarray:
    start, end = shingle_ranges(np.array([token_range]), page.n_tokens, config.shingle_words)[0]
    return page.shingles[start:end]


def _length(token_range: tuple[int, int]) -> int:
    return token_range[1] - token_range[0]
