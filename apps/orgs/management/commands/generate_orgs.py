import time

from django.core.management.base import BaseCommand, CommandError

from apps.orgs.generate import org_tree_generate, org_tree_rebuild_paths
from apps.regions.models import Region


class Command(BaseCommand):
    help = "生成全国应急管理机构树，只新增缺少的机构 / create the missing orgs of the national tree"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild-paths", action="store_true",
                            help="按上级机构重新计算机构路径 / recompute org paths from the parent links")

    def handle(self, *args, rebuild_paths: bool = False, **options):
        if rebuild_paths:
            changed = org_tree_rebuild_paths()
            self.stdout.write(f"已重建机构路径：{changed} 个机构有变化 / paths rebuilt, {changed} changed")
            return
        if not Region.objects.exists():
            raise CommandError("行政区划为空，请先运行 load_regions / no regions: run load_regions first")
        started = time.monotonic()
        result = org_tree_generate()
        seconds = time.monotonic() - started
        self.stdout.write(
            f"新增机构 {result.created} 个，已存在 {result.existing} 个，用时 {seconds:.1f} 秒 / "
            f"created {result.created}, already present {result.existing}, {seconds:.1f}s"
        )
