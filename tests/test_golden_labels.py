"""Golden day files for the label quirks of the real text version: one page per quirk, its rows read by hand.

Each case names a day file of ../shared/data/kremlin_en_days and the title of one page in it. The expected
rows (tests/golden/days/label_*.expected.json) hold the page summary of golden_util plus, for each turn, the
speaker_id that the identity step gives with this page alone as evidence (corpus-wide merges such as typos
are tested in test_days_speakers.py).
"""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from conftest import GOLDEN, SHARED_DATA, need
from golden_util import check, page_summary

from kremlin_data import identity
from kremlin_data.page import Page
from kremlin_data.rows import page_rows
from kremlin_data.sources import decode_text, read_bytes, split_pages
from kremlin_data.text_version import parse_lines

pytestmark = pytest.mark.corpus

DAYS = SHARED_DATA.parent / "kremlin_en_days" / "content"

GOLDEN_DAYS = {
    # the person card after a linked name, with the current role glued on
    "label_person_card": ("2016-02-02", "Working meeting with Prime Minister Dmitry Medvedev"),
    # the card after a name and its glued role: `Murat Kumpilov Kumpilov MuratHead of the Republic of Adygeya`
    "label_person_card_after_name": ("2017-08-30", "Meeting with Acting Head of Republic of Adygeya Murat Kumpilov"),
    # the card without a role: `President of Serbia Tomislav Nikolic Nikolic Tomislav`
    "label_person_card_no_role": ("2013-10-30", "Meeting with President of Serbia Tomislav Nikolic"),
    # a role glued to a name where a link ended: `President of RussiaVladimir Putin`
    "label_glued_role_and_name": ("2015-05-26", "Delovaya Rossiya business forum"),
    # a name glued where a link ended, split on the page's Persons tag: `SauliNiinistö`
    "label_glued_name": ("2018-08-22", "Talks with President of Finland Sauli Niinistö"),
    # a connector glued inside a role: `ServiceforFinancial`
    "label_glued_connector": ("2016-11-02",
                              "Meeting with Head of the Federal Service for Financial Monitoring Yury Chikhanchin"),
    # all-capitals labels of the early 2000s: `A. MAGOMETOV, RECTOR OF ...`
    "label_capitals_name_comma_role": ("2004-02-12", "President Vladimir Putin’s Answers to Questions During a "
                                                     "Meeting with His Election Campaign Representatives"),
    # `Vladimir V. PUTIN`, `President Vladimir V.PUTIN`, `Major-General Sergey V. YANGOREV, the Commander ...`
    "label_capitals_middle_initial": ("2000-05-07", "Inauguration Ceremony"),
    # `X on Y:` and `X talked about Y:` attributions: the speaker is X
    "label_x_on_y": ("2000-02-24", "Excerpts from Interview to Baltika radio station"),
    # a generic label with its question after a full stop: `QUESTION from the Department of Economics. And ...`
    "label_question_with_text": ("2002-05-25", "Meeting with Students of Saint Petersburg State University"),
    # a note whose bracket the site left open: `Markus Soeder (retranslated: Thank you ...` (page 62693)
    "label_unclosed_note": ("2020-01-29", "Meeting with Minister President of Bavaria Markus Soeder"),
    # a list of appointments read out (`Minister of Defence: Sergei Shoigu.`) is text, not one-line turns (57492)
    "label_list_of_appointments": ("2018-05-18", "Working meeting with Prime Minister Dmitry Medvedev"),
    # photo captions between the paragraphs of a speech that name the event (`Minister X at the meeting on ...`)
    "caption_naming_the_event": ("2018-02-07", "Meeting on preparations for the 2019 Winter Universiade"),
    # surname-only labels (`Putin:`) resolved within the page
    "label_surname_only": ("2000-01-18", "Conversation with the press during a break in the first plenary meeting "
                                         "of the Third State Duma"),
}


def day_page(date: str, title: str) -> Page:
    """The first page of the day file with this title."""
    path = need(DAYS / f"{date}.txt.gz")
    for chunk in split_pages(decode_text(read_bytes(path)).text):
        if chunk.is_page:
            page = parse_lines(chunk.lines, str(path), chunk.first_line)
            if page.title == title:
                return page
    raise AssertionError(f"{path}: no page titled {title!r}")


def summary_with_ids(page: Page) -> dict[str, Any]:
    """golden_util's summary, each turn followed by the speaker_id the identity step gives on this page alone."""
    summary = page_summary(page)
    event, rows = page_rows(page)
    utterances = pl.DataFrame(rows, infer_schema_length=None)
    events = pl.DataFrame([{"event_id": event["event_id"], "date": event["date"], "persons": event["persons"]}],
                          schema={"event_id": pl.String, "date": pl.Date, "persons": pl.List(pl.String)})
    resolved, _ = identity.resolve(utterances, events)
    for turn, sid, card in zip(summary["turns"], resolved["speaker_id"].to_list(),
                               resolved["person_card"].to_list(), strict=True):
        turn += [sid, card]
    return summary


@pytest.mark.parametrize("quirk", sorted(GOLDEN_DAYS))
def test_golden_day_page(quirk: str, update_golden: bool) -> None:
    date, title = GOLDEN_DAYS[quirk]
    check(summary_with_ids(day_page(date, title)), GOLDEN / "days" / f"{quirk}.expected.json", update_golden)
