"""The HTML report in a real browser (headless Chromium): it loads cleanly, links, sorts,
filters, and a hostile scanned page runs nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dupdetect.report.html import render_html

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).parent / "fixtures" / "report" / "scan.json"
HOSTILE_SOURCE = "javascript:window.__pwned=1//evil.html"


@pytest.fixture(scope="module")
def scan() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report_url(scan: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(scan), encoding="utf-8")
    return path.as_uri()


@pytest.fixture
def tab(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A fresh page plus every console error and uncaught exception it reports."""
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page, problems
    context.close()


def _index(scan: dict[str, Any], source: str) -> int:
    return next(i for i, page in enumerate(scan["pages"]) if page["source"] == source)


def _row_order(page: Any) -> list[int]:
    return page.eval_on_selector_all(
        "#pages-table tbody tr:not([hidden])", "rows => rows.map(r => Number(r.dataset.index))"
    )


def test_report_and_every_page_view_load_without_console_errors(
    tab: tuple[Any, list[str]], scan: dict[str, Any], report_url: str
) -> None:
    page, problems = tab
    page.goto(report_url)
    assert page.locator("#pages-table tbody tr").count() == len(scan["pages"])
    for index, expected in enumerate(scan["pages"]):
        page.goto(f"{report_url}#page={index}")
        assert page.locator("#page-view .page-head .source").text_content() == expected["source"]
    assert problems == []


def test_clicking_a_repeat_focuses_its_twin(
    tab: tuple[Any, list[str]], scan: dict[str, Any], report_url: str
) -> None:
    page, problems = tab
    index = _index(scan, "news/solar-farms-explained.html")
    last_repeat = scan["pages"][index]["repeats"][-1]
    page.goto(f"{report_url}#page={index}")
    page.click(f'.page-text a.hl[data-start="{last_repeat["second"]["start"]}"]')
    active = page.evaluate(
        "() => [document.activeElement.dataset.start, location.hash,"
        " Array.from(document.querySelectorAll('.page-text .target'), n => n.textContent).join('')]"
    )
    assert active == [
        str(last_repeat["first"]["start"]),
        f"#page={index}&at={last_repeat['first']['start']}-{last_repeat['first']['end']}",
        last_repeat["first"]["text"],
    ]
    assert problems == []


def test_clicking_a_shared_passage_opens_the_other_page_at_its_twin(
    tab: tuple[Any, list[str]], scan: dict[str, Any], report_url: str
) -> None:
    page, _ = tab
    index = _index(scan, "copycat/solar-power-guide-amp.html")
    shared = scan["pages"][index]["shared"][0]
    page.goto(f"{report_url}#page={index}")
    page.click(f'.page-text a.hl[data-start="{shared["here"]["start"]}"]')
    assert page.locator("#page-view .page-head .source").text_content() == shared["other"]
    focused = page.evaluate("() => document.activeElement.textContent")
    assert shared["there"]["text"].startswith(focused) and focused


def test_highlights_after_an_emoji_cover_the_right_characters(
    tab: tuple[Any, list[str]], scan: dict[str, Any], report_url: str
) -> None:
    page, _ = tab
    index = _index(scan, "blog/minister-to-moscow.html")
    repeat = scan["pages"][index]["repeats"][0]
    page.goto(f"{report_url}#page={index}")
    shown = page.text_content(f'.page-text [data-start="{repeat["second"]["start"] + 2}"]')
    assert shown == repeat["second"]["text"]


def test_clicking_column_titles_sorts_the_table(
    tab: tuple[Any, list[str]], scan: dict[str, Any], report_url: str
) -> None:
    page, _ = tab
    page.goto(report_url)
    scores = [p["filler"]["score"] for p in scan["pages"]]
    by_score = sorted(range(len(scores)), key=lambda i: scores[i])
    page.click("#pages-table th:has-text('Filler score') button")
    assert _row_order(page) == by_score[::-1]
    page.click("#pages-table th:has-text('Filler score') button")
    assert _row_order(page) == by_score
    words = [p["words"] for p in scan["pages"]]
    page.click("#pages-table th:has-text('Words') button")
    assert [words[i] for i in _row_order(page)] == sorted(words, reverse=True)


def test_filters_narrow_the_table(
    tab: tuple[Any, list[str]], scan: dict[str, Any], report_url: str
) -> None:
    page, _ = tab
    page.goto(report_url)
    page.fill("#filter-text", "solar")
    matching = [
        i for i, p in enumerate(scan["pages"]) if "solar" in f"{p['source']} {p['title']}".lower()
    ]
    assert _row_order(page) == matching
    assert page.text_content("#filter-count") == f"{len(matching)} of {len(scan['pages'])} pages"
    page.fill("#filter-text", "")
    page.fill("#filter-score", "0.5")
    assert _row_order(page) == [
        i for i, p in enumerate(scan["pages"]) if p["filler"]["score"] >= 0.5
    ]


def test_hostile_page_shows_its_markup_as_text_and_runs_nothing(
    tab: tuple[Any, list[str]], scan: dict[str, Any], report_url: str
) -> None:
    page, problems = tab
    index = _index(scan, HOSTILE_SOURCE)
    hostile = scan["pages"][index]
    page.goto(report_url)
    page.hover("#pages-table")
    view = f"{report_url}#page={index}"
    page.goto(view)
    for i in range(page.locator(".page-text .hl").count()):
        page.goto(view)  # a linked highlight navigates away and rebuilds the view
        page.locator(".page-text .hl").nth(i).click()
    page.goto(view)
    page.locator(".removed-chip").first.click()
    page.locator(".page-text .hl").first.hover()
    assert page.evaluate("() => window.__pwned") is None
    assert page.title() == "dupdetect report"
    assert page.text_content(".page-text").replace("\u2028", "").replace("\u2029", "").count(
        "<script>window.__pwned=1</script>"
    ) == hostile["text"].count("<script>window.__pwned=1</script>")
    assert page.text_content("#page-view .page-head h2") == hostile["title"]
    assert page.locator("#page-view img, #page-view iframe, #page-view script").count() == 0
    assert page.locator("a[href^='javascript' i]").count() == 0
    assert problems == []
