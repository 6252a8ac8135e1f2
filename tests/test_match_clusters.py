"""Clusters: one passage syndicated to many pages is reported once with every occurrence."""

from __future__ import annotations

from dataclasses import dataclass

from dupdetect.clusters import build_clusters
from dupdetect.config import Config
from dupdetect.match import Matcher
from dupdetect.model import SharedPassage
from dupdetect.segment import segment
from dupdetect.sign import sign

SYNDICATED = (
    "The regional water authority confirmed that the hosepipe ban will stay in place until "
    "reservoir levels in the northern catchment recover to at least seventy percent of capacity."
)
INTROS = [
    "Gardeners in Easthope are being asked to water their allotments with grey water.",
    "Local news for Marlow Cross: the bakery on Station Road reopens after a fire last spring.",
    "Sports round-up: the under-twelves won their cup final four goals to one on Saturday.",
    "Weather watch: another dry week is forecast, with temperatures near thirty by Thursday.",
]
OTHER = (
    "An entirely separate page about the history of the village church, built in 1310 and "
    "restored twice, most recently after the great storm of 1987 took down its spire."
)


@dataclass(frozen=True)
class ScannedPage:
    source: str
    text: str
    shared: tuple[SharedPassage, ...]


def scan(texts: dict[str, str]) -> list[ScannedPage]:
    matcher = Matcher(Config())
    pages = []
    for source, text in texts.items():
        seg = segment(text)
        pages.append(
            ScannedPage(source, text, matcher.check_and_add(source, seg, sign(seg)).shared)
        )
    return pages


def syndicated_pages() -> dict[str, str]:
    texts = {f"site-{i}": intro + "\n\n" + SYNDICATED for i, intro in enumerate(INTROS)}
    texts["church"] = OTHER
    return texts


def test_passage_on_four_pages_is_one_cluster_with_every_page_once() -> None:
    texts = syndicated_pages()
    clusters = build_clusters(scan(texts))
    assert len(clusters) == 1
    cluster = clusters[0]
    assert cluster.id == 0
    assert [m.source for m in cluster.members] == sorted(f"site-{i}" for i in range(4))
    for member in cluster.members:
        assert member.span.text == texts[member.source][member.span.start : member.span.end]
        assert "hosepipe ban will stay in place" in member.span.text
    assert cluster.similarity == 1.0
    assert cluster.to_dict()["size"] == 4


def test_passage_on_two_pages_is_not_a_cluster_by_default() -> None:
    texts = {key: value for key, value in syndicated_pages().items() if key in ("site-0", "site-1")}
    pages = scan(texts)
    assert any(page.shared for page in pages)
    assert build_clusters(pages) == ()
    assert len(build_clusters(pages, min_pages=2)) == 1


def test_no_shared_passages_no_clusters() -> None:
    assert build_clusters(scan({"church": OTHER, "intro": INTROS[0]})) == ()
