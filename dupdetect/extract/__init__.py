"""Extract stage: main text of a page, with every removed piece and the reason it went.

`extract()` dispatches on `RawPage.content_type`; `extract_html` and `extract_text` are the
two extractors; `SiteTemplates` removes blocks that recur across many pages of one site.

Removal reasons (a small, fixed vocabulary so reports can group them):

- structure (HTML): navigation, header, footer, sidebar, comments, hidden, boilerplate
  (link lists, low-density debris, short lines after the last paragraph), byline (author
  boxes), title (the headline, kept in `Extraction.title`);
- promos (HTML and text): promo, related, newsletter, share, cookie, advertisement, embed,
  keywords, separator, copyright, comments, byline (dates and "5 min read" lines),
  interface (a line that is only a button, shop control, counter or form label: "Add to
  cart", "Load more", "3 likes"), credit (picture credits), boilerplate (browser notices such
  as "enable JavaScript");
- across pages: site-template.

Empty results: a page whose markup holds no text at all (all script and style, say) raises
`InputError("no main text ...")`, so the scan reports it instead of scoring an empty page.
"""

from __future__ import annotations

from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.decode import decode, inflate, is_gzip
from dupdetect.errors import InputError
from dupdetect.extract.html import extract_html
from dupdetect.extract.templates import SiteTemplates
from dupdetect.extract.text import extract_text
from dupdetect.model import Extraction, RawPage

__all__ = ["SiteTemplates", "extract", "extract_html", "extract_text"]


def extract(page: RawPage, config: Config = DEFAULT_CONFIG) -> Extraction:
    """Main text of `page`; raises `InputError` with a one-line reason when there is none."""
    if page.content_type not in {"html", "text"}:
        raise InputError(f"unsupported content type {page.content_type!r}")
    if len(page.content) > config.max_bytes:
        raise InputError(f"input larger than {config.max_bytes:,} bytes")
    content = page.content
    if isinstance(content, bytes) and is_gzip(content):
        content = inflate(content, config.max_bytes)  # the limit holds for what is parsed
    if page.content_type == "html":
        return extract_html(content, page.source, config=config)
    text = content if isinstance(content, str) else decode(content)
    return extract_text(text, page.source, config)
