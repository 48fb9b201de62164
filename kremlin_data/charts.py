"""Turns the package's tables (polars frames) into small derived tables and Altair charts, and charts into PNGs."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import altair as alt
import polars as pl

from kremlin_data.load import data_dir, load
from kremlin_data.schema import TABLES, empty_table

PRESIDENT_ROLE = "President of Russia"
OTHERS = "Others"
NOT_QUANTITIES = ("year", "date", "ordinal")
"""Claim kinds that name a point in time or a position, not a quantity: left out of claim rates."""
FIGURE_KINDS = ("money", "percent", "percentage_point", "measure", "count")
"""Claim kinds whose repeated values are worth counting (durations, multiples and the like repeat as phrases)."""
_HEAT = alt.Scale(scheme="blues")
_CATEGORIES = alt.Scale(scheme="tableau10")
_PALETTE = ("#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d")
_GREY = "#bab0ac"


# ---------------------------------------------------------------- helpers


def load_optional(table: str, path: str | os.PathLike[str] | None = None) -> pl.DataFrame:
    """Load a table, or an empty frame when the build folder does not hold it (yet).

    The empty frame has the table's columns when the schema defines the table, else none at all.

    >>> load_optional("topics", "/nonexistent").height
    0
    """
    try:
        return load(table, path)
    except FileNotFoundError:
        if table not in TABLES:
            return pl.DataFrame()
        frame = pl.from_arrow(empty_table(TABLES[table]))
        assert isinstance(frame, pl.DataFrame)
        return frame


def too_small(frame: pl.DataFrame, min_rows: int, what: str) -> str | None:
    """A sentence saying why no chart is drawn when `frame` has fewer than `min_rows` rows, else None.

    >>> too_small(pl.DataFrame({"a": [1]}), 3, "months")
    'Not enough data for this chart (months: 1, at least 3 needed). Build the whole archive to see it.'
    >>> too_small(pl.DataFrame({"a": [1, 2, 3]}), 3, "months") is None
    True
    """
    if frame.height >= min_rows:
        return None
    return (f"Not enough data for this chart ({what}: {frame.height}, at least {min_rows} needed). "
            "Build the whole archive to see it.")


def chart_or_reason(frame: pl.DataFrame, min_rows: int, what: str,
                    draw: Callable[[pl.DataFrame], alt.TopLevelMixin]) -> alt.TopLevelMixin | None:
    """For notebooks: `draw(frame)`, or print why not (see `too_small`) and return None, which shows nothing."""
    why = too_small(frame, min_rows, what)
    if why:
        print(why)  # the sentence a notebook shows in place of the chart
        return None
    return draw(frame)


def with_speaker(utterances: pl.DataFrame) -> pl.DataFrame:
    """Add `speaker`, who speaks: one name per person, or the generic label's word (Question, Remark, ...).

    Pages print one person's name in different cases and spellings; the most printed one stands for all.
    """
    names = (utterances.filter(pl.col("speaker_id").is_not_null()).group_by("speaker_id", "speaker_name").len()
             .sort(["speaker_id", "len", "speaker_name"], descending=[False, True, False])
             .unique("speaker_id", keep="first").select("speaker_id", pl.col("speaker_name").alias("speaker")))
    return (utterances.join(names, on="speaker_id", how="left")
            .with_columns(pl.coalesce("speaker", "speaker_name", pl.col("kind").str.to_titlecase()).alias("speaker")))


def _event_label() -> pl.Expr:
    """A short, unique name for an event: its date and the start of its title."""
    title = pl.col("title").fill_null("(untitled)")
    short = pl.when(title.str.len_chars() > 60).then(title.str.slice(0, 57) + "...").otherwise(title)
    return pl.concat_str(pl.col("date").cast(pl.String).fill_null("undated"), pl.lit(" "), short).alias("event")


def _excerpt(column: str = "text", chars: int = 160) -> pl.Expr:
    """The first `chars` characters of a text column, for tooltips and tables."""
    text = pl.col(column).str.replace_all(r"\s+", " ")
    return (pl.when(text.str.len_chars() > chars).then(text.str.slice(0, chars - 3) + "...").otherwise(text)
            .alias("excerpt"))


def _top_or_others(frame: pl.DataFrame, column: str, weight: str, n: int) -> pl.DataFrame:
    """Keep the `n` heaviest values of `column` (by summed `weight`) and call the rest `Others`."""
    top = (frame.group_by(column).agg(pl.col(weight).sum()).sort([weight, column], descending=[True, False])
           .head(n).get_column(column))
    return frame.with_columns(pl.when(pl.col(column).is_in(top.implode())).then(pl.col(column))
                              .otherwise(pl.lit(OTHERS)).alias(column))


def _ranked_scale(frame: pl.DataFrame, column: str, weight: str) -> alt.Scale:
    """Colours for `column` values from heaviest to lightest, with Others always grey and last."""
    ranked = (frame.filter(pl.col(column) != OTHERS).group_by(column).agg(pl.col(weight).sum())
              .sort([weight, column], descending=[True, False]).get_column(column).to_list())
    domain = ranked + ([OTHERS] if (frame.get_column(column) == OTHERS).any() else [])
    colours = [_PALETTE[i % len(_PALETTE)] for i in range(len(ranked))] + [_GREY] * (len(domain) - len(ranked))
    return alt.Scale(domain=domain, range=colours)


def _with_president(utterances: pl.DataFrame) -> pl.DataFrame:
    """Add `is_president`: the turn's speaker is labelled President of Russia somewhere in the same event.

    Later turns print the name without the role, so the role is looked up per (event, speaker).
    """
    presidents = (utterances.filter(pl.col("speaker_role") == PRESIDENT_ROLE, pl.col("speaker_id").is_not_null())
                  .select("event_id", "speaker_id").unique().with_columns(is_president=pl.lit(True)))
    return (utterances.join(presidents, on=["event_id", "speaker_id"], how="left")
            .with_columns(pl.col("is_president").fill_null(False)))


# ---------------------------------------------------------------- 01 speaking share


def words_per_speaker(utterances: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """Words and turns per speaker per event, with the speaker's share of the event's words.

    Columns: event_id, event, date, speaker, n_turns, n_words, share (0-1), event_words.
    """
    per = (with_speaker(utterances).group_by("event_id", "speaker")
           .agg(n_turns=pl.len().cast(pl.Int32), n_words=pl.col("n_words").sum().cast(pl.Int64)))
    per = per.with_columns(event_words=pl.col("n_words").sum().over("event_id"))
    per = per.with_columns(share=pl.col("n_words") / pl.col("event_words").clip(lower_bound=1))
    labelled = events.select("event_id", "date", _event_label())
    return (per.join(labelled, on="event_id", how="left")
            .select("event_id", "event", "date", "speaker", "n_turns", "n_words", "share", "event_words")
            .sort(["event_words", "event_id", "n_words", "speaker"], descending=[True, False, True, False]))


def event_speakers_chart(words: pl.DataFrame, n_events: int = 20, n_speakers: int = 9) -> alt.VConcatChart:
    """Stacked bars of words per speaker for the longest events; click a bar to see that event's speakers below."""
    longest = words.select("event_id", "event_words").unique().sort(["event_words", "event_id"],
                                                                     descending=[True, False]).head(n_events)
    shown = _top_or_others(words.join(longest.select("event_id"), on="event_id"), "speaker", "n_words", n_speakers)
    shown = (shown.group_by("event_id", "event", "date", "speaker", "event_words")
             .agg(pl.col("n_turns").sum(), pl.col("n_words").sum(), pl.col("share").sum()))
    first = shown.sort(["event_words", "event_id"], descending=[True, False]).get_column("event")[0]
    pick = alt.selection_point(fields=["event"], value=[{"event": first}], name="pick_event")
    scale = _ranked_scale(shown, "speaker", "n_words")
    rank = pl.Series(scale.domain).to_frame("speaker").with_row_index("speaker_rank")
    base = alt.Chart(shown.drop("event_id").join(rank, on="speaker")).encode(
        color=alt.Color("speaker:N", title="Speaker", scale=scale),
        order=alt.Order("speaker_rank:Q"),
        tooltip=[alt.Tooltip("event:N", title="Event"), alt.Tooltip("speaker:N", title="Speaker"),
                 alt.Tooltip("n_words:Q", title="Words", format=","), alt.Tooltip("n_turns:Q", title="Turns"),
                 alt.Tooltip("share:Q", title="Share of the event's words", format=".0%")],
    )
    overview = base.mark_bar().encode(
        x=alt.X("sum(n_words):Q", title="Words spoken (count)"),
        y=alt.Y("event:N", title=None, sort=alt.EncodingSortField("event_words", op="max", order="descending"),
                axis=alt.Axis(labelLimit=360)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
    ).add_params(pick).properties(title=f"Words per speaker in the {longest.height} longest events "
                                        "(click a bar to pick an event)", width=520)
    detail = base.mark_bar().encode(
        x=alt.X("n_words:Q", title="Words spoken (count)"),
        y=alt.Y("speaker:N", title=None, sort="-x"),
    ).transform_filter(pick).properties(title="Words per speaker in the picked event", width=520)
    return alt.vconcat(overview, detail)


def president_share_by_month(utterances: pl.DataFrame, events: pl.DataFrame, min_words: int = 1000) -> pl.DataFrame:
    """The President's share of the words spoken in the transcripts, per month.

    Months with fewer than `min_words` words spoken are left out: one short exchange is not a month's share.
    Columns: month (first day, date), n_events, n_words, president_words, share (0-1).
    """
    turns = _with_president(utterances).join(events.select("event_id", "date"), on="event_id")
    return (turns.filter(pl.col("date").is_not_null())
            .with_columns(month=pl.col("date").dt.truncate("1mo"))
            .group_by("month")
            .agg(n_events=pl.col("event_id").n_unique().cast(pl.Int32), n_words=pl.col("n_words").sum(),
                 president_words=pl.col("n_words").filter(pl.col("is_president")).sum())
            .with_columns(share=pl.col("president_words") / pl.col("n_words").clip(lower_bound=1))
            .filter(pl.col("n_words") >= min_words).sort("month"))


def president_share_chart(share: pl.DataFrame) -> alt.LayerChart:
    """Monthly President's share of words as points sized by the words spoken that month, with a trend line."""
    base = alt.Chart(share).encode(x=alt.X("month:T", title="Month"))
    points = base.mark_circle(opacity=0.6).encode(
        y=alt.Y("share:Q", title="President's share of words (%)", axis=alt.Axis(format="%")),
        size=alt.Size("n_words:Q", title="Words that month", legend=alt.Legend(format=",")),
        tooltip=[alt.Tooltip("month:T", title="Month", format="%B %Y"),
                 alt.Tooltip("share:Q", title="President's share", format=".0%"),
                 alt.Tooltip("n_words:Q", title="Words", format=","), alt.Tooltip("n_events:Q", title="Events")],
    )
    trend = base.mark_line(color="#d62728").transform_loess("month", "share", bandwidth=0.3).encode(y="share:Q")
    title = "The President's share of the words spoken in transcripts, by month"
    chart: alt.LayerChart = (points + trend).properties(title=title, width=640, height=300)
    return chart


def share_by_turn_type(utterances: pl.DataFrame) -> pl.DataFrame:
    """Words by turn type: question, answer (a named turn right after a question), other named, other generic.

    Columns: turn_type, n_turns, n_words, share (0-1), mean_words.
    """
    ordered = utterances.sort("event_id", "seq").with_columns(
        previous=pl.col("kind").shift(1).over("event_id"))
    typed = ordered.with_columns(turn_type=pl.when(pl.col("kind") == "question").then(pl.lit("question"))
                                 .when((pl.col("kind") == "named") & (pl.col("previous") == "question"))
                                 .then(pl.lit("answer"))
                                 .when(pl.col("kind") == "named").then(pl.lit("other named turn"))
                                 .otherwise(pl.lit("other generic turn")))
    return (typed.group_by("turn_type").agg(n_turns=pl.len().cast(pl.Int32), n_words=pl.col("n_words").sum())
            .with_columns(share=pl.col("n_words") / pl.col("n_words").sum().clip(lower_bound=1),
                          mean_words=pl.col("n_words") / pl.col("n_turns"))
            .sort("n_words", descending=True))


def share_by_role(utterances: pl.DataFrame, n: int = 15) -> pl.DataFrame:
    """Words by the role printed in the speaker's label (the role of the speaker's first labelled turn in the event).

    Generic labels count under their word (Question, Remark, ...). Columns: role, n_speakers, n_turns, n_words,
    share (0-1); the `n` roles with most words, the rest as Others.
    """
    role = pl.col("speaker_role").drop_nulls().first().over("event_id", "speaker_id")
    roled = utterances.with_columns(
        role=pl.when(pl.col("speaker_id").is_null()).then(pl.col("kind").str.to_titlecase())
        .otherwise(pl.coalesce(role, pl.lit("(no role printed)"))))
    roled = _top_or_others(roled, "role", "n_words", n)
    return (roled.group_by("role").agg(n_speakers=pl.col("speaker_id").n_unique().cast(pl.Int32),
                                       n_turns=pl.len().cast(pl.Int32), n_words=pl.col("n_words").sum())
            .with_columns(share=pl.col("n_words") / pl.col("n_words").sum().clip(lower_bound=1))
            .sort(["n_words", "role"], descending=[True, False]))


def share_bars_chart(shares: pl.DataFrame, category: str, title: str) -> alt.Chart:
    """Horizontal bars of the share of words per category, from `share_by_turn_type` or `share_by_role`.

    Largest first, with the Others bucket last and grey: it is a remainder, not a category.
    """
    ranked = shares.sort(["share", category], descending=[True, False]).get_column(category).to_list()
    order = [c for c in ranked if c != OTHERS] + [c for c in ranked if c == OTHERS]
    chart: alt.Chart = alt.Chart(shares).mark_bar().encode(
        x=alt.X("share:Q", title="Share of all words spoken (%)", axis=alt.Axis(format="%")),
        y=alt.Y(f"{category}:N", title=None, sort=order, axis=alt.Axis(labelLimit=320)),
        color=alt.condition(alt.datum[category] == OTHERS, alt.value(_GREY), alt.value("#4c78a8")),
        tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip("share:Q", title="Share", format=".1%"),
                 alt.Tooltip("n_words:Q", title="Words", format=","),
                 alt.Tooltip("n_turns:Q", title="Turns", format=",")],
    ).properties(title=title, width=480)
    return chart


