"""Verified passage matches between two pages (or within one), as maximal token spans.

1. Every unit pair (sentences and windows, see `sign.passage_units`) is scored with the exact
   Jaccard of the two units' shingle sets, counted by joining the two pages' (unit, shared
   shingle) incidences on the shingle, so the cost follows the overlap, not the page lengths.
2. Pairs at or above `config.passage_threshold` are grouped into runs whose units overlap or
   touch on *both* sides, so sentences reordered within a copied run land in one group and one
   copied run gives one match, whatever the number of sentences or windows it spans.
3. Each run is aligned: cut or grown (by up to a window) to the chain of shingles it shares with
   the other side, then grown word by word past edited edge words (`_edge_growth`).
   All runs of a page pair are aligned together, in array operations over their concatenated
   shingles: a listing or forum page repeats itself hundreds of times, and work per run in
   Python made such pages cost hundreds of times what an article does.
4. A run is kept if both sides have at least `config.min_passage_words` words and the exact
   Jaccard of their shingle sets reaches the threshold; that Jaccard is its similarity.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from dupdetect.arrays import counted, expand_ranges, group_starts, locate
from dupdetect.config import Config
from dupdetect.index.base import PageRecord
from dupdetect.model import Span
from dupdetect.segment import normalise_token
from dupdetect.sign import distinct, shingle_ranges

_HIGH = np.uint64(32)


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
    here_units, there_units = _verified_unit_pairs(here, there, shared, config, same_page)
    if len(here_units) == 0:
        return []
    matches = _grouped_matches(
        here, there, here.unit_ranges[here_units], there.unit_ranges[there_units], config, same_page
    )
    if len(matches) > 1:
        # Extension can make two runs meet: align each merged stretch once more.
        here_runs = np.array([m.here for m in matches])
        there_runs = np.array([m.there for m in matches])
        matches = _grouped_matches(here, there, here_runs, there_runs, config, same_page)
    return sorted(set(matches), key=lambda m: (m.here, m.there))


def _grouped_matches(
    here: PageRecord,
    there: PageRecord,
    here_ranges: np.ndarray,
    there_ranges: np.ndarray,
    config: Config,
    same_page: bool,
) -> list[TokenMatch]:
    """Matches aligned from the hulls of the runs that pairs of ranges form on both sides."""
    order, starts = _group_pairs(here_ranges, there_ranges, tolerance=_shingle_width(here, config))
    hulls = _hulls(np.concatenate([here_ranges, there_ranges], axis=1)[order], starts)
    here_hulls, there_hulls = hulls[:, :2], hulls[:, 2:]
    if same_page:
        here_hulls, there_hulls = _separate(here_hulls, there_hulls)
    return _aligned_matches(here, there, here_hulls, there_hulls, config, same_page)


def _shingle_width(page: PageRecord, config: Config) -> int:
    return max(1, min(config.shingle_words, page.n_tokens))


def _shared_hashes(a: np.ndarray, b: np.ndarray, same_page: bool) -> np.ndarray:
    """Sorted distinct hashes on both sides; within a page, hashes occurring twice or more."""
    if same_page:
        ordered = np.sort(a)
        return distinct(ordered[1:][ordered[1:] == ordered[:-1]])
    return _shared_values(a, b)


def _verified_unit_pairs(
    here: PageRecord, there: PageRecord, shared: np.ndarray, config: Config, same_page: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Indices of unit pairs whose exact shingle-set Jaccard reaches the passage threshold.

    Two units overlap only in shared hashes, so each side is reduced to its (unit, shared hash)
    incidences and the pairs are counted by joining the two on the hash: the work follows the
    overlap, not the number of unit pairs.
    """
    here_sizes, here_units, here_columns = _unit_incidences(here, shared, config)
    if same_page:
        there_sizes, there_units = here_sizes, here_units
        order, first, fan_out = _later_partners(here, here_units, here_columns, len(shared))
    else:
        there_sizes, there_units, there_columns = _unit_incidences(there, shared, config)
        order, first, fan_out = _column_partners(here_columns, there_columns, len(shared))
    partners = there_units[order][expand_ranges(first, fan_out)]
    pairs, inter = counted(np.repeat(here_units * len(there_sizes), fan_out) + partners)
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
    incidences.

    Only the page's shingles are looked up in `shared`, and only the units' positions holding
    a shared hash are deduplicated: windows overlap, so a page has several times more (unit,
    position) pairs than shingles, and two pages share few of them.
    """
    sizes, units, positions = _unit_shingles(page, config.shingle_words)
    columns, present = locate(shared, page.shingles)
    at = present[positions]
    width = max(1, len(shared))
    units, columns = np.divmod(distinct(units[at] * width + columns[positions[at]]), width)
    return sizes, units, columns


@functools.lru_cache(maxsize=4)
def _unit_shingles(
    page: PageRecord, shingle_words: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each unit's number of distinct hashes, and every (unit, shingle position) of the units.

    Cached by record identity: the matching process verifies a new page against each of its
    candidates in turn, and this is the part of the work that does not depend on the other.
    """
    ranges = shingle_ranges(page.unit_ranges, page.n_tokens, shingle_words)
    units, positions = _unit_positions(ranges)
    return _distinct_counts(page.shingles, ranges, units, positions), units, positions


