"""One page in the site's text-version form -> a Page (header, turns, footer). Pure, no I/O."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from kremlin_data.page import Issue, Page, Turn
from kremlin_data.sources import NAN_COUNTER
from kremlin_data.speakers import (
    Label,
    is_label_text,
    match_label,
    match_label_once,
    match_label_with,
    match_split_label,
    persons_to_names,
    short_label_names,
)

MONTHS = {m: i for i, m in enumerate(
    "January February March April May June July August September October November December".split(), start=1)}
_DATE = re.compile(r"^(?P<month>[A-Z][a-z]+) (?P<day>\d{1,2}), (?P<year>\d{4})$")
# Announcements may give a span of days ("April 7 − 8, 2013"); the date column takes the first day.
_ANNOUNCE = re.compile(
    r"^Announcement, (?P<month>[A-Z][a-z]+) (?P<day>\d{1,2})(?: ?[−–-] ?(?:[A-Z][a-z]+ )?\d{1,2})?, (?P<year>\d{4})$")
_TIME = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})$")
_PUB_DATE = re.compile(r"^Publication date: (?P<date>[A-Z][a-z]+ \d{1,2}, \d{4})(?:, (?P<time>\d{1,2}:\d{2}))?$")
_PUBLISHED_IN = re.compile(r"^Published in sections?: (?P<sections>.+)$")
_DIRECT_LINK = re.compile(r"^Direct link: (?:https?://)?en\.kremlin\.ru/d/(?P<id>\d+)$")
_PHOTO_COUNTER = re.compile(r"^\d{1,3} of \d{1,3}$")
_MORE_TOGGLE = re.compile(r"^\d+ more$")
# Omission markers and `* * *` separators, shared with the HTML parser. The day files also print `< … >`, `<. . .>`
# and `‹…›`.
OMISSION = re.compile(r"^[<‹] ?(?:…|\.\.\.|\.\.|\. \. \.) ?[>›]$")
SEPARATOR = re.compile(r"^(?:\*\s*){3,}$")
_NOT_PLACE_START = frozenset({"At", "With", "During", "Before", "After", "In", "On", "Greetings", "Meeting"})
_PLACE_WORD = re.compile(r"^(?:[A-Z0-9][\w’'.-]*,?|of|the|de|on|upon|am|an|der|la|le|and|in)$")
_ENDS_SENTENCE = re.compile(r"[.,;:!?…»”\")\]–-]$")
_SENTENCE_END_MARKS = frozenset(".,;:!?…»”\")]–-")  # the class of `_ENDS_SENTENCE`, for `_ends_sentence`
# Photo captions placed between paragraphs: third-person descriptions opening with these words.
_CAPTION_START = re.compile(
    r"^(?:At (?:a|an|the)\b(?! (?:same time|moment|end|beginning|start|least|first|very)\b)|"
    r"With\b|During\b|Before\b|After\b|Meeting (?:with|of)\b|Visit(?:ing)? (?:to|of)\b|"
    r"Ceremony\b|Presentation of\b|Statements for the press\b|Greetings?\b|Press statements?\b|Vladimir Putin "
    r"(?:at|with|and|during|visited|visiting|meets|met|before|after|in)\b|Direct Line with Vladimir Putin\b|"
    r"News conference\b|Annual news conference\b|Presidential Address\b|Address to\b)")
# Captions are verbless noun phrases; narration sentences that open the same way have a verb.
_NOT_CAPTION = re.compile(r"\b(?:I|we|We|you|You|our|Our|my|My|your|Your|us|me|will|was|were|is|are|has|have|had|"
                          r"be|been|discussed|took|said|noted|stressed|agreed|expressed|spoke|talked|can|would)\b")
# A caption that names the event it shows (`Minister X at the meeting on ...`, the title and a full stop), or
# credits its photographer; a speaker who names the event welcomes or thanks someone in the same sentence.
_PHOTO_CREDIT = re.compile(r"(?:^|\. )Photo: [A-Z][\w’'-]*(?: [A-Z][\w’'-]*){0,3}\.?$")
# Who stands where in a photo: `Anton Vaino (left)`, `Valery Zorkin, left, ...`, `From left: ...`.
_POSITIONS = re.compile(r"\((?:left|right|centre|center)\)|, (?:left|right|centre|center)(?:,| and\b)|"
                        r"^From (?:the )?left\b|\b[Ll]eft to right: ")
# `Transport Minister Maxim Sokolov at the sixth meeting of ...`: a person's role and name, then where the photo was
# taken; one sentence without a verb.
_PERSON_AT = re.compile(r" (?:at|during|before|after|prior to) (?:the|a|an) ")
_NOT_TITLE_CAPTION = re.compile(r"(?i)\b(?:welcome|thank|thanks|let|please|today|this|here)\b")
# A list of appointments printed as `Minister of Defence: Sergei Shoigu.`: a role, a colon and a bare name.
_BARE_NAME = re.compile(r"^(?!(?:In|At|On|To|By|For|From|With|Of|The|An?|Yes|No|Thank|Good|Very|All|Not|That|This|It|"
                        r"Of|And|But|So|Well|Mr|Ms|Mrs|Dear)\b)[A-Z][\w’'-]+(?: [A-Z][\w’'.-]+){1,3}\.$")

# A line opening with one of these continues the line before it (a line break after a link).
_CONTINUATION_MARKS = frozenset(",.;?!)]’")
# A label's note on the line after its name (`President of Slovenia Danilo Turk` / `(retranslated): Thank you.`).
_NOTE_COLON = re.compile(r"^\([^)]*\)\s*:")
# A bracket after one of these opens a stage note (`... these freedoms…` / `(Shouts from the audience.)`).
_BEFORE_A_NOTE = frozenset(",”\"»)…>“")
_NO_LABEL: tuple[Label | None, bool] = (None, False)  # a line without a colon: no label, whatever the names

FOOTER_HEADS = ("Geography", "Topics", "Persons")
# The site prints `None` as the title of a photo or video that has none (`<span class="media__title">None</span>`):
# a body line of that word alone is neither a caption nor a sub-heading.
UNTITLED = "None"
# Boxes of links to other pages placed in the body: a heading, then titles each with a date (or day span). Three
# boxes of the day files of March 2015 are headed in Russian.
BOX_HEADS = ("See also", "Additional", "Смотрите также")
PUBLICATION_STATUS = "Publication status"
PAGE_END = "Text version"


def parse_date(text: str) -> dt.date | None:
    """`August 19, 2022` -> date(2022, 8, 19); None when it is not such a date.

    >>> parse_date("August 19, 2022")
    datetime.date(2022, 8, 19)
    """
    m = _DATE.match(text)
    if not m or m["month"] not in MONTHS:
        return None
    try:
        return dt.date(int(m["year"]), MONTHS[m["month"]], int(m["day"]))
    except ValueError:
        return None


def parse_time(text: str) -> dt.time | None:
    """`16:15` -> time(16, 15); None when it is not a time of day."""
    m = _TIME.match(text)
    if not m or int(m["h"]) > 23 or int(m["m"]) > 59:
        return None
    return dt.time(int(m["h"]), int(m["m"]))


def looks_like_place(text: str) -> bool:
    """A place line: a few capitalised words (`The Kremlin, Moscow`, `Novo-Ogaryovo, Moscow Region`).

    Lower-case words may follow a comma-separated head (`Tsugol training range, Zabaikalsky Territory`);
    a line ending like a sentence, or opening with a preposition, is a caption.
    """
    words = text.split()
    if not 0 < len(words) <= 8 or len(text) > 80 or text.endswith((",", ".")) or words[0] in _NOT_PLACE_START:
        return False
    lower = [w.rstrip(",") for w in words if not _PLACE_WORD.match(w) and w not in ("–", "-")]
    return not lower or ("," in text and len(lower) <= 2 and all(w.isalpha() and w.islower() for w in lower))


def _ends_sentence(text: str) -> bool:
    """`_ENDS_SENTENCE.search(text)`, read off the last characters (the search tries every position)."""
    last = text[-1:]
    return last in _SENTENCE_END_MARKS or (last == "\n" and text[-2:-1] in _SENTENCE_END_MARKS)


def looks_like_subheading(text: str) -> bool:
    """A sub-heading: a short line that starts like a title and does not end like a sentence.

    A line ending in an omission (`... reserve requirements. <…>`) or in the closing quote of the early pages
    (`Thank you.“`) ends a sentence too.
    """
    # The cheap tests first: this runs on most body lines.
    return (len(text) <= 160 and text[:1].isupper() and not _ends_sentence(text) and len(text.split()) <= 20
            and not text.endswith(("<…>", "“")))


def looks_like_caption(text: str) -> bool:
    """An in-body photo caption: a short third-person description (`At the meeting with ...`)."""
    # The anchored opening first: few lines open like a caption, and it decides without splitting the line.
    return (len(text) <= 200 and bool(_CAPTION_START.match(text)) and len(text.split()) <= 30
            and text.count(",") <= 1 and not _NOT_CAPTION.search(text))


def looks_like_event_caption(text: str, title_key: str) -> bool:
    """A photo caption that names the page's event, says who stands where, or credits a photographer.

    `title_key` is the page title's first six words, casefolded.

    >>> looks_like_event_caption("Vladimir Putin’s annual news conference.", "vladimir putin’s annual news conference")
    True
    >>> looks_like_event_caption("Welcome to Vladimir Putin’s annual news conference.",
    ...                          "vladimir putin’s annual news conference")
    False
    """
    # Most lines are speech with a pronoun or an auxiliary verb: that search rejects them before anything else.
    if len(text) > 600 or _NOT_CAPTION.search(text):
        return False
    if ("Photo: " in text and _PHOTO_CREDIT.search(text)) or (("left" in text or "right" in text or "centre" in text)
                                                             and _POSITIONS.search(text)):
        return text.count(" ") < 80
    if title_key and title_key in text.casefold():
        return text.count(" ") < 60 and not _NOT_TITLE_CAPTION.search(text)
    at = _PERSON_AT.search(text) if text.endswith(".") and len(text) <= 300 else None
    return (at is not None and ". " not in text[at.end():] and is_label_text(text[:at.start()])
            and len(text[:at.start()].split()) >= 2 and not _NOT_TITLE_CAPTION.search(text))


def _is_list_entry(label: Label | None) -> bool:
    """`Minister of Defence: Sergei Shoigu.`: a label whose speech is a bare name (an item of a list)."""
    return (label is not None and len(label.rest) <= 60 and label.rest.endswith(".") and label.note is None
            and bool(_BARE_NAME.match(label.rest)))


@dataclass(slots=True)
class _Lines:
    """The page's non-empty lines with their line numbers in the input file."""

    nos: list[int]
    texts: list[str]

    def place_into(self, page: Page) -> Callable[[int, str], None]:
        """A recorder of where line `k` went, kept in ``page.line_places``."""
        places = page.line_places
        nos = self.nos

        def place(k: int, what: str) -> None:
            places.append((nos[k], what))

        return place


