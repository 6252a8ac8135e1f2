// dupdetect HTML report: sortable/filterable page table and on-demand page views.
//
// Page text is untrusted. It only ever reaches the DOM through text nodes (append of a string,
// textContent); attributes are set only to values built here (hashes, numbers, class names).
// Page views are built when asked for, so a report of thousands of pages stays light.
(() => {
  "use strict";

  const DATA = JSON.parse(document.getElementById("report-data").textContent);
  const PAGES = DATA.pages;
  const COMPONENTS = DATA.components;
  const PALETTE_SIZE = 8;
  const MAX_UNDERLINES = 4;
  const SNIPPET_CHARS = 90;
  const SVG_NS = "http://www.w3.org/2000/svg";

  const overview = document.getElementById("overview");
  const pageView = document.getElementById("page-view");
  let overviewScroll = 0;

  // ----- DOM helpers ------------------------------------------------------------------------

  /** Element with a class, attributes and children; strings become text nodes, never markup. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === "class") node.className = value;
      else node.setAttribute(name, String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function svgEl(tag, attributes) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    return node;
  }

  function pageHref(index, range) {
    return range ? `#page=${index}&at=${range.start}-${range.end}` : `#page=${index}`;
  }

  function snippet(text) {
    const flat = text.replace(/\s+/g, " ").trim();
    return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS - 1)}…` : flat;
  }

  function fixed(value) {
    return Number(value).toFixed(2);
  }

  function percent(value) {
    return `${Math.round(Number(value) * 100)}%`;
  }

  function colourClass(component) {
    return `k${component % PALETTE_SIZE}`;
  }

  /** Small horizontal bars, one per filler component (same markup as the server-rendered ones). */
  function componentBars(components) {
    const list = el("ul", { class: "bars" });
    for (const [component, value] of components) {
      const svg = svgEl("svg", { viewBox: "0 0 100 6", preserveAspectRatio: "none", "aria-hidden": "true" });
      svg.append(svgEl("rect", { class: "track", width: 100, height: 6 }));
      const width = Math.max(0, Math.min(1, Number(value))) * 100;
      svg.append(svgEl("rect", { class: `fill-${colourClass(component)}`, width, height: 6 }));
      list.append(el("li", null, COMPONENTS[component], svg, el("span", { class: "value" }, fixed(value))));
    }
    return list;
  }

  // ----- Overview table: sorting and filtering ------------------------------------------------

  function nextSortOrder(current, numeric) {
    if (current === "ascending") return "descending";
    if (current === "descending") return "ascending";
    return numeric ? "descending" : "ascending";
  }

  function sortRows(tbody, column, numeric, order) {
    const direction = order === "ascending" ? 1 : -1;
    const keyed = Array.from(tbody.rows, (row) => {
      const raw = row.cells[column].dataset.value;
      return { row, key: numeric ? Number.parseFloat(raw) : raw };
    });
    keyed.sort((a, b) => {
      if (numeric) return direction * (a.key - b.key);
      return direction * a.key.localeCompare(b.key);
    });
    const fragment = document.createDocumentFragment();
    for (const { row } of keyed) fragment.append(row);
    tbody.append(fragment);
  }

  function setUpSorting(table) {
    const headers = Array.from(table.tHead.rows[0].cells);
    headers.forEach((header, column) => {
      const button = header.querySelector("button");
      const numeric = header.dataset.type === "number";
      button.addEventListener("click", () => {
        const order = nextSortOrder(header.getAttribute("aria-sort"), numeric);
        sortRows(table.tBodies[0], column, numeric, order);
        for (const other of headers) other.setAttribute("aria-sort", "none");
        header.setAttribute("aria-sort", order);
      });
    });
  }

  function setUpFilter(table) {
    const query = document.getElementById("filter-text");
    const minimum = document.getElementById("filter-score");
    const count = document.getElementById("filter-count");
    const rows = Array.from(table.tBodies[0].rows, (row) => {
      const page = PAGES[Number(row.dataset.index)];
      return { row, haystack: `${page.source} ${page.title}`.toLowerCase(), score: page.score };
    });
    const apply = () => {
      const words = query.value.toLowerCase().split(/\s+/).filter(Boolean);
      const threshold = Number.parseFloat(minimum.value) || 0;
      let shown = 0;
      for (const { row, haystack, score } of rows) {
        const visible = score >= threshold && words.every((word) => haystack.includes(word));
        row.hidden = !visible;
        if (visible) shown += 1;
      }
      count.textContent = `${shown} of ${rows.length} pages`;
    };
    query.addEventListener("input", apply);
    minimum.addEventListener("input", apply);
  }

  // ----- Page view: highlights ---------------------------------------------------------------

  /** Every highlight of a page: repeats (both occurrences), shared passages, filler spans. */
  function collectSpans(page, index) {
    const spans = [];
    page.repeats.forEach(([similarity, firstStart, firstEnd, secondStart, secondEnd], i) => {
      const first = { start: firstStart, end: firstEnd };
      const second = { start: secondStart, end: secondEnd };
      spans.push({ kind: "repeat", ...first, similarity, label: `Repeat ${i + 1}, first occurrence`,
        twin: { page: index, ...second, label: "the second occurrence" } });
      spans.push({ kind: "repeat", ...second, similarity, label: `Repeat ${i + 1}, second occurrence`,
        twin: { page: index, ...first, label: "the first occurrence" } });
    });
    for (const [other, otherSource, similarity, hereStart, hereEnd, thereStart, thereEnd] of page.shared) {
      const twin = other >= 0
        ? { page: other, start: thereStart, end: thereEnd, label: "the passage on that page" }
        : null;
      spans.push({ kind: "shared", start: hereStart, end: hereEnd, similarity, label: `Shared with ${otherSource}`, twin });
    }
    for (const [start, end, component, note] of page.filler) {
      spans.push({ kind: "filler", start, end, component, label: `Filler: ${COMPONENTS[component]}`, note });
    }
    return spans.filter((span) => span.end > span.start);
  }

  /** The twin a click follows when several linked spans overlap: the most specific one. */
  function preferredLink(covering) {
    let best = null;
    for (const span of covering) {
      if (span.twin && (!best || span.end - span.start < best.end - best.start)) best = span;
    }
    return best;
  }

  function describeSpan(span) {
    const similarity = span.similarity === undefined ? "" : ` (similarity ${fixed(span.similarity)})`;
    const note = span.note ? ` — ${span.note}` : "";
    return `${span.label}${similarity}${note}`;
  }

  function segmentElement(piece, start, end, covering, segmentIndex, inTarget) {
    const link = preferredLink(covering);
    const node = link
      ? el("a", { href: pageHref(link.twin.page, link.twin) })
      : el("span", { tabindex: "-1" });
    const classes = ["hl"];
    if (covering.some((span) => span.kind === "repeat")) classes.push("repeat");
    if (covering.some((span) => span.kind === "shared")) classes.push("shared");
    if (inTarget) classes.push("target");
    node.className = classes.join(" ");
    node.dataset.start = String(start);
    node.dataset.end = String(end);
    node.dataset.seg = String(segmentIndex);
    if (covering.length) node.title = covering.map(describeSpan).join("\n");

    const components = [...new Set(covering.filter((s) => s.kind === "filler").map((s) => s.component))]
      .sort((a, b) => a - b)
      .slice(0, MAX_UNDERLINES);
    let inner = node;
    components.forEach((component, depth) => {
      const layer = el("span", { class: `u ${colourClass(component)} d${components.length - 1 - depth}` });
      inner.append(layer);
      inner = layer;
    });
    inner.append(piece);
    return node;
  }

  function removalChip(removal, removalIndex) {
    const [at, reason, text] = removal;
    const chip = el("button", { type: "button", class: "removed-chip" }, `✂ ${reason}`);
    chip.dataset.at = String(at);
    chip.dataset.removal = String(removalIndex);
    chip.title = `Removed by extraction (${reason}): ${snippet(text)}`;
    return chip;
  }

  /**
   * The page text split at every span boundary, so overlapping spans render correctly: each
   * piece is covered by a fixed set of spans and gets the classes and link of that set.
   */
  function highlightedText(page, spans, target) {
    const text = page.text;
    const cuts = new Set([0, text.length]);
    for (const span of spans) {
      cuts.add(span.start);
      cuts.add(span.end);
    }
    const removalsAt = new Map();
    page.removed.forEach((removal, i) => {
      cuts.add(removal[0]);
      removalsAt.set(removal[0], [...(removalsAt.get(removal[0]) || []), i]);
    });
    if (target) {
      cuts.add(target.start);
      cuts.add(target.end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const byStart = [...spans].sort((a, b) => a.start - b.start);
    const container = el("div", { class: "page-text" });
    const segments = [];
    let active = [];
    let next = 0;
    points.forEach((start, i) => {
      for (const removalIndex of removalsAt.get(start) || []) {
        container.append(removalChip(page.removed[removalIndex], removalIndex));
      }
      if (i + 1 === points.length) return;
      const end = points[i + 1];
      active = active.filter((span) => span.end > start);
      while (next < byStart.length && byStart[next].start <= start) {
        if (byStart[next].end > start) active.push(byStart[next]);
        next += 1;
      }
      const piece = text.slice(start, end);
      const inTarget = Boolean(target) && start >= target.start && end <= target.end;
      if (!active.length && !inTarget) {
        container.append(piece);
        return;
      }
      container.append(segmentElement(piece, start, end, active, segments.length, inTarget));
      segments.push([...active]);
    });
    return { container, segments };
  }

  // ----- Page view: panels ------------------------------------------------------------------

  function passageLink(index, range, text) {
    return el("a", { href: pageHref(index, range) }, el("q", null, snippet(text)));
  }

  function showSpanDetails(details, covering, page) {
    const list = el("ul");
    for (const span of covering) {
      const item = el("li", null, describeSpan(span));
      item.append(el("br"), el("q", null, snippet(page.text.slice(span.start, span.end))));
      if (span.twin) {
        item.append(el("br"), el("a", { href: pageHref(span.twin.page, span.twin) }, `Go to ${span.twin.label} →`));
      } else if (span.kind === "shared") {
        item.append(el("br"), "That page is not part of this scan.");
      }
      list.append(item);
    }
    details.replaceChildren(el("h3", null, "At this point"), covering.length ? list : el("p", { class: "empty" }, "Nothing marked here."));
  }

  function showRemovalDetails(details, removal) {
    const [, reason, text] = removal;
    details.replaceChildren(
      el("h3", null, "Removed by extraction"),
      el("p", null, el("span", { class: "reason" }, reason)),
      el("p", { class: "removed-text" }, text),
    );
  }

  function legend(page) {
    const items = [
      el("li", null, el("span", { class: "swatch repeat" }), "repeated within this page"),
      el("li", null, el("span", { class: "swatch shared" }), "shared with another page"),
      el("li", null, el("span", { class: "swatch both" }), "both"),
    ];
    for (const [component] of page.components) {
      items.push(el("li", null, el("span", { class: `swatch filler ${colourClass(component)}` }), `filler: ${COMPONENTS[component]}`));
    }
    items.push(el("li", null, el("span", { class: "swatch removed" }), "removed by extraction"));
    return el("ul", { class: "legend", "aria-label": "Highlight colours" }, ...items);
  }

  function pageHeader(page) {
    const stats = el("ul", { class: "stats" },
      el("li", null, "Words ", el("strong", null, String(page.words))),
      el("li", null, "Filler score ", el("strong", null, fixed(page.score))),
      el("li", null, "Filler share of text ", el("strong", null, percent(page.fraction))),
      el("li", null, "Repeated or shared ", el("strong", null, percent(page.repeated))),
    );
    if (page.seen_before) stats.append(el("li", null, el("span", { class: "tag" }, "seen in an earlier scan")));
    return el("section", { class: "panel page-head" },
      el("h2", { tabindex: "-1" }, page.title || page.source),
      el("p", { class: "source" }, page.source),
      stats,
      page.components.length ? componentBars(page.components) : null,
      legend(page),
    );
  }

  function findingsPanel(title, items, emptyText) {
    const body = items.length ? el("ul", { class: "findings" }, ...items) : el("p", { class: "empty" }, emptyText);
    return el("section", { class: "panel" }, el("h2", null, title), body);
  }

  function repeatItems(page, index) {
    return page.repeats.map(([similarity, firstStart, firstEnd, secondStart, secondEnd], i) => el("li", null,
      `Repeat ${i + 1} · similarity `, el("span", { class: "sim" }, fixed(similarity)), el("br"),
      "First: ", passageLink(index, { start: firstStart, end: firstEnd }, page.text.slice(firstStart, firstEnd)), el("br"),
      "Again: ", passageLink(index, { start: secondStart, end: secondEnd }, page.text.slice(secondStart, secondEnd)),
    ));
  }

  function sharedItems(page, index) {
    return page.shared.map(([other, otherSource, similarity, hereStart, hereEnd, thereStart, thereEnd]) => {
      const otherName = other >= 0 ? el("a", { href: pageHref(other) }, otherSource) : otherSource;
      const item = el("li", null, "With ", otherName, " · similarity ", el("span", { class: "sim" }, fixed(similarity)), el("br"),
        "Here: ", passageLink(index, { start: hereStart, end: hereEnd }, page.text.slice(hereStart, hereEnd)));
      if (other >= 0) {
        const there = { start: thereStart, end: thereEnd };
        item.append(el("br"), "There: ", passageLink(other, there, PAGES[other].text.slice(thereStart, thereEnd)));
      }
      return item;
    });
  }

  function nearDuplicateItems(page) {
    return page.near.map(([other, otherSource, similarity]) => el("li", null,
      el("span", { class: "sim" }, fixed(similarity)), " ",
      other >= 0 ? el("a", { href: pageHref(other) }, otherSource) : otherSource,
    ));
  }

  function removedItems(page, index) {
    return page.removed.map(([at, reason, text]) => el("li", null,
      el("span", { class: "reason" }, reason),
      el("a", { href: pageHref(index, { start: at, end: at }) }, "show where"),
      el("div", { class: "removed-text" }, text),
    ));
  }

  function buildPageView(index, target) {
    const page = PAGES[index];
    const spans = collectSpans(page, index);
    const { container, segments } = highlightedText(page, spans, target);
    const details = el("aside", { class: "panel details", "aria-live": "polite" },
      el("h3", null, "At this point"),
      el("p", { class: "hint" }, "Click a highlight to see why it is marked; linked highlights jump to their twin."));
    container.addEventListener("click", (event) => {
      const chip = event.target.closest(".removed-chip");
      if (chip) {
        showRemovalDetails(details, page.removed[Number(chip.dataset.removal)]);
        return;
      }
      const segment = event.target.closest("[data-seg]");
      if (segment) showSpanDetails(details, segments[Number(segment.dataset.seg)], page);
    });
    const article = el("article", { class: "panel" }, page.text ? container : el("p", { class: "empty" }, "No text was extracted from this page."));
    const view = document.createDocumentFragment();
    view.append(
      el("a", { href: "#", class: "back" }, "← All pages"),
      pageHeader(page),
      el("div", { class: "reader" }, article, details),
      findingsPanel("Repeated within this page", repeatItems(page, index), "No repeated passages."),
      findingsPanel("Shared with other pages", sharedItems(page, index), "No passage shared with another page."),
      findingsPanel("Near-duplicate pages", nearDuplicateItems(page), "No near-duplicate page."),
      findingsPanel("Removed by extraction", removedItems(page, index), "Nothing was removed."),
    );
    return { view, segments, details, page };
  }

  function focusTarget(built, target) {
    if (target.start === target.end) {
      const chip = pageView.querySelector(`.removed-chip[data-at="${target.start}"]`);
      if (chip) {
        chip.focus({ preventScroll: true });
        chip.scrollIntoView({ block: "center" });
        showRemovalDetails(built.details, built.page.removed[Number(chip.dataset.removal)]);
      }
      return;
    }
    const node = pageView.querySelector(`.page-text [data-start="${target.start}"]`);
    if (!node) return;
    node.focus({ preventScroll: true });
    node.scrollIntoView({ block: "center" });
    showSpanDetails(built.details, built.segments[Number(node.dataset.seg)], built.page);
  }

  // ----- Routing ----------------------------------------------------------------------------

  function parseRange(value, length) {
    const match = /^(\d+)-(\d+)$/.exec(value || "");
    if (!match) return null;
    const start = Math.min(Number(match[1]), length);
    const end = Math.min(Math.max(Number(match[2]), start), length);
    return { start, end };
  }

  function showOverview() {
    if (!overview.hidden) return;
    pageView.hidden = true;
    pageView.replaceChildren();
    overview.hidden = false;
    window.scrollTo(0, overviewScroll);
  }

  function showPage(index, target) {
    if (!overview.hidden) overviewScroll = window.scrollY;
    const built = buildPageView(index, target);
    pageView.replaceChildren(built.view);
    overview.hidden = true;
    pageView.hidden = false;
    if (target) {
      focusTarget(built, target);
    } else {
      window.scrollTo(0, 0);
      pageView.querySelector(".page-head h2").focus({ preventScroll: true });
    }
  }

  function route() {
    const params = new URLSearchParams(window.location.hash.slice(1));
    const index = Number.parseInt(params.get("page") || "", 10);
    if (!Number.isInteger(index) || !PAGES[index]) {
      showOverview();
      return;
    }
    showPage(index, parseRange(params.get("at"), PAGES[index].text.length));
  }

  const table = document.getElementById("pages-table");
  if (table) {
    setUpSorting(table);
    setUpFilter(table);
  }
  window.addEventListener("hashchange", route);
  route();
})();
