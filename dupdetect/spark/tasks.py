"""What runs inside the Spark executors: the library's own stages, one partition at a time.

Every function here takes an iterator of plain tuples (the columns the job selected, in order)
and yields plain tuples matching a schema in `dupdetect.spark.schemas`. Nothing here imports
pyspark, so these are exactly the functions `dupdetect scan` runs (`extract_or_error`,
`SiteTemplates.apply`, `analyse`, `page_record_similarity`, `passage_matches`), wrapped only to
move data in and out of rows; they can be tested without a Spark session.

64-bit hashes (block fingerprints, band keys) are unsigned in the library and signed in Spark
(`LongType`), so they cross the boundary through `to_signed` / `to_unsigned`.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from dupdetect.config import Config
from dupdetect.extract import SiteTemplates
from dupdetect.extract.templates import block_fingerprint
from dupdetect.index import PageRecord
from dupdetect.match import page_band_keys, page_record_similarity, passage_band_keys
from dupdetect.model import Extraction, FillerScore, RawPage, Repeat, ScanError, Span
from dupdetect.pipeline import PageAnalysis, analyse_or_error, extract_or_error
from dupdetect.spans import passage_matches, token_span

_SIGN_BIT = 1 << 63
_TWO_TO_64 = 1 << 64

Row = tuple[Any, ...]


def to_signed(value: int) -> int:
    """An unsigned 64-bit hash as the signed integer Spark's `LongType` can hold."""
    return value - _TWO_TO_64 if value >= _SIGN_BIT else value


def to_unsigned(value: int) -> int:
    return value + _TWO_TO_64 if value < 0 else value


def signed_keys(keys: np.ndarray) -> list[int]:
    """uint64 band keys as Python ints in Spark's signed range (same bits)."""
    return np.asarray(keys, dtype=np.uint64).view(np.int64).tolist()


# --- stage 1: extraction -----------------------------------------------------------------------


def extract_partition(rows: Iterable[Row], config: Config) -> Iterator[Row]:
    """(page_id, source, content, content_type, error) -> one `EXTRACTED` row per page.

    Also emits what `SiteTemplates.observe` learns from the page (its site, the page key and the
    fingerprints of its blocks), so the job can count recurring blocks across all pages with a
    groupBy instead of in one process.
    """
    for page_id, source, content, content_type, read_error in rows:
        if read_error is not None:
            yield page_id, source, None, None, None, None, read_error
            continue
        page = RawPage(source, _as_content(content), content_type or "html")
        outcome = extract_or_error(page, config)
        if isinstance(outcome, ScanError):
            yield page_id, source, None, None, None, None, outcome.error
            continue
        site, page_key, fingerprints = observed_blocks(outcome)
        yield page_id, source, site, page_key, fingerprints, pickle.dumps(outcome), None


def _as_content(content: bytes | bytearray | memoryview | str | None) -> bytes | str:
    """Spark hands binary columns over as `bytearray`; the extractors take bytes or text."""
    if content is None:
        return b""
    return content if isinstance(content, bytes | str) else bytes(content)


def observed_blocks(extraction: Extraction) -> tuple[str, int, list[int]]:
    """(site, page key, distinct block fingerprints) exactly as `SiteTemplates.observe` counts."""
    observer = SiteTemplates()
    observer.observe(extraction)
    page_keys = {key for pages in observer.pages_by_block_.values() for key in pages}
    page_key = page_keys.pop() if page_keys else 0
    fingerprints = sorted({to_signed(fingerprint) for _, fingerprint in observer.pages_by_block_})
    return extraction.site, to_signed(page_key), fingerprints


class KnownTemplates(SiteTemplates):
    """`SiteTemplates` whose recurring blocks were counted elsewhere: by the job's groupBy.

    Only `is_template` changes, so removal itself (`apply`, with its guard for copied pages)
    is the library's.
    """

    def __init__(self, site: str, fingerprints: Iterable[int]) -> None:
        super().__init__()
        self.site = site
        self.fingerprints = frozenset(to_unsigned(value) for value in fingerprints)

    def is_template(self, site: str, text: str) -> bool:
        return site == self.site and block_fingerprint(text) in self.fingerprints


# --- stage 2: per-page analysis --------------------------------------------------------------


def analyse_partition(rows: Iterable[Row], config: Config) -> Iterator[Row]:
    """(page_id, extraction pickle, template fingerprints) -> one `ANALYSED` row per page.

    Removes the page's site-template blocks, then runs `analyse` (segment, sign, repeats,
    filler), and emits the report columns, the page record verification needs and its band
    keys, made by `dupdetect.match` exactly as the local scan makes them.
    """
    for page_id, extraction_bytes, template_fingerprints in rows:
        extraction: Extraction = pickle.loads(extraction_bytes)
        if template_fingerprints:
            extraction = KnownTemplates(extraction.site, template_fingerprints).apply(extraction)
        analysis = analyse_or_error(extraction, config)
        if isinstance(analysis, ScanError):
            yield (
                page_id,
                analysis.source,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                analysis.error,
            )
            continue
        yield (page_id, *_report_columns(analysis), *_matching_columns(analysis, config), None)


