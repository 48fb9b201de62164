"""Input discovery and decoding: every encoding variant gives the same text, glued pages split apart."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from kremlin_data.build import sample_path
from kremlin_data.sources import InputError, decode_text, find_inputs, read_bytes, split_pages

SEED = sample_path().read_bytes()


@pytest.mark.parametrize("variant", [
    SEED,
    b"\xef\xbb\xbf" + SEED,
    SEED.replace(b"\n", b"\r\n"),
    SEED.replace(b"President of Russia", "President of\u00a0Russia".encode()),
])
def test_encoding_variants_decode_alike(variant: bytes) -> None:
    assert decode_text(variant).text == decode_text(SEED).text


def test_gzip_is_read_by_magic(tmp_path: Path) -> None:
    f = tmp_path / "seed.txt.gz"
    f.write_bytes(gzip.compress(SEED))
    assert read_bytes(f) == SEED


def test_bad_gzip_is_an_input_error(tmp_path: Path) -> None:
    f = tmp_path / "cut.txt.gz"
    f.write_bytes(gzip.compress(SEED)[:100])
    with pytest.raises(InputError, match="bad_gzip"):
        read_bytes(f)


@pytest.mark.parametrize(("data", "reason"), [(b"", "empty"), (b"  \n\n", "empty"), (b"Events\x00\x01", "binary")])
def test_unreadable_files(data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        decode_text(data)


def test_invalid_utf8_is_replaced_and_located() -> None:
    decoded = decode_text(b"Events\nTitle \xff here\n")
    assert "\ufffd" in decoded.text
    (line_no, text, reason) = decoded.problems[0]
    assert line_no == 2 and "byte offset 13" in text and reason.startswith("bad_utf8")


def test_glued_pages_split_with_their_line_numbers() -> None:
    chunks = list(split_pages(decode_text(SEED).text))
    assert [(c.first_line, c.is_page) for c in chunks] == [(1, True), (34, True)]
    assert chunks[0].lines[-1] == "Text version" and chunks[1].lines[0] == "Events"


def test_lines_outside_pages_are_kept_as_chunks() -> None:
    chunks = list(split_pages("stray\nEvents\nT\nText version\ntrailing\n"))
    assert [(c.first_line, c.is_page, c.lines[0]) for c in chunks] == [
        (1, False, "stray"), (2, True, "Events"), (5, False, "trailing")]


def test_find_inputs_recurses_and_skips_other_files(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/one.txt", "a/b/two.html.gz", "a/notes.md", "three.TXT"):
        (tmp_path / name).write_text("x")
    found, skipped = find_inputs([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a/b/two.html.gz", "a/one.txt", "three.TXT"]
    assert [p.name for p in skipped] == ["notes.md"]
    with pytest.raises(FileNotFoundError, match="input not found"):
        find_inputs([tmp_path / "missing"])
