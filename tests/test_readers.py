"""WARC and JSONL inputs: page records read, other records counted, bad ones reported."""

from __future__ import annotations

import gzip
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dupdetect.cli import app
from dupdetect.config import Config
from dupdetect.model import RawPage, ScanError
from dupdetect.readers import JsonlFields
from dupdetect.scan import scan
from dupdetect.sources import discover, iter_pages

ARTICLE = (
    "The harbour authority approved the dredging plan on Tuesday after a two-year review. "
    "Engineers will remove 1.2 million cubic metres of silt from the eastern channel, "
    "allowing container ships with a draught of fourteen metres to dock at low tide. "
    "Fishing crews objected to the timetable, which overlaps with the spring spawning season, "
    "and the council promised to pause work for six weeks in April."
)
OTHER_ARTICLE = (
    "A volunteer group has restored the clock tower of the old railway station. The mechanism, "
    "built in 1887, had been silent since a storm in 1962 broke its escapement. Retired "
    "watchmakers rebuilt the part by hand from drawings found in the county archive."
)


def html_page(body: str) -> bytes:
    head = "<html><head><title>T</title></head>"
    return f"{head}<body><article><p>{body}</p></article></body></html>".encode()


def write_warc(path: Path, records: list[tuple[str, str, str, bytes]], *, gzipped: bool) -> Path:
    """(uri, HTTP status line, content type, body) response records, plus one request record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzipped)
        for uri, status, content_type, body in records:
            headers = StatusAndHeaders(
                status, [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)
        request = writer.create_warc_record(
            "http://example.org/a", "request", payload=io.BytesIO(b"GET /a HTTP/1.1\r\n\r\n")
        )
        writer.write_record(request)
    return path


CRAWL = [
    ("http://example.org/a", "200 OK", "text/html; charset=utf-8", html_page(ARTICLE)),
    ("http://example.org/logo.png", "200 OK", "image/png", b"\x89PNG\r\n"),
    ("http://example.org/gone", "404 Not Found", "text/html", html_page("Not found")),
    ("http://example.org/notes.txt", "200 OK", "text/plain", OTHER_ARTICLE.encode()),
    ("http://mirror.example.net/a", "200 OK", "application/xhtml+xml", html_page(ARTICLE)),
]


def read_all(path: Path, **kwargs: object) -> tuple[list[RawPage | ScanError], Counter[str]]:
    skipped: Counter[str] = Counter()
    return list(iter_pages([path], skipped=skipped, **kwargs)), skipped  # type: ignore[arg-type]


@pytest.mark.parametrize("gzipped", [True, False])
def test_warc_response_records_become_pages_named_by_target_uri(
    tmp_path: Path, gzipped: bool
) -> None:
    name = "crawl.warc.gz" if gzipped else "crawl.warc"
    path = write_warc(tmp_path / name, CRAWL, gzipped=gzipped)
    assert discover([tmp_path]).files == [path]
    pages, skipped = read_all(path)
    assert [(p.source, p.content_type) for p in pages if isinstance(p, RawPage)] == [
        ("http://example.org/a", "html"),
        ("http://example.org/notes.txt", "text"),
        ("http://mirror.example.net/a", "html"),
    ]
    assert pages[0].content == html_page(ARTICLE)
    assert skipped == {"image/png": 1, "HTTP 404": 1}


def test_warc_scan_finds_the_mirrored_page(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc.gz", CRAWL, gzipped=True)
    result = scan([str(path)], site_templates=False)
    mirror = next(p for p in result.pages if p.source == "http://mirror.example.net/a")
    assert [d.other for d in mirror.near_duplicates] == ["http://example.org/a"]
    assert result.skipped == {"image/png": 1, "HTTP 404": 1}


def test_oversized_warc_record_is_an_error(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc", CRAWL[:1], gzipped=False)
    pages, _ = read_all(path, config=Config(max_bytes=50))
    assert isinstance(pages[0], ScanError)
    assert pages[0].source == "http://example.org/a" and "50-byte limit" in pages[0].error


def test_broken_warc_files_give_one_line_reasons(tmp_path: Path) -> None:
    good = write_warc(tmp_path / "good.warc", CRAWL, gzipped=False).read_bytes()
    garbage = tmp_path / "garbage.warc"
    garbage.write_bytes(b"this is not an archive\n" * 20)
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(gzip.compress(b""))
    truncated = tmp_path / "truncated.warc.gz"
    truncated.write_bytes(gzip.compress(good)[: len(gzip.compress(good)) // 2])
    for path in (garbage, empty, truncated):
        errors = [p for p in read_all(path)[0] if isinstance(p, ScanError)]
        assert errors, path.name
        assert all(e.error and "\n" not in e.error for e in errors)


def write_jsonl(path: Path, lines: list[str]) -> Path:
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


@pytest.mark.parametrize("name", ["pages.jsonl", "pages.jsonl.gz"])
def test_jsonl_objects_become_pages(tmp_path: Path, name: str) -> None:
    path = write_jsonl(
        tmp_path / name,
        [
            json.dumps({"url": "https://a.example/1", "html": html_page(ARTICLE).decode()}),
            "",
            json.dumps({"id": 7, "text": OTHER_ARTICLE}),
            json.dumps({"text": "no name"}),
        ],
    )
    pages, _ = read_all(path)
    assert [(p.source, p.content_type) for p in pages if isinstance(p, RawPage)] == [
        ("https://a.example/1", "html"),
        ("7", "text"),
        (f"{path}:4", "text"),
    ]


def test_bad_jsonl_lines_are_errors_and_the_rest_is_read(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "pages.jsonl",
        [
            "{not json",
            "[1, 2]",
            json.dumps({"url": "u1", "body": "x"}),
            json.dumps({"url": "u2", "text": 5}),
            json.dumps({"url": "u3", "text": OTHER_ARTICLE}),
        ],
    )
    pages, _ = read_all(path)
    errors = {p.source: p.error for p in pages if isinstance(p, ScanError)}
    assert set(errors) == {f"{path}:1", f"{path}:2", "u1", "u2"}
    assert "invalid JSON" in errors[f"{path}:1"]
    assert "expected a JSON object" in errors[f"{path}:2"]
    assert "no 'html' or 'text' field" in errors["u1"]
    assert "not a string" in errors["u2"]
    assert [p.source for p in pages if isinstance(p, RawPage)] == ["u3"]


def test_jsonl_field_names_are_configurable(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "export.ndjson",
        [json.dumps({"link": "https://b.example/x", "raw_content": ARTICLE, "text": "ignored"})],
    )
    fields = JsonlFields(source=("link",), html=(), text=("raw_content",))
    pages, _ = read_all(path, fields=fields)
    assert pages == [RawPage("https://b.example/x", ARTICLE, "text")]


def test_cli_scans_jsonl_with_custom_fields(tmp_path: Path) -> None:
    write_jsonl(
        tmp_path / "export.jsonl",
        [
            json.dumps({"link": "https://b.example/1", "body": ARTICLE}),
            json.dumps({"link": "https://c.example/1", "body": ARTICLE + " Updated."}),
        ],
    )
    result = CliRunner().invoke(
        app,
        [
            "scan",
            str(tmp_path),
            "--format",
            "json",
            "--source-field",
            "link",
            "--text-field",
            "body",
        ],
    )
    assert result.exit_code == 0, result.output
    pages = json.loads(result.output)["pages"]
    assert [p["source"] for p in pages] == ["https://b.example/1", "https://c.example/1"]
    assert [d["other"] for d in pages[0]["near_duplicates"]] == ["https://c.example/1"]
