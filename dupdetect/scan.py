"""Batch scans: pages streamed through worker processes, matched in one place, in input order.

A crawler's `Detector.check()` can only point a page at pages seen before it. A batch scan sees
the whole set, so it also writes each match onto the earlier page (the source of a copy learns
who copied it), learns site templates from every page before removing them, and groups
passages shared by many pages into clusters.

How a scan runs, and why:

* Every stage that looks at one page alone (read, extract, segment, sign, repeats, filler) runs
  in `jobs` worker processes, a chunk of pages at a time. Looking a page up in the index and
  adding it needs the one index, so it runs in the parent, page by page *in input order*;
  verifying the candidates a lookup found needs only their records, so it goes back to the
  workers (in a large scan it costs more than the lookup). The parent keeps only a bounded
  window of chunks in flight, so memory does not grow with the input, and the output is the
  same whatever `jobs` is. `jobs=1` runs everything in this process (no pool: easy to debug).
* Site templates need every page of a site before any page can lose its template blocks. A
  first pass extracts each page once, spills the extraction (compressed) to a temporary file
  and sends the parent only the fingerprints of its blocks; the parent counts, per site, on how
  many distinct pages each block stands, and keeps just the recurring ones: a small set that
  every worker then gets. The second pass reads the spill back, so no page is extracted twice
  and no page's text is held in memory. With `site_templates=False` there is one pass and
  reports come out as soon as their page is matched.
* `ScanStream` yields each page's report as soon as it is matched, linked one way (to earlier
  pages). `scan()` collects them and links both ways; `stream_records()` writes them out at
  once and adds the late links (matches found by later pages) and clusters at the end, keeping
  only the matches, not the pages, in memory.
"""

from __future__ import annotations

import itertools
import multiprocessing
import pickle
import struct
import tempfile
import threading
import zlib
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar, cast

import numpy as np
import xxhash

from dupdetect.clusters import build_clusters
from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.errors import DupdetectError, InputError
from dupdetect.extract.templates import block_fingerprint, without_template_blocks
from dupdetect.index import open_store
from dupdetect.match import Lookup, Matcher, MatchInput, PageMatches, match_input, verify
from dupdetect.model import (
    JSON_VERSION,
    Cluster,
    Extraction,
    FillerScore,
    NearDuplicate,
    PageReport,
    RawPage,
    ScanError,
    SharedPassage,
    Span,
)
from dupdetect.pipeline import analyse, extract_or_error
from dupdetect.readers import DEFAULT_FIELDS, JsonlFields
from dupdetect.sources import discover, iter_page_items, iter_pages, read_file

CHUNK_PAGES = 16
"""Pages per task sent to a worker at most: enough to hide the cost of a round trip, small
enough that results come back steadily."""
CHUNK_INPUT_BYTES = 1 << 18
"""Input bytes per task at most (a larger page goes alone), for pages still to read and extract.
Web pages run from tens of kilobytes to megabytes, and 16 large ones keep a worker busy for a
second: at the end of a pass the other worker would wait that long."""
CHUNK_SPILL_BYTES = 1 << 15
"""The same bound for extractions read back from the spill (compressed, ~8 KB for a web page's
main text), whose analysis costs in proportion to their text."""
CHUNKS_IN_FLIGHT_PER_JOB = 4
"""Chunks submitted ahead per worker: keeps workers busy while the parent matches, and bounds
memory to `jobs * 4 * 16` pages in flight whatever the input size."""
MIN_POOL_PAGES = 64
"""Below this many pages, starting worker processes costs more than it saves."""

_SPILL_HEADER = struct.Struct("<II")  # payload bytes, block keys
_KEY_PRIME = 0x100000001B3
_MASK64 = (1 << 64) - 1

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")
Item_contra = TypeVar("Item_contra", contravariant=True)
Outcome_co = TypeVar("Outcome_co", covariant=True)


@dataclass(frozen=True)
class ScanResult:
    pages: tuple[PageReport, ...]
    errors: tuple[ScanError, ...] = ()
    clusters: tuple[Cluster, ...] = ()
    skipped: dict[str, int] = field(default_factory=dict)

    def to_dict(self, *, include_text: bool = False) -> dict[str, Any]:
        """The JSON contract (`version` 1)."""
        return {
            "version": JSON_VERSION,
            "summary": summary(len(self.pages), len(self.errors), self.skipped),
            "pages": [page.to_dict(include_text=include_text) for page in self.pages],
            "clusters": [cluster.to_dict() for cluster in self.clusters],
            "errors": [error.to_dict() for error in self.errors],
        }