def longest_monologues(utterances: pl.DataFrame, events: pl.DataFrame, n: int = 15) -> pl.DataFrame:
    """The `n` longest single turns. Columns: speaker, n_words, date, title, excerpt, utterance_id."""
    return (with_speaker(utterances).sort(["n_words", "utterance_id"], descending=[True, False]).head(n)
            .join(events.select("event_id", "date", "title"), on="event_id", how="left")
            .select("speaker", "n_words", "date", "title", _excerpt(), "utterance_id")
            .sort(["n_words", "utterance_id"], descending=[True, False]))


def monologues_chart(monologues: pl.DataFrame) -> alt.Chart:
    """Bars of the longest turns, labelled by speaker and date."""
    frame = monologues.with_columns(
        turn=pl.concat_str(pl.col("speaker"), pl.lit(", "), pl.col("date").cast(pl.String).fill_null("undated")))
    chart: alt.Chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("n_words:Q", title="Words in the turn (count)"),
        y=alt.Y("utterance_id:N", title=None, sort="-x", axis=alt.Axis(labelExpr="''", ticks=False)),
        color=alt.Color("speaker:N", title="Speaker", scale=_ranked_scale(frame, "speaker", "n_words")),
        tooltip=["turn:N", alt.Tooltip("n_words:Q", title="Words", format=","), "title:N", "excerpt:N"],
    ).properties(title="The longest single turns (monologues)", width=480)
    return chart


