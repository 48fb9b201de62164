"""One saved en.kremlin.ru article page (HTML bytes) -> the same Page the text parser gives. Pure, no I/O."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import struct
from dataclasses import dataclass
from typing import NoReturn

import pyarrow as pa
from selectolax.lexbor import LexborHTMLParser, LexborNode

from kremlin_data.page import Issue, Page, PageError, Turn
from kremlin_data.speakers import generic_kind, is_label_text
from kremlin_data.text_version import OMISSION, SEPARATOR, UNTITLED, parse_date, parse_time

URL_TEMPLATE = "http://en.kremlin.ru/events/president/news/{}"

# Text patterns (over decoded text, never over markup).
_ANNOUNCE = re.compile(r"^Announcement, (?P<month>[A-Z][a-z]+) (?P<day>\d{1,2})\b.*?(?P<year>\d{4})$")
# A label and its closing note: `Sauli Niinisto (retranslated)`; a parenthesis inside a role stays in the label.
_LABEL = re.compile(r"^(?P<label>[^:]{1,300}?)\s*(?:\((?P<note>[^()]{1,200})\)?)?\s*$")
_TRAILING_ID = re.compile(r"/catalog/(?:persons|keywords)/(\d+)")
_PLACE_CODE = re.compile(r"/catalog/(?:countries|regions)/([A-Za-z]{2,3})\b")
_PUB_DATE = re.compile(r"^(?P<date>[A-Z][a-z]+ \d{1,2}, \d{4})(?:, (?P<time>\d{1,2}:\d{2}))?$")
_ENDS_SENTENCE = re.compile(r"[.,;:!?…»”\")\]]$")
_LATE_NOTE = re.compile(r"^\((?P<note>[^()]{1,200})\)\s*:\s*(?P<rest>.*)$")
# How far (in characters) before the article the reading pane that opens it may start.
_PANE_BEFORE = 4096
_BOM = b"\xef\xbb\xbf"
# The ASCII characters that str.strip() takes for white space are these; a byte of 0x80 or more opens a character
# that may be white space too (NBSP, U+2028, ...).
_NOT_ASCII_SPACE = re.compile(rb"[^\t\n\x0b\x0c\r\x1c-\x1f ]")
_EMPHASIS = frozenset({"b", "strong", "i", "em"})
_BOLD = frozenset({"b", "strong"})
# A generic label without bold (`Question: Are you ...`): a capitalised sentence must follow, as in the text rule.
_GENERIC_PLAIN = re.compile(
    r"^(?P<label>[A-Z][a-z]+(?: [a-z]+){0,3})(?: \((?P<note>[^()]{1,200})\))?:(?P<rest> [^a-z].*|)$")


def clean(text: str) -> str:
    r"""Text as the text version prints it: NBSP as a space, runs of white space as one space, stripped.

    Zero-width spaces and soft hyphens, which the site leaves in a few pages (`violations of \u200b\u200blabour`),
    go: they are not white space to `str.split`.

    >>> clean("President of\u00a0Russia \n Vladimir Putin ")
    'President of Russia Vladimir Putin'
    >>> clean("of \u200b\u200blabour")
    'of labour'
    """
    if "\u200b" in text or "\u00ad" in text:
        text = text.replace("\u200b", "").replace("\u00ad", "")
    return " ".join(text.split())  # str.split() splits at NBSP too (Unicode white space)


@dataclass(slots=True)
class Item:
    """One piece of the article body in reading order, as the text version would print it.

    ``kind`` is one of: paragraph, turn (a paragraph opening with a speaker label), omission, separator,
    counter (the slider's `K of N`), caption, subheading, see_also_head, see_also, see_also_date.
    """

    kind: str
    text: str  # for a turn, the words after the label
    label: str | None = None
    note: str | None = None
    person_id: int | None = None
    line: str = ""  # for a turn, the whole paragraph as the text version prints it


def parse_html(data: bytes, source_path: str) -> Page:
    """Parse one saved en.kremlin.ru article page into a Page.

    Raises PageError for input that holds no article (a listing page, another site, an empty or cut-off file).

    >>> html = ('<article class="read__in" id="event-7"><a class="read__categ">Events</a><h1>T</h1>'
    ...         '<div class="read__internal_content"><p><b>Vladimir Putin:</b> Hello.</p>'
    ...         '<div class="read__bottommeta"></div></div></article>')
    >>> page = parse_html(html.encode(), "x.html")
    >>> (page.site_id, page.turns[0].label, page.turns[0].paragraphs)
    (7, 'Vladimir Putin', ['Hello.'])
    """
    source = _source(data)
    page = Page(source_path=source_path, content_sha256=source.sha256)
    page.issues.extend(source.issues)
    markup = source.markup
    # Without a doctype the parser is in quirks mode, where class names match in any case: what a query looks
    # for is checked in lower case, and a query is not run when its class or tag is nowhere in the markup.
    present = markup.lower()
    tree = LexborHTMLParser(markup)
    article = tree.css_first("article.read__in")
    if article is None:
        _not_an_article(source.text if source.text is not None else data.decode("utf-8"))
    title = article.css_first("h1")
    if title is None:
        raise PageError("truncated", "the article has no title: the file is cut off inside its header")
    if b"read__tooltip" in present or b"<video" in present:
        _strip_hidden(article)
    _parse_header(article, page, present)
    page.title = clean(title.text())
    page.site_id = _site_id(article, tree)
    if page.site_id is not None:
        page.url = URL_TEMPLATE.format(page.site_id)
    body = article.css_first("div.read__internal_content")
    footer = article.css_first("div.read__bottommeta")
    if body is not None:
        items: list[Item] = []
        _walk(body, items)  # the article is stripped of hidden text already (what body_items does first)
        _assemble(items, page)
        for a in body.css("a.person_tag") if b"person_tag" in present else ():
            m = _TRAILING_ID.search(a.attributes.get("href") or "")
            name = _text(a)
            if m and name:
                page.linked_persons.setdefault(name, int(m.group(1)))
    if footer is None:
        page.issues.append(Issue(None, "", "truncated: the page has no footer (publication status), it is cut off"))
    else:
        _parse_footer(footer, page)
    return page


@dataclass(slots=True)
class _Source:
    """What the parse needs of a page's bytes: the markup of its article, the hash and the decoding issues."""

    markup: bytes
    """The article cut from the page (`_article_slice`), in UTF-8."""
    sha256: str
    """SHA-256 (hex) of the page's text in UTF-8."""
    issues: list[Issue]
    text: str | None
    """The page's text, when it was decoded (a page that is valid UTF-8 without a BOM is not)."""


def _source(data: bytes) -> _Source:
    """`_decoded_source(data)`, without decoding the page when it is valid UTF-8 without a BOM.

    Such bytes are the encoding of their text already: they give its hash, and its article is cut from them
    (`_article_bytes`). Decoding a page only to check it made a str of all of it (the menus, scripts and footer
    are three quarters of a saved page); Arrow checks the bytes in place. Anything else (a BOM, invalid bytes,
    which become U+FFFD and a `bad_utf8` issue) goes the way of the decoded text.
    """
    if data.startswith(_BOM) or not _is_utf8(data):
        return _decoded_source(data)
    if _blank(data):
        raise PageError("empty", "the file is empty or holds only white space")
    return _Source(_article_bytes(data), hashlib.sha256(data).hexdigest(), [], None)


def _decoded_source(data: bytes) -> _Source:
    """The page decoded (`_decode`), its article cut from the text and encoded again, and the hash of the text."""
    text, issues = _decode(data)
    if not text.strip():
        raise PageError("empty", "the file is empty or holds only white space")
    return _Source(_article_slice(text).encode("utf-8"), hashlib.sha256(text.encode("utf-8")).hexdigest(), issues,
                   text)


def _is_utf8(data: bytes) -> bool:
    r"""Whether `data.decode("utf-8")` would succeed, checked by Arrow on the bytes in place (no str is made).

    >>> _is_utf8("Привет".encode()), _is_utf8(b"de\xe3lare")
    (True, False)
    """
    offsets = pa.py_buffer(struct.pack("<qq", 0, len(data)))
    try:
        pa.Array.from_buffers(pa.large_utf8(), 1, [None, offsets, pa.py_buffer(data)]).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _blank(data: bytes) -> bool:
    r"""`not data.decode("utf-8").strip()` for valid UTF-8 `data`, decoding it only when it opens with non-ASCII.

    >>> _blank(b" \n\t"), _blank(b"\n<html>"), _blank("\u00a0\u2003".encode())
    (True, False, True)
    """
    first = _NOT_ASCII_SPACE.search(data)
    if first is None:
        return True
    return data[first.start()] >= 0x80 and data.decode("utf-8").isspace()


def _article_slice(text: str) -> str:
    """The part of the page from the reading pane to the end of the article, or all of it without one.

    Three quarters of a saved page are the site's menus, footer and scripts. The DOM parser is the costly
    step, so it gets only the article (and the `div.read` that opens it, which carries the page link).
    """
    start = text.find("<article")
    if start < 0:
        return text
    end = text.find("</article>", start)
    pane = text.rfind('<div class="read"', max(0, start - _PANE_BEFORE), start)
    return text[pane if pane >= 0 else start : end + len("</article>") if end >= 0 else len(text)]


def _article_bytes(data: bytes) -> bytes:
    """`_article_slice(text).encode()` of the bytes of valid UTF-8 `text` (no BOM), without decoding or encoding.

    The markers are ASCII, so they stand at the same places in the bytes; only the 4,096 characters the pane may
    stand before the article are counted in characters (a character takes 1 to 4 bytes).
    """
    start = data.find(b"<article")
    if start < 0:
        return data
    end = data.find(b"</article>", start)
    pane = data.rfind(b'<div class="read"', max(0, start - _PANE_BEFORE), start)
    if pane < 0:
        pane = data.rfind(b'<div class="read"', max(0, start - 4 * _PANE_BEFORE), start)
        if pane >= 0 and len(data[pane:start].decode("utf-8")) > _PANE_BEFORE:
            pane = -1
    return data[pane if pane >= 0 else start : end + len(b"</article>") if end >= 0 else len(data)]


def _not_an_article(text: str) -> NoReturn:
    """Raise the PageError that says what the page is, when it holds no article."""
    tree = LexborHTMLParser(text)
    if tree.css_first("div.hentry[data-id]") is not None:
        raise PageError("not_article", "a listing page of en.kremlin.ru, not an article")
    if "</html>" not in text[-4096:].lower() and "kremlin.ru" in text:
        raise PageError("truncated", "the file ends before the article markup")
    raise PageError("not_article", "no en.kremlin.ru article markup (`article.read__in`) in the page")


def _decode(data: bytes) -> tuple[str, list[Issue]]:
    if data.startswith(_BOM):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        issue = Issue(None, f"invalid UTF-8 at byte offset {exc.start}",
                      f"bad_utf8: {data[exc.start:exc.start + 4]!r} decoded with U+FFFD replacement")
        return data.decode("utf-8", errors="replace"), [issue]


def _site_id(article: LexborNode, tree: LexborHTMLParser) -> int | None:
    ident = article.attributes.get("id") or ""
    if ident.startswith("event-") and ident[6:].isdigit():
        return int(ident[6:])
    read = tree.css_first("div.read[data-href]")
    href = (read.attributes.get("data-href") or "") if read is not None else ""
    tail = href.rstrip("/").rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else None


def _text(node: LexborNode) -> str:
    """Visible text of a node, cleaned: hidden tooltips left out."""
    return clean(_raw(node))


def _raw(node: LexborNode) -> str:
    """Visible text of a node as it stands in the markup (white space kept); tooltips are gone by now."""
    return node.text(deep=True)


def _strip_hidden(node: LexborNode) -> None:
    """Remove what the reader never sees as text: glossary and person tooltips, video players."""
    for hidden in node.css("span.read__tooltip, video"):
        hidden.decompose()


def _classes(node: LexborNode) -> list[str]:
    """The node's class names, lower-cased (they match in any case in quirks mode)."""
    return (node.attributes.get("class") or "").lower().split()


def _descendants(node: LexborNode, tag: str, cls: str | None = None) -> list[LexborNode]:
    """`node.css("tag.cls")` by walking a small subtree, which costs less than setting up a query.

    Like the query, it looks at the node itself too, and gives the nodes in document order.
    """
    return [n for n in node.traverse() if n.tag == tag and (cls is None or cls in _classes(n))]


def _first(node: LexborNode, query: str, present: bytes) -> LexborNode | None:
    """`node.css_first(query)` for a query `tag.class`, run only when the class name stands in the markup.

    `present` is the markup in lower case. Nothing is lost by the check, unless the markup spelt a class name
    with character references (`read&#95;_time`).
    """
    return node.css_first(query) if query.rpartition(".")[2].encode() in present else None


def _parse_header(article: LexborNode, page: Page, present: bytes) -> None:
    categ = _first(article, "a.read__categ", present)
    page.section = clean(categ.text()) if categ is not None else None
    lead = _first(article, "div.read__lead", present)
    if lead is not None:
        paras = [t for p in (_descendants(lead, "p") or [lead]) if (t := _text(p))]
        page.lead = "\n".join(paras) or None
    announce = _first(article, "div.announce_date", present)
    if announce is not None:
        page.is_announcement = True
        m = _ANNOUNCE.match(clean(announce.text()))
        if m:
            page.date = parse_date(f"{m['month']} {m['day']}, {m['year']}")
    published = _first(article, "time.read__published", present)
    if published is not None and page.date is None:
        stamp = published.attributes.get("datetime") or ""
        try:
            page.date = dt.date.fromisoformat(stamp)
        except ValueError:
            page.date = parse_date(clean(published.text()))
    when = _first(article, "div.read__time", present)
    if when is not None:
        page.time = parse_time(clean(when.text()))
    place = _first(article, "div.read__place", present)
    if place is not None:
        page.place = clean(place.text()) or None


def body_items(body: LexborNode) -> list[Item]:
    """The article body as a list of items in reading order (paragraphs, turns, captions, boxes).

    Hidden tooltips and video players are removed from `body` first: they are not text.
    """
    _strip_hidden(body)
    items: list[Item] = []
    _walk(body, items)
    return items


def _walk(node: LexborNode, items: list[Item]) -> None:
    child = node.child
    while child is not None:
        tag = child.tag
        if tag == "p":
            _paragraph(child, items)
        elif tag in ("div", "figure", "blockquote", "section"):
            cls = child.attributes.get("class") or ""
            if "read__bottommeta" in cls:
                pass
            elif "slider" in cls.split():
                _slider(child, items)
            elif "read__cut" in cls:
                _see_also(child, items)
            elif "video__description" in cls:
                if t := _text(child):
                    items.append(Item("subheading", t))
            elif {"media", "media__container"} & set(cls.split()):
                _media(child, items)
            else:
                _walk(child, items)
        elif tag in ("h2", "h3", "h4") and (t := _text(child)):
            items.append(Item("subheading", t))
        child = child.next


def _media(node: LexborNode, items: list[Item]) -> None:
    for sub in node.css("span.media__title, div.video__description, figcaption"):
        if (t := _text(sub)) and t != UNTITLED:
            kind = "subheading" if "video__description" in (sub.attributes.get("class") or "") else "caption"
            items.append(Item(kind, t))


def _slider(node: LexborNode, items: list[Item]) -> None:
    slides = node.css("div.slide")
    if not slides:
        return
    start = next((k for k, s in enumerate(slides) if "starting-slide" in (s.attributes.get("class") or "")), 0)
    items.append(Item("counter", f"{start + 1} of {len(slides)}"))
    caption = clean(slides[start].attributes.get("data-cycle-desc") or "")
    items.append(Item("caption", "" if caption == UNTITLED else caption))


def _see_also(node: LexborNode, items: list[Item]) -> None:
    head = node.css_first("h3")
    items.append(Item("see_also_head", _text(head) if head is not None else "See also"))
    for desc in node.css("div.cut__description"):
        link = desc.css_first("a")
        if link is not None and (t := _text(link)):
            items.append(Item("see_also", t))
        date = desc.css_first("div.cut__date")
        if date is not None and (t := _text(date)):
            items.append(Item("see_also_date", t))


def _paragraph(p: LexborNode, items: list[Item]) -> None:
    text = _text(p)
    if not text:
        return
    if OMISSION.match(text):
        items.append(Item("omission", text))
    elif SEPARATOR.match(text):
        items.append(Item("separator", text))
    elif _opens_with_words(p):
        # What `_label` and `_all_emphasis` give such a paragraph, without their walks over its children: no bold
        # opens it, so only a generic label without bold may (most paragraphs are these).
        items.append(_plain_generic(text) or Item("paragraph", text))
    elif (label := _label(p, text)) is not None:
        items.append(label)
    elif _all_emphasis(p) and not _ENDS_SENTENCE.search(text):
        # A whole paragraph in bold or italics that does not read as a sentence: a heading
        # ("Beginning of meeting with ...", "Speech at the Main Naval Parade").
        items.append(Item("subheading", text))
    else:
        items.append(Item("paragraph", text))


def _opens_with_words(p: LexborNode) -> bool:
    """`p` opens with a text of two or more visible characters: `_bold_prefix` stops there, `_all_emphasis` is False."""
    first = p.child
    return first is not None and first.tag == "-text" and len((first.text_content or "").strip()) > 1


def _all_emphasis(p: LexborNode) -> bool:
    child = p.child
    seen = False
    while child is not None:
        tag = child.tag
        if tag in _EMPHASIS:
            seen = True
        elif tag == "-text":
            if (child.text_content or "").strip():
                return False
        elif tag != "br":
            return False
        child = child.next
    return seen


def _bold_prefix(p: LexborNode) -> tuple[str, int | None]:
    """The visible text of the bold run that opens `p`, and the person id of a person link inside it.

    The run may span several `<b>` tags, a person link around a `<b>` (`<a><b>Name</b></a>`), and a stray
    first letter the bold missed (`V<b>ladimir Putin:</b>`).
    """
    parts: list[str] = []
    person: int | None = None
    child = p.child
    while child is not None:
        tag = child.tag
        if tag == "-text":
            t = child.text_content or ""
            if t.strip() and (parts or len(t.strip()) > 1 or child.next is None or child.next.tag not in _BOLD):
                break
            parts.append(t)
        elif tag in _BOLD or (tag in ("a", "i", "span") and _is_bold(child)):
            parts.append(_raw(child))
            for a in _descendants(child, "a"):
                href = a.attributes.get("href") or ""
                if "/catalog/persons/" in href and (m := _TRAILING_ID.search(href)):
                    person = int(m.group(1))
        elif tag != "br":
            break
        child = child.next
    return clean("".join(parts)), person


def _is_bold(node: LexborNode) -> bool:
    """True when all the visible text of `node` stands inside bold tags."""
    bold = [n for n in node.traverse() if n.tag in _BOLD]
    return bool(bold) and sum(len(_raw(b).split()) for b in bold) >= len(_raw(node).split()) > 0


def _label(p: LexborNode, text: str) -> Item | None:
    """The speaker label opening `p`, marked in bold: `<b>Name:</b>`, `<b>Name</b>:`, split over tags, no colon.

    Generic labels (`Question: ...`) count without bold too, as the text rule takes them.
    """
    bold, person = _bold_prefix(p)
    if not bold or not text.startswith(bold[:1]):
        return _plain_generic(text)
    colon = text.find(":")
    if 0 < colon < len(bold):
        head, rest = text[:colon], text[colon + 1 :].strip()
        if rest and len(bold) >= len(text) - 1:
            return None  # all in bold with words after the colon: a heading ("Speeches at ...: St Petersburg")
    elif colon >= len(bold) and _label_tail(bold, text[len(bold) : colon]):
        head, rest = text[:colon], text[colon + 1 :].strip()
    elif len(bold) < len(text) and ":" not in bold and is_label_text(bold.rstrip(".")):
        # The colon is missing (`<b>Vladimir Putin</b>. Yes.`, `<b>Megyn Kelly</b> With this?`): a label all
        # the same, as the bold marks it, when a new sentence follows; not before words that go on with the
        # bold (`Remark from the floor`, `<b>Boris Eifman</b>, born July 22, 1946`).
        head, rest = bold.rstrip("."), text[len(bold) :].lstrip(". ")
        if not (rest[:1].isupper() or rest[:1].isdigit() or rest[:1] in "“\"«(["):
            return None
    else:
        return None
    m = _LABEL.match(head)
    if not m:
        return None
    label = clean(m["label"])
    if not (is_label_text(label) or _loose_label(label)):
        return None
    if person is None:
        person = _linked_label_person(p, label)
    note = m["note"]
    if note is None and (late := _LATE_NOTE.match(rest)):
        note, rest = late["note"], late["rest"]  # `<b>Angela Merkel</b>: <i>(retranslated)</i><b>:</b> Thank you`
    return Item("turn", rest, label=label, note=note, person_id=person, line=text)


def _linked_label_person(p: LexborNode, label: str) -> int | None:
    """The person id of a link that ends the label outside its bold (`<b>Minister</b> <a>Mikhail Men</a>:`)."""
    for a in _descendants(p, "a", "person_tag"):
        href = a.attributes.get("href") or ""
        name = _text(a)
        if name and label.endswith(name) and (m := _TRAILING_ID.search(href)) and "/persons/" in href:
            return int(m.group(1))
    return None


def _plain_generic(text: str) -> Item | None:
    if ":" not in text:  # the pattern needs one; most paragraphs have none, and the pattern fails slower
        return None
    m = _GENERIC_PLAIN.match(text)
    if m is None or generic_kind(m["label"]) is None:
        return None
    return Item("turn", m["rest"].strip(), label=m["label"], note=m["note"], line=text)


def _label_tail(bold: str, between: str) -> bool:
    """Whether the plain text between a bold run and the colon still belongs to the label.

    It may be a parenthetical note (`(retranslated)`), the rest of a note the bold opened, or a few
    capitalised words of a linked name that the site left out of the bold.
    """
    s = between.strip()
    if not s or (s.startswith("(") and s.count("(") == 1 and s.count(")") <= int(s.endswith(")")) and len(s) <= 200):
        return True  # a note, closed or not (`<i>(retranslated</i><b>:</b>`)
    if len(s) > 200 or any(c in s for c in ".!?;"):
        return False
    if bold.endswith("("):
        return s.endswith(")")
    name, _, note = s.partition("(")
    if note and not note.endswith(")"):
        return False
    words = name.split()
    return len(words) <= 6 and all(w[:1].isupper() for w in words)


def _loose_label(label: str) -> bool:
    """A bold label the strict text rule turns down: commas and lower-case words of a long role.

    `Minister of Civil Defence, Emergencies ... Vladimir Puchkov`, `Alexei Kudrin, Chairman of the Accounts
    Chamber`: the bold and the colon mark it; it must still end in a name or open with one.
    """
    if len(label) > 300 or any(c.isdigit() for c in label) or not label[:1].isalpha():
        return False
    first, _, after = label.partition(", ")
    if after and is_label_text(first) and len(first.split()) <= 4:
        return True
    last = label.split()[-1]
    return last[:1].isupper() and is_label_text(" ".join(label.split()[-2:]))


def _assemble(items: list[Item], page: Page) -> None:
    turn: Turn | None = None
    subheading: str | None = None
    after_omission = False
    for item in items:
        kind = item.kind
        if kind == "turn":
            turn = Turn(label=item.label or "", paragraphs=[item.text] if item.text else [], label_note=item.note,
                        subheading=subheading, follows_omission=after_omission, person_id=item.person_id)
            page.turns.append(turn)
            after_omission = False
        elif kind == "paragraph":
            if turn is None:
                page.narration.append(item.text)
            else:
                turn.paragraphs.append(item.text)
        elif kind == "omission":
            page.n_omissions += 1
            after_omission = True
        elif kind == "caption":
            if item.text:
                page.photo_captions.append(item.text)
        elif kind == "subheading":
            page.subheadings.append(item.text)
            subheading = item.text
        elif kind == "see_also":
            page.see_also.append(item.text)


def _parse_footer(footer: LexborNode, page: Page) -> None:
    for col in footer.css("div.read__tagscol"):
        head = col.css_first("h3")
        name = clean(head.text()) if head is not None else ""
        # Tags past the first few sit in `li.hidden` behind a `K more` toggle: they are tags all the same.
        for li in col.css("li"):
            a = li.css_first("a")
            if a is None or "read__tagsmore" in (li.attributes.get("class") or ""):
                continue
            tag = _text(a)
            href = a.attributes.get("href") or ""
            # The id lists stay aligned with the tag lists: None where a tag has no catalogue link.
            if name == "Geography":
                page.geography.append(tag)
                m = _PLACE_CODE.search(href)
                page.geography_codes.append(m.group(1) if m else None)
            elif name == "Topics":
                page.topics.append(tag)
                m = _TRAILING_ID.search(href)
                page.topic_ids.append(int(m.group(1)) if m else None)
            elif name == "Persons":
                page.persons.append(tag)
                m = _TRAILING_ID.search(href)
                page.person_ids.append(int(m.group(1)) if m else None)
    status = footer.css_first("div.read__status")
    if status is None:
        return
    for p in status.css("p"):
        raw = _raw(p)
        if "Publi" not in raw:  # cleaning keeps it whole: only the two lines below are read (of the four a page has)
            continue
        t = clean(raw)
        if t.startswith("Published in section"):
            page.published_in = [s.strip() for s in t.partition(":")[2].split(",") if s.strip()]
        elif t.startswith("Publication date:"):
            m = _PUB_DATE.match(t.partition(":")[2].strip())
            if m and (d := parse_date(m["date"])):
                tm = parse_time(m["time"]) if m["time"] else None
                page.published_at = dt.datetime.combine(d, tm or dt.time(0, 0))
