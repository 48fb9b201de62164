"""The Page type: what every input format is parsed into, and all that comes after reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


class PageError(ValueError):
    """The input is not a page at all (a listing page, another site, no page markers).

    ``reason`` is a short code (`not_article`, `no_page`, ...); ``line_no`` the line, when one is to blame.
    Build turns it into a parse_issues row naming the file and goes on with the other inputs.
    """

    def __init__(self, reason: str, message: str, line_no: int | None = None) -> None:
        """Keep the reason code, the message and the line apart for the parse_issues row."""
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message
        self.line_no = line_no


@dataclass(slots=True)
class Issue:
    """Something in an input that the parser could not place, with where it stands."""

    line_no: int | None
    text: str
    reason: str


@dataclass(slots=True)
class Turn:
    """One speaker turn: a label and the paragraphs spoken under it.

    ``label`` is the label as printed, without its colon and without the parenthetical note;
    ``person_id`` is the site's catalogue id of the person when the page links the label to
    one (HTML only). The label's person card and glued words are taken out later, in `rows.page_rows`.
    """

    label: str
    paragraphs: list[str]
    label_note: str | None = None
    subheading: str | None = None
    follows_omission: bool = False
    line_no: int | None = None
    person_id: int | None = None


@dataclass(slots=True)
class Page:
    """One en.kremlin.ru page, whatever format it came in.

    Text and HTML parsers both return this; nothing after it knows the source format.
    ``narration`` holds body paragraphs that no speaker says: all of a news item's body, or
    the paragraphs before the first turn of a transcript. ``is_fragment`` marks a text body whose header the
    capture lost; ``fragment_start`` is its first paragraph, which keys its event id. ``line_places`` records, for
    text input, where each non-empty input line went (``(line_no, place)``), so tests can prove that no line is
    lost.
    """

    source_path: str
    source_line: int = 1
    content_sha256: str = ""
    section: str | None = None
    title: str | None = None
    lead: str | None = None
    date: dt.date | None = None
    time: dt.time | None = None
    place: str | None = None
    is_announcement: bool = False
    is_fragment: bool = False
    fragment_start: str | None = None
    site_id: int | None = None
    url: str | None = None
    photo_captions: list[str] = field(default_factory=list)
    subheadings: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    narration: list[str] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    n_omissions: int = 0
    geography: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    geography_codes: list[str | None] = field(default_factory=list)
    topic_ids: list[int | None] = field(default_factory=list)
    person_ids: list[int | None] = field(default_factory=list)
    linked_persons: dict[str, int] = field(default_factory=dict)
    published_in: list[str] = field(default_factory=list)
    published_at: dt.datetime | None = None
    issues: list[Issue] = field(default_factory=list)
    line_places: list[tuple[int, str]] = field(default_factory=list)