def busiest_event(events: pl.DataFrame, title_contains: str | None = None) -> str | None:
    """The event_id of the event with most turns (optionally among titles containing a phrase), None if none."""
    pool = events if title_contains is None else events.filter(
        pl.col("title").str.to_lowercase().str.contains(title_contains.lower(), literal=True))
    if pool.is_empty():
        return None if title_contains is None else busiest_event(events)
    top = pool.sort(["n_utterances", "event_id"], descending=[True, False]).row(0, named=True)
    return str(top["event_id"]) if top["n_utterances"] else None


def dialogue_rhythm(utterances: pl.DataFrame, event_id: str) -> pl.DataFrame:
    """One event's turns in order: seq, speaker, kind, n_words, words_before (position in the event), excerpt."""
    return (with_speaker(utterances).filter(pl.col("event_id") == event_id).sort("seq")
            .select("seq", "speaker", "kind", "n_words", _excerpt(chars=200))
            .with_columns(words_before=pl.col("n_words").cum_sum() - pl.col("n_words")))


def rhythm_chart(rhythm: pl.DataFrame, title: str, n_speakers: int = 9) -> alt.Chart:
    """Turn length along the event: one bar per turn, coloured by speaker."""
    frame = _top_or_others(rhythm, "speaker", "n_words", n_speakers)
    step = max(1, frame.height // 12)
    ticks = [int(v) for v in frame.get_column("seq") if v % step == 0 or step == 1]
    chart: alt.Chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("seq:O", title="Turn number (along the event)", axis=alt.Axis(values=ticks, labelAngle=0)),
        y=alt.Y("n_words:Q", title="Words in the turn (count)"),
        color=alt.Color("speaker:N", title="Speaker", scale=_ranked_scale(frame, "speaker", "n_words")),
        tooltip=[alt.Tooltip("seq:O", title="Turn"), "speaker:N", alt.Tooltip("n_words:Q", title="Words"),
                 "excerpt:N"],
    ).properties(title=f"Dialogue rhythm: {title}", width=640, height=260)
    return chart


