from django.http import JsonResponse
from django.views.decorators.http import require_GET

from apps.core.health import database_status, worker_status


@require_GET
def healthz(request):
    db = database_status()
    worker = worker_status()
    # The site serves while the worker is down (reports are still accepted; SMS wait in the
    # outbox), so only the database decides the status code; monitoring reads both.
    status = 200 if db["ok"] else 503
    return JsonResponse({"status": "ok" if db["ok"] and worker["ok"] else "degraded",
                         "database": db, "worker": worker}, status=status)
