from __future__ import annotations

import pickle
from pathlib import Path

from dupdetect.extract import extract
from dupdetect.model import Block, Extraction, RawPage, Removal

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_extractions_of_the_samples_survive_pickling_unchanged() -> None:
    pages = [
        RawPage(path.name, path.read_bytes(), "html" if path.suffix == ".html" else "text")
        for path in sorted(SAMPLES.glob("*.*"))
        if path.suffix in {".html", ".txt"}
    ]
    extractions = [extract(page) for page in pages]
    assert any(extraction.removed for extraction in extractions)
    for extraction in extractions:
        again = pickle.loads(pickle.dumps(extraction, pickle.HIGHEST_PROTOCOL))
        assert again == extraction
        assert [block.text for block in again.blocks] == [b.text for b in extraction.blocks]


def test_the_text_is_pickled_once_not_again_in_its_blocks() -> None:
    paragraphs = [f"Paragraph {number} says something of its own. " * 20 for number in range(10)]
    text = "\n\n".join(paragraphs)
    extraction = Extraction(
        "page.html",
        text,
        blocks=tuple(Block(paragraph) for paragraph in paragraphs),
        removed=(Removal("Read more: elsewhere", "promo", 0),),
    )
    assert len(pickle.dumps(extraction, pickle.HIGHEST_PROTOCOL)) < 1.2 * len(text)


def test_an_extraction_whose_text_is_not_its_blocks_pickles_field_by_field() -> None:
    odd = Extraction(
        "hand-made",
        "A text given directly.",
        title="Title",
        blocks=(Block("A block that is not in the text", "heading"),),
        removed=(Removal("Menu", "navigation", 5),),
        site="example.org",
    )
    assert pickle.loads(pickle.dumps(odd)) == odd
    bare = Extraction("bare", "Only text, no blocks.")
    assert pickle.loads(pickle.dumps(bare)) == bare
