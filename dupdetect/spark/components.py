"""Connected components of a graph held as a DataFrame of edges, with DataFrame operations only.

GraphFrames would need a Maven download at start-up, which clusters behind a firewall and CI
cannot do. The graphs here are small-diameter (passages copied among a handful of pages), so
min-label propagation converges in a few rounds. Each round:

1. every node takes the smallest label among itself and its neighbours (one join + groupBy);
2. every node jumps to its label's label (pointer jumping), which halves long chains, so a
   path of length d needs about log2(d) rounds instead of d.

Each round's labels are checkpointed locally, so the plan does not grow with the number of
rounds, and carry a flag saying whether they moved; the loop stops after the first round in
which none did (a count over the checkpointed flags, no extra shuffle).

A checkpoint keeps its plan's size estimate, and Spark estimates a join's size as the product
of its sides' estimates, so the labels' estimate would be raised to about the third power
every round: past a dozen rounds Spark spent minutes multiplying numbers of millions of digits
before each round (100,000 generated pages, whose chance matches chain into long components).
`_without_estimate` starts every round from a plain scan of the checkpointed rows instead.
"""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F


def connected_components(edges: DataFrame, max_rounds: int = 64) -> DataFrame:
    """(node, component) for every node of `edges(src, dst)`; component = smallest node id.

    `max_rounds` bounds the loop against a pathological chain; reaching it raises, because a
    cut-short result would silently split clusters.
    """
    both_ways = (
        edges.select("src", "dst")
        .union(edges.select(F.col("dst").alias("src"), F.col("src").alias("dst")))
        .where(F.col("src") != F.col("dst"))
        .distinct()
        .localCheckpoint()
    )
    labels = (
        both_ways.select(F.col("src").alias("node"))
        .distinct()
        .withColumn("label", F.col("node"))
        .localCheckpoint()
    )
    for _ in range(max_rounds):
        updated = _jump(_take_smallest_neighbour_label(labels, both_ways)).localCheckpoint()
        updated = _without_estimate(updated)
        labels = updated.select("node", "label")
        if updated.where(F.col("changed")).limit(1).count() == 0:
            return labels.select("node", F.col("label").alias("component"))
    raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")


def _take_smallest_neighbour_label(labels: DataFrame, both_ways: DataFrame) -> DataFrame:
    offered = (
        both_ways.join(labels, both_ways["src"] == labels["node"])
        .groupBy(both_ways["dst"].alias("node"))
        .agg(F.min("label").alias("offered"))
    )
    return labels.join(offered, "node", "left").select(
        "node",
        F.least("label", F.coalesce("offered", "label")).alias("label"),
        F.coalesce(F.col("offered") < F.col("label"), F.lit(False)).alias("changed"),
    )


def _jump(labels: DataFrame) -> DataFrame:
    """Each node takes its label's label; `changed` stays true where either step lowered it."""
    parents = labels.select(F.col("node").alias("parent"), F.col("label").alias("grand"))
    return labels.join(parents, labels["label"] == parents["parent"], "left").select(
        "node",
        F.least("label", F.coalesce("grand", "label")).alias("label"),
        (F.col("changed") | F.coalesce(F.col("grand") < F.col("label"), F.lit(False))).alias(
            "changed"
        ),
    )


def _without_estimate(frame: DataFrame) -> DataFrame:
    """`frame`'s rows as a new DataFrame whose plan is a scan of them, with Spark's default
    size estimate instead of the one carried over from `frame`'s plan.

    Built in the JVM (`Dataset.rdd` back to a DataFrame), so no row passes through Python;
    PySpark has no public call for it, hence the gateway handles."""
    session = frame.sparkSession
    jdf = frame._jdf
    return DataFrame(session._jsparkSession.createDataFrame(jdf.rdd(), jdf.schema()), session)
