"""The memory index store and the page record encoding every store relies on."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from dupdetect.config import Config
from dupdetect.errors import IndexStoreError
from dupdetect.index import (
    EncodedRecord,
    EncodedRecordStore,
    IndexStore,
    PageRecord,
    check_settings,
    decoded,
    open_store,
    page_lsh_shape,
    store_settings,
)
from dupdetect.segment import segment
from dupdetect.sign import HASH_SCHEME, sign

TEXT = (
    "Ferry crossings resumed on Monday after a week of storms.\n\n"
    "The operator said the first sailing left at 6.40 with 212 passengers, and that “every "
    "timetabled crossing” would run until Sunday. Naïve café owners on the quay — or so they "
    "call themselves — reported their busiest morning since June."
)


def record(source: str = "ferry", text: str = TEXT) -> PageRecord:
    seg = segment(text)
    return PageRecord.from_page(source, seg, sign(seg), content_hash="abc123")


def test_record_round_trips_through_bytes() -> None:
    original = record()
    restored = PageRecord.from_bytes(original.to_bytes())
    assert restored.source == original.source
    assert restored.content_hash == original.content_hash
    assert restored.text == original.text
    assert np.array_equal(restored.token_spans, original.token_spans)
    assert np.array_equal(restored.shingles, original.shingles)
    assert np.array_equal(restored.unit_ranges, original.unit_ranges)
    assert np.array_equal(restored.page_signature, original.page_signature)


def test_record_bytes_are_compact() -> None:
    original = record(text=TEXT * 10)
    arrays = original.token_spans.nbytes + original.shingles.nbytes + original.unit_ranges.nbytes
    assert len(original.to_bytes()) < (len(original.text.encode()) + arrays) / 2


def test_record_pickles_as_its_encoding() -> None:
    original = record(text=TEXT * 10)
    data = pickle.dumps(original, pickle.HIGHEST_PROTOCOL)
    restored = pickle.loads(data)
    assert len(data) < len(original.to_bytes()) + 200
    assert restored.to_bytes() == original.to_bytes()
    assert np.array_equal(restored.token_spans, original.token_spans)
    assert np.array_equal(restored.shingles, original.shingles)
    assert restored.text == original.text


def test_record_with_foreign_bytes_is_refused() -> None:
    data = bytearray(record().to_bytes())
    data[:4] = b"XXXX"
    with pytest.raises(IndexStoreError):
        PageRecord.from_bytes(bytes(data))


def test_encoded_record_reads_only_its_identity_and_decodes_to_the_record() -> None:
    original = record(text=TEXT * 10)
    encoded = EncodedRecord.of(original.to_bytes())
    assert (encoded.source, encoded.content_hash) == ("ferry", "abc123")
    assert encoded.to_bytes() == original.to_bytes() and original.encoded().data == encoded.data
    restored = decoded(encoded)
    assert restored.text == original.text
    assert np.array_equal(restored.token_spans, original.token_spans)
    assert np.array_equal(restored.unit_ranges, original.unit_ranges)
    assert decoded(original) is original
    data = pickle.dumps(encoded, pickle.HIGHEST_PROTOCOL)
    assert len(data) < len(encoded.data) + 100, "pickled as its bytes, not bytes and identity"
    sent = pickle.loads(data)
    assert isinstance(sent, EncodedRecord) and sent.data == encoded.data
    assert (sent.source, sent.content_hash) == ("ferry", "abc123")


@pytest.mark.parametrize("damage", ["magic", "truncated"])
def test_encoded_record_with_damaged_bytes_is_refused(damage: str) -> None:
    data = bytearray(record().to_bytes())
    if damage == "magic":
        data[:4] = b"XXXX"
    else:
        del data[-10:]
    with pytest.raises(IndexStoreError):
        EncodedRecord.of(bytes(data))


def test_memory_store_hands_records_back_encoded_or_decoded_alike() -> None:
    store = open_store("memory://", Config())
    stored = [record("a"), record("b", TEXT.replace("Monday", "Tuesday"))]
    for page in stored:
        store.check_and_add(page.encoded(), [1], [2])
    assert isinstance(store, EncodedRecordStore)
    encoded = store.get_encoded_many(["b", "missing", "a"])
    assert [r.source for r in encoded] == ["b", "a"]
    assert [r.data for r in encoded] == [stored[1].to_bytes(), stored[0].to_bytes()]
    assert [r.text for r in store.get_many(["b", "a"])] == [stored[1].text, stored[0].text]


def test_memory_store_follows_the_protocol_and_records_its_settings() -> None:
    config = Config()
    store = open_store("memory://", config)
    assert isinstance(store, IndexStore)
    assert store.settings["hash_scheme"] == HASH_SCHEME
    assert (store.settings["bands"], store.settings["rows"]) == page_lsh_shape(config)
    check_settings(store.settings, config, "memory://")
    with pytest.raises(IndexStoreError, match="num_perm"):
        check_settings(store.settings, config.with_changes(num_perm=64), "memory://")


def test_check_and_add_returns_earlier_pages_sharing_a_key_then_adds() -> None:
    store = open_store("memory://", Config())
    assert store.check_and_add(record("a"), [1, 2, 3], [10]).pages == ()
    store.check_and_add(record("b"), [3, 4], [11])
    candidates = store.check_and_add(record("c"), [3, 2, 99], [10, 11])
    assert candidates.pages == ("a", "b")  # "a" shares two keys, "b" one
    assert set(candidates.passages) == {"a", "b"}
    assert len(store) == 3 and "c" in store


def test_re_adding_a_changed_source_replaces_it_and_never_returns_itself() -> None:
    store = open_store("memory://", Config())
    store.check_and_add(record("a"), [1], [])
    changed = record("a", TEXT + " Updated at noon.")
    changed = PageRecord.from_bytes(changed.to_bytes().replace(b"abc123", b"def456"))
    candidates = store.check_and_add(changed, [1], [])
    assert candidates.pages == () and not candidates.seen_before
    assert len(store) == 1
    assert store.get_many(["a"])[0].text.endswith("Updated at noon.")


def test_unchanged_source_met_again_is_seen_before_and_not_its_own_candidate() -> None:
    store = open_store("memory://", Config())
    store.check_and_add(record("a"), [1], [7])
    store.check_and_add(record("b"), [1], [])
    candidates = store.check_and_add(record("a"), [1], [7])
    assert candidates.seen_before
    assert candidates.pages == ("b",)
    assert candidates.passages == ()
    assert len(store) == 2


def test_pages_added_together_get_what_they_would_get_one_by_one() -> None:
    """A batch with a page met again unchanged, a changed page and a source given twice."""
    changed = PageRecord.from_bytes(
        record("a", TEXT + " Updated.").to_bytes().replace(b"abc123", b"def456")
    )
    pages = [
        (record("a"), [1, 2], [10]),
        (record("b"), [2], [10, 11]),
        (record("a"), [1, 2], [10]),  # unchanged: seen before
        (record("c"), [1, 3], [11]),
        (changed, [3], [12]),  # replaces "a"
        (record("d"), [1, 3], [12]),
    ]
    one_by_one = open_store("memory://", Config())
    expected = [one_by_one.check_and_add(*page) for page in pages]
    together = open_store("memory://", Config())
    assert together.check_and_add_many(pages) == expected
    assert expected[2].seen_before and expected[5].pages == ("c", "a")
    assert [r.text for r in together.get_many(["a", "b", "c", "d"])] == [
        r.text for r in one_by_one.get_many(["a", "b", "c", "d"])
    ]


def test_remove_forgets_the_page_and_its_keys() -> None:
    store = open_store("memory://", Config())
    store.check_and_add(record("a"), [1], [5])
    assert store.remove("a")
    assert not store.remove("a")
    candidates = store.check_and_add(record("b"), [1], [5])
    assert candidates.pages == () and candidates.passages == ()
    assert [r.source for r in store.get_many(["a", "b"])] == ["b"]


def test_unknown_or_malformed_store_url_is_a_clear_error() -> None:
    with pytest.raises(IndexStoreError, match="unknown index scheme"):
        open_store("mongodb://localhost", Config())
    with pytest.raises(IndexStoreError, match="not a URL"):
        open_store("index.db", Config())


def test_settings_name_everything_that_changes_signatures() -> None:
    settings = store_settings(Config())
    for name in (
        "format_version",
        "hash_scheme",
        "seed",
        "shingle_words",
        "num_perm",
        "bands",
        "rows",
        "passage_num_perm",
        "passage_bands",
        "passage_rows",
    ):
        assert name in settings
