"""Shingle hashing and batched MinHash signatures, bit-identical to datasketch.

A shingle is `config.shingle_words` consecutive normalised tokens. Its 32-bit hash is built
from per-token hashes so that the work is vectorised: every distinct token is hashed once with
xxh64, the token hashes of each n-gram are combined with a polynomial in uint64 arithmetic,
avalanched with the 64-bit MurmurHash3 finalizer and folded to 32 bits. `shingle_hash`
computes the same value from the shingle's bytes (`" ".join(tokens).encode()`), so

    MinHash(num_perm=config.num_perm, seed=config.seed, hashfunc=shingle_hash, scheme="affine32")

fed with `shingle_bytes(...)` holds exactly our `page_signature`: any signature can be checked
with datasketch itself. The permutations are datasketch's "affine32" scheme (fmix32 pre-mix,
then `a * h + b mod 2**32` with odd `a`), generated from the same seed by the same code path.

Signatures are computed for a whole batch of pages at once: one matrix of permuted hashes per
chunk, reduced over every page with `np.minimum.reduceat` and over every passage unit with a
range-minimum table (see `minhash_ranges`), so no Python code runs per shingle.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np
import xxhash

from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.memo import WordMemo
from dupdetect.model import Segmentation

HASH_SCHEME = "xxh64-token-poly-fmix64-fold32/affine32"
"""Names the shingle hash and permutation scheme; persistent indexes record it and refuse
signatures made with any other."""

DATASKETCH_SCHEME = "affine32"
"""The datasketch `MinHash(scheme=...)` whose values our signatures reproduce."""

_MASK64 = (1 << 64) - 1
_POLY_BASE = 0x9E3779B97F4A7C15  # odd 64-bit constant (golden ratio): spreads token positions
_FMIX64 = (33, 0xFF51AFD7ED558CCD, 33, 0xC4CEB9FE1A85EC53, 33)
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)
_FMIX32_ARRAY = tuple(np.uint32(c) for c in _FMIX32)
_FMIX64_ARRAY = tuple(np.uint64(c) for c in _FMIX64)
_MAX32 = np.uint32(0xFFFFFFFF)
_CHUNK_ELEMENTS = 1 << 20
"""Permuted-hash matrix cells per chunk: 4 MB of uint32, cache-sized (the fastest measured), so
a batch never needs more memory than that whatever its size."""


# --- shingle hashing ---------------------------------------------------------------------------


_TOKEN_CACHE_LIMIT = 1 << 21
"""Distinct tokens kept hashed (~250 MB at most); word frequencies are Zipfian, so a cache of
this size serves almost every lookup, and it is simply emptied when full."""


def token_hash(token: str) -> int:
    """64-bit xxh64 of one normalised token's UTF-8 bytes."""
    return xxhash.xxh64_intdigest(token.encode("utf-8"))


_TOKEN_HASHES: WordMemo[int] = WordMemo(token_hash, _TOKEN_CACHE_LIMIT)


def token_hashes(tokens: Sequence[str]) -> np.ndarray:
    """uint64 `token_hash` of every token: each distinct token is hashed once, then looked up.

    `np.fromiter` fills the array straight from the look-ups: half the time of collecting them
    in a tuple for `np.array` (545,000 WCXB tokens: 31 ms against 58 ms).
    """
    return np.fromiter(map(_TOKEN_HASHES.__getitem__, tokens), np.uint64, len(tokens))


