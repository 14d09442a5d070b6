"""JSON text of the lists of strings the hints and rows hold, written without `json.dumps`.

`json.dumps(items, ensure_ascii=False)` runs as interpreted Python (its arguments build a
`JSONEncoder` each call, whose `encode` then builds the C encoder): a few microseconds for
lists that are mostly one or two short strings, thousands of them on every 10 MB of a dump.
The C function that escapes one string for it (`json.encoder.encode_basestring`) is called
here directly, so the text is the same, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from json.encoder import encode_basestring


def json_strings(items: Sequence[object]) -> str:
    """`json.dumps(items, ensure_ascii=False)`, for a list of str (anything else: json.dumps)."""
    texts = []
    for item in items:
        if not isinstance(item, str):
            return json.dumps(items, ensure_ascii=False)
        texts.append(encode_basestring(item))
    return "[" + ", ".join(texts) + "]"
