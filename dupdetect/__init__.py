"""dupdetect: find content-farm filler, repeated and copied passages, and near-duplicate pages.

The public API::

    from dupdetect import Detector

    detector = Detector()                      # in-memory index, threshold 0.8
    report = detector.check(html, source=url)  # compares with every page checked before
    report.filler.score, report.near_duplicates, report.to_dict()

`scan(paths)` runs a batch scan with links in both directions and clusters.
"""

from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.detector import Detector
from dupdetect.errors import DupdetectError, IndexStoreError, InputError
from dupdetect.model import (
    Cluster,
    Extraction,
    FillerScore,
    NearDuplicate,
    PageReport,
    Removal,
    Repeat,
    ScanError,
    SharedPassage,
    Span,
)
from dupdetect.scan import ScanResult, scan

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_CONFIG",
    "Cluster",
    "Config",
    "Detector",
    "DupdetectError",
    "Extraction",
    "FillerScore",
    "IndexStoreError",
    "InputError",
    "NearDuplicate",
    "PageReport",
    "Removal",
    "Repeat",
    "ScanError",
    "ScanResult",
    "SharedPassage",
    "Span",
    "__version__",
    "scan",
]