# ---------------------------------------------------------------- 02 numeric claims


def _periods(frame: pl.DataFrame, every: str) -> pl.DataFrame:
    return frame.filter(pl.col("date").is_not_null()).with_columns(period=pl.col("date").dt.truncate(every))


def claims_per_1000_words(claims: pl.DataFrame, events: pl.DataFrame, every: str = "1y",
                          by: str | None = None, min_words: int = 10_000) -> pl.DataFrame:
    """Quantity claims per 1,000 words spoken, per period, optionally split by a claims column such as `kind`.

    Years, dates and ordinals (`NOT_QUANTITIES`) are not counted. `every` is a polars interval (`1y`, `1mo`).
    Words are the events' turn words in the period; periods with fewer than `min_words` are left out (a rate over
    one short page says nothing). Columns: period (date), [by], n_claims, n_words, per_1000.
    """
    dated = events.select("event_id", "date")
    words = (_periods(events.filter(pl.col("n_words") > 0), every).group_by("period")
             .agg(n_words=pl.col("n_words").sum()).filter(pl.col("n_words") >= min_words))
    keys = ["period"] if by is None else ["period", by]
    quantities = claims.filter(~pl.col("kind").is_in(NOT_QUANTITIES)).select(pl.exclude("date"))
    counted = (_periods(quantities.join(dated, on="event_id"), every)
               .group_by(keys).agg(n_claims=pl.len().cast(pl.Int32)))
    return (counted.join(words, on="period")
            .with_columns(per_1000=pl.col("n_claims") * 1000 / pl.col("n_words").clip(lower_bound=1))
            .sort(keys))


def claims_rate_chart(rates: pl.DataFrame, by: str | None = None) -> alt.Chart:
    """Claims per 1,000 words over time: a line (or one line per `by` value)."""
    encoding: dict[str, alt.Color] = {}
    if by is not None:
        encoding["color"] = alt.Color(f"{by}:N", title=by.capitalize(), scale=_CATEGORIES)
    chart: alt.Chart = alt.Chart(rates).mark_line(point=True).encode(
        x=alt.X("period:T", title="Year"),
        y=alt.Y("per_1000:Q", title="Claims per 1,000 words spoken"),
        tooltip=[alt.Tooltip("period:T", title="Period", format="%Y-%m"),
                 *([alt.Tooltip(f"{by}:N")] if by else []),
                 alt.Tooltip("per_1000:Q", title="Per 1,000 words", format=".2f"),
                 alt.Tooltip("n_claims:Q", title="Claims", format=","),
                 alt.Tooltip("n_words:Q", title="Words", format=",")],
        **encoding,
    ).properties(title="Numeric claims per 1,000 words spoken" + (f", by {by}" if by else ""), width=640)
    return chart


def claims_per_speaker(claims: pl.DataFrame, utterances: pl.DataFrame, min_words: int = 5000,
                       n: int = 20) -> pl.DataFrame:
    """Claims per 1,000 words for the `n` named speakers who say most, among those with at least `min_words`.

    Columns: speaker_id, speaker, n_words, n_claims, per_1000.
    """
    words = (utterances.filter(pl.col("speaker_id").is_not_null()).group_by("speaker_id")
             .agg(speaker=pl.col("speaker_name").mode().sort().first(), n_words=pl.col("n_words").sum())
             .filter(pl.col("n_words") >= min_words))
    counted = claims.filter(pl.col("speaker_id").is_not_null(), ~pl.col("kind").is_in(NOT_QUANTITIES)).group_by(
        "speaker_id").agg(
        n_claims=pl.len().cast(pl.Int32))
    return (words.join(counted, on="speaker_id", how="left").with_columns(pl.col("n_claims").fill_null(0))
            .with_columns(per_1000=pl.col("n_claims") * 1000 / pl.col("n_words"))
            .sort(["n_words", "speaker_id"], descending=[True, False]).head(n)
            .sort(["per_1000", "speaker_id"], descending=[True, False]))


def speaker_rate_chart(rates: pl.DataFrame) -> alt.Chart:
    """Bars of claims per 1,000 words per speaker."""
    chart: alt.Chart = alt.Chart(rates).mark_bar().encode(
        x=alt.X("per_1000:Q", title="Claims per 1,000 words spoken"),
        y=alt.Y("speaker:N", title=None, sort="-x"),
        color=alt.value("#4c78a8"),
        tooltip=["speaker:N", alt.Tooltip("per_1000:Q", title="Per 1,000 words", format=".2f"),
                 alt.Tooltip("n_claims:Q", title="Claims", format=","),
                 alt.Tooltip("n_words:Q", title="Words", format=",")],
    ).properties(title="Who states figures: claims per 1,000 words, by speaker", width=480)
    return chart


def money_claims(claims: pl.DataFrame, n_currencies: int = 6) -> pl.DataFrame:
    """Money claims with a positive value in the `n_currencies` most frequent currencies.

    Columns: date, currency, value, bound, speaker, surface, excerpt (of the sentence).
    """
    money = claims.filter(pl.col("kind") == "money", pl.col("value") > 0, pl.col("unit").is_not_null())
    top = money.group_by("unit").len().sort(["len", "unit"], descending=[True, False]).head(n_currencies)
    return (money.join(top.select("unit"), on="unit")
            .select("date", pl.col("unit").alias("currency"), "value", "bound",
                    pl.col("speaker_name").fill_null("(generic label)").alias("speaker"), "surface",
                    _excerpt("sentence"))
            .sort(["currency", "value"]))


MAX_POINTS = 5000
"""Altair refuses to embed more rows than this; charts of single claims draw a fixed random sample beyond it."""


def money_chart(money: pl.DataFrame) -> alt.Chart:
    """Money claims per currency on a log scale of the stated amount (a sample of `MAX_POINTS` when more)."""
    title = "Money claims by currency (log scale)"
    if money.height > MAX_POINTS:
        title += f", a random {MAX_POINTS:,} of {money.height:,}"
        money = money.sample(MAX_POINTS, seed=0)
    chart: alt.Chart = alt.Chart(money).mark_tick(thickness=2, opacity=0.5).encode(
        x=alt.X("value:Q", title="Amount stated (currency units, log scale)", scale=alt.Scale(type="log"),
                axis=alt.Axis(format="~s")),
        y=alt.Y("currency:N", title="Currency (ISO 4217)", sort="-x"),
        color=alt.Color("currency:N", legend=None, scale=_CATEGORIES),
        tooltip=["currency:N", alt.Tooltip("value:Q", title="Amount", format=",.0f"), "surface:N",
                 alt.Tooltip("bound:N", title="Bound"), "speaker:N", alt.Tooltip("date:T", title="Date"),
                 "excerpt:N"],
    ).properties(title=title, width=600)
    return chart


def percent_changes(claims: pl.DataFrame) -> pl.DataFrame:
    """Percent claims per year by stated change direction. Columns: year, change (up/down/none), n_claims."""
    return (claims.filter(pl.col("kind") == "percent", pl.col("date").is_not_null())
            .with_columns(year=pl.col("date").dt.year(), change=pl.col("change").fill_null("none"))
            .group_by("year", "change").agg(n_claims=pl.len().cast(pl.Int32)).sort("year", "change"))


