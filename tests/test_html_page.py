"""HTML parser: one rule per table row on small hand-written pages, golden real pages, bad input, the archive."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from conftest import GOLDEN, HTML_DIR, SHARED_DATA, need
from golden_util import expected_json
from hypothesis import example, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from kremlin_data.html_page import (
    _all_emphasis,
    _article_bytes,
    _article_slice,
    _blank,
    _decoded_source,
    _is_utf8,
    _label,
    _opens_with_words,
    _plain_generic,
    _source,
    _text,
    clean,
    parse_html,
)
from kremlin_data.page import Page, PageError

HEADER = (
    '<a href="http://en.kremlin.ru/events/president/news" class="read__categ">Events</a>'
    '<h1 class="entry-title p-name">Meeting with\u00a0President of&nbsp;Kazakhstan</h1>'
    '<div class="read__lead"><div><p>Vladimir Putin met with&nbsp;President\nTokayev.</p></div></div>'
    '<div class="read__meta"><time class="read__published" datetime="2022-08-19">August 19, 2022</time>'
    '<div class="read__time">16:15</div><div class="read__place p-location"><i></i>Sochi</div></div>'
)
FOOTER = (
    '<div class="read__bottommeta hidden-copy"><div class="read__tags masha-ignore">'
    '<div class="read__tagscol"><h3>Geography</h3><ul class="read__taglist">'
    '<li><a href="http://en.kremlin.ru/catalog/countries/KZ/events" rel="tag"><i></i>Kazakhstan</a></li></ul></div>'
    '<div class="read__tagscol"><h3>Topics</h3><ul class="read__taglist">'
    '<li><a href="http://en.kremlin.ru/catalog/keywords/82/events"><i></i>Foreign policy </a></li>'
    '<li class="hidden"><a href="http://en.kremlin.ru/catalog/keywords/31/events"><i></i>Media</a></li>'
    '<li class="read__tagsmore"><a><i></i>1 more</a></li></ul></div>'
    '<div class="read__tagscol"><h3>Persons</h3><ul class="read__taglist">'
    '<li><a href="http://en.kremlin.ru/catalog/persons/600/events"><i></i>Tokayev Kassym-Jomart</a></li></ul></div>'
    '</div><div class="read__status masha-ignore"><h3>Publication status</h3>'
    '<p>Published in&nbsp;sections: <a href="x">News</a>, <a href="y">Transcripts</a><br></p>'
    '<p> Publication date: <time datetime="2022-08-19">August 19, 2022, 16:15</time></p>'
    '<p class="print_link_wrap"> Direct link: <a class="print_link" href="http://en.kremlin.ru/d/69175">'
    'en.kremlin.ru/d/69175</a></p><p><a class="text_version_link">Text version</a></p></div></div>'
)
TOOLTIP = ('<span class="read__tooltip tooltip_person hidden masha-ignore"><span class="tooltip__text">'
           '<span class="tooltip_title">Tokayev Kassym-Jomart</span></span></span>')


def html_page(body: str, header: str = HEADER, footer: str = FOOTER, article_id: str = "event-69175") -> bytes:
    """A page in the site's markup around a hand-written body."""
    return (
        '<!DOCTYPE html><html><head><title>x</title></head><body class="is-reading">'
        '<div class="read" data-href="http://en.kremlin.ru/events/president/news/69175">'
        f'<article class="read__in hentry h-entry" id="{article_id}"><div class="read__content">'
        f'<div class="read__top"><div class="width_limiter">{header}</div></div>'
        f'<div class="entry-content e-content read__internal_content">{body}{footer}</div>'
        '</div></article></div></body></html>'
    ).encode()


def parse_body(body: str) -> Page:
    return parse_html(html_page(body), "test.html")


def turns_of(page: Page) -> list[tuple[str, str | None, list[str]]]:
    return [(t.label, t.label_note, t.paragraphs) for t in page.turns]


# ---- header and footer ----------------------------------------------------------------------------------

