"""The HTML report as a document: complete, escaped, self-contained and light at scale.

The browser-side behaviour (clicks, sorting, scripts not running) is in test_report_browser.py;
here the output is parsed the way a browser tokenises it (html.parser) and checked statically.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from dupdetect.report.html import render_html

FIXTURE = Path(__file__).parent / "fixtures" / "report" / "scan.json"
HOSTILE_SOURCE = "javascript:window.__pwned=1//evil.html"


class _Document(HTMLParser):
    """Every start tag with its attributes, the raw text of each script, style and comment."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self.comments: list[str] = []
        self.title = ""
        self._open: str | None = None
        self._svg_depth = 0  # <title> inside an SVG chart is a tooltip, not the page title
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._svg_depth += tag == "svg"
        if tag == "title" and self._svg_depth:
            return
        if tag in {"script", "style", "title"}:
            self._open = tag
            if tag == "script":
                self.scripts.append((dict(attrs), ""))

    def handle_endtag(self, tag: str) -> None:
        self._svg_depth -= tag == "svg"
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        elif self._open == "style":
            self.styles.append(data)
        elif self._open == "title":
            self.title += data

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def with_tag(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.tags if tag == name]

    def data(self) -> dict[str, Any]:
        (text,) = [text for attrs, text in self.scripts if attrs.get("id") == "report-data"]
        return json.loads(text)


@pytest.fixture(scope="module")
def scan() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report(scan: dict[str, Any]) -> str:
    return render_html(scan)


@pytest.fixture(scope="module")
def document(report: str) -> _Document:
    return _Document(report)


def _utf16_slice(text: str, start: int, end: int) -> str:
    """What JavaScript's `text.slice(start, end)` returns: offsets count UTF-16 code units."""
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def _page(scan: dict[str, Any], source: str) -> dict[str, Any]:
    return next(page for page in scan["pages"] if page["source"] == source)


def test_fixture_offsets_index_the_page_text(scan: dict[str, Any]) -> None:
    # The hand-written fixture must obey the contract, or the other tests prove nothing.
    for page in scan["pages"]:
        for repeat in page["repeats"]:
            for side in ("first", "second"):
                span = repeat[side]
                assert page["text"][span["start"] : span["end"]] == span["text"]
        for shared in page["shared"]:
            assert (
                page["text"][shared["here"]["start"] : shared["here"]["end"]]
                == shared["here"]["text"]
            )


def test_every_page_has_one_table_row_linking_to_its_view(
    scan: dict[str, Any], document: _Document
) -> None:
    rows = document.with_tag("tr")[1:]  # the first is the header row
    assert [row["data-index"] for row in rows] == [str(i) for i in range(len(scan["pages"]))]
    page_links = {
        attrs["href"] for attrs in document.with_tag("a") if attrs.get("class") == "page-link"
    }
    assert {f"#page={i}" for i in range(len(scan["pages"]))} <= page_links


def test_summary_and_errors_are_shown(scan: dict[str, Any], report: str) -> None:
    summary = scan["summary"]
    assert f"{summary['pages']} pages scanned" in report
    assert f'<span class="num">{summary["skipped"]}</span><span class="label">skipped' in report
    assert "broken/annual-report.pdf" in report
    assert "not HTML or plain text (application/pdf)" in report


def test_hostile_page_content_never_becomes_markup(document: _Document, report: str) -> None:
    assert len(document.scripts) == 2, "only the data block and the report's own script"
    data_block, own_script = document.scripts
    assert data_block[0] == {"type": "application/json", "id": "report-data"}
    assert "__pwned" not in own_script[1]
    assert document.title == "dupdetect report"
    assert document.comments == []
    for tag, attrs in document.tags:
        assert tag not in {"img", "iframe", "textarea"}
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not (attrs.get("href") or "").lower().startswith("javascript:")
    # Visible as text in the overview: the title, the source and the error message.
    assert "&lt;/title&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;" in report
    assert "&lt;/li&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;" in report
    assert f">{HOSTILE_SOURCE}<" in report