def parse_page(text: str, source_path: str, first_line: int = 1) -> Page:
    r"""Parse one text-version page (`Events` ... `Text version`) into a Page.

    Every non-empty line ends up in exactly one place: a header or footer field, a caption, a sub-heading,
    a `See also` box, narration, a turn, or ``page.issues``.

    >>> page = parse_page("Events\nTitle\nLead.\nAugust 19, 2022\nVladimir Putin: Hello.\nText version", "x")
    >>> (page.date.isoformat(), page.turns[0].label, page.turns[0].paragraphs)
    ('2022-08-19', 'Vladimir Putin', ['Hello.'])
    """
    return parse_lines(text.split("\n"), source_path, first_line)


def parse_lines(raw_lines: list[str], source_path: str, first_line: int = 1, *, line_nos: list[int] | None = None,
                file_date: dt.date | None = None) -> Page:
    """`parse_page` on the page's lines, as `sources.split_pages` gives them.

    ``line_nos`` gives each line's number in the file where lines are pieces of glued or flattened lines
    (default: consecutive from ``first_line``). A page without its `Events` line is read from its title when a
    title, lead and date still open it; otherwise it is a fragment (``is_fragment``: a body whose header the
    capture lost), dated ``file_date`` (the day file's name) and reported once as `no_header`.
    """
    page = Page(source_path=source_path, source_line=first_line,
                content_sha256=hashlib.sha256("\n".join(raw_lines).encode("utf-8")).hexdigest())
    nos = line_nos or range(first_line, first_line + len(raw_lines))
    if len(nos) != len(raw_lines):
        raise ValueError(f"{len(nos)} line numbers for {len(raw_lines)} lines")
    texts = [" ".join(raw.replace("\u00a0", " ").split()) if "  " in raw or "\u00a0" in raw else raw.strip()
             for raw in raw_lines]
    if all(texts):
        lines = _Lines(list(nos), texts)
    else:
        kept = [k for k, s in enumerate(texts) if s]
        lines = _Lines([nos[k] for k in kept], [texts[k] for k in kept])
    if lines.texts and lines.texts[-1] == NAN_COUNTER and len(lines.texts) > 1 and lines.texts[-2] == PAGE_END:
        page.line_places.append((lines.nos.pop(), "footer"))
        lines.texts.pop()
    ended = bool(lines.texts) and lines.texts[-1] == PAGE_END
    if ended:
        page.line_places.append((lines.nos.pop(), "footer"))
        lines.texts.pop()
    if not lines.texts:
        page.issues.append(Issue(first_line, "", "empty_page: no text between the page markers"))
        return page
    if lines.texts[0] == "Events" or _opens_with_header(lines.texts):
        if not ended:
            page.issues.append(Issue(lines.nos[-1], lines.texts[-1],
                                     "truncated: the page has no `Text version` end line"))
        body_start = _parse_header(lines, page)
    else:
        body_start = _parse_fragment_header(lines, page, file_date, ended)
    footer_start = _find_footer(lines, body_start)
    _parse_footer(lines, page, footer_start)
    _parse_body(lines, page, body_start, footer_start)
    return page


