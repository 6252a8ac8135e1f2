"""Signing speed: our batched signer vs datasketch `MinHash.bulk` on the same shingles.

Both sides compute the same thing, 128-permutation MinHash values that are asserted
bit-identical before timing; datasketch is handed the shingles ready-made as bytes (its best
case) and hashes them with our `shingle_hash`. We also time the full `sign_many` (page
signatures plus the 64-permutation signatures of every passage unit), which has no datasketch
counterpart. The ratios are printed at the end of the session.

Run: pytest benchmarks/bench_sign.py --benchmark-only -s  [DUPDETECT_DATA=../shared/data/wcxb-dev]
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from corpus import DEFAULT_DATA, load_texts
from datasketch import MinHash

from dupdetect.config import Config
from dupdetect.segment import segment
from dupdetect.sign import (
    DATASKETCH_SCHEME,
    batch_shingle_hashes,
    minhash_ranges,
    shingle_bytes,
    shingle_hash,
    sign_many,
)

PAGES = 300
CONFIG = Config()
MEANS: dict[str, float] = {}


@pytest.fixture(scope="module")
def segs() -> list:
    data = Path(os.environ.get("DUPDETECT_DATA", DEFAULT_DATA))
    if not data.exists():
        pytest.skip(f"no article texts at {data}")
    return [segment(text, CONFIG) for text in load_texts(data)[:PAGES]]


@pytest.fixture(scope="module")
def shingles(segs: list) -> list[list[bytes]]:
    return [shingle_bytes(seg.tokens, CONFIG.shingle_words) for seg in segs]


def page_signatures(segs: list) -> np.ndarray:
    """Our page signatures for a batch: what datasketch computes, nothing more."""
    per_page = batch_shingle_hashes([seg.tokens for seg in segs], CONFIG.shingle_words)
    ends = np.cumsum([len(h) for h in per_page])
    ranges = np.stack([ends - [len(h) for h in per_page], ends], axis=1)
    return minhash_ranges(np.concatenate(per_page), ranges, CONFIG.num_perm, CONFIG.seed)


def datasketch_signatures(shingles: list[list[bytes]]) -> list[MinHash]:
    return MinHash.bulk(
        shingles,
        num_perm=CONFIG.num_perm,
        seed=CONFIG.seed,
        hashfunc=shingle_hash,
        scheme=DATASKETCH_SCHEME,
    )


def test_values_are_identical(segs: list, shingles: list[list[bytes]]) -> None:
    ours = page_signatures(segs)
    theirs = np.array([m.hashvalues for m in datasketch_signatures(shingles)])
    assert np.array_equal(ours, theirs)


def test_datasketch_bulk(benchmark, shingles: list[list[bytes]]) -> None:
    benchmark.pedantic(datasketch_signatures, args=(shingles,), rounds=3, iterations=1)
    MEANS["datasketch"] = benchmark.stats.stats.mean


def test_our_page_signatures(benchmark, segs: list) -> None:
    benchmark.pedantic(page_signatures, args=(segs,), rounds=5, iterations=1)
    MEANS["ours_pages"] = benchmark.stats.stats.mean


def test_our_full_sign_many(benchmark, segs: list) -> None:
    benchmark.pedantic(sign_many, args=(segs, CONFIG), rounds=5, iterations=1)
    MEANS["ours_full"] = benchmark.stats.stats.mean


def test_print_ratios(segs: list) -> None:
    if len(MEANS) < 3:
        pytest.skip("run with --benchmark-only after the timed tests")
    words = sum(len(seg.tokens) for seg in segs)
    print(f"\n{len(segs)} pages, {words} words, same shingles and identical values")
    for name in ("datasketch", "ours_pages", "ours_full"):
        print(f"  {name:<11} {len(segs) / MEANS[name]:>9.0f} pages/s")
    print(f"  page signatures: {MEANS['datasketch'] / MEANS['ours_pages']:.1f}x datasketch")
    print(
        f"  full sign_many (pages + passage units): "
        f"{MEANS['datasketch'] / MEANS['ours_full']:.1f}x datasketch page signatures"
    )
