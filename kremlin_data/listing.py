"""Listing pages of en.kremlin.ru -> the articles they list; fetched bodies -> whole article or the reason not.

Pure, no I/O: `fetch.py` hands in the bytes it got.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

SECTIONS = ("news", "transcripts")
ARTICLE_PATH = "/events/president/news/{}"
_ARTICLE_ID = re.compile(rb'<article[^>]*\bclass="read__in[^"]*"[^>]*\bid="event-(\d+)"')
_READ_HREF = re.compile(rb'<div class="read"[^>]*data-href="[^"]*/(\d+)"')
_MAX_CHECKED_TAIL = 4096


@dataclass(frozen=True, slots=True)
class Entry:
    """One article as a listing page lists it."""

    site_id: int
    date: dt.date | None
    title: str


@dataclass(frozen=True, slots=True)
class Listing:
    """One listing page: its entries, newest first, and the number of pages the site says the list has."""

    entries: tuple[Entry, ...]
    pages: int | None


def listing_path(section: str, page: int) -> str:
    """The site path of listing page `page` (from 1) of a section.

    >>> listing_path("transcripts", 3)
    '/events/president/transcripts/page/3'
    """
    if section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}; sections are {', '.join(SECTIONS)}")
    return f"/events/president/{section}/page/{page}"


def parse_listing(data: bytes) -> Listing:
    """The articles of a listing page (`div.hentry[data-id]`), in the page's order.

    A page that is not a listing gives no entries (the caller stops there).

    >>> html = (b'<div class="entry-content lister-page" data-pages="9"><div class="hentry" data-id="5">'
    ...         b'<span class="entry-title">Talks</span><time class="published" datetime="2020-06-18">'
    ...         b'June 18</time></div></div>')
    >>> parse_listing(html)
    Listing(entries=(Entry(site_id=5, date=datetime.date(2020, 6, 18), title='Talks'),), pages=9)
    """
    tree = LexborHTMLParser(data.decode("utf-8", errors="replace"))
    entries: list[Entry] = []
    seen: set[int] = set()
    for node in tree.css("div.hentry[data-id]"):
        ident = (node.attributes.get("data-id") or "").strip()
        if not ident.isdigit() or int(ident) in seen:
            continue
        seen.add(int(ident))
        time = node.css_first("time.published")
        date = _iso_date(time.attributes.get("datetime") if time is not None else None)
        title = node.css_first(".entry-title")
        entries.append(Entry(int(ident), date, " ".join(title.text().split()) if title is not None else ""))
    lister = tree.css_first("[data-pages]")
    pages = (lister.attributes.get("data-pages") or "") if lister is not None else ""
    return Listing(tuple(entries), int(pages) if pages.isdigit() else None)


def _iso_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def article_problem(data: bytes, site_id: int) -> str | None:
    """Why `data` is not the whole article page `site_id`, or None when it is.

    Checks are on bytes and cheap: the article markup of that id (not an error page, a listing or another
    site), and the end of the document (not cut off).

    >>> page = b'<html><article class="read__in" id="event-7"><h1>T</h1></article></html>'
    >>> article_problem(page, 7) is None, article_problem(page[:40], 7), article_problem(page, 8)
    (True, 'truncated: the body ends before </html>', 'wrong_article: the page is article 7, not 8')
    """
    if not data.strip():
        return "empty: the body is empty"
    if b"</html>" not in data[-_MAX_CHECKED_TAIL:].lower():
        return "truncated: the body ends before </html>"
    found = _ARTICLE_ID.search(data) or _READ_HREF.search(data)
    if found is None:
        if b'class="hentry' in data:
            return "not_article: a listing page, not an article"
        return "not_article: no en.kremlin.ru article markup (an error page or another site)"
    if int(found.group(1)) != site_id:
        return f"wrong_article: the page is article {int(found.group(1))}, not {site_id}"
    return None
