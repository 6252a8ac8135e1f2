"""Readers for files that hold many pages: WARC archives and JSONL exports.

Crawls come as WARC files (what Heritrix, wget --warc-file, Common Crawl and browsertrix write)
and as JSONL dumps (one page an object, as scrapers and datasets export them). Each reader turns
a file into a stream of `RawPage`s, one record at a time, so a multi-gigabyte archive is never
held in memory. As for single files, reading never raises: a record that cannot be used becomes
a `ScanError` with a one-line reason, and a file that breaks off mid-way yields what came
before plus one error saying where it stopped.

Records that are not pages (images, scripts, redirects, errors) are not errors; they are
reported as `Skipped` with a kind (the MIME type or HTTP status) so the scan can count them.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.model import RawPage, ScanError

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Skipped:
    """A record that is readable but is not a page, counted under `kind` (e.g. "image/png")."""

    kind: str


@dataclass(frozen=True)
class JsonlFields:
    """Which JSONL fields hold a page's name and content; the first one present is used.

    Exports disagree on names (`url`, `id`, `html`, `raw_content`, `text`...), so each is a list.
    An object with an HTML field is read as HTML, else one with a text field as plain text.
    """

    source: tuple[str, ...] = ("url", "id")
    html: tuple[str, ...] = ("html",)
    text: tuple[str, ...] = ("text",)


DEFAULT_FIELDS = JsonlFields()

Record = RawPage | ScanError | Skipped


# --- WARC ---------------------------------------------------------------------------------


def read_warc(path: Path, source: str, config: Config = DEFAULT_CONFIG) -> Iterator[Record]:
    """Response records of a WARC file (gzip-compressed or not) as pages of their target URI.

    Uses FastWARC (the `warc` extra), imported here so that scans of plain folders never need it.
    """
    try:
        from fastwarc.warc import ArchiveIterator, WarcRecordType
    except ImportError:
        yield ScanError(source, "reading WARC files needs FastWARC: pip install 'dupdetect[warc]'")
        return
    records = 0
    try:
        with path.open("rb") as handle:
            iterator = ArchiveIterator(
                handle,
                record_types=WarcRecordType.response,
                parse_http=True,
                fsspec_args=False,
            )
            for record in iterator:
                records += 1
                yield _warc_page(record, source, config)
    except (OSError, ValueError, EOFError, zlib.error) as error:
        yield ScanError(source, f"WARC read stopped after {records} records: {_reason(error)}")
        return
    if records == 0 and not _is_warc(path):
        yield ScanError(source, "not a WARC file (no WARC/1.x record header found)")


def _warc_page(record: Any, archive: str, config: Config) -> Record:
    """One response record as a page, a `Skipped` non-page, or a reason it cannot be read."""
    uri = record.headers.get("WARC-Target-URI") or f"{archive}#{record.stream_pos}"
    status = record.http_headers.status_code if record.http_headers is not None else None
    if status is None:
        return ScanError(uri, "WARC response record without an HTTP header")
    if not 200 <= status < 300:
        return Skipped(f"HTTP {status}")
    content_type = page_type(record.http_content_type or "")
    if content_type is None:
        return Skipped(record.http_content_type or "(no content type)")
    if record.content_length > config.max_bytes:
        return ScanError(uri, _too_large("record", record.content_length, config))
    return RawPage(source=uri, content=record.reader.read(), content_type=content_type)


def page_type(mime: str) -> str | None:
    """The page kind ("html" or "text") of a MIME type, None when it is not a page."""
    essence = mime.split(";", 1)[0].strip().lower()
    if essence in HTML_TYPES:
        return "html"
    if essence in TEXT_TYPES:
        return "text"
    return None


def _is_warc(path: Path) -> bool:
    """Whether the file starts like a WARC (possibly gzip-compressed): tells an archive with no
    response records apart from a file that is not an archive at all."""
    try:
        with _open_maybe_gzip(path) as handle:
            return handle.read(8).startswith(b"WARC/")
    except (OSError, EOFError, zlib.error):
        return False


# --- JSONL --------------------------------------------------------------------------------


def read_jsonl(
    path: Path,
    source: str,
    config: Config = DEFAULT_CONFIG,
    fields: JsonlFields = DEFAULT_FIELDS,
) -> Iterator[Record]:
    """One page per line of a JSONL file (gzip-compressed or not); blank lines are ignored."""
    line_number = 0
    try:
        with _open_maybe_gzip(path) as handle:
            for line_number, line in enumerate(handle, start=1):
                if line.strip():
                    yield jsonl_page(line, f"{source}:{line_number}", config, fields)
    except (OSError, EOFError, zlib.error) as error:
        yield ScanError(source, f"JSONL read stopped at line {line_number}: {_reason(error)}")


def jsonl_page(line: bytes, where: str, config: Config, fields: JsonlFields) -> Record:
    """One JSONL line as a page; `where` ("file:line") names it when it has no source field."""
    if len(line) > config.max_bytes:
        return ScanError(where, _too_large("line", len(line), config))
    try:
        record = json.loads(line)
    except (ValueError, UnicodeError) as error:
        return ScanError(where, f"invalid JSON: {_reason(error)}")
    if not isinstance(record, dict):
        return ScanError(where, f"expected a JSON object, got {type(record).__name__}")
    source = _first_field(record, fields.source)
    name = str(source) if isinstance(source, str | int) and source != "" else where
    for content_type, names in (("html", fields.html), ("text", fields.text)):
        content = _first_field(record, names)
        if isinstance(content, str):
            return RawPage(source=name, content=content, content_type=content_type)
        if content is not None:
            return ScanError(name, f"field {names[0]!r} is {type(content).__name__}, not a string")
    wanted = " or ".join(repr(name) for name in (*fields.html, *fields.text))
    return ScanError(name, f"no {wanted} field")


def _first_field(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    return next((record[name] for name in names if record.get(name) is not None), None)


# --- shared -------------------------------------------------------------------------------


def _open_maybe_gzip(path: Path) -> BinaryIO:
    """The file's bytes, decompressed when it starts with the gzip magic (whatever its name)."""
    with path.open("rb") as probe:
        compressed = probe.read(2) == GZIP_MAGIC
    return gzip.open(path, "rb") if compressed else path.open("rb")


def _too_large(what: str, size: int, config: Config) -> str:
    return f"{what} is {size:,} bytes, over the {config.max_bytes:,}-byte limit"


def _reason(error: BaseException) -> str:
    """A one-line reason: the first line of the message, or the exception's type."""
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]