def _opens_with_header(t: list[str]) -> bool:
    """A page whose `Events` line was lost: a title, the lead's paragraphs and a date line still open it."""
    for d in range(1, min(len(t), 6)):
        if _is_date_line(t[d]):
            return not any(x in BOX_HEADS or _PHOTO_COUNTER.match(x) or parse_time(x) or match_label(x)
                           for x in t[:d])
    return False


def embedded_header(t: list[str]) -> int | None:
    """Index of a page header that starts inside a run of lines, after a body whose end the capture lost.

    A header is a title (not a sentence), at most two lead paragraphs, a date line and a time line.
    """
    for k in range(2, len(t) - 1):
        if _is_date_line(t[k]) and parse_time(t[k + 1]):
            h = k - 1
            while h > 0 and k - h <= 2 and t[h].endswith(".") and not t[h - 1].endswith((".", ":", "?", "!")):
                h -= 1
            if h > 0 and not _ENDS_SENTENCE.search(t[h]) and t[h - 1] not in BOX_HEADS and match_label(t[h]) is None:
                return h
    return None


def _is_lead_alone(t: list[str]) -> bool:
    """A header that lost its `Events` line and its title too: a lead of sentences right before the date."""
    return len(t) > 1 and _is_date_line(t[1]) and t[0].endswith(".") and len(t[0].split()) > 12


