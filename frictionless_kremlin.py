"""frictionless finds plugins as top-level modules named `frictionless_<name>`: this one reads our Parquet files."""

from kremlin_data.frictionless_parquet import KremlinPlugin

__all__ = ["KremlinPlugin"]
