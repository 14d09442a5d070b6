from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

# Regexes the code once used and now reads by string tests: the references those are held to.
HEADING = re.compile(r"^(={1,6})\s*(.+?)\s*\1\s*$")  # `wikitext.heading_parts`
UNSAFE_SOURCE = re.compile(r"\{\{\{|\{\||\n[ \t]*=|\n;|~~~")  # `infobox_fast.unsafe_source`
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


def load_reference(module: str):
    """The Python reference of a C twin (`extractor.native.C_MODULES`), loaded from its file
    under another name, whichever of the two `import` gives."""
    root = Path(__file__).resolve().parent.parent
    path = root.joinpath(*module.split(".")).with_suffix(".py")
    spec = importlib.util.spec_from_file_location(module.replace(".", "_") + "_reference", path)
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded
