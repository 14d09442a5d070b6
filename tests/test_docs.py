from extractor.docs import rules_markdown, tables_markdown

from .conftest import ROOT


def test_readme_documents_every_output_column():
    assert tables_markdown() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_reconciliation_rule():
    assert rules_markdown() in (ROOT / "README.md").read_text(encoding="utf-8")
