"""Build an `Extraction` from kept and removed candidates, with exact removal offsets.

Both extractors and `SiteTemplates` end here, so the contract holds in one place:
`text == "\\n\\n".join(block.text for block in blocks)`, and each `Removal.at` is the offset in
`text` of the first kept block after the removed piece (or `len(text)` when none follows).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import PurePath
from urllib.parse import urlsplit

from dupdetect.extract.promos import Candidate
from dupdetect.model import BLOCK_SEPARATOR, Block, Extraction, Removal


def assemble(
    source: str, title: str, candidates: Iterable[Candidate], site: str | None = None
) -> Extraction:
    """The Extraction of `candidates` in reading order: kept ones become blocks."""
    blocks: list[Block] = []
    pending: list[tuple[str, str]] = []
    removed: list[Removal] = []
    offset = 0
    for candidate in candidates:
        if candidate.reason is not None:
            pending.append((candidate.text, candidate.reason))
            continue
        removed.extend(Removal(text, reason, offset) for text, reason in pending)
        pending.clear()
        blocks.append(Block(candidate.text, candidate.kind))
        offset += len(candidate.text) + len(BLOCK_SEPARATOR)
    text = BLOCK_SEPARATOR.join(block.text for block in blocks)
    removed.extend(Removal(text_, reason, len(text)) for text_, reason in pending)
    return Extraction(
        source=source,
        text=text,
        title=title,
        blocks=tuple(blocks),
        removed=tuple(removed),
        site=site_of(source) if site is None else site,
    )


def candidates_of(extraction: Extraction) -> list[Candidate]:
    """Kept blocks and removals of `extraction` interleaved in reading order again."""
    starts = block_starts(extraction.blocks)
    ordered: list[tuple[int, int, Candidate]] = [
        (start, 1, Candidate(block.text, block.kind))
        for start, block in zip(starts, extraction.blocks, strict=True)
    ]
    ordered += [
        (removal.at, 0, Candidate(removal.text, "paragraph", removal.reason))
        for removal in extraction.removed
    ]
    ordered.sort(key=lambda item: (item[0], item[1]))
    return [candidate for _, _, candidate in ordered]


def block_starts(blocks: Sequence[Block]) -> list[int]:
    starts: list[int] = []
    offset = 0
    for block in blocks:
        starts.append(offset)
        offset += len(block.text) + len(BLOCK_SEPARATOR)
    return starts


def site_of(source: str) -> str:
    """Host of a URL source, else the parent folder of a file path: pages of one site share it."""
    if "://" in source:
        parts = urlsplit(source)
        if parts.scheme in {"http", "https"} and parts.hostname:
            host = parts.hostname.casefold()
            return host.removeprefix("www.")
    if not source:
        return ""
    return str(PurePath(source).parent)
