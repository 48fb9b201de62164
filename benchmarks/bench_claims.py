"""Scores numeric-claim extraction on the hand-labelled golden pages (ours and quantulum3) and times it on the corpus.

Run from the repository root, with ../shared/data beside it:

    python benchmarks/bench_claims.py            # quality, ours and quantulum3 (if installed), then speed
    python benchmarks/bench_claims.py --errors   # also list our misses and false hits
    python benchmarks/bench_claims.py --no-speed
    python benchmarks/bench_claims.py --no-quality --stages --repeats 5   # speed only, and where the claims' time goes

A match is a predicted and a labelled number of the same kind whose spans overlap and whose values are equal;
precision and recall count matches. "value" is the share of span-overlapping pairs whose values are equal;
unit, bound and change (change + change_type) accuracy are taken on the matches.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden" / "claims"
NEWS_GOLDEN = REPO / "tests" / "golden" / "claims_news.expected.json"
DATA = REPO.parent / "shared" / "data" / "kremlin_en"
SCORED_KINDS = ("percent", "money", "count", "measure")

Mention = dict[str, Any]
Paragraph = tuple[str, str, list[Mention]]


def load_golden(data: Path = DATA, held_out: bool | None = None) -> list[Paragraph]:
    """(page:line key, paragraph text, labelled mentions) for each golden paragraph whose page is in `data`.

    `held_out` picks the pages labelled after the rules were frozen (True) or the others (False); None takes all.
    """
    items: list[Paragraph] = []
    for path in sorted(GOLDEN.glob("*.expected.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        source = data / doc["source"]
        if not source.exists() or (held_out is not None and doc["held_out"] != held_out):
            continue
        lines = source.read_text(encoding="utf-8").split("\n")
        for para in doc["paragraphs"]:
            line = lines[para["line"] - 1]
            if not line.startswith(para["start"]):
                raise ValueError(f"{path.name}: line {para['line']} no longer starts with {para['start']!r}")
            items.append((f"{doc['page_id']}:{para['line']}", line[para["text_start"]:], para["claims"]))
    return items


def load_news_golden(data: Path = DATA) -> list[Paragraph]:
    """(source:place key, sentence, labelled mentions) for each labelled news sentence whose page is in `data`."""
    doc = json.loads(NEWS_GOLDEN.read_text(encoding="utf-8"))
    items: list[Paragraph] = []
    paragraphs: dict[str, list[str]] = {}
    for item in doc["sentences"]:
        source = data / item["source"]
        if not source.exists():
            continue
        if item["source"] not in paragraphs:
            paragraphs[item["source"]] = (source.read_text(encoding="utf-8").split("\n") if "line" in item
                                          else html_news_paragraphs(source))
        place = item["line"] - 1 if "line" in item else item["paragraph"]
        sentence = paragraphs[item["source"]][place][item["text_start"]:item["text_end"]]
        if not sentence.startswith(item["start"]):
            raise ValueError(f"{item['source']}: sentence at {place} no longer starts with {item['start']!r}")
        items.append((f"{Path(item['source']).name}:{place}:{item['text_start']}", sentence, item["claims"]))
    return items


# A hint that a sentence may hold a number, used only to pick the news sentences to label (not a rule of ours).
_NUMBER_HINT = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                          r"forty|fifty|hundreds?|thousands?|millions?|billions?|trillions?|dozens?|half|twice|"
                          r"doubled?)\b", re.I)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def news_sample(data: Path = DATA, with_number: int = 260, without: int = 60, seed: int = 13) -> list[dict[str, Any]]:
    """The news sentences picked for hand labelling: body and lead sentences of the non-transcript pages.

    Every distinct sentence of `text/other/*.txt` (lead and body paragraphs as the text parser reads them) is
    shuffled with a fixed seed; the first `with_number` that hold a digit or a number word and the first
    `without` that hold none are kept, in page and line order. Each is (source, line, text_start, text_end).
    """
    from kremlin_data.text_version import parse_page

    seen: set[str] = set()
    found: list[dict[str, Any]] = []
    for path in sorted((data / "text" / "other").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        page = parse_page(text, str(path))
        paragraphs = ([page.lead] if page.lead else []) + page.narration
        for para in paragraphs:
            if para not in lines:
                continue
            line = lines.index(para)
            pos = 0
            for sentence in _SENTENCE_BREAK.split(para):
                start = para.index(sentence, pos)
                pos = start + len(sentence)
                if sentence in seen:
                    continue
                seen.add(sentence)
                found.append({"source": f"text/other/{path.name}", "line": line + 1, "text_start": start,
                              "text_end": pos, "sentence": sentence})
    random.Random(seed).shuffle(found)
    numeric = [s for s in found if _NUMBER_HINT.search(s["sentence"])][:with_number]
    plain = [s for s in found if not _NUMBER_HINT.search(s["sentence"])][:without]
    return sorted(numeric + plain, key=lambda s: (s["source"], s["line"], s["text_start"]))


def html_news_paragraphs(path: Path) -> list[str]:
    """Lead and body paragraphs of a saved news page, as the HTML parser reads them."""
    from kremlin_data.html_page import parse_html

    page = parse_html(gzip.decompress(path.read_bytes()), str(path))
    return ([page.lead] if page.lead else []) + page.narration


def html_news_sample(data: Path = DATA, n: int = 120, per_page: int = 2, seed: int = 13) -> list[dict[str, Any]]:
    """More news sentences for labelling, from saved HTML pages richer in figures than the text renderings.

    Pages outside the Transcripts section, with no bold speaker label and no text rendering, are shuffled with a
    fixed seed; from each, up to `per_page` sentences holding a digit are taken (also shuffled) until `n` are
    kept. Each is (source, paragraph index in lead + body, text_start, text_end).
    """
    rendered = {p.stem for p in (data / "text" / "other").glob("*.txt")}
    index = [json.loads(line) for line in (data / "derived" / "valdai_transcripts_pages_index.jsonl").open()]
    pages = sorted(r["file"] for r in index if "Transcripts" not in r["sections"] and r["n_bold_labels"] == 0
                   and str(r["id"]) not in rendered)
    rng = random.Random(seed)
    rng.shuffle(pages)
    seen: set[str] = set()
    kept: list[dict[str, Any]] = []
    for file in pages:
        found = []
        for k, para in enumerate(html_news_paragraphs(data / file)):
            pos = 0
            for sentence in _SENTENCE_BREAK.split(para):
                start = para.index(sentence, pos)
                pos = start + len(sentence)
                if sentence not in seen and re.search(r"\d", sentence):
                    seen.add(sentence)
                    found.append({"source": file, "paragraph": k, "text_start": start, "text_end": pos,
                                  "sentence": sentence})
        rng.shuffle(found)
        kept += found[:per_page]
        if len(kept) >= n:
            break
    return sorted(kept[:n], key=lambda s: (s["source"], s["paragraph"], s["text_start"]))


def ours(text: str) -> list[Mention]:
    """Our extractor's mentions as golden-style dicts."""
    from kremlin_data.claims import extract_claims

    return [{"char_start": c.char_start, "char_end": c.char_end, "surface": c.surface, "value": c.value,
             "value_high": c.value_high, "kind": c.kind, "unit": c.unit, "bound": c.bound, "change": c.change,
             "change_type": c.change_type} for c in extract_claims(text)]


