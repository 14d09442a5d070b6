import re

from extractor.docs import rules_markdown, tables_markdown

from .conftest import ROOT


def test_readme_documents_every_output_column():
    assert tables_markdown() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_reconciliation_rule():
    assert rules_markdown() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_test_the_readme_names_exists():
    """The Guarantees section names the tests that prove each guarantee: they must exist.
    `file.py::name` names a test; a bare `::name` is in the file named last before it."""
    named = 0
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        current = None
        for match in re.finditer(r"(test_\w+\.py)|::(test_\w+)", line):
            if match.group(1):
                current = match.group(1)
                assert (ROOT / "tests" / current).is_file(), current
            elif current is not None:
                source = (ROOT / "tests" / current).read_text(encoding="utf-8")
                assert re.search(rf"^def {match.group(2)}\b|^{match.group(2)}\b", source, re.M), (
                    f"{current}::{match.group(2)}")
                named += 1
    assert named >= 20