def percent_change_chart(changes: pl.DataFrame) -> alt.Chart:
    """Stacked bars of percent claims per year, coloured by whether they state a rise, a fall, or neither."""
    chart: alt.Chart = alt.Chart(changes).mark_bar().encode(
        x=alt.X("year:O", title="Year"),
        y=alt.Y("n_claims:Q", title="Percent claims (count)"),
        color=alt.Color("change:N", title="Change stated",
                        scale=alt.Scale(domain=["up", "down", "none"], range=["#2ca02c", "#d62728", "#bbbbbb"])),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("change:N", title="Change"),
                 alt.Tooltip("n_claims:Q", title="Claims", format=",")],
    ).properties(title="Percent claims and their direction of change", width=560)
    return chart


def bounds_by_kind(claims: pl.DataFrame) -> pl.DataFrame:
    """How claims of each kind are qualified: exact (=) or approximate/bounded. Columns: kind, bound, n, share."""
    return (claims.with_columns(pl.col("bound").fill_null("="))
            .group_by("kind", "bound").agg(n=pl.len().cast(pl.Int32))
            .with_columns(share=pl.col("n") / pl.col("n").sum().over("kind"))
            .sort(["kind", "bound"]))


def bounds_chart(bounds: pl.DataFrame) -> alt.Chart:
    """Normalised bars: the share of each bound within each claim kind."""
    chart: alt.Chart = alt.Chart(bounds).mark_bar().encode(
        x=alt.X("n:Q", stack="normalize", title="Share of the kind's claims (%)", axis=alt.Axis(format="%")),
        y=alt.Y("kind:N", title="Claim kind"),
        color=alt.Color("bound:N", title="Bound (= exact, ~ about, > over, <~ almost, ...)", scale=_CATEGORIES),
        tooltip=["kind:N", "bound:N", alt.Tooltip("n:Q", title="Claims", format=","),
                 alt.Tooltip("share:Q", title="Share", format=".0%")],
    ).properties(title="Exact or approximate? Bounds by claim kind", width=520)
    return chart


def largest_claims(claims: pl.DataFrame, kind: str = "money", unit: str | None = None, n: int = 10) -> pl.DataFrame:
    """The `n` largest claims of a kind (and unit).

    Columns: value, unit, surface, bound, speaker_name, date, sentence.
    """
    chosen = claims.filter(pl.col("kind") == kind, pl.col("value").is_not_null())
    if unit is not None:
        chosen = chosen.filter(pl.col("unit") == unit)
    return (chosen.sort(["value", "claim_id"], descending=[True, False]).head(n)
            .select("value", "unit", "surface", "bound", "speaker_name", "date", "sentence"))


def repeated_figures(claims: pl.DataFrame, min_events: int = 2, n: int = 20, min_value: float = 10,
                     min_digits: int = 3) -> pl.DataFrame:
    """Specific figures (kind, unit, value) stated in at least `min_events` events, most repeated first.

    Only money, percent, measure and count claims (`FIGURE_KINDS`) of at least `min_value` with at least
    `min_digits` significant digits count: round numbers (two, 30 percent, US$1 billion) recur as manners of
    speech, while a repeated 12,130 roubles or 16.5 million tonnes is a talking point. `min_digits=1` keeps every
    value. Columns: figure, kind, unit, value, n_events, n_claims, first_date, last_date.
    """
    figures = claims.filter(pl.col("kind").is_in(FIGURE_KINDS), pl.col("value") >= min_value)
    if min_digits > 1:
        coarser = pl.col("value").round_sig_figs(min_digits - 1)
        figures = figures.filter((pl.col("value") - coarser).abs() > 1e-9 * pl.col("value"))
    grouped = (figures.group_by("kind", "unit", "value")
               .agg(n_events=pl.col("event_id").n_unique().cast(pl.Int32), n_claims=pl.len().cast(pl.Int32),
                    figure=pl.col("surface").mode().sort().first(),
                    first_date=pl.col("date").min(), last_date=pl.col("date").max())
               .filter(pl.col("n_events") >= min_events))
    figure = pl.concat_str(pl.col("figure"), pl.lit(" ("), pl.col("kind"),
                           pl.when(pl.col("unit").is_not_null() & (pl.col("unit") != pl.col("kind")))
                           .then(pl.lit(", ") + pl.col("unit")).otherwise(pl.lit("")), pl.lit(")"))
    return (grouped.with_columns(figure=figure)
            .sort(["n_events", "n_claims", "figure"], descending=[True, True, False]).head(n)
            .select("figure", "kind", "unit", "value", "n_events", "n_claims", "first_date", "last_date"))


def repeated_chart(repeated: pl.DataFrame) -> alt.Chart:
    """Bars of the figures repeated in the most events."""
    chart: alt.Chart = alt.Chart(repeated).mark_bar().encode(
        x=alt.X("n_events:Q", title="Events in which the figure is stated (count)"),
        y=alt.Y("figure:N", title=None, sort="-x"),
        color=alt.Color("kind:N", title="Kind", scale=_CATEGORIES),
        tooltip=["figure:N", alt.Tooltip("n_events:Q", title="Events"), alt.Tooltip("n_claims:Q", title="Claims"),
                 alt.Tooltip("first_date:T", title="First"), alt.Tooltip("last_date:T", title="Last")],
    ).properties(title="The same figure, again and again: most repeated figures", width=480)
    return chart


# ---------------------------------------------------------------- 03 topics


