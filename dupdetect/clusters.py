"""Group shared passages that stand on many pages into one cluster each.

Matching reports pairs: a paragraph syndicated to thirty sites gives hundreds of
`SharedPassage`s. Here every reported span is a node, every shared passage an edge between
its two spans, and spans of one page that overlap are the same passage; each connected
component with enough distinct pages is one `Cluster` listing every occurrence once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from dupdetect.model import Cluster, ClusterMember, SharedPassage, Span


class PageWithShared(Protocol):
    """What clustering reads from a page (a `PageReport` fits)."""

    source: str
    text: str
    shared: tuple[SharedPassage, ...]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: list[int] = []

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, node: int) -> int:
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def build_clusters(pages: Iterable[PageWithShared], min_pages: int = 3) -> tuple[Cluster, ...]:
    """Clusters of passages found on at least `min_pages` distinct pages, largest first.

    Pairs (two pages) are already reported as `shared`; the default of three keeps clusters
    for passages that really travel. Members of one page whose spans overlap are merged into
    one member when the page's text is known.
    """
    pages = list(pages)
    texts = {page.source: page.text for page in pages}
    nodes: list[tuple[str, Span]] = []
    links = _UnionFind()
    edges: list[tuple[int, float]] = []
    for page in pages:
        for passage in page.shared:
            here, there = links.add(), links.add()
            nodes += [(page.source, passage.here), (passage.other, passage.there)]
            links.union(here, there)
            edges.append((here, passage.similarity))
    _link_overlapping_spans(nodes, links)
    components: dict[int, list[int]] = {}
    for node in range(len(nodes)):
        components.setdefault(links.find(node), []).append(node)
    similarities: dict[int, list[float]] = {}
    for node, similarity in edges:
        similarities.setdefault(links.find(node), []).append(similarity)
    clusters = [
        (members, sum(similarities[root]) / len(similarities[root]))
        for root, component in components.items()
        if len({nodes[n][0] for n in component}) >= min_pages
        for members in [_members([nodes[n] for n in component], texts)]
    ]
    clusters.sort(key=lambda item: (-len({m.source for m in item[0]}), item[0][0].source))
    return tuple(
        Cluster(id=index, members=members, similarity=similarity)
        for index, (members, similarity) in enumerate(clusters)
    )


def _link_overlapping_spans(nodes: Sequence[tuple[str, Span]], links: _UnionFind) -> None:
    """Union the nodes of each page whose spans overlap: they are one passage."""
    by_source: dict[str, list[int]] = {}
    for index, (source, _) in enumerate(nodes):
        by_source.setdefault(source, []).append(index)
    for indices in by_source.values():
        indices.sort(key=lambda i: nodes[i][1].start)
        reach_node, reach_end = indices[0], nodes[indices[0]][1].end
        for index in indices[1:]:
            span = nodes[index][1]
            if span.start < reach_end:
                links.union(index, reach_node)
            if span.end > reach_end:
                reach_node, reach_end = index, span.end


def _members(nodes: list[tuple[str, Span]], texts: dict[str, str]) -> tuple[ClusterMember, ...]:
    """One member per page and stretch of text: overlapping spans merged (text permitting)."""
    by_source: dict[str, set[Span]] = {}
    for source, span in nodes:
        by_source.setdefault(source, set()).add(span)
    members = []
    for source in sorted(by_source):
        spans = sorted(by_source[source], key=lambda s: (s.start, s.end))
        if source in texts:
            spans = _merged(spans, texts[source])
        members += [ClusterMember(source, span) for span in spans]
    return tuple(members)


def _merged(spans: list[Span], text: str) -> list[Span]:
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and span.start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], span.end))
        else:
            merged.append((span.start, span.end))
    return [Span(start, end, text[start:end]) for start, end in merged]
