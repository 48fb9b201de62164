"""The only module that talks to the network: en.kremlin.ru listings -> article ids -> a local cache.

Articles are stored once, gzipped, in the site's own layout (`<cache>/en.kremlin.ru/events/president/news/
<id>.html.gz`), so `build(<cache>)` reads them with no other step. Polite (robots.txt, one connection, at
most `rate` requests per second, retries with backoff), resumable (temporary name, fsync, rename; what is
held is never asked for again) and incremental (a run stops reading listings where an earlier run left off).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import hashlib
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from urllib.robotparser import RobotFileParser

import httpx

from kremlin_data._version import __version__
from kremlin_data.fetch_cache import (
    LOG_NAME,
    SITE_DIR,
    STATE_DIR,
    Coverage,
    FetchLog,
    article_file,
    default_cache,
    held_ids,
    write_atomic,
)
from kremlin_data.listing import ARTICLE_PATH, Entry, Listing, article_problem, listing_path, parse_listing

DEFAULT_BASE_URL = "http://en.kremlin.ru"
ROBOTS_MAX_AGE = 24 * 3600  # RFC 9309 lets a crawler keep robots.txt for a day
MAX_BODY = 32 * 2**20
_AGENT = "kremlin-data"


def user_agent() -> str:
    """An honest User-Agent: the package, its version, its repository (from the package metadata)."""
    try:
        urls = metadata.metadata("kremlin-data").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    home = next((u.split(",", 1)[1].strip() for u in urls if u.lower().startswith("repository")), None)
    return f"{_AGENT}/{__version__} (+{home})" if home else f"{_AGENT}/{__version__} (python-httpx {httpx.__version__})"


@dataclass
class FetchSummary:
    """What one fetch run did."""

    listed: int = 0  # listing entries in the date range
    new: int = 0  # of them, articles not held before the run (plus earlier failures retried)
    fetched: int = 0
    failed: int = 0
    bytes: int = 0
    seconds: float = 0.0
    requests: Counter[str] = field(default_factory=Counter)
    interrupted: bool = False
    stopped_by: str = ""

    def __str__(self) -> str:
        """The closing summary line."""
        stop = " (interrupted)" if self.interrupted else ""
        return (f"listed {self.listed}, new {self.new}, fetched {self.fetched}, failed {self.failed}, "
                f"{self.bytes / 1e6:.1f} MB, {self.seconds:.1f} s{stop}")


@dataclass
class _Result:
    ok: bool
    status: int | None
    body: bytes
    attempts: int
    reason: str
    etag: str | None = None


class RobotsError(RuntimeError):
    """robots.txt could not be read, so nothing is fetched (RFC 9309: an unreachable robots.txt disallows all)."""


class _Session:
    """One polite HTTP connection: paced requests, retries with backoff and jitter, every request logged."""

    def __init__(self, base_url: str, rate: float, timeout: tuple[float, float], attempts: int, backoff: float,
                 log: FetchLog, max_wait: float) -> None:
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"), headers={"User-Agent": user_agent()}, follow_redirects=True,
            timeout=httpx.Timeout(timeout[1], connect=timeout[0]),
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1))
        self.interval = 1.0 / rate
        self.attempts, self.backoff, self.max_wait = attempts, backoff, max_wait
        self.log = log
        self.requests: Counter[str] = Counter()
        self.bytes = 0
        self._next = 0.0

    def close(self) -> None:
        self.client.close()

    def _pace(self) -> None:
        now = time.monotonic()
        if now < self._next:
            time.sleep(self._next - now)

    def _once(self, path: str, headers: dict[str, str]) -> tuple[int, bytes, httpx.Headers]:
        try:
            with self.client.stream("GET", path, headers=headers) as r:
                body = bytearray()
                for chunk in r.iter_bytes():
                    body += chunk
                    if len(body) > MAX_BODY:
                        raise ValueError(f"too_large: the body exceeds {MAX_BODY} bytes")
                return r.status_code, bytes(body), r.headers
        finally:
            # Counted from the end of the response, which the server saw after the request: two requests can
            # never reach it closer than the interval, however late a request left this process.
            self._next = time.monotonic() + self.interval

    def get(self, path: str, kind: str, site_id: int | None = None,
            check: Callable[[bytes], str | None] | None = None, headers: dict[str, str] | None = None) -> _Result:
        """GET with retries on timeouts, connection errors, 5xx, 429 and bodies that fail `check`."""
        reason, status, body, etag = "", None, b"", None
        attempt = 0
        for attempt in range(1, self.attempts + 1):
            self._pace()
            self.requests[kind] += 1
            wait = self.backoff * 2 ** (attempt - 1) * (0.5 + random.random())  # exponential, with jitter
            try:
                status, body, got = self._once(path, headers or {})
            except httpx.TimeoutException as exc:
                status, reason = None, f"timeout: {type(exc).__name__}"
            except httpx.TransportError as exc:
                status, reason = None, f"connection: {type(exc).__name__}: {exc}"
            except ValueError as exc:
                status, reason = None, str(exc)
                break
            else:
                self.bytes += len(body)
                etag = got.get("etag")
                if status == 304 and headers:  # an answer to a conditional request only
                    return _Result(True, status, b"", attempt, "not_modified", etag)
                if status == 200:
                    problem = check(body) if check else None
                    if problem is None:
                        return _Result(True, status, body, attempt, f"retried after {reason}" if reason else "", etag)
                    reason = problem
                elif status == 429 or status >= 500:
                    reason = f"http_{status}"
                    after = _retry_after(got.get("retry-after"))
                    if after is not None:
                        if after > self.max_wait:
                            reason += f": Retry-After {after:.0f} s is longer than {self.max_wait:.0f} s"
                            break
                        wait = after
                else:
                    return _Result(False, status, body, attempt, f"http_{status}", etag)
            if attempt < self.attempts:
                time.sleep(min(wait, self.max_wait))
        return _Result(False, status, body, attempt, f"{reason} (after {attempt} attempts)", etag)

    def record(self, path: str, kind: str, site_id: int | None, res: _Result, outcome: str) -> None:
        self.log.add(url=str(self.client.base_url) + path, site_id=site_id, request_kind=kind, http_status=res.status,
                     n_bytes=len(res.body), sha256=hashlib.sha256(res.body).hexdigest() if res.body else None,
                     attempts=res.attempts, outcome=outcome, reason=res.reason or None, etag=res.etag)


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date).

    >>> _retry_after("3"), _retry_after(None), _retry_after("soon")
    (3.0, None, None)
    """
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _robots(session: _Session, cache: Path, base_url: str) -> RobotFileParser:
    """The site's robots.txt, read at most once a day (kept under `<cache>/.fetch/`)."""
    key = hashlib.sha256(base_url.encode()).hexdigest()[:12]
    kept = cache / STATE_DIR / f"robots-{key}.txt"
    parser = RobotFileParser()
    if kept.is_file() and time.time() - kept.stat().st_mtime < ROBOTS_MAX_AGE:
        parser.parse(kept.read_text(encoding="utf-8").splitlines())
        return parser
    res = session.get("/robots.txt", "robots")
    if res.ok:
        text = res.body.decode("utf-8", errors="replace")
        session.record("/robots.txt", "robots", None, res, "read")
    elif res.status is not None and 400 <= res.status < 500:
        text = ""  # no robots.txt: everything is allowed
        session.record("/robots.txt", "robots", None, res, "absent")
    else:
        session.record("/robots.txt", "robots", None, res, "failed")
        raise RobotsError(f"{base_url}/robots.txt could not be read ({res.reason}): nothing fetched")
    write_atomic(kept, text.encode())
    parser.parse(text.splitlines())
    return parser


