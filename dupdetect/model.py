"""Plain data passed between the pipeline stages.

Every stage takes and returns these frozen dataclasses (and numpy arrays), so a stage can be
tested, cached or run in another process without knowing who produced its input. All character
offsets (`start`, `end`, `at`) index the page's *extracted* text: exactly what
`dupdetect extract` prints for that page, so `text[start:end]` is always the passage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

JSON_VERSION = 1
BLOCK_SEPARATOR = "\n\n"
"""Between the blocks of an extracted text: a blank line, as a reader sees paragraphs."""


@dataclass(frozen=True)
class RawPage:
    """One input as read from disk, a WARC record or a crawler: undecoded bytes or text."""

    source: str
    content: bytes | str
    content_type: str = "html"  # "html" or "text"


@dataclass(frozen=True)
class Block:
    """A unit of main text in reading order: a heading, paragraph, list item, table row..."""

    text: str
    kind: str = "paragraph"  # heading | paragraph | list | table | pre | quote


@dataclass(frozen=True)
class Removal:
    """A piece of the input that extraction dropped, and why.

    `at` is the offset in the extracted text where the piece stood, so a report can show the
    removal in place.
    """

    text: str
    reason: str  # navigation | footer | sidebar | promo | related | newsletter | embed | ...
    at: int = 0


@dataclass(frozen=True)
class Extraction:
    """Main text of one page. `text` is the blocks joined by blank lines (`BLOCK_SEPARATOR`)."""

    source: str
    text: str
    title: str = ""
    blocks: tuple[Block, ...] = ()
    removed: tuple[Removal, ...] = ()
    site: str = ""  # host or folder the page belongs to; used for site-template removal

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled with the text once and the blocks as lengths into it, the rest as plain
        tuples: a scan spills every page's extraction and ships it between processes, and the
        dataclass default (the text twice, a hundred small objects on a web page) costs four
        times as much to write. An extraction whose text is not its joined blocks (built by
        hand) pickles field by field."""
        if BLOCK_SEPARATOR.join(block.text for block in self.blocks) != self.text:
            fields = (self.source, self.text, self.title, self.blocks, self.removed, self.site)
            return Extraction, fields
        lengths = tuple(len(block.text) for block in self.blocks)
        kinds = tuple(block.kind for block in self.blocks)
        removed = tuple((removal.text, removal.reason, removal.at) for removal in self.removed)
        state = (self.source, self.text, self.title, self.site)
        return _joined_extraction, (*state, lengths, kinds, removed)


def _joined_extraction(
    source: str,
    text: str,
    title: str,
    site: str,
    lengths: tuple[int, ...],
    kinds: tuple[str, ...],
    removed: tuple[tuple[str, str, int], ...],
) -> Extraction:
    """The extraction `Extraction.__reduce__` wrote: blocks cut back out of the text."""
    blocks = []
    start = 0
    for length, kind in zip(lengths, kinds, strict=True):
        blocks.append(Block(text[start : start + length], kind))
        start += length + len(BLOCK_SEPARATOR)
    removals = tuple(Removal(*removal) for removal in removed)
    return Extraction(source, text, title, tuple(blocks), removals, site)