def test_header_fields() -> None:
    page = parse_body("<p>Text.</p>")
    assert page.section == "Events"
    assert page.title == "Meeting with President of Kazakhstan"
    assert page.lead == "Vladimir Putin met with President Tokayev."
    assert (page.date, page.time, page.place) == (dt.date(2022, 8, 19), dt.time(16, 15), "Sochi")
    assert not page.is_announcement
    assert (page.site_id, page.url) == (69175, "http://en.kremlin.ru/events/president/news/69175")


def test_footer_fields_with_hidden_tags_and_without_the_toggle() -> None:
    page = parse_body("<p>Text.</p>")
    assert (page.geography, page.geography_codes) == (["Kazakhstan"], ["KZ"])
    assert (page.topics, page.topic_ids) == (["Foreign policy", "Media"], [82, 31])
    assert (page.persons, page.person_ids) == (["Tokayev Kassym-Jomart"], [600])
    assert page.published_in == ["News", "Transcripts"]
    assert page.published_at == dt.datetime(2022, 8, 19, 16, 15)
    assert page.issues == []


def test_lead_of_several_paragraphs_is_joined_by_newlines() -> None:
    header = HEADER.replace("<div><p>Vladimir Putin met with&nbsp;President\nTokayev.</p></div>",
                            "<p>One.</p><p>Two.</p>")
    assert parse_html(html_page("<p>x</p>", header=header), "t").lead == "One.\nTwo."


def test_announcement_takes_the_announced_date() -> None:
    header = HEADER.split('<div class="read__meta">')[0] + (
        '<div class="read__meta"></div></div></div><div class="announce_date"><div>Announcement, '
        'December 14, 2012</div></div><div>')
    page = parse_html(html_page("<p>The summit’s agenda.</p>", header=header), "t")
    assert page.is_announcement
    assert (page.date, page.time, page.place) == (dt.date(2012, 12, 14), None, None)
    assert page.narration == ["The summit’s agenda."]


def test_site_id_falls_back_to_the_reading_pane_link() -> None:
    assert parse_html(html_page("<p>x</p>", article_id="x"), "t").site_id == 69175


def test_content_hash_is_of_the_decoded_text() -> None:
    data = html_page("<p>x</p>")
    assert parse_html(data, "t").content_sha256 == hashlib.sha256(data).hexdigest()


# ---- speaker labels: one form per row -------------------------------------------------------------------