def test_embedded_data_keeps_hostile_text_exact(scan: dict[str, Any], document: _Document) -> None:
    data_text = document.scripts[0][1]
    assert "<" not in data_text and ">" not in data_text and "&" not in data_text
    assert "\u2028" not in data_text and "\u2029" not in data_text
    embedded = {page["source"]: page for page in document.data()["pages"]}
    hostile = _page(scan, HOSTILE_SOURCE)
    assert embedded[HOSTILE_SOURCE]["text"] == hostile["text"]
    assert embedded[HOSTILE_SOURCE]["title"] == hostile["title"]
    assert "</textarea>" in hostile["text"] and "\u2028" in hostile["text"]


def test_embedded_offsets_slice_the_same_passages_in_javascript(
    scan: dict[str, Any], document: _Document
) -> None:
    embedded = document.data()["pages"]
    emoji_pages = [
        i
        for i, page in enumerate(scan["pages"])
        if re.search("[\U00010000-\U0010ffff]", page["text"])
    ]
    assert emoji_pages, "the fixture needs a page with characters outside the BMP"
    for page, client in zip(scan["pages"], embedded, strict=True):
        for repeat, (_, s1, e1, s2, e2) in zip(page["repeats"], client["repeats"], strict=True):
            assert _utf16_slice(client["text"], s1, e1) == repeat["first"]["text"]
            assert _utf16_slice(client["text"], s2, e2) == repeat["second"]["text"]
        for shared, (other, _, _, hs, he, ts, te) in zip(
            page["shared"], client["shared"], strict=True
        ):
            assert _utf16_slice(client["text"], hs, he) == shared["here"]["text"]
            if other >= 0:
                assert _utf16_slice(embedded[other]["text"], ts, te) == shared["there"]["text"]


def test_shared_passage_links_to_the_page_it_was_copied_from(
    scan: dict[str, Any], document: _Document
) -> None:
    index_of = {page["source"]: i for i, page in enumerate(scan["pages"])}
    for page, client in zip(scan["pages"], document.data()["pages"], strict=True):
        others = [entry[0] for entry in client["shared"]]
        assert others == [index_of.get(s["other"], -1) for s in page["shared"]]
        near = [entry[0] for entry in client["near"]]
        assert near == [index_of.get(d["other"], -1) for d in page["near_duplicates"]]


