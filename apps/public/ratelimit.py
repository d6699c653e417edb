"""Per-client, per-phone and per-session limits, counted in the cache only.

The client is the connecting address, but only a keyed hash of it is ever used as a cache key, and
every counter expires with its window: no address is written to the database or kept beyond the
window (nothing about a report can be traced back to a network address).
"""

from django.core.cache import cache

from apps.audit.net import client_ip
from apps.core.crypto import lookup_hash
from apps.public.errors import RateLimited

MINUTE = 60
HOUR = 3600
DAY = 86400


def client_id(request) -> str:
    return lookup_hash("client:" + (client_ip(request) or "unknown"))[:32]


def _key(scope: str, subject: str, window: int) -> str:
    return f"pub:rl:{scope}:{window}:{subject}"


def count(scope: str, subject: str, *, window: int) -> int:
    return int(cache.get(_key(scope, subject, window), 0))


def hit(scope: str, subject: str, *, window: int) -> int:
    """Count one event; returns the count in the current window."""
    key = _key(scope, subject, window)
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return 1


def reset(scope: str, subject: str, *, window: int) -> None:
    cache.delete(_key(scope, subject, window))


def claim_attempt(scope: str, subject: str, *, allowed: int, ttl: int) -> int | None:
    """The number (1..allowed) of this attempt at `subject`, or None once all are used.

    Each attempt claims its own slot with cache.add, which is atomic on every cache we run on
    (locmem, Redis, and the database cache through its unique key). cache.incr is not: on the
    database cache it is a plain get and set, so parallel guesses could share one number; and a
    get-compare-set lets all of them through. Here at most `allowed` attempts ever get a number.
    """
    for number in range(1, allowed + 1):
        if cache.add(f"{_key(scope, subject, ttl)}:{number}", 1, ttl):
            return number
    return None


def limit(scope: str, subject: str, *, allowed: int, window: int, message: str) -> None:
    """Refuse when the window already holds `allowed` events; otherwise count this one."""
    if count(scope, subject, window=window) >= allowed:
        raise RateLimited(message)
    hit(scope, subject, window=window)
