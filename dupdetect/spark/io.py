"""Reading inputs into the page DataFrame `scan_dataframe` takes, and writing its results.

Inputs: JSONL (one object a line, gzip allowed), Parquet, or WARC files; a path may be a file,
a folder or a glob, anything Spark's readers accept (local, HDFS, S3...). Outputs: one folder
per result DataFrame under OUTPUT (`pages/`, `near_duplicates/`, `shared/`, `clusters/`,
`errors/`), as Parquet or JSON Lines part files.
"""

from __future__ import annotations

from functools import partial
from typing import Literal

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import BinaryType, StringType, StructField, StructType

from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.errors import InputError
from dupdetect.readers import DEFAULT_FIELDS
from dupdetect.spark import tasks
from dupdetect.spark.job import SparkScan, scan_dataframe

InputFormat = Literal["auto", "jsonl", "parquet", "warc"]
OutputFormat = Literal["parquet", "jsonl"]

SOURCE_COLUMNS = ("source", *DEFAULT_FIELDS.source)
"""Column names taken as the page's name, first found wins: `source`, then the names the
local JSONL reader accepts (`dupdetect.readers.JsonlFields`)."""

RESULTS = ("pages", "near_duplicates", "shared", "clusters", "errors")

_WARC_SCHEMA = StructType(
    [
        StructField("source", StringType()),
        StructField("content", BinaryType()),
        StructField("content_type", StringType()),
        StructField("error", StringType()),
    ]
)


def input_format_of(path: str) -> InputFormat:
    """The format a path's name implies: .warc[.gz], .parquet, else JSONL."""
    name = path.rstrip("/").lower()
    if name.endswith((".warc", ".warc.gz")):
        return "warc"
    if name.endswith(".parquet"):
        return "parquet"
    return "jsonl"


def read_pages(
    spark: SparkSession,
    path: str,
    input_format: InputFormat = "auto",
    config: Config = DEFAULT_CONFIG,
) -> DataFrame:
    """The pages under `path` as (source, content, content_type[, error]) rows."""
    chosen = input_format_of(path) if input_format == "auto" else input_format
    if chosen == "warc":
        files = spark.sparkContext.binaryFiles(path)
        records = files.flatMap(partial(tasks.warc_pages, config=config))
        return spark.createDataFrame(records, _WARC_SCHEMA)
    table = spark.read.parquet(path) if chosen == "parquet" else spark.read.json(path)
    return page_columns(table)


def page_columns(table: DataFrame) -> DataFrame:
    """(source, content, content_type) from a table named as the local JSONL reader expects.

    A `content` column (with an optional `content_type` column) is taken as is; otherwise, as
    in `dupdetect.readers.jsonl_page`, a row with an HTML field is HTML, else its text field
    is plain text.
    """
    source = next((name for name in SOURCE_COLUMNS if name in table.columns), None)
    if source is None:
        raise InputError(_missing_columns(table))
    if "content" in table.columns:
        content_type = F.col("content_type") if "content_type" in table.columns else F.lit("html")
        return table.select(
            F.col(source).cast("string").alias("source"),
            F.col("content"),
            content_type.alias("content_type"),
        )
    html = [F.col(name) for name in DEFAULT_FIELDS.html if name in table.columns]
    text = [F.col(name) for name in DEFAULT_FIELDS.text if name in table.columns]
    if not html and not text:
        raise InputError(_missing_columns(table))
    html_content = F.coalesce(*html) if html else F.lit(None).cast("string")
    content_type = F.when(html_content.isNotNull(), F.lit("html")).otherwise(F.lit("text"))
    return table.select(
        F.col(source).cast("string").alias("source"),
        F.coalesce(*html, *text).alias("content"),
        content_type.alias("content_type"),
    )


def _missing_columns(table: DataFrame) -> str:
    wanted = ", ".join(("content", *DEFAULT_FIELDS.html, *DEFAULT_FIELDS.text))
    return (
        f"input needs a source column ({', '.join(SOURCE_COLUMNS)}) and a content column "
        f"({wanted}); found {', '.join(table.columns) or 'none'}"
    )


def write_scan(result: SparkScan, output: str, output_format: OutputFormat = "parquet") -> None:
    """Each result DataFrame into its own folder under `output`, replacing earlier results."""
    for name in RESULTS:
        writer = getattr(result, name).write.mode("overwrite")
        target = f"{output.rstrip('/')}/{name}"
        if output_format == "parquet":
            writer.parquet(target)
        else:
            writer.json(target)


def local_session(
    app_name: str, shuffle_partitions: int, *, ui: bool = False, driver_memory: str = "1g"
) -> SparkSession:
    """A `local[2]` session bound to loopback, for tests and benchmarks on one machine.

    The UI (and the monitoring REST API behind it) is off unless asked for: benchmarks read
    shuffle sizes from it, tests need no port. In local mode the driver JVM does all the work,
    so `driver_memory` is the whole job's heap (Spark's default is 1g).
    """
    session = (
        SparkSession.builder.master("local[2]")
        .appName(app_name)
        .config("spark.driver.memory", driver_memory)
        .config("spark.ui.enabled", str(ui).lower())
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.default.parallelism", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_scan(
    input_path: str,
    output: str,
    config: Config = DEFAULT_CONFIG,
    *,
    input_format: InputFormat = "auto",
    output_format: OutputFormat = "parquet",
    partitions: int | None = None,
    site_templates: bool = True,
    spark: SparkSession | None = None,
) -> dict[str, int]:
    """Read, scan and write; returns the number of rows written per result.

    Without `spark`, the active session is used if there is one; otherwise one is built from
    `SparkSession.builder` (so `spark-submit` decides the master and resources), and stopped
    at the end.
    """
    session = spark or SparkSession.getActiveSession()
    owned = session is None
    if session is None:
        session = SparkSession.builder.appName("dupdetect spark-scan").getOrCreate()
    try:
        result = scan_dataframe(
            read_pages(session, input_path, input_format, config),
            config,
            site_templates=site_templates,
            partitions=partitions,
        )
        write_scan(result, output, output_format)
        return _written_counts(session, output, output_format)
    finally:
        if owned:
            session.stop()


def _written_counts(
    spark: SparkSession, output: str, output_format: OutputFormat
) -> dict[str, int]:
    reader = spark.read.parquet if output_format == "parquet" else spark.read.json
    return {name: reader(f"{output.rstrip('/')}/{name}").count() for name in RESULTS}