LABELS = [
    # (body paragraph, expected (label, note, paragraphs) of the one turn, or None for no turn)
    ("<p><b>Vladimir Putin:</b> Good afternoon.</p>", ("Vladimir Putin", None, ["Good afternoon."])),
    ("<p><b>Vladimir Putin</b>: Good afternoon.</p>", ("Vladimir Putin", None, ["Good afternoon."])),
    ("<p><b>President of&nbsp;Russia Vladimir\nPutin: </b>Hi.</p>",
     ("President of Russia Vladimir Putin", None, ["Hi."])),
    ("<p><b>Vladimir</b><b> Putin</b><b>:</b> Hi.</p>", ("Vladimir Putin", None, ["Hi."])),
    ("<p><b>Chairman of Slovenia</b><b>-</b><b>Russia Association Sasa Gerzina</b>: Hi.</p>",
     ("Chairman of Slovenia-Russia Association Sasa Gerzina", None, ["Hi."])),
    ("<p>V<b>ladimir Putin: </b>Indeed.</p>", ("Vladimir Putin", None, ["Indeed."])),
    ("<p><b>Vladimir Putin:</b>Yes.</p>", ("Vladimir Putin", None, ["Yes."])),
    ("<p><b>Sauli Niinisto</b> (retranslated): Thank you.</p>", ("Sauli Niinisto", "retranslated", ["Thank you."])),
    ("<p><b>Sauli Niinisto</b> <i>(</i><i>retranslated</i><i>)</i><b>:</b> Thank you.</p>",
     ("Sauli Niinisto", "retranslated", ["Thank you."])),
    ("<p><b>Markus Soeder</b> <i>(retranslated</i><b>:</b> Thank you.</p>",
     ("Markus Soeder", "retranslated", ["Thank you."])),
    ("<p><b>Vladimir Putin (</b>answering Alexei Machnev, Speaker of Parliament): Mr Machnev.</p>",
     ("Vladimir Putin", "answering Alexei Machnev, Speaker of Parliament", ["Mr Machnev."])),
    ("<p><b>Volunteer </b>(<i>Passes a document to the President.)</i><b>:</b> This one.</p>",
     ("Volunteer", "Passes a document to the President.", ["This one."])),
    ("<p><b>Construction, Housing and Utilities Minister</b> Mikhail Men: Mr President.</p>",
     ("Construction, Housing and Utilities Minister Mikhail Men", None, ["Mr President."])),
    ("<p><b>Minister of Civil Defence, Emergencies and Disaster Relief Vladimir Puchkov:</b> Mr President.</p>",
     ("Minister of Civil Defence, Emergencies and Disaster Relief Vladimir Puchkov", None, ["Mr President."])),
    ("<p><b>Alexei Kudrin, Chairman of the Accounts Chamber:</b> Thank you.</p>",
     ("Alexei Kudrin, Chairman of the Accounts Chamber", None, ["Thank you."])),
    ("<p><b>Chairman of the Federation of Trade Unions (FNPR) Mikhail Shmakov:</b> Not only.</p>",
     ("Chairman of the Federation of Trade Unions (FNPR) Mikhail Shmakov", None, ["Not only."])),
    ("<p><b>Megyn Kelly </b>With this?</p>", ("Megyn Kelly", None, ["With this?"])),
    ("<p><b>Vladimir Putin</b>. Thank you.</p>", ("Vladimir Putin", None, ["Thank you."])),
    ("<p><b>Question:</b> How?</p>", ("Question", None, ["How?"])),
    ("<p><b>Angela Merkel</b>: <i>(retranslated)</i><b>:</b> Thank you.</p>",
     ("Angela Merkel", "retranslated", ["Thank you."])),
    ("<p><b>Remark</b> (<i>off-mic</i>): Yes.</p>", ("Remark", "off-mic", ["Yes."])),
    ("<p>Question: Are you considering a successor?</p>", ("Question", None, ["Are you considering a successor?"])),
    ("<p><b>Deputy Director General of the OPCW Hamid Ali Rao:</b></p>",
     ("Deputy Director General of the OPCW Hamid Ali Rao", None, [])),
    # not labels
    ("<p>Question: at what expense?</p>", None),
    ("<p>Interior Minister: Vladimir Kolokoltsev.</p>", None),
    ("<p><b>Remark </b><i>from the audience.</i></p>", None),
    ("<p>We met <b>Vladimir Putin:</b> twice.</p>", None),
    ("<p><b>Meeting points:</b></p>", None),
    ("<p><b>Contact numbers: +7 495 606 30 63.</b></p>", None),
    ("<p><b>Main events</b> (the starting time is provisional): 10.00 Opening.</p>", None),
    ("<p><b>Pavel Basinsky,</b> born in 1961, is a writer.</p>", None),
    ("<p><b>Boris Eifman</b>, born July 22, 1946, is a choreographer.</p>", None),
]


@pytest.mark.parametrize("body, expected", LABELS)
def test_label_forms(body: str, expected: tuple[str, str | None, list[str]] | None) -> None:
    page = parse_body(body)
    if expected is None:
        assert page.turns == []
        assert len(page.narration) + len(page.subheadings) == 1
    else:
        assert turns_of(page) == [expected]


def test_label_inside_a_person_link_gives_the_person_id_and_drops_the_tooltip() -> None:
    body = (f'<p><a href="http://en.kremlin.ru/catalog/persons/600/events" class="person_tag read__tag">'
            f"<b>Kassym-Jomart Tokayev</b>{TOOLTIP}</a><b>:</b> Thank you.</p>"
            f'<p>We met <a href="http://en.kremlin.ru/catalog/persons/8/events" class="person_tag">Arkady '
            f"Dvorkovich{TOOLTIP}</a> today.</p>")
    page = parse_body(body)
    (turn,) = page.turns
    assert (turn.label, turn.person_id) == ("Kassym-Jomart Tokayev", 600)
    assert turn.paragraphs == ["Thank you.", "We met Arkady Dvorkovich today."]
    assert page.linked_persons == {"Kassym-Jomart Tokayev": 600, "Arkady Dvorkovich": 8}


