"""Blocks of a plain-text page: lines and paragraphs, promo lines removed.

Why: content-farm articles are often scraped to plain text (like the seeds), one paragraph or
heading per line, sometimes indented, sometimes hard-wrapped at a fixed width. A block here is
one line, except that hard-wrapped lines of one paragraph are joined back together; every line
loses its indentation (so an article indented by four spaces reads like any other).

Lines then go through the same promo rules as HTML blocks (`promos.mark_promos`) and the same
neighbour test for debris (`promos.mark_debris`).
"""

from __future__ import annotations

import re

from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.errors import InputError
from dupdetect.extract.assemble import assemble
from dupdetect.extract.promos import Candidate, mark_debris, mark_promos, words_of
from dupdetect.model import Extraction

MAX_TITLE_WORDS = 25
"""A first line longer than this is the opening paragraph, not a headline."""
MIN_CONTINUED_WIDTH = 60
"""A line continues into a lower-case next line only when it is this long: wrapped prose is,
a headline over a lower-case keyword line is not."""
MIN_WRAP_WIDTH = 40
"""Lines wrapped narrower than this are verse or lists, not a hard-wrapped paragraph."""
_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]]$")


def extract_text(text: str, source: str = "", config: Config = DEFAULT_CONFIG) -> Extraction:
    """Main text of a plain-text page; raises `InputError` when there is none."""
    del config  # one signature for every extractor; no text-specific setting yet
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    if not any(lines):
        raise InputError("empty input: no text")
    candidates = [Candidate(paragraph) for paragraph in _paragraphs(lines)]
    mark_promos(candidates)
    mark_debris(candidates)
    return assemble(source, _title(candidates), candidates)


def _paragraphs(lines: list[str]) -> list[str]:
    """One entry per line, joining the lines of a hard-wrapped paragraph."""
    paragraphs: list[str] = []
    for chunk in _chunks(lines):
        paragraphs.extend(_unwrap(chunk))
    return paragraphs


def _chunks(lines: list[str]) -> list[list[str]]:
    """Runs of non-empty lines separated by blank lines."""
    chunks: list[list[str]] = [[]]
    for line in lines:
        if line:
            chunks[-1].append(line)
        elif chunks[-1]:
            chunks.append([])
    return [chunk for chunk in chunks if chunk]


def _unwrap(chunk: list[str]) -> list[str]:
    """Join lines that continue a sentence: the chunk is wrapped at a fixed width, or the next
    line starts in lower case after a line without closing punctuation."""
    wrapped = _is_hard_wrapped(chunk)
    joined: list[str] = [chunk[0]]
    for line in chunk[1:]:
        previous = joined[-1]
        continues = not _SENTENCE_END.search(previous) and (
            wrapped or (line[:1].islower() and len(previous) >= MIN_CONTINUED_WIDTH)
        )
        if continues:
            joined[-1] = f"{previous} {line}"
        else:
            joined.append(line)
    return joined


def _is_hard_wrapped(chunk: list[str]) -> bool:
    """Most lines but the last fill nearly the same width: a paragraph wrapped by a tool."""
    if len(chunk) < 3:
        return False
    width = max(len(line) for line in chunk)
    if width < MIN_WRAP_WIDTH or width > 120:
        return False
    full = sum(1 for line in chunk[:-1] if len(line) >= 0.75 * width)
    return full >= 0.8 * (len(chunk) - 1)


def _title(candidates: list[Candidate]) -> str:
    """The first kept line when it reads as a headline: short and without a final period."""
    first = next((c.text for c in candidates if c.reason is None), "")
    words = words_of(first)
    if 0 < len(words) <= MAX_TITLE_WORDS and not first.endswith("."):
        return first
    return ""