def site_topic_share_by_year(event_tags: pl.DataFrame, events: pl.DataFrame, n: int = 15,
                             min_events: int = 10) -> pl.DataFrame:
    """Share of each year's tagged events carrying each of the `n` most used site Topics tags.

    Years with fewer than `min_events` tagged events are left out. Columns: year, tag, n_events, share (0-1),
    year_events.
    """
    tagged = (event_tags.filter(pl.col("tag_type") == "topic")
              .join(events.select("event_id", "date"), on="event_id")
              .filter(pl.col("date").is_not_null()).with_columns(year=pl.col("date").dt.year()))
    year_events = (tagged.group_by("year").agg(year_events=pl.col("event_id").n_unique().cast(pl.Int32))
                   .filter(pl.col("year_events") >= min_events))
    top = (tagged.group_by("tag").agg(n=pl.col("event_id").n_unique()).sort(["n", "tag"], descending=[True, False])
           .head(n).select("tag"))
    return (tagged.join(top, on="tag").group_by("year", "tag")
            .agg(n_events=pl.col("event_id").n_unique().cast(pl.Int32))
            .join(year_events, on="year")
            .with_columns(share=pl.col("n_events") / pl.col("year_events")).sort("year", "tag"))


def heatmap(frame: pl.DataFrame, x: str, y: str, x_title: str, y_title: str, title: str,
            tooltip: list[alt.Tooltip]) -> alt.Chart:
    """A heatmap of `share` (0-1) over two categorical columns."""
    chart: alt.Chart = alt.Chart(frame).mark_rect().encode(
        x=alt.X(f"{x}:O", title=x_title),
        y=alt.Y(f"{y}:N", title=y_title, sort=alt.EncodingSortField("share", op="sum", order="descending")),
        color=alt.Color("share:Q", title="Share (%)", scale=_HEAT, legend=alt.Legend(format="%")),
        tooltip=tooltip,
    ).properties(title=title)
    return chart


def site_topics_chart(shares: pl.DataFrame) -> alt.Chart:
    """Heatmap of site topics by year."""
    return heatmap(shares, "year", "tag", "Year", "Site topic (Topics tag)",
                   "Site topics over time: share of each year's tagged events",
                   [alt.Tooltip("year:O", title="Year"), alt.Tooltip("tag:N", title="Topic"),
                    alt.Tooltip("share:Q", title="Share of tagged events", format=".0%"),
                    alt.Tooltip("n_events:Q", title="Events"), alt.Tooltip("year_events:Q", title="Tagged events")])


def _topic_words(utterance_topics: pl.DataFrame, topics: pl.DataFrame, utterances: pl.DataFrame) -> pl.DataFrame:
    """Words of each turn spread over its learned topics by weight.

    Columns: the utterance_topics columns, label, event_id, speaker, speaker_id, n_words, words.
    """
    return (utterance_topics.join(topics.select("topic_id", "label"), on="topic_id")
            .join(with_speaker(utterances).select("utterance_id", "event_id", "speaker", "speaker_id", "n_words"),
                  on="utterance_id")
            .with_columns(words=pl.col("weight") * pl.col("n_words")))


def learned_topic_share_by_year(utterance_topics: pl.DataFrame, topics: pl.DataFrame, utterances: pl.DataFrame,
                                events: pl.DataFrame, min_words: int = 10_000) -> pl.DataFrame:
    """Share of each year's words that falls on each learned topic (turn words split by topic weight).

    Years with fewer than `min_words` words are left out. Columns: year, label, words, share (0-1).
    """
    spread = _topic_words(utterance_topics, topics, utterances).join(events.select("event_id", "date"),
                                                                      on="event_id")
    return (spread.filter(pl.col("date").is_not_null()).with_columns(year=pl.col("date").dt.year())
            .group_by("year", "label").agg(pl.col("words").sum())
            .with_columns(share=pl.col("words") / pl.col("words").sum().over("year"))
            .filter(pl.col("words").sum().over("year") >= min_words).sort("year", "label"))


def learned_topics_chart(shares: pl.DataFrame) -> alt.Chart:
    """Heatmap of learned topics by year."""
    return heatmap(shares, "year", "label", "Year", "Learned topic (top terms)",
                   "Learned topics over time: share of each year's words",
                   [alt.Tooltip("year:O", title="Year"), alt.Tooltip("label:N", title="Topic"),
                    alt.Tooltip("share:Q", title="Share of words", format=".1%"),
                    alt.Tooltip("words:Q", title="Words (weighted)", format=",.0f")])


def topics_by_speaker(utterance_topics: pl.DataFrame, topics: pl.DataFrame, utterances: pl.DataFrame,
                      n_speakers: int = 12) -> pl.DataFrame:
    """For the `n_speakers` named speakers with most words, the share of their words on each learned topic.

    Columns: speaker, label, words, share (0-1).
    """
    spread = _topic_words(utterance_topics, topics, utterances).filter(pl.col("speaker_id").is_not_null())
    top = (utterances.filter(pl.col("speaker_id").is_not_null()).group_by("speaker_id")
           .agg(pl.col("n_words").sum()).sort(["n_words", "speaker_id"], descending=[True, False])
           .head(n_speakers).select("speaker_id"))
    return (spread.join(top, on="speaker_id").group_by("speaker", "label").agg(pl.col("words").sum())
            .with_columns(share=pl.col("words") / pl.col("words").sum().over("speaker")).sort("speaker", "label"))


