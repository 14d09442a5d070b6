"""Decoding a text file (flat articles, a `.wiki` page) that may hold bytes that are not text.

A text file is UTF-8 or UTF-16 (a BOM says which; UTF-16 without a BOM is recognised by its
zero bytes all on one side of each pair). A byte that does not decode, and a NUL, becomes
U+FFFD in the text and is remembered with its byte offset and line, so the article holding it can
be marked `partial` instead of the whole file failing or a NUL reaching the output. A file that
is mostly control bytes is binary, and one that is mostly undecodable is in a legacy 8-bit
encoding: both are refused whole (see `verdict`).
"""

from __future__ import annotations

import codecs
import re

_ESCAPE = "extractor-escape"


class _Escapes:
    """How many times the handler below ran, in any thread: a decode call after which this has
    not moved has nothing escaped (the quick path); one after which it has, searches."""

    count = 0


def _escape_bytes(error: UnicodeError) -> tuple[str, int]:
    """Each byte that does not decode becomes the lone surrogate U+DC00+byte: a character no
    valid UTF-8 or UTF-16 decodes to, so it marks the byte in the text, one character a byte."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _Escapes.count += 1
    bad = error.object[error.start:error.end]
    return "".join(chr(0xDC00 + b) for b in bad), error.end


codecs.register_error(_ESCAPE, _escape_bytes)

_BAD = re.compile("[\x00\udc00-\udcff]")  # an escaped byte, or a NUL
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")  # C0 controls other than whitespace
# The same controls as bytes: in UTF-8 each is one byte that is never part of another
# character (nor of the bytes an undecodable sequence spans), so counting them in the bytes
# counts them in the text, in C.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0e, 0x20), 0x7f])
BINARY_SHARE = 0.05  # control bytes in random data: ~11%; in text: none, or a stray few
LEGACY_SHARE = 0.2  # undecodable bytes in Latin-1/CP1251 prose: most letters; in UTF-8: none


def text_encoding(head: bytes) -> tuple[str, int]:
    """The codec of a text file from its first bytes, and the length of its BOM."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8", 3
    if head.startswith(b"\xff\xfe"):
        return "utf-16-le", 2
    if head.startswith(b"\xfe\xff"):
        return "utf-16-be", 2
    sample = head[:4096]
    if b"\x00" not in sample:  # no zero byte: not UTF-16 (the common case, one scan)
        return "utf-8", 0
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    least = max(4, len(sample) // 8)  # a few bytes tell nothing
    if odd >= least and even * 10 < odd:  # "a\0b\0": ASCII in UTF-16-LE
        return "utf-16-le", 0
    if even >= least and odd * 10 < even:
        return "utf-16-be", 0
    return "utf-8", 0


_ESCAPED = re.compile("[\udc00-\udcff]")  # bytes the decoder could not read (see _escape)


def verdict(head: bytes) -> tuple[str, str] | None:
    """(code, message) when the file whose first bytes are `head` is not text, else None."""
    encoding, bom = text_encoding(head)
    body = head[bom:]
    try:  # most files decode: nothing was escaped, so there is nothing to count
        text = codecs.getincrementaldecoder(encoding)().decode(body)
        undecodable = 0
    except UnicodeDecodeError:
        text = codecs.getincrementaldecoder(encoding)(errors=_ESCAPE).decode(body)
        undecodable = len(_ESCAPED.findall(text))
    if not text:
        return None
    if encoding == "utf-8":
        controls = len(body) - len(body.translate(None, _CONTROL_BYTES))
    else:
        controls = len(_CONTROL.findall(text))
    if controls > BINARY_SHARE * len(text):
        return "SOURCE_BINARY", (f"binary content, not text: {controls} control bytes in the "
                                 f"first {len(head)} bytes")
    if undecodable > LEGACY_SHARE * len(text):
        return "SOURCE_NOT_UTF8", (f"not UTF-8 or UTF-16: {undecodable} undecodable bytes in the "
                                   f"first {len(head)} bytes (a legacy encoding? convert it "
                                   "with iconv)")
    return None


def decode_clean(data: bytes, encoding: str, bom: int) -> str | None:
    """`data` (a whole file, its BOM included) decoded when every byte of it decodes and it
    holds no NUL: then `TextDecoder` would give the same text with nothing to note. None when
    it would not (the careful path, which says where each bad byte is, is then needed)."""
    if encoding == "utf-8" and b"\x00" in data:  # in UTF-8 a zero byte is a NUL, always
        return None
    try:
        text = data[bom:].decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if encoding != "utf-8" and "\x00" in text else text


class TextDecoder:
    """Decodes a file block by block. Bad bytes (undecodable, or NUL) become U+FFFD;
    `bad_lines` maps each line holding one to the byte offset of its first, and `bad_bytes`
    counts them. Lines are counted as the readers split them: LF, CR LF and a lone CR."""

    def __init__(self, head: bytes) -> None:
        self.encoding, self.bom = text_encoding(head)
        self.nul_width = 2 if self.encoding.startswith("utf-16") else 1
        self.decoder = codecs.getincrementaldecoder(self.encoding)(errors=_ESCAPE)
        self.fed = 0  # bytes given to decode, the BOM included
        self.line = 1  # line of the next character to decode
        self.after_cr = False  # the text so far ends with CR (its LF may come next)
        self.bad_lines: dict[int, int] = {}
        self.bad_bytes = 0

    def decode(self, data: bytes, final: bool = False) -> str:
        if self.fed == 0 and self.bom:
            self.fed, data = self.bom, data[self.bom:]
        start = self.fed - len(self.decoder.getstate()[0])  # bytes held back are not decoded
        escapes = _Escapes.count
        text = self.decoder.decode(data, final)
        self.fed += len(data)
        if (_Escapes.count != escapes or "\x00" in text) and _BAD.search(text):
            self._note_bad(text, start)
            text = _BAD.sub("\ufffd", text)
        self.line += self._breaks(text)
        if text:
            self.after_cr = text.endswith("\r")
        return text

    def _breaks(self, text: str) -> int:
        joined = 1 if self.after_cr and text.startswith("\n") else 0  # CR | LF across blocks
        if "\r" not in text:
            return text.count("\n") - joined
        return text.count("\n") + text.count("\r") - text.count("\r\n") - joined

    def _note_bad(self, text: str, start: int) -> None:
        offset, line, done = start, self.line, 0
        after_cr = self.after_cr
        for match in _BAD.finditer(text):
            segment = text[done:match.start()]
            offset += len(segment.encode(self.encoding))
            joined = 1 if after_cr and segment.startswith("\n") else 0
            line += (segment.count("\n") + segment.count("\r") - segment.count("\r\n") - joined)
            after_cr = False  # a segment after a bad character does not follow a CR
            self.bad_lines.setdefault(line, offset)
            self.bad_bytes += 1
            offset += self.nul_width if match.group() == "\x00" else 1
            done = match.end()

    def message(self) -> str:
        first = min(self.bad_lines)
        return (f"{self.bad_bytes} byte(s) that are not {self.encoding} text (undecodable, or "
                f"NUL) replaced by U+FFFD; the first at byte {self.bad_lines[first]}")
