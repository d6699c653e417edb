import pytest
from django.core.cache import cache

from apps.workcalendar import store


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Each test starts from a cold calendar and leaves none behind: the per-process snapshot
    outlives the per-test database rollback, so a test's overrides would otherwise leak."""
    store.invalidate_local()
    cache.delete(store.VERSION_KEY)
    yield
    store.invalidate_local()
    cache.delete(store.VERSION_KEY)
