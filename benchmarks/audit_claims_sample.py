"""Prints a seeded random sample of a build's claims, stratified by kind, each in its sentence, for reading by hand.

Run from the repository root on a build folder (README, Numeric claims, "Audit on the day files"):

    python benchmarks/audit_claims_sample.py /tmp/days --seed 20261130            # the first audit's 306 claims
    python benchmarks/audit_claims_sample.py /tmp/days --seed 20261201 --per-kind count=40,ordinal=20,year=15,\
percent=15,duration=15,money=10,date=10,measure=10,vague=6,multiple=6,fraction=6              # the second's 153

Each claim is printed with its fields and up to 120 characters of its turn before it and 80 after, the claim
in [[ ]]. The sample depends on the table's row order and on polars' sampler (`DataFrame.sample(n, seed=...)`
per kind, kinds in the order given), so the same build and polars version give the same claims.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import polars as pl

FIRST_AUDIT = {"count": 60, "ordinal": 35, "year": 35, "percent": 30, "duration": 30, "money": 30, "date": 20,
               "measure": 20, "vague": 12, "multiple": 12, "fraction": 12, "percentage_point": 10}


def sample(build: Path, per_kind: dict[str, int], seed: int) -> pl.DataFrame:
    """The sampled claims with their turn's text, numbered from 0 in the order of `per_kind`."""
    claims = pl.read_parquet(build / "claims.parquet")
    parts = [claims.filter(pl.col("kind") == kind).sample(n, seed=seed) for kind, n in per_kind.items()]
    texts = pl.read_parquet(build / "utterances.parquet", columns=["utterance_id", "text"])
    return pl.concat(parts).with_row_index("i").join(texts, on="utterance_id", how="left").sort("i")


def main() -> None:
    """Parse the arguments and print the sample."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("build", type=Path, help="a build's output folder (claims.parquet, utterances.parquet)")
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--per-kind", default=",".join(f"{k}={n}" for k, n in FIRST_AUDIT.items()),
                        help="kind=n,... (default: the first audit's allocation)")
    args = parser.parse_args()
    per_kind = {k: int(n) for k, n in (item.split("=") for item in args.per_kind.split(","))}
    for r in sample(args.build, per_kind, args.seed).iter_rows(named=True):
        text, a, b = r["text"], r["char_start"], r["char_end"]
        print(f"#{r['i']} {r['kind']} v={r['value']} hi={r['value_high']} unit={r['unit']} bound={r['bound']} "
              f"change={r['change']}/{r['change_type']}")
        print("   ", (text[max(0, a - 120):a] + "[[" + text[a:b] + "]]" + text[b:b + 80]).replace("\n", " / "))


if __name__ == "__main__":
    main()
