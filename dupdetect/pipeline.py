"""The per-page stages that need no other page: extract, then segment, sign, repeats, filler.

Kept apart from matching so that they can run in worker processes: everything here is a pure
function of one page and the config, and returns picklable plain data.
"""

from __future__ import annotations

from dataclasses import dataclass

from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.errors import DupdetectError, InputError
from dupdetect.extract import extract
from dupdetect.filler import score_filler
from dupdetect.match import find_repeats
from dupdetect.model import (
    Extraction,
    FillerScore,
    NearDuplicate,
    PageReport,
    RawPage,
    Repeat,
    ScanError,
    Segmentation,
    SharedPassage,
)
from dupdetect.segment import segment
from dupdetect.sign import Signatures, sign


@dataclass(frozen=True, eq=False)
class PageAnalysis:
    """One page after every stage that looks at it alone."""

    extraction: Extraction
    segmentation: Segmentation
    signatures: Signatures
    repeats: tuple[Repeat, ...]
    filler: FillerScore

    @property
    def source(self) -> str:
        return self.extraction.source

    def report(
        self,
        shared: tuple[SharedPassage, ...] = (),
        near_duplicates: tuple[NearDuplicate, ...] = (),
        *,
        seen_before: bool = False,
    ) -> PageReport:
        return PageReport(
            source=self.extraction.source,
            text=self.extraction.text,
            title=self.extraction.title,
            words=self.segmentation.words,
            filler=self.filler,
            removed=self.extraction.removed,
            repeats=self.repeats,
            shared=shared,
            near_duplicates=near_duplicates,
            seen_before=seen_before,
        )


def extract_or_error(page: RawPage, config: Config = DEFAULT_CONFIG) -> Extraction | ScanError:
    """Extraction, or the one-line reason the page cannot be read as HTML or text."""
    try:
        return extract(page, config)
    except DupdetectError as error:
        return ScanError(page.source, str(error))
    except (ValueError, UnicodeError, LookupError, RecursionError) as error:
        return ScanError(page.source, f"cannot parse: {type(error).__name__}: {error}"[:200])


def analyse(extraction: Extraction, config: Config = DEFAULT_CONFIG) -> PageAnalysis:
    """Segment, sign, find within-page repeats and score filler for one extracted page."""
    if not extraction.text.strip():
        raise InputError("no main text found")
    segmentation = segment(extraction.text, config)
    signatures = sign(segmentation, config)
    repeats = find_repeats(segmentation, signatures, config)
    filler = score_filler(extraction, segmentation, repeats, config)
    return PageAnalysis(extraction, segmentation, signatures, repeats, filler)


def analyse_or_error(
    extraction: Extraction, config: Config = DEFAULT_CONFIG
) -> PageAnalysis | ScanError:
    try:
        return analyse(extraction, config)
    except DupdetectError as error:
        return ScanError(extraction.source, str(error))
