"""The Scrapy add-on in a real crawl of pages this test serves on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "scrapy", reason="the Scrapy integration needs: pip install 'dupdetect[scrapy]'"
)

TWINS = ("heatwave-tips-site-a.html", "heatwave-tips-site-b.html")
CLEAN = "clean-aldermoor-viaduct.html"
CRAWL_SCRIPT = Path(__file__).parent / "crawl_with_dupdetect.py"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output free of one access-log line per request."""


@pytest.fixture
def site(samples_dir: Path, tmp_path: Path) -> Iterator[str]:
    """Two near-duplicate pages and a clean one behind an index page, served over HTTP."""
    root = tmp_path / "site"
    root.mkdir()
    for name in (*TWINS, CLEAN):
        shutil.copy(samples_dir / name, root / name)
    links = "".join(f'<li><a href="{name}">{name}</a></li>' for name in (*TWINS, CLEAN))
    (root / "index.html").write_text(f"<html><body><ul>{links}</ul></body></html>")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()


def crawl(
    start_url: str, store_url: str, *, drop: bool, output: Path
) -> tuple[dict[str, Any], str]:
    """Run the crawl script; returns its items and stats, and its log."""
    repo = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(repo), os.environ.get("PYTHONPATH", "")]),
    }
    finished = subprocess.run(
        [
            sys.executable,
            str(CRAWL_SCRIPT),
            start_url,
            store_url,
            "1" if drop else "0",
            str(output),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    return json.loads(output.read_text()), finished.stderr


def page_names(items: list[dict[str, Any]]) -> list[str]:
    return sorted(item["url"].rsplit("/", 1)[-1] for item in items)


def test_a_crawl_drops_the_near_duplicate_and_a_rerun_drops_what_it_saw(
    site: str, tmp_path: Path
) -> None:
    store = f"sqlite:///{tmp_path / 'crawl.db'}?detail=pages"
    result, log = crawl(site, store, drop=True, output=tmp_path / "first.json")
    kept = page_names(result["items"])
    assert CLEAN in kept and len(kept) == 2 and len(set(kept) & set(TWINS)) == 1
    assert result["stats"] == {
        "dupdetect/checked": 3,
        "dupdetect/near_duplicate": 1,
        "dupdetect/dropped": 1,
    }
    assert "INFO: Dropped: dupdetect:" in log and "near-duplicate of http://127.0.0.1" in log

    rerun, _ = crawl(site, store, drop=True, output=tmp_path / "second.json")
    assert rerun["items"] == []
    assert rerun["stats"]["dupdetect/seen_before"] == 3
    assert rerun["stats"]["dupdetect/dropped"] == 3


def test_without_dropping_every_item_carries_its_verdict(site: str, tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'crawl.db'}"
    result, _ = crawl(site, store, drop=False, output=tmp_path / "items.json")
    verdicts = {item["url"].rsplit("/", 1)[-1]: item["dupdetect"] for item in result["items"]}
    assert sorted(verdicts) == sorted((*TWINS, CLEAN))
    duplicates = [name for name, verdict in verdicts.items() if verdict["duplicate"]]
    assert len(duplicates) == 1 and duplicates[0] in TWINS
    (other,) = set(TWINS) - set(duplicates)
    closest = verdicts[duplicates[0]]["near_duplicates"][0]
    assert closest["other"].endswith(other) and closest["similarity"] >= 0.8
    assert verdicts[CLEAN] | {"filler": 0, "words": 0} == {
        "duplicate": False,
        "reason": None,
        "seen_before": False,
        "filler": 0,
        "near_duplicates": [],
        "shared_passages": 0,
        "words": 0,
    }
    assert result["stats"]["dupdetect/checked"] == 3
    assert "dupdetect/dropped" not in result["stats"]
