import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright. A missing browser is an error, never a skip:
    `make test` installs it (scripts/ensure_chromium.sh)."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure_chromium.sh (make test does)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(30000)  # generous: CI runs two workers on two cores
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def browser_as(chromium, live_server):
    """`browser_as(user)` → a Chromium page signed in as the user (a session made by the test
    client; the sign-in itself is tests/accounts/test_browser.py's subject). The page's script
    errors collect in `page.js_errors`."""
    from django.conf import settings
    from django.test import Client

    contexts = []

    def open_as(user):
        client = Client()
        client.force_login(user)
        context = chromium.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai")
        context.set_default_timeout(30000)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url, "value": cookie}])
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: errors.append(f"{msg.text} {msg.location.get('url', '')}")
            if msg.type == "error" and "favicon" not in msg.location.get("url", "")
            else None,
        )
        page.js_errors = errors
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def _regions_in_db(django_db_setup, django_db_blocker):
    """The full national region table, committed once for the module and removed afterwards so
    modules that build their own small trees (RegionFactory with real codes) are unaffected.
    The parsed and simplified data is cached per process: after the first module a load is only
    the inserts."""
    from django.db import connection

    from apps.regions.loader import load_regions
    from apps.regions.models import MapOverlay, Region

    with django_db_blocker.unblock():
        load_regions()
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        # Plain SQL: the ORM's delete would visit every model that points at regions.
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(MapOverlay._meta.db_table)}")  # noqa: S608
        table = connection.ops.quote_name(Region._meta.db_table)
        for depth in (2, 1, 0):  # leaves first: Region.parent is a foreign key
            cursor.execute(f"DELETE FROM {table} WHERE depth = %s", [depth])  # noqa: S608


@pytest.fixture
def all_regions(_regions_in_db, db):
    """Every province, city and county (3,253 regions, 2 overlays) in the test database.

    Request it in any test that needs real regions: `def test_x(all_regions): ...`. It returns
    nothing; look regions up with apps.regions.selectors.region_by_code. Works for live_server
    and transactional tests too: if an earlier transactional test flushed the tables, the regions
    are loaded again.
    """
    from apps.regions.loader import build_dataset, load_regions
    from apps.regions.models import Region

    if Region.objects.count() < len(build_dataset().regions):
        load_regions()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits, lockout counters, captchas and codes live in the cache, which outlives the
    per-test database rollback: without this, one test's logins throttle the next test's."""
    from django.core.cache import cache

    from apps.workcalendar.store import invalidate_local

    # The calendar's per-process snapshot is keyed by a version token kept in the cache: drop
    # both together, or a later token check reloads the calendar mid-test (query counts).
    cache.clear()
    invalidate_local()
    yield
    cache.clear()
    invalidate_local()


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Put back the data-migration rows that an earlier transactional test flushed (see
    tests/reference_data.py). Only transactional tests pay for the check."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("live_server", "transactional_db")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        from tests.reference_data import ensure_reference_data

        ensure_reference_data()
    yield


def pytest_sessionfinish(session, exitstatus):
    """SQLite leaves its -wal and -shm files beside a test database it has already deleted (they
    are on tmpfs, see config/settings.py): remove those orphans."""
    import glob

    from django.conf import settings

    name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if not name or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return
    for extra in glob.glob(f"{name}*-wal") + glob.glob(f"{name}*-shm"):
        if not os.path.exists(extra[: -len("-wal")]):
            try:
                os.remove(extra)
            except FileNotFoundError:
                pass