@dataclass(frozen=True)
class Span:
    """A passage of extracted text: `text` equals `page_text[start:end]`."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, eq=False)
class Segmentation:
    """Tokens, sentences, paragraphs and passage windows of one extracted text.

    Arrays hold token indices or character offsets; `tokens` are normalised word forms (the
    strings that shingles are made of), `token_spans[i]` the characters token i came from.
    Unit ranges are half-open token ranges `[start, end)`.
    """

    text: str
    tokens: tuple[str, ...]
    token_spans: np.ndarray  # (n_tokens, 2) int64 char offsets
    sentences: np.ndarray  # (n_sentences, 2) token ranges
    paragraphs: np.ndarray  # (n_paragraphs, 2) token ranges
    windows: np.ndarray  # (n_windows, 2) token ranges: fixed-size sliding windows

    @property
    def words(self) -> int:
        return len(self.tokens)

    def char_span(self, token_start: int, token_end: int) -> Span:
        """Characters covered by tokens `[token_start, token_end)`."""
        start = int(self.token_spans[token_start, 0])
        end = int(self.token_spans[token_end - 1, 1])
        return Span(start, end, self.text[start:end])


@dataclass(frozen=True)
class Repeat:
    """A passage that occurs twice within one page (`first` precedes `second`)."""

    similarity: float
    first: Span
    second: Span

    def to_dict(self) -> dict[str, Any]:
        return {
            "similarity": round(self.similarity, 4),
            "first": self.first.to_dict(),
            "second": self.second.to_dict(),
        }


@dataclass(frozen=True)
class SharedPassage:
    """A passage of this page (`here`) that also stands on page `other` (`there`)."""

    other: str
    similarity: float
    here: Span
    there: Span

    def to_dict(self) -> dict[str, Any]:
        return {
            "other": self.other,
            "similarity": round(self.similarity, 4),
            "here": self.here.to_dict(),
            "there": self.there.to_dict(),
        }


@dataclass(frozen=True)
class NearDuplicate:
    """Another page whose whole text is a near-duplicate of this one."""

    other: str
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        return {"other": self.other, "similarity": round(self.similarity, 4)}


@dataclass(frozen=True)
class FillerSpan:
    """Characters that one filler component counted, with a short human-readable note."""

    start: int
    end: int
    component: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "component": self.component}
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class FillerScore:
    """Combined filler score, its components (each 0..1) and the spans behind them."""

    score: float
    fraction: float
    components: dict[str, float] = field(default_factory=dict)
    spans: tuple[FillerSpan, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "fraction": round(self.fraction, 4),
            "components": {name: round(value, 4) for name, value in self.components.items()},
            "spans": [span.to_dict() for span in self.spans],
        }


@dataclass(frozen=True)
class ClusterMember:
    source: str
    span: Span

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, **self.span.to_dict()}


@dataclass(frozen=True)
class Cluster:
    """One passage that stands on several pages, reported once with every occurrence."""

    id: int
    members: tuple[ClusterMember, ...]
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "size": len({member.source for member in self.members}),
            "similarity": round(self.similarity, 4),
            "members": [member.to_dict() for member in self.members],
        }


@dataclass(frozen=True)
class PageReport:
    """Everything dupdetect found about one page; `to_dict()` is the JSON contract's page."""

    source: str
    text: str
    words: int
    filler: FillerScore
    removed: tuple[Removal, ...] = ()
    repeats: tuple[Repeat, ...] = ()
    shared: tuple[SharedPassage, ...] = ()
    near_duplicates: tuple[NearDuplicate, ...] = ()
    title: str = ""
    seen_before: bool = False

    @property
    def repeated_fraction(self) -> float:
        """Share of the text's characters inside a within-page repeat or a shared passage."""
        spans = [(r.first.start, r.first.end) for r in self.repeats]
        spans += [(r.second.start, r.second.end) for r in self.repeats]
        spans += [(s.here.start, s.here.end) for s in self.shared]
        return covered_fraction(spans, len(self.text))

    @property
    def closest(self) -> NearDuplicate | None:
        return max(self.near_duplicates, key=lambda d: d.similarity, default=None)

    def to_dict(self, *, include_text: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "source": self.source,
            "title": self.title,
            "words": self.words,
            "repeated_fraction": round(self.repeated_fraction, 4),
            "filler": self.filler.to_dict(),
            "removed": [{"text": r.text, "reason": r.reason, "at": r.at} for r in self.removed],
            "repeats": [r.to_dict() for r in self.repeats],
            "shared": [s.to_dict() for s in self.shared],
            "near_duplicates": [d.to_dict() for d in self.near_duplicates],
        }
        if self.seen_before:
            out["seen_before"] = True
        if include_text:
            out["text"] = self.text
        return out


@dataclass(frozen=True)
class ScanError:
    """An input that could not be scanned, with a one-line reason."""

    source: str
    error: str

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "error": self.error}


def covered_fraction(spans: list[tuple[int, int]], length: int) -> float:
    """Share of `length` characters covered by the union of `spans`."""
    if length <= 0 or not spans:
        return 0.0
    covered = 0
    current_start, current_end = -1, -1
    for start, end in sorted(spans):
        if start > current_end:
            covered += current_end - current_start if current_end > current_start else 0
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    covered += current_end - current_start if current_end > current_start else 0
    return min(1.0, covered / length)
