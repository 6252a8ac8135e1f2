"""Filler scoring on analysed pages: absolute speed only.

No tool a user would reach for computes an explainable filler score, so there is no baseline
to run; the figure says what share of a scan the score stage costs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from corpus import generate, load_texts, rounds_for

from dupdetect.config import Config
from dupdetect.extract import extract_text
from dupdetect.filler import score_filler
from dupdetect.match import find_repeats
from dupdetect.segment import segment
from dupdetect.sign import sign

CONFIG = Config()


@pytest.fixture(scope="module")
def analysed(data_dir: Path, corpus_size: int) -> list[tuple[Any, ...]]:
    out = []
    for page in generate(load_texts(data_dir), corpus_size):
        extraction = extract_text(page.text, page.source, CONFIG)
        seg = segment(extraction.text, CONFIG)
        out.append((extraction, seg, find_repeats(seg, sign(seg, CONFIG), CONFIG)))
    return out


def score_all(analysed: list[tuple[Any, ...]]) -> float:
    return sum(score_filler(*item, CONFIG).score for item in analysed)


def test_ours(benchmark: Any, analysed: list) -> None:
    benchmark.extra_info.update(pages=len(analysed), input=f"text x{len(analysed)}")
    rounds = rounds_for(len(analysed))
    assert benchmark.pedantic(score_all, args=(analysed,), rounds=rounds) >= 0
