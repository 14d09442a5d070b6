from __future__ import annotations

from collections import Counter
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


# What the fuzz and fault tests tried (cases, articles in, rows out), printed in the summary.
fuzz_tally: Counter[str] = Counter()


def pytest_terminal_summary(terminalreporter):
    if fuzz_tally:
        counts = ", ".join(f"{n:,} {what}" for what, n in fuzz_tally.items())
        terminalreporter.write_line(f"fuzz and fault cases: {counts}")
