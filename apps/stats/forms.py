"""查询条件 of 综合统计: 按地区 or 按机构, a period and a dimension. Choices are limited to the
user's jurisdiction; anything else is refused with a Chinese message, never a 500."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from apps.orgs.models import Org
from apps.orgs.scoping import user_root_org
from apps.regions.models import Region
from apps.stats import queries as q
from apps.stats.services import MODES, StatsQuery

ORG_KINDS = (Org.Kind.EMERGENCY, Org.Kind.ZONE, Org.Kind.BUREAU, Org.Kind.MINE_SAFETY)
# How far below the user's org the 按机构 dropdown reaches (the ministry: 司局, provinces, cities).
ORG_DEPTH = 2


def org_choices(user) -> list[tuple[str, str]]:
    root = user_root_org(user)
    if root is None:
        return []
    root = root.owning_org()
    orgs = (
        Org.objects.subtree_of(root)
        .filter(is_active=True, kind__in=ORG_KINDS, depth__lte=root.depth + ORG_DEPTH)
        .order_by("path")
        .values_list("pk", "name", "depth")
    )
    return [(str(pk), "\u3000" * (depth - root.depth) + name) for pk, name, depth in orgs]


def region_choices(scope: q.Scope) -> list[tuple[str, str]]:
    """按地区: 全国's provinces for the ministry, else the regions below the user's."""
    root = scope.region
    children = Region.objects.filter(parent=root) if root else Region.objects.filter(parent__isnull=True)
    visible = [(r.code, r.name) for r in children.order_by("code") if q.places_within(scope, r)]
    return [("", f"{root.name if root else '全国'}（全部）"), *visible]


class StatsQueryForm(forms.Form):
    mode = forms.ChoiceField(label="查询方式", choices=list(MODES.items()), initial="region")
    region = forms.ChoiceField(label="地区", required=False)
    org = forms.ChoiceField(label="机构", required=False)
    start = forms.DateField(
        label="开始日期",
        error_messages={
            "invalid": "开始日期格式不正确，请按“年-月-日”填写。",
            "required": "请选择开始日期。",
        },
    )
    end = forms.DateField(
        label="结束日期",
        error_messages={
            "invalid": "结束日期格式不正确，请按“年-月-日”填写。",
            "required": "请选择结束日期。",
        },
    )
    column = forms.ChoiceField(label="统计维度", choices=list(q.TABLE_COLUMNS.items()), initial="channel")

    def __init__(self, data=None, *, user, scope: q.Scope, **kwargs):
        self.user, self.scope = user, scope
        today = timezone.localdate()
        initial = {
            "mode": "region",
            "start": today.replace(month=1, day=1),
            "end": today,
            "column": "channel",
        }
        super().__init__(data, initial=initial, **kwargs)
        self.fields["region"].choices = region_choices(scope)
        self.fields["org"].choices = [("", "请选择机构"), *org_choices(user)]
        for name in ("start", "end"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date", "class": "form-control"})
        for name in ("mode", "region", "org", "column"):
            self.fields[name].widget.attrs["class"] = "form-select"
        for field in self.fields.values():
            field.error_messages.setdefault("invalid_choice", "所选项不存在或不在您的管辖范围内。")
            field.error_messages["invalid_choice"] = "所选项不存在或不在您的管辖范围内，请重新选择。"

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            try:
                q._check_period(start, end, timezone.localdate())
            except q.StatsQueryError as exc:
                raise forms.ValidationError(exc.message) from None
        if data.get("mode") == "org" and not data.get("org"):
            self.add_error("org", "请选择机构。")
        return data

    def query(self) -> StatsQuery:
        data = self.cleaned_data
        return StatsQuery(
            mode=data["mode"],
            start=data["start"],
            end=data["end"],
            column=data.get("column") or "channel",
            region_code=(data.get("region") or None) if data["mode"] == "region" else None,
            org_id=int(data["org"]) if data["mode"] == "org" and data.get("org") else None,
        )


class AnalysisForm(StatsQueryForm):
    """举报信息情况分析 (8.2): the same 查询条件 without the table's 统计维度 (the report has every
    dimension)."""

    def __init__(self, data=None, *, user, scope: q.Scope, **kwargs):
        super().__init__(data, user=user, scope=scope, **kwargs)
        del self.fields["column"]


def default_query() -> StatsQuery:
    today = timezone.localdate()
    return StatsQuery(mode="region", start=today.replace(month=1, day=1), end=today)


def parse_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