def test_linked_name_after_the_bold_role_gives_the_person_id() -> None:
    body = ('<p><b>Construction, Housing and Utilities Minister</b> <a href="http://en.kremlin.ru/catalog/persons/'
            f'410/events" class="person_tag read__tag">Mikhail Men{TOOLTIP}</a>: Mr President.</p>')
    (turn,) = parse_body(body).turns
    assert (turn.label, turn.person_id) == ("Construction, Housing and Utilities Minister Mikhail Men", 410)


def test_role_before_a_linked_name_inside_the_bold() -> None:
    body = ('<p><b>Russian Railways CEO <a href="http://en.kremlin.ru/catalog/persons/240/events" '
            f'class="person_tag read__tag">Vladimir Yakunin{TOOLTIP}</a>:</b> Six tunnels.</p>')
    (turn,) = parse_body(body).turns
    assert (turn.label, turn.person_id, turn.paragraphs) == ("Russian Railways CEO Vladimir Yakunin", 240,
                                                              ["Six tunnels."])


# ---- body structure -------------------------------------------------------------------------------------

def test_narration_before_the_first_turn_and_continuation_paragraphs() -> None:
    page = parse_body("<p>Opening words.</p><p><b>Vladimir Putin:</b> One.</p><p>Two.</p>"
                      "<p><b>Ella Pamfilova:</b> Three.</p>")
    assert page.narration == ["Opening words."]
    assert turns_of(page) == [("Vladimir Putin", None, ["One.", "Two."]), ("Ella Pamfilova", None, ["Three."])]


def test_page_without_turns_is_all_narration() -> None:
    page = parse_body("<p>Vladimir Putin had a telephone conversation.</p><p>They discussed trade.</p>")
    assert (page.turns, page.narration) == ([], ["Vladimir Putin had a telephone conversation.",
                                                 "They discussed trade."])


def test_omissions_and_separators_are_not_text() -> None:
    page = parse_body("<p><b>Vladimir Putin:</b> One.</p><p> &lt;…&gt;</p><p><b>* *</b><b> * <br></b></p>"
                      "<p><b>Ella Pamfilova:</b> Two.</p><p>&lt;...&gt;</p>")
    assert page.n_omissions == 2
    assert [t.follows_omission for t in page.turns] == [False, True]
    assert turns_of(page) == [("Vladimir Putin", None, ["One."]), ("Ella Pamfilova", None, ["Two."])]


@pytest.mark.parametrize("body, heading", [
    ("<p><i>Beginning of Russia-Kazakhstan talks</i></p>", "Beginning of Russia-Kazakhstan talks"),
    ("<p><b>Speech at the Main Naval Parade</b></p>", "Speech at the Main Naval Parade"),
    ("<p><b>Speeches at Imperial Capitals: St Petersburg – Vienna</b></p>",
     "Speeches at Imperial Capitals: St Petersburg – Vienna"),
    ("<h3>Part two</h3>", "Part two"),
    ("<p><i>(Applause.)</i></p>", None),
    ("<p><i>Beginning of</i> the talks</p>", None),
])
def test_whole_paragraph_in_emphasis_is_a_subheading(body: str, heading: str | None) -> None:
    page = parse_body("<p><b>Vladimir Putin:</b> Hello.</p>" + body + "<p>More.</p>")
    if heading is None:
        assert page.subheadings == []
        assert len(page.turns[0].paragraphs) == 3
    else:
        assert page.subheadings == [heading]
        assert page.turns[0].paragraphs == ["Hello.", "More."]


def test_turn_after_a_heading_carries_it() -> None:
    page = parse_body("<p><i>Beginning of talks</i></p><p><b>Vladimir Putin:</b> Hello.</p>")
    assert page.subheadings == ["Beginning of talks"]
    assert page.turns[0].subheading == "Beginning of talks"


def test_video_player_is_not_text_and_its_title_is_a_subheading() -> None:
    body = ('<div class="media__container media__container_video u-video masha-ignore"><div class="media__video">'
            '<video><source src="x.mp4"><img alt="Beginning of talks"></video>'
            '<a class="media__videolink" title="Play video"><i></i></a></div>'
            '<meta itemprop="name" content="Beginning of talks">'
            '<div class="video__description masha-ignore">Beginning of&nbsp;talks</div></div>'
            "<p><b>Vladimir Putin:</b> Hello.</p>")
    page = parse_body(body)
    assert (page.subheadings, page.narration) == (["Beginning of talks"], [])
    assert page.turns[0].subheading == "Beginning of talks"


