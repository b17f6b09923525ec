"""Whether the after-group answers show a shift that chance alone would rarely give.

Residents answer "when you arrived" and "now" at one sitting. Among those whose two faces
differ, with no real effect, better and worse would be equally likely: an exact sign test
(a binomial test against one half) gives the chance of a split at least this uneven. The
share who felt better among those who changed comes with an exact (Clopper-Pearson) 95%
interval. scipy is imported here, inside the functions: only `kiosk report` calls them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

ALPHA = 0.05
# Below this many residents who felt better or worse, no p-value is shown: with fewer than
# 6 even a unanimous result cannot reach 0.05, and under 10 only a near-unanimous one can.
MIN_CHANGED = 10
# "A moderate change": 7 in 10 of those who changed feeling better, told from chance
# with 80% power.
MODERATE_SHARE = 0.7
POWER = 0.8


@dataclass(frozen=True)
class SignTest:
    better: int
    worse: int
    p_value: float  # two-sided
    share_better: float  # among those who changed
    low: float  # the share's 95% interval
    high: float


def sign_test(better: int, worse: int) -> SignTest | None:
    """The test on better against worse, or None with fewer than MIN_CHANGED of them."""
    changed = better + worse
    if changed < MIN_CHANGED:
        return None
    from scipy.stats import binomtest

    result = binomtest(better, changed, 0.5, alternative="two-sided")
    interval = result.proportion_ci(confidence_level=1 - ALPHA, method="exact")
    return SignTest(
        better, worse, float(result.pvalue), better / changed, interval.low, interval.high
    )


@cache
def changed_needed(share: float = MODERATE_SHARE, power: float = POWER, limit: int = 1000) -> int:
    """The fewest residents who changed at which the sign test tells a true share of
    `share` feeling better from chance (p < ALPHA) with at least `power`."""
    from scipy.stats import binom

    for n in range(MIN_CHANGED, limit + 1):
        # The test rejects when the split is at least as uneven as k against n - k, for
        # the largest k with a two-sided tail under ALPHA.
        k = int(binom.ppf(ALPHA / 2, n, 0.5))
        while k >= 0 and 2 * binom.cdf(k, n, 0.5) > ALPHA:
            k -= 1
        if k < 0:
            continue
        chance = binom.sf(n - k - 1, n, share) + binom.cdf(k, n, share)
        if chance >= power:
            return n
    return limit


def more_needed(changed: int) -> int:
    """About how many more residents who felt better or worse the report needs before it
    can tell a moderate change from chance."""
    return max(0, changed_needed() - changed)
