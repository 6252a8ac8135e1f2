"""Filler score on real text: injected filler, untouched articles, length robustness, speed.

    python benchmarks/eval_filler.py                   # 150 held-out WCXB articles
    python benchmarks/eval_filler.py --articles 40     # quicker, while iterating
    python benchmarks/eval_filler.py --json out.json   # also write the figures

Held out from the fit twice over: the articles are the odd half of WCXB's sorted article list
(`fit_filler.py` fits on the even half), and the injected filler is `EVAL_*` in
`fit_filler.py`, written separately from both the fitting filler and the lexicon. The report
says how many of the held-out filler sentences the lexicon flags (`held_out_lexicon_hits`), so
that an evaluation of the "stock" kind that had become circular would show it.

Reported:
- per filler kind and rate (5, 10, 20, 40% of characters): pairwise accuracy (injected page
  scores strictly above its original); and Spearman between injected share and score in two
  forms: `spearman_per_article`, over the five versions 0..40% of one article (mean over
  articles: does the score rise with the padding of a given text?), and `spearman_pooled`,
  over all pages of all articles at once (also asks that an article with more padding outrank
  another with less, so it mixes in how much clean articles differ from each other);
- scores of the untouched articles (ground-truth text, and our own extraction of the HTML with
  its removals), and the two seeds;
- length robustness: articles of 2,000+ words cut to 200, 500, 1,000 and 2,000 words, median
  over articles of the largest distance from the 2,000-word score;
- speed: score_filler milliseconds per 400 words, against segment() on the same texts.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, uninstalled

from fit_filler import (
    DEFAULT_DATA,
    EVAL_SET,
    KIND_NAMES,
    RATES,
    SEEDS,
    Article,
    cut_words,
    inject,
    load_articles,
)

from dupdetect.errors import InputError
from dupdetect.extract import extract_html
from dupdetect.filler import score_filler
from dupdetect.filler_components import PageView
from dupdetect.filler_wording import stock_phrases
from dupdetect.model import Extraction
from dupdetect.segment import segment

LENGTHS = (200, 500, 1000, 2000)


def score_text(text: str, title: str = "") -> float:
    return score_filler(Extraction(source="", text=text, title=title), segment(text)).score


def injection_figures(articles: Sequence[Article], seed: int) -> dict[str, dict[str, float]]:
    rng = random.Random(seed)
    clean = [score_text(a.text, a.title) for a in articles]
    figures: dict[str, dict[str, float]] = {}
    for kind in KIND_NAMES:
        shares = np.zeros((len(articles), len(RATES) + 1))
        scores = np.zeros_like(shares)
        scores[:, 0] = clean
        for i, article in enumerate(articles):
            for j, rate in enumerate(RATES, start=1):
                text, shares[i, j] = inject(article, kind, rate, rng, EVAL_SET)
                scores[i, j] = score_text(text, article.title)
        row: dict[str, float] = {}
        for j, rate in enumerate(RATES, start=1):
            row[f"pairwise@{rate:.0%}"] = float(np.mean(scores[:, j] > scores[:, 0]))
            row[f"mean_score@{rate:.0%}"] = float(np.mean(scores[:, j]))
        per_article = [_spearman(shares[i], scores[i]) for i in range(len(articles))]
        row["spearman_per_article"] = float(np.nanmean(per_article))
        row["spearman_pooled"] = _spearman(shares.ravel(), scores.ravel())
        figures[kind] = row
    return figures


def held_out_lexicon_hits() -> str:
    """How many held-out filler sentences the stock-phrase lexicon flags, as "hits/total"."""
    hits = 0
    for sentence in EVAL_SET.filler:
        text = sentence.format(topic="this topic")
        hits += bool(stock_phrases(PageView.of(segment(text))).spans)
    return f"{hits}/{len(EVAL_SET.filler)}"


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    if np.ptp(y) == 0:
        return float("nan")
    return float(spearmanr(x, y).statistic)


def distribution(scores: Sequence[float]) -> dict[str, float]:
    values = np.asarray(scores)
    levels = (10, 25, 50, 75, 90, 95)
    quantiles = np.percentile(values, levels)
    out = {f"p{q}": round(float(v), 4) for q, v in zip(levels, quantiles, strict=True)}
    out["share_below_0.3"] = round(float(np.mean(values < 0.3)), 4)
    out["pages"] = len(values)
    return out


def extracted_scores(data: Path, articles: Sequence[Article]) -> list[float]:
    """Scores of our own extraction of each article's HTML, removals included."""
    scores = []
    for article in articles:
        path = data / "dev" / "html" / f"{article.file_id}.html.gz"
        try:
            extraction = extract_html(gzip.decompress(path.read_bytes()), article.file_id)
        except InputError:
            continue
        scores.append(score_filler(extraction, segment(extraction.text)).score)
    return scores


def length_robustness(data: Path, limit: int) -> dict[str, float]:
    long_articles = [
        a for a in load_articles(data, half=1) if len(a.text.split()) >= 0.95 * LENGTHS[-1]
    ][:limit]
    drifts = []
    for article in long_articles:
        scores = [score_text(cut_words(article.text, n), article.title) for n in LENGTHS]
        drifts.append(max(abs(s - scores[-1]) for s in scores))
    return {
        "articles": len(drifts),
        "median_max_drift": round(float(np.median(drifts)), 4),
        "p75_max_drift": round(float(np.percentile(drifts, 75)), 4),
    }


def speed(articles: Sequence[Article]) -> dict[str, float]:
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    started = time.perf_counter()
    segmented = [segment(t) for t in texts]
    segment_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for article, seg in zip(articles, segmented, strict=True):
        score_filler(Extraction(source="", text=article.text, title=article.title), seg)
    filler_seconds = time.perf_counter() - started
    return {
        "filler_ms_per_400_words": round(filler_seconds / words * 400 * 1000, 3),
        "segment_ms_per_400_words": round(segment_seconds / words * 400 * 1000, 3),
        "filler_over_segment": round(filler_seconds / segment_seconds, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--long-articles", type=int, default=100)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    articles = load_articles(args.data, half=1, limit=args.articles)
    report = {
        "seeds": {p.name: round(score_text(p.read_text()), 4) for p in sorted(SEEDS.glob("*.txt"))},
        "untouched_ground_truth": distribution([score_text(a.text, a.title) for a in articles]),
        "untouched_extracted": distribution(extracted_scores(args.data, articles)),
        "injection": injection_figures(articles, args.seed),
        "held_out_lexicon_hits": held_out_lexicon_hits(),
        "length": length_robustness(args.data, args.long_articles),
        "speed": speed(articles),
    }
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
