"""A real Scrapy crawl with the dupdetect add-on, run by `test_scrapy.py` in a subprocess
(a Twisted reactor cannot be restarted within one process).

Usage: python crawl_with_dupdetect.py START_URL STORE_URL DROP(0|1) OUTPUT.json
Follows every link of the start page, yields `{"url", "html"}` items, and writes the items
that came through the pipelines and the `dupdetect/` stats to OUTPUT.json.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response


class PagesSpider(scrapy.Spider):
    name = "pages"

    def __init__(self, start_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start_url]

    def parse(self, response: Response) -> Iterator[Any]:
        yield from response.follow_all(css="a", callback=self.parse_page)

    def parse_page(self, response: Response) -> Iterator[dict[str, str]]:
        yield {"url": response.url, "html": response.text}


def main(start_url: str, store_url: str, drop: bool, output: str) -> None:
    kept: list[dict[str, Any]] = []
    process = CrawlerProcess(
        settings={
            "ADDONS": {"dupdetect.integrations.scrapy.DupdetectAddon": 0},
            "DUPDETECT_STORE": store_url,
            "DUPDETECT_DROP": drop,
            "ROBOTSTXT_OBEY": False,
            "TELNETCONSOLE_ENABLED": False,
            "LOG_LEVEL": "INFO",
        }
    )
    crawler = process.create_crawler(PagesSpider)

    def remember(item: dict[str, Any]) -> None:
        kept.append(dict(item))

    crawler.signals.connect(remember, scrapy.signals.item_scraped)  # held weakly: keep a name
    process.crawl(crawler, start_url=start_url)
    process.start()
    stats = {
        name: value
        for name, value in crawler.stats.get_stats().items()
        if name.startswith("dupdetect/")
    }
    with open(output, "w", encoding="utf-8") as stream:
        json.dump({"items": kept, "stats": stats}, stream)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4])
