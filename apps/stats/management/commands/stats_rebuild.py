"""`python manage.py stats_rebuild`: recompute every statistics cell from the reports table."""

import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "根据举报单表重新计算全部统计数据（批量导入后、或 stats_check 发现差异时运行）"

    def add_arguments(self, parser):
        parser.add_argument("--verbose-steps", action="store_true", help="逐步输出耗时")

    def handle(self, *args, verbose_steps=False, **options):
        from apps.stats.rebuild import rebuild

        started = time.monotonic()
        count = rebuild(progress=self.stdout.write if verbose_steps else None)
        self.stdout.write(
            self.style.SUCCESS(
                f"统计数据已重算：{count:,} 个统计单元，用时 {time.monotonic() - started:.1f} 秒"
            )
        )
