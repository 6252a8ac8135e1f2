"""Shared by the index-store tests: seeded near-duplicate pages, workers that submit them at
once from threads or processes, and the Redis server the Redis tests need.

Each pair is a ~150-word text and a copy with two words changed (3-word shingle Jaccard about
0.92). Words come from a synthetic vocabulary of 20,000, so pages of different pairs share
almost no shingle: the only near-duplicate of a page is its twin.
"""

from __future__ import annotations

import os
import random
import string
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context
from typing import Any

import pytest

from dupdetect.config import DEFAULT_CONFIG
from dupdetect.index import open_store
from dupdetect.match import Matcher
from dupdetect.segment import segment
from dupdetect.sign import sign

PAGE_WORDS = 150
CHANGED_WORDS = 2
WORKERS = 4

Page = tuple[str, str]  # (source, text)
Outcome = tuple[str, tuple[str, ...], bool]  # (source, near-duplicates reported, seen_before)


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    words = {"".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 9))) for _ in range(size)}
    return sorted(words)


def as_text(words: Sequence[str]) -> str:
    """Sentences of 15 words, paragraphs of 5 sentences: how a plain-text page reads."""
    sentences = [" ".join(words[i : i + 15]).capitalize() + "." for i in range(0, len(words), 15)]
    return "\n\n".join(" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5))


def near_duplicate_pairs(count: int, seed: int = 7) -> list[tuple[Page, Page]]:
    """`count` pairs `((source_a, text_a), (source_b, text_b))` of near-duplicate pages."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    pairs = []
    for number in range(count):
        base = rng.choices(words, k=PAGE_WORDS)
        twin = list(base)
        for position in rng.sample(range(PAGE_WORDS), CHANGED_WORDS):
            twin[position] = rng.choice(words)
        pairs.append(((f"pair{number}-a", as_text(base)), (f"pair{number}-b", as_text(twin))))
    return pairs


def split_between_workers(
    pairs: list[tuple[Page, Page]], workers: int = WORKERS
) -> list[list[Page]]:
    """The two pages of pair i go to workers i and i+1 (mod `workers`), in pair order, so twins
    are submitted by different workers at about the same moment."""
    shares: list[list[Page]] = [[] for _ in range(workers)]
    for number, (first, second) in enumerate(pairs):
        shares[number % workers].append(first)
        shares[(number + 1) % workers].append(second)
    return shares


def check_pages(url: str, pages: list[Page], barrier: Any) -> list[Outcome]:
    """One worker: its own store connection and matcher on `url`, starting when all are ready.

    Pages are segmented and signed first, so the workers race on the store alone: the store is
    what must keep "look up, then add" atomic across threads and processes (a `Detector` adds
    only a lock of its own process around the same matcher call).
    """
    signed = [(source, segment(text)) for source, text in pages]
    signed_pages = [(source, seg, sign(seg)) for source, seg in signed]
    store = open_store(url, DEFAULT_CONFIG)
    try:
        matcher = Matcher(DEFAULT_CONFIG, store)
        barrier.wait()
        outcomes = []
        for source, seg, sigs in signed_pages:
            found = matcher.check_and_add(source, seg, sigs)
            others = tuple(duplicate.other for duplicate in found.near_duplicates)
            outcomes.append((source, others, found.seen_before))
        return outcomes
    finally:
        store.close()


def submit_from_threads(url: str, shares: list[list[Page]]) -> list[Outcome]:
    barrier = threading.Barrier(len(shares))
    with ThreadPoolExecutor(len(shares)) as pool:
        futures = [pool.submit(check_pages, url, share, barrier) for share in shares]
        return [outcome for future in futures for outcome in future.result()]


def submit_from_processes(url: str, shares: list[list[Page]]) -> list[Outcome]:
    context = get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(len(shares), context) as pool:
        barrier = manager.Barrier(len(shares))
        futures = [pool.submit(check_pages, url, share, barrier) for share in shares]
        return [outcome for future in futures for outcome in future.result()]


def assert_each_pair_found_once(outcomes: list[Outcome], pairs: list[tuple[Page, Page]]) -> None:
    """Of the two pages of a pair exactly one names the other, and nothing else is reported."""
    reported = {(source, other) for source, others, _ in outcomes for other in others}
    twins = {(a[0], b[0]) for a, b in pairs}
    found_once = [(a, b) for a, b in twins if ((a, b) in reported) + ((b, a) in reported) == 1]
    assert len(found_once) == len(pairs)
    assert {tuple(sorted(pair)) for pair in reported} <= {tuple(sorted(pair)) for pair in twins}
    assert not any(seen for _, _, seen in outcomes)


CRASH_WRITER = """
import sys
from dupdetect import Detector
from index_helpers import near_duplicate_pairs

with Detector(index=sys.argv[1], site_templates=False) as detector:
    for pair in near_duplicate_pairs(int(sys.argv[2])):
        for source, text in pair:
            detector.check(text, source=source, content_type="text")
            print(source, flush=True)
"""
"""A writer for the crash test: prints each source once its check has returned."""


def crash_writer_command(url: str, pairs: int) -> list[str]:
    return [sys.executable, "-c", CRASH_WRITER, url, str(pairs)]


def redis_server_url() -> str:
    """The test Redis server: `DUPDETECT_TEST_REDIS`, else 127.0.0.1:6379. Without one the
    test skips with the reason, except in CI (`CI` set), where a missing server is a failure."""
    url = os.environ.get("DUPDETECT_TEST_REDIS", "redis://127.0.0.1:6379/0")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as error:  # any failure to reach the server means the same here
        reason = f"no redis-server answers at {url} ({type(error).__name__}: {error})"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; .ci/run should have started one")
        pytest.skip(f"{reason}; set DUPDETECT_TEST_REDIS or start redis-server")
    return url
