"""Chart styling for the notebooks: derived tables (made in the notebooks' cells) -> Altair charts -> PNG files."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import altair as alt
import polars as pl

from kremlin_data.load import data_dir, load
from kremlin_data.schema import TABLES, empty_table

OTHERS = "Others"
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


def event_label() -> pl.Expr:
    """A short, unique name for an event: its date and the start of its title."""
    title = pl.col("title").fill_null("(untitled)")
    short = pl.when(title.str.len_chars() > 60).then(title.str.slice(0, 57) + "...").otherwise(title)
    return pl.concat_str(pl.col("date").cast(pl.String).fill_null("undated"), pl.lit(" "), short).alias("event")


def excerpt(column: str = "text", chars: int = 160) -> pl.Expr:
    """The first `chars` characters of a text column, for tooltips and tables."""
    text = pl.col(column).str.replace_all(r"\s+", " ")
    return (pl.when(text.str.len_chars() > chars).then(text.str.slice(0, chars - 3) + "...").otherwise(text)
            .alias("excerpt"))


def top_or_others(frame: pl.DataFrame, column: str, weight: str, n: int) -> pl.DataFrame:
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



# ---------------------------------------------------------------- 01 speaking share



def event_speakers_chart(words: pl.DataFrame, n_events: int = 20, n_speakers: int = 9) -> alt.VConcatChart:
    """Stacked bars of words per speaker for the longest events; click a bar to see that event's speakers below."""
    longest = words.select("event_id", "event_words").unique().sort(["event_words", "event_id"],
                                                                     descending=[True, False]).head(n_events)
    shown = top_or_others(words.join(longest.select("event_id"), on="event_id"), "speaker", "n_words", n_speakers)
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



def rhythm_chart(rhythm: pl.DataFrame, title: str, n_speakers: int = 9) -> alt.Chart:
    """Turn length along the event: one bar per turn, coloured by speaker."""
    frame = top_or_others(rhythm, "speaker", "n_words", n_speakers)
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




def learned_topics_chart(shares: pl.DataFrame) -> alt.Chart:
    """Heatmap of learned topics by year."""
    return heatmap(shares, "year", "label", "Year", "Learned topic (top terms)",
                   "Learned topics over time: share of each year's words",
                   [alt.Tooltip("year:O", title="Year"), alt.Tooltip("label:N", title="Topic"),
                    alt.Tooltip("share:Q", title="Share of words", format=".1%"),
                    alt.Tooltip("words:Q", title="Words (weighted)", format=",.0f")])



def speaker_topics_chart(shares: pl.DataFrame) -> alt.Chart:
    """Heatmap of learned topics by speaker."""
    return heatmap(shares, "speaker", "label", "Speaker", "Learned topic (top terms)",
                   "What each speaker talks about: share of the speaker's words per learned topic",
                   [alt.Tooltip("speaker:N"), alt.Tooltip("label:N", title="Topic"),
                    alt.Tooltip("share:Q", title="Share of the speaker's words", format=".1%")])



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


def spread_chart(spread: pl.DataFrame, category: str, title: str, x_title: str, scale: alt.Scale | None = None
                 ) -> alt.LayerChart:
    """A box per category from precomputed quantiles: whisker low-high, box q1-q3, tick at the median.

    Columns: `category`, n, low, q1, median, q3, high. The quantiles are computed in polars, so any number of rows
    can be summarised (Altair embeds at most 5,000).
    """
    x_scale = scale or alt.Scale(type="log")
    base = alt.Chart(spread).encode(
        y=alt.Y(f"{category}:N", title=None, sort=alt.EncodingSortField("median", order="descending")),
        tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip("n:Q", title="Rows", format=","),
                 alt.Tooltip("low:Q", title="10th percentile"), alt.Tooltip("q1:Q", title="25th percentile"),
                 alt.Tooltip("median:Q", title="Median"), alt.Tooltip("q3:Q", title="75th percentile"),
                 alt.Tooltip("high:Q", title="90th percentile")])
    whisker = base.mark_rule(color=_GREY).encode(x=alt.X("low:Q", title=x_title, scale=x_scale), x2="high:Q")
    box = base.mark_bar(size=14, color="#4c78a8").encode(x="q1:Q", x2="q3:Q")
    median = base.mark_tick(color="white", thickness=2, size=14).encode(x="median:Q")
    chart: alt.LayerChart = (whisker + box + median).properties(title=title, width=560)
    return chart


# ---------------------------------------------------------------- export



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


def exported(chart: alt.TopLevelMixin | None, charts_dir: str | os.PathLike[str] | None, name: str
             ) -> alt.TopLevelMixin | None:
    """For notebooks: write `chart` as `<charts_dir>/<name>.png` when a folder is given, and return it to display.

    Nothing is written for a chart that was not drawn (None, the data too small) or without a folder.
    """
    if chart is not None and charts_dir:
        save_png(chart, Path(charts_dir) / f"{name}.png")
    return chart


NOTEBOOKS_DIR = Path("notebooks")
"""Where `export_charts` finds the notebooks: the repository's notebooks/ folder, from the repository root."""


def export_charts(data: str | os.PathLike[str] | None = None, out_dir: str | os.PathLike[str] = "docs/charts",
                  notebooks: str | os.PathLike[str] = NOTEBOOKS_DIR, names: tuple[str, ...] | None = None
                  ) -> list[Path]:
    """Run the notebooks headless on a build folder, each writing its key charts as PNGs into `out_dir`.

    The charts' tables are derived in the notebooks' cells, so the notebooks are what draws the PNGs (through
    `exported`); charts whose data is too small are skipped. `names` picks notebooks by file stem (default: all).
    Returns the PNG files written, sorted.
    """
    import nbclient  # imported late: only the export runs notebooks
    import nbformat

    folder, out = Path(notebooks), Path(out_dir).resolve()
    books = sorted(p for p in folder.glob("*.ipynb") if names is None or p.stem in names)
    if not books:
        raise FileNotFoundError(f"no notebooks in {folder}: run from the repository root or pass notebooks=")
    out.mkdir(parents=True, exist_ok=True)
    before = {p: p.stat().st_mtime_ns for p in out.glob("*.png")}
    env = {"KREMLIN_DATA_DIR": str(data_dir(data).resolve()), "KREMLIN_CHARTS_DIR": str(out)}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # the kernels inherit the environment
    try:
        for book in books:
            nb = nbformat.read(book, as_version=4)  # type: ignore[no-untyped-call]
            nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                    resources={"metadata": {"path": str(folder)}}).execute()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return sorted(p for p in out.glob("*.png") if before.get(p) != p.stat().st_mtime_ns)