def test_photo_slider_gives_the_starting_slide_caption() -> None:
    slides = "".join(f'<div class="slide{" starting-slide" if k == 2 else ""}" data-cycle-desc="Photo {k}.">'
                     f'<div class="slider__block"><img alt="Photo {k}."></div></div>' for k in range(1, 5))
    body = (f'<div class="slider masha-ignore"><div class="slider__slides">{slides}</div>'
            '<div class="slider__description"><div class="slider_caption"></div></div></div><p>Text.</p>')
    page = parse_body(body)
    assert (page.photo_captions, page.narration) == (["Photo 2."], ["Text."])


def test_in_body_photo_caption_is_never_speech() -> None:
    body = ('<p><b>Vladimir Putin:</b> One.</p><div class="media masha-ignore"><figure class="media__pic">'
            '<img alt="With Alexander Bortnikov."></figure><span class="media__title player__title">With '
            "Alexander Bortnikov.</span></div><p>Two.</p>")
    page = parse_body(body)
    assert page.photo_captions == ["With Alexander Bortnikov."]
    assert turns_of(page) == [("Vladimir Putin", None, ["One.", "Two."])]


def test_a_media_title_none_is_no_caption() -> None:
    # pages 17645, 8055, 9200: the site prints `None` for a photo or video without a title
    body = ('<div class="media masha-ignore"><figure class="media__pic"><img alt="None"></figure>'
            '<span class="media__title player__title">None</span></div><p><b>Vladimir Putin:</b> One.</p>')
    page = parse_body(body)
    assert (page.photo_captions, page.subheadings) == ([], [])
    assert turns_of(page) == [("Vladimir Putin", None, ["One."])]
    slides = 2 * '<div class="slide" data-cycle-desc="None"><div class="slider__block"><img alt="None"></div></div>'
    page = parse_body(f'<div class="slider masha-ignore"><div class="slider__slides">{slides}</div></div><p>Text.</p>')
    assert (page.photo_captions, page.narration) == ([], ["Text."])


def test_see_also_box_gives_its_titles_only() -> None:
    body = ('<p>One.</p><div class="read__cut masha-ignore"><div class="cut"><h3 class="cut__title">See also</h3>'
            '<div class="cut__description"><a href="17171.html" class="cut__item">Congratulations to&nbsp;officers'
            '</a><div class="cut__date">December 20, 2012</div></div></div></div><p>Two.</p>')
    page = parse_body(body)
    assert (page.see_also, page.narration) == (["Congratulations to officers"], ["One.", "Two."])


def test_glossary_tooltip_is_hidden_and_quotes_are_paragraphs() -> None:
    body = ('<blockquote><p>“We took a decision.”</p></blockquote><p>Members of <a class="termin_tag read__tag" '
            'href="http://en.kremlin.ru/catalog/glossary/3">BRICS<span class="read__tooltip tooltip_term hidden">'
            "<span>Background information</span></span></a>, the G20.</p>")
    assert parse_body(body).narration == ["“We took a decision.”", "Members of BRICS, the G20."]


# ---- bad input ------------------------------------------------------------------------------------------

def test_invalid_utf8_is_replaced_and_reported() -> None:
    data = html_page("<p><b>Vladimir Putin:</b> Caf\u00e9.</p>").replace("Caf\u00e9".encode(), b"Caf\xe3!")
    page = parse_html(data, "t")
    assert page.turns[0].paragraphs == ["Caf\ufffd!."]
    (issue,) = page.issues
    offset = data.index(b"\xe3")
    assert issue.line_no is None
    assert issue.text == f"invalid UTF-8 at byte offset {offset}"
    assert issue.reason.startswith("bad_utf8: ")


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"  \n ", "empty"),
    (b'<html><body><div class="hentry h-entry" data-id="63523"><h3>A title</h3></div></body></html>',
     "not_article"),
    (b"<html><body><article><h1>Welcome to my blog</h1><p>Hello.</p></article></body></html>", "not_article"),
    (b"%PDF-1.4 binary", "not_article"),
    (html_page("<p>x</p>")[:300], "truncated"),
    (html_page("<p>x</p>").split(b"<h1")[0], "truncated"),
])
def test_input_that_is_not_an_article_raises_page_error(data: bytes, reason: str) -> None:
    with pytest.raises(PageError) as err:
        parse_html(data, "bad.html")
    assert err.value.reason == reason


