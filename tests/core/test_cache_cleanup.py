"""Expired database-cache rows (rate-limit keys among them) are deleted on schedule, not kept
until the table reaches MAX_ENTRIES."""

import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from apps.core.cache_cleanup import purge_expired_cache_rows
from apps.core.periodic import registered_jobs

TABLE = "core_test_cache_table"


@pytest.fixture
def db_cache(settings, transactional_db):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": TABLE}
    }
    call_command("createcachetable", verbosity=0)


def _rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(TABLE)}")  # noqa: S608
        return cursor.fetchone()[0]


def test_expired_rows_are_deleted_and_live_ones_kept(db_cache):
    cache.set("pub:rl:ip:expired", 1, 60)
    cache.set("pub:rl:ip:live", 1, 3600)
    with connection.cursor() as cursor:  # the first key's window ended a minute ago
        past = connection.ops.adapt_datetimefield_value(
            datetime.datetime.now(datetime.UTC).replace(microsecond=0) - datetime.timedelta(minutes=1)
        )
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(TABLE)} SET expires = %s WHERE cache_key LIKE %s",  # noqa: S608
            [past, "%expired"],
        )
    assert _rows() == 2
    assert purge_expired_cache_rows() == 1
    assert _rows() == 1 and cache.get("pub:rl:ip:live") == 1


def test_other_caches_are_left_alone():
    assert purge_expired_cache_rows() == 0  # the test settings' local-memory cache


def test_the_purge_runs_every_ten_minutes():
    job = next(j for j in registered_jobs() if j.name == "cache_purge_expired")
    assert (
        job.every == datetime.timedelta(minutes=10) and job.task_path == "apps.core.tasks.purge_expired_cache"
    )
