"""The random draw, kept free of the database so it can be tested for uniformity and re-run from a
batch's record.

Candidates are sorted by id before sampling: the database returns rows in whatever order its plan
gives, and the same seed must pick the same reports on SQLite, PostgreSQL and on re-run.
"""

from __future__ import annotations

import hashlib
import math
import random
import secrets
from collections.abc import Sequence

# Large enough for any one org's closed reports in a period; keeps one draw one transaction.
# It caps a ratio too: 10% of a province's year is far more than one batch can review.
MAX_SAMPLE_SIZE = 1000
# Every draw stores its sorted candidate ids (the set cannot be recomputed later, and the seed
# alone reproduces nothing without it). 200,000 ids are about 1.5 MB of JSON and one Excel sheet;
# a wider scope (the ministry over a quarter at national volume) is narrowed rather than stored.
MAX_CANDIDATES = 200_000


def new_seed() -> int:
    # 63 bits: fits a signed 64-bit column on every database. From the OS's CSPRNG so that nobody,
    # not even the person drawing, can choose or predict which reports come up.
    return secrets.randbits(63)


def sample_size_for(candidate_count: int, *, size: int | None, ratio: int | None) -> int:
    """How many to draw: the size asked for, or ratio % of the candidates rounded up (at least 1)."""
    if size is not None:
        return size
    assert ratio is not None
    return max(1, math.ceil(candidate_count * ratio / 100))


def max_ratio_for(candidate_count: int, cap: int) -> int:
    """The largest whole percentage whose sample stays within `cap` (0 when even 1% exceeds it)."""
    return min(100, cap * 100 // candidate_count) if candidate_count else 100


def candidate_digest(candidate_ids: Sequence[int]) -> str:
    """SHA-256 of the sorted ids joined by commas: lets an auditor check a stored list unaltered."""
    return hashlib.sha256(",".join(str(pk) for pk in candidate_ids).encode("ascii")).hexdigest()


def draw_sample(candidate_ids: Sequence[int], k: int, seed: int) -> list[int]:
    """k ids drawn uniformly without replacement, in draw order. Deterministic for (ids, k, seed)."""
    ordered = sorted(candidate_ids)
    return random.Random(seed).sample(ordered, k)
