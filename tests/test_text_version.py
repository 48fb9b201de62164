"""Text-version parser: the seed exactly, golden real pages, units per rule, and properties."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import GOLDEN, TEXT_DIR, need
from golden_util import check, page_summary
from hypothesis import given, settings
from hypothesis import strategies as st

from kremlin_data.build import sample_path
from kremlin_data.rows import page_rows
from kremlin_data.sources import decode_text, read_bytes, split_pages
from kremlin_data.text_version import looks_like_place, parse_date, parse_lines, parse_page, parse_time


def pages_of(path: Path) -> list:
    text = decode_text(read_bytes(path)).text
    return [parse_lines(c.lines, str(path), c.first_line) for c in split_pages(text) if c.is_page]


# ---- the seed, exactly as issue 2 states it -------------------------------------------------------------

def test_seed_event_1() -> None:
    page = pages_of(sample_path())[0]
    event, turns = page_rows(page)
    assert event["title"] == "Meeting with President of Kazakhstan Kassym-Jomart Tokayev"
    assert event["date"] == dt.date(2022, 8, 19)
    assert event["time"] == "16:15"
    assert event["started_at"].isoformat() == "2022-08-19T16:15:00+03:00"
    assert event["place"] == "Sochi"
    assert event["photo_captions"] == [
        "With President of Kazakhstan Kassym-Jomart Tokayev. Photo by President of Kazakhstan Press Service"]
    assert event["subheadings"] == ["Beginning of Russia-Kazakhstan talks"]
    assert event["geography"] == ["Kazakhstan"]
    assert event["topics"] == ["Foreign policy"]
    assert event["persons"] == ["Tokayev Kassym-Jomart"]
    assert event["published_in"] == ["News", "Transcripts"]
    assert event["n_omissions"] == 1
    assert [(u["speaker_name"], u["n_words"]) for u in turns] == [
        ("Vladimir Putin", 218), ("Kassym-Jomart Tokayev", 341), ("Vladimir Putin", 42),
        ("Kassym-Jomart Tokayev", 2)]
    assert turns[0]["speaker_role"] == "President of Russia"
    assert turns[1]["speaker_role"] == "President of Kazakhstan"
    assert turns[1]["speaker_label"] == "President of Kazakhstan Kassym-Jomart Tokayev"
    assert turns[1]["text"].startswith("Thank you, Mr President, first of all")
    assert all(u["subheading"] == "Beginning of Russia-Kazakhstan talks" for u in turns)


def test_seed_event_2() -> None:
    page = pages_of(sample_path())[1]
    event, turns = page_rows(page)
    assert event["title"] == "Meeting with Central Election Commission Chairperson Ella Pamfilova"
    assert (event["time"], event["place"]) == ("20:00", "Sochi")
    assert event["geography"] == [] and event["topics"] == []
    assert event["persons"] == ["Pamfilova Ella"]
    assert event["n_omissions"] == 1
    names = [u["speaker_name"] for u in turns]
    assert names == ["Vladimir Putin", "Ella Pamfilova"] * 9
    assert [u["n_words"] for u in turns[0::2]] == [19, 7, 1, 11, 7, 10, 74, 5, 62]
    assert [u["n_words"] for u in turns[1::2]] == [592, 38, 75, 260, 48, 269, 115, 93, 50]
    assert turns[1]["speaker_role"] == "Chairperson of the Central Election Commission"
    # Prose with a colon stays in Pamfilova's turns.
    assert "We have a fairly high level of competition: there are five" in turns[7]["text"]
    assert "Speaking of the most important thing as regards our parties: despite" in turns[11]["text"]


def test_seed_speakers(sample_build: Path) -> None:
    import kremlin_data as kd

    speakers = kd.load_speakers(sample_build)
    assert sorted(speakers["speaker_name"]) == ["Ella Pamfilova", "Kassym-Jomart Tokayev", "Vladimir Putin"]
    assert kd.load_utterances(sample_build).height == 22


# ---- table-driven units ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("August 19, 2022", dt.date(2022, 8, 19)),
    ("December 31, 1999", dt.date(1999, 12, 31)),
    ("February 30, 2020", None),
    ("Sochi", None),
    ("August 19 2022", None),
])
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("16:15", dt.time(16, 15)), ("9:05", dt.time(9, 5)),
                                                ("25:00", None), ("16.15", None)])
def test_parse_time(text: str, expected: dt.time | None) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Sochi", True), ("The Kremlin, Moscow", True), ("Novo-Ogaryovo, Moscow Region", True),
    ("Beginning of Russia-Kazakhstan talks", False), ("President of Russia Vladimir Putin: Hello.", False),
    ("3 of 6", True),  # a counter is checked before the place rule
])
def test_looks_like_place(text: str, expected: bool) -> None:
    assert looks_like_place(text) is expected


def _page(body: str, footer: str = "Publication status\nText version") -> str:
    return f"Events\nA title\nA lead.\nAugust 19, 2022\n16:15\nSochi\n{body}\n{footer}"


@pytest.mark.parametrize(("body", "expected"), [
    # inline label, continuation paragraph
    ("Vladimir Putin: Hello.\nSecond paragraph.", [("Vladimir Putin", None, ["Hello.", "Second paragraph."])]),
    # the colon opens the next line
    ("President of Kazakhstan Kassym-Jomart Tokayev\n: Thank you.",
     [("President of Kazakhstan Kassym-Jomart Tokayev", None, ["Thank you."])]),
    # a note between name and colon
    ("President of Finland Sauli Niinisto (retranslated): Thank you.",
     [("President of Finland Sauli Niinisto", "retranslated", ["Thank you."])]),
    ("Question (retranslated): Why?", [("Question", "retranslated", ["Why?"])]),
    # prose with a colon is not a label
    ("Vladimir Putin: Look.\nMy question is: why?\nOne more thing: yes.",
     [("Vladimir Putin", None, ["Look.", "My question is: why?", "One more thing: yes."])]),
    ("Vladimir Putin: A.\nSecond: b.", [("Vladimir Putin", None, ["A.", "Second: b."])]),
    ("Vladimir Putin: A.\nQuestion: at what expense?",
     [("Vladimir Putin", None, ["A.", "Question: at what expense?"])]),
])
def test_turns(body: str, expected: list) -> None:
    page = parse_page(_page(body), "t.txt")
    assert [(t.label, t.label_note, t.paragraphs) for t in page.turns] == expected


@pytest.mark.parametrize(("body", "expected"), [
    # page 57492: a list of appointments read out is text, not twenty one-line turns (three entries or more)
    ("Vladimir Putin: Here is the list.\nInterior Minister: Vladimir Kolokoltsev.\nMinister of Defence: "
     "Sergei Shoigu.\nMinister of Justice: Alexander Konovalov.\nDmitry Medvedev: Yes.",
     [("Vladimir Putin", ["Here is the list.", "Interior Minister: Vladimir Kolokoltsev.",
                          "Minister of Defence: Sergei Shoigu.", "Minister of Justice: Alexander Konovalov."]),
      ("Dmitry Medvedev", ["Yes."])]),
    # two names in a row are still turns: a moderator calls a speaker who gives his name
    ("Fyodor Lukyanov: Andrei Sushentsov.\nAndrei Sushentsov: Andrei Sushentsov.\nVladimir Putin: Yes.",
     [("Fyodor Lukyanov", ["Andrei Sushentsov."]), ("Andrei Sushentsov", ["Andrei Sushentsov."]),
      ("Vladimir Putin", ["Yes."])]),
    # page 60677: a short place is an answer, not a name
    ("Minister of Trade and Industry Denis Manturov: In Sochi.\nVladimir Putin: In Sochi. Excellent.\n"
     "Minister of Trade and Industry Denis Manturov: In Sochi.",
     [("Minister of Trade and Industry Denis Manturov", ["In Sochi."]), ("Vladimir Putin", ["In Sochi. Excellent."]),
      ("Minister of Trade and Industry Denis Manturov", ["In Sochi."])]),
])
def test_lists_of_names_are_text(body: str, expected: list) -> None:
    page = parse_page(_page(body), "t.txt")
    assert [(t.label, t.paragraphs) for t in page.turns] == expected


@pytest.mark.parametrize(("text", "title", "expected"), [
    # pages 59455, 56814, 56699, 57367 (day files 2018-12-20, 2018-02-07, 2018-01-24, 2018-04-26)
    ("Vladimir Putin’s annual news conference.", "Vladimir Putin’s annual news conference", True),
    ("At the meeting on preparations for the 2019 Winter Universiade. Left to right: Minister of Communications and "
     "Mass Media Nikolai Nikiforov, Minister of Sport Pavel Kolobkov and Presidential Aide Igor Levitin.",
     "Meeting on preparations for the 2019 Winter Universiade", True),
    ("Deputy Defence Minister Yury Borisov before the meeting on diversifying the production of civilian products by "
     "defence industry enterprises.",
     "Meeting on diversifying the production of civilian products by defence industry enterprises", True),
    ("Moscow State University Rector Viktor Sadovnichy at a plenary meeting of the 11th Congress of the Russian "
     "Rectors’ Union. Photo: Mikhail Metzel", "Congress of the Russian Union of Rectors", True),
    # a speaker naming the event speaks in the first person, or welcomes
    ("We have gathered for the meeting on preparations for the 2019 Winter Universiade.",
     "Meeting on preparations for the 2019 Winter Universiade", False),
    ("Welcome to Vladimir Putin’s annual news conference.", "Vladimir Putin’s annual news conference", False),
    ("Thank you. Photo: that is what we need.", "A title of words", False),
    # who stands where (pages 63176, 56688 of the day files 2020-04-08, 2018-01-23)
    ("From left: Aide to the President Maxim Oreshkin, First Deputy Chief of Staff of the Presidential Executive "
     "Office Sergei Kiriyenko and Chief of Staff of the Presidential Executive Office Anton Vaino.", "A title", True),
    ("Constitutional Court President Valery Zorkin, left, Prime Minister Dmitry Medvedev and Federation Council "
     "Speaker Valentina Matviyenko at a meeting dedicated to the 95th anniversary of the Supreme Court.", "A title",
     True),
    ("We sat from left to right, as you remember.", "A title", False),
    # a person at the event (pages 54022, 55767 of the day files 2017-03-10, 2017-10-04)
    ("Transport Minister Maxim Sokolov at the sixth meeting of the High-Level Russian-Turkish Cooperation Council.",
     "A title", True),
    ("Secretary General of the Gas Exporting Countries Forum (GECF) Seyed Mohammed Hossein Adeli during the Energy "
     "for Global Growth plenary session.", "A title", True),
    ("Minister Sokolov at the meeting said it would be done.", "A title", False),
    ("Then we met at the airport.", "A title", False),
])
def test_event_captions_in_a_speech(text: str, title: str, expected: bool) -> None:
    page = parse_page(_page(f"Vladimir Putin: Hello.\n{text}\nThe end.").replace("A title", title), "t.txt")
    assert (page.photo_captions == [text]) is expected
    assert page.turns[0].paragraphs == ["Hello.", *([] if expected else [text]), "The end."]


def test_a_label_cut_by_the_line_break_of_a_flattened_page() -> None:
    # day file 2016-05-25: `... successfully.  Vladimir` / `Putin: This is an excellent step forward.`
    pieces = ["Events", "Title", "A lead.", "May 25, 2016", "Sochi", "It went successfully.", "Vladimir",
              "Putin: This is an excellent step forward.", "Text version"]
    page = parse_lines(pieces, "t.txt", 1, line_nos=[1, 1, 1, 1, 1, 1, 1, 2, 2])
    assert [(t.label, t.paragraphs) for t in page.turns] == [("Vladimir Putin", ["This is an excellent step forward."])]
    # the same lines in an ordinary page (one piece a line) are a paragraph and a label
    page = parse_lines(pieces, "t.txt", 1)
    assert [(t.label, t.paragraphs) for t in page.turns] == [("Putin", ["This is an excellent step forward."])]


def test_a_sentence_printed_under_several_photos_is_a_caption() -> None:
    # day file 2018-03-18 (page 57085) prints this caption three times between the paragraphs of one answer
    caption = ("Vladimir Putin answered questions from Russian and foreign journalists following the completion of the "
               "presidential election.")
    page = parse_page(_page(f"Vladimir Putin: One.\n{caption}\nTwo.\n{caption}\nThank you very much.\n"
                            "Three.\nThank you very much."), "t.txt")
    assert page.photo_captions == [caption, caption]
    assert page.turns[0].paragraphs == ["One.", "Two.", "Thank you very much.", "Three.", "Thank you very much."]


def test_a_full_stop_for_the_colon_after_a_name_the_page_prints_as_a_label() -> None:
    # day file 2018-02-28 (page 56952): `Sebastian Kurz. Thank you very much for your question.`
    body = ("Sebastian Kurz: Good afternoon.\nQuestion: Why?\nSebastian Kurz. Thank you very much for your question."
            "\nSebastian Kurz. My name again.\nVladimir Putin. Photo by TASS.")
    page = parse_page(_page(body), "t.txt")
    assert [(t.label, t.paragraphs) for t in page.turns] == [
        ("Sebastian Kurz", ["Good afternoon."]), ("Question", ["Why?"]),
        ("Sebastian Kurz", ["Thank you very much for your question.", "Sebastian Kurz. My name again.",
                            "Vladimir Putin. Photo by TASS."])]


def test_non_text_lines_are_never_utterance_text() -> None:
    body = ("2 of 5\nA caption of a photo.\nBeginning of talks\nVladimir Putin: One.\n<…>\nAnton Ivanov: Two.\n"
            "See also\nSome other page\nAugust 1, 2022\n* * *\nRest of the answer.\n<...>")
    page = parse_page(_page(body, "Topics\nForeign policy\nEconomy\n1 more\nPublication status\n"
                                  "Published in section: News\nPublication date: August 19, 2022, 16:15\n"
                                  "Direct link: en.kremlin.ru/d/68991\nText version"), "t.txt")
    assert page.photo_captions == ["A caption of a photo."]
    assert page.subheadings == ["Beginning of talks"]
    assert page.see_also == ["Some other page"]
    assert page.n_omissions == 2
    assert [(t.label, t.paragraphs, t.follows_omission, t.subheading) for t in page.turns] == [
        ("Vladimir Putin", ["One."], False, "Beginning of talks"),
        ("Anton Ivanov", ["Two.", "Rest of the answer."], True, "Beginning of talks")]
    assert page.topics == ["Foreign policy", "Economy"]
    assert page.published_in == ["News"]
    assert page.site_id == 68991
    assert page.published_at == dt.datetime(2022, 8, 19, 16, 15)


def test_announcement_and_day_span() -> None:
    page = parse_page("Events\nPutin will meet X\nLead.\nAnnouncement, April 7 − 8, 2013\nBody text.\n"
                      "Publication status\nText version", "a.txt")
    assert page.is_announcement and page.date == dt.date(2013, 4, 7) and page.time is None
    assert page.narration == ["Body text."] and page.turns == []


def test_cut_off_page_is_reported() -> None:
    page = parse_page("Events\nTitle\nLead.\nAugust 19, 2022\nVladimir Putin: Hello, we", "cut.txt", first_line=40)
    assert [t.paragraphs for t in page.turns] == [["Hello, we"]]
    assert page.issues[0].reason.startswith("truncated") and page.issues[0].line_no == 44


# ---- properties ------------------------------------------------------------------------------------------

_LINE = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["Events", "Text version", "Topics", "Persons", "Publication status", "<…>", "* * *",
                     "See also", "3 of 6", "Vladimir Putin: Yes.", ": Thank you.", "August 19, 2022", "16:15",
                     "Question: Why?", "Text versionEvents"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=40))
def test_every_line_is_placed_once(lines: list[str]) -> None:
    """The parser never raises, and each non-empty line of a page lands in exactly one place."""
    text = "\n".join(lines)
    for chunk in split_pages(text):
        page = parse_lines(chunk.lines, "h.txt", chunk.first_line, line_nos=chunk.line_nos)
        if chunk.lines[-1] == "Text version" and len(chunk.lines) == 1:
            continue  # a stray marker: the day-file reader reports it (tests/test_corpus_days.py)
        nonempty = sorted(n for n, s in zip(chunk.line_nos, chunk.lines, strict=True) if " ".join(s.split()))
        assert sorted(n for n, _ in page.line_places) == nonempty



@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(".,;:!?…»”\")]–-—\n aZ'(«“")), max_size=6))
def test_a_sentence_end_is_read_off_the_last_characters_as_the_pattern_reads_it(text: str) -> None:
    from kremlin_data.text_version import _ENDS_SENTENCE, _ends_sentence

    assert _ends_sentence(text) == bool(_ENDS_SENTENCE.search(text))

# ---- golden real pages -----------------------------------------------------------------------------------

GOLDEN_PAGES = {
    "direct_line_2019": "pages/60795.txt",
    "news_conference_many_journalists": "pages/62366.txt",
    "interview_itar_tass": "pages/17723.txt",
    "interview_ard_split_labels": "pages/17808.txt",
    "press_statements_with_questions": "pages/51551.txt",
    "press_statements_retranslated": "pages/54267.txt",
    "speech_address_in_body_captions": "pages/56957.txt",
    "valdai_club": "pages/55882.txt",
    "lead_of_two_paragraphs": "pages/62982.txt",
    "see_also_and_tag_toggle": "pages/17164.txt",
    "question_retranslated": "pages/17113.txt",
    "phone_call_readout_no_turns": "other/27401.txt",
    "announcement": "other/17109.txt",
    "announcement_day_span": "other/17550.txt",
    "news_conference_turkey": "pages/47126.txt",
    "eastern_economic_forum": "pages/58537.txt",
}


@pytest.mark.corpus
@pytest.mark.parametrize("quirk", sorted(GOLDEN_PAGES))
def test_golden_page(quirk: str, update_golden: bool) -> None:
    path = need(TEXT_DIR / GOLDEN_PAGES[quirk])
    (page,) = pages_of(path)
    check(page_summary(page), GOLDEN / "text" / f"{quirk}.expected.json", update_golden)


@pytest.mark.parametrize(("body", "expected", "subheadings"), [
    # day file 2013-02-01: the line break after a link cut a sentence; its head was read as a sub-heading
    ("Vladimir Putin: Friends,\nTomorrow, we will celebrate the 70th anniversary of the Battle of Stalingrad\n"
     ". During the 1941–1945 Great Patriotic War our people and soldiers drew inspiration from the true values.",
     [("Vladimir Putin", ["Friends,", "Tomorrow, we will celebrate the 70th anniversary of the Battle of Stalingrad. "
                                      "During the 1941–1945 Great Patriotic War our people and soldiers drew "
                                      "inspiration from the true values."])], []),
    # day file 2017-04-12: the name was a sub-heading and the turn opened with a comma
    ("Vladimir Putin: Thank you.\nMr Siluanov\n, this is a collection of works by Sergei Vitte.",
     [("Vladimir Putin", ["Thank you.", "Mr Siluanov, this is a collection of works by Sergei Vitte."])], []),
    # day file 2012-12-12: a line in lower case goes on the line before it, after a space
    ("Vladimir Putin: We still allow citizens of CIS\nstates to enter the Russian Federation.",
     [("Vladimir Putin", ["We still allow citizens of CIS states to enter the Russian Federation."])], []),
    # day file 2012-07-24: a label in lower case whose colon opens the next line is still a label
    ("Vladimir Putin: Good afternoon, Mr Khristenko.\n"
     "chairman of the Board of the Eurasian Economic Commission Viktor Khristenko\n: Mr President, thank you.",
     [("Vladimir Putin", ["Good afternoon, Mr Khristenko."]),
      ("chairman of the Board of the Eurasian Economic Commission Viktor Khristenko", ["Mr President, thank you."])],
     []),
    # day file 2001-11-16: a line in lower case after the end of a sentence stays a paragraph
    ("Vladimir Putin: Good evening.\ncaller: Good evening, President Putin.",
     [("Vladimir Putin", ["Good evening.", "caller: Good evening, President Putin."])], []),
    # day file 2016-04-18: an editor's bracket after a link; after the end of a sentence it is a paragraph (2008-07-21)
    ("Vladimir Putin: Thank you.\nMr Khristenko\n[Chairman of the Eurasian Economic Commission Board in 2012–2016] "
     "prepared the ground very well.\n[Mr Miller went on to report on problems with the gasification programme.]",
     [("Vladimir Putin", ["Thank you.", "Mr Khristenko [Chairman of the Eurasian Economic Commission Board in "
                                        "2012–2016] prepared the ground very well.",
                          "[Mr Miller went on to report on problems with the gasification programme.]"])], []),
    # day file 2017-05-15: a bracket after a link; a stage note after a comma or an ellipsis stays (2007-01-29,
    # 2008-12-12), and so does a label's note on the line after its name (2011-05-16)
    ("Vladimir Putin: Colleagues, Russia is focused on the development of the Eurasian Economic Union\n"
     "(EAEU). In recent years, this association has made achievements.\nGood afternoon,\n"
     "(Addressing Deputy Prime Minister Sergei Ivanov) Sergei Borisovich.\nIt is these freedoms…\n"
     "(Shouts from the audience.) …There’s no need.\nPRESIDENT OF SLOVENIA DANILO TURK\n(retranslated): Thank you.",
     [("Vladimir Putin", ["Colleagues, Russia is focused on the development of the Eurasian Economic Union (EAEU). In "
                          "recent years, this association has made achievements.", "Good afternoon,",
                          "(Addressing Deputy Prime Minister Sergei Ivanov) Sergei Borisovich.",
                          "It is these freedoms…", "(Shouts from the audience.) …There’s no need."]),
      ("PRESIDENT OF SLOVENIA DANILO TURK", ["Thank you."])], []),
    # a separator is never continued
    ("Vladimir Putin: Good evening.\n* * *\n, and more.", [("Vladimir Putin", ["Good evening.", ", and more."])], []),
])
def test_a_line_cut_after_a_link_is_joined(body: str, expected: list, subheadings: list[str]) -> None:
    page = parse_page(_page(body), "t.txt")
    assert [(t.label, t.paragraphs) for t in page.turns] == expected
    assert page.subheadings == subheadings
    nonempty = [n for n, s in enumerate(_page(body).split("\n"), start=1) if s.strip()]
    assert sorted(n for n, _ in page.line_places) == nonempty


@pytest.mark.parametrize("marker", [
    "<…>", "<...>", "<..>",
    "< … >",  # day files of 2013 (31 lines, 2013-09-05 ...)
    "<. . .>",  # day file 2010-01-18
    "‹…›",  # day file 2011-11-26
])
def test_omission_markers(marker: str) -> None:
    page = parse_page(_page(f"Vladimir Putin: Good afternoon.\n{marker}\nVladimir Putin: Next.\n{marker}\nAnd more."),
                      "t.txt")
    assert [(t.paragraphs, t.follows_omission) for t in page.turns] == [
        (["Good afternoon."], False), (["Next.", "And more."], True)]
    assert page.n_omissions == 2


@pytest.mark.parametrize("body", [
    # text page 8055 (day file 2010-06-15): `None` alone under the place, where the site has an untitled video
    "None\n* * *\nPresident of Russia Dmitry Medvedev: Mr Miller, several days ago.\nMore.",
    # text page 9200: after a photo counter
    "2 of 2\nNone\nPresident of Russia Dmitry Medvedev: Mr Miller, several days ago.\nMore.",
])
def test_an_untitled_media_line_is_neither_caption_nor_subheading(body: str) -> None:
    page = parse_page(_page(body), "t.txt")
    assert (page.photo_captions, page.subheadings) == ([], [])
    assert [(t.label, t.subheading, t.paragraphs) for t in page.turns] == [
        ("President of Russia Dmitry Medvedev", None, ["Mr Miller, several days ago.", "More."])]
    assert ("untitled_media" in {w for _, w in page.line_places})


def test_a_see_also_box_headed_in_russian() -> None:
    # day file 2015-03-20: the box heading printed `Смотрите также`; its titles and dates were captions and sub-headings
    page = parse_page(_page("Vladimir Putin: Thank you.\nСмотрите также\n"
                            "Meeting of the presidents of Russia, Belarus and Kazakhstan\nMarch 20, 2015\n"
                            "Press statement following a meeting between the presidents of Russia, Belarus and "
                            "Kazakhstan\nMarch 20, 2015"), "t.txt")
    assert page.see_also == ["Meeting of the presidents of Russia, Belarus and Kazakhstan",
                             "Press statement following a meeting between the presidents of Russia, Belarus and "
                             "Kazakhstan"]
    assert (page.subheadings, page.photo_captions, page.turns[0].paragraphs) == ([], [], ["Thank you."])


@pytest.mark.parametrize("line", [
    "This is why we plan to introduce differentiated reserve requirements. <…>",  # page 56768 (day file 2018-02-01)
    "Thank you.“",  # day file 2005-09-27: the closing quote of the early pages
])
def test_a_line_ending_in_an_omission_or_closing_quote_is_no_subheading(line: str) -> None:
    page = parse_page(_page(f"Vladimir Putin: Friends,\n{line}\nMore."), "t.txt")
    assert page.subheadings == []
    assert page.turns[0].paragraphs == ["Friends,", line, "More."]


def test_a_lead_cut_by_a_line_break_is_one_paragraph() -> None:
    # day file 2017-10-23 (page 55895): a flattened page's lead over two lines; a second paragraph stays apart
    page = parse_lines(["Events", "Meeting with Yury Chikhanchin", "Head of Rosfinmonitoring",
                        "briefed the President on the service’s current activities.", "A second paragraph.",
                        "October 23, 2017", "14:40", "Vladimir Putin: Good afternoon.", "Text version"], "t.txt")
    assert page.lead == ("Head of Rosfinmonitoring briefed the President on the service’s current activities.\n"
                         "A second paragraph.")
