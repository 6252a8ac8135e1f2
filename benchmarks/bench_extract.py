"""Extraction: dupdetect's HTML extractor vs trafilatura on the same WCXB pages.

trafilatura is what a user would pick to get main text out of HTML; both sides get the raw
bytes and return the main text. (Extraction quality is measured by eval_extract.py.)
"""

from __future__ import annotations

import contextlib
from typing import Any

import trafilatura

from dupdetect.errors import InputError
from dupdetect.extract import extract_html


def extract_all_ours(pages: list[tuple[str, bytes]]) -> int:
    extracted = 0
    for name, html in pages:
        with contextlib.suppress(InputError):  # a page with no text counts as extracted empty
            extracted += bool(extract_html(html, name).text)
    return extracted


def extract_all_trafilatura(pages: list[tuple[str, bytes]]) -> int:
    return sum(bool(trafilatura.extract(html)) for _, html in pages)


def test_ours(benchmark: Any, wcxb_html: list[tuple[str, bytes]]) -> None:
    benchmark.extra_info.update(pages=len(wcxb_html), input=f"WCXB HTML x{len(wcxb_html)}")
    assert benchmark.pedantic(extract_all_ours, args=(wcxb_html,), rounds=2) > 0


def test_trafilatura(benchmark: Any, wcxb_html: list[tuple[str, bytes]]) -> None:
    benchmark.extra_info.update(pages=len(wcxb_html), input=f"WCXB HTML x{len(wcxb_html)}")
    assert benchmark.pedantic(extract_all_trafilatura, args=(wcxb_html,), rounds=2) > 0
