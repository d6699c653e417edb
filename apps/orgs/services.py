"""Changes to the org tree made one org at a time (机构管理)."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.orgs.models import Org

CODE_MAX = Org._meta.get_field("code").max_length


def create_internal_department(parent_org: Org, name: str, code: str | None = None) -> Org:
    """Add a 内设机构 (e.g. 执法监察科) to an org. Handling is dispatched to these by name, so
    names are unique per org; without a code one is derived as "<parent code>-Dnn".

    Permission is the caller's business: the 机构管理 view checks the actor's role and scope.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写内设机构名称。")
    with transaction.atomic():
        # Serialises concurrent creations under one org, so derived codes cannot collide.
        parent = Org.objects.select_for_update().get(pk=parent_org.pk)
        if parent.kind == Org.Kind.INTERNAL:
            raise ValidationError("内设机构下不能再设内设机构。")
        if Org.objects.filter(parent=parent, kind=Org.Kind.INTERNAL, name=name).exists():
            raise ValidationError("该机构下已有同名内设机构。")
        code = (code or "").strip() or _next_code(parent)
        if len(code) > CODE_MAX:
            raise ValidationError(f"机构代码不能超过{CODE_MAX}个字符。")
        if Org.objects.filter(code=code).exists():
            raise ValidationError("机构代码已被使用。")
        org = Org(code=code, name=name, kind=Org.Kind.INTERNAL, level=parent.level, parent=parent,
                  region=parent.region)
        org.save()
    return org


def _next_code(parent: Org) -> str:
    prefix = f"{parent.code}-D"
    pattern = re.compile(re.escape(prefix) + r"(\d+)$")
    codes = Org.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    used = [int(m.group(1)) for c in codes if (m := pattern.match(c))]
    return f"{prefix}{max(used, default=0) + 1:02d}"

