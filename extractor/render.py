"""Articles back to the flat article format (for round-trip tests and for showing a wikitext
article the way the flat format writes it)."""

from __future__ import annotations

from extractor.model import Article


def to_flat(article: Article) -> str:
    """Render one article; parsing the result gives the same title, fields, sections and blocks."""
    out = [f"= {article.title} =", ""]
    for box in article.infoboxes:
        if box.header is not None:
            out.append(box.header)
        out.extend(f"- {f.key}: {f.value}".rstrip() for f in box.fields)
        out.append("")
    blocks: list[tuple[int, int, list[str]]] = []  # (section, order, lines)
    for p in article.paragraphs:
        blocks.append((p.section, p.line, [p.text]))
    for lst in article.lists:
        blocks.append((lst.section, lst.line, [f"- {i.text}" for i in lst.items]))
    for t in article.tables:
        rows = ["| " + " | ".join(c.text for c in r.cells) + " |" for r in t.rows]
        blocks.append((t.section, t.line, rows))
    for s, section in enumerate(article.sections):
        if s:
            marks = "=" * section.level
            out.extend([f"{marks} {section.title} {marks}"])
        for _, _, lines in sorted(b for b in blocks if b[0] == s):
            out.extend(lines)
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