@dataclass
class _Walk:
    """What reading the listings found: the articles to fetch and how far the listing is now known."""

    want: list[Entry]
    listed: int = 0
    newest: dt.date | None = None
    oldest: dt.date | None = None
    stopped_by: str = "max_pages"
    stop_date: dt.date | None = None


def _read_listing(session: _Session, robots: RobotFileParser, section: str, page: int) -> tuple[Listing | None, str]:
    """One listing page, or None and why not: `disallowed`, `failed` or `end` (a page with no entries)."""
    path = listing_path(section, page)
    if not robots.can_fetch(_AGENT, path):
        session.record(path, "listing", None, _Result(False, None, b"", 0, "disallowed by robots.txt"), "disallowed")
        return None, "disallowed"
    res = session.get(path, "listing")
    listing = parse_listing(res.body) if res.ok else None
    session.record(path, "listing", None, res, "read" if listing and listing.entries else "failed")
    if listing is None or not listing.entries:
        return None, "end" if res.ok else "failed"
    return listing, ""


def _oldest(listing: Listing) -> dt.date | None:
    return min((e.date for e in listing.entries if e.date), default=None)


def _first_page(session: _Session, robots: RobotFileParser, section: str, until: dt.date, first: Listing,
                read: dict[int, Listing]) -> int:
    """The first listing page that can list `until` or older, by bisection over the page numbers.

    Listings are newest first, so a range in the past costs about log2(pages) requests to reach, not one
    request per page in between.
    """
    low, high = 1, first.pages or 1  # page `low` ends after `until`; the answer lies in (low, high]
    while high - low > 1:
        mid = (low + high) // 2
        listing, _ = _read_listing(session, robots, section, mid)
        oldest = _oldest(listing) if listing else None
        if listing is not None:
            read[mid] = listing
        if oldest is not None and oldest > until:
            low = mid
        else:
            high = mid  # older than `until`, past the end, or unreadable: look earlier (walking on is safe)
    return high


def _discover(session: _Session, robots: RobotFileParser, coverage: Coverage, held: set[int], *, section: str,
              since: dt.date | None, until: dt.date | None, max_pages: int | None, refresh: bool,
              on_page: Callable[[int, int], None]) -> _Walk:
    """Read listing pages, newest first, until the date range, the listing or what earlier runs covered ends."""
    walk = _Walk([])
    read: dict[int, Listing] = {}
    page = 1
    while max_pages is None or page <= max_pages:
        listing: Listing | None = read.pop(page, None)
        if listing is None:
            listing, walk.stopped_by = _read_listing(session, robots, section, page)
            if listing is None:
                return walk
        oldest = _oldest(listing)
        if page == 1 and until and max_pages is None and oldest and oldest > until and (listing.pages or 1) > 2:
            page = _first_page(session, robots, section, until, listing, read)
            continue
        stop = False
        for e in listing.entries:
            if e.date is not None:
                walk.newest = walk.newest or e.date
                walk.oldest = e.date if walk.oldest is None else min(walk.oldest, e.date)
            if until and e.date and e.date > until:
                continue
            if since and e.date and e.date < since:
                stop, walk.stopped_by = True, "since"
                continue
            walk.listed += 1
            if e.site_id in held and not refresh:
                span = coverage.span_of(e.date)
                # Stop where an earlier run's coverage reaches down to the bottom of this request.
                if span is not None and (span[0] <= (since or dt.date.min) or (since is None and max_pages)):
                    stop, walk.stopped_by, walk.stop_date = True, "covered", e.date
                continue
            walk.want.append(e)
        on_page(page, len(walk.want))
        if stop:
            return walk
        if listing.pages is not None and page >= listing.pages:
            walk.stopped_by = "end"
            return walk
        page += 1
    walk.stopped_by = "max_pages"
    return walk


def _covered_low(walk: _Walk, since: dt.date | None) -> dt.date | None:
    """The oldest date down to which the listing was read completely, or None when nothing can be said."""
    if walk.stopped_by == "since" and since is not None:
        return since
    if walk.stopped_by == "end":
        return dt.date.min
    if walk.stopped_by == "covered":
        return walk.stop_date
    # Stopped inside a day (page limit, a failed listing page): that day may go on on the next page.
    return walk.oldest + dt.timedelta(days=1) if walk.oldest else None


def _earlier_failures(log: FetchLog, held: set[int], refresh: bool) -> list[Entry]:
    """Articles whose last attempt failed (not with 404/410, unless refreshing): they are tried again."""
    return [Entry(i, None, "") for i in log.failed_articles(permanent=refresh) if i not in held]