def test_article_cut_off_in_its_body_parses_as_far_as_it_goes() -> None:
    data = html_page("<p><b>Vladimir Putin:</b> One.</p><p>Two, and then the file en")
    data = data[: data.index(b"the file en") + len(b"the file en")]
    page = parse_html(data, "cut.html")
    assert page.title == "Meeting with President of Kazakhstan"
    assert turns_of(page) == [("Vladimir Putin", None, ["One.", "Two, and then the file en"])]
    assert [i.reason.split(":")[0] for i in page.issues] == ["truncated"]
    assert page.published_at is None


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_bytes_give_a_page_or_a_page_error(data: bytes) -> None:
    try:
        page = parse_html(data, "fuzz")
    except PageError:
        return
    assert isinstance(page, Page)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(categories=("L", "N", "Zs", "Cc"), exclude_characters="\x00"), max_size=200))
def test_plain_paragraph_text_comes_out_cleaned(text: str) -> None:
    page = parse_body(f"<p>{text}</p>")
    assert page.narration == ([clean(text)] if clean(text) else [])


# ---- golden real pages ----------------------------------------------------------------------------------

GOLDEN_PAGES = {
    "direct_line_2019": 60795,
    "news_conference_many_journalists": 62366,
    "labels_split_in_person_links": 54485,
    "labels_stray_letter_and_broken_bold": 57678,
    "labels_without_colon_interview": 57027,
    "labels_long_roles_with_commas": 63691,
    "announcement": 17109,
    "press_statements_with_questions": 51551,
    "interview_ard": 17808,
    "phone_call_readout": 27401,
    "news_item_2001": 21253,
    "speech_address": 56957,
    "slider_see_also_retranslated": 7506,
    "bad_utf8_byte": 63123,
}


def summary(page: Page) -> dict[str, Any]:
    """What a golden file pins down: header and footer fields, body lists, and every turn in one line."""
    def plain(v: Any) -> Any:
        return v.isoformat() if isinstance(v, dt.date | dt.time) else v

    head = {k: plain(getattr(page, k)) for k in (
        "site_id", "url", "section", "title", "lead", "date", "time", "place", "is_announcement", "photo_captions",
        "subheadings", "see_also", "n_omissions", "geography", "geography_codes", "topics", "topic_ids", "persons",
        "person_ids", "linked_persons", "published_in", "published_at")}
    head["n_narration"] = len(page.narration)
    head["issues"] = [f"{i.text}: {i.reason}" for i in page.issues]
    turns = [[t.label, t.label_note, t.person_id, t.subheading, t.follows_omission, len(t.paragraphs),
              sum(len(p.split()) for p in t.paragraphs), " ".join(t.paragraphs)[:80]] for t in page.turns]
    return {**head, "turns": turns}


def dump(s: dict[str, Any]) -> str:
    """JSON with one field and one turn per line, so a diff shows what changed."""
    head = ",\n".join(f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in s.items() if k != "turns")
    turns = "".join(f"\n  {json.dumps(t, ensure_ascii=False)}," for t in s["turns"]).rstrip(",")
    return f'{{\n{head},\n "turns": [{turns}\n ]\n}}\n'


def read_page(site_id: int) -> Page:
    path = need(HTML_DIR) / f"{site_id}.html.gz"
    return parse_html(gzip.decompress(path.read_bytes()), path.name)


@pytest.mark.corpus
@pytest.mark.parametrize("quirk", sorted(GOLDEN_PAGES))
def test_golden_page(quirk: str, update_golden: bool) -> None:
    got = summary(read_page(GOLDEN_PAGES[quirk]))
    expected_file = GOLDEN / "html" / f"{quirk}.expected.json"
    want = expected_json(expected_file, dump(got), update_golden)
    assert {k: v for k, v in got.items() if k != "turns"} == {k: v for k, v in want.items() if k != "turns"}
    assert len(got["turns"]) == len(want["turns"])
    for g, w in zip(got["turns"], want["turns"], strict=True):
        assert g == w


