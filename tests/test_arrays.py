"""Numpy helpers agree with the obvious implementations."""

from __future__ import annotations

import numpy as np
import pytest

from dupdetect.arrays import counted, locate


@pytest.mark.parametrize("size", [0, 1, 2, 1000])
def test_counted_agrees_with_numpy_unique(size: int) -> None:
    values = np.random.default_rng(size).integers(0, 50, size=size).astype(np.uint64)
    expected_values, expected_counts = np.unique(values, return_counts=True)
    got_values, got_counts = counted(values)
    assert got_values.tolist() == expected_values.tolist()
    assert got_counts.tolist() == expected_counts.tolist()


@pytest.mark.parametrize("pool_size", [0, 1, 300])
def test_locate_finds_exactly_the_values_in_the_pool(pool_size: int) -> None:
    rng = np.random.default_rng(pool_size)
    pool = np.unique(rng.integers(0, 1000, size=pool_size).astype(np.uint64))
    values = rng.integers(0, 1000, size=500).astype(np.uint64)
    positions, found = locate(pool, values)
    assert found.tolist() == np.isin(values, pool).tolist()
    assert (pool[positions[found]] == values[found]).all()
