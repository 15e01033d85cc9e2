"""Shared fixtures: the seed articles (one spun page, four clean ones) and its hand restoration."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"
SPUN_SEED = SEEDS / "002_f398e4ffd186d12f.txt"
CLEAN_SEEDS = sorted(path for path in SEEDS.glob("*.txt") if path != SPUN_SEED)


@pytest.fixture(scope="session")
def spun_text() -> str:
    return SPUN_SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def restored_text() -> str:
    """The hand restoration of the spun seed (ground truth, written by the developers)."""
    return (FIXTURES / "pairs" / "002.orig.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def clean_texts() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in CLEAN_SEEDS}
