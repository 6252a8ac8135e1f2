"""Reading inputs into the page DataFrame `scan_dataframe` takes, and writing its results.

Inputs: JSONL (one object a line, gzip allowed), Parquet, or WARC files; a path may be a file,
a folder or a glob, anything Spark's readers accept (local, HDFS, S3...). Outputs: one folder
per result DataFrame under OUTPUT (`pages/`, `near_duplicates/`, `shared/`, `clusters/`,
`errors/`), as Parquet or JSON Lines part files.
"""

from __future__ import annotations

from typing import Literal

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import BinaryType, StringType, StructField, StructType

from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.errors import InputError
from dupdetect.spark import tasks
from dupdetect.spark.job import SparkScan, scan_dataframe

InputFormat = Literal["auto", "jsonl", "parquet", "warc"]
OutputFormat = Literal["parquet", "jsonl"]

SOURCE_COLUMNS = ("source", "url", "id")
"""Column names taken as the page's name, first found wins (crawl dumps often use `url`)."""
CONTENT_COLUMNS = {"content": None, "html": "html", "text": "text"}
"""Column names taken as the page's content, with the content type their name implies
(`content` says nothing: then a `content_type` column, or "html")."""

RESULTS = ("pages", "near_duplicates", "shared", "clusters", "errors")

_WARC_SCHEMA = StructType(
    [
        StructField("source", StringType()),
        StructField("content", BinaryType()),
        StructField("content_type", StringType()),
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


def read_pages(spark: SparkSession, path: str, input_format: InputFormat = "auto") -> DataFrame:
    """The pages under `path` as (source, content, content_type) rows."""
    chosen = input_format_of(path) if input_format == "auto" else input_format
    if chosen == "warc":
        files = spark.sparkContext.binaryFiles(path)
        return spark.createDataFrame(files.flatMap(tasks.warc_pages), _WARC_SCHEMA)
    table = spark.read.parquet(path) if chosen == "parquet" else spark.read.json(path)
    return page_columns(table)


def page_columns(table: DataFrame) -> DataFrame:
    """(source, content, content_type) from a table with any of the usual column names."""
    source = next((name for name in SOURCE_COLUMNS if name in table.columns), None)
    content = next((name for name in CONTENT_COLUMNS if name in table.columns), None)
    if source is None or content is None:
        raise InputError(
            f"input needs a source column ({', '.join(SOURCE_COLUMNS)}) and a content column "
            f"({', '.join(CONTENT_COLUMNS)}); found {', '.join(table.columns) or 'none'}"
        )
    implied = CONTENT_COLUMNS[content]
    if implied is not None:
        content_type = F.lit(implied)
    elif "content_type" in table.columns:
        content_type = F.col("content_type")
    else:
        content_type = F.lit("html")
    return table.select(
        F.col(source).cast("string").alias("source"),
        F.col(content).alias("content"),
        content_type.alias("content_type"),
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

    Without `spark`, the session comes from `SparkSession.builder` (so `spark-submit` decides
    the master and resources) and is stopped at the end.
    """
    session = spark or SparkSession.builder.appName("dupdetect spark-scan").getOrCreate()
    try:
        result = scan_dataframe(
            read_pages(session, input_path, input_format),
            config,
            site_templates=site_templates,
            partitions=partitions,
        )
        write_scan(result, output, output_format)
        return _written_counts(session, output, output_format)
    finally:
        if spark is None:
            session.stop()


def _written_counts(
    spark: SparkSession, output: str, output_format: OutputFormat
) -> dict[str, int]:
    reader = spark.read.parquet if output_format == "parquet" else spark.read.json
    return {name: reader(f"{output.rstrip('/')}/{name}").count() for name in RESULTS}
