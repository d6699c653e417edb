import datetime

import pytest
from django.utils import timezone

from apps.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_missing_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["worker"]["ok"] is False
    assert body["status"] == "degraded"


def test_healthz_ok_with_a_fresh_worker_heartbeat(client):
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w1", hostname="h", started_at=now, last_seen=now)
    body = client.get("/healthz").json()
    assert body["worker"] == {"ok": True, "workers": 1, "last_seen": now.isoformat()}
    assert body["status"] == "ok"


def test_stale_heartbeat_means_worker_down(client):
    old = timezone.now() - datetime.timedelta(minutes=10)
    WorkerHeartbeat.objects.create(worker_id="w1", hostname="h", started_at=old, last_seen=old)
    assert client.get("/healthz").json()["worker"]["ok"] is False


def test_pages_are_never_cached_and_send_no_referrer(client):
    response = client.get("/healthz")
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
