"""Repeated word runs (what the Gopher n-gram measures count, checked by brute force) and the
array helpers the components share."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dupdetect.filler_components import (
    DUPLICATE_NGRAM_CHARS,
    MIN_REPEATED_RUN,
    PageView,
    StemNumbers,
    _repeated_ngram_runs,
    concatenated_ranges,
    distinct,
    sorted_distinct,
    stem,
)
from dupdetect.model import Segmentation
from dupdetect.segment import segment

RUN = "the tidal barrier closed twice last winter while the harbour pilots waited offshore"
TEXTS = {
    "no repeat": "Engineers expect the channel to reach fourteen metres by spring, residents said.",
    "one long run": f"{RUN.capitalize()}. Then came the storm. Some said {RUN} again today.",
    "short run only": "One of the most useful ideas came late. It was one of the most useful days.",
}


def brute_force_runs(seg: Segmentation, n: int) -> list[tuple[int, int]]:
    """Character runs of tokens inside an n-gram seen earlier, runs of few tokens dropped."""
    grams = [seg.tokens[i : i + n] for i in range(len(seg.tokens) - n + 1)]
    covered = [False] * len(seg.tokens)
    for i, gram in enumerate(grams):
        if gram in grams[:i]:
            covered[i : i + n] = [True] * n
    runs, start = [], None
    for i, flag in enumerate([*covered, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= MIN_REPEATED_RUN:
                runs.append((int(seg.token_spans[start, 0]), int(seg.token_spans[i - 1, 1])))
            start = None
    return runs


@pytest.mark.parametrize("name", list(TEXTS))
def test_repeated_runs_match_brute_force_for_every_n(name: str) -> None:
    seg = segment(TEXTS[name])
    runs = _repeated_ngram_runs(PageView.of(seg))
    assert sorted(runs) == [n for n in DUPLICATE_NGRAM_CHARS if n <= len(seg.tokens)]
    for n, found in runs.items():
        assert found == brute_force_runs(seg, n), n


def test_a_long_repeated_run_is_found_at_every_n() -> None:
    seg = segment(TEXTS["one long run"])
    second = seg.text.rindex(RUN)
    for found in _repeated_ngram_runs(PageView.of(seg)).values():
        assert found == [(second, second + len(RUN))]


def test_every_token_is_placed_in_the_sentence_holding_it() -> None:
    seg = segment("First one here. Then a second!\n\nA third, after a blank line.")
    sentence_of = PageView.of(seg).sentence_of_token
    for index, (start, end) in enumerate(seg.sentences.tolist()):
        assert sentence_of[start:end].tolist() == [index] * (end - start)
    assert len(sentence_of) == len(seg.tokens)


def test_concatenated_ranges_gather_every_run_in_order() -> None:
    indices = concatenated_ranges(np.array([5, 0, 9]), np.array([2, 0, 3]))
    assert indices.tolist() == [5, 6, 9, 10, 11]


def test_stem_numbers_agree_within_a_page_even_past_the_limit() -> None:
    numbers = StemNumbers(lambda word: "" if word == "the" else stem(word), limit=3)
    words = ["strengthening", "the", "strengthened", "tides", "tide", "harbours", "harbour"]
    first_page = numbers.of_words(words).tolist()
    assert first_page[1] == -1
    assert first_page[0] == first_page[2]
    assert first_page[3] != first_page[5]
    assert len(numbers) == len(words)  # no reset in the middle of a page
    second_page = numbers.of_words(words[:3]).tolist()
    assert len(numbers) == 3  # the reset happens between pages
    assert second_page[0] == second_page[2] != -1


@given(st.lists(st.integers(min_value=-3, max_value=40), max_size=60))
def test_distinct_is_what_numpy_unique_returns(numbers: list[int]) -> None:
    values = np.array(numbers, dtype=np.int64)
    expected = np.unique(values, return_index=True, return_inverse=True, return_counts=True)
    found = distinct(values)
    for ours, theirs in zip(found, expected, strict=True):
        assert ours.tolist() == theirs.tolist()
    assert sorted_distinct(values).tolist() == expected[0].tolist()