def _fmix64_array(values: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX64_ARRAY
    values = values ^ (values >> s1)
    values = values * m1
    values = values ^ (values >> s2)
    values = values * m2
    return values ^ (values >> s3)


def _fold32(values: np.ndarray) -> np.ndarray:
    return ((values >> np.uint64(32)) ^ values).astype(np.uint32)


def shingle_hashes(tokens: Sequence[str], shingle_words: int) -> np.ndarray:
    """uint32 hash of every shingle, in order: entry i covers tokens `[i, i + shingle_words)`.

    A text shorter than one shingle (but not empty) yields one shingle of all its tokens, so
    that very short pages still have a signature.
    """
    if not tokens:
        return np.zeros(0, dtype=np.uint32)
    return _combine(token_hashes(tokens), min(shingle_words, len(tokens)))


def batch_shingle_hashes(
    token_lists: Sequence[Sequence[str]], shingle_words: int
) -> list[np.ndarray]:
    """`shingle_hashes` of many pages with one vectorised pass over all their tokens."""
    lengths = [len(tokens) for tokens in token_lists]
    hashes = token_hashes(list(chain.from_iterable(token_lists)))
    spanning = _combine(hashes, shingle_words) if len(hashes) >= shingle_words else hashes[:0]
    out, start = [], 0
    for length in lengths:
        if length >= shingle_words:
            out.append(spanning[start : start + length - shingle_words + 1].copy())
        elif length:
            out.append(_combine(hashes[start : start + length], length))
        else:
            out.append(np.zeros(0, dtype=np.uint32))
        start += length
    return out


def _combine(hashes: np.ndarray, width: int) -> np.ndarray:
    """Shingle hashes from token hashes: polynomial over `width` tokens, fmix64, fold to 32.

    uint64 array arithmetic wraps silently, which is the intended modulo 2**64.
    """
    count = len(hashes) - width + 1
    combined = hashes[:count].copy()
    for offset in range(1, width):
        combined *= np.uint64(_POLY_BASE)
        combined += hashes[offset : offset + count]
    return _fold32(_fmix64_array(combined))


def shingle_hash(shingle: bytes) -> int:
    """The hash of one shingle given as `" ".join(tokens).encode()`, for datasketch's `hashfunc`.

    Tokens never contain spaces (see `segment.tokenize`), so splitting recovers them exactly.
    """
    combined = 0
    for token in shingle.decode("utf-8").split(" "):
        combined = (combined * _POLY_BASE + token_hash(token)) & _MASK64
    s1, m1, s2, m2, s3 = _FMIX64
    combined ^= combined >> s1
    combined = (combined * m1) & _MASK64
    combined ^= combined >> s2
    combined = (combined * m2) & _MASK64
    combined ^= combined >> s3
    return ((combined >> 32) ^ combined) & 0xFFFFFFFF


def shingle_bytes(tokens: Sequence[str], shingle_words: int) -> list[bytes]:
    """The shingles as bytes in `shingle_hashes` order: what datasketch is fed in tests."""
    width = min(shingle_words, len(tokens))
    if width == 0:
        return []
    return [" ".join(tokens[i : i + width]).encode("utf-8") for i in range(len(tokens) - width + 1)]


def distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values; numpy 2's hash-based `np.unique` is ~15x slower on these sizes."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


# --- permutations ---------------------------------------------------------------------------


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 parameters `(a, b)` for `num_perm` and `seed` (same RNG calls)."""
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


def premix(hashes: np.ndarray) -> np.ndarray:
    """The 32-bit MurmurHash3 finalizer datasketch applies to every input hash (affine32)."""
    s1, m1, s2, m2, s3 = _FMIX32_ARRAY
    with np.errstate(over="ignore"):
        hashes = hashes ^ (hashes >> s1)
        hashes = hashes * m1
        hashes = hashes ^ (hashes >> s2)
        hashes = hashes * m2
        return hashes ^ (hashes >> s3)


def minhash_ranges(hashes: np.ndarray, ranges: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """MinHash of each `hashes[start:end]` for the rows of `ranges`, shape (len(ranges), num_perm).

    Ranges may overlap and come in any order; an empty range gets datasketch's empty value
    (all 0xFFFFFFFF). See `_premixed_minhash_ranges` for how.
    """
    return _premixed_minhash_ranges(
        premix(hashes.astype(np.uint32, copy=False)), ranges, num_perm, seed
    )


def _premixed_minhash_ranges(
    mixed: np.ndarray, ranges: np.ndarray, num_perm: int, seed: int
) -> np.ndarray:
    """`minhash_ranges` of hashes already `premix`ed (a page's units and the page itself share
    the premixing).

    The hashes are taken in chunks so memory stays bounded whatever the batch size; a range
    crossing chunks takes the minimum of its parts. How a chunk's range minima are found
    depends on the ranges (the values are the same either way):

    * ranges that overlap a lot, as passage units do (windows cover every shingle ~4 times),
      read a range-minimum table (`_table_minima`): a few passes over the permuted hashes
      whatever the number of ranges;
    * ranges that barely overlap, as whole pages do, one `reduceat` pass (`_reduceat_minima`),
      which reads every covered hash once but pays per range.
    """
    ranges = np.asarray(ranges, dtype=np.int64).reshape(-1, 2)
    if len(mixed) == 0 or len(ranges) == 0:
        return np.full((len(ranges), num_perm), _MAX32, dtype=np.uint32)
    lengths = np.maximum(ranges[:, 1] - ranges[:, 0], 0)
    longest = int(lengths.max())
    if longest <= _TABLE_MAX_RANGE and int(lengths.sum()) > _TABLE_MIN_COVER * len(mixed):
        minima_of, cells_per_hash = _table_minima, _table_levels(longest) + 1
    else:
        minima_of, cells_per_hash = _reduceat_minima, 1
    chunk_hashes = max(1, _CHUNK_ELEMENTS // (num_perm * cells_per_hash))
    if len(mixed) <= chunk_hashes and _all_inside(ranges, lengths, len(mixed)):
        # one page's hashes and units: a single chunk, no empty or clipped range
        return np.ascontiguousarray(minima_of(mixed, ranges[:, 0], ranges[:, 1], num_perm, seed))
    out = np.full((len(ranges), num_perm), _MAX32, dtype=np.uint32)
    for chunk_start in range(0, len(mixed), chunk_hashes):
        chunk = mixed[chunk_start : chunk_start + chunk_hashes]
        starts = np.minimum(np.maximum(ranges[:, 0] - chunk_start, 0), len(chunk))
        ends = np.minimum(np.maximum(ranges[:, 1] - chunk_start, 0), len(chunk))
        touched = np.flatnonzero(ends > starts)
        if len(touched) == len(ranges):
            np.minimum(out, minima_of(chunk, starts, ends, num_perm, seed), out=out)
        elif len(touched):
            minima = minima_of(chunk, starts[touched], ends[touched], num_perm, seed)
            out[touched] = np.minimum(out[touched], minima)
    return out


def _all_inside(ranges: np.ndarray, lengths: np.ndarray, count: int) -> bool:
    """Whether every range is non-empty and within `count` hashes."""
    return bool(lengths.min() > 0 and ranges[:, 0].min() >= 0 and ranges[:, 1].max() <= count)


_TABLE_MAX_RANGE = 256
"""Longest range the range-minimum table serves: its size grows with log2 of the longest range,
so a page-long range goes to `reduceat` instead."""
_TABLE_MIN_COVER = 2
"""The table pays off once the ranges cover each hash more than this many times on average."""


def _table_levels(longest: int) -> int:
    """Levels a range-minimum table needs above level 0 for ranges up to `longest` hashes."""
    return max(0, longest.bit_length() - 1)


def _permute(mixed: np.ndarray, num_perm: int, seed: int, out: np.ndarray) -> None:
    """`out[i, j] = a[j] * mixed[i] + b[j] mod 2**32`: datasketch's affine32 permutations.

    Every hash is first copied along its row, then multiplied by `a` and added `b` tiled to the
    same shape (`_tiled_permutations`), a block of rows at a time: numpy multiplies two arrays
    of one shape about twice as fast as a column by a broadcast row (a 400-word page's 64
    permutations: 16 us against 27 us). Integer arrays wrap silently, the intended modulo 2**32.
    """
    tiled_a, tiled_b = _tiled_permutations(num_perm, seed)
    out[:] = mixed[:, None]
    for start in range(0, len(mixed), _TILED_ROWS):
        block = out[start : start + _TILED_ROWS]
        block *= tiled_a[: len(block)]
        block += tiled_b[: len(block)]


_TILED_ROWS = 1024
"""Rows of the tiled permutation parameters: 256 KB each at 64 permutations."""


@lru_cache(maxsize=8)
def _tiled_permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """`permutations(num_perm, seed)` repeated as `_TILED_ROWS` identical rows."""
    a, b = permutations(num_perm, seed)
    tiled_a, tiled_b = np.tile(a, (_TILED_ROWS, 1)), np.tile(b, (_TILED_ROWS, 1))
    tiled_a.setflags(write=False)
    tiled_b.setflags(write=False)
    return tiled_a, tiled_b


def _table_minima(
    mixed: np.ndarray, starts: np.ndarray, ends: np.ndarray, num_perm: int, seed: int
) -> np.ndarray:
    """Minima of the permuted `mixed[start:end]` (all non-empty), one row per range.

    A sparse table: level k holds, for every position, the minimum of 2**k consecutive
    permuted hashes, so a range of length L is the minimum of two overlapping level-k entries
    with 2**k <= L < 2**(k+1). Building it costs one pass per level; every range then costs two
    row gathers, however many ranges there are and however much they overlap.
    """
    levels = np.frexp(ends - starts)[1] - 1  # floor(log2(length)), exact for these integers
    count = len(mixed)
    table = np.empty((int(levels.max()) + 1, count, num_perm), dtype=np.uint32)
    _permute(mixed, num_perm, seed, table[0])
    for level in range(1, len(table)):
        half = 1 << (level - 1)
        valid = count - 2 * half + 1  # positions whose 2**level hashes all exist
        below = table[level - 1]
        np.minimum(below[:valid], below[half : half + valid], out=table[level, :valid])
    second = ends - np.left_shift(1, levels)
    return np.minimum(table[levels, starts], table[levels, second])


def _reduceat_minima(
    mixed: np.ndarray, starts: np.ndarray, ends: np.ndarray, num_perm: int, seed: int
) -> np.ndarray:
    """Minima of the permuted `mixed[start:end]` (all non-empty), one row per range.

    The permuted hashes are laid out one permutation per row, so every range minimum is a
    contiguous `reduceat` slice, which numpy reduces fast however long it is. Ranges that tile
    the hashes end to end (pages of a batch) need only their starts; others are reduced as
    interleaved (start, end) pairs over a sentinel column, keeping the even results.
    """
    tiled = int(ends[-1]) == len(mixed) and np.array_equal(starts[1:], ends[:-1])
    permuted = np.empty((num_perm, len(mixed) + (0 if tiled else 1)), dtype=np.uint32)
    body = permuted[:, : len(mixed)]
    a, b = permutations(num_perm, seed)
    with np.errstate(over="ignore"):
        np.multiply(a[:, None], mixed[None, :], out=body)
    np.add(body, b[:, None], out=body)
    if tiled:
        return np.minimum.reduceat(permuted, starts, axis=1).T
    permuted[:, -1] = _MAX32  # so that `end == len(mixed)` is a valid index
    bounds = np.empty(2 * len(starts), dtype=np.int64)
    bounds[0::2] = starts
    bounds[1::2] = ends
    return np.minimum.reduceat(permuted, bounds, axis=1)[:, 0::2].T


# --- signatures ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Signatures:
    """What matching needs to know about one page, in compact numpy arrays.

    `shingles[i]` is the hash of the shingle starting at token i (positional, so spans can be
    trimmed to shared shingles). `unit_ranges` are the passage units' token ranges (sentences
    of at least `min_passage_words` words and the sliding windows), `unit_signatures` their
    MinHash rows. About 4 * (words + 128 + units * 66) bytes per page: ~25 KB for 400 words.
    """

    shingles: np.ndarray  # (n_shingles,) uint32
    page_signature: np.ndarray  # (num_perm,) uint32
    unit_ranges: np.ndarray  # (n_units, 2) int64 token ranges
    unit_signatures: np.ndarray  # (n_units, passage_num_perm) uint32
    shingle_words: int


def passage_units(seg: Segmentation, config: Config = DEFAULT_CONFIG) -> np.ndarray:
    """Token ranges of the passage units: long-enough sentences and the sliding windows.

    Sentences align with how text is copied; windows cross sentence and paragraph breaks so a
    copied run is found wherever it starts. Identical ranges appear once, sorted by start.
    """
    sentences = np.asarray(seg.sentences, dtype=np.int64).reshape(-1, 2)
    windows = np.asarray(seg.windows, dtype=np.int64).reshape(-1, 2)
    units = np.concatenate([sentences, windows])
    units = units[units[:, 1] - units[:, 0] >= config.min_passage_words]
    if len(units) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    # one integer per range sorts like the (start, end) rows: far faster than np.unique(axis=0)
    width = int(units[:, 1].max()) + 1
    starts, ends = np.divmod(distinct(units[:, 0] * width + units[:, 1]), width)
    return np.stack([starts, ends], axis=1)


def shingle_ranges(token_ranges: np.ndarray, n_tokens: int, shingle_words: int) -> np.ndarray:
    """Shingle-index ranges covering exactly the shingles inside each token range."""
    width = min(shingle_words, n_tokens)
    ranges = np.asarray(token_ranges, dtype=np.int64).reshape(-1, 2).copy()
    ranges[:, 1] = np.maximum(ranges[:, 1] - width + 1, ranges[:, 0])
    return ranges


def sign(seg: Segmentation, config: Config = DEFAULT_CONFIG) -> Signatures:
    """Shingles, page MinHash and passage-unit MinHashes of one segmented page."""
    return sign_many([seg], config)[0]


def sign_many(segs: Iterable[Segmentation], config: Config = DEFAULT_CONFIG) -> list[Signatures]:
    """`sign` for many pages at once: two matrix passes for the whole batch instead of per page."""
    segs = list(segs)
    per_page = batch_shingle_hashes([seg.tokens for seg in segs], config.shingle_words)
    units = [passage_units(seg, config) for seg in segs]
    offsets = np.concatenate(([0], np.cumsum([len(h) for h in per_page]))).astype(np.int64)
    all_hashes = np.concatenate(per_page) if per_page else np.zeros(0, dtype=np.uint32)
    mixed = premix(all_hashes)
    page_ranges = np.stack([offsets[:-1], offsets[1:]], axis=1)
    page_sigs = _premixed_minhash_ranges(mixed, page_ranges, config.num_perm, config.seed)
    unit_shingles = [
        shingle_ranges(u, len(seg.tokens), config.shingle_words) + offsets[i]
        for i, (seg, u) in enumerate(zip(segs, units, strict=True))
    ]
    unit_counts = np.cumsum([0] + [len(u) for u in units])
    stacked = np.concatenate(unit_shingles) if unit_shingles else np.zeros((0, 2), np.int64)
    unit_sigs = _premixed_minhash_ranges(mixed, stacked, config.passage_num_perm, config.seed)
    return [
        Signatures(
            shingles=per_page[i],
            page_signature=page_sigs[i],
            unit_ranges=units[i],
            unit_signatures=unit_sigs[unit_counts[i] : unit_counts[i + 1]],
            shingle_words=config.shingle_words,
        )
        for i in range(len(segs))
    ]