# ---- the whole archive ----------------------------------------------------------------------------------

@pytest.mark.corpus
def test_every_article_page_of_the_archive_parses() -> None:
    files = sorted(need(HTML_DIR).glob("*.html.gz"))
    assert len(files) == 7235
    with_issues = []
    n_turns = 0
    for f in files:
        page = parse_html(gzip.decompress(f.read_bytes()), f.name)
        assert page.site_id == int(f.name.split(".")[0]), f
        assert page.title and page.date and page.section == "Events" and page.published_at, f
        assert page.is_announcement or page.time is not None, f
        n_turns += len(page.turns)
        if page.issues:
            with_issues.append((f.name, [i.reason.split(":")[0] for i in page.issues]))
    assert with_issues == [("63123.html.gz", ["bad_utf8"])]
    assert n_turns > 14_000


@pytest.mark.corpus
def test_every_listing_page_is_not_an_article() -> None:
    files = sorted((need(SHARED_DATA / "raw" / "iandennismiller_valdai-transcripts" / "listings")).rglob("*.html.gz"))
    assert len(files) == 2222
    for f in files:
        with pytest.raises(PageError) as err:
            parse_html(gzip.decompress(f.read_bytes()), f.name)
        assert err.value.reason == "not_article", f


# The bytes of a page cut to its article equal the cut text encoded, whatever characters stand before it.
_PIECES = ["<article", "</article>", '<div class="read"', " class=x>", "a", "\u00e9", "\u0416" * 700, "\u20ac" * 300,
           "\U0001f600" * 200, "x" * 1500, "\n"]