def _parse_fragment_header(lines: _Lines, page: Page, file_date: dt.date | None, ended: bool) -> int:
    """A body whose header was lost: what remains of the header (a time, then a place); returns the next index.

    The date is the day file's (``file_date``); the title stays null; one issue says the header is missing.
    """
    t = lines.texts
    place = lines.place_into(page)
    page.is_fragment = True
    # A stock line (`1 of 2`, `: Mr President,`) may open two fragments of a day: the id takes a paragraph.
    page.fragment_start = next((s for s in t if len(s) >= 40), t[0])
    page.date = file_date
    page.issues.append(Issue(lines.nos[0], t[0], "no_header: a page body whose header (`Events`, title, date) "
                             "the capture lost, read as a fragment " + ("dated from the file name" if file_date
                                                                       else "without a date")
                             + ("" if ended else "; its `Text version` end line is lost too")))
    i = 0
    if tm := parse_time(t[0]):
        page.time = tm
        place(0, "time")
        i = 1
        if i < len(t) and looks_like_place(t[i]) and t[i] not in FOOTER_HEADS and t[i] != PUBLICATION_STATUS:
            page.place = t[i]
            place(i, "place")
            i += 1
    return i


def _parse_header(lines: _Lines, page: Page) -> int:
    """Section, title, lead, date or announcement, time, place, photo counter and caption; returns the next index."""
    t = lines.texts
    i = 0
    place = lines.place_into(page)
    if t[0] == "Events":
        page.section = t[0]
        place(0, "section")
        i = 1
    if i < len(t) and not (i == 0 and _is_lead_alone(t)):
        page.title = t[i]
        place(i, "title")
        i += 1
    # The lead may run over a few paragraphs; it ends at the date line.
    lead_end = next((k for k in range(i, min(i + 5, len(t))) if _is_date_line(t[k])), i + 1)
    if lead_end > i and i < len(t) and not _is_date_line(t[i]):
        page.lead = _join_lead(t[i:lead_end])
        for k in range(i, min(lead_end, len(t))):
            place(k, "lead")
        i = lead_end
    if i < len(t) and (m := _ANNOUNCE.match(t[i])):
        page.is_announcement = True
        page.date = parse_date(f"{m['month']} {m['day']}, {m['year']}")
        place(i, "date")
        i += 1
    elif i < len(t) and (d := parse_date(t[i])):
        page.date = d
        place(i, "date")
        i += 1
        if i < len(t) and (tm := parse_time(t[i])):
            page.time = tm
            place(i, "time")
            i += 1
    else:
        page.issues.append(Issue(lines.nos[min(i, len(t) - 1)], t[min(i, len(t) - 1)],
                                 "no_date: no date line after the title and lead"))
        return i
    if i < len(t) and looks_like_place(t[i]) and not _PHOTO_COUNTER.match(t[i]) and t[i] not in FOOTER_HEADS \
            and t[i] != PUBLICATION_STATUS and not (i + 1 < len(t) and t[i + 1].startswith(":")):
        page.place = t[i]
        place(i, "place")
        i += 1
    return i


