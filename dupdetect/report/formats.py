"""Machine-readable outputs: JSON (the contract), JSONL (a line a record) and CSV (a row a page)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from dupdetect.filler import COMPONENTS
from dupdetect.scan import ScanResult


def to_json(result: ScanResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


def iter_jsonl(result: ScanResult) -> Iterator[str]:
    """One object a line: pages first (`kind` "page"), then clusters and errors."""
    contract = result.to_dict()
    for page in contract["pages"]:
        yield _line({"kind": "page", **page})
    for cluster in contract["clusters"]:
        yield _line({"kind": "cluster", **cluster})
    for error in contract["errors"]:
        yield _line({"kind": "error", **error})


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


CSV_COLUMNS = (
    "source",
    "words",
    "filler_score",
    "filler_fraction",
    *(f"filler_{name}" for name in COMPONENTS),
    "repeated_fraction",
    "removed",
    "repeats",
    "shared",
    "closest_duplicate",
    "closest_similarity",
    "error",
)


def to_csv(result: ScanResult) -> str:
    """A row a page (and a row an error, with only `source` and `error` filled)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for page in result.pages:
        closest = page.closest
        row: dict[str, Any] = {
            "source": page.source,
            "words": page.words,
            "filler_score": round(page.filler.score, 4),
            "filler_fraction": round(page.filler.fraction, 4),
            "repeated_fraction": round(page.repeated_fraction, 4),
            "removed": len(page.removed),
            "repeats": len(page.repeats),
            "shared": len(page.shared),
            "closest_duplicate": closest.other if closest else "",
            "closest_similarity": round(closest.similarity, 4) if closest else "",
        }
        for name in COMPONENTS:
            row[f"filler_{name}"] = round(page.filler.components.get(name, 0.0), 4)
        writer.writerow(row)
    for error in result.errors:
        writer.writerow({"source": error.source, "error": error.error})
    return buffer.getvalue()
