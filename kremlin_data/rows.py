"""A Page -> its events row and utterances rows (plain dicts keyed by the schema's column names). Pure."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Container
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from kremlin_data._version import __version__
from kremlin_data.page import Page
from kremlin_data.replies import reply_links
from kremlin_data.schema import MOSCOW
from kremlin_data.speakers import (
    clean_label,
    fix_joined_name,
    generic_kind,
    persons_to_names,
    short_label_names,
    speaker_id,
    split_label,
    tag_names,
)

_TZ = ZoneInfo(MOSCOW)

Row = dict[str, Any]


def event_id(page: Page) -> str:
    """`kremlin-en-<site id>`; without a site id, `kremlin-en-<yyyymmdd>-<hhmm>-<8 hex of sha1(title)>`.

    The fallback uses only date, time and title (the lead where the capture lost the title), so fixing a typo
    in the body keeps the id. A fragment (no title) without a site id is
    `kremlin-en-<yyyymmdd>-fragment-<8 hex of sha1(its first line of 40 characters or more)>`.

    >>> event_id(Page(source_path="x", site_id=68991))
    'kremlin-en-68991'
    """
    if page.site_id is not None:
        return f"kremlin-en-{page.site_id}"
    day = yyyymmdd(page.date) if page.date else "00000000"
    if page.is_fragment:
        digest = hashlib.sha1((page.fragment_start or "").encode("utf-8")).hexdigest()[:8]
        return f"kremlin-en-{day}-fragment-{digest}"
    hhmm = clock(page.time, "") if page.time else "0000"
    digest = hashlib.sha1((page.title or page.lead or "").encode("utf-8")).hexdigest()[:8]
    return f"kremlin-en-{day}-{hhmm}-{digest}"


def yyyymmdd(day: dt.date) -> str:
    """`day.strftime("%Y%m%d")`, formatted without strftime (a C call that reads the locale) from year 1000 on.

    >>> yyyymmdd(dt.date(2017, 4, 9))
    '20170409'
    """
    if day.year < 1000:  # strftime does not pad such years to four digits on every platform
        return day.strftime("%Y%m%d")
    return f"{day.year}{day.month:02d}{day.day:02d}"


def clock(time: dt.time, sep: str = ":") -> str:
    """A time of day as hours and minutes: `HH:MM` (the events' `time`), `HHMM` with `sep=""` (in an event id).

    >>> clock(dt.time(9, 5)), clock(dt.time(16, 15), "")
    ('09:05', '1615')
    """
    return f"{time.hour:02d}{sep}{time.minute:02d}"


def _zoned(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=_TZ) if value is not None else None


class _Speaker(NamedTuple):
    """Who speaks under one cleaned label of a page."""

    kind: str
    name: str | None
    """The name as `split_label` gives it (the key of the page's linked persons)."""
    role: str | None
    speaker_name: str | None
    speaker_id: str | None


def _speaker(label: str, known: set[str]) -> _Speaker:
    """A cleaned label's turn kind, and for a named one its speaker's name, role and id.

    `split_label` reads the page's known names only by asking whether a string is one of them, so a label read
    before gives the same answer on a page whose names answer those questions the same way (a label recurs over
    pages, and so do the names that count for it: `Vladimir Putin` in `President of Russia Vladimir Putin`).
    """
    readings = _READINGS.get(label)
    if readings is None:
        if len(_READINGS) >= _MAX_LABELS:
            _READINGS.clear()
        readings = _READINGS[label] = []
    for asked, answers, who in readings:
        if all((name in known) is answer for name, answer in zip(asked, answers, strict=True)):
            return who
    names = _AskedNames(known)
    who = _speaker_with(label, names)
    if len(readings) < _MAX_READINGS:
        readings.append((tuple(names.asked), tuple(names.answers), who))
    return who


def _speaker_with(label: str, known: Container[str]) -> _Speaker:
    """`_speaker`, read in full."""
    kind = generic_kind(label) or "named"
    name, role = split_label(label, known) if kind == "named" else (None, None)
    if not name:
        return _Speaker(kind, name, role, None, None)
    return _Speaker(kind, name, role, fix_joined_name(name), speaker_id(name))


class _AskedNames:
    """A page's known names that keep the strings looked up in them, and the answers.

    Only a container (`in`), not a set: `split_label` never iterates its known names, and an iteration here
    would see none of them.
    """

    __slots__ = ("answers", "asked", "known")

    def __init__(self, known: set[str]) -> None:
        self.known = known
        self.asked: list[str] = []
        self.answers: list[bool] = []

    def __contains__(self, name: object) -> bool:
        answer = name in self.known
        self.asked.append(str(name))
        self.answers.append(answer)
        return answer


# Each label's readings: the strings `split_label` asked about, their answers, and what it gave (bounded).
_READINGS: dict[str, list[tuple[tuple[str, ...], tuple[bool, ...], _Speaker]]] = {}
_MAX_LABELS = 1 << 15
_MAX_READINGS = 8


def page_rows(page: Page) -> tuple[Row, list[Row]]:
    """The events row and the utterances rows of one page."""
    eid = event_id(page)
    # What the saved browser text adds to a label (person card, glued words, `X on Y`) goes, in either format.
    # A page prints few labels many times: each is cleaned and split once.
    cleaned = {label: clean_label(label, page.persons) for label in dict.fromkeys(t.label for t in page.turns)}
    known = (short_label_names(c.label for c in cleaned.values()) | set(tag_names(page.persons))
             | set(persons_to_names(c.person_card for c in cleaned.values() if c.person_card)))
    speakers = {c.label: _speaker(c.label, known) for c in cleaned.values()}
    utterances: list[Row] = []
    for seq, turn in enumerate(page.turns, start=1):
        clean = cleaned[turn.label]
        who = speakers[clean.label]
        text = "\n".join(turn.paragraphs)
        person = turn.person_id
        if person is None and who.name is not None:
            person = page.linked_persons.get(who.name)
        utterances.append({
            "utterance_id": f"{eid}.u{seq}",
            "event_id": eid,
            "seq": seq,
            "speaker_label": clean.label,
            "label_note": turn.label_note or clean.topic,
            "speaker_name": who.speaker_name,
            "speaker_role": who.role,
            "speaker_id": who.speaker_id,
            "person_card": clean.person_card,
            "person_id": person,
            "kind": who.kind,
            "subheading": turn.subheading,
            "text": text,
            "n_words": len(text.split()),
            "n_paragraphs": len(turn.paragraphs),
            "follows_omission": turn.follows_omission,
        })
    links, asks = reply_links(utterances, page.title)
    for row, link, question in zip(utterances, links, asks, strict=True):
        row["reply_to"] = utterances[link]["utterance_id"] if link is not None else None
        row["is_question"] = question
    started = dt.datetime.combine(page.date, page.time) if page.date and page.time else None
    event: Row = {
        "event_id": eid,
        "site_id": page.site_id,
        "url": page.url,
        "source_path": page.source_path,
        "source_line": page.source_line,
        "section": page.section,
        "title": page.title,
        "lead": page.lead,
        "date": page.date,
        "time": clock(page.time) if page.time else None,
        "started_at": _zoned(started),
        "place": page.place,
        "is_fragment": page.is_fragment,
        "is_announcement": page.is_announcement,
        "photo_captions": page.photo_captions,
        "subheadings": page.subheadings,
        "see_also": page.see_also,
        "narration": page.narration,
        "geography": page.geography,
        "topics": page.topics,
        "persons": page.persons,
        "geography_codes": page.geography_codes,
        "topic_ids": page.topic_ids,
        "person_ids": page.person_ids,
        "published_in": page.published_in,
        "published_at": _zoned(page.published_at),
        "n_utterances": len(utterances),
        "n_words": sum(u["n_words"] for u in utterances),
        "n_omissions": page.n_omissions,
        "content_sha256": page.content_sha256,
        "parser_version": __version__,
    }
    return event, utterances
