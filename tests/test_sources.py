"""Input discovery and decoding: every encoding variant gives the same text, glued pages split apart."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest

from kremlin_data.build import sample_path
from kremlin_data.sources import (
    InputError,
    decode_text,
    find_inputs,
    gunzip,
    line_pieces,
    read_bytes,
    repeated_labels,
    split_pages,
)

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


def _damaged(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]


GZ = gzip.compress(SEED)


@pytest.mark.parametrize("data", [
    GZ, GZ + GZ, GZ + b"\x00\x00\x00\x00", GZ + b"trailing bytes", GZ[:100], GZ[:-4], _damaged(GZ, len(GZ) // 2),
    _damaged(GZ, len(GZ) - 6), _damaged(GZ, len(GZ) - 2), GZ[:12], SEED,
], ids=["one member", "two members", "zeros after", "bytes after", "cut", "no length", "damaged data",
        "damaged crc", "damaged length", "header only", "not gzip"])
def test_gunzip_gives_what_the_standard_library_gives(data: bytes) -> None:
    """ISA-L reads clean one-member files; every other case ends as gzip.decompress ends, error message and all."""
    try:
        expected: bytes | str = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    except (OSError, EOFError, zlib.error) as exc:
        expected = f"bad_gzip: cannot gunzip: {exc}"
    try:
        got: bytes | str = gunzip(data)
    except InputError as exc:
        got = str(exc)
    assert got == expected


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


@pytest.mark.parametrize("line, flat, expected", [
    ("Vladimir Putin: Thank you.", False, (["Vladimir Putin: Thank you."], False)),
    ("Text versionEvents", False, (["Text version", "Events"], False)),
    ("Text versionGovernor of Belgorod Region Yevgeny Savchenko: Mr President.Events", False,
     (["Text version", "Governor of Belgorod Region Yevgeny Savchenko: Mr President.", "Events"], False)),
    ("Text version04:15", False, (["Text version", "04:15"], False)),
    ("Text version: Mr President,Events", False, (["Text version", ": Mr President,", "Events"], False)),
    ("Publication statusEvents", False, (["Publication status", "Events"], False)),
    ("Cultural Events", False, (["Cultural Events"], False)),  # a title ending in the word, not a glued marker
    ("    Events Statement     December 30, 2016  15:15   We regard", False,
     (["Events", "Statement", "December 30, 2016", "15:15", "We regard"], True)),
    ("relations as a whole.  As it proceeds", True, (["relations as a whole.", "As it proceeds"], True)),
    ("relations as a whole.  As it proceeds", False, (["relations as a whole.  As it proceeds"], False)),
    ("Geography India  Publication status Published in section: News  Publication date:    May 1, 2006, 23:58", True,
     (["Geography", "India", "Publication status", "Published in section: News",
       "Publication date: May 1, 2006, 23:58"], True)),
    ("1 of 2 With the Mayor.  * * * Vladimir Putin: Hello.", True,
     (["1 of 2", "With the Mayor.", "* * *", "Vladimir Putin: Hello."], True)),
    ("Direct link: en.kremlin.ru/d/21869    Text version        NaN /  Events", True,
     (["Direct link: en.kremlin.ru/d/21869", "Text version", "NaN /", "Events"], False)),
    ("Paris  A: Why? B: Yes. A: And? Moreover: no. B: No. A: Right.", True,  # labels seen twice, or generic
     (["Paris", "A: Why?", "B: Yes.", "A: And? Moreover: no.", "B: No.", "A: Right."], True)),
    ("Paris  Hello. Question: Why? Moreover: no.", True, (["Paris", "Hello.", "Question: Why? Moreover: no."], True)),
])
def test_line_pieces(line: str, flat: bool, expected: tuple[list[str], bool]) -> None:
    assert line_pieces(line, flat) == expected


def test_a_flattened_line_is_cut_before_labels_the_file_repeats() -> None:
    text = "Events Talks  May 1, 2020\nask you some questions.Vladimir Putin:\nOkay.Alisa Shmelyova: Why?\n" \
           "Fine.Vladimir Putin: Yes. The Arctic: Territory of Dialogue.\nText version"
    assert repeated_labels(text) == {"Vladimir Putin"}
    assert [c.lines for c in split_pages(text)] == [[
        "Events", "Talks", "May 1, 2020", "ask you some questions.", "Vladimir Putin:", "Okay.Alisa Shmelyova: Why?",
        "Fine.", "Vladimir Putin: Yes. The Arctic: Territory of Dialogue.", "Text version"]]


def test_a_glued_body_after_a_marker_is_its_own_chunk() -> None:
    text = "Events\nT\nText versionGlued body.Events\nU\nText version    NaN /\nText versionTail\n"
    assert [(c.first_line, c.lines, c.is_page, c.line_nos) for c in split_pages(text)] == [
        (1, ["Events", "T", "Text version"], True, [1, 2, 3]),
        (3, ["Glued body."], False, [3]),
        (3, ["Events", "U", "Text version", "NaN /"], True, [3, 4, 5, 5]),
        (6, ["Text version"], False, [6]),
        (6, ["Tail"], False, [6])]


def test_find_inputs_recurses_and_skips_other_files(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/one.txt", "a/b/two.html.gz", "a/notes.md", "three.TXT"):
        (tmp_path / name).write_text("x")
    found, skipped = find_inputs([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a/b/two.html.gz", "a/one.txt", "three.TXT"]
    assert [p.name for p in skipped] == ["notes.md"]
    with pytest.raises(FileNotFoundError, match="input not found"):
        find_inputs([tmp_path / "missing"])


def test_find_inputs_lists_files_as_sorted_rglob_does_without_bookkeeping(tmp_path: Path) -> None:
    """The scandir walk gives what `sorted(rglob("*"))` gives, less hidden files and the fetch log."""
    for name in ("b/2.txt", "b/10.txt", "B/1.html", "a-b/x.txt", "a/b/c/deep.txt.gz", "a.txt", ".hidden/in.txt",
                 "b/.dot.txt", "cache/fetch_log.parquet", "cache/.fetch/partial.html", "z/notes.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "linked_folder").symlink_to(tmp_path / "b", target_is_directory=True)
    expected = [f for f in sorted(tmp_path.rglob("*")) if f.is_file()
                and not any(part.startswith(".") for part in f.relative_to(tmp_path).parts)
                and f.name != "fetch_log.parquet"]
    found, skipped = find_inputs([tmp_path])
    assert sorted(found + skipped) == expected
    assert found == [f for f in expected if f.suffix != ".md"]
    assert [p.relative_to(tmp_path).as_posix() for p in skipped] == ["z/notes.md"]


def test_zero_width_spaces_and_soft_hyphens_go() -> None:
    # text page 17631 (`violations of \u200b\u200blabour`), day file 2011-01-20 (`stereotypes\u00ad – of all`)
    data = "violations of \u200b\u200blabour and social rights\nnot the stereotypes\u00ad – of all the peoples\n"
    assert decode_text(data.encode("utf-8")).text == ("violations of labour and social rights\n"
                                                      "not the stereotypes – of all the peoples\n")