def summary(pages: int, errors: int, skipped: dict[str, int]) -> dict[str, Any]:
    return {
        "pages": pages,
        "errors": errors,
        "skipped": sum(skipped.values()),
        "skipped_by_type": dict(sorted(skipped.items())),
    }


class ScanProgress(Protocol):
    """Told what a scan is doing, e.g. to draw a progress bar; every call must be cheap."""

    def phase(self, name: str, total: int | None) -> None:
        """A pass starts over `total` pages (None when unknown, as inside archives)."""

    def advance(self) -> None:
        """One more page of the current pass is done."""


def scan(
    paths: Iterable[str],
    config: Config = DEFAULT_CONFIG,
    *,
    index: str = "memory://",
    site_templates: bool = True,
    jobs: int = 1,
    fields: JsonlFields = DEFAULT_FIELDS,
    progress: ScanProgress | None = None,
) -> ScanResult:
    """Scan files, folders, WARC and JSONL files: every page's report, errors, and clusters.

    `jobs` worker processes run the per-page stages (1: all in this process); the result is the
    same for any value. Reports hold their page's text; use `ScanStream` or `stream_records`
    for scans too large to hold.
    """
    stream = ScanStream(
        paths,
        config,
        index=index,
        site_templates=site_templates,
        jobs=jobs,
        fields=fields,
        progress=progress,
    )
    return collect(stream)


def collect(stream: ScanStream) -> ScanResult:
    """Run a scan stream to its end: reports linked both ways, errors, clusters, skipped."""
    reports: list[PageReport] = []
    errors: list[ScanError] = []
    for outcome in stream:
        (errors if isinstance(outcome, ScanError) else reports).append(outcome)
    linked = link_both_ways(reports)
    return ScanResult(
        pages=tuple(linked),
        errors=tuple(errors),
        clusters=build_clusters(linked),
        skipped=dict(stream.skipped),
    )


