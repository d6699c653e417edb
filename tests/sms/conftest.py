import pytest

from apps.sms.backends import locmem
from tests.sms import scripted

IMMEDIATE_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
}
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def sms_locmem(settings):
    """Every SMS test sends to the in-memory outbox unless it picks another backend."""
    settings.SMS_BACKEND = "apps.sms.backends.locmem.LocmemBackend"
    locmem.outbox.clear()
    scripted.reset()
    yield locmem.outbox
    locmem.outbox.clear()
    scripted.reset()


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = DB_TASKS


@pytest.fixture
def scripted_backend(settings):
    """A backend whose outcomes the test lists in advance (see tests/sms/scripted.py)."""
    settings.SMS_BACKEND = "tests.sms.scripted.ScriptedBackend"
    return scripted


@pytest.fixture
def no_proxy(monkeypatch):
    # The local provider stand-in is on 127.0.0.1: never route it through a proxy from the environment.
    for name in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def seed_templates(transactional_db):
    """Transactional tests flush the database after each test, seeded rows included: put the
    templates back the way the data migration writes them."""
    import importlib

    from django.apps import apps

    importlib.import_module("apps.sms.migrations.0002_seed_templates").forwards(apps, None)
