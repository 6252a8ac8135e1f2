"""The HTML report of a real scan of the samples, clicked in headless Chromium.

`tests/test_report_browser.py` checks the report on a hand-written fixture; this module checks
it on what the pipeline really produces. The `browser` fixture (conftest) skips outside CI when
Chromium is missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dupdetect import scan
from dupdetect.report.html import render_html

pytestmark = pytest.mark.browser

HOSTILE_TEXT = (
    "A page that tries to run code in the report.\n\n"
    "It quotes <script>window.__pwned = 'script'; document.title = 'pwned'</script> inline, "
    "adds <img src=x onerror=\"window.__pwned = 'onerror'\"> and a "
    "<a href=\"javascript:window.__pwned='link'\">link</a>, closes a </textarea> and a "
    "</script><script>window.__pwned = 'breakout'</script> to break out of the data block.\n"
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> tuple[Path, dict]:
    """The samples plus one hostile page, scanned and rendered to a file."""
    folder = tmp_path_factory.mktemp("report-input")
    for sample in samples_dir.iterdir():
        if sample.suffix in {".html", ".txt"}:
            shutil.copy(sample, folder / sample.name)
    (folder / "zz-hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    result = scan([str(folder)]).to_dict(include_text=True)
    target = folder / "report.html"
    target.write_text(render_html(result), encoding="utf-8")
    return target, result


@pytest.fixture
def opened(browser: Any, report: tuple[Path, dict]) -> Iterator[tuple[Any, list[str]]]:
    """A fresh tab on the report, and the console errors and page errors it logs."""
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(report[0].as_uri())
    yield page, problems
    page.close()


def page_index(result: dict, name: str) -> int:
    return next(i for i, p in enumerate(result["pages"]) if p["source"].endswith(name))


def test_report_loads_without_console_errors(opened: tuple[Any, list[str]]) -> None:
    page, problems = opened
    assert page.title() == "dupdetect report"
    assert page.locator("#pages-table tbody tr").count() == 10
    assert problems == []


def follow_highlight(page: Any, report: Path, index: int, kind: str, start: int, twin: int) -> None:
    """Open page `index`, click its `kind` highlight at `start`, wait until `twin` has focus."""
    page.goto(f"{report.as_uri()}#page={index}")
    page.locator(f'.page-text a.hl.{kind}[data-start="{start}"]').click()
    page.wait_for_function(
        "start => document.activeElement && document.activeElement.dataset.start === start",
        arg=str(twin),
    )


def test_clicking_a_repeat_goes_to_its_twin(
    opened: tuple[Any, list[str]], report: tuple[Path, dict]
) -> None:
    page, problems = opened
    index = page_index(report[1], "seed-000-putin-iran-visit.txt")
    first, second = (report[1]["pages"][index]["repeats"][0][side] for side in ("first", "second"))
    follow_highlight(page, report[0], index, "repeat", first["start"], second["start"])
    assert f"at={second['start']}-{second['end']}" in page.url
    assert problems == []


def test_clicking_a_shared_passage_goes_to_the_other_page(
    opened: tuple[Any, list[str]], report: tuple[Path, dict]
) -> None:
    page, _ = opened
    index = page_index(report[1], "copycat-viaduct-explainer.html")
    shared = report[1]["pages"][index]["shared"][0]
    follow_highlight(
        page, report[0], index, "shared", shared["here"]["start"], shared["there"]["start"]
    )
    assert f"page={page_index(report[1], Path(shared['other']).name)}" in page.url


def column_values(page: Any, column: int) -> list[float]:
    cells = page.locator(f"#pages-table tbody tr td:nth-child({column + 1})")
    return [
        float(value) for value in cells.evaluate_all("cells => cells.map(c => c.dataset.value)")
    ]


def test_sorting_by_filler_score(opened: tuple[Any, list[str]]) -> None:
    page, _ = opened
    headers = page.locator("#pages-table thead th")
    titles = [title.strip().lower() for title in headers.all_inner_texts()]
    column = next(i for i, title in enumerate(titles) if "filler" in title)
    headers.nth(column).locator("button").click()
    descending = column_values(page, column)
    assert descending == sorted(descending, reverse=True)
    headers.nth(column).locator("button").click()
    ascending = column_values(page, column)
    assert ascending == sorted(ascending)
    assert ascending != descending


def test_filter_hides_other_pages(opened: tuple[Any, list[str]]) -> None:
    page, _ = opened
    page.fill("#filter-text", "seed")
    visible = page.locator("#pages-table tbody tr:not([hidden]) td.src").all_inner_texts()
    assert len(visible) == 2 and all("seed-" in text for text in visible)


def test_injected_script_in_a_page_does_not_run(
    opened: tuple[Any, list[str]], report: tuple[Path, dict]
) -> None:
    page, _ = opened
    index = page_index(report[1], "zz-hostile.txt")
    page.goto(f"{report[0].as_uri()}#page={index}")
    shown = page.locator(".page-text").inner_text()
    assert "<script>window.__pwned = 'script'" in shown
    assert "onerror=" in shown and "</textarea>" in shown
    page.locator(".page-text").click()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.title() == "dupdetect report"
    assert page.locator(".page-text script, .page-text img").count() == 0
