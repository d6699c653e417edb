"""Demo accounts along two chains of the org tree, for development and demonstrations.

应急管理部 → 河南省应急管理厅 → 郑州市应急管理局 → 金水区应急管理局
应急管理部 → 河北省应急管理厅 → 石家庄市应急管理局 → 长安区应急管理局

Each of those orgs gets one 内设机构 and three accounts: `<key>_admin` (系统管理员), `<key>_user`
(普通用户) and `<key>_dept` (普通用户 of the 内设机构); the ministry also gets `mem_audit`
(审计管理员). Idempotent: what exists is left alone, so a second run adds nothing and never
resets a password someone changed (unless asked to: --reset-passwords, which is audited).

Demo accounts share one known password, so like any account whose password someone else set
they must change it at first login, a reset one included. `make run` sets PASSWORD_FORCE_CHANGE=0
(allowed only with DEBUG on), which waives that check at login, so a local demo is usable straight
away with the printed password; the flag itself is always set, as for created accounts.
"""

import secrets
import string
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.audit import actions as audit_actions
from apps.audit.services import audit_log
from apps.orgs.generate import org_tree_generate
from apps.orgs.models import Org
from apps.orgs.services import create_internal_department
from apps.regions.models import Region

# (key, org code, name of its 内设机构)
DEMO_ORGS = [
    ("mem", "MEM", "举报受理处"),
    ("henan", "EM410000", "执法监察处"),
    ("zhengzhou", "EM410100", "执法监察科"),
    ("jinshui", "EM410105", "综合执法股"),
    ("hebei", "EM130000", "执法监察处"),
    ("shijiazhuang", "EM130100", "执法监察科"),
    ("changan", "EM130102", "综合执法股"),
]

REAL_NAMES = {
    "mem_admin": "王建国", "mem_user": "李静", "mem_dept": "张伟", "mem_audit": "陈晓燕",
    "henan_admin": "刘洋", "henan_user": "杨帆", "henan_dept": "赵敏",
    "zhengzhou_admin": "黄磊", "zhengzhou_user": "周婷", "zhengzhou_dept": "吴强",
    "jinshui_admin": "徐丽", "jinshui_user": "孙浩", "jinshui_dept": "马超",
    "hebei_admin": "朱军", "hebei_user": "胡玲", "hebei_dept": "郭勇",
    "shijiazhuang_admin": "何丹", "shijiazhuang_user": "高峰", "shijiazhuang_dept": "林雪",
    "changan_admin": "罗斌", "changan_user": "梁红", "changan_dept": "宋涛",
}

# 139 0000 xxxx: numbers no real subscriber has in the demo data's lifetime.
MOBILE_PREFIX = "1390000"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    real_name: str
    role: str
    org: Org
    mobile: str
    created: bool

    @property
    def org_role_label(self) -> str:
        return User.Role(self.role).label


@dataclass(frozen=True)
class DemoResult:
    accounts: list[DemoAccount]
    regions_loaded: bool
    orgs_created: int

    @property
    def users_created(self) -> int:
        return sum(a.created for a in self.accounts)


class DemoDataError(Exception):
    pass


def generate_password() -> str:
    """16 characters with every character class, so any sane validator set accepts it."""
    classes = [string.ascii_uppercase, string.ascii_lowercase, string.digits, "@#%&*+=?"]
    alphabet = "".join(classes)
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(16))
        if all(any(ch in cls for ch in candidate) for cls in classes):
            return candidate


def _planned_accounts(orgs: dict[str, Org], departments: dict[str, Org]) -> list[tuple[str, str, Org]]:
    planned = []
    for key, _, _ in DEMO_ORGS:
        planned += [
            (f"{key}_admin", User.Role.ADMIN, orgs[key]),
            (f"{key}_user", User.Role.USER, orgs[key]),
            (f"{key}_dept", User.Role.USER, departments[key]),
        ]
        if key == "mem":
            planned.append(("mem_audit", User.Role.AUDITOR, orgs[key]))
    return planned


def demo_data_load(*, password: str, reset_passwords: bool = False, load_regions=None) -> DemoResult:
    """Load regions if the table is empty, generate the org tree, then the demo departments and
    accounts. `password` must pass the project's password validators for every demo account."""
    for username, real_name in REAL_NAMES.items():
        validate_password(password, user=User(username=username, real_name=real_name))
    regions_loaded = False
    if not Region.objects.exists():
        if load_regions is None:
            from apps.regions.loader import load_regions
        load_regions()
        regions_loaded = True

    with transaction.atomic():
        orgs_created = org_tree_generate().created
        found = Org.objects.in_bulk([code for _, code, _ in DEMO_ORGS], field_name="code")
        missing = [code for _, code, _ in DEMO_ORGS if code not in found]
        if missing:
            raise DemoDataError("机构树中缺少演示机构 / demo orgs missing: " + ", ".join(missing))
        orgs = {key: found[code] for key, code, _ in DEMO_ORGS}
        departments = {key: _department(orgs[key], name) for key, _, name in DEMO_ORGS}

        # Hashed once: 22 PBKDF2 rounds of a million iterations would add ten seconds to `make run`.
        # Assigning the hash bypasses set_password(), so no password-history row is written for
        # demo accounts; their first real change starts the history.
        hashed = make_password(password)
        existing = {u.username: u for u in User.objects.filter(username__in=REAL_NAMES).select_related("org")}
        accounts = []
        for index, (username, role, org) in enumerate(_planned_accounts(orgs, departments), start=1):
            user = existing.get(username)
            created = user is None
            if created:
                user = User(username=username, real_name=REAL_NAMES[username], role=role, org=org,
                            mobile=f"{MOBILE_PREFIX}{index:04d}", must_change_password=True)
            if created or reset_passwords:
                user.password = hashed
                user.password_changed_at = timezone.now()
                user.must_change_password = True
                user.save()
            if reset_passwords and not created:
                _audit_reset(user)
            accounts.append(DemoAccount(username, user.real_name, user.role, user.org, user.mobile, created))
    return DemoResult(accounts=accounts, regions_loaded=regions_loaded, orgs_created=orgs_created)


def _audit_reset(user: User) -> None:
    # No actor: the command runs on the server, outside any session.
    audit_log(
        actor=None,
        action=audit_actions.ACCOUNT_RESET_PASSWORD,
        target=user,
        result="success",
        org=user.org,
        detail={"reason": "演示数据命令（demo_data --reset-passwords）重设密码"},
    )


def _department(org: Org, name: str) -> Org:
    existing = Org.objects.filter(parent=org, kind=Org.Kind.INTERNAL, name=name).first()
    return existing or create_internal_department(org, name)
