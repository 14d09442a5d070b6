"""Claims read from the prose: what is read, who it is about, and what is left alone."""

from __future__ import annotations

from extractor.parse.flat import parse_flat
from extractor.reconcile.prose import extract_claims, threshold_of
from tests.test_reconcile_rules import article

NAMES = ["Nur Otan", "Aq Jol", "People's Party of Kazakhstan"]


def claims_of(*paragraphs, sections=()):
    return [(c.kind, c.number, c.party)
            for c in extract_claims(article(*paragraphs, sections=sections), NAMES)]


def test_election_seed_claims(seed_text):
    art = parse_flat(seed_text("003_722fa157b06a1392.txt"), "seed")[0]
    found = extract_claims(art, NAMES)
    kinds = {(c.kind, c.number, c.party) for c in found}
    assert ("majority_seats", 29, "Nur Otan") in kinds
    assert ("share", 68.1, "Nur Otan") in kinds
    assert ("contested", 39, None) in kinds
    assert threshold_of(found) == 7
    share = next(c for c in found if c.kind == "share")
    assert share.tolerance == 0.05 and share.in_results


def test_legislature_seed_claims(seed_text):
    art = parse_flat(seed_text("000_699f6157ae16f6ee.txt"), "seed")[0]
    members = [c for c in extract_claims(art) if c.kind == "members"]
    assert [(c.number, c.section, c.in_composition) for c in members] == [
        (42, "Composition", True)]  # "consisted of 37 deputies" is history, in the past


def test_party_is_the_nearest_name_before_the_claim():
    assert claims_of("Aq Jol trailed while Nur Otan won 30 seats.") == [
        ("seats", 30, "Nur Otan")]
    assert claims_of("The People's Party of Kazakhstan won 3 seats.") == [
        ("seats", 3, "People's Party of Kazakhstan")]
    assert claims_of("The ruling party won 30 seats.") == [("seats", 30, None)]


def test_one_number_one_claim_and_numbers_with_separators():
    assert claims_of("Nur Otan secured the majority with 1,029 seats.") == [
        ("majority_seats", 1029, "Nur Otan")]
    assert claims_of("A threshold of 5% applies.") == [("threshold", 5, None)]


def test_claims_know_their_section():
    [claim] = extract_claims(article("Aq Jol won 5 seats.", sections=("Background",)), NAMES)
    assert not claim.in_results
    [claim] = extract_claims(article("Aq Jol won 5 seats.", sections=("Results",)), NAMES)
    assert claim.in_results
