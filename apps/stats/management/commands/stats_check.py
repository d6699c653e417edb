"""`python manage.py stats_check`: compare the maintained statistics with the reports table."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "核对统计数据与举报单表是否一致（不一致时列出差异并以非零状态退出）"

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=50, help="最多列出的差异条数")

    def handle(self, *args, limit=50, **options):
        from apps.stats.rebuild import check

        diffs = check(limit=limit)
        if not diffs:
            self.stdout.write(self.style.SUCCESS("统计数据与举报单表一致。"))
            return
        for node, dim, grain, period, key, maintained, recomputed in diffs:
            self.stdout.write(
                f"{node} {dim}:{key} 粒度{grain} {period}: 维护值 {maintained}，重算值 {recomputed}"
            )
        raise CommandError(f"发现 {len(diffs)} 处差异，请运行 python manage.py stats_rebuild。")
