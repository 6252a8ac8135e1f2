"""The terminal report: a row a page, then the passages behind the numbers."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from dupdetect.model import PageReport, SharedPassage, Span
from dupdetect.scan import ScanResult

EXCERPT_CHARS = 90


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """One line of at most `limit` characters, whitespace folded."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def removed_summary(page: PageReport) -> str:
    counts = Counter(removal.reason for removal in page.removed)
    return ", ".join(f"{count} {reason}" for reason, count in counts.most_common()) or "-"


def page_table(result: ScanResult) -> Table:
    table = Table(title="dupdetect scan", title_justify="left", show_lines=False)
    table.add_column("page", overflow="fold")
    table.add_column("words", justify="right")
    table.add_column("filler", justify="right")
    table.add_column("repeated", justify="right")
    table.add_column("removed by extraction", overflow="fold")
    table.add_column("closest near-duplicate", overflow="fold")
    for page in result.pages:
        closest = page.closest
        table.add_row(
            Text(page.source),
            str(page.words),
            _score_text(page.filler.score),
            f"{page.repeated_fraction:.0%}",
            Text(removed_summary(page)),
            Text(f"{closest.other} ({closest.similarity:.2f})" if closest else "-"),
        )
    return table


def _score_text(score: float) -> Text:
    style = "bold red" if score >= 0.6 else "yellow" if score >= 0.3 else "green"
    return Text(f"{score:.2f}", style=style)


def _where(span: Span) -> str:
    return f"chars {span.start}-{span.end}"


def passage_lines(result: ScanResult) -> list[Text]:
    """Every within-page repeat and shared passage, each with an excerpt and where it is."""
    lines: list[Text] = []
    for page in result.pages:
        for repeat in page.repeats:
            lines.append(
                Text.assemble(
                    ("repeat ", "magenta"),
                    f"{page.source} {_where(repeat.first)} = {_where(repeat.second)} ",
                    (f"(similarity {repeat.similarity:.2f})\n", "dim"),
                    f"    “{excerpt(repeat.first.text)}”",
                )
            )
        for passage in page.shared:
            if not _first_of_pair(page.source, passage):
                continue
            lines.append(
                Text.assemble(
                    ("shared ", "cyan"),
                    f"{page.source} {_where(passage.here)} ~ ",
                    f"{passage.other} {_where(passage.there)} ",
                    (f"(similarity {passage.similarity:.2f})\n", "dim"),
                    f"    “{excerpt(passage.here.text)}”",
                )
            )
    return lines


def _first_of_pair(source: str, passage: SharedPassage) -> bool:
    """A batch scan lists a shared passage on both pages; the table shows it once."""
    return (source, passage.here.start) <= (passage.other, passage.there.start)


def render_table(result: ScanResult, stream: TextIO, *, width: int | None = None) -> None:
    console = Console(file=stream, width=width, highlight=False, soft_wrap=False)
    console.print(page_table(result))
    lines = passage_lines(result)
    if lines:
        console.print(Text("\nRepeated passages", style="bold"))
        for line in lines:
            console.print(line)
    if result.clusters:
        console.print(Text("\nPassages shared by several pages", style="bold"))
        for cluster in result.clusters:
            sources = sorted({member.source for member in cluster.members})
            first = cluster.members[0].span.text
            console.print(
                f"cluster {cluster.id}: {len(sources)} pages: “{excerpt(first)}”", markup=False
            )
    if result.errors:
        console.print(Text("\nErrors", style="bold red"))
        for error in result.errors:
            console.print(f"{error.source}: {error.error}", markup=False)
    skipped = sum(result.skipped.values())
    if skipped:
        kinds = ", ".join(f"{count} {suffix}" for suffix, count in sorted(result.skipped.items()))
        console.print(f"\nSkipped {skipped} file(s) of other types: {kinds}", markup=False)
