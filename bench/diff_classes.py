"""Normalisation, the named classes of disagreement with wtf_wikipedia, and the report.

A class says what differs and on whom it is: `peer` (wtf_wikipedia's behaviour, explained and
kept), `ours` (a defect of this project to fix), or `both` (a convention where neither is wrong).
The classes were found by reading the disagreements on the corpus; `other` collects the rest.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_SPACE = re.compile(r"\s+")
_FLAGS = re.compile("[\U0001F1E6-\U0001F1FF]+")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
_TEMPLATE_NAME = re.compile(r"\{\{\s*([^|{}]+?)\s*(?:\||\}\})")
_COORD = re.compile(r"\{\{\s*coord", re.IGNORECASE)
_DATE = re.compile(r"\{\{\s*(birth|death|start|end|film|dts|date|age)[^|}]*", re.IGNORECASE)
_FILE = re.compile(r"\[\[\s*(file|image|datei|fichier|bild|archivo|imagen|файл)\s*:", re.IGNORECASE)
_NOTES = re.compile(r"<ref|\{\{\s*(efn|refn|sfn|r\||ref|cite|note)", re.IGNORECASE)

CLASS_NOTES: dict[str, tuple[str, str]] = {
    "peer_drops_empty_values": (
        "peer", "wtf_wikipedia leaves out keys whose value is empty; ours keeps them (empty "
        "text), so no raw key is lost"),
    "key_case_differs": (
        "peer", "wtf_wikipedia lower-cases keys (and keeps them otherwise); ours keeps the key "
        "as written in `key_raw` (compared case-insensitively here)"),
    "ours_nested_infobox": (
        "both", "an infobox embedded in another (`embed=yes`, `module=`): ours gives it its own "
        "entry with `parent`; wtf_wikipedia merges its fields into the outer box or drops it"),
    "ours_only_infobox": ("ours", "ours reads an infobox the peer does not see"),
    "peer_only_infobox": (
        "peer", "wtf_wikipedia counts as an infobox a template ours does not (see templates)"),
    "infobox_boundaries_differ": (
        "both", "the key is there on the other side but in another infobox of the article "
        "(nested/merged boxes are split differently)"),
    "ours_only_key": ("ours", "a non-empty key ours reads and the peer does not"),
    "peer_only_key": ("peer", "a key the peer reads and ours does not"),
    "peer_drops_positional_parameters": (
        "peer", "an unnamed parameter (`|value|` without a key, read as key 1, 2 ...): ours keeps "
        "it, wtf_wikipedia drops it"),
    "peer_drops_template_values": (
        "peer", "a value made of a template wtf_wikipedia renders to nothing, so it drops the "
        "key; ours keeps the key with its rendering (or the template source)"),
    "ours_drops_file_link": (
        "ours", "`[[File:...]]` in the value: ours renders it to nothing, the peer keeps the "
        "file name (or the caption): an `image`/`logo` value is lost in `text` (still in `raw`)"),
    "peer_counts_header_rows": (
        "peer", "rows made only of header cells after the first (sub-headings, a second header "
        "line): ours marks them as headers, wtf_wikipedia emits them as data rows"),
    "table_row_width_differs": (
        "both", "a paired row with another number of cells: colspan/rowspan expanded by the "
        "peer, or header keys collapsed (JS objects also reorder integer-like keys)"),
    "peer_reads_tables_in_pre_nowiki": (
        "peer", "wtf_wikipedia parses table markup inside <pre>/<nowiki> (examples shown as "
        "code on a help page); MediaWiki shows it as text and ours does not read it"),
    "table_content_differs": (
        "both", "tables paired by their order only: their cells share too little text"),
    "ours_empty_value": ("ours", "ours renders the value to nothing where the peer has text"),
    "peer_empty_value": ("peer", "the peer renders the value to nothing where ours has text"),
    "ours_template_source_left": (
        "ours", "ours leaves template markup (`{{...}}`) in the plain text: a template the "
        "renderer does not know, kept raw"),
    "ours_html_left": ("ours", "ours leaves an HTML tag in the plain text"),
    "peer_flag_emoji": (
        "peer", "wtf_wikipedia renders {{flag}}/{{flagicon}} as flag emoji; ours renders the "
        "country name only"),
    "punctuation_or_separators": (
        "both", "the same words, other punctuation: list separators ({{hlist}} ` · `), bullets "
        "kept by the peer (`* `), commas, brackets"),
    "coordinates_format": (
        "both", "{{coord}}: ours gives signed decimal degrees, the peer degrees with N/S/E/W "
        "(the peer writes W for east longitudes)"),
    "date_template_format": (
        "both", "date templates ({{birth date}}, {{start date}} ...): a different date format "
        "(ours honours df=y; the peer writes Month D, YYYY)"),
    "refs_or_notes": ("both", "references or notes inside the value are cut differently"),
    "escaped_pipe": ("peer", "the value holds {{!}}: the peer cuts the value there"),
    "peer_has_more_text": ("ours", "the peer's text contains ours and more: ours drops a part"),
    "ours_has_more_text": ("peer", "ours contains the peer's text and more: the peer drops a part"),
    "template_rendered_differently": (
        "both", "a template in the value rendered to other text (see the template names)"),
    "link_rendered_differently": ("both", "a link rendered to other text"),
    "other": ("?", "not classified: read the examples"),
    "peer_only_table": ("peer", "a table the peer reads and ours does not"),
    "ours_only_table": ("ours", "a wikitable ours reads that the peer does not pair with"),
    "ours_results_template": (
        "ours", "an election-results template ours reads as a table; wtf_wikipedia reads only "
        "`{| |}` tables"),
    "table_rows_more_ours": ("both", "paired tables where ours has more data rows"),
    "table_rows_more_peer": ("both", "paired tables where the peer has more data rows"),
    "peer_missing_article": ("peer", "the peer's dump has no line for this file"),
}


def norm_text(value: str | None) -> str:
    """Plain text for comparison: NFC, no-break spaces as spaces, whitespace collapsed."""
    text = unicodedata.normalize("NFC", value or "").replace("\u00a0", " ")
    return _SPACE.sub(" ", text).strip()


def norm_key(key: str) -> str:
    return _SPACE.sub(" ", key.replace("_", " ")).strip().casefold()


def norm_template(name: str) -> str:
    name = _SPACE.sub(" ", name.replace("_", " ")).strip().casefold()
    for prefix in ("template:", "infobox"):
        if name.startswith(prefix):
            name = name[len(prefix):].strip()
    return name


def bare(text: str) -> str:
    return _ALNUM.sub("", text).casefold()


def first_template(raw: str) -> str:
    match = _TEMPLATE_NAME.search(raw)
    return match.group(1).strip().casefold() if match else ""


def classify_value(ours: str, theirs: str, raw: str) -> str:
    """The class of a value that differs (both texts normalised)."""
    if "{{" in ours or "}}" in ours:
        return "ours_template_source_left"
    if _FLAGS.search(theirs):
        return "peer_flag_emoji"
    if _FILE.search(raw) and (not ours or bare(ours) in bare(theirs)):
        return "ours_drops_file_link"
    if not ours:
        return "ours_empty_value"
    if not theirs:
        return "peer_empty_value"
    if _TAG.search(ours):
        return "ours_html_left"
    if bare(ours) == bare(theirs):
        return "punctuation_or_separators"
    if _COORD.search(raw):
        return "coordinates_format"
    if _DATE.search(raw):
        return "date_template_format"
    if "{{!}}" in raw:
        return "escaped_pipe"
    if bare(ours) in bare(theirs):
        return "peer_has_more_text"
    if bare(theirs) in bare(ours):
        return "ours_has_more_text"
    if _NOTES.search(raw):
        return "refs_or_notes"
    if "{{" in raw:
        return "template_rendered_differently"
    if "[[" in raw:
        return "link_rendered_differently"
    return "other"


def classify_key_only(side: str, field: dict, key: str, others: list[dict]) -> str:
    """The class of a key found on one side only; `others` are the other side's infoboxes."""
    if side == "ours" and not field["text"]:
        return "peer_drops_empty_values"
    if any(key in box["fields"] for box in others):
        return "infobox_boundaries_differ"
    if side == "peer":
        return "peer_only_key"
    if key.isdigit():
        return "peer_drops_positional_parameters"
    if "{{" in field["raw"]:
        return "peer_drops_template_values"
    return "ours_only_key"


