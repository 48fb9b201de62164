"""fetch(): the saved pages served on loopback as the site; range, incremental runs, faults, kill -9, build."""

from __future__ import annotations

import datetime as dt
import gzip
import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from conftest import HTML_DIR, REPO, need
from site_server import MIRROR, Fault, Site, serve

from kremlin_data.build import build
from kremlin_data.cli import main
from kremlin_data.fetch import FetchSummary, RobotsError, fetch
from kremlin_data.fetch_cache import article_file, fetch_status, held_ids
from kremlin_data.listing import article_problem, parse_listing

SINCE, UNTIL = dt.date(2020, 8, 12), dt.date(2020, 8, 17)
FAST: dict[str, Any] = {"rate": 1000.0, "progress": False, "backoff": 0.01, "timeout": (2.0, 2.0),
                        "say": lambda _m: None}


@pytest.fixture(scope="module")
def site() -> Site:
    need(MIRROR)
    return Site()


@pytest.fixture
def url(site: Site) -> Iterator[str]:
    site.hidden, site.faults, site.requests, site.article_delay = 0, {}, [], 0.0
    site.robots = "User-agent: *\nDisallow: /search\n"
    with serve(site) as base:
        yield base


def listed_in(site: Site, since: dt.date, until: dt.date, pages: range = range(1, 44)) -> list[int]:
    """The ids the served listing shows in the range, read the way a person would: page by page."""
    ids = []
    for page in pages:
        body = site.listing_page("news", page)
        assert body is not None
        ids += [e.site_id for e in parse_listing(body).entries if e.date and since <= e.date <= until]
    return ids


def listed(site: Site, since: dt.date = SINCE, until: dt.date = UNTIL) -> list[int]:
    return listed_in(site, since, until, range(1, 4))


def run(cache: Path, url: str, **kw: Any) -> FetchSummary:
    return fetch(cache, base_url=url, **{"since": SINCE, "until": UNTIL, **FAST, "timeout": (2.0, 0.3), **kw})


def article_requests(site: Site) -> list[str]:
    return [p for _, p, _ in site.requests if "/news/" in p and "/page/" not in p]


def log(cache: Path) -> pl.DataFrame:
    return pl.read_parquet(cache / "fetch_log.parquet")


def test_a_date_range_stores_exactly_the_listed_articles_whole(site: Site, url: str, tmp_path: Path) -> None:
    expected = listed(site)
    assert 10 <= len(expected) <= 30
    summary = run(tmp_path, url)
    assert held_ids(tmp_path) == set(expected)
    assert (summary.listed, summary.new, summary.fetched, summary.failed) == (len(expected),) * 3 + (0,)
    for i in expected:
        stored = gzip.decompress(article_file(tmp_path, i).read_bytes())
        assert stored == gzip.decompress((HTML_DIR / f"{i}.html.gz").read_bytes())
    # Listing pages are read only down to the start of the range: the 12th is on page 2.
    assert site.count("listing") == 2 and site.count("robots") == 1
    rows = log(tmp_path).filter(pl.col("request_kind") == "article")
    assert rows.height == len(expected)
    assert set(rows["outcome"]) == {"stored"} and set(rows["attempts"]) == {1} and set(rows["http_status"]) == {200}


def test_building_the_cache_equals_building_the_saved_pages(site: Site, url: str, tmp_path: Path) -> None:
    run(tmp_path / "cache", url)
    saved = tmp_path / "saved"
    saved.mkdir()
    for i in listed(site):
        (saved / f"{i}.html.gz").write_bytes((HTML_DIR / f"{i}.html.gz").read_bytes())
    quiet: dict[str, Any] = {"workers": 1, "progress": False, "topics": False, "log": lambda _m: None}
    a = build([tmp_path / "cache"], tmp_path / "a", **quiet)
    b = build([saved], tmp_path / "b", **quiet)
    assert a.events == b.events == len(listed(site)) and a.issues == b.issues == 0
    for table, key in (("events", "event_id"), ("utterances", "utterance_id"), ("claims", "claim_id")):
        got, want = (pl.read_parquet(d / f"{table}.parquet").sort(key) for d in (tmp_path / "a", tmp_path / "b"))
        if "source_path" in got.columns:
            got, want = got.drop("source_path"), want.drop("source_path")
        assert got.height > 0 and got.equals(want), table