def _join_lead(paragraphs: list[str]) -> str:
    """The lead's paragraphs joined by a newline, but for lines that continue the line before them.

    A line that opens in lower case (after a space) or with `,.;?!)]’` goes on the line before it: the flattened
    page 55895 breaks its lead `Head of Rosfinmonitoring` / `briefed the President ...`.
    """
    lead = paragraphs[0]
    for s in paragraphs[1:]:
        if s[0].islower():
            lead += " " + s
        elif s[0] in _CONTINUATION_MARKS:
            lead += s
        else:
            lead += "\n" + s
    return lead


def _is_box_date(text: str) -> bool:
    """A date under a box title: `August 1, 2022` or a span `March 26 − 27, 2013`."""
    return parse_date(text) is not None or _ANNOUNCE.match(f"Announcement, {text}") is not None


def _is_date_line(text: str) -> bool:
    return parse_date(text) is not None or _ANNOUNCE.match(text) is not None


def _find_footer(lines: _Lines, body_start: int) -> int:
    """Index where the footer starts: its tag blocks, or the publication status."""
    t = lines.texts
    end = len(t)
    status = next((k for k in range(end - 1, body_start - 1, -1) if t[k] == PUBLICATION_STATUS), None)
    if status is None:
        # A cut-off page: the footer may still have started with a tag block.
        status = end
        while status > body_start and t[status - 1] not in FOOTER_HEADS and not _PUBLISHED_IN.match(t[status - 1]) \
                and not _PUB_DATE.match(t[status - 1]):
            status -= 1
        if status == body_start:
            return end
        status -= 1
    start = status
    k = status - 1
    while k >= body_start and _is_tag_line(t[k]):
        if t[k] in FOOTER_HEADS:
            start = k
        k -= 1
    return start


def _is_tag_line(text: str) -> bool:
    return text in FOOTER_HEADS or (len(text) <= 100 and not text.endswith((".", ":", "?", "!")))