class ScanStream:
    """Reports (linked to earlier pages only) and errors, in input order, as pages finish.

    Iterate once. Errors come in this order: inputs that could not be found, pages that could
    not be read or extracted, then pages with no text to analyse. `skipped` (non-page files and
    records, by kind) is complete once the iteration is.
    """

    def __init__(
        self,
        paths: Iterable[str],
        config: Config = DEFAULT_CONFIG,
        *,
        index: str = "memory://",
        site_templates: bool = True,
        jobs: int = 1,
        fields: JsonlFields = DEFAULT_FIELDS,
        progress: ScanProgress | None = None,
    ) -> None:
        self.paths = list(paths)
        self.config = config
        self.index = index
        self.site_templates = site_templates
        self.jobs = max(1, jobs)
        self.fields = fields
        self.progress = progress
        self.skipped: Counter[str] = Counter()

    def __iter__(self) -> Iterator[PageReport | ScanError]:
        found = discover(self.paths)
        self.skipped.update(found.skipped)
        yield from found.errors
        page_count = None if found.has_containers else len(found.files)
        pages = iter_page_items(found.files, self.config, fields=self.fields, skipped=self.skipped)
        pages, jobs = _worth_a_pool(pages, self.jobs)
        store = open_store(self.index, self.config)
        try:
            matcher = Matcher(self.config, store)
            if self.site_templates:
                with tempfile.TemporaryFile() as spill:
                    templates, extracted, errors = self._first_pass(pages, jobs, page_count, spill)
                    yield from errors
                    self._phase("scanning", extracted)
                    work = _AnalyseWork(self.config, templates)
                    yield from self._analysed_and_matched(work, _read_spill(spill), jobs, matcher)
            else:
                self._phase("scanning", page_count)
                work = _AnalyseWork(self.config, None)
                yield from self._analysed_and_matched(work, pages, jobs, matcher)
        finally:
            store.close()

    def _first_pass(
        self, pages: Iterator[PageItem], jobs: int, total: int | None, spill: IO[bytes]
    ) -> tuple[KnownTemplates, int, list[ScanError]]:
        """Extract every page once: spill the extractions, learn the site-template blocks."""
        self._phase("extracting", total)
        counter = TemplateCounter(self.config.site_template_min_pages)
        errors: list[ScanError] = []
        extracted = 0
        for outcome in run_chunked(_ExtractWork(self.config), pages, jobs):
            self._advance()
            if isinstance(outcome, ScanError):
                errors.append(outcome)
                continue
            payload, page_key, block_keys = outcome
            counter.observe(page_key, block_keys)
            keys = block_keys.astype("<u8").tobytes()
            spill.write(_SPILL_HEADER.pack(len(payload), len(block_keys)) + payload + keys)
            extracted += 1
        spill.seek(0)
        return counter.recurring(), extracted, errors

    def _analysed_and_matched(
        self,
        work: _AnalyseWork,
        items: Iterable[PageItem | SpilledPage],
        jobs: int,
        matcher: Matcher,
    ) -> Iterator[PageReport | ScanError]:
        """Analysis and verification in the workers, lookups here, reports in input order.

        Pages are looked up (and added to the index) in input order, so each sees exactly the
        pages before it; verifying what a lookup found needs no index, so it goes back to the
        workers, a chunk of pages at a time, while this process looks up the next pages.
        """
        verification = _VerifyWork(self.config)
        # the pool shuts down as soon as this generator is closed (say the index failed),
        # rather than at interpreter exit, where it prints a traceback
        with Workers((work, verification), jobs) as workers:
            waiting: deque[PageReport | ScanError] = deque()
            lookups = self._lookups(workers.run(work, items), matcher, waiting)
            for found in workers.run(verification, lookups):
                while isinstance(waiting[0], ScanError):
                    yield waiting.popleft()
                report = waiting.popleft()
                assert isinstance(report, PageReport)
                yield replace(
                    report,
                    shared=found.shared,
                    near_duplicates=found.near_duplicates,
                    seen_before=found.seen_before,
                )
            yield from waiting

    def _lookups(
        self,
        outcomes: Iterable[AnalysedPage | ScanError],
        matcher: Matcher,
        waiting: deque[PageReport | ScanError],
    ) -> Iterator[Lookup]:
        """Each analysed page looked up and added, in input order, a chunk of pages at a time
        (one search of the index per chunk); its unmatched report (or its error) waits in
        `waiting` for the verification."""
        for chunk in _chunked(outcomes, CHUNK_PAGES):
            analysed = []
            for outcome in chunk:
                self._advance()
                if isinstance(outcome, ScanError):
                    waiting.append(outcome)
                    continue
                waiting.append(outcome.report)
                analysed.append(outcome.matching)
            yield from matcher.lookup_and_add_many(analysed)

    def _phase(self, name: str, total: int | None) -> None:
        if self.progress is not None:
            self.progress.phase(name, total)

    def _advance(self) -> None:
        if self.progress is not None:
            self.progress.advance()


# --- per-page work, in worker processes or in this one -------------------------------------


@dataclass(frozen=True, eq=False)
class AnalysedPage:
    """What a worker sends back for one page: its report before matching, and what matching
    needs (record and band keys, prepared here so the matching process only matches)."""

    report: PageReport
    matching: MatchInput


class _PageWork(Protocol[Item_contra, Outcome_co]):
    """A picklable description of per-page work (config, templates) applied chunk by chunk."""

    def run(self, chunk: list[Item_contra]) -> list[Outcome_co]: ...


PageItem = RawPage | ScanError | Path
"""A page as the scan feeds it to workers: read (a record of a container), a file for the
worker to read, or the error that stopped it being read."""


def _extracted(item: PageItem, config: Config) -> Extraction | ScanError:
    """Read (a file) and extract (a page); an error passes through."""
    page = read_file(item, config) if isinstance(item, Path) else item
    return page if isinstance(page, ScanError) else extract_or_error(page, config)


