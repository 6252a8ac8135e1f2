"""Spark batch mode: the same pages give the same pairs, passages and scores as `dupdetect scan`.

Spark tests carry the `spark` marker (skip them with `-m "not spark"`). They share one
`local[2]` session; without pyspark or Java they are skipped, unless the `CI` variable is set,
where a missing Spark is a failure rather than a silent skip.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from dupdetect.extract import SiteTemplates, extract_text
from dupdetect.extract.templates import block_fingerprint
from dupdetect.model import RawPage
from dupdetect.readers import read_warc
from dupdetect.scan import ScanResult, scan
from dupdetect.sources import discover
from dupdetect.spark.tasks import KnownTemplates, observed_blocks, to_signed, to_unsigned

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
FOOTER = "Kestrel Bay Notes is written by volunteers and edited every Thursday evening by the team."
STOCK = [
    "In conclusion, it is important to note that this matters a great deal for everyone.",
    "It is crucial to closely monitor these developments as they continue to unfold.",
    "Overall, this highlights the need for careful thought and a balanced approach.",
    "In today's fast-paced world, more and more people are looking for answers.",
]


# --- Spark session --------------------------------------------------------------------------


def _spark_missing() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'dupdetect[spark]')"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "no Java runtime on PATH or in JAVA_HOME"
    return None


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    missing = _spark_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"Spark tests cannot run in CI: {missing}")
        pytest.skip(missing)
    from dupdetect.spark import local_session

    # Python workers are started by the JVM with its environment: let them import this
    # checkout even when dupdetect is not installed.
    paths = [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)
    session = local_session("dupdetect-tests", shuffle_partitions=4)
    yield session
    session.stop()


# --- the agreement corpus -------------------------------------------------------------------


def _vocabulary(rng: random.Random, size: int = 2500) -> list[str]:
    syllables = ["ka", "lo", "mi", "ren", "ta", "vo", "shi", "dar", "el", "po", "qua", "ny"]
    return ["".join(rng.choices(syllables, k=rng.randint(1, 4))) for _ in range(size)]


def _sentence(rng: random.Random, words: list[str]) -> str:
    picked = rng.choices(words, k=rng.randint(8, 20))
    return " ".join([picked[0].capitalize(), *picked[1:]]) + "."


def _article(rng: random.Random, words: list[str]) -> list[str]:
    """Paragraphs of random sentences; some pages padded with stock phrases or repeats."""
    sentences = [_sentence(rng, words) for _ in range(rng.randint(12, 30))]
    if rng.random() < 0.3:
        sentences += rng.sample(STOCK, rng.randint(1, 3))
    if rng.random() < 0.2:
        sentences.append(sentences[0])
    rng.shuffle(sentences)
    return [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]


def _edited(paragraphs: list[str], rng: random.Random, words: list[str]) -> list[str]:
    """A copy with up to 6% of its words replaced."""
    tokens = "\n\n".join(paragraphs).split(" ")
    for _ in range(int(len(tokens) * rng.uniform(0.0, 0.06))):
        tokens[rng.randrange(len(tokens))] = rng.choice(words)
    return " ".join(tokens).split("\n\n")


def _with_lifted_passage(paragraphs: list[str], source: list[str], rng: random.Random) -> list[str]:
    source_words = " ".join(source).split()
    length = min(rng.randint(30, 60), len(source_words))
    start = rng.randrange(len(source_words) - length + 1)
    passage = " ".join(source_words[start : start + length])
    at = rng.randrange(len(paragraphs) + 1)
    return [*paragraphs[:at], passage, *paragraphs[at:]]


def write_corpus(folder: Path, pages: int = 200, seed: int = 10) -> list[Path]:
    """Generated text pages on three sites (one with a footer on every page), near-duplicate
    copies and lifted passages among them, the committed samples, and one empty page."""
    rng = random.Random(seed)
    words = _vocabulary(rng)
    bodies: list[list[str]] = []
    for index in range(pages):
        roll = rng.random()
        if index > 10 and roll < 0.12:
            bodies.append(_edited(bodies[rng.randrange(index)], rng, words))
        elif index > 10 and roll < 0.24:
            bodies.append(_with_lifted_passage(_article(rng, words), rng.choice(bodies), rng))
        else:
            bodies.append(_article(rng, words))
    paths = []
    for index, body in enumerate(bodies):
        site = "abc"[index % 3]
        if site == "a":
            body = [*body, FOOTER]
        path = folder / f"site-{site}" / f"page-{index:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n\n".join(body) + "\n", encoding="utf-8")
        paths.append(path)
    (folder / "site-b" / "page-empty.txt").write_text("\n", encoding="utf-8")
    shutil.copytree(SAMPLES, folder / "samples", ignore=shutil.ignore_patterns("*.md"))
    return paths


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("agreement")
    write_corpus(folder)
    return folder


@pytest.fixture(scope="session")
def local_scan(corpus: Path) -> ScanResult:
    return scan([str(corpus)])


@pytest.fixture(scope="session")
def spark_rows(spark: Any, corpus: Path, local_scan: ScanResult) -> dict[str, list[Any]]:
    """The Spark scan of the same files, in the order the local scan read them."""
    from dupdetect.spark import scan_dataframe

    files = discover([str(corpus)]).files
    rows = [(str(path), path.read_bytes(), _content_type(path)) for path in files]
    pages = spark.createDataFrame(rows, "source string, content binary, content_type string")
    result = scan_dataframe(pages)
    return {
        "pages": result.pages.collect(),
        "near_duplicates": result.near_duplicates.collect(),
        "shared": result.shared.collect(),
        "clusters": result.clusters.collect(),
        "errors": result.errors.collect(),
    }


def _content_type(path: Path) -> str:
    return "text" if path.suffix == ".txt" else "html"


# --- agreement with the local scan ------------------------------------------------------------


@pytest.mark.spark
def test_same_near_duplicate_pairs_as_local_scan(
    local_scan: ScanResult, spark_rows: dict[str, list[Any]]
) -> None:
    local = {
        frozenset((page.source, duplicate.other)): duplicate.similarity
        for page in local_scan.pages
        for duplicate in page.near_duplicates
    }
    distributed = {
        frozenset((row.first, row.second)): row.similarity for row in spark_rows["near_duplicates"]
    }
    assert len(spark_rows["near_duplicates"]) == len(distributed)  # each pair once
    assert len(local) >= 10
    assert distributed == local


@pytest.mark.spark
def test_same_filler_scores_and_components_as_local_scan(
    local_scan: ScanResult, spark_rows: dict[str, list[Any]]
) -> None:
    local = {
        page.source: (page.words, page.filler.score, page.filler.components)
        for page in local_scan.pages
    }
    distributed = {
        row.source: (row.words, row.filler.score, row.filler.components)
        for row in spark_rows["pages"]
    }
    assert distributed == local
    # a real spread to agree on: only the pages padded with stock phrases carry some
    stock = [components["stock_phrases"] for _, _, components in local.values()]
    assert 0 < sum(value > 0 for value in stock) < len(stock) / 2


@pytest.mark.spark
def test_same_shared_passages_as_local_scan(
    local_scan: ScanResult, spark_rows: dict[str, list[Any]]
) -> None:
    local = {
        (
            page.source,
            passage.other,
            passage.here.start,
            passage.here.end,
            passage.there.start,
            passage.there.end,
            passage.similarity,
        )
        for page in local_scan.pages
        for passage in page.shared
    }
    distributed = set()
    for row in spark_rows["shared"]:
        here, there = (row.here.start, row.here.end), (row.there.start, row.there.end)
        distributed.add((row.source, row.other, *here, *there, row.similarity))
        distributed.add((row.other, row.source, *there, *here, row.similarity))
    assert len(local) >= 20
    assert distributed == local


@pytest.mark.spark
def test_same_template_removals_and_errors_as_local_scan(
    local_scan: ScanResult, spark_rows: dict[str, list[Any]]
) -> None:
    local = {
        page.source: [(r.text, r.reason, r.at) for r in page.removed] for page in local_scan.pages
    }
    distributed = {
        row.source: [(r.text, r.reason, r.at) for r in row.removed] for row in spark_rows["pages"]
    }
    assert distributed == local
    site_a = [source for source in local if "/site-a/" in source]
    assert site_a
    assert all((FOOTER, "site-template") in [r[:2] for r in local[s]] for s in site_a)
    local_errors = {(error.source, error.error) for error in local_scan.errors}
    assert {(row.source, row.error) for row in spark_rows["errors"]} == local_errors
    assert any(source.endswith("page-empty.txt") for source, _ in local_errors)


@pytest.mark.spark
def test_same_clusters_as_local_scan(
    local_scan: ScanResult, spark_rows: dict[str, list[Any]]
) -> None:
    local = {
        tuple((m.source, m.span.start, m.span.end, m.span.text) for m in cluster.members): (
            len({m.source for m in cluster.members}),
            cluster.similarity,
        )
        for cluster in local_scan.clusters
    }
    distributed = {
        tuple((m.source, m.start, m.end, m.text) for m in row.members): (row.size, row.similarity)
        for row in spark_rows["clusters"]
    }
    assert local
    assert distributed.keys() == local.keys()
    for members, (size, similarity) in local.items():
        assert distributed[members] == (size, pytest.approx(similarity))
    assert sorted(row.id for row in spark_rows["clusters"]) == list(range(len(local)))


# --- candidates, connected components, inputs and outputs ----------------------------------


@pytest.mark.spark
def test_candidate_pairs_count_shared_keys_per_pair_as_the_local_index(spark: Any) -> None:
    from dupdetect.config import Config
    from dupdetect.spark.job import _candidate_pairs

    rng = random.Random(3)
    pages = [
        (
            page_id,
            rng.sample(range(40), 2),  # page keys: few values, so some pages share one
            rng.sample(range(1000, 1030), rng.randint(0, 12)),  # passage keys, groups of many
        )
        for page_id in range(30)
    ]
    scanned = spark.createDataFrame(
        pages, "page_id long, page_keys array<long>, passage_keys array<long>"
    )
    config = Config(passage_min_shared_keys=3)
    found = {
        (row.earlier, row.later): (row.near, row.passages)
        for row in _candidate_pairs(scanned, config).collect()
    }

    expected = {}
    for a, a_page, a_passage in pages:
        for b, b_page, b_passage in pages[a + 1 :]:
            near = bool(set(a_page) & set(b_page))
            passages = len(set(a_passage) & set(b_passage)) >= 3
            if near or passages:
                expected[(a, b)] = (near, passages)
    assert found == expected
    assert sum(near for near, _ in expected.values()) >= 3
    assert sum(passages for _, passages in expected.values()) >= 10


@pytest.mark.spark
def test_connected_components_label_each_component_by_its_smallest_node(spark: Any) -> None:
    from dupdetect.spark.components import connected_components

    chain = [(index, index + 1) for index in range(1, 12)]  # a path needs several rounds
    edges = spark.createDataFrame([*chain, (100, 101), (102, 101), (7, 7)], "src long, dst long")
    labels = {row.node: row.component for row in connected_components(edges).collect()}
    assert labels == {**dict.fromkeys(range(1, 13), 1), 100: 100, 101: 100, 102: 100}


@pytest.mark.spark
def test_connected_components_size_estimate_does_not_grow_with_rounds(spark: Any) -> None:
    """Spark multiplies join estimates; carried from round to round they reach numbers of
    millions of digits, whose multiplication stalled the planner at 100,000 pages."""
    from dupdetect.spark.components import connected_components

    nodes = 600  # a path: about ten rounds of label propagation
    edges = spark.createDataFrame([(i, i + 1) for i in range(nodes - 1)], "src long, dst long")
    components = connected_components(edges)
    estimate = components._jdf.queryExecution().optimizedPlan().stats().sizeInBytes()
    assert len(str(estimate)) < 200
    assert {row.component for row in components.collect()} == {0}
    assert components.count() == nodes


@pytest.mark.spark
def test_spark_scan_command_reads_jsonl_and_writes_each_result(spark: Any, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dupdetect.cli import app

    padded = "\n\n".join(STOCK) + "\n\n" + STOCK[0]
    pages = [
        {"url": "https://a.example/1", "text": padded},
        {"url": "https://b.example/2", "text": padded},
        {"url": "https://c.example/3", "text": padded},
        {"url": "https://d.example/4", "text": ""},
    ]
    source = tmp_path / "pages.jsonl"
    source.write_text("".join(json.dumps(page) + "\n" for page in pages), encoding="utf-8")
    output = tmp_path / "out"
    result = CliRunner().invoke(app, ["spark-scan", str(source), str(output), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    assert "pages: 3, near_duplicates: 3," in result.output
    written = {name: _read_json_parts(output / name) for name in ("pages", "errors", "clusters")}
    assert {page["source"] for page in written["pages"]} == {page["url"] for page in pages[:3]}
    assert all(page["repeats"] and page["filler"]["score"] > 0 for page in written["pages"])
    assert [error["source"] for error in written["errors"]] == [pages[3]["url"]]
    assert [cluster["size"] for cluster in written["clusters"]] == [3]
    assert spark.range(3).count() == 3  # the shared session was not stopped


def _read_json_parts(folder: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for part in sorted(folder.glob("part-*.json"))
        for line in part.read_text(encoding="utf-8").splitlines()
    ]


@pytest.mark.spark
def test_warc_pages_are_those_the_local_reader_reads(spark: Any, tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from dupdetect.spark import read_pages

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for uri, mime, body in [
            (
                "https://a.example/x",
                "text/html; charset=utf-8",
                b"<html><p>Hello there.</p></html>",
            ),
            ("https://a.example/y.png", "image/png", b"\x89PNG"),
            ("https://a.example/z.txt", "text/plain", b"Plain words here."),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", mime)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri, "response", payload=BytesIO(body), http_headers=headers
            )
            writer.write_record(record)
    rows = read_pages(spark, str(path)).collect()
    local = [record for record in read_warc(path, str(path)) if isinstance(record, RawPage)]
    assert [(row.source, bytes(row.content), row.content_type) for row in rows] == [
        (page.source, page.content, page.content_type) for page in local
    ]
    assert [row.content_type for row in rows] == ["html", "text"]


# --- executor-side helpers (no Spark needed) -------------------------------------------------


def test_known_templates_remove_what_site_templates_remove() -> None:
    pages = [
        extract_text(f"Story number {i} about the harbour wall.\n\n{FOOTER}", f"gazette/{i}.txt")
        for i in range(4)
    ]
    counted = SiteTemplates(min_pages=3)
    for page in pages:
        counted.observe(page)
    site, _, fingerprints = observed_blocks(pages[0])
    footer = to_signed(block_fingerprint(FOOTER))
    assert footer in fingerprints
    assert KnownTemplates(site, [footer]).apply(pages[0]) == counted.apply(pages[0])
    assert KnownTemplates("elsewhere", [footer]).apply(pages[0]) == pages[0]


@pytest.mark.parametrize("value", [0, 1, (1 << 63) - 1, 1 << 63, (1 << 64) - 1])
def test_hashes_survive_spark_signed_longs(value: int) -> None:
    signed = to_signed(value)
    assert -(1 << 63) <= signed < (1 << 63)
    assert to_unsigned(signed) == value