def test_a_second_run_asks_for_one_listing_page_and_no_article(site: Site, url: str, tmp_path: Path) -> None:
    run(tmp_path, url)
    site.requests = []
    summary = run(tmp_path, url)
    assert (summary.new, summary.fetched) == (0, 0)
    assert site.count("listing") == 1 and site.count("article") == 0 and site.count("robots") == 0
    assert summary.stopped_by == "covered"


def test_a_run_after_new_pages_appear_fetches_only_them(site: Site, url: str, tmp_path: Path) -> None:
    site.hidden = 3  # the three newest entries are not published yet
    run(tmp_path, url, until=None)
    before = held_ids(tmp_path)
    site.hidden, site.requests = 0, []
    summary = run(tmp_path, url, until=None)
    newest = {i for i, _ in site.entries[:3]}
    assert held_ids(tmp_path) - before == newest and not newest & before
    assert sorted(article_requests(site)) == sorted(f"/events/president/news/{i}" for i in newest)
    assert summary.fetched == 3 and site.count("listing") == 1


def test_refresh_asks_again_conditionally(site: Site, url: str, tmp_path: Path) -> None:
    run(tmp_path, url, since=dt.date(2020, 8, 17))
    held = held_ids(tmp_path)
    site.requests = []
    summary = run(tmp_path, url, since=dt.date(2020, 8, 17), refresh=True)
    assert summary.fetched == len(held) and held_ids(tmp_path) == held
    assert {s for _, p, s in site.requests if "/page/" not in p} == {304}
    last = log(tmp_path).filter(pl.col("run_id") == pl.col("run_id").max())
    assert set(last.filter(pl.col("request_kind") == "article")["outcome"]) == {"not_modified"}


def test_a_range_in_the_past_is_found_by_bisection_of_the_listing(site: Site, url: str, tmp_path: Path) -> None:
    since, until = dt.date(2020, 1, 9), dt.date(2020, 1, 11)
    expected = listed_in(site, since, until)
    summary = run(tmp_path, url, since=since, until=until)
    assert held_ids(tmp_path) == set(expected) and len(expected) >= 5 and summary.failed == 0
    # Page 34 of 43 holds January 11: read linearly that is 34+ listing requests; bisected, at most 1 + log2(43) + 2.
    assert site.count("listing") <= 9, site.count("listing")
    site.requests = []
    run(tmp_path, url, since=since, until=until)
    assert site.count("article") == 0


def test_the_transcripts_section_follows_its_own_listing(site: Site, url: str, tmp_path: Path) -> None:
    run(tmp_path, url, section="transcripts", since=dt.date(2020, 8, 1), until=None)
    held = held_ids(tmp_path)
    in_range = {i for i in listed_in(site, dt.date(2020, 8, 1), dt.date(2020, 8, 31)) if i in site.transcripts}
    assert held == in_range and len(held) >= 3
    assert all("/transcripts/page/" in p for _, p, _ in site.requests if "/page/" in p)


def test_a_listing_page_that_cannot_be_read_is_retried_then_reported(site: Site, url: str, tmp_path: Path) -> None:
    site.add_fault("/events/president/news/page/1", *[Fault("status", 503)] * 4)
    said: list[str] = []
    summary = run(tmp_path, url, say=said.append)
    assert summary.stopped_by == "failed" and held_ids(tmp_path) == set()
    assert said == ["a listing page could not be read: http_503 (after 4 attempts)"]
    assert main(["fetch", "--cache", str(tmp_path), "--base-url", url, "--since", "2020-08-17", "--quiet",
                 "--rate", "1000"]) == 0, "the next run reads it"


# --- faults: each injected on one listed article; the others are stored whatever happens to it ---


def _fault_run(site: Site, url: str, cache: Path, *faults: Fault) -> tuple[int, dict[str, Any]]:
    target = listed(site)[2]
    site.add_fault(f"/events/president/news/{target}", *faults)
    summary = run(cache, url)
    assert held_ids(cache) - {target} == set(listed(site)) - {target}, "the other articles are all stored"
    row = log(cache).filter(pl.col("site_id") == target).row(0, named=True)
    assert summary.failed == (target not in held_ids(cache))
    return target, row


def test_404_is_recorded_and_not_retried(site: Site, url: str, tmp_path: Path) -> None:
    target, row = _fault_run(site, url, tmp_path, Fault("status", 404))
    assert target not in held_ids(tmp_path)
    assert (row["outcome"], row["http_status"], row["attempts"], row["reason"]) == ("failed", 404, 1, "http_404")
    assert "failed, not held: 1" in fetch_status(tmp_path)


def test_a_burst_of_503_is_retried_with_backoff(site: Site, url: str, tmp_path: Path) -> None:
    target, row = _fault_run(site, url, tmp_path, *[Fault("status", 503)] * 3)
    assert target in held_ids(tmp_path)
    assert (row["outcome"], row["attempts"]) == ("stored", 4) and "http_503" in row["reason"]


def test_503_until_the_attempts_run_out_is_recorded_and_tried_next_run(site: Site, url: str, tmp_path: Path) -> None:
    target, row = _fault_run(site, url, tmp_path, *[Fault("status", 503)] * 4)
    assert (row["outcome"], row["attempts"], row["reason"]) == ("failed", 4, "http_503 (after 4 attempts)")
    site.requests = []
    summary = run(tmp_path, url)  # the listing is covered, the failure is not
    assert article_requests(site) == [f"/events/president/news/{target}"] and summary.fetched == 1


def test_429_waits_for_retry_after(site: Site, url: str, tmp_path: Path) -> None:
    target, row = _fault_run(site, url, tmp_path, Fault("status", 429, {"Retry-After": "1"}))
    times = [t for t, p, _ in site.requests if p.endswith(f"/{target}")]
    assert len(times) == 2 and times[1] - times[0] >= 0.95
    assert (row["outcome"], row["attempts"]) == ("stored", 2)


def test_a_response_slower_than_the_read_timeout_is_retried(site: Site, url: str, tmp_path: Path) -> None:
    _target, row = _fault_run(site, url, tmp_path, Fault("slow", seconds=0.6))
    assert (row["outcome"], row["attempts"]) == ("stored", 2) and "timeout" in row["reason"]


def test_a_body_cut_off_mid_page_is_never_stored(site: Site, url: str, tmp_path: Path) -> None:
    target, row = _fault_run(site, url, tmp_path, *[Fault("truncate")] * 4)
    assert target not in held_ids(tmp_path) and not list((tmp_path / "en.kremlin.ru").rglob(f"*{target}*"))
    assert row["outcome"] == "failed" and row["reason"].startswith("truncated")


def test_a_connection_closed_before_content_length_is_retried(site: Site, url: str, tmp_path: Path) -> None:
    _target, row = _fault_run(site, url, tmp_path, Fault("short"))
    assert (row["outcome"], row["attempts"]) == ("stored", 2) and "connection" in row["reason"]


def test_a_connection_reset_is_retried(site: Site, url: str, tmp_path: Path) -> None:
    _target, row = _fault_run(site, url, tmp_path, Fault("reset"))
    assert (row["outcome"], row["attempts"]) == ("stored", 2) and "connection" in row["reason"]


def test_an_error_page_served_with_200_is_never_stored(site: Site, url: str, tmp_path: Path) -> None:
    target, row = _fault_run(site, url, tmp_path, *[Fault("error_page")] * 4)
    assert target not in held_ids(tmp_path)
    assert (row["outcome"], row["http_status"]) == ("failed", 200) and row["reason"].startswith("not_article")


def test_robots_txt_disallowing_the_articles_is_obeyed(site: Site, url: str, tmp_path: Path) -> None:
    site.robots = "User-agent: *\nDisallow: /events/president/news/6\n"  # articles, not the listing pages
    summary = run(tmp_path, url)
    assert article_requests(site) == [] and held_ids(tmp_path) == set()
    assert summary.failed == len(listed(site))
    assert set(log(tmp_path).filter(pl.col("request_kind") == "article")["outcome"]) == {"disallowed"}


def test_robots_txt_disallowing_everything_stops_before_the_listing(site: Site, url: str, tmp_path: Path) -> None:
    site.robots = "User-agent: kremlin-data\nDisallow: /\n"
    summary = run(tmp_path, url)
    assert site.count("listing") == 0 and summary.stopped_by == "disallowed"


def test_an_unreadable_robots_txt_means_nothing_is_fetched(site: Site, url: str, tmp_path: Path) -> None:
    site.add_fault("/robots.txt", *[Fault("status", 503)] * 4)
    with pytest.raises(RobotsError, match=r"robots\.txt could not be read"):
        run(tmp_path, url)
    assert site.count("listing") == site.count("article") == 0
    assert log(tmp_path)["outcome"].to_list() == ["failed"]


