"""Command line: a thin typer layer over the library; no detection logic lives here.

Exit codes: 0 done; 1 a page scored above `--fail-on-filler`; 2 usage error; 3 no input could be
scanned; 4 the index store could not be opened or written.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.errors import DupdetectError, IndexStoreError
from dupdetect.model import PageReport, ScanError, Span
from dupdetect.progress import terminal_progress
from dupdetect.readers import DEFAULT_FIELDS, JsonlFields
from dupdetect.scan import (
    ScanResult,
    ScanStream,
    collect,
    compare_files,
    extract_files,
    stream_records,
)

EXIT_FILLER = 1
EXIT_NOTHING_SCANNED = 3
EXIT_INDEX = 4

app = typer.Typer(
    help="Find content-farm filler, repeated and copied passages, and near-duplicate pages.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class ScanFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    html = "html"


class ExtractFormat(StrEnum):
    text = "text"
    jsonl = "jsonl"


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"dupdetect: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def _output(path: Path | None):
    if path is None:
        yield sys.stdout
        return
    try:
        handle = path.open("w", encoding="utf-8", newline="")
    except OSError as error:
        raise _fail(f"cannot write {path}: {error.strerror}", 2) from None
    with handle:
        yield handle


def _config(threshold: float | None, max_bytes: int | None) -> Config:
    changes: dict[str, object] = {}
    if threshold is not None:
        changes["threshold"] = threshold
    if max_bytes is not None:
        changes["max_bytes"] = max_bytes
    return DEFAULT_CONFIG.with_changes(**changes)


@app.command("scan")
def scan_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files and folders (.html, .htm, .txt), WARC (.warc[.gz]), JSONL (.jsonl[.gz])."
        ),
    ],
    output_format: Annotated[
        ScanFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ScanFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")] = None,
    threshold: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Near-duplicate Jaccard threshold (default 0.8)."),
    ] = None,
    fail_on_filler: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Exit 1 when any page's filler score is above this."),
    ] = None,
    clusters: Annotated[
        bool, typer.Option("--clusters", help="List passages shared by several pages.")
    ] = False,
    index: Annotated[
        str, typer.Option(help="Index store: memory://, sqlite:///path.db, redis://host:port/db.")
    ] = "memory://",
    max_bytes: Annotated[
        int | None, typer.Option(min=1, help="Skip inputs larger than this (default 10 MB).")
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Worker processes for the per-page stages (default: all cores).",
        ),
    ] = None,
    site_templates: Annotated[
        bool,
        typer.Option(
            help="Learn blocks repeated across a site's pages and drop them (needs a first pass)."
        ),
    ] = True,
    source_field: Annotated[
        list[str] | None,
        typer.Option(help="JSONL field naming a page; repeat to try several (default: url, id)."),
    ] = None,
    html_field: Annotated[
        list[str] | None, typer.Option(help="JSONL field holding a page's HTML (default: html).")
    ] = None,
    text_field: Annotated[
        list[str] | None,
        typer.Option(help="JSONL field holding a page's plain text (default: text)."),
    ] = None,
) -> None:
    """Scan pages for filler, repeated passages and near-duplicates.

    With --format jsonl each page is written as soon as it is matched; matches found by later
    pages follow as "link" records, then clusters and a summary.
    """
    fields = JsonlFields(
        source=tuple(source_field or DEFAULT_FIELDS.source),
        html=tuple(html_field or DEFAULT_FIELDS.html),
        text=tuple(text_field or DEFAULT_FIELDS.text),
    )
    stream = ScanStream(
        [str(path) for path in paths],
        _config(threshold, max_bytes),
        index=index,
        site_templates=site_templates,
        jobs=jobs or os.cpu_count() or 1,
        fields=fields,
    )
    tally = _ScanTally()
    try:
        with terminal_progress() as progress, _output(output) as out:
            stream.progress = progress
            if output_format is ScanFormat.jsonl:
                for record in stream_records(tally.count(stream), stream.skipped):
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                result = collect(stream)
                tally.count_all([*result.pages, *result.errors])
                if not clusters and output_format is ScanFormat.table:
                    result = ScanResult(result.pages, result.errors, (), result.skipped)
                _write_scan(result, output_format, out)
    except IndexStoreError as error:
        raise _fail(str(error), EXIT_INDEX) from None
    if not tally.pages and tally.errors:
        raise _fail("no input could be scanned", EXIT_NOTHING_SCANNED)
    if fail_on_filler is not None and tally.worst_filler > fail_on_filler:
        raise typer.Exit(EXIT_FILLER)


@dataclass
class _ScanTally:
    """What the exit code depends on, counted as outcomes stream past."""

    pages: int = 0
    errors: int = 0
    worst_filler: float = 0.0

    def count(self, outcomes: Iterable[PageReport | ScanError]) -> Iterator[PageReport | ScanError]:
        for outcome in outcomes:
            self.count_all([outcome])
            yield outcome

    def count_all(self, outcomes: Iterable[PageReport | ScanError]) -> None:
        for outcome in outcomes:
            if isinstance(outcome, ScanError):
                self.errors += 1
            else:
                self.pages += 1
                self.worst_filler = max(self.worst_filler, outcome.filler.score)


def _write_scan(result: ScanResult, output_format: ScanFormat, stream: TextIO) -> None:
    from dupdetect.report import formats

    if output_format is ScanFormat.table:
        from dupdetect.report.table import render_table

        render_table(result, stream)
    elif output_format is ScanFormat.json:
        stream.write(formats.to_json(result))
    elif output_format is ScanFormat.jsonl:
        stream.writelines(formats.iter_jsonl(result))
    elif output_format is ScanFormat.csv:
        stream.write(formats.to_csv(result))
    else:
        from dupdetect.report.html import render_html

        stream.write(render_html(result.to_dict(include_text=True)))


@app.command("extract")
def extract_command(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders (.html, .htm, .txt).")],
    output_format: Annotated[
        ExtractFormat, typer.Option("--format", "-f", help="text, or jsonl with what was removed.")
    ] = ExtractFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")] = None,
) -> None:
    """Print each page's extracted main text: the text every reported offset points into."""
    outcomes = extract_files([str(path) for path in paths], DEFAULT_CONFIG)
    pages = [item for item in outcomes if not isinstance(item, ScanError)]
    errors = [item for item in outcomes if isinstance(item, ScanError)]
    with _output(output) as stream:
        for extraction in pages:
            if output_format is ExtractFormat.jsonl:
                record = {
                    "source": extraction.source,
                    "title": extraction.title,
                    "text": extraction.text,
                    "removed": [
                        {"text": r.text, "reason": r.reason, "at": r.at} for r in extraction.removed
                    ],
                }
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                if len(pages) > 1:
                    stream.write(f"==> {extraction.source} <==\n")
                stream.write(extraction.text + "\n")
    for error in errors:
        typer.echo(f"dupdetect: {error.source}: {error.error}", err=True)
    if errors and not pages:
        raise typer.Exit(EXIT_NOTHING_SCANNED)


