"""Bytes to text: BOMs, declarations that lie, gzip, UTF-16 without BOM, binary refusal."""

from __future__ import annotations

import gzip
import random

import pytest

from dupdetect.decode import decode, decode_to_utf8
from dupdetect.errors import InputError

PHRASE = "Zürich café, naïve façade — “quoted” text"


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_mark_decides_the_codec(codec: str) -> None:
    assert decode(PHRASE.encode(codec)) == PHRASE


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_encodings_without_bom_are_recognised(codec: str) -> None:
    html = f"<html><body><p>{PHRASE}</p></body></html>"
    assert decode(html.encode(codec)) == html


def test_meta_charset_is_used_when_it_decodes_cleanly() -> None:
    html = '<meta charset="windows-1251"><p>Привет, мир</p>'
    assert decode(html.encode("cp1251")) == html


def test_http_declaration_argument_is_used() -> None:
    text = "<p>Привет, мир</p>"
    assert decode(text.encode("koi8-r"), "text/html; charset=KOI8-R") == text


def test_latin1_bytes_under_a_wrong_utf8_declaration_are_recovered() -> None:
    html = '<meta charset="utf-8"><p>café naïve façade</p>'
    assert decode(html.encode("latin-1")) == html


def test_utf8_bytes_under_a_wrong_latin1_declaration_are_not_mojibake() -> None:
    html = '<meta charset="iso-8859-1"><p>Zürich “quoted”</p>'
    assert decode(html.encode("utf-8")) == html


def test_latin1_label_means_windows_1252_as_in_browsers() -> None:
    html = '<meta charset="iso-8859-1"><p>\u201cquoted\u201d</p>'
    assert decode(html.encode("cp1252")) == html


def test_gzip_bytes_are_inflated() -> None:
    html = f"<p>{PHRASE}</p>"
    assert decode(gzip.compress(html.encode("utf-8"))) == html


def test_gzip_cut_before_any_data_is_an_input_error() -> None:
    with pytest.raises(InputError, match="gzip"):
        decode(gzip.compress(b"<p>hello</p>")[:10])


def test_gzip_cut_midway_keeps_the_text_before_the_cut() -> None:
    html = "".join(f"<p>paragraph {i} about the harbour wall</p>" for i in range(400))
    packed = gzip.compress(html.encode())
    text = decode(packed[: len(packed) // 2])
    assert text.startswith("<p>paragraph 0 about") and len(text) < len(html)


def test_invalid_utf8_never_raises_and_keeps_the_valid_text() -> None:
    text = decode(b"<p>valid words \xff\xfe then more words</p>")
    assert "valid words" in text and "then more words" in text


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7 binary", b"\x89PNG\r\n\x1a\n....", bytes(range(256)) * 4],
)
def test_binary_content_is_refused_with_a_reason(data: bytes) -> None:
    with pytest.raises(InputError, match="binary"):
        decode(data)


def test_random_bytes_raise_only_input_error() -> None:
    generator = random.Random(7)
    for _ in range(50):
        data = bytes(generator.randrange(256) for _ in range(generator.randrange(1, 3000)))
        try:
            assert isinstance(decode(data), str)
        except InputError as error:
            assert "\n" not in str(error)


def test_empty_bytes_decode_to_empty_text() -> None:
    assert decode(b"") == ""


@pytest.mark.parametrize(
    "data",
    [
        f'<meta charset="iso-8859-1"><p>{PHRASE}</p>'.encode(),
        f'<meta charset="windows-1251"><p>{PHRASE}</p>'.encode("cp1251", errors="replace"),
        PHRASE.encode("utf-16"),
        PHRASE.encode("utf-8-sig"),
        gzip.compress(PHRASE.encode()),
        b"plain ascii <p>page</p>",
        b"",
    ],
)
def test_decode_to_utf8_is_the_utf8_of_what_decode_reads(data: bytes) -> None:
    assert decode_to_utf8(data) == decode(data).encode("utf-8")


def test_decode_to_utf8_hands_back_utf8_bytes_unchanged() -> None:
    data = f"<p>{PHRASE}</p>".encode()
    assert decode_to_utf8(data) is data


def test_decode_to_utf8_refuses_binary_like_decode() -> None:
    with pytest.raises(InputError, match="binary"):
        decode_to_utf8(b"%PDF-1.7 \xc3\xa9 binary")


def test_text_thick_with_control_characters_is_refused_as_binary() -> None:
    """One control character in ten (a binary file that is valid UTF-8) is refused by both
    entry points; a few stray ones in a long page (a pasted \\x01 or escape) are kept."""
    page = f"<p>{PHRASE}</p>" * 40
    stray = page[:500] + "\x01\x1b" + page[500:]
    assert decode(stray.encode("utf-8")) == stray
    assert decode_to_utf8(stray.encode("utf-8")) == stray.encode("utf-8")
    thick = "".join(char + ("\x02" if index % 10 == 0 else "") for index, char in enumerate(page))
    for decoder in (decode, decode_to_utf8):
        with pytest.raises(InputError, match="control characters"):
            decoder(thick.encode("utf-8"))
