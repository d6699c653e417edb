"""`make bench` / `python -m bench`: the performance figures of docs/performance.md.

    python -m bench seed --reports 10000000   # fill the bench database (manage.py bench_seed)
    python -m bench manage stats_check        # any manage.py command against the bench database
    python -m bench                           # measure and print the table (creates the
                                              # database and seeds BENCH_REPORTS first if empty)
    python -m bench --runs 50 --raw-runs 3    # more samples

Runs against PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/aqscjb_bench),
with production-like settings (DEBUG off, no query logging) and fixed bench-only keys, the same
for seeding and measuring so the generated reporters' details decrypt.
"""

import os
import sys

BENCH_ENV = {
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aqscjb_bench"),
    "DEBUG": "0",
    "TESTING": "0",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
    "FIELD_ENCRYPTION_KEYS": "bench1:0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "LOOKUP_HASH_KEY": "bench-only-lookup-hash-key",
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    # Production settings refuse a backend that delivers nothing; the file backend would write
    # under var/sms/ (the bench's public submissions are anonymous and send nothing).
    "SMS_BACKEND": "apps.sms.backends.file.FileBackend",
    "CACHE_URL": "locmem",
}


def main(argv: list[str]) -> int:
    for key, value in BENCH_ENV.items():
        os.environ[key] = value
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    # Production settings serve static files from collectstatic's manifest; the bench renders
    # pages without running collectstatic into the shared tree, so it uses plain static URLs.
    from django.test.utils import override_settings

    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    from django.core.management import call_command

    if argv and argv[0] == "manage":  # python -m bench manage stats_rebuild …, with the bench settings
        call_command(*argv[1:])
        return 0
    if not _prepare_database():
        return 2
    if argv and argv[0] == "seed":
        call_command("bench_seed", *argv[1:])
        return 0
    if not _has_reports():
        # A fresh machine: `make bench` alone gives the figures (about 16 minutes of seeding first).
        reports = os.environ.get("BENCH_REPORTS", "10000000")
        print(f"基准数据库是空的，先生成 {int(reports):,} 件举报单（BENCH_REPORTS 可调整）。", flush=True)
        call_command("bench_seed", "--reports", reports)
    from bench.runner import run

    return run(argv)


def _prepare_database() -> bool:
    """Create the bench database when it does not exist yet, and bring its schema up to date."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("make bench 需要 PostgreSQL：请把 BENCH_DATABASE_URL 指向 PostgreSQL。")
        return False
    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            print(f"创建基准数据库 {name}。", flush=True)
            cursor.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    return True


def _has_reports() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM reports_report)")
        return cursor.fetchone()[0]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
