"""`kremlin-data ...`: a thin command line over build() and the readers."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import pyarrow.parquet as pq

from kremlin_data._version import __version__
from kremlin_data.build import build, skip_pandas_probe
from kremlin_data.identity import AliasFileError, read_aliases
from kremlin_data.load import TABLE_NAMES, data_dir, table_path
from kremlin_data.package import facts, info_text, table_files

# Modules that come with an extra: a missing one is a set-up step to name, not a bug.
_EXTRAS = {"vl_convert": "notebooks", "jupyterlab": "notebooks", "anywidget": "notebooks", "nbclient": "notebooks"}


class UsageError(Exception):
    """A mistake in the command line or its paths: one line to the user, exit 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line (the usage is one `--help` away)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _need(module: str) -> None:
    """A UsageError naming the extra to install when `module` cannot be imported."""
    if importlib.util.find_spec(module) is None:
        raise UsageError(f'this command needs {module}, which comes with an extra: '
                         f'pip install "kremlin-data[{_EXTRAS[module]}]"')


def _folder(path: str | os.PathLike[str], option: str) -> Path:
    """`path` as a folder that exists and can be written to, or a UsageError naming it."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{option} {folder}: exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{option} {folder}: cannot create the folder ({exc.strerror or exc})") from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{option} {folder}: the folder is not writable")
    return folder


def _cmd_build(args: argparse.Namespace) -> int:
    _folder(args.out, "--out")
    skip_pandas_probe()
    if args.aliases is not None:
        try:
            read_aliases(args.aliases)
        except (OSError, AliasFileError) as exc:
            raise UsageError(f"--aliases: {exc}") from exc
    summary = build(args.inputs or None, args.out, workers=args.workers,
                    progress=False if args.quiet else None, claims=not args.no_claims, topics=not args.no_topics,
                    clean=args.clean, refit_topics=args.refit_topics, aliases=args.aliases,
                    partition_by=args.partition_by)
    print(summary)
    if args.strict and summary.issues:
        print(f"--strict: {summary.issues} parse issue(s); see {Path(args.out) / 'parse_issues.parquet'}",
              file=sys.stderr)
        return 1
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    folder = data_dir(args.dir)
    found = {name: files for name in TABLE_NAMES if (files := table_files(folder, name))}
    if not found:
        print(f"no tables in {folder}: run `kremlin-data build` first", file=sys.stderr)
        return 1
    print(info_text(facts(folder)))
    if args.schema:
        for name, files in found.items():
            print(f"{name}:")
            for f in pq.read_schema(files[0]):
                desc = (f.metadata or {}).get(b"description", b"").decode()
                print(f"  {f.name}: {f.type}  {desc[:90]}")
    return 0


def _cmd_charts(args: argparse.Namespace) -> int:
    _need("vl_convert")  # these checks come before the slow imports of the chart libraries
    _need("nbclient")
    table_path("events", args.data)
    from kremlin_data.charts import export_charts  # altair and vl-convert load only for this command

    _folder(args.out, "--out")

    written = export_charts(args.data, args.out)
    print(f"{len(written)} charts written to {args.out}: {', '.join(p.name for p in written)}")
    return 0


def _fetch_options(args: argparse.Namespace) -> dict[str, object]:
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")
    if args.rate <= 0:
        raise UsageError(f"--rate must be above 0, not {args.rate}")
    if args.max_pages is not None and args.max_pages < 1:
        raise UsageError(f"--max-pages must be 1 or more, not {args.max_pages}")
    return {"section": args.section, "since": args.since, "until": args.until, "max_pages": args.max_pages,
            "rate": args.rate, "base_url": args.base_url, "refresh": args.refresh,
            "timeout": (min(10.0, args.timeout), args.timeout), "progress": False if args.quiet else None}


def _run_fetch(args: argparse.Namespace) -> tuple[int, Path]:
    from kremlin_data import fetch  # httpx loads only for the commands that use the network
    from kremlin_data.fetch_cache import default_cache

    options = _fetch_options(args)
    cache = _folder(args.cache or default_cache(), "--cache")
    try:
        summary = fetch.fetch(cache, **options)  # type: ignore[arg-type]
    except fetch.RobotsError as exc:
        raise UsageError(str(exc)) from exc
    print(f"{summary}; cache {cache}")
    if summary.interrupted:
        return 130, cache
    if summary.stopped_by == "failed":
        print("warning: a listing page could not be read, so the listing was read only that far; the fetch log "
              f"has the reason (kremlin-data fetch --status --cache {cache})", file=sys.stderr)
    return (1 if summary.failed or summary.stopped_by == "failed" else 0), cache


def _cmd_fetch(args: argparse.Namespace) -> int:
    if args.status:
        from kremlin_data.fetch_cache import default_cache, fetch_status

        print(fetch_status(args.cache or default_cache()))
        return 0
    return _run_fetch(args)[0]


def _cmd_update(args: argparse.Namespace) -> int:
    _folder(args.out, "--out")
    skip_pandas_probe()
    code, cache = _run_fetch(args)
    if code == 130:
        return code
    summary = build([cache], args.out, workers=args.workers, progress=False if args.quiet else None)
    print(summary)
    return code


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _add_fetch_arguments(p: argparse.ArgumentParser) -> None:
    from kremlin_data.listing import SECTIONS

    p.add_argument("--cache", default=None, help="cache folder (default: $KREMLIN_DATA_CACHE or the per-user "
                   "data folder, such as ~/.local/share/kremlin-data)")
    p.add_argument("--since", type=_date, default=None, help="oldest publication date to fetch (YYYY-MM-DD)")
    p.add_argument("--until", type=_date, default=None, help="newest publication date to fetch (YYYY-MM-DD)")
    p.add_argument("--section", choices=SECTIONS, default="news",
                   help="listing to follow: news (all events, default) or transcripts")
    p.add_argument("--max-pages", type=int, default=None, help="read at most N listing pages")
    p.add_argument("--rate", type=float, default=1.0, help="at most R requests per second (default 1)")
    p.add_argument("--base-url", default="http://en.kremlin.ru",
                   help="the site or a mirror with the same paths (default http://en.kremlin.ru)")
    p.add_argument("--refresh", action="store_true", help="ask again for held articles (conditional requests)")
    p.add_argument("--timeout", type=float, default=30.0, help="read timeout in seconds (default 30)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def make_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per action."""
    parser = _Parser(prog="kremlin-data", description=__doc__)
    parser.add_argument("--version", action="version", version=f"kremlin-data {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of any error")
    common = _Parser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the traceback of any error")
    sub = parser.add_subparsers(dest="command", required=True)

    f = sub.add_parser("fetch", parents=[common], help="fetch en.kremlin.ru articles into the local cache")
    _add_fetch_arguments(f)
    f.add_argument("--status", action="store_true", help="summarise the cache and its fetch log, fetch nothing")
    f.set_defaults(func=_cmd_fetch)

    u = sub.add_parser("update", parents=[common], help="fetch, then build the cache into Parquet tables")
    _add_fetch_arguments(u)
    u.add_argument("--out", default="parquet", help="output folder (default: parquet)")
    u.add_argument("--workers", type=int, default=None, help="worker processes (default: all cores)")
    u.set_defaults(func=_cmd_update)

    b = sub.add_parser("build", parents=[common],
                       help="parse pages into Parquet tables (no INPUT: the bundled sample)")
    b.add_argument("inputs", nargs="*", metavar="INPUT", help=".txt/.html files (or .gz) and folders")
    b.add_argument("--out", default="parquet", help="output folder (default: parquet)")
    b.add_argument("--workers", type=int, default=None, help="worker processes (default: all cores)")
    b.add_argument("--strict", action="store_true", help="exit 1 when any input line or file was not placed")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument("--no-claims", action="store_true", help="skip numeric claims (the claims table is empty)")
    b.add_argument("--no-topics", action="store_true", help="skip learned and site topics (tables empty)")
    b.add_argument("--clean", action="store_true",
                   help="parse every input again, ignoring the cache of the last build in the output folder")
    b.add_argument("--refit-topics", action="store_true",
                   help="fit the topic models again instead of reusing those saved in the output folder")
    b.add_argument("--aliases", metavar="FILE", default=None,
                   help="CSV `alias,speaker_id`: map a printed speaker name to an id; an empty id vetoes its merges")
    b.add_argument("--partition-by", choices=["year"], default=None,
                   help="write each table as a hive-partitioned folder <table>/year=<y>/ (default: one file each)")
    b.set_defaults(func=_cmd_build)

    i = sub.add_parser("info", parents=[common], help="what a build folder holds: rows, input by year and form, "
                       "parser, known limits, how to cite (and schemas)")
    i.add_argument("dir", nargs="?", default=None, help="build folder (default: $KREMLIN_DATA_DIR or parquet)")
    i.add_argument("--schema", action="store_true", help="also print each column with its description")
    i.set_defaults(func=_cmd_info)

    c = sub.add_parser("charts", parents=[common],
                       help="run the notebooks on a build folder, writing their key charts as PNGs")
    c.add_argument("--data", default=None, help="build folder (default: $KREMLIN_DATA_DIR or parquet)")
    c.add_argument("--out", default="docs/charts", help="output folder (default: docs/charts)")
    c.set_defaults(func=_cmd_charts)
    return parser


