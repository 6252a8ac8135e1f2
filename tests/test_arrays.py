"""Numpy helpers agree with the obvious implementations."""

from __future__ import annotations

import numpy as np
import pytest

from dupdetect.arrays import counted


@pytest.mark.parametrize("size", [0, 1, 2, 1000])
def test_counted_agrees_with_numpy_unique(size: int) -> None:
    values = np.random.default_rng(size).integers(0, 50, size=size).astype(np.uint64)
    expected_values, expected_counts = np.unique(values, return_counts=True)
    got_values, got_counts = counted(values)
    assert got_values.tolist() == expected_values.tolist()
    assert got_counts.tolist() == expected_counts.tolist()
