"""Matching: dupdetect's Matcher vs datasketch's MinHashLSH, on the same page signatures.

Both index every page of a generated text corpus and query it with each page before adding it
(what a streaming dedup does), at threshold 0.8. datasketch gets our page signatures (they
are bit-identical to its own) and only does whole-page LSH; ours also indexes every passage
unit and verifies each candidate exactly, so this ratio prices that extra work. `ours_in_chunks`
looks pages up a chunk at a time, as a scan does (same results).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from corpus import generate, load_texts, rounds_for
from datasketch import MinHash, MinHashLSH

from dupdetect.config import Config
from dupdetect.index import open_store
from dupdetect.match import Matcher, match_input, verify
from dupdetect.model import Segmentation
from dupdetect.scan import CHUNK_PAGES
from dupdetect.segment import segment
from dupdetect.sign import DATASKETCH_SCHEME, Signatures, sign_many

CONFIG = Config()


@pytest.fixture(scope="module")
def signed(data_dir: Path, corpus_size: int) -> list[tuple[str, Segmentation, Signatures]]:
    pages = generate(load_texts(data_dir), corpus_size)
    segs = [segment(page.text, CONFIG) for page in pages]
    return list(zip([p.source for p in pages], segs, sign_many(segs, CONFIG), strict=True))


def match_ours(signed: list[tuple[str, Segmentation, Signatures]]) -> int:
    matcher = Matcher(CONFIG, open_store("memory://", CONFIG))
    return sum(
        len(matcher.check_and_add(source, seg, sigs).near_duplicates)
        for source, seg, sigs in signed
    )


def match_ours_in_chunks(signed: list[tuple[str, Segmentation, Signatures]]) -> int:
    """As a scan matches: pages looked up a chunk at a time (`CHUNK_PAGES`), then verified."""
    matcher = Matcher(CONFIG, open_store("memory://", CONFIG))
    inputs = [match_input(source, seg, sigs, CONFIG) for source, seg, sigs in signed]
    found = 0
    for start in range(0, len(inputs), CHUNK_PAGES):
        for lookup in matcher.lookup_and_add_many(inputs[start : start + CHUNK_PAGES]):
            found += len(verify(lookup, CONFIG).near_duplicates)
    return found


def match_datasketch(signed: list[tuple[str, Segmentation, Signatures]]) -> int:
    lsh = MinHashLSH(threshold=CONFIG.threshold, num_perm=CONFIG.num_perm)
    found = 0
    for source, _, sigs in signed:
        minhash = MinHash(
            num_perm=CONFIG.num_perm,
            seed=CONFIG.seed,
            hashvalues=sigs.page_signature,
            scheme=DATASKETCH_SCHEME,
        )
        found += len(lsh.query(minhash))
        lsh.insert(source, minhash)
    return found


def test_ours(benchmark: Any, signed: list) -> None:
    benchmark.extra_info.update(pages=len(signed), input=f"text x{len(signed)}")
    assert benchmark.pedantic(match_ours, args=(signed,), rounds=1) > 0


def test_ours_in_chunks(benchmark: Any, signed: list) -> None:
    benchmark.extra_info.update(pages=len(signed), input=f"text x{len(signed)}")
    found = benchmark.pedantic(match_ours_in_chunks, args=(signed,), rounds=1)
    assert found == match_ours(signed)


def test_datasketch_lsh(benchmark: Any, signed: list) -> None:
    benchmark.extra_info.update(pages=len(signed), input=f"text x{len(signed)}")
    rounds = rounds_for(len(signed))
    assert benchmark.pedantic(match_datasketch, args=(signed,), rounds=rounds) > 0
