"""Time `fetch` against the saved pages served on loopback (tests/site_server.py): pages per second at the
default rate and at --rate 20, and the requests a no-op second run makes.

    python benchmarks/bench_fetch.py [--since-default 2020-08-14] [--since-fast 2020-07-16]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from site_server import Site, serve

from kremlin_data.fetch import fetch


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def one(site: Site, url: str, cache: str, since: dt.date, rate: float) -> None:
    site.requests = []
    c0, t0 = cpu(), time.perf_counter()
    s = fetch(cache, base_url=url, since=since, rate=rate, progress=False, say=lambda _m: None)
    wall, used = time.perf_counter() - t0, cpu() - c0
    kinds = {k: site.count(k) for k in ("robots", "listing", "article")}
    print(f"rate {rate:g}/s since {since}: {s.fetched} articles in {wall:.2f} s = {s.fetched / wall:.2f} pages/s "
          f"({(sum(kinds.values())) / wall:.2f} requests/s); CPU {used:.2f} s (fetcher and server in one process); "
          f"requests {kinds}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--since-default", type=dt.date.fromisoformat, default=dt.date(2020, 8, 14))
    parser.add_argument("--since-fast", type=dt.date.fromisoformat, default=dt.date(2020, 7, 16))
    args = parser.parse_args()
    site = Site()
    with serve(site) as url, tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        one(site, url, a, args.since_default, 1.0)
        one(site, url, b, args.since_fast, 20.0)
        site.requests = []
        s = fetch(b, base_url=url, since=args.since_fast, rate=20.0, progress=False, say=lambda _m: None)
        print(f"no-op second run: {s}; requests robots {site.count('robots')}, listing {site.count('listing')}, "
              f"article {site.count('article')}")


if __name__ == "__main__":
    main()