def _quantulum_classifier() -> str | None:
    """Path of a unit classifier quantulum3 can load: its own, or one retrained once into the temp folder.

    quantulum3 0.10 ships a classifier pickled with an older scikit-learn that newer ones cannot load; retraining
    it from quantulum3's bundled training data needs the `stemming` package.
    """
    from quantulum3 import classifier, parser

    try:
        parser.parse("It weighs 5 pounds.")
    except Exception:  # the bundled pickle fails with ModuleNotFoundError, AttributeError... by scikit-learn version
        path = Path(tempfile.gettempdir()) / "kremlin_data_quantulum3_clf.joblib"
        if not path.exists():
            classifier.train_classifier(store=True, output_path=str(path), n_jobs=1)
        return str(path)
    return None


_Q_CURRENCY = {"united states dollar": "USD", "euro": "EUR", "russian ruble": "RUB", "renminbi": "CNY"}


def quantulum(text: str, classifier_path: str | None = None) -> list[Mention]:
    """quantulum3's quantities mapped onto our kinds: percentage, currency, dimensionless (count), other units."""
    from quantulum3 import parser

    out = []
    for q in parser.parse(text, classifier_path=classifier_path):
        entity, name = q.unit.entity.name, q.unit.name
        if name == "percentage":
            kind, unit = "percent", "percent"
        elif entity == "currency":
            kind, unit = "money", getattr(q.unit, "currency_code", None) or _Q_CURRENCY.get(name, name)
        elif entity == "dimensionless":
            kind, unit = ("multiple", None) if name == "count" and "time" in q.surface else ("count", None)
        elif entity == "time":
            kind, unit = "duration", name
        else:
            kind, unit = "measure", name
        out.append({"char_start": q.span[0], "char_end": q.span[1], "surface": q.surface, "value": q.value,
                    "value_high": None, "kind": kind, "unit": unit, "bound": "=", "change": None,
                    "change_type": None})
    return out


