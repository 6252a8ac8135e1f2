"""Filler score: how much of a page is padding, and which characters made it so.

Six components (see `dupdetect.filler_components`) each measure one kind of padding as a share
of the page, are scaled to 0..1 and carry their spans. The combined score is

    score = 1 - exp(-sum_i w_i * component_i),   w_i >= 0,

so every component can only raise the score, the score never leaves 0..1 and it keeps rising
(never plateaus at a clip) as padding grows. The weights are fitted by
`benchmarks/fit_filler.py` and shipped in `dupdetect/data/filler_weights.json`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from dupdetect import filler_components as parts
from dupdetect import filler_wording as wording
from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.model import (
    Extraction,
    FillerScore,
    FillerSpan,
    Repeat,
    Segmentation,
    covered_fraction,
)

COMPONENTS = ("repetition", "restatement", "stock_phrases", "generic", "promo", "keyword_stuffing")
"""Component names, in the order the report shows them."""


@dataclass(frozen=True)
class Scale:
    """Maps a raw share to 0..1: `BELOW_FLOOR` at the floor (what clean articles show), 1 at `full`.

    A share measured on a short page is noisy: one stock sentence is a tenth of a 200-word
    page. Between clean pages a share varies like 1/sqrt(length), so the floor is what clean
    pages show plus `noise * sqrt(1000 / characters)`: a short page needs proportionally more
    evidence, and a clean article cut shorter does not jump in score (the length target).
    """

    floor: float
    full: float
    noise: float = 0.0

    def __call__(self, raw: float, length: int) -> float:
        floor = self.floor + self.noise * math.sqrt(1000 / max(length, 1000))
        if raw <= floor:
            return BELOW_FLOOR * raw / floor if floor else 0.0
        above = (raw - floor) / (self.full - floor)
        return min(1.0, BELOW_FLOOR + (1.0 - BELOW_FLOOR) * above)


BELOW_FLOOR = 0.005
"""Component value at the floor. Below it a component still rises gently (to this value)
instead of sitting flat at zero, so more padding never leaves a page's score unchanged."""


SCALES: dict[str, Scale] = {
    "repetition": Scale(0.35, 1.0),  # raw is already relative to the Gopher lines
    "restatement": Scale(0.07, 0.30),
    "stock_phrases": Scale(0.046, 0.40, noise=0.27),
    "generic": Scale(0.652, 1.0, noise=0.33),
    "promo": Scale(0.01, 0.15),
    "keyword_stuffing": Scale(0.003, 0.05, noise=0.028),
}
"""Raw share -> component. `full` is where a careful reader would call the page all padding of
that kind (for repetition, the published Gopher lines). `floor` (with `noise`) lies above
90-95% of clean WCXB articles (fit half, cut to 200, 500, 1,000 and 2,000 words): ordinary
writing repeats a list item, restates a point or opens with a stock phrase now and then, and
counting that would confound the score with length and genre."""


def score_filler(
    extraction: Extraction,
    seg: Segmentation,
    repeats: Sequence[Repeat] = (),
    config: Config = DEFAULT_CONFIG,
) -> FillerScore:
    """Filler score, 0..1 components and spans of one page (offsets into `extraction.text`).

    `spans` hold the evidence of every non-zero component; `fraction` counts only the spans of
    components past their floor, i.e. padding beyond what clean articles show, so a clean page
    whose few vague sentences are listed as evidence still has a fraction near zero.

    `config` is accepted for the detector's uniform stage signature; no filler setting lives in
    it yet (the scales and weights are fitted data, not user options).
    """
    del config
    components, spans = component_values(extraction, seg, repeats)
    weights = load_weights()
    total = sum(weights[name] * value for name, value in components.items())
    flagged = [(s.start, s.end) for s in spans if components[s.component] > BELOW_FLOOR]
    fraction = covered_fraction(flagged, len(seg.text))
    return FillerScore(
        score=1.0 - math.exp(-total),
        fraction=fraction,
        components=components,
        spans=tuple(sorted(spans, key=lambda s: (s.start, s.end, s.component))),
    )


def component_values(
    extraction: Extraction, seg: Segmentation, repeats: Sequence[Repeat] = ()
) -> tuple[dict[str, float], list[FillerSpan]]:
    """Scaled components and their spans, before weighting (the fitting script's features)."""
    if not seg.tokens:
        return dict.fromkeys(COMPONENTS, 0.0), []
    view = parts.PageView.of(seg)
    measures = {
        "repetition": parts.repetition(view, repeats),
        "restatement": parts.restatement(view),
        "stock_phrases": wording.stock_phrases(view),
        "generic": wording.generic(view, extraction.title),
        "promo": wording.promo(view, extraction),
        "keyword_stuffing": wording.keyword_stuffing(view, extraction.title),
    }
    length = len(seg.text)
    components = {name: SCALES[name](measures[name].value, length) for name in COMPONENTS}
    spans = [
        span for name in COMPONENTS if components[name] > 0 for span in measures[name].spans
    ]
    return components, spans


@cache
def load_weights() -> dict[str, float]:
    """The fitted non-negative weights shipped with the package."""
    text = resources.files("dupdetect").joinpath("data/filler_weights.json").read_text("utf-8")
    weights = json.loads(text)["weights"]
    return {name: max(0.0, float(weights.get(name, 0.0))) for name in COMPONENTS}
