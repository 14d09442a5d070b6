"""Property: consistent election infoboxes stay silent; one corrupted cell is always found, and
repaired exactly when it is uniquely recoverable.

Seats come from a real apportionment of random votes (one of the three methods, with or
without a threshold the prose states). One cell is corrupted: a party's seats, the seats for
election or the majority. "Uniquely recoverable" is decided by brute force, independently of
the repair search: every single-cell value that satisfies the seat sum, the majority and
non-negativity, narrowed to those matching an apportionment of the votes when any does.
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from extractor.model import Article, Paragraph
from extractor.reconcile import reconcile
from extractor.reconcile.apportion import METHODS, apportion, is_outcome
from extractor.schemas.election import Election, ElectionResult
from extractor.schemas.registry import Records
from extractor.values import TypedValue


def integer(n: int) -> TypedValue:
    return TypedValue(raw=str(n), text=str(n), kind="integer", number=n)


@st.composite
def elections(draw):
    n = draw(st.integers(2, 6))
    votes = draw(st.lists(st.integers(1_000, 400_000), min_size=n, max_size=n))
    seats = draw(st.integers(5, 120))
    method = draw(st.sampled_from(METHODS))
    threshold = draw(st.sampled_from([None, 3, 5, 7]))
    total = sum(votes)
    shares = [round(100 * v / total, 2) for v in votes]
    result = apportion(votes, seats, method, shares, threshold)
    assume(result is not None and not result.tied)
    return votes, shares, list(result.seats), seats, threshold


def build(votes, shares, seat_list, seats_for, majority, threshold):
    rows = [ElectionResult(index=i + 1, party=TypedValue(raw=f"Party {chr(65 + i)}",
                                                         text=f"Party {chr(65 + i)}"),
                           seats=integer(s), votes=integer(v),
                           percentage=TypedValue(raw=f"{p:.2f}%", text=f"{p:.2f}%",
                                                 kind="percent", number=p))
            for i, (v, p, s) in enumerate(zip(votes, shares, seat_list, strict=True))]
    text = f"All {seats_for} seats"
    election = Election(infobox=0, results=rows, majority=integer(majority),
                        seats_for_election=TypedValue(raw=text, text=text, kind="seats_of",
                                                      number=seats_for, total=seats_for))
    prose = (f"Parties must pass the {threshold}% electoral threshold to win seats."
             if threshold else "The election was held on a Sunday.")
    article = Article(doc_id="t#1", title="Election", source="t", format="flat",
                      paragraphs=[Paragraph(text=prose, line=2, end_line=2, section=0)])
    return article, Records(elections=[election])


def survivors(votes, shares, seat_list, seats_for, majority, threshold):
    """Every single-cell change restoring all constraints, narrowed by the apportionment."""
    cells = [("seats", i) for i in range(len(seat_list))] + [("contested", None),
                                                             ("majority", None)]
    feasible = []
    for kind, i in cells:
        for value in range(0, 2 * seats_for + 200):
            s, c, m = list(seat_list), seats_for, majority
            if kind == "seats":
                if value == s[i]:
                    continue
                s[i] = value
            elif kind == "contested":
                if value == c or value == 0:
                    continue
                c = value
            else:
                if value == m:
                    continue
                m = value
            if sum(s) == c and m == c // 2 + 1:
                feasible.append((kind, i, value, tuple(s), c))
    matching = [f for f in feasible
                if any(is_outcome(votes, list(f[3]), m, shares, threshold) for m in METHODS)]
    return matching or feasible


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(elections())
def test_consistent_infobox_has_no_finding_and_no_repair(case):
    votes, shares, seat_list, seats, threshold = case
    recon = reconcile(*build(votes, shares, seat_list, seats, seats // 2 + 1, threshold))
    assert recon.findings == []
    assert recon.repairs == []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(elections(), st.data())
def test_one_corrupted_cell_is_found_and_repaired_when_recoverable(case, data):
    votes, shares, seat_list, seats, threshold = case
    majority = seats // 2 + 1
    target = data.draw(st.sampled_from(["seats", "contested", "majority"]))
    s, c, m = list(seat_list), seats, majority
    if target == "seats":
        i = data.draw(st.integers(0, len(s) - 1))
        s[i] = data.draw(st.integers(0, s[i] + 40).filter(lambda x, old=s[i]: x != old))
        record, field, original = f"election[0].result[{i + 1}]", "seats", seat_list[i]
    elif target == "contested":
        c = data.draw(st.integers(1, seats + 40).filter(lambda x: x != seats))
        record, field, original = "election[0]", "seats_for_election", seats
    else:
        m = data.draw(st.integers(0, seats + 40).filter(lambda x: x != majority))
        record, field, original = "election[0]", "majority", majority
    recon = reconcile(*build(votes, shares, s, c, m, threshold))

    errors = [f for f in recon.findings if f.severity == "error"]
    assert errors, "a corrupted cell must always be found"
    left = survivors(votes, shares, s, c, m, threshold)
    if len(left) == 1:
        assert [(r.record, r.field, r.repaired) for r in recon.repairs] == [
            (record, field, str(original))]
        assert errors[0].status == "repaired"
    else:
        assert recon.repairs == []
        assert all(f.status in ("ambiguous", "open") for f in errors)


# --- legislatures ---------------------------------------------------------------------------

@st.composite
def group_trees(draw):
    """A consistent two-level tree: every parent's seats are its children's sum."""
    from extractor.schemas.legislature import PoliticalGroup

    position = iter(range(100))
    top = []
    for _ in range(draw(st.integers(1, 4))):
        kids = draw(st.lists(st.integers(1, 30), max_size=3))
        children = [PoliticalGroup(name=f"g{k}", seats=s, position=next(position))
                    for k, s in enumerate(kids)]
        seats = sum(kids) if kids else draw(st.integers(1, 30))
        group = PoliticalGroup(name="p", seats=seats, position=next(position), children=[])
        group.children = children
        top.append(group)
    return top


def _walk(groups):
    for g in groups:
        yield g
        yield from _walk(g.children)


def legislature_records(top, members):
    from extractor.schemas.legislature import Legislature

    return Records(legislatures=[Legislature(infobox=0, members=integer(members), groups=top)])


@settings(max_examples=100, deadline=None)
@given(group_trees(), st.data())
def test_group_tree_corruption_is_always_found(top, data):
    members = sum(g.seats for g in top)
    quiet = reconcile(Article(doc_id="t#1", title="L", source="t", format="flat"),
                      legislature_records(top, members))
    assert quiet.findings == [] and quiet.repairs == []
    groups = list(_walk(top))
    target = data.draw(st.integers(-1, len(groups) - 1))
    if target < 0:
        members = data.draw(st.integers(0, members + 20).filter(lambda x, m=members: x != m))
    else:
        g = groups[target]
        g.seats = data.draw(st.integers(0, g.seats + 20).filter(lambda x, s=g.seats: x != s))
    recon = reconcile(Article(doc_id="t#1", title="L", source="t", format="flat"),
                      legislature_records(top, members))
    assert [f for f in recon.findings if f.severity == "error"]
    for repair in recon.repairs:  # whatever is repaired restores every sum
        value = int(repair.repaired)
        if repair.field == "members":
            members = value
        else:
            position = int(repair.record.rsplit("[", 1)[1].rstrip("]"))
            next(g for g in groups if g.position == position).seats = value
    if recon.repairs:
        again = reconcile(Article(doc_id="t#1", title="L", source="t", format="flat"),
                          legislature_records(top, members))
        assert again.findings == []
