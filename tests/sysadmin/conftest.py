import pytest
from django.core.cache import cache

from apps.workcalendar import store
from tests.accounts.world import world  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def fresh_calendar():
    """The calendar keeps a per-process snapshot that outlives the test's rollback."""
    store.invalidate_local()
    cache.delete(store.VERSION_KEY)
    yield
    store.invalidate_local()
    cache.delete(store.VERSION_KEY)
