"""Numeric claims read from an article's prose: independent witnesses for the checks.

"won majority of 29 seats", "composed of 42 deputies", "won 68.1% of the vote",
"to elect 39 deputies", "the 7% electoral threshold". A claim names the party mentioned
nearest before it in the same sentence, where one of the known names appears there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.model import Article
from extractor.reconcile.numbers import fold, half_unit
from extractor.values import TypedValue

_N = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)"
_SHARE = r"(?P<n>\d{1,2}(?:\.\d+)?)\s?%"
_BODY = (r"(?:deputies|members|seats|councillors|councilors|senators|representatives|MPs|"
         r"delegates|legislators|assemblymen)")

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("majority_seats", re.compile(rf"\bmajority\s+(?:of\s+)?{_N}\s+seats", re.I)),
    ("majority_seats", re.compile(rf"\bmajority\b[^.;]{{0,30}}?\bwith\s+{_N}\s+seats", re.I)),
    ("seats", re.compile(rf"\b(?:won|wins|winning|secured|securing|took|taking|obtained|"
                         rf"obtaining|captured|capturing)\s+(?:a\s+total\s+of\s+|only\s+|"
                         rf"just\s+)?{_N}\s+seats", re.I)),
    ("share", re.compile(rf"{_SHARE}\s+of\s+the\s+(?:popular\s+|total\s+|valid\s+)?votes?\b",
                         re.I)),
    ("members", re.compile(rf"\b(?:is|are)\s+(?:currently\s+)?(?:composed|made\s+up|formed)"
                           rf"\s+of\s+{_N}\s+{_BODY}", re.I)),
    ("members", re.compile(rf"\b(?:consists|comprises|currently\s+has|has\s+a\s+total\s+of|"
                           rf"has)\s+(?:of\s+)?{_N}\s+{_BODY}", re.I)),
    ("contested", re.compile(rf"\belect(?:s|ing)?\s+(?:all\s+)?(?:the\s+)?{_N}\s+{_BODY}",
                             re.I)),
    ("contested", re.compile(rf"\b{_N}\s+seats\s+(?:were\s+)?(?:up\s+for\s+election|"
                             rf"contested)", re.I)),
    ("threshold", re.compile(rf"{_SHARE}\s+(?:[\w-]+\s+){{0,2}}threshold", re.I)),
    ("threshold", re.compile(rf"threshold\s+of\s+{_SHARE}", re.I)),
]
_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_RESULT_SECTIONS = re.compile(r"result|outcome|aftermath|summary", re.I)
_COMPOSITION_SECTIONS = re.compile(r"composition|structure|membership|members|seats", re.I)


@dataclass(frozen=True)
class Claim:
    kind: str  # majority_seats, seats, share, members, contested, threshold
    number: float
    party: str | None  # the known name mentioned nearest before the claim
    sentence: str
    line: int | None
    section: str  # title of the section ("" for the lead)
    tolerance: float  # half a unit of the claim's last decimal (0 for counts)

    def as_evidence(self) -> dict:
        number = int(self.number) if float(self.number).is_integer() else self.number
        return {"kind": self.kind, "number": number, "party": self.party,
                "text": self.sentence, "line": self.line, "section": self.section}

    @property
    def in_results(self) -> bool:
        """Stated in the lead or a results section: about this election, not an earlier one."""
        return self.section == "" or bool(_RESULT_SECTIONS.search(self.section))

    @property
    def in_composition(self) -> bool:
        return self.section == "" or bool(_COMPOSITION_SECTIONS.search(self.section))


def extract_claims(article: Article, names: list[str] | tuple[str, ...] = ()) -> list[Claim]:
    """Every claim in the article's paragraphs and bullet items, in source order."""
    titles = [s.title for s in article.sections]
    folded_names = [(fold(n), n) for n in names if n and len(n.strip()) > 1]
    claims: list[Claim] = []
    blocks = [(p.text, p.line, p.section) for p in article.paragraphs]
    blocks += [(i.text, i.line, lst.section) for lst in article.lists for i in lst.items]
    for text, line, section in blocks:
        title = titles[section] if 0 <= section < len(titles) else ""
        if not _DIGIT.search(text):
            continue  # every claim holds a number written in digits
        for sentence in _SENTENCE_END.split(text):
            claims.extend(_claims_in(sentence, line, title, folded_names))
    return claims


def _claims_in(sentence: str, line: int, section: str,
               names: list[tuple[str, str]]) -> list[Claim]:
    found: list[Claim] = []
    taken: list[tuple[int, int]] = []
    if not _DIGIT.search(sentence):
        return found
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            span = m.span("n")
            if any(a <= span[0] < b for a, b in taken):
                continue  # one number, one claim: the first (most specific) pattern wins
            taken.append(span)
            raw = m.group("n")
            number = float(raw.replace(",", ""))
            tolerance = half_unit(TypedValue(raw=raw, text=raw)) if "." in raw else 0.0
            party = _party_before(sentence, m.start(), names)
            found.append(Claim(kind, number, party, sentence.strip(), line, section, tolerance))
    return found


def _party_before(sentence: str, end: int, names: list[tuple[str, str]]) -> str | None:
    """The known name whose mention ends nearest before `end` (longest on a tie)."""
    head = fold(sentence[:end])
    best: tuple[int, int, str] | None = None
    for folded, name in names:
        for m in re.finditer(rf"(?<!\w){re.escape(folded)}(?!\w)", head):
            key = (m.end(), len(folded), name)
            if best is None or key[:2] > best[:2]:
                best = key
    return best[2] if best else None


def threshold_of(claims: list[Claim]) -> float | None:
    """The electoral threshold the article states (the first one, as a percentage)."""
    for claim in claims:
        if claim.kind == "threshold" and 0 < claim.number < 50:
            return claim.number
    return None