def _parse_body(lines: _Lines, page: Page, start: int, stop: int) -> None:
    stop, joined = _join_continuations(lines, start, stop)
    places = page.line_places  # appended to directly: this loop runs for every line of the corpus
    body_places = len(places)
    _read_body(lines, page, start, stop)
    if joined:  # a joined line goes where the line it continues went
        for no, what in places[body_places:]:
            for extra in joined.pop(no, ()):
                places.append((extra, what))


def _join_continuations(lines: _Lines, start: int, stop: int) -> tuple[int, dict[int, list[int]]]:
    """Glue to the line before it each body line that continues it; returns the new stop and the glued line numbers.

    The text version breaks a line after each link (`... citizens of CIS` / `states to enter ...`, `... Mr Siluanov` /
    `, this is ...`, `Mr Naryshkin` / `[Chief of Staff ...] sends me ...`, `... Eurasian Economic Union` / `(EAEU). In
    recent years ...`): a line that opens in lower case or with a bracket (and is not a label: `chairman of ...
    Nikolai Tokarev:`, nor a label's note: `(retranslated): ...`), or with a mark that never opens a paragraph
    (`,.;?!)]’`), goes on the line before it, after a space where it opens with a letter or bracket. A line in
    lower case or opening with a bracket after the end of a sentence or a colon stays a paragraph (`caller: Good
    evening`, `a) aimed at ...;`, `[Mr Miller went on to report ...]`), and so does a stage note after a comma,
    a quote or an ellipsis (`Good afternoon,` / `(Addressing ...)`, `... these freedoms…` / `(Shouts ...)`). Only
    whole lines join (the pieces of a flattened line are fields and paragraphs). The line before must be text, not
    a separator, an omission, a `See also` heading, a photo counter or a date. ``joined`` maps the line number of
    each line that took others to theirs.
    """
    t, nos = lines.texts, lines.nos
    if not any(s[0] in _CONTINUATION_MARKS or s[0].islower() or s[0] in "[(" for s in t[start + 1:stop]):
        return stop, {}
    texts, numbers = t[:start + 1], nos[:start + 1]
    joined: dict[int, list[int]] = {}
    for k in range(start + 1, stop):
        s, before = t[k], texts[-1]
        head = s[0]
        opens_word = head.islower() or head == "[" or (
            head == "(" and before[-1] not in _BEFORE_A_NOTE and not _NOTE_COLON.match(s))
        if (head in _CONTINUATION_MARKS or (opens_word and before[-1] not in ".!?:"
                                            and _continues_in_lower_case(s, t[k + 1] if k + 1 < stop else ""))) \
                and nos[k] != nos[k - 1] and (k + 1 == len(nos) or nos[k + 1] != nos[k]) \
                and not _takes_no_continuation(before):
            texts[-1] = f"{before} {s}" if opens_word else before + s
            joined.setdefault(numbers[-1], []).append(nos[k])
        else:
            texts.append(s)
            numbers.append(nos[k])
    new_stop = len(texts)
    texts.extend(t[stop:])
    numbers.extend(nos[stop:])
    lines.texts, lines.nos = texts, numbers
    return new_stop, joined


def _continues_in_lower_case(s: str, nxt: str) -> bool:
    """A line in lower case (or opening with a bracket) that continues the line before it: it is not a label.

    A label may open in lower case (`chairman of ... Nikolai Tokarev: ...`), and its colon may open the next line
    (`chairman of ... Viktor Khristenko` / `: Mr President, ...`).
    """
    return not nxt.startswith((":", "(")) and (":" not in s or match_label_once(s)[0] is None)


def _takes_no_continuation(text: str) -> bool:
    """A body line that another line never continues: a separator, an omission, a box heading, a counter, a date."""
    return (text in BOX_HEADS or bool(SEPARATOR.match(text)) or bool(OMISSION.match(text))
            or bool(_PHOTO_COUNTER.match(text)) or _is_box_date(text))


