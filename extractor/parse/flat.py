"""The flat article format to `Article`s, through the Lark grammar `grammars/article.lark`.

Two stages, one entry point: Lark's contextual lexer and LALR parser do the structure (which line
is a title, a field, a bullet, a table row, a cell), and a Transformer, run inline while parsing,
builds the model. Defects in the input never raise: they become `Problem`s on the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from lark import Lark, Token, Transformer
from lark.exceptions import LarkError

from extractor.grammar_files import grammar_text
from extractor.model import (
    Article,
    BulletItem,
    BulletList,
    Cell,
    Infobox,
    InfoboxField,
    Paragraph,
    Problem,
    Row,
    Section,
    Table,
)

_TITLE_AT_LINE_START = re.compile(r"^=(?!=)[^\n]*(?<!=)=[ \t]*$", re.M)


def normalize_newlines(text: str) -> str:
    """CRLF and CR to LF, a BOM dropped, a final newline ensured: line numbers are unchanged."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text and not text.endswith("\n"):
        text += "\n"
    return text


class _CellText(str):
    """A closed cell's text (the unclosed last cell of a row arrives as a bare CELL token)."""


def _line(token: Token) -> int:
    """The token's line. Lark's lexer always sets it (it is None only on hand-made tokens)."""
    assert token.line is not None
    return token.line


# A table row: its cells, its line, and whether its last cell was closed.
_Row = tuple[list[str], int, bool]


class _Block:
    """A body element waiting to be placed in its section (sections are known only in order)."""

    __slots__ = ()
    line: int  # its first line


@dataclass(slots=True)
class _Heading(_Block):
    title: str
    level: int
    line: int


@dataclass(slots=True)
class _Paragraph(_Block):
    text: str
    line: int
    end_line: int


@dataclass(slots=True)
class _Bullets(_Block):
    items: list[BulletItem]
    line: int


@dataclass(slots=True)
class _Table(_Block):
    rows: list[_Row]
    line: int


class _Build(Transformer):
    """Rule callbacks named after the grammar rules they build (run inline by the LALR parser)."""

    def title(self, children: list[Token]) -> tuple[str, int]:
        token = children[0]
        return token.value.strip().strip("=").strip(), _line(token)

    def header(self, children: list[Token]) -> tuple[str, int]:
        return children[0].value.strip(), _line(children[0])

    def field(self, children: list[Token]) -> InfoboxField:
        token = children[0]
        line = token.value.rstrip("\n")
        key, _, value = line[1:].partition(":")
        return InfoboxField.model_construct(
            key=key.strip(), value=value.strip(), line=token.line, text=None, hints={}
        )

    def infobox(self, children: list) -> Infobox:
        header = children[0] if isinstance(children[0], tuple) else None
        fields = children[1:] if header else children
        return Infobox.model_construct(
            template=None,
            header=header[0] if header else None,
            header_line=header[1] if header else None,
            line=header[1] if header else fields[0].line,
            fields=list(fields),
            parent=None,
        )

    def paragraph(self, children: list[Token]) -> _Block:
        text = " ".join(t.value.strip() for t in children)
        return _Paragraph(text, _line(children[0]), _line(children[-1]))

    def bullets(self, children: list[Token]) -> _Block:
        items = [
            BulletItem.model_construct(text=t.value[1:].strip(), line=t.line) for t in children
        ]
        return _Bullets(items, items[0].line)

    def heading(self, children: list[Token]) -> _Block:
        raw = children[0].value.strip()
        level = len(raw) - len(raw.lstrip("="))
        return _Heading(raw.strip("=").strip(), level, _line(children[0]))

    def cell(self, children: list[Token]) -> _CellText:
        return _CellText(children[0].value.strip() if children else "")

    def row(self, children: list) -> _Row:
        line = children[0].line
        cells: list[str] = []
        closed = True
        for child in children[1:]:
            if isinstance(child, _CellText):
                cells.append(str(child))
            elif getattr(child, "type", None) == "CELL":
                cells.append(child.value.strip())  # the unclosed last cell
                closed = False
        return cells, line, closed

    def table(self, children: list) -> _Block:
        return _Table(children, children[0][1])

    def preamble(self, children: list) -> list:
        return [("preamble", children)]

    def article(self, children: list) -> Article:
        (title, line), rest = children[0], children[1:]
        infoboxes = [c for c in rest if isinstance(c, Infobox)]
        blocks = [c for c in rest if isinstance(c, _Block)]
        return _assemble(title, line, infoboxes, blocks, [])

    def start(self, children: list) -> list[Article]:
        articles: list[Article] = []
        for child in children:
            if isinstance(child, list):  # the preamble
                blocks = child[0][1]
                first = blocks[0].line
                problem = Problem(
                    code="FLAT_NO_TITLE",
                    message="text before the first '= Title =' line: no article title",
                    line=first,
                    severity="fatal",
                )
                articles.append(_assemble("", first, [], blocks, [problem]))
            else:
                articles.append(child)
        return articles


def _assemble(
    title: str, line: int, infoboxes: list[Infobox], blocks: list[_Block], problems: list[Problem]
) -> Article:
    article = Article.model_construct(
        doc_id="",
        title=title,
        source="",
        format="flat",
        line=line,
        end_line=line,
        page_id=None,
        bytes=0,
        infoboxes=infoboxes,
        sections=[Section.model_construct(title="", level=1, line=None)],
        paragraphs=[],
        lists=[],
        tables=[],
        problems=problems,
    )
    section = 0
    for block in blocks:
        if isinstance(block, _Heading):
            article.sections.append(
                Section.model_construct(title=block.title, level=block.level, line=block.line)
            )
            section = len(article.sections) - 1
        elif isinstance(block, _Paragraph):
            article.paragraphs.append(Paragraph.model_construct(
                text=block.text, line=block.line, end_line=block.end_line, section=section
            ))
        elif isinstance(block, _Bullets):
            article.lists.append(BulletList.model_construct(items=block.items, section=section))
        elif isinstance(block, _Table):
            article.tables.append(_table(block.rows, section, article.problems))
    return article