def _same(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9))


@dataclass
class Score:
    """Counts for one kind."""

    gold: int = 0
    pred: int = 0
    matched: int = 0
    overlapping: int = 0
    unit: int = 0
    bound: int = 0
    change: int = 0
    misses: list[str] = field(default_factory=list)
    false_hits: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Matches over predictions (1 when nothing was predicted)."""
        return self.matched / self.pred if self.pred else 1.0

    @property
    def recall(self) -> float:
        """Matches over labelled mentions (1 when none are labelled)."""
        return self.matched / self.gold if self.gold else 1.0

    def share(self, n: int) -> float:
        """n over the matches."""
        return n / self.matched if self.matched else 1.0


def score(items: Iterable[Paragraph], predict: Callable[[str], list[Mention]],
          kinds: tuple[str, ...] = SCORED_KINDS) -> dict[str, Score]:
    """Per-kind scores of `predict` on the golden paragraphs, plus `all` (the kinds pooled)."""
    scores = {k: Score() for k in (*kinds, "all")}
    for key, text, gold in items:
        predicted = predict(text)
        for kind in kinds:
            s = scores[kind]
            g_kind = [g for g in gold if g["kind"] == kind]
            p_kind = [p for p in predicted if p["kind"] == kind]
            s.gold += len(g_kind)
            s.pred += len(p_kind)
            used: set[int] = set()
            for p in p_kind:
                hit = None
                for i, g in enumerate(g_kind):
                    if i in used or p["char_start"] >= g["char_end"] or g["char_start"] >= p["char_end"]:
                        continue
                    s.overlapping += 1
                    if _same(p["value"], g["value"]) and _same(p["value_high"], g["value_high"]):
                        hit = i
                    break
                if hit is None:
                    s.false_hits.append(f"{key} {p['surface']!r} {p['value']} {p['unit']}")
                    continue
                used.add(hit)
                g = g_kind[hit]
                s.matched += 1
                s.unit += p["unit"] == g["unit"]
                s.bound += p["bound"] == g["bound"]
                s.change += (p["change"], p["change_type"]) == (g["change"], g["change_type"])
                if p["unit"] != g["unit"] or p["bound"] != g["bound"] or p["change"] != g["change"] or \
                        p["change_type"] != g["change_type"]:
                    s.false_hits.append(f"{key} {p['surface']!r} fields: unit {p['unit']}/{g['unit']} bound "
                                        f"{p['bound']}/{g['bound']} change {p['change']},{p['change_type']}/"
                                        f"{g['change']},{g['change_type']}")
            s.misses += [f"{key} {g['surface']!r} {g['value']} {g['unit']}" for i, g in enumerate(g_kind)
                         if i not in used]
    pooled = scores["all"]
    for kind in kinds:
        s = scores[kind]
        for name in ("gold", "pred", "matched", "overlapping", "unit", "bound", "change"):
            setattr(pooled, name, getattr(pooled, name) + getattr(s, name))
    return scores


def print_scores(name: str, scores: dict[str, Score]) -> None:
    """One table per system."""
    print(f"\n{name}")
    print(f"{'kind':<10}{'gold':>6}{'pred':>6}{'P':>7}{'R':>7}{'value':>7}{'unit':>7}{'bound':>7}{'change':>8}")
    for kind, s in scores.items():
        value = s.matched / s.overlapping if s.overlapping else 1.0
        print(f"{kind:<10}{s.gold:>6}{s.pred:>6}{s.precision:>7.3f}{s.recall:>7.3f}{value:>7.3f}"
              f"{s.share(s.unit):>7.3f}{s.share(s.bound):>7.3f}{s.share(s.change):>8.3f}")


def _cpu_times(run: Callable[[], object], repeats: int, before: Callable[[], object] | None = None) -> list[float]:
    """CPU time of this process in each of `repeats` runs (other processes on a shared machine disturb it less
    than wall time); `before` runs untimed ahead of each (fresh inputs)."""
    times = []
    for _ in range(repeats):
        if before is not None:
            before()
        t0 = time.process_time()
        run()
        times.append(time.process_time() - t0)
    return times


def _best_cpu(run: Callable[[], object], repeats: int) -> float:
    """Least CPU time of this process over `repeats` runs."""
    return min(_cpu_times(run, repeats))


def speed(repeats: int = 3) -> None:
    """Throughput of extract_claims on the corpus, and what claims add to the build's per-file work."""
    from kremlin_data.build import CHUNK_FILES, _chunks, _with_claims, parse_files
    from kremlin_data.claims import extract_claims
    from kremlin_data.sources import split_pages
    from kremlin_data.text_version import parse_page

    paths = sorted((DATA / "text" / "pages").glob("*.txt"))
    pages = [p.read_text(encoding="utf-8") for p in paths]
    page_mb = sum(len(p.encode()) for p in pages) / 1e6
    turns = []
    for text in pages:
        for chunk in split_pages(text):
            if chunk.is_page:
                turns += ["\n".join(t.paragraphs) for t in parse_page("\n".join(chunk.lines), "bench").turns]
    turn_mb = sum(len(t.encode()) for t in turns) / 1e6
    n_claims = sum(len(extract_claims(t)) for t in turns)
    on_turns = _best_cpu(lambda: [extract_claims(t) for t in turns], repeats)
    on_pages = _best_cpu(lambda: [extract_claims(p) for p in pages], repeats)
    names = [str(p) for p in paths]
    without = _best_cpu(lambda: parse_files(names, claims=False), repeats)
    with_claims = _best_cpu(lambda: parse_files(names, claims=True), repeats)
    chunks = _chunks(names, CHUNK_FILES)
    as_built = _best_cpu(lambda: [_with_claims(parse_files(c, claims=False)) for c in chunks], repeats)
    print(f"\nspeed, CPU seconds (best of {repeats}): {len(pages)} pages, {page_mb:.1f} MB; {len(turns)} turns, "
          f"{turn_mb:.1f} MB; {n_claims} claims")
    print(f"  extract_claims on turn text:       {on_turns:.2f} s  {turn_mb / on_turns:.1f} MB/s")
    print(f"  extract_claims on whole page text: {on_pages:.2f} s  {page_mb / on_pages:.1f} MB/s")
    print(f"  build.parse_files without claims:  {without:.2f} s  {page_mb / without:.1f} MB/s")
    print(f"  build.parse_files with claims:     {with_claims:.2f} s  {page_mb / with_claims:.1f} MB/s "
          f"(claims add {100 * (with_claims - without) / without:.0f}%; turn by turn, as in a worker)")
    print(f"  parse_files, then _with_claims:    {as_built:.2f} s  {page_mb / as_built:.1f} MB/s "
          f"(claims add {100 * (as_built - without) / without:.0f}%; as the build does it, chunk by chunk)")