def speaker_topics_chart(shares: pl.DataFrame) -> alt.Chart:
    """Heatmap of learned topics by speaker."""
    return heatmap(shares, "speaker", "label", "Speaker", "Learned topic (top terms)",
                   "What each speaker talks about: share of the speaker's words per learned topic",
                   [alt.Tooltip("speaker:N"), alt.Tooltip("label:N", title="Topic"),
                    alt.Tooltip("share:Q", title="Share of the speaker's words", format=".1%")])


def event_site_topics(utterance_site_topics: pl.DataFrame, utterances: pl.DataFrame, event_id: str) -> pl.DataFrame:
    """The site topics predicted for each turn of one event, along its timeline.

    Columns: seq, speaker, topic, probability, excerpt.
    """
    turns = with_speaker(utterances).filter(pl.col("event_id") == event_id).select("utterance_id", "seq", "speaker",
                                                                      _excerpt(chars=200))
    return (utterance_site_topics.join(turns, on="utterance_id")
            .select("seq", "speaker", "topic", "probability", "excerpt").sort("seq", "topic"))


def event_topics_chart(timeline: pl.DataFrame, title: str) -> alt.Chart:
    """Turn-level site topics of one event: a dot per (turn, topic), darker for higher probability."""
    chart: alt.Chart = alt.Chart(timeline).mark_square(size=40).encode(
        x=alt.X("seq:Q", title="Turn number (along the event)"),
        y=alt.Y("topic:N", title="Site topic (predicted)", sort=alt.EncodingSortField("seq", op="count",
                                                                                      order="descending")),
        color=alt.Color("probability:Q", title="Probability", scale=alt.Scale(scheme="blues", domain=[0.3, 1])),
        tooltip=[alt.Tooltip("seq:Q", title="Turn"), "speaker:N", "topic:N",
                 alt.Tooltip("probability:Q", format=".2f"), "excerpt:N"],
    ).properties(title=f"Site topics turn by turn: {title}", width=640)
    return chart


# ---------------------------------------------------------------- export


def _key_charts(path: Path) -> dict[str, Callable[[], alt.TopLevelMixin | str]]:
    """The charts `export_charts` writes, each a thunk giving a chart or the reason it cannot be drawn."""
    events, utterances = load("events", path), load("utterances", path)

    def speaking() -> alt.TopLevelMixin | str:
        words = words_per_speaker(utterances, events)
        return too_small(words, 1, "speaker rows") or event_speakers_chart(words)

    def president() -> alt.TopLevelMixin | str:
        share = president_share_by_month(utterances, events)
        return too_small(share, 3, "months") or president_share_chart(share)

    claims = load_optional("claims", path)

    def claims_rate() -> alt.TopLevelMixin | str:
        if claims.is_empty():
            return "no claims table"
        rates = claims_per_1000_words(claims, events, "1y", by="kind")
        return too_small(rates, 3, "year-kind rows") or claims_rate_chart(rates, by="kind")

    def money() -> alt.TopLevelMixin | str:
        if claims.is_empty():
            return "no claims table"
        rows = money_claims(claims)
        return too_small(rows, 5, "money claims") or money_chart(rows)

    def site_topics() -> alt.TopLevelMixin | str:
        shares = site_topic_share_by_year(load_optional("event_tags", path), events)
        return too_small(shares, 3, "year-topic cells") or site_topics_chart(shares)

    def learned() -> alt.TopLevelMixin | str:
        shares = learned_topic_share_by_year(load_optional("utterance_topics", path),
                                             load_optional("topics", path), utterances, events)
        return too_small(shares, 3, "year-topic cells") or learned_topics_chart(shares)

    return {"speaking_share_events": speaking, "president_share_by_month": president,
            "claims_per_1000_words": claims_rate, "money_claims": money, "site_topics_by_year": site_topics,
            "learned_topics_by_year": learned}


def save_png(chart: alt.TopLevelMixin, file: str | os.PathLike[str], scale: float = 2.0) -> Path:
    """Write one chart as a PNG (vl-convert, no browser), through a temporary file; return the file.

    The folder is created if needed. A notebook calls this to export the chart it has just drawn.
    """
    import vl_convert as vlc  # imported late: only the export needs it

    out = Path(file)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(vlc.vegalite_to_png(chart.to_dict(), scale=scale))
    tmp.replace(out)
    return out


def export_charts(data: str | os.PathLike[str] | None = None, out_dir: str | os.PathLike[str] = "docs/charts",
                  scale: float = 2.0) -> list[Path]:
    """Write the key charts of a build folder as PNG files (vl-convert, no browser); return the files written.

    Charts whose table is missing or too small are skipped.
    """
    path, out = data_dir(data), Path(out_dir)
    written = []
    for name, make in _key_charts(path).items():
        chart = make()
        if not isinstance(chart, str):
            written.append(save_png(chart, out / f"{name}.png", scale))
    return written
