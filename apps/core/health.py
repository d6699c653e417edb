import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from apps.core.models import WorkerHeartbeat


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "vendor": connection.vendor, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def worker_status() -> dict:
    stale_after = datetime.timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS)
    try:
        newest = WorkerHeartbeat.objects.order_by("-last_seen").first()
        alive = WorkerHeartbeat.objects.filter(last_seen__gte=timezone.now() - stale_after).count()
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    return {
        "ok": alive > 0,
        "workers": alive,
        "last_seen": newest.last_seen.isoformat() if newest else None,
    }