def test_the_rate_limit_is_held(site: Site, url: str, tmp_path: Path) -> None:
    run(tmp_path, url, since=dt.date(2020, 8, 14), rate=8.0)
    times = [t for t, _, _ in site.requests]
    assert len(times) >= 8
    # The fetcher counts the interval from the end of each response, so the server sees every gap at least
    # that long (1 ms for clock resolution), however loaded the machine.
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 1 / 8 - 0.001, gaps


def test_robots_txt_crawl_delay_lowers_the_rate(site: Site, url: str, tmp_path: Path) -> None:
    site.robots = "User-agent: *\nCrawl-delay: 1\n"  # the standard library's parser reads whole seconds only
    said: list[str] = []
    run(tmp_path, url, since=dt.date(2020, 8, 19), until=None, say=said.append)
    times = [t for t, _, _ in site.requests]
    assert len(times) >= 3 and min(b - a for a, b in itertools.pairwise(times)) >= 1 - 0.001
    assert said == ["robots.txt asks for 1 s between requests: --rate 1000 is lowered to 1"]


def test_fetch_status_summarises_the_log(site: Site, url: str, tmp_path: Path) -> None:
    assert "no runs yet" in fetch_status(tmp_path)
    run(tmp_path, url, since=dt.date(2020, 8, 17))
    status = fetch_status(tmp_path)
    n = len(held_ids(tmp_path))
    assert f"held: {n} articles" in status and f"new {n}, failed 0" in status and "failed, not held: 0" in status


def test_update_fetches_then_builds(site: Site, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["update", "--cache", str(tmp_path / "c"), "--out", str(tmp_path / "p"), "--base-url", url,
                 "--since", "2020-08-17", "--rate", "1000", "--quiet", "--workers", "1"])
    assert code == 0
    out = capsys.readouterr().out
    n = len(held_ids(tmp_path / "c"))
    assert n > 0 and f"fetched {n}, failed 0" in out
    assert pl.read_parquet(tmp_path / "p" / "events.parquet").height == n


# --- the process killed mid-run, and Ctrl-C ---


def _start(cache: Path, url: str) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "kremlin_data.cli", "fetch", "--cache", str(cache), "--base-url", url,
           "--since", "2020-08-01", "--rate", "1000", "--quiet"]
    return subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_files(cache: Path, n: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while len(held_ids(cache)) < n and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proc.poll() is None, "the run ended before it could be stopped"


def test_killed_with_sigkill_the_next_run_completes_the_cache(site: Site, url: str, tmp_path: Path) -> None:
    expected = set(listed(site, dt.date(2020, 8, 1), dt.date(2020, 8, 31)))
    site.article_delay = 0.03  # slow enough to kill it mid-way, mid-download most likely
    proc = _start(tmp_path, url)
    _wait_for_files(tmp_path, 12, proc)
    proc.kill()
    proc.wait(timeout=10)
    held = held_ids(tmp_path)
    assert 12 <= len(held) < len(expected)
    for i in held:  # whatever is under a final name is a whole article
        assert article_problem(gzip.decompress(article_file(tmp_path, i).read_bytes()), i) is None
    site.article_delay = 0.0
    restart = time.monotonic()  # a request of the killed run may still be in the server: count only newer ones
    summary = run(tmp_path, url, since=dt.date(2020, 8, 1), until=None)
    assert held_ids(tmp_path) == expected and summary.failed == 0
    asked = [p for t, p, _ in site.requests if t >= restart and "/news/" in p and "/page/" not in p]
    assert len(asked) == len(expected) - len(held), "nothing held is asked for again"
    assert not list(tmp_path.rglob("*.tmp"))


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a child process is POSIX")
def test_ctrl_c_stops_cleanly_keeping_what_was_fetched(site: Site, url: str, tmp_path: Path) -> None:
    site.article_delay = 0.03
    proc = _start(tmp_path, url)
    _wait_for_files(tmp_path, 5, proc)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "(interrupted)" in out and "Traceback" not in err
    stored = log(tmp_path).filter(pl.col("outcome") == "stored")
    assert set(stored["site_id"]) == held_ids(tmp_path) and stored.height >= 5