@given(st.lists(st.sampled_from(_PIECES), max_size=14))
@settings(max_examples=300, deadline=None)
def test_article_bytes_equal_the_article_text_encoded(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _article_bytes(text.encode()) == _article_slice(text).encode()


@pytest.mark.parametrize("before", [
    "x" * 4000, "\u0416" * 2000, "\u0416" * 2047 + "ab", "\u0416" * 2048 + "ab", "\u0416" * 4095, "\u0416" * 4096,
    "\u0416" * 4097, "\U0001f600" * 1023, "\U0001f600" * 1024 + "a", "x" * 4097,
])
def test_article_bytes_count_the_pane_distance_in_characters(before: str) -> None:
    """The pane may open at most 4,096 characters before the article, however many bytes they take."""
    text = f'<html><div class="read">{before}<article class="read__in"><h1>T</h1></article></html>'
    assert _article_bytes(text.encode()) == _article_slice(text).encode()


# ---- a page's bytes read without decoding them: held equal to decoding them ------------------------------

def _decodes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# Sequences at the edges of UTF-8: overlong forms, surrogates, past U+10FFFF, cut-off and stray continuation bytes.
_UTF8_EDGES = [b"a", b"<", b" ", b"\xc2\xa0", b"\xc0\x80", b"\xc1\xbf", b"\xc2", b"\xdf\xbf", b"\xe0\x80\x80",
               b"\xe0\xa0\x80", b"\xed\x9f\xbf", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xee\x80\x80", b"\xef\xbb\xbf",
               b"\xef\xbf\xbf", b"\xf0\x80\x80\x80", b"\xf0\x90\x80\x80", b"\xf4\x8f\xbf\xbf", b"\xf4\x90\x80\x80",
               b"\xf5\x80\x80\x80", b"\xff", b"\x80", b"\xbf", b"\xe3", b"\xe3\x81", b"\x00", "\u2028".encode(),
               "\U0001f600".encode()]


@given(st.one_of(st.binary(max_size=64), st.lists(st.sampled_from(_UTF8_EDGES), max_size=12).map(b"".join)))
@settings(max_examples=600, deadline=None)
def test_utf8_check_agrees_with_python(data: bytes) -> None:
    assert _is_utf8(data) == _decodes(data)


_SPACES_AND_NOT = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u3000\ufeffa<\u0416"


@given(st.text(alphabet=st.sampled_from(_SPACES_AND_NOT), max_size=12))
@settings(max_examples=400, deadline=None)
def test_blank_bytes_are_blank_text(text: str) -> None:
    assert _blank(text.encode()) == (not text.strip())


# Pieces of pages: markers of the article and its pane, white space of every kind, a BOM, invalid bytes.
_PAGE_PIECES = [b"<article", b"</article>", b'<div class="read"', b' class="read__in">', b"<h1>T</h1>", b"x" * 300,
                "\u0416\u00e9".encode(), b" ", b"\n", b"\x1c", "\u00a0".encode(), "\u3000".encode(), b"\xef\xbb\xbf",
                b"\xe3", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80", b"\xff"]


def _outcome(read: Callable[[bytes], object], data: bytes) -> object:
    try:
        source = read(data)
    except PageError as exc:
        return ("raises", exc.reason, exc.message)
    assert isinstance(source, type(_decoded_source(b"x")))
    return source.markup, source.sha256, [(i.line_no, i.text, i.reason) for i in source.issues]


@given(st.lists(st.sampled_from(_PAGE_PIECES), max_size=12).map(b"".join))
@settings(max_examples=500, deadline=None)
def test_page_read_without_decoding_equals_page_decoded(data: bytes) -> None:
    """Markup, content hash and issues (or the error) as when the page is decoded first, whatever its bytes."""
    assert _outcome(_source, data) == _outcome(_decoded_source, data)


@pytest.mark.parametrize("damage", [
    b"<!-- \xe3 -->",  # in the menus, before the article
    b"\xef\xbb\xbf",  # a BOM in the middle (a character like any other)
    "\u2028\u00a0".encode(),
])
def test_bytes_outside_the_article_change_hash_and_issues_only(damage: bytes) -> None:
    clean_page = html_page("<p><b>Vladimir Putin:</b> Hello.</p>")
    data = clean_page.replace(b"<title>x</title>", b"<title>x" + damage + b"</title>")
    page, plain = parse_html(data, "t"), parse_html(clean_page, "t")
    text = data.decode("utf-8", errors="replace")
    assert page.content_sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert [i.reason.split(":")[0] for i in page.issues] == ([] if _decodes(data) else ["bad_utf8"])
    page.content_sha256, page.issues = plain.content_sha256, plain.issues
    assert page == plain


def test_page_with_bom_hashes_its_text() -> None:
    data = html_page("<p>x</p>")
    page = parse_html(b"\xef\xbb\xbf" + data, "t")
    assert (page.content_sha256, page.issues, page.narration) == (hashlib.sha256(data).hexdigest(), [], ["x"])


# ---- a paragraph that opens with words: held equal to the walks it skips ---------------------------------

_PARAGRAPH_PIECES = ["Question: Is it?", "Vladimir Putin:", "Remark", "x", "V", "<b>ladimir Putin:</b>", " ", "\u00a0",
                     "&nbsp;", "\n", "Hello.", "<b>", "</b>", "<i>", "</i>", "<strong>Sergei Lavrov</strong>",
                     "(retranslated)", ":", '<a class="person_tag" href="http://en.kremlin.ru/catalog/persons/5/events">',
                     "</a>", "<br>", "<span>", "</span>", "<!-- c -->"]


@given(st.lists(st.sampled_from(_PARAGRAPH_PIECES), min_size=1, max_size=10))
@example(["V", "<b>ladimir Putin:</b>", "Hello."])  # one letter before the bold: it opens the label
@example(["Question: Is it?"])
@example(["x", "<b>", "Remark", "</b>"])
@settings(max_examples=500, deadline=None)
def test_a_paragraph_opening_with_words_has_only_a_generic_label(pieces: list[str]) -> None:
    """What `_paragraph` takes for granted when `_opens_with_words`: the label and emphasis walks find nothing more."""
    tree = LexborHTMLParser(f"<p>{''.join(pieces)}</p>")
    p = tree.css_first("p")
    assert p is not None
    text = _text(p)
    if _opens_with_words(p) and text:
        assert _label(p, text) == _plain_generic(text)
        assert not _all_emphasis(p)
