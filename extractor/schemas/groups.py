"""Political groups of a legislature, as a tree.

Wikitext keeps the nesting (the wikitext parser hands it over as a `tree` hint). The flat format
loses it: `Government (25), Amanat (25), Support (17), Respublica (5), ...` is the tree flattened
in pre-order. `infer_tree` recovers the nesting from the seat counts alone: a group with children
has exactly as many seats as its children together, and the top level adds up to the members of
the body when that number is known.

Among all nestings that satisfy the sums, the most nested one is taken (a parent followed by
groups adding up to it is read as holding them), and only when it is the only most nested one;
otherwise the list stays flat and a flag says why. Groups with zero or unknown seats never nest:
a zero sum says nothing about membership.
"""

from __future__ import annotations

import json
import re

from extractor.schemas.legislature import PoliticalGroup
from extractor.values import TypedValue

# Flags (stable codes) describing how the tree was obtained.
AMBIGUOUS = "group_tree_ambiguous"
SUM_MISMATCH = "group_sum_mismatch"
TOTAL_UNKNOWN = "group_total_unknown"
COUNTS_MISSING = "group_counts_missing"
TOO_MANY = "group_tree_too_large"

_MAX_GROUPS = 60  # beyond this the search is skipped (no real body lists that many groups)
_ITEM = re.compile(r"^\s*(?P<name>.*?)\s*\(\s*(?P<count>\d[\d,]*)\s*(?:seats?)?\s*\)\s*$")
_NEG_INF = float("-inf")
_EMPTY_PARENS = re.compile(r"\s*\(\s*\)\s*$")  # a count whose template did not render


def groups_from_value(value: TypedValue, hints: dict[str, str] | None = None,
                      total: int | None = None) -> tuple[list[PoliticalGroup], list[str]]:
    """The group tree of one `political_groups` value, and flags about how it was built."""
    tree = (hints or {}).get("tree")
    if tree:
        roots = _groups_from_tree_hint(tree)
        if roots is not None:
            return roots, []
    items = _items_of(value)
    if not items:
        return [], []
    return infer_tree(items, total)


def _items_of(value: TypedValue) -> list[tuple[str, int | None]]:
    """(name, seats) per listed group: from a count_list value, else by splitting the text."""
    if value.kind == "count_list" and value.parts:
        return [(p.text.strip(), _as_int(p.number)) for p in value.parts if p.text.strip()]
    text = value.text or value.raw or ""
    items: list[tuple[str, int | None]] = []
    for piece in _split_top_level(text):
        m = _ITEM.match(piece)
        if m:
            items.append((m.group("name"), int(m.group("count").replace(",", ""))))
        elif piece.strip():
            items.append((piece.strip(), None))
    return items


def _split_top_level(text: str) -> list[str]:
    """Split on commas, semicolons and newlines that are not inside parentheses
    (`1,234` inside `(…)` stays whole)."""
    pieces: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch in ",;\n" and depth == 0:
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
    pieces.append("".join(current))
    return [p.strip(" *•\t") for p in pieces if p.strip(" *•\t")]


def _as_int(number: float | None) -> int | None:
    if number is None or number != number:  # NaN
        return None
    return int(round(number))


def _groups_from_tree_hint(tree: str) -> list[PoliticalGroup] | None:
    try:
        data = json.loads(tree)
    except (ValueError, TypeError):
        return None
    if not isinstance(data, list):
        return None
    counter = [0]

    def build(node: object) -> PoliticalGroup | None:
        if not isinstance(node, dict):
            return None
        group = PoliticalGroup.model_construct(
            name=_EMPTY_PARENS.sub("", str(node.get("name", ""))).strip(),
            seats=_seats_of(node.get("seats")), children=[], position=counter[0], inferred=False)
        counter[0] += 1
        for child in node.get("children") or []:
            built = build(child)
            if built is not None:
                group.children.append(built)
        return group

    roots = [build(node) for node in data]
    return [r for r in roots if r is not None]


