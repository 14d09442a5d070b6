from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def seed_text():
    def read(name: str) -> str:
        return (FIXTURES / "seeds" / name).read_text(encoding="utf-8")

    return read
