"""Segmentation: dupdetect's tokens, sentences and windows vs the shingling a user would write.

The baseline is the usual datasketch recipe: lower-case, split on whitespace, join word
3-grams into byte strings. Ours does more (Unicode normalisation, character offsets for every
token, sentences, passage windows), so a ratio near 1 means the extra work is nearly free.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from corpus import generate, load_texts, rounds_for

from dupdetect.config import Config
from dupdetect.segment import segment

CONFIG = Config()


@pytest.fixture(scope="module")
def texts(data_dir: Path, corpus_size: int) -> list[str]:
    return [page.text for page in generate(load_texts(data_dir), corpus_size)]


def segment_all(texts: list[str]) -> int:
    return sum(segment(text, CONFIG).words for text in texts)


def baseline_shingles(texts: list[str]) -> int:
    count = 0
    for text in texts:
        words = text.lower().split()
        count += len([" ".join(words[i : i + 3]).encode() for i in range(len(words) - 2)])
    return count


def test_ours(benchmark: Any, texts: list[str]) -> None:
    benchmark.extra_info.update(pages=len(texts), input=f"text x{len(texts)}")
    rounds = rounds_for(len(texts))
    assert benchmark.pedantic(segment_all, args=(texts,), rounds=rounds) > 0


def test_baseline_split_and_join(benchmark: Any, texts: list[str]) -> None:
    benchmark.extra_info.update(pages=len(texts), input=f"text x{len(texts)}")
    rounds = rounds_for(len(texts))
    assert benchmark.pedantic(baseline_shingles, args=(texts,), rounds=rounds) > 0
