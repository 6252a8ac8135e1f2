"""Find and read inputs: files, folders, WARC archives and JSONL dumps, as one `RawPage` stream.

Reading never raises: each input becomes either a `RawPage` or a `ScanError` with a one-line
reason, so one bad file cannot cost the results of the others. Files whose suffix is not one we
read are counted in `Discovery.skipped`, not silently dropped; so are the records of an archive
that are not pages (images, redirects), under their MIME type or HTTP status.

A WARC or JSONL file is a container: it stands for many pages, read one record at a time by
`dupdetect.readers`, so an archive of any size streams through in bounded memory.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.model import RawPage, ScanError
from dupdetect.readers import DEFAULT_FIELDS, JsonlFields, Skipped, read_jsonl, read_warc

CONTENT_TYPES: dict[str, str] = {".html": "html", ".htm": "html", ".xhtml": "html", ".txt": "text"}
CONTAINER_SUFFIXES: dict[str, str] = {
    ".warc": "warc",
    ".warc.gz": "warc",
    ".jsonl": "jsonl",
    ".jsonl.gz": "jsonl",
    ".ndjson": "jsonl",
    ".ndjson.gz": "jsonl",
}
"""Files holding many pages, by (double) suffix: name -> reader in `dupdetect.readers`."""


def display_name(path: str | os.PathLike[str]) -> str:
    """A printable, JSON-safe name for a path whose bytes may not be valid UTF-8."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", errors="backslashreplace")


@dataclass
class Discovery:
    """The readable candidates under some paths, and what was passed over."""

    files: list[Path] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # suffix or record kind -> count
    errors: list[ScanError] = field(default_factory=list)

    @property
    def has_containers(self) -> bool:
        """Whether some file holds many pages, so the page count is unknown before reading."""
        return any(container_format(path) for path in self.files)


def content_type_of(path: Path) -> str | None:
    return CONTENT_TYPES.get(path.suffix.lower())


def container_format(path: Path) -> str | None:
    """The reader ("warc" or "jsonl") of a file holding many pages, else None."""
    name = path.name.lower()
    return next(
        (kind for suffix, kind in CONTAINER_SUFFIXES.items() if name.endswith(suffix)), None
    )


def discover(paths: Iterable[str | os.PathLike[str]]) -> Discovery:
    """Walk files and folders in a stable order; never follows a symlink into a loop."""
    found = Discovery()
    visited_dirs: set[tuple[int, int]] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            _walk(path, found, visited_dirs)
        elif path.exists():  # regular files, and pipes or devices that `read_file` refuses
            _consider(path, found, explicit=True)
        else:
            reason = "no such file or folder" if not path.is_symlink() else "broken symlink"
            found.errors.append(ScanError(display_name(path), reason))
    return found


def _walk(root: Path, found: Discovery, visited: set[tuple[int, int]]) -> None:
    """Depth-first walk with an explicit stack; (device, inode) pairs stop symlink loops."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            status = folder.stat()
        except OSError as error:
            found.errors.append(ScanError(display_name(folder), _os_reason(error)))
            continue
        key = (status.st_dev, status.st_ino)
        if key in visited:
            continue
        visited.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: os.fsencode(entry.name))
        except OSError as error:
            found.errors.append(ScanError(display_name(folder), _os_reason(error)))
            continue
        subfolders = []
        for entry in entries:
            entry_path = Path(entry.path)
            try:
                if entry.is_dir():
                    subfolders.append(entry_path)
                elif entry.is_symlink() and not entry_path.exists():
                    found.errors.append(ScanError(display_name(entry_path), "broken symlink"))
                else:  # regular files, and pipes or devices that `read_file` refuses
                    _consider(entry_path, found, explicit=False)
            except OSError as error:
                found.errors.append(ScanError(display_name(entry_path), _os_reason(error)))
        stack.extend(reversed(subfolders))


def _consider(path: Path, found: Discovery, *, explicit: bool) -> None:
    if content_type_of(path) is not None or container_format(path) is not None:
        found.files.append(path)
    elif explicit:
        found.errors.append(
            ScanError(display_name(path), f"unsupported file type {path.suffix or '(none)'!r}")
        )
    else:
        found.skipped[path.suffix.lower() or "(none)"] += 1


def read_file(path: Path, config: Config = DEFAULT_CONFIG) -> RawPage | ScanError:
    """The file's bytes as a `RawPage`, or a one-line reason it cannot be scanned."""
    source = display_name(path)
    content_type = content_type_of(path) or "text"
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # a pipe would block the read forever
            return ScanError(source, "not a regular file (a pipe, socket or device)")
        size = status.st_size
        if size > config.max_bytes:
            return ScanError(
                source, f"file is {size:,} bytes, over the {config.max_bytes:,}-byte limit"
            )
        with path.open("rb") as handle:
            content = handle.read(config.max_bytes + 1)
    except OSError as error:
        return ScanError(source, _os_reason(error))
    if len(content) > config.max_bytes:
        return ScanError(source, f"file grew past the {config.max_bytes:,}-byte limit")
    return RawPage(source=source, content=content, content_type=content_type)


def iter_pages(
    files: Iterable[Path],
    config: Config = DEFAULT_CONFIG,
    *,
    fields: JsonlFields = DEFAULT_FIELDS,
    skipped: Counter[str] | None = None,
) -> Iterator[RawPage | ScanError]:
    """Every page of `files` in order, containers expanded record by record.

    Records that are not pages are counted in `skipped` (when given) instead of being yielded.
    """
    for item in iter_page_items(files, config, fields=fields, skipped=skipped):
        yield read_file(item, config) if isinstance(item, Path) else item


def iter_page_items(
    files: Iterable[Path],
    config: Config = DEFAULT_CONFIG,
    *,
    fields: JsonlFields = DEFAULT_FIELDS,
    skipped: Counter[str] | None = None,
) -> Iterator[RawPage | ScanError | Path]:
    """`iter_pages`, except that a plain file comes as its path, for whoever processes the page
    to read (`read_file`): a scan's worker processes read their own files, and the process
    that feeds them only lists paths. Containers are still read here, record by record."""
    for path in files:
        kind = container_format(path)
        if kind is None:
            yield path
            continue
        source = display_name(path)
        records = (
            read_warc(path, source, config)
            if kind == "warc"
            else read_jsonl(path, source, config, fields)
        )
        for record in records:
            if isinstance(record, Skipped):
                if skipped is not None:
                    skipped[record.kind] += 1
            else:
                yield record


def _os_reason(error: OSError) -> str:
    return (error.strerror or type(error).__name__).lower()
