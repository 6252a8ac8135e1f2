"""Spark schemas of the job's intermediate and output DataFrames.

Output columns mirror the JSON contract of `dupdetect scan` (`PageReport.to_dict`), so a page
row and a page of the local report hold the same names and values; similarities and scores
are kept unrounded.
"""

from __future__ import annotations

from pyspark.sql.types import (
    ArrayType,
    BinaryType,
    DoubleType,
    IntegerType,
    LongType,
    MapType,
    StringType,
    StructField,
    StructType,
)


def _struct(*fields: tuple[str, object]) -> StructType:
    return StructType([StructField(name, data_type, True) for name, data_type in fields])


SPAN = _struct(("start", IntegerType()), ("end", IntegerType()), ("text", StringType()))

FILLER = _struct(
    ("score", DoubleType()),
    ("fraction", DoubleType()),
    ("components", MapType(StringType(), DoubleType())),
    (
        "spans",
        ArrayType(
            _struct(
                ("start", IntegerType()),
                ("end", IntegerType()),
                ("component", StringType()),
                ("note", StringType()),
            )
        ),
    ),
)

REMOVAL = _struct(("text", StringType()), ("reason", StringType()), ("at", IntegerType()))
REPEAT = _struct(("similarity", DoubleType()), ("first", SPAN), ("second", SPAN))

EXTRACTED = _struct(
    ("page_id", LongType()),
    ("source", StringType()),
    ("site", StringType()),
    ("page_key", LongType()),
    ("fingerprints", ArrayType(LongType())),
    ("extraction", BinaryType()),
    ("error", StringType()),
)
"""One row per input page after extraction; `extraction` is the pickled `Extraction`."""

ANALYSED = _struct(
    ("page_id", LongType()),
    ("source", StringType()),
    ("title", StringType()),
    ("words", IntegerType()),
    ("filler", FILLER),
    ("removed", ArrayType(REMOVAL)),
    ("repeats", ArrayType(REPEAT)),
    ("record", BinaryType()),
    ("page_keys", ArrayType(LongType())),
    ("passage_keys", ArrayType(LongType())),
    ("error", StringType()),
)
"""One row per extracted page after `analyse`; `record` is `PageRecord.to_bytes()`."""

VERIFIED = _struct(
    ("kind", StringType()),
    ("source", StringType()),
    ("other", StringType()),
    ("similarity", DoubleType()),
    ("here", SPAN),
    ("there", SPAN),
)
"""One row per verified match of a candidate pair, both kinds in one verification pass:
`near` (`source` the earlier page, `other` the later, no spans) or `passage` (as `SHARED`)."""

NEAR_DUPLICATES = _struct(
    ("first", StringType()), ("second", StringType()), ("similarity", DoubleType())
)
"""One row per verified near-duplicate pair; `first` comes earlier in the input."""

SHARED = _struct(
    ("source", StringType()),
    ("other", StringType()),
    ("similarity", DoubleType()),
    ("here", SPAN),
    ("there", SPAN),
)
"""One row per verified shared passage, reported by the later page (`source`) of the pair."""

CLUSTER = _struct(
    ("size", IntegerType()),
    ("similarity", DoubleType()),
    (
        "members",
        ArrayType(
            _struct(
                ("source", StringType()),
                ("start", IntegerType()),
                ("end", IntegerType()),
                ("text", StringType()),
            )
        ),
    ),
)
"""One row per passage cluster, before ids are given (`job.passage_clusters`)."""

PAGE_COLUMNS = ("source", "title", "words", "filler", "removed", "repeats")
"""Columns of the page-report DataFrame, in order."""
