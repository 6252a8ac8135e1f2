"""Batch scans on Apache Spark with the same extraction, signing, matching and scoring code.

One entry point, `scan_dataframe(pages, config)`, takes a DataFrame of pages (`source`,
`content`, optional `content_type`) and returns a `SparkScan` of DataFrames: page reports with
filler scores, near-duplicate pairs, shared passages, clusters and errors. `spark_scan(input,
output)` reads JSONL, WARC or Parquet files and writes those DataFrames as Parquet or JSONL;
it backs `dupdetect spark-scan` and runs unchanged under `spark-submit`.

Needs the `spark` extra (`pip install 'dupdetect[spark]'`); importing `dupdetect` itself never
imports pyspark.
"""

from __future__ import annotations

from dupdetect.spark.io import local_session, read_pages, spark_scan, write_scan
from dupdetect.spark.job import SparkScan, scan_dataframe

__all__ = ["SparkScan", "local_session", "read_pages", "scan_dataframe", "spark_scan", "write_scan"]
