"""Parallel streaming scans give exactly the in-process results, stream pages, stay bounded."""

from __future__ import annotations

import io
import json
import os
import random
import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from dupdetect.config import DEFAULT_CONFIG
from dupdetect.model import RawPage, ScanError
from dupdetect.progress import terminal_progress
from dupdetect.scan import (
    CHUNK_INPUT_BYTES,
    CHUNK_PAGES,
    CHUNK_SPILL_BYTES,
    CHUNKS_IN_FLIGHT_PER_JOB,
    MIN_POOL_PAGES,
    ScanResult,
    ScanStream,
    SpilledPage,
    Workers,
    _ExtractWork,
    _work_chunks,
    run_chunked,
    scan,
    stream_records,
)

WORDS = (
    "river bridge council budget engineer harbour station winter farmers market school teacher "
    "museum painting railway tunnel storm flood village mayor hospital nurse library archive "
    "festival music orchard apple cider factory workers union strike vote election candidate "
    "forest trail ranger wolf deer hunter island ferry captain lighthouse keeper fog signal "
    "bakery bread flour mill wheat harvest drought reservoir pump canal lock barge coal steel "
    "the a of and in on with after before during while because although every many few some"
).split()
FOOTER = "Subscribe to the Riverside Gazette for weekly stories about the valley and its people."


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 18))]
    return " ".join(words).capitalize() + "."