def _distinct_counts(
    hashes: np.ndarray, ranges: np.ndarray, units: np.ndarray, positions: np.ndarray
) -> np.ndarray:
    """Number of distinct hashes in each range: its length less its repeated occurrences.

    A hash repeats within a range only if the page holds it twice, so only the (range,
    position) pairs of such hashes are sorted, on most pages a small share of them.
    """
    twice = _repeated(hashes)[positions]
    pairs = np.sort(units[twice].astype(np.uint64) << _HIGH | hashes[positions[twice]])
    again = (pairs[1:][pairs[1:] == pairs[:-1]] >> _HIGH).astype(np.int64)
    return ranges[:, 1] - ranges[:, 0] - np.bincount(again, minlength=len(ranges))


def _repeated(values: np.ndarray) -> np.ndarray:
    """Whether each value occurs more than once in the array."""
    order = np.argsort(values)
    ordered = values[order]
    equal = ordered[1:] == ordered[:-1]
    repeated = np.zeros(len(values), dtype=bool)
    repeated[order[1:][equal]] = True
    repeated[order[:-1][equal]] = True
    return repeated


def _column_partners(
    here_columns: np.ndarray, there_columns: np.ndarray, n_columns: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The partners of each `here` incidence, the `there` incidences in its column, as a slice
    (first, length) of `order`, which lists `there`'s incidences column by column."""
    order = np.argsort(there_columns)
    per_column = np.bincount(there_columns, minlength=n_columns)
    column_start = np.cumsum(per_column) - per_column
    return order, column_start[here_columns], per_column[here_columns]


def _later_partners(
    page: PageRecord, units: np.ndarray, columns: np.ndarray, n_columns: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`_column_partners` within a page, keeping only the incidences of units that start
    where the incidence's unit ends or later.

    The others (a unit with itself, with the windows overlapping it, each pair twice) are
    most of the join and could never be reported, as the two sides of a repeat never overlap.
    """
    span = page.n_tokens + 1
    keys = columns * span + page.unit_ranges[units, 0]
    order = np.argsort(keys)
    first = np.searchsorted(keys[order], columns * span + page.unit_ranges[units, 1])
    column_end = np.cumsum(np.bincount(columns, minlength=n_columns))
    return order, first, column_end[columns] - first


def _group_pairs(
    here: np.ndarray, there: np.ndarray, tolerance: int
) -> tuple[np.ndarray, np.ndarray]:
    """Pair indices group by group, and where each group starts among them, for groups whose
    ranges form one run on each side.

    Alternately splits every group into runs of ranges that overlap or lie within `tolerance`
    tokens of each other on the `here` side, then on the `there` side, until nothing splits:
    each final group covers one contiguous stretch of text on both pages. Groups come in the
    order of the stretches they split from, then of their start.
    """
    groups, count = np.zeros(len(here), dtype=np.int64), 1
    while True:
        split, _ = _split_runs(here, groups, tolerance)
        split, order = _split_runs(there, split, tolerance)
        refined = int(split[order[-1]]) + 1  # the last pair in order has the last group
        if refined == count:
            return order, group_starts(split[order])
        groups, count = split, refined


def _split_runs(
    ranges: np.ndarray, groups: np.ndarray, tolerance: int
) -> tuple[np.ndarray, np.ndarray]:
    """Groups renumbered, split where a range starts beyond everything before it in its group
    + tolerance, and the order of the pairs by new group number.

    All groups in one pass: offsetting each group's ranges by a multiple of a span longer
    than any range and gap, one sort and one running maximum see every group apart.
    """
    span = int(ranges[:, 1].max()) + tolerance + 1
    starts = groups * span + ranges[:, 0]
    order = np.argsort(starts, kind="stable")
    reach = np.maximum.accumulate(groups[order] * span + ranges[order, 1])
    breaks = starts[order[1:]] > reach[:-1] + tolerance
    in_order = np.zeros(len(groups), dtype=np.int64)
    np.cumsum(breaks, out=in_order[1:])
    renumbered = np.empty_like(in_order)
    renumbered[order] = in_order
    return renumbered, order


def _hulls(ranges: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """(first start, last end) of each group of ranges, groups being slices from `starts`;
    rows may hold several ranges side by side, (start, end, start, end, ...)."""
    hulls = np.minimum.reduceat(ranges, starts)
    hulls[:, 1::2] = np.maximum.reduceat(ranges[:, 1::2], starts)
    return hulls


def _separate(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cut pairs of overlapping runs of one page at the middle of their overlap.

    Windows that straddle the gap between a passage and its repeat make the two runs
    overlap; the repeat itself lies on either side of the cut and survives trimming.
    """
    first, second = first.copy(), second.copy()
    overlap = first[:, 1] > second[:, 0]
    middle = (second[:, 0] + first[:, 1]) // 2
    first[:, 1] = np.where(overlap, np.maximum(first[:, 0], middle), first[:, 1])
    second[:, 0] = np.where(overlap, np.minimum(second[:, 1], middle), second[:, 0])
    return first, second


def _aligned_matches(
    here: PageRecord,
    there: PageRecord,
    here_cores: np.ndarray,
    there_cores: np.ndarray,
    config: Config,
    same_page: bool,
) -> list[TokenMatch]:
    """Pairs of verified runs cut or grown to the chain of shingles they share, if long and
    similar, all pairs of a page pair in one pass of array operations.

    The units that verified may stop short of a lightly edited copy's ends (an edge window
    with a few edits falls below the threshold), so each side may grow by up to a window
    into its neighbourhood, following shared shingles no more than `_max_gap` apart; and it
    is cut to its first and last shared shingle, so a match never reaches into unshared text.
    """
    n_pairs = len(here_cores)
    here_areas = _widen(here_cores, config.window_words, here.n_tokens)
    there_areas = _widen(there_cores, config.window_words, there.n_tokens)
    if same_page:
        here_areas, there_areas = _separate(here_areas, there_areas)
    areas = _AreaShingles.of(here, there, here_areas, there_areas, config)
    widths = np.full(2 * n_pairs, _shingle_width(here, config))
    widths[n_pairs:] = _shingle_width(there, config)
    runs, found = _shared_chains(areas, np.concatenate([here_cores, there_cores]), widths)
    here_runs, there_runs = runs[:n_pairs], runs[n_pairs:]
    long_enough = np.minimum(_lengths(here_runs), _lengths(there_runs)) >= config.min_passage_words
    kept = found[:n_pairs] & found[n_pairs:] & long_enough
    similarity = areas.run_jaccards(runs, np.concatenate([kept, kept]), widths)
    passed = np.flatnonzero(kept & (similarity >= config.passage_threshold))
    here_runs, there_runs = _grown(
        here, there, here_runs[passed], there_runs[passed], config, same_page
    )
    similarity = similarity[passed]
    if same_page:
        apart = here_runs[:, 1] <= there_runs[:, 0]
        here_runs, there_runs, similarity = here_runs[apart], there_runs[apart], similarity[apart]
    return [
        TokenMatch(tuple(h), tuple(t), s)
        for h, t, s in zip(
            here_runs.tolist(), there_runs.tolist(), similarity.tolist(), strict=True
        )
    ]


_OTHER_SIDE = np.uint64(1 << 63)


@dataclass(frozen=True)
class _AreaShingles:
    """The shingles in the areas around n pairs of runs, both sides of every pair in one set
    of arrays, so that what each area shares with its partner is found for all pairs by one
    sort and one search.

    Pair k's area on `here` is owner k and its area on `there` owner n + k. Each shingle is
    keyed `side << 63 | k << 32 | hash` (side 0 on `here`, 1 on `there`), so the key of the
    same hash in the partner area differs in the side bit only, and `here`'s keys sort first.
    """

    owners: np.ndarray
    positions: np.ndarray
    keys: np.ndarray

    @classmethod
    def of(
        cls,
        here: PageRecord,
        there: PageRecord,
        here_areas: np.ndarray,
        there_areas: np.ndarray,
        config: Config,
    ) -> _AreaShingles:
        n_pairs = len(here_areas)
        owners, positions = _unit_positions(
            np.concatenate(
                [
                    shingle_ranges(here_areas, here.n_tokens, config.shingle_words),
                    shingle_ranges(there_areas, there.n_tokens, config.shingle_words),
                ]
            )
        )
        split = np.searchsorted(owners, n_pairs)
        hashes = np.concatenate(
            [here.shingles[positions[:split]], there.shingles[positions[split:]]]
        )
        pairs = owners.astype(np.uint64)
        pairs[split:] += np.uint64((1 << 31) - n_pairs)
        return cls(owners, positions, pairs << _HIGH | hashes)

    def shared(self) -> np.ndarray:
        """Whether each shingle's hash is also in its partner area."""
        return locate(np.sort(self.keys), self.keys ^ _OTHER_SIDE)[1]

    def run_jaccards(self, runs: np.ndarray, kept: np.ndarray, widths: np.ndarray) -> np.ndarray:
        """`jaccard` of the shingles of each pair's two runs (runs lie within their areas, so
        their shingles are among these), where `kept` (by owner) holds on both sides."""
        owners, positions = self.owners, self.positions
        inside = (
            kept[owners]
            & (positions >= runs[owners, 0])
            & (positions <= runs[owners, 1] - widths[owners])
        )
        keys = distinct(self.keys[inside])
        split = np.searchsorted(keys, _OTHER_SIDE)
        here_keys, there_keys = keys[:split], keys[split:] ^ _OTHER_SIDE
        n_pairs = len(kept) // 2
        here_sizes = _pair_counts(here_keys, n_pairs)
        there_sizes = _pair_counts(there_keys, n_pairs)
        shared = _pair_counts(here_keys[locate(there_keys, here_keys)[1]], n_pairs)
        return shared / np.maximum(here_sizes + there_sizes - shared, 1)


def _last_of_groups(starts: np.ndarray, length: int) -> np.ndarray:
    """Index of the last element of each group of an array of `length` elements, given the
    index of the first (`starts`, nonempty if `length` is)."""
    ends = np.empty_like(starts)
    ends[:-1] = starts[1:] - 1
    ends[-1:] = length - 1
    return ends


def _pair_counts(keys: np.ndarray, n_pairs: int) -> np.ndarray:
    """How many of `here`-side keys (`_AreaShingles`) belong to each pair."""
    return np.bincount((keys >> _HIGH).astype(np.int64), minlength=n_pairs)


def _shared_chains(
    areas: _AreaShingles, cores: np.ndarray, widths: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each area, the token range from the first to the last shingle it shares with its
    partner area that is chained to its core's shingles, and whether it has any."""
    shared = areas.shared()
    owners, positions = areas.owners[shared], areas.positions[shared]
    width = widths[owners]
    new_chain = np.ones(len(positions), dtype=bool)
    new_chain[1:] = (owners[1:] != owners[:-1]) | (
        positions[1:] - positions[:-1] > _max_gap(width[1:])
    )
    chain_starts = new_chain.nonzero()[0]
    chain_ends = _last_of_groups(chain_starts, len(positions))
    chain_of = np.cumsum(new_chain) - 1
    inside = ((positions >= cores[owners, 0]) & (positions <= cores[owners, 1] - width)).nonzero()[
        0
    ]
    first_inside = group_starts(owners[inside])
    last_inside = _last_of_groups(first_inside, len(inside))
    found = owners[inside[first_inside]]
    runs = np.zeros((len(cores), 2), dtype=np.int64)
    runs[found, 0] = positions[chain_starts[chain_of[inside[first_inside]]]]
    runs[found, 1] = positions[chain_ends[chain_of[inside[last_inside]]]] + widths[found]
    has_run = np.zeros(len(cores), dtype=bool)
    has_run[found] = True
    return runs, has_run


def _grown(
    here: PageRecord,
    there: PageRecord,
    here_runs: np.ndarray,
    there_runs: np.ndarray,
    config: Config,
    same_page: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """The runs grown past edited edge words (`_grow_edges`), except, within a page, where
    growing would make the two sides overlap."""
    growth = _edge_growth(here, there, here_runs, there_runs, config)
    here_grown, there_grown = here_runs + growth, there_runs + growth
    if same_page:
        overlapping = here_grown[:, 1] > there_grown[:, 0]
        here_grown[overlapping], there_grown[overlapping] = (
            here_runs[overlapping],
            there_runs[overlapping],
        )
    return here_grown, there_grown


def _edge_growth(
    here: PageRecord,
    there: PageRecord,
    here_runs: np.ndarray,
    there_runs: np.ndarray,
    config: Config,
) -> np.ndarray:
    """How far to move each run's start and end to add back the words before the first and
    after the last shared shingle that are still part of the copy.

    A run ends at its outermost shared shingle, so an edited word among the first or last
    `shingle_words` words hides the words beyond it. Looking word by word at the same offsets
    on both sides, the run grows to the outermost offset that agrees, provided at least two
    offsets agree there: one common word ("the") on both sides is not evidence of copying.
    """
    reach = max(1, config.shingle_words)
    here_index = _edge_words(here_runs, reach)
    there_index = _edge_words(there_runs, reach)
    on_pages = np.logical_and.accumulate(
        (here_index >= 0)
        & (here_index < here.n_tokens)
        & (there_index >= 0)
        & (there_index < there.n_tokens),
        axis=2,
    )
    agree = np.zeros(on_pages.shape, dtype=bool)
    agree[on_pages] = _same_words(here, there, here_index[on_pages], there_index[on_pages])
    outermost = (reach - np.argmax(agree[..., ::-1], axis=2)) * (agree.sum(axis=2) >= 2)
    return outermost * np.array([-1, 1])


def _edge_words(runs: np.ndarray, reach: int) -> np.ndarray:
    """Token indices of the `reach` words before each run's start and after its end, as
    (run, side, step)."""
    steps = np.arange(reach)
    return runs[:, :, None] + np.array([-1 - steps, steps])


def _same_words(
    here: PageRecord, there: PageRecord, here_index: np.ndarray, there_index: np.ndarray
) -> np.ndarray:
    """Whether the words at each pair of token indices are the same once normalised."""
    here_words, there_words = _words(here, here_index), _words(there, there_index)
    return np.array(
        [
            a == b or normalise_token(a) == normalise_token(b)
            for a, b in zip(here_words, there_words, strict=True)
        ],
        dtype=bool,
    )


def _words(page: PageRecord, index: np.ndarray) -> list[str]:
    return [page.text[start:end] for start, end in page.token_spans[index].tolist()]


def _widen(token_ranges: np.ndarray, by: int, n_tokens: int) -> np.ndarray:
    return np.minimum(np.maximum(token_ranges + np.array([-by, by]), 0), n_tokens)


def _max_gap(width: np.ndarray) -> np.ndarray:
    """Largest step between shared shingle positions that still continues a copy: one edited
    word hides `width` shingles, so this bridges two edits a few words apart."""
    return 2 * width + 2


def _lengths(token_ranges: np.ndarray) -> np.ndarray:
    return token_ranges[:, 1] - token_ranges[:, 0]
