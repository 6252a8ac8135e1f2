"""Banded locality-sensitive hashing over MinHash signatures, with bands chosen for recall.

A signature of `bands * rows` values is cut into `bands` bands of `rows` values; two items are
candidates when any band is identical in both. For two sets of Jaccard similarity `s`, each
MinHash value agrees with probability `s`, so

    P(candidate | s) = 1 - (1 - s**rows) ** bands

an S-shaped curve in `s`. Its steepest point sits near `(1 / bands) ** (1 / rows)`; everything
above the curve's knee is found almost surely, everything well below almost never. Missing a
true pair (a false negative) is unrecoverable, while a false candidate only costs one exact
verification, so `choose_bands` first demands a recall of at least `target_recall` *at* the
threshold (pairs above it are found even more often) and only then picks the band shape that
lets the fewest dissimilar pairs through. Examples at 128 permutations:

    threshold 0.8:  21 bands x 6 rows   P(0.8) = 0.998  P(0.5) = 0.28
    (datasketch's default 9 x 13 gives P(0.8) = 0.40; 16 x 8 gives 0.95)

Every candidate is then verified with the exact Jaccard of the shingle sets, so LSH decides
only how much work is done, never what is reported.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

_KEY_BASE = np.uint64(0x9E3779B97F4A7C15)
_BAND_SALT = np.uint64(0xD6E8FEB86659FD93)
_MODULUS = 1 << 64
_FMIX64 = tuple(np.uint64(c) for c in (33, 0xFF51AFD7ED558CCD, 33, 0xC4CEB9FE1A85EC53, 33))

DEFAULT_TARGET_RECALL = 0.99


def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    """P(two sets of this Jaccard similarity share at least one band): the S-curve."""
    return 1.0 - (1.0 - similarity**rows) ** bands


def false_positive_area(threshold: float, bands: int, rows: int, steps: int = 200) -> float:
    """Integral of the S-curve below `threshold`: the candidate rate dissimilar pairs pay."""
    grid = np.linspace(0.0, threshold, steps)
    curve = 1.0 - (1.0 - grid**rows) ** bands
    return float(np.trapezoid(curve, grid))


@lru_cache(maxsize=64)
def choose_bands(
    threshold: float, num_perm: int, target_recall: float = DEFAULT_TARGET_RECALL
) -> tuple[int, int]:
    """`(bands, rows)` with `bands * rows <= num_perm` for pairs at Jaccard `threshold`.

    Among the shapes catching a pair exactly at the threshold with probability >=
    `target_recall`, the one with the smallest false-positive area; if no shape reaches the
    target (too few permutations), the one with the highest recall at the threshold.
    Cached: every page's band keys need the shape, and searching it costs ~0.15 ms.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    shapes = [(num_perm // rows, rows) for rows in range(1, num_perm + 1)]
    reaching = [s for s in shapes if candidate_probability(threshold, *s) >= target_recall]
    if reaching:
        return min(reaching, key=lambda shape: false_positive_area(threshold, *shape))
    return max(shapes, key=lambda shape: candidate_probability(threshold, *shape))


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One uint64 key per band for each signature row: shape (n, bands).

    A key hashes the band's `rows` values together with the band's index, so equal keys mean
    (up to 64-bit collisions, which verification absorbs) the same band of the same values.
    Plain integers keep keys cheap to store in any index backend.
    """
    signatures = np.asarray(signatures, dtype=np.uint32).reshape(len(signatures), -1)
    if bands < 1 or rows < 1:
        raise ValueError(f"LSH needs at least one band and one row, got {bands} x {rows}")
    if bands * rows > signatures.shape[1]:
        raise ValueError(f"{bands} bands x {rows} rows need more than {signatures.shape[1]} values")
    values = signatures[:, : bands * rows].reshape(len(signatures), bands, rows).astype(np.uint64)
    # keys start as the salted band index; each row multiplies in and adds its value: a
    # polynomial in the values, so one matrix product (wrapping modulo 2**64 like the steps)
    row_weights, salted_band_index = _key_polynomial(bands, rows)
    keys = np.matmul(values, row_weights)
    keys += salted_band_index
    return _fmix64(keys)


@lru_cache(maxsize=16)
def _key_polynomial(bands: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's weight `_KEY_BASE ** (rows - 1 - row)` and each band's salted index
    `(band + 1) * _BAND_SALT * _KEY_BASE ** rows`, modulo 2**64: computed once per shape
    (every page's keys need them, and small numpy calls cost more than their work)."""
    base = int(_KEY_BASE)
    weights = [pow(base, rows - 1 - row, _MODULUS) for row in range(rows)]
    salt = int(_BAND_SALT) * pow(base, rows, _MODULUS)
    salted = [(band + 1) * salt % _MODULUS for band in range(bands)]
    row_weights, salted_band_index = (np.array(v, dtype=np.uint64) for v in (weights, salted))
    row_weights.setflags(write=False)
    salted_band_index.setflags(write=False)
    return row_weights, salted_band_index


def _fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer, in place on `values` (a fresh array the caller owns)."""
    s1, m1, s2, m2, s3 = _FMIX64
    values ^= values >> s1
    values *= m1
    values ^= values >> s2
    values *= m2
    values ^= values >> s3
    return values
