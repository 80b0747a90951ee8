from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "seeds" / "raw"
CLEAN = ROOT / "seeds" / "clean"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def raw_seeds() -> list[Path]:
    seeds = sorted(RAW.glob("*.txt"))
    assert seeds, "seeds/raw is empty"
    return seeds
