"""The draw itself: uniform, without replacement, reproducible from its seed.

The uniformity tests are chi-square goodness-of-fit tests over many draws with fixed seeds, so
they are deterministic: they either always pass or always fail for a given implementation. A
biased sampler is run through the same check to show the check can fail.
"""

import random

import pytest

from apps.spotchecks.draw import candidate_digest, draw_sample, max_ratio_for, new_seed, sample_size_for

# Upper 0.1% points of the chi-square distribution for the degrees of freedom used below.
CHI2_999 = {19: 43.820, 9: 27.877}
CANDIDATES = list(range(1001, 1021))  # 20 candidates
DRAWS = 4000
K = 5


def chi_square(counts: dict[int, int], expected: float) -> float:
    return sum((observed - expected) ** 2 / expected for observed in counts.values())


def inclusion_counts(sampler, candidates, k, draws) -> dict[int, int]:
    counts = dict.fromkeys(candidates, 0)
    for seed in range(draws):
        for pk in sampler(candidates, k, seed):
            counts[pk] += 1
    return counts


def test_every_candidate_is_equally_likely_to_be_drawn():
    counts = inclusion_counts(draw_sample, CANDIDATES, K, DRAWS)
    expected = DRAWS * K / len(CANDIDATES)
    assert chi_square(counts, expected) < CHI2_999[len(CANDIDATES) - 1]


def test_the_first_pick_is_uniform_too():
    firsts = dict.fromkeys(CANDIDATES, 0)
    for seed in range(DRAWS):
        firsts[draw_sample(CANDIDATES, K, seed)[0]] += 1
    assert chi_square(firsts, DRAWS / len(CANDIDATES)) < CHI2_999[len(CANDIDATES) - 1]


def test_pairs_are_uniform_so_draws_are_not_correlated():
    # Without replacement and uniform over k-subsets: every pair of 5 candidates turns up together
    # equally often (10 pairs, 9 degrees of freedom).
    candidates = [1, 2, 3, 4, 5]
    pairs: dict[tuple[int, int], int] = {}
    for a in candidates:
        for b in candidates:
            if a < b:
                pairs[(a, b)] = 0
    for seed in range(DRAWS):
        drawn = sorted(draw_sample(candidates, 2, seed))
        pairs[tuple(drawn)] += 1
    assert chi_square(pairs, DRAWS / len(pairs)) < CHI2_999[9]


def test_the_check_rejects_a_biased_sampler():
    def biased(candidates, k, seed):
        # Always includes the smallest id: the kind of bug a "first rows of the query" draw has.
        rest = random.Random(seed).sample(sorted(candidates)[1:], k - 1)
        return [min(candidates), *rest]

    counts = inclusion_counts(biased, CANDIDATES, K, DRAWS)
    expected = DRAWS * K / len(CANDIDATES)
    assert chi_square(counts, expected) > CHI2_999[len(CANDIDATES) - 1]


def test_no_candidate_is_drawn_twice_and_nothing_else_is_drawn():
    for seed in range(200):
        drawn = draw_sample(CANDIDATES, 12, seed)
        assert len(drawn) == len(set(drawn)) == 12
        assert set(drawn) <= set(CANDIDATES)


def test_the_same_seed_gives_the_same_sample_whatever_order_the_database_returned():
    shuffled = CANDIDATES[:]
    random.Random(7).shuffle(shuffled)
    assert draw_sample(shuffled, K, 123456789) == draw_sample(CANDIDATES, K, 123456789)
    assert draw_sample(CANDIDATES, K, 1) != draw_sample(CANDIDATES, K, 2)


def test_a_known_seed_gives_a_known_sample():
    # Pins the method: if Python or this code ever changed how a seed maps to a sample, stored
    # batches could no longer be reproduced, and this test says so.
    assert draw_sample(CANDIDATES, K, 20260924) == random.Random(20260924).sample(CANDIDATES, K)
    assert draw_sample([3, 1, 2], 3, 42) == random.Random(42).sample([1, 2, 3], 3)


def test_new_seeds_fit_a_signed_64_bit_column_and_differ():
    seeds = {new_seed() for _ in range(50)}
    assert len(seeds) == 50
    assert all(0 <= s < 2**63 for s in seeds)


@pytest.mark.parametrize(("count", "size", "ratio", "expected"), [
    (25, None, 10, 3),  # 2.5 rounds up
    (5, None, 1, 1),  # never zero
    (5, None, 100, 5),
    (40, 7, None, 7),
])
def test_sample_size(count, size, ratio, expected):
    assert sample_size_for(count, size=size, ratio=ratio) == expected


def test_digest_is_stable_and_detects_a_change():
    assert candidate_digest([1, 2, 3]) == candidate_digest([1, 2, 3])
    assert candidate_digest([1, 2, 3]) != candidate_digest([1, 2, 4])
    assert len(candidate_digest([])) == 64


@pytest.mark.parametrize(("total", "cap", "allowed"), [
    (5, 2, 40), (10, 1000, 100), (1000, 1000, 100), (1001, 1000, 99), (20_000, 1000, 5),
    (100_000, 1000, 1), (100_001, 1000, 0), (0, 1000, 100),
])
def test_max_ratio_for_is_the_largest_ratio_within_the_cap(total, cap, allowed):
    assert max_ratio_for(total, cap) == allowed
    if total and allowed:
        assert sample_size_for(total, size=None, ratio=allowed) <= cap
        if allowed < 100:
            assert sample_size_for(total, size=None, ratio=allowed + 1) > cap
