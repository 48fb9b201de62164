"""A loopback stand-in for en.kremlin.ru serving the saved pages in the site's URL layout, with faults on demand.

Listing pages are the real mirrored ones (`listings/page/2..44`, all of whose articles were mirrored), their
entries re-paginated 20 a page from page 1 and their links rewritten back to the site's form; articles are
the saved pages, gunzipped. `hidden` holds back the newest entries (and their articles) to play "before new
pages appeared". Run as a script it serves until killed or `--seconds` pass (the README's example session).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import re
import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "kremlin_en"
MIRROR = DATA / "raw" / "iandennismiller_valdai-transcripts"
ARTICLES = MIRROR / "en.kremlin.ru" / "events" / "president" / "news"
LISTING_PAGES = range(2, 45)  # a run of mirrored listing pages whose every article was mirrored
PER_PAGE = 20
_LIST_OPEN = re.compile(r'<div class="entry-content lister-page"[^>]*>')
_ENTRY_ID = re.compile(r'data-id="(\d+)"')
_DAY_HEAD = re.compile(r'<h2 class="events__title">.*?</h2>', re.S)
_LISTING = re.compile(r"/events/president/(news|transcripts)(?:/page/(\d+))?/?")
_ARTICLE = re.compile(r"/events/president/news/(\d+)/?")
ERROR_PAGE = b"<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1></body></html>"
OTHER_SITE = b"<!DOCTYPE html><html><head><title>Parked domain</title></head><body>For sale</body></html>"


def _site_links(text: str) -> str:
    text = re.sub(r'href="\.\./(\d+)\.html"', r'href="/events/president/news/\1"', text)
    text = re.sub(r'href="\.\./(\d+)/(photos|videos)\.html"', r'href="/events/president/news/\1/\2"', text)
    return re.sub(r'href="(\d+)\.html"', r'href="/events/president/news/page/\1"', text)


@dataclass
class Fault:
    """One injected fault, used once: `status` (with headers and body), `slow`, `truncate`, `reset`, `error_page`."""

    kind: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


class Site:
    """The served site: entries newest first, transcripts ids, robots.txt, faults, and a request log."""

    def __init__(self) -> None:
        """Read the mirrored listing pages once (a second or so)."""
        pages = [gzip.decompress((MIRROR / "listings" / "page" / f"{n}.html.gz").read_bytes()).decode()
                 for n in LISTING_PAGES]
        template = pages[0]
        opened = _LIST_OPEN.search(template)
        assert opened is not None
        close = template.rfind("</div>", opened.end(), template.find("more-next", opened.end()))
        self._head, self._tag, self._tail = template[:opened.start()], opened.group(0), template[close:]
        self.entries: list[tuple[int, str]] = []
        seen: set[int] = set()
        for text in pages:
            m = _LIST_OPEN.search(text)
            assert m is not None
            body = text[m.end(): text.rfind("</div>", m.end(), text.find("more-next", m.end()))]
            for block in re.split(r'(?=<div class="hentry)', _DAY_HEAD.sub("", body)):
                ident = _ENTRY_ID.search(block)
                if block.startswith('<div class="hentry') and ident and int(ident.group(1)) not in seen:
                    seen.add(int(ident.group(1)))
                    self.entries.append((int(ident.group(1)), _site_links(block)))
        index = DATA / "derived" / "valdai_transcripts_pages_index.jsonl"
        self.transcripts = {d["id"] for d in map(json.loads, index.read_text(encoding="utf-8").splitlines())
                            if "Transcripts" in (d["sections"] or [])}
        self.hidden = 0
        self.robots = "User-agent: *\nDisallow: /search\n"
        self.faults: dict[str, list[Fault]] = {}
        self.requests: list[tuple[float, str, int]] = []  # (monotonic time, path, status)
        self.article_delay = 0.0
        self.lock = threading.Lock()

    def listed(self, section: str) -> list[tuple[int, str]]:
        """Entries the listing of `section` shows now, newest first."""
        shown = self.entries[self.hidden:]
        return shown if section == "news" else [e for e in shown if e[0] in self.transcripts]

    def listing_page(self, section: str, page: int) -> bytes | None:
        entries = self.listed(section)
        pages = max(1, -(-len(entries) // PER_PAGE))
        if page > pages:
            return None
        chunk = entries[(page - 1) * PER_PAGE: page * PER_PAGE]
        tag = re.sub(r'data-page="\d+"', f'data-page="{page}"', self._tag)
        tag = re.sub(r'data-pages="\d+"', f'data-pages="{pages}"', tag)
        tag = re.sub(r'data-path="[^"]*"', f'data-path="/events/president/{section}/page/{page}"', tag)
        return _site_links(self._head + tag + "".join(b for _, b in chunk) + self._tail).encode()

    def article(self, site_id: int) -> bytes | None:
        if site_id in {i for i, _ in self.entries[:self.hidden]}:
            return None
        file = ARTICLES / f"{site_id}.html.gz"
        return gzip.decompress(file.read_bytes()) if file.is_file() else None

    def add_fault(self, path: str, *faults: Fault) -> None:
        with self.lock:
            self.faults.setdefault(path, []).extend(faults)

    def next_fault(self, path: str) -> Fault | None:
        with self.lock:
            queue = self.faults.get(path)
            return queue.pop(0) if queue else None

    def count(self, kind: str) -> int:
        """Requests of one kind so far: `robots`, `listing` or `article`."""
        def kind_of(path: str) -> str:
            if path == "/robots.txt":
                return "robots"
            return "listing" if _LISTING.fullmatch(path) else "article" if _ARTICLE.fullmatch(path) else "other"
        return sum(kind_of(p) == kind for _, p, _ in self.requests)


class _Handler(BaseHTTPRequestHandler):
    site: Site
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in two writes: no 40 ms delayed-ACK stall between

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None, length: int | None = None) -> None:
        self.site.requests.append((self.arrived, self.path, status))
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.arrived = time.monotonic()  # the server's clock when the request came in, for the rate test
        path = self.path.split("?", 1)[0]
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (a read timeout)
            self._get(path)

    def _get(self, path: str) -> None:
        body, headers = self._resource(path)
        fault = self.site.next_fault(path)
        if fault is None:
            if body is None:
                self._send(404, b"<html><body>Not found</body></html>")
            elif "ETag" in headers and self.headers.get("If-None-Match") == headers["ETag"]:
                self._send(304, b"", headers)
            else:
                self._send(200, body, headers)
        elif fault.kind == "status":
            self._send(fault.status, ERROR_PAGE, fault.headers)
        elif fault.kind == "slow":
            time.sleep(fault.seconds)
            self._send(200, body or b"", headers)
        elif fault.kind == "truncate":  # a complete HTTP response whose page stops mid-way
            self._send(200, (body or b"")[: len(body or b"") // 2], headers)
        elif fault.kind == "short":  # the connection closes before Content-Length bytes came
            self._send(200, (body or b"")[: len(body or b"") // 2], headers, length=len(body or b""))
            self.close_connection = True
        elif fault.kind == "reset":
            self.site.requests.append((self.arrived, self.path, 0))
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
        elif fault.kind in ("error_page", "other_site"):
            self._send(200, ERROR_PAGE if fault.kind == "error_page" else OTHER_SITE)

    def _resource(self, path: str) -> tuple[bytes | None, dict[str, str]]:
        if path == "/robots.txt":
            return self.site.robots.encode(), {}
        if m := _LISTING.fullmatch(path):
            return self.site.listing_page(m.group(1), int(m.group(2) or 1)), {}
        if m := _ARTICLE.fullmatch(path):
            if self.site.article_delay:
                time.sleep(self.site.article_delay)
            body = self.site.article(int(m.group(1)))
            return body, ({"ETag": '"' + hashlib.sha1(body).hexdigest() + '"'} if body else {})
        return None, {}


@contextmanager
def serve(site: Site) -> Iterator[str]:
    """Serve `site` on a free loopback port; yields the base URL; stops on exit."""
    handler = type("Handler", (_Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=600, help="stop after this many seconds (default 600)")
    args = parser.parse_args()
    with serve(Site()) as url:
        print(url, flush=True)
        time.sleep(args.seconds)


if __name__ == "__main__":
    main()