def article(rng: random.Random, sentences: int = 14) -> str:
    lines = [" ".join(sentence(rng) for _ in range(3)) for _ in range(sentences // 3)]
    return "\n\n".join(lines)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough pages for a worker pool: two sites, a near-duplicate, a copied passage, a site
    footer on every page of one site, and two unreadable files."""
    root = tmp_path_factory.mktemp("corpus")
    rng = random.Random(11)
    texts = [article(rng) for _ in range(MIN_POOL_PAGES + 6)]
    texts[40] = texts[3].replace("\n\n", "\n\nAs reported earlier. ", 1)
    first_paragraph = texts[10].split("\n\n")[0]
    texts[55] = texts[55] + "\n\n" + first_paragraph
    syndicated = texts[20].split("\n\n")[1]
    for index in (30, 45, 61):
        texts[index] = syndicated + "\n\n" + texts[index]
    for index, text in enumerate(texts):
        site = "site-b" if index % 2 else "site-a"
        body = text + ("\n\n" + FOOTER if site == "site-b" else "")
        target = root / site / f"page-{index:03d}.txt"
        target.parent.mkdir(exist_ok=True)
        target.write_text(body, encoding="utf-8")
    (root / "site-a" / "junk.html").write_bytes(bytes(range(256)) * 8)
    (root / "site-a" / "empty.txt").write_bytes(b"")
    return root


@pytest.fixture(scope="module")
def in_process(corpus: Path) -> ScanResult:
    return scan([str(corpus)], jobs=1)


def by_name(result: ScanResult) -> dict[str, Any]:
    return {Path(page.source).name: page for page in result.pages}


def test_planted_duplication_is_found(in_process: ScanResult) -> None:
    pages = by_name(in_process)
    assert [Path(d.other).name for d in pages["page-040.txt"].near_duplicates] == ["page-003.txt"]
    assert {Path(s.other).name for s in pages["page-055.txt"].shared} >= {"page-010.txt"}
    assert all(FOOTER not in page.text for page in in_process.pages)
    assert any(r.reason == "site-template" for r in pages["page-001.txt"].removed)
    assert {Path(e.source).name for e in in_process.errors} == {"junk.html", "empty.txt"}
    members = {Path(m.source).name for c in in_process.clusters for m in c.members}
    assert members >= {"page-020.txt", "page-030.txt", "page-045.txt", "page-061.txt"}


@pytest.mark.parametrize("site_templates", [True, False])
def test_two_workers_give_the_in_process_result(
    corpus: Path, in_process: ScanResult, site_templates: bool
) -> None:
    expected = in_process if site_templates else scan([str(corpus)], site_templates=False)
    parallel = scan([str(corpus)], jobs=2, site_templates=site_templates)
    assert parallel.to_dict(include_text=True) == expected.to_dict(include_text=True)
    assert parallel.clusters == expected.clusters


def test_streamed_records_rebuild_the_links_both_ways(corpus: Path, in_process: ScanResult) -> None:
    stream = ScanStream([str(corpus)], jobs=2)
    records = [json.loads(json.dumps(r)) for r in stream_records(stream, stream.skipped)]
    kinds = [record["kind"] for record in records]
    assert kinds.count("page") == len(in_process.pages)
    assert kinds.count("error") == len(in_process.errors)
    assert kinds[-1] == "summary" and records[-1]["pages"] == len(in_process.pages)
    first_link = kinds.index("link")
    assert set(kinds[first_link:-1]) <= {"link", "cluster"}
    links: dict[str, set[str]] = defaultdict(set)
    for record in records:
        if record["kind"] in ("page", "link"):
            links[record["source"]] |= {s["other"] for s in record["shared"]}
            links[record["source"]] |= {d["other"] for d in record["near_duplicates"]}
    expected = {
        page.source: {s.other for s in page.shared} | {d.other for d in page.near_duplicates}
        for page in in_process.pages
    }
    assert {source: others for source, others in links.items() if others} == {
        source: others for source, others in expected.items() if others
    }
    clusters = [
        {k: v for k, v in r.items() if k != "kind"} for r in records if r["kind"] == "cluster"
    ]
    assert clusters == [cluster.to_dict() for cluster in in_process.clusters]


def test_page_records_point_only_at_earlier_pages(corpus: Path) -> None:
    stream = ScanStream([str(corpus)], jobs=1)
    seen: set[str] = set()
    for record in stream_records(stream, stream.skipped):
        if record["kind"] == "page":
            others = {s["other"] for s in record["shared"]}
            others |= {d["other"] for d in record["near_duplicates"]}
            assert others <= seen
            seen.add(record["source"])


class CountingPages:
    """An input that counts how far the scan has read it."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.read = 0

    def __iter__(self) -> Iterator[RawPage | ScanError]:
        for index in range(self.total):
            self.read += 1
            yield RawPage(f"p{index}", f"Page number {index} has a few words of text.", "text")


def test_workers_read_only_a_bounded_window_ahead() -> None:
    pages = CountingPages(2000)
    outcomes = run_chunked(_ExtractWork(DEFAULT_CONFIG), pages, jobs=2)
    first = next(outcomes)
    assert not isinstance(first, ScanError)
    window = 2 * CHUNKS_IN_FLIGHT_PER_JOB * CHUNK_PAGES
    assert pages.read <= window + CHUNK_PAGES
    rest = list(outcomes)
    assert len(rest) + 1 == pages.total


@dataclass(frozen=True)
class WhereRun:
    """A work that tells which process ran each item."""

    def run(self, chunk: list[int]) -> list[tuple[int, int]]:
        return [(item, os.getpid()) for item in chunk]


def test_the_parent_works_until_the_workers_have_started(monkeypatch: pytest.MonkeyPatch) -> None:
    started = threading.Event()
    start_processes = Workers._start_processes

    def start_when_released(self: Workers) -> None:
        started.wait(timeout=60)
        start_processes(self)

    monkeypatch.setattr(Workers, "_start_processes", start_when_released)
    work = WhereRun()
    with Workers((work,), jobs=2) as workers:
        outcomes = workers.run(work, iter(range(40 * CHUNK_PAGES)))
        while_starting = [next(outcomes) for _ in range(2 * CHUNK_PAGES)]
        started.set()
        assert workers._starting is not None
        workers._starting.join(timeout=60)
        after = list(outcomes)
    assert [item for item, _ in while_starting + after] == list(range(40 * CHUNK_PAGES))
    assert {pid for _, pid in while_starting} == {os.getpid()}
    assert os.getpid() not in {pid for _, pid in after[-CHUNK_PAGES:]}


def test_large_pages_go_to_the_workers_in_smaller_tasks(tmp_path: Path) -> None:
    """Tasks hold `CHUNK_PAGES` small pages, or fewer pages when they are large, so that at
    the end of a pass one worker is not left with a long task while the other waits."""
    small = [RawPage(f"s{i}", "A short page.", "text") for i in range(40)]
    large = [RawPage(f"l{i}", b"<p>x</p>" * (CHUNK_INPUT_BYTES // 16), "html") for i in range(4)]
    big_file = tmp_path / "big.html"
    big_file.write_bytes(b"<p>y</p>" * (CHUNK_INPUT_BYTES // 4))
    sizes = [len(chunk) for chunk in _work_chunks([*small, *large, big_file, *small[:3]])]
    assert sizes == [CHUNK_PAGES, CHUNK_PAGES, 8 + 2, 2, 1, 3]
    spilled = SpilledPage(bytes(CHUNK_SPILL_BYTES), np.zeros(0, dtype=np.uint64))
    assert [len(chunk) for chunk in _work_chunks([spilled, spilled])] == [1, 1]


class RecordingProgress:
    def __init__(self) -> None:
        self.events: list[tuple[str, int | None]] = []
        self.advances: dict[str, int] = defaultdict(int)

    def phase(self, name: str, total: int | None) -> None:
        self.events.append((name, total))

    def advance(self) -> None:
        self.advances[self.events[-1][0]] += 1


def test_progress_follows_both_passes(corpus: Path, in_process: ScanResult) -> None:
    progress = RecordingProgress()
    scan([str(corpus)], progress=progress)
    files = len(in_process.pages) + len(in_process.errors)
    assert progress.events == [("extracting", files), ("scanning", len(in_process.pages))]
    assert progress.advances == {"extracting": files, "scanning": len(in_process.pages)}


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_only_after_a_moment() -> None:
    with terminal_progress(io.StringIO()) as progress:
        assert progress is None
    terminal = FakeTerminal()
    with terminal_progress(terminal) as progress:
        assert progress is not None
        progress.phase("scanning", 3)
        progress.advance()
        assert terminal.getvalue() == ""  # a short scan draws nothing
        progress.delay = 0.0
        progress.advance()
    assert "scanning" in terminal.getvalue()
