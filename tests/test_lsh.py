"""LSH: band shapes chosen for recall, and band keys that collide exactly on equal bands."""

from __future__ import annotations

import numpy as np
import pytest

from dupdetect.lsh import band_keys, candidate_probability, choose_bands


@pytest.mark.parametrize(
    ("threshold", "num_perm"), [(0.8, 128), (0.9, 128), (0.5, 128), (0.4, 64), (0.7, 256)]
)
def test_chosen_shape_fits_and_reaches_recall_at_threshold(threshold: float, num_perm: int) -> None:
    bands, rows = choose_bands(threshold, num_perm)
    assert bands * rows <= num_perm
    assert candidate_probability(threshold, bands, rows) >= 0.99


def test_default_page_shape_beats_datasketch_automatic_choice() -> None:
    bands, rows = choose_bands(0.8, 128)
    assert candidate_probability(0.8, bands, rows) > candidate_probability(0.8, 9, 13)
    assert candidate_probability(0.8, 9, 13) == pytest.approx(0.40, abs=0.01)


def test_among_shapes_with_enough_recall_the_least_permissive_wins() -> None:
    bands, rows = choose_bands(0.8, 128)
    looser = (128 // (rows - 1), rows - 1)
    assert candidate_probability(0.5, bands, rows) < candidate_probability(0.5, *looser)


def test_with_too_few_permutations_the_best_recall_is_taken() -> None:
    bands, rows = choose_bands(0.9, 4, target_recall=0.999999)
    assert (bands, rows) == (4, 1)


def test_threshold_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        choose_bands(0.0, 128)


def test_band_keys_collide_exactly_where_bands_are_equal() -> None:
    rng = np.random.default_rng(3)
    first = rng.integers(0, 2**32, size=(1, 12), dtype=np.uint32)
    second = first.copy()
    second[0, 4] ^= 1  # changes band 1 of 3 (rows 4..7)
    keys = band_keys(np.vstack([first, second]), bands=3, rows=4)
    assert keys.shape == (2, 3)
    assert (keys[0] == keys[1]).tolist() == [True, False, True]


def test_same_values_in_different_bands_give_different_keys() -> None:
    signature = np.zeros((1, 8), dtype=np.uint32)
    keys = band_keys(signature, bands=2, rows=4)
    assert keys[0, 0] != keys[0, 1]


def test_band_keys_need_enough_values() -> None:
    with pytest.raises(ValueError):
        band_keys(np.zeros((1, 8), dtype=np.uint32), bands=3, rows=4)


@pytest.mark.parametrize(("bands", "rows"), [(0, 2), (4, 0)])
def test_a_shape_without_bands_or_rows_is_refused(bands: int, rows: int) -> None:
    signatures = np.zeros((2, 8), dtype=np.uint32)
    with pytest.raises(ValueError, match="at least one band and one row"):
        band_keys(signatures, bands, rows)


def stepwise_band_key(values: list[int], band: int) -> int:
    """A band's key by its definition, step by step in Python integers: the salted band index
    plus the first value, then for each further value multiply by the base and add it, then
    MurmurHash3's fmix64."""
    mask = (1 << 64) - 1
    key = ((band + 1) * 0xD6E8FEB86659FD93 * 0x9E3779B97F4A7C15 + values[0]) & mask
    for value in values[1:]:
        key = (key * 0x9E3779B97F4A7C15 + value) & mask
    key ^= key >> 33
    key = key * 0xFF51AFD7ED558CCD & mask
    key ^= key >> 33
    key = key * 0xC4CEB9FE1A85EC53 & mask
    return key ^ (key >> 33)


@pytest.mark.parametrize(("bands", "rows"), [(21, 6), (16, 2), (1, 1), (4, 32)])
def test_band_keys_equal_their_stepwise_definition(bands: int, rows: int) -> None:
    """Keys are stored by persistent indexes, so they must not change with how they are computed."""
    signatures = np.random.default_rng(rows).integers(0, 2**32, (5, 128), dtype=np.uint32)
    keys = band_keys(signatures, bands, rows)
    expected = [
        [
            stepwise_band_key(row[band * rows : (band + 1) * rows].tolist(), band)
            for band in range(bands)
        ]
        for row in signatures
    ]
    assert keys.dtype == np.uint64
    assert keys.tolist() == expected
