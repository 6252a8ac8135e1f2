"""Plain-text pages: lines become blocks, indentation goes, wrapped paragraphs are rejoined."""

from __future__ import annotations

from pathlib import Path

import pytest
from extract_helpers import assert_contract

from dupdetect.errors import InputError
from dupdetect.extract import extract, extract_text
from dupdetect.model import RawPage

SEEDS = Path(__file__).resolve().parents[1] / "samples"
"""The two seed articles, copied byte for byte from the project's seeds into samples/."""


def test_indentation_is_stripped_consistently() -> None:
    text = "    First paragraph of the piece.\n\n    Second paragraph, also indented.\n"
    extraction = extract_text(text)
    assert extraction.text == "First paragraph of the piece.\n\nSecond paragraph, also indented."
    assert_contract(extraction)


def test_one_block_per_line_when_lines_are_paragraphs() -> None:
    text = "A Short Headline\nThe first paragraph is here.\nA Section Heading\nMore text here."
    extraction = extract_text(text)
    assert [block.text for block in extraction.blocks] == text.split("\n")
    assert extraction.title == "A Short Headline"


def test_hard_wrapped_paragraph_is_rejoined() -> None:
    paragraph = (
        "The committee met on a cold morning in the old town hall and agreed, after a long and\n"
        "sometimes heated debate about the cost of the works, that the bridge over the river\n"
        "would be repaired before the winter floods rather than replaced in the spring as the\n"
        "engineers had first proposed."
    )
    extraction = extract_text(paragraph)
    assert len(extraction.blocks) == 1
    assert extraction.text == " ".join(paragraph.split("\n"))


def test_title_is_empty_when_the_first_line_is_a_sentence() -> None:
    extraction = extract_text("This page starts with a full sentence.\nAnd goes on.")
    assert extraction.title == ""


def test_site_is_the_parent_folder_of_a_file_source() -> None:
    assert extract_text("Some text here.", "corpus/site-a/page1.txt").site == "corpus/site-a"
    assert extract_text("Some text.", "https://www.example.org/a/b").site == "example.org"


@pytest.mark.parametrize("content", ["", "   \n\t  \n", b"", b"\n\n"])
def test_empty_input_is_an_input_error(content: str | bytes) -> None:
    with pytest.raises(InputError, match="empty"):
        extract(RawPage("empty.txt", content, "text"))


def test_bytes_are_decoded_for_text_pages() -> None:
    page = RawPage("a.txt", "Ein Stück Käse für Zürich.".encode("utf-16"), "text")
    assert extract(page).text == "Ein Stück Käse für Zürich."


def test_seed_004_loses_only_promo_keywords_separator_and_embed_signature() -> None:
    path = SEEDS / "seed-004-iran-minister-moscow.txt"
    raw = path.read_text(encoding="utf-8")
    extraction = extract(RawPage(str(path), raw.encode("utf-8"), "text"))
    reasons = sorted(removal.reason for removal in extraction.removed)
    assert reasons == ["embed", "keywords", "promo", "separator"]
    assert not any("YOU MAY ALSO LIKE" in block.text for block in extraction.blocks)
    assert "(@spectatorindex)" not in extraction.text
    removed = {removal.text.strip() for removal in extraction.removed}
    kept_lines = [line.strip() for line in raw.splitlines() if line.strip() not in removed]
    for line in kept_lines:
        if line:
            assert line in extraction.text
    assert_contract(extraction)


def test_seed_000_keeps_every_line_without_indentation() -> None:
    path = SEEDS / "seed-000-putin-iran-visit.txt"
    raw = path.read_text(encoding="utf-8")
    extraction = extract(RawPage(str(path), raw, "text"))
    assert extraction.removed == ()
    assert all(not block.text.startswith(" ") for block in extraction.blocks)
    for line in raw.splitlines():
        assert line.strip() in extraction.text
