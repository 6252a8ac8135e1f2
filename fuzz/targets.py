"""What the fuzzers check: the extractor and the segmenter on any bytes at all.

Shared by the atheris harness (`fuzz_extract.py`, run for as long as you like) and the bounded
hypothesis fuzz in `tests/test_fuzz.py` (run in CI), so both hold the code to the same rules:

* extraction (`extract_or_error`, what the scan and `Detector` call) gives an `Extraction` or a
  `ScanError` with a one-line reason; any exception (or a hang, or a crash of lxml) is a bug;
* the extracted text is the blocks joined by blank lines, and every removal's `at` lies in it;
* `segment` of that text, and of the raw bytes read as text, keeps every token, sentence,
  paragraph and window inside the text, in order.
"""

from __future__ import annotations

from dupdetect.model import Extraction, RawPage, ScanError
from dupdetect.pipeline import extract_or_error
from dupdetect.segment import segment

CONTENT_TYPES = ("html", "text")


def exercise(data: bytes) -> None:
    """Run one input through extraction and segmentation; AssertionError on a broken rule.

    The first byte picks the content type and whether the page arrives as bytes or as text
    (undecodable bytes become lone surrogates, as `os.fsdecode` makes them), so the fuzzer
    explores both extractors and both input forms.
    """
    if not data:
        return
    selector, body = data[0], data[1:]
    content: bytes | str = body if selector & 2 == 0 else body.decode("utf-8", "surrogateescape")
    page = RawPage("fuzz", content, CONTENT_TYPES[selector & 1])
    extraction = extract_or_error(page)
    if isinstance(extraction, ScanError):
        assert extraction.error and "\n" not in extraction.error, repr(extraction.error)
    else:
        check_extraction(extraction)
        check_segmentation(extraction.text)
    check_segmentation(body.decode("utf-8", "replace"))


def check_extraction(extraction: Extraction) -> None:
    text = extraction.text
    assert text == "\n\n".join(block.text for block in extraction.blocks)
    for removal in extraction.removed:
        assert 0 <= removal.at <= len(text), (removal.at, len(text))


def check_segmentation(text: str) -> None:
    seg = segment(text)
    spans = seg.token_spans.tolist()
    assert len(spans) == len(seg.tokens)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text), (start, end, len(text))
        previous_end = end
    for ranges in (seg.sentences, seg.paragraphs, seg.windows):
        previous_start = -1
        for start, end in ranges.tolist():
            assert 0 <= start < end <= seg.words
            assert start > previous_start
            previous_start = start
