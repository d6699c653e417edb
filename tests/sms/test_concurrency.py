import threading
import time

import pytest
from django.db import connection

from apps.sms.models import SmsOutbox
from apps.sms.services import sms_deliver, sms_queue

WORKERS = 8


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_send_a_message_once(scripted_backend, seed_templates):
    """Real threads, each with its own database connection, racing to deliver the same rows: the
    row lock and status check let each message go out exactly once. (On SQLite the state machine
    is covered by test_delivery.py; the in-memory shared-cache test database answers concurrent
    writers with "table is locked" at once instead of waiting, unlike a real WAL database file.)"""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the SQLite test database cannot take concurrent writers")
    rows = [
        sms_queue(to="13812345678", template_code="accepted", context={"report_code": f"SM{i}"}).pk
        for i in range(3)
    ]
    scripted_backend.during_send.append(lambda message: time.sleep(0.05))  # widen the race window
    barrier = threading.Barrier(WORKERS)
    errors = []

    def worker():
        try:
            barrier.wait()
            for pk in rows:
                sms_deliver(pk)
        except Exception as exc:  # collected: a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(int(m.reference) for m in scripted_backend.calls) == sorted(rows)
    assert set(SmsOutbox.objects.values_list("status", flat=True)) == {SmsOutbox.Status.SENT}
    assert set(SmsOutbox.objects.values_list("attempts", flat=True)) == {1}