def _median_cpu(run: Callable[[], object], repeats: int, before: Callable[[], object] | None = None) -> float:
    """Median CPU time of this process over `repeats` runs; `before` runs untimed ahead of each."""
    times = sorted(_cpu_times(run, repeats, before))
    return times[len(times) // 2]


def stages(repeats: int = 5) -> None:
    """Where the claims' time goes on the text pages' turns: CPU seconds of each stage of `claims_table`.

    The stages are timed one by one over all turns, in the order `claims_table` runs them: the candidates found by
    polars, their offsets (`_scan_at`), the rules read at each candidate that reaches them (`_claim_at`, digits
    and number words apart), the per-turn pass over the drafts (`_resolve`: sentences, change words, ranges) and,
    as the rest of the whole `claims_table`, the table built from the fields.
    """
    import polars as pl
    import pyarrow as pa

    from kremlin_data import claim_words as cw
    from kremlin_data import claims as cl
    from kremlin_data.build import CHUNK_FILES, _chunks, parse_files

    names = [str(p) for p in sorted((DATA / "text" / "pages").glob("*.txt"))]
    parsed = [parse_files(c, claims=False) for c in _chunks(names, CHUNK_FILES)]
    utterances = pa.concat_tables([p.utterances for p in parsed])
    events = pa.concat_tables([p.events for p in parsed])
    column = utterances.column("text")
    texts = column.to_pylist()
    found = pl.Series(column).str.extract_all(cl.CANDIDATES).to_list()
    turns = [(text, cands) for text, cands in zip(texts, found, strict=True) if text]
    # The calls of `_claim_at` that `_claim_fields` makes, turn by turn (the same loop: it skips what a claim or a
    # name covers).
    calls_of: list[list[tuple[str, int, int]]] = []
    for text, cands in turns:
        here: list[tuple[str, int, int]] = []
        pos = 0
        first = cl.SCAN_WORD.match(text)
        if first:
            here.append((text, 0, first.end()))
            pos = cl._claim_at(text, 0, first.end())[1]
        for start, end in cl._scan_at(text, cands):
            if start >= pos:
                here.append((text, start if text[start].isdigit() else start + 1, end))
                pos = cl._claim_at(*here[-1])[1]
        calls_of.append(here)
    calls = [c for here in calls_of for c in here]
    digits = [c for c in calls if c[0][c[1]].isdigit()]
    words = [c for c in calls if not c[0][c[1]].isdigit()]
    per_turn: list[tuple[str, list[cl._Draft]]] = []

    def drafts() -> None:  # `_resolve` merges ranges in place: each run gets fresh drafts
        per_turn.clear()
        for (text, _), here in zip(turns, calls_of, strict=True):
            found_here = [d for d in (cl._claim_at(*c)[0] for c in here) if d is not None]
            if found_here:
                per_turn.append((text, found_here))

    # The calls `_resolve` makes to `sentence_span` and `change_near`, recorded once and replayed alone: the two
    # parts of its time that read the text around each claim (the rest is its loop over the drafts).
    span_calls: list[tuple[str, int]] = []
    change_calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    sentence_span, change_near = cw.sentence_span, cw.change_near

    def span_recorded(text: str, pos: int) -> tuple[int, int]:
        span_calls.append((text, pos))
        return sentence_span(text, pos)

    def change_recorded(*args: Any, **kwargs: Any) -> str | None:
        change_calls.append((args, kwargs))
        return change_near(*args, **kwargs)

    drafts()
    vars(cl).update(sentence_span=span_recorded, change_near=change_recorded)  # the names `_resolve` calls
    try:
        for text, found_here in per_turn:
            cl._resolve(text, found_here)
    finally:
        vars(cl).update(sentence_span=sentence_span, change_near=change_near)
    n_claims = sum(len(cl._claim_fields(t, c)) for t, c in turns)
    figures = [
        ("candidates (polars)", len(calls), _median_cpu(
            lambda: pl.Series(column).str.extract_all(cl.CANDIDATES).to_list(), repeats)),
        ("their offsets (_scan_at)", len(calls), _median_cpu(lambda: [cl._scan_at(t, c) for t, c in turns], repeats)),
        ("rules, digits (_claim_at)", len(digits), _median_cpu(lambda: [cl._claim_at(*c) for c in digits], repeats)),
        ("rules, number words", len(words), _median_cpu(lambda: [cl._claim_at(*c) for c in words], repeats)),
        ("sentences, change (_resolve)", n_claims, _median_cpu(
            lambda: [cl._resolve(t, d) for t, d in per_turn], repeats, drafts)),
    ]
    parts = [
        ("  of which sentence_span", len(span_calls), _median_cpu(
            lambda: [sentence_span(t, p) for t, p in span_calls], repeats)),
        ("  of which change_near", len(change_calls), _median_cpu(
            lambda: [change_near(*a, **k) for a, k in change_calls], repeats)),
    ]
    whole = _median_cpu(lambda: cl.claims_table(utterances, events), repeats)
    figures.append(("the rest: loop, table", n_claims, whole - sum(f[2] for f in figures)))
    figures[-1:-1] = parts  # under `_resolve`, not counted again in the rest
    print(f"\nclaims_table on the {len(names)} text pages' {len(turns)} turns, CPU seconds (median of {repeats}): "
          f"{whole:.3f} s, {n_claims} claims")
    for name, n, cpu in figures:
        print(f"  {name:<30}{cpu:>7.3f} s {100 * cpu / whole:>4.0f}%  {n:>6} x {1e6 * cpu / n:>5.1f} us")


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("--errors", action="store_true", help="list our misses and false hits")
    args.add_argument("--no-speed", action="store_true", help="skip the corpus timing")
    args.add_argument("--no-quality", action="store_true", help="skip the scores on the golden sets")
    args.add_argument("--stages", action="store_true", help="also time each stage of the claims on the text pages")
    args.add_argument("--repeats", type=int, default=3, help="runs of each timing (default 3)")
    opts = args.parse_args(argv)
    if opts.no_quality:
        if not opts.no_speed:
            speed(opts.repeats)
        if opts.stages:
            stages(opts.repeats)
        return 0
    warnings.simplefilter("ignore")  # quantulum3 and scikit-learn version warnings would bury the tables
    items = load_golden()
    if not items:
        print(f"no golden pages found under {DATA}", file=sys.stderr)
        return 1
    n_gold = sum(len(g) for _, _, g in items)
    print(f"golden: {len(list(GOLDEN.glob('*.expected.json')))} pages, {len(items)} paragraphs, {n_gold} labelled "
          f"mentions ({sum(1 for _, _, g in items for m in g if m['kind'] in SCORED_KINDS)} percent/money/count/"
          "measure)")
    ours_scores = score(items, ours)
    print_scores("kremlin_data.claims, all golden pages", ours_scores)
    held = load_golden(held_out=True)
    print_scores(f"kremlin_data.claims, the {len({k.split(':')[0] for k, _, _ in held})} held-out pages only "
                 "(labelled after the rules were frozen)", score(held, ours))
    news = load_news_golden()
    news_scores = score(news, ours)
    print_scores(f"kremlin_data.claims, news gold ({len(news)} sentences, "
                 f"{sum(len(g) for _, _, g in news)} labelled quantities)", news_scores)
    if opts.errors:
        for name, found in (("gold", ours_scores), ("news", news_scores)):
            for kind in SCORED_KINDS:
                for line in found[kind].misses:
                    print(f"  {name} miss  {kind:<8} {line}")
                for line in found[kind].false_hits:
                    print(f"  {name} wrong {kind:<8} {line}")
    try:
        import quantulum3  # noqa: F401
    except ImportError:
        print("\nquantulum3 not installed (pip install 'kremlin-data[benchmark]'); skipped")
    else:
        path = _quantulum_classifier()
        print_scores("quantulum3, all golden pages", score(items, lambda text: quantulum(text, path)))
        print_scores("quantulum3, news gold", score(news, lambda text: quantulum(text, path)))
    if not opts.no_speed:
        speed(opts.repeats)
    if opts.stages:
        stages(opts.repeats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
