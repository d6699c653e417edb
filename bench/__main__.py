"""`make bench` / `python -m bench`: the performance figures of docs/performance.md.

    python -m bench seed --reports 10000000   # fill the bench database (manage.py bench_seed)
    python -m bench manage stats_check        # any manage.py command against the bench database
    python -m bench                           # measure and print the table
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
    "SMS_BACKEND": "apps.sms.backends.locmem.LocmemBackend",
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
    if argv and argv[0] in ("seed", "manage"):
        from django.core.management import call_command

        if argv[0] == "seed":
            call_command("migrate", verbosity=0)
            call_command("bench_seed", *argv[1:])
        else:  # python -m bench manage stats_rebuild …: any command, with the bench settings
            call_command(*argv[1:])
        return 0
    from bench.runner import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
