"""The analysis settings, read from ``graph/analysis/data/analysis.toml``.

Seeds, thresholds and the repetition precision statement are data, so they can be
changed (and the lead can record a measured precision) without touching code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

SETTINGS = Path(__file__).resolve().parent / "data" / "analysis.toml"


@dataclass(frozen=True)
class Settings:
    strongest_action: int = 5
    strongest_min_weight: int = 4
    weakest_action: int = 1
    community_seed: int = 20000
    resolution: float = 1.0
    layout_seed: int = 7
    top: int = 15
    examples: int = 5
    excerpt: int = 140
    precision: str = "Precision measured on the seeds: see links."


def load(path: Path = SETTINGS) -> Settings:
    """The settings in ``path``.

    >>> load().strongest_action
    5
    """
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    asks, comm, report = data["asks"], data["communities"], data["report"]
    return Settings(
        strongest_action=int(asks["strongest_action"]),
        strongest_min_weight=int(asks["strongest_min_weight"]),
        weakest_action=int(asks["weakest_action"]),
        community_seed=int(comm["seed"]),
        resolution=float(comm["resolution"]),
        layout_seed=int(data["layout"]["seed"]),
        top=int(report["top"]),
        examples=int(report["examples"]),
        excerpt=int(report["excerpt"]),
        precision=str(data["repetition"]["statement"]),
    )
