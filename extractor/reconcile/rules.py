"""The rule catalogue: every check the reconciler runs, as data.

A rule reports; it never edits. Each entry gives the stable code written to the `findings`
table, its severity, the record fields it reads, a message template (filled with
`str.format` from the values the check observed), the rounding tolerance it allows and a
sentence for the README and the report.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str  # error, warning or info
    fields: tuple[str, ...]
    template: str
    tolerance: str
    description: str


def _rule(code, severity, fields, template, tolerance, description) -> Rule:
    return Rule(code, severity, tuple(fields), template, tolerance, description)


_CATALOGUE = [
    # --- elections -------------------------------------------------------------------------
    _rule("ELECTION_SEAT_SUM", "error", ["seats", "seats_for_election"],
          "The result rows give {observed} seats, but {expected} seats were up for election.",
          "exact (seats are integers)",
          "Seats of all rows exceed the seats for election ('98 of the 107 seats' counts 98, "
          "'All 39 seats' 39), or fall short although the rows cover every party that could "
          "have won a seat (the vote share left over is below the threshold)."),
    _rule("ELECTION_MAJORITY", "error", ["majority", "seats_for_election"],
          "The stated majority is {observed}, but a chamber of {chamber} seats needs {expected}.",
          "exact",
          "Majority = floor(chamber size / 2) + 1."),
    _rule("ELECTION_PERCENT_SUM", "error", ["percentage"],
          "The vote shares add up to {observed}%, more than 100%.",
          "half a unit of the last written decimal per row",
          "Percentages of the rows sum to at most 100."),
    _rule("ELECTION_PERCENT_REST", "info", ["percentage"],
          "The rows cover {observed}% of the vote; {rest}% went to parties not listed.",
          "half a unit of the last written decimal per row",
          "What the vote share left over implies: when it is below the article's threshold "
          "no unlisted party could have won a seat, so the rows must account for every seat."),
    _rule("ELECTION_VOTES_PERCENT", "error", ["votes", "percentage"],
          "Votes and percentages disagree: the rows imply valid-vote totals from {low} to "
          "{high}{outlier}.",
          "each row's percentage +/- half a unit of its last written decimal",
          "Each row's votes / percentage implies the total of valid votes; all rows must imply "
          "the same total within rounding."),
    _rule("ELECTION_SEAT_CHANGE", "error", ["seats", "seat_change", "last_election"],
          "{party}: {seats} seats with a change of {change} imply {observed} seats last time, "
          "but the infobox says {expected}.",
          "exact",
          "Seats - seat change = seats at the last election ('New' counts as 0)."),
    _rule("ELECTION_PREVIOUS_NEGATIVE", "warning", ["seats", "seat_change", "percentage",
                                                    "swing"],
          "{party}: the {what} ({change}) exceeds the {base} ({value}), so the previous "
          "value would be {observed}{hint}.",
          "exact for seats; half a unit of the last decimal for shares",
          "Seats - change and percentage - swing give the previous seats and share, which "
          "cannot be negative."),
    _rule("ELECTION_SIGN_DERIVED", "info", ["seat_change", "swing", "last_election"],
          "{party}: the {what} was written without a sign; the previous value makes it "
          "{observed}.",
          "exact for seats; half a unit of the last decimal for shares",
          "A change or swing whose sign was lost in rendering gets its sign back from the "
          "previous value where the infobox states it."),
    _rule("ELECTION_SEATS_CANDIDATES", "error", ["seats"],
          "{party} won {observed} seats but fielded only {expected} candidates.",
          "exact",
          "A party cannot win more seats than the candidates a table of the article says it "
          "fielded."),
    _rule("ELECTION_PROSE_MAJORITY", "warning", ["seats", "majority"],
          "The prose says {party} won a majority of {claim} seats; the infobox gives "
          "{observed} seats against a majority of {expected}.",
          "exact",
          "A majority claimed in the prose agrees with the party's seats and the majority."),
    _rule("ELECTION_PROSE_CLAIM", "warning", ["seats", "percentage", "seats_for_election"],
          "The prose says {claim}; the infobox gives {observed}.",
          "exact for seats; half a unit of the claim's last decimal for shares",
          "Seat counts and vote shares stated in the lead or the results section agree with "
          "the infobox."),
    # --- legislatures ----------------------------------------------------------------------
    _rule("LEGISLATURE_GROUP_SUM", "error", ["political_groups"],
          "The groups under {group} add up to {observed} seats, but {group} has {expected}.",
          "exact",
          "In the political-group tree every parent's seats equal the sum of its children."),
    _rule("LEGISLATURE_MEMBERS_SUM", "error", ["political_groups", "members"],
          "The top-level groups add up to {observed} seats, but the body has {expected} "
          "members.",
          "exact",
          "The top level of the political-group tree sums to Members."),
    _rule("LEGISLATURE_PROSE_MEMBERS", "warning", ["members"],
          "The prose says the body has {observed} members; the infobox says {expected}.",
          "exact",
          "The number of members stated in the prose agrees with Members."),
    # --- every infobox ---------------------------------------------------------------------
    _rule("INFOBOX_SERIES_GAP", "info", ["*"],
          "Numbered fields jump over {observed}: no field carries that number.",
          "none",
          "Numbered series (party1..N, seats1..N) have no gaps."),
    _rule("INFOBOX_SERIES_DUPLICATE", "warning", ["*"],
          "{observed} are the same numbered field; the last one is used.",
          "none",
          "Two differently written keys of one numbered series (Seats2, seats 2) collide."),
    _rule("INFOBOX_DUPLICATE_KEY", "warning", ["*"],
          "The key {key} appears {count} times; the last value ({observed}) is used, as "
          "MediaWiki does.",
          "none",
          "A key given more than once: the last one wins, as MediaWiki does."),
    _rule("INFOBOX_RESIDUE", "info", ["*"],
          "{key}: rendering residue in {observed}.",
          "none",
          "A value carries rendering residue (an image size, a stray icon) next to its value."),
    _rule("INFOBOX_LOST_VALUE", "warning", ["*"],
          "{key}: the value was lost in rendering; only {observed} remains.",
          "none",
          "A value that rendering replaced by residue alone (an image size without its file)."),
    _rule("INFOBOX_UNTYPED", "warning", ["*"],
          "{key}: {observed} could not be typed as {expected}.",
          "none",
          "A value of a numeric field that failed to type, or whose number is ambiguous."),
    # --- the reconciler itself ------------------------------------------------------------
    _rule("RECONCILE_INTERNAL", "warning", [],
          "A check failed: {observed}.",
          "none",
          "A family of checks met data it could not handle; the other families still ran."),
    # --- tables ----------------------------------------------------------------------------
    _rule("TABLE_TOTAL", "warning", ["*"],
          "Table {table}, column {column}: the rows add up to {observed}, the {label} row "
          "says {expected}.",
          "exact for counts; half a unit of the last decimal per row for shares",
          "A Total (or Valid votes) row equals the sum of the rows above it."),
    _rule("TABLE_INFOBOX_MISMATCH", "warning", ["*"],
          "{party}: the table gives {column} {observed}, the infobox {expected}.",
          "exact for counts and names; half a unit of the last decimal for shares",
          "A table row and the infobox row of the same party agree (leader, seats, votes, "
          "share)."),
]

RULES: dict[str, Rule] = {rule.code: rule for rule in _CATALOGUE}


def render(code: str, **values: object) -> str:
    """The rule's message with `values` filled in; a missing value never raises."""
    template = RULES[code].template
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


def catalogue_rows() -> list[dict[str, str]]:
    """The catalogue as rows, in catalogue order, for the README and the report."""
    return [{"code": r.code, "severity": r.severity, "fields": ", ".join(r.fields),
             "tolerance": r.tolerance, "description": r.description, "message": r.template}
            for r in RULES.values()]