@dataclass(frozen=True)
class _ExtractWork:
    """First pass: extraction, compressed for the spill, plus the block keys of its site."""

    config: Config

    def run(self, chunk: list[PageItem]) -> list[tuple[bytes, int, np.ndarray] | ScanError]:
        out: list[tuple[bytes, int, np.ndarray] | ScanError] = []
        for item in chunk:
            extraction = _extracted(item, self.config)
            if isinstance(extraction, ScanError):
                out.append(extraction)
                continue
            payload = zlib.compress(pickle.dumps(extraction, pickle.HIGHEST_PROTOCOL), 1)
            out.append((payload, *block_keys(extraction)))
        return out


@dataclass(frozen=True)
class _AnalyseWork:
    """Second pass: template removal (when templates were learnt), then every per-page stage.

    Takes pages to extract (single pass) or spilled extractions (after the first pass).
    """

    config: Config
    templates: KnownTemplates | None

    def run(self, chunk: list[PageItem | SpilledPage]) -> list[AnalysedPage | ScanError]:
        return [self._one(item) for item in chunk]

    def _one(self, item: PageItem | SpilledPage) -> AnalysedPage | ScanError:
        if isinstance(item, SpilledPage):
            extraction = item.extraction()
            if self.templates is not None:
                extraction = self.templates.apply(extraction, item.block_keys)
        else:
            extraction = _extracted(item, self.config)
        if isinstance(extraction, ScanError):
            return extraction
        try:
            analysis = analyse(extraction, self.config)
        except DupdetectError as error:
            return ScanError(extraction.source, str(error))
        matching = match_input(
            analysis.source, analysis.segmentation, analysis.signatures, self.config
        )
        return AnalysedPage(analysis.report(), matching)


@dataclass(frozen=True)
class _VerifyWork:
    """Verification of looked-up pages (`match.verify`): needs no index, so runs in workers."""

    config: Config

    def run(self, chunk: list[Lookup]) -> list[PageMatches]:
        return [verify(lookup, self.config) for lookup in chunk]


_worker_works: tuple[_PageWork[Any, Any], ...] = ()


def _start_worker(works: tuple[_PageWork[Any, Any], ...]) -> None:
    """Pool initializer: the works (config, template set) are sent once per worker, not with
    every chunk."""
    global _worker_works
    _worker_works = works


def _run_in_worker(work_index: int, chunk: list[Any]) -> list[Any]:
    assert _worker_works, "worker started without _start_worker"
    return _worker_works[work_index].run(chunk)


class Workers:
    """`jobs` worker processes that know a fixed set of works, or this process when `jobs` is 1.

    Several works share one pool, so a scan's stages (analysis, then verification after the
    lookup here) keep the same processes busy. The processes start in a thread while this
    process works through the first chunks itself: the first pool of a program waits ~0.3 s
    for its forkserver to import dupdetect, a tenth of a scan of 300 web pages.
    """

    def __init__(self, works: tuple[_PageWork[Any, Any], ...], jobs: int) -> None:
        self.works = works
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None
        self._starting: threading.Thread | None = None

    def __enter__(self) -> Workers:
        if self.jobs > 1:
            self._pool = ProcessPoolExecutor(
                self.jobs,
                mp_context=_process_context(),
                initializer=_start_worker,
                initargs=(self.works,),
            )
            self._starting = threading.Thread(target=self._start_processes, daemon=True)
            self._starting.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def _start_processes(self) -> None:
        """Start the pool's processes: the executor starts one per task submitted while none
        is idle, and blocks until it runs."""
        assert self._pool is not None
        try:
            for _ in range(self.jobs):
                self._pool.submit(int)
        except (RuntimeError, OSError):  # a broken or closed pool: the scan's next task says so
            return

    def _still_starting(self) -> bool:
        return self._starting is not None and self._starting.is_alive()

    def run(self, work: _PageWork[Item, Outcome], items: Iterable[Item]) -> Iterator[Outcome]:
        """`work.run` over `items` in chunks, results in input order.

        Only `jobs * CHUNKS_IN_FLIGHT_PER_JOB` chunks are submitted ahead of the consumer, so a
        slow consumer (the matcher) holds the readers back instead of letting results pile up.
        """
        chunks = _work_chunks(items)
        if self._pool is None:
            for chunk in chunks:
                yield from work.run(chunk)
            return
        work_index = self.works.index(work)
        pending: deque[Future[list[Outcome]]] = deque()
        for chunk in chunks:
            if not pending and self._still_starting():
                yield from work.run(chunk)
                continue
            pending.append(self._pool.submit(_run_in_worker, work_index, chunk))
            if len(pending) >= self.jobs * CHUNKS_IN_FLIGHT_PER_JOB:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def run_chunked(
    work: _PageWork[Item, Outcome], items: Iterable[Item], jobs: int
) -> Iterator[Outcome]:
    """`work.run` over `items` in `jobs` processes (see `Workers.run`), results in input order."""
    with Workers((work,), jobs) as workers:
        yield from workers.run(work, items)