class Report:
    """Counts, classes with examples, and the totals ours vs the peer's."""

    def __init__(self, examples: int = 3) -> None:
        self.examples = examples
        self.classes: dict[str, dict] = {}
        self.counts: Counter = Counter()
        self.totals: dict[str, int] = {}

    def explained(self, total: str, n: int) -> None:
        """`n` of the peer's `total` come from a class explained as the peer's behaviour."""
        self.totals[f"{total}_explained"] = self.totals.get(f"{total}_explained", 0) + n

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] += n

    def add(self, cls: str, article: str, **example) -> None:
        entry = self.classes.setdefault(cls, {"count": 0, "examples": [], "by": Counter()})
        entry["count"] += 1
        detail = example.get("template") or example.get("kind") or article
        raw = example.get("raw") or ""
        if "{{" in raw and not cls.startswith("peer_drops_empty"):
            detail = "{{" + first_template(raw) + "}}"
        if detail:
            entry["by"][detail] += 1
        articles = {e["article"] for e in entry["examples"]}
        if len(entry["examples"]) < self.examples and article not in articles:
            entry["examples"].append({"article": article, **example})

    def totals_add(self, ours: dict, theirs: dict) -> None:
        for side, view in (("ours", ours), ("peer", theirs)):
            boxes, tables = view["infoboxes"], view["tables"]
            add = {
                f"{side}_infoboxes": len(boxes),
                f"{side}_nonempty_values": sum(
                    1 for b in boxes for f in b["fields"].values() if f["text"]),
                f"{side}_tables": len(tables),
                f"{side}_table_rows": sum(len(t["rows"]) for t in tables),
            }
            if side == "ours":
                wikitables = [t for t in tables if t.get("kind") == "wikitable"]
                add["ours_wikitables"] = len(wikitables)
                add["ours_wikitable_rows"] = sum(len(t["rows"]) for t in wikitables)
            for key, value in add.items():
                self.totals[key] = self.totals.get(key, 0) + value
        self.totals["articles"] = self.totals.get("articles", 0) + 1

    def to_json(self) -> dict:
        return {
            "totals": self.totals,
            "counts": dict(self.counts),
            "classes": {
                cls: {"on": CLASS_NOTES.get(cls.removeprefix("cell_"), ("?", ""))[0],
                      "note": CLASS_NOTES.get(cls.removeprefix("cell_"), ("?", ""))[1],
                      "count": e["count"], "top": e["by"].most_common(8),
                      "examples": e["examples"]}
                for cls, e in sorted(self.classes.items(), key=lambda kv: -kv[1]["count"])
            },
        }

    def to_markdown(self) -> str:
        data = self.to_json()
        t = data["totals"]
        lines = ["# Disagreements with wtf_wikipedia", "",
                 f"{t.get('articles', 0)} articles. Values compared: "
                 f"{self.counts['values_compared']}, equal after normalisation: "
                 f"{self.counts['values_equal']}; table cells compared (paired rows): "
                 f"{self.counts['cells_compared']}, equal: {self.counts['cells_equal']}.", "",
                 "| total | ours | wtf_wikipedia |", "| --- | ---: | ---: |"]
        for label, key in (("infoboxes", "infoboxes"), ("non-empty infobox values",
                           "nonempty_values"), ("tables", "tables"),
                           ("table data rows", "table_rows")):
            lines.append(f"| {label} | {t.get('ours_' + key, 0)} | {t.get('peer_' + key, 0)} |")
        lines.append(f"| of which `{{\\| \\|}}` wikitables / their rows | "
                     f"{t.get('ours_wikitables', 0)} / {t.get('ours_wikitable_rows', 0)} | |")
        if "peer_table_rows_explained" in t:
            lines.append(f"| table data rows, without the peer's header rows and `<pre>` "
                         f"tables | {t.get('ours_table_rows', 0)} | "
                         f"{t.get('peer_table_rows', 0) - t['peer_table_rows_explained']} |")
        if "typed_nonempty_values" in t:
            lines.append(f"| after typing: non-empty values / table rows | "
                         f"{t['typed_nonempty_values']} / {t.get('typed_table_rows', 0)} | |")
        lines += ["", "| class | on | count | most frequent in | what it is |",
                  "| --- | --- | ---: | --- | --- |"]
        for cls, e in data["classes"].items():
            top = ", ".join(f"{name} ({n})" for name, n in e["top"][:4]).replace("|", "\\|")
            note = e["note"].replace("|", "\\|")
            lines.append(f"| `{cls}` | {e['on']} | {e['count']} | {top} | {note} |")
        lines += ["", "## Examples", ""]
        for cls, e in data["classes"].items():
            lines.append(f"### `{cls}` ({e['count']})")
            for ex in e["examples"]:
                shown = {k: v for k, v in ex.items() if k != "article"}
                lines.append(f"- {ex['article']}: `{shown}`".replace("\n", " "))
            lines.append("")
        return "\n".join(lines)