def _user_error(exc: BaseException) -> str | None:
    """The one line that tells the user what to fix, or None for a real bug."""
    if isinstance(exc, UsageError):
        return str(exc)
    if isinstance(exc, ModuleNotFoundError) and (exc.name or "").split(".")[0] in _EXTRAS:
        extra = _EXTRAS[(exc.name or "").split(".")[0]]
        return f'this command needs {exc.name}, which comes with an extra: pip install "kremlin-data[{extra}]"'
    if isinstance(exc, OSError):
        if exc.filename:
            return f"{exc.filename}: {exc.strerror or exc}"
        return str(exc)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for a mistake in the command or its paths)."""
    args = make_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        print(f"kremlin-data {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        message = _user_error(exc)
        if message is not None:
            print(f"kremlin-data {args.command}: {message}", file=sys.stderr)
            return 2
        print(f"kremlin-data {args.command}: internal error: {type(exc).__name__}: {exc} (run again with --debug "
              "for the traceback, and please report it)", file=sys.stderr)
        return 1
    return code


def run() -> NoReturn:
    """The `kremlin-data` command: `main`, then the end of the process, without a last sweep through its objects."""
    code = main()
    # Python's collection at exit walks and frees every object a build left behind: 0.3-0.4 s of a rebuild's wall
    # time, measured on the day files. Frozen, they are left to the operating system, which takes the memory back
    # at once; atexit handlers and the flush of stdout still run. Not in main(): tests call it in their own process.
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
