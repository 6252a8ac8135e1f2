"""Issue 2's acceptance points, on the committed samples."""

from __future__ import annotations

from pathlib import Path

from dupdetect import PageReport, ScanResult

SEED_000 = "seed-000-putin-iran-visit.txt"
SEED_004 = "seed-004-iran-minister-moscow.txt"
CLEAN = ("clean-aldermoor-viaduct.html", "clean-tidewater-dredging.txt")


def page(result: ScanResult, name: str) -> PageReport:
    return next(p for p in result.pages if Path(p.source).name == name)


def repeated_texts(report: PageReport) -> list[str]:
    return [r.first.text + " || " + r.second.text for r in report.repeats]


def test_every_sample_is_scanned(samples_scan: ScanResult, samples_dir: Path) -> None:
    pages = {Path(p.source).name for p in samples_scan.pages}
    expected = {p.name for p in samples_dir.iterdir() if p.suffix in {".html", ".txt"}}
    assert pages == expected
    assert samples_scan.errors == ()
    assert samples_scan.skipped == {".md": 1}


def test_seed_004_promo_removed_with_reason(samples_scan: ScanResult) -> None:
    report = page(samples_scan, SEED_004)
    promo = [r for r in report.removed if "YOU MAY ALSO LIKE TO WATCH" in r.text]
    assert promo and promo[0].reason
    assert "YOU MAY ALSO LIKE" not in report.text


def test_seed_004_pasted_tweet_is_removed_or_repeated(samples_scan: ScanResult) -> None:
    report = page(samples_scan, SEED_004)
    tweet = "will head to Moscow today, will meet Putin"
    removed_as_embed = any(tweet in r.text for r in report.removed)
    repeated = any(tweet in r.first.text and tweet in r.second.text for r in report.repeats)
    assert removed_as_embed or repeated
    assert "(@spectatorindex)" not in report.text


def test_seed_000_repeats_found(samples_scan: ScanResult) -> None:
    report = page(samples_scan, SEED_000)
    found = repeated_texts(report)
    for phrase in (
        "It is crucial for policymakers and analysts to closely monitor these developments",
        "the need for a multipolar world order and the rejection of Western hegemony",
    ):
        assert any(text.count(phrase) == 2 for text in found), phrase
    for repeat in report.repeats:
        for span in (repeat.first, repeat.second):
            assert report.text[span.start : span.end] == span.text


def test_seeds_score_above_every_clean_control(samples_scan: ScanResult) -> None:
    worst_clean = max(page(samples_scan, name).filler.score for name in CLEAN)
    for seed in (SEED_000, SEED_004):
        assert page(samples_scan, seed).filler.score > worst_clean


def test_near_duplicate_pair_found(samples_scan: ScanResult) -> None:
    site_a = page(samples_scan, "heatwave-tips-site-a.html")
    site_b = page(samples_scan, "heatwave-tips-site-b.html")
    assert [Path(d.other).name for d in site_b.near_duplicates] == ["heatwave-tips-site-a.html"]
    assert site_b.near_duplicates[0].similarity >= 0.8
    assert [Path(d.other).name for d in site_a.near_duplicates] == ["heatwave-tips-site-b.html"]


def test_copied_passages_point_at_their_source(samples_scan: ScanResult) -> None:
    copycat = page(samples_scan, "copycat-viaduct-explainer.html")
    source = page(samples_scan, "clean-aldermoor-viaduct.html")
    assert copycat.shared
    assert {Path(s.other).name for s in copycat.shared} == {"clean-aldermoor-viaduct.html"}
    assert any(
        "€38.4 million" in s.here.text and "€38.4 million" in s.there.text for s in copycat.shared
    )
    for passage in copycat.shared:
        assert passage.there.text == source.text[passage.there.start : passage.there.end]
        assert passage.here.text == copycat.text[passage.here.start : passage.here.end]
    assert not copycat.near_duplicates


def test_clean_controls_have_no_near_duplicate_or_repeat(samples_scan: ScanResult) -> None:
    for name in CLEAN:
        report = page(samples_scan, name)
        assert report.near_duplicates == ()
        assert report.repeats == ()


def test_seeds_are_not_near_duplicates_of_each_other(samples_scan: ScanResult) -> None:
    assert page(samples_scan, SEED_000).near_duplicates == ()
    assert page(samples_scan, SEED_004).near_duplicates == ()


def test_clean_controls_score_low_and_keep_their_look_alike(samples_scan: ScanResult) -> None:
    for name in CLEAN:
        assert page(samples_scan, name).filler.score < 0.3, name
    viaduct = page(samples_scan, "clean-aldermoor-viaduct.html")
    look_alike = viaduct.text.index("Read more about the viaduct's history")
    assert not any(
        span.component == "promo" and span.start <= look_alike < span.end
        for span in viaduct.filler.spans
    )
