"""The background-task worker: django-tasks-db's worker plus a heartbeat and the periodic scheduler.

Run as many as needed (`python manage.py run_worker`); each one claims tasks with row locks, and
the scheduler enqueues each periodic job once per period however many workers run.
"""

import logging
import socket
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker

from apps.core.models import WorkerHeartbeat
from apps.core.periodic import enqueue_due_jobs

logger = logging.getLogger(__name__)


def beat_once(worker_id: str, started_at) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "started_at": started_at,
            "last_seen": timezone.now(),
        },
    )


def heartbeat_loop(worker_id: str, stop: threading.Event, every: float) -> None:
    started_at = timezone.now()
    while not stop.is_set():
        try:
            close_old_connections()
            beat_once(worker_id, started_at)
            enqueue_due_jobs()
        except Exception:  # keep beating: a transient DB error must not kill the scheduler
            logger.exception("worker heartbeat/scheduler failed")
        finally:
            connection.close()
        stop.wait(every)


class Command(BaseCommand):
    help = "运行后台任务进程（含心跳与定时任务）/ run the task worker with heartbeat and scheduler"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls when idle")
        parser.add_argument("--heartbeat", type=float, default=10.0, help="seconds between heartbeats")
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")

    def handle(self, *args, interval: float, heartbeat: float, batch: bool, **options):
        worker_id = get_random_string(32)
        stop = threading.Event()
        if not batch:
            threading.Thread(target=heartbeat_loop, args=(worker_id, stop, heartbeat), daemon=True).start()
        worker = Worker(
            queue_names=settings.TASKS["default"].get("QUEUES", ["default"]),
            interval=interval,
            batch=batch,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        self.stdout.write(f"后台任务进程已启动 worker_id={worker_id}")
        try:
            if not batch:
                worker.configure_signals()
            worker.run()
        finally:
            stop.set()
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
