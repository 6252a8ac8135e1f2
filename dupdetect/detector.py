"""`Detector`: the library entry point for crawlers and scripts.

A detector owns one index store. `check()` runs a page through every stage, compares it with
every page the detector has seen, adds it, and returns a `PageReport`. The per-page stages run
outside the lock, so threads only wait on one another for the short index operation.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any

from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.errors import InputError
from dupdetect.extract import SiteTemplates
from dupdetect.index import open_store
from dupdetect.match import Matcher
from dupdetect.model import PageReport, RawPage, ScanError
from dupdetect.pipeline import PageAnalysis, analyse, extract_or_error
from dupdetect.sources import discover, iter_pages


class Detector:
    """Check pages one at a time against everything checked before.

    Parameters
    ----------
    config:
        A `Config`; defaults to `Config()` (threshold 0.8, 3-word shingles, 128 permutations).
    index:
        Where the index lives: `"memory://"` (default, gone when the detector is), or a
        persistent store URL such as `"sqlite:///seen.db"`.
    site_templates:
        Learn blocks that recur on many pages of one site and drop them as boilerplate.
    **overrides:
        Config fields to change, e.g. `threshold=0.7`.
    """

    def __init__(
        self,
        config: Config | None = None,
        *,
        index: str = "memory://",
        site_templates: bool = True,
        **overrides: Any,
    ) -> None:
        self.config = (config or DEFAULT_CONFIG).with_changes(**overrides)
        self.index_url = index
        self._store = open_store(index, self.config)
        self._matcher = Matcher(self.config, self._store)
        self._templates = (
            SiteTemplates(self.config.site_template_min_pages) if site_templates else None
        )
        self._lock = threading.Lock()

    def check(
        self, content: bytes | str, source: str = "", content_type: str = "html"
    ) -> PageReport:
        """Report on one page and add it to the index.

        Raises `InputError` (with a one-line reason) when the content is not a readable page.
        """
        return self.check_page(RawPage(source=source, content=content, content_type=content_type))

    def check_page(self, page: RawPage) -> PageReport:
        return self.match(self.analyse_page(page))

    def analyse_page(self, page: RawPage) -> PageAnalysis:
        """Every stage that looks at the page alone (safe to call from many threads)."""
        if not page.source.isascii():
            _check_source_encodes(page.source)
        extraction = extract_or_error(page, self.config)
        if isinstance(extraction, ScanError):
            raise InputError(extraction.error)
        if self._templates is not None:
            with self._lock:
                self._templates.observe(extraction)
                extraction = self._templates.apply(extraction)
        return analyse(extraction, self.config)

    def match(self, analysis: PageAnalysis) -> PageReport:
        """Compare an analysed page with the index and add it, atomically."""
        with self._lock:
            found = self._matcher.check_and_add(
                analysis.source, analysis.segmentation, analysis.signatures
            )
        return analysis.report(found.shared, found.near_duplicates, seen_before=found.seen_before)

    def scan(self, paths: Iterable[str]) -> Iterator[PageReport | ScanError]:
        """Check every readable file under `paths`, yielding a report or an error for each."""
        found = discover(paths)
        yield from found.errors
        for page in iter_pages(found.files, self.config):
            if isinstance(page, ScanError):
                yield page
                continue
            try:
                yield self.check_page(page)
            except InputError as error:
                yield ScanError(page.source, str(error))

    def remove(self, source: str) -> bool:
        """Forget a page; returns whether it was in the index."""
        with self._lock:
            return self._matcher.remove(source)

    async def acheck(
        self, content: bytes | str, source: str = "", content_type: str = "html"
    ) -> PageReport:
        """`check()` for asyncio crawlers: runs in a worker thread, never blocks the loop.

        asyncio is imported here, where its caller has loaded it already: at module level it
        would add ~30 ms to every command and every scan's worker start-up.
        """
        import asyncio

        return await asyncio.to_thread(self.check, content, source, content_type)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Detector:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _check_source_encodes(source: str) -> None:
    """Stores keep sources as UTF-8; a name with lone surrogates (`os.fsdecode` of a non-UTF-8
    file name) is refused here in one line, not with an encoding traceback from the index."""
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            f"source {source.encode('utf-8', 'backslashreplace').decode()!r} is not valid "
            "Unicode; name files with dupdetect.sources.display_name()"
        ) from None