def _seats_of(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _as_int(float(value))
    if isinstance(value, str) and value.strip().replace(",", "").isdigit():
        return int(value.strip().replace(",", ""))
    return None


def infer_tree(items: list[tuple[str, int | None]],
               total: int | None = None) -> tuple[list[PoliticalGroup], list[str]]:
    """Nest groups listed in pre-order by their seat sums. Returns the top level and flags."""
    flat = [_group(name, seats, i) for i, (name, seats) in enumerate(items)]
    if len(items) < 2:
        return flat, []
    counts = tuple(seats for _, seats in items if seats is not None)
    if len(counts) < len(items):
        return flat, [COUNTS_MISSING]
    if len(items) > _MAX_GROUPS:
        return flat, [TOO_MANY]
    flags: list[str] = []
    found = _best_forest(counts, total) if total is not None else None
    if total is not None and found is None:
        flags.append(SUM_MISMATCH)
    if found is None:
        found = _best_forest(counts, None)
    if found is None:  # cannot happen (flat is always valid unconstrained); stay safe
        return flat, flags
    score, ways, parents = found
    if ways > 1:
        return flat, flags + [AMBIGUOUS]
    if score == 0:
        return flat, flags
    if total is None:
        flags.append(TOTAL_UNKNOWN)
    return _assemble(flat, parents), flags


def _group(name: str, seats: int | None, position: int) -> PoliticalGroup:
    return PoliticalGroup.model_construct(name=name, seats=seats, children=[],
                                          position=position, inferred=False)


def _assemble(groups: list[PoliticalGroup],
              parents: tuple[int | None, ...]) -> list[PoliticalGroup]:
    roots = []
    for group, parent in zip(groups, parents, strict=True):
        group.inferred = True
        if parent is None:
            roots.append(group)
        else:
            groups[parent].children.append(group)
    return roots


def _best_forest(counts: tuple[int, ...], total: int | None):
    """(depth score, number of best nestings capped at 2, parent of each group) for the most
    nested valid reading of `counts`, or None when no reading satisfies the sums."""
    search = _NestingSearch(counts)
    score, ways, _ = search.forest(0, len(counts), total)
    if score == _NEG_INF:
        return None
    parents: list[int | None] = [None] * len(counts)
    search.rebuild_forest(0, len(counts), total, None, parents)
    return int(score), ways, tuple(parents)


class _NestingSearch:
    """Dynamic programme over slices of the pre-order list.

    A forest over counts[i:j] is scored by the sum of its nodes' depths (top level = 0). Scores
    decompose: a tree rooted at i over [i, k) scores (k - i - 1) + score(children forest), every
    descendant sitting one level below the root. Only the best split is kept per state (with a
    count of equally good ones, capped at 2); the parents are rebuilt from the splits at the end.
    """

    def __init__(self, counts: tuple[int, ...]) -> None:
        self.counts = counts
        self.forests: dict[tuple[int, int, int | None], tuple[float, int, int]] = {}
        self.trees: dict[tuple[int, int], tuple[float, int]] = {}

    def forest(self, i: int, j: int, need: int | None) -> tuple[float, int, int]:
        """(score, ways, end of the first tree) for counts[i:j] read as a forest whose top
        level sums to `need` (None: any sum)."""
        if i == j:
            return (0, 1, j) if need in (None, 0) else (_NEG_INF, 0, j)
        key = (i, j, need)
        found = self.forests.get(key)
        if found is not None:
            return found
        best: tuple[float, int, int] = (_NEG_INF, 0, j)
        rest_need = None if need is None else need - self.counts[i]
        if rest_need is None or rest_need >= 0:
            for k in range(i + 1, j + 1):
                tree_score, tree_ways = self.tree(i, k)
                if tree_score == _NEG_INF:
                    continue
                rest_score, rest_ways, _ = self.forest(k, j, rest_need)
                if rest_score == _NEG_INF:
                    continue
                score, ways = tree_score + rest_score, min(2, tree_ways * rest_ways)
                if score > best[0]:
                    best = (score, ways, k)
                elif score == best[0]:
                    best = (score, min(2, best[1] + ways), best[2])
        self.forests[key] = best
        return best

    def tree(self, i: int, k: int) -> tuple[float, int]:
        """(score, ways) for counts[i:k] read as one tree rooted at i."""
        if k == i + 1:
            return (0, 1)
        key = (i, k)
        found = self.trees.get(key)
        if found is not None:
            return found
        counts = self.counts
        if counts[i] <= 0 or counts[k - 1] <= 0 or any(c <= 0 for c in counts[i + 1:k]):
            result: tuple[float, int] = (_NEG_INF, 0)
        else:
            score, ways, _ = self.forest(i + 1, k, counts[i])
            result = (_NEG_INF, 0) if score == _NEG_INF else (score + (k - i - 1), ways)
        self.trees[key] = result
        return result

    def rebuild_forest(self, i: int, j: int, need: int | None, parent: int | None,
                       parents: list[int | None]) -> None:
        while i < j:
            k = self.forest(i, j, need)[2]
            parents[i] = parent
            if k > i + 1:
                self.rebuild_forest(i + 1, k, self.counts[i], i, parents)
            need = None if need is None else need - self.counts[i]
            i = k


def flatten_groups(roots: list[PoliticalGroup]) -> list[tuple[PoliticalGroup, int | None, int]]:
    """Pre-order walk: (group, parent position, depth) for every group of the tree."""
    out: list[tuple[PoliticalGroup, int | None, int]] = []

    def walk(group: PoliticalGroup, parent: int | None, depth: int) -> None:
        out.append((group, parent, depth))
        for child in group.children:
            walk(child, group.position, depth + 1)

    for root in roots:
        walk(root, None, 0)
    return out
