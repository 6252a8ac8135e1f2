"""The Spark plan of a batch scan: the local scan's stages as DataFrame steps.

Per-page work runs in the executors through `dupdetect.spark.tasks` (the library's own
functions over `mapPartitions`); everything that needs several pages is a DataFrame operation:

1. extract every page (executors), keep each page's block fingerprints;
2. site templates: count distinct pages per (site, block fingerprint) with a groupBy; the
   blocks reaching `config.site_template_min_pages` are joined back to their pages;
3. analyse every page (executors): template removal, segment, sign, repeats, filler score,
   page record, page and passage band keys;
4. candidates: explode page and passage band keys and group them on (kind, key) (a key hashes
   the band index with the band's values, so equal keys mean the same band of the same
   values); every group of pages yields its pairs, and a groupBy on the pair keeps those
   sharing a page key, or enough passage keys, as `Matcher` asks;
5. verify each candidate pair once with the records of both pages (executors): exact shingle
   Jaccard for near-duplicates, `passage_matches` for shared passages;
6. clusters: connected components over passage occurrences (`dupdetect.spark.components`),
   with members merged per page as `dupdetect.clusters.build_clusters` merges them.

Which page of a pair is "earlier" follows the input order (`monotonically_increasing_id`
before any repartitioning), as in the local scan, where each page is matched against those
read before it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql.types import StructType

from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.spark import schemas, tasks
from dupdetect.spark.components import connected_components

CLUSTER_MIN_PAGES = 3
"""Distinct pages a passage must stand on to be a cluster: `build_clusters`' default (pairs
are already reported as shared passages)."""

PartitionTask = Callable[[Iterable[tasks.Row]], Iterator[tasks.Row]]


@dataclass(frozen=True)
class SparkScan:
    """The DataFrames of one scan.

    Building it runs the jobs up to the shared passages (clusters need their connected
    components computed round by round); the other results are computed when written.

    - `pages`: one page report per scanned page (`schemas.PAGE_COLUMNS`), the filler score and
      its components under `filler`;
    - `near_duplicates`: verified pairs (`first`, `second`, `similarity`), once per pair;
    - `shared`: verified shared passages, once per pair of occurrences, reported by the later
      page (`source`, `here`) against the earlier one (`other`, `there`);
    - `clusters`: passages found on several pages (`id`, `size`, `similarity`, `members`);
    - `errors`: inputs that could not be scanned (`source`, `error`).
    """

    pages: DataFrame
    near_duplicates: DataFrame
    shared: DataFrame
    clusters: DataFrame
    errors: DataFrame


def scan_dataframe(
    pages: DataFrame,
    config: Config = DEFAULT_CONFIG,
    *,
    site_templates: bool = True,
    partitions: int | None = None,
) -> SparkScan:
    """Scan a DataFrame of pages as `dupdetect scan` scans files.

    `pages` needs a `source` (string) and a `content` (string or binary) column, and may have a
    `content_type` column ("html" or "text"; missing or null means "html") and an `error`
    column (a reader's reason why a row is not a page: it goes to `errors` as is). Sources
    should be unique: they name the pages in every output. `partitions` repartitions the input
    first, which spreads the extraction of a few large input files over every executor core.
    """
    numbered = _numbered_input(pages)
    if partitions:
        numbered = numbered.repartition(partitions)
    extracted = _run(numbered, partial(tasks.extract_partition, config=config), schemas.EXTRACTED)
    extracted = extracted.persist(StorageLevel.MEMORY_AND_DISK)
    extracted_ok = extracted.where(F.col("error").isNull())
    with_templates = _attach_templates(extracted_ok, config, enabled=site_templates)
    analysed = _run(
        with_templates.select("page_id", "extraction", "templates"),
        partial(tasks.analyse_partition, config=config),
        schemas.ANALYSED,
    ).persist(StorageLevel.MEMORY_AND_DISK)
    scanned = analysed.where(F.col("error").isNull())
    verified = _run(
        _with_records(_candidate_pairs(scanned, config), scanned.select("page_id", "record")),
        partial(tasks.verify_pairs, config=config),
        schemas.VERIFIED,
    ).persist(StorageLevel.MEMORY_AND_DISK)
    near_duplicates = verified.where(F.col("kind") == "near").select(
        F.col("source").alias("first"), F.col("other").alias("second"), "similarity"
    )
    shared = verified.where(F.col("kind") == "passage").select(*schemas.SHARED.fieldNames())
    errors = extracted.where(F.col("error").isNotNull()).select("page_id", "source", "error")
    errors = errors.union(
        analysed.where(F.col("error").isNotNull()).select("page_id", "source", "error")
    )
    return SparkScan(
        pages=scanned.select(*schemas.PAGE_COLUMNS),
        near_duplicates=near_duplicates,
        shared=shared,
        clusters=passage_clusters(shared),
        errors=errors.select("source", "error"),
    )


def _numbered_input(pages: DataFrame) -> DataFrame:
    """Input order as `page_id`, a default content type, and an `error` for unreadable inputs."""
    content_type = (
        F.coalesce(F.col("content_type"), F.lit("html"))
        if "content_type" in pages.columns
        else F.lit("html")
    )
    error = F.col("error") if "error" in pages.columns else F.lit(None).cast("string")
    return pages.select(
        F.monotonically_increasing_id().alias("page_id"),
        F.col("source").cast("string"),
        F.col("content"),
        content_type.alias("content_type"),
        error.alias("error"),
    )


def _run(frame: DataFrame, task: PartitionTask, schema: StructType) -> DataFrame:
    """`task` over every partition of `frame` (rows as tuples), as a DataFrame of `schema`."""
    rows = frame.rdd.mapPartitions(lambda partition: task(tuple(row) for row in partition))
    return frame.sparkSession.createDataFrame(rows, schema, verifySchema=False)


def _attach_templates(extracted: DataFrame, config: Config, *, enabled: bool) -> DataFrame:
    """Each page with the fingerprints of its blocks that recur on enough pages of its site.

    The count is `SiteTemplates`' own rule: distinct page keys (identical texts count once)
    per (site, fingerprint), at least `config.site_template_min_pages`.
    """
    if not enabled:
        return extracted.withColumn("templates", F.lit(None).cast("array<long>"))
    blocks = extracted.select(
        "page_id", "site", "page_key", F.explode("fingerprints").alias("fingerprint")
    )
    recurring = (
        blocks.groupBy("site", "fingerprint")
        .agg(F.countDistinct("page_key").alias("pages"))
        .where(F.col("pages") >= config.site_template_min_pages)
        .select("site", "fingerprint")
    )
    per_page = (
        blocks.join(recurring, ["site", "fingerprint"])
        .groupBy("page_id")
        .agg(F.collect_list("fingerprint").alias("templates"))
    )
    return extracted.join(per_page, "page_id", "left")


def _candidate_pairs(scanned: DataFrame, config: Config) -> DataFrame:
    """(earlier, later) page ids that `Matcher` would verify, with what to verify: `near` when
    they share a page band key, `passages` when they share at least
    `config.passage_min_shared_keys` passage band keys.

    Banding is a groupBy on (kind, key): the pages holding each band key, in input order. A key
    on n pages yields its n(n-1)/2 (earlier, later) pairs, and a groupBy on the pair counts the
    keys it shares; each page's keys are distinct, so the counts are those of the local index.
    Most keys stand on one page and drop out after the first shuffle. A self-join on the key
    instead emits n * n rows a key (every page with itself and both orders) before filtering:
    at 100,000 generated pages 156 million rows for 37 million pairs, and it did not finish.
    """
    keys = _keys_of(scanned, "page_keys", is_page=True).union(
        _keys_of(scanned, "passage_keys", is_page=False)
    )
    groups = (
        keys.groupBy("page_band", "key")
        .agg(F.array_sort(F.collect_list("page_id")).alias("pages"))
        .where(F.size("pages") >= 2)
    )
    pairs = groups.select("page_band", F.explode(_ordered_pairs(F.col("pages"))).alias("pair"))
    return (
        pairs.groupBy(F.col("pair.earlier").alias("earlier"), F.col("pair.later").alias("later"))
        .agg(
            F.max("page_band").alias("near"),
            F.sum((~F.col("page_band")).cast("int")).alias("passage_keys"),
        )
        .select(
            "earlier",
            "later",
            "near",
            (F.col("passage_keys") >= config.passage_min_shared_keys).alias("passages"),
        )
        .where(F.col("near") | F.col("passages"))
    )


def _keys_of(scanned: DataFrame, column: str, *, is_page: bool) -> DataFrame:
    return scanned.select(
        "page_id", F.lit(is_page).alias("page_band"), F.explode(column).alias("key")
    )


def _ordered_pairs(pages: Column) -> Column:
    """Every (earlier, later) pair of an ascending array of page ids, as structs."""
    count = F.size(pages)
    return F.flatten(
        F.transform(
            F.sequence(F.lit(1), count - 1),
            lambda position: F.transform(
                F.slice(pages, position + 1, count - position),
                lambda later: F.struct(
                    F.element_at(pages, position).alias("earlier"), later.alias("later")
                ),
            ),
        )
    )


def _with_records(pairs: DataFrame, records: DataFrame) -> DataFrame:
    """Each candidate pair with the records of both pages, and what to verify.

    Sort-merge joins by hint: Spark's size estimates of binary records (and of the pairs
    exploded from key groups) are far too low, and a broadcast of either exhausts the driver on
    a few thousand pages; sort-merge joins spill to disk instead.
    """
    earlier = records.select(F.col("page_id").alias("earlier"), F.col("record").alias("a"))
    later = records.select(F.col("page_id").alias("later"), F.col("record").alias("b"))
    return (
        pairs.join(earlier.hint("merge"), "earlier")
        .join(later.hint("merge"), "later")
        .select("a", "b", "near", "passages")
    )


def passage_clusters(shared: DataFrame, min_pages: int = CLUSTER_MIN_PAGES) -> DataFrame:
    """Passages found on at least `min_pages` pages, as `dupdetect.clusters.build_clusters`.

    Nodes are the (source, start, end) occurrences in `shared`; a shared passage links its two
    occurrences, and occurrences overlapping on one page are linked too; each connected
    component is one cluster. `similarity` is the mean similarity of its shared passages;
    `id` numbers clusters by size (largest first), then by their first member's source.
    """
    here = _occurrence(F.col("source"), "here")
    there = _occurrence(F.col("other"), "there")
    occurrences = shared.select(here.alias("o")).union(shared.select(there.alias("o")))
    occurrences = occurrences.select("o.*").distinct()
    matches = shared.select(
        _node(F.col("source"), "here").alias("src"),
        _node(F.col("other"), "there").alias("dst"),
        "similarity",
    )
    components = connected_components(matches.select("src", "dst").union(_overlaps(occurrences)))
    similarity = (
        matches.join(components, matches["src"] == components["node"])
        .groupBy("component")
        .agg(F.avg("similarity").alias("similarity"))
    )
    grouped = (
        occurrences.join(components, "node")
        .groupBy("component")
        .agg(F.collect_list(F.struct("source", "start", "end", "text")).alias("occurrences"))
        .join(similarity, "component")
        .select("occurrences", "similarity")
    )
    clusters = _run(grouped, partial(tasks.cluster_rows, min_pages=min_pages), schemas.CLUSTER)
    order = Window.orderBy(F.desc("size"), F.col("members")[0]["source"])
    return clusters.select(
        (F.row_number().over(order) - 1).alias("id"), "size", "similarity", "members"
    )


def _node(source: Column, side: str) -> Column:
    return F.xxhash64(source, F.col(f"{side}.start"), F.col(f"{side}.end"))


def _occurrence(source: Column, side: str) -> Column:
    return F.struct(
        _node(source, side).alias("node"),
        source.alias("source"),
        F.col(f"{side}.start").alias("start"),
        F.col(f"{side}.end").alias("end"),
        F.col(f"{side}.text").alias("text"),
    )


def _overlaps(occurrences: DataFrame) -> DataFrame:
    """Edges between occurrences that overlap on the same page."""
    a, b = occurrences.alias("a"), occurrences.alias("b")
    return a.join(
        b,
        (F.col("a.source") == F.col("b.source"))
        & (F.col("a.start") < F.col("b.end"))
        & (F.col("b.start") < F.col("a.end"))
        & (F.col("a.node") < F.col("b.node")),
    ).select(F.col("a.node").alias("src"), F.col("b.node").alias("dst"))
