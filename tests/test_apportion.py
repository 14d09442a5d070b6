from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.errors import ExtractorError
from extractor.reconcile.apportion import METHODS, apportion, apportion_all, is_outcome

# A textbook case where the three methods part ways.
VOTES = [100_000, 80_000, 30_000, 20_000]


@pytest.mark.parametrize(("method", "expected"), [
    ("dhondt", (4, 3, 1, 0)),
    ("sainte_lague", (3, 3, 1, 1)),
    ("largest_remainder", (3, 3, 1, 1)),
])
def test_textbook_example(method, expected):
    result = apportion(VOTES, 8, method)
    assert result.seats == expected and not result.tied


def test_seed_votes_with_the_stated_threshold():
    votes, shares = [218003, 32367, 24591, 23388], [68.11, 10.11, 7.68, 7.31]
    for result in apportion_all(votes, 39, shares, threshold=7):
        assert result.seats == (29, 4, 3, 3)


def test_threshold_excludes_parties_by_their_share():
    result = apportion([600, 300, 100], 10, "largest_remainder", [60.0, 30.0, 4.0],
                       threshold=5)
    assert result.seats == (7, 3, 0)
    # without written shares, the share of the listed votes decides
    assert apportion([600, 300, 40], 10, "dhondt", threshold=5).seats[2] == 0


def test_ties_are_reported_not_hidden():
    assert apportion([100, 100], 1, "dhondt").tied
    assert apportion([100, 100], 1, "sainte_lague").tied
    assert apportion([100, 100, 100], 2, "largest_remainder").tied
    assert not apportion([100, 100], 2, "dhondt").tied


@pytest.mark.parametrize("votes, seats", [([], 5), ([10, 20], 0), ([0, 0], 3), ([-1, 5], 2),
                                          ([10, 20], 10**6)])
def test_inputs_that_cannot_be_apportioned(votes, seats):
    assert apportion_all(votes, seats) == []


def test_unknown_method_is_a_usage_error():
    with pytest.raises(ExtractorError):
        apportion([1, 2], 3, "webster")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=8), st.integers(1, 120))
def test_every_method_hands_out_every_seat_monotonically(votes, seats):
    if not any(votes):
        return
    for method in METHODS:
        result = apportion(votes, seats, method)
        assert sum(result.seats) == seats
        assert is_outcome(votes, list(result.seats), method)
        for i in range(len(votes)):
            for j in range(len(votes)):
                if votes[i] > votes[j]:
                    assert result.seats[i] >= result.seats[j]
    # largest remainder stays within one seat of each exact quota
    total = sum(votes)
    lr = apportion(votes, seats, "largest_remainder").seats
    for v, s in zip(votes, lr, strict=True):
        quota = Fraction(v * seats, total)
        assert int(quota) <= s <= int(quota) + 1


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 300), min_size=1, max_size=4), st.integers(1, 7),
       st.sampled_from([None, 10.0]))
def test_is_outcome_accepts_exactly_the_tie_breaks(votes, seats, threshold):
    """Brute force over every seat vector: the accepted ones are the method's result, plus
    others only where the result is tied."""
    if not any(votes):
        return
    vectors = _vectors(len(votes), seats)
    for method in METHODS:
        result = apportion(votes, seats, method, threshold=threshold)
        if result is None:
            continue
        accepted = [v for v in vectors if is_outcome(votes, list(v), method,
                                                     threshold=threshold)]
        assert result.seats in accepted
        if not result.tied:
            assert accepted == [result.seats]


def _vectors(n: int, total: int) -> list[tuple[int, ...]]:
    if n == 1:
        return [(total,)]
    return [(first, *rest) for first in range(total + 1) for rest in _vectors(n - 1, total - first)]
