"""Time parse_html on one core over the whole HTML archive, and check its text against the text renderings.

Usage: python benchmarks/bench_html_page.py [--oracle]

Prints pages, MB (decompressed), seconds, pages/s and MB/s of `parse_html` alone (the bytes are gunzipped
beforehand, so only parsing is timed). With --oracle, also renders every page that has a text-version
rendering (`text/pages`, `text/other`) back into text-version lines from the parsed header, body items and
footer, and counts the pages whose lines differ from the rendering (after the same NBSP and white-space
cleaning); the first differences are printed.
"""

from __future__ import annotations

import difflib
import gzip
import sys
import time
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from kremlin_data.html_page import body_items, clean, parse_html

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "kremlin_en"
HTML = DATA / "raw" / "iandennismiller_valdai-transcripts" / "en.kremlin.ru" / "events" / "president" / "news"
TEXT = DATA / "text"


def timing() -> None:
    files = sorted(HTML.glob("*.html.gz"))
    blobs = [gzip.decompress(f.read_bytes()) for f in files]
    mb = sum(map(len, blobs)) / 1e6
    start = time.perf_counter()
    for f, blob in zip(files, blobs, strict=True):
        parse_html(blob, f.name)
    seconds = time.perf_counter() - start
    print(f"parse_html: {len(blobs)} pages, {mb:.1f} MB in {seconds:.2f} s on one core: "
          f"{len(blobs) / seconds:.0f} pages/s, {mb / seconds:.1f} MB/s")


def render(blob: bytes) -> list[str]:
    """The page as text-version lines, from what the parser takes out of the HTML."""
    page = parse_html(blob, "x")
    tree = LexborHTMLParser(blob.decode("utf-8", errors="replace"))
    out = [page.section or "", page.title or "", *(page.lead.split("\n") if page.lead else [])]
    announce = tree.css_first("div.announce_date")
    published = tree.css_first("time.read__published")
    when = tree.css_first("div.read__time")
    if announce is not None:
        out.append(clean(announce.text()))
    elif published is not None:
        out.append(clean(published.text()))
    if when is not None and clean(when.text()):
        out.append(clean(when.text()))
    if page.place:
        out.append(page.place)
    body = tree.css_first("div.read__internal_content")
    out += [item.line if item.kind == "turn" else item.text for item in body_items(body)]
    for col in tree.css("div.read__tagscol"):
        head = col.css_first("h3")
        out.append(clean(head.text()) if head is not None else "")
        out += [clean(li.text()) for li in col.css("li") if "hidden" not in (li.attributes.get("class") or "")]
    out.append("Publication status")
    status = tree.css_first("div.read__status")
    out += [t for p in (status.css("p") if status is not None else []) if (t := clean(p.text()))]
    return out


def text_lines(path: Path) -> list[str]:
    """The rendering's non-empty lines, with a linked name's label line joined to its `: ...` line."""
    joined: list[str] = []
    for line in (clean(s) for s in path.read_text(encoding="utf-8").split("\n")):
        if not line:
            continue
        prev = joined[-1] if joined else ""
        note_after_name = (line.startswith("(") and "):" in line and ":" not in prev and len(prev) < 120
                           and prev[-1:].isalpha())
        if joined and (line.startswith(":") or note_after_name):
            joined[-1] += ("" if line[0] == ":" else " ") + line
        else:
            joined.append(line)
    return joined


def oracle() -> None:
    files = sorted((TEXT / "pages").glob("*.txt")) + sorted((TEXT / "other").glob("*.txt"))
    bad = 0
    for f in files:
        want = text_lines(f)
        got = render(gzip.decompress((HTML / f"{f.stem}.html.gz").read_bytes()))
        if got != want:
            bad += 1
            if bad <= 5:
                print(f"== {f.stem}")
                for line in difflib.unified_diff(want, got, lineterm="", n=1):
                    print(line[:200])
    print(f"oracle: {bad} of {len(files)} pages differ from their text rendering")


if __name__ == "__main__":
    timing()
    if "--oracle" in sys.argv:
        oracle()