def _process_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a server process that has imported dupdetect once ("forkserver"):
    they start in milliseconds, unlike spawned ones (a second of imports each, twice per scan),
    and unlike plain fork they never inherit the parent's threads or locks. Where there is no
    forkserver (Windows), spawn. Either way the worker code is spawn-safe."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def _worth_a_pool(pages: Iterator[PageItem], jobs: int) -> tuple[Iterator[PageItem], int]:
    """`jobs`, or 1 when the input turns out to hold fewer than `MIN_POOL_PAGES` pages (found by
    reading that far ahead, since an archive's page count is unknown until read)."""
    if jobs <= 1:
        return pages, 1
    head = list(itertools.islice(pages, MIN_POOL_PAGES))
    return itertools.chain(head, pages), jobs if len(head) == MIN_POOL_PAGES else 1


def _chunked(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Lists of `size` items (the last one shorter)."""
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _work_chunks(items: Iterable[Item]) -> Iterator[list[Item]]:
    """Tasks for the workers: `CHUNK_PAGES` pages, fewer where they are large (see
    `CHUNK_INPUT_BYTES`), so that tasks cost about the same."""
    chunk: list[Item] = []
    budget = 0.0
    for item in items:
        chunk.append(item)
        budget += _share_of_chunk(item)
        if len(chunk) == CHUNK_PAGES or budget >= 1:
            yield chunk
            chunk, budget = [], 0.0
    if chunk:
        yield chunk


def _share_of_chunk(item: object) -> float:
    """The share of a task's byte budget that an item takes (0 for items of no known size)."""
    if isinstance(item, SpilledPage):
        return len(item.payload) / CHUNK_SPILL_BYTES
    if isinstance(item, RawPage):
        return len(item.content) / CHUNK_INPUT_BYTES
    if isinstance(item, Path):
        try:
            return item.stat().st_size / CHUNK_INPUT_BYTES
        except OSError:
            return 0.0  # the worker reports why it cannot read it
    return 0.0


@dataclass(frozen=True, eq=False)
class SpilledPage:
    """A page's extraction as the first pass spilled it, with the keys of its blocks."""

    payload: bytes  # the pickled extraction, compressed
    block_keys: np.ndarray  # the key of each of its blocks, in order (see `block_keys`)

    def extraction(self) -> Extraction:
        return cast(Extraction, pickle.loads(zlib.decompress(self.payload)))


def _read_spill(spill: IO[bytes]) -> Iterator[SpilledPage]:
    while header := spill.read(_SPILL_HEADER.size):
        length, key_count = _SPILL_HEADER.unpack(header)
        payload = spill.read(length)
        keys = np.frombuffer(spill.read(8 * key_count), dtype="<u8").astype(np.uint64)
        yield SpilledPage(payload, keys)


# --- site templates without holding pages ---------------------------------------------------


def block_keys(extraction: Extraction) -> tuple[int, np.ndarray]:
    """The page's identity on its site (site + text hash), and the key of each of its blocks
    on its site, in block order: the second pass finds a page's recurring blocks by these
    keys instead of fingerprinting the blocks again."""
    site = xxhash.xxh64_intdigest(extraction.site.encode("utf-8")) * _KEY_PRIME
    page_key = (site + xxhash.xxh64_intdigest(extraction.text.encode("utf-8"))) & _MASK64
    keys = [(site + block_fingerprint(block.text)) & _MASK64 for block in extraction.blocks]
    return page_key, np.array(keys, dtype=np.uint64)


class TemplateCounter:
    """Counts on how many distinct pages of a site each block stands, in compact arrays.

    Pages with identical text on one site count once (a page crawled twice is no template),
    as in `SiteTemplates.observe`. Keys are kept as numpy arrays (8 bytes per block of a page)
    and counted once at the end, instead of a set of pages per block.
    """

    def __init__(self, min_pages: int) -> None:
        self.min_pages = min_pages
        self._seen_pages: set[int] = set()
        self._keys: list[np.ndarray] = []

    def observe(self, page_key: int, keys: np.ndarray) -> None:
        """Count a page's blocks (`block_keys`), a block standing twice on it once."""
        if page_key not in self._seen_pages:
            self._seen_pages.add(page_key)
            self._keys.append(np.unique(keys))

    def recurring(self) -> KnownTemplates:
        """The keys of the blocks on at least `min_pages` distinct pages of their site."""
        if not self._keys:
            return KnownTemplates(frozenset())
        keys, counts = np.unique(np.concatenate(self._keys), return_counts=True)
        return KnownTemplates(frozenset(keys[counts >= self.min_pages].tolist()))


@dataclass(frozen=True)
class KnownTemplates:
    """`SiteTemplates.apply` with the recurring blocks learnt elsewhere (`TemplateCounter`, from
    pages a worker may never have seen), found on a page by its blocks' keys."""

    keys: frozenset[int]

    def apply(self, extraction: Extraction, block_keys: np.ndarray) -> Extraction:
        """`extraction` without its template blocks; `block_keys` are its blocks' keys."""
        recurring = [index for index, key in enumerate(block_keys.tolist()) if key in self.keys]
        return without_template_blocks(extraction, recurring)


# --- linking both ways, and streamed output ------------------------------------------------


def link_both_ways(reports: list[PageReport]) -> list[PageReport]:
    """Copy each match found on a later page onto the earlier page it points at."""
    back = BackLinks()
    for report in reports:
        back.observe(report)
    return [back.linked(report) for report in reports]


class BackLinks:
    """The matches each page receives from later pages: a copy's source learns who copied it.

    Holds only matches (small spans), never pages, so a stream of any length can be linked.
    """

    def __init__(self) -> None:
        self.shared: dict[str, list[SharedPassage]] = defaultdict(list)
        self.near: dict[str, list[NearDuplicate]] = defaultdict(list)

    def observe(self, report: PageReport) -> None:
        for passage in report.shared:
            self.shared[passage.other].append(
                SharedPassage(report.source, passage.similarity, passage.there, passage.here)
            )
        for duplicate in report.near_duplicates:
            self.near[duplicate.other].append(NearDuplicate(report.source, duplicate.similarity))

    def targets(self) -> list[str]:
        """Pages that received a match from a later page, in first-match order."""
        return list(dict.fromkeys([*self.shared, *self.near]))

    def linked(self, report: PageReport) -> PageReport:
        return replace(
            report,
            shared=tuple(sorted(report.shared + tuple(self.shared[report.source]), key=_by_start)),
            near_duplicates=tuple(
                sorted(
                    report.near_duplicates + tuple(self.near[report.source]),
                    key=lambda d: -d.similarity,
                )
            ),
        )


def stream_records(
    outcomes: Iterable[PageReport | ScanError], skipped: Counter[str], *, clusters: bool = True
) -> Iterator[dict[str, Any]]:
    """The scan as JSONL records, each page written as soon as it is matched.

    Order: `page` and `error` records as pages finish (a page's `shared` and `near_duplicates`
    point at earlier pages only); then one `link` record per page that later pages matched,
    with those matches seen from its side; then `cluster` records; then one `summary`.
    Memory holds the matches, not the pages. `skipped` is read at the end, so the live counter
    of a `ScanStream` can be passed.
    """
    back = BackLinks()
    matched: list[PageReport] = []
    pages = errors = 0
    for outcome in outcomes:
        if isinstance(outcome, ScanError):
            errors += 1
            yield {"kind": "error", **outcome.to_dict()}
            continue
        pages += 1
        back.observe(outcome)
        if outcome.shared or outcome.near_duplicates:
            matched.append(_without_text(outcome))
        yield {"kind": "page", **outcome.to_dict()}
    for target in back.targets():
        yield {
            "kind": "link",
            "source": target,
            "shared": [passage.to_dict() for passage in back.shared[target]],
            "near_duplicates": [duplicate.to_dict() for duplicate in back.near[target]],
        }
    if clusters:
        for cluster in _clusters_of(matched, back):
            yield {"kind": "cluster", **cluster.to_dict()}
    yield {"kind": "summary", **summary(pages, errors, dict(skipped))}


_NO_FILLER = FillerScore(0.0, 0.0)


def _without_text(report: PageReport) -> PageReport:
    return replace(report, text="", removed=(), repeats=(), filler=_NO_FILLER)


def _clusters_of(matched: list[PageReport], back: BackLinks) -> tuple[Cluster, ...]:
    """Clusters from the pages that took part in a match, linked both ways, in input order.

    Clustering merges overlapping spans of a page and cuts the merged text from the page's
    text; the pages are gone, so each gets a sparse text holding just its spans' characters,
    which is all a merged span of overlapping spans covers.
    """
    known = {report.source for report in matched}
    targets_only = [
        PageReport(source=source, text="", words=0, filler=_NO_FILLER)
        for source in back.targets()
        if source not in known
    ]
    linked = [back.linked(report) for report in targets_only + matched]
    return build_clusters(
        [replace(report, text=sparse_text([s.here for s in report.shared])) for report in linked]
    )


def sparse_text(spans: Iterable[Span]) -> str:
    """A string that agrees with a page's text inside `spans` (spaces elsewhere)."""
    characters: list[str] = []
    for span in sorted(spans, key=lambda s: s.start):
        if span.end > len(characters):
            characters.extend(" " * (span.end - len(characters)))
        characters[span.start : span.end] = span.text
    return "".join(characters)


def _by_start(passage: SharedPassage) -> tuple[int, str]:
    return passage.here.start, passage.other


# --- extract and compare ----------------------------------------------------------------------


def extract_files(
    paths: Iterable[str],
    config: Config = DEFAULT_CONFIG,
    *,
    fields: JsonlFields = DEFAULT_FIELDS,
) -> list[Extraction | ScanError]:
    """Extracted main text of every input, exactly as `scan` sees it (site templates removed).

    Extractions first, in input order, then the errors.
    """
    found = discover(paths)
    counter = TemplateCounter(config.site_template_min_pages)
    errors: list[ScanError] = list(found.errors)
    extractions: list[tuple[Extraction, np.ndarray]] = []
    for page in iter_pages(found.files, config, fields=fields):
        outcome = page if isinstance(page, ScanError) else extract_or_error(page, config)
        if isinstance(outcome, ScanError):
            errors.append(outcome)
            continue
        page_key, keys = block_keys(outcome)
        counter.observe(page_key, keys)
        extractions.append((outcome, keys))
    templates = counter.recurring()
    return [templates.apply(extraction, keys) for extraction, keys in extractions] + errors


@dataclass(frozen=True)
class Comparison:
    """Two pages side by side: whole-page similarity, and passages of `second` found in `first`."""

    first: str
    second: str
    similarity: float
    shared: tuple[SharedPassage, ...]


def compare_files(first: str, second: str, config: Config = DEFAULT_CONFIG) -> Comparison:
    """Compare two files directly, whatever their similarity (no site-template removal)."""
    analyses = []
    for path in (first, second):
        page = read_file(Path(path), config)
        extraction = page if isinstance(page, ScanError) else extract_or_error(page, config)
        if isinstance(extraction, ScanError):
            raise InputError(f"{extraction.source}: {extraction.error}")
        analyses.append(analyse(extraction, config))
    store = open_store("memory://", config)
    try:
        matcher = Matcher(config, store)
        matcher.check_and_add(analyses[0].source, analyses[0].segmentation, analyses[0].signatures)
        found = matcher.check_and_add(
            analyses[1].source, analyses[1].segmentation, analyses[1].signatures
        )
    finally:
        store.close()
    similarity = shingle_jaccard(analyses[0].signatures.shingles, analyses[1].signatures.shingles)
    return Comparison(analyses[0].source, analyses[1].source, similarity, found.shared)


def shingle_jaccard(first: np.ndarray, second: np.ndarray) -> float:
    """Exact Jaccard similarity of two pages' shingle-hash sets."""
    a, b = np.unique(first), np.unique(second)
    union = len(np.union1d(a, b))
    return len(np.intersect1d(a, b, assume_unique=True)) / union if union else 0.0
