"""Passage verification works on all unit pairs and runs of a page pair at once; each batched
step must give what the plain per-pair definition gives, checked with hypothesis."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dupdetect.config import DEFAULT_CONFIG
from dupdetect.index.base import PageRecord
from dupdetect.segment import normalise_token, segment
from dupdetect.sign import sign
from dupdetect.spans import (
    TokenMatch,
    _aligned_matches,
    _group_pairs,
    _hulls,
    _separate,
    _shared_hashes,
    _unit_shingles,
    _verified_unit_pairs,
    passage_matches,
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# A small vocabulary, so that unrelated sentences share shingles as listings and forums do.
WORDS = "reply posted by admin on march the new ferry timetable price list river view".split()
sentence = st.lists(st.sampled_from(WORDS), min_size=3, max_size=14).map(
    lambda words: " ".join(words).capitalize() + "."
)


@st.composite
def page_text(draw: st.DrawFn) -> str:
    """Sentences, some of them copied elsewhere on the page, a few with one word changed."""
    sentences = draw(st.lists(sentence, min_size=2, max_size=30))
    for _ in range(draw(st.integers(0, 12))):
        copied = draw(st.sampled_from(sentences)).split()
        if draw(st.booleans()):
            copied[draw(st.integers(0, len(copied) - 1))] = draw(st.sampled_from(WORDS))
        sentences.insert(draw(st.integers(0, len(sentences))), " ".join(copied))
    return " ".join(sentences)


def record(text: str) -> PageRecord:
    seg = segment(text, DEFAULT_CONFIG)
    return PageRecord.from_page("page", seg, sign(seg, DEFAULT_CONFIG))


def unit_sets(page: PageRecord) -> list[set[int]]:
    width = min(DEFAULT_CONFIG.shingle_words, page.n_tokens)
    return [
        set(page.shingles[start : max(start, end - width + 1)].tolist())
        for start, end in page.unit_ranges.tolist()
    ]


def verified_by_definition(
    here: PageRecord, there: PageRecord, same_page: bool
) -> list[tuple[int, int]]:
    """Unit pairs at or above the passage threshold, one Jaccard at a time; within a page only
    pairs whose second unit starts where the first ends or later."""
    here_sets, there_sets = unit_sets(here), unit_sets(there)
    found = []
    for (i, a), (j, b) in itertools.product(enumerate(here_sets), enumerate(there_sets)):
        if same_page and here.unit_ranges[i, 1] > there.unit_ranges[j, 0]:
            continue
        if a & b and len(a & b) / len(a | b) >= DEFAULT_CONFIG.passage_threshold:
            found.append((i, j))
    return found


def verified(here: PageRecord, there: PageRecord, same_page: bool) -> list[tuple[int, int]]:
    shared = _shared_hashes(here.shingles, there.shingles, same_page)
    rows, cols = _verified_unit_pairs(here, there, shared, DEFAULT_CONFIG, same_page)
    return list(zip(rows.tolist(), cols.tolist(), strict=True))


@SETTINGS
@given(page_text())
def test_unit_pairs_within_a_page_are_the_later_pairs_reaching_the_threshold(text: str) -> None:
    page = record(text)
    assert verified(page, page, same_page=True) == verified_by_definition(page, page, True)


@SETTINGS
@given(page_text(), page_text())
def test_unit_pairs_across_pages_are_all_pairs_reaching_the_threshold(a: str, b: str) -> None:
    here, there = record(a), record(b)
    assert verified(here, there, same_page=False) == verified_by_definition(here, there, False)


@SETTINGS
@given(page_text())
def test_unit_sizes_count_distinct_shingles(text: str) -> None:
    page = record(text)
    sizes = _unit_shingles(page, DEFAULT_CONFIG.shingle_words)[0]
    assert sizes.tolist() == [len(unit) for unit in unit_sets(page)]


def groups_by_definition(here: np.ndarray, there: np.ndarray, tolerance: int) -> list[list[int]]:
    """Split each group into runs on the `here` side, then each run on the `there` side, group
    after group, until nothing splits."""

    def runs(indices: list[int], ranges: np.ndarray) -> list[list[int]]:
        found: list[list[int]] = []
        reach = None
        for i in sorted(indices, key=lambda i: ranges[i, 0]):
            if reach is None or ranges[i, 0] > reach + tolerance:
                found.append([])
                reach = ranges[i, 1]
            found[-1].append(i)
            reach = max(reach, ranges[i, 1])
        return found

    groups = [list(range(len(here)))]
    while True:
        refined = [part for g in groups for run in runs(g, here) for part in runs(run, there)]
        if len(refined) == len(groups):
            return refined
        groups = refined


range_rows = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 40), st.integers(0, 200), st.integers(1, 40)),
    min_size=1,
    max_size=40,
)


@SETTINGS
@given(range_rows, st.integers(0, 6))
def test_grouping_splits_like_the_group_by_group_definition(
    rows: list[tuple[int, int, int, int]], tolerance: int
) -> None:
    here = np.array([(start, start + length) for start, length, _, _ in rows])
    there = np.array([(start, start + length) for _, _, start, length in rows])
    order, starts = _group_pairs(here, there, tolerance)
    got = [sorted(group.tolist()) for group in np.split(order, starts[1:])]
    assert got == [sorted(group) for group in groups_by_definition(here, there, tolerance)]


def hulls_of_verified_pairs(
    here: PageRecord, there: PageRecord, same_page: bool
) -> tuple[np.ndarray, np.ndarray]:
    rows, cols = np.array(verified(here, there, same_page), dtype=np.int64).reshape(-1, 2).T
    here_ranges, there_ranges = here.unit_ranges[rows], there.unit_ranges[cols]
    order, starts = _group_pairs(here_ranges, there_ranges, DEFAULT_CONFIG.shingle_words)
    hulls = _hulls(np.concatenate([here_ranges, there_ranges], axis=1)[order], starts)
    if same_page:
        return _separate(hulls[:, :2], hulls[:, 2:])
    return hulls[:, :2], hulls[:, 2:]


Range = tuple[int, int]


def width_of(page: PageRecord) -> int:
    return max(1, min(DEFAULT_CONFIG.shingle_words, page.n_tokens))


def hashes_in(page: PageRecord, token_range: Range) -> list[int]:
    end = max(token_range[0], token_range[1] - min(DEFAULT_CONFIG.shingle_words, page.n_tokens) + 1)
    return page.shingles[token_range[0] : end].tolist()


def apart(first: Range, second: Range) -> tuple[Range, Range]:
    if first[1] <= second[0]:
        return first, second
    middle = (second[0] + first[1]) // 2
    return (first[0], max(first[0], middle)), (min(second[1], middle), second[1])


def chain(page: PageRecord, area: Range, core: Range, other: set[int]) -> Range | None:
    """From the first to the last shared shingle linked to the core's by steps of at most
    2 * width + 2, one position at a time."""
    width = width_of(page)
    positions = [area[0] + i for i, h in enumerate(hashes_in(page, area)) if h in other]
    inside = [k for k, p in enumerate(positions) if core[0] <= p <= core[1] - width]
    if not inside:
        return None
    link = [0] + [int(b - a > 2 * width + 2) for a, b in itertools.pairwise(positions)]
    run_of = list(itertools.accumulate(link))
    first, last = run_of[inside[0]], run_of[inside[-1]]
    chained = [p for p, r in zip(positions, run_of, strict=True) if first <= r <= last]
    return chained[0], chained[-1] + width


def edge_growth(here: PageRecord, there: PageRecord, at: Range, step: int) -> int:
    agreeing = []
    for offset in range(DEFAULT_CONFIG.shingle_words):
        i, j = at[0] + step * offset, at[1] + step * offset
        if not (0 <= i < here.n_tokens and 0 <= j < there.n_tokens):
            break
        if normalise_token(word(here, i)) == normalise_token(word(there, j)):
            agreeing.append(offset + 1)
    return agreeing[-1] if len(agreeing) >= 2 else 0


def word(page: PageRecord, index: int) -> str:
    start, end = page.token_spans[index].tolist()
    return page.text[start:end]


def aligned_by_definition(
    here: PageRecord, there: PageRecord, here_core: Range, there_core: Range, same_page: bool
) -> TokenMatch | None:
    """One run pair widened by a window, cut to its shared chain, checked and grown."""
    config = DEFAULT_CONFIG
    here_area = (
        max(0, here_core[0] - config.window_words),
        min(here.n_tokens, here_core[1] + config.window_words),
    )
    there_area = (
        max(0, there_core[0] - config.window_words),
        min(there.n_tokens, there_core[1] + config.window_words),
    )
    if same_page:
        here_area, there_area = apart(here_area, there_area)
    here_run = chain(here, here_area, here_core, set(hashes_in(there, there_area)))
    there_run = chain(there, there_area, there_core, set(hashes_in(here, here_area)))
    if here_run is None or there_run is None:
        return None
    if min(here_run[1] - here_run[0], there_run[1] - there_run[0]) < config.min_passage_words:
        return None
    a, b = set(hashes_in(here, here_run)), set(hashes_in(there, there_run))
    similarity = len(a & b) / len(a | b)
    if similarity < config.passage_threshold:
        return None
    before = edge_growth(here, there, (here_run[0] - 1, there_run[0] - 1), -1)
    after = edge_growth(here, there, (here_run[1], there_run[1]), 1)
    grown = (
        (here_run[0] - before, here_run[1] + after),
        (there_run[0] - before, there_run[1] + after),
    )
    if not (same_page and grown[0][1] > grown[1][0]):
        here_run, there_run = grown
    if same_page and here_run[1] > there_run[0]:
        return None
    return TokenMatch(here_run, there_run, similarity)


def check_alignment_is_per_pair(here: PageRecord, there: PageRecord, same_page: bool) -> None:
    if not verified(here, there, same_page):
        return
    here_hulls, there_hulls = hulls_of_verified_pairs(here, there, same_page)
    together = _aligned_matches(here, there, here_hulls, there_hulls, DEFAULT_CONFIG, same_page)
    one_by_one = [
        aligned_by_definition(here, there, tuple(h), tuple(t), same_page)
        for h, t in zip(here_hulls.tolist(), there_hulls.tolist(), strict=True)
    ]
    assert together == [match for match in one_by_one if match is not None]


@SETTINGS
@given(page_text())
def test_aligning_all_runs_of_a_page_together_equals_aligning_each_alone(text: str) -> None:
    page = record(text)
    check_alignment_is_per_pair(page, page, same_page=True)


@SETTINGS
@given(page_text(), page_text())
def test_aligning_all_runs_of_two_pages_together_equals_aligning_each_alone(a: str, b: str) -> None:
    check_alignment_is_per_pair(record(a), record(b), same_page=False)


@SETTINGS
@given(page_text())
def test_repeats_lie_apart_and_are_copies(text: str) -> None:
    page = record(text)
    for match in passage_matches(page, page, DEFAULT_CONFIG, same_page=True):
        assert match.here[1] <= match.there[0]
        assert match.similarity >= DEFAULT_CONFIG.passage_threshold