def _report_columns(analysis: PageAnalysis) -> Row:
    extraction = analysis.extraction
    return (
        extraction.source,
        extraction.title,
        analysis.segmentation.words,
        _filler_struct(analysis.filler),
        [(removal.text, removal.reason, removal.at) for removal in extraction.removed],
        [_repeat_struct(repeat) for repeat in analysis.repeats],
    )


def _matching_columns(analysis: PageAnalysis, config: Config) -> Row:
    record = PageRecord.from_page(analysis.source, analysis.segmentation, analysis.signatures)
    return (
        record.to_bytes(),
        signed_keys(page_band_keys(analysis.signatures, config)),
        signed_keys(passage_band_keys(analysis.signatures, config)),
    )


def _filler_struct(filler: FillerScore) -> Row:
    spans = [(span.start, span.end, span.component, span.note) for span in filler.spans]
    return filler.score, filler.fraction, dict(filler.components), spans


def _repeat_struct(repeat: Repeat) -> Row:
    return repeat.similarity, span_struct(repeat.first), span_struct(repeat.second)


def span_struct(span: Span) -> Row:
    return span.start, span.end, span.text


# --- stage 3: verification -------------------------------------------------------------------


def verify_pairs(rows: Iterable[Row], config: Config) -> Iterator[Row]:
    """(earlier record, later record, near-duplicate candidate?, passage candidate?) -> one
    `VERIFIED` row per verified match, exactly as `Matcher` verifies the pair when the later
    page meets the earlier one in the local scan:

    - `near`: `page_record_similarity(later, earlier)` at or above the threshold;
    - `passage`: every `passage_matches(later, earlier)`, `source`/`here` on the later page.
    """
    for earlier_bytes, later_bytes, near_candidate, passage_candidate in rows:
        earlier = PageRecord.from_bytes(earlier_bytes)
        later = PageRecord.from_bytes(later_bytes)
        if near_candidate:
            similarity = page_record_similarity(later, earlier)
            if similarity >= config.threshold:
                yield "near", earlier.source, later.source, similarity, None, None
        if passage_candidate:
            for match in passage_matches(later, earlier, config):
                yield (
                    "passage",
                    later.source,
                    earlier.source,
                    match.similarity,
                    span_struct(token_span(later, match.here)),
                    span_struct(token_span(earlier, match.there)),
                )


# --- clusters ----------------------------------------------------------------------------------


def cluster_rows(rows: Iterable[Row], min_pages: int) -> Iterator[Row]:
    """(occurrences, similarity) of each connected component -> `CLUSTER` rows.

    As `dupdetect.clusters.build_clusters`: a component counts when its occurrences stand on
    at least `min_pages` pages, and each page lists every stretch of text once, overlapping
    occurrences merged (their texts stitched, since the page text is not at hand here).
    """
    for occurrences, similarity in rows:
        members = cluster_members(tuple(occurrence) for occurrence in occurrences)
        size = len({member[0] for member in members})
        if size >= min_pages:
            yield size, similarity, members


def cluster_members(occurrences: Iterable[tuple[str, int, int, str]]) -> list[Row]:
    """(source, start, end, text) members by source, overlapping spans of a page merged."""
    by_source: dict[str, set[tuple[int, int, str]]] = {}
    for source, start, end, text in occurrences:
        by_source.setdefault(source, set()).add((start, end, text))
    members: list[Row] = []
    for source in sorted(by_source):
        merged: list[tuple[int, int, str]] = []
        for start, end, text in sorted(by_source[source]):
            if merged and start < merged[-1][1]:
                last_start, last_end, last_text = merged[-1]
                if end > last_end:
                    merged[-1] = (last_start, end, last_text + text[last_end - start :])
            else:
                merged.append((start, end, text))
        members += [(source, *member) for member in merged]
    return members


# --- reading WARC files ----------------------------------------------------------------------


def warc_pages(file: tuple[str, bytes], config: Config) -> Iterator[Row]:
    """(source, content, content_type, error) of every page record of one WARC file.

    `file` is a `(path, bytes)` pair as `SparkContext.binaryFiles` yields it. The bytes are
    spooled to the executor's local disk and read by `dupdetect.readers.read_warc`, the reader
    `dupdetect scan` uses, so records are chosen, skipped and refused the same way.
    """
    import tempfile
    from pathlib import Path

    from dupdetect.readers import Skipped, read_warc

    path, data = file
    with tempfile.NamedTemporaryFile(suffix=".warc") as spooled:
        spooled.write(data)
        spooled.flush()
        for record in read_warc(Path(spooled.name), path, config):
            if isinstance(record, ScanError):
                yield record.source, None, None, record.error
            elif not isinstance(record, Skipped):
                yield record.source, _as_content(record.content), record.content_type, None
