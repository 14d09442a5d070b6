"""Seat apportionment from votes with exact fractions: a witness for ranking repairs.

Three methods: largest remainder with the Hare quota, and the highest-averages methods of
D'Hondt (divisors 1, 2, 3, ...) and Sainte-Laguë (1, 3, 5, ...). Parties below the threshold
take no part. Where a tie decides the last seat the result is not unique and `tied` says so:
a witness must then not count against either outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from extractor.errors import UsageError

METHODS = ("largest_remainder", "dhondt", "sainte_lague")
MAX_SEATS = 5000  # beyond any real chamber: a typo must not cost seconds


@dataclass(frozen=True)
class Apportionment:
    method: str
    seats: tuple[int, ...]
    tied: bool = False


def apportion(votes: list[int], seats: int, method: str,
              shares: list[float | None] | None = None,
              threshold: float | None = None) -> Apportionment | None:
    """Seats per party for `votes`; None when the inputs cannot be apportioned.

    `shares` (percent, as written) decide the threshold test where given; otherwise each
    party's share of the listed votes does.
    """
    if seats <= 0 or seats > MAX_SEATS or not votes or any(v < 0 for v in votes):
        return None
    eligible = _eligible(votes, shares, threshold)
    if not any(votes[i] > 0 for i in eligible):
        return None
    pool = [votes[i] if i in eligible else 0 for i in range(len(votes))]
    if method == "largest_remainder":
        result, tied = _largest_remainder(pool, seats)
    elif method == "dhondt":
        result, tied = _highest_averages(pool, seats, step=1)
    elif method == "sainte_lague":
        result, tied = _highest_averages(pool, seats, step=2)
    else:
        raise UsageError(f"unknown apportionment method {method!r}")
    return Apportionment(method, tuple(result), tied)


def apportion_all(votes: list[int], seats: int, shares: list[float | None] | None = None,
                  threshold: float | None = None) -> list[Apportionment]:
    results = [apportion(votes, seats, m, shares, threshold) for m in METHODS]
    return [r for r in results if r is not None]


def is_outcome(votes: list[int], seats: list[int], method: str,
               shares: list[float | None] | None = None,
               threshold: float | None = None) -> bool:
    """Whether `seats` is what `method` gives for `votes` under some way of breaking ties.

    Exact, without enumerating tie-breaks: a divisor method's outcome is one where no party's
    next average beats any party's last awarded one; largest remainder's is one where every
    party has the floor of its quota or one more, and no party left at the floor has a larger
    remainder than a party given one more.
    """
    if (len(seats) != len(votes) or any(s < 0 for s in seats) or any(v < 0 for v in votes)
            or not 0 < sum(seats) <= MAX_SEATS):
        return False
    eligible = _eligible(votes, shares, threshold)
    if any(seats[i] > 0 for i in range(len(votes)) if i not in eligible):
        return False
    pool = [votes[i] if i in eligible else 0 for i in range(len(votes))]
    if not any(pool):
        return False
    if method not in METHODS:
        raise UsageError(f"unknown apportionment method {method!r}")
    if method == "largest_remainder":
        return _is_remainder_outcome(pool, seats)
    step = 1 if method == "dhondt" else 2
    last = [Fraction(v, 1 + step * (s - 1)) for v, s in zip(pool, seats, strict=True) if s > 0]
    following = [Fraction(v, 1 + step * s) for v, s in zip(pool, seats, strict=True)]
    return not last or max(following) <= min(last)


def _is_remainder_outcome(votes: list[int], seats: list[int]) -> bool:
    total, n = sum(votes), sum(seats)
    quotas = [Fraction(v * n, total) for v in votes]
    raised, kept = [], []
    for q, s in zip(quotas, seats, strict=True):
        if s == int(q) + 1:
            raised.append(q - int(q))
        elif s == int(q):
            kept.append(q - int(q))
        else:
            return False
    return not raised or not kept or min(raised) >= max(kept)


def _eligible(votes: list[int], shares: list[float | None] | None,
              threshold: float | None) -> set[int]:
    if not threshold:
        return set(range(len(votes)))
    total = sum(votes)
    eligible = set()
    for i, v in enumerate(votes):
        share = shares[i] if shares and i < len(shares) else None
        if share is None:
            share = float(Fraction(100 * v, total)) if total else 0.0
        if share >= threshold:
            eligible.add(i)
    return eligible


def _largest_remainder(votes: list[int], seats: int) -> tuple[list[int], bool]:
    total = sum(votes)
    quotas = [Fraction(v * seats, total) for v in votes]
    result = [int(q) for q in quotas]  # floor: quotas are non-negative
    left = seats - sum(result)
    order = sorted(range(len(votes)), key=lambda i: (-(quotas[i] - result[i]), -votes[i], i))
    for i in order[:left]:
        result[i] += 1
    tied = False
    if 0 < left < len(order):
        last, first_out = order[left - 1], order[left]
        tied = quotas[last] - int(quotas[last]) == quotas[first_out] - int(quotas[first_out])
    return result, tied


def _highest_averages(votes: list[int], seats: int, step: int) -> tuple[list[int], bool]:
    """Divisors 1 + step*k: step 1 is D'Hondt, step 2 Sainte-Laguë.

    Jump, then step: rounding every party's votes by one divisor (total votes / seats) is
    already the method's allocation for some house size; divisor methods are house
    monotone, so adding the seat with the highest next average (or taking back the one with
    the lowest last average) one at a time reaches the allocation for `seats`.
    """
    total = sum(votes)
    if step == 1:
        result = [v * seats // total for v in votes]
    else:
        result = [(2 * v * seats + total) // (2 * total) for v in votes]

    def average(i: int) -> Fraction:
        return Fraction(votes[i], 1 + step * result[i])

    def last_average(i: int) -> Fraction:
        return Fraction(votes[i], 1 + step * (result[i] - 1))

    while sum(result) < seats:
        best = max(range(len(votes)), key=lambda i: (average(i), votes[i], -i))
        result[best] += 1
    while sum(result) > seats:
        worst = min((i for i in range(len(votes)) if result[i] > 0),
                    key=lambda i: (last_average(i), votes[i], -i))
        result[worst] -= 1
    # the seat after the last: a tie with the last seat awarded means the result is not unique
    last_awarded = min(Fraction(votes[i], 1 + step * (result[i] - 1))
                       for i in range(len(votes)) if result[i] > 0)
    next_best = max(average(i) for i in range(len(votes)))
    return result, next_best == last_awarded and next_best > 0
