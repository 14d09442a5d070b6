"""Per-article limits: size, template nesting depth, cells of its tables, and wall time.

A dump of millions of pages holds a few pathological ones (a 50 MB page, ten thousand nested
templates, a table of a hundred thousand rows). Each limit turns such a page into a `partial` or
`failed` article with a problem that names the limit, and the run goes on: one page cannot stall
a worker or exhaust its memory. The defaults sit far above anything real (Wikipedia refuses
pages over 2 MB; templates in the corpus nest at most 7 deep) and are set from the command line.

The time limit is a timer signal, so it works where signals do: in the main thread of a process
(a one-process run and every worker of the local pool). Dask runs tasks on worker threads, where
only the size, depth and cell limits apply.
"""

from __future__ import annotations

import _signal  # (see _Deadline)
import re
import signal
import threading
from dataclasses import dataclass

from extractor.model import Problem

_BRACES = re.compile(r"\{\{|\}\}")


@dataclass(frozen=True)
class Limits:
    """The limits of one run (part of the manifest: a resumed run must use the same)."""

    article_mb: float = 8.0  # characters of one article's text, in millions
    depth: int = 20  # templates nested inside templates (the parsers give up past ~35)
    table_cells: int = 50_000  # cells of all the tables of one article (corpus: at most 1,800)
    seconds: float = 60.0  # wall time for parsing one article, and again for typing it

    @property
    def article_chars(self) -> int:
        return int(self.article_mb * 1_000_000)

    @property
    def page_xml_bytes(self) -> int:
        """Bytes of one page's XML in a dump past which it is not read at all (lxml would hold
        it whole): 8 bytes a character of the size limit (4 of UTF-8, escaping doubling it), and
        at least 64 MB. A page under it is read and cut at the size limit as any other text."""
        return max(64 << 20, 8 * self.article_chars)


DEFAULT_LIMITS = Limits()


class ArticleTimeout(BaseException):
    """The work on one article ran past `Limits.seconds`.

    Like KeyboardInterrupt, an interruption rather than an error: it derives from BaseException
    so that no `except Exception` met on the way (a parser's own fallback, say) swallows it; the
    pipeline catches it by name."""


def size_problem(chars: int, limits: Limits) -> Problem:
    return Problem(
        code="LIMIT_ARTICLE_SIZE", severity="error",
        message=f"the article has {chars:,} characters, over the limit of "
        f"{limits.article_chars:,} (--max-article-mb {limits.article_mb:g}); only its first "
        f"{limits.article_chars:,} were read",
    )


def time_problem(limits: Limits, stage: str, fatal: bool) -> Problem:
    return Problem(
        code="LIMIT_TIME", severity="fatal" if fatal else "error",
        message=f"{stage} took longer than the limit of {limits.seconds:g} s "
        "(--article-timeout); stopped",
    )


def cut_at_line(text: str, chars: int) -> str:
    """`text` cut to at most `chars` characters, at the end of a line where there is one."""
    if len(text) <= chars:
        return text
    end = text.rfind("\n", 0, chars)
    return text[: end + 1 if end > 0 else chars]


def flatten_deep(text: str, limit: int) -> str:
    """`text` with the braces of templates nested past `limit` written as the entities
    `&#123;`/`&#125;`, so every parser reads those templates as plain text (and renders the
    braces back). Only pages whose templates nest past the limit come here (the parser's brace
    scan measures the depth: `parse.page_scan.template_pairs`)."""
    pieces: list[str] = []
    stack: list[bool] = []  # per open `{{`: whether it was flattened
    last = 0
    for match in _BRACES.finditer(text):
        if match.group() == "{{":
            flatten = len(stack) >= limit
            stack.append(flatten)
        elif stack:
            flatten = stack.pop()
        else:
            continue
        if flatten:
            pieces.append(text[last:match.start()])
            pieces.append("&#123;&#123;" if match.group() == "{{" else "&#125;&#125;")
            last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


_FLATTENED = re.compile(r"&#123;&#123;|&#125;&#125;")
_BRACES_BACK = {"&#123;&#123;": "{{", "&#125;&#125;": "}}"}


def unflatten(value: object) -> None:
    """Put back the braces `flatten_deep` wrote as entities, in every string of a parsed
    article (its models, lists of models), so values keep their source text exactly."""
    for name, item in vars(value).items():
        if isinstance(item, str) and "&#12" in item:
            setattr(value, name, _FLATTENED.sub(lambda m: _BRACES_BACK[m.group()], item))
        elif isinstance(item, list):
            for element in item:
                if hasattr(element, "__dict__"):
                    unflatten(element)
        elif hasattr(item, "__dict__") and not isinstance(item, type):
            unflatten(item)


