"""Nothing in the database may betray the reporter: no plaintext identity, no network address,
no browser. The dump covers every table, the database cache included."""

import base64

import pytest
from django.core.management import call_command
from django.db import connection

from apps.reports.models import Report
from apps.sms.models import SmsOutbox
from tests.public.conftest import receipt_code, valid_report

NAME, PHONE, ID_NUMBER = "王小明", "13912345678", "11010519491231002X"
CLIENT_IP, USER_AGENT = "203.0.113.77", "TestPhoneBrowser/9.9 (Weak Network)"


def database_dump() -> str:
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    text = str(value)
                    parts.append(text)
                    # The database cache stores pickles in base64: look inside them too.
                    if table.endswith("cache_table"):
                        try:
                            parts.append(base64.b64decode(text).decode("utf-8", "replace"))
                        except ValueError:
                            pass
    return "\n".join(parts)


@pytest.fixture
def db_cache(settings, transactional_db):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "public_test_cache_table",
        }
    }
    call_command("createcachetable", verbosity=0)


def test_database_dump_holds_no_plaintext_identity_ip_or_user_agent(client, country, form_session, db_cache):
    headers = {"REMOTE_ADDR": CLIENT_IP, "HTTP_USER_AGENT": USER_AGENT}
    client.defaults.update(headers)
    session = form_session("realname")
    sent = client.post(
        "/jubao/sms",
        {
            "session": session["session"],
            "reporter_phone": PHONE,
            "captcha_key": "k",
            "captcha_answer": "PASSED",
        },
    )
    assert sent.json()["ok"], sent.content
    sms_code = SmsOutbox.objects.get(template_code="phone_verify").context["code"]
    response = client.post(
        "/jubao/submit",
        valid_report(
            session=session["session"],
            idempotency_key=session["idempotency_key"],
            mode="realname",
            reporter_name=NAME,
            reporter_phone=PHONE,
            reporter_id_number=ID_NUMBER,
            sms_code=sms_code,
            captcha_answer="",
        ),
    )
    assert response.status_code == 200, response.content.decode()
    code = receipt_code(response.content.decode())
    report = Report.objects.get()
    assert report.reporter_name == NAME  # decrypts for the staff who may see it

    dump = database_dump()
    assert "public_test_cache_table" in connection.introspection.table_names()
    # The dump does see plain data (the reported unit) and the cache rows (the rate-limit keys).
    assert "某某化工有限公司" in dump and "pub:rl:" in dump
    for secret in (NAME, PHONE, ID_NUMBER, code, CLIENT_IP, USER_AGENT, "TestPhoneBrowser"):
        assert secret not in dump, f"{secret!r} found in the database"