@app.command("compare")
def compare_command(
    first: Annotated[Path, typer.Argument(help="A page (.html, .htm, .txt).")],
    second: Annotated[Path, typer.Argument(help="Another page.")],
    threshold: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Near-duplicate threshold.")
    ] = None,
) -> None:
    """Show the passages two pages share, side by side, with the words that differ marked."""
    try:
        comparison = compare_files(str(first), str(second), _config(threshold, None))
    except DupdetectError as error:
        raise _fail(str(error), EXIT_NOTHING_SCANNED) from None
    console = Console(highlight=False)
    console.print(
        Text(
            f"{comparison.first} vs {comparison.second}: whole-page similarity "
            f"{comparison.similarity:.2f}, {len(comparison.shared)} shared passage(s)"
        )
    )
    for passage in comparison.shared:
        table = Table(show_header=True, expand=True, title=f"similarity {passage.similarity:.2f}")
        table.add_column(
            Text(f"{comparison.first} chars {passage.there.start}-{passage.there.end}")
        )
        table.add_column(Text(f"{comparison.second} chars {passage.here.start}-{passage.here.end}"))
        table.add_row(*_marked_pair(passage.there, passage.here))
        console.print(table)


def _marked_pair(left: Span, right: Span) -> tuple[Text, Text]:
    """Both passages with the words missing from the other one highlighted."""
    left_words = {word.casefold().strip(".,;:!?\"'“”‘’()") for word in left.text.split()}
    right_words = {word.casefold().strip(".,;:!?\"'“”‘’()") for word in right.text.split()}
    return _mark(left.text, right_words), _mark(right.text, left_words)


def _mark(text: str, other_words: set[str]) -> Text:
    marked = Text()
    for word in text.split():
        key = word.casefold().strip(".,;:!?\"'“”‘’()")
        marked.append(word, style="" if key in other_words else "bold black on yellow")
        marked.append(" ")
    return marked


@app.command("spark-scan")
def spark_scan_command(
    input_path: Annotated[
        str, typer.Argument(metavar="INPUT", help="JSONL, Parquet or WARC files (path or glob).")
    ],
    output: Annotated[
        str, typer.Argument(metavar="OUTPUT", help="Folder for pages/, near_duplicates/, ...")
    ],
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="parquet or jsonl.")
    ] = "parquet",
    input_format: Annotated[
        str, typer.Option(help="auto (from the name), jsonl, parquet or warc.")
    ] = "auto",
    partitions: Annotated[
        int | None, typer.Option(min=1, help="Repartition the input into this many partitions.")
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Near-duplicate Jaccard threshold (default 0.8)."),
    ] = None,
    site_templates: Annotated[
        bool, typer.Option(help="Remove blocks recurring on many pages of one site.")
    ] = True,
) -> None:
    """Scan pages on Apache Spark (run it with spark-submit); needs the `spark` extra."""
    if output_format not in ("parquet", "jsonl"):
        raise _fail(f"--format must be parquet or jsonl, not {output_format!r}", 2)
    if input_format not in ("auto", "jsonl", "parquet", "warc"):
        raise _fail(f"--input-format must be auto, jsonl, parquet or warc, not {input_format!r}", 2)
    from typing import cast

    try:
        from dupdetect.spark.io import InputFormat, OutputFormat, spark_scan
    except ImportError:
        raise _fail("spark-scan needs pyspark: pip install 'dupdetect[spark]'", 2) from None
    try:
        counts = spark_scan(
            input_path,
            output,
            _config(threshold, None),
            input_format=cast(InputFormat, input_format),
            output_format=cast(OutputFormat, output_format),
            partitions=partitions,
            site_templates=site_templates,
        )
    except DupdetectError as error:
        raise _fail(str(error), EXIT_NOTHING_SCANNED) from None
    typer.echo(", ".join(f"{name}: {count:,}" for name, count in counts.items()) + f" -> {output}")
    if counts["pages"] == 0:
        raise _fail("no input could be scanned", EXIT_NOTHING_SCANNED)
