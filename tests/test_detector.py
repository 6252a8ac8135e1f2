"""The library API a crawler uses: `Detector.check` page by page."""

from __future__ import annotations

import asyncio
import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from dupdetect import Detector, InputError, PageReport


def read(samples_dir: Path, name: str) -> bytes:
    return (samples_dir / name).read_bytes()


def test_check_reports_against_pages_seen_before(samples_dir: Path) -> None:
    detector = Detector()
    first = detector.check(
        read(samples_dir, "heatwave-tips-site-a.html"), source="https://a.example/heat"
    )
    assert first.near_duplicates == ()
    second = detector.check(
        read(samples_dir, "heatwave-tips-site-b.html"), source="https://b.example/heat"
    )
    assert [d.other for d in second.near_duplicates] == ["https://a.example/heat"]
    assert second.near_duplicates[0].similarity >= 0.8
    assert second.to_dict()["near_duplicates"][0]["other"] == "https://a.example/heat"


def test_check_plain_text(samples_dir: Path) -> None:
    detector = Detector()
    report = detector.check(
        read(samples_dir, "seed-004-iran-minister-moscow.txt").decode(),
        source="seed",
        content_type="text",
    )
    assert isinstance(report, PageReport)
    assert report.words > 1000
    assert 0.0 <= report.filler.score <= 1.0


def test_bad_input_raises_a_one_line_input_error() -> None:
    with pytest.raises(InputError) as caught:
        Detector().check(bytes(range(256)) * 64, source="junk")
    assert "\n" not in str(caught.value)


def test_remove_forgets_a_page(samples_dir: Path) -> None:
    detector = Detector()
    detector.check(read(samples_dir, "heatwave-tips-site-a.html"), source="a")
    assert detector.remove("a")
    assert not detector.remove("a")
    report = detector.check(read(samples_dir, "heatwave-tips-site-b.html"), source="b")
    assert report.near_duplicates == ()


def test_context_manager_and_async(samples_dir: Path) -> None:
    async def crawl() -> list[PageReport]:
        with Detector() as detector:
            return [
                await detector.acheck(read(samples_dir, name), source=name)
                for name in ("heatwave-tips-site-a.html", "heatwave-tips-site-b.html")
            ]

    reports = asyncio.run(crawl())
    assert [d.other for d in reports[1].near_duplicates] == ["heatwave-tips-site-a.html"]


def twin_articles(count: int, words: int = 150) -> list[tuple[str, str]]:
    """`count` pairs of random-vocabulary texts; each pair differs in four words only."""
    rng = random.Random(7)
    vocabulary = [f"word{i}" for i in range(5000)]
    pages = []
    for pair in range(count):
        text = [rng.choice(vocabulary) for _ in range(words)]
        twin = list(text)
        for position in rng.sample(range(words), 4):
            twin[position] = rng.choice(vocabulary)
        pages += [(f"pair{pair}-a", " ".join(text)), (f"pair{pair}-b", " ".join(twin))]
    return pages


def test_threads_submitting_duplicates_at_once_report_each_pair_once() -> None:
    """Eight workers check 40 near-duplicate pairs at once: each pair is found exactly once."""
    pages = twin_articles(40)
    detector = Detector(site_templates=False)
    with ThreadPoolExecutor(max_workers=8) as pool:
        reports = list(
            pool.map(
                lambda page: detector.check(page[1], source=page[0], content_type="text"), pages
            )
        )
    found = sorted(tuple(sorted((r.source, d.other))) for r in reports for d in r.near_duplicates)
    assert found == sorted((f"pair{i}-a", f"pair{i}-b") for i in range(40))
