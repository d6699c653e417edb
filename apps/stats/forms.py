"""查询条件 of 综合统计: 按地区 or 按机构, a period and a dimension. Choices are limited to the
user's jurisdiction; anything else is refused with a Chinese message, never a 500."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from apps.core.widgets import IsoDateInput
from apps.orgs.models import Org
from apps.orgs.scoping import user_root_org
from apps.regions.models import Region
from apps.stats import queries as q
from apps.stats.services import MODES, StatsQuery

ORG_KINDS = (Org.Kind.EMERGENCY, Org.Kind.ZONE, Org.Kind.BUREAU, Org.Kind.MINE_SAFETY)
# How far below the user's org the 按机构 dropdown reaches (the ministry: 司局, provinces, cities);
# deeper orgs (the ~2,850 county bureaus) are picked in 下级机构, loaded one org's children at a time.
ORG_DEPTH = 2


def stats_root_org(user) -> Org | None:
    """The org whose subtree bounds the 按机构 choices. A 内设机构's staff count statistics for the
    org it belongs to (queries.stats_scope does the same), so they pick from that org's subtree."""
    root = user_root_org(user)
    return root.owning_org() if root is not None else None


def _orgs_below(root: Org):
    return Org.objects.subtree_of(root).filter(is_active=True, kind__in=ORG_KINDS)


def org_choices(user, root: Org | None = None) -> list[tuple[str, str]]:
    root = root or stats_root_org(user)
    if root is None:
        return []
    orgs = (
        _orgs_below(root)
        .filter(depth__lte=root.depth + ORG_DEPTH)
        .order_by("path")
        .values_list("pk", "name", "depth")
    )
    return [(str(pk), "\u3000" * (depth - root.depth) + name) for pk, name, depth in orgs]


def org_for_stats(user, pk, root: Org | None = None) -> Org | None:
    """Any active org of ORG_KINDS in the user's subtree, or None (absent, outside, inactive, a
    内设机构, not a number). One indexed query: the dropdown lists only the upper levels, and the
    ~2,850 county bureaus must not be loaded to check a single id."""
    root = root or stats_root_org(user)
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if root is None or pk <= 0:
        return None
    return _orgs_below(root).filter(pk=pk).first()


def org_children(user, pk) -> tuple[Org, list[Org]] | None:
    """The org `pk` and the orgs of ORG_KINDS directly below it, for the 下级机构 picker; None when
    the org is not the user's to pick (the view answers 404, like a missing one)."""
    root = stats_root_org(user)
    parent = org_for_stats(user, pk, root)
    if parent is None:
        return None
    children = Org.objects.filter(parent=parent, is_active=True, kind__in=ORG_KINDS).order_by("code")
    return parent, list(children.only("pk", "name"))


def region_choices(scope: q.Scope) -> list[tuple[str, str]]:
    """按地区: 全国's provinces for the ministry, else the regions below the user's."""
    root = scope.region
    children = Region.objects.filter(parent=root) if root else Region.objects.filter(parent__isnull=True)
    visible = [(r.code, r.name) for r in children.order_by("code") if q.places_within(scope, r)]
    return [("", f"{root.name if root else '全国'}（全部）"), *visible]


SUBORG_PLACEHOLDER = "请选择下级机构（可不选）"


class OrgField(forms.ChoiceField):
    """An org select that draws only part of what it accepts: the first dropdown lists the upper
    levels and 下级机构 one org's children, but any active org of ORG_KINDS in the user's subtree
    is valid. The form checks the id with one query (org_for_stats) instead of the drawn list."""

    def valid_value(self, value):
        return True


class StatsQueryForm(forms.Form):
    mode = forms.ChoiceField(label="查询方式", choices=list(MODES.items()), initial="region")
    region = forms.ChoiceField(label="地区", required=False)
    org = OrgField(label="机构", required=False)
    suborg = OrgField(label="下级机构", required=False)
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
        self.root = stats_root_org(user)
        self.listed = org_choices(user, self.root)
        self.fields["region"].choices = region_choices(scope)
        self.fields["org"].choices = [("", "请选择机构"), *self.listed]
        self.fields["suborg"].choices = [("", SUBORG_PLACEHOLDER)]
        for name in ("start", "end"):
            # ISO, not the zh-hans display format ("2026/01/01"): a type=date input drops anything else,
            # and the untouched default period then came back as "请选择开始日期".
            self.fields[name].widget = IsoDateInput(attrs={"class": "form-control"})
        for name in ("mode", "region", "org", "suborg", "column"):
            self.fields[name].widget.attrs["class"] = "form-select"
        for field in self.fields.values():
            field.error_messages.setdefault("invalid_choice", "所选项不存在或不在您的管辖范围内。")
            field.error_messages["invalid_choice"] = "所选项不存在或不在您的管辖范围内，请重新选择。"

    def _clean_org_field(self, name: str) -> Org | None:
        value = self.cleaned_data.get(name)
        if not value:
            return None
        org = org_for_stats(self.user, value, self.root)
        if org is None:
            message = self.fields[name].error_messages["invalid_choice"]
            raise forms.ValidationError(message, code="invalid_choice")
        return org

    def clean_org(self):
        return self._clean_org_field("org")

    def clean_suborg(self):
        return self._clean_org_field("suborg")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            try:
                q._check_period(start, end, timezone.localdate())
            except q.StatsQueryError as exc:
                # Not raised: the org below is still resolved and redrawn for the corrected query.
                self.add_error(None, exc.message)
        org, sub = data.get("org"), data.get("suborg")
        # Without JavaScript a 下级机构 drawn for the previous query stays selected when the first
        # dropdown is changed: it counts only while it is below the org chosen there.
        if sub is not None and (org is None or sub.is_within(org)):
            org = sub
        data["org"] = org
        if org is not None:
            self._draw_picker(org)
        picked_badly = self.has_error("org") or self.has_error("suborg")
        if data.get("mode") == "org" and org is None and not picked_badly:
            self.add_error("org", "请选择机构。")
        return data

    def _draw_picker(self, org: Org) -> None:
        """Redraw both selects on the chosen org, so the query stays visible after submit: the
        first dropdown on it when listed there, else on its nearest listed ancestor with the org
        itself in 下级机构 (among its siblings, which also lets a user without JavaScript move on)."""
        listed = {int(pk) for pk, _ in self.listed}
        if org.pk in listed:
            first, second = org.pk, None
            # Only the deepest listed level has children the first dropdown does not show.
            below = org.pk if org.depth >= self.root.depth + ORG_DEPTH else None
        else:
            # Org.path is the chain of ids from the top, so the ancestors cost no query.
            chain = [int(part) for part in org.path.split("/")[:-1]]
            first = next((pk for pk in reversed(chain[:-1]) if pk in listed), None)
            second, below = org.pk, org.parent_id
        if below is not None:
            children = (
                Org.objects.filter(parent_id=below, is_active=True, kind__in=ORG_KINDS)
                .order_by("code")
                .values_list("pk", "name")
            )
            self.fields["suborg"].choices = [("", SUBORG_PLACEHOLDER), *((str(pk), n) for pk, n in children)]
        shown = self.data.copy()  # request.GET and request.POST are immutable
        shown["org"] = str(first or "")
        shown["suborg"] = str(second or "")
        self.data = shown

    def query(self) -> StatsQuery:
        data = self.cleaned_data
        return StatsQuery(
            mode=data["mode"],
            start=data["start"],
            end=data["end"],
            column=data.get("column") or "channel",
            region_code=(data.get("region") or None) if data["mode"] == "region" else None,
            org_id=data["org"].pk if data["mode"] == "org" and data.get("org") else None,
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
