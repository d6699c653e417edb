from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per running task worker, touched every few seconds; /healthz reads the newest."""

    worker_id = models.CharField("工作进程", max_length=64, unique=True)
    hostname = models.CharField("主机", max_length=255)
    started_at = models.DateTimeField("启动时间")
    last_seen = models.DateTimeField("最近心跳", db_index=True)

    class Meta:
        verbose_name = "后台任务进程"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.hostname} {self.worker_id}"


class PeriodicRun(models.Model):
    """When each periodic job last ran, so that several workers enqueue it once per period."""

    name = models.CharField("任务", max_length=100, unique=True)
    last_run = models.DateTimeField("上次执行")

    class Meta:
        verbose_name = "定时任务"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name
