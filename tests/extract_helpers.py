"""Shared checks for the extract tests: the Extraction contract every extractor must keep."""

from __future__ import annotations

from pathlib import Path

from dupdetect.model import Extraction

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def fixture_lines(name: str) -> list[str]:
    return [line.strip() for line in fixture_text(name).splitlines() if line.strip()]


def assert_contract(extraction: Extraction) -> None:
    """text is the blocks joined by blank lines; a removal stands before a block or at the end."""
    assert extraction.text == "\n\n".join(block.text for block in extraction.blocks)
    starts = set()
    offset = 0
    for block in extraction.blocks:
        starts.add(offset)
        offset += len(block.text) + 2
    for removal in extraction.removed:
        assert removal.reason and removal.reason == removal.reason.strip()
        assert removal.at in starts or removal.at == len(extraction.text)
