"""`redis://host:port/db?prefix=...` against a real redis-server (skips without one, outside CI)."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from index_helpers import near_duplicate_pairs, redis_server_url

from dupdetect import DEFAULT_CONFIG, Detector, IndexStoreError, PageReport
from dupdetect.index.redis import open_redis

pytestmark = pytest.mark.redis

SAMPLE_PAGES = (
    "heatwave-tips-site-a.html",
    "clean-aldermoor-viaduct.html",
    "copycat-viaduct-explainer.html",
    "heatwave-tips-site-b.html",
)


def fresh_url() -> str:
    return f"{redis_server_url()}?prefix=test-{uuid.uuid4().hex}:"


@pytest.fixture
def redis_url() -> Iterator[str]:
    """An empty index under a prefix of its own, dropped afterwards."""
    url = fresh_url()
    yield url
    with open_redis(url, DEFAULT_CONFIG) as store:
        store.drop()


def findings(report: PageReport) -> tuple[object, ...]:
    return (
        report.source,
        tuple((d.other, round(d.similarity, 6)) for d in report.near_duplicates),
        tuple((s.other, s.here, s.there) for s in report.shared),
    )


def test_finds_exactly_what_the_memory_store_finds(samples_dir: Path, redis_url: str) -> None:
    pages = [((samples_dir / name).read_bytes(), name) for name in SAMPLE_PAGES]
    with Detector() as memory, Detector(index=redis_url) as redis_backed:
        expected = [findings(memory.check(content, source)) for content, source in pages]
        got = [findings(redis_backed.check(content, source)) for content, source in pages]
    assert got == expected
    assert any(passages for _, _, passages in got) and any(near for _, near, _ in got)


def test_an_index_outlives_its_clients(redis_url: str) -> None:
    (first, twin), _ = near_duplicate_pairs(2)
    with Detector(index=redis_url) as crawler_one:
        crawler_one.check(first[1], source=first[0], content_type="text")
    with Detector(index=redis_url) as crawler_two:
        report = crawler_two.check(twin[1], source=twin[0], content_type="text")
        again = crawler_two.check(first[1], source=first[0], content_type="text")
    assert [d.other for d in report.near_duplicates] == [first[0]]
    assert again.seen_before
    assert [d.other for d in again.near_duplicates] == [twin[0]]


def test_a_changed_page_replaces_its_entry_and_remove_forgets_it(redis_url: str) -> None:
    (first, _), (second, _) = near_duplicate_pairs(2)
    with Detector(index=redis_url) as detector:
        detector.check(first[1], source="page", content_type="text")
        changed = detector.check(second[1], source="page", content_type="text")
        assert not changed.seen_before
        with open_redis(redis_url, DEFAULT_CONFIG) as store:
            assert len(store) == 1
            assert store.get_many(["page", "absent"])[0].text == changed.text
        assert detector.remove("page")
        assert not detector.remove("page")
    with open_redis(redis_url, DEFAULT_CONFIG) as store:
        assert len(store) == 0
        assert "page" not in store


def test_every_key_lives_under_the_prefix(redis_url: str) -> None:
    (first, twin), _ = near_duplicate_pairs(2)
    other_url = fresh_url()
    with Detector(index=redis_url) as detector, Detector(index=other_url) as elsewhere:
        detector.check(first[1], source=first[0], content_type="text")
        report = elsewhere.check(twin[1], source=twin[0], content_type="text")
    assert report.near_duplicates == ()  # another prefix is another index
    with open_redis(other_url, DEFAULT_CONFIG) as store:
        assert store.drop() > 0
    with open_redis(redis_url, DEFAULT_CONFIG) as store:
        keys = list(store._client.scan_iter(match=f"{store.prefix}*"))
        assert len(keys) > len(store)  # records, buckets, settings...
        assert len(store) == 1


def test_refuses_other_settings_and_another_detail(redis_url: str) -> None:
    Detector(index=redis_url).close()
    with pytest.raises(IndexStoreError, match="num_perm=128"):
        Detector(index=redis_url, num_perm=64)
    with pytest.raises(IndexStoreError, match="detail='passages'"):
        Detector(index=f"{redis_url}&detail=pages")


def closed_port() -> int:
    """A local port nothing listens on (bound once, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (f"redis://127.0.0.1:{closed_port()}/0?timeout=0.5", "cannot reach index"),
        (f"redis://:s3cret@127.0.0.1:{closed_port()}/0?timeout=0.5", "redis://:***@127.0.0.1"),
        ("redis://127.0.0.1:6379/0?bogus=1", "unknown option 'bogus'"),
        ("redis://127.0.0.1:6379/0?prefix=", "prefix must not be empty"),
        ("redis://127.0.0.1:6379/0?timeout=soon", "timeout='soon'"),
    ],
)
def test_opening_errors_are_one_line(url: str, reason: str) -> None:
    with pytest.raises(IndexStoreError) as caught:
        Detector(index=url)
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value) and "s3cret" not in str(caught.value)