def _table(rows: list[_Row], section: int, problems: list[Problem]) -> Table:
    width = len(rows[0][0])
    for cells, at, closed in rows:
        if not closed:
            problems.append(Problem(
                code="FLAT_TABLE_UNCLOSED_ROW",
                message="table row without its closing '|'",
                line=at,
            ))
        elif len(cells) != width:
            problems.append(Problem(
                code="FLAT_TABLE_RAGGED",
                message=f"table row has {len(cells)} cells, the header has {width}",
                line=at,
            ))
    return Table.model_construct(
        rows=[
            Row.model_construct(
                cells=[
                    Cell.model_construct(
                        text=c, raw=None, hints={}, header=(i == 0), rowspan=1, colspan=1
                    )
                    for c in cells
                ],
                line=at,
            )
            for i, (cells, at, _closed) in enumerate(rows)
        ],
        line=rows[0][1],
        end_line=rows[-1][1],
        section=section,
        caption=None,
        kind="table",
    )


def _accelerator() -> dict:
    """lark-cython runs the same LALR tables about twice as fast; plain Lark when it is absent."""
    try:
        import lark_cython
    except ImportError:
        return {}
    return {"_plugins": lark_cython.plugins}


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(
        grammar_text("article.lark"),
        parser="lalr",
        lexer="contextual",
        transformer=_Build(),
        **_accelerator(),
    )


def _parse(text: str) -> list[Article]:
    """The articles of `text`. Lark types `parse` as returning a Tree, but an inline transformer
    makes it return what the start rule's callback (`_Build.start`) builds."""
    return cast("list[Article]", _parser().parse(text))


def parse_flat(
    text: str, source: str = "", first_line: int = 1, first_number: int = 1,
    label: str | None = None,
) -> list[Article]:
    """Parse a file's text (one article or many in a row) into articles, numbered from 1.

    An article's `doc_id` is `<file name>#<n>`. An empty text yields one failed article, so the
    file still shows up in the `articles` table. A part of a bigger file (a chunk the source
    cut before a title line) gives its first line and its first article's number, so lines and
    ids are those of the whole file. `label`, when given, stands for the file name in the ids.
    """
    name = label or source.replace("\\", "/").rsplit("/", 1)[-1]
    text = normalize_newlines(text)
    if not text.strip():
        empty = Article(doc_id=f"{name}#1", title="", source=source, format="flat")
        empty.problems.append(
            Problem(code="FLAT_EMPTY", message="the file holds no text", line=1, severity="fatal")
        )
        return [empty]
    try:
        articles = _parse(text)
    except LarkError as error:  # a grammar that accepts every line makes this a bug, not input
        articles = _recover_by_titles(text, error)
    lines = text.split("\n")
    for n, article in enumerate(articles, start=1):
        _finish(article, n, name, source, articles, lines)
        article.doc_id = f"{name}#{first_number + n - 1}"
        if first_line > 1:
            _shift_lines(article, first_line - 1)
    return articles


def _shift_lines(article: Article, delta: int) -> None:
    """Lines of a chunk made lines of its file."""
    article.line += delta
    article.end_line += delta
    for box in article.infoboxes:
        box.line += delta
        if box.header_line is not None:
            box.header_line += delta
        for field in box.fields:
            field.line += delta
    for section in article.sections:
        if section.line is not None:
            section.line += delta
    for paragraph in article.paragraphs:
        paragraph.line += delta
        paragraph.end_line += delta
    for bullets in article.lists:
        for item in bullets.items:
            item.line += delta
    for table in article.tables:
        table.line += delta
        table.end_line += delta
        for row in table.rows:
            row.line += delta
    for problem in article.problems:
        if problem.line is not None:
            problem.line += delta


def _finish(
    article: Article, n: int, name: str, source: str, articles: list[Article], lines: list[str]
) -> None:
    article.doc_id = f"{name}#{n}"
    article.source = source
    following = articles[n].line - 1 if n < len(articles) else len(lines) - 1
    article.end_line = max(article.line, _last_content_line(lines, following))
    chunk = "\n".join(lines[article.line - 1 : article.end_line])
    article.bytes = len(chunk.encode("utf-8"))


def _last_content_line(lines: list[str], upto: int) -> int:
    while upto > 0 and not lines[upto - 1].strip():
        upto -= 1
    return upto


def _recover_by_titles(text: str, error: LarkError) -> list[Article]:
    """Last line of defence: parse article by article so one failure loses no neighbour."""
    starts = [m.start() for m in _TITLE_AT_LINE_START.finditer(text)] or [0]
    if starts[0] != 0:
        starts.insert(0, 0)
    articles: list[Article] = []
    for begin, end in zip(starts, starts[1:] + [len(text)], strict=True):
        offset = text.count("\n", 0, begin)
        chunk = "\n" * offset + text[begin:end]  # keep source line numbers
        try:
            articles.extend(_parse(chunk))
        except LarkError as inner:
            failed = Article(doc_id="", title="", source="", format="flat", line=offset + 1)
            failed.problems.append(Problem(
                code="FLAT_SYNTAX",
                message=str(inner).splitlines()[0] if str(inner) else type(inner).__name__,
                line=getattr(inner, "line", offset + 1),
                severity="fatal",
            ))
            articles.append(failed)
    return articles