def _read_body(lines: _Lines, page: Page, start: int, stop: int) -> None:
    """Place each body line: separators, omissions, boxes, captions, sub-headings, narration and turns."""
    t, nos = lines.texts, lines.nos
    places = page.line_places  # appended to directly: this loop runs for every line of the corpus
    # Each line is matched once without the page's names; again with them only where they could count.
    matches = [match_label_once(s) if ":" in s else _NO_LABEL for s in t[start:stop]]
    # The page's bare-name labels (`Ella Pamfilova:`): names the page gives itself, with its Persons tags.
    speakers = short_label_names(dict.fromkeys(m.label for m, _ in matches if m is not None))  # each label once
    known = speakers | set(persons_to_names(page.persons))
    # A title of a few words may stand in a speech by chance; one of four words or more names the event.
    # The first six words only: a caption may shorten the rest (`... lifting of the Nazi siege` for `... of siege`).
    title_key = " ".join(page.title.casefold().split()[:6]) if page.title and len(page.title.split()) >= 4 else ""
    repeated = _repeated_lines(t[start:stop])
    turn: Turn | None = None
    subheading: str | None = None
    after_omission = False
    i = start
    while i < stop:
        s = t[i]
        nxt = t[i + 1] if i + 1 < stop else None
        head = s[0]
        if head == "*" and SEPARATOR.match(s):
            places.append((nos[i], "separator"))
            i += 1
            continue
        if (head == "<" or head == "‹") and OMISSION.match(s):
            places.append((nos[i], "omission"))
            page.n_omissions += 1
            after_omission = True
            i += 1
            continue
        if s in BOX_HEADS:
            places.append((nos[i], "see_also"))
            i = _parse_see_also(lines, page, i + 1, stop)
            continue
        if head.isdigit() and nxt is not None and _PHOTO_COUNTER.match(s):
            places.append((nos[i], "photo_counter"))
            if nxt == UNTITLED:
                places.append((nos[i + 1], "untitled_media"))
            else:
                page.photo_captions.append(nxt)
                places.append((nos[i + 1], "photo_caption"))
            i += 2
            continue
        if s == UNTITLED:
            places.append((nos[i], "untitled_media"))
            i += 1
            continue
        label = match_split_label(s, nxt, known) if nxt is not None and nxt[0] in ":(" else None
        if label is None and nxt is not None and nos[i - 1] == nos[i] != nos[i + 1] and i > start:
            label = _wrapped_label(s, nxt, known)
        width = 2
        if label is None:
            label, asks_names = matches[i - start]
            if asks_names and known:
                label = match_label_with(s, known)
            width = 1
        if label is None and speakers and s[:1].isupper() and (label := _stop_label(s, speakers)) is not None \
                and turn is not None and turn.label == label.label:
            label = None  # the speaker gives his name: `Oleg Kashtanov: Good afternoon.` / `Oleg Kashtanov. Izvestia.`
        if label is not None and width == 1 and _is_list_entry(label) and _in_list(matches, i - start):
            label = None  # one of a list of appointments printed `Role: Name.`, not a turn
        if label is not None:
            if label.lead:  # the end of the previous paragraph, glued to this label
                (turn.paragraphs if turn is not None else page.narration).append(label.lead)
            turn = Turn(label=label.label, paragraphs=[label.rest] if label.rest else [], label_note=label.note,
                        subheading=subheading, follows_omission=after_omission, line_no=nos[i])
            page.turns.append(turn)
            for k in range(i, i + width):
                places.append((nos[k], "turn"))
            after_omission = False
            i += width
            continue
        if looks_like_caption(s) or (turn is not None and len(s) <= 600 and (looks_like_event_caption(s, title_key) or (
                s in repeated and not _NOT_CAPTION.search(s)))):
            page.photo_captions.append(s)
            places.append((nos[i], "photo_caption"))
        elif looks_like_subheading(s) and not (nxt and nxt[0].islower()):  # a wrapped line goes on lower-case
            page.subheadings.append(s)
            places.append((nos[i], "subheading"))
            subheading = s
        elif turn is None:
            page.narration.append(s)
            places.append((nos[i], "narration"))
        else:
            turn.paragraphs.append(s)
            places.append((nos[i], "turn"))
        i += 1


def _wrapped_label(s: str, nxt: str, known: set[str]) -> Label | None:
    """A label that a flattened page's line break cut in two: `... Sobchak.   President of Russia` / `Vladimir Putin:`.

    `s` ends a line of several pieces, `nxt` opens the next line; the two read as one label, and `nxt` as one too.
    """
    if not s[:1].isupper() or _ENDS_SENTENCE.search(s) or len(s.split()) > 12:
        return None
    joined = match_label_with(f"{s} {nxt}", known)
    if joined is None or joined.lead is not None or not joined.label.startswith(s):
        return None
    alone = match_label_with(nxt, known)
    return joined if alone is not None and alone.lead is None and joined.label.endswith(alone.label) else None


def _in_list(matches: list[tuple[Label | None, bool]], i: int) -> bool:
    """Body line `i` is in a run of three or more `Role: Name.` lines (a dialogue does not answer with names).

    ``matches`` are the body's lines as `match_label_once` reads them.
    """
    def entry(k: int) -> bool:
        return 0 <= k < len(matches) and _is_list_entry(matches[k][0])

    return (entry(i - 1) and (entry(i - 2) or entry(i + 1))) or (entry(i + 1) and entry(i + 2))


def _repeated_lines(body: list[str]) -> set[str]:
    """Sentences printed twice or more on a page: a photo caption under each of several photos.

    Only lines of six to forty words that end in a full stop: a speech may repeat `Thank you very much.`, and
    a page may print a paragraph of a speech twice by mistake (page 51618).
    """
    seen: set[str] = set()
    twice: set[str] = set()
    for s in body:
        if len(s) <= 320 and s.endswith(".") and 5 <= s.count(" ") < 40 and ": " not in s:
            (twice if s in seen else seen).add(s)
    return twice


def _stop_label(s: str, speakers: set[str]) -> Label | None:
    """`Sebastian Kurz. Thank you ...`: a full stop for the colon after a name the page prints as a label elsewhere."""
    dot = s.find(". ", 0, 80)
    if dot > 0 and s[:dot] in speakers and s[dot + 2:dot + 3].isupper() and not s.startswith("Photo", dot + 2):
        return Label(s[:dot], None, s[dot + 2:])
    return None


def _parse_see_also(lines: _Lines, page: Page, i: int, stop: int) -> int:
    """A `See also` or `Additional` box: titles with their dates; returns the index after the box.

    A box may hold a title without a date (a link to a section); that title is taken alone.
    """
    t = lines.texts
    place = lines.place_into(page)
    first = i
    while i < stop:
        dated = i + 1 < stop and _is_box_date(t[i + 1])
        if i > first and not dated:
            break
        page.see_also.append(t[i])
        place(i, "see_also")
        if dated:
            place(i + 1, "see_also")
        i += 2 if dated else 1
    if i == first:
        page.issues.append(Issue(lines.nos[i - 1], t[i - 1], f"see_also: a `{t[i - 1]}` box heading without a title"))
    return i


def _parse_footer(lines: _Lines, page: Page, start: int) -> None:
    t, nos = lines.texts, lines.nos
    place = lines.place_into(page)
    block: list[str] | None = None
    blocks = {"Geography": page.geography, "Topics": page.topics, "Persons": page.persons}
    for k in range(start, len(t)):
        s = t[k]
        if s in blocks:
            block = blocks[s]
        elif s == PUBLICATION_STATUS:
            block = None
        elif m := _PUBLISHED_IN.match(s):
            page.published_in = [x.strip() for x in m["sections"].split(",") if x.strip()]
        elif m := _PUB_DATE.match(s):
            d = parse_date(m["date"])
            tm = parse_time(m["time"]) if m["time"] else dt.time(0, 0)
            page.published_at = dt.datetime.combine(d, tm or dt.time(0, 0)) if d else None
        elif m := _DIRECT_LINK.match(s):
            page.site_id = int(m["id"])
            page.url = f"http://en.kremlin.ru/events/president/news/{page.site_id}"
        elif _MORE_TOGGLE.match(s) and block is not None:
            pass
        elif block is not None:
            block.append(s)
        else:
            page.issues.append(Issue(nos[k], s, "footer: a footer line of unknown form"))
            place(k, "issue")
            continue
        place(k, "footer")
