"""Signing: shingle hashes, datasketch-identical MinHash values, passage units."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from dupdetect.config import Config
from dupdetect.segment import segment
from dupdetect.sign import (
    DATASKETCH_SCHEME,
    _tiled_permutations,
    minhash_ranges,
    passage_units,
    permutations,
    premix,
    shingle_bytes,
    shingle_hash,
    shingle_hashes,
    sign,
    sign_many,
)

ARTICLE = (
    "The harbour board approved a dredging plan on Tuesday after two years of delay.\n\n"
    "Engineers expect the channel to reach a depth of 14.5 metres by next spring, "
    "which would let larger container ships call at the port without waiting for the tide.\n\n"
    "Residents of the east bank said they still worried about noise from night work. "
    "Mr. Okafor, who chairs the residents' group, asked for a public meeting."
)


def datasketch_minhash(tokens: tuple[str, ...], config: Config, num_perm: int) -> np.ndarray:
    minhash = MinHash(
        num_perm=num_perm, seed=config.seed, hashfunc=shingle_hash, scheme=DATASKETCH_SCHEME
    )
    minhash.update_batch(shingle_bytes(tokens, config.shingle_words))
    return minhash.hashvalues


@pytest.mark.parametrize("config", [Config(), Config(seed=7, num_perm=96, shingle_words=4)])
def test_page_signature_is_bit_identical_to_datasketch(config: Config) -> None:
    seg = segment(ARTICLE, config)
    sigs = sign(seg, config)
    expected = datasketch_minhash(seg.tokens, config, config.num_perm)
    assert sigs.page_signature.dtype == expected.dtype
    assert np.array_equal(sigs.page_signature, expected)


def test_every_unit_signature_is_bit_identical_to_datasketch() -> None:
    config = Config()
    seg = segment(ARTICLE, config)
    sigs = sign(seg, config)
    assert len(sigs.unit_ranges) > 3
    for (start, end), signature in zip(sigs.unit_ranges, sigs.unit_signatures, strict=True):
        expected = datasketch_minhash(seg.tokens[start:end], config, config.passage_num_perm)
        assert np.array_equal(signature, expected)


def test_vectorised_shingle_hashes_equal_shingle_hash_of_bytes() -> None:
    tokens = segment(ARTICLE).tokens
    hashes = shingle_hashes(tokens, 3)
    assert hashes.tolist() == [shingle_hash(s) for s in shingle_bytes(tokens, 3)]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet="abcdéß’0123", min_size=1, max_size=6), max_size=12))
def test_hash_identity_holds_for_any_tokens(tokens: list[str]) -> None:
    hashes = shingle_hashes(tuple(tokens), 3)
    assert hashes.tolist() == [shingle_hash(s) for s in shingle_bytes(tuple(tokens), 3)]


def test_text_shorter_than_a_shingle_still_has_a_signature() -> None:
    config = Config()
    seg = segment("Hello world", config)
    sigs = sign(seg, config)
    assert len(sigs.shingles) == 1
    assert np.array_equal(sigs.page_signature, datasketch_minhash(seg.tokens, config, 128))


def test_empty_text_gets_datasketch_empty_signature() -> None:
    sigs = sign(segment(""))
    assert len(sigs.shingles) == 0
    assert np.array_equal(sigs.page_signature, MinHash(num_perm=128).hashvalues)
    assert sigs.unit_signatures.shape == (0, 64)


def test_sign_many_equals_signing_pages_one_by_one() -> None:
    texts = [ARTICLE, "Short note.", "", ARTICLE.upper() + " Extra closing words here."]
    segs = [segment(text) for text in texts]
    for batch, single in zip(sign_many(segs), [sign(seg) for seg in segs], strict=True):
        assert np.array_equal(batch.shingles, single.shingles)
        assert np.array_equal(batch.page_signature, single.page_signature)
        assert np.array_equal(batch.unit_ranges, single.unit_ranges)
        assert np.array_equal(batch.unit_signatures, single.unit_signatures)


def test_signature_is_insensitive_to_case_and_apostrophe_style() -> None:
    plain = sign(segment("Iran's minister will meet Putin in Moscow today"))
    styled = sign(segment("IRAN’S Minister will meet Putin in Moscow today"))
    assert np.array_equal(plain.page_signature, styled.page_signature)


def test_passage_units_are_long_sentences_and_windows() -> None:
    config = Config(window_words=10, window_stride=5, min_passage_words=8)
    seg = segment(ARTICLE, config)
    units = {tuple(unit) for unit in passage_units(seg, config).tolist()}
    long_sentences = {tuple(s) for s in seg.sentences.tolist() if s[1] - s[0] >= 8}
    short_sentences = {tuple(s) for s in seg.sentences.tolist() if s[1] - s[0] < 8}
    windows = {tuple(w) for w in seg.windows.tolist()}
    assert long_sentences <= units
    assert windows <= units
    assert not (short_sentences - windows) & units


def naive_minhash(hashes: np.ndarray, ranges: list[tuple[int, int]], num_perm: int) -> np.ndarray:
    """Every range's MinHash by brute force: the permuted values of its hashes, minimum taken."""
    a, b = permutations(num_perm, 1)
    with np.errstate(over="ignore"):
        permuted = premix(hashes)[:, None] * a[None, :] + b[None, :]
    empty = np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32)
    return np.array([permuted[s:e].min(axis=0) if e > s else empty for s, e in ranges])


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 300),
    st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300)), min_size=1, max_size=40),
    st.sampled_from([1 << 20, 512]),
    st.sampled_from([1024, 7]),
)
def test_minhash_ranges_equals_brute_force_on_any_ranges(
    n_hashes: int, pairs: list[tuple[int, int]], chunk_elements: int, tiled_rows: int
) -> None:
    """Short overlapping ranges (the range-minimum table, its hashes permuted in one block of
    rows or several), page-long or tiled ones (`reduceat`), empty ones, and ranges cut by chunk
    edges all give each range's exact minimum."""
    hashes = np.random.default_rng(n_hashes).integers(0, 1 << 32, n_hashes, dtype=np.uint32)
    ranges = [(min(s, n_hashes), min(max(s, e), n_hashes)) for s, e in pairs]
    with (
        patch("dupdetect.sign._CHUNK_ELEMENTS", chunk_elements),
        patch("dupdetect.sign._TILED_ROWS", tiled_rows),
    ):
        _tiled_permutations.cache_clear()
        ours = minhash_ranges(hashes, np.array(ranges), 16, 1)
    _tiled_permutations.cache_clear()
    assert np.array_equal(ours, naive_minhash(hashes, ranges, 16))


def test_tiled_page_ranges_equal_brute_force() -> None:
    """Pages of a batch tile the hashes end to end (one page empty): the `reduceat` path."""
    hashes = np.random.default_rng(3).integers(0, 1 << 32, 900, dtype=np.uint32)
    ranges = [(0, 400), (400, 400), (400, 650), (650, 900)]
    ours = minhash_ranges(hashes, np.array(ranges), 128, 1)
    assert np.array_equal(ours, naive_minhash(hashes, ranges, 128))