def fetch(cache: str | os.PathLike[str] | None = None, *, section: str = "news", since: dt.date | None = None,
          until: dt.date | None = None, max_pages: int | None = None, rate: float = 1.0,
          base_url: str = DEFAULT_BASE_URL, refresh: bool = False, progress: bool | None = None,
          timeout: tuple[float, float] = (10.0, 30.0), attempts: int = 4, backoff: float = 2.0,
          max_wait: float = 120.0, say: Callable[[str], None] | None = None) -> FetchSummary:
    """Fetch the articles the listings of `section` show between `since` and `until` into `cache`.

    Held articles are not asked for again (unless `refresh`: then conditionally). Failures are retried with
    backoff, then recorded in `<cache>/fetch_log.parquet` and left for the next run. Ctrl-C ends the run
    cleanly: the summary says `interrupted` and everything fetched so far is kept.
    """
    if since and until and since > until:
        raise ValueError(f"--since {since} is after --until {until}")
    if rate <= 0:
        raise ValueError(f"--rate must be positive, not {rate}")
    listing_path(section, 1)  # validates the section
    started = time.perf_counter()
    folder = Path(cache) if cache is not None else default_cache()
    (folder / SITE_DIR).mkdir(parents=True, exist_ok=True)
    (folder / STATE_DIR).mkdir(exist_ok=True)
    for stale in (folder / SITE_DIR).glob(".*.tmp"):  # left by a killed run; never under a final name
        stale.unlink(missing_ok=True)
    say = say or (lambda msg: print(msg, file=sys.stderr))
    log = FetchLog(folder / LOG_NAME)
    held = held_ids(folder)
    coverage = Coverage(folder, section)
    summary = FetchSummary()
    session = _Session(base_url, rate, timeout, attempts, backoff, log, max_wait)
    try:
        robots = _robots(session, folder, base_url)
        delay = robots.crawl_delay(_AGENT)
        if delay is not None and float(delay) > session.interval:
            say(f"robots.txt asks for {delay} s between requests: --rate {rate:g} is lowered to {1 / float(delay):.3g}")
            session._next += float(delay) - session.interval  # counted from the robots.txt request already
            session.interval = float(delay)
        _run(session, robots, folder, coverage, held, summary, log, section=section, since=since, until=until,
             max_pages=max_pages, refresh=refresh, progress=progress)
        if summary.stopped_by == "failed":
            say(f"a listing page could not be read: {log.last_listing_reason()}")
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        session.close()
        log.flush()
        summary.requests = session.requests
        summary.bytes = session.bytes
        summary.seconds = time.perf_counter() - started
    return summary


def _run(session: _Session, robots: RobotFileParser, cache: Path, coverage: Coverage, held: set[int],
         summary: FetchSummary, log: FetchLog, *, section: str, since: dt.date | None, until: dt.date | None,
         max_pages: int | None, refresh: bool, progress: bool | None) -> None:
    from tqdm import tqdm

    disable = None if progress is None else not progress  # None: a bar on a terminal only
    with tqdm(desc="listings", unit=" pages", disable=disable, leave=False) as bar:
        def on_page(page: int, want: int) -> None:
            bar.update(1)
            bar.set_postfix(new=want)

        walk = _discover(session, robots, coverage, held, section=section, since=since, until=until,
                         max_pages=max_pages, refresh=refresh, on_page=on_page)
    listed_ids = {e.site_id for e in walk.want}
    todo = walk.want + [e for e in _earlier_failures(log, held, refresh) if e.site_id not in listed_ids]
    summary.listed, summary.new, summary.stopped_by = walk.listed, len(todo), walk.stopped_by
    low = _covered_low(walk, since)
    high = min(until, walk.newest) if until and walk.newest else walk.newest
    with tqdm(total=len(todo), desc="articles", unit=" pages", disable=disable) as bar:
        for entry in todo:
            ok = _fetch_article(session, robots, cache, entry.site_id, refresh and entry.site_id in held)
            summary.fetched += ok
            summary.failed += not ok
            bar.update(1)
            if log.pending >= 50 and entry.date is not None and high is not None:
                log.flush()  # checkpoint: everything listed after this day is now held or recorded
                coverage.add(entry.date + dt.timedelta(days=1), high)
    if low is not None and high is not None:
        coverage.add(low, high)


def _fetch_article(session: _Session, robots: RobotFileParser, cache: Path, site_id: int, conditional: bool) -> bool:
    """Fetch one article into the cache; True when it is held afterwards."""
    path = ARTICLE_PATH.format(site_id)
    if not robots.can_fetch(_AGENT, path):
        session.record(path, "article", site_id, _Result(False, None, b"", 0, "disallowed by robots.txt"),
                       "disallowed")
        return False
    target = article_file(cache, site_id)
    headers = {}
    if conditional and target.is_file():
        headers["If-Modified-Since"] = email.utils.formatdate(target.stat().st_mtime, usegmt=True)
        etag = session.log.last_etag(site_id)
        if etag:
            headers["If-None-Match"] = etag
    res = session.get(path, "article", site_id, check=lambda body: article_problem(body, site_id), headers=headers)
    if res.ok and res.status == 304:
        session.record(path, "article", site_id, res, "not_modified")
        return True
    if res.ok:
        write_atomic(target, gzip.compress(res.body, compresslevel=6, mtime=0))
        session.record(path, "article", site_id, res, "stored")
        return True
    session.record(path, "article", site_id, res, "failed")
    return False
