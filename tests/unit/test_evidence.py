"""The report's statistics, against results worked out by hand (exact binomial sums)."""

from __future__ import annotations

from math import comb

import pytest

from kiosk.core import evidence


def tail_at_most(k: int, n: int, p: float) -> float:
    return sum(comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1))


def test_fourteen_better_three_worse_matches_the_hand_worked_sign_test() -> None:
    result = evidence.sign_test(14, 3)
    assert result is not None
    # Two-sided: twice the chance of 3 or fewer "worse" in 17 fair coin tosses,
    # 2 * (1 + 17 + 136 + 680) / 2**17 = 1668 / 131072.
    assert result.p_value == pytest.approx(1668 / 131072, rel=1e-12)
    assert result.share_better == pytest.approx(14 / 17)
    # Clopper-Pearson: at the lower bound 14 or more of 17 has chance 2.5%; at the upper
    # bound 14 or fewer has chance 2.5%.
    assert 1 - tail_at_most(13, 17, result.low) == pytest.approx(0.025, abs=1e-9)
    assert tail_at_most(14, 17, result.high) == pytest.approx(0.025, abs=1e-9)
    assert 0.56 < result.low < 0.57 and 0.96 < result.high < 0.97


def test_a_balanced_split_is_no_evidence_of_a_shift() -> None:
    result = evidence.sign_test(8, 8)
    assert result is not None and result.p_value == pytest.approx(1.0)


def test_too_few_who_changed_gets_no_p_value_but_how_many_more_are_needed() -> None:
    assert evidence.sign_test(6, 3) is None  # 9 changed: under the threshold
    assert evidence.sign_test(7, 3) is not None
    needed = evidence.changed_needed()
    assert evidence.more_needed(9) == needed - 9 and evidence.more_needed(needed + 5) == 0


def power_at(n: int, share: float = 0.7) -> float:
    """The sign test's power at n, from exact sums alone (no scipy)."""
    k = max((k for k in range(n + 1) if 2 * tail_at_most(k, n, 0.5) <= 0.05), default=-1)
    if k < 0:
        return 0.0
    return tail_at_most(k, n, share) + (1 - tail_at_most(n - k - 1, n, share))


def test_the_number_needed_is_the_fewest_with_80_percent_power() -> None:
    needed = evidence.changed_needed()
    assert power_at(needed) >= 0.8
    assert all(power_at(n) < 0.8 for n in range(evidence.MIN_CHANGED, needed))
    assert 40 < needed < 60  # about 50 residents who felt different, for 7 in 10
