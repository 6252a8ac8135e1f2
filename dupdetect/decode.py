"""Turn the bytes of a page into text without crashing and without mojibake.

Why a module of its own: pages arrive from disk, WARC records and crawlers with every
encoding accident the web has: byte-order marks, `<meta charset>` tags that lie, HTTP
`Content-Type` headers that disagree with the body, gzip bodies saved without being inflated,
and files that are not text at all. Every later stage assumes clean `str`, so this is the one
place that decides how bytes become text.

Order of trust, most reliable first:

1. gzip magic (1f 8b): inflate, bounded, then start again on the inflated bytes.
2. A byte-order mark (UTF-32, UTF-8, UTF-16): it cannot be there by accident.
3. UTF-16/32 without a BOM, recognised from the pattern of NUL bytes in ASCII-range text.
4. Non-ASCII bytes that are valid UTF-8: Latin-1 text is practically
   never valid UTF-8, so a declaration that says otherwise is wrong.
5. The declared charsets (HTTP-style declaration passed in, then `<meta>` / XML declaration),
   each accepted only if it decodes the bytes cleanly.
6. charset-normalizer's guess, then cp1252 which decodes any byte: text is recovered with at
   worst a few wrong accents, never an exception.

Binary input (NUL bytes that are not UTF-16/32, known file signatures, mostly control
characters) raises `InputError` with a one-line reason.
"""

from __future__ import annotations

import codecs
import re
import zlib

from dupdetect.errors import InputError

MAX_INFLATED_BYTES = 50_000_000
"""Largest gzip output accepted: a 10 MB page limit with room for HTML's high compression
ratio, while a gzip bomb still stops here instead of filling memory."""

_SNIFF_BYTES = 4096
"""Where `<meta charset>` must appear by the HTML standard (the first 1024 bytes), generously."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x7fELF", "executable"),
    (b"RIFF", "RIFF media"),
)

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_DECLARED_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)

# WHATWG: browsers decode these labels as windows-1252, and pages rely on it (curly quotes).
_WINDOWS_1252_LABELS = frozenset({"latin-1", "iso8859-1", "ascii", "cp1252"})

_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
"""Control characters that text does not hold (tab, newlines and form feed excepted)."""
_BINARY_SAMPLE_CHARS = 20_000
"""Binary files show themselves within the first few kilobytes; scanning more costs time."""
MAX_CONTROL_SHARE = 0.05
"""Text has almost no control characters; more than 5% means a binary file slipped through."""
MAX_REPLACEMENT_SHARE = 0.10
"""A guess that leaves more than 10% U+FFFD recovered nothing readable."""


def decode(data: bytes | bytearray, declared: str | None = None) -> str:
    """Text of `data`. `declared` is an HTTP-style `Content-Type` value or a bare charset name.

    Raises `InputError` for binary or corrupt input; returns "" for empty input (callers
    decide whether empty is an error).
    """
    data = bytes(data)
    if is_gzip(data):
        data = inflate(data)
    if not data:
        return ""
    text = _decode_by_bom(data) or _decode_wide_without_bom(data)
    if text is None:
        _reject_binary_bytes(data)
        text = _decode_by_declaration_or_guess(data, declared)
    _reject_binary_text(text)
    return text


def decode_to_utf8(data: bytes | bytearray, declared: str | None = None) -> bytes:
    """The text `decode` reads from `data`, as UTF-8 bytes, for parsers that take bytes.

    Why: most pages already are UTF-8, and decoding them only to encode the text again costs
    a copy of the page each way. Bytes that `decode` would read as UTF-8 come back unchanged,
    after the same binary checks; anything else goes through `decode`.
    """
    data = bytes(data)
    if is_gzip(data):
        data = inflate(data)
    if _is_plain_utf8(data):
        return data
    return decode(data, declared).encode("utf-8", errors="replace")


def _is_plain_utf8(data: bytes) -> bool:
    """Non-ASCII, strictly valid UTF-8, no BOM, no NULs: `decode` reads it as UTF-8 whatever
    it declares (step 4), so its bytes are already the answer. Raises `InputError` as
    `decode` would for binary content."""
    if data.isascii() or data.startswith(codecs.BOM_UTF8) or b"\x00" in data[:_SNIFF_BYTES]:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    _reject_binary_bytes(data)
    _reject_binary_text(text)
    return True


def is_gzip(data: bytes | bytearray) -> bool:
    return data[:2] == b"\x1f\x8b"


def inflate(data: bytes, limit: int = MAX_INFLATED_BYTES) -> bytes:
    """Inflate gzip data, refusing output beyond `limit` bytes (gzip bombs, and pages whose
    size limit a compressed body would otherwise slip past)."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as error:
        raise InputError(f"corrupt gzip data: {error}") from None
    if len(out) > limit:
        raise InputError(f"gzip content inflates beyond the {limit:,}-byte limit")
    if not inflater.eof and not out:
        raise InputError("truncated gzip data: nothing could be inflated")
    return out  # a truncated stream still yields the text before the cut


