"""`python manage.py bench_seed --reports N`: fill PostgreSQL with N generated reports (benchmark)."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from apps.orgs.models import Org
from apps.regions.models import Region


class Command(BaseCommand):
    help = (
        "在 PostgreSQL 中生成 N 条逼真的举报单（覆盖全部县区、十年、全部渠道/类型/行业/状态），"
        "供性能基准测试使用"
    )

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, required=True, help="要生成的举报单数量")
        parser.add_argument("--seed", type=int, default=20240601, help="随机种子")
        parser.add_argument(
            "--skip-cells", action="store_true", help="不重算统计单元（之后运行 stats_rebuild）"
        )

    def handle(self, *args, reports: int, seed: int, skip_cells: bool, **options):
        from apps.stats.seed import Seeder, bench_users

        if connection.vendor != "postgresql":
            raise CommandError("bench_seed 只支持 PostgreSQL，请设置 DATABASE_URL=postgres://…")
        if reports <= 0:
            raise CommandError("--reports 必须为正整数。")
        if not Region.objects.exists():
            self.stdout.write("导入行政区划…")
            call_command("load_regions", stdout=self.stdout)
        if not Org.objects.filter(level=Org.Level.COUNTY).exists():
            self.stdout.write("生成机构树…")
            call_command("generate_orgs", stdout=self.stdout)
        started = time.monotonic()
        timings = Seeder(reports, seed=seed, say=self.stdout.write).run(skip_cells=skip_cells)
        users = bench_users()
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：{reports:,} 条举报单，用时 {time.monotonic() - started:.0f} 秒 "
                + "，".join(f"{k} {v:.0f}s" for k, v in timings.items())
                + f"；基准测试账号：{', '.join(u.username for u in users.values())}"
            )
        )