def depth_problem(depth: int) -> Problem:
    return Problem(
        code="LIMIT_DEPTH", severity="error",
        message=f"templates nest more than {depth} deep (--max-depth); the ones past "
        "the limit were read as plain text",
    )


# a cell begins at `||`, `!!`, or a line starting `|` or `!` (not `|-`, `|}`, `|+`)
_CELL_MARKS = re.compile(r"\|\||!!|\n(?:!|\|(?![-}+]))")


def may_pass_cells(length: int, limits: Limits) -> bool:
    """Whether a text of `length` characters can hold more cells than the limit: every cell
    takes at least two characters (a shorter text is not counted at all)."""
    return length >= 2 * limits.table_cells


def cells_cut(text: str, limits: Limits, bars: int = -1) -> int | None:
    """Where to cut `text` so its tables hold at most about `limits.table_cells` cells: the
    position of the first cell mark past the limit, or None when there are fewer (short texts
    are not scanned at all: `may_pass_cells`). `bars`: how many `|` and `!` the text holds,
    when the caller has counted them (`page_scan.text_size`)."""
    if not may_pass_cells(len(text), limits):
        return None
    # Upper bounds counted in C, the loosest and cheapest first: every mark holds a `|` or a
    # `!` of its own. Most pages stop at the first.
    if bars < 0:
        bars = text.count("|") + text.count("!")
    if bars <= limits.table_cells:
        return None
    marks = text.count("||") + text.count("!!") + text.count("\n|") + text.count("\n!")
    if marks <= limits.table_cells:
        return None
    for n, match in enumerate(_CELL_MARKS.finditer(text), 1):
        if n > limits.table_cells:
            return match.start()
    return None


def cells_problem(limits: Limits) -> Problem:
    return Problem(
        code="LIMIT_TABLE_CELLS", severity="error",
        message=f"the article's tables pass the limit of {limits.table_cells:,} cells "
        "(--max-table-cells); it was read up to the line where they do",
    )


def within_limits(text: str, fmt: str, limits: Limits,
                  bars: int = -1) -> tuple[str, list[Problem]]:
    """`text` cut to the size and table-cell limits, and the problems that say which limits it
    met (`bars`: see `cells_cut`). (The depth limit is the wikitext parser's: it measures
    nesting as it pairs braces.)"""
    problems: list[Problem] = []
    whole = len(text)
    if len(text) > limits.article_chars:
        start = _last_title(text) if fmt == "flat" else 0
        problems.append(size_problem(len(text) - start, limits))
        text = cut_at_line(text, start + limits.article_chars)
    if fmt == "flat":
        return text, problems  # flat values are plain text: no templates, no wikitables
    if (cut := cells_cut(text, limits, bars if len(text) == whole else -1)) is not None:
        problems.append(cells_problem(limits))
        text = cut_at_line(text, cut)
    return text, problems


def _last_title(text: str) -> int:
    from extractor.source_text import FLAT_TITLE_LINE

    starts = [m.start() for m in re.finditer(f"^(?:{FLAT_TITLE_LINE.pattern})$", text, re.M)]
    return starts[-1] if starts else 0


class _Deadline:
    """The context of `deadline`: a class, not a generator (two a page, every page)."""

    __slots__ = ("seconds", "armed", "active", "previous")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = False
        self.active = False
        self.previous: object = None

    def __enter__(self) -> None:
        if (self.seconds <= 0 or not hasattr(signal, "setitimer")
                or threading.current_thread() is not threading.main_thread()):
            return
        # `_signal.signal` is what `signal.signal` calls, without the enum conversions around
        # it (those cost more than the system calls, and the previous handler is only put back)
        self.previous = _signal.signal(signal.SIGALRM, self._expire)
        self.active = self.armed = True
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def _expire(self, signum: int, frame: object) -> None:
        if self.armed:
            raise ArticleTimeout(f"over {self.seconds:g} s")

    def __exit__(self, *exc: object) -> None:
        if self.active:
            self.active = False
            _disarm(self)
            _signal.signal(signal.SIGALRM, self.previous)


def deadline(seconds: float) -> _Deadline:
    """Raise ArticleTimeout in this thread when the block (`with deadline(s):`) runs longer
    than `seconds`. Does nothing for `seconds <= 0`, off the main thread, or where there is no
    SIGALRM."""
    return _Deadline(seconds)


def _disarm(timer: _Deadline) -> None:
    # The timer may fire while it is being stopped; stop it again until it is.
    while True:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
            timer.armed = False
            return
        except ArticleTimeout:
            continue