def _decode_by_bom(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    return None


_WIDE_NUL_LANES: tuple[tuple[str, int, tuple[int, ...]], ...] = (
    ("utf-32-le", 4, (1, 2, 3)),
    ("utf-32-be", 4, (0, 1, 2)),
    ("utf-16-le", 2, (1,)),
    ("utf-16-be", 2, (0,)),
)
"""Codec, code-unit width, and the byte lanes that are NUL for ASCII-range characters."""


def _decode_wide_without_bom(data: bytes) -> str | None:
    """UTF-16/32 text without a BOM: ASCII-range characters leave NULs in fixed lanes."""
    sample = data[:_SNIFF_BYTES]
    if b"\x00" not in sample or len(sample) < 4:
        return None
    for codec, width, nul_lanes in _WIDE_NUL_LANES:
        aligned = sample[: len(sample) - len(sample) % width]
        if all(_mostly_nul(aligned[lane::width]) for lane in nul_lanes):
            try:
                return data[: len(data) - len(data) % width].decode(codec)
            except UnicodeDecodeError:
                continue
    return None


def _mostly_nul(lane: bytes) -> bool:
    return bool(lane) and lane.count(0) >= 0.9 * len(lane)


def _reject_binary_bytes(data: bytes) -> None:
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"binary content ({kind}), not text or HTML")
    # most pages hold no NUL at all: finding none is a memchr, far cheaper than counting
    if b"\x00" in data and (b"\x00" in data[:_SNIFF_BYTES] or data.count(0) > len(data) // 100):
        raise InputError("binary content (NUL bytes), not text or HTML")


def _decode_by_declaration_or_guess(data: bytes, declared: str | None) -> str:
    if not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            lenient = data.decode("utf-8", errors="replace")
            if _mostly_valid_utf8(lenient):
                return lenient
    for label in _declared_labels(data, declared):
        codec = _codec_name(label)
        if codec is None:
            continue
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return _guess(data)


MIN_VALID_UTF8_SHARE = 0.5
"""UTF-8 text with a few stray bytes (a truncated character, a pasted Latin-1 word) keeps
UTF-8 when most of its non-ASCII characters decode: reading it all as cp1252 would turn every
accent into mojibake. Latin-1 text almost never holds a valid multi-byte sequence (an accented
capital followed by a symbol byte), so its share is near zero."""


def _mostly_valid_utf8(text: str) -> bool:
    non_ascii = sum(1 for char in text if ord(char) > 0x7F)
    return text.count("\ufffd") <= (1 - MIN_VALID_UTF8_SHARE) * non_ascii


def _declared_labels(data: bytes, declared: str | None) -> list[str]:
    labels: list[str] = []
    if declared:
        match = _DECLARED_CHARSET.search(declared)
        labels.append(match.group(1) if match else declared.strip())
    head = data[:_SNIFF_BYTES]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        match = pattern.search(head)
        if match:
            labels.append(match.group(1).decode("ascii", errors="ignore"))
    return labels


def _codec_name(label: str) -> str | None:
    """Python codec for a charset label; the web's Latin-1 and ASCII labels mean cp1252."""
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    if name in _WINDOWS_1252_LABELS:
        return "cp1252"
    if name in {"utf-16", "utf-32"}:
        return None  # a BOM-less "utf-16" declaration in ASCII bytes is always wrong
    return name


def _guess(data: bytes) -> str:
    """Western text in cp1252 when it reads as such, else charset-normalizer, else cp1252.

    charset-normalizer is weak on short or mostly-ASCII pages (it reads "naïve" in cp1250 as
    "naďve"); most mislabelled pages are Western, and cp1252 text has a tell: its accented
    letters sit inside otherwise-ASCII words rather than forming whole words.
    """
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and _reads_as_western(western):
        return western
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    return western if western is not None else data.decode("cp1252", errors="replace")


_NON_ASCII_IN_NON_ASCII = re.compile(r"(?<=[^\x00-\x7f])[^\x00-\x7f](?=[^\x00-\x7f])")
MAX_NON_ASCII_RUN_SHARE = 0.25
"""Share of non-ASCII characters flanked by non-ASCII on both sides above which a cp1252
reading is taken to be another script's bytes (Cyrillic, Greek, CJK) read wrongly."""


def _reads_as_western(text: str) -> bool:
    non_ascii = sum(1 for char in text if ord(char) > 0x7F)
    if non_ascii == 0:
        return True
    return len(_NON_ASCII_IN_NON_ASCII.findall(text)) <= MAX_NON_ASCII_RUN_SHARE * non_ascii


def _reject_binary_text(text: str) -> None:
    sample = text[:_BINARY_SAMPLE_CHARS]
    if not sample:
        return
    if _control_count(sample) > MAX_CONTROL_SHARE * len(sample):
        raise InputError("binary content (control characters), not text or HTML")
    if sample.count("\ufffd") > MAX_REPLACEMENT_SHARE * len(sample):
        raise InputError("undecodable content: no encoding yields readable text")


def _control_count(text: str) -> int:
    """Control characters in `text`, counted in its UTF-8 bytes: each is one byte there and no
    other character's bytes fall in their range, and deleting bytes in C is twice as fast as a
    regex scan of the text (this runs on every page)."""
    encoded = text.encode("utf-8", errors="surrogatepass")
    return len(encoded) - len(encoded.translate(None, _CONTROL_BYTES))