def test_content_security_policy_admits_only_the_inline_script_and_style(
    document: _Document,
) -> None:
    (meta,) = [
        m for m in document.with_tag("meta") if m.get("http-equiv") == "Content-Security-Policy"
    ]
    policy = meta["content"] or ""

    def source(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert "default-src 'none'" in policy
    assert f"script-src {source(document.scripts[1][1])};" in policy
    assert f"style-src {source(''.join(document.styles))};" in policy
    assert "http" not in policy and "unsafe" not in policy


def test_nothing_is_loaded_from_outside(document: _Document) -> None:
    for tag, attrs in document.tags:
        assert "src" not in attrs, tag
        if tag == "link":
            pytest.fail(f"external resource {attrs}")
        href = attrs.get("href")
        assert href is None or href.startswith("#"), href


def test_histogram_counts_pages_per_tenth() -> None:
    scores = [0.0, 0.05, 0.5, 0.99, 1.0]
    result = {
        "pages": [
            {"source": f"p{i}", "text": "x", "filler": {"score": s}} for i, s in enumerate(scores)
        ]
    }
    titles = re.findall(r"<title>([^<]*pages)</title>", render_html(result))
    assert "0.0–0.1: 2 pages" in titles
    assert "0.5–0.6: 1 pages" in titles
    assert "0.9–1.0: 2 pages" in titles
    assert "0.1–0.2: 0 pages" in titles


def test_worst_pages_are_the_highest_scores_in_order(scan: dict[str, Any], report: str) -> None:
    worst = report[report.index('<ol class="worst">') : report.index("</ol>")]
    listed = re.findall(r'href="#page=(\d+)"', worst)
    scored = [i for i, page in enumerate(scan["pages"]) if page["filler"]["score"] > 0]
    expected = sorted(scored, key=lambda i: -scan["pages"][i]["filler"]["score"])
    assert [int(i) for i in listed] == expected


def test_largest_cluster_comes_first_and_links_each_occurrence(
    scan: dict[str, Any], report: str
) -> None:
    section = report[report.index('<ul class="clusters">') :]
    first_item = section[: section.index("</li></ul></li>")]
    biggest = max(scan["clusters"], key=lambda c: c["size"])
    assert f"<strong>{biggest['size']} pages</strong>" in first_item
    index_of = {page["source"]: i for i, page in enumerate(scan["pages"])}
    for member in biggest["members"]:
        link = f'href="#page={index_of[member["source"]]}&amp;at={member["start"]}-{member["end"]}"'
        assert link in first_item


def test_result_without_optional_keys_still_renders() -> None:
    result = {
        "pages": [
            {"source": "bare.html"},
            {"source": "partial.html", "text": "one two three", "filler": {"score": 0.3}},
            {"source": "odd.html", "text": "abc", "repeats": [{"first": {"start": 0, "end": 99}}]},
        ]
    }
    document = _Document(render_html(result))
    pages = document.data()["pages"]
    assert [page["source"] for page in pages] == ["bare.html", "partial.html", "odd.html"]
    assert pages[1]["words"] == 3 and pages[1]["score"] == 0.3
    assert pages[2]["repeats"] == []  # a repeat without a second occurrence cannot be drawn
    assert len(document.with_tag("tr")) == 1 + 3


def test_offsets_past_the_text_are_clamped() -> None:
    result = {
        "pages": [
            {
                "source": "a.html",
                "text": "short text",
                "filler": {"score": 0.5, "spans": [{"start": 6, "end": 500, "component": "x"}]},
                "removed": [{"text": "nav", "reason": "navigation", "at": 999}],
            }
        ]
    }
    (page,) = _Document(render_html(result)).data()["pages"]
    assert page["filler"] == [[6, 10, 0, ""]]
    assert page["removed"] == [[10, "navigation", "nav"]]


def _big_result(count: int) -> dict[str, Any]:
    """A scan of `count` pages, each with a unique marker, a repeat, filler and a shared passage."""
    pages = []
    for i in range(count):
        sentence = f"Page marker-{i}-end repeats this sentence about topic {i % 37}. "
        text = sentence * 2 + "Common footer line shared by the whole farm."
        shared_start = text.index("Common")
        pages.append(
            {
                "source": f"site/{i:05d}.html",
                "title": f"Article {i}",
                "text": text,
                "words": len(text.split()),
                "repeated_fraction": 0.9,
                "filler": {
                    "score": (i % 100) / 100,
                    "fraction": 0.5,
                    "components": {"repetition": 0.7, "stock_phrases": 0.2},
                    "spans": [{"start": 0, "end": 10, "component": "stock_phrases"}],
                },
                "removed": [],
                "repeats": [
                    {
                        "similarity": 1.0,
                        "first": {"start": 0, "end": len(sentence) - 1},
                        "second": {"start": len(sentence), "end": 2 * len(sentence) - 1},
                    }
                ],
                "shared": [
                    {
                        "other": f"site/{(i + 1) % count:05d}.html",
                        "similarity": 1.0,
                        "here": {"start": shared_start, "end": len(text)},
                        "there": {"start": shared_start, "end": len(text)},
                    }
                ],
                "near_duplicates": [],
            }
        )
    return {"version": 1, "pages": pages, "clusters": [], "errors": []}


def test_five_thousand_pages_embed_each_text_once_and_render_no_page_view() -> None:
    result = _big_result(5000)
    report = render_html(result)
    text_bytes = sum(len(page["text"].encode()) for page in result["pages"])
    # Each page costs its text once plus a table row and a little data: no 5,000 page views.
    assert len(report.encode()) < text_bytes + 1000 * len(result["pages"])
    assert report.count("<tr data-index=") == 5000
    assert 'class="page-text"' not in report
    for i in (0, 1234, 4999):
        assert report.count(f"marker-{i}-end") == 2  # once per copy of the sentence, in the data
    assert len(_Document(report).data()["pages"]) == 5000
