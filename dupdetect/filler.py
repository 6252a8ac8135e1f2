"""Filler score: how much of a page is padding, and which characters made it so.

Six components (see `dupdetect.filler_components`) each measure one kind of padding as a share
of the page, are scaled to 0..1 and carry their spans. A component's share is taken of the
characters that no *other* component counts, so adding filler of one kind never lowers another
component. The combined score is

    score = 1 - exp(-sum_i w_i * component_i),   w_i >= 0,

so every component can only raise the score, the score never leaves 0..1 and it keeps rising
(never plateaus at a clip) as padding grows. The weights and the scales' floors are fitted by
`benchmarks/fit_filler.py` and shipped in `dupdetect/data/filler_weights.json`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from dupdetect import filler_components as parts
from dupdetect import filler_wording as wording
from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.filler_components import Raw
from dupdetect.model import (
    Extraction,
    FillerScore,
    FillerSpan,
    Repeat,
    Segmentation,
    covered_fraction,
)

LAST_SPACE = 0x3000
"""The highest whitespace code point (IDEOGRAPHIC SPACE); the tests check all of Unicode."""
_IS_SPACE = np.array([chr(code).isspace() for code in range(LAST_SPACE + 2)])
"""`str.isspace` (what `\\s` matches) by code point; the last entry stands for all above."""

COMPONENTS = ("repetition", "restatement", "stock_phrases", "generic", "promo", "keyword_stuffing")
"""Component names, in the order the report shows them."""


FULL = {
    "repetition": 1.0,  # raw is already relative to the Gopher lines
    "restatement": 0.30,
    "stock_phrases": 0.80,  # a stock frame often wraps a fact: it takes most sentences
    "generic": 1.0,
    "promo": 0.15,
    "keyword_stuffing": 0.15,  # characters of key-phrase uses past the first few
}
"""Raw share at which a careful reader would call the page all padding of that kind (for
repetition, the published Gopher lines): the component reaches 1.0 there."""


@dataclass(frozen=True)
class Scale:
    """Maps a raw share to 0..1: `BELOW_FLOOR` at the floor (what clean articles show), 1 at `full`.

    A share of few characters is noisy: one stock sentence is a tenth of a 200-word page. The
    floor is what long clean pages show plus `noise * 1000 / basis` (basis: the characters the
    share is of), so a short page needs proportionally more evidence and a clean article cut
    shorter does not jump in score (the length target). Floor and noise are fitted on clean
    articles by `benchmarks/fit_filler.py`.
    """

    floor: float
    full: float
    noise: float = 0.0

    def floor_at(self, basis: float) -> float:
        """The floor for a share of `basis` characters, never below `MIN_FLOOR`."""
        return max(MIN_FLOOR, self.floor + self.noise * noise_factor(basis))

    def __call__(self, raw: Raw) -> float:
        floor = self.floor_at(raw.basis)
        if raw.value <= floor:
            return BELOW_FLOOR * raw.value / floor
        above = (raw.value - floor) / (self.full - floor)
        return min(1.0, BELOW_FLOOR + (1.0 - BELOW_FLOOR) * above)


def noise_factor(basis: float) -> float:
    """1000 / basis, capped at 1 from 1,000 characters down: below that a share is too noisy
    to say anything more precise, and the cap keeps tiny pages from needing > 100%.

    Why 1/basis and not the 1/sqrt(basis) of sampling noise alone: the high quantiles of clean
    pages' generic and stock shares fall about that fast with length (WCXB articles of 150 to
    2,000 words, and leads cut from them), because a short page is mostly an introduction, and
    the generic test has fewer of the page's terms to go by. A 1/sqrt floor that fits the
    short pages sits far above what long pages show, where it hid padding of 10-20%."""
    return 1000 / max(basis, 1000.0)


MIN_FLOOR = 0.002
"""Lowest floor, for components whose clean pages show nothing at all (promo): a share this
small is one stray line on a long page."""

BELOW_FLOOR = 0.005
"""Component value at the floor. Below it a component still rises gently (to this value)
instead of sitting flat at zero, so more padding never leaves a page's score unchanged."""


@dataclass(frozen=True)
class Calibration:
    """The fitted data: non-negative weights and the scale of every component."""

    weights: dict[str, float]
    scales: dict[str, Scale]


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
    calibration = load_calibration()
    raws, evidence = raw_values(extraction, seg, repeats)
    components = scaled(raws, calibration.scales)
    spans = [span for span in evidence if components[span.component] > 0]
    total = sum(calibration.weights[name] * value for name, value in components.items())
    flagged = [(s.start, s.end) for s in spans if components[s.component] > BELOW_FLOOR]
    return FillerScore(
        score=1.0 - math.exp(-total),
        fraction=covered_fraction(flagged, len(seg.text)),
        components=components,
        spans=tuple(sorted(spans, key=lambda s: (s.start, s.end, s.component))),
    )


def raw_values(
    extraction: Extraction, seg: Segmentation, repeats: Sequence[Repeat] = ()
) -> tuple[dict[str, Raw], list[FillerSpan]]:
    """Raw measure of every component (before scaling) and all their spans.

    Each component's share leaves out the characters only other components count (see
    `filler_components.Measure.raw`), so adding one kind of filler never dilutes another.
    Whitespace counts for no one: the line breaks around an added paragraph are not content.
    """
    if not seg.tokens:
        return dict.fromkeys(COMPONENTS, Raw(0.0, 0.0)), []
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
    words = ~whitespace_mask(seg.text)
    masks = {name: measure.counted_mask(length) & words for name, measure in measures.items()}
    unclaimed = words & ~np.logical_or.reduce(list(masks.values()))
    raws = {name: measures[name].raw(masks[name], unclaimed) for name in COMPONENTS}
    return raws, [span for name in COMPONENTS for span in measures[name].spans]


def whitespace_mask(text: str) -> np.ndarray:
    """Per character of `text`: is it whitespace. A table look-up over the code points, since
    a regex pass yields one match object per gap between words."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return _IS_SPACE[np.minimum(codes, LAST_SPACE + 1)]


def scaled(raws: dict[str, Raw], scales: dict[str, Scale]) -> dict[str, float]:
    """Raw measures -> 0..1 components."""
    return {name: scales[name](raws[name]) for name in COMPONENTS}


@cache
def load_calibration() -> Calibration:
    """The fitted weights and scales shipped with the package."""
    text = resources.files("dupdetect").joinpath("data/filler_weights.json").read_text("utf-8")
    data = json.loads(text)
    weights = {name: max(0.0, float(data["weights"].get(name, 0.0))) for name in COMPONENTS}
    scales = {
        name: Scale(float(fit["floor"]), FULL[name], float(fit["noise"]))
        for name, fit in data["scales"].items()
    }
    return Calibration(weights, scales)


def load_weights() -> dict[str, float]:
    """The fitted non-negative weights shipped with the package."""
    return load_calibration().weights
