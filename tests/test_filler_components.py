"""Repeated word runs: what the Gopher n-gram measures count, checked by brute force."""

from __future__ import annotations

import pytest

from dupdetect.filler_components import (
    DUPLICATE_NGRAM_CHARS,
    MIN_REPEATED_RUN,
    PageView,
    _repeated_ngram_runs,
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
