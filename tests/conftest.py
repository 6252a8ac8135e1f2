"""Shared fixtures: the committed samples, scanned once per test session."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from dupdetect import ScanResult

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def samples_scan() -> ScanResult:
    from dupdetect import scan

    return scan([str(SAMPLES)])
