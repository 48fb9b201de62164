"""`kremlin-data ...`: a thin command line over build() and the readers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pyarrow.parquet as pq

from kremlin_data._version import __version__
from kremlin_data.build import build
from kremlin_data.load import TABLE_NAMES, data_dir


def _cmd_build(args: argparse.Namespace) -> int:
    summary = build(args.inputs or None, args.out, workers=args.workers,
                    progress=False if args.quiet else None, claims=not args.no_claims, topics=not args.no_topics)
    print(summary)
    if args.strict and summary.issues:
        print(f"--strict: {summary.issues} parse issue(s); see {Path(args.out) / 'parse_issues.parquet'}",
              file=sys.stderr)
        return 1
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    folder = data_dir(args.dir)
    found = False
    for name in TABLE_NAMES:
        file = folder / f"{name}.parquet"
        if not file.is_file():
            continue
        found = True
        meta = pq.read_metadata(file)
        print(f"{name}: {meta.num_rows} rows, {file.stat().st_size / 1e6:.2f} MB")
        if args.schema:
            for f in pq.read_schema(file):
                desc = (f.metadata or {}).get(b"description", b"").decode()
                print(f"  {f.name}: {f.type}  {desc[:90]}")
    if not found:
        print(f"no tables in {folder}: run `kremlin-data build` first", file=sys.stderr)
        return 1
    return 0


def _cmd_charts(args: argparse.Namespace) -> int:
    from kremlin_data.charts import export_charts  # altair and vl-convert load only for this command

    written = export_charts(args.data, args.out)
    print(f"{len(written)} charts written to {args.out}: {', '.join(p.name for p in written)}")
    return 0


def make_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per action."""
    parser = argparse.ArgumentParser(prog="kremlin-data", description=__doc__)
    parser.add_argument("--version", action="version", version=f"kremlin-data {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="parse pages into Parquet tables (no INPUT: the bundled sample)")
    b.add_argument("inputs", nargs="*", metavar="INPUT", help=".txt/.html files (or .gz) and folders")
    b.add_argument("--out", default="parquet", help="output folder (default: parquet)")
    b.add_argument("--workers", type=int, default=None, help="worker processes (default: all cores)")
    b.add_argument("--strict", action="store_true", help="exit 1 when any input line or file was not placed")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument("--no-claims", action="store_true", help="skip numeric claims (the claims table is empty)")
    b.add_argument("--no-topics", action="store_true", help="skip learned and site topics (tables empty)")
    b.set_defaults(func=_cmd_build)

    i = sub.add_parser("info", help="row counts (and schemas) of a build folder")
    i.add_argument("dir", nargs="?", default=None, help="build folder (default: $KREMLIN_DATA_DIR or parquet)")
    i.add_argument("--schema", action="store_true", help="also print each column with its description")
    i.set_defaults(func=_cmd_info)

    c = sub.add_parser("charts", help="export the key charts of a build folder as PNG files")
    c.add_argument("--data", default=None, help="build folder (default: $KREMLIN_DATA_DIR or parquet)")
    c.add_argument("--out", default="docs/charts", help="output folder (default: docs/charts)")
    c.set_defaults(func=_cmd_charts)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = make_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
