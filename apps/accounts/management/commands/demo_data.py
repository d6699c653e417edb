import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.demo import DemoDataError, demo_data_load, generate_password

REFUSAL = (
    "演示数据只能在开发环境（DEBUG=1）中生成，以免在生产库中留下公开密码的账号；确需生成请加 --force。\n"
    "demo_data refuses to run with DEBUG off: it creates accounts with a shared, printed password. "
    "Pass --force if you really mean it."
)
COLUMNS = (("用户名", 20), ("姓名", 8), ("角色", 12), ("手机号", 13), ("状态", 8), ("机构", 0))


def _pad(text: str, width: int) -> str:
    # Chinese characters take two terminal columns; str.ljust counts them as one.
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 1) if width else text


def _row(*cells: str) -> str:
    return "".join(_pad(cell, width) for cell, (_, width) in zip(cells, COLUMNS, strict=True))


class Command(BaseCommand):
    help = "生成演示数据：行政区划、全国机构树、两条机构链上的演示账号 / demo regions, orgs and accounts"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="即使 DEBUG 关闭也运行 / run even with DEBUG off")
        parser.add_argument("--reset-passwords", action="store_true",
                            help="重设已存在演示账号的密码 / reset existing demo accounts' passwords")

    def handle(self, *args, force=False, reset_passwords=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(REFUSAL)
        password = settings.DEMO_PASSWORD
        source = "环境变量 DEMO_PASSWORD / from DEMO_PASSWORD"
        if not password:
            password = generate_password()
            source = "随机生成（未设置 DEMO_PASSWORD） / generated, DEMO_PASSWORD is empty"
        try:
            result = demo_data_load(password=password, reset_passwords=reset_passwords)
        except ValidationError as exc:
            raise CommandError(
                "DEMO_PASSWORD 不符合密码规则 / DEMO_PASSWORD is rejected: " + " ".join(exc.messages)
            ) from exc
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc

        out = self.stdout
        if result.regions_loaded:
            out.write("已加载行政区划 / regions loaded")
        out.write(f"新增机构 {result.orgs_created} 个 / {result.orgs_created} orgs created")
        out.write(_row(*(title for title, _ in COLUMNS)))
        for a in result.accounts:
            org = a.org.name if a.org.kind != "internal" else f"{a.org.parent.name} / {a.org.name}"
            state = "新建" if a.created else "已存在"
            out.write(_row(a.username, a.real_name, a.org_role_label, a.mobile, state, org))

        if result.users_created or reset_passwords:
            out.write(f"密码 / password: {password}    来源 / source: {source}")
            if reset_passwords and result.users_created < len(result.accounts):
                out.write("已存在账号的密码已重设，下次登录须修改密码（已记入审计日志） / existing accounts' "
                          "passwords were reset, to be changed at next login (audited)")
        else:
            out.write("演示账号均已存在，密码未改动（--reset-passwords 可重设） / "
                      "all demo accounts exist, passwords unchanged (use --reset-passwords)")
