"""Scrapy item pipeline and add-on: drop (or annotate) items whose page was seen before.

Enable it with the add-on::

    ADDONS = {"dupdetect.integrations.scrapy.DupdetectAddon": 0}

or put `DupdetectPipeline` in `ITEM_PIPELINES` yourself. Settings (all optional):

* `DUPDETECT_STORE`: index URL, default `sqlite:///dupdetect.db?detail=pages`, kept across
  crawls; use `redis://host:port/db?prefix=crawl:` to share one index between machines.
* `DUPDETECT_THRESHOLD`: near-duplicate Jaccard threshold (default 0.8).
* `DUPDETECT_MAX_FILLER`: drop pages whose filler score is above this (default: never).
* `DUPDETECT_DROP`: True (default) raises `DropItem`, logged at INFO; False keeps every item
  and writes the verdict into the item's `DUPDETECT_REPORT_FIELD` (default `dupdetect`).
* `DUPDETECT_HTML_FIELD` / `DUPDETECT_TEXT_FIELD`: item fields holding the page's HTML
  (default `html`) or plain text (default `text`); HTML wins when both are set.
* `DUPDETECT_URL_FIELD`: the field naming the page (default `url`).

A page is a duplicate when it is a near-duplicate of a page checked before, or when the same
URL was checked before with the same text (a crawl restarted over pages it already exported).
Counts go to the crawler stats under `dupdetect/`. Checks run in Twisted's thread pool, so the
reactor (Twisted's or asyncio's) is never blocked; the detector is thread-safe.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from dupdetect.detector import Detector
from dupdetect.errors import InputError
from dupdetect.model import PageReport

logger = logging.getLogger(__name__)

PIPELINE_PATH = "dupdetect.integrations.scrapy.DupdetectPipeline"
PIPELINE_ORDER = 800
"""Late in the pipeline chain, after pipelines that clean or enrich items."""
DEFAULT_STORE = "sqlite:///dupdetect.db?detail=pages"
"""Signatures only (about 1 KB a page): a crawl needs "seen a page like this?", not passages."""
STATS_PREFIX = "dupdetect/"


@dataclass(frozen=True)
class PipelineSettings:
    """The `DUPDETECT_*` settings, read once by `from_crawler`."""

    store: str = DEFAULT_STORE
    threshold: float = 0.8
    max_filler: float | None = None
    drop: bool = True
    html_field: str = "html"
    text_field: str = "text"
    url_field: str = "url"
    report_field: str = "dupdetect"

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> PipelineSettings:
        max_filler = settings.get("DUPDETECT_MAX_FILLER")
        return cls(
            store=settings.get("DUPDETECT_STORE", cls.store),
            threshold=settings.getfloat("DUPDETECT_THRESHOLD", cls.threshold),
            max_filler=None if max_filler in (None, "") else float(max_filler),
            drop=settings.getbool("DUPDETECT_DROP", cls.drop),
            html_field=settings.get("DUPDETECT_HTML_FIELD", cls.html_field),
            text_field=settings.get("DUPDETECT_TEXT_FIELD", cls.text_field),
            url_field=settings.get("DUPDETECT_URL_FIELD", cls.url_field),
            report_field=settings.get("DUPDETECT_REPORT_FIELD", cls.report_field),
        )


def verdict(report: PageReport, max_filler: float | None) -> str | None:
    """Why the page should not be kept, in one line, or None if it is new and not filler."""
    if report.seen_before:
        return "seen before with the same text"
    if report.near_duplicates:
        closest = report.near_duplicates[0]
        return f"near-duplicate of {closest.other} (similarity {closest.similarity:.2f})"
    if max_filler is not None and report.filler.score > max_filler:
        return f"filler score {report.filler.score:.2f} above {max_filler:.2f}"
    return None


def annotation(report: PageReport, reason: str | None) -> dict[str, Any]:
    """The short verdict written into an item when `DUPDETECT_DROP` is False."""
    return {
        "duplicate": reason is not None,
        "reason": reason,
        "seen_before": report.seen_before,
        "filler": round(report.filler.score, 4),
        "near_duplicates": [duplicate.to_dict() for duplicate in report.near_duplicates],
        "shared_passages": len(report.shared),
        "words": report.words,
    }


class DupdetectPipeline:
    """Checks each item's page against every page checked before (this crawl and earlier)."""

    def __init__(self, crawler: Crawler, settings: PipelineSettings) -> None:
        self.crawler = crawler
        self.settings = settings
        self.detector: Detector | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DupdetectPipeline:
        return cls(crawler, PipelineSettings.from_settings(crawler.settings))

    def open_spider(self, spider: object = None) -> None:
        """Open the index (an unusable one stops the crawl here, with a one-line reason)."""
        self.detector = Detector(index=self.settings.store, threshold=self.settings.threshold)

    def close_spider(self, spider: object = None) -> None:
        if self.detector is not None:
            self.detector.close()
            self.detector = None

    async def process_item(self, item: Any, spider: object = None) -> Any:
        adapter = ItemAdapter(item)
        page = self._page_of(adapter)
        if page is None:
            self._count("skipped/no_content")
            return item
        report = await maybe_deferred_to_future(deferToThread(self._check, *page))
        if report is None:
            self._count("skipped/unreadable")
            return item
        reason = verdict(report, self.settings.max_filler)
        self._count_report(report, reason)
        if reason is not None and self.settings.drop:
            self._count("dropped")
            raise DropItem(f"dupdetect: {report.source}: {reason}", log_level="INFO")
        adapter[self.settings.report_field] = annotation(report, reason)
        return item

    def _page_of(self, adapter: ItemAdapter) -> tuple[str | bytes, str, str] | None:
        """(content, source, content type) of the item, or None when it carries no page."""
        source = str(adapter.get(self.settings.url_field) or "")
        fields = ((self.settings.html_field, "html"), (self.settings.text_field, "text"))
        for field, content_type in fields:
            content = adapter.get(field)
            if isinstance(content, str | bytes) and content.strip():
                return content, source, content_type
        return None

    def _check(self, content: str | bytes, source: str, content_type: str) -> PageReport | None:
        """Runs in a worker thread; None for a page with no readable text (let through)."""
        if self.detector is None:
            raise RuntimeError("DupdetectPipeline checked an item before open_spider()")
        try:
            return self.detector.check(content, source=source, content_type=content_type)
        except InputError as error:
            logger.debug("dupdetect: %s: %s", source, error)
            return None

    def _count_report(self, report: PageReport, reason: str | None) -> None:
        self._count("checked")
        if report.near_duplicates:
            self._count("near_duplicate")
        if report.seen_before:
            self._count("seen_before")
        if reason is not None and reason.startswith("filler"):
            self._count("filler")

    def _count(self, name: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(STATS_PREFIX + name)


class DupdetectAddon:
    """Scrapy add-on: `ADDONS = {"dupdetect.integrations.scrapy.DupdetectAddon": 0}` enables
    `DupdetectPipeline`; configure it with the `DUPDETECT_*` settings."""

    def update_settings(self, settings: BaseSettings) -> None:
        settings["ITEM_PIPELINES"][PIPELINE_PATH] = PIPELINE_ORDER
