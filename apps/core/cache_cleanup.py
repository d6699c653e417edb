"""Deletes expired rows of the database cache on a schedule.

Django's DatabaseCache removes expired rows only when a write finds the table over MAX_ENTRIES,
which settings raise to a million so rate limits are never culled early. Until then a rate-limit
key (a keyed hash of a client address) would outlive its window by weeks; reporter protection
wants it gone when the window ends, so the worker deletes expired rows every few minutes."""

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils import timezone


def purge_expired_cache_rows() -> int:
    """Delete the expired rows of every database cache; returns how many."""
    removed = 0
    now = timezone.now().replace(microsecond=0)
    for alias in caches:
        cache = caches[alias]
        if not isinstance(cache, DatabaseCache):
            continue
        connection = connections[router.db_for_write(cache.cache_model_class)]
        table = connection.ops.quote_name(cache._table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE expires < %s",  # noqa: S608 - the configured table name
                [connection.ops.adapt_datetimefield_value(now)],
            )
            removed += cursor.rowcount
    return removed
